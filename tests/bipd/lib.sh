# shellcheck shell=bash
# What the bipd host tests share (run.sh, sched.sh, card-rules.sh), run
# from the top of the tree, after tests/lib/host-tap.sh.
#
# build_bipd OUT: scws-bipd under ASan/UBSan (all of its code sees real
# traffic) with the Makefile's sources, -Werror under CI; build_card OUT:
# scws-card at -O2.
build_bipd() {
	local werror=()
	[ -n "${CI:-}" ] && werror=(-Werror)
	# shellcheck disable=SC2046
	cc -std=c11 -Wall -Wextra "${werror[@]}" -D_GNU_SOURCE -O1 -g -Iuapi -Itools/lib \
		-fsanitize=address,undefined -fno-omit-frame-pointer \
		$(pkg-config --cflags libnl-genl-3.0 libpcsclite) -o "$1" \
		$(make_sources SCWS_BIPD_SRCS) -lcrypto \
		$(pkg-config --libs libnl-genl-3.0 libpcsclite)
}

# The Makefile's source list VAR: one list, so a new file cannot be missed here.
make_sources() {
	make -s --no-print-directory "print-$1"
}

build_card() {
	# shellcheck disable=SC2046
	cc -std=c11 -Wall -Wextra -D_GNU_SOURCE -O2 -g -Iuapi -Itools/lib -Icard-sim $(make_sources CARD_XML_CFLAGS) \
		-o "$1" $(make_sources SCWS_CARD_SRCS) \
		$(make_sources SCWS_CARD_LIBS)
}

# build_dmc OUT: scws-dmc under ASan and UBSan.
build_dmc() {
	# shellcheck disable=SC2046
	cc -std=c11 -Wall -Wextra -D_GNU_SOURCE -O1 -g -fsanitize=address,undefined \
		-fno-omit-frame-pointer -Iuapi -Itools/lib $(pkg-config --cflags libxml-2.0 libcurl) \
		-o "$1" $(make_sources SCWS_DMC_SRCS) \
		$(pkg-config --libs libxml-2.0 libcurl libcrypto)
}

# build_pump_card: build_bipd $PUMP and build_card $CARD as one TAP case;
# when it fails the rest of the plan is skipped, counted, and the test exits.
build_pump_card() {
	if build_bipd "$PUMP" && build_card "$CARD"; then
		ok "build scws-bipd (ASan, UBSan) and scws-card"
		return 0
	fi
	not_ok "build scws-bipd (ASan, UBSan) and scws-card"
	skip_rest "build failed"
	counts
	exit 1
}

# mark: the pump log's ($TMP/pump.log) length now; since MARK PATTERN
# [TRIES]: until the log has PATTERN after the mark (false if the pump,
# $PUMP_PID, is gone).
mark() { wc -l <"$TMP/pump.log"; }
since() {
	local tries=${3:-300}
	while [ "$tries" -gt 0 ]; do
		tail -n +"$(($1 + 1))" "$TMP/pump.log" | grep -qE "$2" && return 0
		kill -0 "$PUMP_PID" 2>/dev/null || return 1
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}

# stop_pid PID: SIGTERM and wait (nothing for an empty PID).
stop_pid() {
	[ -n "$1" ] || return 0
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# stop_and_clean PID...: for the EXIT trap: stop the PIDs in the order
# given (empty ones skipped), then keep $TMP's logs when a case failed,
# or remove $TMP.
stop_and_clean() {
	local p
	for p in "$@"; do stop_pid "$p"; done
	if [ "$FAIL" -gt 0 ]; then echo "# logs kept in $TMP"; else rm -rf "$TMP"; fi
}

# waitfor FILE PATTERN [COUNT] [TRIES]: until FILE has COUNT lines that
# match PATTERN (an ERE), 50 ms a try.
waitfor() {
	local tries=${4:-200}
	while [ "$tries" -gt 0 ]; do
		local n
		n=$(grep -cE "$2" "$1" 2>/dev/null)
		[ "${n:-0}" -ge "${3:-1}" ] && return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}

# wait_log PATTERN COUNT [TRIES]: until the pump log ($TMP/pump.log) has
# COUNT matches; false as soon as the pump ($PUMP_PID) is gone.
wait_log() {
	local tries=${3:-200}
	while [ "$tries" -gt 0 ]; do
		[ "$(grep -cE "$1" "$TMP/pump.log")" -ge "$2" ] && return 0
		kill -0 "$PUMP_PID" 2>/dev/null || return 1
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}

# rule AID HASH ACCESS [PKG]: one ARA-M STORE DATA data field in hex,
# F0 {E2 {E1 {4F AID, C1 HASH[, CA PKG]}, E3 {D0 ACCESS}}} (GP SEAC).
# AID "" is 4F 00, HASH "" every device application; ACCESS is hex: 00
# never, 01 always, or APDU filters (8 bytes each); PKG a package name.
rule() {
	python3 - "$@" <<'PY'
import sys
def tlv(tag, v):
    t = tag.to_bytes((tag.bit_length() + 7) // 8, 'big')
    n = len(v)
    return t + (bytes([n]) if n < 0x80 else bytes([0x81, n])) + v
aid, h, acc = sys.argv[1:4]
pkg = sys.argv[4] if len(sys.argv) > 4 else ""
ref = tlv(0x4F, bytes.fromhex(aid)) + tlv(0xC1, bytes.fromhex(h))
if pkg:
    ref += tlv(0xCA, pkg.encode())
e2 = tlv(0xE2, tlv(0xE1, ref) + tlv(0xE3, tlv(0xD0, bytes.fromhex(acc))))
print(tlv(0xF0, e2).hex())
PY
}

# spawn_card ARGS...: scws-card on our vpcd ($VPCD_PORT) with its state in
# $TMP/card.state and its output appended to $TMP/card.log; $CARD_PID.
# stop_card: stop it.
spawn_card() {
	"$CARD" --vpcd "127.0.0.1:$VPCD_PORT" --state "$TMP/card.state" "$@" \
		>>"$TMP/card.log" 2>&1 &
	CARD_PID=$!
}
stop_card() {
	stop_pid "$CARD_PID"
	CARD_PID=""
}
