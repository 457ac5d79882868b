// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/scws-dmc/dm-p15.c tools/lib/arf-rules.c tools/lib/seac-rules.c tools/lib/ber.c
/*
 * scws-dmc's walk to the card's DM bootstrap data on arbitrary files:
 * the input is EF.ODF, EF.DODF (any path 5207) and the EF any other path
 * names, each behind a two-byte length (the last one takes the rest).
 * The data found must lie inside that EF; one DODF is also parsed alone.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/scws-dmc/dm-p15.h"

struct files {
	const uint8_t *f[3];
	size_t n[3];
};

static int rd(void *arg, const struct arf_path *p, uint8_t **data, size_t *len)
{
	const struct files *fs = arg;
	int i = p->len == 2 && p->b[0] == 0x50 && p->b[1] == 0x31 ? 0 :
		p->len == 2 && p->b[0] == 0x52 && p->b[1] == 0x07 ? 1 : 2;

	if (!fs->f[i])
		return -ENOENT;
	*data = malloc(fs->n[i] + 1);
	if (!*data)
		return -ENOMEM;
	memcpy(*data, fs->f[i], fs->n[i]);
	*len = fs->n[i];
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct files fs = { 0 };
	struct dm_p15_ref ref;
	uint8_t *out = NULL;
	size_t len = 0, off = 0;
	char why[256];

	for (int i = 0; i < 3 && off <= size; i++) {
		size_t n = size - off;

		if (i < 2) {
			if (size - off < 2)
				break;
			n = (size_t)(data[off] << 8 | data[off + 1]);
			off += 2;
			if (n > size - off)
				n = size - off;
		}
		fs.f[i] = data + off;
		fs.n[i] = n;
		off += n;
	}
	if (fs.f[1])
		(void)dm_p15_parse_dodf(fs.f[1], fs.n[1], &ref, why, sizeof(why));
	if (!dm_p15_read_bootstrap(rd, &fs, &out, &len, why, sizeof(why))) {
		const uint8_t *ef = fs.f[2];

		/* the data are bytes of the EF, never padding alone */
		if (!len || !ef || len > fs.n[2] || !memmem(ef, fs.n[2], out, len))
			abort();
	}
	free(out);
	return 0;
}
