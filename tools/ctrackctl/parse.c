// SPDX-License-Identifier: GPL-2.0
/*
 * Command line -> struct ct_cmd. Nothing here touches a socket, so every
 * grammar form can be tested on the host (see tools/test/).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include "ctrackctl.h"

char ct_errbuf[256];

void ct_set_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ct_errbuf, sizeof(ct_errbuf), fmt, ap);
	va_end(ap);
}

int ct_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/*
 * "A" or "A/N"; fills @family (0 on entry means any) and clears host bits
 * beyond the prefix, as nft does.
 */
int ct_parse_addr(const char *s, uint8_t *family, uint8_t *addr, uint8_t *prefix,
		  bool prefix_ok)
{
	char tmp[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(s, '/');
	unsigned int maxlen;
	uint32_t plen;
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	uint8_t fam;

	if (n == 0 || n >= INET6_ADDRSTRLEN) {
		ct_set_error("invalid address '%s'", s);
		return -1;
	}
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, tmp, addr) == 1) {
		fam = NFPROTO_IPV4;
		maxlen = 32;
	} else if (inet_pton(AF_INET6, tmp, addr) == 1) {
		fam = NFPROTO_IPV6;
		maxlen = 128;
	} else {
		ct_set_error("invalid address '%s'", s);
		return -1;
	}
	if (*family && *family != fam) {
		ct_set_error("address '%s' is not an %s address", s,
			     *family == NFPROTO_IPV4 ? "IPv4" : "IPv6");
		return -1;
	}
	*family = fam;
	plen = maxlen;
	if (slash) {
		if (!prefix_ok) {
			ct_set_error("a prefix is not allowed here: '%s'", s);
			return -1;
		}
		if (ct_parse_u32(slash + 1, 0, maxlen, &plen)) {
			ct_set_error("invalid prefix length in '%s' (0..%u)", s, maxlen);
			return -1;
		}
		for (unsigned int i = 0; i < maxlen / 8; i++) {
			if (i * 8 >= plen)
				addr[i] = 0;
			else if (i * 8 + 8 > plen)
				addr[i] &= (uint8_t)(0xff << (8 - (plen - i * 8)));
		}
	}
	if (prefix)
		*prefix = plen;
	return 0;
}

static int parse_port(const char *s, const char *proto, uint16_t *port)
{
	struct servent *se;
	uint32_t v;

	if (!ct_parse_u32(s, 0, 65535, &v)) {
		*port = v;
		return 0;
	}
	if (!isdigit((unsigned char)*s)) {
		se = getservbyname(s, proto);
		if (se) {
			*port = ntohs(se->s_port);
			return 0;
		}
	}
	ct_set_error("invalid port '%s'", s);
	return -1;
}

static int parse_port_range(const char *s, const char *proto, uint16_t *min, uint16_t *max)
{
	char lo[64];
	const char *dash = strchr(s, '-');

	/* A service name may contain a dash; try the whole word first. */
	if (!dash || !parse_port(s, proto, min)) {
		if (parse_port(s, proto, min))
			return -1;
		*max = *min;
		return 0;
	}
	if ((size_t)(dash - s) >= sizeof(lo)) {
		ct_set_error("invalid port range '%s'", s);
		return -1;
	}
	memcpy(lo, s, dash - s);
	lo[dash - s] = '\0';
	if (parse_port(lo, proto, min) || parse_port(dash + 1, proto, max)) {
		ct_set_error("invalid port range '%s'", s);
		return -1;
	}
	if (*min > *max) {
		ct_set_error("port range '%s' is inverted (%u > %u)", s, *min, *max);
		return -1;
	}
	return 0;
}

static int parse_ifname(const char *s, char *out)
{
	size_t n = strlen(s);

	/* nft prints names quoted; a saved ruleset may carry the quotes. */
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s++;
		n -= 2;
	}
	if (n == 0 || n >= CT_IFNAMSIZ) {
		ct_set_error("invalid interface name '%s' (1..%d characters)", s,
			     CT_IFNAMSIZ - 1);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == '"' || isspace((unsigned char)s[i])) {
			ct_set_error("invalid interface name '%s'", s);
			return -1;
		}
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

static int set_family(struct ct_rule *r, uint8_t family)
{
	if ((r->present & CT_M_FAMILY) && r->family != family) {
		ct_set_error("conflicting families: both ip and ip6 matches");
		return -1;
	}
	r->present |= CT_M_FAMILY;
	r->family = family;
	return 0;
}

static int set_proto(struct ct_rule *r, uint8_t proto)
{
	if ((r->present & CT_M_PROTO) && r->proto != proto) {
		ct_set_error("conflicting protocols: %s and %s",
			     ct_l4_name(r->proto), ct_l4_name(proto));
		return -1;
	}
	r->present |= CT_M_PROTO;
	r->proto = proto;
	return 0;
}

static int parse_ctstate(int argc, char **argv, int *i, uint32_t *mask)
{
	char buf[256], *tok, *save;
	bool more;

	*mask = 0;
	buf[0] = '\0';
	/* "established,related", also "established, related" split by the shell */
	do {
		if (*i >= argc) {
			ct_set_error("ct state: missing state list");
			return -1;
		}
		if (strlen(buf) + strlen(argv[*i]) + 1 >= sizeof(buf)) {
			ct_set_error("ct state: list too long");
			return -1;
		}
		strcat(buf, argv[*i]);
		more = argv[*i][strlen(argv[*i]) - 1] == ',';
		(*i)++;
	} while (more);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned int s;

		if (ct_name_lookup(ct_ctstate_names, tok, &s)) {
			ct_set_error("ct state: unknown state '%s' (new, established, related, invalid, untracked)",
				     tok);
			return -1;
		}
		*mask |= CTRACK_CTSTATE_BIT(s);
	}
	if (!*mask) {
		ct_set_error("ct state: empty state list");
		return -1;
	}
	return 0;
}

static const char *need(int argc, char **argv, int i, const char *what)
{
	if (i >= argc) {
		ct_set_error("%s: missing argument", what);
		return NULL;
	}
	return argv[i];
}

/* nft-style match expressions in any order, then an optional verdict. */
int ct_parse_rule(int argc, char **argv, struct ct_rule *r)
{
	bool verdict_seen = false;
	int i = 0;

	memset(r, 0, sizeof(*r));
	r->verdict = CTRACK_VERDICT_CONTINUE;
	if (argc == 0) {
		ct_set_error("missing rule expression (e.g. 'tcp dport 22 accept')");
		return -1;
	}
	while (i < argc) {
		const char *t = argv[i++], *a;
		unsigned int v;

		if (verdict_seen) {
			ct_set_error("'%s' after the verdict: the verdict comes last", t);
			return -1;
		}
		if (!strcmp(t, "ip") || !strcmp(t, "ip6")) {
			uint8_t fam = t[2] ? NFPROTO_IPV6 : NFPROTO_IPV4;
			bool src;
			uint8_t *addr, *plen;

			if (set_family(r, fam))
				return -1;
			if (i >= argc || (strcmp(argv[i], "saddr") && strcmp(argv[i], "daddr")))
				continue;
			src = !strcmp(argv[i++], "saddr");
			if (!(a = need(argc, argv, i++, src ? "saddr" : "daddr")))
				return -1;
			if (r->present & (src ? CT_M_SADDR : CT_M_DADDR)) {
				ct_set_error("%s %s given twice", t, src ? "saddr" : "daddr");
				return -1;
			}
			addr = src ? r->saddr : r->daddr;
			plen = src ? &r->sprefix : &r->dprefix;
			if (ct_parse_addr(a, &fam, addr, plen, true))
				return -1;
			r->present |= src ? CT_M_SADDR : CT_M_DADDR;
		} else if (!strcmp(t, "tcp") || !strcmp(t, "udp")) {
			bool src;
			uint16_t *min, *max;

			if (set_proto(r, t[0] == 't' ? IPPROTO_TCP : IPPROTO_UDP))
				return -1;
			if (i >= argc || (strcmp(argv[i], "sport") && strcmp(argv[i], "dport")))
				continue;
			src = !strcmp(argv[i++], "sport");
			if (!(a = need(argc, argv, i++, src ? "sport" : "dport")))
				return -1;
			if (r->present & (src ? CT_M_SPORT : CT_M_DPORT)) {
				ct_set_error("%s %s given twice", t, src ? "sport" : "dport");
				return -1;
			}
			min = src ? &r->sport_min : &r->dport_min;
			max = src ? &r->sport_max : &r->dport_max;
			if (parse_port_range(a, t, min, max))
				return -1;
			r->present |= src ? CT_M_SPORT : CT_M_DPORT;
		} else if (!strcmp(t, "icmp") || !strcmp(t, "icmpv6")) {
			bool v6 = t[4] != '\0';
			uint32_t n;

			if (set_family(r, v6 ? NFPROTO_IPV6 : NFPROTO_IPV4) ||
			    set_proto(r, v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP))
				return -1;
			if (i >= argc || strcmp(argv[i], "type"))
				continue;
			i++;
			if (!(a = need(argc, argv, i++, "type")))
				return -1;
			if (r->present & CT_M_ICMP_TYPE) {
				ct_set_error("%s type given twice", t);
				return -1;
			}
			if (!ct_name_lookup(v6 ? ct_icmpv6_names : ct_icmp_names, a, &v)) {
				r->icmp_type = v;
			} else if (!ct_parse_u32(a, 0, 255, &n)) {
				r->icmp_type = n;
			} else {
				ct_set_error("unknown %s type '%s'", t, a);
				return -1;
			}
			r->present |= CT_M_ICMP_TYPE;
		} else if (!strcmp(t, "iifname") || !strcmp(t, "oifname")) {
			bool in = t[0] == 'i';

			if (!(a = need(argc, argv, i++, t)))
				return -1;
			if (r->present & (in ? CT_M_IIFNAME : CT_M_OIFNAME)) {
				ct_set_error("%s given twice", t);
				return -1;
			}
			if (parse_ifname(a, in ? r->iifname : r->oifname))
				return -1;
			r->present |= in ? CT_M_IIFNAME : CT_M_OIFNAME;
		} else if (!strcmp(t, "ct")) {
			if (i >= argc || strcmp(argv[i], "state")) {
				ct_set_error("'ct' must be followed by 'state'");
				return -1;
			}
			i++;
			if (r->present & CT_M_CTSTATE) {
				ct_set_error("ct state given twice");
				return -1;
			}
			if (parse_ctstate(argc, argv, &i, &r->ctstate))
				return -1;
			r->present |= CT_M_CTSTATE;
		} else if (!strcmp(t, "meta")) {
			uint8_t proto;

			if (i + 1 >= argc || strcmp(argv[i], "l4proto") ||
			    ct_proto_lookup(argv[i + 1], &proto)) {
				ct_set_error("expected 'meta l4proto PROTO'");
				return -1;
			}
			i += 2;
			if (set_proto(r, proto))
				return -1;
		} else if (!strcmp(t, "counter")) {
			/* every rule counts; accepted for nft habits */
		} else if (!ct_name_lookup(ct_verdict_names, t, &v)) {
			r->verdict = v;
			verdict_seen = true;
		} else {
			ct_set_error("unknown expression '%s'", t);
			return -1;
		}
	}
	if ((r->present & (CT_M_SPORT | CT_M_DPORT)) && r->proto != IPPROTO_TCP &&
	    r->proto != IPPROTO_UDP) {
		ct_set_error("port match needs tcp or udp");
		return -1;
	}
	return 0;
}

static int parse_hook(const char *s, int *hook)
{
	unsigned int v;

	if (!s) {
		ct_set_error("missing hook (input, forward, output)");
		return -1;
	}
	if (ct_name_lookup(ct_hook_names, s, &v)) {
		ct_set_error("unknown hook '%s' (input, forward, output)", s);
		return -1;
	}
	*hook = v;
	return 0;
}

static int filter_addr(struct ct_filter *f, const char *opt, const char *s, bool src)
{
	uint8_t fam = (f->present & CT_F_FAMILY) ? f->family : 0;

	if (!s) {
		ct_set_error("%s: missing address", opt);
		return -1;
	}
	if (f->present & (src ? CT_F_SRC : CT_F_DST)) {
		ct_set_error("%s given twice", opt);
		return -1;
	}
	if (ct_parse_addr(s, &fam, src ? f->src : f->dst, NULL, false))
		return -1;
	f->family = fam;
	f->present |= CT_F_FAMILY | (src ? CT_F_SRC : CT_F_DST);
	return 0;
}

/* conntrack's filter options: -p, -s/--src/--orig-src, -d, --sport, --dport, --state, -f. */
int ct_parse_filter(int argc, char **argv, struct ct_filter *f)
{
	uint16_t *port;

	memset(f, 0, sizeof(*f));
	for (int i = 0; i < argc; i++) {
		char opt[32];
		const char *o = argv[i], *val = NULL, *eq;
		unsigned int v;

		/* --opt=value as well as --opt value */
		eq = strncmp(o, "--", 2) ? NULL : strchr(o, '=');
		if (eq) {
			if ((size_t)(eq - o) >= sizeof(opt)) {
				ct_set_error("unknown filter option '%s'", o);
				return -1;
			}
			memcpy(opt, o, eq - o);
			opt[eq - o] = '\0';
			o = opt;
			val = eq + 1;
		} else if (i + 1 < argc) {
			val = argv[i + 1];
		}
		if (!strcmp(o, "-p") || !strcmp(o, "--proto") || !strcmp(o, "--protonum")) {
			if (!val || ct_proto_lookup(val, &f->proto)) {
				ct_set_error("%s: invalid protocol '%s'", o, val ? val : "");
				return -1;
			}
			f->present |= CT_F_PROTO;
		} else if (!strcmp(o, "-s") || !strcmp(o, "--src") || !strcmp(o, "--orig-src")) {
			if (filter_addr(f, o, val, true))
				return -1;
		} else if (!strcmp(o, "-d") || !strcmp(o, "--dst") || !strcmp(o, "--orig-dst")) {
			if (filter_addr(f, o, val, false))
				return -1;
		} else if (!strcmp(o, "--sport") || !strcmp(o, "--orig-port-src") ||
			   !strcmp(o, "--dport") || !strcmp(o, "--orig-port-dst")) {
			bool src = !strcmp(o, "--sport") || !strcmp(o, "--orig-port-src");

			port = src ? &f->sport : &f->dport;
			if (!val || parse_port(val, NULL, port)) {
				ct_set_error("%s: invalid port '%s'", o, val ? val : "");
				return -1;
			}
			f->present |= src ? CT_F_SPORT : CT_F_DPORT;
		} else if (!strcmp(o, "--state")) {
			if (!val || ct_name_lookup_ci(ct_tcp_state_names, val, &v)) {
				ct_set_error("--state: unknown TCP state '%s' (SYN_SENT, SYN_RECV, ESTABLISHED, FIN_WAIT, CLOSE_WAIT, LAST_ACK, TIME_WAIT, CLOSE, SYN_SENT2)",
					     val ? val : "");
				return -1;
			}
			f->state = v;
			f->present |= CT_F_STATE;
		} else if (!strcmp(o, "-f") || !strcmp(o, "--family")) {
			uint8_t fam;

			if (val && (!strcmp(val, "ipv4") || !strcmp(val, "ip") ||
				    !strcmp(val, "inet"))) {
				fam = NFPROTO_IPV4;
			} else if (val && (!strcmp(val, "ipv6") || !strcmp(val, "ip6") ||
					   !strcmp(val, "inet6"))) {
				fam = NFPROTO_IPV6;
			} else {
				ct_set_error("%s: unknown family '%s' (ipv4, ipv6)", o, val ? val : "");
				return -1;
			}
			if ((f->present & CT_F_FAMILY) && f->family != fam) {
				ct_set_error("%s %s conflicts with the address family", o, val);
				return -1;
			}
			f->family = fam;
			f->present |= CT_F_FAMILY;
		} else {
			ct_set_error("unknown filter option '%s'", argv[i]);
			return -1;
		}
		if (!eq)
			i++;
	}
	if (f->present & CT_F_STATE) {
		if ((f->present & CT_F_PROTO) && f->proto != IPPROTO_TCP) {
			ct_set_error("--state needs -p tcp");
			return -1;
		}
		f->proto = IPPROTO_TCP;
		f->present |= CT_F_PROTO;
	}
	if ((f->present & (CT_F_SPORT | CT_F_DPORT)) &&
	    (!(f->present & CT_F_PROTO) ||
	     (f->proto != IPPROTO_TCP && f->proto != IPPROTO_UDP))) {
		ct_set_error("--sport/--dport need -p tcp or -p udp");
		return -1;
	}
	return 0;
}

static int expect_end(int argc, char **argv, int i)
{
	if (i < argc) {
		ct_set_error("unexpected argument '%s'", argv[i]);
		return -1;
	}
	return 0;
}

static bool is_list(const char *s)
{
	return !strcmp(s, "list") || !strcmp(s, "show") || !strcmp(s, "ls");
}

static int parse_rule_cmd(int argc, char **argv, struct ct_cmd *c)
{
	const char *verb = argv[0];
	int i = 1;
	uint32_t n;

	if (!strcmp(verb, "add") || !strcmp(verb, "append") || !strcmp(verb, "insert")) {
		c->op = verb[0] == 'i' ? CT_OP_RULE_INSERT : CT_OP_RULE_ADD;
		if (parse_hook(i < argc ? argv[i] : NULL, &c->hook))
			return -1;
		i++;
		if (c->op == CT_OP_RULE_INSERT && i < argc && !strcmp(argv[i], "position")) {
			if (i + 1 >= argc || ct_parse_u32(argv[i + 1], 1, UINT32_MAX, &c->position)) {
				ct_set_error("position: expected a rule handle");
				return -1;
			}
			i += 2;
		}
		return ct_parse_rule(argc - i, argv + i, &c->rule);
	}
	if (!strcmp(verb, "delete") || !strcmp(verb, "del")) {
		c->op = CT_OP_RULE_DELETE;
		if (parse_hook(i < argc ? argv[i] : NULL, &c->hook))
			return -1;
		i++;
		if (i < argc && !strcmp(argv[i], "handle"))
			i++;
		if (i >= argc || ct_parse_u32(argv[i], 1, UINT32_MAX, &n)) {
			ct_set_error("rule delete: expected 'handle N'");
			return -1;
		}
		c->handle = n;
		return expect_end(argc, argv, i + 1);
	}
	if (is_list(verb) || !strcmp(verb, "flush")) {
		c->op = verb[0] == 'f' ? CT_OP_RULE_FLUSH : CT_OP_RULE_LIST;
		if (i < argc) {
			if (parse_hook(argv[i], &c->hook))
				return -1;
			i++;
		}
		return expect_end(argc, argv, i);
	}
	ct_set_error("rule: unknown verb '%s' (add, insert, delete, list, flush)", verb);
	return -1;
}

int ct_parse_policy(int argc, char **argv, int *hook, uint8_t *policy)
{
	unsigned int v;

	if (argc < 1 || parse_hook(argv[0], hook))
		return -1;
	if (argc < 2) {
		ct_set_error("policy: missing accept|drop");
		return -1;
	}
	if (ct_name_lookup(ct_verdict_names, argv[1], &v) ||
	    (v != CTRACK_VERDICT_ACCEPT && v != CTRACK_VERDICT_DROP)) {
		ct_set_error("policy: '%s' is not accept or drop", argv[1]);
		return -1;
	}
	*policy = v;
	return expect_end(argc, argv, 2);
}

static int parse_events(int argc, char **argv, uint32_t *mask)
{
	*mask = 0;
	for (int i = 0; i < argc; i++) {
		char buf[128], *tok, *save;

		snprintf(buf, sizeof(buf), "%s", argv[i]);
		for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			unsigned int v;

			if (ct_name_lookup_ci(ct_event_names, tok, &v)) {
				ct_set_error("monitor: unknown event '%s' (new, update, destroy)", tok);
				return -1;
			}
			*mask |= 1U << v;
		}
	}
	if (!*mask)
		*mask = (1U << __CTRACK_EVENT_MAX) - 1;
	return 0;
}

static int parse_timeout_set(int argc, char **argv, struct ct_cmd *c)
{
	const char *state = NULL;
	unsigned int cls;

	if (argc < 2) {
		ct_set_error("timeout set: expected PROTO [STATE] SECONDS");
		return -1;
	}
	if (argc > 3) {
		ct_set_error("unexpected argument '%s'", argv[3]);
		return -1;
	}
	if (argc == 3)
		state = argv[1];
	if (ct_timeout_lookup(argv[0], state, &cls)) {
		ct_set_error("timeout set: unknown class '%s%s%s' (tcp STATE, udp, udp stream, icmp, generic, expect)",
			     argv[0], state ? " " : "", state ? state : "");
		return -1;
	}
	if (ct_parse_u32(argv[argc - 1], 1, INT32_MAX, &c->seconds)) {
		ct_set_error("timeout set: invalid number of seconds '%s'", argv[argc - 1]);
		return -1;
	}
	c->timeout_class = cls;
	return 0;
}

static int parse_helper(int argc, char **argv, struct ct_cmd *c)
{
	uint32_t port;
	size_t i, len;

	/* the kernel knows the helpers (ftp, tftp); a name is a short word */
	len = argc ? strlen(argv[0]) : 0;
	for (i = 0; i < len && (islower((unsigned char)argv[0][i]) ||
				isdigit((unsigned char)argv[0][i])); i++)
		;
	if (!len || i < len || len >= sizeof(c->helper)) {
		ct_set_error("helper: expected 'NAME port N' (NAME: ftp, tftp)%s%s",
			     argc ? ", not " : "", argc ? argv[0] : "");
		return -1;
	}
	if (argc < 3 || strcmp(argv[1], "port") || ct_parse_u32(argv[2], 1, 65535, &port)) {
		ct_set_error("helper: expected '%s port N' with N in 1..65535", argv[0]);
		return -1;
	}
	memcpy(c->helper, argv[0], len + 1);
	c->helper_port = port;
	return expect_end(argc, argv, 3);
}

static int parse_setting(int argc, char **argv, struct ct_cmd *c)
{
	bool flag;

	if (argc < 2) {
		ct_set_error("setting set: expected NAME VALUE (tcp_loose 0|1, checksum 0|1, max_conns N)");
		return -1;
	}
	if (strlen(argv[0]) >= sizeof(c->setting)) {
		ct_set_error("setting: unknown setting '%s'", argv[0]);
		return -1;
	}
	strcpy(c->setting, argv[0]);
	flag = !strcmp(argv[0], "tcp_loose") || !strcmp(argv[0], "checksum");
	if (ct_parse_u32(argv[1], 0, flag ? 1 : UINT32_MAX, &c->value)) {
		ct_set_error("setting %s: invalid value '%s'%s", argv[0], argv[1],
			     flag ? " (0 or 1)" : "");
		return -1;
	}
	return expect_end(argc, argv, 2);
}

static const char *const objects[] = {
	"rule", "policy", "ruleset", "conn", "expect", "stats", "monitor",
	"timeout", "helper", "setting", NULL
};

/* argv[0] is OBJECT. Returns 0 or CT_EXIT_USAGE with ct_errbuf set. */
int ct_parse_args(int argc, char **argv, struct ct_cmd *c)
{
	const char *obj, *verb;
	int i;

	memset(c, 0, sizeof(*c));
	c->hook = -1;
	ct_errbuf[0] = '\0';
	if (argc < 1) {
		ct_set_error("missing object");
		return CT_EXIT_USAGE;
	}
	obj = argv[0];
	for (i = 0; objects[i]; i++)
		if (!strcmp(objects[i], obj))
			break;
	if (!objects[i]) {
		if (!strcmp(obj, "help")) {
			c->op = CT_OP_HELP;
			return 0;
		}
		ct_set_error("unknown object '%s'", obj);
		return CT_EXIT_USAGE;
	}
	c->object = objects[i];
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h") ||
		    (i == 1 && !strcmp(argv[i], "help"))) {
			c->op = CT_OP_HELP;
			return 0;
		}
	argc--;
	argv++;
	verb = argc ? argv[0] : NULL;

	if (!strcmp(obj, "stats")) {
		c->op = CT_OP_STATS;
		if (verb && is_list(verb))
			argc--, argv++;
		goto end;
	}
	if (!strcmp(obj, "monitor")) {
		c->op = CT_OP_MONITOR;
		if (parse_events(argc, argv, &c->events))
			return CT_EXIT_USAGE;
		return 0;
	}
	if (!verb) {
		ct_set_error("%s: missing verb", obj);
		return CT_EXIT_USAGE;
	}
	if (!strcmp(obj, "rule")) {
		if (parse_rule_cmd(argc, argv, c))
			return CT_EXIT_USAGE;
		return 0;
	}
	argc--;
	argv++;
	if (!strcmp(obj, "policy")) {
		/* "policy set input drop", also "policy input drop" as in saved rulesets */
		if (strcmp(verb, "set")) {
			argc++;
			argv--;
		}
		c->op = CT_OP_POLICY_SET;
		if (ct_parse_policy(argc, argv, &c->hook, &c->policy))
			return CT_EXIT_USAGE;
		return 0;
	}
	if (!strcmp(obj, "ruleset")) {
		if (!strcmp(verb, "load")) {
			c->op = CT_OP_RULESET_LOAD;
			if (argc < 1) {
				ct_set_error("ruleset load: missing FILE (or - for stdin)");
				return CT_EXIT_USAGE;
			}
			c->file = argv[0];
			argc--, argv++;
		} else if (!strcmp(verb, "save") || is_list(verb)) {
			c->op = CT_OP_RULESET_SAVE;
		} else {
			ct_set_error("ruleset: unknown verb '%s' (load, save)", verb);
			return CT_EXIT_USAGE;
		}
		goto end;
	}
	if (!strcmp(obj, "conn")) {
		if (is_list(verb)) {
			c->op = CT_OP_CONN_LIST;
		} else if (!strcmp(verb, "get")) {
			c->op = CT_OP_CONN_GET;
		} else if (!strcmp(verb, "delete") || !strcmp(verb, "del")) {
			c->op = CT_OP_CONN_DELETE;
		} else if (!strcmp(verb, "flush")) {
			c->op = CT_OP_CONN_FLUSH;
			goto end;
		} else if (!strcmp(verb, "count")) {
			c->op = CT_OP_CONN_COUNT;
			goto end;
		} else {
			ct_set_error("conn: unknown verb '%s' (list, get, delete, flush, count)", verb);
			return CT_EXIT_USAGE;
		}
		if (ct_parse_filter(argc, argv, &c->filter))
			return CT_EXIT_USAGE;
		if (c->op != CT_OP_CONN_LIST && !c->filter.present) {
			ct_set_error("conn %s: needs a filter%s", verb,
				     c->op == CT_OP_CONN_DELETE ? " (conn flush removes all)" : "");
			return CT_EXIT_USAGE;
		}
		return 0;
	}
	if (!strcmp(obj, "expect")) {
		if (is_list(verb)) {
			c->op = CT_OP_EXPECT_LIST;
		} else if (!strcmp(verb, "flush")) {
			c->op = CT_OP_EXPECT_FLUSH;
		} else {
			ct_set_error("expect: unknown verb '%s' (list, flush)", verb);
			return CT_EXIT_USAGE;
		}
		goto end;
	}
	if (!strcmp(obj, "timeout")) {
		if (is_list(verb)) {
			c->op = CT_OP_TIMEOUT_LIST;
			goto end;
		}
		if (!strcmp(verb, "set")) {
			c->op = CT_OP_TIMEOUT_SET;
			if (parse_timeout_set(argc, argv, c))
				return CT_EXIT_USAGE;
			return 0;
		}
		ct_set_error("timeout: unknown verb '%s' (list, set)", verb);
		return CT_EXIT_USAGE;
	}
	if (!strcmp(obj, "helper")) {
		if (is_list(verb)) {
			c->op = CT_OP_HELPER_LIST;
			goto end;
		}
		if (!strcmp(verb, "add") || !strcmp(verb, "delete") || !strcmp(verb, "del")) {
			c->op = verb[0] == 'a' ? CT_OP_HELPER_ADD : CT_OP_HELPER_DELETE;
			if (parse_helper(argc, argv, c))
				return CT_EXIT_USAGE;
			return 0;
		}
		ct_set_error("helper: unknown verb '%s' (list, add, delete)", verb);
		return CT_EXIT_USAGE;
	}
	/* setting */
	if (is_list(verb)) {
		c->op = CT_OP_SETTING_LIST;
		goto end;
	}
	if (!strcmp(verb, "set")) {
		c->op = CT_OP_SETTING_SET;
		if (parse_setting(argc, argv, c))
			return CT_EXIT_USAGE;
		return 0;
	}
	ct_set_error("setting: unknown verb '%s' (list, set)", verb);
	return CT_EXIT_USAGE;
end:
	if (expect_end(argc, argv, 0))
		return CT_EXIT_USAGE;
	return 0;
}

struct ct_ruleset *ct_ruleset_new(void)
{
	struct ct_ruleset *rs = calloc(1, sizeof(*rs));

	if (!rs)
		return NULL;
	for (int h = 0; h < __CTRACK_HOOK_MAX; h++)
		rs->policy[h] = CTRACK_VERDICT_ACCEPT;
	return rs;
}

int ct_ruleset_add(struct ct_ruleset *rs, int hook, const struct ct_rule *r)
{
	if (rs->nrules[hook] == rs->alloc[hook]) {
		unsigned int n = rs->alloc[hook] ? rs->alloc[hook] * 2 : 16;
		struct ct_rule *p = realloc(rs->rules[hook], n * sizeof(*p));

		if (!p) {
			ct_set_error("out of memory");
			return -1;
		}
		rs->rules[hook] = p;
		rs->alloc[hook] = n;
	}
	rs->rules[hook][rs->nrules[hook]++] = *r;
	return 0;
}

void ct_ruleset_free(struct ct_ruleset *rs)
{
	if (!rs)
		return;
	for (int h = 0; h < __CTRACK_HOOK_MAX; h++)
		free(rs->rules[h]);
	free(rs);
}

/* Splits at blanks; "quoted words" stay one token (quotes kept); # starts a comment. */
static int tokenize(char *line, char **tok, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			break;
		if (n == max)
			return -1;
		tok[n++] = p;
		if (*p == '"') {
			char *q = strchr(p + 1, '"');

			p = q ? q + 1 : p + strlen(p);
		}
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
	return n;
}

/*
 * The format `ruleset save` writes: `policy HOOK accept|drop` and
 * `rule add HOOK EXPR... [VERDICT]` lines, # comments, blank lines.
 */
struct ct_ruleset *ct_ruleset_read(FILE *f, const char *name)
{
	struct ct_ruleset *rs = ct_ruleset_new();
	char *line = NULL;
	size_t cap = 0;
	unsigned int lineno = 0;
	bool policy_seen[__CTRACK_HOOK_MAX] = { false };

	if (!rs) {
		ct_set_error("out of memory");
		return NULL;
	}
	while (getline(&line, &cap, f) >= 0) {
		char *tok[128];
		int n, hook;
		struct ct_rule r;

		lineno++;
		n = tokenize(line, tok, 128);
		if (n < 0) {
			ct_set_error("%s:%u: line too long", name, lineno);
			goto err;
		}
		if (n == 0)
			continue;
		if (!strcmp(tok[0], "policy")) {
			int off = n > 1 && !strcmp(tok[1], "set") ? 2 : 1;
			uint8_t pol;

			if (ct_parse_policy(n - off, tok + off, &hook, &pol))
				goto err_line;
			if (policy_seen[hook]) {
				ct_set_error("policy for %s given twice", tok[off]);
				goto err_line;
			}
			policy_seen[hook] = true;
			rs->policy[hook] = pol;
		} else if (!strcmp(tok[0], "rule") && n > 1 &&
			   (!strcmp(tok[1], "add") || !strcmp(tok[1], "append"))) {
			if (parse_hook(n > 2 ? tok[2] : NULL, &hook) ||
			    ct_parse_rule(n - 3, tok + 3, &r) || ct_ruleset_add(rs, hook, &r))
				goto err_line;
		} else {
			ct_set_error("expected 'policy HOOK accept|drop' or 'rule add HOOK ...', not '%s'",
				     tok[0]);
			goto err_line;
		}
	}
	if (ferror(f)) {
		ct_set_error("%s: read error: %s", name, strerror(errno));
		goto err;
	}
	free(line);
	return rs;
err_line: {
		char msg[sizeof(ct_errbuf)];

		snprintf(msg, sizeof(msg), "%s", ct_errbuf);
		ct_set_error("%s:%u: %s", name, lineno, msg);
	}
err:
	free(line);
	ct_ruleset_free(rs);
	return NULL;
}
