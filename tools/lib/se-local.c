// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * se-local.c - the admin's APDU access rules (se-local.h).
 */
#include "se-local.h"
#include "hex.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORD_MAX 300
#define LINE_MAX_LEN 4096

static int fail(char *why, size_t why_len, unsigned int line,
		const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(why, why_len, "line %u: ", line);

	if (n >= 0 && (size_t)n < why_len) {
		va_start(ap, fmt);
		vsnprintf(why + n, why_len - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* Exactly n bytes of hex in s (no separators). */
static bool hex_bytes(const char *s, uint8_t *out, size_t n)
{
	if (strlen(s) != 2 * n)
		return false;
	for (size_t i = 0; i < n; i++) {
		int h = hex_digit(s[2 * i]), l = hex_digit(s[2 * i + 1]);

		if (h < 0 || l < 0)
			return false;
		out[i] = (uint8_t)(h << 4 | l);
	}
	return true;
}

/* The next blank-separated word of *p into w; false at the end. */
static bool next_word(const char **p, char *w, size_t cap, bool *too_long)
{
	const char *s = *p;
	size_t n = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return false;
	while (*s && *s != ' ' && *s != '\t') {
		if (n + 1 >= cap) {
			*too_long = true;
			return false;
		}
		w[n++] = *s++;
	}
	w[n] = '\0';
	*p = s;
	return true;
}

static int parse_aid(struct se_local_rule *r, const char *w)
{
	size_t n = strlen(w) / 2;

	if (!strcmp(w, "*")) {
		r->aid_kind = SEAC_AID_ALL;
		return 0;
	}
	if (!strcmp(w, "default")) {
		r->aid_kind = SEAC_AID_DEFAULT;
		return 0;
	}
	if (n < 5 || n > SEAC_AID_MAX || !hex_bytes(w, r->aid, n))
		return -1;
	r->aid_kind = SEAC_AID_SPECIFIC;
	r->aid_len = n;
	return 0;
}

static int parse_filter(struct se_local_rule *r, const char *w)
{
	const char *slash = strchr(w, '/');
	char hdr[9];

	if (!slash || slash - w != 8 || r->n_filters == SEAC_FILTERS_MAX)
		return -1;
	memcpy(hdr, w, 8);
	hdr[8] = '\0';
	if (!hex_bytes(hdr, r->filter[r->n_filters], 4) ||
	    !hex_bytes(slash + 1, r->filter[r->n_filters] + 4, 4))
		return -1;
	r->n_filters++;
	return 0;
}

static int parse_line(const char *line, struct se_local_rule *r,
		      unsigned int no, bool *empty, char *why, size_t why_len)
{
	char w[WORD_MAX], v[WORD_MAX];
	bool too_long = false;
	const char *p = line;

	memset(r, 0, sizeof(*r));
	r->line = no;
	*empty = false;
	if (!next_word(&p, w, sizeof(w), &too_long)) {
		*empty = !too_long;
		return too_long ? fail(why, why_len, no, "word too long") : 0;
	}
	if (!strcmp(w, "allow"))
		r->allow = true;
	else if (strcmp(w, "deny"))
		return fail(why, why_len, no, "'%s': allow or deny expected", w);
	if (!next_word(&p, w, sizeof(w), &too_long) || parse_aid(r, w))
		return fail(why, why_len, no, "an AID (hex, 5..16 bytes), '*' "
			    "or 'default' expected");
	while (next_word(&p, w, sizeof(w), &too_long)) {
		if (!next_word(&p, v, sizeof(v), &too_long))
			return fail(why, why_len, no, "'%s' needs a value", w);
		if (!strcmp(w, "uid")) {
			char *end;
			unsigned long u = strtoul(v, &end, 10);

			if (*end || !*v || v[0] == '-' || u > 0xFFFFFFFEul)
				return fail(why, why_len, no, "bad uid '%s'", v);
			r->has_uid = true;
			r->uid = (uid_t)u;
		} else if (!strcmp(w, "exe")) {
			if (v[0] != '/' || strlen(v) >= sizeof(r->exe))
				return fail(why, why_len, no,
					    "exe wants an absolute path");
			strcpy(r->exe, v);
		} else if (!strcmp(w, "cert-sha256")) {
			if (!hex_bytes(v, r->sha256, 32))
				return fail(why, why_len, no,
					    "cert-sha256 wants 64 hex digits");
			r->has_sha256 = true;
		} else if (!strcmp(w, "label")) {
			if (strlen(v) > SEAC_PKG_MAX)
				return fail(why, why_len, no, "label too long");
			strcpy(r->label, v);
		} else if (!strcmp(w, "apdu")) {
			if (!r->allow)
				return fail(why, why_len, no,
					    "apdu filters belong to allow rules");
			if (parse_filter(r, v))
				return fail(why, why_len, no, "bad apdu filter "
					    "'%s' (HHHHHHHH/MMMMMMMM, at most "
					    "%d)", v, SEAC_FILTERS_MAX);
		} else {
			return fail(why, why_len, no, "unknown word '%s'", w);
		}
	}
	if (too_long)
		return fail(why, why_len, no, "word too long");
	return 0;
}

void se_local_free(struct se_local *l)
{
	free(l->rule);
	l->rule = NULL;
	l->n = 0;
}

int se_local_parse(const char *text, size_t len, struct se_local *out,
		   char *why, size_t why_len)
{
	char line[LINE_MAX_LEN];
	unsigned int no = 0;
	size_t cap = 0;
	int err = 0;

	memset(out, 0, sizeof(*out));
	if (why_len)
		why[0] = '\0';
	while (len) {
		const char *nl = memchr(text, '\n', len);
		size_t n = nl ? (size_t)(nl - text) : len;
		struct se_local_rule r;
		char *hash;
		bool empty;

		no++;
		if (n >= sizeof(line)) {
			err = fail(why, why_len, no, "line too long");
			goto out;
		}
		memcpy(line, text, n);
		line[n] = '\0';
		text += n + !!nl;
		len -= n + !!nl;
		if (memchr(line, '\0', n)) {
			err = fail(why, why_len, no, "NUL byte");
			goto out;
		}
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		if (n && line[n - 1] == '\r')
			line[n - 1] = '\0';
		err = parse_line(line, &r, no, &empty, why, why_len);
		if (err)
			goto out;
		if (empty)
			continue;
		if (out->n == SE_LOCAL_RULES_MAX) {
			err = -E2BIG;
			fail(why, why_len, no, "more than %d rules",
			     SE_LOCAL_RULES_MAX);
			goto out;
		}
		if (out->n == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			struct se_local_rule *nr = realloc(out->rule,
							   ncap * sizeof(*nr));

			if (!nr) {
				err = -ENOMEM;
				goto out;
			}
			out->rule = nr;
			cap = ncap;
		}
		out->rule[out->n++] = r;
	}
out:
	if (err)
		se_local_free(out);
	return err;
}

static bool aid_matches(const struct se_local_rule *r, const uint8_t *aid,
			size_t len)
{
	static const uint8_t null_aid[5];
	bool dflt = len == 0 || (len == 5 && !memcmp(aid, null_aid, 5));

	switch (r->aid_kind) {
	case SEAC_AID_ALL:
		return true;
	case SEAC_AID_DEFAULT:
		return dflt;
	case SEAC_AID_SPECIFIC:
		return !dflt && r->aid_len == len && !memcmp(r->aid, aid, len);
	default:
		return false;
	}
}

const struct se_local_rule *se_local_match(const struct se_local *l,
					   const uint8_t *aid, size_t aid_len,
					   const struct se_local_who *who)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct se_local_rule *r = &l->rule[i];

		if (!aid_matches(r, aid, aid_len))
			continue;
		if (r->has_uid && r->uid != who->uid)
			continue;
		if (r->exe[0] && (!who->exe || strcmp(r->exe, who->exe)))
			continue;
		if (r->has_sha256 && (!who->app || !who->app->signed_app ||
				      memcmp(r->sha256, who->app->sha256, 32)))
			continue;
		if (r->label[0] && (!who->app || !who->app->label ||
				    strcmp(r->label, who->app->label)))
			continue;
		return r;
	}
	return NULL;
}
