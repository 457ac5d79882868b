// SPDX-License-Identifier: GPL-2.0
/*
 * The administration agent: one session at a time.  A trigger's
 * parameters over the stored ones give the destination, the PSK and the
 * retry policy; each attempt is a session.c stream on a TCP client
 * channel.  An attempt that could not reach the RAS or lost the link is
 * retried after the waiting delay, as often as the retry counter says
 * (GP Amd B 3.8.3); one that had already posted resumes with
 * X-Admin-Resume: true.  Scripts go to the card's applets by AID; the
 * ARA-M is the one this card has.
 */
#include "admin/admin.h"
#include "admin/agent.h"
#include "aram/aram.h"
#include "cat/cat.h"
#include "log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct admin_agent {
	struct card_state *st;
	struct cat *cat;
	struct scws_site *site;
	struct aram *aram;
	struct aram_session aram_sess;
	bool busy;		/* a session or its retry is in progress */
	bool live;		/* an attempt's stream exists */
	bool resume;
	unsigned int retries_left;
	int64_t retry_at;	/* monotonic ms; 0: none waiting */
	struct admin_params p;
	uint8_t psk[ADMIN_KEY_MAX];
	size_t psk_len;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct admin_agent *admin_agent_new(struct card_state *st, struct cat *cat,
				    struct scws_site *site, struct aram *aram)
{
	struct admin_agent *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->st = st;
	a->cat = cat;
	a->site = site;
	a->aram = aram;
	return a;
}

void admin_agent_free(struct admin_agent *a)
{
	if (!a)
		return;
	aram_session_end(&a->aram_sess);
	memset(a->psk, 0, sizeof(a->psk));
	free(a);
}

bool admin_agent_busy(const struct admin_agent *a)
{
	return a->busy;
}

static bool select_app(void *ctx, const uint8_t *aid, size_t len)
{
	struct admin_agent *a = ctx;

	aram_session_end(&a->aram_sess);
	return a->aram && len == ARAM_AID_LEN && !memcmp(aid, aram_aid, len);
}

static uint16_t apdu(void *ctx, const uint8_t *capdu, size_t len,
		     uint8_t *rdata, size_t cap, size_t *rlen)
{
	struct admin_agent *a = ctx;
	struct apdu_resp r = { rdata, cap, 0 };
	struct apdu c;
	uint16_t sw;

	*rlen = 0;
	sw = (uint16_t)apdu_parse(capdu, len, &c);
	if (sw)
		return sw;
	sw = aram_command(a->aram, &a->aram_sess, &c, &r);
	*rlen = r.len;
	card_info("admin: APDU %02X %02X %02X %02X -> %04X", c.cla, c.ins,
		  c.p1, c.p2, sw);
	return sw;
}

static void attempt_over(void *arg, enum admin_outcome o, unsigned int posts);

static int attempt(struct admin_agent *a)
{
	struct admin_session_cfg cfg = {
		.p = &a->p, .psk = a->psk, .psk_len = a->psk_len,
		.resume = a->resume, .site = a->site,
		.select_app = select_app, .apdu = apdu, .apdu_ctx = a,
		.over = attempt_over, .arg = a,
	};
	int rc;

	a->retry_at = 0;
	rc = admin_session_start(a->cat, &cfg);
	if (!rc)
		a->live = true;
	return rc;
}

/* The session is over for good: forget its key. */
static void session_end(struct admin_agent *a)
{
	a->busy = false;
	a->retry_at = 0;
	memset(a->psk, 0, sizeof(a->psk));
	a->psk_len = 0;
}

static void schedule_retry(struct admin_agent *a, const char *why)
{
	unsigned int delay = admin_params_delay_s(&a->p);

	if (!a->retries_left) {
		card_err("admin: giving up (%s), no retries left", why);
		session_end(a);
		return;
	}
	a->retries_left--;
	a->retry_at = now_ms() + (int64_t)delay * 1000;
	if (!a->retry_at)
		a->retry_at = 1;
	card_info("admin: retry in %u s (%s), %u more after it", delay, why,
		  a->retries_left);
}

static void attempt_over(void *arg, enum admin_outcome o, unsigned int posts)
{
	struct admin_agent *a = arg;

	a->live = false;
	aram_session_end(&a->aram_sess);
	if (o == ADMIN_LINK_FAILED) {
		if (posts)
			a->resume = true;
		schedule_retry(a, "link failed");
		return;
	}
	card_info("admin: session %s", o == ADMIN_FINISHED ? "complete" :
		  "refused, not retried");
	session_end(a);
}

int admin_agent_timeout_ms(const struct admin_agent *a)
{
	int64_t left;

	if (!a || !a->busy || a->live || !a->retry_at)
		return -1;
	left = a->retry_at - now_ms();
	return left <= 0 ? 0 : left > 60000 ? 60000 : (int)left;
}

void admin_agent_service(struct admin_agent *a)
{
	int rc;

	if (!a || !a->busy || a->live || !a->retry_at ||
	    a->retry_at > now_ms())
		return;
	rc = attempt(a);
	if (rc) {
		card_info("admin: cannot open a client channel (%s)",
			  strerror(-rc));
		schedule_retry(a, "no channel");
	}
}

int admin_agent_trigger(struct admin_agent *a, const struct admin_trigger *t)
{
	struct admin_params p;
	int rc;

	if (!a)
		return -ENOTSUP;
	if (a->busy)
		return -EBUSY;
	admin_params_load(a->st, &p);
	if (admin_params_merge(&p, t)) {
		card_err("admin: malformed trigger parameters");
		return -EINVAL;
	}
	/* The terminal first: without a client channel nothing else
	 * matters (PUSH answers 6F 00 for it). */
	if (!cat_client_ready(a->cat)) {
		card_info("admin: the terminal offers no TCP client channel (yet)");
		return -ENOTSUP;
	}
	if (!p.addr_type || !p.port) {
		card_err("admin: no RAS address%s", t->fqdn[0] ?
			 " (DNS names need the terminal's resolver)" : "");
		return -EINVAL;
	}
	rc = admin_params_key(a->st, p.kvn, p.kid, a->psk, sizeof(a->psk));
	if (rc < 0 || !p.psk_id_len) {
		card_err("admin: no PSK %s for KVN %02X KID %02X",
			 p.psk_id_len ? "key" : "identity", p.kvn, p.kid);
		return -EINVAL;
	}
	a->psk_len = (size_t)rc;
	a->p = p;
	a->resume = false;
	a->retries_left = p.retry_counter;
	rc = attempt(a);
	if (rc) {
		session_end(a);
		return rc;
	}
	a->busy = true;
	card_info("admin: session started (%u retries allowed)",
		  a->retries_left);
	return 0;
}
