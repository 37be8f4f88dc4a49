// SPDX-License-Identifier: GPL-2.0
/*
 * Events: from the table and the expectations to the listeners. The only
 * code on the packet path that allocates messages.
 */
#include <linux/netlink.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include <net/netlink.h>
#include "netns.h"
#include "events.h"

#define CT_EVENT_LISTENERS	2	/* ctrack's own family, ctnetlink */

/*
 * Published with rcu_assign_pointer(); cleared, with a grace period
 * before the listener goes, while events may still come from softirq and
 * workers that nothing has stopped.
 */
static const struct ct_event_listener __rcu *listeners[CT_EVENT_LISTENERS];
static DEFINE_MUTEX(listeners_lock);

int ct_events_register(const struct ct_event_listener *l)
{
	unsigned int i;
	int ret = -EBUSY;

	mutex_lock(&listeners_lock);
	for (i = 0; i < CT_EVENT_LISTENERS; i++) {
		if (!rcu_access_pointer(listeners[i])) {
			rcu_assign_pointer(listeners[i], l);
			ret = 0;
			break;
		}
	}
	mutex_unlock(&listeners_lock);
	return ret;
}

void ct_events_unregister(const struct ct_event_listener *l)
{
	unsigned int i;

	mutex_lock(&listeners_lock);
	for (i = 0; i < CT_EVENT_LISTENERS; i++)
		if (rcu_access_pointer(listeners[i]) == l)
			RCU_INIT_POINTER(listeners[i], NULL);
	mutex_unlock(&listeners_lock);
	synchronize_rcu();
}

/*
 * The listeners with someone listening in @cn's namespace, as a bitmap,
 * and the event's sequence number if there is any. The number is taken
 * before anything can fail, so that a message lost here, or dropped on a
 * full socket, leaves a gap that the listener sees.
 */
static unsigned long wanted(struct ct_net *cn, u64 *seq)
{
	const struct ct_event_listener *l;
	unsigned long mask = 0;
	unsigned int i;

	for (i = 0; i < CT_EVENT_LISTENERS; i++) {
		l = rcu_dereference(listeners[i]);
		if (l && l->wanted(cn->net))
			mask |= BIT(i);
	}
	if (mask)
		*seq = atomic64_inc_return(&cn->event_seq);
	return mask;
}

/* @obj is a connection if @conn, else an expectation. */
static void report(struct ct_net *cn, bool conn, const void *obj,
		   enum ctrack_event type)
{
	const struct ct_event_listener *l;
	struct sk_buff *msg;
	unsigned long mask;
	unsigned int i;
	u64 seq;
	int ret;

	rcu_read_lock();
	mask = wanted(cn, &seq);
	for_each_set_bit(i, &mask, CT_EVENT_LISTENERS) {
		l = rcu_dereference(listeners[i]);
		if (!l)
			continue;
		msg = nlmsg_new(conn ? l->conn_size : l->expect_size, GFP_ATOMIC);
		if (!msg)
			continue;
		ret = conn ? l->fill_conn(msg, seq, type, obj) :
			     l->fill_expect(msg, seq, type, obj);
		if (ret) {
			nlmsg_free(msg);
			continue;
		}
		l->send(cn->net, msg);
	}
	rcu_read_unlock();
}

void ct_event_conn(struct ct_net *cn, const struct ct_conn *c,
		   enum ctrack_event type)
{
	report(cn, true, c, type);
}

void ct_event_expect(struct ct_net *cn, const struct ct_expect *e,
		     enum ctrack_event type)
{
	report(cn, false, e, type);
}
