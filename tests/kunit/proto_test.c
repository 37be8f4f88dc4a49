// SPDX-License-Identifier: GPL-2.0
/* KUnit suite: proto (to be written). */
#include <kunit/test.h>
