#!/usr/bin/env bash
# Guest side of the VM suite: load scws.ko, run each test file (TAP), count,
# unload.  Prints "netns-summary: PASSED FAILED SKIPPED" last.
set -uo pipefail
cd "$(dirname "$0")/../.."
passed=0 failed=0 skipped=0
filter=${1:-}
# SCWS_NETNS_SKIP: test files (name substrings, space-separated) counted as
# skipped, e.g. what a debug kernel makes too slow (tests/vm/check-deep.sh).
skip_list=${SCWS_NETNS_SKIP:-}

count() {
	local line
	while IFS= read -r line; do
		echo "$line"
		case "$line" in
		"ok "*"# SKIP"*) skipped=$((skipped + 1)) ;;
		"ok "*) passed=$((passed + 1)) ;;
		"not ok "*) failed=$((failed + 1)) ;;
		esac
	done
}

result() {
	if [ "$1" -eq 0 ]; then
		echo "ok - $2"
		passed=$((passed + 1))
	else
		echo "not ok - $2"
		failed=$((failed + 1))
	fi
}

# A freshly booted kernel with nothing loaded: insmod resolves no
# dependencies, so scws.ko must link against nothing that is not there.
! lsmod | grep -qE '^nf_reject_ipv(4|6) '
result $? "fresh kernel: nf_reject_ipv4/6 not loaded before insmod"
insmod kmod/scws.ko
result $? "insmod scws.ko into $(uname -r), nothing loaded by hand"
# It loads the kernel's reset builders itself and holds them (symbol_get:
# a reference, not a link, so lsmod's "used by" does not name scws).
held=0
for m in nf_reject_ipv4 nf_reject_ipv6; do
	[ "$(cat /sys/module/$m/refcnt 2>/dev/null || echo 0)" -ge 1 ] || held=1
done
result $held "nf_reject_ipv4/6 loaded by scws.ko and held"

for t in tests/netns/[0-9]*.sh; do
	[ -n "$filter" ] && [[ "$t" != *"$filter"* ]] && continue
	echo "# --- $t"
	for s in $skip_list; do
		[[ "$t" == *"$s"* ]] || continue
		echo "ok - $t # SKIP SCWS_NETNS_SKIP=\"$skip_list\""
		continue 2
	done
	count < <(timeout -k 5 900 bash "$t" 2>&1; echo "# exit $?")
	# A test that dies before finishing its plan fails.
	lsmod | grep -q '^scws ' || insmod kmod/scws.ko
done

rmmod scws
result $? "rmmod scws at the end"
echo "netns-summary: $passed $failed $skipped"
