global-incdirs-y += include
# lib/rt's mt.h, for the counter (mt_time) the TA times itself with.
incdirs-y += ../../lib/rt
srcs-y += crypto_bench_ta.c
