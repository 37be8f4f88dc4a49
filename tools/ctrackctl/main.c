// SPDX-License-Identifier: GPL-2.0
/*
 * ctrackctl: drives the ctrack module over its generic netlink family.
 * Exit status: 0 success, 1 runtime error (the kernel refused, no module),
 * 2 usage error.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include "ctrackctl.h"

static const struct {
	const char *object, *text;
} helps[] = {
	{ "rule",
	  "       ctrackctl rule add    HOOK EXPR... [VERDICT]\n"
	  "       ctrackctl rule insert HOOK [position HANDLE] EXPR... [VERDICT]\n"
	  "       ctrackctl rule delete HOOK handle N\n"
	  "       ctrackctl rule list   [HOOK]\n"
	  "       ctrackctl rule flush  [HOOK]\n"
	  "HOOK := input | forward | output\n"
	  "EXPR := ip | ip6 | ip saddr A[/N] | ip daddr A[/N] | ip6 saddr A[/N] | ip6 daddr A[/N]\n"
	  "      | tcp | udp | icmp | icmpv6 | tcp|udp sport|dport P[-Q]\n"
	  "      | icmp type NAME|N | icmpv6 type NAME|N | meta l4proto PROTO\n"
	  "      | iifname NAME | oifname NAME | ct state S[,S...]\n"
	  "S := new | established | related | invalid\n"
	  "VERDICT := accept | drop | reject    (none: count and continue)\n"
	  "Example: ctrackctl rule add input tcp dport 22 ct state new accept\n" },
	{ "policy",
	  "       ctrackctl policy set HOOK accept|drop\n" },
	{ "ruleset",
	  "       ctrackctl ruleset load FILE|-   (replaces every chain atomically)\n"
	  "       ctrackctl ruleset save          (prints what ruleset load reads)\n"
	  "File lines: 'policy HOOK accept|drop', 'rule add HOOK EXPR... [VERDICT]', # comments\n" },
	{ "conn",
	  "       ctrackctl conn list   [FILTER]\n"
	  "       ctrackctl conn get    FILTER\n"
	  "       ctrackctl conn delete FILTER\n"
	  "       ctrackctl conn flush\n"
	  "       ctrackctl conn count\n"
	  "FILTER := [-p PROTO] [-s|--src|--orig-src A] [-d|--dst|--orig-dst A]\n"
	  "          [--sport P] [--dport P] [--state TCPSTATE] [-f ipv4|ipv6]\n" },
	{ "expect",
	  "       ctrackctl expect list\n"
	  "       ctrackctl expect flush\n" },
	{ "stats",
	  "       ctrackctl stats\n" },
	{ "monitor",
	  "       ctrackctl monitor [new,update,destroy]   (until ^C)\n" },
	{ "timeout",
	  "       ctrackctl timeout list\n"
	  "       ctrackctl timeout set PROTO [STATE] SECONDS\n"
	  "PROTO [STATE] := tcp syn_sent|syn_recv|established|fin_wait|close_wait|last_ack\n"
	  "                 |time_wait|close|syn_sent2|retrans|unack\n"
	  "               | udp | udp stream | icmp | generic | expect\n" },
	{ "helper",
	  "       ctrackctl helper list\n"
	  "       ctrackctl helper add ftp port N\n"
	  "       ctrackctl helper delete ftp port N\n" },
	{ "setting",
	  "       ctrackctl setting list\n"
	  "       ctrackctl setting set tcp_loose 0|1\n"
	  "       ctrackctl setting set max_conns N\n" },
};

#define NHELPS (sizeof(helps) / sizeof(helps[0]))

static void usage(FILE *f, const char *object)
{
	fputs("Usage: ctrackctl [-j|--json] [-n|--numeric] OBJECT VERB [ARGS...]\n", f);
	for (size_t i = 0; i < NHELPS; i++)
		if (!object || !strcmp(object, helps[i].object))
			fputs(helps[i].text, f);
	if (!object)
		fputs("See ctrackctl(8).\n", f);
}

static int usage_error(const char *object)
{
	fprintf(stderr, "ctrackctl: %s\n", ct_errbuf);
	if (object) {
		usage(stderr, object);
	} else {
		fputs("Usage: ctrackctl [-j|--json] [-n|--numeric] OBJECT VERB [ARGS...]\n"
		      "OBJECT := rule | policy | ruleset | conn | expect | stats | monitor\n"
		      "        | timeout | helper | setting\n"
		      "Try 'ctrackctl OBJECT --help' or see ctrackctl(8).\n", stderr);
	}
	return CT_EXIT_USAGE;
}

/* ---- reply handlers ---- */

static struct ct_opts opts;

static const struct nlattr *top_attr(const struct nlmsghdr *nlh, uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

static int malformed(void)
{
	errno = EBADMSG;
	return MNL_CB_ERROR;
}

static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ct_chains *ch = data;
	const struct nlattr *hook = top_attr(nlh, CTRACK_A_HOOK);
	const struct nlattr *pol = top_attr(nlh, CTRACK_A_POLICY);
	const struct nlattr *rule = top_attr(nlh, CTRACK_A_RULE);
	struct ct_rule r;
	uint8_t h;

	if (!hook || mnl_attr_validate(hook, MNL_TYPE_U8) < 0)
		return malformed();
	h = mnl_attr_get_u8(hook);
	if (h >= __CTRACK_HOOK_MAX)
		return MNL_CB_OK;
	ch->seen[h] = true;
	if (pol) {
		if (mnl_attr_validate(pol, MNL_TYPE_U8) < 0)
			return malformed();
		ch->rs->policy[h] = mnl_attr_get_u8(pol);
	}
	if (rule) {
		if (ct_rule_from_attr(rule, &r))
			return malformed();
		if (ct_ruleset_add(ch->rs, h, &r))
			return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

struct list_ctx {
	unsigned long count;
	struct ct_json j;
	bool expect;
};

static int conn_cb(const struct nlmsghdr *nlh, void *data)
{
	struct list_ctx *l = data;
	const struct nlattr *a = top_attr(nlh, l->expect ? CTRACK_A_EXPECT : CTRACK_A_CONN);

	if (!a)
		return MNL_CB_OK;
	if (l->expect) {
		struct ct_expect e;

		if (ct_expect_from_attr(a, &e))
			return malformed();
		if (opts.json)
			ct_json_expect(&l->j, &e, NULL);
		else
			ct_print_expect(stdout, &e);
	} else {
		struct ct_conn c;

		if (ct_conn_from_attr(a, &c))
			return malformed();
		if (opts.json)
			ct_json_conn(&l->j, &c, NULL);
		else
			ct_print_conn(stdout, &c, true);
	}
	l->count++;
	return MNL_CB_OK;
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	struct list_ctx *l = data;
	const struct nlattr *a = top_attr(nlh, CTRACK_A_STATS);
	struct ct_stats s;

	if (!a)
		return MNL_CB_OK;
	if (ct_stats_from_attr(a, &s))
		return malformed();
	if (opts.json)
		ct_json_stats(&l->j, &s);
	else
		ct_print_stats(stdout, &s);
	return MNL_CB_OK;
}

struct scalars {
	bool has_count, has_max, has_handle;
	uint32_t count, max, handle;
};

static int scalar_cb(const struct nlmsghdr *nlh, void *data)
{
	struct scalars *s = data;
	const struct nlattr *a;

	if ((a = top_attr(nlh, CTRACK_A_COUNT)) && mnl_attr_validate(a, MNL_TYPE_U32) >= 0) {
		s->count = mnl_attr_get_u32(a);
		s->has_count = true;
	}
	if ((a = top_attr(nlh, CTRACK_A_MAX_CONNS)) && mnl_attr_validate(a, MNL_TYPE_U32) >= 0) {
		s->max = mnl_attr_get_u32(a);
		s->has_max = true;
	}
	if ((a = top_attr(nlh, CTRACK_A_HANDLE)) && mnl_attr_validate(a, MNL_TYPE_U32) >= 0) {
		s->handle = mnl_attr_get_u32(a);
		s->has_handle = true;
	}
	/* the handle may also come back inside the rule */
	if (!s->has_handle && (a = top_attr(nlh, CTRACK_A_RULE))) {
		struct ct_rule r;

		if (!ct_rule_from_attr(a, &r) && (r.present & CT_M_HANDLE)) {
			s->handle = r.handle;
			s->has_handle = true;
		}
	}
	return MNL_CB_OK;
}

/* TIMEOUT_GET, HELPER_GET, SETTING_GET: one reply, a nest per item. */
static int items_cb(const struct nlmsghdr *nlh, void *data)
{
	struct list_ctx *l = data;
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a, *x;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		const struct nlattr *tb[4] = { NULL };
		uint16_t type = mnl_attr_get_type(a);

		if (type != CTRACK_A_TIMEOUT && type != CTRACK_A_HELPER && type != CTRACK_A_SETTING)
			continue;
		mnl_attr_for_each_nested(x, a)
			if (mnl_attr_get_type(x) < 4)
				tb[mnl_attr_get_type(x)] = x;
		if (g->cmd == CTRACK_CMD_TIMEOUT_GET && type == CTRACK_A_TIMEOUT) {
			uint32_t cls, secs;
			const char *p, *st;

			if (!tb[CTRACK_A_TIMEOUT_CLASS] || !tb[CTRACK_A_TIMEOUT_SECONDS] ||
			    mnl_attr_validate(tb[CTRACK_A_TIMEOUT_CLASS], MNL_TYPE_U32) < 0 ||
			    mnl_attr_validate(tb[CTRACK_A_TIMEOUT_SECONDS], MNL_TYPE_U32) < 0)
				return malformed();
			cls = mnl_attr_get_u32(tb[CTRACK_A_TIMEOUT_CLASS]);
			secs = mnl_attr_get_u32(tb[CTRACK_A_TIMEOUT_SECONDS]);
			p = ct_timeout_proto(cls);
			st = ct_timeout_state(cls);
			if (!p)
				continue;	/* a class newer than this tool */
			if (opts.json) {
				ct_json_open(&l->j, NULL, '{');
				ct_json_str(&l->j, "proto", p);
				if (st)
					ct_json_str(&l->j, "state", st);
				ct_json_u64(&l->j, "seconds", secs);
				ct_json_close(&l->j, '}');
			} else {
				printf("%s%s%s %u\n", p, st ? " " : "", st ? st : "", secs);
			}
		} else if (g->cmd == CTRACK_CMD_HELPER_GET && type == CTRACK_A_HELPER) {
			const char *name;
			uint16_t port;

			if (!tb[CTRACK_A_HELPER_NAME] || !tb[CTRACK_A_HELPER_PORT] ||
			    mnl_attr_validate(tb[CTRACK_A_HELPER_NAME], MNL_TYPE_NUL_STRING) < 0 ||
			    mnl_attr_validate(tb[CTRACK_A_HELPER_PORT], MNL_TYPE_U16) < 0)
				return malformed();
			name = mnl_attr_get_str(tb[CTRACK_A_HELPER_NAME]);
			port = mnl_attr_get_u16(tb[CTRACK_A_HELPER_PORT]);
			if (opts.json) {
				ct_json_open(&l->j, NULL, '{');
				ct_json_str(&l->j, "name", name);
				ct_json_u64(&l->j, "port", port);
				ct_json_close(&l->j, '}');
			} else {
				printf("%s port %u\n", name, port);
			}
		} else if (g->cmd == CTRACK_CMD_SETTING_GET && type == CTRACK_A_SETTING) {
			const char *name;
			uint32_t v;

			if (!tb[CTRACK_A_SETTING_NAME] || !tb[CTRACK_A_SETTING_VALUE] ||
			    mnl_attr_validate(tb[CTRACK_A_SETTING_NAME], MNL_TYPE_NUL_STRING) < 0 ||
			    mnl_attr_validate(tb[CTRACK_A_SETTING_VALUE], MNL_TYPE_U32) < 0)
				return malformed();
			name = mnl_attr_get_str(tb[CTRACK_A_SETTING_NAME]);
			v = mnl_attr_get_u32(tb[CTRACK_A_SETTING_VALUE]);
			if (opts.json)
				ct_json_u64(&l->j, name, v);
			else
				printf("%s %u\n", name, v);
		}
	}
	return MNL_CB_OK;
}

static int load_ruleset(struct ct_cmd *c)
{
	FILE *f = stdin;
	const char *name = "<stdin>";

	if (strcmp(c->file, "-")) {
		f = fopen(c->file, "r");
		if (!f) {
			fprintf(stderr, "ctrackctl: %s: %s\n", c->file, strerror(errno));
			return -1;
		}
		name = c->file;
	}
	c->ruleset = ct_ruleset_read(f, name);
	if (f != stdin)
		fclose(f);
	if (!c->ruleset) {
		fprintf(stderr, "ctrackctl: %s\n", ct_errbuf);
		return -1;
	}
	return 0;
}

static int run(struct ct_cmd *c)
{
	struct ct_nl nl;
	struct nlmsghdr *nlh;
	struct ct_chains ch = { .only = c->hook };
	struct list_ctx l = { 0 };
	struct scalars sc = { 0 };
	ct_msg_cb cb = NULL;
	void *data = NULL;
	size_t buflen;
	char *buf;
	int ret = CT_EXIT_ERR;
	bool json_list = false;

	if (c->op == CT_OP_RULESET_LOAD && load_ruleset(c))
		return CT_EXIT_ERR;
	buflen = ct_request_size(c);
	buf = calloc(1, buflen);
	if (!buf) {
		fprintf(stderr, "ctrackctl: out of memory\n");
		return CT_EXIT_ERR;
	}
	if (opts.dry_run) {
		if (c->op == CT_OP_MONITOR) {
			printf("monitor events=%u\n", c->events);
			ret = CT_EXIT_OK;
		} else if ((nlh = ct_build_request(c, buf, buflen, 0, 0))) {
			ct_msg_decode(stdout, nlh);
			ret = CT_EXIT_OK;
		} else {
			fprintf(stderr, "ctrackctl: %s\n", ct_errbuf);
		}
		goto out_buf;
	}
	if (ct_nl_open(&nl) < 0) {
		ct_nl_perror(&nl, "cannot talk to the kernel");
		goto out_buf;
	}
	if (c->op == CT_OP_MONITOR) {
		if (ct_nl_monitor(&nl, &opts, c->events) < 0)
			ct_nl_perror(&nl, "monitor");
		else
			ret = CT_EXIT_OK;
		goto out_nl;
	}
	nlh = ct_build_request(c, buf, buflen, nl.family_id, 0);
	if (!nlh) {
		fprintf(stderr, "ctrackctl: %s\n", ct_errbuf);
		goto out_nl;
	}
	if (nlh->nlmsg_len > 200000) {
		/* The kernel refuses messages bigger than the socket's send buffer. */
		int sz = nlh->nlmsg_len + 4096;

		if (setsockopt(mnl_socket_get_fd(nl.sk), SOL_SOCKET, SO_SNDBUFFORCE, &sz,
			       sizeof(sz)) < 0)
			setsockopt(mnl_socket_get_fd(nl.sk), SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	}
	ct_json_init(&l.j, stdout);
	switch (c->op) {
	case CT_OP_RULE_LIST:
	case CT_OP_RULESET_SAVE:
		ch.rs = ct_ruleset_new();
		if (!ch.rs)
			goto out_nl;
		cb = rule_cb;
		data = &ch;
		break;
	case CT_OP_CONN_LIST:
	case CT_OP_CONN_GET:
	case CT_OP_EXPECT_LIST:
		l.expect = c->op == CT_OP_EXPECT_LIST;
		cb = conn_cb;
		data = &l;
		json_list = c->op != CT_OP_CONN_GET;
		break;
	case CT_OP_STATS:
	case CT_OP_TIMEOUT_LIST:
	case CT_OP_HELPER_LIST:
		cb = c->op == CT_OP_STATS ? stats_cb : items_cb;
		data = &l;
		json_list = true;
		break;
	case CT_OP_SETTING_LIST:
		cb = items_cb;
		data = &l;
		if (opts.json)
			ct_json_open(&l.j, NULL, '{');
		break;
	default:
		cb = scalar_cb;
		data = &sc;
		break;
	}
	if (json_list && opts.json)
		ct_json_open(&l.j, NULL, '[');
	if (ct_nl_talk(&nl, nlh, cb, data) < 0) {
		fflush(stdout);
		ct_nl_perror(&nl, ct_cmd_name(ct_cmd_of_op(c->op, NULL)));
		goto out_chains;
	}
	if (nl.dump_intr)
		fprintf(stderr, "ctrackctl: warning: the table changed during the dump; the listing may be inconsistent, run it again\n");
	if (opts.json && (json_list || c->op == CT_OP_SETTING_LIST)) {
		ct_json_close(&l.j, json_list ? ']' : '}');
		putchar('\n');
	}
	ret = CT_EXIT_OK;
	switch (c->op) {
	case CT_OP_RULE_LIST:
	case CT_OP_RULESET_SAVE:
		if (opts.json)
			ct_json_chains(stdout, &ch, opts.numeric);
		else
			ct_print_chains(stdout, &ch, c->op == CT_OP_RULESET_SAVE, opts.numeric);
		break;
	case CT_OP_RULE_ADD:
	case CT_OP_RULE_INSERT:
		if (sc.has_handle) {
			if (opts.json)
				printf("{\"handle\":%u}\n", sc.handle);
			else
				printf("%u\n", sc.handle);
		}
		break;
	case CT_OP_CONN_LIST:
		fprintf(stderr, "ctrack v%s: %lu flow entries have been shown.\n",
			CTRACKCTL_VERSION, l.count);
		break;
	case CT_OP_CONN_GET:
		if (l.count == 0) {
			fprintf(stderr, "ctrackctl: no such connection\n");
			ret = CT_EXIT_ERR;
		}
		if (opts.json && l.count)
			putchar('\n');
		break;
	case CT_OP_EXPECT_LIST:
		fprintf(stderr, "ctrack v%s: %lu expectation entries have been shown.\n",
			CTRACKCTL_VERSION, l.count);
		break;
	case CT_OP_CONN_DELETE:
	case CT_OP_CONN_FLUSH:
	case CT_OP_EXPECT_FLUSH:
		if (opts.json) {
			printf("{\"deleted\":%u}\n", sc.count);
		} else if (c->op == CT_OP_CONN_DELETE) {
			fprintf(stderr, "ctrack v%s: %u flow entries have been deleted.\n",
				CTRACKCTL_VERSION, sc.count);
		} else {
			fprintf(stderr, "ctrack v%s: %s table has been emptied (%u entries).\n",
				CTRACKCTL_VERSION,
				c->op == CT_OP_CONN_FLUSH ? "connection tracking" : "expectation",
				sc.count);
		}
		break;
	case CT_OP_CONN_COUNT:
		if (opts.json) {
			printf("{\"count\":%u", sc.count);
			if (sc.has_max)
				printf(",\"max\":%u", sc.max);
			printf("}\n");
		} else {
			printf("%u\n", sc.count);
		}
		break;
	default:
		break;
	}
out_chains:
	ct_ruleset_free(ch.rs);
out_nl:
	ct_nl_close(&nl);
out_buf:
	ct_ruleset_free(c->ruleset);
	c->ruleset = NULL;
	free(buf);
	return ret;
}

int main(int argc, char **argv)
{
	struct ct_cmd cmd;
	int i, ret;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-j") || !strcmp(a, "--json")) {
			opts.json = true;
		} else if (!strcmp(a, "-n") || !strcmp(a, "--numeric")) {
			opts.numeric = true;
		} else if (!strcmp(a, "--dry-run")) {
			/* hidden: print the request instead of sending it (host tests) */
			opts.dry_run = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout, NULL);
			return CT_EXIT_OK;
		} else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			printf("ctrackctl v%s\n", CTRACKCTL_VERSION);
			return CT_EXIT_OK;
		} else if (!strcmp(a, "-jn") || !strcmp(a, "-nj")) {
			opts.json = opts.numeric = true;
		} else {
			ct_set_error("unknown option '%s'", a);
			return usage_error(NULL);
		}
	}
	if (i == argc) {
		ct_set_error("missing object");
		return usage_error(NULL);
	}
	ret = ct_parse_args(argc - i, argv + i, &cmd);
	if (ret)
		return usage_error(cmd.object);
	if (cmd.op == CT_OP_HELP) {
		usage(stdout, cmd.object);
		return CT_EXIT_OK;
	}
	return run(&cmd);
}
