// SPDX-License-Identifier: GPL-2.0
/* KUnit suite: table (to be written). */
#include <kunit/test.h>
