// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * bytebuf.c - the bounded byte FIFO behind channel buffers.  Linear, with
 * the held bytes moved to the front when the tail runs out: buffers are a
 * few KiB, so the copy costs less than ring-buffer wrap handling.
 */
#include "bytebuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int bb_init(struct bytebuf *b, size_t cap)
{
	b->data = cap ? malloc(cap) : NULL;
	if (cap && !b->data)
		return -ENOMEM;
	b->cap = cap;
	b->head = 0;
	b->len = 0;
	return 0;
}

void bb_free(struct bytebuf *b)
{
	free(b->data);
	b->data = NULL;
	b->cap = b->head = b->len = 0;
}

void bb_clear(struct bytebuf *b)
{
	b->head = 0;
	b->len = 0;
}

/* Room for n bytes at the tail, moving the held bytes down if needed. */
static uint8_t *tail_room(struct bytebuf *b, size_t n)
{
	if (n > bb_space(b))
		return NULL;
	if (b->head + b->len + n > b->cap) {
		memmove(b->data, b->data + b->head, b->len);
		b->head = 0;
	}
	return b->data + b->head + b->len;
}

bool bb_append(struct bytebuf *b, const void *src, size_t n)
{
	uint8_t *dst;

	if (!n)
		return true;
	dst = tail_room(b, n);
	if (!dst)
		return false;
	memcpy(dst, src, n);
	b->len += n;
	return true;
}

void bb_consume(struct bytebuf *b, size_t n)
{
	if (n >= b->len) {
		bb_clear(b);
		return;
	}
	b->head += n;
	b->len -= n;
}

ssize_t bb_read_fd(struct bytebuf *b, int fd)
{
	size_t space = bb_space(b);
	uint8_t *dst = tail_room(b, space);
	ssize_t n;

	if (!space || !dst) {
		errno = ENOBUFS;
		return -1;
	}
	n = read(fd, dst, space);
	if (n > 0)
		b->len += (size_t)n;
	return n;
}

ssize_t bb_write_fd(struct bytebuf *b, int fd)
{
	ssize_t n;

	if (!b->len)
		return 0;
	n = send(fd, bb_peek(b), b->len, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n > 0)
		bb_consume(b, (size_t)n);
	return n;
}
