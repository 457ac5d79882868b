// SPDX-License-Identifier: GPL-2.0
/*
 * cat-stream.c - what a server channel's connection talks to: the web
 * server directly (HTTP port) or through TLS (HTTPS port), both seen by the
 * engine as a struct cat_stream_ops.
 */
#include "cat-int.h"
#include "card.h"
#include "tls/tls.h"

#include <errno.h>

static int http_input(void *s, const uint8_t *data, size_t len)
{
	return scws_http_input(s, data, len);
}

static void http_input_end(void *s)
{
	scws_http_input_end(s);
}

static size_t http_pending(void *s, const uint8_t **data)
{
	return scws_http_pending(s, data);
}

static void http_consume(void *s, size_t n)
{
	scws_http_consume(s, n);
}

static bool http_done(void *s)
{
	return scws_http_done(s);
}

static void http_free(void *s)
{
	scws_http_free(s);
}

static const struct cat_stream_ops http_ops = {
	.input = http_input,
	.input_end = http_input_end,
	.pending = http_pending,
	.consume = http_consume,
	.done = http_done,
	.free = http_free,
};

static int tls_input(void *s, const uint8_t *data, size_t len)
{
	return card_tls_conn_input(s, data, len);
}

static void tls_input_end(void *s)
{
	card_tls_conn_input_end(s);
}

static size_t tls_pending(void *s, const uint8_t **data)
{
	return card_tls_conn_pending(s, data);
}

static void tls_consume(void *s, size_t n)
{
	card_tls_conn_consume(s, n);
}

static bool tls_done(void *s)
{
	return card_tls_conn_done(s);
}

static void tls_free(void *s)
{
	card_tls_conn_free(s);
}

static const struct cat_stream_ops tls_ops = {
	.input = tls_input,
	.input_end = tls_input_end,
	.pending = tls_pending,
	.consume = tls_consume,
	.done = tls_done,
	.free = tls_free,
};

int cat_server_stream_new(const struct cat_config *cfg, bool tls,
			  const struct cat_stream_ops **ops, void **stream)
{
	struct scws_http *h = scws_http_new(cfg->site);
	struct card_tls_conn *tc;

	if (!h)
		return -ENOMEM;
	if (!tls) {
		*ops = &http_ops;
		*stream = h;
		return 0;
	}
	tc = cfg->tls ? card_tls_conn_new(cfg->tls, h) : NULL;
	if (!tc) {
		scws_http_free(h);
		return -ENOMEM;
	}
	*ops = &tls_ops;
	*stream = tc;
	return 0;
}
