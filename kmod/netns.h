/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_NETNS_H
#define _CTRACK_NETNS_H

#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include "table.h"
#include "rules.h"
#include "expect.h"
#include "helper.h"
#include "stats.h"
#include "uapi/ctrack.h"

/* Everything ctrack keeps per network namespace. */
struct ct_net {
	struct net *net;
	struct ct_table table;
	struct ct_stats __percpu *stats;

	/* Settings, read locklessly on the packet path (READ_ONCE). */
	u32 timeouts[__CTRACK_TO_MAX];	/* seconds */
	bool tcp_loose;
	bool checksum;			/* verify checksums on input and forward */

	struct mutex cfg_lock;		/* serialises rule and setting changes */
	struct ct_rules_net rules;
	struct ct_expect_net expect;
	struct ct_helper_net helpers;

	struct mem_cgroup *memcg;	/* charged for what the namespace holds */
	atomic64_t event_seq;		/* last event sequence number sent */
	struct dentry *debugfs;		/* the hooks' debug view */
};

extern unsigned int ct_net_id;
extern unsigned int ct_max_conns_default;
extern const u32 ct_default_timeouts[__CTRACK_TO_MAX];

static inline struct ct_net *ct_net(const struct net *net)
{
	return net_generic(net, ct_net_id);
}

/*
 * For what is allocated on a namespace's behalf: charged to the
 * namespace's memory cgroup (on the packet path see set_active_memcg() in
 * hooks.c), or, for the host's own namespace, to nobody.
 */
static inline gfp_t ct_gfp_atomic(const struct ct_net *cn)
{
	return cn->memcg ? GFP_ATOMIC | __GFP_ACCOUNT : GFP_ATOMIC;
}

static inline gfp_t ct_gfp_kernel(const struct ct_net *cn)
{
	return cn->memcg ? GFP_KERNEL_ACCOUNT : GFP_KERNEL;
}

#endif /* _CTRACK_NETNS_H */
