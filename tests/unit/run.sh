#!/usr/bin/env bash
# Host unit tests: each tests/unit/*_test.c is one cmocka program.  Its
# header names what it links:
#   // sources: tools/lib/cat-tlv.c card-sim/http/http_buf.c
#   // libs: -lmbedcrypto
# Counts come from cmocka's own "[  PASSED  ] N test(s)." lines.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=build/unit
mkdir -p "$out"
cflags=(-std=c11 -Wall -Wextra -D_GNU_SOURCE -O1 -g -Iuapi -Itools/lib -Icard-sim
	-fsanitize=address,undefined -fno-omit-frame-pointer)
[ -n "${CI:-}" ] && cflags+=(-Werror)
passed=0 failed=0

shopt -s nullglob
for t in tests/unit/*_test.c; do
	name=$(basename "$t" .c)
	read -ra srcs <<<"$(sed -n 's|^// sources:||p' "$t" | head -n1)"
	read -ra libs <<<"$(sed -n 's|^// libs:||p' "$t" | head -n1)"
	echo "# $name"
	if ! cc "${cflags[@]}" -o "$out/$name" "$t" "${srcs[@]}" -lcmocka "${libs[@]}"; then
		echo "not ok - $name: build failed"
		failed=$((failed + 1))
		continue
	fi
	log="$out/$name.log"
	"$out/$name" >"$log" 2>&1
	rc=$?
	cat "$log"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ $rc -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
		echo "not ok - $name exited $rc"
		failed=$((failed + 1))
	fi
done
echo "unit $passed $failed 0" >>"${SCWS_COUNTS:-/dev/null}"
[ "$failed" -eq 0 ]
