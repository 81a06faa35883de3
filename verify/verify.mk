# verify/verify.mk — the runtime-verification monitors, generated at build
# time from verify/*.dot by verify/rvgen.py into $(B)/verify (never
# committed; docs/verification.md). Included by the Makefile, the unit
# tests' and the fuzzers' make files; each defines B.
#
#   RV=1 (default)          the monitors are built in; RV=0: every hook is empty
#   RV_ON_VIOLATION=stop    a violation panics the kernel or ends the service
#                           (init restarts it); =log: report, count, go on
#   RV_DROP=MODEL:STATE:EVENT  the detection tests' builds: that transition
#                           is left out of the model (tests/system/rv_detect.sh)
RV ?= 1
RV_ON_VIOLATION ?= stop
RV_OUT := $(B)/verify
RV_DOTS := $(sort $(wildcard verify/*.dot))
RV_STAMP := $(RV_OUT)/stamp
RV_NAMES := $(RV_OUT)/rv_names.c
# Debian's python3 (scripts/deps.sh), not whatever python3 comes first.
RV_PYTHON ?= /usr/bin/python3
RV_DROP ?=
RV_CPPFLAGS = -I. -I$(RV_OUT) -DRV_ENABLED=$(if $(filter 0,$(RV)),0,1) \
	-DRV_STOP=$(if $(filter log,$(RV_ON_VIOLATION)),0,1)

$(RV_STAMP): $(RV_DOTS) verify/rvgen.py $(RV_OUT)/options
	@mkdir -p $(RV_OUT)
	@echo "  RVGEN   $(RV_OUT) ($(notdir $(RV_DOTS)))$(if $(RV_DROP), without $(RV_DROP))"
	$(Q)$(RV_PYTHON) verify/rvgen.py $(foreach d,$(RV_DROP),--drop $(d)) $(RV_OUT) $(RV_DOTS)
	@touch $@
$(RV_NAMES) $(RV_OUT)/rv_models.h: $(RV_STAMP)

# The options, so that changing RV or RV_ON_VIOLATION rebuilds what reads them.
$(RV_OUT)/options: FORCE
	@mkdir -p $(RV_OUT)
	@echo '$(RV_CPPFLAGS) $(RV_DROP)' | cmp -s - $@ || echo '$(RV_CPPFLAGS) $(RV_DROP)' >$@
