// SPDX-License-Identifier: GPL-2.0
/*
 * ctnl: raw requests to the "ctrack" generic netlink family, for tests that
 * need what a well-behaved tool never sends (wrong types, lengths, unknown
 * attributes, nonsense combinations) and for bulk requests.
 *
 *   ctnl [-u UID] [-d] [-p PATH]... [-c] CMD [ATTR...]
 *	-u: drop to UID first; -d: dump request;
 *	-c: print "messages=N intr=0|1" for the reply;
 *	-p PATH: print every value at PATH (attribute types, dot separated,
 *	e.g. 6.17 = RULE.PACKETS), one per line.
 *	ATTR: u8:T=V u16:T=V u32:T=V u64:T=V str:T=S strz:T=S bin:T=HEX
 *	      ip:T=ADDR flag:T nest:T ... end
 *   ctnl load-many N HOOK	RULESET_LOAD of table inet filter, its three base
 *				chains, N rules "tcp dport 1+i%60000 accept" in HOOK's
 *   ctnl add-many N HOOK	N RULE_ADD requests to HOOK's chain, one socket
 *   ctnl monitor N SECS	print "type seq" of up to N events, for SECS at most
 * Errors: "error ERRNO: EXTACK-MESSAGE" on stdout, exit status 1.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NLMSGERR_ATTR_MSG
#define NLMSGERR_ATTR_MSG 1
#endif

#define BUFSZ (4 << 20)

static const char *cmds[] = {
	"unspec", "rule_add", "rule_del", "rule_get", "rule_flush", "policy_set",
	"ruleset_load", "conn_get", "conn_del", "conn_flush", "conn_count",
	"expect_get", "expect_flush", "stats_get", "timeout_get", "timeout_set",
	"helper_get", "helper_add", "helper_del", "setting_get", "setting_set",
	"event", "set_add", "set_del", "set_get", "elem_add", "elem_del",
};

static int fd;
static uint16_t family_id;
static uint32_t mcgrp_id;
static uint32_t seq = 1;
static char *buf, *rbuf;
static size_t len;
static size_t nests[32];
static int nnest;

static void die(const char *m)
{
	perror(m);
	exit(2);
}

static void *put(uint16_t type, const void *data, size_t dlen)
{
	struct nlattr *a = (struct nlattr *)(buf + len);

	if (len + NLA_HDRLEN + NLA_ALIGN(dlen) > BUFSZ) {
		fprintf(stderr, "ctnl: request too large\n");
		exit(2);
	}
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + dlen;
	memcpy((char *)a + NLA_HDRLEN, data, dlen);
	memset((char *)a + NLA_HDRLEN + dlen, 0, NLA_ALIGN(dlen) - dlen);
	len += NLA_HDRLEN + NLA_ALIGN(dlen);
	return a;
}

static void nest_start(uint16_t type)
{
	nests[nnest++] = len;
	put(type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(void)
{
	struct nlattr *a = (struct nlattr *)(buf + nests[--nnest]);

	if (len - nests[nnest] > 0xffff) {
		fprintf(stderr, "ctnl: nest larger than 64 KiB\n");
		exit(2);
	}
	a->nla_len = len - nests[nnest];
}

static void msg_start(uint16_t type, uint16_t flags, uint8_t cmd)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct genlmsghdr *g = (struct genlmsghdr *)(buf + NLMSG_HDRLEN);

	memset(buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++seq;
	g->cmd = cmd;
	g->version = 1;
	len = NLMSG_HDRLEN + GENL_HDRLEN;
}

static void msg_send(void)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	nlh->nlmsg_len = len;
	if (sendto(fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		printf("error %d: sendto: %s\n", errno, strerror(errno));
		exit(1);
	}
}

typedef void (*msg_fn)(const struct nlmsghdr *nlh, void *arg);

/* Reads until the ack, the end of a dump or an error; 0 or -errno. */
static int msg_recv(msg_fn fn, void *arg, int *nmsgs, int *intr)
{
	for (;;) {
		ssize_t n = recv(fd, rbuf, BUFSZ, 0);
		struct nlmsghdr *nlh;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (nlh = (struct nlmsghdr *)rbuf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR && intr)
				*intr = 1;
			if (nlh->nlmsg_type == NLMSG_DONE) {
				int err = 0;

				if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
					memcpy(&err, NLMSG_DATA(nlh), sizeof(int));
				if (err < 0)
					goto error;
				return 0;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nlh);
				const char *msg = "";
				struct nlattr *a;
				size_t off, hl;
				int alen;

				if (!e->error)
					return 0;
				hl = sizeof(*e);
				if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
					hl += e->msg.nlmsg_len - NLMSG_HDRLEN;
				off = NLMSG_HDRLEN + NLMSG_ALIGN(hl);
				alen = nlh->nlmsg_len - off;
				for (a = (struct nlattr *)((char *)nlh + off);
				     alen >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
				     a->nla_len <= alen;
				     alen -= NLA_ALIGN(a->nla_len),
				     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))
					if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
						msg = (const char *)a + NLA_HDRLEN;
				printf("error %d: %s\n", -e->error, msg);
				return e->error;
			}
			if (nmsgs)
				(*nmsgs)++;
			if (fn)
				fn(nlh, arg);
		}
		continue;
error:
		printf("error %d: dump failed\n", -((int *)NLMSG_DATA(nlh))[0]);
		return ((int *)NLMSG_DATA(nlh))[0];
	}
}

static const struct nlattr *attrs_first(const struct nlmsghdr *nlh, int *rem)
{
	*rem = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	return (const struct nlattr *)((const char *)nlh + NLMSG_HDRLEN + GENL_HDRLEN);
}

#define for_each_attr(a, first, rem)					\
	for (a = (first); (rem) >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && \
	     a->nla_len <= (rem);					\
	     (rem) -= NLA_ALIGN(a->nla_len),				\
	     a = (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len)))

static const void *payload(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

static void print_value(const struct nlattr *a)
{
	int l = a->nla_len - NLA_HDRLEN;
	const void *p = payload(a);
	char s[INET6_ADDRSTRLEN];
	int i;

	/* A NUL-terminated printable payload is a string, whatever its length. */
	for (i = 0; i < l - 1 && ((const char *)p)[i] >= 0x20 &&
	     ((const char *)p)[i] < 0x7f; i++)
		;
	if (l > 1 && i == l - 1 && !((const char *)p)[l - 1]) {
		printf("%s\n", (const char *)p);
		return;
	}
	switch (l) {
	case 1: printf("%u\n", *(const uint8_t *)p); break;
	case 2: printf("%u\n", *(const uint16_t *)p); break;
	case 4: printf("%u\n", *(const uint32_t *)p); break;
	case 8: { uint64_t v; memcpy(&v, p, 8); printf("%llu\n", (unsigned long long)v); break; }
	case 16: printf("%s\n", inet_ntop(AF_INET6, p, s, sizeof(s))); break;
	default: printf("%.*s\n", l, (const char *)p);
	}
}

static void print_path(const struct nlattr *first, int rem, const int *path, int depth)
{
	const struct nlattr *a;

	for_each_attr(a, first, rem) {
		if ((a->nla_type & NLA_TYPE_MASK) != path[0])
			continue;
		if (depth == 1)
			print_value(a);
		else
			print_path(payload(a), a->nla_len - NLA_HDRLEN, path + 1, depth - 1);
	}
}

struct paths {
	int n;
	int p[8][8];
	int depth[8];
};

static void print_paths(const struct nlmsghdr *nlh, void *arg)
{
	struct paths *ps = arg;
	int i, rem;

	for (i = 0; i < ps->n; i++) {
		const struct nlattr *first = attrs_first(nlh, &rem);

		print_path(first, rem, ps->p[i], ps->depth[i]);
	}
}

static void resolve_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *a, *g, *f;
	int rem, r2, r3;

	(void)arg;
	for_each_attr(a, attrs_first(nlh, &rem), rem) {
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			family_id = *(const uint16_t *)payload(a);
		if ((a->nla_type & NLA_TYPE_MASK) != CTRL_ATTR_MCAST_GROUPS)
			continue;
		r2 = a->nla_len - NLA_HDRLEN;
		for_each_attr(g, (const struct nlattr *)payload(a), r2) {
			uint32_t id = 0;
			int events = 0;

			r3 = g->nla_len - NLA_HDRLEN;
			for_each_attr(f, (const struct nlattr *)payload(g), r3) {
				if (f->nla_type == CTRL_ATTR_MCAST_GRP_ID)
					id = *(const uint32_t *)payload(f);
				if (f->nla_type == CTRL_ATTR_MCAST_GRP_NAME &&
				    !strcmp(payload(f), "events"))
					events = 1;
			}
			if (events)
				mcgrp_id = id;
		}
	}
}

static void resolve(void)
{
	msg_start(GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY);
	put(CTRL_ATTR_FAMILY_NAME, "ctrack", 7);
	msg_send();
	if (msg_recv(resolve_cb, NULL, NULL, NULL) || !family_id) {
		printf("error: family ctrack not found\n");
		exit(1);
	}
}

static int parse_cmd(const char *s)
{
	unsigned int i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(s, cmds[i]))
			return i;
	return atoi(s);
}

static void parse_attr(const char *tok)
{
	char kind[8] = "";
	unsigned int type = 0;
	const char *val = strchr(tok, '=');
	unsigned long long v = val ? strtoull(val + 1, NULL, 0) : 0;

	if (!strcmp(tok, "end")) {
		nest_end();
		return;
	}
	if (sscanf(tok, "%7[a-z0-9]:%u", kind, &type) != 2) {
		fprintf(stderr, "ctnl: bad attribute '%s'\n", tok);
		exit(2);
	}
	if (!strcmp(kind, "u8")) {
		uint8_t x = v;
		put(type, &x, 1);
	} else if (!strcmp(kind, "u16")) {
		uint16_t x = v;
		put(type, &x, 2);
	} else if (!strcmp(kind, "u32")) {
		uint32_t x = v;
		put(type, &x, 4);
	} else if (!strcmp(kind, "u64")) {
		uint64_t x = v;
		put(type, &x, 8);
	} else if (!strcmp(kind, "str")) {
		put(type, val + 1, strlen(val + 1));
	} else if (!strcmp(kind, "strz")) {
		put(type, val + 1, strlen(val + 1) + 1);
	} else if (!strcmp(kind, "bin")) {
		unsigned char b[256];
		size_t n = 0;
		const char *h;

		for (h = val + 1; h[0] && h[1] && n < sizeof(b); h += 2)
			sscanf(h, "%2hhx", &b[n++]);
		put(type, b, n);
	} else if (!strcmp(kind, "ip")) {
		unsigned char a[16];

		if (inet_pton(AF_INET, val + 1, a) == 1)
			put(type, a, 4);
		else if (inet_pton(AF_INET6, val + 1, a) == 1)
			put(type, a, 16);
		else {
			fprintf(stderr, "ctnl: bad address '%s'\n", val + 1);
			exit(2);
		}
	} else if (!strcmp(kind, "flag")) {
		put(type, NULL, 0);
	} else if (!strcmp(kind, "nest")) {
		nest_start(type);
	} else {
		fprintf(stderr, "ctnl: bad attribute kind '%s'\n", kind);
		exit(2);
	}
}

/* The rule "tcp dport P accept" (uapi numbers). */
static void put_tcp_rule(uint32_t port)
{
	uint8_t dport = 10, accept = 1;	/* CTRACK_KEY_TCP_DPORT, _VERDICT_ACCEPT */

	nest_start(6);			/* CTRACK_A_RULE */
	nest_start(2);			/* MATCH */
	put(1, &dport, 1);		/* KEY */
	put(3, &port, 4);		/* VALUE */
	nest_end();
	put(3, &accept, 1);		/* VERDICT */
	nest_end();
}

static const char *const hook_names[] = { "input", "forward", "output" };

/* Table inet filter (CTRACK_A_TABLE). */
static void put_table(void)
{
	uint8_t inet = 1;

	nest_start(1);
	put(1, &inet, 1);		/* FAMILY */
	put(2, "filter", 7);		/* NAME */
	nest_end();
}

/* Its chain of @hook (CTRACK_A_CHAIN), by name or as a base chain. */
static void put_chain(uint8_t hook, bool base)
{
	uint8_t accept = 1;
	int32_t prio = 0;

	nest_start(7);
	put(1, hook_names[hook], strlen(hook_names[hook]) + 1);
	if (base) {
		put(2, &hook, 1);	/* HOOK */
		put(3, &prio, 4);	/* PRIORITY */
		put(4, &accept, 1);	/* POLICY */
	}
	nest_end();
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void monitor_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *a;
	unsigned long long s = 0;
	int rem, type = -1;

	(void)arg;
	for_each_attr(a, attrs_first(nlh, &rem), rem) {
		if (a->nla_type == 17)		/* EVENT_TYPE */
			type = *(const uint8_t *)payload(a);
		if (a->nla_type == 18)		/* EVENT_SEQ */
			memcpy(&s, payload(a), 8);
	}
	printf("%d %llu\n", type, s);
	fflush(stdout);
}

static int monitor(int n, int secs)
{
	double end = now() + secs;
	int got = 0;

	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &mcgrp_id,
		       sizeof(mcgrp_id)) < 0) {
		printf("error %d: %s\n", errno, strerror(errno));
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	while (got < n && now() < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;
		struct nlmsghdr *nlh;

		if (poll(&p, 1, 200) <= 0)
			continue;
		r = recv(fd, rbuf, BUFSZ, 0);
		if (r < 0) {
			printf("error %d: %s\n", errno, strerror(errno));
			if (errno == ENOBUFS)
				continue;
			return 1;
		}
		for (nlh = (struct nlmsghdr *)rbuf; NLMSG_OK(nlh, r);
		     nlh = NLMSG_NEXT(nlh, r)) {
			monitor_cb(nlh, NULL);
			got++;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, sz = BUFSZ, opt, dump = 0, count = 0, nmsgs = 0, intr = 0;
	struct paths ps = { 0 };
	int ret, i;

	buf = malloc(BUFSZ);
	rbuf = malloc(BUFSZ);
	if (!buf || !rbuf)
		die("malloc");
	while ((opt = getopt(argc, argv, "u:dcp:")) != -1) {
		switch (opt) {
		case 'u':
			if (setgid(atoi(optarg)) || setuid(atoi(optarg)))
				die("setuid");
			break;
		case 'd': dump = 1; break;
		case 'c': count = 1; break;
		case 'p': {
			char *s = optarg, *end;
			int d = 0;

			if (ps.n == 8)
				break;
			while (*s && d < 8) {
				ps.p[ps.n][d++] = strtol(s, &end, 10);
				s = *end ? end + 1 : end;
			}
			ps.depth[ps.n++] = d;
			break;
		}
		default: return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: ctnl [-d] [-c] [-p PATH] CMD [ATTR...]\n");
		return 2;
	}
	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("bind");
	resolve();

	if (!strcmp(argv[optind], "monitor") && argc - optind == 3)
		return monitor(atoi(argv[optind + 1]), atoi(argv[optind + 2]));
	if (!strcmp(argv[optind], "load-many") && argc - optind == 3) {
		int n = atoi(argv[optind + 1]);
		uint8_t hook = atoi(argv[optind + 2]) % 3;

		/* The default table, with the rules in the chain of HOOK. */
		msg_start(family_id, 0, 6);
		put_table();
		for (uint8_t h = 0; h < 3; h++) {
			put_chain(h, true);
			for (i = 0; h == hook && i < n; i++)
				put_tcp_rule(1 + i % 60000);
		}
		msg_send();
		ret = msg_recv(NULL, NULL, NULL, NULL);
		if (!ret)
			printf("ok\n");
		return ret ? 1 : 0;
	}
	if (!strcmp(argv[optind], "add-many") && argc - optind == 3) {
		int n = atoi(argv[optind + 1]);
		uint8_t hook = atoi(argv[optind + 2]) % 3;

		for (i = 0; i < n; i++) {
			msg_start(family_id, 0, 1);
			put_chain(hook, false);
			put_tcp_rule(1 + i % 60000);
			msg_send();
			ret = msg_recv(NULL, NULL, NULL, NULL);
			if (ret)
				return 1;
		}
		printf("ok\n");
		return 0;
	}

	msg_start(family_id, dump ? NLM_F_DUMP : 0, parse_cmd(argv[optind]));
	for (i = optind + 1; i < argc; i++)
		parse_attr(argv[i]);
	while (nnest)
		nest_end();
	msg_send();
	ret = msg_recv(ps.n ? print_paths : NULL, &ps, &nmsgs, &intr);
	if (count)
		printf("messages=%d intr=%d\n", nmsgs, intr);
	if (!ret && !ps.n && !count)
		printf("ok\n");
	return ret ? 1 : 0;
}
