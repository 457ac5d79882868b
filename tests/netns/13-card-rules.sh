#!/usr/bin/env bash
# The card's access rules in the kernel: scws-bipd --policy reads the
# ARA-M before it registers, so a client loop racing the pump's start never
# gets through a card that denies everyone (even with a permissive policy
# loaded before); a STORE DATA rule change reaches the kernel without a
# restart; a malformed ARA-M answer keeps the policy; scwsctl policy load
# --from-card gives the same policy.  Then a card without ARA-M (scws-card
# --access-rules arf): its ARF rules reach the kernel, and so does a change.
cd "$(dirname "$0")/../.." && . tests/lib/tap.sh && . tests/lib/stack.sh
tap_begin 13
rmmod scws 2>/dev/null
insmod kmod/scws.ko
tmp=$(mktemp -d /tmp/cardrules.XXXXXX)
chmod 755 "$tmp"
TAP_CLEANUP_EXTRA="kill \$(cat $tmp/loop.pid 2>/dev/null) 2>/dev/null; stack_stop $tmp; rm -rf $tmp"
ns=$(netns_new cardrules)
AID=F0534357534757
ctl() { in_ns "$ns" "$SCWSCTL" "$@"; }

# rule AID HASH ACCESS: a STORE DATA "F0 {E2 ...}" in hex (AID "" = 4F 00).
rule() {
	python3 - "$@" <<'EOF'
import sys
def tlv(tag, v):
    t = tag.to_bytes((tag.bit_length() + 7) // 8, 'big')
    return t + bytes([len(v)]) + v
aid, h, acc = sys.argv[1:4]
ref = tlv(0x4F, bytes.fromhex(aid)) + tlv(0xC1, bytes.fromhex(h))
print(tlv(0xF0, tlv(0xE2, tlv(0xE1, ref) + tlv(0xE3, tlv(0xD0, bytes([int(acc)]))))).hex())
EOF
}
store() {
	local before
	before=$(grep -c "ARA-M inbox\|ARA-M: answers" "$tmp/card.log")
	printf '%s\n' "$@" >"$tmp/inbox"
	kill -USR2 "$(cat "$tmp/card.pid")"
	for _ in $(seq 100); do
		[ "$(grep -c "ARA-M inbox\|ARA-M: answers" "$tmp/card.log")" -ge $((before + $#)) ] && return 0
		sleep 0.05
	done
	return 1
}
mark() { stack_mark "$tmp"; }
since() { stack_since "$tmp" "$@"; }
code() { in_ns "$ns" curl -s -m 20 -o /dev/null -w '%{http_code}' http://127.0.0.1:3516/; }

stack_pcscd "$ns" "$tmp"
stack_card "$ns" "$tmp" --reset-state --content card-sim/content -v --aram-inbox "$tmp/inbox"
sleep 0.5
# The card: all SE applications, every device application: never.
check "the card's ARA-M denies everyone (4F 00, C1 00, never)" store "$(rule "" "" 0)"
# A permissive policy in force before the pump: what a race would use.
printf 'default allow\n' | ctl policy load - >/dev/null
printf 'default allow\nallow uid 0\n' >"$tmp/local.conf"

# A client loop races the pump's start.
: >"$tmp/race.log"
(
	for _ in $(seq 400); do
		in_ns "$ns" curl -s -m 2 -o /dev/null -w '%{http_code}\n' \
			http://127.0.0.1:3516/ >>"$tmp/race.log" 2>/dev/null
		[ -e "$tmp/stop" ] && break
		sleep 0.02
	done
) &
echo $! >"$tmp/loop.pid"
sleep 0.3
: >"$tmp/pump.log"
spawn "$ns" "$tmp/pump.log" "$tmp/pump.pid" env PCSCLITE_CSOCK_NAME="$tmp/run/pcscd.comm" \
	"$BIPD" --foreground -v --policy "$tmp/local.conf" --state-dir "$tmp/state" \
	--card-rules-poll-ms 300
check "the pump serves the card" stack_serving "$tmp"
# curl starts slowly under emulation (and more so on a debug kernel): let the
# loop make 3 more attempts once the pump serves, 60 s at most.
n=$(($(wc -l <"$tmp/race.log") + 3))
for _ in $(seq 600); do
	[ "$(wc -l <"$tmp/race.log")" -ge "$n" ] && break
	sleep 0.1
done
touch "$tmp/stop"
wait "$(cat "$tmp/loop.pid")" 2>/dev/null
tries=$(wc -l <"$tmp/race.log")
got=$(grep -c '^200' "$tmp/race.log")
echo "# client loop: $tries attempts, $got answered 200"
check "the loop ran across the pump's start ($tries attempts)" test "$tries" -ge 3
check "no connection got through before or after the card's rules (0 x 200)" test "$got" = 0
check "the card's rules were in force before the pump registered" \
	bash -c "grep -E 'card rules in force|registered with the scws module' '$tmp/pump.log' | head -n1 | grep -q 'card rules in force'"
check "scwsctl policy show: the card's deny all (marked card) before the local allow" \
	bash -c "ip netns exec '$ns' '$SCWSCTL' policy show 2>/dev/null | grep -v '^#' | tr '\n' '|' | grep -q 'deny all  # card|allow uid 0|'"

# A rule change reaches the kernel without a restart: the SCWS's own rule
# (every application, always) beats the all-SE-applications one.
m=$(mark)
store "$(rule $AID "" 1)"
since "$m" "card rules in force" >/dev/null
expect "STORE DATA allowing the SCWS: curl gets the page, no restart" 200 "$(code)"

# Malformed answers keep the policy in force.
m=$(mark)
store corrupt
check "a malformed ARA-M answer is refused" since "$m" "card rules refused"
expect "... and the policy stays: curl still gets the page" 200 "$(code)"

check "scwsctl policy load --from-card loads the same policy" \
	bash -c "ip netns exec '$ns' '$SCWSCTL' policy show >'$tmp/before' &&
		 ip netns exec '$ns' '$SCWSCTL' policy load --from-card --state-dir '$tmp/state' '$tmp/local.conf' &&
		 ip netns exec '$ns' '$SCWSCTL' policy show | cmp -s - '$tmp/before'"

# A card whose rules are in PKCS#15 files (ARF) only.
stack_kill "$tmp" pump
stack_kill "$tmp" card
stack_card "$ns" "$tmp" --reset-state --content card-sim/content -v --aram-inbox "$tmp/inbox" \
	--access-rules arf
sleep 0.5
store "$(rule "" "" 0)" >/dev/null
: >"$tmp/pump.log"
spawn "$ns" "$tmp/pump.log" "$tmp/pump.pid" env PCSCLITE_CSOCK_NAME="$tmp/run/pcscd.comm" \
	"$BIPD" --foreground -v --policy "$tmp/local.conf" --state-dir "$tmp/state" \
	--card-rules-poll-ms 300
stack_serving "$tmp" >/dev/null
check "ARF card: the pump reads the ARF; the kernel has its deny all (marked card)" \
	bash -c "grep -q 'card rules: read from the ARF (PKCS#15)' '$tmp/pump.log' &&
		 ip netns exec '$ns' '$SCWSCTL' policy show 2>/dev/null | grep -v '^#' | tr '\n' '|' | grep -q 'deny all  # card|allow uid 0|'"
check "... and curl does not get the page" bash -c "[ \"\$(ip netns exec '$ns' curl -s -m 5 -o /dev/null -w '%{http_code}' http://127.0.0.1:3516/)\" != 200 ]"
m=$(mark)
store "$(rule $AID "" 1)" >/dev/null
since "$m" "card rules in force" >/dev/null
expect "ARF card: a rule change (ACMain's refresh tag) reaches the kernel: 200" 200 "$(code)"
tap_end
