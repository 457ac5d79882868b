/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * forward.h - scws-pushd's side of SCWS-6: one push, one HTTP POST to the
 * pump's push endpoint (a Unix socket only our user and root may use),
 * without blocking; the answer is the card's (see scws-bipd(8)).
 */
#ifndef SCWS_PUSHD_FORWARD_H
#define SCWS_PUSHD_FORWARD_H

#include <stddef.h>
#include <stdint.h>

#include "bipd-ctl.h"

#define FWD_OUT_MAX 4096
#define FWD_IN_MAX 2048

struct fwd {
	int fd;			/* -1: idle */
	char out[FWD_OUT_MAX];
	size_t out_len, out_off;
	char in[FWD_IN_MAX];
	size_t in_len;
};

/* Connects and queues the request; 0 or -errno (nothing to clean up). */
int fwd_start(struct fwd *f, const char *path, const uint8_t *body,
	      size_t len);
/* The poll() events it waits for. */
short fwd_events(const struct fwd *f);
/* After poll(): 0 more to do, 1 the answer is in, -errno failed.  The fd
 * is closed when it returns non-zero. */
int fwd_io(struct fwd *f, short revents);
void fwd_abort(struct fwd *f);
/* The answer: its HTTP status (0 if none could be read) and the reply
 * line in its body (r->ok, r->code ...); 0 or -EINVAL. */
int fwd_result(const struct fwd *f, int *status, struct ctl_reply *r);

#endif /* SCWS_PUSHD_FORWARD_H */
