// SPDX-License-Identifier: GPL-2.0
/*
 * Content store changes made by the administration agent (admin/): delete
 * a resource or a whole directory, keep the extra representation fields
 * (Content-Encoding, Content-Language) a remote PUT supplied, list a
 * directory for an audit.  The extra fields live beside the resource in
 * "meta/<path>", so resources stored before they existed stay as they are.
 * Nothing here saves the state: the caller does, once per command, so a
 * command is all or nothing on disk.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "site.h"

#define META_PREFIX "meta/"

static bool make_key(const char *prefix, const char *path, char *key,
		     size_t cap)
{
	int n = snprintf(key, cap, "%s%s", prefix, path + 1);

	return path[0] == '/' && n > 0 && (size_t)n < cap;
}

int site_resource_set_fields(struct scws_site *s, const char *path,
			     const char *fields)
{
	char key[256];

	if (!make_key(META_PREFIX, path, key, sizeof(key)))
		return -EINVAL;
	if (!fields || !fields[0]) {
		card_state_delete(s->st, key);
		return 0;
	}
	return card_state_set(s->st, key, fields, strlen(fields));
}

void site_resource_fields(const struct scws_site *s, const char *path,
			  struct http_reply *r)
{
	const uint8_t *v;
	char key[256];
	size_t len;

	if (!make_key(META_PREFIX, path, key, sizeof(key)) ||
	    card_state_get(s->st, key, &v, &len))
		return;
	http_buf_put(&r->fields, v, len);
}

int site_resource_delete(struct scws_site *s, const char *path)
{
	char key[256];

	if (!make_key(SITE_CONTENT_PREFIX, path, key, sizeof(key)) ||
	    card_state_delete(s->st, key))
		return -ENOENT;
	site_resource_set_fields(s, path, NULL);
	return 0;
}

struct key_list {
	char **keys;
	size_t n;
	bool oom;
};

static int collect(const char *key, const uint8_t *val, size_t len, void *arg)
{
	struct key_list *l = arg;
	char **k;

	(void)val;
	(void)len;
	k = realloc(l->keys, (l->n + 1) * sizeof(*k));
	if (!k || !(k[l->n] = strdup(key))) {
		if (k)
			l->keys = k;
		l->oom = true;
		return 1;
	}
	l->keys = k;
	l->n++;
	return 0;
}

static void list_free(struct key_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->keys[i]);
	free(l->keys);
}

static int list_dir(const struct scws_site *s, const char *dir,
		    struct key_list *l)
{
	char prefix[256];
	size_t n = strlen(dir);

	memset(l, 0, sizeof(*l));
	if (!n || dir[n - 1] != '/' ||
	    !make_key(SITE_CONTENT_PREFIX, dir, prefix, sizeof(prefix)))
		return -EINVAL;
	card_state_foreach(s->st, prefix, collect, l);
	if (l->oom) {
		list_free(l);
		return -ENOMEM;
	}
	return 0;
}

int site_dir_delete(struct scws_site *s, const char *dir)
{
	struct key_list l;
	int rc = list_dir(s, dir, &l);

	if (rc)
		return rc;
	for (size_t i = 0; i < l.n; i++) {
		char path[256];

		card_state_delete(s->st, l.keys[i]);
		snprintf(path, sizeof(path), "/%s",
			 l.keys[i] + strlen(SITE_CONTENT_PREFIX));
		site_resource_set_fields(s, path, NULL);
	}
	list_free(&l);
	return (int)l.n;
}

int site_dir_list(const struct scws_site *s, const char *dir,
		  struct http_buf *out)
{
	struct key_list l;
	int rc = list_dir(s, dir, &l);

	if (rc)
		return rc;
	for (size_t i = 0; i < l.n; i++)
		http_buf_printf(out, "/%s\r\n",
				l.keys[i] + strlen(SITE_CONTENT_PREFIX));
	list_free(&l);
	return out->oom ? -ENOMEM : (int)l.n;
}
