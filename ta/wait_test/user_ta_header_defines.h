/* The wait test TA's header values (read by the TA kit). */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <wait_test_ta.h>

#define TA_UUID TA_WAIT_TEST_UUID
/* One instance per session: each computes or waits on its own. */
#define TA_FLAGS       0
#define TA_STACK_SIZE  (4 * 1024)
#define TA_DATA_SIZE   (16 * 1024)
#define TA_VERSION     "1.0"
#define TA_DESCRIPTION "MicroTEE wait and cancellation test TA"

#endif
