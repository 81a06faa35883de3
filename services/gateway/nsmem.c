/* Mapping normal-world memory into the gateway: the kernel checks that
 * every page is normal-world RAM; the gateway maps it only for as long as
 * one call needs it. */
#include "gateway.h"

mt_handle_t gw_nsmem;

int ns_pages_object(const uint64_t *pages, unsigned n, mt_handle_t *shm)
{
	return (int)MT_SYS_R1(shm, SYS_NSSHM_CREATE, gw_nsmem, (unsigned long)pages, n);
}

/* Fixed places for normal-world mappings, one per use that can overlap in
 * time (the message; a page list read while handling it): addresses are
 * reused instead of consuming the address space. */
#define NS_MAP_VA(slot) (MT_USER_SHM + 0x08000000UL + (slot)*0x10000UL)

int ns_map(uint64_t pa, size_t len, int slot, struct ns_map *m)
{
	uint64_t first = pa & ~(MT_PAGE_SIZE - 1), end;
	if (len == 0 || __builtin_add_overflow(pa, len, &end) || end > (1ULL << 48))
		return MT_EINVAL;
	unsigned n = (unsigned)((end - first + MT_PAGE_SIZE - 1) / MT_PAGE_SIZE);
	uint64_t pages[4];
	if (n > 4)
		return MT_EINVAL;
	for (unsigned i = 0; i < n; i++)
		pages[i] = first + i * MT_PAGE_SIZE;
	int rc = ns_pages_object(pages, n, &m->shm);
	if (rc != MT_OK)
		return rc;
	unsigned long size;
	rc = (int)MT_SYS_R1(&size, SYS_SHM_MAP, m->shm, NS_MAP_VA(slot), MT_PROT_R | MT_PROT_W);
	if (rc != MT_OK) {
		mt_handle_close(m->shm);
		return rc;
	}
	m->base = (uint8_t *)NS_MAP_VA(slot);
	m->size = size;
	m->ptr = m->base + (pa - first);
	return MT_OK;
}

void ns_unmap(struct ns_map *m)
{
	mt_mem_unmap((uintptr_t)m->base, m->size);
	mt_handle_close(m->shm);
}
