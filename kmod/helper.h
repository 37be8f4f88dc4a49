/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_HELPER_H
#define _CTRACK_HELPER_H

/*
 * Helpers: watchers of a protocol's control connections that announce the
 * connections belonging to them (expectations), as nf_conntrack's
 * helpers. A helper is one struct ct_helper in its own file, listed in
 * helper.c's table under its enum ct_helper_id. A new connection whose
 * protocol and destination port match a helper's (the ports are set per
 * namespace: `helper add NAME port N`) gets the helper's per-connection
 * state, and every packet of it the rules accept goes to ->packet().
 */
#include <linux/bitmap.h>
#include <linux/types.h>
#include "tuple.h"

struct ct_net;
struct ct_conn;
struct sk_buff;

#define CT_HELPER_PORTS_MAX	15	/* per helper and namespace */

/* The index of a helper in helper.c's table. */
enum ct_helper_id {
	CT_HELPER_FTP,
	CT_HELPER_TFTP,
	__CT_HELPER_MAX
};

struct ct_helper {
	const char *name;		/* as `helper add NAME port N` spells it */
	u8 proto;			/* IPPROTO_TCP or IPPROTO_UDP */
	const char *ports_param;	/* module parameter: "21,2121", "" */
	unsigned int state_size;	/* per-connection state, zeroed */
	/*
	 * An accepted packet of a watched connection, in direction @dir
	 * (CT_DIR_*), the first one included (once the connection is in
	 * the table), under rcu_read_lock(), never sleeping. @state is the
	 * connection's helper state (NULL if state_size is 0), which the
	 * helper guards with c->lock. It announces what it finds with
	 * ct_expect_add(); the packet passes whatever it finds (unlike
	 * nf_conntrack's helpers, which may drop a packet whose
	 * expectation could not be made).
	 */
	void (*packet)(struct ct_net *cn, struct ct_conn *c, void *state,
		       int dir, const struct sk_buff *skb,
		       const struct ct_pkt *pkt, u32 now);
};

extern const struct ct_helper ct_helper_ftp;
extern const struct ct_helper ct_helper_tftp;

/* Per-namespace ports, embedded in struct ct_net. */
struct ct_helper_net {
	/* 0-terminated; written under cfg_lock, read locklessly */
	u16 ports[__CT_HELPER_MAX][CT_HELPER_PORTS_MAX + 1];
	/* the protocols some helper has a port for: most new ones have none */
	DECLARE_BITMAP(protos, 256);
};

/* The helper with index @id (< __CT_HELPER_MAX). */
const struct ct_helper *ct_helper_get(unsigned int id);
/* The index of the helper called @name, or -ENOENT. */
int ct_helper_find(const char *name);
/* The name of @c's helper, or NULL. Under rcu_read_lock(). */
const char *ct_helper_name(const struct ct_conn *c);

/*
 * Parses "21,2121" into @ports (0-terminated, may be NULL to validate);
 * @what names the list in error messages.
 */
int ct_helper_ports_parse(const char *what, const char *list, u16 *ports);
int ct_helper_check_params(void);	/* the module parameters */
int ct_helper_net_init(struct ct_net *cn);

/* A namespace's ports of helper @id, changed under cn->cfg_lock. */
int ct_helper_port_add(struct ct_net *cn, unsigned int id, u16 port);
int ct_helper_port_del(struct ct_net *cn, unsigned int id, u16 port);
/* The @i-th port of helper @id, 0 past the last one. */
u16 ct_helper_port(struct ct_net *cn, unsigned int id, unsigned int i);

/*
 * The packet path, under rcu_read_lock(). ct_helper_attach(): a new
 * connection, not yet inserted, was accepted; watch it if a helper's port
 * and protocol match (-ENOMEM: it works, unwatched). ct_helper_packet():
 * an accepted packet of a connection with CTRACK_S_HELPER set.
 */
int ct_helper_attach(struct ct_net *cn, struct ct_conn *c);
void ct_helper_packet(struct ct_net *cn, struct ct_conn *c, int dir,
		      const struct sk_buff *skb, const struct ct_pkt *pkt,
		      u32 now);

#endif /* _CTRACK_HELPER_H */
