// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * acp-policy.c - the access control policy model, its text parser and its
 * printer.
 *
 * The parser works a line at a time: it splits the line into tokens (words
 * and quoted strings, unescaped into a scratch buffer), then reads one
 * statement from them.  The first error of a line is recorded and parsing
 * goes on with the next line, so one run reports every bad line; the model
 * is kept only when the whole text is valid.
 */
#include "acp-policy.h"
#include "hex.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define SHOWN_MAX 40		/* bytes of an offending token quoted back */
#define FIRST_CAP 16

static const struct {
	const char *word;
	unsigned int sel;
} selector_words[] = {		/* also the order acp_print_rule() uses */
	{ "uid", ACP_SEL_UID },
	{ "gid", ACP_SEL_GID },
	{ "group", ACP_SEL_GROUP },
	{ "label", ACP_SEL_LABEL },
	{ "label-prefix", ACP_SEL_LABEL_PREFIX },
	{ "exe", ACP_SEL_EXE },
	{ "exe-sha256", ACP_SEL_EXE_SHA256 },
	{ "trusted", ACP_SEL_TRUSTED },
	{ "signer-sha256", ACP_SEL_SIGNER_SHA256 },
	{ "signer-sha1", ACP_SEL_SIGNER_SHA1 },
	{ "all", ACP_SEL_ALL },
};

#define SELECTORS_KNOWN 0x7ffu
#define SELECTOR_LIST \
	"uid, gid, group, label, label-prefix, exe, exe-sha256, trusted, " \
	"signer-sha256, signer-sha1, all"

/* ---- model */

void acp_policy_init(struct acp_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->default_action = SCWS_ACTION_DENY;
}

void acp_rule_clear(struct acp_rule *r)
{
	free(r->label);
	free(r->label_prefix);
	free(r->exe);
	memset(r, 0, sizeof(*r));
}

void acp_policy_free(struct acp_policy *p)
{
	size_t i;

	for (i = 0; i < p->n_rules; i++)
		acp_rule_clear(&p->rules[i]);
	free(p->rules);
	acp_policy_init(p);
}

/* items with room for one more than n, or NULL (items untouched). */
static void *grow(void *items, size_t *cap, size_t n, size_t size)
{
	size_t new_cap = *cap ? *cap * 2 : FIRST_CAP;

	if (n < *cap)
		return items;
	items = reallocarray(items, new_cap, size);
	if (items)
		*cap = new_cap;
	return items;
}

int acp_policy_add_rule(struct acp_policy *p, struct acp_rule *r)
{
	struct acp_rule *rules;

	if (p->n_rules >= SCWS_POLICY_MAX_RULES)
		return -E2BIG;
	rules = grow(p->rules, &p->rules_cap, p->n_rules, sizeof(*rules));
	if (!rules)
		return -ENOMEM;
	p->rules = rules;
	rules[p->n_rules++] = *r;
	memset(r, 0, sizeof(*r));	/* its strings belong to p now */
	return 0;
}

static bool str_equal(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

bool acp_rule_equal(const struct acp_rule *a, const struct acp_rule *b)
{
	unsigned int s = a->selectors;

	if (a->action != b->action || a->port != b->port ||
	    s != b->selectors || a->source != b->source)
		return false;
	if ((s & ACP_SEL_UID) &&
	    (a->uid_min != b->uid_min || a->uid_max != b->uid_max))
		return false;
	if ((s & ACP_SEL_GID) && a->gid != b->gid)
		return false;
	if ((s & ACP_SEL_GROUP) && a->group != b->group)
		return false;
	if ((s & ACP_SEL_EXE_SHA256) &&
	    memcmp(a->exe_sha256, b->exe_sha256, SCWS_SHA256_LEN) != 0)
		return false;
	if ((s & ACP_SEL_TRUSTED) && a->trusted != b->trusted)
		return false;
	if ((s & ACP_SEL_SIGNER_SHA256) &&
	    memcmp(a->signer_sha256, b->signer_sha256, SCWS_SHA256_LEN) != 0)
		return false;
	if ((s & ACP_SEL_SIGNER_SHA1) &&
	    memcmp(a->signer_sha1, b->signer_sha1, SCWS_SHA1_LEN) != 0)
		return false;
	return str_equal(a->label, b->label) &&
	       str_equal(a->label_prefix, b->label_prefix) &&
	       str_equal(a->exe, b->exe);
}

bool acp_policy_equal(const struct acp_policy *a, const struct acp_policy *b)
{
	size_t i;

	if (a->default_action != b->default_action ||
	    a->n_rules != b->n_rules)
		return false;
	for (i = 0; i < a->n_rules; i++)
		if (!acp_rule_equal(&a->rules[i], &b->rules[i]))
			return false;
	return true;
}

/* A string selector is present exactly when its bit is set, and fits. */
static bool string_ok(unsigned int selectors, unsigned int sel, const char *s,
		      size_t max)
{
	if (!(selectors & sel))
		return s == NULL;
	return s && *s && strlen(s) <= max;
}

const char *acp_rule_problem(const struct acp_rule *r)
{
	unsigned int s = r->selectors;

	if (r->action != SCWS_ACTION_DENY && r->action != SCWS_ACTION_ALLOW)
		return "unknown action";
	if (!s)
		return "no selector";
	if (s & ~SELECTORS_KNOWN)
		return "unknown selector";
	if ((s & ACP_SEL_ALL) && s != ACP_SEL_ALL)
		return "'all' combined with other selectors";
	if ((s & ACP_SEL_UID) && r->uid_min > r->uid_max)
		return "uid range upside down";
	if (!string_ok(s, ACP_SEL_LABEL, r->label, ACP_LABEL_MAX))
		return "label empty or too long";
	if (!string_ok(s, ACP_SEL_LABEL_PREFIX, r->label_prefix, ACP_LABEL_MAX))
		return "label prefix empty or too long";
	if (!string_ok(s, ACP_SEL_EXE, r->exe, ACP_EXE_MAX) ||
	    (r->exe && r->exe[0] != '/'))
		return "exe not an absolute path or too long";
	if ((s & ACP_SEL_TRUSTED) && r->trusted != SCWS_TRUST_MANUFACTURER &&
	    r->trusted != SCWS_TRUST_ANY)
		return "unknown trust kind";
	if (r->source != SCWS_SOURCE_LOCAL && r->source != SCWS_SOURCE_CARD)
		return "unknown rule source";
	return NULL;
}

/* ---- tokens */

struct token {
	const char *src;	/* where it starts in the line */
	size_t src_len;		/* its length there, quotes included */
	unsigned int column;
	bool quoted;
	const char *text;	/* the value, NUL terminated, in the scratch */
	size_t len;
};

struct parser {
	struct acp_policy *policy;
	struct acp_errors *errs;
	unsigned int line_no;
	struct token *tokens;	/* of the current line */
	size_t n_tokens;
	size_t tokens_cap;
	size_t pos;		/* next token to read */
	unsigned int end_column;	/* just after the last token */
	char *scratch;		/* token values of the current line */
	size_t scratch_cap;
	size_t scratch_used;
	unsigned int default_line;	/* where 'default' was, 0: not yet */
	bool rules_full;	/* "too many" is said once */
	bool nomem;
};

static unsigned int column_at(size_t offset)
{
	return offset < UINT_MAX ? (unsigned int)offset + 1 : UINT_MAX;
}

__attribute__((format(printf, 3, 4)))
static int fail(struct parser *ps, unsigned int column, const char *fmt, ...)
{
	struct acp_errors *errs = ps->errs;
	struct acp_error *e;
	va_list ap;

	if (errs->count < ACP_ERRORS_MAX) {
		e = &errs->list[errs->count];
		e->line = ps->line_no;
		e->column = column;
		va_start(ap, fmt);
		vsnprintf(e->message, sizeof(e->message), fmt, ap);
		va_end(ap);
	}
	if (errs->count < UINT_MAX)
		errs->count++;
	return -EINVAL;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static int add_token(struct parser *ps, const char *line, size_t start,
		     size_t end, bool quoted, char *text, size_t len)
{
	struct token *t;

	t = grow(ps->tokens, &ps->tokens_cap, ps->n_tokens, sizeof(*t));
	if (!t) {
		ps->nomem = true;
		return -ENOMEM;
	}
	ps->tokens = t;
	text[len] = '\0';
	ps->scratch_used += len + 1;
	ps->tokens[ps->n_tokens++] = (struct token){
		.src = line + start, .src_len = end - start,
		.column = column_at(start), .quoted = quoted,
		.text = text, .len = len,
	};
	return 0;
}

static int read_word(struct parser *ps, const char *s, size_t len, size_t *i)
{
	char *out = ps->scratch + ps->scratch_used;
	size_t start = *i, n = 0;

	for (; *i < len; (*i)++) {
		unsigned char c = (unsigned char)s[*i];

		if (is_blank((char)c) || c == '#')
			break;
		if (c == '"')
			return fail(ps, column_at(*i),
				    "unexpected '\"' inside a word (quote the whole string)");
		if (is_control(c))
			return fail(ps, column_at(*i),
				    "unexpected control character 0x%02x", c);
		out[n++] = (char)c;
	}
	return add_token(ps, s, start, *i, false, out, n);
}

/* At s[*i] == '\\' inside a string: stores the byte it stands for. */
static int read_escape(struct parser *ps, const char *s, size_t len, size_t *i,
		       size_t open, char *byte)
{
	size_t at = *i;
	int hi, lo;

	if (at + 1 >= len)
		return fail(ps, column_at(open), "unterminated string");
	if (s[at + 1] == '"' || s[at + 1] == '\\') {
		*byte = s[at + 1];
		*i += 2;
		return 0;
	}
	if (s[at + 1] != 'x') {
		if (s[at + 1] > ' ' && s[at + 1] < 0x7f)
			return fail(ps, column_at(at),
				    "unknown escape '\\%c' (use \\\", \\\\ or \\xNN)",
				    s[at + 1]);
		return fail(ps, column_at(at),
			    "unknown escape (use \\\", \\\\ or \\xNN)");
	}
	hi = at + 2 < len ? hex_digit(s[at + 2]) : -1;
	lo = at + 3 < len ? hex_digit(s[at + 3]) : -1;
	if (hi < 0 || lo < 0)
		return fail(ps, column_at(at), "expected two hex digits after '\\x'");
	if (hi == 0 && lo == 0)
		return fail(ps, column_at(at), "'\\x00' is not allowed: strings cannot hold NUL");
	*byte = (char)(hi << 4 | lo);
	*i += 4;
	return 0;
}

static int read_quoted(struct parser *ps, const char *s, size_t len, size_t *i)
{
	char *out = ps->scratch + ps->scratch_used;
	size_t open = (*i)++, n = 0;
	int err;

	for (;;) {
		unsigned char c;

		if (*i >= len)
			return fail(ps, column_at(open), "unterminated string");
		c = (unsigned char)s[*i];
		if (c == '"')
			break;
		if (c == '\\') {
			err = read_escape(ps, s, len, i, open, &out[n]);
			if (err)
				return err;
			n++;
			continue;
		}
		if (is_control(c))
			return fail(ps, column_at(*i),
				    "unexpected control character 0x%02x in a string (write \\x%02x)",
				    c, c);
		out[n++] = (char)c;
		(*i)++;
	}
	(*i)++;
	if (*i < len && !is_blank(s[*i]) && s[*i] != '#')
		return fail(ps, column_at(*i), "expected a blank after the closing '\"'");
	return add_token(ps, s, open, *i, true, out, n);
}

/* Splits one line (without its '\n') into ps->tokens. */
static int tokenize(struct parser *ps, const char *s, size_t len)
{
	size_t i = 0, need = 2 * len + 1;	/* every value plus its NUL */
	const struct token *last;
	int err = 0;

	ps->n_tokens = 0;
	ps->pos = 0;
	ps->scratch_used = 0;
	if (need > ps->scratch_cap) {
		char *scratch = realloc(ps->scratch, need);

		if (!scratch) {
			ps->nomem = true;
			return -ENOMEM;
		}
		ps->scratch = scratch;
		ps->scratch_cap = need;
	}
	while (i < len && s[i] != '#' && !err) {
		if (is_blank(s[i]))
			i++;
		else if (s[i] == '"')
			err = read_quoted(ps, s, len, &i);
		else
			err = read_word(ps, s, len, &i);
	}
	last = ps->n_tokens ? &ps->tokens[ps->n_tokens - 1] : NULL;
	ps->end_column = last ? column_at(last->src + last->src_len - s) : 1;
	return err;
}

/* ---- reading tokens */

static const struct token *peek(const struct parser *ps)
{
	return ps->pos < ps->n_tokens ? &ps->tokens[ps->pos] : NULL;
}

static const struct token *next(struct parser *ps)
{
	const struct token *t = peek(ps);

	if (t)
		ps->pos++;
	return t;
}

static bool is_word(const struct token *t, const char *word)
{
	return t && !t->quoted && strcmp(t->text, word) == 0;
}

/* "'token'" as written (printable, shortened) or "end of line". */
static const char *describe(const struct token *t, char *buf, size_t size)
{
	size_t i, n = 0;

	if (!t)
		return "end of line";
	buf[n++] = '\'';
	for (i = 0; i < t->src_len && n + 8 < size; i++) {
		unsigned char c = (unsigned char)t->src[i];

		if (i == SHOWN_MAX) {
			n += (size_t)snprintf(buf + n, size - n, "...");
			break;
		}
		if (c >= ' ' && c < 0x7f)
			buf[n++] = (char)c;
		else
			n += (size_t)snprintf(buf + n, size - n, "\\x%02x", c);
	}
	buf[n++] = '\'';
	buf[n] = '\0';
	return buf;
}

/* "expected WHAT, got 'x'" at t, or at the end of the line. */
__attribute__((format(printf, 3, 4)))
static int expected(struct parser *ps, const struct token *t,
		    const char *fmt, ...)
{
	char what[200], got[SHOWN_MAX * 4 + 16];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return fail(ps, t ? t->column : ps->end_column, "expected %s, got %s",
		    what, describe(t, got, sizeof(got)));
}

static int end_of_line(struct parser *ps, const char *after)
{
	const struct token *t = peek(ps);

	return t ? expected(ps, t, "end of line after %s", after) : 0;
}

/* Decimal, digits only: -EINVAL if not a number, -ERANGE above max. */
static int parse_u32(const char *s, size_t len, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
	for (i = 0; i < len; i++) {
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > max)
			return -ERANGE;
	}
	*out = (uint32_t)v;
	return 0;
}

/* Exactly 2 * n hex digits into out[n]. */
static int parse_hex(const struct token *t, uint8_t *out, size_t n)
{
	size_t i;

	if (!t || t->quoted || t->len != 2 * n)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		int hi = hex_digit(t->text[2 * i]);
		int lo = hex_digit(t->text[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static int out_of_range(struct parser *ps, const struct token *t,
			const char *keyword, uint32_t min, uint32_t max)
{
	char got[SHOWN_MAX * 4 + 16];

	return fail(ps, t->column, "%s after '%s' is out of range (%u to %u)",
		    describe(t, got, sizeof(got)), keyword, min, max);
}

static int number_arg(struct parser *ps, const char *keyword, uint32_t min,
		      uint32_t max, uint32_t *out)
{
	const struct token *t = next(ps);
	int err = t && !t->quoted ? parse_u32(t->text, t->len, max, out) :
		  -EINVAL;

	if (err == -EINVAL)
		return expected(ps, t, "a decimal number after '%s'", keyword);
	if (err == -ERANGE || *out < min)
		return out_of_range(ps, t, keyword, min, max);
	return 0;
}

/* uid N or uid A-B. */
static int uid_arg(struct parser *ps, struct acp_rule *r)
{
	const struct token *t = next(ps);
	const char *dash = t && !t->quoted ? strchr(t->text, '-') : NULL;
	size_t a_len = dash ? (size_t)(dash - t->text) : t ? t->len : 0;
	int err = -EINVAL;

	if (t && !t->quoted)
		err = parse_u32(t->text, a_len, UINT32_MAX, &r->uid_min);
	r->uid_max = r->uid_min;
	if (!err && dash)
		err = parse_u32(dash + 1, t->len - a_len - 1, UINT32_MAX,
				&r->uid_max);
	if (err == -EINVAL)
		return expected(ps, t, "a uid or a uid range A-B after 'uid'");
	if (err == -ERANGE)
		return out_of_range(ps, t, "uid", 0, UINT32_MAX);
	if (r->uid_min > r->uid_max)
		return fail(ps, t->column, "uid range '%s' is upside down (%u > %u)",
			    t->text, r->uid_min, r->uid_max);
	return 0;
}

size_t acp_label_mode_len(const char *label, size_t len)
{
	static const char *const modes[] = {
		" (enforce)", " (complain)", " (kill)", " (unconfined)",
		" (mixed)", " (user)", " (prompt)",
	};
	size_t i = 0, n;

	/* Every one, so that parsing what acp_print() wrote changes nothing. */
	while (i < ARRAY_SIZE(modes)) {
		n = strlen(modes[i]);
		if (len > n && memcmp(label + len - n, modes[i], n) == 0) {
			len -= n;
			i = 0;
		} else {
			i++;
		}
	}
	return len;
}

/*
 * label, label-prefix, exe: a non-empty string of at most max bytes.  A
 * label as /proc/PID/attr/current shows it loses its AppArmor mode.
 */
static int string_arg(struct parser *ps, const char *keyword, size_t max,
		      bool path, char **out)
{
	const struct token *t = next(ps);
	size_t len;

	if (!t || (path && t->text[0] != '/'))
		return expected(ps, t, "%s after '%s'",
				path ? "an absolute path" : "a string", keyword);
	if (!t->len)
		return fail(ps, t->column, "empty string after '%s'", keyword);
	if (t->len > max)
		return fail(ps, t->column,
			    "string after '%s' is too long (%zu bytes, at most %zu)",
			    keyword, t->len, max);
	len = path ? t->len : acp_label_mode_len(t->text, t->len);
	*out = strndup(t->text, len);
	if (!*out) {
		ps->nomem = true;
		return -ENOMEM;
	}
	return 0;
}

static int trusted_arg(struct parser *ps, struct acp_rule *r)
{
	const struct token *t = next(ps);

	if (is_word(t, "manufacturer"))
		r->trusted = SCWS_TRUST_MANUFACTURER;
	else if (is_word(t, "any"))
		r->trusted = SCWS_TRUST_ANY;
	else
		return expected(ps, t, "'manufacturer' or 'any' after 'trusted'");
	return 0;
}

static int selector_arg(struct parser *ps, unsigned int sel, struct acp_rule *r)
{
	switch (sel) {
	case ACP_SEL_UID:
		return uid_arg(ps, r);
	case ACP_SEL_GID:
		return number_arg(ps, "gid", 0, UINT32_MAX, &r->gid);
	case ACP_SEL_GROUP:
		return number_arg(ps, "group", 0, UINT32_MAX, &r->group);
	case ACP_SEL_LABEL:
		return string_arg(ps, "label", ACP_LABEL_MAX, false, &r->label);
	case ACP_SEL_LABEL_PREFIX:
		return string_arg(ps, "label-prefix", ACP_LABEL_MAX, false,
				  &r->label_prefix);
	case ACP_SEL_EXE:
		return string_arg(ps, "exe", ACP_EXE_MAX, true, &r->exe);
	case ACP_SEL_EXE_SHA256:
		if (parse_hex(peek(ps), r->exe_sha256, SCWS_SHA256_LEN))
			return expected(ps, peek(ps),
					"a SHA-256 digest (64 hex digits) after 'exe-sha256'");
		next(ps);
		return 0;
	case ACP_SEL_SIGNER_SHA256:
		if (parse_hex(peek(ps), r->signer_sha256, SCWS_SHA256_LEN))
			return expected(ps, peek(ps),
					"the SHA-256 of a certificate (64 hex digits) after 'signer-sha256'");
		next(ps);
		return 0;
	case ACP_SEL_SIGNER_SHA1:
		if (parse_hex(peek(ps), r->signer_sha1, SCWS_SHA1_LEN))
			return expected(ps, peek(ps),
					"the SHA-1 of a certificate (40 hex digits) after 'signer-sha1'");
		next(ps);
		return 0;
	case ACP_SEL_TRUSTED:
		return trusted_arg(ps, r);
	default:		/* all: no argument */
		return 0;
	}
}

static unsigned int selector_of(const struct token *t)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(selector_words); i++)
		if (is_word(t, selector_words[i].word))
			return selector_words[i].sel;
	return 0;
}

static int one_selector(struct parser *ps, struct acp_rule *r)
{
	const struct token *t = next(ps);
	unsigned int sel = selector_of(t);

	if (r->selectors & sel)
		return fail(ps, t->column, "'%s' given twice in one rule", t->text);
	if ((r->selectors & ACP_SEL_ALL) || (sel == ACP_SEL_ALL && r->selectors))
		return fail(ps, t->column,
			    "'all' cannot be combined with other selectors");
	r->selectors |= sel;
	return selector_arg(ps, sel, r);
}

static int add_rule(struct parser *ps, struct acp_rule *r,
		    const struct token *action)
{
	int err = acp_policy_add_rule(ps->policy, r);

	if (err == -ENOMEM)
		ps->nomem = true;
	if (err != -E2BIG || ps->rules_full)
		return err;
	ps->rules_full = true;
	return fail(ps, action->column, "too many rules (at most %u)",
		    SCWS_POLICY_MAX_RULES);
}

/* allow|deny SELECTOR... [port N] */
static int parse_rule(struct parser *ps, const struct token *action)
{
	struct acp_rule r = {
		.action = is_word(action, "allow") ? SCWS_ACTION_ALLOW :
						     SCWS_ACTION_DENY,
		.line = ps->line_no,
		.column = action->column,
	};
	uint32_t port;
	int err = 0;

	if (!selector_of(peek(ps)))
		err = expected(ps, peek(ps), "a selector (" SELECTOR_LIST ") after '%s'",
			       action->text);
	while (!err && peek(ps) && !is_word(peek(ps), "port")) {
		if (selector_of(peek(ps)))
			err = one_selector(ps, &r);
		else
			err = expected(ps, peek(ps), "a selector, 'port' or end of line");
	}
	if (!err && next(ps)) {
		err = number_arg(ps, "port", 1, UINT16_MAX, &port);
		r.port = (uint16_t)port;
		if (!err)
			err = end_of_line(ps, "the port (it comes last)");
	}
	if (!err)
		err = add_rule(ps, &r, action);
	acp_rule_clear(&r);
	return err;
}

/* default allow|deny */
static int parse_default(struct parser *ps, const struct token *keyword)
{
	const struct token *t;

	if (ps->default_line)
		return fail(ps, keyword->column, "'default' given twice (first on line %u)",
			    ps->default_line);
	t = next(ps);
	if (is_word(t, "allow"))
		ps->policy->default_action = SCWS_ACTION_ALLOW;
	else if (is_word(t, "deny"))
		ps->policy->default_action = SCWS_ACTION_DENY;
	else
		return expected(ps, t, "'allow' or 'deny' after 'default'");
	ps->default_line = ps->line_no;
	return end_of_line(ps, ps->policy->default_action == SCWS_ACTION_ALLOW ?
			   "'default allow'" : "'default deny'");
}

/* The digest lists of earlier versions: say what replaced them. */
static int parse_trust(struct parser *ps, const struct token *keyword)
{
	return fail(ps, keyword->column,
		    "'trust' lists are gone: sign the executable (scwsctl sign) and add its certificate (scwsctl trust add manufacturer CERT), or name it with 'allow exe-sha256 HEX ...'");
}

static void parse_line(struct parser *ps, const char *s, size_t len)
{
	const struct token *t;

	if (tokenize(ps, s, len))
		return;
	t = next(ps);
	if (!t)
		return;		/* blank or comment */
	if (is_word(t, "allow") || is_word(t, "deny"))
		parse_rule(ps, t);
	else if (is_word(t, "default"))
		parse_default(ps, t);
	else if (is_word(t, "trust"))
		parse_trust(ps, t);
	else
		expected(ps, t, "'allow', 'deny' or 'default'");
}

int acp_parse(const char *text, size_t len, struct acp_policy *p,
	      struct acp_errors *errs)
{
	struct parser ps = { .policy = p, .errs = errs };
	const char *end = text + len;

	acp_policy_init(p);
	memset(errs, 0, sizeof(*errs));
	while (text < end && !ps.nomem) {
		const char *nl = memchr(text, '\n', (size_t)(end - text));
		const char *eol = nl ? nl : end;

		if (ps.line_no < UINT_MAX)
			ps.line_no++;
		parse_line(&ps, text, (size_t)(eol - text));
		text = nl ? nl + 1 : end;
	}
	free(ps.tokens);
	free(ps.scratch);
	if (ps.nomem || errs->count)
		acp_policy_free(p);
	return ps.nomem ? -ENOMEM : errs->count ? -EINVAL : 0;
}

void acp_errors_print(FILE *f, const char *filename,
		      const struct acp_errors *errs)
{
	unsigned int i;

	for (i = 0; i < errs->count && i < ACP_ERRORS_MAX; i++)
		fprintf(f, "%s:%u:%u: error: %s\n", filename, errs->list[i].line,
			errs->list[i].column, errs->list[i].message);
	if (errs->count > ACP_ERRORS_MAX)
		fprintf(f, "%s: note: %u more errors not shown\n", filename,
			errs->count - ACP_ERRORS_MAX);
}

/* ---- warnings */

#define EXECUTABLE_SELECTORS (ACP_SEL_EXE | ACP_SEL_EXE_SHA256 | \
			      ACP_SEL_TRUSTED | ACP_SEL_SIGNER_SHA256 | \
			      ACP_SEL_SIGNER_SHA1)

unsigned int acp_lint(const struct acp_policy *p, struct acp_errors *warns)
{
	struct acp_error *w;
	size_t i;

	memset(warns, 0, sizeof(*warns));
	for (i = 0; i < p->n_rules; i++) {
		const struct acp_rule *r = &p->rules[i];

		if (r->action != SCWS_ACTION_ALLOW ||
		    !(r->selectors & EXECUTABLE_SELECTORS) ||
		    (r->selectors & ~EXECUTABLE_SELECTORS))
			continue;
		if (warns->count < ACP_ERRORS_MAX) {
			w = &warns->list[warns->count];
			w->line = r->line;
			w->column = r->column;
			snprintf(w->message, sizeof(w->message), "%s",
				 "this rule names only the executable, which any local user can run or pass as (LD_PRELOAD, user namespaces): add a uid, gid, group or label selector");
		}
		if (warns->count < UINT_MAX)
			warns->count++;
	}
	return warns->count;
}

void acp_warnings_print(FILE *f, const char *filename,
			const struct acp_errors *warns)
{
	unsigned int i;

	for (i = 0; i < warns->count && i < ACP_ERRORS_MAX; i++)
		fprintf(f, "%s:%u:%u: warning: %s\n", filename,
			warns->list[i].line, warns->list[i].column,
			warns->list[i].message);
	if (warns->count > ACP_ERRORS_MAX)
		fprintf(f, "%s: note: %u more warnings not shown\n", filename,
			warns->count - ACP_ERRORS_MAX);
}

/* ---- printing */

const char *acp_action_name(unsigned int action)
{
	return action == SCWS_ACTION_ALLOW ? "allow" :
	       action == SCWS_ACTION_DENY ? "deny" : "?";
}

const char *acp_trust_name(unsigned int trust)
{
	return trust == SCWS_TRUST_MANUFACTURER ? "manufacturer" :
	       trust == SCWS_TRUST_ANY ? "any" : "?";
}

void acp_print_bytes(FILE *f, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "%02x", b[i]);
}

void acp_print_hex(FILE *f, const uint8_t digest[SCWS_SHA256_LEN])
{
	acp_print_bytes(f, digest, SCWS_SHA256_LEN);
}

/* A word unless the parser would read it differently. */
static bool needs_quotes(const char *s)
{
	if (!*s)
		return true;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= ' ' || c == 0x7f || c == '"' || c == '#' || c == '\\')
			return true;
	}
	return false;
}

static void print_string(FILE *f, const char *s)
{
	if (!needs_quotes(s)) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (is_control(c))
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void print_selector(FILE *f, const struct acp_rule *r, unsigned int sel)
{
	switch (sel) {
	case ACP_SEL_UID:
		fprintf(f, " uid %u", r->uid_min);
		if (r->uid_max != r->uid_min)
			fprintf(f, "-%u", r->uid_max);
		break;
	case ACP_SEL_GID:
		fprintf(f, " gid %u", r->gid);
		break;
	case ACP_SEL_GROUP:
		fprintf(f, " group %u", r->group);
		break;
	case ACP_SEL_LABEL:
	case ACP_SEL_LABEL_PREFIX:
	case ACP_SEL_EXE:
		fputs(sel == ACP_SEL_LABEL ? " label " :
		      sel == ACP_SEL_EXE ? " exe " : " label-prefix ", f);
		print_string(f, sel == ACP_SEL_LABEL ? r->label :
				sel == ACP_SEL_EXE ? r->exe : r->label_prefix);
		break;
	case ACP_SEL_EXE_SHA256:
		fputs(" exe-sha256 ", f);
		acp_print_hex(f, r->exe_sha256);
		break;
	case ACP_SEL_TRUSTED:
		fprintf(f, " trusted %s", acp_trust_name(r->trusted));
		break;
	case ACP_SEL_SIGNER_SHA256:
		fputs(" signer-sha256 ", f);
		acp_print_bytes(f, r->signer_sha256, SCWS_SHA256_LEN);
		break;
	case ACP_SEL_SIGNER_SHA1:
		fputs(" signer-sha1 ", f);
		acp_print_bytes(f, r->signer_sha1, SCWS_SHA1_LEN);
		break;
	case ACP_SEL_ALL:
		fputs(" all", f);
		break;
	}
}

void acp_print_rule(FILE *f, const struct acp_rule *r)
{
	size_t i;

	fputs(acp_action_name(r->action), f);
	for (i = 0; i < ARRAY_SIZE(selector_words); i++)
		if (r->selectors & selector_words[i].sel)
			print_selector(f, r, selector_words[i].sel);
	if (r->port)
		fprintf(f, " port %u", r->port);
	if (r->source == SCWS_SOURCE_CARD)
		fputs("  # card", f);
	fputc('\n', f);
}

void acp_print(FILE *f, const struct acp_policy *p)
{
	size_t i;

	fprintf(f, "default %s\n", acp_action_name(p->default_action));
	for (i = 0; i < p->n_rules; i++)
		acp_print_rule(f, &p->rules[i]);
}
