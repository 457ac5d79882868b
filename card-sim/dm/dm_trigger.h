/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DM-SC-1 on the card: when the terminal says a DM client is present
 * (dm_sc_ops.client_changed) and the provisioning set has items not yet
 * delivered, the card sends package #0 (dm_pkg0.h) through the toolkit
 * transport (dm_sc.h) so that the client calls its DM server back.  What
 * became of it is kept in dm/notify.
 */
#ifndef SCWS_CARD_DM_TRIGGER_H
#define SCWS_CARD_DM_TRIGGER_H

struct dm_server;

/* Registers with the toolkit transport (dm_sc_set_ops). */
void dm_trigger_attach(struct dm_server *s);
/* Sends package #0 now if anything is pending: 1 sent (queued), 0 nothing
 * pending, < 0 the transport's error (-EBUSY, ...). */
int dm_trigger_check(struct dm_server *s);

#endif /* SCWS_CARD_DM_TRIGGER_H */
