// SPDX-License-Identifier: GPL-2.0
/* The test namespace the expectation and helper suites share. */
#include <linux/percpu.h>
#include <linux/slab.h>
#include "env.h"
#include "expect.h"
#include "helper.h"

static void expect_net_free(void *arg)
{
	struct ct_net *cn = arg;

	ct_expect_net_exit(cn);
	free_percpu(cn->stats);
}

struct ct_net *ct_test_expect_net(struct kunit *test, unsigned int helper,
				  const u16 *ports)
{
	struct ct_net *cn = kunit_kzalloc(test, sizeof(*cn), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, cn);
	cn->net = &init_net;
	cn->timeouts[CTRACK_TO_EXPECT] = 300;
	mutex_init(&cn->cfg_lock);
	cn->stats = alloc_percpu(struct ct_stats);
	/* not _NOT_NULL: sparse rejects comparing a __percpu pointer to void * */
	KUNIT_ASSERT_TRUE(test, cn->stats);
	if (ct_expect_net_init(cn)) {
		free_percpu(cn->stats);
		KUNIT_FAIL_AND_ABORT(test, "ct_expect_net_init failed");
	}
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, expect_net_free, cn), 0);
	/* not ct_helper_net_init(): whatever the module parameters say */
	mutex_lock(&cn->cfg_lock);
	for (; ports && *ports; ports++)
		KUNIT_EXPECT_EQ(test, ct_helper_port_add(cn, helper, *ports), 0);
	mutex_unlock(&cn->cfg_lock);
	return cn;
}
