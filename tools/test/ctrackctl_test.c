// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of ctrackctl's parser and printers: no kernel involved.
 * Connection lines are built as the kernel would send them (netlink
 * attributes) and must print exactly as /proc/net/nf_conntrack does.
 *
 *   ctrackctl_test              run the tests; last line "N passed, N failed"
 *   ctrackctl_test json DIR     write JSON samples to DIR for an outside validator
 */
#include <dirent.h>
#include <ftw.h>
#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/genetlink.h>
#include <linux/netfilter.h>
#include "ctrackctl.h"

static int passed, failed;

static void check_str(const char *name, const char *got, const char *want)
{
	if (got && !strcmp(got, want)) {
		passed++;
		printf("ok - %s\n", name);
		return;
	}
	failed++;
	printf("not ok - %s\n#   got:  '%s'\n#   want: '%s'\n", name, got ? got : "(null)", want);
}

static void check(const char *name, bool cond)
{
	if (cond) {
		passed++;
		printf("ok - %s\n", name);
	} else {
		failed++;
		printf("not ok - %s\n", name);
	}
}

/* ---- building attributes as the kernel sends them ---- */

struct conn_spec {
	uint8_t family, proto;
	const char *src, *dst;
	uint16_t sport, dport;
	int state;			/* -1: no STATE attribute */
	uint32_t status, timeout;
	bool acct;
	uint64_t pk0, by0, pk1, by1;
	const char *msrc, *mdst;	/* master tuple, NULL: none */
	uint16_t msport, mdport;
};

static void put_addr(struct nlmsghdr *nlh, uint16_t type, uint8_t family, const char *s)
{
	uint8_t a[16];

	inet_pton(family == NFPROTO_IPV6 ? AF_INET6 : AF_INET, s, a);
	mnl_attr_put(nlh, type, family == NFPROTO_IPV6 ? 16 : 4, a);
}

static void put_tuple(struct nlmsghdr *nlh, uint16_t type, uint8_t family, uint8_t proto,
		      const char *src, const char *dst, uint16_t sport, uint16_t dport)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, type);

	mnl_attr_put_u8(nlh, CTRACK_A_TUPLE_FAMILY, family);
	mnl_attr_put_u8(nlh, CTRACK_A_TUPLE_PROTO, proto);
	put_addr(nlh, CTRACK_A_TUPLE_SRC, family, src);
	put_addr(nlh, CTRACK_A_TUPLE_DST, family, dst);
	mnl_attr_put_u16(nlh, CTRACK_A_TUPLE_SPORT, sport);
	mnl_attr_put_u16(nlh, CTRACK_A_TUPLE_DPORT, dport);
	mnl_attr_nest_end(nlh, n);
}

static struct nlattr *build_conn(void *buf, const struct conn_spec *s)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlattr *n = mnl_attr_nest_start(nlh, CTRACK_A_CONN);

	put_tuple(nlh, CTRACK_A_CONN_ORIG, s->family, s->proto, s->src, s->dst, s->sport,
		  s->dport);
	if (s->state >= 0)
		mnl_attr_put_u8(nlh, CTRACK_A_CONN_STATE, s->state);
	mnl_attr_put_u32(nlh, CTRACK_A_CONN_STATUS, s->status);
	mnl_attr_put_u32(nlh, CTRACK_A_CONN_TIMEOUT, s->timeout);
	if (s->acct) {
		mnl_attr_put_u64(nlh, CTRACK_A_CONN_PACKETS_ORIG, s->pk0);
		mnl_attr_put_u64(nlh, CTRACK_A_CONN_BYTES_ORIG, s->by0);
		mnl_attr_put_u64(nlh, CTRACK_A_CONN_PACKETS_REPLY, s->pk1);
		mnl_attr_put_u64(nlh, CTRACK_A_CONN_BYTES_REPLY, s->by1);
	}
	if (s->msrc)
		put_tuple(nlh, CTRACK_A_CONN_MASTER, s->family, IPPROTO_TCP, s->msrc, s->mdst,
			  s->msport, s->mdport);
	if (s->status & (1U << CTRACK_S_HELPER))
		mnl_attr_put_strz(nlh, CTRACK_A_CONN_HELPER, "ftp");
	mnl_attr_nest_end(nlh, n);
	return n;
}

#define SEEN	(1U << CTRACK_S_SEEN_REPLY)
#define ASS	(1U << CTRACK_S_ASSURED)
#define REL	(1U << CTRACK_S_RELATED)
#define HLP	(1U << CTRACK_S_HELPER)

static const struct {
	const char *name;
	struct conn_spec s;
	bool prefix;
	const char *want;
} conn_cases[] = {
	{ "tcp established assured (the INTERFACE.md line)",
	  { NFPROTO_IPV4, IPPROTO_TCP, "10.0.1.2", "10.0.1.1", 51234, 22, CTRACK_TCP_ESTABLISHED,
	    SEEN | ASS, 431999, true, 12, 1456, 9, 1987, NULL, NULL, 0, 0 }, true,
	  "ipv4     2 tcp      6 431999 ESTABLISHED src=10.0.1.2 dst=10.0.1.1 sport=51234 dport=22 packets=12 bytes=1456 src=10.0.1.1 dst=10.0.1.2 sport=22 dport=51234 packets=9 bytes=1987 [ASSURED] use=1" },
	{ "tcp syn_sent unreplied",
	  { NFPROTO_IPV4, IPPROTO_TCP, "10.0.1.2", "10.0.1.1", 40000, 80, CTRACK_TCP_SYN_SENT,
	    0, 119, true, 1, 60, 0, 0, NULL, NULL, 0, 0 }, true,
	  "ipv4     2 tcp      6 119 SYN_SENT src=10.0.1.2 dst=10.0.1.1 sport=40000 dport=80 packets=1 bytes=60 [UNREPLIED] src=10.0.1.1 dst=10.0.1.2 sport=80 dport=40000 packets=0 bytes=0 use=1" },
	{ "tcp without accounting attributes",
	  { NFPROTO_IPV4, IPPROTO_TCP, "192.168.2.100", "123.59.27.117", 34846, 993,
	    CTRACK_TCP_ESTABLISHED, SEEN | ASS, 431982, false, 0, 0, 0, 0, NULL, NULL, 0, 0 },
	  false,
	  "tcp      6 431982 ESTABLISHED src=192.168.2.100 dst=123.59.27.117 sport=34846 dport=993 src=123.59.27.117 dst=192.168.2.100 sport=993 dport=34846 [ASSURED] use=1" },
	{ "udp unreplied has no state word",
	  { NFPROTO_IPV4, IPPROTO_UDP, "10.0.1.2", "10.0.1.1", 5353, 53, -1, 0, 29, true,
	    1, 70, 0, 0, NULL, NULL, 0, 0 }, true,
	  "ipv4     2 udp      17 29 src=10.0.1.2 dst=10.0.1.1 sport=5353 dport=53 packets=1 bytes=70 [UNREPLIED] src=10.0.1.1 dst=10.0.1.2 sport=53 dport=5353 packets=0 bytes=0 use=1" },
	{ "udp stream assured",
	  { NFPROTO_IPV4, IPPROTO_UDP, "10.0.1.2", "10.0.1.1", 40001, 1194, -1, SEEN | ASS, 119,
	    true, 5, 500, 4, 400, NULL, NULL, 0, 0 }, true,
	  "ipv4     2 udp      17 119 src=10.0.1.2 dst=10.0.1.1 sport=40001 dport=1194 packets=5 bytes=500 src=10.0.1.1 dst=10.0.1.2 sport=1194 dport=40001 packets=4 bytes=400 [ASSURED] use=1" },
	{ "icmp echo: reply tuple carries echo-reply",
	  { NFPROTO_IPV4, IPPROTO_ICMP, "10.0.1.2", "10.0.1.1", 1234, 8 << 8, -1, SEEN, 29, true,
	    1, 84, 1, 84, NULL, NULL, 0, 0 }, true,
	  "ipv4     2 icmp     1 29 src=10.0.1.2 dst=10.0.1.1 type=8 code=0 id=1234 packets=1 bytes=84 src=10.0.1.1 dst=10.0.1.2 type=0 code=0 id=1234 packets=1 bytes=84 use=1" },
	{ "icmp timestamp unreplied",
	  { NFPROTO_IPV4, IPPROTO_ICMP, "10.0.1.2", "10.0.1.1", 7, 13 << 8, -1, 0, 30, false,
	    0, 0, 0, 0, NULL, NULL, 0, 0 }, true,
	  "ipv4     2 icmp     1 30 src=10.0.1.2 dst=10.0.1.1 type=13 code=0 id=7 [UNREPLIED] src=10.0.1.1 dst=10.0.1.2 type=14 code=0 id=7 use=1" },
	{ "ipv6 tcp prints full addresses",
	  { NFPROTO_IPV6, IPPROTO_TCP, "2001:db8::1", "2001:db8::2", 50000, 443,
	    CTRACK_TCP_TIME_WAIT, SEEN | ASS, 117, true, 10, 1000, 8, 4000, NULL, NULL, 0, 0 },
	  true,
	  "ipv6     10 tcp      6 117 TIME_WAIT src=2001:0db8:0000:0000:0000:0000:0000:0001 dst=2001:0db8:0000:0000:0000:0000:0000:0002 sport=50000 dport=443 packets=10 bytes=1000 src=2001:0db8:0000:0000:0000:0000:0000:0002 dst=2001:0db8:0000:0000:0000:0000:0000:0001 sport=443 dport=50000 packets=8 bytes=4000 [ASSURED] use=1" },
	{ "icmpv6 echo 128 -> 129",
	  { NFPROTO_IPV6, IPPROTO_ICMPV6, "fe80::1", "fe80::2", 99, 128 << 8, -1, SEEN, 29, true,
	    2, 208, 2, 208, NULL, NULL, 0, 0 }, true,
	  "ipv6     10 icmpv6   58 29 src=fe80:0000:0000:0000:0000:0000:0000:0001 dst=fe80:0000:0000:0000:0000:0000:0000:0002 type=128 code=0 id=99 packets=2 bytes=208 src=fe80:0000:0000:0000:0000:0000:0000:0002 dst=fe80:0000:0000:0000:0000:0000:0000:0001 type=129 code=0 id=99 packets=2 bytes=208 use=1" },
	{ "generic protocol: addresses only",
	  { NFPROTO_IPV4, IPPROTO_GRE, "10.0.1.2", "10.0.1.1", 0, 0, -1, SEEN, 599, false,
	    0, 0, 0, 0, NULL, NULL, 0, 0 }, true,
	  "ipv4     2 gre      47 599 src=10.0.1.2 dst=10.0.1.1 src=10.0.1.1 dst=10.0.1.2 use=1" },
	{ "related ftp data: master= at the end",
	  { NFPROTO_IPV4, IPPROTO_TCP, "10.0.1.1", "10.0.1.2", 20, 41234, CTRACK_TCP_SYN_SENT,
	    REL, 120, true, 1, 60, 0, 0, "10.0.1.2", "10.0.1.1", 40000, 21 }, true,
	  "ipv4     2 tcp      6 120 SYN_SENT src=10.0.1.1 dst=10.0.1.2 sport=20 dport=41234 packets=1 bytes=60 [UNREPLIED] src=10.0.1.2 dst=10.0.1.1 sport=41234 dport=20 packets=0 bytes=0 use=1 master=10.0.1.2:40000->10.0.1.1:21" },
	{ "ftp control with helper, ipv6 master brackets",
	  { NFPROTO_IPV6, IPPROTO_TCP, "2001:db8::1", "2001:db8::2", 50001, 2000,
	    CTRACK_TCP_ESTABLISHED, SEEN | ASS | REL | HLP, 300, false, 0, 0, 0, 0,
	    "2001:db8::1", "2001:db8::2", 50000, 21 }, false,
	  "tcp      6 300 ESTABLISHED src=2001:0db8:0000:0000:0000:0000:0000:0001 dst=2001:0db8:0000:0000:0000:0000:0000:0002 sport=50001 dport=2000 src=2001:0db8:0000:0000:0000:0000:0000:0002 dst=2001:0db8:0000:0000:0000:0000:0000:0001 sport=2000 dport=50001 [ASSURED] use=1 helper=ftp master=[2001:db8::1]:50000->[2001:db8::2]:21" },
};

static char *capture_conn(const struct ct_conn *c, bool prefix)
{
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	ct_print_conn(m, c, prefix);
	fclose(m);
	if (len && out[len - 1] == '\n')
		out[len - 1] = '\0';
	return out;
}

static void test_conn_lines(void)
{
	for (size_t i = 0; i < sizeof(conn_cases) / sizeof(conn_cases[0]); i++) {
		static char buf[4096];
		struct ct_conn c;
		char *got = NULL;

		memset(buf, 0, sizeof(buf));
		if (!ct_conn_from_attr(build_conn(buf, &conn_cases[i].s), &c))
			got = capture_conn(&c, conn_cases[i].prefix);
		check_str(conn_cases[i].name, got, conn_cases[i].want);
		free(got);
	}
}

static void test_conn_malformed(void)
{
	static char buf[4096];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlattr *n = mnl_attr_nest_start(nlh, CTRACK_A_CONN), *t;
	struct ct_conn c;
	uint8_t three[3] = { 1, 2, 3 };

	/* a 3-byte source address must be refused, not read past */
	t = mnl_attr_nest_start(nlh, CTRACK_A_CONN_ORIG);
	mnl_attr_put_u8(nlh, CTRACK_A_TUPLE_FAMILY, NFPROTO_IPV4);
	mnl_attr_put(nlh, CTRACK_A_TUPLE_SRC, 3, three);
	mnl_attr_nest_end(nlh, t);
	mnl_attr_nest_end(nlh, n);
	check("malformed tuple (3-byte address) is refused", ct_conn_from_attr(n, &c) < 0);

	nlh = mnl_nlmsg_put_header(buf);
	n = mnl_attr_nest_start(nlh, CTRACK_A_CONN);
	mnl_attr_put_u32(nlh, CTRACK_A_CONN_TIMEOUT, 5);
	mnl_attr_nest_end(nlh, n);
	check("connection without ORIG tuple is refused", ct_conn_from_attr(n, &c) < 0);

	nlh = mnl_nlmsg_put_header(buf);
	n = mnl_attr_nest_start(nlh, CTRACK_A_CONN);
	put_tuple(nlh, CTRACK_A_CONN_ORIG, NFPROTO_IPV4, 6, "1.2.3.4", "5.6.7.8", 1, 2);
	mnl_attr_put_u16(nlh, CTRACK_A_CONN_STATUS, 1);
	mnl_attr_nest_end(nlh, n);
	check("status attribute of the wrong size is refused", ct_conn_from_attr(n, &c) < 0);

	nlh = mnl_nlmsg_put_header(buf);
	n = mnl_attr_nest_start(nlh, CTRACK_A_CONN);
	put_tuple(nlh, CTRACK_A_CONN_ORIG, NFPROTO_IPV4, 6, "1.2.3.4", "5.6.7.8", 1, 2);
	mnl_attr_put_u32(nlh, 200, 1);	/* unknown attribute from a newer kernel */
	mnl_attr_nest_end(nlh, n);
	check("unknown attribute is ignored", ct_conn_from_attr(n, &c) == 0);
}

/* rules from a kernel: what this tool cannot show is refused, not misread */
static void test_rule_malformed(void)
{
	static char buf[4096];
	struct nlmsghdr *nlh;
	struct nlattr *r, *m, *v;
	struct ct_rule rule;
	uint8_t a16[16] = { 0 };
	static const struct {
		const char *name;
		int key, vlen;
		bool ok;
	} cases[] = {
		{ "rule with a key newer than the tool is refused", __CTRACK_KEY_MAX, 4, false },
		{ "rule with key 0 is refused", 0, 4, false },
		{ "ip saddr with a 16-byte value is refused", CTRACK_KEY_IP_SADDR, 16, false },
		{ "tcp dport with a 2-byte value is refused", CTRACK_KEY_TCP_DPORT, 2, false },
		{ "iifname without its NUL is refused", CTRACK_KEY_IIFNAME, 4, false },
		{ "ip6 saddr with 16 bytes is read", CTRACK_KEY_IP6_SADDR, 16, true },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret;

		memset(a16, 'a', sizeof(a16));
		nlh = mnl_nlmsg_put_header(buf);
		r = mnl_attr_nest_start(nlh, CTRACK_A_RULE);
		m = mnl_attr_nest_start(nlh, CTRACK_A_RULE_MATCH);
		mnl_attr_put_u8(nlh, CTRACK_A_MATCH_KEY, cases[i].key);
		mnl_attr_put(nlh, CTRACK_A_MATCH_VALUE, cases[i].vlen, a16);
		mnl_attr_nest_end(nlh, m);
		mnl_attr_put_u8(nlh, CTRACK_A_RULE_VERDICT, CTRACK_VERDICT_ACCEPT);
		mnl_attr_nest_end(nlh, r);
		ret = ct_rule_from_attr(r, &rule);
		check(cases[i].name, cases[i].ok ? ret == 0 : ret < 0);
		if (!ret)
			ct_rule_free(&rule);
	}
	/* a vmap element whose value does not fit the key */
	nlh = mnl_nlmsg_put_header(buf);
	r = mnl_attr_nest_start(nlh, CTRACK_A_RULE);
	m = mnl_attr_nest_start(nlh, CTRACK_A_RULE_VMAP);
	mnl_attr_put_u8(nlh, CTRACK_A_VMAP_KEY, CTRACK_KEY_IP_DADDR);
	v = mnl_attr_nest_start(nlh, CTRACK_A_VMAP_ELEM);
	mnl_attr_put(nlh, CTRACK_A_ELEM_VALUE, 3, a16);
	mnl_attr_put_u8(nlh, CTRACK_A_ELEM_VERDICT, CTRACK_VERDICT_DROP);
	mnl_attr_nest_end(nlh, v);
	mnl_attr_nest_end(nlh, m);
	mnl_attr_nest_end(nlh, r);
	check("vmap element with a 3-byte address is refused", ct_rule_from_attr(r, &rule) < 0);
}

/* ---- rules: command line -> attributes -> decode -> nft text ---- */

static int split(char *s, char **argv, int max)
{
	int n = 0;

	for (char *t = strtok(s, " "); t && n < max; t = strtok(NULL, " "))
		argv[n++] = t;
	return n;
}

static char *rule_text(const struct ct_rule *r, bool numeric)
{
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	ct_print_rule(m, r, numeric);
	fclose(m);
	return out;
}

/* Parses words, sends them through attributes as the kernel echoes them, prints. */
static char *rule_roundtrip(const char *in, bool numeric)
{
	static char buf[65536];
	char tmp[1024], *argv[128];
	int argc;
	struct ct_rule r, back;
	struct nlmsghdr *nlh;
	char *out;

	snprintf(tmp, sizeof(tmp), "%s", in);
	argc = split(tmp, argv, 128);
	if (ct_parse_rule(argc, argv, &r))
		return NULL;
	nlh = mnl_nlmsg_put_header(buf);
	if (ct_put_rule(nlh, sizeof(buf), CTRACK_A_RULE, &r)) {
		ct_rule_free(&r);
		return NULL;
	}
	ct_rule_free(&r);
	if (ct_rule_from_attr(mnl_nlmsg_get_payload(nlh), &back))
		return NULL;
	out = rule_text(&back, numeric);
	ct_rule_free(&back);
	return out;
}

static const struct {
	const char *in, *want;
	bool numeric;
} rule_cases[] = {
	{ "ct state established,related accept", "ct state established,related accept" },
	{ "ct state related,established accept", "ct state established,related accept" },
	{ "ct state established, related accept", "ct state established,related accept" },
	{ "ct state { established, related } accept", "ct state { established, related } accept" },
	{ "ct state != invalid accept", "ct state != invalid accept" },
	{ "ct state == new accept", "ct state == new accept" },
	{ "ct state invalid drop", "ct state invalid drop" },
	{ "ct state new tcp dport 22 accept", "ct state new tcp dport 22 accept" },
	{ "ct state new,established,related,invalid,untracked",
	  "ct state invalid,established,related,new,untracked" },
	{ "ip saddr 10.1.2.3/8 drop", "ip saddr 10.0.0.0/8 drop" },
	{ "ip saddr != 10.0.0.0/8 drop", "ip saddr != 10.0.0.0/8 drop" },
	{ "ip saddr == 10.0.0.1 drop", "ip saddr 10.0.0.1 drop" },
	{ "ip daddr 10.0.0.1-10.0.0.9 drop", "ip daddr 10.0.0.1-10.0.0.9 drop" },
	{ "ip saddr { 10.0.0.1, 192.168.0.0/16, 172.16.0.1-172.16.0.9 } drop",
	  "ip saddr { 10.0.0.1, 192.168.0.0/16, 172.16.0.1-172.16.0.9 } drop" },
	{ "ip6 saddr 2001:db8::1/48 accept", "ip6 saddr 2001:db8::/48 accept" },
	{ "ip6 daddr { ::1, fe80::/10 } accept", "ip6 daddr { ::1, fe80::/10 } accept" },
	{ "ip", "meta nfproto ipv4" },
	{ "ip6 tcp", "meta nfproto ipv6 meta l4proto tcp" },
	{ "meta nfproto ipv6 accept", "meta nfproto ipv6 accept" },
	{ "meta l4proto { tcp, udp } th dport 53 accept",
	  "meta l4proto { tcp, udp } th dport 53 accept" },
	{ "meta l4proto 47 accept", "meta l4proto gre accept" },
	{ "ip protocol icmp accept", "ip protocol icmp accept" },
	{ "ip protocol != 6 accept", "ip protocol != tcp accept" },
	{ "ip6 nexthdr icmpv6 accept", "ip6 nexthdr ipv6-icmp accept" },
	{ "udp sport 1000-2000 udp dport 53 accept", "udp sport 1000-2000 udp dport 53 accept" },
	{ "tcp dport 0-65535 reject", "tcp dport 0-65535 reject" },
	{ "tcp dport 80 - 90 accept", "tcp dport 80-90 accept" },
	{ "ip saddr 10.0.0.1 - 10.0.0.9", "ip saddr 10.0.0.1-10.0.0.9" },
	{ "tcp dport { 1 - 5, 7 }", "tcp dport { 1-5, 7 }" },
	{ "ip6 saddr { ::1 - ::9 }", "ip6 saddr { ::1-::9 }" },
	{ "tcp dport != 22 drop", "tcp dport != 22 drop" },
	{ "tcp dport { 22, 80, 8000-8080 } accept", "tcp dport { 22, 80, 8000-8080 } accept" },
	{ "tcp dport != { 25, 443 } accept", "tcp dport != { 25, 443 } accept" },
	{ "th sport 1024-65535 th dport 53 accept", "th sport 1024-65535 th dport 53 accept" },
	{ "tcp flags syn tcp dport 25 drop", "tcp flags syn tcp dport 25 drop" },
	{ "tcp flags & (syn|ack) == syn drop", "tcp flags syn / syn,ack drop" },
	{ "tcp flags & (fin|syn|rst|ack) != syn drop", "tcp flags & (fin | syn | rst | ack) != syn drop" },
	{ "tcp flags syn / fin,syn,rst,ack accept", "tcp flags syn / fin,syn,rst,ack accept" },
	{ "tcp flags & (syn|ack) == syn|ack accept", "tcp flags syn,ack / syn,ack accept" },
	{ "tcp flags & (syn|ack) == 0 drop", "tcp flags & (syn | ack) == 0x0 drop" },
	{ "tcp flags & (fin|syn|rst|ack) != 0 accept", "tcp flags & (fin | syn | rst | ack) != 0x0 accept" },
	{ "tcp flags 0x12", "tcp flags syn,ack" },
	{ "tcp flags != syn", "tcp flags != syn" },
	{ "tcp flags { syn, syn|ack }", "tcp flags { syn, syn | ack }" },
	{ "ct state & (new|invalid) == 0 drop", "ct state & (invalid,new) == 0 drop" },
	{ "icmp type echo-request accept", "icmp type echo-request accept" },
	{ "icmp type echo-request accept", "icmp type 8 accept", true },
	{ "icmp type 11", "icmp type time-exceeded" },
	{ "icmp type 200", "icmp type 200" },
	/* range ends print as numbers: names with dashes would not read back */
	{ "icmp type 0-8 accept", "icmp type 0-8 accept" },
	{ "icmp type { 0-3, echo-request } accept", "icmp type { 0-3, echo-request } accept" },
	{ "meta l4proto 6-17 accept", "meta l4proto 6-17 accept" },
	{ "icmp type { echo-request, 0, destination-unreachable } accept",
	  "icmp type { echo-request, echo-reply, destination-unreachable } accept" },
	{ "icmp code 3 accept", "icmp code port-unreachable accept" },
	{ "icmpv6 type 129", "icmpv6 type echo-reply" },
	{ "icmpv6 type { nd-neighbor-solicit, 136, nd-router-advert } accept",
	  "icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert } accept" },
	{ "icmp", "meta l4proto icmp" },
	{ "icmpv6 accept", "meta l4proto ipv6-icmp accept" },
	{ "iifname eth0 oifname wg0 accept", "iifname \"eth0\" oifname \"wg0\" accept" },
	{ "iifname \"eth*\" drop", "iifname \"eth*\" drop" },
	{ "iifname != lo drop", "iifname != \"lo\" drop" },
	{ "iifname { eth0, \"wg*\" } accept", "iifname { \"eth0\", \"wg*\" } accept" },
	{ "meta iifname lo accept", "iifname \"lo\" accept" },
	{ "iif 1 accept", "iif 1 accept", true },
	{ "oif != 1 accept", "oif != 1 accept", true },
	{ "meta oif 1 drop", "oif 1 drop", true },
	{ "counter", "counter" },
	{ "counter accept", "accept" },
	{ "counter packets 12 bytes 3456 accept", "counter packets 12 bytes 3456 accept" },
	{ "continue", "counter" },
	{ "drop", "drop" },
	{ "return", "return" },
	{ "jump from_lan", "jump from_lan" },
	{ "iifname lan0 goto lan_in", "iifname \"lan0\" goto lan_in" },
	{ "tcp dport 22 accept comment \"ssh in\"", "tcp dport 22 accept comment \"ssh in\"" },
	{ "comment x", "comment \"x\"" },
	{ "reject", "reject" },
	{ "reject with tcp reset", "reject with tcp reset" },
	{ "reject with icmp type host-unreachable", "reject with icmp host-unreachable" },
	{ "reject with icmp 13", "reject with icmp admin-prohibited" },
	{ "reject with icmpv6 type admin-prohibited", "reject with icmpv6 admin-prohibited" },
	{ "reject with icmpv6 type addr-unreachable", "reject with icmpv6 addr-unreachable" },
	{ "reject with icmpx type admin-prohibited", "reject with icmpx admin-prohibited" },
	{ "reject with icmpx type port-unreachable", "reject with icmpx port-unreachable" },
	{ "tcp dport vmap { 22 : accept, 80 : drop, 1000-2000 : jump web }",
	  "tcp dport vmap { 22 : accept, 80 : drop, 1000-2000 : jump web }" },
	{ "iifname vmap { \"lan0\" : jump from_lan, \"wan0\" : goto from_wan }",
	  "iifname vmap { \"lan0\" : jump from_lan, \"wan0\" : goto from_wan }" },
	{ "ct state vmap { established : accept, related : accept, invalid : drop }",
	  "ct state vmap { established : accept, related : accept, invalid : drop }" },
	{ "ip saddr @blocked drop", "ip saddr @blocked drop" },
	{ "tcp dport != @ports drop", "tcp dport != @ports drop" },
	{ "ip saddr 10.0.0.0/24 iifname eth0 ct state new tcp dport 8000-8080 reject",
	  "ip saddr 10.0.0.0/24 iifname \"eth0\" ct state new tcp dport 8000-8080 reject" },
};

static void test_rules(void)
{
	char name[600];

	for (size_t i = 0; i < sizeof(rule_cases) / sizeof(rule_cases[0]); i++) {
		char *got = rule_roundtrip(rule_cases[i].in, rule_cases[i].numeric);
		char *again;

		snprintf(name, sizeof(name), "rule '%s'%s", rule_cases[i].in,
			 rule_cases[i].numeric ? " (-n)" : "");
		if (!got)
			printf("#   error: %s\n", ct_errbuf);
		check_str(name, got, rule_cases[i].want);
		/* what we print must parse back to the same rule */
		if (got) {
			again = rule_roundtrip(got, rule_cases[i].numeric);
			snprintf(name, sizeof(name), "rule '%s' reads back", got);
			check_str(name, again, got);
			free(again);
		}
		free(got);
	}
}

/* every name the grammar knows reads back to its value (aliases print their first name) */
static uint32_t first_value(const char *text, bool reject)
{
	char tmp[200], *argv[16];
	struct ct_rule r;
	uint32_t v = ~0U;
	int argc;

	snprintf(tmp, sizeof(tmp), "%s", text);
	argc = split(tmp, argv, 16);
	if (ct_parse_rule(argc, argv, &r))
		return ~0U;
	if (reject)
		v = r.reject_code;
	else if (r.nm == 1)
		v = r.m[0].test == CT_T_FLAGS ? r.m[0].flags : r.m[0].val.n;
	ct_rule_free(&r);
	return v;
}

static void test_names(void)
{
	static const struct {
		const struct ct_name *tab;
		const char *fmt;
		bool reject;
	} tabs[] = {
		{ ct_icmp_names, "icmp type %s", false },
		{ ct_icmpv6_names, "icmpv6 type %s", false },
		{ ct_icmp_code_names, "icmp code %s", false },
		{ ct_icmpv6_code_names, "icmpv6 code %s", false },
		{ ct_icmp_code_names, "reject with icmp type %s", true },
		{ ct_icmpv6_code_names, "reject with icmpv6 type %s", true },
		{ ct_icmpx_code_names, "reject with icmpx type %s", true },
		{ ct_tcpflag_names, "tcp flags %s", false },
		{ ct_ctstate_names, "ct state %s", false },
	};
	int bad = 0, n = 0;

	for (size_t t = 0; t < sizeof(tabs) / sizeof(tabs[0]); t++)
		for (const struct ct_name *e = tabs[t].tab; e->name; e++) {
			char in[200], *out;
			uint32_t v, back;

			snprintf(in, sizeof(in), tabs[t].fmt, e->name);
			v = first_value(in, tabs[t].reject);
			out = rule_roundtrip(in, false);
			back = out ? first_value(out, tabs[t].reject) : ~0U;
			n++;
			/* printed by name, not as a number */
			if (v == ~0U || back != v || !out ||
			    isdigit((unsigned char)strrchr(out, ' ')[1])) {
				printf("#   '%s' -> '%s' (%u -> %u)\n", in, out ? out : ct_errbuf, v, back);
				bad++;
			}
			free(out);
		}
	{
		char name[100];

		snprintf(name, sizeof(name), "names: all %d names read back by name", n);
		check(name, bad == 0 && n > 50);
	}
	for (const struct ct_name *e = ct_type_names; e->name; e++) {
		char name[100], *argv[] = { "set", "add", "s", "type", (char *)e->name };
		struct ct_cmd c;

		snprintf(name, sizeof(name), "set type %s", e->name);
		check(name, !ct_parse_args(5, argv, &c) && c.set.type == e->val &&
		      !strcmp(ct_name_of(ct_type_names, c.set.type), e->name));
	}
}

/* Refused, with a message that names the problem (a regex). */
static const char *const bad_rules[][2] = {
	{ "ip saddr 10.0.0.1/33 accept", "prefix|/33" },
	{ "ip6 saddr 2001:db8::/129", "prefix|/129" },
	{ "ip saddr 2001:db8::1", "not an IPv4" },
	{ "ip6 daddr 10.0.0.1", "not an IPv6" },
	{ "ip saddr", "expected a value" },
	{ "ip saddr 10.0.0.300", "10.0.0.300" },
	{ "tcp dport 80-20 accept", "inverted" },
	{ "tcp dport 90 - 80", "inverted" },
	{ "tcp dport { 5 - 1 }", "inverted" },
	{ "ip saddr { 10.0.0.9 - 10.0.0.1 }", "inverted" },
	{ "ip saddr 10.0.0.0/8 - 10.0.0.1", "after a range or prefix" },
	{ "iifname eth0 - eth1", "no ranges" },
	{ "tcp dport 70000", "out of range" },
	{ "tcp dport", "expected a value" },
	{ "tcp dport { 22, 80", "unterminated|expected" },
	{ "tcp dport { 22 80 }", "expected ',' or '}'" },
	{ "tcp dport 22, 80", "a list of values is a set" },
	{ "tcp dport < 1024", "comparisons" },
	{ "udp flags syn", "udp has no flags" },
	{ "tcp flags bogus", "unknown tcp flag" },
	{ "tcp flags & (syn|ack) syn", "expected '==' or '!='" },
	{ "icmp type bogus", "unknown icmp type" },
	{ "icmp type 256", "out of range" },
	{ "icmpv6 type nonsense", "unknown icmpv6 type" },
	{ "ct state bogus", "unknown ct state" },
	{ "ct state", "expected a value" },
	{ "ct status new", "only 'ct state'" },
	{ "state new accept", "did you mean 'ct state'" },
	{ "th flags syn", "expected 'sport' or 'dport'" },
	{ "meta mark 1", "meta mark" },
	{ "ip ttl 1", "ip ttl" },
	{ "meta l4proto", "expected a value" },
	{ "meta l4proto nosuchproto", "unknown protocol" },
	{ "meta nfproto ipv5", "nfproto" },
	{ "accept drop", "after the verdict" },
	{ "accept tcp", "after the verdict" },
	{ "jump", "chain name" },
	{ "reject with", "after 'reject with'" },
	{ "reject with tcp", "reset" },
	{ "reject with icmp type bogus", "unknown reject type" },
	{ "reject with icmpx type 9", "out of range" },
	{ "tcp dport vmap { 22 : reject }", "expected a verdict" },
	{ "tcp dport vmap { 22 accept }", "':' and a verdict" },
	{ "tcp dport vmap @m", "named maps" },
	{ "tcp dport vmap { 22 : accept } udp dport vmap { 53 : accept }", "after the verdict|one vmap" },
	{ "iifname", "expected a value" },
	{ "iifname averyveryverylongname", "1..15 characters" },
	{ "iifname a/b", "invalid interface name" },
	{ "iifname \"e*th\"", "only at the end" },
	{ "iif nosuchdev0", "does not exist" },
	{ "counter packets 1", "counter packets N bytes M" },
	{ "comment", "expected a string" },
	{ "log prefix x", "does not support 'log'" },
	{ "limit rate 10/second", "does not support 'limit'" },
	{ "meta mark set 1", "meta mark" },
	{ "tcp dport 22 . 80", "concatenations" },
	{ "frobnicate", "unknown expression 'frobnicate'" },
	{ "", "missing rule expression" },
};

static void test_bad_rules(void)
{
	char name[700];

	for (size_t i = 0; i < sizeof(bad_rules) / sizeof(bad_rules[0]); i++) {
		char tmp[256], *argv[32];
		int argc;
		struct ct_rule r;
		int ret;
		regex_t re;

		snprintf(tmp, sizeof(tmp), "%s", bad_rules[i][0]);
		argc = split(tmp, argv, 32);
		ct_errbuf[0] = '\0';
		ret = ct_parse_rule(argc, argv, &r);
		if (!ret)
			ct_rule_free(&r);
		snprintf(name, sizeof(name), "rule '%s' refused: %.300s", bad_rules[i][0], ct_errbuf);
		if (regcomp(&re, bad_rules[i][1], REG_EXTENDED | REG_NOSUB)) {
			check(name, false);
			continue;
		}
		check(name, ret < 0 && ct_errbuf[0] && !regexec(&re, ct_errbuf, 0, NULL, 0));
		if (ret >= 0 || regexec(&re, ct_errbuf, 0, NULL, 0))
			printf("#   want: /%s/\n", bad_rules[i][1]);
		regfree(&re);
	}
}

/* ---- filters ---- */

static void test_filters(void)
{
	struct ct_filter f;
	char *a1[] = { "-p", "tcp", "--dport", "80", "--orig-src", "10.0.0.1" };
	char *a2[] = { "--src=2001:db8::1", "--state", "established" };
	char *a3[] = { "-f", "ipv6", "-s", "10.0.0.1" };
	char *a4[] = { "--sport", "80" };
	char *a5[] = { "-p", "udp", "--state", "ESTABLISHED" };
	char *a6[] = { "-s", "10.0.0.1/8" };
	char *a7[] = { "-d" };
	char *a8[] = { "--bogus", "1" };
	char *a9[] = { "-p", "icmp", "--dport", "1" };
	uint8_t ip[4] = { 10, 0, 0, 1 };

	check("filter -p tcp --dport 80 --orig-src 10.0.0.1",
	      !ct_parse_filter(6, a1, &f) && f.present == (CT_F_FAMILY | CT_F_PROTO | CT_F_SRC | CT_F_DPORT) &&
	      f.proto == IPPROTO_TCP && f.dport == 80 && f.family == NFPROTO_IPV4 &&
	      !memcmp(f.src, ip, 4));
	check("filter --src=V6 --state established implies tcp",
	      !ct_parse_filter(3, a2, &f) && f.family == NFPROTO_IPV6 && f.proto == IPPROTO_TCP &&
	      f.state == CTRACK_TCP_ESTABLISHED);
	check("filter -f ipv6 with an IPv4 address refused", ct_parse_filter(4, a3, &f) < 0);
	check("filter --sport without -p refused", ct_parse_filter(2, a4, &f) < 0);
	check("filter --state with -p udp refused", ct_parse_filter(4, a5, &f) < 0);
	check("filter address with prefix refused", ct_parse_filter(2, a6, &f) < 0);
	check("filter -d without address refused", ct_parse_filter(1, a7, &f) < 0);
	check("filter unknown option refused", ct_parse_filter(2, a8, &f) < 0);
	check("filter --dport with -p icmp refused", ct_parse_filter(4, a9, &f) < 0);
}

/* ---- timeouts and names ---- */

static void test_timeouts(void)
{
	unsigned int cls = 0;

	check("timeout tcp established", !ct_timeout_lookup("tcp", "established", &cls) &&
	      cls == CTRACK_TO_TCP_ESTABLISHED);
	check("timeout tcp syn_sent", !ct_timeout_lookup("tcp", "syn_sent", &cls) &&
	      cls == CTRACK_TO_TCP_SYN_SENT);
	check("timeout udp", !ct_timeout_lookup("udp", NULL, &cls) && cls == CTRACK_TO_UDP);
	check("timeout udp stream", !ct_timeout_lookup("udp", "stream", &cls) &&
	      cls == CTRACK_TO_UDP_STREAM);
	check("timeout icmp", !ct_timeout_lookup("icmp", NULL, &cls) && cls == CTRACK_TO_ICMP);
	check("timeout icmpv6 shares icmp", !ct_timeout_lookup("icmpv6", NULL, &cls) &&
	      cls == CTRACK_TO_ICMP);
	check("timeout generic", !ct_timeout_lookup("generic", NULL, &cls) &&
	      cls == CTRACK_TO_GENERIC);
	check("timeout tcp unack", !ct_timeout_lookup("tcp", "unack", &cls) &&
	      cls == CTRACK_TO_TCP_UNACK);
	check("timeout tcp alone refused", ct_timeout_lookup("tcp", NULL, &cls) < 0);
	check("timeout udp bogus refused", ct_timeout_lookup("udp", "bogus", &cls) < 0);
	/* every class has a spelling that reads back to it */
	for (unsigned int c = 0; c < __CTRACK_TO_MAX; c++) {
		char name[64];
		unsigned int back = ~0U;

		snprintf(name, sizeof(name), "timeout class %u has a name that reads back", c);
		check(name, ct_timeout_proto(c) &&
		      !ct_timeout_lookup(ct_timeout_proto(c), ct_timeout_state(c), &back) &&
		      back == c);
	}
	for (unsigned int s = 0; s < __CTRACK_TCP_MAX; s++) {
		char name[64];

		snprintf(name, sizeof(name), "tcp state %u has a name", s);
		check(name, ct_name_of(ct_tcp_state_names, s) != NULL);
	}
}

/* ---- rule sets: files, the corpus, hostile inputs ---- */

static const char seed[] =
	"# the seed ruleset\n"
	"define SSH = 22\n"
	"table inet filter {\n"
	"\tset blocked {\n"
	"\t\ttype ipv4_addr; flags interval, timeout; timeout 1h\n"
	"\t\telements = { 192.0.2.0/24, 198.51.100.7 timeout 30s }\n"
	"\t}\n"
	"\tchain input {\n"
	"\t\ttype filter hook input priority 0; policy drop;\n"
	"\t\tct state established,related accept\n"
	"\t\tct state invalid drop\n"
	"\t\tiifname \"lo\" accept\n"
	"\t\tip saddr @blocked drop\n"
	"\t\ttcp dport $SSH ct state new accept comment \"we\\ird\"\n"
	"\t\ticmp type echo-request accept\n"
	"\t\tjump tail\n"
	"\t}\n"
	"\tchain tail {\n"
	"\t\ttcp dport vmap { 80 : accept, 25 : drop }\n"
	"\t\treturn\n"
	"\t}\n"
	"}\n"
	"table ip6 other {\n"
	"\tchain output {\n"
	"\t\ttype filter hook output priority filter + 5; policy accept;\n"
	"\t\tip6 daddr ::1 counter packets 3 bytes 300\n"
	"\t}\n"
	"}\n";

static const char *corpus_dir(void)
{
	const char *d = getenv("CT_RULESETS");

	return d ? d : "../tests/rulesets";
}

static char *print_rs(const struct ct_ruleset *rs, bool save, bool handles)
{
	struct ct_print_opts o = { .save = save, .handles = handles };
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	ct_print_ruleset(m, rs, &o);
	fclose(m);
	return out;
}

/* The RULESET_LOAD request of @rs: NULL (and ct_errbuf) if it cannot be built. */
static struct nlmsghdr *load_request(struct ct_ruleset *rs, bool check)
{
	struct ct_cmd c = { .op = CT_OP_RULESET_LOAD, .ruleset = rs, .check = check };
	size_t n = ct_request_size(&c);
	void *buf = calloc(1, n);
	struct nlmsghdr *nlh = buf ? ct_build_request(&c, buf, n, 0x42, 7) : NULL;

	if (!nlh)
		free(buf);
	return nlh;
}

static char *decode(const struct nlmsghdr *nlh)
{
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	if (nlh)
		ct_msg_decode(m, nlh);
	fclose(m);
	return out;
}

/* errors of files: "NAME:LINE:COL: error: ..." then the line and a caret */
static bool located(const char *err, const char *name)
{
	char re_s[2048];
	regex_t re;
	bool ok;

	snprintf(re_s, sizeof(re_s), "^%s:[0-9]+:[0-9]+: error: [^\n]+\n[^\n]*\n[\t ]*\\^~*$",
		 name);
	if (regcomp(&re, re_s, REG_EXTENDED | REG_NOSUB))
		return false;
	ok = !regexec(&re, err, 0, NULL, 0);
	regfree(&re);
	return ok;
}

static struct ct_ruleset *read_path(const char *path, const char *const *inc, unsigned int ninc)
{
	FILE *f = fopen(path, "r");
	struct ct_ruleset *rs;

	if (!f) {
		snprintf(ct_errbuf, sizeof(ct_errbuf), "%s: %s", path, strerror(errno));
		return NULL;
	}
	rs = ct_ruleset_read(f, path, inc, ninc);
	fclose(f);
	return rs;
}

/*
 * save -> load -> save: the printed text reads back to a rule set that
 * prints the same and builds the same RULESET_LOAD, byte for byte.
 */
static void roundtrip(const char *label, struct ct_ruleset *rs)
{
	char name[600], *t1, *t2 = NULL, *d1 = NULL, *d2 = NULL;
	struct nlmsghdr *r1, *r2 = NULL;
	struct ct_ruleset *back;

	t1 = print_rs(rs, true, false);
	r1 = load_request(rs, false);
	back = ct_ruleset_read_text(t1, "saved");
	snprintf(name, sizeof(name), "%s: saved text loads back", label);
	check(name, back != NULL);
	if (!back) {
		printf("#   %s\n", ct_errbuf);
		goto out;
	}
	t2 = print_rs(back, true, false);
	snprintf(name, sizeof(name), "%s: save -> load -> save is identical", label);
	check_str(name, t2, t1);
	r2 = load_request(back, false);
	snprintf(name, sizeof(name), "%s: the reloaded rule set sends the same request", label);
	if (r1 && r2 && r1->nlmsg_len == r2->nlmsg_len && !memcmp(r1, r2, r1->nlmsg_len)) {
		check(name, true);
	} else {
		d1 = decode(r1);
		d2 = decode(r2);
		check_str(name, d2, d1 ? d1 : "(no request)");
	}
out:
	free(t1);
	free(t2);
	free(d1);
	free(d2);
	free(r1);
	free(r2);
	ct_ruleset_free(back);
}

static void test_seed(void)
{
	struct ct_ruleset *rs = ct_ruleset_read_text(seed, "seed");
	char *out;

	check("seed ruleset parses", rs != NULL);
	if (!rs) {
		printf("#   %s\n", ct_errbuf);
		return;
	}
	out = print_rs(rs, true, false);
	check_str("seed ruleset: saved text", out,
		  "table inet filter {\n"
		  "\tset blocked {\n"
		  "\t\ttype ipv4_addr\n"
		  "\t\tflags interval,timeout\n"
		  "\t\ttimeout 1h\n"
		  "\t\telements = { 192.0.2.0/24, 198.51.100.7 timeout 30s }\n"
		  "\t}\n"
		  "\n"
		  "\tchain input {\n"
		  "\t\ttype filter hook input priority filter; policy drop;\n"
		  "\t\tct state established,related accept\n"
		  "\t\tct state invalid drop\n"
		  "\t\tiifname \"lo\" accept\n"
		  "\t\tip saddr @blocked drop\n"
		  "\t\ttcp dport 22 ct state new accept comment \"we\\ird\"\n"
		  "\t\ticmp type echo-request accept\n"
		  "\t\tjump tail\n"
		  "\t}\n"
		  "\n"
		  "\tchain tail {\n"
		  "\t\ttcp dport vmap { 80 : accept, 25 : drop }\n"
		  "\t\treturn\n"
		  "\t}\n"
		  "}\n"
		  "table ip6 other {\n"
		  "\tchain output {\n"
		  "\t\ttype filter hook output priority filter + 5; policy accept;\n"
		  "\t\tip6 daddr ::1 counter packets 3 bytes 300\n"
		  "\t}\n"
		  "}\n");
	free(out);
	roundtrip("seed", rs);
	ct_ruleset_free(rs);
}

/* nft's command forms and native lines give the same model as a table block */
static const char commands[] =
	"flush ruleset\n"
	"add table inet f\n"
	"add chain inet f input { type filter hook input priority filter - 5; policy drop; }\n"
	"add chain inet f web\n"
	"add set inet f ports { type inet_service; flags interval; }\n"
	"add element inet f ports { 80, 443, 8000-8999 }\n"
	"add rule inet f input tcp dport @ports jump web\n"
	"insert rule inet f input ct state established,related accept\n"
	"add rule inet f web counter accept\n"
	"create table ip6 x\n"
	"destroy table ip nosuch\n"
	"delete table ip6 x\n"
	"table inet f {\n"
	"	chain output { type filter hook output priority 10; }\n"
	"}\n"
	"flush chain inet f output\n";

static void test_commands(void)
{
	struct ct_ruleset *rs = ct_ruleset_read_text(commands, "commands");
	char *out;

	check("nft command forms parse", rs != NULL);
	if (!rs) {
		printf("#   %s\n", ct_errbuf);
		return;
	}
	out = print_rs(rs, true, false);
	check_str("nft command forms: saved text", out,
		  "table inet f {\n"
		  "\tset ports {\n"
		  "\t\ttype inet_service\n"
		  "\t\tflags interval\n"
		  "\t\telements = { 80, 443, 8000-8999 }\n"
		  "\t}\n"
		  "\n"
		  "\tchain input {\n"
		  "\t\ttype filter hook input priority filter - 5; policy drop;\n"
		  "\t\tct state established,related accept\n"
		  "\t\ttcp dport @ports jump web\n"
		  "\t}\n"
		  "\n"
		  "\tchain web {\n"
		  "\t\taccept\n"
		  "\t}\n"
		  "\n"
		  "\tchain output {\n"
		  "\t\ttype filter hook output priority filter + 10; policy accept;\n"
		  "\t}\n"
		  "}\n");
	free(out);
	roundtrip("commands", rs);
	ct_ruleset_free(rs);
}

/* an element's "timeout 0s" (never expires) is not the set's default timeout */
static void test_elem_timeout0(void)
{
	struct ct_ruleset *rs = ct_ruleset_read_text(
		"table inet t {\n"
		"\tset s { type ipv4_addr; timeout 1h; elements = { 10.0.0.1 timeout 0s, 10.0.0.2 } }\n"
		"}\n", "timeout0");
	char *out = rs ? print_rs(rs, true, false) : NULL;

	check("element timeout 0s is printed", out &&
	      strstr(out, "elements = { 10.0.0.1 timeout 0s, 10.0.0.2 }"));
	if (rs)
		roundtrip("element timeout 0s", rs);
	free(out);
	ct_ruleset_free(rs);
}

/* priorities print by nft's names only where nft allows them on that hook */
static void test_prios(void)
{
	static const char text[] =
		"table inet t {\n"
		" chain a { type filter hook input priority -100; }\n"
		" chain b { type filter hook output priority dstnat; }\n"
		" chain c { type filter hook forward priority 95; }\n"
		" chain d { type filter hook input priority srcnat; }\n"
		" chain e { type filter hook input priority raw - 5; }\n"
		" chain f { type filter hook input priority mangle+10; }\n"
		" chain g { type filter hook input priority security -2; }\n"
		"}\n";
	struct ct_ruleset *rs = ct_ruleset_read_text(text, "prios");
	char *out = rs ? print_rs(rs, true, false) : NULL;
	const char *want[] = { "hook input priority -100;", "hook output priority dstnat;",
			       "hook forward priority 95;", "hook input priority srcnat;",
			       "hook input priority raw - 5;", "hook input priority mangle + 10;",
			       "hook input priority security - 2;" };

	if (!rs)
		printf("#   %s\n", ct_errbuf);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		char name[100];

		snprintf(name, sizeof(name), "priority: '%s'", want[i]);
		check(name, out && strstr(out, want[i]));
	}
	if (rs)
		roundtrip("priorities", rs);
	free(out);
	ct_ruleset_free(rs);
}

/* names that are not one word are quoted, so they read back */
static void test_quoted_names(void)
{
	static const char text[] =
		"table inet \"my t\" {\n"
		" set \"s 1\" { type ipv4_addr; }\n"
		" chain \"a b\" { jump \"c:\"; tcp dport vmap { 22 : goto \"c:\" } }\n"
		" chain \"c:\" { accept }\n"
		" chain plain-1.x/y { goto \"a b\" }\n"
		"}\n";
	struct ct_ruleset *rs = ct_ruleset_read_text(text, "quoted");
	char *out = rs ? print_rs(rs, true, false) : NULL;

	check("quoted names parse", rs != NULL);
	check("quoted names print quoted, plain ones not",
	      out && strstr(out, "table inet \"my t\" {") && strstr(out, "set \"s 1\" {") &&
	      strstr(out, "chain \"a b\" {") && strstr(out, "jump \"c:\"\n") &&
	      strstr(out, "22 : goto \"c:\" }") && strstr(out, "chain plain-1.x/y {"));
	if (rs)
		roundtrip("quoted names", rs);
	free(out);
	ct_ruleset_free(rs);
}

/*
 * A kernel error names the attribute it refused (NLMSGERR_ATTR_OFFS): the
 * request's location map turns that offset into the statement's file:line.
 */
static void test_locmap(void)
{
	struct ct_ruleset *rs = ct_ruleset_read_text(seed, "seed");
	struct ct_cmd c = { .op = CT_OP_RULESET_LOAD };
	struct ct_locmap map = { 0 };
	const struct nlattr *a;
	const struct ct_loc *loc;
	struct nlmsghdr *nlh = NULL;
	int rules = 0, sets = 0;
	bool ok = true;
	void *buf = NULL;
	size_t n;

	if (rs) {
		c.ruleset = rs;
		c.locs = &map;
		n = ct_request_size(&c);
		buf = calloc(1, n);
		nlh = ct_build_request(&c, buf, n, 0x42, 1);
	}
	check("locmap: request with locations built", nlh && map.n > 0);
	if (!nlh)
		goto out;
	/* the seed's rules are on lines 10..16, 19..20 and 26 */
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		static const uint32_t lines[] = { 10, 11, 12, 13, 14, 15, 16, 19, 20, 26 };
		uint32_t off = (const char *)a - (const char *)nlh;
		const struct nlattr *m;

		if (mnl_attr_get_type(a) == CTRACK_A_SET) {
			loc = ct_locmap_find(&map, off + 4);
			ok &= loc && loc->line == 4;
			sets++;
		}
		if (mnl_attr_get_type(a) != CTRACK_A_RULE)
			continue;
		/* an offset inside the rule's first MATCH still names the rule */
		m = mnl_attr_get_payload(a);
		loc = ct_locmap_find(&map, (const char *)m - (const char *)nlh + 2);
		if (rules < 10 && (!loc || loc->line != lines[rules])) {
			printf("#   rule %d: line %u, want %u\n", rules, loc ? loc->line : 0,
			       lines[rules]);
			ok = false;
		}
		rules++;
	}
	check("locmap: every rule and set maps back to its line", ok && rules == 10 && sets == 1);
	loc = ct_locmap_find(&map, nlh->nlmsg_len + 100);
	check("locmap: an offset outside the request maps to nothing", loc == NULL);
out:
	free(map.v);
	free(buf);
	ct_ruleset_free(rs);
}

/* iif/oif NAME of an interface this host lacks: the same file with "lo" */
static char *rewrite_ifaces(const char *path, const char *dir)
{
	static char out[1024];
	FILE *in = fopen(path, "r"), *o;
	char line[4096];

	snprintf(out, sizeof(out), "%s/%s", dir, strrchr(path, '/') + 1);
	o = in ? fopen(out, "w") : NULL;
	if (!o) {
		if (in)
			fclose(in);
		return NULL;
	}
	while (fgets(line, sizeof(line), in)) {
		char *p = line;

		while ((p = strstr(p, "if "))) {
			bool word = p >= line + 2 && (p[-1] == 'i' || p[-1] == 'o') &&
				    (p - 1 == line || !isalnum((unsigned char)p[-2]));
			char *v = p + 3, *e;

			p += 3;
			if (!word)
				continue;
			if (!strncmp(v, "!= ", 3))
				v += 3;
			e = v + strcspn(v, " \t\n;}");
			if (e > v && !isdigit((unsigned char)*v) && *v != '{' && *v != '$' &&
			    *v != '@') {
				/* keep the length: "lo" padded with blanks */
				const char *lo = *v == '"' ? "\"lo\"" : "lo";
				size_t n = strlen(lo);

				if ((size_t)(e - v) >= n) {
					memcpy(v, lo, n);
					memset(v + n, ' ', e - v - n);
				}
			}
		}
		fputs(line, o);
	}
	fclose(in);
	fclose(o);
	return out;
}

static void test_corpus(const char *tmp)
{
	const char *dir = corpus_dir();
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort), files = 0;

	for (int i = 0; i < n; i++) {
		const char *dn = ents[i]->d_name;
		size_t l = strlen(dn);
		char path[1024], label[1100];
		struct ct_ruleset *rs;

		if (l < 5 || strcmp(dn + l - 4, ".nft")) {
			free(ents[i]);
			continue;
		}
		files++;
		snprintf(path, sizeof(path), "%s/%s", dir, dn);
		snprintf(label, sizeof(label), "corpus %s", dn);
		rs = read_path(path, NULL, 0);
		if (!rs && strstr(ct_errbuf, "does not exist (iif")) {
			const char *re = rewrite_ifaces(path, tmp);

			rs = re ? read_path(re, NULL, 0) : NULL;
			snprintf(label, sizeof(label), "corpus %s (iif/oif rewritten to lo)", dn);
		}
		check(label, rs != NULL);
		if (!rs)
			printf("#   %s\n", ct_errbuf);
		else
			roundtrip(label, rs);
		ct_ruleset_free(rs);
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
	check("corpus: at least 10 files", files >= 10);
}

/* every bad file fails with its "# expect: REGEX" (those the host can tell) */
static void test_bad_corpus(void)
{
	char dir[1024];
	struct dirent **ents;
	int n, files = 0;

	snprintf(dir, sizeof(dir), "%s/bad", corpus_dir());
	n = scandir(dir, &ents, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		const char *dn = ents[i]->d_name;
		size_t l = strlen(dn);
		char path[1400], name[1700], line[1024], want[1024] = "";
		struct ct_ruleset *rs;
		regex_t re;
		FILE *f;

		if (l < 5 || strcmp(dn + l - 4, ".nft")) {
			free(ents[i]);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, dn);
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f))
			if (!strncmp(line, "# expect: ", 10)) {
				line[strcspn(line, "\n")] = '\0';
				snprintf(want, sizeof(want), "%s", line + 10);
				break;
			}
		if (f)
			fclose(f);
		rs = read_path(path, NULL, 0);
		/* the kernel finds this one: a missing set (the tool checks jumps) */
		if (!strcmp(dn, "unknown-set.nft")) {
			snprintf(name, sizeof(name), "bad/%s: parses on the host (the kernel refuses it)", dn);
			check(name, rs != NULL);
			ct_ruleset_free(rs);
			free(ents[i]);
			continue;
		}
		files++;
		snprintf(name, sizeof(name), "bad/%s refused: /%s/", dn, want);
		if (!want[0] || regcomp(&re, want, REG_EXTENDED | REG_NOSUB)) {
			check(name, false);
		} else {
			check(name, !rs && !regexec(&re, ct_errbuf, 0, NULL, 0) &&
			      located(ct_errbuf, path));
			if (rs || regexec(&re, ct_errbuf, 0, NULL, 0))
				printf("#   got: %s\n", rs ? "(accepted)" : ct_errbuf);
			regfree(&re);
		}
		ct_ruleset_free(rs);
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
	check("bad corpus: at least 15 files", files >= 15);
}

/*
 * Every prefix of every corpus file, and copies with one byte replaced by
 * a character that matters to the grammar: each parses or fails with a
 * located error (no crash, no error without file:line:col).
 */
static bool located_any(const char *err)
{
	regex_t re;
	bool ok;

	if (regcomp(&re, "^[^\n]+:[0-9]+:[0-9]+: error: [^\n]+\n[^\n]*\n[\t ]*\\^~*$",
		    REG_EXTENDED | REG_NOSUB))
		return false;
	ok = !regexec(&re, err, 0, NULL, 0);
	regfree(&re);
	return ok;
}

static void test_mutations(void)
{
	static const char subst[] = "{}\";\n#$@,:=-/!&|()*x9";
	const char *dir = corpus_dir();
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort);
	unsigned long runs = 0, fails = 0, bad = 0;

	for (int i = 0; i < n; i++) {
		const char *dn = ents[i]->d_name;
		size_t l = strlen(dn), len;
		char path[1024], *text = NULL;
		FILE *f;

		if (l < 5 || strcmp(dn + l - 4, ".nft")) {
			free(ents[i]);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, dn);
		f = fopen(path, "r");
		if (f && !fseek(f, 0, SEEK_END) && (long)(len = ftell(f)) > 0) {
			text = malloc(len + 1);
			rewind(f);
			if (text && fread(text, 1, len, f) != len) {
				free(text);
				text = NULL;
			}
			if (text)
				text[len] = '\0';
		}
		if (f)
			fclose(f);
		for (size_t cut = 0; text && cut <= len; cut += 1 + len / 200) {
			char save = text[cut];
			struct ct_ruleset *rs;

			for (size_t k = 0; k <= sizeof(subst) - 1; k++) {
				/* k == 0: the prefix up to @cut; else: one byte replaced */
				if (k == 0)
					text[cut] = '\0';
				else if (cut < len)
					text[cut] = subst[k - 1];
				else
					break;
				rs = ct_ruleset_read_text(text, path);
				runs++;
				if (!rs) {
					fails++;
					if (!located_any(ct_errbuf) &&
					    !strstr(ct_errbuf, "does not exist (iif")) {
						if (bad++ < 5)
							printf("#   %s at %zu ('%c'): %.200s\n", dn, cut,
							       k ? subst[k - 1] : '0', ct_errbuf);
					}
				}
				ct_ruleset_free(rs);
				text[cut] = save;
			}
		}
		free(text);
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
	{
		char name[120];

		snprintf(name, sizeof(name), "mutations: %lu reads, %lu refused, all with file:line:col",
			 runs, fails);
		check(name, runs > 1000 && bad == 0);
	}
}

/* ---- hostile inputs, made here in a temp dir ---- */

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
}

/* a string literal, NUL bytes included */
#define WRITE_LIT(path, lit)	write_file(path, lit, sizeof(lit) - 1)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Reads @path; it must either succeed (@ok) or fail with a located error
 * naming @errname (a path, as given) and matching @want.
 */
static struct ct_ruleset *hostile(const char *label, const char *path, bool ok,
				  const char *errname, const char *want)
{
	struct ct_ruleset *rs = read_path(path, NULL, 0);
	char name[600];

	if (ok) {
		snprintf(name, sizeof(name), "hostile: %s: accepted", label);
		check(name, rs != NULL);
		if (!rs)
			printf("#   %.300s\n", ct_errbuf);
		return rs;
	}
	snprintf(name, sizeof(name), "hostile: %s: refused at file:line:col with '%s'", label, want);
	check(name, !rs && strstr(ct_errbuf, want) && located(ct_errbuf, errname) &&
	      strlen(ct_errbuf) < 2048);
	if (rs || !strstr(ct_errbuf, want) || !located(ct_errbuf, errname))
		printf("#   got: %.400s\n", rs ? "(accepted)" : ct_errbuf);
	ct_ruleset_free(rs);
	return NULL;
}

static void test_hostile(const char *tmp)
{
	char path[600], p2[600], *buf;
	struct ct_ruleset *rs;
	size_t n, cap;
	double t0;

	/* include depth: 16 nested includes are fine, 17 are not (nft's limit) */
	for (int depth = CT_INCLUDE_MAX; depth <= CT_INCLUDE_MAX + 4;
	     depth += depth == CT_INCLUDE_MAX ? 1 : 3) {
		char label[100];

		for (int i = 0; i <= depth; i++) {
			char text[200];

			if (i < depth)
				snprintf(text, sizeof(text), "include \"d%d-%d.nft\"\n", depth, i + 1);
			else
				snprintf(text, sizeof(text), "table inet deep%d { }\n", i);
			snprintf(path, sizeof(path), "%s/d%d-%d.nft", tmp, depth, i);
			write_file(path, text, strlen(text));
		}
		snprintf(path, sizeof(path), "%s/d%d-0.nft", tmp, depth);
		snprintf(label, sizeof(label), "%d nested includes", depth);
		/* the error points at the include line that goes too deep */
		snprintf(p2, sizeof(p2), "%s/d%d-%d.nft", tmp, depth, CT_INCLUDE_MAX);
		rs = hostile(label, path, depth == CT_INCLUDE_MAX, p2, "nested deeper than");
		if (rs)
			check("hostile: 16 nested includes: the innermost table is there",
			      rs->n == 1 && !strcmp(rs->tables[0]->name, "deep16"));
		ct_ruleset_free(rs);
	}

	/* a glob of 100 files is not 100 levels deep; siblings may include each other */
	snprintf(path, sizeof(path), "%s/glob", tmp);
	mkdir(path, 0700);
	for (int i = 0; i < 100; i++) {
		char text[100];

		snprintf(path, sizeof(path), "%s/glob/%03d.nft", tmp, i);
		snprintf(text, sizeof(text), i == 0 ? "include \"099.nft\"\n" : "table inet g%03d { }\n",
			 i);
		write_file(path, text, strlen(text));
	}
	snprintf(path, sizeof(path), "%s/glob-top.nft", tmp);
	WRITE_LIT(path, "include \"glob/*.nft\"\n");
	rs = hostile("include of a glob of 100 files", path, true, NULL, NULL);
	check("hostile: glob of 100 files: in name order, 099 (included by 000) first",
	      rs && rs->n == 99 && !strcmp(rs->tables[0]->name, "g099") &&
	      !strcmp(rs->tables[1]->name, "g001") && !strcmp(rs->tables[98]->name, "g098"));
	ct_ruleset_free(rs);

	/* an include loop through two files */
	snprintf(path, sizeof(path), "%s/loop-a.nft", tmp);
	WRITE_LIT(path, "table inet a { }\ninclude \"loop-b.nft\"\n");
	snprintf(p2, sizeof(p2), "%s/loop-b.nft", tmp);
	WRITE_LIT(p2, "\ninclude \"loop-a.nft\"\n");
	hostile("include loop a -> b -> a", path, false, p2, "include loop");

	/* a set of 100,000 addresses: parses fast and goes out in 64 KiB attributes */
	cap = 100000 * 16 + 200;
	buf = malloc(cap);
	n = snprintf(buf, cap, "table ip big {\n\tset s {\n\t\ttype ipv4_addr\n\t\telements = { ");
	for (unsigned int i = 0; i < 100000; i++)
		n += snprintf(buf + n, cap - n, "%s10.%u.%u.%u", i ? ", " : "", i >> 16,
			      (i >> 8) & 255, i & 255);
	n += snprintf(buf + n, cap - n, " }\n\t}\n\tchain c {\n\t\tip saddr @s drop\n\t}\n}\n");
	snprintf(path, sizeof(path), "%s/big-set.nft", tmp);
	write_file(path, buf, n);
	free(buf);
	t0 = now();
	rs = hostile("set with 100000 elements", path, true, NULL, NULL);
	if (rs) {
		struct nlmsghdr *nlh;
		double t1 = now();
		char name[100];

		snprintf(name, sizeof(name), "hostile: 100000 elements read in %.2f s (< 5 s)", t1 - t0);
		check(name, t1 - t0 < 5);
		check("hostile: 100000 elements are all there",
		      rs->n == 1 && rs->tables[0]->nsets == 1 &&
		      rs->tables[0]->sets[0]->n == 100000);
		nlh = load_request(rs, false);
		check("hostile: 100000 elements fit in one request (several SET attributes)",
		      nlh && nlh->nlmsg_len > 400000);
		free(nlh);
		t0 = now();
		roundtrip("hostile: 100000 elements", rs);
		snprintf(name, sizeof(name), "hostile: 100000 elements: round trip in %.2f s (< 10 s)",
			 now() - t0);
		check(name, now() - t0 < 10);
		ct_ruleset_free(rs);
	}

	/* a 1 MiB line: a comment is fine; a 1 MiB word is refused, and the message stays short */
	n = 1 << 20;
	buf = malloc(n + 100);
	buf[0] = '#';
	memset(buf + 1, 'x', n - 1);
	memcpy(buf + n, "\ntable inet t { }\n", 18);
	snprintf(path, sizeof(path), "%s/long-comment.nft", tmp);
	write_file(path, buf, n + 18);
	rs = hostile("1 MiB comment line", path, true, NULL, NULL);
	check("hostile: 1 MiB comment line: the table after it is there", rs && rs->n == 1);
	ct_ruleset_free(rs);
	memcpy(buf, "table inet ", 11);
	memcpy(buf + n, " { }\n", 5);
	snprintf(path, sizeof(path), "%s/long-word.nft", tmp);
	write_file(path, buf, n + 5);
	hostile("1 MiB table name", path, false, path, "a table name");
	memcpy(buf, "table inet t { chain c { tcp dport { ", 37);
	for (size_t i = 37; i + 4 < n; i += 4)
		memcpy(buf + i, "22, ", 4);
	memcpy(buf + n - 4, "22 ", 3);
	memcpy(buf + n - 1, "x } } }\n", 8);
	snprintf(path, sizeof(path), "%s/long-line.nft", tmp);
	write_file(path, buf, n + 7);
	hostile("1 MiB line with an error at its end", path, false, path, "expected ',' or '}'");
	free(buf);

	/* a long token late in a long line: the caret line must stay in its buffer */
	buf = malloc(4096);
	n = snprintf(buf, 4096, "table inet t { chain c { ");
	for (int i = 0; i < 10; i++)
		n += snprintf(buf + n, 4096 - n, "tcp dport 22 ");
	n += snprintf(buf + n, 4096 - n, "comment \"%0200d\" } }\n", 0);
	snprintf(path, sizeof(path), "%s/long-token.nft", tmp);
	write_file(path, buf, n);
	free(buf);
	hostile("a 202-character token at column 164", path, false, path, "comment longer than");
	if (strchr(ct_errbuf, '^'))
		check("hostile: the caret of a long token is shown shortened",
		      strlen(strrchr(ct_errbuf, '\n')) <= 162);

	snprintf(path, sizeof(path), "%s/unterminated.nft", tmp);
	WRITE_LIT(path, "table inet t {\n\tchain c {\n\t\taccept comment \"no end\n\t}\n}\n");
	hostile("unterminated string", path, false, path, "unterminated string");
	snprintf(path, sizeof(path), "%s/unterminated-eof.nft", tmp);
	WRITE_LIT(path, "table inet t { chain c { accept comment \"no end");
	hostile("unterminated string at the end of the file", path, false, path,
		"unterminated string");
	snprintf(path, sizeof(path), "%s/unterminated-brace.nft", tmp);
	WRITE_LIT(path, "table inet t {\n\tchain c {\n\t\taccept\n");
	hostile("unterminated braces", path, false, path, "missing '}'");
	snprintf(path, sizeof(path), "%s/unterminated-set.nft", tmp);
	WRITE_LIT(path, "table inet t { chain c { tcp dport { 22, 80");
	hostile("unterminated set at the end of the file", path, false, path, "end of input");

	snprintf(path, sizeof(path), "%s/nul.nft", tmp);
	WRITE_LIT(path, "table inet t {\n\tchain c {\0 }\n}\n");
	hostile("NUL byte", path, false, path, "NUL byte");
	snprintf(path, sizeof(path), "%s/nul-comment.nft", tmp);
	WRITE_LIT(path, "# a \0 in a comment\ntable inet t { }\n");
	rs = hostile("NUL byte in a comment", path, true, NULL, NULL);
	ct_ruleset_free(rs);
	snprintf(path, sizeof(path), "%s/nul-string.nft", tmp);
	WRITE_LIT(path, "table inet t { chain c { accept comment \"a\0b\" } }\n");
	hostile("NUL byte in a string", path, false, path, "unterminated string");

	snprintf(path, sizeof(path), "%s/crlf.nft", tmp);
	WRITE_LIT(path, "table inet t {\r\n\tchain c {\r\n\t\ttcp dport 22 accept\r\n\t}\r\n}\r\n");
	rs = hostile("CRLF line ends", path, true, NULL, NULL);
	check("hostile: CRLF line ends: one rule",
	      rs && rs->n == 1 && rs->tables[0]->nchains == 1 && rs->tables[0]->chains[0]->n == 1);
	ct_ruleset_free(rs);
	snprintf(path, sizeof(path), "%s/bom.nft", tmp);
	WRITE_LIT(path, "\xef\xbb\xbftable inet t { }\n");
	hostile("a UTF-8 byte order mark", path, false, path, "unexpected character");

	snprintf(path, sizeof(path), "%s/empty.nft", tmp);
	WRITE_LIT(path, "");
	rs = hostile("empty file", path, true, NULL, NULL);
	check("hostile: empty file: no tables", rs && rs->n == 0);
	ct_ruleset_free(rs);
	snprintf(path, sizeof(path), "%s/blank.nft", tmp);
	WRITE_LIT(path, "\n\n  \t\n# only a comment");
	rs = hostile("blank lines and a comment, no newline at the end", path, true, NULL, NULL);
	ct_ruleset_free(rs);
	snprintf(path, sizeof(path), "%s/binary.nft", tmp);
	WRITE_LIT(path, "table \x01\xff\x80 inet");
	hostile("control and high bytes", path, false, path, "unexpected character");
	snprintf(path, sizeof(path), "%s/deep-braces.nft", tmp);
	buf = malloc(200000);
	n = snprintf(buf, 200000, "define X = ");
	for (int i = 0; i < 50000; i++)
		buf[n++] = '{';
	buf[n++] = '\n';
	write_file(path, buf, n);
	free(buf);
	hostile("50000 open braces in a define", path, false, path, "unbalanced '{'");
	/* nested braces recurse: too deep must be an error, not a stack overflow */
	snprintf(path, sizeof(path), "%s/nested-braces.nft", tmp);
	buf = malloc(500000);
	n = snprintf(buf, 500000, "table inet t { chain c { tcp dport ");
	memset(buf + n, '{', 200000);
	memcpy(buf + n + 200000, "22", 2);
	memset(buf + n + 200002, '}', 200000);
	n += 400002;
	n += snprintf(buf + n, 500000 - n, " accept } }\n");
	write_file(path, buf, n);
	free(buf);
	hostile("200000 nested braces", path, false, path, "nested deeper than");
	snprintf(path, sizeof(path), "%s/nested-ok.nft", tmp);
	WRITE_LIT(path, "define P = { 22, { 80, 443 } }\ntable inet t { chain c { tcp dport { $P, 8080 } accept } }\n");
	rs = hostile("a set of sets from a define, flattened", path, true, NULL, NULL);
	check("hostile: flattened set has 4 elements",
	      rs && rs->n == 1 && rs->tables[0]->chains[0]->rules[0].m[0].nelems == 4);
	ct_ruleset_free(rs);
	snprintf(path, sizeof(path), "%s/define-loop.nft", tmp);
	WRITE_LIT(path, "define A = $B\ndefine B = $A\ntable inet t { chain c { tcp dport $A } }\n");
	hostile("a define that uses one not yet defined", path, false, path, "undefined variable '$B'");
	snprintf(path, sizeof(path), "%s/redefine.nft", tmp);
	WRITE_LIT(path, "define A = 22\nredefine A = { $A, 80 }\nredefine A = { $A, 443 }\n"
		  "table inet t { chain c { tcp dport $A accept } }\n");
	rs = hostile("redefine that uses the old value", path, true, NULL, NULL);
	check("hostile: redefine: 3 elements",
	      rs && rs->n == 1 && rs->tables[0]->chains[0]->rules[0].m[0].nelems == 3);
	ct_ruleset_free(rs);
}

/* ---- kernel replies -> output (reply.c), with messages built here ---- */

struct cap {
	char *out, *err;
	size_t olen, elen;
	FILE *o, *e;
};

static void cap_open(struct cap *c)
{
	memset(c, 0, sizeof(*c));
	c->o = open_memstream(&c->out, &c->olen);
	c->e = open_memstream(&c->err, &c->elen);
}

static void cap_close(struct cap *c)
{
	fclose(c->o);
	fclose(c->e);
}

static void cap_free(struct cap *c)
{
	free(c->out);
	free(c->err);
}

static struct nlmsghdr *reply_start(void *buf, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	nlh->nlmsg_type = 0x42;
	g->cmd = cmd;
	g->version = CTRACK_GENL_VERSION;
	return nlh;
}

/*
 * A RULE_GET dump as the kernel sends it: a message per table, per chain
 * (no rules), then per rule with TABLE, CHAIN (NAME only) and RULE.
 */
static void put_table_chain(struct nlmsghdr *nlh, const char *chain, bool full)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, CTRACK_A_TABLE);

	mnl_attr_put_u8(nlh, CTRACK_A_TABLE_FAMILY, NFPROTO_INET);
	mnl_attr_put_strz(nlh, CTRACK_A_TABLE_NAME, "filter");
	mnl_attr_nest_end(nlh, n);
	if (!chain)
		return;
	n = mnl_attr_nest_start(nlh, CTRACK_A_CHAIN);
	mnl_attr_put_strz(nlh, CTRACK_A_CHAIN_NAME, chain);
	if (full) {
		mnl_attr_put_u8(nlh, CTRACK_A_CHAIN_HOOK, CTRACK_HOOK_INPUT);
		mnl_attr_put_u32(nlh, CTRACK_A_CHAIN_PRIORITY, 0);
		mnl_attr_put_u8(nlh, CTRACK_A_CHAIN_POLICY, CTRACK_VERDICT_DROP);
	}
	mnl_attr_nest_end(nlh, n);
}

static void rule_reply(void *buf, const char *rule, uint32_t handle, uint64_t packets,
		       uint64_t bytes)
{
	struct nlmsghdr *nlh = reply_start(buf, CTRACK_CMD_RULE_GET);
	char tmp[256], *argv[32];
	struct nlattr *n;
	struct ct_rule r;
	int argc;

	put_table_chain(nlh, "input", false);
	snprintf(tmp, sizeof(tmp), "%s", rule);
	argc = split(tmp, argv, 32);
	if (ct_parse_rule(argc, argv, &r))
		return;
	n = mnl_nlmsg_get_payload_tail(nlh);
	ct_put_rule(nlh, 4096, CTRACK_A_RULE, &r);
	ct_rule_free(&r);
	/* the kernel adds handle and counters inside the rule */
	mnl_attr_put_u32(nlh, CTRACK_A_RULE_HANDLE, handle);
	mnl_attr_put_u64(nlh, CTRACK_A_RULE_PACKETS, packets);
	mnl_attr_put_u64(nlh, CTRACK_A_RULE_BYTES, bytes);
	mnl_attr_nest_end(nlh, n);
}

static void feed_rules(struct ct_reply *r)
{
	static char buf[4096];
	struct nlmsghdr *nlh;

	nlh = reply_start(buf, CTRACK_CMD_RULE_GET);
	put_table_chain(nlh, NULL, false);
	ct_reply_msg(nlh, r);
	nlh = reply_start(buf, CTRACK_CMD_RULE_GET);
	put_table_chain(nlh, "input", true);
	ct_reply_msg(nlh, r);
	rule_reply(buf, "ct state established,related accept", 1, 12, 1456);
	ct_reply_msg((void *)buf, r);
	rule_reply(buf, "tcp dport { 22, 80 } ct state new accept comment \"web and ssh\"", 2, 1, 60);
	ct_reply_msg((void *)buf, r);
}

static void conn_reply(void *buf, uint8_t cmd, size_t i)
{
	struct nlmsghdr *nlh = reply_start(buf, cmd);
	static char tmp[4096];
	struct nlattr *n;

	memset(tmp, 0, sizeof(tmp));
	n = build_conn(tmp, &conn_cases[i].s);
	memcpy(mnl_nlmsg_get_payload_tail(nlh), n, n->nla_len);
	nlh->nlmsg_len += MNL_ALIGN(n->nla_len);
}

static void feed_conns(struct ct_reply *r)
{
	static char buf[4096];

	conn_reply(buf, CTRACK_CMD_CONN_GET, 0);
	ct_reply_msg((void *)buf, r);
	conn_reply(buf, CTRACK_CMD_CONN_GET, 5);
	ct_reply_msg((void *)buf, r);
}

static void items_reply(void *buf, enum ct_op op)
{
	struct nlmsghdr *nlh;
	struct nlattr *n;

	switch (op) {
	case CT_OP_TIMEOUT_LIST:
		nlh = reply_start(buf, CTRACK_CMD_TIMEOUT_GET);
		for (uint32_t c = 0; c < __CTRACK_TO_MAX; c++) {
			n = mnl_attr_nest_start(nlh, CTRACK_A_TIMEOUT);
			mnl_attr_put_u32(nlh, CTRACK_A_TIMEOUT_CLASS, c);
			mnl_attr_put_u32(nlh, CTRACK_A_TIMEOUT_SECONDS, 100 + c);
			mnl_attr_nest_end(nlh, n);
		}
		break;
	case CT_OP_HELPER_LIST:
		nlh = reply_start(buf, CTRACK_CMD_HELPER_GET);
		for (uint16_t p = 21; p <= 2121; p += 2100) {
			n = mnl_attr_nest_start(nlh, CTRACK_A_HELPER);
			mnl_attr_put_strz(nlh, CTRACK_A_HELPER_NAME, "ftp");
			mnl_attr_put_u16(nlh, CTRACK_A_HELPER_PORT, p);
			mnl_attr_nest_end(nlh, n);
		}
		break;
	default:
		nlh = reply_start(buf, CTRACK_CMD_SETTING_GET);
		n = mnl_attr_nest_start(nlh, CTRACK_A_SETTING);
		mnl_attr_put_strz(nlh, CTRACK_A_SETTING_NAME, "tcp_loose");
		mnl_attr_put_u32(nlh, CTRACK_A_SETTING_VALUE, 0);
		mnl_attr_nest_end(nlh, n);
		n = mnl_attr_nest_start(nlh, CTRACK_A_SETTING);
		mnl_attr_put_strz(nlh, CTRACK_A_SETTING_NAME, "max_conns");
		mnl_attr_put_u32(nlh, CTRACK_A_SETTING_VALUE, 262144);
		mnl_attr_nest_end(nlh, n);
		break;
	}
}

static void stats_reply(void *buf, uint32_t cpu)
{
	struct nlmsghdr *nlh = reply_start(buf, CTRACK_CMD_STATS_GET);
	struct nlattr *n = mnl_attr_nest_start(nlh, CTRACK_A_STATS);

	mnl_attr_put_u32(nlh, CTRACK_A_STATS_CPU, cpu);
	for (int i = CTRACK_A_STATS_FOUND; i <= CTRACK_A_STATS_CHAINTOOLONG; i++)
		mnl_attr_put_u64(nlh, i, cpu * 100 + i);
	mnl_attr_nest_end(nlh, n);
}

static void event_msg(void *buf, uint8_t type, uint64_t seq, size_t conn_case)
{
	struct nlmsghdr *nlh;

	conn_reply(buf, CTRACK_CMD_EVENT, conn_case);
	nlh = buf;
	mnl_attr_put_u8(nlh, CTRACK_A_EVENT_TYPE, type);
	mnl_attr_put_u64(nlh, CTRACK_A_EVENT_SEQ, seq);
}

static void feed_events(struct ct_reply *r)
{
	static char buf[4096];
	static const struct { uint8_t type; uint64_t seq; size_t c; } ev[] = {
		{ CTRACK_EVENT_NEW, 1, 1 },
		{ CTRACK_EVENT_UPDATE, 2, 0 },
		{ CTRACK_EVENT_DESTROY, 5, 0 },	/* 3 and 4 lost */
		{ CTRACK_EVENT_NEW, 6, 3 },
	};

	for (size_t i = 0; i < sizeof(ev) / sizeof(ev[0]); i++) {
		event_msg(buf, ev[i].type, ev[i].seq, ev[i].c);
		ct_reply_event((void *)buf, r);
	}
}

/*
 * element add/delete: the set's type is the kernel's, so the tool guesses
 * the class from the first element. Checked on the attributes themselves
 * (the --dry-run decoder cannot tell an IPv4 address or a port from a name
 * in a SET nest without TYPE).
 */
static const struct nlattr *nested(const struct nlattr *nest, uint16_t type, int nth)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == type && nth-- == 0)
			return a;
	return NULL;
}

static const struct nlattr *elem_of(const struct nlmsghdr *nlh, int nth)
{
	const struct nlattr *a, *set = NULL;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == CTRACK_A_SET)
			set = a;
	return set ? nested(set, CTRACK_A_SET_ELEM, nth) : NULL;
}

static bool elem_is(const struct nlattr *e, uint16_t type, const void *val, uint16_t len)
{
	const struct nlattr *a = e ? nested(e, type, 0) : NULL;

	return a && mnl_attr_get_payload_len(a) == len &&
	       !memcmp(mnl_attr_get_payload(a), val, len);
}

static struct nlmsghdr *cmd_request(const char *line, struct ct_cmd *c, void *buf, size_t len)
{
	char tmp[512], *argv[64];
	int argc;

	ct_set_free_elems(&c->set);	/* of the last command */
	snprintf(tmp, sizeof(tmp), "%s", line);
	argc = split(tmp, argv, 64);
	if (ct_parse_args(argc, argv, c)) {
		printf("#   %s: %s\n", line, ct_errbuf);
		return NULL;
	}
	return ct_build_request(c, buf, len, 0x42, 1);
}

static void test_elem_requests(void)
{
	static char buf[8192];
	struct ct_cmd c = { 0 };
	struct nlmsghdr *nlh;
	uint32_t u, t;
	uint8_t a4[4], b4[4];

	nlh = cmd_request("element add ports { 22, 80-89 timeout 1m30s }", &c, buf, sizeof(buf));
	u = 22;
	check("element add ports: 22 is a u32", nlh && c.set.type == CTRACK_TYPE_INET_SERVICE &&
	      elem_is(elem_of(nlh, 0), CTRACK_A_ELEM_VALUE, &u, 4));
	u = 80;
	t = 89;
	check("element add ports: 80-89 is VALUE and TO",
	      nlh && elem_is(elem_of(nlh, 1), CTRACK_A_ELEM_VALUE, &u, 4) &&
	      elem_is(elem_of(nlh, 1), CTRACK_A_ELEM_TO, &t, 4));
	t = 90;
	check("element add ports: timeout 1m30s is 90 s",
	      nlh && elem_is(elem_of(nlh, 1), CTRACK_A_ELEM_TIMEOUT, &t, 4) &&
	      !elem_of(nlh, 2) && !nested(elem_of(nlh, 0), CTRACK_A_ELEM_TIMEOUT, 0));
	nlh = cmd_request("element add inet filter blk {10.0.0.1, 10.1.0.0/16 }", &c, buf, sizeof(buf));
	inet_pton(AF_INET, "10.0.0.1", a4);
	inet_pton(AF_INET, "10.1.0.0", b4);
	u = 16;
	check("element add blk {10.0.0.1, 10.1.0.0/16}: 4-byte addresses, a prefix",
	      nlh && c.set.type == CTRACK_TYPE_IPV4_ADDR &&
	      elem_is(elem_of(nlh, 0), CTRACK_A_ELEM_VALUE, a4, 4) &&
	      elem_is(elem_of(nlh, 1), CTRACK_A_ELEM_VALUE, b4, 4) &&
	      elem_is(elem_of(nlh, 1), CTRACK_A_ELEM_PREFIX, &u, 1));
	/* one shell word, as `element add blk '{ 10.0.0.1, 10.0.0.2 }'` gives */
	{
		char *argv[] = { "element", "add", "blk", "{ 10.0.0.1 timeout 30s, 10.0.0.9 }" };

		ct_set_free_elems(&c.set);
		check("element add blk '{ 10.0.0.1 timeout 30s, ... }' (one word): IPv4",
		      !ct_parse_args(4, argv, &c) && c.set.type == CTRACK_TYPE_IPV4_ADDR &&
		      c.set.n == 2 && c.set.elems[0].timeout == 30);
		ct_set_free_elems(&c.set);
	}
	nlh = cmd_request("element delete blk { 10.0.0.1-10.0.0.9, }", &c, buf, sizeof(buf));
	inet_pton(AF_INET, "10.0.0.9", b4);
	check("element delete blk { 10.0.0.1-10.0.0.9, }: a range of addresses",
	      nlh && nlh->nlmsg_type == 0x42 &&
	      ((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd == CTRACK_CMD_ELEM_DEL &&
	      elem_is(elem_of(nlh, 0), CTRACK_A_ELEM_VALUE, a4, 4) &&
	      elem_is(elem_of(nlh, 0), CTRACK_A_ELEM_TO, b4, 4));
	nlh = cmd_request("element add states { established, related }", &c, buf, sizeof(buf));
	u = CTRACK_CTSTATE_BIT(CTRACK_CTSTATE_ESTABLISHED);
	check("element add states { established, related }: ct state bits",
	      nlh && c.set.type == CTRACK_TYPE_CT_STATE &&
	      elem_is(elem_of(nlh, 0), CTRACK_A_ELEM_VALUE, &u, 4));
	nlh = cmd_request("element add ports { http }", &c, buf, sizeof(buf));
	u = 80;
	check("element add ports { http }: a service name",
	      nlh && elem_is(elem_of(nlh, 0), CTRACK_A_ELEM_VALUE, &u, 4));
	nlh = cmd_request("element add names { eth0, wg* }", &c, buf, sizeof(buf));
	check("element add names { eth0, wg* }: interface names",
	      nlh && c.set.type == CTRACK_TYPE_IFNAME &&
	      elem_is(elem_of(nlh, 0), CTRACK_A_ELEM_VALUE, "eth0", 5) &&
	      elem_is(elem_of(nlh, 1), CTRACK_A_ELEM_VALUE, "wg*", 4));
	ct_set_free_elems(&c.set);
}

/* a SET_GET dump: header message, then a message with more elements */
static void test_set_list(void)
{
	static char buf[4096];
	struct ct_opts text = { 0 };
	struct ct_reply r;
	struct nlmsghdr *nlh;
	struct nlattr *s, *e;
	struct cap c;
	uint8_t a4[4];

	for (int save = 0; save < 2; save++) {
		cap_open(&c);
		ct_reply_begin(&r, save ? CT_OP_RULESET_SAVE : CT_OP_SET_LIST, &text, c.o, c.e);
		nlh = reply_start(buf, CTRACK_CMD_SET_GET);
		put_table_chain(nlh, NULL, false);
		s = mnl_attr_nest_start(nlh, CTRACK_A_SET);
		mnl_attr_put_strz(nlh, CTRACK_A_SET_NAME, "blocked");
		mnl_attr_put_u8(nlh, CTRACK_A_SET_TYPE, CTRACK_TYPE_IPV4_ADDR);
		mnl_attr_put_u32(nlh, CTRACK_A_SET_FLAGS,
				 CTRACK_SET_F_INTERVAL | CTRACK_SET_F_TIMEOUT);
		mnl_attr_put_u32(nlh, CTRACK_A_SET_TIMEOUT, 3600);
		mnl_attr_put_u32(nlh, CTRACK_A_SET_COUNT, 2);
		e = mnl_attr_nest_start(nlh, CTRACK_A_SET_ELEM);
		inet_pton(AF_INET, "192.0.2.0", a4);
		mnl_attr_put(nlh, CTRACK_A_ELEM_VALUE, 4, a4);
		mnl_attr_put_u8(nlh, CTRACK_A_ELEM_PREFIX, 24);
		mnl_attr_nest_end(nlh, e);
		mnl_attr_nest_end(nlh, s);
		ct_reply_msg(nlh, &r);
		nlh = reply_start(buf, CTRACK_CMD_SET_GET);
		put_table_chain(nlh, NULL, false);
		s = mnl_attr_nest_start(nlh, CTRACK_A_SET);
		mnl_attr_put_strz(nlh, CTRACK_A_SET_NAME, "blocked");
		e = mnl_attr_nest_start(nlh, CTRACK_A_SET_ELEM);
		inet_pton(AF_INET, "198.51.100.7", a4);
		mnl_attr_put(nlh, CTRACK_A_ELEM_VALUE, 4, a4);
		mnl_attr_put_u32(nlh, CTRACK_A_ELEM_TIMEOUT, 3600);
		mnl_attr_put_u32(nlh, CTRACK_A_ELEM_EXPIRES, 3599);
		mnl_attr_nest_end(nlh, e);
		mnl_attr_nest_end(nlh, s);
		ct_reply_msg(nlh, &r);
		ct_reply_finish(&r);
		cap_close(&c);
		check_str(save ? "reply: ruleset save of a set (no expires)" :
			  "reply: set list, elements from two messages", c.out,
			  save ? "table inet filter {\n"
				 "\tset blocked {\n"
				 "\t\ttype ipv4_addr\n"
				 "\t\tflags interval,timeout\n"
				 "\t\ttimeout 1h\n"
				 "\t\telements = { 192.0.2.0/24, 198.51.100.7 timeout 1h }\n"
				 "\t}\n"
				 "}\n" :
				 "table inet filter {\n"
				 "\tset blocked {\n"
				 "\t\ttype ipv4_addr\n"
				 "\t\tflags interval,timeout\n"
				 "\t\ttimeout 1h\n"
				 "\t\telements = { 192.0.2.0/24, 198.51.100.7 timeout 1h expires 59m59s }\n"
				 "\t}\n"
				 "}\n");
		cap_free(&c);
	}
}

static void test_replies(void)
{
	struct ct_opts text = { 0 }, json = { .json = true };
	struct ct_reply r;
	struct cap c;
	static char buf[4096];
	struct nlmsghdr *nlh;
	int ret;

	cap_open(&c);
	ct_reply_begin(&r, CT_OP_RULE_LIST, &text, c.o, c.e);
	feed_rules(&r);
	ret = ct_reply_finish(&r);
	cap_close(&c);
	check_str("reply: rule list, nft's layout with handles", c.out,
		  "table inet filter {\n"
		  "\tchain input {\n"
		  "\t\ttype filter hook input priority filter; policy drop;\n"
		  "\t\tct state established,related counter packets 12 bytes 1456 accept # handle 1\n"
		  "\t\ttcp dport { 22, 80 } ct state new counter packets 1 bytes 60 accept comment \"web and ssh\" # handle 2\n"
		  "\t}\n"
		  "}\n");
	check("reply: rule list exit 0, nothing on stderr", ret == 0 && c.elen == 0);
	cap_free(&c);

	cap_open(&c);
	ct_reply_begin(&r, CT_OP_RULESET_SAVE, &text, c.o, c.e);
	feed_rules(&r);
	ct_reply_finish(&r);
	cap_close(&c);
	check_str("reply: ruleset save", c.out,
		  "table inet filter {\n"
		  "\tchain input {\n"
		  "\t\ttype filter hook input priority filter; policy drop;\n"
		  "\t\tct state established,related counter packets 12 bytes 1456 accept\n"
		  "\t\ttcp dport { 22, 80 } ct state new counter packets 1 bytes 60 accept comment \"web and ssh\"\n"
		  "\t}\n"
		  "}\n");
	cap_free(&c);

	cap_open(&c);
	ct_reply_begin(&r, CT_OP_CONN_LIST, &text, c.o, c.e);
	feed_conns(&r);
	ct_reply_finish(&r);
	cap_close(&c);
	check_str("reply: conn list lines", c.out,
		  "ipv4     2 tcp      6 431999 ESTABLISHED src=10.0.1.2 dst=10.0.1.1 sport=51234 dport=22 packets=12 bytes=1456 src=10.0.1.1 dst=10.0.1.2 sport=22 dport=51234 packets=9 bytes=1987 [ASSURED] use=1\n"
		  "ipv4     2 icmp     1 29 src=10.0.1.2 dst=10.0.1.1 type=8 code=0 id=1234 packets=1 bytes=84 src=10.0.1.1 dst=10.0.1.2 type=0 code=0 id=1234 packets=1 bytes=84 use=1\n");
	check_str("reply: conn list summary on stderr", c.err,
		  "ctrack v" CTRACKCTL_VERSION ": 2 flow entries have been shown.\n");
	cap_free(&c);

	cap_open(&c);
	ct_reply_begin(&r, CT_OP_CONN_GET, &text, c.o, c.e);
	ret = ct_reply_finish(&r);
	cap_close(&c);
	check("reply: conn get with no answer exits 1", ret == CT_EXIT_ERR &&
	      !strcmp(c.err, "ctrackctl: no such connection\n"));
	cap_free(&c);

	const struct { enum ct_op op; const char *want; } items[] = {
		{ CT_OP_TIMEOUT_LIST,
		  "tcp syn_sent 100\ntcp syn_recv 101\ntcp established 102\ntcp fin_wait 103\n"
		  "tcp close_wait 104\ntcp last_ack 105\ntcp time_wait 106\ntcp close 107\n"
		  "tcp syn_sent2 108\ntcp retrans 109\ntcp unack 110\nudp 111\nudp stream 112\n"
		  "icmp 113\ngeneric 114\nexpect 115\n" },
		{ CT_OP_HELPER_LIST, "ftp port 21\nftp port 2121\n" },
		{ CT_OP_SETTING_LIST, "tcp_loose 0\nmax_conns 262144\n" },
	};
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		char name[64];

		cap_open(&c);
		ct_reply_begin(&r, items[i].op, &text, c.o, c.e);
		items_reply(buf, items[i].op);
		ct_reply_msg((void *)buf, &r);
		ct_reply_finish(&r);
		cap_close(&c);
		snprintf(name, sizeof(name), "reply: %s list", items[i].op == CT_OP_TIMEOUT_LIST ?
			 "timeout" : items[i].op == CT_OP_HELPER_LIST ? "helper" : "setting");
		check_str(name, c.out, items[i].want);
		cap_free(&c);
	}

	cap_open(&c);
	ct_reply_begin(&r, CT_OP_STATS, &text, c.o, c.e);
	stats_reply(buf, 0);
	ct_reply_msg((void *)buf, &r);
	stats_reply(buf, 1);
	ct_reply_msg((void *)buf, &r);
	ct_reply_finish(&r);
	cap_close(&c);
	check_str("reply: stats, one line per cpu", c.out,
		  "cpu=0 found=2 invalid=3 insert=4 insert_failed=5 drop=6 early_drop=7 error=8 search_restart=12 chaintoolong=13 expect_new=9 expect_create=10 expect_delete=11\n"
		  "cpu=1 found=102 invalid=103 insert=104 insert_failed=105 drop=106 early_drop=107 error=108 search_restart=112 chaintoolong=113 expect_new=109 expect_create=110 expect_delete=111\n");
	cap_free(&c);

	cap_open(&c);
	ct_reply_begin(&r, CT_OP_CONN_COUNT, &text, c.o, c.e);
	nlh = reply_start(buf, CTRACK_CMD_CONN_COUNT);
	mnl_attr_put_u32(nlh, CTRACK_A_COUNT, 5);
	mnl_attr_put_u32(nlh, CTRACK_A_MAX_CONNS, 100);
	ct_reply_msg(nlh, &r);
	ct_reply_finish(&r);
	cap_close(&c);
	check_str("reply: conn count", c.out, "5\n");
	cap_free(&c);

	cap_open(&c);
	ct_reply_begin(&r, CT_OP_CONN_COUNT, &json, c.o, c.e);
	ct_reply_msg(nlh, &r);
	ct_reply_finish(&r);
	cap_close(&c);
	check_str("reply: conn count -j", c.out, "{\"count\":5,\"max\":100}\n");
	cap_free(&c);

	cap_open(&c);
	ct_reply_begin(&r, CT_OP_CONN_DELETE, &text, c.o, c.e);
	nlh = reply_start(buf, CTRACK_CMD_CONN_DEL);
	mnl_attr_put_u32(nlh, CTRACK_A_COUNT, 3);
	ct_reply_msg(nlh, &r);
	ct_reply_finish(&r);
	cap_close(&c);
	check_str("reply: conn delete count on stderr", c.err,
		  "ctrack v" CTRACKCTL_VERSION ": 3 flow entries have been deleted.\n");
	cap_free(&c);

	cap_open(&c);
	ct_reply_begin(&r, CT_OP_RULE_ADD, &text, c.o, c.e);
	nlh = reply_start(buf, CTRACK_CMD_RULE_ADD);
	mnl_attr_put_u32(nlh, CTRACK_A_HANDLE, 7);
	ct_reply_msg(nlh, &r);
	ct_reply_finish(&r);
	cap_close(&c);
	check_str("reply: rule add prints the handle", c.out, "7\n");
	cap_free(&c);

	cap_open(&c);
	ct_reply_begin(&r, CT_OP_CONN_COUNT, &text, c.o, c.e);
	nlh = reply_start(buf, CTRACK_CMD_CONN_COUNT);
	mnl_attr_put_u16(nlh, CTRACK_A_COUNT, 5);
	errno = 0;
	ret = ct_reply_msg(nlh, &r);
	ct_reply_finish(&r);
	cap_close(&c);
	check("reply: malformed COUNT is an error (EBADMSG)", ret == MNL_CB_ERROR && errno == EBADMSG);
	cap_free(&c);

	/* monitor: lines like conntrack -E, gaps reported with their size */
	cap_open(&c);
	ct_reply_begin(&r, CT_OP_MONITOR, &text, c.o, c.e);
	r.events = 7;
	feed_events(&r);
	cap_close(&c);
	check_str("monitor: [NEW]/[UPDATE]/[DESTROY] lines", c.out,
		  "[NEW] tcp      6 119 SYN_SENT src=10.0.1.2 dst=10.0.1.1 sport=40000 dport=80 packets=1 bytes=60 [UNREPLIED] src=10.0.1.1 dst=10.0.1.2 sport=80 dport=40000 packets=0 bytes=0 use=1\n"
		  "[UPDATE] tcp      6 431999 ESTABLISHED src=10.0.1.2 dst=10.0.1.1 sport=51234 dport=22 packets=12 bytes=1456 src=10.0.1.1 dst=10.0.1.2 sport=22 dport=51234 packets=9 bytes=1987 [ASSURED] use=1\n"
		  "[DESTROY] tcp      6 431999 ESTABLISHED src=10.0.1.2 dst=10.0.1.1 sport=51234 dport=22 packets=12 bytes=1456 src=10.0.1.1 dst=10.0.1.2 sport=22 dport=51234 packets=9 bytes=1987 [ASSURED] use=1\n"
		  "[NEW] udp      17 29 src=10.0.1.2 dst=10.0.1.1 sport=5353 dport=53 packets=1 bytes=70 [UNREPLIED] src=10.0.1.1 dst=10.0.1.2 sport=53 dport=5353 packets=0 bytes=0 use=1\n");
	check_str("monitor: lost events reported with count", c.err,
		  "ctrackctl: warning: 2 events lost (seq 3..4)\n");
	check("monitor: 4 shown, 2 lost", r.count == 4 && r.lost == 2);
	cap_free(&c);

	cap_open(&c);
	ct_reply_begin(&r, CT_OP_MONITOR, &text, c.o, c.e);
	r.events = 1U << CTRACK_EVENT_DESTROY;
	feed_events(&r);
	cap_close(&c);
	check("monitor destroy: only [DESTROY], gap still seen",
	      !strncmp(c.out, "[DESTROY] ", 10) && !strchr(c.out, '\n')[1] && r.lost == 2);
	cap_free(&c);
}

/*
 * nl.c's error path against the host kernel's genetlink controller: a
 * strictly validated dump with a bogus attribute must come back as EINVAL
 * with the kernel's extack text, as a ctrack error would.
 */
static void test_extack(void)
{
	struct ct_nl nl = { 0 };
	static char buf[1024];
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	int one = 1, ret;

	nl.sk = mnl_socket_open(NETLINK_GENERIC);
	if (!nl.sk || mnl_socket_bind(nl.sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		printf("# no generic netlink socket here: extack test skipped\n");
		if (nl.sk)
			mnl_socket_close(nl.sk);
		return;
	}
	nl.portid = mnl_socket_get_portid(nl.sk);
	mnl_socket_setsockopt(nl.sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl.sk, NETLINK_CAP_ACK, &one, sizeof(one));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETPOLICY;
	g->version = 1;
	mnl_attr_put_u64(nlh, CTRL_ATTR_FAMILY_ID, 5);	/* u16 expected */
	errno = 0;
	ret = ct_nl_talk(&nl, nlh, NULL, NULL);
	check("nl: kernel error comes back as -1/EINVAL", ret < 0 && errno == EINVAL);
	printf("# kernel extack: '%s'\n", nl.extack);
	check("nl: kernel extack message is captured", nl.extack[0] != '\0');
	ct_nl_close(&nl);
}

/* ---- JSON samples for the outside validator ---- */

static FILE *open_sample(const char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s.json", dir, name);
	return fopen(path, "w");
}

static int write_json(const char *dir)
{
	static char buf[4096];
	struct ct_json j;
	struct ct_conn c;
	FILE *f;

	f = open_sample(dir, "conns");
	if (!f)
		return 1;
	ct_json_init(&j, f);
	ct_json_open(&j, NULL, '[');
	for (size_t i = 0; i < sizeof(conn_cases) / sizeof(conn_cases[0]); i++) {
		memset(buf, 0, sizeof(buf));
		if (!ct_conn_from_attr(build_conn(buf, &conn_cases[i].s), &c))
			ct_json_conn(&j, &c, NULL);
	}
	ct_json_close(&j, ']');
	fclose(f);

	f = open_sample(dir, "rules");
	{
		struct ct_ruleset *rs = ct_ruleset_read_text(seed, "seed");

		if (rs)
			ct_json_ruleset(f, rs, false);
		ct_ruleset_free(rs);
	}
	fclose(f);
	/* every file of the corpus */
	{
		struct dirent **ents;
		int n = scandir(corpus_dir(), &ents, NULL, alphasort);

		for (int i = 0; i < n; i++) {
			const char *dn = ents[i]->d_name;
			size_t l = strlen(dn);
			char path[1024], sample[300];
			struct ct_ruleset *rs;
			FILE *in;

			if (l > 4 && !strcmp(dn + l - 4, ".nft")) {
				snprintf(path, sizeof(path), "%s/%s", corpus_dir(), dn);
				in = fopen(path, "r");
				rs = in ? ct_ruleset_read(in, path, NULL, 0) : NULL;
				if (in)
					fclose(in);
				if (rs) {
					snprintf(sample, sizeof(sample), "ruleset-%.*s", (int)l - 4, dn);
					f = open_sample(dir, sample);
					if (f) {
						ct_json_ruleset(f, rs, false);
						fclose(f);
					}
				}
				ct_ruleset_free(rs);
			}
			free(ents[i]);
		}
		if (n >= 0)
			free(ents);
	}

	f = open_sample(dir, "stats");
	ct_json_init(&j, f);
	ct_json_open(&j, NULL, '[');
	for (uint32_t cpu = 0; cpu < 2; cpu++) {
		struct ct_stats s = { .cpu = cpu };

		s.v[CTRACK_A_STATS_FOUND] = 1000 + cpu;
		ct_json_stats(&j, &s);
	}
	ct_json_close(&j, ']');
	fclose(f);

	{
		struct ct_opts json = { .json = true };
		struct ct_reply r;
		static const enum ct_op ops[] = {
			CT_OP_RULE_LIST, CT_OP_CONN_LIST, CT_OP_TIMEOUT_LIST, CT_OP_HELPER_LIST,
			CT_OP_SETTING_LIST, CT_OP_STATS, CT_OP_CONN_GET,
		};
		static const char *const names[] = {
			"reply-rules", "reply-conns", "reply-timeouts", "reply-helpers",
			"reply-settings", "reply-stats", "reply-conn-get",
		};

		for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
			f = open_sample(dir, names[i]);
			ct_reply_begin(&r, ops[i], &json, f, stderr);
			if (ops[i] == CT_OP_RULE_LIST) {
				feed_rules(&r);
			} else if (ops[i] == CT_OP_CONN_LIST) {
				feed_conns(&r);
			} else if (ops[i] == CT_OP_CONN_GET) {
				conn_reply(buf, CTRACK_CMD_CONN_GET, 11);
				ct_reply_msg((void *)buf, &r);
			} else if (ops[i] == CT_OP_STATS) {
				stats_reply(buf, 0);
				ct_reply_msg((void *)buf, &r);
				stats_reply(buf, 1);
				ct_reply_msg((void *)buf, &r);
			} else {
				items_reply(buf, ops[i]);
				ct_reply_msg((void *)buf, &r);
			}
			ct_reply_finish(&r);
			fclose(f);
		}
		/* JSON lines: one object per event, plus the loss record */
		f = fopen(strcat(strcpy((char *)buf, dir), "/monitor.jsonl"), "w");
		ct_reply_begin(&r, CT_OP_MONITOR, &json, f, stderr);
		r.events = 7;
		feed_events(&r);
		fclose(f);
	}

	f = open_sample(dir, "expect");
	{
		struct ct_expect e = { .timeout = 299, .has_master = true, .helper = "ftp" };

		e.tuple.family = e.master.family = NFPROTO_IPV4;
		e.tuple.proto = e.master.proto = IPPROTO_TCP;
		inet_pton(AF_INET, "10.0.1.1", e.tuple.src);
		inet_pton(AF_INET, "10.0.1.2", e.tuple.dst);
		e.tuple.dport = 41234;
		ct_json_init(&j, f);
		ct_json_open(&j, NULL, '[');
		ct_json_expect(&j, &e, NULL);
		ct_json_close(&j, ']');
	}
	fclose(f);
	return 0;
}

static void test_expect_line(void)
{
	struct ct_expect e = { .timeout = 299, .has_master = true, .helper = "ftp" };
	char *out = NULL;
	size_t len = 0;
	FILE *m;

	e.tuple.family = e.master.family = NFPROTO_IPV4;
	e.tuple.proto = e.master.proto = IPPROTO_TCP;
	inet_pton(AF_INET, "10.0.1.1", e.tuple.src);
	inet_pton(AF_INET, "10.0.1.2", e.tuple.dst);
	e.tuple.dport = 41234;
	inet_pton(AF_INET, "10.0.1.2", e.master.src);
	inet_pton(AF_INET, "10.0.1.1", e.master.dst);
	e.master.sport = 40000;
	e.master.dport = 21;
	m = open_memstream(&out, &len);
	ct_print_expect(m, &e);
	fclose(m);
	check_str("expect line", out,
		  "299 proto=6 src=10.0.1.1 dst=10.0.1.2 sport=0 dport=41234 master-src=10.0.1.2 master-dst=10.0.1.1 sport=40000 dport=21 helper=ftp\n");
	free(out);
}

static void test_stats_line(void)
{
	struct ct_stats s = { .cpu = 1 };
	char *out = NULL;
	size_t len = 0;
	FILE *m;

	for (int i = CTRACK_A_STATS_FOUND; i <= CTRACK_A_STATS_CHAINTOOLONG; i++)
		s.v[i] = i;
	m = open_memstream(&out, &len);
	ct_print_stats(m, &s);
	fclose(m);
	check_str("stats line", out,
		  "cpu=1 found=2 invalid=3 insert=4 insert_failed=5 drop=6 early_drop=7 error=8 search_restart=12 chaintoolong=13 expect_new=9 expect_create=10 expect_delete=11\n");
	free(out);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void rm_tree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int main(int argc, char **argv)
{
	char tmp[] = "/tmp/ctrackctl_test.XXXXXX";

	if (argc == 3 && !strcmp(argv[1], "json"))
		return write_json(argv[2]);
	if (!mkdtemp(tmp)) {
		perror("mkdtemp");
		return 1;
	}
	test_conn_lines();
	test_conn_malformed();
	test_expect_line();
	test_stats_line();
	test_rules();
	test_rule_malformed();
	test_bad_rules();
	test_names();
	test_filters();
	test_timeouts();
	test_seed();
	test_commands();
	test_prios();
	test_elem_timeout0();
	test_quoted_names();
	test_locmap();
	test_corpus(tmp);
	test_bad_corpus();
	test_hostile(tmp);
	test_mutations();
	test_elem_requests();
	test_replies();
	test_set_list();
	test_extack();
	rm_tree(tmp);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
