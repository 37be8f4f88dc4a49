// SPDX-License-Identifier: GPL-2.0
/* struct ct_cmd -> the one netlink request it needs, and a decoder for it. */
#include <string.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/netfilter.h>
#include "ctrackctl.h"

#define NLA_MAX_LEN	0xffff

struct nlmsghdr *ct_msg_start(void *buf, uint16_t family_id, uint8_t cmd,
			      uint16_t flags, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = family_id;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = CTRACK_GENL_VERSION;
	return nlh;
}

static size_t addr_len(uint8_t family)
{
	return family == NFPROTO_IPV6 ? 16 : 4;
}

/* Returns -1 if the rule does not fit in @buflen. */
int ct_put_rule(struct nlmsghdr *nlh, size_t buflen, uint16_t type, const struct ct_rule *r)
{
	struct nlattr *nest;
	size_t full = addr_len(r->family) * 8;

	/* A rule is at most ~120 bytes; check once, then put unchecked. */
	if (nlh->nlmsg_len + 256 > buflen)
		return -1;
	nest = mnl_attr_nest_start(nlh, type);
	if (r->present & CT_M_FAMILY)
		mnl_attr_put_u8(nlh, CTRACK_A_RULE_FAMILY, r->family);
	if (r->present & CT_M_PROTO)
		mnl_attr_put_u8(nlh, CTRACK_A_RULE_PROTO, r->proto);
	if (r->present & CT_M_SADDR) {
		mnl_attr_put(nlh, CTRACK_A_RULE_SADDR, addr_len(r->family), r->saddr);
		if (r->sprefix < full)
			mnl_attr_put_u8(nlh, CTRACK_A_RULE_SPREFIX, r->sprefix);
	}
	if (r->present & CT_M_DADDR) {
		mnl_attr_put(nlh, CTRACK_A_RULE_DADDR, addr_len(r->family), r->daddr);
		if (r->dprefix < full)
			mnl_attr_put_u8(nlh, CTRACK_A_RULE_DPREFIX, r->dprefix);
	}
	if (r->present & CT_M_SPORT) {
		mnl_attr_put_u16(nlh, CTRACK_A_RULE_SPORT_MIN, r->sport_min);
		if (r->sport_max != r->sport_min)
			mnl_attr_put_u16(nlh, CTRACK_A_RULE_SPORT_MAX, r->sport_max);
	}
	if (r->present & CT_M_DPORT) {
		mnl_attr_put_u16(nlh, CTRACK_A_RULE_DPORT_MIN, r->dport_min);
		if (r->dport_max != r->dport_min)
			mnl_attr_put_u16(nlh, CTRACK_A_RULE_DPORT_MAX, r->dport_max);
	}
	if (r->present & CT_M_ICMP_TYPE)
		mnl_attr_put_u8(nlh, CTRACK_A_RULE_ICMP_TYPE, r->icmp_type);
	if (r->present & CT_M_IIFNAME)
		mnl_attr_put_strz(nlh, CTRACK_A_RULE_IIFNAME, r->iifname);
	if (r->present & CT_M_OIFNAME)
		mnl_attr_put_strz(nlh, CTRACK_A_RULE_OIFNAME, r->oifname);
	if (r->present & CT_M_CTSTATE)
		mnl_attr_put_u32(nlh, CTRACK_A_RULE_CTSTATE, r->ctstate);
	mnl_attr_put_u8(nlh, CTRACK_A_RULE_VERDICT, r->verdict);
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

void ct_put_filter(struct nlmsghdr *nlh, const struct ct_filter *f)
{
	struct nlattr *nest;

	if (!f->present)
		return;
	nest = mnl_attr_nest_start(nlh, CTRACK_A_FILTER);
	if (f->present & CT_F_FAMILY)
		mnl_attr_put_u8(nlh, CTRACK_A_FILTER_FAMILY, f->family);
	if (f->present & CT_F_PROTO)
		mnl_attr_put_u8(nlh, CTRACK_A_FILTER_PROTO, f->proto);
	if (f->present & CT_F_SRC)
		mnl_attr_put(nlh, CTRACK_A_FILTER_SRC, addr_len(f->family), f->src);
	if (f->present & CT_F_DST)
		mnl_attr_put(nlh, CTRACK_A_FILTER_DST, addr_len(f->family), f->dst);
	if (f->present & CT_F_SPORT)
		mnl_attr_put_u16(nlh, CTRACK_A_FILTER_SPORT, f->sport);
	if (f->present & CT_F_DPORT)
		mnl_attr_put_u16(nlh, CTRACK_A_FILTER_DPORT, f->dport);
	if (f->present & CT_F_STATE)
		mnl_attr_put_u8(nlh, CTRACK_A_FILTER_STATE, f->state);
	mnl_attr_nest_end(nlh, nest);
}

/* The netlink command behind an operation; -1 for none (monitor, help). */
int ct_cmd_of_op(enum ct_op op, bool *dump)
{
	static const struct {
		enum ct_op op;
		int cmd;
		bool dump;
	} map[] = {
		{ CT_OP_RULE_ADD, CTRACK_CMD_RULE_ADD, false },
		{ CT_OP_RULE_INSERT, CTRACK_CMD_RULE_ADD, false },
		{ CT_OP_RULE_DELETE, CTRACK_CMD_RULE_DEL, false },
		{ CT_OP_RULE_LIST, CTRACK_CMD_RULE_GET, true },
		{ CT_OP_RULE_FLUSH, CTRACK_CMD_RULE_FLUSH, false },
		{ CT_OP_POLICY_SET, CTRACK_CMD_POLICY_SET, false },
		{ CT_OP_RULESET_LOAD, CTRACK_CMD_RULESET_LOAD, false },
		{ CT_OP_RULESET_SAVE, CTRACK_CMD_RULE_GET, true },
		{ CT_OP_CONN_LIST, CTRACK_CMD_CONN_GET, true },
		{ CT_OP_CONN_GET, CTRACK_CMD_CONN_GET, false },
		{ CT_OP_CONN_DELETE, CTRACK_CMD_CONN_DEL, false },
		{ CT_OP_CONN_FLUSH, CTRACK_CMD_CONN_FLUSH, false },
		{ CT_OP_CONN_COUNT, CTRACK_CMD_CONN_COUNT, false },
		{ CT_OP_EXPECT_LIST, CTRACK_CMD_EXPECT_GET, true },
		{ CT_OP_EXPECT_FLUSH, CTRACK_CMD_EXPECT_FLUSH, false },
		{ CT_OP_STATS, CTRACK_CMD_STATS_GET, true },
		{ CT_OP_TIMEOUT_LIST, CTRACK_CMD_TIMEOUT_GET, false },
		{ CT_OP_TIMEOUT_SET, CTRACK_CMD_TIMEOUT_SET, false },
		{ CT_OP_HELPER_LIST, CTRACK_CMD_HELPER_GET, false },
		{ CT_OP_HELPER_ADD, CTRACK_CMD_HELPER_ADD, false },
		{ CT_OP_HELPER_DELETE, CTRACK_CMD_HELPER_DEL, false },
		{ CT_OP_SETTING_LIST, CTRACK_CMD_SETTING_GET, false },
		{ CT_OP_SETTING_SET, CTRACK_CMD_SETTING_SET, false },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].op == op) {
			if (dump)
				*dump = map[i].dump;
			return map[i].cmd;
		}
	return -1;
}

size_t ct_request_size(const struct ct_cmd *c)
{
	size_t n = 8192;

	if (c->op == CT_OP_RULESET_LOAD && c->ruleset)
		for (int h = 0; h < __CTRACK_HOOK_MAX; h++)
			n += 256 * (size_t)c->ruleset->nrules[h] + 64;
	return n;
}

static int put_chain(struct nlmsghdr *nlh, size_t buflen, const struct ct_ruleset *rs, int h)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, CTRACK_A_CHAIN);

	mnl_attr_put_u8(nlh, CTRACK_A_HOOK, h);
	mnl_attr_put_u8(nlh, CTRACK_A_POLICY, rs->policy[h]);
	for (unsigned int i = 0; i < rs->nrules[h]; i++)
		if (ct_put_rule(nlh, buflen, CTRACK_A_RULE, &rs->rules[h][i])) {
			ct_set_error("ruleset too large for the request buffer");
			return -1;
		}
	/* nla_len is 16 bits: a bigger chain cannot be expressed in one nest. */
	if ((char *)mnl_nlmsg_get_payload_tail(nlh) - (char *)nest > NLA_MAX_LEN) {
		ct_set_error("chain %s: %u rules do not fit in one netlink attribute (64 KiB); split the ruleset",
			     ct_name_of(ct_hook_names, h), rs->nrules[h]);
		return -1;
	}
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

struct nlmsghdr *ct_build_request(const struct ct_cmd *c, void *buf, size_t buflen,
				  uint16_t family_id, uint32_t seq)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	bool dump;
	int cmd = ct_cmd_of_op(c->op, &dump);

	if (cmd < 0) {
		ct_set_error("no request for this command");
		return NULL;
	}
	nlh = ct_msg_start(buf, family_id, cmd, dump ? NLM_F_DUMP : NLM_F_ACK, seq);
	switch (c->op) {
	case CT_OP_RULE_ADD:
	case CT_OP_RULE_INSERT:
		mnl_attr_put_u8(nlh, CTRACK_A_HOOK, c->hook);
		if (c->op == CT_OP_RULE_INSERT) {
			if (c->position)
				mnl_attr_put_u32(nlh, CTRACK_A_POSITION, c->position);
			else
				mnl_attr_put(nlh, CTRACK_A_INSERT, 0, NULL);
		}
		if (ct_put_rule(nlh, buflen, CTRACK_A_RULE, &c->rule))
			return NULL;
		break;
	case CT_OP_RULE_DELETE:
		mnl_attr_put_u8(nlh, CTRACK_A_HOOK, c->hook);
		mnl_attr_put_u32(nlh, CTRACK_A_HANDLE, c->handle);
		break;
	case CT_OP_RULE_LIST:
	case CT_OP_RULE_FLUSH:
		if (c->hook >= 0)
			mnl_attr_put_u8(nlh, CTRACK_A_HOOK, c->hook);
		break;
	case CT_OP_POLICY_SET:
		mnl_attr_put_u8(nlh, CTRACK_A_HOOK, c->hook);
		mnl_attr_put_u8(nlh, CTRACK_A_POLICY, c->policy);
		break;
	case CT_OP_RULESET_LOAD:
		for (int h = 0; h < __CTRACK_HOOK_MAX; h++)
			if (put_chain(nlh, buflen, c->ruleset, h))
				return NULL;
		break;
	case CT_OP_CONN_LIST:
	case CT_OP_CONN_GET:
	case CT_OP_CONN_DELETE:
		ct_put_filter(nlh, &c->filter);
		break;
	case CT_OP_TIMEOUT_SET:
		nest = mnl_attr_nest_start(nlh, CTRACK_A_TIMEOUT);
		mnl_attr_put_u32(nlh, CTRACK_A_TIMEOUT_CLASS, c->timeout_class);
		mnl_attr_put_u32(nlh, CTRACK_A_TIMEOUT_SECONDS, c->seconds);
		mnl_attr_nest_end(nlh, nest);
		break;
	case CT_OP_HELPER_ADD:
	case CT_OP_HELPER_DELETE:
		nest = mnl_attr_nest_start(nlh, CTRACK_A_HELPER);
		mnl_attr_put_strz(nlh, CTRACK_A_HELPER_NAME, c->helper);
		mnl_attr_put_u16(nlh, CTRACK_A_HELPER_PORT, c->helper_port);
		mnl_attr_nest_end(nlh, nest);
		break;
	case CT_OP_SETTING_SET:
		nest = mnl_attr_nest_start(nlh, CTRACK_A_SETTING);
		mnl_attr_put_strz(nlh, CTRACK_A_SETTING_NAME, c->setting);
		mnl_attr_put_u32(nlh, CTRACK_A_SETTING_VALUE, c->value);
		mnl_attr_nest_end(nlh, nest);
		break;
	default:
		break;
	}
	return nlh;
}

/* ---- decoder: one line per message, for --dry-run and the host tests ---- */

enum kind { K_NONE, K_U8, K_U16, K_U32, K_U64, K_FLAG, K_ADDR, K_STR, K_NEST };

struct attr_desc {
	const char *name;
	enum kind kind;
	const struct attr_desc *nest;
	int nest_max;
};

#define A(n, k) { #n, K_##k, NULL, 0 }
#define N(n, set) { #n, K_NEST, set, sizeof(set) / sizeof(set[0]) - 1 }

static const struct attr_desc tuple_attrs[] = {
	A(UNSPEC, NONE), A(FAMILY, U8), A(PROTO, U8), A(SRC, ADDR), A(DST, ADDR),
	A(SPORT, U16), A(DPORT, U16),
};

static const struct attr_desc rule_attrs[] = {
	A(UNSPEC, NONE), A(HANDLE, U32), A(FAMILY, U8), A(PROTO, U8), A(SADDR, ADDR),
	A(SPREFIX, U8), A(DADDR, ADDR), A(DPREFIX, U8), A(SPORT_MIN, U16),
	A(SPORT_MAX, U16), A(DPORT_MIN, U16), A(DPORT_MAX, U16), A(ICMP_TYPE, U8),
	A(IIFNAME, STR), A(OIFNAME, STR), A(CTSTATE, U32), A(VERDICT, U8),
	A(PACKETS, U64), A(BYTES, U64), A(PAD, NONE),
};

static const struct attr_desc conn_attrs[] = {
	A(UNSPEC, NONE), N(ORIG, tuple_attrs), A(STATE, U8), A(STATUS, U32),
	A(TIMEOUT, U32), A(PACKETS_ORIG, U64), A(BYTES_ORIG, U64),
	A(PACKETS_REPLY, U64), A(BYTES_REPLY, U64), N(MASTER, tuple_attrs), A(PAD, NONE),
};

static const struct attr_desc filter_attrs[] = {
	A(UNSPEC, NONE), A(FAMILY, U8), A(PROTO, U8), A(SRC, ADDR), A(DST, ADDR),
	A(SPORT, U16), A(DPORT, U16), A(STATE, U8),
};

static const struct attr_desc expect_attrs[] = {
	A(UNSPEC, NONE), N(TUPLE, tuple_attrs), N(MASTER, tuple_attrs), A(TIMEOUT, U32),
	A(HELPER, STR),
};

static const struct attr_desc stats_attrs[] = {
	A(UNSPEC, NONE), A(CPU, U32), A(FOUND, U64), A(INVALID, U64), A(INSERT, U64),
	A(INSERT_FAILED, U64), A(DROP, U64), A(EARLY_DROP, U64), A(ERROR, U64),
	A(EXPECT_NEW, U64), A(EXPECT_CREATE, U64), A(EXPECT_DELETE, U64),
	A(SEARCH_RESTART, U64), A(CHAINTOOLONG, U64), A(PAD, NONE),
};

static const struct attr_desc timeout_attrs[] = {
	A(UNSPEC, NONE), A(CLASS, U32), A(SECONDS, U32),
};

static const struct attr_desc helper_attrs[] = {
	A(UNSPEC, NONE), A(NAME, STR), A(PORT, U16),
};

static const struct attr_desc setting_attrs[] = {
	A(UNSPEC, NONE), A(NAME, STR), A(VALUE, U32),
};

static const struct attr_desc top_attrs[];
#define TOP_MAX CTRACK_A_MAX

static const struct attr_desc top_attrs[] = {
	A(UNSPEC, NONE), A(HOOK, U8), A(HANDLE, U32), A(POSITION, U32), A(INSERT, FLAG),
	A(POLICY, U8), N(RULE, rule_attrs), { "CHAIN", K_NEST, top_attrs, TOP_MAX },
	N(CONN, conn_attrs), N(FILTER, filter_attrs), A(COUNT, U32), A(MAX_CONNS, U32),
	N(EXPECT, expect_attrs), N(STATS, stats_attrs), N(TIMEOUT, timeout_attrs),
	N(HELPER, helper_attrs), N(SETTING, setting_attrs), A(EVENT_TYPE, U8),
	A(EVENT_SEQ, U64), A(PAD, NONE),
};

static const char *const cmd_names[] = {
	"UNSPEC", "RULE_ADD", "RULE_DEL", "RULE_GET", "RULE_FLUSH", "POLICY_SET",
	"RULESET_LOAD", "CONN_GET", "CONN_DEL", "CONN_FLUSH", "CONN_COUNT",
	"EXPECT_GET", "EXPECT_FLUSH", "STATS_GET", "TIMEOUT_GET", "TIMEOUT_SET",
	"HELPER_GET", "HELPER_ADD", "HELPER_DEL", "SETTING_GET", "SETTING_SET", "EVENT",
};

const char *ct_cmd_name(unsigned int cmd)
{
	return cmd < sizeof(cmd_names) / sizeof(cmd_names[0]) ? cmd_names[cmd] : "?";
}

static void decode_attrs(FILE *out, const void *data, size_t len,
			 const struct attr_desc *set, int max)
{
	const struct nlattr *a;
	bool first = true;

	for (a = data; mnl_attr_ok(a, (int)((const char *)data + len - (const char *)a));
	     a = mnl_attr_next(a)) {
		uint16_t type = mnl_attr_get_type(a);
		uint16_t alen = mnl_attr_get_payload_len(a);
		const struct attr_desc *d = type <= max ? &set[type] : NULL;
		char buf[INET6_ADDRSTRLEN];

		fputs(first ? "" : " ", out);
		first = false;
		if (!d || d->kind == K_NONE) {
			fprintf(out, "#%u(%u)", type, alen);
			continue;
		}
		switch (d->kind) {
		case K_U8:
			if (alen == 1) {
				fprintf(out, "%s=%u", d->name, mnl_attr_get_u8(a));
				continue;
			}
			break;
		case K_U16:
			if (alen == 2) {
				fprintf(out, "%s=%u", d->name, mnl_attr_get_u16(a));
				continue;
			}
			break;
		case K_U32:
			if (alen == 4) {
				fprintf(out, "%s=%u", d->name, mnl_attr_get_u32(a));
				continue;
			}
			break;
		case K_U64:
			if (alen == 8) {
				fprintf(out, "%s=%llu", d->name,
					(unsigned long long)mnl_attr_get_u64(a));
				continue;
			}
			break;
		case K_FLAG:
			if (alen == 0) {
				fputs(d->name, out);
				continue;
			}
			break;
		case K_ADDR:
			if ((alen == 4 || alen == 16) &&
			    inet_ntop(alen == 4 ? AF_INET : AF_INET6,
				      mnl_attr_get_payload(a), buf, sizeof(buf))) {
				fprintf(out, "%s=%s", d->name, buf);
				continue;
			}
			break;
		case K_STR:
			if (alen && ((const char *)mnl_attr_get_payload(a))[alen - 1] == '\0') {
				fprintf(out, "%s=%s", d->name, mnl_attr_get_str(a));
				continue;
			}
			break;
		case K_NEST:
			fprintf(out, "%s{", d->name);
			decode_attrs(out, mnl_attr_get_payload(a), alen, d->nest, d->nest_max);
			fputc('}', out);
			continue;
		default:
			break;
		}
		fprintf(out, "%s(bad length %u)", d->name, alen);
	}
}

void ct_msg_decode(FILE *out, const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	size_t off = MNL_ALIGN(sizeof(*g));

	fputs(ct_cmd_name(g->cmd), out);
	if ((nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP)
		fputs(" dump", out);
	if (nlh->nlmsg_len > MNL_NLMSG_HDRLEN + off) {
		fputc(' ', out);
		decode_attrs(out, (const char *)g + off,
			     nlh->nlmsg_len - MNL_NLMSG_HDRLEN - off, top_attrs, TOP_MAX);
	}
	fputc('\n', out);
}
