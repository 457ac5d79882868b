// SPDX-License-Identifier: GPL-2.0
/*
 * The admin parameters the card keeps, one state entry each, mirroring
 * what a GP security domain shows with GET DATA 80 CA 00 85 (8A host,
 * 8B agent id, 8C URI, 85 PSK identity, 86 retry policy, C7 NAN, the
 * destination address) plus the PSKs by key version and key identifier:
 *
 *   admin/host, admin/agent-id, admin/uri   strings
 *   admin/psk-id                            PSK identity (bytes)
 *   admin/use-key                           KVN, KID of the default PSK
 *   admin/key/KKII                          the PSK for KVN KK, KID II
 *   admin/retry                             counter (2) + delay (5), Amd B
 *   admin/dest                              type (21/57), address, port (2)
 *   admin/nan                               network access name
 *
 * Set by scws-card --admin NAME=VALUE (tests, provisioning); a trigger
 * overrides them for one session without storing anything.
 */
#include "admin/admin.h"
#include "card.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cat-tlv.h"
#include "hex.h"

static void load_str(const struct card_state *st, const char *key, char *out,
		     size_t cap)
{
	const uint8_t *v;
	size_t len;

	out[0] = '\0';
	if (card_state_get(st, key, &v, &len) || len >= cap)
		return;
	memcpy(out, v, len);
	out[len] = '\0';
}

void admin_params_load(const struct card_state *st, struct admin_params *p)
{
	const uint8_t *v;
	size_t len;

	memset(p, 0, sizeof(*p));
	load_str(st, "admin/host", p->host, sizeof(p->host));
	load_str(st, "admin/agent-id", p->agent_id, sizeof(p->agent_id));
	load_str(st, "admin/uri", p->uri, sizeof(p->uri));
	if (!card_state_get(st, "admin/psk-id", &v, &len) &&
	    len <= sizeof(p->psk_id)) {
		memcpy(p->psk_id, v, len);
		p->psk_id_len = len;
	}
	if (!card_state_get(st, "admin/use-key", &v, &len) && len == 2) {
		p->kvn = v[0];
		p->kid = v[1];
	}
	if (!card_state_get(st, "admin/retry", &v, &len) && len == 7) {
		p->retry_counter = (uint16_t)(v[0] << 8 | v[1]);
		memcpy(p->retry_delay, v + 2, 5);
	}
	if (!card_state_get(st, "admin/dest", &v, &len) &&
	    ((len == 7 && v[0] == CAT_ADDR_IPV4) ||
	     (len == 19 && v[0] == CAT_ADDR_IPV6))) {
		p->addr_type = v[0];
		memcpy(p->addr, v + 1, len - 3);
		p->port = (uint16_t)(v[len - 2] << 8 | v[len - 1]);
	}
	if (!card_state_get(st, "admin/nan", &v, &len) &&
	    len <= sizeof(p->nan)) {
		memcpy(p->nan, v, len);
		p->nan_len = len;
	}
}

/* Whole hex string into out; its length, or -1. */
static long parse_hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = strlen(s);

	if (!n || n % 2 || n / 2 > cap)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (long)(n / 2);
}

static bool parse_byte(const char *s, char **end, uint8_t *out)
{
	unsigned long v;

	errno = 0;
	v = strtoul(s, end, 0);
	if (errno || *end == s || v > 255 || s[0] == '-')
		return false;
	*out = (uint8_t)v;
	return true;
}

/* "KVN:KID" (decimal or 0x..); *rest after it. */
static bool parse_kvn_kid(const char *s, uint8_t *kvn, uint8_t *kid,
			  const char **rest)
{
	char *end;

	if (!parse_byte(s, &end, kvn) || *end != ':')
		return false;
	if (!parse_byte(end + 1, &end, kid))
		return false;
	*rest = end;
	return true;
}

/* "1.2.3.4:443" or "[::1]:443" into type, address, port. */
static bool parse_dest(const char *s, uint8_t *val, size_t *len)
{
	char host[64];
	const char *colon;
	unsigned long port;
	char *end;

	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':' || (size_t)(close - s - 1) >= sizeof(host))
			return false;
		memcpy(host, s + 1, (size_t)(close - s - 1));
		host[close - s - 1] = '\0';
		colon = close + 1;
		val[0] = CAT_ADDR_IPV6;
		if (inet_pton(AF_INET6, host, val + 1) != 1)
			return false;
		*len = 19;
	} else {
		colon = strrchr(s, ':');
		if (!colon || (size_t)(colon - s) >= sizeof(host))
			return false;
		memcpy(host, s, (size_t)(colon - s));
		host[colon - s] = '\0';
		val[0] = CAT_ADDR_IPV4;
		if (inet_pton(AF_INET, host, val + 1) != 1)
			return false;
		*len = 7;
	}
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end || !port || port > 65535)
		return false;
	val[*len - 2] = (uint8_t)(port >> 8);
	val[*len - 1] = (uint8_t)port;
	return true;
}

static int set_retry(struct card_state *st, const char *v)
{
	unsigned long count, secs;
	uint8_t val[7] = { 0 };
	char *end;

	errno = 0;
	count = strtoul(v, &end, 10);
	if (errno || end == v || *end != ',' || count > 65535 || v[0] == '-')
		return -EINVAL;
	v = end + 1;
	secs = strtoul(v, &end, 10);
	if (errno || end == v || *end || secs > 86400 || v[0] == '-')
		return -EINVAL;
	val[0] = (uint8_t)(count >> 8);
	val[1] = (uint8_t)count;
	for (int i = 0; i < 4; i++)
		val[6 - i] = (uint8_t)(secs >> (8 * i));
	return card_state_set(st, "admin/retry", val, sizeof(val));
}

int admin_params_set(struct card_state *st, const char *setting)
{
	const char *eq = strchr(setting, '='), *v, *rest;
	uint8_t buf[ADMIN_KEY_MAX + 2];
	char name[16], key[32];
	size_t n;
	long len;

	if (!eq || (size_t)(eq - setting) >= sizeof(name))
		return -EINVAL;
	memcpy(name, setting, (size_t)(eq - setting));
	name[eq - setting] = '\0';
	v = eq + 1;
	n = strlen(v);
	if (!strcmp(name, "host") || !strcmp(name, "agent-id") ||
	    !strcmp(name, "uri") || !strcmp(name, "nan") ||
	    !strcmp(name, "psk-id")) {
		size_t max = !strcmp(name, "nan") ? ADMIN_NAN_MAX :
			     !strcmp(name, "psk-id") ? ADMIN_TRIGGER_PSK_ID_MAX :
			     ADMIN_TRIGGER_STR_MAX - 1;

		if (!n || n > max || strpbrk(v, "\r\n"))
			return -EINVAL;
		snprintf(key, sizeof(key), "admin/%s", name);
		return card_state_set(st, key, v, n);
	}
	if (!strcmp(name, "use-key")) {
		if (!parse_kvn_kid(v, &buf[0], &buf[1], &rest) || *rest)
			return -EINVAL;
		return card_state_set(st, "admin/use-key", buf, 2);
	}
	if (!strcmp(name, "key")) {
		uint8_t kvn, kid;

		if (!parse_kvn_kid(v, &kvn, &kid, &rest) || *rest != ':')
			return -EINVAL;
		len = parse_hex(rest + 1, buf, ADMIN_KEY_MAX);
		if (len < 16)	/* at least 128 bits */
			return -EINVAL;
		snprintf(key, sizeof(key), "admin/key/%02x%02x", kvn, kid);
		return card_state_set(st, key, buf, (size_t)len);
	}
	if (!strcmp(name, "retry"))
		return set_retry(st, v);
	if (!strcmp(name, "dest")) {
		uint8_t val[19];

		if (!parse_dest(v, val, &n))
			return -EINVAL;
		return card_state_set(st, "admin/dest", val, n);
	}
	return -EINVAL;
}

int admin_params_key(const struct card_state *st, uint8_t kvn, uint8_t kid,
		     uint8_t *key, size_t cap)
{
	const uint8_t *v;
	char name[32];
	size_t len;

	snprintf(name, sizeof(name), "admin/key/%02x%02x", kvn, kid);
	if (card_state_get(st, name, &v, &len) || len > cap || !len)
		return -ENOENT;
	memcpy(key, v, len);
	return (int)len;
}

static void copy_str(char *dst, const char *src, size_t cap)
{
	if (src[0])
		snprintf(dst, cap, "%s", src);
}

int admin_params_merge(struct admin_params *p, const struct admin_trigger *t)
{
	struct admin_params q = *p;

	if (t->conn_tlvs_len &&
	    (t->conn_tlvs_len > sizeof(t->conn_tlvs) ||
	     admin_conn_tlvs_parse(t->conn_tlvs, t->conn_tlvs_len, &q)))
		return -EINVAL;
	if (t->has_psk) {
		if (t->psk_id_len > sizeof(q.psk_id))
			return -EINVAL;
		memcpy(q.psk_id, t->psk_id, t->psk_id_len);
		q.psk_id_len = t->psk_id_len;
		q.kvn = t->kvn;
		q.kid = t->kid;
	}
	if (t->has_retry) {
		q.retry_counter = t->retry_counter;
		memcpy(q.retry_delay, t->retry_delay, 5);
	}
	copy_str(q.host, t->host, sizeof(q.host));
	copy_str(q.agent_id, t->agent_id, sizeof(q.agent_id));
	copy_str(q.uri, t->uri, sizeof(q.uri));
	*p = q;
	return 0;
}

unsigned int admin_params_delay_s(const struct admin_params *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 5; i++)
		v = v << 8 | p->retry_delay[i];
	return v > 86400 ? 86400 : (unsigned int)v;
}
