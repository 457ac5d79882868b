#!/usr/bin/env bash
# In the VM: connects/s (1 / the median connect() time) for a signed
# application ("allow trusted manufacturer", signature verified once, then
# cached) against "allow uid 0", with the same client binary (a signed copy
# of python3), the two policies interleaved; then the cost of the first
# connect of a binary never seen: hashed only (exe-sha256 rule) and hashed
# and verified (trusted manufacturer), each against a cached connect.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
count=${1:-1000}
modprobe -a nf_reject_ipv4 nf_reject_ipv6
insmod kmod/scws.ko queue_len=1024
ns=$(netns_new btrust)
tmp=$(mktemp -d /tmp/btrust.XXXXXX)
start_pump "$ns" "$tmp/pump.log" --port 3516:7:7 --mode close
ctl() { in_ns "$ns" build/scwsctl "$@"; }
policy() { printf '%s\n' "$@" >"$tmp/p.conf"; ctl policy load "$tmp/p.conf" >/dev/null 2>&1; }
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/mfr.key" -out "$tmp/mfr.pem" \
	-days 30 -subj "/CN=SCWS bench manufacturer" 2>/dev/null
py=$(readlink -f /usr/bin/python3)
signed() { cp "$py" "$tmp/$1" && build/scwsctl sign --key "$tmp/mfr.key" --cert "$tmp/mfr.pem" "$tmp/$1"; }
signed py-signed
build/scwsctl trust clear manufacturer
build/scwsctl trust add manufacturer "$tmp/mfr.pem"
# The median connect() time of N connects by the binary $1, in seconds, and
# how many connected: robust to the SYNs a loaded machine loses (each costs
# a second-long retransmit, whatever the rule).
MEDIAN='
import socket, sys, time
n, ts = int(sys.argv[1]), []
for _ in range(n):
    s = socket.socket()
    s.settimeout(5)
    t = time.monotonic()
    try:
        s.connect(("127.0.0.1", 3516))
        ts.append(time.monotonic() - t)
    except OSError:
        pass
    s.close()
ts.sort()
print("%.6f %d" % (ts[len(ts) // 2] if ts else 0, len(ts)))
'
median() { in_ns "$ns" "$tmp/$1" -c "$MEDIAN" "$2"; }
secs() { median "$1" "$2" | cut -d' ' -f1; }
rate() {
	local m ok
	read -r m ok <<<"$(median py-signed "$count")"
	[ "$ok" -ge $((count * 9 / 10)) ] || { echo "# round dropped: $ok of $count" >&2; echo 0; return; }
	python3 -c "print(1 / $m)"
}
# The two policies interleaved in blocks of 25 connects, 40 blocks each,
# so that the load of the machine weighs on both alike; the median of each.
INTERLEAVED='
import socket, subprocess, sys, time
ctl, a, b, blocks = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
lat = {a: [], b: []}
for _ in range(blocks):
    for conf in (a, b):
        subprocess.run([ctl, "policy", "load", conf], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(25):
            s = socket.socket()
            s.settimeout(5)
            t = time.monotonic()
            try:
                s.connect(("127.0.0.1", 3516))
                lat[conf].append(time.monotonic() - t)
            except OSError:
                pass
            s.close()
m = [sorted(lat[c])[len(lat[c]) // 2] for c in (a, b)]
print("%.1f %.1f %d %d" % (1 / m[0], 1 / m[1], len(lat[a]), len(lat[b])))
'
printf '%s\n' "default deny" "allow uid 0" >"$tmp/uid.conf"
printf '%s\n' "default deny" "allow trusted manufacturer" >"$tmp/signed.conf"
read -r uid signed_best n_uid n_signed <<<"$(in_ns "$ns" "$tmp/py-signed" -c "$INTERLEAVED" \
	build/scwsctl "$tmp/uid.conf" "$tmp/signed.conf" "$((count / 25))")"
echo "# $n_uid and $n_signed connects measured"

# First connect of a binary never seen (fresh copy: a new inode), then a
# cached one, three times each; the median.
first() { # rule-words...
	local i f c out=()
	for i in 1 2 3; do
		signed "fresh$i-$RANDOM"
		f=$(ls -t "$tmp" | grep '^fresh' | head -n1)
		policy "default deny" "$@"
		c=$(secs "$f" 1)
		out+=("$c $(secs "$f" 1)")
		rm -f "$tmp/$f"
	done
	printf '%s\n' "${out[@]}" | sort -n | sed -n 2p
}
sum=$(sha256sum "$py" | cut -d' ' -f1)
read -r h_first h_cached <<<"$(first "allow exe-sha256 $sum")"
read -r s_first s_cached <<<"$(first "allow trusted manufacturer")"
python3 - "$uid" "$signed_best" "$h_first" "$h_cached" "$s_first" "$s_cached" "$(stat -c %s "$py")" <<'PY'
import sys
u, s, hf, hc, sf, sc, size = map(float, sys.argv[1:])
print("trusted-bench: connects/s: allow uid %.0f, allow trusted manufacturer (cached) %.0f, ratio %.3f" % (u, s, s / u))
print("trusted-bench: first connect of a %.1f MB binary: exe-sha256 %.1f ms, trusted manufacturer %.1f ms; cached %.2f ms" % (size / 1e6, hf * 1e3, sf * 1e3, sc * 1e3))
print("trusted-bench: first verification: %.1f ms (hash and signature), the signature's share %.1f ms" % ((sf - sc) * 1e3, (sf - hf) * 1e3))
PY
build/scwsctl trust clear manufacturer
kill "$PUMP_PID"
sleep 0.2
rmmod scws
rm -rf "$tmp"
