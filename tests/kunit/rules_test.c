// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite ctrack_rules: matches one key at a time (ct_match_eval),
 * then whole rule sets loaded from RULESET_LOAD attribute streams built
 * here (ct_rules_load) and run against packets (ct_ruleset_eval): first
 * match, policies, jumps, gotos, several base chains per hook, vmaps,
 * rejects, counters, and the loads that must be refused.
 */
#include <kunit/test.h>
#include <linux/inet.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <net/netlink.h>
#include "netns.h"
#include "rules.h"
#include "rules_nl.h"
#include "set.h"

#define CS(x)	CTRACK_CTSTATE_BIT(CTRACK_CTSTATE_##x)
#define ST(x)	(CTRACK_CTSTATE_##x + 1)	/* 0 in a row means NEW */
#define FL(x)	((x) | 0x100)			/* 0 in a row means SYN */
/* (not for IP_PROTOCOL, a macro of linux/in.h: spell it out) */
#define K(x)	CTRACK_KEY_##x
#define V(x)	CTRACK_VERDICT_##x

#define TH_FIN	0x01
#define TH_SYN	0x02
#define TH_RST	0x04
#define TH_ACK	0x10

/* A packet; zero fields take the defaults of make_pkt(). */
struct pspec {
	const char *src, *dst;
	u8 proto, st, icmp_type, icmp_code;
	u16 sport, dport, flags;
	const char *iif;	/* "-": no input device */
	int ifindex;
};

static unsigned int parse_addr(const char *s, void *a)
{
	memset(a, 0, 16);
	if (strchr(s, ':'))
		return in6_pton(s, -1, a, -1, NULL) ? 16 : 0;
	return in4_pton(s, -1, a, -1, NULL) ? 4 : 0;
}

static void make_pkt(struct kunit *test, const struct pspec *ps,
		     struct ct_pkt *pkt, struct ct_rule_pkt *p)
{
	bool v6 = ps->src && strchr(ps->src, ':');
	unsigned int slen, dlen;

	memset(pkt, 0, sizeof(*pkt));
	memset(p, 0, sizeof(*p));
	slen = parse_addr(ps->src ?: "192.168.1.10", &pkt->tuple.src);
	dlen = parse_addr(ps->dst ?: (v6 ? "fd00::2" : "10.0.0.1"), &pkt->tuple.dst);
	KUNIT_ASSERT_NE(test, slen, 0U);
	KUNIT_ASSERT_EQ(test, slen, dlen);
	pkt->tuple.l3 = slen == 4 ? NFPROTO_IPV4 : NFPROTO_IPV6;
	pkt->tuple.proto = ps->proto ?: IPPROTO_TCP;
	if (pkt->tuple.proto == IPPROTO_TCP || pkt->tuple.proto == IPPROTO_UDP) {
		pkt->tuple.sport = htons(ps->sport ?: 40000);
		pkt->tuple.dport = htons(ps->dport ?: 22);
	}
	pkt->icmp_type = ps->icmp_type;
	pkt->icmp_code = ps->icmp_code;
	p->pkt = pkt;
	p->ctstate = ps->st ? ps->st - 1 : CTRACK_CTSTATE_NEW;
	p->tcp_flags = pkt->tuple.proto != IPPROTO_TCP ? -1 :
		       ps->flags ? ps->flags & 0xff : TH_SYN;
	if (!ps->iif || strcmp(ps->iif, "-")) {
		p->iifname = ps->iif ?: "eth0";
		p->iif = ps->ifindex ?: 2;
	}
	p->now = 1000;
}

/* Matches, built as the netlink side builds them. */

enum { M_EQ, M_NE, M_RANGE, M_NRANGE, M_MASK, M_NMASK, M_FLAGS, M_NFLAGS };

struct mspec {
	u8 key, how;
	u32 a, b;		/* integers: value, or from and to; mask and value */
	const char *s, *t;	/* addresses and names; "eth*" is a wildcard */
	int plen;		/* addresses: the prefix + 1; 0: the whole address */
};

static void key_of(struct kunit *test, u8 key, u32 v, const char *s,
		   struct ct_key *k, bool *wild)
{
	u8 b[16] = {};

	*wild = false;
	switch (ct_key_class(key)) {
	case CT_CLASS_INT:
		*k = (struct ct_key){ .hi = v };
		return;
	case CT_CLASS_ADDR4:
	case CT_CLASS_ADDR6:
		KUNIT_ASSERT_EQ_MSG(test, parse_addr(s, b),
				    ct_key_class(key) == CT_CLASS_ADDR4 ? 4U : 16U, "%s", s);
		ct_key_from_bytes(k, b, 16);
		return;
	}
	strscpy(b, s, sizeof(b));
	if (b[strlen(b) - 1] == '*') {
		*wild = true;
		b[strlen(b) - 1] = 0;
	}
	ct_key_from_bytes(k, b, 16);
}

static void make_match(struct kunit *test, const struct mspec *ms, struct ct_match *m)
{
	int cls = ct_key_class(ms->key);
	bool wild;

	memset(m, 0, sizeof(*m));
	m->key = ms->key;
	m->neg = ms->how & 1;
	switch (ms->how) {
	case M_EQ:
	case M_NE:
		m->op = CT_OP_RANGE;
		key_of(test, ms->key, ms->a, ms->s, &m->lo, &wild);
		m->hi = m->lo;
		if (wild) {
			u8 b[16];

			ct_key_to_bytes(&m->lo, b, sizeof(b));
			memset(b + strnlen(b, sizeof(b)), 0xff, sizeof(b) - strnlen(b, sizeof(b)));
			ct_key_from_bytes(&m->hi, b, sizeof(b));
		}
		if (ms->plen)
			ct_key_prefix(&m->lo, ms->plen - 1, cls == CT_CLASS_ADDR4 ? 32 : 128,
				      &m->lo, &m->hi);
		break;
	case M_RANGE:
	case M_NRANGE:
		m->op = CT_OP_RANGE;
		key_of(test, ms->key, ms->a, ms->s, &m->lo, &wild);
		key_of(test, ms->key, ms->b, ms->t, &m->hi, &wild);
		break;
	case M_MASK:
	case M_NMASK:
		m->op = CT_OP_MASK;
		m->mask = ms->a;
		m->value = ms->b;
		break;
	default:
		m->op = CT_OP_FLAGS;
		m->mask = ms->a;
	}
}

struct match_case {
	const char *name;
	struct mspec m;
	struct pspec p;
	bool hit;
};

#define EQ(k, v)		{ K(k), M_EQ, v }
#define NE(k, v)		{ K(k), M_NE, v }
#define RNG(k, lo, hi)		{ K(k), M_RANGE, lo, hi }
#define NRNG(k, lo, hi)		{ K(k), M_NRANGE, lo, hi }
#define ADDR1(k, s)		{ K(k), M_EQ, 0, 0, s }
#define ADDR(k, s, plen)	{ K(k), M_EQ, 0, 0, s, NULL, (plen) + 1 }
#define NADDR(k, s, plen)	{ K(k), M_NE, 0, 0, s, NULL, (plen) + 1 }
#define ARNG(k, s, t)		{ K(k), M_RANGE, 0, 0, s, t }
#define NAME(k, s)		{ K(k), M_EQ, 0, 0, s }
#define NNAME(k, s)		{ K(k), M_NE, 0, 0, s }
#define MASK(k, mask, v)	{ K(k), M_MASK, mask, v }
#define NMASK(k, mask, v)	{ K(k), M_NMASK, mask, v }
#define FLAGS(k, mask)		{ K(k), M_FLAGS, mask }
#define NFLAGS(k, mask)		{ K(k), M_NFLAGS, mask }

static const struct match_case match_cases[] = {
	/* ports, and the protocol each key implies */
	{ "tcp dport 22, tcp 22", EQ(TCP_DPORT, 22), { .dport = 22 }, true },
	{ "tcp dport 22, tcp 23", EQ(TCP_DPORT, 22), { .dport = 23 }, false },
	{ "tcp dport != 22, tcp 23", NE(TCP_DPORT, 22), { .dport = 23 }, true },
	{ "tcp dport != 22, tcp 22", NE(TCP_DPORT, 22), { .dport = 22 }, false },
	{ "tcp dport != 22, udp 23", NE(TCP_DPORT, 22),
	  { .proto = IPPROTO_UDP, .dport = 23 }, false },
	{ "tcp dport 22, udp 22", EQ(TCP_DPORT, 22), { .proto = IPPROTO_UDP, .dport = 22 }, false },
	{ "tcp sport 40000, tcp from 40000", EQ(TCP_SPORT, 40000), {}, true },
	{ "udp dport 53, udp 53", EQ(UDP_DPORT, 53), { .proto = IPPROTO_UDP, .dport = 53 }, true },
	{ "udp dport 53, tcp 53", EQ(UDP_DPORT, 53), { .dport = 53 }, false },
	{ "udp sport != 53, icmp", NE(UDP_SPORT, 53), { .proto = IPPROTO_ICMP }, false },
	{ "th dport 53, udp 53", EQ(TH_DPORT, 53), { .proto = IPPROTO_UDP, .dport = 53 }, true },
	{ "th dport 53, tcp 53", EQ(TH_DPORT, 53), { .dport = 53 }, true },
	{ "th dport != 53, icmp", NE(TH_DPORT, 53), { .proto = IPPROTO_ICMP }, false },
	{ "th dport != 53, sctp without its header", NE(TH_DPORT, 53),
	  { .proto = IPPROTO_SCTP }, false },
	{ "tcp dport 20-22, 19", RNG(TCP_DPORT, 20, 22), { .dport = 19 }, false },
	{ "tcp dport 20-22, 20", RNG(TCP_DPORT, 20, 22), { .dport = 20 }, true },
	{ "tcp dport 20-22, 22", RNG(TCP_DPORT, 20, 22), { .dport = 22 }, true },
	{ "tcp dport 20-22, 23", RNG(TCP_DPORT, 20, 22), { .dport = 23 }, false },
	{ "tcp dport != 20-22, 23", NRNG(TCP_DPORT, 20, 22), { .dport = 23 }, true },
	{ "tcp dport != 20-22, 21", NRNG(TCP_DPORT, 20, 22), { .dport = 21 }, false },
	{ "tcp dport != 20-22, udp 23", NRNG(TCP_DPORT, 20, 22),
	  { .proto = IPPROTO_UDP, .dport = 23 }, false },
	{ "tcp sport 1024-65535, 1023", RNG(TCP_SPORT, 1024, 65535), { .sport = 1023 }, false },
	{ "tcp sport 1024-65535, 1024", RNG(TCP_SPORT, 1024, 65535), { .sport = 1024 }, true },
	{ "tcp sport 1024-65535, 65535", RNG(TCP_SPORT, 1024, 65535), { .sport = 65535 }, true },
	/* addresses and prefixes */
	{ "ip saddr exact", ADDR1(IP_SADDR, "192.168.1.10"), {}, true },
	{ "ip saddr exact, next address", ADDR1(IP_SADDR, "192.168.1.11"), {}, false },
	{ "ip saddr /24, inside", ADDR(IP_SADDR, "192.168.1.0", 24), {}, true },
	{ "ip saddr /24, last address", ADDR(IP_SADDR, "192.168.1.0", 24),
	  { .src = "192.168.1.255" }, true },
	{ "ip saddr /24, one below", ADDR(IP_SADDR, "192.168.1.0", 24),
	  { .src = "192.168.0.255" }, false },
	{ "ip saddr /24, one above", ADDR(IP_SADDR, "192.168.1.0", 24),
	  { .src = "192.168.2.0" }, false },
	{ "ip saddr /0, any v4", ADDR(IP_SADDR, "0.0.0.0", 0), { .src = "255.255.255.255" }, true },
	{ "ip saddr 1.2.3.4/0, any v4", ADDR(IP_SADDR, "1.2.3.4", 0), {}, true },
	{ "ip daddr != 10.0.0.0/8, 10.0.0.1", NADDR(IP_DADDR, "10.0.0.0", 8), {}, false },
	{ "ip daddr != 10.0.0.0/8, 11.0.0.1", NADDR(IP_DADDR, "10.0.0.0", 8),
	  { .dst = "11.0.0.1" }, true },
	{ "ip daddr != 10.0.0.0/8, a v6 packet", NADDR(IP_DADDR, "10.0.0.0", 8),
	  { .src = "fd00::1" }, false },
	{ "ip daddr 10.0.0.0-10.0.0.9, 10.0.0.1", ARNG(IP_DADDR, "10.0.0.0", "10.0.0.9"),
	  {}, true },
	{ "ip daddr 10.0.0.2-10.0.0.9, 10.0.0.1", ARNG(IP_DADDR, "10.0.0.2", "10.0.0.9"),
	  {}, false },
	{ "ip6 saddr fd00::/64, fd00::1", ADDR(IP6_SADDR, "fd00::", 64), { .src = "fd00::1" }, true },
	{ "ip6 saddr fd00::/64, fd00:0:0:1::", ADDR(IP6_SADDR, "fd00::", 64),
	  { .src = "fd00:0:0:1::", .dst = "fd00::2" }, false },
	{ "ip6 saddr fd00::/64, last address", ADDR(IP6_SADDR, "fd00::", 64),
	  { .src = "fd00::ffff:ffff:ffff:ffff", .dst = "fd00::2" }, true },
	{ "ip6 saddr fd00::/64, a v4 packet", ADDR(IP6_SADDR, "fd00::", 64), {}, false },
	{ "ip6 daddr exact", ADDR1(IP6_DADDR, "fd00::2"), { .src = "fd00::1" }, true },
	{ "ip6 daddr exact, last bit differs", ADDR1(IP6_DADDR, "fd00::3"),
	  { .src = "fd00::1" }, false },
	{ "ip6 daddr != fd00::/16, fd00::2", NADDR(IP6_DADDR, "fd00::", 16),
	  { .src = "fd00::1" }, false },
	{ "ip6 daddr range across the words", ARNG(IP6_DADDR, "fd00::ffff:ffff:ffff:fff0",
						   "fd00:0:0:1::10"),
	  { .src = "fd00::1", .dst = "fd00:0:0:1::" }, true },
	/* tcp flags: mask/value and flags */
	{ "tcp flags & (syn|ack) == syn, syn", MASK(TCP_FLAGS, TH_SYN | TH_ACK, TH_SYN),
	  { .flags = FL(TH_SYN) }, true },
	{ "tcp flags & (syn|ack) == syn, syn ack", MASK(TCP_FLAGS, TH_SYN | TH_ACK, TH_SYN),
	  { .flags = FL(TH_SYN | TH_ACK) }, false },
	{ "tcp flags & (syn|ack) == syn, ack", MASK(TCP_FLAGS, TH_SYN | TH_ACK, TH_SYN),
	  { .flags = FL(TH_ACK) }, false },
	{ "tcp flags & (syn|ack) != syn, ack", NMASK(TCP_FLAGS, TH_SYN | TH_ACK, TH_SYN),
	  { .flags = FL(TH_ACK) }, true },
	{ "tcp flags & (syn|ack) != syn, udp", NMASK(TCP_FLAGS, TH_SYN | TH_ACK, TH_SYN),
	  { .proto = IPPROTO_UDP }, false },
	{ "tcp flags syn,rst, syn", FLAGS(TCP_FLAGS, TH_SYN | TH_RST), { .flags = FL(TH_SYN) }, true },
	{ "tcp flags syn,rst, rst ack", FLAGS(TCP_FLAGS, TH_SYN | TH_RST),
	  { .flags = FL(TH_RST | TH_ACK) }, true },
	{ "tcp flags syn,rst, ack", FLAGS(TCP_FLAGS, TH_SYN | TH_RST), { .flags = FL(TH_ACK) }, false },
	{ "tcp flags syn,rst, no flags", FLAGS(TCP_FLAGS, TH_SYN | TH_RST), { .flags = FL(0) }, false },
	{ "tcp flags != syn,rst, fin ack", NFLAGS(TCP_FLAGS, TH_SYN | TH_RST),
	  { .flags = FL(TH_FIN | TH_ACK) }, true },
	{ "tcp flags syn, udp", FLAGS(TCP_FLAGS, TH_SYN), { .proto = IPPROTO_UDP }, false },
	/* ct state */
	{ "ct state new, new", EQ(CT_STATE, CS(NEW)), {}, true },
	{ "ct state new, established", EQ(CT_STATE, CS(NEW)), { .st = ST(ESTABLISHED) }, false },
	{ "ct state established,related, established", FLAGS(CT_STATE, CS(ESTABLISHED) | CS(RELATED)),
	  { .st = ST(ESTABLISHED) }, true },
	{ "ct state established,related, related", FLAGS(CT_STATE, CS(ESTABLISHED) | CS(RELATED)),
	  { .st = ST(RELATED) }, true },
	{ "ct state established,related, new", FLAGS(CT_STATE, CS(ESTABLISHED) | CS(RELATED)),
	  {}, false },
	{ "ct state established,related, invalid", FLAGS(CT_STATE, CS(ESTABLISHED) | CS(RELATED)),
	  { .st = ST(INVALID) }, false },
	{ "ct state != invalid, untracked", NE(CT_STATE, CS(INVALID)), { .st = ST(UNTRACKED) }, true },
	{ "ct state != invalid, invalid", NE(CT_STATE, CS(INVALID)), { .st = ST(INVALID) }, false },
	/* interface names, "eth*" */
	{ "iifname eth*, eth0", NAME(IIFNAME, "eth*"), {}, true },
	{ "iifname eth*, eth", NAME(IIFNAME, "eth*"), { .iif = "eth" }, true },
	{ "iifname eth*, eth12345678901", NAME(IIFNAME, "eth*"), { .iif = "eth12345678901" }, true },
	{ "iifname eth*, et", NAME(IIFNAME, "eth*"), { .iif = "et" }, false },
	{ "iifname eth*, veth0", NAME(IIFNAME, "eth*"), { .iif = "veth0" }, false },
	{ "iifname eth*, eti", NAME(IIFNAME, "eth*"), { .iif = "eti" }, false },
	{ "iifname eth*, no input device", NAME(IIFNAME, "eth*"), { .iif = "-" }, false },
	{ "iifname != eth*, wlan0", NNAME(IIFNAME, "eth*"), { .iif = "wlan0" }, true },
	{ "iifname != eth*, eth1", NNAME(IIFNAME, "eth*"), { .iif = "eth1" }, false },
	{ "iifname != eth*, no input device", NNAME(IIFNAME, "eth*"), { .iif = "-" }, false },
	{ "iifname eth0, eth0", NAME(IIFNAME, "eth0"), {}, true },
	{ "iifname eth0, eth01", NAME(IIFNAME, "eth0"), { .iif = "eth01" }, false },
	{ "oifname != eth*, no output device", NNAME(OIFNAME, "eth*"), {}, false },
	{ "iif 3, iif 3", EQ(IIF, 3), { .ifindex = 3 }, true },
	{ "iif 3, iif 2", EQ(IIF, 3), {}, false },
	/* protocols and families */
	{ "meta l4proto udp, udp", EQ(L4PROTO, IPPROTO_UDP), { .proto = IPPROTO_UDP }, true },
	{ "meta l4proto udp, v6 udp", EQ(L4PROTO, IPPROTO_UDP),
	  { .src = "fd00::1", .proto = IPPROTO_UDP }, true },
	{ "ip protocol tcp, v6 tcp", { CTRACK_KEY_IP_PROTOCOL, M_EQ, IPPROTO_TCP }, { .src = "fd00::1" }, false },
	{ "ip protocol != udp, v6 tcp", { CTRACK_KEY_IP_PROTOCOL, M_NE, IPPROTO_UDP }, { .src = "fd00::1" }, false },
	{ "ip6 nexthdr tcp, v6 tcp", EQ(IP6_NEXTHDR, IPPROTO_TCP), { .src = "fd00::1" }, true },
	{ "ip6 nexthdr tcp, v4 tcp", EQ(IP6_NEXTHDR, IPPROTO_TCP), {}, false },
	{ "meta nfproto ipv6, v6", EQ(NFPROTO, NFPROTO_IPV6), { .src = "fd00::1" }, true },
	{ "meta nfproto ipv6, v4", EQ(NFPROTO, NFPROTO_IPV6), {}, false },
	{ "icmp type 8, echo request", EQ(ICMP_TYPE, 8),
	  { .proto = IPPROTO_ICMP, .icmp_type = 8 }, true },
	{ "icmp type != 8, echo reply", NE(ICMP_TYPE, 8), { .proto = IPPROTO_ICMP }, true },
	{ "icmp code 3, code 3", EQ(ICMP_CODE, 3),
	  { .proto = IPPROTO_ICMP, .icmp_type = 3, .icmp_code = 3 }, true },
	{ "icmp type != 8, tcp", NE(ICMP_TYPE, 8), {}, false },
	{ "icmpv6 type 128, icmp type 128", EQ(ICMPV6_TYPE, 128),
	  { .proto = IPPROTO_ICMP, .icmp_type = 128 }, false },
	{ "icmpv6 type 128, echo request", EQ(ICMPV6_TYPE, 128),
	  { .src = "fd00::1", .proto = IPPROTO_ICMPV6, .icmp_type = 128 }, true },
};

static void match_case_desc(const struct match_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(match, match_cases, match_case_desc);

static void match_eval_as_row_says(struct kunit *test)
{
	const struct match_case *c = test->param_value;
	struct ct_rule_pkt p;
	struct ct_match m;
	struct ct_pkt pkt;

	make_pkt(test, &c->p, &pkt, &p);
	make_match(test, &c->m, &m);
	KUNIT_EXPECT_EQ(test, ct_match_eval(&m, &p), c->hit);
}

/*
 * Rule sets as RULESET_LOAD streams. A row is a list of steps: TABLE,
 * BASE and CHAIN close what is open; RULE opens a rule that the matches,
 * REJ, CTR and VMAP after it fill; SET opens a set that ELEMs fill.
 */
enum {
	L_END, L_TABLE, L_BASE, L_CHAIN, L_RULE, L_REJ, L_CTR, L_MATCH,
	L_VMAP, L_VELEM, L_SET, L_ELEM, L_INSET,
};

#define NO_POLICY	0xff

struct lop {
	u8 op;
	u8 key;		/* TABLE: family; BASE: hook; RULE, VELEM: verdict; SET: type */
	u8 how;		/* matches; BASE: policy */
	s32 prio;
	u64 a, b;	/* values; REJ: type, code + 1; CTR: packets, bytes */
	const char *s;	/* names, addresses; RULE, VELEM: target */
};

#define TABLE(fam, name)	{ L_TABLE, NFPROTO_##fam, .s = name }
#define BASE(name, hook, prio, pol) \
	{ L_BASE, CTRACK_HOOK_##hook, V(pol), prio, .s = name }
#define BASE_NOPOL(name, hook, prio) \
	{ L_BASE, CTRACK_HOOK_##hook, NO_POLICY, prio, .s = name }
#define CHAIN(name)		{ L_CHAIN, .s = name }
#define RULE(v)			{ L_RULE, V(v) }
#define JUMP(to)		{ L_RULE, V(JUMP), .s = to }
#define GOTO(to)		{ L_RULE, V(GOTO), .s = to }
#define REJ(type, code)		{ L_REJ, .a = CTRACK_REJECT_##type, .b = (code) + 1 }
#define REJ0(type)		{ L_REJ, .a = CTRACK_REJECT_##type }
#define CTR(pk, by)		{ L_CTR, .a = pk, .b = by }
#define M(k, how, v)		{ L_MATCH, K(k), how, .a = v }
#define MR(k, lo, hi)		{ L_MATCH, K(k), M_RANGE, .a = lo, .b = hi }
#define MS(k, how, str)		{ L_MATCH, K(k), how, .s = str }
#define INSET(k, set)		{ L_INSET, K(k), .s = set }
#define VMAP(k)			{ L_VMAP, K(k) }
#define VELEM(val, v)		{ L_VELEM, V(v), .a = val }
#define VJUMP(val, v, to)	{ L_VELEM, V(v), .a = val, .s = to }
#define SET(name, type, fl)	{ L_SET, CTRACK_TYPE_##type, .a = fl, .s = name }
#define ELEM(v)			{ L_ELEM, .a = v }
#define ELEMR(lo, hi)		{ L_ELEM, .a = lo, .b = hi }
#define END			{ L_END }
#define OPS(...)		((const struct lop[]){ __VA_ARGS__, END })

struct lb {
	struct kunit *test;
	struct sk_buff *skb;
	struct nlattr *rule, *vmap, *set;
	int cls;		/* of the open set or vmap */
};

static void lb_close(struct lb *b, bool all)
{
	if (b->vmap)
		nla_nest_end(b->skb, b->vmap);
	b->vmap = NULL;
	if (!all)
		return;
	if (b->rule)
		nla_nest_end(b->skb, b->rule);
	if (b->set)
		nla_nest_end(b->skb, b->set);
	b->rule = NULL;
	b->set = NULL;
}

static void lb_value(struct lb *b, int attr, int cls, u64 v, const char *s)
{
	u8 a[16];

	if (cls == CT_CLASS_INT) {
		KUNIT_ASSERT_EQ(b->test, nla_put_u32(b->skb, attr, v), 0);
	} else if (cls == CT_CLASS_NAME) {
		KUNIT_ASSERT_EQ(b->test, nla_put_string(b->skb, attr, s), 0);
	} else {
		unsigned int len = parse_addr(s, a);

		KUNIT_ASSERT_NE_MSG(b->test, len, 0U, "%s", s);
		KUNIT_ASSERT_EQ(b->test, nla_put(b->skb, attr, len, a), 0);
	}
}

static void lb_op(struct lb *b, const struct lop *o)
{
	struct sk_buff *skb = b->skb;
	struct kunit *test = b->test;
	struct nlattr *n;

	switch (o->op) {
	case L_TABLE:
		lb_close(b, true);
		n = nla_nest_start(skb, CTRACK_A_TABLE);
		KUNIT_ASSERT_NOT_NULL(test, n);
		KUNIT_ASSERT_EQ(test, nla_put_u8(skb, CTRACK_A_TABLE_FAMILY, o->key) ?:
				nla_put_string(skb, CTRACK_A_TABLE_NAME, o->s), 0);
		nla_nest_end(skb, n);
		break;
	case L_BASE:
	case L_CHAIN:
		lb_close(b, true);
		n = nla_nest_start(skb, CTRACK_A_CHAIN);
		KUNIT_ASSERT_NOT_NULL(test, n);
		KUNIT_ASSERT_EQ(test, nla_put_string(skb, CTRACK_A_CHAIN_NAME, o->s), 0);
		if (o->op == L_BASE)
			KUNIT_ASSERT_EQ(test, nla_put_u8(skb, CTRACK_A_CHAIN_HOOK, o->key) ?:
					nla_put_s32(skb, CTRACK_A_CHAIN_PRIORITY, o->prio), 0);
		if (o->op == L_BASE && o->how != NO_POLICY)
			KUNIT_ASSERT_EQ(test, nla_put_u8(skb, CTRACK_A_CHAIN_POLICY, o->how), 0);
		nla_nest_end(skb, n);
		break;
	case L_RULE:
		lb_close(b, true);
		b->rule = nla_nest_start(skb, CTRACK_A_RULE);
		KUNIT_ASSERT_NOT_NULL(test, b->rule);
		if (o->key)
			KUNIT_ASSERT_EQ(test, nla_put_u8(skb, CTRACK_A_RULE_VERDICT, o->key), 0);
		if (o->s)
			KUNIT_ASSERT_EQ(test, nla_put_string(skb, CTRACK_A_RULE_TARGET, o->s), 0);
		break;
	case L_REJ:
		lb_close(b, false);
		KUNIT_ASSERT_EQ(test, nla_put_u8(skb, CTRACK_A_RULE_REJECT_TYPE, o->a), 0);
		if (o->b)
			KUNIT_ASSERT_EQ(test, nla_put_u8(skb, CTRACK_A_RULE_REJECT_CODE, o->b - 1), 0);
		break;
	case L_CTR:
		lb_close(b, false);
		KUNIT_ASSERT_EQ(test, nla_put_u64_64bit(skb, CTRACK_A_RULE_PACKETS, o->a,
							CTRACK_A_RULE_PAD) ?:
				nla_put_u64_64bit(skb, CTRACK_A_RULE_BYTES, o->b,
						  CTRACK_A_RULE_PAD), 0);
		break;
	case L_MATCH:
	case L_INSET:
		lb_close(b, false);
		n = nla_nest_start(skb, CTRACK_A_RULE_MATCH);
		KUNIT_ASSERT_NOT_NULL(test, n);
		KUNIT_ASSERT_EQ(test, nla_put_u8(skb, CTRACK_A_MATCH_KEY, o->key), 0);
		if (o->op == L_INSET) {
			KUNIT_ASSERT_EQ(test, nla_put_string(skb, CTRACK_A_MATCH_SET, o->s), 0);
			nla_nest_end(skb, n);
			break;
		}
		if (o->how & 1)
			KUNIT_ASSERT_EQ(test, nla_put_flag(skb, CTRACK_A_MATCH_NEG), 0);
		switch (o->how) {
		case M_EQ:
		case M_NE:
			lb_value(b, CTRACK_A_MATCH_VALUE, ct_key_class(o->key), o->a, o->s);
			break;
		case M_RANGE:
		case M_NRANGE:
			lb_value(b, CTRACK_A_MATCH_FROM, CT_CLASS_INT, o->a, NULL);
			lb_value(b, CTRACK_A_MATCH_TO, CT_CLASS_INT, o->b, NULL);
			break;
		default:
			KUNIT_ASSERT_EQ(test, nla_put_u32(skb, CTRACK_A_MATCH_FLAGS, o->a), 0);
		}
		nla_nest_end(skb, n);
		break;
	case L_VMAP:
		lb_close(b, false);
		b->vmap = nla_nest_start(skb, CTRACK_A_RULE_VMAP);
		KUNIT_ASSERT_NOT_NULL(test, b->vmap);
		KUNIT_ASSERT_EQ(test, nla_put_u8(skb, CTRACK_A_VMAP_KEY, o->key), 0);
		b->cls = ct_key_class(o->key);
		break;
	case L_VELEM:
		n = nla_nest_start(skb, CTRACK_A_VMAP_ELEM);
		KUNIT_ASSERT_NOT_NULL(test, n);
		lb_value(b, CTRACK_A_ELEM_VALUE, b->cls, o->a, NULL);
		KUNIT_ASSERT_EQ(test, nla_put_u8(skb, CTRACK_A_ELEM_VERDICT, o->key), 0);
		if (o->s)
			KUNIT_ASSERT_EQ(test, nla_put_string(skb, CTRACK_A_ELEM_TARGET, o->s), 0);
		nla_nest_end(skb, n);
		break;
	case L_SET:
		lb_close(b, true);
		b->set = nla_nest_start(skb, CTRACK_A_SET);
		KUNIT_ASSERT_NOT_NULL(test, b->set);
		KUNIT_ASSERT_EQ(test, nla_put_string(skb, CTRACK_A_SET_NAME, o->s) ?:
				nla_put_u8(skb, CTRACK_A_SET_TYPE, o->key) ?:
				nla_put_u32(skb, CTRACK_A_SET_FLAGS, o->a), 0);
		b->cls = ct_type_class(o->key);
		break;
	case L_ELEM:
		n = nla_nest_start(skb, CTRACK_A_SET_ELEM);
		KUNIT_ASSERT_NOT_NULL(test, n);
		lb_value(b, CTRACK_A_ELEM_VALUE, b->cls, o->a, o->s);
		if (o->b)
			lb_value(b, CTRACK_A_ELEM_TO, b->cls, o->b, NULL);
		nla_nest_end(skb, n);
		break;
	}
}

static void skb_free(void *skb)
{
	kfree_skb(skb);
}

/* The stream of @ops, in an skb freed with the test. */
static struct sk_buff *build(struct kunit *test, const struct lop *ops)
{
	struct lb b = { .test = test };

	b.skb = alloc_skb(64 * 1024, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b.skb);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, skb_free, b.skb), 0);
	for (; ops->op != L_END; ops++)
		lb_op(&b, ops);
	lb_close(&b, true);
	return b.skb;
}

static void rules_net_free(void *arg)
{
	struct ct_net *cn = arg;

	ct_rules_net_exit(cn);
	rcu_barrier();
}

/* A namespace with nothing but its rules. */
static struct ct_net *rules_net(struct kunit *test)
{
	struct ct_net *cn = kunit_kzalloc(test, sizeof(*cn), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, cn);
	cn->net = &init_net;
	mutex_init(&cn->cfg_lock);
	KUNIT_ASSERT_EQ(test, ct_rules_net_init(cn), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, rules_net_free, cn), 0);
	return cn;
}

static int load(struct kunit *test, struct ct_net *cn, const struct lop *ops,
		bool check, struct netlink_ext_ack *extack)
{
	struct sk_buff *skb = build(test, ops);

	return ct_rules_load(cn, (const struct nlattr *)skb->data, skb->len, check, extack);
}

static u8 eval(struct ct_net *cn, enum ctrack_hook hook, struct ct_rule_pkt *p,
	       unsigned int len, struct ct_reject *rej, const struct ct_rule **hit)
{
	u8 v;

	rcu_read_lock();
	v = ct_ruleset_eval(ct_rules_get(cn), hook, p, len, rej, hit);
	rcu_read_unlock();
	return v;
}

/* Chains: a rule set and the verdicts of packets through it. */

#define IN	CTRACK_HOOK_INPUT
#define OUT	CTRACK_HOOK_OUTPUT

struct verdict_probe {
	struct pspec p;
	u8 hook;
	u8 v;			/* 0 (CONTINUE) ends the list */
	u8 rej_type, rej_code;
};

struct chain_case {
	const char *name;
	const struct lop *ops;
	struct verdict_probe pk[6];
	const char *bug;	/* a known bug: the row is skipped */
};

static const struct chain_case chain_cases[] = {
	{ "empty load: everything is accepted", OPS(TABLE(INET, "t")),
	  { { {}, IN, V(ACCEPT) }, { { .proto = IPPROTO_UDP }, OUT, V(ACCEPT) } } },
	{ "first match wins",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, ACCEPT),
	      RULE(DROP), M(TCP_DPORT, M_EQ, 22),
	      RULE(ACCEPT), M(TCP_DPORT, M_EQ, 22),
	      RULE(ACCEPT), M(TCP_DPORT, M_EQ, 80),
	      RULE(DROP), M(TCP_DPORT, M_EQ, 80)),
	  { { { .dport = 22 }, IN, V(DROP) }, { { .dport = 80 }, IN, V(ACCEPT) },
	    { { .dport = 81 }, IN, V(ACCEPT) } } },
	{ "continue goes on, the policy decides",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, DROP),
	      RULE(CONTINUE), M(TCP_DPORT, M_EQ, 22),
	      RULE(ACCEPT), M(TCP_DPORT, M_EQ, 80)),
	  { { { .dport = 22 }, IN, V(DROP) }, { { .dport = 80 }, IN, V(ACCEPT) },
	    { { .dport = 80 }, OUT, V(ACCEPT) } } },
	{ "a key implies its protocol in a rule",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, ACCEPT),
	      RULE(DROP), M(TCP_DPORT, M_NE, 22)),
	  { { { .dport = 22 }, IN, V(ACCEPT) }, { { .dport = 23 }, IN, V(DROP) },
	    { { .proto = IPPROTO_UDP, .dport = 23 }, IN, V(ACCEPT) } } },
	{ "all matches of a rule must hold",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, ACCEPT),
	      RULE(DROP), MS(IIFNAME, M_EQ, "eth*"), MR(TCP_DPORT, 20, 22),
	      M(CT_STATE, M_FLAGS, CS(NEW) | CS(INVALID))),
	  { { {}, IN, V(DROP) }, { { .iif = "veth0" }, IN, V(ACCEPT) },
	    { { .dport = 23 }, IN, V(ACCEPT) }, { { .st = ST(ESTABLISHED) }, IN, V(ACCEPT) },
	    { { .st = ST(INVALID), .dport = 20 }, IN, V(DROP) } } },
	{ "jump and return",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, DROP),
	      JUMP("ssh"), M(TCP_DPORT, M_EQ, 22),
	      RULE(ACCEPT), M(TCP_SPORT, M_EQ, 1),
	      CHAIN("ssh"),
	      RULE(RETURN), MS(IP_SADDR, M_EQ, "192.168.1.99"),
	      RULE(ACCEPT), MS(IIFNAME, M_EQ, "eth0")),
	  { { {}, IN, V(ACCEPT) }, { { .iif = "eth1" }, IN, V(DROP) },
	    { { .iif = "eth1", .sport = 1 }, IN, V(ACCEPT) },
	    { { .src = "192.168.1.99" }, IN, V(DROP) },
	    { { .src = "192.168.1.99", .sport = 1 }, IN, V(ACCEPT) },
	    { { .dport = 80, .sport = 1 }, IN, V(ACCEPT) } } },
	{ "return in a base chain is its policy",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, DROP),
	      RULE(RETURN), M(TCP_DPORT, M_EQ, 22), RULE(ACCEPT)),
	  { { {}, IN, V(DROP) }, { { .dport = 80 }, IN, V(ACCEPT) } } },
	{ "goto does not come back",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, ACCEPT),
	      GOTO("g"), M(TCP_DPORT, M_EQ, 22),
	      RULE(DROP),
	      CHAIN("g"),
	      RULE(DROP), M(TCP_SPORT, M_EQ, 1)),
	  { { {}, IN, V(ACCEPT) }, { { .sport = 1 }, IN, V(DROP) },
	    { { .dport = 80 }, IN, V(DROP) } } },
	{ "return after goto goes back to the jump",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, ACCEPT),
	      JUMP("a"), RULE(DROP), M(TCP_SPORT, M_EQ, 2),
	      CHAIN("a"), GOTO("b"), RULE(DROP),
	      CHAIN("b"), RULE(DROP), M(TCP_SPORT, M_EQ, 1)),
	  { { {}, IN, V(ACCEPT) }, { { .sport = 1 }, IN, V(DROP) },
	    { { .sport = 2 }, IN, V(DROP) } } },
	{ "jump to a chain declared later, nested",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, DROP),
	      JUMP("a"), RULE(ACCEPT), M(TCP_SPORT, M_EQ, 3),
	      CHAIN("a"), JUMP("b"), RULE(ACCEPT), M(TCP_SPORT, M_EQ, 2),
	      CHAIN("b"), RULE(ACCEPT), M(TCP_SPORT, M_EQ, 1)),
	  { { { .sport = 1 }, IN, V(ACCEPT) }, { { .sport = 2 }, IN, V(ACCEPT) },
	    { { .sport = 3 }, IN, V(ACCEPT) }, { { .sport = 4 }, IN, V(DROP) } } },
	{ "two base chains: an accept ends only its own",
	  OPS(TABLE(INET, "t"), BASE("a", INPUT, 0, ACCEPT), RULE(ACCEPT),
	      BASE("b", INPUT, 10, ACCEPT), RULE(DROP), M(TCP_DPORT, M_EQ, 22)),
	  { { {}, IN, V(DROP) }, { { .dport = 80 }, IN, V(ACCEPT) } } },
	{ "two base chains: a drop in the first ends everything",
	  OPS(TABLE(INET, "t"), BASE("a", INPUT, 0, ACCEPT), RULE(DROP), M(TCP_DPORT, M_EQ, 22),
	      BASE("b", INPUT, 10, ACCEPT), RULE(ACCEPT)),
	  { { {}, IN, V(DROP) }, { { .dport = 80 }, IN, V(ACCEPT) } } },
	{ "two base chains: a drop policy in the second",
	  OPS(TABLE(INET, "t"), BASE("a", INPUT, 0, ACCEPT), RULE(ACCEPT),
	      BASE("b", INPUT, 10, DROP), RULE(ACCEPT), M(TCP_DPORT, M_EQ, 80)),
	  { { {}, IN, V(DROP) }, { { .dport = 80 }, IN, V(ACCEPT) }, { {}, OUT, V(ACCEPT) } } },
	{ "two base chains run in priority order, not load order",
	  OPS(TABLE(INET, "t"), BASE("late", INPUT, 10, ACCEPT), RULE(DROP),
	      BASE("early", INPUT, -10, ACCEPT), RULE(REJECT), REJ(ICMPX, 3)),
	  { { {}, IN, V(REJECT), CTRACK_REJECT_ICMPX, 3 } } },
	{ "equal priorities run in load order",
	  OPS(TABLE(INET, "t"), BASE("first", INPUT, 5, ACCEPT), RULE(REJECT), REJ0(TCP_RST),
	      BASE("second", INPUT, 5, ACCEPT), RULE(DROP)),
	  { { {}, IN, V(REJECT), CTRACK_REJECT_TCP_RST, 0 } } },
	{ "base chains of two tables, by priority",
	  OPS(TABLE(INET, "a"), BASE("in", INPUT, 100, ACCEPT), RULE(DROP),
	      TABLE(IPV4, "b"), BASE("in", INPUT, -100, ACCEPT), RULE(REJECT)),
	  { { {}, IN, V(REJECT), CTRACK_REJECT_DEFAULT, 0 },
	    { { .src = "fd00::1" }, IN, V(DROP) } } },
	{ "an ip6 table does not see v4",
	  OPS(TABLE(IPV6, "six"), BASE("in", INPUT, 0, DROP)),
	  { { {}, IN, V(ACCEPT) }, { { .src = "fd00::1" }, IN, V(DROP) } } },
	{ "reject type and code",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, ACCEPT),
	      RULE(REJECT), M(TCP_DPORT, M_EQ, 22), REJ(ICMP, 13),
	      RULE(REJECT), M(TCP_DPORT, M_EQ, 23), REJ(ICMPX, CTRACK_ICMPX_HOST_UNREACH),
	      RULE(REJECT), M(TCP_DPORT, M_EQ, 24)),
	  { { {}, IN, V(REJECT), CTRACK_REJECT_ICMP, 13 },
	    { { .dport = 23 }, IN, V(REJECT), CTRACK_REJECT_ICMPX, CTRACK_ICMPX_HOST_UNREACH },
	    { { .dport = 24 }, IN, V(REJECT), CTRACK_REJECT_DEFAULT, 0 },
	    { { .dport = 25 }, IN, V(ACCEPT) } } },
	{ "vmap on ct state",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, DROP),
	      RULE(CONTINUE), VMAP(CT_STATE), VELEM(CS(ESTABLISHED), ACCEPT),
	      VELEM(CS(INVALID), DROP), VJUMP(CS(NEW), JUMP, "new"),
	      RULE(ACCEPT), M(TCP_DPORT, M_EQ, 80),
	      CHAIN("new"), RULE(ACCEPT), M(TCP_DPORT, M_EQ, 22)),
	  { { { .st = ST(ESTABLISHED), .dport = 9 }, IN, V(ACCEPT) },
	    { { .st = ST(INVALID), .dport = 80 }, IN, V(DROP) },
	    { { .dport = 22 }, IN, V(ACCEPT) },
	    { { .dport = 80 }, IN, V(ACCEPT) },
	    { { .dport = 9 }, IN, V(DROP) },
	    { { .st = ST(RELATED), .dport = 80 }, IN, V(ACCEPT) } } },
	{ "vmap on dport with reject",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, ACCEPT),
	      RULE(CONTINUE), VMAP(TCP_DPORT), VELEM(22, DROP), VELEM(23, REJECT),
	      REJ0(TCP_RST)),
	  { { {}, IN, V(DROP) }, { { .dport = 23 }, IN, V(REJECT), CTRACK_REJECT_TCP_RST },
	    { { .dport = 24 }, IN, V(ACCEPT) } } },
	{ "named set of ports and addresses",
	  OPS(TABLE(INET, "t"),
	      SET("ports", INET_SERVICE, CTRACK_SET_F_INTERVAL), ELEM(22), ELEMR(1000, 2000),
	      BASE("in", INPUT, 0, ACCEPT), RULE(DROP), INSET(TCP_DPORT, "ports")),
	  { { {}, IN, V(DROP) }, { { .dport = 999 }, IN, V(ACCEPT) },
	    { { .dport = 1000 }, IN, V(DROP) }, { { .dport = 2000 }, IN, V(DROP) },
	    { { .dport = 2001 }, IN, V(ACCEPT) } } },
	{ "a set of interface names with eth*",
	  OPS(TABLE(INET, "t"), SET("ifs", IFNAME, CTRACK_SET_F_INTERVAL),
	      { L_ELEM, .s = "eth*" }, { L_ELEM, .s = "wlan0" },
	      BASE("in", INPUT, 0, DROP), RULE(ACCEPT), INSET(IIFNAME, "ifs")),
	  { { {}, IN, V(ACCEPT) }, { { .iif = "wlan0" }, IN, V(ACCEPT) },
	    { { .iif = "wlan1" }, IN, V(DROP) }, { { .iif = "veth0" }, IN, V(DROP) },
	    { { .iif = "eth" }, IN, V(ACCEPT) }, { { .iif = "-" }, IN, V(DROP) } } },
	{ "a set declared after the rule using it",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, ACCEPT), RULE(DROP), INSET(TCP_DPORT, "p"),
	      SET("p", INET_SERVICE, 0), ELEM(80)),
	  { { {}, IN, V(ACCEPT) }, { { .dport = 80 }, IN, V(DROP) } } },
	{ "a chain declared again goes on, by name alone",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, DROP), RULE(ACCEPT), M(TCP_DPORT, M_EQ, 22),
	      CHAIN("other"), RULE(DROP),
	      CHAIN("in"), RULE(ACCEPT), M(TCP_DPORT, M_EQ, 23)),
	  { { {}, IN, V(ACCEPT) }, { { .dport = 23 }, IN, V(ACCEPT) },
	    { { .dport = 24 }, IN, V(DROP) } } },
	{ "a base chain declared again with its hook keeps its policy",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, DROP), RULE(ACCEPT), M(TCP_DPORT, M_EQ, 22),
	      BASE_NOPOL("in", INPUT, 0), RULE(ACCEPT), M(TCP_DPORT, M_EQ, 23)),
	  { { {}, IN, V(ACCEPT) }, { { .dport = 23 }, IN, V(ACCEPT) },
	    { { .dport = 24 }, IN, V(DROP) } } },
	{ "ct state candidate lists keep the order",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, DROP),
	      RULE(ACCEPT), M(CT_STATE, M_FLAGS, CS(ESTABLISHED) | CS(RELATED)),
	      RULE(DROP), M(CT_STATE, M_EQ, CS(INVALID)),
	      RULE(REJECT), M(TCP_DPORT, M_EQ, 23),
	      RULE(ACCEPT), M(CT_STATE, M_NE, CS(INVALID)), M(TCP_DPORT, M_EQ, 22)),
	  { { { .st = ST(ESTABLISHED), .dport = 23 }, IN, V(ACCEPT) },
	    { { .st = ST(INVALID), .dport = 22 }, IN, V(DROP) },
	    { { .dport = 23 }, IN, V(REJECT) }, { {}, IN, V(ACCEPT) },
	    { { .st = ST(UNTRACKED) }, IN, V(ACCEPT) }, { { .dport = 24 }, IN, V(DROP) } } },
};

static void chain_case_desc(const struct chain_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(chain, chain_cases, chain_case_desc);

static void chain_verdicts_as_row_says(struct kunit *test)
{
	const struct chain_case *c = test->param_value;
	struct netlink_ext_ack extack = {};
	struct ct_net *cn = rules_net(test);
	unsigned int i;
	int ret;

	if (c->bug)
		kunit_skip(test, "%s", c->bug);
	ret = load(test, cn, c->ops, false, &extack);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "load: %s", extack._msg ?: "(no message)");
	for (i = 0; i < ARRAY_SIZE(c->pk) && c->pk[i].v; i++) {
		const struct verdict_probe *pk = &c->pk[i];
		struct ct_reject rej = {};
		const struct ct_rule *hit;
		struct ct_rule_pkt p;
		struct ct_pkt pkt;
		u8 v;

		make_pkt(test, &pk->p, &pkt, &p);
		v = eval(cn, pk->hook, &p, 60, &rej, &hit);
		KUNIT_EXPECT_EQ_MSG(test, v, pk->v, "packet %u", i);
		if (pk->v == V(REJECT)) {
			KUNIT_EXPECT_EQ_MSG(test, rej.type, pk->rej_type, "packet %u", i);
			KUNIT_EXPECT_EQ_MSG(test, rej.code, pk->rej_code, "packet %u", i);
		}
	}
}

/* Loads that must be refused, with a message, and change nothing. */

struct refuse_case {
	const char *name;
	const struct lop *ops;
	int err;
	const char *msg;	/* a part of the extack message */
};

static const struct refuse_case refuse_cases[] = {
	{ "jump to an unknown chain",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, ACCEPT), JUMP("nowhere")),
	  -ENOENT, "no chain nowhere" },
	{ "goto to a base chain",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, ACCEPT), BASE("out", OUTPUT, 0, ACCEPT),
	      GOTO("in")),
	  -EINVAL, "base chain" },
	{ "jump to a chain of another table",
	  OPS(TABLE(INET, "a"), CHAIN("x"),
	      TABLE(INET, "b"), BASE("in", INPUT, 0, ACCEPT), JUMP("x")),
	  -ENOENT, "no chain x" },
	{ "vmap jump to an unknown chain",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, ACCEPT),
	      RULE(CONTINUE), VMAP(TCP_DPORT), VJUMP(22, JUMP, "nowhere")),
	  -ENOENT, "no chain nowhere" },
	{ "unknown set",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, ACCEPT), RULE(DROP),
	      INSET(TCP_DPORT, "nope")),
	  -ENOENT, "no set nope" },
	{ "set of another type",
	  OPS(TABLE(INET, "t"), SET("a", IPV4_ADDR, 0),
	      BASE("in", INPUT, 0, ACCEPT), RULE(DROP), INSET(TCP_DPORT, "a")),
	  -EINVAL, "another type" },
	{ "a jump to itself",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, ACCEPT), JUMP("a"),
	      CHAIN("a"), JUMP("a")),
	  -ELOOP, "loop" },
	{ "a jump loop of three",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, ACCEPT), JUMP("a"),
	      CHAIN("a"), JUMP("b"), CHAIN("b"), RULE(ACCEPT), M(TCP_DPORT, M_EQ, 1),
	      JUMP("c"), CHAIN("c"), GOTO("a")),
	  -ELOOP, "loop" },
	{ "a loop through a vmap",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, ACCEPT), JUMP("a"),
	      CHAIN("a"), RULE(CONTINUE), VMAP(TCP_DPORT), VJUMP(1, GOTO, "b"),
	      CHAIN("b"), JUMP("a")),
	  -ELOOP, "loop" },
	{ "a loop in a chain no base chain reaches",
	  OPS(TABLE(INET, "t"), CHAIN("a"), JUMP("b"), CHAIN("b"), JUMP("a")),
	  -ELOOP, "loop" },
	{ "a rule before any chain",
	  OPS(TABLE(INET, "t"), RULE(DROP)), -EINVAL, "none declared" },
	{ "a chain before any table", OPS(CHAIN("x")), -EINVAL, "none opened" },
	{ "overlapping elements of a named set",
	  OPS(TABLE(INET, "t"), SET("p", INET_SERVICE, CTRACK_SET_F_INTERVAL),
	      ELEMR(10, 20), ELEMR(20, 30)),
	  -EEXIST, "overlaps" },
	{ "a range in a set without flags interval",
	  OPS(TABLE(INET, "t"), SET("p", INET_SERVICE, 0), ELEMR(10, 20)),
	  -EINVAL, "flags interval" },
	{ "a port out of range",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, ACCEPT), RULE(DROP),
	      M(TCP_DPORT, M_EQ, 65536)),
	  -ERANGE, "out of range" },
	{ "a range that ends below its start",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, ACCEPT), RULE(DROP),
	      MR(TCP_DPORT, 30, 20)),
	  -EINVAL, "below its start" },
	{ "jump without a target",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, ACCEPT), RULE(JUMP)),
	  -EINVAL, "need a target" },
	{ "reject options on a drop",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, ACCEPT), RULE(DROP), REJ0(TCP_RST)),
	  -EINVAL, "verdict reject" },
	{ "reject with icmpx code 4",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, ACCEPT), RULE(REJECT), REJ(ICMPX, 4)),
	  -EINVAL, "icmpx code" },
	{ "a base chain declared again on another hook",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, ACCEPT), BASE("in", OUTPUT, 0, ACCEPT)),
	  -EINVAL, "declared again" },
	{ "a set declared twice with another type",
	  OPS(TABLE(INET, "t"), SET("s", INET_SERVICE, 0), SET("s", IPV4_ADDR, 0)),
	  -EINVAL, "declared again" },
};

static void refuse_case_desc(const struct refuse_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(refuse, refuse_cases, refuse_case_desc);

/* What the rule set before does to a TCP packet to 22 and to 80. */
static const struct lop before_ops[] = {
	TABLE(INET, "old"), BASE("in", INPUT, 0, ACCEPT),
	RULE(DROP), M(TCP_DPORT, M_EQ, 80), END
};

static void expect_before(struct kunit *test, struct ct_net *cn, const char *when)
{
	static const u16 ports[] = { 22, 80 };
	static const u8 verdicts[] = { V(ACCEPT), V(DROP) };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ports); i++) {
		struct pspec ps = { .dport = ports[i] };
		struct ct_reject rej;
		const struct ct_rule *hit;
		struct ct_rule_pkt p;
		struct ct_pkt pkt;

		make_pkt(test, &ps, &pkt, &p);
		KUNIT_EXPECT_EQ_MSG(test, eval(cn, IN, &p, 60, &rej, &hit), verdicts[i],
				    "%s: dport %u", when, ports[i]);
	}
}

static void load_refused_changes_nothing(struct kunit *test)
{
	const struct refuse_case *c = test->param_value;
	struct ct_net *cn = rules_net(test);
	struct netlink_ext_ack extack = {};
	const struct ct_ruleset *rs;
	int check;

	KUNIT_ASSERT_EQ(test, load(test, cn, before_ops, false, NULL), 0);
	expect_before(test, cn, "loaded");
	rs = rcu_access_pointer(cn->rules.cur);
	for (check = 0; check < 2; check++) {
		memset(&extack, 0, sizeof(extack));
		KUNIT_EXPECT_EQ_MSG(test, load(test, cn, c->ops, check, &extack), c->err,
				    "check %d", check);
		KUNIT_EXPECT_NOT_NULL_MSG(test, extack._msg, "check %d", check);
		if (extack._msg)
			KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(extack._msg, c->msg),
						  "check %d: message \"%s\"", check, extack._msg);
		KUNIT_EXPECT_PTR_EQ(test, rcu_access_pointer(cn->rules.cur), rs);
		expect_before(test, cn, "after the refused load");
	}
}

/* CHECK validates a good set too, and publishes nothing. */
static void check_validates_without_publishing(struct kunit *test)
{
	struct ct_net *cn = rules_net(test);
	struct netlink_ext_ack extack = {};
	const struct ct_ruleset *rs;
	u64 gen;

	KUNIT_ASSERT_EQ(test, load(test, cn, before_ops, false, NULL), 0);
	rs = rcu_access_pointer(cn->rules.cur);
	gen = cn->rules.gen;
	KUNIT_EXPECT_EQ(test, load(test, cn, chain_cases[1].ops, true, &extack), 0);
	KUNIT_EXPECT_NULL(test, extack._msg);
	KUNIT_EXPECT_PTR_EQ(test, rcu_access_pointer(cn->rules.cur), rs);
	KUNIT_EXPECT_EQ(test, cn->rules.gen, gen);
	expect_before(test, cn, "after the check");
	/* and the same stream without CHECK replaces it */
	KUNIT_EXPECT_EQ(test, load(test, cn, chain_cases[1].ops, false, &extack), 0);
	KUNIT_EXPECT_PTR_NE(test, rcu_access_pointer(cn->rules.cur), rs);
	KUNIT_EXPECT_EQ(test, cn->rules.gen, gen + 1);
}

/* Counters start from PACKETS and BYTES; every matching rule counts. */
static void counters_start_from_the_loaded_counts(struct kunit *test)
{
	static const struct lop ops[] = {
		TABLE(INET, "t"), BASE("in", INPUT, 0, ACCEPT),
		RULE(CONTINUE), CTR(5, 1000),
		RULE(ACCEPT), M(TCP_DPORT, M_EQ, 22), CTR(1ULL << 40, 1ULL << 50),
		RULE(DROP),
		END
	};
	static const u64 want[][2] = {
		{ 5 + 3, 1000 + 3 * 60 }, { (1ULL << 40) + 2, (1ULL << 50) + 2 * 60 }, { 1, 60 },
	};
	struct ct_net *cn = rules_net(test);
	const struct ct_chain *ch;
	const struct ct_rule *hit;
	struct ct_rule_pkt p;
	struct ct_reject rej;
	struct ct_pkt pkt;
	u64 packets, bytes;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, load(test, cn, ops, false, NULL), 0);
	mutex_lock(&cn->cfg_lock);
	ch = ct_rules_get(cn)->tables[0]->chains[0];
	KUNIT_ASSERT_EQ(test, ch->n, 3U);
	ct_rule_counters(ch->rules[0], &packets, &bytes);
	KUNIT_EXPECT_EQ(test, packets, 5ULL);
	KUNIT_EXPECT_EQ(test, bytes, 1000ULL);
	mutex_unlock(&cn->cfg_lock);
	for (i = 0; i < 3; i++) {
		struct pspec ps = { .dport = i == 2 ? 80 : 22 };

		make_pkt(test, &ps, &pkt, &p);
		KUNIT_EXPECT_EQ(test, eval(cn, IN, &p, 60, &rej, &hit), i == 2 ? V(DROP) : V(ACCEPT));
		/* the rule that decided */
		KUNIT_EXPECT_PTR_EQ(test, hit, (const struct ct_rule *)ch->rules[i == 2 ? 2 : 1]);
	}
	mutex_lock(&cn->cfg_lock);
	ch = ct_rules_get(cn)->tables[0]->chains[0];
	for (i = 0; i < 3; i++) {
		ct_rule_counters(ch->rules[i], &packets, &bytes);
		KUNIT_EXPECT_EQ_MSG(test, packets, want[i][0], "rule %u", i);
		KUNIT_EXPECT_EQ_MSG(test, bytes, want[i][1], "rule %u", i);
	}
	mutex_unlock(&cn->cfg_lock);
}

/*
 * A rule whose matches hold counts, whatever its vmap then finds: a miss
 * continues, and the rule has still matched.
 */
struct vmap_count_case {
	const char *name;
	const struct lop *ops;
	struct pspec p;
	u8 v;
	u64 packets;		/* of the vmap rule */
	const char *bug;
};

static const struct vmap_count_case vmap_count_cases[] = {
	{ "tcp dport vmap, a hit",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, DROP),
	      RULE(CONTINUE), VMAP(TCP_DPORT), VELEM(22, ACCEPT), CTR(0, 0)),
	  {}, V(ACCEPT), 1 },
	{ "tcp dport vmap, a miss",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, DROP),
	      RULE(CONTINUE), VMAP(TCP_DPORT), VELEM(22, ACCEPT), CTR(0, 0)),
	  { .dport = 80 }, V(DROP), 1 },
	{ "ct state vmap, a hit",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, DROP),
	      RULE(CONTINUE), VMAP(CT_STATE), VELEM(CS(NEW), ACCEPT), CTR(0, 0)),
	  {}, V(ACCEPT), 1 },
	{ "ct state vmap, a miss",
	  OPS(TABLE(INET, "t"), BASE("in", INPUT, 0, DROP),
	      RULE(CONTINUE), VMAP(CT_STATE), VELEM(CS(ESTABLISHED), ACCEPT), CTR(0, 0)),
	  {}, V(DROP), 1 },
};

static void vmap_count_case_desc(const struct vmap_count_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(vmap_count, vmap_count_cases, vmap_count_case_desc);

static void vmap_rule_counts_hit_or_miss(struct kunit *test)
{
	const struct vmap_count_case *c = test->param_value;
	struct ct_net *cn = rules_net(test);
	const struct ct_rule *hit;
	struct ct_rule_pkt p;
	struct ct_reject rej;
	struct ct_pkt pkt;
	u64 packets, bytes;

	if (c->bug)
		kunit_skip(test, "%s", c->bug);
	KUNIT_ASSERT_EQ(test, load(test, cn, c->ops, false, NULL), 0);
	make_pkt(test, &c->p, &pkt, &p);
	KUNIT_EXPECT_EQ(test, eval(cn, IN, &p, 60, &rej, &hit), c->v);
	mutex_lock(&cn->cfg_lock);
	ct_rule_counters(ct_rules_get(cn)->tables[0]->chains[0]->rules[0], &packets, &bytes);
	mutex_unlock(&cn->cfg_lock);
	KUNIT_EXPECT_EQ(test, packets, c->packets);
	KUNIT_EXPECT_EQ(test, bytes, c->packets * 60);
}

/* 16 nested jumps are allowed and run to the end; 17 are refused. */
static void jump_depth(struct kunit *test, unsigned int depth)
{
	struct ct_net *cn = rules_net(test);
	struct lop *ops = kunit_kcalloc(test, 2 * depth + 8, sizeof(*ops), GFP_KERNEL);
	static const char * const names[] = {
		"c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9",
		"c10", "c11", "c12", "c13", "c14", "c15", "c16", "c17",
	};
	struct netlink_ext_ack extack = {};
	unsigned int i, n = 0;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, ops);
	KUNIT_ASSERT_LT(test, depth, (unsigned int)ARRAY_SIZE(names));
	ops[n++] = (struct lop)TABLE(INET, "t");
	ops[n++] = (struct lop)BASE("in", INPUT, 0, ACCEPT);
	ops[n++] = (struct lop)JUMP(names[1]);
	for (i = 1; i <= depth; i++) {
		ops[n++] = (struct lop)CHAIN(names[i]);
		if (i < depth)
			ops[n++] = (struct lop)JUMP(names[i + 1]);
		else
			ops[n++] = (struct lop)RULE(REJECT);
	}
	ret = load(test, cn, ops, false, &extack);
	if (depth <= CT_JUMP_DEPTH) {
		struct ct_rule_pkt p;
		const struct ct_rule *hit;
		struct ct_reject rej;
		struct pspec ps = {};
		struct ct_pkt pkt;

		KUNIT_ASSERT_EQ_MSG(test, ret, 0, "%s", extack._msg ?: "");
		make_pkt(test, &ps, &pkt, &p);
		KUNIT_EXPECT_EQ(test, eval(cn, IN, &p, 60, &rej, &hit), V(REJECT));
		return;
	}
	KUNIT_EXPECT_EQ(test, ret, -EMLINK);
	KUNIT_ASSERT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(extack._msg, "deeper than 16"), "%s", extack._msg);
}

static void sixteen_nested_jumps_run(struct kunit *test)
{
	jump_depth(test, CT_JUMP_DEPTH);
}

static void seventeen_nested_jumps_are_refused(struct kunit *test)
{
	jump_depth(test, CT_JUMP_DEPTH + 1);
}

static struct kunit_case ctrack_rules_cases[] = {
	KUNIT_CASE_PARAM(match_eval_as_row_says, match_gen_params),
	KUNIT_CASE_PARAM(chain_verdicts_as_row_says, chain_gen_params),
	KUNIT_CASE_PARAM(load_refused_changes_nothing, refuse_gen_params),
	KUNIT_CASE(check_validates_without_publishing),
	KUNIT_CASE(counters_start_from_the_loaded_counts),
	KUNIT_CASE_PARAM(vmap_rule_counts_hit_or_miss, vmap_count_gen_params),
	KUNIT_CASE(sixteen_nested_jumps_run),
	KUNIT_CASE(seventeen_nested_jumps_are_refused),
	{}
};

static struct kunit_suite ctrack_rules_suite = {
	.name = "ctrack_rules",
	.test_cases = ctrack_rules_cases,
};
kunit_test_suites(&ctrack_rules_suite);
