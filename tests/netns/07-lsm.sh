#!/usr/bin/env bash
# The BPF-LSM enforcement point: scwsctl lsm attach/detach/status; a denied
# caller gets EPERM at connect() (v4, v6, TCP Fast Open, io_uring), allowed
# callers are served, other ports are untouched, detach leaves established
# connections alone and the netfilter hook takes over; rmmod with the
# program attached fails at once. Leaves the module loaded and detached.
cd "$(dirname "$0")/../.." && . tests/lib/tap.sh
tap_begin 28
SCWSCTL=$BUILD/scwsctl
CONNECT=$BUILD/tests/scws-connect
ns=$(netns_new lsm)
tmp=$(mktemp -d /tmp/lsm.XXXXXX)
chmod 755 "$tmp"
TAP_CLEANUP_EXTRA="$SCWSCTL lsm detach >/dev/null 2>&1; rm -rf $tmp"

ctl() { in_ns "$ns" "$SCWSCTL" "$@"; }
ns_as() {
	local n=$1 u=$2
	shift 2
	in_ns "$n" setpriv --reuid="$u" --regid="$u" --clear-groups "$@"
}
# conn UID MODE HOST PORT: "connected" or "error:ENAME", then ms=N.
conn() { ns_as "$ns" "$1" "$CONNECT" "$2" "$3" "$4"; }
first() { head -n1 <<<"$1"; }
quiet() { "$@" >/dev/null; }
ms_of() { sed -n 's/^ms=//p' <<<"$1"; }

# Not attached by an earlier run; the lsm commands run outside "ip netns exec",
# which mounts a /sys of its own (and so hides /sys/fs/bpf).
"$SCWSCTL" lsm detach >/dev/null 2>&1
in_ns "$ns" sysctl -qw net.ipv4.tcp_fastopen=0x5
start_pump "$ns" "$tmp/pump.log" --port 3516:4:4 --port 4116:4:4 --mode echo >/dev/null
printf '%s\n' "default deny" "allow uid 0" "allow uid 1001" >"$tmp/p.conf"
check "policy loads" ctl policy load "$tmp/p.conf"

out=$(setpriv --reuid=1002 --regid=1002 --clear-groups --inh-caps=-all \
	"$SCWSCTL" lsm attach 2>&1)
rc=$?
expect "unprivileged attach: one clear line" \
	"scwsctl: lsm attach: needs CAP_SYS_ADMIN|1" \
	"$out|$rc"
check "attach" quiet "$SCWSCTL" lsm attach
check "lsm status: attached, both hooks" \
	bash -c "$SCWSCTL lsm status | grep -qE '^lsm: attached; socket_connect link [0-9]+ prog [0-9]+, socket_sendmsg link'"
check "status (inside the namespace): enforcement lsm" \
	bash -c "ip netns exec $ns $SCWSCTL status | grep -qx 'enforcement: lsm'"

out=$(conn 1002 connect 127.0.0.1 3516)
expect "uid 1002 connect() to 127.0.0.1:3516: EPERM" error:EPERM "$(first "$out")"
check "in under 100 ms ($(ms_of "$out") ms)" test "$(ms_of "$out")" -lt 100
out=$(conn 1002 connect ::1 3516)
expect "uid 1002 connect() to [::1]:3516: EPERM" error:EPERM "$(first "$out")"
check "in under 100 ms ($(ms_of "$out") ms)" test "$(ms_of "$out")" -lt 100
expect "uid 1002 to ::ffff:127.0.0.1 (v4-mapped): EPERM" error:EPERM \
	"$(first "$(conn 1002 connect ::ffff:127.0.0.1 3516)")"
expect "uid 1002 on the second port: EPERM" error:EPERM \
	"$(first "$(conn 1002 connect 127.0.0.1 4116)")"
expect "uid 1002 sendto(MSG_FASTOPEN): EPERM" error:EPERM \
	"$(first "$(conn 1002 tfo-sendto 127.0.0.1 3516)")"
expect "uid 1002 TCP_FASTOPEN_CONNECT + connect(): EPERM" error:EPERM \
	"$(first "$(conn 1002 tfo-connect 127.0.0.1 3516)")"
expect "uid 1002 io_uring IORING_OP_CONNECT: EPERM" error:EPERM \
	"$(first "$(conn 1002 uring 127.0.0.1 3516)")"
expect "uid 1001 is served" echo:hello \
	"$(ns_as "$ns" 1001 $CLIENT connect 127.0.0.1 3516 --send hello)"
expect "uid 1001 over [::1] is served" echo:hello \
	"$(ns_as "$ns" 1001 $CLIENT connect ::1 3516 --send hello)"
expect "uid 1001 sendto(MSG_FASTOPEN) is let through" connected \
	"$(first "$(conn 1001 tfo-sendto 127.0.0.1 3516)")"
expect "uid 1001 io_uring connect is let through" connected \
	"$(first "$(conn 1001 uring 127.0.0.1 3516)")"

# Another port on loopback: the program leaves it to TCP.
in_ns "$ns" python3 -c 'import socket,time
s=socket.socket(); s.bind(("127.0.0.1", 8080)); s.listen(8); time.sleep(30)' &
for _ in $(seq 100); do
	in_ns "$ns" ss -Hltn 'sport = :8080' | grep -q . && break
	sleep 0.1
done
expect "uid 1002 to another port is untouched" connected \
	"$(first "$(conn 1002 connect 127.0.0.1 8080)")"

# Only with the program attached: else rmmod would succeed and the rest
# would only fail for want of the module.
if "$SCWSCTL" lsm status | grep -q '^lsm: attached'; then
	check "rmmod with the program attached fails" bash -c '! timeout 5 rmmod scws 2>/dev/null'
	# Refused, not blocked: rmmod must not wait for the program to go
	# (timeout's 124 would say it hung); no wall-clock bound, as debug kernels are slow.
	out=$(timeout 30 rmmod scws 2>&1; echo "exit $?")
	check "refused, not blocked, saying the module is in use" bash -c \
		"grep -q 'in use' <<<'$out' && ! grep -q '^exit 124' <<<'$out'"
	echo "# rmmod: $(tr '\n' ' ' <<<"$out")"
	check "the module is still loaded" bash -c 'lsmod | grep -q "^scws "'
else
	for t in "rmmod with the program attached fails" "refused, not blocked, saying the module is in use" \
		"the module is still loaded"; do
		not_ok "$t (the program is not attached)"
	done
fi

# An established connection survives detach.
ns_as "$ns" 1001 $CLIENT stream 127.0.0.1 3516 3 >"$tmp/stream" &
stream=$!
sleep 1
check "detach while a connection streams" quiet "$SCWSCTL" lsm detach
wait "$stream"
expect "the stream was not cut" ok "$(grep -o '^stream ok' "$tmp/stream" | cut -d' ' -f2)"
check "lsm status: not attached, status: netfilter" bash -c \
	"$SCWSCTL lsm status | grep -qx 'lsm: not attached' && ip netns exec $ns $SCWSCTL status | grep -qx 'enforcement: netfilter'"
expect "after detach, the netfilter hook refuses uid 1002 (ECONNREFUSED)" error:ECONNREFUSED \
	"$(first "$(conn 1002 connect 127.0.0.1 3516)")"

# The documented unload order, back to back; the module is loaded again for
# the tests that follow.
kill "$PUMP_PID" 2>/dev/null
wait "$PUMP_PID" 2>/dev/null
check "attach, detach, rmmod at once" bash -c \
	"'$SCWSCTL' lsm attach >/dev/null && '$SCWSCTL' lsm detach >/dev/null && rmmod scws"
check "the module loads again" insmod kmod/scws.ko
tap_end
