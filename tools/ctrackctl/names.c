// SPDX-License-Identifier: GPL-2.0
/* Names of hooks, verdicts, states, ICMP types and timeout classes. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <netdb.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include "ctrackctl.h"

const struct ct_name ct_hook_names[] = {
	{ "input", CTRACK_HOOK_INPUT },
	{ "forward", CTRACK_HOOK_FORWARD },
	{ "output", CTRACK_HOOK_OUTPUT },
	{ NULL, 0 }
};

const struct ct_name ct_verdict_names[] = {
	{ "continue", CTRACK_VERDICT_CONTINUE },
	{ "accept", CTRACK_VERDICT_ACCEPT },
	{ "drop", CTRACK_VERDICT_DROP },
	{ "reject", CTRACK_VERDICT_REJECT },
	{ "jump", CTRACK_VERDICT_JUMP },
	{ "goto", CTRACK_VERDICT_GOTO },
	{ "return", CTRACK_VERDICT_RETURN },
	{ NULL, 0 }
};

/* In the order nft prints a `ct state` set. */
const struct ct_name ct_ctstate_names[] = {
	{ "invalid", CTRACK_CTSTATE_INVALID },
	{ "established", CTRACK_CTSTATE_ESTABLISHED },
	{ "related", CTRACK_CTSTATE_RELATED },
	{ "new", CTRACK_CTSTATE_NEW },
	{ "untracked", CTRACK_CTSTATE_UNTRACKED },
	{ NULL, 0 }
};

const struct ct_name ct_tcp_state_names[] = {
	{ "NONE", CTRACK_TCP_NONE },
	{ "SYN_SENT", CTRACK_TCP_SYN_SENT },
	{ "SYN_RECV", CTRACK_TCP_SYN_RECV },
	{ "ESTABLISHED", CTRACK_TCP_ESTABLISHED },
	{ "FIN_WAIT", CTRACK_TCP_FIN_WAIT },
	{ "CLOSE_WAIT", CTRACK_TCP_CLOSE_WAIT },
	{ "LAST_ACK", CTRACK_TCP_LAST_ACK },
	{ "TIME_WAIT", CTRACK_TCP_TIME_WAIT },
	{ "CLOSE", CTRACK_TCP_CLOSE },
	{ "SYN_SENT2", CTRACK_TCP_SYN_SENT2 },
	{ NULL, 0 }
};

const struct ct_name ct_icmp_names[] = {
	{ "echo-reply", 0 },
	{ "destination-unreachable", 3 },
	{ "source-quench", 4 },
	{ "redirect", 5 },
	{ "echo-request", 8 },
	{ "router-advertisement", 9 },
	{ "router-solicitation", 10 },
	{ "time-exceeded", 11 },
	{ "parameter-problem", 12 },
	{ "timestamp-request", 13 },
	{ "timestamp-reply", 14 },
	{ "info-request", 15 },
	{ "info-reply", 16 },
	{ "address-mask-request", 17 },
	{ "address-mask-reply", 18 },
	{ NULL, 0 }
};

const struct ct_name ct_icmpv6_names[] = {
	{ "destination-unreachable", 1 },
	{ "packet-too-big", 2 },
	{ "time-exceeded", 3 },
	{ "parameter-problem", 4 },
	{ "echo-request", 128 },
	{ "echo-reply", 129 },
	{ "mld-listener-query", 130 },
	{ "mld-listener-report", 131 },
	{ "mld-listener-done", 132 },
	{ "mld-listener-reduction", 132 },
	{ "nd-router-solicit", 133 },
	{ "nd-router-advert", 134 },
	{ "nd-neighbor-solicit", 135 },
	{ "nd-neighbor-advert", 136 },
	{ "nd-redirect", 137 },
	{ "router-renumbering", 138 },
	{ "ind-neighbor-solicit", 141 },
	{ "ind-neighbor-advert", 142 },
	{ "mld2-listener-report", 143 },
	{ NULL, 0 }
};

const struct ct_name ct_event_names[] = {
	{ "new", CTRACK_EVENT_NEW },
	{ "update", CTRACK_EVENT_UPDATE },
	{ "destroy", CTRACK_EVENT_DESTROY },
	{ NULL, 0 }
};

const struct ct_name ct_status_names[] = {
	{ "SEEN_REPLY", CTRACK_S_SEEN_REPLY },
	{ "ASSURED", CTRACK_S_ASSURED },
	{ "RELATED", CTRACK_S_RELATED },
	{ "HELPER", CTRACK_S_HELPER },
	{ "DYING", CTRACK_S_DYING },
	{ NULL, 0 }
};

const char *ct_name_of(const struct ct_name *tab, unsigned int val)
{
	for (; tab->name; tab++)
		if (tab->val == val)
			return tab->name;
	return NULL;
}

int ct_name_lookup(const struct ct_name *tab, const char *name, unsigned int *val)
{
	for (; tab->name; tab++)
		if (!strcmp(tab->name, name)) {
			*val = tab->val;
			return 0;
		}
	return -1;
}

int ct_name_lookup_ci(const struct ct_name *tab, const char *name, unsigned int *val)
{
	for (; tab->name; tab++)
		if (!strcasecmp(tab->name, name)) {
			*val = tab->val;
			return 0;
		}
	return -1;
}

const char *ct_l3_name(uint8_t family)
{
	switch (family) {
	case NFPROTO_IPV4:
		return "ipv4";
	case NFPROTO_IPV6:
		return "ipv6";
	}
	return "unknown";
}

/* Spelled as /proc/net/nf_conntrack spells them. */
const char *ct_l4_name(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_ICMP:
		return "icmp";
	case IPPROTO_ICMPV6:
		return "icmpv6";
	case IPPROTO_SCTP:
		return "sctp";
	case IPPROTO_DCCP:
		return "dccp";
	case IPPROTO_GRE:
		return "gre";
	case IPPROTO_UDPLITE:
		return "udplite";
	}
	return "unknown";
}

int ct_proto_lookup(const char *s, uint8_t *proto)
{
	static const struct ct_name protos[] = {
		{ "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP },
		{ "icmp", IPPROTO_ICMP }, { "icmpv6", IPPROTO_ICMPV6 },
		{ "ipv6-icmp", IPPROTO_ICMPV6 }, { "sctp", IPPROTO_SCTP },
		{ "dccp", IPPROTO_DCCP }, { "gre", IPPROTO_GRE },
		{ "udplite", IPPROTO_UDPLITE }, { "esp", IPPROTO_ESP },
		{ "ah", IPPROTO_AH }, { NULL, 0 }
	};
	unsigned int v;
	uint32_t n;

	if (!ct_name_lookup_ci(protos, s, &v)) {
		*proto = v;
		return 0;
	}
	if (ct_parse_u32(s, 0, 255, &n))
		return -1;
	*proto = n;
	return 0;
}

static const struct {
	const char *proto, *state;
	unsigned int cls;
} timeout_classes[] = {
	{ "tcp", "syn_sent", CTRACK_TO_TCP_SYN_SENT },
	{ "tcp", "syn_recv", CTRACK_TO_TCP_SYN_RECV },
	{ "tcp", "established", CTRACK_TO_TCP_ESTABLISHED },
	{ "tcp", "fin_wait", CTRACK_TO_TCP_FIN_WAIT },
	{ "tcp", "close_wait", CTRACK_TO_TCP_CLOSE_WAIT },
	{ "tcp", "last_ack", CTRACK_TO_TCP_LAST_ACK },
	{ "tcp", "time_wait", CTRACK_TO_TCP_TIME_WAIT },
	{ "tcp", "close", CTRACK_TO_TCP_CLOSE },
	{ "tcp", "syn_sent2", CTRACK_TO_TCP_SYN_SENT2 },
	{ "tcp", "retrans", CTRACK_TO_TCP_RETRANS },
	{ "tcp", "unack", CTRACK_TO_TCP_UNACK },
	{ "udp", NULL, CTRACK_TO_UDP },
	{ "udp", "stream", CTRACK_TO_UDP_STREAM },
	{ "icmp", NULL, CTRACK_TO_ICMP },
	{ "generic", NULL, CTRACK_TO_GENERIC },
	{ "expect", NULL, CTRACK_TO_EXPECT },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char *ct_timeout_proto(unsigned int cls)
{
	for (size_t i = 0; i < ARRAY_SIZE(timeout_classes); i++)
		if (timeout_classes[i].cls == cls)
			return timeout_classes[i].proto;
	return NULL;
}

const char *ct_timeout_state(unsigned int cls)
{
	for (size_t i = 0; i < ARRAY_SIZE(timeout_classes); i++)
		if (timeout_classes[i].cls == cls)
			return timeout_classes[i].state;
	return NULL;
}

/* @state may be NULL; "icmpv6" shares the ICMP class. */
int ct_timeout_lookup(const char *proto, const char *state, unsigned int *cls)
{
	if (!strcasecmp(proto, "icmpv6"))
		proto = "icmp";
	for (size_t i = 0; i < ARRAY_SIZE(timeout_classes); i++) {
		const char *s = timeout_classes[i].state;

		if (strcasecmp(timeout_classes[i].proto, proto))
			continue;
		if ((!s && !state) || (s && state && !strcasecmp(s, state))) {
			*cls = timeout_classes[i].cls;
			return 0;
		}
	}
	return -1;
}

/* The type a reply carries for a query type: what nf_conntrack inverts. */
int ct_icmp_reply_type(uint8_t family, uint8_t type, uint8_t *reply)
{
	static const uint8_t v4[][2] = { { 8, 0 }, { 13, 14 }, { 15, 16 }, { 17, 18 } };
	static const uint8_t v6[][2] = { { 128, 129 }, { 139, 140 } };
	const uint8_t (*tab)[2] = family == NFPROTO_IPV6 ? v6 : v4;
	size_t n = family == NFPROTO_IPV6 ? ARRAY_SIZE(v6) : ARRAY_SIZE(v4);

	for (size_t i = 0; i < n; i++) {
		if (tab[i][0] == type) {
			*reply = tab[i][1];
			return 0;
		}
		if (tab[i][1] == type) {
			*reply = tab[i][0];
			return 0;
		}
	}
	*reply = type;
	return -1;
}

#define K(k, n, c, t) [CTRACK_KEY_##k] = { CTRACK_KEY_##k, n, CT_CLASS_##c, CTRACK_TYPE_##t }
static const struct ct_keydesc keys[__CTRACK_KEY_MAX] = {
	K(NFPROTO, "meta nfproto", INT, NFPROTO),
	K(L4PROTO, "meta l4proto", INT, INET_PROTO),
	K(IP_PROTOCOL, "ip protocol", INT, INET_PROTO),
	K(IP6_NEXTHDR, "ip6 nexthdr", INT, INET_PROTO),
	K(IP_SADDR, "ip saddr", ADDR4, IPV4_ADDR),
	K(IP_DADDR, "ip daddr", ADDR4, IPV4_ADDR),
	K(IP6_SADDR, "ip6 saddr", ADDR6, IPV6_ADDR),
	K(IP6_DADDR, "ip6 daddr", ADDR6, IPV6_ADDR),
	K(TCP_SPORT, "tcp sport", INT, INET_SERVICE),
	K(TCP_DPORT, "tcp dport", INT, INET_SERVICE),
	K(UDP_SPORT, "udp sport", INT, INET_SERVICE),
	K(UDP_DPORT, "udp dport", INT, INET_SERVICE),
	K(TH_SPORT, "th sport", INT, INET_SERVICE),
	K(TH_DPORT, "th dport", INT, INET_SERVICE),
	K(TCP_FLAGS, "tcp flags", INT, TCP_FLAG),
	K(ICMP_TYPE, "icmp type", INT, ICMP_TYPE),
	K(ICMP_CODE, "icmp code", INT, ICMP_CODE),
	K(ICMPV6_TYPE, "icmpv6 type", INT, ICMPV6_TYPE),
	K(ICMPV6_CODE, "icmpv6 code", INT, ICMPV6_CODE),
	K(IIF, "iif", INT, IFACE_INDEX),
	K(OIF, "oif", INT, IFACE_INDEX),
	K(IIFNAME, "iifname", NAME, IFNAME),
	K(OIFNAME, "oifname", NAME, IFNAME),
	K(CT_STATE, "ct state", INT, CT_STATE),
};

const struct ct_keydesc *ct_key_desc(unsigned int key)
{
	if (key >= __CTRACK_KEY_MAX || !keys[key].name)
		return NULL;
	return &keys[key];
}

uint8_t ct_type_class(uint8_t type)
{
	switch (type) {
	case CTRACK_TYPE_IPV4_ADDR:
		return CT_CLASS_ADDR4;
	case CTRACK_TYPE_IPV6_ADDR:
		return CT_CLASS_ADDR6;
	case CTRACK_TYPE_IFNAME:
		return CT_CLASS_NAME;
	}
	return CT_CLASS_INT;
}

const struct ct_name ct_type_names[] = {
	{ "nf_proto", CTRACK_TYPE_NFPROTO },
	{ "inet_proto", CTRACK_TYPE_INET_PROTO },
	{ "ipv4_addr", CTRACK_TYPE_IPV4_ADDR },
	{ "ipv6_addr", CTRACK_TYPE_IPV6_ADDR },
	{ "inet_service", CTRACK_TYPE_INET_SERVICE },
	{ "tcp_flag", CTRACK_TYPE_TCP_FLAG },
	{ "icmp_type", CTRACK_TYPE_ICMP_TYPE },
	{ "icmp_code", CTRACK_TYPE_ICMP_CODE },
	{ "icmpv6_type", CTRACK_TYPE_ICMPV6_TYPE },
	{ "icmpv6_code", CTRACK_TYPE_ICMPV6_CODE },
	{ "iface_index", CTRACK_TYPE_IFACE_INDEX },
	{ "ifname", CTRACK_TYPE_IFNAME },
	{ "ct_state", CTRACK_TYPE_CT_STATE },
	{ NULL, 0 }
};

/* nft's order when it prints a flag list */
const struct ct_name ct_tcpflag_names[] = {
	{ "fin", 0x01 }, { "syn", 0x02 }, { "rst", 0x04 }, { "psh", 0x08 },
	{ "ack", 0x10 }, { "urg", 0x20 }, { "ecn", 0x40 }, { "cwr", 0x80 },
	{ NULL, 0 }
};

const struct ct_name ct_icmp_code_names[] = {
	{ "net-unreachable", 0 }, { "host-unreachable", 1 }, { "prot-unreachable", 2 },
	{ "port-unreachable", 3 }, { "frag-needed", 4 }, { "net-prohibited", 9 },
	{ "host-prohibited", 10 }, { "admin-prohibited", 13 }, { NULL, 0 }
};

const struct ct_name ct_icmpv6_code_names[] = {
	{ "no-route", 0 }, { "admin-prohibited", 1 }, { "addr-unreachable", 3 },
	{ "port-unreachable", 4 }, { "policy-fail", 5 }, { "reject-route", 6 },
	{ NULL, 0 }
};

const struct ct_name ct_icmpx_code_names[] = {
	{ "no-route", CTRACK_ICMPX_NO_ROUTE },
	{ "port-unreachable", CTRACK_ICMPX_PORT_UNREACH },
	{ "host-unreachable", CTRACK_ICMPX_HOST_UNREACH },
	{ "admin-prohibited", CTRACK_ICMPX_ADMIN_PROHIBITED },
	{ NULL, 0 }
};

const struct ct_name ct_family_names[] = {
	{ "ip", NFPROTO_IPV4 }, { "ip6", NFPROTO_IPV6 }, { "inet", NFPROTO_INET },
	{ NULL, 0 }
};

/* nft's standard priorities of the filter type (ip, ip6, inet) */
const struct ct_name ct_prio_names[] = {
	{ "raw", (unsigned int)-300 }, { "mangle", (unsigned int)-150 },
	{ "dstnat", (unsigned int)-100 }, { "filter", 0 }, { "security", 50 },
	{ "srcnat", 100 }, { NULL, 0 }
};
