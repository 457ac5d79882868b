// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/* acp-merge.c - local policy + card rules (see acp-merge.h). */
#include "acp-merge.h"

#include <errno.h>
#include <string.h>

static int move_rules(struct acp_policy *out, struct acp_policy *from,
		      int action, size_t *moved)
{
	*moved = 0;
	for (size_t i = 0; i < from->n_rules; i++) {
		struct acp_rule *r = &from->rules[i];
		int err;

		if (action >= 0 && r->action != action)
			continue;
		err = acp_policy_add_rule(out, r);
		if (err)
			return err;
		(*moved)++;
	}
	return 0;
}

int acp_merge(struct acp_policy *local, struct acp_policy *card,
	      struct acp_policy *out, struct acp_merge_info *info)
{
	int err = 0;

	acp_policy_init(out);
	memset(info, 0, sizeof(*info));
	out->default_action = local->default_action;
	for (size_t i = 0; i < card->n_rules; i++)
		card->rules[i].source = SCWS_SOURCE_CARD;
	err = move_rules(out, local, SCWS_ACTION_DENY, &info->local_deny);
	if (!err)
		err = move_rules(out, card, -1, &info->card);
	if (!err)
		err = move_rules(out, local, SCWS_ACTION_ALLOW,
				 &info->local_allow);
	acp_policy_free(local);
	acp_policy_free(card);
	if (err) {
		acp_policy_free(out);
		acp_policy_init(out);
		memset(info, 0, sizeof(*info));
	}
	return err;
}

void acp_merge_print(FILE *f, const struct acp_policy *p,
		     const struct acp_merge_info *info)
{
	size_t i = 0;

	fprintf(f, "default %s\n", acp_action_name(p->default_action));
	fprintf(f, "# local: deny rules (%zu)\n", info->local_deny);
	for (; i < info->local_deny && i < p->n_rules; i++)
		acp_print_rule(f, &p->rules[i]);
	fprintf(f, "# card (%zu)\n", info->card);
	for (; i < info->local_deny + info->card && i < p->n_rules; i++)
		acp_print_rule(f, &p->rules[i]);
	fprintf(f, "# local: allow rules (%zu)\n", info->local_allow);
	for (; i < p->n_rules; i++)
		acp_print_rule(f, &p->rules[i]);
}
