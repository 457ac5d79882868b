#!/usr/bin/env bash
# `make bench`: benchmarks, each in one VM run; ratios, not absolute times.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$PWD/build/bench
mkdir -p "$out"
bash tests/bench/gateway.sh | tee "$out/gateway.log"
bash tests/bench/sched.sh | tee "$out/sched.log"
bash tests/bench/se.sh | tee "$out/se.log"
bash tests/bench/admin.sh | tee "$out/admin.log"
python3 tests/bench/gen-policy.py "$out" 10000
bash tests/vm/run.sh -t 1800 tests/bench/acp-guest.sh "$out" 10000 "${SCWS_BENCH_CONNECTS:-1500}" |
	tee "$out/acp.log"
bash tests/vm/run.sh -t 1800 tests/bench/lsm-guest.sh "$out" 10000 "${SCWS_BENCH_CONNECTS:-1500}" |
	tee "$out/lsm.log"
bash tests/vm/run.sh -t 900 tests/bench/trusted-guest.sh 1000 |
	tee "$out/trusted.log"
