// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of ctrackctl's parser and printers: no kernel involved.
 * Connection lines are built as the kernel would send them (netlink
 * attributes) and must print exactly as /proc/net/nf_conntrack does.
 *
 *   ctrackctl_test              run the tests; last line "N passed, N failed"
 *   ctrackctl_test json DIR     write JSON samples to DIR for an outside validator
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
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

/* ---- rules: parse -> attributes -> decode -> print ---- */

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

/* Parses, sends through attributes as the kernel would echo them, prints. */
static char *rule_roundtrip(const char *in, bool numeric)
{
	static char buf[4096];
	char tmp[512], *argv[64];
	int argc;
	struct ct_rule r, back;
	struct nlmsghdr *nlh;

	snprintf(tmp, sizeof(tmp), "%s", in);
	argc = split(tmp, argv, 64);
	if (ct_parse_rule(argc, argv, &r))
		return NULL;
	nlh = mnl_nlmsg_put_header(buf);
	if (ct_put_rule(nlh, sizeof(buf), CTRACK_A_RULE, &r))
		return NULL;
	if (ct_rule_from_attr(mnl_nlmsg_get_payload(nlh), &back))
		return NULL;
	return rule_text(&back, numeric);
}

static const struct {
	const char *in, *want;
	bool numeric;
} rule_cases[] = {
	{ "ct state established,related accept", "ct state established,related accept" },
	{ "ct state related,established accept", "ct state established,related accept" },
	{ "ct state established, related accept", "ct state established,related accept" },
	{ "ct state invalid drop", "ct state invalid drop" },
	{ "tcp dport 22 ct state new accept", "tcp dport 22 ct state new accept" },
	{ "ct state new tcp dport 22 accept", "tcp dport 22 ct state new accept" },
	{ "ct state new drop", "ct state new drop" },
	{ "ip saddr 10.1.2.3/8 drop", "ip saddr 10.0.0.0/8 drop" },
	{ "ip daddr 192.168.1.1 ip saddr 10.0.0.0/24 tcp", "ip saddr 10.0.0.0/24 ip daddr 192.168.1.1 tcp" },
	{ "ip6 saddr 2001:db8::1/48 accept", "ip6 saddr 2001:db8::/48 accept" },
	{ "ip6 daddr ::1", "ip6 daddr ::1" },
	{ "ip", "ip" },
	{ "ip6 tcp", "ip6 tcp" },
	{ "udp", "udp" },
	{ "udp sport 1000-2000 udp dport 53 accept", "udp sport 1000-2000 udp dport 53 accept" },
	{ "tcp dport 0-65535 reject", "tcp dport 0-65535 reject" },
	{ "icmp type echo-request accept", "icmp type echo-request accept" },
	{ "icmp type echo-request accept", "icmp type 8 accept", true },
	{ "icmp type 11", "icmp type time-exceeded" },
	{ "icmp type 200", "icmp type 200" },
	{ "icmpv6 type 129", "icmpv6 type echo-reply" },
	{ "icmpv6 type nd-neighbor-solicit accept", "icmpv6 type nd-neighbor-solicit accept" },
	{ "icmp", "icmp" },
	{ "ip6 icmpv6 accept", "icmpv6 accept" },
	{ "iifname eth0 oifname wg0 accept", "iifname \"eth0\" oifname \"wg0\" accept" },
	{ "iifname \"eth1\" drop", "iifname \"eth1\" drop" },
	{ "meta l4proto gre accept", "meta l4proto 47 accept" },
	{ "counter", "counter" },
	{ "counter accept", "accept" },
	{ "continue", "counter" },
	{ "drop", "drop" },
	{ "ct state new,established,related,invalid", "ct state invalid,established,related,new" },
	{ "icmpv6 ct state untracked accept", "icmpv6 ct state untracked accept" },
	{ "ct state untracked,new drop", "ct state new,untracked drop" },
	{ "tcp sport 1024-65535 tcp dport 80 ip daddr 10.0.0.1 iifname lo ct state new reject",
	  "ip daddr 10.0.0.1 tcp sport 1024-65535 tcp dport 80 iifname \"lo\" ct state new reject" },
};

static void test_rules(void)
{
	char name[600];

	for (size_t i = 0; i < sizeof(rule_cases) / sizeof(rule_cases[0]); i++) {
		char *got = rule_roundtrip(rule_cases[i].in, rule_cases[i].numeric);
		char *again;

		snprintf(name, sizeof(name), "rule '%s'%s", rule_cases[i].in,
			 rule_cases[i].numeric ? " (-n)" : "");
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

static const char *const bad_rules[] = {
	"ip saddr 10.0.0.1/33 accept",
	"ip6 saddr 2001:db8::/129",
	"ip saddr 2001:db8::1",
	"ip6 daddr 10.0.0.1",
	"ip saddr",
	"ip saddr 10.0.0.300",
	"ip saddr 10.0.0.1 ip6 daddr ::1",
	"ip saddr 10.0.0.1 ip saddr 10.0.0.2",
	"tcp dport 80-20 accept",
	"tcp dport 70000",
	"tcp dport",
	"tcp udp",
	"tcp dport 22 tcp dport 23",
	"icmp type bogus",
	"icmp type 256",
	"icmp tcp",
	"icmp ip6",
	"ct state bogus",
	"ct state",
	"ct state new,,bogus",
	"ct status new",
	"accept drop",
	"accept tcp",
	"iifname",
	"iifname averyveryverylongname",
	"iifname a/b",
	"meta l4proto",
	"frobnicate",
	"",
};

static void test_bad_rules(void)
{
	char name[600];

	for (size_t i = 0; i < sizeof(bad_rules) / sizeof(bad_rules[0]); i++) {
		char tmp[256], *argv[32];
		int argc;
		struct ct_rule r;
		int ret;

		snprintf(tmp, sizeof(tmp), "%s", bad_rules[i]);
		argc = split(tmp, argv, 32);
		ct_errbuf[0] = '\0';
		ret = ct_parse_rule(argc, argv, &r);
		snprintf(name, sizeof(name), "rule '%s' refused: %s", bad_rules[i], ct_errbuf);
		check(name, ret < 0 && ct_errbuf[0]);
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

/* ---- ruleset file and chain listing ---- */

static const char seed[] =
	"# the seed ruleset\n"
	"policy input drop\n"
	"rule add input ct state established,related accept\n"
	"rule add input ct state invalid drop\n"
	"rule add input iifname \"lo\" accept   # loopback\n"
	"rule add input tcp dport 22 ct state new accept\n"
	"rule add input tcp dport 80 ct state new accept\n"
	"rule add input icmp type echo-request accept\n"
	"rule add input ct state new drop\n"
	"\n"
	"policy set output accept\n"
	"rule add output ct state invalid drop\n";

static char *print_rs(struct ct_ruleset *rs, bool save, int only, bool json)
{
	struct ct_chains ch = { .rs = rs, .only = only };
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	for (int h = 0; h < __CTRACK_HOOK_MAX; h++)
		ch.seen[h] = true;
	if (json)
		ct_json_chains(m, &ch, false);
	else
		ct_print_chains(m, &ch, save, false);
	fclose(m);
	return out;
}

static void test_ruleset(void)
{
	FILE *f = fmemopen((void *)seed, strlen(seed), "r");
	struct ct_ruleset *rs = ct_ruleset_read(f, "seed"), *rs2;
	char *saved, *again, *listed;
	const char *bad[][2] = {
		{ "policy input drop\nrule add input tcp dport 80-20 accept\n",
		  "f:2: port range '80-20' is inverted (80 > 20)" },
		{ "rule add sideways accept\n", "f:1: unknown hook 'sideways' (input, forward, output)" },
		{ "policy input reject\n", "f:1: policy: 'reject' is not accept or drop" },
		{ "\n\npolicy input drop\npolicy input accept\n", "f:4: policy for input given twice" },
		{ "flush ruleset\n", "f:1: expected 'policy HOOK accept|drop' or 'rule add HOOK ...', not 'flush'" },
		{ "rule add input\n", "f:1: missing rule expression (e.g. 'tcp dport 22 accept')" },
	};

	fclose(f);
	check("seed ruleset parses", rs != NULL);
	if (!rs)
		return;
	check("seed: input policy drop, 7 rules; output 1 rule; forward empty",
	      rs->policy[CTRACK_HOOK_INPUT] == CTRACK_VERDICT_DROP &&
	      rs->nrules[CTRACK_HOOK_INPUT] == 7 && rs->nrules[CTRACK_HOOK_OUTPUT] == 1 &&
	      rs->nrules[CTRACK_HOOK_FORWARD] == 0 &&
	      rs->policy[CTRACK_HOOK_FORWARD] == CTRACK_VERDICT_ACCEPT);
	saved = print_rs(rs, true, -1, false);
	check_str("ruleset save text", saved,
		  "# ctrack ruleset, written by ctrackctl ruleset save; load with ctrackctl ruleset load FILE\n"
		  "policy input drop\n"
		  "rule add input ct state established,related accept\n"
		  "rule add input ct state invalid drop\n"
		  "rule add input iifname \"lo\" accept\n"
		  "rule add input tcp dport 22 ct state new accept\n"
		  "rule add input tcp dport 80 ct state new accept\n"
		  "rule add input icmp type echo-request accept\n"
		  "rule add input ct state new drop\n"
		  "\n"
		  "policy forward accept\n"
		  "\n"
		  "policy output accept\n"
		  "rule add output ct state invalid drop\n");
	f = fmemopen(saved, strlen(saved), "r");
	rs2 = ct_ruleset_read(f, "saved");
	fclose(f);
	again = rs2 ? print_rs(rs2, true, -1, false) : NULL;
	check_str("ruleset save output loads back identically", again, saved);

	/* the listing format of `rule list input` */
	rs->rules[0][0].handle = 1;
	rs->rules[0][0].packets = 12;
	rs->rules[0][0].bytes = 1456;
	rs->rules[0][0].present |= CT_M_HANDLE | CT_M_COUNTERS;
	rs->rules[0][1].handle = 2;
	rs->rules[0][1].present |= CT_M_HANDLE | CT_M_COUNTERS;
	rs->rules[0][3].handle = 4;
	rs->rules[0][3].packets = 1;
	rs->rules[0][3].bytes = 60;
	rs->rules[0][3].present |= CT_M_HANDLE | CT_M_COUNTERS;
	rs->nrules[0] = 4;
	rs->rules[0][2].handle = 3;
	rs->rules[0][2].present |= CT_M_HANDLE;
	listed = print_rs(rs, false, CTRACK_HOOK_INPUT, false);
	check_str("rule list input", listed,
		  "chain input { # policy drop\n"
		  "\tct state established,related accept # handle 1 packets 12 bytes 1456\n"
		  "\tct state invalid drop # handle 2 packets 0 bytes 0\n"
		  "\tiifname \"lo\" accept # handle 3\n"
		  "\ttcp dport 22 ct state new accept # handle 4 packets 1 bytes 60\n"
		  "}\n");
	free(listed);
	listed = print_rs(rs, false, -1, false);
	check("rule list (all chains) shows three chains",
	      listed && strstr(listed, "chain input {") && strstr(listed, "\n\nchain forward { # policy accept\n}\n") &&
	      strstr(listed, "chain output { # policy accept\n\tct state invalid drop # handle 0\n}\n"));
	free(listed);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ct_ruleset *b;
		char name[128];

		f = fmemopen((void *)bad[i][0], strlen(bad[i][0]), "r");
		ct_errbuf[0] = '\0';
		b = ct_ruleset_read(f, "f");
		fclose(f);
		snprintf(name, sizeof(name), "bad ruleset file %zu refused with line number", i);
		check_str(name, b ? "(accepted)" : ct_errbuf, bad[i][1]);
		ct_ruleset_free(b);
	}
	free(saved);
	free(again);
	ct_ruleset_free(rs2);
	ct_ruleset_free(rs);
}

/* ruleset load is one message with a CHAIN per hook; too big a chain is refused */
static void test_ruleset_request(void)
{
	struct ct_cmd c = { .op = CT_OP_RULESET_LOAD };
	struct ct_rule r;
	char *argv[] = { "tcp", "dport", "22", "ct", "state", "new", "accept" };
	struct nlmsghdr *nlh;
	size_t n;
	void *buf;
	char *out = NULL;
	size_t len = 0;
	FILE *m;

	c.ruleset = ct_ruleset_new();
	ct_parse_rule(7, argv, &r);
	ct_ruleset_add(c.ruleset, CTRACK_HOOK_INPUT, &r);
	c.ruleset->policy[CTRACK_HOOK_INPUT] = CTRACK_VERDICT_DROP;
	n = ct_request_size(&c);
	buf = calloc(1, n);
	nlh = ct_build_request(&c, buf, n, 0x42, 7);
	m = open_memstream(&out, &len);
	if (nlh)
		ct_msg_decode(m, nlh);
	fclose(m);
	check_str("ruleset load request", out,
		  "RULESET_LOAD CHAIN{HOOK=0 POLICY=2 RULE{PROTO=6 DPORT_MIN=22 CTSTATE=2 VERDICT=1}} "
		  "CHAIN{HOOK=1 POLICY=1} CHAIN{HOOK=2 POLICY=1}\n");
	check("request header: family id, flags, version",
	      nlh && nlh->nlmsg_type == 0x42 && nlh->nlmsg_seq == 7 &&
	      nlh->nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK) &&
	      ((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->version == CTRACK_GENL_VERSION);
	free(out);
	free(buf);

	for (int i = 0; i < 3000; i++)
		ct_ruleset_add(c.ruleset, CTRACK_HOOK_INPUT, &r);
	n = ct_request_size(&c);
	buf = calloc(1, n);
	ct_errbuf[0] = '\0';
	nlh = ct_build_request(&c, buf, n, 0x42, 7);
	check("a chain over 64 KiB is refused, not truncated",
	      !nlh && strstr(ct_errbuf, "64 KiB"));
	free(buf);
	ct_ruleset_free(c.ruleset);
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

static void rule_reply(void *buf, uint8_t hook, int policy, const char *rule, uint32_t handle,
		       uint64_t packets, uint64_t bytes)
{
	struct nlmsghdr *nlh = reply_start(buf, CTRACK_CMD_RULE_GET);

	mnl_attr_put_u8(nlh, CTRACK_A_HOOK, hook);
	if (policy >= 0)
		mnl_attr_put_u8(nlh, CTRACK_A_POLICY, policy);
	if (rule) {
		char tmp[256], *argv[32];
		int argc;
		struct ct_rule r;
		struct nlattr *n;

		snprintf(tmp, sizeof(tmp), "%s", rule);
		argc = split(tmp, argv, 32);
		ct_parse_rule(argc, argv, &r);
		ct_put_rule(nlh, 4096, CTRACK_A_RULE, &r);
		/* the kernel adds handle and counters inside the rule */
		n = mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN);
		while (mnl_attr_get_type(n) != CTRACK_A_RULE)
			n = mnl_attr_next(n);
		mnl_attr_put_u32(nlh, CTRACK_A_RULE_HANDLE, handle);
		mnl_attr_put_u64(nlh, CTRACK_A_RULE_PACKETS, packets);
		mnl_attr_put_u64(nlh, CTRACK_A_RULE_BYTES, bytes);
		mnl_attr_nest_end(nlh, n);
	}
}

static void feed_rules(struct ct_reply *r)
{
	static char buf[4096];

	rule_reply(buf, 0, CTRACK_VERDICT_ACCEPT, NULL, 0, 0, 0);
	ct_reply_msg((void *)buf, r);
	rule_reply(buf, 0, -1, "ct state established,related accept", 1, 12, 1456);
	ct_reply_msg((void *)buf, r);
	rule_reply(buf, 0, -1, "tcp dport 22 ct state new accept", 2, 1, 60);
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

static void test_replies(void)
{
	struct ct_opts text = { 0 }, json = { .json = true };
	struct ct_reply r;
	struct cap c;
	static char buf[4096];
	struct nlmsghdr *nlh;
	int ret;

	cap_open(&c);
	ct_reply_begin(&r, CT_OP_RULE_LIST, &text, -1, c.o, c.e);
	feed_rules(&r);
	ret = ct_reply_finish(&r);
	cap_close(&c);
	check_str("reply: rule list (the INTERFACE example)", c.out,
		  "chain input { # policy accept\n"
		  "\tct state established,related accept # handle 1 packets 12 bytes 1456\n"
		  "\ttcp dport 22 ct state new accept # handle 2 packets 1 bytes 60\n"
		  "}\n");
	check("reply: rule list exit 0, nothing on stderr", ret == 0 && c.elen == 0);
	cap_free(&c);

	cap_open(&c);
	ct_reply_begin(&r, CT_OP_RULESET_SAVE, &text, -1, c.o, c.e);
	feed_rules(&r);
	ct_reply_finish(&r);
	cap_close(&c);
	check_str("reply: ruleset save", c.out,
		  "# ctrack ruleset, written by ctrackctl ruleset save; load with ctrackctl ruleset load FILE\n"
		  "policy input accept\n"
		  "rule add input ct state established,related accept\n"
		  "rule add input tcp dport 22 ct state new accept\n");
	cap_free(&c);

	cap_open(&c);
	ct_reply_begin(&r, CT_OP_CONN_LIST, &text, -1, c.o, c.e);
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
	ct_reply_begin(&r, CT_OP_CONN_GET, &text, -1, c.o, c.e);
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
		ct_reply_begin(&r, items[i].op, &text, -1, c.o, c.e);
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
	ct_reply_begin(&r, CT_OP_STATS, &text, -1, c.o, c.e);
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
	ct_reply_begin(&r, CT_OP_CONN_COUNT, &text, -1, c.o, c.e);
	nlh = reply_start(buf, CTRACK_CMD_CONN_COUNT);
	mnl_attr_put_u32(nlh, CTRACK_A_COUNT, 5);
	mnl_attr_put_u32(nlh, CTRACK_A_MAX_CONNS, 100);
	ct_reply_msg(nlh, &r);
	ct_reply_finish(&r);
	cap_close(&c);
	check_str("reply: conn count", c.out, "5\n");
	cap_free(&c);

	cap_open(&c);
	ct_reply_begin(&r, CT_OP_CONN_COUNT, &json, -1, c.o, c.e);
	ct_reply_msg(nlh, &r);
	ct_reply_finish(&r);
	cap_close(&c);
	check_str("reply: conn count -j", c.out, "{\"count\":5,\"max\":100}\n");
	cap_free(&c);

	cap_open(&c);
	ct_reply_begin(&r, CT_OP_CONN_DELETE, &text, -1, c.o, c.e);
	nlh = reply_start(buf, CTRACK_CMD_CONN_DEL);
	mnl_attr_put_u32(nlh, CTRACK_A_COUNT, 3);
	ct_reply_msg(nlh, &r);
	ct_reply_finish(&r);
	cap_close(&c);
	check_str("reply: conn delete count on stderr", c.err,
		  "ctrack v" CTRACKCTL_VERSION ": 3 flow entries have been deleted.\n");
	cap_free(&c);

	cap_open(&c);
	ct_reply_begin(&r, CT_OP_RULE_ADD, &text, -1, c.o, c.e);
	nlh = reply_start(buf, CTRACK_CMD_RULE_ADD);
	mnl_attr_put_u32(nlh, CTRACK_A_HANDLE, 7);
	ct_reply_msg(nlh, &r);
	ct_reply_finish(&r);
	cap_close(&c);
	check_str("reply: rule add prints the handle", c.out, "7\n");
	cap_free(&c);

	cap_open(&c);
	ct_reply_begin(&r, CT_OP_CONN_COUNT, &text, -1, c.o, c.e);
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
	ct_reply_begin(&r, CT_OP_MONITOR, &text, -1, c.o, c.e);
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
	ct_reply_begin(&r, CT_OP_MONITOR, &text, -1, c.o, c.e);
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
		FILE *s = fmemopen((void *)seed, strlen(seed), "r");
		struct ct_ruleset *rs = ct_ruleset_read(s, "seed");
		struct ct_chains ch = { .rs = rs, .only = -1, .seen = { true, true, true } };
		char *argv[] = { "iifname", "we\\ird", "accept" };
		struct ct_rule r;

		fclose(s);
		if (!ct_parse_rule(3, argv, &r))
			ct_ruleset_add(rs, 1, &r);
		ct_json_chains(f, &ch, false);
		ct_ruleset_free(rs);
	}
	fclose(f);

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
			ct_reply_begin(&r, ops[i], &json, -1, f, stderr);
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
		ct_reply_begin(&r, CT_OP_MONITOR, &json, -1, f, stderr);
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

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "json"))
		return write_json(argv[2]);
	test_conn_lines();
	test_conn_malformed();
	test_expect_line();
	test_stats_line();
	test_rules();
	test_bad_rules();
	test_filters();
	test_timeouts();
	test_ruleset();
	test_ruleset_request();
	test_replies();
	test_extack();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
