/* OP-TEE's persistent-object system calls (41..53) on lib/tee's storage
 * (the storage service), and the cache-maintenance call (70). Persistent
 * objects share crypto.c's object table, since OP-TEE's calls take either
 * kind; enumerators have a table of their own. */
#include <string.h>

#include <tee_internal_api.h>

#include "mt.h"
#include "utee.h"

#define RD (TEE_MEMORY_ACCESS_READ | TEE_MEMORY_ACCESS_ANY_OWNER)
#define WR (TEE_MEMORY_ACCESS_READ | TEE_MEMORY_ACCESS_WRITE | TEE_MEMORY_ACCESS_ANY_OWNER)
/* An object id must be in the TA's own memory, as OP-TEE's core copies it
 * only from there: an id in a client's shared memory could change under
 * the call. ACCESS_DENIED, on which libutee panics. */
#define PRIV_RD   TEE_MEMORY_ACCESS_READ
#define ENUM_BASE 0x200U
#define MAX_ENUMS 8

static TEE_ObjectEnumHandle enums[MAX_ENUMS];

#define CHECK_MEM(flags, p, n)                                                                     \
	do {                                                                                       \
		if (!utee_access_ok((flags), (uint64_t)(p), (uint64_t)(n)))                        \
			return TEE_ERROR_ACCESS_DENIED;                                            \
	} while (0)

static TEE_ObjectEnumHandle get_enum(uint64_t h)
{
	if (h < ENUM_BASE || h - ENUM_BASE >= MAX_ENUMS)
		return 0;
	return enums[h - ENUM_BASE];
}

/* A new object's handle for the TA; a full table closes it again. */
static TEE_Result hand_out(TEE_ObjectHandle h, uint64_t out)
{
	uint32_t id = utee_obj_add(h);
	if (!id) {
		TEE_CloseObject(h);
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	*(uint32_t *)(uintptr_t)out = id;
	return TEE_SUCCESS;
}

static TEE_Result obj_open(uint64_t storage, uint64_t id, uint64_t id_len, uint64_t flags,
                           uint64_t out)
{
	CHECK_MEM(PRIV_RD, id, id_len);
	CHECK_MEM(WR, out, sizeof(uint32_t));
	TEE_ObjectHandle h;
	TEE_Result res = TEE_OpenPersistentObject((uint32_t)storage, (void *)(uintptr_t)id, id_len,
	                                          (uint32_t)flags, &h);
	return res == TEE_SUCCESS ? hand_out(h, out) : res;
}

static TEE_Result obj_create(const uint64_t *a)
{
	/* storage, id, id_len, flags, attributes object, data, len, out */
	CHECK_MEM(PRIV_RD, a[1], a[2]);
	CHECK_MEM(RD, a[5], a[6]);
	if (a[7])
		CHECK_MEM(WR, a[7], sizeof(uint32_t));
	TEE_ObjectHandle attrs = TEE_HANDLE_NULL, h;
	if (a[4] && !(attrs = utee_obj(a[4])))
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_Result res = TEE_CreatePersistentObject((uint32_t)a[0], (void *)(uintptr_t)a[1], a[2],
	                                            (uint32_t)a[3], attrs, (void *)(uintptr_t)a[5],
	                                            a[6], a[7] ? &h : 0);
	return res == TEE_SUCCESS && a[7] ? hand_out(h, a[7]) : res;
}

static TEE_Result obj_del(uint64_t obj)
{
	TEE_ObjectHandle h = utee_obj(obj);
	if (!h)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_Result res = TEE_CloseAndDeletePersistentObject1(h);
	if (res == TEE_SUCCESS)
		utee_obj_forget(obj);
	return res;
}

static TEE_Result obj_rename(uint64_t obj, uint64_t id, uint64_t len)
{
	TEE_ObjectHandle h = utee_obj(obj);
	if (!h)
		return TEE_ERROR_BAD_PARAMETERS;
	CHECK_MEM(PRIV_RD, id, len);
	return TEE_RenamePersistentObject(h, (void *)(uintptr_t)id, len);
}

static TEE_Result enum_alloc(uint64_t out)
{
	CHECK_MEM(WR, out, sizeof(uint32_t));
	for (unsigned i = 0; i < MAX_ENUMS; i++) {
		if (enums[i])
			continue;
		TEE_Result res = TEE_AllocatePersistentObjectEnumerator(&enums[i]);
		if (res != TEE_SUCCESS) {
			enums[i] = 0;
			return res;
		}
		*(uint32_t *)(uintptr_t)out = ENUM_BASE + i;
		return TEE_SUCCESS;
	}
	return TEE_ERROR_OUT_OF_MEMORY;
}

static TEE_Result enum_next(uint64_t e, uint64_t info, uint64_t id, uint64_t len)
{
	TEE_ObjectEnumHandle h = get_enum(e);
	if (!h)
		return TEE_ERROR_BAD_PARAMETERS;
	CHECK_MEM(WR, len, sizeof(uint64_t));
	uint64_t l64;
	memcpy(&l64, (void *)(uintptr_t)len, sizeof(l64));
	size_t l = l64;
	CHECK_MEM(WR, id, l);
	if (info)
		CHECK_MEM(WR, info, sizeof(struct utee_object_info));
	TEE_ObjectInfo i;
	TEE_Result res = TEE_GetNextPersistentObject(h, &i, (void *)(uintptr_t)id, &l);
	if (res != TEE_SUCCESS)
		return res;
	if (info) {
		struct utee_object_info u = {i.objectType,         i.objectSize,
		                             i.maxObjectSize,      i.objectUsage,
		                             (uint32_t)i.dataSize, (uint32_t)i.dataPosition,
		                             i.handleFlags};
		memcpy((void *)(uintptr_t)info, &u, sizeof(u));
	}
	l64 = l;
	memcpy((void *)(uintptr_t)len, &l64, sizeof(l64));
	return TEE_SUCCESS;
}

static TEE_Result obj_read(uint64_t obj, uint64_t data, uint64_t len, uint64_t count)
{
	TEE_ObjectHandle h = utee_obj(obj);
	if (!h)
		return TEE_ERROR_BAD_PARAMETERS;
	CHECK_MEM(WR, data, len);
	CHECK_MEM(WR, count, sizeof(uint64_t));
	size_t n = 0;
	TEE_Result res = TEE_ReadObjectData(h, (void *)(uintptr_t)data, len, &n);
	if (res == TEE_SUCCESS) {
		uint64_t c = n;
		memcpy((void *)(uintptr_t)count, &c, sizeof(c));
	}
	return res;
}

static TEE_Result obj_write(uint64_t obj, uint64_t data, uint64_t len)
{
	TEE_ObjectHandle h = utee_obj(obj);
	if (!h)
		return TEE_ERROR_BAD_PARAMETERS;
	CHECK_MEM(RD, data, len);
	return TEE_WriteObjectData(h, (void *)(uintptr_t)data, len);
}

static TEE_Result cache_op(uint64_t va, uint64_t len, uint64_t op)
{
	/* As OP-TEE: only for a TA that says it does cache maintenance, on
	 * memory it may write; the secure world's memory is coherent. */
	if (!(UTEE_INFO->head.flags & UTEE_TA_FLAG_CACHE_MAINTENANCE))
		return TEE_ERROR_NOT_SUPPORTED;
	if (op > 2)
		return TEE_ERROR_NOT_SUPPORTED;
	return utee_access_ok(WR, va, len) ? TEE_SUCCESS : TEE_ERROR_ACCESS_DENIED;
}

bool utee_storage_call(uint64_t n, const uint64_t *a, uint32_t *res)
{
	TEE_ObjectEnumHandle e;
	switch (n) {
	case UTEE_SCN_STORAGE_OBJ_OPEN:
		*res = obj_open(a[0], a[1], a[2], a[3], a[4]);
		break;
	case UTEE_SCN_STORAGE_OBJ_CREATE:
		*res = obj_create(a);
		break;
	case UTEE_SCN_STORAGE_OBJ_DEL:
		*res = obj_del(a[0]);
		break;
	case UTEE_SCN_STORAGE_OBJ_RENAME:
		*res = obj_rename(a[0], a[1], a[2]);
		break;
	case UTEE_SCN_STORAGE_ENUM_ALLOC:
		*res = enum_alloc(a[0]);
		break;
	case UTEE_SCN_STORAGE_ENUM_FREE:
		if ((e = get_enum(a[0]))) {
			TEE_FreePersistentObjectEnumerator(e);
			enums[a[0] - ENUM_BASE] = 0;
		}
		*res = e ? TEE_SUCCESS : TEE_ERROR_BAD_PARAMETERS;
		break;
	case UTEE_SCN_STORAGE_ENUM_RESET:
		if ((e = get_enum(a[0])))
			TEE_ResetPersistentObjectEnumerator(e);
		*res = e ? TEE_SUCCESS : TEE_ERROR_BAD_PARAMETERS;
		break;
	case UTEE_SCN_STORAGE_ENUM_START:
		e = get_enum(a[0]);
		*res = e ? TEE_StartPersistentObjectEnumerator(e, (uint32_t)a[1])
		         : TEE_ERROR_BAD_PARAMETERS;
		break;
	case UTEE_SCN_STORAGE_ENUM_NEXT:
		*res = enum_next(a[0], a[1], a[2], a[3]);
		break;
	case UTEE_SCN_STORAGE_OBJ_READ:
		*res = obj_read(a[0], a[1], a[2], a[3]);
		break;
	case UTEE_SCN_STORAGE_OBJ_WRITE:
		*res = obj_write(a[0], a[1], a[2]);
		break;
	case UTEE_SCN_STORAGE_OBJ_TRUNC:
		*res = utee_obj(a[0]) ? TEE_TruncateObjectData(utee_obj(a[0]), a[1])
		                      : TEE_ERROR_BAD_PARAMETERS;
		break;
	case UTEE_SCN_STORAGE_OBJ_SEEK:
		/* OP-TEE's offset is a 32-bit signed value in a 64-bit register. */
		*res = utee_obj(a[0])
		           ? TEE_SeekObjectData(utee_obj(a[0]), (int32_t)a[1], (TEE_Whence)a[2])
		           : TEE_ERROR_BAD_PARAMETERS;
		break;
	case UTEE_SCN_CACHE_OPERATION:
		*res = cache_op(a[0], a[1], a[2]);
		break;
	default:
		return false;
	}
	return true;
}
