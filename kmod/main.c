// SPDX-License-Identifier: GPL-2.0
/*
 * scws.ko: Smart Card Web Server gateway.  Owns the SCWS ports on loopback
 * in every network namespace and hands permitted connections to a
 * userspace pump (scws-bipd) that carries them to the card over BIP.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>

#include "scws.h"
#include "trust.h"

static ushort ports[SCWS_MAX_PORTS] = { 3516, 4116 };
static int nports = 2;
module_param_array(ports, ushort, &nports, 0444);
MODULE_PARM_DESC(ports, "SCWS ports to own on 127.0.0.1 and ::1 (default 3516,4116)");

static bool ipv6 = true;
module_param(ipv6, bool, 0444);
MODULE_PARM_DESC(ipv6, "Also own the ports on ::1 (default y)");

static uint queue_len = 32;
module_param(queue_len, uint, 0444);
MODULE_PARM_DESC(queue_len, "Connections waiting per port for the pump, 1-1024 (default 32)");

static uint queue_timeout_ms = 10000;
module_param(queue_timeout_ms, uint, 0444);
MODULE_PARM_DESC(queue_timeout_ms, "Reset a connection not claimed within this time, 100-600000 ms (default 10000)");

static uint queue_per_uid;
module_param(queue_per_uid, uint, 0444);
MODULE_PARM_DESC(queue_per_uid, "Connections of one uid waiting per port, 1-queue_len (default 0: half of queue_len)");

static uint userns_max_rules = 1024;
module_param(userns_max_rules, uint, 0444);
MODULE_PARM_DESC(userns_max_rules, "Most rules in a policy set without CAP_NET_ADMIN in the initial user namespace, 0-16384 (default 1024)");

struct scws_params scws_params __read_mostly;
struct workqueue_struct *scws_wq __read_mostly;

static int scws_params_check(void)
{
	int i, j;

	if (nports < 1 || queue_len < 1 || queue_len > 1024 ||
	    queue_timeout_ms < 100 || queue_timeout_ms > 600000 ||
	    userns_max_rules > SCWS_POLICY_MAX_RULES ||
	    queue_per_uid > queue_len)
		return -EINVAL;
	for (i = 0; i < nports; i++) {
		if (!ports[i])
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (ports[j] == ports[i])
				return -EINVAL;
		scws_params.ports[i] = ports[i];
	}
	scws_params.nports = nports;
	scws_params.ipv6 = ipv6 && IS_ENABLED(CONFIG_IPV6);
	scws_params.queue_len = queue_len;
	scws_params.queue_timeout_ms = queue_timeout_ms;
	scws_params.userns_max_rules = userns_max_rules;
	scws_params.queue_per_uid = queue_per_uid ?: max(queue_len / 2, 1U);
	return 0;
}

static int __init scws_init(void)
{
	int err;

	err = scws_params_check();
	if (err) {
		pr_err("invalid module parameters\n");
		return err;
	}
	err = scws_digest_init();
	if (err)
		return err;
	err = scws_sign_init();
	if (err)
		goto digest_exit;
	err = scws_keyring_init();
	if (err)
		goto sign_exit;
	scws_wq = alloc_workqueue("scws", WQ_UNBOUND, 0);
	if (!scws_wq) {
		err = -ENOMEM;
		goto keyring_exit;
	}
	scws_reject_init();
	/* Namespaces first: a netlink command may arrive right after. */
	err = scws_pernet_init();
	if (err)
		goto reject_exit;
	err = scws_genl_init();
	if (err)
		goto pernet_exit;
	/* Last: once registered, a BPF program may call in at any time. */
	scws_lsm_init();
	pr_info("owning ports on loopback, waiting for a pump\n");
	return 0;

pernet_exit:
	scws_pernet_exit();
reject_exit:
	scws_reject_exit();
	destroy_workqueue(scws_wq);
keyring_exit:
	scws_keyring_exit();
sign_exit:
	scws_sign_exit();
digest_exit:
	scws_digest_exit();
	return err;
}

/*
 * The reverse of scws_init().  The family goes first (no command may find
 * a namespace half torn down), but the namespaces' hooks and workers still
 * send events until scws_pernet_exit() stops them: scws_genl_exit() waits
 * for a grace period so that none of them uses the family after it is
 * unregistered.
 */
static void __exit scws_exit(void)
{
	scws_genl_exit();
	scws_pernet_exit();
	scws_reject_exit();
	destroy_workqueue(scws_wq);
	rcu_barrier();		/* policies freed with call_rcu() */
	scws_keyring_exit();
	scws_sign_exit();
	scws_digest_exit();
}

module_init(scws_init);
module_exit(scws_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Smart Card Web Server (SCWS) gateway");
MODULE_AUTHOR("The SCWS gateway authors");
