/* The hostile TA keeps what a call lent it: the normal world's memory of a
 * memory reference. During the call it maps the reference's object a second
 * time, at an address of its own, and makes itself a copy of the handle
 * (which survives the runtime's close after the call). After the call both
 * must be worthless: the copy no longer maps, the address no longer reads
 * (the gateway revokes the object, issue 13 item 2). */
#include <string.h>

#include <hostile_ta.h>

#include "hostile.h"
#include "mt.h"

#define KEPT_VA 0x71000000UL

static mt_handle_t kept;
static unsigned long kept_size;
static uint32_t writable; /* an input reference's object mapped writable */

TEE_Result keep_memref(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	/* Which handle carries it: the one whose object maps with the bytes
	 * the reference shows. */
	for (mt_handle_t h = 1; h < 64 && !kept; h++) {
		unsigned long size = 0;
		if (MT_SYS_R1(&size, SYS_SHM_MAP, h, KEPT_VA, MT_PROT_R) != MT_OK)
			continue;
		uintptr_t off = (uintptr_t)p[0].memref.buffer & (MT_PAGE_SIZE - 1);
		if (size >= off + p[0].memref.size &&
		    memcmp((const void *)(KEPT_VA + off), p[0].memref.buffer, p[0].memref.size) == 0 &&
		    mt_handle_grant(0, h, MT_R_MAP_R | MT_R_GRANT, 0, &kept) == MT_OK) {
			kept_size = size;
			unsigned long wsize = 0;
			if (MT_SYS_R1(&wsize, SYS_SHM_MAP, h, KEPT_VA + 0x200000UL,
			              MT_PROT_R | MT_PROT_W) == MT_OK) {
				writable = 1;
				mt_mem_unmap(KEPT_VA + 0x200000UL, wsize);
			}
			break; /* the second mapping stays */
		}
		mt_mem_unmap(KEPT_VA, size);
	}
	p[1].value.a = kept != 0;
	p[1].value.b = writable;
	return kept ? TEE_SUCCESS : TEE_ERROR_ITEM_NOT_FOUND;
}

TEE_Result kept_map(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	unsigned long size = 0;
	long rc = MT_SYS_R1(&size, SYS_SHM_MAP, kept, KEPT_VA + 0x100000UL, MT_PROT_R);
	if (rc == MT_OK)
		mt_mem_unmap(KEPT_VA + 0x100000UL, size);
	p[0].value.a = (uint32_t)rc;
	return TEE_SUCCESS;
}

TEE_Result kept_read(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	/* If the memory is still there, this returns its first bytes; if it
	 * was taken back, the read faults and the instance ends. */
	uint32_t v;
	memcpy(&v, (const void *)KEPT_VA, sizeof(v));
	p[0].value.a = v;
	p[0].value.b = (uint32_t)kept_size;
	return TEE_SUCCESS;
}

/* Hoarding: a copy of every memory reference's handle, kept across calls.
 * Revocation must turn the copies of earlier calls into handles that keep
 * nothing alive, or about a dozen calls would use up the gateway's share of
 * shared-memory objects, and with it every client's memory references. */
#define HOARD_MAX 40
#define HOARD_VA  0x74000000UL

static mt_handle_t hoard[HOARD_MAX];
static unsigned hoarded;

TEE_Result hoard_memref(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	/* The earlier copies must not map any more. */
	uint32_t live = 0;
	for (unsigned i = 0; i < hoarded; i++) {
		unsigned long size = 0;
		if (MT_SYS_R1(&size, SYS_SHM_MAP, hoard[i], HOARD_VA, MT_PROT_R) == MT_OK) {
			live++;
			mt_mem_unmap(HOARD_VA, size);
		}
	}
	uintptr_t off = (uintptr_t)p[0].memref.buffer & (MT_PAGE_SIZE - 1);
	int found = 0;
	for (mt_handle_t h = 1; h < 64 && !found && hoarded < HOARD_MAX; h++) {
		unsigned long size = 0;
		if (MT_SYS_R1(&size, SYS_SHM_MAP, h, HOARD_VA, MT_PROT_R) != MT_OK)
			continue;
		found = size >= off + p[0].memref.size &&
		        memcmp((const void *)(HOARD_VA + off), p[0].memref.buffer, p[0].memref.size) == 0 &&
		        mt_handle_grant(0, h, MT_R_MAP_R | MT_R_GRANT, 0, &hoard[hoarded]) == MT_OK;
		mt_mem_unmap(HOARD_VA, size);
	}
	hoarded += found;
	p[1].value.a = hoarded;
	p[1].value.b = live;
	return found ? TEE_SUCCESS : TEE_ERROR_ITEM_NOT_FOUND;
}
