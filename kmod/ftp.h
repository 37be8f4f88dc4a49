/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_FTP_H
#define _CTRACK_FTP_H

#include <linux/types.h>
#include "tuple.h"

/* The longest control line the helper looks at; longer ones are refused. */
#define CT_FTP_LINE_MAX		256

/*
 * Reassembly state of one direction of an FTP control connection. The
 * helper parses only bytes that arrive in order: @next_seq is where the
 * next new byte starts, @line holds the current line so far.
 */
struct ct_ftp_dir {
	u32 next_seq;
	u16 len;		/* bytes in @line */
	u8 flags;		/* CT_FTP_F_* */
	char line[CT_FTP_LINE_MAX];
};

#define CT_FTP_F_SEQ	0x01	/* next_seq is known */
#define CT_FTP_F_SKIP	0x02	/* discard up to the next newline */

/* What ct_ftp_parse() found. */
enum ct_ftp_kind {
	CT_FTP_NONE,		/* not a command the helper watches */
	CT_FTP_ADDR_PORT,	/* PORT, EPRT, 227: address and port */
	CT_FTP_PORT_ONLY,	/* 229: the port; the address is the sender's */
};

/* One announcement seen in a segment, refused or not. */
struct ct_ftp_result {
	int err;		/* 0, -EINVAL (malformed), -EACCES (bounce) */
	union ct_addr addr;
	u16 port;
};

#define CT_FTP_MAX_RESULTS	4

/*
 * Parses one line, without its end of line. Returns enum ct_ftp_kind or
 * -EINVAL for a watched command that is malformed.
 */
int ct_ftp_parse(const char *line, size_t len, bool from_client, u8 l3,
		 union ct_addr *addr, u16 *port);

/*
 * Feeds one TCP segment's payload (@seq is the segment's sequence number,
 * @syn its SYN flag) into @st, @sender being the address that sent it.
 * Appends what it finds to the @n results in @res, keeping the latest
 * @max, and returns the new number of results.
 */
unsigned int ct_ftp_feed(struct ct_ftp_dir *st, u32 seq, bool syn,
			 const u8 *data, unsigned int len, bool from_client,
			 u8 l3, const union ct_addr *sender,
			 struct ct_ftp_result *res, unsigned int n,
			 unsigned int max);

#endif /* _CTRACK_FTP_H */
