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
	  "S := new | established | related | invalid | untracked\n"
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
	struct ct_reply r;
	size_t buflen;
	char *buf;
	int ret = CT_EXIT_ERR;

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
	if (ct_reply_begin(&r, c->op, &opts, c->hook, stdout, stderr) < 0) {
		fprintf(stderr, "ctrackctl: out of memory\n");
		goto out_nl;
	}
	if (ct_nl_talk(&nl, nlh, ct_reply_msg, &r) < 0) {
		fflush(stdout);
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
