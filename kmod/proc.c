// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/ctrack, /proc/net/ctrack_expect and /proc/net/stat/ctrack, in
 * the formats of /proc/net/nf_conntrack, nf_conntrack_expect and
 * stat/nf_conntrack so that parsers written for those keep working.
 *
 * The connection walk holds rcu_read_lock() only between ->start and
 * ->stop, which seq_file calls once per buffer (a page or so), never across
 * the whole table. Between two buffers the position is the table's cursor
 * (see struct ct_cursor), so every connection that lives through the whole
 * read is printed exactly once.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/jiffies.h>
#include <linux/netfilter.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/seq_file_net.h>
#include <linux/string.h>
#include <linux/uidgid.h>
#include <net/net_namespace.h>
#include "netns.h"
#include "helper.h"
#include "proc.h"

#define PROC_CONNS	"ctrack"
#define PROC_EXPECT	"ctrack_expect"
#define PROC_STAT	"ctrack"	/* in /proc/net/stat */

/* Spelling of enum ctrack_tcp_state, as nf_conntrack prints it. */
static const char *const tcp_state_names[__CTRACK_TCP_MAX] = {
	[CTRACK_TCP_NONE]	 = "NONE",
	[CTRACK_TCP_SYN_SENT]	 = "SYN_SENT",
	[CTRACK_TCP_SYN_RECV]	 = "SYN_RECV",
	[CTRACK_TCP_ESTABLISHED] = "ESTABLISHED",
	[CTRACK_TCP_FIN_WAIT]	 = "FIN_WAIT",
	[CTRACK_TCP_CLOSE_WAIT]	 = "CLOSE_WAIT",
	[CTRACK_TCP_LAST_ACK]	 = "LAST_ACK",
	[CTRACK_TCP_TIME_WAIT]	 = "TIME_WAIT",
	[CTRACK_TCP_CLOSE]	 = "CLOSE",
	[CTRACK_TCP_SYN_SENT2]	 = "SYN_SENT2",
};

static const char *l3_name(u8 l3)
{
	return l3 == NFPROTO_IPV6 ? "ipv6" : "ipv4";
}

/* ctrack tracks these by protocol; everything else is "unknown" there too. */
static const char *l4_name(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_ICMP:
		return "icmp";
	case IPPROTO_ICMPV6:
		return "icmpv6";
	default:
		return "unknown";
	}
}

/*
 * One direction's tuple as nf_conntrack's print_tuple() writes it. The
 * reply direction is the inverse of the original (no NAT), printed from the
 * original tuple with the roles swapped.
 */
static void print_tuple(struct seq_file *s, const struct ct_tuple *t,
			bool reply)
{
	const union ct_addr *src = reply ? &t->dst : &t->src;
	const union ct_addr *dst = reply ? &t->src : &t->dst;
	u16 sport = ntohs(reply ? t->dport : t->sport);
	u16 dport = ntohs(reply ? t->sport : t->dport);
	u8 type, code;

	if (t->l3 == NFPROTO_IPV6)
		seq_printf(s, "src=%pI6 dst=%pI6 ", &src->in6, &dst->in6);
	else
		seq_printf(s, "src=%pI4 dst=%pI4 ", &src->ip, &dst->ip);

	switch (t->proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		seq_printf(s, "sport=%u dport=%u ", sport, dport);
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		/* sport is the id */
		ct_tuple_icmp(t, reply, &type, &code);
		seq_printf(s, "type=%u code=%u id=%u ", type, code,
			   ntohs(t->sport));
		break;
	}
}

/* An endpoint pair in one token: 10.0.0.1:1024-10.0.0.2:21, [::1]:1024-... */
static void print_endpoints(struct seq_file *s, const struct ct_tuple *t)
{
	if (t->l3 == NFPROTO_IPV6)
		seq_printf(s, "[%pI6c]:%u->[%pI6c]:%u", &t->src.in6,
			   ntohs(t->sport), &t->dst.in6, ntohs(t->dport));
	else
		seq_printf(s, "%pI4:%u->%pI4:%u", &t->src.ip, ntohs(t->sport),
			   &t->dst.ip, ntohs(t->dport));
}

struct conn_iter {
	struct seq_net_private p;	/* first: seq_file_net() reads it */
	struct ct_cursor cur;		/* at the connection of index pos */
	loff_t pos;
	bool valid;			/* cur and pos mean something */
};

static void *conn_seq_start(struct seq_file *s, loff_t *pos)
	__acquires(RCU)
{
	struct conn_iter *it = s->private;
	struct ct_net *cn = ct_net(seq_file_net(s));
	u32 now = jiffies;
	struct ct_conn *c;

	rcu_read_lock();
	if (*pos && it->valid && *pos == it->pos)
		return ct_table_cursor_get(cn, &it->cur, now);
	/* From the top: a new read, or a seek to an unremembered position. */
	memset(&it->cur, 0, sizeof(it->cur));
	it->pos = 0;
	it->valid = true;
	c = ct_table_cursor_get(cn, &it->cur, now);
	while (c && it->pos < *pos) {
		ct_cursor_pass(&it->cur, c->id);
		c = ct_table_cursor_get(cn, &it->cur, now);
		it->pos++;
	}
	return c;
}

static void *conn_seq_next(struct seq_file *s, void *v, loff_t *pos)
{
	struct conn_iter *it = s->private;
	const struct ct_conn *c = v;

	ct_cursor_pass(&it->cur, c->id);
	it->pos = ++*pos;
	return ct_table_cursor_get(ct_net(seq_file_net(s)), &it->cur, jiffies);
}

static void conn_seq_stop(struct seq_file *s, void *v)
	__releases(RCU)
{
	rcu_read_unlock();
}

static int conn_seq_show(struct seq_file *s, void *v)
{
	const struct ct_conn *c = v;
	const struct ct_tuple *t = &c->tuple;
	const struct ct_conn_ext *ext = rcu_dereference(c->ext);
	unsigned long status = READ_ONCE(c->status);
	const char *helper = ct_helper_name(c);
	u8 state = READ_ONCE(c->state);

	seq_printf(s, "%-8s %u %-8s %u %u ", l3_name(t->l3), t->l3,
		   l4_name(t->proto), t->proto,
		   ct_seconds_left(READ_ONCE(c->expires), jiffies));
	if (t->proto == IPPROTO_TCP)
		seq_printf(s, "%s ", state < __CTRACK_TCP_MAX ?
			   tcp_state_names[state] : "UNKNOWN");

	print_tuple(s, t, false);
	seq_printf(s, "packets=%llu bytes=%llu ", READ_ONCE(c->packets[CT_DIR_ORIGINAL]),
		   READ_ONCE(c->bytes[CT_DIR_ORIGINAL]));
	if (!(status & BIT(CTRACK_S_SEEN_REPLY)))
		seq_puts(s, "[UNREPLIED] ");
	print_tuple(s, t, true);
	seq_printf(s, "packets=%llu bytes=%llu ", READ_ONCE(c->packets[CT_DIR_REPLY]),
		   READ_ONCE(c->bytes[CT_DIR_REPLY]));
	if (status & BIT(CTRACK_S_ASSURED))
		seq_puts(s, "[ASSURED] ");
	/* No references are handed out: one user, the table. */
	seq_puts(s, "use=1");

	/* Fields nf_conntrack does not have go last, so its parsers still work. */
	if (helper)
		seq_printf(s, " helper=%s", helper);
	if (ext && ext->has_master) {
		seq_puts(s, " master=");
		print_endpoints(s, &ext->master);
	}
	seq_putc(s, '\n');
	return 0;
}

static const struct seq_operations conn_seq_ops = {
	.start = conn_seq_start,
	.next = conn_seq_next,
	.stop = conn_seq_stop,
	.show = conn_seq_show,
};

/*
 * Expectations are few (one per control connection at most), so the
 * whole list is printed in one pass; seq_file retries with a larger buffer
 * if it does not fit.
 */
static int expect_show_one(const struct ct_expect *e, void *arg)
{
	struct seq_file *s = arg;
	const struct ct_tuple *t = &e->tuple;

	seq_printf(s, "%u l3proto = %u proto=%u ",
		   ct_seconds_left(READ_ONCE(e->expires), jiffies), t->l3,
		   t->proto);
	print_tuple(s, t, false);
	/* nf_conntrack prints the helper's name last */
	seq_printf(s, "%s master=", ct_helper_get(e->helper - 1)->name);
	print_endpoints(s, &e->master);
	seq_putc(s, '\n');
	return 0;
}

static int expect_seq_show(struct seq_file *s, void *v)
{
	struct ct_cursor cur = {};

	ct_expect_walk(ct_net(seq_file_single_net(s)), &cur, expect_show_one, s);
	return 0;
}

/*
 * Position 0 is the header, position n the counters of CPU n - 1 (the first
 * possible CPU at or after it).
 */
static void *stat_cpu(struct seq_file *s, loff_t *pos)
{
	struct ct_net *cn = ct_net(seq_file_net(s));
	int cpu;

	for (cpu = *pos - 1; cpu < nr_cpu_ids; cpu++) {
		if (!cpu_possible(cpu))
			continue;
		*pos = cpu + 1;
		return per_cpu_ptr(cn->stats, cpu);
	}
	return NULL;
}

static void *stat_seq_start(struct seq_file *s, loff_t *pos)
{
	if (*pos == 0)
		return SEQ_START_TOKEN;
	return stat_cpu(s, pos);
}

static void *stat_seq_next(struct seq_file *s, void *v, loff_t *pos)
{
	++*pos;
	return stat_cpu(s, pos);
}

static void stat_seq_stop(struct seq_file *s, void *v)
{
}

static int stat_seq_show(struct seq_file *s, void *v)
{
	struct ct_net *cn = ct_net(seq_file_net(s));
	struct ct_stats st;

	if (v == SEQ_START_TOKEN) {
		/* names in the order of the values below, for lnstat */
		seq_puts(s, "entries found invalid insert insert_failed drop ");
		seq_puts(s, "early_drop error expect_new expect_create ");
		seq_puts(s, "expect_delete search_restart chaintoolong\n");
		return 0;
	}
	/*
	 * Another CPU's counters, racing with its this_cpu_inc(): each is one
	 * aligned word that only grows (64-bit only, see compat.h), so a
	 * snapshot of each is all a reader can want.
	 */
	st = data_race(*(const struct ct_stats *)v);
	seq_printf(s, "%08x %08llx %08llx %08llx %08llx %08llx %08llx %08llx %08llx %08llx %08llx %08llx %08llx\n",
		   (unsigned int)atomic_read(&cn->table.count),
		   st.found, st.invalid,
		   st.insert, st.insert_failed,
		   st.drop, st.early_drop,
		   st.error, st.expect_new,
		   st.expect_create, st.expect_delete,
		   st.search_restart, st.chaintoolong);
	return 0;
}

static const struct seq_operations stat_seq_ops = {
	.start = stat_seq_start,
	.next = stat_seq_next,
	.stop = stat_seq_stop,
	.show = stat_seq_show,
};

/* Root of the namespace's owning user namespace, as nf_conntrack does. */
static void set_owner(struct proc_dir_entry *pde, struct net *net)
{
	kuid_t uid = make_kuid(net->user_ns, 0);
	kgid_t gid = make_kgid(net->user_ns, 0);

	if (uid_valid(uid) && gid_valid(gid))
		proc_set_user(pde, uid, gid);
}

int ct_proc_net_init(struct ct_net *cn)
{
	struct net *net = cn->net;
	struct proc_dir_entry *pde;

	if (!IS_ENABLED(CONFIG_PROC_FS))
		return 0;

	pde = proc_create_net(PROC_CONNS, 0440, net->proc_net, &conn_seq_ops,
			      sizeof(struct conn_iter));
	if (!pde)
		return -ENOMEM;
	set_owner(pde, net);

	pde = proc_create_net_single(PROC_EXPECT, 0440, net->proc_net,
				     expect_seq_show, NULL);
	if (!pde)
		goto err_conns;
	set_owner(pde, net);

	pde = proc_create_net(PROC_STAT, 0440, net->proc_net_stat, &stat_seq_ops,
			      sizeof(struct seq_net_private));
	if (!pde)
		goto err_expect;
	set_owner(pde, net);
	return 0;

err_expect:
	remove_proc_entry(PROC_EXPECT, net->proc_net);
err_conns:
	remove_proc_entry(PROC_CONNS, net->proc_net);
	return -ENOMEM;
}

void ct_proc_net_exit(struct ct_net *cn)
{
	struct net *net = cn->net;

	if (!IS_ENABLED(CONFIG_PROC_FS))
		return;
	remove_proc_entry(PROC_STAT, net->proc_net_stat);
	remove_proc_entry(PROC_EXPECT, net->proc_net);
	remove_proc_entry(PROC_CONNS, net->proc_net);
}
