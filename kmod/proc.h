/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_PROC_H
#define _CTRACK_PROC_H

struct ct_net;

int ct_proc_net_init(struct ct_net *cn);
void ct_proc_net_exit(struct ct_net *cn);

#endif /* _CTRACK_PROC_H */
