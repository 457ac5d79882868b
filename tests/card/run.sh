#!/usr/bin/env bash
# scws-card through the real pcscd + vsmartcard vpcd: TAP, and a line
# "card PASSED FAILED SKIPPED" appended to $SCWS_COUNTS.
#
# pcscd gets its own everything, so it never clashes with a system pcscd or
# another test run: a private mount namespace (unshare -m) with a tmpfs on
# /run, where a bind mount puts /run/pcscd in our temp dir (clients reach
# the socket there through PCSCLITE_CSOCK_NAME); a config directory of its
# own (pcscd --config) whose only reader is vpcd on a free port; and
# --foreground --debug --apdu into a log file.  Every process started here
# is stopped by its PID at the end.
set -uo pipefail
cd "$(dirname "$0")/../.."
TOP=$PWD
OUT=$TOP/build/card
CARD=$OUT/scws-card
APDU=$OUT/pcsc-apdu
SCRIPTS=$TOP/tests/card/scripts
ATR="3b:9f:96:80:b1:fe:45:1f:c7:80:31:e0:73:fa:21:5b:64:53:43:57:53:82:90:00:9b"
PLAN=31

TAP_NAME=card TAP_WHAT="card"
. tests/lib/host-tap.sh
. tests/card/lib.sh

echo "TAP version 13"
need_pcscd opensc-tool curl

mkdir -p "$OUT"
if ! build_card_apdu; then
	echo "1..1"
	not_ok "build scws-card and pcsc-apdu"
	counts
	exit 1
fi
echo "1..$PLAN"

TMP=$(mktemp -d /tmp/scws-card-test.XXXXXX)
PCSCD_PID="" CARD_PID=""
trap cleanup EXIT

. tests/lib/pcscd.sh
VPCD_PORT=$(free_port)
DEBUG_PORT=$(free_port)
READER="SCWS card test 00 00"

start_pcscd() { pcscd_start "$TMP" "$VPCD_PORT" "SCWS card test" --debug --apdu; }

# script NAME: runs tests/card/scripts/NAME.script, transcript in the log.
script() {
	echo "=== $1" >>"$TMP/apdu.log"
	"$APDU" -r "$READER" -f "${2:-$SCRIPTS/$1.script}" >>"$TMP/apdu.log" 2>&1
}

# --- 1-2: pcscd and the card find each other
if ! start_pcscd; then
	not_ok "private pcscd starts"
	tail -n 20 "$TMP/pcscd.log" | sed 's/^/# /'
else
	ok "private pcscd starts (vpcd on port $VPCD_PORT)"
fi
check "scws-card connects to vpcd, pcscd sees a card" start_card

# --- 3-4: opensc-tool
check "opensc-tool -a: the UICC ATR" \
	test "$(opensc-tool -r 0 -a 2>/dev/null | tail -n1)" = "$ATR"
check "opensc-tool -s: SELECT MF returns the FCP" \
	bash -c "opensc-tool -r 0 -s 00A40004023F0000 2>/dev/null |
		 grep -q '^62 18 82 02 78 21 83 02 3F 00'"

# --- 5-10: APDU scripts
check "files: SELECT, FCP, GET RESPONSE, READ BINARY, error SWs" script files
check "PIN: VERIFY counters, protected EF" script pin
check "ARA-M on a logical channel: store, get all, truncated STORE DATA" script aram
check "toolkit: TERMINAL PROFILE -> 91xx, SET UP EVENT LIST, OPEN CHANNELs" script toolkit
# "/index.html?pad=" is 16 characters: a target of exactly 1024, and 1025.
long=$(printf 'A%.0s' $(seq 1008))
sed -e "s/@LONG@/$long/" -e "s/@LONGER@/${long}B/" "$SCRIPTS/http.script.in" \
	>"$TMP/http.script"
check "BIP session: index, 1024-char URL, /cgi/, protected page with and without PIN" \
	script http "$TMP/http.script"
check "pcscd logged the APDUs of the session" grep -q "80 14 00 00" "$TMP/pcscd.log"

# --- 11-12: state survives a clean restart
check "SIGTERM: clean exit, status 0" stop_card
if start_card; then
	check "after a restart the ARA-M rule is still there" script aram-persisted
else
	not_ok "after a restart the ARA-M rule is still there"
fi

# --- 13-14: a corrupted state file is refused unless --reset-state
stop_card >/dev/null
cp "$TMP/card.state" "$TMP/good.state"
printf '\x55' | dd of="$TMP/card.state" bs=1 seek=40 conv=notrunc 2>/dev/null
"$CARD" --vpcd "127.0.0.1:$VPCD_PORT" --state "$TMP/card.state" >"$TMP/corrupt.log" 2>&1
rc=$?
check "corrupt state: refused with a clear message" \
	bash -c "[ $rc -ne 0 ] && grep -q 'checksum mismatch' '$TMP/corrupt.log'"
check "--reset-state starts afresh" start_card --reset-state

# --- 15: pcscd restarts: the card comes back by itself
kill "$PCSCD_PID" 2>/dev/null
wait "$PCSCD_PID" 2>/dev/null
PCSCD_PID=""
if start_pcscd; then
	check "pcscd restarted: the card reconnects" \
		bash -c "for i in \$(seq 30); do '$APDU' -q -r '$READER' -w 1 80F2000C00 \
			 >/dev/null 2>&1 && exit 0; sleep 0.5; done; exit 1"
else
	not_ok "pcscd restarted: the card reconnects"
fi
stop_card >/dev/null

# --- 16-17: --baud 1200: 10 STATUS exchanges need >= 10 * 187 ETU = 1.56 s
start_card --baud 1200 --reset-state
t0=$(date +%s%N)
"$APDU" -q -r "$READER" 80F2000C00 80F2000C00 80F2000C00 80F2000C00 80F2000C00 \
	80F2000C00 80F2000C00 80F2000C00 80F2000C00 80F2000C00 >/dev/null 2>&1
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "--baud 1200: 10 STATUS take >= 1558 ms (took $ms ms)" test "$ms" -ge 1558
check "--baud 1200: and not absurdly more (< 6000 ms)" test "$ms" -lt 6000
stop_card >/dev/null

# --- the ARF: --access-rules arf
if start_card --access-rules arf; then
	check "--access-rules arf: no ARA-M, the PKCS#15 ODF, DODF, ACMain" script arf
else
	not_ok "--access-rules arf: no ARA-M, the PKCS#15 ODF, DODF, ACMain"
fi
stop_card >/dev/null

# --- 18-20: test tooling
start_card --debug-port "$DEBUG_PORT" --fault bad-tlv
check "--debug-port: HTTP straight from the card's server" \
	bash -c "curl -s -m 5 http://127.0.0.1:$DEBUG_PORT/index.html | grep -q '<html'"
# curl keeps the ETag and sends it back: the revisit is a 304, no body.
rm -f "$TMP/etag"
check "--debug-port: a revisit with curl --etag-compare is a bodiless 304" \
	bash -c "curl -s -m 5 -o /dev/null --etag-save '$TMP/etag' \
			http://127.0.0.1:$DEBUG_PORT/style.css &&
		 grep -q '^\"[0-9a-f]\{16\}\"\$' '$TMP/etag' &&
		 [ \"\$(curl -s -m 5 -o /dev/null -w '%{http_code} %{size_download}' \
			--etag-compare '$TMP/etag' http://127.0.0.1:$DEBUG_PORT/style.css)\" = '304 0' ]"
check "--fault bad-tlv: first FETCH malformed, second intact" script fault-tlv
stop_card >/dev/null

# --- 21-28: origin protection, with curl as the browser's stand-in
start_card --debug-port "$DEBUG_PORT"
DBG=http://127.0.0.1:$DEBUG_PORT
EVIL=http://127.0.0.1:8000
# status URL CURL-ARGS...: the HTTP status only.
status() { curl -s -m 5 -o /dev/null -w '%{http_code}' "$@"; }
token=$(curl -s -m 5 "$DBG/cgi/unblock" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p')
check "the card's forms carry a CSRF token" test "${#token}" -eq 32
check "GET /cgi/update: 405, Allow: POST, the file unchanged" \
	bash -c "curl -s -m 5 -D - -o /dev/null -u user:0000 \
		'$DBG/cgi/update?df=7F10&ef=6F3A&record=5&data=4142' | tr -d '\r' |
		 grep -q '^Allow: POST\$' &&
		 [ \"\$(curl -s -m 5 -u user:0000 '$DBG/cgi/display?df=7F10&ef=6F3A&record=5&length=2&format=hex')\" = FFFF ]"
check "cross-site POST (foreign Origin, right PIN and token): 403, nothing added" \
	bash -c "[ \"\$(curl -s -m 5 -o /dev/null -w '%{http_code}' -u user:0000 -H 'Origin: $EVIL' \
		--data 'action=add&name=Mallory&number=666&csrf=$token' '$DBG/cgi/phonebook')\" = 403 ] &&
		 ! curl -s -m 5 -u user:0000 '$DBG/cgi/phonebook' | grep -q Mallory"
check "POST with neither Origin nor Referer: 403" test 403 = \
	"$(status -u user:0000 --data "action=add&name=Mallory&number=666&csrf=$token" "$DBG/cgi/phonebook")"
check "POST from the card's origin without the token: 403" test 403 = \
	"$(status -u user:0000 -H "Origin: $DBG" --data 'action=add&name=Mallory&number=666' "$DBG/cgi/phonebook")"
check "POST from the card's origin with the token: 303, the entry is there" \
	bash -c "[ \"\$(curl -s -m 5 -o /dev/null -w '%{http_code}' -u user:0000 -H 'Origin: $DBG' \
		--data 'action=add&name=Trudy&number=123&csrf=$token' '$DBG/cgi/phonebook')\" = 303 ] &&
		 curl -s -m 5 -u user:0000 '$DBG/cgi/phonebook' | grep -q Trudy"
check "CORS + PNA preflight from a foreign origin: 403, no Access-Control-* field" \
	bash -c "out=\$(curl -s -m 5 -D - -o /dev/null -X OPTIONS -H 'Origin: $EVIL' \
		-H 'Access-Control-Request-Method: POST' \
		-H 'Access-Control-Request-Private-Network: true' '$DBG/cgi/phonebook' | tr -d '\r');
		 grep -q '^HTTP/1.1 403' <<<\"\$out\" && ! grep -qi '^access-control-' <<<\"\$out\""
check "the same preflight from the card's HTTPS origin: 204, exact grant, PNA allowed" \
	bash -c "out=\$(curl -s -m 5 -D - -o /dev/null -X OPTIONS -H 'Origin: https://127.0.0.1:4116' \
		-H 'Access-Control-Request-Method: POST' \
		-H 'Access-Control-Request-Private-Network: true' '$DBG/cgi/phonebook' | tr -d '\r');
		 grep -q '^HTTP/1.1 204' <<<\"\$out\" &&
		 grep -q '^Access-Control-Allow-Origin: https://127.0.0.1:4116\$' <<<\"\$out\" &&
		 grep -q '^Access-Control-Allow-Private-Network: true\$' <<<\"\$out\""
stop_card >/dev/null

# --- 29-30: the logs tell what happened and nothing crashed
check "card log: no sanitizer or assertion report" \
	bash -c "! grep -qE 'AddressSanitizer|runtime error|Assertion' '$TMP/card.log'"
check "card log: shutdown on SIGTERM" grep -q "shutting down" "$TMP/card.log"

counts
[ "$FAIL" -eq 0 ]
