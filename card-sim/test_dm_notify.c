// SPDX-License-Identifier: GPL-2.0
/*
 * TEST TOOLING (--test-dm-notify FILE), see test_dm_notify.h.
 */
#include "test_dm_notify.h"
#include "dm/dm_sc.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static uint8_t pkg[1024];
static size_t pkg_len;
static const char *pkg_path;

/* The file is read at every send: a test may put a fresh package there. */
static bool load(void)
{
	FILE *f = fopen(pkg_path, "rb");

	if (!f) {
		card_err("--test-dm-notify %s: %s", pkg_path, strerror(errno));
		return false;
	}
	pkg_len = fread(pkg, 1, sizeof(pkg), f);
	if (!pkg_len || fgetc(f) != EOF) {
		card_err("--test-dm-notify %s: want 1..%zu bytes", pkg_path,
			 sizeof(pkg));
		fclose(f);
		return false;
	}
	fclose(f);
	return true;
}

void test_dm_notify_send(void)
{
	int err;

	if (!load())
		return;
	err = dm_sc_notify(pkg, pkg_len);
	card_info("test DM notification (%zu bytes): %s", pkg_len,
		  err ? strerror(-err) : "queued");
}

static void changed(void *ctx, bool present)
{
	(void)ctx;
	card_info("test DM notification: DM client %s",
		  present ? "present" : "absent");
	if (present)
		test_dm_notify_send();
}

static void notify_done(void *ctx, int bip_error)
{
	(void)ctx;
	card_info("test DM notification: done, result %d (0x%02X)",
		  bip_error, (unsigned int)bip_error);
}

static const struct dm_sc_ops ops = {
	.client_changed = changed, .notify_done = notify_done,
};

bool test_dm_notify_setup(const char *path)
{
	pkg_path = path;
	if (!load())
		return false;
	dm_sc_set_ops(&ops, NULL);
	return true;
}
