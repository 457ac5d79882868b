#!/usr/bin/env bash
# `make bench`, scheduling part, on the host at native speed (as
# gateway.sh: the real pcscd + vpcd + scws-card + scws-bipd in --no-module
# mode; under the VM's emulation Chromium alone takes minutes), with the
# demo's channel layout (4 HTTP, 3 HTTPS).  Prints:
#  (a) headless Chromium loading the portal and the store with every
#      sub-resource (tests/bipd/check.html): through the gateway / from the
#      card's plain debug port (no BIP), best and median of 9 loads each,
#      interleaved, same run (Chromium's own work varies a lot on a loaded
#      machine: the best load is the steadier figure);
#  (b) 100 clients at once: total time / the same 100 fetches one after
#      the other, and APDUs per fetch both ways (what taking channels back
#      costs on the card link).
set -uo pipefail
cd "$(dirname "$0")/../.."
RUNS=${SCWS_BENCH_LOADS:-9}
. tests/bench/host.sh
bench_host sched sched
cp -r card-sim/content "$TMP/content"
mkdir -p "$TMP/content/t"
cp tests/bipd/check.html "$TMP/content/t/"
# shellcheck disable=SC2086
build/scws-bipd --foreground -v ${SCWS_BIPD_EXTRA:-} --no-module "3516=$HTTP,4116=$HTTPS" \
	>"$TMP/pump.log" 2>&1 &
PUMP=$!
PIDS+=("$PUMP")
build/scws-card --vpcd "127.0.0.1:$VPCD" --state "$TMP/card.state" --reset-state \
	--content "$TMP/content" --channels 3516=4,4116=3 --debug-port "$DEBUG" \
	>>"$TMP/card.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 600); do
	grep -q 'port 4116: 3 channels' "$TMP/pump.log" && break
	sleep 0.05
done
grep -q 'port 4116: 3 channels' "$TMP/pump.log" || { echo "sched bench: the pump does not serve"; exit 1; }

CHROMIUM=$(command -v chromium || true)
# load URL N: the page's DONE milliseconds, or "fail" when an image broke.
load() {
	local out
	out=$(timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --disable-extensions --ignore-certificate-errors \
		--user-data-dir="$TMP/chr.$2" --dump-dom "$1" 2>/dev/null |
		sed -n '/<pre id="out">/,/<\/pre>/p')
	if [ "$(echo "$out" | grep -c ' img ')" -lt 10 ] ||
	   echo "$out" | grep -E ' (img|css) ' | awk '$NF <= 0 { bad = 1 } END { exit !bad }'; then
		echo fail
	else
		echo "$out" | sed -n 's/.*DONE \([0-9]*\).*/\1/p'
	fi
}
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ a[NR] = $1 } END { print (NR ? a[int((NR + 1) / 2)] : "fail") }'; }
best() { tr ' ' '\n' | grep -v '^$' | sort -n | head -n1; }

if [ -n "$CHROMIUM" ]; then
	g="" h="" d=""
	for i in $(seq "$RUNS"); do
		d="$d $(load "http://127.0.0.1:$DEBUG/t/check.html" "d$i")"
		g="$g $(load "http://127.0.0.1:$HTTP/t/check.html" "g$i")"
		h="$h $(load "https://127.0.0.1:$HTTPS/t/check.html" "h$i")"
	done
	echo "sched-bench: (a) loads (ms): debug port$d; gateway HTTP$g; gateway HTTPS$h"
	if echo "$g$d" | grep -q fail; then
		echo "sched-bench: (a) a page load lost a sub-resource"
	else
		awk -v g="$(echo "$g" | best)" -v d="$(echo "$d" | best)" -v h="$(echo "$h" | best)" \
		    -v gm="$(echo "$g" | median)" -v dm="$(echo "$d" | median)" -v hm="$(echo "$h" | median)" 'BEGIN {
			printf "sched-bench: (a) portal + store, every sub-resource, Chromium, best (median): through BIP (4 channels) %d (%d) ms, card debug port %d (%d) ms, ratio %.2f (%.2f) (goal <= 1.3); HTTPS through BIP (3 channels) %d (%d) ms\n", g, gm, d, dm, g / d, gm / dm, h, hm }'
	fi
else
	echo "sched-bench: (a) skipped: chromium not installed"
fi

FILES=/index.html,/style.css,/img/logo.svg,/img/help.png,/store/index.html,/store/wallpapers/waves.png,/helpdesk/faq.html
swarm() { python3 tests/lib/http-swarm.py "$HTTP" "$TMP/content" "$FILES" --n 100 "$@"; }
s0=$(stats)
seq_r=$(swarm --sequential)
s1=$(stats)
par_r=$(swarm)
s2=$(stats)
echo "sched-bench: (b) sequential: $seq_r"
echo "sched-bench: (b) at once:    $par_r"
python3 - "$seq_r" "$par_r" $(($(field apdus "$s1") - $(field apdus "$s0"))) \
	$(($(field apdus "$s2") - $(field apdus "$s1"))) <<'PY'
import json, sys
s, p = json.loads(sys.argv[1]), json.loads(sys.argv[2])
a_s, a_p = int(sys.argv[3]), int(sys.argv[4])
print("sched-bench: (b) 100 clients at once %.3f s (%d ok, %d reset) / 100 sequential fetches %.3f s = %.2f; APDUs per fetch %.1f at once vs %.1f sequential"
      % (p["total_s"], p["ok"], p["reset"], s["total_s"], p["total_s"] / s["total_s"], a_p / 100, a_s / 100))
PY
echo "sched-bench: $(kill -USR1 "$PUMP"; sleep 0.3; grep 'sched: port=3516' "$TMP/pump.log" | tail -n1 | sed 's/^scws-bipd: //')"
