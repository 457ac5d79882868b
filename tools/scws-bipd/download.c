// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * download.c - SMS-PP downloads (ENVELOPE D1, TS 102 223 7.1 / TS 31.111
 * 7.1.1) from the control sockets, in the order they came, each answered
 * to its requester with the card's status word and response data.
 *
 * The engine sends them between proactive commands, and before a pending
 * proactive command once one has waited DL_FAIR_MS, which the spec allows:
 * a busy BIP session must not hold a trigger back.  93 00 (toolkit busy)
 * sends the same ENVELOPE again every DL_BUSY_RETRY_MS, for up to
 * DL_GIVE_UP_MS; then the requester hears "busy".  Everything else the
 * card answers (90 00, 91 xx, 62 xx / 63 xx with a Proof of Receipt,
 * 6F xx ...) is its answer and goes back as it is.
 */
#include "bipd.h"
#include "log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define DL_QUEUE_MAX 16
#define DL_FAIR_MS 50
#define DL_BUSY_RETRY_MS 200
#define DL_GIVE_UP_MS 10000
#define DL_ENV_MAX 300

struct dl_req {
	uint8_t env[DL_ENV_MAX];
	size_t len;
	int64_t since, not_before;
	unsigned int busy;		/* 93 00 answers so far */
	dl_done_fn *done;
	void *arg;
};

struct dl_queue {
	struct dl_req q[DL_QUEUE_MAX];
	unsigned int head, n;
};

static struct dl_req *at(struct dl_queue *d, unsigned int i)
{
	return &d->q[(d->head + i) % DL_QUEUE_MAX];
}

static void finish_head(struct bipd *b, const struct dl_result *r)
{
	struct dl_queue *d = b->dlq;
	struct dl_req req = *at(d, 0);

	d->head = (d->head + 1) % DL_QUEUE_MAX;
	d->n--;
	req.done(req.arg, r);
}

static bool due(const struct bipd *b, bool fetch_pending)
{
	const struct dl_queue *d = b->dlq;
	const struct dl_req *r;
	int64_t now = b->clock();

	if (!d || !d->n)
		return false;
	r = &d->q[d->head];
	if (now < r->not_before)
		return false;
	return !fetch_pending || now - r->since >= DL_FAIR_MS;
}

static bool send_one(struct bipd *b)
{
	struct dl_queue *d = b->dlq;
	struct dl_req *r = at(d, 0);
	const struct apdu_resp *resp;
	struct dl_result res = { 0 };
	int64_t now;

	if (cat_envelope_resp(b, r->env, r->len, &resp))
		return false;	/* card lost: card_gone() answers */
	now = b->clock();
	if (resp->sw == 0x9300) {
		r->busy++;
		if (now - r->since < DL_GIVE_UP_MS) {
			log_info("SMS-PP download: card busy (93 00), again "
				 "in %d ms", DL_BUSY_RETRY_MS);
			r->not_before = now + DL_BUSY_RETRY_MS;
			return false;
		}
		log_warn("SMS-PP download: card busy for %d ms (%u tries), "
			 "given up", DL_GIVE_UP_MS, r->busy);
		res.err = -EBUSY;
		finish_head(b, &res);
		return true;
	}
	res.sw = resp->sw;
	res.data = resp->data;
	res.len = resp->len;
	log_notice("SMS-PP download: card answered SW %04X with %zu bytes of "
		   "response data", resp->sw, resp->len);
	finish_head(b, &res);
	return true;
}

static int64_t deadline(const struct bipd *b)
{
	const struct dl_queue *d = b->dlq;

	if (!d || !d->n)
		return -1;
	return d->q[d->head].not_before;
}

static void card_gone(struct bipd *b)
{
	struct dl_result res = { .err = -ENODEV };

	while (b->dlq && b->dlq->n)
		finish_head(b, &res);
}

static const struct dl_ops ops = {
	.due = due,
	.send_one = send_one,
	.deadline = deadline,
	.card_gone = card_gone,
};

int dl_init(struct bipd *b)
{
	b->dlq = calloc(1, sizeof(*b->dlq));
	if (!b->dlq)
		return -ENOMEM;
	b->dl_ops = &ops;
	return 0;
}

void dl_fini(struct bipd *b)
{
	card_gone(b);
	free(b->dlq);
	b->dlq = NULL;
	b->dl_ops = NULL;
}

void dl_submit(struct bipd *b, const uint8_t *env, size_t len,
	       dl_done_fn *done, void *arg)
{
	struct dl_queue *d = b->dlq;
	struct dl_result res = { 0 };
	struct dl_req *r;

	if (!b->card || b->card_failed) {
		res.err = -ENODEV;
		done(arg, &res);
		return;
	}
	if (d->n == DL_QUEUE_MAX || len > DL_ENV_MAX) {
		res.err = -ENOSPC;
		done(arg, &res);
		return;
	}
	r = at(d, d->n++);
	memcpy(r->env, env, len);
	r->len = len;
	r->since = r->not_before = b->clock();
	r->busy = 0;
	r->done = done;
	r->arg = arg;
}

void dl_cancel(struct bipd *b, void *arg)
{
	struct dl_queue *d = b->dlq;
	unsigned int kept = 0;

	if (!d)
		return;
	for (unsigned int i = 0; i < d->n; i++) {
		struct dl_req r = *at(d, i);

		if (r.arg != arg)
			*at(d, kept++) = r;
	}
	d->n = kept;
}
