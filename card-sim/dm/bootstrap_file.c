// SPDX-License-Identifier: GPL-2.0
/*
 * EF DM_Bootstrap and its DODF entry, made from the card's DM account
 * (see bootstrap_file.h).  The TNDS is the DMAcc MO of DM 1.2
 * (urn:oma:mo:oma-dm-dmacc:1.0) under ./DMAcc, with the ACL the
 * bootstrap gives its server (DM Bootstrap: ACLs travel in the TNDS).
 */
#include "dm/bootstrap_file.h"
#include "dm/dm_identity.h"
#include "ber.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

const uint8_t dm_boot_oid[4] = { 0x67, 0x2B, 0x07, 0x01 };

static const char *const fault_names[] = {
	"none", "cut", "xml", "tag", "dodf", "incomplete", "absent",
};
enum fault { F_NONE, F_CUT, F_XML, F_TAG, F_DODF, F_INCOMPLETE, F_ABSENT };
static enum fault fault;

int dm_boot_set_fault(const char *kind)
{
	for (size_t i = 0; i < sizeof(fault_names) / sizeof(fault_names[0]); i++)
		if (!strcmp(kind, fault_names[i])) {
			fault = (enum fault)i;
			return 0;
		}
	return -1;
}

/* Replace the first from in s by to, of the same length. */
static void spoil(char *s, const char *from, const char *to)
{
	char *at = strstr(s, from);

	if (at)
		memcpy(at, to, strlen(to));
}

struct out {
	char *b;
	size_t n, cap;
	bool full;
};

static void put(struct out *o, const char *s)
{
	size_t len = strlen(s);

	if (o->full || o->n + len >= o->cap) {
		o->full = true;
		return;
	}
	memcpy(o->b + o->n, s, len + 1);
	o->n += len;
}

/* Text content: the five XML specials escaped. */
static void put_text(struct out *o, const char *s)
{
	char one[2] = { 0 };

	for (; *s; s++) {
		switch (*s) {
		case '&': put(o, "&amp;"); break;
		case '<': put(o, "&lt;"); break;
		case '>': put(o, "&gt;"); break;
		case '"': put(o, "&quot;"); break;
		case '\'': put(o, "&apos;"); break;
		default: one[0] = *s; put(o, one);
		}
	}
}

static void open_node(struct out *o, const char *name, const char *fmt,
		      const char *acl, const char *ddf)
{
	put(o, "<Node><NodeName>");
	put_text(o, name);
	put(o, "</NodeName>");
	if (ddf) {
		put(o, "<Path>./DMAcc</Path>");
	}
	put(o, "<RTProperties>");
	if (acl) {
		put(o, "<ACL>");
		put_text(o, acl);
		put(o, "</ACL>");
	}
	put(o, "<Format><");
	put(o, fmt);
	put(o, "/></Format>");
	if (ddf) {
		put(o, "<Type><DDFName>");
		put(o, ddf);
		put(o, "</DDFName></Type>");
	} else if (strcmp(fmt, "node")) {
		put(o, "<Type><MIME>text/plain</MIME></Type>");
	}
	put(o, "</RTProperties>");
}

static void leaf(struct out *o, const char *name, const char *fmt,
		 const char *value)
{
	open_node(o, name, fmt, NULL, NULL);
	put(o, "<Value>");
	put_text(o, value);
	put(o, "</Value></Node>");
}

static void cred(struct out *o, const char *n, const char *level,
		 const char *name, const char *secret, const char *nonce)
{
	open_node(o, n, "node", NULL, NULL);
	leaf(o, "AAuthLevel", "chr", level);
	leaf(o, "AAuthType", "chr", "DIGEST");
	leaf(o, "AAuthName", "chr", name);
	leaf(o, "AAuthSecret", "chr", secret);
	leaf(o, "AAuthData", "b64", nonce);
	put(o, "</Node>");
}

int dm_boot_tnds(char *buf, size_t cap)
{
	const struct dm_identity *id = dm_identity();
	struct out o = { buf, 0, cap, cap == 0 };
	char acl[512];

	/* The server may manage what it was given, as a bootstrap by
	 * scws-dmc's options does. */
	snprintf(acl, sizeof(acl), "Get=%s&Replace=%s&Add=%s&Delete=%s",
		 id->server_id, id->server_id, id->server_id, id->server_id);
	put(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<MgmtTree xmlns=\"syncml:dmddf1.2\"><VerDTD>1.2</VerDTD>");
	open_node(&o, id->server_id, "node", acl, "urn:oma:mo:oma-dm-dmacc:1.0");
	leaf(&o, "AppID", "chr", "w7");
	leaf(&o, "ServerID", "chr", id->server_id);
	leaf(&o, "Name", "chr", id->name);
	open_node(&o, "AppAddr", "node", NULL, NULL);
	open_node(&o, "1", "node", NULL, NULL);
	leaf(&o, "Addr", "chr", id->addr);
	leaf(&o, "AddrType", "chr", "URI");
	put(&o, "</Node></Node>");
	leaf(&o, "AAuthPref", "chr", "DIGEST");
	open_node(&o, "AppAuth", "node", NULL, NULL);
	cred(&o, "1", "CLCRED", id->cli_name, id->cli_secret,
	     id->cli_nonce0);
	if (fault != F_INCOMPLETE)
		cred(&o, "2", "SRVCRED", id->srv_name, id->srv_secret,
		     id->srv_nonce0);
	put(&o, "</Node></Node></MgmtTree>\n");
	return o.full ? -1 : (int)o.n;
}

/* A DER INTEGER of a small non-negative value. */
static size_t put_uint(uint8_t *p, uint8_t tag, size_t v)
{
	uint8_t b[sizeof(size_t) + 1];
	size_t n = 0;

	do {
		b[n++] = (uint8_t)v;
		v >>= 8;
	} while (v);
	if (b[n - 1] & 0x80)
		b[n++] = 0;
	p[0] = tag;
	p[1] = (uint8_t)n;
	for (size_t i = 0; i < n; i++)
		p[2 + i] = b[n - 1 - i];
	return 2 + n;
}

int dm_boot_dodf_entry(uint8_t *buf, size_t cap, size_t tnds_len)
{
	static const char label[] = "DM Bootstrap", app[] = "OMA DM";
	uint8_t path[32], oiddo[64], obj[128];
	size_t n = 0, m = 0, k = 0;

	/* Path ::= SEQUENCE { OCTET STRING FID, index 0, [0] length } */
	n += ber_put_header(path + n, 0x04, 2);
	path[n++] = DM_BOOT_FID >> 8;
	path[n++] = DM_BOOT_FID & 0xFF;
	n += put_uint(path + n, 0x02, 0);
	n += put_uint(path + n, 0x80, tnds_len);
	/* OidDO ::= SEQUENCE { id OID, value Path } */
	m += ber_put_header(oiddo + m, 0x30, 2 + sizeof(dm_boot_oid) +
			    ber_header_size(0x30, n) + n);
	m += ber_put_header(oiddo + m, 0x06, sizeof(dm_boot_oid));
	memcpy(oiddo + m, dm_boot_oid, sizeof(dm_boot_oid));
	m += sizeof(dm_boot_oid);
	m += ber_put_header(oiddo + m, 0x30, n);
	memcpy(oiddo + m, path, n);
	m += n;
	/* oidDO [1] { CommonObjectAttributes {label},
	 * CommonDataObjectAttributes {applicationName}, [1] {OidDO} } */
	k += ber_put_header(obj + k, 0x30, 2 + sizeof(label) - 1);
	k += ber_put_header(obj + k, 0x0C, sizeof(label) - 1);
	memcpy(obj + k, label, sizeof(label) - 1);
	k += sizeof(label) - 1;
	k += ber_put_header(obj + k, 0x30, 2 + sizeof(app) - 1);
	k += ber_put_header(obj + k, 0x0C, sizeof(app) - 1);
	memcpy(obj + k, app, sizeof(app) - 1);
	k += sizeof(app) - 1;
	k += ber_put_header(obj + k, 0xA1, m);
	memcpy(obj + k, oiddo, m);
	k += m;
	if (ber_header_size(0xA1, k) + k > cap)
		return -1;
	n = ber_put_header(buf, 0xA1, k);
	memcpy(buf + n, obj, k);
	return (int)(n + k);
}

const struct arf_object *dm_boot_object(void)
{
	static char tnds[4096];
	static uint8_t entry[128];
	static struct arf_object obj;
	static bool made;
	int t, e;

	if (made)
		return &obj;
	if (fault == F_ABSENT)
		return NULL;
	t = dm_boot_tnds(tnds, sizeof(tnds));
	e = t < 0 ? -1 : dm_boot_dodf_entry(entry, sizeof(entry), (size_t)t);
	if (e < 0)
		return NULL;
	if (fault == F_XML)
		spoil(tnds, "</MgmtTree>", "</MgmtTreX>");
	if (fault == F_TAG)
		spoil(tnds, "<Value>w7</Value>", "<Valeu>w7</Valeu>");
	for (int i = 0; fault == F_DODF && i + 3 < e; i++)
		if (entry[i] == 0x04 && entry[i + 1] == 0x02 &&
		    entry[i + 2] == DM_BOOT_FID >> 8 && i >= 2)
			entry[i - 2] = 0x31;	/* the Path's SEQUENCE */
	obj = (struct arf_object){ entry, (size_t)e, DM_BOOT_FID,
				   (const uint8_t *)tnds,
				   fault == F_CUT ? (size_t)t / 2 : (size_t)t };
	made = true;
	return &obj;
}
