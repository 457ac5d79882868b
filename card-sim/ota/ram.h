/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ram.h - the remote administration application behind the admin TAR:
 * what the secured data of a packet to it may say (TS 102 226 clause 5,
 * TS 101 220 remote management application data):
 *
 *   '81' ...   GP Amd B administration session triggering parameters,
 *              as a remote management application data object (TS 101
 *              220 reserves '81' for "OMA SCWS and GP Card Spec");
 *   'AA'/'AE'  the expanded format: not supported, answered so;
 *   otherwise  the compact format: concatenated C-APDUs
 *              CLA INS P1 P2 P3 data, P3 = length of data.  Commands:
 *                80 EC 01 01 Lc TLVs   PUSH, request BIP channel opening
 *              anything else gets 6D 00 and stops the script.
 *
 * The response (compact, TS 102 226 5.2.1): number of commands executed
 * (the failing one included), the last command's status word, its data.
 */
#ifndef SCWS_OTA_RAM_H
#define SCWS_OTA_RAM_H

#include <stddef.h>
#include <stdint.h>

struct admin_trigger;

/* Where a parsed trigger goes: returns what admin_agent_trigger() does. */
typedef int ram_trigger_fn(void *arg, const struct admin_trigger *t);

/* Runs the command string; writes the response string to out (cap >= 3)
 * and returns its length. */
size_t ram_execute(const uint8_t *sd, size_t len, ram_trigger_fn *fn,
		   void *arg, uint8_t *out, size_t cap);

#endif /* SCWS_OTA_RAM_H */
