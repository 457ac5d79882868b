/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * dm-tree.h - the OMA DM management tree: nodes with a value or children,
 * Format, Type and ACL (OMA-TS-DM_TND 1.2), addressed by URIs "./A/B",
 * saved to one XML file by write-to-temp, fsync and rename.
 */
#ifndef SCWS_DM_TREE_H
#define SCWS_DM_TREE_H

#include <stddef.h>

struct dm_node {
	char *name;
	char *format;		/* "node", "chr", "int", "bool", "b64", ... */
	char *type;		/* MIME type, may be NULL */
	char *acl;		/* "Get=*&Replace=srv1+srv2", NULL: inherited */
	char *value;		/* leaves only */
	struct dm_node *parent, *child, *next;
};

struct dm_node *dm_tree_new(void);
void dm_tree_free(struct dm_node *n);
struct dm_node *dm_tree_clone(const struct dm_node *n);

/* 1 if uri is a valid absolute DM URI ("." or "./seg/seg"). */
int dm_uri_valid(const char *uri);
struct dm_node *dm_tree_find(struct dm_node *root, const char *uri);

enum dm_tree_err {
	DM_TREE_OK = 0,
	DM_TREE_EXISTS,
	DM_TREE_NOT_FOUND,
	DM_TREE_BAD_URI,
	DM_TREE_PARENT_LEAF,	/* a parent on the path is a leaf */
	DM_TREE_NOMEM,
};

/* Add a node; missing interior parents are made (DM 1.2 allows it).
 * format "node" makes an interior node (value ignored). */
enum dm_tree_err dm_tree_add(struct dm_node *root, const char *uri,
			     const char *format, const char *type,
			     const char *value, struct dm_node **out);
/* Replace a leaf's value (and format/type when given). */
enum dm_tree_err dm_tree_replace(struct dm_node *n, const char *format,
				 const char *type, const char *value);
/* Unlink and free n with its subtree (not the root). */
void dm_tree_delete(struct dm_node *n);

/* Whether server_id may run cmd ("Get", "Add", "Replace", "Delete",
 * "Exec") on n: the nearest ACL up the tree decides; "*" is anyone. */
int dm_acl_allows(const struct dm_node *n, const char *cmd,
		  const char *server_id);

/* "./A/B" of n into buf; -1 if it does not fit. */
int dm_node_uri(const struct dm_node *n, char *buf, size_t size);
/* Child names joined by '/', as Get on an interior node returns them;
 * malloc'd. */
char *dm_node_child_list(const struct dm_node *n);

/* Load (NULL and errno ENOENT if missing) and save the tree. */
struct dm_node *dm_tree_load(const char *path, char *err, size_t err_size);
int dm_tree_save(const struct dm_node *root, const char *path);
/* The same as XML in memory (for tests and the fuzzer). */
struct dm_node *dm_tree_parse(const char *xml, size_t len, char *err,
			      size_t err_size);

#endif
