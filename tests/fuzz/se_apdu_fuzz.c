// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/lib/se-apdu.c
/*
 * The APDU classifier: any bytes as an application's command on any
 * channel.  What it passes must never be a toolkit command, MANAGE
 * CHANNEL or SELECT by name, must be coded for the caller's channel and
 * must parse back to the same fields.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "se-apdu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct se_apdu a, b;
	unsigned int chan;
	uint8_t cla;

	if (size < 1)
		return 0;
	chan = data[0] % (SE_APDU_MAX_CHANNEL + 2);
	data++;
	size--;
	if (se_apdu_check(data, size, chan, &a) != SE_APDU_OK)
		return 0;
	assert(chan >= 1 && chan <= SE_APDU_MAX_CHANNEL);
	assert(a.ins != 0x10 && a.ins != 0x12 && a.ins != 0x14 &&
	       a.ins != 0xC2 && a.ins != 0x70);
	assert(!(a.ins == 0xA4 && a.p1 == 0x04));
	assert(se_apdu_cla_channel(a.cla) == (int)chan);
	assert(se_apdu_parse(data, size, &b) == 0);
	assert(a.ins == b.ins && a.p1 == b.p1 && a.p2 == b.p2 &&
	       a.nc == b.nc && a.ne == b.ne);
	assert(a.nc == 0 || (a.data >= data && a.data + a.nc <= data + size));
	/* Moving it back to channel 0 and again gives the same CLA. */
	assert(se_apdu_cla_for(a.cla, 0, &cla));
	assert(se_apdu_cla_for(cla, chan, &cla) && cla == a.cla);
	return 0;
}
