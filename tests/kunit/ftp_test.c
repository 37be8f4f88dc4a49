// SPDX-License-Identifier: GPL-2.0
/* KUnit suite: ftp (to be written). */
#include <kunit/test.h>
