# tests/unit/mbedtls.mk — native (host) build and run of the mbedTLS self tests
# with MicroTEE's configuration (services/crypto/mbedtls/mbedtls_config.h).
#
#   make -f tests/unit/mbedtls.mk -j2          # build and run; last line "N passed, M failed"
#   make -f tests/unit/mbedtls.mk mbedtls-selftest-bin
#
# The same library modules as the secure-world build (MBEDTLS_MODULES from
# services/crypto/mbedtls/mbedtls.mk) are compiled with the host gcc into
# build/cache/mbedtls-host/, with MICROTEE_MBEDTLS_SELF_TEST defined.  The
# Armv8 accelerators are compiled out on x86_64 by the config's __aarch64__
# guard, so this tests the configuration and the portable code paths.

MBEDTLS_UT_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
MBEDTLS_UT_TOP := $(if $(filter 1,$(words $(MAKEFILE_LIST))),1)
include $(MBEDTLS_UT_DIR)/../../services/crypto/mbedtls/mbedtls.mk

MBEDTLS_HOST_CC  ?= cc
MBEDTLS_HOST_AR  ?= ar
MBEDTLS_HOST_OUT ?= $(MBEDTLS_CACHE)/mbedtls-host
MBEDTLS_HOST_LIB := $(MBEDTLS_HOST_OUT)/libmbedcrypto.a
MBEDTLS_HOST_BIN := $(MBEDTLS_HOST_OUT)/mbedtls_selftest
# Sanitizers catch memory errors in the library or the test; set
# MBEDTLS_HOST_SAN= to build without them.
MBEDTLS_HOST_SAN ?= -fsanitize=address,undefined -fno-sanitize-recover=undefined
MBEDTLS_HOST_CFLAGS := -std=c99 -O2 -g $(MBEDTLS_HOST_SAN) \
	-DMICROTEE_MBEDTLS_SELF_TEST $(MBEDTLS_CPPFLAGS)

MBEDTLS_HOST_OBJS := $(addprefix $(MBEDTLS_HOST_OUT)/obj/,$(addsuffix .o,$(MBEDTLS_MODULES)))

.PHONY: mbedtls-selftest mbedtls-selftest-bin
mbedtls-selftest: $(MBEDTLS_HOST_BIN)
	$(MBEDTLS_HOST_BIN)

mbedtls-selftest-bin: $(MBEDTLS_HOST_BIN)

$(MBEDTLS_HOST_OUT)/obj/%.o: $(MBEDTLS_OUT)/config.ok | $(MBEDTLS_STAMP)
	@mkdir -p $(@D)
	$(MBEDTLS_HOST_CC) $(MBEDTLS_HOST_CFLAGS) $(MBEDTLS_WARN_CFLAGS) \
	  -I$(MBEDTLS_SRC)/library -MMD -MP -c $(MBEDTLS_SRC)/library/$*.c -o $@

$(MBEDTLS_HOST_LIB): $(MBEDTLS_HOST_OBJS)
	@rm -f $@
	$(MBEDTLS_HOST_AR) rcsD $@ $^

$(MBEDTLS_HOST_BIN): $(MBEDTLS_UT_DIR)/mbedtls_selftest.c $(MBEDTLS_HOST_LIB)
	$(MBEDTLS_HOST_CC) $(MBEDTLS_HOST_CFLAGS) $(MBEDTLS_WARN_CFLAGS) -Werror \
	  -o $@ $< $(MBEDTLS_HOST_LIB)

# --- The same test on the real target code paths -----------------------------
# The secure-world library (cross-compiled, Armv8 AES/PMULL/SHA-256/SHA-512
# instructions, picolibc) rebuilt with MICROTEE_MBEDTLS_SELF_TEST, linked with
# picolibc's semihosting crt0 and run bare-metal at EL1 under
# qemu-system-aarch64 -M virt -cpu max.  Needs qemu-system-arm.
#   make -f tests/unit/mbedtls.mk mbedtls-selftest-qemu
MBEDTLS_A64T_OUT := $(MBEDTLS_CACHE)/mbedtls-a64-selftest
MBEDTLS_A64T_ELF := $(MBEDTLS_A64T_OUT)/mbedtls_selftest.elf
MBEDTLS_QEMU     ?= qemu-system-aarch64

.PHONY: mbedtls-selftest-qemu mbedtls-a64-selftest-lib
mbedtls-a64-selftest-lib: | $(MBEDTLS_STAMP)
	$(MAKE) --no-print-directory -f $(MBEDTLS_MK_DIR)/mbedtls.mk mbedtls-lib \
	  MBEDTLS_TOP=$(MBEDTLS_TOP) MBEDTLS_OUT=$(MBEDTLS_A64T_OUT) \
	  MBEDTLS_EXTRA_CFLAGS=-DMICROTEE_MBEDTLS_SELF_TEST

$(MBEDTLS_A64T_ELF): $(MBEDTLS_UT_DIR)/mbedtls_selftest.c mbedtls-a64-selftest-lib
	$(MBEDTLS_CC) --specs=$(MBEDTLS_PICOLIBC)/picolibc.specs --oslib=semihost --crt0=semihost \
	  -std=c99 -O2 -DMICROTEE_MBEDTLS_SELF_TEST $(MBEDTLS_CPPFLAGS) $(MBEDTLS_WARN_CFLAGS) -Werror \
	  -Wl,--defsym=__flash=0x40000000 -Wl,--defsym=__flash_size=0x200000 \
	  -Wl,--defsym=__ram=0x40200000 -Wl,--defsym=__ram_size=0x1000000 \
	  -o $@ $< $(MBEDTLS_A64T_OUT)/libmbedcrypto.a

mbedtls-selftest-qemu: $(MBEDTLS_A64T_ELF)
	timeout 300 $(MBEDTLS_QEMU) -M virt -cpu max -m 256 -nographic -nic none -no-reboot \
	  -semihosting -kernel $(MBEDTLS_A64T_ELF) </dev/null

$(MBEDTLS_HOST_OUT)/obj/%.d: ;
-include $(MBEDTLS_HOST_OBJS:.o=.d)

# Run on its own, this file's default target is the test run; included in
# another makefile, it leaves that makefile's default goal alone.
ifeq ($(MBEDTLS_UT_TOP),1)
.DEFAULT_GOAL := mbedtls-selftest
endif
