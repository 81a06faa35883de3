/* AES-CBC-CS3 (cts.h). For the last two blocks P1 (16 bytes) and P2 (d
 * bytes, 1 to 16): X = E(P1 ^ iv), Y = E((P2 || 0...) ^ X), and the
 * ciphertext is Y || the first d bytes of X. Decrypting, D(Y) is
 * (P2 || 0...) ^ X, which gives X's missing bytes and P2; then P1 is X
 * decrypted in CBC. */
#include "cts.h"

#include <string.h>

size_t crypto_cts_tail(size_t len)
{
	if (len < 16)
		return 0;
	if (len == 16)
		return 16;
	return 16 + (len % 16 ? len % 16 : 16);
}

int crypto_cts_final(mbedtls_aes_context *aes, int mode, uint8_t iv[16], const uint8_t *in,
                     size_t len, uint8_t *out)
{
	size_t tail = crypto_cts_tail(len);
	if (!tail)
		return MBEDTLS_ERR_AES_INVALID_INPUT_LENGTH;
	size_t lead = len - tail;
	int rc = lead ? mbedtls_aes_crypt_cbc(aes, mode, lead, iv, in, out) : 0;
	if (rc || tail == 16)
		return rc ? rc : mbedtls_aes_crypt_cbc(aes, mode, 16, iv, in + lead, out + lead);
	in += lead;
	out += lead;
	size_t d = tail - 16;
	uint8_t x[16], y[16], p2[16];
	if (mode == MBEDTLS_AES_ENCRYPT) {
		memset(p2, 0, sizeof(p2));
		memcpy(p2, in + 16, d);
		rc = mbedtls_aes_crypt_cbc(aes, mode, 16, iv, in, x); /* iv becomes X */
		if (!rc)
			rc = mbedtls_aes_crypt_cbc(aes, mode, 16, iv, p2, y); /* iv becomes Y */
		if (!rc) {
			memcpy(out, y, 16);
			memcpy(out + 16, x, d);
		}
	} else {
		uint8_t c2[16];
		memcpy(y, in, 16);
		memcpy(c2, in + 16, d);
		rc = mbedtls_aes_crypt_ecb(aes, MBEDTLS_AES_DECRYPT, y, p2); /* (P2 || 0) ^ X */
		if (!rc) {
			memcpy(x, c2, d);
			memcpy(x + d, p2 + d, 16 - d);
			for (size_t i = 0; i < d; i++)
				p2[i] ^= c2[i];
			uint8_t p1[16];
			rc = mbedtls_aes_crypt_cbc(aes, mode, 16, iv, x, p1);
			if (!rc) {
				memcpy(out, p1, 16);
				memcpy(out + 16, p2, d);
				memcpy(iv, y,
				       16); /* the last ciphertext block, as encryption leaves it */
			}
		}
	}
	return rc;
}
