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
#include "nft.h"

char ct_errbuf[4096];

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

/* The words of a command line as one text for the lexer; words with blanks are quoted. */
static char *join_words(int argc, char **argv)
{
	size_t n = 1;
	char *buf, *q;

	for (int i = 0; i < argc; i++)
		n += strlen(argv[i]) + 3;
	buf = malloc(n);
	if (!buf)
		return NULL;
	q = buf;
	for (int i = 0; i < argc; i++) {
		const char *w = argv[i];
		/*
		 * A shell-quoted comment ("a b") stays one string; a quoted
		 * body ('{ type ipv4_addr; }', '& (syn|ack) == syn') is nft
		 * syntax, as nft reads it.
		 */
		bool comment = i && !strcmp(argv[i - 1], "comment");
		bool quote = !*w || (w[0] != '"' && strcmp(w, ";") && strpbrk(w, " \t#;") &&
				     (comment || !strpbrk(w, "{}()&|=")));

		q += sprintf(q, "%s%s%s%s", i ? " " : "", quote ? "\"" : "", w, quote ? "\"" : "");
	}
	*q = '\0';
	return buf;
}

static struct ct_parser *words_parser(int argc, char **argv)
{
	struct ct_parser *p = ct_parser_new(NULL, 0);
	char *text = join_words(argc, argv);

	ct_errbuf[0] = '\0';
	if (!p || !text || ct_parser_push_text(p, "<cmdline>", text, strlen(text))) {
		if (!ct_errbuf[0])
			ct_set_error("out of memory");
		free(text);
		ct_parser_free(p);
		return NULL;
	}
	free(text);
	return p;
}

static int words_end(struct ct_parser *p)
{
	const struct ct_tok *t = ct_peek(p);

	if (p->failed)
		return -1;
	if (!ct_parser_at_end(p))
		return ct_err(p, t, "unexpected '%s'", t->text);
	return 0;
}

int ct_parse_rule(int argc, char **argv, struct ct_rule *r)
{
	struct ct_parser *p;
	int ret;

	memset(r, 0, sizeof(*r));
	if (argc == 0) {
		ct_set_error("missing rule expression (e.g. 'tcp dport 22 accept')");
		return -1;
	}
	p = words_parser(argc, argv);
	if (!p)
		return -1;
	ret = ct_parse_rule_stmt(p, r);
	if (!ret)
		ret = words_end(p);
	if (ret)
		ct_rule_free(r);
	memset(&r->loc, 0, sizeof(r->loc));
	ct_parser_free(p);
	return ret;
}

static bool is_family(const char *s, uint8_t *fam)
{
	unsigned int v;

	if (ct_name_lookup(ct_family_names, s, &v))
		return false;
	*fam = v;
	return true;
}

static int copy_name(char *dst, const char *s, const char *what)
{
	if (!*s || strlen(s) >= CT_NAME_MAX) {
		ct_set_error("%s '%s': 1..%d characters", what, s, CT_NAME_MAX - 1);
		return -1;
	}
	strcpy(dst, s);
	return 0;
}

/*
 * [FAMILY TABLE] NAME at argv[*i]: a chain (rule, policy) or set (set, element).
 * @need: a NAME is required; @table_only_ok: "FAMILY TABLE" alone is fine (list, flush).
 */
static int parse_target(int argc, char **argv, int *i, struct ct_cmd *c, bool need,
			bool table_only_ok, const char *what)
{
	if (*i + 1 < argc && is_family(argv[*i], &c->family)) {
		if (copy_name(c->table, argv[*i + 1], "table name"))
			return -1;
		c->has_table = true;
		*i += 2;
		if (*i >= argc && table_only_ok)
			return 0;
	}
	if (*i >= argc) {
		if (!need)
			return 0;
		ct_set_error("missing %s name", what);
		return -1;
	}
	if (copy_name(c->chain, argv[*i], what))
		return -1;
	c->has_chain = true;
	(*i)++;
	return 0;
}

static int parse_rule_cmd(int argc, char **argv, struct ct_cmd *c)
{
	const char *verb = argv[0];
	int i = 1;
	uint32_t n;

	if (!strcmp(verb, "add") || !strcmp(verb, "append") || !strcmp(verb, "insert")) {
		c->op = verb[0] == 'i' ? CT_OP_RULE_INSERT : CT_OP_RULE_ADD;
		if (parse_target(argc, argv, &i, c, true, false, "chain"))
			return -1;
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
		if (parse_target(argc, argv, &i, c, true, false, "chain"))
			return -1;
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
		if (parse_target(argc, argv, &i, c, false, true, "chain"))
			return -1;
		return expect_end(argc, argv, i);
	}
	ct_set_error("rule: unknown verb '%s' (add, insert, delete, list, flush)", verb);
	return -1;
}

static int parse_policy_cmd(int argc, char **argv, struct ct_cmd *c)
{
	int i = 0;

	c->op = CT_OP_POLICY_SET;
	if (argc == 1) {
		ct_set_error("policy: expected CHAIN accept|drop");
		return -1;
	}
	if (parse_target(argc - 1, argv, &i, c, true, false, "chain"))
		return -1;
	if (i >= argc) {
		ct_set_error("policy: missing accept|drop");
		return -1;
	}
	if (!strcmp(argv[i], "accept"))
		c->policy = CTRACK_VERDICT_ACCEPT;
	else if (!strcmp(argv[i], "drop"))
		c->policy = CTRACK_VERDICT_DROP;
	else {
		ct_set_error("policy: '%s' is not accept or drop", argv[i]);
		return -1;
	}
	return expect_end(argc, argv, i + 1);
}

/*
 * Elements from the command line: the set's type is the kernel's, so guess
 * the class from the first element (of "{ a, b }" as one word or several).
 */
static uint8_t guess_type(const char *w)
{
	uint8_t a[16], fam = 0;
	char buf[128];
	unsigned int v;
	size_t n;

	while (*w == '{' || isspace((unsigned char)*w))
		w++;
	if (*w == '"')
		return CTRACK_TYPE_IFNAME;
	n = strcspn(w, " \t,}");
	snprintf(buf, sizeof(buf), "%.*s", (int)(n < sizeof(buf) ? n : sizeof(buf) - 1), w);
	/* an IPv4 range "A-B": its first address */
	if (strchr(buf, '-') && !strchr(buf, ':') && strchr(buf, '.'))
		*strchr(buf, '-') = '\0';
	if (!ct_parse_addr(buf, &fam, a, NULL, true))
		return fam == NFPROTO_IPV6 ? CTRACK_TYPE_IPV6_ADDR : CTRACK_TYPE_IPV4_ADDR;
	if (strchr(buf, ':')) {
		/* an IPv6 range "A-B" */
		if (strchr(buf, '-'))
			*strchr(buf, '-') = '\0';
		fam = 0;
		if (!ct_parse_addr(buf, &fam, a, NULL, true))
			return CTRACK_TYPE_IPV6_ADDR;
	}
	if (!ct_name_lookup(ct_ctstate_names, buf, &v))
		return CTRACK_TYPE_CT_STATE;
	/* a port, a range of them or a service; any other word is an interface */
	if (isdigit((unsigned char)buf[0]) || getservbyname(buf, "tcp") ||
	    getservbyname(buf, "udp"))
		return CTRACK_TYPE_INET_SERVICE;
	return buf[0] ? CTRACK_TYPE_IFNAME : CTRACK_TYPE_INET_SERVICE;
}

static int parse_set_cmd(int argc, char **argv, struct ct_cmd *c, bool elem)
{
	const char *verb = argv[0];
	struct ct_parser *p;
	int i = 1, ret;

	if (!strcmp(verb, "add") || !strcmp(verb, "create"))
		c->op = elem ? CT_OP_ELEM_ADD : CT_OP_SET_ADD;
	else if (!strcmp(verb, "delete") || !strcmp(verb, "del"))
		c->op = elem ? CT_OP_ELEM_DELETE : CT_OP_SET_DELETE;
	else if (!elem && is_list(verb))
		c->op = CT_OP_SET_LIST;
	else {
		ct_set_error("%s: unknown verb '%s' (%s)", elem ? "element" : "set", verb,
			     elem ? "add, delete" : "add, delete, list");
		return -1;
	}
	if (parse_target(argc, argv, &i, c, c->op != CT_OP_SET_LIST, true, "set"))
		return -1;
	if (c->op == CT_OP_SET_ADD && !c->has_table) {
		c->has_table = true;
		c->family = NFPROTO_INET;
		strcpy(c->table, "filter");
	}
	strcpy(c->set.name, c->chain);
	if (c->op == CT_OP_SET_DELETE || c->op == CT_OP_SET_LIST)
		return expect_end(argc, argv, i);
	if (i >= argc) {
		ct_set_error(elem ? "element %s: expected '{ ELEMENT, ... }'" :
			     "set add: expected 'type TYPE' or '{ type TYPE; ... }'", verb);
		return -1;
	}
	if (elem) {
		/* the first element's word tells the class */
		const char *w = argv[i][0] == '{' && argv[i][1] ? argv[i] + 1 :
				i + 1 < argc ? argv[i + 1] : "";

		c->set.type = guess_type(w);
		c->elem_argc = argc - i;
		c->elem_argv = argv + i;
	}
	if (!elem && argv[i][0] != '{') {
		/* keyword form: type T flags F timeout T, as one brace body */
		char **w = calloc(2 * (argc - i) + 2, sizeof(*w));
		int n = 0;

		if (!w) {
			ct_set_error("out of memory");
			return -1;
		}
		w[n++] = "{";
		for (int j = i; j < argc; j++) {
			size_t pl = j > i ? strlen(argv[j - 1]) : 0;

			/* a keyword starts a statement, but "flags interval, timeout" goes on */
			if (pl && argv[j - 1][pl - 1] != ',' &&
			    (!strcmp(argv[j], "flags") || !strcmp(argv[j], "timeout") ||
			     !strcmp(argv[j], "type")))
				w[n++] = ";";
			w[n++] = argv[j];
		}
		w[n++] = "}";
		p = words_parser(n, w);
		free(w);
	} else {
		p = words_parser(argc - i, argv + i);
	}
	if (!p)
		return -1;
	ret = ct_parse_set_body(p, &c->set, elem);
	if (!ret)
		ret = words_end(p);
	if (!ret && !elem && !c->set.type)
		ret = ct_err(p, NULL, "set add: missing 'type'");
	memset(&c->set.loc, 0, sizeof(c->set.loc));
	ct_parser_free(p);
	return ret;
}

int ct_parse_elem_words(struct ct_cmd *c, uint8_t type)
{
	struct ct_parser *p;
	int ret;

	ct_set_free_elems(&c->set);
	c->set.type = type;
	p = words_parser(c->elem_argc, c->elem_argv);
	if (!p)
		return -1;
	ret = ct_parse_set_body(p, &c->set, true);
	if (!ret)
		ret = words_end(p);
	memset(&c->set.loc, 0, sizeof(c->set.loc));
	ct_parser_free(p);
	return ret;
}

static const char *const objects[] = {
	"rule", "policy", "ruleset", "set", "element", "conn", "expect", "stats", "monitor",
	"timeout", "helper", "setting", NULL
};

/* argv[0] is OBJECT. Returns 0 or CT_EXIT_USAGE with ct_errbuf set. */
int ct_parse_args(int argc, char **argv, struct ct_cmd *c)
{
	const char *obj, *verb;
	int i;

	memset(c, 0, sizeof(*c));
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
	if (!strcmp(obj, "set") || !strcmp(obj, "element")) {
		if (parse_set_cmd(argc, argv, c, obj[0] == 'e'))
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
		if (parse_policy_cmd(argc, argv, c))
			return CT_EXIT_USAGE;
		return 0;
	}
	if (!strcmp(obj, "ruleset")) {
		if (!strcmp(verb, "load")) {
			c->op = CT_OP_RULESET_LOAD;
			if (argc >= 1 && !strcmp(argv[0], "-j")) {
				c->json_file = true;
				argc--, argv++;
			}
			if (argc < 1) {
				ct_set_error("ruleset load: missing FILE (or - for stdin)");
				return CT_EXIT_USAGE;
			}
			c->file = argv[0];
			argc--, argv++;
		} else if (!strcmp(verb, "save")) {
			c->op = CT_OP_RULESET_SAVE;
		} else if (is_list(verb)) {
			c->op = CT_OP_RULE_LIST;	/* every table, with handles */
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

