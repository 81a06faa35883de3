/* test_crypto: speaks include/microtee/crypto_ipc.h to the crypto service
 * directly, the way lib/tee does for TAs:
 *   - known answers: SHA-256 ("abc"), AES-128-CBC (SP 800-38A F.2.1),
 *     AES-128-GCM (GCM spec test case 2), HMAC-SHA256 (RFC 4231 case 1),
 *     HKDF-SHA256 (RFC 5869 case 1); ECDSA P-256 and RSA-2048 PSS/OAEP with
 *     generated keys; ECDH P-256 both ways; random bytes;
 *   - hostile requests: spans outside the window or overflowing, ids of
 *     another badge's objects, malformed attribute records, operations in
 *     the wrong state, table limits, unknown requests;
 *   - a crash of the service in the middle of an operation: the call fails
 *     with MT_EPEERDEAD, init restarts the service, the client re-attaches
 *     and the next operation works.
 *
 * Argument (scenario crypto_service of init): DEMO_ARG(0, a, b) where a and
 * b are CALL handles to the crypto service under two different badges. */
#include <stdio.h>
#include <string.h>

#include "../../../include/microtee/crypto_ipc.h"
#include "../../../include/microtee/demo_ipc.h"
#include "../../../lib/tee/include/tee_api_defines.h"
#include "../../../lib/tee/include/tee_api_defines_extensions.h"
#include "mt.h"

static int passed, failed;

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (cond) {                                                                        \
			passed++;                                                                  \
		} else {                                                                           \
			failed++;                                                                  \
			printf("test_crypto: FAILED line %d: ", __LINE__);                         \
			printf(__VA_ARGS__);                                                       \
			printf("\n");                                                              \
		}                                                                                  \
	} while (0)

/* A client: its handle and its window. */
struct cl {
	const char *name;
	mt_handle_t h;
	mt_handle_t shm;
	uint8_t *win;
	size_t size;
};

struct res {
	long ipc;
	uint32_t r;
	uint64_t w1, w2, w3;
};

static struct res call(const struct cl *c, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3,
                       unsigned long xfer)
{
	struct mt_msg m = {{w0, w1, w2, w3}, xfer, 0};
	struct res r = {mt_call(c->h, &m), 0, 0, 0, 0};
	r.r = (uint32_t)m.w[0];
	r.w1 = m.w[1];
	r.w2 = m.w[2];
	r.w3 = m.w[3];
	return r;
}

#define OK(x)               ((x).ipc == MT_OK && (x).r == TEE_SUCCESS)
#define IS(x, code, reason) ((x).ipc == MT_OK && (x).r == (code) && (x).w1 == (reason))
#define SP                  CRYPTO_SPAN

/* Window layout */
#define IN  0
#define OUT 4096
#define REC 8192

static long attach(struct cl *c, size_t size)
{
	if (!c->shm) {
		if (mt_shm_create(size, &c->shm) != MT_OK)
			return MT_ENOMEM;
		c->win = mt_shm_map_any(c->shm, MT_PROT_R | MT_PROT_W, &c->size);
		if (!c->win)
			return MT_ENOMEM;
	}
	struct res r = call(c, CRYPTO_OP_ATTACH, 0, 0, 0, c->shm);
	if (r.ipc != MT_OK)
		return r.ipc;
	return r.r == TEE_SUCCESS && r.w1 == c->size ? MT_OK : (long)r.r;
}

/* Attribute records */
static size_t rec_ref(uint8_t *p, uint32_t id, const void *data, uint32_t len)
{
	memcpy(p, &id, 4);
	memcpy(p + 4, &len, 4);
	memcpy(p + 8, data, len);
	size_t padded = (len + 7) & ~7U;
	memset(p + 8 + len, 0, padded - len);
	return 8 + padded;
}

static size_t rec_val(uint8_t *p, uint32_t id, uint32_t a, uint32_t b)
{
	uint32_t w[4] = {id, 0, a, b};
	memcpy(p, w, sizeof(w));
	return sizeof(w);
}

static int hexeq(const uint8_t *p, const char *hex)
{
	for (size_t i = 0; hex[2 * i]; i++) {
		unsigned v;
		char b[3] = {hex[2 * i], hex[2 * i + 1], 0};
		v = 0;
		for (int k = 0; k < 2; k++)
			v = v * 16 + (unsigned)(b[k] <= '9' ? b[k] - '0' : (b[k] | 32) - 'a' + 10);
		if (p[i] != v)
			return 0;
	}
	return 1;
}

static size_t unhex(uint8_t *p, const char *hex)
{
	size_t i = 0;
	for (; hex[2 * i]; i++) {
		unsigned v = 0;
		for (int k = 0; k < 2; k++) {
			char ch = hex[2 * i + k];
			v = v * 16 + (unsigned)(ch <= '9' ? ch - '0' : (ch | 32) - 'a' + 10);
		}
		p[i] = (uint8_t)v;
	}
	return i;
}

static uint64_t alloc_obj(struct cl *c, uint32_t type, uint32_t bits)
{
	struct res r = call(c, CRYPTO_OP_OBJ_ALLOC, type, bits, 0, 0);
	CHECK(OK(r), "OBJ_ALLOC %x/%u: %ld %x", type, bits, r.ipc, r.r);
	return OK(r) ? r.w1 : 0;
}

static uint64_t alloc_op(struct cl *c, uint32_t alg, uint32_t mode, uint32_t bits)
{
	struct res r = call(c, CRYPTO_OP_ALLOC, alg, mode, bits, 0);
	CHECK(OK(r), "ALLOC %x/%u/%u: %ld %x", alg, mode, bits, r.ipc, r.r);
	return OK(r) ? r.w1 : 0;
}

/* A secret-key object from bytes. */
static uint64_t secret_obj(struct cl *c, uint32_t type, uint32_t max_bits, const uint8_t *key,
                           uint32_t len)
{
	uint64_t o = alloc_obj(c, type, max_bits);
	size_t n = rec_ref(c->win + REC, TEE_ATTR_SECRET_VALUE, key, len);
	struct res r = call(c, CRYPTO_OP_OBJ_POPULATE, o, SP(REC, n), 0, 0);
	CHECK(OK(r), "POPULATE secret: %x", r.r);
	return o;
}

/* ASYM with a crypto_asym_req at REC, input at IN, output at OUT. */
static struct res asym(struct cl *c, uint64_t op, uint32_t mode, const void *in, size_t in_len,
                       const uint8_t *params, size_t params_len, const uint8_t *sig, size_t sig_len)
{
	struct crypto_asym_req q = {mode, (uint32_t)params_len, (uint32_t)sig_len, OUT, 1024, 0};
	memcpy(c->win + IN, in, in_len);
	memcpy(c->win + REC, &q, sizeof(q));
	if (params_len)
		memcpy(c->win + REC + sizeof(q), params, params_len);
	if (sig_len)
		memcpy(c->win + REC + sizeof(q) + params_len, sig, sig_len);
	return call(c, CRYPTO_OP_ASYM, op, SP(IN, in_len),
	            SP(REC, sizeof(q) + params_len + sig_len), 0);
}

static const char abc_sha256[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

static void sha256_abc(struct cl *c, const char *when)
{
	uint64_t op = alloc_op(c, TEE_ALG_SHA256, TEE_MODE_DIGEST, 0);
	memcpy(c->win + IN, "abc", 3);
	struct res r = call(c, CRYPTO_OP_FINAL, op, SP(IN, 3), SP(OUT, 32), 0);
	CHECK(OK(r) && r.w1 == 32 && hexeq(c->win + OUT, abc_sha256), "SHA-256 abc %s: %x", when,
	      r.r);
	call(c, CRYPTO_OP_FREE, op, 0, 0, 0);
}

/* ---- known answers ---- */
static void test_digest(struct cl *a)
{
	sha256_abc(a, "(one shot)");
	uint64_t op = alloc_op(a, TEE_ALG_SHA256, TEE_MODE_DIGEST, 0);
	memcpy(a->win + IN, "abc", 3);
	/* Too short: the size needed, and nothing consumed. */
	struct res r = call(a, CRYPTO_OP_FINAL, op, SP(IN, 3), SP(OUT, 31), 0);
	CHECK(r.r == TEE_ERROR_SHORT_BUFFER && r.w1 == 32, "digest short buffer: %x %lu", r.r,
	      (unsigned long)r.w1);
	r = call(a, CRYPTO_OP_UPDATE, op, SP(IN, 1), SP(0, 0), 0);
	CHECK(OK(r), "digest update");
	r = call(a, CRYPTO_OP_FINAL, op, SP(IN + 1, 2), SP(OUT, 32), 0);
	CHECK(OK(r) && hexeq(a->win + OUT, abc_sha256), "SHA-256 abc in two parts");
	/* After FINAL the operation starts over. */
	r = call(a, CRYPTO_OP_FINAL, op, SP(IN, 3), SP(OUT, 64), 0);
	CHECK(OK(r) && r.w1 == 32 && hexeq(a->win + OUT, abc_sha256), "SHA-256 abc again");
	/* A copy in the middle. */
	uint64_t op2 = alloc_op(a, TEE_ALG_SHA256, TEE_MODE_DIGEST, 0);
	call(a, CRYPTO_OP_UPDATE, op, SP(IN, 2), SP(0, 0), 0);
	r = call(a, CRYPTO_OP_COPY, op2, op, 0, 0);
	CHECK(OK(r), "digest copy");
	r = call(a, CRYPTO_OP_FINAL, op2, SP(IN + 2, 1), SP(OUT, 32), 0);
	CHECK(OK(r) && hexeq(a->win + OUT, abc_sha256), "SHA-256 abc via a copy");
	call(a, CRYPTO_OP_FREE, op, 0, 0, 0);
	call(a, CRYPTO_OP_FREE, op2, 0, 0, 0);

	/* SHA-512 of "abc" (FIPS 180-2). */
	op = alloc_op(a, TEE_ALG_SHA512, TEE_MODE_DIGEST, 0);
	r = call(a, CRYPTO_OP_FINAL, op, SP(IN, 3), SP(OUT, 64), 0);
	CHECK(OK(r) && r.w1 == 64 &&
	          hexeq(a->win + OUT,
	                "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	                "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
	      "SHA-512 abc");
	call(a, CRYPTO_OP_FREE, op, 0, 0, 0);
}

static void test_aes(struct cl *a)
{
	uint8_t key[16], iv[16], pt[64];
	unhex(key, "2b7e151628aed2a6abf7158809cf4f3c");
	unhex(iv, "000102030405060708090a0b0c0d0e0f");
	unhex(pt, "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
	uint64_t k = secret_obj(a, TEE_TYPE_AES, 128, key, 16);
	uint64_t op = alloc_op(a, TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, 128);
	struct res r = call(a, CRYPTO_OP_UPDATE, op, SP(IN, 16), SP(OUT, 16), 0);
	CHECK(IS(r, TEE_ERROR_BAD_STATE, CRYPTO_REASON_STATE), "UPDATE before INIT: %x", r.r);
	r = call(a, CRYPTO_OP_INIT, op, SP(IN, 16), 0, 0);
	CHECK(IS(r, TEE_ERROR_BAD_STATE, CRYPTO_REASON_STATE), "INIT without a key: %x", r.r);
	r = call(a, CRYPTO_OP_SET_KEY, op, k, 0, 0);
	CHECK(OK(r), "SET_KEY AES: %x", r.r);
	memcpy(a->win + IN, iv, 16);
	r = call(a, CRYPTO_OP_INIT, op, SP(IN, 15), 0, 0);
	CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, 0), "CBC with a 15-byte IV: %x", r.r);
	r = call(a, CRYPTO_OP_INIT, op, SP(IN, 16), 0, 0);
	CHECK(OK(r), "INIT CBC: %x", r.r);
	r = call(a, CRYPTO_OP_SET_KEY, op, k, 0, 0);
	CHECK(IS(r, TEE_ERROR_BAD_STATE, CRYPTO_REASON_STATE), "SET_KEY while active: %x", r.r);
	memcpy(a->win + IN, pt, 32);
	/* 20 bytes: one block out, 4 kept; then 12 more: the second block. */
	r = call(a, CRYPTO_OP_UPDATE, op, SP(IN, 20), SP(OUT, 15), 0);
	CHECK(r.r == TEE_ERROR_SHORT_BUFFER && r.w1 == 16, "CBC short buffer: %x", r.r);
	r = call(a, CRYPTO_OP_UPDATE, op, SP(IN, 20), SP(OUT, 16), 0);
	CHECK(OK(r) && r.w1 == 16, "CBC update: %x %lu", r.r, (unsigned long)r.w1);
	r = call(a, CRYPTO_OP_FINAL, op, SP(IN + 20, 12), SP(OUT + 16, 16), 0);
	CHECK(OK(r) && r.w1 == 16, "CBC final: %x", r.r);
	CHECK(
	    hexeq(a->win + OUT, "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"),
	    "AES-128-CBC SP 800-38A F.2.1");
	/* Decrypt in place. */
	uint64_t dec = alloc_op(a, TEE_ALG_AES_CBC_NOPAD, TEE_MODE_DECRYPT, 128);
	call(a, CRYPTO_OP_SET_KEY, dec, k, 0, 0);
	memcpy(a->win + IN, iv, 16);
	call(a, CRYPTO_OP_INIT, dec, SP(IN, 16), 0, 0);
	r = call(a, CRYPTO_OP_FINAL, dec, SP(OUT, 32), SP(OUT, 32), 0);
	CHECK(OK(r) && memcmp(a->win + OUT, pt, 32) == 0, "AES-128-CBC decrypt in place: %x", r.r);
	/* Not a whole number of blocks. */
	call(a, CRYPTO_OP_INIT, dec, SP(IN, 16), 0, 0);
	r = call(a, CRYPTO_OP_FINAL, dec, SP(OUT, 31), SP(OUT, 32), 0);
	CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, 0), "CBC final of 31 bytes: %x", r.r);
	call(a, CRYPTO_OP_FREE, dec, 0, 0, 0);
	call(a, CRYPTO_OP_FREE, op, 0, 0, 0);
	call(a, CRYPTO_OP_OBJ_FREE, k, 0, 0, 0);

	/* GCM test case 2: zero key, zero 96-bit IV, one zero block. */
	uint8_t zero[16] = {0};
	k = secret_obj(a, TEE_TYPE_AES, 128, zero, 16);
	op = alloc_op(a, TEE_ALG_AES_GCM, TEE_MODE_ENCRYPT, 128);
	call(a, CRYPTO_OP_SET_KEY, op, k, 0, 0);
	memset(a->win + IN, 0, 32);
	r = call(a, CRYPTO_OP_INIT, op, SP(IN, 12), 128, 0);
	CHECK(OK(r), "GCM init: %x", r.r);
	r = call(a, CRYPTO_OP_FINAL, op, SP(IN + 16, 16), SP(OUT, 31), 0);
	CHECK(r.r == TEE_ERROR_SHORT_BUFFER && r.w1 == 32, "GCM short buffer");
	r = call(a, CRYPTO_OP_FINAL, op, SP(IN + 16, 16), SP(OUT, 32), 0);
	CHECK(OK(r) && r.w1 == 32 && r.w2 == 16 &&
	          hexeq(a->win + OUT, "0388dace60b6a392f328c2b971b2fe78"
	                              "ab6e47d42cec13bdf53a67b21257bddf"),
	      "AES-128-GCM test case 2: %x", r.r);
	/* Decrypt, then with the tag tampered. */
	uint64_t gd = alloc_op(a, TEE_ALG_AES_GCM, TEE_MODE_DECRYPT, 128);
	call(a, CRYPTO_OP_SET_KEY, gd, k, 0, 0);
	for (int tamper = 0; tamper < 2; tamper++) {
		call(a, CRYPTO_OP_INIT, gd, SP(IN, 12), 128, 0);
		struct crypto_check_req q = {16, OUT + 512, 16, 0};
		memcpy(a->win + REC, &q, sizeof(q));
		memcpy(a->win + REC + 16, a->win + OUT + 16, 16);
		a->win[REC + 16 + 15] ^= (uint8_t)tamper;
		r = call(a, CRYPTO_OP_FINAL_CHECK, gd, SP(OUT, 16), SP(REC, 32), 0);
		if (tamper)
			CHECK(r.r == TEE_ERROR_MAC_INVALID, "GCM tampered tag: %x", r.r);
		else
			CHECK(OK(r) && r.w1 == 16 && memcmp(a->win + OUT + 512, zero, 16) == 0,
			      "GCM decrypt: %x", r.r);
	}
	/* AAD after payload. */
	call(a, CRYPTO_OP_INIT, op, SP(IN, 12), 128, 0);
	call(a, CRYPTO_OP_UPDATE, op, SP(IN, 16), SP(OUT, 16), 0);
	r = call(a, CRYPTO_OP_UPDATE_AAD, op, SP(IN, 4), 0, 0);
	CHECK(IS(r, TEE_ERROR_BAD_STATE, CRYPTO_REASON_STATE), "AAD after payload: %x", r.r);
	/* The init folded into the final (CRYPTO_OP_F_INIT): test case 2 in one
	 * request, then malformed headers. */
	{
		struct crypto_init_req q = {12, 0, 128};
		memset(a->win + IN, 0, 64);
		memcpy(a->win + IN, &q, sizeof(q));
		r = call(a, CRYPTO_OP_FINAL | CRYPTO_OP_F_INIT, op, SP(IN, 48), SP(OUT, 32), 0);
		CHECK(OK(r) && r.w1 == 32 && r.w2 == 16 &&
		          hexeq(a->win + OUT, "0388dace60b6a392f328c2b971b2fe78"
		                              "ab6e47d42cec13bdf53a67b21257bddf"),
		      "F_INIT GCM test case 2: %x", r.r);
		q.iv_len = 65;
		memcpy(a->win + IN, &q, sizeof(q));
		r = call(a, CRYPTO_OP_FINAL | CRYPTO_OP_F_INIT, op, SP(IN, 200), SP(OUT, 32), 0);
		CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, 0), "F_INIT IV too long: %x", r.r);
		q.iv_len = 12;
		q.reserved = 1;
		memcpy(a->win + IN, &q, sizeof(q));
		r = call(a, CRYPTO_OP_FINAL | CRYPTO_OP_F_INIT, op, SP(IN, 48), SP(OUT, 32), 0);
		CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, 0), "F_INIT reserved: %x", r.r);
		q.reserved = 0;
		memcpy(a->win + IN, &q, sizeof(q));
		r = call(a, CRYPTO_OP_FINAL | CRYPTO_OP_F_INIT, op, SP(IN, 20), SP(OUT, 32), 0);
		CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, 0), "F_INIT header beyond span: %x", r.r);
		r = call(a, CRYPTO_OP_FINAL | CRYPTO_OP_F_INIT, op, SP(a->size - 8, 16),
		         SP(OUT, 32), 0);
		CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, CRYPTO_REASON_BAD_SPAN),
		      "F_INIT span outside: %x", r.r);
		r = call(a, CRYPTO_OP_SET_KEY | CRYPTO_OP_F_INIT, op, SP(IN, 48), 0, 0);
		CHECK(r.ipc == MT_OK && r.r == TEE_ERROR_NOT_SUPPORTED, "F_INIT on SET_KEY: %x",
		      r.r);
		q.params = 64; /* a tag length GCM does not take: INIT's own refusal */
		memcpy(a->win + IN, &q, sizeof(q));
		r = call(a, CRYPTO_OP_UPDATE | CRYPTO_OP_F_INIT, op, SP(IN, 48), SP(OUT, 32), 0);
		CHECK(r.ipc == MT_OK && r.r == TEE_ERROR_NOT_SUPPORTED, "F_INIT bad tag: %x", r.r);
		r = call(a, CRYPTO_OP_F_INIT | CRYPTO_OP_FINAL, 12345, SP(IN, 48), SP(OUT, 32), 0);
		CHECK(IS(r, TEE_ERROR_ITEM_NOT_FOUND, CRYPTO_REASON_BAD_ID), "F_INIT bad id: %x",
		      r.r);
	}
	call(a, CRYPTO_OP_FREE, gd, 0, 0, 0);
	call(a, CRYPTO_OP_FREE, op, 0, 0, 0);
	call(a, CRYPTO_OP_OBJ_FREE, k, 0, 0, 0);
}

static void test_hmac_hkdf(struct cl *a)
{
	uint8_t key[22];
	memset(key, 0x0b, sizeof(key));
	uint64_t k = secret_obj(a, TEE_TYPE_HMAC_SHA256, 256, key, 20);
	uint64_t op = alloc_op(a, TEE_ALG_HMAC_SHA256, TEE_MODE_MAC, 256);
	struct res r = call(a, CRYPTO_OP_SET_KEY, op, k, 0, 0);
	CHECK(OK(r), "SET_KEY HMAC: %x", r.r);
	r = call(a, CRYPTO_OP_FINAL, op, SP(IN, 8), SP(OUT, 32), 0);
	CHECK(IS(r, TEE_ERROR_BAD_STATE, CRYPTO_REASON_STATE), "MAC final before INIT: %x", r.r);
	call(a, CRYPTO_OP_INIT, op, SP(0, 0), 0, 0);
	memcpy(a->win + IN, "Hi There", 8);
	r = call(a, CRYPTO_OP_FINAL, op, SP(IN, 8), SP(OUT, 32), 0);
	static const char mac[] =
	    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7";
	CHECK(OK(r) && r.w1 == 32 && hexeq(a->win + OUT, mac), "HMAC-SHA256 RFC 4231 case 1: %x",
	      r.r);
	for (int tamper = 0; tamper < 2; tamper++) {
		call(a, CRYPTO_OP_INIT, op, SP(0, 0), 0, 0);
		struct crypto_check_req q = {32, 0, 0, 0};
		memcpy(a->win + REC, &q, sizeof(q));
		unhex(a->win + REC + 16, mac);
		a->win[REC + 16] ^= (uint8_t)tamper;
		r = call(a, CRYPTO_OP_FINAL_CHECK, op, SP(IN, 8), SP(REC, 48), 0);
		CHECK(tamper ? r.r == TEE_ERROR_MAC_INVALID : OK(r), "HMAC compare (tamper %d): %x",
		      tamper, r.r);
	}
	/* A key of the wrong type. */
	uint64_t aes = alloc_op(a, TEE_ALG_AES_ECB_NOPAD, TEE_MODE_ENCRYPT, 256);
	r = call(a, CRYPTO_OP_SET_KEY, aes, k, 0, 0);
	CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, 0), "HMAC key into AES: %x", r.r);
	call(a, CRYPTO_OP_FREE, aes, 0, 0, 0);
	call(a, CRYPTO_OP_FREE, op, 0, 0, 0);
	call(a, CRYPTO_OP_OBJ_FREE, k, 0, 0, 0);

	/* HKDF-SHA256, RFC 5869 test case 1. */
	uint64_t ikm = alloc_obj(a, TEE_TYPE_HKDF_IKM, 256);
	size_t n = rec_ref(a->win + REC, TEE_ATTR_HKDF_IKM, key, 22);
	r = call(a, CRYPTO_OP_OBJ_POPULATE, ikm, SP(REC, n), 0, 0);
	CHECK(OK(r), "populate IKM: %x", r.r);
	op = alloc_op(a, TEE_ALG_HKDF_SHA256_DERIVE_KEY, TEE_MODE_DERIVE, 256);
	call(a, CRYPTO_OP_SET_KEY, op, ikm, 0, 0);
	uint64_t okm = alloc_obj(a, TEE_TYPE_GENERIC_SECRET, 42 * 8);
	uint8_t salt[13], info[10];
	unhex(salt, "000102030405060708090a0b0c");
	unhex(info, "f0f1f2f3f4f5f6f7f8f9");
	n = rec_ref(a->win + REC, TEE_ATTR_HKDF_SALT, salt, 13);
	n += rec_ref(a->win + REC + n, TEE_ATTR_HKDF_INFO, info, 10);
	n += rec_val(a->win + REC + n, TEE_ATTR_HKDF_OKM_LENGTH, 42, 0);
	r = call(a, CRYPTO_OP_DERIVE, op, SP(REC, n), okm, 0);
	CHECK(OK(r), "HKDF derive: %x", r.r);
	r = call(a, CRYPTO_OP_OBJ_GET_ATTR, okm, TEE_ATTR_SECRET_VALUE, SP(OUT, 64), 0);
	CHECK(OK(r) && r.w1 == 42 &&
	          hexeq(a->win + OUT,
	                "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
	                "34007208d5b887185865"),
	      "HKDF-SHA256 RFC 5869 case 1: %x", r.r);
	call(a, CRYPTO_OP_FREE, op, 0, 0, 0);
	call(a, CRYPTO_OP_OBJ_FREE, ikm, 0, 0, 0);
	call(a, CRYPTO_OP_OBJ_FREE, okm, 0, 0, 0);
}

/* OP-TEE's KDFs: the concatenation KDF with SHA-256 on RFC 7518
 * appendix C's Z and OtherInfo (the key it gives: VqqN6vgjbSBcIijNcacQGg),
 * and PBKDF2-HMAC-SHA1 on RFC 6070's second case; an iteration count of 0
 * is refused. */
static void test_kdfs(struct cl *a)
{
	uint8_t z[32], oi[31];
	unhex(z, "9e56d91d817135d372834283bf84269cfb316ea3da806a48f6daa7798cfe90c4");
	unhex(oi, "000000074131323847434d00000005416c69636500000003426f6200000080");
	uint64_t k = alloc_obj(a, TEE_TYPE_CONCAT_KDF_Z, 256);
	size_t n = rec_ref(a->win + REC, TEE_ATTR_CONCAT_KDF_Z, z, 32);
	struct res r = call(a, CRYPTO_OP_OBJ_POPULATE, k, SP(REC, n), 0, 0);
	CHECK(OK(r), "Concat KDF Z: %x", r.r);
	uint64_t op = alloc_op(a, TEE_ALG_CONCAT_KDF_SHA256_DERIVE_KEY, TEE_MODE_DERIVE, 256);
	r = call(a, CRYPTO_OP_SET_KEY, op, k, 0, 0);
	CHECK(OK(r), "Concat KDF SET_KEY: %x", r.r);
	uint64_t s = alloc_obj(a, TEE_TYPE_GENERIC_SECRET, 128);
	n = rec_ref(a->win + REC, TEE_ATTR_CONCAT_KDF_OTHER_INFO, oi, sizeof(oi));
	n += rec_val(a->win + REC + n, TEE_ATTR_CONCAT_KDF_DKM_LENGTH, 16, 0);
	r = call(a, CRYPTO_OP_DERIVE, op, SP(REC, n), s, 0);
	CHECK(OK(r), "Concat KDF derive: %x", r.r);
	r = call(a, CRYPTO_OP_OBJ_GET_ATTR, s, TEE_ATTR_SECRET_VALUE, SP(OUT, 64), 0);
	CHECK(OK(r) && r.w1 == 16 && hexeq(a->win + OUT, "56aa8deaf8236d205c2228cd71a7101a"),
	      "Concat KDF SHA-256, RFC 7518 C: %x %lu", r.r, (unsigned long)r.w1);
	call(a, CRYPTO_OP_OBJ_FREE, s, 0, 0, 0);
	call(a, CRYPTO_OP_OBJ_FREE, k, 0, 0, 0);
	call(a, CRYPTO_OP_FREE, op, 0, 0, 0);

	k = alloc_obj(a, TEE_TYPE_PBKDF2_PASSWORD, 64);
	n = rec_ref(a->win + REC, TEE_ATTR_PBKDF2_PASSWORD, "password", 8);
	r = call(a, CRYPTO_OP_OBJ_POPULATE, k, SP(REC, n), 0, 0);
	CHECK(OK(r), "PBKDF2 password: %x", r.r);
	op = alloc_op(a, TEE_ALG_PBKDF2_HMAC_SHA1_DERIVE_KEY, TEE_MODE_DERIVE, 64);
	r = call(a, CRYPTO_OP_SET_KEY, op, k, 0, 0);
	static const uint32_t counts[2] = {2, 0};
	for (int i = 0; i < 2; i++) {
		s = alloc_obj(a, TEE_TYPE_GENERIC_SECRET, 160);
		n = rec_ref(a->win + REC, TEE_ATTR_PBKDF2_SALT, "salt", 4);
		n += rec_val(a->win + REC + n, TEE_ATTR_PBKDF2_ITERATION_COUNT, counts[i], 0);
		n += rec_val(a->win + REC + n, TEE_ATTR_PBKDF2_DKM_LENGTH, 20, 0);
		r = call(a, CRYPTO_OP_DERIVE, op, SP(REC, n), s, 0);
		if (i) {
			CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, 0), "PBKDF2, 0 iterations: %x", r.r);
		} else {
			r = call(a, CRYPTO_OP_OBJ_GET_ATTR, s, TEE_ATTR_SECRET_VALUE, SP(OUT, 64),
			         0);
			CHECK(OK(r) && r.w1 == 20 &&
			          hexeq(a->win + OUT, "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"),
			      "PBKDF2-HMAC-SHA1, RFC 6070 case 2: %x %lu", r.r,
			      (unsigned long)r.w1);
		}
		call(a, CRYPTO_OP_OBJ_FREE, s, 0, 0, 0);
	}
	call(a, CRYPTO_OP_OBJ_FREE, k, 0, 0, 0);
	call(a, CRYPTO_OP_FREE, op, 0, 0, 0);
}

/* DH on RFC 3526's 2048-bit MODP group (g = 2): two generated keys, one
 * with a 256-bit private value (X_BITS), agree on the secret both ways;
 * the keys keep their parameters and X_BITS; 1 is not a public value. */
static const char modp2048[] = "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74"
                               "020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f1437"
                               "4fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed"
                               "ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf05"
                               "98da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb"
                               "9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b"
                               "e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf695581718"
                               "3995497cea956ae515d2261898fa051015728e5a8aacaa68ffffffffffffffff";

static void test_dh(struct cl *a)
{
	static uint8_t p[256];
	unhex(p, modp2048);
	static const uint8_t g = 2;
	uint64_t k[2];
	for (int i = 0; i < 2; i++) {
		k[i] = alloc_obj(a, TEE_TYPE_DH_KEYPAIR, 2048);
		size_t n = rec_ref(a->win + REC, TEE_ATTR_DH_PRIME, p, sizeof(p));
		n += rec_ref(a->win + REC + n, TEE_ATTR_DH_BASE, &g, 1);
		/* X_BITS 0 asks for nothing (xtest 4007_dh gives it). */
		n += rec_val(a->win + REC + n, TEE_ATTR_DH_X_BITS, i ? 256 : 0, 0);
		struct res r = call(a, CRYPTO_OP_OBJ_GENERATE, k[i], 2048, SP(REC, n), 0);
		CHECK(OK(r), "DH generate %d: %x", i, r.r);
	}
	struct res r = call(a, CRYPTO_OP_OBJ_GET_ATTR, k[1], TEE_ATTR_DH_X_BITS, 0, 0);
	CHECK(OK(r) && r.w2 == 256, "DH X_BITS kept: %x %lu", r.r, (unsigned long)r.w2);
	r = call(a, CRYPTO_OP_OBJ_GET_ATTR, k[1], TEE_ATTR_DH_PRIVATE_VALUE, SP(OUT, 256), 0);
	CHECK(OK(r) && r.w1 == 32 && (a->win[OUT] & 0x80), "DH private value of 256 bits: %lu",
	      (unsigned long)r.w1);
	r = call(a, CRYPTO_OP_OBJ_GET_ATTR, k[0], TEE_ATTR_DH_PRIME, SP(OUT, 256), 0);
	CHECK(OK(r) && r.w1 == 256 && memcmp(a->win + OUT, p, 256) == 0, "DH prime kept");
	uint8_t y[2][256], secret[2][256];
	size_t yl[2], sl[2] = {0, 0};
	for (int i = 0; i < 2; i++) {
		r = call(a, CRYPTO_OP_OBJ_GET_ATTR, k[i], TEE_ATTR_DH_PUBLIC_VALUE, SP(OUT, 256),
		         0);
		yl[i] = r.w1 <= 256 ? r.w1 : 0;
		memcpy(y[i], a->win + OUT, yl[i]);
	}
	for (int i = 0; i < 2; i++) {
		uint64_t op = alloc_op(a, TEE_ALG_DH_DERIVE_SHARED_SECRET, TEE_MODE_DERIVE, 2048);
		r = call(a, CRYPTO_OP_SET_KEY, op, k[i], 0, 0);
		CHECK(OK(r), "DH SET_KEY %d: %x", i, r.r);
		uint64_t s = alloc_obj(a, TEE_TYPE_GENERIC_SECRET, 2048);
		size_t n = rec_ref(a->win + REC, TEE_ATTR_DH_PUBLIC_VALUE, y[!i], (uint32_t)yl[!i]);
		r = call(a, CRYPTO_OP_DERIVE, op, SP(REC, n), s, 0);
		CHECK(OK(r), "DH derive %d: %x", i, r.r);
		r = call(a, CRYPTO_OP_OBJ_GET_ATTR, s, TEE_ATTR_SECRET_VALUE, SP(OUT, 256), 0);
		sl[i] = OK(r) && r.w1 <= 256 ? r.w1 : 0;
		memcpy(secret[i], a->win + OUT, sl[i]);
		uint64_t s2 = alloc_obj(a, TEE_TYPE_GENERIC_SECRET, 2048);
		static const uint8_t one = 1;
		n = rec_ref(a->win + REC, TEE_ATTR_DH_PUBLIC_VALUE, &one, 1);
		r = call(a, CRYPTO_OP_DERIVE, op, SP(REC, n), s2, 0);
		CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, 0), "DH public value 1: %x", r.r);
		call(a, CRYPTO_OP_OBJ_FREE, s, 0, 0, 0);
		call(a, CRYPTO_OP_OBJ_FREE, s2, 0, 0, 0);
		call(a, CRYPTO_OP_FREE, op, 0, 0, 0);
	}
	CHECK(sl[0] > 200 && sl[0] == sl[1] && memcmp(secret[0], secret[1], sl[0]) == 0,
	      "DH: both sides agree (%zu, %zu bytes)", sl[0], sl[1]);
	call(a, CRYPTO_OP_OBJ_FREE, k[0], 0, 0, 0);
	call(a, CRYPTO_OP_OBJ_FREE, k[1], 0, 0, 0);
}

/* X25519: RFC 7748 6.1's Diffie-Hellman example (Alice's pair, Bob's
 * public value, the shared secret), into a generic secret smaller than the
 * secret (as xtest 4015 does); a generated pair's public value; a public
 * value of the wrong length. */
static void test_x25519(struct cl *a)
{
	uint8_t d[32], q[32], peer[32];
	unhex(d, "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
	unhex(q, "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
	unhex(peer, "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
	uint64_t k = alloc_obj(a, TEE_TYPE_X25519_KEYPAIR, 256);
	size_t n = rec_ref(a->win + REC, TEE_ATTR_X25519_PUBLIC_VALUE, q, 32);
	n += rec_ref(a->win + REC + n, TEE_ATTR_X25519_PRIVATE_VALUE, d, 32);
	struct res r = call(a, CRYPTO_OP_OBJ_POPULATE, k, SP(REC, n), 0, 0);
	CHECK(OK(r), "X25519 populate: %x", r.r);
	uint64_t op = alloc_op(a, TEE_ALG_X25519, TEE_MODE_DERIVE, 256);
	r = call(a, CRYPTO_OP_SET_KEY, op, k, 0, 0);
	CHECK(OK(r), "X25519 SET_KEY: %x", r.r);
	uint64_t s = alloc_obj(a, TEE_TYPE_GENERIC_SECRET, 32);
	n = rec_ref(a->win + REC, TEE_ATTR_X25519_PUBLIC_VALUE, peer, 32);
	r = call(a, CRYPTO_OP_DERIVE, op, SP(REC, n), s, 0);
	CHECK(OK(r), "X25519 derive: %x", r.r);
	r = call(a, CRYPTO_OP_OBJ_GET_ATTR, s, TEE_ATTR_SECRET_VALUE, SP(OUT, 64), 0);
	CHECK(OK(r) && r.w1 == 32 &&
	          hexeq(a->win + OUT,
	                "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"),
	      "X25519 RFC 7748 6.1 shared secret: %x %lu", r.r, (unsigned long)r.w1);
	uint64_t s2 = alloc_obj(a, TEE_TYPE_GENERIC_SECRET, 256);
	n = rec_ref(a->win + REC, TEE_ATTR_X25519_PUBLIC_VALUE, peer, 31);
	r = call(a, CRYPTO_OP_DERIVE, op, SP(REC, n), s2, 0);
	CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, 0), "X25519 public value of 31 bytes: %x", r.r);
	call(a, CRYPTO_OP_OBJ_FREE, s, 0, 0, 0);
	call(a, CRYPTO_OP_OBJ_FREE, s2, 0, 0, 0);
	call(a, CRYPTO_OP_OBJ_FREE, k, 0, 0, 0);
	/* A generated pair: 32-byte values; its public half into a public key. */
	k = alloc_obj(a, TEE_TYPE_X25519_KEYPAIR, 256);
	r = call(a, CRYPTO_OP_OBJ_GENERATE, k, 256, SP(0, 0), 0);
	CHECK(OK(r), "X25519 generate: %x", r.r);
	r = call(a, CRYPTO_OP_OBJ_GET_ATTR, k, TEE_ATTR_X25519_PUBLIC_VALUE, SP(OUT, 64), 0);
	CHECK(OK(r) && r.w1 == 32, "X25519 generated public value: %lu", (unsigned long)r.w1);
	uint64_t pub = alloc_obj(a, TEE_TYPE_X25519_PUBLIC_KEY, 256);
	r = call(a, CRYPTO_OP_OBJ_COPY, pub, k, 0, 0);
	CHECK(OK(r), "X25519 copy to the public key: %x", r.r);
	r = call(a, CRYPTO_OP_OBJ_GET_ATTR, pub, TEE_ATTR_X25519_PRIVATE_VALUE, SP(OUT, 64), 0);
	CHECK(IS(r, TEE_ERROR_ITEM_NOT_FOUND, 0), "X25519 public key has no private value");
	call(a, CRYPTO_OP_OBJ_FREE, pub, 0, 0, 0);
	call(a, CRYPTO_OP_OBJ_FREE, k, 0, 0, 0);
	call(a, CRYPTO_OP_FREE, op, 0, 0, 0);
}

/* DES and 3DES keys: sizes without the parity bits (56, 112, 168), keys of
 * 8, 16 or 24 bytes; a generated key has odd parity in every byte. */
static void test_des_keys(struct cl *a)
{
	static const struct {
		uint32_t type, bits;
	} ks[] = {{TEE_TYPE_DES, 56}, {TEE_TYPE_DES3, 112}, {TEE_TYPE_DES3, 168}};
	for (unsigned i = 0; i < 3; i++) {
		uint64_t k = alloc_obj(a, ks[i].type, ks[i].bits);
		struct res r = call(a, CRYPTO_OP_OBJ_GENERATE, k, ks[i].bits, SP(0, 0), 0);
		CHECK(OK(r), "generate DES %u: %x", ks[i].bits, r.r);
		r = call(a, CRYPTO_OP_OBJ_INFO, k, 0, 0, 0);
		CHECK(OK(r) && (uint32_t)r.w2 == ks[i].bits, "DES %u: key size %u", ks[i].bits,
		      (unsigned)(uint32_t)r.w2);
		r = call(a, CRYPTO_OP_OBJ_GET_ATTR, k, TEE_ATTR_SECRET_VALUE, SP(OUT, 32), 0);
		int parity = OK(r) && r.w1 == ks[i].bits / 7;
		for (unsigned j = 0; parity && j < r.w1; j++)
			parity = __builtin_popcount(a->win[OUT + j]) % 2 == 1;
		CHECK(parity, "DES %u: %lu bytes of odd parity", ks[i].bits, (unsigned long)r.w1);
		call(a, CRYPTO_OP_OBJ_FREE, k, 0, 0, 0);
	}
	static const uint8_t key[24] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12,
	                                13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24};
	uint64_t k = alloc_obj(a, TEE_TYPE_DES3, 168);
	size_t n = rec_ref(a->win + REC, TEE_ATTR_SECRET_VALUE, key, 16);
	struct res r = call(a, CRYPTO_OP_OBJ_POPULATE, k, SP(REC, n), 0, 0);
	CHECK(OK(r), "3DES, two keys: %x", r.r);
	r = call(a, CRYPTO_OP_OBJ_INFO, k, 0, 0, 0);
	CHECK(OK(r) && (uint32_t)r.w2 == 112, "3DES, two keys: 112 bits");
	call(a, CRYPTO_OP_OBJ_FREE, k, 0, 0, 0);
	k = alloc_obj(a, TEE_TYPE_DES, 56);
	n = rec_ref(a->win + REC, TEE_ATTR_SECRET_VALUE, key, 7);
	r = call(a, CRYPTO_OP_OBJ_POPULATE, k, SP(REC, n), 0, 0);
	CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, 0), "DES key of 7 bytes: %x", r.r);
	call(a, CRYPTO_OP_OBJ_FREE, k, 0, 0, 0);
	r = call(a, CRYPTO_OP_OBJ_ALLOC, TEE_TYPE_DES, 64, 0, 0);
	CHECK(IS(r, TEE_ERROR_NOT_SUPPORTED, 0), "DES of 64 bits (parity counted)");
}

/* P-192 and P-224 (GP's smaller NIST curves): a generated key signs with
 * the old fixed-curve identifier and verifies with the GP 1.3 one; r||s is
 * twice the curve's bytes; the fixed identifier takes only its own size. */
static void test_ecc_small(struct cl *a)
{
	static const struct {
		uint32_t bits, curve, old_alg;
	} cs[] = {{192, TEE_ECC_CURVE_NIST_P192, 0x70001041U},
	          {224, TEE_ECC_CURVE_NIST_P224, 0x70002041U}};
	uint8_t digest[32];
	unhex(digest, abc_sha256);
	for (unsigned i = 0; i < 2; i++) {
		uint32_t bits = cs[i].bits, bytes = (bits + 7) / 8;
		uint64_t kp = alloc_obj(a, TEE_TYPE_ECDSA_KEYPAIR, bits);
		size_t n = rec_val(a->win + REC, TEE_ATTR_ECC_CURVE, cs[i].curve, 0);
		struct res r = call(a, CRYPTO_OP_OBJ_GENERATE, kp, bits, SP(REC, n), 0);
		CHECK(OK(r), "generate P-%u: %x", bits, r.r);
		struct res bad = call(a, CRYPTO_OP_ALLOC, cs[i].old_alg, TEE_MODE_SIGN, 256, 0);
		CHECK(IS(bad, TEE_ERROR_NOT_SUPPORTED, 0), "P-%u's old identifier, 256 bits", bits);
		uint64_t sign = alloc_op(a, cs[i].old_alg, TEE_MODE_SIGN, bits);
		r = call(a, CRYPTO_OP_SET_KEY, sign, kp, 0, 0);
		CHECK(OK(r), "SET_KEY P-%u: %x", bits, r.r);
		r = asym(a, sign, TEE_MODE_SIGN, digest, 32, 0, 0, 0, 0);
		CHECK(OK(r) && r.w1 == 2 * bytes, "ECDSA P-%u sign: %x %lu", bits, r.r,
		      (unsigned long)r.w1);
		uint8_t sig[64];
		memcpy(sig, a->win + OUT, 2 * bytes);
		uint64_t verify = alloc_op(a, TEE_ALG_ECDSA_SHA256, TEE_MODE_VERIFY, bits);
		r = call(a, CRYPTO_OP_SET_KEY, verify, kp, 0, 0);
		r = asym(a, verify, TEE_MODE_VERIFY, digest, 32, 0, 0, sig, 2 * bytes);
		CHECK(OK(r), "ECDSA P-%u verify: %x", bits, r.r);
		sig[3] ^= 1;
		r = asym(a, verify, TEE_MODE_VERIFY, digest, 32, 0, 0, sig, 2 * bytes);
		CHECK(r.r == TEE_ERROR_SIGNATURE_INVALID, "ECDSA P-%u bad signature: %x", bits,
		      r.r);
		call(a, CRYPTO_OP_FREE, sign, 0, 0, 0);
		call(a, CRYPTO_OP_FREE, verify, 0, 0, 0);
		/* d of this key with another key's point: an ECDH pair takes it
		 * (the point is on the curve; only d is used), an ECDSA pair not. */
		uint64_t other = alloc_obj(a, TEE_TYPE_ECDSA_KEYPAIR, bits);
		r = call(a, CRYPTO_OP_OBJ_GENERATE, other, bits, SP(0, 0), 0);
		n = 0;
		static const uint32_t ids[3] = {TEE_ATTR_ECC_PRIVATE_VALUE,
		                                TEE_ATTR_ECC_PUBLIC_VALUE_X,
		                                TEE_ATTR_ECC_PUBLIC_VALUE_Y};
		uint8_t v[3][32];
		uint32_t vl[3];
		for (int j = 0; j < 3; j++) {
			r = call(a, CRYPTO_OP_OBJ_GET_ATTR, j ? other : kp, ids[j], SP(OUT, 32), 0);
			vl[j] = (uint32_t)r.w1;
			memcpy(v[j], a->win + OUT, vl[j] <= 32 ? vl[j] : 32);
		}
		n = rec_val(a->win + REC, TEE_ATTR_ECC_CURVE, cs[i].curve, 0);
		for (int j = 0; j < 3; j++)
			n += rec_ref(a->win + REC + n, ids[j], v[j], vl[j]);
		uint64_t dh = alloc_obj(a, TEE_TYPE_ECDH_KEYPAIR, bits),
		         ds = alloc_obj(a, TEE_TYPE_ECDSA_KEYPAIR, bits);
		r = call(a, CRYPTO_OP_OBJ_POPULATE, dh, SP(REC, n), 0, 0);
		CHECK(OK(r), "P-%u ECDH pair with another point: %x", bits, r.r);
		r = call(a, CRYPTO_OP_OBJ_POPULATE, ds, SP(REC, n), 0, 0);
		CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, 0), "P-%u ECDSA pair with another point: %x",
		      bits, r.r);
		call(a, CRYPTO_OP_OBJ_FREE, dh, 0, 0, 0);
		call(a, CRYPTO_OP_OBJ_FREE, ds, 0, 0, 0);
		call(a, CRYPTO_OP_OBJ_FREE, other, 0, 0, 0);
		call(a, CRYPTO_OP_OBJ_FREE, kp, 0, 0, 0);
	}
}

static void test_ecc(struct cl *a)
{
	uint64_t kp = alloc_obj(a, TEE_TYPE_ECDSA_KEYPAIR, 256);
	size_t n = rec_val(a->win + REC, TEE_ATTR_ECC_CURVE, TEE_ECC_CURVE_NIST_P256, 0);
	struct res r = call(a, CRYPTO_OP_OBJ_GENERATE, kp, 256, SP(REC, n), 0);
	CHECK(OK(r), "generate P-256: %x", r.r);
	r = call(a, CRYPTO_OP_OBJ_INFO, kp, 0, 0, 0);
	CHECK(OK(r) && r.w1 == TEE_TYPE_ECDSA_KEYPAIR && r.w2 == (256 | 256ULL << 32) && r.w3 == 1,
	      "info of the key pair");
	r = call(a, CRYPTO_OP_OBJ_GET_ATTR, kp, TEE_ATTR_ECC_CURVE, 0, 0);
	CHECK(OK(r) && r.w2 == TEE_ECC_CURVE_NIST_P256, "curve attribute");
	r = call(a, CRYPTO_OP_OBJ_GET_ATTR, kp, TEE_ATTR_ECC_PUBLIC_VALUE_X, SP(OUT, 4), 0);
	CHECK(r.r == TEE_ERROR_SHORT_BUFFER && r.w1 >= 30 && r.w1 <= 32, "X short buffer: %x", r.r);
	uint8_t digest[32];
	unhex(digest, abc_sha256);
	uint64_t sign = alloc_op(a, TEE_ALG_ECDSA_SHA256, TEE_MODE_SIGN, 256);
	r = call(a, CRYPTO_OP_SET_KEY, sign, kp, 0, 0);
	CHECK(OK(r), "SET_KEY ECDSA: %x", r.r);
	r = asym(a, sign, TEE_MODE_SIGN, digest, 32, 0, 0, 0, 0);
	CHECK(OK(r) && r.w1 == 64, "ECDSA sign: %x %lu", r.r, (unsigned long)r.w1);
	uint8_t sig[64];
	memcpy(sig, a->win + OUT, 64);
	/* Verify with the public half, copied into a public-key object. */
	uint64_t pub = alloc_obj(a, TEE_TYPE_ECDSA_PUBLIC_KEY, 256);
	r = call(a, CRYPTO_OP_OBJ_COPY, pub, kp, 0, 0);
	CHECK(OK(r), "copy the public key: %x", r.r);
	r = call(a, CRYPTO_OP_OBJ_GET_ATTR, pub, TEE_ATTR_ECC_PRIVATE_VALUE, SP(OUT, 64), 0);
	CHECK(IS(r, TEE_ERROR_ITEM_NOT_FOUND, 0), "no private value in the public key");
	uint64_t verify = alloc_op(a, TEE_ALG_ECDSA_SHA256, TEE_MODE_VERIFY, 256);
	r = call(a, CRYPTO_OP_SET_KEY, verify, pub, 0, 0);
	CHECK(OK(r), "SET_KEY public: %x", r.r);
	r = asym(a, verify, TEE_MODE_VERIFY, digest, 32, 0, 0, sig, 64);
	CHECK(OK(r), "ECDSA verify: %x", r.r);
	sig[10] ^= 1;
	r = asym(a, verify, TEE_MODE_VERIFY, digest, 32, 0, 0, sig, 64);
	CHECK(r.r == TEE_ERROR_SIGNATURE_INVALID, "ECDSA bad signature: %x", r.r);
	/* A public key cannot sign. */
	uint64_t sign2 = alloc_op(a, TEE_ALG_ECDSA_SHA256, TEE_MODE_SIGN, 256);
	r = call(a, CRYPTO_OP_SET_KEY, sign2, pub, 0, 0);
	CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, 0), "sign with a public key: %x", r.r);
	call(a, CRYPTO_OP_FREE, sign2, 0, 0, 0);
	call(a, CRYPTO_OP_FREE, sign, 0, 0, 0);
	call(a, CRYPTO_OP_FREE, verify, 0, 0, 0);
	call(a, CRYPTO_OP_OBJ_FREE, kp, 0, 0, 0);
	call(a, CRYPTO_OP_OBJ_FREE, pub, 0, 0, 0);

	/* ECDH P-256 both ways (the old OP-TEE identifier on one side). */
	uint64_t k1 = alloc_obj(a, TEE_TYPE_ECDH_KEYPAIR, 256),
	         k2 = alloc_obj(a, TEE_TYPE_ECDH_KEYPAIR, 256);
	n = rec_val(a->win + REC, TEE_ATTR_ECC_CURVE, TEE_ECC_CURVE_NIST_P256, 0);
	r = call(a, CRYPTO_OP_OBJ_GENERATE, k1, 256, SP(REC, n), 0);
	CHECK(OK(r), "ECDH key 1: %x", r.r);
	r = call(a, CRYPTO_OP_OBJ_GENERATE, k2, 256, SP(0, 0), 0);
	CHECK(OK(r), "ECDH key 2 (size only): %x", r.r);
	uint8_t secret[2][32];
	for (int i = 0; i < 2; i++) {
		uint64_t me = i ? k2 : k1, peer = i ? k1 : k2;
		uint64_t op = alloc_op(a, i ? 0x80003042U : TEE_ALG_ECDH_DERIVE_SHARED_SECRET,
		                       TEE_MODE_DERIVE, 256);
		r = call(a, CRYPTO_OP_SET_KEY, op, me, 0, 0);
		CHECK(OK(r), "SET_KEY ECDH: %x", r.r);
		uint8_t x[66], y[66];
		struct res rx = call(a, CRYPTO_OP_OBJ_GET_ATTR, peer, TEE_ATTR_ECC_PUBLIC_VALUE_X,
		                     SP(OUT, 66), 0);
		memcpy(x, a->win + OUT, rx.w1);
		struct res ry = call(a, CRYPTO_OP_OBJ_GET_ATTR, peer, TEE_ATTR_ECC_PUBLIC_VALUE_Y,
		                     SP(OUT, 66), 0);
		memcpy(y, a->win + OUT, ry.w1);
		n = rec_ref(a->win + REC, TEE_ATTR_ECC_PUBLIC_VALUE_X, x, (uint32_t)rx.w1);
		n += rec_ref(a->win + REC + n, TEE_ATTR_ECC_PUBLIC_VALUE_Y, y, (uint32_t)ry.w1);
		uint64_t s = alloc_obj(a, TEE_TYPE_GENERIC_SECRET, 256);
		r = call(a, CRYPTO_OP_DERIVE, op, SP(REC, n), s, 0);
		CHECK(OK(r), "ECDH derive %d: %x", i, r.r);
		r = call(a, CRYPTO_OP_OBJ_GET_ATTR, s, TEE_ATTR_SECRET_VALUE, SP(OUT, 32), 0);
		CHECK(OK(r) && r.w1 == 32, "ECDH secret %d", i);
		memcpy(secret[i], a->win + OUT, 32);
		/* A point off the curve is refused. */
		uint64_t s2 = alloc_obj(a, TEE_TYPE_GENERIC_SECRET, 256);
		a->win[REC + 8 + 5] ^= 1;
		r = call(a, CRYPTO_OP_DERIVE, op, SP(REC, n), s2, 0);
		CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, 0), "ECDH with a bad point: %x", r.r);
		call(a, CRYPTO_OP_OBJ_FREE, s, 0, 0, 0);
		call(a, CRYPTO_OP_OBJ_FREE, s2, 0, 0, 0);
		call(a, CRYPTO_OP_FREE, op, 0, 0, 0);
	}
	CHECK(memcmp(secret[0], secret[1], 32) == 0, "ECDH: both sides agree");
	call(a, CRYPTO_OP_OBJ_FREE, k1, 0, 0, 0);
	call(a, CRYPTO_OP_OBJ_FREE, k2, 0, 0, 0);
}

#ifndef RSA_BITS
#define RSA_BITS 2048
#endif

static void test_rsa(struct cl *a)
{
	enum { K = RSA_BITS / 8 };
	uint64_t kp = alloc_obj(a, TEE_TYPE_RSA_KEYPAIR, RSA_BITS);
	struct res r = call(a, CRYPTO_OP_TEST_STATS, 1, 0, 0, 0);
	size_t before = r.w2;
	uint64_t t0 = mt_time(0);
	r = call(a, CRYPTO_OP_OBJ_GENERATE, kp, RSA_BITS, SP(0, 0), 0);
	uint64_t freq, t1 = mt_time(&freq);
	CHECK(OK(r), "RSA-%d generation: %x", RSA_BITS, r.r);
	struct res st = call(a, CRYPTO_OP_TEST_STATS, 1, 0, 0, 0);
	printf("test_crypto: RSA-%d key generated in %lu ms (guest time), peak heap %lu bytes, "
	       "the key %lu bytes\n",
	       RSA_BITS, (unsigned long)((t1 - t0) * 1000 / (freq ? freq : 1)),
	       (unsigned long)(st.w3 - before), (unsigned long)(st.w2 - before));
	uint8_t n[K], e[8];
	r = call(a, CRYPTO_OP_OBJ_GET_ATTR, kp, TEE_ATTR_RSA_MODULUS, SP(OUT, K), 0);
	CHECK(OK(r) && r.w1 == K && (a->win[OUT] & 0x80), "modulus: %x %lu", r.r,
	      (unsigned long)r.w1);
	memcpy(n, a->win + OUT, K);
	r = call(a, CRYPTO_OP_OBJ_GET_ATTR, kp, TEE_ATTR_RSA_PUBLIC_EXPONENT, SP(OUT, 8), 0);
	CHECK(OK(r) && r.w1 == 3 && hexeq(a->win + OUT, "010001"), "public exponent");
	memcpy(e, a->win + OUT, 3);
	for (uint32_t id = TEE_ATTR_RSA_PRIVATE_EXPONENT; id <= TEE_ATTR_RSA_COEFFICIENT;
	     id += 0x100) {
		r = call(a, CRYPTO_OP_OBJ_GET_ATTR, kp, id, SP(OUT, K), 0);
		CHECK(OK(r) && r.w1 > K / 4, "attribute %x: %x", id, r.r);
	}
	/* The public key, populated from those. */
	uint64_t pub = alloc_obj(a, TEE_TYPE_RSA_PUBLIC_KEY, RSA_BITS);
	size_t pn = rec_ref(a->win + REC, TEE_ATTR_RSA_MODULUS, n, K);
	pn += rec_ref(a->win + REC + pn, TEE_ATTR_RSA_PUBLIC_EXPONENT, e, 3);
	r = call(a, CRYPTO_OP_OBJ_POPULATE, pub, SP(REC, pn), 0, 0);
	CHECK(OK(r), "populate the RSA public key: %x", r.r);

	uint8_t digest[32], sig[K];
	unhex(digest, abc_sha256);
	static const uint32_t sigalgs[] = {TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA256,
	                                   TEE_ALG_RSASSA_PKCS1_V1_5_SHA256};
	for (unsigned i = 0; i < 2; i++) {
		uint64_t sign = alloc_op(a, sigalgs[i], TEE_MODE_SIGN, RSA_BITS);
		uint64_t verify = alloc_op(a, sigalgs[i], TEE_MODE_VERIFY, RSA_BITS);
		call(a, CRYPTO_OP_SET_KEY, sign, kp, 0, 0);
		r = call(a, CRYPTO_OP_SET_KEY, verify, pub, 0, 0);
		CHECK(OK(r), "SET_KEY RSA public: %x", r.r);
		unhex(digest, abc_sha256);
		r = asym(a, sign, TEE_MODE_SIGN, digest, 31, 0, 0, 0, 0);
		CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, 0), "%x: a short digest: %x", sigalgs[i],
		      r.r);
		struct crypto_asym_req q = {TEE_MODE_SIGN, 0, 0, OUT, K - 1, 0};
		memcpy(a->win + REC, &q, sizeof(q));
		r = call(a, CRYPTO_OP_ASYM, sign, SP(IN, 32), SP(REC, sizeof(q)), 0);
		CHECK(r.r == TEE_ERROR_SHORT_BUFFER && r.w1 == K, "%x: short buffer", sigalgs[i]);
		/* Through a copy of the operation. */
		uint64_t copy = alloc_op(a, sigalgs[i], TEE_MODE_SIGN, RSA_BITS);
		r = call(a, CRYPTO_OP_COPY, copy, sign, 0, 0);
		CHECK(OK(r), "copy an RSA operation: %x", r.r);
		r = asym(a, copy, TEE_MODE_SIGN, digest, 32, 0, 0, 0, 0);
		CHECK(OK(r) && r.w1 == K, "%x: sign: %x", sigalgs[i], r.r);
		memcpy(sig, a->win + OUT, K);
		r = asym(a, verify, TEE_MODE_VERIFY, digest, 32, 0, 0, sig, K);
		CHECK(OK(r), "%x: verify: %x", sigalgs[i], r.r);
		digest[0] ^= 1;
		r = asym(a, verify, TEE_MODE_VERIFY, digest, 32, 0, 0, sig, K);
		CHECK(r.r == TEE_ERROR_SIGNATURE_INVALID, "%x: other digest: %x", sigalgs[i], r.r);
		r = asym(a, verify, TEE_MODE_VERIFY, digest, 32, 0, 0, sig, K - 1);
		CHECK(r.r == TEE_ERROR_SIGNATURE_INVALID, "%x: short signature: %x", sigalgs[i],
		      r.r);
		call(a, CRYPTO_OP_FREE, sign, 0, 0, 0);
		call(a, CRYPTO_OP_FREE, verify, 0, 0, 0);
		call(a, CRYPTO_OP_FREE, copy, 0, 0, 0);
	}

	static const uint32_t encalgs[] = {TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA256,
	                                   TEE_ALG_RSAES_PKCS1_V1_5, TEE_ALG_RSA_NOPAD};
	for (unsigned i = 0; i < 3; i++) {
		uint64_t enc = alloc_op(a, encalgs[i], TEE_MODE_ENCRYPT, RSA_BITS);
		uint64_t dec = alloc_op(a, encalgs[i], TEE_MODE_DECRYPT, RSA_BITS);
		call(a, CRYPTO_OP_SET_KEY, enc, pub, 0, 0);
		r = call(a, CRYPTO_OP_SET_KEY, dec, pub, 0, 0);
		CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, 0), "decrypt with a public key: %x", r.r);
		call(a, CRYPTO_OP_SET_KEY, dec, kp, 0, 0);
		uint8_t params[32], ct[K];
		size_t np = i == 0 ? rec_ref(params, TEE_ATTR_RSA_OAEP_LABEL, "a label", 8) : 0;
		r = asym(a, enc, TEE_MODE_ENCRYPT, "secret message", 14, params, np, 0, 0);
		/* RSA_NOPAD's output loses its leading zero octets, as under
		 * OP-TEE: shorter than K once in 256 keys or so. */
		size_t ct_len = i == 2 && OK(r) && r.w1 >= K - 8 && r.w1 <= K ? r.w1 : K;
		CHECK(OK(r) && r.w1 == ct_len, "%x: encrypt: %x, %lu bytes", encalgs[i], r.r,
		      (unsigned long)r.w1);
		memcpy(ct, a->win + OUT, K);
		r = asym(a, dec, TEE_MODE_DECRYPT, ct, ct_len, params, np, 0, 0);
		CHECK(OK(r) && r.w1 == 14 && memcmp(a->win + OUT, "secret message", 14) == 0,
		      "%x: decrypt: %x %lu", encalgs[i], r.r, (unsigned long)r.w1);
		if (i < 2) {
			ct[K / 2] ^= 1;
			r = asym(a, dec, TEE_MODE_DECRYPT, ct, K, params, np, 0, 0);
			CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, 0), "%x: bad ciphertext: %x",
			      encalgs[i], r.r);
			ct[K / 2] ^= 1;
			uint8_t big[K + 1] = {0};
			r = asym(a, enc, TEE_MODE_ENCRYPT, big, K, params, np, 0, 0);
			CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, 0), "%x: message too long: %x",
			      encalgs[i], r.r);
		}
		/* The mode must be the operation's. */
		r = asym(a, dec, TEE_MODE_ENCRYPT, ct, K, params, np, 0, 0);
		CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, 0), "ASYM in the wrong mode: %x", r.r);
		call(a, CRYPTO_OP_FREE, enc, 0, 0, 0);
		call(a, CRYPTO_OP_FREE, dec, 0, 0, 0);
	}
	call(a, CRYPTO_OP_OBJ_FREE, kp, 0, 0, 0);
	call(a, CRYPTO_OP_OBJ_FREE, pub, 0, 0, 0);
}

static void test_random(struct cl *a)
{
	struct res r1 = call(a, CRYPTO_OP_RANDOM, SP(OUT, 64), 0, 0, 0);
	uint8_t first[64];
	memcpy(first, a->win + OUT, 64);
	struct res r2 = call(a, CRYPTO_OP_RANDOM, SP(OUT, 64), 0, 0, 0);
	int same_bytes = 1;
	for (int i = 1; i < 64; i++)
		same_bytes &= first[i] == first[0];
	CHECK(OK(r1) && OK(r2) && r1.w1 == 64, "RANDOM");
	CHECK(!same_bytes, "random bytes are not all equal");
	CHECK(memcmp(first, a->win + OUT, 64) != 0, "two random draws differ");
}

/* ---- more known answers, table driven ---- */
struct kat {
	const char *name;
	uint32_t alg, key_type;
	const char *key, *iv, *in, *out;
	uint64_t ae; /* CRYPTO_OP_INIT w3 for AE: tag bits | AAD bytes << 16 | payload << 32 */
	const char *aad;
};

static const struct kat kats[] = {
    {"SHA-1 abc", TEE_ALG_SHA1, 0, "", "", "616263", "a9993e364706816aba3e25717850c26c9cd0d89d", 0,
     0},
    {"SHA-224 abc", TEE_ALG_SHA224, 0, "", "", "616263",
     "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7", 0, 0},
    {"SHA-384 abc", TEE_ALG_SHA384, 0, "", "", "616263",
     "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c82"
     "5a7",
     0, 0},
    {"HMAC-SHA1 RFC 2202 case 1", TEE_ALG_HMAC_SHA1, TEE_TYPE_HMAC_SHA1,
     "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "4869205468657265",
     "b617318655057264e28bc0b6fb378c8ef146be00", 0, 0},
    {"HMAC-SHA512 RFC 4231 case 1", TEE_ALG_HMAC_SHA512, TEE_TYPE_HMAC_SHA512,
     "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "4869205468657265",
     "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
     "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
     0, 0},
    {"AES-128-ECB SP 800-38A F.1.1", TEE_ALG_AES_ECB_NOPAD, TEE_TYPE_AES,
     "2b7e151628aed2a6abf7158809cf4f3c", "", "6bc1bee22e409f96e93d7e117393172a",
     "3ad77bb40d7a3660a89ecaf32466ef97", 0, 0},
    {"AES-128-CTR SP 800-38A F.5.1", TEE_ALG_AES_CTR, TEE_TYPE_AES,
     "2b7e151628aed2a6abf7158809cf4f3c", "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
     "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51",
     "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff", 0, 0},
    {"AES-128-XTS IEEE 1619 vector 1", TEE_ALG_AES_XTS, TEE_TYPE_AES,
     "00000000000000000000000000000000", "00000000000000000000000000000000",
     "0000000000000000000000000000000000000000000000000000000000000000",
     "917cf69ebd68b2ec9b9fe9a3eadda692cd43d2f59598ed858c02c2652fbf922e", 0, 0},
    {"AES-128-CMAC SP 800-38B D.1 example 2", TEE_ALG_AES_CMAC, TEE_TYPE_AES,
     "2b7e151628aed2a6abf7158809cf4f3c", "", "6bc1bee22e409f96e93d7e117393172a",
     "070a16b46b4d4144f79bdd9dd04a287c", 0, 0},
    {"AES-128-CCM SP 800-38C C.1", TEE_ALG_AES_CCM, TEE_TYPE_AES,
     "404142434445464748494a4b4c4d4e4f", "10111213141516", "20212223", "7162015b4dac255d",
     32 | 8 << 16 | 4ULL << 32, "0001020304050607"},
};

static void test_kats(struct cl *a)
{
	for (unsigned i = 0; i < sizeof(kats) / sizeof(kats[0]); i++) {
		const struct kat *t = &kats[i];
		uint8_t key[64], iv[16], in[64], aad[16];
		size_t kl = unhex(key, t->key), il = unhex(iv, t->iv), n = unhex(in, t->in);
		size_t outlen = strlen(t->out) / 2;
		int digest = t->key_type == 0, mac = (t->alg >> 28) == 3, ae = (t->alg >> 28) == 4;
		uint32_t mode = digest ? TEE_MODE_DIGEST : mac ? TEE_MODE_MAC : TEE_MODE_ENCRYPT;
		uint32_t bits = (uint32_t)kl * 8;
		if (t->alg == TEE_ALG_HMAC_SHA1 || t->alg == TEE_ALG_HMAC_SHA512)
			bits = 512;
		uint64_t op = alloc_op(a, t->alg, mode, digest ? 0 : bits), k = 0, k2 = 0;
		struct res r;
		if (!digest) {
			k = secret_obj(a, t->key_type, bits, key, (uint32_t)kl);
			if (t->alg == TEE_ALG_AES_XTS)
				k2 = secret_obj(a, t->key_type, bits, key, (uint32_t)kl);
			r = call(a, CRYPTO_OP_SET_KEY, op, k, k2, 0);
			CHECK(OK(r), "%s: SET_KEY %x", t->name, r.r);
			memcpy(a->win + IN, iv, il);
			r = call(a, CRYPTO_OP_INIT, op, SP(IN, il), t->ae, 0);
			CHECK(OK(r), "%s: INIT %x", t->name, r.r);
		}
		if (ae && t->aad) {
			size_t al = unhex(aad, t->aad);
			memcpy(a->win + IN, aad, al);
			r = call(a, CRYPTO_OP_UPDATE_AAD, op, SP(IN, al), 0, 0);
			CHECK(OK(r), "%s: AAD %x", t->name, r.r);
		}
		/* All but the last 5 bytes in an update (none for a cipher
		 * that would keep them), the rest in the final. */
		size_t first = n > 5 && !ae ? n - 5 : 0;
		memcpy(a->win + IN, in, n);
		memset(a->win + OUT, 0xEE, 128);
		r = call(a, CRYPTO_OP_UPDATE, op, SP(IN, first), SP(OUT, digest || mac ? 0 : 64),
		         0);
		CHECK(OK(r), "%s: UPDATE %x", t->name, r.r);
		size_t got = digest || mac ? 0 : r.w1;
		r = call(a, CRYPTO_OP_FINAL, op, SP(IN + first, n - first), SP(OUT + got, 64), 0);
		CHECK(OK(r) && got + r.w1 == outlen && hexeq(a->win + OUT, t->out),
		      "%s: %x, %lu bytes", t->name, r.r, (unsigned long)(got + r.w1));
		if (ae) { /* and back */
			uint64_t dec = alloc_op(a, t->alg, TEE_MODE_DECRYPT, bits);
			call(a, CRYPTO_OP_SET_KEY, dec, k, 0, 0);
			memcpy(a->win + IN, iv, il);
			call(a, CRYPTO_OP_INIT, dec, SP(IN, il), t->ae, 0);
			size_t al = unhex(aad, t->aad);
			memcpy(a->win + IN, aad, al);
			call(a, CRYPTO_OP_UPDATE_AAD, dec, SP(IN, al), 0, 0);
			size_t tl = (t->ae & 0xFFFF) / 8;
			struct crypto_check_req q = {(uint32_t)tl, OUT + 512, 64, 0};
			memcpy(a->win + REC, &q, sizeof(q));
			memcpy(a->win + REC + 16, a->win + OUT + n, tl);
			r = call(a, CRYPTO_OP_FINAL_CHECK, dec, SP(OUT, n), SP(REC, 16 + tl), 0);
			CHECK(OK(r) && r.w1 == n && memcmp(a->win + OUT + 512, in, n) == 0,
			      "%s: decrypt %x", t->name, r.r);
			call(a, CRYPTO_OP_FREE, dec, 0, 0, 0);
		}
		call(a, CRYPTO_OP_FREE, op, 0, 0, 0);
		call(a, CRYPTO_OP_OBJ_FREE, k, 0, 0, 0);
		call(a, CRYPTO_OP_OBJ_FREE, k2, 0, 0, 0);
	}
}

/* ---- hostile requests ---- */
static void test_spans(struct cl *a)
{
	uint64_t op = alloc_op(a, TEE_ALG_SHA256, TEE_MODE_DIGEST, 0);
	uint32_t size = (uint32_t)a->size;
	uint64_t spans[] = {SP(size - 1, 2),    SP(size, 1),           SP(0xFFFFFFFFU, 2),
	                    SP(2, 0xFFFFFFFFU), SP(0xFFFFFFF0U, 0x20), SP(size + 1, 0)};
	for (unsigned i = 0; i < sizeof(spans) / sizeof(spans[0]); i++) {
		struct res r = call(a, CRYPTO_OP_UPDATE, op, spans[i], SP(0, 0), 0);
		CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, CRYPTO_REASON_BAD_SPAN), "span %u in: %x", i,
		      r.r);
		r = call(a, CRYPTO_OP_FINAL, op, SP(0, 3), spans[i], 0);
		CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, CRYPTO_REASON_BAD_SPAN), "span %u out: %x", i,
		      r.r);
		r = call(a, CRYPTO_OP_RANDOM, spans[i], 0, 0, 0);
		CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, CRYPTO_REASON_BAD_SPAN), "span %u random", i);
	}
	/* The last byte of the window is fine. */
	struct res r = call(a, CRYPTO_OP_RANDOM, SP(size - 1, 1), 0, 0, 0);
	CHECK(OK(r), "the window's last byte");
	call(a, CRYPTO_OP_FREE, op, 0, 0, 0);

	/* Output areas inside request structures. */
	uint64_t kp = alloc_obj(a, TEE_TYPE_ECDSA_KEYPAIR, 256);
	call(a, CRYPTO_OP_OBJ_GENERATE, kp, 256, SP(0, 0), 0);
	uint64_t sign = alloc_op(a, TEE_ALG_ECDSA_SHA256, TEE_MODE_SIGN, 256);
	call(a, CRYPTO_OP_SET_KEY, sign, kp, 0, 0);
	struct crypto_asym_req q = {TEE_MODE_SIGN, 0, 0, size - 10, 64, 0};
	memcpy(a->win + REC, &q, sizeof(q));
	r = call(a, CRYPTO_OP_ASYM, sign, SP(IN, 32), SP(REC, sizeof(q)), 0);
	CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, CRYPTO_REASON_BAD_SPAN), "asym out area: %x", r.r);
	q = (struct crypto_asym_req){TEE_MODE_SIGN, 0xFFFFFFF0U, 0x20, OUT, 64, 0};
	memcpy(a->win + REC, &q, sizeof(q));
	r = call(a, CRYPTO_OP_ASYM, sign, SP(IN, 32), SP(REC, sizeof(q)), 0);
	CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, 0), "asym lengths overflowing: %x", r.r);
	r = call(a, CRYPTO_OP_ASYM, sign, SP(IN, 32), SP(REC, sizeof(q) - 1), 0);
	CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, 0), "asym request cut short: %x", r.r);
	call(a, CRYPTO_OP_FREE, sign, 0, 0, 0);
	call(a, CRYPTO_OP_OBJ_FREE, kp, 0, 0, 0);
}

static void test_records(struct cl *a)
{
	uint64_t o = alloc_obj(a, TEE_TYPE_AES, 256);
	uint8_t *p = a->win + REC, key[32] = {1};
	struct res r;
#define POP(len) call(a, CRYPTO_OP_OBJ_POPULATE, o, SP(REC, (len)), 0, 0)
	/* A header cut short. */
	rec_ref(p, TEE_ATTR_SECRET_VALUE, key, 16);
	r = POP(4);
	CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, CRYPTO_REASON_BAD_RECORD), "short header: %x", r.r);
	/* A length beyond the span, and a huge one. */
	r = POP(20);
	CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, CRYPTO_REASON_BAD_RECORD), "length beyond span");
	uint32_t huge[2] = {TEE_ATTR_SECRET_VALUE, 0xFFFFFFF8U};
	memcpy(p, huge, 8);
	r = POP(64);
	CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, CRYPTO_REASON_BAD_RECORD), "huge length");
	/* A value attribute with a length; a value cut short. */
	uint32_t v[4] = {TEE_ATTR_ECC_CURVE, 8, 3, 0};
	memcpy(p, v, 16);
	r = POP(16);
	CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, CRYPTO_REASON_BAD_RECORD), "value with a length");
	rec_val(p, TEE_ATTR_ECC_CURVE, 3, 0);
	r = POP(12);
	CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, CRYPTO_REASON_BAD_RECORD), "value cut short");
	/* The same attribute twice. */
	size_t n = rec_ref(p, TEE_ATTR_SECRET_VALUE, key, 16);
	n += rec_ref(p + n, TEE_ATTR_SECRET_VALUE, key, 16);
	r = POP(n);
	CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, CRYPTO_REASON_BAD_RECORD), "duplicate attribute");
	/* Too many records. */
	n = 0;
	for (int i = 0; i < 20; i++)
		n += rec_val(p + n, 0xF0000000U | (uint32_t)i, 0, 0);
	r = POP(n);
	CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, CRYPTO_REASON_BAD_RECORD), "too many records");
	/* Well formed but wrong: an RSA attribute, a 15-byte AES key,
	 * nothing at all. */
	n = rec_ref(p, TEE_ATTR_RSA_MODULUS, key, 16);
	r = POP(n);
	CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, 0), "RSA attribute in an AES key: %x", r.r);
	n = rec_ref(p, TEE_ATTR_SECRET_VALUE, key, 15);
	r = POP(n);
	CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, 0), "15-byte AES key: %x", r.r);
	r = POP(0);
	CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, 0), "no attributes");
	/* Junk of every length never crashes the service. */
	uint32_t seed = 12345;
	for (int i = 0; i < 200; i++) {
		for (int j = 0; j < 64; j++) {
			seed = seed * 1103515245 + 12345;
			p[j] = (uint8_t)(seed >> 16);
		}
		if (i & 1)
			memcpy(p, &(uint32_t){TEE_ATTR_SECRET_VALUE}, 4);
		r = POP((size_t)(i % 65));
		if (r.ipc != MT_OK)
			break;
	}
	CHECK(r.ipc == MT_OK, "junk records");
	/* Now a good key; populating again is a state error. */
	n = rec_ref(p, TEE_ATTR_SECRET_VALUE, key, 32);
	r = POP(n);
	CHECK(OK(r), "good AES-256 key: %x", r.r);
	r = POP(n);
	CHECK(IS(r, TEE_ERROR_BAD_STATE, CRYPTO_REASON_STATE), "populate twice: %x", r.r);
	/* Junk EC points and RSA keys. */
	uint64_t ec = alloc_obj(a, TEE_TYPE_ECDSA_PUBLIC_KEY, 256);
	n = rec_ref(p, TEE_ATTR_ECC_PUBLIC_VALUE_X, key, 32);
	n += rec_ref(p + n, TEE_ATTR_ECC_PUBLIC_VALUE_Y, key, 32);
	n += rec_val(p + n, TEE_ATTR_ECC_CURVE, TEE_ECC_CURVE_NIST_P256, 0);
	r = call(a, CRYPTO_OP_OBJ_POPULATE, ec, SP(REC, n), 0, 0);
	CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, 0), "EC point not on the curve: %x", r.r);
	uint64_t rsa = alloc_obj(a, TEE_TYPE_RSA_PUBLIC_KEY, 2048);
	n = rec_ref(p, TEE_ATTR_RSA_MODULUS, key, 32);
	n += rec_ref(p + n, TEE_ATTR_RSA_PUBLIC_EXPONENT, key, 3);
	r = call(a, CRYPTO_OP_OBJ_POPULATE, rsa, SP(REC, n), 0, 0);
	CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, 0), "junk RSA key: %x", r.r);
	call(a, CRYPTO_OP_OBJ_FREE, rsa, 0, 0, 0);
	call(a, CRYPTO_OP_OBJ_FREE, ec, 0, 0, 0);
	call(a, CRYPTO_OP_OBJ_FREE, o, 0, 0, 0);
#undef POP
}

/* Badge B must not reach badge A's objects and operations. */
static void test_isolation(struct cl *a, struct cl *b)
{
	uint8_t key[16] = {7};
	uint64_t ka = secret_obj(a, TEE_TYPE_AES, 128, key, 16);
	uint64_t opa = alloc_op(a, TEE_ALG_AES_ECB_NOPAD, TEE_MODE_ENCRYPT, 128);
	struct res r;
	/* B has nothing: A's ids name nothing of B's. */
	r = call(b, CRYPTO_OP_OBJ_INFO, ka, 0, 0, 0);
	CHECK(IS(r, TEE_ERROR_ITEM_NOT_FOUND, CRYPTO_REASON_BAD_ID), "B reads A's object: %x", r.r);
	r = call(b, CRYPTO_OP_OBJ_GET_ATTR, ka, TEE_ATTR_SECRET_VALUE, SP(0, 16), 0);
	CHECK(IS(r, TEE_ERROR_ITEM_NOT_FOUND, CRYPTO_REASON_BAD_ID), "B extracts A's key: %x", r.r);
	r = call(b, CRYPTO_OP_OBJ_FREE, ka, 0, 0, 0);
	CHECK(IS(r, TEE_ERROR_ITEM_NOT_FOUND, CRYPTO_REASON_BAD_ID), "B frees A's object");
	r = call(b, CRYPTO_OP_FREE, opa, 0, 0, 0);
	CHECK(IS(r, TEE_ERROR_ITEM_NOT_FOUND, CRYPTO_REASON_BAD_ID), "B frees A's operation");
	/* B with objects and operations of its own in the same slots. */
	uint64_t kb = secret_obj(b, TEE_TYPE_AES, 128, key, 16);
	uint64_t opb = alloc_op(b, TEE_ALG_AES_ECB_NOPAD, TEE_MODE_ENCRYPT, 128);
	CHECK((ka & 63) == (kb & 63) && ka != kb, "same slot, different ids: %lx %lx",
	      (unsigned long)ka, (unsigned long)kb);
	r = call(b, CRYPTO_OP_SET_KEY, opb, ka, 0, 0);
	CHECK(IS(r, TEE_ERROR_ITEM_NOT_FOUND, CRYPTO_REASON_BAD_ID), "B keys with A's object");
	r = call(b, CRYPTO_OP_SET_KEY, opa, kb, 0, 0);
	CHECK(IS(r, TEE_ERROR_ITEM_NOT_FOUND, CRYPTO_REASON_BAD_ID), "B uses A's operation");
	r = call(b, CRYPTO_OP_OBJ_COPY, kb, ka, 0, 0);
	CHECK(IS(r, TEE_ERROR_ITEM_NOT_FOUND, CRYPTO_REASON_BAD_ID), "B copies A's object");
	r = call(b, CRYPTO_OP_SET_KEY, opb, kb, 0, 0);
	CHECK(OK(r), "B keys with its own object");
	/* Only init may say that a client has gone. */
	for (uint64_t badge = CRYPTO_BADGE_FIRST_CLIENT; badge < CRYPTO_BADGE_FIRST_CLIENT + 64;
	     badge++) {
		r = call(b, CRYPTO_OP_CLIENT_GONE, badge, 0, 0, 0);
		if (!IS(r, TEE_ERROR_ACCESS_DENIED, 0))
			break;
	}
	CHECK(IS(r, TEE_ERROR_ACCESS_DENIED, 0), "CLIENT_GONE from a client: %x", r.r);
	/* A's object is intact. */
	r = call(a, CRYPTO_OP_OBJ_GET_ATTR, ka, TEE_ATTR_SECRET_VALUE, SP(OUT, 16), 0);
	CHECK(OK(r) && r.w1 == 16 && a->win[OUT] == 7, "A's key intact");
	/* Ids that are no ids; an object id used as an operation id. */
	uint64_t junk[] = {0, 1, 31, 63, 0xFFFFFFFFULL, 1ULL << 40, ka ^ 0x40, ka | 1ULL << 32};
	for (unsigned i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		r = call(a, CRYPTO_OP_OBJ_INFO, junk[i], 0, 0, 0);
		CHECK(IS(r, TEE_ERROR_ITEM_NOT_FOUND, CRYPTO_REASON_BAD_ID), "junk id %u", i);
	}
	r = call(a, CRYPTO_OP_INIT, ka, 0, 0, 0);
	CHECK(IS(r, TEE_ERROR_ITEM_NOT_FOUND, CRYPTO_REASON_BAD_ID), "object id as operation id");
	/* A freed id stays dead even when its slot is reused. */
	call(a, CRYPTO_OP_OBJ_FREE, ka, 0, 0, 0);
	uint64_t ka2 = secret_obj(a, TEE_TYPE_AES, 128, key, 16);
	r = call(a, CRYPTO_OP_OBJ_INFO, ka, 0, 0, 0);
	CHECK((ka2 & 63) == (ka & 63) && IS(r, TEE_ERROR_ITEM_NOT_FOUND, CRYPTO_REASON_BAD_ID),
	      "stale id after reuse");
	call(a, CRYPTO_OP_OBJ_FREE, ka2, 0, 0, 0);
	call(a, CRYPTO_OP_FREE, opa, 0, 0, 0);
	call(b, CRYPTO_OP_FREE, opb, 0, 0, 0);
	call(b, CRYPTO_OP_OBJ_FREE, kb, 0, 0, 0);
}

static void test_limits(struct cl *a)
{
	uint64_t ids[33];
	struct res r;
	unsigned n = 0;
	for (; n < 33; n++) {
		r = call(a, CRYPTO_OP_OBJ_ALLOC, TEE_TYPE_AES, 128, 0, 0);
		if (!OK(r))
			break;
		ids[n] = r.w1;
	}
	CHECK(n == 32 && IS(r, TEE_ERROR_OUT_OF_MEMORY, CRYPTO_REASON_LIMIT), "32 objects: %u", n);
	for (unsigned i = 0; i < n; i++)
		call(a, CRYPTO_OP_OBJ_FREE, ids[i], 0, 0, 0);
	for (n = 0; n < 33; n++) {
		r = call(a, CRYPTO_OP_ALLOC, TEE_ALG_SHA1, TEE_MODE_DIGEST, 0, 0);
		if (!OK(r))
			break;
		ids[n] = r.w1;
	}
	CHECK(n == 32 && IS(r, TEE_ERROR_OUT_OF_MEMORY, CRYPTO_REASON_LIMIT), "32 operations: %u",
	      n);
	for (unsigned i = 0; i < n; i++)
		call(a, CRYPTO_OP_FREE, ids[i], 0, 0, 0);
	/* Unsupported things. */
	r = call(a, CRYPTO_OP_ALLOC, 0x12345678, TEE_MODE_DIGEST, 0, 0);
	CHECK(IS(r, TEE_ERROR_NOT_SUPPORTED, 0), "unknown algorithm");
	r = call(a, CRYPTO_OP_ALLOC, TEE_ALG_SHA256, TEE_MODE_ENCRYPT, 0, 0);
	CHECK(IS(r, TEE_ERROR_NOT_SUPPORTED, 0), "digest in the wrong mode");
	r = call(a, CRYPTO_OP_ALLOC, TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, 100, 0);
	CHECK(IS(r, TEE_ERROR_NOT_SUPPORTED, 0), "AES of 100 bits");
	r = call(a, CRYPTO_OP_OBJ_ALLOC, TEE_TYPE_ECDSA_KEYPAIR, 200, 0, 0);
	CHECK(IS(r, TEE_ERROR_NOT_SUPPORTED, 0), "an EC key of 200 bits (no such curve)");
	r = call(a, CRYPTO_OP_OBJ_ALLOC, TEE_TYPE_RSA_KEYPAIR, 8192, 0, 0);
	CHECK(IS(r, TEE_ERROR_NOT_SUPPORTED, 0), "RSA-8192");
	r = call(a, 999, 0, 0, 0, 0);
	CHECK(IS(r, TEE_ERROR_NOT_SUPPORTED, 0), "unknown request");
	/* A handle sent with a request other than ATTACH is dropped, not kept. */
	mt_handle_t shm;
	mt_shm_create(4096, &shm);
	r = call(a, CRYPTO_OP_RANDOM, SP(0, 8), 0, 0, MT_XFER(shm, shm, shm, shm));
	CHECK(OK(r), "request with handles");
	/* A window the service may not write. */
	mt_handle_t ro;
	mt_handle_grant(0, shm, MT_R_MAP_R | MT_R_GRANT, 0, &ro);
	struct cl tmp = *a;
	r = call(&tmp, CRYPTO_OP_ATTACH, 0, 0, 0, ro);
	CHECK(r.ipc == MT_OK && r.r == TEE_ERROR_ACCESS_DENIED, "read-only window: %x", r.r);
	r = call(&tmp, CRYPTO_OP_ATTACH, 0, 0, 0, 0);
	CHECK(IS(r, TEE_ERROR_BAD_PARAMETERS, 0), "ATTACH without a window");
	r = call(a, CRYPTO_OP_RANDOM, SP(a->size - 8, 8), 0, 0, 0);
	CHECK(OK(r), "a failed ATTACH keeps the old window: %x", r.r);
	mt_handle_close(ro);
	mt_handle_close(shm);
}

/* Random requests, half of them about real objects and operations, over a
 * window of junk with well-formed pieces here and there: the service must
 * answer every one, and keep no memory once the client detaches. */
static uint32_t fuzz_seed = 0x2545F491;
static uint32_t rnd(void)
{
	fuzz_seed ^= fuzz_seed << 13;
	fuzz_seed ^= fuzz_seed >> 17;
	fuzz_seed ^= fuzz_seed << 5;
	return fuzz_seed;
}

static void test_fuzz(struct cl *b)
{
	uint64_t ids[24];
	unsigned n = 0;
	uint8_t key[32] = {9};
	ids[n++] = secret_obj(b, TEE_TYPE_AES, 256, key, 32);
	ids[n++] = secret_obj(b, TEE_TYPE_AES, 128, key, 16);
	ids[n++] = secret_obj(b, TEE_TYPE_HMAC_SHA256, 512, key, 32);
	ids[n++] = secret_obj(b, TEE_TYPE_GENERIC_SECRET, 512, key, 32);
	ids[n++] = alloc_obj(b, TEE_TYPE_GENERIC_SECRET, 528);
	ids[n++] = alloc_obj(b, TEE_TYPE_ECDSA_KEYPAIR, 256);
	call(b, CRYPTO_OP_OBJ_GENERATE, ids[n - 1], 256, SP(0, 0), 0);
	ids[n++] = alloc_obj(b, TEE_TYPE_ECDH_KEYPAIR, 384);
	call(b, CRYPTO_OP_OBJ_GENERATE, ids[n - 1], 384, SP(0, 0), 0);
	ids[n++] = alloc_obj(b, TEE_TYPE_ECDSA_PUBLIC_KEY, 521);
	static const uint32_t algs[][3] = {
	    {TEE_ALG_SHA256, TEE_MODE_DIGEST, 0},
	    {TEE_ALG_SHA512, TEE_MODE_DIGEST, 0},
	    {TEE_ALG_HMAC_SHA256, TEE_MODE_MAC, 512},
	    {TEE_ALG_AES_CMAC, TEE_MODE_MAC, 256},
	    {TEE_ALG_AES_CBC_NOPAD, TEE_MODE_DECRYPT, 256},
	    {TEE_ALG_AES_ECB_NOPAD, TEE_MODE_ENCRYPT, 128},
	    {TEE_ALG_AES_CTR, TEE_MODE_ENCRYPT, 256},
	    {TEE_ALG_AES_XTS, TEE_MODE_DECRYPT, 256},
	    {TEE_ALG_AES_GCM, TEE_MODE_DECRYPT, 256},
	    {TEE_ALG_AES_CCM, TEE_MODE_ENCRYPT, 128},
	    {TEE_ALG_ECDSA_SHA256, TEE_MODE_SIGN, 256},
	    {TEE_ALG_ECDSA_SHA384, TEE_MODE_VERIFY, 521},
	    {TEE_ALG_ECDH_DERIVE_SHARED_SECRET, TEE_MODE_DERIVE, 384},
	    {TEE_ALG_HKDF_SHA256_DERIVE_KEY, TEE_MODE_DERIVE, 512},
	};
	for (unsigned i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
		ids[n++] = alloc_op(b, algs[i][0], algs[i][1], algs[i][2]);
	static const uint64_t codes[] = {CRYPTO_OP_OBJ_ALLOC,
	                                 CRYPTO_OP_OBJ_FREE,
	                                 CRYPTO_OP_OBJ_RESET,
	                                 CRYPTO_OP_OBJ_POPULATE,
	                                 CRYPTO_OP_OBJ_GENERATE,
	                                 CRYPTO_OP_OBJ_GET_ATTR,
	                                 CRYPTO_OP_OBJ_COPY,
	                                 CRYPTO_OP_OBJ_INFO,
	                                 CRYPTO_OP_ALLOC,
	                                 CRYPTO_OP_FREE,
	                                 CRYPTO_OP_SET_KEY,
	                                 CRYPTO_OP_RESET,
	                                 CRYPTO_OP_COPY,
	                                 CRYPTO_OP_INIT,
	                                 CRYPTO_OP_UPDATE,
	                                 CRYPTO_OP_UPDATE_AAD,
	                                 CRYPTO_OP_FINAL,
	                                 CRYPTO_OP_FINAL_CHECK,
	                                 CRYPTO_OP_ASYM,
	                                 CRYPTO_OP_DERIVE,
	                                 CRYPTO_OP_RANDOM,
	                                 CRYPTO_OP_CLIENT_GONE,
	                                 0,
	                                 4,
	                                 0xFFFFFFFFFFFFFFFFULL,
	                                 CRYPTO_OP_TEST_STATS};
	uint32_t size = (uint32_t)b->size;
	unsigned calls = 0, ok = 0;
	for (int i = 0; i < 3000; i++) {
		if (i % 64 == 0) {
			for (uint32_t j = 0; j < size; j += 4) {
				uint32_t v = rnd();
				memcpy(b->win + j, &v, 4);
			}
		}
		/* Sprinkle plausible records and request headers. */
		uint32_t at = (rnd() % size) & ~7U;
		if (at + 32 <= size) {
			uint32_t rec[4] = {rnd() % 2 ? TEE_ATTR_SECRET_VALUE : TEE_ATTR_ECC_CURVE,
			                   rnd() % 40, rnd() % 6, (uint32_t)(rnd() % 64)};
			memcpy(b->win + at, rec, sizeof(rec));
		}
		uint64_t w[4];
		w[0] = codes[rnd() % (sizeof(codes) / sizeof(codes[0]))];
		for (int k = 1; k < 4; k++) {
			switch (rnd() % 6) {
			case 0:
			case 1:
				w[k] = ids[rnd() % n];
				break;
			case 2: /* a span near something interesting */
				w[k] = SP(rnd() % (size + 64), rnd() % 4 ? rnd() % 600 : rnd());
				break;
			case 3:
				w[k] = rnd() % 4096;
				break;
			case 4: /* algorithms, types, attribute ids */
				w[k] = (uint64_t)(rnd() % 2 ? algs[rnd() % 14][0]
				                            : 0xA0000000U | (rnd() % 0x50));
				break;
			default:
				w[k] = (uint64_t)rnd() << 32 | rnd();
				break;
			}
		}
		struct res r = call(b, w[0], w[1], w[2], w[3], 0);
		calls++;
		if (r.ipc != MT_OK) {
			CHECK(0, "fuzz request %d (%lx %lx %lx %lx): %ld", i, (unsigned long)w[0],
			      (unsigned long)w[1], (unsigned long)w[2], (unsigned long)w[3], r.ipc);
			return;
		}
		ok += r.r == TEE_SUCCESS;
	}
	printf("test_crypto: fuzz: %u requests, %u succeeded, the service answered all\n", calls,
	       ok);
	struct res d = call(b, CRYPTO_OP_DETACH, 0, 0, 0, 0);
	CHECK(OK(d), "DETACH after fuzzing: %x", d.r);
	CHECK(attach(b, 0) == MT_OK, "B attaches again after fuzzing");
	struct res st = call(b, CRYPTO_OP_TEST_STATS, 0, 0, 0, 0);
	CHECK(OK(st) && st.w1 == 0, "nothing left charged to B: %lu", (unsigned long)st.w1);
	sha256_abc(b, "after fuzzing");
}

/* One client cannot take the service's memory: A buffers XTS messages
 * (the service holds each whole until FINAL) until its quota says no; B
 * keeps working. */
static void test_quota(struct cl *a, struct cl *b)
{
	uint8_t key[16] = {3};
	uint64_t k1 = secret_obj(a, TEE_TYPE_AES, 128, key, 16),
	         k2 = secret_obj(a, TEE_TYPE_AES, 128, key, 16);
	uint64_t ops[8];
	unsigned n = 0;
	struct res r = {0, 0, 0, 0, 0};
	size_t total = 0;
	memset(a->win + IN, 0x5a, 4096);
	for (; n < 8; n++) {
		ops[n] = alloc_op(a, TEE_ALG_AES_XTS, TEE_MODE_ENCRYPT, 128);
		call(a, CRYPTO_OP_SET_KEY, ops[n], k1, k2, 0);
		call(a, CRYPTO_OP_INIT, ops[n], SP(IN, 16), 0, 0);
		for (int i = 0; i < 16; i++) {
			r = call(a, CRYPTO_OP_UPDATE, ops[n], SP(IN, 4096), SP(OUT, 4096), 0);
			if (!OK(r))
				break;
			total += 4096;
		}
		if (!OK(r))
			break;
	}
	CHECK(IS(r, TEE_ERROR_OUT_OF_MEMORY, CRYPTO_REASON_LIMIT), "A runs into its quota: %x",
	      r.r);
	struct res st = call(a, CRYPTO_OP_TEST_STATS, 0, 0, 0, 0);
	printf("test_crypto: A held %lu bytes of data units, %lu charged, at its limit\n",
	       (unsigned long)total, (unsigned long)st.w1);
	/* Never over its 192 KiB; and it held most of it: each XTS update
	 * also needs a copy of its message (up to 64 KiB) while it runs, so
	 * the limit comes at 192 KiB less that copy and the piece in flight. */
	CHECK(st.w1 <= 192 * 1024 && total >= 192 * 1024 - 64 * 1024 - 16 * 1024,
	      "quota size: %lu charged, %lu held", (unsigned long)st.w1, (unsigned long)total);
	/* B is unaffected. */
	sha256_abc(b, "while A is at its limit");
	uint64_t kp = alloc_obj(b, TEE_TYPE_ECDSA_KEYPAIR, 384);
	r = call(b, CRYPTO_OP_OBJ_GENERATE, kp, 384, SP(0, 0), 0);
	CHECK(OK(r), "B generates a P-384 key while A is at its limit: %x", r.r);
	call(b, CRYPTO_OP_OBJ_FREE, kp, 0, 0, 0);
	/* The data units still come out right once A has room again. */
	for (unsigned i = 0; i <= n && i < 8; i++)
		call(a, CRYPTO_OP_FREE, ops[i], 0, 0, 0);
	call(a, CRYPTO_OP_OBJ_FREE, k1, 0, 0, 0);
	call(a, CRYPTO_OP_OBJ_FREE, k2, 0, 0, 0);
}

int mt_main(unsigned long arg, unsigned long arg2)
{
	(void)arg2;
	struct cl a = {"A", DEMO_ARG_ECHO(arg), 0, 0, 0}, b = {"B", DEMO_ARG_COUNTER(arg), 0, 0, 0};
	printf("test_crypto: handles %lu and %lu\n", a.h, b.h);

	struct res r = call(&a, CRYPTO_OP_OBJ_ALLOC, TEE_TYPE_AES, 128, 0, 0);
	CHECK(IS(r, TEE_ERROR_BAD_STATE, CRYPTO_REASON_NOT_ATTACHED), "before ATTACH: %ld %x %lu",
	      r.ipc, r.r, (unsigned long)r.w1);
	CHECK(attach(&a, 16384) == MT_OK, "attach A");
	CHECK(attach(&b, 16384) == MT_OK, "attach B");
	r = call(&a, CRYPTO_OP_TEST_STATS, 0, 0, 0, 0);
	uint64_t base = r.w1;
	CHECK(OK(r), "stats: %x", r.r);

	test_digest(&a);
	test_aes(&a);
	test_hmac_hkdf(&a);
	test_kats(&a);
	test_ecc(&a);
	test_ecc_small(&a);
	test_des_keys(&a);
	test_x25519(&a);
	test_dh(&a);
	test_kdfs(&a);
	test_random(&a);
	test_spans(&a);
	test_records(&a);
	test_isolation(&a, &b);
	test_limits(&a);
	test_quota(&a, &b);
	test_fuzz(&b);

	/* Memory: what a client holds with some keys and operations. */
	r = call(&a, CRYPTO_OP_TEST_STATS, 0, 0, 0, 0);
	CHECK(OK(r) && r.w1 == base, "everything freed: %lu bytes charged, %lu at start",
	      (unsigned long)r.w1, (unsigned long)base);
	test_rsa(&a);
	r = call(&a, CRYPTO_OP_TEST_STATS, 0, 0, 0, 0);
	printf("test_crypto: heap high-water mark %lu bytes, %lu in use now\n", (unsigned long)r.w3,
	       (unsigned long)r.w2);
	CHECK(OK(r) && r.w1 == base, "RSA freed: %lu", (unsigned long)r.w1);
	{
		uint8_t key[32] = {0};
		uint64_t objs[4], ops[4];
		for (int i = 0; i < 4; i++) {
			objs[i] = secret_obj(&a, TEE_TYPE_AES, 256, key, 32);
			ops[i] = alloc_op(&a, TEE_ALG_AES_GCM, TEE_MODE_ENCRYPT, 256);
			call(&a, CRYPTO_OP_SET_KEY, ops[i], objs[i], 0, 0);
		}
		r = call(&a, CRYPTO_OP_TEST_STATS, 0, 0, 0, 0);
		printf("test_crypto: a client with 4 AES-256 keys and 4 keyed GCM operations holds "
		       "%lu bytes\n",
		       (unsigned long)r.w1);
		for (int i = 0; i < 4; i++) {
			call(&a, CRYPTO_OP_FREE, ops[i], 0, 0, 0);
			call(&a, CRYPTO_OP_OBJ_FREE, objs[i], 0, 0, 0);
		}
	}

	/* B leaves; then it is a stranger. */
	r = call(&b, CRYPTO_OP_DETACH, 0, 0, 0, 0);
	CHECK(OK(r), "DETACH B");
	r = call(&b, CRYPTO_OP_RANDOM, SP(0, 8), 0, 0, 0);
	CHECK(IS(r, TEE_ERROR_BAD_STATE, CRYPTO_REASON_NOT_ATTACHED), "B after DETACH: %x", r.r);
	CHECK(attach(&b, 16384) == MT_OK, "B attaches again");

	/* The service dies in the middle of an operation. */
	uint64_t op = alloc_op(&a, TEE_ALG_SHA256, TEE_MODE_DIGEST, 0);
	memcpy(a.win + IN, "abc", 3);
	call(&a, CRYPTO_OP_UPDATE, op, SP(IN, 1), SP(0, 0), 0);
	r = call(&a, CRYPTO_OP_TEST_CRASH, op, 0, 0, 0);
	CHECK(r.ipc == MT_EPEERDEAD, "the call in flight fails: %ld", r.ipc);
	/* The next call waits for init to restart the service, which then
	 * knows nothing of us. */
	r = call(&a, CRYPTO_OP_UPDATE, op, SP(IN + 1, 2), SP(0, 0), 0);
	CHECK(IS(r, TEE_ERROR_BAD_STATE, CRYPTO_REASON_NOT_ATTACHED), "after the restart: %ld %x",
	      r.ipc, r.r);
	r = call(&b, CRYPTO_OP_RANDOM, SP(0, 8), 0, 0, 0);
	CHECK(IS(r, TEE_ERROR_BAD_STATE, CRYPTO_REASON_NOT_ATTACHED), "B after the restart: %x",
	      r.r);
	CHECK(attach(&a, 0) == MT_OK, "A attaches again");
	r = call(&a, CRYPTO_OP_UPDATE, op, SP(IN + 1, 2), SP(0, 0), 0);
	CHECK(IS(r, TEE_ERROR_ITEM_NOT_FOUND, CRYPTO_REASON_BAD_ID),
	      "the old operation is gone: %x", r.r);
	sha256_abc(&a, "after the restart");
	test_random(&a);

	printf("test_crypto: %d passed, %d failed\n", passed, failed);
	printf("test_crypto: %s\n", failed ? "FAIL" : "PASS");
	return failed ? 1 : 0;
}
