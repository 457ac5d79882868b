/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * se_int.h - what the APDU access service's files share: se_service.c
 * (socket, sessions, channels, card exchanges), se_rules.c (trust
 * anchors, the card's and the admin's rules, the decision) and
 * se_share.c (the applications' share of the card link).
 */
#ifndef BIPD_SE_INT_H
#define BIPD_SE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "se_ese.h"
#include "se_ident.h"
#include "se_service.h"
#include "seac-resolve.h"

#define SE_READER "SIM1"	/* OMAPI's name for the first UICC */
#define SE_SESSIONS 8		/* per connection */
#define SE_CHANNELS 8		/* per connection */
#define SE_CONNS_MAX 64
#define SE_ANCHORS_MAX 64

struct se_channel {
	bool used;
	uint8_t session;
	uint8_t card_chan;		/* 1..19 */
	uint32_t gen;			/* the card it was opened on */
	uint8_t rd;			/* SE_RD_SIM or SE_RD_ESE */
	struct seac_decision dec;
	uint8_t select[APDU_RESP_MAX + 2];
	size_t select_len;
};

struct se_conn {
	struct se_conn *next;
	struct se_service *s;
	struct watch w;
	struct se_peer peer;
	bool paused;			/* waits for the applications' share */
	bool session[SE_SESSIONS];
	uint8_t session_rd[SE_SESSIONS];	/* its reader */
	struct se_channel ch[SE_CHANNELS];
};

struct se_service {
	struct bipd *b;
	const struct bipd_opts *o;
	struct watch listen;
	struct se_conn *conns;
	unsigned int n_conns;
	uint32_t gen;			/* bumped when the card goes */
	/* the card's rules, for card generation rules_gen */
	bool rules_valid;
	uint32_t rules_gen;
	bool has_tag;
	uint8_t tag[8];
	bool from_arf;			/* the rules came from the ARF */
	struct seac_rules rules;
	X509 *anchors[SE_ANCHORS_MAX];
	size_t n_anchors, n_card_anchors;
	/* the applications' share of the card link */
	int64_t credit_us, credit_at_us;
	uint64_t bip_apdus;
	int64_t bip_last_us;
	int64_t resume_at_us;		/* paused connections: -1 none */
	uint64_t deferred;		/* requests that waited (stats) */
	struct se_ese *ese;		/* --ese-reader, or NULL */
};

enum { SE_RD_SIM, SE_RD_ESE };

/* se_share.c */
void se_share_init(struct se_service *s);
int64_t se_now_us(void);
/* Brings the credit up to now: true when applications may use the card. */
bool se_share_ok(struct se_service *s);
/* c waits for the share: not read until se_service_tick() resumes it. */
void se_pause_conn(struct se_service *s, struct se_conn *c);

/* se_rules.c */
void se_load_trust_dir(struct se_service *s);
void se_anchors_drop(struct se_service *s, size_t from);
/* The card's rules up to date: 0, -EIO (unreadable: no access), or the
 * link failed (b->card_failed set). */
int se_rules_update(struct se_service *s);
/* The decision for the caller and the AID; why[] says what decided. */
bool se_decide(struct se_conn *c, const struct se_caller *who,
	       const struct seac_rules *rules, const uint8_t *aid, size_t aid_len, struct seac_decision *d,
	       char *why, size_t why_len);

#endif /* BIPD_SE_INT_H */
