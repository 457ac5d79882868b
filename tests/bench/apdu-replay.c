// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * apdu-replay.c - TEST TOOLING for `make bench`: the floor of the card
 * link.  Sends a recorded sequence of command APDUs (the pump's, from its
 * -vv log) to the card with a bare SCardTransmit loop, through the same
 * pcscd and vpcd, and times the part from FROM to TO (0-based, TO
 * excluded).  A card started afresh answers a replay of the same session
 * with the same bytes; answers that differ from the recording are
 * counted, so a replay that went astray is seen.
 *
 *   apdu-replay LOG FROM TO
 *
 * LOG: lines "... C-APDU (n): XX XX ..." and "... R-APDU (n): XX ...".
 * Prints "replay: apdus=N timed=M ms=T mismatches=K".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <PCSC/winscard.h>

#define APDU_MAX 65546

struct apdu {
	unsigned char *c, *r;
	size_t clen, rlen;
};

static size_t parse_hex(const char *s, unsigned char *out, size_t cap)
{
	size_t n = 0;
	unsigned int v;
	int used;

	while (n < cap && sscanf(s, " %2x%n", &v, &used) == 1) {
		out[n++] = (unsigned char)v;
		s += used;
	}
	return n;
}

/* "LABEL (n): hex": the bytes, or NULL when the line is not one. */
static unsigned char *take(const char *line, const char *label, size_t *len)
{
	const char *p = strstr(line, label);
	unsigned char *buf;
	size_t want;

	if (!p || sscanf(p + strlen(label), " (%zu):", &want) != 1 ||
	    want > APDU_MAX)
		return NULL;
	p = strchr(p, ':');
	buf = malloc(want ? want : 1);
	if (!buf)
		exit(2);
	*len = parse_hex(p + 1, buf, want);
	if (*len != want) {	/* a line cut short in the log */
		free(buf);
		return NULL;
	}
	return buf;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	static unsigned char resp[APDU_MAX];
	struct apdu *a = NULL;
	size_t n = 0, cap = 0, from, to, len;
	char line[4096];
	SCARDCONTEXT ctx;
	SCARDHANDLE card;
	DWORD proto, rlen, readers_len = SCARD_AUTOALLOCATE;
	LPSTR readers = NULL;
	unsigned long mismatches = 0;
	double t0 = 0, t1 = 0;
	FILE *f;
	LONG rv;

	if (argc != 4) {
		fprintf(stderr, "usage: apdu-replay LOG FROM TO\n");
		return 2;
	}
	from = strtoul(argv[2], NULL, 10);
	to = strtoul(argv[3], NULL, 10);
	f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned char *b;

		if ((b = take(line, "C-APDU", &len))) {
			if (n == cap) {
				cap = cap ? 2 * cap : 1024;
				a = realloc(a, cap * sizeof(*a));
				if (!a)
					return 2;
			}
			a[n++] = (struct apdu){ .c = b, .clen = len };
		} else if (n && (b = take(line, "R-APDU", &len))) {
			a[n - 1].r = b;
			a[n - 1].rlen = len;
		}
	}
	fclose(f);
	if (to > n || from >= to) {
		fprintf(stderr, "apdu-replay: %zu APDUs, window %zu..%zu\n",
			n, from, to);
		return 2;
	}
	rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx);
	if (rv == SCARD_S_SUCCESS)
		rv = SCardListReaders(ctx, NULL, (LPSTR)&readers, &readers_len);
	if (rv == SCARD_S_SUCCESS) {
		/* a card just started: wait (10 s at most) until pcscd has it */
		SCARD_READERSTATE st = { .szReader = readers,
					 .dwCurrentState = SCARD_STATE_UNAWARE };

		for (int i = 0; i < 20 && rv == SCARD_S_SUCCESS; i++) {
			rv = SCardGetStatusChange(ctx, 500, &st, 1);
			if (rv == (LONG)SCARD_E_TIMEOUT)
				rv = SCARD_S_SUCCESS;
			if (st.dwEventState & SCARD_STATE_PRESENT)
				break;
			st.dwCurrentState = st.dwEventState;
		}
	}
	if (rv == SCARD_S_SUCCESS)
		rv = SCardConnect(ctx, readers, SCARD_SHARE_EXCLUSIVE,
				  SCARD_PROTOCOL_T1 | SCARD_PROTOCOL_T0,
				  &card, &proto);
	if (rv != SCARD_S_SUCCESS) {
		fprintf(stderr, "apdu-replay: %s\n", pcsc_stringify_error(rv));
		return 1;
	}
	for (size_t i = 0; i < to; i++) {
		if (i == from)
			t0 = now_ms();
		/* room for the recorded answer, as the pump asks: a larger
		 * buffer makes pcscd take its slower extended path */
		rlen = a[i].r && a[i].rlen > 258 ? sizeof(resp) : 258;
		rv = SCardTransmit(card, proto == SCARD_PROTOCOL_T1 ?
				   SCARD_PCI_T1 : SCARD_PCI_T0, a[i].c,
				   (DWORD)a[i].clen, NULL, resp, &rlen);
		if (rv != SCARD_S_SUCCESS) {
			fprintf(stderr, "apdu-replay: APDU %zu: %s\n", i,
				pcsc_stringify_error(rv));
			return 1;
		}
		if (!a[i].r || rlen != a[i].rlen || memcmp(resp, a[i].r, rlen))
			mismatches++;
	}
	t1 = now_ms();
	printf("replay: apdus=%zu timed=%zu ms=%.1f mismatches=%lu\n", n,
	       to - from, t1 - t0, mismatches);
	SCardDisconnect(card, SCARD_RESET_CARD);
	SCardFreeMemory(ctx, readers);
	SCardReleaseContext(ctx);
	for (size_t i = 0; i < n; i++) {
		free(a[i].c);
		free(a[i].r);
	}
	free(a);
	return 0;
}
