/* SPDX-License-Identifier: GPL-2.0 */
/* Internals of the nft language reader: lexer.c, expr.c, nftparse.c. */
#ifndef _CT_NFT_H
#define _CT_NFT_H

#include "ctrackctl.h"

enum {
	T_EOF = 0,
	T_NL = '\n',
	T_WORD = 256,
	T_STR,		/* "quoted" */
	T_VAR,		/* $name */
	T_AT,		/* @name */
	T_EQ,		/* == */
	T_NE,		/* != */
	T_OTHER,	/* < > <= >= ... nft has them, ctrack not */
};

struct ct_src {
	char *name;
	char *dir;		/* for relative includes */
	char *buf;
	size_t len;
	char *pool;		/* token texts */
	struct ct_tok *toks;
	unsigned int ntoks;
	bool cmdline;
	struct ct_src *next;
};

struct ct_tok {
	int type;
	const char *text;
	struct ct_loc loc;
};

struct ct_frame {
	const struct ct_tok *toks;
	unsigned int n, pos;
	const struct ct_src *include;	/* an include's source, for loop detection */
	int parent;			/* the frame of the file that included it, or -1 */
	int depth;			/* include nesting: 0 for the file given */
};

struct ct_define {
	char name[CT_NAME_MAX];
	const struct ct_tok *toks;
	unsigned int n;
	struct ct_tok *own;
};

#define CT_FRAME_MAX	1024	/* files of one glob wait here too */

struct ct_parser {
	struct ct_frame frames[CT_FRAME_MAX];
	int nframes;
	struct ct_src *srcs;
	struct ct_define *defs;
	unsigned int ndefs;
	struct ct_tok **old_defs;	/* values replaced by redefine, freed with the parser */
	unsigned int nold_defs;
	const char *const *incpath;
	unsigned int nincpath;
	bool failed;
	struct ct_tok eof;
	struct ct_ruleset *rs;
	struct ct_table *table;		/* inside table { } */
};

const struct ct_tok *ct_peek(struct ct_parser *p);
const struct ct_tok *ct_next(struct ct_parser *p);
bool ct_is(const struct ct_tok *t, const char *word);
bool ct_accept(struct ct_parser *p, const char *word);
bool ct_accept_type(struct ct_parser *p, int type);
void ct_skip_nl(struct ct_parser *p);
bool ct_stmt_end(const struct ct_tok *t);
int ct_err(struct ct_parser *p, const struct ct_tok *t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int ct_push_tokens(struct ct_parser *p, const struct ct_tok *toks, unsigned int n,
		   const struct ct_src *include);
int ct_include(struct ct_parser *p, const struct ct_tok *t, const char *pattern);
struct ct_define *ct_define_find(struct ct_parser *p, const char *name);
int ct_define_set(struct ct_parser *p, const struct ct_tok *name, bool redefine);
int ct_get_name(struct ct_parser *p, char *out, size_t len, const char *what);
int ct_want(struct ct_parser *p, int type, const char *what);

/* expr.c */
int ct_parse_value(struct ct_parser *p, const struct ct_tok *t, uint8_t type,
		   struct ct_elem *e, bool range_ok);
int ct_parse_elems(struct ct_parser *p, uint8_t type, struct ct_elem **arr, unsigned int *n,
		   bool vmap, bool interval);
int ct_parse_timeout_str(const char *s, uint32_t *secs);
int ct_unsupported(struct ct_parser *p, const struct ct_tok *t);

#endif
