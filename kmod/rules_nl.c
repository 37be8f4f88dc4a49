// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink side of rules and sets: parsing tables, chains, sets,
 * elements, matches and rules into drafts of the rule set (rules.c), and
 * dumping them back in the form they came in.
 *
 * Every error names the attribute at fault, so that the tool can point
 * at the line of the file it came from. A change runs under cfg_lock
 * from the draft to its publication: names (chains, sets, jump targets)
 * are resolved against the very set that will be replaced.
 */
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "netns.h"
#include "rules.h"
#include "rules_nl.h"
#include "set.h"

#define NAME_POLICY	{ .type = NLA_STRING, .len = CTRACK_NAME_MAX - 1 }
#define VALUE_POLICY	NLA_POLICY_RANGE(NLA_BINARY, 1, IFNAMSIZ)
#define CTSTATE_MASK	(CTRACK_CTSTATE_BIT(__CTRACK_CTSTATE_MAX) - 1)
#define SET_FLAGS	(CTRACK_SET_F_INTERVAL | CTRACK_SET_F_TIMEOUT | CTRACK_SET_F_CONSTANT)

static const struct nla_policy table_policy[CTRACK_A_TABLE_MAX + 1] = {
	[CTRACK_A_TABLE_FAMILY]		= { .type = NLA_U8 },
	[CTRACK_A_TABLE_NAME]		= NAME_POLICY,
};

static const struct nla_policy chain_policy[CTRACK_A_CHAIN_MAX + 1] = {
	[CTRACK_A_CHAIN_NAME]		= NAME_POLICY,
	[CTRACK_A_CHAIN_HOOK]		= NLA_POLICY_MAX(NLA_U8, __CTRACK_HOOK_MAX - 1),
	[CTRACK_A_CHAIN_PRIORITY]	= { .type = NLA_S32 },
	[CTRACK_A_CHAIN_POLICY]		= NLA_POLICY_RANGE(NLA_U8, CTRACK_VERDICT_ACCEPT,
							   CTRACK_VERDICT_DROP),
};

static const struct nla_policy elem_policy[CTRACK_A_ELEM_MAX + 1] = {
	[CTRACK_A_ELEM_VALUE]		= VALUE_POLICY,
	[CTRACK_A_ELEM_PREFIX]		= NLA_POLICY_MAX(NLA_U8, 128),
	[CTRACK_A_ELEM_TO]		= VALUE_POLICY,
	[CTRACK_A_ELEM_TIMEOUT]		= { .type = NLA_U32 },
	[CTRACK_A_ELEM_VERDICT]		= NLA_POLICY_MAX(NLA_U8, __CTRACK_VERDICT_MAX - 1),
	[CTRACK_A_ELEM_TARGET]		= NAME_POLICY,
};

static const struct nla_policy set_policy[CTRACK_A_SET_MAX + 1] = {
	[CTRACK_A_SET_NAME]		= NAME_POLICY,
	[CTRACK_A_SET_TYPE]		= NLA_POLICY_RANGE(NLA_U8, 1, __CTRACK_TYPE_MAX - 1),
	[CTRACK_A_SET_FLAGS]		= NLA_POLICY_MASK(NLA_U32, SET_FLAGS),
	[CTRACK_A_SET_TIMEOUT]		= { .type = NLA_U32 },
	[CTRACK_A_SET_ELEM]		= NLA_POLICY_NESTED(elem_policy),
};

static const struct nla_policy match_policy[CTRACK_A_MATCH_MAX + 1] = {
	[CTRACK_A_MATCH_KEY]		= NLA_POLICY_RANGE(NLA_U8, 1, __CTRACK_KEY_MAX - 1),
	[CTRACK_A_MATCH_NEG]		= { .type = NLA_FLAG },
	[CTRACK_A_MATCH_VALUE]		= VALUE_POLICY,
	[CTRACK_A_MATCH_MASK]		= { .type = NLA_U32 },
	[CTRACK_A_MATCH_PREFIX]		= NLA_POLICY_MAX(NLA_U8, 128),
	[CTRACK_A_MATCH_FROM]		= VALUE_POLICY,
	[CTRACK_A_MATCH_TO]		= VALUE_POLICY,
	[CTRACK_A_MATCH_FLAGS]		= NLA_POLICY_MIN(NLA_U32, 1),
	[CTRACK_A_MATCH_ELEM]		= NLA_POLICY_NESTED(elem_policy),
	[CTRACK_A_MATCH_SET]		= NAME_POLICY,
};

static const struct nla_policy vmap_policy[CTRACK_A_VMAP_MAX + 1] = {
	[CTRACK_A_VMAP_KEY]		= NLA_POLICY_RANGE(NLA_U8, 1, __CTRACK_KEY_MAX - 1),
	[CTRACK_A_VMAP_ELEM]		= NLA_POLICY_NESTED(elem_policy),
};

static const struct nla_policy rule_policy[CTRACK_A_RULE_MAX + 1] = {
	[CTRACK_A_RULE_MATCH]		= NLA_POLICY_NESTED(match_policy),
	[CTRACK_A_RULE_VERDICT]		= NLA_POLICY_MAX(NLA_U8, __CTRACK_VERDICT_MAX - 1),
	[CTRACK_A_RULE_TARGET]		= NAME_POLICY,
	[CTRACK_A_RULE_REJECT_TYPE]	= NLA_POLICY_MAX(NLA_U8, __CTRACK_REJECT_MAX - 1),
	[CTRACK_A_RULE_REJECT_CODE]	= { .type = NLA_U8 },
	[CTRACK_A_RULE_VMAP]		= NLA_POLICY_NESTED(vmap_policy),
	[CTRACK_A_RULE_COMMENT]		= { .type = NLA_STRING, .len = CTRACK_COMMENT_MAX - 1 },
	[CTRACK_A_RULE_PACKETS]		= { .type = NLA_U64 },
	[CTRACK_A_RULE_BYTES]		= { .type = NLA_U64 },
};

const struct nla_policy ct_rule_add_policy[CTRACK_A_MAX + 1] = {
	[CTRACK_A_TABLE]	= NLA_POLICY_NESTED(table_policy),
	[CTRACK_A_CHAIN]	= NLA_POLICY_NESTED(chain_policy),
	[CTRACK_A_RULE]		= NLA_POLICY_NESTED(rule_policy),
	[CTRACK_A_POSITION]	= { .type = NLA_U32 },
	[CTRACK_A_INSERT]	= { .type = NLA_FLAG },
};

const struct nla_policy ct_rule_del_policy[CTRACK_A_MAX + 1] = {
	[CTRACK_A_TABLE]	= NLA_POLICY_NESTED(table_policy),
	[CTRACK_A_CHAIN]	= NLA_POLICY_NESTED(chain_policy),
	[CTRACK_A_HANDLE]	= { .type = NLA_U32 },
};

/* RULE_GET, RULE_FLUSH, POLICY_SET */
const struct nla_policy ct_rule_get_policy[CTRACK_A_MAX + 1] = {
	[CTRACK_A_TABLE]	= NLA_POLICY_NESTED(table_policy),
	[CTRACK_A_CHAIN]	= NLA_POLICY_NESTED(chain_policy),
};

const struct nla_policy ct_ruleset_load_policy[CTRACK_A_MAX + 1] = {
	[CTRACK_A_TABLE]	= NLA_POLICY_NESTED(table_policy),
	[CTRACK_A_CHAIN]	= NLA_POLICY_NESTED(chain_policy),
	[CTRACK_A_SET]		= NLA_POLICY_NESTED(set_policy),
	[CTRACK_A_RULE]		= NLA_POLICY_NESTED(rule_policy),
	[CTRACK_A_CHECK]	= { .type = NLA_FLAG },
};

/* SET_ADD, SET_DEL, SET_GET, ELEM_ADD, ELEM_DEL */
const struct nla_policy ct_set_cmd_policy[CTRACK_A_MAX + 1] = {
	[CTRACK_A_TABLE]	= NLA_POLICY_NESTED(table_policy),
	[CTRACK_A_SET]		= NLA_POLICY_NESTED(set_policy),
};

/* NL_SET_ERR_MSG_ATTR() takes literals; ct_errf() has set its own. */
static void bad_attr(struct netlink_ext_ack *extack, const struct nlattr *at)
{
	if (extack && !extack->bad_attr)
		extack->bad_attr = at;
}

static struct ct_net *info_cn(struct genl_info *info)
{
	return ct_net(genl_info_net(info));
}

/* Names and objects. */

static int get_name(const struct nlattr *nla, char *name, struct netlink_ext_ack *extack)
{
	if (nla_strscpy(name, nla, CTRACK_NAME_MAX) <= 0) {
		NL_SET_ERR_MSG_ATTR(extack, nla, "empty name");
		return -EINVAL;
	}
	return 0;
}

static int parse_table(const struct nlattr *nest, u8 *family, char *name,
		       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CTRACK_A_TABLE_MAX + 1];
	int ret;

	ret = nla_parse_nested(tb, CTRACK_A_TABLE_MAX, nest, table_policy, extack);
	if (ret)
		return ret;
	if (!tb[CTRACK_A_TABLE_FAMILY] || !tb[CTRACK_A_TABLE_NAME]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "a table needs a family and a name");
		return -EINVAL;
	}
	*family = nla_get_u8(tb[CTRACK_A_TABLE_FAMILY]);
	if (*family != NFPROTO_INET && *family != NFPROTO_IPV4 &&
	    *family != NFPROTO_IPV6) {
		NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_TABLE_FAMILY],
				    "table family must be inet (1), ip (2) or ip6 (10)");
		return -EINVAL;
	}
	return get_name(tb[CTRACK_A_TABLE_NAME], name, extack);
}

/* The table @nest names in @rs, or -1 without @nest. */
static int find_table(const struct ct_ruleset *rs, const struct nlattr *nest,
		      int *ti, struct netlink_ext_ack *extack)
{
	char name[CTRACK_NAME_MAX];
	u8 family;
	int ret;

	*ti = -1;
	if (!nest)
		return 0;
	ret = parse_table(nest, &family, name, extack);
	if (ret)
		return ret;
	if (!ct_table_find(rs, family, name, ti)) {
		ct_errf(extack, "no table %s %s", family == NFPROTO_IPV4 ? "ip" :
			family == NFPROTO_IPV6 ? "ip6" : "inet", name);
		bad_attr(extack, nest);
		return -ENOENT;
	}
	return 0;
}

/* The NAME of a CHAIN or SET nest (both have it as attribute 1). */
static int nest_name(const struct nlattr *nest, char *name,
		     struct netlink_ext_ack *extack)
{
	const struct nlattr *nla = nla_find_nested(nest, 1);

	if (!nla) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "name missing");
		return -EINVAL;
	}
	return get_name(nla, name, extack);
}

/*
 * The chain (or, with @set, the set) @nest names, in table *ti or, with
 * *ti < 0, among all tables: returns its index and sets *ti.
 */
static int find_named(const struct ct_ruleset *rs, const struct nlattr *nest,
		      int *ti, bool set, struct netlink_ext_ack *extack)
{
	char name[CTRACK_NAME_MAX];
	int ret;

	ret = nest_name(nest, name, extack);
	if (ret)
		return ret;
	ret = set ? ct_draft_lookup_set(rs, *ti, name, ti, extack) :
		    ct_draft_lookup_chain(rs, *ti, name, ti, extack);
	if (ret < 0)
		bad_attr(extack, nest);
	return ret;
}

/* A jump target: a regular chain of table @t. */
static int get_target(const struct ct_rtable *t, const struct nlattr *nla,
		      struct netlink_ext_ack *extack)
{
	char name[CTRACK_NAME_MAX];
	int ci;

	if (get_name(nla, name, extack))
		return -EINVAL;
	ci = ct_chain_find(t, name);
	if (ci < 0) {
		ct_errf(extack, "no chain %s in table %s to jump to", name, t->name);
		bad_attr(extack, nla);
		return -ENOENT;
	}
	if (t->chains[ci]->hook != CT_HOOK_NONE) {
		ct_errf(extack, "chain %s is a base chain: jumps go to regular chains",
			name);
		bad_attr(extack, nla);
		return -EINVAL;
	}
	return ci;
}

/* Values. */

static int bits_of(int cls)
{
	return cls == CT_CLASS_ADDR4 ? 32 : 128;
}

/* A VALUE, FROM or TO of a key or set of @type; *wild for "eth*". */
static int get_value(const struct nlattr *nla, u8 type, struct ct_key *k,
		     bool *wild, struct netlink_ext_ack *extack)
{
	int cls = ct_type_class(type), len = nla_len(nla);
	char name[IFNAMSIZ];
	size_t n;
	u32 v;

	*wild = false;
	switch (cls) {
	case CT_CLASS_INT:
		if (len != sizeof(u32)) {
			NL_SET_ERR_MSG_ATTR(extack, nla, "value must be a u32");
			return -EINVAL;
		}
		v = nla_get_u32(nla);
		if (v > ct_type_max(type)) {
			NL_SET_ERR_MSG_ATTR(extack, nla, "value out of range for its type");
			return -ERANGE;
		}
		k->hi = v;
		k->lo = 0;
		return 0;
	case CT_CLASS_ADDR4:
	case CT_CLASS_ADDR6:
		if (len != (cls == CT_CLASS_ADDR4 ? 4 : 16)) {
			if (cls == CT_CLASS_ADDR4)
				NL_SET_ERR_MSG_ATTR(extack, nla, "IPv4 address must be 4 bytes");
			else
				NL_SET_ERR_MSG_ATTR(extack, nla, "IPv6 address must be 16 bytes");
			return -EINVAL;
		}
		ct_key_from_bytes(k, nla_data(nla), len);
		return 0;
	}
	if (nla_strscpy(name, nla, sizeof(name)) <= 0) {
		NL_SET_ERR_MSG_ATTR(extack, nla, "interface name must be 1 to 15 characters");
		return -EINVAL;
	}
	n = strlen(name);
	if (name[n - 1] == '*') {
		*wild = true;
		name[n - 1] = 0;
	}
	memset(name + strlen(name), 0, sizeof(name) - strlen(name));
	ct_key_from_bytes(k, name, sizeof(name));
	return 0;
}

/* The interval of "eth*": "eth" padded with 0x00 to "eth" padded with 0xff. */
static void wild_hi(const struct ct_key *lo, struct ct_key *hi)
{
	u8 b[IFNAMSIZ];
	size_t n;

	ct_key_to_bytes(lo, b, sizeof(b));
	n = strnlen(b, sizeof(b));
	memset(b + n, 0xff, sizeof(b) - n);
	ct_key_from_bytes(hi, b, sizeof(b));
}

struct elem_ctx {
	u8 type;
	const struct ct_set *set;	/* named: its flags; NULL: anonymous */
	const struct ct_rtable *t;	/* vmaps: the targets' table */
	bool vmap;
};

static int parse_elem(const struct nlattr *nest, const struct elem_ctx *c,
		      struct ct_elem *e, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CTRACK_A_ELEM_MAX + 1];
	int cls = ct_type_class(c->type), ret;
	u32 flags = c->set ? c->set->flags : CTRACK_SET_F_INTERVAL;
	u32 timeout = c->set && (flags & CTRACK_SET_F_TIMEOUT) ? c->set->timeout : 0;
	bool wild;

	memset(e, 0, sizeof(*e));
	ret = nla_parse_nested(tb, CTRACK_A_ELEM_MAX, nest, elem_policy, extack);
	if (ret)
		return ret;
	if (!tb[CTRACK_A_ELEM_VALUE]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, CTRACK_A_ELEM_VALUE);
		NL_SET_ERR_MSG_ATTR(extack, nest, "element without a value");
		return -EINVAL;
	}
	ret = get_value(tb[CTRACK_A_ELEM_VALUE], c->type, &e->lo, &wild, extack);
	if (ret)
		return ret;
	e->hi = e->lo;
	if (wild) {
		wild_hi(&e->lo, &e->hi);
		e->kind = CT_ELEM_RANGE;
	}
	if (tb[CTRACK_A_ELEM_PREFIX]) {
		e->prefix = nla_get_u8(tb[CTRACK_A_ELEM_PREFIX]);
		if (cls != CT_CLASS_ADDR4 && cls != CT_CLASS_ADDR6) {
			NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_ELEM_PREFIX],
					    "prefixes are for addresses");
			return -EINVAL;
		}
		if (e->prefix > bits_of(cls)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_ELEM_PREFIX],
					    "prefix longer than the address");
			return -EINVAL;
		}
		ct_key_prefix(&e->lo, e->prefix, bits_of(cls), &e->lo, &e->hi);
		e->kind = CT_ELEM_PREFIX;
	}
	if (tb[CTRACK_A_ELEM_TO]) {
		if (cls == CT_CLASS_NAME || e->kind != CT_ELEM_VALUE) {
			NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_ELEM_TO],
					    "a range needs a plain integer or address start");
			return -EINVAL;
		}
		ret = get_value(tb[CTRACK_A_ELEM_TO], c->type, &e->hi, &wild, extack);
		if (ret)
			return ret;
		if (ct_key_cmp(&e->hi, &e->lo) < 0) {
			NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_ELEM_TO],
					    "range ends below its start");
			return -EINVAL;
		}
		e->kind = CT_ELEM_RANGE;
	}
	if (e->kind != CT_ELEM_VALUE && !(flags & CTRACK_SET_F_INTERVAL)) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "prefixes, ranges and wildcards need a set with flags interval");
		return -EINVAL;
	}
	if (tb[CTRACK_A_ELEM_TIMEOUT]) {
		if (!(flags & CTRACK_SET_F_TIMEOUT) || !c->set) {
			NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_ELEM_TIMEOUT],
					    "element timeouts need a set with flags timeout");
			return -EINVAL;
		}
		timeout = nla_get_u32(tb[CTRACK_A_ELEM_TIMEOUT]);
	}
	if (timeout > INT_MAX / HZ) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "timeout too long");
		return -ERANGE;
	}
	e->timeout = timeout;
	e->expires = timeout ? (jiffies + timeout * HZ) | 1 : 0;
	if (!c->vmap) {
		if (tb[CTRACK_A_ELEM_VERDICT] || tb[CTRACK_A_ELEM_TARGET]) {
			NL_SET_ERR_MSG_ATTR(extack, nest, "verdicts are for vmap elements");
			return -EINVAL;
		}
		return 0;
	}
	if (!tb[CTRACK_A_ELEM_VERDICT]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, CTRACK_A_ELEM_VERDICT);
		NL_SET_ERR_MSG_ATTR(extack, nest, "vmap element without a verdict");
		return -EINVAL;
	}
	e->verdict = nla_get_u8(tb[CTRACK_A_ELEM_VERDICT]);
	if (e->verdict == CTRACK_VERDICT_JUMP || e->verdict == CTRACK_VERDICT_GOTO) {
		if (!tb[CTRACK_A_ELEM_TARGET]) {
			NL_SET_ERR_MSG_ATTR(extack, nest, "jump and goto need a target chain");
			return -EINVAL;
		}
		ret = get_target(c->t, tb[CTRACK_A_ELEM_TARGET], extack);
		if (ret < 0)
			return ret;
		e->target = ret;
	} else if (tb[CTRACK_A_ELEM_TARGET]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_ELEM_TARGET],
				    "a target is only for jump and goto");
		return -EINVAL;
	}
	return 0;
}

/* The ELEMs of type @attr in @nest, parsed; *at[i] is element i's attribute. */
static int parse_elems(const struct nlattr *nest, int attr,
		       const struct elem_ctx *c, struct ct_elem **elems,
		       const struct nlattr ***at, u32 *n,
		       struct netlink_ext_ack *extack)
{
	const struct nlattr *nla;
	u32 count = 0;
	int rem, ret;

	*elems = NULL;
	*at = NULL;
	*n = 0;
	nla_for_each_nested(nla, nest, rem)
		if (nla_type(nla) == attr)
			count++;
	if (count > CT_SET_ELEMS_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "too many elements (at most 16M per set)");
		return -E2BIG;
	}
	if (!count)
		return 0;
	*elems = kvmalloc_array(count, sizeof(**elems), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	*at = kvmalloc_array(count, sizeof(**at), GFP_KERNEL | __GFP_NOWARN);
	if (!*elems || !*at) {
		ret = -ENOMEM;
		goto err;
	}
	nla_for_each_nested(nla, nest, rem) {
		if (nla_type(nla) != attr)
			continue;
		ret = parse_elem(nla, c, &(*elems)[*n], extack);
		if (ret)
			goto err;
		(*elems)[*n].idx = *n;
		(*at)[(*n)++] = nla;
		if (!(*n & 1023))
			cond_resched();
	}
	return 0;

err:
	kvfree(*elems);
	kvfree(*at);
	*elems = NULL;
	*at = NULL;
	return ret;
}

/* An anonymous set or a vmap's elements; *bodyp may stay NULL (no elements). */
static int build_anon(const struct nlattr *nest, int attr,
		      const struct elem_ctx *c, struct ct_set_body **bodyp,
		      struct netlink_ext_ack *extack)
{
	const struct nlattr **at;
	struct ct_set_body *b;
	struct ct_elem *e;
	u32 n, bad = 0;
	int ret;

	ret = parse_elems(nest, attr, c, &e, &at, &n, extack);
	if (ret)
		return ret;
	if (!n) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "no elements");
		return -EINVAL;
	}
	b = ct_set_body_build(e, n, !c->vmap, jiffies, &bad);
	ret = 0;
	if (IS_ERR(b)) {
		ret = PTR_ERR(b);
		if (ret == -EEXIST)
			NL_SET_ERR_MSG_ATTR(extack, at[bad],
					    "vmap element overlaps another one");
		b = NULL;
	}
	*bodyp = b;
	kvfree(e);
	kvfree(at);
	return ret;
}

/* Matches and rules. */

static int parse_match(const struct nlattr *nest, const struct ct_rtable *t,
		       struct ct_match *m, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CTRACK_A_MATCH_MAX + 1];
	struct elem_ctx c = {};
	int cls, ret, tests;
	const struct nlattr *val;
	bool wild;

	ret = nla_parse_nested(tb, CTRACK_A_MATCH_MAX, nest, match_policy, extack);
	if (ret)
		return ret;
	if (!tb[CTRACK_A_MATCH_KEY]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, CTRACK_A_MATCH_KEY);
		NL_SET_ERR_MSG_ATTR(extack, nest, "match without a key");
		return -EINVAL;
	}
	m->key = nla_get_u8(tb[CTRACK_A_MATCH_KEY]);
	m->neg = nla_get_flag(tb[CTRACK_A_MATCH_NEG]);
	c.type = ct_key_type(m->key);
	cls = ct_key_class(m->key);
	tests = !!tb[CTRACK_A_MATCH_VALUE] + !!tb[CTRACK_A_MATCH_FROM] +
		!!tb[CTRACK_A_MATCH_FLAGS] + !!tb[CTRACK_A_MATCH_ELEM] +
		!!tb[CTRACK_A_MATCH_SET];
	if (tests != 1) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "a match needs exactly one of value, from/to, flags, elements, set");
		return -EINVAL;
	}
	if (tb[CTRACK_A_MATCH_MASK] && (!tb[CTRACK_A_MATCH_VALUE] || cls != CT_CLASS_INT)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_MATCH_MASK],
				    "a mask goes with the value of an integer key");
		return -EINVAL;
	}
	if (tb[CTRACK_A_MATCH_PREFIX] && (!tb[CTRACK_A_MATCH_VALUE] ||
					  (cls != CT_CLASS_ADDR4 && cls != CT_CLASS_ADDR6))) {
		NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_MATCH_PREFIX],
				    "a prefix goes with the value of an address key");
		return -EINVAL;
	}
	if (!!tb[CTRACK_A_MATCH_FROM] != !!tb[CTRACK_A_MATCH_TO]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_MATCH_TO] ?: tb[CTRACK_A_MATCH_FROM],
				    "a range needs both from and to");
		return -EINVAL;
	}
	val = tb[CTRACK_A_MATCH_VALUE];
	if (val) {
		ret = get_value(val, c.type, &m->lo, &wild, extack);
		if (ret)
			return ret;
		m->op = CT_OP_RANGE;
		m->form = CT_FORM_VALUE;
		m->hi = m->lo;
		if (wild)
			wild_hi(&m->lo, &m->hi);
		if (tb[CTRACK_A_MATCH_MASK]) {
			m->op = CT_OP_MASK;
			m->value = m->lo.hi;
			m->mask = nla_get_u32(tb[CTRACK_A_MATCH_MASK]);
			if (m->value & ~m->mask) {
				NL_SET_ERR_MSG_ATTR(extack, val, "value has bits outside the mask");
				return -EINVAL;
			}
		}
		if (tb[CTRACK_A_MATCH_PREFIX]) {
			m->prefix = nla_get_u8(tb[CTRACK_A_MATCH_PREFIX]);
			if (m->prefix > bits_of(cls)) {
				NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_MATCH_PREFIX],
						    "prefix longer than the address");
				return -EINVAL;
			}
			ct_key_prefix(&m->lo, m->prefix, bits_of(cls), &m->lo, &m->hi);
			m->form = CT_FORM_PREFIX;
		}
		return 0;
	}
	if (tb[CTRACK_A_MATCH_FROM]) {
		if (cls == CT_CLASS_NAME) {
			NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_MATCH_FROM],
					    "ranges are for integer and address keys");
			return -EINVAL;
		}
		ret = get_value(tb[CTRACK_A_MATCH_FROM], c.type, &m->lo, &wild, extack) ?:
		      get_value(tb[CTRACK_A_MATCH_TO], c.type, &m->hi, &wild, extack);
		if (ret)
			return ret;
		if (ct_key_cmp(&m->hi, &m->lo) < 0) {
			NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_MATCH_TO],
					    "range ends below its start");
			return -EINVAL;
		}
		m->op = CT_OP_RANGE;
		m->form = CT_FORM_FROM_TO;
		return 0;
	}
	if (tb[CTRACK_A_MATCH_FLAGS]) {
		if (cls != CT_CLASS_INT) {
			NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_MATCH_FLAGS],
					    "flags are for integer keys");
			return -EINVAL;
		}
		m->op = CT_OP_FLAGS;
		m->mask = nla_get_u32(tb[CTRACK_A_MATCH_FLAGS]);
		if (m->mask & ~ct_type_max(c.type)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_MATCH_FLAGS],
					    "flags outside the bits of the key");
			return -ERANGE;
		}
		return 0;
	}
	if (tb[CTRACK_A_MATCH_SET]) {
		char name[CTRACK_NAME_MAX];
		struct ct_set *s;
		int si;

		if (get_name(tb[CTRACK_A_MATCH_SET], name, extack))
			return -EINVAL;
		si = ct_set_find_idx(t, name);
		if (si < 0) {
			ct_errf(extack, "no set %s in table %s", name, t->name);
			bad_attr(extack, tb[CTRACK_A_MATCH_SET]);
			return -ENOENT;
		}
		s = t->sets[si];
		if (s->type != c.type) {
			ct_errf(extack, "set %s holds another type than this key reads", name);
			bad_attr(extack, tb[CTRACK_A_MATCH_SET]);
			return -EINVAL;
		}
		refcount_inc(&s->ref);
		m->set = s;
		m->op = CT_OP_SET;
		return 0;
	}
	m->op = CT_OP_ANON;
	return build_anon(nest, CTRACK_A_MATCH_ELEM, &c, &m->anon, extack);
}

static int parse_vmap(struct ct_rule *r, const struct nlattr *nest,
		      const struct ct_rtable *t, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CTRACK_A_VMAP_MAX + 1];
	struct elem_ctx c = { .t = t, .vmap = true };
	int ret;

	ret = nla_parse_nested(tb, CTRACK_A_VMAP_MAX, nest, vmap_policy, extack);
	if (ret)
		return ret;
	if (!tb[CTRACK_A_VMAP_KEY]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, CTRACK_A_VMAP_KEY);
		NL_SET_ERR_MSG_ATTR(extack, nest, "vmap without a key");
		return -EINVAL;
	}
	r->vmap_key = nla_get_u8(tb[CTRACK_A_VMAP_KEY]);
	c.type = ct_key_type(r->vmap_key);
	r->has_vmap = true;
	return build_anon(nest, CTRACK_A_VMAP_ELEM, &c, &r->vmap, extack);
}

static int parse_reject(struct ct_rule *r, struct nlattr **tb,
			struct netlink_ext_ack *extack)
{
	const struct nlattr *type = tb[CTRACK_A_RULE_REJECT_TYPE];
	const struct nlattr *code = tb[CTRACK_A_RULE_REJECT_CODE];

	if (!type && !code)
		return 0;
	if (r->verdict != CTRACK_VERDICT_REJECT && !r->has_vmap) {
		NL_SET_ERR_MSG_ATTR(extack, type ?: code, "reject options need verdict reject");
		return -EINVAL;
	}
	r->has_reject = true;
	r->reject_type = type ? nla_get_u8(type) : CTRACK_REJECT_DEFAULT;
	r->reject_code = code ? nla_get_u8(code) : 0;
	switch (r->reject_type) {
	case CTRACK_REJECT_ICMP:
	case CTRACK_REJECT_ICMPV6:
		if (!code) {
			NL_SET_ERR_MSG_ATTR(extack, type, "reject with icmp needs a code");
			return -EINVAL;
		}
		break;
	case CTRACK_REJECT_ICMPX:
		if (!code || r->reject_code >= __CTRACK_ICMPX_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, code ?: type,
					    "icmpx code must be 0 to 3 (enum ctrack_icmpx_code)");
			return -EINVAL;
		}
		break;
	default:
		if (code) {
			NL_SET_ERR_MSG_ATTR(extack, code, "this reject type takes no code");
			return -EINVAL;
		}
	}
	return 0;
}

/* A rule of table @t, checked and finished; NULL with *err on error. */
static struct ct_rule *parse_rule(const struct nlattr *nest,
				  const struct ct_rtable *t,
				  struct netlink_ext_ack *extack, int *err)
{
	struct nlattr *tb[CTRACK_A_RULE_MAX + 1];
	const struct nlattr *nla;
	unsigned int n = 0;
	struct ct_rule *r;
	int rem, ret;

	*err = nla_parse_nested(tb, CTRACK_A_RULE_MAX, nest, rule_policy, extack);
	if (*err)
		return NULL;
	nla_for_each_nested(nla, nest, rem)
		if (nla_type(nla) == CTRACK_A_RULE_MATCH)
			n++;
	if (n > CT_MATCHES_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "too many matches (at most 32 per rule)");
		*err = -E2BIG;
		return NULL;
	}
	r = ct_rule_alloc(n, GFP_KERNEL_ACCOUNT);
	if (!r) {
		*err = -ENOMEM;
		return NULL;
	}
	nla_for_each_nested(nla, nest, rem) {
		if (nla_type(nla) != CTRACK_A_RULE_MATCH)
			continue;
		ret = parse_match(nla, t, &r->m[r->nmatch++], extack);
		if (ret)
			goto err;
	}
	if (tb[CTRACK_A_RULE_VERDICT])
		r->verdict = nla_get_u8(tb[CTRACK_A_RULE_VERDICT]);
	if (tb[CTRACK_A_RULE_VMAP]) {
		if (r->verdict != CTRACK_VERDICT_CONTINUE) {
			NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_RULE_VERDICT],
					    "a rule has a verdict or a vmap, not both");
			ret = -EINVAL;
			goto err;
		}
		ret = parse_vmap(r, tb[CTRACK_A_RULE_VMAP], t, extack);
		if (ret)
			goto err;
	}
	if (r->verdict == CTRACK_VERDICT_JUMP || r->verdict == CTRACK_VERDICT_GOTO) {
		if (!tb[CTRACK_A_RULE_TARGET]) {
			NL_SET_ERR_ATTR_MISS(extack, nest, CTRACK_A_RULE_TARGET);
			NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_RULE_VERDICT],
					    "jump and goto need a target chain");
			ret = -EINVAL;
			goto err;
		}
		ret = get_target(t, tb[CTRACK_A_RULE_TARGET], extack);
		if (ret < 0)
			goto err;
		r->target = ret;
	} else if (tb[CTRACK_A_RULE_TARGET]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_RULE_TARGET],
				    "a target is only for jump and goto");
		ret = -EINVAL;
		goto err;
	}
	ret = parse_reject(r, tb, extack);
	if (ret)
		goto err;
	if (tb[CTRACK_A_RULE_COMMENT]) {
		r->comment = nla_strdup(tb[CTRACK_A_RULE_COMMENT], GFP_KERNEL_ACCOUNT);
		if (!r->comment) {
			ret = -ENOMEM;
			goto err;
		}
	}
	if (tb[CTRACK_A_RULE_PACKETS])
		r->packets0 = nla_get_u64(tb[CTRACK_A_RULE_PACKETS]);
	if (tb[CTRACK_A_RULE_BYTES])
		r->bytes0 = nla_get_u64(tb[CTRACK_A_RULE_BYTES]);
	ct_rule_finish(r);
	return r;

err:
	ct_rule_put(r);
	*err = ret;
	return NULL;
}

/* Sets. */

static int parse_set_elems(struct ct_set *s, const struct nlattr *nest,
			   struct mutex *lock, struct netlink_ext_ack *extack,
			   bool del)
{
	struct elem_ctx c = { .type = s->type, .set = s };
	const struct nlattr **at;
	struct ct_elem *e;
	u32 n, bad = 0;
	int ret;

	ret = parse_elems(nest, CTRACK_A_SET_ELEM, &c, &e, &at, &n, extack);
	if (ret || !n)
		return ret;
	if (del)
		ret = ct_set_elems_del(s, e, n, lock, &bad);
	else
		ret = ct_set_elems_add(s, e, n, lock, &bad);
	if (ret == -EEXIST)
		ct_errf(extack, "element overlaps another one of set %s", s->name);
	else if (ret == -ENOENT)
		ct_errf(extack, "element is not in set %s", s->name);
	else if (ret == -E2BIG)
		ct_errf(extack, "set %s would hold more than 16M elements", s->name);
	if (ret == -EEXIST || ret == -ENOENT)
		bad_attr(extack, at[bad]);
	kvfree(e);
	kvfree(at);
	return ret;
}

/*
 * A SET of a load or SET_ADD in table @ti of draft @d: declares it, or
 * with @again (a load naming it a second time) adds elements to it.
 */
static int load_set(struct ct_net *cn, struct ct_ruleset *d, int ti,
		    const struct nlattr *nest, bool again,
		    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CTRACK_A_SET_MAX + 1];
	char name[CTRACK_NAME_MAX];
	struct ct_rtable *t = d->tables[ti];
	struct ct_set *s;
	u32 flags = 0;
	int ret, si;

	ret = nla_parse_nested(tb, CTRACK_A_SET_MAX, nest, set_policy, extack);
	if (ret)
		return ret;
	if (!tb[CTRACK_A_SET_NAME]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, CTRACK_A_SET_NAME);
		NL_SET_ERR_MSG_ATTR(extack, nest, "set without a name");
		return -EINVAL;
	}
	if (get_name(tb[CTRACK_A_SET_NAME], name, extack))
		return -EINVAL;
	si = ct_set_find_idx(t, name);
	if (si >= 0 && again) {
		s = t->sets[si];
		if ((tb[CTRACK_A_SET_TYPE] && nla_get_u8(tb[CTRACK_A_SET_TYPE]) != s->type) ||
		    (tb[CTRACK_A_SET_FLAGS] && nla_get_u32(tb[CTRACK_A_SET_FLAGS]) != s->flags)) {
			ct_errf(extack, "set %s declared again with another type or flags", name);
			bad_attr(extack, nest);
			return -EINVAL;
		}
		return parse_set_elems(s, nest, &cn->cfg_lock, extack, false);
	}
	if (!tb[CTRACK_A_SET_TYPE]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, CTRACK_A_SET_TYPE);
		NL_SET_ERR_MSG_ATTR(extack, nest, "set without a type");
		return -EINVAL;
	}
	if (tb[CTRACK_A_SET_FLAGS])
		flags = nla_get_u32(tb[CTRACK_A_SET_FLAGS]);
	if (tb[CTRACK_A_SET_TIMEOUT] && !(flags & CTRACK_SET_F_TIMEOUT)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_SET_TIMEOUT],
				    "a timeout needs flags timeout");
		return -EINVAL;
	}
	s = ct_set_new(name, nla_get_u8(tb[CTRACK_A_SET_TYPE]), flags,
		       tb[CTRACK_A_SET_TIMEOUT] ? nla_get_u32(tb[CTRACK_A_SET_TIMEOUT]) : 0);
	if (!s)
		return -ENOMEM;
	if (s->timeout > INT_MAX / HZ) {
		ct_set_put(s);
		NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_SET_TIMEOUT], "timeout too long");
		return -ERANGE;
	}
	ret = parse_set_elems(s, nest, &cn->cfg_lock, extack, false);
	if (ret) {
		ct_set_put(s);
		return ret;
	}
	ret = ct_draft_set_add(d, ti, s, extack);
	if (ret < 0)
		bad_attr(extack, tb[CTRACK_A_SET_NAME]);
	return ret < 0 ? ret : 0;
}

/* Commands. */

static struct sk_buff *reply_handle_new(struct genl_info *info, void **hdr)
{
	struct sk_buff *msg = genlmsg_new(nla_total_size(sizeof(u32)), GFP_KERNEL);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, &ct_genl_family, 0, info->genlhdr->cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int ct_nl_rule_add(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	struct netlink_ext_ack *extack = info->extack;
	struct ct_net *cn = info_cn(info);
	struct ct_ruleset *d;
	struct sk_buff *msg;
	u32 before = 0, handle;
	struct ct_rule *r;
	int ti, ci, ret;
	void *hdr;

	if (GENL_REQ_ATTR_CHECK(info, CTRACK_A_CHAIN) ||
	    GENL_REQ_ATTR_CHECK(info, CTRACK_A_RULE))
		return -EINVAL;
	if (attrs[CTRACK_A_POSITION] && attrs[CTRACK_A_INSERT]) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[CTRACK_A_INSERT],
				    "insert at the head and a position exclude each other");
		return -EINVAL;
	}
	if (attrs[CTRACK_A_POSITION]) {
		before = nla_get_u32(attrs[CTRACK_A_POSITION]);
		if (!before || before == CT_RULE_HEAD) {
			NL_SET_ERR_MSG_ATTR(extack, attrs[CTRACK_A_POSITION],
					    "no rule has that handle");
			return -ENOENT;
		}
	} else if (attrs[CTRACK_A_INSERT]) {
		before = CT_RULE_HEAD;
	}
	msg = reply_handle_new(info, &hdr);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&cn->cfg_lock);
	d = ct_draft_begin(cn, false);
	ret = -ENOMEM;
	if (!d)
		goto out;
	ret = find_table(d, attrs[CTRACK_A_TABLE], &ti, extack);
	if (ret)
		goto err_draft;
	ci = find_named(d, attrs[CTRACK_A_CHAIN], &ti, false, extack);
	if (ci < 0) {
		ret = ci;
		goto err_draft;
	}
	r = parse_rule(attrs[CTRACK_A_RULE], d->tables[ti], extack, &ret);
	if (!r)
		goto err_draft;
	ret = ct_draft_rule_add(d, ti, ci, r, before, &handle, extack);
	if (ret) {
		bad_attr(extack, attrs[CTRACK_A_POSITION]);
		goto err_draft;
	}
	ret = ct_draft_publish(cn, d, extack);
	if (ret)
		bad_attr(extack, attrs[CTRACK_A_RULE]);
	goto out;

err_draft:
	ct_ruleset_free(d);
out:
	mutex_unlock(&cn->cfg_lock);
	if (ret || nla_put_u32(msg, CTRACK_A_HANDLE, handle)) {
		nlmsg_free(msg);
		return ret ?: -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* The common frame of the changes to one chain: RULE_DEL, POLICY_SET. */
enum chain_op { OP_DEL, OP_POLICY, OP_FLUSH };

static int chain_change(struct genl_info *info, enum chain_op op)
{
	struct nlattr **attrs = info->attrs;
	struct netlink_ext_ack *extack = info->extack;
	struct ct_net *cn = info_cn(info);
	struct ct_ruleset *d;
	int ti, ci = -1, ret;

	mutex_lock(&cn->cfg_lock);
	d = ct_draft_begin(cn, false);
	ret = -ENOMEM;
	if (!d)
		goto out;
	ret = find_table(d, attrs[CTRACK_A_TABLE], &ti, extack);
	if (ret)
		goto err_draft;
	if (attrs[CTRACK_A_CHAIN]) {
		ci = find_named(d, attrs[CTRACK_A_CHAIN], &ti, false, extack);
		if (ci < 0) {
			ret = ci;
			goto err_draft;
		}
	}
	switch (op) {
	case OP_DEL:
		ret = ct_draft_rule_del(d, ti, ci, nla_get_u32(attrs[CTRACK_A_HANDLE]),
					extack);
		if (ret)
			bad_attr(extack, attrs[CTRACK_A_HANDLE]);
		break;
	case OP_POLICY: {
		const struct nlattr *p = nla_find_nested(attrs[CTRACK_A_CHAIN],
							 CTRACK_A_CHAIN_POLICY);

		if (!p) {
			NL_SET_ERR_ATTR_MISS(extack, attrs[CTRACK_A_CHAIN],
					     CTRACK_A_CHAIN_POLICY);
			NL_SET_ERR_MSG_ATTR(extack, attrs[CTRACK_A_CHAIN], "policy missing");
			ret = -EINVAL;
			break;
		}
		ret = ct_draft_policy(d, ti, ci, nla_get_u8(p), extack);
		if (ret)
			bad_attr(extack, attrs[CTRACK_A_CHAIN]);
		break;
	}
	case OP_FLUSH:
		ret = ct_draft_flush(d, ti, ci);
		break;
	}
	if (ret)
		goto err_draft;
	ret = ct_draft_publish(cn, d, extack);
	goto out;

err_draft:
	ct_ruleset_free(d);
out:
	mutex_unlock(&cn->cfg_lock);
	return ret;
}

int ct_nl_rule_del(struct sk_buff *skb, struct genl_info *info)
{
	if (GENL_REQ_ATTR_CHECK(info, CTRACK_A_CHAIN) ||
	    GENL_REQ_ATTR_CHECK(info, CTRACK_A_HANDLE))
		return -EINVAL;
	return chain_change(info, OP_DEL);
}

int ct_nl_rule_flush(struct sk_buff *skb, struct genl_info *info)
{
	return chain_change(info, OP_FLUSH);
}

int ct_nl_policy_set(struct sk_buff *skb, struct genl_info *info)
{
	if (GENL_REQ_ATTR_CHECK(info, CTRACK_A_CHAIN))
		return -EINVAL;
	return chain_change(info, OP_POLICY);
}

static int load_chain(struct ct_ruleset *d, int ti, const struct nlattr *nest,
		      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CTRACK_A_CHAIN_MAX + 1];
	char name[CTRACK_NAME_MAX];
	u8 hook = CT_HOOK_NONE, policy = CTRACK_VERDICT_CONTINUE;	/* none given */
	s32 prio = 0;
	int ret;

	ret = nla_parse_nested(tb, CTRACK_A_CHAIN_MAX, nest, chain_policy, extack);
	if (ret)
		return ret;
	if (!tb[CTRACK_A_CHAIN_NAME]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, CTRACK_A_CHAIN_NAME);
		NL_SET_ERR_MSG_ATTR(extack, nest, "chain without a name");
		return -EINVAL;
	}
	if (get_name(tb[CTRACK_A_CHAIN_NAME], name, extack))
		return -EINVAL;
	if (tb[CTRACK_A_CHAIN_HOOK])
		hook = nla_get_u8(tb[CTRACK_A_CHAIN_HOOK]);
	if (hook == CT_HOOK_NONE &&
	    (tb[CTRACK_A_CHAIN_PRIORITY] || tb[CTRACK_A_CHAIN_POLICY])) {
		NL_SET_ERR_MSG_ATTR(extack, tb[CTRACK_A_CHAIN_PRIORITY] ?:
				    tb[CTRACK_A_CHAIN_POLICY],
				    "priority and policy are for base chains (with a hook)");
		return -EINVAL;
	}
	if (tb[CTRACK_A_CHAIN_PRIORITY])
		prio = nla_get_s32(tb[CTRACK_A_CHAIN_PRIORITY]);
	if (tb[CTRACK_A_CHAIN_POLICY])
		policy = nla_get_u8(tb[CTRACK_A_CHAIN_POLICY]);
	ret = ct_draft_chain_add(d, ti, name, hook, prio, policy, extack);
	if (ret < 0)
		bad_attr(extack, nest);
	return ret;
}

/*
 * Two passes over the stream: the first declares tables, chains and sets
 * (with their elements), so that the second can resolve every rule's
 * jumps and sets, wherever in the stream they were declared.
 */
int ct_rules_load(struct ct_net *cn, const struct nlattr *head, int len,
		  bool check, struct netlink_ext_ack *extack)
{
	const struct nlattr *nla;
	struct ct_ruleset *d;
	int pass, rem, ti, ci, ret = 0;
	char name[CTRACK_NAME_MAX];
	u8 family;

	mutex_lock(&cn->cfg_lock);
	d = ct_draft_begin(cn, true);
	if (!d) {
		ret = -ENOMEM;
		goto out;
	}
	for (pass = 0; pass < 2; pass++) {
		ti = -1;
		ci = -1;
		nla_for_each_attr(nla, head, len, rem) {
			int type = nla_type(nla);
			struct ct_rule *r;

			if (type == CTRACK_A_CHECK)
				continue;
			if (type == CTRACK_A_TABLE) {
				ret = parse_table(nla, &family, name, extack);
				if (ret)
					goto err_draft;
				ti = pass ? (ct_table_find(d, family, name, &ti), ti) :
					    ct_draft_table_add(d, family, name, extack);
				if (ti < 0) {
					ret = ti;
					bad_attr(extack, nla);
					goto err_draft;
				}
				ci = -1;
				continue;
			}
			if (ti < 0) {
				NL_SET_ERR_MSG_ATTR(extack, nla,
						    "chains, sets and rules go in a table: none opened yet");
				ret = -EINVAL;
				goto err_draft;
			}
			if (type == CTRACK_A_CHAIN) {
				if (pass) {
					ret = nest_name(nla, name, extack);
					ci = ret ?: ct_chain_find(d->tables[ti], name);
				} else {
					ci = load_chain(d, ti, nla, extack);
				}
				if (ci < 0) {
					ret = ci;
					goto err_draft;
				}
				continue;
			}
			if (type == CTRACK_A_SET) {
				if (pass)
					continue;
				ret = nest_name(nla, name, extack);
				if (!ret)
					ret = load_set(cn, d, ti, nla,
						       ct_set_find_idx(d->tables[ti], name) >= 0,
						       extack);
				if (ret)
					goto err_draft;
				continue;
			}
			/* A RULE */
			if (ci < 0) {
				NL_SET_ERR_MSG_ATTR(extack, nla,
						    "a rule goes in a chain: none declared yet");
				ret = -EINVAL;
				goto err_draft;
			}
			if (!pass)
				continue;
			r = parse_rule(nla, d->tables[ti], extack, &ret);
			if (!r)
				goto err_draft;
			ret = ct_draft_rule_add(d, ti, ci, r, 0, NULL, extack);
			if (ret) {
				bad_attr(extack, nla);
				goto err_draft;
			}
			cond_resched();
		}
	}
	ret = check ? ct_draft_check(d, extack) : ct_draft_publish(cn, d, extack);
	goto out;

err_draft:
	ct_ruleset_free(d);
out:
	mutex_unlock(&cn->cfg_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ct_rules_load);

int ct_nl_ruleset_load(struct sk_buff *skb, struct genl_info *info)
{
	return ct_rules_load(info_cn(info), genlmsg_data(info->genlhdr),
			     genlmsg_len(info->genlhdr),
			     nla_get_flag(info->attrs[CTRACK_A_CHECK]), info->extack);
}

int ct_nl_set_add(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct ct_net *cn = info_cn(info);
	struct ct_ruleset *d;
	int ti, ret;

	if (GENL_REQ_ATTR_CHECK(info, CTRACK_A_TABLE) ||
	    GENL_REQ_ATTR_CHECK(info, CTRACK_A_SET))
		return -EINVAL;
	mutex_lock(&cn->cfg_lock);
	d = ct_draft_begin(cn, false);
	ret = -ENOMEM;
	if (!d)
		goto out;
	ret = find_table(d, info->attrs[CTRACK_A_TABLE], &ti, extack) ?:
	      load_set(cn, d, ti, info->attrs[CTRACK_A_SET], false, extack);
	if (ret) {
		ct_ruleset_free(d);
		goto out;
	}
	ret = ct_draft_publish(cn, d, extack);
out:
	mutex_unlock(&cn->cfg_lock);
	return ret;
}

int ct_nl_set_del(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct ct_net *cn = info_cn(info);
	struct ct_ruleset *d;
	int ti, si, ret;

	if (GENL_REQ_ATTR_CHECK(info, CTRACK_A_SET))
		return -EINVAL;
	mutex_lock(&cn->cfg_lock);
	d = ct_draft_begin(cn, false);
	ret = -ENOMEM;
	if (!d)
		goto out;
	ret = find_table(d, info->attrs[CTRACK_A_TABLE], &ti, extack);
	if (ret)
		goto err_draft;
	si = find_named(d, info->attrs[CTRACK_A_SET], &ti, true, extack);
	ret = si < 0 ? si : ct_draft_set_del(d, ti, si, extack);
	if (ret) {
		bad_attr(extack, info->attrs[CTRACK_A_SET]);
		goto err_draft;
	}
	ret = ct_draft_publish(cn, d, extack);
	goto out;

err_draft:
	ct_ruleset_free(d);
out:
	mutex_unlock(&cn->cfg_lock);
	return ret;
}

static int elem_change(struct genl_info *info, bool del)
{
	struct netlink_ext_ack *extack = info->extack;
	struct ct_net *cn = info_cn(info);
	struct ct_ruleset *rs;
	struct ct_set *s;
	int ti, si, ret;

	if (GENL_REQ_ATTR_CHECK(info, CTRACK_A_SET))
		return -EINVAL;
	mutex_lock(&cn->cfg_lock);
	rs = ct_rules_get(cn);
	ret = find_table(rs, info->attrs[CTRACK_A_TABLE], &ti, extack);
	if (ret)
		goto out;
	si = find_named(rs, info->attrs[CTRACK_A_SET], &ti, true, extack);
	if (si < 0) {
		ret = si;
		goto out;
	}
	s = rs->tables[ti]->sets[si];
	if (s->flags & CTRACK_SET_F_CONSTANT) {
		ct_errf(extack, "set %s is constant: its elements do not change", s->name);
		bad_attr(extack, info->attrs[CTRACK_A_SET]);
		ret = -EPERM;
		goto out;
	}
	ret = parse_set_elems(s, info->attrs[CTRACK_A_SET], &cn->cfg_lock, extack, del);
	if (!ret)
		cn->rules.elem_gen++;
out:
	mutex_unlock(&cn->cfg_lock);
	return ret;
}

int ct_nl_elem_add(struct sk_buff *skb, struct genl_info *info)
{
	return elem_change(info, false);
}

int ct_nl_elem_del(struct sk_buff *skb, struct genl_info *info)
{
	return elem_change(info, true);
}

/* Dumps. */

static int put_table(struct sk_buff *skb, const struct ct_rtable *t)
{
	struct nlattr *nest = nla_nest_start(skb, CTRACK_A_TABLE);

	if (!nest || nla_put_u8(skb, CTRACK_A_TABLE_FAMILY, t->family) ||
	    nla_put_string(skb, CTRACK_A_TABLE_NAME, t->name))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_value(struct sk_buff *skb, int attr, int cls,
		     const struct ct_key *k, bool wild)
{
	u8 b[16];

	switch (cls) {
	case CT_CLASS_INT:
		return nla_put_u32(skb, attr, k->hi);
	case CT_CLASS_ADDR4:
	case CT_CLASS_ADDR6:
		ct_key_to_bytes(k, b, sizeof(b));
		return nla_put(skb, attr, cls == CT_CLASS_ADDR4 ? 4 : 16, b);
	}
	ct_key_to_bytes(k, b, sizeof(b));
	b[15] = 0;
	if (wild) {
		size_t n = strlen(b);

		if (n > 14)
			n = 14;
		b[n] = '*';
		b[n + 1] = 0;
	}
	return nla_put_string(skb, attr, b);
}

static int put_elem(struct sk_buff *skb, int attr, int cls,
		    const struct ct_elem *e, const struct ct_rtable *t, bool vmap)
{
	struct nlattr *nest = nla_nest_start(skb, attr);
	bool wild = cls == CT_CLASS_NAME && ct_key_cmp(&e->lo, &e->hi);

	if (!nest || put_value(skb, CTRACK_A_ELEM_VALUE, cls, &e->lo, wild) ||
	    (e->kind == CT_ELEM_PREFIX &&
	     nla_put_u8(skb, CTRACK_A_ELEM_PREFIX, e->prefix)) ||
	    (e->kind == CT_ELEM_RANGE && !wild &&
	     put_value(skb, CTRACK_A_ELEM_TO, cls, &e->hi, false)) ||
	    (e->timeout && nla_put_u32(skb, CTRACK_A_ELEM_TIMEOUT, e->timeout)) ||
	    (e->expires &&
	     nla_put_u32(skb, CTRACK_A_ELEM_EXPIRES,
			 time_after(e->expires, jiffies) ?
			 DIV_ROUND_UP(e->expires - jiffies, HZ) : 0)) ||
	    (vmap && nla_put_u8(skb, CTRACK_A_ELEM_VERDICT, e->verdict)) ||
	    (vmap && (e->verdict == CTRACK_VERDICT_JUMP ||
		      e->verdict == CTRACK_VERDICT_GOTO) &&
	     nla_put_string(skb, CTRACK_A_ELEM_TARGET, t->chains[e->target]->name)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_body(struct sk_buff *skb, int attr, int cls,
		    const struct ct_set_body *b, const struct ct_rtable *t, bool vmap)
{
	u32 i;

	for (i = 0; b && i < b->n; i++)
		if (put_elem(skb, attr, cls, &b->elem[i], t, vmap))
			return -EMSGSIZE;
	return 0;
}

static int put_match(struct sk_buff *skb, const struct ct_match *m,
		     const struct ct_rtable *t)
{
	struct nlattr *nest = nla_nest_start(skb, CTRACK_A_RULE_MATCH);
	int cls = ct_key_class(m->key);
	bool wild = cls == CT_CLASS_NAME && ct_key_cmp(&m->lo, &m->hi);
	int ret = 0;

	if (!nest || nla_put_u8(skb, CTRACK_A_MATCH_KEY, m->key) ||
	    (m->neg && nla_put_flag(skb, CTRACK_A_MATCH_NEG)))
		return -EMSGSIZE;
	switch (m->op) {
	case CT_OP_RANGE:
		if (m->form == CT_FORM_FROM_TO)
			ret = put_value(skb, CTRACK_A_MATCH_FROM, cls, &m->lo, false) ?:
			      put_value(skb, CTRACK_A_MATCH_TO, cls, &m->hi, false);
		else
			ret = put_value(skb, CTRACK_A_MATCH_VALUE, cls, &m->lo, wild) ?:
			      (m->form == CT_FORM_PREFIX ?
			       nla_put_u8(skb, CTRACK_A_MATCH_PREFIX, m->prefix) : 0);
		break;
	case CT_OP_MASK:
		ret = nla_put_u32(skb, CTRACK_A_MATCH_VALUE, m->value) ?:
		      nla_put_u32(skb, CTRACK_A_MATCH_MASK, m->mask);
		break;
	case CT_OP_FLAGS:
		ret = nla_put_u32(skb, CTRACK_A_MATCH_FLAGS, m->mask);
		break;
	case CT_OP_SET:
		ret = nla_put_string(skb, CTRACK_A_MATCH_SET, m->set->name);
		break;
	case CT_OP_ANON:
		ret = put_body(skb, CTRACK_A_MATCH_ELEM, cls, m->anon, t, false);
		break;
	}
	if (ret)
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_rule(struct sk_buff *skb, const struct ct_rule *r,
		    const struct ct_rtable *t)
{
	struct nlattr *nest = nla_nest_start(skb, CTRACK_A_RULE), *vm;
	u64 packets, bytes;
	unsigned int i;

	if (!nest || nla_put_u32(skb, CTRACK_A_RULE_HANDLE, r->handle))
		return -EMSGSIZE;
	for (i = 0; i < r->nmatch; i++)
		if (put_match(skb, &r->m[i], t))
			return -EMSGSIZE;
	if (r->has_vmap) {
		vm = nla_nest_start(skb, CTRACK_A_RULE_VMAP);
		if (!vm || nla_put_u8(skb, CTRACK_A_VMAP_KEY, r->vmap_key) ||
		    put_body(skb, CTRACK_A_VMAP_ELEM, ct_key_class(r->vmap_key),
			     r->vmap, t, true))
			return -EMSGSIZE;
		nla_nest_end(skb, vm);
	} else if (nla_put_u8(skb, CTRACK_A_RULE_VERDICT, r->verdict) ||
		   ((r->verdict == CTRACK_VERDICT_JUMP ||
		     r->verdict == CTRACK_VERDICT_GOTO) &&
		    nla_put_string(skb, CTRACK_A_RULE_TARGET,
				   t->chains[r->target]->name))) {
		return -EMSGSIZE;
	}
	ct_rule_counters(r, &packets, &bytes);
	if ((r->has_reject &&
	     (nla_put_u8(skb, CTRACK_A_RULE_REJECT_TYPE, r->reject_type) ||
	      nla_put_u8(skb, CTRACK_A_RULE_REJECT_CODE, r->reject_code))) ||
	    (r->comment && nla_put_string(skb, CTRACK_A_RULE_COMMENT, r->comment)) ||
	    nla_put_u64_64bit(skb, CTRACK_A_RULE_PACKETS, packets, CTRACK_A_RULE_PAD) ||
	    nla_put_u64_64bit(skb, CTRACK_A_RULE_BYTES, bytes, CTRACK_A_RULE_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_chain(struct sk_buff *skb, const struct ct_chain *ch, bool full)
{
	struct nlattr *nest = nla_nest_start(skb, CTRACK_A_CHAIN);

	if (!nest || nla_put_string(skb, CTRACK_A_CHAIN_NAME, ch->name))
		return -EMSGSIZE;
	if (full && ch->hook != CT_HOOK_NONE &&
	    (nla_put_u8(skb, CTRACK_A_CHAIN_HOOK, ch->hook) ||
	     nla_put_s32(skb, CTRACK_A_CHAIN_PRIORITY, ch->prio) ||
	     nla_put_u8(skb, CTRACK_A_CHAIN_POLICY, ch->policy)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static void *dump_put(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd)
{
	void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				&ct_genl_family, NLM_F_MULTI, cmd);

	if (hdr)
		genl_dump_check_consistent(cb, hdr);
	return hdr;
}

/*
 * The messages of one set from element *pos - 1 on (*pos 0: the first,
 * with TYPE, FLAGS and COUNT, not sent yet), as many elements in each as
 * fit. -EMSGSIZE when the skb is full: the dump resumes there.
 */
static int dump_set(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd,
		    const struct ct_rtable *t, const struct ct_set *s,
		    unsigned long *pos)
{
	const struct ct_set_body *b = rcu_dereference(s->body);
	int cls = ct_type_class(s->type);
	u32 n = b ? b->n : 0, i = *pos ? *pos - 1 : 0;

	for (;;) {
		struct nlattr *nest;
		void *hdr = dump_put(skb, cb, cmd);
		u32 sent = 0;

		if (!hdr)
			return -EMSGSIZE;
		if (put_table(skb, t))
			goto full;
		nest = nla_nest_start(skb, CTRACK_A_SET);
		if (!nest || nla_put_string(skb, CTRACK_A_SET_NAME, s->name))
			goto full;
		if (!*pos &&
		    (nla_put_u8(skb, CTRACK_A_SET_TYPE, s->type) ||
		     nla_put_u32(skb, CTRACK_A_SET_FLAGS, s->flags) ||
		     (s->timeout && nla_put_u32(skb, CTRACK_A_SET_TIMEOUT, s->timeout)) ||
		     nla_put_u32(skb, CTRACK_A_SET_COUNT, n)))
			goto full;
		for (; i < n; i++, sent++) {
			struct nlattr *e = (struct nlattr *)skb_tail_pointer(skb);

			if (put_elem(skb, CTRACK_A_SET_ELEM, cls, &b->elem[i], t, false)) {
				nlmsg_trim(skb, e);
				break;
			}
		}
		if (*pos && !sent && i < n)
			goto full;
		nla_nest_end(skb, nest);
		genlmsg_end(skb, hdr);
		*pos = i + 1;
		if (i >= n)
			return 0;
		continue;
full:
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
}

struct dump_filter {
	bool table;
	u8 family;
	char tname[CTRACK_NAME_MAX];
	bool chain;
	char cname[CTRACK_NAME_MAX];
	bool set;
	char sname[CTRACK_NAME_MAX];
};

static int dump_filter(struct netlink_callback *cb, struct dump_filter *f,
		       int objattr)
{
	struct nlattr **attrs = ct_genl_dump_attrs(cb);
	int ret;

	memset(f, 0, sizeof(*f));
	if (attrs[CTRACK_A_TABLE]) {
		ret = parse_table(attrs[CTRACK_A_TABLE], &f->family, f->tname, cb->extack);
		if (ret)
			return ret;
		f->table = true;
	}
	if (attrs[objattr]) {
		ret = nest_name(attrs[objattr], objattr == CTRACK_A_CHAIN ?
				f->cname : f->sname, cb->extack);
		if (ret)
			return ret;
		f->chain = objattr == CTRACK_A_CHAIN;
		f->set = objattr == CTRACK_A_SET;
	}
	return 0;
}

static bool table_wanted(const struct dump_filter *f, const struct ct_rtable *t)
{
	if (f->table && (t->family != f->family || strcmp(t->name, f->tname)))
		return false;
	if (f->chain && ct_chain_find(t, f->cname) < 0)
		return false;
	if (f->set && ct_set_find_idx(t, f->sname) < 0)
		return false;
	return true;
}

static u32 dump_gen(struct ct_net *cn, const struct ct_ruleset *rs)
{
	return ((u32)rs->gen + READ_ONCE(cn->rules.elem_gen)) ?: 1;
}

/*
 * cb->args[0]: the table, [1]: its part (0 its message, 1 sets, 2
 * chains), [2]: the set or chain, [3]: the position in it (see
 * dump_set(); for a chain 0 before its message, then 1 + its rules sent).
 */
static int dump(struct sk_buff *skb, struct netlink_callback *cb, bool sets_only)
{
	struct ct_net *cn = ct_net(sock_net(cb->skb->sk));
	u8 cmd = sets_only ? CTRACK_CMD_SET_GET : CTRACK_CMD_RULE_GET;
	unsigned long ti = cb->args[0], part = cb->args[1];
	unsigned long oi = cb->args[2], pos = cb->args[3];
	const struct ct_ruleset *rs;
	struct dump_filter f;
	bool any = false;
	u32 ntables;
	int ret;
	void *hdr;

	ret = dump_filter(cb, &f, sets_only ? CTRACK_A_SET : CTRACK_A_CHAIN);
	if (ret)
		return ret;
	rcu_read_lock();
	rs = ct_rules_get(cn);
	cb->seq = dump_gen(cn, rs);
	ntables = rs->ntables;
	for (; ti < rs->ntables; ti++, part = 0, oi = 0, pos = 0) {
		const struct ct_rtable *t = rs->tables[ti];

		if (!table_wanted(&f, t))
			continue;
		any = true;
		if (part == 0 && !sets_only) {
			hdr = dump_put(skb, cb, cmd);
			if (!hdr || put_table(skb, t)) {
				if (hdr)
					genlmsg_cancel(skb, hdr);
				goto out;
			}
			genlmsg_end(skb, hdr);
		}
		if (part < 1)
			part = 1;
		for (; part == 1 && oi < t->nsets; oi++, pos = 0) {
			if (f.chain || (f.set && strcmp(t->sets[oi]->name, f.sname)))
				continue;
			if (dump_set(skb, cb, cmd, t, t->sets[oi], &pos))
				goto out;
		}
		if (sets_only)
			continue;
		if (part == 1) {
			part = 2;
			oi = 0;
			pos = 0;
		}
		for (; oi < t->nchains; oi++, pos = 0) {
			const struct ct_chain *ch = t->chains[oi];

			if (f.chain && strcmp(ch->name, f.cname))
				continue;
			if (!pos) {
				hdr = dump_put(skb, cb, cmd);
				if (!hdr)
					goto out;
				if (put_table(skb, t) || put_chain(skb, ch, true)) {
					genlmsg_cancel(skb, hdr);
					goto out;
				}
				genlmsg_end(skb, hdr);
				pos = 1;
			}
			for (; pos - 1 < ch->n; pos++) {
				hdr = dump_put(skb, cb, cmd);
				if (!hdr)
					goto out;
				if (put_table(skb, t) || put_chain(skb, ch, false) ||
				    put_rule(skb, ch->rules[pos - 1], t)) {
					genlmsg_cancel(skb, hdr);
					goto out;
				}
				genlmsg_end(skb, hdr);
			}
		}
	}
out:
	rcu_read_unlock();
	if (!any && !cb->args[4] && (f.table || f.chain || f.set) && ti >= ntables) {
		NL_SET_ERR_MSG(cb->extack, "nothing of that name");
		return -ENOENT;
	}
	cb->args[4] = 1;
	/* A message that does not fit into an empty skb never will. */
	if (!skb->len && ti < ntables)
		return -EMSGSIZE;
	cb->args[0] = ti;
	cb->args[1] = part;
	cb->args[2] = oi;
	cb->args[3] = pos;
	return skb->len;
}

int ct_nl_rule_get(struct sk_buff *skb, struct netlink_callback *cb)
{
	return dump(skb, cb, false);
}

int ct_nl_set_get(struct sk_buff *skb, struct netlink_callback *cb)
{
	return dump(skb, cb, true);
}
