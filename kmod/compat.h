/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels ctrack builds for (6.1 to 6.12), keyed on
 * what the headers provide. Force-included into every file by Kbuild.
 */
#ifndef _CTRACK_COMPAT_H
#define _CTRACK_COMPAT_H

#include <linux/version.h>
#include <kunit/visibility.h>

/* 6.12 moved unaligned.h from asm/ to linux/. */
#if __has_include(<linux/unaligned.h>)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* 6.6 moved a dump's parsed attributes into a struct genl_info. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define ct_genl_dump_attrs(cb)	(genl_info_dump(cb)->attrs)
#else
#define ct_genl_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif

#endif /* _CTRACK_COMPAT_H */
