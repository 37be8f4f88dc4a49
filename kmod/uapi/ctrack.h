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
#define CTRACK_GENL_VERSION	2
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

/*
 * Rule verdicts and chain policies (CTRACK_A_RULE_VERDICT, _CHAIN_POLICY,
 * _ELEM_VERDICT). A policy is ACCEPT or DROP.
 */
enum ctrack_verdict {
	CTRACK_VERDICT_CONTINUE,	/* count and go on to the next rule */
	CTRACK_VERDICT_ACCEPT,		/* ends this base chain; the next one on the hook runs */
	CTRACK_VERDICT_DROP,		/* ends everything */
	CTRACK_VERDICT_REJECT,		/* a drop that answers: see enum ctrack_reject */
	CTRACK_VERDICT_JUMP,		/* to the chain named by TARGET, then back */
	CTRACK_VERDICT_GOTO,		/* to TARGET, not back */
	CTRACK_VERDICT_RETURN,		/* back to the caller; in a base chain, its policy */
	__CTRACK_VERDICT_MAX
};

/*
 * What a reject sends (CTRACK_A_RULE_REJECT_TYPE), nft's `reject with`.
 * DEFAULT is a TCP reset for TCP, else ICMP(v6) port unreachable. ICMP and
 * ICMPV6 send REJECT_CODE as the code of a destination unreachable (the
 * rule applies to that family only); ICMPX codes are enum
 * ctrack_icmpx_code, mapped to the packet's family as nft does.
 */
enum ctrack_reject {
	CTRACK_REJECT_DEFAULT,
	CTRACK_REJECT_TCP_RST,		/* `with tcp reset`; other packets are dropped */
	CTRACK_REJECT_ICMP,
	CTRACK_REJECT_ICMPV6,
	CTRACK_REJECT_ICMPX,
	__CTRACK_REJECT_MAX
};

enum ctrack_icmpx_code {
	CTRACK_ICMPX_NO_ROUTE,
	CTRACK_ICMPX_PORT_UNREACH,
	CTRACK_ICMPX_HOST_UNREACH,
	CTRACK_ICMPX_ADMIN_PROHIBITED,
	__CTRACK_ICMPX_MAX
};

/*
 * Match keys: what a match reads from the packet (CTRACK_A_MATCH_KEY,
 * CTRACK_A_VMAP_KEY). Each key implies the protocol it reads, as nft's
 * payload dependencies do: a packet without it matches no match on the
 * key, negated or not (`tcp dport != 22` does not match UDP, `ip saddr`
 * does not match IPv6).
 *
 * Values are encoded by the key's class:
 *   int	NLA_U32, host order (protocols, ports, types, codes, flags,
 *		interface indexes; CT_STATE is CTRACK_CTSTATE_BIT() of the state)
 *   addr	4 bytes (IP_*) or 16 bytes (IP6_*), network order
 *   name	NLA_STRING of 1..15 characters; a trailing '*' matches any
 *		suffix, as nft's `iifname "eth*"`
 */
enum ctrack_key {
	CTRACK_KEY_UNSPEC,
	CTRACK_KEY_NFPROTO,		/* int: meta nfproto (NFPROTO_IPV4, _IPV6) */
	CTRACK_KEY_L4PROTO,		/* int: meta l4proto, both families */
	CTRACK_KEY_IP_PROTOCOL,		/* int: ip protocol, IPv4 only */
	CTRACK_KEY_IP6_NEXTHDR,		/* int: ip6 nexthdr, IPv6 only (the transport protocol) */
	CTRACK_KEY_IP_SADDR,		/* addr, IPv4 */
	CTRACK_KEY_IP_DADDR,
	CTRACK_KEY_IP6_SADDR,		/* addr, IPv6 */
	CTRACK_KEY_IP6_DADDR,
	CTRACK_KEY_TCP_SPORT,		/* int, TCP only */
	CTRACK_KEY_TCP_DPORT,
	CTRACK_KEY_UDP_SPORT,		/* int, UDP only */
	CTRACK_KEY_UDP_DPORT,
	CTRACK_KEY_TH_SPORT,		/* int: th sport, TCP, UDP, UDP-Lite, SCTP, DCCP */
	CTRACK_KEY_TH_DPORT,
	CTRACK_KEY_TCP_FLAGS,		/* int: the 8 flag bits, fin = 0x01 .. cwr = 0x80 */
	CTRACK_KEY_ICMP_TYPE,		/* int, ICMP only */
	CTRACK_KEY_ICMP_CODE,
	CTRACK_KEY_ICMPV6_TYPE,		/* int, ICMPv6 only */
	CTRACK_KEY_ICMPV6_CODE,
	CTRACK_KEY_IIF,			/* int: input interface index */
	CTRACK_KEY_OIF,			/* int: output interface index */
	CTRACK_KEY_IIFNAME,		/* name */
	CTRACK_KEY_OIFNAME,		/* name */
	CTRACK_KEY_CT_STATE,		/* int: CTRACK_CTSTATE_BIT(state) */
	__CTRACK_KEY_MAX
};

/* Element types of sets (CTRACK_A_SET_TYPE), nft's spelling in comments. */
enum ctrack_datatype {
	CTRACK_TYPE_UNSPEC,
	CTRACK_TYPE_NFPROTO,		/* nf_proto */
	CTRACK_TYPE_INET_PROTO,		/* inet_proto */
	CTRACK_TYPE_IPV4_ADDR,		/* ipv4_addr */
	CTRACK_TYPE_IPV6_ADDR,		/* ipv6_addr */
	CTRACK_TYPE_INET_SERVICE,	/* inet_service */
	CTRACK_TYPE_TCP_FLAG,		/* tcp_flag */
	CTRACK_TYPE_ICMP_TYPE,		/* icmp_type */
	CTRACK_TYPE_ICMP_CODE,		/* icmp_code */
	CTRACK_TYPE_ICMPV6_TYPE,	/* icmpv6_type */
	CTRACK_TYPE_ICMPV6_CODE,	/* icmpv6_code */
	CTRACK_TYPE_IFACE_INDEX,	/* iface_index */
	CTRACK_TYPE_IFNAME,		/* ifname */
	CTRACK_TYPE_CT_STATE,		/* ct_state */
	__CTRACK_TYPE_MAX
};

/* Set flags (CTRACK_A_SET_FLAGS), nft's `flags interval, timeout, constant`. */
#define CTRACK_SET_F_INTERVAL	0x1U		/* prefixes and ranges allowed */
#define CTRACK_SET_F_TIMEOUT	0x2U		/* elements may expire */
#define CTRACK_SET_F_CONSTANT	0x4U		/* no element changes after the load */

/* Event types (CTRACK_A_EVENT_TYPE); also the bits of a monitor's filter. */
enum ctrack_event {
	CTRACK_EVENT_NEW,
	CTRACK_EVENT_UPDATE,	/* a state change, not every packet */
	CTRACK_EVENT_DESTROY,
	__CTRACK_EVENT_MAX
};

/*
 * The rule set is nft's model without NAT: tables (a family, inet, ip or
 * ip6, and a name) hold chains and sets. A base chain has a hook, a
 * priority and a policy and sees the packets of its table's family on
 * that hook; several base chains on one hook run in priority order (lower
 * first, then in load order), an accept ends only its own chain, a drop or
 * a reject ends everything. A regular chain (no hook) runs only when a
 * rule jumps or goes to it, within its table; loops and jump stacks
 * deeper than 16 are refused when the rule set is built. A namespace
 * starts with table inet filter holding base chains input, forward and
 * output, priority 0, policy accept.
 *
 * Objects are named by CTRACK_A_TABLE (FAMILY, NAME) and a CHAIN or SET
 * nest holding at least NAME. Where a command names a chain or a set
 * without a table, its name must be unique among all tables.
 * Names are 1..CTRACK_NAME_MAX-1 characters.
 *
 * Commands. "dump" means NLM_F_DUMP; every reply message carries the
 * command it answers.
 *
 * RULE_ADD	[TABLE], CHAIN, RULE; optional POSITION (handle to insert
 *		before) or INSERT flag (insert at the head). Replies with HANDLE.
 * RULE_DEL	[TABLE], CHAIN, HANDLE.
 * RULE_GET	dump of the rule set, optionally of one TABLE or one CHAIN:
 *		per table one message with TABLE; then per set of it messages
 *		with TABLE and SET (the first with TYPE and FLAGS, each with
 *		as many ELEMs as fit); then per chain one message with TABLE
 *		and CHAIN (no rules), then one per rule with TABLE, CHAIN
 *		(NAME only) and RULE, in chain order.
 * RULE_FLUSH	[TABLE], [CHAIN]: removes rules (all of them without either);
 *		chains, sets and policies stay.
 * POLICY_SET	[TABLE], CHAIN with NAME and POLICY (a base chain's).
 * RULESET_LOAD	a stream of top-level attributes read in order: TABLE opens
 *		a table; CHAIN and SET declare one in the last table; RULE
 *		appends to the last CHAIN. A SET whose NAME was already
 *		declared in the table adds ELEMs to it (a set may take many
 *		attributes, each at most 64 KiB; so may a chain's rules).
 *		Everything is replaced in one step; handles are assigned
 *		afresh. With CHECK nothing is replaced: the reply says whether
 *		it would have been.
 * SET_ADD	TABLE, SET (NAME, TYPE, [FLAGS], [TIMEOUT], [ELEM...]).
 * SET_DEL	[TABLE], SET (NAME); refused (EBUSY) while a rule uses it.
 * SET_GET	dump; optional TABLE and SET (NAME): the SET messages of RULE_GET.
 * ELEM_ADD	[TABLE], SET (NAME, ELEM...): all or nothing; an element already
 *		there stays as it is, as nft's `add element`.
 * ELEM_DEL	[TABLE], SET (NAME, ELEM...): all or nothing; ENOENT names the
 *		first element that is not there.
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
	CTRACK_CMD_SET_ADD,
	CTRACK_CMD_SET_DEL,
	CTRACK_CMD_SET_GET,
	CTRACK_CMD_ELEM_ADD,
	CTRACK_CMD_ELEM_DEL,
	__CTRACK_CMD_MAX
};

#define CTRACK_CMD_MAX (__CTRACK_CMD_MAX - 1)

#define CTRACK_NAME_MAX		64	/* table, chain and set names, with the NUL */
#define CTRACK_COMMENT_MAX	128	/* rule comments, with the NUL */

enum ctrack_attr {
	CTRACK_A_UNSPEC,
	CTRACK_A_TABLE,		/* nest, CTRACK_A_TABLE_* */
	CTRACK_A_HANDLE,	/* u32 */
	CTRACK_A_POSITION,	/* u32: handle to insert before */
	CTRACK_A_INSERT,	/* flag: insert at the head */
	CTRACK_A_CHECK,		/* flag: RULESET_LOAD validates only */
	CTRACK_A_RULE,		/* nest, CTRACK_A_RULE_* */
	CTRACK_A_CHAIN,		/* nest, CTRACK_A_CHAIN_* */
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
	CTRACK_A_SET,		/* nest, CTRACK_A_SET_* */
	__CTRACK_A_MAX
};

#define CTRACK_A_MAX (__CTRACK_A_MAX - 1)

enum ctrack_table_attr {
	CTRACK_A_TABLE_UNSPEC,
	CTRACK_A_TABLE_FAMILY,		/* u8: NFPROTO_INET, _IPV4 or _IPV6 */
	CTRACK_A_TABLE_NAME,		/* string */
	__CTRACK_A_TABLE_MAX
};

#define CTRACK_A_TABLE_MAX (__CTRACK_A_TABLE_MAX - 1)

enum ctrack_chain_attr {
	CTRACK_A_CHAIN_UNSPEC,
	CTRACK_A_CHAIN_NAME,		/* string */
	CTRACK_A_CHAIN_HOOK,		/* u8, enum ctrack_hook; none: a regular chain */
	CTRACK_A_CHAIN_PRIORITY,	/* s32, nft's number (filter = 0); base chains */
	CTRACK_A_CHAIN_POLICY,		/* u8, ACCEPT (default) or DROP; base chains */
	__CTRACK_A_CHAIN_MAX
};

#define CTRACK_A_CHAIN_MAX (__CTRACK_A_CHAIN_MAX - 1)

enum ctrack_set_attr {
	CTRACK_A_SET_UNSPEC,
	CTRACK_A_SET_NAME,		/* string */
	CTRACK_A_SET_TYPE,		/* u8, enum ctrack_datatype */
	CTRACK_A_SET_FLAGS,		/* u32, CTRACK_SET_F_* */
	CTRACK_A_SET_TIMEOUT,		/* u32, seconds: the elements' default (F_TIMEOUT) */
	CTRACK_A_SET_ELEM,		/* nest, CTRACK_A_ELEM_*; repeated */
	CTRACK_A_SET_COUNT,		/* u32, elements, in dumps */
	__CTRACK_A_SET_MAX
};

#define CTRACK_A_SET_MAX (__CTRACK_A_SET_MAX - 1)

/*
 * A set element, or a vmap's: VALUE alone, VALUE and PREFIX (addresses),
 * or VALUE to TO inclusive (a range; needs F_INTERVAL in a named set).
 * Elements of a set may not overlap; those of an anonymous set may, and
 * are merged.
 */
enum ctrack_elem_attr {
	CTRACK_A_ELEM_UNSPEC,
	CTRACK_A_ELEM_VALUE,		/* the key's class */
	CTRACK_A_ELEM_PREFIX,		/* u8 */
	CTRACK_A_ELEM_TO,		/* the key's class */
	CTRACK_A_ELEM_TIMEOUT,		/* u32, seconds; 0 never expires */
	CTRACK_A_ELEM_EXPIRES,		/* u32, seconds left, in dumps */
	CTRACK_A_ELEM_VERDICT,		/* u8, enum ctrack_verdict: vmaps */
	CTRACK_A_ELEM_TARGET,		/* string: the chain of a JUMP or GOTO */
	__CTRACK_A_ELEM_MAX
};

#define CTRACK_A_ELEM_MAX (__CTRACK_A_ELEM_MAX - 1)

/*
 * One match of a rule: KEY, optional NEG, and exactly one test:
 *   VALUE		key == VALUE; with MASK (int) key & MASK == VALUE;
 *			with PREFIX (addr) the first PREFIX bits equal
 *   FROM, TO		FROM <= key <= TO
 *   FLAGS		key & FLAGS != 0 (int): nft's `ct state established,related`,
 *			`tcp flags syn`
 *   ELEM...		key in the anonymous set of these elements
 *   SET		key in the named set of the rule's table; its type must
 *			be the key's
 * NEG inverts the test, not the protocol the key implies.
 */
enum ctrack_match_attr {
	CTRACK_A_MATCH_UNSPEC,
	CTRACK_A_MATCH_KEY,		/* u8, enum ctrack_key */
	CTRACK_A_MATCH_NEG,		/* flag */
	CTRACK_A_MATCH_VALUE,		/* the key's class */
	CTRACK_A_MATCH_MASK,		/* u32 */
	CTRACK_A_MATCH_PREFIX,		/* u8 */
	CTRACK_A_MATCH_FROM,		/* the key's class */
	CTRACK_A_MATCH_TO,
	CTRACK_A_MATCH_FLAGS,		/* u32 */
	CTRACK_A_MATCH_ELEM,		/* nest, CTRACK_A_ELEM_*; repeated */
	CTRACK_A_MATCH_SET,		/* string */
	__CTRACK_A_MATCH_MAX
};

#define CTRACK_A_MATCH_MAX (__CTRACK_A_MATCH_MAX - 1)

/* A verdict map: the element KEY falls in gives the rule's verdict. */
enum ctrack_vmap_attr {
	CTRACK_A_VMAP_UNSPEC,
	CTRACK_A_VMAP_KEY,		/* u8, enum ctrack_key */
	CTRACK_A_VMAP_ELEM,		/* nest, CTRACK_A_ELEM_* with VERDICT; repeated */
	__CTRACK_A_VMAP_MAX
};

#define CTRACK_A_VMAP_MAX (__CTRACK_A_VMAP_MAX - 1)

/*
 * A rule: its MATCHes in order, all must hold; then VERDICT (CONTINUE if
 * absent), or a VMAP whose miss continues. Every rule that matches
 * counts; PACKETS and BYTES given to RULE_ADD or RULESET_LOAD are the
 * counts it starts from (nft's saved `counter packets N bytes M`).
 */
enum ctrack_rule_attr {
	CTRACK_A_RULE_UNSPEC,
	CTRACK_A_RULE_HANDLE,		/* u32, assigned by the kernel */
	CTRACK_A_RULE_MATCH,		/* nest, CTRACK_A_MATCH_*; repeated, at most 32 */
	CTRACK_A_RULE_VERDICT,		/* u8, enum ctrack_verdict */
	CTRACK_A_RULE_TARGET,		/* string: the chain of a JUMP or GOTO */
	CTRACK_A_RULE_REJECT_TYPE,	/* u8, enum ctrack_reject */
	CTRACK_A_RULE_REJECT_CODE,	/* u8 */
	CTRACK_A_RULE_VMAP,		/* nest, CTRACK_A_VMAP_* */
	CTRACK_A_RULE_COMMENT,		/* string */
	CTRACK_A_RULE_PACKETS,		/* u64 */
	CTRACK_A_RULE_BYTES,		/* u64 */
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
