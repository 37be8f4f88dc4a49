// SPDX-License-Identifier: GPL-2.0
/* KUnit suite: expect (to be written). */
#include <kunit/test.h>
