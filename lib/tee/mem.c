/* Memory management of the Internal Core API: the heap (picolibc's malloc
 * on the runtime's sbrk), byte helpers, instance data and access checks. */
#include <stdlib.h>
#include <string.h>

#include <tee_internal_api_extensions.h>

#include "mt.h"
#include "tee_rt.h"

void *sbrk(ptrdiff_t incr);

/* From lib/rt/user.ld: the end of .rodata, and the end of the writable part
 * of the image (data, bss). The read-only part (text, rodata, .ta_head) ends
 * at the page boundary where data starts. */
extern char __fini_array_end[], __end[];

static const void *instance_data;

#define KNOWN_HINTS (TEE_MALLOC_NO_FILL | TEE_MALLOC_NO_SHARE | TEE_USER_MEM_HINT_NO_FILL_ZERO)

void *TEE_Malloc(size_t size, uint32_t hint)
{
	if (hint & ~KNOWN_HINTS)
		return 0;
	/* A zero-size request still gets a unique pointer, to be freed. */
	size_t n = size ? size : 1;
	if (hint & (TEE_MALLOC_NO_FILL | TEE_USER_MEM_HINT_NO_FILL_ZERO))
		return malloc(n);
	return calloc(1, n);
}

void *TEE_Realloc(void *buffer, size_t newSize)
{
	if (!buffer)
		return TEE_Malloc(newSize, TEE_MALLOC_FILL_ZERO);
	return realloc(buffer, newSize ? newSize : 1);
}

void TEE_Free(void *buffer)
{
	free(buffer);
}

void TEE_MemMove(void *dest, const void *src, size_t size)
{
	memmove(dest, src, size);
}

int32_t TEE_MemCompare(const void *buffer1, const void *buffer2, size_t size)
{
	int r = memcmp(buffer1, buffer2, size);
	return r < 0 ? -1 : r > 0 ? 1 : 0;
}

void TEE_MemFill(void *buffer, uint32_t x, size_t size)
{
	memset(buffer, (int)(uint8_t)x, size);
}

void TEE_SetInstanceData(const void *instanceData)
{
	instance_data = instanceData;
}

const void *TEE_GetInstanceData(void)
{
	return instance_data;
}

static bool inside(uintptr_t start, uintptr_t end, uintptr_t lo, uintptr_t hi)
{
	return start >= lo && end <= hi;
}

/* The range must lie in one area the TA can reach with the rights asked
 * for: a memory reference of the current call (shared with the client, so
 * only with TEE_MEMORY_ACCESS_ANY_OWNER; read-only if it is an input), or
 * the TA's own memory (image, heap, stack). */
TEE_Result TEE_CheckMemoryAccessRights(uint32_t accessFlags, void *buffer, size_t size)
{
	uintptr_t start = (uintptr_t)buffer, end;
	bool want_write = accessFlags & TEE_MEMORY_ACCESS_WRITE;
	if (size == 0)
		return TEE_SUCCESS;
	if (__builtin_add_overflow(start, size, &end) ||
	    (accessFlags & TEE_MEMORY_ACCESS_NONSECURE))
		return TEE_ERROR_ACCESS_DENIED;

	for (unsigned i = 0; i < tee_rt_ncall_regions; i++) {
		const struct tee_rt_region *r = &tee_rt_call_regions[i];
		if (start < r->end && end > r->start) {
			/* Overlaps memory the client can see. */
			if (!(accessFlags & TEE_MEMORY_ACCESS_ANY_OWNER) ||
			    !inside(start, end, r->start, r->end) || (want_write && !r->writable))
				return TEE_ERROR_ACCESS_DENIED;
			return TEE_SUCCESS;
		}
	}

	uintptr_t ro_end = (uintptr_t)__fini_array_end;
	if ((uintptr_t)(&mt_ta_head + 1) > ro_end) /* .ta_head follows .rodata */
		ro_end = (uintptr_t)(&mt_ta_head + 1);
	uintptr_t data_start = (ro_end + MT_PAGE_SIZE - 1) & ~(MT_PAGE_SIZE - 1);
	if (inside(start, end, MT_USER_BASE, data_start))
		return want_write ? TEE_ERROR_ACCESS_DENIED : TEE_SUCCESS;
	if (inside(start, end, data_start, (uintptr_t)__end) ||
	    inside(start, end, MT_USER_HEAP, (uintptr_t)sbrk(0)) ||
	    inside(start, end, tee_rt_stack_lo, tee_rt_stack_hi))
		return TEE_SUCCESS;
	return TEE_ERROR_ACCESS_DENIED;
}

/* ---- OP-TEE extensions ---- */

void tee_user_mem_mark_heap(void)
{
}

size_t tee_user_mem_check_heap(void)
{
	return 0;
}

/* The secure world's memory is coherent normal memory: nothing to do, but
 * the range must be the TA's. */
static TEE_Result cache_op(char *buf, size_t len)
{
	return TEE_CheckMemoryAccessRights(TEE_MEMORY_ACCESS_READ | TEE_MEMORY_ACCESS_ANY_OWNER,
	                                   buf, len);
}

TEE_Result TEE_CacheClean(char *buf, size_t len)
{
	return cache_op(buf, len);
}

TEE_Result TEE_CacheFlush(char *buf, size_t len)
{
	return cache_op(buf, len);
}

TEE_Result TEE_CacheInvalidate(char *buf, size_t len)
{
	return cache_op(buf, len);
}

/* Zeroed, page-aligned memory from the heap. */
void *tee_map_zi(size_t len, uint32_t flags)
{
	(void)flags;
	size_t n = (len + MT_PAGE_SIZE - 1) & ~(MT_PAGE_SIZE - 1);
	if (!n || n < len)
		return 0;
	void *p = aligned_alloc(MT_PAGE_SIZE, n);
	if (p)
		memset(p, 0, n);
	return p;
}

void *tee_map_zi_va(vaddr_t va, size_t len, uint32_t flags)
{
	(void)va;
	(void)len;
	(void)flags;
	return 0;
}

TEE_Result tee_unmap(void *buf, size_t len)
{
	(void)len;
	free(buf);
	return TEE_SUCCESS;
}
