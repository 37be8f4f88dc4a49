// SPDX-License-Identifier: GPL-2.0
/*
 * TCP tracking: the state machine and the window tracking of nf_conntrack
 * (Guido van Rooij's "Real Stateful TCP Packet Filtering"), with strict
 * pickup by default as pf does. The semantics follow nf_conntrack_proto_tcp
 * so that ctrack and Linux classify the same traffic alike; the storage is
 * smaller (struct ct_tcp is 40 bytes), see conn.h.
 */
#include <linux/bits.h>
#include <linux/jiffies.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/tcp.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <net/tcp.h>
#include "conn.h"
#include "proto.h"

static_assert(sizeof(struct ct_tcp) <= 40);

/* dflags[dir]: the window scale in the low nibble, flags above it. */
#define CT_TCP_SCALE		0x0f
#define CT_TCP_NO_WSCALE	0x0f	/* the SYN had no window scale option */
#define CT_TCP_F_SACKPERM	0x10	/* this side accepts SACK blocks */
#define CT_TCP_F_CLOSE_INIT	0x20	/* this side closed first (FIN, or RST
					 * before any reply): a new SYN reopens
					 */
#define CT_TCP_F_UNACKED	0x40	/* this side has unacknowledged data */
#define CT_TCP_F_MAXACK		0x80	/* td_maxack is valid */

/* After this many identical segments in a row, use the RETRANS timeout. */
#define CT_TCP_MAX_RETRANS	3

/* Lower bound of acceptable acks, as nf_conntrack's MAXACKWINDOW. */
#define CT_TCP_MIN_ACKWIN	66000

/* What kind of segment, as far as the state machine cares. */
enum {
	PKT_SYN,
	PKT_SYNACK,
	PKT_FIN,
	PKT_ACK,
	PKT_RST,
	PKT_NONE,
	__PKT_MAX
};

/* Next-state values beyond the real states. */
#define S_INV	__CTRACK_TCP_MAX	/* impossible here: INVALID */
#define S_IGN	(__CTRACK_TCP_MAX + 1)	/* let it pass, change nothing */

#define T_NO CTRACK_TCP_NONE
#define T_SS CTRACK_TCP_SYN_SENT
#define T_SR CTRACK_TCP_SYN_RECV
#define T_ES CTRACK_TCP_ESTABLISHED
#define T_FW CTRACK_TCP_FIN_WAIT
#define T_CW CTRACK_TCP_CLOSE_WAIT
#define T_LA CTRACK_TCP_LAST_ACK
#define T_TW CTRACK_TCP_TIME_WAIT
#define T_CL CTRACK_TCP_CLOSE
#define T_S2 CTRACK_TCP_SYN_SENT2
#define T_IV S_INV
#define T_IG S_IGN

/*
 * next_state[direction][current state][segment]. We sit in the middle and
 * guess what the endpoints think; a segment that may be valid for them
 * although it is not for us (a SYN on an established connection, a late
 * SYN/ACK) is ignored rather than rejected, so that the endpoints can
 * settle it (RST, or a SYN/ACK we resynchronise on).
 */
static const u8 next_state[2][__CTRACK_TCP_MAX][__PKT_MAX] = {
	[CT_DIR_ORIGINAL] = {
		/*	  SYN  SYN/ACK FIN  ACK  RST  none */
		[T_NO] = { T_SS, T_IV,   T_IV, T_ES, T_IV, T_IV },
		[T_SS] = { T_SS, T_IV,   T_IV, T_IV, T_CL, T_IV }, /* SYN resent */
		[T_SR] = { T_IG, T_SR,   T_FW, T_ES, T_CL, T_IV },
		[T_ES] = { T_IG, T_IV,   T_FW, T_ES, T_CL, T_IV },
		[T_FW] = { T_IG, T_IV,   T_LA, T_CW, T_CL, T_IV },
		[T_CW] = { T_IG, T_IV,   T_LA, T_CW, T_CL, T_IV },
		[T_LA] = { T_IG, T_IV,   T_LA, T_TW, T_CL, T_IV },
		[T_TW] = { T_SS, T_IV,   T_TW, T_TW, T_CL, T_IV }, /* SYN reopens */
		[T_CL] = { T_SS, T_IV,   T_CL, T_CL, T_CL, T_IV },
		[T_S2] = { T_S2, T_SR,   T_IV, T_IV, T_CL, T_IV },
	},
	[CT_DIR_REPLY] = {
		/*	  SYN  SYN/ACK FIN  ACK  RST  none */
		[T_NO] = { T_IV, T_IV,   T_IV, T_IV, T_IV, T_IV },
		[T_SS] = { T_S2, T_SR,   T_IV, T_IG, T_CL, T_IV }, /* SYN: simultaneous */
		[T_SR] = { T_IV, T_IG,   T_FW, T_SR, T_CL, T_IV },
		[T_ES] = { T_IV, T_IG,   T_FW, T_ES, T_CL, T_IV },
		[T_FW] = { T_IV, T_IG,   T_LA, T_CW, T_CL, T_IV },
		[T_CW] = { T_IV, T_IG,   T_LA, T_CW, T_CL, T_IV },
		[T_LA] = { T_IV, T_IG,   T_LA, T_TW, T_CL, T_IV },
		[T_TW] = { T_SS, T_IG,   T_TW, T_TW, T_CL, T_IV }, /* roles swapped */
		[T_CL] = { T_IV, T_IG,   T_CL, T_CL, T_CL, T_IV },
		[T_S2] = { T_S2, T_SR,   T_IV, T_IG, T_CL, T_IV },
	},
};

/*
 * The flag combinations a TCP stack sends, over FIN, SYN, RST, ACK and URG
 * (PSH, ECE and CWR go with anything); bit n stands for flag byte n.
 */
#define F(x) BIT_ULL(x)
static const u64 valid_flags =
	F(TCPHDR_SYN) | F(TCPHDR_SYN | TCPHDR_URG) | F(TCPHDR_SYN | TCPHDR_ACK) |
	F(TCPHDR_RST) | F(TCPHDR_RST | TCPHDR_ACK) |
	F(TCPHDR_FIN | TCPHDR_ACK) | F(TCPHDR_FIN | TCPHDR_ACK | TCPHDR_URG) |
	F(TCPHDR_ACK) | F(TCPHDR_ACK | TCPHDR_URG);
#undef F

static bool header_valid(const struct tcphdr *th)
{
	u8 flags = tcp_flag_byte(th) &
		   (TCPHDR_FIN | TCPHDR_SYN | TCPHDR_RST | TCPHDR_ACK | TCPHDR_URG);

	return th->doff >= sizeof(*th) / 4 && (valid_flags & BIT_ULL(flags));
}

static unsigned int segment_kind(const struct tcphdr *th)
{
	if (th->rst)
		return PKT_RST;
	if (th->syn)
		return th->ack ? PKT_SYNACK : PKT_SYN;
	if (th->fin)
		return PKT_FIN;
	return th->ack ? PKT_ACK : PKT_NONE;
}

static u32 segment_end(const struct tcphdr *th, unsigned int len)
{
	return ntohl(th->seq) + len + th->syn + th->fin;
}

static unsigned int state_timeout(unsigned int state)
{
	return CTRACK_TO_TCP_SYN_SENT + state - CTRACK_TCP_SYN_SENT;
}

/*
 * The next option of a TCP header in [*p, end), its length in *olen; NULL
 * at the end. A malformed list ends the walk: what was read until then
 * counts, as in the TCP stack.
 */
static const u8 *tcp_opt_next(const u8 **p, const u8 *end, u8 *olen)
{
	const u8 *opt;

	while (*p < end && **p == TCPOPT_NOP)
		(*p)++;
	if (end - *p < 2 || **p == TCPOPT_EOL)
		return NULL;
	opt = *p;
	*olen = opt[1];
	if (*olen < 2 || *olen > end - opt)
		return NULL;
	*p += *olen;
	return opt;
}

/* Window scale and SACK permission of @th (doff * 4 contiguous bytes). */
static void parse_options(const struct tcphdr *th, u8 *wscale, bool *sackperm)
{
	const u8 *p = (const u8 *)(th + 1);
	const u8 *end = (const u8 *)th + th->doff * 4;
	const u8 *opt;
	u8 olen;

	*wscale = CT_TCP_NO_WSCALE;
	*sackperm = false;
	while ((opt = tcp_opt_next(&p, end, &olen))) {
		if (opt[0] == TCPOPT_WINDOW && olen == TCPOLEN_WINDOW)
			*wscale = min_t(u8, opt[2], TCP_MAX_WSCALE);
		else if (opt[0] == TCPOPT_SACK_PERM && olen == TCPOLEN_SACK_PERM)
			*sackperm = true;
	}
}

/* The highest right edge of the SACK blocks in @th, or @ack. */
static u32 sack_edge(const struct tcphdr *th, u32 ack)
{
	const u8 *p = (const u8 *)(th + 1);
	const u8 *end = (const u8 *)th + th->doff * 4;
	const u8 *opt;
	unsigned int i;
	u8 olen;

	while ((opt = tcp_opt_next(&p, end, &olen))) {
		if (opt[0] != TCPOPT_SACK ||
		    olen < TCPOLEN_SACK_BASE + TCPOLEN_SACK_PERBLOCK ||
		    (olen - TCPOLEN_SACK_BASE) % TCPOLEN_SACK_PERBLOCK)
			continue;
		for (i = TCPOLEN_SACK_BASE; i < olen; i += TCPOLEN_SACK_PERBLOCK) {
			u32 right = get_unaligned_be32(opt + i + 4);

			if (after(right, ack))
				ack = right;
		}
		break;
	}
	return ack;
}

static unsigned int dir_scale(const struct ct_tcp *t, int dir)
{
	unsigned int s = t->dflags[dir] & CT_TCP_SCALE;

	return s == CT_TCP_NO_WSCALE ? 0 : s;
}

/* A SYN or SYN/ACK (re)starts what this direction may send. */
static void init_sender(struct ct_tcp *t, int dir, const struct tcphdr *th,
			u32 end, u32 win)
{
	struct ct_tcp_dir *snd = &t->dir[dir];
	bool sackperm;
	u8 wscale;

	snd->td_end = end;
	snd->td_maxend = end;
	snd->td_maxwin = max(win, 1U);
	snd->td_maxack = 0;
	parse_options(th, &wscale, &sackperm);
	t->dflags[dir] = wscale | (sackperm ? CT_TCP_F_SACKPERM : 0);

	/* RFC 7323: scaling applies only when both SYNs offered it. */
	if (dir == CT_DIR_REPLY &&
	    ((t->dflags[CT_DIR_ORIGINAL] & CT_TCP_SCALE) == CT_TCP_NO_WSCALE ||
	     wscale == CT_TCP_NO_WSCALE)) {
		t->dflags[CT_DIR_ORIGINAL] &= ~CT_TCP_SCALE;
		t->dflags[CT_DIR_REPLY] &= ~CT_TCP_SCALE;
	}
}

/* A direction first seen mid-stream: trust the segment for what it says. */
static void pickup_sender(struct ct_tcp *t, int dir, u32 end, u32 win, u32 sack)
{
	struct ct_tcp_dir *snd = &t->dir[dir], *rcv = &t->dir[!dir];

	snd->td_end = end;
	snd->td_maxwin = max(win << dir_scale(t, dir), 1U);
	snd->td_maxend = end + snd->td_maxwin;
	if (!rcv->td_maxwin) {
		/* The other side is unknown too; let its ack pass. */
		rcv->td_end = sack;
		rcv->td_maxend = sack;
	} else if (sack == rcv->td_end + 1) {
		/* The answer to a keepalive acks one byte more. */
		rcv->td_end++;
	}
}

enum { WIN_OK, WIN_IGNORE, WIN_INVALID };

static int window_verdict(const struct ct_tcp *t, int verdict)
{
	return t->liberal ? WIN_OK : verdict;
}

static u32 max_ack_window(const struct ct_tcp_dir *snd)
{
	return max_t(u32, snd->td_maxwin, CT_TCP_MIN_ACKWIN);
}

/*
 * The window check: with the sender's seq..end and (s)ack against what
 * each side announced,
 *   seq <= sender td_maxend			else INVALID (or ignored when
 *						  it overshoots by little)
 *   sack <= receiver td_end			else INVALID (acks unsent data)
 *   end >= sender td_end - receiver td_maxwin	else ignored (old data)
 *   sack >= receiver td_end - max ack window	else ignored (old ack)
 * then the bounds move on.
 */
static int in_window(struct ct_conn *c, int dir, unsigned int kind,
		     const struct tcphdr *th, unsigned int len)
{
	struct ct_tcp *t = &c->tcp;
	struct ct_tcp_dir *snd = &t->dir[dir], *rcv = &t->dir[!dir];
	u32 seq = ntohl(th->seq), ack = ntohl(th->ack_seq);
	u32 win = ntohs(th->window), end = segment_end(th, len);
	u32 sack, swin;
	bool resent;

	lockdep_assert_held(&c->lock);

	sack = ack;
	if (t->dflags[!dir] & CT_TCP_F_SACKPERM)
		sack = sack_edge(th, ack);

	if (!snd->td_maxwin) {
		if (th->syn) {
			init_sender(t, dir, th, end, win);
			if (!th->ack)	/* simultaneous open */
				return WIN_OK;
		} else {
			pickup_sender(t, dir, end, win, sack);
		}
	} else if (th->syn && after(end, snd->td_end) &&
		   (c->state == CTRACK_TCP_SYN_SENT ||
		    c->state == CTRACK_TCP_SYN_RECV)) {
		/* A reinitialised endpoint starts over with a higher ISN. */
		init_sender(t, dir, th, end, win);
		if (dir == CT_DIR_REPLY && !th->ack)
			return WIN_OK;
	}

	/* No ack, or a zero ack on a RST (broken stacks): nothing to check. */
	if (!th->ack || (th->rst && !ack)) {
		ack = rcv->td_end;
		sack = ack;
	}
	/* A RST answering a SYN may carry seq 0. */
	if (th->rst && !seq && c->state == CTRACK_TCP_SYN_SENT) {
		seq = snd->td_end;
		end = seq;
	}

	if (after(seq, snd->td_maxend)) {
		u32 over = end - snd->td_maxend + 1;

		/*
		 * Some stacks send a little more than the window: let that
		 * pass without believing it, but note the data so that the
		 * ack for it is not over the bound.
		 */
		if (rcv->td_maxwin && over <= rcv->td_maxwin &&
		    after(end, snd->td_end - rcv->td_maxwin - 1) &&
		    after(sack, rcv->td_end - max_ack_window(snd) - 1) &&
		    !after(sack, rcv->td_end)) {
			snd->td_end = end;
			t->dflags[dir] |= CT_TCP_F_UNACKED;
			return window_verdict(t, WIN_IGNORE);
		}
		return window_verdict(t, WIN_INVALID);
	}
	if (after(sack, rcv->td_end))
		return window_verdict(t, WIN_INVALID);
	if (rcv->td_maxwin && !after(end, snd->td_end - rcv->td_maxwin - 1))
		return window_verdict(t, WIN_IGNORE);
	if (!after(sack, rcv->td_end - max_ack_window(snd) - 1))
		return window_verdict(t, WIN_IGNORE);

	if (!th->syn)
		win <<= dir_scale(t, dir);

	/*
	 * A segment that brings neither new data nor a new ack, the same as
	 * the previous one of this direction, is a retransmission; unless
	 * it moves the window, as a window update does. nf_conntrack keeps
	 * the last raw window to tell; the right edge it advertises, which
	 * the window tracking keeps anyway, tells the same for a window
	 * that never shrinks, and a shrinking one only resets the count.
	 */
	resent = kind == PKT_ACK && t->last_index == PKT_ACK &&
		 t->last_dir == dir && end == t->last_end &&
		 (t->dflags[dir] & CT_TCP_F_MAXACK) && ack == snd->td_maxack &&
		 sack + max(win, 1U) == rcv->td_maxend &&
		 t->last_win0 == !th->window;

	swin = win + (sack - ack);
	if (snd->td_maxwin < swin)
		snd->td_maxwin = swin;
	if (after(end, snd->td_end)) {
		snd->td_end = end;
		t->dflags[dir] |= CT_TCP_F_UNACKED;
	}
	if (th->ack && (!(t->dflags[dir] & CT_TCP_F_MAXACK) ||
			after(ack, snd->td_maxack))) {
		snd->td_maxack = ack;
		t->dflags[dir] |= CT_TCP_F_MAXACK;
	}

	if (rcv->td_maxwin && after(end, snd->td_maxend))
		rcv->td_maxwin += end - snd->td_maxend;
	if (after(sack + win, rcv->td_maxend - 1))
		rcv->td_maxend = sack + max(win, 1U);
	if (ack == rcv->td_end)
		t->dflags[!dir] &= ~CT_TCP_F_UNACKED;

	if (kind == PKT_ACK) {
		if (resent) {
			if (t->retrans < CT_TCP_MAX_RETRANS)
				t->retrans++;
		} else {
			t->last_end = end;
			t->retrans = 0;
		}
		t->last_win0 = !th->window;
	}
	return WIN_OK;
}

/*
 * A SYN/ACK that acknowledges the SYN we ignored: the endpoints agree on a
 * new connection the table missed (it held a stale one). Take over the
 * SYN's data and start again from SYN_SENT.
 */
static bool resync(struct ct_tcp *t, int dir, unsigned int kind,
		   const struct tcphdr *th)
{
	int o = t->last_dir;

	if (kind != PKT_SYNACK || t->last_index != PKT_SYN || o == dir ||
	    ntohl(th->ack_seq) != t->last_end)
		return false;

	t->dir[o].td_end = t->last_end;
	t->dir[o].td_maxend = t->last_end;
	t->dir[o].td_maxwin = 1;	/* its first ACK tells the window */
	t->dir[o].td_maxack = 0;
	t->dflags[o] = t->last_wscale |
		       (t->last_sackperm ? CT_TCP_F_SACKPERM : 0);
	t->challenge = 0;
	memset(&t->dir[dir], 0, sizeof(t->dir[dir]));
	t->dflags[dir] = 0;
	return true;
}

/* Remember an ignored segment, for resync() and for the RST checks. */
static void note_ignored(struct ct_tcp *t, int dir, unsigned int kind,
			 unsigned int old, const struct tcphdr *th,
			 unsigned int len)
{
	t->last_index = kind;
	t->last_dir = dir;
	t->last_end = segment_end(th, len);
	t->last_win0 = !th->window;

	if (kind == PKT_SYN) {
		bool sackperm;
		u8 wscale;

		parse_options(th, &wscale, &sackperm);
		t->last_wscale = wscale;
		t->last_sackperm = sackperm;
		/*
		 * The peer of a connection in LAST_ACK answers a SYN with a
		 * challenge ACK (RFC 5961), which must not count as the last
		 * ACK.
		 */
		t->challenge = old == CTRACK_TCP_LAST_ACK;
	}
	/*
	 * An ACK answering our SYN is a challenge ACK or a half-open peer;
	 * the RST our side sends back carries its ack as seq: keep that.
	 */
	if (old == CTRACK_TCP_SYN_SENT && dir == CT_DIR_REPLY &&
	    kind == PKT_ACK)
		t->last_end = ntohl(th->ack_seq);
}

enum { RST_CHECK_WINDOW, RST_ACCEPT, RST_INVALID };

/*
 * RST validation beyond the window check (RFC 5961): a RST below what the
 * receiver already acknowledged is invalid; on an established connection
 * only one at exactly the acked point closes it, others pass but leave
 * the state alone (the receiver answers them with a challenge ACK). RSTs
 * answering segments we let through unchecked are taken as they come.
 */
static int check_rst(const struct ct_conn *c, int dir, const struct tcphdr *th,
		     unsigned int old, unsigned int *new, bool seen_reply)
{
	const struct ct_tcp *t = &c->tcp;
	const struct ct_tcp_dir *rcv = &t->dir[!dir];
	u32 seq = ntohl(th->seq), ack = ntohl(th->ack_seq);
	bool assured = test_bit(CTRACK_S_ASSURED, &c->status);
	bool est = old == CTRACK_TCP_ESTABLISHED && assured;

	/* Closing anyway: the window data may belong to a reused tuple. */
	if (old >= CTRACK_TCP_FIN_WAIT && old <= CTRACK_TCP_CLOSE)
		return RST_ACCEPT;

	if ((t->dflags[!dir] & CT_TCP_F_MAXACK) && t->last_index != PKT_SYN) {
		/* Most likely the answer to a SYN we let through. */
		if (!seq && !est)
			return RST_CHECK_WINDOW;
		if (before(seq, rcv->td_maxack))
			return RST_INVALID;
		if (!est || seq == rcv->td_maxack)
			return RST_CHECK_WINDOW;
		/* The end of a train: data, then RST right after it. */
		if (t->last_index == PKT_ACK && t->last_dir == dir &&
		    seq == t->last_end)
			return RST_CHECK_WINDOW;
		*new = old;
	}

	if (((seen_reply && t->last_index == PKT_SYN && t->last_dir != dir) ||
	     (!assured && t->last_index == PKT_ACK)) && ack == t->last_end)
		return RST_ACCEPT;
	if (old == CTRACK_TCP_SYN_SENT && t->last_index == PKT_ACK &&
	    t->last_dir == CT_DIR_REPLY && seq == t->last_end)
		return RST_ACCEPT;
	return RST_CHECK_WINDOW;
}

/*
 * An out-of-window FIN or RST from both sides of an assured connection:
 * the endpoints have gone while we were out of sync. Do not keep the
 * entry for days; give it the UNACK timeout.
 */
static void out_of_window_close(struct ct_conn *c, int dir, unsigned int kind,
				const u32 *timeouts, u32 now)
{
	struct ct_tcp *t = &c->tcp;
	u32 unack;
	s32 left;

	if (!test_bit(CTRACK_S_ASSURED, &c->status) ||
	    (kind != PKT_FIN && kind != PKT_RST))
		return;
	if (t->last_dir == dir ||
	    (t->last_index != PKT_FIN && t->last_index != PKT_RST)) {
		t->last_index = kind;
		t->last_dir = dir;
		return;
	}
	unack = ct_timeout_expires(timeouts, CTRACK_TO_TCP_UNACK, now);
	left = (s32)(READ_ONCE(c->expires) - now);
	if (left >= 120 * HZ && left > (s32)(unack - now)) {
		WRITE_ONCE(c->timeout_class, CTRACK_TO_TCP_UNACK);
		WRITE_ONCE(c->expires, unack);
	}
}

static unsigned int pick_timeout(const struct ct_tcp *t, unsigned int kind,
				 unsigned int state, const u32 *timeouts)
{
	unsigned int cls = state_timeout(state);
	u32 secs = ct_timeout(timeouts, cls);

	if (t->retrans >= CT_TCP_MAX_RETRANS &&
	    secs > ct_timeout(timeouts, CTRACK_TO_TCP_RETRANS))
		return CTRACK_TO_TCP_RETRANS;
	/* A RST that did not close: likely a dying connection. */
	if (kind == PKT_RST && state == CTRACK_TCP_ESTABLISHED &&
	    secs > ct_timeout(timeouts, CTRACK_TO_TCP_UNACK))
		return CTRACK_TO_TCP_UNACK;
	if (((t->dflags[0] | t->dflags[1]) & CT_TCP_F_UNACKED) &&
	    secs > ct_timeout(timeouts, CTRACK_TO_TCP_UNACK))
		return CTRACK_TO_TCP_UNACK;
	/* Zero window: the peer is probing. */
	if (t->last_win0 && secs > ct_timeout(timeouts, CTRACK_TO_TCP_RETRANS))
		return CTRACK_TO_TCP_RETRANS;
	return cls;
}

int ct_tcp_new(struct ct_conn *c, const struct tcphdr *th, unsigned int len,
	       const u32 *timeouts, bool loose, u32 now)
{
	unsigned int kind, state, cls;
	struct ct_tcp *t;
	u32 end, win;

	if (!header_valid(th))
		return CTRACK_CTSTATE_INVALID;
	kind = segment_kind(th);
	state = next_state[CT_DIR_ORIGINAL][CTRACK_TCP_NONE][kind];
	if (state == CTRACK_TCP_ESTABLISHED && !loose)
		return CTRACK_CTSTATE_INVALID;
	if (state != CTRACK_TCP_SYN_SENT && state != CTRACK_TCP_ESTABLISHED)
		return CTRACK_CTSTATE_INVALID;
	if (!c)
		return CTRACK_CTSTATE_NEW;

	/* Not in the table yet: nobody else sees @c, no lock needed. */
	t = &c->tcp;
	memset(t, 0, sizeof(*t));
	end = segment_end(th, len);
	win = ntohs(th->window);
	t->dir[CT_DIR_ORIGINAL].td_end = end;
	t->dir[CT_DIR_ORIGINAL].td_maxwin = max(win, 1U);
	t->last_index = kind;
	t->last_dir = CT_DIR_ORIGINAL;
	if (state == CTRACK_TCP_SYN_SENT) {
		bool sackperm;
		u8 wscale;

		t->dir[CT_DIR_ORIGINAL].td_maxend = end;
		parse_options(th, &wscale, &sackperm);
		t->dflags[CT_DIR_ORIGINAL] =
			wscale | (sackperm ? CT_TCP_F_SACKPERM : 0);
		cls = CTRACK_TO_TCP_SYN_SENT;
	} else {
		/*
		 * Mid-stream: the scale factors are unknown, so the windows
		 * cannot be trusted; track liberally, assume SACK.
		 */
		t->dir[CT_DIR_ORIGINAL].td_maxend = end + max(win, 1U);
		t->dflags[CT_DIR_ORIGINAL] = CT_TCP_F_SACKPERM;
		t->dflags[CT_DIR_REPLY] = CT_TCP_F_SACKPERM;
		t->liberal = 1;
		t->last_end = end;
		t->last_win0 = !win;
		/* Unreplied: not the days of ESTABLISHED yet. */
		cls = CTRACK_TO_TCP_UNACK;
		if (ct_timeout(timeouts, CTRACK_TO_TCP_ESTABLISHED) < ct_timeout(timeouts, cls))
			cls = CTRACK_TO_TCP_ESTABLISHED;
	}
	c->state = state;
	c->timeout_class = cls;
	WRITE_ONCE(c->expires, ct_timeout_expires(timeouts, cls, now));
	return CTRACK_CTSTATE_NEW;
}
EXPORT_SYMBOL_IF_KUNIT(ct_tcp_new);

int ct_tcp_packet(struct ct_conn *c, int dir, const struct tcphdr *th,
		  unsigned int len, const u32 *timeouts, u32 now)
{
	struct ct_tcp *t = &c->tcp;
	unsigned int kind, old, new, cls;
	int ret = CTRACK_CTSTATE_ESTABLISHED;
	struct ct_tcp saved;
	bool seen_reply;

	if (!header_valid(th))
		return CTRACK_CTSTATE_INVALID;
	kind = segment_kind(th);
	dir = dir ? CT_DIR_REPLY : CT_DIR_ORIGINAL;

	spin_lock_bh(&c->lock);
	old = c->state;
	if (WARN_ON_ONCE(old >= __CTRACK_TCP_MAX)) {
		ret = CTRACK_CTSTATE_INVALID;
		goto out;
	}
	new = next_state[dir][old][kind];
	/* Tracked by us so that callers may set SEEN_REPLY before or after. */
	seen_reply = t->dir[CT_DIR_REPLY].td_maxwin != 0;

	switch (new) {
	case CTRACK_TCP_SYN_SENT:
		if (old < CTRACK_TCP_TIME_WAIT)
			break;
		/*
		 * RFC 1122 lets a SYN reopen a connection in TIME_WAIT; we
		 * also let one reopen a connection closed by a RST of the
		 * same side. The caller replaces the entry.
		 */
		if (((t->dflags[0] | t->dflags[1]) & CT_TCP_F_CLOSE_INIT) ||
		    (t->last_dir == dir && t->last_index == PKT_RST)) {
			ret = -EAGAIN;
			goto out;
		}
		fallthrough;
	case S_IGN:
		if (resync(t, dir, kind, th)) {
			old = CTRACK_TCP_SYN_SENT;
			new = CTRACK_TCP_SYN_RECV;
			break;
		}
		note_ignored(t, dir, kind, old, th, len);
		goto out;
	case S_INV:
		ret = CTRACK_CTSTATE_INVALID;
		goto out;
	case CTRACK_TCP_TIME_WAIT:
		if (old == CTRACK_TCP_LAST_ACK && kind == PKT_ACK &&
		    t->last_dir != dir && t->last_index == PKT_SYN &&
		    t->challenge) {
			/* The challenge ACK for the SYN we ignored. */
			t->challenge = 0;
			goto out;
		}
		break;
	case CTRACK_TCP_SYN_SENT2:
		t->simopen = 1;
		break;
	case CTRACK_TCP_SYN_RECV:
		/* The table alone cannot tell a simultaneous open's end. */
		if (dir == CT_DIR_REPLY && kind == PKT_ACK && t->simopen)
			new = CTRACK_TCP_ESTABLISHED;
		break;
	case CTRACK_TCP_CLOSE:
		if (kind != PKT_RST)
			break;
		switch (check_rst(c, dir, th, old, &new, seen_reply)) {
		case RST_ACCEPT:
			goto accept;
		case RST_INVALID:
			ret = CTRACK_CTSTATE_INVALID;
			goto out;
		}
		break;
	}

	/* in_window() may set up a direction before it finds the segment bad. */
	saved = *t;
	switch (in_window(c, dir, kind, th, len)) {
	case WIN_IGNORE:
		goto out;
	case WIN_INVALID:
		*t = saved;
		out_of_window_close(c, dir, kind, timeouts, now);
		ret = CTRACK_CTSTATE_INVALID;
		goto out;
	}

accept:
	t->last_index = kind;
	t->last_dir = dir;
	WRITE_ONCE(c->state, new);
	if (old != new && new == CTRACK_TCP_FIN_WAIT)
		t->dflags[dir] |= CT_TCP_F_CLOSE_INIT;

	cls = pick_timeout(t, kind, new, timeouts);
	if (!seen_reply) {
		/*
		 * A RST before any reply ends the attempt (nf_conntrack
		 * deletes the entry): the next SYN starts a new connection.
		 */
		if (th->rst)
			t->dflags[dir] |= CT_TCP_F_CLOSE_INIT;
		/* A resent SYN must not keep a dead attempt alive. */
		if (kind == PKT_SYN && old == CTRACK_TCP_SYN_SENT)
			goto out;
		if (new == CTRACK_TCP_ESTABLISHED &&
		    ct_timeout(timeouts, cls) > ct_timeout(timeouts, CTRACK_TO_TCP_UNACK))
			cls = CTRACK_TO_TCP_UNACK;
	} else if ((old == CTRACK_TCP_SYN_RECV ||
		    old == CTRACK_TCP_ESTABLISHED) &&
		   new == CTRACK_TCP_ESTABLISHED &&
		   !test_bit(CTRACK_S_ASSURED, &c->status)) {
		/* The ACK completing the handshake, or a picked-up
		 * connection's first answered exchange.
		 */
		set_bit(CTRACK_S_ASSURED, &c->status);
	}
	WRITE_ONCE(c->timeout_class, cls);
	WRITE_ONCE(c->expires, ct_timeout_expires(timeouts, cls, now));
out:
	spin_unlock_bh(&c->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ct_tcp_packet);

/*
 * For ICMP errors, as pf: the quoted segment of direction @dir must start
 * where its receiver would take it, between the sender's td_end minus the
 * receiver's largest window and the sender's td_maxend. A direction that
 * sent nothing has no segment an error could quote.
 */
bool ct_tcp_seq_in_window(const struct ct_conn *c, int dir, u32 seq)
{
	const struct ct_tcp *t = &c->tcp;
	const struct ct_tcp_dir *snd, *rcv;
	u32 end, maxend, win;

	dir = dir ? CT_DIR_REPLY : CT_DIR_ORIGINAL;
	snd = &t->dir[dir];
	rcv = &t->dir[!dir];
	if (!READ_ONCE(snd->td_maxwin))
		return false;
	/* Set once in ct_tcp_new(), before the entry is visible. */
	if (data_race(t->liberal != 0))
		return true;
	end = READ_ONCE(snd->td_end);
	maxend = READ_ONCE(snd->td_maxend);
	win = max(READ_ONCE(rcv->td_maxwin), 1U);
	return !before(seq, end - win) && !after(seq, maxend);
}
EXPORT_SYMBOL_IF_KUNIT(ct_tcp_seq_in_window);

void ct_tcp_snapshot(struct ct_conn *c, struct ct_tcp_info *info)
{
	const struct ct_tcp *t = &c->tcp;
	int dir;

	spin_lock_bh(&c->lock);
	info->state = c->state;
	for (dir = CT_DIR_ORIGINAL; dir <= CT_DIR_REPLY; dir++) {
		u8 df = t->dflags[dir], scale = df & CT_TCP_SCALE, f = 0;

		if (t->dir[dir].td_maxwin && scale != CT_TCP_NO_WSCALE)
			f |= IP_CT_TCP_FLAG_WINDOW_SCALE;
		else
			scale = 0;
		if (df & CT_TCP_F_SACKPERM)
			f |= IP_CT_TCP_FLAG_SACK_PERM;
		if (df & CT_TCP_F_CLOSE_INIT)
			f |= IP_CT_TCP_FLAG_CLOSE_INIT;
		if (t->liberal)
			f |= IP_CT_TCP_FLAG_BE_LIBERAL;
		if (df & CT_TCP_F_UNACKED)
			f |= IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED;
		if (df & CT_TCP_F_MAXACK)
			f |= IP_CT_TCP_FLAG_MAXACK_SET;
		info->wscale[dir] = scale;
		info->flags[dir] = f;
	}
	spin_unlock_bh(&c->lock);
}
