// SPDX-License-Identifier: GPL-2.0
/*
 * The "ctrack" generic netlink family: rules, connections, expectations,
 * statistics, timeouts, helpers, settings, and the event group.
 */
#include <linux/jiffies.h>
#include <linux/netfilter.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "netns.h"
#include "netlink.h"
#include "ctnetlink.h"
#include "conn.h"
#include "events.h"
#include "filter.h"
#include "expect.h"
#include "helper.h"
#include "rules_nl.h"
#include "table.h"

enum { CT_MCGRP_EVENTS };

/* Attribute policies: exact, so that anything unexpected is refused. */

static const struct nla_policy filter_policy[CTRACK_A_FILTER_MAX + 1] = {
	[CTRACK_A_FILTER_FAMILY]	= { .type = NLA_U8 },
	[CTRACK_A_FILTER_PROTO]		= { .type = NLA_U8 },
	[CTRACK_A_FILTER_SRC]		= NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[CTRACK_A_FILTER_DST]		= NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[CTRACK_A_FILTER_SPORT]		= { .type = NLA_U16 },
	[CTRACK_A_FILTER_DPORT]		= { .type = NLA_U16 },
	[CTRACK_A_FILTER_STATE]		= NLA_POLICY_MAX(NLA_U8, __CTRACK_TCP_MAX - 1),
};

static const struct nla_policy timeout_policy[CTRACK_A_TIMEOUT_MAX + 1] = {
	[CTRACK_A_TIMEOUT_CLASS]	= NLA_POLICY_MAX(NLA_U32, __CTRACK_TO_MAX - 1),
	[CTRACK_A_TIMEOUT_SECONDS]	= { .type = NLA_U32 },
};

#define HELPER_NAME_MAX		16

static const struct nla_policy helper_policy[CTRACK_A_HELPER_MAX + 1] = {
	[CTRACK_A_HELPER_NAME]		= { .type = NLA_STRING, .len = HELPER_NAME_MAX - 1 },
	[CTRACK_A_HELPER_PORT]		= NLA_POLICY_MIN(NLA_U16, 1),
};

static const struct nla_policy setting_policy[CTRACK_A_SETTING_MAX + 1] = {
	[CTRACK_A_SETTING_NAME]		= { .type = NLA_STRING, .len = 31 },
	[CTRACK_A_SETTING_VALUE]	= { .type = NLA_U32 },
};

static const struct nla_policy conn_policy[CTRACK_A_MAX + 1] = {
	[CTRACK_A_FILTER]	= NLA_POLICY_NESTED(filter_policy),
};

static const struct nla_policy timeout_set_policy[CTRACK_A_MAX + 1] = {
	[CTRACK_A_TIMEOUT]	= NLA_POLICY_NESTED(timeout_policy),
};

static const struct nla_policy helper_set_policy[CTRACK_A_MAX + 1] = {
	[CTRACK_A_HELPER]	= NLA_POLICY_NESTED(helper_policy),
};

static const struct nla_policy setting_set_policy[CTRACK_A_MAX + 1] = {
	[CTRACK_A_SETTING]	= NLA_POLICY_NESTED(setting_policy),
};

/* For commands without attributes: strict validation refuses any. */
static const struct nla_policy none_policy[CTRACK_A_MAX + 1] = {};

/* Encoders: tuples, connections, expectations, as requests and events share them. */

static int put_addr(struct sk_buff *skb, int attr, u8 l3, const union ct_addr *a)
{
	return nla_put(skb, attr, l3 == NFPROTO_IPV4 ? 4 : 16, a);
}

static int put_tuple(struct sk_buff *skb, int attr, const struct ct_tuple *t)
{
	struct nlattr *nest = nla_nest_start(skb, attr);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, CTRACK_A_TUPLE_FAMILY, t->l3) ||
	    nla_put_u8(skb, CTRACK_A_TUPLE_PROTO, t->proto) ||
	    put_addr(skb, CTRACK_A_TUPLE_SRC, t->l3, &t->src) ||
	    put_addr(skb, CTRACK_A_TUPLE_DST, t->l3, &t->dst) ||
	    nla_put_u16(skb, CTRACK_A_TUPLE_SPORT, ntohs(t->sport)) ||
	    nla_put_u16(skb, CTRACK_A_TUPLE_DPORT, ntohs(t->dport))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Under rcu_read_lock(): c and c->ext live until a grace period after death. */
static int put_conn(struct sk_buff *skb, const struct ct_conn *c)
{
	const struct ct_conn_ext *ext = rcu_dereference(c->ext);
	const char *helper = ct_helper_name(c);
	struct nlattr *nest = nla_nest_start(skb, CTRACK_A_CONN);

	if (!nest)
		return -EMSGSIZE;
	if (put_tuple(skb, CTRACK_A_CONN_ORIG, &c->tuple) ||
	    nla_put_u8(skb, CTRACK_A_CONN_STATE, READ_ONCE(c->state)) ||
	    nla_put_u32(skb, CTRACK_A_CONN_STATUS,
			READ_ONCE(c->status) & (BIT(__CTRACK_S_MAX) - 1)) ||
	    nla_put_u32(skb, CTRACK_A_CONN_TIMEOUT,
			ct_seconds_left(READ_ONCE(c->expires), jiffies)) ||
	    nla_put_u64_64bit(skb, CTRACK_A_CONN_PACKETS_ORIG,
			      READ_ONCE(c->packets[CT_DIR_ORIGINAL]),
			      CTRACK_A_CONN_PAD) ||
	    nla_put_u64_64bit(skb, CTRACK_A_CONN_BYTES_ORIG,
			      READ_ONCE(c->bytes[CT_DIR_ORIGINAL]),
			      CTRACK_A_CONN_PAD) ||
	    nla_put_u64_64bit(skb, CTRACK_A_CONN_PACKETS_REPLY,
			      READ_ONCE(c->packets[CT_DIR_REPLY]),
			      CTRACK_A_CONN_PAD) ||
	    nla_put_u64_64bit(skb, CTRACK_A_CONN_BYTES_REPLY,
			      READ_ONCE(c->bytes[CT_DIR_REPLY]),
			      CTRACK_A_CONN_PAD) ||
	    (ext && ext->has_master &&
	     put_tuple(skb, CTRACK_A_CONN_MASTER, &ext->master)) ||
	    (helper && nla_put_string(skb, CTRACK_A_CONN_HELPER, helper))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int put_expect(struct sk_buff *skb, const struct ct_expect *e)
{
	struct nlattr *nest = nla_nest_start(skb, CTRACK_A_EXPECT);

	if (!nest)
		return -EMSGSIZE;
	if (put_tuple(skb, CTRACK_A_EXPECT_TUPLE, &e->tuple) ||
	    put_tuple(skb, CTRACK_A_EXPECT_MASTER, &e->master) ||
	    nla_put_u32(skb, CTRACK_A_EXPECT_TIMEOUT,
			ct_seconds_left(READ_ONCE(e->expires), jiffies)) ||
	    nla_put_string(skb, CTRACK_A_EXPECT_HELPER,
			   ct_helper_get(e->helper - 1)->name)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Parsing requests. */

static int get_addr(const struct nlattr *nla, union ct_addr *a)
{
	memset(a, 0, sizeof(*a));
	nla_memcpy(a, nla, sizeof(*a));
	return nla_len(nla);
}

static int filter_addr(struct ct_filter *f, const struct nlattr *nla,
		       union ct_addr *a, struct netlink_ext_ack *extack)
{
	int len = get_addr(nla, a);
	u8 family;

	if (len != 4 && len != 16) {
		NL_SET_ERR_MSG_ATTR(extack, nla, "address must be 4 (IPv4) or 16 (IPv6) bytes");
		return -EINVAL;
	}
	family = len == 4 ? NFPROTO_IPV4 : NFPROTO_IPV6;
	if ((f->present & CT_FILTER_FAMILY) && f->family != family) {
		NL_SET_ERR_MSG_ATTR(extack, nla,
				    "address family does not match the filter's family");
		return -EINVAL;
	}
	f->family = family;
	f->present |= CT_FILTER_FAMILY;
	return 0;
}

static int parse_filter(const struct nlattr *nest, struct ct_filter *f,
			struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CTRACK_A_FILTER_MAX + 1];
	int i, ret;

	memset(f, 0, sizeof(*f));
	if (!nest)
		return 0;
	ret = nla_parse_nested(tb, CTRACK_A_FILTER_MAX, nest, filter_policy, extack);
	if (ret)
		return ret;
	if (tb[CTRACK_A_FILTER_FAMILY]) {
		f->family = nla_get_u8(tb[CTRACK_A_FILTER_FAMILY]);
		if (f->family != NFPROTO_IPV4 && f->family != NFPROTO_IPV6) {
			NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_FILTER_FAMILY],
					    "family must be ipv4 (2) or ipv6 (10)");
			return -EINVAL;
		}
		f->present |= CT_FILTER_FAMILY;
	}
	if (tb[CTRACK_A_FILTER_SRC]) {
		ret = filter_addr(f, tb[CTRACK_A_FILTER_SRC], &f->src, extack);
		if (ret)
			return ret;
		f->present |= CT_FILTER_SRC;
	}
	if (tb[CTRACK_A_FILTER_DST]) {
		ret = filter_addr(f, tb[CTRACK_A_FILTER_DST], &f->dst, extack);
		if (ret)
			return ret;
		f->present |= CT_FILTER_DST;
	}
	if (tb[CTRACK_A_FILTER_PROTO]) {
		f->proto = nla_get_u8(tb[CTRACK_A_FILTER_PROTO]);
		f->present |= CT_FILTER_PROTO;
	}
	for (i = CTRACK_A_FILTER_SPORT; i <= CTRACK_A_FILTER_DPORT; i++) {
		if (!tb[i])
			continue;
		if (!tb[CTRACK_A_FILTER_PROTO] ||
		    (f->proto != IPPROTO_TCP && f->proto != IPPROTO_UDP)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[i], "ports need protocol tcp or udp");
			return -EINVAL;
		}
	}
	if (tb[CTRACK_A_FILTER_SPORT]) {
		f->sport = htons(nla_get_u16(tb[CTRACK_A_FILTER_SPORT]));
		f->sport_mask = htons(0xffff);
		f->present |= CT_FILTER_SPORT;
	}
	if (tb[CTRACK_A_FILTER_DPORT]) {
		f->dport = htons(nla_get_u16(tb[CTRACK_A_FILTER_DPORT]));
		f->dport_mask = htons(0xffff);
		f->present |= CT_FILTER_DPORT;
	}
	if (tb[CTRACK_A_FILTER_STATE]) {
		if (!tb[CTRACK_A_FILTER_PROTO] || f->proto != IPPROTO_TCP) {
			NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_FILTER_STATE],
					    "a TCP state needs protocol tcp");
			return -EINVAL;
		}
		f->state = nla_get_u8(tb[CTRACK_A_FILTER_STATE]);
		f->present |= CT_FILTER_STATE;
	}
	return 0;
}

/* Replies. */

static struct sk_buff *reply_new(struct genl_info *info, size_t size, void **hdr)
{
	struct sk_buff *msg = genlmsg_new(size, GFP_KERNEL);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, &ct_genl_family, 0,
				 info->genlhdr->cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int reply_send(struct sk_buff *msg, void *hdr, struct genl_info *info)
{
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/*
 * Replies of one u32 (a handle, a count): allocated before the change they
 * report, so that once it is made the reply cannot fail for want of memory.
 */
static struct sk_buff *reply_u32_new(struct genl_info *info, void **hdr)
{
	return reply_new(info, nla_total_size(sizeof(u32)), hdr);
}

static int reply_u32_send(struct sk_buff *msg, void *hdr,
			  struct genl_info *info, int attr, u32 val)
{
	if (nla_put_u32(msg, attr, val)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return reply_send(msg, hdr, info);
}

static struct ct_net *info_cn(struct genl_info *info)
{
	return ct_net(genl_info_net(info));
}

static struct ct_net *cb_cn(struct netlink_callback *cb)
{
	return ct_net(sock_net(cb->skb->sk));
}

static void *dump_put(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd)
{
	return genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			   &ct_genl_family, NLM_F_MULTI, cmd);
}

/* Connections. */

/* cb->args[0] and [1]: the table cursor, [2]: the filter. */
struct conn_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	const struct ct_filter *f;
};

static int conn_dump_one(struct ct_conn *c, void *arg)
{
	struct conn_dump *d = arg;
	void *hdr;

	if (!ct_filter_match(c, (void *)d->f))
		return 0;
	hdr = dump_put(d->skb, d->cb, CTRACK_CMD_CONN_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (put_conn(d->skb, c)) {
		genlmsg_cancel(d->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(d->skb, hdr);
	return 0;
}

static int conn_dump_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = ct_genl_dump_attrs(cb);
	struct ct_filter *f;
	int ret;

	f = kmalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	ret = parse_filter(attrs[CTRACK_A_FILTER], f, cb->extack);
	if (ret) {
		kfree(f);
		return ret;
	}
	cb->args[0] = 0;
	cb->args[1] = 0;
	cb->args[2] = (long)f;
	return 0;
}

static int conn_dump_done(struct netlink_callback *cb)
{
	kfree((void *)cb->args[2]);
	return 0;
}

static int conn_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ct_cursor cur = { .bucket = cb->args[0], .below = cb->args[1] };
	struct conn_dump d = {
		.skb = skb,
		.cb = cb,
		.f = (const struct ct_filter *)cb->args[2],
	};
	int ret;

	BUILD_BUG_ON(sizeof(cb->args[1]) < sizeof(cur.below));
	ret = ct_table_walk(cb_cn(cb), &cur, conn_dump_one, &d);
	cb->args[0] = cur.bucket;
	cb->args[1] = cur.below;
	if (ret && !skb->len)
		return -EMSGSIZE;
	return skb->len;
}

struct conn_get {
	const struct ct_filter *f;
	struct sk_buff *msg;
	bool found;
};

static int conn_get_one(struct ct_conn *c, void *arg)
{
	struct conn_get *g = arg;

	if (!ct_filter_match(c, (void *)g->f))
		return 0;
	if (g->found)
		return -ENOTUNIQ;
	g->found = true;
	return put_conn(g->msg, c);
}

static int conn_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ct_net *cn = info_cn(info);
	struct ct_filter f;
	struct conn_get g = { .f = &f };
	struct ct_cursor cur = {};
	void *hdr;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, CTRACK_A_FILTER))
		return -EINVAL;
	ret = parse_filter(info->attrs[CTRACK_A_FILTER], &f, info->extack);
	if (ret)
		return ret;
	g.msg = reply_new(info, NLMSG_GOODSIZE, &hdr);
	if (!g.msg)
		return -ENOMEM;
	ret = ct_table_walk(cn, &cur, conn_get_one, &g);
	if (!ret && !g.found)
		ret = -ENOENT;
	if (ret) {
		nlmsg_free(g.msg);
		if (ret == -ENOENT)
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CTRACK_A_FILTER],
					    "no connection matches the filter");
		else if (ret == -ENOTUNIQ)
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CTRACK_A_FILTER],
					    "more than one connection matches the filter");
		return ret;
	}
	return reply_send(g.msg, hdr, info);
}

static int conn_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ct_net *cn = info_cn(info);
	struct ct_filter f;
	struct sk_buff *msg;
	unsigned int n;
	void *hdr;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, CTRACK_A_FILTER))
		return -EINVAL;
	ret = parse_filter(info->attrs[CTRACK_A_FILTER], &f, info->extack);
	if (ret)
		return ret;
	msg = reply_u32_new(info, &hdr);
	if (!msg)
		return -ENOMEM;
	n = ct_table_kill_matching(cn, ct_filter_match, &f);
	return reply_u32_send(msg, hdr, info, CTRACK_A_COUNT, n);
}

static int conn_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ct_net *cn = info_cn(info);
	struct sk_buff *msg;
	void *hdr;

	msg = reply_u32_new(info, &hdr);
	if (!msg)
		return -ENOMEM;
	return reply_u32_send(msg, hdr, info, CTRACK_A_COUNT,
			      ct_table_kill_matching(cn, NULL, NULL));
}

static int conn_count_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ct_net *cn = info_cn(info);
	struct sk_buff *msg;
	void *hdr;

	msg = reply_new(info, 2 * nla_total_size(sizeof(u32)), &hdr);
	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, CTRACK_A_COUNT, atomic_read(&cn->table.count)) ||
	    nla_put_u32(msg, CTRACK_A_MAX_CONNS, READ_ONCE(cn->table.max))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return reply_send(msg, hdr, info);
}

/* Expectations. */

struct expect_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

static int expect_dump_one(const struct ct_expect *e, void *arg)
{
	struct expect_dump *d = arg;
	void *hdr;

	hdr = dump_put(d->skb, d->cb, CTRACK_CMD_EXPECT_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (put_expect(d->skb, e)) {
		genlmsg_cancel(d->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(d->skb, hdr);
	return 0;
}

/* cb->args[0] and [1]: the expectations' cursor. */
static int expect_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ct_cursor cur = { .bucket = cb->args[0], .below = cb->args[1] };
	struct expect_dump d = { .skb = skb, .cb = cb };
	int ret;

	ret = ct_expect_walk(cb_cn(cb), &cur, expect_dump_one, &d);
	cb->args[0] = cur.bucket;
	cb->args[1] = cur.below;
	if (ret && !skb->len)
		return -EMSGSIZE;
	return skb->len;
}

static int expect_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = reply_u32_new(info, &hdr);
	if (!msg)
		return -ENOMEM;
	return reply_u32_send(msg, hdr, info, CTRACK_A_COUNT,
			      ct_expect_flush(info_cn(info)));
}

/* Statistics: one message per possible CPU; cb->args[0] is the next CPU. */

static int put_stats(struct sk_buff *skb, unsigned int cpu,
		     const struct ct_stats *st)
{
	static const struct {
		int attr;
		size_t off;
	} fields[] = {
		{ CTRACK_A_STATS_FOUND, offsetof(struct ct_stats, found) },
		{ CTRACK_A_STATS_INVALID, offsetof(struct ct_stats, invalid) },
		{ CTRACK_A_STATS_INSERT, offsetof(struct ct_stats, insert) },
		{ CTRACK_A_STATS_INSERT_FAILED, offsetof(struct ct_stats, insert_failed) },
		{ CTRACK_A_STATS_DROP, offsetof(struct ct_stats, drop) },
		{ CTRACK_A_STATS_EARLY_DROP, offsetof(struct ct_stats, early_drop) },
		{ CTRACK_A_STATS_ERROR, offsetof(struct ct_stats, error) },
		{ CTRACK_A_STATS_EXPECT_NEW, offsetof(struct ct_stats, expect_new) },
		{ CTRACK_A_STATS_EXPECT_CREATE, offsetof(struct ct_stats, expect_create) },
		{ CTRACK_A_STATS_EXPECT_DELETE, offsetof(struct ct_stats, expect_delete) },
		{ CTRACK_A_STATS_SEARCH_RESTART, offsetof(struct ct_stats, search_restart) },
		{ CTRACK_A_STATS_CHAINTOOLONG, offsetof(struct ct_stats, chaintoolong) },
	};
	struct nlattr *nest = nla_nest_start(skb, CTRACK_A_STATS);
	unsigned int i;

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, CTRACK_A_STATS_CPU, cpu))
		goto err_nest;
	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		const u64 *v = (const void *)st + fields[i].off;

		if (nla_put_u64_64bit(skb, fields[i].attr, READ_ONCE(*v),
				      CTRACK_A_STATS_PAD))
			goto err_nest;
	}
	nla_nest_end(skb, nest);
	return 0;

err_nest:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int stats_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ct_net *cn = cb_cn(cb);
	unsigned int cpu;
	void *hdr;

	for (cpu = cb->args[0]; cpu < nr_cpu_ids; cpu++) {
		if (!cpu_possible(cpu))
			continue;
		hdr = dump_put(skb, cb, CTRACK_CMD_STATS_GET);
		if (!hdr)
			break;
		if (put_stats(skb, cpu, per_cpu_ptr(cn->stats, cpu))) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	cb->args[0] = cpu;
	return skb->len;
}

/* Timeouts. */

static int timeout_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ct_net *cn = info_cn(info);
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;
	int i;

	msg = reply_new(info, NLMSG_GOODSIZE, &hdr);
	if (!msg)
		return -ENOMEM;
	for (i = 0; i < __CTRACK_TO_MAX; i++) {
		nest = nla_nest_start(msg, CTRACK_A_TIMEOUT);
		if (!nest ||
		    nla_put_u32(msg, CTRACK_A_TIMEOUT_CLASS, i) ||
		    nla_put_u32(msg, CTRACK_A_TIMEOUT_SECONDS,
				READ_ONCE(cn->timeouts[i]))) {
			nlmsg_free(msg);
			return -EMSGSIZE;
		}
		nla_nest_end(msg, nest);
	}
	return reply_send(msg, hdr, info);
}

/*
 * The nest @attr of a request, which must be there and hold both @a and @b
 * (a name and its value): parsed into @tb, of @max + 1 entries.
 */
static int parse_pair(struct genl_info *info, int attr, struct nlattr **tb,
		      int max, const struct nla_policy *policy, int a, int b)
{
	const struct nlattr *nest = info->attrs[attr];
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, attr))
		return -EINVAL;
	ret = nla_parse_nested(tb, max, nest, policy, info->extack);
	if (ret)
		return ret;
	if (NL_REQ_ATTR_CHECK(info->extack, nest, tb, a) ||
	    NL_REQ_ATTR_CHECK(info->extack, nest, tb, b))
		return -EINVAL;
	return 0;
}

static int timeout_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[CTRACK_A_TIMEOUT_MAX + 1];
	struct ct_net *cn = info_cn(info);
	u32 class, secs;
	int ret;

	ret = parse_pair(info, CTRACK_A_TIMEOUT, tb, CTRACK_A_TIMEOUT_MAX,
			 timeout_policy, CTRACK_A_TIMEOUT_CLASS,
			 CTRACK_A_TIMEOUT_SECONDS);
	if (ret)
		return ret;
	class = nla_get_u32(tb[CTRACK_A_TIMEOUT_CLASS]);
	secs = nla_get_u32(tb[CTRACK_A_TIMEOUT_SECONDS]);
	/* Expiry is kept in 32-bit jiffies compared as signed. */
	if (!secs || secs > INT_MAX / HZ) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[CTRACK_A_TIMEOUT_SECONDS],
				    "timeout must be 1 .. 2^31/HZ seconds");
		return -ERANGE;
	}
	mutex_lock(&cn->cfg_lock);
	WRITE_ONCE(cn->timeouts[class], secs);
	mutex_unlock(&cn->cfg_lock);
	return 0;
}

/* Helpers. */

static int helper_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ct_net *cn = info_cn(info);
	unsigned int id, i;
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;
	u16 port;

	msg = reply_new(info, NLMSG_GOODSIZE, &hdr);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&cn->cfg_lock);
	for (id = 0; id < __CT_HELPER_MAX; id++) {
		for (i = 0; (port = ct_helper_port(cn, id, i)); i++) {
			nest = nla_nest_start(msg, CTRACK_A_HELPER);
			if (!nest ||
			    nla_put_string(msg, CTRACK_A_HELPER_NAME,
					   ct_helper_get(id)->name) ||
			    nla_put_u16(msg, CTRACK_A_HELPER_PORT, port)) {
				mutex_unlock(&cn->cfg_lock);
				nlmsg_free(msg);
				return -EMSGSIZE;
			}
			nla_nest_end(msg, nest);
		}
	}
	mutex_unlock(&cn->cfg_lock);
	return reply_send(msg, hdr, info);
}

static int helper_change(struct genl_info *info, bool add)
{
	struct nlattr *tb[CTRACK_A_HELPER_MAX + 1];
	struct netlink_ext_ack *extack = info->extack;
	struct ct_net *cn = info_cn(info);
	char name[HELPER_NAME_MAX];
	int ret, id;
	u16 port;

	ret = parse_pair(info, CTRACK_A_HELPER, tb, CTRACK_A_HELPER_MAX,
			 helper_policy, CTRACK_A_HELPER_NAME, CTRACK_A_HELPER_PORT);
	if (ret)
		return ret;
	nla_strscpy(name, tb[CTRACK_A_HELPER_NAME], sizeof(name));
	id = ct_helper_find(name);
	if (id < 0) {
		NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_HELPER_NAME],
				    "no helper of that name (ctrackctl helper list shows them)");
		return -EOPNOTSUPP;
	}
	port = nla_get_u16(tb[CTRACK_A_HELPER_PORT]);
	mutex_lock(&cn->cfg_lock);
	ret = add ? ct_helper_port_add(cn, id, port) :
		    ct_helper_port_del(cn, id, port);
	mutex_unlock(&cn->cfg_lock);
	if (ret == -EEXIST)
		NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_HELPER_PORT],
				    "the helper already watches this port");
	else if (ret == -ENOSPC)
		NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_HELPER_PORT],
				    "too many ports for this helper");
	else if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_HELPER_PORT],
				    "the helper does not watch this port");
	else if (ret)
		NL_SET_BAD_ATTR(extack, tb[CTRACK_A_HELPER_PORT]);
	return ret;
}

static int helper_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	return helper_change(info, true);
}

static int helper_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return helper_change(info, false);
}

/* Settings. */

static int put_setting(struct sk_buff *msg, const char *name, u32 value)
{
	struct nlattr *nest = nla_nest_start(msg, CTRACK_A_SETTING);

	if (!nest ||
	    nla_put_string(msg, CTRACK_A_SETTING_NAME, name) ||
	    nla_put_u32(msg, CTRACK_A_SETTING_VALUE, value))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int setting_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct ct_net *cn = info_cn(info);
	struct sk_buff *msg;
	void *hdr;

	msg = reply_new(info, NLMSG_GOODSIZE, &hdr);
	if (!msg)
		return -ENOMEM;
	if (put_setting(msg, "tcp_loose", READ_ONCE(cn->tcp_loose)) ||
	    put_setting(msg, "checksum", READ_ONCE(cn->checksum)) ||
	    put_setting(msg, "max_conns", READ_ONCE(cn->table.max)) ||
	    put_setting(msg, "buckets", cn->table.nbuckets) ||
	    put_setting(msg, "ctnetlink", ct_ctnetlink_active())) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return reply_send(msg, hdr, info);
}

#define CT_MAX_CONNS_LIMIT	BIT(28)	/* as the module parameter */

static int setting_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[CTRACK_A_SETTING_MAX + 1];
	struct netlink_ext_ack *extack = info->extack;
	struct ct_net *cn = info_cn(info);
	const struct nlattr *name;
	u32 value;
	int ret;

	ret = parse_pair(info, CTRACK_A_SETTING, tb, CTRACK_A_SETTING_MAX,
			 setting_policy, CTRACK_A_SETTING_NAME,
			 CTRACK_A_SETTING_VALUE);
	if (ret)
		return ret;
	name = tb[CTRACK_A_SETTING_NAME];
	value = nla_get_u32(tb[CTRACK_A_SETTING_VALUE]);

	if (!nla_strcmp(name, "tcp_loose") || !nla_strcmp(name, "checksum")) {
		bool is_checksum = !nla_strcmp(name, "checksum");
		bool *flag = is_checksum ? &cn->checksum : &cn->tcp_loose;

		if (value > 1) {
			if (is_checksum)
				NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_SETTING_VALUE],
						    "checksum is 0 or 1");
			else
				NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_SETTING_VALUE],
						    "tcp_loose is 0 or 1");
			return -EINVAL;
		}
		mutex_lock(&cn->cfg_lock);
		WRITE_ONCE(*flag, value);
		mutex_unlock(&cn->cfg_lock);
		return 0;
	}
	if (!nla_strcmp(name, "max_conns")) {
		if (!value || value > CT_MAX_CONNS_LIMIT) {
			NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_SETTING_VALUE],
					    "max_conns must be 1 .. 2^28");
			return -ERANGE;
		}
		/* The root of a user namespace must not size the host's memory. */
		if (value > ct_max_conns_default &&
		    !netlink_capable(skb, CAP_NET_ADMIN)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_SETTING_VALUE],
					    "raising max_conns above the module's default needs CAP_NET_ADMIN in the initial user namespace");
			return -EPERM;
		}
		mutex_lock(&cn->cfg_lock);
		WRITE_ONCE(cn->table.max, value);
		mutex_unlock(&cn->cfg_lock);
		return 0;
	}
	if (!nla_strcmp(name, "buckets")) {
		NL_SET_ERR_MSG_ATTR(extack, name,
				    "buckets is read-only (set it with the module parameter)");
		return -EOPNOTSUPP;
	}
	if (!nla_strcmp(name, "ctnetlink")) {
		NL_SET_ERR_MSG_ATTR(extack, name,
				    "ctnetlink is read-only (the module parameter, and whether nf_conntrack_netlink was there first)");
		return -EOPNOTSUPP;
	}
	NL_SET_ERR_MSG_ATTR(extack, name,
			    "unknown setting (tcp_loose, checksum, max_conns, buckets, ctnetlink)");
	return -EINVAL;
}

/* Events: the listener that gives them to the event group. */

static size_t tuple_size(void)
{
	return nla_total_size(0) + 2 * nla_total_size(sizeof(u8)) +
	       2 * nla_total_size(sizeof(struct in6_addr)) +
	       2 * nla_total_size(sizeof(u16));
}

static size_t event_header_size(void)
{
	return GENL_HDRLEN + nla_total_size(sizeof(u8)) +
	       nla_total_size_64bit(sizeof(u64));
}

static bool event_wanted(struct net *net)
{
	return genl_has_listeners(&ct_genl_family, net, CT_MCGRP_EVENTS);
}

static void *event_put(struct sk_buff *msg, u64 seq, enum ctrack_event type)
{
	void *hdr = genlmsg_put(msg, 0, 0, &ct_genl_family, 0, CTRACK_CMD_EVENT);

	if (!hdr ||
	    nla_put_u8(msg, CTRACK_A_EVENT_TYPE, type) ||
	    nla_put_u64_64bit(msg, CTRACK_A_EVENT_SEQ, seq, CTRACK_A_PAD))
		return NULL;
	return hdr;
}

static int event_fill_conn(struct sk_buff *msg, u64 seq, enum ctrack_event type,
			   const struct ct_conn *c)
{
	void *hdr = event_put(msg, seq, type);

	if (!hdr || put_conn(msg, c))
		return -EMSGSIZE;
	genlmsg_end(msg, hdr);
	return 0;
}

static int event_fill_expect(struct sk_buff *msg, u64 seq,
			     enum ctrack_event type, const struct ct_expect *e)
{
	void *hdr = event_put(msg, seq, type);

	if (!hdr || put_expect(msg, e))
		return -EMSGSIZE;
	genlmsg_end(msg, hdr);
	return 0;
}

static void event_send(struct net *net, struct sk_buff *msg)
{
	genlmsg_multicast_netns(&ct_genl_family, net, msg, 0,
				CT_MCGRP_EVENTS, GFP_ATOMIC);
}

/* The sizes are set before it is registered. */
static struct ct_event_listener event_listener __ro_after_init = {
	.wanted = event_wanted,
	.fill_conn = event_fill_conn,
	.fill_expect = event_fill_expect,
	.send = event_send,
};

/* The family. */

#define CT_OP(_cmd, _doit, _policy) {				\
	.cmd = (_cmd), .doit = (_doit), .policy = (_policy),	\
	.maxattr = CTRACK_A_MAX, .flags = GENL_UNS_ADMIN_PERM }
#define CT_DUMP(_cmd, _dumpit, _policy) {			\
	.cmd = (_cmd), .dumpit = (_dumpit), .policy = (_policy),	\
	.maxattr = CTRACK_A_MAX, .flags = GENL_UNS_ADMIN_PERM }

static const struct genl_ops ct_genl_ops[] = {
	CT_OP(CTRACK_CMD_RULE_ADD, ct_nl_rule_add, ct_rule_add_policy),
	CT_OP(CTRACK_CMD_RULE_DEL, ct_nl_rule_del, ct_rule_del_policy),
	CT_DUMP(CTRACK_CMD_RULE_GET, ct_nl_rule_get, ct_rule_get_policy),
	CT_OP(CTRACK_CMD_RULE_FLUSH, ct_nl_rule_flush, ct_rule_get_policy),
	CT_OP(CTRACK_CMD_POLICY_SET, ct_nl_policy_set, ct_rule_get_policy),
	CT_OP(CTRACK_CMD_RULESET_LOAD, ct_nl_ruleset_load, ct_ruleset_load_policy),
	{
		.cmd = CTRACK_CMD_CONN_GET,
		.doit = conn_get_doit,
		.start = conn_dump_start,
		.dumpit = conn_get_dumpit,
		.done = conn_dump_done,
		.policy = conn_policy,
		.maxattr = CTRACK_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	CT_OP(CTRACK_CMD_CONN_DEL, conn_del_doit, conn_policy),
	CT_OP(CTRACK_CMD_CONN_FLUSH, conn_flush_doit, none_policy),
	CT_OP(CTRACK_CMD_CONN_COUNT, conn_count_doit, none_policy),
	CT_DUMP(CTRACK_CMD_EXPECT_GET, expect_get_dumpit, none_policy),
	CT_OP(CTRACK_CMD_EXPECT_FLUSH, expect_flush_doit, none_policy),
	CT_DUMP(CTRACK_CMD_STATS_GET, stats_get_dumpit, none_policy),
	CT_OP(CTRACK_CMD_TIMEOUT_GET, timeout_get_doit, none_policy),
	CT_OP(CTRACK_CMD_TIMEOUT_SET, timeout_set_doit, timeout_set_policy),
	CT_OP(CTRACK_CMD_HELPER_GET, helper_get_doit, none_policy),
	CT_OP(CTRACK_CMD_HELPER_ADD, helper_add_doit, helper_set_policy),
	CT_OP(CTRACK_CMD_HELPER_DEL, helper_del_doit, helper_set_policy),
	CT_OP(CTRACK_CMD_SETTING_GET, setting_get_doit, none_policy),
	CT_OP(CTRACK_CMD_SETTING_SET, setting_set_doit, setting_set_policy),
	CT_OP(CTRACK_CMD_SET_ADD, ct_nl_set_add, ct_set_cmd_policy),
	CT_OP(CTRACK_CMD_SET_DEL, ct_nl_set_del, ct_set_cmd_policy),
	CT_DUMP(CTRACK_CMD_SET_GET, ct_nl_set_get, ct_set_cmd_policy),
	CT_OP(CTRACK_CMD_ELEM_ADD, ct_nl_elem_add, ct_set_cmd_policy),
	CT_OP(CTRACK_CMD_ELEM_DEL, ct_nl_elem_del, ct_set_cmd_policy),
};

/*
 * Events reveal connections: joining needs CAP_NET_ADMIN in the
 * namespace's user namespace. The flag came with 6.7 and was backported to
 * the 6.1 and 6.6 stable series (Debian 12's 6.1 has it). Older kernels
 * have neither it nor a bind callback in which to check, so they would
 * open the group to every user: ctrack does not build there.
 */
#ifndef GENL_MCAST_CAP_NET_ADMIN
#error "ctrack needs GENL_MCAST_CAP_NET_ADMIN (Linux 6.7; 6.1 and 6.6 stable)"
#endif

static const struct genl_multicast_group ct_genl_mcgrps[] = {
	[CT_MCGRP_EVENTS] = { .name = CTRACK_MCGRP_EVENTS,
			      .flags = GENL_MCAST_CAP_NET_ADMIN },
};

struct genl_family ct_genl_family __ro_after_init = {
	.name = CTRACK_GENL_NAME,
	.version = CTRACK_GENL_VERSION,
	.netnsok = true,
	.parallel_ops = false,
	.module = THIS_MODULE,
	.ops = ct_genl_ops,
	.n_ops = ARRAY_SIZE(ct_genl_ops),
	.mcgrps = ct_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(ct_genl_mcgrps),
};

int __init ct_netlink_init(void)
{
	int ret;

	event_listener.conn_size = event_header_size() + nla_total_size(0) +
		2 * tuple_size() + nla_total_size(sizeof(u8)) +
		2 * nla_total_size(sizeof(u32)) +
		4 * nla_total_size_64bit(sizeof(u64)) +
		nla_total_size(HELPER_NAME_MAX);
	event_listener.expect_size = event_header_size() + nla_total_size(0) +
		2 * tuple_size() + nla_total_size(sizeof(u32)) +
		nla_total_size(HELPER_NAME_MAX);
	ret = genl_register_family(&ct_genl_family);
	if (ret)
		return ret;
	ret = ct_events_register(&event_listener);
	if (ret)
		genl_unregister_family(&ct_genl_family);
	return ret;
}

/*
 * Before the hooks go: the group's id is only valid while the family is
 * registered, so the listener goes first; unregistering the family waits
 * for the commands in flight.
 */
void ct_netlink_exit(void)
{
	ct_events_unregister(&event_listener);
	genl_unregister_family(&ct_genl_family);
}
