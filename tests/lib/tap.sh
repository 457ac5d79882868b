# shellcheck shell=bash
# kselftest-style TAP helpers for the netns tests, and their namespaces.
TAP_N=0
TAP_FAIL=0
TAP_NS=()
BUILD=${SCWS_BUILD:-$PWD/build}
PUMP=$BUILD/tests/scws-test-pump
CLIENT="python3 $PWD/tests/lib/scws-client.py"

tap_begin() {
	echo "TAP version 13"
	echo "1..$1"
	trap tap_cleanup EXIT
}

ok() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $*"
}

not_ok() {
	TAP_N=$((TAP_N + 1))
	TAP_FAIL=$((TAP_FAIL + 1))
	echo "not ok $TAP_N - $*"
}

skip() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1 # SKIP $2"
}

# check DESCRIPTION COMMAND...: one test case from a command's status.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# expect DESCRIPTION WANT GOT
expect() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		echo "# want: $2"
		echo "# got:  $3"
	fi
}

tap_cleanup() {
	local ns
	# Children first (pumps, clients), then the namespaces.
	pkill -KILL -P $$ 2>/dev/null || true
	wait 2>/dev/null || true
	for ns in "${TAP_NS[@]}"; do
		ip netns del "$ns" 2>/dev/null || true
	done
	if [ -n "${TAP_CLEANUP_EXTRA:-}" ]; then
		eval "$TAP_CLEANUP_EXTRA"
	fi
}

tap_end() {
	[ "$TAP_FAIL" -eq 0 ]
	exit $?
}

# netns_new NAME: a fresh namespace with lo up; removed at exit.
netns_new() {
	local ns="scws-$1-$$"
	ip netns add "$ns"
	ip -n "$ns" link set lo up
	TAP_NS+=("$ns")
	echo "$ns"
}

# in_ns NS CMD...: run in namespace NS (the init namespace when NS is "-").
in_ns() {
	local ns=$1
	shift
	if [ "$ns" = "-" ]; then "$@"; else ip netns exec "$ns" "$@"; fi
}

# pump_status NS: the test pump's key=value view of STATUS_GET.
pump_status() {
	in_ns "$1" "$PUMP" --status
}

# wait_for NS PATTERN [TRIES]: until the status output matches PATTERN.
wait_for() {
	local ns=$1 pattern=$2 tries=${3:-100}
	while [ "$tries" -gt 0 ]; do
		pump_status "$ns" 2>/dev/null | grep -qE "$pattern" && return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}

# start_pump NS LOG ARGS...: a test pump in the background ($PUMP_PID is
# the pump itself: ip netns exec execs it); true once it says it is
# registered with its ports set.
start_pump() {
	local ns=$1 log=$2 tries=200
	shift 2
	if [ "$ns" = "-" ]; then
		"$PUMP" "$@" >"$log" 2>&1 &
	else
		ip netns exec "$ns" "$PUMP" "$@" >"$log" 2>&1 &
	fi
	PUMP_PID=$!
	while [ $tries -gt 0 ]; do
		grep -q '^registered' "$log" && return 0
		kill -0 "$PUMP_PID" 2>/dev/null || break
		sleep 0.05
		tries=$((tries - 1))
	done
	echo "# pump did not register:"
	sed 's/^/#   /' "$log"
	return 1
}

# now_ms: wall clock in ms without starting a process (slow in the VM).
now_ms() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}
