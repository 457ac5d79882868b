#!/usr/bin/env bash
# `make check` layer "package": build the Debian packages
# (dpkg-buildpackage -us -uc -b, in a scratch copy), run lintian on them,
# build the module from the scws-dkms package with DKMS into a scratch DKMS
# tree (nothing is written to /var/lib/dkms or /usr/src on the host), then
# install the packages in the test VM and run the gateway from the
# installed files (tests/package/vm.sh). Appends "package P F S" to
# $SCWS_COUNTS.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${SCWS_PKG_OUT:-$PWD/build/package}
passed=0 failed=0
rm -rf "$out" && mkdir -p "$out"
t_start=$SECONDS

result() { # result STATUS DESCRIPTION
	if [ "$1" -eq 0 ]; then
		echo "ok - $2"; passed=$((passed + 1))
	else
		echo "not ok - $2"; failed=$((failed + 1))
	fi
}
finish() {
	echo "# package layer: $((SECONDS - t_start)) s"
	echo "package $passed $failed 0" >>"${SCWS_COUNTS:-/dev/null}"
	[ "$failed" -eq 0 ]
	exit
}

t=$SECONDS
bash tests/package/build.sh "$out" >"$out/build.log" 2>&1
rc=$?
[ $rc -eq 0 ] || tail -n 30 "$out/build.log" | sed 's/^/# /'
result $rc "dpkg-buildpackage -us -uc -b ($((SECONDS - t)) s)"
debs=("$out"/scws-dkms_*_all.deb "$out"/scws-tools_*.deb "$out"/scws-card_*.deb)
for d in "${debs[@]}"; do [ -f "$d" ] || { result 1 "package $(basename "$d") built"; finish; }; done

# Info tags and pedantic ones included; each tag left is overridden in
# debian/*.lintian-overrides with the reason.
tags=$(lintian --info --pedantic "${debs[@]}" 2>&1 | grep -v 'running with root privileges')
[ -z "$tags" ] || sed 's/^/# /' <<<"$tags"
result "$([ -z "$tags" ] && echo 0 || echo 1)" "lintian --info --pedantic: no tags"

# DKMS, as the package's postinst runs it, but into a scratch tree; the
# module is left unsigned (signing would create a key in /var/lib/dkms).
t=$SECONDS
root=$out/root
mkdir -p "$root" "$out/dkms"
dpkg -x "$out"/scws-dkms_*_all.deb "$root"
kver=${SCWS_KVER:-$(for d in /lib/modules/*-amd64; do
	[[ -f /boot/vmlinuz-${d##*/} ]] && echo "${d##*/}"; done | sort -V | tail -n 1)}
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$root"/usr/src/scws-*/dkms.conf)
SCWS_CACHE=${SCWS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/scws} sign_file=/nonexistent \
	dkms build "scws/$ver" -k "$kver" --sourcetree "$root/usr/src" \
	--dkmstree "$out/dkms" --installtree "$out/dkms-install" >"$out/dkms.log" 2>&1
rc=$?
[ $rc -eq 0 ] || { sed 's/^/# /' "$out/dkms.log"; cat "$out/dkms/scws/$ver/build/make.log" 2>/dev/null | tail -n 30 | sed 's/^/# /'; }
result $rc "dkms build scws/$ver for $kver ($((SECONDS - t)) s)"
ko=$out/dkms/scws/$ver/$kver/x86_64/module/scws.ko
readelf -S "$ko" 2>/dev/null | grep -q ' \.BTF '
result $? "the DKMS-built scws.ko has module BTF"

# The module, packed as DKMS ships prebuilt modules, for the VM.
dkms mktarball "scws/$ver" -k "$kver" --binaries-only --dkmstree "$out/dkms" \
	--sourcetree "$root/usr/src" >>"$out/dkms.log" 2>&1
tarball=$(ls "$out"/dkms/scws/"$ver"/tarball/*.dkms.tar.gz 2>/dev/null | head -n 1)
result "$([ -f "$tarball" ] && echo 0 || echo 1)" "dkms mktarball --binaries-only"

# Into the VM: the guest installs the packages in its overlay root.
t=$SECONDS
SCWS_VM_CPUS=${SCWS_VM_CPUS:-2} bash tests/vm/run.sh -k "$kver" -t 1200 \
	tests/package/vm.sh "$out" "$tarball" 2>&1 | tee "$out/vm.log"
rc=${PIPESTATUS[0]}
p=$(grep -ac '^ok ' "$out/vm.log") f=$(grep -ac '^not ok ' "$out/vm.log")
plan=$(grep -aom1 '^1\.\.[0-9]*' "$out/vm.log" | cut -c4-)
passed=$((passed + p)) failed=$((failed + f))
echo "# VM part: $((SECONDS - t)) s"
# The plan not met, or a kernel warning after passing tests: one failure.
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] || [ "$((p + f))" != "${plan:-x}" ]; then
	result 1 "VM run complete (exit $rc, $((p + f)) of ${plan:-?} tests)"
fi
finish
