// SPDX-License-Identifier: GPL-2.0
/*
 * /cgi/display and /cgi/update: the card's elementary files over HTTP.
 *
 *   /cgi/display?df=7F10&ef=6F3A&record=1&offset=0&length=16&format=hex
 *   /cgi/update?df=7F10&ef=6F3A&record=1&offset=0&data=4A6F
 *
 * df is a path of FIDs from the MF ("7F10", "3F007F10", "7FFF"), ef one
 * FID in it.  record (from 1) is required for record files and refused
 * for transparent ones; offset and length count bytes within the record or
 * the file.  format: html (default), hex or raw.  The file's access
 * conditions apply: PIN ones need HTTP authentication with the card PIN,
 * ADM ones are 403.  /cgi/update always needs the PIN.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uicc/fs.h"
#include "site.h"

#define MAX_DF_DEPTH 4

struct ef_ref {
	const struct card_file *f;
	struct card_file_info info;
	char label[40];		/* "3F00/7F10/6F3A" */
	size_t rec;		/* 0 for transparent files */
	size_t offset;
	enum { FMT_HTML, FMT_HEX, FMT_RAW } format;
};

static bool parse_hex(const char *s, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = strlen(s);

	if (n == 0 || n % 2 || n / 2 > cap)
		return false;
	for (size_t i = 0; i < n; i += 2) {
		unsigned v = 0;

		for (size_t k = i; k < i + 2; k++) {
			char c = s[k];

			if (c >= '0' && c <= '9')
				v = v << 4 | (unsigned)(c - '0');
			else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
				v = v << 4 | (unsigned)((c | 0x20) - 'a' + 10);
			else
				return false;
		}
		out[i / 2] = (uint8_t)v;
	}
	*len = n / 2;
	return true;
}

/* Decimal, digits only, at most 5 of them. */
static bool parse_uint(const char *s, size_t *out)
{
	size_t n = 0, len = strlen(s);

	if (len == 0 || len > 5)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		n = n * 10 + (size_t)(*s - '0');
	}
	*out = n;
	return true;
}

static bool bad(struct cgi_call *c, const char *why)
{
	http_reply_error(c->reply, 400, why);
	return false;
}

/* "3F00/7F10/6F3A": the FIDs from the MF down to f. */
static void label_of(const struct card_file *f, char *out, size_t cap)
{
	uint16_t fids[MAX_DF_DEPTH + 2];
	size_t n = 0, len = 0;
	struct card_file_info info;

	for (;;) {
		card_fs_info(f, &info);
		fids[n++] = info.fid;
		if (card_fs_parent(f) == f || n == MAX_DF_DEPTH + 2)
			break;
		f = card_fs_parent(f);
	}
	out[0] = '\0';
	while (n-- > 0 && len + 6 < cap)
		len += (size_t)snprintf(out + len, cap - len, "%s%04X",
					len ? "/" : "", fids[n]);
}

/* df, ef, record, offset and format into ref; false with the reply set. */
static bool find_ef(struct cgi_call *c, struct ef_ref *ref)
{
	const char *df = cgi_param(c, "df"), *ef = cgi_param(c, "ef");
	const char *rec = cgi_param(c, "record"), *off = cgi_param(c, "offset");
	const char *fmt = cgi_param(c, "format");
	uint8_t dfp[2 * MAX_DF_DEPTH], efp[2];
	size_t dlen, elen;
	const struct card_file *d;
	struct card_file_info dinfo;

	memset(ref, 0, sizeof(*ref));
	if (!fmt || !strcmp(fmt, "html"))
		ref->format = FMT_HTML;
	else if (!strcmp(fmt, "hex"))
		ref->format = FMT_HEX;
	else if (!strcmp(fmt, "raw"))
		ref->format = FMT_RAW;
	else
		return bad(c, "format is html, hex or raw.");
	if (!df || !ef)
		return bad(c, "df and ef are required.");
	if (!parse_hex(df, dfp, sizeof(dfp), &dlen) || dlen % 2 ||
	    !parse_hex(ef, efp, sizeof(efp), &elen) || elen != 2)
		return bad(c, "df is 1 to 4 FIDs and ef one FID, in hex.");
	d = card_fs_select_path(c->site->fs, NULL, dfp, dlen);
	if (d)
		card_fs_info(d, &dinfo);
	if (!d || dinfo.type != CARD_FILE_DF) {
		http_reply_error(c->reply, 404, "There is no such DF.");
		return false;
	}
	ref->f = card_fs_select_path(c->site->fs, d, efp, 2);
	if (!ref->f || card_fs_parent(ref->f) != d) {
		http_reply_error(c->reply, 404, "There is no such EF.");
		return false;
	}
	card_fs_info(ref->f, &ref->info);
	if (ref->info.type == CARD_FILE_DF)
		return bad(c, "ef names a DF, not an EF.");
	label_of(ref->f, ref->label, sizeof(ref->label));

	if (ref->info.type == CARD_FILE_LINEAR_FIXED) {
		if (!rec || !parse_uint(rec, &ref->rec))
			return bad(c, "record (from 1) is required for this EF.");
		if (ref->rec < 1 || ref->rec > ref->info.records) {
			http_reply_error(c->reply, 404, "There is no such record.");
			return false;
		}
	} else if (rec) {
		return bad(c, "This EF is transparent: it has no records.");
	}
	if (off && !parse_uint(off, &ref->offset))
		return bad(c, "offset is a decimal number.");
	if (ref->offset >= (ref->rec ? ref->info.rec_len : ref->info.size))
		return bad(c, "offset is past the end.");
	return true;
}

static bool may(struct cgi_call *c, enum card_file_access ac)
{
	if (ac == CARD_AC_ALWAYS)
		return true;
	if (ac == CARD_AC_PIN)
		return cgi_require_pin(c);
	http_reply_error(c->reply, 403, "Only the operator may do that.");
	return false;
}

static void render(struct cgi_call *c, const struct ef_ref *ref,
		   const uint8_t *data, size_t len, const char *title)
{
	struct http_reply *r = c->reply;
	static const char *const kinds[] = { "DF", "transparent", "linear fixed" };

	if (ref->format == FMT_RAW) {
		r->content_type = "application/octet-stream";
		http_buf_put(&r->body, data, len);
		return;
	}
	if (ref->format == FMT_HEX) {
		r->content_type = "text/plain; charset=utf-8";
		for (size_t i = 0; i < len; i++)
			http_buf_printf(&r->body, "%02X", data[i]);
		http_buf_puts(&r->body, "\n");
		return;
	}
	http_reply_html_begin(r, title);
	http_buf_printf(&r->body, "<table class=\"file\">\n"
			"<tr><th>File</th><td>%s</td></tr>\n"
			"<tr><th>Structure</th><td>%s</td></tr>\n",
			ref->label, kinds[ref->info.type]);
	if (ref->rec)
		http_buf_printf(&r->body, "<tr><th>Record</th><td>%zu of %zu "
				"(%zu bytes each)</td></tr>\n", ref->rec,
				ref->info.records, ref->info.rec_len);
	else
		http_buf_printf(&r->body, "<tr><th>Size</th><td>%zu bytes"
				"</td></tr>\n", ref->info.size);
	http_buf_printf(&r->body, "<tr><th>Bytes</th><td>%zu at offset %zu"
			"</td></tr>\n</table>\n<pre class=\"hex\">", len,
			ref->offset);
	for (size_t i = 0; i < len; i += 16) {
		size_t n = len - i < 16 ? len - i : 16;

		http_buf_printf(&r->body, "%04zX ", ref->offset + i);
		for (size_t k = 0; k < 16; k++)
			http_buf_printf(&r->body, k < n ? " %02X" : "   ",
					k < n ? data[i + k] : 0);
		http_buf_puts(&r->body, "  ");
		for (size_t k = 0; k < n; k++) {
			char ch[2] = { (char)data[i + k], 0 };

			if (data[i + k] < 0x20 || data[i + k] > 0x7E)
				ch[0] = '.';
			http_buf_put_html(&r->body, ch);
		}
		http_buf_puts(&r->body, "\n");
	}
	http_buf_puts(&r->body, "</pre>\n");
	http_reply_html_end(r);
}

/* The whole record or file of ref into a new buffer (*len bytes). */
static uint8_t *load(struct cgi_call *c, const struct ef_ref *ref, size_t *len)
{
	size_t n = ref->rec ? ref->info.rec_len : ref->info.size;
	uint8_t *buf = malloc(n ? n : 1);
	int rc;

	if (!buf) {
		http_reply_error(c->reply, 500, "The card ran out of memory.");
		return NULL;
	}
	rc = ref->rec ? card_fs_read_record(c->site->fs, ref->f, ref->rec, buf, n)
		      : card_fs_read_binary(c->site->fs, ref->f, 0, buf, n);
	if (rc < 0 || (size_t)rc != n) {
		http_reply_error(c->reply, 500, "The file cannot be read.");
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

void cgi_display(struct cgi_call *c)
{
	static const char *const allowed[] = {
		"df", "ef", "record", "offset", "length", "format", NULL,
	};
	const char *length = cgi_param(c, "length");
	struct ef_ref ref;
	uint8_t *buf;
	size_t n, want;

	if (!cgi_only_params(c, allowed) || !find_ef(c, &ref) ||
	    !may(c, ref.info.read))
		return;
	n = (ref.rec ? ref.info.rec_len : ref.info.size) - ref.offset;
	want = n;
	if (length && (!parse_uint(length, &want) || want == 0 || want > n)) {
		bad(c, "length is 1 up to the bytes after offset.");
		return;
	}
	buf = load(c, &ref, &n);
	if (!buf)
		return;
	render(c, &ref, buf + ref.offset, want, "Card file");
	free(buf);
}

void cgi_update(struct cgi_call *c)
{
	static const char *const allowed[] = {
		"df", "ef", "record", "offset", "data", "format", NULL,
	};
	const char *data = cgi_param(c, "data");
	struct ef_ref ref;
	uint8_t *buf, bytes[HTTP_MAX_BODY / 2];
	size_t n, len;
	int rc;

	if (!cgi_require_pin(c) || !cgi_only_params(c, allowed) ||
	    !find_ef(c, &ref) || !may(c, ref.info.update))
		return;
	n = (ref.rec ? ref.info.rec_len : ref.info.size) - ref.offset;
	if (!data || !parse_hex(data, bytes, sizeof(bytes), &len) || len > n) {
		bad(c, "data is hex bytes that fit after offset.");
		return;
	}
	buf = load(c, &ref, &n);
	if (!buf)
		return;
	memcpy(buf + ref.offset, bytes, len);
	rc = ref.rec ? card_fs_update_record(c->site->fs, ref.f, ref.rec, buf, n)
		     : card_fs_update_binary(c->site->fs, ref.f, 0, buf, n);
	if (rc)
		http_reply_error(c->reply, 500, "The card could not store it.");
	else
		render(c, &ref, buf + ref.offset, len, "Card file updated");
	free(buf);
}
