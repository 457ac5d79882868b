#!/usr/bin/env bash
# Copy a content folder and add a deterministic binary file to the copy,
# for tests that need a large resource (e.g. 1 MiB) without committing one.
#
#   card-sim/content-gen.sh [-s BYTES] [-n NAME] SRC DST
#
# BYTES defaults to 1048576, NAME to big.bin (a path inside DST).  The bytes
# are SHA-256("scws-content-gen" || 8-byte big-endian block counter),
# concatenated and cut to BYTES: the same on every machine, and no window
# repeats, so a lost, doubled or shifted chunk shows.  DST must not exist.
set -euo pipefail

size=1048576 name=big.bin
usage() { echo "usage: $0 [-s BYTES] [-n NAME] SRC DST" >&2; exit 2; }
while getopts s:n: opt; do
	case $opt in
	s) size=$OPTARG ;;
	n) name=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 2 ] || usage
src=$1 dst=$2
[[ $size =~ ^[0-9]+$ ]] || { echo "$0: BYTES must be a number" >&2; exit 2; }
case $name in /* | *..*) echo "$0: NAME must stay inside DST" >&2; exit 2 ;; esac
[ -d "$src" ] || { echo "$0: $src is not a folder" >&2; exit 1; }
[ -e "$dst" ] && { echo "$0: $dst exists" >&2; exit 1; }

cp -a "$src" "$dst"
mkdir -p "$(dirname "$dst/$name")"
python3 - "$size" "$dst/$name" <<'PY'
import hashlib, sys
size, path = int(sys.argv[1]), sys.argv[2]
with open(path, "wb") as f:
    block = 0
    while size > 0:
        d = hashlib.sha256(b"scws-content-gen" + block.to_bytes(8, "big")).digest()
        f.write(d[:size])
        size -= len(d)
        block += 1
PY
