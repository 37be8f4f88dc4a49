// SPDX-License-Identifier: GPL-2.0
/*
 * The "ctrack" generic netlink family.
 */
#include <net/genetlink.h>
#include "netlink.h"

int ct_netlink_init(void)
{
	return 0;
}

void ct_netlink_exit(void)
{
}
