# shellcheck shell=bash
# The host benches' common start (gateway.sh, sched.sh): bench_host NAME
# TAG makes $TMP (removed at exit, with every PID in $PIDS stopped), needs
# root, picks free ports ($VPCD $HTTP $HTTPS $DEBUG) and starts a private
# pcscd on vpcd; it exits the bench when it cannot.
. tests/lib/pcscd.sh

bench_cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$TMP"
}

bench_host() {
	local name=$1
	TMP=$(mktemp -d "/tmp/scws-$2-bench.XXXXXX")
	PIDS=()
	trap bench_cleanup EXIT
	[ "$(id -u)" = 0 ] || { echo "$name bench: needs root (private pcscd)"; exit 1; }
	# shellcheck disable=SC2034 # the bench uses them
	VPCD=$(free_port) HTTP=$(free_port) HTTPS=$(free_port) DEBUG=$(free_port)
	pcscd_start "$TMP" "$VPCD" bench
	local started=$?
	PIDS+=("$PCSCD_PID")
	[ "$started" -eq 0 ] || { echo "$name bench: pcscd did not start"; exit 1; }
}

# stats: the pump's (pid $PUMP, log $TMP/pump.log) next "stats:" line,
# asked for with SIGUSR1; field NAME LINE: NAME's value in a key=value line.
stats() {
	local n
	n=$(grep -c "stats:" "$TMP/pump.log")
	kill -USR1 "$PUMP"
	for _ in $(seq 100); do [ "$(grep -c "stats:" "$TMP/pump.log")" -gt "$n" ] && break; sleep 0.05; done
	grep "stats:" "$TMP/pump.log" | tail -n1
}
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
