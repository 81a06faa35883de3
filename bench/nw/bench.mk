# bench/nw/bench.mk — the normal-world benchmark programs (bench/run.sh):
#   make -f bench/nw/bench.mk nw-bench      -> build/nw/bench_invoke, build/nw/bench_crypto
# Flags and the Debian sysroot come from scripts/nw/nw.mk.
include scripts/nw/nw.mk

.PHONY: nw-bench nw-bench-crypto
nw-bench: nw-bench-invoke nw-bench-crypto

# SHA-256 and AES-128-GCM: the TA (ta/crypto_bench) against AF_ALG.
nw-bench-crypto: $(NW_OUT)/bench_crypto
$(NW_OUT)/bench_crypto: $(NW_TOP)/host/nw/bench_crypto.c \
		$(NW_TOP)/ta/crypto_bench/include/crypto_bench_ta.h \
		$(NW_TOP)/include/microtee/trace_mark.h | nw-deps
	@mkdir -p $(@D)
	$(NW_CC) $(NW_CFLAGS) -Werror -o $@ $< $(NW_LDFLAGS) $(NW_LDLIBS)
