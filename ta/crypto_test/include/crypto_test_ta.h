/* The crypto test TA's interface, shared with the program that drives it
 * (tests/progs/test_ta_crypto): its UUID and commands.
 *
 * The TA runs published test vectors for every algorithm through the GP
 * TEE Internal Core API, plus negative cases (wrong key type or size,
 * short output buffers, tampered tags, bad signatures), and reports how
 * many checks passed per algorithm. A second command makes one of the
 * calls that GP says must panic, so the driver can see the instance die. */
#ifndef CRYPTO_TEST_TA_H
#define CRYPTO_TEST_TA_H

/* 23921ad1-1fd1-480a-963a-a82f9491ca6c */
/* clang-format off */
#define TA_CRYPTO_TEST_UUID \
	{ 0x23921ad1, 0x1fd1, 0x480a, { 0x96, 0x3a, 0xa8, 0x2f, 0x94, 0x91, 0xca, 0x6c } }
/* clang-format on */
#define TA_CRYPTO_TEST_UUID_STR "23921ad1-1fd1-480a-963a-a82f9491ca6c"

/* Commands:
 * RUN     [0] value in: a = which groups (TA_CRYPTO_TEST_GROUP_* bits, 0: all but RESTART)
 *         [1] memref out: the report, one line per algorithm, NUL-terminated
 *         [2] value out: a = checks passed, b = checks failed
 *         TEE_ERROR_SHORT_BUFFER (with [1].size) if the report does not fit.
 * PANIC   [0] value in: a = which case (0 .. TA_CRYPTO_TEST_PANIC_CASES - 1)
 *         Makes a call GP says panics; if it returns, the command fails with
 *         TEE_ERROR_GENERIC. The panic code is the function's
 *         TEE_PANIC_ID_*, listed in panic_ids below. */
#define TA_CRYPTO_TEST_CMD_RUN   0
#define TA_CRYPTO_TEST_CMD_PANIC 1

#define TA_CRYPTO_TEST_GROUP_DIGEST (1U << 0)
#define TA_CRYPTO_TEST_GROUP_CIPHER (1U << 1)
#define TA_CRYPTO_TEST_GROUP_AE     (1U << 2)
#define TA_CRYPTO_TEST_GROUP_MAC    (1U << 3)
#define TA_CRYPTO_TEST_GROUP_KDF    (1U << 4)
#define TA_CRYPTO_TEST_GROUP_RSA    (1U << 5)
#define TA_CRYPTO_TEST_GROUP_EC     (1U << 6)
#define TA_CRYPTO_TEST_GROUP_MISC   (1U << 7) /* random numbers, API, negative cases */
#define TA_CRYPTO_TEST_GROUPS       8
/* Not part of "all": crashes the crypto service (which must have its test
 * hooks on) and checks what the TA sees, then that everything works again. */
#define TA_CRYPTO_TEST_GROUP_RESTART (1U << 8)

#define TA_CRYPTO_TEST_PANIC_CASES 12
/* The panic code each case ends with. */
/* clang-format off */
#define TA_CRYPTO_TEST_PANIC_IDS { \
	0x00000C03, /* TEE_FreeOperation: not an operation handle */ \
	0x00000D02, /* TEE_DigestUpdate on a cipher operation */ \
	0x00000E03, /* TEE_CipherUpdate before TEE_CipherInit */ \
	0x00000C06, /* TEE_SetOperationKey: an HMAC key for AES */ \
	0x00000C06, /* TEE_SetOperationKey: the key may not encrypt */ \
	0x00000807, /* TEE_PopulateTransientObject: no private exponent */ \
	0x00000702, /* TEE_GetObjectBufferAttribute: secret of a key that is not extractable */ \
	0x00000E01, /* TEE_CipherDoFinal: AES-ECB on 15 bytes */ \
	0x00001002, /* TEE_AEEncryptFinal on a decrypting operation */ \
	0x00001103, /* TEE_AsymmetricSignDigest on a verifying operation */ \
	0x00000F02, /* TEE_MACComputeFinal before TEE_MACInit */ \
	0x00000C06, /* TEE_SetOperationKey: a 256-bit key, operation of at most 128 */ \
}
/* clang-format on */

#endif
