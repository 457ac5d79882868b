/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trigger_tlv.h - the GP Amd B "administration session triggering
 * parameters" (BER-TLV '81', GP Card Spec Amd B table 3-3) and the TS
 * 102 226 PUSH command's data, turned into a struct admin_trigger.
 *
 *   81 { 83 { 84 OPEN CHANNEL TLVs, 85 security, A5 extended security,
 *             86 retry policy, 89 { 8A host, 8B agent id, 8C URI } },
 *        B3 { D6 RAS FQDN, FA DNS connection parameters } }
 *
 * Strict BER (tools/lib/ber.h); every part optional; unknown tags inside
 * the templates are skipped if well-formed (newer Amd B versions add
 * some); the sizes of the parts the card uses are checked exactly.
 */
#ifndef SCWS_OTA_TRIGGER_TLV_H
#define SCWS_OTA_TRIGGER_TLV_H

#include <stddef.h>
#include <stdint.h>

#include "admin/trigger.h"

#define AMDB_TAG_TRIGGER 0x81

/* The whole of buf must be one '81' object.  0, or -EINVAL with *why
 * (static text) saying what was wrong. */
int amdb_trigger_parse(const uint8_t *buf, size_t len,
		       struct admin_trigger *t, const char **why);

/* PUSH (TS 102 226 8.1), P2 '01': data is a list of OPEN CHANNEL
 * COMPREHENSION-TLVs.  0, or -EINVAL with *why. */
int push_bip_parse(const uint8_t *data, size_t len, struct admin_trigger *t,
		   const char **why);

#endif /* SCWS_OTA_TRIGGER_TLV_H */
