/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_STATS_H
#define _CTRACK_STATS_H

#include <linux/percpu.h>
#include "uapi/ctrack.h"

/* Per-CPU counters, the fields of `conntrack -S`, plus ctrack's own. */
struct ct_stats {
	u64 found;
	u64 invalid;
	u64 insert;
	u64 insert_failed;
	u64 drop;		/* refused: table full, nothing to evict */
	u64 early_drop;
	u64 error;
	u64 expect_new;
	u64 expect_create;
	u64 expect_delete;
	u64 search_restart;	/* always 0: lookups never restart; conntrack -S has it */
	u64 chaintoolong;
	/* packets per ctstate (enum ctrack_ctstate) per hook */
	u64 state[__CTRACK_CTSTATE_MAX][__CTRACK_HOOK_MAX];
};

#define CT_STAT_INC(cn, field)	this_cpu_inc((cn)->stats->field)

#endif /* _CTRACK_STATS_H */
