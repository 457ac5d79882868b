#!/usr/bin/env bash
# A test pump takes connections: bytes come back through it; one pump per
# namespace; only CAP_NET_ADMIN may be a pump.
cd "$(dirname "$0")/../.." && . tests/lib/tap.sh
tap_begin 12
ns=$(netns_new pump)
log=$(mktemp)
TAP_CLEANUP_EXTRA="rm -f $log"

check "test pump registers and sets ports" start_pump "$ns" "$log" --port 3516:4:4 --port 4116:2:2 --mode echo
check "status shows the pump's channels" wait_for "$ns" "port=3516 channels=4 capacity=4"
expect "echo over IPv4 through the pump" "echo:hello scws" "$(in_ns "$ns" $CLIENT connect 127.0.0.1 3516 --send 'hello scws')"
expect "echo over IPv6 through the pump" "echo:over v6" "$(in_ns "$ns" $CLIENT connect ::1 4116 --send 'over v6')"
check "pump saw the caller's pid, uid and exe" grep -qE "^conn id=[0-9]+ port=3516 peer=127\.0\.0\.1:[0-9]+ pid=[1-9][0-9]* uid=0 gid=0 .*exe=/[^ ]*python3" "$log"
check "handed_off counted" wait_for "$ns" "port=3516 .*handed_off=1"

expect "a second pump gets EBUSY" "register: EBUSY" \
	"$(in_ns "$ns" timeout 5 "$PUMP" --register-only 2>&1 | grep -o '^register: EBUSY')"
expect "nobody cannot register a pump (EPERM)" "register: EPERM" \
	"$(in_ns "$ns" setpriv --reuid=nobody --regid=nogroup --clear-groups timeout 5 "$PUMP" --register-only 2>&1 | grep -o '^register: EPERM')"
expect "nobody cannot claim (EPERM)" "claim: EPERM" \
	"$(in_ns "$ns" setpriv --reuid=nobody --regid=nogroup --clear-groups "$PUMP" --try-claim 1 2>&1 | grep -o '^claim: EPERM')"
check "nobody may read the status" in_ns "$ns" setpriv --reuid=nobody --regid=nogroup --clear-groups "$PUMP" --status

# The client closes first, the pump later: the client's TIME_WAIT answers the
# pump's FIN through the kernel's TCP control socket, a raw socket the hook
# must let through (else the pump's socket retransmits in LAST-ACK for ~100 s
# and pins the namespace).
ns2=$(netns_new close)
check "a hold-mode pump registers" start_pump "$ns2" "$log.2" --port 3516:2:2 --mode hold
in_ns "$ns2" $CLIENT hold 1 127.0.0.1 3516 --wait 0.2 >/dev/null
kill "$PUMP_PID"
wait "$PUMP_PID" 2>/dev/null
left=
for _ in $(seq 30); do
	left=$(in_ns "$ns2" ss -Htan state last-ack state fin-wait-1 state closing)
	[ -z "$left" ] && break
	sleep 0.1
done
expect "the pump's late FIN is acknowledged: nothing left in LAST-ACK" "" "$left"
tap_end
