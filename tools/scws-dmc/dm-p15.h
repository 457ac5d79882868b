/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * dm-p15.h - where a smartcard keeps its DM bootstrap data (OMA DM
 * Bootstrap 1.2, bootstrap from the smartcard; the PKCS#15 layout of OMA
 * Provisioning Smartcard): in the PKCS#15 application,
 *
 *   EF.ODF (5031)     A7 {Path}: the DODF(s) (tools/lib/arf-rules.c reads it)
 *   EF.DODF           oidDO A1 {30 {..}, 30 {..}, [A0 {..}],
 *                     A1 {30 {06 2.23.43.7.1, Path}}}
 *   EF DM_Bootstrap   the TNDS object, then padding
 *
 * Path = 30 {04 FIDs [, 02 index, 80 length]}: with index and length the
 * data are exactly those bytes of the EF (a shorter EF is an error);
 * without, the whole EF up to its padding (the first 00 or FF byte, which
 * XML text never holds).  Other data objects (opaqueDO, externalIDO,
 * oidDOs with other OIDs) are passed over; two DM bootstrap objects are
 * an error.  Pure: the card I/O is arf-rules.h's read callback (the
 * APDU access service in dm-card.c, a file set in the tests and fuzzer).
 */
#ifndef SCWS_DM_P15_H
#define SCWS_DM_P15_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arf-rules.h"

/* 2.23.43.7.1, content octets */
extern const uint8_t dm_p15_bootstrap_oid[4];

struct dm_p15_ref {
	struct arf_path path;
	bool part;		/* index and length given */
	size_t index, length;
};

/*
 * The DM bootstrap object of one EF.DODF: 0 with *ref; -ENOENT when the
 * DODF has none; -EBADMSG with why ("offset N: ...").
 */
int dm_p15_parse_dodf(const uint8_t *buf, size_t len, struct dm_p15_ref *ref,
		      char *why, size_t why_len);

/* The data ref names within the EF's content ef (len bytes): *out and
 * *out_len point into ef; -EBADMSG with why when the EF is too short or
 * the data are empty. */
int dm_p15_extract(const uint8_t *ef, size_t len, const struct dm_p15_ref *ref,
		   const uint8_t **out, size_t *out_len, char *why,
		   size_t why_len);

/*
 * The walk, with the PKCS#15 application selected: 0 with *data
 * (malloc'd, the caller frees) and *len; -ENOENT when the card has no
 * DM bootstrap object (no ODF, no DODF, no entry); -EBADMSG with why;
 * -ENOMEM; or the callback's error (why says which file).
 */
int dm_p15_read_bootstrap(arf_read_fn *rd, void *arg, uint8_t **data,
			  size_t *len, char *why, size_t why_len);

#endif
