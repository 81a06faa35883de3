# tests/unit/unit.mk — native (host) unit tests of the portable kernel code.
#
#   make -f tests/unit/unit.mk B=build      # build and run every suite
#
# Each suite is tests/unit/test_<name>.c, linked with harness.c and the
# kernel source it tests, built with the host gcc into $(B)/unit/test_<name>
# (under AddressSanitizer and UBSan when this host can run them; set
# UNIT_SAN= to build without). Every suite prints `<name>: N passed, M failed`;
# the last line is the sum, `N passed, M failed`, and the exit status is
# non-zero if any check failed, a suite crashed or one did not build.

B ?= build
HOSTCC ?= gcc
UNIT_DIR := tests/unit
UNIT_OUT := $(B)/unit
UNIT_MK := $(lastword $(MAKEFILE_LIST))

# Suite name -> the sources under test.
UNIT_SUITES := pmm pagetable handle elf flat rollback bootfs fmt fdt devmem nslayout shdr endpoint tacheck quota shm args flashstore fscounter reefs backtrace esr talog pie dispatch objimg sched power tatime cts
pmm_SRCS := kernel/pmm.c
pagetable_SRCS := kernel/pagetable.c
handle_SRCS := kernel/handle.c
elf_SRCS := common/elf.c
pie_SRCS := common/pie.c
dispatch_SRCS := kernel/dispatch.c
flat_SRCS := common/flat.c
rollback_SRCS := services/init/rbtable.c
talog_SRCS := services/init/talog.c
shdr_SRCS := services/crypto/shdr.c
# The TA signature check links the host build of mbedTLS (mbedtls.mk), with
# the crypto service's configuration.
tacheck_SRCS := services/crypto/ta_check.c services/crypto/shdr.c
include $(dir $(lastword $(MAKEFILE_LIST)))mbedtls.mk
tacheck_CFLAGS = $(patsubst -I%,-isystem %,$(MBEDTLS_CPPFLAGS))
tacheck_LIBS = $(MBEDTLS_HOST_LIB)
# The export image of a key object (persistent keys): the crypto service's
# headers need mbedTLS's; nothing of it is linked.
objimg_SRCS := services/crypto/objimg.c services/crypto/attrs.c
objimg_CFLAGS = $(patsubst -I%,-isystem %,$(MBEDTLS_CPPFLAGS))
# AES-CTS's stolen end over mbedTLS's AES.
cts_SRCS := services/crypto/cts.c
cts_CFLAGS = $(patsubst -I%,-isystem %,$(MBEDTLS_CPPFLAGS))
cts_LIBS = $(MBEDTLS_HOST_LIB)
bootfs_SRCS := common/bootfs.c
fmt_SRCS := common/fmt.c
fdt_SRCS := monitor/fdt.c monitor/dtpatch.c
nslayout_SRCS := monitor/nslayout.c
devmem_SRCS := kernel/devmem.c kernel/pagetable.c kernel/handle.c
endpoint_SRCS := kernel/endpoint.c kernel/handle.c kernel/kobj.c kernel/quota.c
sched_SRCS := kernel/sched.c
quota_SRCS := kernel/quota.c
shm_SRCS := kernel/shm.c kernel/handle.c kernel/kobj.c kernel/quota.c
args_SRCS := lib/rt/args.c
flashstore_SRCS := services/storage/flashstore.c
fscounter_SRCS := services/storage/fscounter.c services/storage/flashstore.c services/init/rbtable.c
reefs_SRCS := services/storage/reefs.c services/storage/flashstore.c
backtrace_SRCS := kernel/backtrace.c
esr_SRCS := common/esr.c
tatime_SRCS := lib/tee/tatime.c

UNIT_SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ifeq ($(origin UNIT_SAN),undefined)
# Use the sanitizers only if a program built with them links and runs here.
UNIT_SAN := $(shell mkdir -p $(UNIT_OUT) && \
	printf 'int main(void) { return 0; }\n' >$(UNIT_OUT)/sanprobe.c && \
	$(HOSTCC) $(UNIT_SAN_FLAGS) $(UNIT_OUT)/sanprobe.c -o $(UNIT_OUT)/sanprobe >/dev/null 2>&1 && \
	$(UNIT_OUT)/sanprobe >/dev/null 2>&1 && echo '$(UNIT_SAN_FLAGS)'; \
	rm -f $(UNIT_OUT)/sanprobe $(UNIT_OUT)/sanprobe.c)
endif

# The monitors generated from verify/*.dot (verify/verify.mk): the kernel
# and service code under test has its hooks; tests/unit/rv_host.c reports.
include verify/verify.mk
UNIT_CFLAGS = -std=c11 -Wall -Wextra -Werror -g -O1 -I. $(RV_CPPFLAGS) $(UNIT_SAN)
# A suite's reporter: tests/unit/rv_host.c (a violation aborts, or is
# recorded by a detection test), or the kernel's own, kernel/rv.c, whose
# report goes through the harness's printk and panic.
unit_rv = $(or $($(1)_RV),$(UNIT_DIR)/rv_host.c) $(RV_NAMES)
endpoint_RV := kernel/rv.c
sched_RV := kernel/rv.c
UNIT_HDRS := $(wildcard kernel/*.h common/*.h include/microtee/*.h services/*/*.h $(UNIT_DIR)/*.h) lib/rt/args.h lib/tee/tatime.h monitor/fdt.h monitor/dtpatch.h monitor/nslayout.h
UNIT_BINS := $(patsubst %,$(UNIT_OUT)/test_%,$(UNIT_SUITES))
# Each suite gets this long before it counts as hung.
UNIT_TIMEOUT ?= 120

.PHONY: all unit-bins FORCE
.DEFAULT_GOAL := all

unit-bins: $(UNIT_BINS)

# Rebuild everything when the flags change (e.g. sanitizers on or off).
$(UNIT_OUT)/cflags: FORCE
	@mkdir -p $(@D)
	@echo '$(HOSTCC) $(UNIT_CFLAGS)' | cmp -s - $@ || echo '$(HOSTCC) $(UNIT_CFLAGS)' >$@

define unit_rule
$(UNIT_OUT)/test_$(1): $(UNIT_DIR)/test_$(1).c $(UNIT_DIR)/harness.c $$($(1)_SRCS) $(UNIT_HDRS) \
		$(UNIT_OUT)/cflags $$($(1)_LIBS) $$(call unit_rv,$(1)) $(RV_STAMP)
	$(HOSTCC) $(UNIT_CFLAGS) $$($(1)_CFLAGS) $(UNIT_DIR)/test_$(1).c $(UNIT_DIR)/harness.c \
		$$($(1)_SRCS) $$(call unit_rv,$(1)) $$($(1)_LIBS) -o $$@
endef
$(foreach s,$(UNIT_SUITES),$(eval $(call unit_rule,$(s))))

# Builds (reporting a build failure as a failed check, so the summary line is
# always printed), runs each suite and adds up their summaries. A suite that
# exits non-zero without reporting a failure (a sanitizer report, a crash, a
# timeout) counts as one failure.
all:
	@pass=0; fail=0; \
	if ! $(MAKE) --no-print-directory -f $(UNIT_MK) B='$(B)' UNIT_SAN='$(UNIT_SAN)' unit-bins; then \
		echo "unit: the tests did not build"; \
		echo "0 passed, 1 failed"; exit 1; \
	fi; \
	for s in $(UNIT_SUITES); do \
		log=$(UNIT_OUT)/test_$$s.log; \
		ASAN_OPTIONS=$${ASAN_OPTIONS:-detect_leaks=1} \
		UBSAN_OPTIONS=$${UBSAN_OPTIONS:-print_stacktrace=1} \
			timeout $(UNIT_TIMEOUT) $(UNIT_OUT)/test_$$s >$$log 2>&1; rc=$$?; \
		sed "/^$$s: [0-9]* passed, [0-9]* failed$$/d" $$log; \
		line=$$(grep -E "^$$s: [0-9]+ passed, [0-9]+ failed$$" $$log | tail -n 1); \
		p=$$(echo "$$line" | awk '{print $$2 + 0}'); f=$$(echo "$$line" | awk '{print $$4 + 0}'); \
		if [ $$rc -ne 0 ] && [ $$f -eq 0 ]; then \
			echo "$$s: exited with status $$rc"; f=1; \
		fi; \
		echo "$$s: $$p passed, $$f failed"; \
		pass=$$((pass + p)); fail=$$((fail + f)); \
	done; \
	echo "$$pass passed, $$fail failed"; \
	[ $$fail -eq 0 ]
