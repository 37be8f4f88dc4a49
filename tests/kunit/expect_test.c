// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite ctrack_expect: the expectation table (wildcard source port,
 * one-shot fulfil, expiry, limits, masters dying) and the helpers' port
 * lists.
 */
#include <kunit/test.h>
#include <linux/inet.h>
#include <linux/netfilter.h>
#include <linux/slab.h>
#include "netns.h"
#include "conn.h"
#include "expect.h"
#include "helper.h"
#include "env.h"

#define STAT_SUM(cn, field) ({					\
	u64 __sum = 0;						\
	int __cpu;						\
	for_each_possible_cpu(__cpu)				\
		__sum += per_cpu_ptr((cn)->stats, __cpu)->field;	\
	__sum;							\
})

#define TIMEOUT_J	(300U * HZ)

struct env {
	struct ct_net *cn;
	struct ct_conn *masters[4];
	unsigned int nmasters;
};

static void env_free(void *arg)
{
	struct env *env = arg;
	unsigned int i;

	for (i = 0; i < env->nmasters; i++) {
		ct_expect_conn_gone(env->cn, env->masters[i]);
		kfree(rcu_access_pointer(env->masters[i]->ext));
		kfree(env->masters[i]);
	}
}

static struct env *env_new(struct kunit *test)
{
	static const u16 ftp[] = { 21, 0 };
	struct env *env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, env);
	env->cn = ct_test_expect_net(test, CT_HELPER_FTP, ftp);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, env_free, env), 0);
	return env;
}

static void set_addr(struct kunit *test, union ct_addr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	KUNIT_ASSERT_EQ(test, in4_pton(s, -1, (u8 *)&a->ip, -1, NULL), 1);
}

static void set_tuple(struct kunit *test, struct ct_tuple *t, u8 proto,
		      const char *src, u16 sport, const char *dst, u16 dport)
{
	memset(t, 0, sizeof(*t));
	t->l3 = NFPROTO_IPV4;
	t->proto = proto;
	set_addr(test, &t->src, src);
	set_addr(test, &t->dst, dst);
	t->sport = htons(sport);
	t->dport = htons(dport);
}

/*
 * An FTP control connection client:sport -> server:21 with a helper ext;
 * env_free() frees it, after the expectations that point at it.
 */
static struct ct_conn *master_new(struct kunit *test, struct env *env,
				  const char *client, u16 sport)
{
	struct ct_conn *c;

	KUNIT_ASSERT_LT(test, env->nmasters, ARRAY_SIZE(env->masters));
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	env->masters[env->nmasters++] = c;
	spin_lock_init(&c->lock);
	set_tuple(test, &c->tuple, IPPROTO_TCP, client, sport, "10.0.0.2", 21);
	KUNIT_ASSERT_EQ(test, ct_helper_attach(env->cn, c), 0);
	KUNIT_ASSERT_NOT_NULL(test, rcu_access_pointer(c->ext));
	return c;
}

/* The data connection @master's client announced with PORT ...,@port. */
static int expect_port(struct kunit *test, struct env *env,
		       struct ct_conn *master, u16 port, u32 now)
{
	struct ct_tuple t;

	int ret;

	set_tuple(test, &t, IPPROTO_TCP, "10.0.0.2", 0, "10.0.0.1", port);
	t.dst = master->tuple.src;
	/* as on the packet path, where helpers call it */
	rcu_read_lock();
	ret = ct_expect_add(env->cn, master, &t, now);
	rcu_read_unlock();
	return ret;
}

static struct ct_expect *find(struct env *env, const struct ct_tuple *t, u32 now)
{
	struct ct_expect *e;

	rcu_read_lock();
	e = ct_expect_find(env->cn, t, now);
	rcu_read_unlock();
	return e;
}

static struct ct_expect *find_port(struct kunit *test, struct env *env,
				   struct ct_conn *master, u16 sport, u16 port,
				   u32 now)
{
	struct ct_tuple t;

	set_tuple(test, &t, IPPROTO_TCP, "10.0.0.2", sport, "10.0.0.1", port);
	t.dst = master->tuple.src;
	return find(env, &t, now);
}

/* ---- lookups ---- */

struct find_case {
	const char *desc;
	u8 proto;
	const char *src;
	u16 sport;
	const char *dst;
	u16 dport;
	bool match;
};

static const struct find_case find_cases[] = {
	{ "any_source_port_20", IPPROTO_TCP, "10.0.0.2", 20, "10.0.0.1", 1025, true },
	{ "any_source_port_high", IPPROTO_TCP, "10.0.0.2", 65535, "10.0.0.1", 1025, true },
	{ "other_dport", IPPROTO_TCP, "10.0.0.2", 20, "10.0.0.1", 1026, false },
	{ "other_source", IPPROTO_TCP, "10.0.0.3", 20, "10.0.0.1", 1025, false },
	{ "other_destination", IPPROTO_TCP, "10.0.0.2", 20, "10.0.0.9", 1025, false },
	{ "reversed", IPPROTO_TCP, "10.0.0.1", 1025, "10.0.0.2", 20, false },
	{ "udp", IPPROTO_UDP, "10.0.0.2", 20, "10.0.0.1", 1025, false },
};

static void find_case_desc(const struct find_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(find, find_cases, find_case_desc);

static void find_matches_only_the_expected_tuple(struct kunit *test)
{
	const struct find_case *c = test->param_value;
	struct env *env = env_new(test);
	struct ct_conn *m = master_new(test, env, "10.0.0.1", 40000);
	struct ct_tuple t;
	struct ct_expect *e;

	KUNIT_ASSERT_EQ(test, expect_port(test, env, m, 1025, 1000), 0);
	KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 1);
	KUNIT_EXPECT_EQ(test, STAT_SUM(env->cn, expect_create), 1);
	set_tuple(test, &t, c->proto, c->src, c->sport, c->dst, c->dport);
	e = find(env, &t, 1000);
	if (!c->match) {
		KUNIT_EXPECT_NULL(test, e);
		return;
	}
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, ntohs(e->tuple.sport), 0);
	KUNIT_EXPECT_MEMEQ(test, &e->master, &m->tuple, sizeof(m->tuple));
	KUNIT_EXPECT_EQ(test, e->expires, 1000 + TIMEOUT_J);
}

/* The data connection's tuple for the expectation of port @port. */
static void data_tuple(struct kunit *test, struct ct_conn *master,
		       u16 sport, u16 port, struct ct_tuple *t)
{
	set_tuple(test, t, IPPROTO_TCP, "10.0.0.2", sport, "10.0.0.1", port);
	t->dst = master->tuple.src;
}

/*
 * A packet found the expectation locklessly; before it claims it, a flush
 * or the master's death removes it: the packet is NEW, not RELATED.
 */
static void found_one_is_lost_to_flush_and_master_death(struct kunit *test)
{
	struct env *env = env_new(test);
	struct ct_conn *m = master_new(test, env, "10.0.0.1", 40000);
	unsigned int flushed;
	struct ct_expect *e;
	struct ct_tuple t;
	bool claimed;

	/* KUnit's reports may sleep: judge outside the read sections */
	data_tuple(test, m, 20, 1025, &t);
	KUNIT_ASSERT_EQ(test, expect_port(test, env, m, 1025, 1000), 0);
	rcu_read_lock();
	e = ct_expect_find(env->cn, &t, 1000);
	flushed = ct_expect_flush(env->cn);
	claimed = e && ct_expect_claim(env->cn, e);
	rcu_read_unlock();
	KUNIT_EXPECT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, flushed, 1);
	KUNIT_EXPECT_FALSE(test, claimed);

	KUNIT_ASSERT_EQ(test, expect_port(test, env, m, 1025, 1000), 0);
	rcu_read_lock();
	e = ct_expect_find(env->cn, &t, 1000);
	ct_expect_conn_gone(env->cn, m);
	claimed = e && ct_expect_claim(env->cn, e);
	rcu_read_unlock();
	KUNIT_EXPECT_NOT_NULL(test, e);
	KUNIT_EXPECT_FALSE(test, claimed);
	KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 0);
}

static void take_is_one_shot_and_fulfil_records_master(struct kunit *test)
{
	struct env *env = env_new(test);
	struct ct_conn *m = master_new(test, env, "10.0.0.1", 40000);
	struct ct_conn *d1 = kunit_kzalloc(test, sizeof(*d1), GFP_KERNEL);
	struct ct_conn_ext *ext;
	struct ct_expect *e, *e2;
	struct ct_tuple t1, t2;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, d1);
	KUNIT_ASSERT_EQ(test, expect_port(test, env, m, 1025, 1000), 0);
	/* two SYNs from different source ports: the wildcard fits both */
	data_tuple(test, m, 20, 1025, &t1);
	data_tuple(test, m, 21, 1025, &t2);

	rcu_read_lock();
	e = ct_expect_take(env->cn, &t1, 1000);
	/* the packet on the other CPU comes second: it is NEW */
	e2 = ct_expect_take(env->cn, &t2, 1000);
	ret = e ? ct_expect_fulfil(env->cn, e, d1) : -ENOENT;
	rcu_read_unlock();

	KUNIT_EXPECT_NOT_NULL(test, e);
	KUNIT_EXPECT_NULL(test, e2);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ext = rcu_access_pointer(d1->ext);
	KUNIT_ASSERT_NOT_NULL(test, ext);
	KUNIT_EXPECT_TRUE(test, ext->has_master);
	KUNIT_EXPECT_EQ(test, ext->helper, 0);
	KUNIT_EXPECT_MEMEQ(test, &ext->master, &m->tuple, sizeof(m->tuple));
	KUNIT_EXPECT_TRUE(test, test_bit(CTRACK_S_RELATED, &d1->status));
	KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 0);
	KUNIT_EXPECT_NULL(test, find_port(test, env, m, 20, 1025, 1000));
	KUNIT_EXPECT_EQ(test, STAT_SUM(env->cn, expect_new), 1);
	KUNIT_EXPECT_EQ(test, STAT_SUM(env->cn, expect_delete), 1);
	kfree(ext);
}

/* ---- expiry ---- */

struct expiry_case {
	const char *desc;
	u32 created;
	u32 looked_up;		/* after created */
	bool alive;
};

static const struct expiry_case expiry_cases[] = {
	{ "fresh", 1000, 1000, true },
	{ "last_jiffy", 1000, 1000 + TIMEOUT_J - 1, true },
	{ "at_timeout", 1000, 1000 + TIMEOUT_J, false },
	{ "long_after", 1000, 1000 + 10 * TIMEOUT_J, false },
	{ "across_wrap_alive", 0xffffff00, 0xffffff00 + TIMEOUT_J - 1, true },
	{ "across_wrap_dead", 0xffffff00, 0xffffff00 + TIMEOUT_J, false },
};

static void expiry_case_desc(const struct expiry_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(expiry, expiry_cases, expiry_case_desc);

static void expired_is_not_found_and_reaped(struct kunit *test)
{
	const struct expiry_case *c = test->param_value;
	struct env *env = env_new(test);
	struct ct_conn *m = master_new(test, env, "10.0.0.1", 40000);

	KUNIT_ASSERT_EQ(test, expect_port(test, env, m, 1025, c->created), 0);
	KUNIT_EXPECT_EQ(test, !!find_port(test, env, m, 20, 1025, c->looked_up),
			c->alive);
	KUNIT_EXPECT_EQ(test, ct_expect_gc(env->cn, c->looked_up), c->alive ? 0 : 1);
	KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), c->alive ? 1 : 0);
	KUNIT_EXPECT_EQ(test, STAT_SUM(env->cn, expect_delete), c->alive ? 0 : 1);
}

/* ---- limits ---- */

static void second_expectation_replaces_the_first(struct kunit *test)
{
	struct env *env = env_new(test);
	struct ct_conn *m = master_new(test, env, "10.0.0.1", 40000);

	KUNIT_ASSERT_EQ(test, expect_port(test, env, m, 1025, 1000), 0);
	KUNIT_ASSERT_EQ(test, expect_port(test, env, m, 1026, 1001), 0);
	KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 1);
	KUNIT_EXPECT_NULL(test, find_port(test, env, m, 20, 1025, 1001));
	KUNIT_EXPECT_NOT_NULL(test, find_port(test, env, m, 20, 1026, 1001));
	KUNIT_EXPECT_EQ(test, STAT_SUM(env->cn, expect_delete), 1);
	KUNIT_EXPECT_EQ(test, STAT_SUM(env->cn, expect_create), 2);
}

static void per_master_limit_drops_the_oldest(struct kunit *test)
{
	struct env *env = env_new(test);
	struct ct_conn *m = master_new(test, env, "10.0.0.1", 40000);

	env->cn->expect.max_per_master = 2;
	KUNIT_ASSERT_EQ(test, expect_port(test, env, m, 1025, 1000), 0);
	KUNIT_ASSERT_EQ(test, expect_port(test, env, m, 1026, 1000), 0);
	KUNIT_ASSERT_EQ(test, expect_port(test, env, m, 1027, 1000), 0);
	KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 2);
	KUNIT_EXPECT_NULL(test, find_port(test, env, m, 20, 1025, 1000));
	KUNIT_EXPECT_NOT_NULL(test, find_port(test, env, m, 20, 1026, 1000));
	KUNIT_EXPECT_NOT_NULL(test, find_port(test, env, m, 20, 1027, 1000));
}

static void same_announcement_refreshes(struct kunit *test)
{
	struct env *env = env_new(test);
	struct ct_conn *m = master_new(test, env, "10.0.0.1", 40000);
	struct ct_expect *e;

	KUNIT_ASSERT_EQ(test, expect_port(test, env, m, 1025, 1000), 0);
	KUNIT_ASSERT_EQ(test, expect_port(test, env, m, 1025, 2000), 0);
	KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 1);
	e = find_port(test, env, m, 20, 1025, 2000);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, e->expires, 2000 + TIMEOUT_J);
	KUNIT_EXPECT_EQ(test, STAT_SUM(env->cn, expect_create), 1);
}

static void other_master_cannot_take_a_tuple(struct kunit *test)
{
	struct env *env = env_new(test);
	struct ct_conn *m1 = master_new(test, env, "10.0.0.1", 40000);
	struct ct_conn *m2 = master_new(test, env, "10.0.0.1", 40001);

	KUNIT_ASSERT_EQ(test, expect_port(test, env, m1, 1025, 1000), 0);
	KUNIT_EXPECT_EQ(test, expect_port(test, env, m2, 1025, 1000), -EBUSY);
	KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 1);
	/* once the first expired, the tuple is free */
	KUNIT_EXPECT_EQ(test, expect_port(test, env, m2, 1025, 1000 + TIMEOUT_J), 0);
}

static void global_limit_refuses_beyond(struct kunit *test)
{
	struct env *env = env_new(test);
	struct ct_conn *m1 = master_new(test, env, "10.0.0.1", 40000);
	struct ct_conn *m2 = master_new(test, env, "10.0.0.3", 40000);
	struct ct_conn *m3 = master_new(test, env, "10.0.0.4", 40000);

	env->cn->expect.max = 2;
	KUNIT_ASSERT_EQ(test, expect_port(test, env, m1, 1025, 1000), 0);
	KUNIT_ASSERT_EQ(test, expect_port(test, env, m2, 1025, 1010), 0);
	KUNIT_EXPECT_EQ(test, expect_port(test, env, m3, 1025, 1020), -ENOSPC);
	KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 2);
	KUNIT_EXPECT_NULL(test, find_port(test, env, m3, 20, 1025, 1020));
	/* a master at its own limit still replaces its oldest */
	KUNIT_EXPECT_EQ(test, expect_port(test, env, m1, 1026, 1020), 0);
	KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 2);
	/* when m2's expired, the full table makes room by reaping it */
	KUNIT_EXPECT_EQ(test, expect_port(test, env, m3, 1025, 1010 + TIMEOUT_J), 0);
	KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 2);
	KUNIT_EXPECT_NULL(test, find_port(test, env, m2, 20, 1025, 1010 + TIMEOUT_J - 1));
}

static void master_gone_removes_its_expectations(struct kunit *test)
{
	struct env *env = env_new(test);
	struct ct_conn *m1 = master_new(test, env, "10.0.0.1", 40000);
	struct ct_conn *m2 = master_new(test, env, "10.0.0.3", 40000);

	env->cn->expect.max_per_master = 3;
	KUNIT_ASSERT_EQ(test, expect_port(test, env, m1, 1025, 1000), 0);
	KUNIT_ASSERT_EQ(test, expect_port(test, env, m1, 1026, 1000), 0);
	KUNIT_ASSERT_EQ(test, expect_port(test, env, m2, 1025, 1000), 0);
	ct_expect_conn_gone(env->cn, m1);
	KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 1);
	KUNIT_EXPECT_NULL(test, find_port(test, env, m1, 20, 1025, 1000));
	KUNIT_EXPECT_NULL(test, find_port(test, env, m1, 20, 1026, 1000));
	KUNIT_EXPECT_NOT_NULL(test, find_port(test, env, m2, 20, 1025, 1000));
	KUNIT_EXPECT_EQ(test, STAT_SUM(env->cn, expect_delete), 2);
	/* a packet still in flight for the dead master adds nothing */
	KUNIT_EXPECT_EQ(test, expect_port(test, env, m1, 1027, 1000), -ENOENT);
	KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 1);
}

static int count_fn(const struct ct_expect *e, void *arg)
{
	unsigned int *seen = arg;

	/* stop after two, to resume from the cursor */
	if (*seen == 2)
		return 1;
	(*seen)++;
	return 0;
}

static int collect_fn(const struct ct_expect *e, void *arg)
{
	u32 *mask = arg;

	*mask |= 1U << (ntohs(e->tuple.dport) - 1025);
	return 0;
}

static void walk_resumes_and_flush_empties(struct kunit *test)
{
	struct env *env = env_new(test);
	struct ct_conn *m = master_new(test, env, "10.0.0.1", 40000);
	struct ct_cursor pos = {};
	unsigned int seen = 0;
	u32 mask = 0;
	int i;

	env->cn->expect.max_per_master = 4;
	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_EQ(test, expect_port(test, env, m, 1025 + i, jiffies), 0);
	KUNIT_EXPECT_EQ(test, ct_expect_walk(env->cn, &pos, count_fn, &seen), 1);
	KUNIT_EXPECT_EQ(test, seen, 2);
	/* resuming visits the rest, not the first two again */
	seen = 0;
	KUNIT_EXPECT_EQ(test, ct_expect_walk(env->cn, &pos, count_fn, &seen), 0);
	KUNIT_EXPECT_EQ(test, seen, 2);
	memset(&pos, 0, sizeof(pos));
	KUNIT_EXPECT_EQ(test, ct_expect_walk(env->cn, &pos, collect_fn, &mask), 0);
	KUNIT_EXPECT_EQ(test, mask, 0xf);
	KUNIT_EXPECT_EQ(test, ct_expect_flush(env->cn), 4);
	KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 0);
	memset(&pos, 0, sizeof(pos));
	mask = 0;
	KUNIT_EXPECT_EQ(test, ct_expect_walk(env->cn, &pos, collect_fn, &mask), 0);
	KUNIT_EXPECT_EQ(test, mask, 0);
}

/* ---- the helpers' port lists ---- */

struct ports_case {
	const char *desc;
	const char *list;
	int ret;
	u16 ports[CT_HELPER_PORTS_MAX + 1];
};

static const struct ports_case ports_cases[] = {
	{ "default", "21", 0, { 21 } },
	{ "two", "21,2121", 0, { 21, 2121 } },
	{ "empty_disables", "", 0, { } },
	{ "max_port", "65535", 0, { 65535 } },
	{ "fifteen", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15", 0,
	  { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 } },
	{ "sixteen", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16", -EINVAL },
	{ "zero", "0", -EINVAL },
	{ "too_big", "65536", -EINVAL },
	{ "huge", "99999999999999999999", -EINVAL },
	{ "negative", "-21", -EINVAL },
	{ "plus", "+21", -EINVAL },
	{ "empty_element", "21,,22", -EINVAL },
	{ "trailing_comma", "21,", -EINVAL },
	{ "leading_comma", ",21", -EINVAL },
	{ "space", "21, 22", -EINVAL },
	{ "letters", "ftp", -EINVAL },
	{ "duplicate", "21,21", -EINVAL },
};

static void ports_case_desc(const struct ports_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(ports, ports_cases, ports_case_desc);

static void ports_parse_accepts_only_port_lists(struct kunit *test)
{
	const struct ports_case *c = test->param_value;
	u16 ports[CT_HELPER_PORTS_MAX + 1];

	memset(ports, 0xaa, sizeof(ports));
	KUNIT_ASSERT_EQ(test, ct_helper_ports_parse("ftp_ports", c->list, ports), c->ret);
	if (!c->ret)
		KUNIT_EXPECT_MEMEQ(test, ports, c->ports, sizeof(ports));
	else	/* refused: nothing written */
		KUNIT_EXPECT_EQ(test, ports[0], 0xaaaa);
	KUNIT_EXPECT_EQ(test, ct_helper_ports_parse("ftp_ports", c->list, NULL), c->ret);
}

static void port_add_and_delete_keep_the_list_terminated(struct kunit *test)
{
	struct env *env = env_new(test);
	struct ct_net *cn = env->cn;
	u16 *ports = cn->helpers.ports[CT_HELPER_FTP];
	int i;

	mutex_lock(&cn->cfg_lock);
	KUNIT_EXPECT_EQ(test, ct_helper_port_add(cn, CT_HELPER_FTP, 21), -EEXIST);
	KUNIT_EXPECT_EQ(test, ct_helper_port_add(cn, CT_HELPER_FTP, 0), -EINVAL);
	for (i = 1; i < CT_HELPER_PORTS_MAX; i++)
		KUNIT_EXPECT_EQ(test, ct_helper_port_add(cn, CT_HELPER_FTP, 2000 + i), 0);
	KUNIT_EXPECT_EQ(test, ct_helper_port_add(cn, CT_HELPER_FTP, 3000), -ENOSPC);
	KUNIT_EXPECT_EQ(test, ports[CT_HELPER_PORTS_MAX], 0);
	KUNIT_EXPECT_EQ(test, ct_helper_port_del(cn, CT_HELPER_FTP, 3000), -ENOENT);
	KUNIT_EXPECT_EQ(test, ct_helper_port_del(cn, CT_HELPER_FTP, 0), -ENOENT);
	KUNIT_EXPECT_EQ(test, ct_helper_port_del(cn, CT_HELPER_FTP, 21), 0);
	KUNIT_EXPECT_EQ(test, ports[0], 2000 + CT_HELPER_PORTS_MAX - 1);
	KUNIT_EXPECT_EQ(test, ports[CT_HELPER_PORTS_MAX - 1], 0);
	KUNIT_EXPECT_EQ(test, ct_helper_port_del(cn, CT_HELPER_FTP, 21), -ENOENT);
	for (i = 1; i < CT_HELPER_PORTS_MAX; i++)
		KUNIT_EXPECT_EQ(test, ct_helper_port_del(cn, CT_HELPER_FTP, 2000 + i), 0);
	KUNIT_EXPECT_EQ(test, ports[0], 0);
	KUNIT_EXPECT_EQ(test, ct_helper_port_add(cn, CT_HELPER_FTP, 2121), 0);
	KUNIT_EXPECT_EQ(test, ports[0], 2121);
	KUNIT_EXPECT_EQ(test, ports[1], 0);
	mutex_unlock(&cn->cfg_lock);
}

static void empty_port_list_attaches_no_helper(struct kunit *test)
{
	struct env *env = env_new(test);
	struct ct_conn *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	mutex_lock(&env->cn->cfg_lock);
	KUNIT_ASSERT_EQ(test, ct_helper_port_del(env->cn, CT_HELPER_FTP, 21), 0);
	mutex_unlock(&env->cn->cfg_lock);
	set_tuple(test, &c->tuple, IPPROTO_TCP, "10.0.0.1", 40000, "10.0.0.2", 21);
	KUNIT_EXPECT_EQ(test, ct_helper_attach(env->cn, c), 0);
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(c->ext));
}

static struct kunit_case ctrack_expect_cases[] = {
	KUNIT_CASE_PARAM(find_matches_only_the_expected_tuple, find_gen_params),
	KUNIT_CASE(take_is_one_shot_and_fulfil_records_master),
	KUNIT_CASE(found_one_is_lost_to_flush_and_master_death),
	KUNIT_CASE_PARAM(expired_is_not_found_and_reaped, expiry_gen_params),
	KUNIT_CASE(second_expectation_replaces_the_first),
	KUNIT_CASE(per_master_limit_drops_the_oldest),
	KUNIT_CASE(same_announcement_refreshes),
	KUNIT_CASE(other_master_cannot_take_a_tuple),
	KUNIT_CASE(global_limit_refuses_beyond),
	KUNIT_CASE(master_gone_removes_its_expectations),
	KUNIT_CASE(walk_resumes_and_flush_empties),
	KUNIT_CASE_PARAM(ports_parse_accepts_only_port_lists, ports_gen_params),
	KUNIT_CASE(port_add_and_delete_keep_the_list_terminated),
	KUNIT_CASE(empty_port_list_attaches_no_helper),
	{}
};

static struct kunit_suite ctrack_expect_suite = {
	.name = "ctrack_expect",
	.test_cases = ctrack_expect_cases,
};
kunit_test_suites(&ctrack_expect_suite);
