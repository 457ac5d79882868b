#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/debug-kernel.sh - build (once) a debug kernel for the VM suite and print
# the directory that holds it.
#
# Source: Debian's linux-source-6.1, unpacked once into the cache. Config: Debian's /boot/config-VER, trimmed by
# localmodconfig to the modules in debug-kernel.modules, plus debug-kernel.config
# (KASAN, lockdep, kmemleak, DEBUG_OBJECTS, DEBUG_LIST, module BTF). See docs/testing.md.
#
#   tests/vm/debug-kernel.sh [build]   build if needed, print DIR
#   tests/vm/debug-kernel.sh dir       print DIR if it is built, else exit 1
#
# DIR = $SCWS_CACHE/debug-kernel/<source version>-<config hash>/ holds
#   vmlinux            ELF image (with .BTF, for the module build)
#   bzImage            what the VM boots (the vmlinux's PVH entry does not boot)
#   kver               its release string (uname -r)
#   lib/modules/KVER/  its modules (modules_install), module BTF included
#   build/             the object tree: scws.ko is built against it (make -C DIR/build M=...)
#   done               written last: the build is complete
# The key hashes everything that shapes the kernel (source version, base config, the two
# option lists, the recipe version below, gcc and pahole versions), so a change builds a
# new DIR.
#
# Environment: SCWS_CACHE (default ~/.cache/scws), SCWS_DEBUG_BASE_CONFIG (default the
# newest /boot/config-*-amd64), SCWS_JOBS (default nproc), SCWS_KERNEL_TARBALL.
# The build runs under nice -n 19 (it takes 30+ minutes on 2 cores, see docs/testing.md).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${SCWS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/scws}
tarball=${SCWS_KERNEL_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
jobs=${SCWS_JOBS:-$(nproc 2>/dev/null || echo 2)}
fragment=$here/debug-kernel.config
modlist=$here/debug-kernel.modules

say() { echo "debug-kernel: $*" >&2; }
die() { say "$*"; exit 1; }

# Bump when the steps below change what gets built (comments and messages do not count).
recipe=1

mode=${1:-build}
[[ $mode == build || $mode == dir ]] || die "usage: $0 [build|dir]"

base=${SCWS_DEBUG_BASE_CONFIG:-$(printf '%s\n' /boot/config-*-amd64 | sort -V | tail -n 1)}
[[ -r $base ]] || die "no Debian config (/boot/config-*-amd64); set SCWS_DEBUG_BASE_CONFIG"

# The source tree: a pristine copy of our own. The KUnit tree in the cache is not used:
# tests/kunit/run.sh edits its Kconfig and re-points its kmod link under concurrent runs.
src=$cache/debug-kernel/src
tar_id="$(readlink -f "$tarball") $(stat -Lc '%s %Y' "$tarball" 2>/dev/null)"
if [[ ! -f $src/Makefile || "$(cat "$src.stamp" 2>/dev/null)" != "$tar_id" ]]; then
	[[ $mode == build ]] || exit 1
	[[ -r $tarball ]] || die "no $tarball (apt-get install linux-source-6.1)"
	say "unpacking $tarball into $src (once, about a minute)"
	mkdir -p "$cache/debug-kernel"
	rm -rf "$src" "$src.stamp"
	tmp=$(mktemp -d "$cache/debug-kernel/.unpack.XXXXXX")
	tar -xf "$tarball" -C "$tmp" --strip-components=1
	mv "$tmp" "$src"
	echo "$tar_id" >"$src.stamp"
fi
srcver=$(make -s -C "$src" kernelversion 2>/dev/null) || die "cannot read the version of $src"

key=$({
	echo "$srcver"
	echo "recipe $recipe"
	cat "$base" "$fragment" "$modlist"
	gcc --version | head -n 1
	pahole --version
} | sha256sum | cut -c1-12)
dir=$cache/debug-kernel/$srcver-$key

if [[ -f $dir/done ]]; then
	# A build from before the bzImage was kept: make it now (the objects are there).
	if [[ ! -f $dir/bzImage && $mode == build ]]; then
		nice -n 19 make -C "$src" O="$dir/build" -j"$jobs" bzImage >>"$dir/build.log" 2>&1 &&
			cp "$dir/build/arch/x86/boot/bzImage" "$dir/bzImage" ||
			die "bzImage failed, see $dir/build.log"
	fi
	echo "$dir"
	exit 0
fi
[[ $mode == build ]] || exit 1
command -v pahole >/dev/null || die "no pahole (apt-get install dwarves): module BTF needs it"

mkdir -p "$cache/debug-kernel"
exec 8>"$cache/debug-kernel.lock"
flock 8
if [[ -f $dir/done ]]; then echo "$dir"; exit 0; fi

t0=$SECONDS
obj=$dir/build
mkdir -p "$obj"
log=$dir/build.log
say "building $srcver + $(basename "$base") + debug options in $dir (log: $log)"
knice() { nice -n 19 make -C "$src" O="$obj" "$@"; }
{
	cp "$base" "$obj/.config"
	knice olddefconfig
	# lsmod format: "name size used-by"; localmodconfig keeps these, drops other modules.
	grep -vE '^\s*(#|$)' "$modlist" | awk 'BEGIN { print "Module Size Used by" } { print $1, 0, 0 }' \
		>"$obj/lsmod.txt"
	yes '' | knice LSMOD="$obj/lsmod.txt" localmodconfig
	"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$fragment"
	knice olddefconfig
} >"$log" 2>&1 || die "configuring failed, see $log"

# Every requested option must have survived olddefconfig.
missing=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=*) grep -qxF -- "$line" "$obj/.config" || { say "not in .config: $line"; missing=1; } ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		! grep -q "^$opt=" "$obj/.config" || { say "still set: $opt"; missing=1; } ;;
	esac
done <"$fragment"
((missing == 0)) || die "the debug options did not survive (dependencies?), see $obj/.config"

# bzImage too: qemu's PVH entry does not boot this vmlinux (tests/vm/run.sh boots the bzImage).
knice -j"$jobs" vmlinux bzImage modules >>"$log" 2>&1 || die "build failed, see $log"
cp "$obj/arch/x86/boot/bzImage" "$dir/bzImage"
rm -rf "${dir:?}/lib"
knice INSTALL_MOD_PATH="$dir" INSTALL_MOD_STRIP=1 modules_install >>"$log" 2>&1 ||
	die "modules_install failed, see $log"
kver=$(cat "$obj/include/config/kernel.release")
# The install links build/source to $obj and $src: keep them (a guest modprobe ignores them).
# Without DWARF (a quarter of the size; .BTF stays): qemu reads the whole file at boot.
objcopy --strip-debug "$obj/vmlinux" "$dir/vmlinux.tmp" && mv "$dir/vmlinux.tmp" "$dir/vmlinux"
echo "$kver" >"$dir/kver"
say "built $kver in $((SECONDS - t0)) s"
date -u +%FT%TZ >"$dir/done"
echo "$dir"
