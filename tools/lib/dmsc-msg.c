// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * dmsc-msg.c - the DM_SC Gateway socket's messages (dmsc-msg.h).  Strict:
 * one space between words, no stray bytes, hex of even length; whatever
 * else comes is refused with the reason.
 */
#include "dmsc-msg.h"
#include "hex.h"

#include <stdio.h>
#include <string.h>

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

int dmsc_name_valid(const char *name, size_t len)
{
	if (!len || len > DMSC_NAME_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!name_char(name[i]))
			return 0;
	return 1;
}

static int code_valid(const char *s, size_t len)
{
	if (!len || len > DMSC_CODE_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '-'))
			return 0;
	return 1;
}

static int text_valid(const char *s, size_t len)
{
	if (len > DMSC_TEXT_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7E)
			return 0;
	return 1;
}

/* "WORD" alone or "WORD " + rest: the rest's offset, or 0 for no match. */
static size_t keyword(const char *buf, size_t len, const char *kw,
		      int *alone)
{
	size_t n = strlen(kw);

	if (len < n || memcmp(buf, kw, n))
		return 0;
	*alone = len == n;
	if (*alone)
		return n;
	return buf[n] == ' ' ? n + 1 : 0;
}

static int fail(const char **why, const char *reason)
{
	*why = reason;
	return -1;
}

static int parse_notify(const char *p, size_t n, struct dmsc_msg *m,
			const char **why)
{
	if (!n)
		return fail(why, "NOTIFY without data");
	if (n % 2)
		return fail(why, "NOTIFY data is not whole bytes of hex");
	if (n / 2 > DMSC_DATA_MAX)
		return fail(why, "NOTIFY data too long");
	for (size_t i = 0; i < n; i += 2) {
		int hi = hex_digit(p[i]), lo = hex_digit(p[i + 1]);

		if (hi < 0 || lo < 0)
			return fail(why, "NOTIFY data is not hex");
		m->data[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	m->len = n / 2;
	m->type = DMSC_NOTIFY;
	return 0;
}

static int parse_err(const char *p, size_t n, struct dmsc_msg *m,
		     const char **why)
{
	const char *sp = memchr(p, ' ', n);
	size_t cl = sp ? (size_t)(sp - p) : n;

	if (!code_valid(p, cl))
		return fail(why, "ERR without a valid code");
	memcpy(m->code, p, cl);
	m->code[cl] = '\0';
	if (sp) {
		size_t tl = n - cl - 1;

		if (!tl || !text_valid(sp + 1, tl))
			return fail(why, "ERR text is empty, too long or not "
				    "printable");
		memcpy(m->text, sp + 1, tl);
		m->text[tl] = '\0';
	}
	m->type = DMSC_ERR;
	return 0;
}

int dmsc_msg_parse(const char *buf, size_t len, struct dmsc_msg *m,
		   const char **why)
{
	size_t off;
	int alone = 0;

	memset(m, 0, sizeof(*m));
	if (len && buf[len - 1] == '\n')
		len--;
	if (!len)
		return fail(why, "empty message");
	if (len > DMSC_MSG_MAX)
		return fail(why, "message too long");
	if (memchr(buf, '\n', len) || memchr(buf, '\0', len))
		return fail(why, "more than one line");
	if ((off = keyword(buf, len, "REGISTER", &alone))) {
		if (alone || !dmsc_name_valid(buf + off, len - off))
			return fail(why, "REGISTER wants a name of 1..32 "
				    "letters, digits, '.', '_' or '-'");
		memcpy(m->name, buf + off, len - off);
		m->type = DMSC_REGISTER;
		return 0;
	}
	if ((off = keyword(buf, len, "OK", &alone))) {
		if (!alone)
			return fail(why, "OK takes nothing after it");
		m->type = DMSC_OK;
		return 0;
	}
	if ((off = keyword(buf, len, "ERR", &alone))) {
		if (alone)
			return fail(why, "ERR without a code");
		return parse_err(buf + off, len - off, m, why);
	}
	if ((off = keyword(buf, len, "NOTIFY", &alone))) {
		if (alone)
			return fail(why, "NOTIFY without data");
		return parse_notify(buf + off, len - off, m, why);
	}
	return fail(why, "unknown message (REGISTER, OK, ERR or NOTIFY)");
}

size_t dmsc_fmt_register(char *out, size_t cap, const char *name)
{
	int n;

	if (!dmsc_name_valid(name, strlen(name)))
		return 0;
	n = snprintf(out, cap, "REGISTER %s", name);
	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

size_t dmsc_fmt_ok(char *out, size_t cap)
{
	int n = snprintf(out, cap, "OK");

	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

size_t dmsc_fmt_err(char *out, size_t cap, const char *code,
		    const char *text)
{
	int n;

	if (!code_valid(code, strlen(code)) ||
	    (text && (!*text || !text_valid(text, strlen(text)))))
		return 0;
	n = text ? snprintf(out, cap, "ERR %s %s", code, text) :
		   snprintf(out, cap, "ERR %s", code);
	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

size_t dmsc_fmt_notify(char *out, size_t cap, const uint8_t *data,
		       size_t len)
{
	static const char digits[] = "0123456789ABCDEF";
	size_t need = 7 + 2 * len;

	if (!len || len > DMSC_DATA_MAX || cap <= need)
		return 0;
	memcpy(out, "NOTIFY ", 7);
	for (size_t i = 0; i < len; i++) {
		out[7 + 2 * i] = digits[data[i] >> 4];
		out[8 + 2 * i] = digits[data[i] & 0x0F];
	}
	out[need] = '\0';
	return need;
}
