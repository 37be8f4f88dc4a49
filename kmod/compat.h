/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels ctrack builds for (6.1 to 6.12), keyed on
 * what the headers provide. Force-included into every file by Kbuild.
 */
#ifndef _CTRACK_COMPAT_H
#define _CTRACK_COMPAT_H

#include <linux/version.h>
#include <kunit/visibility.h>

#endif /* _CTRACK_COMPAT_H */
