// SPDX-License-Identifier: GPL-2.0
/*
 * The connection table: RCU hash, GC worker, early drop.
 */
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include "netns.h"
#include "table.h"
#include "expect.h"
#include "events.h"

/* Buckets next to a full one that early drop may take a victim from. */
#define EARLY_DROP_BUCKETS	8
#define EARLY_DROP_SCAN_MAX	1024
#define GC_INTERVAL		HZ
/* A full GC pass takes at most this many intervals. */
#define GC_PASSES		8

static struct kmem_cache *conn_cache __read_mostly;

/*
 * Killed connections wait here for a grace period, linked through
 * hnode.pprev (->grave): a per-object rcu_head would cost 16 bytes per
 * connection, one grace period per batch costs nothing per connection.
 */
static LLIST_HEAD(graveyard);
static void graveyard_work_fn(struct work_struct *work);
static DECLARE_WORK(graveyard_work, graveyard_work_fn);

int ct_table_mod_init(void)
{
	/*
	 * 160 bytes: 25 connections per 4 KiB slab page. Lock debugging
	 * makes spinlock_t larger, so only check plain builds.
	 */
#if !defined(CONFIG_DEBUG_SPINLOCK) && !defined(CONFIG_DEBUG_LOCK_ALLOC) && \
	!defined(CONFIG_PREEMPT_RT) && defined(CONFIG_64BIT)
	BUILD_BUG_ON(sizeof(struct ct_conn) > 160);
#endif
	BUILD_BUG_ON(offsetof(struct ct_conn, hnode_next) !=
		     offsetof(struct ct_conn, hnode.next));
	BUILD_BUG_ON(offsetof(struct ct_conn, grave) !=
		     offsetof(struct ct_conn, hnode.pprev));
	conn_cache = KMEM_CACHE(ct_conn, 0);
	if (!conn_cache)
		return -ENOMEM;
	pr_debug("struct ct_conn: %zu bytes, slab object %u bytes\n",
		 sizeof(struct ct_conn), kmem_cache_size(conn_cache));
	return 0;
}

void ct_table_mod_exit(void)
{
	ct_table_free_barrier();
	kmem_cache_destroy(conn_cache);
}

u32 ct_table_hash(const struct ct_net *cn, const struct ct_tuple *t)
{
	return ct_tuple_hash(t, &cn->table.key);
}
EXPORT_SYMBOL_IF_KUNIT(ct_table_hash);

static inline unsigned int bucket_of(const struct ct_table *t,
				     const struct ct_tuple *tuple)
{
	return ct_tuple_hash(tuple, &t->key) & (t->nbuckets - 1);
}

static inline spinlock_t *bucket_lock(const struct ct_table *t, unsigned int b)
{
	return &t->locks[b % CT_TABLE_LOCKS];
}

struct ct_conn *ct_table_lookup_hash(struct ct_net *cn,
				     const struct ct_tuple *tuple, u32 hash,
				     u32 now, int *dir)
{
	struct ct_table *t = &cn->table;
	bool have_inv = false;
	struct ct_tuple inv;
	struct ct_conn *c;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "lookup outside an RCU read section");
	hlist_for_each_entry_rcu(c, &t->buckets[hash & (t->nbuckets - 1)], hnode) {
		int d;

		if (ct_tuple_equal(&c->tuple, tuple)) {
			d = CT_DIR_ORIGINAL;
		} else {
			/* Not before: a new tuple's bucket is mostly empty. */
			if (!have_inv) {
				ct_tuple_invert(&inv, tuple);
				have_inv = true;
			}
			if (!ct_tuple_equal(&c->tuple, &inv))
				continue;
			d = CT_DIR_REPLY;
		}
		/* Expired entries are dead to the packet path; GC frees them. */
		if (ct_conn_expired(c, now) || test_bit(CTRACK_S_DYING, &c->status))
			continue;
		*dir = d;
		return c;
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(ct_table_lookup_hash);

struct ct_conn *ct_conn_alloc(const struct ct_tuple *t, gfp_t gfp)
{
	struct ct_conn *c = kmem_cache_zalloc(conn_cache, gfp);

	if (!c)
		return NULL;
	c->tuple = *t;
	spin_lock_init(&c->lock);
	return c;
}
EXPORT_SYMBOL_IF_KUNIT(ct_conn_alloc);

void ct_conn_free(struct ct_conn *c)
{
	/* never inserted, or a grace period after it was unlinked */
	kfree(rcu_dereference_protected(c->ext, 1));
	kmem_cache_free(conn_cache, c);
}
EXPORT_SYMBOL_IF_KUNIT(ct_conn_free);

static void graveyard_work_fn(struct work_struct *work)
{
	struct llist_node *batch;
	struct ct_conn *c, *tmp;

	while ((batch = llist_del_all(&graveyard))) {
		/* Readers that found them in the table are done after this. */
		synchronize_rcu();
		/* a flushed table is a batch of millions: let others run */
		llist_for_each_entry_safe(c, tmp, batch, grave) {
			ct_conn_free(c);
			cond_resched();
		}
	}
}

/*
 * Frees @c after a grace period. @c is unlinked, so nothing reads
 * hnode.pprev any more; ->grave reuses it. Any context.
 */
static void conn_bury(struct ct_conn *c)
{
	/* The first on an empty list queues the work; it empties the list. */
	if (llist_add(&c->grave, &graveyard))
		queue_work(system_unbound_wq, &graveyard_work);
}

void ct_table_free_barrier(void)
{
	flush_work(&graveyard_work);
}
EXPORT_SYMBOL_IF_KUNIT(ct_table_free_barrier);

/* Takes @c out of the table; the caller made it DYING first. */
static void conn_unlink(struct ct_net *cn, struct ct_conn *c)
{
	struct ct_table *t = &cn->table;
	spinlock_t *lock = bucket_lock(t, bucket_of(t, &c->tuple));

	spin_lock_bh(lock);
	hlist_del_rcu(&c->hnode);
	spin_unlock_bh(lock);
	atomic_dec(&t->count);
}

bool ct_conn_kill(struct ct_net *cn, struct ct_conn *c)
{
	if (test_and_set_bit(CTRACK_S_DYING, &c->status))
		return false;
	conn_unlink(cn, c);
	ct_expect_conn_gone(cn, c);
	ct_event_conn(cn, c, CTRACK_EVENT_DESTROY);
	conn_bury(c);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(ct_conn_kill);

/*
 * The table is full: kill one connection that is not ASSURED (or has
 * expired) near bucket @b, as nf_conntrack does, so that a flood of
 * unanswered packets cannot lock out connections that work.
 */
static bool early_drop(struct ct_net *cn, unsigned int b, u32 now)
{
	struct ct_table *t = &cn->table;
	struct ct_conn *c;
	unsigned int i;
	bool done = false;
	unsigned int range;

	/*
	 * With max_conns far below the bucket count most buckets are empty:
	 * widen the scan so that it still meets about EARLY_DROP_BUCKETS
	 * entries, else a full table of unanswered entries refuses nearly
	 * every new connection instead of evicting one.
	 */
	range = t->nbuckets / max(1U, READ_ONCE(t->max));
	range = min(EARLY_DROP_BUCKETS * max(1U, range), EARLY_DROP_SCAN_MAX);

	rcu_read_lock();
	for (i = 0; i < range && !done; i++) {
		unsigned int cur = (b + i) & (t->nbuckets - 1);

		hlist_for_each_entry_rcu(c, &t->buckets[cur], hnode) {
			bool expired = ct_conn_expired(c, now);

			if (!expired && test_bit(CTRACK_S_ASSURED, &c->status))
				continue;
			if (!ct_conn_kill(cn, c))
				continue;
			if (!expired)
				CT_STAT_INC(cn, early_drop);
			done = true;
			break;
		}
	}
	rcu_read_unlock();
	return done;
}

int ct_table_insert_hash(struct ct_net *cn, struct ct_conn *c, u32 hash,
			 u32 now, struct ct_conn **clash)
{
	struct ct_table *t = &cn->table;
	unsigned int b = hash & (t->nbuckets - 1), len = 0;
	spinlock_t *lock = bucket_lock(t, b);
	struct ct_tuple inv;
	struct ct_conn *e;

	if (atomic_read(&t->count) >= READ_ONCE(t->max) &&
	    !early_drop(cn, b, now)) {
		CT_STAT_INC(cn, drop);
		return -ENOSPC;
	}

	ct_tuple_invert(&inv, &c->tuple);
	spin_lock_bh(lock);
	hlist_for_each_entry(e, &t->buckets[b], hnode) {
		if (!ct_conn_expired(e, now) &&
		    !test_bit(CTRACK_S_DYING, &e->status) &&
		    (ct_tuple_equal(&e->tuple, &c->tuple) ||
		     ct_tuple_equal(&e->tuple, &inv))) {
			spin_unlock_bh(lock);
			CT_STAT_INC(cn, insert_failed);
			*clash = e;
			return -EEXIST;
		}
		if (++len >= CT_CHAIN_MAX) {
			spin_unlock_bh(lock);
			CT_STAT_INC(cn, chaintoolong);
			CT_STAT_INC(cn, insert_failed);
			return -ENOSPC;
		}
	}
	atomic_inc(&t->count);
	/* numbered under the lock: each chain stays sorted newest first */
	c->id = atomic64_inc_return(&t->last_id);
	hlist_add_head_rcu(&c->hnode, &t->buckets[b]);
	spin_unlock_bh(lock);
	CT_STAT_INC(cn, insert);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ct_table_insert_hash);

struct ct_conn *ct_table_cursor_get(struct ct_net *cn, struct ct_cursor *cur,
				    u32 now)
{
	struct ct_table *t = &cn->table;
	struct ct_conn *c;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "table walk outside an RCU read section");
	for (; cur->bucket < t->nbuckets; cur->bucket++, cur->below = 0) {
		hlist_for_each_entry_rcu(c, &t->buckets[cur->bucket], hnode) {
			if (ct_cursor_skip(cur, c->id) || ct_conn_expired(c, now) ||
			    test_bit(CTRACK_S_DYING, &c->status))
				continue;
			return c;
		}
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(ct_table_cursor_get);

int ct_table_walk(struct ct_net *cn, struct ct_cursor *cur,
		  int (*fn)(struct ct_conn *c, void *arg), void *arg)
{
	struct ct_conn *c;
	int ret;

	for (;;) {
		rcu_read_lock();
		c = ct_table_cursor_get(cn, cur, jiffies);
		ret = c ? fn(c, arg) : 0;
		if (c && !ret)
			ct_cursor_pass(cur, c->id);
		rcu_read_unlock();
		if (!c || ret)
			return ret;
	}
}
EXPORT_SYMBOL_IF_KUNIT(ct_table_walk);

/*
 * Kills the connections of bucket @b for which @match returns true (all if
 * NULL); an empty bucket costs one load, not an RCU read section.
 */
static unsigned int bucket_kill(struct ct_net *cn, unsigned int b,
				bool (*match)(const struct ct_conn *c, void *arg),
				void *arg)
{
	struct hlist_head *head = &cn->table.buckets[b];
	unsigned int killed = 0;
	struct ct_conn *c;

	if (hlist_empty(head))
		return 0;
	rcu_read_lock();
	hlist_for_each_entry_rcu(c, head, hnode) {
		if ((!match || match(c, arg)) && ct_conn_kill(cn, c))
			killed++;
	}
	rcu_read_unlock();
	return killed;
}

unsigned int ct_table_kill_matching(struct ct_net *cn,
				    bool (*match)(const struct ct_conn *c, void *arg),
				    void *arg)
{
	unsigned int b, killed = 0;

	for (b = 0; b < cn->table.nbuckets; b++) {
		if (!(b % 256))
			cond_resched();
		killed += bucket_kill(cn, b, match, arg);
	}
	return killed;
}
EXPORT_SYMBOL_IF_KUNIT(ct_table_kill_matching);

static bool expired_match(const struct ct_conn *c, void *now)
{
	return ct_conn_expired(c, *(u32 *)now);
}

unsigned int ct_table_gc(struct ct_net *cn, unsigned int nbuckets, u32 now)
{
	struct ct_table *t = &cn->table;
	unsigned int i, killed = 0;

	for (i = 0; i < nbuckets && i < t->nbuckets; i++) {
		unsigned int b = t->gc_next;

		t->gc_next = (b + 1) & (t->nbuckets - 1);
		if (!(i % 256))
			cond_resched();
		killed += bucket_kill(cn, b, expired_match, &now);
	}
	return killed;
}
EXPORT_SYMBOL_IF_KUNIT(ct_table_gc);

static void gc_worker(struct work_struct *work)
{
	struct ct_table *t = container_of(to_delayed_work(work),
					  struct ct_table, gc_work);
	struct ct_net *cn = container_of(t, struct ct_net, table);

	/* An empty table has nothing to expire: spare the bucket walk. */
	if (atomic_read(&t->count))
		ct_table_gc(cn, max(t->nbuckets / GC_PASSES, 1U), jiffies);
	queue_delayed_work(system_power_efficient_wq, &t->gc_work, GC_INTERVAL);
}

int ct_table_init(struct ct_net *cn, unsigned int buckets, unsigned int max)
{
	struct ct_table *t = &cn->table;
	unsigned int i;

	if (!buckets || !is_power_of_2(buckets))
		return -EINVAL;
	t->buckets = kvmalloc_array(buckets, sizeof(*t->buckets), ct_gfp_kernel(cn));
	if (!t->buckets)
		return -ENOMEM;
	t->locks = kvmalloc_array(CT_TABLE_LOCKS, sizeof(*t->locks), ct_gfp_kernel(cn));
	if (!t->locks) {
		kvfree(t->buckets);
		return -ENOMEM;
	}
	for (i = 0; i < buckets; i++)
		INIT_HLIST_HEAD(&t->buckets[i]);
	for (i = 0; i < CT_TABLE_LOCKS; i++)
		spin_lock_init(&t->locks[i]);
	t->nbuckets = buckets;
	t->max = max;
	t->gc_next = 0;
	atomic_set(&t->count, 0);
	atomic64_set(&t->last_id, 0);
	get_random_bytes(&t->key, sizeof(t->key));
	INIT_DEFERRABLE_WORK(&t->gc_work, gc_worker);
	queue_delayed_work(system_power_efficient_wq, &t->gc_work, GC_INTERVAL);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ct_table_init);

/*
 * The namespace is going: the hooks are gone and so are the
 * expectations, so connections are freed without events or callbacks.
 */
void ct_table_destroy(struct ct_net *cn)
{
	struct ct_table *t = &cn->table;
	struct hlist_node *tmp;
	struct ct_conn *c;
	unsigned int b;

	cancel_delayed_work_sync(&t->gc_work);
	for (b = 0; b < t->nbuckets; b++) {
		if (hlist_empty(&t->buckets[b]))
			continue;
		spin_lock_bh(bucket_lock(t, b));
		hlist_for_each_entry_safe(c, tmp, &t->buckets[b], hnode) {
			set_bit(CTRACK_S_DYING, &c->status);
			hlist_del_rcu(&c->hnode);
			atomic_dec(&t->count);
			conn_bury(c);
		}
		spin_unlock_bh(bucket_lock(t, b));
	}
	kvfree(t->locks);
	kvfree(t->buckets);
}
EXPORT_SYMBOL_IF_KUNIT(ct_table_destroy);
