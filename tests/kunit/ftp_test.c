// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite ctrack_ftp: the FTP control line parser, segment reassembly
 * (splits at every byte, retransmissions, gaps) and the helper on skbs.
 */
#include <kunit/test.h>
#include <linux/inet.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include "netns.h"
#include "conn.h"
#include "expect.h"
#include "ftp.h"
#include "env.h"
#include "helper.h"

#define V4 NFPROTO_IPV4
#define V6 NFPROTO_IPV6

static void str_to_addr(struct kunit *test, const char *s, u8 l3,
			union ct_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (l3 == V4)
		KUNIT_ASSERT_EQ(test, in4_pton(s, -1, (u8 *)&a->ip, -1, NULL), 1);
	else
		KUNIT_ASSERT_EQ(test, in6_pton(s, -1, a->in6.s6_addr, -1, NULL), 1);
}

/* ---- the line parser ---- */

struct parse_case {
	const char *desc;
	const char *line;
	size_t len;		/* 0: strlen(line) */
	bool from_client;
	u8 l3;
	int kind;		/* enum ct_ftp_kind or -EINVAL */
	const char *addr;	/* for CT_FTP_ADDR_PORT */
	u16 port;
};

#define OK4(d, l, c, a, p)	{ d, l, 0, c, V4, CT_FTP_ADDR_PORT, a, p }
#define OK6(d, l, c, a, p)	{ d, l, 0, c, V6, CT_FTP_ADDR_PORT, a, p }
#define BAD(d, l, c, f)		{ d, l, 0, c, f, -EINVAL, NULL, 0 }
#define NONE(d, l, c, f)	{ d, l, 0, c, f, CT_FTP_NONE, NULL, 0 }

static const struct parse_case parse_cases[] = {
	OK4("port", "PORT 10,0,0,1,4,1", true, "10.0.0.1", 1025),
	OK4("port_lowercase", "port 10,0,0,1,4,1", true, "10.0.0.1", 1025),
	OK4("port_mixed_case", "PoRt 192,168,1,200,255,255", true, "192.168.1.200", 65535),
	OK4("port_extra_spaces", "PORT    10,0,0,1,4,1   \r", true, "10.0.0.1", 1025),
	OK4("port_leading_zeros", "PORT 010,000,000,001,004,001", true, "10.0.0.1", 1025),
	BAD("port_byte_256", "PORT 10,0,0,256,4,1", true, V4),
	BAD("port_p1_256", "PORT 10,0,0,1,256,1", true, V4),
	BAD("port_p2_999", "PORT 10,0,0,1,4,999", true, V4),
	BAD("port_zero", "PORT 10,0,0,1,0,0", true, V4),
	BAD("port_four_digits", "PORT 0010,0,0,1,4,1", true, V4),
	BAD("port_five_numbers", "PORT 10,0,0,1,4", true, V4),
	BAD("port_missing_comma", "PORT 10,0,0,1,41", true, V4),
	BAD("port_double_comma", "PORT 10,0,0,1,,4,1", true, V4),
	BAD("port_seven_numbers", "PORT 10,0,0,1,4,1,7", true, V4),
	BAD("port_space_inside", "PORT 10, 0,0,1,4,1", true, V4),
	BAD("port_negative", "PORT -10,0,0,1,4,1", true, V4),
	BAD("port_trailing_garbage", "PORT 10,0,0,1,4,1x", true, V4),
	BAD("port_no_argument", "PORT", true, V4),
	BAD("port_only_spaces", "PORT   ", true, V4),
	BAD("port_on_ipv6", "PORT 10,0,0,1,4,1", true, V6),
	BAD("port_binary", "PORT \xff\xfe\x01,0,0,1,4,1", true, V4),
	{ "port_nul_inside", "PORT 10,0,0\0,1,4,1", 19, true, V4, -EINVAL, NULL, 0 },
	NONE("port_glued", "PORT10,0,0,1,4,1", true, V4),
	NONE("ports_command", "PORTS 10,0,0,1,4,1", true, V4),
	NONE("port_not_at_line_start", " PORT 10,0,0,1,4,1", true, V4),
	NONE("port_after_other_command", "NOOP PORT 10,0,0,1,4,1", true, V4),
	NONE("port_from_server", "PORT 10,0,0,1,4,1", false, V4),
	NONE("short_line", "POR", true, V4),
	NONE("empty_line", "", true, V4),
	NONE("user_command", "USER anonymous", true, V4),

	OK4("eprt_v4", "EPRT |1|10.0.0.1|1025|", true, "10.0.0.1", 1025),
	OK4("eprt_lowercase", "eprt |1|10.0.0.1|1025|", true, "10.0.0.1", 1025),
	OK4("eprt_other_delimiter", "EPRT !1!10.0.0.1!65535!", true, "10.0.0.1", 65535),
	OK6("eprt_v6", "EPRT |2|2001:db8::1|1025|", true, "2001:db8::1", 1025),
	OK6("eprt_v6_full", "EPRT |2|2001:db8:0:0:0:0:0:1|6275|\r", true, "2001:db8::1", 6275),
	BAD("eprt_port_65536", "EPRT |1|10.0.0.1|65536|", true, V4),
	BAD("eprt_port_zero", "EPRT |1|10.0.0.1|0|", true, V4),
	BAD("eprt_port_six_digits", "EPRT |1|10.0.0.1|001025|", true, V4),
	BAD("eprt_byte_256", "EPRT |1|10.0.0.256|1025|", true, V4),
	BAD("eprt_three_bytes", "EPRT |1|10.0.1|1025|", true, V4),
	BAD("eprt_family_3", "EPRT |3|10.0.0.1|1025|", true, V4),
	BAD("eprt_no_last_delimiter", "EPRT |1|10.0.0.1|1025", true, V4),
	BAD("eprt_mixed_delimiters", "EPRT |1!10.0.0.1|1025|", true, V4),
	BAD("eprt_digit_delimiter", "EPRT 919910.0.0.19102591", true, V4),
	BAD("eprt_v6_on_v4", "EPRT |2|2001:db8::1|1025|", true, V4),
	BAD("eprt_v4_on_v6", "EPRT |1|10.0.0.1|1025|", true, V6),
	BAD("eprt_bad_v6", "EPRT |2|2001:db8::zz|1025|", true, V6),
	BAD("eprt_empty_address", "EPRT |2||1025|", true, V6),
	BAD("eprt_no_argument", "EPRT", true, V4),
	NONE("eprt_from_server", "EPRT |1|10.0.0.1|1025|", false, V4),

	OK4("pasv", "227 Entering Passive Mode (10,0,0,2,19,137).", false, "10.0.0.2", 5001),
	OK4("pasv_no_parens", "227 Entering Passive Mode 10,0,0,2,19,137", false, "10.0.0.2", 5001),
	OK4("pasv_equals", "227 =10,0,0,2,19,137\r", false, "10.0.0.2", 5001),
	BAD("pasv_p2_1370", "227 Entering Passive Mode (10,0,0,2,19,1370).", false, V4),
	BAD("pasv_byte_300", "227 Entering Passive Mode (10,0,300,2,19,137).", false, V4),
	BAD("pasv_five_numbers", "227 Entering Passive Mode (10,0,0,2,19).", false, V4),
	BAD("pasv_seven_numbers", "227 Entering Passive Mode (10,0,0,2,19,137,1).", false, V4),
	BAD("pasv_no_numbers", "227 Entering Passive Mode.", false, V4),
	BAD("pasv_on_ipv6", "227 Entering Passive Mode (10,0,0,2,19,137).", false, V6),
	NONE("pasv_from_client", "227 Entering Passive Mode (10,0,0,2,19,137).", true, V4),
	NONE("pasv_continuation_line", "227-Entering Passive Mode (10,0,0,2,19,137).", false, V4),
	NONE("pasv_not_at_line_start", " 227 Entering Passive Mode (10,0,0,2,19,137).", false, V4),
	NONE("other_reply", "200 PORT command successful", false, V4),

	{ "epsv", "229 Entering Extended Passive Mode (|||6446|)", 0, false, V4,
	  CT_FTP_PORT_ONLY, NULL, 6446 },
	{ "epsv_v6", "229 Entering Extended Passive Mode (|||65535|).\r", 0, false, V6,
	  CT_FTP_PORT_ONLY, NULL, 65535 },
	{ "epsv_other_delimiter", "229 ok (!!!1025!)", 0, false, V6,
	  CT_FTP_PORT_ONLY, NULL, 1025 },
	BAD("epsv_port_65536", "229 Entering Extended Passive Mode (|||65536|)", false, V4),
	BAD("epsv_port_zero", "229 Entering Extended Passive Mode (|||0|)", false, V4),
	BAD("epsv_two_delimiters", "229 Entering Extended Passive Mode (||6446|)", false, V4),
	BAD("epsv_no_parens", "229 Entering Extended Passive Mode |||6446|", false, V4),
	BAD("epsv_no_close", "229 Entering Extended Passive Mode (|||6446|", false, V4),
	BAD("epsv_address_given", "229 Extended Passive Mode (|1|10.0.0.2|6446|)", false, V4),
	NONE("epsv_from_client", "229 Entering Extended Passive Mode (|||6446|)", true, V4),

	NONE("garbage", "\x01\x02\xff\xfe garbage", true, V4),
	NONE("garbage_from_server", "\x01\x02\xff\xfe garbage", false, V4),
};

static void parse_case_desc(const struct parse_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(parse, parse_cases, parse_case_desc);

static void parse_line_gives_expected_result(struct kunit *test)
{
	const struct parse_case *c = test->param_value;
	union ct_addr addr, want;
	u16 port;
	int ret;

	ret = ct_ftp_parse(c->line, c->len ?: strlen(c->line), c->from_client,
			   c->l3, &addr, &port);
	KUNIT_ASSERT_EQ(test, ret, c->kind);
	if (c->kind == CT_FTP_ADDR_PORT) {
		str_to_addr(test, c->addr, c->l3, &want);
		KUNIT_EXPECT_MEMEQ(test, &addr, &want, sizeof(addr));
	}
	if (c->kind > 0)
		KUNIT_EXPECT_EQ(test, port, c->port);
	else
		KUNIT_EXPECT_EQ(test, port, 0);
}

static void overlong_line_is_refused(struct kunit *test)
{
	static const char cmd[] = "PORT 10,0,0,1,4,1";
	union ct_addr addr;
	char *line;
	u16 port;

	line = kunit_kmalloc(test, 1000, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, line);
	memset(line, ' ', 1000);
	memcpy(line, cmd, strlen(cmd));
	/* only trailing spaces: valid at any length up to the limit */
	KUNIT_EXPECT_EQ(test, ct_ftp_parse(line, CT_FTP_LINE_MAX, true, V4,
					   &addr, &port), CT_FTP_ADDR_PORT);
	KUNIT_EXPECT_EQ(test, ct_ftp_parse(line, 1000, true, V4, &addr, &port),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, port, 0);
}

/* ---- segment reassembly ---- */

struct stream_case {
	const char *desc;
	const char *text;	/* one line, with its end of line */
	bool from_client;
	u8 l3;
	const char *sender;
	int err;		/* of the one result */
	const char *addr;
	u16 port;
};

static const struct stream_case stream_cases[] = {
	{ "port", "PORT 10,0,0,1,4,1\r\n", true, V4, "10.0.0.1", 0, "10.0.0.1", 1025 },
	{ "port_bounce", "PORT 10,0,0,9,0,25\r\n", true, V4, "10.0.0.1", -EACCES,
	  "10.0.0.9", 25 },
	{ "port_malformed", "PORT 10,0,0,1,300,1\r\n", true, V4, "10.0.0.1", -EINVAL,
	  "0.0.0.0", 0 },
	{ "eprt_v4", "EPRT |1|10.0.0.1|1025|\r\n", true, V4, "10.0.0.1", 0,
	  "10.0.0.1", 1025 },
	{ "eprt_v6", "EPRT |2|2001:db8::1|50000|\r\n", true, V6, "2001:db8::1", 0,
	  "2001:db8::1", 50000 },
	{ "eprt_v6_bounce", "EPRT |2|2001:db8::99|50000|\n", true, V6, "2001:db8::1",
	  -EACCES, "2001:db8::99", 50000 },
	{ "pasv", "227 Entering Passive Mode (10,0,0,2,19,137).\r\n", false, V4,
	  "10.0.0.2", 0, "10.0.0.2", 5001 },
	{ "pasv_bounce", "227 Entering Passive Mode (10,0,0,3,19,137).\r\n", false,
	  V4, "10.0.0.2", -EACCES, "10.0.0.3", 5001 },
	{ "epsv", "229 Entering Extended Passive Mode (|||6446|)\r\n", false, V4,
	  "10.0.0.2", 0, "10.0.0.2", 6446 },
	{ "epsv_v6", "229 Entering Extended Passive Mode (|||6446|)\r\n", false, V6,
	  "2001:db8::2", 0, "2001:db8::2", 6446 },
};

static void stream_case_desc(const struct stream_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(stream, stream_cases, stream_case_desc);

static void check_result(struct kunit *test, const struct stream_case *c,
			 const struct ct_ftp_result *r)
{
	union ct_addr want;

	KUNIT_EXPECT_EQ(test, r->err, c->err);
	if (c->err == -EINVAL)
		return;
	str_to_addr(test, c->addr, c->l3, &want);
	KUNIT_EXPECT_MEMEQ(test, &r->addr, &want, sizeof(want));
	KUNIT_EXPECT_EQ(test, r->port, c->port);
}

static unsigned int feed(struct ct_ftp_dir *st, u32 seq, bool syn,
			 const char *data, unsigned int len,
			 const struct stream_case *c, const union ct_addr *sender,
			 struct ct_ftp_result *res, unsigned int n)
{
	return ct_ftp_feed(st, seq, syn, data, len, c->from_client, c->l3,
			   sender, res, n, CT_FTP_MAX_RESULTS);
}

static void split_at_every_byte_gives_one_result(struct kunit *test)
{
	const struct stream_case *c = test->param_value;
	static const char before[] = "NOOP\r\n";
	struct ct_ftp_result res[CT_FTP_MAX_RESULTS];
	unsigned int len = strlen(c->text), k, n;
	const u32 isn = 0xfffffff0;	/* the split crosses the wrap of seq */
	struct ct_ftp_dir *st;
	union ct_addr sender;
	char *buf;

	str_to_addr(test, c->sender, c->l3, &sender);
	st = kunit_kmalloc(test, sizeof(*st), GFP_KERNEL);
	buf = kunit_kmalloc(test, sizeof(before) + len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	strscpy(buf, before, sizeof(before));
	strcat(buf, c->text);
	len += strlen(before);

	for (k = 0; k <= len; k++) {
		memset(st, 0, sizeof(*st));
		n = feed(st, isn, true, NULL, 0, c, &sender, res, 0);
		n = feed(st, isn + 1, false, buf, k, c, &sender, res, n);
		n = feed(st, isn + 1 + k, false, buf + k, len - k, c, &sender,
			 res, n);
		/* both segments again: retransmissions add nothing */
		n = feed(st, isn + 1, false, buf, k, c, &sender, res, n);
		n = feed(st, isn + 1 + k, false, buf + k, len - k, c, &sender,
			 res, n);
		KUNIT_EXPECT_EQ_MSG(test, n, 1, "split at %u", k);
		if (n == 1)
			check_result(test, c, &res[0]);
	}
}

/* ---- retransmissions, gaps, odd streams ---- */

struct seg {
	u32 off;		/* from the first data byte, or one of: */
	const char *data;
};

#define SYN_OFF		(~0U)		/* the SYN */
#define NEXT_OFF	(~0U - 1)	/* right after the previous segment */
#define SYN		{ SYN_OFF, "" }

struct odd_case {
	const char *desc;
	bool from_client;
	struct seg segs[6];	/* until data == NULL */
	unsigned int n;		/* results expected */
	u16 ports[2];		/* their ports, all with the sender's address */
};

#define X64 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"

static const struct odd_case odd_cases[] = {
	{ "whole_retransmit", true,
	  { SYN, { 0, "PORT 10,0,0,1,4,1\r\n" }, { 0, "PORT 10,0,0,1,4,1\r\n" } },
	  1, { 1025 } },
	{ "overlapping_retransmit", true,
	  { SYN, { 0, "PORT 10,0,0,1" }, { 5, "10,0,0,1,4,1\r\nPORT 10,0,0,1,4,2\r\n" } },
	  2, { 1025, 1026 } },
	{ "retransmit_with_different_bytes", true,
	  { SYN, { 0, "PORT 10,0,0,1,4,1\r\n" }, { 0, "PORT 10,0,0,1,4,9\r\n" } },
	  1, { 1025 } },
	{ "reordered_halves", true,
	  { SYN, { 14, "4,1\r\nNOOP\r\n" }, { 0, "PORT 10,0,0,1," },
	    { 25, "PORT 10,0,0,1,4,2\r\n" } },
	  1, { 1026 } },
	{ "gap_does_not_glue_lines", true,
	  { SYN, { 0, "PORT 10,0,0,1,4," }, { 22, "2\r\n" },
	    { 25, "PORT 10,0,0,1,4,3\r\n" } },
	  1, { 1027 } },
	{ "midstream_join_skips_partial_line", true,
	  { { 100, "0,0,1,4,1\r\nPORT 10,0,0,1,4,2\r\n" } },
	  1, { 1026 } },
	{ "two_commands_one_segment", true,
	  { SYN, { 0, "PORT 10,0,0,1,4,1\r\nPORT 10,0,0,1,4,2\r\n" } },
	  2, { 1025, 1026 } },
	{ "overlong_line_then_command", true,
	  { SYN, { 0, "PORT 10,0,0,1,4,1 " X64 X64 },
	    { NEXT_OFF, X64 X64 "\r\n" },
	    { NEXT_OFF, "PORT 10,0,0,1,4,2\r\n" } },
	  1, { 1026 } },
	{ "command_inside_long_banner", false,
	  { SYN, { 0, "220-Welcome 227 Entering Passive Mode (10,0,0,2,4,1)\r\n220 ready\r\n" } },
	  0, { } },
	{ "server_pasv_after_banner", false,
	  { SYN, { 0, "220 ready\r\n" }, { 11, "227 Entering Passive Mode (10,0,0,2,4,1)\r\n" } },
	  1, { 1025 } },
	{ "no_newline_no_result", true,
	  { SYN, { 0, "PORT 10,0,0,1,4,1" } },
	  0, { } },
};

static void odd_case_desc(const struct odd_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(odd, odd_cases, odd_case_desc);

static void odd_stream_gives_expected_results(struct kunit *test)
{
	const struct odd_case *c = test->param_value;
	struct ct_ftp_result res[CT_FTP_MAX_RESULTS];
	const u32 isn = 1000;
	struct ct_ftp_dir *st;
	union ct_addr sender;
	unsigned int i, n = 0;
	u32 next = isn + 1;

	str_to_addr(test, c->from_client ? "10.0.0.1" : "10.0.0.2", V4, &sender);
	st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st);
	for (i = 0; i < ARRAY_SIZE(c->segs) && c->segs[i].data; i++) {
		const struct seg *s = &c->segs[i];
		bool syn = s->off == SYN_OFF;
		u32 seq = syn ? isn : s->off == NEXT_OFF ? next : isn + 1 + s->off;

		n = ct_ftp_feed(st, seq, syn, s->data, strlen(s->data),
				c->from_client, V4, &sender, res, n,
				CT_FTP_MAX_RESULTS);
		next = seq + syn + strlen(s->data);
	}
	KUNIT_ASSERT_EQ(test, n, c->n);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, res[i].err, 0);
		KUNIT_EXPECT_EQ(test, res[i].port, c->ports[i]);
		KUNIT_EXPECT_EQ(test, ntohl(res[i].addr.ip), ntohl(sender.ip));
	}
}

static void more_results_than_room_keeps_latest(struct kunit *test)
{
	struct ct_ftp_result res[2];
	struct ct_ftp_dir *st;
	union ct_addr sender;
	static const char text[] = "PORT 10,0,0,1,4,1\r\nPORT 10,0,0,1,4,2\r\n"
				   "PORT 10,0,0,1,4,3\r\n";
	unsigned int n;

	str_to_addr(test, "10.0.0.1", V4, &sender);
	st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st);
	n = ct_ftp_feed(st, 1, true, NULL, 0, true, V4, &sender, res, 0, 2);
	n = ct_ftp_feed(st, 2, false, text, strlen(text), true, V4, &sender,
			res, n, 2);
	KUNIT_ASSERT_EQ(test, n, 2);
	KUNIT_EXPECT_EQ(test, res[0].port, 1026);
	KUNIT_EXPECT_EQ(test, res[1].port, 1027);
}

/* ---- the helper on real skbs ---- */

struct helper_env {
	struct ct_net *cn;
	struct ct_conn *c;
};

static struct sk_buff *tcp_skb(struct kunit *test, u32 seq, bool syn,
			       const char *data, unsigned int len,
			       struct ct_pkt *pkt)
{
	struct sk_buff *skb = alloc_skb(sizeof(struct tcphdr) + len, GFP_KERNEL);
	struct tcphdr *th;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	th = skb_put_zero(skb, sizeof(*th));
	th->seq = htonl(seq);
	th->doff = sizeof(*th) / 4;
	th->syn = syn;
	th->ack = !syn;
	skb_put_data(skb, data, len);
	memset(pkt, 0, sizeof(*pkt));
	pkt->l4off = 0;
	pkt->l4len = skb->len;
	return skb;
}

static void helper_send(struct kunit *test, struct helper_env *env, int dir,
			u32 seq, bool syn, const char *data)
{
	struct ct_pkt pkt;
	struct sk_buff *skb = tcp_skb(test, seq, syn, data, strlen(data), &pkt);

	rcu_read_lock();
	ct_helper_packet(env->cn, env->c, dir, skb, &pkt, jiffies);
	rcu_read_unlock();
	kfree_skb(skb);
}

static void helper_env_free(void *arg)
{
	struct helper_env *env = arg;

	ct_expect_conn_gone(env->cn, env->c);
	kfree(rcu_access_pointer(env->c->ext));
}

static struct helper_env *helper_env_new(struct kunit *test, u8 l3,
					 const char *client, const char *server)
{
	static const u16 ftp[] = { 21, 2121, 0 };
	struct helper_env *env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	struct ct_net *cn;
	struct ct_conn *c;

	KUNIT_ASSERT_NOT_NULL(test, env);
	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	cn = ct_test_expect_net(test, CT_HELPER_FTP, ftp);
	env->cn = cn;
	env->c = c;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, helper_env_free, env), 0);

	spin_lock_init(&c->lock);
	c->tuple.l3 = l3;
	c->tuple.proto = IPPROTO_TCP;
	str_to_addr(test, client, l3, &c->tuple.src);
	str_to_addr(test, server, l3, &c->tuple.dst);
	c->tuple.sport = htons(40000);
	c->tuple.dport = htons(2121);
	KUNIT_ASSERT_EQ(test, ct_helper_attach(cn, c), 0);
	KUNIT_ASSERT_NOT_NULL(test, rcu_access_pointer(c->ext));
	KUNIT_EXPECT_TRUE(test, test_bit(CTRACK_S_HELPER, &c->status));
	return env;
}

static struct ct_expect *find_data_conn(struct kunit *test,
					struct helper_env *env, u8 l3,
					const char *from, const char *to,
					u16 sport, u16 dport)
{
	struct ct_tuple t = {};
	struct ct_expect *e;

	t.l3 = l3;
	t.proto = IPPROTO_TCP;
	str_to_addr(test, from, l3, &t.src);
	str_to_addr(test, to, l3, &t.dst);
	t.sport = htons(sport);
	t.dport = htons(dport);
	rcu_read_lock();
	e = ct_expect_find(env->cn, &t, jiffies);
	rcu_read_unlock();
	return e;
}

static u64 stat_sum_error(struct ct_net *cn)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(cn->stats, cpu)->error;
	return sum;
}

static void helper_port_expects_server_to_client(struct kunit *test)
{
	struct helper_env *env = helper_env_new(test, V4, "10.0.0.1", "10.0.0.2");
	struct ct_expect *e;

	helper_send(test, env, CT_DIR_ORIGINAL, 100, true, "");
	helper_send(test, env, CT_DIR_REPLY, 500, true, "");
	helper_send(test, env, CT_DIR_REPLY, 501, false, "220 hello\r\n");
	helper_send(test, env, CT_DIR_ORIGINAL, 101, false, "PORT 10,0,0,1,");
	KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 0);
	helper_send(test, env, CT_DIR_ORIGINAL, 115, false, "4,1\r\n");
	KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 1);
	/* the data connection: server, any port, to the client's 1025 */
	e = find_data_conn(test, env, V4, "10.0.0.2", "10.0.0.1", 20, 1025);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, ntohs(e->tuple.sport), 0);
	KUNIT_EXPECT_MEMEQ(test, &e->master, &env->c->tuple, sizeof(e->master));
	KUNIT_EXPECT_NULL(test, find_data_conn(test, env, V4, "10.0.0.1", "10.0.0.2", 20, 1025));
	/* the retransmission changes nothing */
	helper_send(test, env, CT_DIR_ORIGINAL, 115, false, "4,1\r\n");
	KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 1);
}

static void helper_pasv_expects_client_to_server(struct kunit *test)
{
	struct helper_env *env = helper_env_new(test, V4, "10.0.0.1", "10.0.0.2");

	helper_send(test, env, CT_DIR_REPLY, 500, true, "");
	helper_send(test, env, CT_DIR_REPLY, 501, false,
		    "227 Entering Passive Mode (10,0,0,2,19,137).\r\n");
	KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 1);
	KUNIT_EXPECT_NOT_NULL(test, find_data_conn(test, env, V4, "10.0.0.1", "10.0.0.2",
						   33333, 5001));
	KUNIT_EXPECT_NULL(test, find_data_conn(test, env, V4, "10.0.0.2", "10.0.0.1",
					       33333, 5001));
}

static void helper_epsv_v6_uses_server_address(struct kunit *test)
{
	struct helper_env *env = helper_env_new(test, V6, "2001:db8::1", "2001:db8::2");

	helper_send(test, env, CT_DIR_REPLY, 500, true, "");
	helper_send(test, env, CT_DIR_REPLY, 501, false,
		    "229 Entering Extended Passive Mode (|||6446|)\r\n");
	KUNIT_EXPECT_NOT_NULL(test, find_data_conn(test, env, V6, "2001:db8::1",
						   "2001:db8::2", 40001, 6446));
}

static void helper_bounce_is_refused_and_counted(struct kunit *test)
{
	struct helper_env *env = helper_env_new(test, V4, "10.0.0.1", "10.0.0.2");

	helper_send(test, env, CT_DIR_ORIGINAL, 100, true, "");
	helper_send(test, env, CT_DIR_ORIGINAL, 101, false, "PORT 10,0,0,3,0,25\r\n");
	KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 0);
	KUNIT_EXPECT_EQ(test, stat_sum_error(env->cn), 1);
}

static void helper_reads_long_segments_in_chunks(struct kunit *test)
{
	struct helper_env *env = helper_env_new(test, V4, "10.0.0.1", "10.0.0.2");
	char *text = kunit_kzalloc(test, 1024, GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, text);
	/* the PORT line straddles the helper's 128-byte copy buffer */
	for (i = 0; i < 20; i++)
		strcat(text, "NOOP\r\n");
	strcat(text, "PORT 10,0,0,1,4,1\r\n");
	for (i = 0; i < 100; i++)
		strcat(text, "NOOP\r\n");
	strcat(text, "PORT 10,0,0,1,4,2\r\n");
	helper_send(test, env, CT_DIR_ORIGINAL, 100, true, "");
	helper_send(test, env, CT_DIR_ORIGINAL, 101, false, text);
	/* one expectation per master: the second replaced the first */
	KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 1);
	KUNIT_EXPECT_NOT_NULL(test, find_data_conn(test, env, V4, "10.0.0.2", "10.0.0.1",
						   20, 1026));
	KUNIT_EXPECT_NULL(test, find_data_conn(test, env, V4, "10.0.0.2", "10.0.0.1",
					       20, 1025));
}

static void helper_ignores_other_ports(struct kunit *test)
{
	struct helper_env *env = helper_env_new(test, V4, "10.0.0.1", "10.0.0.2");
	struct ct_conn *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->tuple = env->c->tuple;
	c->tuple.dport = htons(2122);
	KUNIT_EXPECT_EQ(test, ct_helper_attach(env->cn, c), 0);
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(c->ext));
	c->tuple.dport = htons(21);
	c->tuple.proto = IPPROTO_UDP;
	KUNIT_EXPECT_EQ(test, ct_helper_attach(env->cn, c), 0);
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(c->ext));
	KUNIT_EXPECT_FALSE(test, test_bit(CTRACK_S_HELPER, &c->status));
}

static struct kunit_case ctrack_ftp_cases[] = {
	KUNIT_CASE_PARAM(parse_line_gives_expected_result, parse_gen_params),
	KUNIT_CASE(overlong_line_is_refused),
	KUNIT_CASE_PARAM(split_at_every_byte_gives_one_result, stream_gen_params),
	KUNIT_CASE_PARAM(odd_stream_gives_expected_results, odd_gen_params),
	KUNIT_CASE(more_results_than_room_keeps_latest),
	KUNIT_CASE(helper_port_expects_server_to_client),
	KUNIT_CASE(helper_pasv_expects_client_to_server),
	KUNIT_CASE(helper_epsv_v6_uses_server_address),
	KUNIT_CASE(helper_bounce_is_refused_and_counted),
	KUNIT_CASE(helper_reads_long_segments_in_chunks),
	KUNIT_CASE(helper_ignores_other_ports),
	{}
};

static struct kunit_suite ctrack_ftp_suite = {
	.name = "ctrack_ftp",
	.test_cases = ctrack_ftp_cases,
};
kunit_test_suites(&ctrack_ftp_suite);
