// SPDX-License-Identifier: GPL-2.0
/*
 * Reading libnftables-json (what `nft -j list ruleset` and `ctrackctl -j
 * ruleset save` print). A small strict JSON parser, then a translator that
 * turns every table, set, chain and rule object into one line of nft text
 * and hands the whole text to the text parser: every check and error of the
 * text path applies unchanged. Its errors are mapped back to the JSON
 * object the line came from.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "ctrackctl.h"

#define JSON_FILE_MAX	(256U << 20)	/* as the text path */
#define JSON_DEPTH_MAX	64		/* nft's documents nest about 10 deep */

enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	uint8_t type;
	bool b;
	uint32_t line, col;
	char *s;		/* J_STR: the decoded string; J_NUM: its text */
	size_t len;
	struct jv *v;		/* J_ARR items, J_OBJ values */
	char **k;		/* J_OBJ keys */
	size_t n, cap;
};

static const char *const jtype_names[] = {
	"null", "a boolean", "a number", "a string", "an array", "an object"
};

/* ---- the JSON parser ---- */

struct jparser {
	const char *buf, *name;
	size_t len, pos, lstart;
	uint32_t line;
	int depth;
	bool failed;
};

static int jp_err(struct jparser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int jp_err(struct jparser *p, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (p->failed)
		return -1;
	p->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ct_set_error("%s:%u:%zu: error: %s", p->name, p->line, p->pos - p->lstart + 1, msg);
	return -1;
}

static void jv_free(struct jv *v)
{
	for (size_t i = 0; i < v->n; i++) {
		jv_free(&v->v[i]);
		if (v->k)
			free(v->k[i]);
	}
	free(v->v);
	free(v->k);
	free(v->s);
}

static void skip_ws(struct jparser *p)
{
	while (p->pos < p->len) {
		char c = p->buf[p->pos];

		if (c == '\n') {
			p->line++;
			p->lstart = p->pos + 1;
		} else if (c != ' ' && c != '\t' && c != '\r') {
			return;
		}
		p->pos++;
	}
}

static const char *cur_desc(struct jparser *p)
{
	static char d[16];
	unsigned char c;

	if (p->pos >= p->len)
		return "end of input";
	c = p->buf[p->pos];
	snprintf(d, sizeof(d), c >= 0x20 && c < 0x7f ? "'%c'" : "byte 0x%02x", c);
	return d;
}

static int hex4(struct jparser *p, uint32_t *out)
{
	*out = 0;
	for (int i = 0; i < 4; i++) {
		char c = p->pos < p->len ? p->buf[p->pos] : 0;
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (d < 0)
			return jp_err(p, "bad \\u escape: expected 4 hex digits");
		*out = *out << 4 | d;
		p->pos++;
	}
	return 0;
}

/* A string at '"': decoded to UTF-8; NUL and raw control characters refused. */
static int parse_string(struct jparser *p, char **out, size_t *olen)
{
	size_t start = ++p->pos, cap = 16, n = 0;
	char *s = malloc(cap);

	if (!s)
		return jp_err(p, "out of memory");
	for (;;) {
		unsigned char c;
		char enc[4];
		size_t el = 0;

		if (p->pos >= p->len) {
			free(s);
			p->pos = start - 1;
			return jp_err(p, "unterminated string");
		}
		c = p->buf[p->pos];
		if (c == '"') {
			p->pos++;
			break;
		}
		if (c < 0x20) {
			free(s);
			return jp_err(p, "control character 0x%02x in a string (write it as \\u%04x)", c, c);
		}
		if (c != '\\') {
			enc[el++] = c;
			p->pos++;
		} else {
			uint32_t u, lo;

			p->pos++;
			c = p->pos < p->len ? p->buf[p->pos] : 0;
			p->pos++;
			switch (c) {
			case '"': case '\\': case '/':
				enc[el++] = c;
				break;
			case 'b': enc[el++] = '\b'; break;
			case 'f': enc[el++] = '\f'; break;
			case 'n': enc[el++] = '\n'; break;
			case 'r': enc[el++] = '\r'; break;
			case 't': enc[el++] = '\t'; break;
			case 'u':
				if (hex4(p, &u)) {
					free(s);
					return -1;
				}
				if (u >= 0xdc00 && u <= 0xdfff) {
					free(s);
					return jp_err(p, "bad \\u escape: a lone low surrogate");
				}
				if (u >= 0xd800 && u <= 0xdbff) {
					if (p->pos + 1 >= p->len || p->buf[p->pos] != '\\' ||
					    p->buf[p->pos + 1] != 'u') {
						free(s);
						return jp_err(p, "bad \\u escape: a high surrogate without its low half");
					}
					p->pos += 2;
					if (hex4(p, &lo)) {
						free(s);
						return -1;
					}
					if (lo < 0xdc00 || lo > 0xdfff) {
						free(s);
						return jp_err(p, "bad \\u escape: a high surrogate without its low half");
					}
					u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
				}
				if (!u) {
					free(s);
					return jp_err(p, "\\u0000 in a string: ctrack's names and comments cannot hold NUL");
				}
				if (u < 0x80) {
					enc[el++] = u;
				} else if (u < 0x800) {
					enc[el++] = 0xc0 | u >> 6;
					enc[el++] = 0x80 | (u & 0x3f);
				} else if (u < 0x10000) {
					enc[el++] = 0xe0 | u >> 12;
					enc[el++] = 0x80 | ((u >> 6) & 0x3f);
					enc[el++] = 0x80 | (u & 0x3f);
				} else {
					enc[el++] = 0xf0 | u >> 18;
					enc[el++] = 0x80 | ((u >> 12) & 0x3f);
					enc[el++] = 0x80 | ((u >> 6) & 0x3f);
					enc[el++] = 0x80 | (u & 0x3f);
				}
				break;
			default:
				p->pos--;
				free(s);
				return jp_err(p, "bad escape '\\%c' in a string", c >= 0x20 && c < 0x7f ? c : '?');
			}
		}
		if (n + el + 1 > cap) {
			char *ns = realloc(s, cap *= 2);

			if (!ns) {
				free(s);
				return jp_err(p, "out of memory");
			}
			s = ns;
		}
		memcpy(s + n, enc, el);
		n += el;
	}
	s[n] = '\0';
	*out = s;
	*olen = n;
	return 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* JSON's number grammar exactly; the text is kept, converted where it is used. */
static int parse_number(struct jparser *p, struct jv *v)
{
	size_t s = p->pos;
	const char *b = p->buf;

	if (p->pos < p->len && b[p->pos] == '-')
		p->pos++;
	if (p->pos >= p->len || !is_digit(b[p->pos]))
		return jp_err(p, "bad number: expected a digit");
	if (b[p->pos] == '0' && p->pos + 1 < p->len && is_digit(b[p->pos + 1]))
		return jp_err(p, "bad number: leading zero");
	while (p->pos < p->len && is_digit(b[p->pos]))
		p->pos++;
	if (p->pos < p->len && b[p->pos] == '.') {
		p->pos++;
		if (p->pos >= p->len || !is_digit(b[p->pos]))
			return jp_err(p, "bad number: expected a digit after '.'");
		while (p->pos < p->len && is_digit(b[p->pos]))
			p->pos++;
	}
	if (p->pos < p->len && (b[p->pos] == 'e' || b[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->len && (b[p->pos] == '+' || b[p->pos] == '-'))
			p->pos++;
		if (p->pos >= p->len || !is_digit(b[p->pos]))
			return jp_err(p, "bad number: expected a digit in the exponent");
		while (p->pos < p->len && is_digit(b[p->pos]))
			p->pos++;
	}
	if (p->pos - s > 64) {
		p->pos = s;
		return jp_err(p, "number too long");
	}
	v->type = J_NUM;
	v->s = strndup(b + s, p->pos - s);
	if (!v->s)
		return jp_err(p, "out of memory");
	return 0;
}

static int parse_value(struct jparser *p, struct jv *v);

static int grow(struct jparser *p, struct jv *v, bool keys)
{
	size_t cap = v->cap ? v->cap * 2 : 4;
	struct jv *nv;

	nv = realloc(v->v, cap * sizeof(*nv));
	if (!nv)
		return jp_err(p, "out of memory");
	v->v = nv;
	if (keys) {
		char **nk = realloc(v->k, cap * sizeof(*nk));

		if (!nk)
			return jp_err(p, "out of memory");
		v->k = nk;
	}
	v->cap = cap;
	return 0;
}

static int parse_container(struct jparser *p, struct jv *v, bool obj)
{
	char close = obj ? '}' : ']';

	if (++p->depth > JSON_DEPTH_MAX)
		return jp_err(p, "nested deeper than %d levels", JSON_DEPTH_MAX);
	v->type = obj ? J_OBJ : J_ARR;
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->buf[p->pos] == close) {
		p->pos++;
		p->depth--;
		return 0;
	}
	for (;;) {
		char *key = NULL;
		size_t klen;

		skip_ws(p);
		if (obj) {
			if (p->pos >= p->len || p->buf[p->pos] != '"')
				return jp_err(p, "expected a member name (a string), not %s", cur_desc(p));
			if (parse_string(p, &key, &klen))
				return -1;
			for (size_t i = 0; i < v->n; i++)
				if (!strcmp(v->k[i], key)) {
					jp_err(p, "duplicate member \"%.40s\"", key);
					free(key);
					return -1;
				}
			skip_ws(p);
			if (p->pos >= p->len || p->buf[p->pos] != ':') {
				free(key);
				return jp_err(p, "expected ':' after the member name, not %s", cur_desc(p));
			}
			p->pos++;
			skip_ws(p);
		}
		if (v->n == v->cap && grow(p, v, obj)) {
			free(key);
			return -1;
		}
		memset(&v->v[v->n], 0, sizeof(v->v[0]));
		if (obj)
			v->k[v->n] = key;
		/* counted before parsing, so a failed item is freed with its container */
		v->n++;
		if (parse_value(p, &v->v[v->n - 1]))
			return -1;
		skip_ws(p);
		if (p->pos < p->len && p->buf[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->buf[p->pos] == close) {
			p->pos++;
			p->depth--;
			return 0;
		}
		return jp_err(p, "expected ',' or '%c', not %s", close, cur_desc(p));
	}
}

static int literal(struct jparser *p, const char *word)
{
	size_t n = strlen(word);

	if (p->len - p->pos < n || memcmp(p->buf + p->pos, word, n))
		return jp_err(p, "unexpected %s: expected a JSON value", cur_desc(p));
	p->pos += n;
	return 0;
}

static int parse_value(struct jparser *p, struct jv *v)
{
	char c;

	skip_ws(p);
	v->line = p->line;
	v->col = p->pos - p->lstart + 1;
	if (p->pos >= p->len)
		return jp_err(p, "unexpected end of input: expected a JSON value");
	c = p->buf[p->pos];
	switch (c) {
	case '{':
	case '[':
		return parse_container(p, v, c == '{');
	case '"':
		v->type = J_STR;
		return parse_string(p, &v->s, &v->len);
	case 't':
	case 'f':
		v->type = J_BOOL;
		v->b = c == 't';
		return literal(p, c == 't' ? "true" : "false");
	case 'n':
		v->type = J_NULL;
		return literal(p, "null");
	}
	if (c == '-' || is_digit(c))
		return parse_number(p, v);
	return jp_err(p, "unexpected %s: expected a JSON value", cur_desc(p));
}

static int json_parse(struct jparser *p, struct jv *root)
{
	memset(root, 0, sizeof(*root));
	p->line = 1;
	if (memchr(p->buf, '\0', p->len)) {
		p->pos = (const char *)memchr(p->buf, '\0', p->len) - p->buf;
		for (size_t i = 0; i < p->pos; i++)
			if (p->buf[i] == '\n')
				p->line++, p->lstart = i + 1;
		return jp_err(p, "NUL byte in the input");
	}
	if (parse_value(p, root))
		return -1;
	skip_ws(p);
	if (p->pos < p->len)
		return jp_err(p, "unexpected %s after the JSON document", cur_desc(p));
	return 0;
}

/* ---- JSON -> nft text ---- */

/* Where each generated line came from, to report the text parser's errors. */
struct lmap {
	uint32_t line, col;
	const char *what;
};

struct tr {
	const char *name;	/* the JSON file's */
	FILE *out;
	struct lmap *map;
	unsigned int nmap, capmap;
	const char *what;	/* the object being translated: "rule", "chain" */
	bool failed;
};

static int terr(struct tr *t, const struct jv *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int terr(struct tr *t, const struct jv *at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (t->failed)
		return -1;
	t->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* quoted JSON strings may hold newlines: one line per message */
	for (char *c = msg; *c; c++)
		if ((unsigned char)*c < 0x20)
			*c = '?';
	ct_set_error("%s:%u:%u: error: %s%s%s", t->name, at->line, at->col,
		     t->what ? t->what : "", t->what ? ": " : "", msg);
	return -1;
}

static const struct jv *member(const struct jv *o, const char *key)
{
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->k[i], key))
			return &o->v[i];
	return NULL;
}

/* @o must be an object whose members are all in @known ("" ends; NULL: any). */
static int check_obj(struct tr *t, const struct jv *o, const char *what, const char *const *known)
{
	if (o->type != J_OBJ)
		return terr(t, o, "%s must be an object, not %s", what, jtype_names[o->type]);
	for (size_t i = 0; known && i < o->n; i++) {
		int j;

		for (j = 0; known[j]; j++)
			if (!strcmp(known[j], o->k[i]))
				break;
		if (!known[j])
			return terr(t, &o->v[i], "%s%sctrack does not know the member \"%.40s\"",
				    t->what && !strcmp(t->what, what) ? "" : what,
				    t->what && !strcmp(t->what, what) ? "" : ": ", o->k[i]);
	}
	return 0;
}

static const struct jv *need(struct tr *t, const struct jv *o, const char *key, int type)
{
	const struct jv *v = member(o, key);

	if (!v) {
		terr(t, o, "missing member \"%s\"", key);
		return NULL;
	}
	if (type >= 0 && v->type != type) {
		terr(t, v, "\"%s\" must be %s, not %s", key, jtype_names[type], jtype_names[v->type]);
		return NULL;
	}
	return v;
}

/* The one member of {"KEY": VALUE}, or NULL. */
static const char *single(struct tr *t, const struct jv *o, const struct jv **val, const char *what)
{
	if (o->type != J_OBJ || o->n != 1) {
		terr(t, o, "%s must be an object with one member, not %s", what,
		     o->type == J_OBJ ? "an object with several" : jtype_names[o->type]);
		return NULL;
	}
	*val = &o->v[0];
	return o->k[0];
}

/* A number that is a whole number in [min, max]. */
static int get_int(struct tr *t, const struct jv *v, long long min, unsigned long long max,
		   long long *out, unsigned long long *uout, const char *what)
{
	unsigned long long u;
	bool neg, bad;

	if (v->type != J_NUM)
		return terr(t, v, "%s must be a number, not %s", what, jtype_names[v->type]);
	if (strpbrk(v->s, ".eE"))
		return terr(t, v, "%s must be a whole number, not %.40s", what, v->s);
	neg = v->s[0] == '-';
	errno = 0;
	u = strtoull(v->s + neg, NULL, 10);
	if (neg)
		bad = u && (min >= 0 || u - 1 > (unsigned long long)-(min + 1));
	else
		bad = u > max;
	if (errno || bad)
		return terr(t, v, "%s %.40s out of range (%lld..%llu)", what, v->s, min, max);
	if (out)
		*out = neg && u ? -(long long)(u - 1) - 1 : (long long)u;
	if (uout)
		*uout = u;
	return 0;
}

/* Characters nft's lexer takes into one word. */
static bool word_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || is_digit(*s) ||
		      strchr("_.:/-*", *s)))
			return false;
	return true;
}

/* A string that becomes one nft word (a keyword, a value). */
static int put_word(struct tr *t, const struct jv *v, const char *what)
{
	if (v->type != J_STR)
		return terr(t, v, "%s must be a string, not %s", what, jtype_names[v->type]);
	if (!word_ok(v->s))
		return terr(t, v, "%s \"%.40s\": not a valid value", what, v->s);
	fputs(v->s, t->out);
	return 0;
}

/* A string as an nft "quoted string": nft strings have no escapes. */
static int put_quoted(struct tr *t, const struct jv *v, const char *what)
{
	if (v->type != J_STR)
		return terr(t, v, "%s must be a string, not %s", what, jtype_names[v->type]);
	for (const char *c = v->s; *c; c++)
		if (*c == '"' || (unsigned char)*c < 0x20 || *c == 0x7f)
			return terr(t, v, "%s \"%.40s\": ctrack cannot keep '\"' or control characters in it",
				    what, v->s);
	fprintf(t->out, "\"%s\"", v->s);
	return 0;
}

static int put_name(struct tr *t, const struct jv *v, const char *what)
{
	if (v->type == J_STR && !v->s[0])
		return terr(t, v, "%s is empty", what);
	return put_quoted(t, v, what);
}

static int put_family(struct tr *t, const struct jv *o)
{
	const struct jv *v = need(t, o, "family", J_STR);
	unsigned int f;

	if (!v)
		return -1;
	if (!ct_name_lookup(ct_family_names, v->s, &f)) {
		fputs(v->s, t->out);
		return 0;
	}
	if (!strcmp(v->s, "netdev") || !strcmp(v->s, "bridge") || !strcmp(v->s, "arp"))
		return terr(t, v, "ctrack does not support the %s family (ip, ip6, inet)", v->s);
	return terr(t, v, "unknown family \"%.40s\" (ip, ip6, inet)", v->s);
}

/* FAMILY "TABLE" of an object with "family" and @tkey ("name" or "table") */
static int put_table_ref(struct tr *t, const struct jv *o, const char *tkey)
{
	const struct jv *v;

	if (put_family(t, o))
		return -1;
	fputc(' ', t->out);
	v = need(t, o, tkey, J_STR);
	return v ? put_name(t, v, "the table name") : -1;
}

/* ---- expressions ---- */

static const struct ct_keydesc *key_by_name(const char *name)
{
	for (unsigned int k = 0; k < __CTRACK_KEY_MAX; k++) {
		const struct ct_keydesc *kd = ct_key_desc(k);

		if (kd && (!strcmp(kd->name, name) ||
			   (!strncmp(name, "meta ", 5) && !strcmp(kd->name, name + 5))))
			return kd;
	}
	return NULL;
}

/* The left side of a match or a vmap's key: payload, meta, ct. */
static int put_left(struct tr *t, const struct jv *v, const struct ct_keydesc **kdp)
{
	static const char *const payload_m[] = { "protocol", "field", NULL };
	static const char *const key_m[] = { "key", NULL };
	const struct jv *a, *b;
	const char *k = single(t, v, &a, "an expression");
	char name[96];

	*kdp = NULL;
	if (!k)
		return -1;
	if (!strcmp(k, "payload")) {
		if (a->type == J_OBJ && member(a, "base"))
			return terr(t, a, "ctrack does not support raw payload expressions (base, offset, len)");
		if (check_obj(t, a, "payload", payload_m) || !(b = need(t, a, "protocol", J_STR)) ||
		    !need(t, a, "field", J_STR))
			return -1;
		snprintf(name, sizeof(name), "%.40s %.40s", b->s, member(a, "field")->s);
		if (put_word(t, b, "the payload protocol"))
			return -1;
		fputc(' ', t->out);
		if (put_word(t, member(a, "field"), "the payload field"))
			return -1;
	} else if (!strcmp(k, "meta") || !strcmp(k, "ct")) {
		if (a->type == J_OBJ && (member(a, "dir") || member(a, "family")))
			return terr(t, a, "ctrack does not support 'ct' with a direction or family");
		if (check_obj(t, a, k, key_m) || !(b = need(t, a, "key", J_STR)))
			return -1;
		snprintf(name, sizeof(name), "%s %.40s", k, b->s);
		fprintf(t->out, "%s ", k);
		if (put_word(t, b, "the key"))
			return -1;
	} else if (!strcmp(k, "concat")) {
		return terr(t, v, "ctrack does not support concatenations");
	} else {
		return terr(t, v, "ctrack does not support '%.40s' expressions", k);
	}
	/* unknown keys are left to the text parser, which names them */
	*kdp = key_by_name(name);
	return 0;
}

static bool quoted_type(uint8_t type)
{
	return type == CTRACK_TYPE_IFNAME || type == CTRACK_TYPE_IFACE_INDEX;
}

static bool bitmask_type(uint8_t type)
{
	return type == CTRACK_TYPE_TCP_FLAG || type == CTRACK_TYPE_CT_STATE;
}

/* One scalar: a whole number, or a string (quoted for interface names). */
static int put_scalar(struct tr *t, const struct jv *v, uint8_t type)
{
	unsigned long long u;
	char *end;

	if (v->type == J_NUM) {
		if (get_int(t, v, 0, UINT32_MAX, NULL, &u, "a value"))
			return -1;
		fprintf(t->out, type == CTRACK_TYPE_IFNAME ? "\"%llu\"" : "%llu", u);
		return 0;
	}
	if (v->type == J_STR && v->s[0] == '@')
		return terr(t, v, "a set reference \"%.40s\" cannot stand here", v->s);
	if (quoted_type(type))
		return put_quoted(t, v, "a value");
	if (v->type != J_STR)
		return terr(t, v, "expected a value (a number or a string), not %s",
			    jtype_names[v->type]);
	/* the printers' "0x0" (no flag set): the text parser reads decimal */
	if (!strncmp(v->s, "0x", 2) && v->s[2]) {
		errno = 0;
		u = strtoull(v->s + 2, &end, 16);
		if (!errno && !*end && u <= UINT32_MAX) {
			fprintf(t->out, "%llu", u);
			return 0;
		}
	}
	return put_word(t, v, "a value");
}

/* A flag list ["syn", "ack"] as "syn,ack" (@sep ","), or "syn|ack" in a set element. */
static int put_flags(struct tr *t, const struct jv *v, uint8_t type, const char *sep)
{
	if (v->type != J_ARR)
		return put_scalar(t, v, type);
	if (!v->n)
		return terr(t, v, "an empty list of flags");
	if (v->n > 1 && !strcmp(sep, "|") && type != CTRACK_TYPE_TCP_FLAG)
		return terr(t, v, "one value per set element");
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			fputs(sep, t->out);
		if (v->v[i].type != J_STR && v->v[i].type != J_NUM)
			return terr(t, &v->v[i], "a flag must be a string or a number, not %s",
				    jtype_names[v->v[i].type]);
		if (put_scalar(t, &v->v[i], type))
			return -1;
	}
	return 0;
}

/*
 * An end of a range: "echo-reply-echo-request" in a set cannot be split
 * again, so ICMP names go as their numbers.
 */
static int put_bound(struct tr *t, const struct jv *v, uint8_t type)
{
	const struct ct_name *tab = NULL;
	unsigned int n;

	switch (type) {
	case CTRACK_TYPE_ICMP_TYPE:
		tab = ct_icmp_names;
		break;
	case CTRACK_TYPE_ICMPV6_TYPE:
		tab = ct_icmpv6_names;
		break;
	case CTRACK_TYPE_ICMP_CODE:
		tab = ct_icmp_code_names;
		break;
	case CTRACK_TYPE_ICMPV6_CODE:
		tab = ct_icmpv6_code_names;
		break;
	}
	if (tab && v->type == J_STR && !ct_name_lookup(tab, v->s, &n)) {
		fprintf(t->out, "%u", n);
		return 0;
	}
	return put_scalar(t, v, type);
}

/* A value, prefix {"prefix": {addr, len}} or range {"range": [a, b]}; @elem: in a set. */
static int put_value(struct tr *t, const struct jv *v, uint8_t type, bool elem)
{
	static const char *const prefix_m[] = { "addr", "len", NULL };
	const struct jv *a;
	const char *k;

	if (v->type != J_OBJ)
		return bitmask_type(type) ? put_flags(t, v, type, elem ? "|" : ",") :
					    put_scalar(t, v, type);
	k = single(t, v, &a, "a value");
	if (!k)
		return -1;
	if (!strcmp(k, "prefix")) {
		long long len;

		if (check_obj(t, a, "prefix", prefix_m) || !need(t, a, "addr", -1) ||
		    !need(t, a, "len", J_NUM) || put_scalar(t, member(a, "addr"), type) ||
		    get_int(t, member(a, "len"), 0, 128, &len, NULL, "the prefix length"))
			return -1;
		fprintf(t->out, "/%lld", len);
		return 0;
	}
	if (!strcmp(k, "range")) {
		if (a->type != J_ARR || a->n != 2)
			return terr(t, a, "a range must be an array of two values");
		if (put_bound(t, &a->v[0], type))
			return -1;
		/* a match's "echo-reply - echo-request": names with '-' need the spaced form */
		fputs(elem ? "-" : " - ", t->out);
		return put_bound(t, &a->v[1], type);
	}
	if (!strcmp(k, "concat"))
		return terr(t, v, "ctrack does not support concatenations");
	return terr(t, v, "ctrack does not support '%.40s' values", k);
}

static int put_verdict(struct tr *t, const struct jv *v, bool in_map)
{
	static const char *const target_m[] = { "target", NULL };
	const struct jv *a;
	const char *k = single(t, v, &a, "a verdict");
	unsigned int vd;

	if (!k)
		return -1;
	if (ct_name_lookup(ct_verdict_names, k, &vd) || (in_map && vd == CTRACK_VERDICT_REJECT))
		return terr(t, v, "expected a verdict (accept, drop, continue, return, jump, goto), not '%.40s'", k);
	fputs(k, t->out);
	if (vd == CTRACK_VERDICT_JUMP || vd == CTRACK_VERDICT_GOTO) {
		if (check_obj(t, a, k, target_m) || !need(t, a, "target", J_STR))
			return -1;
		fputc(' ', t->out);
		return put_name(t, member(a, "target"), "the target chain");
	}
	if (a->type != J_NULL)
		return terr(t, a, "'%s' takes null, not %s", k, jtype_names[a->type]);
	return 0;
}

/* One element of a set: a value, {"elem": {val, timeout, expires}}, [key, verdict] in a vmap. */
static int put_elem(struct tr *t, const struct jv *v, uint8_t type, bool vmap)
{
	static const char *const elem_m[] = { "val", "timeout", "expires", "comment", NULL };
	const struct jv *e = v, *a;

	if (vmap) {
		if (v->type != J_ARR || v->n != 2)
			return terr(t, v, "a vmap element must be an array [key, verdict]");
		e = &v->v[0];
	} else if (v->type == J_ARR && !bitmask_type(type)) {
		return terr(t, v, "an element cannot be an array (ctrack does not support concatenations)");
	}
	if (e->type == J_OBJ && e->n == 1 && !strcmp(e->k[0], "elem")) {
		a = &e->v[0];
		if (check_obj(t, a, "elem", elem_m) || !need(t, a, "val", -1) ||
		    put_value(t, member(a, "val"), type, true))
			return -1;
		if ((e = member(a, "timeout"))) {
			unsigned long long s;

			if (get_int(t, e, 0, UINT32_MAX, NULL, &s, "the timeout"))
				return -1;
			fprintf(t->out, " timeout %llus", s);
		}
		/* "expires" is the kernel's countdown: nothing to load */
		if ((e = member(a, "expires")) && get_int(t, e, 0, UINT32_MAX, NULL, NULL, "expires"))
			return -1;
		if ((e = member(a, "comment")) && e->type != J_STR)
			return terr(t, e, "comment must be a string");
	} else if (put_value(t, e, type, true)) {
		return -1;
	}
	if (vmap) {
		fputs(" : ", t->out);
		return put_verdict(t, &v->v[1], true);
	}
	return 0;
}

static int put_elems(struct tr *t, const struct jv *v, uint8_t type, bool vmap)
{
	if (v->type != J_ARR)
		return terr(t, v, "a set's elements must be an array, not %s", jtype_names[v->type]);
	fputs("{ ", t->out);
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			fputs(", ", t->out);
		if (put_elem(t, &v->v[i], type, vmap))
			return -1;
	}
	fputs(" }", t->out);
	return 0;
}

static int put_match(struct tr *t, const struct jv *m)
{
	static const char *const match_m[] = { "op", "left", "right", NULL };
	const struct ct_keydesc *kd = NULL;
	const struct jv *op, *left, *right, *a;
	uint8_t type;
	bool mask;

	if (check_obj(t, m, "match", match_m) || !(op = need(t, m, "op", J_STR)) ||
	    !(left = need(t, m, "left", J_OBJ)) || !(right = need(t, m, "right", -1)))
		return -1;
	if (strcmp(op->s, "==") && strcmp(op->s, "!=") && strcmp(op->s, "in"))
		return terr(t, op, "ctrack does not support the '%.10s' operator (==, !=, in; use a range)",
			    op->s);
	mask = left->n == 1 && !strcmp(left->k[0], "&");
	if (mask) {
		a = &left->v[0];
		if (a->type != J_ARR || a->n != 2 || a->v[0].type != J_OBJ)
			return terr(t, a, "'&' must be [expression, mask]");
		if (put_left(t, &a->v[0], &kd))
			return -1;
		type = kd ? kd->type : 0;
		fputs(" & ", t->out);
		if (a->v[1].type == J_ARR) {
			fputc('(', t->out);
			if (put_flags(t, &a->v[1], type, ","))
				return -1;
			fputc(')', t->out);
		} else if (put_scalar(t, &a->v[1], type)) {
			return -1;
		}
		fprintf(t->out, " %s ", op->s[0] == '!' ? "!=" : "==");
		if (right->type == J_ARR) {
			fputc('(', t->out);
			if (put_flags(t, right, type, ","))
				return -1;
			fputc(')', t->out);
			return 0;
		}
		return put_scalar(t, right, type);
	}
	if (put_left(t, left, &kd))
		return -1;
	type = kd ? kd->type : 0;
	fputc(' ', t->out);
	if (op->s[0] == '!')
		fputs("!= ", t->out);
	else if (!strcmp(op->s, "==") && bitmask_type(type) && right->type != J_OBJ)
		fputs("== ", t->out);	/* exactly these flags; "in": any of them */
	if (right->type == J_STR && right->s[0] == '@') {
		if (!right->s[1] || !word_ok(right->s + 1) || strpbrk(right->s + 1, ":/*"))
			return terr(t, right, "bad set reference \"%.40s\"", right->s);
		fputs(right->s, t->out);
		return 0;
	}
	if (right->type == J_OBJ && right->n == 1 && !strcmp(right->k[0], "set"))
		return put_elems(t, &right->v[0], type, false);
	if (right->type == J_ARR && !bitmask_type(type))
		return terr(t, right, "a list of values: write {\"set\": [...]}");
	return put_value(t, right, type, false);
}

static int put_reject(struct tr *t, const struct jv *v)
{
	static const char *const reject_m[] = { "type", "expr", NULL };
	const struct jv *ty, *ex;

	fputs("reject", t->out);
	if (v->type == J_NULL)
		return 0;
	if (check_obj(t, v, "reject", reject_m))
		return -1;
	ty = member(v, "type");
	ex = member(v, "expr");
	if (!ty) {
		if (ex)
			return terr(t, v, "reject: \"expr\" without \"type\"");
		return 0;
	}
	if (ty->type != J_STR)
		return terr(t, ty, "reject: \"type\" must be a string");
	if (!strcmp(ty->s, "tcp reset") || !strcmp(ty->s, "tcp rst")) {
		if (ex)
			return terr(t, ex, "reject with tcp reset takes no \"expr\"");
		fputs(" with tcp reset", t->out);
		return 0;
	}
	if (strcmp(ty->s, "icmp") && strcmp(ty->s, "icmpv6") && strcmp(ty->s, "icmpx"))
		return terr(t, ty, "unknown reject type \"%.40s\" (tcp reset, icmp, icmpv6, icmpx)", ty->s);
	if (!ex)
		return terr(t, v, "reject with %s: missing \"expr\" (the code)", ty->s);
	fprintf(t->out, " with %s ", ty->s);
	return put_scalar(t, ex, 0);
}

static int put_stmt(struct tr *t, const struct jv *s)
{
	static const char *const counter_m[] = { "packets", "bytes", NULL };
	static const char *const vmap_m[] = { "key", "data", NULL };
	const struct ct_keydesc *kd;
	const struct jv *a, *d;
	const char *k = single(t, s, &a, "a statement");

	if (!k)
		return -1;
	if (!strcmp(k, "match"))
		return put_match(t, a);
	if (!strcmp(k, "counter")) {
		unsigned long long pk = 0, by = 0;

		if (a->type == J_STR)
			return terr(t, a, "ctrack does not support named counters");
		if (a->type != J_NULL &&
		    (check_obj(t, a, "counter", counter_m) || !need(t, a, "packets", J_NUM) ||
		     !need(t, a, "bytes", J_NUM) ||
		     get_int(t, member(a, "packets"), 0, UINT64_MAX, NULL, &pk, "packets") ||
		     get_int(t, member(a, "bytes"), 0, UINT64_MAX, NULL, &by, "bytes")))
			return -1;
		/* every ctrack rule counts; zero counts are the same as none */
		if (pk || by)
			fprintf(t->out, "counter packets %llu bytes %llu", pk, by);
		else
			fputs("counter", t->out);
		return 0;
	}
	if (!strcmp(k, "reject"))
		return put_reject(t, a);
	if (!strcmp(k, "vmap")) {
		if (check_obj(t, a, "vmap", vmap_m) || !need(t, a, "key", J_OBJ) ||
		    !(d = need(t, a, "data", -1)))
			return -1;
		if (d->type == J_STR)
			return terr(t, d, "ctrack does not support named maps (yet); write the vmap's elements in the rule");
		if (d->type != J_OBJ || d->n != 1 || strcmp(d->k[0], "set"))
			return terr(t, d, "vmap: \"data\" must be {\"set\": [[key, verdict], ...]}");
		if (put_left(t, member(a, "key"), &kd))
			return -1;
		fputs(" vmap ", t->out);
		return put_elems(t, &d->v[0], kd ? kd->type : 0, true);
	}
	if (!ct_name_lookup(ct_verdict_names, k, &(unsigned int){ 0 }))
		return put_verdict(t, s, false);
	if (!strcmp(k, "xt"))
		return terr(t, s, "ctrack does not support iptables (xt) expressions");
	return terr(t, s, "ctrack does not support the '%.40s' statement", k);
}

/* ---- objects ---- */

static int put_table(struct tr *t, const struct jv *o)
{
	static const char *const m[] = { "family", "name", "handle", "comment", "flags", NULL };

	if (check_obj(t, o, "table", m))
		return -1;
	if (member(o, "flags"))
		return terr(t, member(o, "flags"), "ctrack does not support table flags");
	fputs("add table ", t->out);
	return put_table_ref(t, o, "name");
}

static int put_chain(struct tr *t, const struct jv *o)
{
	static const char *const m[] = { "family", "table", "name", "handle", "type", "hook",
					 "prio", "policy", "comment", "dev", "devices", NULL };
	const struct jv *v;

	if (check_obj(t, o, "chain", m))
		return -1;
	if ((v = member(o, "dev")) || (v = member(o, "devices")))
		return terr(t, v, "ctrack does not support devices on chains");
	fputs("add chain ", t->out);
	if (put_table_ref(t, o, "table") || !(v = need(t, o, "name", J_STR)))
		return -1;
	fputc(' ', t->out);
	if (put_name(t, v, "the chain name"))
		return -1;
	if (!member(o, "type") && !member(o, "hook") && !member(o, "prio") && !member(o, "policy"))
		return 0;
	fputs(" { type ", t->out);
	if (!(v = need(t, o, "type", J_STR)) || put_word(t, v, "the chain type"))
		return -1;
	fputs(" hook ", t->out);
	if (!(v = need(t, o, "hook", J_STR)) || put_word(t, v, "the hook"))
		return -1;
	if ((v = member(o, "prio"))) {
		long long prio;

		fputs(" priority ", t->out);
		if (v->type == J_STR) {
			/* "filter", "filter + 10" */
			for (const char *c = v->s; *c; c++)
				if (!(*c >= 'a' && *c <= 'z') && !is_digit(*c) && !strchr(" +-", *c))
					return terr(t, v, "bad priority \"%.40s\"", v->s);
			fputs(v->s, t->out);
		} else if (get_int(t, v, INT32_MIN, INT32_MAX, &prio, NULL, "the priority")) {
			return -1;
		} else {
			fprintf(t->out, "%lld", prio);
		}
	}
	fputc(';', t->out);
	if ((v = member(o, "policy"))) {
		fputs(" policy ", t->out);
		if (put_word(t, v, "the policy"))
			return -1;
		fputc(';', t->out);
	}
	fputs(" }", t->out);
	return 0;
}

static int put_set(struct tr *t, const struct jv *o)
{
	static const char *const m[] = { "family", "table", "name", "handle", "type", "flags",
					 "timeout", "elem", "comment", "size", "policy",
					 "gc-interval", "auto-merge", "map", "stmt", NULL };
	const struct jv *v;
	unsigned int type = 0;

	if (check_obj(t, o, "set", m))
		return -1;
	if ((v = member(o, "map")))
		return terr(t, v, "ctrack does not support named maps (yet)");
	if ((v = member(o, "stmt")))
		return terr(t, v, "ctrack does not support statements in sets (yet)");
	fputs("add set ", t->out);
	if (put_table_ref(t, o, "table") || !(v = need(t, o, "name", J_STR)))
		return -1;
	fputc(' ', t->out);
	if (put_name(t, v, "the set name") || !(v = need(t, o, "type", -1)))
		return -1;
	if (v->type == J_ARR)
		return terr(t, v, "ctrack does not support concatenations");
	fputs(" { type ", t->out);
	if (put_word(t, v, "the set type"))
		return -1;
	ct_name_lookup(ct_type_names, v->s, &type);	/* unknown: the text parser says so */
	fputc(';', t->out);
	if ((v = member(o, "flags"))) {
		fputs(" flags ", t->out);
		if (v->type == J_STR) {
			if (put_word(t, v, "a set flag"))
				return -1;
		} else if (v->type != J_ARR || !v->n) {
			return terr(t, v, "\"flags\" must be a non-empty array of strings");
		} else {
			for (size_t i = 0; i < v->n; i++) {
				if (i)
					fputc(',', t->out);
				if (put_word(t, &v->v[i], "a set flag"))
					return -1;
			}
		}
		fputc(';', t->out);
	}
	if ((v = member(o, "timeout"))) {
		unsigned long long s;

		if (get_int(t, v, 0, UINT32_MAX, NULL, &s, "the timeout"))
			return -1;
		fprintf(t->out, " timeout %llus;", s);
	}
	if ((v = member(o, "elem"))) {
		fputs(" elements = ", t->out);
		if (put_elems(t, v, type, false))
			return -1;
		fputc(';', t->out);
	}
	fputs(" }", t->out);
	return 0;
}

static int put_rule(struct tr *t, const struct jv *o, bool insert)
{
	static const char *const m[] = { "family", "table", "chain", "handle", "index", "position",
					 "expr", "comment", NULL };
	const struct jv *v, *ex;

	if (check_obj(t, o, "rule", m))
		return -1;
	fputs(insert ? "insert rule " : "add rule ", t->out);
	if (put_table_ref(t, o, "table") || !(v = need(t, o, "chain", J_STR)))
		return -1;
	fputc(' ', t->out);
	if (put_name(t, v, "the chain name") || !(ex = need(t, o, "expr", J_ARR)))
		return -1;
	for (size_t i = 0; i < ex->n; i++) {
		fputc(' ', t->out);
		if (put_stmt(t, &ex->v[i]))
			return -1;
	}
	if ((v = member(o, "comment"))) {
		fputs(" comment ", t->out);
		if (put_quoted(t, v, "the comment"))
			return -1;
	}
	return 0;
}

/* One item of the "nftables" array; a command {"add": {...}} as the object it adds. */
static int put_object(struct tr *t, const struct jv *item)
{
	const struct jv *o;
	const char *k;
	bool insert = false;

	t->what = NULL;
	k = single(t, item, &o, "an item of \"nftables\"");
	if (!k)
		return -1;
	if (!strcmp(k, "metainfo"))
		return 1;
	if (!strcmp(k, "flush") && o->type == J_OBJ && o->n == 1 && !strcmp(o->k[0], "ruleset")) {
		fputs("flush ruleset", t->out);
		return 0;
	}
	if (!strcmp(k, "add") || !strcmp(k, "create") || !strcmp(k, "insert")) {
		insert = k[0] == 'i';
		k = single(t, o, &o, "a command's argument");
		if (!k)
			return -1;
		if (insert && strcmp(k, "rule"))
			return terr(t, item, "'insert' takes a rule");
	} else if (!strcmp(k, "flush") || !strcmp(k, "delete") || !strcmp(k, "destroy") ||
		   !strcmp(k, "replace") || !strcmp(k, "list") || !strcmp(k, "reset") ||
		   !strcmp(k, "rename")) {
		return terr(t, item, "ctrack does not support '%s' commands here (add, create, insert, flush ruleset)",
			    k);
	}
	t->what = k;
	if (!strcmp(k, "table"))
		return put_table(t, o);
	if (!strcmp(k, "chain"))
		return put_chain(t, o);
	if (!strcmp(k, "set"))
		return put_set(t, o);
	if (!strcmp(k, "rule"))
		return put_rule(t, o, insert);
	t->what = NULL;
	if (!strcmp(k, "map"))
		return terr(t, item, "ctrack does not support named maps (yet)");
	if (!strcmp(k, "element"))
		return terr(t, item, "ctrack does not support 'element' objects; put the elements in the set");
	return terr(t, item, "ctrack does not support '%.40s' objects", k);
}

static int add_map(struct tr *t, const struct jv *at)
{
	if (t->nmap == t->capmap) {
		unsigned int cap = t->capmap ? t->capmap * 2 : 64;
		struct lmap *n = realloc(t->map, cap * sizeof(*n));

		if (!n)
			return terr(t, at, "out of memory");
		t->map = n;
		t->capmap = cap;
	}
	t->map[t->nmap++] = (struct lmap){ at->line, at->col, t->what };
	return 0;
}

/* The text parser's "SRC:LINE:COL: error: MSG..." at the JSON object of that line. */
static void remap_error(struct tr *t, const char *src)
{
	size_t n = strlen(src);
	unsigned int line, col;
	const struct lmap *m;
	char *msg, *rest;
	int off = 0;

	if (strncmp(ct_errbuf, src, n) || ct_errbuf[n] != ':' ||
	    sscanf(ct_errbuf + n + 1, "%u:%u: error: %n", &line, &col, &off) < 2 || !off ||
	    !line || line > t->nmap)
		return;
	msg = strdup(ct_errbuf + n + 1 + off);
	if (!msg)
		return;
	rest = strchr(msg, '\n');
	if (rest)
		*rest++ = '\0';
	m = &t->map[line - 1];
	/* the generated line and its caret show what ctrack made of the object */
	ct_set_error("%s:%u:%u: error: %s%s%s%s%s", t->name, m->line, m->col,
		     m->what ? m->what : "", m->what ? ": " : "", msg,
		     rest ? "\n(read as nft text:)\n" : "", rest ? rest : "");
	free(msg);
}

static struct ct_ruleset *translate(const struct jv *root, const char *name)
{
	struct tr t = { .name = name };
	struct ct_ruleset *rs = NULL;
	const struct jv *items;
	char *text = NULL, *src = NULL;
	size_t len = 0;

	if (root->type != J_OBJ || root->n != 1 || strcmp(root->k[0], "nftables")) {
		terr(&t, root, "expected {\"nftables\": [...]} (what nft -j list ruleset prints)");
		return NULL;
	}
	items = &root->v[0];
	if (items->type != J_ARR) {
		terr(&t, items, "\"nftables\" must be an array");
		return NULL;
	}
	t.out = open_memstream(&text, &len);
	if (!t.out) {
		ct_set_error("out of memory");
		return NULL;
	}
	for (size_t i = 0; i < items->n; i++) {
		int r = put_object(&t, &items->v[i]);

		if (r < 0)
			break;
		if (r > 0)
			continue;
		fputc('\n', t.out);
		if (add_map(&t, &items->v[i]))
			break;
	}
	if (fclose(t.out) && !t.failed)
		terr(&t, root, "out of memory");
	if (!t.failed && asprintf(&src, "%s, read as text", name) < 0) {
		src = NULL;
		ct_set_error("out of memory");
		t.failed = true;
	}
	if (!t.failed) {
		rs = ct_ruleset_read_text(text, src);
		if (!rs)
			remap_error(&t, src);
	}
	free(src);
	free(text);
	free(t.map);
	return rs;
}

struct ct_ruleset *ct_ruleset_read_json(FILE *f, const char *name)
{
	size_t cap = 65536, len = 0, n;
	char *buf = malloc(cap + 1);
	struct jparser p = { .name = name };
	struct ct_ruleset *rs = NULL;
	struct jv root;

	ct_errbuf[0] = '\0';
	while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			char *nb = cap >= JSON_FILE_MAX ? NULL : realloc(buf, cap * 2 + 1);

			if (!nb) {
				free(buf);
				ct_set_error("%s: %s", name, cap >= JSON_FILE_MAX ?
					     "bigger than 256 MiB" : "out of memory");
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (!buf || ferror(f)) {
		ct_set_error("%s: cannot read: %s", name, buf ? strerror(errno) : "out of memory");
		free(buf);
		return NULL;
	}
	p.buf = buf;
	p.len = len;
	if (!json_parse(&p, &root))
		rs = translate(&root, name);
	jv_free(&root);
	free(buf);
	return rs;
}
