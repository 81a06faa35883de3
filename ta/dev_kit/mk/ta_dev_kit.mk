# MicroTEE TA build kit. A TA's Makefile sets BINARY to the TA's UUID and
# includes this file, the way OP-TEE TAs include $(TA_DEV_KIT_DIR)/mk/ta_dev_kit.mk:
#
#	BINARY = 8aaaf200-2450-11e4-abe2-0002a5d5c51b
#	include $(TA_DEV_KIT_DIR)/mk/ta_dev_kit.mk
#
# and `make -C <ta folder> TA_DEV_KIT_DIR=<this kit>` builds $(O)/$(BINARY).ta:
# the TA linked with the S-EL0 runtime (lib/rt) and the GlobalPlatform API
# (lib/tee), stripped and signed (include/microtee/ta_shdr.h: OP-TEE's
# container), to install as /lib/optee_armtz/$(BINARY).ta. The stripped ELF
# alone, for the firmware's boot file system, is $(O)/$(BINARY).stripped.elf;
# the unstripped ELF is $(O)/$(BINARY).elf.
#
# The TA's folder holds user_ta_header_defines.h (TA_UUID, TA_FLAGS,
# TA_STACK_SIZE, TA_DATA_SIZE, optional TA_VERSION, TA_DESCRIPTION,
# TA_CURRENT_TA_EXT_PROPERTIES) and a sub.mk listing the sources:
#	srcs-y                  source files (.c, .S), relative to the sub.mk
#	subdirs-y               folders with a sub.mk of their own
#	global-incdirs-y, incdirs-y   include folders
#	cflags-y, cflags-<file>-y, cflags-remove-y, cflags-remove-<file>-y
# Without a sub.mk every *.c of the folder is built.
#
# The same file works in the tree (ta/dev_kit, which builds lib/rt and lib/tee
# from source) and in a kit installed with `make ta-kit DESTDIR=...` (which
# carries them prebuilt; ta/dev_kit/KIT.md).
#
# Settings (make variables):
#	O                       output folder (default: out)
#	TA_NAME                 the name the TA's log lines carry beside its UUID (default: its
#	                        folder's name, or the parent's for a folder named ta; letters,
#	                        digits, '_', '-' and '.', at most 16)
#	CFG_TEE_TA_LOG_LEVEL    0..4: which of EMSG/IMSG/DMSG/FMSG are built in (default 4, all)
#	CFG_TEE_TA_LOG_DEFAULT  0..4: which of those print unless the command line's
#	                        ta_log= says otherwise (default 2: errors and info)
#	CFG_TA_OPTEE_CORE_API_COMPAT_1_1=y   the GP v1.1 API (32-bit sizes)
#	CFG_WERROR=y            warnings are errors
#	TA_CSTD                 C dialect (default gnu11, as TAs written for OP-TEE expect)
#	libnames, libdirs       extra libraries to link (-l / -L)
#	CROSS_COMPILE           toolchain prefix (default aarch64-linux-gnu-)
#	MT_LIB_OUT              where the runtime and lib/tee are built (default $(O)/mtlib);
#	                        `make -f <kit> mt-libs` builds only them
#	TA_SIGN_KEY             the key to sign with (mk/sign.mk; default the tree's
#	                        development key); TA_VERSION_NUMBER the signed version

mt-kit-dir := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)
# The libraries are rebuilt when this file (their flags) changes.
mt-kit-mk := $(abspath $(lastword $(MAKEFILE_LIST)))
ta-dir := $(CURDIR)
# An installed kit (`make ta-kit DESTDIR=...`) carries the runtime and lib/tee
# prebuilt in lib/, their headers in include/, the signing tool in bin/ and
# the development key in keys/. Inside the tree (ta/dev_kit) they are built
# from lib/rt and lib/tee, and MT_ROOT is the tree.
mt-installed := $(if $(wildcard $(mt-kit-dir)/lib/libtee.a),y)
ifeq ($(mt-installed),y)
mt-tee-inc := $(mt-kit-dir)/include
mt-user-ld := $(mt-kit-dir)/lib/user.ld
TA_SIGN_KEY ?= $(mt-kit-dir)/keys/ta_dev_key.pem
MT_TASIGN ?= $(mt-kit-dir)/bin/tasign
MT_SIGN_RULES := 1
else
MT_ROOT := $(abspath $(mt-kit-dir)/../..)
mt-tee-inc := $(MT_ROOT)/lib/tee/include
mt-user-ld := $(MT_ROOT)/lib/rt/user.ld
endif

CROSS_COMPILE ?= $(if $(CROSS),$(CROSS),aarch64-linux-gnu-)
mt-cc := $(CROSS_COMPILE)gcc
mt-ar := $(CROSS_COMPILE)ar
mt-objcopy := $(CROSS_COMPILE)objcopy
PICOLIBC_SPECS ?= /usr/lib/picolibc/aarch64-linux-gnu/picolibc.specs

O ?= out
MT_LIB_OUT ?= $(O)/mtlib
CFG_TEE_TA_LOG_LEVEL ?= 4
CFG_TEE_TA_LOG_DEFAULT ?= 2
TA_CSTD ?= gnu11
mt-q := $(if $(V),,@)

.PHONY: all clean mt-libs
ifneq ($(BINARY),)
all: $(O)/$(BINARY).ta
	@:
else
all: mt-libs
	@:
endif
include $(mt-kit-dir)/mk/sign.mk

ifeq ($(mt-installed),y)
mt-rt-objs := $(mt-kit-dir)/lib/crt0.o $(mt-kit-dir)/lib/rt.o $(mt-kit-dir)/lib/args.o
mt-libtee := $(mt-kit-dir)/lib/libtee.a
mt-libs:
	@:
else

# ---- the runtime and the GP API library: our code, always strict C11 ----
# lib/rt and lib/tee leave the FP/SIMD registers alone (-mgeneral-regs-only):
# the crypto service uses them for the crypto extensions, and the kernel
# switches them lazily, so a TA whose own code does not touch them never
# takes the FP trap (and the save and restore) on a call to the service.
# Every function keeps a frame record, leaves too: a crash report's
# backtrace follows them (docs/debugging.md).
mt-fp-cflags := -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer
mt-lib-cflags := -std=c11 -O2 -g -Wall -Wextra -Werror -specs=$(PICOLIBC_SPECS) -fno-pie \
	-fno-pic -march=armv8-a -mgeneral-regs-only $(mt-fp-cflags) -MMD -MP -I$(MT_ROOT)/lib/rt \
	-I$(MT_ROOT)/lib/tee/include
mt-rt-objs := $(MT_LIB_OUT)/rt/crt0.o $(MT_LIB_OUT)/rt/rt.o $(MT_LIB_OUT)/rt/args.o
mt-tee-srcs := $(wildcard $(MT_ROOT)/lib/tee/*.c $(MT_ROOT)/lib/tee/*.S)
mt-tee-objs := $(patsubst $(MT_ROOT)/lib/tee/%,$(MT_LIB_OUT)/tee/%,$(basename $(mt-tee-srcs)))
mt-tee-objs := $(addsuffix .o,$(mt-tee-objs))
mt-libtee := $(MT_LIB_OUT)/libtee.a

$(MT_LIB_OUT)/rt/%.o: $(MT_ROOT)/lib/rt/%.c $(mt-kit-mk)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(mt-q)$(mt-cc) $(mt-lib-cflags) -c $< -o $@
$(MT_LIB_OUT)/rt/%.o: $(MT_ROOT)/lib/rt/%.S $(mt-kit-mk)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(mt-q)$(mt-cc) $(mt-lib-cflags) -c $< -o $@
$(MT_LIB_OUT)/tee/%.o: $(MT_ROOT)/lib/tee/%.c $(mt-kit-mk)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(mt-q)$(mt-cc) $(mt-lib-cflags) -c $< -o $@
$(MT_LIB_OUT)/tee/%.o: $(MT_ROOT)/lib/tee/%.S $(mt-kit-mk)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(mt-q)$(mt-cc) $(mt-lib-cflags) -c $< -o $@
$(mt-libtee): $(mt-tee-objs)
	@echo "  AR      $@"
	$(mt-q)rm -f $@ && $(mt-ar) rcs $@ $^

mt-libs: $(mt-rt-objs) $(mt-libtee)
	@:

-include $(mt-rt-objs:.o=.d) $(mt-tee-objs:.o=.d)
endif

ifneq ($(BINARY),)
# ---- the TA's sources, from its sub.mk files ----
mt-srcs :=
mt-incdirs :=
mt-norm = $(patsubst ./%,%,$(1))

# $(1): a folder relative to the TA's, holding a sub.mk. Records its
# sources with their per-file flags, then descends into its subdirs-y.
define mt-subdir
srcs-y :=
subdirs-y :=
global-incdirs-y :=
incdirs-y :=
cflags-y :=
cflags-remove-y :=
include $(ta-dir)/$(1)/sub.mk
mt-srcs += $$(foreach f,$$(srcs-y),$$(call mt-norm,$(1)/$$(f)))
mt-incdirs += $$(foreach d,$$(global-incdirs-y) $$(incdirs-y),$(ta-dir)/$$(call mt-norm,$(1)/$$(d)))
$$(foreach f,$$(srcs-y),$$(eval mt-cflags-$$(call mt-norm,$(1)/$$(f)) := $$(cflags-y) $$(cflags-$$(f)-y)))
$$(foreach f,$$(srcs-y),$$(eval mt-cflags-remove-$$(call mt-norm,$(1)/$$(f)) := $$(cflags-remove-y) $$(cflags-remove-$$(f)-y)))
mt-subdirs-$(1) := $$(subdirs-y)
$$(foreach d,$$(mt-subdirs-$(1)),$$(eval $$(call mt-subdir,$(1)/$$(d))))
endef

ifneq ($(wildcard $(ta-dir)/sub.mk),)
$(eval $(call mt-subdir,.))
else
mt-srcs := $(notdir $(wildcard $(ta-dir)/*.c))
endif

mt-ta-objs := $(addprefix $(O)/,$(addsuffix .o,$(basename $(mt-srcs))))

# The TA's name in its log lines (user_ta_header.c): TA_NAME, or the folder's.
mt-ta-folder := $(notdir $(abspath $(ta-dir)))
TA_NAME ?= $(if $(filter ta,$(mt-ta-folder)),$(notdir $(abspath $(ta-dir)/..)),$(mt-ta-folder))
mt-ta-name := $(shell printf '%s' '$(subst ','',$(TA_NAME))' | tr -cd 'A-Za-z0-9_.-' | cut -c1-16)
mt-header-obj := $(O)/.kit/user_ta_header.o

mt-ta-cflags := -std=$(TA_CSTD) -O2 -g -Wall -Wextra $(if $(filter y,$(CFG_WERROR)),-Werror) \
	-specs=$(PICOLIBC_SPECS) -fno-pie -fno-pic -march=armv8-a $(mt-fp-cflags) -MMD -MP \
	-DTRACE_LEVEL=$(CFG_TEE_TA_LOG_LEVEL) -DMT_TA_LOG_DEFAULT=$(CFG_TEE_TA_LOG_DEFAULT) \
	$(if $(filter y,$(CFG_TA_OPTEE_CORE_API_COMPAT_1_1)),-D__OPTEE_CORE_API_COMPAT_1_1=1) \
	-I$(ta-dir) $(addprefix -I,$(mt-incdirs)) -I$(mt-tee-inc)

# The per-file flags: $(1) is the source's path relative to the TA folder.
mt-file-cflags = $(filter-out $(mt-cflags-remove-$(1)),$(mt-ta-cflags) $(mt-cflags-$(1)))

$(O)/%.o: $(ta-dir)/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(mt-q)$(mt-cc) $(call mt-file-cflags,$*.c) -c $< -o $@
$(O)/%.o: $(ta-dir)/%.S
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(mt-q)$(mt-cc) $(call mt-file-cflags,$*.S) -c $< -o $@
$(mt-header-obj): $(mt-kit-dir)/src/user_ta_header.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(mt-q)$(mt-cc) $(mt-ta-cflags) -DMT_TA_NAME='"$(mt-ta-name)"' -c $< -o $@

# picolibc's "release" libc: the Arm optimized string functions (the
# default build's memcpy and memset go a byte at a time).
mt-ldflags := -specs=$(PICOLIBC_SPECS) --picolibc-buildtype=release -nostartfiles -static -no-pie \
	-T $(mt-user-ld) -Wl,--build-id=sha1 -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

$(O)/$(BINARY).elf: $(mt-ta-objs) $(mt-header-obj) $(mt-rt-objs) $(mt-libtee) $(mt-user-ld)
	@echo "  LD      $@"
	$(mt-q)$(mt-cc) $(mt-ldflags) $(mt-rt-objs) $(mt-ta-objs) $(mt-header-obj) \
		$(addprefix -L,$(libdirs)) -Wl,--start-group $(mt-libtee) \
		$(addprefix -l,$(libnames)) -Wl,--end-group -o $@

$(O)/$(BINARY).stripped.elf: $(O)/$(BINARY).elf
	$(mt-q)$(mt-objcopy) --strip-debug $< $@

$(O)/$(BINARY).ta: $(O)/$(BINARY).stripped.elf $(TA_SIGN_KEY) $(MT_TASIGN)
	@echo "  TA      $@ (signed with $(notdir $(TA_SIGN_KEY)))"
	$(mt-q)$(MT_TASIGN) sign $(TA_SIGN_KEY) $(BINARY) $(TA_VERSION_NUMBER) $< $@

clean:
	rm -rf $(O)

-include $(mt-ta-objs:.o=.d) $(mt-header-obj:.o=.d)
endif
