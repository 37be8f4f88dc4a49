/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_RULES_H
#define _CTRACK_RULES_H

#include <linux/netfilter.h>
#include "tuple.h"
#include "uapi/ctrack.h"

struct ct_net;
struct ct_ruleset;

/* Per-namespace rule state, embedded in struct ct_net. */
struct ct_rules_net {
	struct ct_ruleset __rcu *cur;	/* what the packet path reads */
};

int ct_rules_net_init(struct ct_net *cn);
void ct_rules_net_exit(struct ct_net *cn);

/*
 * Runs the chain of @hook for a packet the tracker classified as @ctstate.
 * Returns NF_ACCEPT or NF_DROP (after sending a reset or unreachable for
 * a reject verdict). Called under rcu_read_lock() from the hooks.
 */
unsigned int ct_rules_eval(struct ct_net *cn, enum ctrack_hook hook,
			   struct sk_buff *skb, const struct ct_pkt *pkt,
			   enum ctrack_ctstate ctstate,
			   const struct nf_hook_state *state);

#endif /* _CTRACK_RULES_H */
