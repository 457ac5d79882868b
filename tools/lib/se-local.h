/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * se-local.h - the admin's own rules for the APDU access service
 * (/etc/scws/se-rules; docs/apdu-access.md).  One rule a line:
 *
 *   deny  AID [SELECTOR...]
 *   allow AID [SELECTOR...] [apdu HHHHHHHH/MMMMMMMM]...
 *
 * AID: hex (5..16 bytes), "*" (every SE application) or "default" (the
 * default application).  SELECTORs, all of which must match: "uid N",
 * "exe PATH", "cert-sha256 HEX" (the signing certificate of a validly
 * signed executable), "label LABEL" (the LSM label).  "#" starts a
 * comment.  The first matching line counts: deny refuses whatever the
 * card says; allow grants (every APDU, or the apdu filters) only where
 * the card has no rule for the pair.  Pure: unit tested and fuzzed.
 */
#ifndef SE_LOCAL_H
#define SE_LOCAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "seac-resolve.h"

#define SE_LOCAL_RULES_MAX 1024
#define SE_LOCAL_PATH_MAX 256

struct se_local_rule {
	bool allow;
	enum seac_aid_kind aid_kind;	/* SPECIFIC, ALL or DEFAULT */
	uint8_t aid[SEAC_AID_MAX];
	size_t aid_len;
	bool has_uid;
	uid_t uid;
	char exe[SE_LOCAL_PATH_MAX];	/* "" any */
	bool has_sha256;
	uint8_t sha256[32];
	char label[SEAC_PKG_MAX + 1];	/* "" any */
	size_t n_filters;		/* allow: 0 = every APDU */
	uint8_t filter[SEAC_FILTERS_MAX][8];
	unsigned int line;
};

struct se_local {
	size_t n;
	struct se_local_rule *rule;
};

/* Who asks, for the selectors. */
struct se_local_who {
	uid_t uid;
	const char *exe;		/* NULL: unknown */
	const struct seac_app *app;
};

/* Parses the whole file text.  0 with *out (free it), -EINVAL with why
 * ("line N: ..."), -E2BIG, -ENOMEM.  One bad line rejects the file. */
int se_local_parse(const char *text, size_t len, struct se_local *out,
		   char *why, size_t why_len);
void se_local_free(struct se_local *l);

/* The first rule for this AID (aid_len 0: default) and caller, or NULL. */
const struct se_local_rule *se_local_match(const struct se_local *l,
					   const uint8_t *aid, size_t aid_len,
					   const struct se_local_who *who);

#endif /* SE_LOCAL_H */
