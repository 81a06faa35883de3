/* services/common/rng.h for the service harnesses: the same CTR_DRBG
 * (mbedTLS), but seeded from a fixed "entropy source" instead of RNDR, and
 * seeded afresh for every input (fz_rng_reset), so that an input replays
 * the same way: the ids, IVs, generated keys and blinding it sees. */
#include "../../services/common/rng.h"

#include <string.h>

#include <mbedtls/ctr_drbg.h>

#include "svc_shim.h"

static mbedtls_ctr_drbg_context drbg;
static int seeded;

/* Not random at all: a counter, which is all a replayable test needs. */
static int fixed_source(void *ctx, unsigned char *out, size_t len)
{
	(void)ctx;
	for (size_t i = 0; i < len; i++)
		out[i] = (unsigned char)(i * 7 + 1);
	return 0;
}

void fz_rng_reset(void)
{
	if (seeded)
		mbedtls_ctr_drbg_free(&drbg);
	mbedtls_ctr_drbg_init(&drbg);
	static const unsigned char pers[] = "MicroTEE fuzzing harness";
	if (mbedtls_ctr_drbg_seed(&drbg, fixed_source, 0, pers, sizeof(pers) - 1) != 0)
		fz_fail("cannot seed the harness's DRBG");
	seeded = 1;
}

int rng_init(const char *pers)
{
	(void)pers;
	fz_rng_reset();
	return 0;
}

int rng_fill(void *ctx, unsigned char *out, size_t len)
{
	(void)ctx;
	while (len) {
		size_t n = len < MBEDTLS_CTR_DRBG_MAX_REQUEST ? len : MBEDTLS_CTR_DRBG_MAX_REQUEST;
		if (mbedtls_ctr_drbg_random(&drbg, out, n) != 0)
			fz_fail("the harness's DRBG failed");
		out += n;
		len -= n;
	}
	return 0;
}

int rng_entropy(uint8_t *out, size_t len)
{
	if (len > 64)
		return -1;
	return fixed_source(0, out, len);
}

int rng_add(const uint8_t *in, size_t len)
{
	while (len) {
		size_t n = len < MBEDTLS_CTR_DRBG_MAX_INPUT ? len : MBEDTLS_CTR_DRBG_MAX_INPUT;
		if (mbedtls_ctr_drbg_update(&drbg, in, n) != 0)
			fz_fail("the harness's DRBG failed");
		in += n;
		len -= n;
	}
	return 0;
}
