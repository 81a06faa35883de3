/* The crypto benchmark TA's header values (read by the TA kit). */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <crypto_bench_ta.h>

#define TA_UUID        TA_CRYPTO_BENCH_UUID
/* One instance, one session: the benchmark client opens one. */
#define TA_FLAGS       TA_FLAG_SINGLE_INSTANCE
#define TA_STACK_SIZE  (8 * 1024)
#define TA_DATA_SIZE   (128 * 1024)
#define TA_VERSION     "1.0"
#define TA_DESCRIPTION "MicroTEE crypto benchmark (SHA-256, AES-128-GCM)"

#endif
