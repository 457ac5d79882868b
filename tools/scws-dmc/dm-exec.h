/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * dm-exec.h - carry out a server's management command on the tree and
 * answer it: a Status per item (and Results for Get), codes of
 * OMA-TS-DM_RepPro 1.2 section 10.
 */
#ifndef SCWS_DM_EXEC_H
#define SCWS_DM_EXEC_H

#include "dm-out.h"
#include "dm-syncml.h"
#include "dm-tree.h"

#define DM_OK 200
#define DM_AUTH_ACCEPTED 212
#define DM_NOT_EXECUTED 215
#define DM_BAD_REQUEST 400
#define DM_INVALID_CRED 401
#define DM_FORBIDDEN 403
#define DM_NOT_FOUND 404
#define DM_NOT_ALLOWED 405
#define DM_NOT_SUPPORTED 406
#define DM_MISSING_CRED 407
#define DM_ALREADY_EXISTS 418
#define DM_PERMISSION_DENIED 425
#define DM_FAILED 500

/* One command of message msgid from server_id; 1 if the server asked to
 * abort the session (Alert 1223). */
int dm_exec_cmd(struct dm_node *root, const char *server_id,
		const char *msgid, const struct dm_cmd *c, struct dm_out *out);

#endif
