/* libFuzzer harness: services/crypto/shdr.c ta_shdr_parse, the layout check
 * of a signed TA image from the normal world. Its answer is compared with
 * a model written from include/microtee/ta_shdr.h, and an accepted image's
 * parts must tile the buffer exactly. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "include/microtee/ta_shdr.h"

/* A broken promise: say which, then abort (the fuzzer saves the input). */
static void broken(const char *what, int line)
{
	fprintf(stderr, "fuzz_shdr.c:%d: broken: %s\n", line, what);
	abort();
}
#define require(ok) ((ok) ? (void)0 : broken(#ok, __LINE__))

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The format's rule, field by field, in 64-bit arithmetic. */
static int model_accepts(const uint8_t *b, size_t len)
{
	if (len < 20)
		return 0;
	uint32_t magic = le32(b), type = le32(b + 4), img = le32(b + 8), algo = le32(b + 12);
	uint32_t hash = (uint32_t)b[16] | (uint32_t)b[17] << 8, sig = (uint32_t)b[18] | (uint32_t)b[19] << 8;
	if (magic != TA_SHDR_MAGIC || type != TA_SHDR_BOOTSTRAP_TA || img == 0 ||
	    (algo != TA_SHDR_ALG_RSA_PSS_SHA256 && algo != TA_SHDR_ALG_RSA_PKCS1_SHA256) ||
	    hash != TA_SHDR_HASH_SIZE || sig != TA_SHDR_SIG_SIZE)
		return 0;
	return (uint64_t)len == 20ULL + hash + sig + 20ULL + img;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ta_shdr_parts p;
	memset(&p, 0xa5, sizeof(p));
	int rc = ta_shdr_parse(data, size, &p);
	require(rc == 0 || rc == -1);
	require((rc == 0) == model_accepts(data, size));
	if (rc != 0)
		return 0;
	require(p.hash_off == sizeof(struct ta_shdr));
	require(p.sig_off == p.hash_off + p.hdr.hash_size);
	require(p.boot_off == p.sig_off + p.hdr.sig_size);
	require(p.img_off == p.boot_off + sizeof(struct ta_shdr_boot));
	require(p.img_size == p.hdr.img_size && p.img_off + p.img_size == size);
	require(memcmp(&p.hdr, data, sizeof(p.hdr)) == 0);
	require(memcmp(&p.boot, data + p.boot_off, sizeof(p.boot)) == 0);
	return 0;
}
