#!/usr/bin/env bash
# `make soak`, guest side (tests/soak/run.sh boots the VM): the whole
# gateway (scws.ko, pcscd + vpcd, scws-card, scws-bipd --policy) under
# mixed traffic for $1 seconds (SCWS_SOAK_SECONDS, default 300): HTTP and HTTPS pages
# and a 20 KiB file compared byte for byte, transfers cut mid-way, callers
# the policy denies, a pump restart and two card restarts.  Then the
# growth of the kernel's slab (Slab, SUnreclaim, the kmalloc and TCP
# caches the module's objects and sockets live in), and of the last
# pump's RSS and open descriptors over the second half, where it serves
# on without restarts.  Fails on any failed or damaged request and on
# growth beyond the tolerances below.
cd "$(dirname "$0")/../.." && . tests/lib/tap.sh && . tests/lib/stack.sh
SECS=${1:-${SCWS_SOAK_SECONDS:-300}}
SLAB_TOL_KB=${SCWS_SOAK_SLAB_KB:-2048}	# SUnreclaim: TCG noise is ~0.5 MiB
RSS_TOL_KB=${SCWS_SOAK_RSS_KB:-256}
FD_TOL=${SCWS_SOAK_FDS:-0}
tap_begin 7
rmmod scws 2>/dev/null
insmod kmod/scws.ko queue_timeout_ms=60000
tmp=$(mktemp -d /tmp/soak.XXXXXX)
chmod 755 "$tmp"
TAP_CLEANUP_EXTRA="stack_stop $tmp/s; rm -rf $tmp"
ns=$(netns_new soak)
bash card-sim/content-gen.sh -s 20480 -n mid.bin card-sim/content "$tmp/content" >/dev/null
mkdir -p "$tmp/s"
printf 'default allow\ndeny uid 1002\n' >"$tmp/local.conf"

pump_start() {
	: >"$tmp/s/pump.log"
	spawn "$ns" "$tmp/s/pump.log" "$tmp/s/pump.pid" env PCSCLITE_CSOCK_NAME="$tmp/s/run/pcscd.comm" \
		"$BIPD" --foreground -v --policy "$tmp/local.conf" --state-dir "$tmp/state"
	stack_serving "$tmp/s"
}
card_start() { stack_card "$ns" "$tmp/s" --content "$tmp/content" --channels 3516=4,4116=3; }
stack_pcscd "$ns" "$tmp/s" >/dev/null
card_start
check "stack up: pcscd, card, pump --policy serving" pump_start

done_n=0 failed=0 damaged=0 cut=0 denied=0
declare -A kinds
fail() { failed=$((failed + 1)); echo "# failed: $*"; }
# get URL FILE [CURL-ARGS]: one request, compared with FILE.
get() {
	local url=$1 want=$2 rc
	shift 2
	in_ns "$ns" curl -s -m 60 -o "$tmp/out" "$@" "$url"
	rc=$?
	done_n=$((done_n + 1))
	if [ "$rc" -ne 0 ]; then
		fail "curl $* $url: exit $rc"
	elif ! cmp -s "$tmp/out" "$want"; then
		damaged=$((damaged + 1))
		echo "# damaged: $url"
	fi
}
round() {
	case $(($1 % 6)) in
	0|3) get http://127.0.0.1:3516/ "$tmp/content/index.html"; kinds[http]=$((${kinds[http]:-0} + 1)) ;;
	1) get https://127.0.0.1:4116/ "$tmp/content/index.html" -k; kinds[https]=$((${kinds[https]:-0} + 1)) ;;
	2) get http://127.0.0.1:3516/mid.bin "$tmp/content/mid.bin"; kinds[file]=$((${kinds[file]:-0} + 1)) ;;
	4)	# cut mid-way: a reader that stops after 2 KiB
		in_ns "$ns" curl -s -m 60 --limit-rate 2k --max-time 1 -o /dev/null http://127.0.0.1:3516/mid.bin
		cut=$((cut + 1)); done_n=$((done_n + 1)) ;;
	5)	in_ns "$ns" setpriv --reuid=1002 --regid=1002 --clear-groups curl -s -m 10 -o /dev/null http://127.0.0.1:3516/
		[ $? -eq 7 ] || fail "uid 1002 was not refused"
		denied=$((denied + 1)); done_n=$((done_n + 1)) ;;
	esac
}
slab() { awk -v k="$1" '$1 == k ":" { print $2 }' /proc/meminfo; }
caches() { awk '$1 ~ /^(kmalloc-|TCP|tcp|request_sock|skbuff)/ { a += $2 * $4 } END { print int(a / 1024) }' /proc/slabinfo; }
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$(cat "$tmp/s/pump.pid")/status"; }
fds() { find "/proc/$(cat "$tmp/s/pump.pid")/fd" -mindepth 1 -maxdepth 1 | wc -l; }
restart_card() {
	local mark
	mark=$(wc -l <"$tmp/s/pump.log")
	stack_kill "$tmp/s" card KILL
	card_start
	stack_resumed "$tmp/s" "$mark" || fail "the pump did not resume after a card restart"
}

start=$SECONDS end=$((SECONDS + SECS)) i=0 phase=0
while [ "$SECONDS" -lt "$end" ] || [ "$phase" -lt 4 ]; do
	round "$i"
	i=$((i + 1))
	el=$((SECONDS - start))
	if [ "$phase" = 0 ] && [ "$el" -ge $((SECS / 5)) ]; then
		phase=1; echo "# $el s: card restart"; restart_card
	elif [ "$phase" = 1 ] && [ "$el" -ge $((SECS * 2 / 5)) ]; then
		phase=2; echo "# $el s: pump restart"
		stack_kill "$tmp/s" pump TERM
		pump_start || fail "the pump did not come back"
	elif [ "$phase" = 2 ] && [ "$el" -ge $((SECS / 2)) ]; then
		# the baseline: the last pump warmed up, nothing in flight
		phase=3; sleep 2
		s0=$(slab SUnreclaim) a0=$(slab Slab) c0=$(caches) r0=$(rss) f0=$(fds)
		echo "# $el s: baseline Slab $a0 kB, SUnreclaim $s0 kB, caches $c0 kB, pump RSS $r0 kB, $f0 fds"
	elif [ "$phase" = 3 ] && [ "$el" -ge $((SECS * 3 / 4)) ]; then
		phase=4; echo "# $el s: card restart"; restart_card
	fi
done
sleep 2
s1=$(slab SUnreclaim) a1=$(slab Slab) c1=$(caches) r1=$(rss) f1=$(fds)
echo "# end $((SECONDS - start)) s: Slab $a1 kB, SUnreclaim $s1 kB, caches $c1 kB, pump RSS $r1 kB, $f1 fds"
echo "# soak: $done_n requests in $((SECONDS - start)) s (http ${kinds[http]:-0}, https ${kinds[https]:-0}, 20 KiB ${kinds[file]:-0}, cut $cut, denied $denied), $failed failed, $damaged damaged"
echo "# soak-growth: slab $((a1 - a0)) kB, sunreclaim $((s1 - s0)) kB, caches $((c1 - c0)) kB, pump-rss $((r1 - r0)) kB, pump-fds $((f1 - f0))"
check "$done_n requests, none failed ($failed)" test "$failed" -eq 0
check "no response differs from the card's content ($damaged)" test "$damaged" -eq 0
check "kernel SUnreclaim grew $((s1 - s0)) kB (<= $SLAB_TOL_KB)" test $((s1 - s0)) -le "$SLAB_TOL_KB"
check "pump RSS grew $((r1 - r0)) kB (<= $RSS_TOL_KB)" test $((r1 - r0)) -le "$RSS_TOL_KB"
check "pump descriptors grew $((f1 - f0)) (<= $FD_TOL)" test $((f1 - f0)) -le "$FD_TOL"
check "the same pump ran the second half" bash -c "kill -0 \$(cat $tmp/s/pump.pid)"
tap_end
