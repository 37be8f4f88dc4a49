/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_TABLE_H
#define _CTRACK_TABLE_H

#include <linux/list.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include "conn.h"

struct ct_net;

/*
 * The connection table of one namespace: RCU hash of hlist chains, striped
 * bucket locks for writers, a siphash key drawn at creation, and a GC
 * worker that walks a slice of the buckets at a time. Connections are
 * added at the head of their chain and numbered there, under the bucket's
 * lock, from a counter that only grows: every chain is sorted newest
 * first, which is what struct ct_cursor relies on.
 */
struct ct_table {
	struct hlist_head *buckets;
	unsigned int nbuckets;		/* power of two */
	siphash_key_t key;
	spinlock_t *locks;		/* CT_TABLE_LOCKS, indexed by bucket */
	atomic_t count;
	atomic64_t last_id;		/* of the newest connection */
	unsigned int max;		/* max_conns */
	unsigned int gc_next;		/* next bucket the GC looks at */
	struct delayed_work gc_work;
};

#define CT_TABLE_LOCKS	1024
#define CT_CHAIN_MAX	64	/* longer chains refuse inserts (chaintoolong) */

/*
 * A place in a walk over the connections or the expectations, kept
 * between two calls (dump messages, /proc reads). Both hash tables keep
 * their chains sorted by an id that grows with every insert, newest first,
 * so a walk resumes in its bucket below the id of the last entry it passed,
 * not at a position: an entry that lives through the whole walk is seen
 * exactly once, whatever is inserted or deleted meanwhile; one inserted
 * meanwhile may or may not be. A zeroed cursor is at the start.
 */
struct ct_cursor {
	unsigned int bucket;
	u64 below;		/* ids below this are left; 0: the whole bucket */
};

/* Has the walk at @cur passed the entry numbered @id? */
static inline bool ct_cursor_skip(const struct ct_cursor *cur, u64 id)
{
	return cur->below && id >= cur->below;
}

/* The walk at @cur is done with the entry numbered @id. */
static inline void ct_cursor_pass(struct ct_cursor *cur, u64 id)
{
	cur->below = id;
}

int ct_table_mod_init(void);	/* the slab cache */
void ct_table_mod_exit(void);
int ct_table_init(struct ct_net *cn, unsigned int buckets, unsigned int max);
void ct_table_destroy(struct ct_net *cn);

/*
 * The hash of @t and of its inverse, for the _hash variants below: a packet
 * that misses and then creates its connection hashes its tuple once.
 */
u32 ct_table_hash(const struct ct_net *cn, const struct ct_tuple *t);

/* Under rcu_read_lock(); *dir is CT_DIR_ORIGINAL or CT_DIR_REPLY. */
struct ct_conn *ct_table_lookup_hash(struct ct_net *cn, const struct ct_tuple *t,
				     u32 hash, u32 now, int *dir);

static inline struct ct_conn *ct_table_lookup(struct ct_net *cn,
					      const struct ct_tuple *t,
					      u32 now, int *dir)
{
	return ct_table_lookup_hash(cn, t, ct_table_hash(cn, t), now, dir);
}

/* A new connection for @t, not yet in the table; NULL when out of memory. */
struct ct_conn *ct_conn_alloc(const struct ct_tuple *t, gfp_t gfp);
void ct_conn_free(struct ct_conn *c);	/* never inserted */

/*
 * Inserts @c; on a full table evicts a connection that is not ASSURED from
 * the same bucket region first. Returns 0, -EEXIST when the tuple is
 * already present (the caller frees @c and uses *clash), or -ENOSPC.
 */
int ct_table_insert_hash(struct ct_net *cn, struct ct_conn *c, u32 hash,
			 u32 now, struct ct_conn **clash);

static inline int ct_table_insert(struct ct_net *cn, struct ct_conn *c,
				  u32 now, struct ct_conn **clash)
{
	return ct_table_insert_hash(cn, c, ct_table_hash(cn, &c->tuple), now,
				    clash);
}

/* Unlinks and frees after a grace period; false if already dying. */
bool ct_conn_kill(struct ct_net *cn, struct ct_conn *c);

/* Waits until every connection killed so far is freed. Sleeps. */
void ct_table_free_barrier(void);

/*
 * Under rcu_read_lock(): the first live connection at or after @cur, where
 * @cur then stands; NULL at the end. ct_cursor_pass() moves past it.
 */
struct ct_conn *ct_table_cursor_get(struct ct_net *cn, struct ct_cursor *cur,
				    u32 now);

/*
 * Calls @fn on every live connection from @cur on, each under
 * rcu_read_lock(). When @fn returns non-zero the walk stops, leaving @cur
 * at the connection it was given (a dump whose message is full sends it in
 * the next one), and returns that value; 0 at the end.
 */
int ct_table_walk(struct ct_net *cn, struct ct_cursor *cur,
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
