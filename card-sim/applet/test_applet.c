// SPDX-License-Identifier: GPL-2.0
/*
 * TEST TOOLING: the APDU access tests' applet (test_applet.h).
 */
#include "test_applet.h"

#include <string.h>

const uint8_t test_applet_aid[TEST_APPLET_AID_LEN] = {
	0xF0, 0x53, 0x43, 0x57, 0x53, 0x54, 0x45, 0x53, 0x54
};

enum { INS_ECHO = 0x01, INS_INCREMENT = 0x02, INS_GET_COUNTER = 0x03 };

static uint32_t counter;

bool test_applet_is_aid(const uint8_t *aid, size_t len)
{
	return len == TEST_APPLET_AID_LEN &&
	       !memcmp(aid, test_applet_aid, TEST_APPLET_AID_LEN);
}

void test_applet_select(struct apdu_resp *r)
{
	uint8_t fci[4 + TEST_APPLET_AID_LEN] = {
		0x6F, 2 + TEST_APPLET_AID_LEN, 0x84, TEST_APPLET_AID_LEN
	};

	memcpy(fci + 4, test_applet_aid, TEST_APPLET_AID_LEN);
	apdu_put(r, fci, sizeof(fci));
}

static uint16_t put_counter(struct apdu_resp *r)
{
	uint8_t v[4] = { (uint8_t)(counter >> 24), (uint8_t)(counter >> 16),
			 (uint8_t)(counter >> 8), (uint8_t)counter };

	return apdu_put(r, v, sizeof(v)) ? SW_OK : SW_TECHNICAL;
}

uint16_t test_applet_command(const struct apdu *c, struct apdu_resp *r)
{
	if (!(c->cla & 0x80))
		return SW_CLA_UNSUPPORTED;
	if (c->ins != INS_ECHO && c->ins != INS_INCREMENT &&
	    c->ins != INS_GET_COUNTER)
		return SW_INS_UNSUPPORTED;
	if (c->p1 || c->p2)
		return SW_WRONG_P1P2;
	switch (c->ins) {
	case INS_ECHO:
		if (!c->nc)
			return SW_WRONG_LENGTH;
		return apdu_put(r, c->data, c->nc) ? SW_OK : SW_TECHNICAL;
	case INS_INCREMENT:
		counter++;
		return put_counter(r);
	default:
		return put_counter(r);
	}
}
