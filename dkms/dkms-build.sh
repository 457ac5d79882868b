#!/bin/bash
# Build scws.ko under DKMS, with module BTF when the target kernel's BTF and
# resolve_btfids can be had (tools/btf/kbuild-btf.sh), else without it:
#
#   dkms-build.sh build|clean KERNELVER KERNEL_SOURCE_DIR
#
# Module BTF is what lets the BPF-LSM program call the module's kfuncs. It
# is generated against the target kernel's own BTF, taken from
# /boot/vmlinuz-KERNELVER (present for every installed Debian kernel, not
# only the running one), and needs resolve_btfids, which Debian's headers
# lack: it is built once from linux-source-6.1. Without them the module
# works, `scwsctl lsm attach` refuses, scws-lsm.service is skipped and the
# netfilter hook enforces the policy; the warning below is in make.log.
set -uo pipefail
[[ $# == 3 ]] || { echo "usage: $0 build|clean KERNELVER KERNEL_SOURCE_DIR" >&2; exit 2; }
action=$1 kver=$2 headers=$3
cd "$(dirname "$0")" || exit 1
# A cache of our own (vmlinux images, resolve_btfids), removed on purge.
export SCWS_CACHE=${SCWS_CACHE:-/var/cache/scws-dkms}

if [[ $action == clean ]]; then
	exec make -C "$headers" M="$PWD" CONFIG_SCWS=m clean
fi
[[ $action == build ]] || { echo "$0: unknown action $action" >&2; exit 2; }

if btf=$(bash tools/btf/kbuild-btf.sh kdir "$kver" "$headers"); then
	set -- $btf
	make -C "$1" M="$PWD" CONFIG_SCWS=m RESOLVE_BTFIDS="$2" modules || exit
	readelf -S kmod/scws.ko | grep -q ' \.BTF ' && exit 0
	echo "scws-dkms: WARNING: scws.ko for $kver has no BTF section" >&2
	exit 0
fi
echo "scws-dkms: WARNING: building scws.ko for $kver without BTF: the BPF-LSM" \
	"program cannot attach, the netfilter hook enforces the policy" >&2
exec make -C "$headers" M="$PWD" CONFIG_SCWS=m modules
