// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * cmd-sign.c - scwsctl sign and scwsctl verify: signatures of executables
 * in trusted.scws.sig (scws-sig.h says what they are).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "scws-sig.h"
#include "scwsctl.h"

static const char sign_usage[] =
	"Usage: scwsctl sign --key KEY --cert CERT [--output SIG] FILE\n"
	"Sign FILE for the SCWS access control: a detached PKCS#7 signature\n"
	"(no signed attributes, carrying CERT) over \"" SCWS_SIG_STATEMENT "\" and\n"
	"the file's SHA-256, written to the " SCWS_SIG_XATTR " extended\n"
	"attribute (which needs CAP_SYS_ADMIN), or to SIG with --output.\n"
	"KEY is a PEM private key (RSA), CERT its certificate (PEM or DER).\n"
	"\n"
	"Options:\n"
	"  -k, --key KEY      the signing key\n"
	"  -c, --cert CERT    its certificate\n"
	"  -o, --output SIG   write the signature (DER) to SIG instead\n"
	"  -h, --help         this help\n";

static const char verify_usage[] =
	"Usage: scwsctl verify [--sig SIG] [--anchor CERT]... [--kernel] FILE\n"
	"Check FILE's signature as scws.ko does: its shape, that it is valid\n"
	"by the certificate it carries, and whether that certificate is, or is\n"
	"issued by, a trusted one.  Prints the signer and its hashes (what\n"
	"signer-sha256 and signer-sha1 rules name).  Trusted certificates:\n"
	"the --anchor files, else the module's (scwsctl trust list).\n"
	"Exit status 0 when the signature is valid, 1 otherwise.\n"
	"\n"
	"Options:\n"
	"  -s, --sig SIG       the signature from a file, not the attribute\n"
	"  -a, --anchor CERT   a trusted certificate (repeatable)\n"
	"  -t, --trusted       exit 1 unless the signature is also trusted\n"
	"  -h, --help          this help\n";

static int read_all(const char *path, uint8_t **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b = NULL;
	size_t n = 0, cap = 0, got;

	if (!f)
		return -errno;
	do {
		if (n == cap) {
			uint8_t *nb = realloc(b, cap = cap ? 2 * cap : 4096);

			if (!nb) {
				free(b);
				fclose(f);
				return -ENOMEM;
			}
			b = nb;
		}
		got = fread(b + n, 1, cap - n, f);
		n += got;
	} while (got);
	fclose(f);
	*buf = b;
	*len = n;
	return 0;
}

static int statement_of(const char *path, uint8_t *stmt)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int err;

	if (fd < 0)
		return -errno;
	err = scws_sig_statement_fd(fd, stmt);
	close(fd);
	return err;
}

int cmd_sign(struct ctl *ctl, int argc, char **argv)
{
	static const struct ctl_cmd cmd = { .name = "sign", .usage = sign_usage };
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "cert", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *key_path = NULL, *cert_path = NULL, *out = NULL, *file;
	uint8_t stmt[SCWS_SIG_STATEMENT_LEN], *sig = NULL;
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	int c, err, rc = CTL_FAIL;
	size_t sig_len;
	FILE *f;

	(void)ctl;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":k:c:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'k': key_path = optarg; break;
		case 'c': cert_path = optarg; break;
		case 'o': out = optarg; break;
		case 'h': fputs(sign_usage, stdout); return CTL_OK;
		default: return ctl_usage_error(&cmd, "bad option '%s'", argv[optind - 1]);
		}
	}
	if (!key_path || !cert_path)
		return ctl_usage_error(&cmd, "--key and --cert are required");
	if (optind != argc - 1)
		return ctl_usage_error(&cmd, "expected one FILE");
	file = argv[optind];
	key = scws_sig_load_key(key_path);
	cert = scws_sig_load_cert(cert_path);
	if (!key || !cert) {
		ctl_error("sign: cannot read %s", key ? cert_path : key_path);
		goto out;
	}
	if (X509_check_private_key(cert, key) != 1) {
		ctl_error("sign: %s is not the certificate of %s", cert_path, key_path);
		goto out;
	}
	err = statement_of(file, stmt);
	if (err) {
		ctl_error("sign: %s: %s", file, strerror(-err));
		goto out;
	}
	if (scws_sig_sign(stmt, cert, key, &sig, &sig_len)) {
		ctl_error("sign: signing failed (an RSA key is needed)");
		goto out;
	}
	if (out) {
		f = fopen(out, "wb");
		if (!f || fwrite(sig, 1, sig_len, f) != sig_len || fclose(f)) {
			ctl_error("sign: %s: %s", out, strerror(errno));
			goto out;
		}
	} else if (setxattr(file, SCWS_SIG_XATTR, sig, sig_len, 0) < 0) {
		ctl_error("sign: %s: cannot set %s: %s%s", file, SCWS_SIG_XATTR,
			  strerror(errno), errno == EPERM ?
			  " (needs CAP_SYS_ADMIN)" : errno == ENOTSUP ?
			  " (the file system has no trusted.* attributes)" : "");
		goto out;
	}
	rc = CTL_OK;
out:
	OPENSSL_free(sig);
	X509_free(cert);
	EVP_PKEY_free(key);
	return rc;
}

static int read_sig(const char *file, const char *sig_path, uint8_t **sig,
		    size_t *len)
{
	ssize_t n;

	if (sig_path)
		return read_all(sig_path, sig, len);
	n = getxattr(file, SCWS_SIG_XATTR, NULL, 0);
	if (n < 0)
		return -errno;
	*sig = malloc((size_t)n + 1);
	if (!*sig)
		return -ENOMEM;
	n = getxattr(file, SCWS_SIG_XATTR, *sig, (size_t)n);
	if (n < 0) {
		free(*sig);
		return -errno;
	}
	*len = (size_t)n;
	return 0;
}

static void print_name(const char *what, const X509_NAME *name)
{
	char *s = X509_NAME_oneline(name, NULL, 0);

	printf("%s: %s\n", what, s ? s : "?");
	OPENSSL_free(s);
}

int cmd_verify(struct ctl *ctl, int argc, char **argv)
{
	static const struct ctl_cmd cmd = { .name = "verify",
					    .usage = verify_usage };
	static const struct option opts[] = {
		{ "sig", required_argument, NULL, 's' },
		{ "anchor", required_argument, NULL, 'a' },
		{ "trusted", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct trust_cert *kcerts = NULL;
	struct scws_sig_result res;
	uint8_t stmt[SCWS_SIG_STATEMENT_LEN], *sig = NULL;
	const char *sig_path = NULL, *file, *trusted = NULL;
	X509 *anchors[64];
	size_t n_anchors = 0, n_kcerts = 0, sig_len = 0, i;
	bool need_trust = false, from_files = false;
	int c, err, rc = CTL_FAIL;

	(void)ctl;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":s:a:th", opts, NULL)) != -1) {
		switch (c) {
		case 's': sig_path = optarg; break;
		case 't': need_trust = true; break;
		case 'a':
			from_files = true;
			if (n_anchors == sizeof(anchors) / sizeof(anchors[0]))
				return ctl_usage_error(&cmd, "too many --anchor");
			anchors[n_anchors] = scws_sig_load_cert(optarg);
			if (!anchors[n_anchors]) {
				ctl_error("verify: cannot read certificate %s", optarg);
				goto out;
			}
			n_anchors++;
			break;
		case 'h': fputs(verify_usage, stdout); return CTL_OK;
		default: return ctl_usage_error(&cmd, "bad option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc - 1) {
		rc = ctl_usage_error(&cmd, "expected one FILE");
		goto out;
	}
	file = argv[optind];
	err = statement_of(file, stmt);
	if (!err)
		err = read_sig(file, sig_path, &sig, &sig_len);
	if (err) {
		ctl_error("verify: %s: %s%s", sig_path && err != -ENOENT ? sig_path : file,
			  strerror(-err), err != -ENODATA ? "" : geteuid() ?
			  " (not signed, or not readable: " SCWS_SIG_XATTR " needs CAP_SYS_ADMIN; try --sig)" :
			  " (not signed)");
		goto out;
	}
	if (scws_sig_verify(sig, sig_len, stmt, &res)) {
		printf("%s: bad signature: %s\n", file, res.problem);
		goto out;
	}
	printf("%s: valid signature\n", file);
	print_name("signer", X509_get_subject_name(res.signer));
	print_name("issuer", X509_get_issuer_name(res.signer));
	printf("signer-sha256 ");
	acp_print_bytes(stdout, res.signer_sha256, SCWS_SHA256_LEN);
	printf("\nsigner-sha1 ");
	acp_print_bytes(stdout, res.signer_sha1, SCWS_SHA1_LEN);
	putchar('\n');
	if (from_files) {
		if (scws_sig_chains(res.signer, anchors, n_anchors))
			trusted = "a given anchor";
	} else if (trust_get_all(&kcerts, &n_kcerts) == 0) {
		for (i = 0; i < n_kcerts && !trusted; i++)
			if (kcerts[i].anchor == SCWS_ANCHOR_MANUFACTURER &&
			    scws_sig_chains(res.signer, &kcerts[i].x509, 1))
				trusted = "manufacturer";
		for (i = 0; i < n_kcerts && !trusted; i++)
			if (scws_sig_chains(res.signer, &kcerts[i].x509, 1))
				trusted = "card";
	} else {
		printf("trusted: unknown (cannot read the module's certificates)\n");
		goto done;
	}
	printf("trusted: %s\n", trusted ? trusted : "no");
done:
	rc = need_trust && !trusted ? CTL_FAIL : CTL_OK;
	scws_sig_result_free(&res);
out:
	trust_certs_free(kcerts, n_kcerts);
	for (i = 0; i < n_anchors; i++)
		X509_free(anchors[i]);
	free(sig);
	return rc;
}
