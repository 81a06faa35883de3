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
	/* Attributes are not stored (yet). */
	TEE_ObjectHandle key;
	T(TEE_AllocateTransientObject(TEE_TYPE_AES, 128, &key) == TEE_SUCCESS);
	T(TEE_CreatePersistentObject(PRIV, "self/k", 6, RW, key, 0, 0, &h) ==
	  TEE_ERROR_NOT_SUPPORTED);
	TEE_FreeTransientObject(key);
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

static TEE_Result selftest(uint32_t types, TEE_Param p[4])
{
	store = TEE_STORAGE_PRIVATE;
	nw = 0;
	if (types == TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_VALUE_INPUT,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
		store = p[1].value.a;
		nw = p[1].value.b == 1;
	} else if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
	                                    TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	run = failed = 0;
	check_create_open();
	check_sharing();
	check_data();
	check_rename();
	check_enum();
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
		return selftest(types, p);
	case TA_STORAGE_CMD_COUNT:
		p[0].value.a = count();
		return TEE_SUCCESS;
	case TA_STORAGE_CMD_RELEASE:
		TEE_CloseObject(held);
		held = TEE_HANDLE_NULL;
		return TEE_SUCCESS;
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
