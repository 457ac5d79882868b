// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/* dm-xml.c - element text for the SyncML DM and TNDS readers. */
#include "dm-xml.h"

#include <string.h>

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

char *dm_xml_text(const xmlNode *x)
{
	xmlChar *v = xmlNodeGetContent(x);
	const char *s = v ? (const char *)v : "";
	size_t len;
	char *r;

	while (blank(*s))
		s++;
	len = strlen(s);
	while (len && blank(s[len - 1]))
		len--;
	r = strndup(s, len);
	xmlFree(v);
	return r;
}
