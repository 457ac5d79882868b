#!/bin/bash
# Run a script as root inside a throw-away qemu VM (TCG) booting Debian's kernel, with
# the host root shared read-only over 9p under a tmpfs overlay. See tests/vm/README.md.
#
#   tests/vm/run.sh [-t TIMEOUT_S] [-m MEM_MB] [-c CPUS] [-k KERNEL_VERSION] [-i] SCRIPT [ARGS...]
#
# Exit status: the script's; 1 if the script passed but the kernel logged a WARNING/BUG/
# Oops/... or got tainted (other than O/E); 124 on timeout; 125 if the VM could not
# start or died without reporting a status.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CACHE="$ROOT/build/vm"
MSIZE=262144
# Guest modules needed before the root can be mounted; their dependencies come from
# modules.dep. Everything else is loaded later from the host root by modprobe.
INITRD_MODULES=(virtio_pci 9pnet_virtio 9p overlay)
# dmesg lines that fail a run, and the taint bits that are allowed (O=4096, E=8192).
BAD_DMESG='WARNING:|BUG:|Oops|general protection|KASAN|refcount_t|list_add corruption'
ALLOWED_TAINT=$((4096 | 8192))
TAINT_LETTERS=PFSRMBUDAWCIOELKXTN

usage() {
	cat >&2 <<EOF
usage: $0 [-t TIMEOUT_S] [-m MEM_MB] [-c CPUS] [-k KERNEL_VERSION] [-i] SCRIPT [ARGS...]
       $0 -i [SCRIPT [ARGS...]]     interactive shell in the VM (after SCRIPT, if given)
env:   SCWS_KVER, SCWS_VM_CPUS (guest CPUs, default 1), SCWS_VM_APPEND (kernel args), SCWS_VM_QEMU_ARGS (qemu args),
       SCWS_VM_KEEP=1 (keep the run's temp dir),
       SCWS_VM_KERNEL_DIR=DIR (boot a kernel built by tests/vm/debug-kernel.sh: DIR/vmlinux,
       DIR/kver and its modules in DIR/lib/modules; -k and SCWS_KVER are ignored then, and the
       default memory is 2048 MB for KASAN's shadow and kmemleak's metadata)
EOF
	exit 125
}

die() { echo "vm/run.sh: $*" >&2; exit 125; }

timeout_s=
mem=
cpus=${SCWS_VM_CPUS:-1}
kver=
interactive=0
while getopts ":t:m:c:k:ih" opt; do
	case $opt in
	t) timeout_s=$OPTARG ;;
	m) mem=$OPTARG ;;
	c) cpus=$OPTARG ;;
	k) kver=$OPTARG ;;
	i) interactive=1 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
(($# || interactive)) || usage
[[ -z $timeout_s || $timeout_s =~ ^[0-9]+$ ]] || die "bad -t '$timeout_s'"
kdir=${SCWS_VM_KERNEL_DIR:-}
[[ -n $mem ]] || { [[ -n $kdir ]] && mem=2048 || mem=1024; }
[[ $mem =~ ^[0-9]+$ ]] || die "bad -m '$mem'"
[[ $cpus =~ ^[1-9][0-9]*$ ]] || die "bad -c '$cpus'"
# No timeout for an interactive session unless asked for.
[[ -n $timeout_s ]] || { ((interactive)) && timeout_s=0 || timeout_s=600; }
[[ ${SCWS_IN_VM:-} != 1 ]] || die "already inside the test VM"
if (($#)); then
	[[ -f $1 ]] || die "no such script: $1"
fi

# Kernel: $SCWS_VM_KERNEL_DIR, else -k, else $SCWS_KVER, else the newest *-amd64 with both
# modules and a vmlinuz.
if [[ -n $kdir ]]; then
	[[ -f $kdir/kver && -f $kdir/vmlinux ]] || die "$kdir: no kver or vmlinux (not built by tests/vm/debug-kernel.sh?)"
	kdir=$(realpath "$kdir")
	kver=$(<"$kdir/kver")
fi
if [[ -z $kver ]]; then
	kver=${SCWS_KVER:-}
fi
if [[ -z $kver ]]; then
	kver=$(for d in /lib/modules/*-amd64; do
		[[ -f /boot/vmlinuz-${d##*/} ]] && echo "${d##*/}"
	done | sort -V | tail -n 1)
fi
[[ -n $kver ]] || die "no kernel found (need /lib/modules/VER and /boot/vmlinuz-VER)"
kernel=/boot/vmlinuz-$kver
moddir=/lib/modules/$kver
if [[ -n $kdir ]]; then
	# The debug kernel's ELF vmlinux dies in qemu's PVH entry before any console
	# output; its bzImage boots. Older cache dirs have only the vmlinux.
	kernel=$kdir/vmlinux
	[[ -f $kdir/bzImage ]] && kernel=$kdir/bzImage
	moddir=$kdir/lib/modules/$kver
fi
[[ -r $kernel ]] || die "cannot read $kernel"
[[ -f $moddir/modules.dep ]] || die "no $moddir/modules.dep"

# ---------------------------------------------------------------------------------
# Initramfs: busybox + the modules above, cached in build/vm/ and rebuilt only when
# the kernel's modules, busybox or initramfs-init change.

declare -A seen=()
modorder=()
add_module() { # add_module PATH-relative-to-moddir: dependencies first
	local path=$1 deps
	[[ -n ${seen[$path]:-} ]] && return
	seen[$path]=1
	deps=$(grep -m1 "^$path:" "$moddir/modules.dep" | cut -d: -f2)
	for d in $deps; do add_module "$d"; done
	modorder+=("$path")
}
for m in "${INITRD_MODULES[@]}"; do
	# Built-in (modules.builtin) needs nothing; try both - and _ spellings.
	re="/(${m//[-_]/[-_]})\\.ko"
	grep -qE "$re\$" "$moddir/modules.builtin" 2>/dev/null && continue
	path=$(grep -oE "^[^:]*$re(\\.[a-z]+)?:" "$moddir/modules.dep" | head -n 1)
	[[ -n $path ]] || die "module $m is neither built into $kver nor in modules.dep"
	add_module "${path%:}"
done

busybox=/bin/busybox
[[ -x $busybox ]] || die "need a static busybox at $busybox (apt install busybox-static)"
initrd="$CACHE/initramfs-$kver.cpio"
key=$({
	echo "$kver ${modorder[*]}"
	stat -L -c '%n %s %Y' "$busybox" "$moddir/modules.dep" "${modorder[@]/#/$moddir/}"
	cat "$HERE/initramfs-init"
} | sha256sum | cut -d' ' -f1)

if [[ ! -f $initrd || "$(cat "$initrd.key" 2>/dev/null)" != "$key" ]]; then
	mkdir -p "$CACHE"
	stage=$(mktemp -d "$CACHE/initramfs.XXXXXX")
	mkdir -p "$stage/bin" "$stage/lib/modules"
	cp "$busybox" "$stage/bin/busybox"
	install -m 0755 "$HERE/initramfs-init" "$stage/init"
	for path in "${modorder[@]}"; do
		# busybox insmod takes plain .ko only: decompress here.
		ko=${path%.ko*}.ko
		mkdir -p "$stage/lib/modules/$(dirname "$ko")"
		case $path in
		*.ko) cp "$moddir/$path" "$stage/lib/modules/$ko" ;;
		*.ko.xz) xz -dc "$moddir/$path" >"$stage/lib/modules/$ko" ;;
		*.ko.zst) zstd -qdc "$moddir/$path" >"$stage/lib/modules/$ko" ;;
		*.ko.gz) gzip -dc "$moddir/$path" >"$stage/lib/modules/$ko" ;;
		*) die "unknown module format: $path" ;;
		esac
		echo "$ko" >>"$stage/modules.order"
	done
	# Uncompressed: gunzip under TCG costs more than reading a few MB through fw_cfg.
	(cd "$stage" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet) >"$stage.cpio"
	mv -f "$stage.cpio" "$initrd"   # atomic, so concurrent runs never see half a file
	echo "$key" >"$initrd.key"
	rm -rf "$stage"
fi

# ---------------------------------------------------------------------------------
# Kernel image: the xz-compressed bzImage takes ~3.5 s just to decompress itself under
# TCG. Boot the uncompressed ELF vmlinux instead (qemu loads it via its PVH entry
# point, CONFIG_PVH=y in Debian), extracted once by tools/btf/kbuild-btf.sh into
# ~/.cache/scws/ (the same file gives the module build its BTF). Falls back to the
# bzImage if extraction fails.

# shellcheck source=../../tools/btf/kbuild-btf.sh
source "$ROOT/tools/btf/kbuild-btf.sh"
if [[ -n $kdir ]]; then
	: # already an ELF vmlinux (PVH)
elif grep -q '^CONFIG_PVH=y' "/boot/config-$kver" 2>/dev/null; then
	if vmlinux=$(btf_vmlinux "$kver"); then
		kernel=$vmlinux
	else
		echo "vm/run.sh: booting $kernel compressed (slower)" >&2
	fi
fi

# ---------------------------------------------------------------------------------
# The run's temp dir: console.log (kernel console) and out/ (the read-write share the
# guest reads its job from and writes status, dmesg and taint to).

tmp=$(mktemp -d "${TMPDIR:-/tmp}/scws-vm.XXXXXX")
out=$tmp/out
mkdir "$out"
qpid=
saved_tty=
# shellcheck disable=SC2317 # only reached through the trap
cleanup() {
	if [[ -n $qpid ]]; then kill "$qpid" 2>/dev/null || true; fi
	if [[ -n $saved_tty ]]; then stty "$saved_tty" 2>/dev/null || true; fi
	if [[ ${SCWS_VM_KEEP:-} == 1 ]]; then
		echo "vm/run.sh: kept $tmp" >&2
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The job: cwd, argv and pass-through variables, as bash that guest-init.sh sources.
host_tmp=0
script_abs=
(($#)) && script_abs=$(realpath "$1")
[[ $PWD/ == /tmp/* || $script_abs == /tmp/* ]] && host_tmp=1
{
	echo "SCWS_VM_MODE=$( ((interactive)) && echo interactive || echo script)"
	printf 'SCWS_VM_CWD=%q\n' "$PWD"
	printf 'SCWS_VM_ARGV=('
	(($#)) && printf '%q ' "$@"
	printf ')\n'
	echo "SCWS_VM_HOST_TMP=$host_tmp"
	if ((interactive)) && [[ -t 0 ]]; then
		read -r rows cols < <(stty size) || true
		echo "SCWS_VM_ROWS=${rows:-24} SCWS_VM_COLS=${cols:-80}"
	fi
	for v in $(compgen -e); do
		[[ ($v == SCWS_* && $v != SCWS_VM_* && $v != SCWS_IN_VM) || $v == TERM ]] &&
			printf 'export %s=%q\n' "$v" "${!v}"
	done
} >"$out/job"

append="console=ttyS0,115200 panic=-1 rdinit=/init"
append+=" scws_init=$HERE/guest-init.sh scws_msize=$MSIZE"
# A kernel of our own: the guest links its modules into /lib/modules (overlay).
[[ -z $kdir ]] || append+=" scws_moddir=$moddir"
append+=" ${SCWS_VM_APPEND:-}"

qemu=(qemu-system-x86_64 -accel tcg -machine pc -cpu max -smp "$cpus" -m "$mem"
	-nodefaults -no-user-config -display none -no-reboot
	-kernel "$kernel" -initrd "$initrd" -append "$append"
	-virtfs "local,path=/,mount_tag=scwsroot,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$out,mount_tag=scwsout,security_model=none,multidevs=remap"
	# ttyS0 = kernel console (file), ttyS1 = the script's output / the interactive shell
	-serial "file:$tmp/console.log")
if ((interactive)); then
	# mux: Ctrl-a x quits, Ctrl-a c is the qemu monitor; signal=off: ^C goes to the guest.
	# shellcheck disable=SC2054 # the commas are qemu's
	qemu+=(-chardev stdio,id=tty,mux=on,signal=off -serial chardev:tty -mon chardev=tty)
	[[ -t 0 ]] && saved_tty=$(stty -g)
	echo "vm/run.sh: booting $kver (Ctrl-a x kills the VM)..." >&2
else
	# shellcheck disable=SC2054 # the commas are qemu's
	qemu+=(-chardev stdio,id=tty,signal=off -serial chardev:tty -monitor none)
fi
# shellcheck disable=SC2206 # word splitting of the extra args is intended
qemu+=(${SCWS_VM_QEMU_ARGS:-})

start=$SECONDS
rc=0
if ((interactive)); then
	timeout --foreground -k 5 "$timeout_s" "${qemu[@]}" || rc=$?
else
	# stdin from /dev/null: qemu must never read (or put into raw mode) the caller's tty.
	# In the background so that a TERM to run.sh can kill it (see cleanup).
	timeout --foreground -k 5 "$timeout_s" "${qemu[@]}" </dev/null &
	qpid=$!
	wait "$qpid" || rc=$?
	qpid=
fi
elapsed=$((SECONDS - start))

# ---------------------------------------------------------------------------------
# Verdict: the host decides, from what the guest left in out/.

fail=0
problems=()
status=
[[ -f $out/status ]] && status=$(<"$out/status")

if ((rc == 124 || rc == 137)); then
	problems+=("timed out after ${timeout_s}s; VM killed")
	fail=124
elif [[ ! $status =~ ^[0-9]+$ ]]; then
	problems+=("the VM exited (qemu status $rc) without reporting a script status: crash or panic?")
	fail=125
fi

# Scan the guest's dmesg; if that is clean or missing, the console log too (it has what
# a panic prevented from being written, and what rotated out of the ring buffer).
for log in "$out/dmesg" "$tmp/console.log"; do
	if [[ -f $log ]] && bad=$(grep -aE "$BAD_DMESG" "$log"); then
		problems+=("kernel log (${log##*/}) matches /$BAD_DMESG/:")
		while IFS= read -r line; do problems+=("    $line"); done <<<"$bad"
		((fail)) || fail=1
		break
	fi
done
if [[ -f $out/tainted ]]; then
	taint=$(<"$out/tainted")
	if ((taint & ~ALLOWED_TAINT)); then
		bits=
		for ((b = 0; b < ${#TAINT_LETTERS}; b++)); do
			((taint & (1 << b) & ~ALLOWED_TAINT)) && bits+=" ${TAINT_LETTERS:b:1}(bit $b)"
		done
		problems+=("kernel tainted: $taint, not allowed:${bits:- unknown bits}")
		((fail)) || fail=1
	fi
fi

# The script's own failure wins over ours when both happen.
if [[ $status =~ ^[0-9]+$ ]] && ((status != 0)) && ((fail != 124)); then
	final=$status
else
	final=$fail
fi

if ((final)); then
	{
		echo "vm/run.sh: FAIL (exit $final, script status ${status:-none}, ${elapsed}s, kernel $kver)"
		for p in "${problems[@]}"; do echo "vm/run.sh: $p"; done
		echo "vm/run.sh: ---- guest kernel console (last 200 lines) ----"
		tail -n 200 "$tmp/console.log" 2>/dev/null || true
		echo "vm/run.sh: ---- end of guest kernel console ----"
	} >&2
fi
exit "$final"
