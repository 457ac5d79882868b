/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * arf-rules.h - the card's access rules from its Access Rule Files (ARF:
 * GlobalPlatform SE Access Control, GPD_SPE_013 chapter 7, PKCS#15 files)
 * as the same REF-AR-DOs the ARA-M parser gives (seac-rules.h), so the
 * mapping to policy text, the merge and the state handling are shared.
 *
 * Pure: the card I/O is a callback (the pump's arf_reader.c, or a file
 * set in memory in the tests and the fuzzer).  The walk, after the
 * PKCS#15 application is selected:
 *
 *   EF.ODF (5031)       A7 {Path}: the DODF(s)
 *   EF.DODF             oidDO A1 {.. A1 {30 {06 1.2.840.114283.200.1.1,
 *                       Path}}}: EF ACMain
 *   EF ACMain           30 {04 08 refresh tag, Path}: EF ACRules
 *   EF ACRules          30 {A0 {04 AID} | 81 00 | 82 00, Path}*: one
 *                       EF ACConditions per SE application (or all)
 *   EF ACConditions     30 {[04 hash], [A0 {access rules}]}*; empty file:
 *                       no device application may use the SE application
 *
 * Path = 30 {04 FIDs}; a path that starts with 3F00 is absolute, any
 * other is relative to the PKCS#15 application.  Every file is DER read
 * strictly (tools/lib/ber.c); trailing 00 or FF bytes are padding, as
 * transparent EFs are longer than their content.  One malformed object or
 * a referenced file that cannot be read rejects the whole rule set.
 * Decisions and sources: docs/card-rules.md, "ARF".
 */
#ifndef ARF_RULES_H
#define ARF_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "seac-rules.h"

#define ARF_PATH_MAX 16		/* bytes of a path: 8 FIDs */
#define ARF_FILE_MAX 32767	/* READ BINARY offsets are 15 bits */
#define ARF_DODF_MAX 8		/* DODFs the ODF may name */
#define ARF_ACRULES_MAX 256	/* entries in EF ACRules */
#define ARF_FILES_MAX 64	/* distinct ACConditions files */

/* The PKCS#15 application (and GP's alternative for ARF, 7.1.3). */
extern const uint8_t arf_pkcs15_aid[12];	/* A000000063504B43532D3135 */
extern const uint8_t arf_gpac_aid[12];	/* A000000018475041432D3135 */

struct arf_path {
	uint8_t b[ARF_PATH_MAX];
	size_t len;		/* even, 2..ARF_PATH_MAX */
};

/* One ACRules entry: which SE application, where its conditions are. */
struct arf_acrule {
	enum seac_aid_kind aid_kind;	/* SPECIFIC, ALL (82), DEFAULT (81) */
	uint8_t aid[SEAC_AID_MAX];
	size_t aid_len;
	struct arf_path cond;
};

/*
 * The whole content of the transparent EF at path: 0 with *data (malloc,
 * the caller frees) and *len; -ENOENT when the card has no such file;
 * -EFBIG past ARF_FILE_MAX; any other negative value is passed on.
 */
typedef int arf_read_fn(void *arg, const struct arf_path *path,
			uint8_t **data, size_t *len);

/*
 * The walk.  arf_read_refresh() stops at EF ACMain (a poll);
 * arf_read_rules() reads everything: 0 with *out filled (free it with
 * seac_rules_free()) and refresh[]; -ENOENT when the card has no ARF (no
 * EF.ODF, or no DODF entry with GP's OID); -EBADMSG with why[] saying
 * which file and what; -E2BIG, -ENOMEM; or the callback's error.
 * *have_refresh (may be NULL) tells whether refresh[] was read, also when
 * a later file failed: a refused rule set is known by its tag.
 */
int arf_read_refresh(arf_read_fn *rd, void *arg,
		     uint8_t refresh[SEAC_REFRESH_LEN], char *why,
		     size_t why_len);
int arf_read_rules(arf_read_fn *rd, void *arg, struct seac_rules *out,
		   uint8_t refresh[SEAC_REFRESH_LEN], bool *have_refresh,
		   char *why, size_t why_len);

/*
 * The files one by one (0, -EBADMSG with why[], -ENOMEM, -E2BIG).
 * arf_parse_odf: the DODF paths (*n >= 1, or -ENOENT: none).
 * arf_parse_dodf: the ACMain path (-ENOENT: no entry with GP's OID; two
 * entries are -EBADMSG: GP 7.1.5 says the SE is then compromised).
 * arf_parse_acrules: *out is malloc'd (free it), *n may be 0.
 * arf_parse_acconditions: appends the conditions for rule to *rs.
 */
int arf_parse_odf(const uint8_t *buf, size_t len,
		  struct arf_path dodf[ARF_DODF_MAX], size_t *n, char *why,
		  size_t why_len);
int arf_parse_dodf(const uint8_t *buf, size_t len, struct arf_path *acmain,
		   char *why, size_t why_len);
int arf_parse_acmain(const uint8_t *buf, size_t len,
		     uint8_t refresh[SEAC_REFRESH_LEN],
		     struct arf_path *acrules, char *why, size_t why_len);
int arf_parse_acrules(const uint8_t *buf, size_t len,
		      struct arf_acrule **out, size_t *n, char *why,
		      size_t why_len);
int arf_parse_acconditions(const uint8_t *buf, size_t len,
			   const struct arf_acrule *rule,
			   struct seac_rules *rs, char *why, size_t why_len);

/*
 * One oidDO of a DODF (e, tag A1: PKCS15Object {CommonObjectAttributes,
 * CommonDataObjectAttributes, [0] subclass OPTIONAL, [1] OidDO {id,
 * value}}): 0 with *found and *value (the value TLV, inside e) when its
 * id is want (OID content octets); 0 with *found false for another id;
 * -EBADMSG with why (offsets from base) when malformed.  Other PKCS#15
 * data objects use it too (the DM bootstrap file, tools/scws-dmc).
 */
struct ber_tlv;
int arf_oid_do_value(const uint8_t *base, const struct ber_tlv *e,
		     const uint8_t *want, size_t want_len, struct ber_tlv *value,
		     bool *found, char *why, size_t why_len);

/*
 * One EF.DIR record (ISO 7816-4 8.2.1.1: 61 {4F AID, 50 label, 51 path,
 * ..}, padded with FF): 0 with *path (the DF, from the MF) when it is the
 * PKCS#15 application's; -ENOENT for another application or an empty
 * record; -EBADMSG when malformed.
 */
int arf_dir_record(const uint8_t *rec, size_t len, struct arf_path *path);

/* "4300" or "3F00/7F50/4300" for messages; out holds 3 * ARF_PATH_MAX. */
void arf_path_str(const struct arf_path *p, char *out, size_t out_len);

#endif /* ARF_RULES_H */
