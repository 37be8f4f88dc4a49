// SPDX-License-Identifier: GPL-2.0
/*
 * Expectations: connections announced by a master (FTP or TFTP data).
 *
 * A small RCU hash per namespace keyed on the fields that are never
 * wildcards (addresses, destination port, protocol); one spinlock for
 * writers. Each expectation also sits on its master's list, so the master
 * can replace its oldest one and take them all along when it dies.
 * Expired ones are skipped by lookups and reaped by a GC worker, on
 * insert for the same master, and when the table is full.
 */
#include <linux/kernel.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "netns.h"
#include "events.h"
#include "expect.h"

/* 136 bytes on 64-bit, where kmalloc would round up to 192. */
static struct kmem_cache *expect_cache __read_mostly;

int ct_expect_mod_init(void)
{
	expect_cache = KMEM_CACHE(ct_expect, 0);
	return expect_cache ? 0 : -ENOMEM;
}

/* After rcu_barrier(): every expect_free_rcu() has run. */
void ct_expect_mod_exit(void)
{
	kmem_cache_destroy(expect_cache);
}

static void expect_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(expect_cache, container_of(head, struct ct_expect, rcu));
}

#define CT_EXPECT_GC_INTERVAL	(10 * HZ)

/* The part of a tuple the hash covers: no source port, it may be "any". */
struct ct_expect_key {
	union ct_addr src;
	union ct_addr dst;
	__be16 dport;
	u8 l3;
	u8 proto;
};

static struct hlist_head *expect_bucket(struct ct_expect_net *en,
					const struct ct_tuple *t)
{
	struct ct_expect_key k;

	memset(&k, 0, sizeof(k));
	k.src = t->src;
	k.dst = t->dst;
	k.dport = t->dport;
	k.l3 = t->l3;
	k.proto = t->proto;
	return &en->hash[siphash(&k, sizeof(k), &en->key) &
			 (CT_EXPECT_BUCKETS - 1)];
}

static bool expect_expired(const struct ct_expect *e, u32 now)
{
	return ct_time_passed(READ_ONCE(e->expires), now);
}

/* Does a packet with tuple @t fulfil @e? */
static bool expect_matches(const struct ct_expect *e, const struct ct_tuple *t)
{
	return e->tuple.l3 == t->l3 && e->tuple.proto == t->proto &&
	       e->tuple.dport == t->dport &&
	       (!e->tuple.sport || e->tuple.sport == t->sport) &&
	       !memcmp(&e->tuple.src, &t->src, sizeof(t->src)) &&
	       !memcmp(&e->tuple.dst, &t->dst, sizeof(t->dst));
}

static void expect_unlink(struct ct_net *cn, struct ct_expect *e, bool report)
{
	struct ct_expect_net *en = &cn->expect;

	lockdep_assert_held(&en->lock);
	hlist_del_init_rcu(&e->hnode);
	list_del(&e->mnode);
	e->owner->nexpect--;
	WRITE_ONCE(en->count, en->count - 1);
	CT_STAT_INC(cn, expect_delete);
	if (report)
		ct_event_expect(cn, e, CTRACK_EVENT_DESTROY);
	call_rcu(&e->rcu, expect_free_rcu);
}

static unsigned int expect_purge(struct ct_net *cn, u32 now, bool all,
				 bool report)
{
	struct ct_expect_net *en = &cn->expect;
	struct hlist_node *tmp;
	struct ct_expect *e;
	unsigned int i, n = 0;

	lockdep_assert_held(&en->lock);
	for (i = 0; i < CT_EXPECT_BUCKETS; i++) {
		hlist_for_each_entry_safe(e, tmp, &en->hash[i], hnode) {
			if (all || expect_expired(e, now)) {
				expect_unlink(cn, e, report);
				n++;
			}
		}
	}
	return n;
}

unsigned int ct_expect_gc(struct ct_net *cn, u32 now)
{
	struct ct_expect_net *en = &cn->expect;
	unsigned int n;

	if (!READ_ONCE(en->count))
		return 0;
	spin_lock_bh(&en->lock);
	n = expect_purge(cn, now, false, true);
	spin_unlock_bh(&en->lock);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(ct_expect_gc);

static void expect_gc_worker(struct work_struct *work)
{
	struct ct_expect_net *en = container_of(to_delayed_work(work),
						struct ct_expect_net, gc_work);
	struct ct_net *cn = container_of(en, struct ct_net, expect);

	ct_expect_gc(cn, jiffies);
	/* an idle namespace costs no wakeups: ct_expect_add() rearms */
	if (READ_ONCE(en->count))
		queue_delayed_work(system_power_efficient_wq, &en->gc_work,
				   CT_EXPECT_GC_INTERVAL);
}

int ct_expect_add(struct ct_net *cn, struct ct_conn *master,
		  const struct ct_tuple *t, u32 now)
{
	struct ct_expect_net *en = &cn->expect;
	struct ct_conn_ext *ext = rcu_dereference(master->ext);
	struct ct_expect *e, *old, *tmp;
	struct hlist_head *head;
	unsigned int per_master;
	int ret = 0;

	if (!ext || !ext->helper)
		return -EINVAL;
	e = kmem_cache_alloc(expect_cache, ct_gfp_atomic(cn));
	if (!e)
		return -ENOMEM;
	e->tuple = *t;
	e->master = master->tuple;
	e->helper = ext->helper;
	e->expires = ct_expires_in(now, READ_ONCE(cn->timeouts[CTRACK_TO_EXPECT]));
	e->owner = ext;
	head = expect_bucket(en, t);

	spin_lock_bh(&en->lock);
	/* ct_expect_conn_gone() ran: nothing may point at the master now */
	if (ext->gone) {
		ret = -ENOENT;
		goto err_free;
	}
	list_for_each_entry_safe(old, tmp, &ext->expects, mnode)
		if (expect_expired(old, now))
			expect_unlink(cn, old, true);

	hlist_for_each_entry(old, head, hnode) {
		if (memcmp(&old->tuple, t, sizeof(*t)) || expect_expired(old, now))
			continue;
		if (old->owner != ext) {
			ret = -EBUSY;
			goto err_free;
		}
		/* the same announcement again (a retried PORT): refresh it */
		WRITE_ONCE(old->expires, e->expires);
		goto err_free;
	}

	per_master = max(en->max_per_master, 1U);
	while (ext->nexpect >= per_master)
		expect_unlink(cn, list_first_entry(&ext->expects,
						   struct ct_expect, mnode), true);

	if (en->count >= en->max && en->last_purge != now) {
		en->last_purge = now;
		expect_purge(cn, now, false, true);
	}
	if (en->count >= en->max) {
		net_warn_ratelimited("ctrack: expectation table full (%u), refusing\n",
				     en->max);
		ret = -ENOSPC;
		goto err_free;
	}

	/* newest first in every chain, as ct_cursor needs */
	e->id = ++en->last_id;
	hlist_add_head_rcu(&e->hnode, head);
	list_add_tail(&e->mnode, &ext->expects);
	ext->nexpect++;
	WRITE_ONCE(en->count, en->count + 1);
	/* as nf_conntrack: expect_create counts expectations made */
	CT_STAT_INC(cn, expect_create);
	ct_event_expect(cn, e, CTRACK_EVENT_NEW);
	spin_unlock_bh(&en->lock);
	/* a no-op while the worker is pending */
	queue_delayed_work(system_power_efficient_wq, &en->gc_work,
			   CT_EXPECT_GC_INTERVAL);
	return 0;

err_free:
	spin_unlock_bh(&en->lock);
	kmem_cache_free(expect_cache, e);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ct_expect_add);

struct ct_expect *ct_expect_find(struct ct_net *cn, const struct ct_tuple *t,
				 u32 now)
{
	struct ct_expect_net *en = &cn->expect;
	struct ct_expect *e;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "expectation lookup outside an RCU read section");
	if (!READ_ONCE(en->count))
		return NULL;
	hlist_for_each_entry_rcu(e, expect_bucket(en, t), hnode) {
		if (expect_matches(e, t) && !expect_expired(e, now))
			return e;
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(ct_expect_find);

/*
 * A lockless walk found @e; only unlinking it under the lock makes it
 * ours, so of two packets racing for one expectation (the source port is
 * a wildcard), or a packet racing a flush or its master's death, exactly
 * one wins. False when someone else unlinked it first.
 */
VISIBLE_IF_KUNIT bool ct_expect_claim(struct ct_net *cn, struct ct_expect *e)
{
	struct ct_expect_net *en = &cn->expect;
	bool mine;

	spin_lock_bh(&en->lock);
	mine = !hlist_unhashed(&e->hnode);
	if (mine)
		expect_unlink(cn, e, true);
	spin_unlock_bh(&en->lock);
	return mine;
}
EXPORT_SYMBOL_IF_KUNIT(ct_expect_claim);

struct ct_expect *ct_expect_take(struct ct_net *cn, const struct ct_tuple *t,
				 u32 now)
{
	struct ct_expect *e = ct_expect_find(cn, t, now);

	return e && ct_expect_claim(cn, e) ? e : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(ct_expect_take);

int ct_expect_fulfil(struct ct_net *cn, struct ct_expect *e, struct ct_conn *c)
{
	/* @c is not in the table yet: nobody else sees c->ext */
	struct ct_conn_ext *ext = rcu_dereference_protected(c->ext, 1);

	if (!ext) {
		ext = kzalloc(sizeof(*ext), ct_gfp_atomic(cn));
		if (!ext)
			return -ENOMEM;
		INIT_LIST_HEAD(&ext->expects);
		RCU_INIT_POINTER(c->ext, ext);
	}
	ext->master = e->master;
	ext->has_master = true;
	set_bit(CTRACK_S_RELATED, &c->status);
	/* as nf_conntrack: expect_new counts connections made from one */
	CT_STAT_INC(cn, expect_new);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ct_expect_fulfil);

void ct_expect_conn_gone(struct ct_net *cn, struct ct_conn *c)
{
	struct ct_expect_net *en = &cn->expect;
	/* the caller made @c DYING: it is ours to tear down */
	struct ct_conn_ext *ext = rcu_dereference_protected(c->ext, 1);
	struct ct_expect *e, *tmp;

	if (!ext || !ext->helper)
		return;
	spin_lock_bh(&en->lock);
	ext->gone = true;
	list_for_each_entry_safe(e, tmp, &ext->expects, mnode)
		expect_unlink(cn, e, true);
	spin_unlock_bh(&en->lock);
}
EXPORT_SYMBOL_IF_KUNIT(ct_expect_conn_gone);

int ct_expect_walk(struct ct_net *cn, struct ct_cursor *cur,
		   int (*fn)(const struct ct_expect *e, void *arg), void *arg)
{
	struct ct_expect_net *en = &cn->expect;
	u32 now = jiffies;
	struct ct_expect *e;
	int ret;

	/* a new walk: reap what expired so it does not show up */
	if (!cur->bucket && !cur->below)
		ct_expect_gc(cn, now);
	rcu_read_lock();
	for (; cur->bucket < CT_EXPECT_BUCKETS; cur->bucket++, cur->below = 0) {
		hlist_for_each_entry_rcu(e, &en->hash[cur->bucket], hnode) {
			if (ct_cursor_skip(cur, e->id) || expect_expired(e, now))
				continue;
			ret = fn(e, arg);
			if (ret) {
				rcu_read_unlock();
				return ret;
			}
			ct_cursor_pass(cur, e->id);
		}
	}
	rcu_read_unlock();
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ct_expect_walk);

unsigned int ct_expect_flush(struct ct_net *cn)
{
	struct ct_expect_net *en = &cn->expect;
	unsigned int n;

	spin_lock_bh(&en->lock);
	n = expect_purge(cn, 0, true, true);
	spin_unlock_bh(&en->lock);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(ct_expect_flush);

unsigned int ct_expect_count(struct ct_net *cn)
{
	return READ_ONCE(cn->expect.count);
}
EXPORT_SYMBOL_IF_KUNIT(ct_expect_count);

int ct_expect_net_init(struct ct_net *cn)
{
	struct ct_expect_net *en = &cn->expect;

	en->hash = kvcalloc(CT_EXPECT_BUCKETS, sizeof(*en->hash), ct_gfp_kernel(cn));
	if (!en->hash)
		return -ENOMEM;
	spin_lock_init(&en->lock);
	get_random_bytes(&en->key, sizeof(en->key));
	en->count = 0;
	en->last_id = 0;
	en->max = CT_EXPECT_MAX;
	en->max_per_master = CT_EXPECT_PER_MASTER;
	en->last_purge = jiffies - 1;
	INIT_DELAYED_WORK(&en->gc_work, expect_gc_worker);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ct_expect_net_init);

void ct_expect_net_exit(struct ct_net *cn)
{
	struct ct_expect_net *en = &cn->expect;

	cancel_delayed_work_sync(&en->gc_work);
	/* the namespace is going away: nobody listens for events */
	spin_lock_bh(&en->lock);
	expect_purge(cn, 0, true, false);
	spin_unlock_bh(&en->lock);
	/* the hooks are gone, so no packet path reader is left */
	kvfree(en->hash);
	en->hash = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(ct_expect_net_exit);
