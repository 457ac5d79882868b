#!/usr/bin/env bash
# Trusted applications: executables signed in trusted.scws.sig, checked
# by the module against the manufacturer's and the card's certificates
# (trusted manufacturer, trusted any), or named by their signing
# certificate (signer-sha256, signer-sha1); a signed file changed by one
# byte (size and mtime restored) is refused; the trust commands are root's;
# no_policy=deny.  Test keys are made here, in a temporary directory.
cd "$(dirname "$0")/../.." && . tests/lib/tap.sh
tap_begin 37
SCWSCTL=$BUILD/scwsctl
ns=$(netns_new trusted)
tmp=$(mktemp -d /tmp/trusted.XXXXXX)
chmod 755 "$tmp"
param=/sys/module/scws/parameters/no_policy
TAP_CLEANUP_EXTRA="$SCWSCTL lsm detach >/dev/null 2>&1; echo all >$param; $SCWSCTL trust clear manufacturer; $SCWSCTL trust clear card; rm -rf $tmp"
reply=$(printf 'HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello')
URL=http://127.0.0.1:3516/

ctl() { in_ns "$ns" "$SCWSCTL" "$@"; }
policy() { printf '%s\n' "$@" >"$tmp/p.conf"; ctl policy load "$tmp/p.conf" >/dev/null 2>&1; }
as() {
	local u=$1
	shift
	in_ns "$ns" setpriv --reuid="$u" --regid="$u" --clear-groups "$@"
}
body() {
	local out
	if out=$("$@" 2>/dev/null); then echo "$out"; else echo "exit $?"; fi
}
run() { body as 1001 "$tmp/$1" -s -m 5 "$URL"; }

# Test material: self-signed RSA certificates, made now, never kept.
cert() {
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/$1.key" \
		-out "$tmp/$1.pem" -days 30 -subj "/CN=SCWS test $1" 2>/dev/null
}
cert mfr && cert card && cert other
der_sha() { openssl x509 -in "$tmp/$1.pem" -outform DER | "$2" | cut -d' ' -f1; }
sign() { "$SCWSCTL" sign --key "$tmp/$2.key" --cert "$tmp/$2.pem" "$tmp/$1"; }
for f in by-mfr by-card by-other tampered unsigned; do
	cp /usr/bin/curl "$tmp/$f"
done
chmod -R a+rX "$tmp"

"$SCWSCTL" trust clear manufacturer
"$SCWSCTL" trust clear card
start_pump "$ns" "$tmp/pump.log" --port 3516:4:4 --mode fixed --reply "$reply" >/dev/null

check "sign a copy of curl with the manufacturer's key" sign by-mfr mfr
check "sign copies with the card's and another key" \
	eval 'sign by-card card && sign by-other other && sign tampered mfr'
expect "scwsctl verify: valid, by its own certificate" "valid signature" \
	"$("$SCWSCTL" verify "$tmp/by-mfr" | head -n1 | cut -d: -f2 | sed 's/^ //')"
# Even with the key, a user cannot write the attribute, nor strip one.
check "a user cannot sign in place (trusted.* needs CAP_SYS_ADMIN)" \
	eval '! as 1001 "$SCWSCTL" sign --key "$tmp/mfr.key" --cert "$tmp/mfr.pem" "$tmp/unsigned" 2>/dev/null'
check "a user cannot remove a signature" \
	eval '! as 1001 python3 -c "import os; os.removexattr(\"$tmp/by-mfr\", \"trusted.scws.sig\")" 2>/dev/null'
out=$(as 1001 "$SCWSCTL" trust add manufacturer "$tmp/other.pem" 2>&1)
check "unprivileged 'trust add manufacturer' fails with a clear error" \
	grep -q "permission denied.*CAP_SYS_ADMIN" <<<"$out"
echo "# $out"
out=$(as 1001 "$SCWSCTL" trust add card "$tmp/other.pem" 2>&1)
check "unprivileged 'trust add card' fails too" \
	grep -q "permission denied.*CAP_NET_ADMIN" <<<"$out"
check "trust add manufacturer (root)" "$SCWSCTL" trust add manufacturer "$tmp/mfr.pem"
check "trust add card (root)" "$SCWSCTL" trust add card "$tmp/card.pem"
expect "trust list shows both" "card manufacturer" \
	"$("$SCWSCTL" trust list | cut -d' ' -f1 | sort | xargs)"
expect "scwsctl verify asks the module: trusted by the manufacturer" \
	"trusted: manufacturer" "$("$SCWSCTL" verify "$tmp/by-mfr" | tail -n1)"

# --- trusted manufacturer
check "policy: default deny, allow trusted manufacturer" \
	policy "default deny" "allow trusted manufacturer"
expect "curl signed by the manufacturer: allowed" hello "$(run by-mfr)"
expect "curl signed by a card certificate: denied" "exit 7" "$(run by-card)"
expect "curl signed by an unknown certificate: denied" "exit 7" "$(run by-other)"
expect "unsigned curl: denied" "exit 7" "$(run unsigned)"
expect "another signed copy: allowed (verified, then cached)" hello "$(run tampered)"
touch -r "$tmp/tampered" "$tmp/ref"
printf '\x01' | dd of="$tmp/tampered" bs=1 seek=4096 conv=notrunc 2>/dev/null
touch -r "$tmp/ref" "$tmp/tampered"
expect "same size and mtime after changing one byte" \
	"$(stat -c %s /usr/bin/curl) $(stat -c %Y "$tmp/ref")" \
	"$(stat -c '%s %Y' "$tmp/tampered")"
expect "the changed copy: denied" "exit 7" "$(run tampered)"
expect "scwsctl verify says so too" "bad" \
	"$("$SCWSCTL" verify "$tmp/tampered" | head -n1 | cut -d' ' -f2)"

# --- trusted any
check "policy: allow trusted any" policy "default deny" "allow trusted any"
expect "signed by the card's certificate: allowed by trusted any" hello "$(run by-card)"
expect "signed by the manufacturer: allowed by trusted any" hello "$(run by-mfr)"
expect "signed by an unknown certificate: denied" "exit 7" "$(run by-other)"
"$SCWSCTL" trust clear card
expect "card certificates cleared: the card's signature no longer counts" \
	"exit 7" "$(run by-card)"

# --- signer-sha256 / signer-sha1: the signing certificate's hash
check "policy: allow signer-sha256 of the other certificate" \
	policy "default deny" "allow signer-sha256 $(der_sha other sha256sum)"
expect "signed by that certificate: allowed" hello "$(run by-other)"
expect "signed by another (trusted) certificate: denied" "exit 7" "$(run by-mfr)"
policy "default deny" "allow signer-sha1 $(der_sha other sha1sum)"
expect "signer-sha1: the right signer is allowed" hello "$(run by-other)"
expect "signer-sha1: another signer is denied" "exit 7" "$(run by-card)"

# --- boot: a directory of manufacturer certificates
"$SCWSCTL" trust clear manufacturer
mkdir "$tmp/trusted.d"
cp "$tmp/mfr.pem" "$tmp/trusted.d/10-mfr.pem"
expect "trust load-dir adds the directory's certificates" \
	"$tmp/trusted.d: 1 certificate added" "$("$SCWSCTL" trust load-dir "$tmp/trusted.d")"
policy "default deny" "allow trusted manufacturer"
expect "then the manufacturer's application is allowed again" hello "$(run by-mfr)"

# --- the same in the caller's connect(), with the BPF-LSM program attached
cp /usr/bin/curl "$tmp/fresh"
chmod a+rx "$tmp/fresh"
sign fresh mfr
if "$SCWSCTL" lsm attach >/dev/null 2>&1; then
	expect "LSM: a signed copy never checked: verified in connect(), allowed" \
		hello "$(run fresh)"
	expect "LSM: signed by a card certificate: EPERM" "exit 7" "$(run by-card)"
	expect "LSM: unsigned: EPERM" "exit 7" "$(run unsigned)"
	"$SCWSCTL" lsm detach >/dev/null 2>&1
else
	skip "LSM: a signed copy never checked" "cannot attach the BPF-LSM program"
	skip "LSM: signed by a card certificate" "cannot attach"
	skip "LSM: unsigned" "cannot attach"
fi

# --- a namespace without a policy
ctl policy clear
echo deny >"$param"
expect "no_policy=deny: no policy refuses everybody" "exit 7" "$(run by-mfr)"
echo all >"$param"
expect "no_policy=all: no policy lets everybody in" hello "$(run unsigned)"
tap_end
