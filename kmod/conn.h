/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_CONN_H
#define _CTRACK_CONN_H

#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/minmax.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include "tuple.h"
#include "uapi/ctrack.h"

/*
 * Per-direction TCP window tracking, as nf_conntrack's ip_ct_tcp_state:
 * what this direction has sent (td_end), may send (td_maxend), the largest
 * window it advertised (td_maxwin) and the highest ack it sent (td_maxack).
 */
struct ct_tcp_dir {
	u32 td_end;	/* max of seq + len */
	u32 td_maxend;	/* max of the peer's ack + window */
	u32 td_maxwin;	/* max of window (scaled) + sack - ack; 0: unseen */
	u32 td_maxack;	/* max of ack, valid with CT_TCP_F_MAXACK */
};

/*
 * 40 bytes, so that struct ct_conn stays at 160. Per direction the window
 * scale and flags share a byte (dflags, see proto_tcp.c); the last_* fields
 * describe the last packet that moved the state machine, or the last one
 * it ignored, as nf_conntrack's.
 */
struct ct_tcp {
	struct ct_tcp_dir dir[2];
	u32 last_end;		/* seq + len of that packet (ack, see proto_tcp.c) */
	u8 dflags[2];		/* window scale (low nibble) | CT_TCP_F_* */
	u8 last_index:3;	/* its kind: SYN, SYN/ACK, FIN, ACK, RST, none */
	u8 last_dir:1;
	u8 retrans:2;		/* identical segments in a row, saturating */
	u8 last_win0:1;		/* its window was 0 (peer probing) */
	u8 liberal:1;		/* picked up mid-stream: no window checks */
	u8 last_wscale:4;	/* window scale of an ignored SYN */
	u8 last_sackperm:1;	/* SACK permitted on an ignored SYN */
	u8 simopen:1;		/* simultaneous open seen */
	u8 challenge:1;		/* a challenge ACK may follow (RFC 5961) */
};

/*
 * A connection. One hash node serves both directions: the table hashes a
 * tuple and its inverse to the same bucket, and the lookup tells which
 * direction matched. Without NAT the reply tuple is the inverse of
 * ->tuple, so it is not stored. Keep this small: it is allocated per
 * connection (see the slab size in the README).
 *
 * There is no rcu_head: once unlinked, hnode.pprev is never read again
 * (readers only follow ->next), so it becomes the link on which the
 * connection waits for its grace period (see ct_conn_kill()). Nothing is
 * freed before a grace period and nothing freed is reused for another
 * connection while a reader may hold it, so a reader walking a chain
 * never lands on another chain: a plain hlist, no nulls restarts.
 */
struct ct_conn {
	union {
		struct hlist_node hnode;
		struct {
			void *hnode_next;	/* hnode.next: readers may follow it */
			struct llist_node grave; /* hnode.pprev once unlinked */
		};
	};
	struct ct_tuple tuple;		/* original direction */
	u8 state;			/* proto state, e.g. enum ctrack_tcp_state */
	u8 timeout_class;		/* enum ctrack_timeout currently applied */
	unsigned long status;		/* CTRACK_S_* bits */
	u64 id;				/* per namespace, increasing, never 0 */
	u32 expires;			/* jiffies, 32 bits; see ct_conn_expired() */
	spinlock_t lock;		/* proto state (tcp, udp) */
	u64 packets[2];
	u64 bytes[2];
	union {
		struct ct_tcp tcp;
		struct {
			u32 first_reply;	/* jiffies of the first reply */
		} udp;
	};
	struct ct_conn_ext __rcu *ext;	/* master / helper data, or NULL */
};

/* Directions, as IP_CT_DIR_*. */
enum { CT_DIR_ORIGINAL, CT_DIR_REPLY };

/*
 * Time is 32-bit jiffies: deadlines compare by their signed difference
 * from now, so they must stay less than 2^31 jiffies ahead of it.
 */
static inline bool ct_time_passed(u32 deadline, u32 now)
{
	return (s32)(deadline - now) <= 0;
}

/*
 * @secs from now in jiffies: every expiry in ctrack comes from here. Capped
 * within the s32 horizon of ct_time_passed() (24 days at HZ=1000), which is
 * what the timeout settings allow.
 */
static inline u32 ct_expires_in(u32 now, u32 secs)
{
	return now + min_t(u32, secs, S32_MAX / HZ - 1) * HZ;
}

/* Whole seconds until @deadline, 0 once it passed. */
static inline u32 ct_seconds_left(u32 deadline, u32 now)
{
	s32 left = (s32)(deadline - now);

	return left > 0 ? left / HZ : 0;
}

static inline bool ct_conn_expired(const struct ct_conn *c, u32 now)
{
	return ct_time_passed(READ_ONCE(c->expires), now);
}

#endif /* _CTRACK_CONN_H */
