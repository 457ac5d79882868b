// SPDX-License-Identifier: GPL-2.0
/*
 * Reassembly of one concatenated SMS.
 */
#include "ota/sms_concat.h"
#include "log.h"

#include <string.h>

void sms_concat_reset(struct sms_concat *c)
{
	c->active = false;
	c->ref = 0;
	c->total = 0;
	c->have = 0;
	memset(c->len, 0, sizeof(c->len));
}

static int refuse(struct sms_concat *c, const char *why, uint8_t seq)
{
	card_err("ota: concatenated SMS part %u refused: %s", seq, why);
	sms_concat_reset(c);
	return SMS_CONCAT_REFUSED;
}

int sms_concat_add(struct sms_concat *c, uint16_t ref, uint8_t total,
		   uint8_t seq, const uint8_t *body, size_t len,
		   const uint8_t **out, size_t *out_len)
{
	size_t n = 0;

	if (c->active && c->ref != ref) {
		card_err("ota: concatenated SMS %u dropped incomplete, %u "
			 "begins", c->ref, ref);
		sms_concat_reset(c);
	}
	if (total < 2 || total > SMS_CONCAT_PARTS_MAX)
		return refuse(c, "number of parts out of range", seq);
	if (seq < 1 || seq > total || len > SMS_UD_MAX)
		return refuse(c, "part number out of range", seq);
	if (c->active && c->total != total)
		return refuse(c, "number of parts changed", seq);
	if (c->have & (1u << (seq - 1)))
		return refuse(c, "received twice", seq);
	c->active = true;
	c->ref = ref;
	c->total = total;
	c->have |= (uint8_t)(1u << (seq - 1));
	memcpy(c->part[seq - 1], body, len);
	c->len[seq - 1] = len;
	if (c->have != (uint8_t)((1u << total) - 1))
		return SMS_CONCAT_WAIT;
	for (uint8_t i = 0; i < total; i++) {
		memcpy(c->whole + n, c->part[i], c->len[i]);
		n += c->len[i];
	}
	sms_concat_reset(c);
	*out = c->whole;
	*out_len = n;
	return SMS_CONCAT_DONE;
}
