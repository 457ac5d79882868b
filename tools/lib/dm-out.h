/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * dm-out.h - build SyncML DM 1.2 messages (XML, libxml2): the client's
 * (scws-dmc) and the card's DM server's (card-sim/dm/).
 */
#ifndef SCWS_DM_OUT_H
#define SCWS_DM_OUT_H

#include <stddef.h>

struct dm_out;

/* A message with its SyncHdr: Target and Source LocURI (the client sends
 * to the server's URI from its DevId, the server the other way round);
 * cred_b64 NULL: no Cred. */
struct dm_out *dm_out_begin(const char *sessionid, unsigned int msgid,
			    const char *target_uri, const char *source_uri,
			    const char *cred_b64);
/* Status; targetref/sourceref/chal_nonce_b64 may be NULL. */
void dm_out_status(struct dm_out *o, const char *msgref, const char *cmdref,
		   const char *cmd, const char *targetref, const char *sourceref,
		   int code, const char *chal_nonce_b64);
void dm_out_results(struct dm_out *o, const char *msgref, const char *cmdref,
		    const char *uri, const char *format, const char *type,
		    const char *data);
/* An Alert with no item (uri NULL) or one item. */
void dm_out_alert(struct dm_out *o, int code, const char *uri,
		  const char *format, const char *type, const char *data);
/* Open a Replace and add items to it. */
void dm_out_replace_begin(struct dm_out *o);
void dm_out_replace_item(struct dm_out *o, const char *uri,
			 const char *format, const char *type, const char *data);
/* Open a command whose items name their Target (a server's Add, Get,
 * Replace, Delete, Exec); returns its CmdID.  Items follow. */
unsigned int dm_out_cmd_begin(struct dm_out *o, const char *name);
void dm_out_cmd_item(struct dm_out *o, const char *target_uri,
		     const char *format, const char *type, const char *data);
/* The largest message the sender accepts, in its header's Meta (65536
 * unless set). */
void dm_out_set_max_msg_size(struct dm_out *o, unsigned int bytes);
/* Number of commands so far other than Status. */
unsigned int dm_out_requests(const struct dm_out *o);
/* Close with or without Final; malloc'd XML, its length in len. */
char *dm_out_end(struct dm_out *o, int final, size_t *len);

#endif
