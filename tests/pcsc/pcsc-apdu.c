// SPDX-License-Identifier: GPL-2.0
/*
 * pcsc-apdu: send APDUs to a card through PC/SC and check the answers.
 *
 *   pcsc-apdu [-r READER] [-w SECS] [-x] [-q] APDU...
 *   pcsc-apdu [-r READER] [-w SECS] [-x] [-q] -f SCRIPT
 *
 * APDUs are hex (spaces allowed inside one argument).  A script has one
 * command a line ('#' starts a comment):
 *
 *   send HEX            one APDU
 *   expect PATTERN      the last answer (data + SW), hex; ".." is any byte,
 *                       a trailing "*" any further bytes
 *   fetch               FETCH with Le from the last 91xx
 *   tr HEX              TERMINAL RESPONSE: the fetched command's details,
 *                       device identities 82 -> 81, then HEX
 *   envelope HEX        ENVELOPE (retried while 9300)
 *   answer              answer the last fetched command as "proactive" would
 *   proactive           play the terminal until nothing is pending
 *   expect-listen N PORT  channel N listens on PORT
 *   connect N           a client connects to channel N
 *   client N TEXT       the client on N sends TEXT (\r \n \\ \xHH escapes)
 *   client-file N FILE  ... sends the bytes of FILE
 *   hangup N            the client on N hangs up
 *   expect-text N TEXT  what the card sent on N contains TEXT
 *   expect-no-text N TEXT  ... does not contain TEXT
 *   expect-closed N     the card closed the connection on N
 *   print-text N        print what the card sent on N
 *   clear N             forget what the card sent on N
 *   reset               warm reset of the card
 *
 * Exit status: 0 when every expectation held, 1 at the first that did not
 * (or on a transmit failure), 2 on a usage error.
 */
#include "bip-term.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <winscard.h>

struct pcsc {
	SCARDCONTEXT ctx;
	SCARDHANDLE card;
	DWORD proto;
};

static int xfer(void *arg, const uint8_t *c, size_t clen, uint8_t *r,
		size_t cap, size_t *rlen)
{
	struct pcsc *p = arg;
	DWORD n = (DWORD)cap;
	LONG rv = SCardTransmit(p->card, p->proto == SCARD_PROTOCOL_T0 ?
				SCARD_PCI_T0 : SCARD_PCI_T1, c, (DWORD)clen,
				NULL, r, &n);

	if (rv != SCARD_S_SUCCESS) {
		fprintf(stderr, "SCardTransmit: %s\n", pcsc_stringify_error(rv));
		return -1;
	}
	*rlen = n;
	return 0;
}

/* Picks the reader named like want (or the first with a card) and waits
 * up to secs for a card in it. */
static int pcsc_open(struct pcsc *p, const char *want, int secs, bool excl)
{
	char *readers = NULL, *r, *pick = NULL;
	DWORD len = SCARD_AUTOALLOCATE;
	SCARD_READERSTATE st;
	LONG rv;

	rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &p->ctx);
	if (rv == SCARD_S_SUCCESS)
		rv = SCardListReaders(p->ctx, NULL, (LPSTR)&readers, &len);
	if (rv != SCARD_S_SUCCESS) {
		fprintf(stderr, "PC/SC: %s\n", pcsc_stringify_error(rv));
		return -1;
	}
	for (r = readers; *r; r += strlen(r) + 1) {
		if (want ? strstr(r, want) != NULL : !pick) {
			pick = r;
			if (want)
				break;
		}
	}
	if (!pick) {
		fprintf(stderr, "no reader matching \"%s\"\n", want ? want : "");
		return -1;
	}
	memset(&st, 0, sizeof(st));
	st.szReader = pick;
	st.dwCurrentState = SCARD_STATE_UNAWARE;
	for (int waited = 0;; waited++) {
		rv = SCardGetStatusChange(p->ctx, 1000, &st, 1);
		if (rv == SCARD_S_SUCCESS && st.dwEventState & SCARD_STATE_PRESENT)
			break;
		if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT) {
			fprintf(stderr, "waiting for a card: %s\n",
				pcsc_stringify_error(rv));
			return -1;
		}
		if (waited >= secs) {
			fprintf(stderr, "no card in %s\n", pick);
			return -1;
		}
		st.dwCurrentState = st.dwEventState;
	}
	rv = SCardConnect(p->ctx, pick, excl ? SCARD_SHARE_EXCLUSIVE :
			  SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
			  &p->card, &p->proto);
	if (rv != SCARD_S_SUCCESS) {
		fprintf(stderr, "SCardConnect %s: %s\n", pick,
			pcsc_stringify_error(rv));
		return -1;
	}
	fprintf(stderr, "# %s, T=%d\n", pick, p->proto == SCARD_PROTOCOL_T0 ? 0 : 1);
	SCardFreeMemory(p->ctx, readers);
	return 0;
}

static void pcsc_close(struct pcsc *p)
{
	if (p->card)
		SCardDisconnect(p->card, SCARD_LEAVE_CARD);
	if (p->ctx)
		SCardReleaseContext(p->ctx);
}

/* Hex digits (spaces ignored) into out; -1 if malformed. */
static long unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;

		if (isspace((unsigned char)*s))
			continue;
		if (!isxdigit((unsigned char)*s))
			return -1;
		v = isdigit((unsigned char)*s) ? *s - '0'
					       : (tolower((unsigned char)*s) - 'a' + 10);
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == cap)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? (long)n : -1;
}

/* C-style escapes in place; returns the length. */
static size_t unescape(char *s)
{
	char *o = s;

	for (char *i = s; *i; i++) {
		if (*i != '\\' || !i[1]) {
			*o++ = *i;
			continue;
		}
		switch (*++i) {
		case 'r':
			*o++ = '\r';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 'x':
			if (isxdigit((unsigned char)i[1]) &&
			    isxdigit((unsigned char)i[2])) {
				char h[3] = { i[1], i[2], 0 };

				*o++ = (char)strtol(h, NULL, 16);
				i += 2;
			}
			break;
		default:
			*o++ = *i;
		}
	}
	*o = '\0';
	return (size_t)(o - s);
}

/* PATTERN against the last answer: hex bytes, ".." any, trailing "*". */
static bool matches(const char *pat, const uint8_t *got, size_t len)
{
	size_t i = 0;

	for (const char *s = pat; *s;) {
		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		if (*s == '*')
			return true;
		if (i == len || !s[1])
			return false;
		if (s[0] != '.' || s[1] != '.') {
			char h[3] = { s[0], s[1], 0 };
			char *end;
			long v = strtol(h, &end, 16);

			if (*end || v != got[i])
				return false;
		}
		i++;
		s += 2;
	}
	return i == len;
}

static bool contains(const uint8_t *hay, size_t n, const char *needle, size_t k)
{
	if (!k)
		return true;
	for (size_t i = 0; hay && i + k <= n; i++)
		if (!memcmp(hay + i, needle, k))
			return true;
	return false;
}

static int client_file(struct term *t, int ch, const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = malloc(1 << 20);
	size_t n;
	int rc;

	if (!f || !buf) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		free(buf);
		return -1;
	}
	n = fread(buf, 1, 1 << 20, f);
	fclose(f);
	rc = term_send(t, ch, buf, n);
	free(buf);
	return rc;
}

/* One script line; 0 ok, 1 expectation failed, -1 error. */
static int run_line(struct term *t, struct pcsc *p, char *line)
{
	uint8_t buf[65544];
	char *cmd = strtok(line, " \t"), *rest = strtok(NULL, "");
	long n = 0;
	int ch = 0;
	const uint8_t *got;
	size_t len;
	bool closed;
	char *arg2 = NULL;

	if (!cmd || cmd[0] == '#')
		return 0;
	if (rest) {
		ch = atoi(rest);
		arg2 = strchr(rest, ' ');
		if (arg2)
			arg2++;
	}
	if (!strcmp(cmd, "send") || !strcmp(cmd, "tr") || !strcmp(cmd, "envelope")) {
		n = rest ? unhex(rest, buf, sizeof(buf)) : 0;
		if (n < 0)
			return -1;
		if (!strcmp(cmd, "send"))
			return term_apdu(t, buf, (size_t)n);
		return !strcmp(cmd, "tr") ? term_tr(t, buf, (size_t)n)
					  : term_envelope(t, buf, (size_t)n);
	}
	if (!strcmp(cmd, "expect")) {
		got = term_last(t, &len);
		return matches(rest ? rest : "", got, len) ? 0 : 1;
	}
	if (!strcmp(cmd, "fetch"))
		return term_fetch(t);
	if (!strcmp(cmd, "answer"))
		return term_answer(t);
	if (!strcmp(cmd, "proactive"))
		return term_proactive(t);
	if (!strcmp(cmd, "connect"))
		return term_connect(t, ch);
	if (!strcmp(cmd, "hangup"))
		return term_hangup(t, ch);
	if (!strcmp(cmd, "client") && arg2) {
		n = (long)unescape(arg2);
		return term_send(t, ch, (const uint8_t *)arg2, (size_t)n);
	}
	if (!strcmp(cmd, "client-file") && arg2)
		return client_file(t, ch, arg2);
	if (!strcmp(cmd, "expect-listen") && arg2) {
		uint16_t port;

		return term_channel_state(t, ch, &port) == 'L' &&
		       port == atoi(arg2) ? 0 : 1;
	}
	if ((!strcmp(cmd, "expect-text") || !strcmp(cmd, "expect-no-text")) &&
	    arg2) {
		bool want = !strcmp(cmd, "expect-text");

		n = (long)unescape(arg2);
		got = term_received(t, ch, &len, &closed);
		return contains(got, len, arg2, (size_t)n) == want ? 0 : 1;
	}
	if (!strcmp(cmd, "expect-closed")) {
		term_received(t, ch, &len, &closed);
		return closed ? 0 : 1;
	}
	if (!strcmp(cmd, "print-text")) {
		got = term_received(t, ch, &len, &closed);
		if (len)
			fwrite(got, 1, len, stdout);
		printf("\n# %zu bytes on channel %d%s\n", len, ch,
		       closed ? ", closed by the card" : "");
		return 0;
	}
	if (!strcmp(cmd, "clear")) {
		term_clear(t, ch);
		return 0;
	}
	if (!strcmp(cmd, "reset")) {
		LONG rv = SCardReconnect(p->card, SCARD_SHARE_SHARED,
					 SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
					 SCARD_RESET_CARD, &p->proto);

		return rv == SCARD_S_SUCCESS ? 0 : -1;
	}
	fprintf(stderr, "unknown script command \"%s\"\n", cmd);
	return -1;
}

static int run_script(struct term *t, struct pcsc *p, const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, rc = 0;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return 2;
	}
	while (getline(&line, &cap, f) > 0) {
		char copy[64];
		int r;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		snprintf(copy, sizeof(copy), "%s", line);
		r = run_line(t, p, line);
		if (r) {
			fprintf(stderr, "%s:%d: %s: %s\n", path, lineno,
				r > 0 ? "expectation failed" : "error", copy);
			rc = 1;
			break;
		}
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return rc;
}

int main(int argc, char **argv)
{
	const char *reader = NULL, *script = NULL;
	struct pcsc p = { 0 };
	struct term *t;
	int c, secs = 10, rc = 0;
	bool quiet = false, excl = false;

	while ((c = getopt(argc, argv, "r:w:f:qxh")) != -1) {
		switch (c) {
		case 'r':
			reader = optarg;
			break;
		case 'w':
			secs = atoi(optarg);
			break;
		case 'f':
			script = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'x':
			excl = true;
			break;
		default:
			fprintf(stderr, "usage: pcsc-apdu [-r READER] [-w SECS] [-x] [-q] "
				"{-f SCRIPT | APDU...}\n");
			return c == 'h' ? 0 : 2;
		}
	}
	if (!script && optind == argc) {
		fprintf(stderr, "pcsc-apdu: no APDU and no script\n");
		return 2;
	}
	if (pcsc_open(&p, reader, secs, excl)) {
		pcsc_close(&p);
		return 1;
	}
	t = term_new(xfer, &p, quiet);
	if (!t)
		return 1;
	if (script) {
		rc = run_script(t, &p, script);
	} else {
		for (int i = optind; i < argc && !rc; i++) {
			uint8_t buf[65544];
			long n = unhex(argv[i], buf, sizeof(buf));

			if (n < 4) {
				fprintf(stderr, "not an APDU: %s\n", argv[i]);
				rc = 2;
			} else if (term_apdu(t, buf, (size_t)n)) {
				rc = 1;
			}
		}
	}
	term_free(t);
	pcsc_close(&p);
	return rc;
}
