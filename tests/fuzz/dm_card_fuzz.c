// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/dm/dm_server.c card-sim/dm/dm_store.c card-sim/dm/dm_results.c card-sim/dm/dm_identity.c card-sim/state.c card-sim/log.c card-sim/clock.c tools/lib/dm-auth.c tools/lib/dm-syncml.c tools/lib/dm-out.c tools/lib/dm-xml.c
// libs: -I/usr/include/libxml2 -lxml2 -lcrypto -lmbedcrypto
/*
 * The card's DM server on arbitrary request bodies.  Before each input an
 * authenticated package 1 opens session "1" from Source "fuzz", so inputs
 * naming that session reach the report handling (per-item Statuses,
 * Results, nonces) as well as package 1 and the parser.  The answer must
 * be 200 with a body or 400/500 without one.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "card.h"
#include "dm-auth.h"
#include "dm-out.h"
#include "dm/dm_identity.h"
#include "dm/dm_server.h"
#include "dm/dm_store.h"
#include "log.h"

static struct card_state *st;
static char path[64], lock[80];

static void remove_state(void)
{
	card_state_close(st);
	unlink(path);
	unlink(lock);
}

static void open_state(void)
{
	/* tmpfs where there is one: every session saves the state. */
	snprintf(path, sizeof(path), "%s/dm-card-fuzz.%d.state",
		 access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm", (int)getpid());
	snprintf(lock, sizeof(lock), "%s.lock", path);
	st = card_state_open(path, true);
	if (!st)
		abort();
	atexit(remove_state);
	card_log_level = CARD_LOG_ERR;
}

static void post(struct dm_server *s, const char *body, size_t len)
{
	char *resp, err[320];
	size_t rlen;
	int status = dm_server_handle(s, body, len, &resp, &rlen, err, sizeof(err));

	if (status == 200 ? !resp || !rlen : resp || (status != 400 && status != 500))
		abort();
	free(resp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct dm_identity *id = dm_identity();
	char cred[DM_MD5_B64_SIZE], *b;
	struct dm_nonce n;
	size_t len;

	if (!st)
		open_state();
	struct dm_server *s = dm_server_new(st);

	if (!s)
		abort();
	dm_store_nonce(st, DM_KEY_CLIENT_NONCE, &n);
	dm_md5_cred(id->cli_name, id->cli_secret, n.b, n.len, cred);
	struct dm_out *o = dm_out_begin("1", 1, id->addr, "fuzz", cred);

	dm_out_alert(o, 1201, NULL, NULL, NULL, NULL);
	b = dm_out_end(o, 1, &len);
	post(s, b, len);
	free(b);
	post(s, (const char *)data, size);
	dm_server_free(s);
	return 0;
}
