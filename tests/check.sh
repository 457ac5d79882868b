#!/usr/bin/env bash
# `make check`: every test layer, then one line "N passed, N failed".
# Each layer appends "name passed failed skipped" to $SCWS_COUNTS; a layer
# that fails without counting counts as one failure, never as a pass.
set -uo pipefail
cd "$(dirname "$0")/.."

counts=$(mktemp)
export SCWS_COUNTS=$counts
trap 'rm -f "$counts"' EXIT

layer() {
	local name=$1
	shift
	local before after
	before=$(wc -l <"$counts")
	echo "=== $name"
	"$@"
	local rc=$?
	after=$(wc -l <"$counts")
	if [ "$after" -eq "$before" ]; then
		if [ $rc -ne 0 ]; then
			echo "$name 0 1 0" >>"$counts"
		else
			echo "$name 0 0 1" >>"$counts"
		fi
	elif [ $rc -ne 0 ] && ! tail -n +"$((before + 1))" "$counts" | awk '$3 > 0 { f = 1 } END { exit !f }'; then
		# The layer failed but counted no failure: make it one.
		echo "$name 0 1 0" >>"$counts"
	fi
}

if ! bash tools/deps.sh --check >/dev/null; then
	bash tools/deps.sh || { echo "0 passed, 1 failed"; exit 1; }
fi

if ! make -s all; then
	echo "build failed"
	echo "0 passed, 1 failed"
	exit 1
fi

layer unit bash tests/unit/run.sh
layer fuzz bash tests/fuzz/run.sh
layer card bash tests/card/run.sh
layer ota bash tests/card/ota.sh
layer bipd bash tests/bipd/run.sh
layer cardrules bash tests/bipd/card-rules.sh
layer admin bash tests/admin/run.sh
layer push bash tests/push/run.sh
layer dm bash tests/dm/run.sh
layer dmcard bash tests/dm/card.sh
layer dmsc bash tests/dm/dmsc.sh
layer dmboot bash tests/dm/bootstrap.sh
layer kunit bash tests/kunit/run.sh
layer static bash tests/static.sh
layer netns bash tests/netns/run.sh
layer se bash tests/se/run.sh
layer semo bash tests/semo/run.sh
layer package bash tests/package/run.sh

echo "=== summary"
awk '{ printf "  %-8s %4d passed %4d failed %4d skipped\n", $1, $2, $3, $4 }' "$counts"
read -r passed failed skipped < <(awk '{ p += $2; f += $3; s += $4 } END { print p + 0, f + 0, s + 0 }' "$counts")
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
