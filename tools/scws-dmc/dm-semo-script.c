// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * dm-semo-script.c - the SEMO APDU script parser (dm-semo-script.h).
 */
#include "dm-semo-script.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static int fail(char *err, size_t size, unsigned int line, const char *fmt,
		...) __attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t size, unsigned int line, const char *fmt,
		...)
{
	va_list ap;
	int n = snprintf(err, size, "line %u: ", line);

	if (n >= 0 && (size_t)n < size) {
		va_start(ap, fmt);
		vsnprintf(err + n, size - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A hex token (even length) into out; false if bad or too long. */
static bool hex_token(const char *t, size_t tl, uint8_t *out, size_t cap,
		      size_t *n)
{
	if (!tl || tl % 2 || tl / 2 > cap)
		return false;
	for (size_t i = 0; i < tl; i += 2) {
		int hi = nibble(t[i]), lo = nibble(t[i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	*n = tl / 2;
	return true;
}

/* ISO 7816-3 short cases: 4, 4+Le, 5+Lc, 5+Lc+Le with Lc > 0. */
static bool apdu_shape_ok(const uint8_t *a, size_t n)
{
	if (n == 4 || n == 5)
		return true;
	return n > 5 && a[4] && (n == 5u + a[4] || n == 6u + a[4]);
}

struct tokens {
	const char *t[4];
	size_t len[4];
	int n;
};

/* Splits one step into whitespace-separated tokens (at most 3 used). */
static void split(const char *p, size_t len, struct tokens *tk)
{
	size_t i = 0;

	tk->n = 0;
	while (i < len) {
		while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r'))
			i++;
		if (i == len)
			break;
		size_t s = i;

		while (i < len && p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			i++;
		if (tk->n == 4)
			return;
		tk->t[tk->n] = p + s;
		tk->len[tk->n++] = i - s;
	}
}

static int one_step(const struct tokens *tk, unsigned int line,
		    struct semo_script *s, char *err, size_t es)
{
	struct semo_step *st;
	uint8_t sw[2];
	size_t n;

	if (s->n == SEMO_STEPS_MAX)
		return fail(err, es, line, "more than %d steps", SEMO_STEPS_MAX);
	st = &s->step[s->n];
	memset(st, 0, sizeof(*st));
	st->line = line;
	if (tk->len[0] == 3 && !strncasecmp(tk->t[0], "aid", 3)) {
		if (tk->n != 2 || !hex_token(tk->t[1], tk->len[1], st->bytes,
					     SEMO_AID_MAX, &st->len) ||
		    st->len < SEMO_AID_MIN)
			return fail(err, es, line, "aid takes one AID of "
				    "%d..%d bytes in hex", SEMO_AID_MIN,
				    SEMO_AID_MAX);
		st->is_aid = true;
		s->n++;
		return 0;
	}
	if (!s->n)
		return fail(err, es, line, "the script must start with 'aid'");
	if (tk->n > 2)
		return fail(err, es, line, "a C-APDU and an optional SW only");
	if (!hex_token(tk->t[0], tk->len[0], st->bytes, SEMO_APDU_MAX,
		       &st->len) || !apdu_shape_ok(st->bytes, st->len))
		return fail(err, es, line, "not a short C-APDU in hex");
	if (tk->n == 2) {
		if (tk->len[1] != 4 || !hex_token(tk->t[1], 4, sw, 2, &n))
			return fail(err, es, line, "the SW is 4 hex digits");
		st->has_sw = true;
		st->sw = (uint16_t)(sw[0] << 8 | sw[1]);
	}
	s->n++;
	return 0;
}

int semo_script_parse(const char *text, size_t len, struct semo_script *s,
		      char *err, size_t es)
{
	unsigned int line = 1;
	size_t i = 0;

	s->n = 0;
	if (len > SEMO_SCRIPT_MAX)
		return fail(err, es, 0, "longer than %d bytes", SEMO_SCRIPT_MAX);
	if (memchr(text, '\0', len))
		return fail(err, es, 0, "a NUL byte in the script");
	while (i < len) {
		size_t end = i, stop;
		struct tokens tk;

		while (end < len && text[end] != '\n' && text[end] != ';')
			end++;
		stop = end;
		const char *hash = memchr(text + i, '#', end - i);

		if (hash)
			stop = (size_t)(hash - text);
		split(text + i, stop - i, &tk);
		if (tk.n && one_step(&tk, line, s, err, es))
			return -1;
		if (end < len && text[end] == '\n')
			line++;
		i = end + 1;
	}
	if (!s->n)
		return fail(err, es, line, "an empty script");
	return 0;
}

bool semo_sw_ok(const struct semo_step *st, uint16_t sw)
{
	if (st->has_sw)
		return sw == st->sw;
	return sw == 0x9000 || (sw >> 8) == 0x61;
}
