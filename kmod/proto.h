/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_PROTO_H
#define _CTRACK_PROTO_H

#include <linux/types.h>
#include "conn.h"

struct tcphdr;

/*
 * Per-protocol tracking. Each function is pure apart from @c: the caller
 * passes the clock (@now, jiffies) and the namespace's timeouts (seconds),
 * so KUnit drives them without packets or timers. They return an enum
 * ctrack_ctstate for the packet. *_new() judge the first packet of an
 * unknown connection (NEW or INVALID) and, if @c is not NULL, initialise
 * it; *_packet() advance a known connection under c->lock and set
 * c->expires.
 */

/* TCP: @th is the whole header with options, @len the segment's payload. */
int ct_tcp_new(struct ct_conn *c, const struct tcphdr *th, unsigned int len,
	       const u32 *timeouts, bool loose, u32 now);
int ct_tcp_packet(struct ct_conn *c, int dir, const struct tcphdr *th,
		  unsigned int len, const u32 *timeouts, u32 now);
/* Does @seq (host order) of direction @dir lie in the tracked window? */
bool ct_tcp_seq_in_window(const struct ct_conn *c, int dir, u32 seq);

int ct_udp_new(struct ct_conn *c, const u32 *timeouts, u32 now);
int ct_udp_packet(struct ct_conn *c, int dir, const u32 *timeouts, u32 now);

int ct_icmp_new(struct ct_conn *c, const u32 *timeouts, u32 now);
int ct_icmp_packet(struct ct_conn *c, int dir, const u32 *timeouts, u32 now);

int ct_generic_new(struct ct_conn *c, const u32 *timeouts, u32 now);
int ct_generic_packet(struct ct_conn *c, int dir, const u32 *timeouts, u32 now);

#endif /* _CTRACK_PROTO_H */
