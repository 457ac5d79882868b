// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/scws-dmc/dm-semo-script.c
/*
 * The ./SEMO APDU script parser on arbitrary text: an accepted script
 * starts with an AID, has 1..SEMO_STEPS_MAX steps, AIDs of 5..16 bytes
 * and C-APDUs of a short ISO 7816-3 case; a refused one says why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/scws-dmc/dm-semo-script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct semo_script s;
	char err[200];

	if (semo_script_parse((const char *)data, size, &s, err,
			      sizeof(err))) {
		if (!err[0] || !memchr(err, '\0', sizeof(err)))
			abort();
		return 0;
	}
	if (!s.n || s.n > SEMO_STEPS_MAX || !s.step[0].is_aid)
		abort();
	for (size_t i = 0; i < s.n; i++) {
		const struct semo_step *st = &s.step[i];

		if (st->is_aid ? st->len < SEMO_AID_MIN || st->len > SEMO_AID_MAX
			       : st->len < 4 || st->len > SEMO_APDU_MAX)
			abort();
		if (!st->is_aid && st->len > 5 && st->len != 5u + st->bytes[4] &&
		    st->len != 6u + st->bytes[4])
			abort();
	}
	return 0;
}
