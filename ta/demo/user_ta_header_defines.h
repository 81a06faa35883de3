/* The demo TA's header values (read by the TA kit). */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <demo_ta.h>

#define TA_UUID TA_DEMO_UUID
/* One instance, shared by all sessions: GET_SESSION_COUNT counts them. */
#define TA_FLAGS       (TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION)
#define TA_STACK_SIZE  (4 * 1024)
#define TA_DATA_SIZE   (32 * 1024)
#define TA_VERSION     "1.0"
#define TA_DESCRIPTION "MicroTEE demo TA"

/* clang-format off */
#define TA_CURRENT_TA_EXT_PROPERTIES \
	{ "org.microtee.demo.answer", USER_TA_PROP_TYPE_U32, &(const uint32_t){ 42 } }, \
	{ "org.microtee.demo.greeting", USER_TA_PROP_TYPE_STRING, "hello" }, \
	{ "org.microtee.demo.blob", USER_TA_PROP_TYPE_BINARY_BLOCK, "AQID" }
/* clang-format on */

#endif
