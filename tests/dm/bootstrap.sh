#!/usr/bin/env bash
# scws-dmc bootstrap --from-card, end to end on the host: a private pcscd
# with vpcd, scws-card (its DM bootstrap file in the PKCS#15 application),
# scws-bipd --no-module --se-socket with local rules that let scws-dmc
# (and only it) read the PKCS#15 application, and scws-dmc under ASan and
# UBSan.  The account read from the card must equal one made by options
# from the card's known values; a second bootstrap changes nothing; a
# denied program, a missing service and each spoiled file the card can be
# made to hold (--dm-bootstrap-fault) fail clearly with the tree
# unchanged.  TAP on stdout; "dmboot PASSED FAILED SKIPPED" is appended to
# $SCWS_COUNTS.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
TOP=$PWD
OUT=$TOP/build/dm-card
PUMP=$OUT/scws-bipd
CARD=$OUT/scws-card
DMC=$OUT/scws-dmc
PLAN=21

TAP_NAME=dmboot TAP_WHAT="DM bootstrap from the card"
. tests/lib/host-tap.sh
. tests/bipd/lib.sh

echo "TAP version 13"
need_pcscd python3 ss
pkg-config --exists libpcsclite libnl-genl-3.0 libxml-2.0 libcurl libcrypto ||
	skip_all "libpcsclite, libnl-genl-3, libxml2, libcurl or libcrypto headers missing"
echo "1..$PLAN"
mkdir -p "$OUT"
if build_bipd "$PUMP" && build_card "$CARD" && build_dmc "$DMC"; then
	ok "build scws-bipd and scws-dmc (ASan, UBSan) and scws-card"
else
	not_ok "build scws-bipd, scws-dmc and scws-card"
	skip_rest "build failed"
	counts
	exit 1
fi

TMP=$(mktemp -d /tmp/scws-dmboot-test.XXXXXX)
chmod 755 "$TMP"
PCSCD_PID="" CARD_PID="" PUMP_PID=""
cleanup() { stop_and_clean "$PUMP_PID" "$CARD_PID" "$PCSCD_PID"; counts; }
trap cleanup EXIT

. tests/lib/pcscd.sh
VPCD_PORT=$(free_port)
HTTP_PORT=$(free_port)
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=halt_on_error=1
SOCK=$TMP/se.sock
P15=A000000063504B43532D3135
OTHER=$TMP/other-dmc
cp "$DMC" "$OTHER"

# The admin's rules: scws-dmc may SELECT by FID and READ BINARY in the
# PKCS#15 application; every other program is kept out of it (the
# bootstrap file holds the account's secrets).
cat >"$TMP/se-rules" <<EOF
allow $P15 exe $DMC apdu 00A40000/FFFFFF00 apdu 00B00000/FFFF8000
deny  $P15
EOF

check "private pcscd starts" pcscd_start "$TMP" "$VPCD_PORT" "SCWS DM bootstrap test"
spawn_card -v --reset-state --content card-sim/content
"$PUMP" --foreground -v --no-module "3516=$HTTP_PORT" --se-socket "$SOCK" \
	--se-rules "$TMP/se-rules" --se-trust-dir "$TMP/no-such-dir" >"$TMP/pump.log" 2>&1 &
PUMP_PID=$!
check "the pump serves APDU access and the card's channels" \
	bash -c "$(declare -f waitfor); waitfor '$TMP/pump.log' 'APDU access service on' 1 400 &&
		waitfor '$TMP/pump.log' 'port 3516: 2 channels' 1 400"

# tree_of TREE: every node as "uri format type acl value", one a line,
# without the account's Name (the card names it, options take the id).
tree_of() {
	python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
def walk(n, uri):
    for c in n.findall("Node"):
        u = uri + "/" + c.get("name")
        if not u.endswith("/Name"):
            v = c.find("Value")
            print(u, c.get("format"), c.get("type"), c.get("acl"),
                  v.text if v is not None else "")
        walk(c, u)
walk(ET.parse(sys.argv[1]).getroot(), ".")
PY
}
tree_sum() { sha256sum "$1" | cut -d' ' -f1; }

fresh() { rm -f "$TMP/$1" "$TMP/$1.lock"; "$DMC" -t "$TMP/$1" init --devid IMEI:1 2>/dev/null; }
# dmc PROGRAM ARGS...: stderr in $TMP/err, and kept in $TMP/all.err.
dmc() {
	"$@" 2>"$TMP/err"
	local rc=$?
	cat "$TMP/err" >>"$TMP/all.err"
	return $rc
}
fresh card.xml
dmc "$DMC" -v -t "$TMP/card.xml" bootstrap --from-card --se-socket "$SOCK"
rc=$?
check "bootstrap --from-card succeeds" test "$rc" -eq 0
check "... reads all of EF DM_Bootstrap: over 1000 bytes, so many READ BINARY of 256 at most" \
	grep -Eq 'EF 4400: [0-9]{4} bytes read' "$TMP/err"
check "... let in by the admin's rule for scws-dmc" \
	grep -q "AID $P15: allowed by the local rules" "$TMP/pump.log"

# The same account made by options from the card's values
# (card-sim/dm/dm_identity.c, card-sim/dm/bootstrap_file.h).
fresh opts.xml
"$DMC" -t "$TMP/opts.xml" bootstrap --server-id scws-card --addr http://127.0.0.1:3516/dm \
	--client-name scws-dmc --client-secret card-client-secret --server-name scws-card \
	--server-secret card-server-secret --client-nonce Y2FyZC1jbGllbnQtbm9uY2UtMA== \
	--server-nonce Y2FyZC1zZXJ2ZXItbm9uY2UtMA== 2>/dev/null
tree_of "$TMP/card.xml" | sed 's| urn:oma:mo:oma-dm-dmacc:1.0 | None |' >"$TMP/card.nodes"
tree_of "$TMP/opts.xml" >"$TMP/opts.nodes"
check "the DMAcc from the card equals the one made by options (every node, format, ACL, value)" \
	diff -u "$TMP/opts.nodes" "$TMP/card.nodes"
tree_of "$TMP/card.xml" >"$TMP/card.raw"
check "... its root carries the DMAcc MO's DDF name" \
	grep -q '^\./DMAcc/scws-card node urn:oma:mo:oma-dm-dmacc:1.0 ' "$TMP/card.raw"
check "... and the card's Name for it" \
	test "$("$DMC" -t "$TMP/card.xml" get ./DMAcc/scws-card/Name)" = "SCWS card provisioning"
check "... and dm_account_find takes it: scws-dmc get reads the SRVCRED nonce" \
	test "$("$DMC" -t "$TMP/card.xml" get ./DMAcc/scws-card/AppAuth/2/AAuthData)" = Y2FyZC1zZXJ2ZXItbm9uY2UtMA==

before=$(tree_sum "$TMP/card.xml")
dmc "$DMC" -t "$TMP/card.xml" bootstrap --from-card --se-socket "$SOCK"
rc=$?
check "a second bootstrap of the same ServerID succeeds and changes nothing" \
	bash -c "test $rc -eq 0 && grep -q 'scws-card: already bootstrapped; tree unchanged' '$TMP/err' &&
		test '$before' = \$(sha256sum '$TMP/card.xml' | cut -d' ' -f1)"

fresh other.xml
before=$(tree_sum "$TMP/other.xml")
dmc "$OTHER" -t "$TMP/other.xml" bootstrap --from-card --se-socket "$SOCK"
rc=$?
check "another program is denied the PKCS#15 application; tree unchanged" \
	bash -c "test $rc -eq 1 && grep -q 'channel to the PKCS#15 application: .*denied' '$TMP/err' &&
		test '$before' = \$(sha256sum '$TMP/other.xml' | cut -d' ' -f1)"
dmc "$DMC" -t "$TMP/other.xml" bootstrap --from-card --se-socket "$TMP/no.sock"
rc=$?
check "no APDU access service: a clear error, tree unchanged" \
	bash -c "test $rc -eq 1 && grep -q 'APDU access service $TMP/no.sock: No such file' '$TMP/err' &&
		test '$before' = \$(sha256sum '$TMP/other.xml' | cut -d' ' -f1)"

rm -f "$TMP/none.xml"
dmc "$DMC" -t "$TMP/none.xml" bootstrap --from-card --se-socket "$SOCK"
rc=$?
check "no tree: refused before the card is read, and no tree is made" \
	bash -c "test $rc -eq 1 && grep -q 'none.xml' '$TMP/err' && ! grep -q 'from the card' '$TMP/err' &&
		test ! -e '$TMP/none.xml'"

# bad_card KIND PATTERN DESCRIPTION: the card restarted with its data
# spoiled (TEST TOOLING); the bootstrap fails with PATTERN, tree unchanged.
cards=1
# se_sees_card: until the APDU access service reports the card present
# (it notices the new card apart from the BIP ports), 20 s at most.
se_sees_card() {
	local i ctl=${BUILD:-build}/scwsctl
	[ -x "$ctl" ] || make -s "$ctl" >/dev/null 2>&1
	for i in $(seq 200); do
		"$ctl" se --socket "$SOCK" list 2>/dev/null | grep -q ' present' && return 0
		sleep 0.1
	done
	return 1
}
bad_card() {
	local waits
	waits=$(grep -c 'waiting for a card' "$TMP/pump.log")
	stop_card
	waitfor "$TMP/pump.log" "card lost" "$cards" 200
	# The pump must see the reader empty first: a card swapped within one
	# of its polls can go unnoticed (a known limit of the pump's PC/SC loop).
	waitfor "$TMP/pump.log" "waiting for a card" $((waits + 1)) 200
	spawn_card -v --content card-sim/content --dm-bootstrap-fault "$1"
	cards=$((cards + 1))
	waitfor "$TMP/pump.log" "port 3516: 2 channels" "$cards" 400
	se_sees_card
	fresh bad.xml
	local before rc
	before=$(tree_sum "$TMP/bad.xml")
	dmc "$DMC" -t "$TMP/bad.xml" bootstrap --from-card --se-socket "$SOCK"
	rc=$?
	sed 's/^/# /' "$TMP/err"
	check "$3" bash -c "test $rc -eq 1 && grep -q '$2' '$TMP/err' &&
		grep -q 'tree unchanged\\|from the card:' '$TMP/err' &&
		test '$before' = \$(sha256sum '$TMP/bad.xml' | cut -d' ' -f1)"
}
bad_card cut "EF DM_Bootstrap: offset [0-9]*: EF has [0-9]* bytes, the DODF names [0-9]* at 0 (cut short?)" \
	"a cut EF DM_Bootstrap (shorter than its DODF entry): refused, tree unchanged"
bad_card xml "bootstrap data refused (card): malformed XML" \
	"malformed XML on the card: refused, tree unchanged"
bad_card tag "unexpected <Valeu> in Node" \
	"a TNDS element of the wrong name: refused, tree unchanged"
bad_card dodf "EF.DODF: offset [0-9]*: value is tag 31, not a Path (30)" \
	"a DODF entry with a wrong tag: refused, tree unchanged"
bad_card incomplete "./DMAcc/scws-card: account of scws-card lacks a usable CLCRED or SRVCRED" \
	"an account without SRVCRED: refused, tree unchanged"
bad_card absent "no DM bootstrap data: no DODF entry with the DM bootstrap OID 2.23.43.7.1" \
	"a card without DM bootstrap data: said so, tree unchanged"

check "no sanitizer report from scws-dmc or the pump" \
	bash -c "! grep -q 'ERROR: AddressSanitizer\|runtime error:\|LeakSanitizer' '$TMP/all.err' '$TMP/pump.log'"
