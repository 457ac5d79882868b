/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * dm-exec.h - carry out a server's management command on the tree and
 * answer it: a Status per item (and Results for Get); the codes are in
 * dm-syncml.h.
 */
#ifndef SCWS_DM_EXEC_H
#define SCWS_DM_EXEC_H

#include "dm-out.h"
#include "dm-syncml.h"
#include "dm-tree.h"

/* One command of message msgid from server_id; 1 if the server asked to
 * abort the session (Alert 1223). */
int dm_exec_cmd(struct dm_node *root, const char *server_id,
		const char *msgid, const struct dm_cmd *c, struct dm_out *out);

#endif
