#!/usr/bin/env bash
# Guest side of the VM suite: load scws.ko, run each test file (TAP), count,
# unload.  Prints "netns-summary: PASSED FAILED SKIPPED" last.
set -uo pipefail
cd "$(dirname "$0")/../.."
passed=0 failed=0 skipped=0
filter=${1:-}

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

# insmod does not resolve dependencies: load what scws.ko links against.
modprobe -a nf_reject_ipv4 nf_reject_ipv6
insmod kmod/scws.ko
result $? "insmod scws.ko into $(uname -r)"

for t in tests/netns/[0-9]*.sh; do
	[ -n "$filter" ] && [[ "$t" != *"$filter"* ]] && continue
	echo "# --- $t"
	count < <(timeout -k 5 900 bash "$t" 2>&1; echo "# exit $?")
	# A test that dies before finishing its plan fails.
	lsmod | grep -q '^scws ' || insmod kmod/scws.ko
done

rmmod scws
result $? "rmmod scws at the end"
echo "netns-summary: $passed $failed $skipped"
