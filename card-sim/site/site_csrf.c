// SPDX-License-Identifier: GPL-2.0
/*
 * The anti-CSRF token of the card's forms (see site.h).
 *
 * The Origin check already turns away a foreign page's POST; the token is
 * the second, independent lock: a page can only send it if it could read
 * one of the card's forms, which the browser allows only to the card's
 * own origins (the card never grants CORS to anybody else).  It is not a
 * session token, the card has no sessions: it is bound to the card (a
 * random key only the card holds) and to the PIN state, so a token seen
 * once, in a log or a proxy, dies when the PIN, the PUK or a try counter
 * changes, and a token of one card is worthless on another.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <mbedtls/entropy.h>
#include <mbedtls/md.h>
#include <mbedtls/platform_util.h>

#include "site.h"

#define CSRF_KEY_BYTES 32
#define CSRF_LABEL "scws-card csrf v1"
/* The PIN's own record (uicc/pin.c): what the token is bound to. */
#define PIN_STATE_KEY "pin/chv1"

/* The card's key, made and stored on first use. */
static int csrf_key(struct scws_site *s, const uint8_t **key)
{
	mbedtls_entropy_context entropy;
	uint8_t fresh[CSRF_KEY_BYTES];
	size_t len;
	int rc;

	if (!card_state_get(s->st, SITE_CSRF_KEY, key, &len) &&
	    len == CSRF_KEY_BYTES)
		return 0;
	mbedtls_entropy_init(&entropy);
	rc = mbedtls_entropy_func(&entropy, fresh, sizeof(fresh));
	mbedtls_entropy_free(&entropy);
	if (rc)
		return -EIO;
	rc = card_state_set(s->st, SITE_CSRF_KEY, fresh, sizeof(fresh));
	mbedtls_platform_zeroize(fresh, sizeof(fresh));
	if (rc)
		return rc;
	return card_state_get(s->st, SITE_CSRF_KEY, key, &len) ? -EIO : 0;
}

int site_csrf_token(struct scws_site *s, char out[SITE_CSRF_LEN + 1])
{
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
	const uint8_t *key, *pin = (const uint8_t *)"";
	uint8_t mac[32];
	mbedtls_md_context_t ctx;
	size_t pin_len = 0;
	int rc = csrf_key(s, &key);

	if (rc)
		return rc;
	card_state_get(s->st, PIN_STATE_KEY, &pin, &pin_len);
	mbedtls_md_init(&ctx);
	rc = mbedtls_md_setup(&ctx, md, 1) ||
	     mbedtls_md_hmac_starts(&ctx, key, CSRF_KEY_BYTES) ||
	     mbedtls_md_hmac_update(&ctx, (const uint8_t *)CSRF_LABEL,
				    sizeof(CSRF_LABEL)) ||
	     mbedtls_md_hmac_update(&ctx, pin, pin_len) ||
	     mbedtls_md_hmac_finish(&ctx, mac);
	mbedtls_md_free(&ctx);
	if (rc)
		return -EIO;
	for (size_t i = 0; i < SITE_CSRF_LEN / 2; i++)
		sprintf(out + 2 * i, "%02x", mac[i]);
	return 0;
}

bool site_csrf_valid(struct scws_site *s, const char *token)
{
	char want[SITE_CSRF_LEN + 1];
	unsigned diff = 0;

	if (!token || strlen(token) != SITE_CSRF_LEN ||
	    site_csrf_token(s, want))
		return false;
	for (size_t i = 0; i < SITE_CSRF_LEN; i++)
		diff |= (unsigned char)(token[i] ^ want[i]);
	return diff == 0;
}

void site_csrf_input(struct scws_site *s, struct http_buf *b)
{
	char token[SITE_CSRF_LEN + 1];

	if (site_csrf_token(s, token))
		token[0] = '\0';	/* the POST will be refused: 403 */
	http_buf_printf(b, "<input type=\"hidden\" name=\"" SITE_CSRF_FIELD
			"\" value=\"%s\">", token);
}
