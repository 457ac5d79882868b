// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * cmd-trust.c - scwsctl trust: the certificates scws.ko trusts signed
 * executables by (SCWS_CMD_TRUST_ADD, _CLEAR, _GET).
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "scws-nl-trust.h"
#include "scws-sig.h"
#include "scwsctl.h"

static const char trust_usage[] =
	"Usage: scwsctl trust add manufacturer|card CERT...\n"
	"       scwsctl trust clear manufacturer|card\n"
	"       scwsctl trust list [-j] [-p]\n"
	"       scwsctl trust load-dir [DIR]\n"
	"The certificates scws.ko trusts executables' signatures by: 'trusted\n"
	"manufacturer' rules want a signature by (or by a certificate issued\n"
	"by) a manufacturer certificate, 'trusted any' a manufacturer or card\n"
	"one.  The sets are the system's, shared by every network namespace.\n"
	"Changing the manufacturer's needs CAP_SYS_ADMIN, the card's (which\n"
	"the pump loads from the card) CAP_NET_ADMIN, both over the initial\n"
	"user namespace.  load-dir adds every *.pem, *.crt, *.der and *.cer\n"
	"file of DIR (default " SCWS_TRUST_DIR ") as a manufacturer\n"
	"certificate, for boot.  CERT is PEM or DER; RSA keys.\n"
	"\n"
	"Options:\n"
	"  -j, --json     JSON output (list)\n"
	"  -p, --pretty   indent the JSON\n"
	"  -h, --help     this help\n";

static const struct ctl_cmd trust_cmd = { .name = "trust", .usage = trust_usage,
					  .json = true };

static int anchor_of(const char *word)
{
	if (strcmp(word, "manufacturer") == 0)
		return SCWS_ANCHOR_MANUFACTURER;
	if (strcmp(word, "card") == 0)
		return SCWS_ANCHOR_CARD;
	return -1;
}

static const char *anchor_name(unsigned int anchor)
{
	return anchor == SCWS_ANCHOR_MANUFACTURER ? "manufacturer" :
	       anchor == SCWS_ANCHOR_CARD ? "card" : "?";
}

static int trust_error(const char *what, const struct scws_nl *nl, int err,
		       int anchor)
{
	if (err == -EPERM && !*scws_nl_extack(nl)) {
		ctl_error("%s: permission denied: the %s certificates need %s over the initial user namespace (run as root)",
			  what, anchor_name(anchor),
			  anchor == SCWS_ANCHOR_MANUFACTURER ? "CAP_SYS_ADMIN" :
							       "CAP_NET_ADMIN");
		return CTL_FAIL;
	}
	return ctl_nl_error(what, nl, err);
}

static int add_one(struct scws_nl *nl, int anchor, const char *path)
{
	char what[300];
	uint8_t *der = NULL;
	X509 *x = scws_sig_load_cert(path);
	int len, err;

	snprintf(what, sizeof(what), "trust add: %s", path);
	if (!x) {
		ctl_error("%s: not a certificate (PEM or DER)", what);
		return CTL_FAIL;
	}
	len = scws_sig_cert_der(x, &der);
	X509_free(x);
	if (len <= 0)
		return CTL_FAIL;
	err = scws_nl_trust_add(nl, anchor, der, (size_t)len);
	OPENSSL_free(der);
	return err ? trust_error(what, nl, err, anchor) : CTL_OK;
}

static int clear(struct scws_nl *nl, int anchor)
{
	int err = scws_nl_trust_clear(nl, anchor);

	return err ? trust_error("trust clear", nl, err, anchor) : CTL_OK;
}

struct cert_list {
	struct trust_cert *certs;
	size_t n, cap;
};

static int on_cert(struct nlmsghdr *nlh, void *arg)
{
	struct cert_list *l = arg;
	struct nlattr *tb[SCWS_A_MAX + 1];
	const unsigned char *p;
	struct trust_cert *c;

	if (genlmsg_parse(nlh, 0, tb, SCWS_A_MAX, NULL) < 0 ||
	    !tb[SCWS_A_TRUST_ANCHOR] || !tb[SCWS_A_TRUST_CERT] ||
	    !tb[SCWS_A_TRUST_CERT_SHA256] ||
	    nla_len(tb[SCWS_A_TRUST_CERT_SHA256]) != SCWS_SHA256_LEN)
		return -EBADMSG;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct trust_cert *nc = realloc(l->certs, cap * sizeof(*nc));

		if (!nc)
			return -ENOMEM;
		l->certs = nc;
		l->cap = cap;
	}
	c = &l->certs[l->n];
	c->anchor = nla_get_u8(tb[SCWS_A_TRUST_ANCHOR]);
	memcpy(c->sha256, nla_data(tb[SCWS_A_TRUST_CERT_SHA256]),
	       SCWS_SHA256_LEN);
	p = nla_data(tb[SCWS_A_TRUST_CERT]);
	c->x509 = d2i_X509(NULL, &p, nla_len(tb[SCWS_A_TRUST_CERT]));
	if (!c->x509)
		return -EBADMSG;
	l->n++;
	return 0;
}

static int get_all(struct scws_nl *nl, struct trust_cert **certs, size_t *n)
{
	struct nl_msg *msg = scws_nl_msg_new(nl, SCWS_CMD_TRUST_GET,
					     NLM_F_DUMP, 0);
	struct cert_list l = { 0 };
	int err = msg ? scws_nl_request(nl, msg, on_cert, &l) : -ENOMEM;

	if (err) {
		trust_certs_free(l.certs, l.n);
		return err;
	}
	*certs = l.certs;
	*n = l.n;
	return 0;
}

int trust_get_all(struct trust_cert **certs, size_t *n)
{
	struct scws_nl *nl;
	int err;

	*certs = NULL;
	*n = 0;
	if (scws_nl_open(&nl))
		return -ENOENT;
	err = get_all(nl, certs, n);
	scws_nl_close(nl);
	return err;
}

void trust_certs_free(struct trust_cert *certs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		X509_free(certs[i].x509);
	free(certs);
}

static void name_text(const X509_NAME *name, char *buf, size_t size)
{
	char *s = X509_NAME_oneline(name, NULL, 0);

	snprintf(buf, size, "%s", s ? s : "?");
	OPENSSL_free(s);
}

static int list(struct ctl *ctl, struct scws_nl *nl)
{
	struct trust_cert *certs;
	char subject[256];
	struct json js, *j = NULL;
	size_t n, i;
	int err = get_all(nl, &certs, &n);

	if (err)
		return ctl_nl_error("trust list", nl, err);
	if (ctl->json) {
		j = &js;
		json_init(j, stdout, ctl->pretty);
		json_open_array(j, NULL);
	}
	for (i = 0; i < n; i++) {
		name_text(X509_get_subject_name(certs[i].x509), subject,
			  sizeof(subject));
		if (j) {
			json_open_object(j, NULL);
			json_string(j, "anchor", anchor_name(certs[i].anchor));
			json_hex(j, "sha256", certs[i].sha256, SCWS_SHA256_LEN);
			json_string(j, "subject", subject);
			json_close_object(j);
			continue;
		}
		printf("%s ", anchor_name(certs[i].anchor));
		acp_print_bytes(stdout, certs[i].sha256, SCWS_SHA256_LEN);
		printf(" %s\n", subject);
	}
	if (j)
		json_close_array(j);
	trust_certs_free(certs, n);
	return CTL_OK;
}

static bool cert_file(const char *name)
{
	static const char *const exts[] = { ".pem", ".crt", ".der", ".cer" };
	size_t len = strlen(name), i;

	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (len > 4 && strcmp(name + len - 4, exts[i]) == 0)
			return true;
	return false;
}

static int load_dir(struct scws_nl *nl, const char *dir)
{
	struct dirent **names;
	char path[4096];
	int n, i, rc = CTL_OK, added = 0;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		ctl_error("trust load-dir: %s: %s", dir, strerror(errno));
		return CTL_FAIL;
	}
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.' && cert_file(names[i]->d_name)) {
			snprintf(path, sizeof(path), "%s/%s", dir,
				 names[i]->d_name);
			if (add_one(nl, SCWS_ANCHOR_MANUFACTURER, path))
				rc = CTL_FAIL;
			else
				added++;
		}
		free(names[i]);
	}
	free(names);
	printf("%s: %d certificate%s added\n", dir, added, added == 1 ? "" : "s");
	return rc;
}

int cmd_trust(struct ctl *ctl, int argc, char **argv)
{
	struct scws_nl *nl;
	const char *sub;
	int anchor = 0, rc, i, first;

	first = ctl_options(ctl, &trust_cmd, argc, argv, &rc);
	if (first < 0)
		return rc;
	if (first >= argc)
		return ctl_usage_error(&trust_cmd, "expected add, clear, list or load-dir");
	sub = argv[first];
	if (strcmp(sub, "add") == 0 || strcmp(sub, "clear") == 0) {
		if (first + 1 >= argc || (anchor = anchor_of(argv[first + 1])) < 0)
			return ctl_usage_error(&trust_cmd, "%s: expected 'manufacturer' or 'card'", sub);
		if (strcmp(sub, "add") == 0 && first + 2 >= argc)
			return ctl_usage_error(&trust_cmd, "add: expected a certificate file");
		if (strcmp(sub, "clear") == 0 && first + 2 < argc)
			return ctl_usage_error(&trust_cmd, "clear: unexpected '%s'", argv[first + 2]);
	} else if (strcmp(sub, "list") == 0) {
		if (first + 1 < argc)
			return ctl_usage_error(&trust_cmd, "list: unexpected '%s'", argv[first + 1]);
	} else if (strcmp(sub, "load-dir") == 0) {
		if (first + 2 < argc)
			return ctl_usage_error(&trust_cmd, "load-dir: one DIR at most");
	} else {
		return ctl_usage_error(&trust_cmd, "unknown subcommand '%s'", sub);
	}
	rc = ctl_nl_open("trust", &nl);
	if (rc)
		return rc;
	if (strcmp(sub, "add") == 0) {
		for (i = first + 2; i < argc; i++)
			if (add_one(nl, anchor, argv[i]))
				rc = CTL_FAIL;
	} else if (strcmp(sub, "clear") == 0) {
		rc = clear(nl, anchor);
	} else if (strcmp(sub, "list") == 0) {
		rc = list(ctl, nl);
	} else {
		rc = load_dir(nl, first + 1 < argc ? argv[first + 1] : SCWS_TRUST_DIR);
	}
	scws_nl_close(nl);
	return rc;
}
