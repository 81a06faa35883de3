# optee.mk — what bench/optee/run.sh builds for the OP-TEE (peer) boot.
#
#   make -f bench/optee/optee.mk optee-check   -> build/optee/optee_check
#   make -f bench/optee/optee.mk optee-demo-ta -> build/optee/ta/demo/<uuid>.ta
#
# optee_check is a normal-world libteec program, built like host/nw/* with
# scripts/nw/nw.mk's flags. The demo TA is ta/demo, unmodified, built with
# Debian's optee-os-dev TA dev kit (vexpress-qemu_armv8a) and signed with the
# kit's default key (keys/default_ta.pem), as that kit does by itself; the kit
# comes from scripts/optee/fetch-build.sh (build/cache/optee/ta_dev_kit).

OPTEE_MK_DIR := $(dir $(abspath $(lastword $(MAKEFILE_LIST))))
include $(OPTEE_MK_DIR)../../scripts/nw/nw.mk

OPTEE_CACHE   ?= $(NW_CACHE)/optee
OPTEE_OUT     ?= $(NW_TOP)/build/optee
OPTEE_KIT     ?= $(OPTEE_CACHE)/ta_dev_kit
OPTEE_CROSS   ?= aarch64-linux-gnu-
# The kit signs with scripts/sign_encrypt.py: use Debian's interpreter and its
# python3-cryptography, not whatever `python3` comes first in PATH.
OPTEE_PYTHON3 ?= $(firstword $(wildcard /usr/bin/python3) python3)
DEMO_TA_UUID  := $(shell sed -n 's/^BINARY *= *//p' $(NW_TOP)/ta/demo/Makefile)
CRYPTO_TA_UUID := $(shell sed -n 's/^BINARY *= *//p' $(NW_TOP)/ta/crypto_bench/Makefile)

.PHONY: optee-deps optee-check optee-demo-ta optee-crypto-ta optee-ta-self-diff
optee-deps:
	$(NW_TOP)/scripts/optee/fetch-build.sh

optee-check: $(OPTEE_OUT)/optee_check
$(OPTEE_OUT)/optee_check: $(OPTEE_MK_DIR)optee_check.c | nw-deps
	@mkdir -p $(@D)
	$(NW_CC) $(NW_CFLAGS) -o $@ $< $(NW_LDFLAGS) $(NW_LDLIBS)

optee-ta-self-diff: $(OPTEE_OUT)/ta_self_diff
$(OPTEE_OUT)/ta_self_diff: $(OPTEE_MK_DIR)ta_self_diff.c \
		$(NW_TOP)/ta/crypto_bench/include/crypto_bench_ta.h | nw-deps
	@mkdir -p $(@D)
	$(NW_CC) $(NW_CFLAGS) -Werror -o $@ $< $(NW_LDFLAGS) $(NW_LDLIBS)

# Built from scratch every time (about a second), so that the compiler's
# warnings always land in the log; warnings are not errors (no CFG_WERROR).
optee-demo-ta: | optee-deps
	rm -rf $(OPTEE_OUT)/ta/demo
	$(MAKE) -C $(NW_TOP)/ta/demo TA_DEV_KIT_DIR=$(abspath $(OPTEE_KIT)) \
		O=$(OPTEE_OUT)/ta/demo CROSS_COMPILE=$(OPTEE_CROSS) PYTHON3=$(OPTEE_PYTHON3)
	@test -s $(OPTEE_OUT)/ta/demo/$(DEMO_TA_UUID).ta

# The crypto benchmark TA (ta/crypto_bench), the same source as make bench's:
# with this kit it times itself with CNTVCT_EL0 instead of MicroTEE's
# SYS_TIME (see the TA's source).
optee-crypto-ta: | optee-deps
	rm -rf $(OPTEE_OUT)/ta/crypto_bench
	$(MAKE) -C $(NW_TOP)/ta/crypto_bench TA_DEV_KIT_DIR=$(abspath $(OPTEE_KIT)) \
		O=$(OPTEE_OUT)/ta/crypto_bench CROSS_COMPILE=$(OPTEE_CROSS) PYTHON3=$(OPTEE_PYTHON3)
	@test -s $(OPTEE_OUT)/ta/crypto_bench/$(CRYPTO_TA_UUID).ta

# ta/installed, the TA that ta_load_insns opens cold from /lib/optee_armtz.
.PHONY: optee-installed-ta
optee-installed-ta: | optee-deps
	rm -rf $(OPTEE_OUT)/ta/installed
	$(MAKE) -C $(NW_TOP)/ta/installed TA_DEV_KIT_DIR=$(abspath $(OPTEE_KIT)) \
		O=$(OPTEE_OUT)/ta/installed CROSS_COMPILE=$(OPTEE_CROSS) PYTHON3=$(OPTEE_PYTHON3)

.DEFAULT_GOAL := optee-check
