// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * dm-account.c - read a DMAcc subtree.  The last notification session id
 * lives in ./DMAcc/<x>/Ext/ScwsLastSessionID (Ext is the MO's place for
 * vendor nodes), only Get for the server.
 */
#include "dm-account.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LAST_SESSION "Ext/ScwsLastSessionID"

static struct dm_node *sub(struct dm_node *n, const char *name)
{
	for (struct dm_node *c = n ? n->child : NULL; c; c = c->next)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static const char *leaf(struct dm_node *n, const char *name)
{
	struct dm_node *c = sub(n, name);

	return c && c->value ? c->value : NULL;
}

static int read_cred(struct dm_node *n, struct dm_cred *c)
{
	c->node = n;
	c->type = leaf(n, "AAuthType");
	c->name = leaf(n, "AAuthName");
	c->secret = leaf(n, "AAuthSecret");
	const char *data = leaf(n, "AAuthData");

	c->nonce_len = 0;
	if (data && dm_b64_decode(data, c->nonce, sizeof(c->nonce), &c->nonce_len))
		return -1;
	return c->name && c->secret ? 0 : -1;
}

int dm_account_find(struct dm_node *root, const char *server_id,
		    struct dm_account *a, char *err, size_t err_size)
{
	memset(a, 0, sizeof(*a));
	for (struct dm_node *x = sub(root, "DMAcc") ? sub(root, "DMAcc")->child : NULL;
	     x; x = x->next) {
		const char *id = leaf(x, "ServerID");

		if (!id || strcmp(id, server_id))
			continue;
		a->node = x;
		a->server_id = id;
		for (struct dm_node *p = sub(x, "AppAddr") ? sub(x, "AppAddr")->child : NULL;
		     p && !a->addr; p = p->next)
			a->addr = leaf(p, "Addr");
		int have_cl = 0, have_srv = 0;

		for (struct dm_node *p = sub(x, "AppAuth") ? sub(x, "AppAuth")->child : NULL;
		     p; p = p->next) {
			const char *level = leaf(p, "AAuthLevel");

			if (level && !strcmp(level, "CLCRED") && !have_cl)
				have_cl = !read_cred(p, &a->client);
			else if (level && !strcmp(level, "SRVCRED") && !have_srv)
				have_srv = !read_cred(p, &a->server);
		}
		if (!a->addr) {
			snprintf(err, err_size, "account of %s has no AppAddr/*/Addr",
				 server_id);
			return -1;
		}
		if (!have_cl || !have_srv) {
			snprintf(err, err_size,
				 "account of %s lacks a usable CLCRED or SRVCRED AppAuth",
				 server_id);
			return -1;
		}
		return 0;
	}
	snprintf(err, err_size, "no DMAcc with ServerID %s", server_id);
	return -1;
}

int dm_cred_set_nonce(struct dm_cred *c, const char *nonce_b64)
{
	size_t len;
	uint8_t tmp[DM_NONCE_MAX];

	if (dm_b64_decode(nonce_b64, tmp, sizeof(tmp), &len))
		return -1;
	struct dm_node *n = sub(c->node, "AAuthData");

	if (!n && dm_tree_add(c->node, "./AAuthData", "b64", NULL, nonce_b64,
			      &n) != DM_TREE_OK)
		return -1;
	if (n && n->value && !strcmp(n->value, nonce_b64))
		goto done;
	if (dm_tree_replace(n, "b64", NULL, nonce_b64) != DM_TREE_OK)
		return -1;
done:
	memcpy(c->nonce, tmp, len);
	c->nonce_len = len;
	return 0;
}

const char *dm_account_last_session(struct dm_account *a)
{
	return leaf(sub(a->node, "Ext"), "ScwsLastSessionID");
}

int dm_account_set_last_session(struct dm_account *a, const char *sid)
{
	struct dm_node *n = sub(sub(a->node, "Ext"), "ScwsLastSessionID");

	if (n)
		return dm_tree_replace(n, NULL, NULL, sid) == DM_TREE_OK ? 0 : -1;
	if (dm_tree_add(a->node, "./" LAST_SESSION, "chr", "text/plain", sid,
			&n) != DM_TREE_OK)
		return -1;
	free(n->acl);
	n->acl = strdup("Get=*");
	return n->acl ? 0 : -1;
}
