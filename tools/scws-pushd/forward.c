// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * forward.c - the POST to the pump's push endpoint (see forward.h).  The
 * pump answers once and closes, so the answer is whatever came before EOF.
 */
#include "forward.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int fwd_start(struct fwd *f, const char *path, const uint8_t *body,
	      size_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int n, fd, err;

	f->fd = -1;
	f->out_off = f->in_len = 0;
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	n = snprintf(f->out, sizeof(f->out), "POST /push HTTP/1.1\r\n"
		     "Host: localhost\r\n"
		     "Content-Type: application/vnd.3gpp.sms\r\n"
		     "Content-Length: %zu\r\nConnection: close\r\n\r\n", len);
	if (n < 0 || (size_t)n + len > sizeof(f->out))
		return -E2BIG;
	memcpy(f->out + n, body, len);
	f->out_len = (size_t)n + len;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 &&
	    errno != EINPROGRESS && errno != EAGAIN) {
		err = -errno;
		close(fd);
		return err;
	}
	f->fd = fd;
	return 0;
}

short fwd_events(const struct fwd *f)
{
	return f->out_off < f->out_len ? POLLOUT : POLLIN;
}

void fwd_abort(struct fwd *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

int fwd_io(struct fwd *f, short revents)
{
	ssize_t n;

	if (f->out_off < f->out_len && (revents & (POLLOUT | POLLERR |
						   POLLHUP))) {
		n = send(f->fd, f->out + f->out_off, f->out_len - f->out_off,
			 MSG_NOSIGNAL);
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			int err = -errno;

			fwd_abort(f);
			return err;
		}
		if (n > 0)
			f->out_off += (size_t)n;
		return 0;
	}
	if (!(revents & (POLLIN | POLLHUP | POLLERR)))
		return 0;
	n = recv(f->fd, f->in + f->in_len, sizeof(f->in) - 1 - f->in_len, 0);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n < 0) {
		int err = -errno;

		fwd_abort(f);
		return err;
	}
	f->in_len += (size_t)n;
	if (n == 0 || f->in_len == sizeof(f->in) - 1) {
		fwd_abort(f);
		return 1;
	}
	return 0;
}

int fwd_result(const struct fwd *f, int *status, struct ctl_reply *r)
{
	const char *in = f->in, *body, *nl;
	size_t len = f->in_len;

	*status = 0;
	if (len < 12 || memcmp(in, "HTTP/1.1 ", 9) ||
	    sscanf(in + 9, "%3d", status) != 1)
		return -EINVAL;
	body = memmem(in, len, "\r\n\r\n", 4);
	if (!body)
		return -EINVAL;
	body += 4;
	nl = memchr(body, '\n', (size_t)(in + len - body));
	if (!nl)
		return -EINVAL;
	return ctl_parse_reply(body, (size_t)(nl - body), r);
}
