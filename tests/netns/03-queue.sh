#!/usr/bin/env bash
# Connections beyond the pump's free channels wait in a bounded queue, each
# uid at most queue_per_uid of them; beyond, connect() is refused at once.
# A connection's one deadline runs from accept; clients that leave free
# their slots; a connection of another namespace cannot be claimed;
# pending connections are reset when the pump dies.
cd "$(dirname "$0")/../.." && . tests/lib/tap.sh
tap_begin 31
a=$(netns_new qa)
b=$(netns_new qb)
tmp=$(mktemp -d)
TAP_CLEANUP_EXTRA="rm -rf $tmp; rmmod scws; insmod kmod/scws.ko"
as() { local u=$1; shift; in_ns "$a" setpriv --reuid="$u" --regid="$u" --clear-groups "$@"; }
expect "defaults: queue_len 32, queue_per_uid 16" "32 16" \
	"$(pump_status "$a" | sed -n 's/^queue_len=//p; s/^queue_per_uid=//p' | xargs)"

# Card serves 3516 with one channel, none free: everything queues (for
# 30 s: under emulation 50 connects take seconds).
rmmod scws && insmod kmod/scws.ko queue_timeout_ms=30000
check "pump in A: one busy channel" start_pump "$a" "$tmp/pa" --port 3516:1:0 --no-claim
as 1001 $CLIENT hold 17 127.0.0.1 3516 --wait 12 >"$tmp/h1001" &
h1=$!
check "uid 1001: 16 queued (its share)" wait_for "$a" "port=3516 .*queued=16 "
as 1002 $CLIENT hold 17 127.0.0.1 3516 --wait 10 >"$tmp/h1002" &
h2=$!
check "uid 1002: 16 more, 32 queued" wait_for "$a" "port=3516 .*queued=32 "
out=$(in_ns "$a" $CLIENT connect 127.0.0.1 3516 --ms)
expect "the 33rd connect is refused (ECONNREFUSED), not reset" refused "$(head -n1 <<<"$out")"
ms=$(sed -n 's/^ms=//p' <<<"$out")
check "at once (${ms} ms)" test "${ms:-9999}" -lt 1000
listed=$(in_ns "$a" "$PUMP" --conns | grep -cE ' uid=100[12] ')
expect "queued connections listed with their caller" 32 "$listed"
wait "$h1" "$h2"
check "uid 1001: 16 connected, the 17th refused (its share)" grep -q "^held connected=16 refused=1$" "$tmp/h1001"
check "uid 1002: 16 connected, the 17th refused" grep -q "^held connected=16 refused=1$" "$tmp/h1002"
check "none was reset after its handshake" wait_for "$a" "port=3516 .*refused=3 .*reset=0 "

# Clients that connected and left give their slots back at once.
as 1001 $CLIENT hold 16 127.0.0.1 3516 --wait 0.2 >/dev/null
as 1002 $CLIENT hold 16 127.0.0.1 3516 --wait 0.2 >/dev/null
out=$(in_ns "$a" $CLIENT connect 127.0.0.1 3516 --read --timeout 1)
expect "after 32 clients came and left, a new one waits (not refused, not reset)" open "$out"
check "their slots were freed and counted (closed=32 or more)" wait_for "$a" "port=3516 .*reset=0 closed=(3[2-9]|[4-9][0-9])"
kill "$PUMP_PID"; wait "$PUMP_PID" 2>/dev/null

# One deadline from accept: a connection that waited, then was offered,
# is reset queue_timeout_ms (3 s) after accept, not 3 s after the offer.
rmmod scws && insmod kmod/scws.ko queue_timeout_ms=3000
check "pump: no free channel for 2 s, then one, never claims" \
	start_pump "$a" "$tmp/pt" --port 3516:1:0 --no-claim --free-after 2000
in_ns "$a" $CLIENT connect 127.0.0.1 3516 --read --ms --timeout 8 >"$tmp/late"
check "it was offered after 2 s" grep -q "^freed" "$tmp/pt"
expect "and reset when its deadline came" reset "$(sed -n 2p "$tmp/late")"
t0=$(sed -n 's/^connected_at_ms=//p' "$tmp/late")
t1=$(sed -n 's/^ended_at_ms=//p' "$tmp/late")
check "reset $((${t1:-0} - ${t0:-0})) ms after connect (3000 ms timeout; not 5000)" \
	test $((${t1:-99999} - ${t0:-0})) -lt 4200
kill "$PUMP_PID"; wait "$PUMP_PID" 2>/dev/null

# Fairness: uid 1001 holds every channel and its share of the queue; root
# still gets in line and is served once a channel frees.
rmmod scws && insmod kmod/scws.ko queue_timeout_ms=20000
check "pump: two channels, echo" start_pump "$a" "$tmp/pf" --port 3516:2:2 --mode echo
as 1001 $CLIENT hold 35 127.0.0.1 3516 --wait 9 >"$tmp/hf" &
hf=$!
check "uid 1001: 2 claimed, 16 queued" wait_for "$a" "port=3516 .*offered=0 queued=16 .*handed_off=2 "
in_ns "$a" $CLIENT connect 127.0.0.1 3516 --send fair --timeout 10 >"$tmp/root" &
rootc=$!
wait "$hf" "$rootc"
expect "uid 1001: 18 connected, 17 refused" "held connected=18 refused=17" "$(grep '^held ' "$tmp/hf")"
expect "root is served when uid 1001 lets go" "echo:fair" "$(cat "$tmp/root")"
kill "$PUMP_PID"; wait "$PUMP_PID" 2>/dev/null
rmmod scws && insmod kmod/scws.ko

# Offered, not claimed: B's pump cannot claim A's connection.
in_ns "$a" "$PUMP" --status >/dev/null
kill "$PUMP_PID"; wait "$PUMP_PID" 2>/dev/null
check "pump in A: one free channel, never claims" start_pump "$a" "$tmp/pa2" --port 3516:1:1 --no-claim
apid=$PUMP_PID
in_ns "$a" $CLIENT hold 1 127.0.0.1 3516 --wait 3 >/dev/null &
for _ in $(seq 50); do grep -q '^conn id=' "$tmp/pa2" && break; sleep 0.1; done
id=$(sed -n 's/^conn id=\([0-9]*\).*/\1/p' "$tmp/pa2" | head -n1)
check "A's pump got CONN_NEW" test -n "$id"
start_pump "$b" "$tmp/pb" --port 3516:1:1 >/dev/null
expect "B cannot claim A's connection" "claim: ENOENT" \
	"$(in_ns "$b" "$PUMP" --try-claim "${id:-1}" 2>&1 | grep -o '^claim: ENOENT')"
expect "A's non-pump socket cannot claim it either" "claim: EPERM" \
	"$(in_ns "$a" "$PUMP" --try-claim "${id:-1}" 2>&1 | grep -o '^claim: EPERM')"

# The pump dies: pending connections are reset at once, ports refuse.
# The holder looks at its connections when its stdin closes (fd 7 below).
mkfifo "$tmp/go"
in_ns "$a" $CLIENT hold 3 127.0.0.1 3516 >"$tmp/hold2" <"$tmp/go" &
holder=$!
exec 7>"$tmp/go"
in_ns "$a" $CLIENT connect 127.0.0.1 3516 --read --ms --timeout 30 >"$tmp/one" &
waiter=$!
# The first one's client left: its offer is freed, another takes it.
wait_for "$a" "port=3516 .*queued=[34] " >/dev/null
killed_at=$(now_ms)
kill -KILL "$apid"
check "pump killed: status shows no pump" wait_for "$a" "^pump=none" 20
wait "$waiter"
expect "a queued client sees a reset" reset "$(sed -n 2p "$tmp/one")"
ended=$(sed -n 's/^ended_at_ms=//p' "$tmp/one")
check "reset within 1 s of the pump's death ($((${ended:-0} - killed_at)) ms)" \
	test $((${ended:-99999999999999} - killed_at)) -lt 1000
expect "new connect after pump death refused" refused "$(in_ns "$a" $CLIENT connect 127.0.0.1 3516)"
exec 7>&-
wait "$holder"
expect "held connections were reset" "ended reset=3" "$(tail -n 1 "$tmp/hold2")"
check "a new pump registers after the old one died" start_pump "$a" "$tmp/pa3" --port 3516:2:2 --mode echo
expect "and serves again" "echo:back" "$(in_ns "$a" $CLIENT connect 127.0.0.1 3516 --send back)"
tap_end
