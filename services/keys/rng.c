/* Random numbers for the key service: the CPU's RNDR (FEAT_RNG), read with
 * `mrs x, s3_3_c2_c4_0` (NZCV.Z set: no number this time; retried a bounded
 * number of times), as mbedTLS's only entropy source, and an AES-256
 * CTR_DRBG over it for IVs and blinding. A new hardware-unique key is
 * taken from the entropy pool directly (SHA-512 of RNDR output). */
#include <string.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>

#include "keys.h"

#define RNDR_RETRIES 1000

static mbedtls_entropy_context entropy;
static mbedtls_ctr_drbg_context drbg;

static int rndr(uint64_t *out)
{
	for (int i = 0; i < RNDR_RETRIES; i++) {
		uint64_t v, ok;
		__asm__ volatile("mrs %0, s3_3_c2_c4_0\n\tcset %1, ne"
		                 : "=r"(v), "=r"(ok)
		                 :
		                 : "cc");
		if (ok) {
			*out = v;
			return 0;
		}
	}
	return -1;
}

static int rndr_source(void *ctx, unsigned char *out, size_t len, size_t *olen)
{
	(void)ctx;
	size_t done = 0;
	while (done < len) {
		uint64_t v;
		if (rndr(&v) != 0)
			return MBEDTLS_ERR_ENTROPY_SOURCE_FAILED;
		size_t n = len - done < sizeof(v) ? len - done : sizeof(v);
		memcpy(out + done, &v, n);
		done += n;
	}
	*olen = done;
	return 0;
}

int rng_init(void)
{
	static const char pers[] = "MicroTEE key service DRBG";
	mbedtls_entropy_init(&entropy);
	if (mbedtls_entropy_add_source(&entropy, rndr_source, 0, 32, MBEDTLS_ENTROPY_SOURCE_STRONG))
		return -1;
	mbedtls_ctr_drbg_init(&drbg);
	return mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy,
	                             (const unsigned char *)pers, sizeof(pers));
}

int rng_fill(void *ctx, unsigned char *out, size_t len)
{
	(void)ctx;
	while (len) {
		size_t n = len < MBEDTLS_CTR_DRBG_MAX_REQUEST ? len : MBEDTLS_CTR_DRBG_MAX_REQUEST;
		int rc = mbedtls_ctr_drbg_random(&drbg, out, n);
		if (rc)
			return rc;
		out += n;
		len -= n;
	}
	return 0;
}

int rng_entropy(uint8_t *out, size_t len)
{
	uint8_t buf[MBEDTLS_ENTROPY_BLOCK_SIZE];
	if (len > sizeof(buf) || mbedtls_entropy_func(&entropy, buf, sizeof(buf)) != 0)
		return -1;
	memcpy(out, buf, len);
	keys_wipe(buf, sizeof(buf));
	return 0;
}
