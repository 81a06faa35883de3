/* GP Trusted Storage for persistent objects: the TA's side of the storage
 * service (include/microtee/storage_ipc.h). lib/tee checks GP's rules that
 * end in a panic (a handle we never gave out, access the handle was not
 * opened with, an id longer than TEE_OBJECT_ID_MAX_LEN, an id pointer of
 * NULL with a length) and leaves the
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
 * of data and attributes together; ids are 0..64 bytes (GP allows the empty
 * id, and so NULL with length 0).
 *
 * Stored attributes (docs/storage.md). A persistent object made from a key
 * (`attributes`, transient or persistent) stores a struct
 * store_attrs_header and the crypto service's export of the key: a blob
 * sealed by the key service for this TA, which we carry from the crypto
 * service to the storage service and back without seeing the key. Opening
 * it imports the blob into a crypto-service object of the handle's own, so
 * the handle is a key (TEE_SetOperationKey, the attribute getters) with
 * the type, sizes and usage it was stored with. TEE_RestrictObjectUsage1
 * stores the new usage (STORE_OP_SET_ATTRS), for data objects too.
 *
 * A restart of the service (its run tag changes) ends every handle opened
 * before it: operations on them return TEE_ERROR_STORAGE_NOT_AVAILABLE, an
 * operation in flight when it died too, and TEE_CloseObject frees them.
 * The TA opens its objects again. */
#include <string.h>

#include "../../include/microtee/crypto_ipc.h"
#include "../../include/microtee/storage_ipc.h"
#include "mt.h"
#include "tee_crypto.h"
#include "tee_rt.h"

#define FLAGS_KNOWN                                                                                \
	(TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_ACCESS_WRITE |                                  \
	 TEE_DATA_FLAG_ACCESS_WRITE_META | TEE_DATA_FLAG_SHARE_READ | TEE_DATA_FLAG_SHARE_WRITE |  \
	 TEE_DATA_FLAG_OVERWRITE)
#define CHUNK     16384 /* bytes of data per request */
#define ALL_USAGE 0xFFFFFFFFU

/* A persistent object handle: TEE_ObjectHandle points at `obj`. */
struct mt_tee_pobj {
	struct mt_tee_object obj; /* first: the info GP asks for; obj.id: the key's */
	struct mt_tee_pobj *next;
	uint64_t h;        /* the service's handle */
	uint32_t run;      /* the service's run tag when it was opened */
	bool keyed;        /* it has stored attributes: obj.id names them in the crypto service */
	bool stored_usage; /* its usage is stored (attributes or a restriction) */
};

struct mt_tee_object_enum {
	struct mt_tee_object_enum *next;
	bool started;
	unsigned backend; /* STORE_BACKEND_* */
	bool has_last;    /* last names the object returned last (it may be empty) */
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
	if (len > TEE_OBJECT_ID_MAX_LEN || (len && !id))
		TEE_Panic(panic_id);
}

/* An id into the request window (id may be NULL when len is 0). */
static void put_id(uint8_t *win, const void *id, size_t len)
{
	if (len)
		memcpy(win, id, len);
}

/* ---- stored attributes ---- */

/* The attributes to store for a key k (or a data object's usage): a
 * header, then k's blob from the crypto service, into out (cap bytes);
 * *len gets their size. */
static TEE_Result attrs_export(const struct mt_tee_object *k, bool keyed, uint32_t usage,
                               uint8_t *out, size_t cap, size_t *len)
{
	struct store_attrs_header hd = {STORE_ATTRS_MAGIC, usage, 0, 0};
	if (keyed) {
		uint8_t *cwin;
		TEE_Result res;
		if (!tee_obj_live(k))
			return TEE_ERROR_BAD_STATE; /* its key went with an old crypto service */
		if ((res = tee_cs_begin(&cwin)) != TEE_SUCCESS)
			return res;
		size_t room = tee_cs_win_size() < CRYPTO_OBJ_BLOB_MAX ? tee_cs_win_size()
		                                                      : CRYPTO_OBJ_BLOB_MAX;
		uint64_t w[4] = {CRYPTO_OP_OBJ_EXPORT, k->id, CRYPTO_SPAN(0, room), 0};
		res = tee_cs_call(w);
		if (res == TEE_ERROR_SHORT_BUFFER)
			return TEE_ERROR_STORAGE_NO_SPACE;
		if (res != TEE_SUCCESS)
			return res;
		if (w[1] > room)
			return TEE_ERROR_GENERIC; /* the service broke the protocol */
		if (sizeof(hd) + w[1] > cap || sizeof(hd) + w[1] > STORE_ATTRS_MAX)
			return TEE_ERROR_STORAGE_NO_SPACE;
		hd.blob_len = (uint32_t)w[1];
		memcpy(out + sizeof(hd), cwin, w[1]);
	}
	memcpy(out, &hd, sizeof(hd));
	*len = sizeof(hd) + hd.blob_len;
	return TEE_SUCCESS;
}

/* Takes stored attributes into p: its usage and, with a blob, its key
 * (imported into a crypto-service object of its own). A blob that is
 * not this TA's is TEE_ERROR_ACCESS_DENIED, damage TEE_ERROR_CORRUPT_OBJECT. */
static TEE_Result attrs_import(struct mt_tee_pobj *p, const uint8_t *a, size_t len)
{
	struct store_attrs_header hd;
	if (len < sizeof(hd))
		return TEE_ERROR_CORRUPT_OBJECT;
	memcpy(&hd, a, sizeof(hd));
	if (hd.magic != STORE_ATTRS_MAGIC || hd.reserved || hd.blob_len != len - sizeof(hd))
		return TEE_ERROR_CORRUPT_OBJECT;
	p->stored_usage = true;
	p->obj.info.objectUsage = hd.usage;
	if (!hd.blob_len)
		return TEE_SUCCESS;
	uint8_t *cwin;
	TEE_Result res = tee_cs_begin(&cwin);
	if (res != TEE_SUCCESS)
		return res;
	if (hd.blob_len > tee_cs_win_size() || hd.blob_len > CRYPTO_OBJ_BLOB_MAX)
		return TEE_ERROR_CORRUPT_OBJECT;
	memcpy(cwin, a + sizeof(hd), hd.blob_len);
	uint64_t w[4] = {CRYPTO_OP_OBJ_IMPORT, CRYPTO_SPAN(0, hd.blob_len), 0, 0};
	res = tee_cs_call_fresh(w);
	if (res != TEE_SUCCESS)
		return res;
	p->keyed = true;
	p->obj.id = (uint32_t)w[1];
	p->obj.epoch = tee_cs_epoch;
	p->obj.info.objectType = (uint32_t)w[2];
	p->obj.info.maxObjectSize = (uint32_t)(w[2] >> 32);
	p->obj.info.objectSize = (uint32_t)w[3];
	/* The key's usage is the one the service enforces. */
	p->obj.info.objectUsage = (uint32_t)(w[3] >> 32);
	return TEE_SUCCESS;
}

static TEE_Result pobj_new(uint64_t h, uint32_t flags, uint64_t size, TEE_ObjectHandle *object,
                           struct mt_tee_pobj **out)
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
	if (out)
		*out = p;
	return TEE_SUCCESS;
}

static void pobj_free(struct mt_tee_pobj *p)
{
	for (struct mt_tee_pobj **q = &pobjs; *q; q = &(*q)->next)
		if (*q == p) {
			*q = p->next;
			break;
		}
	if (p->keyed)
		tee_obj_forget(&p->obj);
	TEE_Free(p);
}

/* Attributes from a new handle's open or create into it; on failure the
 * handle is closed and *object is TEE_HANDLE_NULL again. */
static TEE_Result pobj_attrs(struct mt_tee_pobj *p, const uint8_t *a, size_t len,
                             TEE_ObjectHandle *object)
{
	TEE_Result res = attrs_import(p, a, len);
	if (res != TEE_SUCCESS) {
		uint64_t w[4] = {STORE_OP_CLOSE, p->h, 0, 0};
		hcall(p, w, 0);
		pobj_free(p);
		*object = TEE_HANDLE_NULL;
	}
	return res;
}

struct mt_tee_object *tee_pobj_key(TEE_ObjectHandle h)
{
	struct mt_tee_pobj *p = h ? pobj_find(h) : 0;
	return p ? &p->obj : 0;
}

TEE_Result tee_pobj_restrict(TEE_ObjectHandle object, uint32_t usage)
{
	struct mt_tee_pobj *p = pobj_get(object, TEE_PANIC_ID_TEE_RESTRICTOBJECTUSAGE1);
	uint32_t now = p->obj.info.objectUsage & usage;
	if (now == p->obj.info.objectUsage && (p->stored_usage || now == ALL_USAGE))
		return TEE_SUCCESS; /* nothing changes */
	if (p->keyed)
		tee_obj_restrict_svc(&p->obj, usage);
	unsigned long shm;
	uint8_t *win = tee_rt_window(STORE_ATTRS_MAX, &shm);
	if (!win)
		return TEE_ERROR_OUT_OF_MEMORY;
	size_t len = 0;
	TEE_Result res = attrs_export(&p->obj, p->keyed, now, win, STORE_ATTRS_MAX, &len);
	if (res != TEE_SUCCESS)
		return res == TEE_ERROR_BAD_STATE ? TEE_ERROR_STORAGE_NOT_AVAILABLE : res;
	uint64_t w[4] = {STORE_OP_SET_ATTRS, p->h, STORE_SPAN(0, len), 0};
	res = hcall(p, w, shm);
	if (res == TEE_SUCCESS) {
		p->obj.info.objectUsage = now;
		p->stored_usage = true;
	}
	return res;
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
	uint8_t *win = tee_rt_window(TEE_OBJECT_ID_MAX_LEN + STORE_ATTRS_MAX, &shm);
	if (!win)
		return TEE_ERROR_OUT_OF_MEMORY;
	put_id(win, objectID, objectIDLen);
	uint64_t sflags = STORE_FLAGS(flags, backend_of(storageID));
	const uint64_t req[4] = {STORE_OP_OPEN, sflags, STORE_SPAN(0, objectIDLen),
	                         STORE_SPAN(TEE_OBJECT_ID_MAX_LEN, STORE_ATTRS_MAX)};
	uint64_t w[4];
	memcpy(w, req, sizeof(w));
	TEE_Result res = call(w, shm);
	if (res == TEE_ERROR_STORAGE_NOT_AVAILABLE && service()) { /* a restart: once more */
		memcpy(w, req, sizeof(w));
		res = call(w, shm);
	}
	if (res != TEE_SUCCESS)
		return res;
	if (w[3] > STORE_ATTRS_MAX)
		return TEE_ERROR_GENERIC; /* the service broke the protocol */
	struct mt_tee_pobj *p;
	size_t alen = w[3];
	if ((res = pobj_new(w[1], flags, w[2], object, &p)) != TEE_SUCCESS || !alen)
		return res;
	/* The attributes are still in the window (nothing else used it). */
	static uint8_t attrs[STORE_ATTRS_MAX];
	memcpy(attrs, win + TEE_OBJECT_ID_MAX_LEN, alen);
	return pobj_attrs(p, attrs, alen, object);
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
	/* A key (transient or persistent, initialised) whose attributes, type,
	 * sizes and usage the new object takes; a persistent data object gives
	 * its usage only. */
	const struct mt_tee_object *k = 0;
	bool keyed = false;
	if (attributes != TEE_HANDLE_NULL) {
		k = tee_key_get(attributes, panic_id);
		if (!(k->info.handleFlags & TEE_HANDLE_FLAG_INITIALIZED))
			TEE_Panic(panic_id);
		keyed = k->info.objectType != TEE_TYPE_DATA;
	}
	if (!storage_known(storageID))
		return TEE_ERROR_ITEM_NOT_FOUND;
	if (initialDataLen > STORE_DATA_MAX)
		return TEE_ERROR_STORAGE_NO_SPACE;
	size_t alen = 0;
	static uint8_t attrs[STORE_ATTRS_MAX];
	TEE_Result res;
	if (k && (res = attrs_export(k, keyed, k->info.objectUsage, attrs, sizeof(attrs), &alen)) !=
	             TEE_SUCCESS)
		return res;
	if (alen + initialDataLen > STORE_DATA_MAX)
		return TEE_ERROR_STORAGE_NO_SPACE; /* the attributes count against it */
	unsigned long shm;
	uint8_t *win = tee_rt_window(TEE_OBJECT_ID_MAX_LEN + alen + initialDataLen, &shm);
	if (!win)
		return TEE_ERROR_OUT_OF_MEMORY;
	put_id(win, objectID, objectIDLen);
	memcpy(win + TEE_OBJECT_ID_MAX_LEN, attrs, alen);
	if (initialDataLen)
		memcpy(win + TEE_OBJECT_ID_MAX_LEN + alen, initialData, initialDataLen);
	uint64_t w[4] = {
	    STORE_OP_CREATE, STORE_FLAGS(flags, backend_of(storageID)) | STORE_FLAGS_ATTRS(alen),
	    STORE_SPAN(0, objectIDLen), STORE_SPAN(TEE_OBJECT_ID_MAX_LEN, alen + initialDataLen)};
	res = call(w, shm);
	if (res != TEE_SUCCESS)
		return res;
	if (!object) { /* GP allows none: the object is made, then closed */
		uint64_t c[4] = {STORE_OP_CLOSE, w[1], 0, 0};
		call(c, 0);
		return TEE_SUCCESS;
	}
	struct mt_tee_pobj *p;
	if ((res = pobj_new(w[1], flags, initialDataLen, object, &p)) != TEE_SUCCESS || !alen)
		return res;
	/* The handle's own key: the blob just stored, imported (which also
	 * proves it opens). */
	return pobj_attrs(p, attrs, alen, object);
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
	return res == TEE_SUCCESS || res == TEE_ERROR_STORAGE_NOT_AVAILABLE
	           ? res
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
	put_id(win, newObjectID, newObjectIDLen);
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
	e->has_last = false;
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
	                 STORE_SPAN(TEE_OBJECT_ID_MAX_LEN, TEE_OBJECT_ID_MAX_LEN),
	                 e->backend | (e->has_last ? STORE_NEXT_AFTER : 0)};
	TEE_Result res = call(w, shm);
	if (res != TEE_SUCCESS)
		return res;
	if (w[1] > TEE_OBJECT_ID_MAX_LEN)
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
	e->has_last = false;
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
	e->has_last = true;
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
