// SPDX-License-Identifier: GPL-2.0
/*
 * TEST TOOLING: a client channel the card opens on request (see
 * test_client.h).  It sends "HELLO FROM THE CARD\n" and logs each line it
 * gets back; the first complete line ends it.
 */
#include "test_client.h"
#include "cat/cat.h"
#include "cat-tlv.h"
#include "log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define GREETING "HELLO FROM THE CARD\n"

struct tc {
	size_t sent;
	char got[256];
	size_t got_len;
	bool ended;
};

static bool parse(const char *spec, struct cat_client_params *p)
{
	const char *colon = strrchr(spec, ':');
	char host[64];
	size_t hl;
	char *end;
	unsigned long port;

	if (!colon || colon == spec)
		return false;
	hl = (size_t)(colon - spec);
	if (spec[0] == '[' && colon[-1] == ']') {
		spec++;
		hl -= 2;
	}
	if (hl >= sizeof(host))
		return false;
	memcpy(host, spec, hl);
	host[hl] = '\0';
	port = strtoul(colon + 1, &end, 10);
	if (*end || !port || port > 65535)
		return false;
	memset(p, 0, sizeof(*p));
	p->port = (uint16_t)port;
	if (inet_pton(AF_INET, host, p->addr) == 1) {
		p->addr_type = CAT_ADDR_IPV4;
		return true;
	}
	if (inet_pton(AF_INET6, host, p->addr) == 1) {
		p->addr_type = CAT_ADDR_IPV6;
		return true;
	}
	return false;
}

bool test_client_check(const char *spec)
{
	struct cat_client_params p;

	return parse(spec, &p);
}

static int tc_input(void *s, const uint8_t *data, size_t len)
{
	struct tc *t = s;
	size_t room = sizeof(t->got) - 1 - t->got_len;

	if (len > room)
		len = room;
	memcpy(t->got + t->got_len, data, len);
	t->got_len += len;
	t->got[t->got_len] = '\0';
	if (memchr(t->got, '\n', t->got_len))
		card_info("test client: received \"%.*s\"",
			  (int)(strchr(t->got, '\n') - t->got), t->got);
	return 0;
}

static void tc_input_end(void *s)
{
	((struct tc *)s)->ended = true;
	card_info("test client: peer closed");
}

static size_t tc_pending(void *s, const uint8_t **data)
{
	struct tc *t = s;

	*data = (const uint8_t *)GREETING + t->sent;
	return strlen(GREETING) - t->sent;
}

static void tc_consume(void *s, size_t n)
{
	((struct tc *)s)->sent += n;
}

static bool tc_done(void *s)
{
	struct tc *t = s;

	return t->ended || memchr(t->got, '\n', t->got_len) != NULL;
}

static void tc_link(void *s, bool up, uint8_t cause)
{
	(void)s;
	if (up)
		card_info("test client: link up");
	else
		card_info("test client: link down (cause %02X)", cause);
}

static void tc_free(void *s)
{
	card_info("test client: channel closed");
	free(s);
}

static const struct cat_stream_ops tc_ops = {
	.input = tc_input,
	.input_end = tc_input_end,
	.pending = tc_pending,
	.consume = tc_consume,
	.done = tc_done,
	.link = tc_link,
	.free = tc_free,
};

int test_client_start(struct cat *c, const char *spec)
{
	struct cat_client_params p;
	struct tc *t;
	int err;

	if (!parse(spec, &p))
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	err = cat_open_client(c, &p, &tc_ops, t);
	if (err) {
		free(t);
		card_err("test client: cannot open a channel to %s: %s", spec,
			 strerror(-err));
		return err;
	}
	card_info("test client: opening a channel to %s", spec);
	return 0;
}
