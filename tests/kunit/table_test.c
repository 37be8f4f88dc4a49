// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite ctrack_table: the connection table of a namespace built just
 * for the test, driven with an explicit clock.
 */
#include <kunit/test.h>
#include <linux/hex.h>
#include <linux/ip.h>
#include <net/checksum.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/vmalloc.h>
#include <net/net_namespace.h>
#include "netns.h"
#include "table.h"
#include "hooks.h"

/* Far from jiffies' start and end, and across the 32-bit wrap. */
static const u32 clocks[] = { 1000, 0x7fffff00, 0xfffffff0 };

static void table_free(void *arg)
{
	struct ct_net *cn = arg;

	ct_table_destroy(cn);
	ct_table_free_barrier();
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
	/* not _NOT_NULL: sparse rejects comparing a __percpu pointer to void * */
	KUNIT_ASSERT_TRUE(test, cn->stats);
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
	struct ct_cursor pos = {};
	struct ct_tuple t;
	int i, n = 0;

	for (i = 0; i < 30; i++) {
		t = i % 3 ? tuple4(IPPROTO_TCP, 100 + i) : tuple6(IPPROTO_UDP, 100 + i);
		add(test, cn, &t, jiffies, 100 * HZ);
	}
	KUNIT_EXPECT_EQ(test, ct_table_walk(cn, &pos, count_conn, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 30);
	KUNIT_EXPECT_EQ(test, pos.bucket, 64);

	n = 0;
	memset(&pos, 0, sizeof(pos));
	KUNIT_EXPECT_EQ(test, ct_table_walk(cn, &pos, stop_at_second, &n), -EMSGSIZE);
	KUNIT_EXPECT_LT(test, pos.bucket, 64);
	/* resuming starts with the one it stopped at: 28 more, 30 calls in all */
	n = 0;
	KUNIT_EXPECT_EQ(test, ct_table_walk(cn, &pos, count_conn, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 29);

	KUNIT_EXPECT_EQ(test, ct_table_kill_matching(cn, is_udp, NULL), 10);
	n = 0;
	memset(&pos, 0, sizeof(pos));
	ct_table_walk(cn, &pos, count_conn, &n);
	KUNIT_EXPECT_EQ(test, n, 20);
	KUNIT_EXPECT_EQ(test, ct_table_kill_matching(cn, NULL, NULL), 20);
	KUNIT_EXPECT_EQ(test, atomic_read(&cn->table.count), 0);
}

/*
 * A dump of 100k connections in messages of 500, with the table changing
 * between any two messages, where it hurts most: in the bucket the dump
 * stands in, a connection it already sent is deleted and a new one is
 * inserted (either shifted a walk that resumed by index), and elsewhere
 * some it has not reached yet are deleted. Every connection that lives
 * through the dump is sent exactly once; no connection is sent twice.
 */
#define DUMP_CONNS	100000
#define DUMP_NEW	(DUMP_CONNS / 2)	/* tags of connections inserted meanwhile */
#define DUMP_MSG	500

struct dump_check {
	u8 *sent;		/* per tag: times sent */
	u8 *gone;		/* per tag: deleted during the dump */
	unsigned int in_msg;
};

static struct ct_tuple dump_tuple(u32 tag)
{
	struct ct_tuple t = {
		.src.ip = htonl(0x0a000000 + tag), .dst.ip = htonl(0xc0a80001),
		.sport = htons(1024 + tag % 50000), .dport = htons(443),
		.l3 = NFPROTO_IPV4, .proto = IPPROTO_TCP,
	};
	return t;
}

static u32 dump_tag(const struct ct_conn *c)
{
	return ntohl(c->tuple.src.ip) - 0x0a000000;
}

static int dump_one(struct ct_conn *c, void *arg)
{
	struct dump_check *d = arg;

	if (d->in_msg == DUMP_MSG)
		return -EMSGSIZE;
	d->in_msg++;
	d->sent[dump_tag(c)]++;
	return 0;
}

/* Kills the first connection of @b that the walk at @cur has passed. */
static void kill_one_passed(struct ct_net *cn, const struct ct_cursor *cur,
			    struct dump_check *d)
{
	struct ct_conn *c;

	rcu_read_lock();
	hlist_for_each_entry_rcu(c, &cn->table.buckets[cur->bucket], hnode) {
		if (ct_cursor_skip(cur, c->id) && ct_conn_kill(cn, c)) {
			d->gone[dump_tag(c)] = 1;
			break;
		}
	}
	rcu_read_unlock();
}

static void dump_sees_each_survivor_once(struct kunit *test)
{
	struct ct_net *cn = table_new(test, 8192, 2 * DUMP_CONNS);
	u32 mask = cn->table.nbuckets - 1, tag, next_new = DUMP_CONNS;
	struct dump_check d = {};
	struct ct_cursor cur = {};
	unsigned int msgs = 0, missed = 0, twice = 0;
	struct ct_tuple t;
	int ret;

	d.sent = vzalloc(DUMP_CONNS + DUMP_NEW);
	d.gone = vzalloc(DUMP_CONNS + DUMP_NEW);
	KUNIT_ASSERT_NOT_NULL(test, d.sent);
	KUNIT_ASSERT_NOT_NULL(test, d.gone);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, (kunit_action_t *)vfree, d.sent), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, (kunit_action_t *)vfree, d.gone), 0);
	for (tag = 0; tag < DUMP_CONNS; tag++) {
		t = dump_tuple(tag);
		add(test, cn, &t, jiffies, 1000 * HZ);
	}

	do {
		d.in_msg = 0;
		ret = ct_table_walk(cn, &cur, dump_one, &d);
		msgs++;
		if (!ret || cur.bucket >= cn->table.nbuckets)
			continue;
		/* in the dump's own bucket: one sent goes, one new comes */
		kill_one_passed(cn, &cur, &d);
		while (next_new < DUMP_CONNS + DUMP_NEW) {
			t = dump_tuple(next_new++);
			if ((ct_tuple_hash(&t, &cn->table.key) & mask) == cur.bucket) {
				add(test, cn, &t, jiffies, 1000 * HZ);
				break;
			}
		}
		/* and one not sent yet goes, elsewhere */
		tag = get_random_u32_below(DUMP_CONNS);
		t = dump_tuple(tag);
		if (!d.sent[tag] && !d.gone[tag]) {
			struct ct_conn *c;
			int dir;

			rcu_read_lock();
			c = ct_table_lookup(cn, &t, jiffies, &dir);
			if (c && ct_conn_kill(cn, c))
				d.gone[tag] = 1;
			rcu_read_unlock();
		}
	} while (ret == -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, ret, 0);

	for (tag = 0; tag < DUMP_CONNS + DUMP_NEW; tag++) {
		if (d.sent[tag] > 1)
			twice++;
		else if (tag < DUMP_CONNS && !d.gone[tag] && !d.sent[tag])
			missed++;
	}
	/* a few hundred messages: some unsent ones were deleted */
	KUNIT_EXPECT_GT(test, msgs, DUMP_CONNS / DUMP_MSG / 2);
	KUNIT_EXPECT_GT(test, next_new, DUMP_CONNS + 100);
	KUNIT_EXPECT_EQ(test, missed, 0);
	KUNIT_EXPECT_EQ(test, twice, 0);
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
		used += !hlist_empty(&cn->table.buckets[b]);
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
	KUNIT_CASE_SLOW(dump_sees_each_survivor_once),
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

/*
 * ctrack_datapath: sequences of packets through the hook logic (lookup,
 * trackers, ICMP errors, creation on accept), without netfilter or rules.
 */
#define IP4(len, proto)	"4500" len "00000000" "40" proto "0000" "0a000001" "0a000002"
#define IP4R(len, proto) "4500" len "00000000" "40" proto "0000" "0a000002" "0a000001"
#define A6_1		"20010db8000000000000000000000001"
#define A6_2		"20010db8000000000000000000000002"
#define IP6(plen, nh)	"60000000" plen nh "40" A6_1 A6_2
#define IP6R(plen, nh)	"60000000" plen nh "40" A6_2 A6_1
#define UDP_REQ		IP4("001c", "11") "30390035" "0008" "0000"
#define UDP_REP		IP4R("001c", "11") "00353039" "0008" "0000"
#define PING		IP4("001c", "01") "08000000" "12340001"
#define PONG		IP4R("001c", "01") "00000000" "12340001"
#define UNREACH		IP4R("0038", "01") "03030000" "00000000" UDP_REQ
#define UNREACH_ELSEWHERE "4500003800000000400100000a0000020a000009" \
			"03030000" "00000000" UDP_REQ
#define UNREACH_SHORT	IP4R("0034", "01") "03030000" "00000000" IP4("001c", "11") "30390035"
#define UNREACH_ERROR	IP4R("0038", "01") "03030000" "00000000" \
			IP4("001c", "01") "0303000000000000"
#define TIMEX_PING	"4500003800000000400100000a0000030a000001" \
			"0b000000" "00000000" PING
#define BAD_IHL		"4400001c00000000401100000a0000010a000002" "3039003500080000"
#define UDP6_REQ	IP6("0008", "11") "30390035" "0008" "0000"
#define UDP6_REP	IP6R("0008", "11") "00353039" "0008" "0000"
#define UNREACH6	IP6R("0038", "3a") "01040000" "00000000" UDP6_REQ
#define PING6		IP6("0008", "3a") "80000000" "abcd0001"
#define PONG6		IP6R("0008", "3a") "81000000" "abcd0001"
#define NS6		IP6("0018", "3a") "87000000" "00000000" A6_2

enum { IN = CTRACK_HOOK_INPUT, FWD = CTRACK_HOOK_FORWARD, OUT = CTRACK_HOOK_OUTPUT };
enum {
	INV = CTRACK_CTSTATE_INVALID, NEW = CTRACK_CTSTATE_NEW,
	EST = CTRACK_CTSTATE_ESTABLISHED, REL = CTRACK_CTSTATE_RELATED,
	UNT = CTRACK_CTSTATE_UNTRACKED,
};

struct dp_step {
	const char *hex;	/* NULL ends the sequence */
	u8 hook;
	int want;		/* ctstate */
	u32 at;			/* seconds since the first packet */
	bool drop;		/* the rules drop it */
	bool lo;		/* input over loopback */
	bool stack;		/* sent by the stack itself (icmp_send()) */
};

struct dp_case {
	const char *name;
	u8 pf;
	struct dp_step steps[6];
	int conns;		/* in the table afterwards */
	u64 packets[2];		/* summed over them, per direction */
};

static const struct dp_case dp_cases[] = {
	{ "udp request, reply, request", NFPROTO_IPV4, {
		{ UDP_REQ, OUT, NEW }, { UDP_REP, IN, EST }, { UDP_REQ, OUT, EST } },
	  1, { 2, 1 } },
	{ "a dropped packet creates no state", NFPROTO_IPV4, {
		{ UDP_REQ, FWD, NEW, 0, true }, { UDP_REQ, FWD, NEW, 1, true },
		{ UDP_REP, FWD, NEW } },
	  1, { 1, 0 } },
	{ "a reply after expiry is new", NFPROTO_IPV4, {
		{ UDP_REQ, FWD, NEW }, { UDP_REP, FWD, NEW, 30 } },
	  2, { 2, 0 } },
	{ "an udp stream outlives 30 s", NFPROTO_IPV4, {
		{ UDP_REQ, FWD, NEW }, { UDP_REP, FWD, EST, 1 }, { UDP_REQ, FWD, EST, 4 },
		{ UDP_REQ, FWD, EST, 100 } },
	  1, { 3, 1 } },
	{ "ping", NFPROTO_IPV4, {
		{ PING, OUT, NEW }, { PONG, IN, EST }, { PONG, IN, EST } },
	  1, { 1, 2 } },
	{ "a lone echo reply is invalid", NFPROTO_IPV4, {
		{ PONG, IN, INV }, { PONG, IN, INV } },
	  0, { 0, 0 } },
	{ "port unreachable for a tracked request is related", NFPROTO_IPV4, {
		{ UDP_REQ, OUT, NEW }, { UNREACH, IN, REL }, { UNREACH, IN, REL } },
	  1, { 1, 0 } },
	{ "port unreachable for nothing is invalid", NFPROTO_IPV4, {
		{ UNREACH, IN, INV } },
	  0, { 0, 0 } },
	{ "the stack's own error about a packet it did not track is related", NFPROTO_IPV4, {
		{ UNREACH, OUT, REL, 0, false, false, true },
		{ UNREACH_ERROR, OUT, INV, 0, false, false, true } },
	  0, { 0, 0 } },
	{ "a raw socket's error about a packet not tracked is invalid", NFPROTO_IPV4, {
		{ UNREACH, OUT, INV } },
	  0, { 0, 0 } },
	{ "an error sent to a third host is invalid", NFPROTO_IPV4, {
		{ UDP_REQ, FWD, NEW }, { UNREACH_ELSEWHERE, FWD, INV } },
	  1, { 1, 0 } },
	{ "an error quoting too little is invalid", NFPROTO_IPV4, {
		{ UDP_REQ, FWD, NEW }, { UNREACH_SHORT, FWD, INV } },
	  1, { 1, 0 } },
	{ "an error about an error is invalid", NFPROTO_IPV4, {
		{ UNREACH_ERROR, FWD, INV } },
	  0, { 0, 0 } },
	{ "time exceeded for a ping is related", NFPROTO_IPV4, {
		{ PING, OUT, NEW }, { TIMEX_PING, IN, REL } },
	  1, { 1, 0 } },
	{ "an error after expiry is invalid", NFPROTO_IPV4, {
		{ UDP_REQ, OUT, NEW }, { UNREACH, IN, INV, 31 } },
	  1, { 1, 0 } },
	{ "loopback input is classified, not counted again", NFPROTO_IPV4, {
		{ UDP_REQ, OUT, NEW }, { UDP_REQ, IN, NEW, 0, false, true },
		{ UDP_REP, OUT, EST }, { UDP_REP, IN, EST, 0, false, true } },
	  1, { 1, 1 } },
	{ "a malformed header is invalid", NFPROTO_IPV4, {
		{ BAD_IHL, IN, INV } },
	  0, { 0, 0 } },
	{ "ipv6 udp and port unreachable", NFPROTO_IPV6, {
		{ UDP6_REQ, FWD, NEW }, { UDP6_REP, FWD, EST }, { UNREACH6, FWD, REL } },
	  1, { 1, 1 } },
	{ "ipv6 ping", NFPROTO_IPV6, {
		{ PING6, OUT, NEW }, { PONG6, IN, EST }, { PING6, OUT, EST } },
	  1, { 2, 1 } },
	{ "neighbour discovery is never tracked", NFPROTO_IPV6, {
		{ NS6, IN, UNT }, { NS6, OUT, UNT } },
	  0, { 0, 0 } },
};

static void dp_case_desc(const struct dp_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(dp, dp_cases, dp_case_desc);

static struct sk_buff *hex_skb(struct kunit *test, const char *hex)
{
	unsigned int len = strlen(hex) / 2;
	struct sk_buff *skb = alloc_skb(len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	if (hex2bin(skb_put(skb, len), hex, len)) {
		kfree_skb(skb);
		KUNIT_FAIL_AND_ABORT(test, "bad hex");
	}
	skb_reset_network_header(skb);
	return skb;
}

static int sum_packets(struct ct_conn *c, void *arg)
{
	u64 *sum = arg;

	sum[0] += c->packets[0];
	sum[1] += c->packets[1];
	return 0;
}

static void sequence_is_classified_as_linux_does(struct kunit *test)
{
	const struct dp_case *dc = test->param_value;
	struct ct_net *cn = table_new(test, 64, 100);
	u32 start = jiffies;
	u64 sum[2] = {};
	const struct dp_step *s;
	struct ct_cursor pos = {};

	cn->timeouts[CTRACK_TO_UDP] = 30;
	cn->timeouts[CTRACK_TO_UDP_STREAM] = 120;
	cn->timeouts[CTRACK_TO_ICMP] = 30;
	cn->timeouts[CTRACK_TO_GENERIC] = 600;

	for (s = dc->steps; s->hex; s++) {
		struct sk_buff *skb = hex_skb(test, s->hex);
		int got;

		got = ct_hooks_track(cn, skb, dc->pf, s->hook, s->lo, s->stack, !s->drop,
				     start + s->at * HZ);
		kfree_skb(skb);
		KUNIT_EXPECT_EQ_MSG(test, got, s->want, "step %td", s - dc->steps);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&cn->table.count), dc->conns);
	/* Every connection is still alive at the real clock, behind the test's. */
	ct_table_walk(cn, &pos, sum_packets, sum);
	KUNIT_EXPECT_EQ(test, sum[0], dc->packets[0]);
	KUNIT_EXPECT_EQ(test, sum[1], dc->packets[1]);
}

/* One packet through the hook without rules; the skb is consumed. */
static int track_hex(struct kunit *test, struct ct_net *cn, const char *hex,
		     u8 pf, u8 hook, bool fix_icmp_csum)
{
	struct sk_buff *skb = hex_skb(test, hex);
	int got;

	if (fix_icmp_csum) {
		struct iphdr *iph = (struct iphdr *)skb->data;
		u8 *icmp = skb->data + 20;
		__sum16 sum;

		/* nf_checksum() sums the IP header too: it must be right */
		iph->check = 0;
		iph->check = ip_fast_csum(iph, iph->ihl);
		icmp[2] = 0;
		icmp[3] = 0;
		sum = ip_compute_csum(icmp, skb->len - 20);
		memcpy(icmp + 2, &sum, sizeof(sum));
	}
	got = ct_hooks_track(cn, skb, pf, hook, false, false, true, jiffies);
	kfree_skb(skb);
	return got;
}

static void bad_checksum_is_invalid_where_packets_come_in(struct kunit *test)
{
	struct ct_net *cn = table_new(test, 64, 100);

	cn->timeouts[CTRACK_TO_UDP] = 30;
	cn->timeouts[CTRACK_TO_ICMP] = 30;
	cn->checksum = true;
	/* the hex packets carry zero checksums: wrong, except IPv4 UDP's */
	KUNIT_EXPECT_EQ(test, track_hex(test, cn, PING, NFPROTO_IPV4, FWD, false), INV);
	KUNIT_EXPECT_EQ(test, track_hex(test, cn, PING, NFPROTO_IPV4, IN, false), INV);
	KUNIT_EXPECT_EQ(test, track_hex(test, cn, UDP6_REQ, NFPROTO_IPV6, FWD, false), INV);
	KUNIT_EXPECT_EQ(test, atomic_read(&cn->table.count), 0);
	KUNIT_EXPECT_EQ(test, track_hex(test, cn, PING, NFPROTO_IPV4, FWD, true), NEW);
	KUNIT_EXPECT_EQ(test, track_hex(test, cn, UDP_REQ, NFPROTO_IPV4, FWD, false), NEW);
	KUNIT_EXPECT_EQ(test, atomic_read(&cn->table.count), 2);
	/* what the host sends is its own */
	KUNIT_EXPECT_EQ(test, track_hex(test, cn, PING6, NFPROTO_IPV6, OUT, false), NEW);
	/* checksum 0 trusts them */
	cn->checksum = false;
	KUNIT_EXPECT_EQ(test, track_hex(test, cn, UDP6_REQ, NFPROTO_IPV6, FWD, false), NEW);
	KUNIT_EXPECT_EQ(test, atomic_read(&cn->table.count), 4);
}

#define TCP4(flags, seq, ack)	IP4("0028", "06") "30390050" seq ack flags "ffff" "00000000"
#define TCP4R(flags, seq, ack)	IP4R("0028", "06") "00503039" seq ack flags "ffff" "00000000"

/*
 * Over loopback each packet passes OUTPUT, then INPUT as the same skb:
 * INPUT must say what OUTPUT said, also for a segment OUTPUT found out of
 * the window (a lookup would call it ESTABLISHED).
 */
static void loopback_input_keeps_what_output_judged(struct kunit *test)
{
	static const struct { const char *hex; int want; } steps[] = {
		{ TCP4("5002", "00000064", "00000000"), NEW },
		{ TCP4R("5012", "000003e8", "00000065"), EST },
		{ TCP4("5010", "00000065", "000003e9"), EST },
		{ TCP4("5010", "10000065", "000003e9"), INV },
		{ TCP4("5010", "00000065", "000003e9"), EST },
	};
	struct ct_net *cn = table_new(test, 64, 100);
	unsigned int i;

	memcpy(cn->timeouts, ct_default_timeouts, sizeof(cn->timeouts));
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		struct sk_buff *skb = hex_skb(test, steps[i].hex);
		u32 now = jiffies;

		KUNIT_EXPECT_EQ_MSG(test, ct_hooks_track(cn, skb, NFPROTO_IPV4,
							 CTRACK_HOOK_OUTPUT, true,
							 false, true, now),
				    steps[i].want, "output, step %u", i);
		KUNIT_EXPECT_EQ_MSG(test, ct_hooks_track(cn, skb, NFPROTO_IPV4,
							 CTRACK_HOOK_INPUT, true,
							 false, true, now),
				    steps[i].want, "input, step %u", i);
		kfree_skb(skb);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&cn->table.count), 1);
}

static int set_packets(struct ct_conn *c, void *arg)
{
	c->packets[CT_DIR_ORIGINAL] = U32_MAX;
	return 0;
}

static void packet_counters_are_64_bit(struct kunit *test)
{
	struct ct_net *cn = table_new(test, 64, 100);
	struct ct_cursor pos = {};
	u64 sum[2] = {};

	cn->timeouts[CTRACK_TO_UDP] = 30;
	KUNIT_ASSERT_EQ(test, track_hex(test, cn, UDP_REQ, NFPROTO_IPV4, FWD, false), NEW);
	ct_table_walk(cn, &pos, set_packets, NULL);
	KUNIT_ASSERT_EQ(test, track_hex(test, cn, UDP_REQ, NFPROTO_IPV4, FWD, false), NEW);
	memset(&pos, 0, sizeof(pos));
	ct_table_walk(cn, &pos, sum_packets, sum);
	KUNIT_EXPECT_EQ(test, sum[CT_DIR_ORIGINAL], (u64)U32_MAX + 1);
}

static struct kunit_case ctrack_datapath_cases[] = {
	KUNIT_CASE_PARAM(sequence_is_classified_as_linux_does, dp_gen_params),
	KUNIT_CASE(bad_checksum_is_invalid_where_packets_come_in),
	KUNIT_CASE(packet_counters_are_64_bit),
	KUNIT_CASE(loopback_input_keeps_what_output_judged),
	{}
};

static struct kunit_suite ctrack_datapath_suite = {
	.name = "ctrack_datapath",
	.test_cases = ctrack_datapath_cases,
};
kunit_test_suites(&ctrack_table_suite, &ctrack_datapath_suite);
