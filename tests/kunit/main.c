// SPDX-License-Identifier: GPL-2.0
/*
 * ctrack_test.ko: KUnit suites for ctrack's pure logic, using the symbols
 * ctrack.ko exports for testing.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include "netns.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

struct timeout_case {
	enum ctrack_timeout class;
	u32 seconds;
	const char *name;
};

/* The defaults of nf_conntrack that ANCHORS.md lists, and ctrack's own. */
static const struct timeout_case timeout_cases[] = {
	{ CTRACK_TO_TCP_SYN_SENT, 120, "tcp_syn_sent" },
	{ CTRACK_TO_TCP_SYN_RECV, 60, "tcp_syn_recv" },
	{ CTRACK_TO_TCP_ESTABLISHED, 432000, "tcp_established" },
	{ CTRACK_TO_TCP_FIN_WAIT, 120, "tcp_fin_wait" },
	{ CTRACK_TO_TCP_CLOSE_WAIT, 60, "tcp_close_wait" },
	{ CTRACK_TO_TCP_LAST_ACK, 30, "tcp_last_ack" },
	{ CTRACK_TO_TCP_TIME_WAIT, 120, "tcp_time_wait" },
	{ CTRACK_TO_TCP_CLOSE, 10, "tcp_close" },
	{ CTRACK_TO_TCP_SYN_SENT2, 120, "tcp_syn_sent2" },
	{ CTRACK_TO_TCP_RETRANS, 300, "tcp_retrans" },
	{ CTRACK_TO_TCP_UNACK, 300, "tcp_unack" },
	{ CTRACK_TO_UDP, 30, "udp" },
	{ CTRACK_TO_UDP_STREAM, 120, "udp_stream" },
	{ CTRACK_TO_ICMP, 30, "icmp" },
	{ CTRACK_TO_GENERIC, 600, "generic" },
	{ CTRACK_TO_EXPECT, 300, "expect" },
};

static void timeout_case_desc(const struct timeout_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(timeout, timeout_cases, timeout_case_desc);

static void default_timeout_matches_anchor(struct kunit *test)
{
	const struct timeout_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, ct_default_timeouts[c->class], c->seconds);
}

static void every_timeout_class_has_a_default(struct kunit *test)
{
	int i;

	KUNIT_EXPECT_EQ(test, ARRAY_SIZE(timeout_cases), (size_t)__CTRACK_TO_MAX);
	for (i = 0; i < __CTRACK_TO_MAX; i++)
		KUNIT_EXPECT_GT_MSG(test, ct_default_timeouts[i], 0U, "class %d", i);
}

static struct kunit_case ctrack_defaults_cases[] = {
	KUNIT_CASE_PARAM(default_timeout_matches_anchor, timeout_gen_params),
	KUNIT_CASE(every_timeout_class_has_a_default),
	{}
};

static struct kunit_suite ctrack_defaults_suite = {
	.name = "ctrack_defaults",
	.test_cases = ctrack_defaults_cases,
};
kunit_test_suites(&ctrack_defaults_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for ctrack");
