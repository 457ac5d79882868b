#!/usr/bin/env bash
# rmmod + insmod under a live pump: scws-bipd hears the generic netlink
# family go and come back (controller notifications), loads the policy it
# owns again, registers again and tells its ports again, without dropping
# the card; connects through the gateway work again within seconds.
cd "$(dirname "$0")/../.." && . tests/lib/tap.sh && . tests/lib/stack.sh
tap_begin 11
rmmod scws 2>/dev/null
insmod kmod/scws.ko
tmp=$(mktemp -d /tmp/reload.XXXXXX)
chmod 755 "$tmp"
TAP_CLEANUP_EXTRA="stack_stop $tmp; rm -rf $tmp"
ns=$(netns_new reload)
code() { in_ns "$ns" curl -s -m 20 -o /dev/null -w '%{http_code}' http://127.0.0.1:3516/; }
mark() { stack_mark "$tmp"; }
since() { stack_since "$tmp" "$@"; }
# serves_within SECONDS: a connect through the gateway gets the page.
serves_within() {
	local end=$((SECONDS + $1))
	while [ "$SECONDS" -lt "$end" ]; do
		[ "$(code)" = 200 ] && return 0
		sleep 0.5
	done
	return 1
}
denied() { in_ns "$ns" setpriv --reuid=1002 --regid=1002 --clear-groups curl -s -m 10 -o /dev/null http://127.0.0.1:3516/; [ $? -eq 7 ]; }

stack_pcscd "$ns" "$tmp"
stack_card "$ns" "$tmp" --reset-state --content card-sim/content
# The pump owns the policy: uid 1002 is denied by its local file only, so
# a module that came back without it would let 1002 in.
printf 'default allow\ndeny uid 1002\n' >"$tmp/local.conf"
: >"$tmp/pump.log"
spawn "$ns" "$tmp/pump.log" "$tmp/pump.pid" env PCSCLITE_CSOCK_NAME="$tmp/run/pcscd.comm" \
	"$BIPD" --foreground -v --policy "$tmp/local.conf" --state-dir "$tmp/state"
check "the pump serves the card" stack_serving "$tmp"
expect "a connect through the gateway gets the page" 200 "$(code)"
check "and uid 1002 is denied by the pump's policy" denied

pump=$(cat "$tmp/pump.pid")
m=$(mark)
rmmod scws
check "rmmod: the pump says the module was removed" since "$m" "scws module was removed"
check "and keeps running" kill -0 "$pump"
t0=$(now_ms)
insmod kmod/scws.ko
check "insmod: the pump registers again" since "$m" "registered again after the module was reloaded" 600
check "a connect through the gateway works again within 20 s" serves_within 20
echo "# served again $(($(now_ms) - t0)) ms after insmod"
check "the policy it owns was loaded again: uid 1002 still denied" denied
check "scwsctl status names the pump" bash -c "ip netns exec '$ns' '$SCWSCTL' status | grep -q 'pump: registered'"

# Back to back, twice: the removal and the return may be read together.
m=$(mark)
rmmod scws && insmod kmod/scws.ko && rmmod scws && insmod kmod/scws.ko
check "two quick reloads: the gateway serves again within 20 s" serves_within 20
check "the same pump, no restart, one card session" \
	bash -c "kill -0 $pump && ! tail -n +$((m + 1)) '$tmp/pump.log' | grep -q 'card lost'"
echo "# pump log after the reloads:"
tail -n +"$((m + 1))" "$tmp/pump.log" | grep -iE 'module|regist|policy|rules' | head -n 12 | sed 's/^/#   /'
tap_end
