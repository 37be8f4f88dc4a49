// SPDX-License-Identifier: GPL-2.0
/*
 * ctfuzz: hostile input for ctrack, one static binary for the guest.
 *
 *   ctfuzz nl [-s SEED] [-n COUNT]
 *	Random and mutated requests for every command of the "ctrack" generic
 *	netlink family (wrong types, lengths, nesting, missing and duplicate
 *	attributes, extreme values), interleaved with valid rule adds and
 *	deletes, rule and connection dumps. Every request carries NLM_F_ACK
 *	and must get its answer (an error/ack or the end of the dump). The
 *	rule listing is checked against a model of what the valid operations
 *	did (re-synchronised whenever a fuzzed request changed the rules).
 *	Prints "nl seed=S messages=N answered=N ... mismatches=N" and exits 1
 *	on a missing answer, a failed valid operation or a mismatch.
 *   ctfuzz pkt [-s SEED] [-n COUNT] -i IFACE -m DSTMAC [-o]
 *	Malformed IPv4/IPv6 packets as Ethernet frames on IFACE (AF_PACKET) to
 *	DSTMAC, towards 10.0.1.1/fd00:1::1 (input) and 10.0.2.2/fd00:2::2
 *	(forward); with -o instead through raw IP_HDRINCL sockets of the
 *	current namespace (output). Prints "pkt seed=S sent=N must_invalid=N":
 *	must_invalid counts well-formed TCP segments without SYN of no
 *	connection, which a strict tracker must classify INVALID.
 *   ctfuzz flood [-n MAX] -t SECS -i IFACE -m DSTMAC
 *	New UDP tuples 10.0.1.2 -> 10.0.2.2 as frames on IFACE, each tuple
 *	once: "accepted" kind to ports 1-40000, "dropped" kind to 40001-65535
 *	(UDP and TCP SYN). Prints "flood sent=N accepted=N dropped=N".
 *   ctfuzz udp -n N HOST PORT
 *	Sends N UDP datagrams from one socket, paced so that no queue before
 *	the hooks overflows; prints "udp sent=N".
 *   ctfuzz count IFACE SECS
 *	Counts IPv4/IPv6 frames received on IFACE for SECS seconds or until
 *	SIGTERM; prints N.
 *   ctfuzz ftp [-s SEED] [-n LINES] HOST PORT
 *	Hostile FTP control lines (PORT, EPRT, 227, 229: bad numbers, wrong
 *	addresses, overlong, split, NULs) to an echo server, so the helper
 *	sees them in both directions; fails if the echo does not come back.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netfilter.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "../../kmod/uapi/ctrack.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* xorshift64*: reproducible from the printed seed. */
static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static uint32_t rn(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static int chance(int pct)
{
	return rn(100) < (uint32_t)pct;
}

static uint64_t seed_from(const char *s)
{
	struct timespec ts;

	if (s)
		return strtoull(s, NULL, 0);
	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec << 20) ^ ts.tv_nsec ^ getpid();
}

static uint64_t extreme(int bytes)
{
	static const uint64_t v[] = {
		0, 1, 2, 3, 4, 6, 10, 17, 21, 58, 0x7f, 0x80, 0xff, 0x100,
		0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000,
		0xffffffff, 0x100000000ULL, 0x7fffffffffffffffULL, ~0ULL,
	};
	uint64_t x = chance(70) ? v[rn(sizeof(v) / sizeof(v[0]))] : rnd();

	return bytes >= 8 ? x : x & ((1ULL << (bytes * 8)) - 1);
}

/* ------------------------------------------------------------------ */
/* Netlink                                                            */

#define MSGSZ 16384
#define RBUFSZ (1 << 20)

static int nlfd;
static uint16_t family_id;
static uint32_t nlseq = 1;
static char mbuf[MSGSZ], *rbuf;
static size_t mlen;
static size_t nests[64];
static int nnest;

static void die(const char *m)
{
	perror(m);
	exit(2);
}

static void put(uint16_t type, const void *data, size_t dlen)
{
	struct nlattr *a = (struct nlattr *)(mbuf + mlen);

	if (mlen + NLA_HDRLEN + NLA_ALIGN(dlen) > MSGSZ - 64 || dlen > 0xfff0)
		return;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + dlen;
	if (data)
		memcpy((char *)a + NLA_HDRLEN, data, dlen);
	else
		memset((char *)a + NLA_HDRLEN, 0, dlen);
	memset((char *)a + NLA_HDRLEN + dlen, 0, NLA_ALIGN(dlen) - dlen);
	mlen += NLA_HDRLEN + NLA_ALIGN(dlen);
}

static void put_u8(uint16_t t, uint8_t v) { put(t, &v, 1); }
static void put_u16(uint16_t t, uint16_t v) { put(t, &v, 2); }
static void put_u32(uint16_t t, uint32_t v) { put(t, &v, 4); }

static void nest_start(uint16_t type)
{
	if (nnest >= 64 || mlen + NLA_HDRLEN > MSGSZ - 64)
		return;
	nests[nnest++] = mlen;
	put(type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(void)
{
	struct nlattr *a;

	if (!nnest)
		return;
	a = (struct nlattr *)(mbuf + nests[--nnest]);
	a->nla_len = mlen - nests[nnest] > 0xffff ? 0xffff : mlen - nests[nnest];
}

static void msg_start(uint16_t flags, uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)mbuf;
	struct genlmsghdr *g = (struct genlmsghdr *)(mbuf + NLMSG_HDRLEN);

	memset(mbuf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = family_id;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++nlseq;
	g->cmd = cmd;
	g->version = version;
	mlen = NLMSG_HDRLEN + GENL_HDRLEN;
	nnest = 0;
}

static void msg_send(void)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)mbuf;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	while (nnest)
		nest_end();
	nlh->nlmsg_len = mlen;
	if (sendto(nlfd, mbuf, mlen, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("sendto");
}

typedef void (*msg_fn)(const struct nlmsghdr *nlh, void *arg);

static unsigned long stray;

/*
 * Reads until the answer to the last request: its ack or error, or the end
 * of its dump. Returns 0 or -errno; 1 when no answer came within the
 * receive timeout.
 */
static int msg_recv(msg_fn fn, void *arg)
{
	for (;;) {
		ssize_t n = recv(nlfd, rbuf, RBUFSZ, 0);
		struct nlmsghdr *nlh;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 1;
			fprintf(stderr, "ctfuzz: recv: %s\n", strerror(errno));
			return 1;
		}
		for (nlh = (struct nlmsghdr *)rbuf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != nlseq) {
				stray++;
				continue;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nlh);

				return e->error;
			}
			if (nlh->nlmsg_type == NLMSG_DONE)
				return 0;
			if (fn)
				fn(nlh, arg);
		}
	}
}

static void nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 20 };
	int one = 1, bufsz = 4 << 20;
	struct nlattr *a;
	struct nlmsghdr *nlh;
	ssize_t n;

	rbuf = malloc(RBUFSZ);
	nlfd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (nlfd < 0)
		die("socket");
	if (bind(nlfd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("bind");
	setsockopt(nlfd, SOL_SOCKET, SO_RCVBUF, &bufsz, sizeof(bufsz));
	setsockopt(nlfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(nlfd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nlfd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));

	family_id = GENL_ID_CTRL;
	msg_start(0, CTRL_CMD_GETFAMILY, 1);
	put(CTRL_ATTR_FAMILY_NAME, CTRACK_GENL_NAME, sizeof(CTRACK_GENL_NAME));
	msg_send();
	n = recv(nlfd, rbuf, RBUFSZ, 0);
	nlh = (struct nlmsghdr *)rbuf;
	if (n < 0 || !NLMSG_OK(nlh, n) || nlh->nlmsg_type != GENL_ID_CTRL) {
		fprintf(stderr, "ctfuzz: family %s not found\n", CTRACK_GENL_NAME);
		exit(2);
	}
	for (a = (struct nlattr *)((char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
	     (char *)a + NLA_HDRLEN <= (char *)nlh + nlh->nlmsg_len && a->nla_len >= NLA_HDRLEN;
	     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID)
			family_id = *(uint16_t *)((char *)a + NLA_HDRLEN);
	msg_recv(NULL, NULL);	/* the ack */
	if (family_id == GENL_ID_CTRL) {
		fprintf(stderr, "ctfuzz: no family id\n");
		exit(2);
	}
}

/* Attribute shapes, for structure-aware generation. */
enum kind { K_U8, K_U16, K_U32, K_U64, K_FLAG, K_STR, K_ADDR, K_NEST };

struct spec {
	uint16_t type;
	enum kind kind;
	const struct spec *sub;	/* K_NEST: terminated by type 0 */
};

static const struct spec elem_spec[] = {
	{ CTRACK_A_ELEM_VALUE, K_U32 }, { CTRACK_A_ELEM_VALUE, K_ADDR },
	{ CTRACK_A_ELEM_VALUE, K_STR }, { CTRACK_A_ELEM_PREFIX, K_U8 },
	{ CTRACK_A_ELEM_TO, K_U32 }, { CTRACK_A_ELEM_TO, K_ADDR },
	{ CTRACK_A_ELEM_TIMEOUT, K_U32 }, { CTRACK_A_ELEM_EXPIRES, K_U32 },
	{ CTRACK_A_ELEM_VERDICT, K_U8 }, { CTRACK_A_ELEM_TARGET, K_STR },
	{ 0 }
};

static const struct spec match_spec[] = {
	{ CTRACK_A_MATCH_KEY, K_U8 }, { CTRACK_A_MATCH_NEG, K_FLAG },
	{ CTRACK_A_MATCH_VALUE, K_U32 }, { CTRACK_A_MATCH_VALUE, K_ADDR },
	{ CTRACK_A_MATCH_VALUE, K_STR }, { CTRACK_A_MATCH_MASK, K_U32 },
	{ CTRACK_A_MATCH_PREFIX, K_U8 }, { CTRACK_A_MATCH_FROM, K_U32 },
	{ CTRACK_A_MATCH_TO, K_U32 }, { CTRACK_A_MATCH_FLAGS, K_U32 },
	{ CTRACK_A_MATCH_ELEM, K_NEST, elem_spec }, { CTRACK_A_MATCH_ELEM, K_NEST, elem_spec },
	{ CTRACK_A_MATCH_SET, K_STR },
	{ 0 }
};

static const struct spec vmap_spec[] = {
	{ CTRACK_A_VMAP_KEY, K_U8 }, { CTRACK_A_VMAP_ELEM, K_NEST, elem_spec },
	{ CTRACK_A_VMAP_ELEM, K_NEST, elem_spec },
	{ 0 }
};

static const struct spec rule_spec[] = {
	{ CTRACK_A_RULE_HANDLE, K_U32 }, { CTRACK_A_RULE_MATCH, K_NEST, match_spec },
	{ CTRACK_A_RULE_MATCH, K_NEST, match_spec }, { CTRACK_A_RULE_VERDICT, K_U8 },
	{ CTRACK_A_RULE_TARGET, K_STR }, { CTRACK_A_RULE_REJECT_TYPE, K_U8 },
	{ CTRACK_A_RULE_REJECT_CODE, K_U8 }, { CTRACK_A_RULE_VMAP, K_NEST, vmap_spec },
	{ CTRACK_A_RULE_COMMENT, K_STR },
	{ CTRACK_A_RULE_PACKETS, K_U64 }, { CTRACK_A_RULE_BYTES, K_U64 },
	{ 0 }
};

static const struct spec table_spec[] = {
	{ CTRACK_A_TABLE_FAMILY, K_U8 }, { CTRACK_A_TABLE_NAME, K_STR },
	{ 0 }
};

static const struct spec chain_spec[] = {
	{ CTRACK_A_CHAIN_NAME, K_STR }, { CTRACK_A_CHAIN_HOOK, K_U8 },
	{ CTRACK_A_CHAIN_PRIORITY, K_U32 }, { CTRACK_A_CHAIN_POLICY, K_U8 },
	{ 0 }
};

static const struct spec set_spec[] = {
	{ CTRACK_A_SET_NAME, K_STR }, { CTRACK_A_SET_TYPE, K_U8 },
	{ CTRACK_A_SET_FLAGS, K_U32 }, { CTRACK_A_SET_TIMEOUT, K_U32 },
	{ CTRACK_A_SET_ELEM, K_NEST, elem_spec }, { CTRACK_A_SET_ELEM, K_NEST, elem_spec },
	{ 0 }
};

static const struct spec tuple_spec[] = {
	{ CTRACK_A_TUPLE_FAMILY, K_U8 }, { CTRACK_A_TUPLE_PROTO, K_U8 },
	{ CTRACK_A_TUPLE_SRC, K_ADDR }, { CTRACK_A_TUPLE_DST, K_ADDR },
	{ CTRACK_A_TUPLE_SPORT, K_U16 }, { CTRACK_A_TUPLE_DPORT, K_U16 },
	{ 0 }
};

static const struct spec conn_spec[] = {
	{ CTRACK_A_CONN_ORIG, K_NEST, tuple_spec }, { CTRACK_A_CONN_STATE, K_U8 },
	{ CTRACK_A_CONN_STATUS, K_U32 }, { CTRACK_A_CONN_TIMEOUT, K_U32 },
	{ CTRACK_A_CONN_MASTER, K_NEST, tuple_spec },
	{ 0 }
};

static const struct spec filter_spec[] = {
	{ CTRACK_A_FILTER_FAMILY, K_U8 }, { CTRACK_A_FILTER_PROTO, K_U8 },
	{ CTRACK_A_FILTER_SRC, K_ADDR }, { CTRACK_A_FILTER_DST, K_ADDR },
	{ CTRACK_A_FILTER_SPORT, K_U16 }, { CTRACK_A_FILTER_DPORT, K_U16 },
	{ CTRACK_A_FILTER_STATE, K_U8 },
	{ 0 }
};

static const struct spec timeout_spec[] = {
	{ CTRACK_A_TIMEOUT_CLASS, K_U32 }, { CTRACK_A_TIMEOUT_SECONDS, K_U32 },
	{ 0 }
};

static const struct spec helper_spec[] = {
	{ CTRACK_A_HELPER_NAME, K_STR }, { CTRACK_A_HELPER_PORT, K_U16 },
	{ 0 }
};

static const struct spec setting_spec[] = {
	{ CTRACK_A_SETTING_NAME, K_STR }, { CTRACK_A_SETTING_VALUE, K_U32 },
	{ 0 }
};

static const struct spec top_spec[] = {
	{ CTRACK_A_TABLE, K_NEST, table_spec }, { CTRACK_A_HANDLE, K_U32 },
	{ CTRACK_A_POSITION, K_U32 }, { CTRACK_A_INSERT, K_FLAG },
	{ CTRACK_A_CHECK, K_FLAG }, { CTRACK_A_RULE, K_NEST, rule_spec },
	{ CTRACK_A_SET, K_NEST, set_spec },
	{ CTRACK_A_CHAIN, K_NEST, chain_spec }, { CTRACK_A_CONN, K_NEST, conn_spec },
	{ CTRACK_A_FILTER, K_NEST, filter_spec }, { CTRACK_A_COUNT, K_U32 },
	{ CTRACK_A_MAX_CONNS, K_U32 }, { CTRACK_A_TIMEOUT, K_NEST, timeout_spec },
	{ CTRACK_A_HELPER, K_NEST, helper_spec },
	{ CTRACK_A_SETTING, K_NEST, setting_spec },
	{ CTRACK_A_EVENT_TYPE, K_U8 }, { CTRACK_A_EVENT_SEQ, K_U64 },
	{ 0 }
};

/* What each command takes, so that most requests get past the policy. */
static const uint16_t cmd_attrs[CTRACK_CMD_MAX + 1][4] = {
	[CTRACK_CMD_RULE_ADD] = { CTRACK_A_CHAIN, CTRACK_A_RULE, CTRACK_A_POSITION, CTRACK_A_INSERT },
	[CTRACK_CMD_RULE_DEL] = { CTRACK_A_CHAIN, CTRACK_A_HANDLE },
	[CTRACK_CMD_RULE_GET] = { CTRACK_A_CHAIN },
	[CTRACK_CMD_RULE_FLUSH] = { CTRACK_A_CHAIN },
	[CTRACK_CMD_POLICY_SET] = { CTRACK_A_CHAIN },
	[CTRACK_CMD_RULESET_LOAD] = { CTRACK_A_TABLE, CTRACK_A_CHAIN, CTRACK_A_RULE, CTRACK_A_SET },
	[CTRACK_CMD_SET_ADD] = { CTRACK_A_TABLE, CTRACK_A_SET },
	[CTRACK_CMD_SET_DEL] = { CTRACK_A_SET },
	[CTRACK_CMD_SET_GET] = { CTRACK_A_SET },
	[CTRACK_CMD_ELEM_ADD] = { CTRACK_A_SET },
	[CTRACK_CMD_ELEM_DEL] = { CTRACK_A_SET },
	[CTRACK_CMD_CONN_GET] = { CTRACK_A_FILTER },
	[CTRACK_CMD_CONN_DEL] = { CTRACK_A_FILTER },
	[CTRACK_CMD_CONN_FLUSH] = { 0 },
	[CTRACK_CMD_CONN_COUNT] = { 0 },
	[CTRACK_CMD_EXPECT_GET] = { 0 },
	[CTRACK_CMD_EXPECT_FLUSH] = { 0 },
	[CTRACK_CMD_STATS_GET] = { 0 },
	[CTRACK_CMD_TIMEOUT_GET] = { 0 },
	[CTRACK_CMD_TIMEOUT_SET] = { CTRACK_A_TIMEOUT },
	[CTRACK_CMD_HELPER_GET] = { 0 },
	[CTRACK_CMD_HELPER_ADD] = { CTRACK_A_HELPER },
	[CTRACK_CMD_HELPER_DEL] = { CTRACK_A_HELPER },
	[CTRACK_CMD_SETTING_GET] = { 0 },
	[CTRACK_CMD_SETTING_SET] = { CTRACK_A_SETTING },
};

static const struct spec *find_spec(const struct spec *s, uint16_t type)
{
	for (; s->type; s++)
		if (s->type == type)
			return s;
	return NULL;
}

/* Plausible values, so that the fuzz reaches past the first check. */
static void gen_value(const struct spec *s, int depth);

static void gen_nest_body(const struct spec *sub, int depth)
{
	const struct spec *s;

	for (s = sub; s->type; s++) {
		int copies = 1;

		if (chance(45))
			continue;		/* missing */
		if (chance(5))
			copies = 2 + rn(3);	/* duplicate */
		while (copies--)
			gen_value(s, depth + 1);
	}
	if (chance(10)) {
		/* An attribute type the policy does not know, or past its max. */
		uint16_t t = chance(50) ? rn(40) : rn(0x4000);

		put_u32(t, extreme(4));
	}
}

static void gen_str(uint16_t t)
{
	static const char *const names[] = {
		"ftp", "tcp_loose", "max_conns", "buckets", "eth0", "lo", "r0",
		"", "veryveryverylongname0123456789", "FTP", "ftp\n",
	};
	char s[300];
	size_t n;

	if (chance(80)) {
		const char *p = names[rn(sizeof(names) / sizeof(names[0]))];

		if (chance(80)) {
			put(t, p, strlen(p) + 1);
			return;
		}
		put(t, p, strlen(p));	/* no terminating NUL */
		return;
	}
	n = rn(sizeof(s));
	for (size_t i = 0; i < n; i++)
		s[i] = rnd();
	put(t, s, n);
}

static void gen_value(const struct spec *s, int depth)
{
	uint16_t t = s->type;
	uint8_t b[32];
	enum kind k = s->kind;

	if (chance(4))
		t = rn(24);			/* wrong type */
	if (chance(3))
		k = rn(K_NEST + 1);		/* wrong shape */
	if (chance(3)) {
		size_t n = rn(sizeof(b));	/* wrong length */

		for (size_t i = 0; i < n; i++)
			b[i] = rnd();
		put(t, b, n);
		return;
	}
	switch (k) {
	case K_U8: put_u8(t, chance(60) ? rn(12) : extreme(1)); break;
	case K_U16: put_u16(t, chance(50) ? rn(100) : extreme(2)); break;
	case K_U32: put_u32(t, chance(50) ? rn(20) : extreme(4)); break;
	case K_U64: { uint64_t v = extreme(8); put(t, &v, 8); break; }
	case K_FLAG: put(t, NULL, 0); break;
	case K_STR: gen_str(t); break;
	case K_ADDR: {
		size_t n = chance(45) ? 4 : chance(80) ? 16 : rn(20);

		for (size_t i = 0; i < n; i++)
			b[i] = chance(50) ? 0 : rnd();
		if (n >= 1 && chance(50))
			b[0] = 10;
		put(t, b, n);
		break;
	}
	case K_NEST:
		nest_start(t);
		if (depth > 6 || !s->sub || chance(5)) {
			/* deep or foreign nesting */
			if (depth < 40 && chance(50))
				gen_value(&top_spec[rn(16)], depth + 1);
		} else {
			gen_nest_body(s->sub, depth);
		}
		nest_end();
		break;
	}
}

/* Flips bytes after the generic netlink header; lengths may break. */
static void mutate_bytes(void)
{
	size_t base = NLMSG_HDRLEN + GENL_HDRLEN;
	int n = 1 + rn(4);

	if (mlen <= base)
		return;
	while (n--) {
		size_t at = base + rn(mlen - base);

		switch (rn(3)) {
		case 0: mbuf[at] = rnd(); break;
		case 1: mbuf[at] ^= 1 << rn(8); break;
		default: mbuf[at] = chance(50) ? 0 : 0xff; break;
		}
	}
	if (chance(20))
		mlen = base + rn(mlen - base + 1);	/* truncated */
}

/* A fuzzed request; returns its command. */
static int gen_fuzz(void)
{
	int cmd = chance(95) ? 1 + rn(CTRACK_CMD_MAX) : rn(256);
	uint16_t flags = 0;
	uint8_t version = chance(95) ? CTRACK_GENL_VERSION : rn(256);

	if (cmd == CTRACK_CMD_RULE_GET || cmd == CTRACK_CMD_CONN_GET ||
	    cmd == CTRACK_CMD_EXPECT_GET || cmd == CTRACK_CMD_STATS_GET ||
	    cmd == CTRACK_CMD_SET_GET)
		flags = chance(85) ? NLM_F_DUMP : 0;
	else if (chance(5))
		flags = NLM_F_DUMP;
	if (chance(5))
		flags |= NLM_F_ECHO | NLM_F_EXCL | NLM_F_CREATE;
	msg_start(flags, cmd, version);
	if (chance(2)) {
		mlen = NLMSG_HDRLEN + rn(GENL_HDRLEN);	/* short genl header */
		return cmd;
	}
	if (cmd <= CTRACK_CMD_MAX && chance(85)) {
		for (int i = 0; i < 4 && cmd_attrs[cmd][i]; i++) {
			const struct spec *s = find_spec(top_spec, cmd_attrs[cmd][i]);

			if (chance(10))
				continue;
			gen_value(s, 0);
			if (chance(4))
				gen_value(s, 0);
		}
	}
	for (int extra = chance(25) ? 1 + rn(4) : 0; extra; extra--)
		gen_value(&top_spec[rn(sizeof(top_spec) / sizeof(top_spec[0]) - 1)], 0);
	if (chance(15))
		mutate_bytes();
	return cmd;
}

/*
 * The model of the rules that the valid operations made, in the chains
 * input, forward and output of table inet filter (the default rule set,
 * put back whenever a fuzzed request replaced it).
 */
#define MAXRULES 64
static const char *const chain_names[__CTRACK_HOOK_MAX] = { "input", "forward", "output" };
static uint32_t model[__CTRACK_HOOK_MAX][MAXRULES];
static int nmodel[__CTRACK_HOOK_MAX];
static int dirty = 1;

struct listing {
	uint32_t h[__CTRACK_HOOK_MAX][4096];
	int n[__CTRACK_HOOK_MAX];
	int chains, others, bad;
	unsigned long msgs;
};

static struct nlattr *attr_next(struct nlattr *a, char *end)
{
	a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	return (char *)a + NLA_HDRLEN <= end && a->nla_len >= NLA_HDRLEN &&
	       (char *)a + a->nla_len <= end ? a : NULL;
}

static struct nlattr *attr_first(void *p, char *end)
{
	struct nlattr *a = p;

	return (char *)a + NLA_HDRLEN <= end && a->nla_len >= NLA_HDRLEN &&
	       (char *)a + a->nla_len <= end ? a : NULL;
}

#define for_attr(a, start, end) \
	for (a = attr_first(start, end); a; a = attr_next(a, end))
#define for_nested(a, nest) \
	for_attr(a, (char *)(nest) + NLA_HDRLEN, (char *)(nest) + (nest)->nla_len)
#define attr_type(a)	((a)->nla_type & NLA_TYPE_MASK)
#define attr_data(a)	((char *)(a) + NLA_HDRLEN)

/* Which model chain a dump message's TABLE and CHAIN name; -1: another. */
static int model_chain(struct nlattr *table, struct nlattr *chain)
{
	struct nlattr *a;
	int fam = -1, named = 0;

	for_nested(a, table) {
		if (attr_type(a) == CTRACK_A_TABLE_FAMILY)
			fam = *(uint8_t *)attr_data(a);
		if (attr_type(a) == CTRACK_A_TABLE_NAME)
			named = !strcmp(attr_data(a), "filter");
	}
	if (fam != NFPROTO_INET || !named)
		return -1;
	for_nested(a, chain)
		if (attr_type(a) == CTRACK_A_CHAIN_NAME)
			for (int h = 0; h < __CTRACK_HOOK_MAX; h++)
				if (!strcmp(attr_data(a), chain_names[h]))
					return h;
	return -1;
}

/* RULE_GET dump messages: a table's, a chain's (with its hook) and a rule's. */
static void parse_rule_msg(const struct nlmsghdr *nlh, void *arg)
{
	struct listing *l = arg;
	char *end = (char *)nlh + nlh->nlmsg_len;
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	struct nlattr *a, *r, *table = NULL, *chain = NULL, *rule = NULL;
	int hook, handle = -1, policy = -1, chook = -1;

	l->msgs++;
	if (nlh->nlmsg_type != family_id || g->cmd != CTRACK_CMD_RULE_GET) {
		l->bad++;
		return;
	}
	for_attr(a, (char *)g + GENL_HDRLEN, end) {
		if (attr_type(a) == CTRACK_A_TABLE)
			table = a;
		else if (attr_type(a) == CTRACK_A_CHAIN)
			chain = a;
		else if (attr_type(a) == CTRACK_A_RULE)
			rule = a;
		else if (attr_type(a) == CTRACK_A_SET)
			return;
	}
	if (!table) {
		l->bad++;
		return;
	}
	if (!chain)
		return;		/* the table's own message */
	hook = model_chain(table, chain);
	if (!rule) {
		for_nested(a, chain) {
			if (attr_type(a) == CTRACK_A_CHAIN_HOOK)
				chook = *(uint8_t *)attr_data(a);
			if (attr_type(a) == CTRACK_A_CHAIN_POLICY)
				policy = *(uint8_t *)attr_data(a);
		}
		if (hook >= 0 && chook == hook &&
		    (policy == CTRACK_VERDICT_ACCEPT || policy == CTRACK_VERDICT_DROP))
			l->chains++;
		else
			l->others++;
		return;
	}
	for_nested(r, rule)
		if (attr_type(r) == CTRACK_A_RULE_HANDLE)
			handle = *(uint32_t *)attr_data(r);
	if (handle < 0) {
		l->bad++;
		return;
	}
	if (hook < 0) {
		l->others++;
		return;
	}
	for (int i = 0; i < l->n[hook]; i++)
		if (l->h[hook][i] == (uint32_t)handle)
			l->bad++;	/* duplicate handle */
	if (l->n[hook] < 4096)
		l->h[hook][l->n[hook]++] = handle;
}

static unsigned long nl_mismatch, nl_verified, nl_resync, nl_validfail, nl_noanswer;
static struct listing lst;

static int in_model(int hook, uint32_t h)
{
	for (int i = 0; i < nmodel[hook]; i++)
		if (model[hook][i] == h)
			return 1;
	return 0;
}

static void put_table(void)
{
	nest_start(CTRACK_A_TABLE);
	put_u8(CTRACK_A_TABLE_FAMILY, NFPROTO_INET);
	put(CTRACK_A_TABLE_NAME, "filter", 7);
	nest_end();
}

static void put_chain(int hook, int full)
{
	nest_start(CTRACK_A_CHAIN);
	put(CTRACK_A_CHAIN_NAME, chain_names[hook], strlen(chain_names[hook]) + 1);
	if (full) {
		put_u8(CTRACK_A_CHAIN_HOOK, hook);
		put_u32(CTRACK_A_CHAIN_PRIORITY, 0);
		put_u8(CTRACK_A_CHAIN_POLICY, CTRACK_VERDICT_ACCEPT);
	}
	nest_end();
}

/* Back to the default rule set, with no rules: what the model starts from. */
static void reset_rules(void)
{
	msg_start(0, CTRACK_CMD_RULESET_LOAD, CTRACK_GENL_VERSION);
	put_table();
	for (int h = 0; h < __CTRACK_HOOK_MAX; h++)
		put_chain(h, 1);
	msg_send();
	if (msg_recv(NULL, NULL)) {
		fprintf(stderr, "ctfuzz: loading the default rule set failed\n");
		nl_validfail++;
	}
	memset(nmodel, 0, sizeof(nmodel));
	dirty = 0;
}

/* Lists the rules; compares with the model unless a fuzzed request changed them. */
static void verify_rules(void)
{
	int ret, h;

	memset(&lst, 0, sizeof(lst));
	msg_start(NLM_F_DUMP, CTRACK_CMD_RULE_GET, CTRACK_GENL_VERSION);
	msg_send();
	ret = msg_recv(parse_rule_msg, &lst);
	if (ret) {
		fprintf(stderr, "ctfuzz: rule listing failed: %d\n", ret);
		nl_validfail++;
		return;
	}
	if (lst.bad) {
		fprintf(stderr, "ctfuzz: rule listing malformed (bad=%d)\n", lst.bad);
		nl_mismatch++;
	}
	if (!dirty) {
		nl_verified++;
		if (lst.chains != __CTRACK_HOOK_MAX || lst.others) {
			fprintf(stderr, "ctfuzz: %d model chains and %d others listed\n",
				lst.chains, lst.others);
			nl_mismatch++;
		}
		for (h = 0; h < __CTRACK_HOOK_MAX; h++) {
			int same = lst.n[h] == nmodel[h];

			for (int i = 0; same && i < lst.n[h]; i++)
				same = in_model(h, lst.h[h][i]);
			if (!same) {
				fprintf(stderr, "ctfuzz: chain %s: %d rules listed, %d expected\n",
					chain_names[h], lst.n[h], nmodel[h]);
				nl_mismatch++;
			}
		}
	} else {
		nl_resync++;
	}
	/* Another shape, or too many rules (they slow every dump): start over. */
	for (h = 0; h < __CTRACK_HOOK_MAX; h++)
		if (lst.n[h] > MAXRULES)
			break;
	if (h < __CTRACK_HOOK_MAX || lst.chains != __CTRACK_HOOK_MAX || lst.others) {
		reset_rules();
		return;
	}
	for (h = 0; h < __CTRACK_HOOK_MAX; h++) {
		nmodel[h] = lst.n[h];
		memcpy(model[h], lst.h[h], lst.n[h] * sizeof(uint32_t));
	}
	dirty = 0;
}

static void get_handle(const struct nlmsghdr *nlh, void *arg)
{
	char *end = (char *)nlh + nlh->nlmsg_len;
	struct nlattr *a;

	for_attr(a, (char *)NLMSG_DATA(nlh) + GENL_HDRLEN, end)
		if ((a->nla_type & NLA_TYPE_MASK) == CTRACK_A_HANDLE)
			*(int64_t *)arg = *(uint32_t *)((char *)a + NLA_HDRLEN);
}

static void count_msg(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	(*(unsigned long *)arg)++;
}

static void get_count(const struct nlmsghdr *nlh, void *arg)
{
	char *end = (char *)nlh + nlh->nlmsg_len;
	struct nlattr *a;
	uint32_t *v = arg;

	for_attr(a, (char *)NLMSG_DATA(nlh) + GENL_HDRLEN, end) {
		if ((a->nla_type & NLA_TYPE_MASK) == CTRACK_A_COUNT)
			v[0] = *(uint32_t *)((char *)a + NLA_HDRLEN);
		if ((a->nla_type & NLA_TYPE_MASK) == CTRACK_A_MAX_CONNS)
			v[1] = *(uint32_t *)((char *)a + NLA_HDRLEN);
	}
}

/* Valid operations whose effect the model follows. */
static void valid_op(void)
{
	int hook = rn(__CTRACK_HOOK_MAX), ret;

	if (dirty)
		verify_rules();
	switch (rn(6)) {
	case 0:
	case 1: {
		int64_t handle = -1;

		if (nmodel[hook] >= MAXRULES)
			goto del;
		msg_start(0, CTRACK_CMD_RULE_ADD, CTRACK_GENL_VERSION);
		put_table();
		put_chain(hook, 0);
		nest_start(CTRACK_A_RULE);
		nest_start(CTRACK_A_RULE_MATCH);
		put_u8(CTRACK_A_MATCH_KEY, chance(50) ? CTRACK_KEY_TCP_DPORT : CTRACK_KEY_UDP_DPORT);
		put_u32(CTRACK_A_MATCH_VALUE, 1 + rn(60000));
		nest_end();
		if (chance(50)) {
			nest_start(CTRACK_A_RULE_MATCH);
			put_u8(CTRACK_A_MATCH_KEY, CTRACK_KEY_CT_STATE);
			put_u32(CTRACK_A_MATCH_FLAGS, 1 + rn(15));
			nest_end();
		}
		put_u8(CTRACK_A_RULE_VERDICT, rn(4));
		nest_end();
		if (nmodel[hook] && chance(30))
			put_u32(CTRACK_A_POSITION, model[hook][rn(nmodel[hook])]);
		msg_send();
		ret = msg_recv(get_handle, &handle);
		if (ret || handle < 0) {
			fprintf(stderr, "ctfuzz: valid rule add failed: %d\n", ret);
			nl_validfail++;
			dirty = 1;
			break;
		}
		model[hook][nmodel[hook]++] = handle;
		break;
	}
	case 2: {
		int i;
del:
		if (!nmodel[hook])
			break;
		i = rn(nmodel[hook]);
		msg_start(0, CTRACK_CMD_RULE_DEL, CTRACK_GENL_VERSION);
		put_table();
		put_chain(hook, 0);
		put_u32(CTRACK_A_HANDLE, model[hook][i]);
		msg_send();
		ret = msg_recv(NULL, NULL);
		if (ret) {
			fprintf(stderr, "ctfuzz: valid rule delete failed: %d\n", ret);
			nl_validfail++;
			dirty = 1;
			break;
		}
		model[hook][i] = model[hook][--nmodel[hook]];
		break;
	}
	case 3:
		verify_rules();
		break;
	case 4: {
		unsigned long n = 0;

		msg_start(NLM_F_DUMP, chance(50) ? CTRACK_CMD_CONN_GET :
			  CTRACK_CMD_STATS_GET, CTRACK_GENL_VERSION);
		msg_send();
		ret = msg_recv(count_msg, &n);
		if (ret) {
			fprintf(stderr, "ctfuzz: valid dump failed: %d\n", ret);
			nl_validfail++;
		}
		break;
	}
	default: {
		uint32_t v[2] = { ~0U, ~0U };

		msg_start(0, CTRACK_CMD_CONN_COUNT, CTRACK_GENL_VERSION);
		msg_send();
		ret = msg_recv(get_count, v);
		if (ret || v[0] == ~0U || v[1] == ~0U || (v[1] && v[0] > v[1])) {
			fprintf(stderr, "ctfuzz: conn count: ret %d count %u max %u\n",
				ret, v[0], v[1]);
			nl_validfail++;
		}
		break;
	}
	}
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmd_nl(uint64_t seed, unsigned long count)
{
	static double cmd_ms[257];
	static unsigned long cmd_n[257];
	unsigned long sent = 0, answered = 0, errs = 0, oks = 0;
	time_t t0 = time(NULL);

	rng_state = seed ? seed : 1;
	printf("nl seed=%llu count=%lu\n", (unsigned long long)seed, count);
	fflush(stdout);
	nl_open();
	verify_rules();
	while (sent < count) {
		int cmd, ret;

		double t;

		if (chance(10)) {
			t = now_ms();
			valid_op();
			cmd_ms[256] += now_ms() - t;
			cmd_n[256]++;
			sent++;
			answered++;
			continue;
		}
		cmd = gen_fuzz();
		t = now_ms();
		msg_send();
		sent++;
		ret = msg_recv(NULL, NULL);
		cmd_ms[cmd] += now_ms() - t;
		cmd_n[cmd]++;
		if (ret == 1) {
			fprintf(stderr, "ctfuzz: no answer to request %lu (cmd %d, seq %u)\n",
				sent, cmd, nlseq);
			nl_noanswer++;
			if (nl_noanswer > 3)
				break;
			continue;
		}
		answered++;
		if (ret)
			errs++;
		else
			oks++;
		if (!ret && (cmd == CTRACK_CMD_RULE_ADD || cmd == CTRACK_CMD_RULE_DEL ||
			     cmd == CTRACK_CMD_RULE_FLUSH || cmd == CTRACK_CMD_RULESET_LOAD))
			dirty = 1;
		if (sent % 100000 == 0) {
			printf("nl progress %lu (%ld s)\n", sent, (long)(time(NULL) - t0));
			fflush(stdout);
		}
	}
	verify_rules();
	valid_op();
	verify_rules();
	for (int i = 0; i < 257; i++)
		if (cmd_n[i] && cmd_ms[i] / cmd_n[i] > 1)
			printf("nl cmd %d%s: %lu requests, %.1f ms each\n", i,
			       i == 256 ? " (valid operations)" : "", cmd_n[i],
			       cmd_ms[i] / cmd_n[i]);
	printf("nl seed=%llu messages=%lu answered=%lu errors=%lu accepted=%lu "
	       "verified=%lu resync=%lu mismatches=%lu validfail=%lu noanswer=%lu "
	       "stray=%lu seconds=%ld\n",
	       (unsigned long long)seed, sent, answered, errs, oks, nl_verified,
	       nl_resync, nl_mismatch, nl_validfail, nl_noanswer, stray,
	       (long)(time(NULL) - t0));
	return nl_mismatch || nl_validfail || nl_noanswer || answered != sent;
}

/* ------------------------------------------------------------------ */
/* Packets                                                            */

static uint8_t pkt[2048];
static unsigned long must_invalid;

static uint16_t csum_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s;
}

static uint32_t csum_add(uint32_t s, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (; n > 1; n -= 2, b += 2)
		s += b[0] << 8 | b[1];
	if (n)
		s += b[0] << 8;
	return s;
}

static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v); }

/* Fills an L4 header + payload at p (room bytes); returns its length. */
static size_t gen_l4(uint8_t *p, size_t room, int proto, int depth, int *well_formed);

/*
 * Whether defrag sees a fragment in the n bytes of the packet at ip: the
 * IPv4 MF flag or offset; for IPv6 a fragment header at the end of a chain
 * of hop-by-hop, routing, AH and destination headers, walked as
 * nf_ct_frag6_gather() does. A chain the generator meant as random L4
 * payload counts too (protocol 0 followed by a byte 44 is one), and so do
 * atomic fragments: of 250000 sent alone, about 3% vanished in defrag with
 * sendto() returning 0 whether the output policy was accept or drop.
 */
static int is_fragment(const uint8_t *ip, size_t n)
{
	size_t off = 40, len;
	uint8_t nh;

	if (n < 20)
		return 0;
	if (ip[0] >> 4 == 4)
		return ((ip[6] << 8 | ip[7]) & 0x3fff) != 0;
	if (n < 40)
		return 0;
	for (nh = ip[6]; nh != 44; off += len) {
		if (nh != 0 && nh != 43 && nh != 51 && nh != 60)
			return 0;
		if (off + 2 > n)
			return 0;
		len = nh == 51 ? (ip[off + 1] + 2) * 4u : (ip[off + 1] + 1) * 8u;
		nh = ip[off];
	}
	return off <= n;
}

/* A v4 or v6 header at p followed by L4; returns the total length. */
static size_t gen_ip(uint8_t *p, size_t room, int v6, const uint8_t *src,
		     const uint8_t *dst, int depth, int *strict_invalid)
{
	static const int protos[] = { 6, 6, 6, 17, 17, 1, 58, 47, 132, 0, 255 };
	int proto = protos[rn(sizeof(protos) / sizeof(protos[0]))];
	int wf = 1;
	size_t hl, l4;

	if (v6 && proto == 1)
		proto = 58;
	if (!v6 && proto == 58)
		proto = 1;
	if (!v6) {
		hl = 20;
		if (chance(10)) {
			hl = 24 + 4 * rn(10);
			wf = 0;
		}
		if (hl > room)
			return 0;
		memset(p, 0, hl);
		p[0] = 0x40 | hl / 4;
		p[8] = chance(95) ? 64 : rn(3);
		if (p[8] != 64)
			wf = 0;		/* may die in forwarding before the hook */
		p[9] = proto;
		memcpy(p + 12, src, 4);
		memcpy(p + 16, dst, 4);
		if (hl > 20) {
			/* options: well-formed ones, then garbage */
			static const uint8_t opts[][4] = {
				{ 1, 1, 1, 1 }, { 0, 0, 0, 0 }, { 7, 3, 4, 0 },
				{ 68, 4, 5, 0 }, { 131, 3, 4, 0 }, { 148, 4, 0, 0 },
				{ 130, 11, 0, 0 }, { 7, 0, 0, 0 }, { 7, 255, 4, 0 },
			};
			for (size_t o = 20; o < hl; o += 4)
				memcpy(p + o, chance(70) ? opts[rn(9)] : (uint8_t[4]){ rnd(), rnd(), rnd(), rnd() }, 4);
		}
		if (chance(12)) {
			/* a fragment: tiny, overlapping, first or middle */
			uint16_t off = chance(50) ? 0 : rn(200);

			put16(p + 6, (chance(70) ? 0x2000 : 0) | off);
			wf = 0;
		} else if (chance(30)) {
			put16(p + 6, 0x4000);	/* DF */
		}
		put16(p + 4, rnd());
		l4 = gen_l4(p + hl, room - hl, proto, depth, &wf);
		put16(p + 2, hl + l4);
		if (chance(4)) {
			put16(p + 2, rn(hl + l4 + 40));	/* inconsistent length */
			wf = 0;
		}
		if (depth || chance(97))
			put16(p + 10, csum_fold(csum_add(0, p, hl)));
		else
			wf = 0;
		if (wf && proto == 6 && strict_invalid)
			*strict_invalid = 1;
		return hl + l4;
	}
	hl = 40;
	if (hl > room)
		return 0;
	memset(p, 0, hl);
	p[0] = 0x60;
	p[7] = chance(95) ? 64 : rn(3);
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	{
		uint8_t *nh = p + 6;
		size_t off = hl;

		/* extension headers: hop-by-hop, routing, fragment, dest opts */
		while (chance(20) && off + 16 < room) {
			static const uint8_t ext[] = { 0, 43, 44, 60, 60 };
			uint8_t e = ext[rn(5)];
			uint8_t *x = p + off;

			*nh = e;
			nh = x;
			memset(x, 0, 8);
			if (e == 44) {
				put16(x + 2, (chance(50) ? 0 : rn(400) << 3) | (chance(70) ? 1 : 0));
				put32(x + 4, rnd());
				off += 8;
			} else {
				x[1] = chance(90) ? 0 : rn(4);
				if (off + 8 * (x[1] + 1) > room)
					x[1] = 0;
				for (int i = 2; i < 8 * (x[1] + 1); i++)
					x[i] = chance(70) ? 0 : rnd();
				if (e == 43)
					x[2] = rn(5);
				off += 8 * (x[1] + 1);
			}
			wf = 0;
		}
		*nh = proto;
		l4 = gen_l4(p + off, room - off, proto, depth, &wf);
		put16(p + 4, off - hl + l4);
		if (chance(4)) {
			put16(p + 4, rn(off + l4 + 40));
			wf = 0;
		}
		if (wf && proto == 6 && strict_invalid)
			*strict_invalid = 1;
		return off + l4;
	}
}

static uint8_t l4_src[16], l4_dst[16];
static int l4_v6;

static void l4_csum(uint8_t *p, size_t len, int proto, int at)
{
	uint32_t s = 0;
	uint8_t z[2] = { 0, (uint8_t)proto };
	uint8_t l[4];

	p[at] = p[at + 1] = 0;
	if (proto == 1) {
		put16(p + at, csum_fold(csum_add(0, p, len)));
		return;
	}
	s = csum_add(s, l4_src, l4_v6 ? 16 : 4);
	s = csum_add(s, l4_dst, l4_v6 ? 16 : 4);
	s = csum_add(s, z, 2);
	put32(l, len);
	s = csum_add(s, l + (l4_v6 ? 0 : 2), l4_v6 ? 4 : 2);
	s = csum_add(s, p, len);
	put16(p + at, csum_fold(s));
}

static size_t gen_l4(uint8_t *p, size_t room, int proto, int depth, int *wf)
{
	size_t len = 0, pay;

	if (room < 64)
		return 0;
	if (chance(5)) {
		/* truncated below its header */
		len = rn(20);
		for (size_t i = 0; i < len; i++)
			p[i] = rnd();
		*wf = 0;
		return len;
	}
	switch (proto) {
	case 6: {
		static const uint8_t flags[] = {
			0x10, 0x18, 0x11, 0x04, 0x14, 0x01, 0x12, 0x02, 0x03,
			0x06, 0x05, 0x00, 0x3f, 0xff, 0x29, 0x08, 0xc2, 0x20,
		};
		size_t doff = 5;
		uint8_t f = chance(80) ? flags[rn(sizeof(flags))] : rnd();

		if (chance(25))
			doff = chance(70) ? 6 + rn(10) : rn(5);
		memset(p, 0, 20);
		put16(p, 1024 + rn(60000));
		put16(p + 2, chance(20) ? 80 : 1 + rn(65535));
		if (p[2] == 0 && p[3] == 21)
			p[3] = 22;	/* port 21 is the FTP test's */
		put32(p + 4, rnd());
		put32(p + 8, rnd());
		p[12] = (doff & 15) << 4 | (chance(5) ? rn(16) : 0);
		p[13] = f;
		put16(p + 14, rnd());
		len = doff >= 5 ? 4 * doff : 20;
		if (len > 20) {
			static const uint8_t o[][4] = {
				{ 2, 4, 5, 0xb4 }, { 3, 3, 14, 1 }, { 3, 3, 255, 1 },
				{ 4, 2, 1, 1 }, { 5, 10, 0, 0 }, { 8, 10, 0, 0 },
				{ 0, 0, 0, 0 }, { 1, 1, 1, 1 }, { 2, 0, 0, 0 }, { 5, 255, 1, 1 },
			};
			for (size_t i = 20; i < len; i += 4)
				memcpy(p + i, chance(70) ? o[rn(10)] :
				       (uint8_t[4]){ rnd(), rnd(), rnd(), rnd() }, 4);
			*wf = 0;
		}
		if (doff < 5)
			*wf = 0;
		if (f & 0x02 || !(f & 0x10) || f & 0x04 || f & ~0x3f)
			*wf = 0;	/* only plain ACK segments count as sure INVALID */
		pay = chance(50) ? 0 : rn(200);
		for (size_t i = 0; i < pay; i++)
			p[len + i] = rnd();
		len += pay;
		if (chance(95))
			l4_csum(p, len, 6, 16);
		break;
	}
	case 17:
		pay = rn(100);
		put16(p, 1024 + rn(60000));
		put16(p + 2, chance(30) ? 53 : rn(65536));
		for (size_t i = 0; i < pay; i++)
			p[8 + i] = rnd();
		len = 8 + pay;
		put16(p + 4, chance(90) ? len : rn(200));
		if (chance(90))
			l4_csum(p, len, 17, 6);
		break;
	case 1:
	case 58: {
		static const uint8_t t4[] = { 8, 0, 3, 11, 12, 4, 5, 13, 14, 17, 18, 40, 255 };
		static const uint8_t t6[] = { 128, 129, 1, 2, 3, 4, 135, 136, 137, 143, 200, 0 };
		uint8_t t = proto == 1 ? t4[rn(sizeof(t4))] : t6[rn(sizeof(t6))];
		int err = proto == 1 ? (t == 3 || t == 11 || t == 12 || t == 4 || t == 5) :
				       t < 128;

		p[0] = t;
		p[1] = rn(16);
		put32(p + 4, rnd());
		len = 8;
		if (err && depth < 3 && chance(90)) {
			/* an error: the packet it is about, maybe truncated or nested */
			uint8_t isrc[16], idst[16];
			int saved_v6 = l4_v6;
			uint8_t ss[16], sd[16];
			size_t in;

			memcpy(ss, l4_src, 16);
			memcpy(sd, l4_dst, 16);
			memcpy(isrc, l4_dst, 16);
			memcpy(idst, l4_src, 16);
			if (chance(30))
				isrc[3] ^= rnd();
			l4_v6 = proto == 58;
			memcpy(l4_src, isrc, 16);
			memcpy(l4_dst, idst, 16);
			in = gen_ip(p + 8, room - 8 > 600 ? 600 : room - 8, proto == 58,
				    isrc, idst, depth + 1, NULL);
			l4_v6 = saved_v6;
			memcpy(l4_src, ss, 16);
			memcpy(l4_dst, sd, 16);
			if (chance(40))
				in = rn(in + 1);	/* truncated inner packet */
			len += in;
		} else {
			pay = rn(64);
			for (size_t i = 0; i < pay; i++)
				p[8 + i] = rnd();
			len += pay;
		}
		if (chance(95)) {
			if (proto == 1)
				l4_csum(p, len, 1, 2);
			else
				l4_csum(p, len, 58, 2);
		}
		break;
	}
	default:
		len = rn(64);
		for (size_t i = 0; i < len; i++)
			p[i] = rnd();
		break;
	}
	return len;
}

static int parse_mac(const char *s, uint8_t *m)
{
	return sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &m[0], &m[1], &m[2],
		      &m[3], &m[4], &m[5]) == 6 ? 0 : -1;
}

static int cmd_pkt(uint64_t seed, unsigned long count, const char *ifname,
		   const char *mac, int output)
{
	uint8_t dmac[6], smac[6];
	struct sockaddr_ll ll = { .sll_family = AF_PACKET };
	unsigned long sent = 0, failed = 0, refused = 0, held = 0, passed = 0;
	int fd = -1, fd4 = -1, fd6 = -1;
	time_t t0 = time(NULL);

	rng_state = seed ? seed : 1;
	printf("pkt seed=%llu count=%lu%s\n", (unsigned long long)seed, count,
	       output ? " output" : "");
	fflush(stdout);
	if (output) {
		fd4 = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
		fd6 = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW);
		if (fd4 < 0 || fd6 < 0)
			die("raw socket");
	} else {
		struct ifreq ifr = { 0 };

		if (!ifname || !mac || parse_mac(mac, dmac)) {
			fprintf(stderr, "ctfuzz: pkt needs -i IFACE -m MAC\n");
			return 2;
		}
		fd = socket(AF_PACKET, SOCK_RAW, 0);
		if (fd < 0)
			die("AF_PACKET");
		snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
		if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
			die("SIOCGIFHWADDR");
		memcpy(smac, ifr.ifr_hwaddr.sa_data, 6);
		ll.sll_ifindex = if_nametoindex(ifname);
		ll.sll_halen = 6;
		memcpy(ll.sll_addr, dmac, 6);
	}
	while (sent < count) {
		int v6 = chance(35), si = 0;
		uint8_t src[16] = { 0 }, dst[16] = { 0 };
		uint8_t *ip = output ? pkt : pkt + 14;
		size_t n;
		int fwd = chance(65);

		if (!v6) {
			/* never 10.0.2.0/24 as source: nothing may look like the server */
			uint8_t s4[4] = { 10, 0, 1, 2 };

			if (chance(30)) {
				s4[0] = chance(50) ? 10 : 192;
				s4[1] = chance(50) ? 0 : 168;
				s4[2] = chance(50) ? 1 : 3 + rn(250);
				s4[3] = 1 + rn(254);
			}
			if (output) {
				memcpy(src, chance(80) ? (uint8_t[4]){ 10, 0, 2, 1 } : s4, 4);
				memcpy(dst, chance(50) ? (uint8_t[4]){ 10, 0, 2, 2 } :
				       (uint8_t[4]){ 10, 0, 1, 2 }, 4);
			} else {
				memcpy(src, s4, 4);
				memcpy(dst, fwd ? (uint8_t[4]){ 10, 0, 2, 2 } :
				       (uint8_t[4]){ 10, 0, 1, 1 }, 4);
			}
		} else {
			src[0] = 0xfd; src[3] = 1; src[15] = 2;
			if (chance(30))
				src[15] = 3 + rn(250);
			dst[0] = 0xfd;
			dst[3] = fwd ? 2 : 1;
			dst[15] = fwd ? 2 : 1;
			if (output) {
				src[3] = 2; src[15] = 1;
				dst[3] = chance(50) ? 2 : 1; dst[15] = 2;
			}
		}
		l4_v6 = v6;
		memcpy(l4_src, src, 16);
		memcpy(l4_dst, dst, 16);
		n = gen_ip(ip, sizeof(pkt) - 14, v6, src, dst, 0, &si);
		if (!n)
			continue;
		if (chance(3) && n > 1) {
			n = rn(n);		/* truncated frame */
			si = 0;
		}
		if (output) {
			struct sockaddr_in a4 = { .sin_family = AF_INET };
			struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };

			memcpy(&a4.sin_addr, dst, 4);
			memcpy(&a6.sin6_addr, dst, 16);
			if ((v6 ? sendto(fd6, pkt, n, 0, (void *)&a6, sizeof(a6)) :
				  sendto(fd4, pkt, n, 0, (void *)&a4, sizeof(a4))) < 0) {
				if (errno == EPERM)
					refused++;	/* a netfilter drop */
				else
					failed++;
			} else if (is_fragment(ip, n)) {
				held++;		/* defrag queued it before the rules */
			} else {
				passed++;	/* accepted: must not happen */
				if (passed <= 5) {
					fprintf(stderr, "pkt output accepted:");
					for (size_t i = 0; i < n && i < 64; i++)
						fprintf(stderr, " %02x", ip[i]);
					fprintf(stderr, "\n");
				}
			}
		} else {
			memcpy(pkt, dmac, 6);
			memcpy(pkt + 6, smac, 6);
			put16(pkt + 12, v6 ? 0x86dd : 0x0800);
			if (n < 46)
				memset(pkt + 14 + n, 0, 46 - n);
			if (sendto(fd, pkt, n + 14 < 60 ? 60 : n + 14, 0, (void *)&ll,
				   sizeof(ll)) < 0) {
				failed++;
				if (errno == ENOBUFS)
					usleep(1000);
			} else if (si && !v6 && !memcmp(src, "\x0a\x00\x01\x02", 4)) {
				/* v6 may be dropped before the hooks (extension checks) */
				must_invalid++;
			}
		}
		sent++;
		if (sent % 200000 == 0) {
			printf("pkt progress %lu (%ld s)\n", sent, (long)(time(NULL) - t0));
			fflush(stdout);
		}
	}
	printf("pkt seed=%llu sent=%lu refused=%lu failed=%lu must_invalid=%lu seconds=%ld\n",
	       (unsigned long long)seed, sent, refused, failed, must_invalid,
	       (long)(time(NULL) - t0));
	if (output)
		printf("pkt output held=%lu passed=%lu\n", held, passed);
	return 0;
}

static int open_packet(const char *ifname, const char *mac, struct sockaddr_ll *ll,
		       uint8_t *smac)
{
	struct ifreq ifr = { 0 };
	int fd;

	if (!ifname || !mac || parse_mac(mac, ll->sll_addr)) {
		fprintf(stderr, "ctfuzz: needs -i IFACE -m MAC\n");
		exit(2);
	}
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0)
		die("AF_PACKET");
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		die("SIOCGIFHWADDR");
	memcpy(smac, ifr.ifr_hwaddr.sa_data, 6);
	ll->sll_family = AF_PACKET;
	ll->sll_ifindex = if_nametoindex(ifname);
	ll->sll_halen = 6;
	return fd;
}

static int cmd_flood(unsigned long max, int secs, const char *ifname, const char *mac)
{
	static const uint8_t src[4] = { 10, 0, 1, 2 }, dst[4] = { 10, 0, 2, 2 };
	struct sockaddr_ll ll = { 0 };
	unsigned long sent = 0, acc = 0, drop = 0, i = 0;
	time_t end = time(NULL) + secs;
	uint8_t smac[6];
	int fd = open_packet(ifname, mac, &ll, smac);

	rng_state = 42;
	while (sent < max && (sent & 255 || time(NULL) < end)) {
		uint8_t *ip = pkt + 14, *l4 = ip + 20;
		int accepted = chance(60), tcp = !accepted && chance(50);
		size_t l4len = tcp ? 20 : 8 + 16;

		memcpy(pkt, ll.sll_addr, 6);
		memcpy(pkt + 6, smac, 6);
		put16(pkt + 12, 0x0800);
		memset(ip, 0, 20 + l4len);
		ip[0] = 0x45;
		put16(ip + 2, 20 + l4len);
		put16(ip + 4, sent);
		ip[8] = 64;
		ip[9] = tcp ? 6 : 17;
		memcpy(ip + 12, src, 4);
		memcpy(ip + 16, dst, 4);
		put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
		l4_v6 = 0;
		memcpy(l4_src, src, 4);
		memcpy(l4_dst, dst, 4);
		if (accepted) {
			/* each accepted tuple once, so every one must be a new entry */
			put16(l4, 1024 + i % 60000);
			put16(l4 + 2, 1 + (i / 60000) % 40000);
			i++;
		} else {
			put16(l4, 1024 + rn(60000));
			put16(l4 + 2, 40001 + rn(25535));
		}
		if (tcp) {
			put32(l4 + 4, rnd());
			l4[12] = 5 << 4;
			l4[13] = 0x02;
			put16(l4 + 14, 65535);
			l4_csum(l4, 20, 6, 16);
		} else {
			put16(l4 + 4, l4len);
			l4_csum(l4, l4len, 17, 6);
		}
		if (sendto(fd, pkt, 14 + 20 + l4len < 60 ? 60 : 14 + 20 + l4len, 0,
			   (void *)&ll, sizeof(ll)) < 0) {
			if (errno == ENOBUFS) {
				usleep(500);
				continue;
			}
			die("sendto");
		}
		sent++;
		if (accepted)
			acc++;
		else
			drop++;
	}
	printf("flood sent=%lu accepted=%lu dropped=%lu\n", sent, acc, drop);
	return 0;
}

static int cmd_udp(unsigned long n, const char *host, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	unsigned long sent = 0;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	char b[64] = "ctfuzz";

	inet_pton(AF_INET, host, &a.sin_addr);
	while (sent < n) {
		if (sendto(fd, b, sizeof(b), 0, (void *)&a, sizeof(a)) < 0) {
			if (errno == ENOBUFS || errno == EAGAIN) {
				usleep(1000);
				continue;
			}
			die("sendto");
		}
		if (++sent % 32 == 0)
			usleep(2000);
	}
	printf("udp sent=%lu\n", sent);
	return 0;
}

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int cmd_count(const char *ifname, int secs)
{
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	unsigned long n = 0;
	time_t end = time(NULL) + secs;
	uint8_t b[2048];

	if (fd < 0)
		die("AF_PACKET");
	ll.sll_ifindex = if_nametoindex(ifname);
	if (bind(fd, (void *)&ll, sizeof(ll)) < 0)
		die("bind");
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	while (!stop && time(NULL) < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		struct sockaddr_ll from;
		socklen_t fl = sizeof(from);

		if (poll(&p, 1, 200) <= 0)
			continue;
		if (recvfrom(fd, b, sizeof(b), 0, (void *)&from, &fl) < 0)
			continue;
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (from.sll_protocol == htons(0x0800) || from.sll_protocol == htons(0x86dd))
			n++;
	}
	printf("%lu\n", n);
	return 0;
}

static int cmd_ftp(uint64_t seed, unsigned long lines, const char *host, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct timeval tv = { .tv_sec = 10 };
	static char line[4096], back[8192];
	unsigned long sent_bytes = 0, got = 0;
	int fd, one = 1;

	rng_state = seed ? seed : 1;
	printf("ftp seed=%llu lines=%lu\n", (unsigned long long)seed, lines);
	fflush(stdout);
	inet_pton(AF_INET, host, &a.sin_addr);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (void *)&a, sizeof(a)) < 0)
		die("connect");
	for (unsigned long i = 0; i < lines; i++) {
		size_t n;
		int k = rn(10);

		switch (k) {
		case 0: case 1:
			n = snprintf(line, sizeof(line), "PORT %d,%d,%d,%d,%d,%d\r\n",
				     chance(70) ? 10 : (int)extreme(4), chance(70) ? 0 : (int)rn(300),
				     chance(70) ? 1 : (int)rn(300), chance(60) ? 2 : (int)extreme(2),
				     (int)rn(300), chance(10) ? -1 : (int)rn(256));
			break;
		case 2:
			n = snprintf(line, sizeof(line), "EPRT %c%d%c%s%c%lu%c\r\n",
				     chance(80) ? '|' : (int)(rnd() % 94 + 33), (int)rn(4),
				     chance(90) ? '|' : '!',
				     chance(50) ? "10.0.1.2" : chance(50) ? "fd00:1::2" :
				     chance(50) ? "::ffff:10.0.1.2" : "1.2.3.4.5",
				     chance(90) ? '|' : ',', (unsigned long)extreme(4),
				     chance(90) ? '|' : ' ');
			break;
		case 3: case 4:
			n = snprintf(line, sizeof(line), "227 Entering Passive Mode (%d,%d,%d,%d,%d,%d)%s",
				     chance(70) ? 10 : (int)rn(999), 0, chance(50) ? 2 : 1,
				     chance(70) ? 2 : (int)extreme(2), (int)rn(400),
				     (int)rn(400), chance(80) ? "\r\n" : "");
			break;
		case 5:
			n = snprintf(line, sizeof(line), "229 Entering Extended Passive Mode (%c%c%c%lu%c)\r\n",
				     '|', chance(90) ? '|' : '2', '|',
				     (unsigned long)extreme(chance(50) ? 2 : 4), '|');
			break;
		case 6: {
			/* an overlong line with a PORT at a non-line start */
			n = 100 + rn(sizeof(line) - 200);
			memset(line, 'A' + rn(26), n);
			memcpy(line + n / 2, "\r\nPORT 10,0,1,2,4,1", 19);
			line[n - 2] = '\r';
			line[n - 1] = '\n';
			break;
		}
		default:
			n = 1 + rn(200);
			for (size_t j = 0; j < n; j++)
				line[j] = chance(80) ? "PORTEPRT227229,|()0123456789 \r\n"[rn(32)] : (char)rnd();
			break;
		}
		/* split at random points so the helper must reassemble */
		for (size_t off = 0; off < n;) {
			size_t part = chance(50) ? n - off : 1 + rn(n - off);

			if (write(fd, line + off, part) != (ssize_t)part)
				die("write");
			off += part;
			sent_bytes += part;
			if (chance(20))
				usleep(1000);
		}
		while (got + sizeof(back) < sent_bytes) {
			ssize_t r = read(fd, back, sizeof(back));

			if (r <= 0) {
				fprintf(stderr, "ctfuzz: ftp: echo stopped after %lu of %lu bytes\n",
					got, sent_bytes);
				return 1;
			}
			got += r;
		}
	}
	shutdown(fd, SHUT_WR);
	for (;;) {
		ssize_t r = read(fd, back, sizeof(back));

		if (r <= 0)
			break;
		got += r;
	}
	printf("ftp sent=%lu echoed=%lu\n", sent_bytes, got);
	return got == sent_bytes ? 0 : 1;
}

int main(int ac, char **av)
{
	const char *seed = NULL, *ifname = NULL, *mac = NULL;
	unsigned long count = 1000;
	int output = 0, c, secs = 10;

	if (ac < 2)
		goto usage;
	optind = 2;
	while ((c = getopt(ac, av, "s:n:i:m:ot:")) != -1) {
		switch (c) {
		case 's': seed = optarg; break;
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 'i': ifname = optarg; break;
		case 'm': mac = optarg; break;
		case 'o': output = 1; break;
		case 't': secs = atoi(optarg); break;
		default: goto usage;
		}
	}
	if (!strcmp(av[1], "nl"))
		return cmd_nl(seed_from(seed), count);
	if (!strcmp(av[1], "pkt"))
		return cmd_pkt(seed_from(seed), count, ifname, mac, output);
	if (!strcmp(av[1], "udp") && optind + 2 <= ac)
		return cmd_udp(count, av[optind], atoi(av[optind + 1]));
	if (!strcmp(av[1], "flood"))
		return cmd_flood(count, secs, ifname, mac);
	if (!strcmp(av[1], "count") && optind + 2 <= ac)
		return cmd_count(av[optind], atoi(av[optind + 1]));
	if (!strcmp(av[1], "ftp") && optind + 2 <= ac)
		return cmd_ftp(seed_from(seed), count, av[optind], atoi(av[optind + 1]));
usage:
	fprintf(stderr, "usage: see the comment at the top of tests/tools/ctfuzz.c\n");
	return 2;
}
