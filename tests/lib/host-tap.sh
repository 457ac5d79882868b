# shellcheck shell=bash
# TAP for the host tests that count (tests/card/run.sh, tests/bipd/*.sh):
# ok / not_ok / skip / check number and count the cases; counts appends
# "NAME PASSED FAILED SKIPPED" to $SCWS_COUNTS.  The caller sets
# TAP_NAME (the counts line's name), TAP_WHAT (what a skipped case is
# called: "$TAP_WHAT test N") and PLAN.  (tests/lib/tap.sh is the netns
# tests' flavour: no counts, namespaces cleaned up at exit.)
N=0 PASS=0 FAIL=0 SKIP=0
ok() { N=$((N + 1)); PASS=$((PASS + 1)); echo "ok $N - $*"; }
not_ok() { N=$((N + 1)); FAIL=$((FAIL + 1)); echo "not ok $N - $*"; }
skip() { N=$((N + 1)); SKIP=$((SKIP + 1)); echo "ok $N - $1 # SKIP $2"; }
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
counts() { echo "$TAP_NAME $PASS $FAIL $SKIP" >>"${SCWS_COUNTS:-/dev/null}"; }
# skip_rest REASON: every case left in the plan is skipped.
skip_rest() {
	while [ "$N" -lt "$PLAN" ]; do skip "$TAP_WHAT test $((N + 1))" "$1"; done
}
# skip_all REASON: the plan, all of it skipped, counted; exits 0.
skip_all() {
	echo "1..$PLAN"
	skip_rest "$1"
	counts
	exit 0
}

# need_pcscd TOOL...: skip_all unless the tools, vpcd and root (for the
# private pcscd's mount namespace) are there.
need_pcscd() {
	local tool
	for tool in pcscd unshare "$@"; do
		command -v "$tool" >/dev/null || skip_all "$tool not installed"
	done
	[ -e /usr/lib/pcsc/drivers/serial/libifdvpcd.so ] || skip_all "vsmartcard-vpcd not installed"
	[ "$(id -u)" = 0 ] || skip_all "needs root for a private pcscd (unshare -m)"
}
