// SPDX-License-Identifier: GPL-2.0
/*
 * ctrack_test.ko: KUnit suites for ctrack's pure logic, using the symbols
 * ctrack.ko exports for testing.
 */
#include <kunit/test.h>
#include <linux/module.h>

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

static void module_loads(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, true);
}

static struct kunit_case ctrack_smoke_cases[] = {
	KUNIT_CASE(module_loads),
	{}
};

static struct kunit_suite ctrack_smoke_suite = {
	.name = "ctrack_smoke",
	.test_cases = ctrack_smoke_cases,
};
kunit_test_suites(&ctrack_smoke_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for ctrack");
