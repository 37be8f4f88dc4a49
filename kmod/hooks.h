/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_HOOKS_H
#define _CTRACK_HOOKS_H

#include <linux/types.h>
#include "uapi/ctrack.h"

struct ct_net;
struct sk_buff;

/* The debug view: /sys/kernel/debug/ctrack/<netns inode>, packets per state. */
void ct_hooks_mod_init(void);
void ct_hooks_mod_exit(void);
int ct_hooks_net_init(struct ct_net *cn);
void ct_hooks_net_exit(struct ct_net *cn);

#if IS_ENABLED(CONFIG_KUNIT)
int ct_hooks_track(struct ct_net *cn, struct sk_buff *skb, u8 pf,
		   enum ctrack_hook hook, bool lo, bool stack_made, bool accept,
		   u32 now);
#endif

#endif /* _CTRACK_HOOKS_H */
