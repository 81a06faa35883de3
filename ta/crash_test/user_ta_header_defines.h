/* The crash TA's header values (read by the TA kit). */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <crash_ta.h>

#define TA_UUID TA_CRASH_UUID
#define TA_FLAGS       0
#define TA_STACK_SIZE  (8 * 1024)
#define TA_DATA_SIZE   (32 * 1024)
#define TA_VERSION     "1.0"
#define TA_DESCRIPTION "MicroTEE crash TA (crash reports)"

#endif
