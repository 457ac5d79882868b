// SPDX-License-Identifier: GPL-2.0
/*
 * The remote administration application: command strings to triggers.
 */
#include "ota/ram.h"
#include "ota/trigger_tlv.h"
#include "uicc/apdu.h"
#include "log.h"

#include <errno.h>
#include <string.h>

#define CLA_GP 0x80
#define INS_PUSH 0xEC
#define PUSH_P1 0x01
#define PUSH_P2_BIP 0x01

/* The agent's answer as a status word: PUSH says 90 00 when the channel
 * can be opened, 6F 00 otherwise (TS 102 226 8.1). */
static uint16_t hand_over(const struct admin_trigger *t, ram_trigger_fn *fn,
			  void *arg, const char *what)
{
	int rc = fn(arg, t);

	card_info("ota: %s parsed, handed to the admin agent: %s", what,
		  rc == 0 ? "session queued" : strerror(-rc));
	if (rc == 0)
		return SW_OK;
	return rc == -EINVAL ? SW_WRONG_DATA : SW_TECHNICAL;
}

static uint16_t push(const uint8_t *h, const uint8_t *data, size_t n,
		     ram_trigger_fn *fn, void *arg)
{
	struct admin_trigger t;
	const char *why = NULL;

	if (h[2] != PUSH_P1 || h[3] != PUSH_P2_BIP) {
		card_err("ota: PUSH P1 P2 %02X %02X not supported (BIP only)",
			 h[2], h[3]);
		return SW_WRONG_P1P2;
	}
	if (push_bip_parse(data, n, &t, &why)) {
		card_err("ota: PUSH refused: %s", why);
		return SW_WRONG_DATA;
	}
	return hand_over(&t, fn, arg, "PUSH (BIP channel opening)");
}

static size_t put_response(uint8_t *out, size_t cap, unsigned int count,
			   uint16_t sw)
{
	if (cap < 3)
		return 0;
	out[0] = (uint8_t)count;
	out[1] = (uint8_t)(sw >> 8);
	out[2] = (uint8_t)sw;
	return 3;
}

size_t ram_execute(const uint8_t *sd, size_t len, ram_trigger_fn *fn,
		   void *arg, uint8_t *out, size_t cap)
{
	unsigned int count = 0;
	uint16_t sw = SW_OK;
	size_t at = 0;

	if (len && sd[0] == AMDB_TAG_TRIGGER) {
		struct admin_trigger t;
		const char *why = NULL;

		if (amdb_trigger_parse(sd, len, &t, &why)) {
			card_err("ota: triggering parameters refused: %s", why);
			return put_response(out, cap, 1, SW_WRONG_DATA);
		}
		return put_response(out, cap, 1,
				    hand_over(&t, fn, arg,
					      "Amd B triggering parameters"));
	}
	if (len && (sd[0] == 0xAA || sd[0] == 0xAE)) {
		card_err("ota: expanded remote command format not supported");
		return put_response(out, cap, 0, SW_WRONG_DATA);
	}
	while (at < len && sw == SW_OK) {
		const uint8_t *h = sd + at;
		size_t n;

		count++;
		if (len - at < 5) {
			sw = SW_WRONG_LENGTH;	/* a command cut short */
			break;
		}
		n = h[4];
		if (len - at - 5 < n) {
			sw = SW_WRONG_LENGTH;
			break;
		}
		if (h[0] == CLA_GP && h[1] == INS_PUSH)
			sw = push(h, h + 5, n, fn, arg);
		else
			sw = h[0] == CLA_GP ? SW_INS_UNSUPPORTED
					    : SW_CLA_UNSUPPORTED;
		at += 5 + n;
	}
	return put_response(out, cap, count, sw);
}
