// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
// sources: tools/lib/acp-policy.c
/*
 * acp_policy_fuzz.c - the policy parser on arbitrary bytes.  No crash, no
 * leak; errors are well formed (positions from 1, printable messages, no
 * half-built model); and when the text parses, every rule is one the model
 * accepts, and print -> parse gives an equal model that prints the same.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acp-policy.h"

static char *print_policy(const struct acp_policy *p, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (!f)
		abort();
	acp_print(f, p);
	fclose(f);
	return text;
}

static void check_errors(const struct acp_policy *p,
			 const struct acp_errors *errs)
{
	static FILE *sink;
	unsigned int i;
	const char *c;

	if (!errs->count || p->n_rules || p->rules)
		abort();
	for (i = 0; i < errs->count && i < ACP_ERRORS_MAX; i++) {
		if (!errs->list[i].line || !errs->list[i].column ||
		    !errs->list[i].message[0])
			abort();
		/* Input bytes reach a terminal only escaped. */
		for (c = errs->list[i].message; *c; c++)
			if (*c < 0x20 || *c > 0x7e)
				abort();
	}
	if (!sink)
		sink = fopen("/dev/null", "w");
	if (sink)
		acp_errors_print(sink, "fuzz", errs);
}

static void check_round_trip(const struct acp_policy *p)
{
	struct acp_errors errs;
	struct acp_policy q;
	char *text, *again;
	size_t len, len2, i;

	for (i = 0; i < p->n_rules; i++)
		if (acp_rule_problem(&p->rules[i]))
			abort();
	text = print_policy(p, &len);
	if (acp_parse(text, len, &q, &errs) != 0 || !acp_policy_equal(p, &q))
		abort();
	again = print_policy(&q, &len2);
	if (len != len2 || memcmp(text, again, len) != 0)
		abort();
	free(again);
	free(text);
	acp_policy_free(&q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct acp_errors errs;
	struct acp_policy p;
	int err = acp_parse((const char *)data, size, &p, &errs);

	if (err)
		check_errors(&p, &errs);
	else
		check_round_trip(&p);
	acp_policy_free(&p);
	return 0;
}
