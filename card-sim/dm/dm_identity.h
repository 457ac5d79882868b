/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The card as OMA DM server (DM Smart Card provisioning master): the one
 * account both sides of the card use.  The bootstrap file the DM client
 * reads from the card (a DMAcc in TNDS) and the card's DM endpoint, which
 * checks the client's credentials and proves its own, take their values
 * from here.  Nonces move during sessions and live in the card state.
 */
#ifndef SCWS_CARD_DM_IDENTITY_H
#define SCWS_CARD_DM_IDENTITY_H

struct dm_identity {
	const char *server_id;	/* ServerID */
	const char *addr;	/* AppAddr: the DM endpoint, through the gateway */
	const char *name;	/* DMAcc name */
	const char *srv_name;	/* SRVCRED: the card authenticates to the client */
	const char *srv_secret;
	const char *cli_name;	/* CLCRED: the client authenticates to the card */
	const char *cli_secret;
	/* The nonces of the first session, in base64 (AAuthData): the
	 * bootstrap file gives them to the client, the endpoint starts from
	 * them (dm_store_nonce()). */
	const char *cli_nonce0;
	const char *srv_nonce0;
};

/* The card's account (fixed per card, like keys personalised at issue). */
const struct dm_identity *dm_identity(void);

#endif /* SCWS_CARD_DM_IDENTITY_H */
