/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_CONN_H
#define _CTRACK_CONN_H

#include <linux/jiffies.h>
#include <linux/list_nulls.h>
#include <linux/minmax.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include "tuple.h"
#include "uapi/ctrack.h"

/* Per-direction TCP window tracking, as nf_conntrack's ip_ct_tcp_state. */
struct ct_tcp_dir {
	u32 td_end;	/* max of seq + len */
	u32 td_maxend;	/* max of ack + max(win, 1) */
	u32 td_maxwin;	/* max(win) */
	u8 td_scale;	/* window scale factor */
	u8 flags;	/* CT_TCP_F_* */
};

struct ct_tcp {
	struct ct_tcp_dir dir[2];
	u32 last_seq;	/* for retransmission detection */
	u8 retrans;
	u8 last_dir;
	u8 last_flags;
};

/*
 * A connection. One hash node serves both directions: the table hashes a
 * tuple and its inverse to the same bucket, and the lookup tells which
 * direction matched. Without NAT the reply tuple is the inverse of
 * ->tuple, so it is not stored. Keep this small: it is allocated per
 * connection (see the slab size in the README).
 */
struct ct_conn {
	struct hlist_nulls_node hnode;
	struct ct_tuple tuple;		/* original direction */
	u8 state;			/* proto state, e.g. enum ctrack_tcp_state */
	u8 timeout_class;		/* enum ctrack_timeout currently applied */
	unsigned long status;		/* CTRACK_S_* bits */
	u32 expires;			/* jiffies, 32 bits; see ct_conn_expired() */
	spinlock_t lock;		/* proto state (tcp, udp) */
	u32 packets[2];
	u64 bytes[2];
	union {
		struct ct_tcp tcp;
		struct {
			u32 first_reply;	/* jiffies of the first reply */
		} udp;
	};
	struct ct_conn_ext *ext;	/* master / helper data, or NULL */
	struct rcu_head rcu;
};

/* Directions, as IP_CT_DIR_*. */
enum { CT_DIR_ORIGINAL, CT_DIR_REPLY };

static inline bool ct_conn_expired(const struct ct_conn *c, u32 now)
{
	return (s32)(READ_ONCE(c->expires) - now) <= 0;
}

/*
 * @secs from now in jiffies, capped so that 32-bit expiry arithmetic never
 * wraps (a quarter of the range is over 12 days at HZ=1000).
 */
static inline u32 ct_expires_in(u32 now, u32 secs)
{
	u32 max = (U32_MAX / 4) / HZ;

	return now + min(secs, max) * HZ;
}

#endif /* _CTRACK_CONN_H */
