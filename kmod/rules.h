/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_RULES_H
#define _CTRACK_RULES_H

struct ct_net;

int ct_rules_net_init(struct ct_net *cn);
void ct_rules_net_exit(struct ct_net *cn);

#endif /* _CTRACK_RULES_H */
