#include "pagetable.h"

static unsigned idx(vaddr_t va, int level)
{
	return (unsigned)(va >> (12 + 9 * (3 - level))) & (PT_ENTRIES - 1);
}

pte_t pt_user_attrs(unsigned prot)
{
	pte_t a = PTE_PAGE | PTE_ATTR(MAIR_IDX_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_NG |
		  PTE_AP_EL0 | PTE_PXN; /* the kernel never executes user pages */
	if (!(prot & MT_PROT_W))
		a |= PTE_AP_RO;
	if (!(prot & MT_PROT_X) || (prot & MT_PROT_W))
		a |= PTE_UXN; /* W^X */
	return a;
}

pte_t pt_devmem_attrs(unsigned prot, int device)
{
	pte_t a = PTE_PAGE | PTE_AF | PTE_NG | PTE_AP_EL0 | PTE_PXN | PTE_UXN | PTE_SW_DEVICE;
	a |= device ? PTE_ATTR(MAIR_IDX_DEVICE) : PTE_ATTR(MAIR_IDX_NORMAL) | PTE_SH_INNER;
	if (!(prot & MT_PROT_W))
		a |= PTE_AP_RO;
	return a;
}

/* Walks to the level-3 table covering va, creating tables if `a` is set. */
static pte_t *walk(pte_t *l1, vaddr_t va, const struct pt_alloc *a)
{
	pte_t *table = l1;
	for (int level = 1; level < 3; level++) {
		pte_t *e = &table[idx(va, level)];
		if (!(*e & PTE_VALID)) {
			if (!a)
				return 0;
			paddr_t pa = a->alloc(a->ctx);
			if (!pa)
				return 0;
			*e = pa | PTE_VALID | PTE_TABLE;
		} else if (!(*e & PTE_TABLE)) {
			return 0; /* a block mapping: not ours to split */
		}
		table = pa_to_va(*e & PTE_ADDR_MASK);
	}
	return table;
}

int pt_map(pte_t *l1, vaddr_t va, paddr_t pa, pte_t attrs, const struct pt_alloc *a)
{
	if ((va | pa) & ~PAGE_MASK || va >> PT_VA_BITS)
		return MT_EINVAL;
	pte_t *l3 = walk(l1, va, 0);
	if (l3 && (l3[idx(va, 3)] & PTE_VALID))
		return MT_EBUSY;
	if (!l3) {
		/* A block mapping in the way is as busy as a page. */
		pte_t e1 = l1[idx(va, 1)];
		if ((e1 & PTE_VALID) && !(e1 & PTE_TABLE))
			return MT_EBUSY;
		if (e1 & PTE_VALID) {
			pte_t e2 = ((pte_t *)pa_to_va(e1 & PTE_ADDR_MASK))[idx(va, 2)];
			if ((e2 & PTE_VALID) && !(e2 & PTE_TABLE))
				return MT_EBUSY;
		}
		l3 = walk(l1, va, a);
		if (!l3)
			return MT_ENOMEM;
	}
	l3[idx(va, 3)] = (pa & PTE_ADDR_MASK) | attrs | PTE_PAGE;
	return MT_OK;
}

pte_t pt_lookup(const pte_t *l1, vaddr_t va)
{
	if (va >> PT_VA_BITS)
		return 0;
	pte_t *l3 = walk((pte_t *)l1, va, 0);
	if (!l3)
		return 0;
	pte_t e = l3[idx(va, 3)];
	return (e & PTE_VALID) ? e : 0;
}

pte_t pt_unmap(pte_t *l1, vaddr_t va)
{
	if (va >> PT_VA_BITS)
		return 0;
	pte_t *l3 = walk(l1, va, 0);
	if (!l3)
		return 0;
	pte_t e = l3[idx(va, 3)];
	if (!(e & PTE_VALID))
		return 0;
	l3[idx(va, 3)] = 0;
	return e;
}

vaddr_t pt_skip_hole(const pte_t *l1, vaddr_t va)
{
	pte_t e1 = l1[idx(va, 1)];
	if (!(e1 & PTE_VALID) || !(e1 & PTE_TABLE))
		return (va | ((1ULL << 30) - 1)) + 1;
	const pte_t *l2 = pa_to_va(e1 & PTE_ADDR_MASK);
	pte_t e2 = l2[idx(va, 2)];
	if (!(e2 & PTE_VALID) || !(e2 & PTE_TABLE))
		return (va | ((1ULL << 21) - 1)) + 1;
	return va;
}

void pt_destroy(pte_t *l1, unsigned first, unsigned last, void (*leaf)(void *ctx, pte_t pte),
		const struct pt_alloc *a)
{
	for (unsigned i = first; i <= last && i < PT_ENTRIES; i++) {
		if (!(l1[i] & PTE_VALID) || !(l1[i] & PTE_TABLE))
			continue;
		pte_t *l2 = pa_to_va(l1[i] & PTE_ADDR_MASK);
		for (unsigned j = 0; j < PT_ENTRIES; j++) {
			if (!(l2[j] & PTE_VALID) || !(l2[j] & PTE_TABLE))
				continue;
			pte_t *l3 = pa_to_va(l2[j] & PTE_ADDR_MASK);
			for (unsigned k = 0; k < PT_ENTRIES; k++)
				if (l3[k] & PTE_VALID)
					leaf(a->ctx, l3[k]);
			a->free(a->ctx, l2[j] & PTE_ADDR_MASK);
		}
		a->free(a->ctx, l1[i] & PTE_ADDR_MASK);
		l1[i] = 0;
	}
}
