// SPDX-License-Identifier: GPL-2.0
/*
 * OTA key sets and counters in the card's state file.
 */
#include "card.h"
#include "ota/keysets.h"
#include "ota/ota_crypto.h"

#include "hex.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void key_name(char *buf, size_t cap, const char *what, uint8_t kvn)
{
	snprintf(buf, cap, "ota/%s/%X", what, kvn & 0x0F);
}

int ota_keyset_load(const struct card_state *st, uint8_t kvn,
		    struct ota_keyset *ks)
{
	const uint8_t *v;
	size_t len, kic_len, kid_len;
	char name[32];

	memset(ks, 0, sizeof(*ks));
	if (kvn < 1 || kvn > 15)
		return -ENOENT;
	key_name(name, sizeof(name), "keyset", kvn);
	if (card_state_get(st, name, &v, &len))
		return -ENOENT;
	if (len < 2)
		return -EINVAL;
	kic_len = v[0];
	if (len < 2 + kic_len)
		return -EINVAL;
	kid_len = v[1 + kic_len];
	if (len != 2 + kic_len + kid_len || !ota_aes_key_ok(kic_len) ||
	    !ota_aes_key_ok(kid_len))
		return -EINVAL;
	ks->kvn = kvn;
	memcpy(ks->kic, v + 1, kic_len);
	ks->kic_len = kic_len;
	memcpy(ks->kid, v + 2 + kic_len, kid_len);
	ks->kid_len = kid_len;
	return 0;
}

int ota_keyset_store(struct card_state *st, const struct ota_keyset *ks)
{
	uint8_t rec[2 + 2 * OTA_KEY_MAX];
	char name[32];
	int rc;

	if (ks->kvn < 1 || ks->kvn > 15 || !ota_aes_key_ok(ks->kic_len) ||
	    !ota_aes_key_ok(ks->kid_len))
		return -EINVAL;
	rec[0] = (uint8_t)ks->kic_len;
	memcpy(rec + 1, ks->kic, ks->kic_len);
	rec[1 + ks->kic_len] = (uint8_t)ks->kid_len;
	memcpy(rec + 2 + ks->kic_len, ks->kid, ks->kid_len);
	key_name(name, sizeof(name), "keyset", ks->kvn);
	rc = card_state_set(st, name, rec, 2 + ks->kic_len + ks->kid_len);
	return rc ? rc : card_state_save(st);
}

static bool parse_key(const char *s, size_t n, uint8_t *out, size_t *len)
{
	if (n % 2 || !ota_aes_key_ok(n / 2))
		return false;
	for (size_t i = 0; i < n; i += 2) {
		int hi = hex_digit(s[i]), lo = hex_digit(s[i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	*len = n / 2;
	return true;
}

bool ota_keyset_parse(const char *s, struct ota_keyset *ks)
{
	const char *c1 = strchr(s, ':'), *c2;
	int kvn;

	memset(ks, 0, sizeof(*ks));
	if (!c1 || c1 - s != 1 || (kvn = hex_digit(s[0])) < 1)
		return false;
	c2 = strchr(c1 + 1, ':');
	if (!c2)
		return false;
	ks->kvn = (uint8_t)kvn;
	return parse_key(c1 + 1, (size_t)(c2 - c1 - 1), ks->kic, &ks->kic_len) &&
	       parse_key(c2 + 1, strlen(c2 + 1), ks->kid, &ks->kid_len);
}

void ota_counter_load(const struct card_state *st, uint8_t kvn,
		      uint8_t cntr[OTA_CNTR_LEN])
{
	const uint8_t *v;
	size_t len;
	char name[32];

	key_name(name, sizeof(name), "counter", kvn);
	if (!card_state_get(st, name, &v, &len) && len == OTA_CNTR_LEN)
		memcpy(cntr, v, OTA_CNTR_LEN);
	else
		memset(cntr, 0, OTA_CNTR_LEN);
}

int ota_counter_store(struct card_state *st, uint8_t kvn,
		      const uint8_t cntr[OTA_CNTR_LEN])
{
	uint8_t old[OTA_CNTR_LEN];
	char name[32];
	int rc;

	ota_counter_load(st, kvn, old);
	key_name(name, sizeof(name), "counter", kvn);
	rc = card_state_set(st, name, cntr, OTA_CNTR_LEN);
	if (!rc)
		rc = card_state_save(st);
	if (rc)		/* keep memory and disk in step */
		card_state_set(st, name, old, OTA_CNTR_LEN);
	return rc;
}

static uint64_t be40(const uint8_t b[OTA_CNTR_LEN])
{
	uint64_t v = 0;

	for (int i = 0; i < OTA_CNTR_LEN; i++)
		v = v << 8 | b[i];
	return v;
}

#define CNTR_MAX 0xFFFFFFFFFFull

uint8_t ota_counter_check(enum ota_counter m,
			  const uint8_t stored[OTA_CNTR_LEN],
			  const uint8_t rx[OTA_CNTR_LEN], bool *update)
{
	uint64_t s = be40(stored), r = be40(rx);

	*update = false;
	if (m == OTA_CNTR_NONE || m == OTA_CNTR_ANY)
		return OTA_POR_OK;	/* no replay or sequence checking */
	/* TS 102 225: once the counter has reached its maximum the key
	 * set takes no more packets. */
	if (s == CNTR_MAX)
		return OTA_POR_CNTR_BLOCKED;
	if (r <= s)
		return OTA_POR_CNTR_LOW;
	if (m == OTA_CNTR_ONE_HIGHER && r != s + 1)
		return OTA_POR_CNTR_HIGH;
	*update = true;
	return OTA_POR_OK;
}
