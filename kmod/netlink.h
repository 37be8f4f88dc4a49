/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_NETLINK_H
#define _CTRACK_NETLINK_H

/*
 * The "ctrack" generic netlink family: what ctrackctl speaks, and the
 * event group, which listens to events.h.
 */
int ct_netlink_init(void);
void ct_netlink_exit(void);

#endif /* _CTRACK_NETLINK_H */
