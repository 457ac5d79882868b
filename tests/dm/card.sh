#!/usr/bin/env bash
# The card as provisioning master (issue 16, OMA DM Smart Card 5.4): the
# real pcscd (private) with vpcd, scws-card, scws-bipd in its --no-module
# TEST TOOLING mode (listening on 127.0.0.1 itself), and scws-dmc given a
# DMAcc with the card's identity, running sessions against the card's
# /dm through the pump.  The tree gets the card's provisioning set, the
# card records the per-item results, wrong client credentials and
# malformed SyncML are refused with nothing changed, and everything
# survives a restart of the card.  scws-dmc and the pump run under
# ASan/UBSan.  TAP on stdout; "dmcard PASSED FAILED SKIPPED" is appended
# to $SCWS_COUNTS.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
TOP=$PWD
OUT=$TOP/build/dmcard
PUMP=$OUT/scws-bipd
CARD=$OUT/scws-card
DMC=$OUT/scws-dmc
PLAN=29

TAP_NAME=dmcard TAP_WHAT="dmcard"
. tests/lib/host-tap.sh
. tests/bipd/lib.sh

echo "TAP version 13"
need_pcscd curl python3 ss sha256sum
pkg-config --exists libpcsclite libnl-genl-3.0 libxml-2.0 libcurl libcrypto ||
	skip_all "libpcsclite, libnl-genl-3, libxml2, libcurl or libcrypto headers missing"
echo "1..$PLAN"
mkdir -p "$OUT"

if build_bipd "$PUMP" && build_card "$CARD" && build_dmc "$DMC"; then
	ok "build scws-bipd, scws-dmc (ASan, UBSan) and scws-card"
else
	not_ok "build scws-bipd, scws-dmc (ASan, UBSan) and scws-card"
	skip_rest "build failed"
	counts
	exit 1
fi

TMP=$(mktemp -d /tmp/scws-dmcard-test.XXXXXX)
PCSCD_PID="" CARD_PID="" PUMP_PID="" LISTEN_PID=""
trap 'stop_and_clean "$LISTEN_PID" "$PUMP_PID" "$CARD_PID" "$PCSCD_PID"' EXIT

. tests/lib/pcscd.sh
VPCD_PORT=$(free_port)
HTTP_PORT=$(free_port)
HTTPS_PORT=$(free_port)
while [ "$HTTPS_PORT" = "$HTTP_PORT" ] || [ "$HTTPS_PORT" = "$VPCD_PORT" ]; do
	HTTPS_PORT=$(free_port)
done
HTTP=http://127.0.0.1:$HTTP_PORT
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=halt_on_error=1

# The card's DM account, as card-sim/dm/dm_identity.c personalises it.
SID=scws-card
TREE=$TMP/tree.xml
DEVID=IMEI:004999010640001
dmc() { "$DMC" -t "$TREE" "$@"; }
status() { curl -s -m 20 "$HTTP/dm/status"; }
# card_up ARGS...: the card (with ARGS) serving through the pump again.
card_up() {
	local m
	m=$(mark)
	spawn_card --content card-sim/content -v "$@"
	since "$m" "port 3516: 2 channels"
}
card_down() {
	local m
	m=$(mark)
	stop_card
	since "$m" "card lost" >/dev/null
}
# bootstrap TREE SECRET: a tree with the card's DMAcc, client secret SECRET,
# and the card's first server nonce (as its bootstrap file gives it).
bootstrap() {
	"$DMC" -t "$1" init --devid "$DEVID" --mod scws-gw-test >/dev/null &&
		"$DMC" -t "$1" bootstrap --server-id "$SID" --addr "$HTTP/dm" \
			--client-name scws-dmc --client-secret "$2" --server-name "$SID" \
			--server-secret card-server-secret \
			--server-nonce "$(printf card-server-nonce-0 | base64)"
}
state_sum() { sha256sum "$TMP/card.state" | cut -d' ' -f1; }

check "private pcscd starts" pcscd_start "$TMP" "$VPCD_PORT" "SCWS dmcard test"
"$PUMP" --foreground -v --linger-ms 100 --dm-socket "$TMP/dm.sock" \
	--no-module "3516=$HTTP_PORT,4116=$HTTPS_PORT" >"$TMP/pump.log" 2>&1 &
PUMP_PID=$!
wait_log "waiting for a card" 1 >/dev/null
check "the card comes up behind the pump" card_up --reset-state

status >"$TMP/status0"
check "GET /dm/status: the default set, 15 items pending, no session yet" \
	bash -c "grep -q '^provisioning: 15 items, 0 delivered, 15 pending' '$TMP/status0' &&
		 grep -A1 '^last session:' '$TMP/status0' | grep -q none"

# --- wrong client secret first: refused, nothing provisioned -----------------
bootstrap "$TMP/bad.xml" not-the-card-secret 2>"$TMP/err"
bootstrap "$TREE" card-client-secret 2>>"$TMP/err"
check "scws-dmc bootstrap takes the card's account" \
	test "$(dmc get "./DMAcc/$SID/AppAddr/1/Addr")" = "$HTTP/dm"
"$DMC" -t "$TMP/bad.xml" session --server-id "$SID" 2>"$TMP/bad.err"
rc=$?
check "wrong client secret: the card refuses (401 twice), the session fails" \
	bash -c "[ $rc -eq 1 ] && grep -q 'refused our credentials again' '$TMP/bad.err'"
check "... nothing provisioned in that tree" \
	bash -c "! '$DMC' -t '$TMP/bad.xml' get ./DMAcc/operator >/dev/null 2>&1"
status >"$TMP/status1"
check "... the card records the refusal and still has 15 items pending" \
	bash -c "grep -q 'outcome=refused: client credentials (401)' '$TMP/status1' &&
		 grep -q '15 pending' '$TMP/status1'"

# --- malformed SyncML: a clear error, the card state unchanged ---------------
before=$(state_sum)
code=$(curl -s -m 20 -o "$TMP/bad.html" -w '%{http_code}' -X POST \
	-H 'Content-Type: application/vnd.syncml.dm+xml' --data-binary '<SyncML><SyncHdr>' "$HTTP/dm")
check "malformed SyncML POST: 400 naming the problem ($code)" \
	bash -c "[ '$code' = 400 ] && grep -q 'malformed SyncML DM message: malformed XML' '$TMP/bad.html'"
code=$(curl -s -m 20 -o "$TMP/bad2.html" -w '%{http_code}' -X POST \
	-H 'Content-Type: application/vnd.syncml.dm+xml' --data-binary \
	'<SyncML><SyncHdr><VerDTD>1.1</VerDTD></SyncHdr><SyncBody/></SyncML>' "$HTTP/dm")
check "SyncML of another version: 400 ($code)" \
	bash -c "[ '$code' = 400 ] && grep -q 'VerDTD is not 1.2' '$TMP/bad2.html'"
code=$(curl -s -m 20 -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: text/xml' \
	--data-binary '<SyncML/>' "$HTTP/dm")
check "another Content-Type: 415 ($code)" test "$code" = 415
code=$(curl -s -m 20 -o /dev/null -w '%{http_code}' "$HTTP/dm")
check "GET /dm: 405 ($code)" test "$code" = 405
check "the card state file is byte for byte unchanged" test "$(state_sum)" = "$before"

# --- a client-initiated session through the pump provisions the tree ---------
dmc session --server-id "$SID" 2>"$TMP/s1.err"
rc=$?
check "scws-dmc session against the card's /dm succeeds (after the nonce challenge)" \
	test "$rc" -eq 0
check "the tree holds the card's DMAcc for the operator's DM server" \
	bash -c "[ \"\$('$DMC' -t '$TREE' get ./DMAcc/operator/ServerID)\" = operator-dms ] &&
		 [ \"\$('$DMC' -t '$TREE' get ./DMAcc/operator/AppAddr/1/Addr)\" = https://dm.operator.example/dm ] &&
		 [ \"\$('$DMC' -t '$TREE' get ./DMAcc/operator/AppAuth/2/AAuthLevel)\" = SRVCRED ]"
status >"$TMP/status2"
check "the card's status page: 15 delivered, each Add reported 200" \
	bash -c "grep -q '15 delivered, 0 pending' '$TMP/status2' &&
		 [ \$(grep -cP '^  Add\t\./DMAcc/operator\S*\t200$' '$TMP/status2') -eq 15 ]"
check "... and the Get of ./DevInfo/Mod with the client's value" \
	grep -qP '^  Get\t\./DevInfo/Mod\t200\tscws-gw-test$' "$TMP/status2"
check "the status page shows no secret" \
	bash -c "! grep -qE 'secret|AAuthData' '$TMP/status2'"
cnonce=$(dmc get "./DMAcc/$SID/AppAuth/1/AAuthData")
snonce=$(dmc get "./DMAcc/$SID/AppAuth/2/AAuthData")
check "both nonces moved on (client: from the card's 212, card: from the client's)" \
	bash -c "[ -n '$cnonce' ] && [ -n '$snonce' ] && [ '$cnonce' != '$snonce' ]"

# --- the card restarts: results and nonces survive ---------------------------
card_down
card_up
status >"$TMP/status-restart"
check "after a card restart the status page keeps the results" \
	grep -qP '^  Add\t\./DMAcc/operator/ServerID\t200$' "$TMP/status-restart"
refusals=$(grep -c 'client credentials' "$TMP/card.log")
dmc session --server-id "$SID" 2>"$TMP/s2.err"
rc=$?
status >"$TMP/status3"
check "a second session with the stored nonces: accepted at once, nothing re-sent" \
	bash -c "[ $rc -eq 0 ] && [ \$(grep -c 'client credentials' '$TMP/card.log') -eq $refusals ] &&
		 ! grep -qP '^  Add\t' '$TMP/status3' && grep -qP '^  Get\t\./DevInfo/Mod\t200' '$TMP/status3'"
check "the tree still holds the provisioned nodes" \
	test "$(dmc get ./DMAcc/operator/Name)" = "Operator DM server"

# --- a new provisioning set: per-item results, a refused item stays pending --
printf '%s\n' \
	"./DMAcc/second	node		" \
	"./DMAcc/second/ServerID	chr	text/plain	second-dms" \
	"./Con/internet	node		" \
	"./Con/internet/Addr	chr	text/plain	apn.example" >"$TMP/prov.txt"
card_down
card_up --dm-provision "$TMP/prov.txt"
dmc session --server-id "$SID" 2>"$TMP/s3.err"
rc=$?
status >"$TMP/status4"
check "a session with the new set: the allowed items are provisioned" \
	bash -c "[ $rc -eq 0 ] && [ \"\$('$DMC' -t '$TREE' get ./DMAcc/second/ServerID)\" = second-dms ]"
check "the client's 425 for ./Con (root ACL) is recorded per item" \
	bash -c "grep -qP '^  Add\t\./Con/internet\t425$' '$TMP/status4' &&
		 grep -qP '^  Add\t\./DMAcc/second/ServerID\t200$' '$TMP/status4'"
check "... and those items stay pending" \
	grep -q '^provisioning: 4 items, 2 delivered, 2 pending' "$TMP/status4"

# --- DM-SC-1: the card asks for the session itself --------------------------
# A set with new items; the DM client registers with the pump's DM_SC
# Gateway, the terminal tells the card, the card sends package #0 through
# the pump and the client calls the card's /dm back.
printf '%s\n' \
	"./DMAcc/third	node		" \
	"./DMAcc/third/ServerID	chr	text/plain	third-dms" >"$TMP/prov2.txt"
card_down
card_up --dm-provision "$TMP/prov2.txt"
"$DMC" -t "$TREE" -v listen --socket "$TMP/dm.sock" >"$TMP/listen.err" 2>&1 &
LISTEN_PID=$!
notified() {
	local i
	for i in $(seq 200); do
		status | grep -q 'started-by=notification' && return 0
		sleep 0.1
	done
	return 1
}
check "the DM client registers: the card's package #0 starts a session (Alert 1200)" notified
status >"$TMP/status5"
check "... which provisions the new items" \
	bash -c "[ \"\$('$DMC' -t '$TREE' get ./DMAcc/third/ServerID)\" = third-dms ] &&
		 grep -q '^provisioning: 2 items, 2 delivered, 0 pending' '$TMP/status5' &&
		 grep -q 'alert=1200' '$TMP/status5'"
check "... and the card knows its notification left (state=sent)" \
	grep -q '^  state=sent' "$TMP/status5"
stop_pid "$LISTEN_PID"
LISTEN_PID=""

card_down
check "no sanitizer report from the pump or scws-dmc" \
	bash -c "! grep -q Sanitizer '$TMP/pump.log' '$TMP'/*.err"
[ "$FAIL" -gt 0 ] && tail -n 30 "$TMP/card.log" "$TMP/pump.log" | sed 's/^/# /'
counts
[ "$FAIL" -eq 0 ]
