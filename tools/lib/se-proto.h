/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * se-proto.h - the APDU access service's wire protocol (docs/apdu-access.md).
 *
 * One message per SOCK_SEQPACKET datagram, both ways:
 *
 *   0  version  SE_PROTO_VERSION
 *   1  op       request op; the answer has op | 0x80
 *   2  length   of the body, 4 bytes big-endian; must match the datagram
 *   6  body
 *
 * Request bodies:
 *   LIST           (empty)
 *   OPEN_SESSION   reader name (1..64 bytes, printable ASCII)
 *   CLOSE_SESSION  session (1 byte)
 *   OPEN_LOGICAL   session, P2, AID (0 or 5..16 bytes)
 *   OPEN_BASIC     session, P2, AID (0 or 5..16 bytes)
 *   TRANSMIT       channel (1 byte), C-APDU (4..SE_PROTO_APDU_MAX bytes)
 *   SELECT_RESPONSE channel
 *   CLOSE_CHANNEL  channel
 * Answer bodies: status (1 byte), then on SE_OK the op's result (LIST:
 * per reader "name length, name, flags"; OPEN_SESSION: session;
 * OPEN_*: channel, then the SELECT response with its SW; TRANSMIT: the
 * R-APDU; SELECT_RESPONSE: the SELECT response; CLOSE_*: nothing), else
 * a UTF-8 message saying why.
 *
 * Pure: parsing and building only; unit tested and fuzzed.
 */
#ifndef SE_PROTO_H
#define SE_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SE_PROTO_VERSION 1
#define SE_PROTO_HDR 6
#define SE_PROTO_APDU_MAX (4 + 3 + 65535 + 2)	/* extended case 4 */
#define SE_PROTO_MSG_MAX (SE_PROTO_HDR + 1 + SE_PROTO_APDU_MAX)
#define SE_PROTO_READER_MAX 64
#define SE_PROTO_AID_MAX 16
#define SE_PROTO_ANSWER 0x80

enum se_op {
	SE_OP_LIST = 1,
	SE_OP_OPEN_SESSION = 2,
	SE_OP_CLOSE_SESSION = 3,
	SE_OP_OPEN_LOGICAL = 4,
	SE_OP_OPEN_BASIC = 5,
	SE_OP_TRANSMIT = 6,
	SE_OP_SELECT_RESPONSE = 7,
	SE_OP_CLOSE_CHANNEL = 8,
};

/* Answer status: OMAPI's exceptions, as numbers. */
enum se_status {
	SE_OK = 0,
	SE_ERR_REQUEST = 1,	/* malformed request (IllegalArgument) */
	SE_ERR_VERSION = 2,	/* protocol version not spoken */
	SE_ERR_NO_READER = 3,	/* no such reader */
	SE_ERR_NO_CARD = 4,	/* no card now (IOException): try later */
	SE_ERR_DENIED = 5,	/* access rules say no (SecurityException) */
	SE_ERR_NOT_FOUND = 6,	/* the SE has no such applet (NoSuchElement) */
	SE_ERR_NO_CHANNEL = 7,	/* no channel free / basic channel in use */
	SE_ERR_REFUSED = 8,	/* this APDU may not be sent (Security) */
	SE_ERR_CARD_GONE = 9,	/* the card went away: open again */
	SE_ERR_HANDLE = 10,	/* no such session or channel (IllegalState) */
	SE_ERR_UNSUPPORTED = 11,	/* P2 the SE does not support */
	SE_ERR_IO = 12,		/* the card link failed */
};

struct se_msg {
	uint8_t version;
	uint8_t op;		/* with SE_PROTO_ANSWER for answers */
	/* requests */
	uint8_t handle;		/* session or channel */
	uint8_t p2;
	const uint8_t *data;	/* reader name, AID, APDU; into the buffer */
	size_t len;
	/* answers */
	uint8_t status;
};

/*
 * Parses one request datagram.  0 with m filled; -1 when it is no
 * request of this protocol at all (bad header or length: the
 * connection is dropped); a positive enum se_status when the header is
 * sound but the request is not (answered with that status).
 */
int se_proto_parse_request(const uint8_t *buf, size_t len, struct se_msg *m);

/* Parses one answer datagram (the client side): 0 or -1. */
int se_proto_parse_answer(const uint8_t *buf, size_t len, uint8_t want_op,
			  struct se_msg *m);

/* Writes a header for body_len bytes at out; returns SE_PROTO_HDR. */
size_t se_proto_header(uint8_t *out, uint8_t op, size_t body_len);

const char *se_status_name(enum se_status s);

#endif /* SE_PROTO_H */
