#!/usr/bin/env bash
# Executable hashing is bounded and fails closed: a client run from a FUSE
# file system that never finishes serving its file (tests/fuse/slowfs) is
# refused in bounded time, identical connects share one hash job, the job
# bounds refuse at once, a stuck hash never holds up a namespace's exit nor
# rmmod, and files of a user namespace's mount are never hashed.
cd "$(dirname "$0")/../.." && . tests/lib/tap.sh
tap_begin 21
SCWSCTL=$BUILD/scwsctl
SLOWFS=$BUILD/tests/slowfs
NCONNECT=$BUILD/tests/nconnect
P=/sys/module/scws/parameters
tmp=$(mktemp -d /tmp/digest.XXXXXX)
chmod 755 "$tmp"
mnt=$tmp/mnt
mkdir -p "$mnt" "$tmp/umnt" "$tmp/fmnt"
chmod 777 "$tmp/umnt" "$tmp/fmnt"
# Let go of every slowfs (SIGUSR1 answers its stalled reads) before removing.
TAP_CLEANUP_EXTRA="for m in $mnt $tmp/fmnt; do umount -l \$m 2>/dev/null; done; \
ip link del scws-dg2 2>/dev/null; rm -rf $tmp"
reply=$(printf 'HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello')

if [ ! -x "$SLOWFS" ] || ! modprobe fuse 2>/dev/null || [ ! -c /dev/fuse ]; then
	for i in $(seq 21); do skip "digest test $i" "no slowfs (libfuse3-dev) or no fuse in the guest"; done
	tap_end
fi
chmod 666 /dev/fuse
mountpoint -q /sys/fs/fuse/connections ||
	mount -t fusectl none /sys/fs/fuse/connections 2>/dev/null

stat_of() { tr ' ' '\n' <"$P/digest_stats" 2>/dev/null | sed -n "s/^$1=//p"; }
# run_as NS UID CMD...
run_as() {
	local n=$1 u=$2
	shift 2
	in_ns "$n" setpriv --reuid="$u" --regid="$u" --clear-groups "$@"
}
field() { sed -n "s/.*\b$1=\([0-9]*\).*/\1/p" <<<"$2"; }
# wait_gone LINK SECONDS: true once LINK left the initial namespace.
wait_gone() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		ip link show "$1" >/dev/null 2>&1 || return 0
		sleep 0.1
	done
	return 1
}

ns=$(netns_new digest)
start_pump "$ns" "$tmp/pump.log" --port 3516:4:4 --mode fixed --reply "$reply" >/dev/null
pump1=$PUMP_PID
other=$(sha256sum /bin/true | cut -d' ' -f1)
printf '%s\n' "default deny" "allow exe-sha256 $other" "allow uid 1001" >"$tmp/p.conf"
check "policy with a digest rule before allow uid 1001 loads" \
	in_ns "$ns" "$SCWSCTL" policy load "$tmp/p.conf"

# Mounted by root with suid: a root-owned FUSE mount is vouched for (a
# nosuid one, what fusermount3 makes for users, is not).
"$SLOWFS" --count 8 "$NCONNECT" "$mnt" -f -o allow_other,suid 2>"$tmp/slowfs.log" &
slowfs=$!
for _ in $(seq 100); do [ -e "$mnt/prog0" ] && break; sleep 0.1; done
run_as "$ns" 1001 "$mnt/prog0" >/dev/null 2>&1
check "a program on slowfs runs (exec and page faults are served)" test $? -eq 2

echo 1500 >"$P/digest_timeout_ms"
started=$(stat_of started)
shared=$(stat_of shared)
out=$(run_as "$ns" 1001 "$mnt/prog0" 127.0.0.1 3516 2 15000)
echo "# 2 connects: $out"
expect "2 connects while the hash stalls: both refused (reset), none let in" 2 "$(field refused "$out")"
ms=$(field ms "$out")
check "refused after digest_timeout_ms, not hung (${ms} ms)" test "${ms:-99999}" -lt 6000
check "2 identical connects started one hash job" test "$(stat_of started)" -eq $((started + 1))
check "the second one shared it" test "$(stat_of shared)" -gt "$shared"
grep -q stalling "$tmp/slowfs.log"
check "the hasher did reach the stall" test $? -eq 0

# Job bounds: prog0's job is still stuck; prog1 makes 2 for uid 1001.
echo 2 >"$P/digest_jobs_per_user"
out=$(run_as "$ns" 1001 "$mnt/prog1" 127.0.0.1 3516 1 15000)
expect "another file: its own job, refused at the timeout" 1 "$(field refused "$out")"
check "2 stuck jobs now" test "$(stat_of jobs)" -eq 2
busy=$(stat_of busy)
out=$(run_as "$ns" 1001 "$mnt/prog2" 127.0.0.1 3516 1 15000)
echo "# over the per-user bound: $out"
expect "a third file over digest_jobs_per_user=2: refused at connect()" 1 "$(field now "$out")"
check "in $(field ms "$out") ms" test "$(field ms "$out")" -lt 1000
check "counted as busy" test "$(stat_of busy)" -gt "$busy"

# SCWS_HELD_MAX (64) SYNs per namespace wait; more are refused at once.
out=$(run_as "$ns" 1001 "$mnt/prog0" 127.0.0.1 3516 70 15000)
echo "# 70 connects: $out"
expect "70 connects: 6 refused at connect(), 64 held then reset" "6 64 0" \
	"$(field now "$out") $(field refused "$out") $(field connected "$out")"

# Namespaces go away while hashes are stuck.  Devices go before the
# module's exit runs, so whether a namespace was cleaned up is seen from
# its user namespace's count: with max_net_namespaces=1 there, a second
# namespace can be made only once the first one's cleanup ended.
netns_cleaned() {
	unshare -Ur sh -c "echo 1 >/proc/sys/user/max_net_namespaces || exit 2
		unshare -n true || exit 3
		for i in \$(seq $(($1 * 10))); do
			unshare -n true 2>/dev/null && exit 0
			sleep 0.1
		done
		exit 1"
}
ns2=$(netns_new digest2)
t0=$(now_ms)
ip netns del "$ns2"
check "ip netns del returns at once ($(($(now_ms) - t0)) ms)" test $(($(now_ms) - t0)) -lt 3000
check "a namespace dropped while a hash is stuck is cleaned up within 5 s" netns_cleaned 5

ns3=$(netns_new digest3)
ip link add scws-dg2 type veth peer name scws-dg3 netns "$ns3"
start_pump "$ns3" "$tmp/pump3.log" --port 3516:4:4 --mode fixed --reply "$reply" >/dev/null
pump3=$PUMP_PID
in_ns "$ns3" "$SCWSCTL" policy load "$tmp/p.conf"
run_as "$ns3" 1001 "$mnt/prog0" 127.0.0.1 3516 3 30000 >/dev/null &
client3=$!
sleep 0.5
kill "$client3" "$pump3"
wait "$client3" "$pump3" 2>/dev/null
ip netns del "$ns3"
check "a namespace with held SYNs is cleaned up within 5 s" wait_gone scws-dg2 5

# Files of a user namespace's FUSE mount are never hashed.
# mount_run MNT: as the shell's user, mount slowfs on MNT, run prog0 there.
mount_run() {
	echo "$SLOWFS $NCONNECT $1 -f >/dev/null 2>&1 & p=\$!
	for i in \$(seq 30); do [ -e $1/prog0 ] && break; sleep 0.2; done
	[ -e $1/prog0 ] && $1/prog0 127.0.0.1 3516 1 15000
	kill -USR1 \$p; fusermount3 -u -z $1 2>/dev/null || umount -l $1; kill \$p"
}
started=$(stat_of started)
out=$(run_as "$ns" 1001 timeout 60 unshare -Urm sh -c "$(mount_run "$tmp/umnt")" </dev/null)
echo "# user namespace mount: $out"
if [ -z "$out" ]; then
	skip "user namespace FUSE mount: refused at connect()" "cannot mount slowfs in a user namespace"
else
	expect "user namespace FUSE mount: refused at connect(), not hashed" \
		"1 $started" "$(field now "$out") $(stat_of started)"
fi
# fusermount3 mounts for a user (it needs a user name: nobody) are in the
# initial user namespace, but always nosuid and served by the user's own
# daemon: never hashed either.  A rule before "allow uid 65534" needs the
# digest, which cannot be had: refused at once, never judged on less.
printf '%s\n' "default deny" "allow exe-sha256 $other" "allow uid 65534" >"$tmp/nobody.conf"
in_ns "$ns" "$SCWSCTL" policy load "$tmp/nobody.conf"
started=$(stat_of started)
out=$(run_as "$ns" 65534 timeout 60 sh -c "$(mount_run "$tmp/fmnt")" </dev/null)
echo "# fusermount3 mount: $out"
if [ -z "$out" ]; then
	skip "fusermount3 mount by nobody: refused at connect(), not hashed" "fusermount3 does not work in the guest"
else
	expect "fusermount3 mount by nobody: refused at connect(), not hashed" \
		"1 1 $started" \
		"$(field now "$out") $(($(field ms "$out") < 6000)) $(stat_of started)"
fi

# rmmod while a file does not answer: fails at once, never hangs.
kill "$pump1" 2>/dev/null
wait "$pump1" 2>/dev/null
t0=$(now_ms)
rmmod scws 2>"$tmp/rmmod.err" &
rm_pid=$!
for _ in $(seq 50); do kill -0 "$rm_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$rm_pid" 2>/dev/null; then
	not_ok "rmmod with a stuck hash returns at once (still running after 5 s)"
else
	wait "$rm_pid"
	rc=$?
	echo "# rmmod: exit $rc in $(($(now_ms) - t0)) ms: $(head -c 200 "$tmp/rmmod.err")"
	ok "rmmod with a stuck hash returns at once (exit $rc)"
fi
aborted=0
for a in /sys/fs/fuse/connections/*/abort; do
	[ -e "$a" ] && echo 1 >"$a" && aborted=$((aborted + 1))
done 2>/dev/null
echo "# aborted $aborted FUSE connection(s)"
if lsmod | grep -q '^scws '; then
	for _ in $(seq 50); do rmmod scws 2>/dev/null && break; sleep 0.1; done
fi
! lsmod | grep -q '^scws '
check "after aborting the FUSE connection rmmod succeeds" test $? -eq 0
wait "$rm_pid" 2>/dev/null
kill "$slowfs" 2>/dev/null
insmod kmod/scws.ko
check "insmod again" test $? -eq 0
tap_end
