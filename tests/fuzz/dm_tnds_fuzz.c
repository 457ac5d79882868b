// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/scws-dmc/dm-bootstrap.c tools/scws-dmc/dm-tnds.c tools/scws-dmc/dm-card.c tools/scws-dmc/dm-p15.c tools/scws-dmc/dm-tree.c tools/scws-dmc/dm-account.c tools/lib/dm-auth.c tools/lib/scws-se.c tools/lib/se-proto.c tools/lib/arf-rules.c tools/lib/seac-rules.c tools/lib/ber.c tools/lib/dm-xml.c
// libs: -I/usr/include/libxml2 -lxml2 -lcrypto
/*
 * The TNDS parser and the bootstrap install on arbitrary bytes: a
 * refused object leaves the tree as it was (same root, same nodes); an
 * installed one gives accounts dm_account_find takes, only under
 * ./DMAcc, with every node found again by its URI.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "../../tools/scws-dmc/dm-account.h"
#include "../../tools/scws-dmc/dm-bootstrap.h"

static size_t count(const struct dm_node *n)
{
	size_t k = 1;

	for (const struct dm_node *c = n->child; c; c = c->next)
		k += count(c);
	return k;
}

static void walk(struct dm_node *root, struct dm_node *n, int depth)
{
	char uri[4096];

	if (depth > 40)
		abort();
	for (struct dm_node *c = n->child; c; c = c->next) {
		if (strcmp(n->format, "node") || c->parent != n ||
		    dm_node_uri(c, uri, sizeof(uri)) || dm_tree_find(root, uri) != c)
			abort();
		walk(root, c, depth + 1);
	}
}

static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dm_node *t = dm_tree_new(), *was, *n;
	char msg[512];
	size_t before;
	int rc;

	xmlSetGenericErrorFunc(NULL, quiet);
	if (!t || dm_tree_add(t, "./DevInfo/DevId", "chr", NULL, "d", NULL) ||
	    dm_tree_add(t, "./DMAcc", "node", NULL, NULL, &n))
		abort();
	was = t;
	before = count(t);
	rc = dm_bootstrap_install(&t, (const char *)data, size, msg, sizeof(msg));
	if (rc && (t != was || count(t) != before))
		abort();
	if (!rc) {
		struct dm_node *acc = dm_tree_find(t, "./DMAcc");
		struct dm_account a;

		walk(t, t, 0);
		if (!dm_tree_find(t, "./DevInfo/DevId") || count(dm_tree_find(t, "./DevInfo")) != 2)
			abort();
		for (struct dm_node *x = acc->child; x; x = x->next) {
			struct dm_node *id = dm_tree_find(x, "./ServerID");

			if (!id || !x->acl ||
			    dm_account_find(t, id->value, &a, msg, sizeof(msg)))
				abort();
		}
	}
	dm_tree_free(t);
	return 0;
}
