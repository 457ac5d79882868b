// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * dm-syncml.c - read a SyncML DM message with libxml2.  Elements are
 * matched by local name, so SYNCML:SYNCML1.2 and syncml:metinf namespaces
 * (or none) are all accepted.  No network, no entity substitution, sizes
 * and counts bounded.
 */
#include "dm-syncml.h"
#include "dm-xml.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

static const char *const kind_names[] = {
	[DM_CMD_STATUS] = "Status", [DM_CMD_RESULTS] = "Results",
	[DM_CMD_ALERT] = "Alert", [DM_CMD_GET] = "Get", [DM_CMD_ADD] = "Add",
	[DM_CMD_REPLACE] = "Replace", [DM_CMD_DELETE] = "Delete",
	[DM_CMD_EXEC] = "Exec", [DM_CMD_COPY] = "Copy",
	[DM_CMD_ATOMIC] = "Atomic", [DM_CMD_SEQUENCE] = "Sequence",
};

const char *dm_cmd_kind_name(enum dm_cmd_kind k)
{
	return k < DM_CMD_OTHER ? kind_names[k] : "unknown";
}

static int is(const xmlNode *x, const char *name)
{
	return x && x->type == XML_ELEMENT_NODE &&
	       !strcmp((const char *)x->name, name);
}

static const xmlNode *child(const xmlNode *x, const char *name)
{
	for (const xmlNode *c = x ? x->children : NULL; c; c = c->next)
		if (is(c, name))
			return c;
	return NULL;
}

/* Text of an element, trimmed; NULL if absent. */
static char *text(const xmlNode *x)
{
	char *r;

	if (!x)
		return NULL;
	r = dm_xml_text(x);
	if (!r)
		abort();
	return r;
}

static char *path_text(const xmlNode *x, const char *a, const char *b)
{
	const xmlNode *c = child(x, a);

	return text(b ? child(c, b) : c);
}

static int fail(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return -1;
}

static enum dm_cmd_kind kind_of(const char *name)
{
	for (size_t i = 0; i < DM_CMD_OTHER; i++)
		if (!strcmp(name, kind_names[i]))
			return (enum dm_cmd_kind)i;
	return DM_CMD_OTHER;
}

static int parse_items(const xmlNode *x, struct dm_cmd *c, char *err,
		       size_t err_size)
{
	const xmlNode *meta = child(x, "Meta");
	size_t n = 0;

	for (const xmlNode *i = x->children; i; i = i->next)
		if (is(i, "Item"))
			n++;
	if (n > DM_CMD_MAX_ITEMS)
		return fail(err, err_size, "%s %s: more than %d items", c->name,
			    c->cmdid, DM_CMD_MAX_ITEMS);
	if (!n)
		return 0;
	c->items = calloc(n, sizeof(*c->items));
	if (!c->items)
		abort();
	for (const xmlNode *i = x->children; i; i = i->next) {
		if (!is(i, "Item"))
			continue;
		struct dm_item *it = &c->items[c->nitems++];
		const xmlNode *im = child(i, "Meta");

		it->target = path_text(i, "Target", "LocURI");
		it->source = path_text(i, "Source", "LocURI");
		it->format = text(child(im, "Format"));
		if (!it->format)
			it->format = text(child(meta, "Format"));
		it->type = text(child(im, "Type"));
		if (!it->type)
			it->type = text(child(meta, "Type"));
		it->data = text(child(i, "Data"));
	}
	return 0;
}

static int parse_cmd(const xmlNode *x, struct dm_cmd *c, char *err,
		     size_t err_size)
{
	c->name = strdup((const char *)x->name);
	if (!c->name)
		abort();
	c->kind = kind_of(c->name);
	c->cmdid = text(child(x, "CmdID"));
	if (!c->cmdid || !*c->cmdid)
		return fail(err, err_size, "%s without CmdID", c->name);
	c->data = text(child(x, "Data"));
	if (c->kind == DM_CMD_STATUS) {
		const xmlNode *chal = child(x, "Chal");
		const xmlNode *meta = child(chal, "Meta");

		c->msgref = text(child(x, "MsgRef"));
		c->cmdref = text(child(x, "CmdRef"));
		c->cmd = text(child(x, "Cmd"));
		c->targetref = text(child(x, "TargetRef"));
		c->sourceref = text(child(x, "SourceRef"));
		if (!c->cmdref || !c->cmd || !c->data)
			return fail(err, err_size,
				    "Status %s without CmdRef, Cmd or Data", c->cmdid);
		c->chal_type = text(child(meta, "Type"));
		c->chal_format = text(child(meta, "Format"));
		c->chal_nonce = text(child(meta, "NextNonce"));
	}
	if (c->kind == DM_CMD_RESULTS) {
		/* The Get it answers (a server reads them). */
		c->msgref = text(child(x, "MsgRef"));
		c->cmdref = text(child(x, "CmdRef"));
		if (!c->cmdref)
			return fail(err, err_size, "Results %s without CmdRef",
				    c->cmdid);
	}
	if (c->kind == DM_CMD_ALERT && !c->data)
		return fail(err, err_size, "Alert %s without Data", c->cmdid);
	if (c->kind == DM_CMD_ATOMIC || c->kind == DM_CMD_SEQUENCE)
		return 0;
	return parse_items(x, c, err, err_size);
}

static int parse_doc(const xmlNode *top, struct dm_msg *m, char *err,
		     size_t err_size)
{
	if (!is(top, "SyncML"))
		return fail(err, err_size, "root element is not SyncML");
	const xmlNode *hdr = child(top, "SyncHdr"), *body = child(top, "SyncBody");

	if (!hdr || !body)
		return fail(err, err_size, "SyncHdr or SyncBody missing");
	m->verdtd = text(child(hdr, "VerDTD"));
	m->verproto = text(child(hdr, "VerProto"));
	m->sessionid = text(child(hdr, "SessionID"));
	m->msgid = text(child(hdr, "MsgID"));
	m->target = path_text(hdr, "Target", "LocURI");
	m->source = path_text(hdr, "Source", "LocURI");
	m->respuri = text(child(hdr, "RespURI"));
	if (!m->verdtd || strcmp(m->verdtd, "1.2"))
		return fail(err, err_size, "VerDTD is not 1.2");
	if (!m->verproto || strcmp(m->verproto, "DM/1.2"))
		return fail(err, err_size, "VerProto is not DM/1.2");
	if (!m->sessionid || !m->msgid || !*m->msgid || !m->target || !m->source)
		return fail(err, err_size,
			    "SyncHdr lacks SessionID, MsgID, Target or Source");

	const xmlNode *cred = child(hdr, "Cred");

	if (cred) {
		const xmlNode *meta = child(cred, "Meta");

		m->cred_type = text(child(meta, "Type"));
		m->cred_format = text(child(meta, "Format"));
		m->cred_data = text(child(cred, "Data"));
		if (!m->cred_data)
			return fail(err, err_size, "Cred without Data");
	}

	size_t n = 0;

	for (const xmlNode *c = body->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !is(c, "Final"))
			n++;
	if (n > DM_MSG_MAX_CMDS)
		return fail(err, err_size, "more than %d commands", DM_MSG_MAX_CMDS);
	m->cmds = calloc(n ? n : 1, sizeof(*m->cmds));
	if (!m->cmds)
		abort();
	for (const xmlNode *c = body->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is(c, "Final")) {
			m->final = 1;
			continue;
		}
		if (m->final)
			return fail(err, err_size, "command after Final");
		if (parse_cmd(c, &m->cmds[m->ncmds++], err, err_size))
			return -1;
	}
	return 0;
}

int dm_msg_parse(const char *xml, size_t len, struct dm_msg *m,
		 char *err, size_t err_size)
{
	memset(m, 0, sizeof(*m));
	if (len > DM_MSG_MAX_BYTES)
		return fail(err, err_size, "message larger than %u bytes",
			    DM_MSG_MAX_BYTES);
	xmlDoc *doc = xmlReadMemory(xml, (int)len, "syncml.xml", NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING);

	if (!doc) {
		const xmlError *e = xmlGetLastError();
		const char *msg = e && e->message ? e->message : "parse error";
		int mlen = (int)strcspn(msg, "\n");

		return fail(err, err_size, "malformed XML: %.*s", mlen, msg);
	}
	/* Entities declared in the message could expand without bound when
	 * its text is read: a SyncML message has no use for them. */
	int rc = doc->intSubset && doc->intSubset->children ?
		 fail(err, err_size, "DTD declarations are not accepted") :
		 parse_doc(xmlDocGetRootElement(doc), m, err, err_size);

	xmlFreeDoc(doc);
	if (rc)
		dm_msg_free(m);
	return rc;
}

static void item_free(struct dm_item *i)
{
	free(i->target);
	free(i->source);
	free(i->format);
	free(i->type);
	free(i->data);
}

static void cmd_free(struct dm_cmd *c)
{
	for (size_t i = 0; i < c->nitems; i++)
		item_free(&c->items[i]);
	free(c->items);
	free(c->name);
	free(c->cmdid);
	free(c->data);
	free(c->msgref);
	free(c->cmdref);
	free(c->cmd);
	free(c->targetref);
	free(c->sourceref);
	free(c->chal_type);
	free(c->chal_format);
	free(c->chal_nonce);
}

void dm_msg_free(struct dm_msg *m)
{
	/* ncmds counts a command that failed halfway too. */
	for (size_t i = 0; i < m->ncmds; i++)
		cmd_free(&m->cmds[i]);
	free(m->cmds);
	free(m->verdtd);
	free(m->verproto);
	free(m->sessionid);
	free(m->msgid);
	free(m->target);
	free(m->source);
	free(m->respuri);
	free(m->cred_type);
	free(m->cred_format);
	free(m->cred_data);
	memset(m, 0, sizeof(*m));
}
