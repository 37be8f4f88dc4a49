/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_EXPECT_H
#define _CTRACK_EXPECT_H

#include <linux/types.h>
#include "tuple.h"

struct ct_net;
struct ct_conn;
struct ct_expect;
struct sk_buff;

/* Per-namespace expectation state, embedded in struct ct_net. */
struct ct_expect_net {
	u16 ftp_ports[16];	/* 0-terminated; read locklessly */
};

/*
 * Extra data some connections carry (conn->ext): the master's tuple for a
 * RELATED connection, the FTP helper's parse state for a control one.
 */
struct ct_conn_ext {
	struct ct_tuple master;
	bool has_master;
};

/* An expected connection; readers (netlink, proc) use these fields. */
struct ct_expect {
	struct ct_tuple tuple;		/* what the data connection will be; sport 0 = any */
	struct ct_tuple master;		/* the master's original tuple */
	u32 expires;			/* jiffies */
	/* private to expect.c below */
};

/* Parses "21,2121" into @ports (0-terminated, may be NULL to validate). */
int ct_ftp_ports_parse(const char *list, u16 *ports);
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

/* The expectation a packet with tuple @t fulfils, or NULL; not consumed. */
struct ct_expect *ct_expect_find(struct ct_net *cn, const struct ct_tuple *t,
				 u32 now);
/*
 * The rules accepted the packet: @c (not yet inserted) becomes RELATED to
 * the expectation's master, and the expectation is gone (one-shot).
 * Returns -ENOMEM when c->ext could not be allocated.
 */
int ct_expect_fulfil(struct ct_net *cn, struct ct_expect *e, struct ct_conn *c);
/* A new TCP connection was accepted: watch it if its port is an FTP one. */
int ct_helper_attach(struct ct_net *cn, struct ct_conn *c);
/* An accepted packet of a connection with CTRACK_S_HELPER set. */
void ct_helper_packet(struct ct_net *cn, struct ct_conn *c, int dir,
		      const struct sk_buff *skb, const struct ct_pkt *pkt,
		      u32 now);
/* @c is being destroyed: its expectations go, its ext is freed with it. */
void ct_expect_conn_gone(struct ct_net *cn, struct ct_conn *c);

#endif /* _CTRACK_EXPECT_H */
