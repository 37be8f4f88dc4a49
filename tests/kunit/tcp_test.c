// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite ctrack_tcp: the TCP state machine, window tracking, RST
 * validation and timeouts, driven by scripted segments with an explicit
 * clock. Each row of the scenario table is one transition (or one check)
 * in context: the steps before it bring the connection to the state the
 * last step starts from, and every step checks the verdict and the state.
 */
#include <kunit/test.h>
#include <linux/jiffies.h>
#include <linux/prandom.h>
#include <linux/string.h>
#include <linux/tcp.h>
#include <net/tcp.h>
#include "conn.h"
#include "proto.h"

#define C	1000u		/* client ISN */
#define S	0xffffff00u	/* server ISN: its data wraps around 0 */
#define W	64240u		/* default window */
#define WIN0	0x10000u	/* a zero window (0 means W) */
#define WS(n)	((n) + 1)	/* window scale option n */
#define TO(x)	(CTRACK_TO_TCP_##x + 1)

#define NEW	CTRACK_CTSTATE_NEW
#define EST	CTRACK_CTSTATE_ESTABLISHED
#define INV	CTRACK_CTSTATE_INVALID
#define AGAIN	(-EAGAIN)

/* Flag bytes. */
#define F_SYN	TCPHDR_SYN
#define F_SA	(TCPHDR_SYN | TCPHDR_ACK)
#define F_A	TCPHDR_ACK
#define F_PA	(TCPHDR_PSH | TCPHDR_ACK)
#define F_FA	(TCPHDR_FIN | TCPHDR_ACK)
#define F_R	TCPHDR_RST
#define F_RA	(TCPHDR_RST | TCPHDR_ACK)
#define STEP	0x100		/* marks a used step */

/* Distinct values, so that an expiry tells which timeout was applied. */
static const u32 test_timeouts[__CTRACK_TO_MAX] = {
	[CTRACK_TO_TCP_SYN_SENT]	= 121,
	[CTRACK_TO_TCP_SYN_RECV]	= 61,
	[CTRACK_TO_TCP_ESTABLISHED]	= 432000,
	[CTRACK_TO_TCP_FIN_WAIT]	= 122,
	[CTRACK_TO_TCP_CLOSE_WAIT]	= 62,
	[CTRACK_TO_TCP_LAST_ACK]	= 31,
	[CTRACK_TO_TCP_TIME_WAIT]	= 123,
	[CTRACK_TO_TCP_CLOSE]		= 11,
	[CTRACK_TO_TCP_SYN_SENT2]	= 124,
	[CTRACK_TO_TCP_RETRANS]		= 301,
	[CTRACK_TO_TCP_UNACK]		= 302,
	[CTRACK_TO_UDP]			= 30,
	[CTRACK_TO_UDP_STREAM]		= 120,
	[CTRACK_TO_ICMP]		= 30,
	[CTRACK_TO_GENERIC]		= 600,
	[CTRACK_TO_EXPECT]		= 300,
};

/* The clock starts just before jiffies wrap. */
#define T0	((u32)(-10 * HZ))

struct step {
	u16 flags;	/* TCPHDR_* | STEP */
	u8 dir;
	u32 seq;
	u32 ack;
	u16 len;
	int ret;	/* expected verdict */
	u8 state;	/* expected state afterwards */
	u32 win;	/* 0: W, WIN0: zero */
	u8 ws;		/* WS(n): window scale option; 0: none */
	bool sackperm;	/* SACK-permitted option */
	u32 sack;	/* right edge of a SACK block [sack - 50, sack) */
	u8 cls;		/* TO(x): expect that timeout; 0: unchecked */
	bool keep;	/* the expiry must not move */
};

#define O(fl, sq, ak, ln, r, st, ...) \
	{ .flags = (fl) | STEP, .dir = CT_DIR_ORIGINAL, .seq = (sq), \
	  .ack = (ak), .len = (ln), .ret = (r), .state = CTRACK_TCP_##st, \
	  __VA_ARGS__ }
#define R(fl, sq, ak, ln, r, st, ...) \
	{ .flags = (fl) | STEP, .dir = CT_DIR_REPLY, .seq = (sq), \
	  .ack = (ak), .len = (ln), .ret = (r), .state = CTRACK_TCP_##st, \
	  __VA_ARGS__ }

/* The three-way handshake; the connection is assured after step 2. */
static const struct step handshake[] = {
	O(F_SYN, C, 0, 0, NEW, SYN_SENT, .cls = TO(SYN_SENT)),
	R(F_SA, S, C + 1, 0, EST, SYN_RECV, .cls = TO(SYN_RECV)),
	O(F_A, C + 1, S + 1, 0, EST, ESTABLISHED, .cls = TO(ESTABLISHED)),
	{}
};

/* Client closes first, then the server: ends in TIME_WAIT at step 6. */
static const struct step to_time_wait[] = {
	O(F_SYN, C, 0, 0, NEW, SYN_SENT, .cls = TO(SYN_SENT)),
	R(F_SA, S, C + 1, 0, EST, SYN_RECV, .cls = TO(SYN_RECV)),
	O(F_A, C + 1, S + 1, 0, EST, ESTABLISHED, .cls = TO(ESTABLISHED)),
	O(F_FA, C + 1, S + 1, 0, EST, FIN_WAIT, .cls = TO(FIN_WAIT)),
	R(F_A, S + 1, C + 2, 0, EST, CLOSE_WAIT, .cls = TO(CLOSE_WAIT)),
	R(F_FA, S + 1, C + 2, 0, EST, LAST_ACK, .cls = TO(LAST_ACK)),
	O(F_A, C + 2, S + 2, 0, EST, TIME_WAIT, .cls = TO(TIME_WAIT)),
	{}
};

#define MAX_STEPS 10

struct scenario {
	const char *name;
	bool loose;
	u8 assured_at;	/* step after which ASSURED is set; 0: never */
	const struct step *from;	/* steps run first, or NULL */
	struct step steps[MAX_STEPS];
};

#define HS	handshake
#define TW	to_time_wait

static const struct scenario scenarios[] = {
	/* Opening. */
	{ "syn_is_new_syn_sent", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT, .cls = TO(SYN_SENT)) } },
	{ "syn_then_synack_is_syn_recv", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		R(F_SA, S, C + 1, 0, EST, SYN_RECV, .cls = TO(SYN_RECV)) } },
	{ "handshake_ack_is_established_and_assured", false, 2, HS, {} },
	{ "retransmitted_syn_keeps_syn_sent_and_expiry", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		O(F_SYN, C, 0, 0, EST, SYN_SENT, .keep = true) } },
	{ "syn_with_new_isn_in_syn_sent_restarts_window", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		O(F_SYN, C + 100000, 0, 0, EST, SYN_SENT),
		R(F_SA, S, C + 100001, 0, EST, SYN_RECV) } },
	{ "synack_acking_unsent_data_is_invalid", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		R(F_SA, S, C + 5, 0, INV, SYN_SENT),
		R(F_SA, S, C + 1, 0, EST, SYN_RECV) } },
	{ "orig_ack_in_syn_sent_is_invalid", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		O(F_A, C + 1, 5, 0, INV, SYN_SENT) } },
	{ "orig_synack_in_syn_sent_is_invalid", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		O(F_SA, C, 5, 0, INV, SYN_SENT) } },
	{ "orig_fin_in_syn_sent_is_invalid", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		O(F_FA, C + 1, 5, 0, INV, SYN_SENT) } },
	{ "reply_fin_in_syn_sent_is_invalid", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		R(F_FA, S, C + 1, 0, INV, SYN_SENT) } },
	{ "reply_ack_in_syn_sent_is_ignored", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		R(F_A, S, C + 1, 0, EST, SYN_SENT, .keep = true) } },
	{ "synack_retransmit_in_syn_recv_is_ignored", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		R(F_SA, S, C + 1, 0, EST, SYN_RECV),
		R(F_SA, S, C + 1, 0, EST, SYN_RECV, .keep = true) } },
	{ "orig_syn_in_syn_recv_is_ignored", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		R(F_SA, S, C + 1, 0, EST, SYN_RECV),
		O(F_SYN, C, 0, 0, EST, SYN_RECV, .keep = true) } },
	{ "reply_ack_in_syn_recv_stays_syn_recv", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		R(F_SA, S, C + 1, 0, EST, SYN_RECV),
		R(F_A, S + 1, C + 1, 0, EST, SYN_RECV, .cls = TO(SYN_RECV)) } },
	{ "orig_fin_in_syn_recv_is_fin_wait", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		R(F_SA, S, C + 1, 0, EST, SYN_RECV),
		O(F_FA, C + 1, S + 1, 0, EST, FIN_WAIT, .cls = TO(FIN_WAIT)) } },

	/* Simultaneous open. */
	{ "reply_syn_in_syn_sent_is_syn_sent2", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		R(F_SYN, S, 0, 0, EST, SYN_SENT2) } },
	{ "simultaneous_open_orig_synack_then_reply_ack", false, 4, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		R(F_SYN, S, 0, 0, EST, SYN_SENT2),
		O(F_SA, C, S + 1, 0, EST, SYN_RECV, .cls = TO(SYN_RECV)),
		R(F_SA, S, C + 1, 0, EST, SYN_RECV),
		R(F_A, S + 1, C + 1, 0, EST, ESTABLISHED,
		  .cls = TO(ESTABLISHED)) } },
	{ "simultaneous_open_reply_synack_then_orig_ack", false, 3, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		R(F_SYN, S, 0, 0, EST, SYN_SENT2),
		R(F_SA, S, C + 1, 0, EST, SYN_RECV),
		O(F_A, C + 1, S + 1, 0, EST, ESTABLISHED) } },
	{ "syn_sent2_retransmitted_syns_stay", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		R(F_SYN, S, 0, 0, EST, SYN_SENT2),
		O(F_SYN, C, 0, 0, EST, SYN_SENT2),
		R(F_SYN, S, 0, 0, EST, SYN_SENT2) } },
	{ "syn_sent2_orig_ack_is_invalid", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		R(F_SYN, S, 0, 0, EST, SYN_SENT2),
		O(F_A, C + 1, S + 1, 0, INV, SYN_SENT2) } },
	{ "syn_sent2_fin_is_invalid", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		R(F_SYN, S, 0, 0, EST, SYN_SENT2),
		O(F_FA, C + 1, S + 1, 0, INV, SYN_SENT2) } },
	{ "syn_sent2_reply_ack_is_ignored", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		R(F_SYN, S, 0, 0, EST, SYN_SENT2),
		R(F_A, S + 1, C + 1, 0, EST, SYN_SENT2, .keep = true) } },
	{ "simultaneous_open_orig_synack_resent_stays_syn_recv", false, 0,
	  NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		R(F_SYN, S, 0, 0, EST, SYN_SENT2),
		O(F_SA, C, S + 1, 0, EST, SYN_RECV),
		O(F_SA, C, S + 1, 0, EST, SYN_RECV, .cls = TO(SYN_RECV)) } },
	{ "reply_syn_in_syn_recv_is_invalid", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		R(F_SA, S, C + 1, 0, EST, SYN_RECV),
		R(F_SYN, S, 0, 0, INV, SYN_RECV) } },
	{ "reply_fin_in_syn_recv_is_fin_wait", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		R(F_SA, S, C + 1, 0, EST, SYN_RECV),
		R(F_FA, S + 1, C + 1, 0, EST, FIN_WAIT, .cls = TO(FIN_WAIT)) } },
	{ "reply_syn_in_established_is_invalid", false, 2, HS, {
		R(F_SYN, S + 5, 0, 0, INV, ESTABLISHED) } },
	{ "reply_synack_in_established_is_ignored", false, 2, HS, {
		R(F_SA, S, C + 1, 0, EST, ESTABLISHED, .keep = true) } },

	/* RST. */
	{ "rst_answering_syn_closes", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		R(F_RA, 0, C + 1, 0, EST, CLOSE, .win = WIN0,
		  .cls = TO(CLOSE)) } },
	{ "syn_after_refused_syn_reopens", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		R(F_RA, 0, C + 1, 0, EST, CLOSE, .win = WIN0),
		O(F_SYN, C + 50000, 0, 0, AGAIN, CLOSE) } },
	{ "rst_with_wrong_ack_answering_syn_is_invalid", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		R(F_RA, 0, C + 50, 0, INV, SYN_SENT, .win = WIN0) } },
	{ "orig_rst_in_syn_sent_closes_and_syn_reopens", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		O(F_R, C + 1, 0, 0, EST, CLOSE, .win = WIN0, .cls = TO(CLOSE)),
		O(F_SYN, C + 5000, 0, 0, AGAIN, CLOSE) } },
	{ "rst_answering_challenge_ack_in_syn_sent_closes", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		R(F_A, 7777, 424242, 0, EST, SYN_SENT),
		O(F_R, 424242, 0, 0, EST, CLOSE, .win = WIN0) } },
	{ "rst_off_the_challenge_ack_in_syn_sent_is_invalid", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		R(F_A, 7777, 424242, 0, EST, SYN_SENT),
		O(F_R, 999999, 0, 0, INV, SYN_SENT, .win = WIN0) } },
	{ "orig_rst_in_syn_recv_closes", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		R(F_SA, S, C + 1, 0, EST, SYN_RECV),
		O(F_R, C + 1, 0, 0, EST, CLOSE, .win = WIN0) } },
	{ "rst_in_syn_recv_closes", false, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT),
		R(F_SA, S, C + 1, 0, EST, SYN_RECV),
		R(F_R, S + 1, 0, 0, EST, CLOSE, .win = WIN0, .cls = TO(CLOSE)) } },
	{ "rst_at_acked_point_closes_established", false, 2, HS, {
		R(F_R, S + 1, 0, 0, EST, CLOSE, .win = WIN0, .cls = TO(CLOSE)) } },
	{ "rst_beyond_window_is_invalid", false, 2, HS, {
		R(F_R, S + 1 + 1000000, 0, 0, INV, ESTABLISHED, .win = WIN0,
		  .keep = true) } },
	{ "rst_below_acked_point_is_invalid", false, 2, HS, {
		R(F_PA, S + 1, C + 1, 100, EST, ESTABLISHED, .cls = TO(UNACK)),
		O(F_A, C + 1, S + 101, 0, EST, ESTABLISHED,
		  .cls = TO(ESTABLISHED)),
		R(F_R, S + 1, 0, 0, INV, ESTABLISHED, .win = WIN0) } },
	{ "rst_in_window_off_acked_point_keeps_established", false, 2, HS, {
		R(F_PA, S + 1, C + 1, 100, EST, ESTABLISHED),
		O(F_A, C + 1, S + 101, 0, EST, ESTABLISHED),
		R(F_R, S + 151, 0, 0, EST, ESTABLISHED, .win = WIN0,
		  .cls = TO(UNACK)) } },
	{ "rst_right_after_data_closes", false, 2, HS, {
		R(F_PA, S + 1, C + 1, 100, EST, ESTABLISHED),
		R(F_R, S + 101, 0, 0, EST, CLOSE, .win = WIN0) } },
	{ "rst_in_fin_wait_closes_whatever_its_seq", false, 2, HS, {
		O(F_FA, C + 1, S + 1, 0, EST, FIN_WAIT),
		R(F_R, S + 999999, 0, 0, EST, CLOSE, .win = WIN0) } },
	{ "syn_after_own_rst_reopens", false, 2, HS, {
		O(F_R, C + 1, 0, 0, EST, CLOSE, .win = WIN0),
		O(F_SYN, C + 70000, 0, 0, AGAIN, CLOSE) } },
	{ "syn_after_peer_rst_is_ignored_then_synack_resyncs", false, 2, HS, {
		R(F_R, S + 1, 0, 0, EST, CLOSE, .win = WIN0),
		O(F_SYN, 3000000, 0, 0, EST, CLOSE, .keep = true),
		R(F_SA, 7000000, 3000001, 0, EST, SYN_RECV,
		  .cls = TO(SYN_RECV)),
		O(F_A, 3000001, 7000001, 0, EST, ESTABLISHED) } },
	{ "synack_not_acking_the_ignored_syn_is_ignored", false, 2, HS, {
		R(F_R, S + 1, 0, 0, EST, CLOSE, .win = WIN0),
		O(F_SYN, 3000000, 0, 0, EST, CLOSE),
		R(F_SA, 7000000, 3000002, 0, EST, CLOSE, .keep = true) } },

	/* Closing. */
	{ "fin_ack_interleaving_to_time_wait", false, 2, TW, {} },
	{ "ack_in_time_wait_stays", false, 2, TW, {
		R(F_A, S + 2, C + 2, 0, EST, TIME_WAIT, .cls = TO(TIME_WAIT)) } },
	{ "syn_in_time_wait_reopens", false, 2, TW, {
		O(F_SYN, C + 100000, 0, 0, AGAIN, TIME_WAIT, .keep = true) } },
	{ "reply_syn_in_time_wait_reopens", false, 2, TW, {
		R(F_SYN, S + 100000, 0, 0, AGAIN, TIME_WAIT, .keep = true) } },
	{ "simultaneous_close_to_time_wait", false, 2, HS, {
		O(F_FA, C + 1, S + 1, 0, EST, FIN_WAIT),
		R(F_FA, S + 1, C + 2, 0, EST, LAST_ACK, .cls = TO(LAST_ACK)),
		O(F_A, C + 2, S + 2, 0, EST, TIME_WAIT),
		R(F_A, S + 2, C + 2, 0, EST, TIME_WAIT) } },
	{ "server_closes_first_to_time_wait", false, 2, HS, {
		R(F_FA, S + 1, C + 1, 0, EST, FIN_WAIT, .cls = TO(FIN_WAIT)),
		O(F_A, C + 1, S + 2, 0, EST, CLOSE_WAIT, .cls = TO(CLOSE_WAIT)),
		O(F_FA, C + 1, S + 2, 0, EST, LAST_ACK),
		R(F_A, S + 2, C + 2, 0, EST, TIME_WAIT, .cls = TO(TIME_WAIT)) } },
	{ "retransmitted_fin_in_last_ack_stays", false, 2, HS, {
		O(F_FA, C + 1, S + 1, 0, EST, FIN_WAIT),
		R(F_A, S + 1, C + 2, 0, EST, CLOSE_WAIT),
		R(F_FA, S + 1, C + 2, 0, EST, LAST_ACK),
		R(F_FA, S + 1, C + 2, 0, EST, LAST_ACK) } },
	{ "challenge_ack_in_last_ack_is_not_the_last_ack", false, 2, HS, {
		O(F_FA, C + 1, S + 1, 0, EST, FIN_WAIT),
		R(F_A, S + 1, C + 2, 0, EST, CLOSE_WAIT),
		R(F_FA, S + 1, C + 2, 0, EST, LAST_ACK),
		O(F_SYN, C + 50000, 0, 0, EST, LAST_ACK, .keep = true),
		R(F_A, S + 2, C + 2, 0, EST, LAST_ACK, .keep = true),
		O(F_A, C + 2, S + 2, 0, EST, TIME_WAIT) } },
	{ "orig_syn_in_fin_wait_is_ignored", false, 2, HS, {
		O(F_FA, C + 1, S + 1, 0, EST, FIN_WAIT),
		O(F_SYN, C + 9999, 0, 0, EST, FIN_WAIT, .keep = true) } },
	{ "orig_synack_in_fin_wait_is_invalid", false, 2, HS, {
		O(F_FA, C + 1, S + 1, 0, EST, FIN_WAIT),
		O(F_SA, C + 1, S + 1, 0, INV, FIN_WAIT) } },
	{ "reply_synack_in_fin_wait_is_ignored", false, 2, HS, {
		O(F_FA, C + 1, S + 1, 0, EST, FIN_WAIT),
		R(F_SA, S, C + 1, 0, EST, FIN_WAIT, .keep = true) } },
	/* As nf_conntrack: the table does not know who sent the first FIN. */
	{ "resent_fin_in_fin_wait_is_last_ack", false, 2, HS, {
		O(F_FA, C + 1, S + 1, 0, EST, FIN_WAIT),
		O(F_FA, C + 1, S + 1, 0, EST, LAST_ACK) } },
	{ "ack_after_own_fin_is_close_wait", false, 2, HS, {
		O(F_FA, C + 1, S + 1, 0, EST, FIN_WAIT),
		O(F_A, C + 2, S + 1, 0, EST, CLOSE_WAIT) } },
	{ "acks_in_close_wait_stay", false, 2, HS, {
		O(F_FA, C + 1, S + 1, 0, EST, FIN_WAIT),
		R(F_A, S + 1, C + 2, 0, EST, CLOSE_WAIT),
		O(F_A, C + 2, S + 1, 0, EST, CLOSE_WAIT),
		R(F_PA, S + 1, C + 2, 10, EST, CLOSE_WAIT,
		  .cls = TO(CLOSE_WAIT)) } },
	{ "orig_fin_resent_in_last_ack_stays", false, 2, HS, {
		R(F_FA, S + 1, C + 1, 0, EST, FIN_WAIT),
		O(F_A, C + 1, S + 2, 0, EST, CLOSE_WAIT),
		O(F_FA, C + 1, S + 2, 0, EST, LAST_ACK),
		O(F_FA, C + 1, S + 2, 0, EST, LAST_ACK) } },
	{ "fin_and_ack_in_time_wait_stay", false, 2, TW, {
		R(F_FA, S + 1, C + 2, 0, EST, TIME_WAIT),
		O(F_A, C + 2, S + 2, 0, EST, TIME_WAIT) } },
	{ "segments_in_close_stay_close", false, 2, HS, {
		R(F_R, S + 1, 0, 0, EST, CLOSE, .win = WIN0),
		O(F_A, C + 1, S + 1, 0, EST, CLOSE, .cls = TO(CLOSE)),
		O(F_FA, C + 1, S + 1, 0, EST, CLOSE),
		R(F_A, S + 1, C + 2, 0, EST, CLOSE),
		R(F_SYN, S + 5000, 0, 0, INV, CLOSE) } },
	{ "syn_in_established_is_ignored", false, 2, HS, {
		O(F_SYN, C + 100000, 0, 0, EST, ESTABLISHED, .keep = true) } },
	{ "orig_synack_in_established_is_invalid", false, 2, HS, {
		O(F_SA, C + 1, S + 1, 0, INV, ESTABLISHED) } },

	/* Windows. */
	{ "unacked_data_uses_unack_timeout_until_acked", false, 2, HS, {
		O(F_PA, C + 1, S + 1, 1000, EST, ESTABLISHED, .cls = TO(UNACK)),
		R(F_A, S + 1, C + 1001, 0, EST, ESTABLISHED,
		  .cls = TO(ESTABLISHED)) } },
	{ "data_far_beyond_window_is_invalid", false, 2, HS, {
		O(F_PA, C + 1 + 200000, S + 1, 100, INV, ESTABLISHED,
		  .keep = true) } },
	{ "data_just_beyond_window_passes_unchanged", false, 2, HS, {
		O(F_PA, C + 1 + W + 10, S + 1, 100, EST, ESTABLISHED,
		  .keep = true) } },
	{ "data_at_window_edge_is_accepted", false, 2, HS, {
		O(F_PA, C + 1 + W - 100, S + 1, 100, EST, ESTABLISHED,
		  .cls = TO(UNACK)) } },
	{ "ack_of_unsent_data_is_invalid", false, 2, HS, {
		O(F_A, C + 1, S + 5000, 0, INV, ESTABLISHED) } },
	{ "data_across_sequence_wrap_is_accepted", false, 2, HS, {
		R(F_PA, S + 1, C + 1, 1000, EST, ESTABLISHED),
		O(F_A, C + 1, S + 1001, 0, EST, ESTABLISHED,
		  .cls = TO(ESTABLISHED)),
		R(F_PA, S + 1001, C + 1, 1000, EST, ESTABLISHED) } },
	{ "window_scale_from_syn_options_widens_window", false, 2, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT, .ws = WS(7)),
		R(F_SA, S, C + 1, 0, EST, SYN_RECV, .ws = WS(7), .win = 1000),
		O(F_A, C + 1, S + 1, 0, EST, ESTABLISHED, .win = 500),
		R(F_A, S + 1, C + 1, 0, EST, ESTABLISHED, .win = 1000),
		O(F_PA, C + 1 + 100000, S + 1, 100, EST, ESTABLISHED,
		  .win = 500) } },
	{ "window_scale_still_bounds_window", false, 2, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT, .ws = WS(7)),
		R(F_SA, S, C + 1, 0, EST, SYN_RECV, .ws = WS(7), .win = 1000),
		O(F_A, C + 1, S + 1, 0, EST, ESTABLISHED, .win = 500),
		R(F_A, S + 1, C + 1, 0, EST, ESTABLISHED, .win = 1000),
		O(F_PA, C + 1 + 400000, S + 1, 100, INV, ESTABLISHED,
		  .win = 500) } },
	{ "window_scale_needs_both_syns", false, 2, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT, .ws = WS(7)),
		R(F_SA, S, C + 1, 0, EST, SYN_RECV, .win = 1000),
		O(F_A, C + 1, S + 1, 0, EST, ESTABLISHED, .win = 500),
		R(F_A, S + 1, C + 1, 0, EST, ESTABLISHED, .win = 1000),
		O(F_PA, C + 1 + 100000, S + 1, 100, INV, ESTABLISHED,
		  .win = 500) } },
	{ "sack_within_sent_data_is_accepted", false, 2, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT, .sackperm = true),
		R(F_SA, S, C + 1, 0, EST, SYN_RECV, .sackperm = true),
		O(F_A, C + 1, S + 1, 0, EST, ESTABLISHED),
		R(F_PA, S + 1, C + 1, 100, EST, ESTABLISHED),
		O(F_A, C + 1, S + 1, 0, EST, ESTABLISHED, .sack = S + 101) } },
	{ "sack_beyond_sent_data_is_invalid", false, 2, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT, .sackperm = true),
		R(F_SA, S, C + 1, 0, EST, SYN_RECV, .sackperm = true),
		O(F_A, C + 1, S + 1, 0, EST, ESTABLISHED),
		R(F_PA, S + 1, C + 1, 100, EST, ESTABLISHED),
		O(F_A, C + 1, S + 1, 0, INV, ESTABLISHED, .sack = S + 301) } },
	{ "sack_blocks_not_permitted_are_not_read", false, 2, HS, {
		R(F_PA, S + 1, C + 1, 100, EST, ESTABLISHED),
		O(F_A, C + 1, S + 1, 0, EST, ESTABLISHED, .sack = S + 301) } },

	/* Pickup. */
	{ "strict_ack_without_connection_is_invalid", false, 0, NULL, {
		O(F_A, 5000, 9000, 0, INV, NONE) } },
	{ "strict_data_without_connection_is_invalid", false, 0, NULL, {
		O(F_PA, 5000, 9000, 100, INV, NONE) } },
	{ "loose_ack_picks_up_established_unreplied", true, 0, NULL, {
		O(F_A, 5000, 9000, 0, NEW, ESTABLISHED, .cls = TO(UNACK)) } },
	{ "loose_pickup_assured_after_answered_exchange", true, 2, NULL, {
		O(F_PA, 5000, 9000, 100, NEW, ESTABLISHED, .cls = TO(UNACK)),
		R(F_A, 9000, 5100, 0, EST, ESTABLISHED, .cls = TO(UNACK)),
		O(F_A, 5100, 9000, 0, EST, ESTABLISHED,
		  .cls = TO(ESTABLISHED)) } },
	{ "loose_pickup_window_is_liberal", true, 0, NULL, {
		O(F_A, 5000, 9000, 0, NEW, ESTABLISHED),
		O(F_PA, 5000 + 10000000, 9000, 100, EST, ESTABLISHED) } },
	{ "loose_fin_without_connection_is_invalid", true, 0, NULL, {
		O(F_FA, 5000, 9000, 0, INV, NONE) } },
	{ "loose_rst_without_connection_is_invalid", true, 0, NULL, {
		O(F_RA, 5000, 9000, 0, INV, NONE) } },
	{ "loose_synack_without_connection_is_invalid", true, 0, NULL, {
		O(F_SA, 5000, 9000, 0, INV, NONE) } },
	{ "loose_syn_is_syn_sent", true, 0, NULL, {
		O(F_SYN, C, 0, 0, NEW, SYN_SENT) } },
	{ "loose_rst_before_reply_then_syn_reopens", true, 0, NULL, {
		O(F_A, 5000, 9000, 0, NEW, ESTABLISHED),
		R(F_R, 9000, 0, 0, EST, CLOSE, .win = WIN0, .cls = TO(CLOSE)),
		O(F_SYN, 6000, 0, 0, AGAIN, CLOSE) } },

	/* Timeouts. */
	{ "three_duplicate_acks_use_retrans_timeout", false, 2, HS, {
		R(F_A, S + 1, C + 1, 0, EST, ESTABLISHED, .cls = TO(ESTABLISHED)),
		R(F_A, S + 1, C + 1, 0, EST, ESTABLISHED, .cls = TO(ESTABLISHED)),
		R(F_A, S + 1, C + 1, 0, EST, ESTABLISHED, .cls = TO(ESTABLISHED)),
		R(F_A, S + 1, C + 1, 0, EST, ESTABLISHED, .cls = TO(RETRANS)),
		O(F_A, C + 1, S + 1, 0, EST, ESTABLISHED,
		  .cls = TO(ESTABLISHED)) } },
	{ "retransmitted_data_uses_retrans_timeout", false, 2, HS, {
		O(F_PA, C + 1, S + 1, 100, EST, ESTABLISHED, .cls = TO(UNACK)),
		O(F_PA, C + 1, S + 1, 100, EST, ESTABLISHED, .cls = TO(UNACK)),
		O(F_PA, C + 1, S + 1, 100, EST, ESTABLISHED, .cls = TO(UNACK)),
		O(F_PA, C + 1, S + 1, 100, EST, ESTABLISHED,
		  .cls = TO(RETRANS)) } },
	{ "window_updates_are_not_retransmissions", false, 2, HS, {
		R(F_A, S + 1, C + 1, 0, EST, ESTABLISHED, .win = W + 100),
		R(F_A, S + 1, C + 1, 0, EST, ESTABLISHED, .win = W + 200),
		R(F_A, S + 1, C + 1, 0, EST, ESTABLISHED, .win = W + 300),
		R(F_A, S + 1, C + 1, 0, EST, ESTABLISHED, .win = W + 400,
		  .cls = TO(ESTABLISHED)),
		R(F_A, S + 1, C + 1, 0, EST, ESTABLISHED, .win = W + 400),
		R(F_A, S + 1, C + 1, 0, EST, ESTABLISHED, .win = W + 400),
		R(F_A, S + 1, C + 1, 0, EST, ESTABLISHED, .win = W + 400,
		  .cls = TO(RETRANS)) } },
	{ "zero_window_uses_retrans_timeout", false, 2, HS, {
		R(F_A, S + 1, C + 1, 0, EST, ESTABLISHED, .win = WIN0,
		  .cls = TO(RETRANS)) } },
	{ "out_of_window_fin_and_rst_shorten_timeout", false, 2, HS, {
		O(F_FA, C + 1 + 1000000, S + 1, 0, INV, ESTABLISHED,
		  .keep = true),
		R(F_R, S + 1 + 1000000, 0, 0, INV, ESTABLISHED, .win = WIN0,
		  .cls = TO(UNACK)) } },
};

static void scenario_desc(const struct scenario *sc, char *desc)
{
	strscpy(desc, sc->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(scenario, scenarios, scenario_desc);

struct seg {
	struct tcphdr th;
	u8 opt[40];
};

static const struct tcphdr *build_seg(struct seg *s, const struct step *st)
{
	unsigned int n = 0;
	__be32 edge;
	u8 *o = s->opt;

	memset(s, 0, sizeof(*s));
	s->th.source = htons(40000);
	s->th.dest = htons(80);
	s->th.seq = htonl(st->seq);
	s->th.ack_seq = htonl(st->ack);
	tcp_flag_byte(&s->th) = st->flags & 0xff;
	s->th.window = htons(st->win == WIN0 ? 0 : st->win ? st->win : W);
	if (st->ws) {
		o[n++] = TCPOPT_NOP;
		o[n++] = TCPOPT_WINDOW;
		o[n++] = TCPOLEN_WINDOW;
		o[n++] = st->ws - 1;
	}
	if (st->sackperm) {
		o[n++] = TCPOPT_NOP;
		o[n++] = TCPOPT_NOP;
		o[n++] = TCPOPT_SACK_PERM;
		o[n++] = TCPOLEN_SACK_PERM;
	}
	if (st->sack) {
		o[n++] = TCPOPT_NOP;
		o[n++] = TCPOPT_NOP;
		o[n++] = TCPOPT_SACK;
		o[n++] = TCPOLEN_SACK_BASE + TCPOLEN_SACK_PERBLOCK;
		edge = htonl(st->sack - 50);
		memcpy(o + n, &edge, 4);
		edge = htonl(st->sack);
		memcpy(o + n + 4, &edge, 4);
		n += 8;
	}
	s->th.doff = (sizeof(s->th) + ALIGN(n, 4)) / 4;
	return &s->th;
}

static struct ct_conn *new_conn(struct kunit *test)
{
	struct ct_conn *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	spin_lock_init(&c->lock);
	return c;
}

/* Feeds @st as step @i to @c; returns false when the script must stop. */
static bool run_step(struct kunit *test, struct ct_conn *c, bool loose,
		     unsigned int i, const struct step *st)
{
	const u32 *to = test_timeouts;
	u32 now = T0 + i * HZ, expires = c->expires;
	struct ct_tcp_dir before[2];
	struct seg seg;
	const struct tcphdr *th = build_seg(&seg, st);
	int ret;

	memcpy(before, c->tcp.dir, sizeof(before));
	if (i == 0) {
		KUNIT_EXPECT_EQ_MSG(test, ct_tcp_new(NULL, th, st->len, to,
						     loose, now), st->ret,
				    "step 0 judged without a connection");
		ret = ct_tcp_new(c, th, st->len, to, loose, now);
	} else {
		ret = ct_tcp_packet(c, st->dir, th, st->len, to, now);
	}
	KUNIT_EXPECT_EQ_MSG(test, ret, st->ret, "verdict of step %u", i);
	if (i == 0 && st->ret == INV)
		return false;
	KUNIT_EXPECT_EQ_MSG(test, c->state, st->state, "state after step %u",
			    i);
	if (st->cls) {
		KUNIT_EXPECT_EQ_MSG(test, c->timeout_class, st->cls - 1,
				    "timeout after step %u", i);
		KUNIT_EXPECT_EQ_MSG(test, c->expires,
				    now + to[st->cls - 1] * HZ,
				    "expiry after step %u", i);
	}
	if (st->keep || ((ret == INV || ret == AGAIN) && !st->cls))
		KUNIT_EXPECT_EQ_MSG(test, c->expires, expires,
				    "expiry moved at step %u", i);
	if (ret == INV || ret == AGAIN)
		KUNIT_EXPECT_MEMEQ_MSG(test, c->tcp.dir, before, sizeof(before),
				       "window data changed at step %u", i);
	return true;
}

static void scenario_runs_as_scripted(struct kunit *test)
{
	const struct scenario *sc = test->param_value;
	const struct step *from = sc->from;
	struct ct_conn *c = new_conn(test);
	unsigned int i, n = 0;

	while (from && from[n].flags & STEP)
		n++;
	for (i = 0; i < n + MAX_STEPS; i++) {
		const struct step *st = i < n ? &from[i] : &sc->steps[i - n];
		bool assured, want = sc->assured_at && i >= sc->assured_at;

		if (!(st->flags & STEP))
			break;
		if (!run_step(test, c, sc->loose, i, st))
			break;
		assured = test_bit(CTRACK_S_ASSURED, &c->status);
		KUNIT_EXPECT_EQ_MSG(test, assured, want,
				    "ASSURED after step %u", i);
	}
}

/* Flag combinations: as first packet (strict, loose) and mid-connection. */
struct flags_case {
	const char *name;
	u8 flags;
	int strict;	/* ct_tcp_new, tcp_loose=0 */
	int loose;	/* ct_tcp_new, tcp_loose=1 */
	int est;	/* ct_tcp_packet on an established connection */
};

static const struct flags_case flags_cases[] = {
	{ "syn", TCPHDR_SYN, NEW, NEW, EST },
	{ "syn_ece_cwr", TCPHDR_SYN | TCPHDR_ECE | TCPHDR_CWR, NEW, NEW, EST },
	{ "syn_urg_psh", TCPHDR_SYN | TCPHDR_URG | TCPHDR_PSH, NEW, NEW, EST },
	{ "syn_ack", F_SA, INV, INV, INV },
	{ "ack", F_A, INV, NEW, EST },
	{ "psh_ack", F_PA, INV, NEW, EST },
	{ "urg_ack", TCPHDR_URG | TCPHDR_ACK, INV, NEW, EST },
	{ "fin_ack", F_FA, INV, INV, EST },
	{ "fin_psh_urg_ack", F_FA | TCPHDR_PSH | TCPHDR_URG, INV, INV, EST },
	{ "rst", F_R, INV, INV, EST },
	{ "rst_ack", F_RA, INV, INV, EST },
	{ "none", 0, INV, INV, INV },
	{ "syn_fin", TCPHDR_SYN | TCPHDR_FIN, INV, INV, INV },
	{ "syn_rst", TCPHDR_SYN | TCPHDR_RST, INV, INV, INV },
	{ "syn_fin_ack", TCPHDR_SYN | F_FA, INV, INV, INV },
	{ "syn_rst_ack", TCPHDR_SYN | F_RA, INV, INV, INV },
	{ "fin_without_ack", TCPHDR_FIN, INV, INV, INV },
	{ "fin_psh_urg_xmas", TCPHDR_FIN | TCPHDR_PSH | TCPHDR_URG,
	  INV, INV, INV },
	{ "fin_rst_ack", TCPHDR_FIN | F_RA, INV, INV, INV },
	{ "rst_urg", TCPHDR_RST | TCPHDR_URG, INV, INV, INV },
	{ "psh_only", TCPHDR_PSH, INV, INV, INV },
	{ "urg_only", TCPHDR_URG, INV, INV, INV },
	{ "all_flags", 0xff, INV, INV, INV },
};

static void flags_desc(const struct flags_case *fc, char *desc)
{
	strscpy(desc, fc->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(flags, flags_cases, flags_desc);

/* Brings @c through handshake[]. */
static void establish(struct kunit *test, struct ct_conn *c)
{
	unsigned int i;

	for (i = 0; handshake[i].flags & STEP; i++)
		run_step(test, c, false, i, &handshake[i]);
	KUNIT_ASSERT_EQ(test, c->state, CTRACK_TCP_ESTABLISHED);
}

static void flag_combination_judged(struct kunit *test)
{
	const struct flags_case *fc = test->param_value;
	struct ct_conn *c = new_conn(test);
	struct step st = { .seq = C + 1, .ack = S + 1 };
	struct seg seg;
	const struct tcphdr *th;
	u8 state;

	st.flags = fc->flags;
	th = build_seg(&seg, &st);
	KUNIT_EXPECT_EQ(test, ct_tcp_new(NULL, th, 0, test_timeouts, false, 0),
			fc->strict);
	KUNIT_EXPECT_EQ(test, ct_tcp_new(NULL, th, 0, test_timeouts, true, 0),
			fc->loose);

	establish(test, c);
	th = build_seg(&seg, &st);
	state = c->state;
	KUNIT_EXPECT_EQ(test, ct_tcp_packet(c, CT_DIR_ORIGINAL, th, 0,
					    test_timeouts, T0 + 10 * HZ),
			fc->est);
	if (fc->est == INV)
		KUNIT_EXPECT_EQ(test, c->state, state);
}

static void short_data_offset_is_invalid(struct kunit *test)
{
	struct ct_conn *c = new_conn(test);
	struct step st = { .flags = F_SYN, .seq = C };
	struct seg seg;
	struct tcphdr *th = (struct tcphdr *)build_seg(&seg, &st);

	th->doff = 4;
	KUNIT_EXPECT_EQ(test, ct_tcp_new(c, th, 0, test_timeouts, true, 0), INV);
	establish(test, c);
	st.flags = F_A;
	st.seq = C + 1;
	st.ack = S + 1;
	th = (struct tcphdr *)build_seg(&seg, &st);
	th->doff = 2;
	KUNIT_EXPECT_EQ(test, ct_tcp_packet(c, CT_DIR_ORIGINAL, th, 0,
					    test_timeouts, T0), INV);
}

static void malformed_options_end_the_walk(struct kunit *test)
{
	static const struct {
		u8 opt[8];
		u8 scale;	/* as recorded; 0x0f: no window scale */
	} cases[] = {
		{ { TCPOPT_WINDOW, 3, 7 }, 7 },			/* well formed */
		{ { TCPOPT_WINDOW, 3, 200 }, 14 },		/* clamped */
		{ { TCPOPT_WINDOW, 0, 7 }, 0x0f },		/* length 0 */
		{ { TCPOPT_WINDOW, 40, 7 }, 0x0f },		/* overruns */
		{ { TCPOPT_NOP, TCPOPT_NOP, TCPOPT_NOP, TCPOPT_NOP,
		    TCPOPT_NOP, TCPOPT_NOP, TCPOPT_NOP, TCPOPT_WINDOW },
		  0x0f },					/* cut off */
		{ { TCPOPT_EOL, TCPOPT_WINDOW, 3, 7 }, 0x0f },	/* after EOL */
		{ { TCPOPT_SACK, 9, TCPOPT_WINDOW, 3, 7 }, 0x0f }, /* bad len */
		{ { TCPOPT_MSS, 4, 5, 0xb4, TCPOPT_WINDOW, 3, 9 }, 9 },
	};
	struct step st = { .flags = F_SYN, .seq = C };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ct_conn *c = new_conn(test);
		struct seg seg;
		struct tcphdr *th = (struct tcphdr *)build_seg(&seg, &st);

		memcpy(seg.opt, cases[i].opt, sizeof(cases[i].opt));
		th->doff = (sizeof(*th) + sizeof(cases[i].opt)) / 4;
		KUNIT_EXPECT_EQ_MSG(test, ct_tcp_new(c, th, 0, test_timeouts,
						     false, 0), NEW, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, c->tcp.dflags[CT_DIR_ORIGINAL] & 0x0f,
				    cases[i].scale, "case %u", i);
	}
}

/* ICMP errors: is the quoted seq one the receiver would take? */
enum { AFTER_SYN, AFTER_HANDSHAKE, AFTER_PICKUP };

struct seq_case {
	const char *name;
	u8 setup;
	u8 dir;
	u32 seq;
	bool ok;
};

static const struct seq_case seq_cases[] = {
	{ "syn_itself", AFTER_SYN, CT_DIR_ORIGINAL, C, true },
	{ "past_the_syn", AFTER_SYN, CT_DIR_ORIGINAL, C + 2, false },
	{ "reply_before_any_reply", AFTER_SYN, CT_DIR_REPLY, S, false },
	{ "orig_next", AFTER_HANDSHAKE, CT_DIR_ORIGINAL, C + 1, true },
	{ "orig_window_edge", AFTER_HANDSHAKE, CT_DIR_ORIGINAL, C + 1 + W,
	  true },
	{ "orig_beyond_window", AFTER_HANDSHAKE, CT_DIR_ORIGINAL, C + 2 + W,
	  false },
	{ "orig_oldest_retransmit", AFTER_HANDSHAKE, CT_DIR_ORIGINAL,
	  C + 1 - W, true },
	{ "orig_too_old", AFTER_HANDSHAKE, CT_DIR_ORIGINAL, C - W, false },
	{ "reply_next", AFTER_HANDSHAKE, CT_DIR_REPLY, S + 1, true },
	{ "reply_window_edge_across_wrap", AFTER_HANDSHAKE, CT_DIR_REPLY,
	  S + 1 + W, true },
	{ "reply_beyond_window", AFTER_HANDSHAKE, CT_DIR_REPLY, S + 2 + W,
	  false },
	{ "reply_too_old", AFTER_HANDSHAKE, CT_DIR_REPLY, S - W, false },
	{ "opposite_half_of_seq_space", AFTER_HANDSHAKE, CT_DIR_ORIGINAL,
	  C + 0x80000000u, false },
	{ "pickup_is_liberal", AFTER_PICKUP, CT_DIR_ORIGINAL, 123, true },
	{ "pickup_unseen_reply", AFTER_PICKUP, CT_DIR_REPLY, 9000, false },
};

static void seq_desc(const struct seq_case *sc, char *desc)
{
	strscpy(desc, sc->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(seq, seq_cases, seq_desc);

static void icmp_quoted_seq_checked_against_window(struct kunit *test)
{
	const struct seq_case *sc = test->param_value;
	struct ct_conn *c = new_conn(test);
	static const struct step syn = O(F_SYN, C, 0, 0, NEW, SYN_SENT);
	static const struct step ack = O(F_A, 5000, 9000, 0, NEW, ESTABLISHED);

	switch (sc->setup) {
	case AFTER_SYN:
		run_step(test, c, false, 0, &syn);
		break;
	case AFTER_HANDSHAKE:
		establish(test, c);
		break;
	case AFTER_PICKUP:
		run_step(test, c, true, 0, &ack);
		break;
	}
	KUNIT_EXPECT_EQ(test, ct_tcp_seq_in_window(c, sc->dir, sc->seq),
			sc->ok);
}

/* Timeouts are the namespace's: a changed table applies at once. */
static void timeouts_come_from_the_table(struct kunit *test)
{
	struct ct_conn *c = new_conn(test);
	u32 to[__CTRACK_TO_MAX];
	struct step st = { .flags = F_A, .seq = C + 1, .ack = S + 1 };
	struct seg seg;

	establish(test, c);
	memcpy(to, test_timeouts, sizeof(to));
	to[CTRACK_TO_TCP_ESTABLISHED] = 3600;
	KUNIT_EXPECT_EQ(test, ct_tcp_packet(c, CT_DIR_ORIGINAL,
					    build_seg(&seg, &st), 0, to, 5000),
			EST);
	KUNIT_EXPECT_EQ(test, c->expires, 5000 + 3600 * HZ);
	KUNIT_EXPECT_EQ(test, c->timeout_class, CTRACK_TO_TCP_ESTABLISHED);
	/* A shorter state timeout wins over the UNACK one. */
	to[CTRACK_TO_TCP_ESTABLISHED] = 20;
	st.flags = F_PA;
	KUNIT_EXPECT_EQ(test, ct_tcp_packet(c, CT_DIR_ORIGINAL,
					    build_seg(&seg, &st), 10, to, 6000),
			EST);
	KUNIT_EXPECT_EQ(test, c->expires, 6000 + 20 * HZ);
	KUNIT_EXPECT_EQ(test, c->timeout_class, CTRACK_TO_TCP_ESTABLISHED);
}

/*
 * Random segments, near the tracked windows or anywhere, with random
 * options: the verdict is one of the three, the state stays a state, and
 * a rejected segment changes neither the state nor the windows.
 */
static void random_segments_keep_invariants(struct kunit *test)
{
	static const u8 flag_pool[] = {
		F_SYN, F_SA, F_A, F_PA, F_FA, F_R, F_RA, TCPHDR_FIN,
		TCPHDR_SYN | TCPHDR_FIN, 0, 0xff,
	};
	struct ct_conn *c = new_conn(test);
	unsigned int i, j, verdicts[3] = {}, seen = 0;
	struct rnd_state rnd;
	u32 now = T0;

	prandom_seed_state(&rnd, 20261122);
	establish(test, c);
	for (i = 0; i < 20000; i++) {
		u32 r = prandom_u32_state(&rnd);
		int dir = r & 1;
		struct ct_tcp_dir before[2];
		struct step st = {};
		struct seg seg;
		struct tcphdr *th;
		u8 state = c->state;
		int ret;

		st.flags = flag_pool[(r >> 1) % ARRAY_SIZE(flag_pool)];
		st.seq = (r & 0x80000) ? prandom_u32_state(&rnd) :
			 c->tcp.dir[dir].td_end + (s16)(r >> 16);
		st.ack = (r & 0x40000) ? prandom_u32_state(&rnd) :
			 c->tcp.dir[!dir].td_end - (r >> 24);
		st.len = (r & 0x20000) ? prandom_u32_state(&rnd) % 3000 : 0;
		st.win = (r & 0x10000) ? WIN0 : (r >> 8) & 0xffff;
		th = (struct tcphdr *)build_seg(&seg, &st);
		if (r & 0x8000) {
			for (j = 0; j < sizeof(seg.opt); j++)
				seg.opt[j] = prandom_u32_state(&rnd) % 9;
			th->doff = 5 + prandom_u32_state(&rnd) % 11;
		}
		memcpy(before, c->tcp.dir, sizeof(before));
		now += HZ / 10;
		ret = ct_tcp_packet(c, dir, th, st.len, test_timeouts, now);
		KUNIT_ASSERT_TRUE_MSG(test, ret == INV || ret == EST ||
				      ret == AGAIN, "segment %u: %d", i, ret);
		KUNIT_ASSERT_LT(test, c->state, __CTRACK_TCP_MAX);
		verdicts[ret == AGAIN ? 2 : ret == EST]++;
		seen |= BIT(c->state);
		if (ret != EST) {
			KUNIT_ASSERT_EQ_MSG(test, c->state, state, "segment %u",
					    i);
			KUNIT_ASSERT_MEMEQ_MSG(test, c->tcp.dir, before,
					       sizeof(before), "segment %u", i);
		}
		/* Start over now and then, and when the caller would. */
		if (ret == AGAIN || (c->state >= CTRACK_TCP_TIME_WAIT &&
				     !(r & 0x7000))) {
			memset(c, 0, sizeof(*c));
			spin_lock_init(&c->lock);
			if (r & 0x800)
				establish(test, c);
			else
				run_step(test, c, false, 0, &handshake[0]);
		}
	}
	kunit_info(test, "invalid %u, accepted %u, reopened %u, states %#x\n",
		   verdicts[0], verdicts[1], verdicts[2], seen);
	/* Not only rejects: most states were reached. */
	KUNIT_EXPECT_GE(test, hweight32(seen), 7);
	KUNIT_EXPECT_GT(test, verdicts[1], 1000);
}

static struct kunit_case ctrack_tcp_cases[] = {
	KUNIT_CASE_PARAM(scenario_runs_as_scripted, scenario_gen_params),
	KUNIT_CASE_PARAM(flag_combination_judged, flags_gen_params),
	KUNIT_CASE_PARAM(icmp_quoted_seq_checked_against_window,
			 seq_gen_params),
	KUNIT_CASE(short_data_offset_is_invalid),
	KUNIT_CASE(malformed_options_end_the_walk),
	KUNIT_CASE(timeouts_come_from_the_table),
	KUNIT_CASE(random_segments_keep_invariants),
	{}
};

static struct kunit_suite ctrack_tcp_suite = {
	.name = "ctrack_tcp",
	.test_cases = ctrack_tcp_cases,
};

kunit_test_suites(&ctrack_tcp_suite);
