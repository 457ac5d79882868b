// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * dm-semo.c - Exec of a SEMO script and its report (dm-semo.h).
 *
 * The script runs in one session of the APDU access service: each 'aid'
 * step opens a logical channel to that applet (the SELECT is recorded as
 * a result), each C-APDU goes out on the channel it opened, and the
 * first answer whose SW is not the expected one stops the script: the
 * steps after it are not sent.  The SE's own access control applies: the
 * service decides per caller (the admin's se-rules must allow scws-dmc
 * on an SE without access rules, such as the eSE).
 */
#include "dm-semo.h"
#include "dm-exec.h"
#include "dm-auth.h"
#include "dm-semo-script.h"
#include "scws-se.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct semo_result {
	char capdu[2 * SEMO_APDU_MAX + 1];
	char rapdu[2 * 4096 + 1];
	char sw[5];
};

struct semo_run {
	struct scws_se *se;
	uint8_t session, chan;
	bool has_chan;
	struct semo_result res[SEMO_STEPS_MAX];
	size_t nres;
	char status[512];
	uint8_t buf[SE_PROTO_MSG_MAX];
};

static void to_hex(char *out, const uint8_t *p, size_t n)
{
	static const char d[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[p[i] >> 4];
		out[2 * i + 1] = d[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static int failed(struct semo_run *r, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int failed(struct semo_run *r, int code, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(r->status, sizeof(r->status), "Failed: ");

	va_start(ap, fmt);
	vsnprintf(r->status + n, sizeof(r->status) - (size_t)n, fmt, ap);
	va_end(ap);
	fprintf(stderr, "scws-dmc: SEMO: %s\n", r->status + n);
	return code;
}

static const char *why(const struct semo_run *r, int err)
{
	static char msg[400];

	if (err < 0)
		snprintf(msg, sizeof(msg), "%s", strerror(-err));
	else
		snprintf(msg, sizeof(msg), "%s (%s)",
			 se_status_name((enum se_status)err),
			 scws_se_error(r->se));
	return msg;
}

/* The R-APDU (data, SW) of step i into the results. */
static void record(struct semo_run *r, const uint8_t *c, size_t clen,
		   const uint8_t *resp, size_t rlen)
{
	struct semo_result *res = &r->res[r->nres++];

	to_hex(res->capdu, c, clen);
	res->rapdu[0] = res->sw[0] = '\0';
	if (rlen >= 2) {
		to_hex(res->rapdu, resp, rlen - 2);
		to_hex(res->sw, resp + rlen - 2, 2);
	}
}

static int open_step(struct semo_run *r, const struct semo_step *st,
		     size_t i)
{
	uint8_t sel[5 + SEMO_AID_MAX + 1] = { 0x00, 0xA4, 0x04, 0x00 };
	size_t len = 0;
	int err;

	if (r->has_chan)
		scws_se_close_channel(r->se, r->chan);
	r->has_chan = false;
	sel[4] = (uint8_t)st->len;
	memcpy(sel + 5, st->bytes, st->len);
	sel[5 + st->len] = 0x00;
	err = scws_se_open_logical(r->se, r->session, st->bytes, st->len,
				   0x00, &r->chan, r->buf, sizeof(r->buf),
				   &len);
	record(r, sel, 6 + st->len, r->buf, err ? 0 : len);
	if (err)
		return failed(r, DM_FAILED, "step %zu (line %u): open: %s",
			      i + 1, st->line, why(r, err));
	r->has_chan = true;
	if (len < 2 || !semo_sw_ok(st, (uint16_t)(r->buf[len - 2] << 8 |
						  r->buf[len - 1])))
		return failed(r, DM_FAILED, "step %zu (line %u): SELECT "
			      "answered SW %s", i + 1, st->line,
			      r->res[r->nres - 1].sw);
	return DM_OK;
}

static int apdu_step(struct semo_run *r, const struct semo_step *st,
		     size_t i)
{
	size_t len = 0;
	int err = scws_se_transmit(r->se, r->chan, st->bytes, st->len, r->buf,
				   sizeof(r->buf), &len);

	if (len > 4098)
		len = 0;	/* longer than a result keeps */
	record(r, st->bytes, st->len, r->buf, err ? 0 : len);
	if (err)
		return failed(r, DM_FAILED, "step %zu (line %u): %s", i + 1,
			      st->line, why(r, err));
	uint16_t sw = len >= 2 ? (uint16_t)(r->buf[len - 2] << 8 |
					    r->buf[len - 1]) : 0;

	if (len < 2 || !semo_sw_ok(st, sw)) {
		char want[8];

		snprintf(want, sizeof(want), "%04X", st->sw);
		return failed(r, DM_FAILED, "step %zu (line %u): SW %04X, "
			      "expected %s", i + 1, st->line, sw,
			      st->has_sw ? want : "9000");
	}
	return DM_OK;
}

/* Whether the service offers the SE, with a card in it. */
static int find_se(struct semo_run *r, const char *name)
{
	struct scws_se_reader rd[8];
	size_t n = 0;
	int err = scws_se_list(r->se, rd, 8, &n);

	if (err)
		return failed(r, DM_FAILED, "list: %s", why(r, err));
	for (size_t i = 0; i < n; i++) {
		if (strcmp(rd[i].name, name))
			continue;
		if (!rd[i].present)
			return failed(r, DM_NOT_FOUND, "no card in SE '%s'",
				      name);
		return DM_OK;
	}
	return failed(r, DM_NOT_FOUND, "no SE '%s' on this device", name);
}

static int run_script(struct semo_run *r, const char *se_name,
		      const struct semo_script *s)
{
	int code, err = scws_se_connect(NULL, &r->se);

	if (err)
		return failed(r, DM_FAILED, "APDU access service: %s",
			      strerror(-err));
	code = find_se(r, se_name);
	if (code != DM_OK)
		goto out;
	err = scws_se_open_session(r->se, se_name, &r->session);
	if (err) {
		code = failed(r, err == SE_ERR_NO_READER ? DM_NOT_FOUND :
			      DM_FAILED, "open session: %s", why(r, err));
		goto out;
	}
	for (size_t i = 0; i < s->n && code == DM_OK; i++)
		code = s->step[i].is_aid ? open_step(r, &s->step[i], i) :
		       apdu_step(r, &s->step[i], i);
	if (code == DM_OK)
		snprintf(r->status, sizeof(r->status), "Succeeded");
out:
	scws_se_close(r->se);	/* closes the session and its channel */
	return code;
}

static struct dm_node *child(struct dm_node *n, const char *name)
{
	for (struct dm_node *c = n ? n->child : NULL; c; c = c->next)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* ./SEMO/<x>/Operations/Execute: x, else NULL. */
static struct dm_node *semo_of(struct dm_node *n)
{
	struct dm_node *ops = n->parent, *x = ops ? ops->parent : NULL;
	struct dm_node *semo = x ? x->parent : NULL;

	if (strcmp(n->name, "Execute") || !ops || strcmp(ops->name,
	    "Operations") || !semo || strcmp(semo->name, "SEMO") ||
	    !semo->parent || semo->parent->parent)
		return NULL;
	return x;
}

static int set_leaf(struct dm_node *root, const char *uri, const char *v)
{
	struct dm_node *n = dm_tree_find(root, uri);

	if (n)
		return dm_tree_replace(n, "chr", "text/plain", v);
	return dm_tree_add(root, uri, "chr", "text/plain", v, NULL);
}

static void write_results(struct dm_node *root, const char *base,
			  const struct semo_run *r)
{
	char uri[2048];
	struct dm_node *old;

	snprintf(uri, sizeof(uri), "%s/Results", base);
	old = dm_tree_find(root, uri);
	if (old)
		dm_tree_delete(old);
	dm_tree_add(root, uri, "node", NULL, NULL, NULL);
	for (size_t i = 0; i < r->nres; i++) {
		static const char *const leaf[] = { "CAPDU", "RAPDU", "SW" };
		const char *val[] = { r->res[i].capdu, r->res[i].rapdu,
				      r->res[i].sw };

		for (int k = 0; k < 3; k++) {
			snprintf(uri, sizeof(uri), "%s/Results/%zu/%s", base,
				 i + 1, leaf[k]);
			dm_tree_add(root, uri, "chr", "text/plain", val[k],
				    NULL);
		}
	}
}

static int load_script(struct dm_node *node, struct semo_script *s,
		       char *err, size_t es)
{
	const char *v = node->value ? node->value : "";

	if (node->format && !strcmp(node->format, "b64")) {
		static uint8_t raw[SEMO_SCRIPT_MAX];
		size_t n;

		if (dm_b64_decode(v, raw, sizeof(raw), &n)) {
			snprintf(err, es, "Script is not base64");
			return -1;
		}
		return semo_script_parse((const char *)raw, n, s, err, es);
	}
	return semo_script_parse(v, strlen(v), s, err, es);
}

int dm_semo_exec(struct dm_node *root, struct dm_node *n)
{
	struct dm_node *x = semo_of(n), *se_name, *script;
	struct semo_script *s = NULL;
	struct semo_run *r = NULL;
	char base[1024], uri[1100], err[300];
	int code;

	if (!x)
		return 0;
	if (dm_node_uri(x, base, sizeof(base)))
		return DM_FAILED;
	s = calloc(1, sizeof(*s));
	r = calloc(1, sizeof(*r));
	if (!s || !r) {
		code = DM_FAILED;
		goto out;
	}
	se_name = child(x, "SEName");
	script = child(x, "Script");
	if (!se_name || !se_name->value || !script) {
		code = failed(r, DM_BAD_REQUEST, "%s needs SEName and Script",
			      base);
	} else if (load_script(script, s, err, sizeof(err))) {
		code = failed(r, DM_BAD_REQUEST, "Script: %s", err);
	} else {
		code = run_script(r, se_name->value, s);
		/* Results (and a report) only when the script reached the SE. */
		if (r->nres) {
			write_results(root, base, r);
			snprintf(uri, sizeof(uri), "%s/Ext/PendingReport", base);
			snprintf(err, sizeof(err), "%d", code);
			set_leaf(root, uri, err);
		}
	}
	snprintf(uri, sizeof(uri), "%s/Status", base);
	set_leaf(root, uri, r->status);
out:
	free(s);
	free(r);
	return code;
}

void dm_semo_pending_alerts(struct dm_node *root, struct dm_out *out)
{
	struct dm_node *semo = dm_tree_find(root, "./SEMO");

	for (struct dm_node *x = semo ? semo->child : NULL; x; x = x->next) {
		struct dm_node *p = child(child(x, "Ext"), "PendingReport");
		char uri[1100], base[1024];

		if (!p || dm_node_uri(x, base, sizeof(base)))
			continue;
		snprintf(uri, sizeof(uri), "%s/Operations/Execute", base);
		dm_out_alert(out, 1226, uri, "chr", SEMO_ALERT_TYPE,
			     p->value ? p->value : "");
		dm_tree_delete(p);
	}
}
