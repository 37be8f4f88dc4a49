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
 *
 * Exit status: 0 success, 1 timeout, 2 usage, 3 refused (RST or ICMP
 * unreachable), 4 other error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int exit_for_errno(const char *what, int err)
{
	fprintf(stderr, "ctnet: %s: %s\n", what, strerror(err));
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

static int tcp_client(const char *host, int port, long bytes, int tmo, int sport)
{
	struct sockaddr_storage ss;
	socklen_t len, elen = sizeof(int);
	int fam = make_addr(host, port, &ss, &len);
	int fd = socket(fam, SOCK_STREAM, 0), err = 0;
	static char buf[65536];
	long sent = 0, got = 0;

	bind_port(fd, fam, sport);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	if (connect(fd, (struct sockaddr *)&ss, len) < 0 && errno != EINPROGRESS)
		return exit_for_errno("connect", errno);
	err = wait_fd(fd, POLLOUT, tmo);
	if (!err)
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen);
	if (err)
		return exit_for_errno("connect", err);
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
	shutdown(fd, SHUT_WR);
	if (!wait_fd(fd, POLLIN, tmo))
		(void)read(fd, buf, 1);
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

/* FLAGS: letters S A F R P U, e.g. "SA"; "-" for none. */
static int raw_tcp(char **av, int ac)
{
	struct {
		struct iphdr ip;
		struct tcphdr tcp;
	} pkt = {};
	struct {
		unsigned int src, dst;
		unsigned char zero, proto;
		unsigned short len;
		struct tcphdr tcp;
	} ph = {};
	struct sockaddr_in to = { .sin_family = AF_INET };
	int fd, on = 1;
	const char *f;

	pkt.ip.version = 4;
	pkt.ip.ihl = 5;
	pkt.ip.ttl = 64;
	pkt.ip.protocol = IPPROTO_TCP;
	pkt.ip.tot_len = htons(sizeof(pkt));
	if (inet_pton(AF_INET, av[0], &pkt.ip.saddr) != 1 ||
	    inet_pton(AF_INET, av[1], &pkt.ip.daddr) != 1) {
		fprintf(stderr, "ctnet: raw-tcp takes IPv4 addresses\n");
		return 2;
	}
	pkt.tcp.source = htons(atoi(av[2]));
	pkt.tcp.dest = htons(atoi(av[3]));
	for (f = av[4]; *f; f++) {
		switch (*f) {
		case 'S': pkt.tcp.syn = 1; break;
		case 'A': pkt.tcp.ack = 1; break;
		case 'F': pkt.tcp.fin = 1; break;
		case 'R': pkt.tcp.rst = 1; break;
		case 'P': pkt.tcp.psh = 1; break;
		case 'U': pkt.tcp.urg = 1; break;
		}
	}
	pkt.tcp.seq = htonl(ac > 5 ? strtoul(av[5], NULL, 0) : 1000);
	pkt.tcp.ack_seq = htonl(ac > 6 ? strtoul(av[6], NULL, 0) : 0);
	pkt.tcp.doff = 5;
	pkt.tcp.window = htons(65535);
	ph.src = pkt.ip.saddr;
	ph.dst = pkt.ip.daddr;
	ph.proto = IPPROTO_TCP;
	ph.len = htons(sizeof(pkt.tcp));
	ph.tcp = pkt.tcp;
	pkt.tcp.check = csum(&ph, sizeof(ph), 0);
	to.sin_addr.s_addr = pkt.ip.daddr;
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0 || setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &on, sizeof(on)) < 0)
		return exit_for_errno("raw socket", errno);
	if (sendto(fd, &pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return exit_for_errno("sendto", errno);
	return 0;
}

int main(int ac, char **av)
{
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
usage:
	fprintf(stderr, "usage: see the comment at the top of tests/tools/ctnet.c\n");
	return 2;
}
