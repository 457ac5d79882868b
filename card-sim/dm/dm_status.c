// SPDX-License-Identifier: GPL-2.0
/* The status page; see dm_status.h. */
#include "dm/dm_status.h"

#include <stdlib.h>
#include <string.h>

#include "dm/dm_identity.h"
#include "dm/dm_store.h"

/* A stored text blob, each line indented. */
static void put_blob(struct card_state *st, const char *key,
		     struct http_buf *b, const char *none)
{
	const uint8_t *v;
	size_t len;

	if (card_state_get(st, key, &v, &len) || !len) {
		http_buf_printf(b, "  %s\n", none);
		return;
	}
	for (size_t i = 0; i < len;) {
		const uint8_t *nl = memchr(v + i, '\n', len - i);
		size_t n = (nl ? (size_t)(nl - v) : len) - i;

		http_buf_puts(b, "  ");
		http_buf_put(b, v + i, n);
		http_buf_puts(b, "\n");
		i += n + 1;
	}
}

void dm_status_page(struct card_state *st, struct http_buf *b)
{
	const struct dm_identity *id = dm_identity();
	struct dm_prov *p = malloc(sizeof(*p));

	http_buf_printf(b, "server-id: %s\naddress: %s\n", id->server_id,
			id->addr);
	if (p && !dm_prov_load(st, p)) {
		size_t pending = dm_prov_pending(st, p);

		http_buf_printf(b, "provisioning: %zu items, %zu delivered, "
				"%zu pending\n", p->n, p->n - pending, pending);
		for (size_t i = 0; i < p->n; i++)
			http_buf_printf(b, "  %s %s\n",
					dm_prov_delivered(st, &p->items[i]) ?
					"delivered" : "pending  ", p->items[i].uri);
	} else {
		http_buf_puts(b, "provisioning: damaged\n");
	}
	free(p);
	http_buf_puts(b, "last session:\n");
	put_blob(st, DM_KEY_LAST, b, "none");
	http_buf_puts(b, "results:\n");
	put_blob(st, DM_KEY_RESULTS, b, "none");
	http_buf_puts(b, "notification:\n");
	put_blob(st, DM_KEY_NOTIFY, b, "none");
}
