// SPDX-License-Identifier: GPL-2.0
// sources: card-sim/http/http_buf.c card-sim/http/http_parse.c card-sim/http/http_url.c card-sim/http/http_response.c card-sim/http/http_date.c card-sim/http/http_cache.c card-sim/clock.c card-sim/http/http_router.c card-sim/http/http_origin.c card-sim/site/site_csrf.c card-sim/http/http_conn.c card-sim/site/site.c card-sim/site/site_admin.c card-sim/site/site_import.c card-sim/site/site_mime.c card-sim/site/site_cgi.c card-sim/site/site_cgi_fs.c card-sim/site/site_phonebook.c card-sim/site/site_adn.c card-sim/http/auth.c card-sim/uicc/pin.c card-sim/uicc/fs.c card-sim/state.c card-sim/log.c
// libs: -lmbedcrypto
/*
 * The /cgi/ applications: display and update of the card's files, the
 * phonebook, the PUK page; strict parameters, chunked dynamic answers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <cmocka.h>

#include "http/http.h"
#include "site/site.h"
#include "uicc/pin.h"

#include "http_test_env.h"

/* Basic credentials "u:0000" */
#define AUTH_OK "Authorization: Basic dTowMDAw\r\n"

/* GET target (with the PIN if auth) and return the status; body kept. */
static int do_get(struct env *e, const char *target, bool auth, struct resp *out)
{
	char req[2048];
	struct resp r;
	int status;

	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: c\r\n%s\r\n", target,
		 auth ? AUTH_OK : "");
	get(e, req, 0, &r);
	status = r.status;
	if (out)
		*out = r;
	else
		resp_free(&r);
	return status;
}

/* The card's current anti-CSRF token, as its PUK page's form carries it. */
static void page_token(struct env *e, char *out, size_t cap)
{
	struct resp r;
	const char *v;

	get(e, "GET /cgi/unblock HTTP/1.1\r\nHost: c\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 200);
	v = strstr(r.body, "name=\"csrf\" value=\"");
	assert_non_null(v);
	v += strlen("name=\"csrf\" value=\"");
	assert_true(strcspn(v, "\"") < cap);
	snprintf(out, cap, "%.*s", (int)strcspn(v, "\""), v);
	resp_free(&r);
}

/* POST form to target as the card's own page would: its Origin, the PIN
 * (if auth) and the form's token appended. */
static int post_as(struct env *e, const char *target, const char *form,
		   const char *type, bool auth, struct resp *out)
{
	char req[2048], token[64], body[1024];
	struct resp r;
	int status;

	page_token(e, token, sizeof(token));
	snprintf(body, sizeof(body), "%s%scsrf=%s", form, *form ? "&" : "", token);
	snprintf(req, sizeof(req), "POST %s HTTP/1.1\r\nHost: c\r\n%s"
		 "Origin: http://127.0.0.1:3516\r\n"
		 "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n%s", target,
		 auth ? AUTH_OK : "",
		 type ? type : "application/x-www-form-urlencoded",
		 strlen(body), body);
	get(e, req, 0, &r);
	status = r.status;
	if (out)
		*out = r;
	else
		resp_free(&r);
	return status;
}

static int do_post(struct env *e, const char *target, const char *form,
		   const char *type, struct resp *out)
{
	return post_as(e, target, form, type, true, out);
}

static void expect_hex(struct env *e, const char *target, bool auth,
		       const char *hex)
{
	struct resp r;

	assert_int_equal(do_get(e, target, auth, &r), 200);
	assert_string_equal(field(&r, "Content-Type"), "text/plain; charset=utf-8");
	assert_string_equal(r.body, hex);
	resp_free(&r);
}

static void test_display(void **state)
{
	struct env *e = *state;
	struct resp r;

	expect_hex(e, "/cgi/display?df=3F00&ef=2FE2&format=hex", false,
		   "98940000000021436587\n");
	expect_hex(e, "/cgi/display?ef=2fe2&df=3f00&offset=2&length=3&format=hex",
		   false, "000000\n");
	expect_hex(e, "/cgi/display?df=7FFF&ef=6F07&format=hex", true,
		   "080910101032547698\n");
	expect_hex(e, "/cgi/display?df=3F007F20&ef=6F07&format=hex", true,
		   "080910101032547698\n");
	expect_hex(e, "/cgi/display?df=7F10&ef=6F3A&record=1&length=8&format=hex",
		   true, "437573746F6D6572\n");
	expect_hex(e, "/cgi/display?df=3F00&ef=2F00&record=1&offset=20&length=6&format=hex",
		   false, "50045553494D\n");
	/* The default is a page, sent chunked: it is made on the fly. */
	assert_int_equal(do_get(e, "/cgi/display?df=3F00&ef=2FE2", false, &r), 200);
	assert_true(r.chunked);
	assert_string_equal(field(&r, "Cache-Control"), "no-store");
	assert_non_null(strstr(r.body, "3F00/2FE2"));
	assert_non_null(strstr(r.body, "98 94 00 00"));
	resp_free(&r);
	assert_int_equal(do_get(e, "/cgi/display?df=3F00&ef=2FE2&format=raw", false, &r), 200);
	assert_int_equal(r.body_len, 10);
	assert_memory_equal(r.body, "\x98\x94\x00\x00\x00\x00\x21\x43\x65\x87", 10);
	resp_free(&r);
}

static void test_display_http10_and_head(void **state)
{
	struct env *e = *state;
	struct resp r;

	get(e, "GET /cgi/display?df=3F00&ef=2FE2&format=hex HTTP/1.0\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 200);
	assert_false(r.chunked);	/* no chunked to HTTP/1.0 */
	assert_string_equal(field(&r, "Content-Length"), "21");
	resp_free(&r);
	get(e, "HEAD /cgi/display?df=3F00&ef=2FE2 HTTP/1.1\r\nHost: c\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 200);
	assert_true(r.chunked);
	assert_int_equal(r.raw_len, r.head_len);
	resp_free(&r);
}

static void test_display_access(void **state)
{
	struct env *e = *state;

	/* EF_IMSI and EF_ADN need the PIN, EF_ICCID does not. */
	assert_int_equal(do_get(e, "/cgi/display?df=7FFF&ef=6F07", false, NULL), 401);
	assert_int_equal(do_get(e, "/cgi/display?df=7F10&ef=6F3A&record=1", false, NULL), 401);
	assert_int_equal(do_get(e, "/cgi/display?df=3F00&ef=2FE2", false, NULL), 200);
}

static void test_display_bad_parameters(void **state)
{
	static const struct {
		const char *target;
		int status;
	} cases[] = {
		{ "/cgi/display", 400 },
		{ "/cgi/display?df=3F00", 400 },
		{ "/cgi/display?df=3F0&ef=2FE2", 400 },
		{ "/cgi/display?df=3F00&ef=2FE", 400 },
		{ "/cgi/display?df=3G00&ef=2FE2", 400 },
		{ "/cgi/display?df=3F00&ef=2FE2FF", 400 },
		{ "/cgi/display?df=3F007F107F107F107F10&ef=6F3A", 400 },
		{ "/cgi/display?df=3F00&ef=2FE2&record=1", 400 },
		{ "/cgi/display?df=3F00&ef=2FE2&offset=10", 400 },
		{ "/cgi/display?df=3F00&ef=2FE2&offset=-1", 400 },
		{ "/cgi/display?df=3F00&ef=2FE2&offset=1x", 400 },
		{ "/cgi/display?df=3F00&ef=2FE2&length=0", 400 },
		{ "/cgi/display?df=3F00&ef=2FE2&offset=5&length=6", 400 },
		{ "/cgi/display?df=3F00&ef=2FE2&length=999999", 400 },
		{ "/cgi/display?df=3F00&ef=2FE2&format=xml", 400 },
		{ "/cgi/display?df=3F00&ef=2FE2&colour=red", 400 },
		{ "/cgi/display?df=3F00&ef=2FE2&df=3F00", 400 },
		{ "/cgi/display?df=3F00&&ef=2FE2", 400 },
		{ "/cgi/display?df=3F00&ef=2FE2&", 400 },
		{ "/cgi/display?df=3F00&ef", 400 },
		{ "/cgi/display?=1&df=3F00&ef=2FE2", 400 },
		{ "/cgi/display?df=3F00&ef=%2", 400 },
		{ "/cgi/display?df=3F00&ef=2F%00E2", 400 },
		{ "/cgi/display?df=3F00&ef=7F10", 400 },	/* a DF */
		{ "/cgi/display?df=7F10&ef=7F10", 404 },
		{ "/cgi/display?df=7F10&ef=6F3A", 400 },	/* no record */
		{ "/cgi/display?df=3F00&ef=6F3A", 404 },
		{ "/cgi/display?df=7F99&ef=6F3A", 404 },
		{ "/cgi/display?df=2FE2&ef=6F3A", 404 },	/* an EF */
		{ "/cgi/display?df=7F10&ef=6F3A&record=11", 404 },
		{ "/cgi/display?df=7F10&ef=6F3A&record=0", 404 },
		{ "/cgi/nope", 404 },
		{ "/cgi/", 404 },
		{ "/cgi/display/", 404 },
	};
	struct env *e = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int status = do_get(e, cases[i].target, true, NULL);

		if (status != cases[i].status)
			fail_msg("%s: %d, want %d", cases[i].target, status,
				 cases[i].status);
	}
}

static void test_update(void **state)
{
	struct env *e = *state;
	struct resp r;

	/* Changes only by POST; a GET changes nothing and says so. */
	assert_int_equal(do_get(e, "/cgi/update?df=7F10&ef=6F3A&record=5&data=4142", true, &r), 405);
	assert_string_equal(field(&r, "Allow"), "POST");
	resp_free(&r);
	assert_int_equal(post_as(e, "/cgi/update?df=7F10&ef=6F3A&record=5&data=4142", "",
				 NULL, false, NULL), 401);
	assert_int_equal(do_post(e, "/cgi/update?df=7F10&ef=6F3A&record=5&data=4142&format=hex",
				 "", NULL, &r), 200);
	assert_string_equal(r.body, "4142\n");
	resp_free(&r);
	expect_hex(e, "/cgi/display?df=7F10&ef=6F3A&record=5&length=3&format=hex", true,
		   "4142FF\n");
	assert_int_equal(do_post(e, "/cgi/update?df=7F10&ef=6F3A&record=5&offset=1&data=43", "", NULL, NULL), 200);
	expect_hex(e, "/cgi/display?df=7F10&ef=6F3A&record=5&length=3&format=hex", true,
		   "4143FF\n");
	/* A form body works the same. */
	assert_int_equal(do_post(e, "/cgi/update", "df=7F10&ef=6F3A&record=6&data=5A", NULL, NULL), 200);
	expect_hex(e, "/cgi/display?df=7F10&ef=6F3A&record=6&length=1&format=hex", true, "5A\n");
	/* The operator's files are not the user's to change. */
	assert_int_equal(do_post(e, "/cgi/update?df=3F00&ef=2FE2&data=00", "", NULL, NULL), 403);
	assert_int_equal(do_post(e, "/cgi/update?df=7FFF&ef=6F07&data=00", "", NULL, NULL), 403);
	assert_int_equal(do_post(e, "/cgi/update?df=7F10&ef=6F3A&record=5&data=4", "", NULL, NULL), 400);
	assert_int_equal(do_post(e, "/cgi/update?df=7F10&ef=6F3A&record=5&data=", "", NULL, NULL), 400);
	assert_int_equal(do_post(e, "/cgi/update?df=7F10&ef=6F3A&record=5", "", NULL, NULL), 400);
	assert_int_equal(do_post(e, "/cgi/update?df=7F10&ef=6F3A&record=5&offset=29&data=0102", "", NULL, NULL), 400);
	assert_int_equal(do_post(e, "/cgi/update?df=7F10&ef=6F3A&record=11&data=01", "", NULL, NULL), 404);
	assert_int_equal(do_post(e, "/cgi/update?df=7F10&ef=6F3A&record=5&data=01&length=1", "", NULL, NULL), 400);
	/* A body in another type is refused before its token is looked for. */
	assert_int_equal(do_post(e, "/cgi/update", "df=7F10", "text/plain", NULL), 415);
	assert_int_equal(do_post(e, "/cgi/update", "df=7F10&ef=6F3A&record=6&data=5B",
				 "Application/X-WWW-Form-Urlencoded; charset=UTF-8", NULL), 200);
}

static void test_update_persists(void **state)
{
	struct env *e = *state;
	struct card_fs *fs;
	static const uint8_t adn[] = { 0x7F, 0x10, 0x6F, 0x3A };
	const struct card_file *f;
	uint8_t rec[30];

	assert_int_equal(do_post(e, "/cgi/update?df=7F10&ef=6F3A&record=7&data=4A6F", "", NULL, NULL), 200);
	/* uicc.c's own handle sees it, and so does the file on disk. */
	fs = card_fs_open(e->st);
	f = card_fs_select_path(fs, NULL, adn, sizeof(adn));
	assert_int_equal(card_fs_read_record(fs, f, 7, rec, sizeof(rec)), 30);
	assert_memory_equal(rec, "Jo", 2);
	card_fs_close(fs);
}

static void test_phonebook(void **state)
{
	struct env *e = *state;
	struct resp r;

	assert_int_equal(do_get(e, "/cgi/phonebook", false, NULL), 401);
	assert_int_equal(do_get(e, "/cgi/phonebook", true, &r), 200);
	assert_non_null(strstr(r.body, "Customer Care"));
	assert_non_null(strstr(r.body, "+15550100"));
	assert_non_null(strstr(r.body, "Voicemail"));
	assert_non_null(strstr(r.body, "*100#"));
	assert_non_null(strstr(r.body, "3 of 10 entries used"));
	resp_free(&r);

	assert_int_equal(do_post(e, "/cgi/phonebook",
				 "action=add&name=Alice+%26+Bob&number=%2B4912345", NULL, &r), 303);
	assert_string_equal(field(&r, "Location"), "/cgi/phonebook");
	resp_free(&r);
	assert_int_equal(do_post(e, "/cgi/phonebook",
				 "action=add&name=Zo%C3%AB&number=0123", NULL, NULL), 303);
	assert_int_equal(do_get(e, "/cgi/phonebook", true, &r), 200);
	assert_non_null(strstr(r.body, "Alice &amp; Bob"));
	assert_non_null(strstr(r.body, "tel:+4912345"));
	assert_non_null(strstr(r.body, "Zo\xc3\xab"));
	assert_non_null(strstr(r.body, "5 of 10 entries used"));
	resp_free(&r);

	assert_int_equal(do_post(e, "/cgi/phonebook", "action=delete&record=1", NULL, NULL), 303);
	assert_int_equal(do_get(e, "/cgi/phonebook", true, &r), 200);
	assert_null(strstr(r.body, "Customer Care"));
	resp_free(&r);
	/* The freed record is the next one used. */
	assert_int_equal(do_post(e, "/cgi/phonebook", "action=add&number=1", NULL, NULL), 303);
	expect_hex(e, "/cgi/display?df=7F10&ef=6F3A&record=1&offset=16&length=4&format=hex",
		   true, "0281F1FF\n");
}

static void test_phonebook_errors(void **state)
{
	struct env *e = *state;
	char form[128];

	assert_int_equal(do_post(e, "/cgi/phonebook", "action=add&name=x", NULL, NULL), 400);
	assert_int_equal(do_post(e, "/cgi/phonebook", "action=add&number=12a", NULL, NULL), 400);
	assert_int_equal(do_post(e, "/cgi/phonebook",
				 "action=add&number=123456789012345678901", NULL, NULL), 400);
	assert_int_equal(do_post(e, "/cgi/phonebook",
				 "action=add&name=ABCDEFGHIJKLMNOPQ&number=1", NULL, NULL), 400);
	assert_int_equal(do_post(e, "/cgi/phonebook", "action=delete&record=11", NULL, NULL), 404);
	assert_int_equal(do_post(e, "/cgi/phonebook", "action=delete&record=x", NULL, NULL), 400);
	assert_int_equal(do_post(e, "/cgi/phonebook", "action=delete", NULL, NULL), 400);
	assert_int_equal(do_post(e, "/cgi/phonebook", "action=dance", NULL, NULL), 400);
	assert_int_equal(do_post(e, "/cgi/phonebook", "", NULL, NULL), 400);
	assert_int_equal(do_get(e, "/cgi/phonebook?action=add&number=1", true, NULL), 400);
	for (int i = 0; i < 7; i++) {
		snprintf(form, sizeof(form), "action=add&name=n%d&number=%d", i, i);
		assert_int_equal(do_post(e, "/cgi/phonebook", form, NULL, NULL), 303);
	}
	assert_int_equal(do_post(e, "/cgi/phonebook", "action=add&number=9", NULL, NULL), 507);
}

static void test_unblock(void **state)
{
	struct env *e = *state;
	struct resp r;

	assert_int_equal(do_get(e, "/cgi/unblock", false, &r), 200);
	assert_non_null(strstr(r.body, "PIN: 3 of 3 tries left. PUK: 10 of 10"));
	resp_free(&r);
	for (int i = 0; i < 3; i++)
		card_pin_verify(e->pin, "9999");
	assert_int_equal(do_get(e, "/account/", true, NULL), 401);
	assert_int_equal(do_post(e, "/cgi/unblock", "puk=11111111&pin=4321", NULL, &r), 403);
	assert_non_null(strstr(r.body, "Wrong PUK"));
	assert_non_null(strstr(r.body, "PUK: 9 of 10"));
	resp_free(&r);
	assert_int_equal(do_post(e, "/cgi/unblock", "puk=12345678&pin=12", NULL, NULL), 400);
	assert_int_equal(do_post(e, "/cgi/unblock", "puk=12345678&pin=4321", NULL, &r), 200);
	assert_non_null(strstr(r.body, "new PIN is set"));
	resp_free(&r);
	get(e, "GET /account/ HTTP/1.1\r\nHost: c\r\nAuthorization: Basic dTo0MzIx\r\n\r\n", 0, &r);
	assert_int_equal(r.status, 200);	/* u:4321 */
	resp_free(&r);
	assert_int_equal(do_get(e, "/cgi/unblock?puk=1", false, NULL), 400);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_display, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_display_http10_and_head, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_display_access, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_display_bad_parameters, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_update, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_update_persists, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_phonebook, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_phonebook_errors, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_unblock, env_setup, env_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
