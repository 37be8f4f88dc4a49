/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels ctrack builds for (6.1 to 6.12), keyed on
 * what the headers provide: Kbuild looks and defines CT_HAVE_*. Force-included
 * into every file by Kbuild.
 */
#ifndef _CTRACK_COMPAT_H
#define _CTRACK_COMPAT_H

#include <asm/byteorder.h>
#include <kunit/visibility.h>

/* Kbuild refuses these kernels already; this catches any other build. */
#if !defined(CONFIG_64BIT) || !defined(__LITTLE_ENDIAN)
#error "ctrack supports 64-bit little-endian kernels only"
#endif

/* 6.12 moved unaligned.h from asm/ to linux/. */
#ifdef CT_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* 6.6 moved a dump's parsed attributes into a struct genl_info. */
#ifdef CT_HAVE_GENL_INFO_DUMP
#define ct_genl_dump_attrs(cb)	(genl_info_dump(cb)->attrs)
#else
#define ct_genl_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif

#endif /* _CTRACK_COMPAT_H */
