/* The hostile TA's header values (read by the TA kit). */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <hostile_ta.h>

#define TA_UUID TA_HOSTILE_UUID
/* One instance per session: the victim and the attacker are two processes. */
#define TA_FLAGS       0
#define TA_STACK_SIZE  (16 * 1024)
#define TA_DATA_SIZE   (64 * 1024)
#define TA_VERSION     "1.0"
#define TA_DESCRIPTION "MicroTEE hostile TA (isolation tests)"

#endif
