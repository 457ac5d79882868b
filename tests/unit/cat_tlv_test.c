// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/lib/cat-tlv.c
/*
 * Unit tests of the CAT/BIP TLV codec, with the byte examples of
 * spec-digest.md (sections 2 and 2.5) and the edge cases of the coding
 * rules: both CR forms, three-byte tags, invalid tags, minimal lengths,
 * truncation, writer overflow.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cat-tlv.h"

/* OPEN CHANNEL, UICC server mode, port 3516, buffer 1500 (digest 2.1). */
static const uint8_t open_server[] = {
	0xD0, 0x12, 0x81, 0x03, 0x01, 0x40, 0x00, 0x82, 0x02, 0x81, 0x82,
	0xB9, 0x02, 0x05, 0xDC, 0xBC, 0x03, 0x03, 0x0D, 0xBC,
};

/* Its TERMINAL RESPONSE: channel 1 in LISTEN, buffer granted. */
static const uint8_t open_tr[] = {
	0x81, 0x03, 0x01, 0x40, 0x00, 0x82, 0x02, 0x82, 0x81, 0x83, 0x01,
	0x00, 0xB8, 0x02, 0x41, 0x00, 0xB9, 0x02, 0x05, 0xDC,
};

static const uint8_t close_listen[] = {
	0xD0, 0x09, 0x81, 0x03, 0x01, 0x41, 0x01, 0x82, 0x02, 0x81, 0x21,
};

static const uint8_t receive_237[] = {
	0xD0, 0x0C, 0x81, 0x03, 0x01, 0x42, 0x00, 0x82, 0x02, 0x81, 0x21,
	0xB7, 0x01, 0xED,
};

static const uint8_t ev_data_available[] = {
	0xD6, 0x0E, 0x99, 0x01, 0x09, 0x82, 0x02, 0x82, 0x81, 0xB8, 0x02,
	0x81, 0x00, 0xB7, 0x01, 0x20,
};

static const uint8_t ev_listen[] = {
	0xD6, 0x0B, 0x99, 0x01, 0x0A, 0x82, 0x02, 0x82, 0x81, 0xB8, 0x02,
	0x41, 0x00,
};

static void test_decode_open_channel(void **state)
{
	const struct cat_tlv *t;
	struct cat_cmd_details det;
	struct cat_devices dev;
	struct cat_transport tr;
	struct cat_msg m;
	uint16_t size;

	(void)state;
	assert_int_equal(cat_msg_parse(&m, open_server, sizeof(open_server)),
			 CAT_TLV_OK);
	assert_int_equal(m.ber_tag, CAT_BER_PROACTIVE);
	assert_int_equal(m.n, 4);
	assert_int_equal(cat_get_cmd_details(&m.tlv[0], &det), 0);
	assert_int_equal(det.number, 1);
	assert_int_equal(det.type, CAT_CMD_OPEN_CHANNEL);
	assert_int_equal(det.qualifier, 0);
	assert_true(m.tlv[0].cr);
	assert_int_equal(cat_get_devices(&m.tlv[1], &dev), 0);
	assert_int_equal(dev.src, CAT_DEV_UICC);
	assert_int_equal(dev.dst, CAT_DEV_TERMINAL);
	t = cat_msg_find(&m, CAT_TAG_BUFFER_SIZE, 0);
	assert_non_null(t);
	assert_int_equal(cat_get_buffer_size(t, &size), 0);
	assert_int_equal(size, 1500);
	t = cat_msg_find(&m, CAT_TAG_TRANSPORT, 0);
	assert_non_null(t);
	assert_int_equal(cat_msg_index(&m, t), 3);
	assert_int_equal(cat_get_transport(t, &tr), 0);
	assert_int_equal(tr.proto, CAT_TP_TCP_SERVER);
	assert_true(tr.has_port);
	assert_int_equal(tr.port, 3516);
	assert_null(cat_msg_find(&m, CAT_TAG_OTHER_ADDR, 0));
}

static void test_encode_open_channel(void **state)
{
	const struct cat_cmd_details det = { 1, CAT_CMD_OPEN_CHANNEL, 0 };
	const struct cat_transport tr = { CAT_TP_TCP_SERVER, true, 3516 };
	struct cat_writer w;
	uint8_t buf[64];
	size_t mark;

	(void)state;
	cat_writer_init(&w, buf, sizeof(buf));
	mark = cat_ber_open(&w, CAT_BER_PROACTIVE);
	cat_put_cmd_details(&w, &det);
	cat_put_devices(&w, CAT_DEV_UICC, CAT_DEV_TERMINAL);
	cat_put_buffer_size(&w, 1500);
	cat_put_transport(&w, &tr);
	cat_ber_close(&w, mark);
	assert_false(w.overflow);
	assert_int_equal(w.len, sizeof(open_server));
	assert_memory_equal(buf, open_server, sizeof(open_server));
}

static void test_decode_terminal_response(void **state)
{
	struct cat_channel_status cs;
	struct cat_result res;
	struct cat_msg m;
	uint16_t size;

	(void)state;
	assert_int_equal(cat_msg_parse_list(&m, open_tr, sizeof(open_tr)), 0);
	assert_int_equal(m.ber_tag, 0);
	assert_int_equal(m.n, 5);
	assert_int_equal(cat_get_result(cat_msg_find(&m, CAT_TAG_RESULT, 0),
					&res), 0);
	assert_int_equal(res.general, CAT_RES_OK);
	assert_int_equal(res.info_len, 0);
	assert_int_equal(cat_result_cause(&res, 0xAA), 0xAA);
	assert_int_equal(cat_get_channel_status(
		cat_msg_find(&m, CAT_TAG_CHANNEL_STATUS, 0), &cs), 0);
	assert_int_equal(cs.id, 1);
	assert_int_equal(cs.state, CAT_CS_LISTEN);
	assert_int_equal(cs.info, 0);
	assert_int_equal(cat_get_buffer_size(
		cat_msg_find(&m, CAT_TAG_BUFFER_SIZE, 0), &size), 0);
	assert_int_equal(size, 1500);
}

static void test_close_and_receive_examples(void **state)
{
	const struct cat_cmd_details close_det = {
		1, CAT_CMD_CLOSE_CHANNEL, 1,
	};
	const struct cat_cmd_details recv_det = { 1, CAT_CMD_RECEIVE_DATA, 0 };
	struct cat_writer w;
	struct cat_msg m;
	uint8_t buf[32], n;
	size_t mark;

	(void)state;
	cat_writer_init(&w, buf, sizeof(buf));
	mark = cat_ber_open(&w, CAT_BER_PROACTIVE);
	cat_put_cmd_details(&w, &close_det);
	cat_put_devices(&w, CAT_DEV_UICC, CAT_DEV_CHANNEL(1));
	cat_ber_close(&w, mark);
	assert_int_equal(w.len, sizeof(close_listen));
	assert_memory_equal(buf, close_listen, sizeof(close_listen));

	cat_writer_init(&w, buf, sizeof(buf));
	mark = cat_ber_open(&w, CAT_BER_PROACTIVE);
	cat_put_cmd_details(&w, &recv_det);
	cat_put_devices(&w, CAT_DEV_UICC, CAT_DEV_CHANNEL(1));
	cat_put_channel_data_len(&w, 0xED);
	cat_ber_close(&w, mark);
	assert_int_equal(w.len, sizeof(receive_237));
	assert_memory_equal(buf, receive_237, sizeof(receive_237));

	assert_int_equal(cat_msg_parse(&m, receive_237, sizeof(receive_237)),
			 0);
	assert_int_equal(cat_get_channel_data_len(
		cat_msg_find(&m, CAT_TAG_CHANNEL_DATA_LEN, 0), &n), 0);
	assert_int_equal(n, 237);
}

static void test_event_envelopes(void **state)
{
	struct cat_channel_status cs;
	const uint8_t *ev;
	struct cat_msg m;
	size_t n;
	uint8_t avail;

	(void)state;
	assert_int_equal(cat_msg_parse(&m, ev_data_available,
				       sizeof(ev_data_available)), 0);
	assert_int_equal(m.ber_tag, CAT_BER_EVENT);
	cat_get_event_list(cat_msg_find(&m, CAT_TAG_EVENT_LIST, 0), &ev, &n);
	assert_int_equal(n, 1);
	assert_int_equal(ev[0], CAT_EV_DATA_AVAILABLE);
	assert_int_equal(cat_get_channel_status(
		cat_msg_find(&m, CAT_TAG_CHANNEL_STATUS, 0), &cs), 0);
	assert_int_equal(cs.id, 1);
	assert_int_equal(cs.state, CAT_CS_ESTABLISHED);
	assert_int_equal(cat_get_channel_data_len(
		cat_msg_find(&m, CAT_TAG_CHANNEL_DATA_LEN, 0), &avail), 0);
	assert_int_equal(avail, 0x20);

	assert_int_equal(cat_msg_parse(&m, ev_listen, sizeof(ev_listen)), 0);
	cat_get_event_list(cat_msg_find(&m, CAT_TAG_EVENT_LIST, 0), &ev, &n);
	assert_int_equal(ev[0], CAT_EV_CHANNEL_STATUS);
	assert_int_equal(cat_get_channel_status(
		cat_msg_find(&m, CAT_TAG_CHANNEL_STATUS, 0), &cs), 0);
	assert_int_equal(cs.state, CAT_CS_LISTEN);
}

static void test_cr_forms_equal(void **state)
{
	/* 01 and 81, 02 and 82: the same objects. */
	static const uint8_t no_cr[] = {
		0x01, 0x03, 0x07, 0x43, 0x01, 0x02, 0x02, 0x82, 0x81,
		0x03, 0x01, 0x00,
	};
	struct cat_cmd_details det;
	const struct cat_tlv *t;
	struct cat_msg m;

	(void)state;
	assert_int_equal(cat_msg_parse_list(&m, no_cr, sizeof(no_cr)), 0);
	t = cat_msg_find(&m, CAT_TAG_CMD_DETAILS, 0);
	assert_non_null(t);
	assert_false(t->cr);
	assert_int_equal(cat_get_cmd_details(t, &det), 0);
	assert_int_equal(det.number, 7);
	assert_non_null(cat_msg_find(&m, CAT_TAG_DEVICES, 0));
	assert_non_null(cat_msg_find(&m, CAT_TAG_RESULT, 0));
	assert_null(cat_msg_find(&m, CAT_TAG_RESULT, 1));
}

static void test_three_byte_tags(void **state)
{
	static const uint8_t wide[] = {
		0x7F, 0x92, 0x34, 0x02, 0xAA, 0xBB,	/* CR, tag 0x1234 */
		0x7F, 0x00, 0x01, 0x00,			/* tag 1, wide form */
	};
	struct cat_writer w;
	struct cat_msg m;
	uint8_t out[16];

	(void)state;
	assert_int_equal(cat_msg_parse_list(&m, wide, sizeof(wide)), 0);
	assert_int_equal(m.n, 2);
	assert_int_equal(m.tlv[0].tag, 0x1234);
	assert_true(m.tlv[0].cr);
	assert_true(m.tlv[0].wide);
	assert_int_equal(m.tlv[0].len, 2);
	assert_int_equal(m.tlv[1].tag, 0x0001);
	assert_false(m.tlv[1].cr);
	assert_ptr_equal(cat_msg_find(&m, CAT_TAG_CMD_DETAILS, 0), &m.tlv[1]);

	cat_writer_init(&w, out, sizeof(out));
	cat_put(&w, &m.tlv[0]);
	cat_put(&w, &m.tlv[1]);
	assert_false(w.overflow);
	assert_int_equal(w.len, sizeof(wide));
	assert_memory_equal(out, wide, sizeof(wide));

	/* Tag values above 7E need the wide form when written. */
	cat_writer_init(&w, out, sizeof(out));
	cat_put_tlv(&w, 0x0100, "x", 1);
	assert_int_equal(w.len, 5);
	assert_memory_equal(out, "\x7F\x81\x00\x01x", 5);
}

static void test_invalid_tags(void **state)
{
	static const uint8_t bad[][4] = {
		{ 0x00, 0x00 }, { 0x80, 0x00 }, { 0xFF, 0x00 },
		{ 0x7F, 0x00, 0x00, 0x00 }, { 0x7F, 0x80, 0x00, 0x00 },
	};
	static const size_t len[] = { 2, 2, 2, 4, 4 };
	struct cat_msg m;

	(void)state;
	for (size_t i = 0; i < sizeof(len) / sizeof(len[0]); i++)
		assert_int_equal(cat_msg_parse_list(&m, bad[i], len[i]),
				 CAT_TLV_EBADTAG);
	/* A wide tag cut short is truncation, not a bad tag. */
	assert_int_equal(cat_msg_parse_list(&m, (const uint8_t *)"\x7F\x01", 2),
			 CAT_TLV_ETRUNC);
}

static void test_lengths(void **state)
{
	size_t len, used;
	uint8_t b[3];

	(void)state;
	b[0] = 0x7F;
	assert_int_equal(cat_len_decode(b, 1, &len, &used), 0);
	assert_int_equal(len, 127);
	assert_int_equal(used, 1);
	b[0] = 0x81; b[1] = 0x80;
	assert_int_equal(cat_len_decode(b, 2, &len, &used), 0);
	assert_int_equal(len, 128);
	assert_int_equal(used, 2);
	b[1] = 0x7F;		/* 81 7F: not minimal */
	assert_int_equal(cat_len_decode(b, 2, &len, &used), CAT_TLV_EBADLEN);
	assert_int_equal(cat_len_decode(b, 1, &len, &used), CAT_TLV_ETRUNC);
	b[0] = 0x82; b[1] = 0x01; b[2] = 0x00;
	assert_int_equal(cat_len_decode(b, 3, &len, &used), 0);
	assert_int_equal(len, 256);
	assert_int_equal(used, 3);
	b[1] = 0x00; b[2] = 0xFF;	/* 82 00 FF: not minimal */
	assert_int_equal(cat_len_decode(b, 3, &len, &used), CAT_TLV_EBADLEN);
	assert_int_equal(cat_len_decode(b, 2, &len, &used), CAT_TLV_ETRUNC);
	b[0] = 0x80;
	assert_int_equal(cat_len_decode(b, 3, &len, &used), CAT_TLV_EBADLEN);
	b[0] = 0x83;
	assert_int_equal(cat_len_decode(b, 3, &len, &used), CAT_TLV_EBADLEN);
	assert_int_equal(cat_len_decode(b, 0, &len, &used), CAT_TLV_ETRUNC);

	assert_int_equal(cat_len_size(0), 1);
	assert_int_equal(cat_len_size(127), 1);
	assert_int_equal(cat_len_size(128), 2);
	assert_int_equal(cat_len_size(255), 2);
	assert_int_equal(cat_len_size(256), 3);
	assert_int_equal(cat_len_size(0xFFFF), 3);
	assert_int_equal(cat_len_size(0x10000), 0);
}

/* The live-card bug of the digest: 237 data bytes need 36 81 ED. */
static void test_long_values_use_81(void **state)
{
	static uint8_t data[300], out[320];
	struct cat_writer w;
	struct cat_msg m;
	const uint8_t *got;
	size_t n;

	(void)state;
	memset(data, 0x5A, sizeof(data));
	cat_writer_init(&w, out, sizeof(out));
	cat_put_channel_data(&w, data, 237);
	assert_int_equal(w.len, 3 + 237);
	assert_memory_equal(out, "\xB6\x81\xED", 3);
	assert_int_equal(cat_msg_parse_list(&m, out, w.len), 0);
	cat_get_channel_data(&m.tlv[0], &got, &n);
	assert_int_equal(n, 237);
	assert_ptr_equal(got, out + 3);

	cat_writer_init(&w, out, sizeof(out));
	cat_put_channel_data(&w, data, 300);
	assert_int_equal(w.len, 4 + 300);
	assert_memory_equal(out, "\xB6\x82\x01\x2C", 4);

	cat_writer_init(&w, out, sizeof(out));
	cat_put_channel_data(&w, data, 127);
	assert_memory_equal(out, "\xB6\x7F", 2);
}

static void test_ber_lengths_and_errors(void **state)
{
	static uint8_t data[240], out[300];
	const uint8_t *val;
	struct cat_writer w;
	struct cat_msg m;
	size_t mark, vlen;
	uint8_t tag;

	(void)state;
	/* A SEND DATA with 240 bytes is the largest short-APDU command. */
	cat_writer_init(&w, out, 255);
	mark = cat_ber_open(&w, CAT_BER_PROACTIVE);
	cat_put_cmd_details(&w, &(struct cat_cmd_details){ 2, 0x43, 1 });
	cat_put_devices(&w, CAT_DEV_UICC, CAT_DEV_CHANNEL(2));
	cat_put_channel_data(&w, data, sizeof(data));
	cat_ber_close(&w, mark);
	assert_false(w.overflow);
	assert_int_equal(w.len, 255);
	assert_memory_equal(out, "\xD0\x81\xFC", 3);
	assert_int_equal(cat_msg_parse(&m, out, w.len), 0);
	assert_int_equal(m.n, 3);

	/* A value of 295 needs 82 01 27: the template must fit after the
	 * length grows, and nothing is written past the buffer if not. */
	cat_writer_init(&w, out, 299);
	mark = cat_ber_open(&w, CAT_BER_PROACTIVE);
	cat_put_channel_data(&w, data, 200);
	cat_put_channel_data(&w, data, 90);
	cat_ber_close(&w, mark);
	assert_false(w.overflow);
	assert_int_equal(w.len, 299);
	assert_memory_equal(out, "\xD0\x82\x01\x27\xB6\x81\xC8", 7);
	assert_int_equal(cat_msg_parse(&m, out, w.len), 0);
	assert_int_equal(m.n, 2);
	out[298] = 0xEE;
	cat_writer_init(&w, out, 298);
	mark = cat_ber_open(&w, CAT_BER_PROACTIVE);
	cat_put_channel_data(&w, data, 200);
	cat_put_channel_data(&w, data, 90);
	cat_ber_close(&w, mark);
	assert_true(w.overflow);
	assert_int_equal(out[298], 0xEE);

	/* Short templates keep a one-byte length. */
	cat_writer_init(&w, out, sizeof(out));
	mark = cat_ber_open(&w, CAT_BER_EVENT);
	cat_ber_close(&w, mark);
	assert_int_equal(w.len, 2);
	assert_memory_equal(out, "\xD6\x00", 2);

	assert_int_equal(cat_ber_decode(out, 3, &tag, &val, &vlen),
			 CAT_TLV_ETRAILING);
	assert_int_equal(cat_ber_decode(open_server, sizeof(open_server) - 1,
					&tag, &val, &vlen), CAT_TLV_ETRUNC);
	assert_int_equal(cat_ber_decode((const uint8_t *)"\xDF\x00", 2, &tag,
					&val, &vlen), CAT_TLV_EBADTAG);
	assert_int_equal(cat_ber_decode((const uint8_t *)"\xFF\x00", 2, &tag,
					&val, &vlen), CAT_TLV_EBADTAG);
	assert_int_equal(cat_ber_decode(NULL, 0, &tag, &val, &vlen),
			 CAT_TLV_ETRUNC);
}

static void test_truncation_is_sticky(void **state)
{
	/* Result claims 3 bytes, 2 are there. */
	static const uint8_t cut[] = { 0x81, 0x03, 0x01, 0x43, 0x00,
				       0x83, 0x03, 0x00, 0x00 };
	struct cat_tlv_reader r;
	struct cat_tlv t;

	(void)state;
	cat_tlv_reader_init(&r, cut, sizeof(cut));
	assert_int_equal(cat_tlv_next(&r, &t), 1);
	assert_int_equal(cat_tlv_next(&r, &t), CAT_TLV_ETRUNC);
	assert_int_equal(cat_tlv_next(&r, &t), CAT_TLV_ETRUNC);
	assert_int_equal(r.err, CAT_TLV_ETRUNC);
	for (size_t n = 0; n < sizeof(open_tr); n++) {
		struct cat_msg m;
		int err = cat_msg_parse_list(&m, open_tr, n);

		/* Every prefix either ends on an object boundary or is cut. */
		assert_true(err == 0 || err == CAT_TLV_ETRUNC);
	}
}

static void test_too_many_objects(void **state)
{
	uint8_t buf[2 * (CAT_MSG_MAX + 1)];
	struct cat_msg m;

	(void)state;
	for (size_t i = 0; i < sizeof(buf); i += 2) {
		buf[i] = 0x05;	/* empty alpha identifiers */
		buf[i + 1] = 0x00;
	}
	assert_int_equal(cat_msg_parse_list(&m, buf, sizeof(buf) - 2), 0);
	assert_int_equal(m.n, CAT_MSG_MAX);
	assert_int_equal(cat_msg_parse_list(&m, buf, sizeof(buf)),
			 CAT_TLV_ETOOMANY);
}

static void test_writer_never_overruns(void **state)
{
	uint8_t buf[16];
	struct cat_writer w;
	size_t mark;

	(void)state;
	memset(buf, 0xEE, sizeof(buf));
	cat_writer_init(&w, buf, 8);
	cat_put_bytes(&w, "12345", 5);
	cat_put_bytes(&w, "6789", 4);	/* does not fit */
	assert_true(w.overflow);
	assert_int_equal(w.len, 5);
	cat_put_bytes(&w, "x", 1);	/* stays stopped */
	assert_int_equal(w.len, 5);
	for (size_t i = 8; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0xEE);

	cat_writer_init(&w, buf, 8);
	mark = cat_ber_open(&w, CAT_BER_PROACTIVE);
	cat_put_buffer_size(&w, 1400);
	cat_put_buffer_size(&w, 1400);	/* 4 + 4 + 4 > 8 */
	cat_ber_close(&w, mark);
	assert_true(w.overflow);
	assert_true(w.len <= 8);
	for (size_t i = 8; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0xEE);

	cat_writer_init(&w, buf, sizeof(buf));
	cat_put_len(&w, 0x10000);
	assert_true(w.overflow);

	cat_writer_init(&w, NULL, 100);
	cat_put_bytes(&w, "a", 1);
	assert_true(w.overflow);
}

static void test_object_sizes_checked(void **state)
{
	static const uint8_t list[] = {
		0x81, 0x02, 0x01, 0x40,			/* details, 2 bytes */
		0x82, 0x01, 0x81,			/* devices, 1 byte */
		0x83, 0x00,				/* result, empty */
		0xB8, 0x03, 0x41, 0x00, 0x00,		/* status, 3 bytes */
		0xB9, 0x01, 0x05,			/* buffer size, 1 */
		0xBC, 0x02, 0x03, 0x0D,			/* transport, 2 */
		0xB7, 0x00,				/* data length, 0 */
		0xB5, 0x00,				/* bearer, empty */
		0xBE, 0x04, 0x21, 0x7F, 0x00, 0x00,	/* IPv4, 3 bytes */
		0xBE, 0x02, 0x99, 0x00,			/* unknown type */
	};
	struct cat_cmd_details det;
	struct cat_devices dev;
	struct cat_result res;
	struct cat_channel_status cs;
	struct cat_transport tr;
	struct cat_address a;
	struct cat_bearer b;
	struct cat_msg m;
	uint16_t u16;
	uint8_t u8;

	(void)state;
	assert_int_equal(cat_msg_parse_list(&m, list, sizeof(list)), 0);
	assert_int_equal(m.n, 10);
	assert_int_equal(cat_get_cmd_details(&m.tlv[0], &det), CAT_TLV_EBADVAL);
	assert_int_equal(cat_get_devices(&m.tlv[1], &dev), CAT_TLV_EBADVAL);
	assert_int_equal(cat_get_result(&m.tlv[2], &res), CAT_TLV_EBADVAL);
	assert_int_equal(cat_get_channel_status(&m.tlv[3], &cs),
			 CAT_TLV_EBADVAL);
	assert_int_equal(cat_get_buffer_size(&m.tlv[4], &u16), CAT_TLV_EBADVAL);
	assert_int_equal(cat_get_transport(&m.tlv[5], &tr), CAT_TLV_EBADVAL);
	assert_int_equal(cat_get_channel_data_len(&m.tlv[6], &u8),
			 CAT_TLV_EBADVAL);
	assert_int_equal(cat_get_bearer(&m.tlv[7], &b), CAT_TLV_EBADVAL);
	assert_int_equal(cat_get_other_address(&m.tlv[8], &a), CAT_TLV_EBADVAL);
	assert_int_equal(cat_get_other_address(&m.tlv[9], &a), CAT_TLV_EBADVAL);
	assert_string_equal(cat_tlv_strerror(CAT_TLV_EBADVAL),
			    "malformed object value");
}

static void test_client_objects_round_trip(void **state)
{
	const struct cat_address v4 = { CAT_ADDR_IPV4, 4, { 10, 0, 0, 1 } };
	struct cat_address v6 = { CAT_ADDR_IPV6, 16, { 0 } }, empty = { 0 };
	const struct cat_transport tr = { CAT_TP_TCP_CLIENT_REMOTE, true, 443 };
	const struct cat_channel_status cs = { 3, CAT_CS_ESTABLISHED,
					       CAT_CS_INFO_LINK_DROPPED };
	static const uint8_t cause = CAT_BIP_CHANNEL_CLOSED;
	struct cat_channel_status cs2;
	struct cat_transport tr2;
	struct cat_address a;
	struct cat_result res;
	struct cat_bearer b;
	struct cat_writer w;
	struct cat_msg m;
	uint8_t out[128];

	(void)state;
	v6.addr[15] = 1;
	cat_writer_init(&w, out, sizeof(out));
	cat_put_bearer(&w, CAT_BEARER_DEFAULT, NULL, 0);
	cat_put_transport(&w, &tr);
	cat_put_other_address(&w, &v4);
	cat_put_other_address(&w, &v6);
	cat_put_other_address(&w, &empty);
	cat_put_channel_status(&w, &cs);
	cat_put_result(&w, CAT_RES_BIP_ERROR, &cause, 1);
	assert_false(w.overflow);
	assert_memory_equal(out, "\xB5\x01\x03\xBC\x03\x02\x01\xBB"
			    "\xBE\x05\x21\x0A\x00\x00\x01", 15);
	assert_int_equal(cat_msg_parse_list(&m, out, w.len), 0);
	assert_int_equal(m.n, 7);
	assert_int_equal(cat_get_bearer(&m.tlv[0], &b), 0);
	assert_int_equal(b.type, CAT_BEARER_DEFAULT);
	assert_int_equal(b.params_len, 0);
	assert_int_equal(cat_get_transport(&m.tlv[1], &tr2), 0);
	assert_int_equal(tr2.port, 443);
	assert_int_equal(cat_get_other_address(&m.tlv[2], &a), 0);
	assert_memory_equal(&a, &v4, sizeof(a));
	assert_int_equal(cat_get_other_address(&m.tlv[3], &a), 0);
	assert_memory_equal(&a, &v6, sizeof(a));
	assert_int_equal(cat_get_other_address(&m.tlv[4], &a), 0);
	assert_int_equal(a.len, 0);
	assert_int_equal(cat_get_channel_status(&m.tlv[5], &cs2), 0);
	assert_memory_equal(&cs2, &cs, sizeof(cs));
	assert_memory_equal(m.tlv[5].val, "\x83\x05", 2);
	assert_int_equal(cat_get_result(&m.tlv[6], &res), 0);
	assert_int_equal(res.general, CAT_RES_BIP_ERROR);
	assert_int_equal(cat_result_cause(&res, 0), CAT_BIP_CHANNEL_CLOSED);
	/* An address of the wrong size cannot be written. */
	cat_writer_init(&w, out, sizeof(out));
	cat_put_other_address(&w, &(struct cat_address){ .type = CAT_ADDR_IPV4,
							  .len = 16 });
	assert_true(w.overflow);
}

/* Service record (TS 102 223 8.63) in a Local connection event: bytes as
 * docs/device-management.md gives them, and the size checks. */
static void test_service_record(void **state)
{
	static const uint8_t want[] = {
		0xD6, 0x13, 0x99, 0x01, 0x0D, 0x82, 0x02, 0x82, 0x81,
		0xC1, 0x0A, 0x00, 0x00, 's', 'c', 'w', 's', '-', 'd', 'm', 'c',
	};
	static const uint8_t ev = CAT_EV_LOCAL_CONNECTION;
	static const uint8_t one[] = { 0x41, 0x01, 0x00 };
	struct cat_service_record r;
	struct cat_writer w;
	struct cat_msg m;
	uint8_t out[64];
	size_t mark;

	(void)state;
	cat_writer_init(&w, out, sizeof(out));
	mark = cat_ber_open(&w, CAT_BER_EVENT);
	cat_put_event_list(&w, &ev, 1);
	cat_put_devices(&w, CAT_DEV_TERMINAL, CAT_DEV_UICC);
	cat_put_service_record(&w, CAT_LOCAL_BEARER_ANY, 0, (const uint8_t *)"scws-dmc", 8);
	cat_ber_close(&w, mark);
	assert_false(w.overflow);
	assert_int_equal(w.len, sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(cat_msg_parse(&m, out, w.len), 0);
	assert_int_equal(cat_get_service_record(cat_msg_find(&m, CAT_TAG_SERVICE_RECORD, 0), &r), 0);
	assert_int_equal(r.bearer, 0);
	assert_int_equal(r.service_id, 0);
	assert_int_equal(r.record_len, 8);
	assert_memory_equal(r.record, "scws-dmc", 8);
	/* no record bytes: valid (the client went away) */
	cat_writer_init(&w, out, sizeof(out));
	cat_put_service_record(&w, CAT_LOCAL_BEARER_ANY, 0, NULL, 0);
	assert_memory_equal(out, "\xC1\x02\x00\x00", 4);
	/* one byte is too short for bearer + service identifier */
	assert_int_equal(cat_msg_parse_list(&m, one, sizeof(one)), 0);
	assert_int_equal(cat_get_service_record(&m.tlv[0], &r), CAT_TLV_EBADVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_open_channel),
		cmocka_unit_test(test_encode_open_channel),
		cmocka_unit_test(test_decode_terminal_response),
		cmocka_unit_test(test_close_and_receive_examples),
		cmocka_unit_test(test_event_envelopes),
		cmocka_unit_test(test_cr_forms_equal),
		cmocka_unit_test(test_three_byte_tags),
		cmocka_unit_test(test_invalid_tags),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_long_values_use_81),
		cmocka_unit_test(test_ber_lengths_and_errors),
		cmocka_unit_test(test_truncation_is_sticky),
		cmocka_unit_test(test_too_many_objects),
		cmocka_unit_test(test_writer_never_overruns),
		cmocka_unit_test(test_object_sizes_checked),
		cmocka_unit_test(test_client_objects_round_trip),
		cmocka_unit_test(test_service_record),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
