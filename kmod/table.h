/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_TABLE_H
#define _CTRACK_TABLE_H

#include <linux/list_nulls.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include "conn.h"

struct ct_net;

/*
 * The connection table of one namespace: RCU hash of hlist_nulls chains
 * (the nulls value is the bucket index, so a reader moved to another chain
 * by a concurrent delete notices and restarts), striped bucket locks for
 * writers, a siphash key drawn at creation, and a GC worker that walks a
 * slice of the buckets at a time.
 */
struct ct_table {
	struct hlist_nulls_head *buckets;
	unsigned int nbuckets;		/* power of two */
	siphash_key_t key;
	spinlock_t *locks;		/* CT_TABLE_LOCKS, indexed by bucket */
	atomic_t count;
	unsigned int max;		/* max_conns */
	unsigned int gc_next;		/* next bucket the GC looks at */
	struct delayed_work gc_work;
};

#define CT_TABLE_LOCKS	1024
#define CT_CHAIN_MAX	64	/* longer chains refuse inserts (chaintoolong) */

int ct_table_mod_init(void);	/* the slab cache */
void ct_table_mod_exit(void);
int ct_table_init(struct ct_net *cn, unsigned int buckets, unsigned int max);
void ct_table_destroy(struct ct_net *cn);

/* Under rcu_read_lock(); *dir is CT_DIR_ORIGINAL or CT_DIR_REPLY. */
struct ct_conn *ct_table_lookup(struct ct_net *cn, const struct ct_tuple *t,
				u32 now, int *dir);

/* A new connection for @t, not yet in the table; NULL when out of memory. */
struct ct_conn *ct_conn_alloc(const struct ct_tuple *t, gfp_t gfp);
void ct_conn_free(struct ct_conn *c);	/* never inserted */

/*
 * Inserts @c; on a full table evicts a connection that is not ASSURED from
 * the same bucket region first. Returns 0, -EEXIST when the tuple is
 * already present (the caller frees @c and uses *clash), or -ENOSPC.
 */
int ct_table_insert(struct ct_net *cn, struct ct_conn *c, u32 now,
		    struct ct_conn **clash);

/* Unlinks and frees after a grace period; false if already dying. */
bool ct_conn_kill(struct ct_net *cn, struct ct_conn *c);

/* Waits until every connection killed so far is freed. Sleeps. */
void ct_table_free_barrier(void);

/*
 * Calls @fn on every live connection of buckets [*pos, nbuckets) under
 * rcu_read_lock(), taken per non-empty bucket. Stops when @fn returns
 * non-zero, leaving *pos at the bucket to resume from (fn must then be able
 * to handle that bucket again: dumps skip what they already sent). Returns
 * the value @fn returned, or 0 at the end.
 */
int ct_table_walk(struct ct_net *cn, unsigned int *pos,
		  int (*fn)(struct ct_conn *c, void *arg), void *arg);

/*
 * One GC step: kills the expired connections of the next @nbuckets buckets
 * and returns how many. The GC worker calls it; so can tests. Sleeps.
 */
unsigned int ct_table_gc(struct ct_net *cn, unsigned int nbuckets, u32 now);

/*
 * Kills every connection for which @match returns true (all if NULL).
 * Sleeps.
 */
unsigned int ct_table_kill_matching(struct ct_net *cn,
				    bool (*match)(const struct ct_conn *c, void *arg),
				    void *arg);

#endif /* _CTRACK_TABLE_H */
