# nw.mk — flags for normal-world (Linux arm64) programs that use the GlobalPlatform
# TEE Client API from Debian's optee-client-dev / libteec2.
#
# The packages come from scripts/nw/fetch-debs.sh, unpacked into
# build/cache/nw-sysroot/. Headers (tee_client_api.h ...) are taken from there;
# the program is compiled and linked with the cross toolchain's own glibc
# (gcc-aarch64-linux-gnu, glibc 2.36) and runs against the newer glibc that the
# initramfs ships (trixie's), which is backward compatible. libteec.so.2 itself
# only needs GLIBC_2.17 symbols.
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
NW_LIBDIR  ?= $(NW_SYSROOT)/usr/lib/aarch64-linux-gnu
NW_OUT     ?= $(NW_TOP)/build/nw

NW_CC      ?= aarch64-linux-gnu-gcc
NW_CFLAGS  ?= -O2 -g -Wall -Wextra -std=gnu11 -I$(NW_SYSROOT)/usr/include
NW_LDFLAGS ?= -L$(NW_LIBDIR) -Wl,-rpath-link,$(NW_LIBDIR) -Wl,--dynamic-linker=/lib/ld-linux-aarch64.so.1
NW_LDLIBS  ?= -lteec

.PHONY: nw-deps nw-hello-teec nw-tee-test nw-demo nw-bench-invoke
# Fetch/unpack the Debian packages (a fast no-op once cached).
nw-deps:
	$(NW_TOP)/scripts/nw/fetch-debs.sh

nw-hello-teec: $(NW_OUT)/hello_teec
$(NW_OUT)/hello_teec: $(NW_TOP)/host/nw/hello_teec.c | nw-deps
	@mkdir -p $(@D)
	$(NW_CC) $(NW_CFLAGS) -o $@ $< $(NW_LDFLAGS) $(NW_LDLIBS)

# The demo client `make run` and `make demo` install.
nw-demo: $(NW_OUT)/microtee_demo
$(NW_OUT)/microtee_demo: $(NW_TOP)/host/nw/microtee_demo.c $(NW_TOP)/ta/demo/include/demo_ta.h | nw-deps
	@mkdir -p $(@D)
	$(NW_CC) $(NW_CFLAGS) -o $@ $< $(NW_LDFLAGS) $(NW_LDLIBS)

# MicroTEE's normal-world test program (tests/system/nw_tee.sh).
nw-tee-test: $(NW_OUT)/tee_test
$(NW_OUT)/tee_test: $(NW_TOP)/host/nw/tee_test.c $(NW_TOP)/ta/demo/include/demo_ta.h | nw-deps
	@mkdir -p $(@D)
	$(NW_CC) $(NW_CFLAGS) -o $@ $< $(NW_LDFLAGS) $(NW_LDLIBS) -lpthread

# The TEE-call cost benchmark (bench/run.sh, `make bench`).
nw-bench-invoke: $(NW_OUT)/bench_invoke
$(NW_OUT)/bench_invoke: $(NW_TOP)/host/nw/bench_invoke.c $(NW_TOP)/ta/demo/include/demo_ta.h | nw-deps
	@mkdir -p $(@D)
	$(NW_CC) $(NW_CFLAGS) -o $@ $< $(NW_LDFLAGS) $(NW_LDLIBS)

# The end-to-end crypto test (tests/system/nw_tee.sh): the crypto demo TA
# against AF_ALG and Debian's OpenSSL (libssl-dev in the sysroot; its
# configuration headers sit in the multiarch folder). Trixie's libcrypto
# uses glibc 2.38 symbols that the cross toolchain's glibc 2.36 lacks; the
# initramfs ships trixie's glibc, which has them, so the link lets
# libcrypto's own references stay open.
.PHONY: nw-crypto-e2e
nw-crypto-e2e: $(NW_OUT)/crypto_e2e
$(NW_OUT)/crypto_e2e: $(NW_TOP)/host/nw/crypto_e2e.c $(NW_TOP)/ta/crypto_demo/include/crypto_demo_ta.h | nw-deps
	@mkdir -p $(@D)
	$(NW_CC) $(NW_CFLAGS) -Werror -I$(NW_SYSROOT)/usr/include/aarch64-linux-gnu -o $@ $< \
		$(NW_LDFLAGS) -Wl,--allow-shlib-undefined $(NW_LDLIBS) -lcrypto

.DEFAULT_GOAL := $(_nw_saved_goal)
