/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * dm-semo.h - the Secure Element management object ./SEMO
 * (docs/device-management.md): Exec on ./SEMO/<x>/Operations/Execute
 * runs the APDU script of ./SEMO/<x>/Script on the SE named by
 * ./SEMO/<x>/SEName through scws-bipd's APDU access service (scws-se(3),
 * socket $SCWS_SE_SOCKET or /run/scws/se.sock), records Results/<n> and
 * Status, and leaves a report that the next session sends as a Generic
 * Alert (1226) of type SEMO_ALERT_TYPE.
 */
#ifndef SCWS_DM_SEMO_H
#define SCWS_DM_SEMO_H

#include "dm-out.h"
#include "dm-tree.h"

#define SEMO_ALERT_TYPE "urn:oma:at:semo:1.0:exec"

/* 0 when n is not a SEMO Execute node; else the Exec's DM status code:
 * 200 (every step as expected), 400 (SEName or Script missing or
 * malformed), 404 (no such SE, or no card in it: nothing run, Results
 * unchanged), 500 (a step failed: the script stopped there). */
int dm_semo_exec(struct dm_node *root, struct dm_node *n);

/* Package 1: a Generic Alert per pending report, which is then cleared
 * from root (the session's working tree: kept only if it succeeds). */
void dm_semo_pending_alerts(struct dm_node *root, struct dm_out *out);

#endif
