// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/lib/dm-syncml.c tools/lib/dm-out.c tools/lib/dm-xml.c
// libs: -I/usr/include/libxml2 -lxml2
/*
 * dm_syncml_test.c - SyncML DM messages: a server package with Cred,
 * Status/Chal and commands is read field by field (namespaced or not);
 * malformed and out-of-bounds messages are refused with a reason; what
 * the client writes reads back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../tools/lib/dm-out.h"
#include "../../tools/lib/dm-syncml.h"

#define HDR(extra) \
	"<SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>" \
	"<SessionID>2A</SessionID><MsgID>1</MsgID><Target><LocURI>IMEI:1</LocURI>" \
	"</Target><Source><LocURI>srv</LocURI></Source>" extra "</SyncHdr>"

static const char server_pkg[] =
	"<?xml version='1.0'?><SyncML xmlns='SYNCML:SYNCML1.2'>"
	HDR("<RespURI>http://x/2</RespURI><Cred><Meta><Type xmlns='syncml:metinf'>"
	    "syncml:auth-md5</Type><Format xmlns='syncml:metinf'>b64</Format></Meta>"
	    "<Data> QUJD </Data></Cred>")
	"<SyncBody><Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef>"
	"<Cmd>SyncHdr</Cmd><Chal><Meta><NextNonce xmlns='syncml:metinf'>bm9uY2U=</NextNonce>"
	"</Meta></Chal><Data>212</Data></Status>"
	"<Replace><CmdID>2</CmdID><Meta><Format xmlns='syncml:metinf'>int</Format></Meta>"
	"<Item><Target><LocURI>./A/B</LocURI></Target><Data>5</Data></Item>"
	"<Item><Target><LocURI>./A/C</LocURI></Target><Meta><Format>chr</Format></Meta>"
	"<Data>x</Data></Item></Replace>"
	"<Alert><CmdID>3</CmdID><Data>1222</Data></Alert>"
	"<Frobnicate><CmdID>4</CmdID></Frobnicate>"
	"<Final/></SyncBody></SyncML>";

static void reads_a_server_package(void **state)
{
	struct dm_msg m;
	char err[128];

	(void)state;
	assert_int_equal(dm_msg_parse(server_pkg, strlen(server_pkg), &m, err, sizeof(err)), 0);
	assert_string_equal(m.sessionid, "2A");
	assert_string_equal(m.source, "srv");
	assert_string_equal(m.respuri, "http://x/2");
	assert_string_equal(m.cred_type, "syncml:auth-md5");
	assert_string_equal(m.cred_data, "QUJD");
	assert_true(m.final);
	assert_int_equal(m.ncmds, 4);
	assert_int_equal(m.cmds[0].kind, DM_CMD_STATUS);
	assert_string_equal(m.cmds[0].chal_nonce, "bm9uY2U=");
	assert_string_equal(m.cmds[0].data, "212");
	assert_int_equal(m.cmds[1].kind, DM_CMD_REPLACE);
	assert_int_equal(m.cmds[1].nitems, 2);
	assert_string_equal(m.cmds[1].items[0].format, "int");	/* the command's Meta */
	assert_string_equal(m.cmds[1].items[1].format, "chr");	/* the item's own */
	assert_string_equal(m.cmds[1].items[1].target, "./A/C");
	assert_int_equal(m.cmds[2].kind, DM_CMD_ALERT);
	assert_int_equal(m.cmds[3].kind, DM_CMD_OTHER);
	assert_string_equal(m.cmds[3].name, "Frobnicate");
	dm_msg_free(&m);
}

static void refuses_bad_messages(void **state)
{
	static const char *const bad[] = {
		"", "<SyncML>", "<notSyncML/>", "<SyncML><SyncBody/></SyncML>",
		"<SyncML>" HDR("") "</SyncML>",
		"<SyncML><SyncHdr><VerDTD>1.1</VerDTD></SyncHdr><SyncBody/></SyncML>",
		"<SyncML>" HDR("<Cred/>") "<SyncBody/></SyncML>",
		"<SyncML>" HDR("") "<SyncBody><Get><Item/></Get></SyncBody></SyncML>",
		"<SyncML>" HDR("") "<SyncBody><Status><CmdID>1</CmdID></Status></SyncBody></SyncML>",
		"<SyncML>" HDR("") "<SyncBody><Alert><CmdID>1</CmdID></Alert></SyncBody></SyncML>",
		"<SyncML>" HDR("") "<SyncBody><Final/><Get><CmdID>1</CmdID></Get></SyncBody></SyncML>",
		"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><SyncML>" HDR("")
		"<SyncBody><Get><CmdID>&e;</CmdID></Get></SyncBody></SyncML>",
		"<!DOCTYPE SyncML [<!ENTITY a 'aaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;'>"
		"<!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;'>]><SyncML>" HDR("")
		"<SyncBody><Get><CmdID>&c;</CmdID><Item><Target><LocURI>./A</LocURI></Target>"
		"</Item></Get></SyncBody></SyncML>",
	};
	struct dm_msg m;
	char err[128];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		err[0] = '\0';
		assert_int_equal(dm_msg_parse(bad[i], strlen(bad[i]), &m, err, sizeof(err)), -1);
		assert_true(err[0] != '\0');
	}
}

static void accepts_the_public_doctype(void **state)
{
	static const char msg[] =
		"<!DOCTYPE SyncML PUBLIC '-//SYNCML//DTD SyncML 1.2//EN' "
		"'http://www.openmobilealliance.org/tech/DTD/OMA-TS-SyncML_RepPro_DTD-V1_2.dtd'>"
		"<SyncML>" HDR("") "<SyncBody><Final/></SyncBody></SyncML>";
	struct dm_msg m;
	char err[128];

	(void)state;
	assert_int_equal(dm_msg_parse(msg, strlen(msg), &m, err, sizeof(err)), 0);
	assert_int_equal(m.ncmds, 0);
	dm_msg_free(&m);
}

static void refuses_too_many_commands(void **state)
{
	size_t size = 64 * (DM_MSG_MAX_CMDS + 2) + 512, len;
	char *buf = malloc(size);
	struct dm_msg m;
	char err[128];

	(void)state;
	len = (size_t)snprintf(buf, size, "<SyncML>" HDR("") "<SyncBody>");
	for (int i = 0; i <= DM_MSG_MAX_CMDS; i++)
		len += (size_t)snprintf(buf + len, size - len,
					"<Alert><CmdID>%d</CmdID><Data>1100</Data></Alert>", i);
	len += (size_t)snprintf(buf + len, size - len, "</SyncBody></SyncML>");
	assert_int_equal(dm_msg_parse(buf, len, &m, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "commands"));
	free(buf);
}

static void client_message_reads_back(void **state)
{
	struct dm_out *o = dm_out_begin("2A", 3, "http://srv/dm", "IMEI:1", "Y3JlZA==");
	struct dm_msg m;
	char err[128];
	size_t len;

	(void)state;
	dm_out_status(o, "1", "0", "SyncHdr", "IMEI:1", "srv", 212, "bmV4dA==");
	dm_out_results(o, "1", "4", "./DevInfo/DevId", "chr", "text/plain", "<IMEI:1>");
	dm_out_alert(o, 1226, NULL, "chr", "org.example", "data");
	char *xml = dm_out_end(o, 1, &len);

	assert_int_equal(dm_msg_parse(xml, len, &m, err, sizeof(err)), 0);
	assert_string_equal(m.cred_data, "Y3JlZA==");
	assert_string_equal(m.target, "http://srv/dm");
	assert_int_equal(m.ncmds, 3);
	assert_string_equal(m.cmds[0].chal_nonce, "bmV4dA==");
	assert_int_equal(m.cmds[1].kind, DM_CMD_RESULTS);
	assert_string_equal(m.cmds[1].items[0].data, "<IMEI:1>");
	assert_string_equal(m.cmds[1].items[0].source, "./DevInfo/DevId");
	assert_string_equal(m.cmds[2].data, "1226");
	assert_string_equal(m.cmds[2].items[0].type, "org.example");
	assert_true(m.final);
	dm_msg_free(&m);
	free(xml);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_a_server_package),
		cmocka_unit_test(refuses_bad_messages),
		cmocka_unit_test(accepts_the_public_doctype),
		cmocka_unit_test(refuses_too_many_commands),
		cmocka_unit_test(client_message_reads_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
