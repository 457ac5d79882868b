#!/usr/bin/env bash
# The module owns the SCWS ports in the init namespace and in new ones;
# without a pump, connects are refused at once.
cd "$(dirname "$0")/../.." && . tests/lib/tap.sh
tap_begin 9

bind_result() {
	in_ns "$1" python3 -c '
import socket, sys, errno
host, port = sys.argv[1], int(sys.argv[2])
fam = socket.AF_INET6 if ":" in host else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind((host, port)); print("bound")
except OSError as e:
    print(errno.errorcode[e.errno])' "$2" "$3"
}

ns=$(netns_new ports)
expect "user bind 127.0.0.1:3516 in init netns fails" EADDRINUSE "$(bind_result - 127.0.0.1 3516)"
expect "user bind [::1]:4116 in init netns fails" EADDRINUSE "$(bind_result - ::1 4116)"
expect "user bind 127.0.0.1:4116 in a new netns fails" EADDRINUSE "$(bind_result "$ns" 127.0.0.1 4116)"
expect "user bind 0.0.0.0:3516 in a new netns fails" EADDRINUSE "$(bind_result "$ns" 0.0.0.0 3516)"
expect "user bind of another port still works" bound "$(bind_result "$ns" 127.0.0.1 3517)"

out=$(in_ns "$ns" $CLIENT connect 127.0.0.1 3516 --ms)
expect "no pump: connect 127.0.0.1:3516 refused" refused "$(head -n1 <<<"$out")"
ms=$(sed -n 's/^ms=//p' <<<"$out")
check "no pump: refused at once, not after a timeout (${ms} ms)" test "${ms:-9999}" -lt 1000
expect "no pump: connect [::1]:4116 refused" refused "$(in_ns "$ns" $CLIENT connect ::1 4116)"
# A namespace created after the module is loaded, with lo brought up later.
ns2="scws-late-$$"
ip netns add "$ns2"
TAP_NS+=("$ns2")
ip -n "$ns2" link set lo up
expect "lo brought up after netns creation: port still owned" EADDRINUSE "$(bind_result "$ns2" 127.0.0.1 3516)"
tap_end
