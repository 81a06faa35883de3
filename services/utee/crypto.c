/* OP-TEE's crypto system calls on lib/tee's GlobalPlatform API (utee.h):
 * OP-TEE's libutee keeps the operation's bookkeeping in the TA (its
 * state, block buffering, the checks of TEE_*) and asks the core for
 * "states" and "objects" by handle; here a state is a lib/tee operation
 * and an object a lib/tee object, each in a table of ours, so that no
 * number the TA makes up reaches lib/tee. The key of a state is the
 * content of its key objects when the operation starts (OP-TEE's core
 * reads them then too): each init sets it afresh. */
#include <string.h>

#include <tee_api_defines_extensions.h>
#include <tee_internal_api.h>

#include "../../lib/tee/tee_rt.h"
#include "mt.h"
#include "utee.h"

#define RD          (TEE_MEMORY_ACCESS_READ | TEE_MEMORY_ACCESS_ANY_OWNER)
#define WR          (TEE_MEMORY_ACCESS_READ | TEE_MEMORY_ACCESS_WRITE | TEE_MEMORY_ACCESS_ANY_OWNER)
#define HANDLE_BASE 0x100U
#define MAX_ATTRS   16

struct obj {
	TEE_ObjectHandle h; /* 0: slot free */
};
struct state {
	bool used;
	uint32_t algo, mode, cls;
	uint32_t key1, key2; /* our object handles, 0: none */
	TEE_OperationHandle op;
};
static struct obj objs[UTEE_MAX_OBJS];
static struct state states[UTEE_MAX_STATES];

/* Reads and writes of the TA's memory, checked. */
#define CHECK_MEM(flags, p, n)                                                                     \
	do {                                                                                       \
		if (!utee_access_ok((flags), (uint64_t)(p), (uint64_t)(n)))                        \
			return TEE_ERROR_ACCESS_DENIED;                                            \
	} while (0)

static TEE_Result get_len(uint64_t p, size_t *len)
{
	CHECK_MEM(WR, p, sizeof(uint64_t));
	uint64_t v;
	memcpy(&v, (const void *)(uintptr_t)p, sizeof(v));
	*len = v;
	return TEE_SUCCESS;
}

static void put_len(uint64_t p, size_t len)
{
	uint64_t v = len;
	memcpy((void *)(uintptr_t)p, &v, sizeof(v));
}

TEE_ObjectHandle utee_obj(uint64_t handle)
{
	if (handle < HANDLE_BASE || handle - HANDLE_BASE >= UTEE_MAX_OBJS)
		return TEE_HANDLE_NULL;
	return objs[handle - HANDLE_BASE].h;
}

/* A new handle for lib/tee's object h; 0 if the table is full. */
uint32_t utee_obj_add(TEE_ObjectHandle h)
{
	for (unsigned i = 0; i < UTEE_MAX_OBJS; i++) {
		if (!objs[i].h) {
			objs[i].h = h;
			return HANDLE_BASE + i;
		}
	}
	return 0;
}

void utee_obj_forget(uint64_t handle)
{
	if (utee_obj(handle))
		objs[handle - HANDLE_BASE].h = TEE_HANDLE_NULL;
}

static struct state *get_state(uint64_t handle)
{
	if (handle < HANDLE_BASE || handle - HANDLE_BASE >= UTEE_MAX_STATES)
		return 0;
	struct state *s = &states[handle - HANDLE_BASE];
	return s->used ? s : 0;
}

/* The TA's attributes as lib/tee's. */
static TEE_Result attrs_in(uint64_t ua, uint64_t n, TEE_Attribute out[MAX_ATTRS])
{
	if (n > MAX_ATTRS)
		return TEE_ERROR_BAD_PARAMETERS;
	CHECK_MEM(RD, ua, n * sizeof(struct utee_attribute));
	for (uint64_t i = 0; i < n; i++) {
		struct utee_attribute a;
		memcpy(&a, (const uint8_t *)(uintptr_t)ua + i * sizeof(a), sizeof(a));
		out[i].attributeID = a.attribute_id;
		if (a.attribute_id & TEE_ATTR_FLAG_VALUE) {
			out[i].content.value.a = (uint32_t)a.a;
			out[i].content.value.b = (uint32_t)a.b;
		} else {
			CHECK_MEM(RD, a.a, a.b);
			out[i].content.ref.buffer = (void *)(uintptr_t)a.a;
			out[i].content.ref.length = a.b;
		}
	}
	return TEE_SUCCESS;
}

static TEE_Result obj_alloc(uint64_t type, uint64_t max_size, uint64_t out)
{
	CHECK_MEM(WR, out, sizeof(uint32_t));
	TEE_ObjectHandle h;
	TEE_Result res = TEE_AllocateTransientObject((uint32_t)type, (uint32_t)max_size, &h);
	if (res != TEE_SUCCESS)
		return res;
	uint32_t id = utee_obj_add(h);
	if (!id) {
		TEE_FreeTransientObject(h);
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	*(uint32_t *)(uintptr_t)out = id;
	return TEE_SUCCESS;
}

static TEE_Result obj_info(uint64_t obj, uint64_t out)
{
	TEE_ObjectHandle h = utee_obj(obj);
	if (!h)
		return TEE_ERROR_BAD_PARAMETERS;
	CHECK_MEM(WR, out, sizeof(struct utee_object_info));
	TEE_ObjectInfo i;
	TEE_Result res = TEE_GetObjectInfo1(h, &i);
	if (res != TEE_SUCCESS)
		return res;
	struct utee_object_info u = {i.objectType,  i.objectSize,         i.maxObjectSize,
	                             i.objectUsage, (uint32_t)i.dataSize, (uint32_t)i.dataPosition,
	                             i.handleFlags};
	memcpy((void *)(uintptr_t)out, &u, sizeof(u));
	return TEE_SUCCESS;
}

static TEE_Result obj_get_attr(uint64_t obj, uint64_t id, uint64_t buf, uint64_t size)
{
	TEE_ObjectHandle h = utee_obj(obj);
	if (!h)
		return TEE_ERROR_BAD_PARAMETERS;
	size_t len;
	TEE_Result res = get_len(size, &len);
	if (res != TEE_SUCCESS)
		return res;
	if (id & TEE_ATTR_FLAG_VALUE) {
		uint32_t v[2];
		if (len < sizeof(v)) {
			put_len(size, sizeof(v));
			return TEE_ERROR_SHORT_BUFFER;
		}
		CHECK_MEM(WR, buf, sizeof(v));
		res = TEE_GetObjectValueAttribute(h, (uint32_t)id, &v[0], &v[1]);
		if (res == TEE_SUCCESS) {
			memcpy((void *)(uintptr_t)buf, v, sizeof(v));
			put_len(size, sizeof(v));
		}
		return res;
	}
	if (buf)
		CHECK_MEM(WR, buf, len);
	res = TEE_GetObjectBufferAttribute(h, (uint32_t)id, (void *)(uintptr_t)buf, &len);
	if (res == TEE_SUCCESS || res == TEE_ERROR_SHORT_BUFFER)
		put_len(size, len);
	return res;
}

/* The attributes OP-TEE keeps as a secret in a buffer of its type's
 * largest size. */
static bool secret_attr(uint32_t id)
{
	return id == TEE_ATTR_SECRET_VALUE || id == TEE_ATTR_HKDF_IKM ||
	       id == TEE_ATTR_CONCAT_KDF_Z || id == TEE_ATTR_PBKDF2_PASSWORD;
}

/* That size in bytes for a secret type (GP's largest key, with DES's
 * parity bits), 0 for other types. */
static size_t secret_cap(uint32_t type)
{
	switch (type) {
	case TEE_TYPE_DES:
		return 8;
	case TEE_TYPE_DES3:
		return 24;
	case TEE_TYPE_AES:
		return 32;
	case TEE_TYPE_HMAC_MD5:
	case TEE_TYPE_HMAC_SHA1:
	case TEE_TYPE_HMAC_SHA224:
		return 64;
	case TEE_TYPE_HMAC_SHA256:
	case TEE_TYPE_HMAC_SHA384:
	case TEE_TYPE_HMAC_SHA512:
	case TEE_TYPE_HMAC_SHA3_224:
	case TEE_TYPE_HMAC_SHA3_256:
	case TEE_TYPE_HMAC_SHA3_384:
	case TEE_TYPE_HMAC_SHA3_512:
		return 128;
	case TEE_TYPE_GENERIC_SECRET:
	case TEE_TYPE_HKDF_IKM:
	case TEE_TYPE_HKDF:
	case TEE_TYPE_CONCAT_KDF_Z:
	case TEE_TYPE_PBKDF2_PASSWORD:
		return 4096 / 8;
	default:
		return 0;
	}
}

static TEE_Result obj_populate(uint64_t obj, uint64_t ua, uint64_t n)
{
	TEE_ObjectHandle h = utee_obj(obj);
	TEE_Attribute a[MAX_ATTRS];
	if (!h)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_Result res = attrs_in(ua, n, a);
	if (res != TEE_SUCCESS)
		return res;
	/* A secret larger than its type's largest key: OP-TEE's core answers
	 * TEE_ERROR_SECURITY, on which libutee panics (xtest 4010). (One
	 * larger than the object but within the type is BAD_PARAMETERS.) */
	TEE_ObjectInfo info;
	if (TEE_GetObjectInfo1(h, &info) != TEE_SUCCESS)
		return TEE_ERROR_BAD_PARAMETERS;
	size_t cap = secret_cap(info.objectType);
	for (uint64_t i = 0; i < n; i++)
		if (cap && secret_attr(a[i].attributeID) && a[i].content.ref.length > cap)
			return TEE_ERROR_SECURITY;
	return TEE_PopulateTransientObject(h, a, (uint32_t)n);
}

static TEE_Result obj_generate(uint64_t obj, uint64_t size, uint64_t ua, uint64_t n)
{
	TEE_ObjectHandle h = utee_obj(obj);
	TEE_Attribute a[MAX_ATTRS];
	if (!h)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_Result res = attrs_in(ua, n, a);
	return res == TEE_SUCCESS ? TEE_GenerateKey(h, (uint32_t)size, a, (uint32_t)n) : res;
}

static TEE_Result state_alloc(uint64_t algo, uint64_t mode, uint64_t key1, uint64_t key2,
                              uint64_t out)
{
	CHECK_MEM(WR, out, sizeof(uint32_t));
	if ((key1 && !utee_obj(key1)) || (key2 && !utee_obj(key2)))
		return TEE_ERROR_BAD_PARAMETERS;
	uint32_t max_key = 0;
	if (key1) {
		TEE_ObjectInfo i;
		if (TEE_GetObjectInfo1(utee_obj(key1), &i) != TEE_SUCCESS)
			return TEE_ERROR_BAD_PARAMETERS;
		max_key = i.maxObjectSize;
	}
	struct state *s = 0;
	for (unsigned i = 0; i < UTEE_MAX_STATES && !s; i++)
		if (!states[i].used)
			s = &states[i];
	if (!s)
		return TEE_ERROR_OUT_OF_MEMORY;
	TEE_OperationHandle op;
	TEE_Result res = TEE_AllocateOperation(&op, (uint32_t)algo, (uint32_t)mode, max_key);
	if (res != TEE_SUCCESS)
		return res;
	/* libutee keeps CTS's and XTS's last blocks for the final itself. */
	if ((((uint32_t)algo >> 28) & 0xF) == TEE_OPERATION_CIPHER)
		tee_rt_cipher_caller_holds(op);
	*s = (struct state){true,
	                    (uint32_t)algo,
	                    (uint32_t)mode,
	                    ((uint32_t)algo >> 28) & 0xF,
	                    (uint32_t)key1,
	                    (uint32_t)key2,
	                    op};
	*(uint32_t *)(uintptr_t)out = HANDLE_BASE + (uint32_t)(s - states);
	return TEE_SUCCESS;
}

static TEE_Result state_free(uint64_t st)
{
	struct state *s = get_state(st);
	if (!s)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_FreeOperation(s->op);
	/* The key objects libutee allocated for the state are the state's
	 * (OP-TEE's core closes them with it; libutee does not). */
	for (int i = 0; i < 2; i++) {
		uint32_t k = i ? s->key2 : s->key1;
		if (utee_obj(k)) {
			TEE_CloseObject(utee_obj(k));
			utee_obj_forget(k);
		}
	}
	s->used = false;
	return TEE_SUCCESS;
}

static TEE_Result state_copy(uint64_t dst, uint64_t src)
{
	struct state *d = get_state(dst), *s = get_state(src);
	if (!d || !s)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_CopyOperation(d->op, s->op);
	return TEE_SUCCESS;
}

/* The state back to its start with the key its objects hold now. */
static void reset(struct state *s)
{
	/* lib/tee resets an operation only once it has a key. */
	TEE_OperationInfo info;
	TEE_GetOperationInfo(s->op, &info);
	if (info.handleState & TEE_HANDLE_FLAG_KEY_SET)
		TEE_ResetOperation(s->op);
}

static TEE_Result rekey(struct state *s)
{
	reset(s);
	if (!s->key1)
		return TEE_SUCCESS;
	TEE_ObjectHandle k1 = utee_obj(s->key1), k2 = s->key2 ? utee_obj(s->key2) : 0;
	if (!k1 || (s->key2 && !k2))
		return TEE_ERROR_BAD_STATE;
	if (k2)
		return TEE_SetOperationKey2(s->op, k1, k2);
	return TEE_SetOperationKey(s->op, k1);
}

static TEE_Result hash_init(uint64_t st, uint64_t iv, uint64_t len)
{
	struct state *s = get_state(st);
	if (!s)
		return TEE_ERROR_BAD_PARAMETERS;
	if (len)
		CHECK_MEM(RD, iv, len);
	if (s->cls == TEE_OPERATION_DIGEST) {
		reset(s);
		return TEE_SUCCESS;
	}
	if (s->cls != TEE_OPERATION_MAC)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_Result res = rekey(s);
	if (res == TEE_SUCCESS)
		TEE_MACInit(s->op, len ? (void *)(uintptr_t)iv : 0, len);
	return res;
}

static TEE_Result hash_update(uint64_t st, uint64_t p, uint64_t len)
{
	struct state *s = get_state(st);
	if (!s)
		return TEE_ERROR_BAD_PARAMETERS;
	CHECK_MEM(RD, p, len);
	if (s->cls == TEE_OPERATION_DIGEST)
		return TEE_DigestUpdate(s->op, (void *)(uintptr_t)p, len), TEE_SUCCESS;
	if (s->cls == TEE_OPERATION_MAC)
		return TEE_MACUpdate(s->op, (void *)(uintptr_t)p, len), TEE_SUCCESS;
	return TEE_ERROR_BAD_PARAMETERS;
}

static TEE_Result hash_final(uint64_t st, uint64_t p, uint64_t len, uint64_t out, uint64_t out_len)
{
	struct state *s = get_state(st);
	size_t ol;
	if (!s)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_Result res = get_len(out_len, &ol);
	if (res != TEE_SUCCESS)
		return res;
	CHECK_MEM(RD, p, len);
	CHECK_MEM(WR, out, ol);
	void *in = len ? (void *)(uintptr_t)p : 0, *o = (void *)(uintptr_t)out;
	if (s->cls == TEE_OPERATION_DIGEST)
		res = TEE_DigestDoFinal(s->op, in, len, o, &ol);
	else if (s->cls == TEE_OPERATION_MAC)
		res = TEE_MACComputeFinal(s->op, in, len, o, &ol);
	else
		return TEE_ERROR_BAD_PARAMETERS;
	if (res == TEE_SUCCESS || res == TEE_ERROR_SHORT_BUFFER)
		put_len(out_len, ol);
	return res;
}

static TEE_Result cipher_init(uint64_t st, uint64_t iv, uint64_t len)
{
	struct state *s = get_state(st);
	if (!s || s->cls != TEE_OPERATION_CIPHER)
		return TEE_ERROR_BAD_PARAMETERS;
	if (len)
		CHECK_MEM(RD, iv, len);
	TEE_Result res = rekey(s);
	if (res == TEE_SUCCESS)
		TEE_CipherInit(s->op, len ? (void *)(uintptr_t)iv : 0, len);
	return res;
}

/* cipher update/final, authenc update/final: src in, dest and *dest_len out. */
static TEE_Result data_io(uint64_t src, uint64_t src_len, uint64_t dst, uint64_t dst_len,
                          size_t *dl)
{
	TEE_Result res = get_len(dst_len, dl);
	if (res != TEE_SUCCESS)
		return res;
	CHECK_MEM(RD, src, src_len);
	if (dst)
		CHECK_MEM(WR, dst, *dl);
	return TEE_SUCCESS;
}

static TEE_Result cipher_io(uint64_t st, uint64_t src, uint64_t src_len, uint64_t dst,
                            uint64_t dst_len, bool final)
{
	struct state *s = get_state(st);
	size_t dl;
	if (!s || s->cls != TEE_OPERATION_CIPHER)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_Result res = data_io(src, src_len, dst, dst_len, &dl);
	if (res != TEE_SUCCESS)
		return res;
	void *in = src_len ? (void *)(uintptr_t)src : 0, *out = (void *)(uintptr_t)dst;
	res = final ? TEE_CipherDoFinal(s->op, in, src_len, out, &dl)
	            : TEE_CipherUpdate(s->op, in, src_len, out, &dl);
	if (res == TEE_SUCCESS || res == TEE_ERROR_SHORT_BUFFER)
		put_len(dst_len, dl);
	return res;
}

static TEE_Result authenc_init(uint64_t st, uint64_t nonce, uint64_t nonce_len, uint64_t tag_len,
                               uint64_t aad_len, uint64_t payload_len)
{
	struct state *s = get_state(st);
	if (!s || s->cls != TEE_OPERATION_AE)
		return TEE_ERROR_BAD_PARAMETERS;
	CHECK_MEM(RD, nonce, nonce_len);
	TEE_Result res = rekey(s);
	if (res != TEE_SUCCESS)
		return res;
	/* OP-TEE's ABI gives the tag in bytes; GP's TEE_AEInit in bits. */
	return TEE_AEInit(s->op, (void *)(uintptr_t)nonce, nonce_len, (uint32_t)tag_len * 8,
	                  aad_len, payload_len);
}

static TEE_Result authenc_aad(uint64_t st, uint64_t p, uint64_t len)
{
	struct state *s = get_state(st);
	if (!s || s->cls != TEE_OPERATION_AE)
		return TEE_ERROR_BAD_PARAMETERS;
	CHECK_MEM(RD, p, len);
	TEE_AEUpdateAAD(s->op, (void *)(uintptr_t)p, len);
	return TEE_SUCCESS;
}

static TEE_Result authenc_update(uint64_t st, uint64_t src, uint64_t src_len, uint64_t dst,
                                 uint64_t dst_len)
{
	struct state *s = get_state(st);
	size_t dl;
	if (!s || s->cls != TEE_OPERATION_AE)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_Result res = data_io(src, src_len, dst, dst_len, &dl);
	if (res != TEE_SUCCESS)
		return res;
	res = TEE_AEUpdate(s->op, (void *)(uintptr_t)src, src_len, (void *)(uintptr_t)dst, &dl);
	if (res == TEE_SUCCESS || res == TEE_ERROR_SHORT_BUFFER)
		put_len(dst_len, dl);
	return res;
}

static TEE_Result authenc_enc_final(const uint64_t *a)
{
	struct state *s = get_state(a[0]);
	size_t dl, tl;
	if (!s || s->cls != TEE_OPERATION_AE)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_Result res = data_io(a[1], a[2], a[3], a[4], &dl);
	if (res == TEE_SUCCESS)
		res = get_len(a[6], &tl);
	if (res != TEE_SUCCESS)
		return res;
	CHECK_MEM(WR, a[5], tl);
	res = TEE_AEEncryptFinal(s->op, (void *)(uintptr_t)a[1], a[2], (void *)(uintptr_t)a[3], &dl,
	                         (void *)(uintptr_t)a[5], &tl);
	if (res == TEE_SUCCESS || res == TEE_ERROR_SHORT_BUFFER) {
		put_len(a[4], dl);
		put_len(a[6], tl);
	}
	return res;
}

static TEE_Result authenc_dec_final(const uint64_t *a)
{
	struct state *s = get_state(a[0]);
	size_t dl;
	if (!s || s->cls != TEE_OPERATION_AE)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_Result res = data_io(a[1], a[2], a[3], a[4], &dl);
	if (res != TEE_SUCCESS)
		return res;
	CHECK_MEM(RD, a[5], a[6]);
	res = TEE_AEDecryptFinal(s->op, (void *)(uintptr_t)a[1], a[2], (void *)(uintptr_t)a[3], &dl,
	                         (void *)(uintptr_t)a[5], a[6]);
	if (res == TEE_SUCCESS || res == TEE_ERROR_SHORT_BUFFER)
		put_len(a[4], dl);
	return res;
}

static TEE_Result asymm_operate(const uint64_t *a)
{
	struct state *s = get_state(a[0]);
	TEE_Attribute at[MAX_ATTRS];
	size_t dl;
	if (!s)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_Result res = attrs_in(a[1], a[2], at);
	if (res == TEE_SUCCESS)
		res = data_io(a[3], a[4], a[5], a[6], &dl);
	if (res == TEE_SUCCESS)
		res = rekey(s);
	if (res != TEE_SUCCESS)
		return res;
	void *in = (void *)(uintptr_t)a[3], *out = (void *)(uintptr_t)a[5];
	uint32_t n = (uint32_t)a[2];
	if (s->cls == TEE_OPERATION_ASYMMETRIC_CIPHER && s->mode == TEE_MODE_ENCRYPT)
		res = TEE_AsymmetricEncrypt(s->op, at, n, in, a[4], out, &dl);
	else if (s->cls == TEE_OPERATION_ASYMMETRIC_CIPHER && s->mode == TEE_MODE_DECRYPT)
		res = TEE_AsymmetricDecrypt(s->op, at, n, in, a[4], out, &dl);
	else if (s->cls == TEE_OPERATION_ASYMMETRIC_SIGNATURE && s->mode == TEE_MODE_SIGN)
		res = TEE_AsymmetricSignDigest(s->op, at, n, in, a[4], out, &dl);
	else
		return TEE_ERROR_BAD_PARAMETERS;
	if (res == TEE_SUCCESS || res == TEE_ERROR_SHORT_BUFFER)
		put_len(a[6], dl);
	return res;
}

static TEE_Result asymm_verify(const uint64_t *a)
{
	struct state *s = get_state(a[0]);
	TEE_Attribute at[MAX_ATTRS];
	if (!s || s->cls != TEE_OPERATION_ASYMMETRIC_SIGNATURE || s->mode != TEE_MODE_VERIFY)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_Result res = attrs_in(a[1], a[2], at);
	if (res != TEE_SUCCESS)
		return res;
	CHECK_MEM(RD, a[3], a[4]);
	CHECK_MEM(RD, a[5], a[6]);
	res = rekey(s);
	if (res != TEE_SUCCESS)
		return res;
	return TEE_AsymmetricVerifyDigest(s->op, at, (uint32_t)a[2], (void *)(uintptr_t)a[3], a[4],
	                                  (void *)(uintptr_t)a[5], a[6]);
}

static TEE_Result derive_key(uint64_t st, uint64_t ua, uint64_t n, uint64_t derived)
{
	struct state *s = get_state(st);
	TEE_Attribute at[MAX_ATTRS];
	TEE_ObjectHandle d = utee_obj(derived);
	if (!s || !d || s->cls != TEE_OPERATION_KEY_DERIVATION)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_Result res = attrs_in(ua, n, at);
	if (res == TEE_SUCCESS)
		res = rekey(s);
	if (res == TEE_SUCCESS)
		TEE_DeriveKey(s->op, at, (uint32_t)n, d);
	return res;
}

bool utee_crypto_call(uint64_t n, const uint64_t *a, TEE_Result *res)
{
	switch (n) {
	case UTEE_SCN_CRYP_STATE_ALLOC:
		*res = state_alloc(a[0], a[1], a[2], a[3], a[4]);
		break;
	case UTEE_SCN_CRYP_STATE_COPY:
		*res = state_copy(a[0], a[1]);
		break;
	case UTEE_SCN_CRYP_STATE_FREE:
		*res = state_free(a[0]);
		break;
	case UTEE_SCN_HASH_INIT:
		*res = hash_init(a[0], a[1], a[2]);
		break;
	case UTEE_SCN_HASH_UPDATE:
		*res = hash_update(a[0], a[1], a[2]);
		break;
	case UTEE_SCN_HASH_FINAL:
		*res = hash_final(a[0], a[1], a[2], a[3], a[4]);
		break;
	case UTEE_SCN_CIPHER_INIT:
		*res = cipher_init(a[0], a[1], a[2]);
		break;
	case UTEE_SCN_CIPHER_UPDATE:
		*res = cipher_io(a[0], a[1], a[2], a[3], a[4], false);
		break;
	case UTEE_SCN_CIPHER_FINAL:
		*res = cipher_io(a[0], a[1], a[2], a[3], a[4], true);
		break;
	case UTEE_SCN_CRYP_OBJ_GET_INFO:
		*res = obj_info(a[0], a[1]);
		break;
	case UTEE_SCN_CRYP_OBJ_RESTRICT_USAGE:
		*res = utee_obj(a[0]) ? TEE_RestrictObjectUsage1(utee_obj(a[0]), (uint32_t)a[1])
		                      : TEE_ERROR_BAD_PARAMETERS;
		break;
	case UTEE_SCN_CRYP_OBJ_GET_ATTR:
		*res = obj_get_attr(a[0], a[1], a[2], a[3]);
		break;
	case UTEE_SCN_CRYP_OBJ_ALLOC:
		*res = obj_alloc(a[0], a[1], a[2]);
		break;
	case UTEE_SCN_CRYP_OBJ_CLOSE:
		if (utee_obj(a[0])) {
			TEE_CloseObject(utee_obj(a[0]));
			utee_obj_forget(a[0]);
			*res = TEE_SUCCESS;
		} else {
			*res = TEE_ERROR_BAD_PARAMETERS;
		}
		break;
	case UTEE_SCN_CRYP_OBJ_RESET:
		if (utee_obj(a[0]))
			TEE_ResetTransientObject(utee_obj(a[0]));
		*res = utee_obj(a[0]) ? TEE_SUCCESS : TEE_ERROR_BAD_PARAMETERS;
		break;
	case UTEE_SCN_CRYP_OBJ_POPULATE:
		*res = obj_populate(a[0], a[1], a[2]);
		break;
	case UTEE_SCN_CRYP_OBJ_COPY:
		*res = utee_obj(a[0]) && utee_obj(a[1])
		           ? TEE_CopyObjectAttributes1(utee_obj(a[0]), utee_obj(a[1]))
		           : TEE_ERROR_BAD_PARAMETERS;
		break;
	case UTEE_SCN_CRYP_DERIVE_KEY:
		*res = derive_key(a[0], a[1], a[2], a[3]);
		break;
	case UTEE_SCN_AUTHENC_INIT:
		*res = authenc_init(a[0], a[1], a[2], a[3], a[4], a[5]);
		break;
	case UTEE_SCN_AUTHENC_UPDATE_AAD:
		*res = authenc_aad(a[0], a[1], a[2]);
		break;
	case UTEE_SCN_AUTHENC_UPDATE_PAYLOAD:
		*res = authenc_update(a[0], a[1], a[2], a[3], a[4]);
		break;
	case UTEE_SCN_AUTHENC_ENC_FINAL:
		*res = authenc_enc_final(a);
		break;
	case UTEE_SCN_AUTHENC_DEC_FINAL:
		*res = authenc_dec_final(a);
		break;
	case UTEE_SCN_ASYMM_OPERATE:
		*res = asymm_operate(a);
		break;
	case UTEE_SCN_ASYMM_VERIFY:
		*res = asymm_verify(a);
		break;
	case UTEE_SCN_CRYP_OBJ_GENERATE_KEY:
		*res = obj_generate(a[0], a[1], a[2], a[3]);
		break;
	default:
		return false;
	}
	return true;
}
