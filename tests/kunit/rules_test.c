// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite ctrack_rules: the rule matcher, the checks of a parsed rule,
 * chain evaluation (first match, continue, policy, counters), the per-state
 * candidate lists, and rule set changes on a namespace (handles, counters
 * carried over, atomic load).
 */
#include <kunit/test.h>
#include <linux/inet.h>
#include <linux/slab.h>
#include "netns.h"
#include "rules.h"

#define P(x)	BIT(CTRACK_A_RULE_##x)
#define ST(x)	(CTRACK_CTSTATE_##x + 1)	/* 0 in a row means NEW */
#define CS(x)	CTRACK_CTSTATE_BIT(CTRACK_CTSTATE_##x)

/* A rule as a row spells it; addresses and names set their own bit. */
struct rspec {
	u32 present;
	u8 family, proto, sprefix, dprefix, icmp_type, verdict;
	u16 sport_min, sport_max, dport_min, dport_max;
	u32 ctstate;
	const char *saddr, *daddr, *iif, *oif;
	int slen;	/* overrides the parsed address length when set */
};

/* A packet; zero fields take the defaults of make_pkt(). */
struct pspec {
	const char *src, *dst;
	u8 proto, icmp_type, st;
	u16 sport, dport;
	const char *iif, *oif;
};

static unsigned int parse_addr(const char *s, union ct_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (strchr(s, ':')) {
		if (!in6_pton(s, -1, a->in6.s6_addr, -1, NULL))
			return 0;
		return 16;
	}
	if (!in4_pton(s, -1, (u8 *)&a->ip, -1, NULL))
		return 0;
	return 4;
}

static struct ct_rule *make_rule(struct kunit *test, const struct rspec *s,
				 int *err, int *bad)
{
	unsigned int slen = 0, dlen = 0;
	const char *msg = NULL;
	struct ct_rule *r;

	r = ct_rule_alloc(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->present = s->present;
	r->family = s->family;
	r->proto = s->proto;
	r->sprefix = s->sprefix;
	r->dprefix = s->dprefix;
	r->icmp_type = s->icmp_type;
	r->verdict = s->verdict;
	r->sport_min = s->sport_min;
	r->sport_max = s->sport_max;
	r->dport_min = s->dport_min;
	r->dport_max = s->dport_max;
	r->ctstate = s->ctstate;
	if (s->saddr) {
		slen = parse_addr(s->saddr, &r->saddr);
		KUNIT_ASSERT_NE(test, slen, 0U);
		r->present |= P(SADDR);
	}
	if (s->slen)
		slen = s->slen;
	if (s->daddr) {
		dlen = parse_addr(s->daddr, &r->daddr);
		KUNIT_ASSERT_NE(test, dlen, 0U);
		r->present |= P(DADDR);
	}
	if (s->iif) {
		strscpy(r->iifname, s->iif, IFNAMSIZ);
		r->present |= P(IIFNAME);
	}
	if (s->oif) {
		strscpy(r->oifname, s->oif, IFNAMSIZ);
		r->present |= P(OIFNAME);
	}
	*bad = 0;
	*err = ct_rule_check(r, slen, dlen, bad, &msg);
	if (*err)
		KUNIT_EXPECT_NOT_NULL(test, msg);
	return r;
}

static struct ct_rule *make_good_rule(struct kunit *test, const struct rspec *s)
{
	int err, bad;
	struct ct_rule *r = make_rule(test, s, &err, &bad);

	KUNIT_ASSERT_EQ_MSG(test, err, 0, "rule refused, attribute %d", bad);
	return r;
}

static void make_pkt(struct kunit *test, const struct pspec *ps,
		     struct ct_pkt *pkt, struct ct_rule_pkt *p)
{
	unsigned int slen, dlen;

	memset(pkt, 0, sizeof(*pkt));
	slen = parse_addr(ps->src ?: "192.168.1.10", &pkt->tuple.src);
	dlen = parse_addr(ps->dst ?: (ps->src && strchr(ps->src, ':') ?
				     "fd00::2" : "10.0.0.1"), &pkt->tuple.dst);
	KUNIT_ASSERT_NE(test, slen, 0U);
	KUNIT_ASSERT_EQ(test, slen, dlen);
	pkt->tuple.l3 = slen == 4 ? NFPROTO_IPV4 : NFPROTO_IPV6;
	pkt->tuple.proto = ps->proto ?: IPPROTO_TCP;
	pkt->tuple.sport = htons(ps->sport ?: 40000);
	pkt->tuple.dport = htons(ps->dport ?: 22);
	pkt->icmp_type = ps->icmp_type;
	p->pkt = pkt;
	p->ctstate = ps->st ? ps->st - 1 : CTRACK_CTSTATE_NEW;
	p->iifname = ps->iif ?: "eth0";
	p->oifname = ps->oif;
}

/* The matcher, one match type at a time and combined. */

struct match_case {
	const char *name;
	struct rspec r;
	struct pspec p;
	bool match;
};

static const struct match_case match_cases[] = {
	{ "empty rule matches anything", {}, {}, true },
	{ "family ipv4 matches a v4 packet",
	  { .present = P(FAMILY), .family = NFPROTO_IPV4 }, {}, true },
	{ "family ipv6 misses a v4 packet",
	  { .present = P(FAMILY), .family = NFPROTO_IPV6 }, {}, false },
	{ "family ipv6 matches a v6 packet",
	  { .present = P(FAMILY), .family = NFPROTO_IPV6 },
	  { .src = "fd00::1" }, true },
	{ "proto tcp matches tcp", { .present = P(PROTO), .proto = IPPROTO_TCP }, {}, true },
	{ "proto udp misses tcp", { .present = P(PROTO), .proto = IPPROTO_UDP }, {}, false },
	{ "saddr /32 exact", { .saddr = "192.168.1.10" }, {}, true },
	{ "saddr /32 next address misses", { .saddr = "192.168.1.11" }, {}, false },
	{ "saddr /24 covers the host", { .saddr = "192.168.1.0", .present = P(SPREFIX), .sprefix = 24 }, {}, true },
	{ "saddr /8 last address inside",
	  { .saddr = "192.0.0.0", .present = P(SPREFIX), .sprefix = 8 },
	  { .src = "192.255.255.255" }, true },
	{ "saddr /8 first address outside",
	  { .saddr = "192.0.0.0", .present = P(SPREFIX), .sprefix = 8 },
	  { .src = "193.0.0.0" }, false },
	{ "saddr /0 matches every v4 address",
	  { .saddr = "0.0.0.0", .present = P(SPREFIX), .sprefix = 0 },
	  { .src = "255.255.255.255" }, true },
	{ "v4 saddr /0 misses a v6 packet",
	  { .saddr = "0.0.0.0", .present = P(SPREFIX), .sprefix = 0 },
	  { .src = "fd00::1" }, false },
	{ "daddr v6 /128 exact", { .daddr = "fd00::2" }, { .src = "fd00::1" }, true },
	{ "daddr v6 /128 last bit differs", { .daddr = "fd00::3" }, { .src = "fd00::1" }, false },
	{ "daddr v6 /64 inside",
	  { .daddr = "fd00:0:0:1::", .present = P(DPREFIX), .dprefix = 64 },
	  { .src = "fd00::1", .dst = "fd00:0:0:1:ffff:ffff:ffff:ffff" }, true },
	{ "daddr v6 /64 next network outside",
	  { .daddr = "fd00:0:0:1::", .present = P(DPREFIX), .dprefix = 64 },
	  { .src = "fd00::1", .dst = "fd00:0:0:2::" }, false },
	{ "daddr v6 /0 matches every v6 address",
	  { .daddr = "::", .present = P(DPREFIX), .dprefix = 0 },
	  { .src = "fd00::1", .dst = "2001:db8::1" }, true },
	{ "v6 daddr /0 misses a v4 packet",
	  { .daddr = "::", .present = P(DPREFIX), .dprefix = 0 }, {}, false },
	{ "tcp dport 22 matches 22",
	  { .present = P(PROTO) | P(DPORT_MIN), .proto = IPPROTO_TCP, .dport_min = 22 },
	  { .dport = 22 }, true },
	{ "tcp dport 22 misses 23",
	  { .present = P(PROTO) | P(DPORT_MIN), .proto = IPPROTO_TCP, .dport_min = 22 },
	  { .dport = 23 }, false },
	{ "dport range 20-22 low edge",
	  { .present = P(PROTO) | P(DPORT_MIN) | P(DPORT_MAX), .proto = IPPROTO_TCP,
	    .dport_min = 20, .dport_max = 22 }, { .dport = 20 }, true },
	{ "dport range 20-22 high edge",
	  { .present = P(PROTO) | P(DPORT_MIN) | P(DPORT_MAX), .proto = IPPROTO_TCP,
	    .dport_min = 20, .dport_max = 22 }, { .dport = 22 }, true },
	{ "dport range 20-22 below",
	  { .present = P(PROTO) | P(DPORT_MIN) | P(DPORT_MAX), .proto = IPPROTO_TCP,
	    .dport_min = 20, .dport_max = 22 }, { .dport = 19 }, false },
	{ "dport range 20-22 above",
	  { .present = P(PROTO) | P(DPORT_MIN) | P(DPORT_MAX), .proto = IPPROTO_TCP,
	    .dport_min = 20, .dport_max = 22 }, { .dport = 23 }, false },
	{ "dport range to 65535 includes 65535",
	  { .present = P(PROTO) | P(DPORT_MIN) | P(DPORT_MAX), .proto = IPPROTO_TCP,
	    .dport_min = 1024, .dport_max = 65535 }, { .dport = 65535 }, true },
	{ "udp sport range matches",
	  { .present = P(PROTO) | P(SPORT_MIN) | P(SPORT_MAX), .proto = IPPROTO_UDP,
	    .sport_min = 1024, .sport_max = 65535 },
	  { .proto = IPPROTO_UDP, .sport = 40000 }, true },
	{ "udp sport rule misses tcp",
	  { .present = P(PROTO) | P(SPORT_MIN), .proto = IPPROTO_UDP, .sport_min = 40000 },
	  { .sport = 40000 }, false },
	{ "icmp type 8 matches echo request",
	  { .present = P(PROTO) | P(ICMP_TYPE), .proto = IPPROTO_ICMP, .icmp_type = 8 },
	  { .proto = IPPROTO_ICMP, .icmp_type = 8 }, true },
	{ "icmp type 8 misses echo reply",
	  { .present = P(PROTO) | P(ICMP_TYPE), .proto = IPPROTO_ICMP, .icmp_type = 8 },
	  { .proto = IPPROTO_ICMP, .icmp_type = 0 }, false },
	{ "icmpv6 type 128 matches v6 echo request",
	  { .present = P(PROTO) | P(ICMP_TYPE), .proto = IPPROTO_ICMPV6, .icmp_type = 128 },
	  { .src = "fd00::1", .proto = IPPROTO_ICMPV6, .icmp_type = 128 }, true },
	{ "icmp rule misses icmpv6 with the same type",
	  { .present = P(PROTO) | P(ICMP_TYPE), .proto = IPPROTO_ICMP, .icmp_type = 128 },
	  { .src = "fd00::1", .proto = IPPROTO_ICMPV6, .icmp_type = 128 }, false },
	{ "iifname exact", { .iif = "eth0" }, { .iif = "eth0" }, true },
	{ "iifname other device", { .iif = "eth0" }, { .iif = "eth1" }, false },
	{ "iifname prefix is not a match", { .iif = "eth" }, { .iif = "eth0" }, false },
	{ "iifname wildcard matches", { .iif = "eth*" }, { .iif = "eth1" }, true },
	{ "iifname wildcard misses", { .iif = "eth*" }, { .iif = "wlan0" }, false },
	{ "oifname without an output device", { .oif = "eth0" }, {}, false },
	{ "oifname matches", { .oif = "veth1" }, { .oif = "veth1" }, true },
	{ "ct state new matches new",
	  { .present = P(CTSTATE), .ctstate = CS(NEW) }, { .st = ST(NEW) }, true },
	{ "ct state established,related misses new",
	  { .present = P(CTSTATE), .ctstate = CS(ESTABLISHED) | CS(RELATED) },
	  { .st = ST(NEW) }, false },
	{ "ct state established,related matches related",
	  { .present = P(CTSTATE), .ctstate = CS(ESTABLISHED) | CS(RELATED) },
	  { .st = ST(RELATED) }, true },
	{ "ct state invalid matches invalid",
	  { .present = P(CTSTATE), .ctstate = CS(INVALID) }, { .st = ST(INVALID) }, true },
	{ "ct state invalid misses established",
	  { .present = P(CTSTATE), .ctstate = CS(INVALID) }, { .st = ST(ESTABLISHED) }, false },
	{ "combined: net, tcp dport 22, new, iif",
	  { .saddr = "192.168.1.0", .present = P(SPREFIX) | P(PROTO) | P(DPORT_MIN) | P(CTSTATE),
	    .sprefix = 24, .proto = IPPROTO_TCP, .dport_min = 22, .ctstate = CS(NEW), .iif = "eth0" },
	  { .dport = 22 }, true },
	{ "combined: one match off (state) fails",
	  { .saddr = "192.168.1.0", .present = P(SPREFIX) | P(PROTO) | P(DPORT_MIN) | P(CTSTATE),
	    .sprefix = 24, .proto = IPPROTO_TCP, .dport_min = 22, .ctstate = CS(NEW), .iif = "eth0" },
	  { .dport = 22, .st = ST(ESTABLISHED) }, false },
	{ "combined: one match off (source net) fails",
	  { .saddr = "192.168.1.0", .present = P(SPREFIX) | P(PROTO) | P(DPORT_MIN) | P(CTSTATE),
	    .sprefix = 24, .proto = IPPROTO_TCP, .dport_min = 22, .ctstate = CS(NEW), .iif = "eth0" },
	  { .dport = 22, .src = "192.168.2.10" }, false },
};

static void match_case_desc(const struct match_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(match, match_cases, match_case_desc);

static void rule_matches_packet_as_row_says(struct kunit *test)
{
	const struct match_case *c = test->param_value;
	struct ct_rule_pkt p;
	struct ct_pkt pkt;
	struct ct_rule *r;

	r = make_good_rule(test, &c->r);
	make_pkt(test, &c->p, &pkt, &p);
	KUNIT_EXPECT_EQ(test, ct_rule_match(r, &p), c->match);
	ct_rule_put(r);
}

/* The checks of a parsed rule: nonsense is refused, naming the attribute. */

struct check_case {
	const char *name;
	struct rspec r;
	int err;
	int bad;
};

static const struct check_case check_cases[] = {
	{ "ipv4 prefix 32 is fine",
	  { .saddr = "10.0.0.1", .present = P(SPREFIX), .sprefix = 32 }, 0, 0 },
	{ "ipv4 prefix 33 is refused",
	  { .saddr = "10.0.0.1", .present = P(SPREFIX), .sprefix = 33 }, -EINVAL, CTRACK_A_RULE_SPREFIX },
	{ "ipv6 prefix 128 is fine",
	  { .daddr = "fd00::1", .present = P(DPREFIX), .dprefix = 128 }, 0, 0 },
	{ "ipv6 prefix 129 is refused",
	  { .daddr = "fd00::1", .present = P(DPREFIX), .dprefix = 129 }, -EINVAL, CTRACK_A_RULE_DPREFIX },
	{ "prefix without an address is refused",
	  { .present = P(SPREFIX), .sprefix = 8 }, -EINVAL, CTRACK_A_RULE_SPREFIX },
	{ "address of 5 bytes is refused",
	  { .saddr = "10.0.0.1", .slen = 5 }, -EINVAL, CTRACK_A_RULE_SADDR },
	{ "inverted port range is refused",
	  { .present = P(PROTO) | P(DPORT_MIN) | P(DPORT_MAX), .proto = IPPROTO_TCP,
	    .dport_min = 80, .dport_max = 79 }, -EINVAL, CTRACK_A_RULE_DPORT_MAX },
	{ "one-port range is fine",
	  { .present = P(PROTO) | P(DPORT_MIN) | P(DPORT_MAX), .proto = IPPROTO_TCP,
	    .dport_min = 80, .dport_max = 80 }, 0, 0 },
	{ "inverted source range is refused",
	  { .present = P(PROTO) | P(SPORT_MIN) | P(SPORT_MAX), .proto = IPPROTO_UDP,
	    .sport_min = 2, .sport_max = 1 }, -EINVAL, CTRACK_A_RULE_SPORT_MAX },
	{ "range end without start is refused",
	  { .present = P(PROTO) | P(DPORT_MAX), .proto = IPPROTO_TCP, .dport_max = 80 },
	  -EINVAL, CTRACK_A_RULE_DPORT_MAX },
	{ "ports without a protocol are refused",
	  { .present = P(DPORT_MIN), .dport_min = 22 }, -EINVAL, CTRACK_A_RULE_DPORT_MIN },
	{ "ports with icmp are refused",
	  { .present = P(PROTO) | P(SPORT_MIN), .proto = IPPROTO_ICMP, .sport_min = 1 },
	  -EINVAL, CTRACK_A_RULE_SPORT_MIN },
	{ "family ipv6 with an IPv4 address is refused",
	  { .present = P(FAMILY), .family = NFPROTO_IPV6, .saddr = "10.0.0.1" },
	  -EINVAL, CTRACK_A_RULE_SADDR },
	{ "IPv4 source with IPv6 destination is refused",
	  { .saddr = "10.0.0.1", .daddr = "fd00::1" }, -EINVAL, CTRACK_A_RULE_DADDR },
	{ "family 7 is refused",
	  { .present = P(FAMILY), .family = 7 }, -EINVAL, CTRACK_A_RULE_FAMILY },
	{ "icmp type without a protocol is refused",
	  { .present = P(ICMP_TYPE), .icmp_type = 8 }, -EINVAL, CTRACK_A_RULE_ICMP_TYPE },
	{ "icmp type with tcp is refused",
	  { .present = P(PROTO) | P(ICMP_TYPE), .proto = IPPROTO_TCP, .icmp_type = 8 },
	  -EINVAL, CTRACK_A_RULE_ICMP_TYPE },
	{ "icmp in an ipv6 rule is refused",
	  { .present = P(FAMILY) | P(PROTO), .family = NFPROTO_IPV6, .proto = IPPROTO_ICMP },
	  -EINVAL, CTRACK_A_RULE_PROTO },
	{ "icmpv6 with an IPv4 address is refused",
	  { .saddr = "10.0.0.1", .present = P(PROTO), .proto = IPPROTO_ICMPV6 },
	  -EINVAL, CTRACK_A_RULE_PROTO },
	{ "empty ct state set is refused",
	  { .present = P(CTSTATE), .ctstate = 0 }, -EINVAL, CTRACK_A_RULE_CTSTATE },
	{ "unknown ct state bit is refused",
	  { .present = P(CTSTATE), .ctstate = BIT(5) }, -EINVAL, CTRACK_A_RULE_CTSTATE },
	{ "empty interface name is refused", { .iif = "" }, -EINVAL, CTRACK_A_RULE_IIFNAME },
	{ "verdict 4 is refused",
	  { .present = P(VERDICT), .verdict = 4 }, -EINVAL, CTRACK_A_RULE_VERDICT },
	{ "the seed's ssh rule is fine",
	  { .present = P(PROTO) | P(DPORT_MIN) | P(CTSTATE) | P(VERDICT), .proto = IPPROTO_TCP,
	    .dport_min = 22, .ctstate = CS(NEW), .verdict = CTRACK_VERDICT_ACCEPT }, 0, 0 },
};

static void check_case_desc(const struct check_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(check, check_cases, check_case_desc);

static void rule_check_refuses_nonsense(struct kunit *test)
{
	const struct check_case *c = test->param_value;
	struct ct_rule *r;
	int err, bad;

	r = make_rule(test, &c->r, &err, &bad);
	KUNIT_EXPECT_EQ(test, err, c->err);
	if (c->err)
		KUNIT_EXPECT_EQ(test, bad, c->bad);
	ct_rule_put(r);
}

static void check_masks_address_and_fills_defaults(struct kunit *test)
{
	const struct rspec s = {
		.saddr = "192.168.1.77", .present = P(SPREFIX) | P(PROTO) | P(DPORT_MIN),
		.sprefix = 24, .proto = IPPROTO_TCP, .dport_min = 443,
	};
	const struct rspec s6 = {
		.present = P(PROTO), .proto = IPPROTO_ICMPV6, .daddr = "fd00::1",
	};
	struct ct_rule *r = make_good_rule(test, &s);

	KUNIT_EXPECT_EQ(test, ntohl(r->saddr.ip), 0xc0a80100);
	KUNIT_EXPECT_EQ(test, r->family, (u8)NFPROTO_IPV4);
	KUNIT_EXPECT_TRUE(test, r->present & P(FAMILY));
	KUNIT_EXPECT_EQ(test, r->dport_max, 443);
	ct_rule_put(r);

	r = make_good_rule(test, &s6);
	KUNIT_EXPECT_EQ(test, r->family, (u8)NFPROTO_IPV6);
	KUNIT_EXPECT_EQ(test, r->dprefix, 128);
	ct_rule_put(r);
}

/* Chains: first match, continue, policy, counters. */

#define MAXR 4

struct chain_case {
	const char *name;
	struct rspec r[MAXR];
	unsigned int n;
	u8 policy;
	struct pspec p;
	u8 verdict;
	int hit;			/* index of the deciding rule, -1: policy */
	u64 packets[MAXR];
};

#define ANY_ACCEPT	{ .present = P(VERDICT), .verdict = CTRACK_VERDICT_ACCEPT }
#define TCP22(v)	{ .present = P(PROTO) | P(DPORT_MIN) | P(VERDICT), \
			  .proto = IPPROTO_TCP, .dport_min = 22, .verdict = (v) }
/* The seed documents' ruleset, line for line. */
#define SEED_RULES {							\
	{ .present = P(CTSTATE) | P(VERDICT), .ctstate = CS(ESTABLISHED) | CS(RELATED), \
	  .verdict = CTRACK_VERDICT_ACCEPT },				\
	{ .present = P(CTSTATE) | P(VERDICT), .ctstate = CS(INVALID),	\
	  .verdict = CTRACK_VERDICT_DROP },				\
	{ .present = P(PROTO) | P(DPORT_MIN) | P(CTSTATE) | P(VERDICT),	\
	  .proto = IPPROTO_TCP, .dport_min = 22, .ctstate = CS(NEW),	\
	  .verdict = CTRACK_VERDICT_ACCEPT },				\
	{ .present = P(CTSTATE) | P(VERDICT), .ctstate = CS(NEW),	\
	  .verdict = CTRACK_VERDICT_DROP } }

static const struct chain_case chain_cases[] = {
	{ "continue counts and goes on",
	  { { .present = P(PROTO), .proto = IPPROTO_TCP }, TCP22(CTRACK_VERDICT_ACCEPT),
	    { .present = P(VERDICT), .verdict = CTRACK_VERDICT_DROP } }, 3,
	  CTRACK_VERDICT_DROP, { .dport = 22 }, CTRACK_VERDICT_ACCEPT, 1, { 1, 1, 0 } },
	{ "first match wins",
	  { TCP22(CTRACK_VERDICT_DROP), TCP22(CTRACK_VERDICT_ACCEPT) }, 2,
	  CTRACK_VERDICT_ACCEPT, { .dport = 22 }, CTRACK_VERDICT_DROP, 0, { 1, 0 } },
	{ "policy drop when nothing matches",
	  { { .present = P(PROTO) | P(VERDICT), .proto = IPPROTO_UDP,
	      .verdict = CTRACK_VERDICT_ACCEPT } }, 1,
	  CTRACK_VERDICT_DROP, {}, CTRACK_VERDICT_DROP, -1, { 0 } },
	{ "only continue rules fall through to the policy",
	  { { .present = 0 }, { .present = P(PROTO), .proto = IPPROTO_TCP } }, 2,
	  CTRACK_VERDICT_ACCEPT, {}, CTRACK_VERDICT_ACCEPT, -1, { 1, 1 } },
	{ "empty chain takes the policy", {}, 0,
	  CTRACK_VERDICT_DROP, {}, CTRACK_VERDICT_DROP, -1, {} },
	{ "reject is the verdict of a reject rule",
	  { TCP22(CTRACK_VERDICT_REJECT), ANY_ACCEPT }, 2,
	  CTRACK_VERDICT_ACCEPT, { .dport = 22 }, CTRACK_VERDICT_REJECT, 0, { 1, 0 } },
	{ "seed: new ssh is accepted", SEED_RULES, 4, CTRACK_VERDICT_ACCEPT,
	  { .dport = 22, .st = ST(NEW) }, CTRACK_VERDICT_ACCEPT, 2, { 0, 0, 1, 0 } },
	{ "seed: new http is dropped", SEED_RULES, 4, CTRACK_VERDICT_ACCEPT,
	  { .dport = 80, .st = ST(NEW) }, CTRACK_VERDICT_DROP, 3, { 0, 0, 0, 1 } },
	{ "seed: established passes on the first rule", SEED_RULES, 4, CTRACK_VERDICT_ACCEPT,
	  { .dport = 80, .st = ST(ESTABLISHED) }, CTRACK_VERDICT_ACCEPT, 0, { 1, 0, 0, 0 } },
	{ "seed: related passes", SEED_RULES, 4, CTRACK_VERDICT_ACCEPT,
	  { .proto = IPPROTO_UDP, .st = ST(RELATED) }, CTRACK_VERDICT_ACCEPT, 0, { 1, 0, 0, 0 } },
	{ "seed: invalid is dropped", SEED_RULES, 4, CTRACK_VERDICT_ACCEPT,
	  { .dport = 22, .st = ST(INVALID) }, CTRACK_VERDICT_DROP, 1, { 0, 1, 0, 0 } },
};

static void chain_case_desc(const struct chain_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(chain, chain_cases, chain_case_desc);

static void chain_verdict_and_counters_as_row_says(struct kunit *test)
{
	const struct chain_case *c = test->param_value;
	struct ct_rule *r[MAXR] = {};
	const struct ct_rule *hit;
	struct ct_ruleset *rs;
	struct ct_rule_pkt p;
	struct ct_pkt pkt;
	unsigned int i;
	u64 packets, bytes;

	for (i = 0; i < c->n; i++)
		r[i] = make_good_rule(test, &c->r[i]);
	rs = ct_ruleset_build(CTRACK_HOOK_INPUT, r, c->n, c->policy);
	KUNIT_ASSERT_NOT_NULL(test, rs);
	make_pkt(test, &c->p, &pkt, &p);

	KUNIT_EXPECT_EQ(test, ct_ruleset_verdict(rs, CTRACK_HOOK_INPUT, &p, 100, &hit),
			c->verdict);
	KUNIT_EXPECT_PTR_EQ(test, hit, c->hit < 0 ? NULL : r[c->hit]);
	for (i = 0; i < c->n; i++) {
		ct_rule_counters(r[i], &packets, &bytes);
		KUNIT_EXPECT_EQ_MSG(test, packets, c->packets[i], "rule %u", i);
		KUNIT_EXPECT_EQ_MSG(test, bytes, c->packets[i] * 100, "rule %u", i);
	}
	/* Other chains are empty and accept. */
	KUNIT_EXPECT_EQ(test, ct_ruleset_verdict(rs, CTRACK_HOOK_OUTPUT, &p, 100, &hit),
			CTRACK_VERDICT_ACCEPT);
	ct_ruleset_free(rs);
	for (i = 0; i < c->n; i++)
		ct_rule_put(r[i]);
}

/* The candidate lists: which rules a packet in each state walks. */

struct cand_case {
	const char *name;
	u8 st;
	int idx[4];	/* into SEED_RULES plus a stateless rule; -1 ends */
};

static const struct rspec cand_rules[] = {
	{ .present = P(CTSTATE) | P(VERDICT), .ctstate = CS(ESTABLISHED) | CS(RELATED),
	  .verdict = CTRACK_VERDICT_ACCEPT },
	{ .present = P(CTSTATE) | P(VERDICT), .ctstate = CS(INVALID),
	  .verdict = CTRACK_VERDICT_DROP },
	{ .present = P(PROTO) | P(DPORT_MIN), .proto = IPPROTO_TCP, .dport_min = 22 },
	{ .present = P(CTSTATE) | P(VERDICT), .ctstate = CS(NEW),
	  .verdict = CTRACK_VERDICT_DROP },
};

static const struct cand_case cand_cases[] = {
	{ "established walks est,rel and stateless rules", ST(ESTABLISHED), { 0, 2, -1 } },
	{ "related walks est,rel and stateless rules", ST(RELATED), { 0, 2, -1 } },
	{ "new walks stateless and new rules", ST(NEW), { 2, 3, -1 } },
	{ "invalid walks invalid and stateless rules", ST(INVALID), { 1, 2, -1 } },
};

static void cand_case_desc(const struct cand_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(cand, cand_cases, cand_case_desc);

static void candidates_skip_rules_of_other_states(struct kunit *test)
{
	const struct cand_case *c = test->param_value;
	struct ct_rule *r[ARRAY_SIZE(cand_rules)];
	struct ct_rule * const *list;
	struct ct_ruleset *rs;
	unsigned int i, n;

	for (i = 0; i < ARRAY_SIZE(cand_rules); i++)
		r[i] = make_good_rule(test, &cand_rules[i]);
	rs = ct_ruleset_build(CTRACK_HOOK_FORWARD, r, ARRAY_SIZE(r),
			      CTRACK_VERDICT_ACCEPT);
	KUNIT_ASSERT_NOT_NULL(test, rs);
	n = ct_ruleset_candidates(rs, CTRACK_HOOK_FORWARD, c->st - 1, &list);
	for (i = 0; i < ARRAY_SIZE(c->idx) && c->idx[i] >= 0; i++) {
		KUNIT_ASSERT_LT(test, i, n);
		KUNIT_EXPECT_PTR_EQ_MSG(test, list[i], r[c->idx[i]], "entry %u", i);
	}
	KUNIT_EXPECT_EQ(test, n, i);
	ct_ruleset_free(rs);
	for (i = 0; i < ARRAY_SIZE(r); i++)
		ct_rule_put(r[i]);
}

/* Changes on a namespace's rule set. */

static struct ct_net *fake_net(struct kunit *test)
{
	struct ct_net *cn = kunit_kzalloc(test, sizeof(*cn), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, cn);
	mutex_init(&cn->cfg_lock);
	KUNIT_ASSERT_EQ(test, ct_rules_net_init(cn), 0);
	return cn;
}

static void fake_net_free(struct ct_net *cn)
{
	ct_rules_net_exit(cn);
	rcu_barrier();
}

static u32 add(struct kunit *test, struct ct_net *cn, enum ctrack_hook hook,
	       const struct rspec *s, u32 before)
{
	u32 handle = 0;
	int ret;

	ret = ct_rules_add(cn, hook, make_good_rule(test, s), before, &handle, NULL);
	KUNIT_EXPECT_EQ(test, ret, 0);
	return handle;
}

static void expect_order(struct kunit *test, struct ct_net *cn,
			 enum ctrack_hook hook, const u32 *handles, u32 n)
{
	const struct ct_ruleset *rs = ct_rules_get(cn);
	u32 i;

	KUNIT_ASSERT_EQ(test, ct_ruleset_count(rs, hook), n);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, ct_ruleset_rule(rs, hook, i)->handle,
				    handles[i], "position %u", i);
}

static void handles_are_stable_and_never_reused(struct kunit *test)
{
	static const struct rspec any = {};
	struct ct_net *cn = fake_net(test);
	u32 a, b, c, d, e;

	mutex_lock(&cn->cfg_lock);
	a = add(test, cn, CTRACK_HOOK_INPUT, &any, 0);
	b = add(test, cn, CTRACK_HOOK_INPUT, &any, 0);
	KUNIT_EXPECT_NE(test, a, b);
	KUNIT_EXPECT_EQ(test, ct_rules_del(cn, CTRACK_HOOK_INPUT, b, NULL), 0);
	c = add(test, cn, CTRACK_HOOK_INPUT, &any, 0);
	KUNIT_EXPECT_NE(test, c, b);
	KUNIT_EXPECT_NE(test, c, a);
	expect_order(test, cn, CTRACK_HOOK_INPUT, (u32 []){ a, c }, 2);

	d = add(test, cn, CTRACK_HOOK_INPUT, &any, CT_RULE_HEAD);
	expect_order(test, cn, CTRACK_HOOK_INPUT, (u32 []){ d, a, c }, 3);
	e = add(test, cn, CTRACK_HOOK_INPUT, &any, c);
	expect_order(test, cn, CTRACK_HOOK_INPUT, (u32 []){ d, a, e, c }, 4);

	/* Handles are per namespace, not per chain. */
	KUNIT_EXPECT_GT(test, add(test, cn, CTRACK_HOOK_OUTPUT, &any, 0), e);
	KUNIT_EXPECT_EQ(test, ct_rules_del(cn, CTRACK_HOOK_INPUT, b, NULL), -ENOENT);
	mutex_unlock(&cn->cfg_lock);
	fake_net_free(cn);
}

static void failed_change_changes_nothing(struct kunit *test)
{
	static const struct rspec any = {};
	struct ct_net *cn = fake_net(test);
	const struct ct_ruleset *before;
	u32 handle = 0, a;

	mutex_lock(&cn->cfg_lock);
	a = add(test, cn, CTRACK_HOOK_INPUT, &any, 0);
	before = ct_rules_get(cn);
	KUNIT_EXPECT_EQ(test, ct_rules_add(cn, CTRACK_HOOK_INPUT,
					   make_good_rule(test, &any), a + 100,
					   &handle, NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, ct_rules_del(cn, CTRACK_HOOK_OUTPUT, a, NULL), -ENOENT);
	KUNIT_EXPECT_PTR_EQ(test, ct_rules_get(cn), before);
	/* A refused add burns no handle. */
	KUNIT_EXPECT_EQ(test, add(test, cn, CTRACK_HOOK_INPUT, &any, 0), a + 1);
	mutex_unlock(&cn->cfg_lock);
	fake_net_free(cn);
}

static void counters_survive_changes_to_other_rules(struct kunit *test)
{
	static const struct rspec tcp = { .present = P(PROTO), .proto = IPPROTO_TCP };
	static const struct rspec udp = { .present = P(PROTO), .proto = IPPROTO_UDP };
	struct ct_net *cn = fake_net(test);
	const struct ct_rule *hit;
	struct ct_rule_pkt p;
	struct ct_pkt pkt;
	u64 packets, bytes;
	u32 t, u;

	make_pkt(test, &(struct pspec){}, &pkt, &p);
	mutex_lock(&cn->cfg_lock);
	t = add(test, cn, CTRACK_HOOK_INPUT, &tcp, 0);
	ct_ruleset_verdict(ct_rules_get(cn), CTRACK_HOOK_INPUT, &p, 60, &hit);
	ct_ruleset_verdict(ct_rules_get(cn), CTRACK_HOOK_INPUT, &p, 60, &hit);

	u = add(test, cn, CTRACK_HOOK_INPUT, &udp, CT_RULE_HEAD);
	KUNIT_EXPECT_EQ(test, ct_rules_policy(cn, CTRACK_HOOK_INPUT, CTRACK_VERDICT_DROP), 0);
	KUNIT_EXPECT_EQ(test, ct_rules_del(cn, CTRACK_HOOK_INPUT, u, NULL), 0);
	KUNIT_EXPECT_EQ(test, ct_rules_flush(cn, CTRACK_HOOK_OUTPUT), 0);

	KUNIT_ASSERT_EQ(test, ct_ruleset_count(ct_rules_get(cn), CTRACK_HOOK_INPUT), 1U);
	hit = ct_ruleset_rule(ct_rules_get(cn), CTRACK_HOOK_INPUT, 0);
	KUNIT_EXPECT_EQ(test, hit->handle, t);
	ct_rule_counters(hit, &packets, &bytes);
	KUNIT_EXPECT_EQ(test, packets, 2ULL);
	KUNIT_EXPECT_EQ(test, bytes, 120ULL);
	KUNIT_EXPECT_EQ(test, ct_ruleset_policy(ct_rules_get(cn), CTRACK_HOOK_INPUT),
			CTRACK_VERDICT_DROP);
	mutex_unlock(&cn->cfg_lock);
	fake_net_free(cn);
}

static void load_replaces_every_chain_at_once(struct kunit *test)
{
	static const struct rspec any = {};
	struct ct_net *cn = fake_net(test);
	const struct ct_ruleset *rs;
	struct ct_rules_load *ld;
	u64 gen;
	u32 a;

	mutex_lock(&cn->cfg_lock);
	a = add(test, cn, CTRACK_HOOK_INPUT, &any, 0);
	KUNIT_EXPECT_EQ(test, ct_rules_policy(cn, CTRACK_HOOK_FORWARD, CTRACK_VERDICT_DROP), 0);
	gen = ct_ruleset_gen(ct_rules_get(cn));

	ld = ct_rules_load_begin();
	KUNIT_ASSERT_NOT_NULL(test, ld);
	/* The output chain comes in two parts, the second without a policy. */
	KUNIT_EXPECT_EQ(test, ct_rules_load_chain(ld, CTRACK_HOOK_OUTPUT,
						  CTRACK_VERDICT_DROP, NULL), 0);
	KUNIT_EXPECT_EQ(test, ct_rules_load_rule(ld, CTRACK_HOOK_OUTPUT,
						 make_good_rule(test, &any), NULL), 0);
	KUNIT_EXPECT_EQ(test, ct_rules_load_chain(ld, CTRACK_HOOK_OUTPUT, -1, NULL), 0);
	KUNIT_EXPECT_EQ(test, ct_rules_load_chain(ld, CTRACK_HOOK_OUTPUT,
						  CTRACK_VERDICT_ACCEPT, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, ct_rules_load_rule(ld, CTRACK_HOOK_OUTPUT,
						 make_good_rule(test, &any), NULL), 0);
	KUNIT_EXPECT_EQ(test, ct_rules_load_commit(cn, ld), 0);

	rs = ct_rules_get(cn);
	KUNIT_EXPECT_GT(test, ct_ruleset_gen(rs), gen);
	/* Chains not named become empty with policy accept. */
	KUNIT_EXPECT_EQ(test, ct_ruleset_count(rs, CTRACK_HOOK_INPUT), 0U);
	KUNIT_EXPECT_EQ(test, ct_ruleset_policy(rs, CTRACK_HOOK_FORWARD),
			CTRACK_VERDICT_ACCEPT);
	KUNIT_EXPECT_EQ(test, ct_ruleset_policy(rs, CTRACK_HOOK_OUTPUT),
			CTRACK_VERDICT_DROP);
	KUNIT_ASSERT_EQ(test, ct_ruleset_count(rs, CTRACK_HOOK_OUTPUT), 2U);
	KUNIT_EXPECT_GT(test, ct_ruleset_rule(rs, CTRACK_HOOK_OUTPUT, 0)->handle, a);
	KUNIT_EXPECT_GT(test, ct_ruleset_rule(rs, CTRACK_HOOK_OUTPUT, 1)->handle,
			ct_ruleset_rule(rs, CTRACK_HOOK_OUTPUT, 0)->handle);

	/* An aborted load leaves the set as it was. */
	ld = ct_rules_load_begin();
	KUNIT_ASSERT_NOT_NULL(test, ld);
	KUNIT_EXPECT_EQ(test, ct_rules_load_rule(ld, CTRACK_HOOK_INPUT,
						 make_good_rule(test, &any), NULL), 0);
	ct_rules_load_abort(ld);
	KUNIT_EXPECT_PTR_EQ(test, ct_rules_get(cn), rs);
	mutex_unlock(&cn->cfg_lock);
	fake_net_free(cn);
}

static struct kunit_case ctrack_rules_cases[] = {
	KUNIT_CASE_PARAM(rule_matches_packet_as_row_says, match_gen_params),
	KUNIT_CASE_PARAM(rule_check_refuses_nonsense, check_gen_params),
	KUNIT_CASE(check_masks_address_and_fills_defaults),
	KUNIT_CASE_PARAM(chain_verdict_and_counters_as_row_says, chain_gen_params),
	KUNIT_CASE_PARAM(candidates_skip_rules_of_other_states, cand_gen_params),
	KUNIT_CASE(handles_are_stable_and_never_reused),
	KUNIT_CASE(failed_change_changes_nothing),
	KUNIT_CASE(counters_survive_changes_to_other_rules),
	KUNIT_CASE(load_replaces_every_chain_at_once),
	{}
};

static struct kunit_suite ctrack_rules_suite = {
	.name = "ctrack_rules",
	.test_cases = ctrack_rules_cases,
};
kunit_test_suites(&ctrack_rules_suite);
