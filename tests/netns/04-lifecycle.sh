#!/usr/bin/env bash
# Container root, namespace deletion and module unload with live
# connections: nothing leaks, nothing oopses (the VM runner fails the run
# on any kernel warning).
cd "$(dirname "$0")/../.." && . tests/lib/tap.sh
tap_begin 17
tmp=$(mktemp -d)
TAP_CLEANUP_EXTRA="rm -rf $tmp"

# Root of a user+net namespace (unshare -Urn) may be its namespace's pump.
out=$(unshare -Urn bash -c "
	ip link set lo up
	$PUMP --port 3516:2:2 --mode fixed --reply container-pump >$tmp/cpump 2>&1 &
	for i in \$(seq 100); do $PUMP --status 2>/dev/null | grep -q '^pump=[0-9]' && break; sleep 0.05; done
	$CLIENT connect 127.0.0.1 3516 --read
	kill \$!")
expect "container root runs its own namespace's pump" "data:container-pump" "$(head -n1 <<<"$out")"
out=$(unshare -Urn bash -c "ip link set lo up; $CLIENT connect 127.0.0.1 3516")
expect "a container without a pump is refused" refused "$out"

# Policy memory is charged to the caller, and a user namespace's root gets
# at most userns_max_rules rules (default 1024); the initial admin 16384.
{ echo "default deny"; for i in $(seq 1025); do echo "allow uid $((10000 + i))"; done; } >"$tmp/big.conf"
head -n 1025 "$tmp/big.conf" >"$tmp/cap.conf"
out=$(unshare -Urn bash -c "
	$BUILD/scwsctl policy load $tmp/cap.conf && echo loaded-cap
	$BUILD/scwsctl policy load $tmp/big.conf 2>&1 || echo refused-big" 2>&1)
check "user namespace root loads a 1024-rule policy" grep -q "^loaded-cap" <<<"$out"
check "but not 1025 rules: refused, naming userns_max_rules" \
	bash -c 'grep -q "^refused-big" <<<"$1" && grep -q userns_max_rules <<<"$1"' _ "$out"
grep -v '^loaded-cap\|^refused-big' <<<"$out" | head -n 3 | sed 's/^/# /'
ns=$(netns_new cap)
check "the initial namespace's admin loads 1025 rules there" in_ns "$ns" "$BUILD/scwsctl" policy load "$tmp/big.conf"

# ip netns del with live connections of every kind, then the teardown: the
# module counts what it holds in every namespace ("live" parameter).
live() { sed -n "s/.*\<$1=\([0-9]*\).*/\1/p" /sys/module/scws/parameters/live; }
nets0=$(live nets) listeners0=$(live listeners) conns0=$(live conns) records0=$(live records)
ref0=$(cat /sys/module/scws/refcnt)
ns=$(netns_new del)
check "pump registered" start_pump "$ns" "$tmp/p1" --port 3516:2:2 --mode hold
in_ns "$ns" $CLIENT hold 6 127.0.0.1 3516 --wait 1 >"$tmp/h1" &
client=$!
check "2 handed off, 4 queued" wait_for "$ns" "port=3516 .*queued=4 .*handed_off=2"
# (The 6 callers' records went to their connections at accept.)
check "the namespace holds its listeners and the 4 queued connections" \
	test "$(live nets) $(live conns)" = "$((nets0 + 1)) $((conns0 + 4))" -a \
	"$(live listeners)" -gt "$listeners0"
ip netns del "$ns"
wait "$client"
kill "$PUMP_PID"
wait "$PUMP_PID" 2>/dev/null
check "netns deleted under live connections" grep -q "held connected=6" "$tmp/h1"
# The namespace goes once its last process has left (cleanup_net, a worker).
for _ in $(seq 300); do [ "$(live nets)" = "$nets0" ] && break; sleep 0.1; done
echo "# live before: nets=$nets0 listeners=$listeners0 conns=$conns0 records=$records0 refcnt=$ref0;" \
	"after: $(cat /sys/module/scws/parameters/live) refcnt=$(cat /sys/module/scws/refcnt)"
check "teardown: the namespace's state is gone" test "$(live nets)" = "$nets0"
expect "teardown: its listeners and connections are freed" "$listeners0 $conns0" \
	"$(live listeners) $(live conns)"
check "teardown: its caller records are freed" test "$(live records)" -le "$records0"
expect "teardown: the module's refcount is back" "$ref0" "$(cat /sys/module/scws/refcnt)"

# rmmod with 100 live connections: claimed by pumps and queued, in two
# namespaces.
# One uid (root) fills whole queues here: lift its share to the queue.
rmmod scws && insmod kmod/scws.ko queue_per_uid=32
ns=$(netns_new rm)
ns2=$(netns_new rm2)
start_pump "$ns" "$tmp/p2" --port 3516:4:4 --port 4116:4:4 --mode hold >/dev/null
start_pump "$ns2" "$tmp/p3" --port 3516:4:4 --mode hold >/dev/null
in_ns "$ns" $CLIENT hold 36 127.0.0.1 3516 >"$tmp/h2" < <(sleep 5) &
c1=$!
in_ns "$ns" $CLIENT hold 36 ::1 4116 >"$tmp/h3" < <(sleep 5) &
c2=$!
in_ns "$ns2" $CLIENT hold 28 127.0.0.1 3516 >"$tmp/h4" < <(sleep 5) &
c3=$!
wait_for "$ns" "port=3516 .*queued=32 " && wait_for "$ns" "port=4116 .*queued=32 " &&
	wait_for "$ns2" "port=3516 .*queued=24 "
check "100 connections open (24 claimed, 76 queued)" test $? -eq 0
# Event listeners and a stream of refused connects while the module goes:
# the namespaces' hooks and workers send events until they stop, after the
# family is unregistered (the runner fails on any kernel warning).
in_ns "$ns" "$PUMP" --events >"$tmp/ev1" 2>&1 &
ev1=$!
in_ns - "$PUMP" --events >"$tmp/ev2" 2>&1 &
ev2=$!
ns3=$(netns_new rm3)
in_ns "$ns3" $CLIENT rate 400 127.0.0.1 3516 --timeout 1 >"$tmp/rate" 2>&1 &
storm=$!
for _ in $(seq 100); do grep -q subscribed "$tmp/ev1" && grep -q subscribed "$tmp/ev2" && break; sleep 0.05; done
check "rmmod with 100 live connections, event listeners and refused connects" rmmod scws
wait "$storm"
kill "$ev1" "$ev2" 2>/dev/null
wait "$c1" "$c2" "$c3"
check "the module can be loaded again" insmod kmod/scws.ko
expect "and owns the port again" refused "$(in_ns - $CLIENT connect 127.0.0.1 3516)"
tap_end
