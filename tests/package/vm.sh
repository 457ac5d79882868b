#!/usr/bin/env bash
# Guest side of the package test (tests/package/run.sh): install the built
# packages into the VM (the guest's root is an overlay on a tmpfs, so
# dpkg writes nothing to the host), then run the gateway from the
# installed files only: the DKMS-built scws.ko through `modprobe scws`,
# the packaged scws-card and its portal, scws-bipd with the options and
# policy of /etc/scws, scwsctl, under the capability bounding sets of the
# units.  TAP; the host counts it.
#
#   tests/package/vm.sh DEBDIR DKMS-TARBALL
#
# DKMS-TARBALL is the module built on the host (native speed, the VM
# emulates the CPU) by `dkms build`, packed by `dkms mktarball
# --binaries-only`. Put where the package's postinst looks for prebuilt
# modules (/usr/share/scws-dkms/scws-VERSION.dkms.tar.gz), it is loaded
# with `dkms ldtarball` and installed instead of being built again: the
# postinst's own mechanism for shipping prebuilt modules.
cd "$(dirname "$0")/../.." && . tests/lib/tap.sh && . tests/lib/stack.sh
debdir=$1 tarball=$2
kver=$(uname -r)
tap_begin 18
# Not under /run: the private pcscd mounts a tmpfs there.
tmp=/var/lib/scws-pkgtest
mkdir -p "$tmp" && chmod 755 "$tmp"
TAP_CLEANUP_EXTRA="/usr/sbin/scwsctl lsm detach >/dev/null 2>&1; stack_stop $tmp"

ver=$(dpkg-deb -f "$debdir"/scws-dkms_*.deb Version)
install -D -m 0644 "$tarball" "/usr/share/scws-dkms/scws-$ver.dkms.tar.gz"
t0=$(date +%s)
DEBIAN_FRONTEND=noninteractive dpkg -i --no-triggers "$debdir"/scws-dkms_*.deb \
	"$debdir"/scws-tools_*.deb "$debdir"/scws-card_*.deb 2>&1 |
	while IFS= read -r line; do echo "# dpkg ($(($(date +%s) - t0)) s): $line"; done
rc=${PIPESTATUS[0]}
expect "dpkg -i scws-dkms scws-tools scws-card" 0 "$rc"
check "dkms status: installed for $kver" grep -q "scws/$ver, $kver, .*: installed" <(dkms status scws)
expect "modprobe finds the DKMS module" "/lib/modules/$kver/updates/dkms/scws.ko" "$(modinfo -n scws 2>&1)"
check "systemd-analyze verify on the installed units (binaries, man pages)" \
	systemd-analyze verify /lib/systemd/system/scws-bipd.service \
	/lib/systemd/system/scws-lsm.service /lib/systemd/system/scws-trust.service

check "modprobe scws (as systemd-modules-load does: modules-load.d/scws.conf)" \
	modprobe "$(grep -v '^#' /usr/lib/modules-load.d/scws.conf)"
check "the softdep loaded nf_reject_ipv4 and nf_reject_ipv6 first" \
	bash -c "lsmod | grep -q '^nf_reject_ipv4 ' && lsmod | grep -q '^nf_reject_ipv6 '"
check "the DKMS build carries module BTF (the LSM program needs it)" test -f /sys/kernel/btf/scws

# The card and pcscd as the tests run them, from the packaged card.
CARD=/usr/bin/scws-card SCWSCTL=/usr/sbin/scwsctl BIPD=/usr/sbin/scws-bipd
stack_pcscd - "$tmp" && stack_card - "$tmp" --content /usr/share/scws-card/content
check "pcscd and the packaged scws-card" test -s "$tmp/card.pid"

# The pump as scws-bipd.service starts it: its options from
# /etc/scws/scws-bipd.conf, CapabilityBoundingSet=CAP_NET_ADMIN,
# NoNewPrivileges=yes, and a read-only root but for /run/scws
# (ProtectSystem=strict, ReadWritePaths=).
. /etc/scws/scws-bipd.conf
mkdir -p /run/scws
: >"$tmp/pump.log"
# shellcheck disable=SC2086
spawn - "$tmp/pump.log" "$tmp/pump.pid" \
	env PCSCLITE_CSOCK_NAME="$tmp/run/pcscd.comm" \
	unshare -m --propagation private sh -c '
		mount --bind /run/scws /run/scws && mount -o remount,bind,ro / &&
		mount -o remount,bind,ro /run && exec "$@"' sh \
	setpriv --no-new-privs --bounding-set=-all,+net_admin --inh-caps=-all \
	/usr/sbin/scws-bipd --foreground $SCWS_BIPD_OPTS -v
check "the packaged pump serves, sandboxed as in its unit" stack_serving "$tmp"
check "it loaded /etc/scws/acp.conf (merged with the card's rules)" \
	grep -q "allow uid 0" <(/usr/sbin/scwsctl policy show)
check "and wrote the merged policy to /run/scws" test -s /run/scws/policy.conf

index=/usr/share/scws-card/content/index.html
check "root (allow uid 0) gets the portal byte-exact" \
	cmp -s "$index" <(curl -s -m 60 http://127.0.0.1:3516/)
# connect_as UID: the errno name of a connect() to 127.0.0.1:3516 by UID.
connect_as() {
	setpriv --reuid="$1" --regid="$1" --clear-groups python3 -c '
import errno, socket
s = socket.socket()
s.settimeout(30)
try:
    s.connect(("127.0.0.1", 3516))
    print("connected")
except OSError as e:
    print(errno.errorcode.get(e.errno, e.errno))'
}
expect "uid 1001 is refused on its SYN (default deny of /etc/scws/acp.conf)" \
	ECONNREFUSED "$(connect_as 1001)"

# scws-dmc as packaged: its first account from the packaged card through
# the pump's APDU access service, let in by the shipped /etc/scws/se-rules.
# Without capabilities: the pump, CAP_NET_ADMIN only as in its unit, may
# not look at the executable of a process holding more (ptrace access).
/usr/sbin/scws-dmc -t "$tmp/dm-tree.xml" init --devid IMEI:004999010640000 &&
	setpriv --no-new-privs --bounding-set=-all --inh-caps=-all \
		/usr/sbin/scws-dmc -t "$tmp/dm-tree.xml" bootstrap --from-card
expect "the packaged scws-dmc takes its DM account from the card (shipped se-rules)" \
	scws-card "$(/usr/sbin/scws-dmc -t "$tmp/dm-tree.xml" get ./DMAcc/scws-card/ServerID 2>&1)"

# scws-lsm.service: scwsctl lsm attach with CAP_SYS_ADMIN CAP_BPF
# CAP_PERFMON only, NoNewPrivileges=yes.
check "lsm attach under the unit's capability bounding set" \
	setpriv --no-new-privs --bounding-set=-all,+sys_admin,+bpf,+perfmon --inh-caps=-all \
	/usr/sbin/scwsctl lsm attach
check "scwsctl status: enforcement lsm" grep -q "enforcement: lsm" <(/usr/sbin/scwsctl status)
expect "uid 1001 now gets EPERM in connect()" EPERM "$(connect_as 1001)"
check "lsm detach" /usr/sbin/scwsctl lsm detach
tap_end
