#!/usr/bin/env bash
# scws-card's over-the-air trigger through the real pcscd + vpcd: SMS-PP
# data download ENVELOPEs built by tests/ota/scws-ota-sms (OpenSSL), the
# card's Proof of Receipt checked by the same tool.  TAP, and a line
# "ota PASSED FAILED SKIPPED" appended to $SCWS_COUNTS.
#
# No TERMINAL PROFILE is sent, so the terminal cannot open a client
# channel: a trigger that gets through to the admin agent is answered
# "6F 00" (PUSH's "cannot open the channel") whichever agent is linked,
# and the card log says the trigger was parsed and handed over.
set -uo pipefail
cd "$(dirname "$0")/../.."
TOP=$PWD
OUT=$TOP/build/card-ota
CARD=$OUT/scws-card
APDU=$OUT/pcsc-apdu
SMS=$OUT/scws-ota-sms
PLAN=24

TAP_NAME=ota TAP_WHAT="ota"
. tests/lib/host-tap.sh
. tests/card/lib.sh

echo "TAP version 13"
need_pcscd

mkdir -p "$OUT"
WERROR=()
[ -n "${CI:-}" ] && WERROR=(-Werror)
if ! build_card_apdu ||
   ! cc -std=c11 -Wall -Wextra "${WERROR[@]}" -D_GNU_SOURCE -O2 -g \
	-o "$SMS" tests/ota/scws-ota-sms.c -lcrypto; then
	echo "1..1"
	not_ok "build scws-card, pcsc-apdu and scws-ota-sms"
	counts
	exit 1
fi
echo "1..$PLAN"

TMP=$(mktemp -d /tmp/scws-ota-test.XXXXXX)
PCSCD_PID="" CARD_PID=""
trap cleanup EXIT

. tests/lib/pcscd.sh
VPCD_PORT=$(free_port)
READER="SCWS ota test 00 00"
KIC=000102030405060708090A0B0C0D0E0F
KID=101112131415161718191A1B1C1D1E1F
KEYS=(--kic-key "$KIC" --kid-key "$KID")

# tlv TAG HEX: a BER-TLV (lengths over 127 in the 81 xx form).
tlv() {
	local n=$((${#2} / 2))
	if [ "$n" -gt 127 ]; then
		printf '%s81%02X%s' "$1" "$n" "$2"
	else
		printf '%s%02X%s' "$1" "$n" "$2"
	fi
}

# send_sms [scws-ota-sms options] DATA: builds the ENVELOPE(s), sends
# them, and leaves the R-APDUs (hex, no spaces, one a line) in
# $TMP/rapdus, the last one in $TMP/rapdu.
send_sms() {
	local env
	env=$("$SMS" --envelope "${KEYS[@]}" "$@") || return 1
	echo "=== sms $*" >>"$TMP/apdu.log"
	# shellcheck disable=SC2086 # one ENVELOPE a line, one argument each
	"$APDU" -r "$READER" $env 2>>"$TMP/apdu.log" | tee -a "$TMP/apdu.log" |
		sed -n 's/^< //p' | tr -d ' ' >"$TMP/rapdus"
	tail -n 1 "$TMP/rapdus" >"$TMP/rapdu"
	[ -s "$TMP/rapdu" ]
}

# por [scws-ota-sms --check-por options]: the last R-APDU is a PoR that
# passes the tool's checks (and the expectations given).
por() { "$SMS" --check-por "$(cat "$TMP/rapdu")" "${KEYS[@]}" "$@" >>"$TMP/apdu.log" 2>&1; }
sw_is() { [ "$(tail -c 5 "$TMP/rapdu")" = "$1" ]; }

# Secured data: a PUSH (BIP) with OPEN CHANNEL TLVs (transport TCP 8000,
# address 127.0.0.1), and a GP Amd B '81' triggering parameters object.
PUSH=80EC0101$(printf '%02X' 12)3C03021F403E05217F000001
A84=$(tlv 84 3C03021F403E05217F000001)
A85=$(tlv 85 0470736B31020101)
A86=$(tlv 86 00030000000005)
A89=$(tlv 89 "$(tlv 8A 7261732E74657374)$(tlv 8C 2F726173)")
TRIGGER=$(tlv 81 "$(tlv 83 "$A84$A85$A86$A89")")
BAD_TRIGGER=8105830384FF00

state_sum() { sha256sum "$TMP/card.state" | cut -d' ' -f1; }

if pcscd_start "$TMP" "$VPCD_PORT" "SCWS ota test" --debug --apdu; then
	ok "private pcscd starts (vpcd on port $VPCD_PORT)"
else
	not_ok "private pcscd starts"
fi
check "scws-card with --ota-keyset connects" \
	start_card --reset-state --ota-keyset "1:$KIC:$KID"

# --- 3-5: a good PUSH: PoR 00 (checksum and ciphering checked by
# OpenSSL), one command executed, the agent's answer, the log.
send_sms --counter 1 "$PUSH"
por_push_ok() { por --expect-status 00 --expect-data 016F00 && sw_is 9000; }
check "PUSH, counter 1: PoR 00, ciphered and checksummed, R-APDU 90 00" por_push_ok
check "PoR carries TAR 000000 and the packet's counter" \
	grep -q 'status 00 tar 000000 cntr 0000000001 cc 8' "$TMP/apdu.log"
check "card log: the PUSH was parsed and handed to the admin agent" \
	grep -q 'PUSH (BIP channel opening) parsed, handed to the admin agent' "$TMP/card.log"

# --- 6-7: Amd B triggering parameters
send_sms --counter 2 "$TRIGGER"
check "Amd B '81' trigger, counter 2: PoR 00, 1 command, 6F 00 from the agent" \
	por --expect-status 00 --expect-data 016F00
check "card log: the '81' trigger was parsed and handed over" \
	grep -q 'Amd B triggering parameters parsed, handed to the admin agent' "$TMP/card.log"

# --- 8-10: refused packets change nothing in the state file
sum=$(state_sum)
send_sms --counter 2 "$TRIGGER"
check "replayed counter 2: PoR 02 (CNTR low), unsecured" \
	por --expect-status 02 --expect-data ""
send_sms --counter 3 --bad-cc "$TRIGGER"
check "wrong checksum: PoR 01 (RC/CC/DS failed)" por --expect-status 01
check "refused packets left the state file as it was" test "$(state_sum)" = "$sum"

# --- 11-13
send_sms --counter 3 --tar B00010 "$PUSH"
check "unknown TAR B00010: PoR 09" por --expect-status 09
send_sms --counter 3 --truncate 4 "$PUSH"
check "secured packet cut short by 4 bytes: PoR 06" por --expect-status 06
check "after wrong CC, unknown TAR and truncation the state is unchanged" \
	test "$(state_sum)" = "$sum"

# --- 14-15: the counter was not used up by the refused packets
send_sms --counter 3 "$BAD_TRIGGER"
check "malformed '81' TLV, counter 3: PoR 00, the command answered 6A 80" \
	por --expect-status 00 --expect-data 016A80
check "card log: the malformed trigger was refused with a reason" \
	grep -q 'triggering parameters refused' "$TMP/card.log"

# --- 16-19: security level, no PoR, not a data download
send_sms --counter 4 --spi 0001 "$PUSH"
check "no checksum, no counter to the admin TAR: PoR 0A" por --expect-status 0A
send_sms --counter 4 --spi 1600 "$PUSH"
check "SPI without PoR: 90 00 and no data" test "$(cat "$TMP/rapdu")" = 9000
send_sms --counter 5 --pid 00 "$PUSH"
check "PID 00 (not a UICC data download): 6F 00" sw_is 6F00
send_sms --counter 5 --spi 1619 --kic 22 "$PUSH"
check "KIc naming key set 2 (absent): PoR 06" por --expect-status 06

# --- 20-21: the counter survives a restart
stop_card >/dev/null
start_card
send_sms --counter 4 "$PUSH"
check "after a restart, counter 4 is a replay: PoR 02" por --expect-status 02
send_sms --counter 0x05 "$PUSH"
check "after a restart, counter 5 is accepted: PoR 00" por --expect-status 00

# --- 22-23: a trigger too long for one SMS, in three concatenated parts
LONG_URI=$(printf '2F%.0s' $(seq 150))
LONG=$(tlv 81 "$(tlv 83 "$A84$A85$(tlv 89 "$(tlv 8A 7261732E74657374)$(tlv 8C "$LONG_URI")")")")
send_sms --counter 6 --parts 3 "$LONG"
check "3-part SMS: parts 1 and 2 answered 90 00 without data" \
	test "$(head -n 2 "$TMP/rapdus" | tr '\n' ' ')" = "9000 9000 "
check "3-part SMS: the last part gets PoR 00, the trigger reached the agent" \
	por --expect-status 00 --expect-data 016F00
stop_card >/dev/null

check "card log: no sanitizer or assertion report" \
	bash -c "! grep -qE 'AddressSanitizer|runtime error|Assertion' '$TMP/card.log'"

counts
[ "$FAIL" -eq 0 ]
