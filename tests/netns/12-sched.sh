#!/usr/bin/env bash
# Channel scheduling with scws.ko (docs/scheduling.md): the pump claims
# connections beyond the card's channels and keeps them waiting itself, so
# 100 simultaneous clients on 4 HTTP channels are all served, none reset,
# none left to the module's queue timeout; idle keep-alive clients do not
# lock another client out.  The module keeps its default queue_timeout_ms
# (10 s): under software emulation 100 fetches take far longer than that,
# so a connection left in the module's queue would be reset.  The same
# at native speed, with Chromium: tests/bipd/sched.sh.
cd "$(dirname "$0")/../.." && . tests/lib/tap.sh && . tests/lib/stack.sh
tap_begin 6
tmp=$(mktemp -d /tmp/sched.XXXXXX)
chmod 755 "$tmp"
TAP_CLEANUP_EXTRA="stack_stop $tmp/a; rm -rf $tmp"
a=$(netns_new scheda)

check "stack: pcscd, card (4 HTTP, 3 HTTPS channels), pump serving" \
	stack_start "$a" "$tmp/a" card-sim/content --channels 3516=4,4116=3
FILES=/index.html,/style.css,/img/logo.svg,/img/help.png,/store/index.html
t0=$(now_ms)
r=$(in_ns "$a" python3 tests/lib/http-swarm.py 3516 card-sim/content "$FILES" --n 100 --timeout 600)
echo "# 100 at once in the VM: $r ($(($(now_ms) - t0)) ms)"
check "100 simultaneous clients on 4 channels: every body byte-identical" \
	python3 -c 'import json,sys; r=json.loads(sys.argv[1]); sys.exit(r["ok"] != 100)' "$r"
check "none reset by the pump or the module" \
	python3 -c 'import json,sys; r=json.loads(sys.argv[1]); sys.exit(r["reset"] + r["error"] != 0)' "$r"
check "the module timed out and reset none (its queue is the last guard only)" \
	wait_for "$a" "port=3516 .*timed_out=0 reset=0"
pump_status "$a" | grep "port=3516" | sed 's/^/# /'

# Four keep-alive clients hold the four channels, idle; another client.
in_ns "$a" python3 tests/lib/http-swarm.py 3516 card-sim/content /index.html --n 4 --hold 20 \
	--timeout 120 --ready "$tmp/held.ready" >"$tmp/held.json" &
held=$!
for _ in $(seq 600); do [ -e "$tmp/held.ready" ] && break; sleep 0.1; done
t=$(in_ns "$a" curl -s -m 30 -o "$tmp/other.html" -w '%{time_total}' http://127.0.0.1:3516/)
echo "# with 4 idle keep-alive clients on the channels, another curl: ${t}s"
check "idle keep-alive clients do not lock another out (served in < 10 s)" \
	bash -c "cmp -s '$tmp/other.html' card-sim/content/index.html &&
		 awk -v t='$t' 'BEGIN { exit !(t > 0 && t < 10) }'"
wait "$held"
expect "the idle clients' next requests on the same connections are served" 0 "$?"
tap_end
