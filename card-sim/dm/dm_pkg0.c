// SPDX-License-Identifier: GPL-2.0
/* Package #0 on the card; see dm_pkg0.h. */
#include "dm/dm_pkg0.h"

#include <string.h>

#include "dm-auth.h"

#define VERSION_1_2 12
#define INITIATOR_SERVER 1

size_t dm_pkg0_build(const char *server_id, const char *srv_secret,
		     const uint8_t *nonce, size_t nonce_len,
		     unsigned int session_id, enum dm_pkg0_ui ui,
		     uint8_t *out)
{
	size_t id_len = strlen(server_id);
	uint8_t *t = out + DM_MD5_LEN;
	uint64_t h;

	if (!id_len || id_len > 255)
		return 0;
	h = (uint64_t)VERSION_1_2 << 54 | (uint64_t)(ui & 3) << 52 |
	    (uint64_t)INITIATOR_SERVER << 51 |
	    (uint64_t)(session_id & 0xffff) << 8 | id_len;
	for (int i = 0; i < 8; i++)
		t[i] = (uint8_t)(h >> (56 - 8 * i));
	memcpy(t + 8, server_id, id_len);
	dm_notify_digest(server_id, srv_secret, nonce, nonce_len, t,
			 8 + id_len, out);
	return DM_MD5_LEN + 8 + id_len;
}
