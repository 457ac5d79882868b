#!/usr/bin/env bash
# The card's access rules on the host, end to end: a private pcscd with
# vpcd, scws-card with ARA-M rules, scws-bipd --no-module --policy FILE.
# The pump reads the rules over its own logical channel before it opens
# its listeners, writes card-rules.conf and the merged policy.conf, picks
# up a rule change (STORE DATA through scws-card's TEST TOOLING inbox, the
# refresh tag changes) without a restart, and keeps the policy in force
# when the card's answer is malformed.  TAP on stdout; a line
# "cardrules PASSED FAILED SKIPPED" is appended to $SCWS_COUNTS.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
TOP=$PWD
OUT=$TOP/build/bipd-card-rules
PUMP=$OUT/scws-bipd
CARD=$OUT/scws-card
CTL=${SCWS_BUILD:-$PWD/build}/scwsctl	# make all builds it (BPF skeleton, libcrypto)
PLAN=27

TAP_NAME=cardrules TAP_WHAT="card rules"
. tests/lib/host-tap.sh
. tests/bipd/lib.sh

echo "TAP version 13"
need_pcscd curl python3 ss
pkg-config --exists libpcsclite libnl-genl-3.0 || skip_all "libpcsclite or libnl-genl-3 headers missing"

echo "1..$PLAN"
mkdir -p "$OUT"
# scwsctl embeds the BPF-LSM skeleton `make` generates in build/bpf.
# shellcheck disable=SC2046
if build_bipd "$PUMP" && build_card "$CARD" && [ -x "$CTL" ]; then
	ok "build scws-bipd (ASan, UBSan) and scws-card; scwsctl from make"
else
	not_ok "build scws-bipd and scws-card"
	skip_rest "build failed"
	counts
	exit 1
fi

TMP=$(mktemp -d /tmp/scws-card-rules-test.XXXXXX)
PCSCD_PID="" CARD_PID="" PUMP_PID=""
cleanup() {
	stop_and_clean "$PUMP_PID" "$CARD_PID" "$PCSCD_PID"
	counts
}
trap cleanup EXIT

. tests/lib/pcscd.sh
VPCD_PORT=$(free_port)
HTTP_PORT=$(free_port)
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
STATE=$TMP/state
INBOX=$TMP/inbox
SCWS_AID=F0534357534757

# store LINE...: the lines go into the inbox and the card applies them.
store() {
	local before
	before=$(grep -c "ARA-M inbox\|ARA-M: answers" "$TMP/card.log")
	printf '%s\n' "$@" >"$INBOX"
	kill -USR2 "$CARD_PID"
	waitfor "$TMP/card.log" "ARA-M inbox|ARA-M: answers" $((before + $#))
}

check "private pcscd starts" pcscd_start "$TMP" "$VPCD_PORT" "SCWS card rules test"
spawn_card -v --reset-state --content card-sim/content --aram-inbox "$INBOX"
sleep 0.3
check "the card stores a rule: $SCWS_AID, every app with label usr.bin.curl, always" \
	store "$(rule $SCWS_AID "" 01 usr.bin.curl)"

printf 'default deny\nallow uid 0\ndeny uid 65534\n' >"$TMP/local.conf"
"$PUMP" --foreground -v --no-module "3516=$HTTP_PORT" --policy "$TMP/local.conf" \
	--state-dir "$STATE" --card-rules-poll-ms 200 >"$TMP/pump.log" 2>&1 &
PUMP_PID=$!
check "the pump puts the card's rules in force" \
	waitfor "$TMP/pump.log" "card rules in force.*: 2 from the card" 1 400
check "... before it listens for clients (fail closed at boot)" \
	bash -c "grep -E 'card rules in force|connection source open' '$TMP/pump.log' | head -n1 | grep -q 'card rules in force'"
check "card-rules.conf: allow label \"usr.bin.curl\" then deny all" \
	bash -c "grep -v '^#' '$STATE/card-rules.conf' | tr '\n' '|' | grep -qx 'allow label \"usr.bin.curl\"|deny all|'"
check "policy.conf: local deny, card, local allow, local default" \
	bash -c "grep -v '^#' '$STATE/policy.conf' | tr '\n' '|' |
		grep -qx 'default deny|deny uid 65534|allow label usr.bin.curl  # card|deny all  # card|allow uid 0|'"
check "the card is served meanwhile (HTTP through the pump)" \
	bash -c "curl -s -m 20 -o /dev/null -w '%{http_code}' http://127.0.0.1:$HTTP_PORT/ | grep -q 200"

# a rule change reaches the pump without a restart
tag1=$(sed -n 's/.*refresh tag \([0-9a-f]*\).*/\1/p' "$STATE/card-rules.conf")
m=$(mark)
store "$(rule $SCWS_AID "" 00 snap.demo.client)"
check "STORE DATA: the pump sees the new refresh tag and reloads" \
	since "$m" "card rules in force.*: 3 from the card"
tag2=$(sed -n 's/.*refresh tag \([0-9a-f]*\).*/\1/p' "$STATE/card-rules.conf")
check "card-rules.conf has the new rule and the new tag ($tag1 -> $tag2)" \
	bash -c "[ -n '$tag1' ] && [ '$tag1' != '$tag2' ] &&
		grep -qx 'deny label \"snap.demo.client\"' '$STATE/card-rules.conf'"

check "scwsctl policy show --card prints the card's rules the pump wrote" \
	bash -c "'$CTL' policy show --card --state-dir '$STATE' | cmp -s - '$STATE/card-rules.conf' &&
		 '$CTL' policy show --card --state-dir '$STATE' | grep -q 'refresh tag $tag2'"

m=$(mark)
store "cert $(openssl x509 -in card-sim/aram/examples/demo-signer.crt -outform DER | xxd -p | tr -d '\n')"
since "$m" "1 certificate from the card" >/dev/null
check "the card's certificate (GET DATA FF70) lands in card-certs.pem" \
	bash -c "openssl x509 -in '$STATE/card-certs.pem' -outform DER | cmp -s - <(openssl x509 -in card-sim/aram/examples/demo-signer.crt -outform DER)"

# malformed answers keep the policy in force
cp "$STATE/card-rules.conf" "$TMP/good-rules.conf"
cp "$STATE/policy.conf" "$TMP/good-policy.conf"
m=$(mark)
store corrupt
check "a malformed ARA-M answer is refused, and the log says so" \
	since "$m" "card rules refused \(malformed rules: .*\): the policy in force stays"
sleep 0.5
check "... card-rules.conf and policy.conf are unchanged" \
	bash -c "cmp -s '$STATE/card-rules.conf' '$TMP/good-rules.conf' &&
		 cmp -s '$STATE/policy.conf' '$TMP/good-policy.conf'"
check "... refused once, not at every poll" \
	bash -c "[ \$(tail -n +$((m + 1)) '$TMP/pump.log' | grep -c 'card rules refused') = 1 ]"
m=$(mark)
store repair
check "a repaired card is read again" since "$m" "card rules in force.*: 3 from the card"

# a malformed local file keeps the policy in force too
m=$(mark)
printf 'default deny\nallow uid zero\n' >"$TMP/local.conf"
store "$(rule $SCWS_AID "" 01 usr.bin.wget)"
since "$m" "local.conf:2:" >/dev/null
check "a bad local file: file:line:column error, policy kept" \
	bash -c "grep -q 'local.conf:2:[0-9]*: error' '$TMP/pump.log' &&
		 grep -v '^#' '$STATE/policy.conf' | grep -q 'allow uid 0' &&
		 ! grep -q wget '$STATE/card-rules.conf'"
printf 'default deny\nallow uid 0\n' >"$TMP/local.conf"
m=$(mark)
kill -HUP "$PUMP_PID"
since "$m" "card rules in force" >/dev/null
check "SIGHUP: the repaired local file and the card's new rule are loaded" \
	bash -c "grep -q 'allow label usr.bin.wget' '$STATE/policy.conf' &&
		 ! grep -q 'uid 65534' '$STATE/policy.conf'"

# signing-certificate rules: the demo's example rules
# (card-sim/aram/examples/demo.store)
DEMO_HASH=$(openssl x509 -in card-sim/aram/examples/demo-signer.crt -outform DER | sha256sum | cut -d' ' -f1)
m=$(mark)
store "$(rule $SCWS_AID a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3 00)" \
	"$(grep -v '^#' card-sim/aram/examples/demo.store | grep -v '^cert')"
since "$m" "card rules in force|card rules refused"
check "the demo's rules: allow signer-sha256 of demo-signer.crt, deny signer-sha1, deny all" \
	bash -c "grep -v '^#' '$STATE/card-rules.conf' | tr '\n' '|' |
		grep -q 'signer-sha1 a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3|allow signer-sha256 $DEMO_HASH|deny all|\$'"

stop_pid "$PUMP_PID"
PUMP_PID=""
check "the pump exits without ASan/UBSan reports" \
	bash -c "! grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error' '$TMP/pump.log'"

# A card without ARA-M: the rules come from its ARF (PKCS#15 files,
# scws-card --access-rules arf builds them from the same rule store)
stop_pid "$CARD_PID"
"$CARD" -v --vpcd "127.0.0.1:$VPCD_PORT" --state "$TMP/card-arf.state" --reset-state \
	--content card-sim/content --aram-inbox "$INBOX" --access-rules arf \
	>"$TMP/card.log" 2>&1 &
CARD_PID=$!
sleep 0.3
store "$(grep -v '^#' card-sim/aram/examples/demo.store | grep -v '^cert')"
printf 'default deny\nallow uid 0\n' >"$TMP/local.conf"
: >"$TMP/pump.log"
"$PUMP" --foreground -v --no-module "3516=$HTTP_PORT" --policy "$TMP/local.conf" \
	--state-dir "$STATE" --card-rules-poll-ms 200 >"$TMP/pump.log" 2>&1 &
PUMP_PID=$!
check "ARF card: the pump reads the rules from the ARF and puts them in force" \
	bash -c "$(declare -f waitfor); waitfor '$TMP/pump.log' 'card rules in force.*: 2 from the card' 1 400 &&
		grep -q 'no ARA-M (SELECT 6A82): reading the ARF' '$TMP/pump.log' &&
		grep -q 'card rules: read from the ARF (PKCS#15), refresh tag [0-9a-f]\{16\}, 1 rule$' '$TMP/pump.log'"
check "ARF card: card-rules.conf says ARF: allow signer-sha256 of demo-signer.crt, deny all" \
	bash -c "grep -q '(GP SE Access Control, ARF), refresh tag' '$STATE/card-rules.conf' &&
		grep -v '^#' '$STATE/card-rules.conf' | tr '\n' '|' | grep -qx 'allow signer-sha256 $DEMO_HASH|deny all|'"
tag1=$(sed -n 's/.*refresh tag \([0-9a-f]*\).*/\1/p' "$STATE/card-rules.conf")
m=$(mark)
store "$(rule $SCWS_AID a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3 00)"
check "ARF card: a rule change moves ACMain's refresh tag; the pump reloads" \
	since "$m" "card rules in force.*: 3 from the card"
tag2=$(sed -n 's/.*refresh tag \([0-9a-f]*\).*/\1/p' "$STATE/card-rules.conf")
check "... with the new rule and tag ($tag1 -> $tag2)" \
	bash -c "[ -n '$tag1' ] && [ '$tag1' != '$tag2' ] &&
		grep -qx 'deny signer-sha1 a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3' '$STATE/card-rules.conf'"
cp "$STATE/policy.conf" "$TMP/good-policy.conf"
m=$(mark)
store corrupt
check "ARF card: a malformed EF ACRules is refused, the policy in force stays" \
	since "$m" "card rules refused \(malformed ARF: EF ACRules 4300: .*\): the policy in force stays"
sleep 0.5
check "... refused once, policy.conf unchanged" \
	bash -c "[ \$(tail -n +$((m + 1)) '$TMP/pump.log' | grep -c 'card rules refused') = 1 ] &&
		cmp -s '$STATE/policy.conf' '$TMP/good-policy.conf'"
stop_pid "$PUMP_PID"
PUMP_PID=""
check "the ARF pump exits without ASan/UBSan reports" \
	bash -c "! grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error' '$TMP/pump.log'"
