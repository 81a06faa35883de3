#include "pmm.h"

void pmm_init(struct pmm *pmm, paddr_t base, size_t npages)
{
	kassert((base & ~PAGE_MASK) == 0);
	if (npages > PMM_MAX_PAGES)
		npages = PMM_MAX_PAGES;
	memset(pmm->bitmap, 0, sizeof(pmm->bitmap));
	pmm->base = base;
	pmm->npages = npages;
	pmm->nfree = npages;
	pmm->hint = 0;
}

paddr_t pmm_alloc(struct pmm *pmm)
{
	if (!pmm->nfree)
		return 0;
	for (size_t n = 0; n < pmm->npages; n++) {
		size_t i = (pmm->hint + n) % pmm->npages;
		uint64_t *word = &pmm->bitmap[i / 64];
		if (*word == ~0ULL) {
			n += 63 - i % 64; /* skip the rest of a full word */
			continue;
		}
		if (*word & (1ULL << (i % 64)))
			continue;
		*word |= 1ULL << (i % 64);
		pmm->nfree--;
		pmm->hint = i + 1;
		paddr_t pa = pmm->base + i * PAGE_SIZE;
		memset(pa_to_va(pa), 0, PAGE_SIZE);
		return pa;
	}
	panic("pmm: free count %zu but no free page", pmm->nfree);
}

void pmm_free(struct pmm *pmm, paddr_t pa)
{
	kassert(pa >= pmm->base && (pa & ~PAGE_MASK) == 0);
	size_t i = (pa - pmm->base) / PAGE_SIZE;
	kassert(i < pmm->npages);
	uint64_t bit = 1ULL << (i % 64);
	kassert(pmm->bitmap[i / 64] & bit);
	pmm->bitmap[i / 64] &= ~bit;
	pmm->nfree++;
}
