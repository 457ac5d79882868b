/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * dm_gw.h - the DM_SC Gateway (OMA DM Smart Card, docs/device-management.md):
 * the socket a local OMA DM client registers on (--dm-socket, the message
 * format of dmsc-msg.h), one client at a time, root or --dm-user only.
 *
 * Registering and leaving reach the card as Local connection events
 * (events.c); the card's datagrams to the DM client port (bip_open.c)
 * reach the client as NOTIFY.
 */
#ifndef BIPD_DM_GW_H
#define BIPD_DM_GW_H

#include "bipd.h"

struct dm_gw;

/* Opens the socket and hooks the gateway into the engine (b->dm_ops);
 * 0 or -errno (logged). */
int dm_gw_open(struct dm_gw **gp, struct bipd *b, struct loop *l,
	       const struct bipd_opts *o);
void dm_gw_close(struct dm_gw *g);

#endif /* BIPD_DM_GW_H */
