/* Operations: allocation, keys, copies, and the symmetric algorithms
 * (digests, MACs, ciphers, authenticated encryption). The asymmetric ones
 * and key derivation are in op_asym.c. */
#include <string.h>

#include <mbedtls/cmac.h>
#include <mbedtls/platform_util.h>

#include "crypto.h"
#include "cts.h"

/* The block cipher inside GCM and CCM contexts. */
#if defined(MBEDTLS_BLOCK_CIPHER_C)
#define AE_CIPHER MBEDTLS_PRIVATE(block_cipher_ctx)
typedef mbedtls_block_cipher_context_t ae_cipher_t;
#else
#define AE_CIPHER MBEDTLS_PRIVATE(cipher_ctx)
typedef mbedtls_cipher_context_t ae_cipher_t;
#endif

struct alg {
	uint32_t alg;
	uint8_t cls, kind, md;
	uint8_t curve;     /* mbedtls_ecp_group_id the (old) identifier fixes, or 0 */
	uint32_t key_type; /* the key type whose sizes bound maxKeySize */
};

#define DIGEST(a, m)                                                                               \
	{                                                                                          \
		a, C_DIGEST, K_DIGEST, m, 0, 0                                                     \
	}
#define HMAC(a, m, t)                                                                              \
	{                                                                                          \
		a, C_MAC, K_HMAC, m, 0, t                                                          \
	}
#define AES(a, c, k)                                                                               \
	{                                                                                          \
		a, c, k, 0, 0, TEE_TYPE_AES                                                        \
	}
#define RSA(a, c, k, m)                                                                            \
	{                                                                                          \
		a, c, k, m, 0, TEE_TYPE_RSA_KEYPAIR                                                \
	}
#define ECDSA(a, m, g)                                                                             \
	{                                                                                          \
		a, C_ASYM_SIGN, K_ECDSA, m, g, TEE_TYPE_ECDSA_KEYPAIR                              \
	}
#define ECDH(a, g)                                                                                 \
	{                                                                                          \
		a, C_DERIVE, K_ECDH, 0, g, TEE_TYPE_ECDH_KEYPAIR                                   \
	}
#define HKDF(a, m)                                                                                 \
	{                                                                                          \
		a, C_DERIVE, K_HKDF, m, 0, TEE_TYPE_GENERIC_SECRET                                 \
	}

#define KDF(a, k, m, t)                                                                            \
	{                                                                                          \
		a, C_DERIVE, k, m, 0, t                                                            \
	}

static const struct alg algs[] = {
#if defined(MBEDTLS_MD5_C)
    DIGEST(TEE_ALG_MD5, MBEDTLS_MD_MD5),
    HMAC(TEE_ALG_HMAC_MD5, MBEDTLS_MD_MD5, TEE_TYPE_HMAC_MD5),
    RSA(TEE_ALG_RSASSA_PKCS1_V1_5_MD5, C_ASYM_SIGN, K_RSASSA_V15, MBEDTLS_MD_MD5),
    HKDF(TEE_ALG_HKDF_MD5_DERIVE_KEY, MBEDTLS_MD_MD5),
#endif
    DIGEST(TEE_ALG_SHA1, MBEDTLS_MD_SHA1),
    DIGEST(TEE_ALG_SHA224, MBEDTLS_MD_SHA224),
    DIGEST(TEE_ALG_SHA256, MBEDTLS_MD_SHA256),
    DIGEST(TEE_ALG_SHA384, MBEDTLS_MD_SHA384),
    DIGEST(TEE_ALG_SHA512, MBEDTLS_MD_SHA512),
    HMAC(TEE_ALG_HMAC_SHA1, MBEDTLS_MD_SHA1, TEE_TYPE_HMAC_SHA1),
    HMAC(TEE_ALG_HMAC_SHA224, MBEDTLS_MD_SHA224, TEE_TYPE_HMAC_SHA224),
    HMAC(TEE_ALG_HMAC_SHA256, MBEDTLS_MD_SHA256, TEE_TYPE_HMAC_SHA256),
    HMAC(TEE_ALG_HMAC_SHA384, MBEDTLS_MD_SHA384, TEE_TYPE_HMAC_SHA384),
    HMAC(TEE_ALG_HMAC_SHA512, MBEDTLS_MD_SHA512, TEE_TYPE_HMAC_SHA512),
    DIGEST(TEE_ALG_SHA3_224, MBEDTLS_MD_SHA3_224),
    DIGEST(TEE_ALG_SHA3_256, MBEDTLS_MD_SHA3_256),
    DIGEST(TEE_ALG_SHA3_384, MBEDTLS_MD_SHA3_384),
    DIGEST(TEE_ALG_SHA3_512, MBEDTLS_MD_SHA3_512),
    HMAC(TEE_ALG_HMAC_SHA3_224, MBEDTLS_MD_SHA3_224, TEE_TYPE_HMAC_SHA3_224),
    HMAC(TEE_ALG_HMAC_SHA3_256, MBEDTLS_MD_SHA3_256, TEE_TYPE_HMAC_SHA3_256),
    HMAC(TEE_ALG_HMAC_SHA3_384, MBEDTLS_MD_SHA3_384, TEE_TYPE_HMAC_SHA3_384),
    HMAC(TEE_ALG_HMAC_SHA3_512, MBEDTLS_MD_SHA3_512, TEE_TYPE_HMAC_SHA3_512),
    AES(TEE_ALG_AES_ECB_NOPAD, C_CIPHER, K_ECB),
    AES(TEE_ALG_AES_CBC_NOPAD, C_CIPHER, K_CBC),
    AES(TEE_ALG_AES_CTR, C_CIPHER, K_CTR),
    AES(TEE_ALG_AES_XTS, C_CIPHER, K_XTS),
    AES(TEE_ALG_AES_CTS, C_CIPHER, K_CTS),
    AES(TEE_ALG_AES_CMAC, C_MAC, K_CMAC),
    AES(TEE_ALG_AES_GCM, C_AE, K_GCM),
    AES(TEE_ALG_AES_CCM, C_AE, K_CCM),
    RSA(TEE_ALG_RSAES_PKCS1_V1_5, C_ASYM_CIPHER, K_RSAES_V15, MBEDTLS_MD_NONE),
    RSA(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA1, C_ASYM_CIPHER, K_RSAES_OAEP, MBEDTLS_MD_SHA1),
    RSA(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA224, C_ASYM_CIPHER, K_RSAES_OAEP, MBEDTLS_MD_SHA224),
    RSA(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA256, C_ASYM_CIPHER, K_RSAES_OAEP, MBEDTLS_MD_SHA256),
    RSA(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA384, C_ASYM_CIPHER, K_RSAES_OAEP, MBEDTLS_MD_SHA384),
    RSA(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA512, C_ASYM_CIPHER, K_RSAES_OAEP, MBEDTLS_MD_SHA512),
    RSA(TEE_ALG_RSA_NOPAD, C_ASYM_CIPHER, K_RSA_NOPAD, MBEDTLS_MD_NONE),
    RSA(TEE_ALG_RSASSA_PKCS1_V1_5, C_ASYM_SIGN, K_RSASSA_V15, MBEDTLS_MD_NONE),
    RSA(TEE_ALG_RSASSA_PKCS1_V1_5_SHA1, C_ASYM_SIGN, K_RSASSA_V15, MBEDTLS_MD_SHA1),
    RSA(TEE_ALG_RSASSA_PKCS1_V1_5_SHA224, C_ASYM_SIGN, K_RSASSA_V15, MBEDTLS_MD_SHA224),
    RSA(TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, C_ASYM_SIGN, K_RSASSA_V15, MBEDTLS_MD_SHA256),
    RSA(TEE_ALG_RSASSA_PKCS1_V1_5_SHA384, C_ASYM_SIGN, K_RSASSA_V15, MBEDTLS_MD_SHA384),
    RSA(TEE_ALG_RSASSA_PKCS1_V1_5_SHA512, C_ASYM_SIGN, K_RSASSA_V15, MBEDTLS_MD_SHA512),
    RSA(TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA1, C_ASYM_SIGN, K_RSASSA_PSS, MBEDTLS_MD_SHA1),
    RSA(TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA224, C_ASYM_SIGN, K_RSASSA_PSS, MBEDTLS_MD_SHA224),
    RSA(TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA256, C_ASYM_SIGN, K_RSASSA_PSS, MBEDTLS_MD_SHA256),
    RSA(TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA384, C_ASYM_SIGN, K_RSASSA_PSS, MBEDTLS_MD_SHA384),
    RSA(TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA512, C_ASYM_SIGN, K_RSASSA_PSS, MBEDTLS_MD_SHA512),
    ECDSA(TEE_ALG_ECDSA_SHA1, MBEDTLS_MD_SHA1, 0),
    ECDSA(TEE_ALG_ECDSA_SHA224, MBEDTLS_MD_SHA224, 0),
    ECDSA(TEE_ALG_ECDSA_SHA256, MBEDTLS_MD_SHA256, 0),
    ECDSA(TEE_ALG_ECDSA_SHA384, MBEDTLS_MD_SHA384, 0),
    ECDSA(TEE_ALG_ECDSA_SHA512, MBEDTLS_MD_SHA512, 0),
    ECDSA(OLD_ALG_ECDSA_P192, MBEDTLS_MD_NONE, MBEDTLS_ECP_DP_SECP192R1),
    ECDSA(OLD_ALG_ECDSA_P224, MBEDTLS_MD_NONE, MBEDTLS_ECP_DP_SECP224R1),
    ECDSA(OLD_ALG_ECDSA_P256, MBEDTLS_MD_NONE, MBEDTLS_ECP_DP_SECP256R1),
    ECDSA(OLD_ALG_ECDSA_P384, MBEDTLS_MD_NONE, MBEDTLS_ECP_DP_SECP384R1),
    ECDSA(OLD_ALG_ECDSA_P521, MBEDTLS_MD_NONE, MBEDTLS_ECP_DP_SECP521R1),
    ECDH(TEE_ALG_ECDH_DERIVE_SHARED_SECRET, 0),
    {TEE_ALG_X25519, C_DERIVE, K_X25519, 0, 0, TEE_TYPE_X25519_KEYPAIR},
    {TEE_ALG_DH_DERIVE_SHARED_SECRET, C_DERIVE, K_DH, 0, 0, TEE_TYPE_DH_KEYPAIR},
    ECDH(OLD_ALG_ECDH_P192, MBEDTLS_ECP_DP_SECP192R1),
    ECDH(OLD_ALG_ECDH_P224, MBEDTLS_ECP_DP_SECP224R1),
    ECDH(OLD_ALG_ECDH_P256, MBEDTLS_ECP_DP_SECP256R1),
    ECDH(OLD_ALG_ECDH_P384, MBEDTLS_ECP_DP_SECP384R1),
    ECDH(OLD_ALG_ECDH_P521, MBEDTLS_ECP_DP_SECP521R1),
    HKDF(TEE_ALG_HKDF_SHA1_DERIVE_KEY, MBEDTLS_MD_SHA1),
    HKDF(TEE_ALG_HKDF_SHA224_DERIVE_KEY, MBEDTLS_MD_SHA224),
    HKDF(TEE_ALG_HKDF_SHA256_DERIVE_KEY, MBEDTLS_MD_SHA256),
    HKDF(TEE_ALG_HKDF_SHA384_DERIVE_KEY, MBEDTLS_MD_SHA384),
    HKDF(TEE_ALG_HKDF_SHA512_DERIVE_KEY, MBEDTLS_MD_SHA512),
    HKDF(TEE_ALG_HKDF, MBEDTLS_MD_NONE),
    KDF(TEE_ALG_CONCAT_KDF_SHA1_DERIVE_KEY, K_CONCAT_KDF, MBEDTLS_MD_SHA1, TEE_TYPE_CONCAT_KDF_Z),
    KDF(TEE_ALG_CONCAT_KDF_SHA224_DERIVE_KEY, K_CONCAT_KDF, MBEDTLS_MD_SHA224,
        TEE_TYPE_CONCAT_KDF_Z),
    KDF(TEE_ALG_CONCAT_KDF_SHA256_DERIVE_KEY, K_CONCAT_KDF, MBEDTLS_MD_SHA256,
        TEE_TYPE_CONCAT_KDF_Z),
    KDF(TEE_ALG_CONCAT_KDF_SHA384_DERIVE_KEY, K_CONCAT_KDF, MBEDTLS_MD_SHA384,
        TEE_TYPE_CONCAT_KDF_Z),
    KDF(TEE_ALG_CONCAT_KDF_SHA512_DERIVE_KEY, K_CONCAT_KDF, MBEDTLS_MD_SHA512,
        TEE_TYPE_CONCAT_KDF_Z),
    KDF(TEE_ALG_PBKDF2_HMAC_SHA1_DERIVE_KEY, K_PBKDF2, MBEDTLS_MD_SHA1, TEE_TYPE_PBKDF2_PASSWORD),
    KDF(TEE_ALG_PBKDF2_HMAC_SHA224_DERIVE_KEY, K_PBKDF2, MBEDTLS_MD_SHA224,
        TEE_TYPE_PBKDF2_PASSWORD),
    KDF(TEE_ALG_PBKDF2_HMAC_SHA256_DERIVE_KEY, K_PBKDF2, MBEDTLS_MD_SHA256,
        TEE_TYPE_PBKDF2_PASSWORD),
    KDF(TEE_ALG_PBKDF2_HMAC_SHA384_DERIVE_KEY, K_PBKDF2, MBEDTLS_MD_SHA384,
        TEE_TYPE_PBKDF2_PASSWORD),
    KDF(TEE_ALG_PBKDF2_HMAC_SHA512_DERIVE_KEY, K_PBKDF2, MBEDTLS_MD_SHA512,
        TEE_TYPE_PBKDF2_PASSWORD),
};

static const struct alg *alg_of(uint64_t id)
{
	for (unsigned i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
		if (algs[i].alg == id)
			return &algs[i];
	return 0;
}

static int mode_ok(uint8_t cls, uint64_t mode)
{
	switch (cls) {
	case C_DIGEST:
		return mode == TEE_MODE_DIGEST;
	case C_MAC:
		return mode == TEE_MODE_MAC;
	case C_CIPHER:
	case C_AE:
	case C_ASYM_CIPHER:
		return mode == TEE_MODE_ENCRYPT || mode == TEE_MODE_DECRYPT;
	case C_ASYM_SIGN:
		return mode == TEE_MODE_SIGN || mode == TEE_MODE_VERIFY;
	default:
		return mode == TEE_MODE_DERIVE;
	}
}

static int is_asym(const struct op *o)
{
	return o->cls == C_ASYM_CIPHER || o->cls == C_ASYM_SIGN || o->kind == K_ECDH ||
	       o->kind == K_X25519 || o->kind == K_DH;
}

/* May a key of type t go into operation o? */
static int key_ok(const struct op *o, uint32_t t)
{
	int private_use = o->mode == TEE_MODE_SIGN || o->mode == TEE_MODE_DECRYPT;
	switch (o->kind) {
	case K_HMAC:
		return t == alg_of(o->alg)->key_type || t == TEE_TYPE_GENERIC_SECRET;
	case K_ECB:
	case K_CBC:
	case K_CTR:
	case K_XTS:
	case K_CTS:
	case K_CMAC:
	case K_GCM:
	case K_CCM:
		return t == TEE_TYPE_AES;
	case K_ECDSA:
		return t == TEE_TYPE_ECDSA_KEYPAIR ||
		       (!private_use && t == TEE_TYPE_ECDSA_PUBLIC_KEY);
	case K_ECDH:
		return t == TEE_TYPE_ECDH_KEYPAIR;
	case K_X25519:
		return t == TEE_TYPE_X25519_KEYPAIR;
	case K_DH:
		return t == TEE_TYPE_DH_KEYPAIR;
	case K_HKDF:
		return t == TEE_TYPE_HKDF_IKM || t == TEE_TYPE_GENERIC_SECRET || t == TEE_TYPE_HKDF;
	case K_CONCAT_KDF:
		return t == TEE_TYPE_CONCAT_KDF_Z || t == TEE_TYPE_GENERIC_SECRET;
	case K_PBKDF2:
		return t == TEE_TYPE_PBKDF2_PASSWORD || t == TEE_TYPE_GENERIC_SECRET;
	default: /* RSA */
		return t == TEE_TYPE_RSA_KEYPAIR || (!private_use && t == TEE_TYPE_RSA_PUBLIC_KEY);
	}
}

/* ---- contexts ---- */
static int ctx_init(struct op *o)
{
	switch (o->kind) {
	case K_DIGEST:
	case K_HMAC:
		mbedtls_md_init(&o->u.md);
		if (mbedtls_md_setup(&o->u.md, mbedtls_md_info_from_type((mbedtls_md_type_t)o->md),
		                     o->kind == K_HMAC))
			return -1;
		return o->kind == K_DIGEST ? mbedtls_md_starts(&o->u.md) : 0;
	case K_ECB:
	case K_CBC:
	case K_CTR:
	case K_CTS:
		memset(&o->u.blk, 0, sizeof(o->u.blk));
		mbedtls_aes_init(&o->u.blk.aes);
		return 0;
	case K_XTS:
		memset(&o->u.xts, 0, sizeof(o->u.xts));
		mbedtls_aes_xts_init(&o->u.xts.xts);
		return 0;
	case K_CMAC:
		mbedtls_cipher_init(&o->u.cmac);
		return 0;
	case K_GCM:
		mbedtls_gcm_init(&o->u.gcm);
		return 0;
	case K_CCM:
		mbedtls_ccm_init(&o->u.ccm);
		return 0;
	case K_HKDF:
	case K_CONCAT_KDF:
	case K_PBKDF2:
		return 0;
	default:
		asym_init(o);
		return 0;
	}
}

static void ctx_free(struct op *o)
{
	switch (o->kind) {
	case K_DIGEST:
	case K_HMAC:
		mbedtls_md_free(&o->u.md);
		break;
	case K_ECB:
	case K_CBC:
	case K_CTR:
	case K_CTS:
		mbedtls_aes_free(&o->u.blk.aes);
		break;
	case K_XTS:
		mbedtls_aes_xts_free(&o->u.xts.xts);
		svc_free(o->u.xts.data);
		break;
	case K_CMAC:
		mbedtls_cipher_free(&o->u.cmac);
		break;
	case K_GCM:
		mbedtls_gcm_free(&o->u.gcm);
		break;
	case K_CCM:
		mbedtls_ccm_free(&o->u.ccm);
		break;
	case K_HKDF:
	case K_CONCAT_KDF:
	case K_PBKDF2:
		break;
	default:
		asym_free(o);
		break;
	}
	memset(&o->u, 0, sizeof(o->u));
}

/* Puts the raw key into a freshly initialised context. */
static int ctx_key(struct op *o)
{
	unsigned bits = (unsigned)o->raw_len * 8;
	int enc = o->mode == TEE_MODE_ENCRYPT;
	switch (o->kind) {
	case K_HMAC:
		return mbedtls_md_hmac_starts(&o->u.md, o->raw, o->raw_len);
	case K_ECB:
	case K_CBC:
	case K_CTS:
		return enc ? mbedtls_aes_setkey_enc(&o->u.blk.aes, o->raw, bits)
		           : mbedtls_aes_setkey_dec(&o->u.blk.aes, o->raw, bits);
	case K_CTR:
		return mbedtls_aes_setkey_enc(&o->u.blk.aes, o->raw, bits);
	case K_XTS:
		return enc ? mbedtls_aes_xts_setkey_enc(&o->u.xts.xts, o->raw, bits)
		           : mbedtls_aes_xts_setkey_dec(&o->u.xts.xts, o->raw, bits);
	case K_CMAC: {
		mbedtls_cipher_type_t t = bits == 128   ? MBEDTLS_CIPHER_AES_128_ECB
		                          : bits == 192 ? MBEDTLS_CIPHER_AES_192_ECB
		                                        : MBEDTLS_CIPHER_AES_256_ECB;
		int rc = mbedtls_cipher_setup(&o->u.cmac, mbedtls_cipher_info_from_type(t));
		return rc ? rc : mbedtls_cipher_cmac_starts(&o->u.cmac, o->raw, bits);
	}
	case K_GCM:
		return mbedtls_gcm_setkey(&o->u.gcm, MBEDTLS_CIPHER_ID_AES, o->raw, bits);
	case K_CCM:
		return mbedtls_ccm_setkey(&o->u.ccm, MBEDTLS_CIPHER_ID_AES, o->raw, bits);
	default:
		return 0;
	}
}

static void raw_free(struct op *o)
{
	svc_free(o->raw); /* wipes it */
	o->raw = 0;
	o->raw_len = 0;
}

/* Back to a keyless, initial operation. */
static TEE_Result op_clear(struct op *o)
{
	ctx_free(o);
	raw_free(o);
	o->key_set = 0;
	o->key_bits = 0;
	o->key_type = 0;
	o->state = ST_INITIAL;
	return ctx_init(o) ? TEE_ERROR_OUT_OF_MEMORY : TEE_SUCCESS;
}

void op_destroy(struct op *o)
{
	ctx_free(o);
	raw_free(o);
	svc_free(o);
}

static TEE_Result bad_id(struct reply *r)
{
	return fail(r, TEE_ERROR_ITEM_NOT_FOUND, CRYPTO_REASON_BAD_ID);
}

static TEE_Result mbed_err(struct reply *r, int rc)
{
	if (rc == MBEDTLS_ERR_MPI_ALLOC_FAILED || rc == MBEDTLS_ERR_ECP_ALLOC_FAILED ||
	    rc == MBEDTLS_ERR_MD_ALLOC_FAILED || rc == MBEDTLS_ERR_CIPHER_ALLOC_FAILED)
		return NOMEM(r);
	return fail(r, TEE_ERROR_BAD_PARAMETERS, CRYPTO_REASON_NONE);
}

/* ---- requests: lifetime and keys ---- */
TEE_Result op_alloc(struct client *c, const uint64_t *w, struct reply *r)
{
	const struct alg *a = alg_of(w[1]);
	if (!a || !mode_ok(a->cls, w[2]))
		return fail(r, TEE_ERROR_NOT_SUPPORTED, CRYPTO_REASON_NONE);
	uint32_t bits = w[3] > 4096 ? 0 : (uint32_t)w[3];
	if (a->cls != C_DIGEST) {
		if (!obj_size_valid(a->key_type, bits))
			return fail(r, TEE_ERROR_NOT_SUPPORTED, CRYPTO_REASON_NONE);
		if (a->curve && bits != ec_bits_of_group(a->curve))
			return fail(r, TEE_ERROR_NOT_SUPPORTED, CRYPTO_REASON_NONE);
	}
	unsigned slot = 0;
	while (slot < CLIENT_OPS && c->ops[slot])
		slot++;
	if (slot == CLIENT_OPS)
		return NOMEM(r);
	struct op *o = svc_calloc(1, sizeof(*o));
	if (!o)
		return NOMEM(r);
	o->alg = a->alg;
	o->mode = (uint32_t)w[2];
	o->max_bits = bits;
	o->cls = a->cls;
	o->kind = a->kind;
	o->md = a->md;
	o->curve = a->curve;
	o->hkdf_gp = a->alg == TEE_ALG_HKDF;
	if (ctx_init(o)) {
		op_destroy(o);
		return NOMEM(r);
	}
	o->tag = id_tag(c, 1, slot, c->op_gen[slot]);
	c->ops[slot] = o;
	r->w[1] = (uint64_t)o->tag << 6 | slot;
	return TEE_SUCCESS;
}

TEE_Result op_free(struct client *c, const uint64_t *w, struct reply *r)
{
	struct op *o = op_lookup(c, w[1]);
	if (!o)
		return bad_id(r);
	unsigned slot = w[1] & 63;
	op_destroy(o);
	c->ops[slot] = 0;
	c->op_gen[slot]++;
	return TEE_SUCCESS;
}

static const struct attr *secret_of(const struct object *k)
{
	const struct attr *a = attrs_find(k->attrs, k->nattrs, TEE_ATTR_SECRET_VALUE);
	return a ? a : attrs_find(k->attrs, k->nattrs, obj_secret_attr(k->type));
}

static TEE_Result set_raw(struct op *o, const struct object *k, const struct object *k2)
{
	const struct attr *s = secret_of(k), *s2 = k2 ? secret_of(k2) : 0;
	if (!s || (k2 && !s2))
		return TEE_ERROR_BAD_PARAMETERS;
	size_t len = s->len + (s2 ? s2->len : 0);
	o->raw = svc_calloc(1, len ? len : 1);
	if (!o->raw)
		return TEE_ERROR_OUT_OF_MEMORY;
	if (s->len)
		memcpy(o->raw, s->data, s->len);
	if (s2)
		memcpy(o->raw + s->len, s2->data, s2->len);
	o->raw_len = len;
	return TEE_SUCCESS;
}

TEE_Result op_set_key(struct client *c, const uint64_t *w, struct reply *r)
{
	struct op *o = op_lookup(c, w[1]);
	if (!o)
		return bad_id(r);
	if (o->cls == C_DIGEST)
		return BADP(r);
	if (o->state != ST_INITIAL)
		return BADSTATE(r);
	if (!w[2]) {
		if (w[3])
			return BADP(r);
		return op_clear(o) == TEE_SUCCESS ? TEE_SUCCESS : NOMEM(r);
	}
	struct object *k = obj_lookup(c, w[2]), *k2 = w[3] ? obj_lookup(c, w[3]) : 0;
	if (!k || (w[3] && !k2))
		return bad_id(r);
	if (!k->init || (k2 && !k2->init))
		return BADSTATE(r);
	if (!key_ok(o, k->type) || k->key_bits > o->max_bits || (o->kind == K_XTS) != (k2 != 0) ||
	    (k2 && (k2->type != TEE_TYPE_AES || k2->key_bits != k->key_bits)))
		return BADP(r);
	if (o->curve) {
		const struct attr *cv = attrs_find(k->attrs, k->nattrs, TEE_ATTR_ECC_CURVE);
		if (!cv || ec_group_of_curve(cv->a) != o->curve)
			return BADP(r);
	}
	TEE_Result res = op_clear(o);
	if (res == TEE_SUCCESS) {
		if (is_asym(o)) {
			res = asym_set_key(o, k);
		} else {
			res = set_raw(o, k, k2);
			if (res == TEE_SUCCESS && ctx_key(o))
				res = TEE_ERROR_BAD_PARAMETERS;
		}
	}
	if (res != TEE_SUCCESS) {
		op_clear(o);
		return res == TEE_ERROR_OUT_OF_MEMORY ? NOMEM(r) : fail(r, res, CRYPTO_REASON_NONE);
	}
	o->key_set = 1;
	o->key_bits = k->key_bits;
	o->key_type = k->type;
	return TEE_SUCCESS;
}

static void state_reset(struct op *o)
{
	o->state = ST_INITIAL;
	o->payload_started = 0;
	if (o->kind == K_DIGEST)
		mbedtls_md_starts(&o->u.md);
	if (o->kind == K_XTS)
		o->u.xts.len = o->u.xts.done = 0;
	if (o->kind == K_ECB || o->kind == K_CBC || o->kind == K_CTR || o->kind == K_CTS)
		o->u.blk.buflen = o->u.blk.nc_off = o->u.blk.done = 0;
}

TEE_Result op_reset(struct client *c, const uint64_t *w, struct reply *r)
{
	struct op *o = op_lookup(c, w[1]);
	if (!o)
		return bad_id(r);
	state_reset(o);
	return TEE_SUCCESS;
}

TEE_Result op_copy(struct client *c, const uint64_t *w, struct reply *r)
{
	struct op *dst = op_lookup(c, w[1]), *src = op_lookup(c, w[2]);
	if (!dst || !src)
		return bad_id(r);
	if (dst == src)
		return TEE_SUCCESS;
	if (dst->alg != src->alg || dst->mode != src->mode ||
	    (src->key_set && src->key_bits > dst->max_bits))
		return BADP(r);
	if (op_clear(dst) != TEE_SUCCESS)
		return NOMEM(r);
	TEE_Result res = TEE_SUCCESS;
	int rc = 0;
	if (src->key_set && is_asym(src)) {
		res = asym_copy(dst, src);
	} else if (src->raw) {
		dst->raw = svc_calloc(1, src->raw_len ? src->raw_len : 1);
		if (!dst->raw)
			res = TEE_ERROR_OUT_OF_MEMORY;
		else {
			memcpy(dst->raw, src->raw, src->raw_len);
			dst->raw_len = src->raw_len;
			rc = ctx_key(dst);
		}
	}
	/* The running state. */
	if (res == TEE_SUCCESS && !rc) {
		switch (src->kind) {
		case K_DIGEST:
		case K_HMAC:
			rc = mbedtls_md_clone(&dst->u.md, &src->u.md);
			break;
		case K_ECB:
		case K_CBC:
		case K_CTR:
		case K_CTS:
			dst->u.blk = src->u.blk;
			break;
		case K_XTS:
			dst->u.xts.xts = src->u.xts.xts;
			memcpy(dst->u.xts.tweak, src->u.xts.tweak, 16);
			if (src->u.xts.len) {
				dst->u.xts.data = svc_calloc(1, src->u.xts.len);
				if (!dst->u.xts.data) {
					res = TEE_ERROR_OUT_OF_MEMORY;
					break;
				}
				memcpy(dst->u.xts.data, src->u.xts.data, src->u.xts.len);
				dst->u.xts.len = dst->u.xts.cap = src->u.xts.len;
			}
			dst->u.xts.done = src->u.xts.done;
			break;
		case K_CMAC: {
			mbedtls_cmac_context_t *d = dst->u.cmac.MBEDTLS_PRIVATE(cmac_ctx),
			                       *s = src->u.cmac.MBEDTLS_PRIVATE(cmac_ctx);
			if (d && s)
				*d = *s;
			break;
		}
		case K_GCM:
			if (src->key_set) {
				ae_cipher_t keep = dst->u.gcm.AE_CIPHER;
				dst->u.gcm = src->u.gcm;
				dst->u.gcm.AE_CIPHER = keep;
			}
			break;
		case K_CCM:
			if (src->key_set) {
				ae_cipher_t keep = dst->u.ccm.AE_CIPHER;
				dst->u.ccm = src->u.ccm;
				dst->u.ccm.AE_CIPHER = keep;
			}
			break;
		default:
			break;
		}
	}
	if (res != TEE_SUCCESS || rc) {
		op_clear(dst);
		return res == TEE_ERROR_OUT_OF_MEMORY || rc ? NOMEM(r) : fail(r, res, 0);
	}
	dst->state = src->state;
	dst->key_set = src->key_set;
	dst->key_bits = src->key_bits;
	dst->key_type = src->key_type;
	dst->tag_len = src->tag_len;
	dst->aad_left = src->aad_left;
	dst->payload_left = src->payload_left;
	dst->payload_started = src->payload_started;
	return TEE_SUCCESS;
}

/* ---- requests: data ---- */
static int overlap(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

/* The input, copied aside if writing the output could overwrite input
 * not yet read (any overlap other than exactly in place, or any at all
 * when `strict`). */
static const uint8_t *stage(const struct span *in, const struct span *out, int strict)
{
	if (overlap(in->p, in->len, out->p, out->len) && (strict || in->p != out->p))
		return span_copy(in);
	return in->p;
}

static int blk_crypt(struct op *o, const uint8_t *in, uint8_t *out, size_t len)
{
	int m = o->mode == TEE_MODE_ENCRYPT ? MBEDTLS_AES_ENCRYPT : MBEDTLS_AES_DECRYPT;
	if (o->kind == K_CBC || o->kind == K_CTS)
		return mbedtls_aes_crypt_cbc(&o->u.blk.aes, m, len, o->u.blk.iv, in, out);
	for (size_t i = 0; i < len; i += 16) {
		int rc = mbedtls_aes_crypt_ecb(&o->u.blk.aes, m, in + i, out + i);
		if (rc)
			return rc;
	}
	return 0;
}

/* ECB/CBC without padding: whole blocks out, the rest kept. */
static int blk_update(struct op *o, const uint8_t *in, size_t len, uint8_t *out, size_t *written)
{
	size_t w = 0;
	int rc = 0;
	if (o->u.blk.buflen) {
		size_t take = 16 - o->u.blk.buflen < len ? 16 - o->u.blk.buflen : len;
		memcpy(o->u.blk.buf + o->u.blk.buflen, in, take);
		o->u.blk.buflen += take;
		in += take;
		len -= take;
		if (o->u.blk.buflen < 16) {
			*written = 0;
			return 0;
		}
		rc = blk_crypt(o, o->u.blk.buf, out, 16);
		o->u.blk.buflen = 0;
		w = 16;
	}
	size_t whole = len & ~(size_t)15;
	if (!rc && whole)
		rc = blk_crypt(o, in, out + w, whole);
	memcpy(o->u.blk.buf, in + whole, len - whole);
	o->u.blk.buflen = len - whole;
	*written = w + whole;
	return rc;
}

static int xts_append(struct op *o, const uint8_t *in, size_t len)
{
	if (!len)
		return 0;
	if (o->u.xts.len + len > CRYPTO_WINDOW_MAX)
		return MBEDTLS_ERR_AES_BAD_INPUT_DATA;
	if (o->u.xts.len + len > o->u.xts.cap) {
		size_t cap = o->u.xts.len + len;
		uint8_t *p = svc_calloc(1, cap);
		if (!p)
			return MBEDTLS_ERR_CIPHER_ALLOC_FAILED;
		if (o->u.xts.len)
			memcpy(p, o->u.xts.data, o->u.xts.len);
		svc_free(o->u.xts.data);
		o->u.xts.data = p;
		o->u.xts.cap = cap;
	}
	memcpy(o->u.xts.data + o->u.xts.len, in, len);
	o->u.xts.len += len;
	return 0;
}

/* The output of XTS up to byte `upto` of the message not given out yet,
 * into out: mbedTLS's XTS over the whole message so far, as one data unit
 * (it has no way to go on from a later block), of which the new part is
 * copied out. (So each update costs the message so far: XTS messages are
 * sectors, and the whole message is held anyway.) */
static int xts_out(struct op *o, size_t upto, uint8_t *out, size_t *written)
{
	*written = 0;
	if (upto <= o->u.xts.done)
		return 0;
	uint8_t *tmp = svc_calloc(1, upto);
	if (!tmp)
		return MBEDTLS_ERR_CIPHER_ALLOC_FAILED;
	uint8_t tweak[16];
	memcpy(tweak, o->u.xts.tweak, 16);
	int rc = mbedtls_aes_crypt_xts(
	    &o->u.xts.xts, o->mode == TEE_MODE_ENCRYPT ? MBEDTLS_AES_ENCRYPT : MBEDTLS_AES_DECRYPT,
	    upto, tweak, o->u.xts.data, tmp);
	if (!rc) {
		memcpy(out, tmp + o->u.xts.done, upto - o->u.xts.done);
		*written = upto - o->u.xts.done;
		o->u.xts.done = upto;
	}
	mbedtls_platform_zeroize(tmp, upto);
	svc_free(tmp);
	return rc;
}

/* CTS's final: what the block buffer holds and in[0..len), the message's
 * end (cipher_out_len checked it is long enough), with the stealing. */
static int cts_final(struct op *o, const uint8_t *in, size_t len, uint8_t *out, size_t *written)
{
	size_t total = o->u.blk.buflen + len;
	uint8_t *tmp = svc_calloc(1, total);
	if (!tmp)
		return MBEDTLS_ERR_CIPHER_ALLOC_FAILED;
	memcpy(tmp, o->u.blk.buf, o->u.blk.buflen);
	memcpy(tmp + o->u.blk.buflen, in, len);
	int m = o->mode == TEE_MODE_ENCRYPT ? MBEDTLS_AES_ENCRYPT : MBEDTLS_AES_DECRYPT;
	int rc = crypto_cts_final(&o->u.blk.aes, m, o->u.blk.iv, tmp, total, tmp);
	if (!rc) {
		memcpy(out, tmp, total);
		*written = total;
	}
	mbedtls_platform_zeroize(tmp, total);
	svc_free(tmp);
	return rc;
}

/* Does the block buffer hold input that an overlapping output could
 * overwrite before it is read? */
static int blk_buffers(const struct op *o)
{
	return (o->kind == K_ECB || o->kind == K_CBC || o->kind == K_CTS) && o->u.blk.buflen;
}

/* Bytes a cipher UPDATE (final = 0) or FINAL (final = 1) of `len` input
 * bytes writes; -1 if the total is not acceptable for a final. */
static long cipher_out_len(const struct op *o, size_t len, int final)
{
	switch (o->kind) {
	case K_ECB:
	case K_CBC: {
		size_t total = o->u.blk.buflen + len;
		if (final && total % 16)
			return -1;
		return (long)(total & ~(size_t)15);
	}
	case K_CTS: {
		size_t total = o->u.blk.buflen + len;
		if (!final)
			return (long)(total & ~(size_t)15);
		/* The end must be long enough for the blocks stealing changes,
		 * none of which went out before: the client keeps the last 17
		 * to 32 bytes of a longer message for the final (as libutee
		 * and lib/tee do). */
		size_t msg = o->u.blk.done + total;
		return total >= 16 && crypto_cts_tail(msg) <= total ? (long)total : -1;
	}
	case K_XTS: {
		size_t total = o->u.xts.len + len;
		if (!final)
			return (long)((total & ~(size_t)15) - o->u.xts.done);
		/* The same for XTS: a partial last block changes the one before. */
		size_t stolen = total % 16 ? 16 + total % 16 : 0;
		if (total < 16 || (stolen && total - o->u.xts.done < stolen))
			return -1;
		return (long)(total - o->u.xts.done);
	}
	default: /* CTR, GCM, CCM: byte for byte */
		return (long)len;
	}
}

TEE_Result op_init(struct client *c, const uint64_t *w, struct reply *r)
{
	struct op *o = op_lookup(c, w[1]);
	if (!o)
		return bad_id(r);
	if (o->cls == C_DIGEST) {
		state_reset(o);
		return TEE_SUCCESS;
	}
	if (o->cls != C_CIPHER && o->cls != C_MAC && o->cls != C_AE)
		return BADP(r);
	if (!o->key_set)
		return BADSTATE(r);
	struct span s;
	if (!span_get(c, w[2], &s))
		return BADSPAN(r);
	uint8_t iv[64];
	size_t ivlen = s.len;
	if (ivlen > sizeof(iv))
		return BADP(r);
	memcpy(iv, s.p, ivlen);
	int rc = 0;
	state_reset(o);
	switch (o->kind) {
	case K_ECB:
		break;
	case K_CBC:
	case K_CTR:
	case K_CTS:
		if (ivlen != 16)
			return BADP(r);
		memcpy(o->u.blk.iv, iv, 16);
		break;
	case K_XTS:
		if (ivlen != 16)
			return BADP(r);
		memcpy(o->u.xts.tweak, iv, 16);
		break;
	case K_HMAC:
		rc = mbedtls_md_hmac_reset(&o->u.md);
		break;
	case K_CMAC:
		rc = mbedtls_cipher_cmac_reset(&o->u.cmac);
		break;
	case K_GCM:
	case K_CCM: {
		uint32_t tag_bits = w[3] & 0xFFFF, aad = (w[3] >> 16) & 0xFFFF;
		uint32_t payload = (uint32_t)(w[3] >> 32);
		int m = o->mode == TEE_MODE_ENCRYPT;
		if (o->kind == K_GCM) {
			if (tag_bits < 96 || tag_bits > 128 || tag_bits % 8)
				return fail(r, TEE_ERROR_NOT_SUPPORTED, CRYPTO_REASON_NONE);
			if (!ivlen)
				return BADP(r);
			rc = mbedtls_gcm_starts(
			    &o->u.gcm, m ? MBEDTLS_GCM_ENCRYPT : MBEDTLS_GCM_DECRYPT, iv, ivlen);
		} else {
			if (tag_bits < 32 || tag_bits > 128 || tag_bits % 16)
				return fail(r, TEE_ERROR_NOT_SUPPORTED, CRYPTO_REASON_NONE);
			if (ivlen < 7 || ivlen > 13)
				return BADP(r);
			rc = mbedtls_ccm_starts(
			    &o->u.ccm, m ? MBEDTLS_CCM_ENCRYPT : MBEDTLS_CCM_DECRYPT, iv, ivlen);
			if (!rc)
				rc = mbedtls_ccm_set_lengths(&o->u.ccm, aad, payload, tag_bits / 8);
			o->aad_left = aad;
			o->payload_left = payload;
		}
		o->tag_len = tag_bits / 8;
		break;
	}
	default:
		break;
	}
	if (rc)
		return mbed_err(r, rc);
	o->state = ST_ACTIVE;
	return TEE_SUCCESS;
}

/* Feeds AE payload: `out` has room for `in_len` bytes. */
static int ae_update(struct op *o, const uint8_t *in, size_t len, uint8_t *out)
{
	size_t olen;
	o->payload_started = 1;
	if (!len)
		return 0;
	if (o->kind == K_GCM)
		return mbedtls_gcm_update(&o->u.gcm, in, len, out, len, &olen);
	o->payload_left -= (uint32_t)len;
	return mbedtls_ccm_update(&o->u.ccm, in, len, out, len, &olen);
}

/* CCM: the lengths announced at INIT bound what may come. */
static TEE_Result ccm_check(const struct op *o, size_t len, int final, struct reply *r)
{
	if (o->kind != K_CCM)
		return TEE_SUCCESS;
	if (o->aad_left)
		return BADSTATE(r);
	if (len > o->payload_left || (final && len != o->payload_left))
		return BADP(r);
	return TEE_SUCCESS;
}

TEE_Result op_update(struct client *c, const uint64_t *w, struct reply *r)
{
	struct op *o = op_lookup(c, w[1]);
	if (!o)
		return bad_id(r);
	struct span in, out;
	if (!span_get(c, w[2], &in) || !span_get(c, w[3], &out))
		return BADSPAN(r);
	if (o->cls == C_DIGEST) {
		o->state = ST_ACTIVE;
		return mbedtls_md_update(&o->u.md, in.p, in.len) ? BADP(r) : TEE_SUCCESS;
	}
	if (o->cls != C_MAC && o->cls != C_CIPHER && o->cls != C_AE)
		return BADP(r);
	if (o->state != ST_ACTIVE)
		return BADSTATE(r);
	int rc = 0;
	size_t written = 0;
	if (o->cls == C_MAC) {
		rc = o->kind == K_HMAC ? mbedtls_md_hmac_update(&o->u.md, in.p, in.len)
		                       : mbedtls_cipher_cmac_update(&o->u.cmac, in.p, in.len);
	} else {
		long need = cipher_out_len(o, in.len, 0);
		if (o->cls == C_AE) {
			TEE_Result res = ccm_check(o, in.len, 0, r);
			if (res != TEE_SUCCESS)
				return res;
		}
		if (out.len < (size_t)need) {
			r->w[1] = (uint64_t)need;
			return TEE_ERROR_SHORT_BUFFER;
		}
		const uint8_t *src = stage(&in, &out, blk_buffers(o));
		switch (o->kind) {
		case K_ECB:
		case K_CBC:
		case K_CTS:
			rc = blk_update(o, src, in.len, out.p, &written);
			o->u.blk.done += written;
			break;
		case K_CTR:
			rc = mbedtls_aes_crypt_ctr(&o->u.blk.aes, in.len, &o->u.blk.nc_off,
			                           o->u.blk.iv, o->u.blk.stream, src, out.p);
			written = in.len;
			break;
		case K_XTS:
			rc = xts_append(o, in.p, in.len);
			if (!rc)
				rc = xts_out(o, o->u.xts.len & ~(size_t)15, out.p, &written);
			break;
		default:
			rc = ae_update(o, src, in.len, out.p);
			written = in.len;
			break;
		}
	}
	if (rc)
		return mbed_err(r, rc);
	r->w[1] = written;
	return TEE_SUCCESS;
}

TEE_Result op_update_aad(struct client *c, const uint64_t *w, struct reply *r)
{
	struct op *o = op_lookup(c, w[1]);
	if (!o)
		return bad_id(r);
	struct span s;
	if (!span_get(c, w[2], &s))
		return BADSPAN(r);
	if (o->cls != C_AE)
		return BADP(r);
	if (o->state != ST_ACTIVE || o->payload_started)
		return BADSTATE(r);
	int rc;
	if (o->kind == K_GCM) {
		rc = mbedtls_gcm_update_ad(&o->u.gcm, s.p, s.len);
	} else {
		if (s.len > o->aad_left)
			return BADP(r);
		o->aad_left -= (uint32_t)s.len;
		rc = s.len ? mbedtls_ccm_update_ad(&o->u.ccm, s.p, s.len) : 0;
	}
	return rc ? mbed_err(r, rc) : TEE_SUCCESS;
}

static size_t mac_len(const struct op *o)
{
	return o->kind == K_HMAC ? mbedtls_md_get_size(mbedtls_md_info_from_ctx(&o->u.md)) : 16;
}

/* MAC over the rest of the message into mac[]. */
static int mac_finish(struct op *o, const struct span *in, uint8_t *mac)
{
	int rc;
	if (o->kind == K_HMAC) {
		rc = mbedtls_md_hmac_update(&o->u.md, in->p, in->len);
		return rc ? rc : mbedtls_md_hmac_finish(&o->u.md, mac);
	}
	rc = mbedtls_cipher_cmac_update(&o->u.cmac, in->p, in->len);
	return rc ? rc : mbedtls_cipher_cmac_finish(&o->u.cmac, mac);
}

/* The AE tag after the last payload. */
static int ae_tag(struct op *o, uint8_t *tag)
{
	size_t olen;
	if (o->kind == K_GCM)
		return mbedtls_gcm_finish(&o->u.gcm, 0, 0, &olen, tag, o->tag_len);
	return mbedtls_ccm_finish(&o->u.ccm, tag, o->tag_len);
}

TEE_Result op_final(struct client *c, const uint64_t *w, struct reply *r)
{
	struct op *o = op_lookup(c, w[1]);
	if (!o)
		return bad_id(r);
	struct span in, out;
	if (!span_get(c, w[2], &in) || !span_get(c, w[3], &out))
		return BADSPAN(r);
	int rc = 0;
	size_t written = 0;
	switch (o->cls) {
	case C_DIGEST: {
		size_t n = mbedtls_md_get_size(mbedtls_md_info_from_ctx(&o->u.md));
		if (out.len < n) {
			r->w[1] = n;
			return TEE_ERROR_SHORT_BUFFER;
		}
		/* The digest is written once, where the client reads it. */
		rc = mbedtls_md_update(&o->u.md, in.p, in.len);
		if (!rc)
			rc = mbedtls_md_finish(&o->u.md, out.p);
		written = n;
		state_reset(o);
		break;
	}
	case C_MAC: {
		if (o->state != ST_ACTIVE)
			return BADSTATE(r);
		size_t n = mac_len(o);
		if (out.len < n) {
			r->w[1] = n;
			return TEE_ERROR_SHORT_BUFFER;
		}
		uint8_t mac[MBEDTLS_MD_MAX_SIZE];
		rc = mac_finish(o, &in, mac);
		if (!rc)
			memcpy(out.p, mac, n);
		written = n;
		o->state = ST_INITIAL;
		break;
	}
	case C_CIPHER: {
		if (o->state != ST_ACTIVE)
			return BADSTATE(r);
		long need = cipher_out_len(o, in.len, 1);
		if (need < 0)
			return BADP(r);
		if (out.len < (size_t)need) {
			r->w[1] = (uint64_t)need;
			return TEE_ERROR_SHORT_BUFFER;
		}
		const uint8_t *src = stage(&in, &out, blk_buffers(o));
		if (o->kind == K_XTS) {
			rc = xts_append(o, src, in.len);
			if (!rc)
				rc = xts_out(o, o->u.xts.len, out.p, &written);
		} else if (o->kind == K_CTS) {
			rc = cts_final(o, src, in.len, out.p, &written);
		} else if (o->kind == K_CTR) {
			rc = mbedtls_aes_crypt_ctr(&o->u.blk.aes, in.len, &o->u.blk.nc_off,
			                           o->u.blk.iv, o->u.blk.stream, src, out.p);
			written = in.len;
		} else {
			rc = blk_update(o, src, in.len, out.p, &written);
		}
		state_reset(o);
		break;
	}
	case C_AE: {
		if (o->mode != TEE_MODE_ENCRYPT)
			return BADP(r);
		if (o->state != ST_ACTIVE)
			return BADSTATE(r);
		TEE_Result res = ccm_check(o, in.len, 1, r);
		if (res != TEE_SUCCESS)
			return res;
		size_t need = in.len + o->tag_len;
		if (out.len < need) {
			r->w[1] = need;
			return TEE_ERROR_SHORT_BUFFER;
		}
		uint8_t tag[16];
		rc = ae_update(o, stage(&in, &out, 0), in.len, out.p);
		if (!rc)
			rc = ae_tag(o, tag);
		if (!rc)
			memcpy(out.p + in.len, tag, o->tag_len);
		written = need;
		r->w[2] = o->tag_len;
		state_reset(o);
		break;
	}
	default:
		return BADP(r);
	}
	if (rc)
		return mbed_err(r, rc);
	r->w[1] = written;
	return TEE_SUCCESS;
}

TEE_Result op_final_check(struct client *c, const uint64_t *w, struct reply *r)
{
	struct op *o = op_lookup(c, w[1]);
	if (!o)
		return bad_id(r);
	struct span in, chk;
	if (!span_get(c, w[2], &in) || !span_get(c, w[3], &chk))
		return BADSPAN(r);
	if (o->cls != C_MAC && !(o->cls == C_AE && o->mode == TEE_MODE_DECRYPT))
		return BADP(r);
	if (o->state != ST_ACTIVE)
		return BADSTATE(r);
	/* The request and the expected tag, copied once. */
	struct crypto_check_req req;
	uint8_t expect[MBEDTLS_MD_MAX_SIZE];
	if (chk.len < sizeof(req))
		return BADP(r);
	memcpy(&req, chk.p, sizeof(req));
	if (req.tag_len > sizeof(expect) || req.tag_len > chk.len - sizeof(req))
		return BADP(r);
	memcpy(expect, chk.p + sizeof(req), req.tag_len);
	int rc;
	TEE_Result res = TEE_SUCCESS;
	if (o->cls == C_MAC) {
		uint8_t mac[MBEDTLS_MD_MAX_SIZE];
		size_t n = mac_len(o);
		rc = mac_finish(o, &in, mac);
		o->state = ST_INITIAL;
		if (rc)
			return mbed_err(r, rc);
		if (req.tag_len != n || ct_compare(mac, expect, n))
			res = fail(r, TEE_ERROR_MAC_INVALID, CRYPTO_REASON_NONE);
		return res;
	}
	struct span out;
	if (!span_area(c, req.out_off, req.out_cap, &out))
		return BADSPAN(r);
	res = ccm_check(o, in.len, 1, r);
	if (res != TEE_SUCCESS)
		return res;
	if (out.len < in.len) {
		r->w[1] = in.len;
		return TEE_ERROR_SHORT_BUFFER;
	}
	uint8_t tag[16];
	rc = ae_update(o, stage(&in, &out, 0), in.len, out.p);
	if (!rc)
		rc = ae_tag(o, tag);
	state_reset(o);
	if (rc)
		return mbed_err(r, rc);
	if (req.tag_len != o->tag_len || ct_compare(tag, expect, o->tag_len)) {
		/* Release no plaintext of the last part. */
		memset(out.p, 0, in.len);
		return fail(r, TEE_ERROR_MAC_INVALID, CRYPTO_REASON_NONE);
	}
	r->w[1] = in.len;
	return TEE_SUCCESS;
}

/* A request with CRYPTO_OP_F_INIT (crypto_ipc.h): INIT with the header and
 * IV at the start of w2's span, then the request on the rest of it. */
TEE_Result op_with_init(struct client *c, const uint64_t *w, struct reply *r)
{
	uint64_t code = w[0] & ~(uint64_t)CRYPTO_OP_F_INIT;
	if (code != CRYPTO_OP_UPDATE && code != CRYPTO_OP_UPDATE_AAD && code != CRYPTO_OP_FINAL &&
	    code != CRYPTO_OP_FINAL_CHECK)
		return fail(r, TEE_ERROR_NOT_SUPPORTED, CRYPTO_REASON_NONE);
	struct span in;
	if (!span_get(c, w[2], &in))
		return BADSPAN(r);
	struct crypto_init_req req; /* read once */
	if (in.len < sizeof(req))
		return BADP(r);
	memcpy(&req, in.p, sizeof(req));
	if (req.iv_len > CRYPTO_INIT_IV_MAX || req.reserved)
		return BADP(r);
	uint32_t head = (uint32_t)CRYPTO_INIT_REQ_SIZE(req.iv_len);
	if (in.len < head)
		return BADP(r);
	/* Inside the window, which is far smaller than 4 GiB: no wrap. */
	uint32_t off = CRYPTO_SPAN_OFF(w[2]);
	const uint64_t init[4] = {CRYPTO_OP_INIT, w[1], CRYPTO_SPAN(off + sizeof(req), req.iv_len),
	                          req.params};
	TEE_Result res = op_init(c, init, r);
	if (res != TEE_SUCCESS)
		return res;
	const uint64_t rest[4] = {code, w[1], CRYPTO_SPAN(off + head, in.len - head), w[3]};
	switch (code) {
	case CRYPTO_OP_UPDATE:
		return op_update(c, rest, r);
	case CRYPTO_OP_UPDATE_AAD:
		return op_update_aad(c, rest, r);
	case CRYPTO_OP_FINAL:
		return op_final(c, rest, r);
	default:
		return op_final_check(c, rest, r);
	}
}
