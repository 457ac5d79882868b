/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * dm-notify.h - package #0, the OMA DM 1.2 Notification Initiated Session
 * trigger (OMA-TS-DM_Notification-V1_2):
 *   digest(128 bits) | version(10) ui-mode(2) initiator(1) future-use(27)
 *   session-id(16) server-id-length(8) server-id(n) | vendor-specific
 * The trigger is everything after the digest.
 */
#ifndef SCWS_DM_NOTIFY_H
#define SCWS_DM_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "dm-auth.h"

#define DM_NOTIFY_HDR_LEN 8	/* the fixed trigger header after the digest */
#define DM_NOTIFY_VERSION 12	/* DM 1.2 */

enum dm_ui_mode {
	DM_UI_UNSPECIFIED = 0,
	DM_UI_BACKGROUND = 1,
	DM_UI_INFORMATIVE = 2,
	DM_UI_INTERACTIVE = 3,
};

struct dm_notify {
	uint8_t digest[DM_MD5_LEN];
	unsigned int version;
	enum dm_ui_mode ui_mode;
	unsigned int initiator;	/* 1: server-initiated */
	unsigned int session_id;
	char server_id[256];	/* NUL-terminated */
	const uint8_t *trigger;	/* into the parsed buffer */
	size_t trigger_len;
	const uint8_t *vendor;
	size_t vendor_len;
};

enum dm_notify_err {
	DM_NOTIFY_OK = 0,
	DM_NOTIFY_SHORT,	/* shorter than its header or server id */
	DM_NOTIFY_VERSION_BAD,	/* not 1.2 */
	DM_NOTIFY_FUTURE_BITS,	/* reserved bits set */
	DM_NOTIFY_SERVER_ID,	/* empty or with a NUL or control byte */
};

/* Parse buf (kept referenced by n).  Checks the shape only: the digest
 * needs the server's credentials, see dm_notify_check(). */
enum dm_notify_err dm_notify_parse(const uint8_t *buf, size_t len,
				   struct dm_notify *n);
const char *dm_notify_strerror(enum dm_notify_err e);

/* 1 if n's digest is the one made with the server's secret and nonce. */
int dm_notify_check(const struct dm_notify *n, const char *secret,
		    const uint8_t *nonce, size_t nonce_len);

#endif
