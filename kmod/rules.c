// SPDX-License-Identifier: GPL-2.0
/*
 * The rule set: tables of base and regular chains and named sets, as nft
 * models them, compiled per hook and swapped atomically with RCU.
 *
 * Nothing a packet can see is ever changed. A set holds tables, a table
 * its chains and named sets, a chain an array of rules plus, per
 * connection state, the sub-array of rules a packet in that state can
 * match (what keeps a first "ct state established,related accept"
 * cheap). Tables, chains and rules are refcounted and shared between
 * generations: a change starts a draft that shares everything, copies
 * the table and chain it touches, is validated as a whole (jumps, loops,
 * depth), then replaces the current set under cfg_lock; the old one is
 * freed after a grace period. Counters live in the rules, so they survive
 * changes to others; jump targets are chain indexes, which only a load
 * (that makes every rule anew) can change.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/llist.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/tcp.h>
#include <linux/workqueue.h>
#include "netns.h"
#include "rules.h"

#ifndef NL_SET_ERR_MSG_FMT
static char errbuf[80];

void ct_errf(struct netlink_ext_ack *extack, const char *fmt, ...)
{
	va_list args;

	if (!extack)
		return;
	va_start(args, fmt);
	vsnprintf(errbuf, sizeof(errbuf), fmt, args);
	va_end(args);
	extack->_msg = errbuf;
}
EXPORT_SYMBOL_IF_KUNIT(ct_errf);
#endif

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

static const char *family_name(u8 family)
{
	return family == NFPROTO_IPV4 ? "ip" : family == NFPROTO_IPV6 ? "ip6" : "inet";
}

/* Keys. */

int ct_key_class(u8 key)
{
	return ct_type_class(ct_key_type(key));
}
EXPORT_SYMBOL_IF_KUNIT(ct_key_class);

static const u8 key_type[__CTRACK_KEY_MAX] = {
	[CTRACK_KEY_NFPROTO]		= CTRACK_TYPE_NFPROTO,
	[CTRACK_KEY_L4PROTO]		= CTRACK_TYPE_INET_PROTO,
	[CTRACK_KEY_IP_PROTOCOL]	= CTRACK_TYPE_INET_PROTO,
	[CTRACK_KEY_IP6_NEXTHDR]	= CTRACK_TYPE_INET_PROTO,
	[CTRACK_KEY_IP_SADDR]		= CTRACK_TYPE_IPV4_ADDR,
	[CTRACK_KEY_IP_DADDR]		= CTRACK_TYPE_IPV4_ADDR,
	[CTRACK_KEY_IP6_SADDR]		= CTRACK_TYPE_IPV6_ADDR,
	[CTRACK_KEY_IP6_DADDR]		= CTRACK_TYPE_IPV6_ADDR,
	[CTRACK_KEY_TCP_SPORT]		= CTRACK_TYPE_INET_SERVICE,
	[CTRACK_KEY_TCP_DPORT]		= CTRACK_TYPE_INET_SERVICE,
	[CTRACK_KEY_UDP_SPORT]		= CTRACK_TYPE_INET_SERVICE,
	[CTRACK_KEY_UDP_DPORT]		= CTRACK_TYPE_INET_SERVICE,
	[CTRACK_KEY_TH_SPORT]		= CTRACK_TYPE_INET_SERVICE,
	[CTRACK_KEY_TH_DPORT]		= CTRACK_TYPE_INET_SERVICE,
	[CTRACK_KEY_TCP_FLAGS]		= CTRACK_TYPE_TCP_FLAG,
	[CTRACK_KEY_ICMP_TYPE]		= CTRACK_TYPE_ICMP_TYPE,
	[CTRACK_KEY_ICMP_CODE]		= CTRACK_TYPE_ICMP_CODE,
	[CTRACK_KEY_ICMPV6_TYPE]	= CTRACK_TYPE_ICMPV6_TYPE,
	[CTRACK_KEY_ICMPV6_CODE]	= CTRACK_TYPE_ICMPV6_CODE,
	[CTRACK_KEY_IIF]		= CTRACK_TYPE_IFACE_INDEX,
	[CTRACK_KEY_OIF]		= CTRACK_TYPE_IFACE_INDEX,
	[CTRACK_KEY_IIFNAME]		= CTRACK_TYPE_IFNAME,
	[CTRACK_KEY_OIFNAME]		= CTRACK_TYPE_IFNAME,
	[CTRACK_KEY_CT_STATE]		= CTRACK_TYPE_CT_STATE,
};

u8 ct_key_type(u8 key)
{
	return key < __CTRACK_KEY_MAX ? key_type[key] : CTRACK_TYPE_UNSPEC;
}
EXPORT_SYMBOL_IF_KUNIT(ct_key_type);

static bool th_proto(u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_UDPLITE || proto == IPPROTO_SCTP ||
	       proto == IPPROTO_DCCP;
}

/* The ports of the protocols the tuple does not track, from the header. */
static bool th_ports(const struct ct_rule_pkt *p, __be16 *sport, __be16 *dport)
{
	const struct ct_tuple *t = &p->pkt->tuple;
	__be16 _ports[2];
	const __be16 *ports;

	if (t->proto == IPPROTO_TCP || t->proto == IPPROTO_UDP) {
		*sport = t->sport;
		*dport = t->dport;
		return true;
	}
	if (!p->skb || p->pkt->l4len < sizeof(_ports))
		return false;
	ports = skb_header_pointer(p->skb, p->pkt->l4off, sizeof(_ports), _ports);
	if (!ports)
		return false;
	*sport = ports[0];
	*dport = ports[1];
	return true;
}

static int tcp_flags(struct ct_rule_pkt *p)
{
	u8 _b;
	const u8 *b;

	if (p->tcp_flags >= 0)
		return p->tcp_flags;
	if (!p->skb || p->pkt->l4len < 14)
		return -1;
	b = skb_header_pointer(p->skb, p->pkt->l4off + 13, 1, &_b);
	if (!b)
		return -1;
	p->tcp_flags = *b;
	return p->tcp_flags;
}

static bool name_key(const char *name, struct ct_key *k)
{
	char buf[IFNAMSIZ];

	if (!name)
		return false;
	strscpy_pad(buf, name, sizeof(buf));
	ct_key_from_bytes(k, buf, sizeof(buf));
	return true;
}

/* What @key reads from the packet; false when the packet has no such thing. */
static bool pkt_value(struct ct_rule_pkt *p, u8 key, struct ct_key *k, u32 *v)
{
	const struct ct_tuple *t = &p->pkt->tuple;
	bool v4 = t->l3 == NFPROTO_IPV4;
	__be16 sport, dport;
	int flags;

	switch (key) {
	case CTRACK_KEY_NFPROTO:
		*v = t->l3;
		break;
	case CTRACK_KEY_L4PROTO:
		*v = t->proto;
		break;
	case CTRACK_KEY_IP_PROTOCOL:
		if (!v4)
			return false;
		*v = t->proto;
		break;
	case CTRACK_KEY_IP6_NEXTHDR:
		if (v4)
			return false;
		*v = t->proto;
		break;
	case CTRACK_KEY_IP_SADDR:
	case CTRACK_KEY_IP_DADDR:
		if (!v4)
			return false;
		/* ct_key_from_bytes() of 4 bytes, without the copy */
		k->hi = (u64)ntohl(key == CTRACK_KEY_IP_SADDR ? t->src.ip : t->dst.ip) << 32;
		k->lo = 0;
		return true;
	case CTRACK_KEY_IP6_SADDR:
	case CTRACK_KEY_IP6_DADDR:
		if (v4)
			return false;
		ct_key_from_bytes(k, key == CTRACK_KEY_IP6_SADDR ? &t->src : &t->dst, 16);
		return true;
	case CTRACK_KEY_TCP_SPORT:
	case CTRACK_KEY_TCP_DPORT:
		if (t->proto != IPPROTO_TCP)
			return false;
		*v = ntohs(key == CTRACK_KEY_TCP_SPORT ? t->sport : t->dport);
		break;
	case CTRACK_KEY_UDP_SPORT:
	case CTRACK_KEY_UDP_DPORT:
		if (t->proto != IPPROTO_UDP)
			return false;
		*v = ntohs(key == CTRACK_KEY_UDP_SPORT ? t->sport : t->dport);
		break;
	case CTRACK_KEY_TH_SPORT:
	case CTRACK_KEY_TH_DPORT:
		if (!th_proto(t->proto) || !th_ports(p, &sport, &dport))
			return false;
		*v = ntohs(key == CTRACK_KEY_TH_SPORT ? sport : dport);
		break;
	case CTRACK_KEY_TCP_FLAGS:
		if (t->proto != IPPROTO_TCP)
			return false;
		flags = tcp_flags(p);
		if (flags < 0)
			return false;
		*v = flags;
		break;
	case CTRACK_KEY_ICMP_TYPE:
	case CTRACK_KEY_ICMP_CODE:
		if (!v4 || t->proto != IPPROTO_ICMP)
			return false;
		*v = key == CTRACK_KEY_ICMP_TYPE ? p->pkt->icmp_type : p->pkt->icmp_code;
		break;
	case CTRACK_KEY_ICMPV6_TYPE:
	case CTRACK_KEY_ICMPV6_CODE:
		if (v4 || t->proto != IPPROTO_ICMPV6)
			return false;
		*v = key == CTRACK_KEY_ICMPV6_TYPE ? p->pkt->icmp_type : p->pkt->icmp_code;
		break;
	case CTRACK_KEY_IIF:
		if (!p->iif)
			return false;
		*v = p->iif;
		break;
	case CTRACK_KEY_OIF:
		if (!p->oif)
			return false;
		*v = p->oif;
		break;
	case CTRACK_KEY_IIFNAME:
		return name_key(p->iifname, k);
	case CTRACK_KEY_OIFNAME:
		return name_key(p->oifname, k);
	case CTRACK_KEY_CT_STATE:
		*v = CTRACK_CTSTATE_BIT(p->ctstate);
		break;
	default:
		return false;
	}
	k->hi = *v;
	k->lo = 0;
	return true;
}

bool ct_match_eval(const struct ct_match *m, struct ct_rule_pkt *p)
{
	struct ct_key k;
	bool hit = false;
	u32 v = 0;

	if (!pkt_value(p, m->key, &k, &v))
		return false;
	switch (m->op) {
	case CT_OP_RANGE:
		hit = ct_key_cmp(&k, &m->lo) >= 0 && ct_key_cmp(&k, &m->hi) <= 0;
		break;
	case CT_OP_MASK:
		hit = (v & m->mask) == m->value;
		break;
	case CT_OP_FLAGS:
		hit = v & m->mask;
		break;
	case CT_OP_SET:
		hit = ct_set_lookup(rcu_dereference(m->set->body), &k, p->now);
		break;
	case CT_OP_ANON:
		hit = ct_set_lookup(m->anon, &k, p->now);
		break;
	}
	return hit != m->neg;
}
EXPORT_SYMBOL_IF_KUNIT(ct_match_eval);

/* Rules. */

struct ct_rule *ct_rule_alloc(unsigned int nmatch, gfp_t gfp)
{
	struct ct_rule *r;
	int cpu;

	r = kzalloc(struct_size(r, m, nmatch), gfp);
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
	r->states = CT_ALL_CTSTATES;
	return r;
}
EXPORT_SYMBOL_IF_KUNIT(ct_rule_alloc);

/*
 * The last reference of a published rule goes in free_work_fn(), a grace
 * period after the rule set that held it was replaced.
 */
void ct_rule_put(struct ct_rule *r)
{
	unsigned int i;

	if (!r || !refcount_dec_and_test(&r->ref))
		return;
	for (i = 0; i < r->nmatch; i++) {
		ct_set_put(r->m[i].set);
		ct_set_body_free(r->m[i].anon);
	}
	ct_set_body_free(r->vmap);
	kfree(r->comment);
	free_percpu(r->ctr);
	kfree(r);
}
EXPORT_SYMBOL_IF_KUNIT(ct_rule_put);

void ct_rule_finish(struct ct_rule *r)
{
	struct ct_pkt pkt = {};
	struct ct_rule_pkt p = { .pkt = &pkt, .tcp_flags = -1 };
	unsigned int i, s;
	u8 ok;

	r->states = CT_ALL_CTSTATES;
	for (i = 0; i < r->nmatch; i++) {
		struct ct_match *m = &r->m[i];

		/* A named set can change under the lists: it is asked per packet. */
		if (m->key != CTRACK_KEY_CT_STATE || m->op == CT_OP_SET)
			continue;
		for (ok = 0, s = 0; s < __CTRACK_CTSTATE_MAX; s++) {
			p.ctstate = s;
			if (ct_match_eval(m, &p))
				ok |= CTRACK_CTSTATE_BIT(s);
		}
		r->states &= ok;
		m->decided = true;
	}
}
EXPORT_SYMBOL_IF_KUNIT(ct_rule_finish);

/*
 * nft's dependencies of a reject: `with tcp reset` matches TCP only, `with
 * icmp` IPv4 only and `with icmpv6` IPv6 only; other packets go on.
 */
static bool reject_applies(const struct ct_rule *r, const struct ct_rule_pkt *p)
{
	switch (r->reject_type) {
	case CTRACK_REJECT_TCP_RST:
		return p->pkt->tuple.proto == IPPROTO_TCP;
	case CTRACK_REJECT_ICMP:
		return p->pkt->tuple.l3 == NFPROTO_IPV4;
	case CTRACK_REJECT_ICMPV6:
		return p->pkt->tuple.l3 == NFPROTO_IPV6;
	}
	return true;
}

static bool rule_match(const struct ct_rule *r, struct ct_rule_pkt *p)
{
	unsigned int i;

	if (r->verdict == CTRACK_VERDICT_REJECT && !reject_applies(r, p))
		return false;
	for (i = 0; i < r->nmatch; i++)
		if (!r->m[i].decided && !ct_match_eval(&r->m[i], p))
			return false;
	return true;
}

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

	*packets = r->packets0;
	*bytes = r->bytes0;
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

/* Evaluation. */

struct frame {
	const struct ct_chain *ch;
	u32 i;
};

/* One base chain and what it jumps to; the stack depth was checked at build. */
static u8 run_base(const struct ct_rtable *t, const struct ct_chain *base,
		   struct ct_rule_pkt *p, unsigned int len,
		   struct ct_reject *rej, const struct ct_rule **hit)
{
	struct frame stack[CT_JUMP_DEPTH];
	const struct ct_chain *ch = base;
	unsigned int depth = 0;
	u32 i = 0;

	for (;;) {
		struct ct_rule * const *cand = ch->cand[p->ctstate];
		u32 n = ch->ncand[p->ctstate];
		const struct ct_chain *next = NULL;

		for (; i < n && !next; i++) {
			struct ct_rule *r = cand[i];
			u16 target = r->target;
			u8 v = r->verdict;

			if (!rule_match(r, p))
				continue;
			rule_count(r, len);
			if (r->has_vmap) {
				const struct ct_elem *e;
				struct ct_key k;
				u32 val = 0;

				if (!pkt_value(p, r->vmap_key, &k, &val))
					continue;
				e = ct_set_lookup(r->vmap, &k, p->now);
				if (!e)
					continue;
				v = e->verdict;
				target = e->target;
			}
			switch (v) {
			case CTRACK_VERDICT_CONTINUE:
				continue;
			case CTRACK_VERDICT_JUMP:
				if (depth == CT_JUMP_DEPTH) {
					*hit = r;
					return CTRACK_VERDICT_DROP;
				}
				stack[depth].ch = ch;
				stack[depth++].i = i + 1;
				next = t->chains[target];
				break;
			case CTRACK_VERDICT_GOTO:
				next = t->chains[target];
				break;
			case CTRACK_VERDICT_RETURN:
				i = n;
				break;
			default:
				*hit = r;
				rej->type = r->reject_type;
				rej->code = r->reject_code;
				return v;
			}
			if (i == n)
				break;
		}
		if (next) {
			ch = next;
			i = 0;
			continue;
		}
		/* The end of a chain, or RETURN: back to the caller, or the policy. */
		if (!depth) {
			*hit = NULL;
			return base->policy;
		}
		depth--;
		ch = stack[depth].ch;
		i = stack[depth].i;
	}
}

static bool family_admits(u8 family, u8 l3)
{
	return family == NFPROTO_INET || family == l3;
}

u8 ct_ruleset_eval(const struct ct_ruleset *rs, enum ctrack_hook hook,
		   struct ct_rule_pkt *p, unsigned int len,
		   struct ct_reject *rej, const struct ct_rule **hit)
{
	u32 i;

	*hit = NULL;
	for (i = 0; i < rs->nbase[hook]; i++) {
		const struct ct_base *b = &rs->base[hook][i];
		u8 v;

		if (!family_admits(b->t->family, p->pkt->tuple.l3))
			continue;
		v = run_base(b->t, b->ch, p, len, rej, hit);
		if (v != CTRACK_VERDICT_ACCEPT)
			return v;
	}
	return CTRACK_VERDICT_ACCEPT;
}
EXPORT_SYMBOL_IF_KUNIT(ct_ruleset_eval);

u8 ct_rules_eval(struct ct_net *cn, enum ctrack_hook hook,
		 const struct ct_pkt *pkt, enum ctrack_ctstate ctstate,
		 const struct sk_buff *skb, const struct nf_hook_state *state,
		 struct ct_reject *rej)
{
	const struct ct_ruleset *rs = rcu_dereference(cn->rules.cur);
	const struct ct_rule *hit;
	struct ct_rule_pkt p = {
		.pkt = pkt,
		.skb = skb,
		.ctstate = ctstate,
		.tcp_flags = -1,
		.iif = state->in ? state->in->ifindex : 0,
		.oif = state->out ? state->out->ifindex : 0,
		.iifname = state->in ? state->in->name : NULL,
		.oifname = state->out ? state->out->name : NULL,
		.now = jiffies,
	};

	if (unlikely(!rs || (unsigned int)hook >= __CTRACK_HOOK_MAX ||
		     (unsigned int)ctstate >= __CTRACK_CTSTATE_MAX))
		return CTRACK_VERDICT_ACCEPT;
	return ct_ruleset_eval(rs, hook, &p, skb->len, rej, &hit);
}

/* Lifetime. */

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
	kvfree(ch->cand[0]);
	kfree(ch);
}

static void table_put(struct ct_rtable *t)
{
	u32 i;

	if (!t || !refcount_dec_and_test(&t->ref))
		return;
	for (i = 0; i < t->nchains; i++)
		chain_put(t->chains[i]);
	for (i = 0; i < t->nsets; i++)
		ct_set_put(t->sets[i]);
	kvfree(t->chains);
	kvfree(t->sets);
	kfree(t);
}

/* Process context: a draft, or a set past its grace period. */
void ct_ruleset_free(struct ct_ruleset *rs)
{
	u32 i;

	if (!rs)
		return;
	for (i = 0; i < rs->ntables; i++)
		table_put(rs->tables[i]);
	for (i = 0; i < __CTRACK_HOOK_MAX; i++)
		kvfree(rs->base[i]);
	kvfree(rs->tables);
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

static struct ct_ruleset *rules_cur(struct ct_net *cn)
{
	return rcu_dereference_protected(cn->rules.cur,
					 lockdep_is_held(&cn->cfg_lock));
}

struct ct_ruleset *ct_rules_get(struct ct_net *cn)
{
	return rcu_dereference_check(cn->rules.cur,
				     lockdep_is_held(&cn->cfg_lock));
}
EXPORT_SYMBOL_IF_KUNIT(ct_rules_get);

/* Drafts: copy on write. */

/* Grows @*arr of @n pointers to room for @n + 1. */
static int grow(void ***arr, u32 n)
{
	void **na = kvmalloc_array(n + 1, sizeof(*na), GFP_KERNEL_ACCOUNT);

	if (!na)
		return -ENOMEM;
	if (n)
		memcpy(na, *arr, n * sizeof(*na));
	kvfree(*arr);
	*arr = na;
	return 0;
}

struct ct_ruleset *ct_draft_begin(struct ct_net *cn, bool empty)
{
	struct ct_ruleset *cur = rules_cur(cn), *d;
	u32 i;

	d = kzalloc(sizeof(*d), GFP_KERNEL_ACCOUNT);
	if (!d)
		return NULL;
	d->next_handle = cn->rules.next_handle;
	if (empty || !cur || !cur->ntables)
		return d;
	d->next_seq = cur->next_seq;
	d->tables = kvmalloc_array(cur->ntables, sizeof(*d->tables),
				   GFP_KERNEL_ACCOUNT);
	if (!d->tables) {
		kfree(d);
		return NULL;
	}
	for (i = 0; i < cur->ntables; i++) {
		d->tables[i] = cur->tables[i];
		refcount_inc(&d->tables[i]->ref);
	}
	d->ntables = cur->ntables;
	return d;
}
EXPORT_SYMBOL_IF_KUNIT(ct_draft_begin);

static struct ct_rtable *table_mut(struct ct_ruleset *d, int ti)
{
	struct ct_rtable *t = d->tables[ti], *nt;
	u32 i;

	if (t->draft)
		return t;
	nt = kmemdup(t, sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!nt)
		return NULL;
	nt->chains = kvmalloc_array(max(t->nchains, 1U), sizeof(*nt->chains),
				    GFP_KERNEL_ACCOUNT);
	nt->sets = kvmalloc_array(max(t->nsets, 1U), sizeof(*nt->sets),
				  GFP_KERNEL_ACCOUNT);
	if (!nt->chains || !nt->sets) {
		kvfree(nt->chains);
		kvfree(nt->sets);
		kfree(nt);
		return NULL;
	}
	for (i = 0; i < t->nchains; i++) {
		nt->chains[i] = t->chains[i];
		refcount_inc(&nt->chains[i]->ref);
	}
	for (i = 0; i < t->nsets; i++) {
		nt->sets[i] = t->sets[i];
		refcount_inc(&nt->sets[i]->ref);
	}
	refcount_set(&nt->ref, 1);
	nt->draft = true;
	d->tables[ti] = nt;
	table_put(t);
	return nt;
}

static struct ct_chain *chain_mut(struct ct_ruleset *d, int ti, int ci)
{
	struct ct_rtable *t = table_mut(d, ti);
	struct ct_chain *ch, *nc;
	u32 i;

	if (!t)
		return NULL;
	ch = t->chains[ci];
	if (ch->draft)
		return ch;
	nc = kmemdup(ch, sizeof(*ch), GFP_KERNEL_ACCOUNT);
	if (!nc)
		return NULL;
	memset(nc->cand, 0, sizeof(nc->cand));
	memset(nc->ncand, 0, sizeof(nc->ncand));
	nc->rules = NULL;
	nc->cap = ch->n;
	if (ch->n) {
		nc->rules = kvmalloc_array(ch->n, sizeof(*nc->rules),
					   GFP_KERNEL_ACCOUNT);
		if (!nc->rules) {
			kfree(nc);
			return NULL;
		}
	}
	for (i = 0; i < ch->n; i++) {
		nc->rules[i] = ch->rules[i];
		refcount_inc(&nc->rules[i]->ref);
	}
	refcount_set(&nc->ref, 1);
	nc->draft = true;
	t->chains[ci] = nc;
	chain_put(ch);
	return nc;
}

struct ct_rtable *ct_table_find(const struct ct_ruleset *rs, u8 family,
				const char *name, int *idx)
{
	u32 i;

	for (i = 0; i < rs->ntables; i++) {
		struct ct_rtable *t = rs->tables[i];

		if (t->family == family && !strcmp(t->name, name)) {
			if (idx)
				*idx = i;
			return t;
		}
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(ct_table_find);

int ct_chain_find(const struct ct_rtable *t, const char *name)
{
	u32 i;

	for (i = 0; i < t->nchains; i++)
		if (!strcmp(t->chains[i]->name, name))
			return i;
	return -1;
}
EXPORT_SYMBOL_IF_KUNIT(ct_chain_find);

int ct_set_find_idx(const struct ct_rtable *t, const char *name)
{
	u32 i;

	for (i = 0; i < t->nsets; i++)
		if (!strcmp(t->sets[i]->name, name))
			return i;
	return -1;
}
EXPORT_SYMBOL_IF_KUNIT(ct_set_find_idx);

static int lookup(const struct ct_ruleset *rs, int ti, const char *name,
		  int *tidx, bool set, struct netlink_ext_ack *extack)
{
	const char *what = set ? "set" : "chain";
	int i, found = -1, idx = -1, k;

	if (ti >= 0) {
		const struct ct_rtable *t = rs->tables[ti];

		idx = set ? ct_set_find_idx(t, name) : ct_chain_find(t, name);
		if (idx < 0) {
			ct_errf(extack, "no %s %s in table %s %s", what, name,
				family_name(t->family), t->name);
			return -ENOENT;
		}
		*tidx = ti;
		return idx;
	}
	for (i = 0; i < rs->ntables; i++) {
		const struct ct_rtable *t = rs->tables[i];

		k = set ? ct_set_find_idx(t, name) : ct_chain_find(t, name);
		if (k < 0)
			continue;
		if (found >= 0) {
			ct_errf(extack, "%s %s exists in tables %s %s and %s %s: name the table",
				what, name, family_name(rs->tables[found]->family),
				rs->tables[found]->name, family_name(t->family),
				t->name);
			return -EINVAL;
		}
		found = i;
		idx = k;
	}
	if (found < 0) {
		ct_errf(extack, "no %s %s", what, name);
		return -ENOENT;
	}
	*tidx = found;
	return idx;
}

int ct_draft_lookup_chain(const struct ct_ruleset *rs, int ti, const char *name,
			  int *tidx, struct netlink_ext_ack *extack)
{
	return lookup(rs, ti, name, tidx, false, extack);
}
EXPORT_SYMBOL_IF_KUNIT(ct_draft_lookup_chain);

int ct_draft_lookup_set(const struct ct_ruleset *rs, int ti, const char *name,
			int *tidx, struct netlink_ext_ack *extack)
{
	return lookup(rs, ti, name, tidx, true, extack);
}
EXPORT_SYMBOL_IF_KUNIT(ct_draft_lookup_set);

/* Returns the table's index; an existing one is opened again, as nft does. */
int ct_draft_table_add(struct ct_ruleset *d, u8 family, const char *name,
		       struct netlink_ext_ack *extack)
{
	struct ct_rtable *t;
	int idx;

	if (ct_table_find(d, family, name, &idx))
		return idx;
	if (d->ntables >= CT_TABLES_MAX) {
		NL_SET_ERR_MSG(extack, "too many tables (at most 1024)");
		return -ENOSPC;
	}
	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return -ENOMEM;
	if (grow((void ***)&d->tables, d->ntables)) {
		kfree(t);
		return -ENOMEM;
	}
	refcount_set(&t->ref, 1);
	t->draft = true;
	t->family = family;
	strscpy(t->name, name, sizeof(t->name));
	d->tables[d->ntables] = t;
	return d->ntables++;
}
EXPORT_SYMBOL_IF_KUNIT(ct_draft_table_add);

/*
 * Returns the chain's index. A chain declared again (a load splits a long
 * chain into parts) is the same chain; a hook given again must agree.
 */
int ct_draft_chain_add(struct ct_ruleset *d, int ti, const char *name, u8 hook,
		       s32 prio, u8 policy, struct netlink_ext_ack *extack)
{
	struct ct_rtable *t = table_mut(d, ti);
	struct ct_chain *ch;
	int ci;

	if (!t)
		return -ENOMEM;
	ci = ct_chain_find(t, name);
	if (ci >= 0) {
		ch = t->chains[ci];
		if (hook == CT_HOOK_NONE)
			return ci;
		if (ch->hook != hook || ch->prio != prio) {
			ct_errf(extack, "chain %s declared again with another hook or priority",
				name);
			return -EINVAL;
		}
		if (policy == CTRACK_VERDICT_CONTINUE || policy == ch->policy)
			return ci;
		ch = chain_mut(d, ti, ci);
		if (!ch)
			return -ENOMEM;
		ch->policy = policy;
		return ci;
	}
	if (t->nchains >= CT_CHAINS_MAX) {
		ct_errf(extack, "too many chains in table %s (at most 4096)", t->name);
		return -ENOSPC;
	}
	ch = kzalloc(sizeof(*ch), GFP_KERNEL_ACCOUNT);
	if (!ch)
		return -ENOMEM;
	if (grow((void ***)&t->chains, t->nchains)) {
		kfree(ch);
		return -ENOMEM;
	}
	refcount_set(&ch->ref, 1);
	ch->draft = true;
	ch->hook = hook;
	ch->prio = prio;
	ch->policy = policy ?: CTRACK_VERDICT_ACCEPT;
	ch->seq = d->next_seq++;
	strscpy(ch->name, name, sizeof(ch->name));
	t->chains[t->nchains] = ch;
	return t->nchains++;
}
EXPORT_SYMBOL_IF_KUNIT(ct_draft_chain_add);

/* Takes over @s. */
int ct_draft_set_add(struct ct_ruleset *d, int ti, struct ct_set *s,
		     struct netlink_ext_ack *extack)
{
	struct ct_rtable *t = table_mut(d, ti);

	if (!t)
		goto err_nomem;
	if (ct_set_find_idx(t, s->name) >= 0) {
		ct_errf(extack, "set %s exists in table %s %s", s->name,
			family_name(t->family), t->name);
		ct_set_put(s);
		return -EEXIST;
	}
	if (t->nsets >= CT_SETS_MAX) {
		ct_errf(extack, "too many sets in table %s (at most 4096)", t->name);
		ct_set_put(s);
		return -ENOSPC;
	}
	if (grow((void ***)&t->sets, t->nsets))
		goto err_nomem;
	t->sets[t->nsets] = s;
	return t->nsets++;

err_nomem:
	ct_set_put(s);
	return -ENOMEM;
}
EXPORT_SYMBOL_IF_KUNIT(ct_draft_set_add);

int ct_draft_set_del(struct ct_ruleset *d, int ti, int si,
		     struct netlink_ext_ack *extack)
{
	struct ct_rtable *t = d->tables[ti];
	struct ct_set *s = t->sets[si];
	u32 c, i, j;

	for (c = 0; c < t->nchains; c++) {
		const struct ct_chain *ch = t->chains[c];

		for (i = 0; i < ch->n; i++)
			for (j = 0; j < ch->rules[i]->nmatch; j++)
				if (ch->rules[i]->m[j].set == s) {
					ct_errf(extack, "set %s is used by rule %u of chain %s",
						s->name, ch->rules[i]->handle, ch->name);
					return -EBUSY;
				}
	}
	t = table_mut(d, ti);
	if (!t)
		return -ENOMEM;
	ct_set_put(s);
	memmove(t->sets + si, t->sets + si + 1, (t->nsets - si - 1) * sizeof(*t->sets));
	t->nsets--;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ct_draft_set_del);

static int find_handle(const struct ct_chain *ch, u32 handle)
{
	u32 i;

	for (i = 0; i < ch->n; i++)
		if (ch->rules[i]->handle == handle)
			return i;
	return -1;
}

int ct_draft_rule_add(struct ct_ruleset *d, int ti, int ci, struct ct_rule *r,
		      u32 before, u32 *handle, struct netlink_ext_ack *extack)
{
	struct ct_chain *ch = d->tables[ti]->chains[ci];
	u32 at;
	int ret;

	if (ch->n >= CT_RULES_MAX) {
		ct_errf(extack, "chain %s is full (65536 rules)", ch->name);
		ret = -ENOSPC;
		goto err;
	}
	if (before == CT_RULE_HEAD) {
		at = 0;
	} else if (before) {
		int i = find_handle(ch, before);

		if (i < 0) {
			ct_errf(extack, "no rule with handle %u in chain %s",
				before, ch->name);
			ret = -ENOENT;
			goto err;
		}
		at = i;
	} else {
		at = ch->n;
	}
	if (d->next_handle >= CT_RULE_HEAD - 1) {
		NL_SET_ERR_MSG(extack, "rule handles exhausted in this namespace");
		ret = -ENOSPC;
		goto err;
	}
	ch = chain_mut(d, ti, ci);
	if (!ch) {
		ret = -ENOMEM;
		goto err;
	}
	if (ch->n == ch->cap) {
		u32 cap = max(16U, ch->cap * 2);
		struct ct_rule **nr;

		nr = kvmalloc_array(cap, sizeof(*nr), GFP_KERNEL_ACCOUNT);
		if (!nr) {
			ret = -ENOMEM;
			goto err;
		}
		if (ch->n)
			memcpy(nr, ch->rules, ch->n * sizeof(*nr));
		kvfree(ch->rules);
		ch->rules = nr;
		ch->cap = cap;
	}
	memmove(ch->rules + at + 1, ch->rules + at, (ch->n - at) * sizeof(*ch->rules));
	ch->rules[at] = r;
	ch->n++;
	r->handle = ++d->next_handle;
	if (handle)
		*handle = r->handle;
	return 0;

err:
	ct_rule_put(r);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ct_draft_rule_add);

int ct_draft_rule_del(struct ct_ruleset *d, int ti, int ci, u32 handle,
		      struct netlink_ext_ack *extack)
{
	struct ct_chain *ch = d->tables[ti]->chains[ci];
	int i = find_handle(ch, handle);

	if (i < 0) {
		ct_errf(extack, "no rule with handle %u in chain %s", handle, ch->name);
		return -ENOENT;
	}
	ch = chain_mut(d, ti, ci);
	if (!ch)
		return -ENOMEM;
	ct_rule_put(ch->rules[i]);
	memmove(ch->rules + i, ch->rules + i + 1, (ch->n - i - 1) * sizeof(*ch->rules));
	ch->n--;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ct_draft_rule_del);

static int flush_chain(struct ct_ruleset *d, int ti, int ci)
{
	struct ct_chain *ch;
	u32 i;

	if (!d->tables[ti]->chains[ci]->n)
		return 0;
	ch = chain_mut(d, ti, ci);
	if (!ch)
		return -ENOMEM;
	for (i = 0; i < ch->n; i++)
		ct_rule_put(ch->rules[i]);
	ch->n = 0;
	return 0;
}

int ct_draft_flush(struct ct_ruleset *d, int ti, int ci)
{
	u32 t, c;
	int ret;

	if (ci >= 0)
		return flush_chain(d, ti, ci);
	for (t = 0; t < d->ntables; t++) {
		if (ti >= 0 && t != ti)
			continue;
		for (c = 0; c < d->tables[t]->nchains; c++) {
			ret = flush_chain(d, t, c);
			if (ret)
				return ret;
		}
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ct_draft_flush);

int ct_draft_policy(struct ct_ruleset *d, int ti, int ci, u8 policy,
		    struct netlink_ext_ack *extack)
{
	struct ct_chain *ch = d->tables[ti]->chains[ci];

	if (ch->hook == CT_HOOK_NONE) {
		ct_errf(extack, "chain %s is a regular chain: it has no policy",
			ch->name);
		return -EINVAL;
	}
	ch = chain_mut(d, ti, ci);
	if (!ch)
		return -ENOMEM;
	ch->policy = policy;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ct_draft_policy);

/* Validation and publication. */

static int chain_lists(struct ct_chain *ch)
{
	struct ct_rule **mem;
	u32 i, s;

	kvfree(ch->cand[0]);
	memset(ch->cand, 0, sizeof(ch->cand));
	memset(ch->ncand, 0, sizeof(ch->ncand));
	if (!ch->n)
		return 0;
	mem = kvmalloc_array(ch->n, sizeof(*mem) * __CTRACK_CTSTATE_MAX,
			     GFP_KERNEL_ACCOUNT);
	if (!mem)
		return -ENOMEM;
	for (s = 0; s < __CTRACK_CTSTATE_MAX; s++)
		ch->cand[s] = mem + (size_t)ch->n * s;
	for (i = 0; i < ch->n; i++) {
		struct ct_rule *r = ch->rules[i];

		for (s = 0; s < __CTRACK_CTSTATE_MAX; s++)
			if (r->states & CTRACK_CTSTATE_BIT(s))
				ch->cand[s][ch->ncand[s]++] = r;
		if (!(i & 1023))
			cond_resched();
	}
	return 0;
}

static bool is_jump(u8 v)
{
	return v == CTRACK_VERDICT_JUMP || v == CTRACK_VERDICT_GOTO;
}

/* The next jump or goto of @ch from the cursor (*ri, *ei). */
static bool next_edge(const struct ct_chain *ch, u32 *ri, u32 *ei,
		      u16 *target, u32 *weight)
{
	for (; *ri < ch->n; (*ri)++, *ei = 0) {
		const struct ct_rule *r = ch->rules[*ri];

		if (r->has_vmap) {
			while (*ei < r->vmap->n) {
				const struct ct_elem *e = &r->vmap->elem[(*ei)++];

				if (is_jump(e->verdict)) {
					*target = e->target;
					*weight = e->verdict == CTRACK_VERDICT_JUMP;
					return true;
				}
			}
			continue;
		}
		if (!*ei && is_jump(r->verdict)) {
			*ei = 1;
			*target = r->target;
			*weight = r->verdict == CTRACK_VERDICT_JUMP;
			return true;
		}
	}
	return false;
}

struct dfs_frame {
	u32 c, ri, ei, w, depth;
};

/*
 * Refuses loops and jump stacks deeper than CT_JUMP_DEPTH. Iterative: a
 * goto chain may be 4096 chains long, too much for the kernel stack.
 */
static int check_jumps(const struct ct_rtable *t, struct netlink_ext_ack *extack)
{
	struct dfs_frame *stk;
	u32 *depth, root, sp, n = t->nchains;
	u8 *color;
	int ret = 0;

	if (!n)
		return 0;
	stk = kvmalloc_array(n, sizeof(*stk), GFP_KERNEL);
	depth = kvcalloc(n, sizeof(*depth), GFP_KERNEL);
	color = kvzalloc(n, GFP_KERNEL);
	if (!stk || !depth || !color) {
		ret = -ENOMEM;
		goto out;
	}
	for (root = 0; root < n; root++) {
		if (color[root])
			continue;
		sp = 0;
		stk[sp++] = (struct dfs_frame){ .c = root };
		color[root] = 1;
		while (sp) {
			struct dfs_frame *f = &stk[sp - 1];
			u16 to;
			u32 w;

			if (next_edge(t->chains[f->c], &f->ri, &f->ei, &to, &w)) {
				if (color[to] == 1) {
					ct_errf(extack, "chain %s jumps back to chain %s: a loop",
						t->chains[f->c]->name, t->chains[to]->name);
					ret = -ELOOP;
					goto out;
				}
				if (color[to] == 2) {
					f->depth = max(f->depth, depth[to] + w);
					continue;
				}
				color[to] = 1;
				stk[sp++] = (struct dfs_frame){ .c = to, .w = w };
				continue;
			}
			depth[f->c] = f->depth;
			color[f->c] = 2;
			if (--sp)
				stk[sp - 1].depth = max(stk[sp - 1].depth,
							f->depth + f->w);
		}
	}
	for (root = 0; root < n; root++) {
		if (t->chains[root]->hook != CT_HOOK_NONE &&
		    depth[root] > CT_JUMP_DEPTH) {
			ct_errf(extack, "jumps from chain %s nest deeper than 16",
				t->chains[root]->name);
			ret = -EMLINK;
			goto out;
		}
	}
out:
	kvfree(color);
	kvfree(depth);
	kvfree(stk);
	return ret;
}

static int base_cmp(const void *a, const void *b)
{
	const struct ct_base *x = a, *y = b;

	if (x->ch->prio != y->ch->prio)
		return x->ch->prio < y->ch->prio ? -1 : 1;
	return x->ch->seq < y->ch->seq ? -1 : x->ch->seq > y->ch->seq;
}

/* Settles a draft: candidate lists, the jump graph, the base chains per hook. */
static int finalize(struct ct_ruleset *d, struct netlink_ext_ack *extack)
{
	u32 n[__CTRACK_HOOK_MAX] = {}, i, c;
	int h, ret;

	for (i = 0; i < d->ntables; i++) {
		struct ct_rtable *t = d->tables[i];

		if (!t->draft)
			continue;
		for (c = 0; c < t->nchains; c++) {
			if (!t->chains[c]->draft)
				continue;
			ret = chain_lists(t->chains[c]);
			if (ret)
				return ret;
		}
		ret = check_jumps(t, extack);
		if (ret)
			return ret;
	}
	for (i = 0; i < d->ntables; i++)
		for (c = 0; c < d->tables[i]->nchains; c++)
			if (d->tables[i]->chains[c]->hook != CT_HOOK_NONE)
				n[d->tables[i]->chains[c]->hook]++;
	for (h = 0; h < __CTRACK_HOOK_MAX; h++) {
		kvfree(d->base[h]);
		d->nbase[h] = 0;
		d->base[h] = kvmalloc_array(max(n[h], 1U), sizeof(*d->base[h]),
					    GFP_KERNEL_ACCOUNT);
		if (!d->base[h])
			return -ENOMEM;
	}
	for (i = 0; i < d->ntables; i++) {
		for (c = 0; c < d->tables[i]->nchains; c++) {
			const struct ct_chain *ch = d->tables[i]->chains[c];

			if (ch->hook == CT_HOOK_NONE)
				continue;
			d->base[ch->hook][d->nbase[ch->hook]++] =
				(struct ct_base){ .t = d->tables[i], .ch = ch };
		}
	}
	for (h = 0; h < __CTRACK_HOOK_MAX; h++)
		sort(d->base[h], d->nbase[h], sizeof(*d->base[h]), base_cmp, NULL);
	for (i = 0; i < d->ntables; i++) {
		d->tables[i]->draft = false;
		for (c = 0; c < d->tables[i]->nchains; c++)
			d->tables[i]->chains[c]->draft = false;
	}
	return 0;
}

int ct_draft_check(struct ct_ruleset *d, struct netlink_ext_ack *extack)
{
	int ret = finalize(d, extack);

	ct_ruleset_free(d);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ct_draft_check);

/* Consumes @d; on error nothing changed. */
int ct_draft_publish(struct ct_net *cn, struct ct_ruleset *d,
		     struct netlink_ext_ack *extack)
{
	struct ct_ruleset *old;
	int ret;

	lockdep_assert_held(&cn->cfg_lock);
	ret = finalize(d, extack);
	if (ret) {
		ct_ruleset_free(d);
		return ret;
	}
	d->gen = ++cn->rules.gen;
	cn->rules.next_handle = d->next_handle;
	old = rcu_replace_pointer(cn->rules.cur, d, lockdep_is_held(&cn->cfg_lock));
	if (!old)
		return 0;
	ruleset_free_deferred(old);
	if (atomic_read(&pending_frees) > CT_RULES_PENDING_MAX)
		ruleset_free_wait();
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ct_draft_publish);

/* table inet filter { chain input, forward, output: priority 0, policy accept } */
int ct_rules_net_init(struct ct_net *cn)
{
	static const char * const names[__CTRACK_HOOK_MAX] = {
		[CTRACK_HOOK_INPUT] = "input",
		[CTRACK_HOOK_FORWARD] = "forward",
		[CTRACK_HOOK_OUTPUT] = "output",
	};
	struct ct_ruleset *rs = kzalloc(sizeof(*rs), GFP_KERNEL_ACCOUNT);
	int h, ti, ret;

	if (!rs)
		return -ENOMEM;
	ti = ct_draft_table_add(rs, NFPROTO_INET, "filter", NULL);
	ret = ti < 0 ? ti : 0;
	for (h = 0; !ret && h < __CTRACK_HOOK_MAX; h++) {
		ret = ct_draft_chain_add(rs, ti, names[h], h, 0,
					 CTRACK_VERDICT_ACCEPT, NULL);
		if (ret > 0)
			ret = 0;
	}
	if (!ret)
		ret = finalize(rs, NULL);
	if (ret < 0) {
		ct_ruleset_free(rs);
		return ret;
	}
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
