/* GP Trusted Storage for persistent objects: the TA's side of the storage
 * service (include/microtee/storage_ipc.h). lib/tee checks GP's rules that
 * end in a panic (a handle we never gave out, access the handle was not
 * opened with, an id longer than TEE_OBJECT_ID_MAX_LEN) and leaves the
 * rest to the service, which checks everything again for itself and keeps
 * the handles, their flags and data positions.
 *
 * Storage ids: TEE_STORAGE_PRIVATE and TEE_STORAGE_PRIVATE_RPMB reach the
 * secure-flash backend (rollback-proof, and there in every boot);
 * TEE_STORAGE_PRIVATE_REE the REE-FS backend (files in the normal world,
 * anchored in the flash; only while a normal-world call is behind the
 * request and tee-supplicant runs, else TEE_ERROR_STORAGE_NOT_AVAILABLE).
 * The same id in the flash and in REE is two objects. Any other storage
 * does not exist: TEE_ERROR_ITEM_NOT_FOUND.
 *
 * Limits (docs/ta-api.md): an object holds at most STORE_DATA_MAX (16 KiB)
 * of data; ids are 1..64 bytes; attributes are not stored (a non-null
 * `attributes` to TEE_CreatePersistentObject is TEE_ERROR_NOT_SUPPORTED).
 *
 * A restart of the service (its run tag changes) ends every handle opened
 * before it: operations on them return TEE_ERROR_STORAGE_NOT_AVAILABLE, an
 * operation in flight when it died too, and TEE_CloseObject frees them.
 * The TA opens its objects again. */
#include <string.h>

#include "../../include/microtee/storage_ipc.h"
#include "mt.h"
#include "tee_crypto.h"
#include "tee_rt.h"

#define FLAGS_KNOWN                                                                     \
	(TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_ACCESS_WRITE |                        \
	 TEE_DATA_FLAG_ACCESS_WRITE_META | TEE_DATA_FLAG_SHARE_READ |                    \
	 TEE_DATA_FLAG_SHARE_WRITE | TEE_DATA_FLAG_OVERWRITE)
#define CHUNK 16384 /* bytes of data per request */
#define ALL_USAGE 0xFFFFFFFFU

/* A persistent object handle: TEE_ObjectHandle points at `obj`. */
struct mt_tee_pobj {
	struct mt_tee_object obj; /* first: the info GP asks for */
	struct mt_tee_pobj *next;
	uint64_t h;   /* the service's handle */
	uint32_t run; /* the service's run tag when it was opened */
};

struct mt_tee_object_enum {
	struct mt_tee_object_enum *next;
	bool started;
	unsigned backend; /* STORE_BACKEND_* */
	uint8_t last[TEE_OBJECT_ID_MAX_LEN];
	unsigned last_len;
};

static struct mt_tee_pobj *pobjs;
static struct mt_tee_object_enum *enums;
static int store_state; /* 0: not asked yet, 1: there, -1: none */
static uint32_t store_run;

static struct mt_tee_pobj *pobj_find(TEE_ObjectHandle h)
{
	for (struct mt_tee_pobj *p = pobjs; p; p = p->next)
		if (&p->obj == h)
			return p;
	return 0;
}

bool tee_pobj_is(TEE_ObjectHandle h)
{
	return h && pobj_find(h);
}

static struct mt_tee_pobj *pobj_get(TEE_ObjectHandle h, uint32_t panic_id)
{
	struct mt_tee_pobj *p = pobj_find(h);
	if (!p)
		TEE_Panic(panic_id);
	return p;
}

static bool hello(void)
{
	struct mt_msg m = {{STORE_OP_HELLO, 0, 0, 0}, 0, 0};
	for (int attempt = 0; attempt < 2; attempt++) {
		long rc = mt_call(tee_rt_storage_ep, &m);
		if (rc == MT_EPEERDEAD) {
			m = (struct mt_msg){{STORE_OP_HELLO, 0, 0, 0}, 0, 0};
			continue;
		}
		if (rc == MT_OK && m.w[0] == TEE_SUCCESS && m.w[1] == STORE_HELLO_MAGIC &&
		    m.w[2] == STORE_PROTOCOL_VERSION) {
			store_run = (uint32_t)(m.w[3] >> 32);
			return true;
		}
		break;
	}
	return false;
}

static bool service(void)
{
	if (!store_state)
		store_state = tee_rt_storage_ep && hello() ? 1 : -1;
	return store_state > 0;
}

/* One request; w[0..3] in, the reply's words out. Returns the result. The
 * service dying under it is STORAGE_NOT_AVAILABLE; we learn its new run. */
static TEE_Result call(uint64_t w[4], unsigned long shm)
{
	if (!service())
		return TEE_ERROR_STORAGE_NOT_AVAILABLE;
	struct mt_msg m = {{w[0], w[1], w[2], w[3]}, shm, 0};
	long rc = mt_call(tee_rt_storage_ep, &m);
	if (rc == MT_EPEERDEAD) {
		hello();
		return TEE_ERROR_STORAGE_NOT_AVAILABLE;
	}
	if (rc != MT_OK)
		return TEE_ERROR_STORAGE_NOT_AVAILABLE;
	for (int i = 0; i < 4; i++)
		w[i] = m.w[i];
	return (TEE_Result)m.w[0];
}

/* A request on an open handle: a handle of an earlier run of the service
 * is gone. */
static TEE_Result hcall(struct mt_tee_pobj *p, uint64_t w[4], unsigned long shm)
{
	if (p->run != store_run)
		return TEE_ERROR_STORAGE_NOT_AVAILABLE;
	TEE_Result res = call(w, shm);
	if (res == TEE_ERROR_BAD_PARAMETERS && p->run != store_run)
		res = TEE_ERROR_STORAGE_NOT_AVAILABLE;
	return res;
}

static bool storage_known(uint32_t id)
{
	return id == TEE_STORAGE_PRIVATE || id == TEE_STORAGE_PRIVATE_RPMB ||
	       id == TEE_STORAGE_PRIVATE_REE;
}

static unsigned backend_of(uint32_t id)
{
	return id == TEE_STORAGE_PRIVATE_REE ? STORE_BACKEND_REE : STORE_BACKEND_FLASH;
}

static void check_id(const void *id, size_t len, uint32_t panic_id)
{
	if (len == 0 || len > TEE_OBJECT_ID_MAX_LEN || !id)
		TEE_Panic(panic_id);
}

static TEE_Result pobj_new(uint64_t h, uint32_t flags, uint64_t size, TEE_ObjectHandle *object)
{
	struct mt_tee_pobj *p = TEE_Malloc(sizeof(*p), TEE_MALLOC_FILL_ZERO);
	if (!p) {
		uint64_t w[4] = {STORE_OP_CLOSE, h, 0, 0};
		call(w, 0);
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	p->h = h;
	p->run = store_run;
	p->obj.info.objectType = TEE_TYPE_DATA;
	p->obj.info.objectUsage = ALL_USAGE;
	p->obj.info.handleFlags = TEE_HANDLE_FLAG_PERSISTENT | TEE_HANDLE_FLAG_INITIALIZED |
				  (flags & ~TEE_DATA_FLAG_OVERWRITE);
	p->obj.info.dataSize = size;
	p->next = pobjs;
	pobjs = p;
	*object = &p->obj;
	return TEE_SUCCESS;
}

static void pobj_free(struct mt_tee_pobj *p)
{
	for (struct mt_tee_pobj **q = &pobjs; *q; q = &(*q)->next)
		if (*q == p) {
			*q = p->next;
			break;
		}
	TEE_Free(p);
}

TEE_Result TEE_OpenPersistentObject(uint32_t storageID, const void *objectID, size_t objectIDLen,
                                    uint32_t flags, TEE_ObjectHandle *object)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_OPENPERSISTENTOBJECT;
	if (!object)
		TEE_Panic(panic_id);
	*object = TEE_HANDLE_NULL;
	check_id(objectID, objectIDLen, panic_id);
	if (flags & ~FLAGS_KNOWN)
		TEE_Panic(panic_id);
	if (!storage_known(storageID))
		return TEE_ERROR_ITEM_NOT_FOUND;
	unsigned long shm;
	uint8_t *win = tee_rt_window(TEE_OBJECT_ID_MAX_LEN, &shm);
	if (!win)
		return TEE_ERROR_OUT_OF_MEMORY;
	memcpy(win, objectID, objectIDLen);
	uint64_t sflags = STORE_FLAGS(flags, backend_of(storageID));
	uint64_t w[4] = {STORE_OP_OPEN, sflags, STORE_SPAN(0, objectIDLen), 0};
	TEE_Result res = call(w, shm);
	if (res == TEE_ERROR_STORAGE_NOT_AVAILABLE && service()) { /* a restart: once more */
		uint64_t again[4] = {STORE_OP_OPEN, sflags, STORE_SPAN(0, objectIDLen), 0};
		memcpy(w, again, sizeof(w));
		res = call(w, shm);
	}
	if (res != TEE_SUCCESS)
		return res;
	return pobj_new(w[1], flags, w[2], object);
}

TEE_Result TEE_CreatePersistentObject(uint32_t storageID, const void *objectID, size_t objectIDLen,
                                      uint32_t flags, TEE_ObjectHandle attributes,
                                      const void *initialData, size_t initialDataLen,
                                      TEE_ObjectHandle *object)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_CREATEPERSISTENTOBJECT;
	if (object)
		*object = TEE_HANDLE_NULL;
	check_id(objectID, objectIDLen, panic_id);
	if ((flags & ~FLAGS_KNOWN) || (initialDataLen && !initialData))
		TEE_Panic(panic_id);
	if (attributes != TEE_HANDLE_NULL) {
		tee_obj_get(attributes, panic_id); /* a handle of ours, or a panic */
		return TEE_ERROR_NOT_SUPPORTED;    /* attributes are not stored yet */
	}
	if (!storage_known(storageID))
		return TEE_ERROR_ITEM_NOT_FOUND;
	if (initialDataLen > STORE_DATA_MAX)
		return TEE_ERROR_STORAGE_NO_SPACE;
	unsigned long shm;
	uint8_t *win = tee_rt_window(TEE_OBJECT_ID_MAX_LEN + initialDataLen, &shm);
	if (!win)
		return TEE_ERROR_OUT_OF_MEMORY;
	memcpy(win, objectID, objectIDLen);
	if (initialDataLen)
		memcpy(win + TEE_OBJECT_ID_MAX_LEN, initialData, initialDataLen);
	uint64_t w[4] = {STORE_OP_CREATE, STORE_FLAGS(flags, backend_of(storageID)),
	                 STORE_SPAN(0, objectIDLen),
	                 STORE_SPAN(TEE_OBJECT_ID_MAX_LEN, initialDataLen)};
	TEE_Result res = call(w, shm);
	if (res != TEE_SUCCESS)
		return res;
	if (!object) { /* GP allows none: the object is made, then closed */
		uint64_t c[4] = {STORE_OP_CLOSE, w[1], 0, 0};
		call(c, 0);
		return TEE_SUCCESS;
	}
	return pobj_new(w[1], flags, initialDataLen, object);
}

void tee_pobj_close(TEE_ObjectHandle object)
{
	struct mt_tee_pobj *p = pobj_get(object, TEE_PANIC_ID_TEE_CLOSEOBJECT);
	uint64_t w[4] = {STORE_OP_CLOSE, p->h, 0, 0};
	hcall(p, w, 0);
	pobj_free(p);
}

void tee_pobj_info(TEE_ObjectHandle object, TEE_ObjectInfo *info)
{
	struct mt_tee_pobj *p = pobj_find(object);
	uint64_t w[4] = {STORE_OP_INFO, p->h, 0, 0};
	if (hcall(p, w, 0) == TEE_SUCCESS) {
		p->obj.info.dataSize = w[1];
		p->obj.info.dataPosition = w[2];
	}
	*info = p->obj.info;
}

TEE_Result TEE_CloseAndDeletePersistentObject1(TEE_ObjectHandle object)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_CLOSEANDDELETEPERSISTENTOBJECT1;
	if (object == TEE_HANDLE_NULL)
		return TEE_SUCCESS;
	struct mt_tee_pobj *p = pobj_get(object, panic_id);
	if (!(p->obj.info.handleFlags & TEE_DATA_FLAG_ACCESS_WRITE_META))
		TEE_Panic(panic_id);
	uint64_t w[4] = {STORE_OP_DELETE, p->h, 0, 0};
	TEE_Result res = hcall(p, w, 0);
	if (res != TEE_SUCCESS) { /* the handle goes anyway */
		uint64_t c[4] = {STORE_OP_CLOSE, p->h, 0, 0};
		hcall(p, c, 0);
	}
	pobj_free(p);
	return res == TEE_SUCCESS || res == TEE_ERROR_STORAGE_NOT_AVAILABLE ? res
									     : TEE_ERROR_STORAGE_NOT_AVAILABLE;
}

void TEE_CloseAndDeletePersistentObject(TEE_ObjectHandle object)
{
	if (object != TEE_HANDLE_NULL && !tee_pobj_is(object))
		TEE_Panic(TEE_PANIC_ID_TEE_CLOSEANDDELETEPERSISTENTOBJECT);
	(void)TEE_CloseAndDeletePersistentObject1(object);
}

TEE_Result TEE_RenamePersistentObject(TEE_ObjectHandle object, const void *newObjectID,
                                      size_t newObjectIDLen)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_RENAMEPERSISTENTOBJECT;
	struct mt_tee_pobj *p = pobj_get(object, panic_id);
	if (!(p->obj.info.handleFlags & TEE_DATA_FLAG_ACCESS_WRITE_META))
		TEE_Panic(panic_id);
	check_id(newObjectID, newObjectIDLen, panic_id);
	unsigned long shm;
	uint8_t *win = tee_rt_window(TEE_OBJECT_ID_MAX_LEN, &shm);
	if (!win)
		return TEE_ERROR_OUT_OF_MEMORY;
	memcpy(win, newObjectID, newObjectIDLen);
	uint64_t w[4] = {STORE_OP_RENAME, p->h, STORE_SPAN(0, newObjectIDLen), 0};
	return hcall(p, w, shm);
}

TEE_Result TEE_ReadObjectData(TEE_ObjectHandle object, void *buffer, size_t size, size_t *count)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_READOBJECTDATA;
	struct mt_tee_pobj *p = pobj_get(object, panic_id);
	if (!(p->obj.info.handleFlags & TEE_DATA_FLAG_ACCESS_READ) || !count || (size && !buffer))
		TEE_Panic(panic_id);
	*count = 0;
	uint8_t *out = buffer;
	for (;;) {
		size_t n = size - *count < CHUNK ? size - *count : CHUNK;
		unsigned long shm;
		uint8_t *win = tee_rt_window(n ? n : 1, &shm);
		if (!win)
			return TEE_ERROR_OUT_OF_MEMORY;
		uint64_t w[4] = {STORE_OP_READ, p->h, STORE_SPAN(0, n), 0};
		TEE_Result res = hcall(p, w, shm);
		if (res != TEE_SUCCESS)
			return res;
		if (w[1] > n)
			return TEE_ERROR_GENERIC; /* the service broke the protocol */
		memcpy(out + *count, win, w[1]);
		*count += w[1];
		p->obj.info.dataPosition += w[1];
		if (w[1] < n || *count == size)
			return TEE_SUCCESS;
	}
}

TEE_Result TEE_WriteObjectData(TEE_ObjectHandle object, const void *buffer, size_t size)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_WRITEOBJECTDATA;
	struct mt_tee_pobj *p = pobj_get(object, panic_id);
	if (!(p->obj.info.handleFlags & TEE_DATA_FLAG_ACCESS_WRITE) || (size && !buffer))
		TEE_Panic(panic_id);
	if (size > TEE_DATA_MAX_POSITION)
		return TEE_ERROR_OVERFLOW;
	if (size > STORE_DATA_MAX) /* more than an object holds, wherever it goes */
		return p->obj.info.dataPosition + size > TEE_DATA_MAX_POSITION
			       ? TEE_ERROR_OVERFLOW
			       : TEE_ERROR_STORAGE_NO_SPACE;
	unsigned long shm;
	uint8_t *win = tee_rt_window(size ? size : 1, &shm);
	if (!win)
		return TEE_ERROR_OUT_OF_MEMORY;
	memcpy(win, buffer, size);
	uint64_t w[4] = {STORE_OP_WRITE, p->h, STORE_SPAN(0, size), 0};
	TEE_Result res = hcall(p, w, shm);
	if (res == TEE_SUCCESS)
		p->obj.info.dataPosition += size;
	return res;
}

TEE_Result TEE_TruncateObjectData(TEE_ObjectHandle object, size_t size)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_TRUNCATEOBJECTDATA;
	struct mt_tee_pobj *p = pobj_get(object, panic_id);
	if (!(p->obj.info.handleFlags & TEE_DATA_FLAG_ACCESS_WRITE))
		TEE_Panic(panic_id);
	uint64_t w[4] = {STORE_OP_TRUNCATE, p->h, size, 0};
	return hcall(p, w, 0);
}

TEE_Result TEE_SeekObjectData(TEE_ObjectHandle object, intmax_t offset, TEE_Whence whence)
{
	struct mt_tee_pobj *p = pobj_get(object, TEE_PANIC_ID_TEE_SEEKOBJECTDATA);
	uint64_t w[4] = {STORE_OP_SEEK, p->h, (uint64_t)(int64_t)offset, (uint64_t)whence};
	TEE_Result res = hcall(p, w, 0);
	if (res == TEE_SUCCESS)
		p->obj.info.dataPosition = w[1];
	return res;
}

/* ---- enumeration ---- */

static struct mt_tee_object_enum *enum_get(TEE_ObjectEnumHandle e, uint32_t panic_id)
{
	for (struct mt_tee_object_enum *x = enums; x; x = x->next)
		if (x == e)
			return x;
	TEE_Panic(panic_id);
	return 0;
}

TEE_Result TEE_AllocatePersistentObjectEnumerator(TEE_ObjectEnumHandle *objectEnumerator)
{
	if (!objectEnumerator)
		TEE_Panic(TEE_PANIC_ID_TEE_ALLOCATEPERSISTENTOBJECTENUMERATOR);
	*objectEnumerator = TEE_HANDLE_NULL;
	struct mt_tee_object_enum *e = TEE_Malloc(sizeof(*e), TEE_MALLOC_FILL_ZERO);
	if (!e)
		return TEE_ERROR_OUT_OF_MEMORY;
	e->next = enums;
	enums = e;
	*objectEnumerator = e;
	return TEE_SUCCESS;
}

void TEE_FreePersistentObjectEnumerator(TEE_ObjectEnumHandle objectEnumerator)
{
	if (objectEnumerator == TEE_HANDLE_NULL)
		return;
	struct mt_tee_object_enum *e =
	    enum_get(objectEnumerator, TEE_PANIC_ID_TEE_FREEPERSISTENTOBJECTENUMERATOR);
	for (struct mt_tee_object_enum **q = &enums; *q; q = &(*q)->next)
		if (*q == e) {
			*q = e->next;
			break;
		}
	TEE_Free(e);
}

void TEE_ResetPersistentObjectEnumerator(TEE_ObjectEnumHandle objectEnumerator)
{
	if (objectEnumerator == TEE_HANDLE_NULL)
		return;
	struct mt_tee_object_enum *e =
	    enum_get(objectEnumerator, TEE_PANIC_ID_TEE_RESETPERSISTENTOBJECTENUMERATOR);
	e->started = false;
	e->last_len = 0;
}

/* The id after e->last, and its data size; ITEM_NOT_FOUND after the last. */
static TEE_Result enum_next(struct mt_tee_object_enum *e, uint8_t *id, unsigned *len,
                            uint64_t *size)
{
	unsigned long shm;
	uint8_t *win = tee_rt_window(2 * TEE_OBJECT_ID_MAX_LEN, &shm);
	if (!win)
		return TEE_ERROR_OUT_OF_MEMORY;
	memcpy(win, e->last, e->last_len);
	uint64_t w[4] = {STORE_OP_NEXT, STORE_SPAN(0, e->last_len),
	                 STORE_SPAN(TEE_OBJECT_ID_MAX_LEN, TEE_OBJECT_ID_MAX_LEN), e->backend};
	TEE_Result res = call(w, shm);
	if (res != TEE_SUCCESS)
		return res;
	if (w[1] == 0 || w[1] > TEE_OBJECT_ID_MAX_LEN)
		return TEE_ERROR_GENERIC;
	memcpy(id, win + TEE_OBJECT_ID_MAX_LEN, w[1]);
	*len = (unsigned)w[1];
	*size = w[2];
	return TEE_SUCCESS;
}

TEE_Result TEE_StartPersistentObjectEnumerator(TEE_ObjectEnumHandle objectEnumerator,
                                               uint32_t storageID)
{
	struct mt_tee_object_enum *e =
	    enum_get(objectEnumerator, TEE_PANIC_ID_TEE_STARTPERSISTENTOBJECTENUMERATOR);
	e->started = false;
	e->last_len = 0;
	if (!storage_known(storageID))
		return TEE_ERROR_ITEM_NOT_FOUND;
	e->backend = backend_of(storageID);
	/* GP: ITEM_NOT_FOUND for a storage with no object in it. */
	uint8_t id[TEE_OBJECT_ID_MAX_LEN];
	unsigned len;
	uint64_t size;
	TEE_Result res = enum_next(e, id, &len, &size);
	if (res != TEE_SUCCESS)
		return res;
	e->started = true;
	return TEE_SUCCESS;
}

TEE_Result TEE_GetNextPersistentObject(TEE_ObjectEnumHandle objectEnumerator,
                                       TEE_ObjectInfo *objectInfo, void *objectID,
                                       size_t *objectIDLen)
{
	const uint32_t panic_id = TEE_PANIC_ID_TEE_GETNEXTPERSISTENTOBJECT;
	struct mt_tee_object_enum *e = enum_get(objectEnumerator, panic_id);
	if (!objectID || !objectIDLen)
		TEE_Panic(panic_id);
	if (!e->started)
		return TEE_ERROR_ITEM_NOT_FOUND;
	uint8_t id[TEE_OBJECT_ID_MAX_LEN];
	unsigned len;
	uint64_t size;
	TEE_Result res = enum_next(e, id, &len, &size);
	if (res != TEE_SUCCESS)
		return res;
	memcpy(e->last, id, len);
	e->last_len = len;
	memcpy(objectID, id, len);
	*objectIDLen = len;
	if (objectInfo) {
		memset(objectInfo, 0, sizeof(*objectInfo));
		objectInfo->objectType = TEE_TYPE_DATA;
		objectInfo->objectUsage = ALL_USAGE;
		objectInfo->handleFlags = TEE_HANDLE_FLAG_PERSISTENT | TEE_HANDLE_FLAG_INITIALIZED;
		objectInfo->dataSize = size;
	}
	return TEE_SUCCESS;
}

/* ---- v1.1 forms ---- */

TEE_Result __GP11_TEE_OpenPersistentObject(uint32_t storageID, const void *objectID,
                                           uint32_t objectIDLen, uint32_t flags,
                                           TEE_ObjectHandle *object)
{
	return TEE_OpenPersistentObject(storageID, objectID, objectIDLen, flags, object);
}

TEE_Result __GP11_TEE_CreatePersistentObject(uint32_t storageID, const void *objectID,
                                             uint32_t objectIDLen, uint32_t flags,
                                             TEE_ObjectHandle attributes, const void *initialData,
                                             uint32_t initialDataLen, TEE_ObjectHandle *object)
{
	return TEE_CreatePersistentObject(storageID, objectID, objectIDLen, flags, attributes,
	                                  initialData, initialDataLen, object);
}

TEE_Result __GP11_TEE_RenamePersistentObject(TEE_ObjectHandle object, const void *newObjectID,
                                             uint32_t newObjectIDLen)
{
	return TEE_RenamePersistentObject(object, newObjectID, newObjectIDLen);
}

TEE_Result __GP11_TEE_GetNextPersistentObject(TEE_ObjectEnumHandle objectEnumerator,
                                              __GP11_TEE_ObjectInfo *objectInfo, void *objectID,
                                              uint32_t *objectIDLen)
{
	TEE_ObjectInfo info;
	size_t len = objectIDLen ? *objectIDLen : 0;
	TEE_Result res = TEE_GetNextPersistentObject(objectEnumerator, objectInfo ? &info : 0,
	                                             objectID, objectIDLen ? &len : 0);
	if (res == TEE_SUCCESS) {
		*objectIDLen = (uint32_t)len;
		if (objectInfo) {
			objectInfo->objectType = info.objectType;
			objectInfo->keySize = info.objectSize;
			objectInfo->maxKeySize = info.maxObjectSize;
			objectInfo->objectUsage = info.objectUsage;
			objectInfo->dataSize = (uint32_t)info.dataSize;
			objectInfo->dataPosition = (uint32_t)info.dataPosition;
			objectInfo->handleFlags = info.handleFlags;
		}
	}
	return res;
}

TEE_Result __GP11_TEE_ReadObjectData(TEE_ObjectHandle object, void *buffer, uint32_t size,
                                     uint32_t *count)
{
	size_t n = 0;
	TEE_Result res = TEE_ReadObjectData(object, buffer, size, &n);
	if (count)
		*count = (uint32_t)n;
	return res;
}

TEE_Result __GP11_TEE_WriteObjectData(TEE_ObjectHandle object, const void *buffer, uint32_t size)
{
	return TEE_WriteObjectData(object, buffer, size);
}

TEE_Result __GP11_TEE_TruncateObjectData(TEE_ObjectHandle object, uint32_t size)
{
	return TEE_TruncateObjectData(object, size);
}

TEE_Result __GP11_TEE_SeekObjectData(TEE_ObjectHandle object, int32_t offset, TEE_Whence whence)
{
	return TEE_SeekObjectData(object, offset, whence);
}
