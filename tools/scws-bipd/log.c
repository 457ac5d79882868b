// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * log.c - levelled logging to stderr or syslog.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

#define HEX_MAX 300	/* bytes shown per line: a short APDU and a bit */

static int max_level = LOG_NOTICE;
static bool to_syslog;

void log_init(int level, bool use_syslog)
{
	max_level = level;
	to_syslog = use_syslog;
	if (use_syslog)
		openlog("scws-bipd", LOG_PID, LOG_DAEMON);
}

bool log_enabled(int level)
{
	return level <= max_level;
}

static const char *level_name(int level)
{
	switch (level) {
	case LOG_ERR:
		return "error: ";
	case LOG_WARNING:
		return "warning: ";
	case LOG_DEBUG:
		return "debug: ";
	}
	return "";
}

static void log_va(int level, const char *fmt, va_list ap)
{
	if (to_syslog) {
		vsyslog(level, fmt, ap);
	} else {
		/* One write per line, so lines of concurrent writers don't mix. */
		char line[1024];
		int n = snprintf(line, sizeof(line), "scws-bipd: %s",
				 level_name(level));

		if (n < 0)
			n = 0;
		vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
		fprintf(stderr, "%s\n", line);
	}
}

void log_msg(int level, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	log_va(level, fmt, ap);
	va_end(ap);
}

void log_always(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_va(level, fmt, ap);
	va_end(ap);
}

void log_hex(int level, const char *prefix, const uint8_t *buf, size_t len)
{
	char hex[3 * HEX_MAX + 1];
	size_t shown = len < HEX_MAX ? len : HEX_MAX;

	if (!log_enabled(level))
		return;
	hex[0] = '\0';
	for (size_t i = 0; i < shown; i++)
		snprintf(hex + 3 * i, 4, "%02X ", buf[i]);
	if (shown)
		hex[3 * shown - 1] = '\0';
	log_msg(level, "%s (%zu): %s%s", prefix, len, hex,
		shown < len ? " ..." : "");
}
