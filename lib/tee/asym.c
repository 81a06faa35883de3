/* Asymmetric encryption and signatures, key derivation, random numbers.
 *
 * Window layout of an asymmetric request: the input (plaintext, ciphertext
 * or digest) from offset 0; the request header, its parameter records and
 * (to verify) the signature from ASYM_REQ; the output from the middle. */
#include <string.h>

#include "tee_crypto.h"
#include "tee_rt.h"

#define ASYM_IN_MAX 4096 /* more than any key (4096 bits = 512 bytes) takes */
#define ASYM_REQ    4096

static struct mt_tee_operation *asym_op(TEE_OperationHandle h, uint32_t cls, uint32_t mode,
                                        uint32_t panic_id)
{
	struct mt_tee_operation *o = tee_op_get(h, panic_id);
	if (o->info.operationClass != cls || o->info.mode != mode ||
	    !(o->info.handleState & TEE_HANDLE_FLAG_KEY_SET))
		TEE_Panic(panic_id);
	return o;
}

static size_t key_bytes(const struct mt_tee_operation *o)
{
	return (o->info.keySize + 7) / 8;
}

/* One CRYPTO_OP_ASYM request. out/outLen: where the result goes (outLen
 * NULL for verify; out may be NULL with *outLen 0, a size query);
 * sig/sigLen: the signature to verify. On TEE_ERROR_SHORT_BUFFER *outLen is
 * the size needed, which for a decryption only the service knows. */
static TEE_Result asym(struct mt_tee_operation *o, const TEE_Attribute *params, uint32_t paramCount,
                       const void *in, size_t inLen, const void *sig, size_t sigLen, void *out,
                       size_t *outLen, uint32_t panic_id)
{
	if (paramCount && !params)
		TEE_Panic(panic_id);
	if (o->epoch != tee_cs_epoch)
		return TEE_ERROR_BAD_STATE;
	if (inLen > ASYM_IN_MAX || sigLen > ASYM_IN_MAX)
		return TEE_ERROR_BAD_PARAMETERS; /* too long for any key */
	uint8_t *win;
	TEE_Result res = tee_cs_begin(&win);
	if (res != TEE_SUCCESS)
		return res;
	size_t out_at = tee_cs_win_size() / 2;
	struct tee_recs r;
	tee_recs_init(&r, win, ASYM_REQ + sizeof(struct crypto_asym_req), (uint32_t)out_at);
	for (uint32_t i = 0; i < paramCount; i++)
		tee_recs_add(&r, &params[i]);
	uint32_t plen = tee_recs_len(&r);
	if (r.overflow || sigLen > out_at - r.off)
		return TEE_ERROR_OUT_OF_MEMORY;
	if (sigLen)
		memcpy(win + r.off, sig, sigLen);
	size_t cap = 0;
	if (outLen)
		cap = *outLen < out_at ? *outLen : out_at;
	struct crypto_asym_req req = {o->info.mode,     plen,          (uint32_t)sigLen,
	                              (uint32_t)out_at, (uint32_t)cap, 0};
	memcpy(win + ASYM_REQ, &req, sizeof(req));
	if (inLen)
		memcpy(win, in, inLen);
	uint64_t w[4] = {CRYPTO_OP_ASYM, o->id, CRYPTO_SPAN(0, inLen),
	                 CRYPTO_SPAN(ASYM_REQ, sizeof(req) + plen + sigLen)};
	res = tee_cs_call(w);
	if (res == TEE_SUCCESS && outLen) {
		if (w[1] > cap)
			return TEE_ERROR_GENERIC;
		if (w[1])
			memcpy(out, win + out_at, w[1]);
		*outLen = w[1];
	} else if (res == TEE_ERROR_SHORT_BUFFER && outLen) {
		*outLen = w[1];
	}
	return res;
}

TEE_Result TEE_AsymmetricEncrypt(TEE_OperationHandle operation, const TEE_Attribute *params,
                                 uint32_t paramCount, const void *srcData, size_t srcLen,
                                 void *destData, size_t *destLen)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_ASYMMETRICENCRYPT;
	struct mt_tee_operation *o =
	    asym_op(operation, TEE_OPERATION_ASYMMETRIC_CIPHER, TEE_MODE_ENCRYPT, panic_id);
	if ((srcLen && !srcData) || !destLen || (*destLen && !destData))
		TEE_Panic(panic_id);
	/* The ciphertext is as long as the modulus. */
	if (*destLen < key_bytes(o)) {
		*destLen = key_bytes(o);
		return TEE_ERROR_SHORT_BUFFER;
	}
	return asym(o, params, paramCount, srcData, srcLen, 0, 0, destData, destLen, panic_id);
}

TEE_Result TEE_AsymmetricDecrypt(TEE_OperationHandle operation, const TEE_Attribute *params,
                                 uint32_t paramCount, const void *srcData, size_t srcLen,
                                 void *destData, size_t *destLen)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_ASYMMETRICDECRYPT;
	struct mt_tee_operation *o =
	    asym_op(operation, TEE_OPERATION_ASYMMETRIC_CIPHER, TEE_MODE_DECRYPT, panic_id);
	if ((srcLen && !srcData) || !destLen || (*destLen && !destData))
		TEE_Panic(panic_id);
	return asym(o, params, paramCount, srcData, srcLen, 0, 0, destData, destLen, panic_id);
}

/* A signature scheme with a fixed hash takes a digest of that hash's size. */
static void check_digest(const struct mt_tee_operation *o, const void *digest, size_t len,
                         uint32_t panic_id)
{
	if (!digest || !len)
		TEE_Panic(panic_id);
	if (!(o->alg->flags & ALG_RAW_SIGN) && len != o->alg->out_len)
		TEE_Panic(panic_id);
}

static size_t signature_bytes(const struct mt_tee_operation *o)
{
	if (o->alg->key_type == TEE_TYPE_ECDSA_KEYPAIR)
		return 2 * key_bytes(o);
	return key_bytes(o);
}

TEE_Result TEE_AsymmetricSignDigest(TEE_OperationHandle operation, const TEE_Attribute *params,
                                    uint32_t paramCount, const void *digest, size_t digestLen,
                                    void *signature, size_t *signatureLen)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_ASYMMETRICSIGNDIGEST;
	struct mt_tee_operation *o =
	    asym_op(operation, TEE_OPERATION_ASYMMETRIC_SIGNATURE, TEE_MODE_SIGN, panic_id);
	check_digest(o, digest, digestLen, panic_id);
	if (!signatureLen || (*signatureLen && !signature))
		TEE_Panic(panic_id);
	if (*signatureLen < signature_bytes(o)) {
		*signatureLen = signature_bytes(o);
		return TEE_ERROR_SHORT_BUFFER;
	}
	return asym(o, params, paramCount, digest, digestLen, 0, 0, signature, signatureLen,
	            panic_id);
}

TEE_Result TEE_AsymmetricVerifyDigest(TEE_OperationHandle operation, const TEE_Attribute *params,
                                      uint32_t paramCount, const void *digest, size_t digestLen,
                                      const void *signature, size_t signatureLen)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_ASYMMETRICVERIFYDIGEST;
	struct mt_tee_operation *o =
	    asym_op(operation, TEE_OPERATION_ASYMMETRIC_SIGNATURE, TEE_MODE_VERIFY, panic_id);
	check_digest(o, digest, digestLen, panic_id);
	if (signatureLen && !signature)
		TEE_Panic(panic_id);
	if (signatureLen > ASYM_IN_MAX)
		return TEE_ERROR_SIGNATURE_INVALID;
	return asym(o, params, paramCount, digest, digestLen, signature, signatureLen, 0, 0,
	            panic_id);
}

/* ---- key derivation ---- */

static const TEE_Attribute *find_param(const TEE_Attribute *p, uint32_t n, uint32_t id)
{
	for (uint32_t i = 0; i < n; i++)
		if (p[i].attributeID == id)
			return &p[i];
	return 0;
}

/* Bits of the secret the operation will derive (0: unknown to lib/tee). */
static uint32_t derived_bits(const struct mt_tee_operation *o, const TEE_Attribute *params,
                             uint32_t n, uint32_t panic_id)
{
	if (o->alg->key_type == TEE_TYPE_ECDH_KEYPAIR) {
		if (!find_param(params, n, TEE_ATTR_ECC_PUBLIC_VALUE_X) ||
		    !find_param(params, n, TEE_ATTR_ECC_PUBLIC_VALUE_Y))
			TEE_Panic(panic_id);
		return (uint32_t)key_bytes(o) * 8; /* the x coordinate */
	}
	if (o->alg->key_type == TEE_TYPE_CONCAT_KDF_Z ||
	    o->alg->key_type == TEE_TYPE_PBKDF2_PASSWORD) {
		const TEE_Attribute *len = find_param(params, n,
		                                      o->alg->key_type == TEE_TYPE_CONCAT_KDF_Z
		                                          ? TEE_ATTR_CONCAT_KDF_DKM_LENGTH
		                                          : TEE_ATTR_PBKDF2_DKM_LENGTH);
		if (!len || !len->content.value.a)
			TEE_Panic(panic_id);
		return len->content.value.a * 8;
	}
	if (o->alg->key_type == TEE_TYPE_DH_KEYPAIR) {
		if (!find_param(params, n, TEE_ATTR_DH_PUBLIC_VALUE))
			TEE_Panic(panic_id);
		return 0; /* at most the prime's size */
	}
	if (o->alg->key_type == TEE_TYPE_X25519_KEYPAIR) {
		if (!find_param(params, n, TEE_ATTR_X25519_PUBLIC_VALUE))
			TEE_Panic(panic_id);
		return 0; /* 256 bits, whatever the object's size (as OP-TEE) */
	}
	if (o->alg->key_type == TEE_TYPE_HKDF_IKM) {
		const TEE_Attribute *len = find_param(params, n, TEE_ATTR_HKDF_OKM_LENGTH);
		if (!len || !len->content.value.a)
			TEE_Panic(panic_id);
		return len->content.value.a * 8;
	}
	/* TEE_ALG_HKDF: the length given, or as long as the object takes. */
	const TEE_Attribute *len = find_param(params, n, TEE_ATTR_HKDF_OKM_LENGTH);
	if (!len)
		len = find_param(params, n, TEE_ATTR_KDF_KEY_SIZE);
	return len ? len->content.value.a * 8 : 0;
}

void TEE_DeriveKey(TEE_OperationHandle operation, const TEE_Attribute *params, uint32_t paramCount,
                   TEE_ObjectHandle derivedKey)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_DERIVEKEY;
	struct mt_tee_operation *o =
	    asym_op(operation, TEE_OPERATION_KEY_DERIVATION, TEE_MODE_DERIVE, panic_id);
	struct mt_tee_object *d = tee_obj_get(derivedKey, panic_id);
	if ((paramCount && !params) || (d->info.handleFlags & TEE_HANDLE_FLAG_INITIALIZED))
		TEE_Panic(panic_id);
	/* A shared secret goes into a generic secret; HKDF may make any
	 * symmetric key. */
	uint32_t dt = d->info.objectType;
	if (o->alg->key_type == TEE_TYPE_ECDH_KEYPAIR ? dt != TEE_TYPE_GENERIC_SECRET
	                                              : !tee_type_is_secret(dt))
		TEE_Panic(panic_id);
	uint32_t bits = derived_bits(o, params, paramCount, panic_id);
	if (bits > d->info.maxObjectSize)
		TEE_Panic(panic_id);
	if (!bits)
		bits = d->info.maxObjectSize;

	TEE_Result res = o->epoch == tee_cs_epoch ? TEE_SUCCESS : TEE_ERROR_BAD_STATE;
	if (res == TEE_SUCCESS && d->epoch != tee_cs_epoch) {
		/* An empty object from before a restart: make it again. */
		uint64_t w[4] = {CRYPTO_OP_OBJ_ALLOC, dt, d->info.maxObjectSize, 0};
		res = tee_cs_begin(0);
		if (res == TEE_SUCCESS)
			res = tee_cs_call_fresh(w);
		if (res == TEE_SUCCESS) {
			d->id = (uint32_t)w[1];
			d->epoch = tee_cs_epoch;
		}
	}
	uint8_t *win = 0;
	if (res == TEE_SUCCESS)
		res = tee_cs_begin(&win);
	struct tee_recs r;
	if (res == TEE_SUCCESS) {
		tee_recs_init(&r, win, 0, (uint32_t)tee_cs_win_size());
		for (uint32_t i = 0; i < paramCount; i++)
			tee_recs_add(&r, &params[i]);
		if (r.overflow)
			TEE_Panic(panic_id);
		uint64_t w[4] = {CRYPTO_OP_DERIVE, o->id, CRYPTO_SPAN(0, tee_recs_len(&r)), d->id};
		res = tee_cs_call(w);
	}
	if (res == TEE_SUCCESS) {
		uint64_t w[4] = {CRYPTO_OP_OBJ_INFO, d->id, 0, 0};
		if (tee_cs_call(w) == TEE_SUCCESS)
			bits = (uint32_t)w[2];
		d->info.handleFlags |= TEE_HANDLE_FLAG_INITIALIZED;
		d->info.objectSize = bits;
		return;
	}
	if (res != TEE_ERROR_COMMUNICATION && res != TEE_ERROR_BAD_STATE)
		TEE_Panic(res); /* a public value the algorithm refuses */
	/* The service was lost: the key cannot be made, and DeriveKey cannot
	 * say so. The object is marked as holding a key that went with the
	 * service, so using it gives TEE_ERROR_BAD_STATE, not a panic. */
	tee_obj_forget(d);
	d->info.handleFlags |= TEE_HANDLE_FLAG_INITIALIZED;
	d->info.objectSize = bits;
}

/* ---- random numbers ---- */

void TEE_GenerateRandom(void *randomBuffer, size_t randomBufferLen)
{
	if (randomBufferLen && !randomBuffer)
		TEE_Panic(TEE_PANIC_ID_TEE_GENERATERANDOM);
	uint8_t *p = randomBuffer;
	while (randomBufferLen) {
		uint8_t *win;
		TEE_Result res = tee_cs_begin(&win);
		size_t n = randomBufferLen;
		if (res == TEE_SUCCESS) {
			if (n > tee_cs_win_size())
				n = tee_cs_win_size();
			uint64_t w[4] = {CRYPTO_OP_RANDOM, CRYPTO_SPAN(0, n), 0, 0};
			res = tee_cs_call_fresh(w);
		}
		if (res != TEE_SUCCESS)
			TEE_Panic(res); /* no way to report it, and no random numbers */
		memcpy(p, win, n);
		p += n;
		randomBufferLen -= n;
	}
}

TEE_Result tee_rt_add_entropy(const void *buf, size_t len)
{
	if (!buf || len == 0)
		return TEE_ERROR_BAD_PARAMETERS;
	const uint8_t *p = buf;
	while (len) {
		uint8_t *win;
		TEE_Result res = tee_cs_begin(&win);
		if (res != TEE_SUCCESS)
			return res;
		size_t n = len < CRYPTO_ENTROPY_MAX ? len : CRYPTO_ENTROPY_MAX;
		if (n > tee_cs_win_size())
			n = tee_cs_win_size();
		memcpy(win, p, n);
		uint64_t w[4] = {CRYPTO_OP_ADD_ENTROPY, CRYPTO_SPAN(0, n), 0, 0};
		res = tee_cs_call_fresh(w);
		if (res != TEE_SUCCESS)
			return res;
		p += n;
		len -= n;
	}
	return TEE_SUCCESS;
}

/* ---- v1.1 forms ---- */

/* The v1.1 forms of encrypt, decrypt and sign differ from the v1.3 ones only
 * in their attribute layout and 32-bit lengths. */
typedef TEE_Result (*asym_fn)(TEE_OperationHandle, const TEE_Attribute *, uint32_t, const void *,
                              size_t, void *, size_t *);

static TEE_Result gp11_asym(asym_fn fn, TEE_OperationHandle operation,
                            const __GP11_TEE_Attribute *params, uint32_t paramCount,
                            const void *src, uint32_t srcLen, void *dest, uint32_t *destLen)
{
	bool ok;
	TEE_Attribute *a = tee_attrs_from_gp11(params, paramCount, &ok);
	if (!ok)
		return TEE_ERROR_OUT_OF_MEMORY;
	size_t n = *destLen;
	TEE_Result res = fn(operation, a, paramCount, src, srcLen, dest, &n);
	*destLen = (uint32_t)n;
	TEE_Free(a);
	return res;
}

TEE_Result __GP11_TEE_AsymmetricEncrypt(TEE_OperationHandle operation,
                                        const __GP11_TEE_Attribute *params, uint32_t paramCount,
                                        const void *srcData, uint32_t srcLen, void *destData,
                                        uint32_t *destLen)
{
	return gp11_asym(TEE_AsymmetricEncrypt, operation, params, paramCount, srcData, srcLen,
	                 destData, destLen);
}

TEE_Result __GP11_TEE_AsymmetricDecrypt(TEE_OperationHandle operation,
                                        const __GP11_TEE_Attribute *params, uint32_t paramCount,
                                        const void *srcData, uint32_t srcLen, void *destData,
                                        uint32_t *destLen)
{
	return gp11_asym(TEE_AsymmetricDecrypt, operation, params, paramCount, srcData, srcLen,
	                 destData, destLen);
}

TEE_Result __GP11_TEE_AsymmetricSignDigest(TEE_OperationHandle operation,
                                           const __GP11_TEE_Attribute *params, uint32_t paramCount,
                                           const void *digest, uint32_t digestLen, void *signature,
                                           uint32_t *signatureLen)
{
	return gp11_asym(TEE_AsymmetricSignDigest, operation, params, paramCount, digest, digestLen,
	                 signature, signatureLen);
}

TEE_Result __GP11_TEE_AsymmetricVerifyDigest(TEE_OperationHandle operation,
                                             const __GP11_TEE_Attribute *params,
                                             uint32_t paramCount, const void *digest,
                                             uint32_t digestLen, const void *signature,
                                             uint32_t signatureLen)
{
	bool ok;
	TEE_Attribute *a = tee_attrs_from_gp11(params, paramCount, &ok);
	if (!ok)
		return TEE_ERROR_OUT_OF_MEMORY;
	TEE_Result res = TEE_AsymmetricVerifyDigest(operation, a, paramCount, digest, digestLen,
	                                            signature, signatureLen);
	TEE_Free(a);
	return res;
}

void __GP11_TEE_DeriveKey(TEE_OperationHandle operation, const __GP11_TEE_Attribute *params,
                          uint32_t paramCount, TEE_ObjectHandle derivedKey)
{
	bool ok;
	TEE_Attribute *a = tee_attrs_from_gp11(params, paramCount, &ok);
	if (!ok)
		TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);
	TEE_DeriveKey(operation, a, paramCount, derivedKey);
	TEE_Free(a);
}

void __GP11_TEE_GenerateRandom(void *randomBuffer, uint32_t randomBufferLen)
{
	TEE_GenerateRandom(randomBuffer, randomBufferLen);
}
