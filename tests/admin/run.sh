#!/usr/bin/env bash
# Remote administration of the card on the host, end to end: the real
# pcscd (private) with vpcd, scws-card, scws-bipd in its --no-module TEST
# TOOLING mode, and the test RAS (tests/ras/scws-test-ras, TLS-PSK) on
# loopback.  The card's admin agent runs over the pump's TCP client
# channel, started by scws-card's --admin-on-signal TEST TOOLING (SIGUSR1
# instead of an SMS trigger).  Independent peers: openssl s_client -psk
# against the RAS, openssl s_server -psk as the RAS.  TAP on stdout; a line
# "admin PASSED FAILED SKIPPED" is appended to $SCWS_COUNTS.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
TOP=$PWD
OUT=$TOP/build/admin
PUMP=$OUT/scws-bipd
CARD=$OUT/scws-card
RAS=$OUT/scws-test-ras
PLAN=40

TAP_NAME=admin TAP_WHAT="admin"
. tests/lib/host-tap.sh
. tests/bipd/lib.sh

echo "TAP version 13"
need_pcscd curl openssl python3 ss
pkg-config --exists libpcsclite libnl-genl-3.0 libssl ||
	skip_all "libpcsclite, libnl-genl-3 or libssl headers missing"

echo "1..$PLAN"
mkdir -p "$OUT"
if build_bipd "$PUMP" && build_card "$CARD" &&
	cc -std=c11 -Wall -Wextra -D_GNU_SOURCE -O2 -g -o "$RAS" \
		tests/ras/scws-test-ras.c -lssl -lcrypto; then
	ok "build scws-bipd (ASan, UBSan), scws-card and scws-test-ras"
else
	not_ok "build scws-bipd, scws-card and scws-test-ras"
	skip_rest "build failed"
	counts
	exit 1
fi

TMP=$(mktemp -d /tmp/scws-admin-test.XXXXXX)
PCSCD_PID="" CARD_PID="" PUMP_PID="" RAS_PID=""
cleanup() {
	stop_and_clean "$RAS_PID" "$PUMP_PID" "$CARD_PID" "$PCSCD_PID"
	counts
}
trap cleanup EXIT

. tests/lib/pcscd.sh
VPCD_PORT=$(free_port)
HTTP_PORT=$(free_port)
RAS_PORT=$(free_port)
while [ "$RAS_PORT" = "$HTTP_PORT" ] || [ "$RAS_PORT" = "$VPCD_PORT" ]; do
	RAS_PORT=$(free_port)
done
HTTP=http://127.0.0.1:$HTTP_PORT
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
PSK_ID=card-0001
PSK=000102030405060708090a0b0c0d0e0f
ARAM_AID=A00000015141434C00
SCWS_AID=F0534357534757

count() { grep -cE "$2" "$1" 2>/dev/null; }

start_card() { spawn_card -v --channels 3516=2 --admin-on-signal "$@"; }

# restart_card [ARGS...]: stop the card, let the pump see it gone, start it
# again on the same state; true once the pump serves it again.
restart_card() {
	local lost served
	lost=$(count "$TMP/pump.log" "waiting for a card")
	served=$(count "$TMP/pump.log" "port 3516: 2 channels")
	stop_card
	# Let the pump see the reader empty before the card is back: a card
	# swapped within one of its polls is not noticed (see the report).
	waitfor "$TMP/pump.log" "waiting for a card" $((lost + 1)) 200
	sleep 1
	start_card "$@"
	waitfor "$TMP/pump.log" "port 3516: 2 channels" $((served + 1)) 400
}

# ras NAME [ARGS...]: a test RAS recording into $TMP/NAME/ (log NAME.log).
ras() {
	local name=$1
	shift
	mkdir -p "$TMP/$name"
	"$RAS" --port "$RAS_PORT" --psk-identity "$PSK_ID" --record "$TMP/$name" \
		"$@" >"$TMP/$name.log" 2>&1 &
	RAS_PID=$!
	waitfor "$TMP/$name.log" "listening" 1 100
}
stop_ras() { stop_pid "$RAS_PID"; RAS_PID=""; }

# trigger: SIGUSR1 to the card until it starts a session (the terminal may
# still be setting up after a card restart: "not started").
trigger() {
	local before
	for _ in $(seq 20); do
		before=$(count "$TMP/card.log" "SIGUSR1: admin session")
		kill -USR1 "$CARD_PID"
		waitfor "$TMP/card.log" "SIGUSR1: admin session" $((before + 1)) 100 || return 1
		tail -n 50 "$TMP/card.log" | grep "SIGUSR1: admin session" | tail -n1 |
			grep -q "session started" && return 0
		sleep 0.5
	done
	return 1
}

# session: a triggered session, until the card's log shows one more end.
session() {
	local before
	before=$(count "$TMP/card.log" "admin: session (complete|refused)|admin: giving up")
	trigger || return 1
	waitfor "$TMP/card.log" "admin: session (complete|refused)|admin: giving up" \
		$((before + 1)) 600
}

# req FILE METHOD PATH [TYPE BODYFILE [EXTRA-HEADER]]: an SCWS http-request.
req() {
	python3 - "$@" <<'EOF'
import sys
out, method, path = sys.argv[1:4]
head = f"{method} {path} HTTP/1.1\r\nHost: scws\r\n"
body = b""
if len(sys.argv) > 5:
    body = open(sys.argv[5], "rb").read()
    head += f"Content-Type: {sys.argv[4]}\r\n"
    if len(sys.argv) > 6:
        head += sys.argv[6] + "\r\n"
    head += f"Content-Length: {len(body)}\r\n"
open(out, "wb").write(head.encode() + b"\r\n" + body)
EOF
}

# --- 2-3: pcscd, the pump (rules from the card), the card with its admin parameters
check "private pcscd starts (vpcd on port $VPCD_PORT)" \
	pcscd_start "$TMP" "$VPCD_PORT" "SCWS admin test"
printf 'default allow\n' >"$TMP/local.conf"
"$PUMP" --foreground -v --no-module "3516=$HTTP_PORT" --policy "$TMP/local.conf" \
	--state-dir "$TMP/pumpstate" --card-rules-poll-ms 200 >"$TMP/pump.log" 2>&1 &
PUMP_PID=$!
start_card --reset-state --content card-sim/content \
	--admin "dest=127.0.0.1:$RAS_PORT" --admin host=ras.test \
	--admin agent-id=//se-id/iccid/8949000000000000001 --admin uri=/ras/start \
	--admin psk-id=$PSK_ID --admin key=1:1:$PSK --admin use-key=1:1 \
	--admin retry=2,1
check "the card is served through the pump" \
	waitfor "$TMP/pump.log" "port 3516: 2 channels" 1 400

# --- 4: an independent TLS-PSK client against the test RAS
ras probe --psk "$PSK"
out=$(echo | timeout 20 openssl s_client -connect "127.0.0.1:$RAS_PORT" -tls1_2 \
	-psk_identity "$PSK_ID" -psk "$PSK" -cipher PSK-AES128-CBC-SHA256 2>&1)
stop_ras
check "openssl s_client -psk completes a TLS 1.2 PSK handshake with the test RAS" \
	bash -c "grep -q 'Cipher is PSK-AES128-CBC-SHA256' <<<'$(grep Cipher <<<"$out")'"

# --- 5-8: the card against openssl s_server -psk -nocert (not our RAS)
# s_server stops at EOF on its stdin: an open FIFO keeps it going.
mkfifo "$TMP/s_in"
exec 3<>"$TMP/s_in"
timeout 60 openssl s_server -accept "$RAS_PORT" -tls1_2 -nocert \
	-psk_identity "$PSK_ID" -psk "$PSK" -naccept 1 <&3 >"$TMP/s_server.log" 2>&1 &
RAS_PID=$!
waitfor "$TMP/s_server.log" "ACCEPT" 1 100
trigger
check "openssl s_server -psk: the card's TLS-PSK handshake succeeds" \
	waitfor "$TMP/card.log" "admin: TLS 1.2 with TLS-PSK-WITH-AES-128" 1 400
check "... and s_server receives the first POST to the admin URI" \
	waitfor "$TMP/s_server.log" "^POST /ras/start HTTP/1.1" 1 200
check "... with Host, X-Admin-Protocol and X-Admin-From" \
	bash -c "grep -q '^Host: ras.test' '$TMP/s_server.log' &&
		grep -q '^X-Admin-Protocol: globalplatform-remote-admin/1.0' '$TMP/s_server.log' &&
		grep -q '^X-Admin-From: //se-id/iccid/8949000000000000001' '$TMP/s_server.log'"
stop_ras
exec 3>&-
check "... and s_server going away ends the attempt; the card retries, then gives up" \
	waitfor "$TMP/card.log" "admin: giving up" 1 600

# --- 9-18: a session: PUT a page, DELETE a directory, audit, over the pump
printf '<!DOCTYPE html>\n<title>New</title><p>Pushed by the RAS.</p>\n' >"$TMP/new.html"
req "$TMP/put.req" PUT /promo/new.html "text/html; charset=utf-8" "$TMP/new.html" \
	"Content-Language: en"
req "$TMP/del.req" DELETE /helpdesk/
req "$TMP/get.req" GET /promo/new.html
printf 'http %s\nhttp %s\nhttp %s\n' "$TMP/put.req" "$TMP/del.req" "$TMP/get.req" \
	>"$TMP/s1.script"
ras s1 --psk "$PSK" --script "$TMP/s1.script" --once
check "SIGUSR1: a session runs to its end (204)" session
check "the RAS saw 4 POSTs over TLS 1.2 PSK" \
	bash -c "[ \$(ls '$TMP/s1/'*.head | wc -l) = 4 ] &&
		grep -q 'with PSK-AES128-GCM-SHA256' '$TMP/s1.log'"
check "first POST: no body, Amd B headers, no X-Admin-Resume" \
	bash -c "[ ! -s '$TMP/s1/001.body' ] && grep -q '^POST /ras/start ' '$TMP/s1/001.head' &&
		grep -q 'X-Admin-Protocol: globalplatform-remote-admin/1.0' '$TMP/s1/001.head' &&
		! grep -qi 'X-Admin-Resume' '$TMP/s1/001.head'"
check "results go to X-Admin-Next-URI, chunked, as vnd.oma-scws-http-response, status ok" \
	bash -c "grep -q '^POST /ras/next/1 ' '$TMP/s1/002.head' &&
		grep -q 'Transfer-Encoding: chunked' '$TMP/s1/002.head' &&
		grep -q 'Content-Type: application/vnd.oma-scws-http-response' '$TMP/s1/002.head' &&
		grep -q 'X-Admin-Script-Status: ok' '$TMP/s1/002.head'"
check "PUT answered 201 Created, DELETE of the directory 204" \
	bash -c "head -c 12 '$TMP/s1/002.body' | grep -q 'HTTP/1.1 201' &&
		head -c 12 '$TMP/s1/003.body' | grep -q 'HTTP/1.1 204'"
check "the audit GET returns the new page" \
	bash -c "head -c 12 '$TMP/s1/004.body' | grep -q 'HTTP/1.1 200' &&
		tail -c \$(stat -c %s '$TMP/new.html') '$TMP/s1/004.body' | cmp -s - '$TMP/new.html'"
curl -s -m 20 -D "$TMP/new.hdr" -o "$TMP/new.got" "$HTTP/promo/new.html"
check "curl through the pump gets the new page byte-exact" cmp -s "$TMP/new.got" "$TMP/new.html"
check "... with its Content-Type and Content-Language" \
	bash -c "grep -qi '^Content-Type: text/html; charset=utf-8' '$TMP/new.hdr' &&
		grep -qi '^Content-Language: en' '$TMP/new.hdr'"
check "the deleted directory's pages are 404" \
	bash -c "[ \"\$(curl -s -m 20 -o /dev/null -w '%{http_code}' '$HTTP/helpdesk/faq.html')\" = 404 ]"
check "the public SCWS still refuses PUT and DELETE (405)" \
	bash -c "[ \"\$(curl -s -m 20 -o /dev/null -w '%{http_code}' -X PUT --data x '$HTTP/x.html')\" = 405 ] &&
		[ \"\$(curl -s -m 20 -o /dev/null -w '%{http_code}' -X DELETE '$HTTP/index.html')\" = 405 ]"
stop_ras

# --- 19-20: the change survives a card restart
restart_card
curl -s -m 20 -o "$TMP/new2.got" "$HTTP/promo/new.html"
check "after a card restart the new page is still served" cmp -s "$TMP/new2.got" "$TMP/new.html"
check "... and the deleted one is still 404" \
	bash -c "[ \"\$(curl -s -m 20 -o /dev/null -w '%{http_code}' '$HTTP/helpdesk/index.html')\" = 404 ]"

# --- 21-24: a RAS that drops mid-session: the card resumes per its policy
printf 'page A\n' >"$TMP/a.txt"
printf 'page B\n' >"$TMP/b.txt"
req "$TMP/a.req" PUT /drop/a.txt text/plain "$TMP/a.txt"
req "$TMP/b.req" PUT /drop/b.txt text/plain "$TMP/b.txt"
printf 'http %s\ndrop\nhttp %s\n' "$TMP/a.req" "$TMP/b.req" >"$TMP/s2.script"
ras s2 --psk "$PSK" --script "$TMP/s2.script" --once
check "RAS drops the connection mid-session: the session still completes" session
check "the card reconnected once (2 TLS connections)" \
	bash -c "[ \$(grep -c 'TLS TLSv1.2' '$TMP/s2.log') = 2 ]"
check "the resumed session's first POST carries X-Admin-Resume: true" \
	bash -c "grep -l 'X-Admin-Resume: true' '$TMP/s2/'*.head | head -n1 | grep -q '003.head'"
check "both pages are there, whole" \
	bash -c "curl -s -m 20 '$HTTP/drop/a.txt' | cmp -s - '$TMP/a.txt' &&
		curl -s -m 20 '$HTTP/drop/b.txt' | cmp -s - '$TMP/b.txt'"
stop_ras

# --- 25-27: no RAS at all: retries per policy (2, 1 s apart), content unchanged
sha_before=$(curl -s -m 20 "$HTTP/promo/new.html" | sha256sum)
before=$(count "$TMP/card.log" "admin: retry in")
gaveup=$(count "$TMP/card.log" "admin: giving up")
busy=$(count "$TMP/card.log" "not started: Device or resource busy")
trigger
sleep 0.3
kill -USR1 "$CARD_PID"
check "one session at a time: a second trigger meanwhile is refused (EBUSY)" \
	waitfor "$TMP/card.log" "not started: Device or resource busy" $((busy + 1)) 100
check "RAS unreachable: the card gives up after its retries" \
	waitfor "$TMP/card.log" "admin: giving up" $((gaveup + 1)) 600
check "... exactly 2 retries, and the content is unchanged" \
	bash -c "[ \$(( \$(grep -c 'admin: retry in' '$TMP/card.log') - $before )) = 2 ] &&
		[ \"\$(curl -s -m 20 '$HTTP/promo/new.html' | sha256sum)\" = '$sha_before' ]"

# --- 28-30: a malformed command: error status, content unchanged
printf 'PUT /bad.html HTTP/1.1\r\nContent-Length: 50\r\n\r\ntruncated' >"$TMP/bad.req"
printf 'raw application/vnd.oma-scws-http-request %s\n' "$TMP/bad.req" >"$TMP/s3.script"
ras s3 --psk "$PSK" --script "$TMP/s3.script" --once
check "a malformed SCWS command: the session ends normally" session
check "... answered X-Admin-Script-Status: script-format-error and a 400" \
	bash -c "grep -q 'X-Admin-Script-Status: script-format-error' '$TMP/s3/002.head' &&
		head -c 12 '$TMP/s3/002.body' | grep -q 'HTTP/1.1 400'"
check "... and nothing was stored (/bad.html is 404)" \
	bash -c "[ \"\$(curl -s -m 20 -o /dev/null -w '%{http_code}' '$HTTP/bad.html')\" = 404 ]"
stop_ras

# --- 31-32: wrong PSK: the handshake fails, nothing changes, no retry
req "$TMP/wp.req" PUT /wrong-psk.html text/html "$TMP/new.html"
printf 'http %s\n' "$TMP/wp.req" >"$TMP/s4.script"
ras s4 --psk ffeeddccbbaa99887766554433221100 --script "$TMP/s4.script"
before=$(count "$TMP/card.log" "admin: retry in")
refused=$(count "$TMP/card.log" "admin: session refused")
check "wrong PSK: the card's handshake fails and the session is refused" \
	bash -c "$(declare -f waitfor count trigger); TMP='$TMP' CARD_PID=$CARD_PID; trigger &&
		waitfor '$TMP/card.log' 'admin: session refused' $((refused + 1)) 300"
check "... the RAS saw no POST, no retry, /wrong-psk.html is 404" \
	bash -c "! ls '$TMP/s4/'*.head >/dev/null 2>&1 &&
		[ \$(grep -c 'admin: retry in' '$TMP/card.log') = $before ] &&
		[ \"\$(curl -s -m 20 -o /dev/null -w '%{http_code}' '$HTTP/wrong-psk.html')\" = 404 ]"
stop_ras

# --- 33-35: an ARA-M STORE DATA script changes the rules the pump loads
m=$(wc -l <"$TMP/pump.log")
store=$(rule "$SCWS_AID" "" 01)
capdu=$(printf '80E29000%02X%s' $((${#store} / 2)) "$store")
script=$(printf 'AA%02X22%02X%s' $((${#capdu} / 2 + 2)) $((${#capdu} / 2)) "$capdu")
printf 'apdu %s %s\n' "$ARAM_AID" "$script" >"$TMP/s5.script"
ras s5 --psk "$PSK" --script "$TMP/s5.script" --once
check "an APDU script for the ARA-M runs (X-Admin-Targeted-Application)" session
check "... answered AB { 80 01 01, 23 02 90 00 } as card-content-mgt-response" \
	bash -c "grep -q 'Content-Type: application/vnd.globalplatform.card-content-mgt-response;version=1.0' '$TMP/s5/002.head' &&
		[ \"\$(od -An -tx1 '$TMP/s5/002.body' | tr -d ' \n')\" = ab0780010123029000 ]"
check "the pump picks up the new rules (refresh tag) without a restart" \
	bash -c "for i in \$(seq 300); do tail -n +$((m + 1)) '$TMP/pump.log' |
		grep -q 'card rules in force' && exit 0; sleep 0.05; done; exit 1"
stop_ras

# --- 36-38: a 10 KiB PUT, what it costs against the protocol minimum
# snapshot: the pump's counters (SIGUSR1), one "stats:" line.
snapshot() {
	local before
	before=$(count "$TMP/pump.log" "stats:")
	kill -USR1 "$PUMP_PID"
	waitfor "$TMP/pump.log" "stats:" $((before + 1)) 100 >/dev/null
	grep "stats:" "$TMP/pump.log" | tail -n1
}
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
head -c 10240 /dev/urandom | base64 -w 76 | head -c 10240 >"$TMP/10k.txt"
req "$TMP/10k.req" PUT /bench/10k.txt text/plain "$TMP/10k.txt"
printf 'http %s\n' "$TMP/10k.req" >"$TMP/s6.script"
ras s6 --psk "$PSK" --script "$TMP/s6.script" --once
s0=$(snapshot)
t0=$(date +%s.%N)
check "a 10 KiB PUT in one session" session
t1=$(date +%s.%N)
s1=$(snapshot)
stop_ras
delta() { echo $(( $(field "$1" "$s1") - $(field "$1" "$s0") )); }
# The session's APDUs: FETCH, TERMINAL RESPONSE, ENVELOPE.  Not counted:
# the pump's idle STATUS and its ARA-M refresh-tag polls ("other").
fetch=$(delta fetch) tr=$(delta tr) env=$(delta envelope)
a=$((fetch + tr + env))
in=$(delta to-card) outb=$(delta to-client)
# The minimum for these bytes: each RECEIVE DATA (237 bytes at most with
# short APDUs) and SEND DATA (240) is a FETCH and a TERMINAL RESPONSE, and
# so are the OPEN CHANNEL and CLOSE CHANNEL no session can do without.
min=$(( 2 * ((in + 236) / 237) + 2 * ((outb + 239) / 240) + 4 ))
echo "# 10 KiB remote PUT: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s," \
	"$a APDUs ($fetch FETCH, $tr TR, $env ENVELOPE) for $in bytes to the card, $outb from it;" \
	"protocol minimum $min ($(awk -v a="$a" -v m="$min" 'BEGIN { printf "%+.1f", (a / m - 1) * 100 }') %)"
check "APDUs within 15 % of the protocol minimum ($a vs $min)" \
	awk -v a="$a" -v m="$min" 'BEGIN { exit !(m > 4 && a <= m * 1.15) }'
check "... and the 10 KiB resource reads back byte-exact" \
	bash -c "curl -s -m 20 '$HTTP/bench/10k.txt' | cmp -s - '$TMP/10k.txt'"

# --- 39-40: an IPv6 RAS ([::1]), stored as the card's destination
restart_card --admin "dest=[::1]:$RAS_PORT"
printf 'page v6\n' >"$TMP/v6.txt"
req "$TMP/v6.req" PUT /v6.txt text/plain "$TMP/v6.txt"
printf 'http %s\n' "$TMP/v6.req" >"$TMP/s7.script"
ras s7 --listen ::1 --psk "$PSK" --script "$TMP/s7.script" --once
check "a session with an IPv6 RAS over the pump's client channel" session
check "... stores its page" \
	bash -c "grep -q 'answered 204' '$TMP/s7.log' && curl -s -m 20 '$HTTP/v6.txt' | cmp -s - '$TMP/v6.txt'"
stop_ras
[ "$FAIL" -eq 0 ]
