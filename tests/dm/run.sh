#!/usr/bin/env bash
# scws-dmc on the host against the TEST TOOLING DM server
# tests/dm/scws-test-dms.py over loopback HTTP: a notification-started
# session provisions the tree, the tree survives a restart, and bad input
# (malformed SyncML, wrong or missing server credentials, replayed, forged
# or damaged notifications, aborted sessions) is refused with a clear error
# and the management data left as it was.  scws-dmc runs under ASan/UBSan.
# TAP on stdout; "dm PASSED FAILED SKIPPED" is appended to $SCWS_COUNTS.
set -uo pipefail
cd "$(dirname "$0")/../.."
TOP=$PWD
OUT=$TOP/build/dm
DMC=$OUT/scws-dmc
DMS="python3 $TOP/tests/dm/scws-test-dms.py"
PLAN=40

TAP_NAME=dm TAP_WHAT="dm"
. tests/lib/host-tap.sh

echo "TAP version 13"
command -v python3 >/dev/null || skip_all "python3 not installed"
pkg-config --exists libxml-2.0 libcurl libcrypto || skip_all "libxml2, libcurl or libcrypto headers missing"
echo "1..$PLAN"

mkdir -p "$OUT"
# shellcheck disable=SC2046
if ! cc -std=c11 -Wall -Wextra -D_GNU_SOURCE -O1 -g -fsanitize=address,undefined \
	-fno-omit-frame-pointer $(pkg-config --cflags libxml-2.0 libcurl) -o "$DMC" \
	-Iuapi -Itools/lib tools/scws-dmc/*.c tools/lib/dmsc-msg.c tools/lib/scws-se.c tools/lib/se-proto.c \
	tools/lib/arf-rules.c tools/lib/seac-rules.c tools/lib/ber.c \
	$(pkg-config --libs libxml-2.0 libcurl libcrypto); then
	skip_rest "scws-dmc did not build"
	counts
	exit 1
fi
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1

TMP=$(mktemp -d /tmp/scws-dm-test.XXXXXX)
SRV_PID=""
stop_server() {
	[ -n "$SRV_PID" ] || return 0
	kill "$SRV_PID" 2>/dev/null
	wait "$SRV_PID" 2>/dev/null
	SRV_PID=""
}
# SCWS_DM_KEEP=1 keeps the files of a run for a look.
trap 'stop_server; [ -n "${SCWS_DM_KEEP:-}" ] || rm -rf "$TMP"' EXIT
cd "$TMP" || exit 1

TREE=$TMP/tree.xml
SID=scws-test-dms
dmc() { "$DMC" -t "$TREE" "$@"; }
# The tree without the client's own record of notification session ids.
tree_sum() {
	python3 - "$TREE" <<'PY'
import hashlib, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
for parent in root.iter():
    for c in list(parent):
        if c.get("name") == "ScwsLastSessionID":
            parent.remove(c)
print(hashlib.sha256(ET.tostring(root)).hexdigest())
PY
}
state() { python3 -c "import json,sys; print(json.load(open('$TMP/state.json'))[sys.argv[1]])" "$1"; }
# log_has PYTHON-EXPR: some line of the server's log (a dict `e`) matches.
log_has() {
	python3 -c "
import json, sys
for l in open('$TMP/log.jsonl'):
    e = json.loads(l)
    if $1:
        sys.exit(0)
sys.exit(1)"
}
# status_of CMD TARGET: the code the client answered.
status_of() {
	python3 -c "
import json, sys
for l in open('$TMP/log.jsonl'):
    for s in json.loads(l).get('status', []):
        if s['cmd'] == sys.argv[1] and s['target'] == sys.argv[2]:
            print(s['code'])" "$1" "$2"
}

# start_server SCRIPT [FAULT]: a fresh log each time; the first server
# takes a free port, the later ones the same (the tree's AppAddr).
PORT=0
start_server() {
	stop_server
	rm -f "$TMP/port" "$TMP/log.jsonl"
	touch "$TMP/log.jsonl"
	$DMS serve --state "$TMP/state.json" --script "$1" --log "$TMP/log.jsonl" \
		--port "$PORT" --port-file "$TMP/port" ${2:+--fault "$2"} 2>>"$TMP/server.err" &
	SRV_PID=$!
	for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
	PORT=$(cat "$TMP/port" 2>/dev/null)
}

SN=$(head -c 16 /dev/urandom | base64)
CN=$(head -c 16 /dev/urandom | base64)
cat >state.json <<JSON
{"server_id": "$SID", "server_name": "$SID", "server_secret": "server-secret",
 "server_nonce": "$SN", "client_name": "gw-1", "client_secret": "client-secret",
 "client_nonce": "$CN"}
JSON

cat >provision.json <<'JSON'
[[{"cmd": "Get", "target": "./DevInfo/DevId"},
  {"cmd": "Add", "target": "./DMAcc/srv2", "format": "node"},
  {"cmd": "Add", "target": "./DMAcc/srv2/ServerID", "format": "chr", "data": "srv2"},
  {"cmd": "Add", "target": "./DMAcc/srv2/AppAddr/1/Addr", "format": "chr", "data": "https://dm.example/srv2"},
  {"cmd": "Replace", "target": "./DMAcc/scws-test-dms/Name", "format": "chr", "data": "Test DMS"},
  {"cmd": "Replace", "target": "./DevDetail/FwV", "data": "9"},
  {"cmd": "Add", "target": "./DMAcc/srv2/ServerID", "format": "chr", "data": "again"},
  {"cmd": "Get", "target": "./Nowhere"},
  {"cmd": "Exec", "target": "./DMAcc/scws-test-dms/Name"}],
 [{"cmd": "Get", "target": "./DMAcc"},
  {"cmd": "Delete", "target": "./DMAcc/srv2/AppAddr"}]]
JSON
cat >evil.json <<'JSON'
[[{"cmd": "Add", "target": "./DMAcc/evil/ServerID", "format": "chr", "data": "evil"}]]
JSON

start_server "$TMP/provision.json"
check "the test DM server listens" test -n "$PORT"

dmc init --devid IMEI:004999010640000 >/dev/null 2>err
check "init makes a tree" test -s "$TREE"
dmc bootstrap --server-id "$SID" --addr "http://127.0.0.1:$PORT/dm" \
	--client-name gw-1 --client-secret client-secret --server-name "$SID" \
	--server-secret server-secret --server-nonce "$SN" --client-nonce "$CN" 2>err
check "bootstrap adds the DMAcc" test "$(dmc get ./DMAcc/$SID/ServerID)" = "$SID"
dmc init --devid other 2>err
check "init refuses to replace a tree" grep -q "not replaced" err

# --- a server-initiated session ------------------------------------------
$DMS notify --state state.json --session 42 --ui-mode 1 >pkg42.bin
dmc notify pkg42.bin 2>err
rc=$?
check "a notification starts a session that ends well" test "$rc" -eq 0
check "package 1 carries Alert 1200 and DevInfo" \
	log_has "'1200' in e['alerts'] and any(r['uri'] == './DevInfo/DevId' for r in e['replace'])"
check "the server sees the client's credentials accepted" log_has "e.get('auth') == 'client accepted'"
check "the client answers the server's SyncHdr with 212" test "$(status_of SyncHdr IMEI:004999010640000 | sed -n 1p)" = 212
check "Get returns the DevId in Results" log_has "{'uri': './DevInfo/DevId', 'data': 'IMEI:004999010640000'} in e['results']"
check "Add provisions a new DMAcc" test "$(dmc get ./DMAcc/srv2/ServerID)" = srv2
check "Replace changes the account name" test "$(dmc get ./DMAcc/$SID/Name)" = "Test DMS"
check "Replace outside the ACL: 425, node unchanged" \
	test "$(status_of Replace ./DevDetail/FwV)" = 425 -a "$(dmc get ./DevDetail/FwV)" = 1
check "Add of an existing node: 418" test "$(status_of Add ./DMAcc/srv2/ServerID | tail -n1)" = 418
check "Get of a missing node: 404" test "$(status_of Get ./Nowhere)" = 404
check "Exec outside the ACL: 425" test "$(status_of Exec ./DMAcc/$SID/Name)" = 425
check "the second package: Get of an interior node lists children" \
	log_has "{'uri': './DMAcc', 'data': '$SID/srv2'} in e['results']"
check "Delete by the server that added the subtree removes it" \
	sh -c "test \"\$(python3 -c \"import json; print([s['code'] for l in open('log.jsonl') for s in json.loads(l)['status'] if s['cmd'] == 'Delete'][0])\")\" = 200 && ! '$DMC' -t '$TREE' get ./DMAcc/srv2/AppAddr >/dev/null 2>&1"
check "the server nonce was renewed and both sides keep it" \
	test "$(state server_nonce)" != "$SN" -a "$(dmc get ./DMAcc/$SID/AppAuth/2/AAuthData)" = "$(state server_nonce)"
check "no temporary file is left next to the tree" \
	test "$(find "$TMP" -name 'tree.xml.*' ! -name '*.lock' | wc -l)" -eq 0

# --- restart: a new process, a client-initiated session with the new nonces
start_server "$TMP/provision.json"
check "the tree survives a restart" test "$(dmc get ./DMAcc/srv2/ServerID)" = srv2
dmc session --server-id "$SID" --alert-type org.example.report --alert-data hello 2>err
check "a client-initiated session with the stored nonces works" test $? -eq 0
check "it carries Alert 1201 and the Generic Alert 1226" log_has "'1201' in e['alerts'] and '1226' in e['alerts']"

# --- notifications refused ----------------------------------------------
before=$(tree_sum)
dmc notify pkg42.bin 2>err
check "a replayed notification is refused (digest, the nonce moved on)" \
	sh -c "test $? -eq 1 && grep -q 'digest check failed' err"
$DMS notify --state state.json --session 42 >again42.bin
dmc notify again42.bin 2>err
check "a fresh notification reusing a session id is refused" grep -q "already used (replay)" err
$DMS notify --state state.json --session 77 --wrong-secret >forged.bin
dmc notify forged.bin 2>err
check "a forged notification (wrong secret) is refused" grep -q "digest check failed" err
$DMS notify --state state.json --session 78 >good78.bin
python3 -c "import sys; b = bytearray(open('good78.bin','rb').read()); b[22] ^= 1; open('damaged.bin','wb').write(b)"
dmc notify damaged.bin 2>err
check "a notification with one bit changed is refused" grep -q "digest check failed" err
head -c 20 good78.bin >short.bin
dmc notify short.bin 2>err
check "a truncated notification is refused" grep -q "truncated" err
$DMS notify --state state.json --session 79 --version 11 >v11.bin
dmc notify v11.bin 2>err
check "a notification of another DM version is refused" grep -q "version" err
check "the tree is unchanged by all refused notifications" test "$(tree_sum)" = "$before"

# --- sessions that fail ---------------------------------------------------
bad_session() { # FAULT SESSION-ID: run a notified session against the fault
	start_server "$TMP/evil.json" "$1"
	$DMS notify --state state.json --session "$2" >"pkg$2.bin"
	dmc notify "pkg$2.bin" 2>err
}
bad_session bad-server-cred 100
rc=$?
check "wrong server credentials: refused, no command run" \
	sh -c "test $rc -eq 1 && grep -q \"server's credentials are wrong\" err && ! '$DMC' -t '$TREE' get ./DMAcc/evil 2>/dev/null"
check "the client told the server 401 with a new challenge" test "$(status_of SyncHdr IMEI:004999010640000 | tail -n1)" = 401
bad_session no-server-cred 101
check "missing server credentials: 407, no command run" \
	sh -c "grep -q \"credentials are missing\" err && test \"\$(python3 -c \"import json; print([s['code'] for l in open('log.jsonl') for s in json.loads(l)['status']][-1])\")\" = 407"
before=$(tree_sum)
bad_session malformed 102
check "malformed SyncML from the server: clear error, tree unchanged" \
	sh -c "grep -q 'malformed SyncML' err && test \"$before\" = \"$(tree_sum)\""
bad_session abort 103
check "a session the server aborts (1223) leaves no change" \
	sh -c "grep -q 'aborted' err && ! '$DMC' -t '$TREE' get ./DMAcc/evil 2>/dev/null"
start_server "$TMP/provision.json" challenge-first
$DMS notify --state state.json --session 104 >pkg104.bin
dmc notify pkg104.bin 2>err
check "a client challenge (401 + NextNonce) is answered with new credentials" \
	sh -c "test $? -eq 0 && test \$(grep -c 'client rejected' log.jsonl) -eq 1"
cat >more.json <<'JSON'
[[{"cmd": "Replace", "target": "./DMAcc/scws-test-dms/Name", "data": "one"},
  {"cmd": "Add", "target": "./DMAcc/srv3/ServerID", "data": "srv3"}]]
JSON
start_server "$TMP/more.json" no-final
$DMS notify --state state.json --session 105 >pkg105.bin
dmc notify pkg105.bin 2>err
check "a package without Final: the client asks for more (1222) and gets it" \
	sh -c "test $? -eq 0 && test \"\$('$DMC' -t '$TREE' get ./DMAcc/srv3/ServerID)\" = srv3"
python3 - state.json <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); s["client_secret"] = "changed"
json.dump(s, open(sys.argv[1], "w"))
PY
start_server "$TMP/evil.json"
dmc session --server-id "$SID" 2>err
check "client credentials the server refuses twice: clear error" \
	sh -c "test $? -eq 1 && grep -q 'refused our' err && ! '$DMC' -t '$TREE' get ./DMAcc/evil 2>/dev/null"

# --- HTTPS: the server's certificate is checked -------------------------
python3 - state.json <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); s["client_secret"] = "client-secret"
json.dump(s, open(sys.argv[1], "w"))
PY
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
	-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
	-keyout key.pem -out cert.pem 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
	-subj /CN=other -keyout other-key.pem -out other.pem 2>/dev/null
cat >tls.json <<'JSON'
[[{"cmd": "Add", "target": "./DMAcc/srv-tls/ServerID", "data": "over-tls"}]]
JSON
stop_server
rm -f "$TMP/port" "$TMP/log.jsonl"
touch "$TMP/log.jsonl"
$DMS serve --state "$TMP/state.json" --script "$TMP/tls.json" --log "$TMP/log.jsonl" \
	--port 0 --port-file "$TMP/port" --tls-cert cert.pem --tls-key key.pem 2>>"$TMP/server.err" &
SRV_PID=$!
for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
TLS_PORT=$(cat "$TMP/port" 2>/dev/null)
python3 - "$TREE" "$TLS_PORT" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
s = re.sub(r'http://127\.0\.0\.1:\d+/dm', 'https://127.0.0.1:%s/dm' % sys.argv[2], s)
open(p, 'w').write(s)
PY
"$DMC" -t "$TREE" --cafile other.pem session --server-id "$SID" 2>err
check "HTTPS with a certificate not from the trust anchors: refused" \
	sh -c "test $? -eq 1 && grep -qi 'certificate' err && ! '$DMC' -t '$TREE' get ./DMAcc/srv-tls 2>/dev/null"
"$DMC" -t "$TREE" --cafile cert.pem session --server-id "$SID" 2>err
check "HTTPS with the server's certificate trusted: the session runs" test $? -eq 0
check "a node provisioned over HTTPS" test "$(dmc get ./DMAcc/srv-tls/ServerID)" = over-tls

stop_server
counts
[ "$FAIL" -eq 0 ]
