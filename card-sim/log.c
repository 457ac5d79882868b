// SPDX-License-Identifier: GPL-2.0
/* scws-card logging to stderr (see log.h). */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

enum card_log_level card_log_level = CARD_LOG_ERR;

void card_log(enum card_log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level > card_log_level)
		return;
	fputs("scws-card: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void card_log_hex(const char *label, const uint8_t *buf, size_t len)
{
	/* Enough for a short APDU; longer ones are cut, the length tells. */
	enum { SHOWN = 64 };
	char line[SHOWN * 3 + 8];
	size_t n = len < SHOWN ? len : SHOWN, i, o = 0;

	if (card_log_level < CARD_LOG_DEBUG)
		return;
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(line + o, sizeof(line) - o, "%s%02X",
				      i ? " " : "", buf[i]);
	if (n < len)
		snprintf(line + o, sizeof(line) - o, " ...");
	card_dbg("%s (%zu): %s", label, len, line);
}
