// SPDX-License-Identifier: GPL-2.0
/*
 * The helper table, the ports each namespace gives the helpers, and the
 * packet path's way to them. What a helper does lives in its own file.
 */
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "netns.h"
#include "conn.h"
#include "expect.h"
#include "helper.h"

static const struct ct_helper *const helpers[__CT_HELPER_MAX] = {
	[CT_HELPER_FTP]		= &ct_helper_ftp,
	[CT_HELPER_TFTP]	= &ct_helper_tftp,
};

const struct ct_helper *ct_helper_get(unsigned int id)
{
	return id < __CT_HELPER_MAX ? helpers[id] : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(ct_helper_get);

int ct_helper_find(const char *name)
{
	unsigned int id;

	for (id = 0; id < __CT_HELPER_MAX; id++)
		if (!strcmp(helpers[id]->name, name))
			return id;
	return -ENOENT;
}
EXPORT_SYMBOL_IF_KUNIT(ct_helper_find);

const char *ct_helper_name(const struct ct_conn *c)
{
	const struct ct_conn_ext *ext = rcu_dereference(c->ext);

	if (!ext || !ext->helper)
		return NULL;
	return helpers[ext->helper - 1]->name;
}
EXPORT_SYMBOL_IF_KUNIT(ct_helper_name);

int ct_helper_ports_parse(const char *what, const char *list, u16 *ports)
{
	u16 parsed[CT_HELPER_PORTS_MAX + 1] = {};
	unsigned int n = 0, i;
	const char *p = list;

	while (*p) {
		const char *end = strchrnul(p, ',');
		size_t len = end - p;
		char buf[8];
		u16 port;

		if (!len || len >= sizeof(buf))
			goto err_value;
		memcpy(buf, p, len);
		buf[len] = '\0';
		if (!isdigit(buf[0]) || kstrtou16(buf, 10, &port) || !port)
			goto err_value;
		for (i = 0; i < n; i++) {
			if (parsed[i] == port) {
				pr_err("%s: port %u listed twice\n", what, port);
				return -EINVAL;
			}
		}
		if (n == CT_HELPER_PORTS_MAX) {
			pr_err("%s: more than %u ports\n", what, CT_HELPER_PORTS_MAX);
			return -EINVAL;
		}
		parsed[n++] = port;
		if (!*end)
			break;
		p = end + 1;
		/* "21," ends with an empty value */
		if (!*p)
			goto err_value;
	}
	if (ports)
		memcpy(ports, parsed, sizeof(parsed));
	return 0;

err_value:
	pr_err("%s: '%.*s' is not a port in 1..65535 (in \"%s\")\n", what,
	       (int)(strchrnul(p, ',') - p), p, list);
	return -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(ct_helper_ports_parse);

/* The module parameter of @h, e.g. "ftp_ports", for messages. */
static int parse_param(const struct ct_helper *h, u16 *ports)
{
	char what[32];

	snprintf(what, sizeof(what), "%s_ports", h->name);
	return ct_helper_ports_parse(what, h->ports_param, ports);
}

int ct_helper_check_params(void)
{
	unsigned int id;
	int ret;

	for (id = 0; id < __CT_HELPER_MAX; id++) {
		ret = parse_param(helpers[id], NULL);
		if (ret)
			return ret;
	}
	return 0;
}

/* After a change of @cn's ports, under cfg_lock (or before it is used). */
static void update_protos(struct ct_net *cn)
{
	DECLARE_BITMAP(want, 256) = {};
	unsigned int id;
	u8 proto;

	for (id = 0; id < __CT_HELPER_MAX; id++)
		if (cn->helpers.ports[id][0])
			__set_bit(helpers[id]->proto, want);
	/* bit by bit, so that a bit that stays never flickers */
	for (id = 0; id < __CT_HELPER_MAX; id++) {
		proto = helpers[id]->proto;
		if (test_bit(proto, want))
			set_bit(proto, cn->helpers.protos);
		else
			clear_bit(proto, cn->helpers.protos);
	}
}

int ct_helper_net_init(struct ct_net *cn)
{
	unsigned int id;
	int ret;

	for (id = 0; id < __CT_HELPER_MAX; id++) {
		ret = parse_param(helpers[id], cn->helpers.ports[id]);
		if (ret)
			return ret;
	}
	update_protos(cn);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ct_helper_net_init);

u16 ct_helper_port(struct ct_net *cn, unsigned int id, unsigned int i)
{
	if (id >= __CT_HELPER_MAX || i >= CT_HELPER_PORTS_MAX)
		return 0;
	return READ_ONCE(cn->helpers.ports[id][i]);
}
EXPORT_SYMBOL_IF_KUNIT(ct_helper_port);

/* Writers hold cfg_lock; the packet path reads the ports with READ_ONCE. */
int ct_helper_port_add(struct ct_net *cn, unsigned int id, u16 port)
{
	u16 *ports;
	unsigned int i;

	lockdep_assert_held(&cn->cfg_lock);
	if (id >= __CT_HELPER_MAX || !port)
		return -EINVAL;
	ports = cn->helpers.ports[id];
	for (i = 0; i < CT_HELPER_PORTS_MAX && ports[i]; i++)
		if (ports[i] == port)
			return -EEXIST;
	if (i == CT_HELPER_PORTS_MAX)
		return -ENOSPC;
	WRITE_ONCE(ports[i], port);
	update_protos(cn);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ct_helper_port_add);

int ct_helper_port_del(struct ct_net *cn, unsigned int id, u16 port)
{
	unsigned int i, last;
	u16 *ports;

	lockdep_assert_held(&cn->cfg_lock);
	if (id >= __CT_HELPER_MAX)
		return -EINVAL;
	ports = cn->helpers.ports[id];
	for (i = 0; i < CT_HELPER_PORTS_MAX && ports[i]; i++)
		if (ports[i] == port)
			break;
	if (!port || i == CT_HELPER_PORTS_MAX || !ports[i])
		return -ENOENT;
	for (last = i; last + 1 < CT_HELPER_PORTS_MAX && ports[last + 1]; last++)
		;
	/*
	 * Keep the list 0-terminated at every step; a reader racing with
	 * this may miss the moved port once, which only means one new
	 * connection goes unwatched.
	 */
	WRITE_ONCE(ports[i], ports[last]);
	WRITE_ONCE(ports[last], 0);
	update_protos(cn);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ct_helper_port_del);

/* The helper watching connections of @proto to @port, or -ENOENT. */
static int helper_for(struct ct_net *cn, u8 proto, u16 port)
{
	unsigned int id, i;
	u16 p;

	for (id = 0; id < __CT_HELPER_MAX; id++) {
		if (helpers[id]->proto != proto)
			continue;
		for (i = 0; i < CT_HELPER_PORTS_MAX; i++) {
			p = READ_ONCE(cn->helpers.ports[id][i]);
			if (!p)
				break;
			if (p == port)
				return id;
		}
	}
	return -ENOENT;
}

int ct_helper_attach(struct ct_net *cn, struct ct_conn *c)
{
	const struct ct_helper *h;
	struct ct_conn_ext *ext;
	int id;

	/* a data connection is not a control connection, even on port 21 */
	if (!test_bit(c->tuple.proto, cn->helpers.protos) ||
	    rcu_access_pointer(c->ext))
		return 0;
	id = helper_for(cn, c->tuple.proto, ntohs(c->tuple.dport));
	if (id < 0)
		return 0;
	h = helpers[id];
	ext = kzalloc(struct_size(ext, state, h->state_size), ct_gfp_atomic(cn));
	if (!ext)
		return -ENOMEM;
	INIT_LIST_HEAD(&ext->expects);
	ext->helper = id + 1;
	/* @c is not in the table yet: nobody else sees c->ext */
	RCU_INIT_POINTER(c->ext, ext);
	set_bit(CTRACK_S_HELPER, &c->status);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ct_helper_attach);

void ct_helper_packet(struct ct_net *cn, struct ct_conn *c, int dir,
		      const struct sk_buff *skb, const struct ct_pkt *pkt,
		      u32 now)
{
	struct ct_conn_ext *ext = rcu_dereference(c->ext);
	const struct ct_helper *h;

	if (!ext || !ext->helper || (dir != CT_DIR_ORIGINAL && dir != CT_DIR_REPLY))
		return;
	h = helpers[ext->helper - 1];
	h->packet(cn, c, h->state_size ? ext->state : NULL, dir, skb, pkt, now);
}
EXPORT_SYMBOL_IF_KUNIT(ct_helper_packet);
