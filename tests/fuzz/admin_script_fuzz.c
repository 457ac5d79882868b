// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/admin/script.c card-sim/http/http_buf.c
/*
 * libFuzzer target: AA/AE APDU scripts (TS 102 226 expanded format) and
 * the X-Admin-Targeted-Application URI.  Input: byte 0 picks the stub
 * applet's status words, then the script.  Invariants: a format error
 * runs nothing and writes nothing; otherwise every C-APDU handed to the
 * applet has at least a header and lies inside the script, the answer is
 * AB/AF with the count 80 01 n first, and n equals the calls made.
 */
#include <stdlib.h>
#include <string.h>

#include "admin/admin.h"

struct applet {
	const uint8_t *lo, *hi;
	unsigned int calls;
	uint8_t mode;
};

static uint16_t stub(void *ctx, const uint8_t *capdu, size_t len,
		     uint8_t *rdata, size_t cap, size_t *rlen)
{
	struct applet *a = ctx;

	if (len < 4 || capdu < a->lo || capdu + len > a->hi || cap < 4)
		abort();
	a->calls++;
	*rlen = capdu[3] % 4;
	memset(rdata, 0xA5, *rlen);
	return (a->mode >> (a->calls % 8)) & 1 ? 0x6A80 : 0x9000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct applet a = { 0 };
	struct http_buf out = { 0 };
	const char *st;
	uint8_t aid[16];
	char uri[64];

	if (size < 1)
		return 0;
	a.mode = data[0];
	a.lo = data + 1;
	a.hi = data + size;
	st = admin_script_exec(data + 1, size - 1, stub, &a, &out);
	if (!strcmp(st, "script-format-error")) {
		if (a.calls || out.len)
			abort();
	} else {
		size_t c = out.data[1] == 0x80 && out.data[0] == 0xAF ? 2 :
			   out.data[1] < 0x80 ? 2 : out.data[1] == 0x81 ? 3 : 4;

		if (strcmp(st, "ok") || (out.data[0] != 0xAB && out.data[0] != 0xAF) ||
		    out.len < c + 3 || out.data[c] != 0x80 || out.data[c + 1] != 1 ||
		    out.data[c + 2] != a.calls)
			abort();
	}
	http_buf_free(&out);
	if (size - 1 < sizeof(uri)) {
		memcpy(uri, data + 1, size - 1);
		uri[size - 1] = '\0';
		if (admin_parse_aid_uri(uri, aid, sizeof(aid)) > 16)
			abort();
	}
	return 0;
}
