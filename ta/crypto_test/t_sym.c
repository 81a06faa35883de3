/* Symmetric algorithms: digests, ciphers, authenticated encryption, MACs,
 * HKDF. Each vector runs one-shot and in pieces, both directions where
 * there are two, and the tampered variants must fail. */
#include <string.h>

#include "crypto_test.h"

static const char *digest_name(uint32_t alg)
{
	switch (alg) {
	case TEE_ALG_MD5:
		return "MD5";
	case TEE_ALG_SHA1:
		return "SHA-1";
	case TEE_ALG_SHA224:
		return "SHA-224";
	case TEE_ALG_SHA256:
		return "SHA-256";
	case TEE_ALG_SHA384:
		return "SHA-384";
	case TEE_ALG_SHA3_224:
		return "SHA3-224";
	case TEE_ALG_SHA3_256:
		return "SHA3-256";
	case TEE_ALG_SHA3_384:
		return "SHA3-384";
	case TEE_ALG_SHA3_512:
		return "SHA3-512";
	default:
		return "SHA-512";
	}
}

/* Whether the service offers an algorithm; notes it in the group if not. */
static bool offered(uint32_t alg, uint32_t element)
{
	if (TEE_IsAlgorithmSupported(alg, element) == TEE_SUCCESS)
		return true;
	skip("algorithm not offered by the crypto service");
	return false;
}

/* ---- digests ---- */

static void digest_vector(const struct digest_vec *v)
{
	group(digest_name(v->alg));
	if (!offered(v->alg, TEE_CRYPTO_ELEMENT_NONE))
		return;
	size_t want_len, len = strlen(v->msg), dlen = digest_size(v->alg);
	const uint8_t *want = hx(v->md, &want_len);
	uint8_t out[64];
	size_t out_len = sizeof(out);
	TEE_OperationHandle op, copy;
	if (!CHECK(TEE_AllocateOperation(&op, v->alg, TEE_MODE_DIGEST, 0) == TEE_SUCCESS,
	           "allocate"))
		return;

	/* One call. */
	TEE_Result res = TEE_DigestDoFinal(op, v->msg, len, out, &out_len);
	CHECK(res == TEE_SUCCESS && out_len == want_len && !memcmp(out, want, want_len),
	      "'%.20s' one-shot: 0x%x", v->msg, res);

	/* In pieces: the first byte, the middle, the last byte. */
	if (len >= 2) {
		TEE_DigestUpdate(op, v->msg, 1);
		TEE_DigestUpdate(op, v->msg + 1, len - 2);
		out_len = sizeof(out);
		res = TEE_DigestDoFinal(op, v->msg + len - 1, 1, out, &out_len);
		CHECK(res == TEE_SUCCESS && !memcmp(out, want, want_len), "'%.20s' in pieces",
		      v->msg);
	}

	/* Too short an output changes nothing, and says how much is needed. */
	if (len == 3) {
		TEE_DigestUpdate(op, v->msg, 1);
		out_len = dlen - 1;
		res = TEE_DigestDoFinal(op, v->msg + 1, 2, out, &out_len);
		CHECK(res == TEE_ERROR_SHORT_BUFFER && out_len == dlen, "short buffer: 0x%x, %zu",
		      res, out_len);
		res = TEE_DigestDoFinal(op, v->msg + 1, 2, out, &out_len);
		CHECK(res == TEE_SUCCESS && !memcmp(out, want, want_len),
		      "after short buffer: 0x%x", res);

		/* A copy carries the state. */
		TEE_DigestUpdate(op, v->msg, 2);
		if (CHECK(TEE_AllocateOperation(&copy, v->alg, TEE_MODE_DIGEST, 0) == TEE_SUCCESS,
		          "allocate a copy")) {
			TEE_CopyOperation(copy, op);
			uint8_t out2[64];
			size_t out2_len = sizeof(out2);
			out_len = sizeof(out);
			res = TEE_DigestDoFinal(op, v->msg + 2, 1, out, &out_len);
			TEE_Result res2 = TEE_DigestDoFinal(copy, v->msg + 2, 1, out2, &out2_len);
			CHECK(res == TEE_SUCCESS && res2 == TEE_SUCCESS &&
			          !memcmp(out, want, want_len) && !memcmp(out2, want, want_len),
			      "copied operation: 0x%x 0x%x", res, res2);
			TEE_FreeOperation(copy);
		}
	}
	TEE_FreeOperation(op);
}

void test_digests(void)
{
	for (const struct digest_vec *v = digest_vecs; v->alg; v++)
		digest_vector(v);

	/* A million 'a': ten updates of 100 000 bytes, each more than the
	 * data window holds. */
	memset(big_in, 'a', BIG_LEN);
	for (const struct digest_vec *v = million_a_vecs; v->alg; v++) {
		group(digest_name(v->alg));
		size_t want_len;
		const uint8_t *want = hx(v->md, &want_len);
		TEE_OperationHandle op;
		if (!CHECK(TEE_AllocateOperation(&op, v->alg, TEE_MODE_DIGEST, 0) == TEE_SUCCESS,
		           "allocate"))
			continue;
		for (int i = 0; i < 9; i++)
			TEE_DigestUpdate(op, big_in, BIG_LEN);
		uint8_t out[64];
		size_t out_len = sizeof(out);
		TEE_Result res = TEE_DigestDoFinal(op, big_in, BIG_LEN, out, &out_len);
		CHECK(res == TEE_SUCCESS && !memcmp(out, want, want_len), "a million 'a': 0x%x",
		      res);
		TEE_FreeOperation(op);
	}
}

/* ---- ciphers ---- */

static const char *cipher_name(uint32_t alg)
{
	switch (alg) {
	case TEE_ALG_AES_ECB_NOPAD:
		return "AES-ECB";
	case TEE_ALG_AES_CBC_NOPAD:
		return "AES-CBC";
	case TEE_ALG_AES_CTR:
		return "AES-CTR";
	case TEE_ALG_AES_CTS:
		return "AES-CTS";
	default:
		return "AES-XTS";
	}
}

/* Runs data through a cipher operation: CipherInit, then an update of the
 * first `split` bytes (if any) and DoFinal of the rest. */
static bool cipher_run(TEE_OperationHandle op, const uint8_t *iv, size_t iv_len, const uint8_t *in,
                       size_t len, size_t split, uint8_t *out)
{
	TEE_CipherInit(op, iv, iv_len);
	size_t n = 0, m;
	TEE_Result res = TEE_SUCCESS;
	if (split) {
		m = len + 16;
		res = TEE_CipherUpdate(op, in, split, out, &m);
		n = m;
	}
	if (!CHECK(res == TEE_SUCCESS, "update: 0x%x", res))
		return false;
	m = len + 16 - n;
	res = TEE_CipherDoFinal(op, in + split, len - split, out + n, &m);
	if (!CHECK(res == TEE_SUCCESS, "do-final: 0x%x", res))
		return false;
	return CHECK(n + m == len, "%zu bytes out of %zu", n + m, len);
}

static void cipher_bytes(TEE_OperationHandle op, const uint8_t *iv, size_t iv_len,
                         const uint8_t *in, size_t len, const uint8_t *want, const char *name)
{
	uint8_t out[80];
	if (len > sizeof(out) - 16)
		return;
	TEE_CipherInit(op, iv, iv_len);
	size_t n = 0;
	bool ok = true;
	for (size_t i = 0; i < len && ok; i++) {
		size_t m = sizeof(out) - n;
		TEE_Result res = TEE_CipherUpdate(op, in + i, 1, out + n, &m);
		/* Out: every whole block before the last 17 to 32 bytes. */
		size_t seen = i + 1, expect = seen > 32 ? (seen - 17) & ~(size_t)15 : 0;
		n += m;
		ok = CHECK(res == TEE_SUCCESS && n == expect, "%s byte %zu: 0x%x, %zu out", name, i,
		           res, n);
	}
	size_t m = sizeof(out) - n;
	TEE_Result res = TEE_CipherDoFinal(op, 0, 0, out + n, &m);
	if (ok)
		CHECK(res == TEE_SUCCESS && n + m == len && !memcmp(out, want, len),
		      "%s a byte at a time: 0x%x", name, res);
}

static void cipher_vector(const struct cipher_vec *v)
{
	group(cipher_name(v->alg));
	size_t klen, k2len = 0, ivlen = 0, ptlen, ctlen;
	const uint8_t *key = hx(v->key, &klen), *iv = v->iv ? hx(v->iv, &ivlen) : 0;
	const uint8_t *key2 = v->key2 ? hx(v->key2, &k2len) : 0;
	const uint8_t *pt = hx(v->pt, &ptlen), *ct = hx(v->ct, &ctlen);
	uint8_t *out = scratch(ptlen + 32);
	uint32_t bits = (uint32_t)klen * 8;
	TEE_ObjectHandle k1 = secret_key(TEE_TYPE_AES, key, klen), k2 = TEE_HANDLE_NULL;
	if (key2)
		k2 = secret_key(TEE_TYPE_AES, key2, k2len);
	for (uint32_t mode = TEE_MODE_ENCRYPT; mode <= TEE_MODE_DECRYPT && k1; mode++) {
		const uint8_t *in = mode == TEE_MODE_ENCRYPT ? pt : ct;
		const uint8_t *want = mode == TEE_MODE_ENCRYPT ? ct : pt;
		TEE_OperationHandle op = op_with_key(v->alg, mode, bits, key2 ? 0 : k1);
		if (!op)
			continue;
		if (key2 &&
		    !CHECK(TEE_SetOperationKey2(op, k1, k2) == TEE_SUCCESS, "set two keys")) {
			TEE_FreeOperation(op);
			continue;
		}
		if (cipher_run(op, iv, ivlen, in, ptlen, 0, out))
			CHECK(!memcmp(out, want, ptlen), "%s %s one-shot", v->name,
			      mode == TEE_MODE_ENCRYPT ? "encrypt" : "decrypt");
		/* In two pieces, the first not a whole number of blocks. */
		if (ptlen > 20 && cipher_run(op, iv, ivlen, in, ptlen, 20, out))
			CHECK(!memcmp(out, want, ptlen), "%s %s in pieces", v->name,
			      mode == TEE_MODE_ENCRYPT ? "encrypt" : "decrypt");
		/* CTS and XTS a byte at a time: each update gives out the
		 * blocks that the end (its last 17 to 32 bytes, which the
		 * stealing changes) no longer needs, the final the rest. */
		if (v->alg == TEE_ALG_AES_CTS || v->alg == TEE_ALG_AES_XTS)
			cipher_bytes(op, iv, ivlen, in, ptlen, want, v->name);
		TEE_FreeOperation(op);
	}
	TEE_FreeTransientObject(k1);
	TEE_FreeTransientObject(k2);
}

/* AES-CTR over 100 000 bytes: one call (the library cuts it to fit the
 * window), or a thousand bytes at a time, give the same ciphertext, and
 * decrypting gives the data back. */
static void cipher_big(void)
{
	group("AES-CTR");
	uint8_t key[16], iv[16];
	TEE_GenerateRandom(key, sizeof(key));
	TEE_GenerateRandom(iv, sizeof(iv));
	for (size_t i = 0; i < BIG_LEN; i++)
		big_in[i] = (uint8_t)(i * 7 + (i >> 8));
	TEE_ObjectHandle k = secret_key(TEE_TYPE_AES, key, sizeof(key));
	TEE_OperationHandle op = op_with_key(TEE_ALG_AES_CTR, TEE_MODE_ENCRYPT, 128, k);
	if (!op) {
		TEE_FreeTransientObject(k);
		return;
	}
	TEE_CipherInit(op, iv, sizeof(iv));
	size_t n = BIG_LEN;
	TEE_Result res = TEE_CipherUpdate(op, big_in, BIG_LEN, big_out, &n);
	CHECK(res == TEE_SUCCESS && n == BIG_LEN, "100000 bytes in one update: 0x%x, %zu", res, n);
	size_t m = 16;
	res = TEE_CipherDoFinal(op, 0, 0, big_out + n, &m);
	CHECK(res == TEE_SUCCESS && m == 0, "final: 0x%x %zu", res, m);

	TEE_CipherInit(op, iv, sizeof(iv));
	size_t done = 0;
	for (size_t off = 0; off < BIG_LEN && res == TEE_SUCCESS; off += 1000) {
		m = BIG_LEN - done;
		res = TEE_CipherUpdate(op, big_in + off, 1000, big_out2 + done, &m);
		done += m;
	}
	CHECK(res == TEE_SUCCESS && done == BIG_LEN && !memcmp(big_out, big_out2, BIG_LEN),
	      "a thousand bytes at a time: 0x%x", res);
	TEE_FreeOperation(op);

	op = op_with_key(TEE_ALG_AES_CTR, TEE_MODE_DECRYPT, 128, k);
	if (op) {
		TEE_CipherInit(op, iv, sizeof(iv));
		n = BIG_LEN;
		res = TEE_CipherDoFinal(op, big_out, BIG_LEN, big_out2, &n);
		CHECK(res == TEE_SUCCESS && n == BIG_LEN && !memcmp(big_out2, big_in, BIG_LEN),
		      "decrypted in one do-final: 0x%x", res);
		TEE_FreeOperation(op);
	}
	TEE_FreeTransientObject(k);
}

void test_ciphers(void)
{
	for (const struct cipher_vec *v = aes_vecs; v->name; v++) {
		cipher_vector(v);
		scratch_reset();
	}
	cipher_big();
}

/* ---- authenticated encryption ---- */

static bool ae_encrypt(TEE_OperationHandle op, const uint8_t *n, size_t nlen, uint32_t tag_bits,
                       const uint8_t *aad, size_t aadlen, const uint8_t *pt, size_t ptlen,
                       size_t split, uint8_t *ct, uint8_t *tag)
{
	TEE_Result res = TEE_AEInit(op, n, nlen, tag_bits, aadlen, ptlen);
	if (!CHECK(res == TEE_SUCCESS, "AEInit: 0x%x", res))
		return false;
	if (aadlen)
		TEE_AEUpdateAAD(op, aad, aadlen);
	size_t done = 0, m;
	if (split) {
		m = ptlen + 16;
		res = TEE_AEUpdate(op, pt, split, ct, &m);
		done = m;
	}
	size_t ct_len = ptlen + 16 - done, tag_len = tag_bits / 8;
	if (res == TEE_SUCCESS)
		res = TEE_AEEncryptFinal(op, pt + split, ptlen - split, ct + done, &ct_len, tag,
		                         &tag_len);
	return CHECK(res == TEE_SUCCESS && done + ct_len == ptlen && tag_len == tag_bits / 8,
	             "encrypt: 0x%x, %zu + %zu bytes, tag %zu", res, done, ct_len, tag_len);
}

static TEE_Result ae_decrypt(TEE_OperationHandle op, const uint8_t *n, size_t nlen,
                             uint32_t tag_bits, const uint8_t *aad, size_t aadlen,
                             const uint8_t *ct, size_t ctlen, const uint8_t *tag, uint8_t *pt)
{
	TEE_Result res = TEE_AEInit(op, n, nlen, tag_bits, aadlen, ctlen);
	if (res != TEE_SUCCESS)
		return res;
	if (aadlen)
		TEE_AEUpdateAAD(op, aad, aadlen);
	size_t len = ctlen + 16;
	res = TEE_AEDecryptFinal(op, ct, ctlen, pt, &len, (void *)tag, tag_bits / 8);
	if (res == TEE_SUCCESS && len != ctlen)
		return TEE_ERROR_GENERIC;
	return res;
}

static void ae_vector(const struct ae_vec *v, uint32_t alg)
{
	size_t klen, nlen, alen, ptlen, ctlen, tlen;
	const uint8_t *key = hx(v->key, &klen), *n = hx(v->nonce, &nlen), *aad = hx(v->aad, &alen);
	const uint8_t *pt = hx(v->pt, &ptlen), *ct = hx(v->ct, &ctlen), *tag = hx(v->tag, &tlen);
	uint8_t *out = scratch(ptlen + 32), *otag = scratch(16);
	uint32_t bits = (uint32_t)klen * 8, tag_bits = (uint32_t)tlen * 8;
	TEE_ObjectHandle k = secret_key(TEE_TYPE_AES, key, klen);
	TEE_OperationHandle enc = op_with_key(alg, TEE_MODE_ENCRYPT, bits, k);
	TEE_OperationHandle dec = op_with_key(alg, TEE_MODE_DECRYPT, bits, k);
	if (enc && ae_encrypt(enc, n, nlen, tag_bits, aad, alen, pt, ptlen, 0, out, otag))
		CHECK(!memcmp(out, ct, ctlen) && !memcmp(otag, tag, tlen), "%s encrypt", v->name);
	if (enc && ptlen > 17 &&
	    ae_encrypt(enc, n, nlen, tag_bits, aad, alen, pt, ptlen, 17, out, otag))
		CHECK(!memcmp(out, ct, ctlen) && !memcmp(otag, tag, tlen), "%s encrypt in pieces",
		      v->name);
	/* GCM's shorter tags are the full tag cut short. */
	if (enc && alg == TEE_ALG_AES_GCM &&
	    ae_encrypt(enc, n, nlen, 96, aad, alen, pt, ptlen, 0, out, otag))
		CHECK(!memcmp(otag, tag, 12), "%s 96-bit tag", v->name);
	if (dec) {
		TEE_Result res = ae_decrypt(dec, n, nlen, tag_bits, aad, alen, ct, ctlen, tag, out);
		CHECK(res == TEE_SUCCESS && !memcmp(out, pt, ptlen), "%s decrypt: 0x%x", v->name,
		      res);
		/* A tampered tag, ciphertext or AAD is refused. */
		uint8_t *bad = scratch(tlen);
		memcpy(bad, tag, tlen);
		bad[tlen - 1] ^= 0x01;
		res = ae_decrypt(dec, n, nlen, tag_bits, aad, alen, ct, ctlen, bad, out);
		CHECK(res == TEE_ERROR_MAC_INVALID, "%s tampered tag: 0x%x", v->name, res);
		if (ctlen) {
			uint8_t *badct = scratch(ctlen);
			memcpy(badct, ct, ctlen);
			badct[0] ^= 0x80;
			res = ae_decrypt(dec, n, nlen, tag_bits, aad, alen, badct, ctlen, tag, out);
			CHECK(res == TEE_ERROR_MAC_INVALID, "%s tampered ciphertext: 0x%x", v->name,
			      res);
		}
		if (alen) {
			uint8_t *badaad = scratch(alen);
			memcpy(badaad, aad, alen);
			badaad[alen - 1] ^= 0x04;
			res = ae_decrypt(dec, n, nlen, tag_bits, badaad, alen, ct, ctlen, tag, out);
			CHECK(res == TEE_ERROR_MAC_INVALID, "%s tampered AAD: 0x%x", v->name, res);
		}
	}
	TEE_FreeOperation(enc);
	TEE_FreeOperation(dec);
	TEE_FreeTransientObject(k);
}

/* AES-GCM over 100 000 bytes, one-shot and in pieces of 1000, must agree;
 * the ciphertext decrypts back. */
static void gcm_big(void)
{
	group("AES-GCM");
	uint8_t key[32], nonce[12], tag[16], tag2[16] = {0};
	TEE_GenerateRandom(key, sizeof(key));
	TEE_GenerateRandom(nonce, sizeof(nonce));
	for (size_t i = 0; i < BIG_LEN; i++)
		big_in[i] = (uint8_t)(i * 13 + 5);
	TEE_ObjectHandle k = secret_key(TEE_TYPE_AES, key, sizeof(key));
	TEE_OperationHandle op = op_with_key(TEE_ALG_AES_GCM, TEE_MODE_ENCRYPT, 256, k);
	if (op && ae_encrypt(op, nonce, 12, 128, nonce, 12, big_in, BIG_LEN, 0, big_out, tag)) {
		TEE_AEInit(op, nonce, 12, 128, 12, BIG_LEN);
		TEE_AEUpdateAAD(op, nonce, 12);
		size_t done = 0, m;
		TEE_Result res = TEE_SUCCESS;
		for (size_t off = 0; off < BIG_LEN - 1000 && res == TEE_SUCCESS; off += 1000) {
			m = BIG_LEN - done;
			res = TEE_AEUpdate(op, big_in + off, 1000, big_out2 + done, &m);
			done += m;
		}
		size_t tl = sizeof(tag2);
		m = BIG_LEN + 16 - done;
		if (res == TEE_SUCCESS)
			res = TEE_AEEncryptFinal(op, big_in + BIG_LEN - 1000, 1000, big_out2 + done,
			                         &m, tag2, &tl);
		CHECK(res == TEE_SUCCESS && done + m == BIG_LEN &&
		          !memcmp(big_out, big_out2, BIG_LEN) && !memcmp(tag, tag2, 16),
		      "100000 bytes in pieces agree: 0x%x", res);
	}
	TEE_FreeOperation(op);
	op = op_with_key(TEE_ALG_AES_GCM, TEE_MODE_DECRYPT, 256, k);
	if (op) {
		TEE_Result res =
		    ae_decrypt(op, nonce, 12, 128, nonce, 12, big_out, BIG_LEN, tag, big_out2);
		CHECK(res == TEE_SUCCESS && !memcmp(big_out2, big_in, BIG_LEN),
		      "100000 bytes decrypt: 0x%x", res);
		TEE_FreeOperation(op);
	}
	TEE_FreeTransientObject(k);
}

void test_ae(void)
{
	group("AES-GCM");
	if (offered(TEE_ALG_AES_GCM, TEE_CRYPTO_ELEMENT_NONE)) {
		for (const struct ae_vec *v = gcm_vecs; v->name; v++) {
			ae_vector(v, TEE_ALG_AES_GCM);
			scratch_reset();
		}
		gcm_big();
	}
	group("AES-CCM");
	if (offered(TEE_ALG_AES_CCM, TEE_CRYPTO_ELEMENT_NONE))
		for (const struct ae_vec *v = ccm_vecs; v->name; v++) {
			ae_vector(v, TEE_ALG_AES_CCM);
			scratch_reset();
		}
}

/* ---- MACs ---- */

static const char *mac_name(uint32_t alg)
{
	switch (alg) {
	case TEE_ALG_HMAC_MD5:
		return "HMAC-MD5";
	case TEE_ALG_HMAC_SHA1:
		return "HMAC-SHA1";
	case TEE_ALG_HMAC_SHA224:
		return "HMAC-SHA224";
	case TEE_ALG_HMAC_SHA256:
		return "HMAC-SHA256";
	case TEE_ALG_HMAC_SHA384:
		return "HMAC-SHA384";
	case TEE_ALG_HMAC_SHA512:
		return "HMAC-SHA512";
	case TEE_ALG_HMAC_SHA3_224:
	case TEE_ALG_HMAC_SHA3_256:
	case TEE_ALG_HMAC_SHA3_384:
	case TEE_ALG_HMAC_SHA3_512:
		return "HMAC-SHA3";
	default:
		return "AES-CMAC";
	}
}

static void mac_vector(const struct mac_vec *v)
{
	group(mac_name(v->alg));
	if (!offered(v->alg, TEE_CRYPTO_ELEMENT_NONE))
		return;
	size_t klen, mlen, maclen;
	const uint8_t *key = hx(v->key, &klen), *msg = hx(v->msg, &mlen),
	              *mac = hx(v->mac, &maclen);
	size_t cmp = v->truncated ? v->truncated : maclen;
	/* GP bounds HMAC keys (512 or 1024 bits); RFC 4231 #6 and #7 have a
	 * key of 131 bytes. RFC 2104 makes HMAC hash a key longer than the
	 * hash's block first, so the hashed key gives the published MAC. */
	size_t block = v->alg == TEE_ALG_HMAC_SHA384 || v->alg == TEE_ALG_HMAC_SHA512 ? 128 : 64;
	uint8_t hashed[64];
	if (v->key_type != TEE_TYPE_AES && klen > block) {
		static const uint32_t hash_of[] = {TEE_ALG_MD5,    TEE_ALG_SHA1,   TEE_ALG_SHA224,
		                                   TEE_ALG_SHA256, TEE_ALG_SHA384, TEE_ALG_SHA512};
		size_t hlen = sizeof(hashed);
		if (!CHECK(digest(hash_of[(v->alg & 0xF) - 1], key, klen, hashed, &hlen),
		           "hash the long key"))
			return;
		key = hashed;
		klen = hlen;
	}
	TEE_ObjectHandle k = secret_key(v->key_type, key, klen);
	TEE_OperationHandle op =
	    k ? op_with_key(v->alg, TEE_MODE_MAC, secret_max_bits(v->key_type, klen), k) : 0;
	if (op) {
		uint8_t out[64];
		size_t out_len = sizeof(out);
		TEE_MACInit(op, 0, 0);
		TEE_Result res = TEE_MACComputeFinal(op, msg, mlen, out, &out_len);
		CHECK(res == TEE_SUCCESS && !memcmp(out, mac, cmp), "%s one-shot: 0x%x", v->name,
		      res);
		/* In pieces. */
		TEE_MACInit(op, 0, 0);
		TEE_MACUpdate(op, msg, mlen / 3);
		TEE_MACUpdate(op, msg + mlen / 3, mlen / 3);
		out_len = sizeof(out);
		res = TEE_MACComputeFinal(op, msg + 2 * (mlen / 3), mlen - 2 * (mlen / 3), out,
		                          &out_len);
		CHECK(res == TEE_SUCCESS && !memcmp(out, mac, cmp), "%s in pieces: 0x%x", v->name,
		      res);
		if (!v->truncated) {
			TEE_MACInit(op, 0, 0);
			res = TEE_MACCompareFinal(op, msg, mlen, mac, maclen);
			CHECK(res == TEE_SUCCESS, "%s compare: 0x%x", v->name, res);
			uint8_t *bad = scratch(maclen);
			memcpy(bad, mac, maclen);
			bad[maclen / 2] ^= 0x10;
			TEE_MACInit(op, 0, 0);
			res = TEE_MACCompareFinal(op, msg, mlen, bad, maclen);
			CHECK(res == TEE_ERROR_MAC_INVALID, "%s compare a wrong MAC: 0x%x", v->name,
			      res);
			TEE_MACInit(op, 0, 0);
			res = TEE_MACCompareFinal(op, msg, mlen, mac, maclen - 1);
			CHECK(res == TEE_ERROR_MAC_INVALID, "%s compare a short MAC: 0x%x", v->name,
			      res);
		}
		TEE_FreeOperation(op);
	}
	TEE_FreeTransientObject(k);
}

/* An HMAC key may also be a generic secret; and a message longer than the
 * window gives the same MAC whole or in pieces. */
static void mac_extra(void)
{
	group("HMAC-SHA256");
	const struct mac_vec *v = hmac_vecs; /* RFC 4231 #2, SHA-256 */
	while (v->name && (v->alg != TEE_ALG_HMAC_SHA256 || strcmp(v->name, "RFC 4231 #2")))
		v++;
	if (!CHECK(v->name != 0, "RFC 4231 #2 in the table"))
		return;
	size_t klen, mlen, maclen;
	const uint8_t *key = hx(v->key, &klen), *msg = hx(v->msg, &mlen),
	              *mac = hx(v->mac, &maclen);
	TEE_ObjectHandle k = secret_key(TEE_TYPE_GENERIC_SECRET, key, klen);
	TEE_OperationHandle op = k ? op_with_key(TEE_ALG_HMAC_SHA256, TEE_MODE_MAC, 256, k) : 0;
	if (op) {
		uint8_t out[32], out2[32];
		size_t out_len = sizeof(out);
		TEE_MACInit(op, 0, 0);
		TEE_Result res = TEE_MACComputeFinal(op, msg, mlen, out, &out_len);
		CHECK(res == TEE_SUCCESS && !memcmp(out, mac, maclen),
		      "RFC 4231 #2 with a generic secret: 0x%x", res);
		/* Short output buffer: nothing lost, the size needed is told. */
		TEE_MACInit(op, 0, 0);
		out_len = 31;
		res = TEE_MACComputeFinal(op, msg, mlen, out, &out_len);
		CHECK(res == TEE_ERROR_SHORT_BUFFER && out_len == 32, "short MAC buffer: 0x%x %zu",
		      res, out_len);
		res = TEE_MACComputeFinal(op, msg, mlen, out, &out_len);
		CHECK(res == TEE_SUCCESS && !memcmp(out, mac, maclen), "after short buffer: 0x%x",
		      res);

		for (size_t i = 0; i < BIG_LEN; i++)
			big_in[i] = (uint8_t)(i ^ (i >> 7));
		TEE_MACInit(op, 0, 0);
		out_len = sizeof(out);
		res = TEE_MACComputeFinal(op, big_in, BIG_LEN, out, &out_len);
		TEE_MACInit(op, 0, 0);
		for (size_t off = 0; off < BIG_LEN - 777; off += 777)
			TEE_MACUpdate(op, big_in + off, 777);
		size_t last = BIG_LEN % 777 ? BIG_LEN % 777 : 777, out2_len = sizeof(out2);
		TEE_Result res2 =
		    TEE_MACComputeFinal(op, big_in + BIG_LEN - last, last, out2, &out2_len);
		CHECK(res == TEE_SUCCESS && res2 == TEE_SUCCESS && !memcmp(out, out2, 32),
		      "100000 bytes whole and in pieces: 0x%x 0x%x", res, res2);

		/* A keyed operation copied half way carries its key and state. */
		TEE_OperationHandle copy;
		if (CHECK(TEE_AllocateOperation(&copy, TEE_ALG_HMAC_SHA256, TEE_MODE_MAC, 512) ==
		              TEE_SUCCESS,
		          "allocate a copy")) {
			TEE_MACInit(op, 0, 0);
			TEE_MACUpdate(op, msg, 10);
			TEE_CopyOperation(copy, op);
			TEE_OperationInfo ci;
			TEE_GetOperationInfo(copy, &ci);
			CHECK(ci.keySize == 32 && ci.maxKeySize == 512 &&
			          ci.handleState ==
			              (TEE_HANDLE_FLAG_KEY_SET | TEE_HANDLE_FLAG_INITIALIZED),
			      "the copy: key %u bits, max %u, state 0x%x", ci.keySize,
			      ci.maxKeySize, ci.handleState);
			out_len = out2_len = 32;
			res = TEE_MACComputeFinal(op, msg + 10, mlen - 10, out, &out_len);
			res2 = TEE_MACComputeFinal(copy, msg + 10, mlen - 10, out2, &out2_len);
			CHECK(res == TEE_SUCCESS && res2 == TEE_SUCCESS &&
			          !memcmp(out, mac, maclen) && !memcmp(out2, mac, maclen),
			      "original and copy finish alike: 0x%x 0x%x", res, res2);
			TEE_FreeOperation(copy);
		}
		TEE_FreeOperation(op);
	}
	TEE_FreeTransientObject(k);
}

void test_macs(void)
{
	for (const struct mac_vec *v = hmac_vecs; v->name; v++) {
		mac_vector(v);
		scratch_reset();
	}
	mac_extra();
	for (const struct mac_vec *v = cmac_vecs; v->name; v++) {
		mac_vector(v);
		scratch_reset();
	}
}

/* ---- HKDF ---- */

void test_kdf(void)
{
	for (const struct hkdf_vec *v = hkdf_vecs; v->name; v++, scratch_reset()) {
		group("HKDF");
		if (!offered(v->alg, TEE_CRYPTO_ELEMENT_NONE))
			continue;
		size_t ilen, slen, nlen, olen;
		const uint8_t *ikm = hx(v->ikm, &ilen), *salt = hx(v->salt, &slen);
		const uint8_t *info = hx(v->info, &nlen), *okm = hx(v->okm, &olen);
		TEE_ObjectHandle k = secret_key(TEE_TYPE_HKDF_IKM, ikm, ilen), d;
		uint32_t bits = secret_max_bits(TEE_TYPE_HKDF_IKM, ilen);
		TEE_OperationHandle op = k ? op_with_key(v->alg, TEE_MODE_DERIVE, bits, k) : 0;
		if (op && CHECK(TEE_AllocateTransientObject(TEE_TYPE_GENERIC_SECRET,
		                                            (uint32_t)olen * 8, &d) == TEE_SUCCESS,
		                "allocate the derived key")) {
			TEE_Attribute p[3];
			uint32_t np = 0;
			TEE_InitValueAttribute(&p[np++], TEE_ATTR_HKDF_OKM_LENGTH, (uint32_t)olen,
			                       0);
			if (slen)
				TEE_InitRefAttribute(&p[np++], TEE_ATTR_HKDF_SALT, salt, slen);
			if (nlen)
				TEE_InitRefAttribute(&p[np++], TEE_ATTR_HKDF_INFO, info, nlen);
			TEE_DeriveKey(op, p, np, d);
			uint8_t *out = scratch(olen + 16);
			size_t out_len = olen + 16;
			TEE_Result res =
			    TEE_GetObjectBufferAttribute(d, TEE_ATTR_SECRET_VALUE, out, &out_len);
			CHECK(res == TEE_SUCCESS && out_len == olen && !memcmp(out, okm, olen),
			      "%s: 0x%x, %zu bytes", v->name, res, out_len);
			TEE_ObjectInfo info_d;
			TEE_GetObjectInfo1(d, &info_d);
			CHECK(info_d.objectSize == olen * 8 &&
			          (info_d.handleFlags & TEE_HANDLE_FLAG_INITIALIZED),
			      "%s: derived key of %u bits", v->name, info_d.objectSize);
			TEE_FreeTransientObject(d);
		}
		TEE_FreeOperation(op);
		TEE_FreeTransientObject(k);

		/* GP 1.3.1's own HKDF: the hash is a parameter, the input a
		 * TEE_TYPE_HKDF key, the output as long as the object. */
		group("HKDF (GP 1.3.1)");
		if (!offered(TEE_ALG_HKDF, TEE_CRYPTO_ELEMENT_NONE))
			continue;
		TEE_Attribute ka;
		TEE_InitRefAttribute(&ka, TEE_ATTR_SECRET_VALUE, ikm, ilen);
		k = key_from(TEE_TYPE_HKDF, bits, &ka, 1);
		op = k ? op_with_key(TEE_ALG_HKDF, TEE_MODE_DERIVE, bits, k) : 0;
		if (op && CHECK(TEE_AllocateTransientObject(TEE_TYPE_GENERIC_SECRET,
		                                            (uint32_t)olen * 8, &d) == TEE_SUCCESS,
		                "allocate the derived key")) {
			TEE_Attribute p[3];
			uint32_t np = 0;
			TEE_InitValueAttribute(&p[np++], TEE_ATTR_HKDF_HASH_ALGORITHM, v->hash, 0);
			if (slen)
				TEE_InitRefAttribute(&p[np++], TEE_ATTR_HKDF_SALT, salt, slen);
			if (nlen)
				TEE_InitRefAttribute(&p[np++], TEE_ATTR_HKDF_INFO, info, nlen);
			TEE_DeriveKey(op, p, np, d);
			uint8_t *out = scratch(olen + 16);
			size_t out_len = olen + 16;
			TEE_Result res =
			    TEE_GetObjectBufferAttribute(d, TEE_ATTR_SECRET_VALUE, out, &out_len);
			CHECK(res == TEE_SUCCESS && out_len == olen && !memcmp(out, okm, olen),
			      "%s: 0x%x, %zu bytes", v->name, res, out_len);
			TEE_FreeTransientObject(d);
		}
		TEE_FreeOperation(op);
		TEE_FreeTransientObject(k);
	}
}
