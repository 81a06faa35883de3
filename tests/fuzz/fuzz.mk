# tests/fuzz/fuzz.mk — the libFuzzer harnesses (host builds, clang).
#
#   make -f tests/fuzz/fuzz.mk B=build [FUZZ_HARNESSES="elf fdt"]
#
# Each harness is tests/fuzz/fuzz_<name>.c, linked with the source it
# fuzzes, built with clang under libFuzzer, AddressSanitizer and UBSan into
# $(B)/fuzz/fuzz_<name>. tests/fuzz/run.sh builds and runs them.

B ?= build
FUZZ_CC ?= clang
FUZZ_DIR := tests/fuzz
FUZZ_OUT := $(B)/fuzz
FUZZ_MK := $(lastword $(MAKEFILE_LIST))

# Harness name -> the sources under test (and host shims).
FUZZ_ALL := elf shdr fdt nslayout bootfs gateway crypto keys flashstore
FUZZ_HARNESSES ?= $(FUZZ_ALL)
elf_SRCS := common/elf.c common/pie.c
shdr_SRCS := services/crypto/shdr.c
fdt_SRCS := monitor/fdt.c monitor/dtpatch.c
nslayout_SRCS := monitor/nslayout.c
bootfs_SRCS := common/bootfs.c
flashstore_SRCS := services/storage/flashstore.c
flashstore_DEPS := services/storage/flashstore.h $(FUZZ_DIR)/fs_fuzz.h tests/unit/fs_toy.h
# The gateway's main.c, shm.c and session.c are compiled inside the harness
# (it resets their state between inputs); the shim stands in for the kernel.
gateway_SRCS := services/gateway/nsmem.c services/common/nsmem.c lib/rt/args.c $(FUZZ_DIR)/gw_shim.c
# (gateway.h's struct gw_msg puts optee_msg_arg, which ends in a flexible
# array, before its parameters: a GNU extension gcc accepts silently.)
gateway_CFLAGS := -I$(FUZZ_DIR)/shim -Wno-gnu-variable-sized-type-not-at-end
gateway_DEPS := $(wildcard services/gateway/*.c services/gateway/*.h services/common/*.h \
	$(FUZZ_DIR)/shim/*.h $(FUZZ_DIR)/gw_shim.h)

# The crypto and key services: their request handling (serve.c and what it
# calls), linked against the host's stand-ins for the kernel (svc_shim.c)
# and for RNDR (rng_shim.c), and against mbedTLS built for the host below.
# The crypto service's TA check builds in the public key of the TA signing
# key, which the main Makefile generates.
SVC_SHIMS := $(FUZZ_DIR)/svc_shim.c $(FUZZ_DIR)/rng_shim.c
SVC_DEPS := $(FUZZ_DIR)/svc_shim.h $(FUZZ_DIR)/shim/mt.h services/common/rng.h
crypto_SRCS := $(filter-out services/crypto/main.c,$(wildcard services/crypto/*.c)) $(SVC_SHIMS)
crypto_CFLAGS = -I$(FUZZ_DIR)/shim -I$(B)/gen $(FUZZ_MBEDTLS_INC)
crypto_DEPS := $(wildcard services/crypto/*.h lib/tee/include/*.h) $(SVC_DEPS) $(B)/gen/ta_pubkey.h
crypto_LIBS = $(FUZZ_MBEDTLS_LIB)
# measure.c for measure_ta and the measurements; the harness stands in for
# the flash driver it reads them from at start.
keys_SRCS := services/keys/serve.c services/keys/keys.c services/keys/measure.c $(SVC_SHIMS)
# (keys.h asks gcc for no loop-to-memset rewriting with an attribute clang
# does not know.)
keys_CFLAGS = -I$(FUZZ_DIR)/shim $(FUZZ_MBEDTLS_INC) -Wno-unknown-attributes
keys_DEPS := $(wildcard services/keys/*.h services/common/*.h lib/tee/include/*.h) $(SVC_DEPS)
keys_LIBS = $(FUZZ_MBEDTLS_LIB)

# The gateway's and the store's monitors (verify/verify.mk): a violation
# aborts the harness (tests/unit/rv_host.c), a finding like any crash.
.DEFAULT_GOAL := all
include verify/verify.mk
FUZZ_CFLAGS = -std=c11 -Wall -Wextra -Werror -g -O1 -I. $(RV_CPPFLAGS) -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_RV_SRCS := tests/unit/rv_host.c $(RV_NAMES)
FUZZ_HDRS := $(wildcard kernel/*.h common/*.h include/microtee/*.h platform/qemu-virt/*.h) \
	monitor/fdt.h monitor/dtpatch.h monitor/nslayout.h

.PHONY: all FORCE
all: $(patsubst %,$(FUZZ_OUT)/fuzz_%,$(FUZZ_HARNESSES))

# Rebuild everything when the compiler or flags change.
$(FUZZ_OUT)/cflags: FORCE
	@mkdir -p $(@D)
	@echo '$(FUZZ_CC) $(FUZZ_CFLAGS)' | cmp -s - $@ || echo '$(FUZZ_CC) $(FUZZ_CFLAGS)' >$@

# mbedTLS for the service harnesses: Debian's source (fetched into
# build/cache by services/crypto/mbedtls/mbedtls.mk, the same as the secure
# world's) with our configuration and the same modules, compiled for the
# host with clang under ASan and UBSan, but without the fuzzer's coverage
# instrumentation: the coverage that guides the fuzzer is our code's.
include services/crypto/mbedtls/mbedtls.mk
FUZZ_MBEDTLS_OUT := $(FUZZ_OUT)/mbedtls
FUZZ_MBEDTLS_LIB := $(FUZZ_MBEDTLS_OUT)/libmbedcrypto.a
FUZZ_MBEDTLS_INC := $(patsubst -I%,-isystem %,$(MBEDTLS_CPPFLAGS))
FUZZ_MBEDTLS_CFLAGS := -std=c99 -O2 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all -w $(MBEDTLS_CPPFLAGS) -I$(MBEDTLS_SRC)/library
FUZZ_MBEDTLS_OBJS := $(addprefix $(FUZZ_MBEDTLS_OUT)/obj/,$(addsuffix .o,$(MBEDTLS_MODULES)))

$(FUZZ_MBEDTLS_OUT)/obj/%.o: $(MBEDTLS_CONFIG_DIR)/mbedtls_config.h $(FUZZ_OUT)/cflags | $(MBEDTLS_STAMP)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_MBEDTLS_CFLAGS) -c $(MBEDTLS_SRC)/library/$*.c -o $@

define fuzz_rule
$(FUZZ_OUT)/fuzz_$(1): $(FUZZ_DIR)/fuzz_$(1).c $$($(1)_SRCS) $$($(1)_DEPS) $(FUZZ_HDRS) \
		$(FUZZ_OUT)/cflags $$($(1)_LIBS) $(FUZZ_RV_SRCS) $(RV_STAMP)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $$($(1)_CFLAGS) $(FUZZ_DIR)/fuzz_$(1).c $$($(1)_SRCS) \
		$(FUZZ_RV_SRCS) $$($(1)_LIBS) -o $$@
endef
$(foreach h,$(FUZZ_ALL),$(eval $(call fuzz_rule,$(h))))

$(FUZZ_MBEDTLS_LIB): $(FUZZ_MBEDTLS_OBJS)
	@rm -f $@
	ar rcsD $@ $^

# The public key the crypto service checks TA images with.
$(B)/gen/ta_pubkey.h:
	$(MAKE) --no-print-directory -f Makefile B=$(B) $@
