#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/kunit/run.sh - build the scws KUnit suites into a UML kernel and run them.
#
# UML cannot load modules, so the module sources (kmod/) are linked into a kernel
# tree unpacked from Debian's linux-source-6.1 and built in (CONFIG_SCWS=y).
# See tests/kunit/README.md for the interface, the cache layout and timings.
#
# Usage: tests/kunit/run.sh [--project DIR] [--debug] [--] [kunit.py run args...]
#   e.g. tests/kunit/run.sh 'scws_policy*'
#   --debug  add tests/kunit/debug.kunitconfig (KASAN, lockdep, PROVE_RCU, ...) and
#            build in a separate dir (kunit-debug-build), so the normal build stays warm
#
# Environment:
#   SCWS_PROJECT         project checkout (default: git toplevel of this script)
#   SCWS_CACHE           cache dir (default: ${XDG_CACHE_HOME:-$HOME/.cache}/scws)
#   SCWS_KERNEL_TARBALL  kernel source tarball (default: /usr/src/linux-source-6.1.tar.xz)
#   SCWS_KUNIT_TIMEOUT   seconds the UML kernel may run the tests (default: 300)
#   SCWS_JOBS            make jobs (default: nproc)
#   SCWS_COUNTS          if set, one line "kunit <passed> <failed> <skipped>" is appended
#
# Exit status: 0 when every test case passed or was skipped, 1 otherwise
# (test failure, crash, build or config failure, unparsable output), 2 on usage errors.

set -u -o pipefail

me=${0##*/}
say() { printf '%s: %s\n' "$me" "$*" >&2; }

usage() {
	sed -n '/^# Usage:/,/^# Exit status/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

# ---------------------------------------------------------------- arguments
project=${SCWS_PROJECT:-}
kunit_args=()
debug=0
while [ $# -gt 0 ]; do
	case $1 in
	--project=*) project=${1#--project=}; shift ;;
	--project) [ $# -ge 2 ] || usage; project=$2; shift 2 ;;
	--debug) debug=1; shift ;;
	-h|--help) usage ;;
	--) shift; kunit_args+=("$@"); break ;;
	*) kunit_args+=("$1"); shift ;;
	esac
done

script_dir=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd) || exit 2
if [ -z "$project" ]; then
	project=$(git -C "$script_dir" rev-parse --show-toplevel 2>/dev/null) ||
		project=$(cd -P -- "$script_dir/../.." && pwd)
fi
project_arg=$project
project=$(cd -P -- "$project_arg" 2>/dev/null && pwd) || project=

tarball=${SCWS_KERNEL_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
cache=${SCWS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/scws}
timeout=${SCWS_KUNIT_TIMEOUT:-300}
jobs=${SCWS_JOBS:-$(nproc 2>/dev/null || echo 2)}
kunitconfig=$project/tests/kunit/.kunitconfig

tree_name=$(basename -- "$tarball")
tree_name=${tree_name%%.tar*}
tree=$cache/$tree_name
stamp=$cache/$tree_name.stamp
build=$cache/kunit-build
log=$cache/kunit-last.log
config_args=(--kunitconfig="$kunitconfig")
if ((debug)); then
	build=$cache/kunit-debug-build
	log=$cache/kunit-debug-last.log
	config_args+=(--kunitconfig="$project/tests/kunit/debug.kunitconfig")
fi

t_start=$(date +%s)

# Append the counts line (if asked), print a verdict and exit.
finish() { # passed failed skipped reason...
	local p=$1 f=$2 s=$3
	shift 3
	if [ -n "${SCWS_COUNTS:-}" ]; then
		printf 'kunit %d %d %d\n' "$p" "$f" "$s" >>"$SCWS_COUNTS"
	fi
	local verdict="kunit: $p passed, $f failed, $s skipped ($(( $(date +%s) - t_start )) s)"
	[ $# -gt 0 ] && verdict="$verdict: $*"
	echo "$verdict"
	[ "$f" -eq 0 ] && exit 0
	exit 1
}
# Setup/build failures count as one failed test.
fail() { finish 0 1 0 "$*"; }

[ -n "$project" ] || fail "no such project dir: $project_arg"
for f in "$project/kmod/Kconfig" "$project/uapi/linux/scws.h" "$kunitconfig"; do
	[ -e "$f" ] || fail "missing $f (is $project the scws project?)"
done
[ -r "$tarball" ] || fail "kernel source tarball $tarball not found (apt-get install linux-source-6.1)"

mkdir -p "$cache" || fail "cannot create cache dir $cache"

# One run at a time per cache: the tree links and the build dir are shared.
exec 9>"$cache/kunit.lock"
if ! flock -n 9; then
	say "another run holds $cache/kunit.lock, waiting..."
	flock -w 3600 9 || fail "timed out waiting for $cache/kunit.lock"
fi

# ---------------------------------------------------------------- 1. unpack once
tar_id="tarball=$(readlink -f -- "$tarball") size=$(stat -Lc %s -- "$tarball") mtime=$(stat -Lc %Y -- "$tarball")"

tree_complete() {
	[ -f "$tree/Makefile" ] && [ -f "$tree/tools/testing/kunit/kunit.py" ] &&
		[ -f "$tree/tools/testing/kunit/kunit_parser.py" ] &&
		[ -f "$tree/arch/um/Makefile" ] && [ -f "$tree/drivers/misc/Kconfig" ] &&
		[ -f "$tree/drivers/misc/Makefile" ] && [ -f "$tree/scripts/kconfig/Makefile" ]
}

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$tar_id" ] && tree_complete; then
	: # up to date
elif [ ! -f "$stamp" ] && tree_complete; then
	# Unpacked by hand before this script existed: adopt it.
	say "adopting existing tree $tree (no stamp; it looks complete)"
	printf '%s\n' "$tar_id" >"$stamp"
else
	if [ -e "$tree" ]; then
		say "tarball changed or tree incomplete: re-unpacking $tree"
	else
		say "unpacking $tarball into $cache (once, about a minute)"
	fi
	rm -f "$stamp"
	tmp=$(mktemp -d "$cache/.unpack.XXXXXX") || fail "mktemp in $cache failed"
	tar -xf "$tarball" -C "$tmp" || { rm -rf "$tmp"; fail "unpacking $tarball failed"; }
	top=$(find "$tmp" -mindepth 1 -maxdepth 1)
	if [ "$(printf '%s\n' "$top" | wc -l)" -ne 1 ] || [ ! -f "$top/Makefile" ]; then
		rm -rf "$tmp"
		fail "$tarball does not hold one kernel tree"
	fi
	rm -rf "$tree" "$build"   # objects of another kernel are useless
	if ! mv "$top" "$tree"; then
		fail "cannot move the unpacked tree to $tree"
	fi
	rmdir "$tmp"
	tree_complete || fail "unpacked tree $tree looks incomplete"
	printf '%s\n' "$tar_id" >"$stamp"
fi

# kunit.py builds out of tree (O=); make refuses a source tree that was configured in place.
if [ -e "$tree/.config" ] || [ -d "$tree/include/config" ]; then
	fail "$tree has been configured in place; run 'make ARCH=um mrproper' there (or delete $tree)"
fi

# ---------------------------------------------------------------- 2. link the project in
relink() { # target linkname
	local cur
	if [ -L "$2" ]; then
		cur=$(readlink -- "$2")
		[ "$cur" = "$1" ] && return 0
		say "re-pointing ${2#"$tree"/} -> $1 (was $cur)"
	elif [ -e "$2" ]; then
		fail "$2 exists and is not a symlink; remove it"
	fi
	ln -sfn -- "$1" "$2" || fail "cannot link $2"
}
relink "$project/kmod" "$tree/drivers/misc/scws"
relink "$project/uapi/linux/scws.h" "$tree/include/uapi/linux/scws.h"

kconfig_line='source "drivers/misc/scws/Kconfig"'
if ! grep -qxF "$kconfig_line" "$tree/drivers/misc/Kconfig"; then
	f=$tree/drivers/misc/Kconfig
	last=$(grep -n '^endmenu' "$f" | tail -n 1 | cut -d: -f1)
	[ -n "$last" ] || fail "no endmenu in $f"
	if ! awk -v n="$last" -v l="$kconfig_line" 'NR == n { print l } { print }' "$f" >"$f.scws-tmp" ||
		! mv "$f.scws-tmp" "$f"; then
		fail "cannot edit $f"
	fi
fi
# shellcheck disable=SC2016 # a literal make line
make_line='obj-$(CONFIG_SCWS) += scws/'
if ! grep -qxF "$make_line" "$tree/drivers/misc/Makefile"; then
	printf '%s\n' "$make_line" >>"$tree/drivers/misc/Makefile" || fail "cannot edit drivers/misc/Makefile"
fi

# make decides on mtimes: after a switch to another checkout whose files are older than the
# objects, it would keep the old objects. So drop our objects when the project changes.
mkdir -p "$build"
if [ "$(cat "$build/.scws-project" 2>/dev/null)" != "$project" ]; then
	rm -rf "$build/drivers/misc/scws"
	printf '%s\n' "$project" >"$build/.scws-project"
fi

# ---------------------------------------------------------------- 3. build and run
say "project $project, tree $tree, build $build"
say "building the UML kernel (first build about 4 min on 2 cores, then about 20 s) and running the tests"
# Not shown (still in $log): kunit.py runs 'stty sane' after UML, which complains when stdin
# is not a tty, and binutils 2.40 warns about every UML link.
noise="^stty: 'standard input'|^/usr/bin/ld: (warning: .*(missing \.note\.GNU-stack|LOAD segment with RWX)|NOTE: This behaviour is deprecated)"
(
	cd "$tree" &&
	PYTHONUNBUFFERED=1 exec python3 tools/testing/kunit/kunit.py run \
		"${config_args[@]}" --build_dir="$build" \
		--jobs="$jobs" --timeout="$timeout" "${kunit_args[@]}" </dev/null
) 2>&1 | tee "$log" | grep -avE --line-buffered "$noise"
rc=${PIPESTATUS[0]}

# ---------------------------------------------------------------- 4. counts
# kunit_parser.py (6.1): "[hh:mm:ss] Testing complete. Ran N tests: passed: X, failed: Y,
# crashed: Z, skipped: S, errors: E", listing only the non-zero counts.
summary=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -a 'Testing complete\. Ran [0-9]* tests' | tail -n 1)
count() { printf '%s\n' "$summary" | grep -o "$1: [0-9]*" | tail -n 1 | grep -o '[0-9]*$' || echo 0; }

if [ -z "$summary" ] && grep -aqE '^[[:space:]]*# Totals: pass:[0-9]+ fail:[0-9]+ skip:[0-9]+' "$log"; then
	# --raw_output: kunit.py did not parse, so add up the KTAP "# Totals:" line of each suite.
	# (A crash that kills the kernel is not seen here.)
	read -r passed failed skipped < <(sed -n 's/^[[:space:]]*# Totals: pass:\([0-9]*\) fail:\([0-9]*\) skip:\([0-9]*\).*/\1 \2 \3/p' "$log" |
		awk '{ p += $1; f += $2; s += $3 } END { print p + 0, f + 0, s + 0 }')
	[ "$((passed + failed + skipped))" -gt 0 ] ||
		finish 0 1 0 "no test ran (raw output)"
	finish "$passed" "$failed" "$skipped" "(raw output: counted from the KTAP '# Totals' lines)"
fi
if [ -z "$summary" ]; then
	if grep -aq 'Not all Kconfig options selected' "$log"; then
		fail "kunit.py config failed: an option of ${config_args[*]#--kunitconfig=} did not survive olddefconfig (see above)"
	elif grep -aqiE 'ERROR:root:|make .*Error|error:' "$log"; then
		fail "kunit.py config or build failed (exit $rc, see above; full log in $log)"
	fi
	fail "no summary line in the kunit.py output (exit $rc; full log in $log)"
fi

total=$(printf '%s\n' "$summary" | sed -n 's/.*Ran \([0-9]*\) tests.*/\1/p')
passed=$(count passed)
failed=$(count failed)
crashed=$(count crashed)
skipped=$(count skipped)
errors=$(count errors)
failed=$((failed + crashed))

reason=
[ "$crashed" -gt 0 ] && reason="$crashed crashed"
if [ "$total" -eq 0 ]; then
	failed=1; reason="no test ran (filter matched nothing, or suites not built in?)"
elif [ "$errors" -gt 0 ] && [ "$failed" -eq 0 ]; then
	failed=1; reason="kunit.py reported $errors parse error(s) in the KTAP output"
elif [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
	failed=1; reason="kunit.py exited $rc although no test failed"
fi
# The debug options report through the kernel log, which kunit.py keeps in test.log:
# KASAN fails the running test by itself, lockdep, DEBUG_OBJECTS and DEBUG_LIST do not.
if ((debug)); then
	# Not counted: UML's virt-pci warns at boot that kunit.py's UML_PCI_OVER_VIRTIO has
	# no device ID configured (arch/um/drivers/virt-pci.c); no test has run by then.
	reports=$(grep -aE 'BUG: |WARNING: |ODEBUG: |list_(add|del) corruption' "$build/test.log" 2>/dev/null |
		grep -v 'at arch/um/drivers/virt-pci\.c:')
	if [ -n "$reports" ]; then
		say "kernel reports in $build/test.log:"
		printf '%s\n' "$reports" | head -n 20 >&2
		failed=$((failed + 1))
		reason="${reason:+$reason; }$(printf '%s\n' "$reports" | wc -l) kernel report line(s) (KASAN, lockdep, DEBUG_OBJECTS, ...)"
	fi
fi
finish "$passed" "$failed" "$skipped" ${reason:+"$reason"}
