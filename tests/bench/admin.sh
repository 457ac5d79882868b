#!/usr/bin/env bash
# `make bench`, remote administration part, on the host (real pcscd + vpcd
# + scws-card; scws-bipd --no-module with its control socket; the test RAS
# over TLS-PSK; all built by make at -O2).  RUNS sessions, each started by
# a secured SMS (scwsctl push sms), PUT a 10 KiB resource.  Prints the
# median time from the SMS to the session's end, and the APDUs of the
# last session against the protocol minimum for the bytes that crossed a
# 240-byte channel; goal: within 15 %.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
RUNS=${SCWS_BENCH_ADMIN_RUNS:-5}
. tests/bench/host.sh
bench_host admin admin
RAS_PORT=$(free_port)
PSK=000102030405060708090a0b0c0d0e0f
KIC=000102030405060708090A0B0C0D0E0F
KID=101112131415161718191A1B1C1D1E1F
SMS=build/tests/scws-ota-sms

build/scws-card --vpcd "127.0.0.1:$VPCD" --state "$TMP/card.state" --reset-state -v \
	--content card-sim/content --ota-keyset "1:$KIC:$KID" \
	--admin "dest=127.0.0.1:$RAS_PORT" --admin uri=/ras/start --admin psk-id=bench \
	--admin key=1:1:$PSK --admin use-key=1:1 --admin retry=0,1 >>"$TMP/card.log" 2>&1 &
PIDS+=($!)
printf 'default allow\n' >"$TMP/local.conf"
build/scws-bipd --foreground -v --no-module "3516=$HTTP" --policy "$TMP/local.conf" \
	--state-dir "$TMP/state" --ctl-socket "$TMP/bipd.ctl" >"$TMP/pump.log" 2>&1 &
PUMP=$!
PIDS+=("$PUMP")
for _ in $(seq 600); do
	grep -q 'port 3516: [0-9]* channels' "$TMP/pump.log" && break
	sleep 0.05
done

head -c 10240 /dev/urandom | base64 -w 76 | head -c 10240 >"$TMP/10k.txt"
{
	printf 'PUT /bench/10k.txt HTTP/1.1\r\nHost: scws\r\nContent-Type: text/plain\r\n'
	printf 'Content-Length: 10240\r\n\r\n'
	cat "$TMP/10k.txt"
} >"$TMP/10k.req"
printf 'http %s\n' "$TMP/10k.req" >"$TMP/script"
# The trigger: GP Amd B '81' with nothing in it but the template: the
# card's stored parameters name the RAS.
trigger=81028300

times=()
for i in $(seq "$RUNS"); do
	build/tests/scws-test-ras --port "$RAS_PORT" --psk-identity bench --psk "$PSK" \
		--script "$TMP/script" --once >"$TMP/ras.log" 2>&1 &
	RAS=$!
	for _ in $(seq 100); do grep -q listening "$TMP/ras.log" && break; sleep 0.05; done
	n=$(grep -c 'admin: session complete' "$TMP/card.log")
	s0=$(stats)
	t0=$(date +%s%N)
	build/scwsctl push sms "$("$SMS" --kic-key "$KIC" --kid-key "$KID" --counter "$i" "$trigger")" \
		--socket "$TMP/bipd.ctl" >"$TMP/sms.out" 2>&1
	for _ in $(seq 1200); do
		[ "$(grep -c 'admin: session complete' "$TMP/card.log")" -gt "$n" ] && break
		sleep 0.01
	done
	t1=$(date +%s%N)
	s1=$(stats)
	wait "$RAS"
	grep -q 'answered 204' "$TMP/ras.log" || {
		echo "admin bench: session $i did not complete"
		tail -n 20 "$TMP/card.log"
		exit 1
	}
	times+=("$(((t1 - t0) / 1000000))")
done
curl -s -m 30 "http://127.0.0.1:$HTTP/bench/10k.txt" | cmp -s - "$TMP/10k.txt" ||
	{ echo "admin bench: the resource does not read back"; exit 1; }

delta() { echo $(($(field "$1" "$s1") - $(field "$1" "$s0"))); }
fetch=$(delta fetch) tr=$(delta tr) env=$(delta envelope)
a=$((fetch + tr + env))
in=$(delta to-card) out=$(delta to-client)
# The minimum: the SMS's ENVELOPE and the FETCH + TERMINAL RESPONSE of
# every proactive command no session can do without: OPEN CHANNEL, CLOSE
# CHANNEL, one RECEIVE DATA per 237 bytes (short APDUs) and one SEND DATA
# per 240 bytes.
min=$((1 + 2 * ((in + 236) / 237) + 2 * ((out + 239) / 240) + 4))
med() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo "admin: 10 KiB PUT in a remote session, SMS to session end: median $(med "${times[@]}") ms of $RUNS (${times[*]})"
echo "admin: $a APDUs ($fetch FETCH, $tr TR, $env ENVELOPE) for $in bytes to the card, $out from it;" \
	"protocol minimum $min: ratio $(awk -v a="$a" -v m="$min" 'BEGIN { printf "%.3f (%+.1f %%)", a / m, (a / m - 1) * 100 }') (goal <= 1.15)"
