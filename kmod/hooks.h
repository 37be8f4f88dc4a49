/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_HOOKS_H
#define _CTRACK_HOOKS_H

struct ct_net;

/* The debug view: /sys/kernel/debug/ctrack/<netns inode>, packets per state. */
void ct_hooks_mod_init(void);
void ct_hooks_mod_exit(void);
int ct_hooks_net_init(struct ct_net *cn);
void ct_hooks_net_exit(struct ct_net *cn);

#endif /* _CTRACK_HOOKS_H */
