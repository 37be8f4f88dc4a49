/* SPDX-License-Identifier: GPL-2.0 */
#define CTRACK_VERSION "0.1.0"
