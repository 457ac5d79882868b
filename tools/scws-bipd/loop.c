// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * loop.c - epoll and the deadline timerfd.
 */
#include "loop.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 32

struct loop {
	int epfd;
	struct watch timer;	/* CLOCK_MONOTONIC, absolute, one shot */
	int64_t armed_at;	/* what the timer is set to, -1 disarmed */
};

int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void timer_fired(struct watch *w, uint32_t events)
{
	uint64_t expirations;

	(void)events;
	/* Only wakes the loop; the owner checks its deadlines afterwards. */
	if (read(w->fd, &expirations, sizeof(expirations)) < 0)
		return;
	((struct loop *)w->arg)->armed_at = -1;
}

int loop_new(struct loop **lp)
{
	struct loop *l = calloc(1, sizeof(*l));
	int err;

	if (!l)
		return -ENOMEM;
	l->armed_at = -1;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	l->timer.fd = timerfd_create(CLOCK_MONOTONIC,
				     TFD_NONBLOCK | TFD_CLOEXEC);
	if (l->epfd < 0 || l->timer.fd < 0) {
		err = -errno;
		loop_free(l);
		return err;
	}
	l->timer.fn = timer_fired;
	l->timer.arg = l;
	err = loop_add(l, &l->timer, EPOLLIN);
	if (err) {
		loop_free(l);
		return err;
	}
	*lp = l;
	return 0;
}

void loop_free(struct loop *l)
{
	if (!l)
		return;
	if (l->timer.fd >= 0)
		close(l->timer.fd);
	if (l->epfd >= 0)
		close(l->epfd);
	free(l);
}

int loop_add(struct loop *l, struct watch *w, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };

	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, w->fd, &ev) < 0)
		return -errno;
	w->events = events;
	w->loop = l;
	return 0;
}

int loop_mod(struct watch *w, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };

	if (!w->loop || w->events == events)
		return 0;
	if (epoll_ctl(w->loop->epfd, EPOLL_CTL_MOD, w->fd, &ev) < 0)
		return -errno;
	w->events = events;
	return 0;
}

void loop_del(struct watch *w)
{
	if (!w->loop)
		return;
	epoll_ctl(w->loop->epfd, EPOLL_CTL_DEL, w->fd, NULL);
	w->loop = NULL;
	w->events = 0;
}

void loop_set_deadline(struct loop *l, int64_t at_ms)
{
	struct itimerspec its;

	if (at_ms == l->armed_at)
		return;
	memset(&its, 0, sizeof(its));
	if (at_ms >= 0) {
		/* 0 would disarm: a deadline in the past fires at once. */
		if (at_ms < 1)
			at_ms = 1;
		its.it_value.tv_sec = at_ms / 1000;
		its.it_value.tv_nsec = (long)(at_ms % 1000) * 1000000L;
	}
	if (timerfd_settime(l->timer.fd, TFD_TIMER_ABSTIME, &its, NULL) == 0)
		l->armed_at = at_ms;
}

int loop_run_once(struct loop *l, int dont_block)
{
	struct epoll_event evs[MAX_EVENTS];
	int n = epoll_wait(l->epfd, evs, MAX_EVENTS, dont_block ? 0 : -1);

	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		struct watch *w = evs[i].data.ptr;

		/* A watch removed by an earlier callback of this round has
		 * loop == NULL; its memory is still valid (owners free watches
		 * only between rounds, see channel.c). */
		if (w->loop)
			w->fn(w, evs[i].events);
	}
	return n;
}
