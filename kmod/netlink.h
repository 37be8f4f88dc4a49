/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_NETLINK_H
#define _CTRACK_NETLINK_H

#include "uapi/ctrack.h"

struct ct_net;
struct ct_conn;
struct ct_expect;

int ct_netlink_init(void);
void ct_netlink_exit(void);

/*
 * Multicasts an event if anyone listens; cheap when nobody does. Safe in
 * softirq and under rcu_read_lock(); never sleeps.
 */
void ct_event_conn(struct ct_net *cn, const struct ct_conn *c,
		   enum ctrack_event type);
void ct_event_expect(struct ct_net *cn, const struct ct_expect *e,
		     enum ctrack_event type);

#endif /* _CTRACK_NETLINK_H */
