// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * dm-tnds.c - a TNDS object (XML) into the tree (see dm-tnds.h).  The
 * element set is OMA-TS-DM_TNDS 1.2's table of properties a decoder must
 * or may support; the nodes go in through dm-tree.c like any Add.
 */
#include "dm-tnds.h"
#include "dm-xml.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#define TNDS_NS "syncml:dmddf1.2"
#define URI_MAX 2048

struct ctx {
	struct dm_node *tree;
	const char *under;
	char *err;
	size_t err_size;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->err_size, fmt, ap);
	va_end(ap);
	return -1;
}

static int is(const xmlNode *x, const char *name)
{
	return x->type == XML_ELEMENT_NODE &&
	       !strcmp((const char *)x->name, name);
}

static int blank(const xmlChar *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

/* Children of a structural element: elements, comments and blank text
 * only.  Returns the next element after x (x NULL: the first child of
 * parent), or NULL at the end; *bad set on stray text. */
static const xmlNode *next_el(const xmlNode *parent, const xmlNode *x,
			      int *bad)
{
	for (x = x ? x->next : parent->children; x; x = x->next) {
		if (x->type == XML_ELEMENT_NODE)
			return x;
		if (x->type == XML_COMMENT_NODE)
			continue;
		if (x->type == XML_TEXT_NODE && blank(x->content))
			continue;
		*bad = 1;
		return NULL;
	}
	return NULL;
}

/* The text of a leaf element (no child elements), trimmed; malloc'd. */
static char *text_of(const xmlNode *x)
{
	for (const xmlNode *k = x->children; k; k = k->next)
		if (k->type != XML_TEXT_NODE && k->type != XML_CDATA_SECTION_NODE &&
		    k->type != XML_COMMENT_NODE)
			return NULL;
	return dm_xml_text(x);
}

/* The one empty element inside x (Format's <chr/>, Type's <MIME>). */
static const xmlNode *only_child(const xmlNode *x)
{
	int bad = 0;
	const xmlNode *k = next_el(x, NULL, &bad);

	if (bad || !k || next_el(x, k, &bad) || bad)
		return NULL;
	return k;
}

static const char *const formats[] = {
	"b64", "bin", "bool", "chr", "int", "node", "null", "xml", "date",
	"time", "float",
};

struct props {
	char *acl, *format, *type;
};

static void props_free(struct props *p)
{
	free(p->acl);
	free(p->format);
	free(p->type);
}

static int read_props(struct ctx *c, const xmlNode *rt, const char *uri,
		      struct props *p)
{
	int bad = 0;

	for (const xmlNode *x = next_el(rt, NULL, &bad); x;
	     x = next_el(rt, x, &bad)) {
		const xmlNode *k;

		if (is(x, "ACL") && !p->acl) {
			p->acl = text_of(x);
			if (!p->acl)
				return fail(c, "%s: ACL is not text", uri);
			for (const char *s = p->acl; *s; s++)
				if ((unsigned char)*s < 0x21 || *s == 0x7F)
					return fail(c, "%s: bad ACL", uri);
		} else if (is(x, "Format") && !p->format) {
			k = only_child(x);
			for (size_t i = 0; k && k->children == NULL &&
			     i < sizeof(formats) / sizeof(formats[0]); i++)
				if (is(k, formats[i]))
					p->format = strdup(formats[i]);
			if (!p->format)
				return fail(c, "%s: Format is not one of the "
					    "DM formats", uri);
		} else if (is(x, "Type") && !p->type) {
			k = only_child(x);
			if (!k || !(is(k, "MIME") || is(k, "DDFName")) ||
			    !(p->type = text_of(k)))
				return fail(c, "%s: Type is not one MIME or "
					    "DDFName", uri);
		} else if (!(is(x, "Title") || is(x, "TStamp") ||
			     is(x, "VerNo") || is(x, "Size") || is(x, "Name"))) {
			return fail(c, "%s: unexpected <%s> in RTProperties",
				    uri, (const char *)x->name);
		}
	}
	return bad ? fail(c, "%s: text in RTProperties", uri) : 0;
}

/* uri is under c->under: equal (continuation only) or below it. */
static int within(const struct ctx *c, const char *uri, int *equal)
{
	size_t n = strlen(c->under);

	*equal = !strcmp(uri, c->under);
	return *equal || (!strncmp(uri, c->under, n) && uri[n] == '/');
}

static int add_node(struct ctx *c, const char *parent, const xmlNode *x,
		    int top);

/* The Node's own node, then its children. */
static int add_parsed(struct ctx *c, const char *uri, const xmlNode *x,
		      const xmlNode *rt, const xmlNode *val, int has_kids)
{
	struct props p = { 0 };
	char *value = NULL;
	struct dm_node *n = dm_tree_find(c->tree, uri);
	int eq, rc = -1, bad = 0;

	if (!within(c, uri, &eq)) {
		fail(c, "%s: outside %s", uri, c->under);
		goto out;
	}
	if (rt && read_props(c, rt, uri, &p))
		goto out;
	if (val && !(value = text_of(val))) {
		fail(c, "%s: Value is not text", uri);
		goto out;
	}
	const char *fmt = p.format ? p.format : val ? "chr" : "node";

	if (val && (!strcmp(fmt, "node") || has_kids)) {
		fail(c, "%s: an interior node with a Value", uri);
		goto out;
	}
	if (n) {
		/* Only an interior node given nothing but children. */
		if (rt || val || strcmp(n->format, "node")) {
			fail(c, "%s: exists in the tree", uri);
			goto out;
		}
	} else if (eq) {
		fail(c, "%s: missing from the tree", uri);
		goto out;
	} else {
		enum dm_tree_err e = dm_tree_add(c->tree, uri, fmt, p.type,
						 value ? value : "", &n);

		if (e != DM_TREE_OK) {
			fail(c, "%s: cannot add (%s)", uri,
			     e == DM_TREE_EXISTS ? "exists" :
			     e == DM_TREE_PARENT_LEAF ? "a parent is a leaf" :
			     e == DM_TREE_BAD_URI ? "bad URI" : "out of memory");
			goto out;
		}
		n->acl = p.acl;
		p.acl = NULL;
	}
	rc = 0;
	for (const xmlNode *k = next_el(x, NULL, &bad); k && !rc;
	     k = next_el(x, k, &bad))
		if (is(k, "Node"))
			rc = add_node(c, uri, k, 0);
	if (!rc && bad)
		rc = fail(c, "%s: text in Node", uri);
out:
	props_free(&p);
	free(value);
	return rc;
}

static int add_node(struct ctx *c, const char *parent, const xmlNode *x,
		    int top)
{
	const xmlNode *name = NULL, *path = NULL, *rt = NULL, *val = NULL;
	int bad = 0, kids = 0, rc;
	char uri[URI_MAX], *nm, *base = NULL;

	for (const xmlNode *k = next_el(x, NULL, &bad); k;
	     k = next_el(x, k, &bad)) {
		const xmlNode **slot = is(k, "NodeName") ? &name :
				       is(k, "Path") ? &path :
				       is(k, "RTProperties") ? &rt :
				       is(k, "Value") ? &val : NULL;

		if (is(k, "Node")) {
			kids = 1;
			continue;
		}
		if (!slot)
			return fail(c, "under %s: unexpected <%s> in Node",
				    parent, (const char *)k->name);
		if (*slot)
			return fail(c, "under %s: two <%s> in one Node",
				    parent, (const char *)k->name);
		*slot = k;
	}
	if (bad)
		return fail(c, "under %s: text in Node", parent);
	if (!name)
		return fail(c, "under %s: a Node without NodeName", parent);
	if (path && !top)
		return fail(c, "under %s: Path on a nested Node", parent);
	if (path) {
		base = text_of(path);
		if (!base)
			return fail(c, "a Path that is not text");
		parent = base;
	}
	nm = text_of(name);
	if (!nm || !*nm || strchr(nm, '/') ||
	    snprintf(uri, sizeof(uri), "%s%s/%s",
		     parent[0] == '.' ? "" : "./", parent, nm) >=
	    (int)sizeof(uri) || !dm_uri_valid(uri))
		rc = fail(c, "under %s: bad NodeName or Path", parent);
	else
		rc = add_parsed(c, uri, x, rt, val, kids);
	free(nm);
	free(base);
	return rc;
}

static int apply_doc(struct ctx *c, const xmlDoc *doc)
{
	const xmlNode *top = xmlDocGetRootElement(doc), *x;
	int bad = 0, nodes = 0, ver = 0;

	if (!top || !is(top, "MgmtTree"))
		return fail(c, "not a TNDS object (no MgmtTree)");
	if (top->ns && (!top->ns->href ||
			strcmp((const char *)top->ns->href, TNDS_NS)))
		return fail(c, "MgmtTree in namespace %s, not " TNDS_NS,
			    top->ns->href ? (const char *)top->ns->href : "?");
	for (x = next_el(top, NULL, &bad); x; x = next_el(top, x, &bad)) {
		if (is(x, "VerDTD") && !ver && !nodes) {
			char *v = text_of(x);

			ver = 1;
			if (!v || strcmp(v, "1.2")) {
				free(v);
				return fail(c, "VerDTD is not 1.2");
			}
			free(v);
		} else if ((is(x, "Man") || is(x, "Mod")) && !nodes) {
			continue;
		} else if (is(x, "Node") && ver) {
			nodes++;
			if (add_node(c, ".", x, 1))
				return -1;
		} else {
			return fail(c, "unexpected <%s> in MgmtTree",
				    (const char *)x->name);
		}
	}
	if (bad)
		return fail(c, "text in MgmtTree");
	if (!ver)
		return fail(c, "MgmtTree without VerDTD");
	return nodes ? 0 : fail(c, "MgmtTree without a Node");
}

int dm_tnds_apply(struct dm_node *tree, const char *xml, size_t len,
		  const char *under, char *err, size_t err_size)
{
	struct ctx c = { tree, under, err, err_size };
	struct dm_node *u = dm_tree_find(tree, under);

	if (!u || strcmp(u->format, "node"))
		return fail(&c, "%s: no such interior node", under);
	if (len > DM_TNDS_MAX)
		return fail(&c, "TNDS object larger than %d bytes", DM_TNDS_MAX);
	xmlDoc *doc = xmlReadMemory(xml, (int)len, "tnds.xml", NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING);

	if (!doc) {
		const xmlError *e = xmlGetLastError();
		const char *msg = e && e->message ? e->message : "parse error";

		return fail(&c, "malformed XML: %.*s",
			    (int)strcspn(msg, "\n"), msg);
	}
	/* Entities could expand without bound: a TNDS object needs none. */
	int rc = doc->intSubset && doc->intSubset->children ?
		 fail(&c, "DTD declarations are not accepted") :
		 apply_doc(&c, doc);

	xmlFreeDoc(doc);
	return rc;
}
