#!/usr/bin/env bash
# `make bench`, gateway part, at native speed on the host (under the VM's
# software emulation every APDU costs milliseconds and the ratios would
# measure qemu): the real pcscd + vpcd + scws-card + scws-bipd, the pump in
# its --no-module TEST TOOLING mode (the BIP path is the same code; the
# kernel hand-off is measured by the ACP benchmark).  Prints:
#  (a) time through the gateway / time from the card's plain debug port
#      (test tooling, no BIP) for the portal page and a 100 KiB file;
#  (b) APDUs per KiB from the card vs the minimum for 240-byte SEND DATA;
#  (c) with --baud 223000 on the card, throughput / the link's byte rate.
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=$PWD/build/bench
mkdir -p "$OUT"
BAUD=223000
. tests/bench/host.sh
bench_host gateway gw
bash card-sim/content-gen.sh -s 102400 -n big.bin card-sim/content "$TMP/content" >/dev/null

start_card() {
	build/scws-card --vpcd "127.0.0.1:$VPCD" --state "$TMP/card.state" --reset-state \
		--content "$TMP/content" --debug-port "$DEBUG" "$@" >>"$TMP/card.log" 2>&1 &
	CARD=$!
	PIDS+=("$CARD")
}
serving() {
	local n=$1
	for _ in $(seq 600); do
		[ "$(grep -c 'port 4116: 2 channels' "$TMP/pump.log")" -ge "$n" ] && return 0
		sleep 0.05
	done
	return 1
}
build/scws-bipd --foreground -v --no-module "3516=$HTTP,4116=$HTTPS" >"$TMP/pump.log" 2>&1 &
PUMP=$!
PIDS+=("$PUMP")
start_card
serving 1 || { echo "gateway bench: the pump does not serve"; tail "$TMP/pump.log"; exit 1; }

best() {	# best of 5 curl total times for URL
	local t b=999
	for _ in 1 2 3 4 5; do
		t=$(curl -s -m 120 -o /dev/null -w '%{time_total}' "$1")
		b=$(awk -v a="$b" -v c="$t" 'BEGIN { print (c < a ? c : a) }')
	done
	echo "$b"
}

for f in / /big.bin; do
	g=$(best "http://127.0.0.1:$HTTP$f")
	d=$(best "http://127.0.0.1:$DEBUG$f")
	awk -v f="$f" -v g="$g" -v d="$d" 'BEGIN {
		printf "gateway-bench: (a) %-9s through BIP %.4f s, card debug port %.4f s, ratio %.1f\n", f, g, d, g / d }'
done
s0=$(stats)
tb=$(curl -s -o /dev/null -w "%{time_total}" "http://127.0.0.1:$HTTP/big.bin")
echo "gateway-bench: (b) 100 KiB through BIP in $tb s"
s1=$(stats)
awk -v a=$(($(field apdus "$s1") - $(field apdus "$s0"))) \
    -v p=$(($(field to-client "$s1") - $(field to-client "$s0"))) 'BEGIN {
	printf "gateway-bench: (b) %d APDUs for %d bytes: %.2f APDUs/KiB, minimum 8.53 (2 per 240-byte SEND DATA), %.1f %% above\n",
		a, p, a * 1024 / p, (a * 1024 / p / 8.533 - 1) * 100 }'

kill "$CARD"; wait "$CARD" 2>/dev/null
start_card --baud "$BAUD"
serving 2 || { echo "gateway bench: (c) the card at $BAUD baud was not served"; exit 1; }
s0=$(stats)
t=$(curl -s -m 600 -o "$TMP/big.out" -w '%{time_total}' "http://127.0.0.1:$HTTP/big.bin")
s1=$(stats)
if cmp -s "$TMP/big.out" "$TMP/content/big.bin"; then
	awk -v t="$t" -v b="$BAUD" -v c=$(($(field out "$s1") - $(field out "$s0"))) \
	    -v r=$(($(field in "$s1") - $(field in "$s0"))) 'BEGIN {
		link = b / 11	# bytes/s: T=1, 11 etu per character
		printf "gateway-bench: (c) %d baud: 100 KiB in %.2f s = %.0f B/s payload; link %.0f B/s -> %.2f of the link; APDU bytes %d, their time at link speed %.2f s -> %.2f of the time on the wire\n",
			b, t, 102400 / t, link, 102400 / t / link, c + r, (c + r) / link, (c + r) / link / t }'
else
	echo "gateway-bench: (c) the transfer at $BAUD baud failed (see scws-card --baud notes)"
fi
