// SPDX-License-Identifier: GPL-2.0
/*
 * Administration session triggering parameters (GP Amd B '81') and PUSH
 * data, parsed into a struct admin_trigger for the admin agent.
 */
#include "ota/trigger_tlv.h"

#include "ber.h"
#include "cat-tlv.h"

#include <errno.h>
#include <string.h>

#define FAIL(msg) do { *why = (msg); return -EINVAL; } while (0)

/* A COMPREHENSION-TLV list that fits the trigger's buffer. */
static int copy_open_channel_tlvs(const uint8_t *v, size_t n,
				  struct admin_trigger *t, const char **why)
{
	struct cat_tlv_reader r;
	struct cat_tlv tlv;
	int rc;

	if (n > sizeof(t->conn_tlvs))
		FAIL("connection parameters too long");
	cat_tlv_reader_init(&r, v, n);
	while ((rc = cat_tlv_next(&r, &tlv)) > 0)
		;
	if (rc < 0)
		FAIL("connection parameters are not COMPREHENSION-TLVs");
	memcpy(t->conn_tlvs, v, n);
	t->conn_tlvs_len = n;
	return 0;
}

/* Printable ASCII only, so the value can go into an HTTP header. */
static int copy_text(const uint8_t *v, size_t n, char *out, size_t cap,
		     const char **why)
{
	if (!n || n >= cap)
		FAIL("text parameter empty or too long");
	for (size_t i = 0; i < n; i++)
		if (v[i] < 0x21 || v[i] > 0x7E)
			FAIL("text parameter not printable ASCII");
	memcpy(out, v, n);
	out[n] = '\0';
	return 0;
}

/* 85: PSK identity length, identity, '02', KVN, KID [, SHA type]. */
static int security_params(const uint8_t *v, size_t n,
			   struct admin_trigger *t, const char **why)
{
	size_t id_len;

	if (n < 1)
		FAIL("security parameters empty");
	id_len = v[0];
	if (!id_len || id_len > sizeof(t->psk_id))
		FAIL("PSK identity length out of range");
	if (n != 1 + id_len + 3 && n != 1 + id_len + 4)
		FAIL("security parameters have the wrong size");
	if (v[1 + id_len] != 2)
		FAIL("key identification length is not 2");
	memcpy(t->psk_id, v + 1, id_len);
	t->psk_id_len = id_len;
	t->kvn = v[2 + id_len];
	t->kid = v[3 + id_len];
	t->has_psk = true;
	return 0;
}

/* 86: retry counter(2), waiting delay(5) [, report failure]. */
static int retry_policy(const uint8_t *v, size_t n, struct admin_trigger *t,
			const char **why)
{
	if (n < 7)
		FAIL("retry policy shorter than 7 bytes");
	t->retry_counter = (uint16_t)(v[0] << 8 | v[1]);
	memcpy(t->retry_delay, v + 2, 5);
	t->has_retry = true;
	return 0;
}

static int http_post_params(const uint8_t *v, size_t n,
			    struct admin_trigger *t, const char **why)
{
	struct ber_tlv e;
	int rc = 0;

	for (size_t at = 0; at < n && !rc; at += e.size) {
		if (!ber_read(v + at, n - at, &e))
			FAIL("malformed HTTP POST parameters");
		if (e.tag == 0x8A)
			rc = copy_text(e.val, e.len, t->host, sizeof(t->host),
				       why);
		else if (e.tag == 0x8B)
			rc = copy_text(e.val, e.len, t->agent_id,
				       sizeof(t->agent_id), why);
		else if (e.tag == 0x8C)
			rc = copy_text(e.val, e.len, t->uri, sizeof(t->uri),
				       why);
	}
	return rc;
}

static int session_params(const uint8_t *v, size_t n,
			  struct admin_trigger *t, const char **why)
{
	struct ber_tlv e;
	int rc = 0;

	for (size_t at = 0; at < n && !rc; at += e.size) {
		if (!ber_read(v + at, n - at, &e))
			FAIL("malformed administration session parameters");
		switch (e.tag) {
		case 0x84:
			rc = copy_open_channel_tlvs(e.val, e.len, t, why);
			break;
		case 0x85:
			rc = security_params(e.val, e.len, t, why);
			break;
		case 0x86:
			rc = retry_policy(e.val, e.len, t, why);
			break;
		case 0x89:
			rc = http_post_params(e.val, e.len, t, why);
			break;
		default:	/* A5 extended security and newer tags */
			break;
		}
	}
	return rc;
}

/* D6: the RAS's name, as text or as DNS labels (length-prefixed). */
static int ras_fqdn(const uint8_t *v, size_t n, struct admin_trigger *t,
		    const char **why)
{
	char name[ADMIN_TRIGGER_STR_MAX];
	size_t at = 0, out = 0;

	if (n && v[0] < 0x21) {	/* a length, not a character */
		while (at < n && v[at]) {
			size_t l = v[at++];

			if (l >= 0x40 || l > n - at || out + l + 1 >= sizeof(name))
				FAIL("RAS FQDN labels malformed");
			if (out)
				name[out++] = '.';
			memcpy(name + out, v + at, l);
			out += l;
			at += l;
		}
		if (at + (at < n) != n)	/* an optional root label, no more */
			FAIL("RAS FQDN labels malformed");
		return copy_text((const uint8_t *)name, out, t->fqdn,
				 sizeof(t->fqdn), why);
	}
	return copy_text(v, n, t->fqdn, sizeof(t->fqdn), why);
}

static int dns_params(const uint8_t *v, size_t n, struct admin_trigger *t,
		      const char **why)
{
	struct ber_tlv e;
	int rc = 0;

	for (size_t at = 0; at < n && !rc; at += e.size) {
		if (!ber_read(v + at, n - at, &e))
			FAIL("malformed DNS resolution parameters");
		if (e.tag == 0xD6)
			rc = ras_fqdn(e.val, e.len, t, why);
	}
	return rc;
}

int amdb_trigger_parse(const uint8_t *buf, size_t len,
		       struct admin_trigger *t, const char **why)
{
	struct ber_tlv top, e;
	int rc = 0;

	memset(t, 0, sizeof(*t));
	if (!ber_read(buf, len, &top) || top.tag != AMDB_TAG_TRIGGER)
		FAIL("not a '81' triggering parameters object");
	if (top.size != len)
		FAIL("bytes after the triggering parameters");
	for (size_t at = 0; at < top.len && !rc; at += e.size) {
		if (!ber_read(top.val + at, top.len - at, &e))
			FAIL("malformed triggering parameters");
		if (e.tag == 0x83)
			rc = session_params(e.val, e.len, t, why);
		else if (e.tag == 0xB3)
			rc = dns_params(e.val, e.len, t, why);
	}
	if (rc)
		memset(t, 0, sizeof(*t));
	return rc;
}

int push_bip_parse(const uint8_t *data, size_t len, struct admin_trigger *t,
		   const char **why)
{
	memset(t, 0, sizeof(*t));
	return copy_open_channel_tlvs(data, len, t, why);
}
