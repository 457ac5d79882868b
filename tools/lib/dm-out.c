// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * dm-out.c - SyncML DM messages.  CmdIDs count from 1 in each message;
 * Meta children are in the syncml:metinf namespace as the DTD wants.
 */
#include "dm-out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#define METINF "syncml:metinf"

struct dm_out {
	xmlDoc *doc;
	xmlNode *body;
	xmlNode *max_msg_size;
	xmlNode *open;		/* the command items are added to */
	const char *item_elem;	/* its items' LocURI: "Source" or "Target" */
	unsigned int next_cmdid;
	unsigned int requests;
};

static xmlNode *add(xmlNode *parent, const char *name, const char *text)
{
	return xmlNewTextChild(parent, NULL, (const xmlChar *)name,
			       (const xmlChar *)text);
}

static void add_meta(xmlNode *parent, const char *name, const char *text)
{
	xmlNode *e = add(parent, name, text);

	xmlSetNs(e, xmlNewNs(e, (const xmlChar *)METINF, NULL));
}

static void add_cmdid(struct dm_out *o, xmlNode *cmd)
{
	char id[16];

	snprintf(id, sizeof(id), "%u", o->next_cmdid++);
	add(cmd, "CmdID", id);
}

static void add_locuri(xmlNode *parent, const char *elem, const char *uri)
{
	add(add(parent, elem, NULL), "LocURI", uri);
}

struct dm_out *dm_out_begin(const char *sessionid, unsigned int msgid,
			    const char *target_uri, const char *source_uri,
			    const char *cred_b64)
{
	struct dm_out *o = calloc(1, sizeof(*o));
	char id[16];

	if (!o)
		abort();
	o->next_cmdid = 1;
	o->doc = xmlNewDoc((const xmlChar *)"1.0");
	xmlNode *top = xmlNewNode(NULL, (const xmlChar *)"SyncML");

	xmlSetNs(top, xmlNewNs(top, (const xmlChar *)"SYNCML:SYNCML1.2", NULL));
	xmlDocSetRootElement(o->doc, top);
	xmlNode *hdr = add(top, "SyncHdr", NULL);

	add(hdr, "VerDTD", "1.2");
	add(hdr, "VerProto", "DM/1.2");
	add(hdr, "SessionID", sessionid);
	snprintf(id, sizeof(id), "%u", msgid);
	add(hdr, "MsgID", id);
	add_locuri(hdr, "Target", target_uri);
	add_locuri(hdr, "Source", source_uri);
	if (cred_b64) {
		xmlNode *cred = add(hdr, "Cred", NULL);
		xmlNode *meta = add(cred, "Meta", NULL);

		add_meta(meta, "Format", "b64");
		add_meta(meta, "Type", "syncml:auth-md5");
		add(cred, "Data", cred_b64);
	}
	xmlNode *meta = add(hdr, "Meta", NULL);

	o->max_msg_size = add(meta, "MaxMsgSize", "65536");
	xmlSetNs(o->max_msg_size, xmlNewNs(o->max_msg_size,
					   (const xmlChar *)METINF, NULL));
	o->body = add(top, "SyncBody", NULL);
	return o;
}

void dm_out_status(struct dm_out *o, const char *msgref, const char *cmdref,
		   const char *cmd, const char *targetref, const char *sourceref,
		   int code, const char *chal_nonce_b64)
{
	xmlNode *s = add(o->body, "Status", NULL);
	char c[16];

	o->open = NULL;
	add_cmdid(o, s);
	add(s, "MsgRef", msgref);
	add(s, "CmdRef", cmdref);
	add(s, "Cmd", cmd);
	if (targetref)
		add(s, "TargetRef", targetref);
	if (sourceref)
		add(s, "SourceRef", sourceref);
	if (chal_nonce_b64) {
		xmlNode *meta = add(add(s, "Chal", NULL), "Meta", NULL);

		add_meta(meta, "Format", "b64");
		add_meta(meta, "Type", "syncml:auth-md5");
		add_meta(meta, "NextNonce", chal_nonce_b64);
	}
	snprintf(c, sizeof(c), "%d", code);
	add(s, "Data", c);
}

static void add_item(xmlNode *cmd, const char *elem, const char *uri,
		     const char *format, const char *type, const char *data)
{
	xmlNode *item = add(cmd, "Item", NULL);

	if (uri)
		add_locuri(item, elem, uri);
	if (format || type) {
		xmlNode *meta = add(item, "Meta", NULL);

		if (format)
			add_meta(meta, "Format", format);
		if (type)
			add_meta(meta, "Type", type);
	}
	if (data)
		add(item, "Data", data);
}

void dm_out_results(struct dm_out *o, const char *msgref, const char *cmdref,
		    const char *uri, const char *format, const char *type,
		    const char *data)
{
	xmlNode *r = add(o->body, "Results", NULL);

	o->open = NULL;
	add_cmdid(o, r);
	add(r, "MsgRef", msgref);
	add(r, "CmdRef", cmdref);
	add_item(r, "Source", uri, format, type, data);
}

void dm_out_alert(struct dm_out *o, int code, const char *uri,
		  const char *format, const char *type, const char *data)
{
	xmlNode *a = add(o->body, "Alert", NULL);
	char c[16];

	o->open = NULL;
	o->requests++;
	add_cmdid(o, a);
	snprintf(c, sizeof(c), "%d", code);
	add(a, "Data", c);
	if (uri || data)
		add_item(a, "Source", uri, format, type, data);
}

static unsigned int open_cmd(struct dm_out *o, const char *name,
			     const char *item_elem)
{
	unsigned int id = o->next_cmdid;

	o->open = add(o->body, name, NULL);
	o->item_elem = item_elem;
	o->requests++;
	add_cmdid(o, o->open);
	return id;
}

void dm_out_replace_begin(struct dm_out *o)
{
	open_cmd(o, "Replace", "Source");
}

void dm_out_replace_item(struct dm_out *o, const char *uri,
			 const char *format, const char *type, const char *data)
{
	if (o->open)
		add_item(o->open, o->item_elem, uri, format, type, data);
}

unsigned int dm_out_cmd_begin(struct dm_out *o, const char *name)
{
	return open_cmd(o, name, "Target");
}

void dm_out_cmd_item(struct dm_out *o, const char *target_uri,
		     const char *format, const char *type, const char *data)
{
	if (o->open)
		add_item(o->open, o->item_elem, target_uri, format, type, data);
}

void dm_out_set_max_msg_size(struct dm_out *o, unsigned int bytes)
{
	char n[16];

	snprintf(n, sizeof(n), "%u", bytes);
	xmlNodeSetContent(o->max_msg_size, (const xmlChar *)n);
}

unsigned int dm_out_requests(const struct dm_out *o)
{
	return o->requests;
}

char *dm_out_end(struct dm_out *o, int final, size_t *len)
{
	xmlChar *mem = NULL;
	int n = 0;

	if (final)
		add(o->body, "Final", NULL);
	xmlDocDumpFormatMemoryEnc(o->doc, &mem, &n, "UTF-8", 1);
	xmlFreeDoc(o->doc);
	free(o);
	char *r = mem ? malloc((size_t)n + 1) : NULL;

	if (!r)
		abort();
	memcpy(r, mem, (size_t)n + 1);
	xmlFree(mem);
	*len = (size_t)n;
	return r;
}
