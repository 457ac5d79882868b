# shellcheck shell=bash
# Helpers around tests/lib/private-pcscd for the test and bench scripts.
PRIVATE_PCSCD=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/private-pcscd

# free_port: a TCP port free together with the next one (vpcd's two slots).
free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 40000))
		if ! ss -Htln "( sport = :$p or sport = :$((p + 1)) )" | grep -q .; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# pcscd_wait DIR PID: until the private pcscd PID listens (false if it died).
pcscd_wait() {
	local i
	for i in $(seq 200); do
		[ -S "$1/run/pcscd.comm" ] && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

# pcscd_start DIR PORT NAME [PCSCD-ARGS...]: a private pcscd in the
# background ($PCSCD_PID; its output appended to DIR/pcscd.log) and this
# shell's PC/SC clients pointed at it; true once it listens.
pcscd_start() {
	export PCSCLITE_CSOCK_NAME=$1/run/pcscd.comm
	"$PRIVATE_PCSCD" "$@" >>"$1/pcscd.log" 2>&1 &
	PCSCD_PID=$!
	pcscd_wait "$1" "$PCSCD_PID"
}
