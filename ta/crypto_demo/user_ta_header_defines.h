/* The crypto demo TA's header values (read by the TA kit). */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <crypto_demo_ta.h>

#define TA_UUID TA_CRYPTO_DEMO_UUID
/* One instance per session: each client's keys live in its own process. */
#define TA_FLAGS       0
#define TA_STACK_SIZE  (8 * 1024)
#define TA_DATA_SIZE   (32 * 1024)
#define TA_VERSION     "1.0"
#define TA_DESCRIPTION "MicroTEE crypto demo: SHA-256, AES-CBC/GCM, ECDSA P-256"

#endif
