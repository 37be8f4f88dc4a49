// SPDX-License-Identifier: GPL-2.0
/*
 * nft files: `flush ruleset`, `table FAMILY NAME { chain ... set ... }`,
 * nft's command forms (`add rule inet filter input ...`), `define`,
 * `include`; and ctrackctl's native lines (`rule add HOOK ...`,
 * `policy HOOK drop`). The result is a struct ct_ruleset that replaces
 * everything in one RULESET_LOAD.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include "nft.h"

static int end_stmt(struct ct_parser *p)
{
	const struct ct_tok *t = ct_peek(p);

	if (t->type == T_NL || t->type == ';' || t->type == T_EOF) {
		if (t->type != T_EOF)
			ct_next(p);
		return 0;
	}
	if (t->type == '}')
		return 0;
	return ct_err(p, t, "unexpected '%s' at the end of the statement", t->text);
}

static int family(struct ct_parser *p, uint8_t *fam)
{
	const struct ct_tok *t = ct_peek(p);
	unsigned int v;

	*fam = NFPROTO_IPV4;	/* nft: no family is ip */
	if (t->type != T_WORD)
		return 0;
	if (!ct_name_lookup(ct_family_names, t->text, &v)) {
		*fam = v;
		ct_next(p);
		return 0;
	}
	if (ct_is(t, "netdev") || ct_is(t, "bridge") || ct_is(t, "arp"))
		return ct_err(p, t, "ctrack does not support the %s family (ip, ip6, inet)", t->text);
	return 0;
}

static struct ct_table *table_ref(struct ct_parser *p, bool create)
{
	char name[CT_NAME_MAX];
	const struct ct_tok *t;
	struct ct_table *tb;
	uint8_t fam;

	if (family(p, &fam))
		return NULL;
	t = ct_peek(p);
	if (ct_get_name(p, name, sizeof(name), "a table name"))
		return NULL;
	tb = ct_table_get(p->rs, fam, name, create);
	if (!tb) {
		ct_err(p, t, create ? "out of memory" : "no table %s %s", ct_family_str(fam), name);
		return NULL;
	}
	if (create && !tb->loc.src)
		tb->loc = t->loc;
	return tb;
}

static int prio(struct ct_parser *p, int32_t *out)
{
	const struct ct_tok *t = ct_next(p);
	unsigned int v;
	uint32_t n;
	bool neg;

	if (t->type != T_WORD)
		return ct_err(p, t, "expected a priority");
	neg = t->text[0] == '-';
	if (!ct_parse_u32(t->text + neg, 0, INT32_MAX, &n)) {
		*out = neg ? -(int32_t)n : (int32_t)n;
		return 0;
	}
	if (ct_name_lookup(ct_prio_names, t->text, &v))
		return ct_err(p, t, "unknown priority '%s' (a number, raw, mangle, filter, security)",
			      t->text);
	*out = (int32_t)v;
	t = ct_peek(p);
	if (t->type == '+' || ct_is(t, "-")) {
		neg = t->type != '+';
		ct_next(p);
		t = ct_next(p);
		if (ct_parse_u32(t->text, 0, 100000, &n))
			return ct_err(p, t, "expected a number after '%c'", neg ? '-' : '+');
		*out += neg ? -(int32_t)n : (int32_t)n;
	} else if (t->type == T_WORD && t->text[0] == '-' && !ct_parse_u32(t->text + 1, 0, 100000, &n)) {
		ct_next(p);
		*out -= (int32_t)n;
	}
	return 0;
}

static int policy_word(struct ct_parser *p, uint8_t *pol)
{
	const struct ct_tok *t = ct_next(p);

	if (ct_is(t, "accept"))
		*pol = CTRACK_VERDICT_ACCEPT;
	else if (ct_is(t, "drop"))
		*pol = CTRACK_VERDICT_DROP;
	else
		return ct_err(p, t, "policy: '%s' is not accept or drop", t->text);
	return 0;
}

static int chain_type(struct ct_parser *p, struct ct_chain *c)
{
	const struct ct_tok *t = ct_next(p);
	unsigned int v;

	if (ct_is(t, "nat") || ct_is(t, "route"))
		return ct_err(p, t, "ctrack does not support '%s' chains (only 'type filter')", t->text);
	if (!ct_is(t, "filter"))
		return ct_err(p, t, "unknown chain type '%s' (filter)", t->text);
	if (!ct_accept(p, "hook"))
		return ct_err(p, ct_peek(p), "expected 'hook' after 'type filter'");
	t = ct_next(p);
	if (ct_name_lookup(ct_hook_names, t->text, &v)) {
		if (ct_is(t, "prerouting") || ct_is(t, "postrouting") || ct_is(t, "ingress") ||
		    ct_is(t, "egress"))
			return ct_err(p, t, "ctrack has no '%s' hook (input, forward, output)", t->text);
		return ct_err(p, t, "unknown hook '%s' (input, forward, output)", t->text);
	}
	c->base = true;
	c->hook = v;
	c->prio = 0;
	if (ct_accept(p, "priority") && prio(p, &c->prio))
		return -1;
	if (ct_is(ct_peek(p), "device") || ct_is(ct_peek(p), "devices"))
		return ct_err(p, ct_peek(p), "ctrack does not support devices on chains");
	return 0;
}

/* chain body: type/policy/comment statements and rules, up to '}' */
static int chain_body(struct ct_parser *p, struct ct_chain *c)
{
	for (;;) {
		const struct ct_tok *t;
		struct ct_rule r;

		ct_skip_nl(p);
		t = ct_peek(p);
		if (t->type == '}') {
			ct_next(p);
			return 0;
		}
		if (t->type == T_EOF)
			return ct_err(p, t, "unterminated chain '%s': missing '}'", c->name);
		if (ct_accept(p, "type")) {
			if (chain_type(p, c))
				return -1;
		} else if (ct_accept(p, "policy")) {
			if (policy_word(p, &c->policy))
				return -1;
			c->has_policy = true;
		} else if (ct_is(t, "comment") && c->n == 0 && ct_peek(p) == t) {
			ct_next(p);
			ct_next(p);	/* chain comments: the kernel keeps none */
		} else {
			if (ct_parse_rule_stmt(p, &r))
				return -1;
			if (ct_chain_add_rule(c, &r, false))
				return ct_err(p, t, "out of memory");
		}
		if (end_stmt(p))
			return -1;
	}
}

static int typeof_key(struct ct_parser *p, uint8_t *type)
{
	const struct ct_tok *t = ct_next(p), *t2 = ct_peek(p);
	char two[80];

	snprintf(two, sizeof(two), "%s %s", t->text, t2->text);
	for (unsigned int k = 1; k < __CTRACK_KEY_MAX; k++) {
		const struct ct_keydesc *kd = ct_key_desc(k);
		const char *n = kd->name;

		if (!strncmp(n, "meta ", 5) && !strcmp(n + 5, t->text)) {
			*type = kd->type;
			return 0;
		}
		if (!strcmp(n, two) || (!strcmp(n, t->text) && !strchr(n, ' '))) {
			if (!strcmp(n, two))
				ct_next(p);
			*type = kd->type;
			return 0;
		}
	}
	return ct_err(p, t, "ctrack does not support 'typeof %s'", t->text);
}

/* set body statements up to '}' (the '{' is read); @elems_only: `add element` */
int ct_parse_set_body(struct ct_parser *p, struct ct_set *s, bool elems_only)
{
	if (elems_only) {
		struct ct_elem *arr = NULL;
		unsigned int n = 0;
		int ret = ct_parse_elems(p, s->type, &arr, &n, false, true);

		for (unsigned int i = 0; !ret && i < n; i++)
			if (ct_set_add_elem(s, &arr[i]))
				ret = ct_err(p, NULL, "out of memory");
		free(arr);
		return ret;
	}
	if (ct_want(p, '{', "'{'"))
		return -1;
	for (;;) {
		const struct ct_tok *t;
		unsigned int v;

		ct_skip_nl(p);
		t = ct_next(p);
		if (t->type == '}')
			return 0;
		if (t->type == T_EOF)
			return ct_err(p, t, "unterminated set '%s': missing '}'", s->name);
		if (ct_is(t, "type")) {
			t = ct_next(p);
			if (ct_name_lookup(ct_type_names, t->text, &v))
				return ct_err(p, t, "ctrack does not support sets of type '%s'", t->text);
			if (ct_is(ct_peek(p), "."))
				return ct_err(p, ct_peek(p), "ctrack does not support concatenations ('.')");
			s->type = v;
		} else if (ct_is(t, "typeof")) {
			if (typeof_key(p, &s->type))
				return -1;
		} else if (ct_is(t, "flags")) {
			do {
				t = ct_next(p);
				if (ct_is(t, "interval"))
					s->flags |= CTRACK_SET_F_INTERVAL;
				else if (ct_is(t, "timeout"))
					s->flags |= CTRACK_SET_F_TIMEOUT;
				else if (ct_is(t, "constant"))
					s->flags |= CTRACK_SET_F_CONSTANT;
				else
					return ct_err(p, t, "ctrack does not support set flag '%s' (interval, timeout, constant)",
						      t->text);
			} while (ct_accept_type(p, ','));
		} else if (ct_is(t, "timeout")) {
			t = ct_next(p);
			if (ct_parse_timeout_str(t->text, &s->timeout))
				return ct_err(p, t, "bad time '%s' (e.g. 30s, 1h, 2d3h)", t->text);
			s->has_timeout = true;
			/* as nft: a default timeout implies flags timeout (the kernel wants it) */
			s->flags |= CTRACK_SET_F_TIMEOUT;
		} else if (ct_is(t, "elements")) {
			if (ct_want(p, '=', "'=' after 'elements'"))
				return -1;
			if (!s->type)
				return ct_err(p, t, "the set's type must come before its elements");
			if (ct_parse_set_body(p, s, true))
				return -1;
		} else if (ct_is(t, "comment") || ct_is(t, "size") || ct_is(t, "policy") ||
			   ct_is(t, "gc-interval")) {
			ct_next(p);	/* nothing the kernel keeps */
		} else if (ct_is(t, "auto-merge")) {
			/* elements of ctrack's sets never overlap anyway */
		} else if (ct_is(t, "counter") || ct_is(t, "stateful")) {
			return ct_err(p, t, "ctrack does not support '%s' in sets (yet)", t->text);
		} else {
			return ct_err(p, t, "unknown set statement '%s'", t->text);
		}
		if (end_stmt(p))
			return -1;
	}
}

static int set_decl(struct ct_parser *p, struct ct_table *tb, bool body)
{
	char name[CT_NAME_MAX];
	const struct ct_tok *t = ct_peek(p);
	struct ct_set *s;

	if (ct_get_name(p, name, sizeof(name), "a set name"))
		return -1;
	s = ct_set_get(tb, name, true);
	if (!s)
		return ct_err(p, t, "out of memory");
	if (!s->loc.src)
		s->loc = t->loc;
	if (body && ct_parse_set_body(p, s, false))
		return -1;
	if (!s->type)
		return ct_err(p, t, "set '%s' has no type", name);
	return 0;
}

static int chain_decl(struct ct_parser *p, struct ct_table *tb, bool body_optional)
{
	char name[CT_NAME_MAX];
	const struct ct_tok *t = ct_peek(p);
	struct ct_chain *c;

	if (ct_get_name(p, name, sizeof(name), "a chain name"))
		return -1;
	c = ct_chain_get(tb, name, true);
	if (!c)
		return ct_err(p, t, "out of memory");
	if (!c->loc.src)
		c->loc = t->loc;
	if (body_optional && ct_peek(p)->type != '{')
		return 0;
	if (ct_want(p, '{', "'{' after the chain name"))
		return -1;
	return chain_body(p, c);
}

static int table_body(struct ct_parser *p, struct ct_table *tb)
{
	if (ct_want(p, '{', "'{' after the table name"))
		return -1;
	for (;;) {
		const struct ct_tok *t;

		ct_skip_nl(p);
		t = ct_next(p);
		if (t->type == '}')
			return 0;
		if (t->type == T_EOF)
			return ct_err(p, t, "unterminated table '%s': missing '}'", tb->name);
		if (ct_is(t, "chain")) {
			if (chain_decl(p, tb, false))
				return -1;
		} else if (ct_is(t, "set")) {
			if (set_decl(p, tb, true))
				return -1;
		} else if (ct_is(t, "define") || ct_is(t, "redefine")) {
			const struct ct_tok *n = ct_next(p);

			if (ct_define_set(p, n, t->text[0] == 'r'))
				return -1;
		} else if (ct_is(t, "comment")) {
			ct_next(p);
		} else if (ct_is(t, "map") || ct_is(t, "flowtable") || ct_is(t, "counter") ||
			   ct_is(t, "quota") || ct_is(t, "limit") || ct_is(t, "ct") ||
			   ct_is(t, "secmark") || ct_is(t, "synproxy") || ct_is(t, "flags")) {
			return ct_err(p, t, "ctrack does not support '%s' in tables (yet)", t->text);
		} else {
			return ct_err(p, t, "expected 'chain' or 'set' in table '%s', not '%s'",
				      tb->name, t->type == T_NL ? "end of line" : t->text);
		}
		if (end_stmt(p))
			return -1;
	}
}

/*
 * A native `rule add HOOK` or `policy HOOK`: the chain of that name, unique
 * among all tables; none yet and HOOK a hook: the namespace's default table
 * inet filter with its three base chains.
 */
static struct ct_chain *native_chain(struct ct_parser *p, const struct ct_tok *t)
{
	struct ct_chain *found = NULL;
	struct ct_table *tb;
	unsigned int v;

	for (unsigned int i = 0; i < p->rs->n; i++) {
		struct ct_chain *c = ct_chain_get(p->rs->tables[i], t->text, false);

		if (c && found) {
			ct_err(p, t, "chain '%s' is in more than one table; use 'add rule FAMILY TABLE %s ...'",
			       t->text, t->text);
			return NULL;
		}
		if (c)
			found = c;
	}
	if (found)
		return found;
	if (ct_name_lookup(ct_hook_names, t->text, &v)) {
		ct_err(p, t, "unknown chain '%s' (input, forward, output)", t->text);
		return NULL;
	}
	tb = ct_table_get(p->rs, NFPROTO_INET, "filter", true);
	if (!tb) {
		ct_err(p, t, "out of memory");
		return NULL;
	}
	for (int h = 0; h < __CTRACK_HOOK_MAX; h++) {
		const char *hn = ct_name_of(ct_hook_names, h);
		struct ct_chain *c = ct_chain_get(tb, hn, false);

		if (!c) {
			c = ct_chain_get(tb, hn, true);
			if (!c) {
				ct_err(p, t, "out of memory");
				return NULL;
			}
			c->base = true;
			c->hook = h;
			c->loc = t->loc;
		}
	}
	return ct_chain_get(tb, t->text, false);
}

static int add_rule(struct ct_parser *p, struct ct_chain *c, bool head)
{
	struct ct_rule r;

	if (ct_parse_rule_stmt(p, &r))
		return -1;
	if (ct_chain_add_rule(c, &r, head))
		return ct_err(p, NULL, "out of memory");
	return 0;
}

/* add|create|insert OBJECT ... */
static int command(struct ct_parser *p, const struct ct_tok *verb)
{
	const struct ct_tok *t = ct_next(p);
	struct ct_table *tb;
	bool insert = ct_is(verb, "insert");

	if (insert && !ct_is(t, "rule"))
		return ct_err(p, t, "expected 'rule' after 'insert'");
	if (ct_is(t, "table")) {
		tb = table_ref(p, true);
		if (!tb)
			return -1;
		return ct_peek(p)->type == '{' ? table_body(p, tb) : 0;
	}
	if (ct_is(t, "map"))
		return ct_err(p, t, "ctrack does not support named maps (yet)");
	if (!ct_is(t, "chain") && !ct_is(t, "set") && !ct_is(t, "element") && !ct_is(t, "rule"))
		return ct_err(p, t, "expected table, chain, set, element or rule after '%s'", verb->text);
	tb = table_ref(p, false);
	if (!tb)
		return -1;
	if (ct_is(t, "chain"))
		return chain_decl(p, tb, true);
	if (ct_is(t, "set"))
		return set_decl(p, tb, true);
	if (ct_is(t, "element")) {
		const struct ct_tok *n = ct_peek(p);
		char name[CT_NAME_MAX];
		struct ct_set *s;

		if (ct_get_name(p, name, sizeof(name), "a set name"))
			return -1;
		s = ct_set_get(tb, name, false);
		if (!s)
			return ct_err(p, n, "no set '%s' in table %s %s", name, ct_family_str(tb->family),
				      tb->name);
		return ct_parse_set_body(p, s, true);
	} else {
		const struct ct_tok *n = ct_peek(p);
		char name[CT_NAME_MAX];
		struct ct_chain *c;

		if (ct_get_name(p, name, sizeof(name), "a chain name"))
			return -1;
		c = ct_chain_get(tb, name, false);
		if (!c)
			return ct_err(p, n, "no chain '%s' in table %s %s", name,
				      ct_family_str(tb->family), tb->name);
		if (ct_is(ct_peek(p), "position") || ct_is(ct_peek(p), "handle") ||
		    ct_is(ct_peek(p), "index"))
			return ct_err(p, ct_peek(p), "'%s' is meaningless in a file: handles are assigned at load",
				      ct_peek(p)->text);
		return add_rule(p, c, insert);
	}
}

static int flush(struct ct_parser *p)
{
	const struct ct_tok *t = ct_next(p);
	struct ct_table *tb;

	if (ct_is(t, "ruleset")) {
		ct_ruleset_clear(p->rs);
		return 0;
	}
	if (!ct_is(t, "table") && !ct_is(t, "chain") && !ct_is(t, "set"))
		return ct_err(p, t, "expected ruleset, table, chain or set after 'flush'");
	tb = table_ref(p, false);
	if (!tb)
		return -1;
	if (ct_is(t, "table")) {
		for (unsigned int i = 0; i < tb->nchains; i++)
			ct_chain_flush(tb->chains[i]);
		for (unsigned int i = 0; i < tb->nsets; i++)
			ct_set_free_elems(tb->sets[i]);
	} else {
		const struct ct_tok *n = ct_peek(p);
		char name[CT_NAME_MAX];
		struct ct_chain *c;
		struct ct_set *s;

		if (ct_get_name(p, name, sizeof(name), "a name"))
			return -1;
		if (ct_is(t, "chain") && (c = ct_chain_get(tb, name, false)))
			ct_chain_flush(c);
		else if (ct_is(t, "set") && (s = ct_set_get(tb, name, false)))
			ct_set_free_elems(s);
		else
			return ct_err(p, n, "no %s '%s' in table %s %s", t->text, name,
				      ct_family_str(tb->family), tb->name);
	}
	return 0;
}

static int statement(struct ct_parser *p)
{
	const struct ct_tok *t = ct_next(p);

	if (t->type == T_NL || t->type == ';')
		return 0;
	if (t->type != T_WORD)
		return ct_err(p, t, "unexpected '%s'", t->text);
	if (ct_is(t, "flush")) {
		if (flush(p))
			return -1;
	} else if (ct_is(t, "table")) {
		struct ct_table *tb = table_ref(p, true);

		if (!tb || table_body(p, tb))
			return -1;
	} else if (ct_is(t, "add") || ct_is(t, "create") || ct_is(t, "insert")) {
		if (command(p, t))
			return -1;
	} else if (ct_is(t, "delete") || ct_is(t, "destroy")) {
		const struct ct_tok *o = ct_next(p);
		struct ct_table *tb;

		if (!ct_is(o, "table"))
			return ct_err(p, o, "in a file, only 'delete table' is supported");
		tb = table_ref(p, false);
		if (!tb) {
			if (ct_is(t, "destroy")) {
				p->failed = false;
				return end_stmt(p);
			}
			return -1;
		}
		ct_table_del(p->rs, tb);
	} else if (ct_is(t, "define") || ct_is(t, "redefine")) {
		const struct ct_tok *n = ct_next(p);

		if (n->type != T_WORD)
			return ct_err(p, n, "expected a variable name");
		if (ct_define_set(p, n, t->text[0] == 'r'))
			return -1;
	} else if (ct_is(t, "undefine")) {
		const struct ct_tok *n = ct_next(p);
		struct ct_define *d = ct_define_find(p, n->text);

		if (!d)
			return ct_err(p, n, "undefine: '%s' is not defined", n->text);
		d->name[0] = '\0';
	} else if (ct_is(t, "include")) {
		const struct ct_tok *n = ct_next(p);

		if (n->type != T_STR)
			return ct_err(p, n, "expected a quoted file name after 'include'");
		/* the rest of this line comes after the included file */
		if (end_stmt(p) || ct_include(p, n, n->text))
			return -1;
		return 0;
	} else if (ct_is(t, "rule")) {
		/* native: rule add|append|insert HOOK EXPR */
		const struct ct_tok *v = ct_next(p), *h;
		struct ct_chain *c;

		if (!ct_is(v, "add") && !ct_is(v, "append") && !ct_is(v, "insert"))
			return ct_err(p, v, "expected 'rule add CHAIN ...'");
		h = ct_next(p);
		if (h->type != T_WORD)
			return ct_err(p, h, "expected a chain name");
		c = native_chain(p, h);
		if (!c || add_rule(p, c, ct_is(v, "insert")))
			return -1;
	} else if (ct_is(t, "policy")) {
		const struct ct_tok *h;
		struct ct_chain *c;

		ct_accept(p, "set");
		h = ct_next(p);
		c = native_chain(p, h);
		if (!c)
			return -1;
		if (!c->base)
			return ct_err(p, h, "chain '%s' is not a base chain: it has no policy", c->name);
		if (policy_word(p, &c->policy))
			return -1;
	} else if (ct_is(t, "list") || ct_is(t, "monitor") || ct_is(t, "describe") ||
		   ct_is(t, "reset") || ct_is(t, "replace") || ct_is(t, "export") ||
		   ct_is(t, "import") || ct_is(t, "rename")) {
		return ct_err(p, t, "'%s' is not supported in a ruleset file", t->text);
	} else if (ct_is(t, "chain") || ct_is(t, "set")) {
		return ct_err(p, t, "'%s' outside a table: write 'table inet filter { %s ... }'",
			      t->text, t->text);
	} else {
		return ct_err(p, t, "expected a statement (table, flush, add, define, include, rule add, policy), not '%s'",
			      t->text);
	}
	return end_stmt(p);
}

static struct ct_ruleset *run(struct ct_parser *p)
{
	struct ct_ruleset *rs = ct_ruleset_new();

	if (!rs) {
		ct_err(p, NULL, "out of memory");
		return NULL;
	}
	p->rs = rs;
	while (!p->failed && !ct_parser_at_end(p))
		if (statement(p))
			break;
	if (p->failed || ct_ruleset_check_jumps(rs)) {
		ct_ruleset_free(rs);
		return NULL;
	}
	return rs;
}

struct ct_ruleset *ct_ruleset_read(FILE *f, const char *name, const char *const *incpath,
				   unsigned int nincpath)
{
	struct ct_parser *p = ct_parser_new(incpath, nincpath);
	struct ct_ruleset *rs = NULL;

	if (!p) {
		ct_set_error("out of memory");
		return NULL;
	}
	ct_errbuf[0] = '\0';
	if (!ct_parser_push_file(p, name, f))
		rs = run(p);
	if (rs)
		rs->parser = p;
	else
		ct_parser_free(p);
	return rs;
}

struct ct_ruleset *ct_ruleset_read_text(const char *text, const char *name)
{
	struct ct_parser *p = ct_parser_new(NULL, 0);
	struct ct_ruleset *rs = NULL;

	if (!p) {
		ct_set_error("out of memory");
		return NULL;
	}
	ct_errbuf[0] = '\0';
	if (!ct_parser_push_text(p, name, text, strlen(text)))
		rs = run(p);
	if (rs)
		rs->parser = p;
	else
		ct_parser_free(p);
	return rs;
}
