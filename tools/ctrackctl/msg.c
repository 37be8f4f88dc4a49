// SPDX-License-Identifier: GPL-2.0
/* struct ct_cmd -> the one netlink request it needs, and a decoder for it. */
#include <ctype.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/netfilter.h>
#include <stdlib.h>

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

static void put_val(struct nlmsghdr *nlh, uint16_t type, uint8_t cls, const struct ct_val *v)
{
	switch (cls) {
	case CT_CLASS_ADDR4:
		mnl_attr_put(nlh, type, 4, v->b);
		break;
	case CT_CLASS_ADDR6:
		mnl_attr_put(nlh, type, 16, v->b);
		break;
	case CT_CLASS_NAME:
		mnl_attr_put_strz(nlh, type, (const char *)v->b);
		break;
	default:
		mnl_attr_put_u32(nlh, type, v->n);
	}
}

#define ELEM_MAX_SIZE	160	/* one ELEM nest, all attributes */

static void put_elem(struct nlmsghdr *nlh, uint16_t type, uint8_t cls, const struct ct_elem *e)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, type);

	put_val(nlh, CTRACK_A_ELEM_VALUE, cls, &e->val);
	if (e->flags & CT_E_PREFIX)
		mnl_attr_put_u8(nlh, CTRACK_A_ELEM_PREFIX, e->prefix);
	if (e->flags & CT_E_RANGE)
		put_val(nlh, CTRACK_A_ELEM_TO, cls, &e->to);
	if (e->flags & CT_E_TIMEOUT)
		mnl_attr_put_u32(nlh, CTRACK_A_ELEM_TIMEOUT, e->timeout);
	if (e->flags & CT_E_VERDICT) {
		mnl_attr_put_u8(nlh, CTRACK_A_ELEM_VERDICT, e->verdict);
		if (e->verdict == CTRACK_VERDICT_JUMP || e->verdict == CTRACK_VERDICT_GOTO)
			mnl_attr_put_strz(nlh, CTRACK_A_ELEM_TARGET, e->target);
	}
	mnl_attr_nest_end(nlh, n);
}

static size_t rule_size(const struct ct_rule *r)
{
	size_t n = 512;

	for (unsigned int i = 0; i < r->nm; i++)
		n += 128 + (size_t)r->m[i].nelems * ELEM_MAX_SIZE;
	return n + (size_t)r->nvelems * ELEM_MAX_SIZE;
}

/* Returns -1 (with an error) if the rule does not fit in @buflen or in one attribute. */
int ct_put_rule(struct nlmsghdr *nlh, size_t buflen, uint16_t type, const struct ct_rule *r)
{
	struct nlattr *nest;

	if (nlh->nlmsg_len + rule_size(r) > buflen) {
		ct_set_error("rule too large for the request buffer");
		return -1;
	}
	nest = mnl_attr_nest_start(nlh, type);
	for (unsigned int i = 0; i < r->nm; i++) {
		const struct ct_match *m = &r->m[i];
		const struct ct_keydesc *kd = ct_key_desc(m->key);
		struct nlattr *mn = mnl_attr_nest_start(nlh, CTRACK_A_RULE_MATCH);

		mnl_attr_put_u8(nlh, CTRACK_A_MATCH_KEY, m->key);
		if (m->neg)
			mnl_attr_put(nlh, CTRACK_A_MATCH_NEG, 0, NULL);
		switch (m->test) {
		case CT_T_VALUE:
			put_val(nlh, CTRACK_A_MATCH_VALUE, kd->cls, &m->val);
			if (m->has_mask)
				mnl_attr_put_u32(nlh, CTRACK_A_MATCH_MASK, m->mask);
			if (m->has_prefix)
				mnl_attr_put_u8(nlh, CTRACK_A_MATCH_PREFIX, m->prefix);
			break;
		case CT_T_RANGE:
			put_val(nlh, CTRACK_A_MATCH_FROM, kd->cls, &m->val);
			put_val(nlh, CTRACK_A_MATCH_TO, kd->cls, &m->to);
			break;
		case CT_T_FLAGS:
			mnl_attr_put_u32(nlh, CTRACK_A_MATCH_FLAGS, m->flags);
			break;
		case CT_T_ELEMS:
			for (unsigned int j = 0; j < m->nelems; j++)
				put_elem(nlh, CTRACK_A_MATCH_ELEM, kd->cls, &m->elems[j]);
			break;
		case CT_T_SET:
			mnl_attr_put_strz(nlh, CTRACK_A_MATCH_SET, m->set);
			break;
		}
		mnl_attr_nest_end(nlh, mn);
	}
	if (r->has_vmap) {
		struct nlattr *vn = mnl_attr_nest_start(nlh, CTRACK_A_RULE_VMAP);
		uint8_t cls = ct_key_desc(r->vmap_key)->cls;

		mnl_attr_put_u8(nlh, CTRACK_A_VMAP_KEY, r->vmap_key);
		for (unsigned int j = 0; j < r->nvelems; j++)
			put_elem(nlh, CTRACK_A_VMAP_ELEM, cls, &r->velems[j]);
		mnl_attr_nest_end(nlh, vn);
	} else if (r->verdict != CTRACK_VERDICT_CONTINUE) {
		mnl_attr_put_u8(nlh, CTRACK_A_RULE_VERDICT, r->verdict);
		if (r->verdict == CTRACK_VERDICT_JUMP || r->verdict == CTRACK_VERDICT_GOTO)
			mnl_attr_put_strz(nlh, CTRACK_A_RULE_TARGET, r->target);
		if (r->has_reject_type) {
			mnl_attr_put_u8(nlh, CTRACK_A_RULE_REJECT_TYPE, r->reject_type);
			if (r->reject_type != CTRACK_REJECT_TCP_RST)
				mnl_attr_put_u8(nlh, CTRACK_A_RULE_REJECT_CODE, r->reject_code);
		}
	}
	if (r->comment[0])
		mnl_attr_put_strz(nlh, CTRACK_A_RULE_COMMENT, r->comment);
	if (r->has_counts) {
		mnl_attr_put_u64(nlh, CTRACK_A_RULE_PACKETS, r->packets);
		mnl_attr_put_u64(nlh, CTRACK_A_RULE_BYTES, r->bytes);
	}
	if ((char *)mnl_nlmsg_get_payload_tail(nlh) - (char *)nest > NLA_MAX_LEN) {
		ct_set_error("a rule of more than 64 KiB (split its set into a named set)");
		return -1;
	}
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
		{ CT_OP_SET_ADD, CTRACK_CMD_SET_ADD, false },
		{ CT_OP_SET_DELETE, CTRACK_CMD_SET_DEL, false },
		{ CT_OP_SET_LIST, CTRACK_CMD_SET_GET, true },
		{ CT_OP_ELEM_ADD, CTRACK_CMD_ELEM_ADD, false },
		{ CT_OP_ELEM_DELETE, CTRACK_CMD_ELEM_DEL, false },
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

static size_t set_size(const struct ct_set *s)
{
	/* a SET header per 64 KiB chunk, plus the elements */
	return 256 + (size_t)s->n * ELEM_MAX_SIZE + ((size_t)s->n / 300 + 1) * 128;
}

size_t ct_request_size(const struct ct_cmd *c)
{
	size_t n = 8192 + rule_size(&c->rule) + set_size(&c->set);
	const struct ct_ruleset *rs = c->ruleset;

	for (unsigned int t = 0; rs && t < rs->n; t++) {
		n += 256;
		for (unsigned int i = 0; i < rs->tables[t]->nsets; i++)
			n += set_size(rs->tables[t]->sets[i]);
		for (unsigned int i = 0; i < rs->tables[t]->nchains; i++) {
			const struct ct_chain *ch = rs->tables[t]->chains[i];

			n += 256;
			for (unsigned int j = 0; j < ch->n; j++)
				n += rule_size(&ch->rules[j]);
		}
	}
	return n;
}

static void put_table(struct nlmsghdr *nlh, uint8_t family, const char *name)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, CTRACK_A_TABLE);

	mnl_attr_put_u8(nlh, CTRACK_A_TABLE_FAMILY, family);
	mnl_attr_put_strz(nlh, CTRACK_A_TABLE_NAME, name);
	mnl_attr_nest_end(nlh, n);
}

static void put_chain(struct nlmsghdr *nlh, const struct ct_chain *c, bool name_only)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, CTRACK_A_CHAIN);

	mnl_attr_put_strz(nlh, CTRACK_A_CHAIN_NAME, c->name);
	if (!name_only && c->base) {
		mnl_attr_put_u8(nlh, CTRACK_A_CHAIN_HOOK, c->hook);
		mnl_attr_put_u32(nlh, CTRACK_A_CHAIN_PRIORITY, (uint32_t)c->prio);
		mnl_attr_put_u8(nlh, CTRACK_A_CHAIN_POLICY, c->policy);
	}
	mnl_attr_nest_end(nlh, n);
}

static void loc_add(struct ct_locmap *m, uint32_t start, uint32_t end, const struct ct_loc *loc)
{
	if (!m || !loc->src)
		return;
	if (m->n == m->cap) {
		unsigned int n = m->cap ? m->cap * 2 : 64;
		void *v = realloc(m->v, n * sizeof(*m->v));

		if (!v)
			return;
		m->v = v;
		m->cap = n;
	}
	m->v[m->n].start = start;
	m->v[m->n].end = end;
	m->v[m->n].loc = *loc;
	m->n++;
}

/* The innermost statement whose attribute holds byte @off of the request. */
const struct ct_loc *ct_locmap_find(const struct ct_locmap *m, uint32_t off)
{
	const struct ct_loc *best = NULL;
	uint32_t len = UINT32_MAX;

	for (unsigned int i = 0; m && i < m->n; i++)
		if (off >= m->v[i].start && off < m->v[i].end && m->v[i].end - m->v[i].start < len) {
			best = &m->v[i].loc;
			len = m->v[i].end - m->v[i].start;
		}
	return best;
}

/*
 * A set: one SET attribute with NAME, TYPE, FLAGS, TIMEOUT and as many
 * ELEMs as fit in 64 KiB, then SETs with NAME and more ELEMs. With
 * @header false (ELEM_ADD, ELEM_DEL) only NAME and the elements, in one nest.
 */
static int put_set(struct nlmsghdr *nlh, const struct ct_set *s, bool header, bool chunks,
		   struct ct_locmap *locs)
{
	unsigned int i = 0;
	uint8_t cls = ct_type_class(s->type);

	do {
		uint32_t start = nlh->nlmsg_len;
		struct nlattr *n = mnl_attr_nest_start(nlh, CTRACK_A_SET);

		mnl_attr_put_strz(nlh, CTRACK_A_SET_NAME, s->name);
		if (header && i == 0) {
			if (s->type)
				mnl_attr_put_u8(nlh, CTRACK_A_SET_TYPE, s->type);
			if (s->flags)
				mnl_attr_put_u32(nlh, CTRACK_A_SET_FLAGS, s->flags);
			if (s->has_timeout)
				mnl_attr_put_u32(nlh, CTRACK_A_SET_TIMEOUT, s->timeout);
		}
		for (; i < s->n; i++) {
			if ((char *)mnl_nlmsg_get_payload_tail(nlh) - (char *)n + ELEM_MAX_SIZE >
			    NLA_MAX_LEN) {
				if (!chunks) {
					ct_set_error("set %s: too many elements for one request", s->name);
					return -1;
				}
				break;
			}
			put_elem(nlh, CTRACK_A_SET_ELEM, cls, &s->elems[i]);
		}
		mnl_attr_nest_end(nlh, n);
		loc_add(locs, start, nlh->nlmsg_len, &s->loc);
	} while (i < s->n);
	return 0;
}

static int put_ruleset(struct nlmsghdr *nlh, size_t buflen, const struct ct_ruleset *rs,
		       struct ct_locmap *locs)
{
	for (unsigned int t = 0; t < rs->n; t++) {
		const struct ct_table *tb = rs->tables[t];
		uint32_t start = nlh->nlmsg_len;

		put_table(nlh, tb->family, tb->name);
		loc_add(locs, start, nlh->nlmsg_len, &tb->loc);
		for (unsigned int i = 0; i < tb->nsets; i++)
			if (put_set(nlh, tb->sets[i], true, true, locs))
				return -1;
		for (unsigned int i = 0; i < tb->nchains; i++) {
			const struct ct_chain *c = tb->chains[i];

			start = nlh->nlmsg_len;
			put_chain(nlh, c, false);
			loc_add(locs, start, nlh->nlmsg_len, &c->loc);
			for (unsigned int j = 0; j < c->n; j++) {
				start = nlh->nlmsg_len;
				if (ct_put_rule(nlh, buflen, CTRACK_A_RULE, &c->rules[j])) {
					char msg[sizeof(ct_errbuf)];

					snprintf(msg, sizeof(msg), "%s", ct_errbuf);
					ct_loc_format(ct_errbuf, sizeof(ct_errbuf), &c->rules[j].loc, msg);
					return -1;
				}
				loc_add(locs, start, nlh->nlmsg_len, &c->rules[j].loc);
			}
		}
	}
	return 0;
}

static void put_target(struct nlmsghdr *nlh, const struct ct_cmd *c, bool chain)
{
	if (c->has_table)
		put_table(nlh, c->family, c->table);
	if (chain && c->has_chain) {
		struct nlattr *n = mnl_attr_nest_start(nlh, CTRACK_A_CHAIN);

		mnl_attr_put_strz(nlh, CTRACK_A_CHAIN_NAME, c->chain);
		if (c->op == CT_OP_POLICY_SET)
			mnl_attr_put_u8(nlh, CTRACK_A_CHAIN_POLICY, c->policy);
		mnl_attr_nest_end(nlh, n);
	}
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
		put_target(nlh, c, true);
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
		put_target(nlh, c, true);
		mnl_attr_put_u32(nlh, CTRACK_A_HANDLE, c->handle);
		break;
	case CT_OP_RULE_LIST:
	case CT_OP_RULE_FLUSH:
	case CT_OP_POLICY_SET:
		put_target(nlh, c, true);
		break;
	case CT_OP_RULESET_LOAD:
		if (c->check)
			mnl_attr_put(nlh, CTRACK_A_CHECK, 0, NULL);
		if (put_ruleset(nlh, buflen, c->ruleset, c->locs))
			return NULL;
		break;
	case CT_OP_SET_ADD:
		put_target(nlh, c, false);
		if (put_set(nlh, &c->set, true, false, NULL))
			return NULL;
		break;
	case CT_OP_SET_DELETE:
	case CT_OP_SET_LIST:
	case CT_OP_ELEM_ADD:
	case CT_OP_ELEM_DELETE:
		put_target(nlh, c, false);
		if (c->has_chain && put_set(nlh, &c->set, false, false, NULL))
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

enum kind { K_NONE, K_U8, K_U16, K_U32, K_S32, K_U64, K_FLAG, K_ADDR, K_STR, K_NEST, K_VAL };

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

static const struct attr_desc elem_attrs[] = {
	A(UNSPEC, NONE), A(VALUE, VAL), A(PREFIX, U8), A(TO, VAL), A(TIMEOUT, U32),
	A(EXPIRES, U32), A(VERDICT, U8), A(TARGET, STR),
};

static const struct attr_desc match_attrs[] = {
	A(UNSPEC, NONE), A(KEY, U8), A(NEG, FLAG), A(VALUE, VAL), A(MASK, U32), A(PREFIX, U8),
	A(FROM, VAL), A(TO, VAL), A(FLAGS, U32), N(ELEM, elem_attrs), A(SET, STR),
};

static const struct attr_desc vmap_attrs[] = {
	A(UNSPEC, NONE), A(KEY, U8), N(ELEM, elem_attrs),
};

static const struct attr_desc rule_attrs[] = {
	A(UNSPEC, NONE), A(HANDLE, U32), N(MATCH, match_attrs), A(VERDICT, U8), A(TARGET, STR),
	A(REJECT_TYPE, U8), A(REJECT_CODE, U8), N(VMAP, vmap_attrs), A(COMMENT, STR),
	A(PACKETS, U64), A(BYTES, U64), A(PAD, NONE),
};

static const struct attr_desc table_attrs[] = {
	A(UNSPEC, NONE), A(FAMILY, U8), A(NAME, STR),
};

static const struct attr_desc chain_attrs[] = {
	A(UNSPEC, NONE), A(NAME, STR), A(HOOK, U8), A(PRIORITY, S32), A(POLICY, U8),
};

static const struct attr_desc set_attrs[] = {
	A(UNSPEC, NONE), A(NAME, STR), A(TYPE, U8), A(FLAGS, U32), A(TIMEOUT, U32),
	N(ELEM, elem_attrs), A(COUNT, U32),
};

static const struct attr_desc conn_attrs[] = {
	A(UNSPEC, NONE), N(ORIG, tuple_attrs), A(STATE, U8), A(STATUS, U32),
	A(TIMEOUT, U32), A(PACKETS_ORIG, U64), A(BYTES_ORIG, U64),
	A(PACKETS_REPLY, U64), A(BYTES_REPLY, U64), N(MASTER, tuple_attrs), A(PAD, NONE),
	A(HELPER, STR),
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

#define TOP_MAX CTRACK_A_MAX

static const struct attr_desc top_attrs[] = {
	A(UNSPEC, NONE), N(TABLE, table_attrs), A(HANDLE, U32), A(POSITION, U32),
	A(INSERT, FLAG), A(CHECK, FLAG), N(RULE, rule_attrs), N(CHAIN, chain_attrs),
	N(CONN, conn_attrs), N(FILTER, filter_attrs), A(COUNT, U32), A(MAX_CONNS, U32),
	N(EXPECT, expect_attrs), N(STATS, stats_attrs), N(TIMEOUT, timeout_attrs),
	N(HELPER, helper_attrs), N(SETTING, setting_attrs), A(EVENT_TYPE, U8),
	A(EVENT_SEQ, U64), A(PAD, NONE), N(SET, set_attrs),
};

static const char *const cmd_names[] = {
	"UNSPEC", "RULE_ADD", "RULE_DEL", "RULE_GET", "RULE_FLUSH", "POLICY_SET",
	"RULESET_LOAD", "CONN_GET", "CONN_DEL", "CONN_FLUSH", "CONN_COUNT",
	"EXPECT_GET", "EXPECT_FLUSH", "STATS_GET", "TIMEOUT_GET", "TIMEOUT_SET",
	"HELPER_GET", "HELPER_ADD", "HELPER_DEL", "SETTING_GET", "SETTING_SET", "EVENT",
	"SET_ADD", "SET_DEL", "SET_GET", "ELEM_ADD", "ELEM_DEL",
};

const char *ct_cmd_name(unsigned int cmd)
{
	return cmd < sizeof(cmd_names) / sizeof(cmd_names[0]) ? cmd_names[cmd] : "?";
}

/* The class of a nest's values: from its KEY (MATCH, VMAP) or TYPE (SET); -1 unknown. */
static int nest_class(const void *data, size_t len, const struct attr_desc *set, int cls)
{
	const struct nlattr *a;

	for (a = data; mnl_attr_ok(a, (int)((const char *)data + len - (const char *)a));
	     a = mnl_attr_next(a)) {
		const struct ct_keydesc *kd;

		if (mnl_attr_get_payload_len(a) != 1)
			continue;
		if ((set == match_attrs || set == vmap_attrs) && mnl_attr_get_type(a) == 1 &&
		    (kd = ct_key_desc(mnl_attr_get_u8(a))))
			return kd->cls;
		if (set == set_attrs && mnl_attr_get_type(a) == CTRACK_A_SET_TYPE)
			return ct_type_class(mnl_attr_get_u8(a));
	}
	return cls;
}

/*
 * For the decoder only: a printable NUL-terminated string is a name, 16
 * bytes an IPv6 address, 4 bytes a number below 65536 (ports, types) or
 * else an IPv4 address.
 */
static int guess_class(const char *p, uint16_t alen)
{
	uint16_t i;
	uint32_t v;

	for (i = 0; i + 1 < alen && isprint((unsigned char)p[i]); i++)
		;
	if (alen > 1 && i + 1 == alen && !p[i])
		return CT_CLASS_NAME;
	if (alen == 16)
		return CT_CLASS_ADDR6;
	if (alen != 4)
		return CT_CLASS_INT;
	memcpy(&v, p, 4);
	return v < 65536 ? CT_CLASS_INT : CT_CLASS_ADDR4;
}

static void decode_attrs(FILE *out, const void *data, size_t len,
			 const struct attr_desc *set, int max, int cls)
{
	const struct nlattr *a;
	bool first = true;

	cls = nest_class(data, len, set, cls);

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
		case K_S32:
			if (alen == 4) {
				fprintf(out, "%s=%d", d->name, (int32_t)mnl_attr_get_u32(a));
				continue;
			}
			break;
		case K_VAL: {
			const char *p = mnl_attr_get_payload(a);
			int c = cls;

			if (c < 0)	/* no type at hand (ELEM_ADD, a continued SET): guess */
				c = guess_class(p, alen);
			if (c == CT_CLASS_INT && alen == 4) {
				fprintf(out, "%s=%u", d->name, mnl_attr_get_u32(a));
				continue;
			}
			if ((c == CT_CLASS_ADDR4 && alen == 4) || (c == CT_CLASS_ADDR6 && alen == 16)) {
				inet_ntop(alen == 4 ? AF_INET : AF_INET6, p, buf, sizeof(buf));
				fprintf(out, "%s=%s", d->name, buf);
				continue;
			}
			if (c == CT_CLASS_NAME && alen && !p[alen - 1]) {
				fprintf(out, "%s=%s", d->name, p);
				continue;
			}
			break;
		}
		case K_NEST:
			fprintf(out, "%s{", d->name);
			decode_attrs(out, mnl_attr_get_payload(a), alen, d->nest, d->nest_max, cls);
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
			     nlh->nlmsg_len - MNL_NLMSG_HDRLEN - off, top_attrs, TOP_MAX, -1);
	}
	fputc('\n', out);
}
