/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/* What the SyncML DM and TNDS readers share about libxml2 elements. */
#ifndef SCWS_DM_XML_H
#define SCWS_DM_XML_H

#include <libxml/tree.h>

/*
 * The text of @x with leading and trailing blanks (space, tab, CR, LF)
 * removed, in a string the caller frees; NULL only when out of memory.
 */
char *dm_xml_text(const xmlNode *x);

#endif /* SCWS_DM_XML_H */
