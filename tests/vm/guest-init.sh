#!/bin/bash
# PID 1 inside the test VM, started by the initramfs after switch_root into the
# overlay (host root read-only + tmpfs upper). Sets up a minimal system, runs the
# job that tests/vm/run.sh left in the results share, writes the exit status,
# dmesg and taint value back to that share, and powers off.
# Not meant to be run on the host.
#
# No "set -e": PID 1 must never exit early (that is a kernel panic).
set -u

OUT=/run/scws-vm        # the host's results dir (second 9p share, read-write)
TTY=/dev/ttyS1          # wired to run.sh's stdout; ttyS0 is the kernel console

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8
# Setup uses the static busybox: under TCG it execs in ~15 ms, the dynamically linked
# util-linux/coreutils tools take 70-180 ms each.
bb=/bin/busybox

# Via /dev/kmsg: timestamped in the console log and in dmesg.
log() { echo "scws-guest-init: $*" >/dev/kmsg 2>/dev/null || echo "scws-guest-init: $*" >/dev/console; }

shutdown_now() {
	sync
	$bb poweroff -f
	sleep 2
	echo o >/proc/sysrq-trigger
	sleep 10
	exit 1   # last resort: PID 1 exiting panics, and panic=-1 + -no-reboot ends qemu
}

mounted() { # is $1 a mount point? (busybox-static has no mountpoint applet)
	local _ mp
	while read -r _ mp _; do [[ $mp == "$1" ]] && return 0; done </proc/self/mounts
	return 1
}
mnt() { # mnt TYPE DIR [OPTS]: mount unless already a mount point
	[[ -d $2 ]] || $bb mkdir -p "$2"
	mounted "$2" || $bb mount -t "$1" -o "${3:-defaults}" "$1" "$2" || log "mount $2 failed"
}

# proc first, unconditionally: until then /proc is the host's procfs seen through 9p.
$bb mount -t proc -o nosuid,nodev,noexec proc /proc
mnt sysfs /sys nosuid,nodev,noexec
log "started"
mnt devtmpfs /dev mode=0755,nosuid   # normally already moved here by the initramfs
mnt devpts /dev/pts gid=5,mode=0620,ptmxmode=0666,nosuid,noexec
mnt tmpfs /dev/shm mode=1777,nosuid,nodev
mnt tmpfs /run mode=0755,nosuid,nodev
mnt debugfs /sys/kernel/debug
$bb ln -sfn /proc/self/fd /dev/fd
$bb ln -sfn /proc/self/fd/0 /dev/stdin
$bb ln -sfn /proc/self/fd/1 /dev/stdout
$bb ln -sfn /proc/self/fd/2 /dev/stderr

$bb mkdir -p "$OUT"
if ! $bb mount -t 9p -o "trans=virtio,version=9p2000.L,msize=262144,cache=none" scwsout "$OUT"; then
	log "cannot mount the results share"
	shutdown_now
fi
# Defines SCWS_VM_MODE, SCWS_VM_CWD, SCWS_VM_ARGV=(script args...), SCWS_VM_ROWS,
# SCWS_VM_COLS, SCWS_VM_HOST_TMP, plus exported pass-through variables (SCWS_*, TERM).
# shellcheck source=/dev/null
. "$OUT/job" || { log "no job file"; shutdown_now; }

# A fresh /tmp, unless run.sh says the job lives under the host's /tmp (a tmpfs would
# hide it; the overlay keeps /tmp writable anyway).
[[ ${SCWS_VM_HOST_TMP:-0} == 1 ]] || mnt tmpfs /tmp mode=1777,nosuid,nodev

# A kernel from tests/vm/debug-kernel.sh: its modules live in the cache, not in the
# host's /lib/modules; link them in (the write lands in the overlay's tmpfs).
if [[ -n ${scws_moddir:-} && -d $scws_moddir && ! -e /lib/modules/$($bb uname -r) ]]; then
	$bb ln -s "$scws_moddir" "/lib/modules/$($bb uname -r)" || log "cannot link $scws_moddir"
fi
$bb hostname scws-vm
echo scws-vm >/etc/hostname
$bb ip link set lo up
export SCWS_IN_VM=1 SCWS_VM_OUT="$OUT"
[[ -e /etc/mtab ]] || $bb ln -s /proc/self/mounts /etc/mtab

log "setup done, running the job"
cd "$SCWS_VM_CWD" || { log "cannot cd to $SCWS_VM_CWD"; shutdown_now; }

status=0
if [[ $SCWS_VM_MODE == script ]]; then
	# raw: no \n -> \r\n translation, no echo; the bytes reach run.sh's stdout as written.
	$bb stty -F "$TTY" raw -echo
	bash "${SCWS_VM_ARGV[@]}" </dev/null >"$TTY" 2>&1
	status=$?
else
	exec 3<>"$TTY"
	$bb stty -F "$TTY" sane rows "${SCWS_VM_ROWS:-24}" cols "${SCWS_VM_COLS:-80}"
	if ((${#SCWS_VM_ARGV[@]})); then
		bash "${SCWS_VM_ARGV[@]}" <&3 >&3 2>&3
		echo "[script exited with status $?; starting a shell in the VM, 'exit' powers it off]" >"$TTY"
	fi
	# setsid -c: the shell gets the serial line as its controlling tty (job control, ^C).
	PS1='scws-vm:\w# ' setsid -w -c bash --norc -i <&3 >&3 2>&3
	status=$?
fi

log "job exited with status $status"
# Results for the host; "status" is written last and marks a complete run.
$bb dmesg >"$OUT/dmesg" 2>&1
cat /proc/sys/kernel/tainted >"$OUT/tainted"
echo "$status" >"$OUT/status"
# tcsetattr(TCSADRAIN) waits until every byte the script wrote has left the UART.
$bb stty -F "$TTY" raw -echo 2>/dev/null
shutdown_now
