// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite ctrack_tuple: parsing packets into tuples, from hand-built
 * skbs, each linear and split over a page fragment.
 */
#include <kunit/test.h>
#include <linux/hex.h>
#include <linux/icmp.h>
#include <linux/netfilter.h>
#include <linux/random.h>
#include <linux/skbuff.h>
#include "tuple.h"

/* Headers as hex; lengths and protocols are hex digits spliced in. */
#define IP4(len, proto)	"4500" len "00000000" "40" proto "0000" "0a000001" "0a000002"
#define IP4R(len, proto) "4500" len "00000000" "40" proto "0000" "0a000002" "0a000001"
#define A6_1		"20010db8000000000000000000000001"
#define A6_2		"20010db8000000000000000000000002"
#define IP6(plen, nh)	"60000000" plen nh "40" A6_1 A6_2
#define IP6R(plen, nh)	"60000000" plen nh "40" A6_2 A6_1
/* sport 12345, dport 80, seq 1, ack 0, doff/flags, window, csum, urg */
#define TCP(doff)	"30390050" "00000001" "00000000" doff "02" "ffff" "00000000"
#define UDP(len)	"30390035" len "0000"
#define PAD4		"00000000"

struct parse_case {
	const char *name;
	u8 l3;
	const char *hex;
	int err;
	u8 proto;
	u16 sport, dport;
	u8 icmp_kind;
	bool icmp_error;
};

static const struct parse_case parse_cases[] = {
	{ "ipv4 tcp", NFPROTO_IPV4, IP4("0028", "06") TCP("50"),
	  CT_PARSE_OK, IPPROTO_TCP, 12345, 80 },
	{ "ipv4 tcp with options", NFPROTO_IPV4, IP4("002c", "06") TCP("60") "01010101",
	  CT_PARSE_OK, IPPROTO_TCP, 12345, 80 },
	{ "ipv4 udp", NFPROTO_IPV4, IP4("001c", "11") UDP("0008"),
	  CT_PARSE_OK, IPPROTO_UDP, 12345, 53 },
	{ "ipv4 header cut short", NFPROTO_IPV4, "450000280000",
	  CT_PARSE_TRUNCATED },
	{ "ipv4 ihl 4", NFPROTO_IPV4, "4400" "0028" "00000000400600000a0000010a000002" TCP("50"),
	  CT_PARSE_MALFORMED },
	{ "ipv4 version 6", NFPROTO_IPV4, "6500" "0028" "00000000400600000a0000010a000002" TCP("50"),
	  CT_PARSE_MALFORMED },
	{ "ipv4 ihl beyond packet", NFPROTO_IPV4, "4f00" "0018" "00000000400600000a0000010a000002",
	  CT_PARSE_TRUNCATED },
	{ "ipv4 tot_len beyond packet", NFPROTO_IPV4, IP4("0050", "06") TCP("50"),
	  CT_PARSE_TRUNCATED },
	{ "ipv4 tot_len below header", NFPROTO_IPV4, IP4("0010", "06") TCP("50"),
	  CT_PARSE_MALFORMED },
	{ "ipv4 non-first fragment", NFPROTO_IPV4,
	  "4500" "0028" "0000" "0010" "40060000" "0a000001" "0a000002" TCP("50"),
	  CT_PARSE_FRAGMENT },
	{ "ipv4 tcp doff 4", NFPROTO_IPV4, IP4("0028", "06") TCP("40"),
	  CT_PARSE_MALFORMED },
	{ "ipv4 tcp doff beyond packet", NFPROTO_IPV4, IP4("0028", "06") TCP("f0"),
	  CT_PARSE_TRUNCATED },
	{ "ipv4 tcp header cut short", NFPROTO_IPV4, IP4("001a", "06") "303900500000",
	  CT_PARSE_TRUNCATED },
	{ "ipv4 udp length 4", NFPROTO_IPV4, IP4("001c", "11") UDP("0004"),
	  CT_PARSE_MALFORMED },
	{ "ipv4 udp length beyond packet", NFPROTO_IPV4, IP4("001c", "11") UDP("0010"),
	  CT_PARSE_TRUNCATED },
	{ "ipv4 udp header cut short", NFPROTO_IPV4, IP4("0018", "11") "30390035",
	  CT_PARSE_TRUNCATED },
	{ "ipv4 icmp echo request", NFPROTO_IPV4, IP4("001c", "01") "08000000" "12340001",
	  CT_PARSE_OK, IPPROTO_ICMP, 0x1234, 0x0800, CT_ICMP_REQUEST },
	{ "ipv4 icmp echo reply", NFPROTO_IPV4, IP4("001c", "01") "00000000" "12340001",
	  CT_PARSE_OK, IPPROTO_ICMP, 0x0800, 0x1234, CT_ICMP_REPLY },
	{ "ipv4 icmp timestamp reply", NFPROTO_IPV4, IP4("001c", "01") "0e000000" "00070001",
	  CT_PARSE_OK, IPPROTO_ICMP, 0x0d00, 0x0007, CT_ICMP_REPLY },
	{ "ipv4 icmp router advertisement", NFPROTO_IPV4, IP4("001c", "01") "09000000" "00000000",
	  CT_PARSE_OK, IPPROTO_ICMP, 0, 0, CT_ICMP_OTHER },
	{ "ipv4 icmp cut short", NFPROTO_IPV4, IP4("0018", "01") "08000000",
	  CT_PARSE_TRUNCATED },
	{ "ipv4 icmp port unreachable", NFPROTO_IPV4,
	  IP4R("0038", "01") "03030000" "00000000" IP4("001c", "11") UDP("0008"),
	  CT_PARSE_OK, IPPROTO_ICMP, 0, 0, CT_ICMP_ERROR, true },
	{ "ipv4 gre by addresses", NFPROTO_IPV4, IP4("0018", "2f") PAD4,
	  CT_PARSE_OK, 47, 0, 0 },
	{ "ipv6 tcp", NFPROTO_IPV6, IP6("0014", "06") TCP("50"),
	  CT_PARSE_OK, IPPROTO_TCP, 12345, 80 },
	{ "ipv6 hop-by-hop and destination options, udp", NFPROTO_IPV6,
	  IP6("0018", "00") "3c00010400000000" "1100010400000000" UDP("0008"),
	  CT_PARSE_OK, IPPROTO_UDP, 12345, 53 },
	{ "ipv6 first fragment, udp", NFPROTO_IPV6,
	  IP6("0010", "2c") "1100000100000001" UDP("0008"),
	  CT_PARSE_OK, IPPROTO_UDP, 12345, 53 },
	{ "ipv6 non-first fragment", NFPROTO_IPV6,
	  IP6("0010", "2c") "1100005800000001" UDP("0008"),
	  CT_PARSE_FRAGMENT },
	{ "ipv6 extension header cut short", NFPROTO_IPV6,
	  IP6("0001", "00") "11",
	  CT_PARSE_MALFORMED },
	{ "ipv6 extension header longer than packet", NFPROTO_IPV6,
	  IP6("0004", "00") "11020000",
	  CT_PARSE_TRUNCATED },
	{ "ipv6 extension header beyond payload", NFPROTO_IPV6,
	  IP6("0008", "00") "3c00010400000000" "1100010400000000" UDP("0008"),
	  CT_PARSE_TRUNCATED },
	{ "ipv6 payload beyond packet", NFPROTO_IPV6, IP6("0040", "06") TCP("50"),
	  CT_PARSE_TRUNCATED },
	{ "ipv6 header cut short", NFPROTO_IPV6, "6000000000140640" A6_1,
	  CT_PARSE_TRUNCATED },
	{ "ipv6 version 4", NFPROTO_IPV6, "40000000" "0014" "06" "40" A6_1 A6_2 TCP("50"),
	  CT_PARSE_MALFORMED },
	{ "ipv6 tcp doff 2", NFPROTO_IPV6, IP6("0014", "06") TCP("20"),
	  CT_PARSE_MALFORMED },
	{ "ipv6 icmpv6 echo request", NFPROTO_IPV6, IP6("0008", "3a") "80000000" "abcd0001",
	  CT_PARSE_OK, IPPROTO_ICMPV6, 0xabcd, 0x8000, CT_ICMP_REQUEST },
	{ "ipv6 icmpv6 echo reply", NFPROTO_IPV6, IP6("0008", "3a") "81000000" "abcd0001",
	  CT_PARSE_OK, IPPROTO_ICMPV6, 0x8000, 0xabcd, CT_ICMP_REPLY },
	{ "ipv6 neighbour solicitation untracked", NFPROTO_IPV6,
	  IP6("0018", "3a") "87000000" "00000000" A6_2,
	  CT_PARSE_OK, IPPROTO_ICMPV6, 0, 0, CT_ICMP_UNTRACKED },
	{ "ipv6 redirect is no query", NFPROTO_IPV6,
	  IP6("0028", "3a") "89000000" "00000000" A6_2 A6_1,
	  CT_PARSE_OK, IPPROTO_ICMPV6, 0, 0, CT_ICMP_OTHER },
	{ "ipv6 icmpv6 destination unreachable", NFPROTO_IPV6,
	  IP6R("0038", "3a") "01040000" "00000000" IP6("0008", "11") UDP("0008"),
	  CT_PARSE_OK, IPPROTO_ICMPV6, 0, 0, CT_ICMP_ERROR, true },
	{ "ipv6 icmpv6 cut short", NFPROTO_IPV6, IP6("0004", "3a") "80000000",
	  CT_PARSE_TRUNCATED },
};

static void parse_case_desc(const struct parse_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(parse, parse_cases, parse_case_desc);

/* @split > 0 puts all bytes from @split on into a page fragment. */
static struct sk_buff *make_skb(struct kunit *test, const char *hex,
				 unsigned int split)
{
	unsigned int len = strlen(hex) / 2;
	struct sk_buff *skb;
	struct page *page;
	u8 *buf;

	KUNIT_ASSERT_EQ(test, strlen(hex) % 2, 0);
	buf = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, hex2bin(buf, hex, len), 0);

	if (!split || split >= len)
		split = len;
	skb = alloc_skb(split, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put_data(skb, buf, split);
	skb_reset_network_header(skb);
	if (split < len) {
		page = alloc_page(GFP_KERNEL);
		if (!page)
			kfree_skb(skb);
		KUNIT_ASSERT_NOT_NULL(test, page);
		memcpy(page_address(page), buf + split, len - split);
		skb_add_rx_frag(skb, 0, page, 0, len - split, PAGE_SIZE);
	}
	return skb;
}

static void check_parse(struct kunit *test, const struct parse_case *c,
			unsigned int split)
{
	struct sk_buff *skb = make_skb(test, c->hex, split);
	struct ct_pkt pkt;
	int err;

	err = ct_tuple_parse(skb, 0, c->l3, &pkt);
	kfree_skb(skb);
	KUNIT_EXPECT_EQ_MSG(test, err, c->err, "split at %u", split);
	if (err || c->err)
		return;
	KUNIT_EXPECT_EQ(test, pkt.tuple.l3, c->l3);
	KUNIT_EXPECT_EQ(test, pkt.tuple.proto, c->proto);
	KUNIT_EXPECT_EQ(test, ntohs(pkt.tuple.sport), c->sport);
	KUNIT_EXPECT_EQ(test, ntohs(pkt.tuple.dport), c->dport);
	KUNIT_EXPECT_EQ(test, pkt.icmp_error, c->icmp_error);
	if (c->proto == IPPROTO_ICMP || c->proto == IPPROTO_ICMPV6)
		KUNIT_EXPECT_EQ(test, pkt.icmp_kind, c->icmp_kind);
	if (c->l3 == NFPROTO_IPV4) {
		KUNIT_EXPECT_EQ(test, ntohl(pkt.tuple.src.ip), 0x0a000001 + c->icmp_error);
		KUNIT_EXPECT_EQ(test, ntohl(pkt.tuple.src.all[1]), 0);
	} else {
		KUNIT_EXPECT_EQ(test, pkt.tuple.src.in6.s6_addr[15], 1 + c->icmp_error);
	}
}

static void parse_gives_tuple_or_error(struct kunit *test)
{
	const struct parse_case *c = test->param_value;

	check_parse(test, c, 0);
	/* The same packet with only part of the headers in the linear area. */
	check_parse(test, c, 14);
	check_parse(test, c, 30);
}

struct embedded_case {
	const char *name;
	u8 l3;
	const char *hex;
	int err;
	u8 proto;
	u16 sport, dport;
	bool inner_error;
};

static const struct embedded_case embedded_cases[] = {
	{ "ipv4 udp port unreachable", NFPROTO_IPV4,
	  IP4R("0038", "01") "03030000" "00000000" IP4("001c", "11") UDP("0008"),
	  CT_PARSE_OK, IPPROTO_UDP, 12345, 53 },
	{ "ipv4 tcp, 8 bytes quoted of a longer segment", NFPROTO_IPV4,
	  IP4R("0038", "01") "03010000" "00000000" IP4("0028", "06") "3039005000000001",
	  CT_PARSE_OK, IPPROTO_TCP, 12345, 80 },
	{ "ipv4 echo request", NFPROTO_IPV4,
	  IP4R("0038", "01") "0b000000" "00000000" IP4("0054", "01") "0800000012340001",
	  CT_PARSE_OK, IPPROTO_ICMP, 0x1234, 0x0800 },
	{ "ipv4 error about an error", NFPROTO_IPV4,
	  IP4R("0038", "01") "03030000" "00000000" IP4("0038", "01") "0303000000000000",
	  CT_PARSE_OK, IPPROTO_ICMP, 0, 0, true },
	{ "ipv4 inner transport cut short", NFPROTO_IPV4,
	  IP4R("0034", "01") "03030000" "00000000" IP4("001c", "11") "30390035",
	  CT_PARSE_TRUNCATED },
	{ "ipv4 inner ip header cut short", NFPROTO_IPV4,
	  IP4R("0024", "01") "03030000" "00000000" "4500001c00000000",
	  CT_PARSE_TRUNCATED },
	{ "ipv4 nothing quoted", NFPROTO_IPV4,
	  IP4R("001c", "01") "03030000" "00000000",
	  CT_PARSE_TRUNCATED },
	{ "ipv4 inner non-first fragment", NFPROTO_IPV4,
	  IP4R("0038", "01") "03030000" "00000000"
	  "4500" "001c" "0000" "0010" "40110000" "0a000001" "0a000002" UDP("0008"),
	  CT_PARSE_FRAGMENT },
	{ "ipv6 udp port unreachable", NFPROTO_IPV6,
	  IP6R("0038", "3a") "01040000" "00000000" IP6("0008", "11") UDP("0008"),
	  CT_PARSE_OK, IPPROTO_UDP, 12345, 53 },
	{ "ipv6 tcp packet too big", NFPROTO_IPV6,
	  IP6R("0038", "3a") "02000000" "00000500" IP6("05a0", "06") "3039005000000001",
	  CT_PARSE_OK, IPPROTO_TCP, 12345, 80 },
	{ "ipv6 inner transport cut short", NFPROTO_IPV6,
	  IP6R("0034", "3a") "01040000" "00000000" IP6("0008", "11") "30390035",
	  CT_PARSE_TRUNCATED },
	{ "ipv6 inner ip header cut short", NFPROTO_IPV6,
	  IP6R("0020", "3a") "01040000" "00000000" "6000000000081140" PAD4 PAD4 PAD4 PAD4,
	  CT_PARSE_TRUNCATED },
};

static void embedded_case_desc(const struct embedded_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(embedded, embedded_cases, embedded_case_desc);

static void embedded_packet_is_the_offending_one(struct kunit *test)
{
	const struct embedded_case *c = test->param_value;
	struct sk_buff *skb = make_skb(test, c->hex, 0);
	struct ct_pkt outer, inner;
	int err;

	KUNIT_ASSERT_EQ(test, ct_tuple_parse(skb, 0, c->l3, &outer), CT_PARSE_OK);
	KUNIT_ASSERT_TRUE(test, outer.icmp_error);
	err = ct_tuple_parse_embedded(skb, &outer, &inner);
	kfree_skb(skb);
	KUNIT_ASSERT_EQ(test, err, c->err);
	if (err)
		return;
	KUNIT_EXPECT_EQ(test, inner.tuple.l3, c->l3);
	KUNIT_EXPECT_EQ(test, inner.tuple.proto, c->proto);
	KUNIT_EXPECT_EQ(test, ntohs(inner.tuple.sport), c->sport);
	KUNIT_EXPECT_EQ(test, ntohs(inner.tuple.dport), c->dport);
	KUNIT_EXPECT_EQ(test, inner.icmp_error, c->inner_error);
	/* The offending packet went from .1 to .2; the error back to .1. */
	KUNIT_EXPECT_TRUE(test, !memcmp(&inner.tuple.src, &outer.tuple.dst,
					sizeof(inner.tuple.src)));
}

static void parse_hex(struct kunit *test, u8 l3, const char *hex,
		      struct ct_pkt *pkt)
{
	struct sk_buff *skb = make_skb(test, hex, 0);
	int err = ct_tuple_parse(skb, 0, l3, pkt);

	kfree_skb(skb);
	KUNIT_ASSERT_EQ(test, err, CT_PARSE_OK);
}

struct pair_case {
	const char *name;
	u8 l3;
	const char *orig, *reply;
};

static const struct pair_case pair_cases[] = {
	{ "ipv4 tcp", NFPROTO_IPV4, IP4("0028", "06") TCP("50"),
	  IP4R("0028", "06") "00503039" "00000001" "00000000" "5012" "ffff" "00000000" },
	{ "ipv4 echo", NFPROTO_IPV4, IP4("001c", "01") "08000000" "12340001",
	  IP4R("001c", "01") "00000000" "12340001" },
	{ "ipv4 address mask", NFPROTO_IPV4, IP4("0020", "01") "11000000" "77770001" PAD4,
	  IP4R("0020", "01") "12000000" "77770001" PAD4 },
	{ "ipv6 udp", NFPROTO_IPV6, IP6("0008", "11") UDP("0008"),
	  IP6R("0008", "11") "00353039" "0008" "0000" },
	{ "ipv6 echo", NFPROTO_IPV6, IP6("0008", "3a") "80000000" "abcd0001",
	  IP6R("0008", "3a") "81000000" "abcd0001" },
	{ "ipv6 generic", NFPROTO_IPV6, IP6("0004", "84") PAD4, IP6R("0004", "84") PAD4 },
};

static void pair_case_desc(const struct pair_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(pair, pair_cases, pair_case_desc);

static void reply_is_inverse_and_hashes_alike(struct kunit *test)
{
	const struct pair_case *c = test->param_value;
	struct ct_pkt orig, reply;
	struct ct_tuple inv;
	siphash_key_t key;

	parse_hex(test, c->l3, c->orig, &orig);
	parse_hex(test, c->l3, c->reply, &reply);
	KUNIT_EXPECT_FALSE(test, ct_tuple_equal(&orig.tuple, &reply.tuple));
	ct_tuple_invert(&inv, &orig.tuple);
	KUNIT_EXPECT_TRUE(test, ct_tuple_equal(&inv, &reply.tuple));
	ct_tuple_invert(&inv, &inv);
	KUNIT_EXPECT_TRUE(test, ct_tuple_equal(&inv, &orig.tuple));

	get_random_bytes(&key, sizeof(key));
	KUNIT_EXPECT_EQ(test, ct_tuple_hash(&orig.tuple, &key),
			ct_tuple_hash(&reply.tuple, &key));
}

/* A hash that ignored a field would put these together. */
static void hash_depends_on_every_field(struct kunit *test)
{
	struct ct_tuple base = {
		.src.ip = htonl(0x0a000001), .dst.ip = htonl(0x0a000002),
		.sport = htons(1000), .dport = htons(80),
		.l3 = NFPROTO_IPV4, .proto = IPPROTO_TCP,
	};
	struct ct_tuple t[6];
	siphash_key_t key;
	u32 h, same = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(t); i++)
		t[i] = base;
	t[0].src.ip = htonl(0x0a000003);
	t[1].dst.ip = htonl(0x0a000004);
	t[2].sport = htons(1001);
	t[3].dport = htons(81);
	t[4].proto = IPPROTO_UDP;
	t[5].src.in6.s6_addr[15] = 1;
	t[5].l3 = NFPROTO_IPV6;

	/* Two keys: a collision under both is a 2^-64 event. */
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		get_random_bytes(&key, sizeof(key));
		h = ct_tuple_hash(&base, &key);
		if (h == ct_tuple_hash(&t[i], &key)) {
			get_random_bytes(&key, sizeof(key));
			if (ct_tuple_hash(&base, &key) == ct_tuple_hash(&t[i], &key))
				same++;
		}
	}
	KUNIT_EXPECT_EQ(test, same, 0);
}

static struct kunit_case ctrack_tuple_cases[] = {
	KUNIT_CASE_PARAM(parse_gives_tuple_or_error, parse_gen_params),
	KUNIT_CASE_PARAM(embedded_packet_is_the_offending_one, embedded_gen_params),
	KUNIT_CASE_PARAM(reply_is_inverse_and_hashes_alike, pair_gen_params),
	KUNIT_CASE(hash_depends_on_every_field),
	{}
};

static struct kunit_suite ctrack_tuple_suite = {
	.name = "ctrack_tuple",
	.test_cases = ctrack_tuple_cases,
};
kunit_test_suites(&ctrack_tuple_suite);
