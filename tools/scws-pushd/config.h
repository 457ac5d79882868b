/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * config.h - scws-pushd's configuration file (scws-pushd(8)):
 *
 *   # who may push (the SIP From URI: scheme:user@host[:port])
 *   allow-from sip:ras@operator.example
 *   allow-from sips:ras2@operator.example
 *   # optional: the OMA Push application the MESSAGE must be routed to,
 *   # matched in Accept-Contact as +g.oma.pusheventapp="VALUE"
 *   app-id urn:example:scws
 *
 * One directive a line, '#' starts a comment, blanks around words are
 * ignored.  An unknown directive or a malformed line is an error with its
 * line number: a gateway that guesses its access list is no gateway.
 */
#ifndef SCWS_PUSHD_CONFIG_H
#define SCWS_PUSHD_CONFIG_H

#include <stddef.h>

#define PUSHD_ALLOW_MAX 32
#define PUSHD_URI_MAX 256

struct pushd_config {
	char allow[PUSHD_ALLOW_MAX][PUSHD_URI_MAX];
	unsigned int n_allow;
	char app_id[PUSHD_URI_MAX];	/* "": any */
};

/* Parses text (len bytes, need not be NUL-terminated).  0, or -1 with
 * err (cap bytes) saying which line and why. */
int pushd_config_parse(struct pushd_config *c, const char *text, size_t len,
		       char *err, size_t cap);
/* Reads and parses a file; the same, errno-style messages included. */
int pushd_config_load(struct pushd_config *c, const char *path, char *err,
		      size_t cap);

#endif /* SCWS_PUSHD_CONFIG_H */
