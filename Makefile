# MicroTEE build. `make` builds build/microtee.bin (the -bios image),
# `make run` boots it, `make check` runs every test, `make bench` measures.

CROSS ?= aarch64-linux-gnu-
CC := $(CROSS)gcc
OBJCOPY := $(CROSS)objcopy
HOSTCC ?= gcc
B := build
PICOLIBC_SPECS := /usr/lib/picolibc/aarch64-linux-gnu/picolibc.specs

# `make V=1` shows every command.
Q := $(if $(V),,@)
WARN := -Wall -Wextra -Werror
# Monitor and kernel: freestanding, no FP/SIMD (the kernel switches it
# lazily), no unaligned accesses (they run with the MMU off at first).
# -nostdinc: only the compiler's own freestanding headers (stddef.h,
# stdint.h, stdarg.h, ...) are reachable, never a hosted C library's. (A
# recursive variable: `make run` installs the compiler before it is asked.)
SW_CFLAGS = -std=c11 -O2 -g $(WARN) -ffreestanding -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) -nostdlib -fno-pie -fno-pic \
	-fno-stack-protector -mgeneral-regs-only -mstrict-align -march=armv8-a \
	-fno-omit-frame-pointer -MMD -MP
SW_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,noexecstack
# User programs: picolibc, our runtime, our linker script. Frame records in
# every function, leaves too, for the backtrace of a crash report
# (docs/debugging.md), and a build id (lib/rt/user.ld keeps its note) that
# names the ELF file scripts/symbolize is to read.
USER_FP_CFLAGS := -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer
USER_CFLAGS := -std=c11 -O2 -g $(WARN) -specs=$(PICOLIBC_SPECS) -fno-pie -fno-pic \
	-march=armv8-a $(USER_FP_CFLAGS) -MMD -MP -Ilib/rt
USER_LDFLAGS := -specs=$(PICOLIBC_SPECS) -nostartfiles -static -no-pie -T lib/rt/user.ld \
	-Wl,--build-id=sha1 -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments
# For the programs that move bulk data (the crypto service, the gateway;
# TAs get it from the TA kit): picolibc's "release" build, whose string
# functions are the Arm optimized routines. The default build's memcpy and
# memset go a byte at a time, four instructions per byte. (The release
# printf is 2 KiB larger, which the other programs need not pay.)
FAST_LIBC_LDFLAGS := --picolibc-buildtype=release

.PHONY: all deps run run-secure demo check check-fresh soak unit systest bench clean fmt verify

# Two firmware images, one kernel: build/microtee.bin, the production image
# (make run, make demo), whose boot file system holds the services and the
# demo TAs only; and build/microtee-test.bin, which adds every test program,
# test TA and benchmark (make check, make bench).
all: $(B)/microtee.bin $(B)/microtee-test.bin $(B)/flash0.img

# Runtime verification: the monitors generated from verify/*.dot (RV=1,
# the default; RV_ON_VIOLATION=stop|log), docs/verification.md.
include verify/verify.mk

deps:
	@scripts/deps.sh
	@scripts/mbedtls/build.sh >/dev/null

# ---- monitor (EL3) ----
MON_SRCS := monitor/start.S monitor/main.c monitor/smc.c monitor/psci.c monitor/context.c \
	monitor/fdt.c monitor/dtpatch.c monitor/nsboot.c monitor/nslayout.c monitor/gic.c \
	monitor/fwcfg.c common/fmt.c common/string.c common/fpsimd.S
MON_OBJS := $(patsubst %,$(B)/mon/%.o,$(MON_SRCS))

$(B)/mon/%.o: %
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(SW_CFLAGS) -c $< -o $@

# The monitor's build option: MON_SECURE_PMU=1 lets the PMU count in the
# secure state (MDCR_EL3.SPME). Off by default; `make bench` builds with it.
# Changing it rebuilds what reads it.
MON_SECURE_PMU ?= 0
MON_OPTS := -DMON_SECURE_PMU=$(MON_SECURE_PMU)
$(B)/mon/options: FORCE
	@mkdir -p $(dir $@)
	@echo '$(MON_OPTS)' | cmp -s - $@ || echo '$(MON_OPTS)' >$@
$(B)/mon/monitor/main.c.o: $(B)/mon/options
$(B)/mon/monitor/main.c.o: SW_CFLAGS += $(MON_OPTS)

# One payload (kernel + boot file system) per image: "" production, -test.
define image_rule
$(B)/mon/monitor/payload$(1).S.o: monitor/payload.S $(B)/kernel.bin $(B)/bootfs$(1).img
	@mkdir -p $$(dir $$@)
	@echo "  CC      $$@"
	$(Q)$(CC) $$(SW_CFLAGS) -DKERNEL_BIN='"$(B)/kernel.bin"' -DBOOTFS_BIN='"$(B)/bootfs$(1).img"' -c $$< -o $$@

$(B)/monitor$(1).elf: $(MON_OBJS) $(B)/mon/monitor/payload$(1).S.o monitor/monitor.ld
	@echo "  CC      $$@"
	$(Q)$(CC) $$(SW_LDFLAGS) -Wl,--no-warn-rwx-segments -T monitor/monitor.ld $(MON_OBJS) $(B)/mon/monitor/payload$(1).S.o -o $$@

$(B)/microtee$(1).bin: $(B)/monitor$(1).elf
	@echo "  BIN     $$@"
	$(Q)$(OBJCOPY) -O binary $$< $$@
endef
$(eval $(call image_rule,))
$(eval $(call image_rule,-test))

# The 64 MiB secure flash0 QEMU runs from (scripts/run-qemu.sh): the build
# rewrites its firmware part and never its key area, so the device keeps its
# hardware-unique key from build to build (scripts/mkflash.sh).
$(B)/flash0.img: $(B)/microtee.bin scripts/mkflash.sh
	@echo "  FLASH   $@"
	$(Q)scripts/mkflash.sh $@ $<

# ---- microkernel (S-EL1) ----
KERNEL_SRCS := kernel/arch/aarch64/entry.S kernel/arch/aarch64/arch.c kernel/arch/aarch64/mmu.c \
	kernel/main.c kernel/console.c kernel/pmm.c kernel/pagetable.c kernel/handle.c \
	common/flat.c common/bootfs.c kernel/process.c kernel/thread.c kernel/sched.c \
	kernel/endpoint.c kernel/shm.c kernel/devmem.c kernel/kobj.c kernel/quota.c kernel/syscall.c \
	kernel/nwentry.c kernel/backtrace.c kernel/dispatch.c kernel/smp.c kernel/rv.c \
	common/fmt.c common/string.c common/fpsimd.S $(RV_NAMES)
KERNEL_OBJS := $(patsubst %,$(B)/kern/%.o,$(KERNEL_SRCS))
$(KERNEL_OBJS): SW_CFLAGS += $(RV_CPPFLAGS)
$(KERNEL_OBJS): $(RV_STAMP) $(RV_OUT)/options

$(B)/kern/%.o: %
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(SW_CFLAGS) -c $< -o $@

$(B)/kernel.elf: $(KERNEL_OBJS) kernel/kernel.ld
	@echo "  CC      $@"
	$(Q)$(CC) $(SW_LDFLAGS) -T kernel/kernel.ld $(KERNEL_OBJS) -lgcc -o $@

$(B)/kernel.bin: $(B)/kernel.elf
	@echo "  BIN     $@"
	$(Q)$(OBJCOPY) -O binary $< $@

# ---- user programs (S-EL0) ----
RT_SRCS := lib/rt/crt0.S lib/rt/rt.c lib/rt/args.c
RT_OBJS := $(patsubst %,$(B)/user/%.o,$(RT_SRCS))

# Every program is a folder of C files; its name is the folder's.
PROGRAM_DIRS := services/init services/flash services/echo services/counter services/client services/gateway \
	services/crypto services/keys services/rpc services/storage services/utee \
	tests/progs/test_fault tests/progs/test_ipc tests/progs/test_fuzz tests/progs/test_flash \
	tests/progs/test_sched tests/progs/test_mem tests/progs/test_ta tests/progs/test_crypto \
	tests/progs/test_ta_crypto tests/progs/test_hostile tests/progs/test_keys tests/progs/test_gone \
	tests/progs/test_storage tests/progs/test_crash tests/progs/test_dispatch bench/ipc_bench
PROGRAMS := $(notdir $(PROGRAM_DIRS))

$(B)/user/%.o: %
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

# A program may add sources from elsewhere ($(name)_SRCS), libraries
# ($(name)_LIBS) and link flags ($(name)_LDFLAGS).
crypto_SRCS := services/common/rng.c
keys_SRCS := services/common/rng.c services/common/flash_client.c
gateway_SRCS := services/common/nsmem.c
init_SRCS := common/elf.c common/pie.c common/esr.c common/bootfs.c services/common/flash_client.c
rpc_SRCS := services/common/nsmem.c
test_flash_SRCS := services/common/flash_client.c
storage_SRCS := services/common/flash_client.c services/common/rv.c $(RV_NAMES)
# The services with monitors (verify/session.dot, instance.dot, commit.dot).
gateway_SRCS += services/common/rv.c $(RV_NAMES)
RV_USER_OBJS := $(patsubst %,$(B)/user/%.o,$(wildcard services/gateway/*.c services/storage/*.c) \
	services/common/rv.c $(RV_NAMES))
$(RV_USER_OBJS): USER_CFLAGS += $(RV_CPPFLAGS)
$(RV_USER_OBJS): $(RV_STAMP) $(RV_OUT)/options
# The OP-TEE personality (services/utee): a TA runtime, lib/tee as the TA
# kit builds it (general registers only), under OP-TEE's binary TAs.
utee_LIBS := $(abspath $(B))/ta-lib/libtee.a
utee_LDFLAGS := $(FAST_LIBC_LDFLAGS)
$(B)/user/services/utee/%.o: USER_CFLAGS += -Ilib/tee/include -mgeneral-regs-only
$(abspath $(B))/ta-lib/libtee.a: $(wildcard lib/tee/*.c lib/tee/*.S lib/tee/*.h lib/tee/include/*.h lib/rt/*.c lib/rt/*.S lib/rt/*.h) ta/dev_kit/mk/ta_dev_kit.mk
	$(Q)$(MAKE) --no-print-directory -f ta/dev_kit/mk/ta_dev_kit.mk mt-libs MT_LIB_OUT=$(abspath $(B))/ta-lib
define program_rule
$(1)_OBJS := $$(patsubst %,$(B)/user/%.o,$$(wildcard $(2)/*.c $(2)/*.S) $$($(1)_SRCS))
$(B)/progs/$(1).elf: $$($(1)_OBJS) $(RT_OBJS) $$($(1)_LIBS) lib/rt/user.ld
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	$(Q)$$(CC) $$(USER_LDFLAGS) $$($(1)_LDFLAGS) $(RT_OBJS) $$($(1)_OBJS) $$($(1)_LIBS) -o $$@
endef

# The crypto service, the only program that links a crypto library:
# mbedTLS 3.6 from Debian's source package, with our configuration, fetched
# and built into $(B)/cache on first use (services/crypto/mbedtls/). Its
# headers are system headers here: our -Werror is for our code.
include services/crypto/mbedtls/mbedtls.mk
CRYPTO_CPPFLAGS := -isystem $(MBEDTLS_CONFIG_DIR) -isystem $(MBEDTLS_SRC)/include \
	-DMBEDTLS_CONFIG_FILE='<mbedtls_config.h>'
$(B)/user/services/crypto/%.o $(B)/user/services/common/%.o: USER_CFLAGS += $(CRYPTO_CPPFLAGS)
$(patsubst %,$(B)/user/%.o,$(wildcard services/crypto/*.c services/common/*.c)): | $(MBEDTLS_STAMP)
crypto_LIBS := $(MBEDTLS_LIB)
crypto_LDFLAGS := -Wl,--gc-sections $(FAST_LIBC_LDFLAGS)
gateway_LDFLAGS := $(FAST_LIBC_LDFLAGS)
# The gateway never needs FP/SIMD: built with general registers only, its
# threads never take the FP registers from the TA they call (a lazy FP
# trap and a save and restore, three times per null invoke otherwise).
# Its locks' atomics are inline (ldaxr/stxr), not libgcc's out-of-line
# helpers, which test for LSE on every call. (The flags are in this file:
# a change to it recompiles them.)
GW_FP_OBJS := $(patsubst %,$(B)/user/%.o,$(wildcard services/gateway/*.c) services/common/nsmem.c)
$(GW_FP_OBJS): USER_CFLAGS += -mgeneral-regs-only -mno-outline-atomics
$(GW_FP_OBJS): Makefile
# The key service links the same library: it keeps the hardware-unique key
# and everything derived from it in its own address space.
$(B)/user/services/keys/%.o: USER_CFLAGS += $(CRYPTO_CPPFLAGS)
$(patsubst %,$(B)/user/%.o,$(wildcard services/keys/*.c)): | $(MBEDTLS_STAMP)
keys_LIBS := $(MBEDTLS_LIB)
keys_LDFLAGS := -Wl,--gc-sections $(FAST_LIBC_LDFLAGS)

# mbedTLS's configuration decides the layout of its structures, and -MMD
# does not list -isystem headers: a change to it recompiles what links it.
$(patsubst %,$(B)/user/%.o,$(wildcard services/crypto/*.c services/keys/*.c services/common/*.c)): \
	services/crypto/mbedtls/mbedtls_config.h

$(foreach d,$(PROGRAM_DIRS),$(eval $(call program_rule,$(notdir $(d)),$(d))))

$(B)/host/mkbootfs: host/mkbootfs.c include/microtee/bootfs.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -O2 $(WARN) $< -o $@

# init is the one program the kernel loads itself, from a flat image
# (include/microtee/flat.h) made here: the kernel has no ELF code.
$(B)/host/mkflat: host/mkflat.c common/elf.c common/flat.c common/elf.h common/flat.h \
		include/microtee/flat.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -std=c11 -O2 $(WARN) host/mkflat.c common/elf.c common/flat.c -o $@
$(B)/progs/init.flat: $(B)/progs/init.elf $(B)/host/mkflat
	@echo "  FLAT    $@"
	$(Q)$(B)/host/mkflat $< $@

# The attestation verifier (host/attest): a native host tool over OpenSSL's
# libcrypto (libssl-dev, which scripts/deps.sh installs).
$(B)/host/attest: host/attest/attest.c include/microtee/key_ipc.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -std=c11 -O2 $(WARN) $< -o $@ -lcrypto
ifneq ($(wildcard /usr/include/openssl/evp.h),)
all: $(B)/host/attest
endif

# The production image's programs: the services, nothing for tests.
PROD_PROGRAMS := init flash gateway crypto keys rpc storage utee
# A program's boot file system entry: init's flat image, every other ELF file
# without its debug sections (as the TAs' entries are): init copies a whole
# file to load it, and its headroom is twice the largest one. The build id
# note stays, so scripts/symbolize and make debug read $(B)/progs/NAME.elf.
bootfs_file = $(B)/progs/$(1).$(if $(filter init,$(1)),flat,stripped.elf)
$(B)/progs/%.stripped.elf: $(B)/progs/%.elf
	$(Q)$(OBJCOPY) --strip-debug $< $@
$(B)/bootfs.img: $(B)/host/mkbootfs $(foreach p,$(PROD_PROGRAMS),$(call bootfs_file,$(p)))
	@echo "  BOOTFS  $@ (production)"
	$(Q)$(B)/host/mkbootfs $@ $(foreach p,$(PROD_PROGRAMS),$(p)=$(call bootfs_file,$(p))) $(TA_BOOTFS_ARGS_PROD)
$(B)/bootfs-test.img: $(B)/host/mkbootfs $(foreach p,$(PROGRAMS),$(call bootfs_file,$(p)))
	@echo "  BOOTFS  $@ (tests)"
	$(Q)$(B)/host/mkbootfs $@ $(foreach p,$(PROGRAMS),$(p)=$(call bootfs_file,$(p))) $(TA_BOOTFS_ARGS)

# ---- trusted applications: lib/tee and every TA under ta/ ----
# Each ta/<name>/ with a Makefile is a TA built by the TA kit
# (ta/dev_kit/mk/ta_dev_kit.mk) into $(B)/ta/<name>/<uuid>.ta and packed into
# the boot file system as <uuid>.ta. The kit builds lib/rt and lib/tee once
# into $(B)/ta-lib before the TAs (so parallel TA builds share them).
TA_KIT := ta/dev_kit/mk/ta_dev_kit.mk
TA_LIB_OUT := $(abspath $(B))/ta-lib
TA_DIRS := $(patsubst %/Makefile,%,$(filter-out ta/dev_kit/%,$(wildcard ta/*/Makefile)))
ta_uuid = $(strip $(shell sed -n 's/^BINARY[ \t]*[:?]*=[ \t]*//p' $(1)/Makefile))
TA_IMAGES := $(foreach d,$(TA_DIRS),$(B)/ta/$(notdir $(d))/$(call ta_uuid,$(d)).ta)
# The boot file system holds each TA's stripped ELF as <uuid>.ta, except for
# TAs whose Makefile says `MT_BOOTFS = no`: those exist only as signed images
# for the normal world's /lib/optee_armtz.
ta_in_bootfs = $(if $(shell grep -Eq '^MT_BOOTFS[ \t]*[:?]*=[ \t]*no' $(1)/Makefile && echo no),,$(1))
TA_BOOTFS_DIRS := $(foreach d,$(TA_DIRS),$(call ta_in_bootfs,$(d)))
ta_bootfs_arg = $(call ta_uuid,$(1)).ta=$(B)/ta/$(notdir $(1))/$(call ta_uuid,$(1)).stripped.elf
TA_BOOTFS_ARGS = $(foreach d,$(TA_BOOTFS_DIRS),$(call ta_bootfs_arg,$(d)))
# The production image's TAs: the demos. Test TAs go in the test image only.
PROD_TA_DIRS := ta/demo ta/crypto_demo
TA_BOOTFS_ARGS_PROD = $(foreach d,$(filter $(PROD_TA_DIRS),$(TA_BOOTFS_DIRS)),$(call ta_bootfs_arg,$(d)))

# Signing (ta/dev_kit/mk/sign.mk): the key, the tool, and the public key the
# crypto service builds in to verify TAs from the normal world.
MT_ROOT := $(CURDIR)
include ta/dev_kit/mk/sign.mk
TA_PUBKEY_H := $(B)/gen/ta_pubkey.h
$(TA_PUBKEY_H): $(TA_SIGN_KEY) $(MT_TASIGN)
	@mkdir -p $(dir $@)
	@echo "  PUBKEY  $@"
	$(Q)$(MT_TASIGN) pubkey $(TA_SIGN_KEY) $@.tmp && mv $@.tmp $@
# OP-TEE's default development key, accepted beside ours so that OP-TEE's
# TA binaries (Debian's optee-test-qemu) load unchanged: its public half,
# which scripts/xtest/fetch.sh takes from Debian's optee-os-dev (a download
# on a fresh machine, like mbedTLS's source; a clear error without one).
OPTEE_TA_KEY ?= $(B)/cache/xtest/optee_ta_key.pem
OPTEE_TA_PUBKEY_H := $(B)/gen/optee_ta_pubkey.h
$(OPTEE_TA_KEY):
	@echo "  FETCH   $@ (scripts/xtest/fetch.sh)"
	$(Q)scripts/xtest/fetch.sh >/dev/null || { echo "OP-TEE's TA key: scripts/xtest/fetch.sh failed (it needs the Debian mirror)" >&2; exit 1; }
	$(Q)test -s $@ || { echo "OP-TEE's TA key: no $@ after scripts/xtest/fetch.sh" >&2; exit 1; }
$(OPTEE_TA_PUBKEY_H): $(OPTEE_TA_KEY) $(MT_TASIGN)
	@mkdir -p $(dir $@)
	@echo "  PUBKEY  $@ (OP-TEE's development key)"
	$(Q)$(MT_TASIGN) pubkey $(OPTEE_TA_KEY) $@.tmp optee_ta_pubkey && mv $@.tmp $@
$(B)/user/services/crypto/ta_verify.c.o: $(TA_PUBKEY_H) $(OPTEE_TA_PUBKEY_H)
$(B)/user/services/crypto/ta_verify.c.o: USER_CFLAGS += -I$(B)/gen

.PHONY: ta-libs tas FORCE
# After the rule of the same library for utee (above), never beside it: two
# kit runs at once into one folder corrupt the archive under make -j.
ta-libs: $(abspath $(B))/ta-lib/libtee.a
	$(Q)$(MAKE) --no-print-directory -f $(TA_KIT) mt-libs MT_LIB_OUT=$(TA_LIB_OUT)

# The kit decides what to rebuild, so it always runs; the boot file system
# is repacked only if a TA image changed.
define ta_rule
$(B)/ta/$(notdir $(1))/$(2).ta: ta-libs $(TA_SIGN_KEY) $(MT_TASIGN) FORCE
	$(Q)$$(MAKE) --no-print-directory -C $(1) TA_DEV_KIT_DIR=$(abspath ta/dev_kit) \
		O=$(abspath $(B))/ta/$(notdir $(1)) MT_LIB_OUT=$(TA_LIB_OUT) CFG_WERROR=y TA_CSTD=c11
endef
$(foreach d,$(TA_DIRS),$(eval $(call ta_rule,$(d),$(call ta_uuid,$(d)))))

# make ta-kit DESTDIR=DIR: the TA development kit, self-contained, for TAs
# and clients built outside this tree (ta/dev_kit/KIT.md is its README;
# tests/system/ta_kit.sh builds and runs its example from a copy).
.PHONY: ta-kit
ta-kit: ta-libs $(TA_SIGN_KEY) $(MT_TASIGN)
	@test -n "$(DESTDIR)" || { echo "usage: make ta-kit DESTDIR=/path/to/kit"; exit 2; }
	$(Q)rm -rf $(DESTDIR) && mkdir -p $(addprefix $(DESTDIR)/,mk include lib src bin keys)
	$(Q)cp ta/dev_kit/mk/ta_dev_kit.mk ta/dev_kit/mk/sign.mk $(DESTDIR)/mk/
	$(Q){ echo "# Installed by make ta-kit: the sysroot of the tree the kit came from."; \
	  echo "NW_SYSROOT ?= $(abspath $(B))/cache/nw-sysroot"; cat scripts/nw/client.mk; } \
	  >$(DESTDIR)/mk/client.mk
	$(Q)cp lib/tee/include/*.h $(DESTDIR)/include/
	$(Q)cp $(addprefix $(TA_LIB_OUT)/rt/,crt0.o rt.o args.o) $(TA_LIB_OUT)/libtee.a lib/rt/user.ld \
	  $(DESTDIR)/lib/
	$(Q)cp ta/dev_kit/src/user_ta_header.c $(DESTDIR)/src/
	$(Q)cp $(MT_TASIGN) $(DESTDIR)/bin/tasign
	$(Q)install -m 600 $(TA_SIGN_KEY) $(DESTDIR)/keys/ta_dev_key.pem
	$(Q)cp -r ta/dev_kit/examples $(DESTDIR)/examples
	$(Q)cp ta/dev_kit/KIT.md $(DESTDIR)/README.md
	@echo "  KIT     $(DESTDIR) (README.md)"

tas: $(TA_IMAGES)
$(B)/bootfs.img $(B)/bootfs-test.img: $(TA_IMAGES)
clean: clean-ta
.PHONY: clean-ta
clean-ta:
	rm -rf $(B)/ta $(B)/ta-lib

# ---- normal-world test payload (NS-EL1, bare metal) ----
NWTEST_SRCS := tests/nwtest/start.S tests/nwtest/main.c common/fmt.c common/string.c common/fpsimd.S \
	monitor/fdt.c
NWTEST_OBJS := $(patsubst %,$(B)/nwtest/%.o,$(NWTEST_SRCS))

$(B)/nwtest/%.o: %
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(SW_CFLAGS) -c $< -o $@

$(B)/nwtest.elf: $(NWTEST_OBJS) tests/nwtest/nwtest.ld
	@echo "  CC      $@"
	$(Q)$(CC) $(SW_LDFLAGS) -Wl,--no-warn-rwx-segments -T tests/nwtest/nwtest.ld $(NWTEST_OBJS) -lgcc -o $@

$(B)/nwtest.bin: $(B)/nwtest.elf
	@echo "  BIN     $@"
	$(Q)$(OBJCOPY) -O binary $< $@

all: $(B)/nwtest.bin

# ---- running and testing ----
# make run: MicroTEE + Debian's Linux, a shell on this terminal with the
# demo client installed; the secure console goes to build/secure-console.log.
run: deps all
	CMDLINE="$(CMDLINE)" scripts/nw-run.sh

# make demo: the same, unattended; exits 0 only if every demo step succeeded.
demo: deps all
	scripts/nw-run.sh --demo

# make debug: make run's boot under QEMU's gdbstub, stopped at reset, with
# gdb-multiarch attached; make debug-secure [CMDLINE=...]: the same for the
# secure world alone on the test image (scripts/debug.sh, docs/debugging.md).
.PHONY: debug debug-secure
debug: deps all
	scripts/debug.sh
debug-secure: deps all
	scripts/debug.sh --secure "$(CMDLINE)"

# make trace [TRACE="null" | "sha256 BYTES" | "-- CMD ..."]: the trace of one
# call through every layer, in instructions (scripts/trace.sh,
# docs/debugging.md "Tracing a call"); default: sha256 16.
.PHONY: trace
trace: deps all
	scripts/trace.sh $(TRACE)

# make run-secure [CMDLINE="test=NAME"]: the secure world alone, its console here.
run-secure: deps all
	scripts/run-qemu.sh $(B)/microtee-test.bin "$(CMDLINE)"

unit: deps
	@$(MAKE) --no-print-directory -f tests/unit/unit.mk B=$(B)

systest: deps all
	@tests/system/run.sh $(B)/microtee-test.bin

check: deps
	@$(MAKE) --no-print-directory all
	@tests/check.sh $(B)

# make fuzz [FUZZ_SECONDS=300]: each libFuzzer harness (tests/fuzz/) for
# FUZZ_SECONDS, from its committed seeds; make check runs them briefly.
.PHONY: fuzz
fuzz: deps
	@tests/fuzz/run.sh $(B) $(or $(FUZZ_SECONDS),300)

# make soak [SOAK_FUZZ_SECONDS=60]: the long runs make check has no time
# for (tests/soak.sh): test=fuzz with 10^6 system calls at a fresh seed,
# the normal-world message fuzzer (make nw-fuzz), and every libFuzzer
# harness for SOAK_FUZZ_SECONDS. CI runs it.
SOAK_FUZZ_SECONDS ?= 60
soak: deps
	@$(MAKE) --no-print-directory all
	@SOAK_FUZZ_SECONDS=$(SOAK_FUZZ_SECONDS) tests/soak.sh $(B)

# make nw-fuzz [FUZZ_CALLS=1000000] [FUZZ_SEED=S]: the normal-world message
# fuzzer, a module of Debian's kernel driving the OP-TEE SMC ABI from both
# CPUs (tests/system/nw_fuzz.sh); too long for make check, part of the soak.
.PHONY: nw-fuzz
nw-fuzz: deps
	@$(MAKE) --no-print-directory all
	@tests/system/nw_fuzz.sh $(B)/microtee-test.bin

# make xtest [XTEST_CASES="1001 4007_ecc"] [XTEST_TIMEOUT=120]: OP-TEE's own
# regression suite (Debian's optee-test-qemu: xtest and its TAs, unmodified)
# from Linux against the production image, one case at a time
# (tests/system/xtest.sh, docs/xtest.md). make xtest-optee: the same against
# the OP-TEE peer stack (bench/optee), for comparison; not in make check.
.PHONY: xtest xtest-optee
xtest: deps
	@$(MAKE) --no-print-directory all
	@XTEST_CASES="$(XTEST_CASES)" XTEST_TIMEOUT="$(XTEST_TIMEOUT)" tests/system/xtest.sh $(B)/microtee.bin
# CI's gate: make xtest's whole run, held against tests/xtest/passing.txt.
.PHONY: xtest-gate
xtest-gate: deps
	@$(MAKE) --no-print-directory all
	@scripts/xtest/gate.sh
xtest-optee: deps
	@XTEST_CASES="$(XTEST_CASES)" XTEST_TIMEOUT="$(XTEST_TIMEOUT)" tests/system/xtest.sh --optee

# The power-cut plugin for QEMU (host/powercut, tests/system/power.sh): a
# shared object for the host's QEMU, against the plugin header of Debian's
# qemu source (scripts/power/fetch-plugin-header.sh, into $(B)/cache).
$(B)/host/powercut.so: host/powercut/powercut.c scripts/power/fetch-plugin-header.sh
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)inc=$$(scripts/power/fetch-plugin-header.sh) && \
		$(HOSTCC) -std=c11 -O2 $(WARN) -shared -fPIC -I"$$inc" $< -o $@

# make power: the full power-cut run (tests/system/power.sh full: >= 200
# cut points on the flash and on the normal world's disk); make check runs
# its quick subset. CI runs it (.ci/run).
.PHONY: power
power: deps
	@$(MAKE) --no-print-directory all $(B)/host/powercut.so
	@tests/system/power.sh full $(B)/microtee-test.bin

# make check-fresh: the README's commands in a fresh Debian 12 root
# (debootstrap), with the same pass count as here (scripts/fresh-check.sh).
check-fresh:
	@scripts/deps.sh fresh
	@scripts/fresh-check.sh

# The benchmark counts both worlds: its image is built with MON_SECURE_PMU=1
# (the next `make` rebuilds the default one).
# Runtime verification and model checking (verify/check.sh,
# docs/verification.md): the generator's tests, SPIN, the monitors'
# detection tests. make check runs it too.
verify: deps
	@$(MAKE) --no-print-directory all
	@verify/check.sh $(B)

# The monitors' cost: ipc and invoke round trips with RV=0 and RV=1.
.PHONY: bench-rv
bench-rv: deps
	@bench/rv.sh

bench: deps
	@$(MAKE) --no-print-directory all MON_SECURE_PMU=1
	@bench/run.sh $(B)/microtee-test.bin

# Reformat our own C sources with the house .clang-format.
fmt:
	clang-format -i $$(git ls-files '*.c' '*.h')

# The device's flash image (its hardware-unique key) survives: delete
# $(B)/flash0.img for a new device.
clean:
	rm -rf $(B)/unit $(B)/test-logs $(B)/mon $(B)/kern $(B)/nwtest $(B)/nwtest.* $(B)/user $(B)/progs $(B)/host $(B)/*.elf $(B)/*.bin $(B)/bootfs.img $(B)/bootfs-test.img

-include $(shell find $(B)/mon $(B)/kern $(B)/user $(B)/nwtest -name '*.d' 2>/dev/null)
