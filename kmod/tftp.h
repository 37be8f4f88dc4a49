/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_TFTP_H
#define _CTRACK_TFTP_H

#include <linux/types.h>

/* TFTP opcodes (RFC 1350, RFC 2347 for OACK). */
enum ct_tftp_op {
	CT_TFTP_RRQ = 1,
	CT_TFTP_WRQ,
	CT_TFTP_DATA,
	CT_TFTP_ACK,
	CT_TFTP_ERROR,
	CT_TFTP_OACK,
};

/*
 * The opcode a TFTP message starts with (the first two bytes of the UDP
 * payload, big-endian), or -EINVAL when @len is shorter than that. Pure:
 * any value 0 to 65535 is returned as it is.
 */
int ct_tftp_opcode(const u8 *data, unsigned int len);

#endif /* _CTRACK_TFTP_H */
