/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DM server on the card's web server (mounted with site_mount()):
 *   POST /dm         a SyncML DM message, Content-Type
 *                    application/vnd.syncml.dm+xml (the SyncML HTTP
 *                    binding); the answer in the same type
 *   GET  /dm/status  a read-only page: the last session, the per-item
 *                    results, the provisioning set's progress and the
 *                    last notification (no secrets, no nonces)
 */
#ifndef SCWS_CARD_DM_HTTP_H
#define SCWS_CARD_DM_HTTP_H

#include "site/site.h"

/* site_mount_fn for "/dm"; ctx is the struct dm_server. */
void dm_http_serve(void *ctx, const struct http_request *req,
		   const char *path, struct http_reply *r);

#endif /* SCWS_CARD_DM_HTTP_H */
