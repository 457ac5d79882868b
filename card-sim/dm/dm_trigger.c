// SPDX-License-Identifier: GPL-2.0
/* The card asks for a DM session; see dm_trigger.h. */
#include "dm/dm_trigger.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "dm/dm_identity.h"
#include "dm/dm_pkg0.h"
#include "dm/dm_sc.h"
#include "dm/dm_server.h"
#include "dm/dm_store.h"
#include "log.h"

/* The session id of the last package #0, -1 if none. */
static long last_session(struct card_state *st)
{
	const uint8_t *v;
	size_t len;
	char buf[128];
	unsigned int sid;

	if (card_state_get(st, DM_KEY_NOTIFY, &v, &len))
		return -1;
	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, v, len);
	buf[len] = '\0';
	return sscanf(buf, "session=%X", &sid) == 1 ? (long)sid : -1;
}

static void record(struct card_state *st, unsigned int sid, const char *what)
{
	char buf[128];
	int n = snprintf(buf, sizeof(buf), "session=%X\nstate=%s\ntime=%lld\n",
			 sid, what, (long long)card_clock_now());

	if (n > 0 && !card_state_set(st, DM_KEY_NOTIFY, buf, (size_t)n))
		card_state_save(st);
}

int dm_trigger_check(struct dm_server *s)
{
	struct card_state *st = dm_server_state(s);
	const struct dm_identity *id = dm_identity();
	uint8_t pkg[DM_PKG0_MAX];
	struct dm_nonce nonce;
	struct dm_prov *p = malloc(sizeof(*p));
	size_t pending, len;
	long last = last_session(st);
	uint16_t sid;
	int rc;

	if (!p)
		return -ENOMEM;
	pending = dm_prov_load(st, p) ? 0 : dm_prov_pending(st, p);
	free(p);
	if (!pending)
		return 0;
	/* A fresh session id: the client refuses one it saw last. */
	do {
		if (getrandom(&sid, sizeof(sid), 0) != sizeof(sid))
			return -EIO;
	} while (sid == last);
	dm_store_nonce(st, DM_KEY_SERVER_NONCE, &nonce);
	len = dm_pkg0_build(id->server_id, id->srv_secret, nonce.b, nonce.len,
			    sid, DM_PKG0_UI_BACKGROUND, pkg);
	if (!len)
		return -EINVAL;
	rc = dm_sc_notify(pkg, len);
	if (rc) {
		card_info("dm: package #0 not sent: %s", strerror(-rc));
		return rc;
	}
	dm_server_notified(s, sid);
	record(st, sid, "queued");
	card_info("dm: package #0 for session %X queued (%zu items pending)",
		  sid, pending);
	return 1;
}

static void client_changed(void *ctx, bool present)
{
	card_info("dm: the terminal's DM client is %s",
		  present ? "present" : "gone");
	if (present)
		dm_trigger_check(ctx);
}

static void notify_done(void *ctx, int bip_error)
{
	struct card_state *st = dm_server_state(ctx);
	long sid = last_session(st);
	char what[64];

	if (!bip_error)
		snprintf(what, sizeof(what), "sent");
	else if (bip_error == 0x100)
		snprintf(what, sizeof(what), "failed");
	else
		snprintf(what, sizeof(what), "failed (BIP error 0x%02X)", bip_error);
	card_info("dm: package #0 %s", what);
	if (sid >= 0)
		record(st, (unsigned int)sid, what);
}

static const struct dm_sc_ops ops = {
	.client_changed = client_changed,
	.notify_done = notify_done,
};

void dm_trigger_attach(struct dm_server *s)
{
	dm_sc_set_ops(&ops, s);
}
