// SPDX-License-Identifier: GPL-2.0
/*
 * scws-test-ras: a Remote Administration Server for TESTS ONLY (GP Card
 * Spec Amd B over TLS-PSK, OMA SCWS admin commands).  Never for production.
 *
 * One connection at a time, blocking, OpenSSL: TLS 1.2 with a PSK
 * (PSK-AES128-GCM-SHA256, PSK-AES128-CBC-SHA256), no certificate.  Each
 * POST from the card is recorded (DIR/NNN.head, DIR/NNN.body, de-chunked)
 * and answered with the next command of the script, or 204 when the
 * script is used up.  Script lines:
 *
 *   http FILE        FILE is a whole HTTP request for the SCWS
 *                    (application/vnd.oma-scws-http-request, sent chunked)
 *   apdu AID HEX     an AA/AE APDU script for the application AID
 *                    (application/vnd.globalplatform.card-content-mgt)
 *   raw TYPE FILE    FILE's bytes with Content-Type TYPE (fault testing)
 *   drop             FAULT: close the TCP connection instead of answering
 *   # ...            comment
 *
 * The script position survives a dropped connection, so a card that
 * resumes gets the rest.  --once exits (0) after the first session that
 * ends with 204.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#define MAX_ITEMS 256
#define HEAD_MAX 8192
#define BODY_MAX (1 << 20)

enum item_kind { IT_HTTP, IT_APDU, IT_RAW, IT_DROP };

struct item {
	enum item_kind kind;
	char type[128];
	char target[64];	/* X-Admin-Targeted-Application */
	unsigned char *body;
	size_t len;
};

static struct {
	const char *listen, *record, *script;
	int port;
	char psk_id[128];
	unsigned char psk[64];
	size_t psk_len;
	bool once;
	int verbose;
} opt = { .listen = "127.0.0.1" };

static struct item items[MAX_ITEMS];
static size_t nitems, next_item;
static unsigned int posts;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("scws-test-ras: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("scws-test-ras: ", stdout);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
	va_end(ap);
}

static long unhex(const char *s, unsigned char *out, size_t cap)
{
	size_t n = 0;

	while (*s) {
		unsigned int v;

		if (*s == ' ') {
			s++;
			continue;
		}
		if (n == cap || sscanf(s, "%2x", &v) != 1 || !s[1])
			return -1;
		out[n++] = (unsigned char)v;
		s += 2;
	}
	return (long)n;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (!f)
		die("%s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		die("%s: read failed", path);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void load_script(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[8192];

	if (!f)
		die("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		struct item *it = &items[nitems];
		char a[4096], b[4096];

		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		if (nitems == MAX_ITEMS)
			die("too many script lines");
		memset(it, 0, sizeof(*it));
		if (sscanf(line, "http %4095s", a) == 1) {
			it->kind = IT_HTTP;
			strcpy(it->type, "application/vnd.oma-scws-http-request");
			it->body = slurp(a, &it->len);
		} else if (sscanf(line, "apdu %4095s %4095s", a, b) == 2) {
			unsigned char aid[16];
			long n = unhex(a, aid, sizeof(aid));

			if (n < 5)
				die("bad AID in '%s'", line);
			it->kind = IT_APDU;
			strcpy(it->type, "application/vnd.globalplatform.card-content-mgt;version=1.0");
			snprintf(it->target, sizeof(it->target), "//aid/%.10s/%.22s",
				 a, a + 10);
			it->body = malloc(strlen(b) / 2 + 1);
			n = unhex(b, it->body, strlen(b) / 2 + 1);
			if (n < 0)
				die("bad hex in '%s'", line);
			it->len = (size_t)n;
		} else if (sscanf(line, "raw %127s %4095s", it->type, a) == 2) {
			it->kind = IT_RAW;
			it->body = slurp(a, &it->len);
		} else if (!strcmp(line, "drop")) {
			it->kind = IT_DROP;
		} else {
			die("bad script line '%s'", line);
		}
		nitems++;
	}
	fclose(f);
}

static unsigned int psk_cb(SSL *ssl, const char *identity, unsigned char *psk,
			   unsigned int max)
{
	(void)ssl;
	if (!identity || strcmp(identity, opt.psk_id)) {
		say("unknown PSK identity '%s'", identity ? identity : "");
		return 0;
	}
	if (opt.psk_len > max)
		return 0;
	memcpy(psk, opt.psk, opt.psk_len);
	return (unsigned int)opt.psk_len;
}

/* ---- HTTP over SSL, blocking ---- */

struct conn {
	SSL *ssl;
	unsigned char buf[16384];
	size_t len, off;
};

static int get_byte(struct conn *c)
{
	if (c->off == c->len) {
		int n = SSL_read(c->ssl, c->buf, sizeof(c->buf));

		if (n <= 0)
			return -1;
		c->len = (size_t)n;
		c->off = 0;
	}
	return c->buf[c->off++];
}

static int get_line(struct conn *c, char *out, size_t cap)
{
	size_t n = 0;
	int ch;

	while ((ch = get_byte(c)) >= 0) {
		if (n + 1 >= cap)
			return -1;
		out[n++] = (char)ch;
		if (ch == '\n')
			break;
	}
	if (ch < 0)
		return -1;
	out[n] = '\0';
	return (int)n;
}

static const char *field(const char *head, const char *name, char *val,
			 size_t cap)
{
	size_t n = strlen(name);

	for (const char *p = strstr(head, "\r\n"); p && p[2];
	     p = strstr(p + 2, "\r\n")) {
		const char *l = p + 2;

		if (!strncasecmp(l, name, n) && l[n] == ':') {
			const char *v = l + n + 1, *e = strstr(v, "\r\n");

			while (*v == ' ')
				v++;
			snprintf(val, cap, "%.*s", (int)(e - v), v);
			return val;
		}
	}
	return NULL;
}

/* sz more body bytes appended at body + *blen; -1 if cut short or over
 * BODY_MAX. */
static int get_body(struct conn *c, unsigned long sz, unsigned char *body,
		    size_t *blen)
{
	if (sz > BODY_MAX - *blen)
		return -1;
	for (unsigned long i = 0; i < sz; i++) {
		int ch = get_byte(c);

		if (ch < 0)
			return -1;
		body[(*blen)++] = (unsigned char)ch;
	}
	return 0;
}

/* One request into head / body; 0, or -1 when the connection ended. */
static int read_request(struct conn *c, char *head, unsigned char *body,
			size_t *blen)
{
	char line[1024], v[64];
	size_t hl = 0;
	int n;

	*blen = 0;
	for (;;) {
		n = get_line(c, line, sizeof(line));
		if (n < 0 || hl + (size_t)n >= HEAD_MAX)
			return -1;
		memcpy(head + hl, line, (size_t)n + 1);
		hl += (size_t)n;
		if (!strcmp(line, "\r\n"))
			break;
	}
	if (field(head, "Transfer-Encoding", v, sizeof(v))) {
		for (;;) {
			unsigned long sz;

			if (get_line(c, line, sizeof(line)) < 0)
				return -1;
			sz = strtoul(line, NULL, 16);
			if (get_body(c, sz, body, blen) < 0 ||
			    get_line(c, line, sizeof(line)) < 0)
				return -1;
			if (!sz)
				break;
		}
	} else if (field(head, "Content-Length", v, sizeof(v))) {
		if (get_body(c, strtoul(v, NULL, 10), body, blen) < 0)
			return -1;
	}
	return 0;
}

static void record(const char *head, const unsigned char *body, size_t blen)
{
	char path[4096];
	FILE *f;

	posts++;
	if (!opt.record)
		return;
	snprintf(path, sizeof(path), "%s/%03u.head", opt.record, posts);
	f = fopen(path, "w");
	if (f) {
		fputs(head, f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/%03u.body", opt.record, posts);
	f = fopen(path, "wb");
	if (f) {
		fwrite(body, 1, blen, f);
		fclose(f);
	}
}

static int ssl_write_all(SSL *ssl, const void *p, size_t n)
{
	return SSL_write(ssl, p, (int)n) == (int)n ? 0 : -1;
}

/* 1: the session ended (204), 0: go on, -1: drop the connection. */
static int answer(SSL *ssl)
{
	char hdr[1024];
	struct item *it;
	int n;

	if (next_item == nitems) {
		n = snprintf(hdr, sizeof(hdr), "HTTP/1.1 204 No Content\r\n"
			     "X-Admin-Protocol: globalplatform-remote-admin/1.0\r\n\r\n");
		ssl_write_all(ssl, hdr, (size_t)n);
		say("answered 204: script done");
		return 1;
	}
	it = &items[next_item++];
	if (it->kind == IT_DROP) {
		say("FAULT: dropping the connection (item %zu)", next_item);
		return -1;
	}
	n = snprintf(hdr, sizeof(hdr), "HTTP/1.1 200 OK\r\n"
		     "X-Admin-Protocol: globalplatform-remote-admin/1.0\r\n"
		     "Content-Type: %s\r\nX-Admin-Next-URI: /ras/next/%zu\r\n",
		     it->type, next_item);
	if (it->target[0])
		n += snprintf(hdr + n, sizeof(hdr) - (size_t)n,
			      "X-Admin-Targeted-Application: %s\r\n", it->target);
	/* One write, so the card gets the answer in as few TLS records as
	 * the library makes, as a real server's buffered output would. */
	{
		size_t cap = (size_t)n + it->len + 64;
		char *msg = malloc(cap);
		size_t len = (size_t)n;
		int rc;

		if (!msg)
			return -1;
		memcpy(msg, hdr, len);
		if (it->kind == IT_HTTP) {
			len += (size_t)snprintf(msg + len, cap - len,
						"Transfer-Encoding: chunked\r\n\r\n");
			if (it->len)
				len += (size_t)snprintf(msg + len, cap - len,
							"%zx\r\n", it->len);
		} else {
			len += (size_t)snprintf(msg + len, cap - len,
						"Content-Length: %zu\r\n\r\n", it->len);
		}
		memcpy(msg + len, it->body, it->len);
		len += it->len;
		if (it->kind == IT_HTTP)
			len += (size_t)snprintf(msg + len, cap - len, "%s0\r\n\r\n",
						it->len ? "\r\n" : "");
		rc = ssl_write_all(ssl, msg, len);
		free(msg);
		if (rc)
			return -1;
	}
	say("sent item %zu (%s, %zu bytes)", next_item, it->type, it->len);
	return 0;
}

/* 1 when a session ended with 204. */
static int serve(SSL_CTX *ctx, int fd)
{
	static char head[HEAD_MAX];
	static unsigned char body[BODY_MAX];
	struct conn *c = calloc(1, sizeof(*c));
	int rc = 0;

	c->ssl = SSL_new(ctx);
	SSL_set_fd(c->ssl, fd);
	if (SSL_accept(c->ssl) != 1) {
		unsigned long e = ERR_get_error();

		say("TLS handshake failed: %s",
		    e ? ERR_reason_error_string(e) : "connection closed");
		goto out;
	}
	say("TLS %s with %s", SSL_get_version(c->ssl),
	    SSL_get_cipher_name(c->ssl));
	for (;;) {
		size_t blen;
		char v[256];

		if (read_request(c, head, body, &blen)) {
			say("connection ended");
			break;
		}
		record(head, body, blen);
		say("POST %u: %.*s status=%s resume=%s body=%zu", posts,
		    (int)strcspn(head, "\r"), head,
		    field(head, "X-Admin-Script-Status", v, sizeof(v)) ? v : "-",
		    field(head, "X-Admin-Resume", v, sizeof(v)) ? v : "-", blen);
		rc = answer(c->ssl);
		if (rc)
			break;
	}
	if (rc == 1) {
		/* Let the card close first: its close_notify, then ours. */
		char tmp[64];

		while (SSL_read(c->ssl, tmp, sizeof(tmp)) > 0)
			;
		SSL_shutdown(c->ssl);
	}
out:
	SSL_free(c->ssl);
	free(c);
	close(fd);
	return rc == 1;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "port", required_argument, NULL, 'p' },
		{ "psk-identity", required_argument, NULL, 'i' },
		{ "psk", required_argument, NULL, 'k' },
		{ "script", required_argument, NULL, 's' },
		{ "record", required_argument, NULL, 'r' },
		{ "once", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sockaddr_storage ss = { 0 };
	socklen_t sslen;
	SSL_CTX *ctx;
	int c, lfd, one = 1;
	long n;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'l': opt.listen = optarg; break;
		case 'p': opt.port = atoi(optarg); break;
		case 'i': snprintf(opt.psk_id, sizeof(opt.psk_id), "%s", optarg); break;
		case 'k':
			n = unhex(optarg, opt.psk, sizeof(opt.psk));
			if (n <= 0)
				die("bad --psk");
			opt.psk_len = (size_t)n;
			break;
		case 's': opt.script = optarg; break;
		case 'r': opt.record = optarg; break;
		case 'o': opt.once = true; break;
		default:
			fputs("usage: scws-test-ras --port N --psk-identity ID --psk HEX"
			      " [--listen ADDR] [--script FILE] [--record DIR] [--once]\n"
			      "TEST TOOLING: a GP Amd B remote administration server.\n",
			      c == 'h' ? stdout : stderr);
			return c == 'h' ? 0 : 2;
		}
	}
	if (!opt.port || !opt.psk_len || !opt.psk_id[0])
		die("--port, --psk-identity and --psk are required");
	if (opt.script)
		load_script(opt.script);
	signal(SIGPIPE, SIG_IGN);

	ctx = SSL_CTX_new(TLS_server_method());
	if (!ctx || !SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) ||
	    !SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION) ||
	    !SSL_CTX_set_cipher_list(ctx, "PSK-AES128-GCM-SHA256:PSK-AES128-CBC-SHA256"))
		die("cannot set up TLS");
	SSL_CTX_set_psk_server_callback(ctx, psk_cb);

	if (strchr(opt.listen, ':')) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)opt.port);
		if (inet_pton(AF_INET6, opt.listen, &a->sin6_addr) != 1)
			die("bad --listen");
		sslen = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)opt.port);
		if (inet_pton(AF_INET, opt.listen, &a->sin_addr) != 1)
			die("bad --listen");
		sslen = sizeof(*a);
	}
	lfd = socket(ss.ss_family, SOCK_STREAM, 0);
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(lfd, (struct sockaddr *)&ss, sslen) || listen(lfd, 4))
		die("listen on %s port %d: %s", opt.listen, opt.port, strerror(errno));
	say("listening on %s port %d, %zu script items", opt.listen, opt.port, nitems);
	for (;;) {
		struct timeval tv = { 60, 0 };
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0) {
			if (errno == EINTR)
				continue;
			die("accept: %s", strerror(errno));
		}
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		say("connection");
		if (serve(ctx, fd) && opt.once)
			break;
	}
	close(lfd);
	SSL_CTX_free(ctx);
	return 0;
}
