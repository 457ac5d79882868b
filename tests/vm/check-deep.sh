#!/usr/bin/env bash
# `make check-deep`: the whole VM suite on a debug kernel (KASAN, lockdep, kmemleak,
# DEBUG_OBJECTS, DEBUG_LIST, DEBUG_ATOMIC_SLEEP; tests/vm/debug-kernel.sh), then a kmemleak
# scan. Any kernel report fails the run (tests/vm/run.sh scans dmesg), and so does any
# leak kmemleak attributes to scws. See docs/testing.md for what it costs.
#
#   tests/vm/check-deep.sh [NAME-FILTER]    e.g. tests/vm/check-deep.sh 04-lifecycle
#
# Env: SCWS_DEEP_TIMEOUT (VM seconds, default 7200), SCWS_NETNS_SKIP (test files to
# skip, default 14-browser; empty runs all), SCWS_COUNTS (appends
# "deep PASSED FAILED SKIPPED"), and debug-kernel.sh's variables.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
top=$PWD
mkdir -p build
log=build/check-deep.log
t0=$SECONDS
say() { echo "check-deep: $*" >&2; }
counts() { echo "deep $1 $2 $3" >>"${SCWS_COUNTS:-/dev/null}"; }

# 1. The kernel (cached; a cold build runs at nice 19 and takes long: see docs/testing.md).
dir=$(bash tests/vm/debug-kernel.sh build) || { counts 0 1 0; exit 1; }
kver=$(<"$dir/kver")
say "kernel $kver from $dir ($((SECONDS - t0)) s)"

# 2. scws.ko for it, in build/kmod-debug: a tree of links to kmod/ and uapi/, so the
# objects land there and kmod/scws.ko stays the stock kernel's.
out=$top/build/kmod-debug
rm -rf "$out/kmod/"*.c "$out/kmod/"*.h   # links only: drop those of removed files
mkdir -p "$out/kmod"
ln -sfn "$top/uapi" "$out/uapi"
cp Kbuild "$out/Kbuild"
for f in kmod/*.c kmod/*.h kmod/Kbuild kmod/Kconfig; do
	case $f in *.mod.c) continue ;; esac
	ln -sfn "$top/$f" "$out/$f"
done
if ! nice -n 19 make -s -C "$dir/build" M="$out" CONFIG_SCWS=m modules >"$out/build.log" 2>&1; then
	cat "$out/build.log" >&2
	say "building scws.ko for $kver failed"
	counts 0 1 0
	exit 1
fi
ko=$out/kmod/scws.ko
readelf -S "$ko" | grep -q ' \.BTF ' || { say "$ko has no .BTF (the LSM tests need it)"; counts 0 1 0; exit 1; }
say "module $ko ($((SECONDS - t0)) s)"

# 3. The suite and the scan, in one VM boot. Two CPUs, like tests/netns/run.sh.
make -s tools >/dev/null || { say "make tools failed"; counts 0 1 0; exit 1; }
# Chromium under KASAN and TCG needs about 7 minutes a page (measured: 412 s
# for the portal); 14-browser's kernel paths are 06-e2e's, which runs here.
export SCWS_NETNS_SKIP=${SCWS_NETNS_SKIP-14-browser}
SCWS_DEEP_KO=$ko SCWS_VM_KERNEL_DIR=$dir SCWS_VM_CPUS=${SCWS_VM_CPUS:-2} \
	bash tests/vm/run.sh -t "${SCWS_DEEP_TIMEOUT:-7200}" tests/vm/check-deep-guest.sh "$@" 2>&1 |
	tee "$log"
rc=${PIPESTATUS[0]}
summary=$(grep -a '^netns-summary:' "$log" | tail -n 1)
leaks=$(grep -a '^kmemleak-summary:' "$log" | tail -n 1)
if [ -z "$summary" ] || [ -z "$leaks" ]; then
	say "the run did not finish (VM exit $rc; log in $log)"
	counts 0 1 0
	exit 1
fi
read -r _ passed failed skipped <<<"$summary"
read -r _ total scws <<<"$leaks"
[ "$scws" -eq 0 ] && passed=$((passed + 1)) || failed=$((failed + 1))
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
	say "the VM runner failed the run (exit $rc): a kernel report (KASAN, lockdep, ...) or taint"
	failed=1
fi
counts "$passed" "$failed" "$skipped"
echo "check-deep: $passed passed, $failed failed, $skipped skipped; kmemleak: $total suspected, $scws in scws; kernel $kver; $((SECONDS - t0)) s"
[ "$failed" -eq 0 ]
