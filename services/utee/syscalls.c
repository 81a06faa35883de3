/* OP-TEE's TA system calls (utee.h), each on lib/tee's GlobalPlatform
 * implementation: the table in docs/ta-api.md ("OP-TEE binary TAs") lists
 * what each does here. Every pointer the TA passes is checked against the
 * memory it owns or was given for the call (utee_access_ok) before it is
 * used: TEE_ERROR_ACCESS_DENIED otherwise, as OP-TEE's core answers. */
#include <stdio.h>
#include <string.h>

#include <tee_internal_api.h>
#include <user_ta_header.h>

#include "../../lib/tee/tee_rt.h"
#include "mt.h"
#include "utee.h"

#define RD TEE_MEMORY_ACCESS_READ
#define WR (TEE_MEMORY_ACCESS_READ | TEE_MEMORY_ACCESS_WRITE)
/* The calls' buffers may be the TA's own or shared with the client. */
#define ANY TEE_MEMORY_ACCESS_ANY_OWNER

static bool in(uint64_t p, uint64_t n, uint64_t lo, uint64_t hi)
{
	return p >= lo && p <= hi && n <= hi - p;
}

bool utee_access_ok(uint32_t flags, uint64_t p, uint64_t n)
{
	bool write = flags & TEE_MEMORY_ACCESS_WRITE;
	if (n == 0)
		return true; /* no byte is accessed: any pointer, NULL too */
	const struct utee_info *info = UTEE_INFO;
	for (unsigned i = 0; i < info->nseg && i < UTEE_MAX_SEGS; i++) {
		const struct utee_seg *s = &info->seg[i];
		if (in(p, n, s->start, s->end) && (!write || (s->prot & MT_PROT_W)))
			return true;
	}
	if (in(p, n, utee_stack_lo, utee_stack_hi) || utee_zi_contains(p, n))
		return true;
	if (!(flags & TEE_MEMORY_ACCESS_ANY_OWNER))
		return false;
	for (unsigned i = 0; i < tee_rt_ncall_regions; i++) {
		const struct tee_rt_region *r = &tee_rt_call_regions[i];
		if (in(p, n, r->start, r->end) && (!write || r->writable))
			return true;
	}
	return false;
}

#define CHECK_MEM(flags, p, n)                                                                     \
	do {                                                                                       \
		if (!utee_access_ok((flags), (uint64_t)(p), (uint64_t)(n)))                        \
			return TEE_ERROR_ACCESS_DENIED;                                            \
	} while (0)

static TEE_Result sys_log(uint64_t buf, uint64_t len)
{
	if (len > 4096)
		len = 4096;
	CHECK_MEM(RD | ANY, buf, len);
	printf("%.*s", (int)len, (const char *)(uintptr_t)buf);
	return TEE_SUCCESS;
}

/* The raw bytes of a property, as OP-TEE's core hands them out: a bool
 * is one byte, a string has its NUL. */
static size_t prop_bytes(const struct user_ta_property *p, const void **data)
{
	*data = p->value;
	switch (p->type) {
	case USER_TA_PROP_TYPE_BOOL:
		return sizeof(bool);
	case USER_TA_PROP_TYPE_U32:
		return sizeof(uint32_t);
	case USER_TA_PROP_TYPE_U64:
		return sizeof(uint64_t);
	case USER_TA_PROP_TYPE_UUID:
		return sizeof(TEE_UUID);
	case USER_TA_PROP_TYPE_IDENTITY:
		return sizeof(TEE_Identity);
	default:
		return strlen(p->value) + 1;
	}
}

/* The index-th property of a pseudo set, as the TA's side does not have it. */
static bool prop_at(uint64_t set, uint64_t index, struct user_ta_property *p)
{
	if (set != (uintptr_t)TEE_PROPSET_CURRENT_TA &&
	    set != (uintptr_t)TEE_PROPSET_CURRENT_CLIENT &&
	    set != (uintptr_t)TEE_PROPSET_TEE_IMPLEMENTATION)
		return false;
	return tee_rt_prop((TEE_PropSetHandle)(uintptr_t)set, index, p);
}

static TEE_Result sys_get_property(uint64_t set, uint64_t index, uint64_t name, uint64_t name_len,
                                   uint64_t buf, uint64_t blen, uint64_t type)
{
	struct user_ta_property p;
	if (!prop_at(set, index, &p))
		return TEE_ERROR_ITEM_NOT_FOUND;
	if (type) {
		CHECK_MEM(WR | ANY, type, sizeof(uint32_t));
		*(uint32_t *)(uintptr_t)type = p.type;
	}
	TEE_Result res = TEE_SUCCESS;
	if (buf && blen) {
		CHECK_MEM(WR | ANY, blen, sizeof(uint32_t));
		uint32_t have = *(uint32_t *)(uintptr_t)blen;
		const void *data;
		size_t need = prop_bytes(&p, &data);
		if (have < need) {
			res = TEE_ERROR_SHORT_BUFFER;
		} else {
			CHECK_MEM(WR | ANY, buf, need);
			memcpy((void *)(uintptr_t)buf, data, need);
		}
		*(uint32_t *)(uintptr_t)blen = (uint32_t)need;
		if (res != TEE_SUCCESS)
			return res;
	}
	if (name && name_len) {
		CHECK_MEM(WR | ANY, name_len, sizeof(uint32_t));
		uint32_t have = *(uint32_t *)(uintptr_t)name_len;
		size_t need = strlen(p.name) + 1;
		if (have < need) {
			res = TEE_ERROR_SHORT_BUFFER;
		} else {
			CHECK_MEM(WR | ANY, name, need);
			memcpy((void *)(uintptr_t)name, p.name, need);
		}
		*(uint32_t *)(uintptr_t)name_len = (uint32_t)need;
	}
	return res;
}

static TEE_Result sys_name_to_index(uint64_t set, uint64_t name, uint64_t name_len, uint64_t index)
{
	CHECK_MEM(RD | ANY, name, name_len);
	CHECK_MEM(WR | ANY, index, sizeof(uint32_t));
	const char *n = (const char *)(uintptr_t)name;
	if (name_len == 0 || n[name_len - 1] != '\0')
		return TEE_ERROR_BAD_PARAMETERS;
	struct user_ta_property p;
	for (uint64_t i = 0; prop_at(set, i, &p); i++) {
		if (strcmp(p.name, n) == 0) {
			*(uint32_t *)(uintptr_t)index = (uint32_t)i;
			return TEE_SUCCESS;
		}
	}
	return TEE_ERROR_ITEM_NOT_FOUND;
}

static TEE_Result put_u32(uint64_t p, uint32_t v)
{
	CHECK_MEM(WR | ANY, p, sizeof(uint32_t));
	*(uint32_t *)(uintptr_t)p = v;
	return TEE_SUCCESS;
}

static TEE_Result sys_get_time(uint64_t cat, uint64_t t)
{
	CHECK_MEM(WR | ANY, t, sizeof(TEE_Time));
	TEE_Time now = {0, 0};
	TEE_Result res = TEE_SUCCESS;
	switch (cat) {
	case UTEE_TIME_CAT_SYSTEM:
		TEE_GetSystemTime(&now);
		break;
	case UTEE_TIME_CAT_TA_PERSISTENT:
		res = TEE_GetTAPersistentTime(&now);
		break;
	case UTEE_TIME_CAT_REE:
		TEE_GetREETime(&now);
		break;
	default:
		return TEE_ERROR_BAD_PARAMETERS;
	}
	if (res == TEE_SUCCESS || res == TEE_ERROR_OVERFLOW)
		memcpy((void *)(uintptr_t)t, &now, sizeof(now));
	return res;
}

static TEE_Result sys_set_ta_time(uint64_t t)
{
	CHECK_MEM(RD | ANY, t, sizeof(TEE_Time));
	TEE_Time v;
	memcpy(&v, (const void *)(uintptr_t)t, sizeof(v));
	if (v.millis >= 1000)
		return TEE_ERROR_BAD_PARAMETERS; /* lib/tee would panic */
	return TEE_SetTAPersistentTime(&v);
}

static TEE_Result sys_random(uint64_t buf, uint64_t len)
{
	CHECK_MEM(WR | ANY, buf, len);
	TEE_GenerateRandom((void *)(uintptr_t)buf, len);
	return TEE_SUCCESS;
}

static TEE_Result sys_check_access(uint64_t flags, uint64_t buf, uint64_t len)
{
	if (flags & ~(uint64_t)(TEE_MEMORY_ACCESS_READ | TEE_MEMORY_ACCESS_WRITE |
	                        TEE_MEMORY_ACCESS_ANY_OWNER))
		return TEE_ERROR_BAD_PARAMETERS;
	if (len == 0)
		return TEE_SUCCESS;
	return utee_access_ok((uint32_t)flags, buf, len) ? TEE_SUCCESS : TEE_ERROR_ACCESS_DENIED;
}

void utee_syscall(struct mt_dispatch_frame *f)
{
	const uint64_t *a = f->x;
	TEE_Result res;
	switch (f->x[8]) {
	case UTEE_SCN_RETURN:
		utee_ta_ended((uint32_t)a[0], f->tpidr);
	case UTEE_SCN_PANIC:
		printf("[utee] the TA panicked\n");
		TEE_Panic((TEE_Result)a[0]);
	case UTEE_SCN_LOG:
		res = sys_log(a[0], a[1]);
		break;
	case UTEE_SCN_GET_PROPERTY:
		res = sys_get_property(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
		break;
	case UTEE_SCN_GET_PROPERTY_NAME_TO_INDEX:
		res = sys_name_to_index(a[0], a[1], a[2], a[3]);
		break;
	case UTEE_SCN_CHECK_ACCESS_RIGHTS:
		res = sys_check_access(a[0], a[1], a[2]);
		break;
	case UTEE_SCN_GET_CANCELLATION_FLAG:
		res = put_u32(a[0], TEE_GetCancellationFlag());
		break;
	case UTEE_SCN_UNMASK_CANCELLATION:
		res = put_u32(a[0], TEE_UnmaskCancellation());
		break;
	case UTEE_SCN_MASK_CANCELLATION:
		res = put_u32(a[0], TEE_MaskCancellation());
		break;
	case UTEE_SCN_WAIT:
		res = TEE_Wait((uint32_t)a[0]);
		break;
	case UTEE_SCN_GET_TIME:
		res = sys_get_time(a[0], a[1]);
		break;
	case UTEE_SCN_SET_TA_TIME:
		res = sys_set_ta_time(a[0]);
		break;
	case UTEE_SCN_CRYP_RANDOM_NUMBER_GENERATE:
		res = sys_random(a[0], a[1]);
		break;
	default:
		if (utee_crypto_call(f->x[8], a, &res) || utee_storage_call(f->x[8], a, &res) ||
		    utee_ta2ta_call(f->x[8], a, &res))
			break;
		/* The deprecated SE calls, unknown numbers: as OP-TEE's core
		 * answers a call it does not have. */
		res = TEE_ERROR_NOT_SUPPORTED;
		break;
	}
	f->x[0] = res;
}
