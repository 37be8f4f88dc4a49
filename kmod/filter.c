// SPDX-License-Identifier: GPL-2.0
/*
 * Connection filters: the one predicate behind `ctrackctl conn list/get/
 * delete` and conntrack's -L/-D, whatever netlink family the request came
 * in on (see filter.h).
 */
#include <linux/string.h>
#include "filter.h"

bool ct_filter_match(const struct ct_conn *c, void *arg)
{
	const struct ct_filter *f = arg;
	const struct ct_tuple *t = &c->tuple;
	u32 p = f->present;

	if (p & CT_FILTER_NOTHING)
		return false;
	if ((p & CT_FILTER_FAMILY) && t->l3 != f->family)
		return false;
	if ((p & CT_FILTER_PROTO) && t->proto != f->proto)
		return false;
	if ((p & CT_FILTER_SRC) && memcmp(&t->src, &f->src, sizeof(t->src)))
		return false;
	if ((p & CT_FILTER_DST) && memcmp(&t->dst, &f->dst, sizeof(t->dst)))
		return false;
	if ((p & CT_FILTER_SPORT) && (t->sport & f->sport_mask) != f->sport)
		return false;
	if ((p & CT_FILTER_DPORT) && (t->dport & f->dport_mask) != f->dport)
		return false;
	if ((p & CT_FILTER_STATE) && READ_ONCE(c->state) != f->state)
		return false;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(ct_filter_match);
