/* What lib/tee knows about algorithms and object types: the GP tables the
 * API checks against (classes, modes, key types and sizes, mandatory
 * attributes), and TEE_IsAlgorithmSupported. The crypto service decides
 * what it actually implements; lib/tee refuses early what GP forbids. */
#include "tee_crypto.h"

#define M(mode)  (1U << (mode))
#define M_CIPHER (M(TEE_MODE_ENCRYPT) | M(TEE_MODE_DECRYPT))
#define M_SIGN   (M(TEE_MODE_SIGN) | M(TEE_MODE_VERIFY))

/* GP v1.1 identifiers that TAs built against older headers still pass:
 * ECDSA and ECDH with the curve in the algorithm. (Our headers map the old
 * names to the v1.3 values; the service accepts both.) */
#define OLD_ECDSA_P192 0x70001041U
#define OLD_ECDSA_P224 0x70002041U
#define OLD_ECDSA_P256 0x70003041U
#define OLD_ECDSA_P384 0x70004041U
#define OLD_ECDSA_P521 0x70005041U
#define OLD_ECDH_P192  0x80001042U
#define OLD_ECDH_P224  0x80002042U
#define OLD_ECDH_P256  0x80003042U
#define OLD_ECDH_P384  0x80004042U
#define OLD_ECDH_P521  0x80005042U

/* clang-format off */
#define CIPHER(id, fl) {id, TEE_OPERATION_CIPHER, M_CIPHER, fl, 0, 16, TEE_TYPE_AES, 0}
#define DIGEST(id, n) {id, TEE_OPERATION_DIGEST, M(TEE_MODE_DIGEST), 0, n, 0, 0, 0}
#define HMAC(id, n, t) {id, TEE_OPERATION_MAC, M(TEE_MODE_MAC), 0, n, 0, t, 0}
#define RSAES(id) {id, TEE_OPERATION_ASYMMETRIC_CIPHER, M_CIPHER, 0, 0, 0, TEE_TYPE_RSA_KEYPAIR, 0}
#define RSASSA(id, n, fl) \
	{id, TEE_OPERATION_ASYMMETRIC_SIGNATURE, M_SIGN, fl, n, 0, TEE_TYPE_RSA_KEYPAIR, 0}
#define ECDSA(id, n, fl, bits) \
	{id, TEE_OPERATION_ASYMMETRIC_SIGNATURE, M_SIGN, fl, n, 0, TEE_TYPE_ECDSA_KEYPAIR, bits}
#define DERIVE(id, t, fl, bits) \
	{id, TEE_OPERATION_KEY_DERIVATION, M(TEE_MODE_DERIVE), fl, 0, 0, t, bits}

static const struct tee_alg algs[] = {
	CIPHER(TEE_ALG_AES_ECB_NOPAD, ALG_BLOCKED),
	CIPHER(TEE_ALG_AES_CBC_NOPAD, ALG_BLOCKED | ALG_NEEDS_IV),
	CIPHER(TEE_ALG_AES_CTR, ALG_NEEDS_IV),
	CIPHER(TEE_ALG_AES_XTS, ALG_NEEDS_IV | ALG_TWO_KEYS | ALG_TWO_BLOCKS),
	CIPHER(TEE_ALG_AES_CTS, ALG_NEEDS_IV | ALG_TWO_BLOCKS),
	{TEE_ALG_AES_CMAC, TEE_OPERATION_MAC, M(TEE_MODE_MAC), 0, 16, 16, TEE_TYPE_AES, 0},
	{TEE_ALG_AES_GCM, TEE_OPERATION_AE, M_CIPHER, 0, 0, 16, TEE_TYPE_AES, 0},
	{TEE_ALG_AES_CCM, TEE_OPERATION_AE, M_CIPHER, 0, 0, 16, TEE_TYPE_AES, 0},
	DIGEST(TEE_ALG_MD5, 16),
	DIGEST(TEE_ALG_SHA1, 20),
	DIGEST(TEE_ALG_SHA224, 28),
	DIGEST(TEE_ALG_SHA256, 32),
	DIGEST(TEE_ALG_SHA384, 48),
	DIGEST(TEE_ALG_SHA512, 64),
	HMAC(TEE_ALG_HMAC_MD5, 16, TEE_TYPE_HMAC_MD5),
	HMAC(TEE_ALG_HMAC_SHA1, 20, TEE_TYPE_HMAC_SHA1),
	HMAC(TEE_ALG_HMAC_SHA224, 28, TEE_TYPE_HMAC_SHA224),
	HMAC(TEE_ALG_HMAC_SHA256, 32, TEE_TYPE_HMAC_SHA256),
	HMAC(TEE_ALG_HMAC_SHA384, 48, TEE_TYPE_HMAC_SHA384),
	HMAC(TEE_ALG_HMAC_SHA512, 64, TEE_TYPE_HMAC_SHA512),
	DIGEST(TEE_ALG_SHA3_224, 28),
	DIGEST(TEE_ALG_SHA3_256, 32),
	DIGEST(TEE_ALG_SHA3_384, 48),
	DIGEST(TEE_ALG_SHA3_512, 64),
	HMAC(TEE_ALG_HMAC_SHA3_224, 28, TEE_TYPE_HMAC_SHA3_224),
	HMAC(TEE_ALG_HMAC_SHA3_256, 32, TEE_TYPE_HMAC_SHA3_256),
	HMAC(TEE_ALG_HMAC_SHA3_384, 48, TEE_TYPE_HMAC_SHA3_384),
	HMAC(TEE_ALG_HMAC_SHA3_512, 64, TEE_TYPE_HMAC_SHA3_512),
	RSAES(TEE_ALG_RSAES_PKCS1_V1_5),
	RSAES(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA1),
	RSAES(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA224),
	RSAES(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA256),
	RSAES(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA384),
	RSAES(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA512),
	RSAES(TEE_ALG_RSA_NOPAD),
	RSASSA(TEE_ALG_RSASSA_PKCS1_V1_5_MD5, 16, 0),
	RSASSA(TEE_ALG_RSASSA_PKCS1_V1_5_SHA1, 20, 0),
	RSASSA(TEE_ALG_RSASSA_PKCS1_V1_5_SHA224, 28, 0),
	RSASSA(TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, 32, 0),
	RSASSA(TEE_ALG_RSASSA_PKCS1_V1_5_SHA384, 48, 0),
	RSASSA(TEE_ALG_RSASSA_PKCS1_V1_5_SHA512, 64, 0),
	RSASSA(TEE_ALG_RSASSA_PKCS1_V1_5, 0, ALG_RAW_SIGN),
	RSASSA(TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA1, 20, 0),
	RSASSA(TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA224, 28, 0),
	RSASSA(TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA256, 32, 0),
	RSASSA(TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA384, 48, 0),
	RSASSA(TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA512, 64, 0),
	/* ECDSA: the digest may be of any length (it is cut to the curve's). */
	ECDSA(TEE_ALG_ECDSA_SHA1, 20, ALG_RAW_SIGN, 0),
	ECDSA(TEE_ALG_ECDSA_SHA224, 28, ALG_RAW_SIGN, 0),
	ECDSA(TEE_ALG_ECDSA_SHA256, 32, ALG_RAW_SIGN, 0),
	ECDSA(TEE_ALG_ECDSA_SHA384, 48, ALG_RAW_SIGN, 0),
	ECDSA(TEE_ALG_ECDSA_SHA512, 64, ALG_RAW_SIGN, 0),
	ECDSA(OLD_ECDSA_P192, 20, ALG_RAW_SIGN | ALG_FIXED_KEY, 192),
	ECDSA(OLD_ECDSA_P224, 28, ALG_RAW_SIGN | ALG_FIXED_KEY, 224),
	ECDSA(OLD_ECDSA_P256, 32, ALG_RAW_SIGN | ALG_FIXED_KEY, 256),
	ECDSA(OLD_ECDSA_P384, 48, ALG_RAW_SIGN | ALG_FIXED_KEY, 384),
	ECDSA(OLD_ECDSA_P521, 64, ALG_RAW_SIGN | ALG_FIXED_KEY, 521),
	DERIVE(TEE_ALG_ECDH_DERIVE_SHARED_SECRET, TEE_TYPE_ECDH_KEYPAIR, 0, 0),
	DERIVE(OLD_ECDH_P192, TEE_TYPE_ECDH_KEYPAIR, ALG_FIXED_KEY, 192),
	DERIVE(OLD_ECDH_P224, TEE_TYPE_ECDH_KEYPAIR, ALG_FIXED_KEY, 224),
	DERIVE(OLD_ECDH_P256, TEE_TYPE_ECDH_KEYPAIR, ALG_FIXED_KEY, 256),
	DERIVE(OLD_ECDH_P384, TEE_TYPE_ECDH_KEYPAIR, ALG_FIXED_KEY, 384),
	DERIVE(OLD_ECDH_P521, TEE_TYPE_ECDH_KEYPAIR, ALG_FIXED_KEY, 521),
	DERIVE(TEE_ALG_X25519, TEE_TYPE_X25519_KEYPAIR, ALG_FIXED_KEY, 256),
	DERIVE(TEE_ALG_DH_DERIVE_SHARED_SECRET, TEE_TYPE_DH_KEYPAIR, 0, 0),
	DERIVE(TEE_ALG_HKDF, TEE_TYPE_HKDF, 0, 0),
	DERIVE(TEE_ALG_CONCAT_KDF_SHA1_DERIVE_KEY, TEE_TYPE_CONCAT_KDF_Z, 0, 0),
	DERIVE(TEE_ALG_CONCAT_KDF_SHA224_DERIVE_KEY, TEE_TYPE_CONCAT_KDF_Z, 0, 0),
	DERIVE(TEE_ALG_CONCAT_KDF_SHA256_DERIVE_KEY, TEE_TYPE_CONCAT_KDF_Z, 0, 0),
	DERIVE(TEE_ALG_CONCAT_KDF_SHA384_DERIVE_KEY, TEE_TYPE_CONCAT_KDF_Z, 0, 0),
	DERIVE(TEE_ALG_CONCAT_KDF_SHA512_DERIVE_KEY, TEE_TYPE_CONCAT_KDF_Z, 0, 0),
	DERIVE(TEE_ALG_PBKDF2_HMAC_SHA1_DERIVE_KEY, TEE_TYPE_PBKDF2_PASSWORD, 0, 0),
	DERIVE(TEE_ALG_PBKDF2_HMAC_SHA224_DERIVE_KEY, TEE_TYPE_PBKDF2_PASSWORD, 0, 0),
	DERIVE(TEE_ALG_PBKDF2_HMAC_SHA256_DERIVE_KEY, TEE_TYPE_PBKDF2_PASSWORD, 0, 0),
	DERIVE(TEE_ALG_PBKDF2_HMAC_SHA384_DERIVE_KEY, TEE_TYPE_PBKDF2_PASSWORD, 0, 0),
	DERIVE(TEE_ALG_PBKDF2_HMAC_SHA512_DERIVE_KEY, TEE_TYPE_PBKDF2_PASSWORD, 0, 0),
	DERIVE(TEE_ALG_HKDF_MD5_DERIVE_KEY, TEE_TYPE_HKDF_IKM, 0, 0),
	DERIVE(TEE_ALG_HKDF_SHA1_DERIVE_KEY, TEE_TYPE_HKDF_IKM, 0, 0),
	DERIVE(TEE_ALG_HKDF_SHA224_DERIVE_KEY, TEE_TYPE_HKDF_IKM, 0, 0),
	DERIVE(TEE_ALG_HKDF_SHA256_DERIVE_KEY, TEE_TYPE_HKDF_IKM, 0, 0),
	DERIVE(TEE_ALG_HKDF_SHA384_DERIVE_KEY, TEE_TYPE_HKDF_IKM, 0, 0),
	DERIVE(TEE_ALG_HKDF_SHA512_DERIVE_KEY, TEE_TYPE_HKDF_IKM, 0, 0),
};

/* clang-format on */

const struct tee_alg *tee_alg_find(uint32_t id)
{
	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
		if (algs[i].id == id)
			return &algs[i];
	return 0;
}

/* ---- object types (GP Table 5-9 sizes, Table 5-10 attributes) ---- */

static const uint32_t secret_attrs[] = {TEE_ATTR_SECRET_VALUE, 0};
static const uint32_t hkdf_attrs[] = {TEE_ATTR_HKDF_IKM, 0};
static const uint32_t concat_attrs[] = {TEE_ATTR_CONCAT_KDF_Z, 0};
static const uint32_t pbkdf2_attrs[] = {TEE_ATTR_PBKDF2_PASSWORD, 0};
static const uint32_t none[] = {0};
static const uint32_t rsa_pub[] = {TEE_ATTR_RSA_MODULUS, TEE_ATTR_RSA_PUBLIC_EXPONENT, 0};
static const uint32_t rsa_pair[] = {TEE_ATTR_RSA_MODULUS, TEE_ATTR_RSA_PUBLIC_EXPONENT,
                                    TEE_ATTR_RSA_PRIVATE_EXPONENT, 0};
static const uint32_t rsa_crt[] = {TEE_ATTR_RSA_PRIME1,      TEE_ATTR_RSA_PRIME2,
                                   TEE_ATTR_RSA_EXPONENT1,   TEE_ATTR_RSA_EXPONENT2,
                                   TEE_ATTR_RSA_COEFFICIENT, 0};
static const uint32_t rsa_gen[] = {TEE_ATTR_RSA_PUBLIC_EXPONENT, 0};
static const uint32_t ec_pub[] = {TEE_ATTR_ECC_PUBLIC_VALUE_X, TEE_ATTR_ECC_PUBLIC_VALUE_Y,
                                  TEE_ATTR_ECC_CURVE, 0};
static const uint32_t ec_pair[] = {TEE_ATTR_ECC_PUBLIC_VALUE_X, TEE_ATTR_ECC_PUBLIC_VALUE_Y,
                                   TEE_ATTR_ECC_CURVE, TEE_ATTR_ECC_PRIVATE_VALUE, 0};
static const uint32_t ec_gen[] = {TEE_ATTR_ECC_CURVE, 0};
static const uint32_t dh_pair[] = {TEE_ATTR_DH_PRIME, TEE_ATTR_DH_BASE, TEE_ATTR_DH_PUBLIC_VALUE,
                                   TEE_ATTR_DH_PRIVATE_VALUE, 0};
static const uint32_t dh_opt[] = {TEE_ATTR_DH_SUBPRIME, TEE_ATTR_DH_X_BITS, 0};
static const uint32_t dh_gen[] = {TEE_ATTR_DH_PRIME, TEE_ATTR_DH_BASE, 0};
static const uint32_t x_pub[] = {TEE_ATTR_X25519_PUBLIC_VALUE, 0};
static const uint32_t x_pair[] = {TEE_ATTR_X25519_PUBLIC_VALUE, TEE_ATTR_X25519_PRIVATE_VALUE, 0};

/* clang-format off */
#define SECRET(t, lo, hi, st) {t, lo, hi, st, 0, secret_attrs, none, none, none}

static const struct tee_type types[] = {
	{TEE_TYPE_AES, 128, 256, 0, 192, secret_attrs, none, none, none},
	/* DES: the sizes leave out the parity bits (a key of 8, 16 or 24 bytes). */
	SECRET(TEE_TYPE_DES, 56, 56, 56),
	SECRET(TEE_TYPE_DES3, 112, 168, 56),
	SECRET(TEE_TYPE_HMAC_MD5, 64, 512, 8),
	SECRET(TEE_TYPE_HMAC_SHA1, 80, 512, 8),
	SECRET(TEE_TYPE_HMAC_SHA224, 112, 512, 8),
	SECRET(TEE_TYPE_HMAC_SHA256, 192, 1024, 8),
	SECRET(TEE_TYPE_HMAC_SHA384, 256, 1024, 8),
	SECRET(TEE_TYPE_HMAC_SHA512, 256, 1024, 8),
	SECRET(TEE_TYPE_HMAC_SHA3_224, 192, 1024, 8),
	SECRET(TEE_TYPE_HMAC_SHA3_256, 256, 1024, 8),
	SECRET(TEE_TYPE_HMAC_SHA3_384, 256, 1024, 8),
	SECRET(TEE_TYPE_HMAC_SHA3_512, 256, 1024, 8),
	SECRET(TEE_TYPE_GENERIC_SECRET, 8, 4096, 8),
	{TEE_TYPE_HKDF_IKM, 8, 4096, 8, 0, hkdf_attrs, none, none, none},
	SECRET(TEE_TYPE_HKDF, 8, 4096, 8),
	{TEE_TYPE_CONCAT_KDF_Z, 8, 4096, 8, 0, concat_attrs, none, none, none},
	{TEE_TYPE_PBKDF2_PASSWORD, 8, 4096, 8, 0, pbkdf2_attrs, none, none, none},
	{TEE_TYPE_RSA_PUBLIC_KEY, 256, 4096, 1, 0, rsa_pub, none, 0, 0},
	{TEE_TYPE_RSA_KEYPAIR, 256, 4096, 1, 0, rsa_pair, rsa_crt, none, rsa_gen},
	{TEE_TYPE_ECDSA_PUBLIC_KEY, 160, 521, 1, 0, ec_pub, none, 0, 0},
	{TEE_TYPE_ECDSA_KEYPAIR, 160, 521, 1, 0, ec_pair, none, ec_gen, none},
	{TEE_TYPE_ECDH_PUBLIC_KEY, 160, 521, 1, 0, ec_pub, none, 0, 0},
	{TEE_TYPE_ECDH_KEYPAIR, 160, 521, 1, 0, ec_pair, none, ec_gen, none},
	{TEE_TYPE_DH_KEYPAIR, 256, 2048, 8, 0, dh_pair, dh_opt, dh_gen, dh_opt},
	{TEE_TYPE_X25519_PUBLIC_KEY, 256, 256, 1, 0, x_pub, none, 0, 0},
	{TEE_TYPE_X25519_KEYPAIR, 256, 256, 1, 0, x_pair, none, none, none},
};

/* clang-format on */

const struct tee_type *tee_type_find(uint32_t type)
{
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].type == type)
			return &types[i];
	return 0;
}

bool tee_type_size_ok(const struct tee_type *t, uint32_t bits)
{
	if (!t->step)
		return bits == t->min || bits == t->mid || bits == t->max;
	return bits >= t->min && bits <= t->max && (bits - t->min) % t->step == 0;
}

const uint32_t *tee_type_rsa_crt(void)
{
	return rsa_crt;
}

uint32_t tee_type_keypair(uint32_t type)
{
	switch (type) {
	case TEE_TYPE_RSA_PUBLIC_KEY:
		return TEE_TYPE_RSA_KEYPAIR;
	case TEE_TYPE_ECDSA_PUBLIC_KEY:
		return TEE_TYPE_ECDSA_KEYPAIR;
	case TEE_TYPE_ECDH_PUBLIC_KEY:
		return TEE_TYPE_ECDH_KEYPAIR;
	case TEE_TYPE_X25519_PUBLIC_KEY:
		return TEE_TYPE_X25519_KEYPAIR;
	default:
		return type;
	}
}

bool tee_type_is_secret(uint32_t type)
{
	const struct tee_type *t = tee_type_find(type);
	return t && (t->mandatory == secret_attrs || t->mandatory == hkdf_attrs ||
	             t->mandatory == concat_attrs || t->mandatory == pbkdf2_attrs);
}

uint32_t tee_curve_bits(uint32_t curve)
{
	switch (curve) {
	case TEE_ECC_CURVE_NIST_P192:
		return 192;
	case TEE_ECC_CURVE_NIST_P224:
		return 224;
	case TEE_ECC_CURVE_NIST_P256:
		return 256;
	case TEE_ECC_CURVE_NIST_P384:
		return 384;
	case TEE_ECC_CURVE_NIST_P521:
		return 521;
	default:
		return 0;
	}
}

/* The curves the crypto service's mbedTLS is built with. */
bool tee_curve_supported(uint32_t curve)
{
	return tee_curve_bits(curve) != 0;
}

/* ---- TEE_IsAlgorithmSupported ----
 * The answer comes from the service: lib/tee asks it to allocate an
 * operation of the algorithm (and frees it), once per algorithm. */

#define PROBE_CACHE 16
static struct {
	uint32_t alg, epoch;
	TEE_Result res;
} probes[PROBE_CACHE];
static unsigned nprobes;

static TEE_Result probe(const struct tee_alg *a)
{
	for (unsigned i = 0; i < nprobes; i++)
		if (probes[i].alg == a->id && probes[i].epoch == tee_cs_epoch)
			return probes[i].res;
	uint32_t mode = __builtin_ctz(a->modes);
	/* A key size every implementation of the algorithm takes. */
	uint32_t bits = 0;
	if (a->flags & ALG_FIXED_KEY)
		bits = a->key_bits;
	else if (a->key_type == TEE_TYPE_RSA_KEYPAIR)
		bits = 2048;
	else if (a->key_type == TEE_TYPE_ECDSA_KEYPAIR || a->key_type == TEE_TYPE_ECDH_KEYPAIR)
		bits = 256;
	else if (a->key_type)
		bits =
		    tee_type_find(a->key_type)->min < 128 ? 128 : tee_type_find(a->key_type)->min;
	TEE_Result res = tee_cs_begin(0);
	if (res != TEE_SUCCESS)
		return TEE_ERROR_NOT_SUPPORTED;
	uint64_t w[4] = {CRYPTO_OP_ALLOC, a->id, mode, bits};
	res = tee_cs_call_fresh(w);
	if (res == TEE_SUCCESS) {
		uint64_t f[4] = {CRYPTO_OP_FREE, w[1], 0, 0};
		tee_cs_call(f);
	} else if (res == TEE_ERROR_COMMUNICATION) {
		return TEE_ERROR_NOT_SUPPORTED; /* not cached: ask again later */
	}
	res = res == TEE_SUCCESS ? TEE_SUCCESS : TEE_ERROR_NOT_SUPPORTED;
	unsigned slot = nprobes < PROBE_CACHE ? nprobes++ : a->id % PROBE_CACHE;
	probes[slot].alg = a->id;
	probes[slot].epoch = tee_cs_epoch;
	probes[slot].res = res;
	return res;
}

TEE_Result TEE_IsAlgorithmSupported(uint32_t algId, uint32_t element)
{
	const struct tee_alg *a = tee_alg_find(algId);
	if (!a)
		return TEE_ERROR_NOT_SUPPORTED;
	bool ec = a->key_type == TEE_TYPE_ECDSA_KEYPAIR || a->key_type == TEE_TYPE_ECDH_KEYPAIR;
	if (a->key_type == TEE_TYPE_X25519_KEYPAIR) {
		if (element != TEE_ECC_CURVE_25519)
			return TEE_ERROR_NOT_SUPPORTED;
	} else if (ec) {
		if (!tee_curve_supported(element))
			return TEE_ERROR_NOT_SUPPORTED;
		if ((a->flags & ALG_FIXED_KEY) && tee_curve_bits(element) != a->key_bits)
			return TEE_ERROR_NOT_SUPPORTED;
	} else if (element != TEE_CRYPTO_ELEMENT_NONE) {
		return TEE_ERROR_NOT_SUPPORTED;
	}
	return probe(a);
}
