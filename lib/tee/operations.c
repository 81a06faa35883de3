/* Cryptographic operations: allocation, keys, the GP state machine, and
 * the symmetric families (digest, cipher, MAC, authenticated encryption).
 * The asymmetric ones, key derivation and random numbers are in asym.c.
 *
 * lib/tee keeps each operation's GP state (class, mode, key sizes, handle
 * flags, initial/active) and panics where the specification says a call
 * panics; the crypto service holds the algorithm state. Data goes through
 * the window in chunks where the operation allows it (updates), so a TA
 * may pass buffers of any size.
 *
 * Window layout for a symmetric request: input from offset 0 (after a
 * pending init's header and IV, if the request carries one); output (or the
 * expected tag) from the middle, `half`. */
#include <string.h>

#include "tee_crypto.h"

static struct mt_tee_operation *ops; /* every operation handle we gave out */

struct mt_tee_operation *tee_op_get(TEE_OperationHandle h, uint32_t panic_id)
{
	for (struct mt_tee_operation *o = ops; o; o = o->next)
		if (o == h)
			return o;
	TEE_Panic(panic_id);
	return 0;
}

static size_t half(void)
{
	return tee_cs_win_size() / 2;
}

/* The most input one cipher or AE request takes, so that its output
 * (input plus what the service held back, less than a block or two) fits
 * in the upper half of the window. */
static size_t stream_chunk(void)
{
	return half() - 256; /* > INIT_ROOM: a pending init fits below half too */
}

static bool live(const struct mt_tee_operation *o)
{
	return o->epoch == tee_cs_epoch;
}

/* Records an init for the next request that carries data. */
static void defer_init(struct mt_tee_operation *o, const void *iv, size_t iv_len, uint64_t params)
{
	o->init_pending = true;
	o->init_iv_len = (uint32_t)iv_len;
	o->init_params = params;
	if (iv_len)
		memcpy(o->init_iv, iv, iv_len);
}

/* If an init is pending, writes its header and IV at the start of the
 * window, marks the request *code as carrying it, and forgets it (the
 * request is about to go; if the service is lost on the way, the
 * operation is stale anyway). Returns the bytes written: the request's
 * input goes after them. */
static size_t put_init(struct mt_tee_operation *o, uint8_t *win, uint64_t *code)
{
	if (!o->init_pending)
		return 0;
	struct crypto_init_req req = {o->init_iv_len, 0, o->init_params};
	size_t n = CRYPTO_INIT_REQ_SIZE(o->init_iv_len);
	static const uint8_t zeros[8];
	memcpy(win, &req, sizeof(req));
	memcpy(win + sizeof(req), o->init_iv, o->init_iv_len);
	/* (memcpy, not memset: picolibc's memset uses a SIMD register, and
	 * touching one costs a trap when the crypto service holds them.) */
	memcpy(win + sizeof(req) + o->init_iv_len, zeros, n - sizeof(req) - o->init_iv_len);
	*code |= CRYPTO_OP_F_INIT;
	o->init_pending = false;
	return n;
}

/* The room a pending init takes in the window (at most). */
#define INIT_ROOM CRYPTO_INIT_REQ_SIZE(CRYPTO_INIT_IV_MAX)

static TEE_Result op_create(struct mt_tee_operation *o)
{
	TEE_Result res = tee_cs_begin(0);
	if (res != TEE_SUCCESS)
		return res;
	uint64_t w[4] = {CRYPTO_OP_ALLOC, o->info.algorithm, o->info.mode, o->info.maxKeySize};
	res = tee_cs_call_fresh(w);
	if (res == TEE_SUCCESS) {
		o->id = (uint32_t)w[1];
		o->epoch = tee_cs_epoch;
	}
	return res;
}

/* Makes sure the operation's state exists in the service. An operation
 * from before a restart of the service is made again if it holds nothing
 * that was lost: no key (or one about to be replaced) and no data. */
static TEE_Result op_ready(struct mt_tee_operation *o, bool new_key)
{
	if (live(o))
		return tee_cs_begin(0);
	bool keyless = o->info.operationClass == TEE_OPERATION_DIGEST ||
	               !(o->info.handleState & TEE_HANDLE_FLAG_KEY_SET) || new_key;
	if (!keyless || o->state != TEE_OPERATION_STATE_INITIAL)
		return TEE_ERROR_BAD_STATE;
	return op_create(o);
}

static uint32_t required_usage(uint32_t cls, uint32_t mode)
{
	switch (cls) {
	case TEE_OPERATION_CIPHER:
	case TEE_OPERATION_AE:
	case TEE_OPERATION_ASYMMETRIC_CIPHER:
		return mode == TEE_MODE_ENCRYPT ? TEE_USAGE_ENCRYPT : TEE_USAGE_DECRYPT;
	case TEE_OPERATION_MAC:
		return TEE_USAGE_MAC;
	case TEE_OPERATION_ASYMMETRIC_SIGNATURE:
		return mode == TEE_MODE_SIGN ? TEE_USAGE_SIGN : TEE_USAGE_VERIFY;
	case TEE_OPERATION_KEY_DERIVATION:
		return TEE_USAGE_DERIVE;
	default:
		return 0;
	}
}

TEE_Result TEE_AllocateOperation(TEE_OperationHandle *operation, uint32_t algorithm, uint32_t mode,
                                 uint32_t maxKeySize)
{
	*operation = TEE_HANDLE_NULL;
	const struct tee_alg *a = tee_alg_find(algorithm);
	if (!a || mode > TEE_MODE_DERIVE || !(a->modes & (1U << mode)))
		return TEE_ERROR_NOT_SUPPORTED;
	if (a->cls == TEE_OPERATION_DIGEST) {
		maxKeySize = 0;
	} else if (a->flags & ALG_FIXED_KEY) {
		if (maxKeySize != a->key_bits)
			return TEE_ERROR_NOT_SUPPORTED;
	} else if (!tee_type_size_ok(tee_type_find(a->key_type), maxKeySize) ||
	           ((a->flags & ALG_TWO_KEYS) && maxKeySize == 192)) {
		return TEE_ERROR_NOT_SUPPORTED; /* XTS-AES is defined for 128 and 256 */
	}
	struct mt_tee_operation *o = TEE_Malloc(sizeof(*o), TEE_MALLOC_FILL_ZERO);
	if (!o)
		return TEE_ERROR_OUT_OF_MEMORY;
	o->alg = a;
	o->info.algorithm = algorithm;
	o->info.operationClass = a->cls;
	o->info.mode = mode;
	o->info.maxKeySize = maxKeySize;
	o->info.requiredKeyUsage = required_usage(a->cls, mode);
	if (a->cls == TEE_OPERATION_DIGEST || a->cls == TEE_OPERATION_MAC)
		o->info.digestLength = a->out_len;
	if (a->cls == TEE_OPERATION_DIGEST)
		o->info.handleState = TEE_HANDLE_FLAG_KEY_SET | TEE_HANDLE_FLAG_INITIALIZED;
	if (a->flags & ALG_TWO_KEYS)
		o->info.handleState |= TEE_HANDLE_FLAG_EXPECT_TWO_KEYS;
	o->state = TEE_OPERATION_STATE_INITIAL;
	TEE_Result res = op_create(o);
	if (res != TEE_SUCCESS) {
		TEE_Free(o);
		return res;
	}
	o->next = ops;
	ops = o;
	*operation = o;
	return TEE_SUCCESS;
}

void TEE_FreeOperation(TEE_OperationHandle operation)
{
	if (operation == TEE_HANDLE_NULL)
		return;
	struct mt_tee_operation *o = tee_op_get(operation, TEE_PANIC_ID_TEE_FREEOPERATION);
	for (struct mt_tee_operation **p = &ops; *p; p = &(*p)->next)
		if (*p == o) {
			*p = o->next;
			break;
		}
	if (live(o) && tee_cs_begin(0) == TEE_SUCCESS) {
		uint64_t w[4] = {CRYPTO_OP_FREE, o->id, 0, 0};
		tee_cs_call(w);
	}
	TEE_Free(o);
}

void TEE_GetOperationInfo(TEE_OperationHandle operation, TEE_OperationInfo *operationInfo)
{
	struct mt_tee_operation *o = tee_op_get(operation, TEE_PANIC_ID_TEE_GETOPERATIONINFO);
	*operationInfo = o->info;
}

TEE_Result TEE_GetOperationInfoMultiple(TEE_OperationHandle operation,
                                        TEE_OperationInfoMultiple *operationInfoMultiple,
                                        size_t *operationSize)
{
	struct mt_tee_operation *o =
	    tee_op_get(operation, TEE_PANIC_ID_TEE_GETOPERATIONINFOMULTIPLE);
	if (!operationSize || (*operationSize && !operationInfoMultiple))
		TEE_Panic(TEE_PANIC_ID_TEE_GETOPERATIONINFOMULTIPLE);
	uint32_t nkeys = o->info.operationClass == TEE_OPERATION_DIGEST ? 0
	                 : o->alg->flags & ALG_TWO_KEYS                 ? 2
	                                                                : 1;
	size_t need = sizeof(TEE_OperationInfoMultiple) + nkeys * sizeof(TEE_OperationInfoKey);
	if (*operationSize < need) {
		*operationSize = need;
		return TEE_ERROR_SHORT_BUFFER;
	}
	TEE_OperationInfoMultiple *m = operationInfoMultiple;
	m->algorithm = o->info.algorithm;
	m->operationClass = o->info.operationClass;
	m->mode = o->info.mode;
	m->digestLength = o->info.digestLength;
	m->maxKeySize = o->info.maxKeySize;
	m->handleState = o->info.handleState;
	m->operationState = o->state;
	m->numberOfKeys = nkeys;
	if (nkeys > 0)
		m->keyInformation[0] =
		    (TEE_OperationInfoKey){o->info.keySize, o->info.requiredKeyUsage};
	if (nkeys > 1)
		m->keyInformation[1] =
		    (TEE_OperationInfoKey){o->key2_bits, o->info.requiredKeyUsage};
	*operationSize = need;
	return TEE_SUCCESS;
}

/* Back to the initial state: a cipher, MAC or AE operation needs its
 * init call again; a digest starts over. */
static void to_initial(struct mt_tee_operation *o)
{
	o->state = TEE_OPERATION_STATE_INITIAL;
	o->fed = o->produced = 0;
	o->nhold = 0;
	o->init_pending = false;
	uint32_t cls = o->info.operationClass;
	if (cls == TEE_OPERATION_CIPHER || cls == TEE_OPERATION_MAC || cls == TEE_OPERATION_AE)
		o->info.handleState &= ~TEE_HANDLE_FLAG_INITIALIZED;
}

void TEE_ResetOperation(TEE_OperationHandle operation)
{
	struct mt_tee_operation *o = tee_op_get(operation, TEE_PANIC_ID_TEE_RESETOPERATION);
	if (!(o->info.handleState & TEE_HANDLE_FLAG_KEY_SET))
		TEE_Panic(TEE_PANIC_ID_TEE_RESETOPERATION);
	to_initial(o);
	if (live(o) && tee_cs_begin(0) == TEE_SUCCESS) {
		uint64_t w[4] = {CRYPTO_OP_RESET, o->id, 0, 0};
		tee_cs_call(w);
	}
}

/* GP's rules for a key given to an operation: initialised, of a type the
 * algorithm takes (the public half of a key pair only to encrypt or
 * verify), with the usage the mode needs, no larger than the operation's
 * maximum. Each violation panics. */
static void check_key(const struct mt_tee_operation *o, const struct mt_tee_object *k,
                      uint32_t panic_id)
{
	if (!(k->info.handleFlags & TEE_HANDLE_FLAG_INITIALIZED))
		TEE_Panic(panic_id);
	uint32_t kt = k->info.objectType, need = o->alg->key_type, mode = o->info.mode;
	bool ok = kt == need;
	switch (need) {
	case TEE_TYPE_RSA_KEYPAIR:
	case TEE_TYPE_ECDSA_KEYPAIR:
		ok = ok || (tee_type_keypair(kt) == need && kt != need &&
		            (mode == TEE_MODE_ENCRYPT || mode == TEE_MODE_VERIFY));
		break;
	case TEE_TYPE_HMAC_MD5:
	case TEE_TYPE_HMAC_SHA1:
	case TEE_TYPE_HMAC_SHA224:
	case TEE_TYPE_HMAC_SHA256:
	case TEE_TYPE_HMAC_SHA384:
	case TEE_TYPE_HMAC_SHA512:
	case TEE_TYPE_HMAC_SHA3_224:
	case TEE_TYPE_HMAC_SHA3_256:
	case TEE_TYPE_HMAC_SHA3_384:
	case TEE_TYPE_HMAC_SHA3_512:
		ok = ok || kt == TEE_TYPE_GENERIC_SECRET;
		break;
	case TEE_TYPE_CONCAT_KDF_Z:
	case TEE_TYPE_PBKDF2_PASSWORD:
		ok = ok || kt == TEE_TYPE_GENERIC_SECRET;
		break;
	case TEE_TYPE_HKDF_IKM:
	case TEE_TYPE_HKDF:
		ok = ok || kt == TEE_TYPE_GENERIC_SECRET || kt == TEE_TYPE_HKDF_IKM ||
		     kt == TEE_TYPE_HKDF;
		break;
	default:
		break;
	}
	if (!ok)
		TEE_Panic(panic_id);
	uint32_t usage = o->info.requiredKeyUsage;
	if ((k->info.objectUsage & usage) != usage)
		TEE_Panic(panic_id);
	if (k->info.objectSize > o->info.maxKeySize)
		TEE_Panic(panic_id);
	if ((o->alg->flags & ALG_FIXED_KEY) && k->info.objectSize != o->alg->key_bits)
		TEE_Panic(panic_id);
}

static TEE_Result set_keys(struct mt_tee_operation *o, struct mt_tee_object *k1,
                           struct mt_tee_object *k2)
{
	if ((k1 && !tee_obj_live(k1)) || (k2 && !tee_obj_live(k2)))
		return TEE_ERROR_BAD_STATE;
	bool clear = !k1;
	TEE_Result res = clear && !live(o) ? TEE_SUCCESS : op_ready(o, true);
	if (res != TEE_SUCCESS)
		return res;
	if (live(o)) {
		uint64_t w[4] = {CRYPTO_OP_SET_KEY, o->id, k1 ? k1->id : 0, k2 ? k2->id : 0};
		res = tee_cs_call(w);
		if (res != TEE_SUCCESS && !clear)
			return res;
	}
	uint32_t cls = o->info.operationClass;
	o->info.handleState &= ~(TEE_HANDLE_FLAG_KEY_SET | TEE_HANDLE_FLAG_INITIALIZED);
	o->info.keySize = k1 ? k1->info.objectSize : 0;
	o->key2_bits = k2 ? k2->info.objectSize : 0;
	if (!clear) {
		o->info.handleState |= TEE_HANDLE_FLAG_KEY_SET;
		/* These need no init call: the key makes them ready. */
		if (cls == TEE_OPERATION_ASYMMETRIC_CIPHER ||
		    cls == TEE_OPERATION_ASYMMETRIC_SIGNATURE ||
		    cls == TEE_OPERATION_KEY_DERIVATION)
			o->info.handleState |= TEE_HANDLE_FLAG_INITIALIZED;
	}
	return TEE_SUCCESS;
}

TEE_Result TEE_SetOperationKey(TEE_OperationHandle operation, TEE_ObjectHandle key)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_SETOPERATIONKEY;
	struct mt_tee_operation *o = tee_op_get(operation, panic_id);
	if (o->info.operationClass == TEE_OPERATION_DIGEST || (o->alg->flags & ALG_TWO_KEYS) ||
	    o->state != TEE_OPERATION_STATE_INITIAL)
		TEE_Panic(panic_id);
	if (key == TEE_HANDLE_NULL)
		return set_keys(o, 0, 0);
	struct mt_tee_object *k = tee_key_get(key, panic_id); /* transient or persistent */
	check_key(o, k, panic_id);
	return set_keys(o, k, 0);
}

TEE_Result TEE_SetOperationKey2(TEE_OperationHandle operation, TEE_ObjectHandle key1,
                                TEE_ObjectHandle key2)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_SETOPERATIONKEY2;
	struct mt_tee_operation *o = tee_op_get(operation, panic_id);
	if (!(o->alg->flags & ALG_TWO_KEYS) || o->state != TEE_OPERATION_STATE_INITIAL)
		TEE_Panic(panic_id);
	if (key1 == TEE_HANDLE_NULL && key2 == TEE_HANDLE_NULL)
		return set_keys(o, 0, 0);
	if (key1 == TEE_HANDLE_NULL || key2 == TEE_HANDLE_NULL)
		TEE_Panic(panic_id);
	struct mt_tee_object *k1 = tee_key_get(key1, panic_id), *k2 = tee_key_get(key2, panic_id);
	check_key(o, k1, panic_id);
	check_key(o, k2, panic_id);
	if (k1->info.objectSize != k2->info.objectSize)
		TEE_Panic(panic_id);
	return set_keys(o, k1, k2);
}

void TEE_CopyOperation(TEE_OperationHandle dstOperation, TEE_OperationHandle srcOperation)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_COPYOPERATION;
	struct mt_tee_operation *d = tee_op_get(dstOperation, panic_id);
	struct mt_tee_operation *s = tee_op_get(srcOperation, panic_id);
	if (d->info.algorithm != s->info.algorithm || d->info.mode != s->info.mode ||
	    s->info.keySize > d->info.maxKeySize)
		TEE_Panic(panic_id);
	if (d == s)
		return;
	/* The copy is the source with the destination's own maximum size. */
	uint32_t max = d->info.maxKeySize;
	struct mt_tee_operation *next = d->next;
	uint32_t id = d->id, epoch = d->epoch;
	*d = *s;
	d->next = next;
	d->info.maxKeySize = max;
	d->id = id;
	d->epoch = epoch;
	if (!live(s)) {
		/* Nothing to copy from: the copy is as stale as its source. */
		if (live(d) && tee_cs_begin(0) == TEE_SUCCESS) {
			uint64_t w[4] = {CRYPTO_OP_FREE, d->id, 0, 0};
			tee_cs_call(w);
		}
		d->epoch = 0;
		return;
	}
	TEE_Result res = live(d) ? tee_cs_begin(0) : op_create(d);
	if (res == TEE_SUCCESS) {
		uint64_t w[4] = {CRYPTO_OP_COPY, d->id, s->id, 0};
		res = tee_cs_call(w);
	}
	if (res == TEE_ERROR_COMMUNICATION)
		return; /* the service went away: both are stale now */
	if (res != TEE_SUCCESS)
		TEE_Panic(res);
}

/* ---- moving data ---- */

/* Feeds data through `req` requests (UPDATE without output, UPDATE_AAD),
 * as much of the window as each takes (the first one also a pending init). */
static TEE_Result feed(struct mt_tee_operation *o, uint32_t req, const void *data, size_t len,
                       size_t chunk)
{
	uint8_t *win;
	TEE_Result res = tee_cs_begin(&win);
	const uint8_t *p = data;
	while (res == TEE_SUCCESS && len) {
		uint64_t code = req;
		size_t k = put_init(o, win, &code);
		size_t n = len < chunk - k ? len : chunk - k;
		memcpy(win + k, p, n);
		uint64_t w[4] = {code, o->id, CRYPTO_SPAN(0, k + n), CRYPTO_SPAN(0, 0)};
		res = tee_cs_call(w);
		p += n;
		len -= n;
	}
	return res;
}

/* Streams data through UPDATE requests with output (cipher, AE) into
 * out[0..cap). On TEE_ERROR_SHORT_BUFFER, *written is what came out before
 * and *need what the refused request wanted. */
static TEE_Result stream(struct mt_tee_operation *o, const void *data, size_t len, void *out,
                         size_t cap, size_t *written, size_t *need)
{
	uint8_t *win;
	TEE_Result res = tee_cs_begin(&win);
	const uint8_t *p = data;
	uint8_t *q = out;
	size_t h = half(), chunk = stream_chunk();
	*written = 0;
	while (res == TEE_SUCCESS && len) {
		size_t n = len < chunk ? len : chunk;
		size_t room = cap - *written < h ? cap - *written : h;
		/* A pending init goes first: it and the input stay below h. */
		uint64_t code = CRYPTO_OP_UPDATE;
		size_t k = put_init(o, win, &code);
		memcpy(win + k, p, n);
		uint64_t w[4] = {code, o->id, CRYPTO_SPAN(0, k + n), CRYPTO_SPAN(h, room)};
		res = tee_cs_call(w);
		if (res == TEE_ERROR_SHORT_BUFFER) {
			*need = w[1];
			break;
		}
		if (res != TEE_SUCCESS)
			break;
		if (w[1] > room)
			return TEE_ERROR_GENERIC; /* the service broke the protocol */
		if (w[1])
			memcpy(q + *written, win + h, w[1]);
		*written += w[1];
		o->fed += n;
		o->produced += w[1];
		p += n;
		len -= n;
	}
	return res;
}

/* What an update of len more bytes may produce: whole blocks for ECB and
 * CBC, everything fed and not yet returned for the others. */
static size_t update_bound(const struct mt_tee_operation *o, size_t len)
{
	size_t pending = (size_t)(o->fed - o->produced) + len;
	if (o->alg->flags & ALG_BLOCKED)
		return pending - pending % o->alg->block;
	return pending;
}

/* CipherUpdate and AEUpdate. A request the service refuses as too short
 * changes nothing, so the TA can retry; an input longer than the window is
 * checked against the most it may produce before any of it is sent. */
static TEE_Result update(struct mt_tee_operation *o, const void *src, size_t srcLen, void *dest,
                         size_t *destLen)
{
	if (!live(o))
		return TEE_ERROR_BAD_STATE;
	if (!srcLen) {
		*destLen = 0;
		return TEE_SUCCESS;
	}
	TEE_Result res = tee_cs_begin(0);
	if (res != TEE_SUCCESS)
		return res;
	if (srcLen > stream_chunk()) {
		size_t bound = update_bound(o, srcLen);
		if (*destLen < bound) {
			*destLen = bound;
			return TEE_ERROR_SHORT_BUFFER;
		}
	}
	size_t written, need = 0;
	res = stream(o, src, srcLen, dest, *destLen, &written, &need);
	if (res == TEE_ERROR_SHORT_BUFFER && written == 0) {
		*destLen = need;
		return res;
	}
	if (res == TEE_ERROR_SHORT_BUFFER)
		return TEE_ERROR_GENERIC; /* part of the input is in: cannot undo */
	if (res == TEE_SUCCESS)
		*destLen = written;
	return res;
}

/* ---- message digests ---- */

static struct mt_tee_operation *digest_op(TEE_OperationHandle h, uint32_t panic_id)
{
	struct mt_tee_operation *o = tee_op_get(h, panic_id);
	if (o->info.operationClass != TEE_OPERATION_DIGEST)
		TEE_Panic(panic_id);
	return o;
}

void TEE_DigestUpdate(TEE_OperationHandle operation, const void *chunk, size_t chunkSize)
{
	struct mt_tee_operation *o = digest_op(operation, TEE_PANIC_ID_TEE_DIGESTUPDATE);
	if (chunkSize && !chunk)
		TEE_Panic(TEE_PANIC_ID_TEE_DIGESTUPDATE);
	TEE_Result res = op_ready(o, false);
	o->state = TEE_OPERATION_STATE_ACTIVE;
	if (res == TEE_SUCCESS)
		res = feed(o, CRYPTO_OP_UPDATE, chunk, chunkSize, tee_cs_win_size());
	/* A lost service shows at TEE_DigestDoFinal; anything else is a bug. */
	if (res != TEE_SUCCESS && res != TEE_ERROR_COMMUNICATION && res != TEE_ERROR_BAD_STATE)
		TEE_Panic(res);
}

TEE_Result TEE_DigestDoFinal(TEE_OperationHandle operation, const void *chunk, size_t chunkLen,
                             void *hash, size_t *hashLen)
{
	struct mt_tee_operation *o = digest_op(operation, TEE_PANIC_ID_TEE_DIGESTDOFINAL);
	if ((chunkLen && !chunk) || !hashLen || (*hashLen && !hash))
		TEE_Panic(TEE_PANIC_ID_TEE_DIGESTDOFINAL);
	size_t dlen = o->info.digestLength;
	if (*hashLen < dlen) {
		*hashLen = dlen;
		return TEE_ERROR_SHORT_BUFFER;
	}
	TEE_Result res = op_ready(o, false);
	uint8_t *win = 0;
	size_t tail = tee_cs_win_size() - 128; /* the digest goes after it */
	const uint8_t *p = chunk;
	if (res == TEE_SUCCESS && chunkLen > tail) {
		size_t lead = chunkLen - tail;
		res = feed(o, CRYPTO_OP_UPDATE, p, lead, tee_cs_win_size());
		p += lead;
		chunkLen = tail;
	}
	if (res == TEE_SUCCESS)
		res = tee_cs_begin(&win);
	uint64_t w[4] = {CRYPTO_OP_FINAL, o->id, CRYPTO_SPAN(0, chunkLen), CRYPTO_SPAN(tail, 128)};
	if (res == TEE_SUCCESS) {
		if (chunkLen)
			memcpy(win, p, chunkLen);
		res = tee_cs_call(w);
	}
	if (res == TEE_SUCCESS && (w[1] > dlen || w[1] > *hashLen))
		res = TEE_ERROR_GENERIC;
	if (res == TEE_SUCCESS) {
		memcpy(hash, win + tail, w[1]);
		*hashLen = w[1];
	}
	o->state = TEE_OPERATION_STATE_INITIAL;
	return res;
}

TEE_Result TEE_DigestExtract(TEE_OperationHandle operation, void *hash, size_t *hashLen)
{
	(void)hash;
	(void)hashLen;
	/* Only the extendable-output functions (SHAKE) can be extracted from,
	 * and there are none: every digest operation is the wrong kind. */
	digest_op(operation, TEE_PANIC_ID_TEE_DIGESTDOFINAL);
	TEE_Panic(TEE_PANIC_ID_TEE_DIGESTDOFINAL);
	return TEE_ERROR_NOT_SUPPORTED;
}

/* ---- symmetric ciphers ---- */

static struct mt_tee_operation *cipher_op(TEE_OperationHandle h, uint32_t panic_id, bool active)
{
	struct mt_tee_operation *o = tee_op_get(h, panic_id);
	if (o->info.operationClass != TEE_OPERATION_CIPHER)
		TEE_Panic(panic_id);
	if (active && o->state != TEE_OPERATION_STATE_ACTIVE)
		TEE_Panic(panic_id);
	return o;
}

void TEE_CipherInit(TEE_OperationHandle operation, const void *IV, size_t IVLen)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_CIPHERINIT;
	struct mt_tee_operation *o = cipher_op(operation, panic_id, false);
	if (!(o->info.handleState & TEE_HANDLE_FLAG_KEY_SET))
		TEE_Panic(panic_id);
	/* ECB ignores the IV; the others need one block. */
	if (!(o->alg->flags & ALG_NEEDS_IV))
		IVLen = 0;
	else if (IVLen != o->alg->block || !IV)
		TEE_Panic(panic_id);
	o->state = TEE_OPERATION_STATE_ACTIVE;
	o->info.handleState |= TEE_HANDLE_FLAG_INITIALIZED;
	o->fed = o->produced = 0;
	o->nhold = 0;
	/* With the key set and the IV checked, the service cannot refuse it:
	 * it goes with the first update or the final. (A lost service shows
	 * there.) */
	defer_init(o, IV, IVLen, 0);
}

/* CTS and XTS: what goes to the service now of the message's held end
 * and src[0..len), all but its last 17 to 32 bytes (as libutee keeps
 * them), in whole blocks; the rest is kept. */
static size_t two_block_send(const struct mt_tee_operation *o, size_t len)
{
	size_t total = o->nhold + len;
	return total > sizeof(o->hold) ? (total - 17) & ~(size_t)15 : 0;
}

static TEE_Result two_block_update(struct mt_tee_operation *o, const uint8_t *src, size_t len,
                                   uint8_t *dest, size_t *destLen)
{
	size_t send = two_block_send(o, len);
	if (*destLen < send) {
		*destLen = send;
		return TEE_ERROR_SHORT_BUFFER;
	}
	size_t from_hold = send < o->nhold ? send : o->nhold, d1 = *destLen, d2 = 0;
	TEE_Result res = from_hold ? update(o, o->hold, from_hold, dest, &d1) : TEE_SUCCESS;
	if (!from_hold)
		d1 = 0;
	if (res == TEE_SUCCESS && send > from_hold) {
		d2 = *destLen - d1;
		res = update(o, src, send - from_hold, dest + d1, &d2);
	}
	if (res != TEE_SUCCESS)
		return res == TEE_ERROR_SHORT_BUFFER ? TEE_ERROR_GENERIC : res;
	/* The new end: what is left of the old one, then of src. */
	size_t keep = o->nhold - from_hold, from_src = send - from_hold;
	memmove(o->hold, o->hold + from_hold, keep);
	memcpy(o->hold + keep, src + from_src, len - from_src);
	o->nhold = (uint8_t)(keep + len - from_src);
	*destLen = d1 + d2;
	return TEE_SUCCESS;
}

TEE_Result TEE_CipherUpdate(TEE_OperationHandle operation, const void *srcData, size_t srcLen,
                            void *destData, size_t *destLen)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_CIPHERUPDATE;
	struct mt_tee_operation *o = cipher_op(operation, panic_id, true);
	if ((srcLen && !srcData) || !destLen || (*destLen && !destData))
		TEE_Panic(panic_id);
	if ((o->alg->flags & ALG_TWO_BLOCKS) && !o->caller_holds) {
		if (!live(o))
			return TEE_ERROR_BAD_STATE;
		return two_block_update(o, srcData, srcLen, destData, destLen);
	}
	return update(o, srcData, srcLen, destData, destLen);
}

void tee_rt_cipher_caller_holds(TEE_OperationHandle operation)
{
	struct mt_tee_operation *o = tee_op_get(operation, TEE_PANIC_ID_TEE_CIPHERINIT);
	o->caller_holds = true;
}

/* Sends the last piece of a final request: data[0..len) in, output into
 * out[0..cap), with `extra` more bytes of room in the window (a tag).
 * Earlier pieces, if the data is longer than one request, go as updates.
 * *done is the total output; *w gets the service's reply. */
static TEE_Result final_pieces(struct mt_tee_operation *o, const uint8_t *data, size_t len,
                               uint8_t *out, size_t cap, size_t *done, uint64_t w[4])
{
	size_t chunk = stream_chunk(), need;
	*done = 0;
	TEE_Result res = TEE_SUCCESS;
	if (len > chunk) {
		size_t lead = len - chunk;
		res = stream(o, data, lead, out, cap, done, &need);
		data += lead;
		len -= lead;
		if (res == TEE_ERROR_SHORT_BUFFER)
			res = TEE_ERROR_GENERIC;
	}
	uint8_t *win;
	size_t k = 0;
	if (res == TEE_SUCCESS)
		res = tee_cs_begin(&win);
	if (res == TEE_SUCCESS)
		k = put_init(o, win, &w[0]);
	if (res == TEE_SUCCESS && len)
		memcpy(win + k, data, len);
	w[1] = o->id;
	w[2] = CRYPTO_SPAN(0, k + len);
	return res;
}

TEE_Result TEE_CipherDoFinal(TEE_OperationHandle operation, const void *srcData, size_t srcLen,
                             void *destData, size_t *destLen)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_CIPHERDOFINAL;
	struct mt_tee_operation *o = cipher_op(operation, panic_id, true);
	if ((srcLen && !srcData) || !destLen || (*destLen && !destData))
		TEE_Panic(panic_id);
	size_t total = (size_t)(o->fed - o->produced) + o->nhold + srcLen;
	if ((o->alg->flags & ALG_BLOCKED) && total % o->alg->block)
		TEE_Panic(panic_id); /* no padding: whole blocks only */
	if (*destLen < total) {
		*destLen = total;
		return TEE_ERROR_SHORT_BUFFER;
	}
	if (!live(o)) {
		to_initial(o);
		return TEE_ERROR_BAD_STATE;
	}
	/* CTS, XTS: all but the end as an update, then the end (the held
	 * bytes, at most 32) as the final. */
	size_t early = 0;
	if ((o->alg->flags & ALG_TWO_BLOCKS) && !o->caller_holds) {
		early = *destLen;
		TEE_Result res = two_block_update(o, srcData, srcLen, destData, &early);
		if (res != TEE_SUCCESS) {
			to_initial(o);
			return res;
		}
		srcData = o->hold;
		srcLen = o->nhold;
		destData = (uint8_t *)destData + early;
		*destLen -= early;
	}
	size_t done, h = half();
	uint64_t w[4] = {CRYPTO_OP_FINAL, 0, 0, 0};
	TEE_Result res = final_pieces(o, srcData, srcLen, destData, *destLen, &done, w);
	size_t room = *destLen - done < h ? *destLen - done : h;
	uint8_t *win = 0;
	if (res == TEE_SUCCESS)
		res = tee_cs_begin(&win);
	if (res == TEE_SUCCESS) {
		w[3] = CRYPTO_SPAN(h, room);
		res = tee_cs_call(w);
	}
	if (res == TEE_ERROR_SHORT_BUFFER && done == 0 && early == 0) {
		*destLen = w[1]; /* nothing consumed: the TA may retry */
		return res;
	}
	if (res == TEE_SUCCESS && w[1] > room)
		res = TEE_ERROR_GENERIC;
	if (res == TEE_SUCCESS) {
		if (w[1])
			memcpy((uint8_t *)destData + done, win + h, w[1]);
		*destLen = early + done + w[1];
	} else if (res == TEE_ERROR_SHORT_BUFFER) {
		res = TEE_ERROR_GENERIC;
	}
	to_initial(o);
	return res;
}

/* ---- MACs ---- */

static struct mt_tee_operation *mac_op(TEE_OperationHandle h, uint32_t panic_id, bool active)
{
	struct mt_tee_operation *o = tee_op_get(h, panic_id);
	if (o->info.operationClass != TEE_OPERATION_MAC)
		TEE_Panic(panic_id);
	if (active && o->state != TEE_OPERATION_STATE_ACTIVE)
		TEE_Panic(panic_id);
	return o;
}

void TEE_MACInit(TEE_OperationHandle operation, const void *IV, size_t IVLen)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_MACINIT;
	struct mt_tee_operation *o = mac_op(operation, panic_id, false);
	if (!(o->info.handleState & TEE_HANDLE_FLAG_KEY_SET) || (IVLen && !IV))
		TEE_Panic(panic_id);
	/* HMAC and CMAC take no IV: it is ignored. */
	o->state = TEE_OPERATION_STATE_ACTIVE;
	o->info.handleState |= TEE_HANDLE_FLAG_INITIALIZED;
	/* Sent with the first update or the final (the service cannot refuse
	 * it; a lost service shows there). */
	defer_init(o, 0, 0, 0);
}

void TEE_MACUpdate(TEE_OperationHandle operation, const void *chunk, size_t chunkSize)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_MACUPDATE;
	struct mt_tee_operation *o = mac_op(operation, panic_id, true);
	if (chunkSize && !chunk)
		TEE_Panic(panic_id);
	if (!live(o))
		return;
	TEE_Result res = feed(o, CRYPTO_OP_UPDATE, chunk, chunkSize, tee_cs_win_size());
	if (res != TEE_SUCCESS && res != TEE_ERROR_COMMUNICATION)
		TEE_Panic(res);
}

/* Feeds all but the last piece of a message, which goes with the final
 * request `*code`: copies it into the window at the start, after a pending
 * init if there is one, and returns in *span where the request's input is.
 * The input ends below `tail`. */
static TEE_Result mac_lead(struct mt_tee_operation *o, const uint8_t **msg, size_t *len,
                           size_t tail, uint8_t **win, uint64_t *code, uint64_t *span)
{
	TEE_Result res = TEE_SUCCESS;
	tail -= INIT_ROOM;
	if (*len > tail) {
		size_t lead = *len - tail;
		res = feed(o, CRYPTO_OP_UPDATE, *msg, lead, tee_cs_win_size());
		*msg += lead;
		*len = tail;
	}
	if (res == TEE_SUCCESS)
		res = tee_cs_begin(win);
	size_t k = 0;
	if (res == TEE_SUCCESS)
		k = put_init(o, *win, code);
	if (res == TEE_SUCCESS && *len)
		memcpy(*win + k, *msg, *len);
	*span = CRYPTO_SPAN(0, k + *len);
	return res;
}

TEE_Result TEE_MACComputeFinal(TEE_OperationHandle operation, const void *message,
                               size_t messageLen, void *mac, size_t *macLen)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_MACCOMPUTEFINAL;
	struct mt_tee_operation *o = mac_op(operation, panic_id, true);
	if ((messageLen && !message) || !macLen || (*macLen && !mac))
		TEE_Panic(panic_id);
	size_t mlen = o->info.digestLength;
	if (*macLen < mlen) {
		*macLen = mlen;
		return TEE_ERROR_SHORT_BUFFER;
	}
	TEE_Result res = live(o) ? TEE_SUCCESS : TEE_ERROR_BAD_STATE;
	size_t tail = tee_cs_win_size() - 128;
	const uint8_t *p = message;
	uint8_t *win = 0;
	uint64_t w[4] = {CRYPTO_OP_FINAL, o->id, 0, CRYPTO_SPAN(tail, 128)};
	if (res == TEE_SUCCESS)
		res = mac_lead(o, &p, &messageLen, tail, &win, &w[0], &w[2]);
	if (res == TEE_SUCCESS)
		res = tee_cs_call(w);
	if (res == TEE_SUCCESS && w[1] > *macLen)
		res = TEE_ERROR_GENERIC;
	if (res == TEE_SUCCESS) {
		memcpy(mac, win + tail, w[1]);
		*macLen = w[1];
	}
	to_initial(o);
	return res;
}

/* Asks the service to check an expected MAC or tag: the request header,
 * then the tag, at `at` in the window. */
static uint64_t put_check(uint8_t *win, size_t at, const void *tag, size_t tagLen, uint32_t out_off,
                          uint32_t out_cap)
{
	struct crypto_check_req req = {(uint32_t)tagLen, out_off, out_cap, 0};
	memcpy(win + at, &req, sizeof(req));
	if (tagLen)
		memcpy(win + at + sizeof(req), tag, tagLen);
	return CRYPTO_SPAN(at, sizeof(req) + tagLen);
}

TEE_Result TEE_MACCompareFinal(TEE_OperationHandle operation, const void *message,
                               size_t messageLen, const void *mac, size_t macLen)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_MACCOMPAREFINAL;
	struct mt_tee_operation *o = mac_op(operation, panic_id, true);
	if ((messageLen && !message) || (macLen && !mac))
		TEE_Panic(panic_id);
	TEE_Result res = live(o) ? TEE_SUCCESS : TEE_ERROR_BAD_STATE;
	if (res == TEE_SUCCESS && macLen > 1024) {
		to_initial(o);
		return TEE_ERROR_MAC_INVALID; /* longer than any MAC */
	}
	size_t tail = half();
	const uint8_t *p = message;
	uint8_t *win = 0;
	uint64_t w[4] = {CRYPTO_OP_FINAL_CHECK, o->id, 0, 0};
	if (res == TEE_SUCCESS)
		res = mac_lead(o, &p, &messageLen, tail, &win, &w[0], &w[2]);
	if (res == TEE_SUCCESS) {
		w[3] = put_check(win, tail, mac, macLen, 0, 0);
		res = tee_cs_call(w);
	}
	to_initial(o);
	return res;
}

/* ---- authenticated encryption ---- */

static struct mt_tee_operation *ae_op(TEE_OperationHandle h, uint32_t panic_id, bool active)
{
	struct mt_tee_operation *o = tee_op_get(h, panic_id);
	if (o->info.operationClass != TEE_OPERATION_AE)
		TEE_Panic(panic_id);
	if (active && o->state != TEE_OPERATION_STATE_ACTIVE)
		TEE_Panic(panic_id);
	return o;
}

/* The tag lengths GP lists: GCM 128, 120, 112, 104 or 96 bits; CCM 32 to
 * 128 in steps of 16. */
static bool tag_len_ok(uint32_t alg, uint32_t bits)
{
	if (alg == TEE_ALG_AES_GCM)
		return bits >= 96 && bits <= 128 && bits % 8 == 0;
	return bits >= 32 && bits <= 128 && bits % 16 == 0;
}

TEE_Result TEE_AEInit(TEE_OperationHandle operation, const void *nonce, size_t nonceLen,
                      uint32_t tagLen, size_t AADLen, size_t payloadLen)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_AEINIT;
	struct mt_tee_operation *o = ae_op(operation, panic_id, false);
	if (!(o->info.handleState & TEE_HANDLE_FLAG_KEY_SET) || (nonceLen && !nonce))
		TEE_Panic(panic_id);
	if (!tag_len_ok(o->info.algorithm, tagLen))
		return TEE_ERROR_NOT_SUPPORTED;
	bool ccm = o->info.algorithm == TEE_ALG_AES_CCM;
	/* The protocol carries 16 bits of AAD length and 32 of payload
	 * length, which only CCM needs. */
	if (ccm && (AADLen > 0xFFFF || payloadLen > 0xFFFFFFFFU))
		return TEE_ERROR_NOT_SUPPORTED;
	if (!ccm)
		AADLen = payloadLen = 0;
	if (nonceLen > half())
		return TEE_ERROR_NOT_SUPPORTED;
	/* Starting over from the active state is allowed: the service resets. */
	TEE_Result res = op_ready(o, false);
	uint8_t *win = 0;
	if (res == TEE_SUCCESS)
		res = tee_cs_begin(&win);
	if (res != TEE_SUCCESS)
		return res;
	uint64_t params = (uint64_t)tagLen | (uint64_t)AADLen << 16 | (uint64_t)payloadLen << 32;
	if (!ccm) {
		/* GCM: what the service would refuse (a nonce of 0 or more than
		 * CRYPTO_INIT_IV_MAX bytes) panics here, as its refusal would;
		 * the rest cannot fail, so the init goes with the next request. */
		if (!nonceLen || nonceLen > CRYPTO_INIT_IV_MAX)
			TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
		defer_init(o, nonce, nonceLen, params);
		o->state = TEE_OPERATION_STATE_ACTIVE;
		o->info.handleState |= TEE_HANDLE_FLAG_INITIALIZED;
		o->info.digestLength = tagLen / 8;
		o->tag_len = tagLen / 8;
		o->fed = o->produced = 0;
		return TEE_SUCCESS;
	}
	/* CCM: its lengths and nonce together decide what is valid; the
	 * service says so now. */
	if (nonceLen)
		memcpy(win, nonce, nonceLen);
	uint64_t w[4] = {CRYPTO_OP_INIT, o->id, CRYPTO_SPAN(0, nonceLen), params};
	o->init_pending = false;
	res = tee_cs_call(w);
	if (res == TEE_SUCCESS) {
		o->state = TEE_OPERATION_STATE_ACTIVE;
		o->info.handleState |= TEE_HANDLE_FLAG_INITIALIZED;
		o->info.digestLength = tagLen / 8;
		o->tag_len = tagLen / 8;
		o->fed = o->produced = 0;
	} else if (res != TEE_ERROR_NOT_SUPPORTED && res != TEE_ERROR_COMMUNICATION) {
		TEE_Panic(res); /* a nonce the algorithm cannot take */
	}
	return res;
}

void TEE_AEUpdateAAD(TEE_OperationHandle operation, const void *AADdata, size_t AADdataLen)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_AEUPDATEAAD;
	struct mt_tee_operation *o = ae_op(operation, panic_id, true);
	if (AADdataLen && !AADdata)
		TEE_Panic(panic_id);
	if (!live(o))
		return;
	TEE_Result res = feed(o, CRYPTO_OP_UPDATE_AAD, AADdata, AADdataLen, tee_cs_win_size());
	if (res != TEE_SUCCESS && res != TEE_ERROR_COMMUNICATION)
		TEE_Panic(res); /* AAD after the payload, or more than announced (CCM) */
}

TEE_Result TEE_AEUpdate(TEE_OperationHandle operation, const void *srcData, size_t srcLen,
                        void *destData, size_t *destLen)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_AEUPDATE;
	struct mt_tee_operation *o = ae_op(operation, panic_id, true);
	if ((srcLen && !srcData) || !destLen || (*destLen && !destData))
		TEE_Panic(panic_id);
	return update(o, srcData, srcLen, destData, destLen);
}

TEE_Result TEE_AEEncryptFinal(TEE_OperationHandle operation, const void *srcData, size_t srcLen,
                              void *destData, size_t *destLen, void *tag, size_t *tagLen)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_AEENCRYPTFINAL;
	struct mt_tee_operation *o = ae_op(operation, panic_id, true);
	if (o->info.mode != TEE_MODE_ENCRYPT || (srcLen && !srcData) || !destLen || !tagLen ||
	    (*destLen && !destData) || (*tagLen && !tag))
		TEE_Panic(panic_id);
	size_t total = (size_t)(o->fed - o->produced) + srcLen;
	bool short_buf = false;
	if (*tagLen < o->tag_len) {
		*tagLen = o->tag_len;
		short_buf = true;
	}
	if (*destLen < total) {
		*destLen = total;
		short_buf = true;
	}
	if (short_buf)
		return TEE_ERROR_SHORT_BUFFER;
	if (!live(o)) {
		to_initial(o);
		return TEE_ERROR_BAD_STATE;
	}
	size_t done, h = half();
	uint64_t w[4] = {CRYPTO_OP_FINAL, 0, 0, 0};
	TEE_Result res = final_pieces(o, srcData, srcLen, destData, *destLen, &done, w);
	/* Ciphertext then tag. */
	size_t room = *destLen - done + o->tag_len;
	if (room > h)
		room = h;
	uint8_t *win = 0;
	if (res == TEE_SUCCESS)
		res = tee_cs_begin(&win);
	if (res == TEE_SUCCESS) {
		w[3] = CRYPTO_SPAN(h, room);
		res = tee_cs_call(w);
	}
	if (res == TEE_SUCCESS) {
		size_t out = w[1], tl = w[2];
		if (tl != o->tag_len || out < tl || out > room || out - tl > *destLen - done) {
			res = TEE_ERROR_GENERIC;
		} else {
			if (out - tl)
				memcpy((uint8_t *)destData + done, win + h, out - tl);
			memcpy(tag, win + h + out - tl, tl);
			*destLen = done + out - tl;
			*tagLen = tl;
		}
	} else if (res == TEE_ERROR_SHORT_BUFFER) {
		res = TEE_ERROR_GENERIC;
	}
	to_initial(o);
	return res;
}

TEE_Result TEE_AEDecryptFinal(TEE_OperationHandle operation, const void *srcData, size_t srcLen,
                              void *destData, size_t *destLen, void *tag, size_t tagLen)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_AEDECRYPTFINAL;
	struct mt_tee_operation *o = ae_op(operation, panic_id, true);
	if (o->info.mode != TEE_MODE_DECRYPT || (srcLen && !srcData) || !destLen ||
	    (*destLen && !destData) || (tagLen && !tag))
		TEE_Panic(panic_id);
	size_t total = (size_t)(o->fed - o->produced) + srcLen;
	if (*destLen < total) {
		*destLen = total;
		return TEE_ERROR_SHORT_BUFFER;
	}
	if (!live(o)) {
		to_initial(o);
		return TEE_ERROR_BAD_STATE;
	}
	if (tagLen > 64) {
		to_initial(o);
		return TEE_ERROR_MAC_INVALID; /* longer than any tag */
	}
	size_t done, h = half(), out_at = h + 128;
	uint64_t w[4] = {CRYPTO_OP_FINAL_CHECK, 0, 0, 0};
	TEE_Result res = final_pieces(o, srcData, srcLen, destData, *destLen, &done, w);
	size_t room = *destLen - done;
	if (room > tee_cs_win_size() - out_at)
		room = tee_cs_win_size() - out_at;
	uint8_t *win = 0;
	if (res == TEE_SUCCESS)
		res = tee_cs_begin(&win);
	if (res == TEE_SUCCESS) {
		w[3] = put_check(win, h, tag, tagLen, (uint32_t)out_at, (uint32_t)room);
		res = tee_cs_call(w);
	}
	if (res == TEE_SUCCESS && w[1] > room)
		res = TEE_ERROR_GENERIC;
	if (res == TEE_SUCCESS) {
		if (w[1])
			memcpy((uint8_t *)destData + done, win + out_at, w[1]);
		*destLen = done + w[1];
	} else if (res == TEE_ERROR_SHORT_BUFFER) {
		res = TEE_ERROR_GENERIC;
	}
	to_initial(o);
	return res;
}
