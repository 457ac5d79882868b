#!/usr/bin/env bash
# Remote administration end to end with every real part: scws.ko in the
# path, pcscd + vpcd, scws-card (OTA key set, admin agent), scws-bipd with
# its control socket and push endpoint, scws-pushd, SIPp, the test RAS
# (tests/ras/scws-test-ras, TLS-PSK) and curl.  A formatted SMS (scwsctl
# push sms, secured packet built by tests/ota/scws-ota-sms) and a SIP push
# each start a session that changes the card's pages; two more sessions
# change the card's access rules (ARA-M STORE DATA) and the kernel
# follows without a restart.  Bad input: a replayed SMS, a wrong
# checksum, a RAS that drops mid-session.
cd "$(dirname "$0")/../.." && . tests/lib/tap.sh && . tests/lib/stack.sh
tap_begin 20
rmmod scws 2>/dev/null
insmod kmod/scws.ko queue_timeout_ms=60000
tmp=$(mktemp -d /tmp/radmin.XXXXXX)
chmod 755 "$tmp"
TAP_CLEANUP_EXTRA="stack_stop $tmp; stack_kill $tmp pushd; stack_kill $tmp ras; rm -rf $tmp"
ns=$(netns_new radmin)
RAS=$BUILD/tests/scws-test-ras
SMS=$BUILD/tests/scws-ota-sms
PUSHD=$BUILD/scws-pushd
RAS_PORT=8443
SIP_PORT=5070
PSK_ID=card-0001
PSK=000102030405060708090a0b0c0d0e0f
KIC=000102030405060708090A0B0C0D0E0F
KID=101112131415161718191A1B1C1D1E1F
KEYS=(--kic-key "$KIC" --kid-key "$KID")
SCWS_AID=F0534357534757
ARAM_AID=A00000015141434C00
GW=http://127.0.0.1:3516

ctl() { in_ns "$ns" "$SCWSCTL" "$@"; }
code() { in_ns "$ns" curl -s -m 30 -o /dev/null -w '%{http_code}' "$@"; }
get() { in_ns "$ns" curl -s -m 30 "$@"; }
count() { grep -cE "$2" "$1" 2>/dev/null; }
# waitfor FILE PATTERN COUNT [TRIES]: until FILE has COUNT matching lines.
waitfor() {
	local tries=${4:-600} n
	while [ "$tries" -gt 0 ]; do
		n=$(count "$1" "$2")
		[ "${n:-0}" -ge "$3" ] && return 0
		sleep 0.1
		tries=$((tries - 1))
	done
	return 1
}
ENDS="admin: session (complete|refused)|admin: giving up"
ended() { count "$tmp/card.log" "$ENDS"; }

# tlv TAG HEX: a BER-TLV (short lengths: everything here is small).
tlv() { printf '%s%02X%s' "$1" $((${#2} / 2)) "$2"; }
# The GP Amd B '81' trigger: OPEN CHANNEL TLVs for TCP client to
# 127.0.0.1:RAS_PORT; the PSK and the rest are the card's stored ones.
TRIGGER=$(tlv 81 "$(tlv 83 "$(tlv 84 "$(printf '3C0302%04X3E05217F000001' $RAS_PORT)")")")
# tpdu COUNTER: the SMS-DELIVER an OTA server sends, secured (AES).
tpdu() { "$SMS" "${KEYS[@]}" --counter "$1" "$TRIGGER"; }

# req FILE METHOD PATH [TYPE BODYFILE]: an SCWS http-request.
req() {
	local head="$2 $3 HTTP/1.1\r\nHost: scws\r\n"
	if [ $# -gt 3 ]; then
		head+="Content-Type: $4\r\nContent-Length: $(stat -c %s "$5")\r\n"
	fi
	printf '%b\r\n' "$head" >"$1"
	[ $# -gt 3 ] && cat "$5" >>"$1"
	return 0
}
# rule AID ACCESS: an ARA-M STORE DATA command data (F0 {E2 {E1 {4F C1} E3 {D0}}}).
rule() { tlv F0 "$(tlv E2 "$(tlv E1 "$(tlv 4F "$1")$(tlv C1 "")")$(tlv E3 "$(tlv D0 "$2")")")"; }
# aram_script DATA: the AA APDU script (one C-APDU, tag 22) for STORE DATA.
aram_script() {
	local capdu
	capdu=$(printf '80E29000%02X%s' $((${#1} / 2)) "$1")
	tlv AA "$(tlv 22 "$capdu")"
}

# ras NAME SCRIPT: a test RAS for one session, recording into $tmp/NAME/.
ras() {
	mkdir -p "$tmp/$1"
	spawn "$ns" "$tmp/$1.log" "$tmp/ras.pid" "$RAS" --port $RAS_PORT \
		--psk-identity $PSK_ID --psk $PSK --record "$tmp/$1" --script "$2" --once
	waitfor "$tmp/$1.log" listening 1 100
}

# sms COUNTER: scwsctl push sms through the pump's control socket; the
# answer ("sw XXXX", "por HEX") in $tmp/sms.out.
sms() {
	ctl push sms "$(tpdu "$1")" --socket "$tmp/bipd.ctl" >"$tmp/sms.out" 2>&1
}
por_ok() {
	"$SMS" --check-por "$(sed -n 's/^por //p' "$tmp/sms.out")" "${KEYS[@]}" \
		--expect-status "$1" ${2:+--expect-data "$2"} >>"$tmp/por.log" 2>&1
}

# --- the stack: the card with its OTA keys and admin parameters, the pump
# with its sockets and a short ARA-M poll, a local policy that lets root in
stack_pcscd "$ns" "$tmp"
stack_card "$ns" "$tmp" --reset-state --content card-sim/content -v \
	--ota-keyset "1:$KIC:$KID" --admin "dest=127.0.0.1:$RAS_PORT" --admin host=ras.test \
	--admin agent-id=//se-id/iccid/8949000000000000001 --admin uri=/ras/start \
	--admin psk-id=$PSK_ID --admin key=1:1:$PSK --admin use-key=1:1 --admin retry=2,1
printf 'default deny\nallow uid 0\n' >"$tmp/local.conf"
: >"$tmp/pump.log"
spawn "$ns" "$tmp/pump.log" "$tmp/pump.pid" env PCSCLITE_CSOCK_NAME="$tmp/run/pcscd.comm" \
	"$BIPD" --foreground -v --policy "$tmp/local.conf" --state-dir "$tmp/state" \
	--card-rules-poll-ms 300 --ctl-socket "$tmp/bipd.ctl" --push-socket "$tmp/push.sock"
check "stack: pcscd, card with OTA keys, pump with control socket serving" stack_serving "$tmp"
expect "the page the RAS will delete is there before" 200 "$(code $GW/helpdesk/faq.html)"

# --- SMS trigger: a PUT and a DELETE
printf '<!DOCTYPE html>\n<title>SMS</title><p>Pushed after an SMS.</p>\n' >"$tmp/sms.html"
req "$tmp/put1.req" PUT /promo/sms.html "text/html; charset=utf-8" "$tmp/sms.html"
req "$tmp/del1.req" DELETE /helpdesk/
printf 'http %s\nhttp %s\n' "$tmp/put1.req" "$tmp/del1.req" >"$tmp/s1.script"
ras s1 "$tmp/s1.script"
e=$(ended)
done0=$(count "$tmp/card.log" 'admin: session complete')
t0=$(now_ms)
sms 1
sed 's/^/# scwsctl: /' "$tmp/sms.out"
check "scwsctl push sms: the card's PoR is 00 (checksum checked), trigger accepted (90 00)" \
	por_ok 00 019000
check "the admin session runs over the pump's client channel and TLS-PSK, to its end" \
	bash -c "$(declare -f waitfor count); waitfor '$tmp/card.log' '$ENDS' $((e + 1)) &&
		grep -q 'TCP client connected to 127.0.0.1:$RAS_PORT' '$tmp/pump.log' &&
		[ \$(grep -c 'admin: session complete' '$tmp/card.log') -gt $done0 ]"
echo "# SMS to the end of the session: $(($(now_ms) - t0)) ms"
check "the RAS got 201 for the PUT and 204 for the DELETE" \
	bash -c "head -c 12 '$tmp/s1/002.body' | grep -q 'HTTP/1.1 201' &&
		head -c 12 '$tmp/s1/003.body' | grep -q 'HTTP/1.1 204'"
check "curl through scws.ko sees the new page at once, byte-exact" \
	cmp -s "$tmp/sms.html" <(get $GW/promo/sms.html)
expect "... and a 404 for the deleted one" 404 "$(code $GW/helpdesk/faq.html)"
stack_kill "$tmp" ras

# --- the change survives a card restart (the card's state file)
m=$(wc -l <"$tmp/pump.log")
stack_kill "$tmp" card
bash -c "$(declare -f waitfor count); tail -n +$((m + 1)) -f '$tmp/pump.log' |
	timeout 30 grep -q -m1 'waiting for a card'"
sleep 1
stack_card "$ns" "$tmp" -v
stack_resumed "$tmp" "$m"
check "after a card restart: the new page is still served" \
	cmp -s "$tmp/sms.html" <(get $GW/promo/sms.html)
expect "... and the deleted one still 404" 404 "$(code $GW/helpdesk/faq.html)"

# --- a replayed SMS: PoR 02, no session
e=$(ended)
s=$(count "$tmp/card.log" "admin: TLS")
sms 1
check "the same SMS again (counter 1): PoR 02, counter too low" por_ok 02
sleep 3
check "... and no session started" \
	bash -c "[ $(ended) = $e ] && [ \$(grep -cE 'admin: TLS' '$tmp/card.log') = $s ]"

# --- a wrong checksum: PoR 01, no session
e=$(ended)
ctl push sms "$("$SMS" "${KEYS[@]}" --counter 2 --bad-cc "$TRIGGER")" --socket "$tmp/bipd.ctl" \
	>"$tmp/sms.out" 2>&1
sleep 2
check "an SMS with a wrong checksum: PoR 01, no session" \
	bash -c "$(declare -f por_ok); SMS='$SMS' tmp='$tmp'; KEYS=(${KEYS[*]}); por_ok 01 &&
		[ \$(grep -cE '$ENDS' '$tmp/card.log') = $e ]"

# --- SIP push through scws-pushd
printf 'allow-from sip:ras@operator.example\napp-id urn:scws:test\n' >"$tmp/pushd.conf"
spawn "$ns" "$tmp/pushd.log" "$tmp/pushd.pid" "$PUSHD" -f -v \
	--listen "127.0.0.1:$SIP_PORT" --config "$tmp/pushd.conf" --pump-socket "$tmp/push.sock"
waitfor "$tmp/pushd.log" "listening on UDP" 1 100
printf 'page from a SIP push\n' >"$tmp/sip.txt"
req "$tmp/put2.req" PUT /promo/sip.txt text/plain "$tmp/sip.txt"
printf 'http %s\n' "$tmp/put2.req" >"$tmp/s2.script"
ras s2 "$tmp/s2.script"
# RP-DATA (network -> MS): MTI 01, MR 2A, RP-OA the SMSC, RP-DA empty, RP-UD
t=$(tpdu 2)
printf '012A0791947102000000%s%02X%s' "00" $((${#t} / 2)) "$t" | xxd -r -p >"$tmp/rp-data.bin"
sed "s/@BODY@/rp-data.bin/; s/@EXPECT@/200/" tests/push/message.xml >"$tmp/sip.xml"
e=$(ended)
check "SIPp: SIP MESSAGE with the secured SMS to scws-pushd -> 200" \
	bash -c "cd '$tmp' && ip netns exec '$ns' timeout 90 sipp -sf sip.xml -m 1 \
		-key from sip:ras@operator.example -key ctype application/vnd.3gpp.sms \
		-key appid urn:scws:test -p 5071 -timeout 80 -timeout_error -nostdin \
		127.0.0.1:$SIP_PORT >>'$tmp/sipp.log' 2>&1"
check "... the session runs to its end and the page is served" \
	bash -c "$(declare -f waitfor count); waitfor '$tmp/card.log' '$ENDS' $((e + 1)) &&
		grep -q 'answered 204' '$tmp/s2.log' &&
		ip netns exec '$ns' curl -s -m 30 $GW/promo/sip.txt | cmp -s - '$tmp/sip.txt'"
stack_kill "$tmp" ras

# --- the card's access rules, changed remotely, reach the kernel
deny_all=$(aram_script "$(rule "" 00)")
printf 'apdu %s %s\n' "$ARAM_AID" "$deny_all" >"$tmp/s3.script"
ras s3 "$tmp/s3.script"
m=$(wc -l <"$tmp/pump.log")
e=$(ended)
sms 3
bash -c "$(declare -f waitfor count); waitfor '$tmp/card.log' '$ENDS' $((e + 1))"
check "SMS 3: PoR 00; the STORE DATA script (every application: never) answered 90 00" \
	bash -c "$(declare -f por_ok); SMS='$SMS' tmp='$tmp'; KEYS=(${KEYS[*]}); por_ok 00 019000 &&
		[ \"\$(od -An -tx1 '$tmp/s3/002.body' | tr -d ' \n')\" = ab0780010123029000 ]"
check "... the pump picks up the refresh tag; policy show has the card's deny all" \
	bash -c "for i in \$(seq 300); do tail -n +$((m + 1)) '$tmp/pump.log' |
		grep -q 'card rules in force' && break; sleep 0.1; done
		ip netns exec '$ns' '$SCWSCTL' policy show >'$tmp/policy' 2>&1
		grep -v '^#' '$tmp/policy' | tr '\n' '|' | grep -q 'deny all  # card|allow uid 0|'"
sed 's/^/# policy: /' "$tmp/policy"
in_ns "$ns" curl -s -m 10 -o /dev/null $GW/
expect "... and curl as root is now refused by the kernel (exit 7)" 7 "$?"
stack_kill "$tmp" ras

allow=$(aram_script "$(rule $SCWS_AID 01)")
printf 'apdu %s %s\n' "$ARAM_AID" "$allow" >"$tmp/s4.script"
ras s4 "$tmp/s4.script"
m=$(wc -l <"$tmp/pump.log")
e=$(ended)
sms 4
bash -c "$(declare -f waitfor count); waitfor '$tmp/card.log' '$ENDS' $((e + 1))"
bash -c "for i in \$(seq 300); do tail -n +$((m + 1)) '$tmp/pump.log' |
	grep -q 'card rules in force' && exit 0; sleep 0.1; done; exit 1"
ctl policy show >"$tmp/policy" 2>&1
sed 's/^/# policy after SMS 4: /' "$tmp/policy"
check "SMS 4: a rule allowing the SCWS's AID: policy show has the card's allow all, curl gets the page" \
	bash -c "grep -q '^allow all  # card' '$tmp/policy' &&
		[ \"\$(ip netns exec '$ns' curl -s -m 30 -o /dev/null -w '%{http_code}' $GW/)\" = 200 ]"
stack_kill "$tmp" ras

# --- a RAS that drops mid-session: the card resumes, the content is whole
printf 'page A\n' >"$tmp/a.txt"
printf 'page B\n' >"$tmp/b.txt"
req "$tmp/a.req" PUT /drop/a.txt text/plain "$tmp/a.txt"
req "$tmp/b.req" PUT /drop/b.txt text/plain "$tmp/b.txt"
printf 'http %s\ndrop\nhttp %s\n' "$tmp/a.req" "$tmp/b.req" >"$tmp/s5.script"
ras s5 "$tmp/s5.script"
e=$(ended)
m=$(wc -l <"$tmp/pump.log")
sms 5
# Each of the two connections ends once in the pump's log (the dropped
# one is not ended again by the card's CLOSE CHANNEL).
check "RAS drops the connection mid-session: the card retries and the session completes" \
	bash -c "$(declare -f waitfor count); waitfor '$tmp/card.log' '$ENDS' $((e + 1)) &&
		[ \$(grep -c 'TLS TLSv1.2' '$tmp/s5.log') = 2 ] && grep -q 'answered 204' '$tmp/s5.log' &&
		[ \$(tail -n +$((m + 1)) '$tmp/pump.log' | grep -c 'connection ended') = 2 ]"
check "... both pages whole, the earlier ones unchanged" \
	bash -c "ip netns exec '$ns' curl -s -m 30 $GW/drop/a.txt | cmp -s - '$tmp/a.txt' &&
		ip netns exec '$ns' curl -s -m 30 $GW/drop/b.txt | cmp -s - '$tmp/b.txt' &&
		ip netns exec '$ns' curl -s -m 30 $GW/promo/sms.html | cmp -s - '$tmp/sms.html'"
stack_kill "$tmp" ras
stack_kill "$tmp" pushd
stack_stop "$tmp"
if [ "$TAP_FAIL" -gt 0 ]; then
	tail -n 30 "$tmp/card.log" | sed 's/^/# card: /'
	tail -n 30 "$tmp/pump.log" | sed 's/^/# pump: /'
	cat "$tmp/por.log" "$tmp/sms.out" 2>/dev/null | sed 's/^/# /'
fi
tap_end
