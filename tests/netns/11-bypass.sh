#!/usr/bin/env bash
# Ways around the ACP on the netfilter path: segments no TCP socket sent
# (raw SYNs, IPv4 fragments, IPv6 extension headers), a TCP Fast Open
# socket handed to an allowed program before its SYN leaves, and a port
# squatted before the module loads.  Policy: default deny, allow uid 1001,
# the attacker is uid 1002 (with CAP_NET_RAW where it forges).
cd "$(dirname "$0")/../.." && . tests/lib/tap.sh
tap_begin 26
SCWSCTL=$BUILD/scwsctl
FORGE="python3 $PWD/tests/lib/forge.py"
ns=$(netns_new bypass)
tmp=$(mktemp -d /tmp/bypass.XXXXXX)
chmod 755 "$tmp"
TAP_CLEANUP_EXTRA="$SCWSCTL lsm detach >/dev/null 2>&1; rm -rf $tmp"
reply=$(printf 'HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello')

ctl() { in_ns "$ns" "$SCWSCTL" "$@"; }
policy() { printf '%s\n' "$@" >"$tmp/p.conf"; ctl policy load "$tmp/p.conf" 2>/dev/null; }
# raw_as UID CMD...: as UID with CAP_NET_RAW only.
raw_as() {
	local u=$1
	shift
	in_ns "$ns" setpriv --reuid="$u" --regid="$u" --clear-groups \
		--inh-caps=+net_raw --ambient-caps=+net_raw "$@"
}
accepted() { pump_status "$ns" | sed -n 's/.*port=3516 .*accepted=\([0-9]*\).*/\1/p'; }

start_pump "$ns" "$tmp/pump.log" --port 3516:4:4 --mode fixed --reply "$reply" >/dev/null
check "policy loads" policy "default deny" "allow uid 1001"
expect "uid 1001 is served" hello \
	"$(in_ns "$ns" setpriv --reuid=1001 --regid=1001 --clear-groups curl -s -m 5 http://127.0.0.1:3516/)"
before=$(accepted)

# A denied user hammering the port while allowed connects come and go:
# not one of 2,000 gets through.
in_ns "$ns" setpriv --reuid=1001 --regid=1001 --clear-groups $CLIENT rate 300 127.0.0.1 3516 >"$tmp/allowed" &
allowed=$!
out=$(in_ns "$ns" setpriv --reuid=1002 --regid=1002 --clear-groups $CLIENT rate 2000 127.0.0.1 3516)
wait "$allowed"
expect "2,000 connects by uid 1002: every one refused" "refused=2000" "$(grep -o 'refused=[0-9]*\|connected=[0-9]*' <<<"$out" | tr '\n' ' ' | sed 's/ $//')"
# (Beyond the queue an accepted connection is reset: not a refusal.)
out=$(sed -n 's/^rate \(.*\) secs=.*/\1/p' "$tmp/allowed")
check "the allowed user's 300 connects meanwhile: none refused ($out)" \
	bash -c "[ -n '$out' ] && ! grep -q refused <<<'$out'"
before=$(accepted)

# 4. Forged segments: the hook drops what no TCP socket sent, to an SCWS port.
expect "raw IPv4 SYN to 3516 is dropped (EPERM)" error:EPERM "$(raw_as 1002 $FORGE syn4 3516)"
expect "raw IPv4 SYN to another port still leaves" sent "$(raw_as 1002 $FORGE syn4 3517)"
expect "IPv4 SYN in two fragments to 3516 is dropped" error:EPERM "$(raw_as 1002 $FORGE frag4 3516)"
expect "IPv6 SYN behind a PadN destination option is dropped" error:EPERM "$(raw_as 1002 $FORGE exthdr6 3516)"
expect "raw SYN allowed by uid (uid 1001) is dropped too" error:EPERM "$(raw_as 1001 $FORGE syn4 3516)"
sleep 0.3
expect "no forged handshake reached the listener" "$before" "$(accepted)"

# 1. TCP Fast Open: uid 1002 connects (no SYN yet) and execs a program the
# policy allows; the SYN leaves in that program's write.
check "exe policy loads" policy "default deny" "allow uid 1001" "allow exe /usr/bin/echo"
in_ns "$ns" sysctl -qw net.ipv4.tcp_fastopen=5
in_ns "$ns" "$SCWSCTL" monitor >"$tmp/monitor" 2>&1 &
monitor=$!
sleep 0.5
before=$(accepted)
in_ns "$ns" setpriv --reuid=1002 --regid=1002 --clear-groups \
	$FORGE tfo-exec 3516 /usr/bin/echo 'GET / HTTP/1.0' 2>"$tmp/tfo.err"
sleep 0.5
kill "$monitor"
expect "the Fast Open SYN written by an allowed program is refused" "$before" "$(accepted)"
check "monitor: refused reason=fastopen" grep -q "refused reason=fastopen" "$tmp/monitor"
expect "a plain connect by uid 1002 is still refused" refused \
	"$(in_ns "$ns" setpriv --reuid=1002 --regid=1002 --clear-groups $CLIENT connect 127.0.0.1 3516)"

# The same attacks with the BPF-LSM program attached: the connector is
# judged in connect() (EPERM), forged segments are still dropped.
if "$SCWSCTL" lsm attach >/dev/null 2>"$tmp/attach.err"; then
	before=$(accepted)
	out=$(in_ns "$ns" setpriv --reuid=1002 --regid=1002 --clear-groups \
		$FORGE tfo-exec 3516 /usr/bin/echo 'GET / HTTP/1.0' 2>&1)
	check "LSM: Fast Open connect() by uid 1002 fails with EPERM" \
		grep -q 'PermissionError' <<<"$out"
	expect "LSM: raw SYN still dropped" error:EPERM "$(raw_as 1002 $FORGE syn4 3516)"
	out=$(in_ns "$ns" setpriv --reuid=1002 --regid=1002 --clear-groups $CLIENT rate 2000 127.0.0.1 3516)
	expect "LSM: 2,000 connects by uid 1002, every one denied (EPERM)" "error:EPERM=2000" \
		"$(grep -o 'error:EPERM=[0-9]*\|connected=[0-9]*\|refused=[0-9]*' <<<"$out" | tr '\n' ' ' | sed 's/ $//')"
	expect "LSM: uid 1001 still served" hello \
		"$(in_ns "$ns" setpriv --reuid=1001 --regid=1001 --clear-groups curl -s -m 5 http://127.0.0.1:3516/)"
	expect "LSM: no connection of uid 1002 reached the listener" "$((before + 1))" "$(accepted)"
	check "detach" "$SCWSCTL" lsm detach
else
	for i in 1 2 3 4 5 6; do not_ok "scwsctl lsm attach: $(head -c 200 "$tmp/attach.err")"; done
fi
in_ns "$ns" sysctl -qw net.ipv4.tcp_fastopen=1
kill "$PUMP_PID"
wait "$PUMP_PID" 2>/dev/null

# 5. A port held before the module loads: the namespace refuses every
# connect to it and says so; the squatter never gets a client.  A namespace
# made while the module is out has no leftovers of earlier tests.
if rmmod scws; then
	sq=$(netns_new squat)
	in_ns "$sq" python3 -c '
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 3516)); s.listen(8)
print("listening", flush=True)
s.settimeout(6)
try:
    c, _ = s.accept(); print("squatter got a client")
except socket.timeout:
    print("squatter got nothing")
' >"$tmp/squat" 2>&1 &
	squat=$!
	for _ in $(seq 50); do grep -q listening "$tmp/squat" && break; sleep 0.1; done
	insmod kmod/scws.ko
	check "insmod with the port squatted" test $? -eq 0
	check "kernel log says the port is refused" \
		bash -c "dmesg | grep -q 'cannot hold IPv4 port 3516 in netns .*refusing every connect'"
	start_pump "$sq" "$tmp/pump0.log" --port 3516:4:4 --mode fixed --reply "$reply" >/dev/null
	expect "a client of the squatted port is refused" refused "$(in_ns "$sq" $CLIENT connect 127.0.0.1 3516)"
	check "scwsctl status says UNGUARDED" bash -c "ip netns exec $sq $SCWSCTL status | grep -q 'port 3516: UNGUARDED'"
	kill "$PUMP_PID"
	wait "$squat"
	expect "the squatter never got a client" "listening squatter got nothing" "$(tr '\n' ' ' <"$tmp/squat" | sed 's/ $//')"
	ip netns del "$sq"
	rmmod scws && insmod kmod/scws.ko
	check "reloaded without the squatter" test $? -eq 0
else
	for i in 1 2 3 4 5 6; do not_ok "rmmod scws failed: squatting tests not run"; done
fi
tap_end
