// SPDX-License-Identifier: GPL-2.0
/*
 * The rule set: compiled chains per hook, swapped atomically with RCU.
 *
 * Nothing a packet can see is ever changed. A set points to one chain per
 * hook; a chain is an array of pointers to rules plus, per connection
 * state, the sub-array of rules a packet in that state can match. Rules
 * and chains are refcounted and shared between generations: a change
 * builds the one chain it touches, takes references on the other chains,
 * swaps the new set in under cfg_lock, and frees the old one after a grace
 * period. Counters live in the rules, so they survive changes to others.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/llist.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/workqueue.h>
#include "netns.h"
#include "rules.h"

struct ct_chain {
	refcount_t ref;
	u8 policy;
	u32 n;
	struct ct_rule **rules;		/* chain order; also owns the memory */
	/* rules[] filtered to those that can match a packet in each state */
	struct ct_rule **cand[__CTRACK_CTSTATE_MAX];
	u32 ncand[__CTRACK_CTSTATE_MAX];
};

struct ct_ruleset {
	union {
		struct rcu_head rcu;
		struct llist_node free_node;	/* after the grace period */
	};
	u64 gen;
	struct ct_chain *chain[__CTRACK_HOOK_MAX];
};

struct ct_rules_load {
	struct ct_rule **rules[__CTRACK_HOOK_MAX];
	u32 n[__CTRACK_HOOK_MAX];
	u32 cap[__CTRACK_HOOK_MAX];
	u8 policy[__CTRACK_HOOK_MAX];
	bool policy_given[__CTRACK_HOOK_MAX];
};

/*
 * Old sets are freed by a work item after their grace period: a chain of
 * 64k rules is too much to free in softirq. A burst of changes (a script
 * adding rules one by one) must not pile up memory behind a slow grace
 * period, so past CT_RULES_PENDING_MAX waiting sets the writer waits.
 */
#define CT_RULES_PENDING_MAX	32
static atomic_t pending_frees = ATOMIC_INIT(0);
static LLIST_HEAD(free_list);
static void free_work_fn(struct work_struct *work);
static DECLARE_WORK(free_work, free_work_fn);

#define CT_ALL_CTSTATES	(CTRACK_CTSTATE_BIT(__CTRACK_CTSTATE_MAX) - 1)

struct ct_rule *ct_rule_alloc(gfp_t gfp)
{
	struct ct_rule *r;
	int cpu;

	r = kzalloc(sizeof(*r), gfp);
	if (!r)
		return NULL;
	r->ctr = alloc_percpu_gfp(struct ct_rule_pcpu, gfp);
	if (!r->ctr) {
		kfree(r);
		return NULL;
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(r->ctr, cpu)->syncp);
	refcount_set(&r->ref, 1);
	return r;
}
EXPORT_SYMBOL_IF_KUNIT(ct_rule_alloc);

/*
 * Never sleeps, so a reference may be dropped anywhere; the last one of a
 * published rule goes in free_work_fn(), a grace period after the rule
 * set that held it was replaced.
 */
void ct_rule_put(struct ct_rule *r)
{
	if (r && refcount_dec_and_test(&r->ref)) {
		free_percpu(r->ctr);
		kfree(r);
	}
}
EXPORT_SYMBOL_IF_KUNIT(ct_rule_put);

static void prefix_mask(union ct_addr *mask, unsigned int plen)
{
	int i;

	for (i = 0; i < 4; i++, plen -= min(plen, 32U)) {
		if (plen >= 32)
			mask->all[i] = htonl(0xffffffff);
		else if (plen)
			mask->all[i] = htonl(~0U << (32 - plen));
		else
			mask->all[i] = 0;
	}
}

static int check_addr(struct ct_rule *r, int attr, int pattr, unsigned int len,
		      union ct_addr *addr, union ct_addr *mask, u8 *plen,
		      int *bad_attr, const char **msg)
{
	unsigned int maxplen;
	u8 family;
	int i;

	if (!(r->present & BIT(attr))) {
		if (r->present & BIT(pattr)) {
			*bad_attr = pattr;
			*msg = "prefix length without an address";
			return -EINVAL;
		}
		return 0;
	}
	if (len != 4 && len != 16) {
		*bad_attr = attr;
		*msg = "address must be 4 (IPv4) or 16 (IPv6) bytes";
		return -EINVAL;
	}
	family = len == 4 ? NFPROTO_IPV4 : NFPROTO_IPV6;
	if ((r->present & BIT(CTRACK_A_RULE_FAMILY)) && r->family != family) {
		*bad_attr = attr;
		*msg = "address family does not match the rule's family";
		return -EINVAL;
	}
	r->family = family;
	r->present |= BIT(CTRACK_A_RULE_FAMILY);

	maxplen = len * 8;
	if (!(r->present & BIT(pattr))) {
		*plen = maxplen;
	} else if (*plen > maxplen) {
		*bad_attr = pattr;
		*msg = len == 4 ? "IPv4 prefix length must be at most 32" :
				  "IPv6 prefix length must be at most 128";
		return -EINVAL;
	}
	prefix_mask(mask, *plen);
	for (i = 0; i < 4; i++)
		addr->all[i] &= mask->all[i];
	return 0;
}

static int check_ports(struct ct_rule *r, int minattr, int maxattr,
		       u16 *min, u16 *max, int *bad_attr, const char **msg)
{
	if (!(r->present & BIT(minattr))) {
		if (r->present & BIT(maxattr)) {
			*bad_attr = maxattr;
			*msg = "port range end without a start";
			return -EINVAL;
		}
		return 0;
	}
	if (!(r->present & BIT(CTRACK_A_RULE_PROTO)) ||
	    (r->proto != IPPROTO_TCP && r->proto != IPPROTO_UDP)) {
		*bad_attr = minattr;
		*msg = "ports need protocol tcp or udp";
		return -EINVAL;
	}
	if (!(r->present & BIT(maxattr))) {
		*max = *min;
	} else if (*max < *min) {
		*bad_attr = maxattr;
		*msg = "inverted port range";
		return -EINVAL;
	}
	return 0;
}

int ct_rule_check(struct ct_rule *r, unsigned int saddr_len,
		  unsigned int daddr_len, int *bad_attr, const char **msg)
{
	int ret;

	if ((r->present & BIT(CTRACK_A_RULE_FAMILY)) &&
	    r->family != NFPROTO_IPV4 && r->family != NFPROTO_IPV6) {
		*bad_attr = CTRACK_A_RULE_FAMILY;
		*msg = "family must be ipv4 (2) or ipv6 (10)";
		return -EINVAL;
	}
	ret = check_addr(r, CTRACK_A_RULE_SADDR, CTRACK_A_RULE_SPREFIX,
			 saddr_len, &r->saddr, &r->smask, &r->sprefix,
			 bad_attr, msg);
	if (ret)
		return ret;
	ret = check_addr(r, CTRACK_A_RULE_DADDR, CTRACK_A_RULE_DPREFIX,
			 daddr_len, &r->daddr, &r->dmask, &r->dprefix,
			 bad_attr, msg);
	if (ret)
		return ret;

	/* icmp and icmpv6 pin the family the way an address does. */
	if ((r->present & BIT(CTRACK_A_RULE_PROTO)) &&
	    (r->proto == IPPROTO_ICMP || r->proto == IPPROTO_ICMPV6)) {
		u8 family = r->proto == IPPROTO_ICMP ? NFPROTO_IPV4 : NFPROTO_IPV6;

		if ((r->present & BIT(CTRACK_A_RULE_FAMILY)) &&
		    r->family != family) {
			*bad_attr = CTRACK_A_RULE_PROTO;
			*msg = "protocol does not match the rule's family";
			return -EINVAL;
		}
		r->family = family;
		r->present |= BIT(CTRACK_A_RULE_FAMILY);
	}
	if ((r->present & BIT(CTRACK_A_RULE_ICMP_TYPE)) &&
	    (!(r->present & BIT(CTRACK_A_RULE_PROTO)) ||
	     (r->proto != IPPROTO_ICMP && r->proto != IPPROTO_ICMPV6))) {
		*bad_attr = CTRACK_A_RULE_ICMP_TYPE;
		*msg = "icmp type needs protocol icmp or icmpv6";
		return -EINVAL;
	}
	ret = check_ports(r, CTRACK_A_RULE_SPORT_MIN, CTRACK_A_RULE_SPORT_MAX,
			  &r->sport_min, &r->sport_max, bad_attr, msg);
	if (ret)
		return ret;
	ret = check_ports(r, CTRACK_A_RULE_DPORT_MIN, CTRACK_A_RULE_DPORT_MAX,
			  &r->dport_min, &r->dport_max, bad_attr, msg);
	if (ret)
		return ret;

	if (r->present & BIT(CTRACK_A_RULE_CTSTATE)) {
		if (!r->ctstate || (r->ctstate & ~CT_ALL_CTSTATES)) {
			*bad_attr = CTRACK_A_RULE_CTSTATE;
			*msg = "ct state set must be a non-empty mask of known states";
			return -EINVAL;
		}
	}
	if ((r->present & BIT(CTRACK_A_RULE_IIFNAME)) && !r->iifname[0]) {
		*bad_attr = CTRACK_A_RULE_IIFNAME;
		*msg = "empty interface name";
		return -EINVAL;
	}
	if ((r->present & BIT(CTRACK_A_RULE_OIFNAME)) && !r->oifname[0]) {
		*bad_attr = CTRACK_A_RULE_OIFNAME;
		*msg = "empty interface name";
		return -EINVAL;
	}
	if (r->verdict >= __CTRACK_VERDICT_MAX) {
		*bad_attr = CTRACK_A_RULE_VERDICT;
		*msg = "unknown verdict";
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ct_rule_check);

static bool addr_match(const union ct_addr *a, const union ct_addr *net,
		       const union ct_addr *mask)
{
	return !(((a->all[0] ^ net->all[0]) & mask->all[0]) |
		 ((a->all[1] ^ net->all[1]) & mask->all[1]) |
		 ((a->all[2] ^ net->all[2]) & mask->all[2]) |
		 ((a->all[3] ^ net->all[3]) & mask->all[3]));
}

/* nft's wildcard: a trailing '*' matches any suffix. */
static bool ifname_match(const char *rule, const char *dev)
{
	size_t len;

	if (!dev)
		return false;
	len = strnlen(rule, IFNAMSIZ);
	if (len && rule[len - 1] == '*')
		return !strncmp(rule, dev, len - 1);
	return !strncmp(rule, dev, IFNAMSIZ);
}

/* Everything but the ct state, which the candidate lists have settled. */
static bool match_stateless(const struct ct_rule *r, const struct ct_rule_pkt *p)
{
	const struct ct_tuple *t = &p->pkt->tuple;
	u32 present = r->present;
	u16 port;

	if ((present & BIT(CTRACK_A_RULE_FAMILY)) && t->l3 != r->family)
		return false;
	if ((present & BIT(CTRACK_A_RULE_PROTO)) && t->proto != r->proto)
		return false;
	if ((present & BIT(CTRACK_A_RULE_SADDR)) &&
	    !addr_match(&t->src, &r->saddr, &r->smask))
		return false;
	if ((present & BIT(CTRACK_A_RULE_DADDR)) &&
	    !addr_match(&t->dst, &r->daddr, &r->dmask))
		return false;
	if (present & BIT(CTRACK_A_RULE_SPORT_MIN)) {
		port = ntohs(t->sport);
		if (port < r->sport_min || port > r->sport_max)
			return false;
	}
	if (present & BIT(CTRACK_A_RULE_DPORT_MIN)) {
		port = ntohs(t->dport);
		if (port < r->dport_min || port > r->dport_max)
			return false;
	}
	if ((present & BIT(CTRACK_A_RULE_ICMP_TYPE)) &&
	    p->pkt->icmp_type != r->icmp_type)
		return false;
	if ((present & BIT(CTRACK_A_RULE_IIFNAME)) &&
	    !ifname_match(r->iifname, p->iifname))
		return false;
	if ((present & BIT(CTRACK_A_RULE_OIFNAME)) &&
	    !ifname_match(r->oifname, p->oifname))
		return false;
	return true;
}

static bool state_match(const struct ct_rule *r, enum ctrack_ctstate ctstate)
{
	return !(r->present & BIT(CTRACK_A_RULE_CTSTATE)) ||
	       (r->ctstate & CTRACK_CTSTATE_BIT(ctstate));
}

bool ct_rule_match(const struct ct_rule *r, const struct ct_rule_pkt *p)
{
	return state_match(r, p->ctstate) && match_stateless(r, p);
}
EXPORT_SYMBOL_IF_KUNIT(ct_rule_match);

static void rule_count(struct ct_rule *r, unsigned int len)
{
	struct ct_rule_pcpu *c = get_cpu_ptr(r->ctr);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&c->syncp);
	u64_stats_inc(&c->packets);
	u64_stats_add(&c->bytes, len);
	u64_stats_update_end_irqrestore(&c->syncp, flags);
	put_cpu_ptr(r->ctr);
}

void ct_rule_counters(const struct ct_rule *r, u64 *packets, u64 *bytes)
{
	int cpu;

	*packets = 0;
	*bytes = 0;
	for_each_possible_cpu(cpu) {
		const struct ct_rule_pcpu *c = per_cpu_ptr(r->ctr, cpu);
		unsigned int start;
		u64 p, b;

		do {
			start = u64_stats_fetch_begin(&c->syncp);
			p = u64_stats_read(&c->packets);
			b = u64_stats_read(&c->bytes);
		} while (u64_stats_fetch_retry(&c->syncp, start));
		*packets += p;
		*bytes += b;
	}
}
EXPORT_SYMBOL_IF_KUNIT(ct_rule_counters);

u8 ct_ruleset_verdict(const struct ct_ruleset *rs, enum ctrack_hook hook,
		      const struct ct_rule_pkt *p, unsigned int len,
		      const struct ct_rule **hit)
{
	const struct ct_chain *ch = rs->chain[hook];
	struct ct_rule * const *cand = ch->cand[p->ctstate];
	u32 i, n = ch->ncand[p->ctstate];

	for (i = 0; i < n; i++) {
		struct ct_rule *r = cand[i];

		if (!match_stateless(r, p))
			continue;
		rule_count(r, len);
		if (r->verdict != CTRACK_VERDICT_CONTINUE) {
			*hit = r;
			return r->verdict;
		}
	}
	*hit = NULL;
	return ch->policy;
}
EXPORT_SYMBOL_IF_KUNIT(ct_ruleset_verdict);

u8 ct_rules_eval(struct ct_net *cn, enum ctrack_hook hook,
		 const struct ct_pkt *pkt, enum ctrack_ctstate ctstate,
		 unsigned int len, const struct nf_hook_state *state)
{
	const struct ct_ruleset *rs = rcu_dereference(cn->rules.cur);
	const struct ct_rule *hit;
	struct ct_rule_pkt p = {
		.pkt = pkt,
		.ctstate = ctstate,
		.iifname = state->in ? state->in->name : NULL,
		.oifname = state->out ? state->out->name : NULL,
	};

	if (unlikely(!rs || (unsigned int)hook >= __CTRACK_HOOK_MAX ||
		     (unsigned int)ctstate >= __CTRACK_CTSTATE_MAX))
		return CTRACK_VERDICT_ACCEPT;
	return ct_ruleset_verdict(rs, hook, &p, len, &hit);
}

/* A chain of @rules (taking a reference on each) with its candidate lists. */
static struct ct_chain *chain_new(struct ct_rule * const *rules, u32 n, u8 policy)
{
	struct ct_chain *ch;
	struct ct_rule **mem;
	int s;
	u32 i;

	ch = kzalloc(sizeof(*ch), GFP_KERNEL);
	if (!ch)
		return NULL;
	refcount_set(&ch->ref, 1);
	ch->policy = policy;
	if (!n)
		return ch;
	/* One allocation holds the chain order and every list. */
	mem = kvmalloc_array(n, sizeof(*mem) * (1 + __CTRACK_CTSTATE_MAX),
			     GFP_KERNEL);
	if (!mem) {
		kfree(ch);
		return NULL;
	}
	ch->rules = mem;
	ch->n = n;
	for (s = 0; s < __CTRACK_CTSTATE_MAX; s++)
		ch->cand[s] = mem + (size_t)n * (s + 1);
	for (i = 0; i < n; i++) {
		struct ct_rule *r = rules[i];

		refcount_inc(&r->ref);
		ch->rules[i] = r;
		for (s = 0; s < __CTRACK_CTSTATE_MAX; s++)
			if (state_match(r, s))
				ch->cand[s][ch->ncand[s]++] = r;
		if (!(i & 1023))
			cond_resched();
	}
	return ch;
}

static void chain_put(struct ct_chain *ch)
{
	u32 i;

	if (!ch || !refcount_dec_and_test(&ch->ref))
		return;
	for (i = 0; i < ch->n; i++) {
		ct_rule_put(ch->rules[i]);
		if (!(i & 255))
			cond_resched();
	}
	kvfree(ch->rules);
	kfree(ch);
}

/* Process context: a set that was never published, or one past its grace period. */
void ct_ruleset_free(struct ct_ruleset *rs)
{
	int h;

	if (!rs)
		return;
	for (h = 0; h < __CTRACK_HOOK_MAX; h++)
		chain_put(rs->chain[h]);
	kfree(rs);
}
EXPORT_SYMBOL_IF_KUNIT(ct_ruleset_free);

static void free_work_fn(struct work_struct *work)
{
	struct llist_node *list = llist_del_all(&free_list);
	struct ct_ruleset *rs, *next;

	llist_for_each_entry_safe(rs, next, list, free_node) {
		ct_ruleset_free(rs);
		atomic_dec(&pending_frees);
	}
}

static void ruleset_free_rcu(struct rcu_head *head)
{
	struct ct_ruleset *rs = container_of(head, struct ct_ruleset, rcu);

	if (llist_add(&rs->free_node, &free_list))
		schedule_work(&free_work);
}

static void ruleset_free_deferred(struct ct_ruleset *rs)
{
	atomic_inc(&pending_frees);
	call_rcu(&rs->rcu, ruleset_free_rcu);
}

/* Waits until every set handed to ruleset_free_deferred() is gone. */
static void ruleset_free_wait(void)
{
	rcu_barrier();
	flush_work(&free_work);
}

/* A set of empty chains with policy accept, or the chains in @ch. */
static struct ct_ruleset *ruleset_new(struct ct_chain **ch)
{
	struct ct_ruleset *rs = kzalloc(sizeof(*rs), GFP_KERNEL);
	int h;

	if (!rs)
		return NULL;
	for (h = 0; h < __CTRACK_HOOK_MAX; h++) {
		rs->chain[h] = ch ? ch[h] :
				    chain_new(NULL, 0, CTRACK_VERDICT_ACCEPT);
		if (!rs->chain[h]) {
			ct_ruleset_free(rs);
			return NULL;
		}
	}
	return rs;
}

struct ct_ruleset *ct_ruleset_build(enum ctrack_hook hook, struct ct_rule **r,
				    u32 n, u8 policy)
{
	struct ct_ruleset *rs = ruleset_new(NULL);
	struct ct_chain *ch;

	if (!rs)
		return NULL;
	ch = chain_new(r, n, policy);
	if (!ch) {
		ct_ruleset_free(rs);
		return NULL;
	}
	chain_put(rs->chain[hook]);
	rs->chain[hook] = ch;
	return rs;
}
EXPORT_SYMBOL_IF_KUNIT(ct_ruleset_build);

u32 ct_ruleset_candidates(const struct ct_ruleset *rs, enum ctrack_hook hook,
			  enum ctrack_ctstate ctstate,
			  struct ct_rule * const **rules)
{
	*rules = rs->chain[hook]->cand[ctstate];
	return rs->chain[hook]->ncand[ctstate];
}
EXPORT_SYMBOL_IF_KUNIT(ct_ruleset_candidates);

static struct ct_ruleset *rules_cur(struct ct_net *cn)
{
	return rcu_dereference_protected(cn->rules.cur,
					 lockdep_is_held(&cn->cfg_lock));
}

static void ruleset_publish(struct ct_net *cn, struct ct_ruleset *rs)
{
	struct ct_ruleset *old;

	lockdep_assert_held(&cn->cfg_lock);
	rs->gen = ++cn->rules.gen;
	old = rcu_replace_pointer(cn->rules.cur, rs,
				  lockdep_is_held(&cn->cfg_lock));
	if (!old)
		return;
	ruleset_free_deferred(old);
	if (atomic_read(&pending_frees) > CT_RULES_PENDING_MAX)
		ruleset_free_wait();
}

/*
 * Publishes a set whose chain @hook is @rules/@n with @policy and whose
 * other chains are those of the current set.
 */
static int ruleset_replace_chain(struct ct_net *cn, enum ctrack_hook hook,
				 struct ct_rule * const *rules, u32 n, u8 policy)
{
	struct ct_ruleset *old = rules_cur(cn);
	struct ct_chain *ch[__CTRACK_HOOK_MAX];
	struct ct_ruleset *rs;
	int h;

	ch[hook] = chain_new(rules, n, policy);
	if (!ch[hook])
		return -ENOMEM;
	for (h = 0; h < __CTRACK_HOOK_MAX; h++) {
		if (h == hook)
			continue;
		ch[h] = old->chain[h];
		refcount_inc(&ch[h]->ref);
	}
	rs = ruleset_new(ch);
	if (!rs) {
		for (h = 0; h < __CTRACK_HOOK_MAX; h++)
			chain_put(ch[h]);
		return -ENOMEM;
	}
	ruleset_publish(cn, rs);
	return 0;
}

static int find_handle(const struct ct_chain *ch, u32 handle)
{
	u32 i;

	for (i = 0; i < ch->n; i++)
		if (ch->rules[i]->handle == handle)
			return i;
	return -1;
}

int ct_rules_add(struct ct_net *cn, enum ctrack_hook hook, struct ct_rule *r,
		 u32 before, u32 *handle, struct netlink_ext_ack *extack)
{
	struct ct_rule **rules;
	struct ct_chain *ch;
	u32 at;
	int ret;

	lockdep_assert_held(&cn->cfg_lock);
	ch = rules_cur(cn)->chain[hook];
	if (ch->n >= CT_RULES_MAX) {
		NL_SET_ERR_MSG(extack, "chain is full (65536 rules)");
		ret = -ENOSPC;
		goto out;
	}
	if (before == CT_RULE_HEAD) {
		at = 0;
	} else if (before) {
		int i = find_handle(ch, before);

		if (i < 0) {
			NL_SET_ERR_MSG(extack, "no rule with that position handle in this chain");
			ret = -ENOENT;
			goto out;
		}
		at = i;
	} else {
		at = ch->n;
	}
	if (cn->rules.next_handle >= CT_RULE_HEAD - 1) {
		NL_SET_ERR_MSG(extack, "rule handles exhausted in this namespace");
		ret = -ENOSPC;
		goto out;
	}

	rules = kvmalloc_array(ch->n + 1, sizeof(*rules), GFP_KERNEL);
	if (!rules) {
		ret = -ENOMEM;
		goto out;
	}
	if (at)
		memcpy(rules, ch->rules, at * sizeof(*rules));
	rules[at] = r;
	if (ch->n > at)
		memcpy(rules + at + 1, ch->rules + at, (ch->n - at) * sizeof(*rules));
	r->handle = cn->rules.next_handle + 1;
	ret = ruleset_replace_chain(cn, hook, rules, ch->n + 1, ch->policy);
	kvfree(rules);
	if (!ret) {
		cn->rules.next_handle++;
		*handle = r->handle;
	}
out:
	ct_rule_put(r);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ct_rules_add);

int ct_rules_del(struct ct_net *cn, enum ctrack_hook hook, u32 handle,
		 struct netlink_ext_ack *extack)
{
	struct ct_rule **rules;
	struct ct_chain *ch;
	int i, ret;

	lockdep_assert_held(&cn->cfg_lock);
	ch = rules_cur(cn)->chain[hook];
	i = find_handle(ch, handle);
	if (i < 0) {
		NL_SET_ERR_MSG(extack, "no rule with that handle in this chain");
		return -ENOENT;
	}
	rules = kvmalloc_array(ch->n, sizeof(*rules), GFP_KERNEL);
	if (!rules)
		return -ENOMEM;
	memcpy(rules, ch->rules, i * sizeof(*rules));
	memcpy(rules + i, ch->rules + i + 1, (ch->n - i - 1) * sizeof(*rules));
	ret = ruleset_replace_chain(cn, hook, rules, ch->n - 1, ch->policy);
	kvfree(rules);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ct_rules_del);

int ct_rules_flush(struct ct_net *cn, int hook)
{
	struct ct_ruleset *old, *rs;
	int h;

	lockdep_assert_held(&cn->cfg_lock);
	old = rules_cur(cn);
	if (hook >= 0)
		return ruleset_replace_chain(cn, hook, NULL, 0,
					     old->chain[hook]->policy);
	rs = ruleset_new(NULL);
	if (!rs)
		return -ENOMEM;
	for (h = 0; h < __CTRACK_HOOK_MAX; h++)
		rs->chain[h]->policy = old->chain[h]->policy;
	ruleset_publish(cn, rs);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ct_rules_flush);

int ct_rules_policy(struct ct_net *cn, enum ctrack_hook hook, u8 policy)
{
	struct ct_chain *ch;

	lockdep_assert_held(&cn->cfg_lock);
	ch = rules_cur(cn)->chain[hook];
	return ruleset_replace_chain(cn, hook, ch->rules, ch->n, policy);
}
EXPORT_SYMBOL_IF_KUNIT(ct_rules_policy);

struct ct_rules_load *ct_rules_load_begin(void)
{
	struct ct_rules_load *ld = kzalloc(sizeof(*ld), GFP_KERNEL);
	int h;

	if (ld)
		for (h = 0; h < __CTRACK_HOOK_MAX; h++)
			ld->policy[h] = CTRACK_VERDICT_ACCEPT;
	return ld;
}
EXPORT_SYMBOL_IF_KUNIT(ct_rules_load_begin);

int ct_rules_load_chain(struct ct_rules_load *ld, enum ctrack_hook hook,
			int policy, struct netlink_ext_ack *extack)
{
	if (policy >= 0) {
		if (ld->policy_given[hook] && ld->policy[hook] != policy) {
			NL_SET_ERR_MSG(extack, "conflicting policies for one chain");
			return -EINVAL;
		}
		ld->policy[hook] = policy;
		ld->policy_given[hook] = true;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ct_rules_load_chain);

int ct_rules_load_rule(struct ct_rules_load *ld, enum ctrack_hook hook,
		       struct ct_rule *r, struct netlink_ext_ack *extack)
{
	if (ld->n[hook] >= CT_RULES_MAX) {
		NL_SET_ERR_MSG(extack, "chain is full (65536 rules)");
		ct_rule_put(r);
		return -ENOSPC;
	}
	if (ld->n[hook] == ld->cap[hook]) {
		u32 cap = max(16U, ld->cap[hook] * 2);
		struct ct_rule **nr;

		nr = kvmalloc_array(cap, sizeof(*nr), GFP_KERNEL);
		if (!nr) {
			ct_rule_put(r);
			return -ENOMEM;
		}
		if (ld->n[hook])
			memcpy(nr, ld->rules[hook], ld->n[hook] * sizeof(*nr));
		kvfree(ld->rules[hook]);
		ld->rules[hook] = nr;
		ld->cap[hook] = cap;
	}
	ld->rules[hook][ld->n[hook]++] = r;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ct_rules_load_rule);

void ct_rules_load_abort(struct ct_rules_load *ld)
{
	int h;
	u32 i;

	if (!ld)
		return;
	for (h = 0; h < __CTRACK_HOOK_MAX; h++) {
		for (i = 0; i < ld->n[h]; i++) {
			ct_rule_put(ld->rules[h][i]);
			if (!(i & 255))
				cond_resched();
		}
		kvfree(ld->rules[h]);
	}
	kfree(ld);
}
EXPORT_SYMBOL_IF_KUNIT(ct_rules_load_abort);

/* Consumes @ld. */
int ct_rules_load_commit(struct ct_net *cn, struct ct_rules_load *ld)
{
	struct ct_chain *ch[__CTRACK_HOOK_MAX] = {};
	struct ct_ruleset *rs;
	u32 i, total = 0, handle;
	int h, ret;

	lockdep_assert_held(&cn->cfg_lock);
	for (h = 0; h < __CTRACK_HOOK_MAX; h++)
		total += ld->n[h];
	if (cn->rules.next_handle >= CT_RULE_HEAD - 1 - total) {
		ret = -ENOSPC;
		goto out;
	}
	handle = cn->rules.next_handle;
	for (h = 0; h < __CTRACK_HOOK_MAX; h++) {
		for (i = 0; i < ld->n[h]; i++)
			ld->rules[h][i]->handle = ++handle;
		ch[h] = chain_new(ld->rules[h], ld->n[h], ld->policy[h]);
		if (!ch[h]) {
			ret = -ENOMEM;
			goto err_chains;
		}
	}
	rs = ruleset_new(ch);
	if (!rs) {
		ret = -ENOMEM;
		goto err_chains;
	}
	cn->rules.next_handle = handle;
	ruleset_publish(cn, rs);
	ret = 0;
	goto out;

err_chains:
	for (h = 0; h < __CTRACK_HOOK_MAX; h++)
		chain_put(ch[h]);
out:
	ct_rules_load_abort(ld);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ct_rules_load_commit);

struct ct_ruleset *ct_rules_get(struct ct_net *cn)
{
	return rcu_dereference_check(cn->rules.cur,
				     lockdep_is_held(&cn->cfg_lock));
}
EXPORT_SYMBOL_IF_KUNIT(ct_rules_get);

u64 ct_ruleset_gen(const struct ct_ruleset *rs)
{
	return rs->gen;
}
EXPORT_SYMBOL_IF_KUNIT(ct_ruleset_gen);

u8 ct_ruleset_policy(const struct ct_ruleset *rs, enum ctrack_hook hook)
{
	return rs->chain[hook]->policy;
}
EXPORT_SYMBOL_IF_KUNIT(ct_ruleset_policy);

u32 ct_ruleset_count(const struct ct_ruleset *rs, enum ctrack_hook hook)
{
	return rs->chain[hook]->n;
}
EXPORT_SYMBOL_IF_KUNIT(ct_ruleset_count);

const struct ct_rule *ct_ruleset_rule(const struct ct_ruleset *rs,
				      enum ctrack_hook hook, u32 idx)
{
	const struct ct_chain *ch = rs->chain[hook];

	return idx < ch->n ? ch->rules[idx] : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(ct_ruleset_rule);

int ct_rules_net_init(struct ct_net *cn)
{
	struct ct_ruleset *rs = ruleset_new(NULL);

	if (!rs)
		return -ENOMEM;
	cn->rules.next_handle = 0;
	cn->rules.gen = 1;
	rs->gen = 1;
	RCU_INIT_POINTER(cn->rules.cur, rs);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ct_rules_net_init);

/*
 * The hooks are unregistered, but a packet that entered them before may
 * still read the set: free it after a grace period, here, since sets
 * queued for the work item must be gone before the module can be.
 */
void ct_rules_net_exit(struct ct_net *cn)
{
	struct ct_ruleset *rs = rcu_dereference_protected(cn->rules.cur, true);

	RCU_INIT_POINTER(cn->rules.cur, NULL);
	synchronize_rcu();
	ct_ruleset_free(rs);
	if (atomic_read(&pending_frees))
		rcu_barrier();
	flush_work(&free_work);
}
EXPORT_SYMBOL_IF_KUNIT(ct_rules_net_exit);
