#!/usr/bin/env bash
# The access control policy on real processes: uid, group, port scope, exe
# path, exe digest, a manufacturer-signed executable, AppArmor labels, reloads
# under load, and scwsctl's errors.
cd "$(dirname "$0")/../.." && . tests/lib/tap.sh
tap_begin 35
SCWSCTL=$BUILD/scwsctl
ns=$(netns_new acp)
tmp=$(mktemp -d /tmp/acp.XXXXXX)
chmod 755 "$tmp"
TAP_CLEANUP_EXTRA="rm -rf $tmp"
reply=$(printf 'HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello')

ctl() { in_ns "$ns" "$SCWSCTL" "$@"; }
# ns_as NS UID CMD...: CMD in namespace NS as UID (no groups).
ns_as() {
	local n=$1 u=$2
	shift 2
	in_ns "$n" setpriv --reuid="$u" --regid="$u" --clear-groups "$@"
}
# get URL-PORT [BINARY] [AS-UID]: curl's body, or "exit N" when it failed.
get() {
	local port=$1 bin=${2:-curl} uid=${3:-0} out
	if out=$(in_ns "$ns" setpriv --reuid="$uid" --regid="$uid" --clear-groups \
		"$bin" -s -m 5 "http://127.0.0.1:$port/" 2>&1); then
		echo "$out"
	else
		echo "exit $?"
	fi
}
policy() { printf '%s\n' "$@" >"$tmp/p.conf"; ctl policy load "$tmp/p.conf"; }

start_pump "$ns" "$tmp/pump.log" --port 3516:4:4 --port 4116:4:4 --mode fixed --reply "$reply" >/dev/null
expect "no policy: everyone gets in" hello "$(get 3516 curl 4242)"

check "policy loads" policy "default deny" "allow uid 0" "allow uid 1001" \
	"deny uid 1002" "allow group 2000" "deny uid 1003 port 4116" "allow uid 1003"
ctl monitor >"$tmp/monitor" 2>&1 &
monitor=$!
sleep 0.5
expect "root allowed by rule 0" hello "$(get 3516)"
expect "uid 1001 allowed" hello "$(get 3516 curl 1001)"
expect "uid 1002 denied: curl cannot connect (exit 7)" "exit 7" "$(get 3516 curl 1002)"
out=$(ns_as "$ns" 1002 $CLIENT connect 127.0.0.1 3516 --ms)
expect "uid 1002 denied with ECONNREFUSED" refused "$(head -n1 <<<"$out")"
ms=$(sed -n 's/^ms=//p' <<<"$out")
check "denied connect() returns in under 100 ms (${ms} ms)" test "${ms:-999}" -lt 100
expect "uid 1004 falls to the default (deny)" "exit 7" "$(get 3516 curl 1004)"
expect "uid 1004 in supplementary group 2000 allowed" hello \
	"$(in_ns "$ns" setpriv --reuid=1004 --regid=1004 --groups=2000 curl -s -m 5 http://127.0.0.1:3516/)"
expect "uid 1003 allowed on 3516" hello "$(get 3516 curl 1003)"
expect "uid 1003 denied on 4116 (port scope)" "exit 7" "$(get 4116 curl 1003)"
sleep 0.3
kill "$monitor"
check "monitor: uid 1002 refused by rule 2" \
	grep -qE "refused reason=policy .*uid=1002 .*rule=2" "$tmp/monitor"
check "monitor: uid 1001 let in by rule 1" \
	grep -qE "handed-off .*uid=1001 .*rule=1" "$tmp/monitor"

ctl policy show >"$tmp/shown.conf"
ctl policy load "$tmp/shown.conf"
check "policy show | policy load round trip" \
	bash -c "[ -s $tmp/shown.conf ] && ip netns exec $ns $SCWSCTL policy show | cmp -s $tmp/shown.conf -"

# Executables: by path, by digest (a copy has the same digest), trust list.
cp /usr/bin/curl "$tmp/curl-a"
cp /usr/bin/curl "$tmp/curl-b"
cp "$(readlink -f /usr/bin/python3)" "$tmp/python"
sum=$(sha256sum /usr/bin/curl | cut -d' ' -f1)
check "exe policy loads" policy "default deny" "allow exe $tmp/curl-a"
expect "exe path allowed" hello "$(get 3516 "$tmp/curl-a")"
expect "same binary elsewhere denied" "exit 7" "$(get 3516 "$tmp/curl-b")"
check "digest policy loads" policy "default deny" "allow exe-sha256 $sum"
expect "a copy of curl is allowed by digest (first use: hashed)" hello "$(get 3516 "$tmp/curl-b")"
expect "and again, from the cache" hello "$(get 3516 "$tmp/curl-b")"
expect "another binary is denied" refused "$(in_ns "$ns" "$tmp/python" tests/lib/scws-client.py connect 127.0.0.1 3516)"
echo >>"$tmp/curl-b"
expect "a changed binary is hashed again and denied" "exit 7" "$(get 3516 "$tmp/curl-b")"
# Same size, same mtime: only the contents (and ctime, i_version) change.
cp -p /usr/bin/curl "$tmp/curl-c"
expect "a second copy is allowed by digest (hashed)" hello "$(get 3516 "$tmp/curl-c")"
size=$(stat -c %s "$tmp/curl-c")
# The last byte belongs to the section header table, which exec does not read.
printf '\001' | dd of="$tmp/curl-c" bs=1 seek=$((size - 1)) conv=notrunc status=none
touch -r /usr/bin/curl "$tmp/curl-c"
check "rewritten in place: same size and mtime, other bytes" bash -c \
	"[ \"\$(stat -c '%s %Y' $tmp/curl-c)\" = \"\$(stat -c '%s %Y' /usr/bin/curl)\" ] && ! cmp -s $tmp/curl-c /usr/bin/curl"
expect "a same-size, same-mtime rewrite is hashed again and denied" "exit 7" "$(get 3516 "$tmp/curl-c")"
# Trusted by the manufacturer: signed by a certificate of its set (a test
# key made now; tests/netns/12-trusted.sh has the details).
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/mfr.key" -out "$tmp/mfr.pem" \
	-days 30 -subj "/CN=SCWS test manufacturer" 2>/dev/null
"$SCWSCTL" sign --key "$tmp/mfr.key" --cert "$tmp/mfr.pem" "$tmp/curl-a"
"$SCWSCTL" trust add manufacturer "$tmp/mfr.pem"
TAP_CLEANUP_EXTRA="$SCWSCTL trust clear manufacturer; $TAP_CLEANUP_EXTRA"
check "trusted manufacturer policy loads" policy "default deny" "allow trusted manufacturer"
expect "manufacturer-trusted binary allowed" hello "$(get 3516 "$tmp/curl-a")"
expect "untrusted binary denied" refused "$(in_ns "$ns" "$tmp/python" tests/lib/scws-client.py connect 127.0.0.1 3516)"

# AppArmor labels, when the guest kernel runs AppArmor and the tools exist.
mountpoint -q /sys/kernel/security 2>/dev/null || mount -t securityfs none /sys/kernel/security 2>/dev/null
if [ -d /sys/kernel/security/apparmor ] && command -v apparmor_parser >/dev/null; then
	cp /usr/bin/curl "$tmp/curl-aa"
	echo "profile scws-test-curl $tmp/curl-aa flags=(complain) { }" >"$tmp/aa.prof"
	if apparmor_parser -r "$tmp/aa.prof" 2>"$tmp/aa.err"; then
		policy "default deny" "allow label-prefix scws-test-curl" >/dev/null
		expect "AppArmor label prefix allowed" hello "$(get 3516 "$tmp/curl-aa")"
		expect "unconfined curl denied" "exit 7" "$(get 3516)"
	else
		skip "AppArmor label prefix allowed" "apparmor_parser failed: $(head -c 200 "$tmp/aa.err")"
		skip "unconfined curl denied" "no profile"
	fi
else
	skip "AppArmor label prefix allowed" "AppArmor not active in the guest or apparmor_parser missing"
	skip "unconfined curl denied" "AppArmor not active"
fi

# Reload under load: established connections stay, new ones follow.
ns2=$(netns_new acp2)
start_pump "$ns2" "$tmp/pump2.log" --port 3516:4:4 --mode echo >/dev/null
printf '%s\n' "default deny" "allow uid 1001" >"$tmp/allow.conf"
printf '%s\n' "default deny" "deny uid 1001" >"$tmp/deny.conf"
in_ns "$ns2" "$SCWSCTL" policy load "$tmp/allow.conf"
ns_as "$ns2" 1001 $CLIENT stream 127.0.0.1 3516 3 >"$tmp/stream" &
streamer=$!
# Reload only once the stream is established (slow under emulation).
for _ in $(seq 100); do grep -q . "$tmp/stream" && break; sleep 0.05; done
in_ns "$ns2" "$SCWSCTL" policy load "$tmp/deny.conf"
expect "after the reload uid 1001 is refused" refused "$(ns_as "$ns2" 1001 $CLIENT connect 127.0.0.1 3516)"
wait "$streamer"
check "the established connection streamed on" grep -q "^stream ok" "$tmp/stream"

# scwsctl's errors.
err=$(ns_as "$ns" 1001 "$SCWSCTL" policy load "$tmp/allow.conf" 2>&1)
check "non-root scwsctl: clear permission error" grep -q "Operation not permitted" <<<"$err"
ctl policy show >"$tmp/before.conf"
printf '%s\n' "default deny" "allow uid 0" "allow uid 12x" >"$tmp/bad.conf"
err=$(ctl policy load "$tmp/bad.conf" 2>&1)
check "malformed file: error names file:line:column" grep -q "bad.conf:3:11" <<<"$err"
check "and nothing changed" \
	bash -c "[ -s $tmp/before.conf ] && ip netns exec $ns $SCWSCTL policy show | cmp -s $tmp/before.conf -"
tap_end
