/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * dm-account.h - a DM server account in the tree (OMA DMAcc MO,
 * urn:oma:mo:oma-dm-dmacc:1.0): ./DMAcc/<x>/ServerID, AppAddr/<x>/Addr,
 * AppAuth/<x>/{AAuthLevel,AAuthType,AAuthName,AAuthSecret,AAuthData}.
 * AAuthLevel CLCRED: how the client proves itself to the server;
 * SRVCRED: how the server proves itself to the client.
 */
#ifndef SCWS_DM_ACCOUNT_H
#define SCWS_DM_ACCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "dm-auth.h"
#include "dm-tree.h"

#define DM_NONCE_MAX 64

struct dm_cred {
	struct dm_node *node;	/* AppAuth/<x> */
	const char *type;	/* AAuthType: only DIGEST is used */
	const char *name, *secret;
	uint8_t nonce[DM_NONCE_MAX];	/* AAuthData, decoded */
	size_t nonce_len;
};

struct dm_account {
	struct dm_node *node;	/* ./DMAcc/<x> */
	const char *server_id;
	const char *addr;
	struct dm_cred client, server;
};

/* Find the account of server_id in the tree; -1 with a reason if it is
 * missing or lacks an address or either credential. */
int dm_account_find(struct dm_node *root, const char *server_id,
		    struct dm_account *a, char *err, size_t err_size);
/* Store a new nonce (base64) in a credential's AAuthData. */
int dm_cred_set_nonce(struct dm_cred *c, const char *nonce_b64);

/* The client's own node for the last session id a notification used. */
const char *dm_account_last_session(struct dm_account *a);
int dm_account_set_last_session(struct dm_account *a, const char *sid);

#endif
