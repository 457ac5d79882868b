// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * dm-tree.c - the management tree in memory and on disk.
 *
 * On disk: <MgmtTree><Node name= format= type= acl=><Value>..</Value>
 * <Node ..>..</Node></Node></MgmtTree>, written with libxml2.  A save is
 * atomic: a crash leaves either the old file or the new one.
 */
#include "dm-tree.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#define MAX_DEPTH 32
#define MAX_SEG 64

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static struct dm_node *node_new(const char *name, const char *format)
{
	struct dm_node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->name = strdup(name);
	n->format = strdup(format ? format : "chr");
	if (!n->name || !n->format) {
		free(n->name);
		free(n->format);
		free(n);
		return NULL;
	}
	return n;
}

struct dm_node *dm_tree_new(void)
{
	struct dm_node *root = node_new(".", "node");

	if (root)
		root->acl = strdup("Get=*");
	return root;
}

void dm_tree_free(struct dm_node *n)
{
	while (n) {
		struct dm_node *next = n->next;

		dm_tree_free(n->child);
		free(n->name);
		free(n->format);
		free(n->type);
		free(n->acl);
		free(n->value);
		free(n);
		n = next;
	}
}

static void link_child(struct dm_node *parent, struct dm_node *c)
{
	struct dm_node **p = &parent->child;

	while (*p)
		p = &(*p)->next;
	*p = c;
	c->parent = parent;
}

struct dm_node *dm_tree_clone(const struct dm_node *n)
{
	struct dm_node *c = node_new(n->name, n->format);

	if (!c)
		return NULL;
	c->type = dup_or_null(n->type);
	c->acl = dup_or_null(n->acl);
	c->value = dup_or_null(n->value);
	for (const struct dm_node *k = n->child; k; k = k->next) {
		struct dm_node *kc = dm_tree_clone(k);

		if (!kc) {
			dm_tree_free(c);
			return NULL;
		}
		link_child(c, kc);
	}
	return c;
}

static int seg_valid(const char *s, size_t len)
{
	if (!len || len > MAX_SEG)
		return 0;
	if ((len == 1 && s[0] == '.') || (len == 2 && !memcmp(s, "..", 2)))
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x21 || c > 0x7e || c == '/' || c == '?' || c == '#')
			return 0;
	}
	return 1;
}

int dm_uri_valid(const char *uri)
{
	if (!strcmp(uri, "."))
		return 1;
	if (strncmp(uri, "./", 2))
		return 0;
	const char *p = uri + 2;
	int depth = 0;

	for (;;) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);

		if (!seg_valid(p, len) || ++depth > MAX_DEPTH)
			return 0;
		if (!slash)
			return 1;
		p = slash + 1;
	}
}

static struct dm_node *child_named(struct dm_node *n, const char *s, size_t len)
{
	for (struct dm_node *c = n->child; c; c = c->next)
		if (strlen(c->name) == len && !memcmp(c->name, s, len))
			return c;
	return NULL;
}

struct dm_node *dm_tree_find(struct dm_node *root, const char *uri)
{
	if (!dm_uri_valid(uri))
		return NULL;
	if (!strcmp(uri, "."))
		return root;
	struct dm_node *n = root;
	const char *p = uri + 2;

	while (n) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);

		n = child_named(n, p, len);
		if (!slash)
			return n;
		p = slash + 1;
	}
	return NULL;
}

enum dm_tree_err dm_tree_add(struct dm_node *root, const char *uri,
			     const char *format, const char *type,
			     const char *value, struct dm_node **out)
{
	if (!dm_uri_valid(uri) || !strcmp(uri, "."))
		return DM_TREE_BAD_URI;
	struct dm_node *n = root;
	const char *p = uri + 2;

	for (;;) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		struct dm_node *c = child_named(n, p, len);

		if (!slash) {
			if (c)
				return DM_TREE_EXISTS;
			if (strcmp(n->format, "node"))
				return DM_TREE_PARENT_LEAF;
			c = node_new(p, format);
			if (!c)
				return DM_TREE_NOMEM;
			if ((type && !(c->type = strdup(type))) ||
			    (value && strcmp(c->format, "node") &&
			     !(c->value = strdup(value)))) {
				dm_tree_free(c);
				return DM_TREE_NOMEM;
			}
			link_child(n, c);
			if (out)
				*out = c;
			return DM_TREE_OK;
		}
		if (!c) {
			if (strcmp(n->format, "node"))
				return DM_TREE_PARENT_LEAF;
			char seg[MAX_SEG + 1];

			memcpy(seg, p, len);
			seg[len] = '\0';
			c = node_new(seg, "node");
			if (!c)
				return DM_TREE_NOMEM;
			link_child(n, c);
		}
		n = c;
		p = slash + 1;
	}
}

enum dm_tree_err dm_tree_replace(struct dm_node *n, const char *format,
				 const char *type, const char *value)
{
	if (!strcmp(n->format, "node"))
		return DM_TREE_PARENT_LEAF;
	char *v = value ? strdup(value) : NULL;
	char *f = format ? strdup(format) : NULL;
	char *t = type ? strdup(type) : NULL;

	if ((value && !v) || (format && !f) || (type && !t)) {
		free(v);
		free(f);
		free(t);
		return DM_TREE_NOMEM;
	}
	free(n->value);
	n->value = v;
	if (f) {
		free(n->format);
		n->format = f;
	}
	if (t) {
		free(n->type);
		n->type = t;
	}
	return DM_TREE_OK;
}

void dm_tree_delete(struct dm_node *n)
{
	if (!n->parent)
		return;
	struct dm_node **p = &n->parent->child;

	while (*p != n)
		p = &(*p)->next;
	*p = n->next;
	n->next = NULL;
	dm_tree_free(n);
}

/* Whether the ACL string lists server_id (or "*") for cmd. */
static int acl_lists(const char *acl, const char *cmd, const char *server_id)
{
	size_t cl = strlen(cmd), sl = strlen(server_id);
	const char *p = acl;

	while (*p) {
		const char *amp = strchr(p, '&');
		size_t len = amp ? (size_t)(amp - p) : strlen(p);

		if (len > cl && !strncmp(p, cmd, cl) && p[cl] == '=') {
			const char *q = p + cl + 1, *end = p + len;

			while (q < end) {
				const char *plus = memchr(q, '+', (size_t)(end - q));
				size_t il = plus ? (size_t)(plus - q) : (size_t)(end - q);

				if ((il == 1 && *q == '*') ||
				    (il == sl && !memcmp(q, server_id, sl)))
					return 1;
				q += il + (plus ? 1 : 0);
			}
		}
		p += len + (amp ? 1 : 0);
	}
	return 0;
}

int dm_acl_allows(const struct dm_node *n, const char *cmd,
		  const char *server_id)
{
	while (n && (!n->acl || !*n->acl))
		n = n->parent;
	return n && acl_lists(n->acl, cmd, server_id);
}

int dm_node_uri(const struct dm_node *n, char *buf, size_t size)
{
	const struct dm_node *path[MAX_DEPTH + 2];
	int depth = 0;
	size_t used = 0;

	for (; n && n->parent; n = n->parent) {
		if (depth >= MAX_DEPTH + 1)
			return -1;
		path[depth++] = n;
	}
	if (size < 2)
		return -1;
	buf[used++] = '.';
	while (depth--) {
		size_t l = strlen(path[depth]->name);

		if (used + 1 + l + 1 > size)
			return -1;
		buf[used++] = '/';
		memcpy(buf + used, path[depth]->name, l);
		used += l;
	}
	buf[used] = '\0';
	return 0;
}

char *dm_node_child_list(const struct dm_node *n)
{
	size_t len = 1;

	for (const struct dm_node *c = n->child; c; c = c->next)
		len += strlen(c->name) + 1;
	char *s = malloc(len), *p = s;

	if (!s)
		return NULL;
	for (const struct dm_node *c = n->child; c; c = c->next) {
		if (p != s)
			*p++ = '/';
		p = stpcpy(p, c->name);
	}
	*p = '\0';
	return s;
}

/* --- XML on disk --- */

static int is_elem(const xmlNode *x, const char *name)
{
	return x->type == XML_ELEMENT_NODE && !strcmp((const char *)x->name, name);
}

static char *attr(const xmlNode *x, const char *name)
{
	xmlChar *v = xmlGetProp(x, (const xmlChar *)name);
	char *s = v ? strdup((const char *)v) : NULL;

	xmlFree(v);
	return s;
}

static int load_children(struct dm_node *n, const xmlNode *x, int depth,
			 char *err, size_t err_size)
{
	if (depth > MAX_DEPTH) {
		snprintf(err, err_size, "tree deeper than %d", MAX_DEPTH);
		return -1;
	}
	for (const xmlNode *c = x->children; c; c = c->next) {
		if (is_elem(c, "Value")) {
			xmlChar *v = xmlNodeGetContent(c);

			free(n->value);
			n->value = strdup(v ? (const char *)v : "");
			xmlFree(v);
			continue;
		}
		if (!is_elem(c, "Node"))
			continue;
		char *name = attr(c, "name"), *format = attr(c, "format");

		if (!name || !seg_valid(name, strlen(name)) ||
		    child_named(n, name, strlen(name)) ||
		    strcmp(n->format, "node")) {
			snprintf(err, err_size, "bad or repeated node name under %s",
				 n->name);
			free(name);
			free(format);
			return -1;
		}
		struct dm_node *k = node_new(name, format);

		free(name);
		free(format);
		if (!k) {
			snprintf(err, err_size, "out of memory");
			return -1;
		}
		link_child(n, k);
		k->type = attr(c, "type");
		k->acl = attr(c, "acl");
		if (load_children(k, c, depth + 1, err, err_size))
			return -1;
	}
	return 0;
}

static struct dm_node *from_doc(xmlDoc *doc, char *err, size_t err_size)
{
	xmlNode *top = doc ? xmlDocGetRootElement(doc) : NULL;

	/* No entities: their text could expand without bound. */
	if (!top || !is_elem(top, "MgmtTree") ||
	    (doc->intSubset && doc->intSubset->children)) {
		snprintf(err, err_size, "not a management tree file");
		return NULL;
	}
	struct dm_node *root = dm_tree_new();

	if (!root) {
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	char *acl = attr(top, "acl");

	if (acl) {
		free(root->acl);
		root->acl = acl;
	}
	if (load_children(root, top, 0, err, err_size)) {
		dm_tree_free(root);
		return NULL;
	}
	return root;
}

struct dm_node *dm_tree_parse(const char *xml, size_t len, char *err,
			      size_t err_size)
{
	if (len > 1 << 24) {
		snprintf(err, err_size, "tree file too large");
		return NULL;
	}
	xmlDoc *doc = xmlReadMemory(xml, (int)len, "tree.xml", NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING);
	struct dm_node *root = from_doc(doc, err, err_size);

	xmlFreeDoc(doc);
	return root;
}

struct dm_node *dm_tree_load(const char *path, char *err, size_t err_size)
{
	FILE *f = fopen(path, "rb");

	if (!f) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return NULL;
	}
	char *buf = NULL;
	size_t size = 0, len = 0;

	for (;;) {
		if (len == size) {
			size = size ? size * 2 : 65536;
			char *nb = size <= (1u << 24) ? realloc(buf, size) : NULL;

			if (!nb) {
				free(buf);
				fclose(f);
				snprintf(err, err_size, "%s: too large", path);
				errno = EFBIG;
				return NULL;
			}
			buf = nb;
		}
		size_t r = fread(buf + len, 1, size - len, f);

		if (!r)
			break;
		len += r;
	}
	fclose(f);
	struct dm_node *root = dm_tree_parse(buf, len, err, err_size);

	free(buf);
	if (!root)
		errno = EINVAL;
	return root;
}

static void save_children(const struct dm_node *n, xmlNode *x)
{
	if (n->value)
		xmlNewTextChild(x, NULL, (const xmlChar *)"Value",
				(const xmlChar *)n->value);
	for (const struct dm_node *c = n->child; c; c = c->next) {
		xmlNode *e = xmlNewChild(x, NULL, (const xmlChar *)"Node", NULL);

		xmlNewProp(e, (const xmlChar *)"name", (const xmlChar *)c->name);
		xmlNewProp(e, (const xmlChar *)"format", (const xmlChar *)c->format);
		if (c->type)
			xmlNewProp(e, (const xmlChar *)"type", (const xmlChar *)c->type);
		if (c->acl)
			xmlNewProp(e, (const xmlChar *)"acl", (const xmlChar *)c->acl);
		save_children(c, e);
	}
}

static int write_all(int fd, const void *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p = (const char *)p + w;
		len -= (size_t)w;
	}
	return 0;
}

int dm_tree_save(const struct dm_node *root, const char *path)
{
	xmlDoc *doc = xmlNewDoc((const xmlChar *)"1.0");
	xmlNode *top = xmlNewNode(NULL, (const xmlChar *)"MgmtTree");
	xmlChar *mem = NULL;
	int len = 0, rc = -1, saved_errno;

	xmlDocSetRootElement(doc, top);
	if (root->acl)
		xmlNewProp(top, (const xmlChar *)"acl", (const xmlChar *)root->acl);
	save_children(root, top);
	xmlDocDumpFormatMemoryEnc(doc, &mem, &len, "UTF-8", 1);
	xmlFreeDoc(doc);
	if (!mem) {
		errno = ENOMEM;
		return -1;
	}

	size_t plen = strlen(path);
	char *tmp = malloc(plen + 8), *dir = strdup(path);

	if (!tmp || !dir) {
		errno = ENOMEM;
		goto out;
	}
	snprintf(tmp, plen + 8, "%s.XXXXXX", path);
	int fd = mkstemp(tmp);

	if (fd < 0)
		goto out;
	if (write_all(fd, mem, (size_t)len) || fsync(fd)) {
		saved_errno = errno;
		close(fd);
		unlink(tmp);
		errno = saved_errno;
		goto out;
	}
	if (close(fd) || rename(tmp, path)) {
		saved_errno = errno;
		unlink(tmp);
		errno = saved_errno;
		goto out;
	}
	/* The rename itself must reach the disk. */
	int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY);

	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	rc = 0;
out:
	xmlFree(mem);
	free(tmp);
	free(dir);
	return rc;
}
