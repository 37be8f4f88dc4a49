// SPDX-License-Identifier: GPL-2.0
/*
 * Rule expressions in nft's spelling and meaning: matches (a key, an
 * operator, a value, range, prefix, flag list, anonymous or named set),
 * counter, comment, verdicts, reject types and verdict maps.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include "nft.h"

/* nft words that ctrack does not do: a precise refusal instead of "unknown". */
static const char *const unsupported[] = {
	"log", "limit", "quota", "snat", "dnat", "masquerade", "redirect", "notrack", "queue",
	"mark", "meter", "synproxy", "tproxy", "dup", "fwd", "flow", "numgen", "jhash",
	"symhash", "fib", "rt", "socket", "osf", "ether", "vlan", "arp", "sctp", "dccp", "esp",
	"ah", "comp", "udplite", "exthdr", "frag", "hbh", "mh", "dst", "ipsec", "set", "update",
	"add", "delete", "reset", "secmark", "ct_timeout", "ct_expectation", "xt", "tunnel",
	"igmp", "gre", "geneve", "vxlan", "inner", "last", "srh", NULL
};

int ct_unsupported(struct ct_parser *p, const struct ct_tok *t)
{
	for (int i = 0; unsupported[i]; i++)
		if (ct_is(t, unsupported[i]))
			return ct_err(p, t, "ctrack does not support '%s' (yet)", t->text);
	return 0;
}

static int num(struct ct_parser *p, const struct ct_tok *t, const char *s, uint32_t max,
	       uint32_t *out)
{
	if (!ct_parse_u32(s, 0, max, out))
		return 0;
	if (isdigit((unsigned char)*s))
		return ct_err(p, t, "value '%.40s' out of range (0..%u)", s, max);
	return -1;
}

static int name_or_num(struct ct_parser *p, const struct ct_tok *t, const char *s,
		       const struct ct_name *tab, uint32_t max, uint32_t *out, const char *what)
{
	unsigned int v;

	if (tab && !ct_name_lookup(tab, s, &v)) {
		*out = v;
		return 0;
	}
	if (!num(p, t, s, max, out))
		return 0;
	return ct_err(p, t, "unknown %s '%.40s'", what, s);
}

/* "0x0", "0x12": how bits without a name (and none) are printed */
static int hex_word(const char *s, uint32_t max, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || !isxdigit((unsigned char)s[2]))
		return -1;
	errno = 0;
	v = strtoul(s + 2, &end, 16);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

static int tcpflags(struct ct_parser *p, const struct ct_tok *t, const char *s, uint32_t *out)
{
	if (!hex_word(s, 255, out))
		return 0;
	return name_or_num(p, t, s, ct_tcpflag_names, 255, out, "tcp flag");
}

/* One scalar of an int type, from the word @s. */
static int int_value(struct ct_parser *p, const struct ct_tok *t, const char *s, uint8_t type,
		     uint32_t *out)
{
	struct servent *se;
	uint8_t proto;
	unsigned int v;

	if (p->failed)
		return -1;
	switch (type) {
	case CTRACK_TYPE_NFPROTO:
		if (!strcmp(s, "ipv4") || !strcmp(s, "ipv6")) {
			*out = s[3] == '4' ? NFPROTO_IPV4 : NFPROTO_IPV6;
			return 0;
		}
		return name_or_num(p, t, s, NULL, 255, out, "nfproto (ipv4, ipv6)");
	case CTRACK_TYPE_INET_PROTO:
		if (!ct_proto_lookup(s, &proto)) {
			*out = proto;
			return 0;
		}
		if (isdigit((unsigned char)*s))
			return ct_err(p, t, "value '%.40s' out of range (0..255)", s);
		return ct_err(p, t, "unknown protocol '%.40s'", s);
	case CTRACK_TYPE_INET_SERVICE:
		if (!num(p, t, s, 65535, out))
			return 0;
		if (p->failed)
			return -1;
		se = getservbyname(s, "tcp");
		if (!se)
			se = getservbyname(s, "udp");
		if (se) {
			*out = ntohs(se->s_port);
			return 0;
		}
		return ct_err(p, t, "unknown service '%.40s'", s);
	case CTRACK_TYPE_TCP_FLAG:
		return tcpflags(p, t, s, out);
	case CTRACK_TYPE_ICMP_TYPE:
		return name_or_num(p, t, s, ct_icmp_names, 255, out, "icmp type");
	case CTRACK_TYPE_ICMPV6_TYPE:
		return name_or_num(p, t, s, ct_icmpv6_names, 255, out, "icmpv6 type");
	case CTRACK_TYPE_ICMP_CODE:
		return name_or_num(p, t, s, ct_icmp_code_names, 255, out, "icmp code");
	case CTRACK_TYPE_ICMPV6_CODE:
		return name_or_num(p, t, s, ct_icmpv6_code_names, 255, out, "icmpv6 code");
	case CTRACK_TYPE_CT_STATE:
		if (!ct_name_lookup(ct_ctstate_names, s, &v)) {
			*out = CTRACK_CTSTATE_BIT(v);
			return 0;
		}
		/* a mask as a number, as printed for bits without a name (and none) */
		if (!ct_parse_u32(s, 0, UINT32_MAX, out))
			return 0;
		return ct_err(p, t, "unknown ct state '%.40s' (new, established, related, invalid, untracked)", s);
	case CTRACK_TYPE_IFACE_INDEX:
		if (!ct_parse_u32(s, 1, UINT32_MAX, out))
			return 0;
		*out = if_nametoindex(s);
		if (*out)
			return 0;
		return ct_err(p, t, "interface '%.40s' does not exist (iif matches by index, resolved now; iifname matches by name)", s);
	}
	return ct_err(p, t, "bad value '%.40s'", s);
}

static int name_value(struct ct_parser *p, const struct ct_tok *t, const char *s, struct ct_val *v)
{
	size_t n = strlen(s);
	const char *star = strchr(s, '*');

	if (n == 0 || n >= CT_IFNAMSIZ)
		return ct_err(p, t, "interface name '%.40s': 1..%d characters", s, CT_IFNAMSIZ - 1);
	if (star && star[1])
		return ct_err(p, t, "interface name '%s': '*' only at the end", s);
	for (size_t i = 0; i < n; i++)
		if (s[i] == '/' || isspace((unsigned char)s[i]))
			return ct_err(p, t, "invalid interface name '%s'", s);
	memset(v, 0, sizeof(*v));
	memcpy(v->b, s, n);
	return 0;
}

static int addr_value(struct ct_parser *p, const struct ct_tok *t, const char *s, uint8_t type,
		      struct ct_val *v, uint8_t *prefix, bool prefix_ok)
{
	uint8_t fam = type == CTRACK_TYPE_IPV6_ADDR ? NFPROTO_IPV6 : NFPROTO_IPV4;

	memset(v, 0, sizeof(*v));
	if (ct_parse_addr(s, &fam, v->b, prefix, prefix_ok))
		return ct_err(p, t, "%s", ct_errbuf);
	return 0;
}

/*
 * One value of @type from the stream: "A", "A/N", "A-B" (range_ok), a
 * tcp flag combination "syn|ack".
 */
int ct_parse_value(struct ct_parser *p, const struct ct_tok *t0, uint8_t type,
		   struct ct_elem *e, bool range_ok)
{
	const struct ct_tok *t = t0 ? t0 : ct_next(p);
	uint8_t cls = ct_type_class(type);
	char buf[256];
	const char *s = t->text, *dash;

	memset(e, 0, sizeof(*e));
	if (t->type != T_WORD && !(t->type == T_STR && (cls == CT_CLASS_NAME ||
							 type == CTRACK_TYPE_IFACE_INDEX)))
		return ct_err(p, t, "expected a value, not '%s'",
			      t->type == T_NL || t->type == T_EOF ? "end of line" : t->text);
	if (strlen(s) >= sizeof(buf))
		return ct_err(p, t, "value too long");
	if (cls == CT_CLASS_NAME)
		return name_value(p, t, s, &e->val);
	if (cls == CT_CLASS_ADDR4 || cls == CT_CLASS_ADDR6) {
		dash = strchr(s, '-');
		if (dash && range_ok) {
			memcpy(buf, s, dash - s);
			buf[dash - s] = '\0';
			if (addr_value(p, t, buf, type, &e->val, NULL, false) ||
			    addr_value(p, t, dash + 1, type, &e->to, NULL, false))
				return -1;
			if (memcmp(e->val.b, e->to.b, 16) > 0)
				return ct_err(p, t, "range '%s' is inverted", s);
			e->flags |= CT_E_RANGE;
			return 0;
		}
		if (addr_value(p, t, s, type, &e->val, &e->prefix, true))
			return -1;
		if (strchr(s, '/'))
			e->flags |= CT_E_PREFIX;
		return 0;
	}
	if (type == CTRACK_TYPE_TCP_FLAG) {
		uint32_t f;

		if (tcpflags(p, t, s, &e->val.n))
			return -1;
		while (ct_accept_type(p, '|')) {
			t = ct_next(p);
			if (tcpflags(p, t, t->text, &f))
				return -1;
			e->val.n |= f;
		}
		return 0;
	}
	/* "echo-request", "http-alt": the whole word first, then a range */
	dash = strchr(s, '-');
	if (dash && range_ok && dash != s) {
		if (!int_value(p, t, s, type, &e->val.n))
			return 0;
		p->failed = false;
		memcpy(buf, s, dash - s);
		buf[dash - s] = '\0';
		if (int_value(p, t, buf, type, &e->val.n) ||
		    int_value(p, t, dash + 1, type, &e->to.n))
			return -1;
		if (e->val.n > e->to.n)
			return ct_err(p, t, "range '%s' is inverted (%u > %u)", s, e->val.n, e->to.n);
		e->flags |= CT_E_RANGE;
		return 0;
	}
	return int_value(p, t, s, type, &e->val.n);
}

static int parse_verdict_word(struct ct_parser *p, const struct ct_tok *t, uint8_t *verdict,
			      char *target)
{
	unsigned int v;

	if (ct_name_lookup(ct_verdict_names, t->text, &v) || v == CTRACK_VERDICT_REJECT)
		return ct_err(p, t, "expected a verdict (accept, drop, continue, return, jump CHAIN, goto CHAIN), not '%s'",
			      t->type == T_NL ? "end of line" : t->text);
	*verdict = v;
	if (v == CTRACK_VERDICT_JUMP || v == CTRACK_VERDICT_GOTO)
		return ct_get_name(p, target, CT_NAME_MAX, "a chain name");
	return 0;
}

#define CT_ELEMS_NEST_MAX	16	/* { { } }: deeper would only exhaust the stack */

/* { E, E, ... }; a nested { } (from a $define) is flattened. */
static int parse_elems(struct ct_parser *p, uint8_t type, struct ct_elem **arr, unsigned int *n,
		       bool vmap, int depth)
{
	if (depth >= CT_ELEMS_NEST_MAX)
		return ct_err(p, ct_peek(p), "sets nested deeper than %d levels", CT_ELEMS_NEST_MAX);
	if (ct_want(p, '{', "'{'"))
		return -1;
	for (;;) {
		const struct ct_tok *t;
		struct ct_elem e;

		while (ct_peek(p)->type == T_NL)
			ct_next(p);
		t = ct_peek(p);
		if (t->type == '}') {
			ct_next(p);
			return 0;
		}
		if (t->type == '{') {
			if (parse_elems(p, type, arr, n, vmap, depth + 1))
				return -1;
		} else {
			if (t->type == T_EOF)
				return ct_err(p, t, "unterminated '{'");
			if (ct_parse_value(p, NULL, type, &e, true))
				return -1;
			if (!(e.flags & (CT_E_RANGE | CT_E_PREFIX)) && ct_is(ct_peek(p), "-") &&
			    ct_type_class(type) != CT_CLASS_NAME) {
				/* "1 - 5", as nft allows it */
				struct ct_elem to;

				t = ct_next(p);
				if (ct_parse_value(p, NULL, type, &to, false))
					return -1;
				if (ct_type_class(type) == CT_CLASS_INT ? e.val.n > to.val.n :
				    memcmp(e.val.b, to.val.b, 16) > 0)
					return ct_err(p, t, "range is inverted");
				e.to = to.val;
				e.flags |= CT_E_RANGE;
			}
			for (;;) {
				uint32_t secs;

				t = ct_peek(p);
				if (ct_is(t, "timeout") || ct_is(t, "expires")) {
					bool to = ct_is(t, "timeout");

					ct_next(p);
					t = ct_next(p);
					if (ct_parse_timeout_str(t->text, &secs))
						return ct_err(p, t, "bad time '%s' (e.g. 30s, 1h, 2d3h)", t->text);
					if (to) {
						e.timeout = secs;
						e.flags |= CT_E_TIMEOUT;
					}
				} else if (ct_is(t, "comment")) {
					ct_next(p);
					ct_next(p);	/* element comments: not kept */
				} else {
					break;
				}
			}
			if (ct_peek(p)->type == T_WORD && !strcmp(ct_peek(p)->text, "."))
				return ct_err(p, ct_peek(p), "ctrack does not support concatenations ('.')");
			if (vmap) {
				if (ct_want(p, ':', "':' and a verdict"))
					return -1;
				t = ct_next(p);
				if (parse_verdict_word(p, t, &e.verdict, e.target))
					return -1;
				e.flags |= CT_E_VERDICT;
			}
			if (ct_match_add_elem(arr, n, &e))
				return ct_err(p, t, "out of memory");
		}
		while (ct_peek(p)->type == T_NL)
			ct_next(p);
		t = ct_peek(p);
		if (t->type == ',') {
			ct_next(p);
			continue;
		}
		if (t->type != '}')
			return ct_err(p, t, "expected ',' or '}' in the set, not '%s'",
				      t->type == T_EOF ? "end of input" : t->text);
	}
}

int ct_parse_elems(struct ct_parser *p, uint8_t type, struct ct_elem **arr, unsigned int *n,
		   bool vmap, bool interval)
{
	(void)interval;
	return parse_elems(p, type, arr, n, vmap, 0);
}

/* "1h", "30s", "2d3h", "1h30m", "90" (seconds), "500ms" rounds up. */
int ct_parse_timeout_str(const char *s, uint32_t *secs)
{
	unsigned long long total = 0;

	if (!*s)
		return -1;
	while (*s) {
		unsigned long long v;
		char *end;

		if (!isdigit((unsigned char)*s))
			return -1;
		errno = 0;
		v = strtoull(s, &end, 10);
		if (errno || v > UINT32_MAX)
			return -1;
		s = end;
		if (!strncmp(s, "ms", 2)) {
			v = (v + 999) / 1000;
			s += 2;
		} else if (*s == 'd') {
			v *= 86400, s++;
		} else if (*s == 'h') {
			v *= 3600, s++;
		} else if (*s == 'm') {
			v *= 60, s++;
		} else if (*s == 's') {
			s++;
		} else if (*s) {
			return -1;
		}
		total += v;
		if (total > UINT32_MAX)
			return -1;
	}
	*secs = total;
	return 0;
}

static bool is_bitmask(uint8_t type)
{
	return type == CTRACK_TYPE_CT_STATE || type == CTRACK_TYPE_TCP_FLAG;
}

/* a flag list "a,b,c" (also "a|b") of a bitmask type */
static int flag_list(struct ct_parser *p, uint8_t type, uint32_t *out, bool *several)
{
	struct ct_elem e;

	*out = 0;
	*several = false;
	for (;;) {
		if (ct_parse_value(p, NULL, type, &e, false))
			return -1;
		*out |= e.val.n;
		if (ct_peek(p)->type != ',' && ct_peek(p)->type != '|')
			return 0;
		ct_next(p);
		*several = true;
	}
}

static int parse_match(struct ct_parser *p, struct ct_rule *r, uint8_t key,
		       const struct ct_tok *kt, bool *verdict_seen)
{
	const struct ct_keydesc *kd = ct_key_desc(key);
	struct ct_match *m;
	const struct ct_tok *t = ct_peek(p);
	bool explicit_eq = false;
	struct ct_elem e;

	if (ct_is(t, "vmap")) {
		ct_next(p);
		if (r->has_vmap)
			return ct_err(p, t, "one vmap per rule");
		if (ct_peek(p)->type == T_AT)
			return ct_err(p, ct_peek(p), "ctrack does not support named maps (yet); write the vmap's elements in the rule");
		r->has_vmap = true;
		r->vmap_key = key;
		*verdict_seen = true;
		return ct_parse_elems(p, kd->type, &r->velems, &r->nvelems, true, true);
	}
	m = ct_rule_add_match(r);
	if (!m)
		return ct_err(p, kt, "more than %d matches in one rule", CT_MATCH_MAX);
	m->key = key;
	if (t->type == T_NE) {
		m->neg = true;
		ct_next(p);
	} else if (t->type == T_EQ) {
		explicit_eq = true;
		ct_next(p);
	} else if (t->type == '&') {
		bool sev;

		if (kd->cls != CT_CLASS_INT)
			return ct_err(p, t, "'&' needs an integer key");
		ct_next(p);
		if (ct_accept_type(p, '(')) {
			if (flag_list(p, kd->type, &m->mask, &sev) || ct_want(p, ')', "')'"))
				return -1;
		} else if (ct_parse_value(p, NULL, kd->type, &e, false)) {
			return -1;
		} else {
			m->mask = e.val.n;
		}
		m->has_mask = true;
		t = ct_next(p);
		if (t->type == T_NE)
			m->neg = true;
		else if (t->type != T_EQ)
			return ct_err(p, t, "expected '==' or '!=' after the mask");
		if (ct_accept_type(p, '(')) {
			if (flag_list(p, kd->type, &m->val.n, &sev) || ct_want(p, ')', "')'"))
				return -1;
		} else if (ct_parse_value(p, NULL, kd->type, &e, false)) {
			return -1;
		} else {
			m->val.n = e.val.n;
		}
		m->test = CT_T_VALUE;
		return 0;
	} else if (t->type == T_OTHER) {
		return ct_err(p, t, "ctrack does not support '%s' comparisons; use a range A-B", t->text);
	}
	t = ct_peek(p);
	if (t->type == '{') {
		m->test = CT_T_ELEMS;
		return ct_parse_elems(p, kd->type, &m->elems, &m->nelems, false, true);
	}
	if (t->type == T_AT) {
		ct_next(p);
		if (strlen(t->text) >= CT_NAME_MAX)
			return ct_err(p, t, "set name too long");
		strcpy(m->set, t->text);
		m->test = CT_T_SET;
		return 0;
	}
	if (is_bitmask(kd->type)) {
		bool several;
		uint32_t v;

		if (flag_list(p, kd->type, &v, &several))
			return -1;
		if (kd->type == CTRACK_TYPE_TCP_FLAG && ct_is(ct_peek(p), "/")) {
			/* tcp flags syn / fin,syn,rst,ack: & mask == value */
			ct_next(p);
			if (flag_list(p, kd->type, &m->mask, &several))
				return -1;
			m->has_mask = true;
			m->val.n = v;
			m->test = CT_T_VALUE;
			return 0;
		}
		if (explicit_eq) {
			m->val.n = v;
			m->test = CT_T_VALUE;
		} else {
			m->flags = v;
			m->test = CT_T_FLAGS;
		}
		return 0;
	}
	if (ct_parse_value(p, NULL, kd->type, &e, true))
		return -1;
	if (e.flags & CT_E_RANGE) {
		m->test = CT_T_RANGE;
		m->val = e.val;
		m->to = e.to;
	} else {
		m->test = CT_T_VALUE;
		m->val = e.val;
		if (e.flags & CT_E_PREFIX) {
			m->has_prefix = true;
			m->prefix = e.prefix;
		}
	}
	t = ct_peek(p);
	if (ct_is(t, "-")) {
		/* "80 - 90", "10.0.0.1 - 10.0.0.9" */
		ct_next(p);
		if (kd->cls == CT_CLASS_NAME)
			return ct_err(p, t, "interface names have no ranges; \"eth*\" matches a prefix");
		if (m->test != CT_T_VALUE || m->has_prefix)
			return ct_err(p, t, "'-' after a range or prefix");
		if (ct_parse_value(p, NULL, kd->type, &e, false))
			return -1;
		if (kd->cls == CT_CLASS_INT ? m->val.n > e.val.n :
		    memcmp(m->val.b, e.val.b, 16) > 0)
			return ct_err(p, t, "range is inverted");
		m->test = CT_T_RANGE;
		m->to = e.val;
	} else if (ct_is(t, ".")) {
		return ct_err(p, t, "ctrack does not support concatenations ('.')");
	} else if (t->type == ',') {
		return ct_err(p, t, "a list of values is a set: write { a, b }");
	}
	return 0;
}

static int simple(struct ct_parser *p, struct ct_rule *r, const struct ct_tok *kt,
		  uint8_t key, uint32_t val)
{
	struct ct_match *m = ct_rule_add_match(r);

	if (!m)
		return ct_err(p, kt, "more than %d matches in one rule", CT_MATCH_MAX);
	m->key = key;
	m->test = CT_T_VALUE;
	m->val.n = val;
	return 0;
}

static int reject_with(struct ct_parser *p, struct ct_rule *r)
{
	const struct ct_tok *t = ct_next(p);
	const struct ct_name *tab;
	uint32_t code;

	if (ct_is(t, "tcp")) {
		t = ct_next(p);
		if (!ct_is(t, "reset") && !ct_is(t, "rst"))
			return ct_err(p, t, "expected 'reset' after 'reject with tcp'");
		r->has_reject_type = true;
		r->reject_type = CTRACK_REJECT_TCP_RST;
		return 0;
	}
	if (ct_is(t, "icmp")) {
		r->reject_type = CTRACK_REJECT_ICMP;
		tab = ct_icmp_code_names;
	} else if (ct_is(t, "icmpv6")) {
		r->reject_type = CTRACK_REJECT_ICMPV6;
		tab = ct_icmpv6_code_names;
	} else if (ct_is(t, "icmpx")) {
		r->reject_type = CTRACK_REJECT_ICMPX;
		tab = ct_icmpx_code_names;
	} else {
		return ct_err(p, t, "expected 'tcp reset', 'icmp', 'icmpv6' or 'icmpx' after 'reject with'");
	}
	ct_accept(p, "type");
	t = ct_next(p);
	if (name_or_num(p, t, t->text, tab, r->reject_type == CTRACK_REJECT_ICMPX ?
			__CTRACK_ICMPX_MAX - 1 : 255, &code, "reject type"))
		return -1;
	r->has_reject_type = true;
	r->reject_code = code;
	return 0;
}

static int u64_word(struct ct_parser *p, const struct ct_tok *t, uint64_t *out)
{
	char *end;

	errno = 0;
	if (t->type != T_WORD || !isdigit((unsigned char)t->text[0]))
		return ct_err(p, t, "expected a number");
	*out = strtoull(t->text, &end, 10);
	if (errno || *end)
		return ct_err(p, t, "number '%.40s' out of range", t->text);
	return 0;
}

/* the key after a protocol word ("ip saddr"), or -1: the word stands alone */
static int field(struct ct_parser *p, const char *proto, const char *const *fields,
		 const uint8_t *keys, const char *const *unsup)
{
	const struct ct_tok *t = ct_peek(p);

	for (int i = 0; fields[i]; i++)
		if (ct_is(t, fields[i])) {
			ct_next(p);
			return keys[i];
		}
	for (int i = 0; unsup && unsup[i]; i++)
		if (ct_is(t, unsup[i]))
			return ct_err(p, t, "ctrack does not support '%s %s' (yet)", proto, t->text) - 1;
	return -1;
}

static int rule_stmt(struct ct_parser *p, struct ct_rule *r)
{
	bool verdict_seen = false;

	memset(r, 0, sizeof(*r));
	r->verdict = CTRACK_VERDICT_CONTINUE;
	r->loc = ct_peek(p)->loc;
	if (ct_stmt_end(ct_peek(p)))
		return ct_err(p, ct_peek(p), "missing rule expression (e.g. 'tcp dport 22 accept')");
	while (!ct_stmt_end(ct_peek(p))) {
		const struct ct_tok *t = ct_next(p);
		const char *w = t->text;
		unsigned int v;
		int key = -1;

		if (p->failed)
			return -1;
		if (verdict_seen && !ct_is(t, "comment"))
			return ct_err(p, t, "'%s' after the verdict: the verdict comes last", w);
		if (t->type != T_WORD)
			return ct_err(p, t, "unexpected '%s'", w);
		if (!strcmp(w, "ip")) {
			static const char *const f[] = { "saddr", "daddr", "protocol", NULL };
			static const uint8_t k[] = { CTRACK_KEY_IP_SADDR, CTRACK_KEY_IP_DADDR,
						     CTRACK_KEY_IP_PROTOCOL };
			static const char *const u[] = { "ttl", "dscp", "ecn", "length", "id",
				"frag-off", "hdrlength", "checksum", "version", "tos", NULL };

			key = field(p, w, f, k, u);
			if (key < -1)
				return -1;
			if (key < 0 && simple(p, r, t, CTRACK_KEY_NFPROTO, NFPROTO_IPV4))
				return -1;
		} else if (!strcmp(w, "ip6")) {
			static const char *const f[] = { "saddr", "daddr", "nexthdr", NULL };
			static const uint8_t k[] = { CTRACK_KEY_IP6_SADDR, CTRACK_KEY_IP6_DADDR,
						     CTRACK_KEY_IP6_NEXTHDR };
			static const char *const u[] = { "hoplimit", "flowlabel", "dscp", "ecn",
				"length", "version", "priority", NULL };

			key = field(p, w, f, k, u);
			if (key < -1)
				return -1;
			if (key < 0 && simple(p, r, t, CTRACK_KEY_NFPROTO, NFPROTO_IPV6))
				return -1;
		} else if (!strcmp(w, "tcp") || !strcmp(w, "udp")) {
			bool tcp = w[0] == 't';
			static const char *const f[] = { "sport", "dport", "flags", NULL };
			static const uint8_t kt[] = { CTRACK_KEY_TCP_SPORT, CTRACK_KEY_TCP_DPORT,
						      CTRACK_KEY_TCP_FLAGS };
			static const uint8_t ku[] = { CTRACK_KEY_UDP_SPORT, CTRACK_KEY_UDP_DPORT, 0 };
			static const char *const u[] = { "sequence", "ackseq", "doff", "window",
				"checksum", "urgptr", "option", "length", NULL };

			if (!tcp && ct_is(ct_peek(p), "flags"))
				return ct_err(p, ct_peek(p), "udp has no flags");
			key = field(p, w, f, tcp ? kt : ku, u);
			if (key < -1)
				return -1;
			if (key < 0 && simple(p, r, t, CTRACK_KEY_L4PROTO, tcp ? IPPROTO_TCP : IPPROTO_UDP))
				return -1;
		} else if (!strcmp(w, "th")) {
			static const char *const f[] = { "sport", "dport", NULL };
			static const uint8_t k[] = { CTRACK_KEY_TH_SPORT, CTRACK_KEY_TH_DPORT };

			key = field(p, w, f, k, NULL);
			if (key < 0)
				return ct_err(p, ct_peek(p), "expected 'sport' or 'dport' after 'th'");
		} else if (!strcmp(w, "icmp") || !strcmp(w, "icmpv6")) {
			bool v6 = w[4] != '\0';
			static const char *const f[] = { "type", "code", NULL };
			static const uint8_t k4[] = { CTRACK_KEY_ICMP_TYPE, CTRACK_KEY_ICMP_CODE };
			static const uint8_t k6[] = { CTRACK_KEY_ICMPV6_TYPE, CTRACK_KEY_ICMPV6_CODE };
			static const char *const u[] = { "id", "sequence", "checksum", "mtu",
				"gateway", NULL };

			key = field(p, w, f, v6 ? k6 : k4, u);
			if (key < -1)
				return -1;
			if (key < 0 && simple(p, r, t, CTRACK_KEY_L4PROTO, v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP))
				return -1;
		} else if (!strcmp(w, "iif") || !strcmp(w, "oif") || !strcmp(w, "iifname") ||
			   !strcmp(w, "oifname")) {
			key = w[0] == 'i' ? (w[3] ? CTRACK_KEY_IIFNAME : CTRACK_KEY_IIF) :
					    (w[3] ? CTRACK_KEY_OIFNAME : CTRACK_KEY_OIF);
		} else if (!strcmp(w, "meta")) {
			static const char *const f[] = { "l4proto", "nfproto", "iif", "oif", "iifname",
							 "oifname", NULL };
			static const uint8_t k[] = { CTRACK_KEY_L4PROTO, CTRACK_KEY_NFPROTO,
				CTRACK_KEY_IIF, CTRACK_KEY_OIF, CTRACK_KEY_IIFNAME, CTRACK_KEY_OIFNAME };

			key = field(p, w, f, k, NULL);
			if (key < 0) {
				t = ct_peek(p);
				if (ct_stmt_end(t))
					return ct_err(p, t, "expected a key after 'meta' (l4proto, nfproto, iif, oif, iifname, oifname)");
				return ct_err(p, t, "ctrack does not support 'meta %s' (yet)", t->text);
			}
		} else if (!strcmp(w, "ct")) {
			t = ct_peek(p);
			if (ct_stmt_end(t))
				return ct_err(p, t, "expected 'state' after 'ct'");
			if (!ct_is(t, "state"))
				return ct_err(p, t, "ctrack does not support 'ct %s' (yet); only 'ct state'",
					      t->text);
			ct_next(p);
			key = CTRACK_KEY_CT_STATE;
		} else if (!strcmp(w, "state")) {
			return ct_err(p, t, "unknown expression 'state': did you mean 'ct state'?");
		} else if (!strcmp(w, "counter")) {
			if (ct_accept(p, "packets")) {
				if (u64_word(p, ct_next(p), &r->packets) || !ct_accept(p, "bytes") ||
				    u64_word(p, ct_next(p), &r->bytes))
					return ct_err(p, t, "expected 'counter packets N bytes M'");
				r->has_counts = true;
			}
		} else if (!strcmp(w, "comment")) {
			t = ct_next(p);
			if (t->type != T_STR && t->type != T_WORD)
				return ct_err(p, t, "expected a string after 'comment'");
			if (strlen(t->text) >= CTRACK_COMMENT_MAX)
				return ct_err(p, t, "comment longer than %d characters", CTRACK_COMMENT_MAX - 1);
			strcpy(r->comment, t->text);
		} else if (!strcmp(w, "reject")) {
			r->verdict = CTRACK_VERDICT_REJECT;
			verdict_seen = true;
			if (ct_accept(p, "with") && reject_with(p, r))
				return -1;
		} else if (!ct_name_lookup(ct_verdict_names, w, &v)) {
			if (parse_verdict_word(p, t, &r->verdict, r->target))
				return -1;
			verdict_seen = true;
		} else if (ct_unsupported(p, t)) {
			return -1;
		} else if (!strcmp(w, ".")) {
			return ct_err(p, t, "ctrack does not support concatenations ('.')");
		} else {
			return ct_err(p, t, "unknown expression '%s'", w);
		}
		if (key >= 0 && parse_match(p, r, key, t, &verdict_seen))
			return -1;
	}
	return p->failed ? -1 : 0;
}

/* A rule's statements up to the end of the statement (newline, ';', '}', end). */
int ct_parse_rule_stmt(struct ct_parser *p, struct ct_rule *r)
{
	int ret = rule_stmt(p, r);

	/* a failed rule owns nothing: callers just report the error */
	if (ret)
		ct_rule_free(r);
	return ret;
}
