// SPDX-License-Identifier: GPL-2.0
/* The only file that talks to the kernel: family lookup, requests, dumps, events. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include "ctrackctl.h"

#define RECV_BUF_SIZE	(64 * 1024)

struct talk_ctx {
	struct ct_nl *nl;
	ct_msg_cb cb;
	void *data;
};

/* Extended ack TLVs follow the error code (DONE) or the nlmsgerr (ERROR). */
static void parse_extack(struct ct_nl *nl, const struct nlmsghdr *nlh, size_t off)
{
	const struct nlattr *a;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	mnl_attr_for_each(a, nlh, off) {
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_OFFS &&
		    mnl_attr_validate(a, MNL_TYPE_U32) >= 0) {
			nl->bad_off = mnl_attr_get_u32(a);
			nl->has_bad_off = true;
		}
		if (mnl_attr_get_type(a) != NLMSGERR_ATTR_MSG)
			continue;
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
			continue;
		snprintf(nl->extack, sizeof(nl->extack), "%s", mnl_attr_get_str(a));
	}
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk_ctx *ctx = data;
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*e);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (e->error == 0)
		return MNL_CB_STOP;
	/* Without NLM_F_CAPPED the whole request is echoed before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += MNL_ALIGN(e->msg.nlmsg_len - sizeof(struct nlmsghdr));
	if (off <= nlh->nlmsg_len - MNL_NLMSG_HDRLEN)
		parse_extack(ctx->nl, nlh, off);
	errno = e->error < 0 ? -e->error : e->error;
	return MNL_CB_ERROR;
}

static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk_ctx *ctx = data;
	int err;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(int)))
		return MNL_CB_STOP;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (err >= 0)
		return MNL_CB_STOP;
	parse_extack(ctx->nl, nlh, sizeof(int));
	errno = -err;
	return MNL_CB_ERROR;
}

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk_ctx *ctx = data;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		ctx->nl->dump_intr = true;
	if (nlh->nlmsg_len < mnl_nlmsg_size(GENL_HDRLEN))
		return MNL_CB_OK;
	return ctx->cb ? ctx->cb(nlh, ctx->data) : MNL_CB_OK;
}

static int noop_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_NOOP] = noop_cb,
	[NLMSG_ERROR] = error_cb,
	[NLMSG_DONE] = done_cb,
	[NLMSG_OVERRUN] = noop_cb,
};

int ct_nl_talk(struct ct_nl *nl, struct nlmsghdr *nlh, ct_msg_cb cb, void *data)
{
	struct talk_ctx ctx = { .nl = nl, .cb = cb, .data = data };
	char *buf;
	ssize_t n;
	int ret = MNL_CB_OK;

	nl->extack[0] = '\0';
	nl->has_bad_off = false;
	nl->dump_intr = false;
	nlh->nlmsg_seq = ++nl->seq;
	if (mnl_socket_sendto(nl->sk, nlh, nlh->nlmsg_len) < 0)
		return -1;
	buf = malloc(RECV_BUF_SIZE);
	if (!buf)
		return -1;
	do {
		n = mnl_socket_recvfrom(nl->sk, buf, RECV_BUF_SIZE);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -1;
			break;
		}
		ret = mnl_cb_run2(buf, n, nl->seq, nl->portid, data_cb, &ctx, ctl_cbs,
				  NLMSG_MIN_TYPE);
	} while (ret > MNL_CB_STOP);
	free(buf);
	return ret < 0 ? -1 : 0;
}

struct family_ctx {
	uint16_t id;
	uint32_t mcgrp;
	uint32_t version;
};

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct family_ctx *f = data;
	const struct nlattr *a, *g, *ga;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
				f->id = mnl_attr_get_u16(a);
			break;
		case CTRL_ATTR_VERSION:
			if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
				f->version = mnl_attr_get_u32(a);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			mnl_attr_for_each_nested(g, a) {
				const char *name = NULL;
				uint32_t id = 0;

				mnl_attr_for_each_nested(ga, g) {
					if (mnl_attr_get_type(ga) == CTRL_ATTR_MCAST_GRP_NAME &&
					    mnl_attr_validate(ga, MNL_TYPE_NUL_STRING) >= 0)
						name = mnl_attr_get_str(ga);
					if (mnl_attr_get_type(ga) == CTRL_ATTR_MCAST_GRP_ID &&
					    mnl_attr_validate(ga, MNL_TYPE_U32) >= 0)
						id = mnl_attr_get_u32(ga);
				}
				if (name && !strcmp(name, CTRACK_MCGRP_EVENTS))
					f->mcgrp = id;
			}
			break;
		}
	}
	return MNL_CB_OK;
}

int ct_nl_open(struct ct_nl *nl)
{
	char buf[1024];
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	struct family_ctx f = { 0 };
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->sk = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sk)
		return -1;
	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0)
		goto err_socket;
	nl->portid = mnl_socket_get_portid(nl->sk);
	nl->seq = (uint32_t)time(NULL);
	/* Kernel error messages, and errors that do not echo a big request. */
	mnl_socket_setsockopt(nl->sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sk, NETLINK_CAP_ACK, &one, sizeof(one));

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, CTRACK_GENL_NAME);
	if (ct_nl_talk(nl, nlh, family_cb, &f) < 0 || !f.id) {
		if (errno == ENOENT || !f.id) {
			snprintf(nl->extack, sizeof(nl->extack),
				 "ctrack module not loaded (genetlink family \"%s\" not found)",
				 CTRACK_GENL_NAME);
			errno = ENOENT;
		}
		goto err_socket;
	}
	if (f.version != CTRACK_GENL_VERSION) {
		/* the attributes' numbers differ between versions: say so, send nothing */
		snprintf(nl->extack, sizeof(nl->extack),
			 "the loaded ctrack module speaks version %u of its netlink family, this ctrackctl version %u: load the module of the same release (modinfo ctrack, dkms status)",
			 f.version, CTRACK_GENL_VERSION);
		errno = EPROTO;
		goto err_socket;
	}
	nl->family_id = f.id;
	nl->mcgrp_events = f.mcgrp;
	return 0;

err_socket:
	mnl_socket_close(nl->sk);
	nl->sk = NULL;
	return -1;
}

void ct_nl_close(struct ct_nl *nl)
{
	if (nl->sk)
		mnl_socket_close(nl->sk);
	nl->sk = NULL;
}

void ct_nl_perror(const struct ct_nl *nl, const char *what)
{
	int err = errno;

	if (nl && nl->extack[0]) {
		fprintf(stderr, "ctrackctl: %s\n", nl->extack);
		return;
	}
	switch (err) {
	case EPERM:
		fprintf(stderr, "ctrackctl: %s: %s (CAP_NET_ADMIN needed)\n", what, strerror(err));
		break;
	case ENOTUNIQ:
		fprintf(stderr, "ctrackctl: %s: the filter matches more than one connection\n", what);
		break;
	case ENOENT:
		fprintf(stderr, "ctrackctl: %s: no such entry\n", what);
		break;
	default:
		fprintf(stderr, "ctrackctl: %s: %s\n", what, strerror(err));
	}
}

/* ---- monitor ---- */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int ct_nl_monitor(struct ct_nl *nl, const struct ct_opts *o, uint32_t events)
{
	struct ct_reply r;
	struct sigaction sa = { .sa_handler = on_signal };
	int grp = nl->mcgrp_events, rcvbuf = 8 << 20;
	char *buf;

	if (!grp) {
		snprintf(nl->extack, sizeof(nl->extack),
			 "the ctrack family has no \"%s\" multicast group", CTRACK_MCGRP_EVENTS);
		return -1;
	}
	/* A big buffer makes loss rarer; FORCE needs CAP_NET_ADMIN, which we have anyway. */
	if (setsockopt(mnl_socket_get_fd(nl->sk), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)) < 0)
		setsockopt(mnl_socket_get_fd(nl->sk), SOL_SOCKET, SO_RCVBUF, &rcvbuf,
			   sizeof(rcvbuf));
	if (mnl_socket_setsockopt(nl->sk, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)) < 0)
		return -1;
	ct_reply_begin(&r, CT_OP_MONITOR, o, stdout, stderr);
	r.events = events;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	buf = malloc(RECV_BUF_SIZE);
	if (!buf)
		return -1;
	while (!stop) {
		ssize_t n = mnl_socket_recvfrom(nl->sk, buf, RECV_BUF_SIZE);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				fprintf(stderr, "ctrackctl: warning: receive buffer overflow (ENOBUFS): events lost; the count follows with the next event\n");
				continue;
			}
			free(buf);
			return -1;
		}
		mnl_cb_run(buf, n, 0, 0, ct_reply_event, &r);
	}
	free(buf);
	fprintf(stderr, "ctrack v%s: %llu event%s shown, %llu lost.\n", CTRACKCTL_VERSION,
		(unsigned long long)r.count, r.count == 1 ? "" : "s",
		(unsigned long long)r.lost);
	return 0;
}
