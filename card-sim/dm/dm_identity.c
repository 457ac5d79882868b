// SPDX-License-Identifier: GPL-2.0
/* The card's own DM server account; see dm_identity.h. */
#include "dm/dm_identity.h"

static const struct dm_identity card_dm = {
	.server_id = "scws-card",
	.addr = "http://127.0.0.1:3516/dm",
	.name = "SCWS card provisioning",
	.srv_name = "scws-card",
	.srv_secret = "card-server-secret",
	.cli_name = "scws-dmc",
	.cli_secret = "card-client-secret",
	.cli_nonce0 = "Y2FyZC1jbGllbnQtbm9uY2UtMA==",	/* card-client-nonce-0 */
	.srv_nonce0 = "Y2FyZC1zZXJ2ZXItbm9uY2UtMA==",	/* card-server-nonce-0 */
};

const struct dm_identity *dm_identity(void)
{
	return &card_dm;
}
