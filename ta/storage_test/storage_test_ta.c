/* storage_test: a TA that uses GP persistent objects (lib/tee/storage.c,
 * the storage service) for tests/progs/test_storage: a self-test of every
 * storage function and its GP error cases (SELFTEST), and simple commands
 * the test program combines across TAs, boots and service restarts.
 * ta/storage_peer builds this same file under another UUID. */
#include <stdio.h>
#include <string.h>

#include <storage_test_ta.h>
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

/* Below the GP API, for the stored-attribute checks (sub.mk). */
#include "../../include/microtee/crypto_ipc.h"
#include "../../include/microtee/storage_ipc.h"
#include "mt.h"
#include "tee_crypto.h"
#include "tee_rt.h"

#define RW (TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_ACCESS_WRITE)
#define META TEE_DATA_FLAG_ACCESS_WRITE_META
#define SHARE (TEE_DATA_FLAG_SHARE_READ | TEE_DATA_FLAG_SHARE_WRITE)
/* The storage under test: TEE_STORAGE_PRIVATE unless the command names
 * another; `nw`: a normal world with tee-supplicant is behind the call. */
static uint32_t store = TEE_STORAGE_PRIVATE;
static int nw;
#define PRIV store

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t types, TEE_Param params[4], void **ctx)
{
	(void)types;
	(void)params;
	(void)ctx;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *ctx)
{
	(void)ctx;
}

/* ---- SELFTEST ---- */

static unsigned run, failed;

#define T(cond)                                                                                \
	do {                                                                                   \
		run++;                                                                         \
		if (!(cond)) {                                                                 \
			failed++;                                                              \
			printf("[storage_test] check failed at line %d: %s\n", __LINE__, #cond); \
		}                                                                              \
	} while (0)

static uint8_t big[16385], back[16385];

static TEE_Result create(const char *id, uint32_t flags, const void *data, size_t len,
			 TEE_ObjectHandle *h)
{
	return TEE_CreatePersistentObject(PRIV, id, strlen(id), flags, TEE_HANDLE_NULL, data, len, h);
}

static TEE_Result open_obj(const char *id, uint32_t flags, TEE_ObjectHandle *h)
{
	return TEE_OpenPersistentObject(PRIV, id, strlen(id), flags, h);
}

static void remove_obj(const char *id)
{
	TEE_ObjectHandle h;
	if (open_obj(id, META, &h) == TEE_SUCCESS)
		TEE_CloseAndDeletePersistentObject1(h);
}

/* ---- stored attributes ---- */

static const uint8_t aes_key[32] = {
    0x60, 0x3d, 0xeb, 0x10, 0x15, 0xca, 0x71, 0xbe, 0x2b, 0x73, 0xae, 0xf0, 0x85, 0x7d, 0x77, 0x81,
    0x1f, 0x35, 0x2c, 0x07, 0x3b, 0x61, 0x08, 0xd7, 0x2d, 0x98, 0x10, 0xa3, 0x09, 0x14, 0xdf, 0xf4};
static const char msg[32] = "persistent keys, 32 bytes long.";

static unsigned backend(void)
{
	return store == TEE_STORAGE_PRIVATE_REE ? STORE_BACKEND_REE : STORE_BACKEND_FLASH;
}

/* A storage request of our own: w in, the reply's words out. */
static TEE_Result raw_store(uint64_t w[4], unsigned long shm)
{
	struct mt_msg m = {{w[0], w[1], w[2], w[3]}, shm, 0};
	if (mt_call(tee_rt_storage_ep, &m) != MT_OK)
		return TEE_ERROR_COMMUNICATION;
	for (int i = 0; i < 4; i++)
		w[i] = m.w[i];
	return (TEE_Result)m.w[0];
}

/* An object's attributes as the service stores them. */
static TEE_Result raw_attrs(const char *id, uint8_t *out, size_t *len)
{
	unsigned long shm;
	uint8_t *win = tee_rt_window(64 + STORE_ATTRS_MAX, &shm);
	size_t l = strlen(id);
	if (!win)
		return TEE_ERROR_OUT_OF_MEMORY;
	memcpy(win, id, l);
	uint64_t w[4] = {STORE_OP_OPEN, STORE_FLAGS(TEE_DATA_FLAG_ACCESS_READ, backend()),
	                 STORE_SPAN(0, l), STORE_SPAN(64, STORE_ATTRS_MAX)};
	TEE_Result res = raw_store(w, shm);
	if (res != TEE_SUCCESS)
		return res;
	*len = w[3];
	memcpy(out, win + 64, w[3]);
	uint64_t c[4] = {STORE_OP_CLOSE, w[1], 0, 0};
	return raw_store(c, 0);
}

/* Stores attributes and data under id as they are, replacing it. */
static TEE_Result raw_put(const char *id, const uint8_t *attrs, size_t alen, const void *data,
                          size_t dlen)
{
	unsigned long shm;
	uint8_t *win = tee_rt_window(64 + alen + dlen, &shm);
	size_t l = strlen(id);
	if (!win)
		return TEE_ERROR_OUT_OF_MEMORY;
	memcpy(win, id, l);
	memcpy(win + 64, attrs, alen);
	memcpy(win + 64 + alen, data, dlen);
	uint64_t w[4] = {STORE_OP_CREATE,
	                 STORE_FLAGS(RW | TEE_DATA_FLAG_OVERWRITE, backend()) |
	                     STORE_FLAGS_ATTRS(alen),
	                 STORE_SPAN(0, l), STORE_SPAN(64, alen + dlen)};
	TEE_Result res = raw_store(w, shm);
	if (res != TEE_SUCCESS)
		return res;
	uint64_t c[4] = {STORE_OP_CLOSE, w[1], 0, 0};
	return raw_store(c, 0);
}

/* Deletes id below the GP API (an object TEE_OpenPersistentObject refuses). */
static TEE_Result raw_del(const char *id)
{
	unsigned long shm;
	uint8_t *win = tee_rt_window(64 + STORE_ATTRS_MAX, &shm);
	size_t l = strlen(id);
	if (!win)
		return TEE_ERROR_OUT_OF_MEMORY;
	memcpy(win, id, l);
	uint64_t w[4] = {STORE_OP_OPEN, STORE_FLAGS(META, backend()), STORE_SPAN(0, l),
	                 STORE_SPAN(64, STORE_ATTRS_MAX)};
	TEE_Result res = raw_store(w, shm);
	if (res != TEE_SUCCESS)
		return res;
	uint64_t d[4] = {STORE_OP_DELETE, w[1], 0, 0};
	return raw_store(d, 0);
}

/* A crypto-service request of our own. */
static TEE_Result raw_crypto(uint64_t w[4], uint8_t **win)
{
	TEE_Result res = tee_cs_begin(win);
	return res == TEE_SUCCESS ? tee_cs_call(w) : res;
}

/* The crypto service's import of a blob (stored attributes' tail). */
static TEE_Result raw_import(const uint8_t *attrs, size_t alen)
{
	uint8_t *win;
	struct store_attrs_header hd;
	if (alen < sizeof(hd) || tee_cs_begin(&win) != TEE_SUCCESS)
		return TEE_ERROR_GENERIC;
	memcpy(&hd, attrs, sizeof(hd));
	if (hd.blob_len > alen - sizeof(hd))
		return TEE_ERROR_GENERIC;
	memcpy(win, attrs + sizeof(hd), hd.blob_len);
	uint64_t w[4] = {CRYPTO_OP_OBJ_IMPORT, CRYPTO_SPAN(0, hd.blob_len), 0, 0};
	TEE_Result res = raw_crypto(w, &win);
	if (res == TEE_SUCCESS) { /* ours: free it again */
		uint64_t f[4] = {CRYPTO_OP_OBJ_FREE, w[1], 0, 0};
		raw_crypto(f, &win);
	}
	return res;
}

static TEE_Result aes_transient(TEE_ObjectHandle *t)
{
	TEE_Attribute a;
	TEE_Result res = TEE_AllocateTransientObject(TEE_TYPE_AES, 256, t);
	if (res != TEE_SUCCESS)
		return res;
	TEE_InitRefAttribute(&a, TEE_ATTR_SECRET_VALUE, aes_key, sizeof(aes_key));
	return TEE_PopulateTransientObject(*t, &a, 1);
}

/* AES-ECB of msg under key: 32 bytes into out. */
static TEE_Result cipher(TEE_ObjectHandle key, uint8_t out[32])
{
	TEE_OperationHandle op;
	size_t n = 32;
	memset(out, 0, 32);
	TEE_Result res = TEE_AllocateOperation(&op, TEE_ALG_AES_ECB_NOPAD, TEE_MODE_ENCRYPT, 256);
	if (res != TEE_SUCCESS)
		return res;
	if ((res = TEE_SetOperationKey(op, key)) == TEE_SUCCESS) {
		TEE_CipherInit(op, 0, 0);
		res = TEE_CipherDoFinal(op, msg, 32, out, &n);
	}
	TEE_FreeOperation(op);
	return res == TEE_SUCCESS && n != 32 ? TEE_ERROR_GENERIC : res;
}

/* A signature of SHA-256(msg) (alg on a key of bits), or its check. */
static TEE_Result sign(TEE_ObjectHandle key, uint32_t alg, uint32_t bits, uint8_t *sig, size_t *len,
                       int verify)
{
	TEE_OperationHandle op;
	uint8_t digest[32];
	size_t dlen = sizeof(digest);
	TEE_Result res = TEE_AllocateOperation(&op, TEE_ALG_SHA256, TEE_MODE_DIGEST, 0);
	if (res != TEE_SUCCESS)
		return res;
	res = TEE_DigestDoFinal(op, msg, sizeof(msg), digest, &dlen);
	TEE_FreeOperation(op);
	if (res != TEE_SUCCESS)
		return res;
	res = TEE_AllocateOperation(&op, alg, verify ? TEE_MODE_VERIFY : TEE_MODE_SIGN, bits);
	if (res != TEE_SUCCESS)
		return res;
	if ((res = TEE_SetOperationKey(op, key)) == TEE_SUCCESS)
		res = verify ? TEE_AsymmetricVerifyDigest(op, 0, 0, digest, dlen, sig, *len)
		             : TEE_AsymmetricSignDigest(op, 0, 0, digest, dlen, sig, len);
	TEE_FreeOperation(op);
	return res;
}

/* A new key pair (an ECC one on the NIST curve of that size). */
static TEE_Result generate(TEE_ObjectHandle t, uint32_t type, uint32_t bits)
{
	TEE_Attribute curve;
	if (type == TEE_TYPE_RSA_KEYPAIR)
		return TEE_GenerateKey(t, bits, 0, 0);
	TEE_InitValueAttribute(&curve, TEE_ATTR_ECC_CURVE, TEE_ECC_CURVE_NIST_P256, 0);
	return TEE_GenerateKey(t, bits, &curve, 1);
}

static int same_attr(TEE_ObjectHandle a, TEE_ObjectHandle b, uint32_t id)
{
	static uint8_t x[512], y[512];
	size_t xl = sizeof(x), yl = sizeof(y);
	return TEE_GetObjectBufferAttribute(a, id, x, &xl) == TEE_SUCCESS &&
	       TEE_GetObjectBufferAttribute(b, id, y, &yl) == TEE_SUCCESS && xl == yl && xl > 0 &&
	       memcmp(x, y, xl) == 0;
}

static uint8_t raw[STORE_ATTRS_MAX], raw2[STORE_ATTRS_MAX];

static void check_keys_aes(void)
{
	TEE_ObjectHandle t = TEE_HANDLE_NULL, h = TEE_HANDLE_NULL, h2 = TEE_HANDLE_NULL;
	TEE_ObjectInfo info;
	uint8_t ref[32], got[32], buf[40];
	size_t n = 0;
	remove_obj("key/aes");
	remove_obj("key/aes2");
	T(aes_transient(&t) == TEE_SUCCESS && cipher(t, ref) == TEE_SUCCESS);
	T(TEE_CreatePersistentObject(PRIV, "key/aes", 7, RW | META, t, "payload", 7, &h) ==
	  TEE_SUCCESS);
	/* The new handle is a key at once. */
	T(cipher(h, got) == TEE_SUCCESS && memcmp(got, ref, 32) == 0);
	TEE_CloseObject(h);
	T(open_obj("key/aes", RW | META, &h) == TEE_SUCCESS);
	T(TEE_GetObjectInfo1(h, &info) == TEE_SUCCESS && info.objectType == TEE_TYPE_AES &&
	  info.objectSize == 256 && info.maxObjectSize == 256 && info.objectUsage == 0xFFFFFFFFU &&
	  info.dataSize == 7 && info.dataPosition == 0 &&
	  info.handleFlags ==
	      (TEE_HANDLE_FLAG_PERSISTENT | TEE_HANDLE_FLAG_INITIALIZED | RW | META));
	T(TEE_ReadObjectData(h, buf, sizeof(buf), &n) == TEE_SUCCESS && n == 7 &&
	  memcmp(buf, "payload", 7) == 0);
	T(cipher(h, got) == TEE_SUCCESS && memcmp(got, ref, 32) == 0);
	n = sizeof(buf);
	T(TEE_GetObjectBufferAttribute(h, TEE_ATTR_SECRET_VALUE, buf, &n) == TEE_SUCCESS &&
	  n == 32 && memcmp(buf, aes_key, 32) == 0);
	/* A persistent object as the attributes of another. */
	T(TEE_CreatePersistentObject(PRIV, "key/aes2", 8, TEE_DATA_FLAG_ACCESS_READ, h, 0, 0,
	                             &h2) == TEE_SUCCESS);
	T(TEE_GetObjectInfo1(h2, &info) == TEE_SUCCESS && info.objectType == TEE_TYPE_AES &&
	  info.objectSize == 256 && info.dataSize == 0);
	T(cipher(h2, got) == TEE_SUCCESS && memcmp(got, ref, 32) == 0);
	TEE_CloseObject(h2);
	/* The attributes count against the 16 KiB. */
	T(TEE_WriteObjectData(h, big, STORE_DATA_MAX) == TEE_ERROR_STORAGE_NO_SPACE);
	T(TEE_WriteObjectData(h, big, STORE_DATA_MAX - 1024) == TEE_SUCCESS);
	T(TEE_TruncateObjectData(h, 7) == TEE_SUCCESS);
	/* Restricted: stored, and enforced by the crypto service. */
	T(TEE_RestrictObjectUsage1(h, ~(uint32_t)TEE_USAGE_EXTRACTABLE) == TEE_SUCCESS);
	T(TEE_GetObjectInfo1(h, &info) == TEE_SUCCESS &&
	  info.objectUsage == ~(uint32_t)TEE_USAGE_EXTRACTABLE);
	TEE_CloseObject(h);
	T(open_obj("key/aes", TEE_DATA_FLAG_ACCESS_READ, &h) == TEE_SUCCESS);
	T(TEE_GetObjectInfo1(h, &info) == TEE_SUCCESS &&
	  info.objectUsage == ~(uint32_t)TEE_USAGE_EXTRACTABLE && info.dataSize == 7);
	T(cipher(h, got) == TEE_SUCCESS && memcmp(got, ref, 32) == 0);
	/* GP panics before asking; below the API the service says no, and
	 * the window holds no key byte. */
	uint8_t *win = 0;
	if (tee_cs_begin(&win) == TEE_SUCCESS) {
		memset(win, 0, 64);
		uint64_t w[4] = {CRYPTO_OP_OBJ_GET_ATTR, ((struct mt_tee_object *)h)->id,
		                 TEE_ATTR_SECRET_VALUE, CRYPTO_SPAN(0, 64)};
		T(raw_crypto(w, &win) == TEE_ERROR_ACCESS_DENIED);
		T(memcmp(win, aes_key, 8) != 0);
		/* An export is sealed: no key byte in it either. */
		uint64_t e[4] = {CRYPTO_OP_OBJ_EXPORT, ((struct mt_tee_object *)h)->id,
		                 CRYPTO_SPAN(0, 1024), 0};
		T(raw_crypto(e, &win) == TEE_SUCCESS && e[1] > 32 && e[1] <= 1024);
		int found = 0;
		for (size_t i = 0; i + 8 <= e[1]; i++)
			found |= memcmp(win + i, aes_key, 8) == 0;
		T(!found);
	} else {
		T(0);
	}
	/* The transient original is not restricted. */
	n = sizeof(buf);
	T(TEE_GetObjectBufferAttribute(t, TEE_ATTR_SECRET_VALUE, buf, &n) == TEE_SUCCESS);
	TEE_CloseObject(h);
	/* Damage: a flipped bit in the blob, a broken header, a blob cut short. */
	size_t alen = 0;
	T(raw_attrs("key/aes", raw, &alen) == TEE_SUCCESS && alen > 64);
	T(raw_import(raw, alen) == TEE_SUCCESS);
	memcpy(raw2, raw, alen);
	raw2[alen / 2] ^= 0x10;
	T(raw_import(raw2, alen) == TEE_ERROR_CORRUPT_OBJECT);
	T(raw_put("key/bad", raw2, alen, "x", 1) == TEE_SUCCESS);
	T(open_obj("key/bad", TEE_DATA_FLAG_ACCESS_READ, &h) == TEE_ERROR_CORRUPT_OBJECT &&
	  h == TEE_HANDLE_NULL);
	memcpy(raw2, raw, alen);
	raw2[0] ^= 1; /* the header's magic */
	T(raw_put("key/bad", raw2, alen, "x", 1) == TEE_SUCCESS);
	T(open_obj("key/bad", TEE_DATA_FLAG_ACCESS_READ, &h) == TEE_ERROR_CORRUPT_OBJECT);
	memcpy(raw2, raw, alen);
	((struct store_attrs_header *)raw2)->blob_len -= 4;
	T(raw_put("key/bad", raw2, alen - 4, "x", 1) == TEE_SUCCESS);
	T(open_obj("key/bad", TEE_DATA_FLAG_ACCESS_READ, &h) == TEE_ERROR_CORRUPT_OBJECT);
	T(raw_del("key/bad") == TEE_SUCCESS);
	T(open_obj("key/bad", TEE_DATA_FLAG_ACCESS_READ, &h) == TEE_ERROR_ITEM_NOT_FOUND);
	/* A data object's usage restriction is stored too. */
	T(create("key/data", RW | META | TEE_DATA_FLAG_OVERWRITE, "d", 1, &h) == TEE_SUCCESS);
	T(TEE_RestrictObjectUsage1(h, TEE_USAGE_ENCRYPT) == TEE_SUCCESS);
	TEE_CloseObject(h);
	T(open_obj("key/data", RW | META, &h) == TEE_SUCCESS);
	T(TEE_GetObjectInfo1(h, &info) == TEE_SUCCESS && info.objectType == TEE_TYPE_DATA &&
	  info.objectUsage == TEE_USAGE_ENCRYPT && info.dataSize == 1);
	n = sizeof(buf);
	T(TEE_GetObjectBufferAttribute(h, TEE_ATTR_RSA_MODULUS, buf, &n) ==
	  TEE_ERROR_ITEM_NOT_FOUND); /* a data object has no attributes */
	if (h != TEE_HANDLE_NULL)
		TEE_CloseAndDeletePersistentObject1(h);
	TEE_FreeTransientObject(t);
	remove_obj("key/aes");
	remove_obj("key/aes2");
	/* An AES key takes 152 bytes of the 16 KiB. */
	TEE_ObjectHandle key, h3;
	T(aes_transient(&key) == TEE_SUCCESS);
	T(TEE_CreatePersistentObject(PRIV, "self/k", 6, RW | TEE_DATA_FLAG_OVERWRITE, key, big,
	                             16384 - 152, &h3) == TEE_SUCCESS);
	TEE_CloseObject(h3);
	T(TEE_CreatePersistentObject(PRIV, "self/k", 6, RW | TEE_DATA_FLAG_OVERWRITE, key, big,
	                             16384 - 151, &h3) == TEE_ERROR_STORAGE_NO_SPACE);
	remove_obj("self/k");
	TEE_FreeTransientObject(key);
}

/* A key pair of type/bits, persisted under id; signatures of both agree. */
static void check_keys_pair(const char *id, uint32_t type, uint32_t bits, uint32_t alg,
                            uint32_t pub_attr)
{
	TEE_ObjectHandle t = TEE_HANDLE_NULL, h = TEE_HANDLE_NULL;
	TEE_ObjectInfo info;
	static uint8_t s1[512], s2[512];
	size_t l1 = sizeof(s1), l2 = sizeof(s2);
	remove_obj(id);
	T(TEE_AllocateTransientObject(type, bits, &t) == TEE_SUCCESS &&
	  generate(t, type, bits) == TEE_SUCCESS);
	T(TEE_CreatePersistentObject(PRIV, id, strlen(id), TEE_DATA_FLAG_ACCESS_READ | META, t, 0,
	                             0, 0) == TEE_SUCCESS);
	T(open_obj(id, TEE_DATA_FLAG_ACCESS_READ | META, &h) == TEE_SUCCESS);
	T(TEE_GetObjectInfo1(h, &info) == TEE_SUCCESS && info.objectType == type &&
	  info.objectSize == bits && info.maxObjectSize == bits && info.dataSize == 0);
	T(same_attr(t, h, pub_attr));
	T(sign(h, alg, bits, s1, &l1, 0) == TEE_SUCCESS);
	T(sign(t, alg, bits, s2, &l2, 0) == TEE_SUCCESS);
	if (type == TEE_TYPE_RSA_KEYPAIR) /* PKCS#1 v1.5: deterministic */
		T(l1 == l2 && memcmp(s1, s2, l1) == 0);
	/* Each verifies the other's. */
	T(sign(t, alg, bits, s1, &l1, 1) == TEE_SUCCESS);
	T(sign(h, alg, bits, s2, &l2, 1) == TEE_SUCCESS);
	s2[3] ^= 1;
	T(sign(h, alg, bits, s2, &l2, 1) == TEE_ERROR_SIGNATURE_INVALID);
	/* Not extractable: the public part still is. */
	T(TEE_RestrictObjectUsage1(h, ~(uint32_t)TEE_USAGE_EXTRACTABLE) == TEE_SUCCESS);
	TEE_CloseObject(h);
	T(open_obj(id, TEE_DATA_FLAG_ACCESS_READ | META, &h) == TEE_SUCCESS);
	T(same_attr(t, h, pub_attr));
	l1 = sizeof(s1);
	T(sign(h, alg, bits, s1, &l1, 0) == TEE_SUCCESS &&
	  sign(t, alg, bits, s1, &l1, 1) == TEE_SUCCESS);
	if (h != TEE_HANDLE_NULL)
		TEE_CloseAndDeletePersistentObject1(h);
	TEE_FreeTransientObject(t);
}

static void check_keys(unsigned part)
{
	if (part == 0)
		check_keys_aes();
	else if (part == 1)
		check_keys_pair("key/rsa", TEE_TYPE_RSA_KEYPAIR, 1024,
		                TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, TEE_ATTR_RSA_MODULUS);
	else
		check_keys_pair("key/ecc", TEE_TYPE_ECDSA_KEYPAIR, 256, TEE_ALG_ECDSA_P256,
		                TEE_ATTR_ECC_PUBLIC_VALUE_X);
}

/* KEYPUT and KEYCHECK: keys across a reboot, against what their transient
 * originals computed before it. */
static TEE_Result keys_put(void)
{
	TEE_ObjectHandle t = TEE_HANDLE_NULL;
	static uint8_t out[512];
	size_t n = sizeof(out);
	TEE_Result res;
	if ((res = aes_transient(&t)) != TEE_SUCCESS || (res = cipher(t, out)) != TEE_SUCCESS ||
	    (res = TEE_CreatePersistentObject(PRIV, "boot/aes", 8, RW | TEE_DATA_FLAG_OVERWRITE, t,
	                                      out, 32, 0)) != TEE_SUCCESS)
		return res;
	TEE_FreeTransientObject(t);
	static const struct {
		const char *id;
		uint32_t type, bits, alg;
	} pairs[] = {{"boot/rsa", TEE_TYPE_RSA_KEYPAIR, 1024, TEE_ALG_RSASSA_PKCS1_V1_5_SHA256},
	             {"boot/ecc", TEE_TYPE_ECDSA_KEYPAIR, 256, TEE_ALG_ECDSA_P256}};
	for (unsigned i = 0; i < 2; i++) {
		n = sizeof(out);
		if ((res = TEE_AllocateTransientObject(pairs[i].type, pairs[i].bits, &t)) !=
		        TEE_SUCCESS ||
		    (res = generate(t, pairs[i].type, pairs[i].bits)) != TEE_SUCCESS ||
		    (res = sign(t, pairs[i].alg, pairs[i].bits, out, &n, 0)) != TEE_SUCCESS ||
		    (res = TEE_CreatePersistentObject(PRIV, pairs[i].id, strlen(pairs[i].id),
		                                      RW | TEE_DATA_FLAG_OVERWRITE, t, out, n,
		                                      0)) != TEE_SUCCESS)
			return res;
		TEE_FreeTransientObject(t);
	}
	return TEE_SUCCESS;
}

static TEE_Result keys_check(void)
{
	TEE_ObjectHandle h;
	static uint8_t ref[512], sig[512];
	uint8_t got[32];
	size_t n = 0, l = sizeof(sig);
	TEE_Result res = open_obj("boot/aes", TEE_DATA_FLAG_ACCESS_READ, &h);
	if (res != TEE_SUCCESS)
		return res;
	res = TEE_ReadObjectData(h, ref, sizeof(ref), &n);
	if (res == TEE_SUCCESS)
		res = cipher(h, got);
	TEE_CloseObject(h);
	if (res != TEE_SUCCESS)
		return res;
	if (n != 32 || memcmp(got, ref, 32) != 0)
		return TEE_ERROR_GENERIC;
	/* RSA: the same signature again; ECDSA: the old one verifies. */
	if ((res = open_obj("boot/rsa", TEE_DATA_FLAG_ACCESS_READ, &h)) != TEE_SUCCESS)
		return res;
	res = TEE_ReadObjectData(h, ref, sizeof(ref), &n);
	if (res == TEE_SUCCESS)
		res = sign(h, TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, 1024, sig, &l, 0);
	TEE_CloseObject(h);
	if (res != TEE_SUCCESS)
		return res;
	if (n != l || memcmp(ref, sig, n) != 0)
		return TEE_ERROR_SIGNATURE_INVALID;
	if ((res = open_obj("boot/ecc", TEE_DATA_FLAG_ACCESS_READ, &h)) != TEE_SUCCESS)
		return res;
	res = TEE_ReadObjectData(h, ref, sizeof(ref), &n);
	if (res == TEE_SUCCESS)
		res = sign(h, TEE_ALG_ECDSA_P256, 256, ref, &n, 1);
	TEE_CloseObject(h);
	return res;
}

static void check_create_open(void)
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL, h2 = TEE_HANDLE_NULL;
	TEE_ObjectInfo info;
	remove_obj("self/a");
	T(open_obj("self/a", TEE_DATA_FLAG_ACCESS_READ, &h) == TEE_ERROR_ITEM_NOT_FOUND &&
	  h == TEE_HANDLE_NULL);
	T(create("self/a", RW | META, "hello", 5, &h) == TEE_SUCCESS && h != TEE_HANDLE_NULL);
	T(TEE_GetObjectInfo1(h, &info) == TEE_SUCCESS && info.objectType == TEE_TYPE_DATA &&
	  info.dataSize == 5 && info.dataPosition == 0 &&
	  info.handleFlags == (TEE_HANDLE_FLAG_PERSISTENT | TEE_HANDLE_FLAG_INITIALIZED | RW | META));
	/* It is open: no one may replace it, not even with OVERWRITE. */
	T(create("self/a", RW | TEE_DATA_FLAG_OVERWRITE, "x", 1, &h2) == TEE_ERROR_ACCESS_CONFLICT &&
	  h2 == TEE_HANDLE_NULL);
	TEE_CloseObject(h);
	/* Exists: without OVERWRITE a conflict, with it a new object. */
	T(create("self/a", RW, "x", 1, &h) == TEE_ERROR_ACCESS_CONFLICT);
	T(create("self/a", RW | TEE_DATA_FLAG_OVERWRITE, "bye", 3, &h) == TEE_SUCCESS);
	size_t n = 0;
	char buf[16];
	T(TEE_ReadObjectData(h, buf, sizeof(buf), &n) == TEE_SUCCESS && n == 3 &&
	  memcmp(buf, "bye", 3) == 0);
	TEE_CloseObject(h);
	if (store != TEE_STORAGE_PRIVATE_REE) {
		/* RPMB reaches the same backend as PRIVATE; REE is another: the
		 * same id there is another object (none yet). */
		if (nw && TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE_REE, "self/a", 6, META, &h) ==
			      TEE_SUCCESS)
			TEE_CloseAndDeletePersistentObject1(h); /* an earlier REE run's */
		T(TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE_RPMB, "self/a", 6,
		                           TEE_DATA_FLAG_ACCESS_READ, &h) == TEE_SUCCESS);
		TEE_CloseObject(h);
		T(TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE_REE, "self/a", 6,
		                           TEE_DATA_FLAG_ACCESS_READ,
		                           &h) == TEE_ERROR_ITEM_NOT_FOUND);
		/* Without a normal world behind the call REE has no files. */
		TEE_Result r = TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE_REE, "self/r", 6,
		                                          RW | META | TEE_DATA_FLAG_OVERWRITE,
		                                          TEE_HANDLE_NULL, "r", 1, &h);
		T(r == (nw ? TEE_SUCCESS : TEE_ERROR_STORAGE_NOT_AVAILABLE));
		if (r == TEE_SUCCESS)
			TEE_CloseAndDeletePersistentObject1(h);
		T(TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE_REE, "self/r", 6,
		                           TEE_DATA_FLAG_ACCESS_READ,
		                           &h) == TEE_ERROR_ITEM_NOT_FOUND);
	} else {
		/* The same id in the flash is another object: made, and REE's
		 * stays as it was. */
		T(TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, "self/a", 6,
		                             RW | META | TEE_DATA_FLAG_OVERWRITE, TEE_HANDLE_NULL,
		                             "flash", 5, &h2) == TEE_SUCCESS);
		T(open_obj("self/a", TEE_DATA_FLAG_ACCESS_READ, &h) == TEE_SUCCESS);
		T(TEE_ReadObjectData(h, buf, sizeof(buf), &n) == TEE_SUCCESS && n == 3 &&
		  memcmp(buf, "bye", 3) == 0);
		TEE_CloseObject(h);
		T(TEE_CloseAndDeletePersistentObject1(h2) == TEE_SUCCESS);
		T(open_obj("self/a", TEE_DATA_FLAG_ACCESS_READ, &h) == TEE_SUCCESS);
		TEE_CloseObject(h);
	}
	T(TEE_OpenPersistentObject(0x1234, "self/a", 6, TEE_DATA_FLAG_ACCESS_READ, &h) ==
	  TEE_ERROR_ITEM_NOT_FOUND);
	/* No handle wanted: made and closed. */
	T(TEE_CreatePersistentObject(PRIV, "self/b", 6, RW | TEE_DATA_FLAG_OVERWRITE,
				     TEE_HANDLE_NULL, "b", 1, 0) == TEE_SUCCESS);
	T(open_obj("self/b", META, &h) == TEE_SUCCESS);
	T(TEE_CloseAndDeletePersistentObject1(h) == TEE_SUCCESS);
	T(open_obj("self/b", TEE_DATA_FLAG_ACCESS_READ, &h) == TEE_ERROR_ITEM_NOT_FOUND);
	T(TEE_CloseAndDeletePersistentObject1(TEE_HANDLE_NULL) == TEE_SUCCESS);
	/* The largest object, and one byte more. */
	memset(big, 0x5a, sizeof(big));
	T(create("self/big", RW | META | TEE_DATA_FLAG_OVERWRITE, big, 16384, &h) == TEE_SUCCESS);
	T(TEE_ReadObjectData(h, back, sizeof(back), &n) == TEE_SUCCESS && n == 16384 &&
	  memcmp(back, big, n) == 0);
	T(TEE_CloseAndDeletePersistentObject1(h) == TEE_SUCCESS);
	T(create("self/big", RW | TEE_DATA_FLAG_OVERWRITE, big, 16385, &h) ==
	  TEE_ERROR_STORAGE_NO_SPACE);
	/* The longest id. */
	char id64[64];
	memset(id64, 'i', sizeof(id64));
	T(TEE_CreatePersistentObject(PRIV, id64, 64, RW | META | TEE_DATA_FLAG_OVERWRITE,
				     TEE_HANDLE_NULL, 0, 0, &h) == TEE_SUCCESS);
	T(TEE_CloseAndDeletePersistentObject1(h) == TEE_SUCCESS);
}

static void check_sharing(void)
{
	TEE_ObjectHandle a, b, c;
	const uint32_t R = TEE_DATA_FLAG_ACCESS_READ, SR = TEE_DATA_FLAG_SHARE_READ;
	T(create("self/s", RW | TEE_DATA_FLAG_OVERWRITE, "0123456789", 10, &a) == TEE_SUCCESS);
	TEE_CloseObject(a);
	/* Two readers that share reading. */
	T(open_obj("self/s", R | SR, &a) == TEE_SUCCESS);
	T(open_obj("self/s", R | SR, &b) == TEE_SUCCESS);
	/* Not sharing, different sharing, write-meta: conflicts. */
	T(open_obj("self/s", R, &c) == TEE_ERROR_ACCESS_CONFLICT && c == TEE_HANDLE_NULL);
	T(open_obj("self/s", R | SHARE, &c) == TEE_ERROR_ACCESS_CONFLICT);
	T(open_obj("self/s", TEE_DATA_FLAG_ACCESS_WRITE | SR, &c) == TEE_ERROR_ACCESS_CONFLICT);
	T(open_obj("self/s", R | SR | META, &c) == TEE_ERROR_ACCESS_CONFLICT);
	T(open_obj("self/s", 0, &c) == TEE_ERROR_ACCESS_CONFLICT);
	/* Each handle has its own position. */
	char x[4] = {0}, y[4] = {0};
	size_t n = 0, m = 0;
	T(TEE_SeekObjectData(a, 5, TEE_DATA_SEEK_SET) == TEE_SUCCESS);
	T(TEE_ReadObjectData(a, x, 2, &n) == TEE_SUCCESS && n == 2 && memcmp(x, "56", 2) == 0);
	T(TEE_ReadObjectData(b, y, 2, &m) == TEE_SUCCESS && m == 2 && memcmp(y, "01", 2) == 0);
	TEE_CloseObject(a);
	TEE_CloseObject(b);
	/* Readers and writers that share both: a write through one shows in the other. */
	T(open_obj("self/s", RW | SHARE, &a) == TEE_SUCCESS);
	T(open_obj("self/s", R | SHARE, &b) == TEE_SUCCESS);
	T(TEE_WriteObjectData(a, "ab", 2) == TEE_SUCCESS);
	T(TEE_ReadObjectData(b, x, 2, &n) == TEE_SUCCESS && n == 2 && memcmp(x, "ab", 2) == 0);
	TEE_CloseObject(b);
	TEE_CloseObject(a);
	/* Opened with no flag at all: it locks out everything. */
	T(open_obj("self/s", 0, &a) == TEE_SUCCESS);
	T(open_obj("self/s", SR, &b) == TEE_ERROR_ACCESS_CONFLICT);
	TEE_CloseObject(a);
	/* Write-meta alone. */
	T(open_obj("self/s", META, &a) == TEE_SUCCESS);
	T(open_obj("self/s", R | SHARE, &b) == TEE_ERROR_ACCESS_CONFLICT);
	T(TEE_CloseAndDeletePersistentObject1(a) == TEE_SUCCESS);
}

static void check_data(void)
{
	TEE_ObjectHandle h;
	TEE_ObjectInfo info;
	uint8_t buf[32];
	size_t n = 0;
	T(create("self/d", RW | TEE_DATA_FLAG_OVERWRITE, 0, 0, &h) == TEE_SUCCESS);
	T(TEE_WriteObjectData(h, "hello", 5) == TEE_SUCCESS);
	T(TEE_GetObjectInfo1(h, &info) == TEE_SUCCESS && info.dataSize == 5 && info.dataPosition == 5);
	/* Past the end: allowed; a write there fills the gap with zeros. */
	T(TEE_SeekObjectData(h, 10, TEE_DATA_SEEK_SET) == TEE_SUCCESS);
	T(TEE_ReadObjectData(h, buf, sizeof(buf), &n) == TEE_SUCCESS && n == 0);
	T(TEE_WriteObjectData(h, "x", 1) == TEE_SUCCESS);
	T(TEE_GetObjectInfo1(h, &info) == TEE_SUCCESS && info.dataSize == 11 && info.dataPosition == 11);
	T(TEE_SeekObjectData(h, -100, TEE_DATA_SEEK_CUR) == TEE_SUCCESS); /* below 0: 0 */
	memset(buf, 0xee, sizeof(buf));
	T(TEE_ReadObjectData(h, buf, sizeof(buf), &n) == TEE_SUCCESS && n == 11 &&
	  memcmp(buf, "hello\0\0\0\0\0x", 11) == 0 && buf[11] == 0xee);
	T(TEE_SeekObjectData(h, -1, TEE_DATA_SEEK_END) == TEE_SUCCESS);
	T(TEE_ReadObjectData(h, buf, 4, &n) == TEE_SUCCESS && n == 1 && buf[0] == 'x');
	T(TEE_SeekObjectData(h, 2, TEE_DATA_SEEK_SET) == TEE_SUCCESS);
	T(TEE_ReadObjectData(h, buf, 2, &n) == TEE_SUCCESS && n == 2 && memcmp(buf, "ll", 2) == 0);
	T(TEE_SeekObjectData(h, 1, TEE_DATA_SEEK_CUR) == TEE_SUCCESS);
	T(TEE_ReadObjectData(h, buf, 1, &n) == TEE_SUCCESS && n == 1 && buf[0] == 0);
	/* Beyond TEE_DATA_MAX_POSITION: overflow, the position unchanged. */
	T(TEE_SeekObjectData(h, (intmax_t)TEE_DATA_MAX_POSITION + 1, TEE_DATA_SEEK_SET) ==
	  TEE_ERROR_OVERFLOW);
	T(TEE_SeekObjectData(h, (intmax_t)TEE_DATA_MAX_POSITION, TEE_DATA_SEEK_END) ==
	  TEE_ERROR_OVERFLOW);
	T(TEE_GetObjectInfo1(h, &info) == TEE_SUCCESS && info.dataPosition == 6);
	T(TEE_SeekObjectData(h, (intmax_t)TEE_DATA_MAX_POSITION, TEE_DATA_SEEK_SET) == TEE_SUCCESS);
	T(TEE_WriteObjectData(h, "z", 1) == TEE_ERROR_OVERFLOW);
	T(TEE_SeekObjectData(h, 16384, TEE_DATA_SEEK_SET) == TEE_SUCCESS);
	T(TEE_WriteObjectData(h, "z", 1) == TEE_ERROR_STORAGE_NO_SPACE);
	T(TEE_SeekObjectData(h, 4, TEE_DATA_SEEK_SET) == TEE_SUCCESS);
	T(TEE_SeekObjectData(h, 0, 7) == TEE_ERROR_BAD_PARAMETERS);
	/* Truncation: shorter, longer (zeros), too long; the position stays. */
	T(TEE_TruncateObjectData(h, 3) == TEE_SUCCESS);
	T(TEE_GetObjectInfo1(h, &info) == TEE_SUCCESS && info.dataSize == 3 && info.dataPosition == 4);
	T(TEE_TruncateObjectData(h, 6) == TEE_SUCCESS);
	T(TEE_SeekObjectData(h, 0, TEE_DATA_SEEK_SET) == TEE_SUCCESS);
	T(TEE_ReadObjectData(h, buf, sizeof(buf), &n) == TEE_SUCCESS && n == 6 &&
	  memcmp(buf, "hel\0\0\0", 6) == 0);
	T(TEE_TruncateObjectData(h, 16385) == TEE_ERROR_STORAGE_NO_SPACE);
	/* Read-only handles cannot write (GP panics: not tried here). */
	TEE_CloseObject(h);
	T(open_obj("self/d", TEE_DATA_FLAG_ACCESS_READ, &h) == TEE_SUCCESS);
	T(TEE_GetObjectInfo1(h, &info) == TEE_SUCCESS && info.dataSize == 6 &&
	  info.handleFlags == (TEE_HANDLE_FLAG_PERSISTENT | TEE_HANDLE_FLAG_INITIALIZED |
			       TEE_DATA_FLAG_ACCESS_READ));
	TEE_CloseObject(h);
	remove_obj("self/d");
}

static void check_rename(void)
{
	TEE_ObjectHandle h, h2;
	remove_obj("self/r2");
	T(create("self/r1", RW | META | TEE_DATA_FLAG_OVERWRITE, "one", 3, &h) == TEE_SUCCESS);
	T(create("self/r3", RW | TEE_DATA_FLAG_OVERWRITE, "three", 5, &h2) == TEE_SUCCESS);
	TEE_CloseObject(h2);
	T(TEE_RenamePersistentObject(h, "self/r3", 7) == TEE_ERROR_ACCESS_CONFLICT);
	T(TEE_RenamePersistentObject(h, "self/r1", 7) == TEE_ERROR_ACCESS_CONFLICT);
	T(TEE_RenamePersistentObject(h, "self/r2", 7) == TEE_SUCCESS);
	/* The handle follows the object. */
	char buf[8];
	size_t n = 0;
	T(TEE_ReadObjectData(h, buf, sizeof(buf), &n) == TEE_SUCCESS && n == 3 &&
	  memcmp(buf, "one", 3) == 0);
	TEE_CloseObject(h);
	T(open_obj("self/r1", TEE_DATA_FLAG_ACCESS_READ, &h) == TEE_ERROR_ITEM_NOT_FOUND);
	T(open_obj("self/r3", TEE_DATA_FLAG_ACCESS_READ, &h) == TEE_SUCCESS);
	T(TEE_ReadObjectData(h, buf, sizeof(buf), &n) == TEE_SUCCESS && n == 5);
	TEE_CloseObject(h);
	remove_obj("self/r2");
	remove_obj("self/r3");
}

static int seen(TEE_ObjectEnumHandle e, const char *want, int delete_after_first)
{
	char id[TEE_OBJECT_ID_MAX_LEN];
	size_t len = sizeof(id);
	TEE_ObjectInfo info;
	int found = 0, first = 1;
	while (TEE_GetNextPersistentObject(e, &info, id, &len) == TEE_SUCCESS) {
		if (len == strlen(want) && memcmp(id, want, len) == 0)
			found++;
		if (first && delete_after_first)
			remove_obj("self/e2"); /* changes while enumerating */
		first = 0;
		if (info.objectType != TEE_TYPE_DATA ||
		    !(info.handleFlags & TEE_HANDLE_FLAG_PERSISTENT))
			return -1;
		len = sizeof(id);
	}
	return found;
}

static void check_enum(void)
{
	TEE_ObjectEnumHandle e;
	char id[TEE_OBJECT_ID_MAX_LEN];
	size_t len = sizeof(id);
	TEE_ObjectInfo info;
	T(TEE_AllocatePersistentObjectEnumerator(&e) == TEE_SUCCESS);
	T(TEE_GetNextPersistentObject(e, &info, id, &len) == TEE_ERROR_ITEM_NOT_FOUND);
	T(create("self/e1", RW | TEE_DATA_FLAG_OVERWRITE, "1", 1, 0) == TEE_SUCCESS);
	T(create("self/e2", RW | TEE_DATA_FLAG_OVERWRITE, "22", 2, 0) == TEE_SUCCESS);
	T(create("self/e3", RW | TEE_DATA_FLAG_OVERWRITE, "333", 3, 0) == TEE_SUCCESS);
	/* The other backend does not list them. */
	uint32_t other =
	    store == TEE_STORAGE_PRIVATE_REE ? TEE_STORAGE_PRIVATE : TEE_STORAGE_PRIVATE_REE;
	TEE_Result r = TEE_StartPersistentObjectEnumerator(e, other);
	T(r == TEE_ERROR_ITEM_NOT_FOUND || (r == TEE_SUCCESS && seen(e, "self/e3", 0) == 0));
	T(TEE_StartPersistentObjectEnumerator(e, PRIV) == TEE_SUCCESS);
	T(seen(e, "self/e3", 0) == 1);
	TEE_ResetPersistentObjectEnumerator(e);
	len = sizeof(id);
	T(TEE_GetNextPersistentObject(e, &info, id, &len) == TEE_ERROR_ITEM_NOT_FOUND);
	/* Sizes, and no info wanted. */
	T(TEE_StartPersistentObjectEnumerator(e, PRIV) == TEE_SUCCESS);
	int sized = 0;
	len = sizeof(id);
	while (TEE_GetNextPersistentObject(e, &info, id, &len) == TEE_SUCCESS) {
		if (len == 7 && memcmp(id, "self/e3", 7) == 0 && info.dataSize == 3)
			sized = 1;
		len = sizeof(id);
	}
	T(sized);
	T(TEE_StartPersistentObjectEnumerator(e, PRIV) == TEE_SUCCESS);
	len = sizeof(id);
	T(TEE_GetNextPersistentObject(e, 0, id, &len) == TEE_SUCCESS && len > 0);
	/* Deleting e2 on the way: e3 still comes, e2 does not. */
	T(TEE_StartPersistentObjectEnumerator(e, PRIV) == TEE_SUCCESS);
	T(seen(e, "self/e3", 1) == 1);
	T(TEE_StartPersistentObjectEnumerator(e, PRIV) == TEE_SUCCESS);
	T(seen(e, "self/e2", 0) == 0);
	remove_obj("self/e1");
	remove_obj("self/e3");
	TEE_FreePersistentObjectEnumerator(e);
	TEE_FreePersistentObjectEnumerator(TEE_HANDLE_NULL);
}

/* GP allows the empty id (NULL, 0): an object like any other, listed
 * exactly once by an enumerator, renamed to and from. */
static void check_empty_id(void)
{
	TEE_ObjectHandle h;
	TEE_ObjectEnumHandle e;
	char id[TEE_OBJECT_ID_MAX_LEN];
	char buf[8];
	size_t len = sizeof(id), n = 0;
	TEE_ObjectInfo info;
	remove_obj("self/was-empty");
	T(TEE_CreatePersistentObject(PRIV, 0, 0, RW | META | TEE_DATA_FLAG_OVERWRITE,
	                             TEE_HANDLE_NULL, "empty", 5, &h) == TEE_SUCCESS);
	TEE_CloseObject(h);
	T(create("self/e9", RW | TEE_DATA_FLAG_OVERWRITE, "9", 1, 0) == TEE_SUCCESS);
	T(TEE_OpenPersistentObject(PRIV, "", 0, TEE_DATA_FLAG_ACCESS_READ, &h) == TEE_SUCCESS);
	T(TEE_ReadObjectData(h, buf, sizeof(buf), &n) == TEE_SUCCESS && n == 5 &&
	  memcmp(buf, "empty", 5) == 0);
	TEE_CloseObject(h);
	/* Listed once, and the list goes on past it (bounded: a loop would
	 * show as more than 64 entries). */
	unsigned empties = 0, total = 0, e9 = 0;
	T(TEE_AllocatePersistentObjectEnumerator(&e) == TEE_SUCCESS);
	T(TEE_StartPersistentObjectEnumerator(e, PRIV) == TEE_SUCCESS);
	while (total < 65 && TEE_GetNextPersistentObject(e, &info, id, &len) == TEE_SUCCESS) {
		total++;
		empties += len == 0;
		e9 += len == 7 && memcmp(id, "self/e9", 7) == 0;
		len = sizeof(id);
	}
	TEE_FreePersistentObjectEnumerator(e);
	T(empties == 1 && e9 == 1 && total <= 64);
	/* Renamed away and back. */
	T(TEE_OpenPersistentObject(PRIV, 0, 0, RW | META, &h) == TEE_SUCCESS);
	T(TEE_RenamePersistentObject(h, "self/was-empty", 14) == TEE_SUCCESS);
	TEE_CloseObject(h);
	T(TEE_OpenPersistentObject(PRIV, 0, 0, RW, &h) == TEE_ERROR_ITEM_NOT_FOUND);
	T(open_obj("self/was-empty", RW | META, &h) == TEE_SUCCESS);
	T(TEE_RenamePersistentObject(h, 0, 0) == TEE_SUCCESS);
	T(TEE_CloseAndDeletePersistentObject1(h) == TEE_SUCCESS);
	T(TEE_OpenPersistentObject(PRIV, "", 0, RW, &h) == TEE_ERROR_ITEM_NOT_FOUND);
	remove_obj("self/e9");
}

static TEE_Result selftest(uint32_t cmd, uint32_t types, TEE_Param p[4])
{
	unsigned part = 0;
	store = TEE_STORAGE_PRIVATE;
	nw = 0;
	if (types == TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_VALUE_INPUT,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
		store = p[1].value.a;
		nw = (p[1].value.b & 0xFF) == 1;
		part = p[1].value.b >> 8;
	} else if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
	                                    TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	run = failed = 0;
	if (cmd == TA_STORAGE_CMD_KEYTEST) {
		if (part > 2)
			return TEE_ERROR_BAD_PARAMETERS;
		check_keys(part);
	} else {
		check_create_open();
		check_sharing();
		check_data();
		check_rename();
		check_enum();
		check_empty_id();
	}
	p[0].value.a = failed;
	p[0].value.b = run;
	store = TEE_STORAGE_PRIVATE;
	return TEE_SUCCESS;
}

/* ---- commands ---- */

static TEE_ObjectHandle held = TEE_HANDLE_NULL;

static unsigned count(void)
{
	TEE_ObjectEnumHandle e;
	char id[TEE_OBJECT_ID_MAX_LEN];
	size_t len = sizeof(id);
	unsigned n = 0;
	if (TEE_AllocatePersistentObjectEnumerator(&e) != TEE_SUCCESS)
		return 0;
	if (TEE_StartPersistentObjectEnumerator(e, PRIV) == TEE_SUCCESS)
		while (TEE_GetNextPersistentObject(e, 0, id, &len) == TEE_SUCCESS) {
			n++;
			len = sizeof(id);
		}
	TEE_FreePersistentObjectEnumerator(e);
	return n;
}

TEE_Result TA_InvokeCommandEntryPoint(void *ctx, uint32_t cmd, uint32_t types, TEE_Param p[4])
{
	(void)ctx;
	TEE_ObjectHandle h;
	TEE_Result res;
	size_t n = 0;
	const uint32_t IN = TEE_PARAM_TYPE_MEMREF_INPUT;
	store = TEE_STORAGE_PRIVATE;
	switch (cmd) {
	case TA_STORAGE_CMD_SELFTEST:
	case TA_STORAGE_CMD_KEYTEST:
		return selftest(cmd, types, p);
	case TA_STORAGE_CMD_COUNT:
		p[0].value.a = count();
		return TEE_SUCCESS;
	case TA_STORAGE_CMD_RELEASE:
		TEE_CloseObject(held);
		held = TEE_HANDLE_NULL;
		return TEE_SUCCESS;
	case TA_STORAGE_CMD_KEYPUT:
		return keys_put();
	case TA_STORAGE_CMD_KEYCHECK:
		return keys_check();
	case TA_STORAGE_CMD_HELD_WRITE:
		if (TEE_PARAM_TYPE_GET(types, 0) != IN || held == TEE_HANDLE_NULL)
			return TEE_ERROR_BAD_PARAMETERS;
		return TEE_WriteObjectData(held, p[0].memref.buffer, p[0].memref.size);
	default:
		break;
	}
	if (TEE_PARAM_TYPE_GET(types, 0) != IN || p[0].memref.size == 0 ||
	    p[0].memref.size > TEE_OBJECT_ID_MAX_LEN)
		return TEE_ERROR_BAD_PARAMETERS;
	const void *id = p[0].memref.buffer;
	size_t id_len = p[0].memref.size;
	store = TEE_PARAM_TYPE_GET(types, 2) == TEE_PARAM_TYPE_VALUE_INPUT ? p[2].value.a
	                                                                   : TEE_STORAGE_PRIVATE;
	switch (cmd) {
	case TA_STORAGE_CMD_PUT:
		return TEE_CreatePersistentObject(PRIV, id, id_len, RW | TEE_DATA_FLAG_OVERWRITE,
						  TEE_HANDLE_NULL, p[1].memref.buffer,
						  p[1].memref.size, 0);
	case TA_STORAGE_CMD_GET:
		res = TEE_OpenPersistentObject(PRIV, id, id_len, TEE_DATA_FLAG_ACCESS_READ, &h);
		if (res != TEE_SUCCESS)
			return res;
		res = TEE_ReadObjectData(h, p[1].memref.buffer, p[1].memref.size, &n);
		p[1].memref.size = n;
		TEE_CloseObject(h);
		return res;
	case TA_STORAGE_CMD_DEL:
		res = TEE_OpenPersistentObject(PRIV, id, id_len, META, &h);
		return res == TEE_SUCCESS ? TEE_CloseAndDeletePersistentObject1(h) : res;
	case TA_STORAGE_CMD_HOLD:
		if (held != TEE_HANDLE_NULL)
			return TEE_ERROR_BAD_STATE;
		return TEE_OpenPersistentObject(PRIV, id, id_len, RW, &held);
	case TA_STORAGE_CMD_KEYBLOB: {
		TEE_ObjectHandle t;
		char name[TEE_OBJECT_ID_MAX_LEN + 1];
		size_t alen = 0;
		memcpy(name, id, id_len);
		name[id_len] = 0;
		if (TEE_PARAM_TYPE_GET(types, 1) != TEE_PARAM_TYPE_MEMREF_OUTPUT ||
		    strlen(name) != id_len)
			return TEE_ERROR_BAD_PARAMETERS;
		if ((res = aes_transient(&t)) != TEE_SUCCESS)
			return res;
		res = TEE_CreatePersistentObject(PRIV, id, id_len, RW | TEE_DATA_FLAG_OVERWRITE, t,
		                                 0, 0, 0);
		TEE_FreeTransientObject(t);
		if (res == TEE_SUCCESS)
			res = raw_attrs(name, raw, &alen);
		if (res != TEE_SUCCESS)
			return res;
		if (p[1].memref.size < alen)
			return TEE_ERROR_SHORT_BUFFER;
		memcpy(p[1].memref.buffer, raw, alen);
		p[1].memref.size = alen;
		return TEE_SUCCESS;
	}
	case TA_STORAGE_CMD_KEYREPLAY: {
		char name[TEE_OBJECT_ID_MAX_LEN + 1];
		memcpy(name, id, id_len);
		name[id_len] = 0;
		if (TEE_PARAM_TYPE_GET(types, 1) != IN || p[1].memref.size > STORE_ATTRS_MAX ||
		    strlen(name) != id_len)
			return TEE_ERROR_BAD_PARAMETERS;
		size_t alen = p[1].memref.size;
		memcpy(raw, p[1].memref.buffer, alen);
		TEE_Result direct = raw_import(raw, alen);
		if ((res = raw_put(name, raw, alen, "replayed", 8)) != TEE_SUCCESS)
			return res;
		res = TEE_OpenPersistentObject(PRIV, id, id_len, TEE_DATA_FLAG_ACCESS_READ, &h);
		if (res == TEE_SUCCESS)
			TEE_CloseObject(h);
		raw_del(name);
		return res == direct ? res : TEE_ERROR_GENERIC;
	}
	case TA_STORAGE_CMD_PANIC_READ: {
		uint8_t b[4];
		res = TEE_OpenPersistentObject(PRIV, id, id_len, TEE_DATA_FLAG_ACCESS_WRITE, &h);
		if (res != TEE_SUCCESS)
			return res;
		TEE_ReadObjectData(h, b, sizeof(b), &n); /* panics */
		return TEE_ERROR_GENERIC;
	}
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
