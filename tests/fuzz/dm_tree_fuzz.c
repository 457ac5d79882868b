// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/scws-dmc/dm-tree.c tools/scws-dmc/dm-account.c tools/lib/dm-auth.c
// libs: -I/usr/include/libxml2 -lxml2 -lcrypto
/*
 * scws-dmc's tree file parser on arbitrary bytes: a loaded tree must have
 * valid, unique names under interior nodes only, every node's URI must
 * find it again, and an account lookup must not go astray.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/scws-dmc/dm-account.h"

static void walk(struct dm_node *root, struct dm_node *n, int depth)
{
	char uri[4096];

	if (depth > 40)
		abort();
	for (struct dm_node *c = n->child; c; c = c->next) {
		if (strcmp(n->format, "node") || c->parent != n)
			abort();
		if (dm_node_uri(c, uri, sizeof(uri)) || !dm_uri_valid(uri) ||
		    dm_tree_find(root, uri) != c)
			abort();
		walk(root, c, depth + 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	struct dm_node *t = dm_tree_parse((const char *)data, size, err, sizeof(err));

	if (!t)
		return 0;
	walk(t, t, 0);
	struct dm_account a;

	(void)dm_account_find(t, "srv", &a, err, sizeof(err));
	(void)dm_acl_allows(t, "Get", "srv");
	dm_tree_free(t);
	return 0;
}
