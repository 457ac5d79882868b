#!/usr/bin/env bash
# In the VM: connects/s through the BPF-LSM path vs the netfilter path
# (allowed and refused), and with a 1-rule vs an N-rule policy on the LSM
# path; rounds (9) alternating the set-ups, keeping each one's best.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
bench=$1 n=$2 count=${3:-1500}
insmod kmod/scws.ko queue_len=1024
ns=$(netns_new bench)
start_pump "$ns" /tmp/bench-pump.log --port 3516:7:7 --mode close
# rate UID: connects/s by UID, and what the connects got.
rate() {
	local out
	out=$(in_ns "$ns" setpriv --reuid="$1" --regid="$1" --clear-groups \
		$CLIENT rate "$count" 127.0.0.1 3516)
	echo "# uid $1: $out" >&2
	sed -n 's/.*per_s=//p' <<<"$out"
}
policy() { in_ns "$ns" build/scwsctl policy load "$bench/acp-$1.conf"; }
declare -A best=()
keep() { best[$1]=$(python3 -c "print(max(${best[$1]:-0}, $2))"); }
for round in $(seq "${SCWS_BENCH_ROUNDS:-9}"); do
	policy 1
	build/scwsctl lsm detach >/dev/null
	keep nf-allowed "$(rate 0)"
	keep nf-refused "$(rate 4242)"
	build/scwsctl lsm attach >/dev/null
	keep lsm-allowed "$(rate 0)"
	keep lsm-refused "$(rate 4242)"
	policy "$n"
	keep lsmn-allowed "$(rate 0)"
	keep lsmn-refused "$(rate 4242)"
	echo "# round $round: ${best[*]@K}"
done
build/scwsctl lsm detach >/dev/null
python3 - "$n" "${best[nf-allowed]}" "${best[lsm-allowed]}" "${best[lsmn-allowed]}" \
	"${best[nf-refused]}" "${best[lsm-refused]}" "${best[lsmn-refused]}" <<'PY'
import sys
n = int(sys.argv[1])
na, la, lna, nr, lr, lnr = map(float, sys.argv[2:])
print("lsm-bench: allowed connects/s: netfilter %.0f, lsm %.0f (lsm/netfilter %.3f)" % (na, la, la / na))
print("lsm-bench: refused connects/s: netfilter %.0f (ECONNREFUSED), lsm %.0f (EPERM) (lsm/netfilter %.3f)" % (nr, lr, lr / nr))
print("lsm-bench: lsm allowed connects/s: 1 rule %.0f, %d rules %.0f, ratio %.3f" % (la, n, lna, lna / la))
print("lsm-bench: lsm refused connects/s: 1 rule %.0f, %d rules %.0f, ratio %.3f" % (lr, n, lnr, lnr / lr))
PY
kill "$PUMP_PID"
rmmod scws
