#!/usr/bin/env bash
# DM Smart Card (DM-SC-1/2) on the host, end to end: the real pcscd
# (private) with vpcd, scws-card (its --test-dm-notify TEST TOOLING sends
# package #0 made by tests/dm/scws-test-dms.py), scws-bipd as the DM_SC
# Gateway (--dm-socket, --no-module), scws-dmc listen, and the test DM
# server.  A client registers -> the card hears the Local connection event
# -> the card's notification goes over a UDP local channel -> the pump
# hands it to scws-dmc -> a DM session runs.  No client: the card gets BIP
# error 12.  A client going away, a second client, a bad register message,
# a uid that may not register, a pump restart.  The pump and scws-dmc run
# under ASan/UBSan.  TAP on stdout; "dmsc PASSED FAILED SKIPPED" goes to
# $SCWS_COUNTS.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
TOP=$PWD
OUT=$TOP/build/dmsc
PUMP=$OUT/scws-bipd
CARD=$OUT/scws-card
DMC=$OUT/scws-dmc
DMS="python3 $TOP/tests/dm/scws-test-dms.py"
PLAN=28

TAP_NAME=dmsc TAP_WHAT="dmsc"
. tests/lib/host-tap.sh
. tests/bipd/lib.sh

echo "TAP version 13"
need_pcscd python3 ss setpriv
pkg-config --exists libpcsclite libnl-genl-3.0 libxml-2.0 libcurl ||
	skip_all "libpcsclite, libnl-genl-3, libxml2 or libcurl headers missing"
echo "1..$PLAN"
mkdir -p "$OUT"
build_pump_card
# shellcheck disable=SC2046
check "build scws-dmc (ASan, UBSan)" cc -std=c11 -Wall -Wextra -D_GNU_SOURCE -O1 -g \
	-fsanitize=address,undefined -fno-omit-frame-pointer -Itools/lib \
	$(pkg-config --cflags libxml-2.0 libcurl) -o "$DMC" tools/scws-dmc/*.c \
	tools/lib/dmsc-msg.c tools/lib/scws-se.c tools/lib/se-proto.c tools/lib/arf-rules.c \
	tools/lib/seac-rules.c tools/lib/ber.c $(pkg-config --libs libxml-2.0 libcurl libcrypto)

TMP=$(mktemp -d /tmp/scws-dmsc-test.XXXXXX)
PCSCD_PID="" CARD_PID="" PUMP_PID="" SRV_PID="" LISTEN_PID=""
cleanup() {
	stop_and_clean "$LISTEN_PID" "$SRV_PID" "$PUMP_PID" "$CARD_PID" "$PCSCD_PID"
}
trap cleanup EXIT
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=halt_on_error=1

. tests/lib/pcscd.sh
VPCD_PORT=$(free_port)
HTTP_PORT=$(free_port)
# The socket's directory is open to all: the socket's own mode (0600,
# owned by --dm-user) is what keeps other users out.
SOCKDIR=$TMP/run
mkdir -p "$SOCKDIR"
chmod 755 "$TMP" "$SOCKDIR"
SOCK=$SOCKDIR/dm.sock
NOBODY=$(id -u nobody)

# --- the DM side: the test server, a tree with its account -------------
SID=scws-test-dms
SN=$(head -c 16 /dev/urandom | base64)
CN=$(head -c 16 /dev/urandom | base64)
cat >"$TMP/state.json" <<JSON
{"server_id": "$SID", "server_name": "$SID", "server_secret": "server-secret",
 "server_nonce": "$SN", "client_name": "gw-1", "client_secret": "client-secret",
 "client_nonce": "$CN"}
JSON
cat >"$TMP/script.json" <<'JSON'
[[{"cmd": "Get", "target": "./DevInfo/DevId"},
  {"cmd": "Replace", "target": "./DMAcc/scws-test-dms/Name", "format": "chr", "data": "via the card"}]]
JSON
: >"$TMP/log.jsonl"
$DMS serve --state "$TMP/state.json" --script "$TMP/script.json" --log "$TMP/log.jsonl" \
	--port 0 --port-file "$TMP/port" 2>>"$TMP/server.err" &
SRV_PID=$!
for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
DMS_PORT=$(cat "$TMP/port" 2>/dev/null)
TREE=$TMP/tree.xml
"$DMC" -t "$TREE" init --devid IMEI:004999010640000 >/dev/null 2>&1 &&
	"$DMC" -t "$TREE" bootstrap --server-id "$SID" --addr "http://127.0.0.1:$DMS_PORT/dm" \
		--client-name gw-1 --client-secret client-secret --server-name "$SID" \
		--server-secret server-secret --server-nonce "$SN" --client-nonce "$CN" 2>"$TMP/err"
check "the test DM server runs and the tree has its account" \
	test -n "$DMS_PORT" -a "$("$DMC" -t "$TREE" get ./DMAcc/$SID/ServerID 2>/dev/null)" = "$SID"
# notification SESSION: package #0 for the card to send, as the server
# makes it with its current nonce
notification() { $DMS notify --state "$TMP/state.json" --session "$1" >"$TMP/pkg.bin"; }
notification 41

# --- pcscd, pump, card ---------------------------------------------------
check "private pcscd starts (vpcd on port $VPCD_PORT)" pcscd_start "$TMP" "$VPCD_PORT" "SCWS dmsc test"
start_pump() {
	"$PUMP" --foreground -v --no-module "3516=$HTTP_PORT" --dm-socket "$SOCK" \
		--dm-user nobody >>"$TMP/pump.log" 2>&1 &
	PUMP_PID=$!
}
: >"$TMP/pump.log"
start_pump
spawn_card -v --reset-state --channels 3516=1 --test-dm-notify "$TMP/pkg.bin"
asked() {
	wait_log "event list: local connection on" 1 &&
		grep -q "Local connection event yes, UDP local yes" "$TMP/card.log"
}
check "the pump announces the event and UDP local; the card asks for event 0D" asked
check "the socket is 0600 and owned by --dm-user" \
	test "$(stat -c '%a %u' "$SOCK")" = "600 $NOBODY"

# card_wait PATTERN [COUNT]: the card log has COUNT lines matching;
# card_mark / card_since MARK PATTERN: as mark / since for the card log
card_wait() { waitfor "$TMP/card.log" "$1" "${2:-1}" 300; }
card_mark() { wc -l <"$TMP/card.log"; }
card_since() {
	local tries=300
	while [ "$tries" -gt 0 ]; do
		tail -n +"$(($1 + 1))" "$TMP/card.log" | grep -qE "$2" && return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}

# --- no client registered: BIP error 12 -----------------------------------
kill -USR2 "$CARD_PID"
check "no DM client: the pump answers OPEN CHANNEL with BIP error 12" \
	wait_log "no DM client registered \(BIP error 12\)" 1
check "no DM client: the card's notify_done gets 0x12" \
	card_wait "test DM notification: done, result 18 \(0x12\)"

# --- bad clients -------------------------------------------------------------
# client MESSAGE [UID]: one packet on the socket, the replies printed
# (up to 2, 3 s) or the connection error
client() {
	setpriv --reuid="${2:-0}" --regid="${2:-0}" --clear-groups /usr/bin/python3 - "$SOCK" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
try:
    s.connect(sys.argv[1])
except OSError as e:
    print("connect: %s" % e.strerror)
    sys.exit(0)
s.send(sys.argv[2].encode())
s.settimeout(3)
for _ in range(2):
    try:
        m = s.recv(8192)
    except socket.timeout:
        break
    if not m:
        break
    print(m.decode())
PY
}
starts() { case $1 in "$2"*) return 0 ;; esac; return 1; }
out=$(client "REGISTER not a name")
check "a malformed REGISTER: ERR bad-request with the reason ($out)" \
	starts "$out" "ERR bad-request REGISTER wants a name"
check "... and the pump logged it" grep -q "REGISTER wants a name" "$TMP/pump.log"
out=$(client "HELLO")
check "an unknown message: ERR bad-request ($out)" starts "$out" "ERR bad-request unknown message"
out=$(client "REGISTER x" 65533)
check "a uid that is neither root nor --dm-user cannot register ($out)" \
	test "$out" = "connect: Permission denied"

# --- --dm-user registers; the card's notification reaches it byte-exact -----
cm=$(card_mark)
m=$(mark)
hex=$(python3 -c "import sys; print(open(sys.argv[1],'rb').read().hex().upper())" "$TMP/pkg.bin")
out=$(client "REGISTER probe" "$NOBODY")
check "--dm-user registers (OK) and gets the card's package #0 as NOTIFY, byte-exact" \
	test "$out" = "OK
NOTIFY $hex"
check "the pump logged the peer's credentials" \
	grep -q "DM client 'probe' registered (pid [0-9]*, uid $NOBODY)" "$TMP/pump.log"
check "the card heard of it (Local connection, Service record 'probe')" \
	card_wait "DM client 'probe' registered with the terminal"
sent_ok() {
	card_since "$cm" "opening a UDP local channel to port 2948" &&
		card_since "$cm" "test DM notification: done, result 0 "
}
check "the card's OPEN CHANNEL was UDP local to port 2948, and notify_done got 0" sent_ok
left() { since "$m" "DM client '$1' \(pid [0-9]+\) went away" && card_since "$cm" "DM client gone"; }
check "the client left: the pump noticed and the card was told" left probe

# --- scws-dmc listen: a notification from the card starts a session ---------
start_listen() {
	"$DMC" -t "$TREE" listen --socket "$SOCK" --retry-ms 200 >>"$TMP/listen.log" 2>&1 &
	LISTEN_PID=$!
}
: >"$TMP/listen.log"
start_listen
check "scws-dmc listen registers" waitfor "$TMP/listen.log" "registered with $SOCK as scws-dmc"
check "the pump hands the card's notification to it" \
	wait_log "DM notification \([0-9]+ bytes\) handed to DM client 'scws-dmc'" 1
check "scws-dmc runs the session the notification asks for" \
	waitfor "$TMP/listen.log" "the session it asked for ended well" 1 400
reached() {
	grep -q '"1200"' "$TMP/log.jsonl" &&
		test "$("$DMC" -t "$TREE" get ./DMAcc/$SID/Name)" = "via the card"
}
check "the session reached the DM server (Alert 1200) and changed the tree" reached

# --- a second client is refused ----------------------------------------------
"$DMC" -t "$TREE" listen --socket "$SOCK" --name second >"$TMP/second.log" 2>&1
rc=$?
refused() { [ "$rc" -eq 1 ] && grep -q "refused us: busy: a DM client is registered already" "$TMP/second.log"; }
check "a second DM client is refused with a clear error (exit $rc)" refused

# --- the pump restarts: the listener registers again, a new session runs -----
notification 42
stop_pid "$PUMP_PID"
start_pump
check "after a pump restart scws-dmc listen registers again" \
	waitfor "$TMP/listen.log" "registered with $SOCK as scws-dmc" 2 400
check "the card hears of the client again and its new notification runs a session" \
	waitfor "$TMP/listen.log" "the session it asked for ended well" 2 600

# --- the client goes away: the card is told, BIP error 12 again -------------
cm=$(card_mark)
m=$(mark)
kill -TERM "$LISTEN_PID"
wait "$LISTEN_PID"
rc=$?
LISTEN_PID=""
stopped() { [ "$rc" -eq 0 ] && grep -q "listen: stopped" "$TMP/listen.log"; }
check "scws-dmc listen stops cleanly on SIGTERM (exit $rc)" stopped
check "the pump noticed it leave and told the card" left scws-dmc
kill -USR2 "$CARD_PID"
check "a notification now fails with BIP error 12 again" \
	card_wait "test DM notification: done, result 18 \(0x12\)" 2
healthy() {
	kill -0 "$PUMP_PID" && kill -0 "$CARD_PID" &&
		! grep -qE "ERROR: AddressSanitizer|runtime error" "$TMP/pump.log" "$TMP/listen.log"
}
check "the pump and the card still run, no sanitizer report" healthy

counts
[ "$FAIL" -eq 0 ]
