/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The data fields of the GlobalPlatform card content management commands
 * (GP Card Specification 2.3, chapter 11), parsed without side effects so
 * they can be unit tested and fuzzed apart from the card: INSTALL [for
 * load] / [for install] / [for make selectable], LOAD's load file (the
 * C4 object holding Java Card CAP components), DELETE and the search
 * criteria of GET STATUS.  Each parser returns 0 or the status word the
 * ISD answers (6A80 wrong data, 6A86 wrong P1/P2).
 */
#ifndef SCWS_CARD_GP_CMD_H
#define SCWS_CARD_GP_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GP_AID_MIN 5
#define GP_AID_MAX 16
#define GP_MODULES_MAX 4

struct gp_aid {
	uint8_t len;		/* 0: absent */
	uint8_t b[GP_AID_MAX];
};

bool gp_aid_eq(const struct gp_aid *a, const struct gp_aid *b);
/* Whether a starts with the len bytes of p (partial selection). */
bool gp_aid_prefix(const struct gp_aid *a, const uint8_t *p, size_t len);

/* INSTALL P1 bits (GP 2.3 Table 11-41). */
enum {
	GP_INSTALL_LOAD = 0x02,
	GP_INSTALL_INSTALL = 0x04,
	GP_INSTALL_SELECTABLE = 0x08,
};

struct gp_install {
	uint8_t p1;
	/* for load: elf, sd; for install: elf, module, app */
	struct gp_aid elf, sd, module, app;
	uint8_t priv[3];
	size_t priv_len;	/* 0, 1 or 3 */
	bool has_c9;		/* install parameters carry C9 */
};

/* INSTALL's P1, P2 and data field.  0 or the SW. */
uint16_t gp_parse_install(uint8_t p1, uint8_t p2, const uint8_t *d,
			  size_t len, struct gp_install *out);

/* DELETE: P1 00, P2 00 (the object) or 80 (with related objects), data
 * 4F AID [with an optional token, B6/9E, ignored]. */
struct gp_delete {
	struct gp_aid aid;
	bool related;
};
uint16_t gp_parse_delete(uint8_t p1, uint8_t p2, const uint8_t *d,
			 size_t len, struct gp_delete *out);

/* GET STATUS: P1 80 (ISD), 40 (applications), 20 (load files), 10
 * (load files and their modules); P2 02 (first) or 03 (next), TLV
 * format only; data 4F with a whole or partial AID (4F 00: all), an
 * optional 5C tag list is accepted and ignored. */
struct gp_status_req {
	uint8_t p1;
	bool next;
	uint8_t key[GP_AID_MAX];
	size_t key_len;
};
uint16_t gp_parse_get_status(uint8_t p1, uint8_t p2, const uint8_t *d,
			     size_t len, struct gp_status_req *out);

/* A load file as LOAD carries it: C4 (BER length) followed by CAP
 * components (tag u1, size u2, info).  The Header component (1) must
 * have the magic DECAFFED and name the package AID elf; the Applet
 * component (3), if any, lists the executable modules. */
struct gp_load_file {
	struct gp_aid modules[GP_MODULES_MAX];
	size_t nmodules;
	size_t code_size;	/* the C4 value length */
};
uint16_t gp_parse_load_file(const uint8_t *d, size_t len,
			    const struct gp_aid *elf, struct gp_load_file *out);

#endif /* SCWS_CARD_GP_CMD_H */
