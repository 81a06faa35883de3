/* RSA (PKCS #1 v1.5 signatures against published vectors; PSS, OAEP and
 * v1.5 encryption, which are randomized, as round trips; key generation),
 * ECDSA (published signatures to verify; sign/verify round trips on P-256,
 * P-384, P-521) and ECDH (RFC 5903 known answers). */
#include <string.h>

#include "crypto_test.h"

/* GP v1.1's per-curve identifiers, which TAs built against older headers
 * pass; the library must take them as well as the v1.3 ones. */
#define OLD_ALG_ECDSA_P256 0x70003041U
#define OLD_ALG_ECDH_P256  0x80003042U

static void ref(TEE_Attribute *a, uint32_t *n, uint32_t id, const char *hex)
{
	size_t len;
	const uint8_t *p = hx(hex, &len);
	TEE_InitRefAttribute(&a[(*n)++], id, p, len);
}

/* An RSA key from a vector: the public half, or the pair with or without
 * the CRT values. */
static TEE_ObjectHandle rsa_key(const struct rsa_key *k, bool pair, bool crt, uint32_t *bits)
{
	TEE_Attribute a[8];
	uint32_t n = 0;
	ref(a, &n, TEE_ATTR_RSA_MODULUS, k->n);
	*bits = (uint32_t)a[0].content.ref.length * 8;
	ref(a, &n, TEE_ATTR_RSA_PUBLIC_EXPONENT, k->e);
	if (pair)
		ref(a, &n, TEE_ATTR_RSA_PRIVATE_EXPONENT, k->d);
	if (pair && crt) {
		ref(a, &n, TEE_ATTR_RSA_PRIME1, k->p);
		ref(a, &n, TEE_ATTR_RSA_PRIME2, k->q);
		ref(a, &n, TEE_ATTR_RSA_EXPONENT1, k->dp);
		ref(a, &n, TEE_ATTR_RSA_EXPONENT2, k->dq);
		ref(a, &n, TEE_ATTR_RSA_COEFFICIENT, k->qinv);
	}
	return key_from(pair ? TEE_TYPE_RSA_KEYPAIR : TEE_TYPE_RSA_PUBLIC_KEY, *bits, a, n);
}

/* The public half of a key pair, through TEE_CopyObjectAttributes1. */
static TEE_ObjectHandle public_half(TEE_ObjectHandle pair, uint32_t type, uint32_t bits)
{
	TEE_ObjectHandle pub;
	if (!CHECK(TEE_AllocateTransientObject(type, bits, &pub) == TEE_SUCCESS, "allocate"))
		return TEE_HANDLE_NULL;
	TEE_Result res = TEE_CopyObjectAttributes1(pub, pair);
	if (!CHECK(res == TEE_SUCCESS, "copy the public half: 0x%x", res)) {
		TEE_FreeTransientObject(pub);
		return TEE_HANDLE_NULL;
	}
	return pub;
}

static TEE_Result sign(uint32_t alg, uint32_t bits, TEE_ObjectHandle key, const TEE_Attribute *p,
                       uint32_t np, const void *dg, size_t dlen, uint8_t *sig, size_t *slen)
{
	TEE_OperationHandle op = op_with_key(alg, TEE_MODE_SIGN, bits, key);
	if (!op)
		return TEE_ERROR_GENERIC;
	TEE_Result res = TEE_AsymmetricSignDigest(op, p, np, dg, dlen, sig, slen);
	TEE_FreeOperation(op);
	return res;
}

static TEE_Result verify(uint32_t alg, uint32_t bits, TEE_ObjectHandle key, const TEE_Attribute *p,
                         uint32_t np, const void *dg, size_t dlen, const uint8_t *sig, size_t slen)
{
	TEE_OperationHandle op = op_with_key(alg, TEE_MODE_VERIFY, bits, key);
	if (!op)
		return TEE_ERROR_GENERIC;
	TEE_Result res = TEE_AsymmetricVerifyDigest(op, p, np, dg, dlen, sig, slen);
	TEE_FreeOperation(op);
	return res;
}

static TEE_Result crypt(uint32_t alg, uint32_t mode, uint32_t bits, TEE_ObjectHandle key,
                        const TEE_Attribute *p, uint32_t np, const void *in, size_t inlen,
                        uint8_t *out, size_t *outlen)
{
	TEE_OperationHandle op = op_with_key(alg, mode, bits, key);
	if (!op)
		return TEE_ERROR_GENERIC;
	TEE_Result res = mode == TEE_MODE_ENCRYPT
	                     ? TEE_AsymmetricEncrypt(op, p, np, in, inlen, out, outlen)
	                     : TEE_AsymmetricDecrypt(op, p, np, in, inlen, out, outlen);
	TEE_FreeOperation(op);
	return res;
}

/* ---- PKCS #1 v1.5 signatures: known answers ---- */

static void rsa_pkcs1_sign(void)
{
	group("RSASSA-PKCS1-v1_5");
	for (const struct rsa_sig_vec *v = rsa_sig_vecs; v->name; v++, scratch_reset()) {
		size_t mlen, slen, dlen = 64, outlen;
		const uint8_t *msg = hx(v->msg, &mlen), *want = hx(v->sig, &slen);
		uint8_t dg[64], *out = scratch(slen + 16);
		uint32_t bits;
		if (!CHECK(digest(v->hash, msg, mlen, dg, &dlen), "digest"))
			continue;
		for (int crt = 1; crt >= 0; crt--) {
			TEE_ObjectHandle pair = rsa_key(v->key, true, crt, &bits);
			if (!pair)
				continue;
			outlen = slen;
			TEE_Result res = sign(v->alg, bits, pair, 0, 0, dg, dlen, out, &outlen);
			CHECK(res == TEE_SUCCESS && outlen == slen && !memcmp(out, want, slen),
			      "%s sign%s: 0x%x", v->name, crt ? " (CRT)" : "", res);
			if (crt) {
				res = verify(v->alg, bits, pair, 0, 0, dg, dlen, want, slen);
				CHECK(res == TEE_SUCCESS, "%s verify with the pair: 0x%x", v->name,
				      res);
				/* Too small a signature buffer. */
				outlen = 10;
				res = sign(v->alg, bits, pair, 0, 0, dg, dlen, out, &outlen);
				CHECK(res == TEE_ERROR_SHORT_BUFFER && outlen == slen,
				      "short signature buffer: 0x%x %zu", res, outlen);
				TEE_ObjectHandle pub =
				    public_half(pair, TEE_TYPE_RSA_PUBLIC_KEY, bits);
				if (pub) {
					res = verify(v->alg, bits, pub, 0, 0, dg, dlen, want, slen);
					CHECK(res == TEE_SUCCESS, "%s verify: 0x%x", v->name, res);
					memcpy(out, want, slen);
					out[slen / 2] ^= 0x01;
					res = verify(v->alg, bits, pub, 0, 0, dg, dlen, out, slen);
					CHECK(res == TEE_ERROR_SIGNATURE_INVALID,
					      "bad signature: 0x%x", res);
					dg[0] ^= 0x80;
					res = verify(v->alg, bits, pub, 0, 0, dg, dlen, want, slen);
					CHECK(res == TEE_ERROR_SIGNATURE_INVALID,
					      "other digest: 0x%x", res);
					dg[0] ^= 0x80;
					TEE_FreeTransientObject(pub);
				}
			}
			TEE_FreeTransientObject(pair);
		}
	}
	for (const struct rsa_sig_vec *v = rsa_verify_vecs; v->name; v++, scratch_reset()) {
		size_t mlen, slen, dlen = 64;
		const uint8_t *msg = hx(v->msg, &mlen), *sig = hx(v->sig, &slen);
		uint8_t dg[64];
		uint32_t bits;
		if (!CHECK(digest(v->hash, msg, mlen, dg, &dlen), "digest"))
			continue;
		TEE_ObjectHandle pub = rsa_key(v->key, false, false, &bits);
		if (!pub)
			continue;
		TEE_Result res = verify(v->alg, bits, pub, 0, 0, dg, dlen, sig, slen);
		CHECK(res == TEE_SUCCESS, "%s verify: 0x%x", v->name, res);
		uint8_t *bad = scratch(slen);
		memcpy(bad, sig, slen);
		bad[0] ^= 0x40;
		res = verify(v->alg, bits, pub, 0, 0, dg, dlen, bad, slen);
		CHECK(res == TEE_ERROR_SIGNATURE_INVALID, "%s bad signature: 0x%x", v->name, res);
		TEE_FreeTransientObject(pub);
	}
}

/* ---- randomized schemes: round trips ---- */

/* PSS with each hash the key size allows, with and without a salt length. */
static void rsa_pss(TEE_ObjectHandle pair, TEE_ObjectHandle pub, uint32_t bits, const char *what)
{
	static const uint32_t algs[] = {TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA1,
	                                TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA256,
	                                TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA512};
	static const uint32_t hashes[] = {TEE_ALG_SHA1, TEE_ALG_SHA256, TEE_ALG_SHA512};
	group("RSASSA-PSS");
	for (unsigned i = 0; i < 3; i++) {
		size_t dlen = digest_size(hashes[i]), slen = bits / 8, slen2 = bits / 8;
		if (2 * dlen + 2 > bits / 8)
			continue; /* no room for a salt as long as the hash */
		uint8_t dg[64], *sig = scratch(slen), *sig2 = scratch(slen);
		TEE_GenerateRandom(dg, dlen);
		TEE_Result res = sign(algs[i], bits, pair, 0, 0, dg, dlen, sig, &slen);
		CHECK(res == TEE_SUCCESS && slen == bits / 8, "%s sign: 0x%x", what, res);
		res = verify(algs[i], bits, pub, 0, 0, dg, dlen, sig, slen);
		CHECK(res == TEE_SUCCESS, "%s verify: 0x%x", what, res);
		res = sign(algs[i], bits, pair, 0, 0, dg, dlen, sig2, &slen2);
		CHECK(res == TEE_SUCCESS && memcmp(sig, sig2, slen), "%s: two signatures alike",
		      what);
		sig[3] ^= 0x20;
		res = verify(algs[i], bits, pub, 0, 0, dg, dlen, sig, slen);
		CHECK(res == TEE_ERROR_SIGNATURE_INVALID, "%s bad signature: 0x%x", what, res);
		/* A salt length given explicitly, on both sides. */
		TEE_Attribute salt;
		TEE_InitValueAttribute(&salt, TEE_ATTR_RSA_PSS_SALT_LENGTH, 8, 0);
		slen = bits / 8;
		res = sign(algs[i], bits, pair, &salt, 1, dg, dlen, sig, &slen);
		CHECK(res == TEE_SUCCESS, "%s sign with an 8-byte salt: 0x%x", what, res);
		res = verify(algs[i], bits, pub, &salt, 1, dg, dlen, sig, slen);
		CHECK(res == TEE_SUCCESS, "%s verify with an 8-byte salt: 0x%x", what, res);
	}
}

static void rsa_oaep(TEE_ObjectHandle pair, TEE_ObjectHandle pub, uint32_t bits, const char *what)
{
	static const uint32_t algs[] = {TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA1,
	                                TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA256};
	static const char msg[] = "attack at dawn";
	group("RSAES-OAEP");
	for (unsigned i = 0; i < 2; i++) {
		size_t clen = bits / 8, clen2 = bits / 8, plen = 64;
		uint8_t *c = scratch(clen), *c2 = scratch(clen), p[64];
		TEE_Result res =
		    crypt(algs[i], TEE_MODE_ENCRYPT, bits, pub, 0, 0, msg, sizeof(msg), c, &clen);
		CHECK(res == TEE_SUCCESS && clen == bits / 8, "%s encrypt: 0x%x", what, res);
		res =
		    crypt(algs[i], TEE_MODE_ENCRYPT, bits, pub, 0, 0, msg, sizeof(msg), c2, &clen2);
		CHECK(res == TEE_SUCCESS && memcmp(c, c2, clen), "%s: two ciphertexts alike", what);
		res = crypt(algs[i], TEE_MODE_DECRYPT, bits, pair, 0, 0, c, clen, p, &plen);
		CHECK(res == TEE_SUCCESS && plen == sizeof(msg) && !memcmp(p, msg, plen),
		      "%s decrypt: 0x%x", what, res);
		/* With a label, which must match. */
		TEE_Attribute label;
		TEE_InitRefAttribute(&label, TEE_ATTR_RSA_OAEP_LABEL, "label", 5);
		clen = bits / 8;
		res = crypt(algs[i], TEE_MODE_ENCRYPT, bits, pub, &label, 1, msg, sizeof(msg), c,
		            &clen);
		plen = sizeof(p);
		if (res == TEE_SUCCESS)
			res = crypt(algs[i], TEE_MODE_DECRYPT, bits, pair, &label, 1, c, clen, p,
			            &plen);
		CHECK(res == TEE_SUCCESS && plen == sizeof(msg) && !memcmp(p, msg, plen),
		      "%s with a label: 0x%x", what, res);
		TEE_InitRefAttribute(&label, TEE_ATTR_RSA_OAEP_LABEL, "lapel", 5);
		plen = sizeof(p);
		res = crypt(algs[i], TEE_MODE_DECRYPT, bits, pair, &label, 1, c, clen, p, &plen);
		CHECK(res != TEE_SUCCESS, "%s with the wrong label: 0x%x", what, res);
		/* A message too long for the key. */
		size_t too_long = bits / 8, out = bits / 8;
		uint8_t *m = scratch(too_long);
		res = crypt(algs[i], TEE_MODE_ENCRYPT, bits, pub, 0, 0, m, too_long, c, &out);
		CHECK(res == TEE_ERROR_BAD_PARAMETERS, "%s message too long: 0x%x", what, res);
	}

	group("RSAES-PKCS1-v1_5");
	size_t clen = bits / 8, plen = 64;
	uint8_t *c = scratch(clen), p[64];
	TEE_Result res = crypt(TEE_ALG_RSAES_PKCS1_V1_5, TEE_MODE_ENCRYPT, bits, pub, 0, 0, msg,
	                       sizeof(msg), c, &clen);
	CHECK(res == TEE_SUCCESS && clen == bits / 8, "%s encrypt: 0x%x", what, res);
	res =
	    crypt(TEE_ALG_RSAES_PKCS1_V1_5, TEE_MODE_DECRYPT, bits, pair, 0, 0, c, clen, p, &plen);
	CHECK(res == TEE_SUCCESS && plen == sizeof(msg) && !memcmp(p, msg, plen),
	      "%s decrypt: 0x%x", what, res);
	/* Output buffers too small: the sizes needed come back. */
	size_t small = 3;
	res =
	    crypt(TEE_ALG_RSAES_PKCS1_V1_5, TEE_MODE_DECRYPT, bits, pair, 0, 0, c, clen, p, &small);
	CHECK(res == TEE_ERROR_SHORT_BUFFER && small >= sizeof(msg) && small <= bits / 8,
	      "%s short plaintext buffer: 0x%x %zu", what, res, small);
	small = 3;
	res = crypt(TEE_ALG_RSAES_PKCS1_V1_5, TEE_MODE_ENCRYPT, bits, pub, 0, 0, msg, sizeof(msg),
	            c, &small);
	CHECK(res == TEE_ERROR_SHORT_BUFFER && small == bits / 8,
	      "%s short ciphertext buffer: 0x%x %zu", what, res, small);

	group("RSA-NOPAD");
	size_t k = bits / 8, n1 = k, n2 = k;
	uint8_t *m = scratch(k), *c1 = scratch(k), *back = scratch(k);
	TEE_GenerateRandom(m + 1, k - 1); /* below the modulus */
	res = crypt(TEE_ALG_RSA_NOPAD, TEE_MODE_ENCRYPT, bits, pub, 0, 0, m, k, c1, &n1);
	if (res == TEE_SUCCESS)
		res =
		    crypt(TEE_ALG_RSA_NOPAD, TEE_MODE_DECRYPT, bits, pair, 0, 0, c1, n1, back, &n2);
	/* The result may come without its leading zero byte. */
	CHECK(res == TEE_SUCCESS && n2 <= k && !memcmp(back, m + (k - n2), n2),
	      "%s raw round trip: 0x%x", what, res);
}

static void rsa_keygen(void)
{
	group("RSA keygen");
	TEE_ObjectHandle pair;
	if (!CHECK(TEE_AllocateTransientObject(TEE_TYPE_RSA_KEYPAIR, 2048, &pair) == TEE_SUCCESS,
	           "allocate"))
		return;
	TEE_Result res = TEE_GenerateKey(pair, 2048, 0, 0);
	if (!CHECK(res == TEE_SUCCESS, "generate 2048 bits: 0x%x", res)) {
		TEE_FreeTransientObject(pair);
		return;
	}
	TEE_ObjectInfo info;
	TEE_GetObjectInfo1(pair, &info);
	CHECK(info.objectSize == 2048 && (info.handleFlags & TEE_HANDLE_FLAG_INITIALIZED),
	      "object of %u bits", info.objectSize);
	uint8_t n[256], e[8];
	size_t nlen = 0, elen = sizeof(e);
	res = TEE_GetObjectBufferAttribute(pair, TEE_ATTR_RSA_MODULUS, 0, &nlen);
	CHECK(res == TEE_ERROR_SHORT_BUFFER && nlen == 256, "modulus size: 0x%x %zu", res, nlen);
	res = TEE_GetObjectBufferAttribute(pair, TEE_ATTR_RSA_MODULUS, n, &nlen);
	CHECK(res == TEE_SUCCESS && nlen == 256 && (n[0] & 0x80) && (n[255] & 1), "modulus: 0x%x",
	      res);
	res = TEE_GetObjectBufferAttribute(pair, TEE_ATTR_RSA_PUBLIC_EXPONENT, e, &elen);
	CHECK(res == TEE_SUCCESS && elen == 3 && e[0] == 1 && e[1] == 0 && e[2] == 1,
	      "public exponent 65537: 0x%x %zu", res, elen);
	elen = 0;
	res = TEE_GetObjectBufferAttribute(pair, TEE_ATTR_RSA_PRIME1, 0, &elen);
	CHECK(res == TEE_ERROR_SHORT_BUFFER && elen == 128, "a prime of 1024 bits: 0x%x %zu", res,
	      elen);

	TEE_ObjectHandle pub = public_half(pair, TEE_TYPE_RSA_PUBLIC_KEY, 2048);
	if (pub) {
		group("RSASSA-PKCS1-v1_5");
		uint8_t dg[32], sig[256];
		size_t slen = sizeof(sig);
		TEE_GenerateRandom(dg, sizeof(dg));
		res = sign(TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, 2048, pair, 0, 0, dg, 32, sig, &slen);
		CHECK(res == TEE_SUCCESS && slen == 256, "2048-bit sign: 0x%x", res);
		res = verify(TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, 2048, pub, 0, 0, dg, 32, sig, slen);
		CHECK(res == TEE_SUCCESS, "2048-bit verify: 0x%x", res);
		rsa_pss(pair, pub, 2048, "2048-bit generated key");
		rsa_oaep(pair, pub, 2048, "2048-bit generated key");
		TEE_FreeTransientObject(pub);
	}
	TEE_FreeTransientObject(pair);
}

void test_rsa(void)
{
	rsa_pkcs1_sign();
	scratch_reset();
	uint32_t bits;
	TEE_ObjectHandle pair = rsa_key(&rsa_ex1, true, true, &bits), pub = TEE_HANDLE_NULL;
	if (pair)
		pub = public_half(pair, TEE_TYPE_RSA_PUBLIC_KEY, bits);
	if (pub) {
		rsa_pss(pair, pub, bits, "1024-bit example key");
		rsa_oaep(pair, pub, bits, "1024-bit example key");
	}
	TEE_FreeTransientObject(pub);
	TEE_FreeTransientObject(pair);
	scratch_reset();
	rsa_keygen();
}

/* ---- ECDSA ---- */

static uint32_t curve_bits(uint32_t curve)
{
	return curve == TEE_ECC_CURVE_NIST_P256   ? 256
	       : curve == TEE_ECC_CURVE_NIST_P384 ? 384
	                                          : 521;
}

static void ecdsa_published(void)
{
	for (const struct ecdsa_vec *v = ecdsa_vecs; v->name; v++, scratch_reset()) {
		uint32_t bits = curve_bits(v->curve);
		TEE_Attribute a[3];
		uint32_t n = 0;
		ref(a, &n, TEE_ATTR_ECC_PUBLIC_VALUE_X, v->x);
		ref(a, &n, TEE_ATTR_ECC_PUBLIC_VALUE_Y, v->y);
		TEE_InitValueAttribute(&a[n++], TEE_ATTR_ECC_CURVE, v->curve, 0);
		TEE_ObjectHandle pub = key_from(TEE_TYPE_ECDSA_PUBLIC_KEY, bits, a, n);
		size_t mlen, slen, dlen = 64;
		const uint8_t *msg = hx(v->msg, &mlen), *sig = hx(v->sig, &slen);
		uint8_t dg[64];
		if (!pub || !CHECK(digest(v->hash, msg, mlen, dg, &dlen), "digest")) {
			TEE_FreeTransientObject(pub);
			continue;
		}
		TEE_Result res = verify(v->alg, bits, pub, 0, 0, dg, dlen, sig, slen);
		CHECK(res == TEE_SUCCESS, "%s: 0x%x", v->name, res);
		uint8_t *bad = scratch(slen);
		memcpy(bad, sig, slen);
		bad[slen - 1] ^= 0x02;
		res = verify(v->alg, bits, pub, 0, 0, dg, dlen, bad, slen);
		CHECK(res == TEE_ERROR_SIGNATURE_INVALID, "%s bad signature: 0x%x", v->name, res);
		TEE_FreeTransientObject(pub);
	}
}

/* A key pair generated on `curve`, signing with `alg` (digest of dlen
 * bytes), verified with the pair and with its public half. */
static void ecdsa_round_trip(uint32_t curve, uint32_t alg, size_t dlen, const char *what)
{
	uint32_t bits = curve_bits(curve);
	TEE_ObjectHandle pair;
	if (!CHECK(TEE_AllocateTransientObject(TEE_TYPE_ECDSA_KEYPAIR, bits, &pair) == TEE_SUCCESS,
	           "allocate"))
		return;
	TEE_Attribute c;
	TEE_InitValueAttribute(&c, TEE_ATTR_ECC_CURVE, curve, 0);
	TEE_Result res = TEE_GenerateKey(pair, bits, &c, 1);
	if (CHECK(res == TEE_SUCCESS, "%s generate: 0x%x", what, res)) {
		uint32_t ca = 0, cb = 1;
		res = TEE_GetObjectValueAttribute(pair, TEE_ATTR_ECC_CURVE, &ca, &cb);
		CHECK(res == TEE_SUCCESS && ca == curve, "%s curve attribute: 0x%x %u", what, res,
		      ca);
		uint8_t dg[64], sig[140];
		size_t want = 2 * ((bits + 7) / 8), slen = sizeof(sig);
		TEE_GenerateRandom(dg, dlen);
		res = sign(alg, bits, pair, 0, 0, dg, dlen, sig, &slen);
		CHECK(res == TEE_SUCCESS && slen == want, "%s sign: 0x%x, %zu bytes", what, res,
		      slen);
		res = verify(alg, bits, pair, 0, 0, dg, dlen, sig, slen);
		CHECK(res == TEE_SUCCESS, "%s verify with the pair: 0x%x", what, res);
		TEE_ObjectHandle pub = public_half(pair, TEE_TYPE_ECDSA_PUBLIC_KEY, bits);
		if (pub) {
			res = verify(alg, bits, pub, 0, 0, dg, dlen, sig, slen);
			CHECK(res == TEE_SUCCESS, "%s verify: 0x%x", what, res);
			dg[dlen - 1] ^= 1;
			res = verify(alg, bits, pub, 0, 0, dg, dlen, sig, slen);
			CHECK(res == TEE_ERROR_SIGNATURE_INVALID, "%s other digest: 0x%x", what,
			      res);
			TEE_FreeTransientObject(pub);
		}
		slen = 10;
		res = sign(alg, bits, pair, 0, 0, dg, dlen, sig, &slen);
		CHECK(res == TEE_ERROR_SHORT_BUFFER && slen == want, "%s short buffer: 0x%x %zu",
		      what, res, slen);
	}
	TEE_FreeTransientObject(pair);
}

/* ---- ECDH ---- */

static bool ecdh_derive(uint32_t alg, TEE_ObjectHandle pair, uint32_t bits, const uint8_t *px,
                        size_t pxl, const uint8_t *py, size_t pyl, uint8_t *out, size_t *out_len)
{
	TEE_OperationHandle op = op_with_key(alg, TEE_MODE_DERIVE, bits, pair);
	TEE_ObjectHandle d;
	bool ok = false;
	if (op && CHECK(TEE_AllocateTransientObject(TEE_TYPE_GENERIC_SECRET, (bits + 7) / 8 * 8,
	                                            &d) == TEE_SUCCESS,
	                "allocate the secret")) {
		TEE_Attribute p[2];
		TEE_InitRefAttribute(&p[0], TEE_ATTR_ECC_PUBLIC_VALUE_X, px, pxl);
		TEE_InitRefAttribute(&p[1], TEE_ATTR_ECC_PUBLIC_VALUE_Y, py, pyl);
		TEE_DeriveKey(op, p, 2, d);
		TEE_Result res =
		    TEE_GetObjectBufferAttribute(d, TEE_ATTR_SECRET_VALUE, out, out_len);
		ok = CHECK(res == TEE_SUCCESS, "read the shared secret: 0x%x", res);
		TEE_FreeTransientObject(d);
	}
	TEE_FreeOperation(op);
	return ok;
}

static void ecdh_known(void)
{
	for (const struct ecdh_vec *v = ecdh_vecs; v->name; v++, scratch_reset()) {
		uint32_t bits = curve_bits(v->curve);
		TEE_Attribute a[4];
		uint32_t n = 0;
		ref(a, &n, TEE_ATTR_ECC_PRIVATE_VALUE, v->priv);
		ref(a, &n, TEE_ATTR_ECC_PUBLIC_VALUE_X, v->x);
		ref(a, &n, TEE_ATTR_ECC_PUBLIC_VALUE_Y, v->y);
		TEE_InitValueAttribute(&a[n++], TEE_ATTR_ECC_CURVE, v->curve, 0);
		TEE_ObjectHandle pair = key_from(TEE_TYPE_ECDH_KEYPAIR, bits, a, n);
		size_t pxl, pyl, slen;
		const uint8_t *px = hx(v->peer_x, &pxl), *py = hx(v->peer_y, &pyl);
		const uint8_t *want = hx(v->secret, &slen);
		uint8_t out[72];
		size_t out_len = sizeof(out);
		if (pair && ecdh_derive(TEE_ALG_ECDH_DERIVE_SHARED_SECRET, pair, bits, px, pxl, py,
		                        pyl, out, &out_len))
			CHECK(out_len == slen && !memcmp(out, want, slen), "%s: %zu bytes", v->name,
			      out_len);
		/* The v1.1 per-curve identifier works the same. */
		out_len = sizeof(out);
		if (pair && v->curve == TEE_ECC_CURVE_NIST_P256 &&
		    ecdh_derive(OLD_ALG_ECDH_P256, pair, bits, px, pxl, py, pyl, out, &out_len))
			CHECK(out_len == slen && !memcmp(out, want, slen), "%s (v1.1 identifier)",
			      v->name);
		TEE_FreeTransientObject(pair);
	}
}

/* Two generated P-384 key pairs agree on their secret. */
static void ecdh_agree(void)
{
	TEE_ObjectHandle k[2] = {0, 0};
	uint8_t x[2][48], y[2][48], s[2][48];
	size_t sl[2] = {48, 48};
	TEE_Attribute c;
	TEE_InitValueAttribute(&c, TEE_ATTR_ECC_CURVE, TEE_ECC_CURVE_NIST_P384, 0);
	bool ok = true;
	for (int i = 0; i < 2 && ok; i++) {
		size_t xl = 48, yl = 48;
		ok = CHECK(TEE_AllocateTransientObject(TEE_TYPE_ECDH_KEYPAIR, 384, &k[i]) ==
		                   TEE_SUCCESS &&
		               TEE_GenerateKey(k[i], 384, &c, 1) == TEE_SUCCESS &&
		               TEE_GetObjectBufferAttribute(k[i], TEE_ATTR_ECC_PUBLIC_VALUE_X, x[i],
		                                            &xl) == TEE_SUCCESS &&
		               TEE_GetObjectBufferAttribute(k[i], TEE_ATTR_ECC_PUBLIC_VALUE_Y, y[i],
		                                            &yl) == TEE_SUCCESS &&
		               xl <= 48 && yl <= 48 && xl > 40 && yl > 40,
		           "generate P-384 ECDH key %d (%u, %u bytes)", i, (unsigned)xl,
		           (unsigned)yl);
		/* A coordinate comes without its leading zero bytes (about one
		 * key in a hundred has one): widen it back to 48. */
		if (ok) {
			memmove(x[i] + (48 - xl), x[i], xl);
			memset(x[i], 0, 48 - xl);
			memmove(y[i] + (48 - yl), y[i], yl);
			memset(y[i], 0, 48 - yl);
		}
	}
	if (ok &&
	    ecdh_derive(TEE_ALG_ECDH_DERIVE_SHARED_SECRET, k[0], 384, x[1], 48, y[1], 48, s[0],
	                &sl[0]) &&
	    ecdh_derive(TEE_ALG_ECDH_DERIVE_SHARED_SECRET, k[1], 384, x[0], 48, y[0], 48, s[1],
	                &sl[1]))
		CHECK(sl[0] == 48 && sl[1] == 48 && !memcmp(s[0], s[1], 48),
		      "both sides derive the same secret");
	TEE_FreeTransientObject(k[0]);
	TEE_FreeTransientObject(k[1]);
}

void test_ec(void)
{
	group("ECDSA");
	ecdsa_published();
	ecdsa_round_trip(TEE_ECC_CURVE_NIST_P256, TEE_ALG_ECDSA_SHA256, 32, "P-256/SHA-256");
	ecdsa_round_trip(TEE_ECC_CURVE_NIST_P384, TEE_ALG_ECDSA_SHA384, 48, "P-384/SHA-384");
	ecdsa_round_trip(TEE_ECC_CURVE_NIST_P521, TEE_ALG_ECDSA_SHA512, 64, "P-521/SHA-512");
	/* v1.3: the hash is independent of the curve. */
	ecdsa_round_trip(TEE_ECC_CURVE_NIST_P521, TEE_ALG_ECDSA_SHA256, 32, "P-521/SHA-256");
	/* v1.1's identifier for ECDSA on P-256. */
	ecdsa_round_trip(TEE_ECC_CURVE_NIST_P256, OLD_ALG_ECDSA_P256, 32,
	                 "P-256 (v1.1 identifier)");
	group("ECDH");
	ecdh_known();
	ecdh_agree();
}
