/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_RULES_H
#define _CTRACK_RULES_H

#include <linux/if.h>
#include <linux/netfilter.h>
#include <linux/refcount.h>
#include <linux/u64_stats_sync.h>
#include "tuple.h"
#include "uapi/ctrack.h"

struct ct_net;
struct ct_ruleset;
struct netlink_ext_ack;

#define CT_RULES_MAX	65536	/* per chain; the extack messages say so */

/* Per-namespace rule state, embedded in struct ct_net. */
struct ct_rules_net {
	struct ct_ruleset __rcu *cur;	/* what the packet path reads */
	u32 next_handle;		/* under cfg_lock; never reused */
	u64 gen;			/* under cfg_lock; bumped by every change */
};

struct ct_rule_pcpu {
	u64_stats_t packets;
	u64_stats_t bytes;
	struct u64_stats_sync syncp;
};

/*
 * One rule. The match fields are immutable once the rule is in a set, so
 * several generations of the rule set share the same object (and with it
 * the counters); the last set to let go frees it.
 *
 * @present has BIT(CTRACK_A_RULE_*) for every match given. Addresses are
 * stored masked to their prefix by ct_rule_check().
 */
struct ct_rule {
	u32 handle;
	u32 present;
	u8 family;
	u8 proto;
	u8 sprefix;
	u8 dprefix;
	u8 icmp_type;
	u8 verdict;
	u16 sport_min;
	u16 sport_max;
	u16 dport_min;
	u16 dport_max;
	u32 ctstate;
	union ct_addr saddr;
	union ct_addr smask;
	union ct_addr daddr;
	union ct_addr dmask;
	char iifname[IFNAMSIZ];
	char oifname[IFNAMSIZ];
	refcount_t ref;
	struct ct_rule_pcpu __percpu *ctr;
};

/* What a rule is matched against, apart from the packet's tuple. */
struct ct_rule_pkt {
	const struct ct_pkt *pkt;
	enum ctrack_ctstate ctstate;
	const char *iifname;	/* NULL when there is no such device */
	const char *oifname;
};

/* A new rule with no matches (accept-all, verdict continue), or NULL. */
struct ct_rule *ct_rule_alloc(gfp_t gfp);
void ct_rule_put(struct ct_rule *r);

/*
 * Checks the combination of matches of a parsed rule, fills in defaults
 * (family from the address length, prefix lengths, port maxima) and masks
 * the addresses. On error returns -EINVAL and sets *bad_attr to the
 * CTRACK_A_RULE_* at fault and *msg to why.
 */
int ct_rule_check(struct ct_rule *r, unsigned int saddr_len,
		  unsigned int daddr_len, int *bad_attr, const char **msg);

bool ct_rule_match(const struct ct_rule *r, const struct ct_rule_pkt *p);

/* Reading the rule set (netlink dumps), under rcu_read_lock(). */
struct ct_ruleset *ct_rules_get(struct ct_net *cn);
u64 ct_ruleset_gen(const struct ct_ruleset *rs);
u8 ct_ruleset_policy(const struct ct_ruleset *rs, enum ctrack_hook hook);
u32 ct_ruleset_count(const struct ct_ruleset *rs, enum ctrack_hook hook);
const struct ct_rule *ct_ruleset_rule(const struct ct_ruleset *rs,
				      enum ctrack_hook hook, u32 idx);
void ct_rule_counters(const struct ct_rule *r, u64 *packets, u64 *bytes);

/*
 * Changes, under cn->cfg_lock; each builds a new set and swaps it in.
 * They take over @r (a checked rule) whether they succeed or not.
 * @before: 0 appends, CT_RULE_HEAD inserts first, else the handle of the
 * rule to insert before.
 */
#define CT_RULE_HEAD	U32_MAX
int ct_rules_add(struct ct_net *cn, enum ctrack_hook hook, struct ct_rule *r,
		 u32 before, u32 *handle, struct netlink_ext_ack *extack);
int ct_rules_del(struct ct_net *cn, enum ctrack_hook hook, u32 handle,
		 struct netlink_ext_ack *extack);
int ct_rules_flush(struct ct_net *cn, int hook);	/* -1: every chain */
int ct_rules_policy(struct ct_net *cn, enum ctrack_hook hook, u8 policy);

/*
 * A whole rule set being loaded: filled by netlink, swapped in at once.
 * A chain may come in several parts (a netlink nest holds at most 64 KiB):
 * their rules are concatenated; a policy given twice must agree. @policy
 * is -1 when the part gives none.
 */
struct ct_rules_load;
struct ct_rules_load *ct_rules_load_begin(void);
int ct_rules_load_chain(struct ct_rules_load *ld, enum ctrack_hook hook,
			int policy, struct netlink_ext_ack *extack);
int ct_rules_load_rule(struct ct_rules_load *ld, enum ctrack_hook hook,
		       struct ct_rule *r, struct netlink_ext_ack *extack);
int ct_rules_load_commit(struct ct_net *cn, struct ct_rules_load *ld);
void ct_rules_load_abort(struct ct_rules_load *ld);

/* The chain's rules a packet in @ctstate can match, in order (KUnit). */
u32 ct_ruleset_candidates(const struct ct_ruleset *rs, enum ctrack_hook hook,
			  enum ctrack_ctstate ctstate,
			  struct ct_rule * const **rules);
/* A set built from @n rules of one chain, for tests; free with ct_ruleset_free. */
struct ct_ruleset *ct_ruleset_build(enum ctrack_hook hook, struct ct_rule **r,
				    u32 n, u8 policy);
void ct_ruleset_free(struct ct_ruleset *rs);
/*
 * The verdict of a chain for a packet; *hit is the deciding rule or NULL
 * for the policy. Counts every matching rule.
 */
u8 ct_ruleset_verdict(const struct ct_ruleset *rs, enum ctrack_hook hook,
		      const struct ct_rule_pkt *p, unsigned int len,
		      const struct ct_rule **hit);

int ct_rules_net_init(struct ct_net *cn);
void ct_rules_net_exit(struct ct_net *cn);

/*
 * Runs the chain of @hook for a packet of @len bytes the tracker
 * classified as @ctstate. Returns CTRACK_VERDICT_ACCEPT, _DROP or _REJECT
 * (the hooks send the reject). Called under rcu_read_lock() from the hooks.
 */
u8 ct_rules_eval(struct ct_net *cn, enum ctrack_hook hook,
		 const struct ct_pkt *pkt, enum ctrack_ctstate ctstate,
		 unsigned int len, const struct nf_hook_state *state);

#endif /* _CTRACK_RULES_H */
