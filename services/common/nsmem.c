/* Normal-world memory mappings (nsmem.h). */
#include "nsmem.h"

int ns_pages_object(mt_handle_t nsmem, const uint64_t *pages, unsigned n, mt_handle_t *shm)
{
	return (int)MT_SYS_R1(shm, SYS_NSSHM_CREATE, nsmem, (unsigned long)pages, n);
}

int ns_map_at(mt_handle_t nsmem, uint64_t pa, size_t len, uintptr_t va, struct ns_map *m)
{
	uint64_t first = pa & ~(MT_PAGE_SIZE - 1), end;
	if (len == 0 || __builtin_add_overflow(pa, len, &end) || end > (1ULL << 48))
		return MT_EINVAL;
	unsigned n = (unsigned)((end - first + MT_PAGE_SIZE - 1) / MT_PAGE_SIZE);
	uint64_t pages[NS_MAP_MAX_PAGES];
	if (n > NS_MAP_MAX_PAGES)
		return MT_EINVAL;
	for (unsigned i = 0; i < n; i++)
		pages[i] = first + i * MT_PAGE_SIZE;
	int rc = ns_pages_object(nsmem, pages, n, &m->shm);
	if (rc != MT_OK)
		return rc;
	unsigned long size;
	rc = (int)MT_SYS_R1(&size, SYS_SHM_MAP, m->shm, va, MT_PROT_R | MT_PROT_W);
	if (rc != MT_OK) {
		mt_handle_close(m->shm);
		return rc;
	}
	m->base = (uint8_t *)va;
	m->size = size;
	m->ptr = m->base + (pa - first);
	return MT_OK;
}

void ns_unmap(struct ns_map *m)
{
	mt_mem_unmap((uintptr_t)m->base, m->size);
	mt_handle_close(m->shm);
}
