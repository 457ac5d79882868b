#!/bin/bash
# Module BTF for Debian kernels, whose linux-headers ship neither vmlinux nor
# resolve_btfids. Sourced (tests/vm/run.sh), it defines extract_vmlinux and
# btf_vmlinux; run, it prints what the module build needs:
#
#   kbuild-btf.sh vmlinux KVER          path of an ELF vmlinux (with .BTF) of KVER
#   kbuild-btf.sh kdir KVER HEADERS     "KDIR RESOLVE_BTFIDS": a build tree of our
#                                       own (symlinks to HEADERS plus vmlinux)
#
# Everything is cached in ${SCWS_CACHE:-~/.cache/scws}; nothing is written to /usr/src.
# On failure it says why on stderr and exits 1 (the caller then builds without BTF).

BTF_CACHE=${SCWS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/scws}

extract_vmlinux() { # extract_vmlinux BZIMAGE OUT: like the kernel's scripts/extract-vmlinux
	local m tool off
	for m in 'xz:\xfd7zXZ\x00' 'zstd:\x28\xb5\x2f\xfd' 'gzip:\x1f\x8b\x08\x00'; do
		tool=${m%%:*}
		command -v "$tool" >/dev/null || continue
		off=$(LC_ALL=C grep -obUaP "${m#*:}" "$1" | head -n 1 | cut -d: -f1) || true
		[[ -n $off ]] || continue
		# The payload is followed by trailing data, so the decompressor may complain.
		tail -c "+$((off + 1))" "$1" | "$tool" -dc >"$2" 2>/dev/null || true
		[[ $(head -c 4 "$2" | od -An -c | tr -d ' ') == 177ELF ]] && return 0
	done
	return 1
}

# btf_vmlinux KVER: print the cached ELF vmlinux of /boot/vmlinuz-KVER, extracting
# it once (keyed by the image's size and mtime; safe against concurrent callers).
btf_vmlinux() {
	local kernel=/boot/vmlinuz-$1 out=$BTF_CACHE/vmlinux-$1 key
	[[ -r $kernel ]] || { echo "kbuild-btf: cannot read $kernel" >&2; return 1; }
	key=$(stat -L -c '%s %Y' "$kernel")
	if [[ ! -f $out || "$(cat "$out.key" 2>/dev/null)" != "$key" ]]; then
		mkdir -p "$BTF_CACHE" || return 1
		if ! extract_vmlinux "$kernel" "$out.tmp.$$"; then
			rm -f "$out.tmp.$$"
			echo "kbuild-btf: cannot extract vmlinux from $kernel" >&2
			return 1
		fi
		mv -f "$out.tmp.$$" "$out"
		echo "$key" >"$out.key.$$" && mv -f "$out.key.$$" "$out.key"
	fi
	echo "$out"
}

# btf_resolve_btfids MAJOR.MINOR: build tools/bpf/resolve_btfids from Debian's
# linux-source tarball, unpacking only what it needs into a cache dir of our own.
btf_resolve_btfids() {
	local ver=$1 tarball=/usr/src/linux-source-$1.tar.xz
	local dir=$BTF_CACHE/resolve_btfids-$1 bin
	bin=$dir/out/resolve_btfids
	[[ -x $bin && $dir/stamp -nt $tarball ]] && { echo "$bin"; return 0; }
	[[ -r $tarball ]] || { echo "kbuild-btf: no $tarball (apt install linux-source-$ver)" >&2; return 1; }
	mkdir -p "$dir" || return 1
	(
		flock 9
		[[ -x $bin && $dir/stamp -nt $tarball ]] && exit 0
		rm -rf "$dir/src" "$dir/out" "$dir/stamp"
		mkdir -p "$dir/src" "$dir/out"
		local t=linux-source-$ver
		tar -xJf "$tarball" -C "$dir/src" --strip-components=1 --wildcards \
			"$t/tools/bpf/resolve_btfids/*" "$t/tools/lib/*" "$t/tools/include/*" \
			"$t/tools/build/*" "$t/tools/scripts/*" "$t/tools/arch/x86/*" \
			"$t/scripts/bpf_doc.py" "$t/include/uapi/linux/bpf.h" ||
			{ echo "kbuild-btf: cannot unpack $tarball" >&2; exit 1; }
		echo "kbuild-btf: building resolve_btfids from $tarball" >&2
		make -s -C "$dir/src/tools/bpf/resolve_btfids" OUTPUT="$dir/out/" \
			>"$dir/build.log" 2>&1 ||
			{ echo "kbuild-btf: resolve_btfids build failed, see $dir/build.log" >&2; exit 1; }
		touch "$dir/stamp"
	) 9>"$dir.lock" || return 1
	echo "$bin"
}

# btf_kdir KVER HEADERS: a Kbuild tree whose objtree has the target's vmlinux,
# so scripts/Makefile.modfinal runs pahole and resolve_btfids on the module.
btf_kdir() {
	local kver=$1 headers=$2 vmlinux rb kdir e
	command -v pahole >/dev/null || { echo "kbuild-btf: no pahole (apt install dwarves)" >&2; return 1; }
	[[ -f $headers/Makefile ]] || { echo "kbuild-btf: no kernel headers in $headers" >&2; return 1; }
	vmlinux=$(btf_vmlinux "$kver") || return 1
	[[ $(readelf -S "$vmlinux" 2>/dev/null) == *" .BTF "* ]] ||
		{ echo "kbuild-btf: $vmlinux has no .BTF section" >&2; return 1; }
	rb=$(btf_resolve_btfids "$(echo "$kver" | cut -d. -f1,2)") || return 1
	kdir=$BTF_CACHE/kbuild-$kver
	mkdir -p "$kdir" || return 1
	headers=$(realpath "$headers")
	for e in "$headers"/* "$headers"/.config "$headers"/.kernelvariables; do
		[[ -e $e ]] || continue
		[[ $(readlink "$kdir/${e##*/}") == "$e" ]] || ln -sfn "$e" "$kdir/${e##*/}"
	done
	[[ $(readlink "$kdir/vmlinux") == "$vmlinux" ]] || ln -sfn "$vmlinux" "$kdir/vmlinux"
	echo "$kdir $rb"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	set -uo pipefail
	case ${1:-} in
	vmlinux) [[ $# == 2 ]] && btf_vmlinux "$2" ;;
	kdir) [[ $# == 3 ]] && btf_kdir "$2" "$3" ;;
	*) false ;;
	esac || { [[ $? == 1 && $# -ge 2 ]] || echo "usage: $0 vmlinux KVER | kdir KVER HEADERS" >&2; exit 1; }
fi
