#!/usr/bin/env bash
# APDU access for local applications, end to end on the host: a private
# pcscd with vpcd, scws-card (its test applet, ARA-M rules through the
# TEST TOOLING inbox), scws-bipd --no-module --se-socket, and scwsctl se
# as the application: a copy signed by the demo signer (the card's rule
# names its certificate) and an unsigned copy.  Checks APDU exchanges
# while curl downloads a large page through BIP, denials, APDU filters,
# the protection of the card's own session, clients that vanish, and a
# card that goes away mid-exchange.  TAP on stdout; "se PASSED FAILED
# SKIPPED" is appended to $SCWS_COUNTS.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
TOP=$PWD
OUT=$TOP/build/se-host
PUMP=$OUT/scws-bipd
CARD=$OUT/scws-card
CTL=${SCWS_BUILD:-$PWD/build}/scwsctl
PLAN=34

TAP_NAME=se TAP_WHAT="APDU access"
. tests/lib/host-tap.sh
. tests/bipd/lib.sh

echo "TAP version 13"
need_pcscd curl python3 ss setpriv
pkg-config --exists libpcsclite libnl-genl-3.0 || skip_all "libpcsclite or libnl-genl-3 headers missing"

echo "1..$PLAN"
mkdir -p "$OUT"
[ -x "$CTL" ] || make -s "$CTL" >/dev/null 2>&1
if build_bipd "$PUMP" && build_card "$CARD" && [ -x "$CTL" ]; then
	ok "build scws-bipd (ASan, UBSan) and scws-card; scwsctl from make"
else
	not_ok "build scws-bipd and scws-card, scwsctl"
	skip_rest "build failed"
	counts
	exit 1
fi

TMP=$(mktemp -d /tmp/scws-se-test.XXXXXX)
chmod 755 "$TMP"
PCSCD_PID="" CARD_PID="" PUMP_PID="" BG=""
cleanup() {
	exec 7>&- 2>/dev/null
	stop_and_clean "$BG" "$PUMP_PID" "$CARD_PID" "$PCSCD_PID"
	counts
}
trap cleanup EXIT

. tests/lib/pcscd.sh
VPCD_PORT=$(free_port)
HTTP_PORT=$(free_port)
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
INBOX=$TMP/inbox
SOCK=$TMP/se.sock
AID=F05343575354455354
SIGNER=card-sim/aram/examples/demo-signer
SIGNED=$TMP/app-signed
UNSIGNED=$TMP/app-unsigned

store() {
	local before
	before=$(grep -c "ARA-M inbox" "$TMP/card.log")
	printf '%s\n' "$@" | grep -v '^#' >"$INBOX"
	kill -USR2 "$CARD_PID"
	waitfor "$TMP/card.log" "ARA-M inbox" $((before + $(grep -vc '^#' "$INBOX")))
}

start_card() {
	spawn_card -v "$@" --content "$TMP/content" --aram-inbox "$INBOX" 7>&-
}

# se APP ARGS...: scwsctl se as APP, stdout and stderr to $TMP/out
se() { local app=$1; shift; "$app" se -s "$SOCK" "$@" >"$TMP/out" 2>"$TMP/err"; }

check "private pcscd starts" pcscd_start "$TMP" "$VPCD_PORT" "SCWS APDU access test"
card-sim/content-gen.sh -s 1048576 -n huge.bin card-sim/content "$TMP/content" >/dev/null
start_card --reset-state
sleep 0.3
check "the card stores the example rule (card-sim/aram/examples/se-test.store)" \
	store "$(cat card-sim/aram/examples/se-test.store)"

cp "$CTL" "$SIGNED"
cp "$CTL" "$UNSIGNED"
check "a copy of scwsctl signed by the demo signer" \
	"$CTL" sign --key "$SIGNER.key" --cert "$SIGNER.crt" "$SIGNED"
: >"$TMP/se-rules"
"$PUMP" --foreground -v --no-module "3516=$HTTP_PORT" --se-socket "$SOCK" \
	--se-rules "$TMP/se-rules" --se-trust-dir "$TMP/no-such-dir" >"$TMP/pump.log" 2>&1 &
PUMP_PID=$!
waitfor "$TMP/pump.log" "APDU access service on" 1 400
waitfor "$TMP/pump.log" "port 3516: 2 channels" 1 400
se "$SIGNED" list
check "se list: SIM1 with a card" grep -qx "SIM1 present" "$TMP/out"
se "$SIGNED" --basic open "$AID"
check "the basic channel is refused: it carries the toolkit session" \
	grep -q "no channel available.*basic channel carries the card's toolkit session" "$TMP/err"

se "$SIGNED" exec "$AID" 8001000004CAFEBABE00 80020000 80030000
check "signed app: SELECT answers the FCI, ECHO and the counter work" \
	diff -u <(printf '6F0B8409%s9000\nCAFEBABE9000\n000000019000\n000000019000\n' "$AID") "$TMP/out"
check "... allowed by the card's rule for this AID and this application" \
	grep -q "app-signed.*signature valid, trusted.*AID $AID: allowed by the card: rule for this AID and this application" "$TMP/pump.log"

# 300 ECHOs with varying data while a 1 MiB page comes through BIP
python3 - "$TMP" <<'EOF'
import sys, os
d = sys.argv[1]
with open(d + "/script", "w") as s, open(d + "/expect", "w") as e:
    s.write("open F05343575354455354\n")
    e.write("6F0B8409F053435753544553549000\n")
    for i in range(300):
        data = os.urandom(1 + i % 200).hex().upper()
        s.write("transmit 80010000%02X%s00\n" % (len(data) // 2, data))
        e.write(data + "9000\n")
    s.write("close\n")
EOF
( curl -s -m 300 -o "$TMP/huge.bin" "http://127.0.0.1:$HTTP_PORT/huge.bin"
  date +%s%N >"$TMP/dl.end" ) &
BG=$!
sleep 0.2
t0=$(date +%s%N)
"$SIGNED" se -s "$SOCK" script <"$TMP/script" >"$TMP/script.out" 2>"$TMP/script.err"
rc=$?
t1=$(date +%s%N)
wait "$BG"
BG=""
t2=$(cat "$TMP/dl.end")
echo "# ECHOs from +0 to +$(((t1 - t0) / 1000000)) ms, download ended at +$(((t2 - t0) / 1000000)) ms"
check "the ECHOs and the download overlapped" test "$t2" -gt "$t0"
check "300 ECHOs (1..200 bytes) answered byte-exact during the download" \
	bash -c "[ $rc = 0 ] && cmp -s '$TMP/expect' '$TMP/script.out'"
check "the 1 MiB page came byte-exact meanwhile" cmp -s "$TMP/huge.bin" "$TMP/content/huge.bin"

se "$UNSIGNED" open "$AID"
rc=$?
check "unsigned app: open refused (exit 1)" test "$rc" = 1
check "... with a clear error: access denied, the rule names another application" \
	grep -q "access denied by the access rules.*rules for this AID name other applications only" "$TMP/err"

printf 'deny * uid 65534\n' >"$TMP/se-rules"
setpriv --reuid 65534 --regid 65534 --clear-groups "$SIGNED" se -s "$SOCK" open "$AID" >"$TMP/out" 2>"$TMP/err"
check "the admin's deny rule beats the card's allow (signed app as uid 65534)" \
	grep -q "denied by the local rules (line 1)" "$TMP/err"
: >"$TMP/se-rules"

se "$SIGNED" exec "$AID" 80120000 >/dev/null
check "FETCH on the app's channel refused" grep -q "toolkit command.*refused" "$TMP/err"
se "$SIGNED" exec "$AID" 80C2000003D60100
check "ENVELOPE refused" grep -q "toolkit command.*refused" "$TMP/err"
se "$SIGNED" exec "$AID" 8014000003810301
check "TERMINAL RESPONSE refused" grep -q "toolkit command.*refused" "$TMP/err"
se "$SIGNED" exec "$AID" 0070000001
check "MANAGE CHANNEL refused" grep -q "MANAGE CHANNEL refused" "$TMP/err"
se "$SIGNED" exec "$AID" 83120000
check "a class byte naming another channel (3) refused" grep -q "names another logical channel" "$TMP/err"
se "$SIGNED" exec "$AID" 00A4040009A00000015141434C00
check "SELECT of the ARA-M refused" grep -q "SELECT by DF name refused" "$TMP/err"
se "$SIGNED" exec "$AID" 00A40004023F00
check "SELECT of the MF refused" grep -q "SELECT of the MF" "$TMP/err"
check "the card's session is unharmed: the portal still answers" \
	bash -c "curl -s -m 20 -o /dev/null -w '%{http_code}' http://127.0.0.1:$HTTP_PORT/ | grep -q 200"

# filters: the rule now lets ECHO through only (80 01 xx xx)
check "the card's rule becomes an APDU filter: 80010000/FFFF0000" \
	store F100 "$(rule $AID BF5B5FC0024B2E6486551C918901362A5FA53592 80010000FFFF0000)"
printf 'open %s\ntransmit 8001000001AA00\ntransmit 80020000\nclose\n' "$AID" |
	"$SIGNED" se -s "$SOCK" script >"$TMP/out" 2>"$TMP/err"
check "filtered: ECHO passes" grep -qx "AA9000" "$TMP/out"
check "filtered: INCREMENT refused by the rule's filters" \
	grep -q "80 02 00 00 is not allowed by the access rule's filters" "$TMP/err"
store F100 "$(rule $AID BF5B5FC0024B2E6486551C918901362A5FA53592 01)" >/dev/null

# a client that dies keeps no channel on the card
opened=$(grep -c "logical channel [0-9]* opened" "$TMP/card.log")
closed=$(grep -c "logical channel [0-9]* closed" "$TMP/card.log")
mkfifo "$TMP/fifo"
"$SIGNED" se -s "$SOCK" script <"$TMP/fifo" >"$TMP/out" 2>"$TMP/err" &
BG=$!
exec 7>"$TMP/fifo"
echo "open $AID" >&7
waitfor "$TMP/out" "9000" 1
{ kill -9 "$BG"; wait "$BG"; } 2>/dev/null
BG=""
exec 7>&-
check "a client killed with an open channel: the pump closes it on the card" \
	waitfor "$TMP/card.log" "logical channel [0-9]* closed" $((closed + 1))
echo "# card: $opened -> $(grep -c 'logical channel [0-9]* opened' "$TMP/card.log") opened, $closed -> $(grep -c 'logical channel [0-9]* closed' "$TMP/card.log") closed"

# the card goes away in the middle of an exchange
rm -f "$TMP/fifo"
mkfifo "$TMP/fifo"
"$SIGNED" se -s "$SOCK" script <"$TMP/fifo" >"$TMP/out" 2>"$TMP/err" &
BG=$!
exec 7>"$TMP/fifo"
printf 'open %s\ntransmit 8001000001AA00\n' "$AID" >&7
waitfor "$TMP/out" "^AA9000" 1
stop_pid "$CARD_PID"
waitfor "$TMP/pump.log" "card lost" 1 200
echo "transmit 8001000001BB00" >&7
start_card
waitfor "$TMP/pump.log" "se: .*card|TERMINAL PROFILE|card in" 1 10 >/dev/null
waitfor "$TMP/pump.log" "card in \"" 2 400
printf 'transmit 8001000001CC00\nclose\nopen %s\ntransmit 8001000001DD00\nclose\n' "$AID" >&7
exec 7>&-
wait "$BG"
BG=""
check "card removed: the open channel answers 'the card went away'" \
	grep -q "card went away\|no card" "$TMP/err"
check "... and closing it is no error (nothing is left on the card)" \
	bash -c "! grep -q 'close:' '$TMP/err'"
check "card back: a new channel to the applet works" grep -qx "DD9000" "$TMP/out"

# the pump restarts under a client's feet
mkfifo "$TMP/fifo2"
"$SIGNED" se -s "$SOCK" script <"$TMP/fifo2" >"$TMP/out" 2>"$TMP/err" 7>&- &
BG=$!
exec 7>"$TMP/fifo2"
printf 'open %s\n' "$AID" >&7
waitfor "$TMP/out" "9000" 1
stop_pid "$PUMP_PID"
cat "$TMP/pump.log" >>"$TMP/pump1.log"
printf 'transmit 8001000001EE00\n' >&7
exec 7>&-
wait "$BG"
BG=""
check "pump stopped: the client's next request fails clearly" \
	grep -q "transmit: Connection reset by peer\|transmit: Broken pipe" "$TMP/err"
mkdir -p "$TMP/trust"
cp "$SIGNER.crt" "$TMP/trust/"
"$PUMP" --foreground -v --no-module "3516=$HTTP_PORT" --se-socket "$SOCK" \
	--se-rules "$TMP/se-rules" --se-trust-dir "$TMP/trust" >"$TMP/pump.log" 2>&1 &
PUMP_PID=$!
waitfor "$TMP/pump.log" "port 3516: 2 channels" 1 400
se "$SIGNED" exec "$AID" 8001000001EF00
check "pump restarted: the application reconnects and works" grep -qx "EF9000" <(sed -n 2p "$TMP/out")
# a card with the same rules in its ARF (PKCS#15) and no ARA-M: no card
# certificates either, the demo signer is trusted through --se-trust-dir
stop_pid "$CARD_PID"
waitfor "$TMP/pump.log" "card lost" 1 200
start_card --access-rules arf
waitfor "$TMP/pump.log" "card in \"" 2 400
waitfor "$TMP/pump.log" "port 3516: 2 channels" 2 400
se "$SIGNED" exec "$AID" 8001000001AB00
check "ARF only: the signed app is allowed by the same rule read from the ARF" \
	bash -c "grep -qx AB9000 '$TMP/out' && grep -q 'card rules (ARF)' '$TMP/pump.log'"
se "$UNSIGNED" open "$AID"
check "ARF only: the unsigned app is denied" grep -q "access denied" "$TMP/err"
cat "$TMP/pump1.log" "$TMP/pump.log" >"$TMP/pump-all.log"
check "no sanitizer report in the pump's log" \
	bash -c "! grep -q 'ERROR: AddressSanitizer\|runtime error:\|LeakSanitizer' '$TMP/pump-all.log'"
