#!/usr/bin/env bash
# Host side of the VM suite: one VM boot runs every tests/netns/*.sh.
set -uo pipefail
cd "$(dirname "$0")/../.."
mkdir -p build
log=build/netns.log
# Two guest CPUs: a single-CPU guest hides races.
SCWS_VM_CPUS=${SCWS_VM_CPUS:-2} bash tests/vm/run.sh -t "${SCWS_NETNS_TIMEOUT:-900}" tests/netns/suite.sh "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
summary=$(grep -a '^netns-summary:' "$log" | tail -n 1)
if [ -z "$summary" ]; then
	echo "netns: the suite did not finish (VM exit $rc)"
	echo "netns 0 1 0" >>"${SCWS_COUNTS:-/dev/null}"
	exit 1
fi
read -r _ passed failed skipped <<<"$summary"
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
	# The tests passed but the VM runner failed the run (kernel warning).
	echo "netns: VM runner failed the run (exit $rc): kernel warning or taint"
	failed=1
fi
echo "netns $passed $failed $skipped" >>"${SCWS_COUNTS:-/dev/null}"
[ "$failed" -eq 0 ]
