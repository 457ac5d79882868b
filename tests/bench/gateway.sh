#!/usr/bin/env bash
# `make bench`, gateway part: the BIP data path against the limits of the
# card link, on the host (under the VM's software emulation every APDU
# costs milliseconds and the figures would measure qemu).  Real pcscd +
# vpcd + scws-card + scws-bipd; the pump in its --no-module TEST TOOLING
# mode (the BIP path is the same code; the kernel hand-off is measured by
# the ACP benchmark).  One 100 KiB file, byte-exact, in three figures:
#  (a) the pump against the floor of the same link: tests/bench/apdu-replay
#      (test tooling) sends the very APDUs the pump exchanged for the file,
#      recorded from its -vv log, with a bare SCardTransmit loop through the
#      same pcscd and vpcd to a fresh card; floor time / pump time (goal
#      >= 0.9);
#  (b) with scws-card --baud 223000, payload rate / the protocol's limit at
#      that rate: 240 payload bytes per FETCH + TERMINAL RESPONSE pair,
#      costed with every byte on the T=1 wire (APDU headers, status words,
#      block framing, guard times; the card's model, card-sim/uicc/baud.c)
#      (goal >= 0.95);
#  (c) APDUs per KiB, against 8.53 (2 APDUs per 240-byte SEND DATA).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
OUT=$PWD/build/bench
mkdir -p "$OUT"
BAUD=${SCWS_BENCH_BAUD:-223000}
SIZE=102400
ROUNDS=${SCWS_BENCH_ROUNDS:-5}
. tests/bench/host.sh
bench_host gateway gw
bash card-sim/content-gen.sh -s "$SIZE" -n big.bin card-sim/content "$TMP/content" >/dev/null
REPLAY=$OUT/apdu-replay
# shellcheck disable=SC2046 # pkg-config prints several words
cc -std=c11 -Wall -Wextra -D_GNU_SOURCE -O2 $(pkg-config --cflags libpcsclite) \
	-o "$REPLAY" tests/bench/apdu-replay.c $(pkg-config --libs libpcsclite) || exit 1

stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }
# start_card ARGS: a fresh card (the same session replays to the same
# bytes), once vpcd has it; a card that just went needs pcscd to see it go.
start_card() {
	sleep 1
	: >"$TMP/card.log"
	build/scws-card --vpcd "127.0.0.1:$VPCD" --state "$TMP/card.state" --reset-state \
		--no-clock --content "$TMP/content" -v "$@" >>"$TMP/card.log" 2>&1 &
	CARD=$!
	PIDS+=("$CARD")
	for _ in $(seq 100); do
		grep -q "vpcd .*connected" "$TMP/card.log" && break
		sleep 0.05
	done
	sleep 0.5
}
# pump LOG VERBOSITY: a pump waiting for the card
pump() {
	build/scws-bipd --foreground "$2" --no-module "3516=$HTTP,4116=$HTTPS" >"$1" 2>&1 &
	PUMP=$!
	PIDS+=("$PUMP")
}
serving() {
	for _ in $(seq 600); do
		grep -q 'port 4116: 2 channels' "$1" && return 0
		sleep 0.05
	done
	echo "gateway bench: the pump does not serve"; tail -n 20 "$1"; tail -n 20 "$TMP/card.log"
	return 1
}
apdus() { grep -c 'C-APDU' "$1"; }
# fetch: the file once, byte-exact; prints curl's total time
fetch() {
	local t
	t=$(curl -s -m 900 -o "$TMP/big.out" -w '%{time_total}' "http://127.0.0.1:$HTTP/big.bin")
	cmp -s "$TMP/big.out" "$TMP/content/big.bin" || {
		echo "gateway bench: the file came back damaged or not at all" >&2
		tail -n 20 "$TMP/pump.log" >&2; tail -n 20 "$TMP/card.log" >&2
		return 1
	}
	echo "$t"
}

# session LABEL [CARD-ARGS]: sets PUMP_S (best pump time of $ROUNDS, -v),
# FLOOR_S (best of $ROUNDS replays of one recorded fetch), WINDOW (its
# APDUs), MISMATCH (replayed answers that differed, all rounds).
session() {
	local label=$1 best=999 t k0 k1 out
	shift
	start_card "$@"
	pump "$TMP/pump.log" -v
	serving "$TMP/pump.log" || return 1
	for _ in $(seq "$ROUNDS"); do
		t=$(fetch) || return 1
		best=$(awk -v a="$best" -v b="$t" 'BEGIN { print (b < a ? b : a) }')
	done
	PUMP_S=$best
	stop "$PUMP"; stop "$CARD"
	# The same fetch once more, every APDU in the log.
	start_card "$@"
	pump "$TMP/rec.log" -vv
	serving "$TMP/rec.log" || return 1
	k0=$(apdus "$TMP/rec.log")
	fetch >/dev/null || return 1
	k1=$(apdus "$TMP/rec.log")
	stop "$PUMP"; stop "$CARD"
	cp "$TMP/rec.log" "$OUT/gateway-$label.apdus.log"
	WINDOW=$((k1 - k0))
	# The floor: best of $ROUNDS replays, each to a fresh card.
	FLOOR_S=999 MISMATCH=0
	for _ in $(seq "$ROUNDS"); do
		start_card "$@"
		out=$("$REPLAY" "$TMP/rec.log" "$k0" "$k1") || {
			echo "gateway bench: replay failed: $out"; return 1; }
		stop "$CARD"
		t=$(sed -n 's/.* ms=\([0-9.]*\) .*/\1/p' <<<"$out" | awk '{ print $1 / 1000 }')
		FLOOR_S=$(awk -v a="$FLOOR_S" -v b="$t" 'BEGIN { print (b < a ? b : a) }')
		MISMATCH=$((MISMATCH + $(sed -n 's/.*mismatches=\([0-9]*\).*/\1/p' <<<"$out")))
	done
}

session native || exit 1
awk -v p="$PUMP_S" -v f="$FLOOR_S" -v w="$WINDOW" -v m="$MISMATCH" -v s="$SIZE" 'BEGIN {
	printf "gateway-bench: (a) 100 KiB at native speed: pump %.3f s, bare SCardTransmit replay of its %d APDUs %.3f s (%d answers differed in all replays): floor/pump %.2f (goal >= 0.9)\n",
		p, w, f, m, f / p
	printf "gateway-bench: (c) %d APDUs for %d bytes: %.2f APDUs/KiB, minimum 8.53 (2 per 240-byte SEND DATA)\n",
		w, s, w * 1024 / s }'
session "baud$BAUD" --baud "$BAUD" || exit 1
# The protocol's limit: per 240-byte chunk FETCH (5 bytes) -> SEND DATA
# (D0 81 FF, 5 + 4 + 3 + 240 = 255, + SW = 257) and TERMINAL RESPONSE
# (5 + 15) -> SW (2); T=1 (card-sim/uicc/baud.c): 11 ETU per byte, 4 bytes
# of framing per block, IFS 254 (257 needs 2 blocks and an R-block), 11
# ETU more at each change of direction.
awk -v p="$PUMP_S" -v f="$FLOOR_S" -v b="$BAUD" -v s="$SIZE" 'function x(c, r,   n, m, ch, bl) {
		n = int((c + 253) / 254); m = int((r + 253) / 254)
		ch = c + n * 4 + (n - 1) * 4 + r + m * 4 + (m - 1) * 4
		bl = 2 * n - 1 + 2 * m - 1
		return ch * 11 + bl * 11 }
	BEGIN {
	etu = x(5, 257) + x(20, 2); limit = 240 * b / etu
	printf "gateway-bench: (b) %d baud: limit %.0f B/s (240 payload bytes per %d ETU); pump %.0f B/s = %.3f of it (goal >= 0.95); bare replay %.0f B/s = %.3f\n",
		b, limit, etu, s / p, s / p / limit, s / f, s / f / limit }'
