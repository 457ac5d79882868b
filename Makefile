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
# Appended even to a CFLAGS/CPPFLAGS given on the command line (a packager's
# `make CFLAGS=...`): the language level, include paths and feature macros
# are part of the source, not a build choice.
override CFLAGS += -std=c11 -Wall -Wextra $(WERROR)
override CPPFLAGS += -D_GNU_SOURCE -I$(TOP)/uapi -I$(TOP)/tools/lib
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
TEST_RAS := $(BUILD)/tests/scws-test-ras

tools: $(TEST_PUMP) $(TEST_CONNECT) $(SCWSCTL) $(SCWS_CARD) $(SCWS_BIPD) fuse-tests ota-tests $(TEST_RAS) scws-pushd

SCWS_BIPD_SRCS := $(wildcard tools/scws-bipd/*.c) tools/lib/cat-tlv.c $(LIBNL_SRCS) \
	tools/lib/ber.c tools/lib/seac-rules.c tools/lib/arf-rules.c tools/lib/acp-policy.c \
	tools/lib/acp-merge.c tools/lib/scws-nl-load.c tools/lib/scws-nl-trust.c tools/lib/scws-nl-policy.c
SCWS_BIPD_SRCS += tools/lib/seac-resolve.c tools/lib/se-apdu.c tools/lib/se-proto.c \
	tools/lib/se-local.c tools/lib/scws-sig.c
SCWS_BIPD_SRCS += tools/lib/sms-pp.c tools/lib/bipd-ctl.c
SCWS_BIPD_SRCS += tools/lib/genl-family-event.c
SCWS_BIPD_SRCS += tools/lib/dmsc-msg.c
$(SCWS_BIPD): $(SCWS_BIPD_SRCS) $(wildcard tools/scws-bipd/*.h tools/lib/*.h) uapi/linux/scws.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(NL_CFLAGS) $(PCSC_CFLAGS) -o $@ $(SCWS_BIPD_SRCS) $(NL_LIBS) $(PCSC_LIBS) -lcrypto

# The SCWS Push Gateway (SIP, libosip2).
SCWS_PUSHD := $(BUILD)/scws-pushd
SCWS_PUSHD_SRCS := $(wildcard tools/scws-pushd/*.c) tools/lib/sms-pp.c tools/lib/bipd-ctl.c tools/lib/cat-tlv.c
OSIP_CFLAGS = $(shell pkg-config --cflags libosip2 2>/dev/null)
OSIP_LIBS = $(shell pkg-config --libs libosip2 2>/dev/null || echo -losip2 -losipparser2)
.PHONY: scws-pushd
scws-pushd: $(SCWS_PUSHD)
$(SCWS_PUSHD): $(SCWS_PUSHD_SRCS) $(wildcard tools/scws-pushd/*.h tools/lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(OSIP_CFLAGS) -o $@ $(SCWS_PUSHD_SRCS) $(OSIP_LIBS)

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
SCWSCTL_SRCS += tools/lib/scws-se.c tools/lib/se-proto.c
SCWSCTL_SRCS += tools/lib/sms-pp.c tools/lib/bipd-ctl.c tools/lib/cat-tlv.c
CRYPTO_LIBS = $(shell pkg-config --libs libcrypto 2>/dev/null || echo -lcrypto)
$(SCWSCTL): $(SCWSCTL_SRCS) $(wildcard tools/scwsctl/*.h tools/lib/*.h) uapi/linux/scws.h \
	    $(BPF_SKEL)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(NL_CFLAGS) -I$(BPF_OUT) -o $@ $(SCWSCTL_SRCS) $(NL_LIBS) $(BPF_LIBS) $(CRYPTO_LIBS)

SCWS_CARD_SRCS := $(wildcard card-sim/*.c card-sim/*/*.c) tools/lib/cat-tlv.c tools/lib/ber.c
# The card's DM server (card-sim/dm/) shares the SyncML DM codec and the
# MD5 constructions with scws-dmc: libxml2 and libcrypto.
SCWS_CARD_SRCS += tools/lib/dm-auth.c tools/lib/dm-syncml.c tools/lib/dm-xml.c tools/lib/dm-out.c
CARD_XML_CFLAGS = $(shell pkg-config --cflags libxml-2.0 2>/dev/null)
CARD_XML_LIBS = $(shell pkg-config --libs libxml-2.0 2>/dev/null || echo -lxml2)
SCWS_CARD_LIBS = $(MBEDTLS_LIBS) $(CARD_XML_LIBS) $(CRYPTO_LIBS)
$(SCWS_CARD): $(SCWS_CARD_SRCS) $(wildcard card-sim/*.h card-sim/*/*.h) tools/lib/cat-tlv.h tools/lib/ber.h tools/lib/hex.h \
	    $(wildcard tools/lib/dm-*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(CARD_XML_CFLAGS) -Icard-sim -o $@ $(SCWS_CARD_SRCS) $(SCWS_CARD_LIBS)

TEST_PUMP_SRCS := $(wildcard tests/pump/*.c)

# One connect by a chosen path (connect, TFO, io_uring) for the LSM tests.
$(TEST_CONNECT): tests/connect/scws-connect.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< -luring

$(TEST_PUMP): $(TEST_PUMP_SRCS) tests/pump/pump.h $(LIBNL_SRCS) tools/lib/scws-nl.h uapi/linux/scws.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(NL_CFLAGS) -o $@ $(TEST_PUMP_SRCS) $(LIBNL_SRCS) $(NL_LIBS)

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
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(FUSE_CFLAGS) -o $@ $< $(FUSE_LIBS)

$(NCONNECT): tests/fuse/nconnect.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<

# Test tooling: a GP Amd B remote administration server (TLS-PSK, OpenSSL).
SSL_LIBS = $(shell pkg-config --libs libssl libcrypto 2>/dev/null || echo -lssl -lcrypto)
$(TEST_RAS): tests/ras/scws-test-ras.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(SSL_LIBS)

# Test tooling for the OTA trigger: SMS-DELIVER TPDUs with TS 102 225
# secured packets, and Proof of Receipt checks (OpenSSL libcrypto).
OTA_SMS := $(BUILD)/tests/scws-ota-sms
.PHONY: ota-tests
ota-tests: $(OTA_SMS)
$(OTA_SMS): tests/ota/scws-ota-sms.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(CRYPTO_LIBS)

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

# Tests that can find kernel bugs (docs/testing.md): KUnit with KASAN and lockdep on UML,
# and the whole VM suite on a debug kernel with a kmemleak scan after it. Not part of
# `make check`: a cold debug kernel build alone takes longer than CI's budget.
.PHONY: kunit-debug check-deep
kunit-debug:
	bash tests/kunit/run.sh --debug

check-deep: all
	bash tests/vm/check-deep.sh

# ---------------------------------------------------------------------------
# Installation (docs/install.md). DESTDIR stages, PREFIX and the *DIR
# variables place. Configuration in $(SYSCONFDIR) is installed only where
# none exists, so a reinstall never overwrites an administrator's edits.
VERSION := $(shell sed -n 's/^#define SCWS_VERSION "\(.*\)"/\1/p' tools/lib/scws-version.h)
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
DOCDIR ?= $(DATADIR)/doc/scws
INCLUDEDIR ?= $(PREFIX)/include
SYSCONFDIR ?= /etc
UNITDIR ?= $(PREFIX)/lib/systemd/system
MODPROBEDIR ?= $(PREFIX)/lib/modprobe.d
MODULESLOADDIR ?= $(PREFIX)/lib/modules-load.d
DKMSDIR ?= /usr/src/scws-$(VERSION)
CARDDATADIR ?= $(DATADIR)/scws-card

# Every man page next to a tool (tools/*.8, tools/*.3, card-sim/*.1), into
# the section its suffix names.
define install_man
	@for f in $(1); do [ -f "$$f" ] || continue; s=$${f##*.}; \
		echo "  INSTALL $(MANDIR)/man$$s/$${f##*/}"; \
		install -D -m 0644 "$$f" "$(DESTDIR)$(MANDIR)/man$$s/$${f##*/}" || exit; done
endef
# install_conf SRC DEST: only when DEST is not there yet.
define install_conf
	@if [ -e "$(DESTDIR)$(2)" ]; then echo "  KEEP    $(2)"; \
	else echo "  INSTALL $(2)"; install -D -m 0644 $(1) "$(DESTDIR)$(2)"; fi
endef

.PHONY: install install-tools install-card install-config install-kmod install-dkms
install: install-tools install-card install-config install-dmc

install-tools: $(SCWSCTL) $(SCWS_BIPD) $(SCWS_PUSHD)
	install -D -m 0755 $(SCWSCTL) $(DESTDIR)$(SBINDIR)/scwsctl
	install -D -m 0755 $(SCWS_BIPD) $(DESTDIR)$(SBINDIR)/scws-bipd
	install -D -m 0755 $(SCWS_PUSHD) $(DESTDIR)$(SBINDIR)/scws-pushd
	@# scws-pushd runs as its own system user (scws-pushd.service).
	install -D -m 0644 tools/etc/sysusers.conf $(DESTDIR)$(PREFIX)/lib/sysusers.d/scws.conf
	$(call install_man,$(wildcard tools/*.[1-8]))
	@# Every unit next to the tools, pointed at where the tools went.
	@for u in $(wildcard tools/*.service tools/*.socket tools/*.timer); do \
		echo "  INSTALL $(UNITDIR)/$${u##*/}"; \
		install -d "$(DESTDIR)$(UNITDIR)" && \
		sed -e 's|/usr/sbin/|$(SBINDIR)/|g' -e 's|/usr/bin/|$(BINDIR)/|g' "$$u" \
			>"$(DESTDIR)$(UNITDIR)/$${u##*/}" || exit; done
	install -D -m 0644 uapi/linux/scws.h $(DESTDIR)$(INCLUDEDIR)/linux/scws.h
	install -D -m 0644 tools/examples/acp.conf $(DESTDIR)$(DOCDIR)/examples/acp.conf

install-card: $(SCWS_CARD)
	install -D -m 0755 $(SCWS_CARD) $(DESTDIR)$(BINDIR)/scws-card
	$(call install_man,$(wildcard card-sim/*.[1-8]))
	@# The portal, for `scws-card --content`.
	cd card-sim/content && find . -type f -exec \
		install -D -m 0644 {} "$(DESTDIR)$(CARDDATADIR)/content/{}" \;

install-config:
	$(call install_conf,tools/etc/acp.conf,$(SYSCONFDIR)/scws/acp.conf)
	$(call install_conf,tools/etc/scws-bipd.conf,$(SYSCONFDIR)/scws/scws-bipd.conf)
	@# se-rules names scws-dmc by its path: rewritten to SBINDIR.
	@if [ -e "$(DESTDIR)$(SYSCONFDIR)/scws/se-rules" ]; then echo "  KEEP    $(SYSCONFDIR)/scws/se-rules"; \
	else echo "  INSTALL $(SYSCONFDIR)/scws/se-rules"; install -d "$(DESTDIR)$(SYSCONFDIR)/scws" && \
		sed 's|/usr/sbin/scws-dmc|$(SBINDIR)/scws-dmc|g' tools/etc/se-rules >"$(DESTDIR)$(SYSCONFDIR)/scws/se-rules" && \
		chmod 0644 "$(DESTDIR)$(SYSCONFDIR)/scws/se-rules"; fi
	$(call install_conf,tools/etc/modprobe.conf,$(SYSCONFDIR)/modprobe.d/scws.conf)
	install -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/scws/trusted.d

# The module for one kernel, without DKMS: make install-kmod KVER=...
install-kmod: kmod
	$(MAKE) -C $(KDIR) M=$(TOP) CONFIG_SCWS=m INSTALL_MOD_PATH=$(DESTDIR) modules_install
	install -D -m 0644 tools/etc/modprobe-softdep.conf $(DESTDIR)$(MODPROBEDIR)/scws.conf
	install -D -m 0644 tools/etc/modules-load.conf $(DESTDIR)$(MODULESLOADDIR)/scws.conf

# The module's source for DKMS (then: dkms install scws/$(VERSION)).
DKMS_FILES := Kbuild $(wildcard kmod/Kbuild kmod/Kconfig kmod/*.c kmod/*.h) uapi/linux/scws.h \
	tools/btf/kbuild-btf.sh
install-dkms:
	@for f in $(DKMS_FILES); do install -D -m 0644 $$f $(DESTDIR)$(DKMSDIR)/$$f || exit; done
	install -D -m 0755 dkms/dkms-build.sh $(DESTDIR)$(DKMSDIR)/dkms-build.sh
	sed 's/@VERSION@/$(VERSION)/' dkms/dkms.conf.in >$(DESTDIR)$(DKMSDIR)/dkms.conf
	install -D -m 0644 tools/etc/modprobe-softdep.conf $(DESTDIR)$(MODPROBEDIR)/scws.conf
	install -D -m 0644 tools/etc/modules-load.conf $(DESTDIR)$(MODULESLOADDIR)/scws.conf

# The OMA DM 1.2 client (issue 16): libxml2 for SyncML and the tree,
# libcurl for HTTP(S), libcrypto for the MD5 digests.
SCWS_DMC := $(BUILD)/scws-dmc
DMC_CFLAGS = $(shell pkg-config --cflags libxml-2.0 libcurl 2>/dev/null)
DMC_LIBS = $(shell pkg-config --libs libxml-2.0 libcurl 2>/dev/null) $(CRYPTO_LIBS)
# The SyncML DM codec and the MD5 constructions are shared with the card's
# DM server (tools/lib/dm-*.c).
DM_LIB_SRCS := tools/lib/dm-auth.c tools/lib/dm-syncml.c tools/lib/dm-xml.c tools/lib/dm-out.c
tools: $(SCWS_DMC)
# ./SEMO and the bootstrap from the card reach the secure elements through
# the APDU access service's client; the card's PKCS#15 ODF and oidDOs are
# read by the code the pump's ARF reader uses.
SCWS_DMC_SRCS := $(wildcard tools/scws-dmc/*.c) tools/lib/dmsc-msg.c tools/lib/scws-se.c tools/lib/se-proto.c \
	$(DM_LIB_SRCS) tools/lib/arf-rules.c tools/lib/seac-rules.c tools/lib/ber.c
$(SCWS_DMC): $(SCWS_DMC_SRCS) $(wildcard tools/scws-dmc/*.h tools/lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $(DMC_CFLAGS) -o $@ $(SCWS_DMC_SRCS) $(DMC_LIBS)
# Part of `install` and of the scws-tools package.  Its man page lives
# next to its sources; its tree's directory /var/lib/scws is made by
# systemd-tmpfiles (and by scws-bipd.service's StateDirectory=).
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
.PHONY: install-dmc
install-dmc: $(SCWS_DMC)
	install -D -m 0755 $(SCWS_DMC) $(DESTDIR)$(SBINDIR)/scws-dmc
	$(call install_man,tools/scws-dmc/scws-dmc.8)
	install -D -m 0644 tools/etc/tmpfiles.conf $(DESTDIR)$(TMPFILESDIR)/scws.conf
# Soak: the whole gateway in a VM under mixed traffic, restarts and
# denied callers for SCWS_SOAK_SECONDS (default 300); fails on a failed
# or damaged request and on slab, pump RSS or descriptor growth.
.PHONY: soak
soak: all
	bash tests/soak/run.sh

# `make -s print-VAR`: a variable's value, so test scripts build from the
# same source lists as the Makefile (tests/bipd/lib.sh).
print-%:
	@echo $($*)
