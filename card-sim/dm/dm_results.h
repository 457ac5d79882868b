/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a DM client reported for the card's commands in one session (OMA
 * DM Smart Card 5.4.1: the results go back to the provisioning master):
 * a Status code per command item, the value of a Get.  Kept in the
 * session until it ends, then stored as dm/results (dm_store.h).
 */
#ifndef SCWS_CARD_DM_RESULTS_H
#define SCWS_CARD_DM_RESULTS_H

#include <stddef.h>

#include "card.h"
#include "dm/dm_store.h"

#define DM_RESULT_URI 256
#define DM_RESULT_VALUE 128

struct dm_result {
	char cmd[8];
	char uri[DM_RESULT_URI];
	int code;		/* 0: no Status seen */
	char value[DM_RESULT_VALUE];
};

struct dm_results {
	struct dm_result r[DM_PROV_MAX_ITEMS + 4];
	size_t n;
};

/* Text from the client made safe for a line of the state: control bytes
 * become '?', cut to fit cap. */
void dm_results_clean(char *dst, size_t cap, const char *src);
/* A Status for cmd on uri (NULL: "-"); a repeated one replaces it. */
void dm_results_add(struct dm_results *res, const char *cmd, const char *uri,
		    int code, const char *value);
/* The value Results gave for a Get. */
void dm_results_value(struct dm_results *res, const char *cmd,
		      const char *uri, const char *value);
/* The code reported for cmd on uri, 0 if none. */
int dm_results_code(const struct dm_results *res, const char *cmd,
		    const char *uri);
/* Replaces dm/results: a "session<TAB>id" line, then one line per item
 * "cmd<TAB>URI<TAB>code[<TAB>value]" (not saved). */
int dm_results_store(struct card_state *st, const struct dm_results *res,
		     const char *sessionid);

#endif /* SCWS_CARD_DM_RESULTS_H */
