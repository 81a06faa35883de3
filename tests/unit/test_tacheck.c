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

/* ---- OP-TEE's subkeys (ta_shdr.h) ---- */

/* The namespace UUIDs of OP-TEE's own subkey chain in optee_test's
 * subkey1 TA (5c206987-16a3-59cc-ab0f-64b9cfc9e758.ta, Debian's
 * optee-test-qemu): facts of that image, read from it. */
static void test_next_uuid(void)
{
	static const uint8_t top[16] = {0xf0, 0x4f, 0xa9, 0x96, 0x14, 0x8a, 0x45, 0x3c,
	                                0xb0, 0x37, 0x1d, 0xcf, 0xba, 0xd1, 0x20, 0xa6};
	static const uint8_t mid[16] = {0x1a, 0x59, 0x48, 0xc5, 0x1a, 0xa0, 0x51, 0x8c,
	                                0x86, 0xf4, 0xbe, 0x6f, 0x6a, 0x05, 0x7b, 0x16};
	static const uint8_t ta[16] = {0x5c, 0x20, 0x69, 0x87, 0x16, 0xa3, 0x59, 0xcc,
	                               0xab, 0x0f, 0x64, 0xb9, 0xcf, 0xc9, 0xe7, 0x58};
	uint8_t name[64] = "mid_level_subkey", out[16];
	CHECK_EQ(ta_check_next_uuid(top, name, sizeof(name), out), 0);
	CHECK(memcmp(out, mid, 16) == 0);
	memset(name, 0, sizeof(name));
	memcpy(name, "subkey1_ta", 10);
	CHECK_EQ(ta_check_next_uuid(mid, name, sizeof(name), out), 0);
	CHECK(memcmp(out, ta, 16) == 0);
	/* No name: the subkey's own UUID. */
	CHECK_EQ(ta_check_next_uuid(ta, name, 0, out), 0);
	CHECK(memcmp(out, ta, 16) == 0);
}

/* Appends a subkey's signed header, signed by `signer`, that carries
 * `sub`'s public key, then its name. */
static size_t put_subkey(mbedtls_rsa_context *signer, mbedtls_rsa_context *sub,
                         const uint8_t sk_uuid[16], uint32_t depth, const char *name,
                         uint32_t name_size, uint8_t *out)
{
	uint8_t img[36 + 24 + 256 + 4];
	struct ta_shdr_subkey k;
	memcpy(k.uuid, sk_uuid, 16);
	k.name_size = name_size;
	k.subkey_version = 1;
	k.max_depth = depth;
	k.algo = TA_SHDR_ALG_RSA_PSS_SHA256;
	k.attr_count = 2;
	struct ta_shdr_subkey_attr a[2] = {{TA_SHDR_ATTR_RSA_MODULUS, 60, 256},
	                                   {TA_SHDR_ATTR_RSA_PUBLIC_EXPONENT, 316, 4}};
	memcpy(img, &k, sizeof(k));
	memcpy(img + 36, a, sizeof(a));
	CHECK_EQ(mbedtls_rsa_export_raw(sub, img + 60, 256, 0, 0, 0, 0, 0, 0, img + 316, 4), 0);
	struct ta_shdr h = {TA_SHDR_MAGIC, TA_SHDR_SUBKEY, sizeof(img), TA_SHDR_ALG_RSA_PSS_SHA256,
	                    TA_SHDR_HASH_SIZE, TA_SHDR_SIG_SIZE};
	uint8_t hash[32], sig[256];
	mbedtls_sha256_context c;
	mbedtls_sha256_init(&c);
	mbedtls_sha256_starts(&c, 0);
	mbedtls_sha256_update(&c, (const uint8_t *)&h, sizeof(h));
	mbedtls_sha256_update(&c, img, sizeof(img));
	mbedtls_sha256_finish(&c, hash);
	mbedtls_sha256_free(&c);
	mbedtls_rsa_set_padding(signer, MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA256);
	CHECK_EQ(mbedtls_rsa_rsassa_pss_sign(signer, test_rng, 0, MBEDTLS_MD_SHA256, 32, hash, sig),
	         0);
	size_t n = 0;
	memcpy(out + n, &h, sizeof(h)), n += sizeof(h);
	memcpy(out + n, hash, 32), n += 32;
	memcpy(out + n, sig, 256), n += 256;
	memcpy(out + n, img, sizeof(img)), n += sizeof(img);
	memset(out + n, 0, name_size);
	memcpy(out + n, name, strlen(name) < name_size ? strlen(name) : name_size);
	return n + name_size;
}

static enum ta_check_result check_chain(const uint8_t *img, size_t len, const uint8_t *u,
                                        size_t *elf_off)
{
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, img, len);
	struct ta_shdr_parts p = {0};
	enum ta_check_result r = ta_check(copy, len, u, key_n, sizeof(key_n), key_e, sizeof(key_e), &p);
	*elf_off = p.img_off;
	if (r == TA_CHECK_OK && (p.img_size != ELF_SIZE || p.boot.version != 5 ||
	                         memcmp(copy + p.img_off, (uint8_t[]){0, 7, 14}, 3) != 0))
		r = TA_CHECK_INTERNAL;
	free(copy);
	return r;
}

/* A root key signs a subkey (with a name: the TA's UUID is in its
 * namespace), the subkey signs the TA; and every way that chain can be
 * wrong is refused. */
static void test_subkeys(mbedtls_rsa_context *root, mbedtls_rsa_context *sub)
{
	static const uint8_t sk_uuid[16] = {1, 2, 3, 4, 5, 6, 0x47, 8, 0x89, 10, 11, 12, 13, 14, 15};
	static uint8_t img[8192], bad[8192];
	uint8_t ta_uuid[16];
	uint8_t nm[32] = "my_ta";
	CHECK_EQ(ta_check_next_uuid(sk_uuid, nm, sizeof(nm), ta_uuid), 0);
	size_t n = put_subkey(root, sub, sk_uuid, 0, "my_ta", 32, img);
	size_t head = n, off = 0;
	n += sign_image(sub, ta_uuid, TA_SHDR_ALG_RSA_PSS_SHA256, img + n);
	CHECK_EQ(check_chain(img, n, ta_uuid, &off), TA_CHECK_OK);
	CHECK_EQ(off, head + 328);
	/* Another UUID, even one the TA's own header names: not in the namespace. */
	size_t m = put_subkey(root, sub, sk_uuid, 0, "my_ta", 32, bad);
	m += sign_image(sub, uuid, TA_SHDR_ALG_RSA_PSS_SHA256, bad + m);
	CHECK_EQ(check_chain(bad, m, uuid, &off), TA_CHECK_OTHER_UUID);
	/* The TA signed by the root key, not by the subkey. */
	m = put_subkey(root, sub, sk_uuid, 0, "my_ta", 32, bad);
	m += sign_image(root, ta_uuid, TA_SHDR_ALG_RSA_PSS_SHA256, bad + m);
	CHECK_EQ(check_chain(bad, m, ta_uuid, &off), TA_CHECK_SIGNATURE);
	/* The subkey signed by itself, not by the root. */
	m = put_subkey(sub, sub, sk_uuid, 0, "my_ta", 32, bad);
	m += sign_image(sub, ta_uuid, TA_SHDR_ALG_RSA_PSS_SHA256, bad + m);
	CHECK_EQ(check_chain(bad, m, ta_uuid, &off), TA_CHECK_SIGNATURE);
	/* Two subkeys where depth 0 allows none below. */
	uint8_t mid_uuid[16];
	CHECK_EQ(ta_check_next_uuid(sk_uuid, nm, sizeof(nm), mid_uuid), 0);
	m = put_subkey(root, sub, sk_uuid, 0, "my_ta", 32, bad);
	m += put_subkey(sub, sub, mid_uuid, 0, "", 0, bad + m);
	m += sign_image(sub, mid_uuid, TA_SHDR_ALG_RSA_PSS_SHA256, bad + m);
	CHECK_EQ(check_chain(bad, m, mid_uuid, &off), TA_CHECK_MALFORMED);
	/* Depth 1 does: the second subkey (no name) is the TA's UUID itself. */
	m = put_subkey(root, sub, sk_uuid, 1, "my_ta", 32, bad);
	m += put_subkey(sub, sub, mid_uuid, 0, "", 0, bad + m);
	m += sign_image(sub, mid_uuid, TA_SHDR_ALG_RSA_PSS_SHA256, bad + m);
	CHECK_EQ(check_chain(bad, m, mid_uuid, &off), TA_CHECK_OK);
	/* Each byte of the subkey's part changed: refused. */
	unsigned refused = 0;
	for (size_t i = 0; i < head; i++) {
		memcpy(bad, img, n);
		bad[i] ^= 0x20;
		if (check_chain(bad, n, ta_uuid, &off) != TA_CHECK_OK)
			refused++;
	}
	/* All but the name's 26 bytes after "my_ta" and its NUL: the name is
	 * not signed, it makes the TA's UUID, which is (OP-TEE's rule). */
	CHECK_EQ(refused, head - 26);
	/* Every cut of the chain: refused, and nothing read past the end. */
	refused = 0;
	for (size_t l = 0; l < n; l++)
		if (check_chain(img, l, ta_uuid, &off) != TA_CHECK_OK)
			refused++;
	CHECK_EQ(refused, n);
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
	test_next_uuid();
	test_subkeys(&key, &other);
	mbedtls_rsa_free(&key);
	mbedtls_rsa_free(&other);
	return harness_report("tacheck");
}
