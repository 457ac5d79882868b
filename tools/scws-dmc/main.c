// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * main.c - scws-dmc, the OMA DM 1.2 client: make a tree, bootstrap an
 * account, read nodes, take a package #0 notification and run the session
 * it asks for, or start a session itself.  One invocation at a time per
 * tree (a lock file next to it).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <curl/curl.h>
#include <libxml/parser.h>

#include "dm-account.h"
#include "dm-bootstrap.h"
#include "dm-listen.h"
#include "dm-notify.h"
#include "dm-session.h"
#include "dm-tree.h"

#define DEFAULT_TREE "/var/lib/scws/dm-tree.xml"

static const char *tree_path = DEFAULT_TREE;
static int verbose;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: scws-dmc [-t TREE] [-v] COMMAND ...\n"
		"  init --devid ID [--man M] [--mod M]   make a new tree\n"
		"  bootstrap --server-id ID --addr URL --client-name N --client-secret S\n"
		"            --server-name N --server-secret S [--server-nonce B64]\n"
		"            [--client-nonce B64] [--account NAME]\n"
		"  bootstrap --from-card [--se-socket PATH] [--reader NAME] | --tnds FILE\n"
		"  get URI                                print a node\n"
		"  notify [FILE]                          package #0 (stdin if no FILE)\n"
		"  listen [--socket PATH] [--name NAME]   the card's notifications, from\n"
		"                                         scws-bipd's DM_SC Gateway\n"
		"  session --server-id ID [--alert-type T --alert-data D] [--cafile F]\n");
}

static struct dm_node *load(void)
{
	char err[256];
	struct dm_node *t = dm_tree_load(tree_path, err, sizeof(err));

	if (!t)
		fprintf(stderr, "scws-dmc: %s\n", err);
	return t;
}

static int save(struct dm_node *t)
{
	if (dm_tree_save(t, tree_path)) {
		fprintf(stderr, "scws-dmc: %s: %s\n", tree_path, strerror(errno));
		return -1;
	}
	return 0;
}

static int lock_tree(void)
{
	char lock[4096];

	snprintf(lock, sizeof(lock), "%s.lock", tree_path);
	int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0 || flock(fd, LOCK_EX)) {
		fprintf(stderr, "scws-dmc: %s: %s\n", lock, strerror(errno));
		return -1;
	}
	return fd;	/* held until exit */
}

static int add_leaf(struct dm_node *t, const char *uri, const char *format,
		    const char *value, const char *acl)
{
	struct dm_node *n;

	if (dm_tree_add(t, uri, format, format && !strcmp(format, "node") ?
			NULL : "text/plain", value, &n) != DM_TREE_OK) {
		fprintf(stderr, "scws-dmc: cannot add %s\n", uri);
		return -1;
	}
	if (acl && !(n->acl = strdup(acl)))
		return -1;
	return 0;
}

static int cmd_init(int argc, char **argv)
{
	const char *devid = NULL, *man = "scws", *mod = "scws-gateway";
	static const struct option opts[] = {
		{ "devid", required_argument, NULL, 'd' },
		{ "man", required_argument, NULL, 'm' },
		{ "mod", required_argument, NULL, 'o' },
		{ 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': devid = optarg; break;
		case 'm': man = optarg; break;
		case 'o': mod = optarg; break;
		default: usage(stderr); return 2;
		}
	}
	if (!devid) {
		usage(stderr);
		return 2;
	}
	if (access(tree_path, F_OK) == 0) {
		fprintf(stderr, "scws-dmc: %s exists; not replaced\n", tree_path);
		return 1;
	}
	struct dm_node *t = dm_tree_new();
	int rc = !t ||
		 add_leaf(t, "./DevInfo", "node", NULL, "Get=*") ||
		 add_leaf(t, "./DevInfo/DevId", "chr", devid, NULL) ||
		 add_leaf(t, "./DevInfo/Man", "chr", man, NULL) ||
		 add_leaf(t, "./DevInfo/Mod", "chr", mod, NULL) ||
		 add_leaf(t, "./DevInfo/DmV", "chr", "1.2", NULL) ||
		 add_leaf(t, "./DevInfo/Lang", "chr", "en-US", NULL) ||
		 add_leaf(t, "./DevDetail", "node", NULL, "Get=*") ||
		 add_leaf(t, "./DevDetail/DevTyp", "chr", "gateway", NULL) ||
		 add_leaf(t, "./DevDetail/OEM", "chr", man, NULL) ||
		 add_leaf(t, "./DevDetail/FwV", "chr", "1", NULL) ||
		 add_leaf(t, "./DevDetail/SwV", "chr", "scws-dmc 1", NULL) ||
		 add_leaf(t, "./DevDetail/HwV", "chr", "1", NULL) ||
		 add_leaf(t, "./DevDetail/LrgObj", "bool", "false", NULL) ||
		 add_leaf(t, "./DevDetail/URI/MaxDepth", "int", "32", NULL) ||
		 add_leaf(t, "./DevDetail/URI/MaxTotLen", "int", "2047", NULL) ||
		 add_leaf(t, "./DevDetail/URI/MaxSegLen", "int", "64", NULL) ||
		 add_leaf(t, "./DMAcc", "node", NULL, "Get=*&Add=*") ||
		 add_leaf(t, "./SEMO", "node", NULL, "Get=*&Add=*") ||
		 save(t);

	dm_tree_free(t);
	return rc ? 1 : 0;
}

static int cmd_bootstrap(int argc, char **argv)
{
	const char *sid = NULL, *addr = NULL, *cn = NULL, *cs = NULL, *sn = NULL;
	const char *ss = NULL, *snonce = "", *cnonce = "", *acc = NULL;
	static const struct option opts[] = {
		{ "server-id", required_argument, NULL, 'i' },
		{ "addr", required_argument, NULL, 'a' },
		{ "client-name", required_argument, NULL, 'c' },
		{ "client-secret", required_argument, NULL, 'C' },
		{ "server-name", required_argument, NULL, 's' },
		{ "server-secret", required_argument, NULL, 'S' },
		{ "server-nonce", required_argument, NULL, 'n' },
		{ "client-nonce", required_argument, NULL, 'N' },
		{ "account", required_argument, NULL, 'x' },
		{ 0 }
	};
	int c;

	if (dm_bootstrap_wants_tnds(argc, argv))
		return dm_bootstrap_tnds_main(argc, argv, tree_path, verbose);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'i': sid = optarg; break;
		case 'a': addr = optarg; break;
		case 'c': cn = optarg; break;
		case 'C': cs = optarg; break;
		case 's': sn = optarg; break;
		case 'S': ss = optarg; break;
		case 'n': snonce = optarg; break;
		case 'N': cnonce = optarg; break;
		case 'x': acc = optarg; break;
		default: usage(stderr); return 2;
		}
	}
	if (!sid || !addr || !cn || !cs || !sn || !ss) {
		usage(stderr);
		return 2;
	}
	struct dm_node *t = load();

	if (!t)
		return 1;
	char base[256], uri[512], acl[512];
	struct dm_account a;

	if (!dm_account_find(t, sid, &a, uri, sizeof(uri))) {
		fprintf(stderr, "scws-dmc: an account of %s exists\n", sid);
		dm_tree_free(t);
		return 1;
	}
	snprintf(base, sizeof(base), "./DMAcc/%s", acc ? acc : sid);
	snprintf(acl, sizeof(acl), "Get=%s&Replace=%s&Add=%s&Delete=%s",
		 sid, sid, sid, sid);
	if (!dm_uri_valid(base) || dm_tree_find(t, base)) {
		fprintf(stderr, "scws-dmc: %s: bad or existing account name\n", base);
		dm_tree_free(t);
		return 1;
	}
#define LEAF(sub, fmt, val) \
	(snprintf(uri, sizeof(uri), "%s/" sub, base), add_leaf(t, uri, fmt, val, NULL))
	int rc = add_leaf(t, base, "node", NULL, acl) ||
		 LEAF("AppID", "chr", "w7") || LEAF("ServerID", "chr", sid) ||
		 LEAF("Name", "chr", sid) ||
		 LEAF("AppAddr/1/Addr", "chr", addr) ||
		 LEAF("AppAddr/1/AddrType", "chr", "URI") ||
		 LEAF("AAuthPref", "chr", "DIGEST") ||
		 LEAF("AppAuth/1/AAuthLevel", "chr", "CLCRED") ||
		 LEAF("AppAuth/1/AAuthType", "chr", "DIGEST") ||
		 LEAF("AppAuth/1/AAuthName", "chr", cn) ||
		 LEAF("AppAuth/1/AAuthSecret", "chr", cs) ||
		 LEAF("AppAuth/1/AAuthData", "b64", cnonce) ||
		 LEAF("AppAuth/2/AAuthLevel", "chr", "SRVCRED") ||
		 LEAF("AppAuth/2/AAuthType", "chr", "DIGEST") ||
		 LEAF("AppAuth/2/AAuthName", "chr", sn) ||
		 LEAF("AppAuth/2/AAuthSecret", "chr", ss) ||
		 LEAF("AppAuth/2/AAuthData", "b64", snonce);
#undef LEAF
	if (!rc && dm_account_find(t, sid, &a, uri, sizeof(uri))) {
		fprintf(stderr, "scws-dmc: %s\n", uri);
		rc = 1;
	}
	rc = rc || save(t);
	dm_tree_free(t);
	return rc ? 1 : 0;
}

static int cmd_get(int argc, char **argv)
{
	if (argc != 2) {
		usage(stderr);
		return 2;
	}
	struct dm_node *t = load();

	if (!t)
		return 1;
	struct dm_node *n = dm_tree_find(t, argv[1]);
	int rc = 0;

	if (!n) {
		fprintf(stderr, "scws-dmc: %s: no such node\n", argv[1]);
		rc = 1;
	} else if (!strcmp(n->format, "node")) {
		char *l = dm_node_child_list(n);

		printf("%s\n", l ? l : "");
		free(l);
	} else {
		printf("%s\n", n->value ? n->value : "");
	}
	dm_tree_free(t);
	return rc;
}

static int read_all(const char *path, uint8_t *buf, size_t size, size_t *len)
{
	FILE *f = path ? fopen(path, "rb") : stdin;

	if (!f) {
		fprintf(stderr, "scws-dmc: %s: %s\n", path, strerror(errno));
		return -1;
	}
	*len = fread(buf, 1, size, f);
	int big = !feof(f) && fgetc(f) != EOF;

	if (path)
		fclose(f);
	if (big) {
		fprintf(stderr, "scws-dmc: notification larger than %zu bytes\n", size);
		return -1;
	}
	return 0;
}

int dmc_lock_tree(void)
{
	return lock_tree();
}

static int cmd_notify(int argc, char **argv, const char *cafile)
{
	uint8_t buf[1024];
	size_t len;

	if (argc > 2) {
		usage(stderr);
		return 2;
	}
	if (read_all(argc == 2 ? argv[1] : NULL, buf, sizeof(buf), &len))
		return 1;
	return dmc_notify_run(buf, len, cafile);
}

int dmc_notify_run(const uint8_t *buf, size_t len, const char *cafile)
{
	struct dm_notify n;
	enum dm_notify_err e = dm_notify_parse(buf, len, &n);

	if (e) {
		fprintf(stderr, "scws-dmc: notification refused: %s\n",
			dm_notify_strerror(e));
		return 1;
	}
	struct dm_node *t = load();

	if (!t)
		return 1;
	struct dm_account a;
	char err[256], sid[8];
	int rc = 1;

	if (dm_account_find(t, n.server_id, &a, err, sizeof(err))) {
		fprintf(stderr, "scws-dmc: notification refused: %s\n", err);
		goto out;
	}
	if (!dm_notify_check(&n, a.server.secret, a.server.nonce, a.server.nonce_len)) {
		fprintf(stderr,
			"scws-dmc: notification refused: digest check failed for %s\n",
			n.server_id);
		goto out;
	}
	snprintf(sid, sizeof(sid), "%X", n.session_id);
	const char *last = dm_account_last_session(&a);

	if (last && !strcmp(last, sid)) {
		fprintf(stderr,
			"scws-dmc: notification refused: session %s of %s already used (replay)\n",
			sid, n.server_id);
		goto out;
	}
	if (!n.initiator) {
		fprintf(stderr, "scws-dmc: notification refused: initiator is not the server\n");
		goto out;
	}
	/* Recorded before the session: a replay is refused even if it fails. */
	if (dm_account_set_last_session(&a, sid) || save(t))
		goto out;
	if (verbose)
		fprintf(stderr, "scws-dmc: notification from %s, session %s, ui-mode %d\n",
			n.server_id, sid, n.ui_mode);
	struct dm_session_opts o = {
		.tree_path = tree_path, .server_id = n.server_id, .sessionid = sid,
		.server_initiated = 1, .cafile = cafile, .verbose = verbose,
	};

	rc = dm_session_run(&t, &o) ? 1 : 0;
out:
	dm_tree_free(t);
	return rc;
}

static int cmd_session(int argc, char **argv, const char *cafile)
{
	struct dm_session_opts o = {
		.tree_path = tree_path, .cafile = cafile, .verbose = verbose,
	};
	static const struct option opts[] = {
		{ "server-id", required_argument, NULL, 'i' },
		{ "alert-type", required_argument, NULL, 't' },
		{ "alert-data", required_argument, NULL, 'd' },
		{ 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'i': o.server_id = optarg; break;
		case 't': o.alert_type = optarg; break;
		case 'd': o.alert_data = optarg; break;
		default: usage(stderr); return 2;
		}
	}
	if (!o.server_id || optind != argc) {
		usage(stderr);
		return 2;
	}
	struct dm_node *t = load();

	if (!t)
		return 1;
	int rc = dm_session_run(&t, &o) ? 1 : 0;

	dm_tree_free(t);
	return rc;
}

/* libxml2 reports some errors (encodings) on stderr by itself; the
 * parsers give their reason in one line of ours instead. */
static void xml_quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int main(int argc, char **argv)
{
	const char *cafile = NULL;
	static const struct option opts[] = {
		{ "tree", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "cafile", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "+t:vc:h", opts, NULL)) != -1) {
		switch (c) {
		case 't': tree_path = optarg; break;
		case 'v': verbose = 1; break;
		case 'c': cafile = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[optind];

	argc -= optind;
	argv += optind;
	optind = 1;
	/* listen runs for long: it locks the tree per notification */
	if (strcmp(cmd, "listen") && lock_tree() < 0)
		return 1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	LIBXML_TEST_VERSION
	xmlSetGenericErrorFunc(NULL, xml_quiet);
	int rc;

	if (!strcmp(cmd, "init"))
		rc = cmd_init(argc, argv);
	else if (!strcmp(cmd, "bootstrap"))
		rc = cmd_bootstrap(argc, argv);
	else if (!strcmp(cmd, "get"))
		rc = cmd_get(argc, argv);
	else if (!strcmp(cmd, "notify"))
		rc = cmd_notify(argc, argv, cafile);
	else if (!strcmp(cmd, "session"))
		rc = cmd_session(argc, argv, cafile);
	else if (!strcmp(cmd, "listen"))
		rc = cmd_listen(argc, argv, cafile, verbose);
	else {
		usage(stderr);
		rc = 2;
	}
	xmlCleanupParser();
	curl_global_cleanup();
	return rc;
}
