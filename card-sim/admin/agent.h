/* SPDX-License-Identifier: GPL-2.0 */
/*
 * agent.h - the administration agent as the rest of the card sees it:
 * made once at start, fed triggers (admin/trigger.h), and given the time
 * for its retries by the main loop.
 */
#ifndef SCWS_CARD_ADMIN_AGENT_H
#define SCWS_CARD_ADMIN_AGENT_H

#include "admin/trigger.h"

struct card_state;
struct cat;
struct scws_site;
struct aram;

struct admin_agent *admin_agent_new(struct card_state *st, struct cat *cat,
				    struct scws_site *site, struct aram *aram);
/* After cat_free(): the engine hands the agent its last stream then. */
void admin_agent_free(struct admin_agent *a);
/* Milliseconds until a retry is due, or -1 when none is waiting. */
int admin_agent_timeout_ms(const struct admin_agent *a);
/* Starts a retry that is due. */
void admin_agent_service(struct admin_agent *a);
/* Whether a session (or its retry) is in progress. */
bool admin_agent_busy(const struct admin_agent *a);

#endif /* SCWS_CARD_ADMIN_AGENT_H */
