// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/aram/aram.c card-sim/aram/aram_rules.c card-sim/aram/ber.c card-sim/uicc/apdu.c card-sim/state.c card-sim/log.c
// libs: -lmbedcrypto
/*
 * The ARA-M: its STORE DATA parser and the applet's APDU handling.
 *
 * Input: one mode byte, then frames of a 2-byte big-endian length and that
 * many bytes (a short last frame takes what is left).
 *   even mode: each frame is a STORE DATA command data field, applied in
 *              turn to one rule set; the rules must stay well-formed and
 *              bounded, and a refused command must change nothing.
 *   odd mode:  each frame is a whole C-APDU for the applet (GET DATA,
 *              STORE DATA with chaining, anything else), on a fresh card
 *              state in /dev/shm; answers must fit and never overrun.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "aram/aram.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool next_frame(const uint8_t **data, size_t *size,
		       const uint8_t **frame, size_t *n)
{
	if (*size < 2)
		return false;
	*n = (size_t)(*data)[0] << 8 | (*data)[1];
	*data += 2;
	*size -= 2;
	if (*n > *size)
		*n = *size;
	*frame = *data;
	*data += *n;
	*size -= *n;
	return true;
}

static void rules_mode(const uint8_t *data, size_t size)
{
	struct aram_rules rules = { 0 };
	const uint8_t *f;
	size_t n, ar_len;

	while (next_frame(&data, &size, &f, &n)) {
		size_t before = rules.len;
		uint16_t sw = aram_rules_store(&rules, f, n);

		assert(aram_rules_valid(rules.buf, rules.len));
		assert(rules.len <= ARAM_RULES_MAX);
		if (sw != SW_OK)
			assert(rules.len == before);
		/* Lookups with arbitrary bytes must be safe too. */
		(void)aram_rules_find(&rules, f, n, &ar_len);
	}
	aram_rules_free(&rules);
}

static void applet_mode(const uint8_t *data, size_t size)
{
	static uint8_t resp[APDU_RESP_MAX];
	char path[80];
	struct card_state *st;
	struct aram_session s = { 0 };
	struct aram *a;
	const uint8_t *f;
	size_t n;

	snprintf(path, sizeof(path), "/dev/shm/aram_fuzz.%d", (int)getpid());
	st = card_state_open(path, true);
	assert(st);
	a = aram_open(st);
	assert(a);
	while (next_frame(&data, &size, &f, &n)) {
		struct apdu_resp r = { resp, sizeof(resp) - 2, 0 };
		struct apdu c;

		if (apdu_parse(f, n, &c))
			continue;
		(void)aram_command(a, &s, &c, &r);
		assert(r.len <= r.cap);
	}
	aram_session_end(&s);
	aram_close(a);
	card_state_close(st);
	unlink(path);
	strcat(path, ".lock");
	unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		applet_mode(data + 1, size - 1);
	else
		rules_mode(data + 1, size - 1);
	return 0;
}
