# shellcheck shell=bash
# The whole gateway in one network namespace, for VM tests and the demo:
# a private pcscd with the vpcd reader, scws-card with a content folder,
# and scws-bipd registered with scws.ko.  Needs tests/lib/tap.sh.
#
# pcscd gets its own mount namespace with /run/pcscd bind-mounted from the
# stack's directory, so stacks in several namespaces never share a pcscd;
# clients find it through PCSCLITE_CSOCK_NAME.
. "$(dirname "${BASH_SOURCE[0]}")/pcscd.sh"
BIPD=$BUILD/scws-bipd
CARD=$BUILD/scws-card
SCWSCTL=$BUILD/scwsctl

# spawn NS LOG PIDFILE CMD...: CMD in the background in namespace NS ("-":
# this one), its pid (the command itself, not a subshell) in PIDFILE.
spawn() {
	local ns=$1 log=$2 pidfile=$3
	shift 3
	if [ "$ns" = "-" ]; then
		"$@" >>"$log" 2>&1 &
	else
		ip netns exec "$ns" "$@" >>"$log" 2>&1 &
	fi
	echo $! >"$pidfile"
}

# stack_card NS DIR [CARD-ARGS...]: (re)start the card.
stack_card() {
	local ns=$1 dir=$2
	shift 2
	spawn "$ns" "$dir/card.log" "$dir/card.pid" \
		"$CARD" --vpcd 127.0.0.1:35963 --state "$dir/card.state" "$@"
}

# stack_start NS DIR CONTENT [CARD-ARGS...]: pcscd, card and pump in NS,
# their files and logs in DIR; true once the pump serves both ports.
stack_start() {
	local ns=$1 dir=$2 content=$3
	shift 3
	mkdir -p "$dir"
	stack_pcscd "$ns" "$dir" || return 1
	stack_card "$ns" "$dir" --content "$content" "$@"
	stack_pump "$ns" "$dir"
}

stack_pcscd() {
	local ns=$1 dir=$2
	spawn "$ns" "$dir/pcscd.log" "$dir/pcscd.pid" \
		"$PRIVATE_PCSCD" "$dir" 35963 "SCWS VM card"
	pcscd_wait "$dir" "$(cat "$dir/pcscd.pid")" && return 0
	echo "# pcscd did not start:"
	sed 's/^/#   /' "$dir/pcscd.log"
	return 1
}

# stack_pump NS DIR: (re)start the pump; true once both ports are served.
stack_pump() {
	local ns=$1 dir=$2 i
	: >"$dir/pump.log"
	spawn "$ns" "$dir/pump.log" "$dir/pump.pid" \
		env PCSCLITE_CSOCK_NAME="$dir/run/pcscd.comm" \
		"$BIPD" --foreground -v
	stack_serving "$dir"
}

# stack_serving DIR [TRIES]: the pump log shows both ports served.
stack_serving() {
	local dir=$1 tries=${2:-400}
	while [ "$tries" -gt 0 ]; do
		grep -q "port 3516: [1-9][0-9]* channels" "$dir/pump.log" &&
			grep -q "port 4116: [1-9][0-9]* channels" "$dir/pump.log" &&
			return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	echo "# the pump does not serve both ports:"
	tail -n 20 "$dir/pump.log" | sed 's/^/#   /'
	tail -n 10 "$dir/card.log" | sed 's/^/#   card: /'
	return 1
}

# stack_kill DIR NAME [SIGNAL]: stop pcscd, card or pump of the stack.
stack_kill() {
	local pid i
	pid=$(cat "$1/$2.pid" 2>/dev/null) || return 0
	kill "-${3:-TERM}" "$pid" 2>/dev/null
	for i in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	wait "$pid" 2>/dev/null
	return 0
}

# stack_resumed DIR MARK [SECONDS]: the pump serves both ports again after
# line MARK of its log.
stack_resumed() {
	local dir=$1 mark=$2 secs=${3:-90}
	tail -n +"$((mark + 1))" -f "$dir/pump.log" 2>/dev/null |
		timeout "$secs" grep -q -m1 "port 4116: [1-9][0-9]* channels"
}

stack_stop() {
	stack_kill "$1" pump
	stack_kill "$1" card
	stack_kill "$1" pcscd
}

# stack_mark DIR: the pump log's length now.  stack_since DIR MARK
# PATTERN [TRIES]: until the pump log has PATTERN (an ERE) after line
# MARK, 50 ms a try.
stack_mark() { wc -l <"$1/pump.log"; }
stack_since() {
	local tries=${4:-600}
	while [ "$tries" -gt 0 ]; do
		tail -n +"$(($2 + 1))" "$1/pump.log" | grep -qE "$3" && return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}
