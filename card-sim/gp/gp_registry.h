/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The GlobalPlatform registry of the embedded SE (GP 2.3 section 5.2 and
 * 9): executable load files with their modules, and applications, each
 * with its life cycle state and privileges.  Kept in the card state under
 * "gp.registry" so a restart keeps what was installed.  The ISD itself is
 * not stored: it is always there.
 */
#ifndef SCWS_CARD_GP_REGISTRY_H
#define SCWS_CARD_GP_REGISTRY_H

#include "gp/gp_cmd.h"

#define GP_ELF_MAX 16
#define GP_APP_MAX 32
#define GP_CODE_MAX 32768	/* bytes of load files the card holds */

/* Life cycle states (GP 2.3 11.1.1). */
enum {
	GP_LC_LOADED = 0x01,		/* executable load file */
	GP_LC_INSTALLED = 0x03,		/* application */
	GP_LC_SELECTABLE = 0x07,
	GP_LC_SECURED = 0x0F,		/* the ISD */
};

struct gp_elf {
	struct gp_aid aid;
	uint32_t size;			/* code bytes */
	struct gp_aid modules[GP_MODULES_MAX];
	uint8_t nmodules;
};

struct gp_app {
	struct gp_aid aid, elf, module;
	uint8_t life;
	uint8_t priv[3];
};

struct gp_registry {
	struct gp_elf elf[GP_ELF_MAX];
	size_t nelf;
	struct gp_app app[GP_APP_MAX];
	size_t napp;
};

/* The registry from its stored bytes; false if they are malformed (the
 * registry is then empty). */
bool gp_registry_decode(const uint8_t *b, size_t len, struct gp_registry *r);
/* Its bytes into out (cap at least GP_REGISTRY_BYTES); the length. */
#define GP_REGISTRY_BYTES (8 + GP_ELF_MAX * (1 + GP_AID_MAX + 4 + 1 + \
			   GP_MODULES_MAX * (1 + GP_AID_MAX)) + \
			   GP_APP_MAX * (3 * (1 + GP_AID_MAX) + 4))
size_t gp_registry_encode(const struct gp_registry *r, uint8_t *out);

struct gp_elf *gp_registry_elf(struct gp_registry *r, const struct gp_aid *a);
struct gp_app *gp_registry_app(struct gp_registry *r, const struct gp_aid *a);
uint32_t gp_registry_code_used(const struct gp_registry *r);
void gp_registry_drop_app(struct gp_registry *r, struct gp_app *a);
void gp_registry_drop_elf(struct gp_registry *r, struct gp_elf *e);

#endif /* SCWS_CARD_GP_REGISTRY_H */
