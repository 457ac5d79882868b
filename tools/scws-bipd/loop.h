/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * loop.h - the pump's one event loop: epoll over every descriptor (netlink,
 * listeners, client sockets, signals) and one timerfd for every deadline
 * (STATUS polling, retries, lingering closes).  No thread, no busy wait.
 */
#ifndef BIPD_LOOP_H
#define BIPD_LOOP_H

#include <stdint.h>

struct loop;

/* A watched descriptor; embed it in the object it belongs to. */
struct watch {
	int fd;
	uint32_t events;	/* EPOLLIN / EPOLLOUT currently asked for */
	void (*fn)(struct watch *w, uint32_t events);
	void *arg;
	struct loop *loop;	/* set while registered */
};

int loop_new(struct loop **lp);
void loop_free(struct loop *l);

/* 0 or -errno. */
int loop_add(struct loop *l, struct watch *w, uint32_t events);
/* Changes the events; a no-op when they are unchanged. */
int loop_mod(struct watch *w, uint32_t events);
void loop_del(struct watch *w);

/* Wakes the loop at this CLOCK_MONOTONIC time in ms (< 0: no deadline). */
void loop_set_deadline(struct loop *l, int64_t at_ms);
/*
 * Waits for events or the deadline and calls their watches.  With
 * dont_block the wait is a poll.  Returns the number of events handled,
 * or -errno.
 */
int loop_run_once(struct loop *l, int dont_block);

int64_t now_ms(void);

#endif /* BIPD_LOOP_H */
