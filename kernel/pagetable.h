/* AArch64 stage-1 translation tables, 4 KiB granule, 39-bit VA (levels 1-3).
 * Pure table manipulation: no system registers, so it runs in host tests. */
#ifndef KERNEL_PAGETABLE_H
#define KERNEL_PAGETABLE_H
#include "kernel.h"

typedef uint64_t pte_t;

#define PT_ENTRIES 512
#define PT_VA_BITS 39

#define PTE_VALID (1ULL << 0)
#define PTE_TABLE (1ULL << 1) /* at levels 1-2: next-level table; at level 3: page */
#define PTE_PAGE (PTE_VALID | PTE_TABLE)
#define PTE_BLOCK PTE_VALID
#define PTE_ATTR(i) ((uint64_t)(i) << 2)
#define PTE_NS (1ULL << 5)
#define PTE_AP_EL0 (1ULL << 6) /* accessible from EL0 */
#define PTE_AP_RO (1ULL << 7)  /* read-only */
#define PTE_SH_INNER (3ULL << 8)
#define PTE_AF (1ULL << 10)
#define PTE_NG (1ULL << 11)
#define PTE_PXN (1ULL << 53)
#define PTE_UXN (1ULL << 54)
#define PTE_SW_SHARED (1ULL << 55) /* software: page belongs to a shared-memory object */
#define PTE_SW_DEVICE (1ULL << 56) /* software: device memory (DEVMEM): never freed, never
				    * touched by the kernel on a process's behalf */
#define PTE_ADDR_MASK 0x0000FFFFFFFFF000ULL

#define MAIR_IDX_DEVICE 0
#define MAIR_IDX_NORMAL 1

/* Page allocation for intermediate tables, charged by the caller. */
struct pt_alloc {
	paddr_t (*alloc)(void *ctx);
	void (*free)(void *ctx, paddr_t pa);
	void *ctx;
};

/* Leaf attributes for a user page with MT_PROT_* protections. */
pte_t pt_user_attrs(unsigned prot);
/* Leaf attributes for a user page of device memory: Device-nGnRE if
 * `device`, else normal memory; read-only unless prot has MT_PROT_W; never
 * executable; marked PTE_SW_DEVICE. */
pte_t pt_devmem_attrs(unsigned prot, int device);
/* Maps one 4 KiB page. MT_EBUSY if the page is mapped, MT_ENOMEM if a table
 * could not be allocated, MT_EINVAL for an unaligned or out-of-range VA. */
int pt_map(pte_t *l1, vaddr_t va, paddr_t pa, pte_t attrs, const struct pt_alloc *a);
/* Removes one page mapping; returns its descriptor, or 0 if none. */
pte_t pt_unmap(pte_t *l1, vaddr_t va);
/* Returns the level-3 descriptor for va, or 0 if unmapped. */
pte_t pt_lookup(const pte_t *l1, vaddr_t va);
/* The lowest address >= va that could be mapped: skips over unpopulated
 * level-1 and level-2 ranges so callers can scan large ranges quickly. */
vaddr_t pt_skip_hole(const pte_t *l1, vaddr_t va);
/* Frees the level-2 and level-3 tables under l1[first..last] and calls
 * leaf(ctx, pte) for every valid page they map. */
void pt_destroy(pte_t *l1, unsigned first, unsigned last, void (*leaf)(void *ctx, pte_t pte),
		const struct pt_alloc *a);

#endif
