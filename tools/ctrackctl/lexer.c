// SPDX-License-Identifier: GPL-2.0
/*
 * The lexer of the nft language, and the token stream the parsers read:
 * a stack of frames (a file, an include, a $define's value), so includes
 * and defines expand in place without copying. Every token knows its
 * file, line and column; errors print like gcc's, with a caret.
 */
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <libgen.h>
#include "nft.h"

#define CT_FILE_MAX	(256U << 20)	/* refuse bigger sources */

static bool word_char(int c)
{
	return isalnum(c) || c == '_' || c == '.' || c == ':' || c == '/' || c == '-' || c == '*';
}

/* Formats an error at @loc into @buf: gcc's layout, or one line for the command line. */
void ct_loc_format(char *buf, size_t len, const struct ct_loc *loc, const char *msg)
{
	const struct ct_src *s = loc ? loc->src : NULL;
	const char *line, *end;
	size_t n, col, from = 0, ulen;
	char caret[256];	/* col <= 120, ulen <= 100 */

	if (!s || s->cmdline) {
		snprintf(buf, len, "%s", msg);
		return;
	}
	line = s->buf + loc->off - (loc->col - 1);
	end = memchr(line, '\n', s->buf + s->len - line);
	n = end ? (size_t)(end - line) : (size_t)(s->buf + s->len - line);
	col = loc->col - 1;
	/* a long line is shown around the column */
	if (n > 120) {
		from = col > 60 ? col - 60 : 0;
		n = n - from > 120 ? 120 : n - from;
		col -= from;
	}
	ulen = loc->len ? loc->len : 1;
	if (col > 120)
		col = 120;
	/* the tildes stay under the line shown */
	if (col < n && ulen > n - col)
		ulen = n - col;
	if (ulen > 100)
		ulen = 100;
	memset(caret, ' ', col);
	for (size_t i = 0; i < col; i++)
		if (line[from + i] == '\t')
			caret[i] = '\t';
	caret[col] = '^';
	memset(caret + col + 1, '~', ulen - 1);
	caret[col + ulen] = '\0';
	snprintf(buf, len, "%s:%u:%u: error: %s\n%.*s\n%s", s->name, loc->line, loc->col, msg,
		 (int)n, line + from, caret);
	/* NUL bytes and control characters would garble the terminal */
	for (char *c = strchr(buf, '\n'); c && *c; c++)
		if (*c != '\n' && *c != '\t' && (unsigned char)*c < 0x20)
			*c = '?';
}

int ct_err(struct ct_parser *p, const struct ct_tok *t, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (p->failed)
		return -1;
	p->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ct_loc_format(ct_errbuf, sizeof(ct_errbuf), t ? &t->loc : NULL, msg);
	return -1;
}

static int lex_err(struct ct_parser *p, struct ct_src *s, size_t off, uint32_t line,
		   uint32_t col, const char *msg)
{
	struct ct_tok t = { .loc = { s, line, col, (uint32_t)off, 1 } };

	return ct_err(p, &t, "%s", msg);
}

/* Splits the source into tokens; texts go to one pool (at most the source's size, plus NULs). */
static int lex(struct ct_parser *p, struct ct_src *s)
{
	size_t i = 0, cap = 64, pl = 0;
	uint32_t line = 1, lstart = 0;
	char *pool = malloc(2 * s->len + 2);

	s->toks = malloc(cap * sizeof(*s->toks));
	s->pool = pool;
	if (!pool || !s->toks)
		return ct_err(p, NULL, "out of memory");
	for (;;) {
		struct ct_tok t = { 0 };
		char c;

		while (i < s->len && (s->buf[i] == ' ' || s->buf[i] == '\t' || s->buf[i] == '\r' ||
				      (s->buf[i] == '\\' && i + 1 < s->len && s->buf[i + 1] == '\n'))) {
			if (s->buf[i] == '\\') {
				i += 2;
				line++;
				lstart = i;
				continue;
			}
			i++;
		}
		if (i < s->len && s->buf[i] == '#')
			while (i < s->len && s->buf[i] != '\n')
				i++;
		if (s->ntoks + 2 >= cap) {
			struct ct_tok *n = realloc(s->toks, cap * 2 * sizeof(*n));

			if (!n)
				return ct_err(p, NULL, "out of memory");
			s->toks = n;
			cap *= 2;
		}
		t.loc = (struct ct_loc){ s, line, (uint32_t)(i - lstart + 1), (uint32_t)i, 1 };
		t.text = pool + pl;
		if (i >= s->len) {
			/* every source ends a statement */
			t.type = T_NL;
			pool[pl++] = '\0';
			s->toks[s->ntoks++] = t;
			break;
		}
		c = s->buf[i];
		if (c == '\0')
			return lex_err(p, s, i, line, t.loc.col, "NUL byte in the input");
		if (c == '\n') {
			t.type = T_NL;
			pool[pl++] = '\0';
			i++;
			line++;
			lstart = i;
		} else if (c == '"') {
			size_t j = i + 1;

			while (j < s->len && s->buf[j] != '"' && s->buf[j] != '\n' && s->buf[j])
				pool[pl++] = s->buf[j++];
			if (j >= s->len || s->buf[j] != '"')
				return lex_err(p, s, i, line, t.loc.col, "unterminated string");
			pool[pl++] = '\0';
			t.type = T_STR;
			t.loc.len = j + 1 - i;
			i = j + 1;
		} else if ((c == '$' || c == '@') && i + 1 < s->len && word_char(s->buf[i + 1])) {
			size_t j = i + 1;

			while (j < s->len && (isalnum((unsigned char)s->buf[j]) || s->buf[j] == '_' ||
					      s->buf[j] == '-' || s->buf[j] == '.'))
				pool[pl++] = s->buf[j++];
			pool[pl++] = '\0';
			t.type = c == '$' ? T_VAR : T_AT;
			t.loc.len = j - i;
			i = j;
		} else if (word_char((unsigned char)c)) {
			size_t j = i;

			while (j < s->len && word_char((unsigned char)s->buf[j]))
				pool[pl++] = s->buf[j++];
			/* "22: accept": the colon is the vmap's, not the word's (but keep "fe80::") */
			if (j - i > 1 && s->buf[j - 1] == ':' && s->buf[j - 2] != ':') {
				j--;
				pl--;
			}
			pool[pl++] = '\0';
			/* "established : accept": a colon alone is the vmap's */
			t.type = j - i == 1 && c == ':' ? ':' : T_WORD;
			t.loc.len = j - i;
			i = j;
		} else if ((c == '=' || c == '!') && i + 1 < s->len && s->buf[i + 1] == '=') {
			t.type = c == '=' ? T_EQ : T_NE;
			memcpy(pool + pl, c == '=' ? "==" : "!=", 3);
			pl += 3;
			t.loc.len = 2;
			i += 2;
		} else if (strchr("{};,=()|&!+", c)) {
			t.type = c;
			pool[pl++] = c;
			pool[pl++] = '\0';
			i++;
		} else if (strchr("<>^~[]", c)) {
			t.type = T_OTHER;
			pool[pl++] = c;
			if (i + 1 < s->len && (s->buf[i + 1] == '=' || s->buf[i + 1] == c)) {
				pool[pl++] = s->buf[++i];
				t.loc.len = 2;
			}
			pool[pl++] = '\0';
			i++;
		} else {
			char msg[64];

			snprintf(msg, sizeof(msg), "unexpected character '%c'",
				 isprint((unsigned char)c) ? c : '?');
			return lex_err(p, s, i, line, t.loc.col, msg);
		}
		s->toks[s->ntoks++] = t;
	}
	return 0;
}

struct ct_parser *ct_parser_new(const char *const *incpath, unsigned int nincpath)
{
	struct ct_parser *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->incpath = incpath;
	p->nincpath = nincpath;
	p->eof.type = T_EOF;
	p->eof.text = "";
	return p;
}

void ct_parser_free(struct ct_parser *p)
{
	struct ct_src *s, *n;

	if (!p)
		return;
	for (s = p->srcs; s; s = n) {
		n = s->next;
		free(s->name);
		free(s->dir);
		free(s->buf);
		free(s->pool);
		free(s->toks);
		free(s);
	}
	for (unsigned int i = 0; i < p->ndefs; i++)
		free(p->defs[i].own);
	free(p->defs);
	for (unsigned int i = 0; i < p->nold_defs; i++)
		free(p->old_defs[i]);
	free(p->old_defs);
	free(p);
}

int ct_push_tokens(struct ct_parser *p, const struct ct_tok *toks, unsigned int n,
		   const struct ct_src *include)
{
	const struct ct_tok *at = p->nframes ? &p->frames[p->nframes - 1].toks[
		p->frames[p->nframes - 1].pos ? p->frames[p->nframes - 1].pos - 1 : 0] : NULL;

	if (p->nframes == CT_FRAME_MAX)
		return ct_err(p, at, "includes and defines nested too deeply (%d levels)",
			      CT_FRAME_MAX);
	p->frames[p->nframes++] = (struct ct_frame){ toks, n, 0, include, -1, 0 };
	return 0;
}

static struct ct_src *add_src(struct ct_parser *p, const char *name, char *buf, size_t len)
{
	struct ct_src *s = calloc(1, sizeof(*s));
	char *d;

	if (!s) {
		free(buf);
		return NULL;
	}
	s->name = strdup(name);
	d = strdup(name);
	s->dir = d ? strdup(dirname(d)) : NULL;
	free(d);
	s->buf = buf;
	s->len = len;
	s->next = p->srcs;
	p->srcs = s;
	if (!s->name || !s->dir) {
		ct_err(p, NULL, "out of memory");
		return NULL;
	}
	return s;
}

int ct_parser_push_text(struct ct_parser *p, const char *name, const char *text, size_t len)
{
	char *buf = malloc(len + 1);
	struct ct_src *s;

	if (!buf)
		return ct_err(p, NULL, "out of memory");
	memcpy(buf, text, len);
	buf[len] = '\0';
	s = add_src(p, name, buf, len);
	if (!s)
		return -1;
	s->cmdline = !strcmp(name, "<cmdline>");
	if (lex(p, s))
		return -1;
	return ct_push_tokens(p, s->toks, s->ntoks, NULL);
}

static int read_all(FILE *f, char **out, size_t *olen)
{
	size_t cap = 65536, len = 0, n;
	char *buf = malloc(cap + 1);

	while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			char *nb = cap >= CT_FILE_MAX ? NULL : realloc(buf, cap * 2 + 1);

			if (!nb) {
				free(buf);
				errno = EFBIG;
				return -1;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (!buf || ferror(f)) {
		free(buf);
		return -1;
	}
	buf[len] = '\0';
	*out = buf;
	*olen = len;
	return 0;
}

static struct ct_src *load_file(struct ct_parser *p, const struct ct_tok *at, const char *path,
				FILE *f)
{
	struct ct_src *s;
	char *buf;
	size_t len;
	FILE *own = NULL;

	if (!f) {
		f = own = fopen(path, "r");
		if (!f) {
			ct_err(p, at, "cannot open '%s': %s", path, strerror(errno));
			return NULL;
		}
	}
	if (read_all(f, &buf, &len)) {
		ct_err(p, at, "cannot read '%s': %s", path, strerror(errno));
		if (own)
			fclose(own);
		return NULL;
	}
	if (own)
		fclose(own);
	s = add_src(p, path, buf, len);
	if (!s || lex(p, s))
		return NULL;
	return s;
}

int ct_parser_push_file(struct ct_parser *p, const char *path, FILE *f)
{
	struct ct_src *s = load_file(p, NULL, path, f);

	if (!s) {
		if (!p->failed)
			ct_err(p, NULL, "%s: cannot read", path);
		return -1;
	}
	return ct_push_tokens(p, s->toks, s->ntoks, s);
}

const char *ct_parser_error(struct ct_parser *p)
{
	return p->failed ? ct_errbuf : NULL;
}

struct ct_define *ct_define_find(struct ct_parser *p, const char *name)
{
	for (unsigned int i = 0; i < p->ndefs; i++)
		if (!strcmp(p->defs[i].name, name))
			return &p->defs[i];
	return NULL;
}

/* The current token, with $defines expanded and finished frames left. */
const struct ct_tok *ct_peek(struct ct_parser *p)
{
	for (;;) {
		struct ct_frame *fr;
		const struct ct_tok *t;
		struct ct_define *d;

		if (p->failed)
			return &p->eof;
		while (p->nframes && p->frames[p->nframes - 1].pos >= p->frames[p->nframes - 1].n) {
			fr = &p->frames[p->nframes - 1];
			/* errors at the end of input point at the end of the last source */
			if (fr->n && fr->toks[fr->n - 1].loc.src)
				p->eof.loc = fr->toks[fr->n - 1].loc;
			p->nframes--;
		}
		if (!p->nframes)
			return &p->eof;
		fr = &p->frames[p->nframes - 1];
		t = &fr->toks[fr->pos];
		if (t->type != T_VAR)
			return t;
		d = ct_define_find(p, t->text);
		if (!d) {
			ct_err(p, t, "undefined variable '$%s'", t->text);
			return &p->eof;
		}
		fr->pos++;
		if (ct_push_tokens(p, d->toks, d->n, NULL))
			return &p->eof;
	}
}

const struct ct_tok *ct_next(struct ct_parser *p)
{
	const struct ct_tok *t = ct_peek(p);

	if (t != &p->eof)
		p->frames[p->nframes - 1].pos++;
	return t;
}

bool ct_is(const struct ct_tok *t, const char *word)
{
	return (t->type == T_WORD) && !strcmp(t->text, word);
}

bool ct_accept(struct ct_parser *p, const char *word)
{
	if (!ct_is(ct_peek(p), word))
		return false;
	ct_next(p);
	return true;
}

bool ct_accept_type(struct ct_parser *p, int type)
{
	if (ct_peek(p)->type != type)
		return false;
	ct_next(p);
	return true;
}

void ct_skip_nl(struct ct_parser *p)
{
	while (ct_peek(p)->type == T_NL || ct_peek(p)->type == ';')
		ct_next(p);
}

bool ct_stmt_end(const struct ct_tok *t)
{
	return t->type == T_NL || t->type == ';' || t->type == '}' || t->type == T_EOF;
}

int ct_parser_at_end(struct ct_parser *p)
{
	while (ct_peek(p)->type == T_NL)
		ct_next(p);
	return ct_peek(p)->type == T_EOF;
}

static const char *tok_desc(const struct ct_tok *t)
{
	switch (t->type) {
	case T_EOF:
		return "end of input";
	case T_NL:
		return "end of line";
	}
	return t->text;
}

int ct_want(struct ct_parser *p, int type, const char *what)
{
	const struct ct_tok *t = ct_peek(p);

	if (t->type != type)
		return ct_err(p, t, "expected %s, not '%s'", what, tok_desc(t));
	ct_next(p);
	return 0;
}

/* A table, chain or set name: a word or a string. */
int ct_get_name(struct ct_parser *p, char *out, size_t len, const char *what)
{
	const struct ct_tok *t = ct_peek(p);

	if (t->type != T_WORD && t->type != T_STR)
		return ct_err(p, t, "expected %s, not '%s'", what, tok_desc(t));
	if (!t->text[0] || strlen(t->text) >= len)
		return ct_err(p, t, "%s '%.40s%s': 1..%zu characters", what, t->text,
			      strlen(t->text) > 40 ? "..." : "", len - 1);
	strcpy(out, t->text);
	ct_next(p);
	return 0;
}

/* define NAME = TOKENS up to the end of the statement (braces may span lines). */
int ct_define_set(struct ct_parser *p, const struct ct_tok *name, bool redefine)
{
	struct ct_define *d = ct_define_find(p, name->text);
	struct ct_tok *toks = NULL;
	unsigned int n = 0, cap = 0;
	int depth = 0;

	if (d && !redefine)
		return ct_err(p, name, "'%s' is already defined (use redefine)", name->text);
	if (strlen(name->text) >= CT_NAME_MAX)
		return ct_err(p, name, "variable name too long");
	if (ct_want(p, '=', "'=' after the variable name"))
		return -1;
	for (;;) {
		const struct ct_tok *t = ct_peek(p);

		if (t->type == T_EOF || (depth == 0 && ct_stmt_end(t)))
			break;
		if (t->type == '{')
			depth++;
		if (t->type == '}')
			depth--;
		if (n == cap) {
			struct ct_tok *nt = realloc(toks, (cap = cap ? cap * 2 : 16) * sizeof(*nt));

			if (!nt) {
				free(toks);
				return ct_err(p, t, "out of memory");
			}
			toks = nt;
		}
		/* newlines inside braces are kept out: the value is one expression */
		if (t->type != T_NL)
			toks[n++] = *t;
		ct_next(p);
	}
	if (p->failed || !n || depth) {
		free(toks);
		if (p->failed)
			return -1;
		if (depth)
			return ct_err(p, name, "define '%s': unbalanced '{'", name->text);
		return ct_err(p, name, "define '%s' has no value", name->text);
	}
	if (!d) {
		struct ct_define *nd = realloc(p->defs, (p->ndefs + 1) * sizeof(*nd));

		if (!nd) {
			free(toks);
			return ct_err(p, name, "out of memory");
		}
		p->defs = nd;
		d = &p->defs[p->ndefs++];
		memset(d, 0, sizeof(*d));
		strcpy(d->name, name->text);
	}
	/* the old value may still be expanding: keep it until the end */
	if (d->own) {
		struct ct_tok **o = realloc(p->old_defs, (p->nold_defs + 1) * sizeof(*o));

		if (!o) {
			free(toks);
			return ct_err(p, name, "out of memory");
		}
		p->old_defs = o;
		p->old_defs[p->nold_defs++] = d->own;
	}
	d->own = toks;
	d->toks = toks;
	d->n = n;
	return 0;
}

/*
 * Is @real one of the files that include the one at frame @cur (or that
 * file itself)? Only the chain of includers counts: files of the same glob
 * wait on the stack too, but include nothing.
 */
static bool include_open(struct ct_parser *p, int cur, const char *real)
{
	for (int i = cur; i >= 0; i = p->frames[i].parent) {
		const struct ct_src *s = p->frames[i].include;
		char r[PATH_MAX];

		if (s && realpath(s->name, r) && !strcmp(r, real))
			return true;
	}
	return false;
}

/* @cur: the frame of the including file, -1 for none (the command line) */
static int include_one(struct ct_parser *p, const struct ct_tok *at, const char *path, int cur)
{
	int depth = cur >= 0 ? p->frames[cur].depth + 1 : 1;
	char real[PATH_MAX];
	struct ct_src *s;

	if (depth > CT_INCLUDE_MAX)
		return ct_err(p, at, "includes nested deeper than %d", CT_INCLUDE_MAX);
	if (realpath(path, real) && include_open(p, cur, real))
		return ct_err(p, at, "include loop: '%s' includes itself", path);
	s = load_file(p, at, path, NULL);
	if (!s || ct_push_tokens(p, s->toks, s->ntoks, s))
		return -1;
	p->frames[p->nframes - 1].parent = cur;
	p->frames[p->nframes - 1].depth = depth;
	return 0;
}

/*
 * include "PATTERN": glob(3); a relative name is looked up next to the
 * including file, then in the current directory, then -I dirs and
 * /etc/nftables. Files of one glob are read in name order (pushed in
 * reverse, as the stack runs the last pushed first).
 */
int ct_include(struct ct_parser *p, const struct ct_tok *t, const char *pattern)
{
	const char *dirs[20];
	unsigned int nd = 0;
	bool wild = strpbrk(pattern, "*?[") != NULL;
	int cur = p->nframes - 1;

	/* the including file: the innermost file frame (a $define's may be above it) */
	while (cur >= 0 && !p->frames[cur].include)
		cur--;

	if (pattern[0] == '/') {
		dirs[nd++] = "";
	} else {
		dirs[nd++] = t->loc.src && !t->loc.src->cmdline ? t->loc.src->dir : ".";
		dirs[nd++] = ".";
		for (unsigned int i = 0; i < p->nincpath && nd < 18; i++)
			dirs[nd++] = p->incpath[i];
		dirs[nd++] = "/etc/nftables";
	}
	for (unsigned int d = 0; d < nd; d++) {
		char path[PATH_MAX];
		glob_t g;
		int r;

		if (snprintf(path, sizeof(path), "%s%s%s", dirs[d], dirs[d][0] ? "/" : "",
			     pattern) >= (int)sizeof(path))
			return ct_err(p, t, "include path too long");
		r = glob(path, 0, NULL, &g);
		if (r == GLOB_NOMATCH)
			continue;
		if (r) {
			globfree(&g);
			return ct_err(p, t, "include \"%s\": glob failed", pattern);
		}
		for (size_t i = g.gl_pathc; i-- > 0;)
			if (include_one(p, t, g.gl_pathv[i], cur)) {
				globfree(&g);
				return -1;
			}
		globfree(&g);
		return 0;
	}
	if (wild)
		return 0;	/* nft: a pattern that matches nothing is fine */
	return ct_err(p, t, "include \"%s\": no such file", pattern);
}
