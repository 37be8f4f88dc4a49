// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing a packet into the tuple that identifies its connection.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/ndisc.h>
#include "tuple.h"

/* Bytes of transport header an ICMP error must quote (RFC 792). */
#define EMBEDDED_L4_MIN	8

/*
 * For a query or its answer, the request type both are keyed under, so
 * that the answer's tuple is the inverse of the request's.
 */
static u8 icmp_kind(u8 l3, u8 type, u8 *req)
{
	if (l3 == NFPROTO_IPV4) {
		switch (type) {
		case ICMP_ECHO:
		case ICMP_TIMESTAMP:
		case ICMP_INFO_REQUEST:
		case ICMP_ADDRESS:
			*req = type;
			return CT_ICMP_REQUEST;
		case ICMP_ECHOREPLY:
			*req = ICMP_ECHO;
			return CT_ICMP_REPLY;
		case ICMP_TIMESTAMPREPLY:
		case ICMP_INFO_REPLY:
		case ICMP_ADDRESSREPLY:
			*req = type - 1;
			return CT_ICMP_REPLY;
		case ICMP_DEST_UNREACH:
		case ICMP_SOURCE_QUENCH:
		case ICMP_REDIRECT:
		case ICMP_TIME_EXCEEDED:
		case ICMP_PARAMETERPROB:
			return CT_ICMP_ERROR;
		}
		return CT_ICMP_OTHER;
	}

	if (type < 128)
		return CT_ICMP_ERROR;
	switch (type) {
	case ICMPV6_ECHO_REQUEST:
	case ICMPV6_NI_QUERY:
		*req = type;
		return CT_ICMP_REQUEST;
	case ICMPV6_ECHO_REPLY:
	case ICMPV6_NI_REPLY:
		*req = type - 1;
		return CT_ICMP_REPLY;
	/* Link-local plumbing that nf_conntrack leaves untracked too. */
	case ICMPV6_MGM_QUERY:
	case ICMPV6_MGM_REPORT:
	case ICMPV6_MGM_REDUCTION:
	case NDISC_ROUTER_SOLICITATION:
	case NDISC_ROUTER_ADVERTISEMENT:
	case NDISC_NEIGHBOUR_SOLICITATION:
	case NDISC_NEIGHBOUR_ADVERTISEMENT:
	case ICMPV6_MLD2_REPORT:
		return CT_ICMP_UNTRACKED;
	}
	return CT_ICMP_OTHER;
}

u8 ct_icmp_query_type(u8 proto, u8 type)
{
	u8 req = type;

	icmp_kind(proto == IPPROTO_ICMP ? NFPROTO_IPV4 : NFPROTO_IPV6, type, &req);
	return req;
}
EXPORT_SYMBOL_IF_KUNIT(ct_icmp_query_type);

u8 ct_icmp_reply_type(u8 proto, u8 type)
{
	if (proto == IPPROTO_ICMP) {
		switch (type) {
		case ICMP_ECHO:
			return ICMP_ECHOREPLY;
		case ICMP_TIMESTAMP:
			return ICMP_TIMESTAMPREPLY;
		case ICMP_INFO_REQUEST:
			return ICMP_INFO_REPLY;
		case ICMP_ADDRESS:
			return ICMP_ADDRESSREPLY;
		}
	} else {
		switch (type) {
		case ICMPV6_ECHO_REQUEST:
			return ICMPV6_ECHO_REPLY;
		case ICMPV6_NI_QUERY:
			return ICMPV6_NI_REPLY;
		}
	}
	return type;
}
EXPORT_SYMBOL_IF_KUNIT(ct_icmp_reply_type);

void ct_tuple_icmp(const struct ct_tuple *t, bool reply, u8 *type, u8 *code)
{
	/* dport is the request's type << 8 | code, in both directions */
	*type = ntohs(t->dport) >> 8;
	*code = ntohs(t->dport) & 0xff;
	if (reply)
		*type = ct_icmp_reply_type(t->proto, *type);
}

static int parse_icmp(const struct sk_buff *skb, struct ct_pkt *pkt)
{
	u8 _h[8], req = 0;
	const u8 *h;
	__be16 id;

	if (pkt->l4len < sizeof(_h))
		return CT_PARSE_TRUNCATED;
	h = skb_header_pointer(skb, pkt->l4off, sizeof(_h), _h);
	if (!h)
		return CT_PARSE_TRUNCATED;
	pkt->icmp_type = h[0];
	pkt->icmp_code = h[1];
	pkt->icmp_kind = icmp_kind(pkt->tuple.l3, h[0], &req);
	memcpy(&id, h + 4, sizeof(id));

	switch (pkt->icmp_kind) {
	case CT_ICMP_REQUEST:
		pkt->tuple.sport = id;
		pkt->tuple.dport = htons(req << 8 | h[1]);
		break;
	case CT_ICMP_REPLY:
		pkt->tuple.sport = htons(req << 8 | h[1]);
		pkt->tuple.dport = id;
		break;
	case CT_ICMP_ERROR:
		pkt->icmp_error = true;
		break;
	}
	return CT_PARSE_OK;
}

static int parse_l4(const struct sk_buff *skb, struct ct_pkt *pkt,
		    bool embedded)
{
	switch (pkt->tuple.proto) {
	case IPPROTO_TCP: {
		unsigned int need = embedded ? EMBEDDED_L4_MIN : sizeof(struct tcphdr);
		struct tcphdr _th;
		const struct tcphdr *th;

		if (pkt->l4len < need)
			return CT_PARSE_TRUNCATED;
		th = skb_header_pointer(skb, pkt->l4off, need, &_th);
		if (!th)
			return CT_PARSE_TRUNCATED;
		if (!embedded) {
			if (th->doff < 5)
				return CT_PARSE_MALFORMED;
			if (th->doff * 4 > pkt->l4len)
				return CT_PARSE_TRUNCATED;
		}
		pkt->tuple.sport = th->source;
		pkt->tuple.dport = th->dest;
		return CT_PARSE_OK;
	}
	case IPPROTO_UDP: {
		struct udphdr _uh;
		const struct udphdr *uh;

		if (pkt->l4len < EMBEDDED_L4_MIN)
			return CT_PARSE_TRUNCATED;
		uh = skb_header_pointer(skb, pkt->l4off, sizeof(_uh), &_uh);
		if (!uh)
			return CT_PARSE_TRUNCATED;
		if (!embedded) {
			unsigned int ulen = ntohs(uh->len);

			if (ulen < sizeof(*uh))
				return CT_PARSE_MALFORMED;
			if (ulen > pkt->l4len)
				return CT_PARSE_TRUNCATED;
		}
		pkt->tuple.sport = uh->source;
		pkt->tuple.dport = uh->dest;
		return CT_PARSE_OK;
	}
	case IPPROTO_ICMP:
		if (pkt->tuple.l3 != NFPROTO_IPV4)
			return CT_PARSE_OK;
		return parse_icmp(skb, pkt);
	case IPPROTO_ICMPV6:
		if (pkt->tuple.l3 != NFPROTO_IPV6)
			return CT_PARSE_OK;
		return parse_icmp(skb, pkt);
	}
	/* Other protocols are tracked by addresses and protocol alone. */
	return CT_PARSE_OK;
}

/*
 * An embedded header is cut short: its length fields describe the
 * original packet, so they only bound what is there, never fail it.
 */
static int parse_ipv4(const struct sk_buff *skb, unsigned int nhoff,
		      struct ct_pkt *pkt, bool embedded)
{
	unsigned int hlen, tot, avail;
	struct iphdr _iph;
	const struct iphdr *iph;

	iph = skb_header_pointer(skb, nhoff, sizeof(_iph), &_iph);
	if (!iph)
		return CT_PARSE_TRUNCATED;
	if (iph->version != 4 || iph->ihl < 5)
		return CT_PARSE_MALFORMED;
	hlen = iph->ihl * 4;
	avail = skb->len - nhoff;
	if (hlen > avail)
		return CT_PARSE_TRUNCATED;
	tot = ntohs(iph->tot_len);
	/* BIG TCP: a GSO packet over 64 KiB says 0 and means skb->len. */
	if (!tot && !embedded && skb_is_gso(skb))
		tot = avail;
	if (tot < hlen)
		return CT_PARSE_MALFORMED;
	if (tot > avail) {
		if (!embedded)
			return CT_PARSE_TRUNCATED;
		tot = avail;
	}
	if (iph->frag_off & htons(IP_OFFSET))
		return CT_PARSE_FRAGMENT;

	pkt->tuple.l3 = NFPROTO_IPV4;
	pkt->tuple.proto = iph->protocol;
	pkt->tuple.src.ip = iph->saddr;
	pkt->tuple.dst.ip = iph->daddr;
	pkt->l4off = nhoff + hlen;
	pkt->l4len = tot - hlen;
	return parse_l4(skb, pkt, embedded);
}

static int parse_ipv6(const struct sk_buff *skb, unsigned int nhoff,
		      struct ct_pkt *pkt, bool embedded)
{
	unsigned int avail, tot;
	struct ipv6hdr _ip6h;
	const struct ipv6hdr *ip6h;
	__be16 frag_off = 0;
	u8 nexthdr;
	int off;

	ip6h = skb_header_pointer(skb, nhoff, sizeof(_ip6h), &_ip6h);
	if (!ip6h)
		return CT_PARSE_TRUNCATED;
	if (ip6h->version != 6)
		return CT_PARSE_MALFORMED;
	avail = skb->len - nhoff;
	tot = sizeof(*ip6h) + ntohs(ip6h->payload_len);
	/* Jumbogram or BIG TCP: the length is in skb->len. */
	if (!ip6h->payload_len && !embedded)
		tot = avail;
	if (tot > avail) {
		if (!embedded)
			return CT_PARSE_TRUNCATED;
		tot = avail;
	}

	nexthdr = ip6h->nexthdr;
	off = ipv6_skip_exthdr(skb, nhoff + sizeof(*ip6h), &nexthdr, &frag_off);
	if (off < 0)
		return CT_PARSE_MALFORMED;
	if (off > nhoff + tot)
		return CT_PARSE_TRUNCATED;
	if (ntohs(frag_off) & ~0x7)
		return CT_PARSE_FRAGMENT;

	pkt->tuple.l3 = NFPROTO_IPV6;
	pkt->tuple.proto = nexthdr;
	pkt->tuple.src.in6 = ip6h->saddr;
	pkt->tuple.dst.in6 = ip6h->daddr;
	pkt->l4off = off;
	pkt->l4len = nhoff + tot - off;
	return parse_l4(skb, pkt, embedded);
}

int ct_tuple_parse(const struct sk_buff *skb, unsigned int nhoff, u8 l3,
		   struct ct_pkt *pkt)
{
	memset(pkt, 0, sizeof(*pkt));
	if (nhoff > skb->len)
		return CT_PARSE_TRUNCATED;
	if (l3 == NFPROTO_IPV4)
		return parse_ipv4(skb, nhoff, pkt, false);
	if (l3 == NFPROTO_IPV6)
		return parse_ipv6(skb, nhoff, pkt, false);
	return CT_PARSE_MALFORMED;
}
EXPORT_SYMBOL_IF_KUNIT(ct_tuple_parse);

int ct_tuple_parse_embedded(const struct sk_buff *skb,
			    const struct ct_pkt *outer, struct ct_pkt *inner)
{
	unsigned int nhoff = outer->l4off + 8;

	memset(inner, 0, sizeof(*inner));
	if (!outer->icmp_error || outer->l4len < 8 ||
	    nhoff > outer->l4off + outer->l4len)
		return CT_PARSE_TRUNCATED;
	if (outer->tuple.l3 == NFPROTO_IPV4)
		return parse_ipv4(skb, nhoff, inner, true);
	return parse_ipv6(skb, nhoff, inner, true);
}
EXPORT_SYMBOL_IF_KUNIT(ct_tuple_parse_embedded);

void ct_tuple_invert(struct ct_tuple *dst, const struct ct_tuple *src)
{
	struct ct_tuple t = *src;

	t.src = src->dst;
	t.dst = src->src;
	t.sport = src->dport;
	t.dport = src->sport;
	*dst = t;
}
EXPORT_SYMBOL_IF_KUNIT(ct_tuple_invert);

/* An unaligned 8-byte load at @off of a packed tuple. */
static inline u64 tuple_word(const struct ct_tuple *t, unsigned int off)
{
	return get_unaligned((const u64 *)((const u8 *)t + off));
}

/*
 * Every lookup compares a chain entry with the tuple and its inverse, and
 * memcmp() is an out-of-line byte loop: five 8-byte loads per side, the
 * last overlapping the fourth, cover the 38 bytes.
 */
bool ct_tuple_equal(const struct ct_tuple *a, const struct ct_tuple *b)
{
	BUILD_BUG_ON(sizeof(*a) != 38);
	return !((tuple_word(a, 0) ^ tuple_word(b, 0)) |
		 (tuple_word(a, 8) ^ tuple_word(b, 8)) |
		 (tuple_word(a, 16) ^ tuple_word(b, 16)) |
		 (tuple_word(a, 24) ^ tuple_word(b, 24)) |
		 (tuple_word(a, 30) ^ tuple_word(b, 30)));
}
EXPORT_SYMBOL_IF_KUNIT(ct_tuple_equal);

/*
 * Both directions of a connection hash alike, so one hash node per
 * connection serves lookups of either: the two endpoints are hashed in a
 * canonical order. Any total order on (address, port) does, so it is
 * taken on 8-byte words rather than by memcmp(), and an IPv4 tuple (14
 * bytes that matter) is hashed as two words, not the 40-byte IPv6 key:
 * the table hashes every packet of a new connection twice (lookup and
 * insert) and every scan packet once.
 */
u32 ct_tuple_hash(const struct ct_tuple *t, const siphash_key_t *key)
{
	const unsigned int s = offsetof(struct ct_tuple, src);
	const unsigned int d = offsetof(struct ct_tuple, dst);
	u64 s0 = tuple_word(t, s), d0 = tuple_word(t, d);
	u64 s1 = tuple_word(t, s + 8), d1 = tuple_word(t, d + 8);
	u16 sp = (__force u16)t->sport, dp = (__force u16)t->dport;
	struct {
		union ct_addr a, b;
		__be16 pa, pb;
		u8 l3, proto;
		u8 pad[2];
	} __aligned(8) k;
	bool fwd;

	if (s0 != d0)
		fwd = s0 < d0;
	else if (s1 != d1)
		fwd = s1 < d1;
	else
		fwd = sp <= dp;

	if (t->l3 == NFPROTO_IPV4) {
		u32 a = (__force u32)(fwd ? t->src.ip : t->dst.ip);
		u32 b = (__force u32)(fwd ? t->dst.ip : t->src.ip);
		u16 pa = fwd ? sp : dp, pb = fwd ? dp : sp;

		return (u32)siphash_2u64((u64)a | (u64)b << 32,
					 (u64)pa | (u64)pb << 16 |
					 (u64)t->l3 << 32 | (u64)t->proto << 40,
					 key);
	}

	memset(&k, 0, sizeof(k));
	if (fwd) {
		k.a = t->src;
		k.b = t->dst;
		k.pa = t->sport;
		k.pb = t->dport;
	} else {
		k.a = t->dst;
		k.b = t->src;
		k.pa = t->dport;
		k.pb = t->sport;
	}
	k.l3 = t->l3;
	k.proto = t->proto;
	return (u32)siphash(&k, sizeof(k), key);
}
EXPORT_SYMBOL_IF_KUNIT(ct_tuple_hash);
