/* The crypto demo TA: SHA-256, AES-CBC and AES-GCM with a key the client
 * gives or the TA generates, and ECDSA P-256 with a key pair generated in
 * the TA, all through the GP TEE Internal Core API (so, by IPC, in the
 * crypto service). Commands and parameters: include/crypto_demo_ta.h. */
#include <string.h>

#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include <crypto_demo_ta.h>

#define P256_BYTES 32

struct session {
	TEE_ObjectHandle aes; /* TEE_HANDLE_NULL until set or generated */
	uint32_t aes_bits;
	TEE_ObjectHandle ec; /* P-256 key pair */
};

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t paramTypes, TEE_Param params[TEE_NUM_PARAMS],
                                    void **sessionContext)
{
	(void)params;
	if (paramTypes != TEE_PARAM_TYPES(TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
	                                  TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	struct session *s = TEE_Malloc(sizeof(*s), TEE_MALLOC_FILL_ZERO);
	if (!s)
		return TEE_ERROR_OUT_OF_MEMORY;
	*sessionContext = s;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sessionContext)
{
	struct session *s = sessionContext;
	TEE_FreeTransientObject(s->aes);
	TEE_FreeTransientObject(s->ec);
	TEE_Free(s);
}

/* A memory reference the command reads: present unless empty. */
static bool memref_ok(const TEE_Param *p)
{
	return p->memref.buffer || !p->memref.size;
}

/* ---- SHA-256 ---- */

static TEE_Result cmd_sha256(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE) ||
	    !memref_ok(&p[0]))
		return TEE_ERROR_BAD_PARAMETERS;
	if (p[1].memref.size < 32 || !p[1].memref.buffer) {
		p[1].memref.size = 32;
		return TEE_ERROR_SHORT_BUFFER;
	}
	TEE_OperationHandle op;
	TEE_Result res = TEE_AllocateOperation(&op, TEE_ALG_SHA256, TEE_MODE_DIGEST, 0);
	if (res != TEE_SUCCESS)
		return res;
	size_t len = p[1].memref.size;
	res = TEE_DigestDoFinal(op, p[0].memref.buffer, p[0].memref.size, p[1].memref.buffer, &len);
	TEE_FreeOperation(op);
	p[1].memref.size = len;
	return res;
}

/* ---- AES keys ---- */

static TEE_Result set_aes_key(struct session *s, const uint8_t *key, size_t len)
{
	if (len != 16 && len != 24 && len != 32)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_ObjectHandle k;
	TEE_Result res = TEE_AllocateTransientObject(TEE_TYPE_AES, len * 8, &k);
	if (res != TEE_SUCCESS)
		return res;
	TEE_Attribute a;
	TEE_InitRefAttribute(&a, TEE_ATTR_SECRET_VALUE, key, len);
	res = TEE_PopulateTransientObject(k, &a, 1);
	if (res != TEE_SUCCESS) {
		TEE_FreeTransientObject(k);
		return res;
	}
	TEE_FreeTransientObject(s->aes);
	s->aes = k;
	s->aes_bits = len * 8;
	return TEE_SUCCESS;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static TEE_Result cmd_aes_set_key(struct session *s, uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types == TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_NONE,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
		if (!p[0].memref.buffer)
			return TEE_ERROR_BAD_PARAMETERS;
		/* Copied first: the client's buffer is shared memory. */
		uint8_t key[32];
		size_t len = p[0].memref.size;
		if (len > sizeof(key))
			return TEE_ERROR_BAD_PARAMETERS;
		TEE_MemMove(key, p[0].memref.buffer, len);
		TEE_Result res = set_aes_key(s, key, len);
		TEE_MemFill(key, 0, sizeof(key));
		return res;
	}
	if (types == TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_INPUT,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
		uint8_t key[16];
		put_be32(key, p[0].value.a);
		put_be32(key + 4, p[0].value.b);
		put_be32(key + 8, p[1].value.a);
		put_be32(key + 12, p[1].value.b);
		TEE_Result res = set_aes_key(s, key, sizeof(key));
		TEE_MemFill(key, 0, sizeof(key));
		return res;
	}
	return TEE_ERROR_BAD_PARAMETERS;
}

static TEE_Result cmd_aes_gen_key(struct session *s, uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	uint32_t bits = p[0].value.a ? p[0].value.a : 128;
	if (bits != 128 && bits != 192 && bits != 256)
		return TEE_ERROR_BAD_PARAMETERS;
	if (p[1].memref.size < bits / 8 || !p[1].memref.buffer) {
		p[1].memref.size = bits / 8;
		return TEE_ERROR_SHORT_BUFFER;
	}
	TEE_ObjectHandle k;
	TEE_Result res = TEE_AllocateTransientObject(TEE_TYPE_AES, bits, &k);
	if (res != TEE_SUCCESS)
		return res;
	res = TEE_GenerateKey(k, bits, 0, 0);
	size_t len = p[1].memref.size;
	if (res == TEE_SUCCESS)
		res = TEE_GetObjectBufferAttribute(k, TEE_ATTR_SECRET_VALUE, p[1].memref.buffer,
		                                   &len);
	if (res != TEE_SUCCESS) {
		TEE_FreeTransientObject(k);
		return res;
	}
	p[1].memref.size = len;
	TEE_FreeTransientObject(s->aes);
	s->aes = k;
	s->aes_bits = bits;
	return TEE_SUCCESS;
}

/* ---- AES-CBC and AES-GCM ---- */

static TEE_Result aes_op(struct session *s, uint32_t alg, uint32_t dir, TEE_OperationHandle *op)
{
	if (!s->aes)
		return TEE_ERROR_BAD_STATE;
	if (dir != TA_CRYPTO_DEMO_ENCRYPT && dir != TA_CRYPTO_DEMO_DECRYPT)
		return TEE_ERROR_BAD_PARAMETERS;
	uint32_t mode = dir == TA_CRYPTO_DEMO_ENCRYPT ? TEE_MODE_ENCRYPT : TEE_MODE_DECRYPT;
	TEE_Result res = TEE_AllocateOperation(op, alg, mode, s->aes_bits);
	if (res != TEE_SUCCESS)
		return res;
	res = TEE_SetOperationKey(*op, s->aes);
	if (res != TEE_SUCCESS)
		TEE_FreeOperation(*op);
	return res;
}

static TEE_Result cmd_aes_cbc(struct session *s, uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_MEMREF_INPUT,
	                             TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT) ||
	    !p[1].memref.buffer || p[1].memref.size != 16 || !memref_ok(&p[2]) ||
	    p[2].memref.size % 16)
		return TEE_ERROR_BAD_PARAMETERS;
	size_t n = p[2].memref.size;
	if (p[3].memref.size < n || (n && !p[3].memref.buffer)) {
		p[3].memref.size = n;
		return TEE_ERROR_SHORT_BUFFER;
	}
	TEE_OperationHandle op;
	TEE_Result res = aes_op(s, TEE_ALG_AES_CBC_NOPAD, p[0].value.a, &op);
	if (res != TEE_SUCCESS)
		return res;
	TEE_CipherInit(op, p[1].memref.buffer, 16);
	size_t out = p[3].memref.size;
	res = TEE_CipherDoFinal(op, p[2].memref.buffer, n, p[3].memref.buffer, &out);
	TEE_FreeOperation(op);
	if (res == TEE_SUCCESS)
		p[3].memref.size = out;
	return res;
}

static TEE_Result cmd_aes_gcm(struct session *s, uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_MEMREF_INPUT,
	                             TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT) ||
	    !memref_ok(&p[1]) || !memref_ok(&p[2]))
		return TEE_ERROR_BAD_PARAMETERS;
	uint32_t dir = p[0].value.a;
	size_t nonce_len = p[0].value.b;
	if (nonce_len < 1 || nonce_len > p[1].memref.size)
		return TEE_ERROR_BAD_PARAMETERS;
	const uint8_t *nonce = p[1].memref.buffer;
	const uint8_t *aad = nonce + nonce_len;
	size_t aad_len = p[1].memref.size - nonce_len;
	const uint8_t *in = p[2].memref.buffer;
	size_t in_len = p[2].memref.size, tag_len = TA_CRYPTO_DEMO_GCM_TAG;
	size_t data_len, need;
	if (dir == TA_CRYPTO_DEMO_ENCRYPT) {
		data_len = in_len;
		need = in_len + tag_len;
	} else {
		if (in_len < tag_len)
			return TEE_ERROR_BAD_PARAMETERS;
		data_len = in_len - tag_len;
		need = data_len;
	}
	if (p[3].memref.size < need || (need && !p[3].memref.buffer)) {
		p[3].memref.size = need;
		return TEE_ERROR_SHORT_BUFFER;
	}
	TEE_OperationHandle op;
	TEE_Result res = aes_op(s, TEE_ALG_AES_GCM, dir, &op);
	if (res != TEE_SUCCESS)
		return res;
	res = TEE_AEInit(op, nonce, nonce_len, tag_len * 8, aad_len, data_len);
	if (res == TEE_SUCCESS) {
		if (aad_len)
			TEE_AEUpdateAAD(op, aad, aad_len);
		uint8_t *out = p[3].memref.buffer;
		size_t out_len = data_len;
		if (dir == TA_CRYPTO_DEMO_ENCRYPT) {
			size_t t = tag_len;
			res =
			    TEE_AEEncryptFinal(op, in, data_len, out, &out_len, out + data_len, &t);
			if (res == TEE_SUCCESS)
				p[3].memref.size = out_len + t;
		} else {
			/* The tag is copied out of the client's memory first. */
			uint8_t tag[TA_CRYPTO_DEMO_GCM_TAG];
			TEE_MemMove(tag, in + data_len, tag_len);
			res = TEE_AEDecryptFinal(op, in, data_len, out, &out_len, tag, tag_len);
			if (res == TEE_SUCCESS)
				p[3].memref.size = out_len;
			else if (data_len)
				TEE_MemFill(out, 0, data_len); /* no unauthenticated plaintext */
		}
	}
	TEE_FreeOperation(op);
	return res;
}

/* ---- ECDSA P-256 ---- */

/* An attribute of exactly 32 bytes, big-endian: the service returns them
 * without leading zero octets. */
static TEE_Result get_coord(TEE_ObjectHandle k, uint32_t id, uint8_t *out)
{
	uint8_t buf[P256_BYTES];
	size_t len = sizeof(buf);
	TEE_Result res = TEE_GetObjectBufferAttribute(k, id, buf, &len);
	if (res != TEE_SUCCESS)
		return res;
	if (len > P256_BYTES)
		return TEE_ERROR_GENERIC;
	TEE_MemFill(out, 0, P256_BYTES - len);
	TEE_MemMove(out + P256_BYTES - len, buf, len);
	return TEE_SUCCESS;
}

static TEE_Result cmd_ecdsa_gen_key(struct session *s, uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_OUTPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	if (p[0].memref.size < P256_BYTES || p[1].memref.size < P256_BYTES || !p[0].memref.buffer ||
	    !p[1].memref.buffer) {
		p[0].memref.size = P256_BYTES;
		p[1].memref.size = P256_BYTES;
		return TEE_ERROR_SHORT_BUFFER;
	}
	TEE_ObjectHandle k;
	TEE_Result res = TEE_AllocateTransientObject(TEE_TYPE_ECDSA_KEYPAIR, 256, &k);
	if (res != TEE_SUCCESS)
		return res;
	TEE_Attribute curve;
	TEE_InitValueAttribute(&curve, TEE_ATTR_ECC_CURVE, TEE_ECC_CURVE_NIST_P256, 0);
	res = TEE_GenerateKey(k, 256, &curve, 1);
	if (res == TEE_SUCCESS)
		res = get_coord(k, TEE_ATTR_ECC_PUBLIC_VALUE_X, p[0].memref.buffer);
	if (res == TEE_SUCCESS)
		res = get_coord(k, TEE_ATTR_ECC_PUBLIC_VALUE_Y, p[1].memref.buffer);
	if (res != TEE_SUCCESS) {
		TEE_FreeTransientObject(k);
		return res;
	}
	p[0].memref.size = P256_BYTES;
	p[1].memref.size = P256_BYTES;
	TEE_FreeTransientObject(s->ec);
	s->ec = k;
	return TEE_SUCCESS;
}

static TEE_Result cmd_ecdsa_sign(struct session *s, uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE) ||
	    !p[0].memref.buffer || p[0].memref.size != 32)
		return TEE_ERROR_BAD_PARAMETERS;
	if (!s->ec)
		return TEE_ERROR_BAD_STATE;
	if (p[1].memref.size < 2 * P256_BYTES || !p[1].memref.buffer) {
		p[1].memref.size = 2 * P256_BYTES;
		return TEE_ERROR_SHORT_BUFFER;
	}
	uint8_t digest[32];
	TEE_MemMove(digest, p[0].memref.buffer, sizeof(digest));
	TEE_OperationHandle op;
	TEE_Result res = TEE_AllocateOperation(&op, TEE_ALG_ECDSA_SHA256, TEE_MODE_SIGN, 256);
	if (res != TEE_SUCCESS)
		return res;
	res = TEE_SetOperationKey(op, s->ec);
	size_t len = p[1].memref.size;
	if (res == TEE_SUCCESS)
		res = TEE_AsymmetricSignDigest(op, 0, 0, digest, sizeof(digest), p[1].memref.buffer,
		                               &len);
	TEE_FreeOperation(op);
	if (res == TEE_SUCCESS || res == TEE_ERROR_SHORT_BUFFER)
		p[1].memref.size = len;
	return res;
}

static TEE_Result cmd_ecdsa_verify(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_MEMREF_INPUT,
	                             TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_NONE) ||
	    !p[0].memref.buffer || p[0].memref.size != 2 * P256_BYTES || !p[1].memref.buffer ||
	    p[1].memref.size != 32 || !p[2].memref.buffer || p[2].memref.size > 2 * P256_BYTES)
		return TEE_ERROR_BAD_PARAMETERS;
	uint8_t pub[2 * P256_BYTES], digest[32], sig[2 * P256_BYTES];
	size_t sig_len = p[2].memref.size;
	TEE_MemMove(pub, p[0].memref.buffer, sizeof(pub));
	TEE_MemMove(digest, p[1].memref.buffer, sizeof(digest));
	TEE_MemMove(sig, p[2].memref.buffer, sig_len);
	TEE_ObjectHandle k;
	TEE_Result res = TEE_AllocateTransientObject(TEE_TYPE_ECDSA_PUBLIC_KEY, 256, &k);
	if (res != TEE_SUCCESS)
		return res;
	TEE_Attribute a[3];
	TEE_InitRefAttribute(&a[0], TEE_ATTR_ECC_PUBLIC_VALUE_X, pub, P256_BYTES);
	TEE_InitRefAttribute(&a[1], TEE_ATTR_ECC_PUBLIC_VALUE_Y, pub + P256_BYTES, P256_BYTES);
	TEE_InitValueAttribute(&a[2], TEE_ATTR_ECC_CURVE, TEE_ECC_CURVE_NIST_P256, 0);
	res = TEE_PopulateTransientObject(k, a, 3);
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	if (res == TEE_SUCCESS)
		res = TEE_AllocateOperation(&op, TEE_ALG_ECDSA_SHA256, TEE_MODE_VERIFY, 256);
	if (res == TEE_SUCCESS)
		res = TEE_SetOperationKey(op, k);
	if (res == TEE_SUCCESS)
		res = TEE_AsymmetricVerifyDigest(op, 0, 0, digest, sizeof(digest), sig, sig_len);
	if (op)
		TEE_FreeOperation(op);
	TEE_FreeTransientObject(k);
	return res;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sessionContext, uint32_t commandID, uint32_t paramTypes,
                                      TEE_Param params[TEE_NUM_PARAMS])
{
	struct session *s = sessionContext;
	switch (commandID) {
	case TA_CRYPTO_DEMO_CMD_SHA256:
		return cmd_sha256(paramTypes, params);
	case TA_CRYPTO_DEMO_CMD_AES_SET_KEY:
		return cmd_aes_set_key(s, paramTypes, params);
	case TA_CRYPTO_DEMO_CMD_AES_GEN_KEY:
		return cmd_aes_gen_key(s, paramTypes, params);
	case TA_CRYPTO_DEMO_CMD_AES_CBC:
		return cmd_aes_cbc(s, paramTypes, params);
	case TA_CRYPTO_DEMO_CMD_AES_GCM:
		return cmd_aes_gcm(s, paramTypes, params);
	case TA_CRYPTO_DEMO_CMD_ECDSA_GEN_KEY:
		return cmd_ecdsa_gen_key(s, paramTypes, params);
	case TA_CRYPTO_DEMO_CMD_ECDSA_SIGN:
		return cmd_ecdsa_sign(s, paramTypes, params);
	case TA_CRYPTO_DEMO_CMD_ECDSA_VERIFY:
		return cmd_ecdsa_verify(paramTypes, params);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
