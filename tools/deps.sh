#!/usr/bin/env bash
# Install the Debian 12 packages the project needs, only those missing.
# `make deps` runs this; `make check` and `make demo` run it when needed.
set -euo pipefail

packages=(
	# build
	build-essential pkg-config bc flex bison libelf-dev libssl-dev
	linux-headers-amd64 sparse kmod cpio xz-utils python3
	# the VM: Debian's own kernel under qemu, busybox for the initramfs
	linux-image-amd64 qemu-system-x86 busybox-static
	# KUnit on UML
	linux-source-6.1
	# userspace libraries
	libnl-genl-3-dev libnl-3-dev libpcsclite-dev libmbedtls-dev libcmocka-dev
	# fuzzing: clang and its libFuzzer runtime
	clang libclang-rt-14-dev
	# the card path and real clients used by tests and the demo
	pcscd vsmartcard-vpcd opensc pcsc-tools curl openssl
	# the BPF-LSM program: clang -target bpf, bpftool (vmlinux.h, skeleton),
	# libbpf, pahole for module BTF
	bpftool libbpf-dev dwarves
	# test environment: a slow FUSE file system, io_uring connects
	iproute2 util-linux procps apparmor fuse3 libfuse3-dev liburing-dev
	# a real browser against the gateway (tests/bipd/sched.sh, make bench):
	# headless Chromium, on the host (large; the tests skip without it)
	chromium
	# packaging: dpkg-buildpackage, DKMS, lintian (tests/package/run.sh)
	debhelper dh-dkms dkms devscripts lintian
	# the SCWS Push Gateway (scws-pushd): libosip2; SIPp sends it SIP
	libosip2-dev sip-tester
	# the OMA DM client scws-dmc: SyncML (XML) and HTTP(S)
	libxml2-dev libcurl4-openssl-dev
)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing+=("$p")
	fi
done

if [ "${1:-}" = "--check" ]; then
	[ ${#missing[@]} -eq 0 ] && exit 0
	echo "missing packages: ${missing[*]}"
	exit 1
fi

if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#packages[@]} packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: need root to install: ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
