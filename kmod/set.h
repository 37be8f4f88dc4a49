/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_SET_H
#define _CTRACK_SET_H

#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/types.h>
#include "uapi/ctrack.h"

#define CT_SET_ELEMS_MAX	(16U << 20)	/* per set; the extack messages say so */

/*
 * A key as sets and matches compare it: a 128-bit number. Integers are
 * hi = value; addresses and interface names are their bytes read as a
 * big-endian number (IPv4 in the top 32 bits, names NUL-padded to 16
 * bytes), so a prefix or a wildcard name is an interval.
 */
struct ct_key {
	u64 hi;
	u64 lo;
};

/* How a key or a set type encodes its values (enum ctrack_key's classes). */
enum ct_class {
	CT_CLASS_INT,
	CT_CLASS_ADDR4,
	CT_CLASS_ADDR6,
	CT_CLASS_NAME,
};

enum ct_elem_kind {
	CT_ELEM_VALUE,
	CT_ELEM_PREFIX,		/* a VALUE with a PREFIX */
	CT_ELEM_RANGE,		/* VALUE to TO; also a wildcard name */
};

struct ct_elem {
	struct ct_key lo, hi;	/* inclusive; lo == hi for one value */
	unsigned long expires;	/* jiffies; 0: never */
	u32 timeout;		/* seconds, as given; 0: never */
	u32 idx;		/* its place in the request that added it */
	u16 target;		/* vmaps: the chain of a JUMP or GOTO */
	u8 verdict;		/* vmaps */
	u8 kind;		/* enum ct_elem_kind */
	u8 prefix;
};

/*
 * The elements of a set, immutable once built: sorted by lo and disjoint,
 * exact ones also in an open-addressing hash table, intervals also in a
 * sorted index. One allocation; a change builds a new body.
 */
struct ct_set_body {
	struct rcu_head rcu;
	u32 n;
	u32 nivl;
	u32 hmask;		/* hash slots - 1 */
	u32 seed;
	struct ct_elem *elem;
	u32 *ivl;		/* indexes of the intervals, in order */
	u32 *slot;		/* index + 1 of an exact element, 0: empty */
};

/*
 * A named set: shared by every generation of the rule set and by the
 * rules that use it; its body is swapped under cfg_lock by element
 * changes and read under RCU by packets.
 */
struct ct_set {
	refcount_t ref;
	u8 type;		/* enum ctrack_datatype */
	u32 flags;		/* CTRACK_SET_F_* */
	u32 timeout;		/* seconds: the elements' default */
	struct ct_set_body __rcu *body;
	char name[CTRACK_NAME_MAX];
};

/* What values of a type look like: class and, for integers, the maximum. */
int ct_type_class(u8 type);
u32 ct_type_max(u8 type);

static inline int ct_key_cmp(const struct ct_key *a, const struct ct_key *b)
{
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	return 0;
}

/* Bytes (4 or 16, network order; or a name of 16) to a key, and back. */
void ct_key_from_bytes(struct ct_key *k, const void *b, unsigned int len);
void ct_key_to_bytes(const struct ct_key *k, void *b, unsigned int len);
/* The interval of a prefix of @plen bits of a @bits-bit value in @k. */
void ct_key_prefix(const struct ct_key *k, unsigned int plen, unsigned int bits,
		   struct ct_key *lo, struct ct_key *hi);

/*
 * Builds a body from @n elements (reordered in place). Overlapping
 * elements are merged when @merge (anonymous sets), else refused with
 * -EEXIST and *bad set to the idx of the later one; identical elements
 * are kept once either way. Elements expired at @now are dropped.
 * -E2BIG beyond CT_SET_ELEMS_MAX. Sleeps (GFP_KERNEL).
 */
struct ct_set_body *ct_set_body_build(struct ct_elem *e, u32 n, bool merge,
				      unsigned long now, u32 *bad);
void ct_set_body_free(struct ct_set_body *b);

/* The element holding @k, NULL if none or expired; under RCU, never sleeps. */
const struct ct_elem *ct_set_lookup(const struct ct_set_body *b,
				    const struct ct_key *k, unsigned long now);
/* The element equal to @e (same lo and hi), or NULL. */
const struct ct_elem *ct_set_find(const struct ct_set_body *b,
				  const struct ct_elem *e);

struct ct_set *ct_set_new(const char *name, u8 type, u32 flags, u32 timeout);
void ct_set_put(struct ct_set *s);	/* process context */

/*
 * Element changes of a named set, all or nothing, under @lock (cfg_lock).
 * Adding an element equal to one that is there keeps the old one; one
 * that overlaps another fails with -EEXIST, deleting one that is not
 * there with -ENOENT; *bad is then the idx of the element at fault.
 */
int ct_set_elems_add(struct ct_set *s, struct ct_elem *e, u32 n,
		     struct mutex *lock, u32 *bad);
int ct_set_elems_del(struct ct_set *s, const struct ct_elem *e, u32 n,
		     struct mutex *lock, u32 *bad);

static inline struct ct_set_body *ct_set_body_locked(struct ct_set *s,
						     struct mutex *lock)
{
	return rcu_dereference_protected(s->body, lockdep_is_held(lock));
}

#endif /* _CTRACK_SET_H */
