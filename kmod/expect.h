/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_EXPECT_H
#define _CTRACK_EXPECT_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include "tuple.h"

struct ct_net;
struct ct_conn;
struct ct_cursor;

#define CT_EXPECT_MAX		4096	/* per namespace */
#define CT_EXPECT_PER_MASTER	1
#define CT_EXPECT_BUCKETS	1024

/* Per-namespace expectation state, embedded in struct ct_net. */
struct ct_expect_net {
	spinlock_t lock;		/* writers of the hash and master lists */
	struct hlist_head *hash;	/* CT_EXPECT_BUCKETS, RCU readers */
	siphash_key_t key;
	unsigned int count;		/* under lock; read with READ_ONCE */
	u64 last_id;			/* under lock: of the newest expectation */
	unsigned int max;		/* CT_EXPECT_MAX; tests lower it */
	unsigned int max_per_master;	/* CT_EXPECT_PER_MASTER */
	u32 last_purge;			/* jiffies of the last purge when full */
	struct delayed_work gc_work;
};

/*
 * Extra data some connections carry (conn->ext): the master's tuple for a
 * RELATED connection, the helper's state for a control one. It is one
 * kmalloc() block, published with the connection (set before it is
 * inserted, never replaced) and freed with it by ct_conn_free(), so it
 * lives as long as the connection: a reader that found the connection
 * under rcu_read_lock() may read it until rcu_read_unlock().
 */
struct ct_conn_ext {
	struct ct_tuple master;
	bool has_master;
	u8 helper;			/* enum ct_helper_id + 1; 0: none */

	/* private to expect.c below */
	bool gone;			/* master died; under ct_expect_net.lock */
	u8 nexpect;			/* expectations on @expects */
	struct list_head expects;	/* oldest first; under ct_expect_net.lock */

	/* the helper's state, struct ct_helper.state_size bytes */
	u8 state[] __aligned(sizeof(long));
};

/* An expected connection; readers (netlink, proc) use these fields. */
struct ct_expect {
	struct ct_tuple tuple;		/* what the data connection will be; sport 0 = any */
	struct ct_tuple master;		/* the master's original tuple */
	u8 helper;			/* the master's, enum ct_helper_id + 1 */
	u32 expires;			/* jiffies */
	u64 id;				/* increasing per namespace, see ct_cursor */
	/* private to expect.c below */
	struct hlist_node hnode;	/* unhashed once removed */
	struct list_head mnode;		/* in the master's ext->expects */
	struct ct_conn_ext *owner;	/* the master's ext */
	struct rcu_head rcu;
};

int ct_expect_mod_init(void);	/* the slab cache */
void ct_expect_mod_exit(void);
int ct_expect_net_init(struct ct_net *cn);
void ct_expect_net_exit(struct ct_net *cn);

/*
 * Calls @fn on live expectations from @cur on, under rcu_read_lock(). When
 * @fn returns non-zero the walk stops, leaving @cur at the expectation it
 * was given (a dump whose message is full sends it in the next one), and
 * returns that value; 0 at the end.
 */
int ct_expect_walk(struct ct_net *cn, struct ct_cursor *cur,
		   int (*fn)(const struct ct_expect *e, void *arg), void *arg);
unsigned int ct_expect_flush(struct ct_net *cn);
unsigned int ct_expect_count(struct ct_net *cn);

/* The packet path's seams, all under rcu_read_lock(). */

/* The expectation a packet with tuple @t would fulfil, or NULL; not consumed. */
struct ct_expect *ct_expect_find(struct ct_net *cn, const struct ct_tuple *t,
				 u32 now);
/*
 * The same, unlinked (one-shot: of callers racing for one, one gets it),
 * or NULL. It stays readable until the caller's rcu_read_unlock().
 */
struct ct_expect *ct_expect_take(struct ct_net *cn, const struct ct_tuple *t,
				 u32 now);
/*
 * The rules accepted the packet: @c (not yet inserted) becomes RELATED to
 * the master of @e, which ct_expect_take() returned. Returns -ENOMEM when
 * c->ext could not be allocated.
 */
int ct_expect_fulfil(struct ct_net *cn, struct ct_expect *e, struct ct_conn *c);
/*
 * @c is being destroyed: its expectations go now; its ext is freed with it
 * by ct_conn_free().
 */
void ct_expect_conn_gone(struct ct_net *cn, struct ct_conn *c);

/*
 * For the helpers and the tests: expect a connection @t from @master,
 * which must carry a helper. Returns 0 (also when refreshing an identical
 * one), -ENOENT when the master is gone, -EBUSY when another master
 * expects the same tuple, -ENOSPC at the namespace limit, -ENOMEM.
 */
int ct_expect_add(struct ct_net *cn, struct ct_conn *master,
		  const struct ct_tuple *t, u32 now);
#if IS_ENABLED(CONFIG_KUNIT)
bool ct_expect_claim(struct ct_net *cn, struct ct_expect *e);
#endif
/* Removes expired expectations; returns how many. */
unsigned int ct_expect_gc(struct ct_net *cn, u32 now);

#endif /* _CTRACK_EXPECT_H */
