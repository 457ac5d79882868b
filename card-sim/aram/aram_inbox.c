// SPDX-License-Identifier: GPL-2.0
/*
 * TEST TOOLING: STORE DATA commands from a file (see aram.h), so host
 * tests can change the ARA-M's rules while the pump holds the card
 * through pcscd, the way a remote administration session would.
 */
#include "aram.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int aram_inbox_apply(struct aram *a, const char *path)
{
	static uint8_t cmd[ARAM_STORE_MAX];
	char line[2 * ARAM_STORE_MAX + 64];
	FILE *f = fopen(path, "re");
	int applied = 0;

	if (!f) {
		card_err("ARA-M inbox %s: cannot read it", path);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		size_t n = 0;
		int hi = -1;
		uint16_t sw;

		bool cert = !strncmp(line, "cert ", 5);

		if (!strncmp(line, "corrupt", 7) || !strncmp(line, "repair", 6)) {
			aram_set_corrupt(a, line[0] == 'c');
			applied++;
			continue;
		}
		for (char *c = line + (cert ? 5 : 0); *c && *c != '#'; c++) {
			int v = hexval((unsigned char)*c);

			if (v < 0)
				continue;	/* blanks, newlines */
			if (hi < 0) {
				hi = v;
			} else if (n < sizeof(cmd)) {
				cmd[n++] = (uint8_t)(hi << 4 | v);
				hi = -1;
			}
		}
		if (!n)
			continue;
		sw = cert ? aram_add_cert(a, cmd, n) : aram_store(a, cmd, n);
		card_info("ARA-M inbox: %s of %zu bytes -> %04X",
			  cert ? "certificate" : "STORE DATA", n, sw);
		if (sw != SW_OK)
			break;
		applied++;
	}
	fclose(f);
	return applied;
}
