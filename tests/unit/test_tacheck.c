/* services/crypto/ta_check.c: signed TA images against a public key, with
 * the host build of mbedTLS (tests/unit/mbedtls.mk). A key is made here
 * (a test RNG: this is a test, not a key anyone keeps), images are signed
 * here as host/tasign signs them, and then: the good ones pass, and every
 * one of 200000 mutants of a validly signed image (bytes changed, cut,
 * added, in every part) is refused. Each image is checked from a heap
 * block of exactly its size, under ASan. */
#include <mbedtls/platform.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha256.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "services/crypto/ta_check.h"

#define ELF_SIZE 3000

static uint64_t seed = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd(void)
{
	return harness_rand(&seed);
}

/* mbedTLS's random-number callback, from the test's generator. */
static int test_rng(void *ctx, unsigned char *out, size_t n)
{
	(void)ctx;
	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)rnd();
	return 0;
}

static const uint8_t uuid[16] = {0xd2, 0xb2, 0xc2, 0xa0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 3};

/* Signs a synthetic ELF file for `u` with `key`: the layout of ta_shdr.h. */
static size_t sign_image(mbedtls_rsa_context *key, const uint8_t u[16], uint32_t algo, uint8_t *out)
{
	struct ta_shdr h = {TA_SHDR_MAGIC,      TA_SHDR_BOOTSTRAP_TA, ELF_SIZE,
			    algo,               TA_SHDR_HASH_SIZE,    TA_SHDR_SIG_SIZE};
	struct ta_shdr_boot b;
	memcpy(b.uuid, u, 16);
	b.version = 5;
	uint8_t elf[ELF_SIZE];
	for (unsigned i = 0; i < sizeof(elf); i++)
		elf[i] = (uint8_t)(i * 7);
	uint8_t hash[32];
	mbedtls_sha256_context c;
	mbedtls_sha256_init(&c);
	mbedtls_sha256_starts(&c, 0);
	mbedtls_sha256_update(&c, (const uint8_t *)&h, sizeof(h));
	mbedtls_sha256_update(&c, (const uint8_t *)&b, sizeof(b));
	mbedtls_sha256_update(&c, elf, sizeof(elf));
	mbedtls_sha256_finish(&c, hash);
	mbedtls_sha256_free(&c);
	uint8_t sig[TA_SHDR_SIG_SIZE];
	int pss = algo == TA_SHDR_ALG_RSA_PSS_SHA256;
	mbedtls_rsa_set_padding(key, pss ? MBEDTLS_RSA_PKCS_V21 : MBEDTLS_RSA_PKCS_V15,
				MBEDTLS_MD_SHA256);
	int rc = pss ? mbedtls_rsa_rsassa_pss_sign(key, test_rng, 0, MBEDTLS_MD_SHA256, 32, hash, sig)
		     : mbedtls_rsa_pkcs1_sign(key, test_rng, 0, MBEDTLS_MD_SHA256, 32, hash, sig);
	CHECK_EQ(rc, 0);
	size_t n = 0;
	memcpy(out + n, &h, sizeof(h)), n += sizeof(h);
	memcpy(out + n, hash, sizeof(hash)), n += sizeof(hash);
	memcpy(out + n, sig, sizeof(sig)), n += sizeof(sig);
	memcpy(out + n, &b, sizeof(b)), n += sizeof(b);
	memcpy(out + n, elf, sizeof(elf)), n += sizeof(elf);
	return n;
}

static uint8_t key_n[256], key_e[4];

static enum ta_check_result check(const uint8_t *img, size_t len, const uint8_t *u)
{
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, img, len);
	struct ta_shdr_parts p;
	enum ta_check_result r = ta_check(copy, len, u, key_n, sizeof(key_n), key_e, sizeof(key_e), &p);
	if (r == TA_CHECK_OK && (p.img_off != 328 || p.img_size != ELF_SIZE || p.boot.version != 5))
		r = TA_CHECK_INTERNAL; /* (reported as a failure by the caller) */
	free(copy);
	return r;
}

int main(void)
{
	/* The service's configuration has no default allocator: the host's. */
	mbedtls_platform_set_calloc_free(calloc, free);
	mbedtls_rsa_context key, other;
	mbedtls_rsa_init(&key);
	mbedtls_rsa_init(&other);
	CHECK_EQ(mbedtls_rsa_gen_key(&key, test_rng, 0, 2048, 65537), 0);
	CHECK_EQ(mbedtls_rsa_gen_key(&other, test_rng, 0, 2048, 65537), 0);
	CHECK_EQ(mbedtls_rsa_export_raw(&key, key_n, sizeof(key_n), 0, 0, 0, 0, 0, 0, key_e,
					sizeof(key_e)),
		 0);

	static uint8_t good[4096], pkcs1[4096], foreign[4096], wrong_uuid[4096];
	size_t n = sign_image(&key, uuid, TA_SHDR_ALG_RSA_PSS_SHA256, good);
	CHECK_EQ(n, 328 + ELF_SIZE);
	CHECK_EQ(check(good, n, uuid), TA_CHECK_OK);
	CHECK_EQ(sign_image(&key, uuid, TA_SHDR_ALG_RSA_PKCS1_SHA256, pkcs1), n);
	CHECK_EQ(check(pkcs1, n, uuid), TA_CHECK_OK);
	CHECK_EQ(sign_image(&other, uuid, TA_SHDR_ALG_RSA_PSS_SHA256, foreign), n);
	CHECK_EQ(check(foreign, n, uuid), TA_CHECK_SIGNATURE);
	uint8_t u2[16];
	memcpy(u2, uuid, 16);
	u2[15] = 4;
	CHECK_EQ(sign_image(&key, u2, TA_SHDR_ALG_RSA_PSS_SHA256, wrong_uuid), n);
	CHECK_EQ(check(wrong_uuid, n, uuid), TA_CHECK_OTHER_UUID);
	CHECK_EQ(check(wrong_uuid, n, u2), TA_CHECK_OK);
	/* The algorithm field swapped: the signature does not verify. */
	uint8_t swapped[4096];
	memcpy(swapped, pkcs1, n);
	memcpy(swapped + 12, &(uint32_t){TA_SHDR_ALG_RSA_PSS_SHA256}, 4);
	CHECK(check(swapped, n, uuid) != TA_CHECK_OK);
	/* A key of another size is refused whatever it signed. */
	CHECK(ta_check(good, n, uuid, key_n + 1, sizeof(key_n) - 1, key_e, sizeof(key_e),
		       &(struct ta_shdr_parts){0}) != TA_CHECK_OK);

	/* One byte changed in each part: header, hash, signature, UUID and
	 * version, the ELF file; each position of the first 400 bytes. */
	unsigned refused = 0;
	for (size_t i = 0; i < 400; i++) {
		uint8_t m[4096];
		memcpy(m, good, n);
		m[i] ^= 0x01;
		if (check(m, n, uuid) != TA_CHECK_OK)
			refused++;
	}
	CHECK_EQ(refused, 400);

	/* 200000 mutants, none of which may pass, and none may crash. */
	unsigned passed_bad = 0, same = 0, rsa = 0;
	for (unsigned i = 0; i < 200000; i++) {
		uint8_t m[4200];
		size_t len = n;
		memcpy(m, good, n);
		unsigned edits = 1 + (unsigned)(rnd() % 3);
		for (unsigned e = 0; e < edits; e++) {
			switch (rnd() % 5) {
			case 0: /* the header and the hash */
				m[rnd() % 52] ^= (uint8_t)(1 + rnd() % 255);
				break;
			case 1: /* the signature */
				m[52 + rnd() % 256] ^= (uint8_t)(1 + rnd() % 255);
				break;
			case 2: /* anywhere */
				if (len)
					m[rnd() % len] ^= (uint8_t)(1 + rnd() % 255);
				break;
			case 3: /* cut */
				len -= rnd() % (len + 1);
				break;
			default: /* grown */
				if (len < sizeof(m) - 64)
					len += 1 + rnd() % 64;
				break;
			}
		}
		if (len == n && memcmp(m, good, n) == 0) {
			same++; /* the edits undid each other */
			continue;
		}
		enum ta_check_result r = check(m, len, uuid);
		if (r == TA_CHECK_SIGNATURE)
			rsa++;
		if (r == TA_CHECK_OK)
			passed_bad++;
	}
	CHECK_EQ(passed_bad, 0);
	CHECK(rsa > 1000); /* the signature check itself was reached many times */
	printf("tacheck: 200000 mutants of a signed image: %u passed (must be 0), %u reached the "
	       "signature check, %u unchanged\n",
	       passed_bad, rsa, same);
	mbedtls_rsa_free(&key);
	mbedtls_rsa_free(&other);
	return harness_report("tacheck");
}
