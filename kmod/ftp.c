// SPDX-License-Identifier: GPL-2.0
/*
 * The FTP helper: watches control connections for the announcements of
 * data connections (PORT, EPRT, 227, 229) and expects them.
 *
 * Only bytes that arrive in sequence are parsed, line by line, from the
 * start of a line: a retransmission adds nothing, a gap drops the line in
 * progress and parsing resumes after the next newline, so a command split
 * across segments is seen exactly once and a half-seen one never.
 */
#include <linux/ctype.h>
#include <linux/inet.h>
#include <linux/moduleparam.h>
#include <net/ipv6.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tcp.h>
#include <linux/netfilter.h>
#include "netns.h"
#include "conn.h"
#include "expect.h"
#include "ftp.h"
#include "helper.h"

struct cursor {
	const char *p;
	const char *end;
};

/* A decimal number of 1 to @digits digits, at most @max. */
static bool get_num(struct cursor *c, unsigned int digits, u32 max, u32 *val)
{
	unsigned int n = 0;
	u32 v = 0;

	while (c->p < c->end && isdigit(*c->p)) {
		if (++n > digits)
			return false;
		v = v * 10 + (*c->p++ - '0');
	}
	if (!n || v > max)
		return false;
	*val = v;
	return true;
}

static bool get_char(struct cursor *c, char ch)
{
	if (c->p >= c->end || *c->p != ch)
		return false;
	c->p++;
	return true;
}

/* RFC 2428: the delimiter is any printable ASCII character but a digit. */
static bool get_delim(struct cursor *c, char *d)
{
	if (c->p >= c->end || *c->p < 33 || *c->p > 126 || isdigit(*c->p))
		return false;
	*d = *c->p++;
	return true;
}

/* h1,h2,h3,h4,p1,p2 as in PORT and 227. */
static bool get_rfc959(struct cursor *c, union ct_addr *addr, u16 *port)
{
	u8 *b = (u8 *)&addr->ip;
	u32 v[6];
	int i;

	for (i = 0; i < 6; i++) {
		if (i && !get_char(c, ','))
			return false;
		if (!get_num(c, 3, 255, &v[i]))
			return false;
	}
	for (i = 0; i < 4; i++)
		b[i] = v[i];
	*port = v[4] << 8 | v[5];
	return *port != 0;
}

static bool get_dotted_quad(struct cursor *c, union ct_addr *addr)
{
	u8 *b = (u8 *)&addr->ip;
	u32 v;
	int i;

	for (i = 0; i < 4; i++) {
		if (i && !get_char(c, '.'))
			return false;
		if (!get_num(c, 3, 255, &v))
			return false;
		b[i] = v;
	}
	return true;
}

static bool get_port(struct cursor *c, u16 *port)
{
	u32 v;

	if (!get_num(c, 5, 65535, &v) || !v)
		return false;
	*port = v;
	return true;
}

/* The command word must be followed by a space and at least one argument. */
static int skip_args_spaces(struct cursor *c)
{
	if (c->p >= c->end)
		return -EINVAL;
	if (*c->p != ' ')
		return CT_FTP_NONE;
	while (c->p < c->end && *c->p == ' ')
		c->p++;
	return c->p < c->end ? 1 : -EINVAL;
}

/* PORT h1,h2,h3,h4,p1,p2 */
static int parse_port(struct cursor *c, u8 l3, union ct_addr *addr, u16 *port)
{
	if (l3 != NFPROTO_IPV4 || !get_rfc959(c, addr, port) || c->p != c->end)
		return -EINVAL;
	return CT_FTP_ADDR_PORT;
}

/* EPRT |1|132.235.1.2|6275| or EPRT |2|1080::8:800:200C:417A|5282| */
static int parse_eprt(struct cursor *c, u8 l3, union ct_addr *addr, u16 *port)
{
	const char *q;
	char d;

	if (!get_delim(c, &d) || c->p >= c->end)
		return -EINVAL;
	switch (*c->p++) {
	case '1':
		if (l3 != NFPROTO_IPV4 || !get_char(c, d) ||
		    !get_dotted_quad(c, addr))
			return -EINVAL;
		break;
	case '2':
		if (l3 != NFPROTO_IPV6 || !get_char(c, d) ||
		    !in6_pton(c->p, c->end - c->p, addr->in6.s6_addr, d, &q))
			return -EINVAL;
		c->p = q;
		break;
	default:
		return -EINVAL;
	}
	if (!get_char(c, d) || !get_port(c, port) || !get_char(c, d) ||
	    c->p != c->end)
		return -EINVAL;
	return CT_FTP_ADDR_PORT;
}

/* 227 Entering Passive Mode (h1,h2,h3,h4,p1,p2): the numbers may be anywhere */
static int parse_227(struct cursor *c, u8 l3, union ct_addr *addr, u16 *port)
{
	if (l3 != NFPROTO_IPV4)
		return -EINVAL;
	while (c->p < c->end && !isdigit(*c->p))
		c->p++;
	if (!get_rfc959(c, addr, port) ||
	    (c->p < c->end && (*c->p == ',' || isdigit(*c->p))))
		return -EINVAL;
	return CT_FTP_ADDR_PORT;
}

/* 229 Entering Extended Passive Mode (|||6446|) */
static int parse_229(struct cursor *c, u16 *port)
{
	char d;

	while (c->p < c->end && *c->p != '(')
		c->p++;
	if (!get_char(c, '(') || !get_delim(c, &d) || !get_char(c, d) ||
	    !get_char(c, d) || !get_port(c, port) || !get_char(c, d) ||
	    !get_char(c, ')'))
		return -EINVAL;
	return CT_FTP_PORT_ONLY;
}

int ct_ftp_parse(const char *line, size_t len, bool from_client, u8 l3,
		 union ct_addr *addr, u16 *port)
{
	struct cursor c = { .p = line + 4, .end = line + len };
	int ret;

	memset(addr, 0, sizeof(*addr));
	*port = 0;
	if (len < 4)
		return CT_FTP_NONE;
	if (len > CT_FTP_LINE_MAX)
		return -EINVAL;
	while (c.end > c.p && (c.end[-1] == '\r' || c.end[-1] == ' '))
		c.end--;

	if (from_client) {
		bool port_cmd = !strncasecmp(line, "PORT", 4);

		if (!port_cmd && strncasecmp(line, "EPRT", 4))
			return CT_FTP_NONE;
		ret = skip_args_spaces(&c);
		if (ret <= 0)
			return ret;
		ret = port_cmd ? parse_port(&c, l3, addr, port) :
				 parse_eprt(&c, l3, addr, port);
	} else {
		if (!memcmp(line, "227 ", 4))
			ret = parse_227(&c, l3, addr, port);
		else if (!memcmp(line, "229 ", 4))
			ret = parse_229(&c, port);
		else
			return CT_FTP_NONE;
	}
	if (ret < 0) {
		memset(addr, 0, sizeof(*addr));
		*port = 0;
	}
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ct_ftp_parse);

/* Could a line starting with these 4 bytes be one the helper watches? */
static bool watched_prefix(const char *s, bool from_client)
{
	if (from_client)
		return !strncasecmp(s, "PORT", 4) || !strncasecmp(s, "EPRT", 4);
	return !memcmp(s, "227 ", 4) || !memcmp(s, "229 ", 4);
}

static bool addr_equal(const union ct_addr *a, const union ct_addr *b, u8 l3)
{
	if (l3 == NFPROTO_IPV4)
		return a->ip == b->ip;
	return ipv6_addr_equal(&a->in6, &b->in6);
}

static unsigned int add_result(struct ct_ftp_result *res, unsigned int n,
			       unsigned int max, const struct ct_ftp_result *r)
{
	if (!max)
		return 0;
	/* keep the latest: with one expectation per master only it counts */
	if (n == max) {
		memmove(res, res + 1, (max - 1) * sizeof(*res));
		n--;
	}
	res[n] = *r;
	return n + 1;
}

static unsigned int finish_line(struct ct_ftp_dir *st, bool from_client, u8 l3,
				const union ct_addr *sender,
				struct ct_ftp_result *res, unsigned int n,
				unsigned int max)
{
	struct ct_ftp_result r = {};
	int kind;

	kind = ct_ftp_parse(st->line, st->len, from_client, l3, &r.addr, &r.port);
	st->len = 0;
	if (kind == CT_FTP_NONE)
		return n;
	if (kind < 0)
		r.err = kind;
	else if (kind == CT_FTP_PORT_ONLY)
		r.addr = *sender;
	else if (!addr_equal(&r.addr, sender, l3))
		r.err = -EACCES;	/* a bounce to a third host */
	return add_result(res, n, max, &r);
}

static bool seq_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

unsigned int ct_ftp_feed(struct ct_ftp_dir *st, u32 seq, bool syn,
			 const u8 *data, unsigned int len, bool from_client,
			 u8 l3, const union ct_addr *sender,
			 struct ct_ftp_result *res, unsigned int n,
			 unsigned int max)
{
	if (syn) {
		seq++;
		if (!(st->flags & CT_FTP_F_SEQ)) {
			st->next_seq = seq;
			st->flags = CT_FTP_F_SEQ;
			st->len = 0;
		}
	} else if (!(st->flags & CT_FTP_F_SEQ)) {
		/* joined mid-stream: a whole line starts after a newline */
		st->next_seq = seq;
		st->flags = CT_FTP_F_SEQ | CT_FTP_F_SKIP;
		st->len = 0;
	}

	if (seq_before(seq, st->next_seq)) {
		u32 seen = st->next_seq - seq;

		/* retransmitted: only what follows the bytes already parsed */
		if (seen >= len)
			return n;
		data += seen;
		len -= seen;
		seq = st->next_seq;
	} else if (seq != st->next_seq) {
		/* a gap: the line in progress lacks bytes, drop it */
		st->flags |= CT_FTP_F_SKIP;
		st->len = 0;
	}
	st->next_seq = seq + len;

	while (len) {
		const u8 *nl = memchr(data, '\n', len);
		unsigned int take = nl ? nl - data : len;

		if (st->flags & CT_FTP_F_SKIP) {
			if (!nl)
				break;
			st->flags &= ~CT_FTP_F_SKIP;
			st->len = 0;
		} else if (st->len + take > CT_FTP_LINE_MAX) {
			st->flags |= CT_FTP_F_SKIP;
			st->len = 0;
			continue;
		} else {
			memcpy(st->line + st->len, data, take);
			st->len += take;
			if (st->len >= 4 && !watched_prefix(st->line, from_client)) {
				st->flags |= CT_FTP_F_SKIP;
				st->len = 0;
				continue;
			}
			if (nl)
				n = finish_line(st, from_client, l3, sender,
						res, n, max);
		}
		if (!nl)
			break;
		data += take + 1;
		len -= take + 1;
	}
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(ct_ftp_feed);

static void ftp_packet(struct ct_net *cn, struct ct_conn *c, void *state,
		       int dir, const struct sk_buff *skb,
		       const struct ct_pkt *pkt, u32 now)
{
	bool from_client = dir == CT_DIR_ORIGINAL;
	const union ct_addr *sender, *receiver;
	struct ct_ftp_result res[CT_FTP_MAX_RESULTS];
	struct ct_ftp_dir *st = state;
	unsigned int hlen, len, off = 0, n = 0, i;
	struct tcphdr _th;
	const struct tcphdr *th;
	u8 buf[128];
	u32 seq;

	th = skb_header_pointer(skb, pkt->l4off, sizeof(_th), &_th);
	if (!th)
		return;
	hlen = th->doff * 4;
	if (hlen < sizeof(*th) || hlen > pkt->l4len)
		return;
	len = pkt->l4len - hlen;
	if (!len && !th->syn)
		return;
	sender = from_client ? &c->tuple.src : &c->tuple.dst;
	receiver = from_client ? &c->tuple.dst : &c->tuple.src;
	seq = ntohl(th->seq);

	spin_lock_bh(&c->lock);
	do {
		unsigned int chunk = min_t(unsigned int, len - off, sizeof(buf));

		if (chunk && skb_copy_bits(skb, pkt->l4off + hlen + off, buf, chunk))
			break;
		n = ct_ftp_feed(&st[dir], off ? seq + th->syn + off : seq,
				!off && th->syn, buf, chunk, from_client,
				c->tuple.l3, sender, res, n, ARRAY_SIZE(res));
		off += chunk;
	} while (off < len);
	spin_unlock_bh(&c->lock);

	for (i = 0; i < n; i++) {
		struct ct_tuple t = {};
		int ret;

		if (res[i].err) {
			CT_STAT_INC(cn, error);
			pr_debug("ftp: refused %s announcement (%d) for port %u\n",
				 from_client ? "client" : "server", res[i].err,
				 res[i].port);
			continue;
		}
		/* the data connection comes from the peer, any source port */
		t.src = *receiver;
		t.dst = res[i].addr;
		t.dport = htons(res[i].port);
		t.l3 = c->tuple.l3;
		t.proto = IPPROTO_TCP;
		ret = ct_expect_add(cn, c, &t, now);
		if (ret)
			pr_debug("ftp: no expectation for port %u: %d\n",
				 res[i].port, ret);
	}
}

static char ftp_ports[128] = "21";
module_param_string(ftp_ports, ftp_ports, sizeof(ftp_ports), 0444);
MODULE_PARM_DESC(ftp_ports, "Comma-separated FTP control ports (default: 21; empty disables)");

const struct ct_helper ct_helper_ftp = {
	.name = "ftp",
	.proto = IPPROTO_TCP,
	.ports_param = ftp_ports,
	.state_size = 2 * sizeof(struct ct_ftp_dir),	/* per direction */
	.packet = ftp_packet,
};
