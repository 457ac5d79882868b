// SPDX-License-Identifier: GPL-2.0
/*
 * CHV1 and its PUK, persisted in the card state.
 *
 * Stored blob "pin/chv1" (19 bytes):
 *   [0] format version (1)   [1] PIN tries left   [2] PUK tries left
 *   [3..10] PIN block        [11..18] PUK block   (digits, 0xFF padded)
 *
 * A wrong try is saved before the result is reported, so no caller ever
 * learns an outcome the state file does not remember.  (A real card writes
 * the decrement before it compares, against power-cut attacks; here nobody
 * can cut power between the compare and the save, and saving only on a
 * change keeps the state file from being rewritten on every request.)
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pin.h"

#define PIN_KEY "pin/chv1"
#define PIN_BLOB_VERSION 1
#define PIN_BLOB_LEN 19

struct card_pin {
	struct card_state *st;
	uint8_t pin_tries;
	uint8_t puk_tries;
	uint8_t pin[8];
	uint8_t puk[8];
};

static bool all_digits(const char *s, size_t min, size_t max)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (s[n] < '0' || s[n] > '9' || n >= max)
			return false;
	return n >= min;
}

bool card_pin_valid(const char *s)
{
	return s && all_digits(s, CARD_PIN_MIN_LEN, CARD_PIN_MAX_LEN);
}

static bool puk_valid(const char *s)
{
	return s && all_digits(s, CARD_PUK_LEN, CARD_PUK_LEN);
}

void card_pin_to_block(const char *pin, uint8_t block[8])
{
	size_t n = strnlen(pin, 8);

	memset(block, 0xFF, 8);
	memcpy(block, pin, n);
}

bool card_pin_from_block(const uint8_t block[8], char out[9])
{
	size_t n = 0;

	while (n < 8 && block[n] >= '0' && block[n] <= '9')
		n++;
	for (size_t i = n; i < 8; i++)
		if (block[i] != 0xFF)
			return false;
	if (n < CARD_PIN_MIN_LEN)
		return false;
	memcpy(out, block, n);
	out[n] = '\0';
	return true;
}

/* Constant time, so the answer's timing says nothing about the digits. */
static bool blocks_equal(const uint8_t a[8], const uint8_t b[8])
{
	uint8_t diff = 0;

	for (size_t i = 0; i < 8; i++)
		diff |= a[i] ^ b[i];
	return diff == 0;
}

static int pin_store(struct card_pin *p)
{
	uint8_t blob[PIN_BLOB_LEN];

	blob[0] = PIN_BLOB_VERSION;
	blob[1] = p->pin_tries;
	blob[2] = p->puk_tries;
	memcpy(blob + 3, p->pin, 8);
	memcpy(blob + 11, p->puk, 8);
	if (card_state_set(p->st, PIN_KEY, blob, sizeof(blob)) ||
	    card_state_save(p->st)) {
		card_err("cannot save the PIN state");
		return -1;
	}
	return 0;
}

static bool pin_load(struct card_pin *p)
{
	const uint8_t *blob;
	size_t len;
	char tmp[9];

	if (card_state_get(p->st, PIN_KEY, &blob, &len) ||
	    len != PIN_BLOB_LEN || blob[0] != PIN_BLOB_VERSION ||
	    blob[1] > CARD_PIN_MAX_TRIES || blob[2] > CARD_PUK_MAX_TRIES)
		return false;
	p->pin_tries = blob[1];
	p->puk_tries = blob[2];
	memcpy(p->pin, blob + 3, 8);
	memcpy(p->puk, blob + 11, 8);
	return card_pin_from_block(p->pin, tmp) &&
	       card_pin_from_block(p->puk, tmp);
}

struct card_pin *card_pin_open(struct card_state *st)
{
	struct card_pin *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->st = st;
	if (!pin_load(p)) {
		/* First start (or an unreadable blob): factory defaults. */
		p->pin_tries = CARD_PIN_MAX_TRIES;
		p->puk_tries = CARD_PUK_MAX_TRIES;
		card_pin_to_block("0000", p->pin);
		card_pin_to_block("12345678", p->puk);
		pin_store(p);
	}
	return p;
}

void card_pin_close(struct card_pin *p)
{
	if (p)
		memset(p, 0, sizeof(*p));
	free(p);
}

int card_pin_tries_left(const struct card_pin *p)
{
	return p->pin_tries;
}

int card_pin_puk_tries_left(const struct card_pin *p)
{
	return p->puk_tries;
}

/* One counted try: `ok` is the comparison's outcome. */
static enum pin_result pin_count(struct card_pin *p, bool ok)
{
	if (ok) {
		if (p->pin_tries != CARD_PIN_MAX_TRIES) {
			p->pin_tries = CARD_PIN_MAX_TRIES;
			if (pin_store(p))
				return PIN_WRONG;	/* fail closed */
		}
		return PIN_OK;
	}
	p->pin_tries--;
	pin_store(p);
	return PIN_WRONG;
}

enum pin_result card_pin_verify(struct card_pin *p, const char *pin)
{
	uint8_t block[8];
	bool ok;

	if (p->pin_tries == 0)
		return PIN_BLOCKED;
	ok = card_pin_valid(pin);
	if (ok) {
		card_pin_to_block(pin, block);
		ok = blocks_equal(block, p->pin);
	}
	return pin_count(p, ok);
}

enum pin_result card_pin_verify_proof(struct card_pin *p,
				      bool (*match)(const char *pin, void *arg),
				      void *arg)
{
	char pin[9];

	if (p->pin_tries == 0)
		return PIN_BLOCKED;
	if (!card_pin_from_block(p->pin, pin))
		return PIN_WRONG;
	return pin_count(p, match(pin, arg));
}

enum pin_result card_pin_change(struct card_pin *p, const char *old_pin,
				const char *new_pin)
{
	enum pin_result r;

	if (!card_pin_valid(new_pin))
		return p->pin_tries ? PIN_WRONG : PIN_BLOCKED;
	r = card_pin_verify(p, old_pin);
	if (r != PIN_OK)
		return r;
	card_pin_to_block(new_pin, p->pin);
	return pin_store(p) ? PIN_WRONG : PIN_OK;
}

enum pin_result card_pin_unblock(struct card_pin *p, const char *puk,
				 const char *new_pin)
{
	uint8_t block[8];
	bool ok;

	if (p->puk_tries == 0)
		return PIN_BLOCKED;
	if (new_pin && !card_pin_valid(new_pin))
		return PIN_WRONG;	/* refused before any try is counted */
	ok = puk_valid(puk);
	if (ok) {
		card_pin_to_block(puk, block);
		ok = blocks_equal(block, p->puk);
	}
	if (!ok) {
		p->puk_tries--;
		pin_store(p);
		return PIN_WRONG;
	}
	p->puk_tries = CARD_PUK_MAX_TRIES;
	p->pin_tries = CARD_PIN_MAX_TRIES;
	if (new_pin)
		card_pin_to_block(new_pin, p->pin);
	return pin_store(p) ? PIN_WRONG : PIN_OK;
}
