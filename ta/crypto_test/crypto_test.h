/* Shared by the crypto test TA's files: check counting per algorithm,
 * hex decoding into scratch memory, and key and operation helpers. */
#ifndef CRYPTO_TEST_H
#define CRYPTO_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include "vectors.h"

/* Checks are counted in the current group (one per algorithm). */
void group(const char *name);
bool check_(bool ok, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define CHECK(cond, ...) check_((cond), __FILE__, __LINE__, __VA_ARGS__)
/* An algorithm the service does not offer: noted, not a failure. */
void skip(const char *why);

/* Scratch memory, freed all at once by scratch_reset. */
void scratch_reset(void);
uint8_t *scratch(size_t n);
/* Hex (spaces ignored) decoded into scratch memory. */
uint8_t *hx(const char *s, size_t *len);

/* A key of `type` from attributes; TEE_HANDLE_NULL (and a failed check) if
 * it cannot be made. */
TEE_ObjectHandle key_from(uint32_t type, uint32_t max_bits, const TEE_Attribute *a, uint32_t n);
/* A secret key (AES, HMAC, generic secret, HKDF IKM) from bytes. */
TEE_ObjectHandle secret_key(uint32_t type, const uint8_t *k, size_t len);
/* The maximum size to ask for a secret of len bytes of this type. */
uint32_t secret_max_bits(uint32_t type, size_t len);
/* An operation with a key set (key may be TEE_HANDLE_NULL for digests). */
TEE_OperationHandle op_with_key(uint32_t alg, uint32_t mode, uint32_t max_bits,
                                TEE_ObjectHandle key);
/* Digest of a buffer through the API. */
bool digest(uint32_t alg, const void *msg, size_t len, uint8_t *out, size_t *out_len);
/* Bytes of a digest algorithm's output. */
size_t digest_size(uint32_t alg);

/* The test groups (one function per family). */
void test_digests(void);
void test_ciphers(void);
void test_ae(void);
void test_macs(void);
void test_kdf(void);
void test_rsa(void);
void test_ec(void);
void test_misc(void);
void test_sizes(void); /* t_sizes.c, run by test_misc */
void test_restart(void);
TEE_Result panic_case(uint32_t n);

/* A large buffer for the tests that cross the data window (100 000 bytes). */
#define BIG_LEN 100000
extern uint8_t big_in[BIG_LEN], big_out[BIG_LEN + 64], big_out2[BIG_LEN + 64];

#endif
