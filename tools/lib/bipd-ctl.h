/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * bipd-ctl.h - the pump's control protocol (scws-bipd(8), CONTROL SOCKET):
 * one request line, one reply line, on a Unix stream socket only root may
 * use.
 *
 *   SMS <tpdu-hex> [<smsc-number>]   deliver an SMS-DELIVER TPDU to the
 *                                    card (ENVELOPE SMS-PP download)
 *   PING                             is the pump there, with a card?
 *
 *   OK <sw> <por-hex>|-              the card's status word (4 hex digits)
 *                                    and response data (the Proof of
 *                                    Receipt), "-" when it gave none
 *   OK                               (PING, card present)
 *   ERR <code> <text>                nothing reached the card, or the card
 *                                    could not take it; codes below
 *
 * Lines end with LF, are ASCII and at most CTL_LINE_MAX bytes.  Shared by
 * scws-bipd (parse requests, format replies) and scwsctl (the reverse).
 */
#ifndef SCWS_BIPD_CTL_H
#define SCWS_BIPD_CTL_H

#include <stddef.h>
#include <stdint.h>

#include "sms-pp.h"

#define CTL_LINE_MAX 1024
#define CTL_POR_MAX 256
#define CTL_TEXT_MAX 160

/* Error codes on the wire. */
#define CTL_E_BAD_REQUEST "bad-request"	/* malformed line, hex or TPDU */
#define CTL_E_NO_CARD "no-card"		/* no card, or it went away */
#define CTL_E_BUSY "busy"		/* the card stayed busy (93 00) */
#define CTL_E_FULL "full"		/* too many requests waiting */
#define CTL_E_FAILED "failed"		/* the card refused the command */

enum ctl_req_kind { CTL_REQ_SMS = 1, CTL_REQ_PING };

struct ctl_request {
	enum ctl_req_kind cmd;
	uint8_t tpdu[SMS_TPDU_MAX];
	size_t tpdu_len;
	uint8_t smsc[SMS_ADDR_MAX];	/* TON/NPI + BCD; smsc_len 0: none */
	size_t smsc_len;
};

/* One request line (without its LF).  0, or -EINVAL with why (static
 * text) set. */
int ctl_parse_request(const char *line, size_t len, struct ctl_request *r,
		      const char **why);

/* Replies, LF-terminated; their length, or 0 if cap is too small. */
size_t ctl_format_ok(char *buf, size_t cap, uint16_t sw, const uint8_t *por,
		     size_t por_len);
size_t ctl_format_err(char *buf, size_t cap, const char *code,
		      const char *text);

struct ctl_reply {
	int ok;				/* 1: OK, 0: ERR */
	int has_sw;
	uint16_t sw;
	uint8_t por[CTL_POR_MAX];
	size_t por_len;
	char code[32];
	char text[CTL_TEXT_MAX];
};

/* A reply line (without its LF): 0, or -EINVAL. */
int ctl_parse_reply(const char *line, size_t len, struct ctl_reply *r);

/* Hex text (even count of digits, no separators) into out: the byte
 * count, or -EINVAL / -E2BIG. */
long ctl_hex_decode(const char *s, size_t len, uint8_t *out, size_t cap);

#endif /* SCWS_BIPD_CTL_H */
