// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/ctrack, /proc/net/ctrack_expect, /proc/net/stat/ctrack.
 */
#include <linux/proc_fs.h>
#include "netns.h"
#include "proc.h"

int ct_proc_net_init(struct ct_net *cn)
{
	return 0;
}

void ct_proc_net_exit(struct ct_net *cn)
{
}
