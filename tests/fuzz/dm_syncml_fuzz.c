// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/lib/dm-syncml.c tools/scws-dmc/dm-exec.c tools/lib/dm-out.c tools/scws-dmc/dm-tree.c tools/scws-dmc/dm-semo.c tools/scws-dmc/dm-semo-script.c tools/lib/dm-auth.c tools/lib/scws-se.c tools/lib/se-proto.c tools/lib/dm-xml.c
// libs: -I/usr/include/libxml2 -lxml2 -lcrypto
/*
 * The SyncML DM message parser on arbitrary bytes, and each parsed
 * command run on a small tree as the client would (ACLs, status codes,
 * the answer written).  Counts and required fields must hold.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "../../tools/scws-dmc/dm-exec.h"

static struct dm_node *tree(void)
{
	struct dm_node *t = dm_tree_new(), *n;

	dm_tree_add(t, "./DevInfo/DevId", "chr", NULL, "IMEI:1", NULL);
	dm_tree_add(t, "./DMAcc/a/ServerID", "chr", NULL, "srv", NULL);
	n = dm_tree_find(t, "./DMAcc");
	n->acl = strdup("Get=*&Add=*&Replace=srv&Delete=srv&Exec=srv");
	return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dm_msg m;
	char err[256];

	if (dm_msg_parse((const char *)data, size, &m, err, sizeof(err)))
		return 0;
	if (m.ncmds > DM_MSG_MAX_CMDS || !m.sessionid || !m.msgid)
		abort();
	struct dm_node *t = tree();
	struct dm_out *o = dm_out_begin(m.sessionid, 2, "http://x", "dev", NULL);

	for (size_t i = 0; i < m.ncmds; i++) {
		if (m.cmds[i].nitems > DM_CMD_MAX_ITEMS || !m.cmds[i].cmdid)
			abort();
		dm_exec_cmd(t, "srv", m.msgid, &m.cmds[i], o);
	}
	size_t len;

	free(dm_out_end(o, 1, &len));
	dm_tree_free(t);
	dm_msg_free(&m);
	return 0;
}
