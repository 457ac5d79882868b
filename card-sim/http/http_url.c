// SPDX-License-Identifier: GPL-2.0
/*
 * Request-targets (RFC 9112 3.2) to the paths the content store knows:
 * percent-decoded, without "." / ".." / empty segments (RFC 3986 5.2.4),
 * so "/account/../account//x" and "/account/x" are one resource and a
 * protection prefix cannot be dodged by spelling.
 */
#include <string.h>
#include <strings.h>

#include "http.h"
#include "hex.h"

long http_pct_decode(const char *s, size_t len, bool form, char *out,
		     size_t cap)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '%') {
			int hi, lo;

			if (len - i < 3)
				return -1;
			hi = hex_digit(s[i + 1]);
			lo = hex_digit(s[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return -1;
			c = (char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && form) {
			c = ' ';
		} else if (c == '\0') {
			return -1;
		}
		if (o + 1 >= cap)
			return -1;
		out[o++] = c;
	}
	if (cap == 0)
		return -1;
	out[o] = '\0';
	return (long)o;
}

/* Appends "/seg" to path (length *n) or, for "..", removes the last one. */
static bool push_segment(char *path, size_t *n, const char *seg, size_t len,
			 size_t cap)
{
	if (len == 0 || (len == 1 && seg[0] == '.'))
		return true;
	if (len == 2 && seg[0] == '.' && seg[1] == '.') {
		if (*n == 0)
			return false;	/* above the root */
		while (*n > 0 && path[--*n] != '/')
			;
		return true;
	}
	if (*n + 1 + len >= cap)
		return false;
	path[(*n)++] = '/';
	memcpy(path + *n, seg, len);
	*n += len;
	return true;
}

int http_target_split(const char *target, char *path, size_t cap,
		      const char **query)
{
	char decoded[HTTP_MAX_TARGET + 1];
	const char *p = target, *q;
	size_t n = 0, plen;
	long dlen;
	bool dir;

	if (!strncasecmp(p, "http://", 7) || !strncasecmp(p, "https://", 8)) {
		p = strstr(p, "://") + 3;
		p += strcspn(p, "/?");	/* the authority */
		if (*p != '/')
			return 400;	/* no path: not for a server to guess */
	}
	if (*p != '/' || strchr(p, '#'))
		return 400;
	q = strchr(p, '?');
	*query = q ? q + 1 : NULL;
	plen = q ? (size_t)(q - p) : strlen(p);
	dlen = http_pct_decode(p, plen, false, decoded, sizeof(decoded));
	if (dlen < 0)
		return 400;
	for (long i = 0; i < dlen; i++)
		if ((unsigned char)decoded[i] < 0x20 || decoded[i] == 0x7F)
			return 400;

	/* A final '/' (also "/." and "/..") names a directory. */
	dir = dlen > 0 && (decoded[dlen - 1] == '/' ||
			   (dlen >= 2 && !strcmp(decoded + dlen - 2, "/.")) ||
			   (dlen >= 3 && !strcmp(decoded + dlen - 3, "/..")));
	for (const char *s = decoded; *s;) {
		size_t len;

		s += *s == '/';
		len = strcspn(s, "/");
		if (!push_segment(path, &n, s, len, cap))
			return 400;
		s += len;
	}
	if (n == 0 || dir) {
		if (n + 2 > cap)
			return 400;
		path[n++] = '/';
	}
	path[n] = '\0';
	return 0;
}
