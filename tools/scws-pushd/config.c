// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * config.c - scws-pushd's configuration file (see config.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONFIG_MAX 65536

static const char *skip_blank(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static const char *word_end(const char *p, const char *end)
{
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	return p;
}

/* An allow-from URI: scheme "sip" or "sips", a user, a host. */
static int uri_ok(const char *s, size_t n)
{
	const char *at = memchr(s, '@', n);
	size_t scheme = n >= 5 && !strncmp(s, "sips:", 5) ? 5 :
			n >= 4 && !strncmp(s, "sip:", 4) ? 4 : 0;

	if (!scheme || !at || at == s + scheme || at == s + n - 1)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] > 0x7E ||
		    s[i] == ';' || s[i] == '<' || s[i] == '>')
			return 0;
	return 1;
}

int pushd_config_parse(struct pushd_config *c, const char *text, size_t len,
		       char *err, size_t cap)
{
	const char *p = text, *end = text + len;
	unsigned int line = 0;

	memset(c, 0, sizeof(*c));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *k, *ke, *v, *ve;

		line++;
		if (le > p && le[-1] == '\r')
			le--;
		for (const char *q = p; q < le; q++)
			if (*q == '#') {
				le = q;
				break;
			}
		k = skip_blank(p, le);
		p = nl ? nl + 1 : end;
		if (k == le)
			continue;
		ke = word_end(k, le);
		v = skip_blank(ke, le);
		ve = word_end(v, le);
		if (v == ve || skip_blank(ve, le) != le) {
			snprintf(err, cap, "line %u: expected 'DIRECTIVE VALUE'",
				 line);
			return -1;
		}
		if ((size_t)(ve - v) >= PUSHD_URI_MAX) {
			snprintf(err, cap, "line %u: value too long", line);
			return -1;
		}
		if (ke - k == 10 && !memcmp(k, "allow-from", 10)) {
			if (!uri_ok(v, (size_t)(ve - v))) {
				snprintf(err, cap, "line %u: allow-from wants "
					 "sip:user@host or sips:user@host",
					 line);
				return -1;
			}
			if (c->n_allow == PUSHD_ALLOW_MAX) {
				snprintf(err, cap, "line %u: more than %d "
					 "allow-from lines", line,
					 PUSHD_ALLOW_MAX);
				return -1;
			}
			memcpy(c->allow[c->n_allow], v, (size_t)(ve - v));
			c->allow[c->n_allow++][ve - v] = '\0';
		} else if (ke - k == 6 && !memcmp(k, "app-id", 6)) {
			if (memchr(v, '"', (size_t)(ve - v))) {
				snprintf(err, cap, "line %u: app-id with a "
					 "quote", line);
				return -1;
			}
			memcpy(c->app_id, v, (size_t)(ve - v));
			c->app_id[ve - v] = '\0';
		} else {
			snprintf(err, cap, "line %u: unknown directive '%.*s'",
				 line, (int)(ke - k > 32 ? 32 : ke - k), k);
			return -1;
		}
	}
	return 0;
}

int pushd_config_load(struct pushd_config *c, const char *path, char *err,
		      size_t cap)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;
	int rc;

	if (!f) {
		snprintf(err, cap, "%s: %s", path, strerror(errno));
		return -1;
	}
	buf = malloc(CONFIG_MAX);
	if (!buf) {
		fclose(f);
		snprintf(err, cap, "%s: out of memory", path);
		return -1;
	}
	n = fread(buf, 1, CONFIG_MAX, f);
	if (ferror(f) || (n == CONFIG_MAX && fgetc(f) != EOF)) {
		snprintf(err, cap, "%s: %s", path, ferror(f) ?
			 "read error" : "file too large");
		rc = -1;
	} else {
		char e[200];

		rc = pushd_config_parse(c, buf, n, e, sizeof(e));
		if (rc)
			snprintf(err, cap, "%s: %s", path, e);
	}
	free(buf);
	fclose(f);
	return rc;
}
