// SPDX-License-Identifier: GPL-2.0
/*
 * Expectations: connections announced by a master (FTP data).
 */
#include <linux/kernel.h>
#include "netns.h"
#include "expect.h"

int ct_ftp_ports_parse(const char *list, u16 *ports)
{
	return 0;
}

int ct_expect_net_init(struct ct_net *cn, const char *ftp_ports)
{
	return 0;
}

void ct_expect_net_exit(struct ct_net *cn)
{
}

struct ct_expect *ct_expect_find(struct ct_net *cn, const struct ct_tuple *t,
				 u32 now)
{
	return NULL;
}

int ct_expect_fulfil(struct ct_net *cn, struct ct_expect *e, struct ct_conn *c)
{
	return 0;
}

int ct_helper_attach(struct ct_net *cn, struct ct_conn *c)
{
	return 0;
}

void ct_helper_packet(struct ct_net *cn, struct ct_conn *c, int dir,
		      const struct sk_buff *skb, const struct ct_pkt *pkt,
		      u32 now)
{
}

void ct_expect_conn_gone(struct ct_net *cn, struct ct_conn *c)
{
}

int ct_ftp_port_add(struct ct_net *cn, u16 port)
{
	return -EOPNOTSUPP;
}

int ct_ftp_port_del(struct ct_net *cn, u16 port)
{
	return -ENOENT;
}

int ct_expect_walk(struct ct_net *cn, unsigned long *pos,
		   int (*fn)(const struct ct_expect *e, void *arg), void *arg)
{
	return 0;
}

unsigned int ct_expect_flush(struct ct_net *cn)
{
	return 0;
}

unsigned int ct_expect_count(struct ct_net *cn)
{
	return 0;
}
