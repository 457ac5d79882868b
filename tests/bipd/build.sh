# shellcheck shell=bash
# The builds the bipd host tests share (run.sh, sched.sh, card-rules.sh),
# from the top of the tree: build_bipd OUT, scws-bipd under ASan/UBSan (all
# of its code sees real traffic) with the Makefile's sources, -Werror under
# CI; build_card OUT, scws-card at -O2.
build_bipd() {
	local werror=()
	[ -n "${CI:-}" ] && werror=(-Werror)
	# shellcheck disable=SC2046
	cc -std=c11 -Wall -Wextra "${werror[@]}" -D_GNU_SOURCE -O1 -g -Iuapi -Itools/lib \
		-fsanitize=address,undefined -fno-omit-frame-pointer \
		$(pkg-config --cflags libnl-genl-3.0 libpcsclite) -o "$1" \
		tools/scws-bipd/*.c tools/lib/cat-tlv.c tools/lib/scws-nl.c \
		tools/lib/ber.c tools/lib/seac-rules.c tools/lib/acp-policy.c \
		tools/lib/acp-merge.c tools/lib/scws-nl-load.c tools/lib/scws-nl-policy.c \
		$(pkg-config --libs libnl-genl-3.0 libpcsclite)
}

build_card() {
	cc -std=c11 -Wall -Wextra -D_GNU_SOURCE -O2 -g -Iuapi -Itools/lib -Icard-sim \
		-o "$1" card-sim/*.c card-sim/*/*.c tools/lib/cat-tlv.c tools/lib/ber.c \
		-lmbedtls -lmbedx509 -lmbedcrypto
}
