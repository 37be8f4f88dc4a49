// SPDX-License-Identifier: GPL-2.0
/*
 * ctnet: the traffic the integration tests need, in one static binary for
 * the guest (busybox's nc cannot tell a reset from a timeout).
 *
 *   ctnet tcp-server PORT [COUNT]        echo server, IPv4 and IPv6
 *   ctnet tcp-client HOST PORT [BYTES] [TIMEOUT_MS] [SPORT]
 *   ctnet udp-server PORT [DELAY_MS]     echo server (reply after a delay)
 *   ctnet udp-client HOST PORT [TIMEOUT_MS] [SPORT]
 *   ctnet raw-tcp SRC DST SPORT DPORT FLAGS [SEQ [ACK]]   forge a segment
 *   ctnet tcp-session HOST PORT STEP...  one connection, driven step by step:
 *     echo[:BYTES]       send BYTES (1000) and read them back
 *     forge:FLAGS[:bad]  a segment on the connection's own addresses and
 *                        ports with its next seq and ack (from TCP_REPAIR),
 *                        so it lies in the window; ":bad": wrong checksum
 *     mark:FILE          write the local port to FILE (for the shell)
 *     wait:FILE          wait for FILE to exist (at most 60 s)
 *     sleep:MS
 *
 * FLAGS: letters S A F R P U, e.g. "SA"; "-" for none. Addresses are IPv4
 * or IPv6.
 *
 * Exit status: 0 success, 1 timeout, 2 usage, 3 refused (RST or ICMP
 * unreachable), 4 other error. An error message ends with the time since
 * the start, "(after N ms)", for tests that time a refusal.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef TCP_REPAIR_OFF_NO_WP
#define TCP_REPAIR_OFF_NO_WP	-1
#endif

static struct timespec t_start;

static long elapsed_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t_start.tv_sec) * 1000 +
	       (t.tv_nsec - t_start.tv_nsec) / 1000000;
}

static int exit_for_errno(const char *what, int err)
{
	fprintf(stderr, "ctnet: %s: %s (after %ld ms)\n", what, strerror(err),
		elapsed_ms());
	if (err == ECONNREFUSED || err == ECONNRESET || err == EHOSTUNREACH ||
	    err == ENETUNREACH)
		return 3;
	if (err == ETIMEDOUT || err == EAGAIN || err == EINPROGRESS)
		return 1;
	return 4;
}

static int make_addr(const char *host, int port, struct sockaddr_storage *ss,
		     socklen_t *len)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		*len = sizeof(*a4);
		return AF_INET;
	}
	if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(port);
		*len = sizeof(*a6);
		return AF_INET6;
	}
	fprintf(stderr, "ctnet: bad address %s\n", host);
	exit(2);
}

static int bind_any(int type, int port)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	int fd = socket(AF_INET6, type, 0), off = 0, on = 1;

	if (fd < 0) {
		perror("socket");
		exit(4);
	}
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("bind");
		exit(4);
	}
	return fd;
}

static void bind_port(int fd, int family, int port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int on = 1;

	if (!port)
		return;
	make_addr(family == AF_INET ? "0.0.0.0" : "::", port, &ss, &len);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		perror("bind");
		exit(4);
	}
}

static int tcp_server(int port, int count)
{
	int fd = bind_any(SOCK_STREAM, port);
	char buf[65536];

	signal(SIGCHLD, SIG_IGN);
	if (listen(fd, 128) < 0) {
		perror("listen");
		return 4;
	}
	for (int n = 0; !count || n < count; n++) {
		int c = accept(fd, NULL, NULL);
		ssize_t r;

		if (c < 0)
			continue;
		if (fork() == 0) {
			while ((r = read(c, buf, sizeof(buf))) > 0)
				if (write(c, buf, r) != r)
					break;
			_exit(0);
		}
		close(c);
	}
	return 0;
}

static int wait_fd(int fd, short ev, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = ev };
	int r = poll(&p, 1, timeout_ms);

	return r > 0 ? 0 : (r == 0 ? ETIMEDOUT : errno);
}

/* A connected non-blocking socket, or minus the exit status. */
static int tcp_connect(const char *host, int port, int tmo, int sport)
{
	struct sockaddr_storage ss;
	socklen_t len, elen = sizeof(int);
	int fam = make_addr(host, port, &ss, &len);
	int fd = socket(fam, SOCK_STREAM, 0), err = 0;

	bind_port(fd, fam, sport);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	if (connect(fd, (struct sockaddr *)&ss, len) < 0 && errno != EINPROGRESS)
		return -exit_for_errno("connect", errno);
	err = wait_fd(fd, POLLOUT, tmo);
	if (!err)
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen);
	if (err)
		return -exit_for_errno("connect", err);
	return fd;
}

/* Send @bytes and read as many back from the echo server. */
static int tcp_echo(int fd, long bytes, int tmo)
{
	static char buf[65536];
	long sent = 0, got = 0;
	int err;

	memset(buf, 'c', sizeof(buf));
	while (got < bytes) {
		ssize_t r;

		if (sent < bytes) {
			r = write(fd, buf, bytes - sent < (long)sizeof(buf) ?
				  bytes - sent : (long)sizeof(buf));
			if (r > 0)
				sent += r;
			else if (errno != EAGAIN)
				return exit_for_errno("write", errno);
		}
		err = wait_fd(fd, POLLIN, tmo);
		if (err)
			return exit_for_errno("read", err);
		r = read(fd, buf, sizeof(buf));
		if (r == 0)
			return exit_for_errno("read", ECONNRESET);
		if (r < 0 && errno != EAGAIN)
			return exit_for_errno("read", errno);
		if (r > 0)
			got += r;
	}
	return 0;
}

static int tcp_client(const char *host, int port, long bytes, int tmo, int sport)
{
	int fd = tcp_connect(host, port, tmo, sport), ret;
	char c;

	if (fd < 0)
		return -fd;
	ret = tcp_echo(fd, bytes, tmo);
	if (ret)
		return ret;
	shutdown(fd, SHUT_WR);
	if (!wait_fd(fd, POLLIN, tmo))
		(void)read(fd, &c, 1);
	close(fd);
	return 0;
}

static __attribute__((noreturn)) void udp_server(int port, int delay_ms)
{
	int fd = bind_any(SOCK_DGRAM, port);
	struct sockaddr_storage peer;
	char buf[65536];

	for (;;) {
		socklen_t len = sizeof(peer);
		ssize_t r = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&peer, &len);

		if (r < 0)
			continue;
		if (delay_ms)
			usleep(delay_ms * 1000);
		sendto(fd, buf, r, 0, (struct sockaddr *)&peer, len);
	}
}

static int udp_client(const char *host, int port, int tmo, int sport)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fam = make_addr(host, port, &ss, &len);
	int fd = socket(fam, SOCK_DGRAM, 0), err;
	char buf[512] = "ctnet";

	bind_port(fd, fam, sport);
	if (connect(fd, (struct sockaddr *)&ss, len) < 0)
		return exit_for_errno("connect", errno);
	if (send(fd, buf, 5, 0) < 0)
		return exit_for_errno("send", errno);
	err = wait_fd(fd, POLLIN, tmo);
	if (err)
		return exit_for_errno("recv", err);
	if (recv(fd, buf, sizeof(buf), 0) < 0)
		return exit_for_errno("recv", errno);
	return 0;
}

static unsigned short csum(const void *data, size_t len, unsigned int sum)
{
	const unsigned char *p = data;

	for (; len > 1; len -= 2, p += 2)
		sum += (p[0] << 8) | p[1];
	if (len)
		sum += p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons(~sum);
}

/* A TCP segment to send: addresses and ports in network order. */
struct seg {
	int family;
	struct sockaddr_storage src, dst;	/* ports in sin(6)_port */
	const char *flags;
	unsigned int seq, ack;
	unsigned short window;
	int bad_csum;
};

static void set_flags(struct tcphdr *th, const char *f)
{
	for (; *f; f++) {
		switch (*f) {
		case 'S': th->syn = 1; break;
		case 'A': th->ack = 1; break;
		case 'F': th->fin = 1; break;
		case 'R': th->rst = 1; break;
		case 'P': th->psh = 1; break;
		case 'U': th->urg = 1; break;
		}
	}
}

/* IPv4 with IP_HDRINCL; IPv6 from a raw TCP socket bound to the source. */
static int send_seg(const struct seg *sg)
{
	const struct sockaddr_in *s4 = (const void *)&sg->src, *d4 = (const void *)&sg->dst;
	const struct sockaddr_in6 *s6 = (const void *)&sg->src, *d6 = (const void *)&sg->dst;
	struct {
		struct iphdr ip;
		struct tcphdr tcp;
	} pkt = {};
	struct {
		struct in6_addr src, dst;
		unsigned int len;
		unsigned char zero[3], next;
		struct tcphdr tcp;
	} ph6 = {};
	struct {
		unsigned int src, dst;
		unsigned char zero, proto;
		unsigned short len;
		struct tcphdr tcp;
	} ph4 = {};
	struct tcphdr *th = &pkt.tcp;
	struct sockaddr_in6 to6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in6 from6 = { .sin6_family = AF_INET6 };
	int fd, on = 1;

	th->source = sg->family == AF_INET ? s4->sin_port : s6->sin6_port;
	th->dest = sg->family == AF_INET ? d4->sin_port : d6->sin6_port;
	set_flags(th, sg->flags);
	th->seq = htonl(sg->seq);
	th->ack_seq = htonl(sg->ack);
	th->doff = 5;
	th->window = htons(sg->window);
	if (sg->family == AF_INET) {
		pkt.ip.version = 4;
		pkt.ip.ihl = 5;
		pkt.ip.ttl = 64;
		pkt.ip.protocol = IPPROTO_TCP;
		pkt.ip.tot_len = htons(sizeof(pkt));
		pkt.ip.saddr = s4->sin_addr.s_addr;
		pkt.ip.daddr = d4->sin_addr.s_addr;
		ph4.src = pkt.ip.saddr;
		ph4.dst = pkt.ip.daddr;
		ph4.proto = IPPROTO_TCP;
		ph4.len = htons(sizeof(*th));
		ph4.tcp = *th;
		th->check = csum(&ph4, sizeof(ph4), 0);
	} else {
		ph6.src = s6->sin6_addr;
		ph6.dst = d6->sin6_addr;
		ph6.len = htonl(sizeof(*th));
		ph6.next = IPPROTO_TCP;
		ph6.tcp = *th;
		th->check = csum(&ph6, sizeof(ph6), 0);
	}
	/* Any other value is wrong too; a receiver must drop it. */
	if (sg->bad_csum)
		th->check ^= htons(0x5a5a);

	if (sg->family == AF_INET) {
		struct sockaddr_in to = { .sin_family = AF_INET,
					  .sin_addr = d4->sin_addr };

		fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
		if (fd < 0 || setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &on, sizeof(on)) < 0)
			return exit_for_errno("raw socket", errno);
		if (sendto(fd, &pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to)) < 0)
			return exit_for_errno("sendto", errno);
	} else {
		/* The kernel leaves a raw TCP socket's checksum to us. */
		fd = socket(AF_INET6, SOCK_RAW, IPPROTO_TCP);
		from6.sin6_addr = s6->sin6_addr;
		to6.sin6_addr = d6->sin6_addr;
		if (fd < 0 || bind(fd, (struct sockaddr *)&from6, sizeof(from6)) < 0)
			return exit_for_errno("raw socket", errno);
		if (sendto(fd, th, sizeof(*th), 0, (struct sockaddr *)&to6, sizeof(to6)) < 0)
			return exit_for_errno("sendto", errno);
	}
	close(fd);
	return 0;
}

static int raw_tcp(char **av, int ac)
{
	struct seg sg = { .flags = av[4], .window = 65535 };
	socklen_t len;

	sg.family = make_addr(av[0], atoi(av[2]), &sg.src, &len);
	if (make_addr(av[1], atoi(av[3]), &sg.dst, &len) != sg.family) {
		fprintf(stderr, "ctnet: raw-tcp: SRC and DST of one family\n");
		return 2;
	}
	sg.seq = ac > 5 ? strtoul(av[5], NULL, 0) : 1000;
	sg.ack = ac > 6 ? strtoul(av[6], NULL, 0) : 0;
	return send_seg(&sg);
}

/*
 * A segment that continues @fd's connection: TCP_REPAIR tells the next
 * sequence number to send and to receive, and the receive window. The
 * connection must be idle (all data sent and acked) for seq to be exact.
 */
static int forge(int fd, const char *flags, int bad)
{
	struct seg sg = { .flags = flags, .bad_csum = bad };
	struct tcp_repair_window w;
	struct tcp_info ti;
	socklen_t len = sizeof(sg.src);
	int on = 1, q, ret = 0;

	getsockname(fd, (struct sockaddr *)&sg.src, &len);
	len = sizeof(sg.dst);
	getpeername(fd, (struct sockaddr *)&sg.dst, &len);
	sg.family = sg.src.ss_family;
	if (setsockopt(fd, IPPROTO_TCP, TCP_REPAIR, &on, sizeof(on)) < 0)
		return exit_for_errno("TCP_REPAIR", errno);
	len = sizeof(int);
	q = TCP_SEND_QUEUE;
	if (setsockopt(fd, IPPROTO_TCP, TCP_REPAIR_QUEUE, &q, sizeof(q)) < 0 ||
	    getsockopt(fd, IPPROTO_TCP, TCP_QUEUE_SEQ, &sg.seq, &len) < 0)
		ret = exit_for_errno("TCP_QUEUE_SEQ", errno);
	q = TCP_RECV_QUEUE;
	len = sizeof(int);
	if (!ret && (setsockopt(fd, IPPROTO_TCP, TCP_REPAIR_QUEUE, &q, sizeof(q)) < 0 ||
		     getsockopt(fd, IPPROTO_TCP, TCP_QUEUE_SEQ, &sg.ack, &len) < 0))
		ret = exit_for_errno("TCP_QUEUE_SEQ", errno);
	len = sizeof(w);
	if (!ret && getsockopt(fd, IPPROTO_TCP, TCP_REPAIR_WINDOW, &w, &len) < 0)
		ret = exit_for_errno("TCP_REPAIR_WINDOW", errno);
	/* Leave repair mode without the window probe TCP_REPAIR_OFF sends. */
	q = TCP_REPAIR_OFF_NO_WP;
	setsockopt(fd, IPPROTO_TCP, TCP_REPAIR, &q, sizeof(q));
	if (ret)
		return ret;
	len = sizeof(ti);
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
		return exit_for_errno("TCP_INFO", errno);
	sg.window = w.rcv_wnd >> ti.tcpi_rcv_wscale > 65535 ? 65535 :
		    w.rcv_wnd >> ti.tcpi_rcv_wscale;
	printf("forge %s%s seq=%u ack=%u win=%u\n", flags, bad ? " (bad checksum)" : "",
	       sg.seq, sg.ack, sg.window);
	return send_seg(&sg);
}

static int tcp_session(const char *host, int port, char **steps, int n)
{
	int fd = tcp_connect(host, port, 3000, 0), ret = 0;

	if (fd < 0)
		return -fd;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < n && !ret; i++) {
		char *st = steps[i], *arg = strchr(st, ':');
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		struct stat sb;
		FILE *f;

		if (arg)
			*arg++ = 0;
		if (!strcmp(st, "echo")) {
			ret = tcp_echo(fd, arg ? atol(arg) : 1000, 3000);
			if (!ret)
				printf("echo ok\n");
		} else if (!strcmp(st, "forge") && arg) {
			char *bad = strchr(arg, ':');

			if (bad)
				*bad++ = 0;
			ret = forge(fd, arg, bad && !strcmp(bad, "bad"));
		} else if (!strcmp(st, "mark") && arg) {
			getsockname(fd, (struct sockaddr *)&ss, &len);
			f = fopen(arg, "w");
			if (!f)
				return exit_for_errno(arg, errno);
			fprintf(f, "%d\n", ntohs(((struct sockaddr_in *)&ss)->sin_port));
			fclose(f);
		} else if (!strcmp(st, "wait") && arg) {
			int t;

			for (t = 0; t < 1200 && stat(arg, &sb) < 0; t++)
				usleep(50000);
			if (t == 1200)
				return exit_for_errno(arg, ETIMEDOUT);
		} else if (!strcmp(st, "sleep") && arg) {
			usleep(atoi(arg) * 1000);
		} else {
			fprintf(stderr, "ctnet: bad step %s\n", st);
			return 2;
		}
	}
	close(fd);
	return ret;
}

int main(int ac, char **av)
{
	clock_gettime(CLOCK_MONOTONIC, &t_start);
	if (ac < 3)
		goto usage;
	if (!strcmp(av[1], "tcp-server"))
		return tcp_server(atoi(av[2]), ac > 3 ? atoi(av[3]) : 0);
	if (!strcmp(av[1], "tcp-client") && ac >= 4)
		return tcp_client(av[2], atoi(av[3]), ac > 4 ? atol(av[4]) : 1000,
				  ac > 5 ? atoi(av[5]) : 3000, ac > 6 ? atoi(av[6]) : 0);
	if (!strcmp(av[1], "udp-server"))
		udp_server(atoi(av[2]), ac > 3 ? atoi(av[3]) : 0);
	if (!strcmp(av[1], "udp-client") && ac >= 4)
		return udp_client(av[2], atoi(av[3]), ac > 4 ? atoi(av[4]) : 2000,
				  ac > 5 ? atoi(av[5]) : 0);
	if (!strcmp(av[1], "raw-tcp") && ac >= 7)
		return raw_tcp(av + 2, ac - 2);
	if (!strcmp(av[1], "tcp-session") && ac >= 5)
		return tcp_session(av[2], atoi(av[3]), av + 4, ac - 4);
usage:
	fprintf(stderr, "usage: see the comment at the top of tests/tools/ctnet.c\n");
	return 2;
}
