/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctrackctl: the userspace side of ctrack. The code is split so that the
 * parser (argv -> struct ct_cmd -> netlink attributes) and the printers
 * (netlink attributes -> structs -> text or JSON) run without a kernel;
 * only nl.c talks to one.
 */
#ifndef _CTRACKCTL_H
#define _CTRACKCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <libmnl/libmnl.h>
#include "uapi/ctrack.h"

#define CTRACKCTL_VERSION	"0.1.0"
#define CT_IFNAMSIZ		16

/* Exit codes */
#define CT_EXIT_OK	0
#define CT_EXIT_ERR	1
#define CT_EXIT_USAGE	2

/* Which matches of a rule are present (struct ct_rule.present). */
enum {
	CT_M_FAMILY	= 1U << 0,
	CT_M_PROTO	= 1U << 1,
	CT_M_SADDR	= 1U << 2,
	CT_M_DADDR	= 1U << 3,
	CT_M_SPORT	= 1U << 4,
	CT_M_DPORT	= 1U << 5,
	CT_M_ICMP_TYPE	= 1U << 6,
	CT_M_IIFNAME	= 1U << 7,
	CT_M_OIFNAME	= 1U << 8,
	CT_M_CTSTATE	= 1U << 9,
	CT_M_HANDLE	= 1U << 10,	/* from dumps */
	CT_M_COUNTERS	= 1U << 11,	/* from dumps */
};

struct ct_rule {
	uint32_t present;
	uint8_t family;			/* NFPROTO_IPV4 / NFPROTO_IPV6 */
	uint8_t proto;
	uint8_t saddr[16], daddr[16];
	uint8_t sprefix, dprefix;
	uint16_t sport_min, sport_max, dport_min, dport_max;
	uint8_t icmp_type;
	char iifname[CT_IFNAMSIZ], oifname[CT_IFNAMSIZ];
	uint32_t ctstate;
	uint8_t verdict;
	uint32_t handle;
	uint64_t packets, bytes;
};

/* Which fields of a connection filter are present. */
enum {
	CT_F_FAMILY	= 1U << 0,
	CT_F_PROTO	= 1U << 1,
	CT_F_SRC	= 1U << 2,
	CT_F_DST	= 1U << 3,
	CT_F_SPORT	= 1U << 4,
	CT_F_DPORT	= 1U << 5,
	CT_F_STATE	= 1U << 6,
};

struct ct_filter {
	uint32_t present;
	uint8_t family, proto;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint8_t state;
};

/* Every chain of a ruleset, as `ruleset load` reads it. */
struct ct_ruleset {
	uint8_t policy[__CTRACK_HOOK_MAX];
	struct ct_rule *rules[__CTRACK_HOOK_MAX];
	unsigned int nrules[__CTRACK_HOOK_MAX];
	unsigned int alloc[__CTRACK_HOOK_MAX];
};

enum ct_op {
	CT_OP_NONE,
	CT_OP_HELP,		/* --help for an object: print and exit 0 */
	CT_OP_RULE_ADD,
	CT_OP_RULE_INSERT,
	CT_OP_RULE_DELETE,
	CT_OP_RULE_LIST,
	CT_OP_RULE_FLUSH,
	CT_OP_POLICY_SET,
	CT_OP_RULESET_LOAD,
	CT_OP_RULESET_SAVE,
	CT_OP_CONN_LIST,
	CT_OP_CONN_GET,
	CT_OP_CONN_DELETE,
	CT_OP_CONN_FLUSH,
	CT_OP_CONN_COUNT,
	CT_OP_EXPECT_LIST,
	CT_OP_EXPECT_FLUSH,
	CT_OP_STATS,
	CT_OP_MONITOR,
	CT_OP_TIMEOUT_LIST,
	CT_OP_TIMEOUT_SET,
	CT_OP_HELPER_LIST,
	CT_OP_HELPER_ADD,
	CT_OP_HELPER_DELETE,
	CT_OP_SETTING_LIST,
	CT_OP_SETTING_SET,
	CT_OP_VERSION,
};

/* Everything a command line says, before any netlink is involved. */
struct ct_cmd {
	enum ct_op op;
	const char *object;		/* for --help */
	int hook;			/* -1: none given */
	uint32_t handle;		/* RULE_DELETE */
	uint32_t position;		/* RULE_INSERT; 0: at the head */
	uint8_t policy;
	struct ct_rule rule;
	struct ct_filter filter;
	uint32_t timeout_class, seconds;
	char helper[16];		/* HELPER_ADD, HELPER_DELETE: its name */
	uint16_t helper_port;
	char setting[32];
	uint32_t value;
	uint32_t events;		/* monitor: mask of 1 << CTRACK_EVENT_* */
	const char *file;		/* ruleset load */
	struct ct_ruleset *ruleset;	/* ruleset load, after reading file */
};

struct ct_opts {
	bool json;
	bool numeric;
	bool dry_run;
};

/* names.c: spelling of every enum, both ways */
struct ct_name {
	const char *name;
	unsigned int val;
};
extern const struct ct_name ct_hook_names[];
extern const struct ct_name ct_verdict_names[];
extern const struct ct_name ct_ctstate_names[];
extern const struct ct_name ct_tcp_state_names[];
extern const struct ct_name ct_icmp_names[];
extern const struct ct_name ct_icmpv6_names[];
extern const struct ct_name ct_event_names[];
extern const struct ct_name ct_status_names[];
const char *ct_name_of(const struct ct_name *tab, unsigned int val);
int ct_name_lookup(const struct ct_name *tab, const char *name, unsigned int *val);
int ct_name_lookup_ci(const struct ct_name *tab, const char *name, unsigned int *val);
const char *ct_l3_name(uint8_t family);
const char *ct_l4_name(uint8_t proto);
int ct_proto_lookup(const char *s, uint8_t *proto);
/* Timeout classes: `tcp established`, `udp stream`, `icmp`... */
const char *ct_timeout_proto(unsigned int cls);
const char *ct_timeout_state(unsigned int cls);
int ct_timeout_lookup(const char *proto, const char *state, unsigned int *cls);
int ct_icmp_reply_type(uint8_t family, uint8_t type, uint8_t *reply);

/* parse.c */
/*
 * Parse errors carry a message in ct_errbuf. ct_parse_args() returns 0 or
 * CT_EXIT_USAGE; ct_parse_rule() returns 0 or -1.
 */
extern char ct_errbuf[256];
void ct_set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int ct_parse_args(int argc, char **argv, struct ct_cmd *cmd);
int ct_parse_rule(int argc, char **argv, struct ct_rule *r);
int ct_parse_filter(int argc, char **argv, struct ct_filter *f);
int ct_parse_policy(int argc, char **argv, int *hook, uint8_t *policy);
int ct_parse_addr(const char *s, uint8_t *family, uint8_t *addr, uint8_t *prefix,
		  bool prefix_ok);
int ct_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);
/* Reads a ruleset file (or stdin for "-"); errors name FILE:LINE. */
struct ct_ruleset *ct_ruleset_read(FILE *f, const char *name);
struct ct_ruleset *ct_ruleset_new(void);
int ct_ruleset_add(struct ct_ruleset *rs, int hook, const struct ct_rule *r);
void ct_ruleset_free(struct ct_ruleset *rs);

/* msg.c: struct -> attributes, and a decoder for --dry-run and tests */
struct nlmsghdr *ct_msg_start(void *buf, uint16_t family_id, uint8_t cmd,
			      uint16_t flags, uint32_t seq);
int ct_put_rule(struct nlmsghdr *nlh, size_t buflen, uint16_t type,
		const struct ct_rule *r);
void ct_put_filter(struct nlmsghdr *nlh, const struct ct_filter *f);
/* Builds the one request @cmd needs; returns NULL (and sets an error) if it cannot. */
struct nlmsghdr *ct_build_request(const struct ct_cmd *cmd, void *buf, size_t buflen,
				  uint16_t family_id, uint32_t seq);
int ct_cmd_of_op(enum ct_op op, bool *dump);
size_t ct_request_size(const struct ct_cmd *cmd);
void ct_msg_decode(FILE *out, const struct nlmsghdr *nlh);
const char *ct_cmd_name(unsigned int cmd);

/* print.c: attributes -> structs -> text */
struct ct_tuple {
	uint8_t family, proto;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;		/* ICMP: id, type << 8 | code */
};

struct ct_conn {
	struct ct_tuple orig;
	bool has_master;
	struct ct_tuple master;
	uint8_t state;
	bool has_state;
	uint32_t status;
	uint32_t timeout;
	bool has_acct;
	uint64_t packets[2], bytes[2];	/* [0] original, [1] reply direction */
	char helper[16];		/* "" if none */
};

struct ct_expect {
	struct ct_tuple tuple, master;
	bool has_master;
	uint32_t timeout;
	char helper[32];
};

struct ct_stats {
	uint32_t cpu;
	uint64_t v[__CTRACK_A_STATS_MAX];
};

int ct_rule_from_attr(const struct nlattr *nest, struct ct_rule *r);
int ct_conn_from_attr(const struct nlattr *nest, struct ct_conn *c);
int ct_expect_from_attr(const struct nlattr *nest, struct ct_expect *e);
int ct_stats_from_attr(const struct nlattr *nest, struct ct_stats *s);
int ct_tuple_from_attr(const struct nlattr *nest, struct ct_tuple *t);
void ct_tuple_invert(const struct ct_tuple *t, struct ct_tuple *r);
void ct_addr_str(uint8_t family, const uint8_t *addr, bool full, char *buf, size_t len);

void ct_print_rule(FILE *f, const struct ct_rule *r, bool numeric);
void ct_print_conn(FILE *f, const struct ct_conn *c, bool l3prefix);
void ct_print_expect(FILE *f, const struct ct_expect *e);
void ct_print_stats(FILE *f, const struct ct_stats *s);

/* A dump of the rules: which chains the kernel reported, and their rules. */
struct ct_chains {
	struct ct_ruleset *rs;
	bool seen[__CTRACK_HOOK_MAX];
	int only;	/* -1: every chain */
};
void ct_print_chains(FILE *f, const struct ct_chains *ch, bool save, bool numeric);

/* json.c */
struct ct_json {
	FILE *f;
	int depth;
	bool first[32];
};
void ct_json_init(struct ct_json *j, FILE *f);
void ct_json_open(struct ct_json *j, const char *key, char bracket);
void ct_json_close(struct ct_json *j, char bracket);
void ct_json_str(struct ct_json *j, const char *key, const char *val);
void ct_json_u64(struct ct_json *j, const char *key, uint64_t val);
void ct_json_bool(struct ct_json *j, const char *key, bool val);
void ct_json_rule(struct ct_json *j, const struct ct_rule *r, bool numeric);
void ct_json_conn(struct ct_json *j, const struct ct_conn *c, const char *key);
void ct_json_expect(struct ct_json *j, const struct ct_expect *e, const char *key);
void ct_json_stats(struct ct_json *j, const struct ct_stats *s);
void ct_json_chains(FILE *f, const struct ct_chains *ch, bool numeric);

/* reply.c: kernel replies -> output; one struct for every kind of request */
struct ct_reply {
	enum ct_op op;
	const struct ct_opts *o;
	FILE *out, *err;
	struct ct_json j;
	unsigned long count;		/* entries shown */
	struct ct_chains ch;		/* rule list, ruleset save */
	bool has_count, has_max, has_handle;
	uint32_t n, max, handle;
	uint32_t events;		/* monitor: mask of 1 << CTRACK_EVENT_* */
	uint64_t last_seq, lost;
};
int ct_reply_begin(struct ct_reply *r, enum ct_op op, const struct ct_opts *o, int hook,
		   FILE *out, FILE *err);
int ct_reply_msg(const struct nlmsghdr *nlh, void *data);
int ct_reply_finish(struct ct_reply *r);
void ct_reply_free(struct ct_reply *r);
int ct_reply_event(const struct nlmsghdr *nlh, void *data);
void ct_reply_lost(struct ct_reply *r, uint64_t from, uint64_t to);

/* nl.c */
struct ct_nl {
	struct mnl_socket *sk;
	uint16_t family_id;
	uint32_t mcgrp_events;
	uint32_t portid;
	uint32_t seq;
	bool dump_intr;
	char extack[256];
};
typedef int (*ct_msg_cb)(const struct nlmsghdr *nlh, void *data);
int ct_nl_open(struct ct_nl *nl);
void ct_nl_close(struct ct_nl *nl);
int ct_nl_talk(struct ct_nl *nl, struct nlmsghdr *nlh, ct_msg_cb cb, void *data);
int ct_nl_monitor(struct ct_nl *nl, const struct ct_opts *o, uint32_t events);
void ct_nl_perror(const struct ct_nl *nl, const char *what);

#endif /* _CTRACKCTL_H */
