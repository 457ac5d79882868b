/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sms_concat.h - putting a concatenated SMS (TS 23.040 9.2.3.24.1 / .8,
 * IEI 00 / 08) back together, for command packets longer than one SMS.
 *
 * One message at a time, as a UICC receives them: a part with another
 * reference number starts over (the old parts are dropped, logged).
 * Parts may come in any order; a repeated part, a part number out of
 * range or a total that changes drops the message.  At most
 * SMS_CONCAT_PARTS_MAX parts.
 */
#ifndef SCWS_OTA_SMS_CONCAT_H
#define SCWS_OTA_SMS_CONCAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ota/sms_deliver.h"

#define SMS_CONCAT_PARTS_MAX 8

struct sms_concat {
	bool active;
	uint16_t ref;
	uint8_t total;
	uint8_t have;			/* bit n-1: part n received */
	size_t len[SMS_CONCAT_PARTS_MAX];
	uint8_t part[SMS_CONCAT_PARTS_MAX][SMS_UD_MAX];
	uint8_t whole[SMS_CONCAT_PARTS_MAX * SMS_UD_MAX];
};

void sms_concat_reset(struct sms_concat *c);

enum { SMS_CONCAT_WAIT = 0, SMS_CONCAT_DONE = 1, SMS_CONCAT_REFUSED = -1 };

/* Adds part seq of total (reference ref).  SMS_CONCAT_DONE with *out /
 * *out_len the parts' bodies in order (valid until the next call);
 * SMS_CONCAT_WAIT for more; SMS_CONCAT_REFUSED (message dropped). */
int sms_concat_add(struct sms_concat *c, uint16_t ref, uint8_t total,
		   uint8_t seq, const uint8_t *body, size_t len,
		   const uint8_t **out, size_t *out_len);

#endif /* SCWS_OTA_SMS_CONCAT_H */
