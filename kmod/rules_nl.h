/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_RULES_NL_H
#define _CTRACK_RULES_NL_H

#include <net/genetlink.h>
#include "uapi/ctrack.h"

struct ct_net;

/* The family, registered by netlink.c; the rule commands below are its ops. */
extern struct genl_family ct_genl_family;

extern const struct nla_policy ct_rule_add_policy[CTRACK_A_MAX + 1];
extern const struct nla_policy ct_rule_del_policy[CTRACK_A_MAX + 1];
extern const struct nla_policy ct_rule_get_policy[CTRACK_A_MAX + 1];
extern const struct nla_policy ct_ruleset_load_policy[CTRACK_A_MAX + 1];
extern const struct nla_policy ct_set_cmd_policy[CTRACK_A_MAX + 1];

int ct_nl_rule_add(struct sk_buff *skb, struct genl_info *info);
int ct_nl_rule_del(struct sk_buff *skb, struct genl_info *info);
int ct_nl_rule_get(struct sk_buff *skb, struct netlink_callback *cb);
int ct_nl_rule_flush(struct sk_buff *skb, struct genl_info *info);
int ct_nl_policy_set(struct sk_buff *skb, struct genl_info *info);
int ct_nl_ruleset_load(struct sk_buff *skb, struct genl_info *info);
int ct_nl_set_add(struct sk_buff *skb, struct genl_info *info);
int ct_nl_set_del(struct sk_buff *skb, struct genl_info *info);
int ct_nl_set_get(struct sk_buff *skb, struct netlink_callback *cb);
int ct_nl_elem_add(struct sk_buff *skb, struct genl_info *info);
int ct_nl_elem_del(struct sk_buff *skb, struct genl_info *info);

/*
 * The body of a RULESET_LOAD (its top-level attributes, @len bytes), for
 * KUnit: validates, and publishes unless @check. Takes cfg_lock.
 */
int ct_rules_load(struct ct_net *cn, const struct nlattr *head, int len,
		  bool check, struct netlink_ext_ack *extack);

#endif /* _CTRACK_RULES_NL_H */
