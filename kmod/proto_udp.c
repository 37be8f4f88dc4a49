// SPDX-License-Identifier: GPL-2.0
/*
 * UDP pseudo-connections: short-lived until answered, longer once a stream.
 */
#include "proto.h"

/* Still active this long after the first reply: a stream, not a probe. */
#define UDP_STREAM_AFTER	(2 * HZ)

int ct_udp_new(struct ct_conn *c, const u32 *timeouts, u32 now)
{
	if (c) {
		c->udp.first_reply = 0;
		c->timeout_class = CTRACK_TO_UDP;
		WRITE_ONCE(c->expires,
			   ct_timeout_expires(timeouts, CTRACK_TO_UDP, now));
	}
	return CTRACK_CTSTATE_NEW;
}
EXPORT_SYMBOL_IF_KUNIT(ct_udp_new);

int ct_udp_packet(struct ct_conn *c, int dir, const u32 *timeouts, u32 now)
{
	u8 class = CTRACK_TO_UDP;
	u32 first;

	spin_lock_bh(&c->lock);
	first = c->udp.first_reply;
	/* 0 means no reply yet, so a reply at jiffies 0 is stamped 1. */
	if (!first && dir == CT_DIR_REPLY)
		c->udp.first_reply = now ?: 1;
	else if (first && (s32)(now - first) >= UDP_STREAM_AFTER)
		class = CTRACK_TO_UDP_STREAM;
	c->timeout_class = class;
	WRITE_ONCE(c->expires, ct_timeout_expires(timeouts, class, now));
	spin_unlock_bh(&c->lock);

	if (class == CTRACK_TO_UDP_STREAM && !test_bit(CTRACK_S_ASSURED, &c->status))
		set_bit(CTRACK_S_ASSURED, &c->status);
	return CTRACK_CTSTATE_ESTABLISHED;
}
EXPORT_SYMBOL_IF_KUNIT(ct_udp_packet);
