// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink attributes -> structs -> text. The connection line follows
 * /proc/net/nf_conntrack field for field so that existing parsers work.
 */
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include "ctrackctl.h"

/* Expected payload length per attribute: 1/2/4/8, or one of these. */
#define L_ANY	0
#define L_ADDR	100	/* 4 or 16 */
#define L_STR	101	/* NUL-terminated */
#define L_NEST	102

/*
 * Parses a nest into tb[], refusing attributes of the wrong size so the
 * printers never read past what the kernel sent.
 */
static int parse_nest(const struct nlattr *nest, const struct nlattr **tb, int max,
		      const uint8_t *lens)
{
	const struct nlattr *a;

	memset(tb, 0, sizeof(*tb) * (max + 1));
	mnl_attr_for_each_nested(a, nest) {
		uint16_t type = mnl_attr_get_type(a);
		uint16_t len = mnl_attr_get_payload_len(a);

		if (type > max)
			continue;	/* newer kernel: ignore what we do not know */
		switch (lens[type]) {
		case L_ANY:
		case L_NEST:
			break;
		case L_ADDR:
			if (len != 4 && len != 16)
				return -1;
			break;
		case L_STR:
			if (!len || ((const char *)mnl_attr_get_payload(a))[len - 1])
				return -1;
			break;
		default:
			if (len != lens[type])
				return -1;
		}
		tb[type] = a;
	}
	return 0;
}

static const uint8_t tuple_lens[CTRACK_A_TUPLE_MAX + 1] = {
	[CTRACK_A_TUPLE_FAMILY] = 1, [CTRACK_A_TUPLE_PROTO] = 1,
	[CTRACK_A_TUPLE_SRC] = L_ADDR, [CTRACK_A_TUPLE_DST] = L_ADDR,
	[CTRACK_A_TUPLE_SPORT] = 2, [CTRACK_A_TUPLE_DPORT] = 2,
};

int ct_tuple_from_attr(const struct nlattr *nest, struct ct_tuple *t)
{
	const struct nlattr *tb[CTRACK_A_TUPLE_MAX + 1];

	memset(t, 0, sizeof(*t));
	if (parse_nest(nest, tb, CTRACK_A_TUPLE_MAX, tuple_lens))
		return -1;
	if (tb[CTRACK_A_TUPLE_FAMILY])
		t->family = mnl_attr_get_u8(tb[CTRACK_A_TUPLE_FAMILY]);
	else if (tb[CTRACK_A_TUPLE_SRC])
		t->family = mnl_attr_get_payload_len(tb[CTRACK_A_TUPLE_SRC]) == 16 ?
			    NFPROTO_IPV6 : NFPROTO_IPV4;
	if (tb[CTRACK_A_TUPLE_PROTO])
		t->proto = mnl_attr_get_u8(tb[CTRACK_A_TUPLE_PROTO]);
	for (int i = CTRACK_A_TUPLE_SRC; i <= CTRACK_A_TUPLE_DST; i++) {
		uint8_t *dst = i == CTRACK_A_TUPLE_SRC ? t->src : t->dst;
		uint16_t len;

		if (!tb[i])
			continue;
		len = mnl_attr_get_payload_len(tb[i]);
		if (len != (t->family == NFPROTO_IPV6 ? 16 : 4))
			return -1;
		memcpy(dst, mnl_attr_get_payload(tb[i]), len);
	}
	if (tb[CTRACK_A_TUPLE_SPORT])
		t->sport = mnl_attr_get_u16(tb[CTRACK_A_TUPLE_SPORT]);
	if (tb[CTRACK_A_TUPLE_DPORT])
		t->dport = mnl_attr_get_u16(tb[CTRACK_A_TUPLE_DPORT]);
	return 0;
}

static const uint8_t conn_lens[CTRACK_A_CONN_MAX + 1] = {
	[CTRACK_A_CONN_ORIG] = L_NEST, [CTRACK_A_CONN_STATE] = 1,
	[CTRACK_A_CONN_STATUS] = 4, [CTRACK_A_CONN_TIMEOUT] = 4,
	[CTRACK_A_CONN_PACKETS_ORIG] = 8, [CTRACK_A_CONN_BYTES_ORIG] = 8,
	[CTRACK_A_CONN_PACKETS_REPLY] = 8, [CTRACK_A_CONN_BYTES_REPLY] = 8,
	[CTRACK_A_CONN_MASTER] = L_NEST, [CTRACK_A_CONN_HELPER] = L_STR,
};

int ct_conn_from_attr(const struct nlattr *nest, struct ct_conn *c)
{
	const struct nlattr *tb[CTRACK_A_CONN_MAX + 1];

	memset(c, 0, sizeof(*c));
	if (parse_nest(nest, tb, CTRACK_A_CONN_MAX, conn_lens) || !tb[CTRACK_A_CONN_ORIG] ||
	    ct_tuple_from_attr(tb[CTRACK_A_CONN_ORIG], &c->orig))
		return -1;
	if (tb[CTRACK_A_CONN_MASTER]) {
		if (ct_tuple_from_attr(tb[CTRACK_A_CONN_MASTER], &c->master))
			return -1;
		c->has_master = true;
	}
	if (tb[CTRACK_A_CONN_STATE]) {
		c->state = mnl_attr_get_u8(tb[CTRACK_A_CONN_STATE]);
		c->has_state = true;
	}
	if (tb[CTRACK_A_CONN_STATUS])
		c->status = mnl_attr_get_u32(tb[CTRACK_A_CONN_STATUS]);
	if (tb[CTRACK_A_CONN_TIMEOUT])
		c->timeout = mnl_attr_get_u32(tb[CTRACK_A_CONN_TIMEOUT]);
	if (tb[CTRACK_A_CONN_PACKETS_ORIG] || tb[CTRACK_A_CONN_BYTES_ORIG])
		c->has_acct = true;
	if (tb[CTRACK_A_CONN_PACKETS_ORIG])
		c->packets[0] = mnl_attr_get_u64(tb[CTRACK_A_CONN_PACKETS_ORIG]);
	if (tb[CTRACK_A_CONN_BYTES_ORIG])
		c->bytes[0] = mnl_attr_get_u64(tb[CTRACK_A_CONN_BYTES_ORIG]);
	if (tb[CTRACK_A_CONN_PACKETS_REPLY])
		c->packets[1] = mnl_attr_get_u64(tb[CTRACK_A_CONN_PACKETS_REPLY]);
	if (tb[CTRACK_A_CONN_BYTES_REPLY])
		c->bytes[1] = mnl_attr_get_u64(tb[CTRACK_A_CONN_BYTES_REPLY]);
	if (tb[CTRACK_A_CONN_HELPER])
		snprintf(c->helper, sizeof(c->helper), "%s",
			 mnl_attr_get_str(tb[CTRACK_A_CONN_HELPER]));
	return 0;
}

static const uint8_t expect_lens[CTRACK_A_EXPECT_MAX + 1] = {
	[CTRACK_A_EXPECT_TUPLE] = L_NEST, [CTRACK_A_EXPECT_MASTER] = L_NEST,
	[CTRACK_A_EXPECT_TIMEOUT] = 4, [CTRACK_A_EXPECT_HELPER] = L_STR,
};

int ct_expect_from_attr(const struct nlattr *nest, struct ct_expect *e)
{
	const struct nlattr *tb[CTRACK_A_EXPECT_MAX + 1];

	memset(e, 0, sizeof(*e));
	if (parse_nest(nest, tb, CTRACK_A_EXPECT_MAX, expect_lens) ||
	    !tb[CTRACK_A_EXPECT_TUPLE] || ct_tuple_from_attr(tb[CTRACK_A_EXPECT_TUPLE], &e->tuple))
		return -1;
	if (tb[CTRACK_A_EXPECT_MASTER]) {
		if (ct_tuple_from_attr(tb[CTRACK_A_EXPECT_MASTER], &e->master))
			return -1;
		e->has_master = true;
	}
	if (tb[CTRACK_A_EXPECT_TIMEOUT])
		e->timeout = mnl_attr_get_u32(tb[CTRACK_A_EXPECT_TIMEOUT]);
	if (tb[CTRACK_A_EXPECT_HELPER])
		snprintf(e->helper, sizeof(e->helper), "%s",
			 mnl_attr_get_str(tb[CTRACK_A_EXPECT_HELPER]));
	return 0;
}

int ct_stats_from_attr(const struct nlattr *nest, struct ct_stats *s)
{
	const struct nlattr *tb[CTRACK_A_STATS_MAX + 1];
	uint8_t lens[CTRACK_A_STATS_MAX + 1];

	memset(s, 0, sizeof(*s));
	memset(lens, 8, sizeof(lens));
	lens[CTRACK_A_STATS_UNSPEC] = L_ANY;
	lens[CTRACK_A_STATS_PAD] = L_ANY;
	lens[CTRACK_A_STATS_CPU] = 4;
	if (parse_nest(nest, tb, CTRACK_A_STATS_MAX, lens))
		return -1;
	if (tb[CTRACK_A_STATS_CPU])
		s->cpu = mnl_attr_get_u32(tb[CTRACK_A_STATS_CPU]);
	for (int i = CTRACK_A_STATS_FOUND; i <= CTRACK_A_STATS_CHAINTOOLONG; i++)
		if (tb[i])
			s->v[i] = mnl_attr_get_u64(tb[i]);
	return 0;
}

/* The reply tuple: no NAT, so the inverse; ICMP queries answer with their reply type. */
void ct_tuple_invert(const struct ct_tuple *t, struct ct_tuple *r)
{
	*r = *t;
	memcpy(r->src, t->dst, sizeof(r->src));
	memcpy(r->dst, t->src, sizeof(r->dst));
	if (t->proto == IPPROTO_ICMP || t->proto == IPPROTO_ICMPV6) {
		uint8_t type;

		ct_icmp_reply_type(t->family, t->dport >> 8, &type);
		r->dport = (uint16_t)(type << 8) | (t->dport & 0xff);
		r->sport = t->sport;
	} else {
		r->sport = t->dport;
		r->dport = t->sport;
	}
}

/* @full: IPv6 as the kernel's %pI6 prints it (eight 4-digit groups). */
void ct_addr_str(uint8_t family, const uint8_t *addr, bool full, char *buf, size_t len)
{
	if (family == NFPROTO_IPV6 && full) {
		snprintf(buf, len, "%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x",
			 addr[0], addr[1], addr[2], addr[3], addr[4], addr[5], addr[6], addr[7],
			 addr[8], addr[9], addr[10], addr[11], addr[12], addr[13], addr[14],
			 addr[15]);
		return;
	}
	if (!inet_ntop(family == NFPROTO_IPV6 ? AF_INET6 : AF_INET, addr, buf, len))
		snprintf(buf, len, "?");
}

static bool has_ports(uint8_t proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP ||
	       proto == IPPROTO_DCCP || proto == IPPROTO_UDPLITE;
}

static bool is_icmp(uint8_t proto)
{
	return proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6;
}

static void print_tuple(FILE *f, const struct ct_tuple *t)
{
	char s[64], d[64];

	ct_addr_str(t->family, t->src, true, s, sizeof(s));
	ct_addr_str(t->family, t->dst, true, d, sizeof(d));
	fprintf(f, "src=%s dst=%s ", s, d);
	if (has_ports(t->proto))
		fprintf(f, "sport=%u dport=%u ", t->sport, t->dport);
	else if (is_icmp(t->proto))
		fprintf(f, "type=%u code=%u id=%u ", t->dport >> 8, t->dport & 0xff, t->sport);
}

/* "10.0.1.2:40000->10.0.1.1:21", IPv6 in brackets */
static void print_endpoints(FILE *f, const struct ct_tuple *t)
{
	char s[64], d[64];
	bool v6 = t->family == NFPROTO_IPV6;

	ct_addr_str(t->family, t->src, false, s, sizeof(s));
	ct_addr_str(t->family, t->dst, false, d, sizeof(d));
	fprintf(f, "%s%s%s:%u->%s%s%s:%u", v6 ? "[" : "", s, v6 ? "]" : "", t->sport,
		v6 ? "[" : "", d, v6 ? "]" : "", t->dport);
}

void ct_print_conn(FILE *f, const struct ct_conn *c, bool l3prefix)
{
	struct ct_tuple reply;

	if (l3prefix)
		fprintf(f, "%-8s %u ", ct_l3_name(c->orig.family), c->orig.family);
	fprintf(f, "%-8s %u %u ", ct_l4_name(c->orig.proto), c->orig.proto, c->timeout);
	if (c->orig.proto == IPPROTO_TCP && c->has_state) {
		const char *s = ct_name_of(ct_tcp_state_names, c->state);

		fprintf(f, "%s ", s ? s : "UNKNOWN");
	}
	print_tuple(f, &c->orig);
	if (c->has_acct)
		fprintf(f, "packets=%llu bytes=%llu ", (unsigned long long)c->packets[0],
			(unsigned long long)c->bytes[0]);
	if (!(c->status & (1U << CTRACK_S_SEEN_REPLY)))
		fputs("[UNREPLIED] ", f);
	ct_tuple_invert(&c->orig, &reply);
	print_tuple(f, &reply);
	if (c->has_acct)
		fprintf(f, "packets=%llu bytes=%llu ", (unsigned long long)c->packets[1],
			(unsigned long long)c->bytes[1]);
	if (c->status & (1U << CTRACK_S_ASSURED))
		fputs("[ASSURED] ", f);
	fputs("use=1", f);
	if (c->helper[0])
		fprintf(f, " helper=%s", c->helper);
	if (c->has_master) {
		fputs(" master=", f);
		print_endpoints(f, &c->master);
	}
	fputc('\n', f);
}

/* Like `conntrack -L expect`, without the masks: the expected data
 * connection comes from any source port. */
void ct_print_expect(FILE *f, const struct ct_expect *e)
{
	char s[64], d[64];

	ct_addr_str(e->tuple.family, e->tuple.src, true, s, sizeof(s));
	ct_addr_str(e->tuple.family, e->tuple.dst, true, d, sizeof(d));
	fprintf(f, "%u proto=%u src=%s dst=%s sport=%u dport=%u", e->timeout, e->tuple.proto,
		s, d, e->tuple.sport, e->tuple.dport);
	if (e->has_master) {
		ct_addr_str(e->master.family, e->master.src, true, s, sizeof(s));
		ct_addr_str(e->master.family, e->master.dst, true, d, sizeof(d));
		fprintf(f, " master-src=%s master-dst=%s sport=%u dport=%u", s, d,
			e->master.sport, e->master.dport);
	}
	if (e->helper[0])
		fprintf(f, " helper=%s", e->helper);
	fputc('\n', f);
}

static const struct {
	const char *name;
	int attr;
} stats_fields[] = {
	{ "found", CTRACK_A_STATS_FOUND },
	{ "invalid", CTRACK_A_STATS_INVALID },
	{ "insert", CTRACK_A_STATS_INSERT },
	{ "insert_failed", CTRACK_A_STATS_INSERT_FAILED },
	{ "drop", CTRACK_A_STATS_DROP },
	{ "early_drop", CTRACK_A_STATS_EARLY_DROP },
	{ "error", CTRACK_A_STATS_ERROR },
	{ "search_restart", CTRACK_A_STATS_SEARCH_RESTART },
	{ "chaintoolong", CTRACK_A_STATS_CHAINTOOLONG },
	{ "expect_new", CTRACK_A_STATS_EXPECT_NEW },
	{ "expect_create", CTRACK_A_STATS_EXPECT_CREATE },
	{ "expect_delete", CTRACK_A_STATS_EXPECT_DELETE },
};

void ct_print_stats(FILE *f, const struct ct_stats *s)
{
	fprintf(f, "cpu=%u", s->cpu);
	for (size_t i = 0; i < sizeof(stats_fields) / sizeof(stats_fields[0]); i++)
		fprintf(f, " %s=%llu", stats_fields[i].name,
			(unsigned long long)s->v[stats_fields[i].attr]);
	fputc('\n', f);
}

void ct_json_stats(struct ct_json *j, const struct ct_stats *s)
{
	ct_json_open(j, NULL, '{');
	ct_json_u64(j, "cpu", s->cpu);
	for (size_t i = 0; i < sizeof(stats_fields) / sizeof(stats_fields[0]); i++)
		ct_json_u64(j, stats_fields[i].name, s->v[stats_fields[i].attr]);
	ct_json_close(j, '}');
}

