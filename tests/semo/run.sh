#!/usr/bin/env bash
# The second secure element and the SE management object, end to end on
# the host: a private pcscd with vpcd's two readers, scws-card as the
# UICC (slot 0) and as a GlobalPlatform eSE (--role ese, slot 1),
# scws-bipd --se-socket --ese-reader, scwsctl se, scws-dmc (ASan, UBSan)
# and the test DM server (TEST TOOLING).  Checks GET STATUS, the
# INSTALL/LOAD/INSTALL/DELETE round trip with its status words, the
# access decision on an SE without rules, SEMO Exec (success, a failing
# APDU mid-script, a missing SE), the Generic Alert in the next session,
# and the eSE going away and coming back.  TAP on stdout; "semo PASSED
# FAILED SKIPPED" is appended to $SCWS_COUNTS.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
TOP=$PWD
OUT=$TOP/build/semo-host
PUMP=$OUT/scws-bipd
CARD=$OUT/scws-card
DMC=$OUT/scws-dmc
DMS="python3 $TOP/tests/dm/scws-test-dms.py"
CTL=${SCWS_BUILD:-$PWD/build}/scwsctl
PLAN=47

TAP_NAME=semo TAP_WHAT="SEMO / eSE"
. tests/lib/host-tap.sh
. tests/bipd/lib.sh

echo "TAP version 13"
need_pcscd python3 ss
pkg-config --exists libpcsclite libnl-genl-3.0 libxml-2.0 libcurl ||
	skip_all "libpcsclite, libnl-genl-3, libxml2 or libcurl headers missing"

echo "1..$PLAN"
mkdir -p "$OUT"
[ -x "$CTL" ] || make -s "$CTL" >/dev/null 2>&1
build_dmc() {
	# shellcheck disable=SC2046
	cc -std=c11 -Wall -Wextra -D_GNU_SOURCE -O1 -g -fsanitize=address,undefined \
		-fno-omit-frame-pointer -Itools/lib $(pkg-config --cflags libxml-2.0 libcurl) \
		-o "$DMC" tools/scws-dmc/*.c tools/lib/dmsc-msg.c tools/lib/scws-se.c tools/lib/se-proto.c \
		tools/lib/arf-rules.c tools/lib/seac-rules.c tools/lib/ber.c \
		$(pkg-config --libs libxml-2.0 libcurl libcrypto)
}
if build_bipd "$PUMP" && build_card "$CARD" && build_dmc && [ -x "$CTL" ]; then
	ok "build scws-bipd, scws-dmc (ASan, UBSan), scws-card; scwsctl from make"
else
	not_ok "build scws-bipd, scws-dmc, scws-card, scwsctl"
	skip_rest "build failed"
	counts
	exit 1
fi

TMP=$(mktemp -d /tmp/scws-semo-test.XXXXXX)
chmod 755 "$TMP"
PCSCD_PID="" CARD_PID="" ESE_PID="" PUMP_PID="" SRV_PID=""
cleanup() {
	stop_and_clean "$SRV_PID" "$PUMP_PID" "$ESE_PID" "$CARD_PID" "$PCSCD_PID"
	counts
}
trap cleanup EXIT

. tests/lib/pcscd.sh
VPCD_PORT=$(free_port)
HTTP_PORT=$(free_port)
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=halt_on_error=1
SOCK=$TMP/se.sock
export SCWS_SE_SOCKET=$SOCK
ISD=A000000151000000
PKG=A0000000AA000001 MOD=A0000000AA00000101 APP=A0000000AA0000010101
PKG2=A0000000AB000001 MOD2=A0000000AB00000101 APP2=A0000000AB0000010101

start_ese() {
	"$CARD" --role ese --gp-clear-text -vv --vpcd "127.0.0.1:$((VPCD_PORT + 1))" \
		--state "$TMP/ese.state" "$@" >>"$TMP/ese.log" 2>&1 &
	ESE_PID=$!
}
# se ARGS...: scwsctl se on the eSE, stdout and stderr to $TMP/out, err
se() { "$CTL" se -s "$SOCK" -r eSE1 "$@" >"$TMP/out" 2>"$TMP/err"; }
# loadfile PKG MOD: the hex of a load file (C4: CAP Header and Applet
# components) for package PKG with one applet MOD
loadfile() {
	python3 - "$1" "$2" <<'PY'
import sys
pkg, mod = bytes.fromhex(sys.argv[1]), bytes.fromhex(sys.argv[2])
hdr = bytes.fromhex("DECAFFED010200010000")[:9] + bytes([len(pkg)]) + pkg
app = bytes([1, len(mod)]) + mod + b"\x00\x10"
body = b"\x01" + len(hdr).to_bytes(2, "big") + hdr + b"\x03" + len(app).to_bytes(2, "big") + app
print((b"\xC4" + bytes([len(body)]) + body).hex().upper())
PY
}
lc() { printf '%02X' $((${#1} / 2)); }
# The GP commands of an install, one C-APDU a line
install_apdus() { # PKG MOD APP
	local lf for_load inst
	lf=$(loadfile "$1" "$2")
	for_load="$(lc "$1")$1"00000000
	inst="$(lc "$1")$1$(lc "$2")$2$(lc "$3")${3}010002C90000"
	echo "80E60200$(lc "$for_load")$for_load"
	echo "80E80000$(lc "${lf:0:40}")${lf:0:40}"
	echo "80E88001$(lc "${lf:40}")${lf:40}"
	echo "80E60C00$(lc "$inst")$inst"
}

check "private pcscd starts (vpcd, two readers)" pcscd_start "$TMP" "$VPCD_PORT" "SCWS SEMO test"
spawn_card --reset-state --content card-sim/content
start_ese --reset-state
check "the eSE role is up on the second slot, without BIP or web server" \
	bash -c "sleep 0.5; grep -q 'eSE ready: vpcd 127.0.0.1:$((VPCD_PORT + 1))' '$TMP/ese.log' &&
		! grep -qi 'channel\|http' '$TMP/ese.log'"
printf 'allow * exe %s\nallow * exe %s\n' "$CTL" "$DMC" >"$TMP/se-rules"
"$PUMP" --foreground -v --no-module "3516=$HTTP_PORT" --se-socket "$SOCK" \
	--se-rules "$TMP/se-rules" --se-trust-dir "$TMP/no-such-dir" \
	--ese-reader "SEMO test 00 01" >"$TMP/pump.log" 2>&1 &
PUMP_PID=$!
waitfor "$TMP/pump.log" "APDU access service on" 1 400
waitfor "$TMP/pump.log" "port 3516: 2 channels" 1 400

"$CTL" se -s "$SOCK" list >"$TMP/out" 2>"$TMP/err"
check "se list: SIM1 and eSE1, both with a card" \
	diff -u <(printf 'SIM1 present\neSE1 present\n') "$TMP/out"
check "the eSE is reached by its own shared connection" \
	grep -q "eSE 'SCWS SEMO test 00 01' connected (shared" "$TMP/pump.log"

# --- GlobalPlatform through scwsctl se -----------------------------------
se exec "$ISD" 80F28002024F00 80F24002024F00 80F22002024F00
check "GET STATUS: the ISD (9F70 0F, C5 9EFE80); no applications, no load files (6A88)" \
	diff -u <(printf '6F108408%sA5039F6501FF9000\nE3134F08%s9F70010FC5039EFE809000\n6A88\n6A88\n' "$ISD" "$ISD") "$TMP/out"
mapfile -t INST < <(install_apdus "$PKG" "$MOD" "$APP")
se exec "$ISD" "${INST[@]}" 80F24002024F00 80F21002024F00
check "INSTALL [for load], LOAD x2, INSTALL [for install and make selectable]: 00 9000, 9000, 00 9000, 00 9000" \
	diff -u <(printf '%s\n' 009000 9000 009000 009000) <(sed -n 2,5p "$TMP/out")
check "GET STATUS lists the application (07, its load file in C4, the ISD in CC)" \
	grep -qx "E3294F0A${APP}9F700107C503000000C408${PKG}CC08${ISD}9000" "$TMP/out"
check "... and the load file with its module (84)" \
	grep -qx "E3234F08${PKG}9F700101CC08${ISD}8409${MOD}9000" "$TMP/out"
se exec "$APP" 8001000003CAFEBA
check "the new applet is selectable on a logical channel and echoes" \
	diff -u <(printf '6F0C840A%s9000\nCAFEBA9000\n' "$APP") "$TMP/out"
se exec "$ISD" "${INST[0]}" "${INST[3]}" \
	"80E60C002408${PKG2}09${MOD2}0A${APP2}010002C90000" \
	80E400000A4F08${PKG} 80E40000034F01AA 80E400000A4F08${ISD} 80F2800200 80E8800001C4
check "refused with GP's status words: 6A80 (AID taken), 6A80, 6A88 (no load file), 6985 (in use), 6A80, 6985 (the ISD), 6A80, 6985 (LOAD without INSTALL)" \
	diff -u <(printf '%s\n' 6A80 6A80 6A88 6985 6A80 6985 6A80 6985) <(sed -n '2,$p' "$TMP/out")
se exec "$ISD" 80E400800A4F08${PKG} 80F24002024F00 80E400000A4F08${PKG}
check "DELETE P2 80 removes the load file with its application; then 6A88" \
	diff -u <(printf '%s\n' 009000 6A88 6A88) <(sed -n '2,$p' "$TMP/out")
cp "$CTL" "$TMP/other-app"
"$TMP/other-app" se -s "$SOCK" -r eSE1 open "$ISD" >"$TMP/out" 2>"$TMP/err"
check "a program no local rule names is denied on the eSE (it has no access rules)" \
	grep -q "eSE has no access rules and no local rule allows it" "$TMP/err"
"$CTL" se -s "$SOCK" -r eSE9 open "$ISD" >"$TMP/out" 2>"$TMP/err"
check "an SE that is not there: no such reader" grep -q "no reader 'eSE9'" "$TMP/err"

# --- ./SEMO through scws-dmc and the test DM server -----------------------
TREE=$TMP/tree.xml
SID=scws-test-dms
dmc() { "$DMC" -t "$TREE" "$@"; }
stop_server() { stop_pid "$SRV_PID"; SRV_PID=""; }
PORT=0
start_server() {
	stop_server
	rm -f "$TMP/port" "$TMP/log.jsonl"
	touch "$TMP/log.jsonl"
	$DMS serve --state "$TMP/state.json" --script "$1" --log "$TMP/log.jsonl" \
		--port "$PORT" --port-file "$TMP/port" 2>>"$TMP/server.err" &
	SRV_PID=$!
	for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
	PORT=$(cat "$TMP/port" 2>/dev/null)
}
status_of() {
	python3 -c "
import json, sys
for l in open('$TMP/log.jsonl'):
    for s in json.loads(l).get('status', []):
        if s['cmd'] == sys.argv[1] and s['target'] == sys.argv[2]:
            print(s['code'])" "$1" "$2"
}
log_has() {
	python3 -c "
import json, sys
for l in open('$TMP/log.jsonl'):
    e = json.loads(l)
    if $1:
        sys.exit(0)
sys.exit(1)"
}
# semo_json FILE NODE SE SCRIPT [GET...]: a server script that Adds the
# node's SEName, Script and Operations/Execute, Execs it, Gets the rest
semo_json() {
	python3 - "$@" <<'PY'
import json, sys
import base64, os
f, node, se, script, gets = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
b = "./SEMO/" + node
fmt = os.environ.get("SCRIPT_FORMAT", "chr")
if fmt == "b64":
    script = base64.b64encode(script.encode()).decode()
cmds = [{"cmd": "Add", "target": b + "/SEName", "format": "chr", "data": se},
        {"cmd": "Add", "target": b + "/Script", "format": fmt, "data": script},
        {"cmd": "Add", "target": b + "/Operations/Execute", "format": "chr", "data": ""},
        {"cmd": "Exec", "target": b + "/Operations/Execute"}]
cmds += [{"cmd": "Get", "target": b + "/" + g} for g in gets]
json.dump([cmds], open(f, "w"))
PY
}
result() { dmc get "./SEMO/$1/Results/$2/$3"; }

SN=$(head -c 16 /dev/urandom | base64)
CN=$(head -c 16 /dev/urandom | base64)
cat >"$TMP/state.json" <<JSON
{"server_id": "$SID", "server_name": "$SID", "server_secret": "server-secret",
 "server_nonce": "$SN", "client_name": "gw-1", "client_secret": "client-secret",
 "client_nonce": "$CN"}
JSON
SCRIPT="# install the echo applet, then use it
aid $ISD
$(install_apdus "$PKG2" "$MOD2" "$APP2" | sed -n 1,2p)
$(install_apdus "$PKG2" "$MOD2" "$APP2" | sed -n 3p) 9000
$(install_apdus "$PKG2" "$MOD2" "$APP2" | sed -n 4p)
aid $APP2
8001000004C0FFEE0100
"
semo_json "$TMP/ok.json" inst eSE1 "$SCRIPT" Results Results/7/RAPDU Status
start_server "$TMP/ok.json"
dmc init --devid IMEI:004999010640001 >/dev/null 2>"$TMP/err"
dmc bootstrap --server-id "$SID" --addr "http://127.0.0.1:$PORT/dm" \
	--client-name gw-1 --client-secret client-secret --server-name "$SID" \
	--server-secret server-secret --server-nonce "$SN" --client-nonce "$CN" 2>>"$TMP/err"
check "a new tree has ./SEMO, where a server may Add" \
	bash -c "'$DMC' -t '$TREE' get ./SEMO >/dev/null"
dmc session --server-id "$SID" 2>"$TMP/dmc.err"
check "the session with the SEMO Exec ends well" test $? -eq 0
check "the server's Adds of SEName, Script, Operations/Execute: 200" \
	test "$(status_of Add ./SEMO/inst/Script)$(status_of Add ./SEMO/inst/Operations/Execute)" = 200200
check "Exec of a script that installs and selects an applet: 200" \
	test "$(status_of Exec ./SEMO/inst/Operations/Execute)" = 200
check "Results lists all 7 steps (SELECT ISD, 4 GP commands, SELECT applet, ECHO)" \
	log_has "{'uri': './SEMO/inst/Results', 'data': '1/2/3/4/5/6/7'} in e['results']"
check "the ECHO's RAPDU comes back in the server's Get" \
	log_has "{'uri': './SEMO/inst/Results/7/RAPDU', 'data': 'C0FFEE01'} in e['results']"
check "Status: Succeeded" log_has "{'uri': './SEMO/inst/Status', 'data': 'Succeeded'} in e['results']"
check "each step's CAPDU and SW are recorded (step 6: the SELECT of the applet)" \
	test "$(result inst 6 CAPDU) $(result inst 6 SW) $(result inst 4 SW) $(result inst 4 RAPDU)" = \
	"00A404000A${APP2}00 9000 9000 00"
se exec "$ISD" 80F240020C4F0A${APP2}
check "the applet installed by SEMO is on the eSE (GET STATUS with its AID)" \
	grep -q "^E3294F0A${APP2}9F700107" "$TMP/out"

# a failing APDU mid-script: the rest is not sent
FAIL_SCRIPT="aid $ISD
80F28002024F00
80E400000A4F08A0000000CC000001
80E602000D08A0000000DD00000100000000
80F22002024F00"
semo_json "$TMP/fail.json" bad eSE1 "$FAIL_SCRIPT" Results Status
start_server "$TMP/fail.json"
sent_before=$(grep -c "eSE C-APDU" "$TMP/ese.log")
dmc session --server-id "$SID" 2>"$TMP/dmc.err"
check "the next session's package 1 carries the report: Generic Alert 1226, type urn:oma:at:semo:1.0:exec, source the Execute node, data 200" \
	log_has "e['msgid'] == '1' and '1226' in e['alerts'] and e['generic'] == [{'source': './SEMO/inst/Operations/Execute', 'type': 'urn:oma:at:semo:1.0:exec', 'format': 'chr', 'data': '200'}]"
check "Exec with a failing APDU (DELETE of an unknown AID): 500" \
	test "$(status_of Exec ./SEMO/bad/Operations/Execute)" = 500
stops_at_3() {
	log_has "{'uri': './SEMO/bad/Results', 'data': '1/2/3'} in e['results']" &&
		test "$(result bad 3 SW)" = 6A88
}
check "the results stop at the failing step: SELECT, GET STATUS, DELETE 6A88" stops_at_3
check "Status says which step and which SW" \
	log_has "{'uri': './SEMO/bad/Status', 'data': 'Failed: step 3 (line 3): SW 6A88, expected 9000'} in e['results']"
check "the steps after it were not sent: 5 APDUs reached the eSE (open, SELECT, 2 steps, close)" \
	test $(($(grep -c "eSE C-APDU" "$TMP/ese.log") - sent_before)) -eq 5
se exec "$ISD" 80F22002084F06A0000000DD00
check "... no INSTALL [for load] of the step after: its load file is unknown (6A88)" \
	bash -c "grep -qx 6A88 '$TMP/out' && ! grep -q 'E6 02 00 0D 08 A0 00 00 00 DD' '$TMP/ese.log'"

# an SE that is not there: 404, Results unchanged
before=$(dmc get ./SEMO/inst/Results; result inst 7 RAPDU)
cat >"$TMP/missing.json" <<'JSON'
[[{"cmd": "Replace", "target": "./SEMO/inst/SEName", "data": "eSE9"},
  {"cmd": "Exec", "target": "./SEMO/inst/Operations/Execute"},
  {"cmd": "Get", "target": "./SEMO/inst/Status"}]]
JSON
start_server "$TMP/missing.json"
dmc session --server-id "$SID" 2>"$TMP/dmc.err"
check "the report of the failed script follows in the session after: data 500" \
	log_has "e['generic'] == [{'source': './SEMO/bad/Operations/Execute', 'type': 'urn:oma:at:semo:1.0:exec', 'format': 'chr', 'data': '500'}]"
check "Exec on a missing SE (eSE9): 404" \
	test "$(status_of Exec ./SEMO/inst/Operations/Execute)" = 404
after=$(dmc get ./SEMO/inst/Results; result inst 7 RAPDU)
check "... Status says why (and stderr)" \
	test "$(dmc get ./SEMO/inst/Status)" = "Failed: no SE 'eSE9' on this device" -a \
	"$(grep -c "no SE 'eSE9' on this device" "$TMP/dmc.err")" = 1
check "... the Results are unchanged" test "$after" = "$before" -a -n "$before"

# a malformed script: 400, nothing sent
BAD_SCRIPT="80F28002024F00"
semo_json "$TMP/badscript.json" nope eSE1 "$BAD_SCRIPT" Status
start_server "$TMP/badscript.json"
sent_before=$(grep -c "eSE C-APDU" "$TMP/ese.log")
dmc session --server-id "$SID" 2>"$TMP/dmc.err"
check "a script that does not start with 'aid': 400, nothing sent" \
	bash -c "test \"\$(python3 -c \"
import json
for l in open('$TMP/log.jsonl'):
    for s in json.loads(l)['status']:
        if s['cmd'] == 'Exec': print(s['code'])\")\" = 400 &&
		test $(grep -c 'eSE C-APDU' "$TMP/ese.log") -eq $sent_before"

# SEMO on the UICC: its test applet
semo_json "$TMP/sim.json" sim SIM1 "aid F05343575354455354; 8001000002ABCD00; 80030000" Results/2/RAPDU
start_server "$TMP/sim.json"
dmc session --server-id "$SID" 2>"$TMP/dmc.err"
check "SEMO on SIM1 (the UICC's test applet): 200, the ECHO answered" \
	bash -c "test \"\$(python3 -c \"
import json
for l in open('$TMP/log.jsonl'):
    for s in json.loads(l)['status']:
        if s['cmd'] == 'Exec': print(s['code'])\")\" = 200 &&
		grep -q '\"uri\": \"./SEMO/sim/Results/2/RAPDU\", \"data\": \"ABCD\"' '$TMP/log.jsonl'"

# a Script node in b64 holds the same text
SCRIPT_FORMAT=b64 semo_json "$TMP/b64.json" b64 eSE1 "aid $ISD
80F28002024F00" Results/2/RAPDU
start_server "$TMP/b64.json"
dmc session --server-id "$SID" 2>"$TMP/dmc.err"
check "only Execs that reached an SE are reported (not the 404 nor the 400): here SIM1's" \
	log_has "[g['source'] for g in e['generic']] == ['./SEMO/sim/Operations/Execute']"
check "a Script in b64 runs the same: the ISD's GET STATUS entry in Results/2/RAPDU" \
	log_has "{'uri': './SEMO/b64/Results/2/RAPDU', 'data': 'E3134F08${ISD}9F70010FC5039EFE80'} in e['results']"

# the reports, in the next session
echo '[[]]' >"$TMP/empty.json"
start_server "$TMP/empty.json"
dmc session --server-id "$SID" 2>"$TMP/dmc.err"
check "... then b64's, alone" \
	log_has "[(g['source'], g['data']) for g in e['generic']] == [('./SEMO/b64/Operations/Execute', '200')]"
start_server "$TMP/empty.json"
dmc session --server-id "$SID" 2>"$TMP/dmc.err"
check "a report is sent once: the session after has none" \
	bash -c "! python3 -c \"
import json, sys
sys.exit(0 if any(json.loads(l)['generic'] for l in open('$TMP/log.jsonl')) else 1)\""

# --- the eSE goes away and comes back -------------------------------------
exec 7> >("$CTL" se -s "$SOCK" -r eSE1 script >"$TMP/long.out" 2>"$TMP/long.err")
echo "open $ISD" >&7
sleep 0.5
stop_pid "$ESE_PID"
ESE_PID=""
sleep 1
"$CTL" se -s "$SOCK" list >"$TMP/out" 2>"$TMP/err"
check "the eSE stopped: se list shows eSE1 without a card, SIM1 still there" \
	diff -u <(printf 'SIM1 present\neSE1 no-card\n') "$TMP/out"
check "... and the pump saw its channels go" grep -q "se: eSE .* lost" "$TMP/pump.log"
semo_json "$TMP/gone.json" gone eSE1 "aid $ISD; 80F28002024F00"
start_server "$TMP/gone.json"
dmc session --server-id "$SID" 2>"$TMP/dmc.err"
check "Exec while the eSE is gone: 404 (no card in SE 'eSE1')" \
	bash -c "grep -q \"no card in SE 'eSE1'\" '$TMP/dmc.err' && test \"\$(python3 -c \"
import json
for l in open('$TMP/log.jsonl'):
    for s in json.loads(l)['status']:
        if s['cmd'] == 'Exec': print(s['code'])\")\" = 404"
start_ese
sleep 1
echo "transmit 80F28002024F00" >&7
echo "close" >&7
exec 7>&-
sleep 0.5
check "a channel opened before the eSE went away answers 'card gone'" \
	grep -q "card went away" "$TMP/long.err"
se exec "$ISD" 80F240020C4F0A${APP2}
check "the eSE is back; its registry survived the restart" \
	grep -q "^E3294F0A${APP2}9F700107" "$TMP/out"
stop_pid "$ESE_PID"
"$CARD" --role ese -vv --vpcd "127.0.0.1:$((VPCD_PORT + 1))" --state "$TMP/ese.state" \
	>>"$TMP/ese.log" 2>&1 &
ESE_PID=$!
sleep 1
se exec "$ISD" 80F28002024F00 80E400000A4F08${PKG2}
check "without --gp-clear-text the ISD wants a secure channel: 6982" \
	diff -u <(printf '%s\n' 6982 6982) <(sed -n '2,$p' "$TMP/out")
check "the UICC's web server was unharmed throughout" \
	bash -c "curl -s -m 20 -o /dev/null -w '%{http_code}' http://127.0.0.1:$HTTP_PORT/ | grep -q 200"
check "no sanitizer report from scws-bipd or scws-dmc" \
	bash -c "! grep -q 'ERROR: AddressSanitizer\|runtime error' '$TMP/pump.log' '$TMP/dmc.err'"
