/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scws-card logging: one line per event on stderr, prefixed with the
 * program name.  Errors always print; -v adds info, -vv adds debug (APDU
 * traces).  Single-threaded, so a plain global level is enough.
 */
#ifndef SCWS_CARD_LOG_H
#define SCWS_CARD_LOG_H

#include <stddef.h>
#include <stdint.h>

enum card_log_level { CARD_LOG_ERR, CARD_LOG_INFO, CARD_LOG_DEBUG };

extern enum card_log_level card_log_level;

void card_log(enum card_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "label: 00 A4 04 00 ..." at debug level (long buffers are cut). */
void card_log_hex(const char *label, const uint8_t *buf, size_t len);

#define card_err(...) card_log(CARD_LOG_ERR, __VA_ARGS__)
#define card_info(...) card_log(CARD_LOG_INFO, __VA_ARGS__)
#define card_dbg(...) card_log(CARD_LOG_DEBUG, __VA_ARGS__)

#endif /* SCWS_CARD_LOG_H */
