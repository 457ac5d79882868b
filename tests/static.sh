#!/usr/bin/env bash
# Static checks of the kernel code: checkpatch --strict and sparse.
set -uo pipefail
cd "$(dirname "$0")/.."
passed=0 failed=0

# checkpatch.pl comes with the kernel tree the KUnit runner unpacks.
cache=${SCWS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/scws}
checkpatch=$cache/linux-source-6.1/scripts/checkpatch.pl
if [ -f "$checkpatch" ]; then
	files=$(ls kmod/*.c kmod/*.h uapi/linux/*.h | grep -v '\.mod\.c$')
	# shellcheck disable=SC2086
	if out=$(perl "$checkpatch" --strict --no-tree --terse -f $files 2>&1) &&
	   ! grep -qE 'ERROR|WARNING|CHECK' <<<"$out"; then
		echo "ok - checkpatch --strict"
		passed=$((passed + 1))
	else
		grep -E 'ERROR|WARNING|CHECK' <<<"$out"
		echo "not ok - checkpatch --strict"
		failed=$((failed + 1))
	fi
else
	echo "not ok - checkpatch.pl not found (kernel source not unpacked)"
	failed=$((failed + 1))
fi

out=$(make -s sparse 2>&1 | grep -vE '^\s*(CC|CHECK|LD|MODPOST|BTF)|^make|Skipping BTF')
if [ -z "$out" ]; then
	echo "ok - sparse (make C=2) silent"
	passed=$((passed + 1))
else
	echo "$out"
	echo "not ok - sparse (make C=2) silent"
	failed=$((failed + 1))
fi

echo "static $passed $failed 0" >>"${SCWS_COUNTS:-/dev/null}"
[ "$failed" -eq 0 ]
