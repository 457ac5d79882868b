/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * json.h - a small streaming JSON writer for scwsctl's -j output.
 *
 * Values are written as they come; the writer only remembers whether a comma
 * is due.  key is the member name inside an object and NULL inside an array
 * or at the top.  Compact by default (one top-level value a line, so a
 * stream of events is JSON lines); pretty indents like iproute2's -p.
 */
#ifndef SCWSCTL_JSON_H
#define SCWSCTL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct json {
	FILE *f;
	bool pretty;
	unsigned int depth;
	bool comma;		/* a value was written at this depth */
};

void json_init(struct json *j, FILE *f, bool pretty);
void json_open_object(struct json *j, const char *key);
void json_close_object(struct json *j);
void json_open_array(struct json *j, const char *key);
void json_close_array(struct json *j);
/* Bytes that are not UTF-8 come out as \u0080..\u00ff. */
void json_string(struct json *j, const char *key, const char *value);
void json_uint(struct json *j, const char *key, uint64_t value);
void json_bool(struct json *j, const char *key, bool value);
void json_null(struct json *j, const char *key);
void json_hex(struct json *j, const char *key, const uint8_t *bytes, size_t n);

#endif /* SCWSCTL_JSON_H */
