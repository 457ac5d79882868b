// SPDX-License-Identifier: GPL-2.0
/*
 * Remote APDU scripts in the expanded format (ETSI TS 102 226 5.2.1 and
 * 5.2.2, as GP Amd B carries them in
 * application/vnd.globalplatform.card-content-mgt;version=1.0):
 *
 *   command  AA L { 22 L C-APDU }*          definite length
 *            AE 80 { 22 L C-APDU }* 00 00    indefinite length
 *   response AB L { 80 01 n, 23 L R-APDU* }  (AF 80 ... 00 00 for AE)
 *
 * where n is the number of C-APDUs executed and each R-APDU is the
 * response data and SW.  The whole script is checked before anything
 * runs, so a malformed one changes nothing.  Execution stops at the first
 * SW that is not a success or warning (90xx, 61xx, 62xx, 63xx).
 */
#include "admin/admin.h"
#include "hex.h"

#include <stdlib.h>
#include <string.h>

#define TAG_CMD_DEF 0xAA
#define TAG_CMD_INDEF 0xAE
#define TAG_RSP_DEF 0xAB
#define TAG_RSP_INDEF 0xAF
#define TAG_CAPDU 0x22
#define TAG_RAPDU 0x23
#define TAG_COUNT 0x80
#define SCRIPT_MAX_APDUS 64
#define RDATA_MAX 4096

/* BER length at p: 0 with *len and *used, or -1. */
static int ber_len(const uint8_t *p, size_t avail, size_t *len, size_t *used)
{
	if (!avail)
		return -1;
	if (p[0] < 0x80) {
		*len = p[0];
		*used = 1;
	} else if (p[0] == 0x81 && avail >= 2 && p[1] >= 0x80) {
		*len = p[1];
		*used = 2;
	} else if (p[0] == 0x82 && avail >= 3 && (p[1] << 8 | p[2]) >= 0x100) {
		*len = (size_t)(p[1] << 8 | p[2]);
		*used = 3;
	} else {
		return -1;
	}
	return 0;
}

static void put_len(struct http_buf *b, size_t n)
{
	uint8_t l[3];

	if (n < 0x80) {
		l[0] = (uint8_t)n;
		http_buf_put(b, l, 1);
	} else if (n < 0x100) {
		l[0] = 0x81;
		l[1] = (uint8_t)n;
		http_buf_put(b, l, 2);
	} else {
		l[0] = 0x82;
		l[1] = (uint8_t)(n >> 8);
		l[2] = (uint8_t)n;
		http_buf_put(b, l, 3);
	}
}

struct capdu {
	const uint8_t *p;
	size_t len;
};

/* The C-APDUs of a script's value; count, or -1 if malformed. */
static int split(const uint8_t *v, size_t len, struct capdu *out)
{
	size_t i = 0;
	int n = 0;

	while (i < len) {
		size_t l, used;

		if (v[i] != TAG_CAPDU || n == SCRIPT_MAX_APDUS ||
		    ber_len(v + i + 1, len - i - 1, &l, &used) ||
		    l > len - i - 1 - used || l < 4)
			return -1;
		out[n].p = v + i + 1 + used;
		out[n].len = l;
		n++;
		i += 1 + used + l;
	}
	return n;
}

static bool sw_continues(uint16_t sw)
{
	uint8_t sw1 = (uint8_t)(sw >> 8);

	return sw1 == 0x90 || sw1 == 0x61 || sw1 == 0x62 || sw1 == 0x63;
}

const char *admin_script_exec(const uint8_t *script, size_t len,
			      admin_apdu_fn fn, void *ctx,
			      struct http_buf *out)
{
	struct capdu cmds[SCRIPT_MAX_APDUS];
	struct http_buf rsp = { 0 };
	const uint8_t *v;
	size_t vlen, l, used;
	uint8_t *rdata;
	bool indef;
	int n, done = 0;

	if (len < 2 || (script[0] != TAG_CMD_DEF && script[0] != TAG_CMD_INDEF))
		return "script-format-error";
	indef = script[0] == TAG_CMD_INDEF;
	if (indef) {
		if (script[1] != 0x80 || len < 4 || script[len - 2] ||
		    script[len - 1])
			return "script-format-error";
		v = script + 2;
		vlen = len - 4;
	} else {
		if (ber_len(script + 1, len - 1, &l, &used) ||
		    l != len - 1 - used)
			return "script-format-error";
		v = script + 1 + used;
		vlen = l;
	}
	n = split(v, vlen, cmds);
	if (n < 0)
		return "script-format-error";
	rdata = malloc(RDATA_MAX);
	if (!rdata)
		return "script-format-error";
	for (int i = 0; i < n; i++) {
		size_t rlen = 0;
		uint16_t sw = fn(ctx, cmds[i].p, cmds[i].len, rdata,
				 RDATA_MAX, &rlen);
		uint8_t swb[2] = { (uint8_t)(sw >> 8), (uint8_t)sw };
		uint8_t tag = TAG_RAPDU;

		done++;
		http_buf_put(&rsp, &tag, 1);
		put_len(&rsp, rlen + 2);
		http_buf_put(&rsp, rdata, rlen);
		http_buf_put(&rsp, swb, 2);
		if (!sw_continues(sw))
			break;
	}
	free(rdata);
	{
		uint8_t count[3] = { TAG_COUNT, 1, (uint8_t)done };
		uint8_t tag = indef ? TAG_RSP_INDEF : TAG_RSP_DEF;

		http_buf_put(out, &tag, 1);
		if (indef)
			http_buf_put(out, "\x80", 1);
		else
			put_len(out, sizeof(count) + rsp.len);
		http_buf_put(out, count, sizeof(count));
		http_buf_put(out, rsp.data, rsp.len);
		if (indef)
			http_buf_put(out, "\0\0", 2);
	}
	http_buf_free(&rsp);
	return out->oom ? "script-format-error" : "ok";
}

/* Hex digits from s up to stop (or NUL) into out+*n. */
static int take_hex(const char **s, char stop, uint8_t *out, size_t cap,
		    size_t *n)
{
	const char *p = *s;

	while (*p && *p != stop) {
		int hi = hex_digit(p[0]), lo = p[1] ? hex_digit(p[1]) : -1;

		if (hi < 0 || lo < 0 || *n == cap)
			return -1;
		out[(*n)++] = (uint8_t)(hi << 4 | lo);
		p += 2;
	}
	*s = p;
	return 0;
}

int admin_parse_aid_uri(const char *s, uint8_t *aid, size_t cap)
{
	size_t n = 0, rid;

	if (strncmp(s, "//aid/", 6))
		return -1;
	s += 6;
	if (take_hex(&s, '/', aid, cap, &n) || n != 5)
		return -1;
	rid = n;
	if (*s == '/') {
		s++;
		if (take_hex(&s, '\0', aid, cap, &n))
			return -1;
	}
	if (*s || n - rid > 11)
		return -1;
	return (int)n;
}
