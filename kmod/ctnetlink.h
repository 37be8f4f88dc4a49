/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_CTNETLINK_H
#define _CTRACK_CTNETLINK_H

#include <linux/types.h>

/*
 * ctnetlink (NFNL_SUBSYS_CTNETLINK) answered from ctrack's table, for
 * conntrack-tools. ct_ctnetlink_init() registers the subsystem unless the
 * module parameter ctnetlink=0 says not to; when nf_conntrack_netlink
 * holds it already, ctrack goes without it and says so in dmesg, and init
 * still returns 0. It fails only for what would fail any module load.
 * Called after the namespaces are set up; exit before they go, sleeps.
 */
int ct_ctnetlink_init(void);
void ct_ctnetlink_exit(void);
/* Whether ctrack answers ctnetlink (false: off, or taken). */
bool ct_ctnetlink_active(void);

#if IS_ENABLED(CONFIG_KUNIT)
struct sk_buff;
struct nlattr;
struct netlink_ext_ack;
struct ct_tuple;
struct ct_filter;

/* IPS_* bits for CTRACK_S_* bits; IPS_CONFIRMED always. */
u32 ct_ctnl_status(unsigned long status);
/* TCP_CONNTRACK_* for enum ctrack_tcp_state. */
u8 ct_ctnl_tcp_state(u8 state);
/* @t (original direction) as the CTA_TUPLE_* nest @attr, or its inverse. */
int ct_ctnl_put_tuple(struct sk_buff *skb, int attr, const struct ct_tuple *t,
		      bool reply);
int ct_ctnl_parse_tuple(const struct nlattr *nest, u8 l3, u32 flags,
			struct ct_tuple *t, struct netlink_ext_ack *extack);
void ct_ctnl_filter_add(struct ct_filter *f, const struct ct_tuple *t,
			u32 flags, bool reply);
#endif

#endif /* _CTRACK_CTNETLINK_H */
