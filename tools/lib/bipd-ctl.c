// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * bipd-ctl.c - the pump's control protocol (see bipd-ctl.h).
 */
#include "bipd-ctl.h"
#include "hex.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

long ctl_hex_decode(const char *s, size_t len, uint8_t *out, size_t cap)
{
	if (len % 2)
		return -EINVAL;
	if (len / 2 > cap)
		return -E2BIG;
	for (size_t i = 0; i < len; i += 2) {
		int hi = hex_digit(s[i]), lo = hex_digit(s[i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	return (long)(len / 2);
}

/* The next space-separated word of [*p, end): its start and length. */
static size_t word(const char **p, const char *end, const char **start)
{
	const char *s = *p;

	while (s < end && *s == ' ')
		s++;
	*start = s;
	while (s < end && *s != ' ')
		s++;
	*p = s;
	return (size_t)(s - *start);
}

static int word_is(const char *w, size_t n, const char *lit)
{
	return n == strlen(lit) && !memcmp(w, lit, n);
}

int ctl_parse_request(const char *line, size_t len, struct ctl_request *r,
		      const char **why)
{
	const char *p = line, *end = line + len, *w;
	struct sms_deliver d;
	char number[24];
	size_t n;
	long got;

	memset(r, 0, sizeof(*r));
	*why = "empty request";
	if (len && line[len - 1] == '\r')
		end--;
	for (const char *c = line; c < end; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7E) {
			*why = "control or non-ASCII character in request";
			return -EINVAL;
		}
	n = word(&p, end, &w);
	if (word_is(w, n, "PING")) {
		r->cmd = CTL_REQ_PING;
		n = word(&p, end, &w);
		*why = "PING takes no argument";
		return n ? -EINVAL : 0;
	}
	if (!word_is(w, n, "SMS")) {
		*why = n ? "unknown command" : "empty request";
		return -EINVAL;
	}
	r->cmd = CTL_REQ_SMS;
	n = word(&p, end, &w);
	got = ctl_hex_decode(w, n, r->tpdu, sizeof(r->tpdu));
	if (!n || got < 0) {
		*why = got == -E2BIG ? "TPDU longer than an SMS-DELIVER" :
		       "TPDU is not hex (an even number of digits)";
		return -EINVAL;
	}
	r->tpdu_len = (size_t)got;
	if (sms_deliver_parse(r->tpdu, r->tpdu_len, &d)) {
		*why = "not a whole SMS-DELIVER TPDU (TS 23.040 9.2.2.1)";
		return -EINVAL;
	}
	n = word(&p, end, &w);
	if (n) {
		if (n >= sizeof(number)) {
			*why = "SMSC number too long";
			return -EINVAL;
		}
		memcpy(number, w, n);
		number[n] = '\0';
		r->smsc_len = sms_address_encode(number, r->smsc);
		if (!r->smsc_len) {
			*why = "SMSC number: [+]digits, at most 20";
			return -EINVAL;
		}
	}
	n = word(&p, end, &w);
	if (n) {
		*why = "too many arguments";
		return -EINVAL;
	}
	return 0;
}

size_t ctl_format_ok(char *buf, size_t cap, uint16_t sw, const uint8_t *por,
		     size_t por_len)
{
	size_t n;
	int k = snprintf(buf, cap, "OK %04X ", sw);

	if (k < 0 || (size_t)k >= cap)
		return 0;
	n = (size_t)k;
	if (!por_len) {
		if (n + 2 >= cap)
			return 0;
		buf[n++] = '-';
	}
	for (size_t i = 0; i < por_len; i++) {
		if (n + 3 >= cap)
			return 0;
		snprintf(buf + n, 3, "%02X", por[i]);
		n += 2;
	}
	buf[n++] = '\n';
	buf[n] = '\0';
	return n;
}

size_t ctl_format_err(char *buf, size_t cap, const char *code,
		      const char *text)
{
	int k = snprintf(buf, cap, "ERR %s %s\n", code, text);

	return k < 0 || (size_t)k >= cap ? 0 : (size_t)k;
}

int ctl_parse_reply(const char *line, size_t len, struct ctl_reply *r)
{
	const char *p = line, *end = line + len, *w;
	uint8_t sw[2];
	size_t n;
	long got;

	memset(r, 0, sizeof(*r));
	n = word(&p, end, &w);
	if (word_is(w, n, "ERR")) {
		n = word(&p, end, &w);
		if (!n || n >= sizeof(r->code))
			return -EINVAL;
		memcpy(r->code, w, n);
		while (p < end && *p == ' ')
			p++;
		n = (size_t)(end - p);
		if (n >= sizeof(r->text))
			n = sizeof(r->text) - 1;
		memcpy(r->text, p, n);
		return 0;
	}
	if (!word_is(w, n, "OK"))
		return -EINVAL;
	r->ok = 1;
	n = word(&p, end, &w);
	if (!n)
		return 0;
	if (n != 4 || ctl_hex_decode(w, 4, sw, 2) != 2)
		return -EINVAL;
	r->has_sw = 1;
	r->sw = (uint16_t)(sw[0] << 8 | sw[1]);
	n = word(&p, end, &w);
	if (word_is(w, n, "-"))
		return 0;
	got = ctl_hex_decode(w, n, r->por, sizeof(r->por));
	if (!n || got < 0)
		return -EINVAL;
	r->por_len = (size_t)got;
	return 0;
}
