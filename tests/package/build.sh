#!/bin/bash
# Build the Debian packages from the checkout in a scratch copy, so that
# dpkg-buildpackage's output (it writes to the parent directory) and its
# build tree never land next to the checkout:
#
#   tests/package/build.sh OUTDIR      leaves OUTDIR/*.deb and OUTDIR/*.changes
#
# Tracked and untracked-but-not-ignored files are copied: what a clone of
# this tree would hold.
set -euo pipefail
[[ $# == 1 ]] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
out=$(realpath -m "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out/src"
(cd "$root" && git ls-files -z --cached --others --exclude-standard) |
	(cd "$root" && xargs -0 cp --parents -t "$out/src")
cd "$out/src"
dpkg-buildpackage -us -uc -b
