// SPDX-License-Identifier: GPL-2.0
/*
 * The rule set: attributes from the kernel -> the model, and the model ->
 * text in the layout of `nft list ruleset` (which ctrackctl reads back).
 */
#include <ctype.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include "ctrackctl.h"

/* ---- attributes -> model ---- */

static int get_val(const struct nlattr *a, uint8_t cls, struct ct_val *v)
{
	uint16_t len = mnl_attr_get_payload_len(a);
	const char *p = mnl_attr_get_payload(a);

	memset(v, 0, sizeof(*v));
	switch (cls) {
	case CT_CLASS_ADDR4:
	case CT_CLASS_ADDR6:
		if (len != (cls == CT_CLASS_ADDR4 ? 4 : 16))
			return -1;
		memcpy(v->b, p, len);
		return 0;
	case CT_CLASS_NAME:
		if (!len || len > CT_IFNAMSIZ || p[len - 1])
			return -1;
		memcpy(v->b, p, len);
		return 0;
	}
	if (len != 4)
		return -1;
	v->n = mnl_attr_get_u32(a);
	return 0;
}

static int str_attr(const struct nlattr *a, char *out, size_t n)
{
	uint16_t len = mnl_attr_get_payload_len(a);
	const char *p = mnl_attr_get_payload(a);

	if (!len || p[len - 1] || len > n)
		return -1;
	memcpy(out, p, len);
	return 0;
}

static bool fixed(const struct nlattr *a, uint16_t len)
{
	return mnl_attr_get_payload_len(a) == len;
}

int ct_elem_from_attr(const struct nlattr *nest, uint8_t cls, struct ct_elem *e)
{
	const struct nlattr *a;

	memset(e, 0, sizeof(*e));
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case CTRACK_A_ELEM_VALUE:
			if (get_val(a, cls, &e->val))
				return -1;
			break;
		case CTRACK_A_ELEM_PREFIX:
			if (!fixed(a, 1))
				return -1;
			e->prefix = mnl_attr_get_u8(a);
			e->flags |= CT_E_PREFIX;
			break;
		case CTRACK_A_ELEM_TO:
			if (get_val(a, cls, &e->to))
				return -1;
			e->flags |= CT_E_RANGE;
			break;
		case CTRACK_A_ELEM_TIMEOUT:
		case CTRACK_A_ELEM_EXPIRES:
			if (!fixed(a, 4))
				return -1;
			if (mnl_attr_get_type(a) == CTRACK_A_ELEM_TIMEOUT) {
				e->timeout = mnl_attr_get_u32(a);
				e->flags |= CT_E_TIMEOUT;
			} else {
				e->expires = mnl_attr_get_u32(a);
				e->flags |= CT_E_EXPIRES;
			}
			break;
		case CTRACK_A_ELEM_VERDICT:
			if (!fixed(a, 1))
				return -1;
			e->verdict = mnl_attr_get_u8(a);
			e->flags |= CT_E_VERDICT;
			break;
		case CTRACK_A_ELEM_TARGET:
			if (str_attr(a, e->target, sizeof(e->target)))
				return -1;
			break;
		}
	}
	return 0;
}

static int match_from_attr(const struct nlattr *nest, struct ct_match *m)
{
	const struct ct_keydesc *kd = NULL;
	const struct nlattr *a;
	struct ct_elem e;

	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == CTRACK_A_MATCH_KEY && fixed(a, 1))
			kd = ct_key_desc(mnl_attr_get_u8(a));
	if (!kd)
		return -1;	/* a key newer than this tool cannot be shown */
	m->key = kd->key;
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case CTRACK_A_MATCH_NEG:
			m->neg = true;
			break;
		case CTRACK_A_MATCH_VALUE:
			if (get_val(a, kd->cls, &m->val))
				return -1;
			m->test = CT_T_VALUE;
			break;
		case CTRACK_A_MATCH_MASK:
			if (!fixed(a, 4))
				return -1;
			m->mask = mnl_attr_get_u32(a);
			m->has_mask = true;
			break;
		case CTRACK_A_MATCH_PREFIX:
			if (!fixed(a, 1))
				return -1;
			m->prefix = mnl_attr_get_u8(a);
			m->has_prefix = true;
			break;
		case CTRACK_A_MATCH_FROM:
			if (get_val(a, kd->cls, &m->val))
				return -1;
			m->test = CT_T_RANGE;
			break;
		case CTRACK_A_MATCH_TO:
			if (get_val(a, kd->cls, &m->to))
				return -1;
			m->test = CT_T_RANGE;
			break;
		case CTRACK_A_MATCH_FLAGS:
			if (!fixed(a, 4))
				return -1;
			m->flags = mnl_attr_get_u32(a);
			m->test = CT_T_FLAGS;
			break;
		case CTRACK_A_MATCH_ELEM:
			if (ct_elem_from_attr(a, kd->cls, &e) ||
			    ct_match_add_elem(&m->elems, &m->nelems, &e))
				return -1;
			m->test = CT_T_ELEMS;
			break;
		case CTRACK_A_MATCH_SET:
			if (str_attr(a, m->set, sizeof(m->set)))
				return -1;
			m->test = CT_T_SET;
			break;
		}
	}
	return 0;
}

static int vmap_from_attr(const struct nlattr *nest, struct ct_rule *r)
{
	const struct ct_keydesc *kd = NULL;
	const struct nlattr *a;
	struct ct_elem e;

	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == CTRACK_A_VMAP_KEY && fixed(a, 1))
			kd = ct_key_desc(mnl_attr_get_u8(a));
	if (!kd)
		return -1;
	r->has_vmap = true;
	r->vmap_key = kd->key;
	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == CTRACK_A_VMAP_ELEM &&
		    (ct_elem_from_attr(a, kd->cls, &e) || ct_match_add_elem(&r->velems, &r->nvelems, &e)))
			return -1;
	return 0;
}

int ct_rule_from_attr(const struct nlattr *nest, struct ct_rule *r)
{
	const struct nlattr *a;

	memset(r, 0, sizeof(*r));
	mnl_attr_for_each_nested(a, nest) {
		struct ct_match *m;

		switch (mnl_attr_get_type(a)) {
		case CTRACK_A_RULE_HANDLE:
			if (!fixed(a, 4))
				goto bad;
			r->handle = mnl_attr_get_u32(a);
			r->has_handle = true;
			break;
		case CTRACK_A_RULE_MATCH:
			m = ct_rule_add_match(r);
			if (!m || match_from_attr(a, m))
				goto bad;
			break;
		case CTRACK_A_RULE_VERDICT:
			if (!fixed(a, 1))
				goto bad;
			r->verdict = mnl_attr_get_u8(a);
			break;
		case CTRACK_A_RULE_TARGET:
			if (str_attr(a, r->target, sizeof(r->target)))
				goto bad;
			break;
		case CTRACK_A_RULE_REJECT_TYPE:
		case CTRACK_A_RULE_REJECT_CODE:
			if (!fixed(a, 1))
				goto bad;
			if (mnl_attr_get_type(a) == CTRACK_A_RULE_REJECT_CODE) {
				r->reject_code = mnl_attr_get_u8(a);
			} else {
				r->reject_type = mnl_attr_get_u8(a);
				r->has_reject_type = r->reject_type != CTRACK_REJECT_DEFAULT;
			}
			break;
		case CTRACK_A_RULE_VMAP:
			if (vmap_from_attr(a, r))
				goto bad;
			break;
		case CTRACK_A_RULE_COMMENT:
			if (str_attr(a, r->comment, sizeof(r->comment)))
				goto bad;
			break;
		case CTRACK_A_RULE_PACKETS:
		case CTRACK_A_RULE_BYTES:
			if (!fixed(a, 8))
				goto bad;
			*(mnl_attr_get_type(a) == CTRACK_A_RULE_PACKETS ? &r->packets : &r->bytes) =
				mnl_attr_get_u64(a);
			r->has_counts = true;
			break;
		}
	}
	return 0;
bad:
	ct_rule_free(r);
	return -1;
}

/* A SET nest of a dump: the header (first message) and elements appended to @s. */
int ct_set_from_attr(const struct nlattr *nest, struct ct_set *s)
{
	const struct nlattr *a;
	struct ct_elem e;

	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case CTRACK_A_SET_NAME:
			if (str_attr(a, s->name, sizeof(s->name)))
				return -1;
			break;
		case CTRACK_A_SET_TYPE:
			if (!fixed(a, 1))
				return -1;
			s->type = mnl_attr_get_u8(a);
			break;
		case CTRACK_A_SET_FLAGS:
			if (!fixed(a, 4))
				return -1;
			s->flags = mnl_attr_get_u32(a);
			break;
		case CTRACK_A_SET_TIMEOUT:
			if (!fixed(a, 4))
				return -1;
			s->timeout = mnl_attr_get_u32(a);
			s->has_timeout = true;
			break;
		}
	}
	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == CTRACK_A_SET_ELEM &&
		    (ct_elem_from_attr(a, ct_type_class(s->type), &e) || ct_set_add_elem(s, &e)))
			return -1;
	return 0;
}

/* ---- model -> text ---- */

static const struct ct_name l4_names[] = {
	{ "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP }, { "icmp", IPPROTO_ICMP },
	{ "ipv6-icmp", IPPROTO_ICMPV6 }, { "sctp", IPPROTO_SCTP }, { "dccp", IPPROTO_DCCP },
	{ "gre", IPPROTO_GRE }, { "udplite", IPPROTO_UDPLITE }, { "esp", IPPROTO_ESP },
	{ "ah", IPPROTO_AH }, { NULL, 0 }
};

static void print_name(FILE *f, const struct ct_name *tab, uint32_t v, bool numeric)
{
	const char *n = numeric ? NULL : ct_name_of(tab, v);

	if (n)
		fputs(n, f);
	else
		fprintf(f, "%u", v);
}

static void print_flags(FILE *f, const struct ct_name *tab, uint32_t v, const char *sep)
{
	bool first = true;

	for (; tab->name; tab++)
		if (v & (tab->val ? tab->val : 0)) {
			fprintf(f, "%s%s", first ? "" : sep, tab->name);
			v &= ~tab->val;
			first = false;
		}
	if (v || first)
		fprintf(f, "%s0x%x", first ? "" : sep, v);
}

static void print_ctstates(FILE *f, uint32_t mask, const char *sep)
{
	bool first = true;

	for (const struct ct_name *n = ct_ctstate_names; n->name; n++)
		if (mask & CTRACK_CTSTATE_BIT(n->val)) {
			fprintf(f, "%s%s", first ? "" : sep, n->name);
			mask &= ~CTRACK_CTSTATE_BIT(n->val);
			first = false;
		}
	if (mask || first)
		fprintf(f, "%s%u", first ? "" : sep, mask);
}

void ct_print_val(FILE *f, uint8_t type, const struct ct_val *v, bool numeric)
{
	char buf[INET6_ADDRSTRLEN], ifn[IF_NAMESIZE];

	switch (type) {
	case CTRACK_TYPE_NFPROTO:
		if (v->n == NFPROTO_IPV4 || v->n == NFPROTO_IPV6)
			fputs(v->n == NFPROTO_IPV4 ? "ipv4" : "ipv6", f);
		else
			fprintf(f, "%u", v->n);
		break;
	case CTRACK_TYPE_INET_PROTO:
		print_name(f, l4_names, v->n, numeric);
		break;
	case CTRACK_TYPE_IPV4_ADDR:
	case CTRACK_TYPE_IPV6_ADDR:
		inet_ntop(type == CTRACK_TYPE_IPV4_ADDR ? AF_INET : AF_INET6, v->b, buf, sizeof(buf));
		fputs(buf, f);
		break;
	case CTRACK_TYPE_TCP_FLAG:
		print_flags(f, ct_tcpflag_names, v->n, " | ");
		break;
	case CTRACK_TYPE_ICMP_TYPE:
		print_name(f, ct_icmp_names, v->n, numeric);
		break;
	case CTRACK_TYPE_ICMPV6_TYPE:
		print_name(f, ct_icmpv6_names, v->n, numeric);
		break;
	case CTRACK_TYPE_ICMP_CODE:
		print_name(f, ct_icmp_code_names, v->n, numeric);
		break;
	case CTRACK_TYPE_ICMPV6_CODE:
		print_name(f, ct_icmpv6_code_names, v->n, numeric);
		break;
	case CTRACK_TYPE_IFACE_INDEX:
		if (!numeric && if_indextoname(v->n, ifn))
			fprintf(f, "\"%s\"", ifn);
		else
			fprintf(f, "%u", v->n);
		break;
	case CTRACK_TYPE_IFNAME:
		fprintf(f, "\"%.*s\"", CT_IFNAMSIZ - 1, (const char *)v->b);
		break;
	case CTRACK_TYPE_CT_STATE:
		print_ctstates(f, v->n, ",");
		break;
	default:
		fprintf(f, "%u", v->n);
	}
}

void ct_print_timeout(FILE *f, uint32_t s)
{
	static const struct { uint32_t secs; char unit; } u[] = {
		{ 86400, 'd' }, { 3600, 'h' }, { 60, 'm' }, { 1, 's' }
	};

	if (!s) {
		fputs("0s", f);
		return;
	}
	for (int i = 0; i < 4; i++)
		if (s >= u[i].secs) {
			fprintf(f, "%u%c", s / u[i].secs, u[i].unit);
			s %= u[i].secs;
		}
}

/* A table, chain or set name: quoted unless it reads back as one word. */
static void print_ident(FILE *f, const char *name)
{
	size_t n = strlen(name);
	bool word = n && name[n - 1] != ':';

	for (size_t i = 0; word && i < n; i++)
		word = isalnum((unsigned char)name[i]) || strchr("_./-", name[i]);
	fprintf(f, word ? "%s" : "\"%s\"", name);
}

static void print_verdict(FILE *f, uint8_t v, const char *target)
{
	const char *n = ct_name_of(ct_verdict_names, v);

	fputs(n ? n : "?", f);
	if (v == CTRACK_VERDICT_JUMP || v == CTRACK_VERDICT_GOTO) {
		fputc(' ', f);
		print_ident(f, target);
	}
}

/*
 * A-B. Names with dashes (echo-reply-echo-request) would not read back:
 * the ends of an integer range are numbers.
 */
static void print_range(FILE *f, uint8_t type, const struct ct_val *a, const struct ct_val *b,
			bool numeric)
{
	numeric |= ct_type_class(type) == CT_CLASS_INT;
	ct_print_val(f, type, a, numeric);
	fputc('-', f);
	ct_print_val(f, type, b, numeric);
}

void ct_print_elem(FILE *f, uint8_t type, const struct ct_elem *e, bool numeric, bool save)
{
	if (e->flags & CT_E_RANGE)
		print_range(f, type, &e->val, &e->to, numeric);
	else
		ct_print_val(f, type, &e->val, numeric);
	if (e->flags & CT_E_PREFIX)
		fprintf(f, "/%u", e->prefix);
	/* "timeout 0s" (never, in a set with a default timeout) is not the default */
	if (e->flags & CT_E_TIMEOUT) {
		fputs(" timeout ", f);
		ct_print_timeout(f, e->timeout);
	}
	if ((e->flags & CT_E_EXPIRES) && !save) {
		fputs(" expires ", f);
		ct_print_timeout(f, e->expires);
	}
	if (e->flags & CT_E_VERDICT) {
		fputs(" : ", f);
		print_verdict(f, e->verdict, e->target);
	}
}

static void print_elems(FILE *f, uint8_t type, const struct ct_elem *e, unsigned int n,
			bool numeric, bool save)
{
	fputs("{ ", f);
	for (unsigned int i = 0; i < n; i++) {
		if (i)
			fputs(", ", f);
		ct_print_elem(f, type, &e[i], numeric, save);
	}
	fputs(" }", f);
}

static void print_match(FILE *f, const struct ct_match *m, bool numeric)
{
	const struct ct_keydesc *kd = ct_key_desc(m->key);
	bool bitmask = kd->type == CTRACK_TYPE_TCP_FLAG || kd->type == CTRACK_TYPE_CT_STATE;
	const char *op = m->neg ? "!= " : "";

	fprintf(f, "%s ", kd->name);
	switch (m->test) {
	case CT_T_VALUE:
		if (m->has_mask && !m->neg && m->val.n && kd->type == CTRACK_TYPE_TCP_FLAG) {
			print_flags(f, ct_tcpflag_names, m->val.n, ",");
			fputs(" / ", f);
			print_flags(f, ct_tcpflag_names, m->mask, ",");
		} else if (m->has_mask) {
			struct ct_val mv = { .n = m->mask };

			fputs("& (", f);
			ct_print_val(f, kd->type, &mv, numeric);
			fprintf(f, ") %s ", m->neg ? "!=" : "==");
			ct_print_val(f, kd->type, &m->val, numeric);
		} else {
			fputs(bitmask && !m->neg ? "== " : op, f);
			ct_print_val(f, kd->type, &m->val, numeric);
			if (m->has_prefix)
				fprintf(f, "/%u", m->prefix);
		}
		break;
	case CT_T_RANGE:
		fputs(op, f);
		print_range(f, kd->type, &m->val, &m->to, numeric);
		break;
	case CT_T_FLAGS:
		fputs(op, f);
		if (kd->type == CTRACK_TYPE_TCP_FLAG)
			print_flags(f, ct_tcpflag_names, m->flags, ",");
		else
			print_ctstates(f, m->flags, ",");
		break;
	case CT_T_ELEMS:
		fputs(op, f);
		print_elems(f, kd->type, m->elems, m->nelems, numeric, true);
		break;
	case CT_T_SET:
		fprintf(f, "%s@%s", op, m->set);
		break;
	}
}

/* A rule as nft prints it: matches, counter, verdict or vmap, comment. */
void ct_print_rule(FILE *f, const struct ct_rule *r, bool numeric)
{
	bool first = true;

	for (unsigned int i = 0; i < r->nm; i++) {
		if (!first)
			fputc(' ', f);
		first = false;
		print_match(f, &r->m[i], numeric);
	}
	if (r->has_counts) {
		fprintf(f, "%scounter packets %llu bytes %llu", first ? "" : " ",
			(unsigned long long)r->packets, (unsigned long long)r->bytes);
		first = false;
	}
	if (r->has_vmap) {
		const struct ct_keydesc *kd = ct_key_desc(r->vmap_key);

		fprintf(f, "%s%s vmap ", first ? "" : " ", kd->name);
		print_elems(f, kd->type, r->velems, r->nvelems, numeric, true);
		first = false;
	} else if (r->verdict != CTRACK_VERDICT_CONTINUE) {
		fputs(first ? "" : " ", f);
		print_verdict(f, r->verdict, r->target);
		first = false;
		if (r->verdict == CTRACK_VERDICT_REJECT && r->has_reject_type) {
			const struct ct_name *tab = NULL;
			const char *fam = "";

			switch (r->reject_type) {
			case CTRACK_REJECT_TCP_RST:
				fputs(" with tcp reset", f);
				break;
			case CTRACK_REJECT_ICMP:
				tab = ct_icmp_code_names, fam = "icmp";
				break;
			case CTRACK_REJECT_ICMPV6:
				tab = ct_icmpv6_code_names, fam = "icmpv6";
				break;
			case CTRACK_REJECT_ICMPX:
				tab = ct_icmpx_code_names, fam = "icmpx";
				break;
			}
			if (tab) {
				fprintf(f, " with %s ", fam);
				print_name(f, tab, r->reject_code, false);
			}
		}
	}
	if (r->comment[0]) {
		fprintf(f, "%scomment \"%s\"", first ? "" : " ", r->comment);
		first = false;
	}
	if (first)
		fputs("counter", f);
}

/*
 * nft names a priority only where the name is valid: dstnat on output,
 * srcnat on input (the other hooks of NAT chains are not ctrack's), the
 * rest everywhere; @hook -1: any hook.
 */
static bool prio_name_ok(const struct ct_name *n, int hook)
{
	if (hook < 0)
		return true;
	if (!strcmp(n->name, "dstnat"))
		return hook == CTRACK_HOOK_OUTPUT;
	if (!strcmp(n->name, "srcnat"))
		return hook == CTRACK_HOOK_INPUT;
	return true;
}

static void print_prio(FILE *f, int32_t prio, int hook)
{
	for (const struct ct_name *n = ct_prio_names; n->name; n++) {
		int32_t d = prio - (int32_t)n->val;

		if (!prio_name_ok(n, hook))
			continue;
		if (d == 0) {
			fputs(n->name, f);
			return;
		}
		if (d >= -10 && d <= 10) {
			fprintf(f, "%s %c %d", n->name, d > 0 ? '+' : '-', d > 0 ? d : -d);
			return;
		}
	}
	fprintf(f, "%d", prio);
}

void ct_print_prio(FILE *f, int32_t prio)
{
	print_prio(f, prio, -1);
}

void ct_print_set(FILE *f, const struct ct_set *s, const struct ct_print_opts *o, const char *in)
{
	const char *tn = ct_name_of(ct_type_names, s->type);

	fprintf(f, "%sset ", in);
	print_ident(f, s->name);
	fputs(" {\n", f);
	fprintf(f, "%s\ttype %s\n", in, tn ? tn : "?");
	if (s->flags) {
		static const char *const fl[] = { "interval", "timeout", "constant" };
		bool first = true;

		fprintf(f, "%s\tflags ", in);
		for (int i = 0; i < 3; i++)
			if (s->flags & (1U << i)) {
				fprintf(f, "%s%s", first ? "" : ",", fl[i]);
				first = false;
			}
		fputc('\n', f);
	}
	if (s->has_timeout) {
		fprintf(f, "%s\ttimeout ", in);
		ct_print_timeout(f, s->timeout);
		fputc('\n', f);
	}
	if (s->n) {
		fprintf(f, "%s\telements = ", in);
		print_elems(f, s->type, s->elems, s->n, o->numeric, o->save);
		fputc('\n', f);
	}
	fprintf(f, "%s}\n", in);
}

static void print_chain(FILE *f, const struct ct_chain *c, const struct ct_print_opts *o)
{
	fputs("\tchain ", f);
	print_ident(f, c->name);
	fputs(" {\n", f);
	if (c->base) {
		fprintf(f, "\t\ttype filter hook %s priority ", ct_name_of(ct_hook_names, c->hook));
		print_prio(f, c->prio, c->hook);
		fprintf(f, "; policy %s;\n", c->policy == CTRACK_VERDICT_DROP ? "drop" : "accept");
	}
	for (unsigned int i = 0; i < c->n; i++) {
		fputs("\t\t", f);
		ct_print_rule(f, &c->rules[i], o->numeric);
		if (o->handles && c->rules[i].has_handle)
			fprintf(f, " # handle %u", c->rules[i].handle);
		fputc('\n', f);
	}
	fputs("\t}\n", f);
}

void ct_print_ruleset(FILE *f, const struct ct_ruleset *rs, const struct ct_print_opts *o)
{
	for (unsigned int t = 0; t < rs->n; t++) {
		const struct ct_table *tb = rs->tables[t];
		bool first = true;

		fprintf(f, "table %s ", ct_family_str(tb->family));
		print_ident(f, tb->name);
		fputs(" {\n", f);
		for (unsigned int i = 0; i < tb->nsets; i++) {
			if (!first)
				fputc('\n', f);
			first = false;
			ct_print_set(f, tb->sets[i], o, "\t");
		}
		for (unsigned int i = 0; i < tb->nchains; i++) {
			if (!first)
				fputc('\n', f);
			first = false;
			print_chain(f, tb->chains[i], o);
		}
		fputs("}\n", f);
	}
}
