// SPDX-License-Identifier: GPL-2.0
/*
 * The "ctrack" generic netlink family.
 */
#include <net/genetlink.h>
#include "netns.h"
#include "netlink.h"

int ct_netlink_init(void)
{
	return 0;
}

void ct_netlink_exit(void)
{
}

void ct_event_conn(struct ct_net *cn, const struct ct_conn *c,
		   enum ctrack_event type)
{
}

void ct_event_expect(struct ct_net *cn, const struct ct_expect *e,
		     enum ctrack_event type)
{
}
