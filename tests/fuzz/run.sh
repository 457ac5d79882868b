#!/usr/bin/env bash
# libFuzzer targets: each tests/fuzz/*_fuzz.c defines LLVMFuzzerTestOneInput
# and names its sources like the unit tests (// sources: ...).  Each runs
# for SCWS_FUZZ_SECONDS (default 10; `make fuzz` uses 300) from its corpus
# in tests/fuzz/corpus/<name>/.  One test case per target.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=build/fuzz
secs=${SCWS_FUZZ_SECONDS:-10}
mkdir -p "$out"
passed=0 failed=0

shopt -s nullglob
for t in tests/fuzz/*_fuzz.c; do
	name=$(basename "$t" .c)
	read -ra srcs <<<"$(sed -n 's|^// sources:||p' "$t" | head -n1)"
	read -ra libs <<<"$(sed -n 's|^// libs:||p' "$t" | head -n1)"
	if ! clang -g -O1 -std=c11 -D_GNU_SOURCE -Iuapi -Itools/lib -Icard-sim \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o "$out/$name" "$t" "${srcs[@]}" "${libs[@]}"; then
		echo "not ok - $name: build failed"
		failed=$((failed + 1))
		continue
	fi
	corpus="$out/$name.corpus"
	mkdir -p "$corpus"
	seeds=tests/fuzz/corpus/$name
	if "$out/$name" -max_total_time="$secs" -timeout=5 -rss_limit_mb=1024 -artifact_prefix="$out/$name-" \
		"$corpus" $([ -d "$seeds" ] && echo "$seeds") >"$out/$name.log" 2>&1; then
		echo "ok - $name: $(grep -o '#[0-9]*.*DONE.*' "$out/$name.log" | tail -n1)"
		passed=$((passed + 1))
	else
		tail -n 40 "$out/$name.log"
		echo "not ok - $name (crash input in $PWD/build/fuzz)"
		failed=$((failed + 1))
	fi
done
echo "fuzz $passed $failed 0" >>"${SCWS_COUNTS:-/dev/null}"
[ "$failed" -eq 0 ]
