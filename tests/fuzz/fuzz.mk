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
FUZZ_ALL := elf shdr fdt nslayout bootfs gateway flashstore
FUZZ_HARNESSES ?= $(FUZZ_ALL)
elf_SRCS := common/elf.c
shdr_SRCS := services/crypto/shdr.c
fdt_SRCS := monitor/fdt.c monitor/dtpatch.c
nslayout_SRCS := monitor/nslayout.c
bootfs_SRCS := common/bootfs.c
flashstore_SRCS := services/storage/flashstore.c
flashstore_DEPS := services/storage/flashstore.h $(FUZZ_DIR)/fs_fuzz.h tests/unit/fs_toy.h
# The gateway's main.c, shm.c and session.c are compiled inside the harness
# (it resets their state between inputs); the shim stands in for the kernel.
gateway_SRCS := services/gateway/nsmem.c services/common/nsmem.c $(FUZZ_DIR)/gw_shim.c
# (gateway.h's struct gw_msg puts optee_msg_arg, which ends in a flexible
# array, before its parameters: a GNU extension gcc accepts silently.)
gateway_CFLAGS := -I$(FUZZ_DIR)/shim -Wno-gnu-variable-sized-type-not-at-end
gateway_DEPS := $(wildcard services/gateway/*.c services/gateway/*.h services/common/*.h \
	$(FUZZ_DIR)/shim/*.h $(FUZZ_DIR)/gw_shim.h)

FUZZ_CFLAGS := -std=c11 -Wall -Wextra -Werror -g -O1 -I. -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_HDRS := $(wildcard kernel/*.h common/*.h include/microtee/*.h platform/qemu-virt/*.h) \
	monitor/fdt.h monitor/dtpatch.h monitor/nslayout.h

.PHONY: all FORCE
all: $(patsubst %,$(FUZZ_OUT)/fuzz_%,$(FUZZ_HARNESSES))

# Rebuild everything when the compiler or flags change.
$(FUZZ_OUT)/cflags: FORCE
	@mkdir -p $(@D)
	@echo '$(FUZZ_CC) $(FUZZ_CFLAGS)' | cmp -s - $@ || echo '$(FUZZ_CC) $(FUZZ_CFLAGS)' >$@

define fuzz_rule
$(FUZZ_OUT)/fuzz_$(1): $(FUZZ_DIR)/fuzz_$(1).c $$($(1)_SRCS) $$($(1)_DEPS) $(FUZZ_HDRS) \
		$(FUZZ_OUT)/cflags
	$(FUZZ_CC) $(FUZZ_CFLAGS) $$($(1)_CFLAGS) $(FUZZ_DIR)/fuzz_$(1).c $$($(1)_SRCS) -o $$@
endef
$(foreach h,$(FUZZ_ALL),$(eval $(call fuzz_rule,$(h))))
