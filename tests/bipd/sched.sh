#!/usr/bin/env bash
# Channel scheduling (docs/scheduling.md) on the host, end to end: the real
# pcscd with vpcd, scws-card with the demo's channel layout (4 HTTP, 3
# HTTPS), scws-bipd in --no-module mode (the same engine and scheduler as
# with the module; the module's part of the hand-off is tested in the VM),
# and many real clients: 100 at once (then half of them slow readers),
# idle keep-alive clients that must not lock others out, and headless
# Chromium loading the portal and the store with every sub-resource.
# Chromium runs here and not in the VM: under the VM's software emulation
# a page load takes minutes and would measure qemu; the pump and the card
# are the same code.  TAP on stdout; a line "bipd-sched PASSED FAILED
# SKIPPED" is appended to $SCWS_COUNTS.  SCWS_BIPD_EXTRA adds pump options
# (e.g. --no-reclaim, to see the tests fail without the scheduler).
set -uo pipefail
cd "$(dirname "$0")/../.."
TOP=$PWD
OUT=$TOP/build/bipd
PUMP=$OUT/scws-bipd
CARD=$OUT/scws-card
SWARM=$TOP/tests/lib/http-swarm.py
PLAN=17
# bounds (seconds): generous for ASan on 2 loaded cores; the figures print
T_SWARM=60 T_SLOW=90 T_TLS=120 T_IDLE=2 T_TLS_IDLE=3 T_TAB=3

TAP_NAME=bipd-sched TAP_WHAT="sched"
. tests/lib/host-tap.sh
. tests/bipd/lib.sh

echo "TAP version 13"
need_pcscd curl python3
pkg-config --exists libpcsclite libnl-genl-3.0 || skip_all "libpcsclite or libnl-genl-3 headers missing"
echo "1..$PLAN"

mkdir -p "$OUT"
# run.sh has just built both (ASan, UBSan); standalone, build them here.
if [ -n "${SCWS_BIPD_PREBUILT:-}" ] && [ -x "$PUMP" ] && [ -x "$CARD" ]; then
	ok "scws-bipd and scws-card built by tests/bipd/run.sh"
else
	build_pump_card
fi

TMP=$(mktemp -d /tmp/scws-sched-test.XXXXXX)
PIDS=() PGIDS=()
cleanup() {
	local p
	for p in "${PGIDS[@]}"; do kill -- "-$p" 2>/dev/null; done
	for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
		kill "${PIDS[$i]}" 2>/dev/null
		wait "${PIDS[$i]}" 2>/dev/null
	done
	if [ "$FAIL" -gt 0 ]; then echo "# logs kept in $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

. tests/lib/pcscd.sh
VPCD_PORT=$(free_port) HTTP_PORT=$(free_port) HTTPS_PORT=$(free_port) DEBUG_PORT=$(free_port)
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0

check "private pcscd starts" pcscd_start "$TMP" "$VPCD_PORT" "SCWS sched test"
PIDS+=("$PCSCD_PID")

# The card's content plus a 32 KiB file for slow readers and a test page
# that loads the portal and the store in frames and reports each image.
card-sim/content-gen.sh -s 32768 -n slow.bin card-sim/content "$TMP/content" >/dev/null
mkdir -p "$TMP/content/t"
cp tests/bipd/check.html "$TMP/content/t/check.html"
# shellcheck disable=SC2086
"$PUMP" --foreground -v ${SCWS_BIPD_EXTRA:-} \
	--no-module "3516=$HTTP_PORT,4116=$HTTPS_PORT" >"$TMP/pump.log" 2>&1 &
PUMP_PID=$!
PIDS+=("$PUMP_PID")
"$CARD" --vpcd "127.0.0.1:$VPCD_PORT" --state "$TMP/card.state" --reset-state \
	--content "$TMP/content" --channels 3516=4,4116=3 \
	--debug-port "$DEBUG_PORT" >>"$TMP/card.log" 2>&1 &
PIDS+=($!)
serving() {
	for _ in $(seq 400); do
		grep -q "port 3516: 4 channels" "$TMP/pump.log" &&
			grep -q "port 4116: 3 channels" "$TMP/pump.log" && return 0
		sleep 0.05
	done
	return 1
}
check "card with 4 HTTP and 3 HTTPS channels is served" serving

# snapshot: the pump's sched: line for a port after SIGUSR1.
sched_line() {
	local n
	n=$(grep -c "sched: port=$1" "$TMP/pump.log")
	kill -USR1 "$PUMP_PID"
	for _ in $(seq 100); do
		[ "$(grep -c "sched: port=$1" "$TMP/pump.log")" -gt "$n" ] && break
		sleep 0.05
	done
	grep "sched: port=$1" "$TMP/pump.log" | tail -n1
}
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
# to_client: the pump's payload bytes sent to clients so far.
to_client() {
	local n
	n=$(grep -c "stats: apdus" "$TMP/pump.log")
	kill -USR1 "$PUMP_PID"
	for _ in $(seq 100); do
		[ "$(grep -c "stats: apdus" "$TMP/pump.log")" -gt "$n" ] && break
		sleep 0.05
	done
	field to-client "$(grep "stats: apdus" "$TMP/pump.log" | tail -n1)"
}
# swarm_ok JSON BOUND: every client ok, no reset, total within BOUND s.
swarm_ok() {
	echo "# $1"
	python3 -c 'import json,sys; r=json.loads(sys.argv[1]);
sys.exit(0 if r["reset"]==0 and r["bad"]==0 and r["error"]==0 and r["total_s"]<=float(sys.argv[2]) else 1)' "$1" "$2"
}

FILES=/index.html,/style.css,/img/logo.svg,/img/help.png,/store/index.html,/store/wallpapers/waves.png,/helpdesk/faq.html
r=$(python3 "$SWARM" "$HTTP_PORT" "$TMP/content" "$FILES" --n 100)
check "100 simultaneous HTTP clients, 4 channels: all served byte-identical, none reset, < ${T_SWARM}s" \
	swarm_ok "$r" "$T_SWARM"
seq_r=$(python3 "$SWARM" "$HTTP_PORT" "$TMP/content" "$FILES" --n 100 --sequential)
echo "# sequential, the same 100 fetches: $seq_r"
r=$(python3 "$SWARM" "$HTTP_PORT" "$TMP/content" "$FILES" --n 100 --slow 50 --slow-file /slow.bin)
check "... with 50 of them slow readers of 32 KiB: all byte-identical, none reset, < ${T_SLOW}s" \
	swarm_ok "$r" "$T_SLOW"
r=$(python3 "$SWARM" "$HTTPS_PORT" "$TMP/content" "$FILES" --n 100 --tls)
check "100 simultaneous HTTPS clients, 3 channels: all served byte-identical, none reset, < ${T_TLS}s" \
	swarm_ok "$r" "$T_TLS"

# --- idle keep-alive clients hold every channel, another client comes
ready() {	# ready FILE: until FILE exists (30 s at most)
	for _ in $(seq 600); do [ -e "$1" ] && return 0; sleep 0.05; done
	return 1
}
idle_http() {
	local held rc t
	s0=$(sched_line 3516)
	python3 "$SWARM" "$HTTP_PORT" "$TMP/content" /index.html,/style.css --n 4 --hold 4 \
		--ready "$TMP/held.ready" >"$TMP/held.json" &
	held=$!
	ready "$TMP/held.ready"	# all four answered, idle on their connections
	t=$(curl -s -m 10 -o "$TMP/other.html" -w '%{time_total}' "http://127.0.0.1:$HTTP_PORT/index.html")
	echo "# with 4 idle keep-alive clients on the 4 channels, another curl took ${t}s"
	wait "$held"
	rc=$?
	echo "# the held clients, asking again on their connections: $(cat "$TMP/held.json")"
	HELD_RC=$rc
	cmp -s "$TMP/other.html" card-sim/content/index.html &&
		awk -v t="$t" -v b="$T_IDLE" 'BEGIN { exit !(t > 0 && t < b) }'
}
check "4 idle HTTP keep-alive clients do not lock another out: served in < ${T_IDLE}s" idle_http
check "... and the idle clients' next requests on the same connections are answered byte-identical" \
	test "$HELD_RC" -eq 0
s1=$(sched_line 3516)
echo "# $s1"
check "... the pump took their channels back between requests (http-reclaims $(field http-reclaims "$s0") -> $(field http-reclaims "$s1"))" \
	test "$(field http-reclaims "$s1")" -gt "$(field http-reclaims "$s0")"

idle_tls() {
	local held t
	python3 - "$HTTPS_PORT" "$TMP/tls.ready" >"$TMP/tls-held.log" 2>&1 <<'PY' &
import socket, ssl, sys, time
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
socks = []
for _ in range(3):
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1]))))
    s.sendall(b"GET /style.css HTTP/1.1\r\nHost: x\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data or len(data.partition(b"\r\n\r\n")[2]) < 1215:
        data += s.recv(65536)
    socks.append(s)
open(sys.argv[2], "w").close()
# idle now; the pump may close them, cleanly (EOF), never with a reset
s.settimeout(None)
ends = []
for s in socks:
    s.settimeout(8)
    try:
        ends.append("eof" if s.recv(1) == b"" else "data")
    except ssl.SSLEOFError:
        ends.append("eof")
    except (ConnectionResetError, ssl.SSLError) as e:
        ends.append("reset")
    except socket.timeout:
        ends.append("open")
print(" ".join(ends))
PY
	held=$!
	ready "$TMP/tls.ready"
	sleep 0.6	# idle longer than --idle-ms
	t=$(curl -sk -m 15 -o "$TMP/other-tls.css" -w '%{time_total}' "https://127.0.0.1:$HTTPS_PORT/style.css")
	echo "# with 3 idle TLS clients on the 3 channels, another curl -k took ${t}s"
	wait "$held"
	TLS_ENDS=$(tail -n1 "$TMP/tls-held.log")
	echo "# the idle TLS clients saw: $TLS_ENDS"
	cmp -s "$TMP/other-tls.css" card-sim/content/style.css &&
		awk -v t="$t" -v b="$T_TLS_IDLE" 'BEGIN { exit !(t > 0 && t < b) }'
}
check "3 idle TLS clients do not lock another out: served in < ${T_TLS_IDLE}s (--idle-ms 500)" idle_tls
check "... one idle TLS client was closed cleanly, the others kept, none reset ($TLS_ENDS)" \
	test "$(echo "$TLS_ENDS" | tr ' ' '\n' | sort | tr '\n' ' ')" = "eof open open "

# --- Chromium: the portal and the store with every sub-resource
CHROMIUM=$(command -v chromium || true)
# headless Chromium as root, nothing reaching for the (closed) network
CHROME_ARGS=(--headless --no-sandbox --disable-gpu --disable-quic
	--no-first-run --disable-background-networking --disable-component-update
	--disable-sync --disable-extensions --ignore-certificate-errors)
# page_check URL NAME: every image has a natural width, every style sheet
# rules; the page's own "DONE ms" is kept in $TMP/NAME.ms.
page_check() {
	local url=$1 name=$2 out
	timeout 90 "$CHROMIUM" "${CHROME_ARGS[@]}" --user-data-dir="$TMP/chr-$name" \
		--log-net-log="$TMP/$name.netlog" --dump-dom "$url" \
		>"$TMP/$name.dom" 2>"$TMP/$name.err"
	out=$(sed -n '/<pre id="out">/,/<\/pre>/p' "$TMP/$name.dom")
	echo "$out" | sed -n 's/.*\(DONE [0-9]*\).*/# \1 ms/p'
	echo "$out" | sed -n 's/.*DONE \([0-9]*\).*/\1/p' >"$TMP/$name.ms"
	local imgs bad resets
	imgs=$(echo "$out" | grep -c " img ")
	bad=$(echo "$out" | grep -E " (img|css) " | awk '$NF <= 0' | wc -l)
	resets=$(grep -o '"net_error":-10[01]' "$TMP/$name.netlog" 2>/dev/null | wc -l)
	echo "# $name: $imgs images, $bad broken, $resets resets in the net log"
	[ "$imgs" -ge 10 ] && [ "$bad" -eq 0 ] && echo "$out" | grep -q DONE
}
if [ -z "$CHROMIUM" ]; then
	for d in "HTTP" "second load" "HTTPS" "tab held open"; do skip "Chromium: $d" "chromium not installed"; done
else
	echo "# $("$CHROMIUM" --version 2>/dev/null)"
	b0=$(to_client)
	check "Chromium over HTTP: the portal and the store load whole (every image, the style sheet)" \
		page_check "http://127.0.0.1:$HTTP_PORT/t/check.html" http
	b1=$(to_client)
	# The same profile again: with the card's cache validators the second
	# load revalidates (304) and moves far fewer bytes through BIP.
	page_check "http://127.0.0.1:$HTTP_PORT/t/check.html" http >/dev/null
	b2=$(to_client)
	echo "# bytes to Chromium through BIP: first load $((b1 - b0)), second load $((b2 - b1))"
	if curl -sI -m 10 "http://127.0.0.1:$HTTP_PORT/img/help.png" | grep -qiE '^(etag|last-modified):'; then
		check "a second load revalidates from the cache: bytes through BIP fall below half" \
			test $((2 * (b2 - b1))) -lt $((b1 - b0))
	else
		skip "a second load revalidates from the cache" "the card sends no ETag or Last-Modified"
	fi
	check "Chromium over HTTPS (TLS in the card): the same, whole" \
		page_check "https://127.0.0.1:$HTTPS_PORT/t/check.html" https
	tab_held() {
		local t
		setsid "$CHROMIUM" "${CHROME_ARGS[@]}" \
			--user-data-dir="$TMP/chr-tab" --remote-debugging-port=0 \
			"http://127.0.0.1:$HTTP_PORT/t/check.html" >"$TMP/tab.log" 2>&1 &
		PGIDS+=($!)
		sleep 5	# loaded; Chromium keeps its idle keep-alive sockets
		local held
		held=$(sched_line 3516)
		echo "# the tab's connections: $held"
		t=$(curl -s -m 10 -o "$TMP/tab-other.html" -w '%{time_total}' "http://127.0.0.1:$HTTP_PORT/")
		echo "# Chromium holds the portal open; another curl took ${t}s"
		kill -- "-${PGIDS[-1]}" 2>/dev/null
		# the test means something only if the tab holds at least as
		# many connections as there are channels (before the scheduler
		# they took all four, bound or not now)
		[ "$(field held "$held")" -ge 4 ] &&
		cmp -s "$TMP/tab-other.html" card-sim/content/index.html &&
			awk -v t="$t" -v b="$T_TAB" 'BEGIN { exit !(t > 0 && t < b) }'
	}
	check "with a Chromium tab open (4 or more connections held), another curl is served in < ${T_TAB}s" tab_held
fi

echo "# $(sched_line 3516)"
echo "# $(sched_line 4116)"
check "pump log: no sanitizer report" \
	bash -c "! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' '$TMP/pump.log'"
kill -TERM "$PUMP_PID"
wait "$PUMP_PID"
check "SIGTERM with clients held: the pump stops cleanly" test $? -eq 0
counts
[ "$FAIL" -eq 0 ]
