// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/scws-pushd/config.c tools/scws-pushd/validate.c tools/lib/sms-pp.c tools/lib/cat-tlv.c
// libs: -losip2 -losipparser2
/*
 * libFuzzer target: scws-pushd's input path - a datagram through
 * libosip2's parser (osip_parse(), as the daemon calls it) and then our
 * push checks; and, when byte 0 is 'C', the configuration parser.
 * Invariants: an accepted push has its body inside the parsed message and
 * that body is RP-DATA with a TP-PID 7F SMS-DELIVER.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <osip2/osip.h>
#include <osipparser2/osip_parser.h>

#include "sms-pp.h"
#include "../../tools/scws-pushd/validate.h"

static struct pushd_config cfg;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char conf[] = "allow-from sip:ras@operator.example\n";
	char err[200];

	(void)argc;
	(void)argv;
	parser_init();
	if (pushd_config_parse(&cfg, conf, sizeof(conf) - 1, err, sizeof(err)))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	osip_event_t *ev;
	struct push_body b;
	struct rp_data rp;
	struct sms_deliver d;
	const char *why;

	if (size > 0 && data[0] == 'C') {
		struct pushd_config c;
		char err[200];

		if (!pushd_config_parse(&c, (const char *)data + 1, size - 1,
					err, sizeof(err)))
			assert(c.n_allow <= PUSHD_ALLOW_MAX);
		return 0;
	}
	ev = osip_parse((const char *)data, size);
	if (!ev)
		return 0;
	if (ev->sip && push_validate(&cfg, ev->sip, &b, &why) == 0) {
		assert(rp_data_parse(b.data, b.len, &rp) == 0);
		assert(sms_deliver_parse(rp.tpdu, rp.tpdu_len, &d) == 0);
		assert(d.pid == SMS_PID_UICC_DOWNLOAD);
	}
	osip_event_free(ev);
	return 0;
}
