// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * dm-exec.c - the management commands.  ACLs: Add is checked on the
 * parent (the node does not exist yet), the others on the node itself.
 * No node has an executable behind it yet, so an allowed Exec is 406.
 * A server that adds a node where it may only Add gets full rights on the
 * new subtree (an ACL on its top node), or it could not manage what it
 * provisioned; other servers keep what the parent gave them.
 */
#include "dm-exec.h"
#include "dm-semo.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define ALERT_DISPLAY 1100
#define ALERT_NEXT_MESSAGE 1222
#define ALERT_SESSION_ABORT 1223

static struct dm_node *parent_of(struct dm_node *root, const char *uri)
{
	const char *slash = strrchr(uri, '/');
	char buf[2048];

	if (!slash || (size_t)(slash - uri) >= sizeof(buf))
		return NULL;
	memcpy(buf, uri, (size_t)(slash - uri));
	buf[slash - uri] = '\0';
	/* The nearest existing ancestor: Add makes missing interior nodes. */
	for (;;) {
		struct dm_node *n = dm_tree_find(root, buf);

		if (n)
			return n;
		char *s = strrchr(buf, '/');

		if (!s)
			return NULL;
		*s = '\0';
	}
}

static int check_get(struct dm_node *root, const char *sid,
		     const struct dm_item *it, struct dm_node **found)
{
	struct dm_node *n = dm_tree_find(root, it->target);

	if (!n)
		return DM_NOT_FOUND;
	if (!dm_acl_allows(n, "Get", sid))
		return DM_PERMISSION_DENIED;
	*found = n;
	return DM_OK;
}

/* Results of a Get: a leaf's value, an interior node's child names. */
static void get_results(struct dm_out *out, const char *msgid,
			const struct dm_cmd *c, const char *uri,
			const struct dm_node *n)
{
	if (!strcmp(n->format, "node")) {
		char *list = dm_node_child_list(n);

		dm_out_results(out, msgid, c->cmdid, uri, "node", NULL,
			       list ? list : "");
		free(list);
	} else {
		dm_out_results(out, msgid, c->cmdid, uri, n->format, n->type,
			       n->value ? n->value : "");
	}
}

static int grant_creator(struct dm_node *root, struct dm_node *parent,
			 const char *uri, const char *sid)
{
	static const char *const cmds[] = { "Get", "Replace", "Delete", "Add" };
	char top[2048], acl[1024];
	size_t plen;
	int owned = 1;

	for (size_t i = 0; i < sizeof(cmds) / sizeof(*cmds); i++)
		owned &= dm_acl_allows(parent, cmds[i], sid);
	if (owned)
		return DM_OK;
	if (dm_node_uri(parent, top, sizeof(top)))
		return DM_FAILED;
	plen = strlen(top);
	/* uri = top "/" first-new-segment ... */
	const char *seg = uri + plen + 1, *end = strchr(seg, '/');
	size_t slen = end ? (size_t)(end - seg) : strlen(seg);

	if (plen + 1 + slen >= sizeof(top))
		return DM_FAILED;
	top[plen] = '/';
	memcpy(top + plen + 1, seg, slen);
	top[plen + 1 + slen] = '\0';
	struct dm_node *n = dm_tree_find(root, top);

	snprintf(acl, sizeof(acl), "Get=%s&Replace=%s&Delete=%s&Add=%s&Exec=%s",
		 sid, sid, sid, sid, sid);
	if (!n || n->acl)
		return DM_OK;
	n->acl = strdup(acl);
	return n->acl ? DM_OK : DM_FAILED;
}

static int do_add(struct dm_node *root, const char *sid, const struct dm_item *it)
{
	if (dm_tree_find(root, it->target))
		return DM_ALREADY_EXISTS;
	struct dm_node *p = parent_of(root, it->target);

	if (!p)
		return DM_NOT_FOUND;
	if (!dm_acl_allows(p, "Add", sid))
		return DM_PERMISSION_DENIED;
	switch (dm_tree_add(root, it->target, it->format ? it->format : "chr",
			    it->type, it->data ? it->data : "", NULL)) {
	case DM_TREE_OK:
		return grant_creator(root, p, it->target, sid);
	case DM_TREE_EXISTS:
		return DM_ALREADY_EXISTS;
	case DM_TREE_PARENT_LEAF:
		return DM_NOT_ALLOWED;
	case DM_TREE_BAD_URI:
	case DM_TREE_NOT_FOUND:
		return DM_NOT_FOUND;
	case DM_TREE_NOMEM:
		break;
	}
	return DM_FAILED;
}

static int do_replace(struct dm_node *root, const char *sid,
		      const struct dm_item *it)
{
	struct dm_node *n = dm_tree_find(root, it->target);

	if (!n)
		return DM_NOT_FOUND;
	if (!dm_acl_allows(n, "Replace", sid))
		return DM_PERMISSION_DENIED;
	if (!strcmp(n->format, "node") || (it->format && !strcmp(it->format, "node")))
		return DM_NOT_ALLOWED;
	return dm_tree_replace(n, it->format, it->type,
			       it->data ? it->data : "") == DM_TREE_OK ?
	       DM_OK : DM_FAILED;
}

static int do_delete(struct dm_node *root, const char *sid,
		     const struct dm_item *it)
{
	struct dm_node *n = dm_tree_find(root, it->target);

	if (!n)
		return DM_NOT_FOUND;
	if (!n->parent)
		return DM_NOT_ALLOWED;
	if (!dm_acl_allows(n, "Delete", sid))
		return DM_PERMISSION_DENIED;
	dm_tree_delete(n);
	return DM_OK;
}

static int do_exec(struct dm_node *root, const char *sid,
		   const struct dm_item *it)
{
	struct dm_node *n = dm_tree_find(root, it->target);

	if (!n)
		return DM_NOT_FOUND;
	if (!dm_acl_allows(n, "Exec", sid))
		return DM_PERMISSION_DENIED;
	int code = dm_semo_exec(root, n);

	return code ? code : DM_NOT_SUPPORTED;
}

static int do_alert(const struct dm_cmd *c, int *abort_session)
{
	int code = atoi(c->data);

	switch (code) {
	case ALERT_DISPLAY:
	case ALERT_NEXT_MESSAGE:
		return DM_OK;
	case ALERT_SESSION_ABORT:
		*abort_session = 1;
		return DM_OK;
	}
	return DM_NOT_SUPPORTED;
}

int dm_exec_cmd(struct dm_node *root, const char *sid, const char *msgid,
		const struct dm_cmd *c, struct dm_out *out)
{
	int abort_session = 0;

	switch (c->kind) {
	case DM_CMD_STATUS:
	case DM_CMD_RESULTS:
		return 0;
	case DM_CMD_ALERT:
		dm_out_status(out, msgid, c->cmdid, c->name, NULL, NULL,
			      do_alert(c, &abort_session), NULL);
		return abort_session;
	case DM_CMD_GET:
	case DM_CMD_ADD:
	case DM_CMD_REPLACE:
	case DM_CMD_DELETE:
	case DM_CMD_EXEC:
		break;
	default:
		dm_out_status(out, msgid, c->cmdid, c->name, NULL, NULL,
			      DM_NOT_SUPPORTED, NULL);
		return 0;
	}
	if (!c->nitems) {
		dm_out_status(out, msgid, c->cmdid, c->name, NULL, NULL,
			      DM_BAD_REQUEST, NULL);
		return 0;
	}
	for (size_t i = 0; i < c->nitems; i++) {
		const struct dm_item *it = &c->items[i];
		struct dm_node *got = NULL;
		int code;

		if (!it->target || !dm_uri_valid(it->target)) {
			code = DM_BAD_REQUEST;
		} else {
			switch (c->kind) {
			case DM_CMD_GET:
				code = check_get(root, sid, it, &got);
				break;
			case DM_CMD_ADD:
				code = do_add(root, sid, it);
				break;
			case DM_CMD_REPLACE:
				code = do_replace(root, sid, it);
				break;
			case DM_CMD_DELETE:
				code = do_delete(root, sid, it);
				break;
			default:
				code = do_exec(root, sid, it);
				break;
			}
		}
		dm_out_status(out, msgid, c->cmdid, c->name, it->target, NULL,
			      code, NULL);
		if (got)
			get_results(out, msgid, c, it->target, got);
	}
	return 0;
}
