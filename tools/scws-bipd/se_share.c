// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * se_share.c - applications' APDUs share the card link with the BIP
 * session (docs/scheduling.md): a time credit while the toolkit session
 * is busy, connections paused until it is back.
 */
#include "se_int.h"

#include <sys/epoll.h>
#include <time.h>

/* Sharing the card link with the BIP session (docs/scheduling.md): while
 * the toolkit session is busy (a FETCH, TERMINAL RESPONSE or ENVELOPE in
 * the last SE_BIP_ACTIVE_MS), applications get SE_SHARE_PCT % of the
 * link's time, in bursts of up to SE_BURST_US; idle, all of it. */
#define SE_SHARE_PCT 8
#define SE_BIP_ACTIVE_MS 50
#define SE_BURST_US 2000

int64_t se_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Whether the toolkit session used the card lately. */
static bool bip_busy(struct se_service *s, int64_t now)
{
	const struct stats *st = &s->b->stats;
	uint64_t n = st->apdus[APDU_FETCH] + st->apdus[APDU_TR] +
		     st->apdus[APDU_ENVELOPE];

	if (n != s->bip_apdus) {
		s->bip_apdus = n;
		s->bip_last_us = now;
	}
	return now - s->bip_last_us < SE_BIP_ACTIVE_MS * 1000;
}

/* Brings the credit up to now: true when applications may use the card. */
bool se_share_ok(struct se_service *s)
{
	int64_t now = se_now_us();

	if (!bip_busy(s, now))
		s->credit_us = SE_BURST_US;
	else
		s->credit_us += (now - s->credit_at_us) * SE_SHARE_PCT / 100;
	if (s->credit_us > SE_BURST_US)
		s->credit_us = SE_BURST_US;
	s->credit_at_us = now;
	return s->credit_us > 0;
}

/* A connection waits for the share: no more reading until resumed. */
void se_pause_conn(struct se_service *s, struct se_conn *c)
{
	int64_t wait = -s->credit_us * 100 / SE_SHARE_PCT;

	c->paused = true;
	loop_mod(&c->w, 0);
	s->deferred++;
	if (s->resume_at_us < 0 || se_now_us() + wait < s->resume_at_us)
		s->resume_at_us = se_now_us() + wait;
}

int64_t se_service_tick(struct se_service *s)
{
	if (!s || s->resume_at_us < 0)
		return -1;
	if (se_now_us() < s->resume_at_us && !se_share_ok(s) &&
	    bip_busy(s, se_now_us()))
		return s->resume_at_us / 1000 + 1;
	s->resume_at_us = -1;
	for (struct se_conn *c = s->conns; c; c = c->next) {
		if (c->paused) {
			c->paused = false;
			loop_mod(&c->w, EPOLLIN);
		}
	}
	return -1;
}

void se_share_init(struct se_service *s)
{
	s->resume_at_us = -1;
	s->credit_us = SE_BURST_US;
	s->credit_at_us = se_now_us();
}
