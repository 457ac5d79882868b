/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TEST TOOLING (--test-dm-notify FILE): package #0 read from FILE is sent
 * to the terminal's DM client (dm/dm_sc.h) when a DM client registers,
 * and on SIGUSR2 whether one is registered or not, so the DM_SC Gateway
 * can be tested end to end before the card's DM server sends its own
 * notifications.  Never a feature of the card.
 */
#ifndef SCWS_CARD_TEST_DM_NOTIFY_H
#define SCWS_CARD_TEST_DM_NOTIFY_H

#include <stdbool.h>

/* Checks FILE (1..1024 bytes; read again at every send) and takes the DM
 * transport's callbacks; false with a message on stderr. */
bool test_dm_notify_setup(const char *path);
/* Sends the package now (SIGUSR2); the outcome is logged. */
void test_dm_notify_send(void);

#endif /* SCWS_CARD_TEST_DM_NOTIFY_H */
