/* The hello TA's header values, read by the kit. */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <hello_ta.h>

#define TA_UUID        TA_HELLO_UUID
#define TA_FLAGS       0 /* one instance per session */
#define TA_STACK_SIZE  (4 * 1024)
#define TA_DATA_SIZE   (16 * 1024)
#define TA_VERSION     "1.0"
#define TA_DESCRIPTION "The TA kit's example"

#endif
