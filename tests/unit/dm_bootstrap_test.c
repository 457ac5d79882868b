// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/scws-dmc/dm-p15.c tools/scws-dmc/dm-tnds.c tools/scws-dmc/dm-bootstrap.c tools/scws-dmc/dm-card.c tools/scws-dmc/dm-tree.c tools/scws-dmc/dm-account.c tools/lib/dm-auth.c tools/lib/scws-se.c tools/lib/se-proto.c tools/lib/arf-rules.c tools/lib/seac-rules.c tools/lib/ber.c card-sim/dm/bootstrap_file.c card-sim/dm/dm_identity.c card-sim/arf/arf_files.c tools/lib/dm-xml.c
// libs: -I/usr/include/libxml2 -lxml2 -lcrypto
/*
 * Bootstrap from the card without the card: scws-card's PKCS#15 files
 * (with and without GP's access rule files) read back by scws-dmc's
 * walk give the card's TNDS; the DODF and Path cases of PKCS#15 (index
 * and length, padding, other objects, wrong tags, a cut EF); the TNDS
 * parser's refusals; the install (a second time, partly there, default
 * ACL).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arf/arf.h"
#include "arf-rules.h"
#include "dm/bootstrap_file.h"
#include "hex.h"
#include "../../tools/scws-dmc/dm-account.h"
#include "../../tools/scws-dmc/dm-bootstrap.h"
#include "../../tools/scws-dmc/dm-p15.h"
#include "../../tools/scws-dmc/dm-tnds.h"
#include "arf_test_files.h"

static void walk_gives(struct arf_files *f)
{
	char tnds[4096], why[256];
	int n = dm_boot_tnds(tnds, sizeof(tnds));
	uint8_t *data = NULL;
	size_t len;

	assert_true(n > 1000);
	assert_int_equal(dm_p15_read_bootstrap(rd, f, &data, &len, why,
					       sizeof(why)), 0);
	assert_int_equal(len, (size_t)n);
	assert_memory_equal(data, tnds, len);
	free(data);
}

/* The card's application alone (--access-rules aram). */
static void card_files_bare(void **state)
{
	struct arf_files f;

	(void)state;
	assert_int_equal(arf_files_build_bare(&f), 0);
	assert_int_equal(arf_files_add_object(&f, dm_boot_object()), 0);
	walk_gives(&f);
	/* the same object twice is refused */
	assert_int_equal(arf_files_add_object(&f, dm_boot_object()), -1);
	arf_files_free(&f);
}

/* Next to GP's access rule files: both walks find their object. */
static void card_files_with_arf(void **state)
{
	static const uint8_t tag[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct arf_files f;
	struct seac_rules rs;
	uint8_t got[8];
	char why[256];

	(void)state;
	assert_int_equal(arf_files_build(NULL, 0, tag, false, &f), 0);
	assert_int_equal(arf_files_add_object(&f, dm_boot_object()), 0);
	walk_gives(&f);
	assert_int_equal(arf_read_rules(rd, &f, &rs, got, NULL, why,
					sizeof(why)), 0);
	assert_memory_equal(got, tag, 8);
	seac_rules_free(&rs);
	arf_files_free(&f);
}

static int dodf(const char *hex, struct dm_p15_ref *r)
{
	uint8_t b[256];
	char why[128];
	size_t n = unhex(hex, b);
	int rc = dm_p15_parse_dodf(b, n, r, why, sizeof(why));

	if (rc == -EBADMSG)
		assert_true(strstr(why, "offset ") == why);
	return rc;
}

static void dodf_entries(void **state)
{
	struct dm_p15_ref r;

	(void)state;
	/* whole file, then padding */
	assert_int_equal(dodf("A1 14 30 00 30 00 A1 0E 30 0C 06 04 67 2B 07 01 30 04 04 02 44 00 FF FF 00", &r), 0);
	assert_int_equal(r.path.len, 2);
	assert_false(r.part);
	/* index and length (a two-byte length with a leading 00 for 0x80) */
	assert_int_equal(dodf("A1 1B 30 00 30 00 A1 15 30 13 06 04 67 2B 07 01 30 0B 04 02 44 00 02 01 05 80 02 00 80", &r), 0);
	assert_true(r.part);
	assert_int_equal(r.index, 5);
	assert_int_equal(r.length, 128);
	/* an opaqueDO and another OID before it are passed over */
	assert_int_equal(dodf("30 02 05 00 A1 14 30 00 30 00 A1 0E 30 0C 06 04 67 2B 07 02 30 04 04 02 45 00 "
			      "A1 14 30 00 30 00 A1 0E 30 0C 06 04 67 2B 07 01 30 04 04 02 44 00", &r), 0);
	assert_int_equal(r.path.b[0], 0x44);
	/* none of ours */
	assert_int_equal(dodf("A1 14 30 00 30 00 A1 0E 30 0C 06 04 67 2B 07 02 30 04 04 02 45 00", &r), -ENOENT);
	assert_int_equal(dodf("", &r), -ENOENT);
	/* two of ours */
	assert_int_equal(dodf("A1 14 30 00 30 00 A1 0E 30 0C 06 04 67 2B 07 01 30 04 04 02 44 00 "
			      "A1 14 30 00 30 00 A1 0E 30 0C 06 04 67 2B 07 01 30 04 04 02 44 01", &r), -EBADMSG);
	/* wrong tags: the Path, the type attributes, the object itself */
	assert_int_equal(dodf("A1 14 30 00 30 00 A1 0E 30 0C 06 04 67 2B 07 01 31 04 04 02 44 00", &r), -EBADMSG);
	assert_int_equal(dodf("A1 14 30 00 30 00 A2 0E 30 0C 06 04 67 2B 07 01 30 04 04 02 44 00", &r), -EBADMSG);
	assert_int_equal(dodf("A5 14 30 00 30 00 A1 0E 30 0C 06 04 67 2B 07 01 30 04 04 02 44 00", &r), -EBADMSG);
	/* cut short, data after the padding, odd path, index alone */
	assert_int_equal(dodf("A1 14 30 00 30 00 A1 0E 30 0C 06 04 67 2B 07 01 30 04 04 02 44", &r), -EBADMSG);
	assert_int_equal(dodf("A1 14 30 00 30 00 A1 0E 30 0C 06 04 67 2B 07 01 30 04 04 02 44 00 FF 30", &r), -EBADMSG);
	assert_int_equal(dodf("A1 13 30 00 30 00 A1 0D 30 0B 06 04 67 2B 07 01 30 03 04 01 44", &r), -EBADMSG);
	assert_int_equal(dodf("A1 17 30 00 30 00 A1 11 30 0F 06 04 67 2B 07 01 30 07 04 02 44 00 02 01 00", &r), -EBADMSG);
	/* a negative length */
	assert_int_equal(dodf("A1 1A 30 00 30 00 A1 14 30 12 06 04 67 2B 07 01 30 0A 04 02 44 00 02 01 00 80 01 80", &r), -EBADMSG);
}

static void extract(void **state)
{
	static const uint8_t ef[] = "<a/>\xFF\xFF";
	struct dm_p15_ref r = { .part = false };
	const uint8_t *d;
	size_t n;
	char why[128];

	(void)state;
	assert_int_equal(dm_p15_extract(ef, 6, &r, &d, &n, why, sizeof(why)), 0);
	assert_int_equal(n, 4);
	r = (struct dm_p15_ref){ .part = true, .index = 1, .length = 3 };
	assert_int_equal(dm_p15_extract(ef, 6, &r, &d, &n, why, sizeof(why)), 0);
	assert_ptr_equal(d, ef + 1);
	assert_int_equal(n, 3);
	r.length = 6;		/* the EF is cut short */
	assert_int_equal(dm_p15_extract(ef, 6, &r, &d, &n, why, sizeof(why)), -EBADMSG);
	assert_non_null(strstr(why, "cut short"));
	r = (struct dm_p15_ref){ .part = false };
	assert_int_equal(dm_p15_extract(ef + 4, 2, &r, &d, &n, why, sizeof(why)), -EBADMSG);
}

static struct dm_node *base_tree(void)
{
	struct dm_node *t = dm_tree_new(), *n;

	assert_int_equal(dm_tree_add(t, "./DevInfo/DevId", "chr", NULL, "d", NULL), DM_TREE_OK);
	assert_int_equal(dm_tree_add(t, "./DMAcc", "node", NULL, NULL, &n), DM_TREE_OK);
	n->acl = strdup("Get=*&Add=*");
	return t;
}

static int apply(const char *body, char *err, size_t size)
{
	struct dm_node *t = base_tree();
	char xml[2048];
	int rc;

	snprintf(xml, sizeof(xml), "<MgmtTree xmlns=\"syncml:dmddf1.2\">"
		 "<VerDTD>1.2</VerDTD>%s</MgmtTree>", body);
	rc = dm_tnds_apply(t, xml, strlen(xml), "./DMAcc", err, size);
	dm_tree_free(t);
	return rc;
}

static void tnds_refusals(void **state)
{
	char err[256];

	(void)state;
	assert_int_equal(apply("<Node><NodeName>x</NodeName><Path>./DMAcc</Path>"
			       "<Node><NodeName>A</NodeName><Value>1</Value></Node></Node>",
			       err, sizeof(err)), 0);
	/* a continuation of ./DMAcc without Path is fine too */
	assert_int_equal(apply("<Node><NodeName>DMAcc</NodeName><Node><NodeName>x</NodeName>"
			       "<Value>1</Value></Node></Node>", err, sizeof(err)), 0);
	assert_int_equal(apply("<Node><NodeName>DevInfo</NodeName><Node><NodeName>Evil</NodeName>"
			       "<Value>1</Value></Node></Node>", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "outside ./DMAcc"));
	assert_int_equal(apply("<Node><NodeName>DevId</NodeName><Path>./DevInfo</Path>"
			       "<Value>1</Value></Node>", err, sizeof(err)), -1);
	assert_int_equal(apply("<Node><NodeName>x</NodeName><Path>./DMAcc</Path><Value>1</Value>"
			       "<Node><NodeName>y</NodeName><Value>1</Value></Node></Node>",
			       err, sizeof(err)), -1);
	assert_non_null(strstr(err, "interior node with a Value"));
	assert_int_equal(apply("<Node><NodeName>x</NodeName><Path>./DMAcc</Path>"
			       "<Node><NodeName>y</NodeName><Path>./DMAcc</Path></Node></Node>",
			       err, sizeof(err)), -1);
	assert_non_null(strstr(err, "Path on a nested Node"));
	assert_int_equal(apply("<Node><NodeName>x</NodeName><Path>./DMAcc</Path>junk</Node>",
			       err, sizeof(err)), -1);
	assert_int_equal(apply("<Node><NodeName>x</NodeName><Path>./DMAcc</Path><RTProperties>"
			       "<Format><text/></Format></RTProperties><Value>1</Value></Node>",
			       err, sizeof(err)), -1);
	assert_non_null(strstr(err, "DM formats"));
	assert_int_equal(apply("<Node><NodeName>a/b</NodeName><Path>./DMAcc</Path><Value>1</Value></Node>",
			       err, sizeof(err)), -1);
	assert_int_equal(apply("<Node><NodeName>x</NodeName><Path>./DMAcc</Path><Value>1</Value></Node>"
			       "<Node><NodeName>x</NodeName><Path>./DMAcc</Path><Value>2</Value></Node>",
			       err, sizeof(err)), -1);
	assert_non_null(strstr(err, "exists"));
	assert_int_equal(apply("<Node><NodeName>x</NodeName><Path>./DMAcc</Path><DFProperties/></Node>",
			       err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unexpected <DFProperties>"));

	struct dm_node *t = base_tree();
	static const char dtd[] = "<!DOCTYPE MgmtTree [<!ENTITY a \"aaaa\">]>"
		"<MgmtTree><VerDTD>1.2</VerDTD><Node><NodeName>x</NodeName><Path>./DMAcc</Path>"
		"<Value>&a;</Value></Node></MgmtTree>";
	static const char v11[] = "<MgmtTree><VerDTD>1.1</VerDTD><Node><NodeName>x</NodeName>"
		"<Path>./DMAcc</Path><Value>1</Value></Node></MgmtTree>";
	static const char ns[] = "<MgmtTree xmlns=\"syncml:metinf\"><VerDTD>1.2</VerDTD></MgmtTree>";

	assert_int_equal(dm_tnds_apply(t, dtd, strlen(dtd), "./DMAcc", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "DTD"));
	assert_int_equal(dm_tnds_apply(t, v11, strlen(v11), "./DMAcc", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "VerDTD"));
	assert_int_equal(dm_tnds_apply(t, ns, strlen(ns), "./DMAcc", err, sizeof(err)), -1);
	assert_null(dm_tree_find(t, "./DMAcc/x"));
	dm_tree_free(t);
}

static void install(void **state)
{
	char tnds[4096], msg[256], *cut;
	int n = dm_boot_tnds(tnds, sizeof(tnds));
	struct dm_node *t = base_tree(), *before;
	struct dm_account a;

	(void)state;
	assert_int_equal(dm_bootstrap_install(&t, tnds, (size_t)n, msg, sizeof(msg)), 0);
	assert_int_equal(dm_account_find(t, "scws-card", &a, msg, sizeof(msg)), 0);
	assert_string_equal(a.addr, "http://127.0.0.1:3516/dm");
	assert_string_equal(a.client.secret, "card-client-secret");
	assert_string_equal(a.server.name, "scws-card");
	assert_int_equal(a.server.nonce_len, strlen("card-server-nonce-0"));
	assert_memory_equal(a.server.nonce, "card-server-nonce-0", a.server.nonce_len);
	assert_string_equal(a.node->acl, "Get=scws-card&Replace=scws-card&Add=scws-card&Delete=scws-card");
	/* again: nothing changes */
	before = t;
	assert_int_equal(dm_bootstrap_install(&t, tnds, (size_t)n, msg, sizeof(msg)), 1);
	assert_ptr_equal(t, before);
	assert_non_null(strstr(msg, "already bootstrapped"));
	dm_tree_free(t);

	/* without the account's ACL: the default one for its server */
	cut = strstr(tnds, "<ACL>");
	assert_non_null(cut);
	memmove(cut, strstr(cut, "</ACL>") + 6, strlen(strstr(cut, "</ACL>") + 6) + 1);
	t = base_tree();
	assert_int_equal(dm_bootstrap_install(&t, tnds, strlen(tnds), msg, sizeof(msg)), 0);
	assert_string_equal(dm_tree_find(t, "./DMAcc/scws-card")->acl,
			    "Get=scws-card&Replace=scws-card&Add=scws-card&Delete=scws-card");
	dm_tree_free(t);

	/* an account of the same server under another name, and one
	 * without ServerID: refused, tree untouched */
	static const char other[] = "<MgmtTree><VerDTD>1.2</VerDTD><Node><NodeName>y</NodeName>"
		"<Path>./DMAcc</Path><Node><NodeName>Name</NodeName><Value>n</Value></Node></Node></MgmtTree>";

	t = base_tree();
	before = t;
	assert_int_equal(dm_bootstrap_install(&t, other, strlen(other), msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "no ServerID"));
	assert_ptr_equal(t, before);
	assert_null(dm_tree_find(t, "./DMAcc/y"));
	/* a name taken by another server's account */
	assert_int_equal(dm_tree_add(t, "./DMAcc/scws-card/ServerID", "chr", NULL, "else", NULL), DM_TREE_OK);
	n = dm_boot_tnds(tnds, sizeof(tnds));
	assert_int_equal(dm_bootstrap_install(&t, tnds, (size_t)n, msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "exists in the tree"));
	assert_ptr_equal(t, before);
	dm_tree_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(card_files_bare),
		cmocka_unit_test(card_files_with_arf),
		cmocka_unit_test(dodf_entries),
		cmocka_unit_test(extract),
		cmocka_unit_test(tnds_refusals),
		cmocka_unit_test(install),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
