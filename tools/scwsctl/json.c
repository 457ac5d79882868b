// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * json.c - a small streaming JSON writer.
 */
#include "json.h"

#include <inttypes.h>

void json_init(struct json *j, FILE *f, bool pretty)
{
	*j = (struct json){ .f = f, .pretty = pretty };
}

static void newline(struct json *j)
{
	unsigned int i;

	if (!j->pretty)
		return;
	fputc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("    ", j->f);
}

/* The length of the UTF-8 sequence at s, or 0 if it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	/* A NUL ends the loop: it is no continuation byte. */
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* No overlong forms, surrogates or code points past U+10FFFF. */
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	return n;
}

static void put_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		size_t n = *s >= 0x80 ? utf8_len(s) : 1;

		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if (*s < 0x20 || *s == 0x7f || n == 0)
			fprintf(f, "\\u%04x", *s);
		else
			fwrite(s, 1, n, f);
		s += n ? n : 1;
	}
	fputc('"', f);
}

/* Comma, indentation and key before a value. */
static void member(struct json *j, const char *key)
{
	if (j->comma)
		fputc(',', j->f);
	if (j->depth)
		newline(j);
	if (key) {
		put_string(j->f, key);
		fputs(j->pretty ? ": " : ":", j->f);
	}
	j->comma = true;
}

static void open_container(struct json *j, const char *key, char c)
{
	member(j, key);
	fputc(c, j->f);
	j->depth++;
	j->comma = false;
}

static void close_container(struct json *j, char c)
{
	bool empty = !j->comma;

	j->depth--;
	if (!empty)
		newline(j);
	fputc(c, j->f);
	j->comma = true;
	if (!j->depth) {
		fputc('\n', j->f);
		j->comma = false;
	}
}

void json_open_object(struct json *j, const char *key)
{
	open_container(j, key, '{');
}

void json_close_object(struct json *j)
{
	close_container(j, '}');
}

void json_open_array(struct json *j, const char *key)
{
	open_container(j, key, '[');
}

void json_close_array(struct json *j)
{
	close_container(j, ']');
}

void json_string(struct json *j, const char *key, const char *value)
{
	member(j, key);
	put_string(j->f, value);
}

void json_uint(struct json *j, const char *key, uint64_t value)
{
	member(j, key);
	fprintf(j->f, "%" PRIu64, value);
}

void json_bool(struct json *j, const char *key, bool value)
{
	member(j, key);
	fputs(value ? "true" : "false", j->f);
}

void json_null(struct json *j, const char *key)
{
	member(j, key);
	fputs("null", j->f);
}

void json_hex(struct json *j, const char *key, const uint8_t *bytes, size_t n)
{
	size_t i;

	member(j, key);
	fputc('"', j->f);
	for (i = 0; i < n; i++)
		fprintf(j->f, "%02x", bytes[i]);
	fputc('"', j->f);
}
