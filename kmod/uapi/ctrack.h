/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * ctrack: a stateful connection tracker and firewall, independent of
 * nf_conntrack.
 *
 * The userspace API is the generic netlink family CTRACK_GENL_NAME, one
 * instance per network namespace. Every command that changes or reveals
 * state requires CAP_NET_ADMIN in the namespace's user namespace.
 *
 * Connection states as rules see them (CTRACK_CTSTATE_*): NEW is the
 * first packet of a connection, and every packet in the original
 * direction until a reply has been seen; ESTABLISHED is every other
 * packet of a known connection; RELATED is the first packet of a
 * connection that an expectation announced (FTP data), and ICMP errors
 * about a known connection; INVALID is everything the tracker cannot
 * make sense of. Connections are created only when the rules accept the
 * packet that would create them.
 *
 * The netlink commands and attributes are below; see ctrackctl(8) for the
 * tool that drives them.
 */
#ifndef _UAPI_LINUX_CTRACK_H
#define _UAPI_LINUX_CTRACK_H

#include <linux/types.h>

#define CTRACK_GENL_NAME	"ctrack"
#define CTRACK_GENL_VERSION	1
#define CTRACK_MCGRP_EVENTS	"events"

/* Packet classification; a rule's `ct state` match is a mask of bits. */
enum ctrack_ctstate {
	CTRACK_CTSTATE_INVALID,
	CTRACK_CTSTATE_NEW,
	CTRACK_CTSTATE_ESTABLISHED,
	CTRACK_CTSTATE_RELATED,
	__CTRACK_CTSTATE_MAX
};
#define CTRACK_CTSTATE_BIT(s)	(1U << (s))

enum ctrack_hook {
	CTRACK_HOOK_INPUT,
	CTRACK_HOOK_FORWARD,
	CTRACK_HOOK_OUTPUT,
	__CTRACK_HOOK_MAX
};

/* TCP connection states, in nf_conntrack's order and spelling. */
enum ctrack_tcp_state {
	CTRACK_TCP_NONE,
	CTRACK_TCP_SYN_SENT,
	CTRACK_TCP_SYN_RECV,
	CTRACK_TCP_ESTABLISHED,
	CTRACK_TCP_FIN_WAIT,
	CTRACK_TCP_CLOSE_WAIT,
	CTRACK_TCP_LAST_ACK,
	CTRACK_TCP_TIME_WAIT,
	CTRACK_TCP_CLOSE,
	CTRACK_TCP_SYN_SENT2,
	__CTRACK_TCP_MAX
};

/*
 * Timeout classes (seconds, per namespace): one per TCP state, then the
 * other protocols. TCP_RETRANS applies after 3 retransmissions,
 * TCP_UNACK while data is unacknowledged.
 */
enum ctrack_timeout {
	CTRACK_TO_TCP_SYN_SENT,
	CTRACK_TO_TCP_SYN_RECV,
	CTRACK_TO_TCP_ESTABLISHED,
	CTRACK_TO_TCP_FIN_WAIT,
	CTRACK_TO_TCP_CLOSE_WAIT,
	CTRACK_TO_TCP_LAST_ACK,
	CTRACK_TO_TCP_TIME_WAIT,
	CTRACK_TO_TCP_CLOSE,
	CTRACK_TO_TCP_SYN_SENT2,
	CTRACK_TO_TCP_RETRANS,
	CTRACK_TO_TCP_UNACK,
	CTRACK_TO_UDP,
	CTRACK_TO_UDP_STREAM,
	CTRACK_TO_ICMP,
	CTRACK_TO_GENERIC,
	CTRACK_TO_EXPECT,
	__CTRACK_TO_MAX
};

/* Connection status bits (CTRACK_A_CONN_STATUS). */
enum ctrack_status_bit {
	CTRACK_S_SEEN_REPLY,
	CTRACK_S_ASSURED,
	CTRACK_S_RELATED,	/* created from an expectation */
	CTRACK_S_HELPER,	/* the FTP helper watches this connection */
	CTRACK_S_DYING,
	__CTRACK_S_MAX
};

#endif /* _UAPI_LINUX_CTRACK_H */
