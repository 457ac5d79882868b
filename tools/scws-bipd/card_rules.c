// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * card_rules.c - the card's rules read, mapped, merged with the local
 * file and loaded (see card_rules.h).
 */
#include "card_rules.h"
#include "acp-merge.h"
#include "acp-policy.h"
#include "arf_reader.h"
#include "loop.h"
#include "log.h"
#include "scws-nl.h"
#include "scws-nl-load.h"
#include "scws-nl-trust.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOCAL_MAX (4u << 20)	/* bytes of local policy file we read */

int card_rules_init(struct card_rules *cr, const struct bipd_opts *o)
{
	memset(cr, 0, sizeof(*cr));
	cr->o = o;
	cr->next_poll = -1;
	if (!seac_aid_parse(o->scws_aid ? o->scws_aid : SEAC_SCWS_AID_HEX,
			    cr->aid, &cr->aid_len)) {
		fprintf(stderr, "scws-bipd: --scws-aid: '%s' is not an AID "
			"(10 to 32 hex digits)\n", o->scws_aid);
		return -EINVAL;
	}
	return 0;
}

void card_rules_fini(struct card_rules *cr)
{
	if (cr->nl)
		scws_nl_close(cr->nl);
	cr->nl = NULL;
}

bool card_rules_enabled(const struct card_rules *cr)
{
	return cr->o->policy_file != NULL;
}

int64_t card_rules_deadline(const struct card_rules *cr)
{
	if (!card_rules_enabled(cr))
		return -1;
	return cr->refresh_due ? 0 : cr->next_poll;
}

static void hex8(char out[2 * SEAC_REFRESH_LEN + 1], const uint8_t *t)
{
	for (int i = 0; i < SEAC_REFRESH_LEN; i++)
		sprintf(out + 2 * i, "%02x", t[i]);
}

/* Writes dir/name through a temporary file and rename(): readers see the
 * old or the new text, never a part. */
static int write_state(const char *path, const char *text, size_t len)
{
	char tmp[4200];
	int fd, err = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	for (size_t off = 0; off < len && !err;) {
		ssize_t n = write(fd, text + off, len - off);

		if (n < 0 && errno != EINTR)
			err = -errno;
		else if (n > 0)
			off += (size_t)n;
	}
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

static int save(const struct card_rules *cr, const char *file,
		const char *text, size_t len)
{
	char path[4096];
	int err;

	if (mkdir(cr->o->state_dir, 0755) < 0 && errno != EEXIST) {
		err = -errno;
		log_warn("card rules: state directory %s: %s",
			 cr->o->state_dir, strerror(-err));
		return err;
	}
	snprintf(path, sizeof(path), "%s/%s", cr->o->state_dir, file);
	err = write_state(path, text, len);
	if (err)
		log_warn("card rules: writing %s: %s", path, strerror(-err));
	return err;
}

/* Logs a parser's errors, one line each. */
static void log_errors(const char *what, const struct acp_errors *errs)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return;
	acp_errors_print(f, what, errs);
	fclose(f);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		log_err("%s", line);
	free(text);
}

/* The local file: missing is empty (default deny), unreadable is an
 * error. */
static int read_local(const char *path, struct acp_policy *p)
{
	struct acp_errors errs;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "re");
	int err;

	if (!f) {
		err = -errno;
		if (err != -ENOENT) {
			log_err("policy %s: %s", path, strerror(-err));
			return err;
		}
		log_warn("policy %s does not exist: the card's rules and "
			 "default deny", path);
		acp_policy_init(p);
		return 0;
	}
	buf = malloc(LOCAL_MAX);
	if (!buf) {
		fclose(f);
		return -ENOMEM;
	}
	len = fread(buf, 1, LOCAL_MAX, f);
	err = ferror(f) ? -EIO : !feof(f) ? -EFBIG : 0;
	fclose(f);
	if (!err) {
		err = acp_parse(buf, len, p, &errs);
		if (err == -EINVAL)
			log_errors(path, &errs);
	} else {
		log_err("policy %s: %s", path, strerror(-err));
	}
	free(buf);
	return err;
}

/* Open the netlink link to the module once; false when it cannot be. */
static bool module_link(struct card_rules *cr)
{
	int err;

	if (cr->nl)
		return true;
	err = scws_nl_open(&cr->nl);
	if (err) {
		log_err("card rules: %s", scws_nl_open_strerror(err));
		cr->nl = NULL;
	}
	return !err;
}

struct cert_send {
	struct card_rules *cr;
	int err;
	unsigned int n;
};

static void send_cert(void *arg, const uint8_t *der, size_t len)
{
	struct cert_send *s = arg;

	if (!s->err)
		s->err = scws_nl_trust_add(s->cr->nl, SCWS_ANCHOR_CARD, der, len);
	s->n++;
}

/*
 * The module's card certificate set becomes what the card provides now,
 * before the card's rules are loaded: a rule "trusted any" must find them
 * from the first connection on.  0 or -errno (logged).
 */
static int send_certs(struct card_rules *cr, const struct aram_answer *a)
{
	struct cert_send s = { .cr = cr };

	if (cr->o->no_module)
		return 0;	/* test tooling: no kernel */
	if (!module_link(cr))
		return -ENOTCONN;
	s.err = scws_nl_trust_clear(cr->nl, SCWS_ANCHOR_CARD);
	if (!s.err && a->certs &&
	    seac_parse_certs(a->certs, a->certs_len, send_cert, &s))
		s.err = -EBADMSG;
	if (s.err)
		log_err("card rules: the card's certificates: %s%s%s",
			strerror(-s.err), *scws_nl_extack(cr->nl) ? ": " : "",
			scws_nl_extack(cr->nl));
	return s.err;
}

static int load(struct card_rules *cr, const struct acp_policy *p)
{
	int err;

	if (cr->o->no_module)
		return 0;	/* test tooling: no kernel to load into */
	if (!module_link(cr))
		return -ENOTCONN;
	err = scws_nl_policy_load(cr->nl, p);
	if (err) {
		log_err("card rules: loading the policy: %s%s%s",
			strerror(-err), *scws_nl_extack(cr->nl) ? ": " : "",
			scws_nl_extack(cr->nl));
		scws_nl_close(cr->nl);
		cr->nl = NULL;
	}
	return err;
}

/* card_text: the card's rules in the policy format.  0 when the merged
 * policy is in force. */
static int apply(struct card_rules *cr, const char *card_text,
		 const uint8_t *tag)
{
	struct acp_policy local, card, merged;
	struct acp_merge_info info;
	struct acp_errors errs;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int err;

	err = acp_parse(card_text, strlen(card_text), &card, &errs);
	if (err) {
		if (err == -EINVAL)
			log_errors("card-rules", &errs);
		return err;
	}
	err = read_local(cr->o->policy_file, &local);
	if (err) {
		acp_policy_free(&card);
		return err;
	}
	err = acp_merge(&local, &card, &merged, &info);
	if (err) {
		log_err("card rules: merging: %s", strerror(-err));
		return err;
	}
	err = load(cr, &merged);
	if (!err) {
		f = open_memstream(&text, &len);
		if (f) {
			char t[2 * SEAC_REFRESH_LEN + 1] = "none";

			if (tag)
				hex8(t, tag);
			fprintf(f, "# scws-bipd: %s and the card's rules "
				"(refresh tag %s)%s\n", cr->o->policy_file, t,
				cr->o->no_module ? " (--no-module: not loaded)"
						 : "");
			acp_merge_print(f, &merged, &info);
			fclose(f);
			save(cr, "policy.conf", text, len);
			free(text);
		}
		save(cr, "card-rules.conf", card_text, strlen(card_text));
		cr->in_force = true;
		cr->applied++;
		cr->have_tag = tag != NULL;
		if (tag)
			memcpy(cr->tag, tag, SEAC_REFRESH_LEN);
		log_notice("card rules in force%s: %zu from the card, %zu "
			   "local deny, %zu local allow, default %s",
			   cr->o->no_module ? " (--no-module: written, not "
			   "loaded)" : "", info.card, info.local_deny,
			   info.local_allow,
			   acp_action_name(merged.default_action));
	}
	acp_policy_free(&merged);
	return err;
}

static void pem_put(FILE *f, const uint8_t *der, size_t len)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned int col = 0;

	fputs("-----BEGIN CERTIFICATE-----\n", f);
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)der[i] << 16;
		char q[4];

		if (i + 1 < len)
			v |= (uint32_t)der[i + 1] << 8;
		if (i + 2 < len)
			v |= der[i + 2];
		q[0] = b64[v >> 18 & 63];
		q[1] = b64[v >> 12 & 63];
		q[2] = i + 1 < len ? b64[v >> 6 & 63] : '=';
		q[3] = i + 2 < len ? b64[v & 63] : '=';
		fwrite(q, 1, 4, f);
		col += 4;
		if (col == 64) {
			fputc('\n', f);
			col = 0;
		}
	}
	if (col)
		fputc('\n', f);
	fputs("-----END CERTIFICATE-----\n", f);
}

struct cert_out {
	FILE *f;
	unsigned int n;
};

static void one_cert(void *arg, const uint8_t *der, size_t len)
{
	struct cert_out *o = arg;

	pem_put(o->f, der, len);
	o->n++;
}

/*
 * The certificates the card provides for trusted applications also go to
 * STATEDIR/card-certs.pem, for admins.
 */
static void save_certs(struct card_rules *cr, const struct aram_answer *a)
{
	struct cert_out o = { 0 };
	char *text = NULL;
	size_t len = 0;

	o.f = open_memstream(&text, &len);
	if (!o.f)
		return;
	if (a->certs && seac_parse_certs(a->certs, a->certs_len, one_cert,
					 &o)) {
		log_warn("card rules: the card's certificates are malformed: "
			 "not taken");
		o.n = 0;
	}
	fclose(o.f);
	save(cr, "card-certs.pem", o.n ? text : "", o.n ? len : 0);
	free(text);
	if (o.n)
		log_notice("card rules: %u certificate%s from the card", o.n,
			   o.n == 1 ? "" : "s");
}

static void refuse(struct card_rules *cr, const struct aram_answer *a,
		   const char *why)
{
	log_err("card rules refused (%s): the policy in force stays%s", why,
		cr->in_force ? "" : " (none of ours was loaded yet)");
	cr->refused_valid = a && a->has_refresh;
	if (cr->refused_valid)
		memcpy(cr->refused_tag, a->refresh, SEAC_REFRESH_LEN);
}

/* Refuses rules read from the ARF; tag: theirs, if ACMain was read. */
static void refuse_arf(struct card_rules *cr, const struct arf_answer *a,
		       const char *why)
{
	struct aram_answer tagged = { .has_refresh = a->has_refresh };

	memcpy(tagged.refresh, a->refresh, SEAC_REFRESH_LEN);
	refuse(cr, &tagged, why);
}

/*
 * No ARA-M on the card: its rules may be in the ARF (PKCS#15 files,
 * GPD_SPE_013 chapter 7) instead.  Same outcomes as the ARA-M's.
 */
static int read_arf(struct card_rules *cr, struct aram_link *l,
		    bool at_attach, bool force)
{
	struct aram_answer none = { 0 };
	struct arf_answer a;
	char why[300], msg[360], t[2 * SEAC_REFRESH_LEN + 1], *text = NULL;
	size_t len = 0;
	uint16_t sw;
	FILE *f;
	int err = arf_read(l, true, &a, &sw, why, sizeof(why));

	switch (err) {
	case 0:
		break;
	case -ENOENT:
		if (!at_attach)
			return 0;
		log_notice("no ARA-M and no ARF (%s): card rules not read",
			   why);
		apply(cr, "# no ARA-M and no ARF on the card: no card rules\n",
		      NULL);
		return 0;
	case -EIO:
	case -EBADMSG:
	case -E2BIG:
	case -ENOMEM:
		if (err == -EIO)
			snprintf(msg, sizeof(msg), "ARF: %s", why);
		else
			snprintf(msg, sizeof(msg), "malformed ARF: %s",
				 why[0] ? why : strerror(-err));
		if (a.has_refresh && cr->refused_valid && !at_attach &&
		    !force && !memcmp(a.refresh, cr->refused_tag,
				      SEAC_REFRESH_LEN))
			return 0;	/* refused already, said so */
		refuse_arf(cr, &a, msg);
		return 0;
	default:
		log_warn("card rules: the card link failed: %s",
			 strerror(-err));
		return err;
	}
	if (cr->refused_valid && !at_attach && !force &&
	    !memcmp(a.refresh, cr->refused_tag, SEAC_REFRESH_LEN)) {
		seac_rules_free(&a.rules);
		return 0;
	}
	hex8(t, a.refresh);
	log_notice("card rules: read from the ARF (PKCS#15), refresh tag %s, "
		   "%zu rule%s", t, a.rules.n, a.rules.n == 1 ? "" : "s");
	f = open_memstream(&text, &len);
	if (f) {
		seac_to_acp_from(f, &a.rules, cr->aid, cr->aid_len, a.refresh,
				 "ARF");
		fclose(f);
	}
	seac_rules_free(&a.rules);
	/* The ARF carries no certificates: the card's set becomes empty. */
	if (!f || send_certs(cr, &none) || apply(cr, text, a.refresh)) {
		refuse_arf(cr, &a, f ? "see above" : "out of memory");
	} else {
		cr->refused_valid = false;
		save_certs(cr, &none);
	}
	free(text);
	return 0;
}

/* at_attach: a new card; force: asked for (SIGHUP, REFRESH), so a rule
 * set refused before is tried again. */
static int read_and_apply(struct card_rules *cr, struct aram_link *l,
			  bool at_attach, bool force)
{
	struct aram_answer a;
	struct seac_rules rs;
	char why[200], *text = NULL;
	size_t len = 0;
	uint16_t sw;
	FILE *f;
	int err;

	err = aram_read(l, true, &a, &sw);
	switch (err) {
	case 0:
		break;
	case -ENOENT:
		log_info("no ARA-M (SELECT %04X): reading the ARF", sw);
		return read_arf(cr, l, at_attach, force);
	case -EIO:
		snprintf(why, sizeof(why), "the ARA-M answered %04X", sw);
		refuse(cr, NULL, why);
		return 0;
	case -EBADMSG:
	case -E2BIG:
	case -ENOMEM:
		refuse(cr, NULL, err == -EBADMSG ? "malformed ARA-M answer" :
		       strerror(-err));
		return 0;
	default:
		log_warn("card rules: the card link failed: %s",
			 strerror(-err));
		return err;
	}
	if (a.has_refresh && cr->refused_valid && !at_attach && !force &&
	    !memcmp(a.refresh, cr->refused_tag, SEAC_REFRESH_LEN)) {
		aram_answer_free(&a);
		return 0;	/* refused already, said so */
	}
	err = seac_parse(a.all, a.all_len, &rs, why, sizeof(why));
	if (err) {
		char msg[260];

		snprintf(msg, sizeof(msg), "malformed rules: %s", why);
		refuse(cr, &a, msg);
		aram_answer_free(&a);
		return 0;
	}
	f = open_memstream(&text, &len);
	if (f) {
		seac_to_acp(f, &rs, cr->aid, cr->aid_len,
			    a.has_refresh ? a.refresh : NULL);
		fclose(f);
	}
	seac_rules_free(&rs);
	if (!f || send_certs(cr, &a) ||
	    apply(cr, text, a.has_refresh ? a.refresh : NULL)) {
		refuse(cr, &a, f ? "see above" : "out of memory");
	} else {
		cr->refused_valid = false;
		save_certs(cr, &a);
	}
	free(text);
	aram_answer_free(&a);
	return 0;
}

/* No ARA-M: ACMain's refresh tag, as the ARA-M's would be. */
static int poll_arf(struct aram_link *l, struct aram_answer *out)
{
	struct arf_answer a;
	char why[300];
	uint16_t sw;
	int err = arf_read(l, false, &a, &sw, why, sizeof(why));

	memset(out, 0, sizeof(*out));
	if (err == -E2BIG || err == -ENOMEM)
		return -EIO;	/* not the link: keep the card */
	if (err)
		return err;
	out->has_refresh = true;
	memcpy(out->refresh, a.refresh, SEAC_REFRESH_LEN);
	return 0;
}

int card_rules_sync(struct card_rules *cr, struct aram_link *l,
		    bool at_attach)
{
	struct aram_answer a;
	uint16_t sw;
	int err;

	if (!card_rules_enabled(cr))
		return 0;
	cr->next_poll = cr->o->card_rules_poll_ms ?
			now_ms() + cr->o->card_rules_poll_ms : -1;
	if (at_attach || cr->refresh_due) {
		cr->refresh_due = false;
		return read_and_apply(cr, l, at_attach, true);
	}
	/* A poll: the refresh tag alone tells whether anything changed. */
	err = aram_read(l, false, &a, &sw);
	if (err == -ENOENT)
		err = poll_arf(l, &a);
	if (err == -ENOENT || err == -EIO || err == -EBADMSG)
		return 0;
	if (err)
		return err;
	if (a.has_refresh && cr->have_tag &&
	    !memcmp(a.refresh, cr->tag, SEAC_REFRESH_LEN))
		return 0;
	if (a.has_refresh && cr->refused_valid &&
	    !memcmp(a.refresh, cr->refused_tag, SEAC_REFRESH_LEN))
		return 0;
	if (a.has_refresh) {
		char t[2 * SEAC_REFRESH_LEN + 1];

		hex8(t, a.refresh);
		log_notice("card rules: refresh tag now %s: reading them", t);
	}
	return read_and_apply(cr, l, false, false);
}
