#!/usr/bin/env bash
# Guest side of `make check-deep` (tests/vm/check-deep.sh runs it in the VM on the debug
# kernel): the VM suite with the debug kernel's scws.ko, then a kmemleak scan.
# Prints the suite's "netns-summary:" line and, last, "kmemleak-summary: TOTAL SCWS".
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
ko=${SCWS_DEEP_KO:?SCWS_DEEP_KO: the scws.ko built for this kernel}
# The tests insmod kmod/scws.ko: put this kernel's build there. The write lands in the
# overlay's tmpfs; the host's checkout keeps the stock kernel's module.
cp "$ko" kmod/scws.ko || exit 1
echo "# kernel $(uname -r), module $ko"

bash tests/netns/suite.sh "${1:-}"
rc=$?

# kmemleak reports what stayed unreferenced for 5 s: wait, scan twice (the second scan
# confirms; objects seen once may be in flight), and read the reports.
leaks=/sys/kernel/debug/kmemleak
if [ ! -w "$leaks" ]; then
	echo "not ok - kmemleak: $leaks missing (kernel without DEBUG_KMEMLEAK?)"
	echo "kmemleak-summary: -1 -1"
	exit 1
fi
sleep 6
echo scan >"$leaks"
sleep 6
echo scan >"$leaks"
report=$(cat "$leaks")
total=$(grep -c '^unreferenced object' <<<"$report")
# One report per object: its header, then the backtrace of the allocation. scws is
# loaded and unloaded many times by the suite, so a frame of an unloaded instance shows
# as a bare module-area address (0xffffffffa... and up), not as [scws]: count those too
# (veth, fuse and the nf_reject modules stay loaded and show by name).
scws=$(awk '/^unreferenced object/ { if (hit) n++; hit = 0 }
	/\[scws\]|^ +\[<[0-9a-f]+>\] 0xffffffff[a-f][0-9a-f]+$/ { hit = 1 }
	END { if (hit) n++; print n + 0 }' <<<"$report")
if [ "$total" -gt 0 ]; then
	echo "# kmemleak report (first 120 lines):"
	head -n 120 <<<"$report" | sed 's/^/#   /'
fi
if [ "$scws" -eq 0 ]; then
	echo "ok - kmemleak: no leak attributed to scws ($total suspected elsewhere)"
else
	echo "not ok - kmemleak: $scws of $total suspected leaks allocated by scws"
	rc=1
fi
echo "kmemleak-summary: $total $scws"
exit "$rc"
