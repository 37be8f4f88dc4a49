// SPDX-License-Identifier: GPL-2.0
/* KUnit suite: tuple (to be written). */
#include <kunit/test.h>
