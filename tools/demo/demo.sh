#!/usr/bin/env bash
# `make demo`, inside the VM: the whole SCWS gateway with real parts, shown
# with real clients.  Runs as root in Debian's kernel booted by
# tests/vm/run.sh; everything it starts dies with the VM.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/stack.sh
trap - EXIT		# keep everything running for an interactive shell
demo=/tmp/scws-demo
mkdir -p "$demo"
chmod 755 "$demo"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
as_user() { local u=$1; shift; setpriv --reuid="$u" --regid="$u" --clear-groups "$@"; }

say "Loading scws.ko into $(uname -r)"
run insmod kmod/scws.ko || exit 1
run build/scwsctl status

say "Starting pcscd with the vpcd reader, the virtual UICC (scws-card) and the BIP pump (scws-bipd)"
stack_start - "$demo" card-sim/content --channels 3516=4,4116=3 || exit 1
grep -E "started|port [0-9]+: " "$demo/pump.log" | sed 's/^/  pump: /'
run build/scwsctl status

say "Loading the example access control policy (tools/examples/acp.conf)"
run build/scwsctl policy load tools/examples/acp.conf
run build/scwsctl policy show
build/scwsctl monitor >"$demo/monitor.log" 2>&1 &
sleep 0.5

say "uid 1001 (allowed) fetches the card's portal over HTTP"
printf '$ curl http://127.0.0.1:3516/\n'
as_user 1001 curl -s http://127.0.0.1:3516/ | head -n 12
echo "  ..."

say "HTTPS on 4116: TLS ends inside the card"
printf '$ curl -k https://127.0.0.1:4116/ | grep -i "<title>"\n'
curl -sk https://127.0.0.1:4116/ | grep -i "<title>"
printf '$ openssl s_client -connect 127.0.0.1:4116 | openssl x509 -noout -subject -issuer\n'
openssl s_client -connect 127.0.0.1:4116 </dev/null 2>/dev/null | openssl x509 -noout -subject -issuer

say "A /cgi/ application: the card file EF_ICCID (3F00/2FE2), read by the card itself"
run curl -s "http://127.0.0.1:3516/cgi/display?df=3F00&ef=2FE2"
echo

say "A PIN-protected page: right PIN (0000), then a wrong one"
printf '$ curl -u user:0000 http://127.0.0.1:3516/account/ -> '
curl -s -o /dev/null -w '%{http_code}\n' -u user:0000 http://127.0.0.1:3516/account/
printf '$ curl -u user:1234 http://127.0.0.1:3516/account/ -> '
curl -s -o /dev/null -w '%{http_code}\n' -u user:1234 http://127.0.0.1:3516/account/

say "uid 1002 is denied by the policy: connect() fails at once"
printf '$ curl http://127.0.0.1:3516/   (as uid 1002)\n'
as_user 1002 curl -sS http://127.0.0.1:3516/ 2>&1 | sed 's/^/  /'

say "Who was let in, who was refused, and by which rule (scwsctl monitor)"
sleep 0.5
kill %1 2>/dev/null
grep -E "handed-off|refused" "$demo/monitor.log" | sed 's/^/  /'
say "Counters (scwsctl status)"
build/scwsctl status
say "Logs: $demo/{pump,card,pcscd}.log; policy: build/scwsctl policy show"
