/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * log.h - scws-bipd's logging: levels, stderr or syslog.
 *
 * The default shows errors, warnings and notices (card found, card lost,
 * channel opened); -v adds per-connection lines and counters at exit, -vv
 * every APDU in hex; -q keeps only errors and warnings.
 */
#ifndef BIPD_LOG_H
#define BIPD_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <syslog.h>

/* Levels are syslog priorities: LOG_ERR, LOG_WARNING, LOG_NOTICE,
 * LOG_INFO, LOG_DEBUG. */
void log_init(int max_level, bool use_syslog);
bool log_enabled(int level);
void log_msg(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The same whatever the verbosity: for what the user asked for. */
void log_always(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* One line: prefix, then len bytes in hex (long buffers are cut). */
void log_hex(int level, const char *prefix, const uint8_t *buf, size_t len);

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif /* BIPD_LOG_H */
