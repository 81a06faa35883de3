# services/crypto/mbedtls/mbedtls.mk — mbedTLS 3.6 (libmbedcrypto) for the
# secure-world crypto service: freestanding AArch64, picolibc headers,
# MicroTEE's own configuration (mbedtls_config.h beside this file).
#
# Include it from another makefile, or run it on its own:
#   make -f services/crypto/mbedtls/mbedtls.mk -j2            # build the library
#   make -f services/crypto/mbedtls/mbedtls.mk mbedtls-linkcheck
#   make -f services/crypto/mbedtls/mbedtls.mk mbedtls-clean
#
# Output: build/cache/mbedtls/libmbedcrypto.a   ($(MBEDTLS_LIB))
# A consumer compiles against $(MBEDTLS_CPPFLAGS) and links $(MBEDTLS_LIB)
# before picolibc's libc.a.  Every variable and target here starts with
# MBEDTLS_/mbedtls- so the fragment can be included anywhere.
#
# The source comes from Debian's `mbedtls` source package (trixie, 3.6.x LTS),
# fetched by scripts/mbedtls/fetch.sh into build/cache/src/ on first use.

MBEDTLS_MK_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
MBEDTLS_MK_TOP := $(if $(filter 1,$(words $(MAKEFILE_LIST))),1)
MBEDTLS_SAVED_GOAL := $(.DEFAULT_GOAL)
MBEDTLS_TOP    ?= $(abspath $(MBEDTLS_MK_DIR)/../../..)
MBEDTLS_CACHE  ?= $(MBEDTLS_TOP)/build/cache
MBEDTLS_SRC    ?= $(MBEDTLS_CACHE)/src/mbedtls
MBEDTLS_STAMP  := $(MBEDTLS_CACHE)/src/mbedtls.dir
MBEDTLS_OUT    ?= $(MBEDTLS_CACHE)/mbedtls
MBEDTLS_LIB    := $(MBEDTLS_OUT)/libmbedcrypto.a
MBEDTLS_CONFIG_DIR := $(abspath $(MBEDTLS_MK_DIR))

MBEDTLS_CROSS    ?= aarch64-linux-gnu-
MBEDTLS_CC       ?= $(MBEDTLS_CROSS)gcc
MBEDTLS_AR       ?= $(MBEDTLS_CROSS)ar
MBEDTLS_PICOLIBC ?= /usr/lib/picolibc/aarch64-linux-gnu

# The library modules our configuration turns on (every other library/*.c
# compiles to an empty object with mbedtls_config.h, so it is not built).
# MD5/DES/DHM are the GP-only extras (empty with MICROTEE_MBEDTLS_NO_GP_EXTRAS).
MBEDTLS_MODULES := \
	aes aesce \
	asn1parse asn1write \
	bignum bignum_core block_cipher \
	ccm cipher cipher_wrap cmac \
	constant_time ctr_drbg \
	des dhm \
	ecdh ecdsa ecp ecp_curves \
	entropy gcm hkdf hmac_drbg \
	md md5 oid pkcs5 \
	pk pk_ecc pk_wrap pkparse pkwrite \
	platform platform_util \
	rsa rsa_alt_helpers \
	sha1 sha256 sha3 sha512

# Note the angle brackets: with "mbedtls_config.h" in quotes, build_info.h
# (in include/mbedtls/) would find mbedTLS's *default* config beside itself
# first.  <...> searches only -I paths, and ours is the only top-level one.
MBEDTLS_CPPFLAGS := \
	-I$(MBEDTLS_CONFIG_DIR) \
	-I$(MBEDTLS_SRC)/include \
	-DMBEDTLS_CONFIG_FILE='<mbedtls_config.h>'

# -ffreestanding: no hosted assumptions; -fbuiltin afterwards lets GCC inline
# small constant-size memcpy/memset (mbedTLS's unaligned loads are memcpy of 4
# or 8 bytes; without it each becomes a call).  picolibc's libc.a provides the
# out-of-line mem*/str* functions.  No -mgeneral-regs-only: AESCE, PMULL and
# the SHA instructions use the FP/SIMD registers, so the crypto service needs
# FP/SIMD enabled (CPACR_EL1.FPEN) and saved across context switches.
MBEDTLS_TARGET_CFLAGS := \
	-std=c99 -ffreestanding -fbuiltin -O2 -fno-pic \
	-ffunction-sections -fdata-sections \
	-isystem $(MBEDTLS_PICOLIBC)/include

MBEDTLS_WARN_CFLAGS := -Wall -Wextra
# Extra flags for every library object (e.g. -DMICROTEE_MBEDTLS_SELF_TEST).
MBEDTLS_EXTRA_CFLAGS ?=

MBEDTLS_OBJS := $(addprefix $(MBEDTLS_OUT)/obj/,$(addsuffix .o,$(MBEDTLS_MODULES)))

.PHONY: mbedtls-lib mbedtls-fetch mbedtls-clean mbedtls-linkcheck
mbedtls-lib: $(MBEDTLS_LIB)

mbedtls-fetch: $(MBEDTLS_STAMP)

$(MBEDTLS_STAMP):
	MBEDTLS_CACHE=$(MBEDTLS_CACHE) $(MBEDTLS_TOP)/scripts/mbedtls/fetch.sh >/dev/null

# Guard: make sure the configuration that mbedTLS sees really is ours.
$(MBEDTLS_OUT)/config.ok: $(MBEDTLS_CONFIG_DIR)/mbedtls_config.h | $(MBEDTLS_STAMP)
	@mkdir -p $(@D)
	$(Q)printf '#include <mbedtls/build_info.h>\n#ifndef MICROTEE_MBEDTLS_CONFIG_H\n#error "not MicroTEE mbedtls_config.h"\n#endif\n' | \
	  $(MBEDTLS_CC) $(MBEDTLS_TARGET_CFLAGS) $(MBEDTLS_CPPFLAGS) -E -x c - -o /dev/null
	$(Q)touch $@

$(MBEDTLS_OUT)/obj/%.o: $(MBEDTLS_OUT)/config.ok | $(MBEDTLS_STAMP)
	@mkdir -p $(@D)
	$(if $(Q),@echo "  CC      mbedtls/library/$*.c")
	$(Q)$(MBEDTLS_CC) $(MBEDTLS_TARGET_CFLAGS) $(MBEDTLS_WARN_CFLAGS) $(MBEDTLS_EXTRA_CFLAGS) $(MBEDTLS_CPPFLAGS) \
	  -I$(MBEDTLS_SRC)/library -MMD -MP -c $(MBEDTLS_SRC)/library/$*.c -o $@

$(MBEDTLS_LIB): $(MBEDTLS_OBJS)
	@rm -f $@
	$(if $(Q),@echo "  AR      $@")
	$(Q)$(MBEDTLS_AR) rcsD $@ $^

# Link proof: a dummy _start, the whole library and picolibc's libc.a, no
# start files, no default libraries.  Prints every undefined symbol (there
# should be none) and the size of the whole library when linked.
MBEDTLS_LINKCHECK := $(MBEDTLS_OUT)/linkcheck
mbedtls-linkcheck: $(MBEDTLS_LIB) $(MBEDTLS_MK_DIR)/linkcheck.c
	@mkdir -p $(MBEDTLS_LINKCHECK)
	$(MBEDTLS_CC) $(MBEDTLS_TARGET_CFLAGS) $(MBEDTLS_WARN_CFLAGS) -Werror $(MBEDTLS_CPPFLAGS) \
	  -c $(MBEDTLS_MK_DIR)/linkcheck.c -o $(MBEDTLS_LINKCHECK)/linkcheck.o
	@echo "== every object of libmbedcrypto.a + picolibc libc.a, -nostdlib, no libgcc (relocatable link)"
	$(MBEDTLS_CC) -nostdlib -r -o $(MBEDTLS_LINKCHECK)/whole.o $(MBEDTLS_LINKCHECK)/linkcheck.o \
	  -Wl,--whole-archive $(MBEDTLS_LIB) -Wl,--no-whole-archive \
	  $(MBEDTLS_PICOLIBC)/lib/libc.a
	@$(MBEDTLS_CROSS)nm -u $(MBEDTLS_LINKCHECK)/whole.o | awk '{print $$2}' > $(MBEDTLS_LINKCHECK)/whole.undef; \
	  echo "undefined symbols left (must come from libgcc or the service): $$(wc -l < $(MBEDTLS_LINKCHECK)/whole.undef)"; \
	  sed 's/^/  /' $(MBEDTLS_LINKCHECK)/whole.undef
	@echo "== the same plus libgcc, linked to an executable: must have no undefined symbol"
	$(MBEDTLS_CC) -nostdlib -static -no-pie -Wl,-e,_start -Wl,--no-undefined \
	  -o $(MBEDTLS_LINKCHECK)/whole.elf $(MBEDTLS_LINKCHECK)/linkcheck.o \
	  -Wl,--whole-archive $(MBEDTLS_LIB) -Wl,--no-whole-archive \
	  $(MBEDTLS_PICOLIBC)/lib/libc.a -lgcc
	@echo "== service-like use (linkcheck.c's calls only), --gc-sections, strict"
	$(MBEDTLS_CC) -nostdlib -static -no-pie -Wl,-e,_start -Wl,--gc-sections \
	  -Wl,--no-undefined -Wl,-Map,$(MBEDTLS_LINKCHECK)/used.map \
	  -o $(MBEDTLS_LINKCHECK)/used.elf $(MBEDTLS_LINKCHECK)/linkcheck.o \
	  $(MBEDTLS_LIB) $(MBEDTLS_PICOLIBC)/lib/libc.a -lgcc
	@$(MBEDTLS_CROSS)size $(MBEDTLS_LIB) | awk 'NR>1 {t+=$$1; d+=$$2; b+=$$3} END {printf "libmbedcrypto.a objects: text %d, data %d, bss %d\n", t, d, b}'
	@$(MBEDTLS_CROSS)size $(MBEDTLS_LINKCHECK)/whole.elf $(MBEDTLS_LINKCHECK)/used.elf

mbedtls-clean:
	rm -rf $(MBEDTLS_OUT)

# Dependency files are only ever produced by the compiler (-MMD -MP); the
# empty rule stops make from trying to "remake" them through built-in rules.
$(MBEDTLS_OUT)/obj/%.d: ;
-include $(MBEDTLS_OBJS:.o=.d)

# Run on its own, the default target is the library; included in another
# makefile, the including makefile's default goal is left as it was.
ifeq ($(MBEDTLS_MK_TOP),1)
.DEFAULT_GOAL := mbedtls-lib
else
.DEFAULT_GOAL := $(MBEDTLS_SAVED_GOAL)
endif
