// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite ctrack_tftp: the opcode reader, and the TFTP helper on real
 * IPv4 and IPv6 skbs: a read or write request from client:cport to
 * server:69 expects the server's answer from any port to client:cport,
 * nothing else does, and only UDP connections to a listed port are
 * watched.
 */
#include <kunit/test.h>
#include <linux/inet.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/udp.h>
#include <net/ipv6.h>
#include "netns.h"
#include "conn.h"
#include "env.h"
#include "table.h"
#include "expect.h"
#include "helper.h"
#include "tftp.h"

#define V4 NFPROTO_IPV4
#define V6 NFPROTO_IPV6

#define CPORT		40000
#define TIMEOUT_J	(300U * HZ)

#define STAT_SUM(cn, field) ({					\
	u64 __sum = 0;						\
	int __cpu;						\
	for_each_possible_cpu(__cpu)				\
		__sum += per_cpu_ptr((cn)->stats, __cpu)->field;	\
	__sum;							\
})

/* ---- the opcode ---- */

struct opcode_case {
	const char *desc;
	u8 data[8];
	unsigned int len;
	int opcode;
};

static const struct opcode_case opcode_cases[] = {
	{ "empty", { }, 0, -EINVAL },
	{ "one_byte", { 0x00 }, 1, -EINVAL },
	{ "one_byte_of_rrq", { 0x00, 0x01 }, 1, -EINVAL },
	{ "rrq", { 0x00, 0x01, 'f', 0, 'o', 'c', 't', 0 }, 8, CT_TFTP_RRQ },
	{ "wrq", { 0x00, 0x02, 'f', 0, 'o', 'c', 't', 0 }, 8, CT_TFTP_WRQ },
	{ "rrq_just_the_opcode", { 0x00, 0x01 }, 2, CT_TFTP_RRQ },
	{ "data", { 0x00, 0x03, 0x00, 0x01, 'x' }, 5, CT_TFTP_DATA },
	{ "ack", { 0x00, 0x04, 0x00, 0x01 }, 4, CT_TFTP_ACK },
	{ "error", { 0x00, 0x05, 0x00, 0x01, 0 }, 5, CT_TFTP_ERROR },
	{ "oack", { 0x00, 0x06, 'b', 0, '8', 0 }, 6, CT_TFTP_OACK },
	{ "zero", { 0x00, 0x00 }, 2, 0 },
	{ "big_endian", { 0x01, 0x00 }, 2, 256 },
	{ "big", { 0xff, 0xfe }, 2, 0xfffe },
	{ "max", { 0xff, 0xff, 0xff }, 3, 0xffff },
};

static void opcode_case_desc(const struct opcode_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(opcode, opcode_cases, opcode_case_desc);

static void opcode_is_the_first_two_bytes(struct kunit *test)
{
	const struct opcode_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, ct_tftp_opcode(c->data, c->len), c->opcode);
}

static void opcode_of_nothing_reads_nothing(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ct_tftp_opcode(NULL, 0), -EINVAL);
}

/* ---- the helper on skbs ---- */

struct addrs {
	u8 l3;
	const char *client;
	const char *server;
	const char *other;	/* a third host */
};

static const struct addrs addrs4 = { V4, "10.0.1.2", "10.0.2.2", "10.0.2.3" };
static const struct addrs addrs6 = { V6, "fd00:1::2", "fd00:2::2", "fd00:2::3" };
static const struct addrs *const families[] = { &addrs4, &addrs6 };

struct env {
	struct ct_net *cn;
	const struct addrs *a;
	struct ct_conn *conns[4];
	unsigned int nconns;
};

static void env_free(void *arg)
{
	struct env *env = arg;
	unsigned int i;

	for (i = 0; i < env->nconns; i++) {
		ct_expect_conn_gone(env->cn, env->conns[i]);
		ct_conn_free(env->conns[i]);
	}
}

/* A namespace whose only helper port is TFTP's 69. */
static struct env *env_new(struct kunit *test, const struct addrs *a)
{
	static const u16 tftp[] = { 69, 0 };
	struct env *env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	struct ct_net *cn;

	KUNIT_ASSERT_NOT_NULL(test, env);
	cn = ct_test_expect_net(test, CT_HELPER_TFTP, tftp);
	env->cn = cn;
	env->a = a;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, env_free, env), 0);
	KUNIT_EXPECT_EQ(test, ct_helper_port(cn, CT_HELPER_TFTP, 0), 69);
	KUNIT_EXPECT_EQ(test, ct_helper_port(cn, CT_HELPER_TFTP, 1), 0);
	KUNIT_EXPECT_EQ(test, ct_helper_port(cn, CT_HELPER_FTP, 0), 0);
	return env;
}

static void set_addr(struct kunit *test, u8 l3, const char *s, union ct_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (l3 == V4)
		KUNIT_ASSERT_EQ(test, in4_pton(s, -1, (u8 *)&a->ip, -1, NULL), 1);
	else
		KUNIT_ASSERT_EQ(test, in6_pton(s, -1, a->in6.s6_addr, -1, NULL), 1);
}

static void set_tuple(struct kunit *test, struct ct_tuple *t, u8 l3, u8 proto,
		      const char *src, u16 sport, const char *dst, u16 dport)
{
	memset(t, 0, sizeof(*t));
	t->l3 = l3;
	t->proto = proto;
	set_addr(test, l3, src, &t->src);
	set_addr(test, l3, dst, &t->dst);
	t->sport = htons(sport);
	t->dport = htons(dport);
}

/*
 * A new connection client:@cport -> server:@dport, offered to the
 * helpers as the hooks do once the rules accepted its first packet;
 * env_free() frees it.
 */
static struct ct_conn *conn_new(struct kunit *test, struct env *env, u8 proto,
				u16 cport, u16 dport)
{
	struct ct_tuple t;
	struct ct_conn *c;
	int ret;

	KUNIT_ASSERT_LT(test, env->nconns, ARRAY_SIZE(env->conns));
	set_tuple(test, &t, env->a->l3, proto, env->a->client, cport,
		  env->a->server, dport);
	c = ct_conn_alloc(&t, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	env->conns[env->nconns++] = c;
	rcu_read_lock();
	ret = ct_helper_attach(env->cn, c);
	rcu_read_unlock();
	KUNIT_ASSERT_EQ(test, ret, 0);
	return c;
}

static bool watched_by_tftp(struct ct_conn *c)
{
	const char *name;

	rcu_read_lock();
	name = ct_helper_name(c);
	rcu_read_unlock();
	return test_bit(CTRACK_S_HELPER, &c->status) &&
	       rcu_access_pointer(c->ext) && name && !strcmp(name, "tftp");
}

/* Where a hop-by-hop options header goes in IPv6 packets: 8 bytes, PadN. */
static const u8 hbh_pad[8] = { IPPROTO_UDP, 0, 1, 4, 0, 0, 0, 0 };

/*
 * An IP packet @src:@sport -> @dst:@dport carrying UDP with @len bytes
 * of @payload, parsed as the hooks parse it into @pkt.
 */
static struct sk_buff *udp_skb(struct kunit *test, u8 l3, bool hbh,
			       const char *src, u16 sport,
			       const char *dst, u16 dport,
			       const void *payload, unsigned int len,
			       struct ct_pkt *pkt)
{
	unsigned int ulen = sizeof(struct udphdr) + len;
	union ct_addr s, d;
	struct sk_buff *skb;
	struct udphdr *uh;

	set_addr(test, l3, src, &s);
	set_addr(test, l3, dst, &d);
	skb = alloc_skb(sizeof(struct ipv6hdr) + sizeof(hbh_pad) + ulen, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	if (l3 == V4) {
		struct iphdr *iph = skb_put_zero(skb, sizeof(*iph));

		iph->version = 4;
		iph->ihl = 5;
		iph->tot_len = htons(sizeof(*iph) + ulen);
		iph->ttl = 64;
		iph->protocol = IPPROTO_UDP;
		iph->saddr = s.ip;
		iph->daddr = d.ip;
	} else {
		struct ipv6hdr *ip6h = skb_put_zero(skb, sizeof(*ip6h));

		ip6h->version = 6;
		ip6h->payload_len = htons((hbh ? sizeof(hbh_pad) : 0) + ulen);
		ip6h->nexthdr = hbh ? NEXTHDR_HOP : IPPROTO_UDP;
		ip6h->hop_limit = 64;
		ip6h->saddr = s.in6;
		ip6h->daddr = d.in6;
		if (hbh)
			skb_put_data(skb, hbh_pad, sizeof(hbh_pad));
	}
	uh = skb_put_zero(skb, sizeof(*uh));
	uh->source = htons(sport);
	uh->dest = htons(dport);
	uh->len = htons(ulen);
	skb_put_data(skb, payload, len);
	skb_reset_network_header(skb);
	if (ct_tuple_parse(skb, 0, l3, pkt) != CT_PARSE_OK) {
		kfree_skb(skb);
		KUNIT_FAIL_AND_ABORT(test, "ct_tuple_parse refused the packet");
	}
	return skb;
}

/* The packet @skb of @c, in direction @dir, through the helpers. */
static void feed(struct env *env, struct ct_conn *c, int dir,
		 struct sk_buff *skb, const struct ct_pkt *pkt, u32 now)
{
	rcu_read_lock();
	ct_helper_packet(env->cn, c, dir, skb, pkt, now);
	rcu_read_unlock();
	kfree_skb(skb);
}

/* @len bytes of @payload sent on @c in direction @dir. */
static void send_pkt(struct kunit *test, struct env *env, struct ct_conn *c,
		     int dir, bool hbh, const void *payload, unsigned int len,
		     u32 now)
{
	u16 cport = ntohs(c->tuple.sport), sport = ntohs(c->tuple.dport);
	const struct addrs *a = env->a;
	struct sk_buff *skb;
	struct ct_pkt pkt;

	if (dir == CT_DIR_ORIGINAL)
		skb = udp_skb(test, a->l3, hbh, a->client, cport, a->server,
			      sport, payload, len, &pkt);
	else
		skb = udp_skb(test, a->l3, hbh, a->server, sport, a->client,
			      cport, payload, len, &pkt);
	feed(env, c, dir, skb, &pkt, now);
}

/* The expectation a UDP packet @from:@sport -> @to:@dport would fulfil. */
static struct ct_expect *find(struct kunit *test, struct env *env, u8 proto,
			      const char *from, u16 sport, const char *to,
			      u16 dport, u32 now)
{
	struct ct_expect *e;
	struct ct_tuple t;

	set_tuple(test, &t, env->a->l3, proto, from, sport, to, dport);
	rcu_read_lock();
	e = ct_expect_find(env->cn, &t, now);
	rcu_read_unlock();
	return e;
}

/* A reply from the server's new port @sport to the client's @dport. */
static struct ct_expect *find_reply(struct kunit *test, struct env *env,
				    u16 sport, u16 dport, u32 now)
{
	return find(test, env, IPPROTO_UDP, env->a->server, sport,
		    env->a->client, dport, now);
}

#define PL_RRQ	"\0\1file.bin\0octet\0"
#define PL_WRQ	"\0\2file.bin\0octet\0"
#define PL_DATA	"\0\3\0\1some data"
#define PL_ACK	"\0\4\0\1"
#define PL_ERROR	"\0\5\0\1File not found\0"
/* octal escapes take at most three digits: \000 then "1428" */
#define PL_OACK	"\0\6blksize\0001428\0"

struct pkt_case {
	const char *desc;
	int dir;
	const char *payload;
	unsigned int len;
	bool hbh;		/* IPv6 only: behind a hop-by-hop options header */
	bool expects;
};

#define P(d, dir, p, e)		{ d, dir, p, sizeof(p) - 1, false, e }

static const struct pkt_case pkt_cases[] = {
	P("rrq", CT_DIR_ORIGINAL, PL_RRQ, true),
	P("wrq", CT_DIR_ORIGINAL, PL_WRQ, true),
	P("rrq_opcode_only", CT_DIR_ORIGINAL, "\0\1", true),
	{ "rrq_behind_hop_by_hop", CT_DIR_ORIGINAL, PL_RRQ, sizeof(PL_RRQ) - 1,
	  true, true },
	P("data", CT_DIR_ORIGINAL, PL_DATA, false),
	P("ack", CT_DIR_ORIGINAL, PL_ACK, false),
	P("error", CT_DIR_ORIGINAL, PL_ERROR, false),
	P("oack", CT_DIR_ORIGINAL, PL_OACK, false),
	P("opcode_zero", CT_DIR_ORIGINAL, "\0\0file.bin\0", false),
	P("opcode_257", CT_DIR_ORIGINAL, "\1\1file.bin\0", false),
	P("opcode_big", CT_DIR_ORIGINAL, "\377\376file.bin\0", false),
	P("rrq_from_the_server", CT_DIR_REPLY, PL_RRQ, false),
	P("wrq_from_the_server", CT_DIR_REPLY, PL_WRQ, false),
	P("one_byte", CT_DIR_ORIGINAL, "\0", false),
	P("empty", CT_DIR_ORIGINAL, "", false),
};

/* Each case for IPv4 and for IPv6: rrq_v4, rrq_v6, wrq_v4, ... */
struct pkt_param {
	const struct pkt_case *c;
	const struct addrs *a;
};

static struct pkt_param pkt_params[2 * ARRAY_SIZE(pkt_cases)];

static const void *pkt_gen_params(const void *prev, char *desc)
{
	const struct pkt_param *p = prev;
	unsigned int i = p ? p - pkt_params + 1 : 0;

	if (i >= ARRAY_SIZE(pkt_params))
		return NULL;
	pkt_params[i].c = &pkt_cases[i / 2];
	pkt_params[i].a = families[i % 2];
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s_%s", pkt_cases[i / 2].desc,
		 i % 2 ? "v6" : "v4");
	return &pkt_params[i];
}

static void only_a_request_expects_the_servers_reply(struct kunit *test)
{
	const struct pkt_param *pp = test->param_value;
	const struct pkt_case *pc = pp->c;
	const struct addrs *a = pp->a;
	struct env *env;
	struct ct_conn *c;
	struct ct_expect *e;

	if (pc->hbh && a->l3 != V6)
		kunit_skip(test, "IPv6 only");
	env = env_new(test, a);
	c = conn_new(test, env, IPPROTO_UDP, CPORT, 69);
	KUNIT_ASSERT_TRUE(test, watched_by_tftp(c));
	send_pkt(test, env, c, pc->dir, pc->hbh, pc->payload, pc->len, 1000);
	if (!pc->expects) {
		KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 0);
		KUNIT_EXPECT_EQ(test, STAT_SUM(env->cn, expect_create), 0);
		return;
	}
	KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 1);
	KUNIT_EXPECT_EQ(test, STAT_SUM(env->cn, expect_create), 1);
	/* the server answers from a port of its choosing */
	e = find_reply(test, env, 50123, CPORT, 1000);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, ntohs(e->tuple.sport), 0);
	KUNIT_EXPECT_EQ(test, e->tuple.proto, IPPROTO_UDP);
	KUNIT_EXPECT_EQ(test, e->tuple.l3, a->l3);
	KUNIT_EXPECT_MEMEQ(test, &e->master, &c->tuple, sizeof(c->tuple));
	KUNIT_EXPECT_EQ(test, e->expires, 1000 + TIMEOUT_J);
	KUNIT_EXPECT_NOT_NULL(test, find_reply(test, env, 1, CPORT, 1000));
	KUNIT_EXPECT_NOT_NULL(test, find_reply(test, env, 65535, CPORT, 1000));
	/* nothing else */
	KUNIT_EXPECT_NULL(test, find_reply(test, env, 50123, CPORT + 1, 1000));
	KUNIT_EXPECT_NULL(test, find_reply(test, env, 50123, 69, 1000));
	KUNIT_EXPECT_NULL(test, find(test, env, IPPROTO_TCP, a->server, 50123,
				     a->client, CPORT, 1000));
	KUNIT_EXPECT_NULL(test, find(test, env, IPPROTO_UDP, a->other, 50123,
				     a->client, CPORT, 1000));
	KUNIT_EXPECT_NULL(test, find(test, env, IPPROTO_UDP, a->client, CPORT,
				     a->server, 50123, 1000));
	KUNIT_EXPECT_NULL(test, find_reply(test, env, 50123, CPORT,
					   1000 + TIMEOUT_J));
}

/* A client that retries its request refreshes its one expectation. */
static void retried_request_refreshes(struct kunit *test)
{
	struct env *env = env_new(test, &addrs4);
	struct ct_conn *c = conn_new(test, env, IPPROTO_UDP, CPORT, 69);
	struct ct_expect *e;

	send_pkt(test, env, c, CT_DIR_ORIGINAL, false, PL_RRQ, sizeof(PL_RRQ) - 1, 1000);
	send_pkt(test, env, c, CT_DIR_ORIGINAL, false, PL_RRQ, sizeof(PL_RRQ) - 1, 6000);
	KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 1);
	KUNIT_EXPECT_EQ(test, STAT_SUM(env->cn, expect_create), 1);
	e = find_reply(test, env, 50123, CPORT, 6000);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, e->expires, 6000 + TIMEOUT_J);
}

/* Two clients at once: each expects its own reply. */
static void two_clients_two_expectations(struct kunit *test)
{
	struct env *env = env_new(test, &addrs6);
	struct ct_conn *c1 = conn_new(test, env, IPPROTO_UDP, CPORT, 69);
	struct ct_conn *c2 = conn_new(test, env, IPPROTO_UDP, CPORT + 7, 69);
	struct ct_expect *e1, *e2;

	send_pkt(test, env, c1, CT_DIR_ORIGINAL, false, PL_RRQ, sizeof(PL_RRQ) - 1, 1000);
	send_pkt(test, env, c2, CT_DIR_ORIGINAL, false, PL_WRQ, sizeof(PL_WRQ) - 1, 1000);
	KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 2);
	e1 = find_reply(test, env, 50123, CPORT, 1000);
	e2 = find_reply(test, env, 50124, CPORT + 7, 1000);
	KUNIT_ASSERT_NOT_NULL(test, e1);
	KUNIT_ASSERT_NOT_NULL(test, e2);
	KUNIT_EXPECT_MEMEQ(test, &e1->master, &c1->tuple, sizeof(c1->tuple));
	KUNIT_EXPECT_MEMEQ(test, &e2->master, &c2->tuple, sizeof(c2->tuple));
}

/*
 * The IP header promises two payload bytes the skb does not have: the
 * helper reads nothing past its end, and expects nothing.
 */
static void short_skb_is_not_read_past_its_end(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(families); i++) {
		const struct addrs *a = families[i];
		struct env *env = env_new(test, a);
		struct ct_conn *c = conn_new(test, env, IPPROTO_UDP, CPORT, 69);
		struct sk_buff *skb;
		struct ct_pkt pkt;

		skb = udp_skb(test, a->l3, false, a->client, CPORT, a->server, 69,
			      "\x00\x01", 2, &pkt);
		skb_trim(skb, skb->len - 1);
		KUNIT_EXPECT_EQ(test, pkt.l4len, sizeof(struct udphdr) + 2);
		feed(env, c, CT_DIR_ORIGINAL, skb, &pkt, 1000);
		KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 0);
	}
}

/* The master is gone: a request still in flight for it adds nothing. */
static void request_after_master_gone_expects_nothing(struct kunit *test)
{
	struct env *env = env_new(test, &addrs4);
	struct ct_conn *c = conn_new(test, env, IPPROTO_UDP, CPORT, 69);

	send_pkt(test, env, c, CT_DIR_ORIGINAL, false, PL_RRQ, sizeof(PL_RRQ) - 1, 1000);
	KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 1);
	ct_expect_conn_gone(env->cn, c);
	KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 0);
	send_pkt(test, env, c, CT_DIR_ORIGINAL, false, PL_RRQ, sizeof(PL_RRQ) - 1, 1001);
	KUNIT_EXPECT_EQ(test, ct_expect_count(env->cn), 0);
}

/* ---- which connections are watched ---- */

static void only_udp_to_a_listed_port_is_watched(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(families); i++) {
		struct env *env = env_new(test, families[i]);
		struct ct_conn *c;

		c = conn_new(test, env, IPPROTO_UDP, CPORT, 69);
		KUNIT_EXPECT_TRUE(test, watched_by_tftp(c));
		c = conn_new(test, env, IPPROTO_UDP, CPORT, 70);
		KUNIT_EXPECT_FALSE(test, test_bit(CTRACK_S_HELPER, &c->status));
		KUNIT_EXPECT_NULL(test, rcu_access_pointer(c->ext));
		c = conn_new(test, env, IPPROTO_TCP, CPORT, 69);
		KUNIT_EXPECT_FALSE(test, test_bit(CTRACK_S_HELPER, &c->status));
		KUNIT_EXPECT_NULL(test, rcu_access_pointer(c->ext));
		/* the client's port is no server port */
		c = conn_new(test, env, IPPROTO_UDP, 69, 40000);
		KUNIT_EXPECT_FALSE(test, test_bit(CTRACK_S_HELPER, &c->status));
		KUNIT_EXPECT_NULL(test, rcu_access_pointer(c->ext));
	}
}

static void port_delete_and_add_change_what_is_watched(struct kunit *test)
{
	struct env *env = env_new(test, &addrs4);
	struct ct_net *cn = env->cn;
	struct ct_conn *c;

	mutex_lock(&cn->cfg_lock);
	KUNIT_EXPECT_EQ(test, ct_helper_port_add(cn, CT_HELPER_TFTP, 69), -EEXIST);
	KUNIT_EXPECT_EQ(test, ct_helper_port_del(cn, CT_HELPER_TFTP, 69), 0);
	KUNIT_EXPECT_EQ(test, ct_helper_port_del(cn, CT_HELPER_TFTP, 69), -ENOENT);
	KUNIT_EXPECT_EQ(test, ct_helper_port(cn, CT_HELPER_TFTP, 0), 0);
	mutex_unlock(&cn->cfg_lock);
	c = conn_new(test, env, IPPROTO_UDP, CPORT, 69);
	KUNIT_EXPECT_FALSE(test, test_bit(CTRACK_S_HELPER, &c->status));
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(c->ext));

	mutex_lock(&cn->cfg_lock);
	KUNIT_EXPECT_EQ(test, ct_helper_port_add(cn, CT_HELPER_TFTP, 6969), 0);
	mutex_unlock(&cn->cfg_lock);
	c = conn_new(test, env, IPPROTO_UDP, CPORT + 1, 69);
	KUNIT_EXPECT_FALSE(test, test_bit(CTRACK_S_HELPER, &c->status));
	c = conn_new(test, env, IPPROTO_UDP, CPORT + 2, 6969);
	KUNIT_EXPECT_TRUE(test, watched_by_tftp(c));
	send_pkt(test, env, c, CT_DIR_ORIGINAL, false, PL_RRQ, sizeof(PL_RRQ) - 1, 1000);
	KUNIT_EXPECT_NOT_NULL(test, find_reply(test, env, 50123, CPORT + 2, 1000));
}

static void helper_is_registered_as_tftp(struct kunit *test)
{
	const struct ct_helper *h = ct_helper_get(CT_HELPER_TFTP);

	KUNIT_ASSERT_PTR_EQ(test, h, &ct_helper_tftp);
	KUNIT_EXPECT_STREQ(test, h->name, "tftp");
	KUNIT_EXPECT_EQ(test, h->proto, IPPROTO_UDP);
	KUNIT_EXPECT_EQ(test, h->state_size, 0);
	KUNIT_EXPECT_NOT_NULL(test, h->packet);
	KUNIT_EXPECT_EQ(test, ct_helper_find("tftp"), CT_HELPER_TFTP);
}

static struct kunit_case ctrack_tftp_cases[] = {
	KUNIT_CASE_PARAM(opcode_is_the_first_two_bytes, opcode_gen_params),
	KUNIT_CASE(opcode_of_nothing_reads_nothing),
	KUNIT_CASE_PARAM(only_a_request_expects_the_servers_reply, pkt_gen_params),
	KUNIT_CASE(retried_request_refreshes),
	KUNIT_CASE(two_clients_two_expectations),
	KUNIT_CASE(short_skb_is_not_read_past_its_end),
	KUNIT_CASE(request_after_master_gone_expects_nothing),
	KUNIT_CASE(only_udp_to_a_listed_port_is_watched),
	KUNIT_CASE(port_delete_and_add_change_what_is_watched),
	KUNIT_CASE(helper_is_registered_as_tftp),
	{}
};

static struct kunit_suite ctrack_tftp_suite = {
	.name = "ctrack_tftp",
	.test_cases = ctrack_tftp_cases,
};
kunit_test_suites(&ctrack_tftp_suite);
