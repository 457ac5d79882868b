#!/usr/bin/env bash
# In the VM: connects/s through the hook with a 1-rule and an N-rule policy
# (uid, label and digest rules, the matching one last), taken in one run,
# alternating the two policies five times and keeping each one's best.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
bench=$1 n=$2 count=${3:-1500}
insmod kmod/scws.ko queue_len=1024
ns=$(netns_new bench)
start_pump "$ns" /tmp/bench-pump.log --port 3516:7:7 --mode close
rate() {
	in_ns "$ns" $CLIENT rate "$count" 127.0.0.1 3516 | sed -n 's/.*per_s=//p'
}
refused_rate() {
	in_ns "$ns" setpriv --reuid=4242 --regid=4242 --clear-groups \
		$CLIENT rate "$count" 127.0.0.1 3516 | sed -n 's/.*per_s=//p'
}
best1=0 bestn=0 rbest1=0 rbestn=0
max() { python3 -c "print(max($1, $2))"; }
for round in 1 2 3 4 5; do
	in_ns "$ns" build/scwsctl policy load "$bench/acp-1.conf"
	best1=$(max "$best1" "$(rate)")
	rbest1=$(max "$rbest1" "$(refused_rate)")
	in_ns "$ns" build/scwsctl policy load "$bench/acp-$n.conf"
	bestn=$(max "$bestn" "$(rate)")
	rbestn=$(max "$rbestn" "$(refused_rate)")
	echo "# round $round: allowed 1 rule $best1/s, $n rules $bestn/s; refused $rbest1/s, $rbestn/s"
done
python3 - "$best1" "$bestn" "$rbest1" "$rbestn" "$n" <<'PY'
import sys
b1, bn, r1, rn, n = map(float, sys.argv[1:])
print("acp-bench: allowed connects/s: 1 rule %.0f, %d rules %.0f, ratio %.3f" % (b1, n, bn, bn / b1))
print("acp-bench: refused connects/s: 1 rule %.0f, %d rules %.0f, ratio %.3f" % (r1, n, rn, rn / r1))
PY
kill "$PUMP_PID"
rmmod scws
