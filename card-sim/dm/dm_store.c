// SPDX-License-Identifier: GPL-2.0
/* The DM server's part of the card state; see dm_store.h. */
#include "dm/dm_store.h"
#include "dm/dm_identity.h"
#include "dm-auth.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The card's default provisioning set: an account for the operator's own
 * DM server (DMAcc MO 1.2), which the card as provisioning master hands
 * to the device.  A real card gets its values at personalisation; these
 * are examples, and a remote admin or --dm-provision replaces them.
 */
static const char default_set[] =
	"./DMAcc/operator\tnode\t\t\n"
	"./DMAcc/operator/ServerID\tchr\ttext/plain\toperator-dms\n"
	"./DMAcc/operator/Name\tchr\ttext/plain\tOperator DM server\n"
	"./DMAcc/operator/AppID\tchr\ttext/plain\tw7\n"
	"./DMAcc/operator/AAuthPref\tchr\ttext/plain\tDIGEST\n"
	"./DMAcc/operator/AppAddr/1/Addr\tchr\ttext/plain\thttps://dm.operator.example/dm\n"
	"./DMAcc/operator/AppAddr/1/AddrType\tchr\ttext/plain\tURI\n"
	"./DMAcc/operator/AppAuth/1/AAuthLevel\tchr\ttext/plain\tCLCRED\n"
	"./DMAcc/operator/AppAuth/1/AAuthType\tchr\ttext/plain\tDIGEST\n"
	"./DMAcc/operator/AppAuth/1/AAuthName\tchr\ttext/plain\tscws-gateway\n"
	"./DMAcc/operator/AppAuth/1/AAuthSecret\tchr\ttext/plain\toperator-client-secret\n"
	"./DMAcc/operator/AppAuth/2/AAuthLevel\tchr\ttext/plain\tSRVCRED\n"
	"./DMAcc/operator/AppAuth/2/AAuthType\tchr\ttext/plain\tDIGEST\n"
	"./DMAcc/operator/AppAuth/2/AAuthName\tchr\ttext/plain\toperator-dms\n"
	"./DMAcc/operator/AppAuth/2/AAuthSecret\tchr\ttext/plain\toperator-server-secret\n";

static const char *const formats[] = {
	"node", "chr", "int", "bool", "b64", "bin", "xml", "float", "date",
	"time", "null",
};

void dm_store_nonce(struct card_state *st, const char *key, struct dm_nonce *n)
{
	const uint8_t *v;
	size_t len;

	const struct dm_identity *id = dm_identity();
	const char *first = NULL;

	n->len = 0;
	if (!card_state_get(st, key, &v, &len)) {
		if (len <= sizeof(n->b)) {
			memcpy(n->b, v, len);
			n->len = len;
		}
		return;
	}
	/* Never moved yet: the first nonces, as the bootstrap file gave them. */
	if (!strcmp(key, DM_KEY_CLIENT_NONCE))
		first = id->cli_nonce0;
	else if (!strcmp(key, DM_KEY_SERVER_NONCE))
		first = id->srv_nonce0;
	if (first && dm_b64_decode(first, n->b, sizeof(n->b), &n->len))
		n->len = 0;
}

int dm_store_set_nonce(struct card_state *st, const char *key,
		       const struct dm_nonce *n)
{
	int rc = card_state_set(st, key, n->b, n->len);

	return rc ? rc : card_state_save(st);
}

static int fail(char *err, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return -1;
}

static bool format_known(const char *f)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(*formats); i++)
		if (!strcmp(f, formats[i]))
			return true;
	return false;
}

/* "./" then segments of printable bytes, no empty one, no '.' or '..'. */
static bool uri_ok(const char *u)
{
	if (strncmp(u, "./", 2) || !u[2])
		return false;
	for (const char *seg = u + 2; *seg;) {
		const char *end = strchr(seg, '/');
		size_t n = end ? (size_t)(end - seg) : strlen(seg);

		if (!n || (n == 1 && seg[0] == '.') ||
		    (n == 2 && !strncmp(seg, "..", 2)))
			return false;
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)seg[i] < 0x20 || seg[i] == 0x7f)
				return false;
		if (!end)
			break;
		seg = end + 1;
		if (!*seg)
			return false;
	}
	return true;
}

/* Splits it->line in place into its four fields. */
static int split_item(struct dm_prov_item *it, unsigned int lineno,
		      char *err, size_t err_size)
{
	char *f[4], *p = it->line;

	f[0] = p;
	for (int i = 1; i < 4; i++) {
		p = strchr(p, '\t');
		if (!p)
			return fail(err, err_size, "line %u: not 4 tab-separated fields",
				    lineno);
		*p++ = '\0';
		f[i] = p;
	}
	if (strchr(f[3], '\t'))
		return fail(err, err_size, "line %u: more than 4 fields", lineno);
	if (!uri_ok(f[0]) || strlen(f[0]) > 200)
		return fail(err, err_size, "line %u: bad node URI", lineno);
	if (!format_known(f[1]))
		return fail(err, err_size, "line %u: unknown format \"%.16s\"",
			    lineno, f[1]);
	if (!strcmp(f[1], "node") && *f[3])
		return fail(err, err_size, "line %u: an interior node has no data",
			    lineno);
	it->uri = f[0];
	it->format = f[1];
	it->type = *f[2] ? f[2] : NULL;
	it->data = f[3];
	return 0;
}

int dm_prov_parse(const char *text, size_t len, struct dm_prov *p,
		  char *err, size_t err_size)
{
	unsigned int lineno = 0;

	p->n = 0;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = (nl ? (size_t)(nl - text) : len) - i;
		const char *line = text + i;

		lineno++;
		i += n + 1;
		if (n && line[n - 1] == '\r')
			n--;
		if (!n || line[0] == '#')
			continue;
		if (memchr(line, '\0', n))
			return fail(err, err_size, "line %u: a NUL byte", lineno);
		if (n >= DM_PROV_MAX_LINE)
			return fail(err, err_size, "line %u: longer than %d bytes",
				    lineno, DM_PROV_MAX_LINE - 1);
		if (p->n == DM_PROV_MAX_ITEMS)
			return fail(err, err_size, "more than %d items",
				    DM_PROV_MAX_ITEMS);
		struct dm_prov_item *it = &p->items[p->n];

		memcpy(it->line, line, n);
		it->line[n] = '\0';
		if (split_item(it, lineno, err, err_size))
			return -1;
		p->n++;
	}
	return 0;
}

int dm_prov_load(struct card_state *st, struct dm_prov *p)
{
	const uint8_t *v;
	size_t len;
	char err[128];

	if (card_state_get(st, DM_KEY_PROVISION, &v, &len)) {
		int rc = card_state_set(st, DM_KEY_PROVISION, default_set,
					sizeof(default_set) - 1);

		if (rc)
			return rc;
		v = (const uint8_t *)default_set;
		len = sizeof(default_set) - 1;
	}
	return dm_prov_parse((const char *)v, len, p, err, sizeof(err)) ?
	       -EINVAL : 0;
}

/* The stored line of an item: its fields joined by tabs again. */
static int item_line(const struct dm_prov_item *it, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s\t%s\t%s\t%s", it->uri, it->format,
			 it->type ? it->type : "", it->data);

	return n < 0 || (size_t)n >= cap ? -1 : n;
}

bool dm_prov_delivered(struct card_state *st, const struct dm_prov_item *it)
{
	char line[DM_PROV_MAX_LINE + 8];
	const uint8_t *v;
	size_t len;
	int n = item_line(it, line, sizeof(line));

	if (n < 0 || card_state_get(st, DM_KEY_DELIVERED, &v, &len))
		return false;
	for (size_t i = 0; i < len;) {
		const uint8_t *nl = memchr(v + i, '\n', len - i);
		size_t k = (nl ? (size_t)(nl - v) : len) - i;

		if (k == (size_t)n && !memcmp(v + i, line, k))
			return true;
		i += k + 1;
	}
	return false;
}

size_t dm_prov_pending(struct card_state *st, const struct dm_prov *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n; i++)
		n += !dm_prov_delivered(st, &p->items[i]);
	return n;
}

int dm_prov_mark_delivered(struct card_state *st, const struct dm_prov_item *it)
{
	char line[DM_PROV_MAX_LINE + 8];
	const uint8_t *v = NULL;
	size_t len = 0;
	int n = item_line(it, line, sizeof(line));

	if (n < 0)
		return -EINVAL;
	if (dm_prov_delivered(st, it))
		return 0;
	card_state_get(st, DM_KEY_DELIVERED, &v, &len);
	uint8_t *buf = malloc(len + (size_t)n + 1);

	if (!buf)
		return -ENOMEM;
	if (len)
		memcpy(buf, v, len);
	memcpy(buf + len, line, (size_t)n);
	buf[len + (size_t)n] = '\n';
	int rc = card_state_set(st, DM_KEY_DELIVERED, buf, len + (size_t)n + 1);

	free(buf);
	return rc;
}
