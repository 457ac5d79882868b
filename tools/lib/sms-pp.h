/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * sms-pp.h - formatted short messages for the card: the SMS-PP data
 * download ENVELOPE (ETSI TS 102 223 clause 7.1, 3GPP TS 31.111 clause
 * 7.1.1), the SMS-DELIVER TPDU it carries (3GPP TS 23.040 clause 9.2.2.1)
 * and the RP-DATA message that carries such a TPDU over SIP
 * (application/vnd.3gpp.sms, 3GPP TS 24.011 clause 7.3.1, TS 24.341).
 *
 * Shared by the pump, scwsctl and scws-pushd.  Parsers never read outside
 * the buffer they are given; they only check structure, never meaning: the
 * card decides what a secured packet says.
 */
#ifndef SCWS_SMS_PP_H
#define SCWS_SMS_PP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SMS_TPDU_MAX 175	/* SMS-DELIVER: 1+12+1+1+7+1+140 octets */
#define SMS_ADDR_MAX 11		/* TON/NPI + 10 BCD octets (20 digits) */
#define SMS_PP_ENVELOPE_MAX 200	/* D1 81 LL | 82 02 83 81 | 86 | 8B */

#define SMS_PID_UICC_DOWNLOAD 0x7F	/* TP-PID: (U)SIM data download */

/* What an SMS-DELIVER TPDU holds, as far as the terminal cares. */
struct sms_deliver {
	uint8_t first;		/* MTI, MMS, SRI, UDHI, RP bits */
	uint8_t pid, dcs;
	bool udhi;		/* the user data starts with a header */
	size_t ud_off, ud_len;	/* the user data's octets in the TPDU */
};

/* Checks that tpdu is one whole SMS-DELIVER (TP-MTI 00, every field
 * present, TP-UDL consistent with the octets that follow).  0 with *d
 * filled, or -EINVAL. */
int sms_deliver_parse(const uint8_t *tpdu, size_t len, struct sms_deliver *d);

/* An address as TS 24.008 / TS 23.040 code it for the SMSC: TON/NPI then
 * semi-octets ("+" gives international 91, else unknown 81; F pads an odd
 * count).  Digits 0-9 only, 1..20 of them.  Its length, or 0 if the text
 * is not such a number. */
size_t sms_address_encode(const char *number, uint8_t out[SMS_ADDR_MAX]);

/* The ENVELOPE (SMS-PP download) data: D1 { device identities network ->
 * UICC, Address (the SMSC, omitted when addr_len is 0), SMS TPDU }.  Its
 * length, or 0 if it does not fit in cap. */
size_t sms_pp_envelope(const uint8_t *addr, size_t addr_len,
		       const uint8_t *tpdu, size_t tpdu_len, uint8_t *out,
		       size_t cap);

/* RP-DATA, network -> MS (TS 24.011 7.3.1.1): message type 01, reference,
 * originator (the SMSC), an empty destination, the user data (the TPDU). */
struct rp_data {
	uint8_t ref;
	const uint8_t *smsc;	/* TON/NPI + BCD, as in the ENVELOPE */
	size_t smsc_len;
	const uint8_t *tpdu;
	size_t tpdu_len;
};

/* 0 with *r pointing into p, or -EINVAL.  The TPDU itself is checked with
 * sms_deliver_parse() as well. */
int rp_data_parse(const uint8_t *p, size_t n, struct rp_data *r);

#endif /* SCWS_SMS_PP_H */
