# SCWS gateway: top-level build.  `make` builds the module and the tools,
# `make check` runs every test, `make demo` runs the whole system in a VM.

TOP := $(CURDIR)
BUILD ?= $(TOP)/build

# Target kernel: the running one when it has a build tree, else the newest
# Debian linux-headers-*-amd64.
# Computed where it is used, never exported: `make check` may run before
# `make deps` has installed any headers, and its inner make must look again.
ifeq ($(strip $(KVER)),)
KVER := $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then uname -r; \
	else ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | \
	sed 's|.*/linux-headers-||' | sort -V | tail -n1; fi)
endif
KDIR ?= $(if $(wildcard /lib/modules/$(KVER)/build),/lib/modules/$(KVER)/build,/usr/src/linux-headers-$(KVER))

CC ?= cc
WERROR := $(if $(CI),-Werror,)
CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -Wall -Wextra $(WERROR) -D_GNU_SOURCE \
	  -I$(TOP)/uapi -I$(TOP)/tools/lib
NL_CFLAGS = $(shell pkg-config --cflags libnl-genl-3.0 2>/dev/null)
NL_LIBS = $(shell pkg-config --libs libnl-genl-3.0 2>/dev/null)

.PHONY: all kmod tools deps check kunit vmtest unit clean demo bench fuzz sparse checkpatch

all: kmod tools

kmod:
	$(MAKE) -C $(KDIR) M=$(TOP) CONFIG_SCWS=m modules

sparse:
	$(MAKE) -C $(KDIR) M=$(TOP) CONFIG_SCWS=m C=2 modules

# Userspace: everything lands in $(BUILD), never in the source tree.
LIBNL_SRCS := tools/lib/scws-nl.c
TEST_PUMP := $(BUILD)/tests/scws-test-pump
SCWSCTL := $(BUILD)/scwsctl
SCWS_CARD := $(BUILD)/scws-card
PCSC_CFLAGS = $(shell pkg-config --cflags libpcsclite 2>/dev/null)
PCSC_LIBS = $(shell pkg-config --libs libpcsclite 2>/dev/null)
MBEDTLS_LIBS := -lmbedtls -lmbedx509 -lmbedcrypto

SCWS_BIPD := $(BUILD)/scws-bipd

tools: $(TEST_PUMP) $(SCWSCTL) $(SCWS_CARD) $(SCWS_BIPD)

SCWS_BIPD_SRCS := $(wildcard tools/scws-bipd/*.c) tools/lib/cat-tlv.c $(LIBNL_SRCS)
$(SCWS_BIPD): $(SCWS_BIPD_SRCS) $(wildcard tools/scws-bipd/*.h tools/lib/*.h) uapi/linux/scws.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(NL_CFLAGS) $(PCSC_CFLAGS) -o $@ $(SCWS_BIPD_SRCS) $(NL_LIBS) $(PCSC_LIBS)

SCWSCTL_SRCS := $(wildcard tools/scwsctl/*.c) tools/lib/acp-policy.c \
	tools/lib/scws-nl-policy.c tools/lib/scws-sig.c $(LIBNL_SRCS)
CRYPTO_LIBS = $(shell pkg-config --libs libcrypto 2>/dev/null || echo -lcrypto)
$(SCWSCTL): $(SCWSCTL_SRCS) $(wildcard tools/scwsctl/*.h tools/lib/*.h) uapi/linux/scws.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(NL_CFLAGS) -o $@ $(SCWSCTL_SRCS) $(NL_LIBS) $(CRYPTO_LIBS)

SCWS_CARD_SRCS := $(wildcard card-sim/*.c) tools/lib/cat-tlv.c
$(SCWS_CARD): $(SCWS_CARD_SRCS) $(wildcard card-sim/*.h) tools/lib/cat-tlv.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Icard-sim -o $@ $(SCWS_CARD_SRCS) $(MBEDTLS_LIBS)

TEST_PUMP_SRCS := $(wildcard tests/pump/*.c)

$(TEST_PUMP): $(TEST_PUMP_SRCS) tests/pump/pump.h $(LIBNL_SRCS) tools/lib/scws-nl.h uapi/linux/scws.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(NL_CFLAGS) -o $@ $(TEST_PUMP_SRCS) $(LIBNL_SRCS) $(NL_LIBS)

deps:
	bash tools/deps.sh

kunit:
	bash tests/kunit/run.sh

vmtest: all
	bash tests/netns/run.sh

check:
	bash tests/check.sh

# The whole system in a VM; INTERACTIVE=1 leaves you at a shell inside it.
demo:
	@bash tools/deps.sh --check >/dev/null || bash tools/deps.sh
	$(MAKE) all
	bash tests/vm/run.sh $(if $(INTERACTIVE),-i,-t 900) tools/demo/demo.sh

bench: all
	bash tests/bench/run.sh

fuzz:
	SCWS_FUZZ_SECONDS=$${SCWS_FUZZ_SECONDS:-300} bash tests/fuzz/run.sh

checkpatch:
	bash tests/static.sh

clean:
	$(MAKE) -C $(KDIR) M=$(TOP) CONFIG_SCWS=m clean
	rm -rf $(BUILD)
