// SPDX-License-Identifier: GPL-2.0
/*
 * /cgi/phonebook: the SIM phonebook (EF_ADN 3F00/7F10/6F3A) as a page.
 *   GET                                  the entries, a form to add one
 *   POST action=add&name=..&number=..    into the first free record
 *   POST action=delete&record=N          clears record N
 * Changes answer 303 back to the list (post/redirect/get).  EF_ADN needs
 * the PIN to read and to update, so the page does too.
 *
 * /cgi/unblock: the PUK page (RESET RETRY COUNTER over HTTP).
 *   GET                                  the form and the counters
 *   POST puk=..&pin=..                   unblock and set a new PIN
 * It cannot be PIN-protected: it is for when the PIN is blocked.  The PUK
 * has its own 10 tries.
 *
 * Every form carries the anti-CSRF token (site_csrf.c); site_cgi.c checks
 * it, and the origin, before these run.
 */
#include <stdlib.h>
#include <string.h>

#include "uicc/fs.h"
#include "site.h"
#include "uicc/pin.h"

#define PHONEBOOK "/cgi/phonebook"

static const uint8_t adn_path[] = { 0x7F, 0x10, 0x6F, 0x3A };

static void see_other(struct http_reply *r)
{
	http_reply_error(r, 303, "Back to the phonebook.");
	http_reply_field(r, "Location", PHONEBOOK);
}

static void list_entries(struct cgi_call *c, const struct card_file *f,
			 const struct card_file_info *info)
{
	struct http_buf *b = &c->reply->body;
	uint8_t rec[256];
	size_t used = 0;

	http_reply_html_begin(c->reply, "Phonebook");
	http_buf_puts(b, "<table class=\"phonebook\">\n"
		      "<tr><th>#</th><th>Name</th><th>Number</th><th></th></tr>\n");
	for (size_t i = 1; i <= info->records; i++) {
		struct adn_entry e;
		int rc = card_fs_read_record(c->site->fs, f, i, rec, sizeof(rec));

		rc = rc < 0 ? -1 : adn_decode(rec, info->rec_len, &e);
		if (rc == 1)
			continue;
		used++;
		http_buf_printf(b, "<tr><td>%zu</td><td>", i);
		if (rc < 0) {
			http_buf_puts(b, "<em>unreadable record</em></td><td>");
		} else {
			http_buf_put_html(b, e.name);
			http_buf_puts(b, "</td><td><a href=\"tel:");
			http_buf_put_html(b, e.number);
			http_buf_puts(b, "\">");
			http_buf_put_html(b, e.number);
			http_buf_puts(b, "</a>");
		}
		http_buf_printf(b, "</td><td><form method=\"post\" action=\""
				PHONEBOOK "\"><input type=\"hidden\" name=\"action\" "
				"value=\"delete\"><input type=\"hidden\" "
				"name=\"record\" value=\"%zu\">", i);
		site_csrf_input(c->site, b);
		http_buf_puts(b, "<button>Delete</button></form></td></tr>\n");
	}
	http_buf_printf(b, "</table>\n<p>%zu of %zu entries used.</p>\n",
			used, info->records);
	http_buf_printf(b, "<h2>Add an entry</h2>\n<form method=\"post\" "
			"action=\"" PHONEBOOK "\" class=\"add\">\n"
			"<input type=\"hidden\" name=\"action\" value=\"add\">\n"
			"<label>Name <input name=\"name\" maxlength=\"%zu\">"
			"</label>\n<label>Number <input name=\"number\" "
			"required pattern=\"[+]?[0-9*#p]{1,20}\"></label>\n",
			info->rec_len - 14);
	site_csrf_input(c->site, b);
	http_buf_puts(b, "\n<button>Add</button>\n</form>\n");
	http_reply_html_end(c->reply);
}

static void add_entry(struct cgi_call *c, const struct card_file *f,
		      const struct card_file_info *info)
{
	const char *name = cgi_param(c, "name"), *number = cgi_param(c, "number");
	struct adn_entry e = { 0 };
	uint8_t rec[256], old[256];

	if (!number || strlen(number) >= sizeof(e.number) ||
	    (name && strlen(name) >= sizeof(e.name)) || cgi_param(c, "record")) {
		http_reply_error(c->reply, 400, "add takes name and number.");
		return;
	}
	strcpy(e.name, name ? name : "");
	strcpy(e.number, number);
	if (adn_encode(&e, rec, info->rec_len)) {
		http_reply_error(c->reply, 400, "The name is too long for the "
				 "card, or the number is not [+] and up to 20 "
				 "of 0-9 * # p.");
		return;
	}
	for (size_t i = 1; i <= info->records; i++) {
		struct adn_entry tmp;

		if (card_fs_read_record(c->site->fs, f, i, old, sizeof(old)) < 0 ||
		    adn_decode(old, info->rec_len, &tmp) != 1)
			continue;
		if (card_fs_update_record(c->site->fs, f, i, rec, info->rec_len))
			http_reply_error(c->reply, 500, "The card could not store it.");
		else
			see_other(c->reply);
		return;
	}
	http_reply_error(c->reply, 507, "The phonebook is full.");
}

static void delete_entry(struct cgi_call *c, const struct card_file *f,
			 const struct card_file_info *info)
{
	const char *rec = cgi_param(c, "record");
	uint8_t blank[256];
	char *end;
	unsigned long n;

	if (!rec || !*rec || rec[0] == '+' || rec[0] == '-' ||
	    cgi_param(c, "name") || cgi_param(c, "number")) {
		http_reply_error(c->reply, 400, "delete takes record.");
		return;
	}
	n = strtoul(rec, &end, 10);
	if (*end || strlen(rec) > 5) {
		http_reply_error(c->reply, 400, "record is a number.");
		return;
	}
	if (n < 1 || n > info->records) {
		http_reply_error(c->reply, 404, "There is no such record.");
		return;
	}
	memset(blank, 0xFF, sizeof(blank));
	if (card_fs_update_record(c->site->fs, f, n, blank, info->rec_len))
		http_reply_error(c->reply, 500, "The card could not store it.");
	else
		see_other(c->reply);
}

void cgi_phonebook(struct cgi_call *c)
{
	static const char *const allowed[] = { "action", "name", "number",
					       "record", NULL };
	const struct card_file *f =
		card_fs_select_path(c->site->fs, NULL, adn_path, sizeof(adn_path));
	const char *action = cgi_param(c, "action");
	struct card_file_info info;

	if (!f) {
		http_reply_error(c->reply, 500, "The card has no phonebook.");
		return;
	}
	card_fs_info(f, &info);
	if (info.rec_len > 256 || info.rec_len < 14) {
		http_reply_error(c->reply, 500, "The phonebook file is odd.");
		return;
	}
	if (!cgi_require_pin(c) || !cgi_only_params(c, allowed))
		return;
	if (c->req->method != HTTP_POST) {
		if (c->nparams)
			http_reply_error(c->reply, 400, "Change the phonebook with POST.");
		else
			list_entries(c, f, &info);
	} else if (action && !strcmp(action, "add")) {
		add_entry(c, f, &info);
	} else if (action && !strcmp(action, "delete")) {
		delete_entry(c, f, &info);
	} else {
		http_reply_error(c->reply, 400, "action is add or delete.");
	}
}

static void unblock_form(struct cgi_call *c, const char *title,
			 const char *message)
{
	struct http_buf *b = &c->reply->body;
	struct card_pin *pin = c->site->pin;

	http_reply_html_begin(c->reply, title);
	if (message) {
		http_buf_puts(b, "<p class=\"note\">");
		http_buf_put_html(b, message);
		http_buf_puts(b, "</p>\n");
	}
	http_buf_printf(b, "<p>PIN: %d of %d tries left. PUK: %d of %d tries "
			"left.</p>\n", card_pin_tries_left(pin),
			CARD_PIN_MAX_TRIES, card_pin_puk_tries_left(pin),
			CARD_PUK_MAX_TRIES);
	if (card_pin_puk_tries_left(pin) > 0) {
		http_buf_puts(b, "<form method=\"post\" action=\"/cgi/unblock\">\n"
			      "<label>PUK <input name=\"puk\" inputmode=\"numeric\" "
			      "required pattern=\"[0-9]{8}\"></label>\n"
			      "<label>New PIN <input name=\"pin\" inputmode=\"numeric\" "
			      "required pattern=\"[0-9]{4,8}\"></label>\n");
		site_csrf_input(c->site, b);
		http_buf_puts(b, "\n<button>Unblock</button>\n</form>\n");
	}
	http_reply_html_end(c->reply);
}

void cgi_unblock(struct cgi_call *c)
{
	static const char *const allowed[] = { "puk", "pin", NULL };
	const char *puk = cgi_param(c, "puk"), *new_pin = cgi_param(c, "pin");

	if (!cgi_only_params(c, allowed))
		return;
	if (c->req->method != HTTP_POST) {
		if (c->nparams)
			http_reply_error(c->reply, 400, "Unblock with POST.");
		else
			unblock_form(c, "Unblock the PIN", NULL);
		return;
	}
	if (!puk || !card_pin_valid(new_pin)) {
		http_reply_error(c->reply, 400, "puk and a new pin of 4 to 8 "
				 "digits are required.");
		return;
	}
	switch (card_pin_unblock(c->site->pin, puk, new_pin)) {
	case PIN_OK:
		unblock_form(c, "PIN unblocked", "Your new PIN is set.");
		break;
	case PIN_WRONG:
		c->reply->status = 403;
		unblock_form(c, "Unblock the PIN", "Wrong PUK.");
		break;
	case PIN_BLOCKED:
		c->reply->status = 403;
		unblock_form(c, "Card locked", "The PUK is blocked too. Please "
			     "contact customer care for a new SIM card.");
		break;
	}
}
