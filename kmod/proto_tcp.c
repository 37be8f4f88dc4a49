// SPDX-License-Identifier: GPL-2.0
/*
 * PLACEHOLDER in the datapath branch only, so that the module links: the
 * TCP helper's branch owns this file and replaces it (take theirs).
 */
#include <linux/tcp.h>
#include "proto.h"

int ct_tcp_new(struct ct_conn *c, const struct tcphdr *th, unsigned int len,
	       const u32 *timeouts, bool loose, u32 now)
{
	if (!loose && (!th->syn || th->ack || th->rst || th->fin))
		return CTRACK_CTSTATE_INVALID;
	if (c) {
		c->state = th->syn ? CTRACK_TCP_SYN_SENT : CTRACK_TCP_ESTABLISHED;
		c->timeout_class = CTRACK_TO_TCP_SYN_SENT;
		WRITE_ONCE(c->expires, ct_expires_in(now, timeouts[CTRACK_TO_TCP_SYN_SENT]));
	}
	return CTRACK_CTSTATE_NEW;
}

int ct_tcp_packet(struct ct_conn *c, int dir, const struct tcphdr *th,
		  unsigned int len, const u32 *timeouts, u32 now)
{
	WRITE_ONCE(c->expires, ct_expires_in(now, timeouts[CTRACK_TO_TCP_ESTABLISHED]));
	return CTRACK_CTSTATE_ESTABLISHED;
}

bool ct_tcp_seq_in_window(const struct ct_conn *c, int dir, u32 seq)
{
	return true;
}
