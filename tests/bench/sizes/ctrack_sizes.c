// SPDX-License-Identifier: GPL-2.0
/* Sizes for the benchmark's memory rows; see tests/bench.sh. */
#include <linux/module.h>
#include "conn.h"
#include "expect.h"

const unsigned int ctrack_sizes[] = {
	sizeof(struct ct_expect),
	sizeof(struct ct_conn),
};
EXPORT_SYMBOL(ctrack_sizes);
MODULE_LICENSE("GPL");
