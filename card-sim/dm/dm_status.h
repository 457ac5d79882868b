/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DM server's status page (GET /dm/status), plain text from the card
 * state: the last session, the per-item results the client reported, how
 * much of the provisioning set is delivered, the last package #0.  It
 * never shows a secret, a nonce or a value the card provisions.
 */
#ifndef SCWS_CARD_DM_STATUS_H
#define SCWS_CARD_DM_STATUS_H

#include "http/http.h"

void dm_status_page(struct card_state *st, struct http_buf *b);

#endif /* SCWS_CARD_DM_STATUS_H */
