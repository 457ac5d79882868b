/* SPDX-License-Identifier: GPL-2.0 */
/*
 * secured_packet.h - the ETSI TS 102 225 command and response packets as
 * TS 31.115 carries them in SMS (CPI = UDH IEI '70', RPI = IEI '71').
 *
 * Command packet (after the UDH):
 *   CPL(2) CHL(1) SPI(2) KIc(1) KID(1) TAR(3) | CNTR(5) PCNTR(1) RC/CC/DS
 *   secured data [padding]
 * CHL counts SPI..RC/CC/DS (13 + checksum length); CPL counts CHL..end.
 * With ciphering everything from CNTR on is ciphered.
 *
 * Response packet (the whole TP-UD of the SMS-DELIVER-REPORT):
 *   UDHL '02' IEI '71' '00' RPL(2) RHL(1) TAR(3) | CNTR(5) PCNTR(1)
 *   status(1) RC/CC/DS  additional response data [padding]
 * RHL counts TAR..RC/CC/DS (10 + checksum length); RPL counts RHL..end.
 *
 * What the checksum covers (TS 31.115 clause 4 and 6, which put the
 * lengths in so that the data before RC/CC/DS is a whole block):
 *   command:  CPL CHL SPI KIc KID TAR CNTR PCNTR + secured data + padding
 *   response: UDHL IEI IEIDL RPL RHL TAR CNTR PCNTR status + data + padding
 */
#ifndef SCWS_OTA_SECURED_PACKET_H
#define SCWS_OTA_SECURED_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OTA_CNTR_LEN 5
#define OTA_TAR_LEN 3
#define OTA_CHL_MIN 13		/* SPI..PCNTR without RC/CC/DS */
#define OTA_RHL_MIN 10		/* TAR..status without RC/CC/DS */
#define OTA_CMD_HEADER 10	/* CPL CHL SPI KIc KID TAR: never ciphered */
#define OTA_CC_MAX 16

/* SPI first byte, bits 2-1 (and the PoR's, second byte bits 4-3). */
enum ota_integrity { OTA_INT_NONE, OTA_INT_RC, OTA_INT_CC, OTA_INT_DS };
/* SPI first byte, bits 5-4. */
enum ota_counter { OTA_CNTR_NONE, OTA_CNTR_ANY, OTA_CNTR_HIGHER,
		   OTA_CNTR_ONE_HIGHER };
/* SPI second byte, bits 2-1 ('11' is reserved; treated as required). */
enum ota_por { OTA_POR_NONE, OTA_POR_ALWAYS, OTA_POR_ON_ERROR,
	       OTA_POR_RESERVED };

struct ota_spi {
	enum ota_integrity integrity;
	bool ciphered;
	enum ota_counter counter;
	enum ota_por por;
	enum ota_integrity por_integrity;
	bool por_ciphered;
	bool por_submit;	/* PoR via SMS-SUBMIT, not DELIVER-REPORT */
	bool reserved_bits;	/* RFU bits set */
};

void ota_spi_decode(const uint8_t spi[2], struct ota_spi *s);

/* KIc / KID: bits 8-5 key version number, 4-3 mode, 2-1 algorithm. */
enum ota_algo { OTA_ALGO_IMPLICIT, OTA_ALGO_DES, OTA_ALGO_AES,
		OTA_ALGO_PROPRIETARY };
#define OTA_KEY_KVN(b) ((uint8_t)((b) >> 4))
#define OTA_KEY_MODE(b) (((b) >> 2) & 3)
#define OTA_KEY_ALGO(b) ((enum ota_algo)((b) & 3))

/* TS 102 225 table 5.5 (response status codes). */
enum ota_status {
	OTA_POR_OK = 0x00,
	OTA_POR_RC_CC_DS_FAILED = 0x01,
	OTA_POR_CNTR_LOW = 0x02,
	OTA_POR_CNTR_HIGH = 0x03,
	OTA_POR_CNTR_BLOCKED = 0x04,
	OTA_POR_CIPHERING_ERROR = 0x05,
	OTA_POR_SECURITY_ERROR = 0x06,	/* unidentified security error */
	OTA_POR_NO_MEMORY = 0x07,
	OTA_POR_MORE_TIME = 0x08,
	OTA_POR_TAR_UNKNOWN = 0x09,
	OTA_POR_INSUFFICIENT_SECURITY = 0x0A,
};

const char *ota_status_name(uint8_t status);

enum ota_pkt_err {
	OTA_PKT_OK = 0,
	OTA_PKT_ESHORT = -1,	/* shorter than CPL..TAR: no PoR possible */
	OTA_PKT_ELEN = -2,	/* CPL/CHL disagree with the bytes */
};

struct ota_cmd_packet {
	uint16_t cpl;
	uint8_t chl;
	uint8_t spi_raw[2];
	struct ota_spi spi;
	uint8_t kic, kid;
	uint8_t tar[OTA_TAR_LEN];
	const uint8_t *header;	/* CPL..TAR, OTA_CMD_HEADER bytes */
	const uint8_t *rest;	/* CNTR to the end, ciphered or not */
	size_t rest_len;
	size_t cc_len;		/* CHL - 13 */
};

/* Splits a command packet.  With OTA_PKT_ELEN the fields up to TAR are
 * filled (so that a PoR can name the TAR); with OTA_PKT_ESHORT nothing
 * is usable. */
int ota_cmd_packet_parse(const uint8_t *p, size_t len,
			 struct ota_cmd_packet *cp);

/* The plain part from CNTR on, once deciphered. */
struct ota_cmd_plain {
	uint8_t cntr[OTA_CNTR_LEN];
	uint8_t pcntr;
	const uint8_t *cc;	/* cc_len bytes */
	const uint8_t *data;	/* secured data without padding */
	size_t data_len;
	const uint8_t *padded;	/* secured data with padding (CC input) */
	size_t padded_len;
};

/* false when the plain part is shorter than CNTR+PCNTR+checksum or PCNTR
 * claims more padding than there is. */
bool ota_cmd_plain_split(const uint8_t *plain, size_t len, size_t cc_len,
			 struct ota_cmd_plain *out);

/* A response packet to build. */
struct ota_response {
	uint8_t tar[OTA_TAR_LEN];
	uint8_t cntr[OTA_CNTR_LEN];
	uint8_t status;
	const uint8_t *data;	/* additional response data */
	size_t data_len;
	size_t cc_len;		/* 0: no checksum */
	const uint8_t *kid_key;	/* AES key for the CMAC when cc_len */
	size_t kid_len;
	const uint8_t *kic_key;	/* AES key for ciphering, NULL: plain */
	size_t kic_len;
};

/* Writes UDH + response packet to out.  Returns its length, or 0 when it
 * does not fit in cap or a key is unusable. */
size_t ota_response_build(const struct ota_response *r, uint8_t *out,
			  size_t cap);

#endif /* SCWS_OTA_SECURED_PACKET_H */
