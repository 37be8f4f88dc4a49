// SPDX-License-Identifier: GPL-2.0
/*
 * ctnetlink over ctrack's table: the nfnetlink subsystem
 * NFNL_SUBSYS_CTNETLINK with the messages and attributes of
 * <uapi/linux/netfilter/nfnetlink_conntrack.h>, so that conntrack(8) and
 * the rest of libnetfilter_conntrack see ctrack's connections. What
 * nf_conntrack_netlink answers, this answers, for what ctrack has; for
 * what it lacks (marks, zones), what nf_conntrack_netlink answers on a
 * kernel built without them.
 *
 * Phase 1: IPCTNL_MSG_CT_GET (one entry by tuple, and dumps filtered by
 * the nfgenmsg family, CTA_FILTER with its tuples and CTA_STATUS), CT_DELETE
 * (by tuple, by CTA_ID, by filter, flush), CT_GET_STATS_CPU, CT_GET_STATS,
 * and the always empty CT_GET_DYING and CT_GET_UNCONFIRMED. Nothing here
 * walks the table itself: lookups, dumps and deletes go through table.h,
 * and filters are the struct ct_filter of filter.h that the ctrack family
 * uses too; only the status mask is ctnetlink's own.
 *
 * The subsystem is one per kernel: whoever registers first owns it. When
 * nf_conntrack_netlink is there first, ctrack loads without this layer and
 * says so once. Messages run in the sender's namespace (info->net), after
 * nfnetlink_rcv() checked CAP_NET_ADMIN in that namespace's user namespace,
 * as for nf_conntrack_netlink; every callback is NFNL_CB_MUTEX (process
 * context, may sleep), and dumps hold a reference on the module.
 */
#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <net/netlink.h>
#include <net/sock.h>
#include "netns.h"
#include "ctnetlink.h"
#include "filter.h"
#include "helper.h"
#include "proto.h"
#include "table.h"

#if !IS_ENABLED(CONFIG_NETFILTER_NETLINK)
#error "ctrack needs CONFIG_NETFILTER_NETLINK (nfnetlink) for its ctnetlink layer"
#endif

static bool ctnetlink = true;
module_param(ctnetlink, bool, 0444);
MODULE_PARM_DESC(ctnetlink, "Answer ctnetlink (conntrack-tools) from ctrack's table (default: 1)");

/* CTA_ID: stable per connection, revealing neither a pointer nor a count. */
static siphash_key_t id_key __read_mostly;
static bool registered;

/*
 * The CTA_FILTER_ORIG_FLAGS / _REPLY_FLAGS bits: ABI that the kernel keeps
 * in net/netfilter/nf_internals.h and libnetfilter_conntrack in its own
 * copy, not in the uapi header.
 */
#define CTNL_F_IP_SRC		BIT(0)
#define CTNL_F_IP_DST		BIT(1)
#define CTNL_F_TUPLE_ZONE	BIT(2)
#define CTNL_F_PROTO_NUM	BIT(3)
#define CTNL_F_SRC_PORT		BIT(4)
#define CTNL_F_DST_PORT		BIT(5)
#define CTNL_F_ICMP_TYPE	BIT(6)
#define CTNL_F_ICMP_CODE	BIT(7)
#define CTNL_F_ICMP_ID		BIT(8)
#define CTNL_F_ICMPV6_TYPE	BIT(9)
#define CTNL_F_ICMPV6_CODE	BIT(10)
#define CTNL_F_ICMPV6_ID	BIT(11)
#define CTNL_F_ALL		(BIT(12) - 1)
#define CTNL_F_ALL_PROTO	(CTNL_F_ALL & ~(CTNL_F_IP_SRC | CTNL_F_IP_DST | \
						CTNL_F_TUPLE_ZONE | CTNL_F_PROTO_NUM))

/* Status and TCP state in nf_conntrack's terms. */

VISIBLE_IF_KUNIT u32 ct_ctnl_status(unsigned long status)
{
	/* In the table, hence confirmed: ctrack inserts only accepted flows. */
	u32 ips = IPS_CONFIRMED;

	if (test_bit(CTRACK_S_SEEN_REPLY, &status))
		ips |= IPS_SEEN_REPLY;
	if (test_bit(CTRACK_S_ASSURED, &status))
		ips |= IPS_ASSURED;
	if (test_bit(CTRACK_S_RELATED, &status))
		ips |= IPS_EXPECTED;
	if (test_bit(CTRACK_S_HELPER, &status))
		ips |= IPS_HELPER;
	if (test_bit(CTRACK_S_DYING, &status))
		ips |= IPS_DYING;
	return ips;
}
EXPORT_SYMBOL_IF_KUNIT(ct_ctnl_status);

VISIBLE_IF_KUNIT u8 ct_ctnl_tcp_state(u8 state)
{
	static const u8 map[__CTRACK_TCP_MAX] = {
		[CTRACK_TCP_NONE]		= TCP_CONNTRACK_NONE,
		[CTRACK_TCP_SYN_SENT]		= TCP_CONNTRACK_SYN_SENT,
		[CTRACK_TCP_SYN_RECV]		= TCP_CONNTRACK_SYN_RECV,
		[CTRACK_TCP_ESTABLISHED]	= TCP_CONNTRACK_ESTABLISHED,
		[CTRACK_TCP_FIN_WAIT]		= TCP_CONNTRACK_FIN_WAIT,
		[CTRACK_TCP_CLOSE_WAIT]		= TCP_CONNTRACK_CLOSE_WAIT,
		[CTRACK_TCP_LAST_ACK]		= TCP_CONNTRACK_LAST_ACK,
		[CTRACK_TCP_TIME_WAIT]		= TCP_CONNTRACK_TIME_WAIT,
		[CTRACK_TCP_CLOSE]		= TCP_CONNTRACK_CLOSE,
		[CTRACK_TCP_SYN_SENT2]		= TCP_CONNTRACK_SYN_SENT2,
	};

	return state < ARRAY_SIZE(map) ? map[state] : TCP_CONNTRACK_NONE;
}
EXPORT_SYMBOL_IF_KUNIT(ct_ctnl_tcp_state);

static __be32 conn_id(const struct ct_conn *c)
{
	return (__force __be32)(u32)siphash_1u64(c->id, &id_key);
}

/* Tuples: ct_tuple <-> CTA_TUPLE_* nests. */

VISIBLE_IF_KUNIT int ct_ctnl_put_tuple(struct sk_buff *skb, int attr,
				       const struct ct_tuple *t, bool reply)
{
	const union ct_addr *src = reply ? &t->dst : &t->src;
	const union ct_addr *dst = reply ? &t->src : &t->dst;
	__be16 sport = reply ? t->dport : t->sport;
	__be16 dport = reply ? t->sport : t->dport;
	struct nlattr *nest, *ip, *proto;
	u8 type, code;

	nest = nla_nest_start(skb, attr);
	if (!nest)
		return -EMSGSIZE;
	ip = nla_nest_start(skb, CTA_TUPLE_IP);
	if (!ip)
		goto cancel;
	if (t->l3 == NFPROTO_IPV4 ?
	    nla_put_in_addr(skb, CTA_IP_V4_SRC, src->ip) ||
	    nla_put_in_addr(skb, CTA_IP_V4_DST, dst->ip) :
	    nla_put_in6_addr(skb, CTA_IP_V6_SRC, &src->in6) ||
	    nla_put_in6_addr(skb, CTA_IP_V6_DST, &dst->in6))
		goto cancel;
	nla_nest_end(skb, ip);

	proto = nla_nest_start(skb, CTA_TUPLE_PROTO);
	if (!proto || nla_put_u8(skb, CTA_PROTO_NUM, t->proto))
		goto cancel;
	switch (t->proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		if (nla_put_be16(skb, CTA_PROTO_SRC_PORT, sport) ||
		    nla_put_be16(skb, CTA_PROTO_DST_PORT, dport))
			goto cancel;
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		/* sport is the id */
		ct_tuple_icmp(t, reply, &type, &code);
		if (t->proto == IPPROTO_ICMP ?
		    nla_put_be16(skb, CTA_PROTO_ICMP_ID, t->sport) ||
		    nla_put_u8(skb, CTA_PROTO_ICMP_TYPE, type) ||
		    nla_put_u8(skb, CTA_PROTO_ICMP_CODE, code) :
		    nla_put_be16(skb, CTA_PROTO_ICMPV6_ID, t->sport) ||
		    nla_put_u8(skb, CTA_PROTO_ICMPV6_TYPE, type) ||
		    nla_put_u8(skb, CTA_PROTO_ICMPV6_CODE, code))
			goto cancel;
		break;
	}
	nla_nest_end(skb, proto);
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}
EXPORT_SYMBOL_IF_KUNIT(ct_ctnl_put_tuple);

static const struct nla_policy tuple_policy[CTA_TUPLE_MAX + 1] = {
	[CTA_TUPLE_IP]		= { .type = NLA_NESTED },
	[CTA_TUPLE_PROTO]	= { .type = NLA_NESTED },
	[CTA_TUPLE_ZONE]	= { .type = NLA_U16 },
};

static const struct nla_policy ip_policy[CTA_IP_MAX + 1] = {
	[CTA_IP_V4_SRC]		= { .type = NLA_U32 },
	[CTA_IP_V4_DST]		= { .type = NLA_U32 },
	[CTA_IP_V6_SRC]		= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[CTA_IP_V6_DST]		= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
};

static const struct nla_policy proto_policy[CTA_PROTO_MAX + 1] = {
	[CTA_PROTO_NUM]		= { .type = NLA_U8 },
	[CTA_PROTO_SRC_PORT]	= { .type = NLA_U16 },
	[CTA_PROTO_DST_PORT]	= { .type = NLA_U16 },
	[CTA_PROTO_ICMP_ID]	= { .type = NLA_U16 },
	[CTA_PROTO_ICMP_TYPE]	= { .type = NLA_U8 },
	[CTA_PROTO_ICMP_CODE]	= { .type = NLA_U8 },
	[CTA_PROTO_ICMPV6_ID]	= { .type = NLA_U16 },
	[CTA_PROTO_ICMPV6_TYPE]	= { .type = NLA_U8 },
	[CTA_PROTO_ICMPV6_CODE]	= { .type = NLA_U8 },
};

/* The attribute of @tb that @flags asks for in @flag, or an error. */
static int need(struct nlattr **tb, int attr, u32 flags, u32 flag,
		const struct nlattr *nest, struct netlink_ext_ack *extack)
{
	if (!(flags & flag))
		return 0;
	if (!tb[attr]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, attr);
		return -EINVAL;
	}
	return 1;
}

static int parse_tuple_ip(const struct nlattr *nest, struct ct_tuple *t,
			  u32 flags, struct netlink_ext_ack *extack)
{
	bool v4 = t->l3 == NFPROTO_IPV4;
	struct nlattr *tb[CTA_IP_MAX + 1];
	int ret;

	ret = nla_parse_nested_deprecated(tb, CTA_IP_MAX, nest, ip_policy, extack);
	if (ret)
		return ret;
	ret = need(tb, v4 ? CTA_IP_V4_SRC : CTA_IP_V6_SRC, flags, CTNL_F_IP_SRC,
		   nest, extack);
	if (ret < 0)
		return ret;
	if (ret && v4)
		t->src.ip = nla_get_in_addr(tb[CTA_IP_V4_SRC]);
	else if (ret)
		t->src.in6 = nla_get_in6_addr(tb[CTA_IP_V6_SRC]);
	ret = need(tb, v4 ? CTA_IP_V4_DST : CTA_IP_V6_DST, flags, CTNL_F_IP_DST,
		   nest, extack);
	if (ret < 0)
		return ret;
	if (ret && v4)
		t->dst.ip = nla_get_in_addr(tb[CTA_IP_V4_DST]);
	else if (ret)
		t->dst.in6 = nla_get_in6_addr(tb[CTA_IP_V6_DST]);
	return 0;
}

/* ICMP(v6) queries and their answers, the only ICMP that has tuples. */
static bool icmp_query(u8 proto, u8 type)
{
	return ct_icmp_query_type(proto, type) != type ||
	       ct_icmp_reply_type(proto, type) != type;
}

static int parse_tuple_proto(const struct nlattr *nest, struct ct_tuple *t,
			     u32 flags, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CTA_PROTO_MAX + 1];
	int id, type, code, ret;
	bool v6;

	ret = nla_parse_nested_deprecated(tb, CTA_PROTO_MAX, nest, proto_policy,
					  extack);
	if (ret)
		return ret;
	if (!(flags & CTNL_F_PROTO_NUM))
		return 0;
	if (!tb[CTA_PROTO_NUM]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, CTA_PROTO_NUM);
		return -EINVAL;
	}
	t->proto = nla_get_u8(tb[CTA_PROTO_NUM]);
	switch (t->proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		ret = need(tb, CTA_PROTO_SRC_PORT, flags, CTNL_F_SRC_PORT, nest, extack);
		if (ret > 0)
			t->sport = nla_get_be16(tb[CTA_PROTO_SRC_PORT]);
		if (ret >= 0)
			ret = need(tb, CTA_PROTO_DST_PORT, flags, CTNL_F_DST_PORT,
				   nest, extack);
		if (ret > 0)
			t->dport = nla_get_be16(tb[CTA_PROTO_DST_PORT]);
		return min(ret, 0);
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		v6 = t->proto == IPPROTO_ICMPV6;
		id = v6 ? CTA_PROTO_ICMPV6_ID : CTA_PROTO_ICMP_ID;
		type = v6 ? CTA_PROTO_ICMPV6_TYPE : CTA_PROTO_ICMP_TYPE;
		code = v6 ? CTA_PROTO_ICMPV6_CODE : CTA_PROTO_ICMP_CODE;
		ret = need(tb, type, flags, v6 ? CTNL_F_ICMPV6_TYPE : CTNL_F_ICMP_TYPE,
			   nest, extack);
		if (ret > 0) {
			u8 ty = nla_get_u8(tb[type]);

			if (!icmp_query(t->proto, ty)) {
				NL_SET_ERR_MSG_ATTR(extack, tb[type],
						    "only ICMP queries and their answers have tuples");
				return -EINVAL;
			}
			t->dport = htons(ct_icmp_query_type(t->proto, ty) << 8);
		}
		if (ret >= 0)
			ret = need(tb, code, flags,
				   v6 ? CTNL_F_ICMPV6_CODE : CTNL_F_ICMP_CODE, nest, extack);
		if (ret > 0)
			t->dport |= htons(nla_get_u8(tb[code]));
		if (ret >= 0)
			ret = need(tb, id, flags, v6 ? CTNL_F_ICMPV6_ID : CTNL_F_ICMP_ID,
				   nest, extack);
		if (ret > 0)
			t->sport = nla_get_be16(tb[id]);
		return min(ret, 0);
	}
	return 0;
}

/*
 * The tuple nest @nest of family @l3, the fields @flags names (CTNL_F_*)
 * required, into @t. ICMP(v6) comes as the request's key, whichever
 * direction the nest describes: sport the id, dport the request's type
 * (an answer's type is mapped to it) << 8 | code. CTNL_F_ALL: a whole
 * tuple, for a lookup.
 */
VISIBLE_IF_KUNIT int ct_ctnl_parse_tuple(const struct nlattr *nest, u8 l3,
					 u32 flags, struct ct_tuple *t,
					 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CTA_TUPLE_MAX + 1];
	int ret;

	memset(t, 0, sizeof(*t));
	ret = nla_parse_nested_deprecated(tb, CTA_TUPLE_MAX, nest, tuple_policy,
					  extack);
	if (ret)
		return ret;
	if (l3 != NFPROTO_IPV4 && l3 != NFPROTO_IPV6) {
		NL_SET_ERR_MSG(extack, "a tuple needs family ipv4 or ipv6 in nfgenmsg");
		return -EOPNOTSUPP;
	}
	t->l3 = l3;
	if (flags & (CTNL_F_IP_SRC | CTNL_F_IP_DST)) {
		if (!tb[CTA_TUPLE_IP]) {
			NL_SET_ERR_ATTR_MISS(extack, nest, CTA_TUPLE_IP);
			return -EINVAL;
		}
		ret = parse_tuple_ip(tb[CTA_TUPLE_IP], t, flags, extack);
		if (ret)
			return ret;
	}
	if (flags & CTNL_F_PROTO_NUM) {
		if (!tb[CTA_TUPLE_PROTO]) {
			NL_SET_ERR_ATTR_MISS(extack, nest, CTA_TUPLE_PROTO);
			return -EINVAL;
		}
		ret = parse_tuple_proto(tb[CTA_TUPLE_PROTO], t, flags, extack);
		if (ret)
			return ret;
	} else if (flags & CTNL_F_ALL_PROTO) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "port and ICMP filters need the protocol");
		return -EINVAL;
	}
	/* As nf_conntrack built without zones: every connection is in zone 0. */
	if ((flags & CTNL_F_TUPLE_ZONE) && tb[CTA_TUPLE_ZONE]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[CTA_TUPLE_ZONE], "ctrack has no zones");
		return -EOPNOTSUPP;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ct_ctnl_parse_tuple);

/* Filters. */

struct ctnl_filter {
	struct ct_filter f;
	u32 status_mask;	/* IPS_* */
	u32 status_val;
};

static bool ctnl_match(const struct ct_conn *c, void *arg)
{
	const struct ctnl_filter *cf = arg;

	return ct_filter_match(c, (void *)&cf->f) &&
	       (ct_ctnl_status(READ_ONCE(c->status)) & cf->status_mask) ==
	       cf->status_val;
}

static void filter_addr(struct ct_filter *f, u32 bit, union ct_addr *a,
			const union ct_addr *val)
{
	if ((f->present & bit) && memcmp(a, val, sizeof(*a)))
		f->present |= CT_FILTER_NOTHING;
	*a = *val;
	f->present |= bit;
}

static void filter_port(struct ct_filter *f, u32 bit, __be16 *port,
			__be16 *mask, __be16 val, __be16 valmask)
{
	if ((f->present & bit) && ((*port ^ val) & *mask & valmask))
		f->present |= CT_FILTER_NOTHING;
	*port |= val & valmask;
	*mask |= valmask;
	f->present |= bit;
}

/*
 * Adds the fields @flags names of @t, a tuple of the original direction or
 * of the reply one, to @f, which compares original tuples: without NAT
 * the reply tuple is the original's inverse.
 */
VISIBLE_IF_KUNIT void ct_ctnl_filter_add(struct ct_filter *f,
					 const struct ct_tuple *t, u32 flags,
					 bool reply)
{
	__be16 sport = reply ? t->dport : t->sport;
	__be16 dport = reply ? t->sport : t->dport;
	__be16 smask = 0, dmask = 0;

	if (flags & CTNL_F_IP_SRC)
		filter_addr(f, reply ? CT_FILTER_DST : CT_FILTER_SRC,
			    reply ? &f->dst : &f->src, &t->src);
	if (flags & CTNL_F_IP_DST)
		filter_addr(f, reply ? CT_FILTER_SRC : CT_FILTER_DST,
			    reply ? &f->src : &f->dst, &t->dst);
	if (flags & CTNL_F_PROTO_NUM) {
		if ((f->present & CT_FILTER_PROTO) && f->proto != t->proto)
			f->present |= CT_FILTER_NOTHING;
		f->proto = t->proto;
		f->present |= CT_FILTER_PROTO;
	}
	switch (t->proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		if (flags & CTNL_F_SRC_PORT)
			smask = htons(0xffff);
		if (flags & CTNL_F_DST_PORT)
			dmask = htons(0xffff);
		if (reply)
			swap(smask, dmask);
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		/* The id and the request type are the same in both directions. */
		sport = t->sport;
		dport = t->dport;
		if (flags & (CTNL_F_ICMP_ID | CTNL_F_ICMPV6_ID))
			smask = htons(0xffff);
		if (flags & (CTNL_F_ICMP_TYPE | CTNL_F_ICMPV6_TYPE))
			dmask |= htons(0xff00);
		if (flags & (CTNL_F_ICMP_CODE | CTNL_F_ICMPV6_CODE))
			dmask |= htons(0x00ff);
		break;
	}
	if (smask)
		filter_port(f, CT_FILTER_SPORT, &f->sport, &f->sport_mask, sport, smask);
	if (dmask)
		filter_port(f, CT_FILTER_DPORT, &f->dport, &f->dport_mask, dport, dmask);
}
EXPORT_SYMBOL_IF_KUNIT(ct_ctnl_filter_add);

static const struct nla_policy filter_policy[CTA_FILTER_MAX + 1] = {
	[CTA_FILTER_ORIG_FLAGS]		= NLA_POLICY_MASK(NLA_U32, CTNL_F_ALL),
	[CTA_FILTER_REPLY_FLAGS]	= NLA_POLICY_MASK(NLA_U32, CTNL_F_ALL),
};

static bool needs_filter(u8 family, const struct nlattr * const cda[])
{
	return family || cda[CTA_MARK] || cda[CTA_FILTER] || cda[CTA_STATUS] ||
	       cda[CTA_ZONE];
}

/* As nf_conntrack_netlink's ctnetlink_alloc_filter(), into @cf. */
static int parse_filter(const struct nlattr * const cda[], u8 family,
			struct ctnl_filter *cf, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CTA_FILTER_MAX + 1];
	struct ct_tuple t;
	u32 flags[2] = {};
	int ret, dir;

	memset(cf, 0, sizeof(*cf));
	if (family) {
		cf->f.family = family;
		cf->f.present |= CT_FILTER_FAMILY;
	}
	/* As nf_conntrack built without CONFIG_NF_CONNTRACK_MARK, _ZONES. */
	if (cda[CTA_MARK] || cda[CTA_MARK_MASK]) {
		NL_SET_ERR_MSG_ATTR(extack, cda[CTA_MARK] ?: cda[CTA_MARK_MASK],
				    "ctrack has no connection marks");
		return -EOPNOTSUPP;
	}
	if (cda[CTA_ZONE]) {
		NL_SET_ERR_MSG_ATTR(extack, cda[CTA_ZONE], "ctrack has no zones");
		return -EOPNOTSUPP;
	}
	if (cda[CTA_STATUS]) {
		cf->status_val = ntohl(nla_get_be32(cda[CTA_STATUS]));
		cf->status_mask = cda[CTA_STATUS_MASK] ?
				  ntohl(nla_get_be32(cda[CTA_STATUS_MASK])) :
				  cf->status_val;
		if (!cf->status_mask) {
			NL_SET_ERR_MSG_ATTR(extack, cda[CTA_STATUS],
					    "a status filter needs a non-zero mask");
			return -EINVAL;
		}
		cf->status_val &= cf->status_mask;
	} else if (cda[CTA_STATUS_MASK]) {
		NL_SET_ERR_MSG_ATTR(extack, cda[CTA_STATUS_MASK],
				    "a status mask needs CTA_STATUS");
		return -EINVAL;
	}
	if (!cda[CTA_FILTER])
		return 0;
	ret = nla_parse_nested(tb, CTA_FILTER_MAX, cda[CTA_FILTER], filter_policy,
			       extack);
	if (ret)
		return ret;
	if (tb[CTA_FILTER_ORIG_FLAGS])
		flags[0] = nla_get_u32(tb[CTA_FILTER_ORIG_FLAGS]);
	if (tb[CTA_FILTER_REPLY_FLAGS])
		flags[1] = nla_get_u32(tb[CTA_FILTER_REPLY_FLAGS]);
	for (dir = 0; dir < 2; dir++) {
		int attr = dir ? CTA_TUPLE_REPLY : CTA_TUPLE_ORIG;

		if (!flags[dir])
			continue;
		if (!cda[attr]) {
			NL_SET_ERR_MSG(extack, "filter flags name a tuple that is missing");
			return -EINVAL;
		}
		ret = ct_ctnl_parse_tuple(cda[attr], family, flags[dir], &t, extack);
		if (ret)
			return ret;
		ct_ctnl_filter_add(&cf->f, &t, flags[dir], dir);
	}
	return 0;
}

/* Messages. */

static int put_counters(struct sk_buff *skb, int attr, const struct ct_conn *c,
			int dir)
{
	struct nlattr *nest = nla_nest_start(skb, attr);

	if (!nest ||
	    nla_put_be64(skb, CTA_COUNTERS_PACKETS,
			 cpu_to_be64(READ_ONCE(c->packets[dir])), CTA_COUNTERS_PAD) ||
	    nla_put_be64(skb, CTA_COUNTERS_BYTES,
			 cpu_to_be64(READ_ONCE(c->bytes[dir])), CTA_COUNTERS_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_protoinfo(struct sk_buff *skb, struct ct_conn *c)
{
	struct nf_ct_tcp_flags fl = {};
	struct ct_tcp_info info;
	struct nlattr *nest, *tcp;

	if (c->tuple.proto != IPPROTO_TCP)
		return 0;
	ct_tcp_snapshot(c, &info);
	nest = nla_nest_start(skb, CTA_PROTOINFO);
	if (!nest)
		return -EMSGSIZE;
	tcp = nla_nest_start(skb, CTA_PROTOINFO_TCP);
	if (!tcp ||
	    nla_put_u8(skb, CTA_PROTOINFO_TCP_STATE, ct_ctnl_tcp_state(info.state)) ||
	    nla_put_u8(skb, CTA_PROTOINFO_TCP_WSCALE_ORIGINAL, info.wscale[0]) ||
	    nla_put_u8(skb, CTA_PROTOINFO_TCP_WSCALE_REPLY, info.wscale[1]))
		return -EMSGSIZE;
	fl.flags = info.flags[0];
	if (nla_put(skb, CTA_PROTOINFO_TCP_FLAGS_ORIGINAL, sizeof(fl), &fl))
		return -EMSGSIZE;
	fl.flags = info.flags[1];
	if (nla_put(skb, CTA_PROTOINFO_TCP_FLAGS_REPLY, sizeof(fl), &fl))
		return -EMSGSIZE;
	nla_nest_end(skb, tcp);
	nla_nest_end(skb, nest);
	return 0;
}

static int put_helper(struct sk_buff *skb, const struct ct_conn *c)
{
	const char *name = ct_helper_name(c);
	struct nlattr *nest;

	if (!name)
		return 0;
	nest = nla_nest_start(skb, CTA_HELP);
	if (!nest || nla_put_string(skb, CTA_HELP_NAME, name))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * Under rcu_read_lock(): one IPCTNL_MSG_CT_NEW message for @c, the
 * attributes in nf_conntrack_netlink's order. Returns 0 or -EMSGSIZE, the
 * message cancelled.
 */
static int fill_conn(struct sk_buff *skb, u32 portid, u32 seq, u16 flags,
		     struct ct_conn *c)
{
	const struct ct_conn_ext *ext = rcu_dereference(c->ext);
	struct nlmsghdr *nlh;

	nlh = nfnl_msg_put(skb, portid, seq,
			   nfnl_msg_type(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_NEW),
			   flags, c->tuple.l3, NFNETLINK_V0, 0);
	if (!nlh)
		return -EMSGSIZE;
	if (ct_ctnl_put_tuple(skb, CTA_TUPLE_ORIG, &c->tuple, false) ||
	    ct_ctnl_put_tuple(skb, CTA_TUPLE_REPLY, &c->tuple, true) ||
	    nla_put_be32(skb, CTA_STATUS, htonl(ct_ctnl_status(READ_ONCE(c->status)))) ||
	    nla_put_be32(skb, CTA_ID, conn_id(c)) ||
	    /* no references to count: held by the table alone, as idle ones */
	    nla_put_be32(skb, CTA_USE, htonl(1)) ||
	    (ext && ext->has_master &&
	     ct_ctnl_put_tuple(skb, CTA_TUPLE_MASTER, &ext->master, false)) ||
	    nla_put_be32(skb, CTA_TIMEOUT,
			 htonl(ct_seconds_left(READ_ONCE(c->expires), jiffies))) ||
	    put_protoinfo(skb, c) ||
	    put_counters(skb, CTA_COUNTERS_ORIG, c, CT_DIR_ORIGINAL) ||
	    put_counters(skb, CTA_COUNTERS_REPLY, c, CT_DIR_REPLY) ||
	    put_helper(skb, c)) {
		nlmsg_cancel(skb, nlh);
		return -EMSGSIZE;
	}
	nlmsg_end(skb, nlh);
	return 0;
}

static struct ct_net *info_cn(const struct nfnl_info *info)
{
	return ct_net(info->net);
}

/* CT_GET dumps: cb->data the filter, cb->args[0] and [1] the table cursor. */

struct dump_ctx {
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

static int dump_one(struct ct_conn *c, void *arg)
{
	struct dump_ctx *d = arg;
	struct netlink_callback *cb = d->cb;

	if (!ctnl_match(c, cb->data))
		return 0;
	return fill_conn(d->skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			 NLM_F_MULTI, c);
}

static int dump_start(struct netlink_callback *cb)
{
	const struct nlattr * const *cda = cb->data;
	u8 family = ((struct nfgenmsg *)nlmsg_data(cb->nlh))->nfgen_family;
	struct ctnl_filter *cf;
	int ret;

	cf = kmalloc(sizeof(*cf), GFP_KERNEL);
	if (!cf)
		return -ENOMEM;
	ret = parse_filter(cda, family, cf, cb->extack);
	if (ret) {
		kfree(cf);
		return ret;
	}
	if (needs_filter(family, cda))
		cb->answer_flags = NLM_F_DUMP_FILTERED;
	cb->data = cf;
	cb->args[0] = 0;
	cb->args[1] = 0;
	return 0;
}

static int dump_done(struct netlink_callback *cb)
{
	kfree(cb->data);
	return 0;
}

static int dump_table(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ct_cursor cur = { .bucket = cb->args[0], .below = cb->args[1] };
	struct dump_ctx d = { .skb = skb, .cb = cb };
	int ret;

	BUILD_BUG_ON(sizeof(cb->args[1]) < sizeof(cur.below));
	ret = ct_table_walk(ct_net(sock_net(skb->sk)), &cur, dump_one, &d);
	cb->args[0] = cur.bucket;
	cb->args[1] = cur.below;
	if (ret && !skb->len)
		return -EMSGSIZE;
	return skb->len;
}

/* The tuple of a request for one entry, CTA_TUPLE_ORIG or else _REPLY. */
static int request_tuple(const struct nfnl_info *info,
			 const struct nlattr * const cda[], struct ct_tuple *t)
{
	const struct nlattr *nest = cda[CTA_TUPLE_ORIG] ?: cda[CTA_TUPLE_REPLY];

	if (cda[CTA_ZONE]) {
		NL_SET_ERR_MSG_ATTR(info->extack, cda[CTA_ZONE], "ctrack has no zones");
		return -EOPNOTSUPP;
	}
	int ret;

	ret = ct_ctnl_parse_tuple(nest, info->nfmsg->nfgen_family, CTNL_F_ALL, t,
				  info->extack);
	/* An answer's tuple has the id and type swapped, as a packet's has. */
	if (!ret && !cda[CTA_TUPLE_ORIG] &&
	    (t->proto == IPPROTO_ICMP || t->proto == IPPROTO_ICMPV6))
		swap(t->sport, t->dport);
	return ret;
}

static int ct_get(struct sk_buff *skb, const struct nfnl_info *info,
		  const struct nlattr * const cda[])
{
	struct ct_net *cn = info_cn(info);
	struct sk_buff *msg;
	struct ct_conn *c;
	struct ct_tuple t;
	int ret, dir;

	if (info->nlh->nlmsg_flags & NLM_F_DUMP) {
		struct netlink_dump_control ctl = {
			.start = dump_start,
			.dump = dump_table,
			.done = dump_done,
			.data = (void *)cda,
		};

		return netlink_dump_start(info->sk, skb, info->nlh, &ctl);
	}
	if (!cda[CTA_TUPLE_ORIG] && !cda[CTA_TUPLE_REPLY]) {
		NL_SET_ERR_MSG(info->extack, "a get needs CTA_TUPLE_ORIG or CTA_TUPLE_REPLY");
		return -EINVAL;
	}
	ret = request_tuple(info, cda, &t);
	if (ret)
		return ret;
	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rcu_read_lock();
	c = ct_table_lookup(cn, &t, jiffies, &dir);
	ret = c ? fill_conn(msg, NETLINK_CB(skb).portid, info->nlh->nlmsg_seq, 0, c) :
		  -ENOENT;
	rcu_read_unlock();
	if (ret) {
		kfree_skb(msg);
		return ret;
	}
	return nfnetlink_unicast(msg, info->net, NETLINK_CB(skb).portid);
}

static bool id_match(const struct ct_conn *c, void *arg)
{
	return conn_id(c) == *(__be32 *)arg;
}

static int ct_delete(struct sk_buff *skb, const struct nfnl_info *info,
		     const struct nlattr * const cda[])
{
	u8 family = info->nfmsg->nfgen_family;
	struct ct_net *cn = info_cn(info);
	struct ctnl_filter *cf;
	struct ct_conn *c;
	struct ct_tuple t;
	__be32 id;
	int ret, dir;

	if ((cda[CTA_TUPLE_ORIG] || cda[CTA_TUPLE_REPLY]) && !cda[CTA_FILTER]) {
		ret = request_tuple(info, cda, &t);
		if (ret)
			return ret;
		rcu_read_lock();
		c = ct_table_lookup(cn, &t, jiffies, &dir);
		if (c && cda[CTA_ID] && nla_get_be32(cda[CTA_ID]) != conn_id(c))
			c = NULL;
		ret = c && ct_conn_kill(cn, c) ? 0 : -ENOENT;
		rcu_read_unlock();
		return ret;
	}
	/*
	 * An id without a tuple: nf_conntrack_netlink would flush the whole
	 * table here, ignoring the id; ctrack deletes that connection.
	 */
	if (cda[CTA_ID] && !cda[CTA_FILTER]) {
		id = nla_get_be32(cda[CTA_ID]);
		return ct_table_kill_matching(cn, id_match, &id) ? 0 : -ENOENT;
	}
	/* A flush; version 0 requests flush every family, as nf_conntrack. */
	if (!info->nfmsg->version && !cda[CTA_FILTER])
		family = NFPROTO_UNSPEC;
	if (!needs_filter(family, cda)) {
		ct_table_kill_matching(cn, NULL, NULL);
		return 0;
	}
	cf = kmalloc(sizeof(*cf), GFP_KERNEL);
	if (!cf)
		return -ENOMEM;
	ret = parse_filter(cda, family, cf, info->extack);
	if (!ret)
		ct_table_kill_matching(cn, ctnl_match, cf);
	kfree(cf);
	return ret;
}

/* Nothing of ctrack is half made or half gone where a walk could see it. */
static int empty_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return 0;
}

static int ct_get_empty(struct sk_buff *skb, const struct nfnl_info *info,
			const struct nlattr * const cda[])
{
	struct netlink_dump_control ctl = { .dump = empty_dump };

	if (!(info->nlh->nlmsg_flags & NLM_F_DUMP))
		return 0;
	return netlink_dump_start(info->sk, skb, info->nlh, &ctl);
}

static int ct_unsupported(struct sk_buff *skb, const struct nfnl_info *info,
			  const struct nlattr * const cda[])
{
	NL_SET_ERR_MSG(info->extack, "ctrack does not support this ctnetlink message yet");
	return -EOPNOTSUPP;
}

/* Statistics. */

static int fill_stats_cpu(struct sk_buff *skb, struct netlink_callback *cb,
			  unsigned int cpu, const struct ct_stats *st)
{
	static const struct {
		int attr;
		size_t off;
	} fields[] = {
		{ CTA_STATS_FOUND, offsetof(struct ct_stats, found) },
		{ CTA_STATS_INVALID, offsetof(struct ct_stats, invalid) },
		{ CTA_STATS_INSERT, offsetof(struct ct_stats, insert) },
		{ CTA_STATS_INSERT_FAILED, offsetof(struct ct_stats, insert_failed) },
		{ CTA_STATS_DROP, offsetof(struct ct_stats, drop) },
		{ CTA_STATS_EARLY_DROP, offsetof(struct ct_stats, early_drop) },
		{ CTA_STATS_ERROR, offsetof(struct ct_stats, error) },
		{ CTA_STATS_SEARCH_RESTART, offsetof(struct ct_stats, search_restart) },
		{ CTA_STATS_CHAIN_TOOLONG, offsetof(struct ct_stats, chaintoolong) },
	};
	struct nlmsghdr *nlh;
	unsigned int i;

	nlh = nfnl_msg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			   nfnl_msg_type(NFNL_SUBSYS_CTNETLINK,
					 IPCTNL_MSG_CT_GET_STATS_CPU),
			   NLM_F_MULTI, AF_UNSPEC, NFNETLINK_V0, htons(cpu));
	if (!nlh)
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		const u64 *v = (const void *)st + fields[i].off;

		/* nf_conntrack's counters are 32-bit on the wire */
		if (nla_put_be32(skb, fields[i].attr, htonl((u32)READ_ONCE(*v))))
			goto cancel;
	}
	/* ctrack resolves no clashes: a lost insert race is insert_failed */
	if (nla_put_be32(skb, CTA_STATS_CLASH_RESOLVE, 0))
		goto cancel;
	nlmsg_end(skb, nlh);
	return 0;

cancel:
	nlmsg_cancel(skb, nlh);
	return -EMSGSIZE;
}

static int dump_stats_cpu(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ct_net *cn = ct_net(sock_net(skb->sk));
	unsigned int cpu;

	for (cpu = cb->args[0]; cpu < nr_cpu_ids; cpu++) {
		if (!cpu_possible(cpu))
			continue;
		if (fill_stats_cpu(skb, cb, cpu, per_cpu_ptr(cn->stats, cpu)))
			break;
	}
	cb->args[0] = cpu;
	return skb->len;
}

static int ct_stats_cpu(struct sk_buff *skb, const struct nfnl_info *info,
			const struct nlattr * const cda[])
{
	struct netlink_dump_control ctl = { .dump = dump_stats_cpu };

	if (!(info->nlh->nlmsg_flags & NLM_F_DUMP))
		return 0;
	return netlink_dump_start(info->sk, skb, info->nlh, &ctl);
}

static int ct_stats(struct sk_buff *skb, const struct nfnl_info *info,
		    const struct nlattr * const cda[])
{
	struct ct_net *cn = info_cn(info);
	struct nlmsghdr *nlh;
	struct sk_buff *msg;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	nlh = nfnl_msg_put(msg, NETLINK_CB(skb).portid, info->nlh->nlmsg_seq,
			   nfnl_msg_type(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET_STATS),
			   0, AF_UNSPEC, NFNETLINK_V0, 0);
	if (!nlh ||
	    nla_put_be32(msg, CTA_STATS_GLOBAL_ENTRIES,
			 htonl(atomic_read(&cn->table.count))) ||
	    nla_put_be32(msg, CTA_STATS_GLOBAL_MAX_ENTRIES,
			 htonl(READ_ONCE(cn->table.max)))) {
		kfree_skb(msg);
		return -EMSGSIZE;
	}
	nlmsg_end(msg, nlh);
	return nfnetlink_unicast(msg, info->net, NETLINK_CB(skb).portid);
}

/* The subsystem. */

static const struct nla_policy ct_policy[CTA_MAX + 1] = {
	[CTA_TUPLE_ORIG]	= { .type = NLA_NESTED },
	[CTA_TUPLE_REPLY]	= { .type = NLA_NESTED },
	[CTA_STATUS]		= { .type = NLA_U32 },
	[CTA_PROTOINFO]		= { .type = NLA_NESTED },
	[CTA_HELP]		= { .type = NLA_NESTED },
	[CTA_NAT_SRC]		= { .type = NLA_NESTED },
	[CTA_TIMEOUT]		= { .type = NLA_U32 },
	[CTA_MARK]		= { .type = NLA_U32 },
	[CTA_ID]		= { .type = NLA_U32 },
	[CTA_NAT_DST]		= { .type = NLA_NESTED },
	[CTA_TUPLE_MASTER]	= { .type = NLA_NESTED },
	[CTA_NAT_SEQ_ADJ_ORIG]	= { .type = NLA_NESTED },
	[CTA_NAT_SEQ_ADJ_REPLY]	= { .type = NLA_NESTED },
	[CTA_ZONE]		= { .type = NLA_U16 },
	[CTA_MARK_MASK]		= { .type = NLA_U32 },
	[CTA_LABELS]		= { .type = NLA_BINARY, .len = 16 },
	[CTA_LABELS_MASK]	= { .type = NLA_BINARY, .len = 16 },
	[CTA_FILTER]		= { .type = NLA_NESTED },
	[CTA_STATUS_MASK]	= { .type = NLA_U32 },
};

#define CTNL_CB(_call) {					\
	.call = (_call), .type = NFNL_CB_MUTEX,			\
	.attr_count = CTA_MAX, .policy = ct_policy }

static const struct nfnl_callback ctnl_cb[IPCTNL_MSG_MAX] = {
	[IPCTNL_MSG_CT_NEW]		= CTNL_CB(ct_unsupported),
	[IPCTNL_MSG_CT_GET]		= CTNL_CB(ct_get),
	[IPCTNL_MSG_CT_DELETE]		= CTNL_CB(ct_delete),
	[IPCTNL_MSG_CT_GET_CTRZERO]	= CTNL_CB(ct_unsupported),
	[IPCTNL_MSG_CT_GET_STATS_CPU]	= { .call = ct_stats_cpu, .type = NFNL_CB_MUTEX },
	[IPCTNL_MSG_CT_GET_STATS]	= { .call = ct_stats, .type = NFNL_CB_MUTEX },
	[IPCTNL_MSG_CT_GET_DYING]	= { .call = ct_get_empty, .type = NFNL_CB_MUTEX },
	[IPCTNL_MSG_CT_GET_UNCONFIRMED]	= { .call = ct_get_empty, .type = NFNL_CB_MUTEX },
};

static const struct nfnetlink_subsystem ctnl_subsys = {
	.name		= "ctrack-conntrack",
	.subsys_id	= NFNL_SUBSYS_CTNETLINK,
	.cb_count	= IPCTNL_MSG_MAX,
	.cb		= ctnl_cb,
	.owner		= THIS_MODULE,
};

int __init ct_ctnetlink_init(void)
{
	int ret;

	if (!ctnetlink) {
		pr_info("ctnetlink=0: conntrack-tools will not see ctrack's connections\n");
		return 0;
	}
	get_random_bytes(&id_key, sizeof(id_key));
	ret = nfnetlink_subsys_register(&ctnl_subsys);
	if (ret == -EBUSY) {
		pr_info("ctnetlink is taken (nf_conntrack_netlink is loaded): conntrack-tools see nf_conntrack's table, not ctrack's\n");
		return 0;
	}
	if (ret)
		return ret;
	registered = true;
	return 0;
}

/* Before the namespaces go: waits for the messages in flight. */
void ct_ctnetlink_exit(void)
{
	if (registered)
		nfnetlink_subsys_unregister(&ctnl_subsys);
	registered = false;
}

bool ct_ctnetlink_active(void)
{
	return registered;
}
