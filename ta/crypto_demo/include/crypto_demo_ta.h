/* The crypto demo TA's interface, shared by the TA and its normal-world
 * clients (host/nw/crypto_e2e.c): its UUID and commands.
 *
 * Each session has its own instance (process) and holds at most one AES
 * key and one ECDSA P-256 key pair, both living in the crypto service. */
#ifndef CRYPTO_DEMO_TA_H
#define CRYPTO_DEMO_TA_H

/* 15320bc6-c8a8-45af-b937-3d6ffbbda4fa */
/* clang-format off */
#define TA_CRYPTO_DEMO_UUID \
	{ 0x15320bc6, 0xc8a8, 0x45af, { 0xb9, 0x37, 0x3d, 0x6f, 0xfb, 0xbd, 0xa4, 0xfa } }
/* clang-format on */
#define TA_CRYPTO_DEMO_UUID_STR "15320bc6-c8a8-45af-b937-3d6ffbbda4fa"

/* Commands, with their parameters:
 * SHA256        [0] memref in: the data      [1] memref out: the 32-byte digest
 * AES_SET_KEY   the session's AES key, from the client, either as
 *               [0] memref in: 16, 24 or 32 key bytes
 *               or (AES-128) [0] value in, [1] value in: the 16 key bytes as four
 *               big-endian 32-bit words, in the order [0].a, [0].b, [1].a, [1].b
 * AES_GEN_KEY   [0] value in: a = key bits (128, 192, 256; 0: 128)
 *               [1] memref out: the key the TA generated, exported for the test
 * AES_CBC       [0] value in: a = TA_CRYPTO_DEMO_ENCRYPT or _DECRYPT
 *               [1] memref in: the 16-byte IV   [2] memref in: the data (whole blocks)
 *               [3] memref out: the result (same length)
 * AES_GCM       [0] value in: a = TA_CRYPTO_DEMO_ENCRYPT or _DECRYPT, b = nonce length
 *               [1] memref in: the nonce, then the AAD
 *               [2] memref in: encrypt: the plaintext; decrypt: ciphertext then the tag
 *               [3] memref out: encrypt: ciphertext then the tag; decrypt: the plaintext
 *               The tag is TA_CRYPTO_DEMO_GCM_TAG bytes. A tag or ciphertext that does not
 *               authenticate: TEE_ERROR_MAC_INVALID.
 * ECDSA_GEN_KEY [0] memref out: X   [1] memref out: Y (32 bytes each, big-endian)
 *               A new P-256 key pair for the session.
 * ECDSA_SIGN    [0] memref in: a 32-byte digest   [1] memref out: the signature r || s
 *               (64 bytes), with the session's key pair (ECDSA with SHA-256).
 * ECDSA_VERIFY  [0] memref in: a public key X || Y (64 bytes)   [1] memref in: the digest
 *               [2] memref in: the signature r || s -> TEE_SUCCESS or
 *               TEE_ERROR_SIGNATURE_INVALID
 * Too small an output buffer: TEE_ERROR_SHORT_BUFFER with the size needed. */
#define TA_CRYPTO_DEMO_CMD_SHA256        0
#define TA_CRYPTO_DEMO_CMD_AES_SET_KEY   1
#define TA_CRYPTO_DEMO_CMD_AES_GEN_KEY   2
#define TA_CRYPTO_DEMO_CMD_AES_CBC       3
#define TA_CRYPTO_DEMO_CMD_AES_GCM       4
#define TA_CRYPTO_DEMO_CMD_ECDSA_GEN_KEY 5
#define TA_CRYPTO_DEMO_CMD_ECDSA_SIGN    6
#define TA_CRYPTO_DEMO_CMD_ECDSA_VERIFY  7

#define TA_CRYPTO_DEMO_ENCRYPT 0
#define TA_CRYPTO_DEMO_DECRYPT 1
#define TA_CRYPTO_DEMO_GCM_TAG 16

#endif
