/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_TUPLE_H
#define _CTRACK_TUPLE_H

#include <linux/types.h>
#include <linux/in6.h>
#include <linux/siphash.h>

struct sk_buff;

union ct_addr {
	__be32 ip;
	struct in6_addr in6;
	__be32 all[4];
};

/*
 * What identifies a connection in one direction. For TCP and UDP the ports;
 * for ICMP echo-like queries sport holds the id and dport the request's
 * type and code (type << 8 | code), so a reply inverts to the same key;
 * for other protocols both are 0. IPv4 addresses use .ip with the rest 0.
 */
struct ct_tuple {
	union ct_addr src;
	union ct_addr dst;
	__be16 sport;
	__be16 dport;
	u8 l3;		/* NFPROTO_IPV4 or NFPROTO_IPV6 */
	u8 proto;	/* IPPROTO_* */
} __packed;

/* Where the transport header is, what follows it; filled by ct_tuple_parse. */
struct ct_pkt {
	struct ct_tuple tuple;
	unsigned int l4off;	/* offset of the transport header in skb */
	unsigned int l4len;	/* bytes from l4off to the end of the IP payload */
	u8 icmp_type;
	u8 icmp_code;
	bool icmp_error;	/* ICMP(v6) error: see the embedded packet */
	u8 icmp_kind;		/* enum ct_icmp_kind, for ICMP and ICMPv6 */
};

/* What an ICMP(v6) message can do to the table. */
enum ct_icmp_kind {
	CT_ICMP_OTHER,		/* creates nothing: INVALID when unknown */
	CT_ICMP_REQUEST,	/* a query: may create a connection */
	CT_ICMP_REPLY,		/* an answer: only matches a request */
	CT_ICMP_ERROR,		/* refers to the embedded packet */
	CT_ICMP_UNTRACKED,	/* neighbour discovery, MLD: never tracked */
};

enum ct_parse_err {
	CT_PARSE_OK,
	CT_PARSE_TRUNCATED,	/* header shorter than it says */
	CT_PARSE_MALFORMED,	/* impossible header values */
	CT_PARSE_FRAGMENT,	/* non-first fragment that defrag did not join */
};

int ct_tuple_parse(const struct sk_buff *skb, unsigned int nhoff, u8 l3,
		   struct ct_pkt *pkt);
/*
 * The packet embedded in the ICMP(v6) error @outer: the offending packet as
 * its sender sent it, cut short after 8 bytes of transport header, so
 * only ports (and the TCP sequence number) are read. The embedded IP
 * family must be the outer one.
 */
int ct_tuple_parse_embedded(const struct sk_buff *skb,
			    const struct ct_pkt *outer, struct ct_pkt *inner);
void ct_tuple_invert(struct ct_tuple *dst, const struct ct_tuple *src);
bool ct_tuple_equal(const struct ct_tuple *a, const struct ct_tuple *b);
u32 ct_tuple_hash(const struct ct_tuple *t, const siphash_key_t *key);

/*
 * ICMP(v6) queries: a tuple's dport carries the request's type for the
 * query and its answer alike. ct_icmp_query_type() is that type for a
 * request or an answer (any other type is itself); ct_icmp_reply_type()
 * the answer's type for a request, as the inverse tuple shows it.
 */
u8 ct_icmp_query_type(u8 proto, u8 type);
u8 ct_icmp_reply_type(u8 proto, u8 type);
/* An ICMP(v6) query tuple's type and code, as the direction @reply shows them. */
void ct_tuple_icmp(const struct ct_tuple *t, bool reply, u8 *type, u8 *code);

#endif /* _CTRACK_TUPLE_H */
