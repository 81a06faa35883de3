#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <test_compat_ta.h>

#define TA_UUID       TA_TEST_COMPAT_UUID
#define TA_FLAGS      0 /* an instance per session */
#define TA_STACK_SIZE TA_TEST_COMPAT_STACK_SIZE
#define TA_DATA_SIZE  (16 * 1024)

#endif
