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
	  "       ctrackctl rule add    [FAMILY TABLE] CHAIN EXPR... [VERDICT]\n"
	  "       ctrackctl rule insert [FAMILY TABLE] CHAIN [position HANDLE] EXPR... [VERDICT]\n"
	  "       ctrackctl rule delete [FAMILY TABLE] CHAIN handle N\n"
	  "       ctrackctl rule list   [[FAMILY TABLE] [CHAIN]]\n"
	  "       ctrackctl rule flush  [[FAMILY TABLE] [CHAIN]]\n"
	  "FAMILY := ip | ip6 | inet   CHAIN: input, forward, output or a chain of yours\n"
	  "EXPR := nft's matches: KEY [==|!=] VALUE | KEY { V, ... } | KEY @SET\n"
	  "KEY  := ip saddr|daddr|protocol | ip6 saddr|daddr|nexthdr | tcp|udp|th sport|dport\n"
	  "      | tcp flags | icmp|icmpv6 type|code | meta l4proto|nfproto|iif|oif|iifname|oifname\n"
	  "      | iif | oif | iifname | oifname | ct state   (and ip, ip6, tcp, udp, icmp, icmpv6 alone)\n"
	  "VALUE := A | A/N | A-B | P | P-Q | NAME | \"eth*\" | new,established,... \n"
	  "       counter [packets N bytes M] | comment \"TEXT\" | KEY vmap { V : VERDICT, ... }\n"
	  "VERDICT := accept | drop | reject [with icmp|icmpv6|icmpx NAME | with tcp reset]\n"
	  "         | jump CHAIN | goto CHAIN | return | continue   (none: count and continue)\n"
	  "Example: ctrackctl rule add input tcp dport { 22, 80 } ct state new accept\n" },
	{ "policy",
	  "       ctrackctl policy set [FAMILY TABLE] CHAIN accept|drop\n" },
	{ "ruleset",
	  "       ctrackctl ruleset load [-j] FILE|-   (replaces everything atomically)\n"
	  "       ctrackctl ruleset save               (prints what ruleset load reads)\n"
	  "       ctrackctl ruleset list               (the same, with handles)\n"
	  "       ctrackctl [-c] [-I DIR] -f FILE      (as nft -f; -c checks only)\n"
	  "Files: nft syntax (flush ruleset, table, chain, set, define, include, add rule ...)\n"
	  "       and native lines 'policy HOOK accept|drop', 'rule add HOOK EXPR...'\n" },
	{ "set",
	  "       ctrackctl set add [FAMILY TABLE] NAME type TYPE [flags interval,timeout,constant] [timeout T]\n"
	  "       ctrackctl set add [FAMILY TABLE] NAME { type TYPE; flags interval; elements = { ... } }\n"
	  "       ctrackctl set delete [FAMILY TABLE] NAME\n"
	  "       ctrackctl set list [[FAMILY TABLE] NAME]\n"
	  "TYPE := ipv4_addr | ipv6_addr | inet_service | inet_proto | ifname | iface_index\n"
	  "      | icmp_type | icmpv6_type | ct_state | tcp_flag | nf_proto   (table default: inet filter)\n" },
	{ "element",
	  "       ctrackctl element add    [FAMILY TABLE] SET { E [timeout T], ... }\n"
	  "       ctrackctl element delete [FAMILY TABLE] SET { E, ... }\n" },
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
	  "       ctrackctl helper add ftp|tftp port N\n"
	  "       ctrackctl helper delete ftp|tftp port N\n" },
	{ "setting",
	  "       ctrackctl setting list\n"
	  "       ctrackctl setting set tcp_loose 0|1 | checksum 0|1\n"
	  "       ctrackctl setting set max_conns N\n" },
};

#define NHELPS (sizeof(helps) / sizeof(helps[0]))

static void usage(FILE *f, const char *object)
{
	fputs("Usage: ctrackctl [-j|--json] [-n|--numeric] OBJECT VERB [ARGS...]\n"
	      "       ctrackctl [-c|--check] [-I|--includepath DIR] -f|--file FILE\n", f);
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
		      "OBJECT := rule | policy | ruleset | set | element | conn | expect | stats | monitor\n"
		      "        | timeout | helper | setting\n"
		      "Try 'ctrackctl OBJECT --help' or see ctrackctl(8).\n", stderr);
	}
	return CT_EXIT_USAGE;
}

static struct ct_opts opts;

/* What an error message calls the command: the words the user typed. */
static const char *op_words(enum ct_op op)
{
	static const char *const words[] = {
		[CT_OP_RULE_ADD] = "rule add", [CT_OP_RULE_INSERT] = "rule insert",
		[CT_OP_RULE_DELETE] = "rule delete", [CT_OP_RULE_LIST] = "rule list",
		[CT_OP_RULE_FLUSH] = "rule flush", [CT_OP_POLICY_SET] = "policy set",
		[CT_OP_RULESET_LOAD] = "ruleset load", [CT_OP_RULESET_SAVE] = "ruleset save",
		[CT_OP_CONN_LIST] = "conn list", [CT_OP_CONN_GET] = "conn get",
		[CT_OP_CONN_DELETE] = "conn delete", [CT_OP_CONN_FLUSH] = "conn flush",
		[CT_OP_CONN_COUNT] = "conn count", [CT_OP_EXPECT_LIST] = "expect list",
		[CT_OP_EXPECT_FLUSH] = "expect flush", [CT_OP_STATS] = "stats",
		[CT_OP_MONITOR] = "monitor", [CT_OP_TIMEOUT_LIST] = "timeout list",
		[CT_OP_TIMEOUT_SET] = "timeout set", [CT_OP_HELPER_LIST] = "helper list",
		[CT_OP_HELPER_ADD] = "helper add", [CT_OP_HELPER_DELETE] = "helper delete",
		[CT_OP_SETTING_LIST] = "setting list", [CT_OP_SETTING_SET] = "setting set",
		[CT_OP_SET_ADD] = "set add", [CT_OP_SET_DELETE] = "set delete",
		[CT_OP_SET_LIST] = "set list", [CT_OP_ELEM_ADD] = "element add",
		[CT_OP_ELEM_DELETE] = "element delete",
	};

	return op < sizeof(words) / sizeof(words[0]) && words[op] ? words[op] : "request";
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
	/* ruleset load -j FILE; -j -f FILE as nft -j -f: the file is JSON */
	if (c->json_file || opts.json)
		c->ruleset = ct_ruleset_read_json(f, name);
	else
		c->ruleset = ct_ruleset_read(f, name, opts.incpath, opts.nincpath);
	if (f != stdin)
		fclose(f);
	if (!c->ruleset) {
		/* FILE:LINE:COL: error: ... with the source line, as nft and gcc */
		if (strstr(ct_errbuf, ": error: "))
			fprintf(stderr, "%s\n", ct_errbuf);
		else
			fprintf(stderr, "ctrackctl: %s\n", ct_errbuf);
		return -1;
	}
	return 0;
}

/* The kernel refused a load: name the statement its bad attribute belongs to. */
static void load_perror(const struct ct_nl *nl, const struct ct_cmd *c)
{
	const struct ct_loc *loc = nl->has_bad_off ? ct_locmap_find(c->locs, nl->bad_off) : NULL;
	char msg[300];

	if (!loc || !nl->extack[0]) {
		ct_nl_perror(nl, op_words(c->op));
		return;
	}
	snprintf(msg, sizeof(msg), "%s", nl->extack);
	ct_loc_format(ct_errbuf, sizeof(ct_errbuf), loc, msg);
	fprintf(stderr, "%s\n", ct_errbuf);
}

static int set_type_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a, *s;
	uint8_t *type = data;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == CTRACK_A_SET)
			mnl_attr_for_each_nested(s, a)
				if (mnl_attr_get_type(s) == CTRACK_A_SET_TYPE && !*type &&
				    mnl_attr_validate(s, MNL_TYPE_U8) >= 0)
					*type = mnl_attr_get_u8(s);
	return MNL_CB_OK;
}

/*
 * Element words read as values of the set's type, which only the kernel
 * knows: `element add icmp_ok { echo-request }` is an ICMP type, not an
 * interface name. Asks for the set first.
 */
static int elem_set_type(struct ct_nl *nl, struct ct_cmd *c)
{
	struct ct_cmd q = {
		.op = CT_OP_SET_LIST, .has_table = c->has_table, .family = c->family,
		.has_chain = true,
	};
	struct nlmsghdr *nlh;
	uint8_t type = 0;
	size_t len;
	char *buf;
	int ret = -1;

	memcpy(q.table, c->table, sizeof(q.table));
	memcpy(q.chain, c->chain, sizeof(q.chain));
	memcpy(q.set.name, c->set.name, sizeof(q.set.name));
	len = ct_request_size(&q);
	buf = calloc(1, len);
	if (!buf) {
		fprintf(stderr, "ctrackctl: out of memory\n");
		return -1;
	}
	nlh = ct_build_request(&q, buf, len, nl->family_id, 0);
	if (!nlh)
		fprintf(stderr, "ctrackctl: %s\n", ct_errbuf);
	else if (ct_nl_talk(nl, nlh, set_type_cb, &type) < 0)
		ct_nl_perror(nl, op_words(c->op));
	else if (!type)
		fprintf(stderr, "ctrackctl: %s: no set %s\n", op_words(c->op), c->set.name);
	else if (ct_parse_elem_words(c, type))
		fprintf(stderr, "ctrackctl: %s\n", ct_errbuf);
	else
		ret = 0;
	free(buf);
	return ret;
}

static int run(struct ct_cmd *c)
{
	struct ct_nl nl;
	struct nlmsghdr *nlh;
	struct ct_reply r;
	size_t buflen;
	char *buf;
	int ret = CT_EXIT_ERR;

	struct ct_locmap locs = { 0 };

	if (c->op == CT_OP_RULESET_LOAD && load_ruleset(c))
		return CT_EXIT_ERR;
	c->check = opts.check;
	c->locs = &locs;
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
		} else if (strstr(ct_errbuf, ": error: ")) {
			fprintf(stderr, "%s\n", ct_errbuf);
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
	if ((c->op == CT_OP_ELEM_ADD || c->op == CT_OP_ELEM_DELETE) && elem_set_type(&nl, c))
		goto out_nl;
	buflen = ct_request_size(c);
	free(buf);
	buf = calloc(1, buflen);
	if (!buf) {
		fprintf(stderr, "ctrackctl: out of memory\n");
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
	if (ct_reply_begin(&r, c->op, &opts, stdout, stderr) < 0) {
		fprintf(stderr, "ctrackctl: out of memory\n");
		goto out_nl;
	}
	if (ct_nl_talk(&nl, nlh, ct_reply_msg, &r) < 0) {
		fflush(stdout);
		if (c->op == CT_OP_RULESET_LOAD)
			load_perror(&nl, c);
		else
			ct_nl_perror(&nl, op_words(c->op));
		ct_reply_free(&r);
		goto out_nl;
	}
	if (nl.dump_intr)
		fprintf(stderr, "ctrackctl: warning: the table changed during the dump; the listing may be inconsistent, run it again\n");
	ret = ct_reply_finish(&r);
out_nl:
	ct_nl_close(&nl);
out_buf:
	ct_ruleset_free(c->ruleset);
	c->ruleset = NULL;
	ct_rule_free(&c->rule);
	ct_set_free_elems(&c->set);
	free(locs.v);
	free(buf);
	return ret;
}

int main(int argc, char **argv)
{
	struct ct_cmd cmd;
	const char *file = NULL;
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
		} else if (!strcmp(a, "-c") || !strcmp(a, "--check")) {
			opts.check = true;
		} else if ((!strcmp(a, "-f") || !strcmp(a, "--file")) && i + 1 < argc) {
			file = argv[++i];
		} else if ((!strcmp(a, "-I") || !strcmp(a, "--includepath")) && i + 1 < argc) {
			if (opts.nincpath == sizeof(opts.incpath) / sizeof(opts.incpath[0])) {
				ct_set_error("too many -I directories");
				return usage_error(NULL);
			}
			opts.incpath[opts.nincpath++] = argv[++i];
		} else if (!strcmp(a, "-jn") || !strcmp(a, "-nj")) {
			opts.json = opts.numeric = true;
		} else {
			ct_set_error("unknown option '%s'", a);
			return usage_error(NULL);
		}
	}
	if (file) {
		if (i < argc) {
			ct_set_error("unexpected argument '%s' after -f FILE", argv[i]);
			return usage_error(NULL);
		}
		memset(&cmd, 0, sizeof(cmd));
		cmd.op = CT_OP_RULESET_LOAD;
		cmd.file = file;
		return run(&cmd);
	}
	if (i == argc) {
		ct_set_error("missing object");
		return usage_error(NULL);
	}
	ret = ct_parse_args(argc - i, argv + i, &cmd);
	if (ret)
		return usage_error(cmd.object);
	if (opts.check && cmd.op != CT_OP_RULESET_LOAD) {
		/* nft -c checks files only; a rule added "checked" would be added */
		ct_set_error("-c/--check goes with -f FILE or ruleset load FILE");
		return usage_error(NULL);
	}
	if (cmd.op == CT_OP_HELP) {
		usage(stdout, cmd.object);
		return CT_EXIT_OK;
	}
	return run(&cmd);
}
