#!/usr/bin/env bash
# The whole gateway with real parts: scws.ko, pcscd + vpcd, scws-card with
# the shipped portal, scws-bipd, and real clients (curl, openssl).  Pages
# byte-exact over HTTP and HTTPS, keep-alive, a 100 KiB file, long URLs,
# chunked POST, PIN, 20 parallel clients, the policy, two namespaces with
# their own cards, and faults: pump killed, card killed, pcscd restarted,
# a card sending malformed TLVs.
cd "$(dirname "$0")/../.." && . tests/lib/tap.sh && . tests/lib/stack.sh
tap_begin 29
# Under software emulation a page takes about a second through BIP: let
# 20 clients on 4 channels wait longer than the default 10 s.
rmmod scws && insmod kmod/scws.ko queue_timeout_ms=120000
tmp=$(mktemp -d /tmp/e2e.XXXXXX)
chmod 755 "$tmp"
TAP_CLEANUP_EXTRA="stack_stop $tmp/a; stack_stop $tmp/b; rm -rf $tmp"
a=$(netns_new e2ea)
b=$(netns_new e2eb)
# 100 KiB: under software emulation BIP moves a few KiB/s here; the 1 MiB
# byte-exact check runs at native speed in tests/bipd/run.sh.
bash card-sim/content-gen.sh -s 102400 -n big.bin card-sim/content "$tmp/content-g" >/dev/null
# A file larger than loopback's socket buffers, to cut a transfer in flight.
bash card-sim/content-gen.sh -s 4194304 -n huge.bin "$tmp/content-g" "$tmp/content-a" >/dev/null
cp -r card-sim/content "$tmp/content-b"
sed -i 's|</title>|, namespace B</title>|' "$tmp/content-b/index.html"

# Seven channels is BIP's most: 4 for HTTP, 3 for HTTPS.
check "stack in A: pcscd, card, pump serving" stack_start "$a" "$tmp/a" "$tmp/content-a" --channels 3516=4,4116=3
check "stack in B with other content" stack_start "$b" "$tmp/b" "$tmp/content-b" --channels 3516=2,4116=1

get() { in_ns "$1" curl -s -m 60 "${@:2}"; }
code() { in_ns "$1" curl -s -m 30 -o /dev/null -w '%{http_code}' "${@:2}"; }

check "HTTP portal home page byte-exact" cmp -s "$tmp/content-a/index.html" <(get "$a" http://127.0.0.1:3516/)
check "HTTPS (TLS in the card) byte-exact" cmp -s "$tmp/content-a/index.html" <(get "$a" -k https://127.0.0.1:4116/)
subject=$(in_ns "$a" openssl s_client -connect 127.0.0.1:4116 </dev/null 2>/dev/null | openssl x509 -noout -subject 2>/dev/null)
echo "# card certificate: $subject"
check "the card's certificate has a subject" grep -q "CN" <<<"$subject"
t0=$(now_ms)
check "100 KiB file byte-exact" cmp -s "$tmp/content-a/big.bin" <(get "$a" -m 300 http://127.0.0.1:3516/big.bin)
echo "# 100 KiB over BIP in the VM: $(($(now_ms) - t0)) ms"
out=$(in_ns "$a" curl -sv -m 30 -o /dev/null -o /dev/null http://127.0.0.1:3516/ http://127.0.0.1:3516/help/ 2>&1)
check "keep-alive: two requests, one connection" grep -q "Re-using existing connection" <<<"$out"
long=/$(printf 'a%.0s' $(seq 1023))
expect "a 1024-character URL is served (404: no such page)" 404 "$(code "$a" "http://127.0.0.1:3516$long")"
expect "a 1025-character URL gets 414" 414 "$(code "$a" "http://127.0.0.1:3516${long}b")"
# Changes come from the card's own pages: their Origin and form token.
token=$(get "$a" http://127.0.0.1:3516/cgi/unblock | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p')
expect "POST with a chunked body to a /cgi/ app (phonebook add: 303 to the list)" 303 \
	"$(code "$a" -u user:0000 -H 'Transfer-Encoding: chunked' -H 'Origin: http://127.0.0.1:3516' \
		--data-binary "action=add&name=Alice&number=0612345678&csrf=$token" http://127.0.0.1:3516/cgi/phonebook)"
check "the entry is in the card's EF_ADN" grep -q "Alice" <(get "$a" -u user:0000 http://127.0.0.1:3516/cgi/phonebook)
expect "PIN-protected page with the right PIN" 200 "$(code "$a" -u user:0000 http://127.0.0.1:3516/account/)"
expect "and with a wrong one" 401 "$(code "$a" -u user:9999 http://127.0.0.1:3516/account/)"
expect "the right PIN again (two tries left, not blocked)" 200 "$(code "$a" -u user:0000 http://127.0.0.1:3516/account/)"

pids=()
for i in $(seq 20); do
	get "$a" -o "$tmp/par$i" http://127.0.0.1:3516/ &
	pids+=($!)
done
wait_for "$a" "port=3516 .*queued=[1-9]" 60 >/dev/null && queued=yes || queued=no
echo "# some waited in the module's queue: $queued"
wait "${pids[@]}"
bad=0
for i in $(seq 20); do cmp -s "$tmp/content-a/index.html" "$tmp/par$i" || bad=$((bad + 1)); done
expect "20 parallel clients on 4 channels all served" 0 "$bad"
check "none was refused or reset" wait_for "$a" "port=3516 .*refused=0 .*timed_out=0 reset=0"
[ "$bad" -eq 0 ] || { pump_status "$a" | sed 's/^/# /'; tail -n 30 "$tmp/a/pump.log" | sed 's/^/# pump: /'; }

printf '%s\n' "default deny" "allow uid 0" "deny uid 1002" >"$tmp/acp.conf"
in_ns "$a" "$SCWSCTL" policy load "$tmp/acp.conf"
check "allowed caller gets the page" cmp -s "$tmp/content-a/index.html" <(get "$a" http://127.0.0.1:3516/)
in_ns "$a" setpriv --reuid=1002 --regid=1002 --clear-groups curl -s -m 10 http://127.0.0.1:3516/ >/dev/null
expect "denied caller: curl cannot connect" 7 "$?"
in_ns "$a" "$SCWSCTL" policy clear

check "B's clients reach B's card" grep -q "namespace B" <(get "$b" http://127.0.0.1:3516/)
check "A's clients reach A's card" cmp -s "$tmp/content-a/index.html" <(get "$a" http://127.0.0.1:3516/)

# Faults.  The pump killed mid-transfer: the client sees the end, the
# module refuses until a new pump registers.
# A slow reader with a tiny receive buffer keeps the transfer in flight
# (TCP backpressure all the way to the card's SEND DATA).
in_ns "$a" $CLIENT slowget 127.0.0.1 3516 /huge.bin >"$tmp/cut" &
cut=$!
sleep 3
stack_kill "$tmp/a" pump KILL
wait "$cut"
got=$(sed -n 's/^received //p' "$tmp/cut")
[ -n "$got" ] || { sed 's/^/# client: /' "$tmp/cut"; tail -n 20 "$tmp/a/pump.log" | sed 's/^/# pump: /'; }
check "pump killed mid-transfer: the client sees the end after ${got:-?} of 4 MiB" \
	test "${got:-99999999}" -lt 4194304
in_ns "$a" curl -s -m 10 -o /dev/null http://127.0.0.1:3516/
expect "no pump: refused at once (curl exit 7)" 7 "$?"
check "a new pump registers and serves" stack_pump "$a" "$tmp/a"
check "and the portal comes back" cmp -s "$tmp/content-a/index.html" <(get "$a" http://127.0.0.1:3516/)

# The card process dies: the pump closes, waits, resumes.
mark=$(wc -l <"$tmp/a/pump.log")
stack_kill "$tmp/a" card KILL
sleep 1
check "card gone: the pump is still running" kill -0 "$(cat "$tmp/a/pump.pid")"
stack_card "$a" "$tmp/a" --channels 3516=4,4116=3
stack_resumed "$tmp/a" "$mark"
check "card back: the pump serves again" cmp -s "$tmp/content-a/index.html" <(get "$a" http://127.0.0.1:3516/)

# pcscd restarts under both.
mark=$(wc -l <"$tmp/a/pump.log")
stack_kill "$tmp/a" pcscd TERM
stack_pcscd "$a" "$tmp/a" >/dev/null
stack_resumed "$tmp/a" "$mark"
check "pcscd restarted: served again" cmp -s "$tmp/content-a/index.html" <(get "$a" http://127.0.0.1:3516/)

# A card that sends malformed TLVs (test tooling of scws-card).
mark=$(wc -l <"$tmp/a/pump.log")
stack_kill "$tmp/a" card TERM
stack_card "$a" "$tmp/a" --channels 3516=4,4116=3 --fault bad-tlv
stack_resumed "$tmp/a" "$mark"
get "$a" -o /dev/null http://127.0.0.1:3516/
check "malformed TLVs: the pump logs them" bash -c "tail -n +$((mark + 1)) $tmp/a/pump.log | grep -qiE 'malformed|invalid|bad'"
check "and is still running" kill -0 "$(cat "$tmp/a/pump.pid")"
tap_end
