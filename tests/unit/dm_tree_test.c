// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/scws-dmc/dm-tree.c tools/scws-dmc/dm-exec.c tools/lib/dm-out.c tools/lib/dm-syncml.c tools/scws-dmc/dm-semo.c tools/scws-dmc/dm-semo-script.c tools/lib/dm-auth.c tools/lib/scws-se.c tools/lib/se-proto.c tools/lib/dm-xml.c
// libs: -I/usr/include/libxml2 -lxml2 -lcrypto
/*
 * dm_tree_test.c - the management tree: URIs, add/replace/delete, ACL
 * inheritance, the XML file (atomic save, reload, refusal of bad files),
 * and the management commands' status codes on it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../tools/scws-dmc/dm-exec.h"
#include "../../tools/scws-dmc/dm-tree.h"

static struct dm_node *sample(void)
{
	struct dm_node *t = dm_tree_new(), *n;

	assert_int_equal(dm_tree_add(t, "./DevInfo", "node", NULL, NULL, &n), DM_TREE_OK);
	n->acl = strdup("Get=*");
	assert_int_equal(dm_tree_add(t, "./DevInfo/DevId", "chr", "text/plain", "IMEI:1", NULL),
			 DM_TREE_OK);
	assert_int_equal(dm_tree_add(t, "./DMAcc/a/ServerID", "chr", NULL, "a", NULL), DM_TREE_OK);
	n = dm_tree_find(t, "./DMAcc/a");
	n->acl = strdup("Get=a&Replace=a+b&Delete=a&Add=a");
	return t;
}

static void uris(void **state)
{
	(void)state;
	assert_true(dm_uri_valid("."));
	assert_true(dm_uri_valid("./A/B"));
	assert_false(dm_uri_valid(""));
	assert_false(dm_uri_valid("./"));
	assert_false(dm_uri_valid("./A//B"));
	assert_false(dm_uri_valid("./A/"));
	assert_false(dm_uri_valid("./A/../B"));
	assert_false(dm_uri_valid("A/B"));
	assert_false(dm_uri_valid("./A?list=Struct"));
	assert_false(dm_uri_valid("./A B"));
}

static void add_find_replace_delete(void **state)
{
	struct dm_node *t = sample(), *n;
	char uri[64];

	(void)state;
	n = dm_tree_find(t, "./DMAcc/a/ServerID");
	assert_non_null(n);
	assert_int_equal(dm_node_uri(n, uri, sizeof(uri)), 0);
	assert_string_equal(uri, "./DMAcc/a/ServerID");
	assert_string_equal(dm_tree_find(t, "./DMAcc/a")->format, "node");
	assert_int_equal(dm_tree_add(t, "./DMAcc/a/ServerID", "chr", NULL, "x", NULL),
			 DM_TREE_EXISTS);
	assert_int_equal(dm_tree_add(t, "./DMAcc/a/ServerID/x", "chr", NULL, "x", NULL),
			 DM_TREE_PARENT_LEAF);
	assert_int_equal(dm_tree_replace(n, NULL, NULL, "b"), DM_TREE_OK);
	assert_string_equal(n->value, "b");
	assert_int_equal(dm_tree_replace(dm_tree_find(t, "./DMAcc"), NULL, NULL, "v"),
			 DM_TREE_PARENT_LEAF);
	char *l = dm_node_child_list(dm_tree_find(t, "."));

	assert_string_equal(l, "DevInfo/DMAcc");
	free(l);
	dm_tree_delete(dm_tree_find(t, "./DMAcc"));
	assert_null(dm_tree_find(t, "./DMAcc/a/ServerID"));
	dm_tree_free(t);
}

static void acl_inheritance(void **state)
{
	struct dm_node *t = sample();
	struct dm_node *id = dm_tree_find(t, "./DMAcc/a/ServerID");

	(void)state;
	assert_true(dm_acl_allows(id, "Get", "a"));
	assert_false(dm_acl_allows(id, "Get", "b"));
	assert_true(dm_acl_allows(id, "Replace", "b"));
	assert_false(dm_acl_allows(id, "Exec", "a"));
	assert_true(dm_acl_allows(dm_tree_find(t, "./DevInfo/DevId"), "Get", "anyone"));
	assert_false(dm_acl_allows(dm_tree_find(t, "./DevInfo/DevId"), "Replace", "a"));
	/* "Get=ab" is not "Get=a" */
	free(id->acl);
	id->acl = strdup("Get=ab&Gett=a");
	assert_false(dm_acl_allows(id, "Get", "a"));
	dm_tree_free(t);
}

static void save_and_reload(void **state)
{
	char dir[] = "/tmp/dm-tree-test.XXXXXX", path[64], err[128];
	struct dm_node *t = sample(), *r;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/tree.xml", dir);
	dm_tree_replace(dm_tree_find(t, "./DevInfo/DevId"), NULL, NULL, "<&\"'>");
	assert_int_equal(dm_tree_save(t, path), 0);
	r = dm_tree_load(path, err, sizeof(err));
	assert_non_null(r);
	assert_string_equal(dm_tree_find(r, "./DevInfo/DevId")->value, "<&\"'>");
	assert_string_equal(dm_tree_find(r, "./DevInfo/DevId")->type, "text/plain");
	assert_string_equal(dm_tree_find(r, "./DMAcc/a")->acl,
			    "Get=a&Replace=a+b&Delete=a&Add=a");
	assert_string_equal(r->acl, "Get=*");
	dm_tree_free(r);
	dm_tree_free(t);
	unlink(path);
	assert_null(dm_tree_load(path, err, sizeof(err)));
	rmdir(dir);
}

static void bad_files(void **state)
{
	static const char *const bad[] = {
		"", "<x/>", "<MgmtTree><Node name='a' format='node'>",
		"<MgmtTree><Node format='chr'/></MgmtTree>",
		"<MgmtTree><Node name='..' format='chr'/></MgmtTree>",
		"<MgmtTree><Node name='a/b' format='chr'/></MgmtTree>",
		"<MgmtTree><Node name='a'/><Node name='a'/></MgmtTree>",
		"<MgmtTree><Node name='a' format='chr'><Node name='b'/></Node></MgmtTree>",
	};
	char err[128];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		err[0] = '\0';
		assert_null(dm_tree_parse(bad[i], strlen(bad[i]), err, sizeof(err)));
		assert_true(err[0] != '\0');
	}
}

/* Run one server command on the tree; the Status code of its first item. */
static int run(struct dm_node *t, const char *sid, const char *xml_cmd)
{
	char msg[2048], err[128];
	struct dm_msg m;

	snprintf(msg, sizeof(msg),
		 "<SyncML xmlns='SYNCML:SYNCML1.2'><SyncHdr><VerDTD>1.2</VerDTD>"
		 "<VerProto>DM/1.2</VerProto><SessionID>1</SessionID><MsgID>2</MsgID>"
		 "<Target><LocURI>dev</LocURI></Target><Source><LocURI>srv</LocURI>"
		 "</Source></SyncHdr><SyncBody>%s<Final/></SyncBody></SyncML>", xml_cmd);
	assert_int_equal(dm_msg_parse(msg, strlen(msg), &m, err, sizeof(err)), 0);
	assert_int_equal(m.ncmds, 1);
	struct dm_out *o = dm_out_begin("1", 2, "http://x", "dev", NULL);

	dm_exec_cmd(t, sid, m.msgid, &m.cmds[0], o);
	size_t len;
	char *out = dm_out_end(o, 1, &len);
	struct dm_msg r;

	assert_int_equal(dm_msg_parse(out, len, &r, err, sizeof(err)), 0);
	free(out);
	assert_true(r.ncmds >= 1);
	assert_int_equal(r.cmds[0].kind, DM_CMD_STATUS);
	assert_string_equal(r.cmds[0].cmdref, m.cmds[0].cmdid);
	int code = atoi(r.cmds[0].data);

	dm_msg_free(&r);
	dm_msg_free(&m);
	return code;
}

#define ITEM(cmd, uri, rest) \
	"<" cmd "><CmdID>7</CmdID><Item><Target><LocURI>" uri "</LocURI></Target>" \
	rest "</Item></" cmd ">"

static void command_codes(void **state)
{
	struct dm_node *t = sample();

	(void)state;
	assert_int_equal(run(t, "a", ITEM("Get", "./DMAcc/a/ServerID", "")), 200);
	assert_int_equal(run(t, "b", ITEM("Get", "./DMAcc/a/ServerID", "")), 425);
	assert_int_equal(run(t, "a", ITEM("Get", "./Nope", "")), 404);
	assert_int_equal(run(t, "a", ITEM("Get", "./A/../B", "")), 400);
	assert_int_equal(run(t, "b", ITEM("Replace", "./DMAcc/a/ServerID", "<Data>z</Data>")), 200);
	assert_string_equal(dm_tree_find(t, "./DMAcc/a/ServerID")->value, "z");
	assert_int_equal(run(t, "a", ITEM("Replace", "./DMAcc/a", "<Data>z</Data>")), 405);
	assert_int_equal(run(t, "a", ITEM("Add", "./DMAcc/a/ServerID", "<Data>z</Data>")), 418);
	assert_int_equal(run(t, "a", ITEM("Add", "./DMAcc/a/X/Y", "<Data>y</Data>")), 200);
	assert_string_equal(dm_tree_find(t, "./DMAcc/a/X/Y")->value, "y");
	assert_int_equal(run(t, "b", ITEM("Add", "./DMAcc/a/Z", "<Data>y</Data>")), 425);
	assert_int_equal(run(t, "a", ITEM("Exec", "./DMAcc/a/X/Y", "")), 425);
	assert_int_equal(run(t, "b", ITEM("Delete", "./DMAcc/a/X", "")), 425);
	assert_int_equal(run(t, "a", ITEM("Delete", "./DMAcc/a/X", "")), 200);
	assert_null(dm_tree_find(t, "./DMAcc/a/X"));
	assert_int_equal(run(t, "a", ITEM("Copy", "./DMAcc/a", "")), 406);
	assert_int_equal(run(t, "a", "<Atomic><CmdID>7</CmdID></Atomic>"), 406);
	dm_tree_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uris),
		cmocka_unit_test(add_find_replace_delete),
		cmocka_unit_test(acl_inheritance),
		cmocka_unit_test(save_and_reload),
		cmocka_unit_test(bad_files),
		cmocka_unit_test(command_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
