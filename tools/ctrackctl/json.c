// SPDX-License-Identifier: GPL-2.0
/* A minimal JSON writer (compact, one document per call site) and the JSON printers. */
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include "ctrackctl.h"

void ct_json_init(struct ct_json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->first[0] = true;
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void key(struct ct_json *j, const char *k)
{
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
	if (k) {
		json_string(j->f, k);
		fputc(':', j->f);
	}
}

void ct_json_open(struct ct_json *j, const char *k, char bracket)
{
	key(j, k);
	fputc(bracket, j->f);
	if (j->depth + 1 < (int)(sizeof(j->first) / sizeof(j->first[0])))
		j->depth++;
	j->first[j->depth] = true;
}

void ct_json_close(struct ct_json *j, char bracket)
{
	fputc(bracket, j->f);
	if (j->depth > 0)
		j->depth--;
}

void ct_json_str(struct ct_json *j, const char *k, const char *val)
{
	key(j, k);
	json_string(j->f, val);
}

void ct_json_u64(struct ct_json *j, const char *k, uint64_t val)
{
	key(j, k);
	fprintf(j->f, "%llu", (unsigned long long)val);
}

void ct_json_bool(struct ct_json *j, const char *k, bool val)
{
	key(j, k);
	fputs(val ? "true" : "false", j->f);
}

static void json_tuple(struct ct_json *j, const char *k, const struct ct_tuple *t,
		       const uint64_t *packets, const uint64_t *bytes)
{
	char buf[64];

	ct_json_open(j, k, '{');
	ct_addr_str(t->family, t->src, false, buf, sizeof(buf));
	ct_json_str(j, "src", buf);
	ct_addr_str(t->family, t->dst, false, buf, sizeof(buf));
	ct_json_str(j, "dst", buf);
	if (t->proto == IPPROTO_ICMP || t->proto == IPPROTO_ICMPV6) {
		ct_json_u64(j, "type", t->dport >> 8);
		ct_json_u64(j, "code", t->dport & 0xff);
		ct_json_u64(j, "id", t->sport);
	} else if (t->proto == IPPROTO_TCP || t->proto == IPPROTO_UDP) {
		ct_json_u64(j, "sport", t->sport);
		ct_json_u64(j, "dport", t->dport);
	}
	if (packets) {
		ct_json_u64(j, "packets", *packets);
		ct_json_u64(j, "bytes", *bytes);
	}
	ct_json_close(j, '}');
}

void ct_json_conn(struct ct_json *j, const struct ct_conn *c, const char *k)
{
	struct ct_tuple reply;

	ct_json_open(j, k, '{');
	ct_json_str(j, "family", ct_l3_name(c->orig.family));
	ct_json_str(j, "proto", ct_l4_name(c->orig.proto));
	ct_json_u64(j, "protonum", c->orig.proto);
	ct_json_u64(j, "timeout", c->timeout);
	if (c->orig.proto == IPPROTO_TCP && c->has_state) {
		const char *s = ct_name_of(ct_tcp_state_names, c->state);

		ct_json_str(j, "state", s ? s : "UNKNOWN");
	}
	json_tuple(j, "orig", &c->orig, c->has_acct ? &c->packets[0] : NULL, &c->bytes[0]);
	ct_tuple_invert(&c->orig, &reply);
	json_tuple(j, "reply", &reply, c->has_acct ? &c->packets[1] : NULL, &c->bytes[1]);
	ct_json_open(j, "status", '[');
	for (const struct ct_name *n = ct_status_names; n->name; n++)
		if (c->status & (1U << n->val))
			ct_json_str(j, NULL, n->name);
	ct_json_close(j, ']');
	ct_json_bool(j, "unreplied", !(c->status & (1U << CTRACK_S_SEEN_REPLY)));
	ct_json_bool(j, "assured", c->status & (1U << CTRACK_S_ASSURED));
	if (c->has_master) {
		ct_json_open(j, "master", '{');
		ct_json_str(j, "proto", ct_l4_name(c->master.proto));
		json_tuple(j, "orig", &c->master, NULL, NULL);
		ct_json_close(j, '}');
	}
	if (c->helper[0])
		ct_json_str(j, "helper", c->helper);
	ct_json_close(j, '}');
}

void ct_json_expect(struct ct_json *j, const struct ct_expect *e, const char *k)
{
	ct_json_open(j, k, '{');
	ct_json_u64(j, "timeout", e->timeout);
	ct_json_str(j, "family", ct_l3_name(e->tuple.family));
	ct_json_str(j, "proto", ct_l4_name(e->tuple.proto));
	json_tuple(j, "tuple", &e->tuple, NULL, NULL);
	if (e->has_master)
		json_tuple(j, "master", &e->master, NULL, NULL);
	if (e->helper[0])
		ct_json_str(j, "helper", e->helper);
	ct_json_close(j, '}');
}

/* ---- the rule set as libnftables-json (what `nft -j list ruleset` prints) ---- */

static void raw(struct ct_json *j, const char *k, const char *text)
{
	key(j, k);
	fputs(text, j->f);
}

/* A value: a number where the text is one, else a string (quotes of names dropped). */
static void json_val(struct ct_json *j, const char *k, uint8_t type, const struct ct_val *v,
		     bool numeric)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	bool digits = true;

	if (!m)
		return;
	ct_print_val(m, type, v, numeric);
	fclose(m);
	for (size_t i = 0; i < len; i++)
		digits &= text[i] >= '0' && text[i] <= '9';
	if (digits && len) {
		raw(j, k, text);
	} else if (len >= 2 && text[0] == '"') {
		text[len - 1] = '\0';
		ct_json_str(j, k, text + 1);
	} else if (type == CTRACK_TYPE_TCP_FLAG || type == CTRACK_TYPE_CT_STATE) {
		/* "syn | ack", "established,related": a list of flag names */
		char *save, *tok;

		ct_json_open(j, k, '[');
		for (tok = strtok_r(text, " |,", &save); tok; tok = strtok_r(NULL, " |,", &save))
			ct_json_str(j, NULL, tok);
		ct_json_close(j, ']');
	} else {
		ct_json_str(j, k, text);
	}
	free(text);
}

static void json_left(struct ct_json *j, const char *k, uint8_t key)
{
	const struct ct_keydesc *kd = ct_key_desc(key);
	char proto[16];
	const char *sp = strchr(kd->name, ' ');

	ct_json_open(j, k, '{');
	if (!sp || !strncmp(kd->name, "meta ", 5)) {
		ct_json_open(j, "meta", '{');
		ct_json_str(j, "key", sp ? sp + 1 : kd->name);
		ct_json_close(j, '}');
	} else if (!strncmp(kd->name, "ct ", 3)) {
		ct_json_open(j, "ct", '{');
		ct_json_str(j, "key", sp + 1);
		ct_json_close(j, '}');
	} else {
		snprintf(proto, sizeof(proto), "%.*s", (int)(sp - kd->name), kd->name);
		ct_json_open(j, "payload", '{');
		ct_json_str(j, "protocol", proto);
		ct_json_str(j, "field", sp + 1);
		ct_json_close(j, '}');
	}
	ct_json_close(j, '}');
}

static void json_verdict(struct ct_json *j, const char *k, uint8_t v, const char *target)
{
	const char *n = ct_name_of(ct_verdict_names, v);

	ct_json_open(j, k, '{');
	if (v == CTRACK_VERDICT_JUMP || v == CTRACK_VERDICT_GOTO) {
		ct_json_open(j, n, '{');
		ct_json_str(j, "target", target);
		ct_json_close(j, '}');
	} else {
		raw(j, n ? n : "?", "null");
	}
	ct_json_close(j, '}');
}

static void json_elem(struct ct_json *j, uint8_t type, const struct ct_elem *e, bool numeric)
{
	bool wrap = e->flags & (CT_E_TIMEOUT | CT_E_EXPIRES);

	if (wrap) {
		ct_json_open(j, NULL, '{');
		ct_json_open(j, "elem", '{');
		j->first[j->depth] = true;
	}
	if (e->flags & CT_E_PREFIX) {
		ct_json_open(j, wrap ? "val" : NULL, '{');
		ct_json_open(j, "prefix", '{');
		json_val(j, "addr", type, &e->val, numeric);
		ct_json_u64(j, "len", e->prefix);
		ct_json_close(j, '}');
		ct_json_close(j, '}');
	} else if (e->flags & CT_E_RANGE) {
		ct_json_open(j, wrap ? "val" : NULL, '{');
		ct_json_open(j, "range", '[');
		json_val(j, NULL, type, &e->val, numeric);
		json_val(j, NULL, type, &e->to, numeric);
		ct_json_close(j, ']');
		ct_json_close(j, '}');
	} else {
		json_val(j, wrap ? "val" : NULL, type, &e->val, numeric);
	}
	if (wrap) {
		if (e->flags & CT_E_TIMEOUT)
			ct_json_u64(j, "timeout", e->timeout);
		if (e->flags & CT_E_EXPIRES)
			ct_json_u64(j, "expires", e->expires);
		ct_json_close(j, '}');
		ct_json_close(j, '}');
	}
}

static void json_elems(struct ct_json *j, const char *k, uint8_t type, const struct ct_elem *e,
		       unsigned int n, bool numeric, bool vmap)
{
	ct_json_open(j, k, '[');
	for (unsigned int i = 0; i < n; i++) {
		if (vmap) {
			ct_json_open(j, NULL, '[');
			json_elem(j, type, &e[i], numeric);
			json_verdict(j, NULL, e[i].verdict, e[i].target);
			ct_json_close(j, ']');
		} else {
			json_elem(j, type, &e[i], numeric);
		}
	}
	ct_json_close(j, ']');
}

static void json_match(struct ct_json *j, const struct ct_match *m, bool numeric)
{
	const struct ct_keydesc *kd = ct_key_desc(m->key);

	ct_json_open(j, NULL, '{');
	ct_json_open(j, "match", '{');
	ct_json_str(j, "op", m->test == CT_T_FLAGS && !m->neg ? "in" : m->neg ? "!=" : "==");
	if (m->has_mask) {
		struct ct_val mv = { .n = m->mask };

		ct_json_open(j, "left", '{');
		ct_json_open(j, "&", '[');
		json_left(j, NULL, m->key);
		json_val(j, NULL, kd->type, &mv, numeric);
		ct_json_close(j, ']');
		ct_json_close(j, '}');
	} else {
		json_left(j, "left", m->key);
	}
	switch (m->test) {
	case CT_T_VALUE:
		if (m->has_prefix) {
			ct_json_open(j, "right", '{');
			ct_json_open(j, "prefix", '{');
			json_val(j, "addr", kd->type, &m->val, numeric);
			ct_json_u64(j, "len", m->prefix);
			ct_json_close(j, '}');
			ct_json_close(j, '}');
		} else {
			json_val(j, "right", kd->type, &m->val, numeric);
		}
		break;
	case CT_T_RANGE:
		ct_json_open(j, "right", '{');
		ct_json_open(j, "range", '[');
		json_val(j, NULL, kd->type, &m->val, numeric);
		json_val(j, NULL, kd->type, &m->to, numeric);
		ct_json_close(j, ']');
		ct_json_close(j, '}');
		break;
	case CT_T_FLAGS: {
		struct ct_val fv = { .n = m->flags };

		json_val(j, "right", kd->type, &fv, numeric);
		break;
	}
	case CT_T_ELEMS:
		ct_json_open(j, "right", '{');
		json_elems(j, "set", kd->type, m->elems, m->nelems, numeric, false);
		ct_json_close(j, '}');
		break;
	case CT_T_SET: {
		char name[CT_NAME_MAX + 1];

		snprintf(name, sizeof(name), "@%s", m->set);
		ct_json_str(j, "right", name);
		break;
	}
	}
	ct_json_close(j, '}');
	ct_json_close(j, '}');
}

static void json_rule(struct ct_json *j, const struct ct_table *t, const struct ct_chain *c,
		      const struct ct_rule *r, bool numeric)
{
	ct_json_open(j, NULL, '{');
	ct_json_open(j, "rule", '{');
	ct_json_str(j, "family", ct_family_str(t->family));
	ct_json_str(j, "table", t->name);
	ct_json_str(j, "chain", c->name);
	ct_json_u64(j, "handle", r->handle);
	if (r->comment[0])
		ct_json_str(j, "comment", r->comment);
	ct_json_open(j, "expr", '[');
	for (unsigned int i = 0; i < r->nm; i++)
		json_match(j, &r->m[i], numeric);
	ct_json_open(j, NULL, '{');
	ct_json_open(j, "counter", '{');
	ct_json_u64(j, "packets", r->packets);
	ct_json_u64(j, "bytes", r->bytes);
	ct_json_close(j, '}');
	ct_json_close(j, '}');
	if (r->has_vmap) {
		ct_json_open(j, NULL, '{');
		ct_json_open(j, "vmap", '{');
		json_left(j, "key", r->vmap_key);
		ct_json_open(j, "data", '{');
		json_elems(j, "set", ct_key_desc(r->vmap_key)->type, r->velems, r->nvelems, numeric,
			   true);
		ct_json_close(j, '}');
		ct_json_close(j, '}');
		ct_json_close(j, '}');
	} else if (r->verdict == CTRACK_VERDICT_REJECT) {
		static const char *const types[] = { NULL, "tcp reset", "icmp", "icmpv6", "icmpx" };
		const struct ct_name *tab[] = { NULL, NULL, ct_icmp_code_names,
						ct_icmpv6_code_names, ct_icmpx_code_names };

		ct_json_open(j, NULL, '{');
		if (!r->has_reject_type || r->reject_type >= __CTRACK_REJECT_MAX) {
			raw(j, "reject", "null");
		} else {
			const char *code = tab[r->reject_type] ?
					   ct_name_of(tab[r->reject_type], r->reject_code) : NULL;

			ct_json_open(j, "reject", '{');
			ct_json_str(j, "type", types[r->reject_type]);
			if (code)
				ct_json_str(j, "expr", code);
			else if (tab[r->reject_type])
				ct_json_u64(j, "expr", r->reject_code);
			ct_json_close(j, '}');
		}
		ct_json_close(j, '}');
	} else if (r->verdict != CTRACK_VERDICT_CONTINUE) {
		json_verdict(j, NULL, r->verdict, r->target);
	}
	ct_json_close(j, ']');
	ct_json_close(j, '}');
	ct_json_close(j, '}');
}

void ct_json_ruleset(FILE *f, const struct ct_ruleset *rs, bool numeric)
{
	struct ct_json j;

	ct_json_init(&j, f);
	ct_json_open(&j, NULL, '{');
	ct_json_open(&j, "nftables", '[');
	ct_json_open(&j, NULL, '{');
	ct_json_open(&j, "metainfo", '{');
	ct_json_str(&j, "version", CTRACKCTL_VERSION);
	ct_json_str(&j, "release_name", "ctrack");
	ct_json_u64(&j, "json_schema_version", 1);
	ct_json_close(&j, '}');
	ct_json_close(&j, '}');
	for (unsigned int t = 0; t < rs->n; t++) {
		const struct ct_table *tb = rs->tables[t];
		const char *fam = ct_family_str(tb->family);

		ct_json_open(&j, NULL, '{');
		ct_json_open(&j, "table", '{');
		ct_json_str(&j, "family", fam);
		ct_json_str(&j, "name", tb->name);
		ct_json_u64(&j, "handle", t + 1);
		ct_json_close(&j, '}');
		ct_json_close(&j, '}');
		for (unsigned int i = 0; i < tb->nsets; i++) {
			const struct ct_set *s = tb->sets[i];
			static const char *const fl[] = { "interval", "timeout", "constant" };

			ct_json_open(&j, NULL, '{');
			ct_json_open(&j, "set", '{');
			ct_json_str(&j, "family", fam);
			ct_json_str(&j, "name", s->name);
			ct_json_str(&j, "table", tb->name);
			ct_json_str(&j, "type", ct_name_of(ct_type_names, s->type) ?: "?");
			ct_json_u64(&j, "handle", 0);
			if (s->flags) {
				ct_json_open(&j, "flags", '[');
				for (int b = 0; b < 3; b++)
					if (s->flags & (1U << b))
						ct_json_str(&j, NULL, fl[b]);
				ct_json_close(&j, ']');
			}
			if (s->has_timeout)
				ct_json_u64(&j, "timeout", s->timeout);
			if (s->n)
				json_elems(&j, "elem", s->type, s->elems, s->n, numeric, false);
			ct_json_close(&j, '}');
			ct_json_close(&j, '}');
		}
		for (unsigned int i = 0; i < tb->nchains; i++) {
			const struct ct_chain *c = tb->chains[i];

			ct_json_open(&j, NULL, '{');
			ct_json_open(&j, "chain", '{');
			ct_json_str(&j, "family", fam);
			ct_json_str(&j, "table", tb->name);
			ct_json_str(&j, "name", c->name);
			ct_json_u64(&j, "handle", 0);
			if (c->base) {
				char prio[16];

				ct_json_str(&j, "type", "filter");
				ct_json_str(&j, "hook", ct_name_of(ct_hook_names, c->hook) ?: "?");
				snprintf(prio, sizeof(prio), "%d", c->prio);
				raw(&j, "prio", prio);
				ct_json_str(&j, "policy", c->policy == CTRACK_VERDICT_DROP ? "drop" : "accept");
			}
			ct_json_close(&j, '}');
			ct_json_close(&j, '}');
		}
		for (unsigned int i = 0; i < tb->nchains; i++)
			for (unsigned int r = 0; r < tb->chains[i]->n; r++)
				json_rule(&j, tb, tb->chains[i], &tb->chains[i]->rules[r], numeric);
	}
	ct_json_close(&j, ']');
	ct_json_close(&j, '}');
	fputc('\n', f);
}
