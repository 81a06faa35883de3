/* GP size queries (issue 13 item 10): every function of the TEE Internal
 * Core API with a `size_t *` output length, asked with a NULL buffer and a
 * length of 0 and then with a buffer one byte short, must answer
 * TEE_ERROR_SHORT_BUFFER with the exact size needed and change nothing, so
 * that the call made again with that size works ("ask for the size, then
 * call again"). Where an output has a fixed size the expected size is
 * known; where it depends on the data (a decrypted plaintext) it is the
 * data's.
 *
 * Covered: TEE_DigestDoFinal, TEE_MACComputeFinal, TEE_CipherUpdate,
 * TEE_CipherDoFinal, TEE_AEUpdate, TEE_AEEncryptFinal (data and tag),
 * TEE_AEDecryptFinal, TEE_AsymmetricEncrypt, TEE_AsymmetricDecrypt,
 * TEE_AsymmetricSignDigest (RSA and ECDSA), TEE_GetObjectBufferAttribute
 * (a secret key, an RSA modulus, a secret TEE_DeriveKey made),
 * TEE_GetOperationInfoMultiple, TEE_GetPropertyAsString,
 * TEE_GetPropertyAsBinaryBlock and TEE_GetPropertyName. */
#include <string.h>

#include "crypto_test.h"

static const uint8_t key16[16] = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                                  0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c};
static uint8_t buf[512], buf2[512], tag[32];

/* The answer to one size query. */
static void want_short(const char *what, TEE_Result res, size_t got, size_t want)
{
	CHECK(res == TEE_ERROR_SHORT_BUFFER && got == want,
	      "%s: 0x%x, size %zu (want SHORT_BUFFER and %zu)", what, res, got, want);
}

static void sizes_digest(void)
{
	size_t wl;
	const uint8_t *want =
	    hx("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", &wl);
	TEE_OperationHandle op = op_with_key(TEE_ALG_SHA256, TEE_MODE_DIGEST, 0, TEE_HANDLE_NULL);
	if (!op)
		return;
	size_t n = 0;
	TEE_Result res = TEE_DigestDoFinal(op, "abc", 3, NULL, &n);
	want_short("DigestDoFinal, NULL/0", res, n, 32);
	n = 31;
	res = TEE_DigestDoFinal(op, "abc", 3, buf, &n);
	want_short("DigestDoFinal, 31 bytes", res, n, 32);
	n = 32;
	res = TEE_DigestDoFinal(op, "abc", 3, buf, &n);
	CHECK(res == TEE_SUCCESS && n == 32 && !memcmp(buf, want, 32),
	      "DigestDoFinal again with 32 bytes: 0x%x", res);
	TEE_FreeOperation(op);
}

static void sizes_mac(void)
{
	uint8_t key32[32];
	memcpy(key32, key16, 16);
	memcpy(key32 + 16, key16, 16);
	TEE_ObjectHandle k = secret_key(TEE_TYPE_HMAC_SHA256, key32, 32);
	TEE_OperationHandle op = k ? op_with_key(TEE_ALG_HMAC_SHA256, TEE_MODE_MAC, 256, k) : 0;
	if (op) {
		/* The reference, computed with enough room at once. */
		size_t rn = sizeof(buf2);
		TEE_MACInit(op, NULL, 0);
		TEE_Result res = TEE_MACComputeFinal(op, "abc", 3, buf2, &rn);
		CHECK(res == TEE_SUCCESS && rn == 32, "MACComputeFinal: 0x%x %zu", res, rn);
		TEE_MACInit(op, NULL, 0);
		size_t n = 0;
		res = TEE_MACComputeFinal(op, "abc", 3, NULL, &n);
		want_short("MACComputeFinal, NULL/0", res, n, 32);
		n = 31;
		res = TEE_MACComputeFinal(op, "abc", 3, buf, &n);
		want_short("MACComputeFinal, 31 bytes", res, n, 32);
		n = 32;
		res = TEE_MACComputeFinal(op, "abc", 3, buf, &n);
		CHECK(res == TEE_SUCCESS && n == 32 && !memcmp(buf, buf2, 32),
		      "MACComputeFinal again with 32 bytes: 0x%x", res);
	}
	TEE_FreeOperation(op);
	TEE_FreeTransientObject(k);
}

static void sizes_cipher(void)
{
	static const uint8_t iv[16] = {0};
	TEE_ObjectHandle k = secret_key(TEE_TYPE_AES, key16, 16);
	TEE_OperationHandle cbc = k ? op_with_key(TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, 128, k) : 0;
	TEE_OperationHandle ctr = k ? op_with_key(TEE_ALG_AES_CTR, TEE_MODE_ENCRYPT, 128, k) : 0;
	TEE_OperationHandle ref = k ? op_with_key(TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, 128, k) : 0;
	uint8_t in[48];
	for (unsigned i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)i;
	if (cbc && ctr && ref) {
		size_t rn = sizeof(buf2);
		TEE_CipherInit(ref, iv, 16);
		TEE_Result res = TEE_CipherDoFinal(ref, in, 48, buf2, &rn);
		CHECK(res == TEE_SUCCESS && rn == 48, "CBC reference: 0x%x", res);

		TEE_CipherInit(cbc, iv, 16);
		size_t n = 0;
		res = TEE_CipherUpdate(cbc, in, 32, NULL, &n);
		want_short("CipherUpdate, NULL/0", res, n, 32);
		n = 31;
		res = TEE_CipherUpdate(cbc, in, 32, buf, &n);
		want_short("CipherUpdate, 31 bytes", res, n, 32);
		n = 32;
		res = TEE_CipherUpdate(cbc, in, 32, buf, &n);
		CHECK(res == TEE_SUCCESS && n == 32 && !memcmp(buf, buf2, 32),
		      "CipherUpdate again with 32 bytes: 0x%x %zu", res, n);
		n = 0;
		res = TEE_CipherDoFinal(cbc, in + 32, 16, NULL, &n);
		want_short("CipherDoFinal, NULL/0", res, n, 16);
		n = 15;
		res = TEE_CipherDoFinal(cbc, in + 32, 16, buf + 32, &n);
		want_short("CipherDoFinal, 15 bytes", res, n, 16);
		n = 16;
		res = TEE_CipherDoFinal(cbc, in + 32, 16, buf + 32, &n);
		CHECK(res == TEE_SUCCESS && n == 16 && !memcmp(buf, buf2, 48),
		      "CipherDoFinal again with 16 bytes: 0x%x %zu", res, n);

		/* A stream cipher's final: as long as its input. */
		TEE_CipherInit(ctr, iv, 16);
		n = 0;
		res = TEE_CipherDoFinal(ctr, in, 20, NULL, &n);
		want_short("CipherDoFinal (CTR, 20 bytes), NULL/0", res, n, 20);
		n = 20;
		res = TEE_CipherDoFinal(ctr, in, 20, buf, &n);
		CHECK(res == TEE_SUCCESS && n == 20, "CTR final again: 0x%x %zu", res, n);
		/* An update that produces nothing needs no room. */
		TEE_CipherInit(cbc, iv, 16);
		n = 0;
		res = TEE_CipherUpdate(cbc, in, 8, NULL, &n);
		CHECK(res == TEE_SUCCESS && n == 0, "CipherUpdate of half a block, NULL/0: 0x%x %zu",
		      res, n);
		n = 0;
		res = TEE_CipherUpdate(cbc, in + 8, 8, NULL, &n);
		want_short("CipherUpdate completing a block, NULL/0", res, n, 16);
	}
	TEE_FreeOperation(cbc);
	TEE_FreeOperation(ctr);
	TEE_FreeOperation(ref);
	TEE_FreeTransientObject(k);
}

static void sizes_ae(void)
{
	static const uint8_t nonce[12] = {1, 2, 3};
	TEE_ObjectHandle k = secret_key(TEE_TYPE_AES, key16, 16);
	TEE_OperationHandle enc = k ? op_with_key(TEE_ALG_AES_GCM, TEE_MODE_ENCRYPT, 128, k) : 0;
	TEE_OperationHandle dec = k ? op_with_key(TEE_ALG_AES_GCM, TEE_MODE_DECRYPT, 128, k) : 0;
	uint8_t in[48];
	for (unsigned i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(3 * i);
	if (enc && dec) {
		TEE_Result res = TEE_AEInit(enc, nonce, 12, 128, 0, 0);
		CHECK(res == TEE_SUCCESS, "AEInit: 0x%x", res);
		size_t n = 0, tl = 0;
		res = TEE_AEUpdate(enc, in, 32, NULL, &n);
		want_short("AEUpdate, NULL/0", res, n, 32);
		n = 31;
		res = TEE_AEUpdate(enc, in, 32, buf, &n);
		want_short("AEUpdate, 31 bytes", res, n, 32);
		n = 32;
		res = TEE_AEUpdate(enc, in, 32, buf, &n);
		CHECK(res == TEE_SUCCESS && n == 32, "AEUpdate again with 32 bytes: 0x%x %zu", res, n);
		n = 0;
		res = TEE_AEEncryptFinal(enc, in + 32, 16, NULL, &n, NULL, &tl);
		CHECK(res == TEE_ERROR_SHORT_BUFFER && n == 16 && tl == 16,
		      "AEEncryptFinal, NULL/0 twice: 0x%x, %zu and %zu (want 16 and 16)", res, n, tl);
		n = 16;
		tl = 15;
		res = TEE_AEEncryptFinal(enc, in + 32, 16, buf + 32, &n, tag, &tl);
		CHECK(res == TEE_ERROR_SHORT_BUFFER && n == 16 && tl == 16,
		      "AEEncryptFinal, a 15-byte tag: 0x%x, %zu and %zu", res, n, tl);
		n = 15;
		tl = 16;
		res = TEE_AEEncryptFinal(enc, in + 32, 16, buf + 32, &n, tag, &tl);
		CHECK(res == TEE_ERROR_SHORT_BUFFER && n == 16 && tl == 16,
		      "AEEncryptFinal, 15 bytes of data: 0x%x, %zu and %zu", res, n, tl);
		n = 16;
		res = TEE_AEEncryptFinal(enc, in + 32, 16, buf + 32, &n, tag, &tl);
		CHECK(res == TEE_SUCCESS && n == 16 && tl == 16, "AEEncryptFinal again: 0x%x", res);

		res = TEE_AEInit(dec, nonce, 12, 128, 0, 0);
		n = 0;
		res = TEE_AEUpdate(dec, buf, 32, NULL, &n);
		want_short("AEUpdate (decrypt), NULL/0", res, n, 32);
		n = 32;
		res = TEE_AEUpdate(dec, buf, 32, buf2, &n);
		CHECK(res == TEE_SUCCESS && n == 32, "AEUpdate (decrypt) again: 0x%x", res);
		n = 0;
		res = TEE_AEDecryptFinal(dec, buf + 32, 16, NULL, &n, tag, 16);
		want_short("AEDecryptFinal, NULL/0", res, n, 16);
		n = 15;
		res = TEE_AEDecryptFinal(dec, buf + 32, 16, buf2 + 32, &n, tag, 16);
		want_short("AEDecryptFinal, 15 bytes", res, n, 16);
		n = 16;
		res = TEE_AEDecryptFinal(dec, buf + 32, 16, buf2 + 32, &n, tag, 16);
		CHECK(res == TEE_SUCCESS && n == 16 && !memcmp(buf2, in, 48),
		      "AEDecryptFinal again: 0x%x, the plaintext back", res);
	}
	TEE_FreeOperation(enc);
	TEE_FreeOperation(dec);
	TEE_FreeTransientObject(k);
}

static void sizes_rsa(void)
{
	TEE_ObjectHandle k;
	if (!CHECK(TEE_AllocateTransientObject(TEE_TYPE_RSA_KEYPAIR, 1024, &k) == TEE_SUCCESS,
	           "allocate an RSA key"))
		return;
	TEE_Result res = TEE_GenerateKey(k, 1024, NULL, 0);
	TEE_OperationHandle enc = 0, dec = 0, sig = 0, v15 = 0;
	if (CHECK(res == TEE_SUCCESS, "generate RSA-1024: 0x%x", res)) {
		enc = op_with_key(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA256, TEE_MODE_ENCRYPT, 1024, k);
		dec = op_with_key(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA256, TEE_MODE_DECRYPT, 1024, k);
		v15 = op_with_key(TEE_ALG_RSAES_PKCS1_V1_5, TEE_MODE_DECRYPT, 1024, k);
		sig = op_with_key(TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, TEE_MODE_SIGN, 1024, k);
	}
	if (enc && dec && sig && v15) {
		size_t n = 0;
		res = TEE_AsymmetricEncrypt(enc, NULL, 0, "hello", 5, NULL, &n);
		want_short("AsymmetricEncrypt, NULL/0", res, n, 128);
		n = 127;
		res = TEE_AsymmetricEncrypt(enc, NULL, 0, "hello", 5, buf, &n);
		want_short("AsymmetricEncrypt, 127 bytes", res, n, 128);
		n = 128;
		res = TEE_AsymmetricEncrypt(enc, NULL, 0, "hello", 5, buf, &n);
		CHECK(res == TEE_SUCCESS && n == 128, "AsymmetricEncrypt again: 0x%x %zu", res, n);

		/* The plaintext's size comes only from decrypting: the service
		 * must say it (before issue 13 item 10, NULL/0 got no size). */
		size_t p = 0;
		res = TEE_AsymmetricDecrypt(dec, NULL, 0, buf, 128, NULL, &p);
		want_short("AsymmetricDecrypt (OAEP), NULL/0", res, p, 5);
		p = 4;
		res = TEE_AsymmetricDecrypt(dec, NULL, 0, buf, 128, buf2, &p);
		want_short("AsymmetricDecrypt (OAEP), 4 bytes", res, p, 5);
		p = 5;
		res = TEE_AsymmetricDecrypt(dec, NULL, 0, buf, 128, buf2, &p);
		CHECK(res == TEE_SUCCESS && p == 5 && !memcmp(buf2, "hello", 5),
		      "AsymmetricDecrypt again with 5 bytes: 0x%x %zu", res, p);

		/* PKCS#1 v1.5, a ciphertext made with the public key here. */
		TEE_OperationHandle e15 =
		    op_with_key(TEE_ALG_RSAES_PKCS1_V1_5, TEE_MODE_ENCRYPT, 1024, k);
		n = 128;
		res = e15 ? TEE_AsymmetricEncrypt(e15, NULL, 0, "seven!!", 7, buf, &n)
		          : TEE_ERROR_GENERIC;
		CHECK(res == TEE_SUCCESS && n == 128, "v1.5 encrypt: 0x%x", res);
		p = 0;
		res = TEE_AsymmetricDecrypt(v15, NULL, 0, buf, 128, NULL, &p);
		want_short("AsymmetricDecrypt (v1.5), NULL/0", res, p, 7);
		p = 7;
		res = TEE_AsymmetricDecrypt(v15, NULL, 0, buf, 128, buf2, &p);
		CHECK(res == TEE_SUCCESS && p == 7 && !memcmp(buf2, "seven!!", 7),
		      "v1.5 decrypt again: 0x%x", res);
		TEE_FreeOperation(e15);

		uint8_t dg[32] = {7};
		n = 0;
		res = TEE_AsymmetricSignDigest(sig, NULL, 0, dg, 32, NULL, &n);
		want_short("AsymmetricSignDigest (RSA), NULL/0", res, n, 128);
		n = 127;
		res = TEE_AsymmetricSignDigest(sig, NULL, 0, dg, 32, buf, &n);
		want_short("AsymmetricSignDigest (RSA), 127 bytes", res, n, 128);
		n = 128;
		res = TEE_AsymmetricSignDigest(sig, NULL, 0, dg, 32, buf, &n);
		CHECK(res == TEE_SUCCESS && n == 128, "AsymmetricSignDigest again: 0x%x", res);

		n = 0;
		res = TEE_GetObjectBufferAttribute(k, TEE_ATTR_RSA_MODULUS, NULL, &n);
		want_short("GetObjectBufferAttribute (RSA modulus), NULL/0", res, n, 128);
		n = 128;
		res = TEE_GetObjectBufferAttribute(k, TEE_ATTR_RSA_MODULUS, buf, &n);
		CHECK(res == TEE_SUCCESS && n == 128 && (buf[0] & 0x80),
		      "the modulus again: 0x%x", res);
	}
	TEE_FreeOperation(enc);
	TEE_FreeOperation(dec);
	TEE_FreeOperation(v15);
	TEE_FreeOperation(sig);
	TEE_FreeTransientObject(k);
}

/* A P-256 key pair whose public coordinates are a full 32 bytes each: the
 * service gives a coordinate without its leading zero bytes (about one key
 * in a hundred and thirty has one), and these checks want the full size. */
static TEE_ObjectHandle ec_pair(uint32_t type)
{
	TEE_ObjectHandle k;
	TEE_Attribute c;
	TEE_InitValueAttribute(&c, TEE_ATTR_ECC_CURVE, TEE_ECC_CURVE_NIST_P256, 0);
	if (TEE_AllocateTransientObject(type, 256, &k) != TEE_SUCCESS)
		return TEE_HANDLE_NULL;
	for (int tries = 0; tries < 16; tries++) {
		uint8_t v[32];
		size_t xl = sizeof(v), yl = sizeof(v);
		if (TEE_GenerateKey(k, 256, &c, 1) != TEE_SUCCESS)
			break;
		if (TEE_GetObjectBufferAttribute(k, TEE_ATTR_ECC_PUBLIC_VALUE_X, v, &xl) == TEE_SUCCESS &&
		    TEE_GetObjectBufferAttribute(k, TEE_ATTR_ECC_PUBLIC_VALUE_Y, v, &yl) == TEE_SUCCESS &&
		    xl == 32 && yl == 32)
			return k;
		TEE_ResetTransientObject(k);
	}
	TEE_FreeTransientObject(k);
	return TEE_HANDLE_NULL;
}

static void sizes_ec(void)
{
	TEE_ObjectHandle s = ec_pair(TEE_TYPE_ECDSA_KEYPAIR);
	TEE_OperationHandle op = s ? op_with_key(TEE_ALG_ECDSA_SHA256, TEE_MODE_SIGN, 256, s) : 0;
	if (CHECK(op != 0, "an ECDSA P-256 key and operation")) {
		uint8_t dg[32] = {9};
		size_t n = 0;
		TEE_Result res = TEE_AsymmetricSignDigest(op, NULL, 0, dg, 32, NULL, &n);
		want_short("AsymmetricSignDigest (ECDSA P-256), NULL/0", res, n, 64);
		n = 63;
		res = TEE_AsymmetricSignDigest(op, NULL, 0, dg, 32, buf, &n);
		want_short("AsymmetricSignDigest (ECDSA P-256), 63 bytes", res, n, 64);
		n = 64;
		res = TEE_AsymmetricSignDigest(op, NULL, 0, dg, 32, buf, &n);
		CHECK(res == TEE_SUCCESS && n == 64, "ECDSA sign again: 0x%x", res);
	}
	TEE_FreeOperation(op);
	TEE_FreeTransientObject(s);

	/* ECDH: the derived secret's size, asked of the object DeriveKey made. */
	TEE_ObjectHandle a = ec_pair(TEE_TYPE_ECDH_KEYPAIR), b = ec_pair(TEE_TYPE_ECDH_KEYPAIR);
	TEE_OperationHandle d = a ? op_with_key(TEE_ALG_ECDH_DERIVE_SHARED_SECRET, TEE_MODE_DERIVE,
	                                        256, a)
	                          : 0;
	TEE_ObjectHandle sec = TEE_HANDLE_NULL;
	uint8_t x[32], y[32];
	size_t xl = 0, yl = sizeof(y);
	TEE_Result res = b ? TEE_GetObjectBufferAttribute(b, TEE_ATTR_ECC_PUBLIC_VALUE_X, NULL, &xl)
	                   : TEE_ERROR_GENERIC;
	want_short("GetObjectBufferAttribute (ECC public X), NULL/0", res, xl, 32);
	if (b && d && xl == 32 &&
	    TEE_GetObjectBufferAttribute(b, TEE_ATTR_ECC_PUBLIC_VALUE_X, x, &xl) == TEE_SUCCESS &&
	    TEE_GetObjectBufferAttribute(b, TEE_ATTR_ECC_PUBLIC_VALUE_Y, y, &yl) == TEE_SUCCESS &&
	    TEE_AllocateTransientObject(TEE_TYPE_GENERIC_SECRET, 256, &sec) == TEE_SUCCESS) {
		TEE_Attribute p[2];
		TEE_InitRefAttribute(&p[0], TEE_ATTR_ECC_PUBLIC_VALUE_X, x, 32);
		TEE_InitRefAttribute(&p[1], TEE_ATTR_ECC_PUBLIC_VALUE_Y, y, 32);
		TEE_DeriveKey(d, p, 2, sec);
		size_t n = 0;
		res = TEE_GetObjectBufferAttribute(sec, TEE_ATTR_SECRET_VALUE, NULL, &n);
		want_short("GetObjectBufferAttribute (derived secret), NULL/0", res, n, 32);
		n = 31;
		res = TEE_GetObjectBufferAttribute(sec, TEE_ATTR_SECRET_VALUE, buf, &n);
		want_short("GetObjectBufferAttribute (derived secret), 31 bytes", res, n, 32);
		n = 32;
		res = TEE_GetObjectBufferAttribute(sec, TEE_ATTR_SECRET_VALUE, buf, &n);
		CHECK(res == TEE_SUCCESS && n == 32, "the derived secret again: 0x%x", res);
	} else {
		CHECK(0, "ECDH keys, operation and secret object");
	}
	TEE_FreeTransientObject(sec);
	TEE_FreeOperation(d);
	TEE_FreeTransientObject(a);
	TEE_FreeTransientObject(b);
}

static void sizes_objects_and_info(void)
{
	TEE_ObjectHandle k = secret_key(TEE_TYPE_AES, key16, 16);
	if (k) {
		size_t n = 0;
		TEE_Result res = TEE_GetObjectBufferAttribute(k, TEE_ATTR_SECRET_VALUE, NULL, &n);
		want_short("GetObjectBufferAttribute (AES key), NULL/0", res, n, 16);
		n = 15;
		res = TEE_GetObjectBufferAttribute(k, TEE_ATTR_SECRET_VALUE, buf, &n);
		want_short("GetObjectBufferAttribute (AES key), 15 bytes", res, n, 16);
		n = 16;
		res = TEE_GetObjectBufferAttribute(k, TEE_ATTR_SECRET_VALUE, buf, &n);
		CHECK(res == TEE_SUCCESS && n == 16 && !memcmp(buf, key16, 16),
		      "the AES key again: 0x%x", res);
	}
	TEE_OperationHandle op = k ? op_with_key(TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, 128, k) : 0;
	if (op) {
		size_t need = sizeof(TEE_OperationInfoMultiple) + sizeof(TEE_OperationInfoKey), n = 0;
		TEE_Result res = TEE_GetOperationInfoMultiple(op, NULL, &n);
		want_short("GetOperationInfoMultiple, NULL/0", res, n, need);
		n = need - 1;
		res = TEE_GetOperationInfoMultiple(op, (TEE_OperationInfoMultiple *)(void *)buf, &n);
		want_short("GetOperationInfoMultiple, one byte short", res, n, need);
		n = need;
		res = TEE_GetOperationInfoMultiple(op, (TEE_OperationInfoMultiple *)(void *)buf, &n);
		CHECK(res == TEE_SUCCESS && n == need, "GetOperationInfoMultiple again: 0x%x", res);
	}
	TEE_FreeOperation(op);
	TEE_FreeTransientObject(k);
}

static void sizes_properties(void)
{
	static const char desc[] = "MicroTEE crypto API test vectors"; /* TA_DESCRIPTION */
	size_t n = 0;
	TEE_Result res = TEE_GetPropertyAsString(TEE_PROPSET_CURRENT_TA, "gpd.ta.description", NULL, &n);
	want_short("GetPropertyAsString, NULL/0", res, n, sizeof(desc));
	n = sizeof(desc) - 1;
	res = TEE_GetPropertyAsString(TEE_PROPSET_CURRENT_TA, "gpd.ta.description", (char *)buf, &n);
	want_short("GetPropertyAsString, one byte short (the NUL)", res, n, sizeof(desc));
	n = sizeof(desc);
	res = TEE_GetPropertyAsString(TEE_PROPSET_CURRENT_TA, "gpd.ta.description", (char *)buf, &n);
	CHECK(res == TEE_SUCCESS && n == sizeof(desc) && !strcmp((char *)buf, desc),
	      "GetPropertyAsString again: 0x%x", res);

	static const uint8_t blob[5] = {1, 2, 3, 4, 5};
	n = 0;
	res = TEE_GetPropertyAsBinaryBlock(TEE_PROPSET_CURRENT_TA, "org.microtee.test.blob", NULL, &n);
	want_short("GetPropertyAsBinaryBlock, NULL/0", res, n, 5);
	n = 4;
	memset(buf, 0, 8);
	res = TEE_GetPropertyAsBinaryBlock(TEE_PROPSET_CURRENT_TA, "org.microtee.test.blob", buf, &n);
	want_short("GetPropertyAsBinaryBlock, 4 bytes", res, n, 5);
	n = 5;
	res = TEE_GetPropertyAsBinaryBlock(TEE_PROPSET_CURRENT_TA, "org.microtee.test.blob", buf, &n);
	CHECK(res == TEE_SUCCESS && n == 5 && !memcmp(buf, blob, 5),
	      "GetPropertyAsBinaryBlock again: 0x%x", res);

	TEE_PropSetHandle e;
	if (!CHECK(TEE_AllocatePropertyEnumerator(&e) == TEE_SUCCESS, "a property enumerator"))
		return;
	TEE_StartPropertyEnumerator(e, TEE_PROPSET_CURRENT_TA);
	n = 0;
	res = TEE_GetPropertyName(e, NULL, &n);
	size_t need = n;
	CHECK(res == TEE_ERROR_SHORT_BUFFER && need > 1, "GetPropertyName, NULL/0: 0x%x %zu", res, n);
	n = need - 1;
	res = TEE_GetPropertyName(e, buf, &n);
	want_short("GetPropertyName, one byte short", res, n, need);
	n = need;
	res = TEE_GetPropertyName(e, buf, &n);
	CHECK(res == TEE_SUCCESS && n == need && strlen((char *)buf) + 1 == need,
	      "GetPropertyName again: 0x%x", res);
	TEE_FreePropertyEnumerator(e);
}

void test_sizes(void)
{
	group("size queries");
	sizes_digest();
	sizes_mac();
	sizes_cipher();
	sizes_ae();
	sizes_rsa();
	sizes_ec();
	sizes_objects_and_info();
	sizes_properties();
}
