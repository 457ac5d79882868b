/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * dm-syncml.h - a SyncML DM 1.2 message (OMA-TS-DM_RepPro 1.2) read from
 * XML: the header with its credentials and the commands of the body.
 * Atomic and Sequence are kept as commands without their inner commands
 * (the client answers them "not supported").  Shared by the DM client
 * (scws-dmc) and the card's DM server (card-sim/dm/).
 */
#ifndef SCWS_DM_SYNCML_H
#define SCWS_DM_SYNCML_H

#include <stddef.h>

#define DM_MSG_MAX_BYTES (1u << 20)
#define DM_MSG_MAX_CMDS 256
#define DM_CMD_MAX_ITEMS 64

/* Status codes, OMA-TS-DM_RepPro 1.2 section 10. */
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

enum dm_cmd_kind {
	DM_CMD_STATUS, DM_CMD_RESULTS, DM_CMD_ALERT, DM_CMD_GET, DM_CMD_ADD,
	DM_CMD_REPLACE, DM_CMD_DELETE, DM_CMD_EXEC, DM_CMD_COPY,
	DM_CMD_ATOMIC, DM_CMD_SEQUENCE, DM_CMD_OTHER,
};

struct dm_item {
	char *target, *source;	/* LocURI */
	char *format, *type;	/* Meta, or the command's Meta */
	char *data;
};

struct dm_cmd {
	enum dm_cmd_kind kind;
	char *name;		/* element name as received */
	char *cmdid;
	char *data;		/* Alert code, Status code */
	/* Status (and msgref, cmdref: Results) */
	char *msgref, *cmdref, *cmd;
	char *targetref, *sourceref;	/* the item a Status answers, if named */
	char *chal_type, *chal_format, *chal_nonce;
	struct dm_item *items;
	size_t nitems;
};

struct dm_msg {
	char *verdtd, *verproto, *sessionid, *msgid;
	char *target, *source, *respuri;
	char *cred_type, *cred_format, *cred_data;
	int final;
	struct dm_cmd *cmds;
	size_t ncmds;
};

/* Parse a message; on error returns -1 with a reason in err. */
int dm_msg_parse(const char *xml, size_t len, struct dm_msg *m,
		 char *err, size_t err_size);
void dm_msg_free(struct dm_msg *m);
const char *dm_cmd_kind_name(enum dm_cmd_kind k);

#endif
