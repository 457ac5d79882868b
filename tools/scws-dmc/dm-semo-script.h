/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * dm-semo-script.h - the APDU script of a ./SEMO/<x>/Script node
 * (docs/device-management.md, "The SE management object"): text, one
 * step a line (';' also ends a step), '#' starts a comment:
 *
 *   aid A000000151000000          open a logical channel to this applet
 *                                 (closing the one before)
 *   80F28002024F00                a short C-APDU, hex; the SW expected is
 *   80E60C00...  9000             9000 (or 61xx) unless one is given
 *
 * The first step must be an aid.  Pure: parsed without side effects,
 * unit tested and fuzzed.
 */
#ifndef SCWS_DM_SEMO_SCRIPT_H
#define SCWS_DM_SEMO_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SEMO_STEPS_MAX 64
#define SEMO_APDU_MAX (5 + 255 + 1)	/* short case 4 */
#define SEMO_AID_MIN 5
#define SEMO_AID_MAX 16
#define SEMO_SCRIPT_MAX 65536		/* bytes of script text */

struct semo_step {
	bool is_aid;
	uint8_t bytes[SEMO_APDU_MAX];	/* the AID or the C-APDU */
	size_t len;
	bool has_sw;			/* an expected SW was given */
	uint16_t sw;
	unsigned int line;
};

struct semo_script {
	struct semo_step step[SEMO_STEPS_MAX];
	size_t n;
};

/* 0, or -1 with "line N: why" in err. */
int semo_script_parse(const char *text, size_t len, struct semo_script *s,
		      char *err, size_t err_size);

/* Whether sw is what the step wants: its SW, else 9000 or 61xx. */
bool semo_sw_ok(const struct semo_step *st, uint16_t sw);

#endif
