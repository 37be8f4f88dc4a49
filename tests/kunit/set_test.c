// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite ctrack_set: the 128-bit keys of sets and matches, set bodies
 * (exact elements, intervals, merging), lookups at the edges, element
 * changes of a named set and element expiry, with the clock passed in.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/inet.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "set.h"

/* An integer key; an lvalue, so &IK(v) is a key to look up. */
#define IK(v)	((struct ct_key){ .hi = (v) })

/* An IPv4 or IPv6 address as a key; its length in *len. */
static struct ct_key ak(struct kunit *test, const char *s, unsigned int *len)
{
	struct ct_key k;
	u8 b[16] = {};
	unsigned int n = 4;

	if (strchr(s, ':')) {
		n = 16;
		KUNIT_ASSERT_TRUE_MSG(test, in6_pton(s, -1, b, -1, NULL), "%s", s);
	} else {
		KUNIT_ASSERT_TRUE_MSG(test, in4_pton(s, -1, b, -1, NULL), "%s", s);
	}
	ct_key_from_bytes(&k, b, n);
	if (len)
		*len = n;
	return k;
}

static struct ct_key nk(const char *name)
{
	char b[16] = {};
	struct ct_key k;

	strscpy(b, name, sizeof(b));
	ct_key_from_bytes(&k, b, sizeof(b));
	return k;
}

/* The key one above (@d > 0) or one below, with the carry across 64 bits. */
static struct ct_key step(struct ct_key k, int d)
{
	if (d > 0) {
		if (!++k.lo)
			k.hi++;
	} else {
		if (!k.lo--)
			k.hi--;
	}
	return k;
}

#define KEY_EQ(test, a, b, what) do {					\
	KUNIT_EXPECT_EQ_MSG(test, (a).hi, (b).hi, "%s: hi", what);	\
	KUNIT_EXPECT_EQ_MSG(test, (a).lo, (b).lo, "%s: lo", what);	\
} while (0)

/* Keys from bytes and back. */

struct bytes_case {
	const char *name;
	const char *addr;	/* or NULL: ifname */
	const char *ifname;
	u64 hi, lo;
};

static const struct bytes_case bytes_cases[] = {
	{ "ipv4 in the top 32 bits", "10.0.0.1", NULL, 0x0a00000100000000ULL, 0 },
	{ "ipv4 all ones", "255.255.255.255", NULL, 0xffffffff00000000ULL, 0 },
	{ "ipv6 high and low words", "2001:db8::1", NULL, 0x20010db800000000ULL, 1 },
	{ "ipv6 last bit of the high word", "0:0:0:1::", NULL, 1, 0 },
	{ "ipv6 all ones", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", NULL,
	  ~0ULL, ~0ULL },
	{ "ifname NUL-padded", NULL, "eth0", 0x6574683000000000ULL, 0 },
	{ "ifname of 15 characters", NULL, "abcdefghijklmno",
	  0x6162636465666768ULL, 0x696a6b6c6d6e6f00ULL },
};

static void bytes_case_desc(const struct bytes_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(bytes, bytes_cases, bytes_case_desc);

static void key_from_bytes_and_back(struct kunit *test)
{
	const struct bytes_case *c = test->param_value;
	u8 in[16] = {}, out[16];
	unsigned int len = 16;
	struct ct_key k;

	if (c->addr) {
		if (strchr(c->addr, ':')) {
			KUNIT_ASSERT_TRUE(test, in6_pton(c->addr, -1, in, -1, NULL));
		} else {
			len = 4;
			KUNIT_ASSERT_TRUE(test, in4_pton(c->addr, -1, in, -1, NULL));
		}
	} else {
		strscpy(in, c->ifname, sizeof(in));
	}
	ct_key_from_bytes(&k, in, len);
	KUNIT_EXPECT_EQ(test, k.hi, c->hi);
	KUNIT_EXPECT_EQ(test, k.lo, c->lo);
	memset(out, 0xaa, sizeof(out));
	ct_key_to_bytes(&k, out, len);
	KUNIT_EXPECT_MEMEQ(test, out, in, len);
	/* to_bytes writes @len bytes, no more */
	if (len < sizeof(out))
		KUNIT_EXPECT_EQ(test, out[len], 0xaa);
}

/* Prefixes: of addresses, and of names ("eth*" is the first 24 bits). */

struct prefix_case {
	const char *name;
	const char *val;	/* an address, or a name when bits is 128 and !addr */
	bool ifname;
	unsigned int plen;
	const char *lo, *hi;	/* addresses; for names, lo is the prefix itself */
};

static const struct prefix_case prefix_cases[] = {
	{ "v4 /24", "192.168.1.77", false, 24, "192.168.1.0", "192.168.1.255" },
	{ "v4 /32 is the address", "192.168.1.77", false, 32, "192.168.1.77", "192.168.1.77" },
	{ "v4 /31", "192.168.1.77", false, 31, "192.168.1.76", "192.168.1.77" },
	{ "v4 /1", "192.168.1.77", false, 1, "128.0.0.0", "255.255.255.255" },
	{ "v4 /0 is every v4 address", "192.168.1.77", false, 0, "0.0.0.0", "255.255.255.255" },
	{ "v6 /64", "2001:db8:0:1:2:3:4:5", false, 64, "2001:db8:0:1::",
	  "2001:db8:0:1:ffff:ffff:ffff:ffff" },
	{ "v6 /65 cuts the low word", "2001:db8:0:1:ffff::1", false, 65, "2001:db8:0:1:8000::",
	  "2001:db8:0:1:ffff:ffff:ffff:ffff" },
	{ "v6 /63 cuts the high word", "2001:db8:0:1:2::", false, 63, "2001:db8::",
	  "2001:db8:0:1:ffff:ffff:ffff:ffff" },
	{ "v6 /127", "fd00::3", false, 127, "fd00::2", "fd00::3" },
	{ "v6 /128 is the address", "fd00::3", false, 128, "fd00::3", "fd00::3" },
	{ "v6 /0 is every v6 address", "fd00::3", false, 0, "::",
	  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
	{ "name eth* is 24 bits", "eth", true, 24, NULL, NULL },
	{ "name veth-ab* is 56 bits", "veth-ab", true, 56, NULL, NULL },
};

static void prefix_case_desc(const struct prefix_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(prefix, prefix_cases, prefix_case_desc);

static void prefix_is_the_interval(struct kunit *test)
{
	const struct prefix_case *c = test->param_value;
	struct ct_key k, lo, hi, elo, ehi;
	unsigned int len;

	if (c->ifname) {
		u8 b[16];

		k = nk(c->val);
		ct_key_prefix(&k, c->plen, 128, &lo, &hi);
		/* "eth" padded with 0x00 to "eth" padded with 0xff */
		memset(b, 0xff, sizeof(b));
		memcpy(b, c->val, strlen(c->val));
		ct_key_from_bytes(&ehi, b, sizeof(b));
		KEY_EQ(test, lo, k, "lo");
		KEY_EQ(test, hi, ehi, "hi");
		return;
	}
	k = ak(test, c->val, &len);
	ct_key_prefix(&k, c->plen, len * 8, &lo, &hi);
	elo = ak(test, c->lo, NULL);
	ehi = ak(test, c->hi, NULL);
	KEY_EQ(test, lo, elo, "lo");
	KEY_EQ(test, hi, ehi, "hi");
}

/* Bodies of integers: exact elements and intervals, merged or refused. */

#define MAXE	8
#define MAXP	12

struct probe {
	u32 key;
	bool hit;
	u32 lo, hi;	/* of the element found, when hit and hi != 0 */
};

struct body_case {
	const char *name;
	bool merge;
	u32 n;
	struct { u32 lo, hi; } e[MAXE];	/* hi 0: lo alone */
	int err;			/* of the build */
	u32 bad;			/* idx at fault, with -EEXIST */
	u32 nbody;			/* elements of the body; 0: not checked */
	struct probe p[MAXP];		/* up to the first with key 0 and !hit */
};

static const struct body_case body_cases[] = {
	{ "exact elements", false, 3, { { 80 }, { 22 }, { 443 } }, 0, 0, 3,
	  { { 21, false }, { 22, true, 22, 22 }, { 23, false }, { 79, false },
	    { 80, true, 80, 80 }, { 81, false }, { 443, true }, { 444, false },
	    { 65535, false } } },
	{ "one interval, at its edges", false, 1, { { 1000, 2000 } }, 0, 0, 1,
	  { { 999, false }, { 1000, true, 1000, 2000 }, { 1500, true },
	    { 2000, true, 1000, 2000 }, { 2001, false } } },
	{ "exact and intervals mixed", false, 4, { { 25 }, { 10, 20 }, { 5 }, { 30, 40 } },
	  0, 0, 4,
	  { { 4, false }, { 5, true, 5, 5 }, { 6, false }, { 9, false },
	    { 10, true, 10, 20 }, { 20, true, 10, 20 }, { 21, false }, { 24, false },
	    { 25, true, 25, 25 }, { 26, false }, { 30, true, 30, 40 }, { 41, false } } },
	{ "interval from 0 and to the top", false, 2, { { 0, 5 }, { 65530, 65535 } }, 0, 0, 2,
	  { { 0, true, 0, 5 }, { 5, true }, { 6, false }, { 65529, false },
	    { 65530, true }, { 65535, true, 65530, 65535 } } },
	{ "overlapping intervals merge", true, 2, { { 15, 30 }, { 10, 20 } }, 0, 0, 1,
	  { { 9, false }, { 10, true, 10, 30 }, { 20, true, 10, 30 },
	    { 30, true, 10, 30 }, { 31, false } } },
	{ "contained interval merges", true, 2, { { 20, 30 }, { 10, 100 } }, 0, 0, 1,
	  { { 9, false }, { 10, true, 10, 100 }, { 100, true, 10, 100 }, { 101, false } } },
	{ "exact element inside an interval merges", true, 3, { { 15 }, { 10, 20 }, { 20 } },
	  0, 0, 1,
	  { { 9, false }, { 10, true, 10, 20 }, { 15, true, 10, 20 }, { 20, true, 10, 20 },
	    { 21, false } } },
	{ "chain of overlaps merges into one", true, 4,
	  { { 1, 10 }, { 10, 20 }, { 20, 30 }, { 25, 40 } }, 0, 0, 1,
	  { { 0, false }, { 1, true, 1, 40 }, { 40, true, 1, 40 }, { 41, false } } },
	/* Adjacent intervals need no merging to be found: only the edges count. */
	{ "adjacent intervals", true, 3, { { 20, 30 }, { 10, 19 }, { 31 } }, 0, 0, 0,
	  { { 9, false }, { 10, true }, { 19, true }, { 20, true }, { 30, true },
	    { 31, true }, { 32, false } } },
	{ "identical elements kept once", false, 3, { { 7 }, { 7 }, { 50, 60 } }, 0, 0, 2,
	  { { 6, false }, { 7, true, 7, 7 }, { 8, false }, { 50, true, 50, 60 } } },
	{ "identical intervals kept once", false, 2, { { 50, 60 }, { 50, 60 } }, 0, 0, 1,
	  { { 49, false }, { 50, true, 50, 60 }, { 60, true }, { 61, false } } },
	{ "overlap refused without merge: the later one", false, 3,
	  { { 1 }, { 10, 20 }, { 20, 30 } }, -EEXIST, 2, 0, {} },
	{ "overlap with the same start refused", false, 2,
	  { { 10, 20 }, { 10, 30 } }, -EEXIST, 1, 0, {} },
	{ "exact inside interval refused", false, 2, { { 10, 20 }, { 15 } }, -EEXIST, 1, 0, {} },
	{ "no elements", false, 0, {}, 0, 0, 0, { { 1, false } } },
};

static void body_case_desc(const struct body_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(body, body_cases, body_case_desc);

static void body_build_and_lookup(struct kunit *test)
{
	const struct body_case *c = test->param_value;
	struct ct_elem *e = kunit_kcalloc(test, MAXE, sizeof(*e), GFP_KERNEL);
	struct ct_set_body *b;
	u32 i, bad = U32_MAX;

	KUNIT_ASSERT_NOT_NULL(test, e);
	for (i = 0; i < c->n; i++) {
		e[i].lo = IK(c->e[i].lo);
		e[i].hi = IK(c->e[i].hi ?: c->e[i].lo);
		e[i].kind = c->e[i].hi ? CT_ELEM_RANGE : CT_ELEM_VALUE;
		e[i].idx = i;
	}
	b = ct_set_body_build(e, c->n, c->merge, 1000, &bad);
	if (c->err) {
		KUNIT_ASSERT_TRUE(test, IS_ERR(b));
		KUNIT_EXPECT_EQ(test, PTR_ERR(b), (long)c->err);
		KUNIT_EXPECT_EQ(test, bad, c->bad);
		return;
	}
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR_OR_NULL(b), "build: %ld", PTR_ERR(b));
	if (c->nbody)
		KUNIT_EXPECT_EQ(test, b->n, c->nbody);
	for (i = 0; i < MAXP; i++) {
		const struct probe *p = &c->p[i];
		struct ct_key k = IK(p->key);
		const struct ct_elem *x;

		if (i && !p->key && !p->hit)
			break;
		x = ct_set_lookup(b, &k, 1000);
		KUNIT_EXPECT_EQ_MSG(test, x != NULL, p->hit, "key %u", p->key);
		if (x && p->hit && p->hi) {
			KUNIT_EXPECT_EQ_MSG(test, x->lo.hi, (u64)p->lo, "key %u: lo", p->key);
			KUNIT_EXPECT_EQ_MSG(test, x->hi.hi, (u64)p->hi, "key %u: hi", p->key);
		}
	}
	ct_set_body_free(b);
}

/* Address intervals: the keys one below and one above cross the 64-bit words. */

struct addr_ivl_case {
	const char *name;
	const char *addr;
	unsigned int plen;
};

static const struct addr_ivl_case addr_ivl_cases[] = {
	{ "v4 /24", "192.168.1.0", 24 },
	{ "v4 /32", "10.1.2.3", 32 },
	{ "v6 /64: hi+1 carries into the high word", "2001:db8:0:1::", 64 },
	{ "v6 /48", "2001:db8:1::", 48 },
	{ "v6 /96: lo-1 borrows from the high word", "2001:db8:0:2::", 96 },
	{ "v6 /128", "fd00::1", 128 },
};

static void addr_ivl_case_desc(const struct addr_ivl_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(addr_ivl, addr_ivl_cases, addr_ivl_case_desc);

static void address_interval_edges(struct kunit *test)
{
	const struct addr_ivl_case *c = test->param_value;
	struct ct_elem *e = kunit_kcalloc(test, 3, sizeof(*e), GFP_KERNEL);
	struct ct_key k, lo, hi, one;
	struct ct_set_body *b;
	unsigned int len;
	u32 bad;

	KUNIT_ASSERT_NOT_NULL(test, e);
	k = ak(test, c->addr, &len);
	ct_key_prefix(&k, c->plen, len * 8, &lo, &hi);
	/* IPv4 steps by one address: the low 96 bits are always 0 */
	one = len == 4 ? (struct ct_key){ .hi = 1ULL << 32 } : (struct ct_key){ .lo = 1 };
	e[0] = (struct ct_elem){ .lo = lo, .hi = hi, .kind = CT_ELEM_PREFIX, .prefix = c->plen };
	b = ct_set_body_build(e, 1, false, 0, &bad);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(b));
	KUNIT_EXPECT_NOT_NULL(test, ct_set_lookup(b, &lo, 0));
	KUNIT_EXPECT_NOT_NULL(test, ct_set_lookup(b, &hi, 0));
	if (len == 4) {
		struct ct_key below = { .hi = lo.hi - one.hi }, above = { .hi = hi.hi + one.hi };

		KUNIT_EXPECT_NULL(test, ct_set_lookup(b, &below, 0));
		KUNIT_EXPECT_NULL(test, ct_set_lookup(b, &above, 0));
	} else {
		struct ct_key below = step(lo, -1), above = step(hi, 1);

		KUNIT_EXPECT_NULL(test, ct_set_lookup(b, &below, 0));
		KUNIT_EXPECT_NULL(test, ct_set_lookup(b, &above, 0));
	}
	ct_set_body_free(b);
}

/* Names: "eth*" is an interval holding "eth" and every longer name. */

struct name_case {
	const char *ifname;
	bool hit;
};

static const struct name_case name_cases[] = {
	{ "eth", true }, { "eth0", true }, { "eth12345678901", true },
	{ "et", false }, { "etg", false }, { "eti", false }, { "eth0.5", true },
	{ "veth0", false }, { "lo", false }, { "wlan0", true },
};

static void name_case_desc(const struct name_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s %s", c->ifname,
		 c->hit ? "in" : "not in");
}
KUNIT_ARRAY_PARAM(name, name_cases, name_case_desc);

static void wildcard_name_lookup(struct kunit *test)
{
	const struct name_case *c = test->param_value;
	struct ct_elem *e = kunit_kcalloc(test, 2, sizeof(*e), GFP_KERNEL);
	struct ct_set_body *b;
	struct ct_key k;
	u32 bad;

	KUNIT_ASSERT_NOT_NULL(test, e);
	k = nk("eth");
	ct_key_prefix(&k, 24, 128, &e[0].lo, &e[0].hi);
	e[0].kind = CT_ELEM_RANGE;
	e[1].lo = nk("wlan0");
	e[1].hi = e[1].lo;
	e[1].idx = 1;
	b = ct_set_body_build(e, 2, false, 0, &bad);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(b));
	k = nk(c->ifname);
	KUNIT_EXPECT_EQ(test, ct_set_lookup(b, &k, 0) != NULL, c->hit);
	ct_set_body_free(b);
}

/* 10,000 elements: every one found, none between them. */

#define MANY	10000

static void many_elements(struct kunit *test, bool ivl)
{
	struct ct_elem *e = kvcalloc(MANY, sizeof(*e), GFP_KERNEL);
	struct ct_set_body *b;
	u32 i, bad, misses = 0, wrong = 0;

	KUNIT_ASSERT_NOT_NULL(test, e);
	/* in reverse, so the build has to sort */
	for (i = 0; i < MANY; i++) {
		u32 v = (MANY - 1 - i) * 10 + 10;

		e[i].lo = IK(v);
		e[i].hi = IK(ivl ? v + 4 : v);
		e[i].kind = ivl ? CT_ELEM_RANGE : CT_ELEM_VALUE;
		e[i].idx = i;
	}
	b = ct_set_body_build(e, MANY, false, 0, &bad);
	kvfree(e);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(b));
	KUNIT_EXPECT_EQ(test, b->n, (u32)MANY);
	for (i = 0; i < MANY; i++) {
		u32 v = i * 10 + 10;
		struct ct_key in = IK(v), last = IK(ivl ? v + 4 : v);
		struct ct_key below = IK(v - 1), above = IK(ivl ? v + 5 : v + 1);
		const struct ct_elem *x = ct_set_lookup(b, &in, 0);

		if (!x || !ct_set_lookup(b, &last, 0))
			misses++;
		else if (x->lo.hi != v)
			wrong++;
		if (ct_set_lookup(b, &below, 0) || ct_set_lookup(b, &above, 0))
			wrong++;
	}
	KUNIT_EXPECT_EQ(test, misses, 0U);
	KUNIT_EXPECT_EQ(test, wrong, 0U);
	/* spot checks, by hand */
	KUNIT_EXPECT_NOT_NULL(test, ct_set_lookup(b, &IK(10), 0));
	KUNIT_EXPECT_NOT_NULL(test, ct_set_lookup(b, &IK(50010), 0));
	KUNIT_EXPECT_NOT_NULL(test, ct_set_lookup(b, &IK(MANY * 10), 0));
	KUNIT_EXPECT_NULL(test, ct_set_lookup(b, &IK(9), 0));
	KUNIT_EXPECT_NULL(test, ct_set_lookup(b, &IK(MANY * 10 + 5), 0));
	KUNIT_EXPECT_NULL(test, ct_set_lookup(b, &IK(50016), 0));
	ct_set_body_free(b);
}

static void lookup_in_10000_exact_elements(struct kunit *test)
{
	many_elements(test, false);
}

static void lookup_in_10000_intervals(struct kunit *test)
{
	many_elements(test, true);
}

/* Element changes of a named set, one step after the other on one set. */

static DEFINE_MUTEX(set_test_lock);	/* static: lockdep wants a static key */

struct elem_step {
	const char *name;
	bool del;
	u32 n;
	struct { u32 lo, hi; } e[4];
	int err;
	u32 bad;
	u32 nafter;		/* elements of the body after the step */
	struct probe p[6];
};

static const struct elem_step elem_steps[] = {
	{ "add three", false, 3, { { 22 }, { 80 }, { 1000, 2000 } }, 0, 0, 3,
	  { { 22, true }, { 80, true }, { 1500, true }, { 23, false } } },
	{ "add one that is there", false, 1, { { 22 } }, 0, 0, 3, { { 22, true } } },
	{ "add an overlap: nothing added", false, 2, { { 443 }, { 70, 90 } }, -EEXIST, 1, 3,
	  { { 443, false }, { 75, false }, { 80, true } } },
	{ "add an overlap at the edge", false, 1, { { 2000, 3000 } }, -EEXIST, 0, 3,
	  { { 2500, false }, { 2000, true } } },
	{ "add the adjacent interval", false, 1, { { 2001, 3000 } }, 0, 0, 4,
	  { { 2000, true }, { 2001, true }, { 3000, true }, { 3001, false } } },
	{ "delete a missing element", true, 1, { { 443 } }, -ENOENT, 0, 4, { { 22, true } } },
	{ "delete a present and a missing one: nothing deleted", true, 2,
	  { { 22 }, { 443 } }, -ENOENT, 1, 4, { { 22, true } } },
	{ "delete part of an interval", true, 1, { { 1000, 1999 } }, -ENOENT, 0, 4,
	  { { 1500, true } } },
	{ "delete a point of an interval", true, 1, { { 1500 } }, -ENOENT, 0, 4,
	  { { 1500, true } } },
	{ "delete an element and an interval", true, 2, { { 80 }, { 1000, 2000 } }, 0, 0, 2,
	  { { 80, false }, { 1500, false }, { 1000, false }, { 2000, false }, { 22, true },
	    { 2001, true } } },
	{ "delete the rest", true, 2, { { 2001, 3000 }, { 22 } }, 0, 0, 0,
	  { { 22, false }, { 2001, false } } },
	{ "delete from an empty set", true, 1, { { 22 } }, -ENOENT, 0, 0, {} },
	{ "add to an empty set", false, 1, { { 65535 } }, 0, 0, 1,
	  { { 65535, true }, { 65534, false } } },
};

static void elems_add_and_del_step_by_step(struct kunit *test)
{
	struct ct_elem *e = kunit_kcalloc(test, 4, sizeof(*e), GFP_KERNEL);
	struct ct_set *s = ct_set_new("ports", CTRACK_TYPE_INET_SERVICE,
				      CTRACK_SET_F_INTERVAL, 0);
	u32 i, j;

	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_ASSERT_NOT_NULL(test, s);
	mutex_lock(&set_test_lock);
	for (i = 0; i < ARRAY_SIZE(elem_steps); i++) {
		const struct elem_step *st = &elem_steps[i];
		const struct ct_set_body *b;
		u32 bad = U32_MAX;
		int ret;

		for (j = 0; j < st->n; j++) {
			e[j] = (struct ct_elem){
				.lo = IK(st->e[j].lo),
				.hi = IK(st->e[j].hi ?: st->e[j].lo),
				.kind = st->e[j].hi ? CT_ELEM_RANGE : CT_ELEM_VALUE,
				.idx = j,
			};
		}
		if (st->del)
			ret = ct_set_elems_del(s, e, st->n, &set_test_lock, &bad);
		else
			ret = ct_set_elems_add(s, e, st->n, &set_test_lock, &bad);
		KUNIT_EXPECT_EQ_MSG(test, ret, st->err, "step %u: %s", i, st->name);
		if (st->err)
			KUNIT_EXPECT_EQ_MSG(test, bad, st->bad, "step %u: %s", i, st->name);
		b = ct_set_body_locked(s, &set_test_lock);
		KUNIT_EXPECT_EQ_MSG(test, b ? b->n : 0, st->nafter, "step %u: %s", i, st->name);
		for (j = 0; j < ARRAY_SIZE(st->p) && (st->p[j].key || st->p[j].hit); j++) {
			struct ct_key k = IK(st->p[j].key);

			KUNIT_EXPECT_EQ_MSG(test, ct_set_lookup(b, &k, jiffies) != NULL,
					    st->p[j].hit, "step %u: %s: key %u", i, st->name,
					    st->p[j].key);
		}
	}
	mutex_unlock(&set_test_lock);
	ct_set_put(s);
}

/* Expiry, with the clock passed in: far from 0, and across the wrap. */

static const unsigned long clocks[] = { 1000, 0x7ffffff0UL, ULONG_MAX - 60 };

static void clock_desc(const unsigned long *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "now %#lx", *c);
}
KUNIT_ARRAY_PARAM(clock, clocks, clock_desc);

static void elements_expire_at_their_time(struct kunit *test)
{
	unsigned long now = *(const unsigned long *)test->param_value;
	struct ct_elem *e = kunit_kcalloc(test, 4, sizeof(*e), GFP_KERNEL);
	struct ct_set_body *b;
	u32 bad;

	KUNIT_ASSERT_NOT_NULL(test, e);
	e[0] = (struct ct_elem){ .lo = IK(5), .hi = IK(5), .expires = now + 100, .idx = 0 };
	e[1] = (struct ct_elem){ .lo = IK(6), .hi = IK(6), .idx = 1 };
	e[2] = (struct ct_elem){ .lo = IK(10), .hi = IK(20), .kind = CT_ELEM_RANGE,
				 .expires = now + 50, .idx = 2 };
	/* expired at the build: left out */
	e[3] = (struct ct_elem){ .lo = IK(7), .hi = IK(7), .expires = now, .idx = 3 };
	b = ct_set_body_build(e, 4, false, now, &bad);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(b));
	KUNIT_EXPECT_EQ(test, b->n, 3U);
	KUNIT_EXPECT_NULL(test, ct_set_lookup(b, &IK(7), now));
	KUNIT_EXPECT_NOT_NULL(test, ct_set_lookup(b, &IK(5), now));
	KUNIT_EXPECT_NOT_NULL(test, ct_set_lookup(b, &IK(5), now + 99));
	KUNIT_EXPECT_NULL(test, ct_set_lookup(b, &IK(5), now + 100));
	KUNIT_EXPECT_NULL(test, ct_set_lookup(b, &IK(5), now + 5000));
	KUNIT_EXPECT_NOT_NULL(test, ct_set_lookup(b, &IK(10), now + 49));
	KUNIT_EXPECT_NOT_NULL(test, ct_set_lookup(b, &IK(20), now + 49));
	KUNIT_EXPECT_NULL(test, ct_set_lookup(b, &IK(10), now + 50));
	KUNIT_EXPECT_NULL(test, ct_set_lookup(b, &IK(20), now + 50));
	/* never expires */
	KUNIT_EXPECT_NOT_NULL(test, ct_set_lookup(b, &IK(6), now + 100000));
	ct_set_body_free(b);

	/* built again later: the expired ones are gone */
	e[0] = (struct ct_elem){ .lo = IK(5), .hi = IK(5), .expires = now + 100, .idx = 0 };
	e[1] = (struct ct_elem){ .lo = IK(6), .hi = IK(6), .idx = 1 };
	e[2] = (struct ct_elem){ .lo = IK(10), .hi = IK(20), .kind = CT_ELEM_RANGE,
				 .expires = now + 50, .idx = 2 };
	b = ct_set_body_build(e, 3, false, now + 60, &bad);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(b));
	KUNIT_EXPECT_EQ(test, b->n, 2U);
	KUNIT_EXPECT_NULL(test, ct_set_lookup(b, &IK(15), now));
	ct_set_body_free(b);
}

/* A named set on the real clock: an element added again keeps its expiry. */
static void named_set_elements_expire(struct kunit *test)
{
	struct ct_elem *e = kunit_kcalloc(test, 2, sizeof(*e), GFP_KERNEL);
	struct ct_set *s = ct_set_new("t", CTRACK_TYPE_INET_SERVICE,
				      CTRACK_SET_F_TIMEOUT, 0);
	const struct ct_set_body *b;
	unsigned long first;
	u32 bad = U32_MAX;

	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_ASSERT_NOT_NULL(test, s);
	mutex_lock(&set_test_lock);
	first = (jiffies + 2) | 1;
	e[0] = (struct ct_elem){ .lo = IK(5), .hi = IK(5), .expires = first, .timeout = 1 };
	e[1] = (struct ct_elem){ .lo = IK(6), .hi = IK(6), .idx = 1 };
	KUNIT_EXPECT_EQ(test, ct_set_elems_add(s, e, 2, &set_test_lock, &bad), 0);
	/* again with a longer timeout: the one there stays as it is */
	e[0].expires = (jiffies + 1000 * HZ) | 1;
	KUNIT_EXPECT_EQ(test, ct_set_elems_add(s, e, 1, &set_test_lock, &bad), 0);
	b = ct_set_body_locked(s, &set_test_lock);
	KUNIT_ASSERT_NOT_NULL(test, ct_set_find(b, &e[0]));
	KUNIT_EXPECT_EQ(test, ct_set_find(b, &e[0])->expires, first);
	while (time_before(jiffies, first))
		msleep(jiffies_to_msecs(1) + 1);
	b = ct_set_body_locked(s, &set_test_lock);
	KUNIT_EXPECT_NULL(test, ct_set_lookup(b, &IK(5), jiffies));
	KUNIT_EXPECT_NOT_NULL(test, ct_set_lookup(b, &IK(6), jiffies));
	/* an expired element is not there to delete */
	bad = U32_MAX;
	KUNIT_EXPECT_EQ(test, ct_set_elems_del(s, e, 1, &set_test_lock, &bad), -ENOENT);
	KUNIT_EXPECT_EQ(test, bad, 0U);
	/* the next change drops it */
	e[0] = (struct ct_elem){ .lo = IK(7), .hi = IK(7) };
	KUNIT_EXPECT_EQ(test, ct_set_elems_add(s, e, 1, &set_test_lock, &bad), 0);
	b = ct_set_body_locked(s, &set_test_lock);
	KUNIT_EXPECT_EQ(test, b->n, 2U);
	mutex_unlock(&set_test_lock);
	ct_set_put(s);
}

static struct kunit_case ctrack_set_cases[] = {
	KUNIT_CASE_PARAM(key_from_bytes_and_back, bytes_gen_params),
	KUNIT_CASE_PARAM(prefix_is_the_interval, prefix_gen_params),
	KUNIT_CASE_PARAM(body_build_and_lookup, body_gen_params),
	KUNIT_CASE_PARAM(address_interval_edges, addr_ivl_gen_params),
	KUNIT_CASE_PARAM(wildcard_name_lookup, name_gen_params),
	KUNIT_CASE(lookup_in_10000_exact_elements),
	KUNIT_CASE(lookup_in_10000_intervals),
	KUNIT_CASE(elems_add_and_del_step_by_step),
	KUNIT_CASE_PARAM(elements_expire_at_their_time, clock_gen_params),
	KUNIT_CASE(named_set_elements_expire),
	{}
};

static struct kunit_suite ctrack_set_suite = {
	.name = "ctrack_set",
	.test_cases = ctrack_set_cases,
};
kunit_test_suites(&ctrack_set_suite);
