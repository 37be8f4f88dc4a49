// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP and ICMPv6 queries (echo, timestamp, ...) as pseudo-connections
 * keyed by id; which types may start one is decided by the parser.
 */
#include "proto.h"

int ct_icmp_new(struct ct_conn *c, const u32 *timeouts, u32 now)
{
	if (c) {
		c->timeout_class = CTRACK_TO_ICMP;
		WRITE_ONCE(c->expires,
			   ct_timeout_expires(timeouts, CTRACK_TO_ICMP, now));
	}
	return CTRACK_CTSTATE_NEW;
}
EXPORT_SYMBOL_IF_KUNIT(ct_icmp_new);

int ct_icmp_packet(struct ct_conn *c, int dir, const u32 *timeouts, u32 now)
{
	WRITE_ONCE(c->expires,
		   ct_timeout_expires(timeouts, CTRACK_TO_ICMP, now));
	return CTRACK_CTSTATE_ESTABLISHED;
}
EXPORT_SYMBOL_IF_KUNIT(ct_icmp_packet);
