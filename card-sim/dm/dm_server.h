/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The card's OMA DM 1.2 server (OMA DM Smart Card: the card as
 * provisioning master), reached by the gateway's DM client at
 * http://127.0.0.1:3516/dm through the SCWS (dm_http.c).
 *
 * A session, keyed by SessionID and the client's Source LocURI:
 *   client package 1: Alert 1200/1201, DevInfo, Cred (CLCRED, the client
 *     nonce the card gave).  Wrong or missing: 401/407 with a new nonce in
 *     Chal, nothing else; a second failure ends the session.
 *   card package 2: its Cred (SRVCRED, the server nonce the client gave),
 *     212 with the next client nonce, a Status per command and item, an
 *     Add of the provisioning items not yet delivered, a Get of
 *     ./DevInfo/Mod, Final.
 *   client package 3: its Status for each command and item (212 with the
 *     next server nonce for the card's header), Results of the Get: the
 *     card records them per item (dm_store.h) and ends the session with a
 *     Final message of Statuses only.
 * Nonces are saved as soon as they move; results when the session ends.
 * A message that does not parse changes nothing.
 */
#ifndef SCWS_CARD_DM_SERVER_H
#define SCWS_CARD_DM_SERVER_H

#include <stddef.h>

#include "card.h"

#define DM_CONTENT_TYPE "application/vnd.syncml.dm+xml"

struct dm_server;

struct dm_server *dm_server_new(struct card_state *st);
void dm_server_free(struct dm_server *s);
struct card_state *dm_server_state(struct dm_server *s);

/* A SyncML DM message as POSTed: 200 with the card's answer in *resp
 * (malloc'd, *resp_len bytes), or 400 with the reason in err and nothing
 * changed.  500 when the card could not keep its state. */
int dm_server_handle(struct dm_server *s, const char *body, size_t len,
		     char **resp, size_t *resp_len, char *err, size_t err_size);

/* The SessionID (hexadecimal, as scws-dmc writes it) of the package #0
 * the card sent last, so a session it started is known as such. */
void dm_server_notified(struct dm_server *s, unsigned int session_id);

#endif /* SCWS_CARD_DM_SERVER_H */
