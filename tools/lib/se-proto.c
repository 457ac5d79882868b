// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * se-proto.c - the APDU access service's messages (se-proto.h).
 */
#include "se-proto.h"

#include <string.h>

size_t se_proto_header(uint8_t *out, uint8_t op, size_t body_len)
{
	out[0] = SE_PROTO_VERSION;
	out[1] = op;
	out[2] = (uint8_t)(body_len >> 24);
	out[3] = (uint8_t)(body_len >> 16);
	out[4] = (uint8_t)(body_len >> 8);
	out[5] = (uint8_t)body_len;
	return SE_PROTO_HDR;
}

/* Header checks shared by both directions: 0, or -1. */
static int header(const uint8_t *buf, size_t len, struct se_msg *m)
{
	size_t body;

	memset(m, 0, sizeof(*m));
	if (len < SE_PROTO_HDR || len > SE_PROTO_MSG_MAX)
		return -1;
	body = (size_t)buf[2] << 24 | (size_t)buf[3] << 16 |
	       (size_t)buf[4] << 8 | buf[5];
	if (body != len - SE_PROTO_HDR)
		return -1;
	m->version = buf[0];
	m->op = buf[1];
	m->data = buf + SE_PROTO_HDR;
	m->len = body;
	return 0;
}

static bool printable(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7E)
			return false;
	return true;
}

static bool aid_len_ok(size_t n)
{
	return n == 0 || (n >= 5 && n <= SE_PROTO_AID_MAX);
}

int se_proto_parse_request(const uint8_t *buf, size_t len, struct se_msg *m)
{
	const uint8_t *b;
	size_t n;

	if (header(buf, len, m))
		return -1;
	if (m->op & SE_PROTO_ANSWER)
		return -1;
	if (m->version != SE_PROTO_VERSION)
		return SE_ERR_VERSION;
	b = m->data;
	n = m->len;
	switch (m->op) {
	case SE_OP_LIST:
		return n == 0 ? 0 : SE_ERR_REQUEST;
	case SE_OP_OPEN_SESSION:
		return n >= 1 && n <= SE_PROTO_READER_MAX && printable(b, n) ?
		       0 : SE_ERR_REQUEST;
	case SE_OP_CLOSE_SESSION:
	case SE_OP_SELECT_RESPONSE:
	case SE_OP_CLOSE_CHANNEL:
		if (n != 1)
			return SE_ERR_REQUEST;
		m->handle = b[0];
		m->data = NULL;
		m->len = 0;
		return 0;
	case SE_OP_OPEN_LOGICAL:
	case SE_OP_OPEN_BASIC:
		if (n < 2 || !aid_len_ok(n - 2))
			return SE_ERR_REQUEST;
		m->handle = b[0];
		m->p2 = b[1];
		m->data = b + 2;
		m->len = n - 2;
		return 0;
	case SE_OP_TRANSMIT:
		if (n < 1 + 4 || n > 1 + SE_PROTO_APDU_MAX)
			return SE_ERR_REQUEST;
		m->handle = b[0];
		m->data = b + 1;
		m->len = n - 1;
		return 0;
	default:
		return SE_ERR_REQUEST;
	}
}

int se_proto_parse_answer(const uint8_t *buf, size_t len, uint8_t want_op,
			  struct se_msg *m)
{
	if (header(buf, len, m))
		return -1;
	if (m->version != SE_PROTO_VERSION ||
	    m->op != (want_op | SE_PROTO_ANSWER) || m->len < 1)
		return -1;
	m->status = m->data[0];
	m->data++;
	m->len--;
	return 0;
}

const char *se_status_name(enum se_status s)
{
	switch (s) {
	case SE_OK:
		return "ok";
	case SE_ERR_REQUEST:
		return "malformed request";
	case SE_ERR_VERSION:
		return "protocol version not supported";
	case SE_ERR_NO_READER:
		return "no such reader";
	case SE_ERR_NO_CARD:
		return "no card";
	case SE_ERR_DENIED:
		return "access denied by the access rules";
	case SE_ERR_NOT_FOUND:
		return "no such application on the secure element";
	case SE_ERR_NO_CHANNEL:
		return "no channel available";
	case SE_ERR_REFUSED:
		return "APDU refused";
	case SE_ERR_CARD_GONE:
		return "the card went away: open a new channel";
	case SE_ERR_HANDLE:
		return "no such session or channel";
	case SE_ERR_UNSUPPORTED:
		return "not supported";
	case SE_ERR_IO:
		return "card link failed";
	}
	return "unknown status";
}
