// SPDX-License-Identifier: GPL-2.0
/* The rule set model: tables holding sets and chains, chains holding rules. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include "ctrackctl.h"

struct ct_ruleset *ct_ruleset_new(void)
{
	return calloc(1, sizeof(struct ct_ruleset));
}

void ct_rule_free(struct ct_rule *r)
{
	for (unsigned int i = 0; i < r->nm; i++)
		free(r->m[i].elems);
	free(r->m);
	free(r->velems);
	r->m = NULL;
	r->velems = NULL;
	r->nm = r->nvelems = 0;
}

void ct_chain_flush(struct ct_chain *c)
{
	for (unsigned int i = 0; i < c->n; i++)
		ct_rule_free(&c->rules[i]);
	free(c->rules);
	c->rules = NULL;
	c->n = c->cap = 0;
}

void ct_set_free_elems(struct ct_set *s)
{
	free(s->elems);
	s->elems = NULL;
	s->n = s->cap = 0;
}

static void table_free(struct ct_table *t)
{
	for (unsigned int i = 0; i < t->nchains; i++) {
		ct_chain_flush(t->chains[i]);
		free(t->chains[i]);
	}
	for (unsigned int i = 0; i < t->nsets; i++) {
		ct_set_free_elems(t->sets[i]);
		free(t->sets[i]);
	}
	free(t->chains);
	free(t->sets);
	free(t);
}

void ct_ruleset_clear(struct ct_ruleset *rs)
{
	for (unsigned int i = 0; i < rs->n; i++)
		table_free(rs->tables[i]);
	free(rs->tables);
	rs->tables = NULL;
	rs->n = 0;
}

void ct_ruleset_free(struct ct_ruleset *rs)
{
	if (!rs)
		return;
	ct_ruleset_clear(rs);
	ct_parser_free(rs->parser);
	free(rs);
}

/* Appends a pointer to a growing array of pointers (doubling). */
static int push_ptr(void ***arr, unsigned int *n, void *p)
{
	if ((*n & (*n - 1)) == 0) {
		void **q = realloc(*arr, (*n ? *n * 2 : 4) * sizeof(*q));

		if (!q)
			return -1;
		*arr = q;
	}
	(*arr)[(*n)++] = p;
	return 0;
}

struct ct_table *ct_table_get(struct ct_ruleset *rs, uint8_t family, const char *name, bool create)
{
	struct ct_table *t;

	for (unsigned int i = 0; i < rs->n; i++)
		if (rs->tables[i]->family == family && !strcmp(rs->tables[i]->name, name))
			return rs->tables[i];
	if (!create)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t || push_ptr((void ***)&rs->tables, &rs->n, t)) {
		free(t);
		return NULL;
	}
	t->family = family;
	snprintf(t->name, sizeof(t->name), "%s", name);
	return t;
}

void ct_table_del(struct ct_ruleset *rs, struct ct_table *t)
{
	for (unsigned int i = 0; i < rs->n; i++)
		if (rs->tables[i] == t) {
			memmove(&rs->tables[i], &rs->tables[i + 1], (rs->n - i - 1) * sizeof(t));
			rs->n--;
			table_free(t);
			return;
		}
}

struct ct_chain *ct_chain_get(struct ct_table *t, const char *name, bool create)
{
	struct ct_chain *c;

	for (unsigned int i = 0; i < t->nchains; i++)
		if (!strcmp(t->chains[i]->name, name))
			return t->chains[i];
	if (!create)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c || push_ptr((void ***)&t->chains, &t->nchains, c)) {
		free(c);
		return NULL;
	}
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->policy = CTRACK_VERDICT_ACCEPT;
	return c;
}

struct ct_set *ct_set_get(struct ct_table *t, const char *name, bool create)
{
	struct ct_set *s;

	for (unsigned int i = 0; i < t->nsets; i++)
		if (!strcmp(t->sets[i]->name, name))
			return t->sets[i];
	if (!create)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s || push_ptr((void ***)&t->sets, &t->nsets, s)) {
		free(s);
		return NULL;
	}
	snprintf(s->name, sizeof(s->name), "%s", name);
	return s;
}

/* Takes over @r's arrays. */
int ct_chain_add_rule(struct ct_chain *c, struct ct_rule *r, bool head)
{
	if (c->n == c->cap) {
		unsigned int n = c->cap ? c->cap * 2 : 8;
		struct ct_rule *p = realloc(c->rules, n * sizeof(*p));

		if (!p)
			return -1;
		c->rules = p;
		c->cap = n;
	}
	if (head) {
		memmove(&c->rules[1], &c->rules[0], c->n * sizeof(*r));
		c->rules[0] = *r;
	} else {
		c->rules[c->n] = *r;
	}
	c->n++;
	memset(r, 0, sizeof(*r));
	return 0;
}

int ct_match_add_elem(struct ct_elem **arr, unsigned int *n, const struct ct_elem *e)
{
	if ((*n & (*n - 1)) == 0) {
		struct ct_elem *p = realloc(*arr, (*n ? *n * 2 : 4) * sizeof(*p));

		if (!p)
			return -1;
		*arr = p;
	}
	(*arr)[(*n)++] = *e;
	return 0;
}

int ct_set_add_elem(struct ct_set *s, const struct ct_elem *e)
{
	if (s->n == s->cap) {
		unsigned int n = s->cap ? s->cap * 2 : 16;
		struct ct_elem *p = realloc(s->elems, n * sizeof(*p));

		if (!p)
			return -1;
		s->elems = p;
		s->cap = n;
	}
	s->elems[s->n++] = *e;
	return 0;
}

struct ct_match *ct_rule_add_match(struct ct_rule *r)
{
	struct ct_match *m;

	if (r->nm >= CT_MATCH_MAX)
		return NULL;
	if ((r->nm & (r->nm - 1)) == 0) {
		m = realloc(r->m, (r->nm ? r->nm * 2 : 4) * sizeof(*m));
		if (!m)
			return NULL;
		r->m = m;
	}
	m = &r->m[r->nm++];
	memset(m, 0, sizeof(*m));
	return m;
}

const char *ct_family_str(uint8_t family)
{
	const char *s = ct_name_of(ct_family_names, family);

	return s ? s : "?";
}

/*
 * Jumps and gotos of a whole rule set, checked before it is sent so that
 * an error names the rule's line: each target is a regular chain of the
 * rule's table, and no chain reaches itself. (The kernel checks the same.)
 */
static bool jumps(uint8_t v)
{
	return v == CTRACK_VERDICT_JUMP || v == CTRACK_VERDICT_GOTO;
}

struct jump_walk {
	const struct ct_table *t;
	uint8_t *mark;		/* per chain: 0 new, 1 on the path, 2 done */
};

static int __attribute__((format(printf, 2, 3)))
jump_err(const struct ct_rule *r, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ct_loc_format(ct_errbuf, sizeof(ct_errbuf), r->loc.src ? &r->loc : NULL, msg);
	return -1;
}

static int walk_chain(struct jump_walk *w, unsigned int ci);

/* One target of rule @r in chain @from. */
static int walk_target(struct jump_walk *w, const struct ct_chain *from,
		       const struct ct_rule *r, const char *target)
{
	unsigned int ci;

	for (ci = 0; ci < w->t->nchains; ci++)
		if (!strcmp(w->t->chains[ci]->name, target))
			break;
	if (ci == w->t->nchains)
		return jump_err(r, "no chain %s in table %s to jump to", target, w->t->name);
	if (w->t->chains[ci]->base)
		return jump_err(r, "chain %s is a base chain: jumps go to regular chains", target);
	if (w->mark[ci] == 1)
		return jump_err(r, "chain %s jumps back to chain %s: a loop", from->name, target);
	return w->mark[ci] ? 0 : walk_chain(w, ci);
}

static int walk_chain(struct jump_walk *w, unsigned int ci)
{
	const struct ct_chain *c = w->t->chains[ci];

	w->mark[ci] = 1;
	for (unsigned int i = 0; i < c->n; i++) {
		const struct ct_rule *r = &c->rules[i];

		if (jumps(r->verdict) && walk_target(w, c, r, r->target))
			return -1;
		for (unsigned int e = 0; e < r->nvelems; e++)
			if ((r->velems[e].flags & CT_E_VERDICT) && jumps(r->velems[e].verdict) &&
			    walk_target(w, c, r, r->velems[e].target))
				return -1;
	}
	w->mark[ci] = 2;
	return 0;
}

int ct_ruleset_check_jumps(const struct ct_ruleset *rs)
{
	for (unsigned int ti = 0; ti < rs->n; ti++) {
		struct jump_walk w = { rs->tables[ti], NULL };
		int ret = 0;

		if (!w.t->nchains)
			continue;
		w.mark = calloc(w.t->nchains, 1);
		if (!w.mark) {
			ct_set_error("out of memory");
			return -1;
		}
		for (unsigned int ci = 0; !ret && ci < w.t->nchains; ci++)
			if (!w.mark[ci])
				ret = walk_chain(&w, ci);
		free(w.mark);
		if (ret)
			return ret;
	}
	return 0;
}
