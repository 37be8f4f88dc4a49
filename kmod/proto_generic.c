// SPDX-License-Identifier: GPL-2.0
/*
 * Every other protocol: one entry per address pair and protocol.
 */
#include "proto.h"

int ct_generic_new(struct ct_conn *c, const u32 *timeouts, u32 now)
{
	if (c) {
		c->timeout_class = CTRACK_TO_GENERIC;
		WRITE_ONCE(c->expires,
			   ct_timeout_expires(timeouts, CTRACK_TO_GENERIC, now));
	}
	return CTRACK_CTSTATE_NEW;
}
EXPORT_SYMBOL_IF_KUNIT(ct_generic_new);

int ct_generic_packet(struct ct_conn *c, int dir, const u32 *timeouts, u32 now)
{
	WRITE_ONCE(c->expires,
		   ct_timeout_expires(timeouts, CTRACK_TO_GENERIC, now));
	return CTRACK_CTSTATE_ESTABLISHED;
}
EXPORT_SYMBOL_IF_KUNIT(ct_generic_packet);
