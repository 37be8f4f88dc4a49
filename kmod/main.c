// SPDX-License-Identifier: GPL-2.0
/*
 * ctrack: module init and exit, parameters, per-namespace setup.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <net/net_namespace.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
#include "netns.h"
#include "hooks.h"
#include "table.h"
#include "rules.h"
#include "netlink.h"
#include "ctnetlink.h"
#include "expect.h"
#include "helper.h"
#include "proc.h"
#include "version.h"

static unsigned int max_conns;
module_param(max_conns, uint, 0444);
MODULE_PARM_DESC(max_conns, "Maximum connections per namespace (default: 4 per bucket)");

static unsigned int buckets;
module_param(buckets, uint, 0444);
MODULE_PARM_DESC(buckets, "Hash buckets per namespace, a power of two (default: from RAM)");

static bool tcp_loose;
module_param(tcp_loose, bool, 0444);
MODULE_PARM_DESC(tcp_loose, "Pick up TCP connections mid-stream (default: 0, strict)");

unsigned int ct_net_id __read_mostly;
/* What a namespace may have without CAP_NET_ADMIN in the initial user ns. */
unsigned int ct_max_conns_default __read_mostly;

const u32 ct_default_timeouts[__CTRACK_TO_MAX] = {
	[CTRACK_TO_TCP_SYN_SENT]	= 120,
	[CTRACK_TO_TCP_SYN_RECV]	= 60,
	[CTRACK_TO_TCP_ESTABLISHED]	= 432000,
	[CTRACK_TO_TCP_FIN_WAIT]	= 120,
	[CTRACK_TO_TCP_CLOSE_WAIT]	= 60,
	[CTRACK_TO_TCP_LAST_ACK]	= 30,
	[CTRACK_TO_TCP_TIME_WAIT]	= 120,
	[CTRACK_TO_TCP_CLOSE]		= 10,
	[CTRACK_TO_TCP_SYN_SENT2]	= 120,
	[CTRACK_TO_TCP_RETRANS]		= 300,
	[CTRACK_TO_TCP_UNACK]		= 300,
	[CTRACK_TO_UDP]			= 30,
	[CTRACK_TO_UDP_STREAM]		= 120,
	[CTRACK_TO_ICMP]		= 30,
	[CTRACK_TO_GENERIC]		= 600,
	[CTRACK_TO_EXPECT]		= 300,
};
EXPORT_SYMBOL_IF_KUNIT(ct_default_timeouts);

/* nf_conntrack's sizing on 64-bit: 8 buckets per MiB, 64k above 1 GiB, 256k above 4 GiB. */
static unsigned int default_buckets(void)
{
	unsigned long pages = totalram_pages();

	if (pages > (4UL << (30 - PAGE_SHIFT)))
		return 262144;
	if (pages > (1UL << (30 - PAGE_SHIFT)))
		return 65536;
	return max_t(unsigned int, 1024,
		     rounddown_pow_of_two(pages >> (20 - PAGE_SHIFT)) * 8);
}

static int __init check_params(void)
{
	if (!buckets) {
		buckets = default_buckets();
	} else if (buckets < 16 || buckets > (1U << 24) ||
		   !is_power_of_2(buckets)) {
		unsigned int fixed;

		if (buckets < 16)
			fixed = 16;
		else if (buckets > (1U << 24))
			fixed = 1U << 24;
		else
			fixed = roundup_pow_of_two(buckets);

		pr_warn("buckets=%u is not a power of two in [16, 2^24], using %u\n",
			buckets, fixed);
		buckets = fixed;
	}
	if (!max_conns) {
		max_conns = buckets * 4;
	} else if (max_conns > (1U << 28)) {
		pr_err("max_conns=%u is larger than 2^28\n", max_conns);
		return -EINVAL;
	}
	ct_max_conns_default = max_conns;
	return ct_helper_check_params();
}

static int __net_init ct_net_init(struct net *net)
{
	struct ct_net *cn = ct_net(net);
	int ret;

	cn->net = net;
	memcpy(cn->timeouts, ct_default_timeouts, sizeof(cn->timeouts));
	cn->tcp_loose = tcp_loose;
	cn->checksum = true;
	mutex_init(&cn->cfg_lock);
	atomic64_set(&cn->event_seq, 0);

	/*
	 * A namespace's memory is charged to its creator's memory cgroup,
	 * also what the packet path allocates for it (see hooks.c), so that
	 * a container cannot fill the host's memory with connections. Not
	 * the host's own: whoever loaded the module must not limit it.
	 */
	cn->memcg = net_eq(net, &init_net) ? NULL :
		    get_mem_cgroup_from_mm(current->mm);
	cn->stats = alloc_percpu_gfp(struct ct_stats, ct_gfp_kernel(cn));
	if (!cn->stats) {
		ret = -ENOMEM;
		goto err_memcg;
	}
	ret = nf_defrag_ipv4_enable(net);
	if (ret)
		goto err_stats;
	ret = nf_defrag_ipv6_enable(net);
	if (ret)
		goto err_defrag4;
	ret = ct_table_init(cn, buckets, max_conns);
	if (ret)
		goto err_defrag6;
	ret = ct_helper_net_init(cn);
	if (ret)
		goto err_table;
	ret = ct_expect_net_init(cn);
	if (ret)
		goto err_table;
	ret = ct_rules_net_init(cn);
	if (ret)
		goto err_expect;
	ret = ct_proc_net_init(cn);
	if (ret)
		goto err_rules;
	ret = ct_hooks_net_init(cn);
	if (ret)
		goto err_proc;
	return 0;

err_proc:
	ct_proc_net_exit(cn);
err_rules:
	ct_rules_net_exit(cn);
err_expect:
	ct_expect_net_exit(cn);
err_table:
	ct_table_destroy(cn);
err_defrag6:
	nf_defrag_ipv6_disable(net);
err_defrag4:
	nf_defrag_ipv4_disable(net);
err_stats:
	free_percpu(cn->stats);
err_memcg:
	mem_cgroup_put(cn->memcg);
	return ret;
}

static void __net_exit ct_net_exit(struct net *net)
{
	struct ct_net *cn = ct_net(net);

	ct_hooks_net_exit(cn);
	ct_proc_net_exit(cn);
	ct_rules_net_exit(cn);
	ct_expect_net_exit(cn);
	ct_table_destroy(cn);
	nf_defrag_ipv6_disable(net);
	nf_defrag_ipv4_disable(net);
	free_percpu(cn->stats);
	mem_cgroup_put(cn->memcg);
}

static struct pernet_operations ct_net_ops = {
	.init = ct_net_init,
	.exit = ct_net_exit,
	.id = &ct_net_id,
	.size = sizeof(struct ct_net),
};

static int __init ct_mod_init(void)
{
	int ret;

	ret = check_params();
	if (ret)
		return ret;
	ret = ct_table_mod_init();
	if (ret)
		return ret;
	ret = ct_expect_mod_init();
	if (ret)
		goto err_table;
	ct_hooks_mod_init();
	ret = register_pernet_subsys(&ct_net_ops);
	if (ret)
		goto err_expect;
	ret = ct_netlink_init();
	if (ret)
		goto err_pernet;
	ret = ct_ctnetlink_init();
	if (ret)
		goto err_netlink;
	pr_info("ctrack " CTRACK_VERSION " loaded: %u buckets, max_conns %u, tcp_loose %d\n",
		buckets, max_conns, tcp_loose);
	return 0;

err_netlink:
	ct_netlink_exit();
err_pernet:
	unregister_pernet_subsys(&ct_net_ops);
	rcu_barrier();
err_expect:
	ct_hooks_mod_exit();
	ct_expect_mod_exit();
err_table:
	ct_table_mod_exit();
	return ret;
}

static void __exit ct_mod_exit(void)
{
	ct_ctnetlink_exit();
	ct_netlink_exit();
	unregister_pernet_subsys(&ct_net_ops);
	rcu_barrier();
	ct_hooks_mod_exit();
	ct_expect_mod_exit();
	ct_table_mod_exit();
}

module_init(ct_mod_init);
module_exit(ct_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ctrack: stateful connection tracker and firewall");
MODULE_AUTHOR("The ctrack developers");
MODULE_VERSION(CTRACK_VERSION);
