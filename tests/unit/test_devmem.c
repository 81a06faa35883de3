/* kernel/devmem.c: device-memory capabilities (the ranges the kernel hands
 * init at boot and SYS_DEVMEM_MAP checks against), their page attributes
 * (kernel/pagetable.c, pt_devmem_attrs) and their handles (kernel/handle.c). */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "kernel/object.h"

/* Device objects are static: nothing is released. */
static unsigned releases;
void kobj_release(struct kobj *obj)
{
	(void)obj;
	releases++;
}

#define NV_BASE 0x03FC0000ULL
#define NV_SIZE 0x40000ULL

static struct devmem *nv;

static void test_create(void)
{
	/* Bad ranges make nothing. */
	CHECK(devmem_create(0x1000, 0, 0) == 0);
	CHECK(devmem_create(0x1001, PAGE_SIZE, 0) == 0);
	CHECK(devmem_create(0x1000, PAGE_SIZE + 1, 0) == 0);
	CHECK(devmem_create(~0ULL & PAGE_MASK, 2 * PAGE_SIZE, 0) == 0); /* wraps */

	nv = devmem_create(NV_BASE, NV_SIZE, MT_DEVMEM_DEVICE);
	CHECK(nv != 0);
	if (!nv)
		return;
	CHECK_EQ(nv->obj.type, KOBJ_DEVMEM);
	CHECK_EQ(nv->base, NV_BASE);
	CHECK_EQ(nv->size, NV_SIZE);
	CHECK_EQ(nv->flags, MT_DEVMEM_DEVICE);

	/* The pool is fixed: the rest of it, then nothing. */
	unsigned made = 1;
	while (devmem_create(made * PAGE_SIZE, PAGE_SIZE, 0))
		made++;
	CHECK_EQ(made, MAX_DEVMEMS);
}

static void test_range(void)
{
	if (!nv)
		return;
	paddr_t pa = 0;
	CHECK_EQ(devmem_range(nv, 0, NV_SIZE, &pa), MT_OK);
	CHECK_EQ(pa, NV_BASE);
	CHECK_EQ(devmem_range(nv, NV_SIZE - PAGE_SIZE, PAGE_SIZE, &pa), MT_OK);
	CHECK_EQ(pa, NV_BASE + NV_SIZE - PAGE_SIZE);
	CHECK_EQ(devmem_range(nv, PAGE_SIZE, 2 * PAGE_SIZE, &pa), MT_OK);
	CHECK_EQ(pa, NV_BASE + PAGE_SIZE);

	pa = 0x55;
	CHECK_EQ(devmem_range(nv, 0, 0, &pa), MT_EINVAL);                   /* empty */
	CHECK_EQ(devmem_range(nv, 0, NV_SIZE + PAGE_SIZE, &pa), MT_EINVAL); /* too long */
	CHECK_EQ(devmem_range(nv, NV_SIZE, PAGE_SIZE, &pa), MT_EINVAL);     /* past the end */
	CHECK_EQ(devmem_range(nv, PAGE_SIZE, NV_SIZE, &pa), MT_EINVAL);     /* runs over */
	CHECK_EQ(devmem_range(nv, 1, PAGE_SIZE, &pa), MT_EINVAL);           /* unaligned */
	CHECK_EQ(devmem_range(nv, 0, PAGE_SIZE - 1, &pa), MT_EINVAL);
	CHECK_EQ(devmem_range(nv, PAGE_SIZE, ~0ULL & PAGE_MASK, &pa),
	         MT_EINVAL); /* offset + size wraps */
	CHECK_EQ(devmem_range(nv, ~0ULL & PAGE_MASK, 2 * PAGE_SIZE, &pa), MT_EINVAL);
	CHECK_EQ(pa, 0x55); /* untouched on failure */
}

static void test_attrs(void)
{
	for (int device = 0; device < 2; device++) {
		for (unsigned prot = MT_PROT_R; prot <= (MT_PROT_R | MT_PROT_W | MT_PROT_X);
		     prot++) {
			pte_t a = pt_devmem_attrs(prot, device);
			CHECK_EQ(a & PTE_PAGE, PTE_PAGE);
			CHECK(a & PTE_AF);
			CHECK(a & PTE_NG);
			CHECK(a & PTE_AP_EL0);
			CHECK(a & PTE_SW_DEVICE);
			CHECK(!(a & PTE_SW_SHARED));
			CHECK(!(a & PTE_NS));                  /* secure flash */
			CHECK((a & PTE_PXN) && (a & PTE_UXN)); /* never executable, X or not */
			CHECK_EQ(!!(a & PTE_AP_RO), !(prot & MT_PROT_W));
			CHECK_EQ(a & PTE_ADDR_MASK, 0);
			CHECK_EQ(a & (7ULL << 2),
			         device ? PTE_ATTR(MAIR_IDX_DEVICE) : PTE_ATTR(MAIR_IDX_NORMAL));
		}
	}
	/* Ordinary user pages are never device pages. */
	for (unsigned prot = 0; prot < 8; prot++)
		CHECK(!(pt_user_attrs(prot) & PTE_SW_DEVICE));
}

/* A device mapping in a table: the leaf keeps the physical address and the
 * device mark, which is what stops the kernel freeing the page on unmap or
 * exit and copying through it (kernel/process.c). */
static paddr_t tbl_alloc(void *ctx)
{
	(void)ctx;
	void *p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	if (!p)
		abort();
	memset(p, 0, PAGE_SIZE);
	return va_to_pa(p);
}
static void tbl_free(void *ctx, paddr_t pa)
{
	(void)ctx;
	free(pa_to_va(pa));
}
static unsigned device_leaves, other_leaves;
static void leaf(void *ctx, pte_t pte)
{
	(void)ctx;
	if (pte & PTE_SW_DEVICE)
		device_leaves++;
	else
		other_leaves++;
}

static void test_mapping(void)
{
	pte_t *l1 = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	if (!l1)
		abort();
	memset(l1, 0, PAGE_SIZE);
	struct pt_alloc a = {tbl_alloc, tbl_free, 0};
	vaddr_t va = 0x61000000;
	for (unsigned i = 0; i < 4; i++)
		CHECK_EQ(pt_map(l1, va + i * PAGE_SIZE, NV_BASE + i * PAGE_SIZE,
		                pt_devmem_attrs(MT_PROT_R | MT_PROT_W, 1), &a),
		         MT_OK);
	CHECK_EQ(pt_map(l1, va + 8 * PAGE_SIZE, 0x80000000, pt_user_attrs(MT_PROT_R), &a), MT_OK);
	pte_t e = pt_lookup(l1, va + 3 * PAGE_SIZE);
	CHECK_EQ(e & PTE_ADDR_MASK, NV_BASE + 3 * PAGE_SIZE);
	CHECK(e & PTE_SW_DEVICE);
	CHECK(!(e & PTE_AP_RO));
	/* A device page is as busy as any other. */
	CHECK_EQ(pt_map(l1, va, 0x80001000, pt_user_attrs(MT_PROT_R), &a), MT_EBUSY);
	pte_t old = pt_unmap(l1, va);
	CHECK(old & PTE_SW_DEVICE);
	pt_destroy(l1, 0, PT_ENTRIES - 1, leaf, &a);
	CHECK_EQ(device_leaves, 3);
	CHECK_EQ(other_leaves, 1);
	free(l1);
}

static void test_handles(void)
{
	if (!nv)
		return;
	static struct handle_table ht;
	int err = 0;
	long h = ht_insert(&ht, &nv->obj, MT_R_MAP_R | MT_R_MAP_W | MT_R_GRANT, 0);
	CHECK_EQ(h, 1);
	CHECK(ht_lookup(&ht, (uint64_t)h, KOBJ_DEVMEM, MT_R_MAP_R | MT_R_MAP_W, &err) != 0);
	/* Not a shared-memory object, whatever its rights say. */
	CHECK(ht_lookup(&ht, (uint64_t)h, KOBJ_SHM, MT_R_MAP_R, &err) == 0);
	CHECK_EQ(err, MT_EBADH);
	/* A read-only copy cannot map writable. */
	long ro = ht_insert(&ht, &nv->obj, MT_R_MAP_R, 0);
	CHECK(ht_lookup(&ht, (uint64_t)ro, KOBJ_DEVMEM, MT_R_MAP_R, &err) != 0);
	CHECK(ht_lookup(&ht, (uint64_t)ro, KOBJ_DEVMEM, MT_R_MAP_R | MT_R_MAP_W, &err) == 0);
	CHECK_EQ(err, MT_EPERM);
	CHECK_EQ(nv->obj.refs, 2);
	ht_clear(&ht);
	CHECK_EQ(nv->obj.refs, 0);
	CHECK_EQ(releases, 1); /* kobj_release runs; for a device range it does nothing */
	CHECK_EQ(nv->obj.type, KOBJ_DEVMEM);
}

int main(void)
{
	test_create();
	test_range();
	test_attrs();
	test_mapping();
	test_handles();
	return harness_report("devmem");
}
