// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/lib/bipd-ctl.c tools/lib/sms-pp.c tools/lib/cat-tlv.c tools/scws-bipd/push_http.c
/*
 * libFuzzer target: what reaches the pump's trigger sockets and what
 * scwsctl reads back.  Byte 0 chooses the parser: the control request
 * line, the reply line, or the push endpoint's HTTP request with its
 * RP-DATA body.  Invariants: an accepted request always builds an
 * ENVELOPE that fits and parses back as D1 with the same TPDU; an accepted
 * HTTP body lies inside the input; a reply formatted from a parsed reply
 * parses to the same values.
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bipd-ctl.h"
#include "cat-tlv.h"
#include "sms-pp.h"
#include "../../tools/scws-bipd/push_http.h"

static void envelope_ok(const uint8_t *smsc, size_t sl, const uint8_t *t,
			size_t tl)
{
	uint8_t env[SMS_PP_ENVELOPE_MAX];
	size_t n = sms_pp_envelope(smsc, sl, t, tl, env, sizeof(env));
	struct cat_msg m;
	const struct cat_tlv *tp;

	assert(n > 0);
	assert(cat_msg_parse(&m, env, n) == 0);
	assert(m.ber_tag == CAT_BER_SMS_PP);
	tp = cat_msg_find(&m, 0x0B, 0);
	assert(tp && tp->len == tl && !memcmp(tp->val, t, tl));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_request r;
	struct ctl_reply rep, again;
	struct push_http_req hr;
	struct rp_data rp;
	const char *why;
	char line[CTL_LINE_MAX];
	size_t n;

	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		if (ctl_parse_request((const char *)data + 1, size - 1, &r,
				      &why) == 0 && r.cmd == CTL_REQ_SMS)
			envelope_ok(r.smsc, r.smsc_len, r.tpdu, r.tpdu_len);
		break;
	case 1:
		if (ctl_parse_reply((const char *)data + 1, size - 1, &rep))
			break;
		if (!rep.ok || !rep.has_sw)
			break;
		n = ctl_format_ok(line, sizeof(line), rep.sw, rep.por,
				  rep.por_len);
		assert(n > 0);
		assert(ctl_parse_reply(line, n - 1, &again) == 0);
		assert(again.sw == rep.sw && again.por_len == rep.por_len &&
		       !memcmp(again.por, rep.por, rep.por_len));
		break;
	default:
		if (push_http_parse(data + 1, size - 1, &hr))
			break;
		assert(hr.body >= data + 1 &&
		       hr.body + hr.body_len == data + size);
		if (!rp_data_parse(hr.body, hr.body_len, &rp))
			envelope_ok(rp.smsc, rp.smsc_len, rp.tpdu, rp.tpdu_len);
		break;
	}
	return 0;
}
