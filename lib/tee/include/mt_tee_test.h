/* MicroTEE test hooks for TAs (not GlobalPlatform, not for production
 * TAs): they work only when init started the crypto service with its test
 * hooks on (system-test scenarios); otherwise they return
 * TEE_ERROR_NOT_SUPPORTED. */
#ifndef MT_TEE_TEST_H
#define MT_TEE_TEST_H

#include "tee_api_types.h"

/* Makes the crypto service crash while serving this request, as a bug in
 * it would. Returns what the TA would see for any call in progress at that
 * moment (TEE_ERROR_COMMUNICATION). init restarts the service; the next
 * call from this TA attaches again. */
TEE_Result mt_tee_test_crash_crypto(void);

/* The bytes of the crypto service's heap charged to this TA right now
 * (CRYPTO_OP_TEST_STATS). A TA that holds no object or operation must be
 * charged nothing: anything else is a leak in the service. */
TEE_Result mt_tee_test_crypto_charged(size_t *bytes);

#endif
