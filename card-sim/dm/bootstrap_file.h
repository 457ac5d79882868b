/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The card's DM bootstrap data (OMA DM Bootstrap 1.2, bootstrap from the
 * smartcard): the card's own DM account (dm_identity.h) as a TNDS object
 * (OMA DM TNDS 1.2, XML) in EF DM_Bootstrap of the PKCS#15 application,
 * found through an oidDO of EF.DODF with the OMA DM bootstrap OID
 * 2.23.43.7.1 whose value is the EF's Path (with index 0 and the TNDS
 * length).  The DM client reads it through the APDU access service
 * (scws-dmc bootstrap --from-card).  docs/device-management.md,
 * "Bootstrap from the card", says which facts come from where.
 */
#ifndef SCWS_CARD_DM_BOOTSTRAP_FILE_H
#define SCWS_CARD_DM_BOOTSTRAP_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "arf/arf.h"

/* EF DM_Bootstrap in the PKCS#15 application (our choice of FID). */
#define DM_BOOT_FID 0x4400


/* 2.23.43.7.1 {joint-iso-itu-t(2) international-organizations(23)
 * wap(43) oma-dm(7) bootstrap(1)}, content octets. */
extern const uint8_t dm_boot_oid[4];

/* The TNDS document into buf (NUL-terminated); its length, or -1 when
 * it does not fit. */
int dm_boot_tnds(char *buf, size_t cap);
/* The DODF entry (oidDO) naming EF DM_Bootstrap with index 0 and length
 * tnds_len; its length, or -1 when it does not fit. */
int dm_boot_dodf_entry(uint8_t *buf, size_t cap, size_t tnds_len);

/* Both, as the object the PKCS#15 application adds to its files; NULL if
 * they could not be made (then the card has no DM bootstrap). */
const struct arf_object *dm_boot_object(void);

/*
 * TEST TOOLING (--dm-bootstrap-fault): spoil the data on purpose, before
 * the first dm_boot_object(): "cut" (the EF shorter than its DODF entry
 * says), "xml" (malformed XML), "tag" (an element TNDS does not have),
 * "dodf" (the entry's Path with a wrong tag), "incomplete" (no SRVCRED),
 * "absent" (no DODF entry).  0, or -1 for an unknown kind.
 */
int dm_boot_set_fault(const char *kind);

#endif /* SCWS_CARD_DM_BOOTSTRAP_FILE_H */
