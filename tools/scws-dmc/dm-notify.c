// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * dm-notify.c - parse and authenticate a package #0.  The parser only
 * reads within the buffer; the vendor-specific part is kept as bytes.
 */
#include "dm-notify.h"

#include <string.h>

enum dm_notify_err dm_notify_parse(const uint8_t *buf, size_t len,
				   struct dm_notify *n)
{
	memset(n, 0, sizeof(*n));
	if (len < DM_MD5_LEN + DM_NOTIFY_HDR_LEN)
		return DM_NOTIFY_SHORT;
	memcpy(n->digest, buf, DM_MD5_LEN);
	const uint8_t *t = buf + DM_MD5_LEN;
	size_t tlen = len - DM_MD5_LEN;
	uint64_t h = 0;

	for (int i = 0; i < 8; i++)
		h = h << 8 | t[i];
	n->version = (unsigned int)(h >> 54);
	n->ui_mode = (enum dm_ui_mode)(h >> 52 & 3);
	n->initiator = (unsigned int)(h >> 51 & 1);
	uint32_t future = (uint32_t)(h >> 24 & 0x7ffffff);

	n->session_id = (unsigned int)(h >> 8 & 0xffff);
	size_t id_len = h & 0xff;

	if (n->version != DM_NOTIFY_VERSION)
		return DM_NOTIFY_VERSION_BAD;
	if (future)
		return DM_NOTIFY_FUTURE_BITS;
	if (tlen < DM_NOTIFY_HDR_LEN + id_len)
		return DM_NOTIFY_SHORT;
	if (!id_len)
		return DM_NOTIFY_SERVER_ID;
	for (size_t i = 0; i < id_len; i++) {
		uint8_t c = t[DM_NOTIFY_HDR_LEN + i];

		if (c < 0x20 || c == 0x7f)
			return DM_NOTIFY_SERVER_ID;
	}
	memcpy(n->server_id, t + DM_NOTIFY_HDR_LEN, id_len);
	n->server_id[id_len] = '\0';
	n->trigger = t;
	n->trigger_len = tlen;
	n->vendor = t + DM_NOTIFY_HDR_LEN + id_len;
	n->vendor_len = tlen - DM_NOTIFY_HDR_LEN - id_len;
	return DM_NOTIFY_OK;
}

const char *dm_notify_strerror(enum dm_notify_err e)
{
	switch (e) {
	case DM_NOTIFY_OK:
		return "ok";
	case DM_NOTIFY_SHORT:
		return "truncated package #0";
	case DM_NOTIFY_VERSION_BAD:
		return "not a DM 1.2 notification (version field)";
	case DM_NOTIFY_FUTURE_BITS:
		return "reserved (future-use) bits are set";
	case DM_NOTIFY_SERVER_ID:
		return "empty or non-printable server identifier";
	}
	return "unknown error";
}

int dm_notify_check(const struct dm_notify *n, const char *secret,
		    const uint8_t *nonce, size_t nonce_len)
{
	uint8_t want[DM_MD5_LEN];

	dm_notify_digest(n->server_id, secret, nonce, nonce_len,
			 n->trigger, n->trigger_len, want);
	return dm_mem_equal(want, n->digest, DM_MD5_LEN);
}
