/* AES-CTS, the ciphertext-stealing mode GP's TEE_ALG_AES_CTS names (CBC
 * with ciphertext stealing, the last two blocks swapped: NIST SP 800-38A's
 * addendum CBC-CS3, as in RFC 3962), on mbedTLS's AES-CBC and ECB. The
 * message's end only: the blocks before it are plain CBC (op_sym.c). Pure
 * code over an mbedTLS context, so the host unit tests run it on RFC
 * 3962's vectors (tests/unit/test_cts.c). */
#ifndef CRYPTO_CTS_H
#define CRYPTO_CTS_H

#include <stddef.h>
#include <stdint.h>

#include <mbedtls/aes.h>

/* How many of the last `len` bytes of a message ciphertext stealing
 * changes (the last two blocks, the last one maybe partial): 16 for a
 * message of one block, else 17 to 32; 0 if len < 16 (no CTS message). */
size_t crypto_cts_tail(size_t len);
/* Encrypts or decrypts (mode: MBEDTLS_AES_ENCRYPT or _DECRYPT, the
 * direction aes was keyed for) the last len bytes of a message, len at
 * least 16, with the chaining value iv (the IV or the last ciphertext
 * block before them; updated). in and out may be the same buffer, not
 * otherwise overlap. 0 or an mbedTLS error. */
int crypto_cts_final(mbedtls_aes_context *aes, int mode, uint8_t iv[16], const uint8_t *in,
                     size_t len, uint8_t *out);

#endif
