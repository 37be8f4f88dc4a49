// SPDX-License-Identifier: GPL-2.0
/*
 * Events: from the table and the expectations to the listeners. The only
 * code on the packet path that allocates messages.
 */
#include <linux/netlink.h>
#include <linux/mutex.h>
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
 * Into @l, the listeners with someone listening in @cn's namespace; their
 * number. If there is any, the event's sequence number is taken now,
 * before anything can fail, so that a message lost here, or dropped on a
 * full socket, leaves a gap that the listener sees.
 */
static unsigned int wanted(struct ct_net *cn,
			   const struct ct_event_listener **l, u64 *seq)
{
	const struct ct_event_listener *one;
	unsigned int i, n = 0;

	for (i = 0; i < CT_EVENT_LISTENERS; i++) {
		one = rcu_dereference(listeners[i]);
		if (one && one->wanted(cn->net))
			l[n++] = one;
	}
	if (n)
		*seq = atomic64_inc_return(&cn->event_seq);
	return n;
}

/* @obj is a connection if @conn, else an expectation. */
static void report(struct ct_net *cn, bool conn, const void *obj,
		   enum ctrack_event type)
{
	const struct ct_event_listener *l[CT_EVENT_LISTENERS];
	struct sk_buff *msg;
	unsigned int i, n;
	u64 seq;
	int ret;

	rcu_read_lock();
	n = wanted(cn, l, &seq);
	for (i = 0; i < n; i++) {
		msg = nlmsg_new(conn ? l[i]->conn_size : l[i]->expect_size,
				GFP_ATOMIC);
		if (!msg)
			continue;
		ret = conn ? l[i]->fill_conn(msg, seq, type, obj) :
			     l[i]->fill_expect(msg, seq, type, obj);
		if (ret) {
			nlmsg_free(msg);
			continue;
		}
		l[i]->send(cn->net, msg);
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
