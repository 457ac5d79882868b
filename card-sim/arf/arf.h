/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The card's access rules as Access Rule Files (GP SE Access Control,
 * GPD_SPE_013 chapter 7): a PKCS#15 application (AID
 * A000000063504B43532D3135) whose files say what the ARA-M's rules say,
 * for cards in `--access-rules arf` or `both` mode.  The application
 * also holds other data objects (arf_set_contents(): the DM bootstrap
 * file of dm/bootstrap_file.h), and exists with them alone in `aram`
 * mode: EF.ODF and an EF.DODF that names only them.
 *
 *   arf_files.c  the ARA-M's REF-AR-DOs as EF.ODF 5031, EF.DODF 5207,
 *                EF ACMain 4200 (the ARA-M's refresh tag), EF ACRules
 *                4300 and one EF ACConditions 4310, 4311 ... per SE
 *                application (pure, unit tested)
 *   arf.c        the application: SELECT by FID, READ BINARY; the files
 *                are built again whenever the ARA-M's rules change, so
 *                a STORE DATA through the inbox changes ACMain's tag
 *
 * Rules ARF cannot express (an Android package name, carrier-privilege
 * rules without AID) are left out; a missing APDU rule, NEVER for the
 * ARA-M, is written as an explicit APDU permission NEVER.
 */
#ifndef SCWS_CARD_ARF_H
#define SCWS_CARD_ARF_H

#include "uicc/apdu.h"
#include "aram/aram.h"

#define ARF_AID_LEN 12
extern const uint8_t arf_aid[ARF_AID_LEN];	/* A000000063504B43532D3135 */

#define ARF_EF_MAX 64		/* ODF, DODF, ACMain, ACRules, conditions */

/* ---- arf_files.c ---- */

struct arf_ef {
	uint16_t fid;
	uint8_t *data;		/* size bytes: content, then FF padding */
	size_t size;
	size_t len;		/* the content */
};

/* Another data object of the application (the DM bootstrap file, see
 * dm/bootstrap_file.h): its EF.DODF entry and its EF. */
struct arf_object {
	const uint8_t *dodf_entry;
	size_t dodf_len;
	uint16_t fid;
	const uint8_t *data;
	size_t len;
};

struct arf_files {
	struct arf_ef ef[ARF_EF_MAX];
	size_t n;
	unsigned int skipped;	/* REF-AR-DOs ARF cannot express */
};

/* The files for the REF-AR-DOs in rules (aram_rules format) and the
 * refresh tag; corrupt (TEST TOOLING) spoils EF ACRules.  0, or -1 (out
 * of memory, more SE applications than files). */
int arf_files_build(const uint8_t *rules, size_t len,
		    const uint8_t refresh[8], bool corrupt,
		    struct arf_files *out);
void arf_files_free(struct arf_files *f);
/* EF.ODF and an empty EF.DODF only: the application without access
 * rules (--access-rules aram), a place for other data objects. */
int arf_files_build_bare(struct arf_files *out);
/* Appends obj's entry to EF.DODF and adds its EF: 0 or -1. */
int arf_files_add_object(struct arf_files *f, const struct arf_object *obj);

/* ---- arf.c ---- */
struct arf;

/* Per logical channel: the current EF (-1: none, the ADF itself). */
struct arf_session {
	int ef;
};

struct arf *arf_open(struct aram *rules);
void arf_close(struct arf *f);
/* What the application holds: GP's access rule files or not (then it
 * answers without them), and another data object (NULL: none). */
void arf_set_contents(struct arf *f, bool access_rules,
		      const struct arf_object *obj);

/* Whether aid (a SELECT by DF name) names the application. */
bool arf_is_aid(const uint8_t *aid, size_t len);
/* The answer to SELECT of the application (FCP template 62). */
void arf_select(struct arf_session *s, struct apdu_resp *r);
/* Whether the application handles this command (SELECT by FID, READ
 * BINARY) rather than the UICC runtime. */
bool arf_handles(const struct apdu *c);
uint16_t arf_command(struct arf *f, struct arf_session *s,
		     const struct apdu *c, struct apdu_resp *r);

#endif /* SCWS_CARD_ARF_H */
