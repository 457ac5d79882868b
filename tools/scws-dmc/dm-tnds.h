/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * dm-tnds.h - a TNDS object (OMA DM Tree and Description Serialization
 * 1.2, XML encoding, application/vnd.syncml.dmtnds+xml) added to the
 * management tree, as a bootstrap does:
 *
 *   <MgmtTree xmlns="syncml:dmddf1.2"> <VerDTD>1.2</VerDTD> [Man] [Mod]
 *     <Node> <NodeName>x</NodeName> [<Path>./DMAcc</Path>]
 *       [<RTProperties> [ACL] [<Format><chr/></Format>]
 *          [<Type><MIME>..</MIME> | <DDFName>..</DDFName></Type>]
 *          [Title] [TStamp] [VerNo] [Size] [Name] </RTProperties>]
 *       [<Value>..</Value>] <Node>..</Node>* </Node>+ </MgmtTree>
 *
 * Strict: an unknown element, text where none belongs, a DTD, a node
 * outside the allowed subtree, a leaf that exists, an interior node
 * with a Value are errors.  An existing interior node is entered when
 * the object gives it no RTProperties (a continuation); a Path is
 * allowed on top-level Nodes only (their parent's URI).
 */
#ifndef SCWS_DM_TNDS_H
#define SCWS_DM_TNDS_H

#include <stddef.h>

#include "dm-tree.h"

#define DM_TNDS_MAX (64 * 1024)

/*
 * Add the object's nodes to tree, all strictly below the interior node
 * under (e.g. "./DMAcc"), which may itself appear as a continuation.
 * 0, or -1 with a reason in err; the tree may then be partly changed:
 * apply to a clone.
 */
int dm_tnds_apply(struct dm_node *tree, const char *xml, size_t len,
		  const char *under, char *err, size_t err_size);

#endif
