/* Random numbers for the two services that link mbedTLS (crypto, keys):
 * an AES-256 CTR_DRBG (SP 800-90A) seeded, and reseeded every
 * MBEDTLS_CTR_DRBG_RESEED_INTERVAL requests, from the CPU's RNDR (FEAT_RNG),
 * read with `mrs x, s3_3_c2_c4_0`. RNDR sets NZCV.Z when it has no random
 * number at that moment; we retry a bounded number of times. */
#include "rng.h"

#include <string.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/platform_util.h>

#include "mt.h"

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

int rng_init(const char *pers_text)
{
	uint64_t nonce[2];
	mbedtls_entropy_init(&entropy);
	if (mbedtls_entropy_add_source(&entropy, rndr_source, 0, 32, MBEDTLS_ENTROPY_SOURCE_STRONG))
		return -1;
	mbedtls_ctr_drbg_init(&drbg);
	/* The personalisation string also carries a time stamp and a second
	 * RNDR sample: different for every start of the service. */
	unsigned char p[64 + sizeof(nonce)];
	size_t n = strlen(pers_text);
	if (n > 64)
		n = 64;
	nonce[0] = mt_time(0);
	if (rndr(&nonce[1]) != 0)
		return -1;
	memcpy(p, pers_text, n);
	memcpy(p + n, nonce, sizeof(nonce));
	return mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, p, n + sizeof(nonce));
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
	mbedtls_platform_zeroize(buf, sizeof(buf));
	return 0;
}

int rng_add(const uint8_t *in, size_t len)
{
	while (len) {
		size_t n = len < MBEDTLS_CTR_DRBG_MAX_INPUT ? len : MBEDTLS_CTR_DRBG_MAX_INPUT;
		int rc = mbedtls_ctr_drbg_update(&drbg, in, n);
		if (rc)
			return rc;
		in += n;
		len -= n;
	}
	return 0;
}
