/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TEST TOOLING: a small applet for the APDU access tests (issue 14), so
 * applications have something to open a logical channel to besides the
 * USIM and the ARA-M.  AID F0 53 43 57 53 54 45 53 54 ("\xF0SCWSTEST",
 * proprietary, unregistered).  Commands, CLA '8X'/'CX'/'EX' (any channel):
 *
 *   80 01 00 00 Lc DATA [Le]   ECHO: answers DATA, 90 00
 *   80 02 00 00 [Le]           INCREMENT: counter + 1, answers it (4 bytes)
 *   80 03 00 00 [Le]           GET COUNTER (4 bytes, big-endian)
 *
 * Status words as a Java Card applet gives them: 6E 00 wrong class,
 * 6D 00 unknown INS, 6A 86 P1/P2 not 00, 67 00 ECHO without data.  The
 * counter lives as long as the scws-card process (like EEPROM, it
 * survives a card reset).
 */
#ifndef SCWS_CARD_TEST_APPLET_H
#define SCWS_CARD_TEST_APPLET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uicc/apdu.h"

#define TEST_APPLET_AID_LEN 9
extern const uint8_t test_applet_aid[TEST_APPLET_AID_LEN];

bool test_applet_is_aid(const uint8_t *aid, size_t len);
/* The SELECT answer: FCI template with the AID (6F 0B 84 09 AID). */
void test_applet_select(struct apdu_resp *r);
/* One command on a channel where the applet is selected: the SW. */
uint16_t test_applet_command(const struct apdu *c, struct apdu_resp *r);

#endif /* SCWS_CARD_TEST_APPLET_H */
