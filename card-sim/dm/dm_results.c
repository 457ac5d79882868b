// SPDX-License-Identifier: GPL-2.0
/* The client's per-item reports; see dm_results.h. */
#include "dm/dm_results.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dm_results_clean(char *dst, size_t cap, const char *src)
{
	size_t n = 0;

	for (; src && *src && n + 1 < cap; src++, n++)
		dst[n] = (unsigned char)*src < 0x20 || *src == 0x7f ? '?' : *src;
	dst[n] = '\0';
}

static struct dm_result *lookup(struct dm_results *res, const char *cmd,
				const char *uri)
{
	char u[DM_RESULT_URI];

	dm_results_clean(u, sizeof(u), uri ? uri : "-");
	for (size_t i = 0; i < res->n; i++)
		if (!strcmp(res->r[i].cmd, cmd) && !strcmp(res->r[i].uri, u))
			return &res->r[i];
	if (res->n == sizeof(res->r) / sizeof(res->r[0]))
		return NULL;
	struct dm_result *r = &res->r[res->n++];

	memset(r, 0, sizeof(*r));
	dm_results_clean(r->cmd, sizeof(r->cmd), cmd);
	memcpy(r->uri, u, sizeof(u));
	return r;
}

void dm_results_add(struct dm_results *res, const char *cmd, const char *uri,
		    int code, const char *value)
{
	struct dm_result *r = lookup(res, cmd, uri);

	if (!r)
		return;
	r->code = code;
	if (value)
		dm_results_clean(r->value, sizeof(r->value), value);
}

void dm_results_value(struct dm_results *res, const char *cmd,
		      const char *uri, const char *value)
{
	struct dm_result *r = lookup(res, cmd, uri);

	if (r)
		dm_results_clean(r->value, sizeof(r->value), value ? value : "");
}

int dm_results_code(const struct dm_results *res, const char *cmd,
		    const char *uri)
{
	for (size_t i = 0; i < res->n; i++)
		if (!strcmp(res->r[i].cmd, cmd) && !strcmp(res->r[i].uri, uri))
			return res->r[i].code;
	return 0;
}

int dm_results_store(struct card_state *st, const struct dm_results *res,
		     const char *sessionid)
{
	size_t cap = 128 + res->n * (8 + DM_RESULT_URI + 16 + DM_RESULT_VALUE);
	char *buf = malloc(cap), sid[64];
	size_t len;
	int rc;

	if (!buf)
		return -ENOMEM;
	dm_results_clean(sid, sizeof(sid), sessionid);
	len = (size_t)snprintf(buf, cap, "session\t%s\n", sid);
	for (size_t i = 0; i < res->n; i++) {
		const struct dm_result *r = &res->r[i];

		len += (size_t)snprintf(buf + len, cap - len, "%s\t%s\t%d%s%s\n",
					r->cmd, r->uri, r->code,
					r->value[0] ? "\t" : "", r->value);
	}
	rc = card_state_set(st, DM_KEY_RESULTS, buf, len);
	free(buf);
	return rc;
}
