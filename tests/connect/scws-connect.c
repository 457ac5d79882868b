// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * scws-connect: one TCP connect by a given path, for the LSM tests.
 *
 *   scws-connect MODE HOST PORT
 *     connect      connect()
 *     tfo-sendto   sendto(MSG_FASTOPEN) on an unconnected socket
 *     tfo-connect  setsockopt(TCP_FASTOPEN_CONNECT), then connect()
 *     uring        io_uring IORING_OP_CONNECT
 *
 * Prints "connected" or "error:ENAME" (the errno the kernel gave), then
 * "ms=N" (time spent in the connecting call). Exit 0 unless misused.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef TCP_FASTOPEN_CONNECT
#define TCP_FASTOPEN_CONNECT 30
#endif

static const char *errname(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ECONNREFUSED: return "ECONNREFUSED";
	case ECONNRESET: return "ECONNRESET";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EINPROGRESS: return "EINPROGRESS";
	case EINVAL: return "EINVAL";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	default: return "other";
	}
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int uring_connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int ret;

	ret = io_uring_queue_init(4, &ring, 0);
	if (ret < 0)
		return ret;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_connect(sqe, fd, sa, len);
	io_uring_submit(&ring);
	ret = io_uring_wait_cqe(&ring, &cqe);
	if (ret == 0) {
		ret = cqe->res;
		io_uring_cqe_seen(&ring, cqe);
	}
	io_uring_queue_exit(&ring);
	return ret;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	const char *mode;
	double t0;
	int fd, ret, one = 1, port;

	if (argc != 4) {
		fprintf(stderr, "usage: %s connect|tfo-sendto|tfo-connect|uring HOST PORT\n",
			argv[0]);
		return 2;
	}
	mode = argv[1];
	port = atoi(argv[3]);
	if (inet_pton(AF_INET, argv[2], &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		len = sizeof(*sin);
	} else if (inet_pton(AF_INET6, argv[2], &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		len = sizeof(*sin6);
	} else {
		fprintf(stderr, "bad address %s\n", argv[2]);
		return 2;
	}
	fd = socket(ss.ss_family, SOCK_STREAM, 0);
	if (fd < 0) {
		perror("socket");
		return 2;
	}
	t0 = now_ms();
	if (strcmp(mode, "connect") == 0) {
		ret = connect(fd, (struct sockaddr *)&ss, len) ? -errno : 0;
	} else if (strcmp(mode, "tfo-sendto") == 0) {
		ret = sendto(fd, "x", 1, MSG_FASTOPEN, (struct sockaddr *)&ss, len) < 0 ?
			-errno : 0;
	} else if (strcmp(mode, "tfo-connect") == 0) {
		if (setsockopt(fd, IPPROTO_TCP, TCP_FASTOPEN_CONNECT, &one, sizeof(one))) {
			perror("TCP_FASTOPEN_CONNECT");
			return 2;
		}
		ret = connect(fd, (struct sockaddr *)&ss, len) ? -errno : 0;
	} else if (strcmp(mode, "uring") == 0) {
		ret = uring_connect(fd, (struct sockaddr *)&ss, len);
	} else {
		fprintf(stderr, "unknown mode %s\n", mode);
		return 2;
	}
	if (ret)
		printf("error:%s\n", errname(-ret));
	else
		puts("connected");
	printf("ms=%d\n", (int)(now_ms() - t0));
	close(fd);
	return 0;
}
