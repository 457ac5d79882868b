/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * cat-tlv.h - the CAT / BIP TLV codec (ETSI TS 102 223, TS 101 220).
 *
 * Shared by the pump (scws-bipd) and the card simulator; nothing here knows
 * which side it runs on.
 *
 * Two encodings nest:
 *   BER-TLV template   tag(1) len value     D0 proactive command, D1 SMS-PP
 *                                           download, D6 event download
 *   COMPREHENSION-TLV  tag(1|3) len value   the objects inside a template, and
 *                                           the whole of a TERMINAL RESPONSE
 *
 * Tags: one byte = CR flag (bit 8) + tag value 01..7E; 00, 80 and FF are
 * invalid; 7F introduces the three-byte form 7F hh ll where bit 8 of hh is
 * the CR flag and the other 15 bits are the tag value (0 invalid).  Both CR
 * forms mean the same object: lookups ignore the flag and the tag form.
 *
 * Lengths: 00..7F, 81 80..FF, 82 0100..FFFF.  Decoding is strict: a length
 * in a longer form than needed (81 05, 82 00 80) is rejected, because the
 * spec gives every length exactly one coding and two parsers that disagree
 * on such bytes are how cards end up mis-reading commands.  Longer forms
 * (83, 84) are rejected too: no CAT message can be that long.  Encoding
 * always uses the shortest form, so any value over 127 bytes gets 81 xx.
 *
 * Decoding never reads outside the buffer it is given; every error has a
 * code (enum cat_tlv_err) and a message (cat_tlv_strerror()).  Decoded
 * values point into the caller's buffer.
 *
 * Encoding goes through a writer over a fixed caller buffer: it never
 * writes past the end; once something does not fit it sets `overflow`, stops
 * writing, and the output must be discarded.
 */
#ifndef SCWS_CAT_TLV_H
#define SCWS_CAT_TLV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- numbers from the specs ---- */

/* BER-TLV template tags (TS 101 220). */
enum {
	CAT_BER_PROACTIVE = 0xD0,
	CAT_BER_SMS_PP = 0xD1,
	CAT_BER_EVENT = 0xD6,
};

/* COMPREHENSION-TLV tag values, CR flag not included. */
enum {
	CAT_TAG_CMD_DETAILS = 0x01,
	CAT_TAG_DEVICES = 0x02,
	CAT_TAG_RESULT = 0x03,
	CAT_TAG_ALPHA = 0x05,
	CAT_TAG_TEXT = 0x0D,
	CAT_TAG_EVENT_LIST = 0x19,
	CAT_TAG_ICON = 0x1E,
	CAT_TAG_BEARER = 0x35,
	CAT_TAG_CHANNEL_DATA = 0x36,
	CAT_TAG_CHANNEL_DATA_LEN = 0x37,
	CAT_TAG_CHANNEL_STATUS = 0x38,
	CAT_TAG_BUFFER_SIZE = 0x39,
	CAT_TAG_TRANSPORT = 0x3C,
	CAT_TAG_OTHER_ADDR = 0x3E,
	CAT_TAG_SERVICE_RECORD = 0x41,
	CAT_TAG_NAN = 0x47,
	CAT_TAG_TEXT_ATTR = 0x50,
	CAT_TAG_FRAME_ID = 0x68,
};

/* Proactive command types. */
enum {
	CAT_CMD_REFRESH = 0x01,
	CAT_CMD_SET_UP_EVENT_LIST = 0x05,
	CAT_CMD_OPEN_CHANNEL = 0x40,
	CAT_CMD_CLOSE_CHANNEL = 0x41,
	CAT_CMD_RECEIVE_DATA = 0x42,
	CAT_CMD_SEND_DATA = 0x43,
	CAT_CMD_GET_CHANNEL_STATUS = 0x44,
};

/* Device identities; channel n (1..7) is CAT_DEV_CHANNEL(n). */
enum {
	CAT_DEV_UICC = 0x81,
	CAT_DEV_TERMINAL = 0x82,
	CAT_DEV_NETWORK = 0x83,
};
#define CAT_DEV_CHANNEL(n) ((uint8_t)(0x20 | ((n) & 0x07)))
#define CAT_DEV_IS_CHANNEL(d) ((d) >= 0x21 && (d) <= 0x27)

/* Events (Event list). */
enum {
	CAT_EV_DATA_AVAILABLE = 0x09,
	CAT_EV_CHANNEL_STATUS = 0x0A,
	CAT_EV_LOCAL_CONNECTION = 0x0D,
};

/* General results; 00..0F mean the command was performed. */
enum {
	CAT_RES_OK = 0x00,
	CAT_RES_PARTIAL = 0x01,
	CAT_RES_MISSING_INFO = 0x02,
	CAT_RES_MODIFIED = 0x07,
	CAT_RES_TERMINAL_UNABLE = 0x20,
	CAT_RES_BEYOND_CAPABILITY = 0x30,
	CAT_RES_TYPE_UNKNOWN = 0x31,
	CAT_RES_DATA_UNKNOWN = 0x32,
	CAT_RES_NUMBER_UNKNOWN = 0x33,
	CAT_RES_VALUES_MISSING = 0x36,
	CAT_RES_BIP_ERROR = 0x3A,
};
#define CAT_RES_PERFORMED(r) ((r) < 0x10)

/* Additional information for CAT_RES_BIP_ERROR. */
enum {
	CAT_BIP_NO_CAUSE = 0x00,
	CAT_BIP_NO_CHANNEL = 0x01,
	CAT_BIP_CHANNEL_CLOSED = 0x02,
	CAT_BIP_BAD_CHANNEL_ID = 0x03,
	CAT_BIP_NO_BUFFER = 0x04,
	CAT_BIP_SECURITY = 0x05,
	CAT_BIP_NO_TRANSPORT = 0x06,
	CAT_BIP_UNREACHABLE = 0x07,
	CAT_BIP_PORT_UNAVAILABLE = 0x10,
	CAT_BIP_LAUNCH_PARAMS = 0x11,	/* launch parameters missing/wrong */
	CAT_BIP_LAUNCH_FAILED = 0x12,	/* application launch failed */
};

/* Transport protocol types (UICC/terminal interface transport level). */
enum {
	CAT_TP_UDP_CLIENT_REMOTE = 0x01,
	CAT_TP_TCP_CLIENT_REMOTE = 0x02,
	CAT_TP_TCP_SERVER = 0x03,
	CAT_TP_UDP_CLIENT_LOCAL = 0x04,
	CAT_TP_TCP_CLIENT_LOCAL = 0x05,
};

/* Other address types. */
enum {
	CAT_ADDR_IPV4 = 0x21,
	CAT_ADDR_IPV6 = 0x57,
};

/* Bearer types. */
enum {
	CAT_BEARER_DEFAULT = 0x03,
};

/* Channel status byte 1 bits 7-8; UICC server mode uses all three, the
 * client modes only "established" (bit 8) and "closed". */
enum cat_chan_state {
	CAT_CS_CLOSED = 0,
	CAT_CS_LISTEN = 1,
	CAT_CS_ESTABLISHED = 2,
	CAT_CS_RESERVED = 3,
};
#define CAT_CS_INFO_LINK_DROPPED 0x05

/* "FF" in a Channel data length: more than 255 bytes. */
#define CAT_DATA_LEN_MANY 0xFF

/* ---- decoding ---- */

enum cat_tlv_err {
	CAT_TLV_OK = 0,
	CAT_TLV_ETRUNC = -1,	/* a field runs past the end */
	CAT_TLV_EBADTAG = -2,	/* tag 00, 80, FF or 7F 00 00 / 7F 80 00 */
	CAT_TLV_EBADLEN = -3,	/* length form 80, 83.., or not minimal */
	CAT_TLV_ETRAILING = -4,	/* bytes after the template */
	CAT_TLV_ETOOMANY = -5,	/* more objects than struct cat_msg holds */
	CAT_TLV_EBADVAL = -6,	/* an object's value has the wrong size/form */
	CAT_TLV_EMISSING = -7,	/* a mandatory object is absent */
};

const char *cat_tlv_strerror(int err);

/* One COMPREHENSION-TLV. */
struct cat_tlv {
	uint16_t tag;		/* tag value, CR flag removed */
	bool cr;		/* comprehension required */
	bool wide;		/* coded in the three-byte form */
	const uint8_t *val;
	size_t len;
};

/* A bounds-checked cursor over a sequence of COMPREHENSION-TLVs. */
struct cat_tlv_reader {
	const uint8_t *p;
	size_t left;
	int err;		/* sticky: first error, or CAT_TLV_OK */
};

void cat_tlv_reader_init(struct cat_tlv_reader *r, const uint8_t *buf,
			 size_t len);
/* 1: *t holds the next object; 0: clean end; < 0: error (also in r->err),
 * and every later call returns the same error. */
int cat_tlv_next(struct cat_tlv_reader *r, struct cat_tlv *t);

/* Decodes a length field at buf: 0 with *len and *used, or < 0. */
int cat_len_decode(const uint8_t *buf, size_t avail, size_t *len,
		   size_t *used);

/* A BER-TLV template filling buf exactly: its tag and value. */
int cat_ber_decode(const uint8_t *buf, size_t len, uint8_t *tag,
		   const uint8_t **val, size_t *vlen);

/* A whole message, its objects indexed in order. */
#define CAT_MSG_MAX 32
struct cat_msg {
	uint8_t ber_tag;	/* 0 for a bare list (TERMINAL RESPONSE) */
	size_t n;
	struct cat_tlv tlv[CAT_MSG_MAX];
};

/* BER template around a COMPREHENSION-TLV list (command, envelope). */
int cat_msg_parse(struct cat_msg *m, const uint8_t *buf, size_t len);
/* A bare COMPREHENSION-TLV list (TERMINAL RESPONSE). */
int cat_msg_parse_list(struct cat_msg *m, const uint8_t *buf, size_t len);
/* The nth (from 0) object with this tag value, or NULL. */
const struct cat_tlv *cat_msg_find(const struct cat_msg *m, uint16_t tag,
				   size_t nth);
/* Its position in m->tlv (ordering matters for Other address), or -1. */
int cat_msg_index(const struct cat_msg *m, const struct cat_tlv *t);

/* ---- encoding ---- */

struct cat_writer {
	uint8_t *buf;
	size_t cap;
	size_t len;
	bool overflow;		/* output did not fit or could not be coded */
};

void cat_writer_init(struct cat_writer *w, uint8_t *buf, size_t cap);
void cat_put_bytes(struct cat_writer *w, const void *data, size_t n);
void cat_put_len(struct cat_writer *w, size_t len);
/* Size of the shortest length field for len (1..3), 0 if len > 0xFFFF. */
size_t cat_len_size(size_t len);
/* An object exactly as decoded (keeps the CR flag and tag form). */
void cat_put(struct cat_writer *w, const struct cat_tlv *t);
/* An object with CR set, one-byte tag form when the value allows. */
void cat_put_tlv(struct cat_writer *w, uint16_t tag, const void *val,
		 size_t len);
/* A BER template: open writes the tag and room for a one-byte length;
 * close writes the real length, moving the value up when it needs 81 xx or
 * 82 xxxx.  Only the finished template has to fit in the buffer. */
size_t cat_ber_open(struct cat_writer *w, uint8_t tag);
void cat_ber_close(struct cat_writer *w, size_t mark);

/* ---- BIP objects: get_* check the value's size, put_* set CR ---- */

struct cat_cmd_details {
	uint8_t number;
	uint8_t type;
	uint8_t qualifier;
};
int cat_get_cmd_details(const struct cat_tlv *t, struct cat_cmd_details *d);
void cat_put_cmd_details(struct cat_writer *w,
			 const struct cat_cmd_details *d);

struct cat_devices {
	uint8_t src;
	uint8_t dst;
};
int cat_get_devices(const struct cat_tlv *t, struct cat_devices *d);
void cat_put_devices(struct cat_writer *w, uint8_t src, uint8_t dst);

struct cat_result {
	uint8_t general;
	const uint8_t *info;	/* additional information, may be empty */
	size_t info_len;
};
int cat_get_result(const struct cat_tlv *t, struct cat_result *r);
void cat_put_result(struct cat_writer *w, uint8_t general,
		    const uint8_t *info, size_t info_len);
/* The first additional-information byte, or fallback when there is none. */
uint8_t cat_result_cause(const struct cat_result *r, uint8_t fallback);

int cat_get_channel_data(const struct cat_tlv *t, const uint8_t **data,
			 size_t *len);
void cat_put_channel_data(struct cat_writer *w, const uint8_t *data,
			  size_t len);

int cat_get_channel_data_len(const struct cat_tlv *t, uint8_t *n);
void cat_put_channel_data_len(struct cat_writer *w, uint8_t n);

struct cat_channel_status {
	uint8_t id;		/* 1..7, 0 = no channel */
	uint8_t state;		/* enum cat_chan_state */
	uint8_t info;		/* 00, or CAT_CS_INFO_LINK_DROPPED */
};
int cat_get_channel_status(const struct cat_tlv *t,
			   struct cat_channel_status *cs);
void cat_put_channel_status(struct cat_writer *w,
			    const struct cat_channel_status *cs);

int cat_get_buffer_size(const struct cat_tlv *t, uint16_t *size);
void cat_put_buffer_size(struct cat_writer *w, uint16_t size);

struct cat_transport {
	uint8_t proto;
	bool has_port;
	uint16_t port;
};
int cat_get_transport(const struct cat_tlv *t, struct cat_transport *tr);
void cat_put_transport(struct cat_writer *w, const struct cat_transport *tr);

/* Other address: empty (len 0, type 0) asks the terminal for a dynamic
 * address; otherwise IPv4 (4 bytes) or IPv6 (16 bytes). */
struct cat_address {
	uint8_t type;
	uint8_t len;
	uint8_t addr[16];
};
int cat_get_other_address(const struct cat_tlv *t, struct cat_address *a);
void cat_put_other_address(struct cat_writer *w, const struct cat_address *a);

int cat_get_event_list(const struct cat_tlv *t, const uint8_t **events,
		       size_t *n);
void cat_put_event_list(struct cat_writer *w, const uint8_t *events,
			size_t n);

struct cat_bearer {
	uint8_t type;
	const uint8_t *params;
	size_t params_len;
};
int cat_get_bearer(const struct cat_tlv *t, struct cat_bearer *b);
void cat_put_bearer(struct cat_writer *w, uint8_t type,
		    const uint8_t *params, size_t params_len);

/* Service record (TS 102 223 8.63): local bearer technology (00:
 * technology independent), service identifier, then the record itself. */
#define CAT_LOCAL_BEARER_ANY 0x00
struct cat_service_record {
	uint8_t bearer;
	uint8_t service_id;
	const uint8_t *record;
	size_t record_len;
};
int cat_get_service_record(const struct cat_tlv *t,
			   struct cat_service_record *r);
void cat_put_service_record(struct cat_writer *w, uint8_t bearer,
			    uint8_t service_id, const uint8_t *record,
			    size_t record_len);

#endif /* SCWS_CAT_TLV_H */
