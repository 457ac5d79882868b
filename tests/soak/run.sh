#!/usr/bin/env bash
# `make soak`: tests/soak/guest.sh in one VM, bounded by SCWS_SOAK_SECONDS
# (default 300) plus the boot and the restarts.  The last lines of its
# output are the figures (soak:, soak-growth:).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
mkdir -p build
secs=${SCWS_SOAK_SECONDS:-300}
SCWS_VM_CPUS=${SCWS_VM_CPUS:-2} bash tests/vm/run.sh -t $((secs + 600)) \
	tests/soak/guest.sh "$secs" 2>&1 | tee build/soak.log
exit "${PIPESTATUS[0]}"
