// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/dm/dm_server.c card-sim/dm/dm_store.c card-sim/dm/dm_results.c card-sim/dm/dm_identity.c card-sim/dm/dm_pkg0.c card-sim/state.c card-sim/log.c card-sim/clock.c tools/lib/dm-auth.c tools/lib/dm-syncml.c tools/lib/dm-out.c tools/scws-dmc/dm-notify.c tools/lib/dm-xml.c
// libs: -I/usr/include/libxml2 -lxml2 -lcrypto -lmbedcrypto
/*
 * The card's DM server (card-sim/dm/) driven message by message, the way
 * scws-dmc talks to it: messages written with the shared dm-out, answers
 * read with the shared dm-syncml, credentials computed with dm-auth on the
 * client's side.  Package #0 from the card is checked with scws-dmc's own
 * notification parser and digest check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "card.h"
#include "dm-auth.h"
#include "dm-out.h"
#include "dm-syncml.h"
#include "dm/dm_identity.h"
#include "dm/dm_pkg0.h"
#include "dm/dm_server.h"
#include "dm/dm_store.h"
#include "../../tools/scws-dmc/dm-notify.h"

#define DEVID "IMEI:004999010640000"

struct env {
	char dir[64], path[96];
	struct card_state *st;
	struct dm_server *dm;
	/* the client's side */
	struct dm_nonce cnonce, snonce;
	unsigned int msgid;
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	strcpy(e->dir, "/tmp/dm-card-test.XXXXXX");
	assert_non_null(mkdtemp(e->dir));
	snprintf(e->path, sizeof(e->path), "%s/state", e->dir);
	e->st = card_state_open(e->path, true);
	assert_non_null(e->st);
	e->dm = dm_server_new(e->st);
	assert_non_null(e->dm);
	/* The client starts where the card's bootstrap file put it. */
	assert_int_equal(dm_b64_decode(dm_identity()->cli_nonce0, e->cnonce.b,
				       sizeof(e->cnonce.b), &e->cnonce.len), 0);
	assert_int_equal(dm_b64_decode(dm_identity()->srv_nonce0, e->snonce.b,
				       sizeof(e->snonce.b), &e->snonce.len), 0);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	char lock[128];

	dm_server_free(e->dm);
	card_state_close(e->st);
	snprintf(lock, sizeof(lock), "%s.lock", e->path);
	unlink(e->path);
	unlink(lock);
	rmdir(e->dir);
	free(e);
	return 0;
}

/* Posts a message; the HTTP status, the parsed answer in m on 200. */
static int post(struct env *e, char *body, size_t len, struct dm_msg *m)
{
	char *resp, err[320], perr[256];
	size_t rlen;
	int status = dm_server_handle(e->dm, body, len, &resp, &rlen, err,
				      sizeof(err));

	free(body);
	if (status != 200) {
		assert_null(resp);
		return status;
	}
	assert_int_equal(dm_msg_parse(resp, rlen, m, perr, sizeof(perr)), 0);
	free(resp);
	return status;
}

/* Package 1 with the client's credentials (secret NULL: no Cred). */
static char *pkg1(struct env *e, const char *sid, const char *secret,
		  size_t *len)
{
	const struct dm_identity *id = dm_identity();
	char cred[DM_MD5_B64_SIZE];

	if (secret)
		dm_md5_cred(id->cli_name, secret, e->cnonce.b, e->cnonce.len, cred);
	struct dm_out *o = dm_out_begin(sid, ++e->msgid, id->addr, DEVID,
					secret ? cred : NULL);

	dm_out_alert(o, 1201, NULL, NULL, NULL, NULL);
	dm_out_replace_begin(o);
	dm_out_replace_item(o, "./DevInfo/DevId", "chr", NULL, DEVID);
	dm_out_replace_item(o, "./DevInfo/Mod", "chr", NULL, "gw-model");
	return dm_out_end(o, 1, len);
}

static const struct dm_cmd *header_status(const struct dm_msg *m)
{
	for (size_t i = 0; i < m->ncmds; i++)
		if (m->cmds[i].kind == DM_CMD_STATUS &&
		    !strcmp(m->cmds[i].cmdref, "0"))
			return &m->cmds[i];
	return NULL;
}

static const struct dm_cmd *find_cmd(const struct dm_msg *m,
				     enum dm_cmd_kind k)
{
	for (size_t i = 0; i < m->ncmds; i++)
		if (m->cmds[i].kind == k)
			return &m->cmds[i];
	return NULL;
}

/* Takes the next client nonce from a header Status's Chal. */
static void take_chal(struct env *e, const struct dm_msg *m)
{
	const struct dm_cmd *h = header_status(m);

	assert_non_null(h);
	assert_non_null(h->chal_nonce);
	assert_int_equal(dm_b64_decode(h->chal_nonce, e->cnonce.b,
				       sizeof(e->cnonce.b), &e->cnonce.len), 0);
}

/* Package 3: 212 with a new server nonce, code for every Add item (425
 * for deny_uri; deny_uri "*": one Status for the whole Add), 200 and
 * Results for the Get. */
static char *pkg3(struct env *e, const char *sid, const struct dm_msg *m2,
		  int code, const char *deny_uri, size_t *len)
{
	bool whole = deny_uri && !strcmp(deny_uri, "*");

	char b64[DM_MD5_B64_SIZE];

	memset(e->snonce.b, 0x5a, 16);
	e->snonce.len = 16;
	dm_b64_encode(e->snonce.b, 16, b64);
	struct dm_out *o = dm_out_begin(sid, ++e->msgid, dm_identity()->addr,
					DEVID, NULL);

	dm_out_status(o, m2->msgid, "0", "SyncHdr", m2->target, m2->source,
		      212, b64);
	for (size_t i = 0; i < m2->ncmds; i++) {
		const struct dm_cmd *c = &m2->cmds[i];

		if (c->kind == DM_CMD_ADD && whole)
			dm_out_status(o, m2->msgid, c->cmdid, "Add", NULL, NULL,
				      code, NULL);
		for (size_t k = 0; c->kind == DM_CMD_ADD && !whole && k < c->nitems; k++)
			dm_out_status(o, m2->msgid, c->cmdid, "Add", c->items[k].target,
				      NULL, deny_uri && !strcmp(deny_uri,
				      c->items[k].target) ? 425 : code, NULL);
		if (c->kind == DM_CMD_GET) {
			dm_out_status(o, m2->msgid, c->cmdid, "Get", c->items[0].target,
				      NULL, 200, NULL);
			dm_out_results(o, m2->msgid, c->cmdid, c->items[0].target,
				       "chr", NULL, "gw-model");
		}
	}
	return dm_out_end(o, 1, len);
}

static bool state_has(struct env *e, const char *key, const char *needle)
{
	const uint8_t *v;
	size_t len;
	char buf[8192];

	if (card_state_get(e->st, key, &v, &len) || len >= sizeof(buf))
		return false;
	memcpy(buf, v, len);
	buf[len] = '\0';
	return strstr(buf, needle) != NULL;
}

/* A whole session: the card proves itself, provisions, records. */
static void session_provisions(void **state)
{
	struct env *e = *state;
	const struct dm_identity *id = dm_identity();
	struct dm_msg m2, m4;
	char want[DM_MD5_B64_SIZE];
	size_t len;
	char *b = pkg1(e, "1A2B", id->cli_secret, &len);

	assert_int_equal(post(e, b, len, &m2), 200);
	/* The card's Cred: SRVCRED with the first server nonce. */
	dm_md5_cred(id->srv_name, id->srv_secret, e->snonce.b, e->snonce.len, want);
	assert_string_equal(m2.cred_type, "syncml:auth-md5");
	assert_string_equal(m2.cred_data, want);
	assert_string_equal(m2.sessionid, "1A2B");
	assert_string_equal(m2.target, DEVID);
	assert_string_equal(header_status(&m2)->data, "212");
	take_chal(e, &m2);
	assert_int_equal(e->cnonce.len, DM_NONCE_BYTES);
	const struct dm_cmd *add = find_cmd(&m2, DM_CMD_ADD);

	assert_non_null(add);
	assert_int_equal(add->nitems, 15);
	assert_string_equal(add->items[0].target, "./DMAcc/operator");
	assert_string_equal(add->items[0].format, "node");
	assert_string_equal(find_cmd(&m2, DM_CMD_GET)->items[0].target,
			    "./DevInfo/Mod");
	assert_true(m2.final);

	b = pkg3(e, "1A2B", &m2, 200, "./DMAcc/operator/AAuthPref", &len);
	assert_int_equal(post(e, b, len, &m4), 200);
	assert_string_equal(header_status(&m4)->data, "200");
	assert_null(find_cmd(&m4, DM_CMD_ADD));
	assert_true(m4.final);
	dm_msg_free(&m2);
	dm_msg_free(&m4);

	/* The results, per item; 425 stays pending. */
	assert_true(state_has(e, DM_KEY_RESULTS, "Add\t./DMAcc/operator/ServerID\t200\n"));
	assert_true(state_has(e, DM_KEY_RESULTS, "Add\t./DMAcc/operator/AAuthPref\t425\n"));
	assert_true(state_has(e, DM_KEY_RESULTS, "Get\t./DevInfo/Mod\t200\tgw-model\n"));
	assert_true(state_has(e, DM_KEY_LAST, "outcome=completed"));
	struct dm_prov *p = malloc(sizeof(*p));

	assert_int_equal(dm_prov_load(e->st, p), 0);
	assert_int_equal(dm_prov_pending(e->st, p), 1);
	free(p);
	struct dm_nonce sn;

	dm_store_nonce(e->st, DM_KEY_SERVER_NONCE, &sn);
	assert_int_equal(sn.len, 16);
	assert_memory_equal(sn.b, e->snonce.b, 16);

	/* The next session: the new nonces, only the pending item again. */
	b = pkg1(e, "1A2C", id->cli_secret, &len);
	assert_int_equal(post(e, b, len, &m2), 200);
	dm_md5_cred(id->srv_name, id->srv_secret, e->snonce.b, e->snonce.len, want);
	assert_string_equal(m2.cred_data, want);
	add = find_cmd(&m2, DM_CMD_ADD);
	assert_non_null(add);
	assert_int_equal(add->nitems, 1);
	assert_string_equal(add->items[0].target, "./DMAcc/operator/AAuthPref");
	dm_msg_free(&m2);
	/* The session is under way: package 1 again does not restart it. */
	b = pkg1(e, "1A2C", id->cli_secret, &len);
	assert_int_equal(post(e, b, len, &m2), 400);
}

/* Wrong secret: 401 with a new nonce, no command; twice: session over. */
static void wrong_secret_refused(void **state)
{
	struct env *e = *state;
	struct dm_msg m;
	size_t len;
	char *b = pkg1(e, "77", "not-the-secret", &len);

	assert_int_equal(post(e, b, len, &m), 200);
	assert_string_equal(header_status(&m)->data, "401");
	assert_null(m.cred_data);
	/* Only Statuses: the header's, then one per command (Alert, Replace). */
	assert_int_equal(m.ncmds, 3);
	for (size_t i = 0; i < m.ncmds; i++) {
		assert_int_equal(m.cmds[i].kind, DM_CMD_STATUS);
		assert_string_equal(m.cmds[i].data, "401");
	}
	assert_string_equal(m.cmds[1].cmd, "Alert");
	assert_string_equal(m.cmds[2].cmd, "Replace");
	take_chal(e, &m);
	dm_msg_free(&m);
	b = pkg1(e, "77", "still-wrong", &len);
	assert_int_equal(post(e, b, len, &m), 200);
	assert_string_equal(header_status(&m)->data, "401");
	dm_msg_free(&m);
	assert_true(state_has(e, DM_KEY_LAST, "refused: client credentials (401)"));
	assert_false(state_has(e, DM_KEY_RESULTS, "Add"));
	assert_false(state_has(e, DM_KEY_DELIVERED, "./DMAcc"));
	/* The session is gone: a report for it is refused. */
	struct dm_out *o = dm_out_begin("77", 9, dm_identity()->addr, DEVID, NULL);

	dm_out_status(o, "1", "0", "SyncHdr", DEVID, "x", 212, NULL);
	b = dm_out_end(o, 1, &len);
	assert_int_equal(post(e, b, len, &m), 400);
}

/* A stale nonce: 401 with Chal, the retry with that nonce succeeds. */
static void missing_then_right(void **state)
{
	struct env *e = *state;
	const struct dm_identity *id = dm_identity();
	struct dm_msg m;
	size_t len;
	char *b = pkg1(e, "5", NULL, &len);

	assert_int_equal(post(e, b, len, &m), 200);
	assert_string_equal(header_status(&m)->data, "407");
	take_chal(e, &m);
	dm_msg_free(&m);
	b = pkg1(e, "5", id->cli_secret, &len);
	assert_int_equal(post(e, b, len, &m), 200);
	assert_string_equal(header_status(&m)->data, "212");
	assert_non_null(find_cmd(&m, DM_CMD_ADD));
	dm_msg_free(&m);
}

static int snapshot(const char *key, const uint8_t *val, size_t len, void *arg)
{
	FILE *f = arg;

	fprintf(f, "%s=", key);
	fwrite(val, 1, len, f);
	fputc('\n', f);
	return 0;
}

static char *dump(struct env *e)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	card_state_foreach(e->st, "", snapshot, f);
	fclose(f);
	return buf;
}

/* Bad input: 400, the state exactly as before. */
static void malformed_changes_nothing(void **state)
{
	static const char *const bad[] = {
		"",
		"<SyncML",
		"<?xml version=\"1.0\"?><NotSyncML/>",
		"<SyncML><SyncHdr><VerDTD>1.1</VerDTD></SyncHdr><SyncBody/></SyncML>",
		"<!DOCTYPE x [<!ENTITY a \"aaaa\">]><SyncML/>",
		"<SyncML xmlns='SYNCML:SYNCML1.2'><SyncHdr><VerDTD>1.2</VerDTD>"
		"<VerProto>DM/1.2</VerProto><SessionID>1</SessionID><MsgID>1</MsgID>"
		"<Target><LocURI>x</LocURI></Target><Source><LocURI>y</LocURI>"
		"</Source></SyncHdr><SyncBody><Final/></SyncBody></SyncML>",
	};
	struct env *e = *state;
	char *before = dump(e);

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct dm_msg m;

		assert_int_equal(post(e, strdup(bad[i]), strlen(bad[i]), &m), 400);
	}
	char *after = dump(e);

	assert_string_equal(before, after);
	free(before);
	free(after);
}

/* Package #0 from the card passes scws-dmc's own checks. */
static void pkg0_checked_by_client_code(void **state)
{
	const struct dm_identity *id = dm_identity();
	uint8_t pkg[DM_PKG0_MAX], nonce[16];
	struct dm_notify n;
	size_t len;

	(void)state;
	memset(nonce, 7, sizeof(nonce));
	len = dm_pkg0_build(id->server_id, id->srv_secret, nonce, sizeof(nonce),
			    0xBEEF, DM_PKG0_UI_BACKGROUND, pkg);
	assert_int_equal(len, 16 + 8 + strlen(id->server_id));
	assert_int_equal(dm_notify_parse(pkg, len, &n), DM_NOTIFY_OK);
	assert_int_equal(n.version, 12);
	assert_int_equal(n.initiator, 1);
	assert_int_equal(n.ui_mode, 1);
	assert_int_equal(n.session_id, 0xBEEF);
	assert_string_equal(n.server_id, id->server_id);
	assert_int_equal(n.vendor_len, 0);
	assert_true(dm_notify_check(&n, id->srv_secret, nonce, sizeof(nonce)));
	nonce[0] ^= 1;
	assert_false(dm_notify_check(&n, id->srv_secret, nonce, sizeof(nonce)));
	assert_false(dm_notify_check(&n, "other", nonce, sizeof(nonce)));
	assert_int_equal(dm_pkg0_build("", "s", NULL, 0, 1, 0, pkg), 0);
}

static void prov_parse(void **state)
{
	struct dm_prov *p = malloc(sizeof(*p));
	char err[128];

	(void)state;
	static const char good[] = "# c\n\n./Con/x\tnode\t\t\n"
				   "./Con/x/Addr\tchr\ttext/plain\tapn.example\r\n";

	assert_int_equal(dm_prov_parse(good, strlen(good), p, err, sizeof(err)), 0);
	assert_int_equal(p->n, 2);
	assert_string_equal(p->items[1].uri, "./Con/x/Addr");
	assert_string_equal(p->items[1].data, "apn.example");
	assert_null(p->items[0].type);
	static const char *const bad[] = {
		"./a\tchr\tt\n",		/* 3 fields */
		"./a\tchr\tt\td\te\n",		/* 5 fields */
		"a/b\tchr\t\td\n",		/* not ./ */
		"./a//b\tchr\t\td\n",		/* empty segment */
		"./a/../b\tchr\t\td\n",		/* dot segment */
		"./a\tstring\t\td\n",		/* unknown format */
		"./a\tnode\t\tdata\n",		/* node with data */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_int_equal(dm_prov_parse(bad[i], strlen(bad[i]), p, err,
					       sizeof(err)), -1);
	free(p);
}

/* One Status for a whole Add (no TargetRef) counts for each item. */
static void whole_command_status(void **state)
{
	struct env *e = *state;
	struct dm_msg m2, m4;
	size_t len;
	char *b = pkg1(e, "9", dm_identity()->cli_secret, &len);

	assert_int_equal(post(e, b, len, &m2), 200);
	b = pkg3(e, "9", &m2, 200, "*", &len);
	assert_int_equal(post(e, b, len, &m4), 200);
	dm_msg_free(&m2);
	dm_msg_free(&m4);
	assert_true(state_has(e, DM_KEY_RESULTS, "Add\t./DMAcc/operator/Name\t200\n"));
	struct dm_prov *p = malloc(sizeof(*p));

	assert_int_equal(dm_prov_load(e->st, p), 0);
	assert_int_equal(dm_prov_pending(e->st, p), 0);
	free(p);
}

/* The largest set: the client's report of it fits the card's HTTP body
 * limit, which the card announces as its MaxMsgSize. */
static void largest_set_fits(void **state)
{
	struct env *e = *state;
	char *set = malloc(DM_PROV_MAX_ITEMS * 300 + 400), err[128], *resp;
	struct dm_prov *p = malloc(sizeof(*p));
	struct dm_msg m2, m4;
	size_t n = 0, len, rlen;

	for (int i = 0; i < DM_PROV_MAX_ITEMS; i++)
		n += (size_t)sprintf(set + n, "./DMAcc/x%02d/%0180d\tchr\ttext/plain\tv\n",
				     i, 0);
	assert_int_equal(dm_prov_parse(set, n, p, err, sizeof(err)), 0);
	assert_int_equal(card_state_set(e->st, DM_KEY_PROVISION, set, n), 0);
	strcpy(set + n, "./DMAcc/one-too-many\tchr\t\tv\n");
	assert_int_equal(dm_prov_parse(set, strlen(set), p, err, sizeof(err)), -1);
	free(set);
	free(p);
	char *b = pkg1(e, "A", dm_identity()->cli_secret, &len);
	int status = dm_server_handle(e->dm, b, len, &resp, &rlen, err, sizeof(err));

	free(b);
	assert_int_equal(status, 200);
	assert_non_null(strstr(resp, ">16384</MaxMsgSize>"));
	assert_int_equal(dm_msg_parse(resp, rlen, &m2, err, sizeof(err)), 0);
	free(resp);
	assert_int_equal(find_cmd(&m2, DM_CMD_ADD)->nitems, DM_PROV_MAX_ITEMS);
	b = pkg3(e, "A", &m2, 200, NULL, &len);
	assert_true(len < 16384);
	assert_int_equal(post(e, b, len, &m4), 200);
	dm_msg_free(&m2);
	dm_msg_free(&m4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(session_provisions, setup, teardown),
		cmocka_unit_test_setup_teardown(wrong_secret_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(missing_then_right, setup, teardown),
		cmocka_unit_test_setup_teardown(malformed_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(whole_command_status, setup, teardown),
		cmocka_unit_test_setup_teardown(largest_set_fits, setup, teardown),
		cmocka_unit_test(pkg0_checked_by_client_code),
		cmocka_unit_test(prov_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
