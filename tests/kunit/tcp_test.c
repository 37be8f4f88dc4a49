// SPDX-License-Identifier: GPL-2.0
/* KUnit suite: tcp (to be written). */
#include <kunit/test.h>
