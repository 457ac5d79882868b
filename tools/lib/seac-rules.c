// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * seac-rules.c - ARA-M answers into REF-AR-DOs, REF-AR-DOs into ACP text
 * (see seac-rules.h and docs/card-rules.md).
 */
#include "seac-rules.h"
#include "ber.h"
#include "hex.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum {
	TAG_AID_REF = 0x4F,
	TAG_AID_DEFAULT = 0xC0,
	TAG_HASH_REF = 0xC1,
	TAG_PKG_REF = 0xCA,
	TAG_APDU_AR = 0xD0,
	TAG_NFC_AR = 0xD1,
	TAG_PERM_AR = 0xDB,
	TAG_REF_DO = 0xE1,
	TAG_REF_AR_DO = 0xE2,
	TAG_AR_DO = 0xE3,
};

void seac_rules_free(struct seac_rules *r)
{
	free(r->rule);
	r->rule = NULL;
	r->n = 0;
}

#define FAIL(at, ...) ber_fail(why, why_len, base, (at), __VA_ARGS__)

/* E1 value: AID-REF-DO (4F or C0, optional), DeviceAppID-REF-DO (C1),
 * PKG-REF-DO (CA, optional), in this order. */
static int parse_ref_do(const uint8_t *base, const uint8_t *v, size_t len,
			struct seac_rule *r, char *why, size_t why_len)
{
	struct ber_tlv t;

	if (!ber_read(v, len, &t))
		return FAIL(v, "malformed TLV in REF-DO");
	if (t.tag == TAG_AID_REF) {
		if (t.len != 0 && (t.len < 5 || t.len > SEAC_AID_MAX))
			return FAIL(v, "AID-REF-DO of %zu bytes (0 or 5..16)",
				    t.len);
		r->aid_kind = t.len ? SEAC_AID_SPECIFIC : SEAC_AID_ALL;
		memcpy(r->aid, t.val, t.len);
		r->aid_len = t.len;
	} else if (t.tag == TAG_AID_DEFAULT) {
		if (t.len)
			return FAIL(v, "C0 (default application) not empty");
		r->aid_kind = SEAC_AID_DEFAULT;
	}
	if (r->aid_kind != SEAC_AID_NONE) {
		v += t.size;
		len -= t.size;
		if (!ber_read(v, len, &t))
			return FAIL(v, "REF-DO without DeviceAppID-REF-DO");
	}
	if (t.tag != TAG_HASH_REF)
		return FAIL(v, "tag %X where DeviceAppID-REF-DO (C1) belongs",
			    t.tag);
	if (t.len != 0 && t.len != 20 && t.len != 32)
		return FAIL(v, "DeviceAppID-REF-DO of %zu bytes (0, 20 or 32)",
			    t.len);
	memcpy(r->hash, t.val, t.len);
	r->hash_len = t.len;
	v += t.size;
	len -= t.size;
	if (!len)
		return 0;
	if (!ber_read(v, len, &t) || t.tag != TAG_PKG_REF || t.size != len)
		return FAIL(v, "only a PKG-REF-DO (CA) may follow C1");
	if (t.len == 0 || t.len > SEAC_PKG_MAX)
		return FAIL(v, "PKG-REF-DO of %zu bytes (1..127)", t.len);
	for (size_t i = 0; i < t.len; i++)
		if (t.val[i] < 0x21 || t.val[i] > 0x7E)
			return FAIL(t.val + i, "PKG-REF-DO byte %02X is not "
				    "printable ASCII", t.val[i]);
	memcpy(r->pkg, t.val, t.len);
	r->pkg[t.len] = '\0';
	return 0;
}

static bool filters_ok(const struct ber_tlv *t)
{
	return t->len >= 8 && t->len % 8 == 0;
}

/* E3 value: APDU-AR-DO, NFC-AR-DO, PERM-AR-DO, each at most once. */
static int parse_ar_do(const uint8_t *base, const uint8_t *v, size_t len,
		       struct seac_rule *r, char *why, size_t why_len)
{
	bool perm = false;
	struct ber_tlv t;

	if (!len)
		return FAIL(v, "empty AR-DO");
	for (; len; v += t.size, len -= t.size) {
		if (!ber_read(v, len, &t))
			return FAIL(v, "malformed TLV in AR-DO");
		switch (t.tag) {
		case TAG_APDU_AR:
			if (r->apdu != SEAC_ABSENT)
				return FAIL(v, "two APDU-AR-DOs");
			if (t.len == 1 && t.val[0] <= 1) {
				r->apdu = t.val[0] ? SEAC_ALWAYS : SEAC_NEVER;
			} else if (filters_ok(&t)) {
				/* Past the limit, fewer APDUs pass: safe. */
				r->apdu = SEAC_FILTER;
				r->n_filters = t.len / 8 < SEAC_FILTERS_MAX ?
					       t.len / 8 : SEAC_FILTERS_MAX;
				memcpy(r->filter, t.val, r->n_filters * 8);
			} else {
				return FAIL(v, "APDU-AR-DO of %zu bytes", t.len);
			}
			break;
		case TAG_NFC_AR:
			if (r->nfc != SEAC_ABSENT)
				return FAIL(v, "two NFC-AR-DOs");
			if (t.len != 1 || t.val[0] > 1)
				return FAIL(v, "NFC-AR-DO is not 00 or 01");
			r->nfc = t.val[0] ? SEAC_ALWAYS : SEAC_NEVER;
			break;
		case TAG_PERM_AR:
			if (perm || t.len != 8)
				return FAIL(v, "PERM-AR-DO is not one 8-byte DO");
			perm = true;
			break;
		default:
			return FAIL(v, "unknown tag %X in AR-DO", t.tag);
		}
	}
	return 0;
}

static int parse_ref_ar_do(const uint8_t *base, const struct ber_tlv *e2,
			   struct seac_rule *r, char *why, size_t why_len)
{
	const uint8_t *v = e2->val;
	size_t len = e2->len;
	struct ber_tlv ref, ar;
	int err;

	memset(r, 0, sizeof(*r));
	if (!ber_read(v, len, &ref) || ref.tag != TAG_REF_DO)
		return FAIL(v, "REF-AR-DO does not start with a REF-DO (E1)");
	if (!ber_read(v + ref.size, len - ref.size, &ar) ||
	    ar.tag != TAG_AR_DO || ref.size + ar.size != len)
		return FAIL(v + ref.size, "REF-DO not followed by exactly one "
			    "AR-DO (E3)");
	err = parse_ref_do(base, ref.val, ref.len, r, why, why_len);
	if (!err)
		err = parse_ar_do(base, ar.val, ar.len, r, why, why_len);
	return err;
}

int seac_all_total(const uint8_t *buf, size_t len, size_t *total)
{
	return seac_ff_total(buf, len, 0x40, total);
}

int seac_ff_total(const uint8_t *buf, size_t len, uint8_t tag2,
		  size_t *total)
{
	size_t vlen, field;

	if (len < 3)
		return len >= 1 && buf[0] != 0xFF ? -EBADMSG :
		       len >= 2 && buf[1] != tag2 ? -EBADMSG : -EAGAIN;
	if (buf[0] != 0xFF || buf[1] != tag2)
		return -EBADMSG;
	if (!ber_read_length(buf + 2, len - 2, &vlen, &field)) {
		/* A long form whose bytes have not all come yet. */
		if (buf[2] > 0x80 && buf[2] <= 0x83 &&
		    len - 3 < (size_t)(buf[2] & 0x7F))
			return -EAGAIN;
		return -EBADMSG;
	}
	*total = 2 + field + vlen;
	return 0;
}

int seac_parse(const uint8_t *buf, size_t len, struct seac_rules *out,
	       char *why, size_t why_len)
{
	const uint8_t *base = buf, *v;
	size_t total, cap = 0, left, hdr;
	struct ber_tlv t;
	int err;

	memset(out, 0, sizeof(*out));
	if (why_len)
		why[0] = '\0';
	err = seac_all_total(buf, len, &total);
	if (err)
		return FAIL(buf, "not a GET DATA [All] answer (FF40 L ...)");
	if (total != len)
		return FAIL(buf, "FF40 announces %zu bytes, the answer has %zu",
			    total, len);
	left = total - 2;
	if (!ber_read_length(buf + 2, left, &total, &hdr))
		return FAIL(buf, "bad FF40 length");
	v = buf + 2 + hdr;
	left -= hdr;
	while (left) {
		struct seac_rule *r;

		if (!ber_read(v, left, &t) || t.tag != TAG_REF_AR_DO) {
			err = FAIL(v, "expected a REF-AR-DO (E2)");
			goto out;
		}
		if (out->n == SEAC_RULES_MAX) {
			err = -E2BIG;
			FAIL(v, "more than %d rules", SEAC_RULES_MAX);
			goto out;
		}
		if (out->n == cap) {
			size_t ncap = cap ? cap * 2 : 8;

			r = realloc(out->rule, ncap * sizeof(*r));
			if (!r) {
				err = -ENOMEM;
				goto out;
			}
			out->rule = r;
			cap = ncap;
		}
		err = parse_ref_ar_do(base, &t, &out->rule[out->n], why,
				      why_len);
		if (err)
			goto out;
		out->n++;
		v += t.size;
		left -= t.size;
	}
	return 0;
out:
	seac_rules_free(out);
	return err;
}

int seac_parse_certs(const uint8_t *buf, size_t len,
		     void (*fn)(void *arg, const uint8_t *der, size_t len),
		     void *arg)
{
	size_t total, hdr, vlen, left;
	const uint8_t *v;
	struct ber_tlv t;

	if (seac_ff_total(buf, len, 0x70, &total) || total != len ||
	    !ber_read_length(buf + 2, len - 2, &vlen, &hdr))
		return -EBADMSG;
	/* Check everything before anyone sees a certificate. */
	for (v = buf + 2 + hdr, left = vlen; left; v += t.size, left -= t.size)
		if (!ber_read(v, left, &t) || t.tag != 0x30)
			return -EBADMSG;
	for (v = buf + 2 + hdr, left = vlen; left; v += t.size, left -= t.size) {
		ber_read(v, left, &t);
		fn(arg, v, t.size);
	}
	return 0;
}

bool seac_aid_parse(const char *hex, uint8_t *aid, size_t *aid_len)
{
	size_t n = strlen(hex);

	if (n % 2 || n / 2 < 5 || n / 2 > SEAC_AID_MAX)
		return false;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		aid[i] = (uint8_t)(hi << 4 | lo);
	}
	*aid_len = n / 2;
	return true;
}

/* ---- mapping ---- */

enum scope { SCOPE_SCWS, SCOPE_ALL, SCOPES };

static int scope_of(const struct seac_rule *r, const uint8_t *aid,
		    size_t aid_len)
{
	if (r->aid_kind == SEAC_AID_ALL)
		return SCOPE_ALL;
	if (r->aid_kind == SEAC_AID_SPECIFIC && r->aid_len == aid_len &&
	    !memcmp(r->aid, aid, aid_len))
		return SCOPE_SCWS;
	return -1;
}

static bool same_ref(const struct seac_rule *a, const struct seac_rule *b)
{
	return a->hash_len == b->hash_len &&
	       !memcmp(a->hash, b->hash, a->hash_len) &&
	       !strcmp(a->pkg, b->pkg);
}

/* Only ALWAYS lets a caller in: NEVER, a missing APDU rule (v1.1) and
 * APDU filters (nothing to filter on a TCP connection) keep it out. */
static bool allows(const struct seac_rule *r)
{
	return r->apdu == SEAC_ALWAYS;
}

static void put_hex(FILE *f, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", b[i]);
}

static const char *access_name(enum seac_access a)
{
	static const char *const names[] = {
		[SEAC_ABSENT] = "no APDU rule", [SEAC_NEVER] = "never",
		[SEAC_ALWAYS] = "always", [SEAC_FILTER] = "APDU filter",
	};

	return names[a];
}

/*
 * Writes one line per distinct REF-DO among the rules of scope s that
 * have (specific true) or lack a hash, those with a package first; deny
 * wins among rules with the same REF-DO.  *generic: an "all device
 * applications, any package" rule was written (nothing after it can
 * match).
 */
static unsigned int emit(FILE *f, const struct seac_rules *rs,
			 const int *scope, int s, bool specific,
			 bool *generic)
{
	unsigned int lines = 0;

	for (int pkg_pass = 1; pkg_pass >= 0; pkg_pass--) {
		for (size_t i = 0; i < rs->n; i++) {
			const struct seac_rule *r = &rs->rule[i];
			bool allow = true, first = true;
			enum seac_access why = SEAC_ALWAYS;

			if (scope[i] != s || (r->hash_len != 0) != specific ||
			    (r->pkg[0] != 0) != pkg_pass)
				continue;
			for (size_t j = 0; j < rs->n && first; j++) {
				if (scope[j] != s || !same_ref(r, &rs->rule[j]))
					continue;
				if (j < i)
					first = false;	/* written already */
				else if (!allows(&rs->rule[j]) && allow) {
					allow = false;
					why = rs->rule[j].apdu;
				}
			}
			if (!first)
				continue;
			if (why != SEAC_ALWAYS && why != SEAC_NEVER)
				fprintf(f, "# %s: not an allow for the SCWS\n",
					access_name(why));
			fputs(allow ? "allow" : "deny", f);
			if (r->hash_len) {
				fprintf(f, " signer-sha%s ",
					r->hash_len == 20 ? "1" : "256");
				put_hex(f, r->hash, r->hash_len);
			}
			if (r->pkg[0]) {
				fputs(" label \"", f);
				for (const char *c = r->pkg; *c; c++) {
					if (*c == '"' || *c == '\\')
						fputc('\\', f);
					fputc(*c, f);
				}
				fputc('"', f);
			} else if (!r->hash_len) {
				fputs(" all", f);
				*generic = true;
			}
			fputc('\n', f);
			lines++;
		}
	}
	return lines;
}

unsigned int seac_to_acp(FILE *f, const struct seac_rules *rs,
			 const uint8_t *scws_aid, size_t scws_aid_len,
			 const uint8_t *refresh)
{
	return seac_to_acp_from(f, rs, scws_aid, scws_aid_len, refresh,
				"ARA-M");
}

unsigned int seac_to_acp_from(FILE *f, const struct seac_rules *rs,
			      const uint8_t *scws_aid, size_t scws_aid_len,
			      const uint8_t *refresh, const char *store)
{
	static const char *const scope_name[SCOPES] = {
		[SCOPE_SCWS] = "the SCWS's AID",
		[SCOPE_ALL] = "all SE applications (4F 00)",
	};
	unsigned int lines = 0, relevant = 0, ignored = 0;
	int *scope = calloc(rs->n ? rs->n : 1, sizeof(*scope));
	bool done = false;

	fprintf(f, "# The card's access rules (GP SE Access Control, %s)",
		store);
	if (refresh) {
		fputs(", refresh tag ", f);
		put_hex(f, refresh, SEAC_REFRESH_LEN);
	}
	fputs("\n# SCWS AID ", f);
	put_hex(f, scws_aid, scws_aid_len);
	fprintf(f, "; %zu REF-AR-DO%s on the card\n", rs->n,
		rs->n == 1 ? "" : "s");
	if (!scope) {
		fputs("# out of memory: no card rule\n", f);
		return 0;
	}
	for (size_t i = 0; i < rs->n; i++) {
		scope[i] = scope_of(&rs->rule[i], scws_aid, scws_aid_len);
		if (scope[i] < 0)
			ignored++;
		else
			relevant++;
	}
	if (ignored)
		fprintf(f, "# %u rule%s for other SE applications ignored\n",
			ignored, ignored == 1 ? "" : "s");
	/* GP's order: (SCWS, hash), (SCWS, all apps), (all SE apps, hash),
	 * (all SE apps, all apps).  A hash rule at a level means callers
	 * with another certificate get NEVER there: a "deny all" ends it. */
	for (int s = 0; s < SCOPES && !done; s++) {
		unsigned int n;

		fprintf(f, "# %s, a device application's certificate\n",
			scope_name[s]);
		n = emit(f, rs, scope, s, true, &done);
		lines += n;
		if (n) {
			fputs("# other certificates: never (specific beats "
			      "generic)\ndeny all\n", f);
			lines++;
			done = true;
			break;
		}
		fprintf(f, "# %s, all device applications\n", scope_name[s]);
		lines += emit(f, rs, scope, s, false, &done);
	}
	if (relevant && !done) {
		fputs("# no rule matched: no access\ndeny all\n", f);
		lines++;
	} else if (!relevant) {
		fputs("# no rule concerns the SCWS: the local policy decides\n",
		      f);
	}
	free(scope);
	return lines;
}
