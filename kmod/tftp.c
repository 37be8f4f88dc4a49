// SPDX-License-Identifier: GPL-2.0
/*
 * The TFTP helper, as nf_conntrack_tftp: a read or write request from the
 * client to the server's port (69) is answered from a new port the
 * server picks, to the client's port, so the request expects a UDP
 * connection from the server, any source port, to the client's source
 * port. Everything after the request (DATA, ACK, ERROR, OACK) flows on
 * that connection, not on this one, and announces nothing.
 */
#include <linux/moduleparam.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include "netns.h"
#include "conn.h"
#include "expect.h"
#include "helper.h"
#include "tftp.h"

static char tftp_ports[128] = "";
module_param_string(tftp_ports, tftp_ports, sizeof(tftp_ports), 0444);
MODULE_PARM_DESC(tftp_ports,
		 "Comma-separated TFTP ports (default: none; `helper add tftp port 69`)");

int ct_tftp_opcode(const u8 *data, unsigned int len)
{
	if (len < 2)
		return -EINVAL;
	return data[0] << 8 | data[1];
}
EXPORT_SYMBOL_IF_KUNIT(ct_tftp_opcode);

static void tftp_packet(struct ct_net *cn, struct ct_conn *c, void *state,
			int dir, const struct sk_buff *skb,
			const struct ct_pkt *pkt, u32 now)
{
	struct ct_tuple t = {};
	const u8 *op;
	u8 _op[2];
	int ret;

	/* only the client asks; a reply from port 69 is no request */
	if (dir != CT_DIR_ORIGINAL ||
	    pkt->l4len < sizeof(struct udphdr) + sizeof(_op))
		return;
	op = skb_header_pointer(skb, pkt->l4off + sizeof(struct udphdr),
				sizeof(_op), _op);
	if (!op)
		return;
	switch (ct_tftp_opcode(op, sizeof(_op))) {
	case CT_TFTP_RRQ:
	case CT_TFTP_WRQ:
		break;
	default:
		return;
	}

	/* a retried request refreshes the same expectation */
	t.src = c->tuple.dst;
	t.dst = c->tuple.src;
	t.dport = c->tuple.sport;
	t.l3 = c->tuple.l3;
	t.proto = IPPROTO_UDP;
	ret = ct_expect_add(cn, c, &t, now);
	if (ret)
		pr_debug("tftp: no expectation for port %u: %d\n",
			 ntohs(t.dport), ret);
}

const struct ct_helper ct_helper_tftp = {
	.name = "tftp",
	.proto = IPPROTO_UDP,
	.ports_param = tftp_ports,
	.state_size = 0,
	.packet = tftp_packet,
};
EXPORT_SYMBOL_IF_KUNIT(ct_helper_tftp);
