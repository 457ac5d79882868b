/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sms_deliver.h - the SMS-DELIVER TPDU (3GPP TS 23.040 9.2.2.1) of an
 * SMS-PP data download, and its user data header (9.2.3.24).
 *
 * Only what a UICC data download needs: TP-MTI, TP-UDHI, TP-OA, TP-PID,
 * TP-DCS, TP-SCTS, TP-UDL and TP-UD with its header.  The caller decides
 * what it accepts (PID '7F', 8-bit class 2); this file only checks that
 * the bytes are a well-formed SMS-DELIVER.
 */
#ifndef SCWS_OTA_SMS_DELIVER_H
#define SCWS_OTA_SMS_DELIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SMS_PID_UICC_DOWNLOAD 0x7F	/* (U)SIM data download */
#define SMS_IEI_CONCAT_8 0x00		/* concatenated SMS, 8-bit ref */
#define SMS_IEI_CONCAT_16 0x08		/* ... 16-bit ref */
#define SMS_IEI_COMMAND_PACKET 0x70	/* TS 31.115: (U)SIM toolkit security */
#define SMS_IEI_RESPONSE_PACKET 0x71
#define SMS_UD_MAX 140

enum sms_err {
	SMS_OK = 0,
	SMS_ETRUNC = -1,	/* a field runs past the end */
	SMS_ENOTDELIVER = -2,	/* TP-MTI is not SMS-DELIVER */
	SMS_EBADADDR = -3,	/* TP-OA length out of range */
	SMS_EBADUDL = -4,	/* TP-UDL disagrees with the bytes / DCS */
	SMS_EBADUDH = -5,	/* header IEs run past the header */
	SMS_ETRAILING = -6,	/* bytes after TP-UD */
};

const char *sms_strerror(int err);

/* The alphabet TP-DCS announces (TS 23.038 clause 4). */
enum sms_alphabet { SMS_ALPHA_GSM7, SMS_ALPHA_8BIT, SMS_ALPHA_UCS2,
		    SMS_ALPHA_RESERVED };

struct sms_dcs {
	enum sms_alphabet alphabet;
	bool compressed;
	int msg_class;		/* 0..3, or -1 when the DCS gives none */
};

/* Decodes TP-DCS; false for coding groups with no defined alphabet. */
bool sms_dcs_decode(uint8_t dcs, struct sms_dcs *out);

struct sms_deliver {
	uint8_t first;			/* MTI, MMS, LP, SRI, UDHI, RP */
	bool udhi;
	uint8_t oa_digits;		/* TP-OA address length (digits) */
	uint8_t oa_toa;			/* type of address */
	const uint8_t *oa;		/* the address value bytes */
	size_t oa_len;
	uint8_t pid, dcs;
	const uint8_t *scts;		/* 7 bytes */
	uint8_t udl;
	const uint8_t *ud;		/* whole TP-UD (header included) */
	size_t ud_len;
	const uint8_t *udh;		/* IEs, without UDHL; NULL if !udhi */
	size_t udh_len;
	const uint8_t *body;		/* user data after the header */
	size_t body_len;
};

/* Parses an SMS-DELIVER TPDU of 8-bit or UCS2 user data (7-bit user data
 * is measured in septets and refused with SMS_EBADUDL: a secured packet
 * is binary). */
int sms_deliver_parse(const uint8_t *tpdu, size_t len, struct sms_deliver *d);

/* One information element of a user data header. */
struct sms_ie {
	uint8_t iei;
	const uint8_t *val;
	uint8_t len;
};

/* Walks the header: *pos starts at 0.  1 with *ie filled, 0 at the end,
 * SMS_EBADUDH when an IE runs past the header. */
int sms_udh_next(const uint8_t *udh, size_t len, size_t *pos,
		 struct sms_ie *ie);

/* Concatenation info (IEI 00/08): 1 and the fields when present, 0 when
 * absent, SMS_EBADUDH when malformed. */
int sms_udh_concat(const uint8_t *udh, size_t len, uint16_t *ref,
		   uint8_t *total, uint8_t *seq);

/* Whether the header holds IEI 70 with an empty value (the TS 31.115
 * command packet identifier). */
bool sms_udh_has_command_packet(const uint8_t *udh, size_t len);

#endif /* SCWS_OTA_SMS_DELIVER_H */
