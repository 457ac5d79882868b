# shellcheck shell=bash
# What the card tests share (run.sh, ota.sh), run from the top of the
# tree after tests/lib/host-tap.sh: $CARD, $APDU, $TMP, $VPCD_PORT and
# $READER set; the PIDs it starts go to $CARD_PID.

# build_card_apdu: scws-card ($CARD) and pcsc-apdu ($APDU), -Werror under
# CI.  The card runs under ASan/UBSan here: the whole of it, every part's
# code, sees real traffic; a leak or bad access fails the exit test.
# shellcheck disable=SC2046 # pkg-config's flags, split on purpose
build_card_apdu() {
	local werror=()
	[ -n "${CI:-}" ] && werror=(-Werror)
	cc -std=c11 -Wall -Wextra "${werror[@]}" -D_GNU_SOURCE -O1 -g -Iuapi -Itools/lib \
		-Icard-sim -fsanitize=address,undefined -fno-omit-frame-pointer \
		$(make -s --no-print-directory print-CARD_XML_CFLAGS) \
		-o "$CARD" $(make -s --no-print-directory print-SCWS_CARD_SRCS) \
		$(make -s --no-print-directory print-SCWS_CARD_LIBS) &&
	cc -std=c11 -Wall -Wextra "${werror[@]}" -D_GNU_SOURCE -O2 -g \
		$(pkg-config --cflags libpcsclite) -o "$APDU" tests/pcsc/pcsc-apdu.c \
		tests/pcsc/bip-term.c $(pkg-config --libs libpcsclite)
}

# cleanup: stop the card and pcscd by their PIDs; keep the logs when a
# case failed.
cleanup() {
	[ -n "$CARD_PID" ] && kill "$CARD_PID" 2>/dev/null
	[ -n "$PCSCD_PID" ] && kill "$PCSCD_PID" 2>/dev/null
	[ -n "$CARD_PID" ] && wait "$CARD_PID" 2>/dev/null
	[ -n "$PCSCD_PID" ] && wait "$PCSCD_PID" 2>/dev/null
	if [ "$FAIL" -gt 0 ]; then
		echo "# logs kept in $TMP"
	else
		rm -rf "$TMP"
	fi
}

# start_card ARGS...: scws-card on our vpcd; returns once an APDU gets
# through.  Right after a card went away pcscd may still believe in it
# (it finds out at its next presence poll), so the first tries can fail.
start_card() {
	"$CARD" --vpcd "127.0.0.1:$VPCD_PORT" --state "$TMP/card.state" \
		--content card-sim/content -vv "$@" >>"$TMP/card.log" 2>&1 &
	CARD_PID=$!
	for _ in $(seq 30); do
		kill -0 "$CARD_PID" 2>/dev/null || return 1
		"$APDU" -q -r "$READER" -w 1 80F2000C00 >/dev/null 2>>"$TMP/apdu.log" &&
			return 0
		sleep 0.5
	done
	return 1
}

# stop_card: SIGTERM, wait; returns the card's exit status.
stop_card() {
	local rc
	[ -n "$CARD_PID" ] || return 1
	kill "$CARD_PID" 2>/dev/null
	wait "$CARD_PID" 2>/dev/null
	rc=$?
	CARD_PID=""
	return "$rc"
}
