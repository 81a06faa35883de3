/* The keep-alive test TA's header values (read by the TA kit). */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <keepalive_test_ta.h>

#define TA_UUID TA_KEEPALIVE_TEST_UUID
/* One instance serves every session and outlives the last one. */
#define TA_FLAGS       (TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION | TA_FLAG_INSTANCE_KEEP_ALIVE)
#define TA_STACK_SIZE  (4 * 1024)
#define TA_DATA_SIZE   (16 * 1024)
#define TA_VERSION     "1.0"
#define TA_DESCRIPTION "MicroTEE keep-alive test TA"

#endif
