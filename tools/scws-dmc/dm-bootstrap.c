// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * dm-bootstrap.c - install a DMAcc given as TNDS (see dm-bootstrap.h).
 * The object is first added to an empty tree, so its accounts are known
 * and checked before the real tree is touched; then to a copy of the
 * tree, which is saved only when everything holds.
 */
#include "dm-bootstrap.h"
#include "dm-account.h"
#include "dm-card.h"
#include "dm-tnds.h"
#include "dm-tree.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ACCOUNTS 8

__attribute__((format(printf, 3, 4)))
static int fail(char *msg, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, size, fmt, ap);
	va_end(ap);
	return -1;
}

static struct dm_node *child(struct dm_node *n, const char *name)
{
	for (struct dm_node *c = n ? n->child : NULL; c; c = c->next)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* The DMAcc child whose ServerID is sid (complete or not), or NULL. */
static struct dm_node *account_of(struct dm_node *tree, const char *sid)
{
	struct dm_node *acc = child(tree, "DMAcc");

	for (struct dm_node *x = acc ? acc->child : NULL; x; x = x->next) {
		struct dm_node *id = child(x, "ServerID");

		if (id && id->value && !strcmp(id->value, sid))
			return x;
	}
	return NULL;
}

/* The accounts the object brings, checked on an empty tree. */
static int probe(const char *tnds, size_t len, char sids[][128], size_t *n,
		 char *msg, size_t size)
{
	struct dm_node *t = dm_tree_new(), *x;
	char err[256];
	int rc = -1;

	*n = 0;
	if (!t || dm_tree_add(t, "./DMAcc", "node", NULL, NULL, NULL)) {
		dm_tree_free(t);
		return fail(msg, size, "out of memory");
	}
	if (dm_tnds_apply(t, tnds, len, "./DMAcc", err, sizeof(err))) {
		fail(msg, size, "%s", err);
		goto out;
	}
	for (x = child(t, "DMAcc")->child; x; x = x->next) {
		struct dm_node *id = child(x, "ServerID");
		struct dm_account a;

		if (!id || !id->value || !*id->value ||
		    strlen(id->value) >= sizeof(sids[0])) {
			fail(msg, size, "./DMAcc/%s: no ServerID", x->name);
			goto out;
		}
		if (*n == MAX_ACCOUNTS || account_of(t, id->value) != x) {
			fail(msg, size, "./DMAcc/%s: more than %d accounts or "
			     "ServerID %s twice", x->name, MAX_ACCOUNTS,
			     id->value);
			goto out;
		}
		if (dm_account_find(t, id->value, &a, err, sizeof(err))) {
			fail(msg, size, "./DMAcc/%s: %s", x->name, err);
			goto out;
		}
		strcpy(sids[(*n)++], id->value);
	}
	rc = *n ? 0 : fail(msg, size, "no account under ./DMAcc");
out:
	dm_tree_free(t);
	return rc;
}

int dm_bootstrap_install(struct dm_node **tree, const char *tnds,
			 size_t len, char *msg, size_t msg_size)
{
	char sids[MAX_ACCOUNTS][128], err[256];
	size_t n, have = 0;
	struct dm_node *copy;

	if (probe(tnds, len, sids, &n, msg, msg_size))
		return -1;
	for (size_t i = 0; i < n; i++)
		have += account_of(*tree, sids[i]) != NULL;
	if (have == n) {
		snprintf(msg, msg_size, "%s: already bootstrapped; tree "
			 "unchanged", sids[0]);
		return 1;
	}
	if (have)
		return fail(msg, msg_size, "some accounts of the bootstrap "
			    "data exist, others do not");
	if (!dm_tree_find(*tree, "./DMAcc"))
		return fail(msg, msg_size, "the tree has no ./DMAcc");
	copy = dm_tree_clone(*tree);
	if (!copy)
		return fail(msg, msg_size, "out of memory");
	if (dm_tnds_apply(copy, tnds, len, "./DMAcc", err, sizeof(err))) {
		dm_tree_free(copy);
		return fail(msg, msg_size, "%s", err);
	}
	for (size_t i = 0; i < n; i++) {
		struct dm_node *x = account_of(copy, sids[i]);
		size_t l = strlen(sids[i]);

		if (x && !x->acl) {
			x->acl = malloc(4 * l + 32);
			if (x->acl)
				sprintf(x->acl, "Get=%s&Replace=%s&Add=%s&Delete=%s",
					sids[i], sids[i], sids[i], sids[i]);
		}
		if (!x || !x->acl) {
			dm_tree_free(copy);
			return fail(msg, msg_size, "out of memory");
		}
	}
	snprintf(msg, msg_size, "bootstrapped %s", sids[0]);
	for (size_t i = 1; i < n; i++)
		snprintf(msg + strlen(msg), msg_size - strlen(msg), ", %s",
			 sids[i]);
	dm_tree_free(*tree);
	*tree = copy;
	return 0;
}

int dm_bootstrap_wants_tnds(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--from-card") ||
		    !strncmp(argv[i], "--tnds", 6))
			return 1;
	return 0;
}

static int read_file(const char *path, uint8_t **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b = malloc(DM_TNDS_MAX + 1);

	if (!f || !b) {
		fprintf(stderr, "scws-dmc: %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		free(b);
		return -1;
	}
	*len = fread(b, 1, DM_TNDS_MAX + 1, f);
	fclose(f);
	*data = b;
	return 0;
}

int dm_bootstrap_tnds_main(int argc, char **argv, const char *tree_path,
			   int verbose)
{
	const char *sock = NULL, *reader = NULL, *file = NULL;
	static const struct option opts[] = {
		{ "from-card", no_argument, NULL, 'f' },
		{ "tnds", required_argument, NULL, 't' },
		{ "se-socket", required_argument, NULL, 's' },
		{ "reader", required_argument, NULL, 'r' },
		{ 0 }
	};
	int c, card = 0, rc;
	uint8_t *data = NULL;
	size_t len = 0;
	char msg[512];

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f': card = 1; break;
		case 't': file = optarg; break;
		case 's': sock = optarg; break;
		case 'r': reader = optarg; break;
		default: return 2;
		}
	}
	if (optind != argc || card == !!file || (!card && (sock || reader))) {
		fprintf(stderr, "usage: scws-dmc bootstrap --from-card "
			"[--se-socket PATH] [--reader NAME] | --tnds FILE\n");
		return 2;
	}
	char err[256];
	struct dm_node *t = dm_tree_load(tree_path, err, sizeof(err));

	/* The tree first: no card I/O for a tree that cannot take it. */
	if (!t) {
		fprintf(stderr, "scws-dmc: %s\n", err);
		return 1;
	}
	if (card) {
		rc = dm_card_read_bootstrap(sock, reader, &data, &len, verbose,
					    msg, sizeof(msg));
		if (rc) {
			fprintf(stderr, "scws-dmc: bootstrap from the card: %s%s\n",
				rc > 0 ? "no DM bootstrap data: " : "", msg);
			dm_tree_free(t);
			return 1;
		}
	} else if (read_file(file, &data, &len)) {
		dm_tree_free(t);
		return 1;
	}
	rc = dm_bootstrap_install(&t, (const char *)data, len, msg,
				  sizeof(msg));
	free(data);
	if (rc < 0) {
		fprintf(stderr, "scws-dmc: bootstrap data refused (%s): %s; "
			"tree unchanged\n", card ? "card" : file, msg);
	} else if (rc == 0 && dm_tree_save(t, tree_path)) {
		fprintf(stderr, "scws-dmc: %s: %s\n", tree_path, strerror(errno));
		rc = -1;
	} else {
		fprintf(stderr, "scws-dmc: %s\n", msg);
		rc = 0;
	}
	dm_tree_free(t);
	return rc ? 1 : 0;
}
