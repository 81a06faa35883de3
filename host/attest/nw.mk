# host/attest/nw.mk: builds nw_attest, the Linux client of the key service
# (tests/system/keys_nw.sh runs it):  make -f host/attest/nw.mk nw-attest
include scripts/nw/nw.mk

.PHONY: nw-attest
nw-attest: $(NW_OUT)/nw_attest
$(NW_OUT)/nw_attest: $(NW_TOP)/host/attest/nw_attest.c $(NW_TOP)/ta/keys_test/include/keys_test_ta.h | nw-deps
	@mkdir -p $(@D)
	$(NW_CC) $(NW_CFLAGS) -o $@ $< $(NW_LDFLAGS) $(NW_LDLIBS)
