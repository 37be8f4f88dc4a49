// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite ctrack_ctnetlink: the pure parts of the ctnetlink layer:
 * status bits and TCP states in nf_conntrack's terms, tuples to
 * CTA_TUPLE_* nests and back, and CTA_FILTER tuples as struct ct_filter.
 */
#include <kunit/test.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/skbuff.h>
#include <net/netlink.h>
#include "conn.h"
#include "ctnetlink.h"
#include "filter.h"
#include "tuple.h"

/* The CTA_FILTER flag bits, as ctnetlink.c spells them. */
#define F_IP_SRC	BIT(0)
#define F_IP_DST	BIT(1)
#define F_PROTO_NUM	BIT(3)
#define F_SRC_PORT	BIT(4)
#define F_DST_PORT	BIT(5)
#define F_ICMP_TYPE	BIT(6)
#define F_ICMP_ID	BIT(8)
#define F_ALL		(BIT(12) - 1)

struct status_case {
	const char *name;
	unsigned long ctrack;
	u32 ips;
};

static const struct status_case status_cases[] = {
	{ "fresh: confirmed only", 0, IPS_CONFIRMED },
	{ "seen reply", BIT(CTRACK_S_SEEN_REPLY), IPS_CONFIRMED | IPS_SEEN_REPLY },
	{ "assured", BIT(CTRACK_S_SEEN_REPLY) | BIT(CTRACK_S_ASSURED),
	  IPS_CONFIRMED | IPS_SEEN_REPLY | IPS_ASSURED },
	{ "related is expected", BIT(CTRACK_S_RELATED), IPS_CONFIRMED | IPS_EXPECTED },
	{ "helper", BIT(CTRACK_S_HELPER), IPS_CONFIRMED | IPS_HELPER },
	{ "dying", BIT(CTRACK_S_DYING), IPS_CONFIRMED | IPS_DYING },
	{ "all", BIT(__CTRACK_S_MAX) - 1,
	  IPS_CONFIRMED | IPS_SEEN_REPLY | IPS_ASSURED | IPS_EXPECTED |
	  IPS_HELPER | IPS_DYING },
};

static void status_case_desc(const struct status_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(status, status_cases, status_case_desc);

static void status_bits_map_to_ips(struct kunit *test)
{
	const struct status_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, ct_ctnl_status(c->ctrack), c->ips);
}

static void tcp_states_are_nf_conntrack_numbers(struct kunit *test)
{
	static const u8 want[__CTRACK_TCP_MAX] = {
		TCP_CONNTRACK_NONE, TCP_CONNTRACK_SYN_SENT, TCP_CONNTRACK_SYN_RECV,
		TCP_CONNTRACK_ESTABLISHED, TCP_CONNTRACK_FIN_WAIT,
		TCP_CONNTRACK_CLOSE_WAIT, TCP_CONNTRACK_LAST_ACK,
		TCP_CONNTRACK_TIME_WAIT, TCP_CONNTRACK_CLOSE,
		TCP_CONNTRACK_SYN_SENT2,
	};
	unsigned int s;

	KUNIT_EXPECT_EQ(test, CTRACK_TCP_SYN_SENT2 + 0, 9);
	for (s = 0; s < __CTRACK_TCP_MAX; s++)
		KUNIT_EXPECT_EQ_MSG(test, ct_ctnl_tcp_state(s), want[s], "state %u", s);
	KUNIT_EXPECT_EQ(test, ct_ctnl_tcp_state(200), TCP_CONNTRACK_NONE);
}

static struct ct_tuple tuple4(u8 proto, u16 sport, u16 dport)
{
	struct ct_tuple t = { .l3 = NFPROTO_IPV4, .proto = proto };

	t.src.ip = htonl(0x0a000102);
	t.dst.ip = htonl(0x0a000201);
	t.sport = htons(sport);
	t.dport = htons(dport);
	return t;
}

static struct ct_tuple tuple6(u8 proto, u16 sport, u16 dport)
{
	struct ct_tuple t = { .l3 = NFPROTO_IPV6, .proto = proto };

	t.src.in6.s6_addr[0] = 0xfd;
	t.src.in6.s6_addr[15] = 2;
	t.dst.in6.s6_addr[0] = 0xfd;
	t.dst.in6.s6_addr[1] = 2;
	t.dst.in6.s6_addr[15] = 2;
	t.sport = htons(sport);
	t.dport = htons(dport);
	return t;
}

struct tuple_case {
	const char *name;
	struct ct_tuple t;
};

static const struct tuple_case *tuple_cases_get(void)
{
	static struct tuple_case cases[5];

	cases[0] = (struct tuple_case){ "ipv4 tcp", tuple4(IPPROTO_TCP, 40022, 22) };
	cases[1] = (struct tuple_case){ "ipv6 udp", tuple6(IPPROTO_UDP, 40053, 53) };
	cases[2] = (struct tuple_case){ "ipv4 icmp echo",
					tuple4(IPPROTO_ICMP, 77, ICMP_ECHO << 8) };
	cases[3] = (struct tuple_case){ "ipv6 icmpv6 echo",
					tuple6(IPPROTO_ICMPV6, 78, ICMPV6_ECHO_REQUEST << 8) };
	cases[4] = (struct tuple_case){ "ipv4 gre (no ports)", tuple4(IPPROTO_GRE, 0, 0) };
	return cases;
}

static void free_skb(void *skb)
{
	kfree_skb(skb);
}

/* Puts @t (or its reply) into a fresh skb and returns the nest. */
static struct nlattr *put(struct kunit *test, const struct ct_tuple *t, bool reply)
{
	struct sk_buff *skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, free_skb, skb), 0);
	KUNIT_ASSERT_EQ(test, ct_ctnl_put_tuple(skb, CTA_TUPLE_ORIG, t, reply), 0);
	return (struct nlattr *)skb->data;
}

static void tuple_survives_put_and_parse(struct kunit *test)
{
	const struct tuple_case *cases = tuple_cases_get();
	struct ct_tuple got, want;
	unsigned int i;

	for (i = 0; i < 5; i++) {
		const struct ct_tuple *t = &cases[i].t;
		bool icmp = t->proto == IPPROTO_ICMP || t->proto == IPPROTO_ICMPV6;

		KUNIT_ASSERT_EQ(test, ct_ctnl_parse_tuple(put(test, t, false), t->l3,
							  F_ALL, &got, NULL), 0);
		KUNIT_EXPECT_TRUE_MSG(test, ct_tuple_equal(&got, t), "%s original",
				      cases[i].name);

		/* The reply nest parses to the inverse; ICMP keeps its key. */
		ct_tuple_invert(&want, t);
		if (icmp) {
			want.sport = t->sport;
			want.dport = t->dport;
		}
		KUNIT_ASSERT_EQ(test, ct_ctnl_parse_tuple(put(test, t, true), t->l3,
							  F_ALL, &got, NULL), 0);
		KUNIT_EXPECT_TRUE_MSG(test, ct_tuple_equal(&got, &want), "%s reply",
				      cases[i].name);
	}
}

/* What conntrack -L shows: the reply of an echo request is an echo reply. */
static void icmp_reply_nest_has_answer_type(struct kunit *test)
{
	struct ct_tuple t = tuple4(IPPROTO_ICMP, 77, ICMP_ECHO << 8 | 0);
	struct nlattr *tb[CTA_TUPLE_MAX + 1], *pb[CTA_PROTO_MAX + 1];

	KUNIT_ASSERT_EQ(test, nla_parse_nested_deprecated(tb, CTA_TUPLE_MAX,
							  put(test, &t, true), NULL, NULL), 0);
	KUNIT_ASSERT_NOT_NULL(test, tb[CTA_TUPLE_PROTO]);
	KUNIT_ASSERT_EQ(test, nla_parse_nested_deprecated(pb, CTA_PROTO_MAX,
							  tb[CTA_TUPLE_PROTO], NULL, NULL), 0);
	KUNIT_ASSERT_NOT_NULL(test, pb[CTA_PROTO_ICMP_TYPE]);
	KUNIT_EXPECT_EQ(test, nla_get_u8(pb[CTA_PROTO_ICMP_TYPE]), ICMP_ECHOREPLY);
	KUNIT_EXPECT_EQ(test, ntohs(nla_get_be16(pb[CTA_PROTO_ICMP_ID])), 77);
}

static void parse_refuses_what_nf_conntrack_refuses(struct kunit *test)
{
	struct ct_tuple t = tuple4(IPPROTO_TCP, 1, 2), got;
	struct ct_tuple unreach = tuple4(IPPROTO_ICMP, 0, ICMP_DEST_UNREACH << 8);
	struct nlattr *nest = put(test, &t, false);

	/* no family in nfgenmsg */
	KUNIT_EXPECT_EQ(test, ct_ctnl_parse_tuple(nest, NFPROTO_UNSPEC, F_ALL, &got, NULL),
			-EOPNOTSUPP);
	/* an IPv4 nest read as IPv6 lacks its addresses */
	KUNIT_EXPECT_EQ(test, ct_ctnl_parse_tuple(nest, NFPROTO_IPV6, F_ALL, &got, NULL),
			-EINVAL);
	/* port flags without the protocol */
	KUNIT_EXPECT_EQ(test, ct_ctnl_parse_tuple(nest, NFPROTO_IPV4, F_DST_PORT, &got, NULL),
			-EINVAL);
	/* ICMP errors have no tuple */
	KUNIT_EXPECT_EQ(test, ct_ctnl_parse_tuple(put(test, &unreach, false), NFPROTO_IPV4,
						  F_ALL, &got, NULL), -EINVAL);
	/* a partial filter reads only what it names */
	KUNIT_EXPECT_EQ(test, ct_ctnl_parse_tuple(nest, NFPROTO_IPV4,
						  F_PROTO_NUM | F_DST_PORT, &got, NULL), 0);
	KUNIT_EXPECT_EQ(test, got.proto, IPPROTO_TCP);
	KUNIT_EXPECT_EQ(test, ntohs(got.dport), 2);
	KUNIT_EXPECT_EQ(test, ntohs(got.sport), 0);
	KUNIT_EXPECT_EQ(test, ntohl(got.src.ip), 0);
}

static bool matches(struct kunit *test, struct ct_filter *f, const struct ct_tuple *t)
{
	struct ct_conn *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->tuple = *t;
	return ct_filter_match(c, f);
}

static void filter_of_reply_tuple_compares_the_inverse(struct kunit *test)
{
	struct ct_tuple conn = tuple4(IPPROTO_TCP, 40080, 80), rt;
	struct ct_tuple other = tuple4(IPPROTO_TCP, 40080, 81);
	struct ct_filter f = {};

	ct_tuple_invert(&rt, &conn);
	/* reply: src=server sport=80 */
	ct_ctnl_filter_add(&f, &rt, F_IP_SRC | F_PROTO_NUM | F_SRC_PORT, true);
	KUNIT_EXPECT_TRUE(test, matches(test, &f, &conn));
	KUNIT_EXPECT_FALSE(test, matches(test, &f, &other));
	KUNIT_EXPECT_TRUE(test, f.present & CT_FILTER_DST);
	KUNIT_EXPECT_TRUE(test, f.present & CT_FILTER_DPORT);
	KUNIT_EXPECT_FALSE(test, f.present & CT_FILTER_SRC);
}

/* conntrack -D -p tcp --dport 80 --orig-src 10.0.1.2, as CTA_FILTER says it. */
static void filter_of_orig_tuple_fields(struct kunit *test)
{
	struct ct_tuple want = tuple4(IPPROTO_TCP, 0, 80);
	struct ct_tuple conn = tuple4(IPPROTO_TCP, 40080, 80);
	struct ct_tuple udp = tuple4(IPPROTO_UDP, 40080, 80);
	struct ct_tuple from = tuple4(IPPROTO_TCP, 40080, 80);
	struct ct_filter f = {};

	from.src.ip = htonl(0x0a000103);
	ct_ctnl_filter_add(&f, &want, F_IP_SRC | F_PROTO_NUM | F_DST_PORT, false);
	KUNIT_EXPECT_TRUE(test, matches(test, &f, &conn));
	KUNIT_EXPECT_FALSE(test, matches(test, &f, &udp));
	KUNIT_EXPECT_FALSE(test, matches(test, &f, &from));
}

static void filter_contradiction_matches_nothing(struct kunit *test)
{
	struct ct_tuple conn = tuple4(IPPROTO_TCP, 40080, 80), rt;
	struct ct_filter f = {};

	/* original dport 80, but reply sport 81 */
	ct_ctnl_filter_add(&f, &conn, F_PROTO_NUM | F_DST_PORT, false);
	ct_tuple_invert(&rt, &conn);
	rt.sport = htons(81);
	ct_ctnl_filter_add(&f, &rt, F_PROTO_NUM | F_SRC_PORT, true);
	KUNIT_EXPECT_TRUE(test, f.present & CT_FILTER_NOTHING);
	KUNIT_EXPECT_FALSE(test, matches(test, &f, &conn));
}

static void filter_icmp_type_alone(struct kunit *test)
{
	struct ct_tuple echo = tuple4(IPPROTO_ICMP, 77, ICMP_ECHO << 8);
	struct ct_tuple stamp = tuple4(IPPROTO_ICMP, 77, ICMP_TIMESTAMP << 8);
	struct ct_tuple want = tuple4(IPPROTO_ICMP, 0, ICMP_ECHO << 8);
	struct ct_filter f = {};

	ct_ctnl_filter_add(&f, &want, F_PROTO_NUM | F_ICMP_TYPE, false);
	KUNIT_EXPECT_TRUE(test, matches(test, &f, &echo));
	KUNIT_EXPECT_FALSE(test, matches(test, &f, &stamp));
	/* the id alone, from the reply tuple, is the same id */
	memset(&f, 0, sizeof(f));
	ct_ctnl_filter_add(&f, &echo, F_PROTO_NUM | F_ICMP_ID, true);
	KUNIT_EXPECT_TRUE(test, matches(test, &f, &echo));
}

static struct kunit_case ctrack_ctnetlink_cases[] = {
	KUNIT_CASE_PARAM(status_bits_map_to_ips, status_gen_params),
	KUNIT_CASE(tcp_states_are_nf_conntrack_numbers),
	KUNIT_CASE(tuple_survives_put_and_parse),
	KUNIT_CASE(icmp_reply_nest_has_answer_type),
	KUNIT_CASE(parse_refuses_what_nf_conntrack_refuses),
	KUNIT_CASE(filter_of_reply_tuple_compares_the_inverse),
	KUNIT_CASE(filter_of_orig_tuple_fields),
	KUNIT_CASE(filter_contradiction_matches_nothing),
	KUNIT_CASE(filter_icmp_type_alone),
	{}
};

static struct kunit_suite ctrack_ctnetlink_suite = {
	.name = "ctrack_ctnetlink",
	.test_cases = ctrack_ctnetlink_cases,
};
kunit_test_suites(&ctrack_ctnetlink_suite);
