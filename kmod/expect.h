/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_EXPECT_H
#define _CTRACK_EXPECT_H

struct ct_net;

int ct_ftp_ports_parse(const char *list, u16 *ports);
int ct_expect_net_init(struct ct_net *cn, const char *ftp_ports);
void ct_expect_net_exit(struct ct_net *cn);

#endif /* _CTRACK_EXPECT_H */
