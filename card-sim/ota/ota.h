/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ota.h - over-the-air administration, card side: the ENVELOPE (SMS-PP
 * data download) that carries an SMS-DELIVER with a TS 102 225 secured
 * packet, its security checks, the application behind its TAR, and the
 * Proof of Receipt that goes back in the ENVELOPE's response data.
 *
 *   ENVELOPE D1 { 82 devices 83->81, [06 SMSC address], 0B SMS-DELIVER }
 *   SMS-DELIVER: MTI 00, UDHI set, PID 7F, DCS 8-bit (class 2 if a class
 *                is given: F6, 16, 56, F5/15 is class 1 and refused),
 *                UD = UDH with IEI 70 + command packet; or a concatenated
 *                SMS (IEI 00/08, up to 8 parts) whose part 1 has IEI 70
 *
 * Answers (TS 102 221 / TS 31.111 for SMS-PP data download):
 *   PoR wanted      the response packet (UDH 02 71 00 ...) + 90 00
 *                   (uicc.c makes that 61 xx for a T=0 style APDU
 *                   without Le, and 91 xx when a proactive command waits)
 *   no PoR wanted   90 00, no data
 *   a part of a concatenated SMS but the last   90 00, no data
 *   not a secured packet we can read (template, TPDU, PID, DCS, UDH,
 *   broken concatenation, header cut)   6F 00, nothing executed
 *
 * TARs: 00 00 00, the issuer security domain's remote application
 * management (TS 101 220 annex D), is the SCWS remote administration
 * application (ram.h).  It demands a cryptographic checksum and a counter
 * that must be higher (its minimum security level); ciphering optional.
 */
#ifndef SCWS_OTA_H
#define SCWS_OTA_H

#include <stddef.h>
#include <stdint.h>

struct card_state;
struct admin_agent;

struct ota_config {
	struct card_state *st;		/* key sets and counters */
	struct admin_agent *agent;	/* where triggers go */
};

struct ota;

struct ota *ota_new(const struct ota_config *cfg);
void ota_free(struct ota *o);

/* The agent is made after the proactive engine it needs, which is made
 * after this (it takes ota_sms_pp_cb): set it here once it exists. */
void ota_set_agent(struct ota *o, struct admin_agent *agent);

/* One SMS-PP data download ENVELOPE (the whole D1 template).  Writes the
 * response data (at most cap bytes) and returns the status word. */
uint16_t ota_sms_pp_download(struct ota *o, const uint8_t *env, size_t len,
			     uint8_t *resp, size_t cap, size_t *resp_len);

/* The same with the signature cat_config.sms_pp wants. */
uint16_t ota_sms_pp_cb(void *o, const uint8_t *env, size_t len,
		       uint8_t *resp, size_t cap, size_t *resp_len);

#endif /* SCWS_OTA_H */
