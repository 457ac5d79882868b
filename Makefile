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

# Module BTF (the LSM kfuncs need it): Debian's headers have no vmlinux and no
# resolve_btfids, so tools/btf/kbuild-btf.sh makes a build tree of our own with
# the target kernel's vmlinux. Where it cannot, the module is built without BTF.
kmod:
	@if btf=$$(bash $(TOP)/tools/btf/kbuild-btf.sh kdir $(KVER) $(KDIR)); then \
		set -- $$btf; \
		if [ -f kmod/scws.ko ] && ! readelf -S kmod/scws.ko | grep -q ' \.BTF '; then \
			rm -f kmod/scws.ko; fi; \
		$(MAKE) -C $$1 M=$(TOP) CONFIG_SCWS=m RESOLVE_BTFIDS=$$2 modules; \
	else \
		echo "kmod: WARNING: building scws.ko without BTF, the LSM path will not work" >&2; \
		$(MAKE) -C $(KDIR) M=$(TOP) CONFIG_SCWS=m modules; \
	fi

sparse:
	$(MAKE) -C $(KDIR) M=$(TOP) CONFIG_SCWS=m C=2 modules

# Userspace: everything lands in $(BUILD), never in the source tree.
LIBNL_SRCS := tools/lib/scws-nl.c
TEST_PUMP := $(BUILD)/tests/scws-test-pump
TEST_CONNECT := $(BUILD)/tests/scws-connect
SCWSCTL := $(BUILD)/scwsctl
SCWS_CARD := $(BUILD)/scws-card
PCSC_CFLAGS = $(shell pkg-config --cflags libpcsclite 2>/dev/null)
PCSC_LIBS = $(shell pkg-config --libs libpcsclite 2>/dev/null)
MBEDTLS_LIBS := -lmbedtls -lmbedx509 -lmbedcrypto

SCWS_BIPD := $(BUILD)/scws-bipd

tools: $(TEST_PUMP) $(TEST_CONNECT) $(SCWSCTL) $(SCWS_CARD) $(SCWS_BIPD) fuse-tests ota-tests

SCWS_BIPD_SRCS := $(wildcard tools/scws-bipd/*.c) tools/lib/cat-tlv.c $(LIBNL_SRCS) \
	tools/lib/ber.c tools/lib/seac-rules.c tools/lib/arf-rules.c tools/lib/acp-policy.c \
	tools/lib/acp-merge.c tools/lib/scws-nl-load.c tools/lib/scws-nl-trust.c tools/lib/scws-nl-policy.c
$(SCWS_BIPD): $(SCWS_BIPD_SRCS) $(wildcard tools/scws-bipd/*.h tools/lib/*.h) uapi/linux/scws.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(NL_CFLAGS) $(PCSC_CFLAGS) -o $@ $(SCWS_BIPD_SRCS) $(NL_LIBS) $(PCSC_LIBS)

# The BPF-LSM program (tools/bpf/), embedded in scwsctl as a libbpf skeleton.
# vmlinux.h comes from the target kernel's BTF (the running kernel's if the
# image cannot be read); CO-RE makes the program load on other kernels too.
BPF_OUT := $(BUILD)/bpf
BPF_SKEL := $(BPF_OUT)/scws_lsm.skel.h
BPF_LIBS = $(shell pkg-config --libs libbpf 2>/dev/null || echo -lbpf)
$(BPF_OUT)/vmlinux.h:
	@mkdir -p $(dir $@)
	@btf=$$(bash tools/btf/kbuild-btf.sh vmlinux $(KVER)) || btf=/sys/kernel/btf/vmlinux; \
	echo "  GEN     $@ from $$btf"; \
	bpftool btf dump file $$btf format c >$@.tmp && mv $@.tmp $@
$(BPF_OUT)/scws_lsm.bpf.o: tools/bpf/scws_lsm.bpf.c $(BPF_OUT)/vmlinux.h
	clang -target bpf -O2 -g -Wall $(WERROR) -I$(BPF_OUT) -c -o $@ $<
$(BPF_SKEL): $(BPF_OUT)/scws_lsm.bpf.o
	bpftool gen skeleton $< name scws_lsm >$@.tmp && mv $@.tmp $@

SCWSCTL_SRCS := $(wildcard tools/scwsctl/*.c) tools/lib/acp-policy.c tools/lib/scws-nl-load.c tools/lib/scws-nl-trust.c tools/lib/acp-merge.c \
	tools/lib/scws-nl-policy.c tools/lib/scws-sig.c $(LIBNL_SRCS)
CRYPTO_LIBS = $(shell pkg-config --libs libcrypto 2>/dev/null || echo -lcrypto)
$(SCWSCTL): $(SCWSCTL_SRCS) $(wildcard tools/scwsctl/*.h tools/lib/*.h) uapi/linux/scws.h \
	    $(BPF_SKEL)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(NL_CFLAGS) -I$(BPF_OUT) -o $@ $(SCWSCTL_SRCS) $(NL_LIBS) $(BPF_LIBS) $(CRYPTO_LIBS)

SCWS_CARD_SRCS := $(wildcard card-sim/*.c card-sim/*/*.c) tools/lib/cat-tlv.c tools/lib/ber.c
$(SCWS_CARD): $(SCWS_CARD_SRCS) $(wildcard card-sim/*.h card-sim/*/*.h) tools/lib/cat-tlv.h tools/lib/ber.h tools/lib/hex.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Icard-sim -o $@ $(SCWS_CARD_SRCS) $(MBEDTLS_LIBS)

TEST_PUMP_SRCS := $(wildcard tests/pump/*.c)

# One connect by a chosen path (connect, TFO, io_uring) for the LSM tests.
$(TEST_CONNECT): tests/connect/scws-connect.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< -luring

$(TEST_PUMP): $(TEST_PUMP_SRCS) tests/pump/pump.h $(LIBNL_SRCS) tools/lib/scws-nl.h uapi/linux/scws.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(NL_CFLAGS) -o $@ $(TEST_PUMP_SRCS) $(LIBNL_SRCS) $(NL_LIBS)

# Test tooling for the digest tests: a FUSE file system whose files cannot
# be hashed in time, and a client making N concurrent connects.
SLOWFS := $(BUILD)/tests/slowfs
NCONNECT := $(BUILD)/tests/nconnect
FUSE_CFLAGS = $(shell pkg-config --cflags fuse3 2>/dev/null)
FUSE_LIBS = $(shell pkg-config --libs fuse3 2>/dev/null)

.PHONY: fuse-tests
fuse-tests: $(NCONNECT) $(if $(shell pkg-config --exists fuse3 && echo y),$(SLOWFS))

$(SLOWFS): tests/fuse/slowfs.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(FUSE_CFLAGS) -o $@ $< $(FUSE_LIBS)

$(NCONNECT): tests/fuse/nconnect.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $<

# Test tooling for the OTA trigger: SMS-DELIVER TPDUs with TS 102 225
# secured packets, and Proof of Receipt checks (OpenSSL libcrypto).
OTA_SMS := $(BUILD)/tests/scws-ota-sms
.PHONY: ota-tests
ota-tests: $(OTA_SMS)
$(OTA_SMS): tests/ota/scws-ota-sms.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(CRYPTO_LIBS)

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

# The OMA DM 1.2 client (issue 16): libxml2 for SyncML and the tree,
# libcurl for HTTP(S), libcrypto for the MD5 digests.
SCWS_DMC := $(BUILD)/scws-dmc
DMC_CFLAGS = $(shell pkg-config --cflags libxml-2.0 libcurl 2>/dev/null)
DMC_LIBS = $(shell pkg-config --libs libxml-2.0 libcurl 2>/dev/null) $(CRYPTO_LIBS)
tools: $(SCWS_DMC)
$(SCWS_DMC): $(wildcard tools/scws-dmc/*.c tools/scws-dmc/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(DMC_CFLAGS) -o $@ $(wildcard tools/scws-dmc/*.c) $(DMC_LIBS)
