// SPDX-License-Identifier: GPL-2.0
/*
 * PLACEHOLDER until the administration agent lands: every trigger is
 * refused, so a card built from this tree never starts a session.
 */
#include "admin/trigger.h"

#include <errno.h>

int admin_agent_trigger(struct admin_agent *a, const struct admin_trigger *t)
{
	(void)a;
	(void)t;
	return -ENOTSUP;
}
