/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTRACK_EVENTS_H
#define _CTRACK_EVENTS_H

/*
 * Events: what the table and the expectations report (a connection or an
 * expectation was made, changed state or went away) to whoever listens,
 * as nf_conntrack's ecache sits between its core and ctnetlink. The core
 * calls ct_event_conn() and ct_event_expect(); a listener (netlink.c's
 * event group; the ctnetlink layer) says whether anyone in a namespace
 * listens, and fills and sends the message events.c allocated for it.
 */
#include <linux/types.h>
#include "uapi/ctrack.h"

struct net;
struct sk_buff;
struct ct_net;
struct ct_conn;
struct ct_expect;

struct ct_event_listener {
	/* Under rcu_read_lock(), any context: does anyone in @net listen? */
	bool (*wanted)(struct net *net);
	/* The largest message each kind of event needs, headers included. */
	size_t conn_size;
	size_t expect_size;
	/*
	 * Fill @msg (0, or -EMSGSIZE) under rcu_read_lock(), any context.
	 * @seq numbers the namespace's events: a listener that sees a gap
	 * knows it lost some.
	 */
	int (*fill_conn)(struct sk_buff *msg, u64 seq, enum ctrack_event type,
			 const struct ct_conn *c);
	int (*fill_expect)(struct sk_buff *msg, u64 seq, enum ctrack_event type,
			   const struct ct_expect *e);
	/* Sends @msg to @net's listeners; consumes it. Never sleeps. */
	void (*send)(struct net *net, struct sk_buff *msg);
};

/* -EBUSY when both listener slots (ctrack's family, ctnetlink) are taken. */
int ct_events_register(const struct ct_event_listener *l);
/* Waits until no event is being given to @l any more. Sleeps. */
void ct_events_unregister(const struct ct_event_listener *l);

/*
 * Reports an event to every listener that has someone listening in the
 * namespace; cheap when nobody does. Any context; never sleeps.
 */
void ct_event_conn(struct ct_net *cn, const struct ct_conn *c,
		   enum ctrack_event type);
void ct_event_expect(struct ct_net *cn, const struct ct_expect *e,
		     enum ctrack_event type);

#endif /* _CTRACK_EVENTS_H */
