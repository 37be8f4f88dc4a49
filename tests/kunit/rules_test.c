// SPDX-License-Identifier: GPL-2.0
/* KUnit suite: rules (to be written). */
#include <kunit/test.h>
