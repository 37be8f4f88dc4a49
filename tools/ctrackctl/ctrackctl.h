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

#define CT_NAME_MAX	CTRACK_NAME_MAX
#define CT_INCLUDE_MAX	16	/* include depth */

/* Where a statement came from: file (or "<cmdline>"), line and column, 1-based. */
struct ct_src;
struct ct_loc {
	const struct ct_src *src;
	uint32_t line, col, off, len;
};

/* A value of a key's class: int (n), addr (b, 4 or 16 bytes) or name (b, a string). */
struct ct_val {
	uint32_t n;
	uint8_t b[16];
};

enum ct_keyclass { CT_CLASS_INT, CT_CLASS_ADDR4, CT_CLASS_ADDR6, CT_CLASS_NAME };

/* struct ct_elem.flags */
#define CT_E_PREFIX	0x01
#define CT_E_RANGE	0x02
#define CT_E_TIMEOUT	0x04
#define CT_E_EXPIRES	0x08
#define CT_E_VERDICT	0x10

struct ct_elem {
	struct ct_val val, to;
	uint8_t flags, prefix, verdict;
	uint32_t timeout, expires;
	char target[CT_NAME_MAX];
};

/* The one test of a match (struct ct_match.test). */
enum ct_test { CT_T_VALUE, CT_T_RANGE, CT_T_FLAGS, CT_T_ELEMS, CT_T_SET };

struct ct_match {
	uint8_t key, test;
	bool neg, has_mask, has_prefix;
	uint8_t prefix;
	uint32_t mask, flags;
	struct ct_val val, to;
	struct ct_elem *elems;
	unsigned int nelems;
	char set[CT_NAME_MAX];
};

#define CT_MATCH_MAX	32

struct ct_rule {
	struct ct_match *m;
	unsigned int nm;
	uint8_t verdict;
	char target[CT_NAME_MAX];
	bool has_reject_type, has_vmap, has_counts, has_handle;
	uint8_t reject_type, reject_code, vmap_key;
	struct ct_elem *velems;
	unsigned int nvelems;
	char comment[CTRACK_COMMENT_MAX];
	uint64_t packets, bytes;
	uint32_t handle;
	struct ct_loc loc;
};

struct ct_set {
	char name[CT_NAME_MAX];
	uint8_t type;
	uint32_t flags, timeout;
	bool has_timeout;
	struct ct_elem *elems;
	unsigned int n, cap;
	struct ct_loc loc;
};

struct ct_chain {
	char name[CT_NAME_MAX];
	bool base, has_policy;
	uint8_t hook, policy;
	int32_t prio;
	struct ct_rule *rules;
	unsigned int n, cap;
	struct ct_loc loc;
};

struct ct_table {
	uint8_t family;			/* NFPROTO_INET, _IPV4, _IPV6 */
	char name[CT_NAME_MAX];
	struct ct_set **sets;
	unsigned int nsets;
	struct ct_chain **chains;
	unsigned int nchains;
	struct ct_loc loc;
};

/* Tables in order, as a file declares them or a dump reports them. */
struct ct_ruleset {
	struct ct_table **tables;
	unsigned int n;
	void *parser;		/* keeps the sources the statements' locations point into */
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
	CT_OP_SET_ADD,
	CT_OP_SET_DELETE,
	CT_OP_SET_LIST,
	CT_OP_ELEM_ADD,
	CT_OP_ELEM_DELETE,
};

/* Everything a command line says, before any netlink is involved. */
struct ct_cmd {
	enum ct_op op;
	const char *object;		/* for --help */
	bool has_table, has_chain;	/* [FAMILY TABLE], CHAIN or SET name given */
	uint8_t family;
	char table[CT_NAME_MAX];
	char chain[CT_NAME_MAX];	/* chain, or the set of SET_* and ELEM_* */
	uint32_t handle;		/* RULE_DELETE */
	uint32_t position;		/* RULE_INSERT; 0: at the head */
	uint8_t policy;
	struct ct_rule rule;
	struct ct_set set;		/* SET_ADD, ELEM_ADD, ELEM_DELETE */
	int elem_argc;			/* ELEM_*: the element words, read again */
	char **elem_argv;		/* with the set's type from the kernel */
	struct ct_filter filter;
	uint32_t timeout_class, seconds;
	char helper[16];		/* HELPER_ADD, HELPER_DELETE: its name */
	uint16_t helper_port;
	char setting[32];
	uint32_t value;
	uint32_t events;		/* monitor: mask of 1 << CTRACK_EVENT_* */
	const char *file;		/* ruleset load */
	bool json_file;			/* ruleset load -j */
	bool check;			/* -c: CTRACK_A_CHECK */
	struct ct_ruleset *ruleset;	/* ruleset load, after reading file */
	struct ct_locmap *locs;		/* ruleset load: attribute offset -> statement */
};

struct ct_opts {
	bool json;
	bool numeric;
	bool dry_run;
	bool check;
	const char *incpath[16];	/* -I DIR */
	unsigned int nincpath;
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

/* Key descriptors (names.c): what a match reads and how its values look. */
struct ct_keydesc {
	uint8_t key;
	const char *name;	/* as nft prints it: "ip saddr", "tcp dport" */
	uint8_t cls;		/* enum ct_keyclass */
	uint8_t type;		/* enum ctrack_datatype of its values */
};
const struct ct_keydesc *ct_key_desc(unsigned int key);
uint8_t ct_type_class(uint8_t type);
extern const struct ct_name ct_type_names[];
extern const struct ct_name ct_tcpflag_names[];
extern const struct ct_name ct_icmp_code_names[];
extern const struct ct_name ct_icmpv6_code_names[];
extern const struct ct_name ct_icmpx_code_names[];
extern const struct ct_name ct_family_names[];
extern const struct ct_name ct_prio_names[];

/* parse.c */
/*
 * Parse errors carry a message in ct_errbuf. ct_parse_args() returns 0 or
 * CT_EXIT_USAGE.
 */
extern char ct_errbuf[4096];
void ct_set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int ct_parse_args(int argc, char **argv, struct ct_cmd *cmd);
/* A rule expression given as words (the command line): 0 or -1. */
int ct_parse_rule(int argc, char **argv, struct ct_rule *r);
int ct_parse_filter(int argc, char **argv, struct ct_filter *f);
/* ELEM_ADD, ELEM_DELETE: the elements again, as values of @type: 0 or -1. */
int ct_parse_elem_words(struct ct_cmd *c, uint8_t type);
int ct_parse_addr(const char *s, uint8_t *family, uint8_t *addr, uint8_t *prefix,
		  bool prefix_ok);
int ct_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);

/* lexer.c, expr.c, nftparse.c: the nft language */
struct ct_parser;
struct ct_parser *ct_parser_new(const char *const *incpath, unsigned int nincpath);
void ct_parser_free(struct ct_parser *p);
/* Adds text as a source; "<cmdline>" sources give one-line errors. */
int ct_parser_push_text(struct ct_parser *p, const char *name, const char *text, size_t len);
int ct_parser_push_file(struct ct_parser *p, const char *path, FILE *f);
/* On error: ct_errbuf holds the whole message (FILE:LINE:COL: error: ... and the caret lines). */
int ct_parse_rule_stmt(struct ct_parser *p, struct ct_rule *r);
int ct_parse_set_body(struct ct_parser *p, struct ct_set *s, bool elems_only);
int ct_parser_at_end(struct ct_parser *p);
const char *ct_parser_error(struct ct_parser *p);
/* A whole file (nft syntax and native lines); NULL with ct_errbuf on error. */
struct ct_ruleset *ct_ruleset_read(FILE *f, const char *name, const char *const *incpath,
				   unsigned int nincpath);
struct ct_ruleset *ct_ruleset_read_text(const char *text, const char *name);
void ct_loc_format(char *buf, size_t len, const struct ct_loc *loc, const char *msg);

/* ruleset.c: the model */
struct ct_ruleset *ct_ruleset_new(void);
void ct_ruleset_free(struct ct_ruleset *rs);
/* Jump targets exist in their table, are regular chains, make no loop: 0, or -1 and ct_errbuf. */
int ct_ruleset_check_jumps(const struct ct_ruleset *rs);
void ct_ruleset_clear(struct ct_ruleset *rs);
struct ct_table *ct_table_get(struct ct_ruleset *rs, uint8_t family, const char *name, bool create);
struct ct_chain *ct_chain_get(struct ct_table *t, const char *name, bool create);
struct ct_set *ct_set_get(struct ct_table *t, const char *name, bool create);
void ct_table_del(struct ct_ruleset *rs, struct ct_table *t);
int ct_chain_add_rule(struct ct_chain *c, struct ct_rule *r, bool head);
int ct_set_add_elem(struct ct_set *s, const struct ct_elem *e);
struct ct_match *ct_rule_add_match(struct ct_rule *r);
int ct_match_add_elem(struct ct_elem **arr, unsigned int *n, const struct ct_elem *e);
void ct_rule_free(struct ct_rule *r);
void ct_chain_flush(struct ct_chain *c);
void ct_set_free_elems(struct ct_set *s);
const char *ct_family_str(uint8_t family);

/* msg.c: struct -> attributes, and a decoder for --dry-run and tests */
struct ct_locmap {
	struct {
		uint32_t start, end;
		struct ct_loc loc;
	} *v;
	unsigned int n, cap;
};
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
const struct ct_loc *ct_locmap_find(const struct ct_locmap *m, uint32_t off);

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
int ct_set_from_attr(const struct nlattr *nest, struct ct_set *s);
int ct_elem_from_attr(const struct nlattr *nest, uint8_t cls, struct ct_elem *e);
int ct_conn_from_attr(const struct nlattr *nest, struct ct_conn *c);
int ct_expect_from_attr(const struct nlattr *nest, struct ct_expect *e);
int ct_stats_from_attr(const struct nlattr *nest, struct ct_stats *s);
int ct_tuple_from_attr(const struct nlattr *nest, struct ct_tuple *t);
void ct_tuple_invert(const struct ct_tuple *t, struct ct_tuple *r);
void ct_addr_str(uint8_t family, const uint8_t *addr, bool full, char *buf, size_t len);

void ct_print_conn(FILE *f, const struct ct_conn *c, bool l3prefix);
void ct_print_expect(FILE *f, const struct ct_expect *e);
void ct_print_stats(FILE *f, const struct ct_stats *s);

/* rprint.c: the rule set as nft prints it */
struct ct_print_opts {
	bool numeric;
	bool handles;		/* rule list: "# handle N" */
	bool save;		/* ruleset save: no counters' expiry, no handles */
};
void ct_print_rule(FILE *f, const struct ct_rule *r, bool numeric);
void ct_print_val(FILE *f, uint8_t type, const struct ct_val *v, bool numeric);
void ct_print_elem(FILE *f, uint8_t type, const struct ct_elem *e, bool numeric, bool save);
void ct_print_prio(FILE *f, int32_t prio);
void ct_print_timeout(FILE *f, uint32_t secs);
void ct_print_set(FILE *f, const struct ct_set *s, const struct ct_print_opts *o, const char *indent);
void ct_print_ruleset(FILE *f, const struct ct_ruleset *rs, const struct ct_print_opts *o);

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

void ct_json_conn(struct ct_json *j, const struct ct_conn *c, const char *key);
void ct_json_expect(struct ct_json *j, const struct ct_expect *e, const char *key);
void ct_json_stats(struct ct_json *j, const struct ct_stats *s);
void ct_json_ruleset(FILE *f, const struct ct_ruleset *rs, bool numeric);
/* jsonload.c: libnftables-json (nft -j list ruleset) -> rule set; NULL with ct_errbuf on error */
struct ct_ruleset *ct_ruleset_read_json(FILE *f, const char *name);

/* reply.c: kernel replies -> output; one struct for every kind of request */
struct ct_reply {
	enum ct_op op;
	const struct ct_opts *o;
	FILE *out, *err;
	struct ct_json j;
	unsigned long count;		/* entries shown */
	struct ct_ruleset *rs;		/* rule list, ruleset save, set list */
	bool has_count, has_max, has_handle;
	uint32_t n, max, handle;
	uint32_t events;		/* monitor: mask of 1 << CTRACK_EVENT_* */
	uint64_t last_seq, lost;
};
int ct_reply_begin(struct ct_reply *r, enum ct_op op, const struct ct_opts *o,
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
	bool has_bad_off;
	uint32_t bad_off;		/* NLMSGERR_ATTR_OFFS: the attribute the kernel refused */
};
typedef int (*ct_msg_cb)(const struct nlmsghdr *nlh, void *data);
int ct_nl_open(struct ct_nl *nl);
void ct_nl_close(struct ct_nl *nl);
int ct_nl_talk(struct ct_nl *nl, struct nlmsghdr *nlh, ct_msg_cb cb, void *data);
int ct_nl_monitor(struct ct_nl *nl, const struct ct_opts *o, uint32_t events);
void ct_nl_perror(const struct ct_nl *nl, const char *what);

#endif /* _CTRACKCTL_H */
