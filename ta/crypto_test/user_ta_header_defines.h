/* The crypto test TA's header values (read by the TA kit). */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <crypto_test_ta.h>

#define TA_UUID        TA_CRYPTO_TEST_UUID
#define TA_FLAGS       0
#define TA_STACK_SIZE  (32 * 1024)
#define TA_DATA_SIZE   (512 * 1024)
#define TA_VERSION     "1.0"
#define TA_DESCRIPTION "MicroTEE crypto API test vectors"
/* For the size-query tests (t_sizes.c): five bytes 01 02 03 04 05. */
/* clang-format off */
#define TA_CURRENT_TA_EXT_PROPERTIES \
	{ "org.microtee.test.blob", USER_TA_PROP_TYPE_BINARY_BLOCK, "AQIDBAU=" }
/* clang-format on */

#endif
