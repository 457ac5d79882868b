/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * bytebuf.h - a bounded byte FIFO: a channel's Rx or Tx buffer.
 *
 * The capacity is fixed when the channel opens (the buffer size agreed with
 * the card); nothing is ever dropped: appends that do not fit fail, reads
 * from a socket stop at the free space.
 */
#ifndef BIPD_BYTEBUF_H
#define BIPD_BYTEBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct bytebuf {
	uint8_t *data;
	size_t cap;
	size_t head;		/* first byte not consumed */
	size_t len;		/* bytes held */
};

int bb_init(struct bytebuf *b, size_t cap);	/* 0 or -ENOMEM */
void bb_free(struct bytebuf *b);
void bb_clear(struct bytebuf *b);
static inline size_t bb_len(const struct bytebuf *b) { return b->len; }
static inline size_t bb_space(const struct bytebuf *b)
{
	return b->cap - b->len;
}
static inline bool bb_empty(const struct bytebuf *b) { return !b->len; }
static inline const uint8_t *bb_peek(const struct bytebuf *b)
{
	return b->data + b->head;
}
/* false (and nothing stored) when n bytes do not fit. */
bool bb_append(struct bytebuf *b, const void *src, size_t n);
void bb_consume(struct bytebuf *b, size_t n);
/* One read() into the free space: its result, or -1 with errno. */
ssize_t bb_read_fd(struct bytebuf *b, int fd);
/* One send() of the held bytes (MSG_NOSIGNAL): its result, or -1. */
ssize_t bb_write_fd(struct bytebuf *b, int fd);

#endif /* BIPD_BYTEBUF_H */
