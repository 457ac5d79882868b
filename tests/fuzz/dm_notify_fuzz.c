// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/scws-dmc/dm-notify.c tools/lib/dm-auth.c
// libs: -lcrypto
/*
 * The OMA DM package #0 parser on arbitrary bytes: a parsed notification
 * must point inside the input, its server id be terminated and printable,
 * and the digest check run on it without harm.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/scws-dmc/dm-notify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dm_notify n;

	if (dm_notify_parse(data, size, &n) != DM_NOTIFY_OK)
		return 0;
	size_t id_len = strlen(n.server_id);

	if (n.version != DM_NOTIFY_VERSION || id_len == 0 || id_len > 255 ||
	    n.trigger != data + DM_MD5_LEN ||
	    n.trigger_len != size - DM_MD5_LEN ||
	    n.vendor + n.vendor_len != data + size ||
	    n.vendor != n.trigger + DM_NOTIFY_HDR_LEN + id_len)
		abort();
	for (size_t i = 0; i < id_len; i++)
		if ((unsigned char)n.server_id[i] < 0x20)
			abort();
	(void)dm_notify_check(&n, "secret", data, size < 16 ? size : 16);
	return 0;
}
