/* Random numbers, what the API reports about objects and operations, the
 * negative cases GP answers with an error code, and the calls GP says
 * must panic (one per instance: PANIC command). */
#include <string.h>

#include <crypto_test_ta.h>
#include <mt_tee_test.h>

#include "crypto_test.h"

static const uint8_t k128[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
static const uint8_t k256[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16,
                                 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

static void test_random(void)
{
	group("RNG");
	uint8_t a[64], b[64], zero[64] = {0};
	TEE_GenerateRandom(a, sizeof(a));
	TEE_GenerateRandom(b, sizeof(b));
	CHECK(memcmp(a, b, sizeof(a)) && memcmp(a, zero, sizeof(a)), "two draws differ");
	/* More than the window: drawn in pieces, none of them repeated. */
	memset(big_out, 0, BIG_LEN);
	TEE_GenerateRandom(big_out, BIG_LEN);
	unsigned zeros = 0;
	for (size_t i = 0; i < BIG_LEN; i++)
		zeros += big_out[i] == 0;
	CHECK(zeros < BIG_LEN / 128, "100000 random bytes: %u zeros", zeros);
	CHECK(memcmp(big_out, big_out + 65536, 64) && memcmp(big_out, big_out + BIG_LEN - 64, 64),
	      "pieces of a long draw differ");
	TEE_GenerateRandom(0, 0);
	CHECK(true, "no bytes");
	/* Enough draws that the service's DRBG reseeds (every 10000 requests
	 * to it, of at most 1 KiB each: 10.2 MB here) while serving us. What
	 * the reseed allocates is the service's: the check after this group
	 * ("service memory") finds nothing charged to us (issue 13 item 9). */
	for (unsigned i = 0; i < 103; i++)
		TEE_GenerateRandom(big_out, BIG_LEN);
	CHECK(memcmp(big_out, big_out + 65536, 64), "10.3 MB of random bytes, across a reseed");
}

static void test_supported(void)
{
	group("API");
	static const struct {
		uint32_t alg, element;
		TEE_Result want;
	} cases[] = {
	    {TEE_ALG_SHA256, TEE_CRYPTO_ELEMENT_NONE, TEE_SUCCESS},
	    {TEE_ALG_AES_GCM, TEE_CRYPTO_ELEMENT_NONE, TEE_SUCCESS},
	    {TEE_ALG_AES_XTS, TEE_CRYPTO_ELEMENT_NONE, TEE_SUCCESS},
	    {TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA256, TEE_CRYPTO_ELEMENT_NONE, TEE_SUCCESS},
	    {TEE_ALG_ECDSA_SHA384, TEE_ECC_CURVE_NIST_P384, TEE_SUCCESS},
	    {TEE_ALG_ECDH_DERIVE_SHARED_SECRET, TEE_ECC_CURVE_NIST_P521, TEE_SUCCESS},
	    {0x70003041, TEE_ECC_CURVE_NIST_P256, TEE_SUCCESS}, /* v1.1 ECDSA P-256 */
	    {0x80004042, TEE_ECC_CURVE_NIST_P384, TEE_SUCCESS}, /* v1.1 ECDH P-384 */
	    {TEE_ALG_ECDSA_SHA256, TEE_ECC_CURVE_NIST_P192, TEE_SUCCESS},
	    {0x70002041, TEE_ECC_CURVE_NIST_P224, TEE_SUCCESS}, /* v1.1 ECDSA P-224 */
	    {TEE_ALG_ECDSA_SHA256, TEE_ECC_CURVE_SM2, TEE_ERROR_NOT_SUPPORTED},
	    {TEE_ALG_X25519, TEE_ECC_CURVE_25519, TEE_SUCCESS},
	    {TEE_ALG_X25519, TEE_CRYPTO_ELEMENT_NONE, TEE_ERROR_NOT_SUPPORTED},
	    {TEE_ALG_ECDSA_SHA256, TEE_CRYPTO_ELEMENT_NONE, TEE_ERROR_NOT_SUPPORTED},
	    {TEE_ALG_SHA256, TEE_ECC_CURVE_NIST_P256, TEE_ERROR_NOT_SUPPORTED},
	    {TEE_ALG_SM2_DSA_SM3, TEE_ECC_CURVE_SM2, TEE_ERROR_NOT_SUPPORTED},
	    {TEE_ALG_SHA3_256, TEE_CRYPTO_ELEMENT_NONE, TEE_SUCCESS},
	    {TEE_ALG_HMAC_SHA3_512, TEE_CRYPTO_ELEMENT_NONE, TEE_SUCCESS},
	    {TEE_ALG_SHAKE128, TEE_CRYPTO_ELEMENT_NONE, TEE_ERROR_NOT_SUPPORTED}, /* not in mbedTLS */
	    {0x12345678, TEE_CRYPTO_ELEMENT_NONE, TEE_ERROR_NOT_SUPPORTED},
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		TEE_Result res = TEE_IsAlgorithmSupported(cases[i].alg, cases[i].element);
		CHECK(res == cases[i].want, "IsAlgorithmSupported(0x%x, 0x%x): 0x%x", cases[i].alg,
		      cases[i].element, res);
	}
}

/* What objects and operations say about themselves. */
static void test_info(void)
{
	group("API");
	TEE_ObjectHandle k;
	TEE_ObjectInfo info;
	if (!CHECK(TEE_AllocateTransientObject(TEE_TYPE_AES, 256, &k) == TEE_SUCCESS, "allocate"))
		return;
	TEE_GetObjectInfo1(k, &info);
	CHECK(info.objectType == TEE_TYPE_AES && info.objectSize == 0 &&
	          info.maxObjectSize == 256 && info.objectUsage == 0xFFFFFFFF &&
	          info.handleFlags == 0 && info.dataSize == 0,
	      "fresh object: size %u max %u usage 0x%x flags 0x%x", info.objectSize,
	      info.maxObjectSize, info.objectUsage, info.handleFlags);
	TEE_Attribute a;
	TEE_InitRefAttribute(&a, TEE_ATTR_SECRET_VALUE, k128, 16);
	CHECK(TEE_PopulateTransientObject(k, &a, 1) == TEE_SUCCESS, "populate 128 bits");
	TEE_GetObjectInfo1(k, &info);
	CHECK(info.objectSize == 128 && info.handleFlags == TEE_HANDLE_FLAG_INITIALIZED,
	      "populated: size %u flags 0x%x", info.objectSize, info.handleFlags);
	uint8_t back[32];
	size_t blen = sizeof(back);
	TEE_Result res = TEE_GetObjectBufferAttribute(k, TEE_ATTR_SECRET_VALUE, back, &blen);
	CHECK(res == TEE_SUCCESS && blen == 16 && !memcmp(back, k128, 16),
	      "an extractable key reads back: 0x%x", res);
	res = TEE_GetObjectBufferAttribute(k, TEE_ATTR_RSA_MODULUS, back, &blen);
	CHECK(res == TEE_ERROR_ITEM_NOT_FOUND, "no such attribute: 0x%x", res);
	TEE_RestrictObjectUsage1(k, TEE_USAGE_ENCRYPT | TEE_USAGE_DECRYPT);
	TEE_GetObjectInfo1(k, &info);
	CHECK(info.objectUsage == (TEE_USAGE_ENCRYPT | TEE_USAGE_DECRYPT), "usage 0x%x",
	      info.objectUsage);
	TEE_ResetTransientObject(k);
	TEE_GetObjectInfo1(k, &info);
	CHECK(info.objectSize == 0 && info.handleFlags == 0 && info.objectUsage == 0xFFFFFFFF,
	      "reset: size %u flags 0x%x usage 0x%x", info.objectSize, info.handleFlags,
	      info.objectUsage);
	/* A reset object can be filled again, with another size. */
	TEE_InitRefAttribute(&a, TEE_ATTR_SECRET_VALUE, k256, 32);
	CHECK(TEE_PopulateTransientObject(k, &a, 1) == TEE_SUCCESS, "populate again, 256 bits");

	TEE_OperationHandle op;
	if (CHECK(TEE_AllocateOperation(&op, TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, 256) ==
	              TEE_SUCCESS,
	          "allocate")) {
		TEE_OperationInfo oi;
		TEE_GetOperationInfo(op, &oi);
		CHECK(oi.algorithm == TEE_ALG_AES_CBC_NOPAD &&
		          oi.operationClass == TEE_OPERATION_CIPHER &&
		          oi.mode == TEE_MODE_ENCRYPT && oi.maxKeySize == 256 && oi.keySize == 0 &&
		          oi.requiredKeyUsage == TEE_USAGE_ENCRYPT && oi.handleState == 0,
		      "fresh cipher operation: state 0x%x usage 0x%x", oi.handleState,
		      oi.requiredKeyUsage);
		CHECK(TEE_SetOperationKey(op, k) == TEE_SUCCESS, "set key");
		TEE_GetOperationInfo(op, &oi);
		CHECK(oi.keySize == 256 && oi.handleState == TEE_HANDLE_FLAG_KEY_SET,
		      "keyed: size %u state 0x%x", oi.keySize, oi.handleState);
		uint8_t iv[16] = {0};
		TEE_CipherInit(op, iv, 16);
		TEE_GetOperationInfo(op, &oi);
		CHECK(oi.handleState == (TEE_HANDLE_FLAG_KEY_SET | TEE_HANDLE_FLAG_INITIALIZED),
		      "initialized: state 0x%x", oi.handleState);
		size_t sz = 0;
		res = TEE_GetOperationInfoMultiple(op, 0, &sz);
		CHECK(res == TEE_ERROR_SHORT_BUFFER &&
		          sz == sizeof(TEE_OperationInfoMultiple) + sizeof(TEE_OperationInfoKey),
		      "info multiple, size: 0x%x %zu", res, sz);
		union {
			TEE_OperationInfoMultiple m;
			uint8_t b[128];
		} u;
		sz = sizeof(u);
		res = TEE_GetOperationInfoMultiple(op, &u.m, &sz);
		CHECK(res == TEE_SUCCESS && u.m.numberOfKeys == 1 &&
		          u.m.operationState == TEE_OPERATION_STATE_ACTIVE &&
		          u.m.keyInformation[0].keySize == 256,
		      "info multiple: 0x%x, %u keys", res, u.m.numberOfKeys);
		TEE_ResetOperation(op);
		TEE_GetOperationInfo(op, &oi);
		CHECK(oi.handleState == TEE_HANDLE_FLAG_KEY_SET, "reset: state 0x%x",
		      oi.handleState);
		CHECK(TEE_SetOperationKey(op, TEE_HANDLE_NULL) == TEE_SUCCESS, "clear the key");
		TEE_GetOperationInfo(op, &oi);
		CHECK(oi.handleState == 0 && oi.keySize == 0, "no key: state 0x%x", oi.handleState);
		TEE_FreeOperation(op);
	}
	TEE_FreeTransientObject(k);

	/* XTS takes two keys; a MAC knows its length; a digest needs no key. */
	if (CHECK(TEE_AllocateOperation(&op, TEE_ALG_AES_XTS, TEE_MODE_DECRYPT, 128) == TEE_SUCCESS,
	          "allocate XTS")) {
		TEE_OperationInfo oi;
		TEE_GetOperationInfo(op, &oi);
		CHECK(oi.handleState == TEE_HANDLE_FLAG_EXPECT_TWO_KEYS, "XTS: state 0x%x",
		      oi.handleState);
		union {
			TEE_OperationInfoMultiple m;
			uint8_t b[128];
		} u;
		size_t sz = sizeof(u);
		res = TEE_GetOperationInfoMultiple(op, &u.m, &sz);
		CHECK(res == TEE_SUCCESS && u.m.numberOfKeys == 2, "XTS has two keys: 0x%x %u", res,
		      u.m.numberOfKeys);
		TEE_FreeOperation(op);
	}
	if (CHECK(TEE_AllocateOperation(&op, TEE_ALG_HMAC_SHA384, TEE_MODE_MAC, 512) == TEE_SUCCESS,
	          "allocate HMAC")) {
		TEE_OperationInfo oi;
		TEE_GetOperationInfo(op, &oi);
		CHECK(oi.digestLength == 48 && oi.requiredKeyUsage == TEE_USAGE_MAC,
		      "HMAC-SHA384: %u bytes", oi.digestLength);
		TEE_FreeOperation(op);
	}
	if (CHECK(TEE_AllocateOperation(&op, TEE_ALG_SHA224, TEE_MODE_DIGEST, 0) == TEE_SUCCESS,
	          "allocate digest")) {
		TEE_OperationInfo oi;
		TEE_GetOperationInfo(op, &oi);
		CHECK(oi.digestLength == 28 &&
		          oi.handleState == (TEE_HANDLE_FLAG_KEY_SET | TEE_HANDLE_FLAG_INITIALIZED),
		      "SHA-224: %u bytes, state 0x%x", oi.digestLength, oi.handleState);
		TEE_FreeOperation(op);
	}
	/* Freeing nothing is allowed. */
	TEE_FreeOperation(TEE_HANDLE_NULL);
	TEE_FreeTransientObject(TEE_HANDLE_NULL);
	TEE_CloseObject(TEE_HANDLE_NULL);
	TEE_ResetTransientObject(TEE_HANDLE_NULL);
	CHECK(true, "freeing TEE_HANDLE_NULL");
}

/* The errors GP specifies for wrong keys, sizes and modes, and for output
 * buffers that are too small. */
static void test_negative(void)
{
	group("negative cases");
	TEE_ObjectHandle k;
	TEE_OperationHandle op;
	TEE_Result res;

	/* Object types and sizes that do not exist. */
	res = TEE_AllocateTransientObject(TEE_TYPE_AES, 100, &k);
	CHECK(res == TEE_ERROR_NOT_SUPPORTED && k == TEE_HANDLE_NULL, "AES of 100 bits: 0x%x", res);
	res = TEE_AllocateTransientObject(TEE_TYPE_HMAC_SHA256, 100, &k);
	CHECK(res == TEE_ERROR_NOT_SUPPORTED, "HMAC-SHA256 key of 100 bits: 0x%x", res);
	res = TEE_AllocateTransientObject(0xA0001234, 128, &k);
	CHECK(res == TEE_ERROR_NOT_SUPPORTED, "unknown object type: 0x%x", res);

	/* Algorithms, modes and key sizes that do not go together. */
	res = TEE_AllocateOperation(&op, TEE_ALG_AES_CBC_NOPAD, TEE_MODE_SIGN, 128);
	CHECK(res == TEE_ERROR_NOT_SUPPORTED && op == TEE_HANDLE_NULL, "AES-CBC to sign: 0x%x",
	      res);
	res = TEE_AllocateOperation(&op, TEE_ALG_SHA256, TEE_MODE_MAC, 0);
	CHECK(res == TEE_ERROR_NOT_SUPPORTED, "SHA-256 as a MAC: 0x%x", res);
	res = TEE_AllocateOperation(&op, TEE_ALG_HMAC_SHA256, TEE_MODE_MAC, 64);
	CHECK(res == TEE_ERROR_NOT_SUPPORTED, "HMAC-SHA256 with 64-bit keys: 0x%x", res);
	res = TEE_AllocateOperation(&op, TEE_ALG_AES_GCM, TEE_MODE_ENCRYPT, 129);
	CHECK(res == TEE_ERROR_NOT_SUPPORTED, "AES key of 129 bits: 0x%x", res);
	res = TEE_AllocateOperation(&op, TEE_ALG_AES_XTS, TEE_MODE_ENCRYPT, 192);
	CHECK(res == TEE_ERROR_NOT_SUPPORTED, "XTS-AES-192: 0x%x", res);
	res = TEE_AllocateOperation(&op, 0x70003041, TEE_MODE_SIGN, 384);
	CHECK(res == TEE_ERROR_NOT_SUPPORTED, "v1.1 ECDSA P-256 with a 384-bit key: 0x%x", res);
	res = TEE_AllocateOperation(&op, 0x12345678, TEE_MODE_ENCRYPT, 128);
	CHECK(res == TEE_ERROR_NOT_SUPPORTED, "unknown algorithm: 0x%x", res);

	/* Wrong keys that GP answers with an error: an AES key of 20 bytes,
	 * a curve these types do not have, a curve that does not match the size. */
	if (CHECK(TEE_AllocateTransientObject(TEE_TYPE_AES, 256, &k) == TEE_SUCCESS, "allocate")) {
		TEE_Attribute a;
		TEE_InitRefAttribute(&a, TEE_ATTR_SECRET_VALUE, k256, 20);
		res = TEE_PopulateTransientObject(k, &a, 1);
		CHECK(res == TEE_ERROR_BAD_PARAMETERS, "AES key of 20 bytes: 0x%x", res);
		TEE_ObjectInfo info;
		TEE_GetObjectInfo1(k, &info);
		CHECK(!(info.handleFlags & TEE_HANDLE_FLAG_INITIALIZED), "still empty after that");
		TEE_FreeTransientObject(k);
	}
	if (CHECK(TEE_AllocateTransientObject(TEE_TYPE_ECDSA_KEYPAIR, 256, &k) == TEE_SUCCESS,
	          "allocate")) {
		TEE_Attribute c;
		TEE_InitValueAttribute(&c, TEE_ATTR_ECC_CURVE, TEE_ECC_CURVE_SM2, 0);
		res = TEE_GenerateKey(k, 256, &c, 1);
		CHECK(res == TEE_ERROR_BAD_PARAMETERS, "SM2's curve, not an ECDSA curve: 0x%x", res);
		TEE_InitValueAttribute(&c, TEE_ATTR_ECC_CURVE, TEE_ECC_CURVE_NIST_P384, 0);
		res = TEE_GenerateKey(k, 256, &c, 1);
		CHECK(res == TEE_ERROR_BAD_PARAMETERS, "a 256-bit key on P-384: 0x%x", res);
		uint8_t v[32] = {1};
		TEE_Attribute a[4];
		TEE_InitRefAttribute(&a[0], TEE_ATTR_ECC_PUBLIC_VALUE_X, v, 24);
		TEE_InitRefAttribute(&a[1], TEE_ATTR_ECC_PUBLIC_VALUE_Y, v, 24);
		TEE_InitRefAttribute(&a[2], TEE_ATTR_ECC_PRIVATE_VALUE, v, 24);
		TEE_InitValueAttribute(&a[3], TEE_ATTR_ECC_CURVE, TEE_ECC_CURVE_SM2, 0);
		res = TEE_PopulateTransientObject(k, a, 4);
		CHECK(res == TEE_ERROR_BAD_PARAMETERS, "populate on SM2's curve: 0x%x", res);
		TEE_FreeTransientObject(k);
	}
	/* A public point that is not on the curve. */
	if (CHECK(TEE_AllocateTransientObject(TEE_TYPE_ECDSA_PUBLIC_KEY, 256, &k) == TEE_SUCCESS,
	          "allocate")) {
		uint8_t x[32], y[32];
		memset(x, 0x11, sizeof(x));
		memset(y, 0x22, sizeof(y));
		TEE_Attribute a[3];
		TEE_InitRefAttribute(&a[0], TEE_ATTR_ECC_PUBLIC_VALUE_X, x, 32);
		TEE_InitRefAttribute(&a[1], TEE_ATTR_ECC_PUBLIC_VALUE_Y, y, 32);
		TEE_InitValueAttribute(&a[2], TEE_ATTR_ECC_CURVE, TEE_ECC_CURVE_NIST_P256, 0);
		res = TEE_PopulateTransientObject(k, a, 3);
		CHECK(res == TEE_ERROR_BAD_PARAMETERS, "point not on P-256: 0x%x", res);
		TEE_FreeTransientObject(k);
	}
	/* An RSA key pair whose parts do not belong together. */
	if (CHECK(TEE_AllocateTransientObject(TEE_TYPE_RSA_KEYPAIR, 1024, &k) == TEE_SUCCESS,
	          "allocate")) {
		size_t nl, el, dl;
		uint8_t *n = hx(rsa_ex1.n, &nl), *e = hx(rsa_ex1.e, &el), *d = hx(rsa_ex1.d, &dl);
		d[dl - 1] ^= 0x02;
		TEE_Attribute a[3];
		TEE_InitRefAttribute(&a[0], TEE_ATTR_RSA_MODULUS, n, nl);
		TEE_InitRefAttribute(&a[1], TEE_ATTR_RSA_PUBLIC_EXPONENT, e, el);
		TEE_InitRefAttribute(&a[2], TEE_ATTR_RSA_PRIVATE_EXPONENT, d, dl);
		res = TEE_PopulateTransientObject(k, a, 3);
		CHECK(res == TEE_ERROR_BAD_PARAMETERS, "inconsistent RSA key: 0x%x", res);
		TEE_FreeTransientObject(k);
	}

	/* AE tag lengths GP does not list. */
	k = secret_key(TEE_TYPE_AES, k128, 16);
	op = k ? op_with_key(TEE_ALG_AES_GCM, TEE_MODE_ENCRYPT, 128, k) : 0;
	if (op) {
		uint8_t nonce[12] = {0};
		res = TEE_AEInit(op, nonce, 12, 64, 0, 0);
		CHECK(res == TEE_ERROR_NOT_SUPPORTED, "GCM with a 64-bit tag: 0x%x", res);
		res = TEE_AEInit(op, nonce, 12, 129, 0, 0);
		CHECK(res == TEE_ERROR_NOT_SUPPORTED, "GCM with a 129-bit tag: 0x%x", res);
		/* Output buffers too small: the sizes needed come back, and
		 * nothing is lost. */
		uint8_t pt[40] = {0}, ct[64], tag[16];
		res = TEE_AEInit(op, nonce, 12, 128, 0, 0);
		CHECK(res == TEE_SUCCESS, "GCM with a 128-bit tag: 0x%x", res);
		size_t clen = 16, tlen = 16;
		res = TEE_AEUpdate(op, pt, 40, ct, &clen);
		CHECK(res == TEE_ERROR_SHORT_BUFFER && clen >= 32 && clen <= 40,
		      "AEUpdate short: 0x%x %zu", res, clen);
		size_t done = sizeof(ct);
		res = TEE_AEUpdate(op, pt, 40, ct, &done);
		CHECK(res == TEE_SUCCESS, "AEUpdate after that: 0x%x", res);
		clen = 0;
		tlen = 8;
		res = TEE_AEEncryptFinal(op, 0, 0, ct + done, &clen, tag, &tlen);
		CHECK(res == TEE_ERROR_SHORT_BUFFER && tlen == 16 && clen == 40 - done,
		      "short tag buffer: 0x%x tag %zu data %zu", res, tlen, clen);
		res = TEE_AEEncryptFinal(op, 0, 0, ct + done, &clen, tag, &tlen);
		CHECK(res == TEE_SUCCESS && done + clen == 40 && tlen == 16, "then: 0x%x", res);
		TEE_FreeOperation(op);
	}
	op = k ? op_with_key(TEE_ALG_AES_CCM, TEE_MODE_ENCRYPT, 128, k) : 0;
	if (op) {
		uint8_t nonce[12] = {0};
		res = TEE_AEInit(op, nonce, 12, 40, 0, 0);
		CHECK(res == TEE_ERROR_NOT_SUPPORTED, "CCM with a 40-bit tag: 0x%x", res);
		TEE_FreeOperation(op);
	}
	op = k ? op_with_key(TEE_ALG_AES_ECB_NOPAD, TEE_MODE_ENCRYPT, 128, k) : 0;
	if (op) {
		uint8_t in[48] = {0}, out[48], out2[48];
		TEE_CipherInit(op, 0, 0);
		size_t n = 16;
		res = TEE_CipherUpdate(op, in, 32, out, &n);
		CHECK(res == TEE_ERROR_SHORT_BUFFER && n == 32, "CipherUpdate short: 0x%x %zu", res,
		      n);
		res = TEE_CipherUpdate(op, in, 32, out, &n);
		CHECK(res == TEE_SUCCESS && n == 32 && !memcmp(out, out + 16, 16),
		      "CipherUpdate after that: 0x%x %zu", res, n);
		n = 8;
		res = TEE_CipherDoFinal(op, in, 16, out2, &n);
		CHECK(res == TEE_ERROR_SHORT_BUFFER && n == 16, "CipherDoFinal short: 0x%x %zu",
		      res, n);
		res = TEE_CipherDoFinal(op, in, 16, out2, &n);
		CHECK(res == TEE_SUCCESS && n == 16 && !memcmp(out, out2, 16),
		      "CipherDoFinal after that: 0x%x", res);
		TEE_FreeOperation(op);
	}
	op = k ? op_with_key(TEE_ALG_AES_GCM, TEE_MODE_DECRYPT, 128, k) : 0;
	if (op) {
		uint8_t nonce[12] = {0}, ct[20] = {0}, tag[16] = {0}, pt[20];
		TEE_AEInit(op, nonce, 12, 128, 0, 0);
		size_t n = 19;
		res = TEE_AEDecryptFinal(op, ct, 20, pt, &n, tag, 16);
		CHECK(res == TEE_ERROR_SHORT_BUFFER && n == 20, "AEDecryptFinal short: 0x%x %zu",
		      res, n);
		res = TEE_AEDecryptFinal(op, ct, 20, pt, &n, tag, 16);
		CHECK(res == TEE_ERROR_MAC_INVALID, "a made-up tag: 0x%x", res);
		TEE_FreeOperation(op);
	}
	TEE_FreeTransientObject(k);

	/* The secret of a key may be read only if the key is extractable;
	 * its public parts always. */
	if (CHECK(TEE_AllocateTransientObject(TEE_TYPE_ECDSA_KEYPAIR, 256, &k) == TEE_SUCCESS,
	          "allocate")) {
		TEE_Attribute c;
		TEE_InitValueAttribute(&c, TEE_ATTR_ECC_CURVE, TEE_ECC_CURVE_NIST_P256, 0);
		if (CHECK(TEE_GenerateKey(k, 256, &c, 1) == TEE_SUCCESS, "generate")) {
			TEE_RestrictObjectUsage1(k, TEE_USAGE_SIGN);
			uint8_t x[32];
			/* The size it needs (32, or less when X has leading zero
			 * bytes, which the service leaves out), then one short. */
			size_t need = 0;
			TEE_GetObjectBufferAttribute(k, TEE_ATTR_ECC_PUBLIC_VALUE_X, NULL, &need);
			size_t xl = need - 1;
			res = TEE_GetObjectBufferAttribute(k, TEE_ATTR_ECC_PUBLIC_VALUE_X, x, &xl);
			CHECK(res == TEE_ERROR_SHORT_BUFFER && xl == need && need <= 32 &&
			          need > 24,
			      "public X, short: 0x%x %zu", res, xl);
			res = TEE_GetObjectBufferAttribute(k, TEE_ATTR_ECC_PUBLIC_VALUE_X, x, &xl);
			CHECK(res == TEE_SUCCESS && xl == need,
			      "public X of a non-extractable key: 0x%x", res);
		}
		TEE_FreeTransientObject(k);
	}
}

void test_misc(void)
{
	test_random();
	test_supported();
	test_info();
	scratch_reset();
	test_negative();
	scratch_reset();
	test_sizes();
}

/* ---- the crypto service crashes under the TA ----
 * What the TA had in the service is gone: the call in progress fails, an
 * operation that held a key or data reports TEE_ERROR_BAD_STATE, a key
 * reports TEE_ERROR_BAD_STATE; what held nothing (a digest between
 * messages, an empty object) works on, and everything new works. */
void test_restart(void)
{
	group("service restart");
	static const char abc_sha256[] =
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	size_t want_len;
	const uint8_t *want = hx(abc_sha256, &want_len);
	TEE_OperationHandle busy = 0, idle = 0, enc = 0, fresh = 0;
	TEE_ObjectHandle k = secret_key(TEE_TYPE_AES, k128, 16), empty = 0;
	TEE_AllocateOperation(&busy, TEE_ALG_SHA256, TEE_MODE_DIGEST, 0);
	TEE_AllocateOperation(&idle, TEE_ALG_SHA256, TEE_MODE_DIGEST, 0);
	TEE_AllocateTransientObject(TEE_TYPE_AES, 128, &empty);
	enc = k ? op_with_key(TEE_ALG_AES_ECB_NOPAD, TEE_MODE_ENCRYPT, 128, k) : 0;
	if (!CHECK(busy && idle && empty && enc, "set up"))
		goto out;
	TEE_DigestUpdate(busy, "ab", 2);
	TEE_CipherInit(enc, 0, 0);

	TEE_Result res = mt_tee_test_crash_crypto();
	if (res == TEE_ERROR_NOT_SUPPORTED) {
		skip("the crypto service's test hooks are off");
		goto out;
	}
	CHECK(res == TEE_ERROR_COMMUNICATION, "the call in progress fails: 0x%x", res);

	uint8_t out[32], block[16] = {0};
	size_t n = sizeof(out);
	res = TEE_DigestDoFinal(busy, "c", 1, out, &n);
	CHECK(res == TEE_ERROR_BAD_STATE, "a digest half done is lost: 0x%x", res);
	n = sizeof(out);
	res = TEE_DigestDoFinal(busy, "abc", 3, out, &n);
	CHECK(res == TEE_SUCCESS && !memcmp(out, want, 32), "then it starts over: 0x%x", res);
	n = sizeof(out);
	res = TEE_DigestDoFinal(idle, "abc", 3, out, &n);
	CHECK(res == TEE_SUCCESS && !memcmp(out, want, 32), "an idle digest works on: 0x%x", res);
	n = sizeof(out);
	res = TEE_CipherUpdate(enc, block, 16, out, &n);
	CHECK(res == TEE_ERROR_BAD_STATE, "a cipher with its key lost: 0x%x", res);
	n = sizeof(out);
	res = TEE_GetObjectBufferAttribute(k, TEE_ATTR_SECRET_VALUE, out, &n);
	CHECK(res == TEE_ERROR_BAD_STATE, "a key lost with the service: 0x%x", res);
	TEE_ResetOperation(enc);
	res = TEE_SetOperationKey(enc, k);
	CHECK(res == TEE_ERROR_BAD_STATE, "the lost key cannot be set: 0x%x", res);

	/* The empty object and the operation are made again when filled. */
	TEE_Attribute a;
	TEE_InitRefAttribute(&a, TEE_ATTR_SECRET_VALUE, k128, 16);
	res = TEE_PopulateTransientObject(empty, &a, 1);
	CHECK(res == TEE_SUCCESS, "an empty object takes a key: 0x%x", res);
	res = TEE_SetOperationKey(enc, empty);
	CHECK(res == TEE_SUCCESS, "the operation takes the new key: 0x%x", res);
	TEE_CipherInit(enc, 0, 0);
	uint8_t once[16];
	n = sizeof(once);
	res = TEE_CipherDoFinal(enc, block, 16, once, &n);
	CHECK(res == TEE_SUCCESS && n == 16, "and encrypts: 0x%x", res);
	res = TEE_AllocateOperation(&fresh, TEE_ALG_SHA256, TEE_MODE_DIGEST, 0);
	n = sizeof(out);
	if (res == TEE_SUCCESS)
		res = TEE_DigestDoFinal(fresh, "abc", 3, out, &n);
	CHECK(res == TEE_SUCCESS && !memcmp(out, want, 32), "a new operation works: 0x%x", res);
	TEE_GenerateRandom(out, sizeof(out));
	CHECK(true, "random numbers again");
out:
	TEE_FreeOperation(busy);
	TEE_FreeOperation(idle);
	TEE_FreeOperation(enc);
	TEE_FreeOperation(fresh);
	TEE_FreeTransientObject(k);
	TEE_FreeTransientObject(empty);
}

/* ---- the calls that must panic ---- */

TEE_Result panic_case(uint32_t n)
{
	TEE_ObjectHandle k = 0, k2 = 0;
	TEE_OperationHandle op = 0;
	TEE_Attribute a;
	uint8_t buf[64] = {0};
	size_t len = sizeof(buf);
	IMSG("panic case %u", n);
	switch (n) {
	case 0: /* not an operation handle */
		TEE_FreeOperation((TEE_OperationHandle)(void *)buf);
		break;
	case 1: /* a digest function on a cipher */
		k = secret_key(TEE_TYPE_AES, k128, 16);
		op = op_with_key(TEE_ALG_AES_ECB_NOPAD, TEE_MODE_ENCRYPT, 128, k);
		TEE_DigestUpdate(op, buf, 16);
		break;
	case 2: /* an update before the init */
		k = secret_key(TEE_TYPE_AES, k128, 16);
		op = op_with_key(TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, 128, k);
		TEE_CipherUpdate(op, buf, 16, buf, &len);
		break;
	case 3: /* a key of the wrong type */
		k = secret_key(TEE_TYPE_HMAC_SHA256, k256, 32);
		op = op_with_key(TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, 256, 0);
		TEE_SetOperationKey(op, k);
		break;
	case 4: /* a key whose usage does not allow the mode */
		k = secret_key(TEE_TYPE_AES, k128, 16);
		TEE_RestrictObjectUsage1(k, TEE_USAGE_DECRYPT);
		op = op_with_key(TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, 128, 0);
		TEE_SetOperationKey(op, k);
		break;
	case 5: { /* a mandatory attribute missing */
		TEE_Attribute r[2];
		size_t nl, el;
		const uint8_t *nb = hx(rsa_ex1.n, &nl), *eb = hx(rsa_ex1.e, &el);
		TEE_InitRefAttribute(&r[0], TEE_ATTR_RSA_MODULUS, nb, nl);
		TEE_InitRefAttribute(&r[1], TEE_ATTR_RSA_PUBLIC_EXPONENT, eb, el);
		TEE_AllocateTransientObject(TEE_TYPE_RSA_KEYPAIR, 1024, &k);
		TEE_PopulateTransientObject(k, r, 2);
		break;
	}
	case 6: /* the secret of a key that is not extractable */
		k = secret_key(TEE_TYPE_AES, k128, 16);
		TEE_RestrictObjectUsage1(k, ~TEE_USAGE_EXTRACTABLE);
		TEE_GetObjectBufferAttribute(k, TEE_ATTR_SECRET_VALUE, buf, &len);
		break;
	case 7: /* ECB without padding on less than a block */
		k = secret_key(TEE_TYPE_AES, k128, 16);
		op = op_with_key(TEE_ALG_AES_ECB_NOPAD, TEE_MODE_ENCRYPT, 128, k);
		TEE_CipherInit(op, 0, 0);
		TEE_CipherDoFinal(op, buf, 15, buf, &len);
		break;
	case 8: { /* encrypt-final on a decrypting operation */
		size_t tl = 16;
		k = secret_key(TEE_TYPE_AES, k128, 16);
		op = op_with_key(TEE_ALG_AES_GCM, TEE_MODE_DECRYPT, 128, k);
		TEE_AEInit(op, buf, 12, 128, 0, 0);
		TEE_AEEncryptFinal(op, buf, 16, buf, &len, buf + 32, &tl);
		break;
	}
	case 9: { /* signing with a verifying operation */
		uint32_t bits = 256;
		TEE_InitValueAttribute(&a, TEE_ATTR_ECC_CURVE, TEE_ECC_CURVE_NIST_P256, 0);
		TEE_AllocateTransientObject(TEE_TYPE_ECDSA_KEYPAIR, bits, &k);
		TEE_GenerateKey(k, bits, &a, 1);
		op = op_with_key(TEE_ALG_ECDSA_SHA256, TEE_MODE_VERIFY, bits, k);
		TEE_AsymmetricSignDigest(op, 0, 0, buf, 32, buf + 32, &len);
		break;
	}
	case 10: /* a MAC final before its init */
		k = secret_key(TEE_TYPE_HMAC_SHA256, k256, 32);
		op = op_with_key(TEE_ALG_HMAC_SHA256, TEE_MODE_MAC, 256, k);
		TEE_MACComputeFinal(op, buf, 16, buf, &len);
		break;
	case 11: /* a key larger than the operation's maximum */
		k = secret_key(TEE_TYPE_AES, k256, 32);
		op = op_with_key(TEE_ALG_AES_CTR, TEE_MODE_ENCRYPT, 128, 0);
		TEE_SetOperationKey(op, k);
		break;
	default:
		return TEE_ERROR_BAD_PARAMETERS;
	}
	/* Still here: the call did not panic. */
	EMSG("panic case %u: the call returned", n);
	TEE_FreeOperation(op);
	TEE_FreeTransientObject(k);
	TEE_FreeTransientObject(k2);
	return TEE_ERROR_GENERIC;
}
