// SPDX-License-Identifier: GPL-2.0
/*
 * Packet in, verdict out: the netfilter hooks on input, forward and output.
 */
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/skbuff.h>
#include "hooks.h"
#include "netns.h"

static unsigned int ct_hook(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	return NF_ACCEPT;
}

#define CT_HOOK_OPS(family, hook_nr, prio) {	\
	.hook = ct_hook, .pf = (family), .hooknum = (hook_nr), .priority = (prio) }

static const struct nf_hook_ops ct_hook_ops[] = {
	CT_HOOK_OPS(NFPROTO_IPV4, NF_INET_LOCAL_IN, NF_IP_PRI_FILTER),
	CT_HOOK_OPS(NFPROTO_IPV4, NF_INET_FORWARD, NF_IP_PRI_FILTER),
	CT_HOOK_OPS(NFPROTO_IPV4, NF_INET_LOCAL_OUT, NF_IP_PRI_FILTER),
	CT_HOOK_OPS(NFPROTO_IPV6, NF_INET_LOCAL_IN, NF_IP6_PRI_FILTER),
	CT_HOOK_OPS(NFPROTO_IPV6, NF_INET_FORWARD, NF_IP6_PRI_FILTER),
	CT_HOOK_OPS(NFPROTO_IPV6, NF_INET_LOCAL_OUT, NF_IP6_PRI_FILTER),
};

int ct_hooks_net_init(struct ct_net *cn)
{
	return nf_register_net_hooks(cn->net, ct_hook_ops, ARRAY_SIZE(ct_hook_ops));
}

void ct_hooks_net_exit(struct ct_net *cn)
{
	nf_unregister_net_hooks(cn->net, ct_hook_ops, ARRAY_SIZE(ct_hook_ops));
}
