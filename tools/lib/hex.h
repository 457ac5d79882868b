/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * hex.h - one hex digit's value, for the parsers that read hex text (the
 * policy file, ARA-M AIDs, the card's percent-decoding).  Header only, so
 * that no build line has to name it.
 */
#ifndef SCWS_HEX_H
#define SCWS_HEX_H

/* 0..15 for 0-9, a-f, A-F; -1 for anything else. */
static inline int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif /* SCWS_HEX_H */
