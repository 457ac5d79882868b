#!/usr/bin/env bash
# The gateway's trigger paths on the host, end to end: the real pcscd
# (private) with vpcd, the scws-card virtual UICC, scws-bipd --no-module
# (TEST TOOLING) with its control socket and push endpoint in a temporary
# directory, scws-pushd, scwsctl, and SIPp (Debian sip-tester) as the
# remote SIP sender.  TAP on stdout; "push PASSED FAILED SKIPPED" goes to
# $SCWS_COUNTS.
#
# What the card does with an SMS-PP download depends on its OTA layer
# (another branch): until it lands the card answers an error status for
# ENVELOPE D1.  The checks here are on the gateway's side: the exact
# ENVELOPE bytes the pump sent, the status word it got and returned, and
# that refused input never reaches the card.
set -uo pipefail
cd "$(dirname "$0")/../.."
TOP=$PWD
OUT=$TOP/build/push
PUMP=$OUT/scws-bipd
CARD=$OUT/scws-card
PUSHD=$OUT/scws-pushd
CTL=$OUT/scwsctl
PLAN=27

TAP_NAME=push TAP_WHAT="push"
. tests/lib/host-tap.sh
. tests/bipd/lib.sh

echo "TAP version 13"
need_pcscd curl python3 ss sipp setpriv xxd
pkg-config --exists libpcsclite libnl-genl-3.0 libosip2 ||
	skip_all "libpcsclite, libnl-genl-3 or libosip2 headers missing"
echo "1..$PLAN"
mkdir -p "$OUT"

build_all() {
	build_bipd "$PUMP" && build_card "$CARD" &&
	cc -std=c11 -Wall -Wextra ${CI:+-Werror} -D_GNU_SOURCE -O1 -g -Itools/lib \
		-fsanitize=address,undefined -fno-omit-frame-pointer \
		$(pkg-config --cflags libosip2) -o "$PUSHD" tools/scws-pushd/*.c \
		tools/lib/sms-pp.c tools/lib/bipd-ctl.c tools/lib/cat-tlv.c \
		$(pkg-config --libs libosip2) &&
	make -s BUILD="$OUT/make" "$OUT/make/scwsctl" >/dev/null && cp "$OUT/make/scwsctl" "$CTL"
}
if build_all; then
	ok "build scws-bipd, scws-pushd (ASan, UBSan), scws-card, scwsctl"
else
	not_ok "build scws-bipd, scws-pushd (ASan, UBSan), scws-card, scwsctl"
	skip_rest "build failed"
	counts
	exit 1
fi

TMP=$(mktemp -d /tmp/scws-push-test.XXXXXX)
chmod 755 "$TMP"
PCSCD_PID="" CARD_PID="" PUMP_PID="" PUSHD_PID=""
cleanup() {
	stop_and_clean "$PUSHD_PID" "$PUMP_PID" "$CARD_PID" "$PCSCD_PID"
}
trap cleanup EXIT

. tests/lib/pcscd.sh
VPCD_PORT=$(free_port)
HTTP_PORT=$(free_port)
SIP_PORT=$(free_port)
ECHO4=$(free_port)
ECHO6=$(free_port)
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export SCWS_BIPD_CTL=$TMP/bipd.ctl

start_card() { spawn_card -vv "$@"; }
envelopes() { grep -c "ENVELOPE (" "$TMP/pump.log"; }
# spaced HEX: "AABB" -> "AA BB", as the logs print bytes
spaced() { echo "$1" | sed 's/../& /g; s/ $//'; }

# A formatted SMS for the card: SMS-DELIVER, TP-PID 7F, TP-DCS F6, UDH
# 70 00 (command packet) + a TS 102 225 command packet (no security,
# TAR B00000, counter 1) with 4 bytes of secured data.  The test only
# needs a well-formed TPDU; its meaning is the card's business.
tpdu() {
	echo "4004811122 7FF6 22301200000000 17 027000 0012 0D 0000 00 00 B00000 00000000${1} 00 AABBCCDD" |
		tr -d ' '
}
TPDU1=$(tpdu 01)
TPDU2=$(tpdu 02)
SMSC=+491720000000
SMSC_BCD=91947102000000
ENV1="D1358202838186 07${SMSC_BCD}8B26${TPDU1}"
ENV1=$(echo "$ENV1" | tr -d ' ')

# --- 2-3: pcscd, card, pump with its sockets
check "private pcscd starts (vpcd on port $VPCD_PORT)" \
	pcscd_start "$TMP" "$VPCD_PORT" "SCWS push test"
"$PUMP" --foreground -v --no-module "3516=$HTTP_PORT" \
	--ctl-socket "$TMP/bipd.ctl" --push-socket "$TMP/push.sock" \
	>"$TMP/pump.log" 2>&1 &
PUMP_PID=$!
start_card --reset-state --test-client "127.0.0.1:$ECHO4"
check "card attached, control socket and push endpoint listening" \
	bash -c "$(declare -f wait_log); TMP=$TMP PUMP_PID=$PUMP_PID;
		wait_log 'port 3516: [0-9]+ channels' 1 && wait_log 'bipd.ctl: listening' 1 &&
		wait_log 'push.sock: listening' 1"

# --- 4: TERMINAL PROFILE
check "TERMINAL PROFILE announces SMS-PP data download (byte 1 = 13)" \
	grep -qE "TERMINAL PROFILE \(17\): 13 " "$TMP/pump.log"

# --- 5-6: the control socket's mode, root only
mode=$(stat -c %a "$TMP/bipd.ctl")
check "control socket is mode 0600 ($mode)" test "$mode" = 600
n0=$(envelopes)
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$CTL" push sms "$TPDU1" 2>&1)
rc=$?
echo "# as nobody: $out"
check "scwsctl push as a non-root user is refused, nothing reaches the card" \
	bash -c "[ $rc = 1 ] && echo '$out' | grep -q 'root only' && [ $(envelopes) = $n0 ]"

# --- 7-10: scwsctl push sms reaches the card as ENVELOPE D1
t0=$(date +%s%N)
out=$("$CTL" push sms "$TPDU1" --smsc "$SMSC" 2>&1)
rc=$?
t1=$(date +%s%N)
echo "$out" | sed 's/^/# scwsctl: /'
echo "# scwsctl push sms round trip (ASan pump): $(((t1 - t0) / 1000000)) ms"

check "pump sent ENVELOPE D1 byte-exact (83->81, SMSC, TPDU)" \
	grep -q "ENVELOPE ([0-9]*): $(spaced "$ENV1")\$" "$TMP/pump.log"
check "the card received the same ENVELOPE" \
	grep -q "ENVELOPE (55): $(spaced "$ENV1")" "$TMP/card.log"
sw=$(echo "$out" | sed -n 's/^sw //p')
check "scwsctl prints the status word the pump got from the card ($sw)" \
	grep -q "SMS-PP download: card answered SW $sw" "$TMP/pump.log"
# The card's OTA layer may not be there yet: 90 00 / 91 xx (with or
# without a PoR) or an error SW are both the card's answers; the exit
# status must follow it.
if [ "$sw" = 9000 ] || [ "${sw#91}" != "$sw" ]; then want=0; else want=1; fi
check "exit status follows the card's answer (SW $sw, exit $rc)" \
	bash -c "[ -n '$sw' ] && [ $rc = $want ]"

# --- 11-13: no pump, malformed input: refused before the card
out=$("$CTL" push sms "$TPDU1" --socket "$TMP/nothing.ctl" 2>&1)
rc=$?
check "no pump at the socket: exit 1, 'is the pump running?'" \
	bash -c "[ $rc = 1 ] && echo '$out' | grep -q 'is the pump running'"
n0=$(envelopes)
out=$("$CTL" push sms "40ZZ" 2>&1)
rc=$?
check "malformed hex: usage error, clear message, nothing sent" \
	bash -c "[ $rc = 2 ] && echo '$out' | grep -q 'not hex' && [ $(envelopes) = $n0 ]"
out=$(printf 'SMS 4004811122\n' | python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(sys.stdin.buffer.read()); print(s.recv(4096).decode().strip())' "$TMP/bipd.ctl")
echo "# raw truncated TPDU: $out"
check "a truncated TPDU on the socket: ERR bad-request, nothing sent" \
	bash -c "echo '$out' | grep -q '^ERR bad-request' && [ $(envelopes) = $n0 ]"

# --- 13-17: SIP push through scws-pushd
cat >"$TMP/pushd.conf" <<CONF
# test configuration
allow-from sip:ras@operator.example
app-id urn:scws:test
CONF
"$PUSHD" -f -v --listen "127.0.0.1:$SIP_PORT" --config "$TMP/pushd.conf" \
	--pump-socket "$TMP/push.sock" >"$TMP/pushd.log" 2>&1 &
PUSHD_PID=$!
sleep 0.3
check "scws-pushd listens on UDP 127.0.0.1:$SIP_PORT" \
	grep -q "listening on UDP 127.0.0.1:$SIP_PORT" "$TMP/pushd.log"
# RP-DATA (network -> MS): MTI 01, MR 2A, RP-OA = the SMSC, RP-DA empty,
# RP-UD = the TPDU
echo "012A07${SMSC_BCD}0026${TPDU2}" | xxd -r -p >"$TMP/rp-data.bin"
echo "not RP-DATA at all" >"$TMP/junk.bin"
sipp_push() {	# FROM CTYPE BODY EXPECT
	sed "s/@BODY@/$3/; s/@EXPECT@/$4/" "$TOP/tests/push/message.xml" \
		>"$TMP/scenario-$4.xml"
	(cd "$TMP" && timeout 20 sipp -sf "scenario-$4.xml" -m 1 \
		-key from "$1" -key ctype "$2" \
		-key appid urn:scws:test -p "$(free_port)" -timeout 15 \
		-timeout_error -nostdin -trace_err "127.0.0.1:$SIP_PORT" \
		>>"$TMP/sipp.log" 2>&1)
}
n0=$(envelopes)
t0=$(date +%s%N)
check "SIPp MESSAGE (application/vnd.3gpp.sms, allowed origin) -> 200" \
	sipp_push sip:ras@operator.example application/vnd.3gpp.sms rp-data.bin 200
t1=$(date +%s%N)
echo "# SIP push, SIPp start to 200 (ASan pump and pushd): $(((t1 - t0) / 1000000)) ms"
ENV2=$(echo "D1358202838186 07${SMSC_BCD}8B26${TPDU2}" | tr -d ' ')
check "... and the pump delivered it to the card as ENVELOPE D1 byte-exact" \
	bash -c "grep -q 'ENVELOPE ([0-9]*): $(spaced "$ENV2")\$' '$TMP/pump.log' &&
		[ $(envelopes) = $((n0 + 1)) ]"
n0=$(envelopes)
check "a foreign origin -> 403, nothing reaches the card" \
	bash -c "$(declare -f sipp_push free_port); TMP=$TMP TOP=$TOP SIP_PORT=$SIP_PORT
		sipp_push sip:evil@attacker.example application/vnd.3gpp.sms rp-data.bin 403 &&
		[ \$(grep -c 'ENVELOPE (' '$TMP/pump.log') = $n0 ]"
check "a wrong content type -> 415, nothing reaches the card" \
	bash -c "$(declare -f sipp_push free_port); TMP=$TMP TOP=$TOP SIP_PORT=$SIP_PORT
		sipp_push sip:ras@operator.example text/plain rp-data.bin 415 &&
		[ \$(grep -c 'ENVELOPE (' '$TMP/pump.log') = $n0 ]"
check "a body that is not RP-DATA -> 400, nothing reaches the card" \
	bash -c "$(declare -f sipp_push free_port); TMP=$TMP TOP=$TOP SIP_PORT=$SIP_PORT
		sipp_push sip:ras@operator.example application/vnd.3gpp.sms junk.bin 400 &&
		[ \$(grep -c 'ENVELOPE (' '$TMP/pump.log') = $n0 ]"

# --- 18: the push endpoint is the push gateway's only
code=$(setpriv --reuid=65534 --regid=65534 --clear-groups curl -s -o /dev/null \
	-w '%{http_code}' --unix-socket "$TMP/push.sock" --data-binary @"$TMP/rp-data.bin" \
	-H 'Content-Type: application/vnd.3gpp.sms' http://localhost/push 2>/dev/null)
check "push endpoint refuses another user (curl as nobody: '$code')" \
	bash -c "[ '$code' = 000 ] && [ $(envelopes) = $n0 ]"

# --- 19-22: client channels, IPv4 and IPv6 (the card's --test-client,
# TEST TOOLING: one line out, one line back)
echo_server() {	# ADDR PORT LOG: accept one connection, echo one line
	python3 - "$@" <<'PY' &
import socket, sys
addr, port, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, port)); s.listen(1); s.settimeout(30)
c, peer = s.accept(); c.settimeout(10)
line = b""
while not line.endswith(b"\n"):
    d = c.recv(256)
    if not d:
        break
    line += d
open(log, "w").write(line.decode(errors="replace"))
c.sendall(b"ECHO " + line)
c.close()
PY
	ECHO_PID=$!
}
client_round() {	# ADDR PORT DESC
	echo_server "$1" "$2" "$TMP/echo-$2.log"
	local i
	for i in $(seq 100); do
		ss -Htln "sport = :$2" | grep -q . && break
		sleep 0.05
	done
	kill -USR2 "$CARD_PID"
	for i in $(seq 100); do
		grep -q 'test client: received "ECHO HELLO FROM THE CARD"' "$TMP/card.log" &&
			grep -q "test client: channel closed" "$TMP/card.log" && break
		sleep 0.1
	done
	wait "$ECHO_PID" 2>/dev/null
	check "client channel to $3: the server got the card's line" \
		grep -qx "HELLO FROM THE CARD" "$TMP/echo-$2.log"
	check "client channel to $3: the card got the answer, closed the channel" \
		bash -c "grep -qF 'TCP client connected to $3' '$TMP/pump.log' &&
			grep -q 'test client: received \"ECHO HELLO FROM THE CARD\"' '$TMP/card.log' &&
			grep -q 'test client: channel closed' '$TMP/card.log'"
}
client_round 127.0.0.1 "$ECHO4" "127.0.0.1:$ECHO4"
# The same card again, now aimed at ::1.
stop_pid "$CARD_PID"
: >"$TMP/card.log"
wait_log "card lost" 1 100
start_card --test-client "[::1]:$ECHO6"
sleep 1
wait_log "port 3516: [0-9]+ channels" 2 200
client_round ::1 "$ECHO6" "[::1]:$ECHO6"

# --- 23-24: no card
stop_pid "$CARD_PID"
CARD_PID=""
wait_log "card lost|card link failed" 1 100
out=$("$CTL" push sms "$TPDU1" 2>&1)
rc=$?
echo "# no card: $out"
check "no card: scwsctl says so and exits 1" \
	bash -c "[ $rc = 1 ] && echo '$out' | grep -q 'no card'"
check "no card: SIP push -> 480 Temporarily Unavailable" \
	sipp_push sip:ras@operator.example application/vnd.3gpp.sms rp-data.bin 480

# --- 26: clean exits, no sanitizer report
stop_pid "$PUSHD_PID"
PUSHD_PID=""
stop_pid "$PUMP_PID"
PUMP_PID=""
check "scws-bipd and scws-pushd stop cleanly: no ASan/UBSan/leak report" \
	bash -c "! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' \
		'$TMP/pump.log' '$TMP/pushd.log'"

counts
[ "$FAIL" -eq 0 ]
