// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/lib/se-apdu.c tools/lib/se-proto.c
/*
 * The APDU classifier (cases 1-4 short and extended, malformed lengths,
 * every refused command, class bytes for channels 0-19 in both codings)
 * and the service's message parser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "se-apdu.h"
#include "se-proto.h"

static enum se_apdu_verdict check(const char *hex, unsigned int chan,
				  struct se_apdu *a)
{
	static uint8_t buf[300];
	size_t n = strlen(hex) / 2;

	for (size_t i = 0; i < n; i++) {
		unsigned int v;

		sscanf(hex + 2 * i, "%2x", &v);
		buf[i] = (uint8_t)v;
	}
	return se_apdu_check(buf, n, chan, a);
}

static void cases(void **state)
{
	struct se_apdu a;
	static const uint8_t ext[] = { 0x80, 0x01, 0, 0, 0x00, 0x00, 0x02,
				       0xAA, 0xBB, 0x01, 0x00 };

	(void)state;
	assert_int_equal(check("80030000", 1, &a), SE_APDU_OK);
	assert_int_equal(a.nc, 0);
	assert_int_equal(a.ne, 0);
	assert_int_equal(check("8003000000", 1, &a), SE_APDU_OK);
	assert_int_equal(a.ne, 256);
	assert_int_equal(check("8001000002AABB", 1, &a), SE_APDU_OK);
	assert_int_equal(a.nc, 2);
	assert_int_equal(a.ne, 0);
	assert_int_equal(check("8001000002AABB10", 1, &a), SE_APDU_OK);
	assert_int_equal(a.ne, 16);
	assert_int_equal(se_apdu_check(ext, sizeof(ext), 2, &a), SE_APDU_OK);
	assert_true(a.extended);
	assert_int_equal(a.nc, 2);
	assert_int_equal(a.ne, 256);
	assert_int_equal(check("800300000000", 1, &a), SE_APDU_MALFORMED);
	assert_int_equal(check("80030000000100", 1, &a), SE_APDU_OK);
	assert_int_equal(a.ne, 256);
	assert_int_equal(check("8001000003AABB", 1, &a), SE_APDU_MALFORMED);
	assert_int_equal(check("800100", 1, &a), SE_APDU_MALFORMED);
	assert_int_equal(check("8001000002AABB1011", 1, &a), SE_APDU_MALFORMED);
	assert_int_equal(check("80010000000000", 1, &a), SE_APDU_OK);
	assert_int_equal(a.ne, 65536);	/* case 2E, Le 00 00 */
	assert_int_equal(check("800100000000", 1, &a), SE_APDU_MALFORMED);
}

static void refused(void **state)
{
	struct se_apdu a;

	(void)state;
	assert_int_equal(check("80100000", 1, &a), SE_APDU_TOOLKIT);
	assert_int_equal(check("8012000010", 1, &a), SE_APDU_TOOLKIT);
	assert_int_equal(check("8014000003810301", 1, &a), SE_APDU_TOOLKIT);
	assert_int_equal(check("80C2000003D60100", 1, &a), SE_APDU_TOOLKIT);
	assert_int_equal(check("0070000001", 1, &a), SE_APDU_MANAGE_CHANNEL);
	assert_int_equal(check("01708001", 1, &a), SE_APDU_MANAGE_CHANNEL);
	assert_int_equal(check("00A4040009A00000015141434C00", 1, &a),
			 SE_APDU_SELECT_APP);
	assert_int_equal(check("00A40004023F00", 1, &a), SE_APDU_SELECT_MF);
	assert_int_equal(check("00A4000C", 1, &a), SE_APDU_SELECT_MF);
	assert_int_equal(check("00A40300", 1, &a), SE_APDU_SELECT_MF);
	assert_int_equal(check("00A40804", 1, &a), SE_APDU_SELECT_MF);
	assert_int_equal(check("00A40004026F07", 1, &a), SE_APDU_OK);
	assert_int_equal(check("00A40804047FFF6F07", 1, &a), SE_APDU_OK);
	assert_int_equal(check("80600000", 1, &a), SE_APDU_BAD_INS);
	assert_int_equal(check("80900000", 1, &a), SE_APDU_BAD_INS);
	assert_int_equal(check("A0A40000023F00", 1, &a), SE_APDU_BAD_CLA);
	assert_int_equal(check("20010000", 1, &a), SE_APDU_BAD_CLA);
	assert_int_equal(check("FF010000", 1, &a), SE_APDU_BAD_CLA);
	assert_int_equal(check("83030000", 1, &a), SE_APDU_FOREIGN_CHANNEL);
	assert_int_equal(check("C1030000", 6, &a), SE_APDU_FOREIGN_CHANNEL);
	assert_int_equal(check("80030000", 0, &a), SE_APDU_FOREIGN_CHANNEL);
	/* SM '01' (proprietary) has no further-coding counterpart */
	assert_int_equal(check("84030000", 5, &a), SE_APDU_BAD_CLA);
}

static void class_bytes(void **state)
{
	struct se_apdu a;
	uint8_t cla;

	(void)state;
	assert_int_equal(check("80030000", 3, &a), SE_APDU_OK);
	assert_int_equal(a.cla, 0x83);
	assert_int_equal(check("80030000", 4, &a), SE_APDU_OK);
	assert_int_equal(a.cla, 0xC0);
	assert_int_equal(check("00030000", 19, &a), SE_APDU_OK);
	assert_int_equal(a.cla, 0x4F);
	assert_int_equal(check("88030000", 7, &a), SE_APDU_OK);
	assert_int_equal(a.cla, 0xE3);		/* SM '10' -> further SM bit */
	assert_int_equal(check("E3030000", 7, &a), SE_APDU_OK);
	assert_int_equal(a.cla, 0xE3);
	assert_int_equal(check("90030000", 2, &a), SE_APDU_OK);
	assert_int_equal(a.cla, 0x92);		/* chaining kept */
	assert_true(se_apdu_cla_for(0xE3, 1, &cla));
	assert_int_equal(cla, 0x89);
	assert_int_equal(se_apdu_cla_channel(0x03), 3);
	assert_int_equal(se_apdu_cla_channel(0x4F), 19);
	assert_int_equal(se_apdu_cla_channel(0xA0), -1);
	assert_false(se_apdu_cla_for(0x00, 20, &cla));
	assert_false(se_apdu_cla_for(0x98, 19, &cla));	/* would be FF */
	for (unsigned int ch = 0; ch <= SE_APDU_MAX_CHANNEL; ch++) {
		assert_true(se_apdu_cla_for(0x80, ch, &cla));
		assert_int_equal(se_apdu_cla_channel(cla), (int)ch);
	}
}

static size_t msg(uint8_t *out, uint8_t version, uint8_t op,
		  const char *body_hex)
{
	size_t n = strlen(body_hex) / 2;

	se_proto_header(out, op, n);
	out[0] = version;
	for (size_t i = 0; i < n; i++) {
		unsigned int v;

		sscanf(body_hex + 2 * i, "%2x", &v);
		out[SE_PROTO_HDR + i] = (uint8_t)v;
	}
	return SE_PROTO_HDR + n;
}

static void protocol(void **state)
{
	uint8_t b[64];
	struct se_msg m;
	size_t n;

	(void)state;
	n = msg(b, 1, SE_OP_LIST, "");
	assert_int_equal(se_proto_parse_request(b, n, &m), 0);
	n = msg(b, 1, SE_OP_OPEN_SESSION, "53494D31");
	assert_int_equal(se_proto_parse_request(b, n, &m), 0);
	assert_int_equal(m.len, 4);
	n = msg(b, 1, SE_OP_OPEN_LOGICAL, "0004F05343575354455354");
	assert_int_equal(se_proto_parse_request(b, n, &m), 0);
	assert_int_equal(m.handle, 0);
	assert_int_equal(m.p2, 4);
	assert_int_equal(m.len, 9);
	n = msg(b, 1, SE_OP_OPEN_LOGICAL, "0000");
	assert_int_equal(se_proto_parse_request(b, n, &m), 0);
	assert_int_equal(m.len, 0);
	n = msg(b, 1, SE_OP_OPEN_LOGICAL, "0000F053");
	assert_int_equal(se_proto_parse_request(b, n, &m), SE_ERR_REQUEST);
	n = msg(b, 1, SE_OP_TRANSMIT, "0180030000");
	assert_int_equal(se_proto_parse_request(b, n, &m), 0);
	assert_int_equal(m.handle, 1);
	assert_int_equal(m.len, 4);
	n = msg(b, 1, SE_OP_TRANSMIT, "01800300");
	assert_int_equal(se_proto_parse_request(b, n, &m), SE_ERR_REQUEST);
	n = msg(b, 1, SE_OP_CLOSE_CHANNEL, "0102");
	assert_int_equal(se_proto_parse_request(b, n, &m), SE_ERR_REQUEST);
	n = msg(b, 2, SE_OP_LIST, "");
	assert_int_equal(se_proto_parse_request(b, n, &m), SE_ERR_VERSION);
	n = msg(b, 1, 0x7E, "");
	assert_int_equal(se_proto_parse_request(b, n, &m), SE_ERR_REQUEST);
	n = msg(b, 1, SE_OP_OPEN_SESSION, "53490A31");
	assert_int_equal(se_proto_parse_request(b, n, &m), SE_ERR_REQUEST);
	/* framing errors drop the connection */
	n = msg(b, 1, SE_OP_LIST, "00");
	assert_int_equal(se_proto_parse_request(b, n - 1, &m), -1);
	assert_int_equal(se_proto_parse_request(b, 3, &m), -1);
	n = msg(b, 1, SE_OP_LIST | SE_PROTO_ANSWER, "");
	assert_int_equal(se_proto_parse_request(b, n, &m), -1);
	/* answers */
	n = msg(b, 1, SE_OP_TRANSMIT | SE_PROTO_ANSWER, "00AA9000");
	assert_int_equal(se_proto_parse_answer(b, n, SE_OP_TRANSMIT, &m), 0);
	assert_int_equal(m.status, SE_OK);
	assert_int_equal(m.len, 3);
	assert_int_equal(se_proto_parse_answer(b, n, SE_OP_LIST, &m), -1);
	n = msg(b, 1, SE_OP_TRANSMIT | SE_PROTO_ANSWER, "");
	assert_int_equal(se_proto_parse_answer(b, n, SE_OP_TRANSMIT, &m), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cases),
		cmocka_unit_test(refused),
		cmocka_unit_test(class_bytes),
		cmocka_unit_test(protocol),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
