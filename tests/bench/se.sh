#!/usr/bin/env bash
# `make bench`, APDU access part, on the host (real pcscd + vpcd +
# scws-card; scws-bipd --no-module --se-socket), both built by make at
# -O2.  Prints:
#  (a) the round trip of a 16-byte ECHO to the test applet on a logical
#      channel: straight through SCardTransmit (no pump holding the card)
#      and through the service (the pump idle), median of N each;
#      goal: service / direct <= 1.3;
#  (b) a 1 MiB download through BIP alone, and while an application
#      sends ECHOs through the service without pause, median of RUNS
#      each, interleaved; goal: <= 10 % slower; and the ECHO round trip
#      during the downloads (what the BIP traffic costs the application).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
N=${SCWS_BENCH_APDUS:-2000}
RUNS=${SCWS_BENCH_LOADS:-5}
. tests/bench/host.sh
bench_host se se
RTT=$TMP/se-rtt
# shellcheck disable=SC2046
cc -std=c11 -O2 -D_GNU_SOURCE -Iuapi -Itools/lib $(pkg-config --cflags libpcsclite) \
	-o "$RTT" tests/bench/se-rtt.c tools/lib/scws-se.c tools/lib/se-proto.c \
	$(pkg-config --libs libpcsclite) || { echo "se bench: build failed"; exit 1; }
card-sim/content-gen.sh -s 1048576 -n huge.bin card-sim/content "$TMP/content" >/dev/null
printf 'allow F05343575354455354 uid 0\n' >"$TMP/se-rules"
build/scws-card --vpcd "127.0.0.1:$VPCD" --state "$TMP/card.state" --reset-state \
	--content "$TMP/content" >>"$TMP/card.log" 2>&1 &
PIDS+=($!)
sleep 0.5

# (a) direct first: the card is free until the pump takes it
direct=$("$RTT" direct "$N") || { echo "se bench: direct failed"; exit 1; }
build/scws-bipd --foreground --no-module "3516=$HTTP" --se-socket "$TMP/se.sock" \
	--se-rules "$TMP/se-rules" >"$TMP/pump.log" 2>&1 &
PUMP=$!
PIDS+=("$PUMP")
for _ in $(seq 600); do
	grep -q 'port 3516: [0-9]* channels' "$TMP/pump.log" && break
	sleep 0.05
done
svc=$("$RTT" service "$TMP/se.sock" "$N") || { echo "se bench: service failed"; exit 1; }
read -r _ dmed dmean <<<"$direct"
read -r _ smed smean <<<"$svc"
echo "se: ECHO round trip, $N APDUs: direct SCardTransmit median ${dmed} us (mean ${dmean}),"
echo "se:   through the service median ${smed} us (mean ${smean}): ratio $(echo "scale=4; $smed / $dmed" | bc | xargs printf '%.2f') (goal <= 1.3)"

# (b) the download alone and with an application busy on the card
dl() { curl -s -m 300 -o /dev/null -w '%{time_total}' "http://127.0.0.1:$HTTP/huge.bin"; }
alone=() busy=() rtts=() shares=()
for _ in $(seq "$RUNS"); do
	alone+=("$(dl)")
	"$RTT" loop "$TMP/se.sock" 2>/dev/null &
	LOOP=$!
	sleep 0.2
	"$RTT" service "$TMP/se.sock" 200 >"$TMP/rtt" &
	R=$!
	s0=$(stats)
	busy+=("$(dl)")
	s1=$(stats)
	other=$(($(field other "$s1" | tr -d ')') - $(field other "$s0" | tr -d ')')))
	all=$(($(field apdus "$s1") - $(field apdus "$s0")))
	shares+=("$((100 * other / (all ? all : 1)))")
	wait "$R"
	rtts+=("$(awk '{ print $2 }' "$TMP/rtt")")
	kill "$LOOP" 2>/dev/null
	wait "$LOOP" 2>/dev/null
done
med() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
a=$(med "${alone[@]}")
b=$(med "${busy[@]}")
echo "se: 1 MiB through BIP, median of $RUNS: alone ${a}s, with an application's ECHOs ${b}s:" \
	"$(echo "scale=4; ($b / $a - 1) * 100" | bc | xargs printf '%.1f') % slower (goal <= 10 %)"
echo "se:   the application's ECHO round trip meanwhile: median $(med "${rtts[@]}") us"
echo "se:   samples: alone ${alone[*]}; with ECHOs ${busy[*]}"
echo "se:   the application's APDUs among all on the card link during those downloads: ${shares[*]} % (the share is 8 % of the link's time)"
