/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_TEST_ENV_H
#define _CTRACK_TEST_ENV_H

#include <kunit/test.h>
#include "netns.h"

/*
 * A namespace for the expectation and helper suites: statistics, the
 * expectation timeout (300 s), an expectation table, and the helper
 * ports @ports of helper @helper (0-terminated; NULL: none). It is torn
 * down at the end of the test, after the test's own cleanups, which must
 * let go of their masters first (ct_expect_conn_gone()).
 */
struct ct_net *ct_test_expect_net(struct kunit *test, unsigned int helper,
				  const u16 *ports);

#endif /* _CTRACK_TEST_ENV_H */
