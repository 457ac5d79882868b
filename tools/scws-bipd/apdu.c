// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * apdu.c - coding C-APDUs, 61xx / 6Cxx handling, counting.
 */
#include "apdu.h"
#include "log.h"

#include <errno.h>
#include <string.h>

#define INS_GET_RESPONSE 0xC0
#define GET_RESPONSE_MAX 16	/* 61xx rounds before we call it a loop */

static uint8_t raw_cmd[APDU_RAW_MAX];
static uint8_t raw_resp[APDU_RESP_MAX + 2];

size_t apdu_max_nc(const struct apdu_link *l)
{
	return l->extended ? APDU_EXT_MAX : APDU_SHORT_NC;
}

/* Codes the APDU into raw_cmd: its length, or 0 if it cannot be coded. */
static size_t encode(const struct apdu_link *l, const uint8_t hdr[4],
		     const uint8_t *data, size_t nc, size_t ne)
{
	bool ext = nc > APDU_SHORT_NC || ne > APDU_SHORT_NE;
	size_t n = 4;

	if (nc > APDU_EXT_MAX || ne > APDU_EXT_MAX + 1 || (ext && !l->extended))
		return 0;
	memcpy(raw_cmd, hdr, 4);
	if (!ext) {
		if (nc) {
			raw_cmd[n++] = (uint8_t)nc;
			memcpy(raw_cmd + n, data, nc);
			n += nc;
		}
		if (ne)
			raw_cmd[n++] = (uint8_t)ne;	/* 256 -> 00 */
		return n;
	}
	raw_cmd[n++] = 0x00;
	if (nc) {
		raw_cmd[n++] = (uint8_t)(nc >> 8);
		raw_cmd[n++] = (uint8_t)nc;
		memcpy(raw_cmd + n, data, nc);
		n += nc;
	}
	if (ne) {
		raw_cmd[n++] = (uint8_t)(ne >> 8);	/* 65536 -> 00 00 */
		raw_cmd[n++] = (uint8_t)ne;
	}
	return n;
}

/* One transmission: raw_cmd[0..clen) out, answer into raw_resp. */
static int transmit(struct apdu_link *l, enum apdu_kind kind, size_t clen,
		    size_t *rlen)
{
	int err;

	log_hex(LOG_DEBUG, "C-APDU", raw_cmd, clen);
	if (l->stats) {
		l->stats->apdus[kind]++;
		l->stats->cmd_bytes += clen;
	}
	err = l->ops->transmit(l->ctx, raw_cmd, clen, raw_resp,
			       sizeof(raw_resp), rlen);
	if (err)
		return err;
	if (l->stats)
		l->stats->resp_bytes += *rlen;
	log_hex(LOG_DEBUG, "R-APDU", raw_resp, *rlen);
	if (*rlen < 2 || *rlen > sizeof(raw_resp)) {
		log_warn("card answered %zu bytes, no status word", *rlen);
		return -EPROTO;
	}
	return 0;
}

/* Appends an answer's data to r (cut at APDU_RESP_MAX) and sets its SW. */
static void collect(struct apdu_resp *r, size_t rlen)
{
	size_t n = rlen - 2, room = sizeof(r->data) - r->len;

	if (n > room) {
		log_warn("card answer longer than %zu bytes, cut",
			 sizeof(r->data));
		n = room;
	}
	memcpy(r->data + r->len, raw_resp, n);
	r->len += n;
	r->sw = (uint16_t)(raw_resp[rlen - 2] << 8 | raw_resp[rlen - 1]);
}

/* Sends hdr/data with Le ne; a 6Cxx answer is sent once more with Le xx. */
static int send_with_le(struct apdu_link *l, enum apdu_kind kind,
			const uint8_t hdr[4], const uint8_t *data, size_t nc,
			size_t ne, struct apdu_resp *r)
{
	size_t clen, rlen;
	int err;

	for (int tries = 0; tries < 2; tries++) {
		clen = encode(l, hdr, data, nc, ne);
		if (!clen)
			return -EMSGSIZE;
		err = transmit(l, kind, clen, &rlen);
		if (err)
			return err;
		if (raw_resp[rlen - 2] != 0x6C || !ne || tries) {
			collect(r, rlen);
			return 0;
		}
		/* Wrong Le: the card tells the right one (00 means 256). */
		ne = raw_resp[rlen - 1] ? raw_resp[rlen - 1] : APDU_SHORT_NE;
	}
	return 0;
}

int apdu_xfer(struct apdu_link *l, enum apdu_kind kind, uint8_t cla,
	      uint8_t ins, uint8_t p1, uint8_t p2, const uint8_t *data,
	      size_t nc, size_t ne, struct apdu_resp *r)
{
	const uint8_t hdr[4] = { cla, ins, p1, p2 };
	/* GET RESPONSE goes on the command's logical channel: '0X' for
	 * channels 0-3, '4X' (further interindustry) for 4-19. */
	const uint8_t gr[4] = { (uint8_t)(cla & 0x40 ? 0x40 | (cla & 0x0F) :
					  cla & 0x03),
				INS_GET_RESPONSE, 0, 0 };
	int err, rounds = 0;

	r->len = 0;
	r->sw = 0;
	err = send_with_le(l, kind, hdr, data, nc, ne, r);
	while (!err && SW1(r->sw) == 0x61) {
		/* T=0 left the answer in the card: fetch it. */
		size_t want = SW2(r->sw) ? SW2(r->sw) : APDU_SHORT_NE;

		if (++rounds > GET_RESPONSE_MAX) {
			log_warn("card keeps answering 61xx, giving up");
			return -EPROTO;
		}
		err = send_with_le(l, APDU_GET_RESPONSE, gr, NULL, 0, want, r);
	}
	return err;
}
