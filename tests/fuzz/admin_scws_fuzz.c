// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/admin/scws_cmd.c card-sim/site/site_admin.c card-sim/http/http_buf.c card-sim/http/http_parse.c card-sim/http/http_url.c card-sim/http/http_response.c card-sim/http/http_date.c card-sim/http/http_cache.c card-sim/clock.c card-sim/site/site.c card-sim/http/http_origin.c card-sim/site/site_import.c card-sim/site/site_mime.c card-sim/http/auth.c card-sim/uicc/pin.c card-sim/uicc/fs.c card-sim/state.c card-sim/log.c
// libs: -lmbedcrypto
/*
 * libFuzzer target: SCWS administration commands (a whole HTTP request)
 * executed against a real content store in a state file under /dev/shm.
 * Invariants: the answer is one HTTP/1.1 status line and head; a
 * format error changes nothing (the resource count stays), and after any
 * command the state file still opens and the store still reads back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin/admin.h"
#include "site/site.h"
#include "uicc/pin.h"

static struct card_state *st;
static struct card_pin *pin;
static struct scws_site *site;
static char path[64], lock[80];

static void cleanup(void)
{
	unlink(path);
	unlink(lock);
}

static int count_one(const char *k, const uint8_t *v, size_t n, void *arg)
{
	(void)k;
	(void)v;
	(void)n;
	(*(size_t *)arg)++;
	return 0;
}

static size_t resources(void)
{
	size_t n = 0;

	card_state_foreach(st, "", count_one, &n);
	return n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(path, sizeof(path), "/dev/shm/scws-admin-fuzz.%d", (int)getpid());
	snprintf(lock, sizeof(lock), "%s.lock", path);
	atexit(cleanup);
	st = card_state_open(path, true);
	pin = st ? card_pin_open(st) : NULL;
	site = pin ? scws_site_open(st, pin, NULL) : NULL;
	if (!site)
		abort();
	site_resource_put(site, "/a/b.html", "text/html", "x", 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_buf out = { 0 };
	size_t before = resources();
	const char *status = admin_scws_exec(site, data, size, &out);

	if (out.len < 12 || memcmp(out.data, "HTTP/1.1 ", 9))
		abort();
	if (!strcmp(status, "script-format-error") && resources() != before)
		abort();
	http_buf_free(&out);
	/* Keep the store small: the fuzzer's PUTs would fill it. */
	if (resources() > 64) {
		site_dir_delete(site, "/");
		card_state_save(st);
	}
	return 0;
}
