/* Transient objects: keys that live in the crypto service. A handle holds
 * the service's object id and what GP needs locally: type, sizes, usage and
 * whether the object is initialised. lib/tee checks every GP rule (and
 * panics where the specification says the call panics) before it asks the
 * service; the service checks again for itself.
 *
 * Persistent objects are storage.c's: TEE_CloseObject, TEE_GetObjectInfo1
 * and TEE_RestrictObjectUsage1 pass them there. A persistent object with
 * stored attributes holds a crypto-service object too (imported when it
 * was opened), so the attribute getters, TEE_CopyObjectAttributes1's
 * source and TEE_SetOperationKey take it as a key (tee_key_get); every
 * other function here takes transient objects only. */
#include <string.h>

#include "tee_crypto.h"
#include "tee_rt.h"

#define ALL_USAGE 0xFFFFFFFFU

static struct mt_tee_object *objects; /* every object handle we gave out */

struct mt_tee_object *tee_obj_get(TEE_ObjectHandle h, uint32_t panic_id)
{
	for (struct mt_tee_object *o = objects; o; o = o->next)
		if (o == h)
			return o;
	TEE_Panic(panic_id);
	return 0;
}

struct mt_tee_object *tee_key_get(TEE_ObjectHandle h, uint32_t panic_id)
{
	struct mt_tee_object *k = tee_pobj_key(h);
	return k ? k : tee_obj_get(h, panic_id);
}

void tee_obj_restrict_svc(struct mt_tee_object *o, uint32_t usage)
{
	if (tee_obj_live(o) && tee_cs_begin(0) == TEE_SUCCESS) {
		uint64_t w[4] = {CRYPTO_OP_OBJ_RESTRICT, o->id, usage, 0};
		tee_cs_call(w);
	}
}

static bool initialized(const struct mt_tee_object *o)
{
	return o->info.handleFlags & TEE_HANDLE_FLAG_INITIALIZED;
}

/* Asks the service for an object of o's type and maximum size. */
static TEE_Result obj_create(struct mt_tee_object *o)
{
	TEE_Result res = tee_cs_begin(0);
	if (res != TEE_SUCCESS)
		return res;
	uint64_t w[4] = {CRYPTO_OP_OBJ_ALLOC, o->info.objectType, o->info.maxObjectSize, 0};
	res = tee_cs_call_fresh(w);
	if (res == TEE_SUCCESS) {
		o->id = (uint32_t)w[1];
		o->epoch = tee_cs_epoch;
	}
	return res;
}

/* Makes sure an object the caller is about to fill exists in the service:
 * an uninitialised object from before a restart of the service holds
 * nothing, so it is simply made again there. */
static TEE_Result obj_ready(struct mt_tee_object *o)
{
	if (tee_obj_live(o))
		return tee_cs_begin(0);
	if (initialized(o))
		return TEE_ERROR_BAD_STATE; /* its key went with the old service */
	return obj_create(o);
}

void tee_obj_forget(struct mt_tee_object *o)
{
	if (tee_obj_live(o) && tee_cs_begin(0) == TEE_SUCCESS) {
		uint64_t w[4] = {CRYPTO_OP_OBJ_FREE, o->id, 0, 0};
		tee_cs_call(w);
	}
	o->epoch = 0;
}

TEE_Result TEE_AllocateTransientObject(TEE_ObjectType objectType, uint32_t maxObjectSize,
                                       TEE_ObjectHandle *object)
{
	*object = TEE_HANDLE_NULL;
	const struct tee_type *t = tee_type_find(objectType);
	if (!t || !tee_type_size_ok(t, maxObjectSize))
		return TEE_ERROR_NOT_SUPPORTED;
	struct mt_tee_object *o = TEE_Malloc(sizeof(*o), TEE_MALLOC_FILL_ZERO);
	if (!o)
		return TEE_ERROR_OUT_OF_MEMORY;
	o->info.objectType = objectType;
	o->info.maxObjectSize = maxObjectSize;
	o->info.objectUsage = ALL_USAGE;
	TEE_Result res = obj_create(o);
	if (res != TEE_SUCCESS) {
		TEE_Free(o);
		return res;
	}
	o->next = objects;
	objects = o;
	*object = o;
	return TEE_SUCCESS;
}

static void obj_free(TEE_ObjectHandle object, uint32_t panic_id)
{
	if (object == TEE_HANDLE_NULL)
		return;
	struct mt_tee_object *o = tee_obj_get(object, panic_id);
	for (struct mt_tee_object **p = &objects; *p; p = &(*p)->next)
		if (*p == o) {
			*p = o->next;
			break;
		}
	tee_obj_forget(o);
	TEE_Free(o);
}

void TEE_FreeTransientObject(TEE_ObjectHandle object)
{
	obj_free(object, TEE_PANIC_ID_TEE_FREETRANSIENTOBJECT);
}

void TEE_CloseObject(TEE_ObjectHandle object)
{
	if (tee_pobj_is(object))
		tee_pobj_close(object);
	else
		obj_free(object, TEE_PANIC_ID_TEE_CLOSEOBJECT);
}

void TEE_ResetTransientObject(TEE_ObjectHandle object)
{
	if (object == TEE_HANDLE_NULL)
		return;
	struct mt_tee_object *o = tee_obj_get(object, TEE_PANIC_ID_TEE_RESETTRANSIENTOBJECT);
	if (initialized(o) && tee_obj_live(o) && tee_cs_begin(0) == TEE_SUCCESS) {
		uint64_t w[4] = {CRYPTO_OP_OBJ_RESET, o->id, 0, 0};
		if (tee_cs_call(w) != TEE_SUCCESS)
			tee_obj_forget(o); /* made again when next filled */
	}
	o->info.handleFlags &= ~TEE_HANDLE_FLAG_INITIALIZED;
	o->info.objectSize = 0;
	o->info.objectUsage = ALL_USAGE;
}

/* ---- populate and generate ---- */

static bool in_list(const uint32_t *l, uint32_t id)
{
	for (; *l; l++)
		if (*l == id)
			return true;
	return false;
}

static const TEE_Attribute *find_attr(const TEE_Attribute *a, uint32_t n, uint32_t id)
{
	for (uint32_t i = 0; i < n; i++)
		if (a[i].attributeID == id)
			return &a[i];
	return 0;
}

/* Bits of a big-endian unsigned number. */
static uint32_t number_bits(const TEE_Attribute *a)
{
	const uint8_t *p = a->content.ref.buffer;
	size_t n = a->content.ref.length;
	while (n && !*p)
		p++, n--;
	if (!n)
		return 0;
	return (uint32_t)(n - 1) * 8 + (32 - __builtin_clz(*p));
}

/* The size in bits of the key `attrs` describe for type t; 0 with *res
 * set if a value is wrong (BAD_PARAMETERS, NOT_SUPPORTED). */
static uint32_t key_bits(const struct mt_tee_object *o, const TEE_Attribute *attrs, uint32_t n,
                         TEE_Result *res)
{
	uint32_t type = o->info.objectType;
	*res = TEE_ERROR_BAD_PARAMETERS;
	if (tee_type_is_secret(type)) {
		size_t len = attrs[0].content.ref.length;
		if (len == 0 || len > 4096 / 8)
			return 0;
		if (type == TEE_TYPE_AES && len != 16 && len != 24 && len != 32)
			return 0;
		if ((type == TEE_TYPE_DES && len != 8) ||
		    (type == TEE_TYPE_DES3 && len != 16 && len != 24))
			return 0;
		*res = TEE_SUCCESS;
		/* A DES key's size leaves out its parity bits. */
		if (type == TEE_TYPE_DES || type == TEE_TYPE_DES3)
			return (uint32_t)len * 7;
		return (uint32_t)len * 8;
	}
	if (type == TEE_TYPE_X25519_KEYPAIR || type == TEE_TYPE_X25519_PUBLIC_KEY) {
		const TEE_Attribute *q = find_attr(attrs, n, TEE_ATTR_X25519_PUBLIC_VALUE),
		                    *d = find_attr(attrs, n, TEE_ATTR_X25519_PRIVATE_VALUE);
		if (!q || q->content.ref.length != 32 || (d && d->content.ref.length != 32))
			return 0;
		*res = TEE_SUCCESS;
		return 256;
	}
	const TEE_Attribute *a = find_attr(attrs, n, TEE_ATTR_ECC_CURVE);
	if (a) {
		uint32_t bits = tee_curve_bits(a->content.value.a);
		if (!bits)
			return 0;
		if (!tee_curve_supported(a->content.value.a)) {
			*res = TEE_ERROR_NOT_SUPPORTED;
			return 0;
		}
		*res = TEE_SUCCESS;
		return bits;
	}
	a = find_attr(attrs, n,
	              type == TEE_TYPE_DH_KEYPAIR ? TEE_ATTR_DH_PRIME : TEE_ATTR_RSA_MODULUS);
	uint32_t bits = a ? number_bits(a) : 0;
	if (bits)
		*res = TEE_SUCCESS;
	return bits;
}

/* GP's checks on the attributes given to TEE_PopulateTransientObject:
 * panics for a missing mandatory attribute, one the type does not have, or
 * a key larger than the object's maximum; BAD_PARAMETERS for a wrong value. */
static TEE_Result check_populate(const struct mt_tee_object *o, const TEE_Attribute *attrs,
                                 uint32_t n, uint32_t *bits)
{
	const struct tee_type *t = tee_type_find(o->info.objectType);
	const uint32_t panic_id = TEE_PANIC_ID_TEE_POPULATETRANSIENTOBJECT;
	if (n && !attrs)
		TEE_Panic(panic_id);
	/* OP-TEE's HKDF input keying material comes as TEE_ATTR_HKDF_IKM; a
	 * generic secret value is taken too. */
	if (o->info.objectType == TEE_TYPE_HKDF_IKM && n == 1 &&
	    attrs[0].attributeID == TEE_ATTR_SECRET_VALUE)
		t = tee_type_find(TEE_TYPE_HKDF);
	unsigned optional = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t id = attrs[i].attributeID;
		if (!in_list(t->mandatory, id) && !in_list(t->optional, id))
			TEE_Panic(panic_id);
		if (!(id & TEE_ATTR_FLAG_VALUE) && attrs[i].content.ref.length &&
		    !attrs[i].content.ref.buffer)
			TEE_Panic(panic_id);
		if (find_attr(attrs, i, id))
			return TEE_ERROR_BAD_PARAMETERS; /* given twice */
		optional += in_list(t->optional, id);
	}
	for (const uint32_t *m = t->mandatory; *m; m++)
		if (!find_attr(attrs, n, *m))
			TEE_Panic(panic_id);
	/* The RSA CRT values come all together or not at all. */
	unsigned all_optional = 0;
	for (const uint32_t *p = t->optional; *p; p++)
		all_optional++;
	if (t->optional == tee_type_rsa_crt() && optional && optional != all_optional)
		TEE_Panic(panic_id);
	/* A value attribute where a buffer belongs (or the reverse) is a
	 * different attribute, so it was refused above. */
	TEE_Result res;
	*bits = key_bits(o, attrs, n, &res);
	if (res != TEE_SUCCESS)
		return res;
	if (*bits > o->info.maxObjectSize)
		TEE_Panic(panic_id);
	return TEE_SUCCESS;
}

/* Serializes attributes into the window from offset 0; returns the span. */
static TEE_Result put_attrs(uint8_t *win, const TEE_Attribute *attrs, uint32_t n, uint64_t *span)
{
	struct tee_recs r;
	tee_recs_init(&r, win, 0, (uint32_t)tee_cs_win_size());
	for (uint32_t i = 0; i < n; i++)
		tee_recs_add(&r, &attrs[i]);
	if (r.overflow)
		return TEE_ERROR_OUT_OF_MEMORY;
	*span = CRYPTO_SPAN(0, tee_recs_len(&r));
	return TEE_SUCCESS;
}

TEE_Result TEE_PopulateTransientObject(TEE_ObjectHandle object, const TEE_Attribute *attrs,
                                       uint32_t attrCount)
{
	struct mt_tee_object *o = tee_obj_get(object, TEE_PANIC_ID_TEE_POPULATETRANSIENTOBJECT);
	if (initialized(o))
		TEE_Panic(TEE_PANIC_ID_TEE_POPULATETRANSIENTOBJECT);
	uint32_t bits;
	TEE_Result res = check_populate(o, attrs, attrCount, &bits);
	if (res != TEE_SUCCESS)
		return res;
	uint8_t *win;
	if ((res = obj_ready(o)) != TEE_SUCCESS || (res = tee_cs_begin(&win)) != TEE_SUCCESS)
		return res;
	uint64_t span;
	if ((res = put_attrs(win, attrs, attrCount, &span)) != TEE_SUCCESS)
		return res;
	uint64_t w[4] = {CRYPTO_OP_OBJ_POPULATE, o->id, span, 0};
	res = tee_cs_call(w);
	if (res == TEE_SUCCESS) {
		o->info.handleFlags |= TEE_HANDLE_FLAG_INITIALIZED;
		o->info.objectSize = bits;
	}
	return res;
}

TEE_Result TEE_GenerateKey(TEE_ObjectHandle object, uint32_t keySize, const TEE_Attribute *params,
                           uint32_t paramCount)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_GENERATEKEY;
	struct mt_tee_object *o = tee_obj_get(object, panic_id);
	const struct tee_type *t = tee_type_find(o->info.objectType);
	if (initialized(o) || !t->gen_mandatory)
		TEE_Panic(panic_id);
	if (!tee_type_size_ok(t, keySize) || keySize > o->info.maxObjectSize)
		TEE_Panic(panic_id);
	if (tee_type_is_secret(o->info.objectType) && keySize % 8)
		TEE_Panic(panic_id);
	if (paramCount && !params)
		TEE_Panic(panic_id);
	for (uint32_t i = 0; i < paramCount; i++) {
		uint32_t id = params[i].attributeID;
		if (!in_list(t->gen_mandatory, id) && !in_list(t->gen_optional, id))
			TEE_Panic(panic_id);
		if (find_attr(params, i, id))
			return TEE_ERROR_BAD_PARAMETERS;
	}
	for (const uint32_t *m = t->gen_mandatory; *m; m++)
		if (!find_attr(params, paramCount, *m))
			TEE_Panic(panic_id);
	const TEE_Attribute *curve = find_attr(params, paramCount, TEE_ATTR_ECC_CURVE);
	if (curve) {
		uint32_t c = curve->content.value.a;
		if (!tee_curve_bits(c) || tee_curve_bits(c) != keySize)
			return TEE_ERROR_BAD_PARAMETERS;
		if (!tee_curve_supported(c))
			return TEE_ERROR_NOT_SUPPORTED;
	}
	uint8_t *win;
	TEE_Result res;
	if ((res = obj_ready(o)) != TEE_SUCCESS || (res = tee_cs_begin(&win)) != TEE_SUCCESS)
		return res;
	uint64_t span;
	if ((res = put_attrs(win, params, paramCount, &span)) != TEE_SUCCESS)
		return res;
	uint64_t w[4] = {CRYPTO_OP_OBJ_GENERATE, o->id, keySize, span};
	res = tee_cs_call(w);
	if (res == TEE_SUCCESS) {
		o->info.handleFlags |= TEE_HANDLE_FLAG_INITIALIZED;
		o->info.objectSize = keySize;
	}
	return res;
}

/* ---- information and attributes ---- */

/* Any object handle's info: a persistent one's data size and position
 * come from the storage service. */
static void object_info(TEE_ObjectHandle object, TEE_ObjectInfo *info, uint32_t panic_id)
{
	if (tee_pobj_is(object))
		tee_pobj_info(object, info);
	else
		*info = tee_obj_get(object, panic_id)->info;
}

TEE_Result TEE_GetObjectInfo1(TEE_ObjectHandle object, TEE_ObjectInfo *objectInfo)
{
	object_info(object, objectInfo, TEE_PANIC_ID_TEE_GETOBJECTINFO1);
	return TEE_SUCCESS;
}

void TEE_GetObjectInfo(TEE_ObjectHandle object, TEE_ObjectInfo *objectInfo)
{
	object_info(object, objectInfo, TEE_PANIC_ID_TEE_GETOBJECTINFO);
}

/* A transient object's usage is the handle's, and the crypto service's,
 * which refuses secret attributes without TEE_USAGE_EXTRACTABLE. For a
 * persistent object the restriction is stored (storage.c). */
static TEE_Result restrict_usage(TEE_ObjectHandle object, uint32_t usage, uint32_t panic_id)
{
	if (tee_pobj_is(object))
		return tee_pobj_restrict(object, usage);
	struct mt_tee_object *o = tee_obj_get(object, panic_id);
	o->info.objectUsage &= usage;
	tee_obj_restrict_svc(o, usage);
	return TEE_SUCCESS;
}

TEE_Result TEE_RestrictObjectUsage1(TEE_ObjectHandle object, uint32_t objectUsage)
{
	return restrict_usage(object, objectUsage, TEE_PANIC_ID_TEE_RESTRICTOBJECTUSAGE1);
}

void TEE_RestrictObjectUsage(TEE_ObjectHandle object, uint32_t objectUsage)
{
	TEE_Result res = restrict_usage(object, objectUsage, TEE_PANIC_ID_TEE_RESTRICTOBJECTUSAGE);
	if (res != TEE_SUCCESS)
		TEE_Panic(res);
}

/* The checks both attribute getters share: an initialised object, the
 * right kind of attribute, and a secret one only from an extractable key. */
static struct mt_tee_object *attr_object(TEE_ObjectHandle object, uint32_t id, bool value,
                                         uint32_t panic_id)
{
	struct mt_tee_object *o = tee_key_get(object, panic_id);
	if (!initialized(o) || !(id & TEE_ATTR_FLAG_VALUE) != !value)
		TEE_Panic(panic_id);
	if (o->info.objectType == TEE_TYPE_DATA)
		return o; /* a persistent data object: no attributes (the getters say so) */
	if (!(id & TEE_ATTR_FLAG_PUBLIC) && !(o->info.objectUsage & TEE_USAGE_EXTRACTABLE))
		TEE_Panic(panic_id);
	return o;
}

TEE_Result TEE_GetObjectBufferAttribute(TEE_ObjectHandle object, uint32_t attributeID, void *buffer,
                                        size_t *size)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_GETOBJECTBUFFERATTRIBUTE;
	struct mt_tee_object *o = attr_object(object, attributeID, false, panic_id);
	if (!size || (*size && !buffer))
		TEE_Panic(panic_id);
	if (o->info.objectType == TEE_TYPE_DATA)
		return TEE_ERROR_ITEM_NOT_FOUND;
	if (!tee_obj_live(o))
		return TEE_ERROR_BAD_STATE;
	uint8_t *win;
	TEE_Result res = tee_cs_begin(&win);
	if (res != TEE_SUCCESS)
		return res;
	size_t cap = *size < tee_cs_win_size() ? *size : tee_cs_win_size();
	uint64_t w[4] = {CRYPTO_OP_OBJ_GET_ATTR, o->id, attributeID, CRYPTO_SPAN(0, cap)};
	res = tee_cs_call(w);
	if (res == TEE_SUCCESS && w[1] > cap)
		res = TEE_ERROR_GENERIC; /* the service broke the protocol */
	if (res == TEE_SUCCESS) {
		memcpy(buffer, win, w[1]);
		*size = w[1];
	} else if (res == TEE_ERROR_SHORT_BUFFER) {
		*size = w[1];
	}
	return res;
}

TEE_Result TEE_GetObjectValueAttribute(TEE_ObjectHandle object, uint32_t attributeID, uint32_t *a,
                                       uint32_t *b)
{
	struct mt_tee_object *o =
	    attr_object(object, attributeID, true, TEE_PANIC_ID_TEE_GETOBJECTVALUEATTRIBUTE);
	if (o->info.objectType == TEE_TYPE_DATA)
		return TEE_ERROR_ITEM_NOT_FOUND;
	if (!tee_obj_live(o))
		return TEE_ERROR_BAD_STATE;
	TEE_Result res = tee_cs_begin(0);
	if (res != TEE_SUCCESS)
		return res;
	uint64_t w[4] = {CRYPTO_OP_OBJ_GET_ATTR, o->id, attributeID, CRYPTO_SPAN(0, 0)};
	res = tee_cs_call(w);
	if (res == TEE_SUCCESS) {
		if (a)
			*a = (uint32_t)w[2];
		if (b)
			*b = (uint32_t)w[3];
	}
	return res;
}

TEE_Result TEE_CopyObjectAttributes1(TEE_ObjectHandle destObject, TEE_ObjectHandle srcObject)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_COPYOBJECTATTRIBUTES1;
	struct mt_tee_object *d = tee_obj_get(destObject, panic_id);
	struct mt_tee_object *s = tee_key_get(srcObject, panic_id);
	if (!initialized(s) || initialized(d))
		TEE_Panic(panic_id);
	/* Same type, or the public half of a key pair. */
	uint32_t dt = d->info.objectType, st = s->info.objectType;
	if (dt != st && tee_type_keypair(dt) != st)
		TEE_Panic(panic_id);
	if (s->info.objectSize > d->info.maxObjectSize)
		TEE_Panic(panic_id);
	if (!tee_obj_live(s))
		return TEE_ERROR_BAD_STATE;
	TEE_Result res = obj_ready(d);
	if (res != TEE_SUCCESS)
		return res;
	uint64_t w[4] = {CRYPTO_OP_OBJ_COPY, d->id, s->id, 0};
	res = tee_cs_call(w);
	if (res == TEE_SUCCESS) {
		d->info.handleFlags |= TEE_HANDLE_FLAG_INITIALIZED;
		d->info.objectSize = s->info.objectSize;
		d->info.objectUsage &= s->info.objectUsage;
	}
	return res;
}

void TEE_CopyObjectAttributes(TEE_ObjectHandle destObject, TEE_ObjectHandle srcObject)
{
	TEE_Result res = TEE_CopyObjectAttributes1(destObject, srcObject);
	if (res != TEE_SUCCESS)
		TEE_Panic(res);
}

/* ---- v1.1 forms ---- */

static void info_to_gp11(const TEE_ObjectInfo *i, __GP11_TEE_ObjectInfo *o)
{
	o->objectType = i->objectType;
	o->keySize = i->objectSize;
	o->maxKeySize = i->maxObjectSize;
	o->objectUsage = i->objectUsage;
	o->dataSize = (uint32_t)i->dataSize;
	o->dataPosition = (uint32_t)i->dataPosition;
	o->handleFlags = i->handleFlags;
}

void __GP11_TEE_GetObjectInfo(TEE_ObjectHandle object, __GP11_TEE_ObjectInfo *objectInfo)
{
	TEE_ObjectInfo info;
	object_info(object, &info, TEE_PANIC_ID_TEE_GETOBJECTINFO);
	info_to_gp11(&info, objectInfo);
}

TEE_Result __GP11_TEE_GetObjectInfo1(TEE_ObjectHandle object, __GP11_TEE_ObjectInfo *objectInfo)
{
	TEE_ObjectInfo info;
	object_info(object, &info, TEE_PANIC_ID_TEE_GETOBJECTINFO1);
	info_to_gp11(&info, objectInfo);
	return TEE_SUCCESS;
}

TEE_Result __GP11_TEE_GetObjectBufferAttribute(TEE_ObjectHandle object, uint32_t attributeID,
                                               void *buffer, uint32_t *size)
{
	size_t n = *size;
	TEE_Result res = TEE_GetObjectBufferAttribute(object, attributeID, buffer, &n);
	*size = (uint32_t)n;
	return res;
}

TEE_Result __GP11_TEE_AllocateTransientObject(TEE_ObjectType objectType, uint32_t maxKeySize,
                                              TEE_ObjectHandle *object)
{
	return TEE_AllocateTransientObject(objectType, maxKeySize, object);
}

TEE_Result __GP11_TEE_PopulateTransientObject(TEE_ObjectHandle object,
                                              const __GP11_TEE_Attribute *attrs, uint32_t attrCount)
{
	bool ok;
	TEE_Attribute *a = tee_attrs_from_gp11(attrs, attrCount, &ok);
	if (!ok)
		return TEE_ERROR_OUT_OF_MEMORY;
	TEE_Result res = TEE_PopulateTransientObject(object, a, attrCount);
	TEE_Free(a);
	return res;
}

TEE_Result __GP11_TEE_GenerateKey(TEE_ObjectHandle object, uint32_t keySize,
                                  const __GP11_TEE_Attribute *params, uint32_t paramCount)
{
	bool ok;
	TEE_Attribute *a = tee_attrs_from_gp11(params, paramCount, &ok);
	if (!ok)
		return TEE_ERROR_OUT_OF_MEMORY;
	TEE_Result res = TEE_GenerateKey(object, keySize, a, paramCount);
	TEE_Free(a);
	return res;
}
