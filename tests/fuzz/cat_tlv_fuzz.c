// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/lib/cat-tlv.c
/*
 * libFuzzer target for the CAT/BIP TLV codec.  Any input is tried as a
 * BER template and as a bare COMPREHENSION-TLV list.  What decodes must
 * encode back to the very same bytes (decoding accepts only the canonical
 * coding, and the writer keeps the CR flag and tag form), into a buffer of
 * any size without writing past it, and decode again to the same objects.
 * Every object helper runs on every object; what it accepts must survive
 * its own encoder.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cat-tlv.h"

#define OUT_MAX 70000
#define GUARD 16

static void check(int ok)
{
	if (!ok)
		abort();
}

static void same_objects(const struct cat_msg *a, const struct cat_msg *b)
{
	check(a->ber_tag == b->ber_tag && a->n == b->n);
	for (size_t i = 0; i < a->n; i++) {
		check(a->tlv[i].tag == b->tlv[i].tag);
		check(a->tlv[i].cr == b->tlv[i].cr);
		check(a->tlv[i].wide == b->tlv[i].wide);
		check(a->tlv[i].len == b->tlv[i].len);
		check(!memcmp(a->tlv[i].val, b->tlv[i].val, a->tlv[i].len));
	}
}

static size_t encode(const struct cat_msg *m, uint8_t *out, size_t cap,
		     bool *overflow)
{
	struct cat_writer w;
	size_t mark = 0;

	cat_writer_init(&w, out, cap);
	if (m->ber_tag)
		mark = cat_ber_open(&w, m->ber_tag);
	for (size_t i = 0; i < m->n; i++)
		cat_put(&w, &m->tlv[i]);
	if (m->ber_tag)
		cat_ber_close(&w, mark);
	check(w.len <= cap);
	*overflow = w.overflow;
	return w.len;
}

/* Encode into a buffer of the given size with a guard band after it. */
static void round_trip(const struct cat_msg *m, const uint8_t *in,
		       size_t len, size_t cap)
{
	static uint8_t out[OUT_MAX + GUARD];
	struct cat_msg again;
	bool overflow;
	size_t n;

	if (cap > OUT_MAX)
		cap = OUT_MAX;
	memset(out + cap, 0xA5, GUARD);
	n = encode(m, out, cap, &overflow);
	for (size_t i = 0; i < GUARD; i++)
		check(out[cap + i] == 0xA5);
	if (cap < len) {
		check(overflow);
		return;
	}
	check(!overflow && n == len && !memcmp(out, in, len));
	if (m->ber_tag)
		check(cat_msg_parse(&again, out, n) == 0);
	else
		check(cat_msg_parse_list(&again, out, n) == 0);
	same_objects(m, &again);
}

/* Decode with a helper, re-encode, decode again: the same value. */
/* A Service record (Local connection event) codes back to the same. */
static void service_record(const struct cat_tlv *t, uint8_t *out, size_t cap,
			   struct cat_msg *e)
{
	struct cat_service_record r, r2;
	struct cat_writer w;

	if (cat_get_service_record(t, &r))
		return;
	cat_writer_init(&w, out, cap);
	cat_put_service_record(&w, r.bearer, r.service_id, r.record,
			       r.record_len);
	check(!w.overflow && cat_msg_parse_list(e, out, w.len) == 0 &&
	      e->n == 1);
	check(!cat_get_service_record(&e->tlv[0], &r2));
	check(r.bearer == r2.bearer && r.service_id == r2.service_id &&
	      r.record_len == r2.record_len &&
	      !memcmp(r.record, r2.record, r.record_len));
}

static void objects(const struct cat_msg *m)
{
	/* Result, bearer, channel data and event list copy the value. */
	static uint8_t out[4 * OUT_MAX + 64];
	struct cat_writer w;
	struct cat_msg e;

	for (size_t i = 0; i < m->n; i++) {
		const struct cat_tlv *t = &m->tlv[i];
		struct cat_cmd_details d, d2;
		struct cat_devices dv, dv2;
		struct cat_result r, r2;
		struct cat_channel_status cs, cs2;
		struct cat_transport tr, tr2;
		struct cat_address a, a2;
		struct cat_bearer b, b2;
		const uint8_t *p, *p2;
		size_t n, n2;
		uint16_t u16, u16b;
		uint8_t u8, u8b;

		cat_writer_init(&w, out, sizeof(out));
		if (!cat_get_cmd_details(t, &d))
			cat_put_cmd_details(&w, &d);
		if (!cat_get_devices(t, &dv))
			cat_put_devices(&w, dv.src, dv.dst);
		if (!cat_get_result(t, &r))
			cat_put_result(&w, r.general, r.info, r.info_len);
		if (!cat_get_channel_status(t, &cs))
			cat_put_channel_status(&w, &cs);
		if (!cat_get_transport(t, &tr))
			cat_put_transport(&w, &tr);
		if (!cat_get_other_address(t, &a))
			cat_put_other_address(&w, &a);
		if (!cat_get_bearer(t, &b))
			cat_put_bearer(&w, b.type, b.params, b.params_len);
		if (!cat_get_buffer_size(t, &u16))
			cat_put_buffer_size(&w, u16);
		if (!cat_get_channel_data_len(t, &u8))
			cat_put_channel_data_len(&w, u8);
		cat_get_channel_data(t, &p, &n);
		cat_put_channel_data(&w, p, n);
		cat_get_event_list(t, &p, &n);
		cat_put_event_list(&w, p, n);
		check(!w.overflow);
		check(cat_msg_parse_list(&e, out, w.len) == 0);

		/* Same order as written above. */
		size_t k = 0;

		if (!cat_get_cmd_details(t, &d)) {
			check(!cat_get_cmd_details(&e.tlv[k++], &d2));
			check(!memcmp(&d, &d2, sizeof(d)));
		}
		if (!cat_get_devices(t, &dv)) {
			check(!cat_get_devices(&e.tlv[k++], &dv2));
			check(dv.src == dv2.src && dv.dst == dv2.dst);
		}
		if (!cat_get_result(t, &r)) {
			check(!cat_get_result(&e.tlv[k++], &r2));
			check(r.general == r2.general &&
			      r.info_len == r2.info_len &&
			      !memcmp(r.info, r2.info, r.info_len));
		}
		if (!cat_get_channel_status(t, &cs)) {
			check(!cat_get_channel_status(&e.tlv[k++], &cs2));
			check(!memcmp(&cs, &cs2, sizeof(cs)));
		}
		if (!cat_get_transport(t, &tr)) {
			check(!cat_get_transport(&e.tlv[k++], &tr2));
			check(tr.proto == tr2.proto &&
			      tr.has_port == tr2.has_port &&
			      tr.port == tr2.port);
		}
		if (!cat_get_other_address(t, &a)) {
			check(!cat_get_other_address(&e.tlv[k++], &a2));
			check(!memcmp(&a, &a2, sizeof(a)));
		}
		if (!cat_get_bearer(t, &b)) {
			check(!cat_get_bearer(&e.tlv[k++], &b2));
			check(b.type == b2.type &&
			      b.params_len == b2.params_len &&
			      !memcmp(b.params, b2.params, b.params_len));
		}
		if (!cat_get_buffer_size(t, &u16)) {
			check(!cat_get_buffer_size(&e.tlv[k++], &u16b));
			check(u16 == u16b);
		}
		if (!cat_get_channel_data_len(t, &u8)) {
			check(!cat_get_channel_data_len(&e.tlv[k++], &u8b));
			check(u8 == u8b);
		}
		cat_get_channel_data(&e.tlv[k++], &p2, &n2);
		check(n2 == t->len && !memcmp(p2, t->val, n2));
		check(k + 1 == e.n);
		service_record(t, out, sizeof(out), &e);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cat_msg m;
	size_t cap;

	if (size > OUT_MAX)
		return 0;
	/* Output room: the input size, or less, taken from its last byte. */
	cap = size && data[size - 1] & 1 ? data[size - 1] % (size + 1) : size;
	if (cat_msg_parse(&m, data, size) == 0) {
		round_trip(&m, data, size, size);
		round_trip(&m, data, size, cap);
		objects(&m);
	}
	if (cat_msg_parse_list(&m, data, size) == 0) {
		round_trip(&m, data, size, size);
		round_trip(&m, data, size, cap);
		objects(&m);
	}
	return 0;
}
