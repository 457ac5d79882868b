#!/bin/bash
# Self-test of the VM runner (tests/vm/run.sh), printing TAP. Boots the VM ~10 times,
# about 2 minutes in all (one case waits for a 30 s timeout). Run from the checkout root:
#   tests/vm/selftest.sh
set -uo pipefail   # no -e: failed checks are reported, not fatal

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUN=$HERE/run.sh
T=$HERE/selftest
n=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

ok() { # ok CONDITION-STATUS DESCRIPTION
	n=$((n + 1))
	if [[ $1 == 0 ]]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
		sed 's/^/# /' "$log" | tail -n 40
	fi
}
vm() { # vm ARGS...: run.sh with no stdin, output in $log; sets rc and secs
	local s=$SECONDS
	rc=0
	"$RUN" "$@" </dev/null >"$log" 2>&1 || rc=$?
	secs=$((SECONDS - s))
}

echo "1..11"

vm "$T/exit3.sh"
[[ $rc == 3 ]] && grep -q '^hello from the VM' "$log" && grep -q '^this went to stderr' "$log"
ok $? "exit status 3 and the script's stdout/stderr come back (${secs}s)"
grep -qE '^\[ *[0-9]+\.[0-9]+\] ' <(sed -n '/^hello/,/^this went/p' "$log")
ok $((!$?)) "no kernel messages mixed into the script's output"

rm -f /etc/scws-vm-selftest /tmp/scws-vm-selftest /var/scws-vm-selftest
hosts_before=$(sha256sum /etc/hosts)
vm "$T/writes.sh"
[[ $rc == 0 ]] && [[ ! -e /etc/scws-vm-selftest && ! -e /tmp/scws-vm-selftest &&
	! -e /var/scws-vm-selftest && ! -e /root/scws-vm-selftest && ! -e "$PWD/scws-vm-selftest" &&
	! -e /usr/local/scws-vm-selftest ]] && [[ $(sha256sum /etc/hosts) == "$hosts_before" ]]
ok $? "guest writes to /etc /tmp /var /root /usr and the checkout; host unchanged"

vm "$T/netns.sh"
[[ $rc == 0 ]]
ok $? "modprobe veth, ip netns add, veth ping, unshare -n"

vm "$T/warn.sh"
[[ $rc == 1 ]] && grep -q 'WARNING: scws vm selftest fake warning' "$log" && grep -q 'guest kernel console' "$log"
ok $? "a WARNING in dmesg fails the run although the script exits 0"

vm "$T/taint.sh" 1024
[[ $rc == 1 ]] && grep -q 'C(bit 10)' "$log"
ok $? "taint bit C fails the run"

vm "$T/taint.sh" 12288
[[ $rc == 0 ]]
ok $? "taint bits O and E are allowed"

vm -t 30 "$T/panic.sh"
[[ $rc == 125 ]] && grep -q 'sysrq triggered crash' "$log"
ok $? "a kernel panic fails the run with 125 and shows the console (${secs}s)"

printf 'echo sleeping\nsleep 1000\n' >"$HERE/selftest/.sleep.sh"
vm -t 30 "$HERE/selftest/.sleep.sh"
rm -f "$HERE/selftest/.sleep.sh"
[[ $rc == 124 ]] && ((secs <= 40)) && grep -q 'timed out after 30s' "$log"
ok $? "sleep 1000 with -t 30 times out with 124 after ${secs}s"

# Streaming: "first" must arrive well before the script ends.
s=$EPOCHREALTIME
first=
while IFS= read -r line; do
	[[ $line == first ]] && first=$EPOCHREALTIME
done < <("$RUN" "$T/stream.sh" </dev/null 2>/dev/null)
e=$EPOCHREALTIME
gap=$(((${e/./} - ${first/./}) / 1000))
[[ -n $first ]] && ((gap > 3000))
ok $? "output is streamed (first line came ${gap} ms before the end)"

# Interactive: a shell on a pty (script(1) plays the terminal).
# shellcheck disable=SC2016 # $((6*7)) is for the guest's shell
out=$( (sleep 15; echo 'echo answer=$((6*7))'; sleep 2; echo 'exit 5') |
	script -qfec "$RUN -i -t 60" /dev/null 2>&1) && rc=0 || rc=$?
grep -q 'answer=42' <<<"$out" && [[ $rc == 5 ]]
ok $? "-i gives a shell on the terminal (exit status $rc)"

echo "# $((n - failed)) passed, $failed failed"
((failed == 0))
