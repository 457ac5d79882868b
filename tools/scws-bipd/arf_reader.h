/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * arf_reader.h - the card's Access Rule Files (GP SE Access Control's ARF,
 * in the PKCS#15 application) read over the pump's own card link, on a
 * logical channel of its own like the ARA-M (aram_reader.h), when the
 * card has no ARA-M:
 *
 *   MANAGE CHANNEL open, SELECT A000000063504B43532D3135 (PKCS#15; else
 *   GP's A000000018475041432D3135; else the DF EF.DIR names for the
 *   PKCS#15 AID, selected by path from the MF), then for each file the walk in
 *   arf-rules.h asks for: SELECT by FID (P1 00, one FID at a time, as
 *   Android does; 3F00 first: by path from the MF) and READ BINARY in
 *   short APDUs of at most 256 bytes at 15-bit offsets, up to the size
 *   the FCP gives; MANAGE CHANNEL close.
 *
 * Blocking (a few dozen APDUs for a full read, 12 or so for a poll);
 * called between engine ticks.
 */
#ifndef BIPD_ARF_READER_H
#define BIPD_ARF_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aram_reader.h"
#include "arf-rules.h"

struct arf_answer {
	uint8_t refresh[SEAC_REFRESH_LEN];	/* EF ACMain's refresh tag */
	bool has_refresh;			/* ... was read */
	struct seac_rules rules;		/* rules_too only */
};

/*
 * Reads ACMain's refresh tag only (rules_too false) or every rule.
 * 0; -ENOENT when the card has no ARF (no PKCS#15 application, no EF.ODF,
 * no DODF entry with GP's OID; why[] says which); -EIO when the card
 * refused a command (*sw tells which status word); -EBADMSG for files
 * that are not what GPD_SPE_013 says (why[] names the file and the
 * offset); -E2BIG, -ENOMEM; or the link's error (the card is gone).
 * out->has_refresh may be true on failure: the refused rules' tag.  The
 * channel is closed in every case the link still works.
 */
int arf_read(struct aram_link *l, bool rules_too, struct arf_answer *out,
	     uint16_t *sw, char *why, size_t why_len);

#endif /* BIPD_ARF_READER_H */
