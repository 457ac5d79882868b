#!/usr/bin/env bash
# Executable and label identity: what an unprivileged user can do to look
# like an allowed program (a bind mount or a chroot in a user namespace of
# its own, a file of another mount namespace run through /proc/PID/root, a
# user namespace's exe link), and AppArmor labels written the way
# /proc/PID/attr/current shows them.
cd "$(dirname "$0")/../.." && . tests/lib/tap.sh
tap_begin 29
SCWSCTL=$BUILD/scwsctl
ns=$(netns_new ident)
tmp=$(mktemp -d /tmp/ident.XXXXXX)
chmod 755 "$tmp"
TAP_CLEANUP_EXTRA="rm -rf $tmp"
reply=$(printf 'HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello')
URL=http://127.0.0.1:3516/
sum=$(sha256sum /usr/bin/curl | cut -d' ' -f1)

ctl() { in_ns "$ns" "$SCWSCTL" "$@"; }
policy() { printf '%s\n' "$@" >"$tmp/p.conf"; ctl policy load "$tmp/p.conf" 2>/dev/null; }
# as UID CMD...: CMD in the test namespace as UID (no groups).
as() {
	local u=$1
	shift
	in_ns "$ns" setpriv --reuid="$u" --regid="$u" --clear-groups "$@"
}
# body CMD...: what CMD printed, or "exit N" when it failed.
body() {
	local out
	if out=$("$@" 2>/dev/null); then echo "$out"; else echo "exit $?"; fi
}
curl_as() { local u=$1; shift; body as "$u" "$@" -s -m 5 "$URL"; }

# The attacker's program: a copy of curl (so that it would get through).
cp /usr/bin/curl "$tmp/mybin"
# A jail with a static shell and "curl" (busybox, run as its wget applet).
mkdir -p "$tmp/jail/bin" "$tmp/jail/usr/bin"
cp /bin/busybox "$tmp/jail/bin/sh"
cp /bin/busybox "$tmp/jail/usr/bin/curl"
chmod -R a+rX "$tmp"
mkdir -m 777 "$tmp/flag"
# (busybox 1.35's wget crashes with -T: no timeout, a refusal is immediate)
jail_get='exec -a wget /usr/bin/curl -q -O - http://127.0.0.1:3516/'

start_pump "$ns" "$tmp/pump.log" --port 3516:4:4 --mode fixed --reply "$reply" >/dev/null
ctl monitor >"$tmp/monitor" 2>&1 &
monitor=$!
sleep 0.5

# --- exe paths: from the caller's own root, never one a user namespace made
check "policy: default deny, allow exe /usr/bin/curl" \
	policy "default deny" "allow exe /usr/bin/curl"
expect "/usr/bin/curl of the system is allowed" hello "$(curl_as 1001 /usr/bin/curl)"
expect "a copy elsewhere is denied" "exit 7" "$(curl_as 1001 "$tmp/mybin")"
expect "bind mount over /usr/bin/curl in unshare -Urm: denied" "exit 7" \
	"$(body as 1001 unshare -Urm sh -c \
		"mount --bind $tmp/mybin /usr/bin/curl && exec /usr/bin/curl -s -m 5 $URL")"
# A user namespace keeps the bind mount; uid 1003 in the initial user
# namespace runs the file through /proc/PID/root of that namespace.
as 1003 unshare -Urm sh -c \
	"mount --bind $tmp/mybin /usr/bin/curl && touch $tmp/flag/ready && exec sleep 60" &
holder=$!
for _ in $(seq 100); do [ -e "$tmp/flag/ready" ] && break; sleep 0.05; done
expect "its /usr/bin/curl through /proc/PID/root, from the initial user namespace: denied" \
	"exit 7" "$(curl_as 1003 "/proc/$holder/root/usr/bin/curl")"
kill "$holder" 2>/dev/null
expect "chroot in unshare -Ur with its own /usr/bin/curl: denied" "exit 1" \
	"$(body as 1001 unshare -Ur chroot "$tmp/jail" /bin/sh -c "$jail_get")"
expect "chroot made by root (uid 1004 inside): denied" "exit 1" \
	"$(body in_ns "$ns" chroot --userspec=1004:1004 "$tmp/jail" /bin/sh -c "$jail_get")"
policy "default deny" "allow exe $tmp/jail/usr/bin/curl"
expect "the jail's program by its true path is allowed (the jail works)" hello \
	"$(body as 1001 "$tmp/jail/bin/sh" -c "exec -a wget $tmp/jail/usr/bin/curl -q -O - $URL")"

# --- a user namespace of the caller's own: executable selectors grant nothing
policy "default deny" "allow exe /usr/bin/curl"
expect "unshare -U curl: no grant from exe" "exit 7" \
	"$(curl_as 1001 unshare -U /usr/bin/curl)"
check "policy: allow exe-sha256 of curl" policy "default deny" "allow exe-sha256 $sum"
expect "curl from the initial user namespace: allowed by digest" hello \
	"$(curl_as 1001 /usr/bin/curl)"
expect "unshare -U curl: no grant from exe-sha256" "exit 7" \
	"$(curl_as 1001 unshare -U /usr/bin/curl)"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/mfr.key" -out "$tmp/mfr.pem" \
	-days 30 -subj "/CN=SCWS test manufacturer" 2>/dev/null
cp /usr/bin/curl "$tmp/curl-signed"
chmod a+rx "$tmp/curl-signed"
"$SCWSCTL" sign --key "$tmp/mfr.key" --cert "$tmp/mfr.pem" "$tmp/curl-signed"
"$SCWSCTL" trust add manufacturer "$tmp/mfr.pem"
TAP_CLEANUP_EXTRA="$SCWSCTL trust clear manufacturer; $TAP_CLEANUP_EXTRA"
policy "default deny" "allow trusted manufacturer"
expect "signed curl from the initial user namespace: allowed as trusted" hello \
	"$(curl_as 1001 "$tmp/curl-signed")"
expect "unshare -U signed curl: no grant from trusted" "exit 7" \
	"$(curl_as 1001 unshare -U "$tmp/curl-signed")"
policy "default deny" "allow uid 1001"
expect "unshare -U curl: a uid rule still grants (uids are mapped)" hello \
	"$(curl_as 1001 unshare -U /usr/bin/curl)"
policy "default allow" "deny exe /usr/bin/curl"
expect "unshare -U curl: deny exe still matches" "exit 7" \
	"$(curl_as 1001 unshare -U /usr/bin/curl)"
policy "default allow" "deny exe-sha256 $sum"
expect "unshare -U curl: deny exe-sha256 still matches" "exit 7" \
	"$(curl_as 1001 unshare -U /usr/bin/curl)"

sleep 0.3
kill "$monitor"
check "monitor: the allowed curl shows exe=/usr/bin/curl" \
	grep -qE "handed-off .*uid=1001 .*exe=/usr/bin/curl " "$tmp/monitor"
check "monitor: the file of another mount namespace shows no path" \
	grep -qE "conn-refused .*uid=1003 .*exe=- " "$tmp/monitor"
check "monitor: the chrooted caller shows no path" \
	grep -qE "conn-refused .*uid=1004 .*exe=- " "$tmp/monitor"

# --- scwsctl warns about an allow rule that names only an executable
printf '%s\n' "default deny" "allow uid 1001 exe /usr/bin/curl" \
	"  allow exe /usr/bin/curl" >"$tmp/w.conf"
err=$(ctl policy load "$tmp/w.conf" 2>&1 >/dev/null)
check "policy load warns at file:line:column about 'allow exe' alone" \
	grep -q "w.conf:3:3: warning: " <<<"$err"

# --- AppArmor labels, as /proc/PID/attr/current shows them
mountpoint -q /sys/kernel/security 2>/dev/null || mount -t securityfs none /sys/kernel/security 2>/dev/null
aa_mode=/proc/sys/kernel/apparmor_display_secid_mode
aa_cases=8
if [ -d /sys/kernel/security/apparmor ] && command -v apparmor_parser >/dev/null; then
	cp /usr/bin/curl "$tmp/curl-aa"
	cp /usr/bin/cat "$tmp/cat-aa"
	echo "profile scws-id-x $tmp/*-aa flags=(complain) { }" >"$tmp/aa.prof"
	if apparmor_parser -r "$tmp/aa.prof" 2>"$tmp/aa.err"; then
		attr=$("$tmp/cat-aa" /proc/self/attr/current | tr -d '\0')
		expect "attr/current of a confined process shows the mode" "scws-id-x (complain)" "$attr"
		ctl monitor >"$tmp/monitor2" 2>&1 &
		monitor=$!
		sleep 0.5
		check "policy: deny label \"scws-id-x (complain)\"" \
			policy "default allow" 'deny label "scws-id-x (complain)"'
		expect "policy show gives the profile name" "deny label scws-id-x" \
			"$(ctl policy show | grep '^deny')"
		expect "the profile's process is denied" "exit 7" "$(curl_as 1001 "$tmp/curl-aa")"
		policy "default allow" "deny label scws-id-x"
		expect "written without the mode: the same" "exit 7" "$(curl_as 1001 "$tmp/curl-aa")"
		expect "an unconfined curl is let in" hello "$(curl_as 1001 /usr/bin/curl)"
		if echo 1 2>/dev/null >"$aa_mode"; then
			expect "with kernel.apparmor_display_secid_mode=1: still denied" "exit 7" \
				"$(curl_as 1001 "$tmp/curl-aa")"
			echo 0 >"$aa_mode"
		else
			skip "with kernel.apparmor_display_secid_mode=1: still denied" "no $aa_mode"
		fi
		sleep 0.3
		kill "$monitor"
		check "monitor: the module's context is the bare profile name" \
			grep -qE "conn-refused .*label=scws-id-x exe=" "$tmp/monitor2"
		apparmor_parser -R "$tmp/aa.prof" 2>/dev/null
	else
		for _ in $(seq $aa_cases); do
			skip "AppArmor" "apparmor_parser failed: $(head -c 200 "$tmp/aa.err")"
		done
	fi
else
	for _ in $(seq $aa_cases); do
		skip "AppArmor" "AppArmor not active in the guest or apparmor_parser missing"
	done
fi
tap_end
