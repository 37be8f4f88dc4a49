// SPDX-License-Identifier: GPL-2.0
/*
 * The rule set: compiled chains per hook, swapped atomically with RCU.
 */
#include "netns.h"
#include "rules.h"

int ct_rules_net_init(struct ct_net *cn)
{
	return 0;
}

void ct_rules_net_exit(struct ct_net *cn)
{
}
