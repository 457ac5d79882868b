// SPDX-License-Identifier: GPL-2.0
/*
 * nconnect: test tooling, N concurrent TCP connects from one process.
 *
 *   nconnect HOST PORT N TIMEOUT_MS
 *
 * Starts N non-blocking connects (each first SYN leaves in this process's
 * connect(), so all share its executable), then waits for all of them up
 * to TIMEOUT_MS and prints one line:
 *
 *   now=A refused=B connected=C timeout=D other=E ms=F
 *
 * now: connect() itself failed with ECONNREFUSED (refused at once);
 * refused: ECONNREFUSED later (a reset); ms: until the last one ended.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	int now = 0, refused = 0, connected = 0, other = 0, pending = 0;
	struct sockaddr_storage ss;
	struct pollfd *pfd;
	socklen_t sslen;
	long start, left;
	int i, n, timeout;

	if (argc != 5) {
		fprintf(stderr, "usage: nconnect HOST PORT N TIMEOUT_MS\n");
		return 2;
	}
	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, argv[1], &((struct sockaddr_in *)&ss)->sin_addr) == 1) {
		ss.ss_family = AF_INET;
		((struct sockaddr_in *)&ss)->sin_port = htons(atoi(argv[2]));
		sslen = sizeof(struct sockaddr_in);
	} else if (inet_pton(AF_INET6, argv[1], &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
		ss.ss_family = AF_INET6;
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(atoi(argv[2]));
		sslen = sizeof(struct sockaddr_in6);
	} else {
		fprintf(stderr, "nconnect: bad address %s\n", argv[1]);
		return 2;
	}
	n = atoi(argv[3]);
	timeout = atoi(argv[4]);
	if (n < 1 || n > 4096 || timeout < 0)
		return 2;
	pfd = calloc(n, sizeof(*pfd));
	if (!pfd)
		return 1;

	start = now_ms();
	for (i = 0; i < n; i++) {
		int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);

		pfd[i].fd = -1;
		if (fd < 0) {
			other++;
			continue;
		}
		if (!connect(fd, (struct sockaddr *)&ss, sslen)) {
			connected++;
			close(fd);
		} else if (errno == EINPROGRESS) {
			pfd[i].fd = fd;
			pfd[i].events = POLLOUT;
			pending++;
		} else {
			if (errno == ECONNREFUSED)
				now++;
			else
				other++;
			close(fd);
		}
	}
	while (pending && (left = start + timeout - now_ms()) > 0) {
		if (poll(pfd, n, (int)left) < 0 && errno != EINTR)
			break;
		for (i = 0; i < n; i++) {
			int err = 0;
			socklen_t len = sizeof(err);

			if (pfd[i].fd < 0 || !pfd[i].revents)
				continue;
			getsockopt(pfd[i].fd, SOL_SOCKET, SO_ERROR, &err, &len);
			if (!err)
				connected++;
			else if (err == ECONNREFUSED)
				refused++;
			else
				other++;
			close(pfd[i].fd);
			pfd[i].fd = -1;
			pending--;
		}
	}
	printf("now=%d refused=%d connected=%d timeout=%d other=%d ms=%ld\n",
	       now, refused, connected, pending, other, now_ms() - start);
	return 0;
}
