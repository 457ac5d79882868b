/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * dm-session.h - one OMA DM 1.2 session with a server over HTTP(S).
 */
#ifndef SCWS_DM_SESSION_H
#define SCWS_DM_SESSION_H

#include "dm-tree.h"

struct dm_session_opts {
	const char *tree_path;	/* saved here at the end of the session */
	const char *server_id;
	const char *sessionid;	/* from the notification, else made here */
	int server_initiated;	/* Alert 1200, else 1201 */
	const char *alert_type;	/* a Generic Alert (1226) to send, or NULL */
	const char *alert_data;
	const char *cafile;	/* HTTPS trust anchors, or NULL */
	int verbose;
};

/* Run the session on *tree.  The server's changes are applied to a copy
 * and take the place of *tree (and the file) only when the session ended
 * normally; otherwise only the nonces are kept.  0 or -1 (reason on stderr). */
int dm_session_run(struct dm_node **tree, const struct dm_session_opts *o);

#endif
