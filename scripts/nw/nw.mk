# nw.mk — flags for normal-world (Linux arm64) programs that use the GlobalPlatform
# TEE Client API from Debian's optee-client-dev / libteec2.
#
# The packages come from scripts/nw/fetch-debs.sh, unpacked into
# build/cache/nw-sysroot/. That folder is the programs' whole sysroot: the C
# library's headers, start files and link files are the libc6-dev that matches
# the libc6 the initramfs ships (trixie's), next to tee_client_api.h and
# libteec.so. Only the compiler's own files (its freestanding headers, libgcc)
# come from the host's gcc-aarch64-linux-gnu: -nostdinc, -B and -L keep any
# cross glibc the host may have out of reach.
#
# Variables carry an NW_ prefix so that including this file does not change
# CC/CFLAGS/LDFLAGS of the secure-world build:
#   NW_CC       cross compiler
#   NW_CFLAGS   compile flags (-I to the optee-client-dev headers)
#   NW_LDFLAGS  link flags (-L to libteec.so, -rpath-link for its DT_NEEDED)
#   NW_LDLIBS   libraries (-lteec)
#
# Use from a Makefile:
#   include scripts/nw/nw.mk
#   build/nw/foo: host/nw/foo.c | nw-deps
#           $(NW_CC) $(NW_CFLAGS) -o $@ $< $(NW_LDFLAGS) $(NW_LDLIBS)
# or on its own:  make -f scripts/nw/nw.mk nw-hello-teec   (-> build/nw/hello_teec)
# Put the result into an initramfs with
#   scripts/nw/mkinitramfs.sh build/nw/initramfs.cpio.gz build/nw/hello_teec:/usr/bin/

# Keep whatever default goal the including Makefile has (this file defines rules).
_nw_saved_goal := $(.DEFAULT_GOAL)

NW_TOP     ?= $(patsubst %/scripts/nw/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
NW_CACHE   ?= $(NW_TOP)/build/cache
NW_SYSROOT ?= $(NW_CACHE)/nw-sysroot
NW_OUT     ?= $(NW_TOP)/build/nw
# The compiler and the flags (also the TA kit's mk/client.mk: make ta-kit).
include $(NW_TOP)/scripts/nw/client.mk

.PHONY: nw-deps nw-hello-teec nw-tee-test nw-demo nw-bench-invoke nw-sysroot-check
# Fetch/unpack the Debian packages (a fast no-op once cached).
nw-deps:
	$(NW_TOP)/scripts/nw/fetch-debs.sh

# Proof that the flags above pin the build: compile and link a libteec client
# while listing every header (-H) and every linker input (-t), and fail on
# any file outside the sysroot and the compiler's own folder.
nw-sysroot-check: | nw-deps
	@d=$$(mktemp -d) && trap 'rm -rf "$$d"' EXIT && \
	$(NW_CC) $(NW_CFLAGS) -H -c $(NW_TOP)/host/nw/hello_teec.c -o $$d/probe.o 2>$$d/headers && \
	$(NW_CC) -o $$d/probe $$d/probe.o $(NW_LDFLAGS) -Wl,-t $(NW_LDLIBS) >$$d/inputs 2>&1 && \
	{ sed -n 's/^\.\.* //p' $$d/headers; grep -vxF "$$d/probe.o" $$d/inputs | tr -d '()'; } | \
		sort -u | xargs -r realpath -m >$$d/files && \
	test -s $$d/files && \
	gccdir=$$(dirname "$$(realpath "$$($(NW_CC) -print-libgcc-file-name)")") && \
	sysroot=$$(realpath $(NW_SYSROOT)) && \
	if grep -v -e "^$$sysroot/" -e "^$$gccdir/" $$d/files; then \
		echo "nw-sysroot-check: the files above come from outside $$sysroot and $$gccdir"; exit 1; \
	else echo "nw-sysroot-check: $$(wc -l <$$d/files) files, all from the sysroot or the compiler"; fi

nw-hello-teec: $(NW_OUT)/hello_teec
$(NW_OUT)/hello_teec: $(NW_TOP)/host/nw/hello_teec.c | nw-deps
	@mkdir -p $(@D)
	$(NW_CC) $(NW_CFLAGS) -o $@ $< $(NW_LDFLAGS) $(NW_LDLIBS)

# The demo client `make run` and `make demo` install.
nw-demo: $(NW_OUT)/microtee_demo
$(NW_OUT)/microtee_demo: $(NW_TOP)/host/nw/microtee_demo.c $(NW_TOP)/ta/demo/include/demo_ta.h | nw-deps
	@mkdir -p $(@D)
	$(NW_CC) $(NW_CFLAGS) -o $@ $< $(NW_LDFLAGS) $(NW_LDLIBS)

# make trace's client (host/nw/mt_trace.c, docs/debugging.md "Tracing a call").
.PHONY: nw-mt-trace
nw-mt-trace: $(NW_OUT)/mt_trace
$(NW_OUT)/mt_trace: $(NW_TOP)/host/nw/mt_trace.c $(NW_TOP)/include/microtee/trace_mark.h \
		$(NW_TOP)/ta/demo/include/demo_ta.h $(NW_TOP)/ta/crypto_demo/include/crypto_demo_ta.h | nw-deps
	@mkdir -p $(@D)
	$(NW_CC) $(NW_CFLAGS) -Werror -o $@ $< $(NW_LDFLAGS) $(NW_LDLIBS)

# MicroTEE's normal-world test program (tests/system/nw_tee.sh).
nw-tee-test: $(NW_OUT)/tee_test
$(NW_OUT)/tee_test: $(NW_TOP)/host/nw/tee_test.c $(NW_TOP)/ta/demo/include/demo_ta.h \
		$(NW_TOP)/ta/wait_test/include/wait_test_ta.h \
		$(NW_TOP)/ta/keepalive_test/include/keepalive_test_ta.h | nw-deps
	@mkdir -p $(@D)
	$(NW_CC) $(NW_CFLAGS) -o $@ $< $(NW_LDFLAGS) $(NW_LDLIBS) -lpthread

# OP-TEE's binary TAs through libteec (tests/system/utee.sh).
.PHONY: nw-utee-test
nw-utee-test: $(NW_OUT)/utee_test
$(NW_OUT)/utee_test: $(NW_TOP)/host/nw/utee_test.c | nw-deps
	@mkdir -p $(@D)
	$(NW_CC) $(NW_CFLAGS) -Werror -o $@ $< $(NW_LDFLAGS) $(NW_LDLIBS)

# A tee-supplicant plugin for the tests (tests/system/nw_tee.sh).
.PHONY: nw-test-plugin
nw-test-plugin: $(NW_OUT)/test_plugin.plugin
$(NW_OUT)/test_plugin.plugin: $(NW_TOP)/host/nw/test_plugin.c $(NW_TOP)/ta/demo/include/demo_ta.h | nw-deps
	@mkdir -p $(@D)
	$(NW_CC) $(NW_CFLAGS) -Werror -fPIC -shared -o $@ $< $(NW_LDFLAGS)

# A lying stand-in for tee-supplicant (tests/system/nw_tee.sh).
.PHONY: nw-fake-supp
nw-fake-supp: $(NW_OUT)/fake_supp
$(NW_OUT)/fake_supp: $(NW_TOP)/host/nw/fake_supp.c | nw-deps
	@mkdir -p $(@D)
	$(NW_CC) $(NW_CFLAGS) -Werror -o $@ $< $(NW_LDFLAGS)

# The power-cut workload and the tamper test's reader from Linux
# (tests/system/power.sh, tests/system/storage_tamper.sh).
.PHONY: nw-storage-power
nw-storage-power: $(NW_OUT)/storage_power
$(NW_OUT)/storage_power: $(NW_TOP)/host/nw/storage_power.c $(NW_TOP)/ta/storage_test/include/storage_power.h \
		$(NW_TOP)/ta/storage_test/include/storage_test_ta.h | nw-deps
	@mkdir -p $(@D)
	$(NW_CC) $(NW_CFLAGS) -Werror -o $@ $< $(NW_LDFLAGS) $(NW_LDLIBS)

# The TEE-call cost benchmark (bench/run.sh, `make bench`).
nw-bench-invoke: $(NW_OUT)/bench_invoke
$(NW_OUT)/bench_invoke: $(NW_TOP)/host/nw/bench_invoke.c $(NW_TOP)/ta/demo/include/demo_ta.h \
		$(NW_TOP)/ta/installed/include/installed_ta.h | nw-deps
	@mkdir -p $(@D)
	$(NW_CC) $(NW_CFLAGS) -o $@ $< $(NW_LDFLAGS) $(NW_LDLIBS)

# The end-to-end crypto test (tests/system/nw_tee.sh): the crypto demo TA
# against AF_ALG and Debian's OpenSSL (libssl-dev in the sysroot).
.PHONY: nw-crypto-e2e
nw-crypto-e2e: $(NW_OUT)/crypto_e2e
$(NW_OUT)/crypto_e2e: $(NW_TOP)/host/nw/crypto_e2e.c $(NW_TOP)/ta/crypto_demo/include/crypto_demo_ta.h | nw-deps
	@mkdir -p $(@D)
	$(NW_CC) $(NW_CFLAGS) -Werror -o $@ $< $(NW_LDFLAGS) $(NW_LDLIBS) -lcrypto

.DEFAULT_GOAL := $(_nw_saved_goal)
