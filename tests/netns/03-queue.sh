#!/usr/bin/env bash
# Connections beyond the pump's free channels wait in a bounded queue; the
# one past the bound is reset; a connection of another namespace cannot be
# claimed; pending connections are reset when the pump dies.
cd "$(dirname "$0")/../.." && . tests/lib/tap.sh
tap_begin 16
a=$(netns_new qa)
b=$(netns_new qb)
tmp=$(mktemp -d)
TAP_CLEANUP_EXTRA="rm -rf $tmp"

# Card serves 3516 with one channel, none free: everything queues.
check "pump in A: one busy channel" start_pump "$a" "$tmp/pa" --port 3516:1:0 --no-claim
in_ns "$a" $CLIENT hold 33 127.0.0.1 3516 --wait 2 >"$tmp/hold" &
check "32 connections queued" wait_for "$a" "port=3516 .*queued=32 "
check "the 33rd was reset" wait_for "$a" "port=3516 .*reset=1"
check "queued connections listed with their caller" \
	bash -c "[ \$(ip netns exec $a $PUMP --conns | grep -c 'uid=0') -eq 32 ]"
wait $!
# The 33rd may see its reset during or right after connect().
check "client: 32 still open, the 33rd reset" \
	grep -qE "^ended open=32( reset=1)?$" "$tmp/hold"

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
# The holder looks at its connections when its stdin closes, after the
# kill: no sleep to race against a slow machine.
mkfifo "$tmp/go"
in_ns "$a" $CLIENT hold 3 127.0.0.1 3516 >"$tmp/hold2" <"$tmp/go" &
holder=$!
exec 7>"$tmp/go"
in_ns "$a" $CLIENT connect 127.0.0.1 3516 --read --ms --timeout 30 >"$tmp/one" &
waiter=$!
wait_for "$a" "port=3516 .*queued=4 " >/dev/null
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
check "held connections were reset" grep -q "ended reset=3" "$tmp/hold2"
check "a new pump registers after the old one died" start_pump "$a" "$tmp/pa3" --port 3516:2:2 --mode echo
expect "and serves again" "echo:back" "$(in_ns "$a" $CLIENT connect 127.0.0.1 3516 --send back)"
tap_end
