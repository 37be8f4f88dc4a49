// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite ctrack_proto: the UDP, ICMP and generic trackers, driven
 * with an explicit clock.
 */
#include <kunit/test.h>
#include <linux/jiffies.h>
#include <linux/netfilter.h>
#include <linux/slab.h>
#include "conn.h"
#include "proto.h"

static const u32 default_timeouts[__CTRACK_TO_MAX] = {
	[CTRACK_TO_UDP] = 30,
	[CTRACK_TO_UDP_STREAM] = 120,
	[CTRACK_TO_ICMP] = 30,
	[CTRACK_TO_GENERIC] = 600,
};

static struct ct_conn *conn_new(struct kunit *test, u8 proto)
{
	struct ct_conn *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->tuple.l3 = NFPROTO_IPV4;
	c->tuple.proto = proto;
	spin_lock_init(&c->lock);
	return c;
}

/* Seconds until @c expires, seen at @now. */
static long secs_left(const struct ct_conn *c, u32 now)
{
	return (long)(s32)(c->expires - now) / HZ;
}

#define MAX_STEPS 8
struct udp_step {
	int dir;		/* -1 ends the list */
	u32 at_ms;		/* since the first packet */
	u32 timeout;		/* seconds it must have afterwards */
	bool assured;
};

struct udp_case {
	const char *name;
	u32 start;
	struct udp_step steps[MAX_STEPS];
};

#define O CT_DIR_ORIGINAL
#define R CT_DIR_REPLY
static const struct udp_case udp_cases[] = {
	{ "unreplied stays 30s", 1000, {
		{ O, 0, 30 }, { O, 5000, 30 }, { O, 25000, 30 }, { -1 } } },
	{ "reply alone is not a stream", 1000, {
		{ O, 0, 30 }, { R, 100, 30 }, { O, 1000, 30 }, { R, 2000, 30 }, { -1 } } },
	{ "active 2s after the reply is a stream", 1000, {
		{ O, 0, 30 }, { R, 500, 30 }, { O, 2400, 30 },
		{ O, 2500, 120, true }, { R, 10000, 120, true }, { -1 } } },
	{ "either direction makes the stream", 5, {
		{ O, 0, 30 }, { R, 10, 30 }, { R, 2010, 120, true }, { -1 } } },
	{ "retries before any reply never assure", 1000, {
		{ O, 0, 30 }, { O, 3000, 30 }, { O, 6000, 30 }, { O, 29000, 30 }, { -1 } } },
	{ "across the jiffies wrap", 0xffffff00, {
		{ O, 0, 30 }, { R, 100, 30 }, { O, 3000, 120, true }, { -1 } } },
	{ "first reply at jiffies 0", 0, {
		{ R, 0, 30 }, { O, 1999, 30 }, { O, 2001, 120, true }, { -1 } } },
};
#undef O
#undef R

static void udp_case_desc(const struct udp_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(udp, udp_cases, udp_case_desc);

/*
 * Step 0 is the first packet (ct_udp_new) unless it is a reply, which is
 * how the "first reply at jiffies 0" case starts from a known connection.
 */
static void udp_timeout_follows_stream_state(struct kunit *test)
{
	const struct udp_case *uc = test->param_value;
	struct ct_conn *c = conn_new(test, IPPROTO_UDP);
	const struct udp_step *s;

	for (s = uc->steps; s->dir >= 0; s++) {
		u32 now = uc->start + msecs_to_jiffies(s->at_ms);
		int ret;

		if (s == uc->steps && s->dir == CT_DIR_ORIGINAL)
			ret = ct_udp_new(c, default_timeouts, now);
		else
			ret = ct_udp_packet(c, s->dir, default_timeouts, now);
		KUNIT_EXPECT_EQ_MSG(test, ret, s->dir == CT_DIR_ORIGINAL && s == uc->steps ?
				    CTRACK_CTSTATE_NEW : CTRACK_CTSTATE_ESTABLISHED,
				    "step %td", s - uc->steps);
		KUNIT_EXPECT_EQ_MSG(test, secs_left(c, now), s->timeout,
				    "step %td", s - uc->steps);
		KUNIT_EXPECT_EQ_MSG(test, test_bit(CTRACK_S_ASSURED, &c->status),
				    s->assured, "step %td", s - uc->steps);
		KUNIT_EXPECT_EQ(test, c->timeout_class, s->timeout == 120 ?
				CTRACK_TO_UDP_STREAM : CTRACK_TO_UDP);
	}
}

static void udp_expires_exactly_at_timeout(struct kunit *test)
{
	struct ct_conn *c = conn_new(test, IPPROTO_UDP);
	u32 now = 0x80000000;

	ct_udp_new(c, default_timeouts, now);
	KUNIT_EXPECT_FALSE(test, ct_conn_expired(c, now + 30 * HZ - 1));
	KUNIT_EXPECT_TRUE(test, ct_conn_expired(c, now + 30 * HZ));
}

static void timeouts_come_from_the_namespace(struct kunit *test)
{
	u32 to[__CTRACK_TO_MAX] = {
		[CTRACK_TO_UDP] = 7, [CTRACK_TO_UDP_STREAM] = 9,
		[CTRACK_TO_ICMP] = 3, [CTRACK_TO_GENERIC] = 11,
	};
	struct ct_conn *c = conn_new(test, IPPROTO_UDP);
	u32 now = 100;

	ct_udp_new(c, to, now);
	KUNIT_EXPECT_EQ(test, secs_left(c, now), 7);
	ct_udp_packet(c, CT_DIR_REPLY, to, now);
	now += 3 * HZ;
	ct_udp_packet(c, CT_DIR_ORIGINAL, to, now);
	KUNIT_EXPECT_EQ(test, secs_left(c, now), 9);

	c = conn_new(test, IPPROTO_ICMP);
	ct_icmp_new(c, to, now);
	KUNIT_EXPECT_EQ(test, secs_left(c, now), 3);
	c = conn_new(test, IPPROTO_GRE);
	ct_generic_new(c, to, now);
	KUNIT_EXPECT_EQ(test, secs_left(c, now), 11);
}

struct simple_case {
	const char *name;
	u8 proto;
	u32 start;
	u32 timeout;
};

static const struct simple_case simple_cases[] = {
	{ "icmp", IPPROTO_ICMP, 1000, 30 },
	{ "icmpv6 across the wrap", IPPROTO_ICMPV6, 0xfffffff0, 30 },
	{ "generic", IPPROTO_GRE, 1000, 600 },
	{ "generic across the wrap", IPPROTO_ESP, 0xffff0000, 600 },
};

static void simple_case_desc(const struct simple_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(simple, simple_cases, simple_case_desc);

static void each_packet_refreshes_timeout(struct kunit *test)
{
	const struct simple_case *sc = test->param_value;
	struct ct_conn *c = conn_new(test, sc->proto);
	bool icmp = sc->proto == IPPROTO_ICMP || sc->proto == IPPROTO_ICMPV6;
	u32 now = sc->start;
	int dir, ret;

	ret = icmp ? ct_icmp_new(c, default_timeouts, now) :
		     ct_generic_new(c, default_timeouts, now);
	KUNIT_EXPECT_EQ(test, ret, CTRACK_CTSTATE_NEW);
	KUNIT_EXPECT_EQ(test, secs_left(c, now), sc->timeout);
	/* Judging without a connection changes nothing. */
	ret = icmp ? ct_icmp_new(NULL, default_timeouts, now) :
		     ct_generic_new(NULL, default_timeouts, now);
	KUNIT_EXPECT_EQ(test, ret, CTRACK_CTSTATE_NEW);

	for (dir = 0; dir < 4; dir++) {
		now += (sc->timeout - 1) * HZ;
		KUNIT_EXPECT_FALSE(test, ct_conn_expired(c, now));
		ret = icmp ? ct_icmp_packet(c, dir & 1, default_timeouts, now) :
			     ct_generic_packet(c, dir & 1, default_timeouts, now);
		KUNIT_EXPECT_EQ(test, ret, CTRACK_CTSTATE_ESTABLISHED);
		KUNIT_EXPECT_EQ(test, secs_left(c, now), sc->timeout);
	}
	KUNIT_EXPECT_TRUE(test, ct_conn_expired(c, now + sc->timeout * HZ));
	KUNIT_EXPECT_FALSE(test, test_bit(CTRACK_S_ASSURED, &c->status));
}

/* A timeout set absurdly high must not wrap the 32-bit expiry into the past. */
static void huge_timeout_is_capped(struct kunit *test)
{
	u32 to[__CTRACK_TO_MAX] = { [CTRACK_TO_GENERIC] = U32_MAX };
	struct ct_conn *c = conn_new(test, IPPROTO_GRE);
	u32 now = 12345;

	ct_generic_new(c, to, now);
	KUNIT_EXPECT_FALSE(test, ct_conn_expired(c, now + 1));
	KUNIT_EXPECT_FALSE(test, ct_conn_expired(c, now + 10 * 86400 * HZ));
}

static struct kunit_case ctrack_proto_cases[] = {
	KUNIT_CASE_PARAM(udp_timeout_follows_stream_state, udp_gen_params),
	KUNIT_CASE(udp_expires_exactly_at_timeout),
	KUNIT_CASE(timeouts_come_from_the_namespace),
	KUNIT_CASE_PARAM(each_packet_refreshes_timeout, simple_gen_params),
	KUNIT_CASE(huge_timeout_is_capped),
	{}
};

static struct kunit_suite ctrack_proto_suite = {
	.name = "ctrack_proto",
	.test_cases = ctrack_proto_cases,
};
kunit_test_suites(&ctrack_proto_suite);
