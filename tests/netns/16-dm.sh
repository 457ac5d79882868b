#!/usr/bin/env bash
# OMA DM Smart Card end to end with every real part: scws.ko in the path,
# pcscd + vpcd, scws-card (its DM server at /dm, its bootstrap file),
# scws-bipd (DM_SC Gateway, APDU access service) and scws-dmc.  The client
# bootstraps from the card, registers with the gateway; the card's
# package #0 starts a session that reaches the card's /dm through the
# gateway (so the ACP decides); the provisioned data survive a restart.
# A caller the ACP denies gets nothing, and leaves nothing changed.
cd "$(dirname "$0")/../.." && . tests/lib/tap.sh && . tests/lib/stack.sh
tap_begin 13
tmp=$(mktemp -d /tmp/dm.XXXXXX)
chmod 755 "$tmp"
TAP_CLEANUP_EXTRA="stack_stop $tmp; rm -rf $tmp"
ns=$(netns_new dm)
DMC=$BUILD/scws-dmc
TREE=$tmp/tree.xml

dmc() { in_ns "$ns" env SCWS_SE_SOCKET="$tmp/se.sock" "$DMC" -t "$TREE" "$@"; }
status() { in_ns "$ns" curl -s -m 10 http://127.0.0.1:3516/dm/status; }
# waitfor CMD...: until CMD succeeds, 60 s at most.
waitfor() {
	local i
	for i in $(seq 600); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

mkdir -p "$tmp/s"
# The admin's APDU rules: scws-dmc may read the card's PKCS#15 application
# (the bootstrap file holds the account's secrets), nobody else.
P15=A000000063504B43532D3135
printf '%s\n' "allow $P15 exe $DMC apdu 00A40000/FFFFFF00 apdu 00B00000/FFFF8000" \
	"deny  $P15" >"$tmp/se-rules"
stack_pcscd "$ns" "$tmp/s"
stack_card "$ns" "$tmp/s" --content card-sim/content -v
: >"$tmp/s/pump.log"
spawn "$ns" "$tmp/s/pump.log" "$tmp/s/pump.pid" env PCSCLITE_CSOCK_NAME="$tmp/s/run/pcscd.comm" \
	"$BIPD" --foreground -v --dm-socket "$tmp/dm.sock" --se-socket "$tmp/se.sock" \
	--se-rules "$tmp/se-rules" --se-trust-dir "$tmp/no-such-dir"
check "the stack serves, with the DM_SC Gateway and the APDU access service" stack_serving "$tmp/s"
printf '%s\n' "default deny" "allow uid 0" >"$tmp/acp.conf"
check "ACP: default deny, root allowed" in_ns "$ns" "$SCWSCTL" policy load "$tmp/acp.conf"

check "scws-dmc makes its tree" dmc init --devid IMEI:004999010640016 --mod scws-vm
check "scws-dmc bootstraps from the card's file through the APDU access service" \
	dmc bootstrap --from-card --se-socket "$tmp/se.sock"
check "the bootstrap gave the card's account" \
	test "$(dmc get ./DMAcc/scws-card/AppAddr/1/Addr 2>/dev/null)" = http://127.0.0.1:3516/dm
status >"$tmp/status0"
check "the card's /dm/status through the gateway: items pending, no session" \
	grep -q 'pending' "$tmp/status0"

# A caller the ACP refuses: the connection never reaches the card.
cp "$TREE" "$tmp/tree1002.xml"
chown 1002:1002 "$tmp/tree1002.xml"
in_ns "$ns" setpriv --reuid=1002 --regid=1002 --clear-groups \
	"$DMC" -t "$tmp/tree1002.xml" session --server-id scws-card >"$tmp/deny.out" 2>&1
rc=$?
check "uid 1002's session is refused by the ACP (exit $rc)" test "$rc" -ne 0
check "and the card saw no session" cmp -s "$tmp/status0" <(status)

# DM-SC-2 then DM-SC-1: the client registers, the card sends package #0,
# the client calls the card's /dm back through the gateway.
in_ns "$ns" env SCWS_SE_SOCKET="$tmp/se.sock" "$DMC" -t "$TREE" -v listen \
	--socket "$tmp/dm.sock" >"$tmp/listen.log" 2>&1 &
listen=$!
check "scws-dmc listen registers with the gateway" \
	waitfor grep -qi "registered" "$tmp/listen.log"
notified() { status | grep -q 'started-by=notification'; }
check "the card's notification started a session through the gateway" waitfor notified
check "the session provisioned the card's data" \
	test "$(dmc get ./DMAcc/operator/ServerID 2>/dev/null)" = operator-dms
status >"$tmp/status1"
check "the card recorded the client's results: nothing pending" \
	grep -q ' 0 pending' "$tmp/status1"
kill "$listen"
wait "$listen" 2>/dev/null
check "after a restart of the client the tree still holds the data" \
	test "$(in_ns "$ns" "$DMC" -t "$TREE" get ./DMAcc/operator/ServerID 2>/dev/null)" = operator-dms
[ "$TAP_FAIL" -gt 0 ] && {
	sed 's/^/# status: /' "$tmp/status1" 2>/dev/null
	tail -n 15 "$tmp/listen.log" | sed 's/^/# listen: /'
	tail -n 20 "$tmp/s/pump.log" | sed 's/^/# pump: /'
	tail -n 20 "$tmp/s/card.log" | sed 's/^/# card: /'
}
stack_stop "$tmp/s"
tap_end
