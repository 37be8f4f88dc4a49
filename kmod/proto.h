/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_PROTO_H
#define _CTRACK_PROTO_H

#include <linux/types.h>
#include "conn.h"

struct tcphdr;

/*
 * Per-protocol tracking. Each function is pure apart from @c: the caller
 * passes the clock (@now, jiffies) and the namespace's timeouts (seconds),
 * so KUnit drives them without packets or timers.
 *
 * *_new() judge the first packet of an unknown connection and return
 * CTRACK_CTSTATE_NEW or CTRACK_CTSTATE_INVALID; with @c not NULL they
 * also initialise c's protocol state and c->expires (called again once
 * the rules accepted the packet, on the connection about to be inserted).
 *
 * *_packet() advance a known connection (taking c->lock where they need
 * it), refresh c->expires, set CTRACK_S_ASSURED when due, and return
 * CTRACK_CTSTATE_ESTABLISHED for a packet that fits, CTRACK_CTSTATE_INVALID
 * for one that does not (the state is then left alone), or -EAGAIN when
 * the packet starts a new connection over a finished one (a SYN on
 * TIME_WAIT or CLOSE): the caller kills @c and judges the packet as new.
 * The caller, not the protocol, turns ESTABLISHED into NEW for packets of
 * the original direction while no reply has been seen, and sets
 * CTRACK_S_SEEN_REPLY.
 */

/*
 * A timeout of @timeouts, in seconds. The settings change under the
 * protocols' feet (ctrackctl timeout set), so every read goes through here.
 */
static inline u32 ct_timeout(const u32 *timeouts, unsigned int cls)
{
	return READ_ONCE(timeouts[cls]);
}

/* The expiry of a connection whose timeout class is now @cls. */
static inline u32 ct_timeout_expires(const u32 *timeouts, unsigned int cls,
				     u32 now)
{
	return ct_expires_in(now, ct_timeout(timeouts, cls));
}

/* TCP: @th is the whole header with options, @len the segment's payload. */
int ct_tcp_new(struct ct_conn *c, const struct tcphdr *th, unsigned int len,
	       const u32 *timeouts, bool loose, u32 now);
int ct_tcp_packet(struct ct_conn *c, int dir, const struct tcphdr *th,
		  unsigned int len, const u32 *timeouts, u32 now);
/* Does @seq (host order) of direction @dir lie in the tracked window? */
bool ct_tcp_seq_in_window(const struct ct_conn *c, int dir, u32 seq);

/*
 * What nf_conntrack's CTA_PROTOINFO_TCP reports, in its terms: the state,
 * and per direction the window scale (0 without the option) and the
 * IP_CT_TCP_FLAG_* bits. Takes c->lock, for one consistent view.
 */
struct ct_tcp_info {
	u8 state;		/* enum ctrack_tcp_state */
	u8 wscale[2];
	u8 flags[2];
};

void ct_tcp_snapshot(struct ct_conn *c, struct ct_tcp_info *info);

int ct_udp_new(struct ct_conn *c, const u32 *timeouts, u32 now);
int ct_udp_packet(struct ct_conn *c, int dir, const u32 *timeouts, u32 now);

int ct_icmp_new(struct ct_conn *c, const u32 *timeouts, u32 now);
int ct_icmp_packet(struct ct_conn *c, int dir, const u32 *timeouts, u32 now);

int ct_generic_new(struct ct_conn *c, const u32 *timeouts, u32 now);
int ct_generic_packet(struct ct_conn *c, int dir, const u32 *timeouts, u32 now);

#endif /* _CTRACK_PROTO_H */
