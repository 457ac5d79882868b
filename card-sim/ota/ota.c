// SPDX-License-Identifier: GPL-2.0
/*
 * SMS-PP data download: from the ENVELOPE to the application and back
 * to a Proof of Receipt.
 */
#include "ota/ota.h"
#include "ota/ota_secure.h"
#include "ota/ram.h"
#include "ota/sms_concat.h"
#include "ota/sms_deliver.h"
#include "admin/trigger.h"
#include "uicc/apdu.h"
#include "log.h"

#include "cat-tlv.h"

#include <stdlib.h>
#include <string.h>

/* Well inside the TP-UD of an SMS-DELIVER-REPORT (159 octets at most). */
#define RESPONSE_DATA_MAX 128
#define TAG_SMS_TPDU 0x0B	/* COMPREHENSION-TLV "SMS TPDU" */

struct ota {
	struct ota_config cfg;
	struct sms_concat concat;	/* a long command packet, in parts */
};

/* The applications this card has behind TARs. */
struct ota_app {
	uint8_t tar[OTA_TAR_LEN];
	const char *name;
	struct ota_msl msl;
};

static const struct ota_app apps[] = {
	{ { 0x00, 0x00, 0x00 }, "remote administration (ISD RAM)",
	  { .need_cc = true, .need_counter = true } },
};

static const struct ota_app *find_app(const uint8_t tar[OTA_TAR_LEN])
{
	for (size_t i = 0; i < sizeof(apps) / sizeof(apps[0]); i++)
		if (!memcmp(apps[i].tar, tar, OTA_TAR_LEN))
			return &apps[i];
	return NULL;
}

struct ota *ota_new(const struct ota_config *cfg)
{
	struct ota *o = calloc(1, sizeof(*o));

	if (o) {
		o->cfg = *cfg;
		sms_concat_reset(&o->concat);
	}
	return o;
}

void ota_free(struct ota *o)
{
	free(o);
}

void ota_set_agent(struct ota *o, struct admin_agent *agent)
{
	o->cfg.agent = agent;
}

static int to_agent(void *arg, const struct admin_trigger *t)
{
	struct ota *o = arg;

	return admin_agent_trigger(o->cfg.agent, t);
}

enum { SMS_REFUSED = -1, SMS_WAIT = 0, SMS_PACKET = 1 };

/* The SMS-DELIVER's command packet: SMS_PACKET with *cp / *cp_len (for a
 * concatenated SMS once its last part is in), SMS_WAIT when more parts
 * are to come, SMS_REFUSED (logged) when the message is not one this
 * card takes as (part of) a secured packet. */
static int command_packet(struct ota *o, const uint8_t *tpdu, size_t len,
			  const uint8_t **cp, size_t *cp_len)
{
	struct sms_deliver d;
	struct sms_dcs dcs;
	uint16_t ref;
	uint8_t total, seq;
	int rc = sms_deliver_parse(tpdu, len, &d), concat;

	if (rc) {
		card_err("ota: SMS TPDU refused: %s", sms_strerror(rc));
		return SMS_REFUSED;
	}
	sms_dcs_decode(d.dcs, &dcs);
	if (d.pid != SMS_PID_UICC_DOWNLOAD || dcs.alphabet != SMS_ALPHA_8BIT ||
	    dcs.compressed || (dcs.msg_class >= 0 && dcs.msg_class != 2)) {
		card_err("ota: PID %02X DCS %02X is not a UICC data download "
			 "(PID 7F, 8-bit, class 2)", d.pid, d.dcs);
		return SMS_REFUSED;
	}
	concat = d.udhi ? sms_udh_concat(d.udh, d.udh_len, &ref, &total, &seq)
			: 0;
	if (concat < 0 || (concat > 0 && total == 1))
		concat = 0;	/* "1 of 1" is a single SMS */
	/* The command packet identifier (IEI 70) opens the packet: in a
	 * single SMS, or in part 1 of a concatenated one. */
	if ((!concat || seq == 1) &&
	    (!d.udhi || !sms_udh_has_command_packet(d.udh, d.udh_len))) {
		card_err("ota: no command packet header (UDH IEI 70)");
		if (concat)
			sms_concat_reset(&o->concat);
		return SMS_REFUSED;
	}
	if (!concat) {
		*cp = d.body;
		*cp_len = d.body_len;
		return SMS_PACKET;
	}
	rc = sms_concat_add(&o->concat, ref, total, seq, d.body, d.body_len,
			    cp, cp_len);
	if (rc == SMS_CONCAT_WAIT)
		card_info("ota: part %u of %u of a secured packet", seq, total);
	return rc == SMS_CONCAT_DONE ? SMS_PACKET
	       : rc == SMS_CONCAT_WAIT ? SMS_WAIT : SMS_REFUSED;
}

static bool por_wanted(const struct ota_cmd_packet *cp, uint8_t status)
{
	switch (cp->spi.por) {
	case OTA_POR_NONE:
		return false;
	case OTA_POR_ON_ERROR:
		return status != OTA_POR_OK;
	default:
		return true;
	}
}

/* Secured packet in, PoR (or nothing) out; returns the status word. */
static uint16_t secured_packet(struct ota *o, const uint8_t *p, size_t n,
			       uint8_t *resp, size_t cap, size_t *resp_len)
{
	struct ota_cmd_packet cp;
	struct ota_unwrapped u;
	const struct ota_app *app;
	uint8_t *plain = NULL, rdata[RESPONSE_DATA_MAX], status;
	size_t rlen = 0;
	int rc = ota_cmd_packet_parse(p, n, &cp);

	memset(&u, 0, sizeof(u));
	if (rc == OTA_PKT_ESHORT) {
		card_err("ota: secured packet of %zu bytes: header cut", n);
		return SW_TECHNICAL;
	}
	app = find_app(cp.tar);
	if (rc) {
		card_err("ota: secured packet lengths (CPL %u, CHL %u) do not "
			 "match its %zu bytes", cp.cpl, cp.chl, n);
		status = OTA_POR_SECURITY_ERROR;
	} else if (!app) {
		card_err("ota: TAR %02X%02X%02X unknown", cp.tar[0], cp.tar[1],
			 cp.tar[2]);
		status = OTA_POR_TAR_UNKNOWN;
	} else {
		plain = malloc(cp.rest_len ? cp.rest_len : 1);
		if (!plain) {
			status = OTA_POR_NO_MEMORY;
		} else {
			status = ota_secure_unwrap(o->cfg.st, &cp, &app->msl,
						   plain, &u);
		}
	}
	card_info("ota: packet to TAR %02X%02X%02X, SPI %02X%02X, KIc %02X, "
		  "KID %02X: %s", cp.tar[0], cp.tar[1], cp.tar[2],
		  cp.spi_raw[0], cp.spi_raw[1], cp.kic, cp.kid,
		  ota_status_name(status));
	if (status == OTA_POR_OK) {
		rlen = ram_execute(u.data, u.data_len, to_agent, o, rdata,
				   sizeof(rdata));
	}
	*resp_len = 0;
	if (por_wanted(&cp, status)) {
		if (cp.spi.por_submit)
			card_info("ota: PoR via SMS-SUBMIT asked; this card "
				  "answers in the ENVELOPE response");
		*resp_len = ota_secure_por(&cp, &u, status, rdata, rlen, resp,
					   cap);
		if (!*resp_len)
			card_err("ota: PoR does not fit, none sent");
	}
	if (plain) {
		memset(plain, 0, cp.rest_len);
		free(plain);
	}
	return SW_OK;
}

uint16_t ota_sms_pp_download(struct ota *o, const uint8_t *env, size_t len,
			     uint8_t *resp, size_t cap, size_t *resp_len)
{
	struct cat_msg m;
	struct cat_devices dev;
	const struct cat_tlv *t;
	const uint8_t *cp;
	size_t cp_len = 0;
	int err;

	*resp_len = 0;
	err = cat_msg_parse(&m, env, len);
	if (!err && m.ber_tag != CAT_BER_SMS_PP)
		err = CAT_TLV_EBADVAL;
	if (!err) {
		t = cat_msg_find(&m, CAT_TAG_DEVICES, 0);
		err = t ? cat_get_devices(t, &dev) : CAT_TLV_EMISSING;
		if (!err && dev.dst != CAT_DEV_UICC)
			err = CAT_TLV_EBADVAL;
	}
	if (!err) {
		t = cat_msg_find(&m, TAG_SMS_TPDU, 0);
		if (!t)
			err = CAT_TLV_EMISSING;
	}
	if (err) {
		card_err("ota: bad SMS-PP download ENVELOPE: %s",
			 cat_tlv_strerror(err));
		return SW_TECHNICAL;
	}
	err = command_packet(o, t->val, t->len, &cp, &cp_len);
	if (err == SMS_REFUSED)
		return SW_TECHNICAL;
	if (err == SMS_WAIT)
		return SW_OK;
	return secured_packet(o, cp, cp_len, resp,
			      cap < RESPONSE_DATA_MAX ? cap : RESPONSE_DATA_MAX,
			      resp_len);
}

uint16_t ota_sms_pp_cb(void *o, const uint8_t *env, size_t len,
		       uint8_t *resp, size_t cap, size_t *resp_len)
{
	return ota_sms_pp_download(o, env, len, resp, cap, resp_len);
}
