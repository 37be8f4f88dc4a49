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

/* Structured matches plus the rule as text, so scripts can pick either. */
void ct_json_rule(struct ct_json *j, const struct ct_rule *r, bool numeric)
{
	char *text = NULL, buf[64];
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	const char *v;

	ct_json_open(j, NULL, '{');
	if (r->present & CT_M_HANDLE)
		ct_json_u64(j, "handle", r->handle);
	if (m) {
		ct_print_rule(m, r, numeric);
		fclose(m);
		ct_json_str(j, "text", text);
		free(text);
	}
	if (r->present & CT_M_FAMILY)
		ct_json_str(j, "family", r->family == NFPROTO_IPV6 ? "ip6" : "ip");
	if (r->present & CT_M_PROTO)
		ct_json_str(j, "proto", ct_l4_name(r->proto));
	for (int src = 1; src >= 0; src--) {
		if (!(r->present & (src ? CT_M_SADDR : CT_M_DADDR)))
			continue;
		ct_addr_str(r->family, src ? r->saddr : r->daddr, false, buf, sizeof(buf));
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "/%u",
			 src ? r->sprefix : r->dprefix);
		ct_json_str(j, src ? "saddr" : "daddr", buf);
	}
	if (r->present & CT_M_SPORT) {
		ct_json_open(j, "sport", '[');
		ct_json_u64(j, NULL, r->sport_min);
		ct_json_u64(j, NULL, r->sport_max);
		ct_json_close(j, ']');
	}
	if (r->present & CT_M_DPORT) {
		ct_json_open(j, "dport", '[');
		ct_json_u64(j, NULL, r->dport_min);
		ct_json_u64(j, NULL, r->dport_max);
		ct_json_close(j, ']');
	}
	if (r->present & CT_M_ICMP_TYPE)
		ct_json_u64(j, "icmp_type", r->icmp_type);
	if (r->present & CT_M_IIFNAME)
		ct_json_str(j, "iifname", r->iifname);
	if (r->present & CT_M_OIFNAME)
		ct_json_str(j, "oifname", r->oifname);
	if (r->present & CT_M_CTSTATE) {
		ct_json_open(j, "ct_state", '[');
		for (const struct ct_name *n = ct_ctstate_names; n->name; n++)
			if (r->ctstate & CTRACK_CTSTATE_BIT(n->val))
				ct_json_str(j, NULL, n->name);
		ct_json_close(j, ']');
	}
	v = ct_name_of(ct_verdict_names, r->verdict);
	ct_json_str(j, "verdict", v ? v : "?");
	if (r->present & CT_M_COUNTERS) {
		ct_json_u64(j, "packets", r->packets);
		ct_json_u64(j, "bytes", r->bytes);
	}
	ct_json_close(j, '}');
}

void ct_json_chains(FILE *f, const struct ct_chains *ch, bool numeric)
{
	struct ct_json j;

	ct_json_init(&j, f);
	ct_json_open(&j, NULL, '{');
	ct_json_open(&j, "chains", '[');
	for (int h = 0; h < __CTRACK_HOOK_MAX; h++) {
		if (!ch->seen[h] || (ch->only >= 0 && ch->only != h))
			continue;
		ct_json_open(&j, NULL, '{');
		ct_json_str(&j, "hook", ct_name_of(ct_hook_names, h));
		ct_json_str(&j, "policy", ct_name_of(ct_verdict_names, ch->rs->policy[h]) ?: "?");
		ct_json_open(&j, "rules", '[');
		for (unsigned int i = 0; i < ch->rs->nrules[h]; i++)
			ct_json_rule(&j, &ch->rs->rules[h][i], numeric);
		ct_json_close(&j, ']');
		ct_json_close(&j, '}');
	}
	ct_json_close(&j, ']');
	ct_json_close(&j, '}');
	fputc('\n', f);
}
