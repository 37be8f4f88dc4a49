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
 * The netlink commands and attributes are below (enum ctrack_cmd says what
 * each command takes); see ctrackctl(8) for the tool that drives them.
 * Numbers are in host order except addresses, which are in network order.
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
	CTRACK_CTSTATE_UNTRACKED,	/* neighbour discovery, MLD: never tracked */
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
	CTRACK_S_HELPER,	/* a helper (FTP, TFTP) watches this connection */
	CTRACK_S_DYING,
	__CTRACK_S_MAX
};

/* Rule verdicts and chain policies (CTRACK_A_RULE_VERDICT, CTRACK_A_POLICY). */
enum ctrack_verdict {
	CTRACK_VERDICT_CONTINUE,	/* count and go on to the next rule */
	CTRACK_VERDICT_ACCEPT,
	CTRACK_VERDICT_DROP,
	CTRACK_VERDICT_REJECT,		/* TCP reset, else ICMP(v6) unreachable */
	__CTRACK_VERDICT_MAX
};

/* Event types (CTRACK_A_EVENT_TYPE); also the bits of a monitor's filter. */
enum ctrack_event {
	CTRACK_EVENT_NEW,
	CTRACK_EVENT_UPDATE,	/* a state change, not every packet */
	CTRACK_EVENT_DESTROY,
	__CTRACK_EVENT_MAX
};

/*
 * Commands. "dump" means NLM_F_DUMP; every reply message carries the
 * command it answers.
 *
 * RULE_ADD	HOOK, RULE; optional POSITION (handle to insert before) or
 *		INSERT flag (insert at the head). Replies with HANDLE.
 * RULE_DEL	HOOK, HANDLE.
 * RULE_GET	dump; optional HOOK. For each chain one message with HOOK and
 *		POLICY and no RULE, then one message per rule with HOOK and
 *		RULE (handle and counters inside), in chain order.
 * RULE_FLUSH	optional HOOK (all chains otherwise); policies stay.
 * POLICY_SET	HOOK, POLICY (CTRACK_VERDICT_ACCEPT or _DROP).
 * RULESET_LOAD	one CHAIN nest per hook (HOOK, POLICY, RULE...); every chain
 *		is replaced in one step, chains not named become empty with
 *		policy accept. Handles are assigned afresh. A nest holds at
 *		most 64 KiB, so a long chain may be sent as several CHAIN
 *		nests with the same HOOK: their rules are concatenated in
 *		order, and POLICY, where given more than once, must agree.
 * CONN_GET	dump with optional FILTER, or doit with FILTER that must match
 *		exactly one connection (ENOENT / ENOTUNIQ otherwise).
 * CONN_DEL	FILTER (required; CONN_FLUSH removes all). Replies with COUNT.
 * CONN_FLUSH	Replies with COUNT.
 * CONN_COUNT	Replies with COUNT and MAX.
 * EXPECT_GET	dump.
 * EXPECT_FLUSH	Replies with COUNT.
 * STATS_GET	dump: one STATS message per possible CPU.
 * TIMEOUT_GET	one reply with a TIMEOUT nest per class.
 * TIMEOUT_SET	TIMEOUT nest (CLASS, SECONDS).
 * HELPER_GET	one reply with a HELPER nest per port.
 * HELPER_ADD, HELPER_DEL	HELPER nest (NAME "ftp" or "tftp", PORT).
 * SETTING_GET	one reply with a SETTING nest per setting.
 * SETTING_SET	SETTING nest (NAME, VALUE). Names: "tcp_loose" (0|1),
 *		"checksum" (0|1: verify TCP, UDP and ICMP checksums on input and
 *		forward, a bad one is INVALID; default 1),
 *		"max_conns"; "buckets" is read-only.
 * EVENT	multicast on CTRACK_MCGRP_EVENTS: EVENT_TYPE, EVENT_SEQ and a
 *		CONN or EXPECT nest. EVENT_SEQ counts every event of the
 *		namespace from 1 without gaps, so a listener that sees a gap
 *		knows how many it lost.
 */
enum ctrack_cmd {
	CTRACK_CMD_UNSPEC,
	CTRACK_CMD_RULE_ADD,
	CTRACK_CMD_RULE_DEL,
	CTRACK_CMD_RULE_GET,
	CTRACK_CMD_RULE_FLUSH,
	CTRACK_CMD_POLICY_SET,
	CTRACK_CMD_RULESET_LOAD,
	CTRACK_CMD_CONN_GET,
	CTRACK_CMD_CONN_DEL,
	CTRACK_CMD_CONN_FLUSH,
	CTRACK_CMD_CONN_COUNT,
	CTRACK_CMD_EXPECT_GET,
	CTRACK_CMD_EXPECT_FLUSH,
	CTRACK_CMD_STATS_GET,
	CTRACK_CMD_TIMEOUT_GET,
	CTRACK_CMD_TIMEOUT_SET,
	CTRACK_CMD_HELPER_GET,
	CTRACK_CMD_HELPER_ADD,
	CTRACK_CMD_HELPER_DEL,
	CTRACK_CMD_SETTING_GET,
	CTRACK_CMD_SETTING_SET,
	CTRACK_CMD_EVENT,
	__CTRACK_CMD_MAX
};

#define CTRACK_CMD_MAX (__CTRACK_CMD_MAX - 1)

enum ctrack_attr {
	CTRACK_A_UNSPEC,
	CTRACK_A_HOOK,		/* u8, enum ctrack_hook */
	CTRACK_A_HANDLE,	/* u32 */
	CTRACK_A_POSITION,	/* u32: handle to insert before */
	CTRACK_A_INSERT,	/* flag: insert at the head */
	CTRACK_A_POLICY,	/* u8, enum ctrack_verdict */
	CTRACK_A_RULE,		/* nest, CTRACK_A_RULE_* */
	CTRACK_A_CHAIN,		/* nest: HOOK, POLICY, RULE... */
	CTRACK_A_CONN,		/* nest, CTRACK_A_CONN_* */
	CTRACK_A_FILTER,	/* nest, CTRACK_A_FILTER_* */
	CTRACK_A_COUNT,		/* u32 */
	CTRACK_A_MAX_CONNS,	/* u32 */
	CTRACK_A_EXPECT,	/* nest, CTRACK_A_EXPECT_* */
	CTRACK_A_STATS,		/* nest, CTRACK_A_STATS_* */
	CTRACK_A_TIMEOUT,	/* nest, CTRACK_A_TIMEOUT_* */
	CTRACK_A_HELPER,	/* nest, CTRACK_A_HELPER_* */
	CTRACK_A_SETTING,	/* nest, CTRACK_A_SETTING_* */
	CTRACK_A_EVENT_TYPE,	/* u8, enum ctrack_event */
	CTRACK_A_EVENT_SEQ,	/* u64 */
	CTRACK_A_PAD,
	__CTRACK_A_MAX
};

#define CTRACK_A_MAX (__CTRACK_A_MAX - 1)

/* A rule: every match present must hold; absent ones match anything. */
enum ctrack_rule_attr {
	CTRACK_A_RULE_UNSPEC,
	CTRACK_A_RULE_HANDLE,		/* u32, assigned by the kernel */
	CTRACK_A_RULE_FAMILY,		/* u8, NFPROTO_IPV4 or NFPROTO_IPV6 */
	CTRACK_A_RULE_PROTO,		/* u8, IPPROTO_* */
	CTRACK_A_RULE_SADDR,		/* 4 or 16 bytes, network order */
	CTRACK_A_RULE_SPREFIX,		/* u8, defaults to the full length */
	CTRACK_A_RULE_DADDR,
	CTRACK_A_RULE_DPREFIX,
	CTRACK_A_RULE_SPORT_MIN,	/* u16, host order; MAX defaults to MIN */
	CTRACK_A_RULE_SPORT_MAX,
	CTRACK_A_RULE_DPORT_MIN,
	CTRACK_A_RULE_DPORT_MAX,
	CTRACK_A_RULE_ICMP_TYPE,	/* u8; needs PROTO icmp or icmpv6 */
	CTRACK_A_RULE_IIFNAME,		/* string */
	CTRACK_A_RULE_OIFNAME,		/* string */
	CTRACK_A_RULE_CTSTATE,		/* u32, mask of CTRACK_CTSTATE_BIT() */
	CTRACK_A_RULE_VERDICT,		/* u8, enum ctrack_verdict */
	CTRACK_A_RULE_PACKETS,		/* u64, in dumps */
	CTRACK_A_RULE_BYTES,		/* u64, in dumps */
	CTRACK_A_RULE_PAD,
	__CTRACK_A_RULE_MAX
};

#define CTRACK_A_RULE_MAX (__CTRACK_A_RULE_MAX - 1)

/* A tuple (CTRACK_A_CONN_ORIG, CTRACK_A_EXPECT_TUPLE, ..._MASTER). */
enum ctrack_tuple_attr {
	CTRACK_A_TUPLE_UNSPEC,
	CTRACK_A_TUPLE_FAMILY,		/* u8, NFPROTO_* */
	CTRACK_A_TUPLE_PROTO,		/* u8 */
	CTRACK_A_TUPLE_SRC,		/* 4 or 16 bytes */
	CTRACK_A_TUPLE_DST,
	CTRACK_A_TUPLE_SPORT,		/* u16 host order; ICMP: the id */
	CTRACK_A_TUPLE_DPORT,		/* u16 host order; ICMP: type << 8 | code */
	__CTRACK_A_TUPLE_MAX
};

#define CTRACK_A_TUPLE_MAX (__CTRACK_A_TUPLE_MAX - 1)

/* A connection; the reply tuple is the inverse of ORIG (no NAT). */
enum ctrack_conn_attr {
	CTRACK_A_CONN_UNSPEC,
	CTRACK_A_CONN_ORIG,		/* nest, tuple */
	CTRACK_A_CONN_STATE,		/* u8, enum ctrack_tcp_state for TCP */
	CTRACK_A_CONN_STATUS,		/* u32, CTRACK_S_* bits */
	CTRACK_A_CONN_TIMEOUT,		/* u32, seconds left */
	CTRACK_A_CONN_PACKETS_ORIG,	/* u64 */
	CTRACK_A_CONN_BYTES_ORIG,	/* u64 */
	CTRACK_A_CONN_PACKETS_REPLY,	/* u64 */
	CTRACK_A_CONN_BYTES_REPLY,	/* u64 */
	CTRACK_A_CONN_MASTER,		/* nest, tuple of the master (RELATED) */
	CTRACK_A_CONN_PAD,
	CTRACK_A_CONN_HELPER,		/* string, the helper watching it */
	__CTRACK_A_CONN_MAX
};

#define CTRACK_A_CONN_MAX (__CTRACK_A_CONN_MAX - 1)

/* Connection filter, as conntrack's options; matched on the original tuple. */
enum ctrack_filter_attr {
	CTRACK_A_FILTER_UNSPEC,
	CTRACK_A_FILTER_FAMILY,		/* u8 */
	CTRACK_A_FILTER_PROTO,		/* u8 */
	CTRACK_A_FILTER_SRC,		/* 4 or 16 bytes */
	CTRACK_A_FILTER_DST,
	CTRACK_A_FILTER_SPORT,		/* u16 host order */
	CTRACK_A_FILTER_DPORT,
	CTRACK_A_FILTER_STATE,		/* u8, enum ctrack_tcp_state */
	__CTRACK_A_FILTER_MAX
};

#define CTRACK_A_FILTER_MAX (__CTRACK_A_FILTER_MAX - 1)

enum ctrack_expect_attr {
	CTRACK_A_EXPECT_UNSPEC,
	CTRACK_A_EXPECT_TUPLE,		/* nest, tuple; SPORT 0 = any */
	CTRACK_A_EXPECT_MASTER,		/* nest, tuple */
	CTRACK_A_EXPECT_TIMEOUT,	/* u32, seconds left */
	CTRACK_A_EXPECT_HELPER,		/* string, the master's helper */
	__CTRACK_A_EXPECT_MAX
};

#define CTRACK_A_EXPECT_MAX (__CTRACK_A_EXPECT_MAX - 1)

/* Per-CPU statistics, the fields of `conntrack -S`. */
enum ctrack_stats_attr {
	CTRACK_A_STATS_UNSPEC,
	CTRACK_A_STATS_CPU,		/* u32 */
	CTRACK_A_STATS_FOUND,		/* u64, all below */
	CTRACK_A_STATS_INVALID,
	CTRACK_A_STATS_INSERT,
	CTRACK_A_STATS_INSERT_FAILED,
	CTRACK_A_STATS_DROP,
	CTRACK_A_STATS_EARLY_DROP,
	CTRACK_A_STATS_ERROR,
	CTRACK_A_STATS_EXPECT_NEW,
	CTRACK_A_STATS_EXPECT_CREATE,
	CTRACK_A_STATS_EXPECT_DELETE,
	CTRACK_A_STATS_SEARCH_RESTART,
	CTRACK_A_STATS_CHAINTOOLONG,
	CTRACK_A_STATS_PAD,
	__CTRACK_A_STATS_MAX
};

#define CTRACK_A_STATS_MAX (__CTRACK_A_STATS_MAX - 1)

enum ctrack_timeout_attr {
	CTRACK_A_TIMEOUT_UNSPEC,
	CTRACK_A_TIMEOUT_CLASS,		/* u32, enum ctrack_timeout */
	CTRACK_A_TIMEOUT_SECONDS,	/* u32, 1 .. 2^31 / HZ */
	__CTRACK_A_TIMEOUT_MAX
};

#define CTRACK_A_TIMEOUT_MAX (__CTRACK_A_TIMEOUT_MAX - 1)

enum ctrack_helper_attr {
	CTRACK_A_HELPER_UNSPEC,
	CTRACK_A_HELPER_NAME,		/* string, "ftp" or "tftp" */
	CTRACK_A_HELPER_PORT,		/* u16, host order, 1..65535 */
	__CTRACK_A_HELPER_MAX
};

#define CTRACK_A_HELPER_MAX (__CTRACK_A_HELPER_MAX - 1)

enum ctrack_setting_attr {
	CTRACK_A_SETTING_UNSPEC,
	CTRACK_A_SETTING_NAME,		/* string */
	CTRACK_A_SETTING_VALUE,		/* u32 */
	__CTRACK_A_SETTING_MAX
};

#define CTRACK_A_SETTING_MAX (__CTRACK_A_SETTING_MAX - 1)

#endif /* _UAPI_LINUX_CTRACK_H */
