# shellcheck shell=bash
# What the bipd host tests share (run.sh, sched.sh, card-rules.sh), run
# from the top of the tree, after tests/lib/host-tap.sh.
#
# build_bipd OUT: scws-bipd under ASan/UBSan (all of its code sees real
# traffic) with the Makefile's sources, -Werror under CI; build_card OUT:
# scws-card at -O2.
build_bipd() {
	local werror=()
	[ -n "${CI:-}" ] && werror=(-Werror)
	# shellcheck disable=SC2046
	cc -std=c11 -Wall -Wextra "${werror[@]}" -D_GNU_SOURCE -O1 -g -Iuapi -Itools/lib \
		-fsanitize=address,undefined -fno-omit-frame-pointer \
		$(pkg-config --cflags libnl-genl-3.0 libpcsclite) -o "$1" \
		tools/scws-bipd/*.c tools/lib/cat-tlv.c tools/lib/scws-nl.c \
		tools/lib/ber.c tools/lib/seac-rules.c tools/lib/acp-policy.c \
		tools/lib/acp-merge.c tools/lib/scws-nl-load.c tools/lib/scws-nl-trust.c \
		tools/lib/scws-nl-policy.c tools/lib/arf-rules.c tools/lib/genl-family-event.c \
		tools/lib/seac-resolve.c tools/lib/se-apdu.c tools/lib/se-proto.c \
		tools/lib/se-local.c tools/lib/scws-sig.c \
		tools/lib/sms-pp.c tools/lib/bipd-ctl.c -lcrypto \
		$(pkg-config --libs libnl-genl-3.0 libpcsclite)
}

build_card() {
	cc -std=c11 -Wall -Wextra -D_GNU_SOURCE -O2 -g -Iuapi -Itools/lib -Icard-sim \
		-o "$1" card-sim/*.c card-sim/*/*.c tools/lib/cat-tlv.c tools/lib/ber.c \
		-lmbedtls -lmbedx509 -lmbedcrypto
}

# build_pump_card: build_bipd $PUMP and build_card $CARD as one TAP case;
# when it fails the rest of the plan is skipped, counted, and the test exits.
build_pump_card() {
	if build_bipd "$PUMP" && build_card "$CARD"; then
		ok "build scws-bipd (ASan, UBSan) and scws-card"
		return 0
	fi
	not_ok "build scws-bipd (ASan, UBSan) and scws-card"
	skip_rest "build failed"
	counts
	exit 1
}

# mark: the pump log's ($TMP/pump.log) length now; since MARK PATTERN
# [TRIES]: until the log has PATTERN after the mark (false if the pump,
# $PUMP_PID, is gone).
mark() { wc -l <"$TMP/pump.log"; }
since() {
	local tries=${3:-300}
	while [ "$tries" -gt 0 ]; do
		tail -n +"$(($1 + 1))" "$TMP/pump.log" | grep -qE "$2" && return 0
		kill -0 "$PUMP_PID" 2>/dev/null || return 1
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}
