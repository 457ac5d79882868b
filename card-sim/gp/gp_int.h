/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the embedded SE's files share: gp_card.c (dispatch, channels,
 * SELECT, the echo applet), gp_content.c (INSTALL, LOAD, DELETE) and
 * gp_status.c (GET STATUS).
 */
#ifndef SCWS_CARD_GP_INT_H
#define SCWS_CARD_GP_INT_H

#include "gp/gp.h"
#include "gp/gp_cmd.h"
#include "gp/gp_registry.h"
#include "uicc/apdu.h"

#define GP_CHANNELS 4
#define GP_SW_NO_SPACE 0x6A84	/* not enough memory space */
#define GP_STATUS_MAX 256	/* GET STATUS answer without Le: 256 */

struct gp_chan {
	bool open;
	struct gp_aid selected;		/* len 0: nothing selected */
	/* GET STATUS '63 10': where the next occurrence starts */
	bool more;
	struct gp_status_req more_req;
	size_t more_from;
};

/* A load in progress (INSTALL [for load], then LOAD blocks). */
struct gp_load {
	bool active;
	struct gp_aid elf;
	unsigned int next_block;
	uint8_t buf[GP_CODE_MAX + 8];
	size_t len;
};

struct gp_card {
	struct card_state *st;
	bool clear_text;
	struct gp_registry reg;
	struct gp_chan ch[GP_CHANNELS];
	struct gp_load load;
};

extern const struct gp_aid gp_isd_aid;

bool gp_is_selected(const struct gp_card *g, const struct gp_aid *a);
/* Stores the registry: false if the state could not be written. */
bool gp_save(struct gp_card *g);

uint16_t gp_install(struct gp_card *g, const struct apdu *a,
		    struct apdu_resp *r);
uint16_t gp_load(struct gp_card *g, const struct apdu *a,
		 struct apdu_resp *r);
uint16_t gp_delete(struct gp_card *g, const struct apdu *a,
		   struct apdu_resp *r);
uint16_t gp_get_status(struct gp_card *g, struct gp_chan *ch,
		       const struct apdu *a, struct apdu_resp *r);

#endif /* SCWS_CARD_GP_INT_H */
