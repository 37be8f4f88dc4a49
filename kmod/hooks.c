// SPDX-License-Identifier: GPL-2.0
/*
 * Packet in, verdict out: the netfilter hooks on input, forward and output.
 *
 * A packet is classified first (lookup, protocol state machine), then the
 * rules of the hook judge it, and only an accepted packet that starts a
 * connection creates one: a flood the rules drop leaves no state behind.
 *
 * Packets the host makes itself in answer to another one are RELATED to
 * it, as nf_conntrack's nf_ct_attach() makes them: the reset or ICMP
 * error of a reject (recognised while it passes OUTPUT inside the call
 * that sends it), and the ICMP errors the stack sends about a packet it
 * was forwarding, which ctrack never saw (TTL exceeded, fragmentation
 * needed: they come before the FORWARD hook).
 */
#include <linux/debugfs.h>
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <linux/netdevice.h>
#include <linux/seq_file.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <net/sock.h>
#include <net/netfilter/ipv4/nf_reject.h>
#include <net/netfilter/ipv6/nf_reject.h>
#include "hooks.h"
#include "netns.h"
#include "proto.h"
#include "events.h"
#include "helper.h"

/* One packet on its way through the hook. */
struct ct_ctx {
	struct ct_net *cn;
	struct sk_buff *skb;
	struct ct_pkt pkt;
	const struct tcphdr *th;
	enum ctrack_hook hook;
	bool stack_made;	/* sent from a kernel socket (icmp_send()) */
	u32 now;
	u32 hash;		/* of pkt.tuple, from the lookup to the insert */
	struct ct_conn *c;	/* its connection, if it has one */
	int dir;
	struct ct_expect *exp;	/* the expectation a new connection fulfils */
	bool create;		/* a connection is due once the rules accept */
	bool no_expect;		/* KUnit: a namespace without expectations */
	u8 *thbuf;		/* room for a TCP header with options */
};

#define TCP_HDR_MAX	60

/*
 * The packet a reject on this CPU is answering, while the reset or error
 * is being sent: nf_send_reset() and icmp_send() pass it through OUTPUT
 * synchronously, inside ct_hook() of the rejected packet (softirqs off).
 */
static DEFINE_PER_CPU(const struct ct_pkt *, ct_answering);

/*
 * Over loopback a packet passes OUTPUT and then INPUT, and only OUTPUT may
 * run the state machine, so INPUT must learn what OUTPUT made of it. It is
 * kept where nf_conntrack keeps its own verdict, in skb->_nfct: the info
 * bits with no connection pointer (which the kernel never dereferences, as
 * for IP_CT_UNTRACKED), and only when nf_conntrack left the field empty.
 * Kernels without the field fall back to a lookup in INPUT.
 */
#if IS_ENABLED(CONFIG_NF_CONNTRACK) || IS_ENABLED(CONFIG_NF_FLOW_TABLE)
static void lo_mark(struct sk_buff *skb, int ctstate)
{
	BUILD_BUG_ON((int)__CTRACK_CTSTATE_MAX >= (int)IP_CT_UNTRACKED);
	if (!skb->_nfct)
		skb->_nfct = ctstate + 1;
}

/* OUTPUT's ctstate, or -1 when it left none. */
static int lo_mark_take(struct sk_buff *skb)
{
	unsigned long v = skb->_nfct;

	if (!v || v > __CTRACK_CTSTATE_MAX)
		return -1;
	skb->_nfct = 0;
	return v - 1;
}
#else
static void lo_mark(struct sk_buff *skb, int ctstate) { }
static int lo_mark_take(struct sk_buff *skb) { return -1; }
#endif

static bool pkt_is_icmp(const struct ct_pkt *pkt)
{
	return (pkt->tuple.l3 == NFPROTO_IPV4 && pkt->tuple.proto == IPPROTO_ICMP) ||
	       (pkt->tuple.l3 == NFPROTO_IPV6 && pkt->tuple.proto == IPPROTO_ICMPV6);
}

static unsigned int tcp_payload(const struct ct_ctx *x)
{
	return x->pkt.l4len - x->th->doff * 4;
}

static int proto_new(struct ct_ctx *x, struct ct_conn *c)
{
	const u32 *to = x->cn->timeouts;

	switch (x->pkt.tuple.proto) {
	case IPPROTO_TCP:
		return ct_tcp_new(c, x->th, tcp_payload(x), to,
				  READ_ONCE(x->cn->tcp_loose), x->now);
	case IPPROTO_UDP:
		return ct_udp_new(c, to, x->now);
	}
	if (pkt_is_icmp(&x->pkt)) {
		/* Only a query starts one; a lone answer is INVALID, as in Linux. */
		if (x->pkt.icmp_kind != CT_ICMP_REQUEST)
			return CTRACK_CTSTATE_INVALID;
		return ct_icmp_new(c, to, x->now);
	}
	return ct_generic_new(c, to, x->now);
}

static int proto_packet(struct ct_ctx *x, struct ct_conn *c, int dir)
{
	const u32 *to = x->cn->timeouts;

	switch (x->pkt.tuple.proto) {
	case IPPROTO_TCP:
		return ct_tcp_packet(c, dir, x->th, tcp_payload(x), to, x->now);
	case IPPROTO_UDP:
		return ct_udp_packet(c, dir, to, x->now);
	}
	if (pkt_is_icmp(&x->pkt))
		return ct_icmp_packet(c, dir, to, x->now);
	return ct_generic_packet(c, dir, to, x->now);
}

/* What a packet of a known connection is, as Linux's resolve_normal_ct(). */
static int conn_ctstate(const struct ct_conn *c, int dir)
{
	if (dir == CT_DIR_REPLY || test_bit(CTRACK_S_SEEN_REPLY, &c->status))
		return CTRACK_CTSTATE_ESTABLISHED;
	if (test_bit(CTRACK_S_RELATED, &c->status))
		return CTRACK_CTSTATE_RELATED;
	return CTRACK_CTSTATE_NEW;
}

static void conn_account(struct ct_conn *c, int dir, unsigned int len)
{
	/* Racing CPUs may lose an increment; never a torn value. */
	WRITE_ONCE(c->packets[dir], READ_ONCE(c->packets[dir]) + 1);
	WRITE_ONCE(c->bytes[dir], READ_ONCE(c->bytes[dir]) + len);
}

/*
 * Would the packet quoted in an ICMP error have started a connection?
 * Then the host's own error about it is RELATED although ctrack never saw
 * it, as nf_conntrack's unconfirmed entry makes it. A quoted TCP header
 * too short to show its flags counts only under loose pickup.
 */
static bool quoted_starts_conn(struct ct_ctx *x, const struct ct_pkt *inner)
{
	const struct tcphdr *th;
	struct tcphdr _th;

	switch (inner->tuple.proto) {
	case IPPROTO_TCP:
		if (inner->l4len < sizeof(_th))
			return READ_ONCE(x->cn->tcp_loose);
		th = skb_header_pointer(x->skb, inner->l4off, sizeof(_th), &_th);
		return th && ct_tcp_new(NULL, th, 0, x->cn->timeouts,
					READ_ONCE(x->cn->tcp_loose),
					x->now) == CTRACK_CTSTATE_NEW;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (pkt_is_icmp(inner))
			return inner->icmp_kind == CT_ICMP_REQUEST;
		fallthrough;
	default:
		return true;
	}
}

/*
 * An ICMP error is RELATED when it reports on a packet of a tracked
 * connection and travels back to that packet's sender; for TCP the quoted
 * sequence number must also lie in the window, so a blind attacker cannot
 * reset connections with forged errors (pf does the same). The host's own
 * errors (OUTPUT) may also be about a packet ctrack has not seen.
 */
static int classify_icmp_error(struct ct_ctx *x, const struct ct_pkt *answering)
{
	struct ct_pkt inner;
	struct ct_conn *c;
	int dir;

	if (ct_tuple_parse_embedded(x->skb, &x->pkt, &inner))
		return CTRACK_CTSTATE_INVALID;
	if (pkt_is_icmp(&inner) && inner.icmp_kind == CT_ICMP_ERROR)
		return CTRACK_CTSTATE_INVALID;
	if (memcmp(&x->pkt.tuple.dst, &inner.tuple.src, sizeof(union ct_addr)))
		return CTRACK_CTSTATE_INVALID;
	if (unlikely(answering) && ct_tuple_equal(&inner.tuple, &answering->tuple))
		return CTRACK_CTSTATE_RELATED;
	c = ct_table_lookup(x->cn, &inner.tuple, x->now, &dir);
	if (!c) {
		/* The stack's own, not a raw socket's: those prove nothing. */
		if (x->hook == CTRACK_HOOK_OUTPUT && x->stack_made &&
		    quoted_starts_conn(x, &inner))
			return CTRACK_CTSTATE_RELATED;
		return CTRACK_CTSTATE_INVALID;
	}
	if (inner.tuple.proto == IPPROTO_TCP) {
		__be32 _seq;
		const __be32 *seq;

		seq = skb_header_pointer(x->skb, inner.l4off + 4, sizeof(_seq), &_seq);
		if (!seq || !ct_tcp_seq_in_window(c, dir, ntohl(*seq)))
			return CTRACK_CTSTATE_INVALID;
	}
	return CTRACK_CTSTATE_RELATED;
}

/*
 * As nf_conntrack_checksum: a packet the endpoint will discard must not
 * move the state. Checked where packets come in; what the host sends and
 * what loopback carries is its own. Hardware-verified packets cost nothing.
 */
static bool checksum_bad(struct ct_ctx *x, u8 pf, unsigned int nf_hook)
{
	u8 proto = x->pkt.tuple.proto;

	if (!READ_ONCE(x->cn->checksum))
		return false;
	if (proto == IPPROTO_UDP && pf == NFPROTO_IPV4) {
		__be16 _check;
		const __be16 *check;

		/* IPv4 UDP may go without a checksum. */
		check = skb_header_pointer(x->skb, x->pkt.l4off + 6,
					   sizeof(_check), &_check);
		if (check && !*check)
			return false;
	} else if (proto != IPPROTO_TCP && proto != IPPROTO_UDP &&
		   !pkt_is_icmp(&x->pkt)) {
		return false;
	}
	return nf_checksum(x->skb, nf_hook, x->pkt.l4off, proto, pf) != 0;
}

/* Is @x the reset that the reject of @answering sends? */
static bool answers_with_reset(const struct ct_ctx *x,
			       const struct ct_pkt *answering)
{
	struct ct_tuple inv;

	if (!x->th->rst)
		return false;
	ct_tuple_invert(&inv, &answering->tuple);
	return ct_tuple_equal(&inv, &x->pkt.tuple);
}

static const u8 nf_hook_of[__CTRACK_HOOK_MAX] = {
	[CTRACK_HOOK_INPUT]	= NF_INET_LOCAL_IN,
	[CTRACK_HOOK_FORWARD]	= NF_INET_FORWARD,
	[CTRACK_HOOK_OUTPUT]	= NF_INET_LOCAL_OUT,
};

/* @lo: the packet goes out (OUTPUT) or came in (INPUT) over loopback. */
static int classify(struct ct_ctx *x, u8 pf, bool lo)
{
	struct ct_net *cn = x->cn;
	const struct ct_pkt *answering = NULL;
	struct ct_conn *c;
	bool changed;
	u8 old_state;
	int dir, ret, mark;

	mark = lo && x->hook == CTRACK_HOOK_INPUT ? lo_mark_take(x->skb) : -1;
	if (ct_tuple_parse(x->skb, skb_network_offset(x->skb), pf, &x->pkt))
		return CTRACK_CTSTATE_INVALID;
	/* Parsed all the same: the rules match on it, a reject answers it. */
	if (mark >= 0)
		return mark;
	if (x->hook == CTRACK_HOOK_OUTPUT)
		answering = this_cpu_read(ct_answering);
	else if (!lo && checksum_bad(x, pf, nf_hook_of[x->hook]))
		return CTRACK_CTSTATE_INVALID;

	if (pkt_is_icmp(&x->pkt)) {
		if (x->pkt.icmp_kind == CT_ICMP_ERROR)
			return classify_icmp_error(x, answering);
		/* Neighbour discovery and MLD: judged by the rules, never tracked. */
		if (x->pkt.icmp_kind == CT_ICMP_UNTRACKED)
			return CTRACK_CTSTATE_UNTRACKED;
	}

	if (x->pkt.tuple.proto == IPPROTO_TCP) {
		unsigned int hlen = sizeof(struct tcphdr);
		const struct tcphdr *th;

		th = skb_header_pointer(x->skb, x->pkt.l4off, hlen, x->thbuf);
		if (th && th->doff * 4 > hlen)
			th = skb_header_pointer(x->skb, x->pkt.l4off, th->doff * 4,
						x->thbuf);
		if (!th)
			return CTRACK_CTSTATE_INVALID;
		x->th = th;
		if (unlikely(answering) && answers_with_reset(x, answering))
			return CTRACK_CTSTATE_RELATED;
	}

	x->hash = ct_table_hash(cn, &x->pkt.tuple);
	c = ct_table_lookup_hash(cn, &x->pkt.tuple, x->hash, x->now, &dir);
	if (!c)
		goto miss;
	CT_STAT_INC(cn, found);

	/*
	 * Over loopback, OUTPUT already ran the state machine and counted
	 * the packet; without its mark INPUT can only look the packet up.
	 */
	if (lo && x->hook == CTRACK_HOOK_INPUT)
		return conn_ctstate(c, dir);

	old_state = READ_ONCE(c->state);
	changed = test_bit(CTRACK_S_ASSURED, &c->status);
	ret = proto_packet(x, c, dir);
	if (ret == -EAGAIN) {
		/* A new connection over a finished one with the same tuple. */
		ct_conn_kill(cn, c);
		goto miss;
	}
	if (ret != CTRACK_CTSTATE_ESTABLISHED)
		return CTRACK_CTSTATE_INVALID;

	conn_account(c, dir, x->skb->len);
	changed = changed != test_bit(CTRACK_S_ASSURED, &c->status) ||
		  old_state != READ_ONCE(c->state);
	if (dir == CT_DIR_REPLY && !test_bit(CTRACK_S_SEEN_REPLY, &c->status) &&
	    !test_and_set_bit(CTRACK_S_SEEN_REPLY, &c->status))
		changed = true;
	if (changed)
		ct_event_conn(cn, c, CTRACK_EVENT_UPDATE);
	x->c = c;
	x->dir = dir;
	return conn_ctstate(c, dir);

miss:
	if (proto_new(x, NULL) != CTRACK_CTSTATE_NEW)
		return CTRACK_CTSTATE_INVALID;
	x->create = true;
	/* Taken now, so that of two packets racing for it one is NEW. */
	if (!x->no_expect)
		x->exp = ct_expect_take(cn, &x->pkt.tuple, x->now);
	return x->exp ? CTRACK_CTSTATE_RELATED : CTRACK_CTSTATE_NEW;
}

/* The rules accepted the first packet of a connection: make it real. */
static struct ct_conn *create(struct ct_ctx *x)
{
	struct ct_net *cn = x->cn;
	struct ct_conn *c, *clash;
	int ret;

	c = ct_conn_alloc(&x->pkt.tuple, ct_gfp_atomic(cn));
	if (!c) {
		CT_STAT_INC(cn, drop);
		return NULL;
	}
	if (proto_new(x, c) != CTRACK_CTSTATE_NEW)
		goto err_free;
	if (x->exp && ct_expect_fulfil(cn, x->exp, c))
		goto err_free;
	/* Without the helper the connection still works, it just is not watched. */
	ct_helper_attach(cn, c);
	c->packets[CT_DIR_ORIGINAL] = 1;
	c->bytes[CT_DIR_ORIGINAL] = x->skb->len;

	ret = ct_table_insert_hash(cn, c, x->hash, x->now, &clash);
	if (ret == -EEXIST) {
		/* Another CPU created it first: this packet is one of its. */
		ct_conn_free(c);
		x->dir = ct_tuple_equal(&clash->tuple, &x->pkt.tuple) ?
			 CT_DIR_ORIGINAL : CT_DIR_REPLY;
		conn_account(clash, x->dir, x->skb->len);
		return clash;
	}
	if (ret)
		goto err_free;
	x->dir = CT_DIR_ORIGINAL;
	ct_event_conn(cn, c, CTRACK_EVENT_NEW);
	return c;

err_free:
	ct_conn_free(c);
	return NULL;
}

/* What the packet is, counted per hook. */
static int track(struct ct_ctx *x, u8 pf, bool lo)
{
	int ctstate = classify(x, pf, lo);

	if (ctstate == CTRACK_CTSTATE_INVALID)
		CT_STAT_INC(x->cn, invalid);
	this_cpu_inc(x->cn->stats->state[ctstate][x->hook]);
	return ctstate;
}

/* The rules accepted the packet. */
static unsigned int commit(struct ct_ctx *x, int ctstate, bool lo)
{
	if (x->create || (x->c && test_bit(CTRACK_S_HELPER, &x->c->status))) {
		/* What a packet makes is the namespace's: charge its cgroup. */
		struct mem_cgroup *old = set_active_memcg(x->cn->memcg);

		if (x->create)
			x->c = create(x);
		if (x->c && test_bit(CTRACK_S_HELPER, &x->c->status))
			ct_helper_packet(x->cn, x->c, x->dir, x->skb, &x->pkt,
					 x->now);
		set_active_memcg(old);
		if (!x->c)
			return NF_DROP;
	}
	if (lo && x->hook == CTRACK_HOOK_OUTPUT)
		lo_mark(x->skb, ctstate);
	return NF_ACCEPT;
}

/* nft_reject_inet's mapping of the family-independent codes. */
static const u8 icmpx_v4[__CTRACK_ICMPX_MAX] = {
	[CTRACK_ICMPX_NO_ROUTE]		= ICMP_NET_UNREACH,
	[CTRACK_ICMPX_PORT_UNREACH]	= ICMP_PORT_UNREACH,
	[CTRACK_ICMPX_HOST_UNREACH]	= ICMP_HOST_UNREACH,
	[CTRACK_ICMPX_ADMIN_PROHIBITED]	= ICMP_PKT_FILTERED,
};

static const u8 icmpx_v6[__CTRACK_ICMPX_MAX] = {
	[CTRACK_ICMPX_NO_ROUTE]		= ICMPV6_NOROUTE,
	[CTRACK_ICMPX_PORT_UNREACH]	= ICMPV6_PORT_UNREACH,
	[CTRACK_ICMPX_HOST_UNREACH]	= ICMPV6_ADDR_UNREACH,
	[CTRACK_ICMPX_ADMIN_PROHIBITED]	= ICMPV6_ADM_PROHIBITED,
};

/*
 * What @rej asks for (by default a reset for TCP, else an ICMP(v6) port
 * unreachable); never an answer to a reset or an ICMP error, nothing
 * where the type does not fit the packet (the packet is dropped all the
 * same). What it sends passes OUTPUT before this returns, and classify()
 * knows it by ct_answering.
 */
static void send_reject(struct sk_buff *skb, const struct ct_pkt *pkt,
			const struct nf_hook_state *state,
			const struct ct_reject *rej)
{
	bool v4 = pkt->tuple.l3 == NFPROTO_IPV4;
	bool tcp = pkt->tuple.proto == IPPROTO_TCP;
	const struct ct_pkt *outer;
	int code;

	if (pkt->icmp_error)
		return;
	switch (rej->type) {
	case CTRACK_REJECT_TCP_RST:
		if (!tcp)
			return;
		code = -1;
		break;
	case CTRACK_REJECT_ICMP:
		if (!v4)
			return;
		tcp = false;
		code = rej->code;
		break;
	case CTRACK_REJECT_ICMPV6:
		if (v4)
			return;
		tcp = false;
		code = rej->code;
		break;
	case CTRACK_REJECT_ICMPX:
		if (rej->code >= __CTRACK_ICMPX_MAX)
			return;
		tcp = false;
		code = v4 ? icmpx_v4[rej->code] : icmpx_v6[rej->code];
		break;
	default:
		code = v4 ? ICMP_PORT_UNREACH : ICMPV6_PORT_UNREACH;
	}
	if (tcp) {
		const struct tcphdr *th;
		struct tcphdr _th;

		th = skb_header_pointer(skb, pkt->l4off, sizeof(_th), &_th);
		if (!th || th->rst)
			return;
	}
	outer = this_cpu_read(ct_answering);
	this_cpu_write(ct_answering, pkt);
	if (tcp) {
		if (v4)
			nf_send_reset(state->net, state->sk, skb, state->hook);
		else
			nf_send_reset6(state->net, state->sk, skb, state->hook);
	} else if (v4) {
		nf_send_unreach(skb, code, state->hook);
	} else {
		nf_send_unreach6(state->net, skb, code, state->hook);
	}
	this_cpu_write(ct_answering, outer);
}

static const u8 ct_hook_of[NF_INET_NUMHOOKS] = {
	[NF_INET_LOCAL_IN]	= CTRACK_HOOK_INPUT,
	[NF_INET_FORWARD]	= CTRACK_HOOK_FORWARD,
	[NF_INET_LOCAL_OUT]	= CTRACK_HOOK_OUTPUT,
};

/* Runs under rcu_read_lock(), which nf_hook_slow() holds. */
static unsigned int ct_hook(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	/*
	 * Not in x, and __uninitialized: CONFIG_INIT_STACK_ALL_ZERO would
	 * clear its 60 bytes for every packet (a rep stos), yet it is only
	 * read where skb_header_pointer() copied a TCP header into it.
	 */
	u8 thbuf[TCP_HDR_MAX] __uninitialized;
	struct ct_ctx x = {
		.cn = ct_net(state->net),
		.skb = skb,
		.hook = ct_hook_of[state->hook],
		.stack_made = state->sk && sk_fullsock(state->sk) &&
			      state->sk->sk_kern_sock,
		.now = jiffies,
		.thbuf = thbuf,
	};
	const struct net_device *dev = x.hook == CTRACK_HOOK_OUTPUT ?
				       state->out : state->in;
	bool lo = dev && (dev->flags & IFF_LOOPBACK);
	struct ct_reject rej = {};
	unsigned int verdict;
	int ctstate;

	/*
	 * OUTPUT runs in process context with softirqs enabled; the rest of
	 * the data path runs in softirq. Running every hook with softirqs
	 * off lets the trackers and helpers take a connection's lock the
	 * same way everywhere without deadlocking against a softirq.
	 */
	local_bh_disable();
	ctstate = track(&x, state->pf, lo);
	switch (ct_rules_eval(x.cn, x.hook, &x.pkt, ctstate, skb, state, &rej)) {
	case CTRACK_VERDICT_DROP:
		verdict = NF_DROP;
		break;
	case CTRACK_VERDICT_REJECT:
		send_reject(skb, &x.pkt, state, &rej);
		verdict = NF_DROP;
		break;
	default:
		verdict = commit(&x, ctstate, lo);
	}
	local_bh_enable();
	return verdict;
}

#if IS_ENABLED(CONFIG_KUNIT)
/*
 * The hook without netfilter and rules: what ctrack makes of @skb, sent
 * from a kernel socket if @stack_made, with the rules' verdict given by
 * @accept. Returns the ctstate, or -ENOMEM when the
 * accepted packet was dropped for want of a connection.
 */
int ct_hooks_track(struct ct_net *cn, struct sk_buff *skb, u8 pf,
		   enum ctrack_hook hook, bool lo, bool stack_made, bool accept,
		   u32 now)
{
	u8 thbuf[TCP_HDR_MAX] __uninitialized;
	struct ct_ctx x = {
		.cn = cn,
		.skb = skb,
		.hook = hook,
		.stack_made = stack_made,
		.now = now,
		.no_expect = true,
		.thbuf = thbuf,
	};
	int ctstate;

	rcu_read_lock();
	local_bh_disable();
	ctstate = track(&x, pf, lo);
	if (accept && commit(&x, ctstate, lo) != NF_ACCEPT)
		ctstate = -ENOMEM;
	local_bh_enable();
	rcu_read_unlock();
	return ctstate;
}
EXPORT_SYMBOL_IF_KUNIT(ct_hooks_track);
#endif

#define CT_HOOK_OPS(family, hook_nr, prio) {	\
	.hook = ct_hook, .pf = (family), .hooknum = (hook_nr), .priority = (prio) }

static const struct nf_hook_ops ct_hook_ops[] = {
	CT_HOOK_OPS(NFPROTO_IPV4, NF_INET_LOCAL_IN, NF_IP_PRI_FILTER),
	CT_HOOK_OPS(NFPROTO_IPV4, NF_INET_FORWARD, NF_IP_PRI_FILTER),
	CT_HOOK_OPS(NFPROTO_IPV4, NF_INET_LOCAL_OUT, NF_IP_PRI_FILTER),
	CT_HOOK_OPS(NFPROTO_IPV6, NF_INET_LOCAL_IN, NF_IP6_PRI_FILTER),
	CT_HOOK_OPS(NFPROTO_IPV6, NF_INET_FORWARD, NF_IP6_PRI_FILTER),
	CT_HOOK_OPS(NFPROTO_IPV6, NF_INET_LOCAL_OUT, NF_IP6_PRI_FILTER),
};

static struct dentry *debugfs_root;

/* For tests: what the hooks saw, as one line per hook, summed over CPUs. */
static int states_show(struct seq_file *m, void *v)
{
	static const char * const hooks[] = { "input", "forward", "output" };
	struct ct_net *cn = m->private;
	int hook, st, cpu;

	for (hook = 0; hook < __CTRACK_HOOK_MAX; hook++) {
		u64 n[__CTRACK_CTSTATE_MAX] = {};

		for_each_possible_cpu(cpu)
			for (st = 0; st < __CTRACK_CTSTATE_MAX; st++)
				n[st] += READ_ONCE(per_cpu_ptr(cn->stats, cpu)->state[st][hook]);
		seq_printf(m, "%s invalid=%llu new=%llu established=%llu related=%llu untracked=%llu\n",
			   hooks[hook], n[CTRACK_CTSTATE_INVALID],
			   n[CTRACK_CTSTATE_NEW], n[CTRACK_CTSTATE_ESTABLISHED],
			   n[CTRACK_CTSTATE_RELATED], n[CTRACK_CTSTATE_UNTRACKED]);
	}
	seq_printf(m, "conns %d\n", atomic_read(&cn->table.count));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(states);

void ct_hooks_mod_init(void)
{
	debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
}

void ct_hooks_mod_exit(void)
{
	debugfs_remove(debugfs_root);
}

int ct_hooks_net_init(struct ct_net *cn)
{
	char name[16];
	int ret;

	ret = nf_register_net_hooks(cn->net, ct_hook_ops, ARRAY_SIZE(ct_hook_ops));
	if (ret)
		return ret;
	/* Without debugfs there is no debug view; nothing else depends on it. */
	snprintf(name, sizeof(name), "%u", cn->net->ns.inum);
	cn->debugfs = debugfs_create_file(name, 0400, debugfs_root, cn,
					  &states_fops);
	return 0;
}

void ct_hooks_net_exit(struct ct_net *cn)
{
	debugfs_remove(cn->debugfs);
	nf_unregister_net_hooks(cn->net, ct_hook_ops, ARRAY_SIZE(ct_hook_ops));
}
