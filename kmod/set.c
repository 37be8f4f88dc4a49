// SPDX-License-Identifier: GPL-2.0
/*
 * Sets: the elements of named and anonymous sets and of verdict maps.
 *
 * A body is immutable: packets read it under RCU without locks, and an
 * element change builds a whole new body (copy, change, drop what has
 * expired) that replaces the old one under cfg_lock, as nft's pipapo
 * clones on every change. Exact elements are found in O(1) by hashing,
 * intervals (prefixes, ranges, wildcard names) in O(log n) by binary
 * search; nothing on the packet path allocates.
 */
#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/netfilter.h>
#include <linux/overflow.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include "set.h"

int ct_type_class(u8 type)
{
	switch (type) {
	case CTRACK_TYPE_IPV4_ADDR:
		return CT_CLASS_ADDR4;
	case CTRACK_TYPE_IPV6_ADDR:
		return CT_CLASS_ADDR6;
	case CTRACK_TYPE_IFNAME:
		return CT_CLASS_NAME;
	}
	return CT_CLASS_INT;
}
EXPORT_SYMBOL_IF_KUNIT(ct_type_class);

u32 ct_type_max(u8 type)
{
	switch (type) {
	case CTRACK_TYPE_INET_SERVICE:
		return U16_MAX;
	case CTRACK_TYPE_IFACE_INDEX:
		return U32_MAX;
	case CTRACK_TYPE_CT_STATE:
		return CTRACK_CTSTATE_BIT(__CTRACK_CTSTATE_MAX) - 1;
	}
	return U8_MAX;
}
EXPORT_SYMBOL_IF_KUNIT(ct_type_max);

void ct_key_from_bytes(struct ct_key *k, const void *b, unsigned int len)
{
	u8 buf[16] = {};

	memcpy(buf, b, min(len, 16U));
	k->hi = get_unaligned_be64(buf);
	k->lo = get_unaligned_be64(buf + 8);
}
EXPORT_SYMBOL_IF_KUNIT(ct_key_from_bytes);

void ct_key_to_bytes(const struct ct_key *k, void *b, unsigned int len)
{
	u8 buf[16];

	put_unaligned_be64(k->hi, buf);
	put_unaligned_be64(k->lo, buf + 8);
	memcpy(b, buf, min(len, 16U));
}
EXPORT_SYMBOL_IF_KUNIT(ct_key_to_bytes);

/* The low @x bits of 128. */
static void ones(unsigned int x, u64 *hi, u64 *lo)
{
	*lo = x >= 64 ? ~0ULL : (x ? (1ULL << x) - 1 : 0);
	*hi = x >= 128 ? ~0ULL : (x > 64 ? (1ULL << (x - 64)) - 1 : 0);
}

/* A value of @bits bits sits in the top of the 128 (IPv4 in bits 127..96). */
void ct_key_prefix(const struct ct_key *k, unsigned int plen, unsigned int bits,
		   struct ct_key *lo, struct ct_key *hi)
{
	u64 fhi, flo, vhi, vlo;

	ones(128 - plen, &fhi, &flo);
	ones(128 - bits, &vhi, &vlo);
	fhi &= ~vhi;
	flo &= ~vlo;
	lo->hi = k->hi & ~fhi;
	lo->lo = k->lo & ~flo;
	hi->hi = lo->hi | fhi;
	hi->lo = lo->lo | flo;
}
EXPORT_SYMBOL_IF_KUNIT(ct_key_prefix);

static size_t body_size(u32 n, u32 nivl, u32 nslots)
{
	size_t sz = sizeof(struct ct_set_body);

	sz = size_add(sz, array_size(n, sizeof(struct ct_elem)));
	sz = size_add(sz, array_size(nivl, sizeof(u32)));
	return size_add(sz, array_size(nslots, sizeof(u32)));
}

/*
 * Multiplicative hashing of both halves (the bits above 32 of the last
 * product): a few instructions per packet where jhash2 took fifty. The
 * elements are the admin's, the random seed keeps their layout unknown.
 */
static u32 key_hash(const struct ct_key *k, u32 seed)
{
	u64 h = (k->hi ^ seed) * GOLDEN_RATIO_64;

	return ((h ^ k->lo) * GOLDEN_RATIO_64) >> 32;
}

static int elem_cmp(const void *a, const void *b)
{
	const struct ct_elem *x = a, *y = b;

	/* Among equal ones, those already in the set (idx U32_MAX) first. */
	return ct_key_cmp(&x->lo, &y->lo) ?: ct_key_cmp(&x->hi, &y->hi) ?:
	       (x->idx + 1 < y->idx + 1 ? -1 : x->idx != y->idx);
}

static bool elem_expired(const struct ct_elem *e, unsigned long now)
{
	return e->expires && time_after_eq(now, e->expires);
}

void ct_set_body_free(struct ct_set_body *b)
{
	kvfree(b);
}
EXPORT_SYMBOL_IF_KUNIT(ct_set_body_free);

struct ct_set_body *ct_set_body_build(struct ct_elem *e, u32 n, bool merge,
				      unsigned long now, u32 *bad)
{
	struct ct_set_body *b;
	u32 i, k = 0, nivl = 0, nex = 0, nslots = 0;
	size_t sz;

	if (n > CT_SET_ELEMS_MAX)
		return ERR_PTR(-E2BIG);
	if (n > 1)
		sort(e, n, sizeof(*e), elem_cmp, NULL);
	/* Compact in place: drop expired and repeated ones, merge or refuse overlaps. */
	for (i = 0; i < n; i++) {
		struct ct_elem *prev = k ? &e[k - 1] : NULL;

		if (elem_expired(&e[i], now))
			continue;
		if (prev && !ct_key_cmp(&prev->lo, &e[i].lo) &&
		    !ct_key_cmp(&prev->hi, &e[i].hi) &&
		    prev->verdict == e[i].verdict &&
		    prev->target == e[i].target)
			continue;
		if (prev && ct_key_cmp(&e[i].lo, &prev->hi) <= 0) {
			if (!merge) {
				*bad = e[i].idx != U32_MAX ? e[i].idx : prev->idx;
				return ERR_PTR(-EEXIST);
			}
			if (ct_key_cmp(&e[i].hi, &prev->hi) > 0)
				prev->hi = e[i].hi;
			prev->kind = CT_ELEM_RANGE;
			continue;
		}
		e[k++] = e[i];
	}
	for (i = 0; i < k; i++) {
		if (ct_key_cmp(&e[i].lo, &e[i].hi))
			nivl++;
		else
			nex++;
	}
	if (nex)
		nslots = roundup_pow_of_two(nex * 2);
	sz = body_size(k, nivl, nslots);
	b = kvzalloc(sz, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!b)
		return ERR_PTR(-ENOMEM);
	b->n = k;
	b->nivl = nivl;
	b->elem = (struct ct_elem *)(b + 1);
	b->ivl = (u32 *)(b->elem + k);
	b->slot = b->ivl + nivl;
	b->hmask = nslots ? nslots - 1 : 0;
	b->seed = get_random_u32();
	memcpy(b->elem, e, array_size(k, sizeof(*e)));
	nivl = 0;
	for (i = 0; i < k; i++) {
		const struct ct_elem *x = &b->elem[i];
		u32 h;

		if (ct_key_cmp(&x->lo, &x->hi)) {
			b->ivl[nivl++] = i;
			continue;
		}
		for (h = key_hash(&x->lo, b->seed) & b->hmask; b->slot[h];
		     h = (h + 1) & b->hmask)
			;
		b->slot[h] = i + 1;
		if (!(i & 4095))
			cond_resched();
	}
	return b;
}
EXPORT_SYMBOL_IF_KUNIT(ct_set_body_build);

static const struct ct_elem *find_exact(const struct ct_set_body *b,
					const struct ct_key *k)
{
	u32 h, s;

	for (h = key_hash(k, b->seed) & b->hmask; (s = b->slot[h]);
	     h = (h + 1) & b->hmask)
		if (!ct_key_cmp(&b->elem[s - 1].lo, k))
			return &b->elem[s - 1];
	return NULL;
}

/* The last interval whose lo is <= @k. */
static const struct ct_elem *find_ivl(const struct ct_set_body *b,
				      const struct ct_key *k)
{
	u32 lo = 0, hi = b->nivl;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (ct_key_cmp(&b->elem[b->ivl[mid]].lo, k) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &b->elem[b->ivl[lo - 1]] : NULL;
}

const struct ct_elem *ct_set_lookup(const struct ct_set_body *b,
				    const struct ct_key *k, unsigned long now)
{
	const struct ct_elem *e;

	if (!b || !b->n)
		return NULL;
	if (b->n > b->nivl) {
		e = find_exact(b, k);
		if (e)
			return elem_expired(e, now) ? NULL : e;
	}
	e = find_ivl(b, k);
	if (!e || ct_key_cmp(k, &e->hi) > 0 || elem_expired(e, now))
		return NULL;
	return e;
}
EXPORT_SYMBOL_IF_KUNIT(ct_set_lookup);

const struct ct_elem *ct_set_find(const struct ct_set_body *b,
				  const struct ct_elem *e)
{
	const struct ct_elem *x;

	if (!b || !b->n)
		return NULL;
	if (!ct_key_cmp(&e->lo, &e->hi))
		return b->n > b->nivl ? find_exact(b, &e->lo) : NULL;
	x = find_ivl(b, &e->lo);
	if (x && !ct_key_cmp(&x->lo, &e->lo) && !ct_key_cmp(&x->hi, &e->hi))
		return x;
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(ct_set_find);

struct ct_set *ct_set_new(const char *name, u8 type, u32 flags, u32 timeout)
{
	struct ct_set *s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);

	if (!s)
		return NULL;
	refcount_set(&s->ref, 1);
	strscpy(s->name, name, sizeof(s->name));
	s->type = type;
	s->flags = flags;
	s->timeout = timeout;
	return s;
}
EXPORT_SYMBOL_IF_KUNIT(ct_set_new);

/* The last holder is a rule set past its grace period, or one never published. */
void ct_set_put(struct ct_set *s)
{
	if (s && refcount_dec_and_test(&s->ref)) {
		ct_set_body_free(rcu_dereference_protected(s->body, true));
		kfree(s);
	}
}
EXPORT_SYMBOL_IF_KUNIT(ct_set_put);

static void set_swap(struct ct_set *s, struct ct_set_body *nb,
		     struct mutex *lock)
{
	struct ct_set_body *old;

	old = rcu_replace_pointer(s->body, nb, lockdep_is_held(lock));
	if (old)
		kvfree_rcu(old, rcu);
}

int ct_set_elems_add(struct ct_set *s, struct ct_elem *e, u32 n,
		     struct mutex *lock, u32 *bad)
{
	struct ct_set_body *b, *nb;
	struct ct_elem *all;
	u32 i, have;
	size_t sz;

	lockdep_assert_held(lock);
	b = ct_set_body_locked(s, lock);
	have = b ? b->n : 0;
	if ((u64)have + n > CT_SET_ELEMS_MAX)
		return -E2BIG;
	sz = array_size(have + n, sizeof(*all));
	all = kvmalloc(sz ?: 1, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!all)
		return -ENOMEM;
	for (i = 0; i < have; i++) {
		all[i] = b->elem[i];
		all[i].idx = U32_MAX;	/* already there: never the one at fault */
	}
	memcpy(all + have, e, array_size(n, sizeof(*e)));
	nb = ct_set_body_build(all, have + n, false, jiffies, bad);
	kvfree(all);
	if (IS_ERR(nb))
		return PTR_ERR(nb);
	set_swap(s, nb, lock);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ct_set_elems_add);

int ct_set_elems_del(struct ct_set *s, const struct ct_elem *e, u32 n,
		     struct mutex *lock, u32 *bad)
{
	struct ct_set_body *b, *nb;
	unsigned long *gone;
	struct ct_elem *keep;
	u32 i, k = 0;
	int ret = 0;

	lockdep_assert_held(lock);
	b = ct_set_body_locked(s, lock);
	for (i = 0; i < n; i++) {
		const struct ct_elem *x = ct_set_find(b, &e[i]);

		if (!x || elem_expired(x, jiffies)) {
			*bad = e[i].idx;
			return -ENOENT;
		}
	}
	if (!n)
		return 0;
	gone = bitmap_zalloc(b->n, GFP_KERNEL);
	keep = kvmalloc_array(b->n, sizeof(*keep), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!gone || !keep) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++)
		__set_bit(ct_set_find(b, &e[i]) - b->elem, gone);
	for (i = 0; i < b->n; i++)
		if (!test_bit(i, gone))
			keep[k++] = b->elem[i];
	nb = ct_set_body_build(keep, k, false, jiffies, bad);
	if (IS_ERR(nb)) {
		ret = PTR_ERR(nb);
		goto out;
	}
	set_swap(s, nb, lock);
out:
	kvfree(keep);
	bitmap_free(gone);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ct_set_elems_del);
