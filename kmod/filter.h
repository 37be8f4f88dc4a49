/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_FILTER_H
#define _CTRACK_FILTER_H

#include <linux/bits.h>
#include "conn.h"

/*
 * Which connections a request is about, compared with each connection's
 * original tuple: the fields named in @present, nothing else. Both netlink
 * interfaces fill one and hand ct_filter_match() to the table's walkers
 * (ct_table_walk(), ct_table_kill_matching()): the ctrack family from
 * CTRACK_A_FILTER (netlink.c), ctnetlink from CTA_FILTER and its tuples
 * (ctnetlink.c). Ports compare under their masks, so that an ICMP filter
 * can name the type or the code alone (dport holds type << 8 | code).
 */
enum {
	CT_FILTER_FAMILY	= BIT(0),
	CT_FILTER_PROTO		= BIT(1),
	CT_FILTER_SRC		= BIT(2),
	CT_FILTER_DST		= BIT(3),
	CT_FILTER_SPORT		= BIT(4),	/* under sport_mask */
	CT_FILTER_DPORT		= BIT(5),	/* under dport_mask */
	CT_FILTER_STATE		= BIT(6),
	CT_FILTER_NOTHING	= BIT(7),	/* contradictory: matches none */
};

struct ct_filter {
	u32 present;		/* CT_FILTER_* */
	u8 family;
	u8 proto;
	u8 state;
	__be16 sport, sport_mask;
	__be16 dport, dport_mask;
	union ct_addr src;
	union ct_addr dst;
};

/* Any context; @arg is the struct ct_filter, as the walkers pass it. */
bool ct_filter_match(const struct ct_conn *c, void *arg);

#endif /* _CTRACK_FILTER_H */
