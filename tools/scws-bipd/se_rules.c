// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * se_rules.c - the APDU access decision: trust anchors (the manufacturer's
 * directory, the card's certificates), the card's ARA-M rules (read again
 * when the refresh tag changes), the admin's local rules.
 */
#include "se_int.h"
#include "aram_reader.h"
#include "arf_reader.h"
#include "log.h"
#include "scws-sig.h"
#include "se-local.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SE_LOCAL_MAX (1 << 20)
#define DEFAULT_RULES "/etc/scws/se-rules"
#define DEFAULT_TRUST "/etc/scws/trusted.d"

void se_anchors_drop(struct se_service *s, size_t from)
{
	for (size_t i = from; i < s->n_anchors; i++)
		X509_free(s->anchors[i]);
	s->n_anchors = from;
}

/* The manufacturer's certificates (the directory), kept first. */
void se_load_trust_dir(struct se_service *s)
{
	const char *dir = s->o->se_trust_dir ? s->o->se_trust_dir :
			  DEFAULT_TRUST;
	struct dirent *e;
	DIR *d = opendir(dir);
	char path[PATH_MAX];

	if (!d)
		return;
	while ((e = readdir(d)) && s->n_anchors < SE_ANCHORS_MAX) {
		X509 *x;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		x = scws_sig_load_cert(path);
		if (x)
			s->anchors[s->n_anchors++] = x;
	}
	closedir(d);
	s->n_card_anchors = s->n_anchors;
}

static void card_cert(void *arg, const uint8_t *der, size_t len)
{
	struct se_service *s = arg;
	const unsigned char *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)len);

	if (x && s->n_anchors < SE_ANCHORS_MAX)
		s->anchors[s->n_anchors++] = x;
	else
		X509_free(x);
}

static void note(void *arg, uint16_t sw)
{
	cat_note_sw(arg, sw);
}

/* Whether the refresh tag of the rules in force is still the card's. */
static bool tag_unchanged(struct se_service *s, struct aram_link *al)
{
	struct aram_answer a;
	struct arf_answer fa;
	char why[200];
	uint16_t sw;
	bool same;

	if (s->from_arf) {
		same = !arf_read(al, false, &fa, &sw, why, sizeof(why)) &&
		       fa.has_refresh && !memcmp(fa.refresh, s->tag, 8);
		seac_rules_free(&fa.rules);
		return same;
	}
	same = !aram_read(al, false, &a, &sw) && a.has_refresh &&
	       !memcmp(a.refresh, s->tag, 8);
	aram_answer_free(&a);
	return same;
}

static void in_force(struct se_service *s, struct seac_rules *rs,
		     bool has_tag, const uint8_t *tag, bool from_arf)
{
	s->rules = *rs;
	s->rules_valid = true;
	s->rules_gen = s->gen;
	s->has_tag = has_tag;
	if (has_tag)
		memcpy(s->tag, tag, 8);
	s->from_arf = from_arf;
	log_info("se: %zu card rules (%s), %zu trusted certificates", rs->n,
		 from_arf ? "ARF" : "ARA-M", s->n_anchors);
}

/* No ARA-M: the ARF (PKCS#15), as GP SEAC and Android do. */
static int read_arf(struct se_service *s, struct aram_link *al)
{
	struct seac_rules none = { 0 };
	struct arf_answer fa;
	char why[200];
	uint16_t sw;
	int err = arf_read(al, true, &fa, &sw, why, sizeof(why));

	if (al->dead) {
		seac_rules_free(&fa.rules);
		return -ENODEV;
	}
	if (err == -ENOENT) {
		log_info("se: no ARA-M, no ARF: only the local rules apply");
		in_force(s, &none, false, NULL, false);
		return 0;
	}
	if (err) {
		log_warn("se: the card's ARF cannot be used (%s%s%s): no "
			 "access", strerror(-err), why[0] ? ": " : "", why);
		seac_rules_free(&fa.rules);
		return -EIO;
	}
	in_force(s, &fa.rules, fa.has_refresh, fa.refresh, true);
	return 0;
}

/*
 * The card's rules, read again when the card changed or the refresh tag
 * did (Android checks it at each channel opening too): the ARA-M's, else
 * the ARF's.  0, -EIO (unreadable: no access), or a failed link.
 */
int se_rules_update(struct se_service *s)
{
	struct aram_link al = { .link = s->b->card, .note = note,
				.arg = s->b };
	struct aram_answer a;
	struct seac_rules rs;
	char why[200];
	uint16_t sw;
	int err;

	if (s->rules_valid && s->rules_gen == s->gen && s->has_tag) {
		if (tag_unchanged(s, &al))
			return 0;
		if (al.dead)
			goto dead;
	}
	err = aram_read(&al, true, &a, &sw);
	if (al.dead)
		goto dead;
	seac_rules_free(&s->rules);
	s->rules_valid = false;
	se_anchors_drop(s, s->n_card_anchors);
	if (err == -ENOENT) {
		err = read_arf(s, &al);
		if (err == -ENODEV)
			goto dead;
		return err;
	}
	if (err) {
		log_warn("se: the card's access rules cannot be read (%s, SW "
			 "%04X): no access", strerror(-err), sw);
		return -EIO;
	}
	err = seac_parse(a.all, a.all_len, &rs, why, sizeof(why));
	if (err) {
		log_warn("se: the card's access rules are malformed (%s): "
			 "no access", why);
		aram_answer_free(&a);
		return -EIO;
	}
	if (a.certs)
		seac_parse_certs(a.certs, a.certs_len, card_cert, s);
	in_force(s, &rs, a.has_refresh, a.refresh, false);
	aram_answer_free(&a);
	return 0;
dead:
	s->b->card_failed = true;
	return -ENODEV;
}

/* The admin's file, read at each opening (it is small): edits apply at
 * once.  A missing file is no rule; a bad one denies (logged). */
static int local_load(struct se_service *s, struct se_local *l)
{
	const char *path = s->o->se_rules ? s->o->se_rules : DEFAULT_RULES;
	char *text, why[200];
	ssize_t n;
	int fd, err;

	memset(l, 0, sizeof(*l));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	text = malloc(SE_LOCAL_MAX);
	if (!text) {
		close(fd);
		return -ENOMEM;
	}
	n = read(fd, text, SE_LOCAL_MAX);
	close(fd);
	if (n < 0 || n == SE_LOCAL_MAX) {
		free(text);
		return n < 0 ? -EIO : -E2BIG;
	}
	err = se_local_parse(text, (size_t)n, l, why, sizeof(why));
	free(text);
	if (err)
		log_warn("se: %s: %s: no access until it is fixed", path, why);
	return err;
}

bool se_decide(struct se_conn *c, const struct se_caller *who,
	       const struct seac_rules *rules, const uint8_t *aid, size_t aid_len, struct seac_decision *d,
	       char *why, size_t why_len)
{
	struct se_service *s = c->s;
	struct se_local_who lw = { .uid = c->peer.uid, .exe = who->exe,
				   .app = &who->app };
	const struct se_local_rule *lr;
	struct se_local local;
	int err = local_load(s, &local);

	memset(d, 0, sizeof(*d));
	if (err) {
		snprintf(why, why_len, "the local rules cannot be used");
		return false;
	}
	lr = se_local_match(&local, aid, aid_len, &lw);
	if (lr && !lr->allow) {
		snprintf(why, why_len, "denied by the local rules (line %u)",
			 lr->line);
		se_local_free(&local);
		return false;
	}
	seac_resolve(rules, aid, aid_len, &who->app, d);
	if (d->step == SEAC_STEP_NONE && lr) {
		d->allowed = true;
		d->all_apdus = !lr->n_filters;
		d->n_filters = lr->n_filters;
		memcpy(d->filter, lr->filter, lr->n_filters * 8);
		snprintf(why, why_len, "allowed by the local rules (line %u)",
			 lr->line);
	} else {
		snprintf(why, why_len, "%s by the card: %s",
			 d->allowed ? "allowed" : "denied",
			 seac_step_name(d->step));
	}
	se_local_free(&local);
	return d->allowed;
}

/* OMAPI's SELECT P2 choices: first occurrence with FCI, FCP, FMD or no
 * response data (00, 04, 08, 0C); 02, next occurrence (selectNext). */
