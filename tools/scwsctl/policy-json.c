// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * policy-json.c - a policy as JSON: the same facts as the text format, one
 * member per selector, absent members for absent selectors.
 */
#include "scwsctl.h"

static void json_rule_strings(struct json *j, const struct acp_rule *r)
{
	if (r->label)
		json_string(j, "label", r->label);
	if (r->label_prefix)
		json_string(j, "label_prefix", r->label_prefix);
	if (r->exe)
		json_string(j, "exe", r->exe);
}

static void json_rule(struct json *j, size_t index, const struct acp_rule *r)
{
	unsigned int s = r->selectors;

	json_open_object(j, NULL);
	json_uint(j, "index", index);
	json_string(j, "action", acp_action_name(r->action));
	if (s & ACP_SEL_UID) {
		json_uint(j, "uid_min", r->uid_min);
		json_uint(j, "uid_max", r->uid_max);
	}
	if (s & ACP_SEL_GID)
		json_uint(j, "gid", r->gid);
	if (s & ACP_SEL_GROUP)
		json_uint(j, "group", r->group);
	json_rule_strings(j, r);
	if (s & ACP_SEL_EXE_SHA256)
		json_hex(j, "exe_sha256", r->exe_sha256, SCWS_SHA256_LEN);
	if (s & ACP_SEL_TRUSTED)
		json_string(j, "trusted", acp_trust_name(r->trusted));
	if (s & ACP_SEL_SIGNER_SHA256)
		json_hex(j, "signer_sha256", r->signer_sha256, SCWS_SHA256_LEN);
	if (s & ACP_SEL_SIGNER_SHA1)
		json_hex(j, "signer_sha1", r->signer_sha1, SCWS_SHA1_LEN);
	if (s & ACP_SEL_ALL)
		json_bool(j, "all", true);
	if (r->source == SCWS_SOURCE_CARD)
		json_string(j, "source", "card");
	if (r->port)
		json_uint(j, "port", r->port);
	if (r->line)
		json_uint(j, "line", r->line);
	json_close_object(j);
}

void json_policy(struct json *j, const struct acp_policy *p)
{
	size_t i;

	json_string(j, "default", acp_action_name(p->default_action));
	json_open_array(j, "rules");
	for (i = 0; i < p->n_rules; i++)
		json_rule(j, i, &p->rules[i]);
	json_close_array(j);
}
