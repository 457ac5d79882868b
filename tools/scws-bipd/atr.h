/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * atr.h - what the pump reads in a card's ATR (ISO 7816-3 8.2, ISO 7816-4
 * 8.1.1): whether the card takes extended Lc / Le fields.
 */
#ifndef BIPD_ATR_H
#define BIPD_ATR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when the historical bytes' card capabilities (compact-TLV tag 7,
 * third software function byte, bit 7) announce extended Lc and Le.  A
 * malformed ATR announces nothing. */
bool atr_extended_lc(const uint8_t *atr, size_t len);

#endif /* BIPD_ATR_H */
