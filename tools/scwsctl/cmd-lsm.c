// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * cmd-lsm.c - scwsctl lsm attach | detach | status: the BPF-LSM program
 * (tools/bpf/scws_lsm.bpf.c) that makes connect() to an SCWS port fail with
 * EPERM for a denied caller. Its links and programs are pinned under
 * /sys/fs/bpf/scws/ so they outlive scwsctl.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "scws_lsm.skel.h"
#include "scwsctl.h"

#define BPFFS		"/sys/fs/bpf"
#define PIN_DIR		BPFFS "/scws"
#define BPF_FS_MAGIC	0xcafe4a11
#define MODULE_BTF	"/sys/kernel/btf/scws"
#define MODULE_REFCNT	"/sys/module/scws/refcnt"

static const char lsm_usage[] =
	"Usage: scwsctl lsm attach | detach | status [-j] [-p]\n"
	"Attach, detach or show the BPF-LSM program that judges connect() to an\n"
	"SCWS port in the caller's context: a denied caller gets EPERM at once.\n"
	"Its links and programs are pinned under " PIN_DIR "/ (bpffs is mounted\n"
	"at " BPFFS " if it is not).  attach needs CAP_SYS_ADMIN and scws.ko\n"
	"built with BTF, detach CAP_SYS_ADMIN (or CAP_BPF and CAP_PERFMON),\n"
	"status CAP_SYS_ADMIN.  Detach before rmmod scws: the attached program\n"
	"holds the module.\n"
	"\n"
	"Options:\n"
	"  -j, --json     JSON (status): {\"attached\", \"hooks\": [...]}\n"
	"  -p, --pretty   indent the JSON\n"
	"  -h, --help     this help\n";

static const char *const hooks[] = { "socket_connect", "socket_sendmsg" };
static const char *const prog_names[] = { "scws_connect", "scws_sendmsg" };
#define N_HOOKS (sizeof(hooks) / sizeof(hooks[0]))

static void pin_path(char *buf, size_t size, const char *hook, const char *kind)
{
	snprintf(buf, size, PIN_DIR "/%s_%s", hook, kind);
}

/*
 * In the effective set: CAP_SYS_ADMIN, or (@bpf_ok) CAP_BPF and CAP_PERFMON.
 * Attaching needs CAP_SYS_ADMIN on 6.1: libbpf resolves the kfuncs in
 * scws.ko's BTF, which it opens by id (BPF_BTF_GET_FD_BY_ID checks
 * CAP_SYS_ADMIN); detaching only unpins.
 */
static bool bpf_capable(bool bpf_ok)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return false;
#define HAS(cap) (d[(cap) / 32].effective & (1u << ((cap) % 32)))
	return HAS(21) || (bpf_ok && HAS(39) && HAS(38)); /* SYS_ADMIN, BPF, PERFMON */
#undef HAS
}

/* libbpf's messages only on request: its dump is no error message. */
static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (!getenv("SCWS_BPF_VERBOSE") || level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int bpffs_mount(void)
{
	struct statfs st;

	if (statfs(BPFFS, &st) == 0 && st.f_type == BPF_FS_MAGIC)
		return 0;
	if (mount("bpf", BPFFS, "bpf", 0, "mode=0700")) {
		ctl_error("lsm: cannot mount bpffs at " BPFFS ": %s", strerror(errno));
		return -1;
	}
	return 0;
}

struct lsm_hook_state {
	bool linked;
	uint32_t link_id;
	uint32_t prog_id;
};

static int hook_of_prog(uint32_t prog_id)
{
	struct bpf_prog_info info = { 0 };
	uint32_t len = sizeof(info);
	size_t i;
	int fd, hook = -1;

	fd = bpf_prog_get_fd_by_id(prog_id);
	if (fd < 0)
		return -1;
	if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0 &&
	    info.type == BPF_PROG_TYPE_LSM)
		for (i = 0; i < N_HOOKS; i++)
			if (strcmp(info.name, prog_names[i]) == 0)
				hook = (int)i;
	close(fd);
	return hook;
}

/*
 * Which hooks have our program linked, asked of the kernel (not of the pins:
 * "ip netns exec" mounts its own /sys, which hides /sys/fs/bpf). The number
 * of hooks linked, or -errno (-EPERM: not privileged).
 */
static int lsm_read(struct lsm_hook_state *st)
{
	uint32_t id = 0;
	int n = 0, err;

	memset(st, 0, sizeof(*st) * N_HOOKS);
	while (!(err = bpf_link_get_next_id(id, &id))) {
		struct bpf_link_info info = { 0 };
		uint32_t len = sizeof(info);
		int fd = bpf_link_get_fd_by_id(id), hook;

		if (fd < 0) {
			if (errno == ENOENT)
				continue;	/* gone meanwhile */
			return -errno;
		}
		if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0 &&
		    info.type == BPF_LINK_TYPE_TRACING &&
		    info.tracing.attach_type == BPF_LSM_MAC) {
			hook = hook_of_prog(info.prog_id);
			if (hook >= 0 && !st[hook].linked) {
				st[hook].linked = true;
				st[hook].link_id = info.id;
				st[hook].prog_id = info.prog_id;
				n++;
			}
		}
		close(fd);
	}
	if (errno != ENOENT)
		return -errno;
	return n;
}

/* 1: the program is attached (every hook linked), 0: not, -1: unknown. */
int lsm_attached(void)
{
	struct lsm_hook_state st[N_HOOKS];
	int n = lsm_read(st);

	if (n < 0)
		return -1;
	return n == (int)N_HOOKS;
}

static void unpin_all(void)
{
	char path[128];
	size_t i;

	for (i = 0; i < N_HOOKS; i++) {
		pin_path(path, sizeof(path), hooks[i], "link");
		unlink(path);
		pin_path(path, sizeof(path), hooks[i], "prog");
		unlink(path);
	}
	rmdir(PIN_DIR);
}

/* Links go after an RCU grace period once unpinned: the hooks still linked. */
static int wait_unlinked(void)
{
	struct lsm_hook_state st[N_HOOKS];
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int i, n = 0;

	for (i = 0; i < 500; i++) {
		n = lsm_read(st);
		if (n <= 0)
			break;
		nanosleep(&ts, NULL);
	}
	return n;
}

static long module_refcnt(void)
{
	char buf[32] = "";
	ssize_t n;
	int fd = open(MODULE_REFCNT, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

static int lsm_attach(void)
{
	struct lsm_hook_state st[N_HOOKS];
	struct bpf_program *progs[N_HOOKS];
	struct bpf_link *links[N_HOOKS] = { NULL };
	struct scws_lsm *skel;
	char path[128];
	size_t i;
	int err;

	if (bpffs_mount())
		return CTL_FAIL;
	err = lsm_read(st);
	if (err == (int)N_HOOKS) {
		puts("lsm: already attached");
		return CTL_OK;
	}
	if (err > 0) {
		unpin_all();	/* half attached: start again */
		if (wait_unlinked() > 0) {
			ctl_error("lsm attach: partly attached and not pinned under " PIN_DIR
				  " (pinned from another mount namespace?)");
			return CTL_FAIL;
		}
	}
	if (access(MODULE_BTF, F_OK)) {
		ctl_error("lsm attach: scws.ko is not loaded or has no BTF (no " MODULE_BTF ")");
		return CTL_FAIL;
	}
	skel = scws_lsm__open_and_load();
	if (!skel) {
		err = errno;
		ctl_error("lsm attach: cannot load the BPF program: %s%s", strerror(err),
			  err == EINVAL || err == ESRCH || err == ENOENT ?
			  " (scws.ko built without its kfuncs?)" : "");
		return CTL_FAIL;
	}
	progs[0] = skel->progs.scws_connect;
	progs[1] = skel->progs.scws_sendmsg;
	if (mkdir(PIN_DIR, 0700) && errno != EEXIST) {
		ctl_error("lsm attach: cannot create " PIN_DIR ": %s", strerror(errno));
		goto fail;
	}
	for (i = 0; i < N_HOOKS; i++) {
		links[i] = bpf_program__attach_lsm(progs[i]);
		if (!links[i]) {
			err = errno;
			ctl_error("lsm attach: cannot attach to %s: %s%s", hooks[i],
				  strerror(err), err == EOPNOTSUPP || err == EINVAL ?
				  " (is bpf in the kernel's active LSMs, lsm=?)" : "");
			goto fail;
		}
		pin_path(path, sizeof(path), hooks[i], "link");
		if (bpf_link__pin(links[i], path)) {
			ctl_error("lsm attach: cannot pin %s: %s", path, strerror(errno));
			goto fail;
		}
		pin_path(path, sizeof(path), hooks[i], "prog");
		if (bpf_program__pin(progs[i], path)) {
			ctl_error("lsm attach: cannot pin %s: %s", path, strerror(errno));
			goto fail;
		}
	}
	for (i = 0; i < N_HOOKS; i++)
		bpf_link__destroy(links[i]);	/* the pins hold them */
	scws_lsm__destroy(skel);
	puts("lsm: attached");
	return CTL_OK;

fail:
	unpin_all();
	for (i = 0; i < N_HOOKS; i++)
		bpf_link__destroy(links[i]);
	scws_lsm__destroy(skel);
	return CTL_FAIL;
}

/*
 * Unpinning drops the last reference: the links detach. The programs, and
 * with them their reference on scws.ko, go after an RCU grace period, so
 * wait for that here (5 s at most): "scwsctl lsm detach; rmmod scws" must
 * work.
 */
static int lsm_detach(void)
{
	struct lsm_hook_state st[N_HOOKS];
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	long before;
	int n, i;

	n = lsm_read(st);
	if (n < 0) {
		/* CAP_BPF without CAP_SYS_ADMIN may not list links: count pins. */
		char path[128];
		size_t h;

		for (n = 0, h = 0; h < N_HOOKS; h++) {
			pin_path(path, sizeof(path), hooks[h], "link");
			n += access(path, F_OK) == 0;
		}
	}
	if (!n && access(PIN_DIR, F_OK) && errno == ENOENT) {
		puts("lsm: not attached");
		return CTL_OK;
	}
	before = module_refcnt();
	unpin_all();
	if (wait_unlinked() > 0) {
		ctl_error("lsm detach: still attached: not pinned under " PIN_DIR
			  " (pinned from another mount namespace?)");
		return CTL_FAIL;
	}
	for (i = 0; i < 500 && before >= 0 && n > 0; i++) {
		long now = module_refcnt();

		if (now < 0 || now <= before - n)
			break;
		nanosleep(&ts, NULL);
	}
	puts("lsm: detached");
	return CTL_OK;
}

static int lsm_status(const struct ctl *ctl)
{
	struct lsm_hook_state st[N_HOOKS];
	struct json j;
	size_t i;
	int n = lsm_read(st);

	if (n < 0) {
		ctl_error("lsm status: cannot list BPF links: %s%s", strerror(-n),
			  n == -EPERM || n == -EACCES ? " (needs CAP_SYS_ADMIN)" : "");
		return CTL_FAIL;
	}
	if (!ctl->json) {
		printf("lsm: %s", n == (int)N_HOOKS ? "attached" :
		       n ? "partly attached" : "not attached");
		for (i = 0; i < N_HOOKS; i++)
			if (st[i].linked)
				printf("%s %s link %u prog %u", i ? "," : ";",
				       hooks[i], st[i].link_id, st[i].prog_id);
		putchar('\n');
		return CTL_OK;
	}
	json_init(&j, stdout, ctl->pretty);
	json_open_object(&j, NULL);
	json_bool(&j, "attached", n == (int)N_HOOKS);
	json_open_array(&j, "hooks");
	for (i = 0; i < N_HOOKS; i++) {
		if (!st[i].linked)
			continue;
		json_open_object(&j, NULL);
		json_string(&j, "hook", hooks[i]);
		json_uint(&j, "link_id", st[i].link_id);
		json_uint(&j, "prog_id", st[i].prog_id);
		json_close_object(&j);
	}
	json_close_array(&j);
	json_close_object(&j);
	return CTL_OK;
}

int cmd_lsm(struct ctl *ctl, int argc, char **argv)
{
	static const struct ctl_cmd cmd = { .name = "lsm", .usage = lsm_usage,
					    .json = true };
	const char *what;
	int first, rc;

	first = ctl_options(ctl, &cmd, argc, argv, &rc);
	if (first < 0)
		return rc;
	if (first == argc)
		return ctl_usage_error(&cmd, "expected attach, detach or status");
	if (first + 1 < argc)
		return ctl_usage_error(&cmd, "unexpected argument '%s'", argv[first + 1]);
	what = argv[first];
	libbpf_set_print(libbpf_log);
	if (strcmp(what, "status") == 0)
		return lsm_status(ctl);
	if (strcmp(what, "attach") && strcmp(what, "detach"))
		return ctl_usage_error(&cmd, "unknown subcommand '%s'", what);
	if (ctl->json)
		return ctl_usage_error(&cmd, "-j/--json is for status only");
	if (strcmp(what, "attach") == 0) {
		if (!bpf_capable(false)) {
			ctl_error("lsm attach: needs CAP_SYS_ADMIN");
			return CTL_FAIL;
		}
		return lsm_attach();
	}
	if (!bpf_capable(true)) {
		ctl_error("lsm detach: needs CAP_SYS_ADMIN (or CAP_BPF and CAP_PERFMON)");
		return CTL_FAIL;
	}
	return lsm_detach();
}
