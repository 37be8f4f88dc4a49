/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_RULES_H
#define _CTRACK_RULES_H

#include <linux/if.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>
#include <linux/refcount.h>
#include <linux/u64_stats_sync.h>
#include "set.h"
#include "tuple.h"
#include "uapi/ctrack.h"

struct ct_net;
struct sk_buff;

#define CT_RULES_MAX	65536	/* per chain; the extack messages say so */
#define CT_CHAINS_MAX	4096	/* per table */
#define CT_SETS_MAX	4096	/* per table */
#define CT_TABLES_MAX	1024
#define CT_MATCHES_MAX	32	/* per rule */
#define CT_JUMP_DEPTH	16
#define CT_HOOK_NONE	0xff	/* a regular chain */

/*
 * Messages with names in them: extack's own buffer where the kernel has
 * one, else a static one, which is safe because the family's commands
 * are serialised by genl_mutex (parallel_ops false) until the ack is sent.
 */
#ifdef NL_SET_ERR_MSG_FMT
#define ct_errf(extack, fmt, ...) NL_SET_ERR_MSG_FMT(extack, fmt, ##__VA_ARGS__)
#else
void ct_errf(struct netlink_ext_ack *extack, const char *fmt, ...) __printf(2, 3);
#endif

/* Per-namespace rule state, embedded in struct ct_net. */
struct ct_rules_net {
	struct ct_ruleset __rcu *cur;	/* what the packet path reads */
	u32 next_handle;		/* under cfg_lock; never reused */
	u64 gen;			/* under cfg_lock; bumped by every change */
	u32 elem_gen;			/* under cfg_lock; bumped by element changes */
};

struct ct_rule_pcpu {
	u64_stats_t packets;
	u64_stats_t bytes;
	struct u64_stats_sync syncp;
};

enum ct_match_op {
	CT_OP_RANGE,	/* lo <= key <= hi: VALUE, VALUE/PREFIX, FROM-TO, "eth*" */
	CT_OP_MASK,	/* key & mask == value */
	CT_OP_FLAGS,	/* key & mask != 0 */
	CT_OP_SET,	/* in a named set */
	CT_OP_ANON,	/* in an anonymous set */
};

enum ct_match_form {	/* how a RANGE was given, to dump it as it came */
	CT_FORM_VALUE,
	CT_FORM_PREFIX,
	CT_FORM_FROM_TO,
};

struct ct_match {
	u8 key;			/* enum ctrack_key */
	u8 op;			/* enum ct_match_op */
	u8 form;		/* enum ct_match_form */
	u8 prefix;
	bool neg;
	bool decided;		/* by the candidate lists: not run per packet */
	u32 value;		/* MASK */
	u32 mask;		/* MASK, FLAGS */
	struct ct_key lo, hi;	/* RANGE */
	struct ct_set *set;	/* SET: holds a reference */
	struct ct_set_body *anon; /* ANON: owned */
};

/*
 * One rule, immutable once in a set, so several generations of the rule
 * set share it (and its counters); the last set to let go frees it.
 * Targets are indexes into the chains of the rule's table, which never
 * change between two loads.
 */
struct ct_rule {
	u32 handle;
	refcount_t ref;
	u8 nmatch;
	u8 verdict;		/* enum ctrack_verdict; with a vmap, CONTINUE */
	u8 reject_type;
	u8 reject_code;
	u8 states;		/* CTRACK_CTSTATE_BIT()s of the states it can match */
	bool has_vmap;
	bool has_reject;
	u8 vmap_key;
	u16 target;		/* JUMP, GOTO */
	struct ct_set_body *vmap; /* owned; elements carry verdicts */
	char *comment;
	u64 packets0, bytes0;	/* the counts it started from */
	struct ct_rule_pcpu __percpu *ctr;
	struct ct_match m[];
};

/*
 * A chain: rules in order plus, per connection state, the rules a packet
 * in that state can match. Shared between generations until a change
 * touches it; @draft while a change being built owns it.
 */
struct ct_chain {
	refcount_t ref;
	bool draft;
	u8 hook;		/* enum ctrack_hook, or CT_HOOK_NONE */
	u8 policy;
	s32 prio;
	u32 seq;		/* load order: ties of priority */
	u32 n, cap;
	struct ct_rule **rules;
	struct ct_rule **cand[__CTRACK_CTSTATE_MAX]; /* in one allocation */
	u32 ncand[__CTRACK_CTSTATE_MAX];
	char name[CTRACK_NAME_MAX];
};

struct ct_rtable {
	refcount_t ref;
	bool draft;
	u8 family;		/* NFPROTO_INET, _IPV4, _IPV6 */
	u32 nchains;
	u32 nsets;
	struct ct_chain **chains;
	struct ct_set **sets;
	char name[CTRACK_NAME_MAX];
};

struct ct_base {
	const struct ct_rtable *t;
	const struct ct_chain *ch;
};

/*
 * A generation of the rule set, immutable once published and swapped
 * with RCU; while being built (a "draft") it is private to the writer
 * under cfg_lock, sharing everything it has not changed with the current
 * one.
 */
struct ct_ruleset {
	union {
		struct rcu_head rcu;
		struct llist_node free_node;	/* after the grace period */
	};
	u64 gen;
	u32 next_handle;
	u32 next_seq;
	u32 ntables;
	struct ct_rtable **tables;
	u32 nbase[__CTRACK_HOOK_MAX];
	struct ct_base *base[__CTRACK_HOOK_MAX];
};

/* What a packet is matched against, apart from its tuple. */
struct ct_rule_pkt {
	const struct ct_pkt *pkt;
	const struct sk_buff *skb;	/* TCP flags, SCTP/DCCP ports; may be NULL */
	enum ctrack_ctstate ctstate;
	int tcp_flags;			/* -1 until read */
	int iif, oif;			/* 0: no such device */
	const char *iifname;		/* NULL: no such device */
	const char *oifname;
	unsigned long now;
};

struct ct_reject {
	u8 type;	/* enum ctrack_reject */
	u8 code;
};

/* Rules. */
struct ct_rule *ct_rule_alloc(unsigned int nmatch, gfp_t gfp);
void ct_rule_put(struct ct_rule *r);		/* process context */
/* Settles r->states and the matches the candidate lists decide. */
void ct_rule_finish(struct ct_rule *r);
bool ct_match_eval(const struct ct_match *m, struct ct_rule_pkt *p);
void ct_rule_counters(const struct ct_rule *r, u64 *packets, u64 *bytes);
/* The class of a key, its set type, the highest int value. */
int ct_key_class(u8 key);
u8 ct_key_type(u8 key);

/* Reading, under rcu_read_lock() or cfg_lock. */
struct ct_ruleset *ct_rules_get(struct ct_net *cn);

/*
 * Building a change, under cfg_lock: a draft starts as the current set
 * (or empty), is changed with the ct_draft_* calls, then published (or
 * checked, or aborted). Publishing validates the whole set first: jumps,
 * loops, depth; on error nothing changes. Every call sets an extack
 * message on error.
 */
struct ct_ruleset *ct_draft_begin(struct ct_net *cn, bool empty);
int ct_draft_publish(struct ct_net *cn, struct ct_ruleset *d,
		     struct netlink_ext_ack *extack);
int ct_draft_check(struct ct_ruleset *d, struct netlink_ext_ack *extack);
void ct_ruleset_free(struct ct_ruleset *rs);	/* a draft or a dead set */

struct ct_rtable *ct_table_find(const struct ct_ruleset *rs, u8 family,
				const char *name, int *idx);
int ct_chain_find(const struct ct_rtable *t, const char *name);
int ct_set_find_idx(const struct ct_rtable *t, const char *name);
/*
 * A chain or set by name: in table @ti when >= 0, else the one of that
 * name among all tables (an error names the tables when it is not unique).
 */
int ct_draft_lookup_chain(const struct ct_ruleset *rs, int ti, const char *name,
			  int *tidx, struct netlink_ext_ack *extack);
int ct_draft_lookup_set(const struct ct_ruleset *rs, int ti, const char *name,
			int *tidx, struct netlink_ext_ack *extack);

int ct_draft_table_add(struct ct_ruleset *d, u8 family, const char *name,
		       struct netlink_ext_ack *extack);
/*
 * Declares a chain, or opens an existing one again (same hook and
 * priority); @policy CONTINUE: none given (a new base chain accepts, an
 * existing one keeps its policy).
 */
int ct_draft_chain_add(struct ct_ruleset *d, int ti, const char *name, u8 hook,
		       s32 prio, u8 policy, struct netlink_ext_ack *extack);
int ct_draft_set_add(struct ct_ruleset *d, int ti, struct ct_set *s,
		     struct netlink_ext_ack *extack);
int ct_draft_set_del(struct ct_ruleset *d, int ti, int si,
		     struct netlink_ext_ack *extack);
/*
 * Takes over @r whether it succeeds or not. @before: 0 appends,
 * CT_RULE_HEAD inserts first, else the handle to insert before.
 */
#define CT_RULE_HEAD	U32_MAX
int ct_draft_rule_add(struct ct_ruleset *d, int ti, int ci, struct ct_rule *r,
		      u32 before, u32 *handle, struct netlink_ext_ack *extack);
int ct_draft_rule_del(struct ct_ruleset *d, int ti, int ci, u32 handle,
		      struct netlink_ext_ack *extack);
int ct_draft_flush(struct ct_ruleset *d, int ti, int ci);	/* -1: all */
int ct_draft_policy(struct ct_ruleset *d, int ti, int ci, u8 policy,
		    struct netlink_ext_ack *extack);

/*
 * The verdict of the hook's base chains for a packet of @len bytes:
 * ACCEPT, DROP or REJECT (with *rej); *hit is the rule that decided, NULL
 * for a policy. Counts every matching rule. Under rcu_read_lock().
 */
u8 ct_ruleset_eval(const struct ct_ruleset *rs, enum ctrack_hook hook,
		   struct ct_rule_pkt *p, unsigned int len,
		   struct ct_reject *rej, const struct ct_rule **hit);

int ct_rules_net_init(struct ct_net *cn);
void ct_rules_net_exit(struct ct_net *cn);

/*
 * Runs the rules of @hook for @skb the tracker classified as @ctstate.
 * Returns CTRACK_VERDICT_ACCEPT, _DROP or _REJECT (the hooks send the
 * reject *rej says). Called under rcu_read_lock() from the hooks.
 */
u8 ct_rules_eval(struct ct_net *cn, enum ctrack_hook hook,
		 const struct ct_pkt *pkt, enum ctrack_ctstate ctstate,
		 const struct sk_buff *skb, const struct nf_hook_state *state,
		 struct ct_reject *rej);

#endif /* _CTRACK_RULES_H */
