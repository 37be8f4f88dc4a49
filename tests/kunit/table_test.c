// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite ctrack_table: the connection table of a namespace built just
 * for the test, driven with an explicit clock.
 */
#include <kunit/test.h>
#include <linux/netfilter.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <net/net_namespace.h>
#include "netns.h"
#include "table.h"

/* Far from jiffies' start and end, and across the 32-bit wrap. */
static const u32 clocks[] = { 1000, 0x7fffff00, 0xfffffff0 };

static void table_free(void *arg)
{
	struct ct_net *cn = arg;

	ct_table_destroy(cn);
	rcu_barrier();
	free_percpu(cn->stats);
}

static struct ct_net *table_new(struct kunit *test, unsigned int buckets,
				unsigned int max)
{
	struct ct_net *cn = kunit_kzalloc(test, sizeof(*cn), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, cn);
	cn->net = &init_net;
	cn->stats = alloc_percpu(struct ct_stats);
	KUNIT_ASSERT_NOT_NULL(test, cn->stats);
	if (ct_table_init(cn, buckets, max)) {
		free_percpu(cn->stats);
		KUNIT_FAIL_AND_ABORT(test, "ct_table_init failed");
	}
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, table_free, cn), 0);
	/* The tests bring their own clock: the worker's would interfere. */
	cancel_delayed_work_sync(&cn->table.gc_work);
	return cn;
}

#define STAT(cn, field) ({					\
	u64 __sum = 0;						\
	int __cpu;						\
	for_each_possible_cpu(__cpu)				\
		__sum += per_cpu_ptr((cn)->stats, __cpu)->field;	\
	__sum; })

static struct ct_tuple tuple4(u8 proto, u16 sport)
{
	struct ct_tuple t = {
		.src.ip = htonl(0x0a000001), .dst.ip = htonl(0x0a000002),
		.sport = htons(sport), .dport = htons(80),
		.l3 = NFPROTO_IPV4, .proto = proto,
	};
	return t;
}

static struct ct_tuple tuple6(u8 proto, u16 sport)
{
	struct ct_tuple t = {
		.sport = htons(sport), .dport = htons(443),
		.l3 = NFPROTO_IPV6, .proto = proto,
	};

	t.src.in6.s6_addr[0] = 0x20;
	t.src.in6.s6_addr[15] = 1;
	t.dst.in6.s6_addr[0] = 0x20;
	t.dst.in6.s6_addr[15] = 2;
	return t;
}

/* Inserts a connection for @t that expires @ttl jiffies after @now. */
static struct ct_conn *add(struct kunit *test, struct ct_net *cn,
			   const struct ct_tuple *t, u32 now, u32 ttl)
{
	struct ct_conn *c = ct_conn_alloc(t, GFP_KERNEL), *clash = NULL;

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->expires = now + ttl;
	if (ct_table_insert(cn, c, now, &clash)) {
		ct_conn_free(c);
		KUNIT_FAIL_AND_ABORT(test, "insert failed");
	}
	return c;
}

struct lookup_case {
	const char *name;
	struct ct_tuple t;
};

static const struct lookup_case lookup_cases[] = {
	{ "ipv4 tcp", { .src.ip = htonl(0xc0a80001), .dst.ip = htonl(0xc0a80002),
			.sport = htons(40000), .dport = htons(22),
			.l3 = NFPROTO_IPV4, .proto = IPPROTO_TCP } },
	{ "ipv4 same ports", { .src.ip = htonl(0xc0a80001), .dst.ip = htonl(0xc0a80002),
			       .sport = htons(53), .dport = htons(53),
			       .l3 = NFPROTO_IPV4, .proto = IPPROTO_UDP } },
	{ "ipv4 same address", { .src.ip = htonl(0x7f000001), .dst.ip = htonl(0x7f000001),
				 .sport = htons(5000), .dport = htons(6000),
				 .l3 = NFPROTO_IPV4, .proto = IPPROTO_UDP } },
	{ "ipv4 icmp echo", { .src.ip = htonl(0x0a000001), .dst.ip = htonl(0x08080808),
			      .sport = htons(0x1234), .dport = htons(0x0800),
			      .l3 = NFPROTO_IPV4, .proto = IPPROTO_ICMP } },
	{ "ipv6 udp", { .src.in6.s6_addr = { 0xfd, [15] = 1 },
			.dst.in6.s6_addr = { 0xfd, [15] = 2 },
			.sport = htons(1234), .dport = htons(53),
			.l3 = NFPROTO_IPV6, .proto = IPPROTO_UDP } },
	{ "ipv6 generic", { .src.in6.s6_addr = { 0xfe, 0x80, [15] = 9 },
			    .dst.in6.s6_addr = { 0xfe, 0x80, [15] = 3 },
			    .l3 = NFPROTO_IPV6, .proto = IPPROTO_GRE } },
};

static void lookup_case_desc(const struct lookup_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(lookup, lookup_cases, lookup_case_desc);

static void lookup_finds_both_directions(struct kunit *test)
{
	const struct lookup_case *lc = test->param_value;
	struct ct_net *cn = table_new(test, 64, 100);
	struct ct_tuple inv, other;
	struct ct_conn *c;
	int dir = -1, i;

	/* Neighbours in the same buckets, to be skipped over. */
	for (i = 0; i < 20; i++) {
		struct ct_tuple t = lc->t;

		t.sport = htons(ntohs(t.sport) + 1 + i);
		add(test, cn, &t, 1000, HZ);
	}
	c = add(test, cn, &lc->t, 1000, HZ);
	ct_tuple_invert(&inv, &lc->t);
	other = lc->t;
	other.proto = IPPROTO_SCTP;

	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, ct_table_lookup(cn, &lc->t, 1000, &dir), c);
	KUNIT_EXPECT_EQ(test, dir, CT_DIR_ORIGINAL);
	KUNIT_EXPECT_PTR_EQ(test, ct_table_lookup(cn, &inv, 1000, &dir), c);
	/* A tuple equal to its own inverse is found as the original one. */
	if (!ct_tuple_equal(&inv, &lc->t))
		KUNIT_EXPECT_EQ(test, dir, CT_DIR_REPLY);
	KUNIT_EXPECT_NULL(test, ct_table_lookup(cn, &other, 1000, &dir));
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, atomic_read(&cn->table.count), 21);
	KUNIT_EXPECT_EQ(test, STAT(cn, insert), 21);
}

static void lookup_skips_expired(struct kunit *test)
{
	struct ct_net *cn = table_new(test, 16, 100);
	struct ct_tuple t = tuple4(IPPROTO_UDP, 1000);
	int i, dir;

	for (i = 0; i < ARRAY_SIZE(clocks); i++) {
		u32 now = clocks[i];
		struct ct_conn *c;

		t.sport = htons(1000 + i);
		c = add(test, cn, &t, now, 30 * HZ);
		rcu_read_lock();
		KUNIT_EXPECT_PTR_EQ(test, ct_table_lookup(cn, &t, now + 30 * HZ - 1, &dir), c);
		KUNIT_EXPECT_NULL(test, ct_table_lookup(cn, &t, now + 30 * HZ, &dir));
		KUNIT_EXPECT_NULL(test, ct_table_lookup(cn, &t, now + 3000 * HZ, &dir));
		rcu_read_unlock();
	}
}

/* A packet after expiry starts afresh: the stale entry is no clash. */
static void insert_over_expired_entry(struct kunit *test)
{
	struct ct_net *cn = table_new(test, 16, 100);
	struct ct_tuple t = tuple4(IPPROTO_UDP, 1000);
	struct ct_conn *old, *c;
	int dir;

	old = add(test, cn, &t, 1000, HZ);
	c = add(test, cn, &t, 1000 + HZ, HZ);
	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, ct_table_lookup(cn, &t, 1000 + HZ, &dir), c);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, ct_table_gc(cn, 16, 1000 + HZ), 1);
	KUNIT_EXPECT_TRUE(test, test_bit(CTRACK_S_DYING, &old->status));
	KUNIT_EXPECT_EQ(test, atomic_read(&cn->table.count), 1);
}

static void clash_returns_existing(struct kunit *test)
{
	struct ct_net *cn = table_new(test, 16, 100);
	struct ct_tuple t = tuple6(IPPROTO_TCP, 5555), inv;
	struct ct_conn *c, *dup, *clash = NULL;

	c = add(test, cn, &t, 1000, HZ);
	dup = ct_conn_alloc(&t, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dup);
	dup->expires = 1000 + HZ;
	KUNIT_EXPECT_EQ(test, ct_table_insert(cn, dup, 1000, &clash), -EEXIST);
	KUNIT_EXPECT_PTR_EQ(test, clash, c);
	ct_conn_free(dup);

	/* The reply direction of a known connection clashes too. */
	ct_tuple_invert(&inv, &t);
	dup = ct_conn_alloc(&inv, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dup);
	dup->expires = 1000 + HZ;
	clash = NULL;
	KUNIT_EXPECT_EQ(test, ct_table_insert(cn, dup, 1000, &clash), -EEXIST);
	KUNIT_EXPECT_PTR_EQ(test, clash, c);
	ct_conn_free(dup);

	KUNIT_EXPECT_EQ(test, atomic_read(&cn->table.count), 1);
	KUNIT_EXPECT_EQ(test, STAT(cn, insert_failed), 2);
}

static void gc_kills_expired_only(struct kunit *test)
{
	struct ct_net *cn = table_new(test, 32, 1000);
	struct ct_tuple t;
	int i;

	for (i = 0; i < 40; i++) {
		t = tuple4(i % 2 ? IPPROTO_TCP : IPPROTO_UDP, 2000 + i);
		add(test, cn, &t, 1000, i < 15 ? HZ : 100 * HZ);
	}
	/* Nothing has expired yet. */
	KUNIT_EXPECT_EQ(test, ct_table_gc(cn, 32, 1000), 0);
	/* Half the buckets, then the other half: every expired one, once. */
	KUNIT_EXPECT_EQ(test, ct_table_gc(cn, 16, 1000 + HZ) +
			      ct_table_gc(cn, 16, 1000 + HZ), 15);
	KUNIT_EXPECT_EQ(test, atomic_read(&cn->table.count), 25);
	KUNIT_EXPECT_EQ(test, ct_table_gc(cn, 32, 1000 + HZ), 0);
	KUNIT_EXPECT_EQ(test, ct_table_gc(cn, 32, 1000 + 100 * HZ), 25);
	KUNIT_EXPECT_EQ(test, atomic_read(&cn->table.count), 0);
}

static void full_table_early_drops_unassured(struct kunit *test)
{
	/* 8 buckets: early drop looks at all of them. */
	struct ct_net *cn = table_new(test, 8, 4);
	struct ct_conn *c[4], *extra, *clash;
	struct ct_tuple t;
	int i, dir;

	for (i = 0; i < 4; i++) {
		t = tuple4(IPPROTO_UDP, 3000 + i);
		c[i] = add(test, cn, &t, 1000, 30 * HZ);
		if (i != 2)
			set_bit(CTRACK_S_ASSURED, &c[i]->status);
	}
	t = tuple4(IPPROTO_UDP, 4000);
	extra = ct_conn_alloc(&t, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, extra);
	extra->expires = 1000 + 30 * HZ;
	KUNIT_ASSERT_EQ(test, ct_table_insert(cn, extra, 1000, &clash), 0);
	KUNIT_EXPECT_TRUE(test, test_bit(CTRACK_S_DYING, &c[2]->status));
	KUNIT_EXPECT_EQ(test, STAT(cn, early_drop), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&cn->table.count), 4);
	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, ct_table_lookup(cn, &t, 1000, &dir), extra);
	rcu_read_unlock();
}

static void full_table_of_assured_refuses(struct kunit *test)
{
	struct ct_net *cn = table_new(test, 8, 4);
	struct ct_conn *c, *extra, *clash;
	struct ct_tuple t;
	int i;

	for (i = 0; i < 4; i++) {
		t = tuple4(IPPROTO_TCP, 3000 + i);
		c = add(test, cn, &t, 1000, 30 * HZ);
		set_bit(CTRACK_S_ASSURED, &c->status);
	}
	t = tuple4(IPPROTO_TCP, 4000);
	extra = ct_conn_alloc(&t, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, extra);
	extra->expires = 1000 + 30 * HZ;
	KUNIT_EXPECT_EQ(test, ct_table_insert(cn, extra, 1000, &clash), -ENOSPC);
	ct_conn_free(extra);
	KUNIT_EXPECT_EQ(test, STAT(cn, drop), 1);
	KUNIT_EXPECT_EQ(test, STAT(cn, early_drop), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&cn->table.count), 4);

	/* An expired entry makes room without counting as early drop. */
	extra = ct_conn_alloc(&t, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, extra);
	extra->expires = 1000 + 60 * HZ;
	KUNIT_EXPECT_EQ(test, ct_table_insert(cn, extra, 1000 + 30 * HZ, &clash), 0);
	KUNIT_EXPECT_EQ(test, STAT(cn, early_drop), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&cn->table.count), 4);
}

static void long_chain_refuses(struct kunit *test)
{
	struct ct_net *cn = table_new(test, 1, 1000);
	struct ct_conn *c, *clash;
	struct ct_tuple t;
	int i;

	for (i = 0; i < CT_CHAIN_MAX; i++) {
		t = tuple4(IPPROTO_UDP, 100 + i);
		add(test, cn, &t, 1000, HZ);
	}
	t = tuple4(IPPROTO_UDP, 99);
	c = ct_conn_alloc(&t, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	c->expires = 1000 + HZ;
	KUNIT_EXPECT_EQ(test, ct_table_insert(cn, c, 1000, &clash), -ENOSPC);
	ct_conn_free(c);
	KUNIT_EXPECT_EQ(test, STAT(cn, chaintoolong), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&cn->table.count), CT_CHAIN_MAX);
}

static void kill_unlinks_once(struct kunit *test)
{
	struct ct_net *cn = table_new(test, 16, 100);
	struct ct_tuple t = tuple6(IPPROTO_UDP, 7);
	struct ct_conn *c = add(test, cn, &t, 1000, HZ);
	int dir;

	rcu_read_lock();
	KUNIT_EXPECT_TRUE(test, ct_conn_kill(cn, c));
	KUNIT_EXPECT_FALSE(test, ct_conn_kill(cn, c));
	KUNIT_EXPECT_NULL(test, ct_table_lookup(cn, &t, 1000, &dir));
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, atomic_read(&cn->table.count), 0);
}

static bool is_udp(const struct ct_conn *c, void *arg)
{
	return c->tuple.proto == IPPROTO_UDP;
}

static int count_conn(struct ct_conn *c, void *arg)
{
	int *n = arg;

	(*n)++;
	return 0;
}

static int stop_at_second(struct ct_conn *c, void *arg)
{
	int *n = arg;

	return ++(*n) == 2 ? -EMSGSIZE : 0;
}

static void walk_and_kill_matching(struct kunit *test)
{
	struct ct_net *cn = table_new(test, 64, 1000);
	unsigned int pos = 0;
	struct ct_tuple t;
	int i, n = 0;

	for (i = 0; i < 30; i++) {
		t = i % 3 ? tuple4(IPPROTO_TCP, 100 + i) : tuple6(IPPROTO_UDP, 100 + i);
		add(test, cn, &t, jiffies, 100 * HZ);
	}
	KUNIT_EXPECT_EQ(test, ct_table_walk(cn, &pos, count_conn, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 30);
	KUNIT_EXPECT_EQ(test, pos, 64);

	n = 0;
	pos = 0;
	KUNIT_EXPECT_EQ(test, ct_table_walk(cn, &pos, stop_at_second, &n), -EMSGSIZE);
	KUNIT_EXPECT_LT(test, pos, 64);

	KUNIT_EXPECT_EQ(test, ct_table_kill_matching(cn, is_udp, NULL), 10);
	n = 0;
	pos = 0;
	ct_table_walk(cn, &pos, count_conn, &n);
	KUNIT_EXPECT_EQ(test, n, 20);
	KUNIT_EXPECT_EQ(test, ct_table_kill_matching(cn, NULL, NULL), 20);
	KUNIT_EXPECT_EQ(test, atomic_read(&cn->table.count), 0);
}

/* Tuples of either family spread over the buckets in both directions. */
static void hash_spreads_and_is_symmetric(struct kunit *test)
{
	struct ct_net *cn = table_new(test, 256, 10000);
	unsigned int used = 0, b;
	struct ct_tuple t, inv;
	int i;

	for (i = 0; i < 512; i++) {
		t = i % 2 ? tuple4(IPPROTO_TCP, i) : tuple6(IPPROTO_TCP, i);
		ct_tuple_invert(&inv, &t);
		KUNIT_EXPECT_EQ(test, ct_tuple_hash(&t, &cn->table.key),
				ct_tuple_hash(&inv, &cn->table.key));
		add(test, cn, &t, 1000, HZ);
	}
	for (b = 0; b < 256; b++)
		used += !hlist_nulls_empty(&cn->table.buckets[b]);
	/* 512 random balls in 256 bins leave about 35 empty; 100 would be broken. */
	KUNIT_EXPECT_GT(test, used, 156);
}

static struct kunit_case ctrack_table_cases[] = {
	KUNIT_CASE_PARAM(lookup_finds_both_directions, lookup_gen_params),
	KUNIT_CASE(lookup_skips_expired),
	KUNIT_CASE(insert_over_expired_entry),
	KUNIT_CASE(clash_returns_existing),
	KUNIT_CASE(gc_kills_expired_only),
	KUNIT_CASE(full_table_early_drops_unassured),
	KUNIT_CASE(full_table_of_assured_refuses),
	KUNIT_CASE(long_chain_refuses),
	KUNIT_CASE(kill_unlinks_once),
	KUNIT_CASE(walk_and_kill_matching),
	KUNIT_CASE(hash_spreads_and_is_symmetric),
	{}
};

static struct kunit_suite ctrack_table_suite = {
	.name = "ctrack_table",
	.test_cases = ctrack_table_cases,
};
kunit_test_suites(&ctrack_table_suite);
