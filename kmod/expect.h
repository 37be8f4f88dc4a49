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
#include "ftp.h"

struct ct_net;
struct ct_conn;
struct ct_expect;
struct sk_buff;

#define CT_FTP_PORTS_MAX	15
#define CT_EXPECT_MAX		4096	/* per namespace */
#define CT_EXPECT_PER_MASTER	1
#define CT_EXPECT_BUCKETS	1024

/* Per-namespace expectation state, embedded in struct ct_net. */
struct ct_expect_net {
	u16 ftp_ports[CT_FTP_PORTS_MAX + 1];	/* 0-terminated; read locklessly */

	/* private to expect.c below */
	spinlock_t lock;		/* writers of the hash and master lists */
	struct hlist_head *hash;	/* CT_EXPECT_BUCKETS, RCU readers */
	siphash_key_t key;
	unsigned int count;		/* under lock; read with READ_ONCE */
	unsigned int max;		/* CT_EXPECT_MAX; tests lower it */
	unsigned int max_per_master;	/* CT_EXPECT_PER_MASTER */
	u32 last_purge;			/* jiffies of the last purge when full */
	struct delayed_work gc_work;
};

/*
 * Extra data some connections carry (conn->ext): the master's tuple for a
 * RELATED connection, the FTP helper's parse state for a control one.
 * It is one kmalloc() block, set before the connection is inserted and
 * never changed after: whoever frees the connection kfree()s it with it
 * (in the same RCU callback). ftp[] exists only when has_helper is set.
 */
struct ct_conn_ext {
	struct ct_tuple master;
	bool has_master;

	/* private to expect.c and ftp.c below */
	bool has_helper;
	bool gone;			/* master died; under ct_expect_net.lock */
	u8 nexpect;			/* expectations on @expects */
	struct list_head expects;	/* oldest first; under ct_expect_net.lock */
	struct ct_ftp_dir ftp[];	/* per direction, under conn->lock */
};

/* An expected connection; readers (netlink, proc) use these fields. */
struct ct_expect {
	struct ct_tuple tuple;		/* what the data connection will be; sport 0 = any */
	struct ct_tuple master;		/* the master's original tuple */
	u32 expires;			/* jiffies */
	/* private to expect.c below */
	struct hlist_node hnode;	/* unhashed once removed */
	struct list_head mnode;		/* in the master's ext->expects */
	struct ct_conn_ext *owner;	/* the master's ext */
	struct rcu_head rcu;
};

/* Parses "21,2121" into @ports (0-terminated, may be NULL to validate). */
int ct_ftp_ports_parse(const char *list, u16 *ports);
int ct_expect_mod_init(void);	/* the slab cache */
void ct_expect_mod_exit(void);
int ct_expect_net_init(struct ct_net *cn, const char *ftp_ports);
void ct_expect_net_exit(struct ct_net *cn);

/* The FTP ports of a namespace, changed under cn->cfg_lock. */
int ct_ftp_port_add(struct ct_net *cn, u16 port);	/* -EEXIST, -ENOSPC */
int ct_ftp_port_del(struct ct_net *cn, u16 port);	/* -ENOENT */

/*
 * Calls @fn on live expectations from *pos under rcu_read_lock(); stops
 * when @fn returns non-zero, leaving *pos where to resume (dumps).
 */
int ct_expect_walk(struct ct_net *cn, unsigned long *pos,
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
/* A new TCP connection was accepted: watch it if its port is an FTP one. */
int ct_helper_attach(struct ct_net *cn, struct ct_conn *c);
/* An accepted packet of a connection with CTRACK_S_HELPER set. */
void ct_helper_packet(struct ct_net *cn, struct ct_conn *c, int dir,
		      const struct sk_buff *skb, const struct ct_pkt *pkt,
		      u32 now);
/*
 * @c is being destroyed: its expectations go now; its ext is freed with it
 * by whoever frees @c (kfree(c->ext)).
 */
void ct_expect_conn_gone(struct ct_net *cn, struct ct_conn *c);

/*
 * For ftp.c and the tests: expect a connection @t from @master, which must
 * carry a helper ext. Returns 0 (also when refreshing an identical one),
 * -ENOENT when the master is gone, -EBUSY when another master expects the
 * same tuple, -ENOSPC at the namespace limit, -ENOMEM.
 */
int ct_expect_add(struct ct_net *cn, struct ct_conn *master,
		  const struct ct_tuple *t, u32 now);
#if IS_ENABLED(CONFIG_KUNIT)
bool ct_expect_claim(struct ct_net *cn, struct ct_expect *e);
#endif
/* Removes expired expectations; returns how many. */
unsigned int ct_expect_gc(struct ct_net *cn, u32 now);

#endif /* _CTRACK_EXPECT_H */
