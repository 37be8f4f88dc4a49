// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel replies -> output. Fed one netlink message at a time by nl.c (or
 * by the host tests, which build the messages themselves).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include "ctrackctl.h"

static const struct nlattr *top_attr(const struct nlmsghdr *nlh, uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

static int malformed(void)
{
	errno = EBADMSG;
	return MNL_CB_ERROR;
}

static bool json_list(enum ct_op op)
{
	return op == CT_OP_CONN_LIST || op == CT_OP_EXPECT_LIST || op == CT_OP_STATS ||
	       op == CT_OP_TIMEOUT_LIST || op == CT_OP_HELPER_LIST;
}

int ct_reply_begin(struct ct_reply *r, enum ct_op op, const struct ct_opts *o,
		   FILE *out, FILE *err)
{
	memset(r, 0, sizeof(*r));
	r->op = op;
	r->o = o;
	r->out = out;
	r->err = err;
	ct_json_init(&r->j, out);
	if (op == CT_OP_RULE_LIST || op == CT_OP_RULESET_SAVE || op == CT_OP_SET_LIST) {
		r->rs = ct_ruleset_new();
		if (!r->rs)
			return -1;
	}
	if (o->json && json_list(op))
		ct_json_open(&r->j, NULL, '[');
	if (o->json && op == CT_OP_SETTING_LIST)
		ct_json_open(&r->j, NULL, '{');
	return 0;
}

void ct_reply_free(struct ct_reply *r)
{
	ct_ruleset_free(r->rs);
	r->rs = NULL;
}

static int table_from_attr(const struct nlattr *nest, uint8_t *family, char *name)
{
	const struct nlattr *a;

	*family = 0;
	name[0] = '\0';
	mnl_attr_for_each_nested(a, nest) {
		uint16_t len = mnl_attr_get_payload_len(a);

		if (mnl_attr_get_type(a) == CTRACK_A_TABLE_FAMILY && len == 1)
			*family = mnl_attr_get_u8(a);
		if (mnl_attr_get_type(a) == CTRACK_A_TABLE_NAME && len && len <= CT_NAME_MAX &&
		    !((const char *)mnl_attr_get_payload(a))[len - 1])
			strcpy(name, mnl_attr_get_str(a));
	}
	return name[0] ? 0 : -1;
}

static int chain_from_attr(const struct nlattr *nest, struct ct_table *t, struct ct_chain **out)
{
	const struct nlattr *a, *name = NULL;
	struct ct_chain *c;

	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == CTRACK_A_CHAIN_NAME &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0 &&
		    mnl_attr_get_payload_len(a) <= CT_NAME_MAX)
			name = a;
	if (!name)
		return -1;
	c = ct_chain_get(t, mnl_attr_get_str(name), true);
	if (!c)
		return -1;
	mnl_attr_for_each_nested(a, nest) {
		uint16_t len = mnl_attr_get_payload_len(a);

		switch (mnl_attr_get_type(a)) {
		case CTRACK_A_CHAIN_HOOK:
			if (len != 1)
				return -1;
			c->hook = mnl_attr_get_u8(a);
			c->base = true;
			break;
		case CTRACK_A_CHAIN_PRIORITY:
			if (len != 4)
				return -1;
			c->prio = (int32_t)mnl_attr_get_u32(a);
			break;
		case CTRACK_A_CHAIN_POLICY:
			if (len != 1)
				return -1;
			c->policy = mnl_attr_get_u8(a);
			break;
		}
	}
	*out = c;
	return 0;
}

/*
 * RULE_GET and SET_GET dumps: a message per table, per set (part), per
 * chain and per rule; all go into r->rs in the order they come.
 */
static int rule_cb(const struct nlmsghdr *nlh, struct ct_reply *r)
{
	const struct nlattr *ta = top_attr(nlh, CTRACK_A_TABLE);
	const struct nlattr *sa = top_attr(nlh, CTRACK_A_SET);
	const struct nlattr *ca = top_attr(nlh, CTRACK_A_CHAIN);
	const struct nlattr *ra = top_attr(nlh, CTRACK_A_RULE);
	struct ct_table *t;
	struct ct_chain *c;
	char name[CT_NAME_MAX];
	uint8_t fam;

	if (!ta || table_from_attr(ta, &fam, name))
		return malformed();
	t = ct_table_get(r->rs, fam, name, true);
	if (!t)
		return MNL_CB_ERROR;
	if (sa) {
		const struct nlattr *a, *n = NULL;
		struct ct_set *s;

		mnl_attr_for_each_nested(a, sa)
			if (mnl_attr_get_type(a) == CTRACK_A_SET_NAME &&
			    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0 &&
			    mnl_attr_get_payload_len(a) <= CT_NAME_MAX)
				n = a;
		if (!n)
			return malformed();
		s = ct_set_get(t, mnl_attr_get_str(n), true);
		if (!s || ct_set_from_attr(sa, s))
			return malformed();
	}
	if (ca) {
		if (chain_from_attr(ca, t, &c))
			return malformed();
		if (ra) {
			struct ct_rule rl;

			if (ct_rule_from_attr(ra, &rl))
				return malformed();
			if (ct_chain_add_rule(c, &rl, false)) {
				ct_rule_free(&rl);
				return MNL_CB_ERROR;
			}
		}
	}
	return MNL_CB_OK;
}

static int conn_cb(const struct nlmsghdr *nlh, struct ct_reply *r)
{
	bool expect = r->op == CT_OP_EXPECT_LIST;
	const struct nlattr *a = top_attr(nlh, expect ? CTRACK_A_EXPECT : CTRACK_A_CONN);

	if (!a)
		return MNL_CB_OK;
	if (expect) {
		struct ct_expect e;

		if (ct_expect_from_attr(a, &e))
			return malformed();
		if (r->o->json)
			ct_json_expect(&r->j, &e, NULL);
		else
			ct_print_expect(r->out, &e);
	} else {
		struct ct_conn c;

		if (ct_conn_from_attr(a, &c))
			return malformed();
		if (r->o->json)
			ct_json_conn(&r->j, &c, NULL);
		else
			ct_print_conn(r->out, &c, true);
	}
	r->count++;
	return MNL_CB_OK;
}

static int stats_cb(const struct nlmsghdr *nlh, struct ct_reply *r)
{
	const struct nlattr *a = top_attr(nlh, CTRACK_A_STATS);
	struct ct_stats s;

	if (!a)
		return MNL_CB_OK;
	if (ct_stats_from_attr(a, &s))
		return malformed();
	if (r->o->json)
		ct_json_stats(&r->j, &s);
	else
		ct_print_stats(r->out, &s);
	r->count++;
	return MNL_CB_OK;
}

static int scalar_cb(const struct nlmsghdr *nlh, struct ct_reply *r)
{
	const struct nlattr *a;

	if ((a = top_attr(nlh, CTRACK_A_COUNT))) {
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return malformed();
		r->n = mnl_attr_get_u32(a);
		r->has_count = true;
	}
	if ((a = top_attr(nlh, CTRACK_A_MAX_CONNS))) {
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return malformed();
		r->max = mnl_attr_get_u32(a);
		r->has_max = true;
	}
	if ((a = top_attr(nlh, CTRACK_A_HANDLE))) {
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return malformed();
		r->handle = mnl_attr_get_u32(a);
		r->has_handle = true;
	}
	/* the handle may also come back inside the rule */
	if (!r->has_handle && (a = top_attr(nlh, CTRACK_A_RULE))) {
		struct ct_rule rl;

		if (!ct_rule_from_attr(a, &rl)) {
			r->handle = rl.handle;
			r->has_handle = rl.has_handle;
			ct_rule_free(&rl);
		}
	}
	return MNL_CB_OK;
}

/* TIMEOUT_GET, HELPER_GET, SETTING_GET: one reply with a nest per item. */
static int items_cb(const struct nlmsghdr *nlh, struct ct_reply *r)
{
	const struct nlattr *a, *x;
	uint16_t want = r->op == CT_OP_TIMEOUT_LIST ? CTRACK_A_TIMEOUT :
			r->op == CT_OP_HELPER_LIST ? CTRACK_A_HELPER : CTRACK_A_SETTING;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		const struct nlattr *tb[3] = { NULL };
		const char *name;
		uint32_t v;

		if (mnl_attr_get_type(a) != want)
			continue;
		/* all three nests are (1: u32 or string, 2: u16 or u32) */
		mnl_attr_for_each_nested(x, a)
			if (mnl_attr_get_type(x) < 3)
				tb[mnl_attr_get_type(x)] = x;
		if (!tb[1] || !tb[2])
			return malformed();
		if (r->op == CT_OP_TIMEOUT_LIST) {
			const char *p, *st;

			if (mnl_attr_validate(tb[1], MNL_TYPE_U32) < 0 ||
			    mnl_attr_validate(tb[2], MNL_TYPE_U32) < 0)
				return malformed();
			p = ct_timeout_proto(mnl_attr_get_u32(tb[1]));
			st = ct_timeout_state(mnl_attr_get_u32(tb[1]));
			v = mnl_attr_get_u32(tb[2]);
			if (!p)
				continue;	/* a class newer than this tool */
			if (r->o->json) {
				ct_json_open(&r->j, NULL, '{');
				ct_json_str(&r->j, "proto", p);
				if (st)
					ct_json_str(&r->j, "state", st);
				ct_json_u64(&r->j, "seconds", v);
				ct_json_close(&r->j, '}');
			} else {
				fprintf(r->out, "%s%s%s %u\n", p, st ? " " : "", st ? st : "", v);
			}
		} else if (r->op == CT_OP_HELPER_LIST) {
			if (mnl_attr_validate(tb[1], MNL_TYPE_NUL_STRING) < 0 ||
			    mnl_attr_validate(tb[2], MNL_TYPE_U16) < 0)
				return malformed();
			name = mnl_attr_get_str(tb[1]);
			v = mnl_attr_get_u16(tb[2]);
			if (r->o->json) {
				ct_json_open(&r->j, NULL, '{');
				ct_json_str(&r->j, "name", name);
				ct_json_u64(&r->j, "port", v);
				ct_json_close(&r->j, '}');
			} else {
				fprintf(r->out, "%s port %u\n", name, v);
			}
		} else {
			if (mnl_attr_validate(tb[1], MNL_TYPE_NUL_STRING) < 0 ||
			    mnl_attr_validate(tb[2], MNL_TYPE_U32) < 0)
				return malformed();
			name = mnl_attr_get_str(tb[1]);
			v = mnl_attr_get_u32(tb[2]);
			if (r->o->json)
				ct_json_u64(&r->j, name, v);
			else
				fprintf(r->out, "%s %u\n", name, v);
		}
		r->count++;
	}
	return MNL_CB_OK;
}

/* The callback for every reply message of a request (ct_msg_cb). */
int ct_reply_msg(const struct nlmsghdr *nlh, void *data)
{
	struct ct_reply *r = data;

	switch (r->op) {
	case CT_OP_RULE_LIST:
	case CT_OP_RULESET_SAVE:
	case CT_OP_SET_LIST:
		return rule_cb(nlh, r);
	case CT_OP_CONN_LIST:
	case CT_OP_CONN_GET:
	case CT_OP_EXPECT_LIST:
		return conn_cb(nlh, r);
	case CT_OP_STATS:
		return stats_cb(nlh, r);
	case CT_OP_TIMEOUT_LIST:
	case CT_OP_HELPER_LIST:
	case CT_OP_SETTING_LIST:
		return items_cb(nlh, r);
	default:
		return scalar_cb(nlh, r);
	}
}

/* After the last reply: closes JSON, prints summaries; returns the exit status. */
int ct_reply_finish(struct ct_reply *r)
{
	const struct ct_opts *o = r->o;
	int ret = CT_EXIT_OK;

	if (o->json && json_list(r->op)) {
		ct_json_close(&r->j, ']');
		fputc('\n', r->out);
	}
	if (o->json && r->op == CT_OP_SETTING_LIST) {
		ct_json_close(&r->j, '}');
		fputc('\n', r->out);
	}
	switch (r->op) {
	case CT_OP_RULE_LIST:
	case CT_OP_RULESET_SAVE:
	case CT_OP_SET_LIST: {
		struct ct_print_opts po = {
			.numeric = o->numeric, .handles = r->op == CT_OP_RULE_LIST,
			.save = r->op == CT_OP_RULESET_SAVE,
		};

		if (o->json)
			ct_json_ruleset(r->out, r->rs, o->numeric);
		else
			ct_print_ruleset(r->out, r->rs, &po);
		break;
	}
	case CT_OP_RULE_ADD:
	case CT_OP_RULE_INSERT:
		if (!r->has_handle)
			break;
		if (o->json)
			fprintf(r->out, "{\"handle\":%u}\n", r->handle);
		else
			fprintf(r->out, "%u\n", r->handle);
		break;
	case CT_OP_CONN_LIST:
		fprintf(r->err, "ctrack v%s: %lu flow entries have been shown.\n",
			CTRACKCTL_VERSION, r->count);
		break;
	case CT_OP_CONN_GET:
		if (r->count == 0) {
			fprintf(r->err, "ctrackctl: no such connection\n");
			ret = CT_EXIT_ERR;
		} else if (o->json) {
			fputc('\n', r->out);
		}
		break;
	case CT_OP_EXPECT_LIST:
		fprintf(r->err, "ctrack v%s: %lu expectation entries have been shown.\n",
			CTRACKCTL_VERSION, r->count);
		break;
	case CT_OP_CONN_DELETE:
	case CT_OP_CONN_FLUSH:
	case CT_OP_EXPECT_FLUSH:
		if (o->json)
			fprintf(r->out, "{\"deleted\":%u}\n", r->n);
		else if (r->op == CT_OP_CONN_DELETE)
			fprintf(r->err, "ctrack v%s: %u flow entries have been deleted.\n",
				CTRACKCTL_VERSION, r->n);
		else
			fprintf(r->err, "ctrack v%s: %s table has been emptied (%u entries).\n",
				CTRACKCTL_VERSION,
				r->op == CT_OP_CONN_FLUSH ? "connection tracking" : "expectation",
				r->n);
		break;
	case CT_OP_CONN_COUNT:
		if (o->json) {
			fprintf(r->out, "{\"count\":%u", r->n);
			if (r->has_max)
				fprintf(r->out, ",\"max\":%u", r->max);
			fprintf(r->out, "}\n");
		} else {
			fprintf(r->out, "%u\n", r->n);
		}
		break;
	default:
		break;
	}
	ct_reply_free(r);
	return ret;
}

/* ---- monitor events ---- */

static const char *const event_tags[] = { "[NEW]", "[UPDATE]", "[DESTROY]" };

/* @from..@to never arrived: say so, and how many, unlike conntrack -E. */
void ct_reply_lost(struct ct_reply *r, uint64_t from, uint64_t to)
{
	uint64_t n = to - from + 1;

	r->lost += n;
	fflush(r->out);
	fprintf(r->err, "ctrackctl: warning: %llu event%s lost (seq %llu..%llu)\n",
		(unsigned long long)n, n == 1 ? "" : "s", (unsigned long long)from,
		(unsigned long long)to);
	if (r->o->json)
		fprintf(r->out, "{\"lost\":%llu,\"from_seq\":%llu,\"to_seq\":%llu}\n",
			(unsigned long long)n, (unsigned long long)from, (unsigned long long)to);
	fflush(r->out);
}

int ct_reply_event(const struct nlmsghdr *nlh, void *data)
{
	struct ct_reply *r = data;
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a, *conn = NULL, *exp = NULL;
	struct ct_conn c;
	struct ct_expect e;
	uint64_t seq = 0;
	int type = -1;

	if (nlh->nlmsg_len < mnl_nlmsg_size(GENL_HDRLEN) || g->cmd != CTRACK_CMD_EVENT)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case CTRACK_A_EVENT_TYPE:
			if (mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
				type = mnl_attr_get_u8(a);
			break;
		case CTRACK_A_EVENT_SEQ:
			if (mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
				seq = mnl_attr_get_u64(a);
			break;
		case CTRACK_A_CONN:
			conn = a;
			break;
		case CTRACK_A_EXPECT:
			exp = a;
			break;
		}
	}
	/* Gaps count every event, also those of types we do not show. */
	if (seq) {
		if (r->last_seq && seq > r->last_seq + 1)
			ct_reply_lost(r, r->last_seq + 1, seq - 1);
		else if (r->last_seq && seq <= r->last_seq)
			fprintf(r->err, "ctrackctl: warning: event sequence restarted at %llu (module reloaded?)\n",
				(unsigned long long)seq);
		r->last_seq = seq;
	}
	if (type < 0 || type >= __CTRACK_EVENT_MAX || !(r->events & (1U << type)))
		return MNL_CB_OK;
	if ((conn && ct_conn_from_attr(conn, &c)) || (!conn && exp && ct_expect_from_attr(exp, &e)) ||
	    (!conn && !exp)) {
		fflush(r->out);
		fprintf(r->err, "ctrackctl: warning: malformed event (seq %llu) skipped\n",
			(unsigned long long)seq);
		return MNL_CB_OK;
	}
	if (r->o->json) {
		ct_json_init(&r->j, r->out);
		ct_json_open(&r->j, NULL, '{');
		ct_json_str(&r->j, "event", ct_name_of(ct_event_names, type));
		ct_json_u64(&r->j, "seq", seq);
		if (conn)
			ct_json_conn(&r->j, &c, "conn");
		else
			ct_json_expect(&r->j, &e, "expect");
		ct_json_close(&r->j, '}');
		fputc('\n', r->out);
	} else {
		fprintf(r->out, "%s ", event_tags[type]);
		if (conn)
			ct_print_conn(r->out, &c, false);
		else
			ct_print_expect(r->out, &e);
	}
	fflush(r->out);
	r->count++;
	return MNL_CB_OK;
}
