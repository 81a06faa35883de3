/* Physical page allocator for the secure RAM the kernel owns. */
#ifndef KERNEL_PMM_H
#define KERNEL_PMM_H
#include "kernel.h"

#define PMM_MAX_PAGES 4096 /* 16 MiB of secure RAM */

struct pmm {
	paddr_t base;
	size_t npages;
	size_t nfree;
	size_t hint;
	uint64_t bitmap[PMM_MAX_PAGES / 64]; /* 1 = in use */
};

/* Manages [base, base + npages * PAGE_SIZE); base must be page-aligned. */
void pmm_init(struct pmm *pmm, paddr_t base, size_t npages);
/* Returns a zeroed page, or 0 when none is left. */
paddr_t pmm_alloc(struct pmm *pmm);
/* Returns a page; freeing a page twice or one outside the pool panics. */
void pmm_free(struct pmm *pmm, paddr_t pa);

#endif
