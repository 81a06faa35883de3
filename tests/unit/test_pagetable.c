/* kernel/pagetable.c: AArch64 4 KiB-granule, 39-bit VA translation tables,
 * built in host memory through a counting fake table allocator. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "kernel/pagetable.h"

#define GiB      (1ULL << 30)
#define MiB      (1ULL << 20)
#define VA_LIMIT (1ULL << PT_VA_BITS)

/* The fake allocator: every table page it hands out is remembered, so a free
 * of something it never gave (or gave and took back) is caught. */
#define MAX_TABLES 64
struct fake_alloc {
	paddr_t live[MAX_TABLES];
	unsigned nlive;
	unsigned allocs, frees, bad_frees;
	int fail_in; /* > 0: the fail_in-th allocation from now fails */
};

static paddr_t fake_alloc(void *ctx)
{
	struct fake_alloc *f = ctx;
	if (f->fail_in > 0 && --f->fail_in == 0)
		return 0;
	if (f->nlive == MAX_TABLES)
		return 0;
	void *p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	if (!p)
		abort();
	memset(p, 0, PAGE_SIZE);
	f->live[f->nlive++] = va_to_pa(p);
	f->allocs++;
	return va_to_pa(p);
}

static void fake_free(void *ctx, paddr_t pa)
{
	struct fake_alloc *f = ctx;
	for (unsigned i = 0; i < f->nlive; i++) {
		if (f->live[i] == pa) {
			f->live[i] = f->live[--f->nlive];
			f->frees++;
			free(pa_to_va(pa));
			return;
		}
	}
	f->bad_frees++;
}

/* A fresh, empty level-1 table and the allocator for what hangs below it. */
struct vspace {
	pte_t *l1;
	struct fake_alloc fa;
	struct pt_alloc a;
};

static void vs_init(struct vspace *vs)
{
	memset(vs, 0, sizeof(*vs));
	vs->l1 = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	if (!vs->l1)
		abort();
	memset(vs->l1, 0, PAGE_SIZE);
	vs->a = (struct pt_alloc){fake_alloc, fake_free, &vs->fa};
}

static void count_leaf(void *ctx, pte_t pte);

/* Tears everything down; every table must come back exactly once. */
static void vs_fini(struct vspace *vs)
{
	pt_destroy(vs->l1, 0, PT_ENTRIES - 1, count_leaf, &vs->a);
	CHECK_EQ(vs->fa.nlive, 0);
	CHECK_EQ(vs->fa.allocs, vs->fa.frees);
	CHECK_EQ(vs->fa.bad_frees, 0);
	free(vs->l1);
}

/* Leaves seen by pt_destroy; the fake allocator is the ctx pt_destroy passes. */
#define MAX_LEAVES 64
static pte_t leaves[MAX_LEAVES];
static unsigned nleaves;

static void count_leaf(void *ctx, pte_t pte)
{
	(void)ctx;
	if (nleaves < MAX_LEAVES)
		leaves[nleaves] = pte;
	nleaves++;
}

/* Fake "physical" addresses for leaves: they are only stored, never touched. */
static paddr_t leaf_pa(unsigned i)
{
	return 0x80000000ULL + (paddr_t)i * PAGE_SIZE;
}

static void test_user_attrs(void)
{
	for (unsigned prot = 0; prot < 8; prot++) {
		pte_t a = pt_user_attrs(prot);
		bool w = prot & MT_PROT_W, x = prot & MT_PROT_X;
		CHECK_EQ(a & PTE_PAGE, PTE_PAGE); /* a valid level-3 page */
		CHECK(a & PTE_AF);                /* no access-flag faults */
		CHECK(a & PTE_NG);                /* per-ASID */
		CHECK(a & PTE_AP_EL0);            /* user accessible */
		CHECK(a & PTE_PXN);               /* never kernel-executable */
		CHECK_EQ(a & (7ULL << 2), PTE_ATTR(MAIR_IDX_NORMAL));
		CHECK_EQ(a & (3ULL << 8), PTE_SH_INNER);
		CHECK_EQ(a & PTE_ADDR_MASK, 0); /* attributes only */
		CHECK(!(a & PTE_NS));
		CHECK(!(a & PTE_SW_SHARED));
		CHECK_EQ(!!(a & PTE_AP_RO), !w);         /* writable iff W */
		CHECK_EQ(!(a & PTE_UXN), x && !w);       /* executable iff X and not W */
		CHECK((a & PTE_UXN) || (a & PTE_AP_RO)); /* W^X */
	}
	pte_t rx = pt_user_attrs(MT_PROT_R | MT_PROT_X);
	CHECK(!(rx & PTE_UXN) && (rx & PTE_AP_RO));
	pte_t rwx = pt_user_attrs(MT_PROT_R | MT_PROT_W | MT_PROT_X);
	CHECK((rwx & PTE_UXN) && !(rwx & PTE_AP_RO));
}

/* VAs around level-1 (1 GiB) and level-2 (2 MiB) boundaries, and the ends of
 * the address space. */
static const vaddr_t vas[] = {
    0,
    PAGE_SIZE,
    2 * MiB - PAGE_SIZE,
    2 * MiB,
    GiB - PAGE_SIZE,
    GiB,
    GiB + 2 * MiB,
    2 * GiB - PAGE_SIZE,
    2 * GiB,
    0x40000000 + 0x1234000,
    VA_LIMIT - 2 * MiB,
    VA_LIMIT - PAGE_SIZE,
};

static void test_map_lookup_unmap(void)
{
	struct vspace vs;
	vs_init(&vs);
	pte_t attrs = pt_user_attrs(MT_PROT_R | MT_PROT_W);

	for (unsigned i = 0; i < ARRAY_SIZE(vas); i++)
		CHECK_EQ(pt_map(vs.l1, vas[i], leaf_pa(i), attrs, &vs.a), MT_OK);
	/* One level-2 table per distinct GiB, one level-3 per distinct 2 MiB. */
	CHECK_EQ(vs.fa.allocs, 4 /* GiB 0, 1, 2, 511 */ + 9 /* 2 MiB regions */);

	for (unsigned i = 0; i < ARRAY_SIZE(vas); i++) {
		pte_t e = pt_lookup(vs.l1, vas[i]);
		CHECK_EQ(e & PTE_ADDR_MASK, leaf_pa(i));
		CHECK_EQ(e & ~PTE_ADDR_MASK, attrs);
		/* Any address inside the page finds the same page. */
		CHECK_EQ(pt_lookup(vs.l1, vas[i] + PAGE_SIZE - 1), e);
	}
	/* Neighbours that were not mapped are not. */
	CHECK_EQ(pt_lookup(vs.l1, 2 * PAGE_SIZE), 0);
	CHECK_EQ(pt_lookup(vs.l1, 2 * MiB + PAGE_SIZE), 0);
	CHECK_EQ(pt_lookup(vs.l1, GiB + PAGE_SIZE), 0);
	CHECK_EQ(pt_lookup(vs.l1, 3 * GiB), 0);
	CHECK_EQ(pt_lookup(vs.l1, VA_LIMIT - 3 * PAGE_SIZE), 0);
	/* Outside the 39-bit space, and no aliasing of the top bits. */
	CHECK_EQ(pt_lookup(vs.l1, VA_LIMIT), 0);
	CHECK_EQ(pt_lookup(vs.l1, VA_LIMIT + PAGE_SIZE), 0);
	CHECK_EQ(pt_lookup(vs.l1, ~0ULL << PT_VA_BITS), 0);
	CHECK_EQ(pt_unmap(vs.l1, VA_LIMIT), 0);

	/* The tables are real AArch64 descriptors: walk one by hand. */
	pte_t e1 = vs.l1[1];
	CHECK_EQ(e1 & 3, PTE_VALID | PTE_TABLE);
	pte_t *l2 = pa_to_va(e1 & PTE_ADDR_MASK);
	pte_t e2 = l2[1]; /* GiB + 2 MiB */
	CHECK_EQ(e2 & 3, PTE_VALID | PTE_TABLE);
	pte_t *l3 = pa_to_va(e2 & PTE_ADDR_MASK);
	CHECK_EQ(l3[0], pt_lookup(vs.l1, GiB + 2 * MiB));

	/* Unmap returns the descriptor once, and leaves the others alone. */
	pte_t e = pt_lookup(vs.l1, 2 * MiB);
	CHECK_EQ(pt_unmap(vs.l1, 2 * MiB), e);
	CHECK_EQ(pt_unmap(vs.l1, 2 * MiB), 0);
	CHECK_EQ(pt_lookup(vs.l1, 2 * MiB), 0);
	CHECK_EQ(pt_unmap(vs.l1, 5 * GiB), 0); /* no tables there at all */
	unsigned still = 0;
	for (unsigned i = 0; i < ARRAY_SIZE(vas); i++)
		still += (pt_lookup(vs.l1, vas[i]) & PTE_ADDR_MASK) == leaf_pa(i);
	CHECK_EQ(still, ARRAY_SIZE(vas) - 1);

	/* The page can be mapped again, to something else, without new tables. */
	unsigned before = vs.fa.allocs;
	CHECK_EQ(pt_map(vs.l1, 2 * MiB, leaf_pa(99), attrs, &vs.a), MT_OK);
	CHECK_EQ(pt_lookup(vs.l1, 2 * MiB) & PTE_ADDR_MASK, leaf_pa(99));
	CHECK_EQ(vs.fa.allocs, before);

	/* Whatever attributes it is given, a leaf is a valid page descriptor. */
	CHECK_EQ(pt_map(vs.l1, 0x1000 * PAGE_SIZE, leaf_pa(98), PTE_AF, &vs.a), MT_OK);
	CHECK_EQ(pt_lookup(vs.l1, 0x1000 * PAGE_SIZE), leaf_pa(98) | PTE_AF | PTE_PAGE);

	nleaves = 0;
	vs_fini(&vs);
	CHECK_EQ(nleaves, ARRAY_SIZE(vas) + 1);
}

static void test_map_errors(void)
{
	struct vspace vs;
	vs_init(&vs);
	pte_t attrs = pt_user_attrs(MT_PROT_R);

	CHECK_EQ(pt_map(vs.l1, GiB, leaf_pa(1), attrs, &vs.a), MT_OK);
	pte_t e = pt_lookup(vs.l1, GiB);
	/* Mapped already: busy, and the old mapping survives. */
	CHECK_EQ(pt_map(vs.l1, GiB, leaf_pa(2), attrs, &vs.a), MT_EBUSY);
	CHECK_EQ(pt_lookup(vs.l1, GiB), e);

	unsigned allocs = vs.fa.allocs;
	/* Unaligned virtual or physical address. */
	CHECK_EQ(pt_map(vs.l1, 3 * GiB + 8, leaf_pa(3), attrs, &vs.a), MT_EINVAL);
	CHECK_EQ(pt_map(vs.l1, 3 * GiB + PAGE_SIZE / 2, leaf_pa(3), attrs, &vs.a), MT_EINVAL);
	CHECK_EQ(pt_map(vs.l1, 3 * GiB, leaf_pa(3) + 1, attrs, &vs.a), MT_EINVAL);
	/* At or beyond 2^39. */
	CHECK_EQ(pt_map(vs.l1, VA_LIMIT, leaf_pa(3), attrs, &vs.a), MT_EINVAL);
	CHECK_EQ(pt_map(vs.l1, VA_LIMIT + GiB, leaf_pa(3), attrs, &vs.a), MT_EINVAL);
	CHECK_EQ(pt_map(vs.l1, ~0ULL & PAGE_MASK, leaf_pa(3), attrs, &vs.a), MT_EINVAL);
	CHECK_EQ(pt_map(vs.l1, 0xFFFFFF8000000000ULL, leaf_pa(3), attrs, &vs.a), MT_EINVAL);
	CHECK_EQ(vs.fa.allocs, allocs);   /* no tables made for any of them */
	CHECK_EQ(pt_lookup(vs.l1, 0), 0); /* and nothing aliased down to VA 0 */
	CHECK_EQ(vs.l1[0], 0);

	/* A block descriptor in the way is busy too, at either level. */
	vs.l1[5] = 0x140000000ULL | PTE_BLOCK;
	CHECK_EQ(pt_map(vs.l1, 5 * GiB + 2 * MiB, leaf_pa(4), attrs, &vs.a), MT_EBUSY);
	CHECK_EQ(pt_lookup(vs.l1, 5 * GiB + 2 * MiB), 0);
	CHECK_EQ(vs.l1[5], 0x140000000ULL | PTE_BLOCK);
	pte_t *l2 = pa_to_va(vs.l1[1] & PTE_ADDR_MASK);
	l2[7] = 0x40E00000ULL | PTE_BLOCK;
	CHECK_EQ(pt_map(vs.l1, GiB + 7 * 2 * MiB, leaf_pa(5), attrs, &vs.a), MT_EBUSY);
	CHECK_EQ(pt_lookup(vs.l1, GiB + 7 * 2 * MiB), 0);
	CHECK_EQ(l2[7], 0x40E00000ULL | PTE_BLOCK);
	CHECK_EQ(vs.fa.allocs, allocs);
	vs.l1[5] = 0; /* not a table: pt_destroy would leave it, but keep the test tidy */
	l2[7] = 0;

	nleaves = 0;
	vs_fini(&vs);
	CHECK_EQ(nleaves, 1);
}

/* Is anything at all mapped? Walks every table. */
static unsigned count_mapped(const pte_t *l1)
{
	unsigned n = 0;
	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		if (!(l1[i] & PTE_VALID) || !(l1[i] & PTE_TABLE))
			continue;
		const pte_t *l2 = pa_to_va(l1[i] & PTE_ADDR_MASK);
		for (unsigned j = 0; j < PT_ENTRIES; j++) {
			if (!(l2[j] & PTE_VALID) || !(l2[j] & PTE_TABLE))
				continue;
			const pte_t *l3 = pa_to_va(l2[j] & PTE_ADDR_MASK);
			for (unsigned k = 0; k < PT_ENTRIES; k++)
				n += (l3[k] & PTE_VALID) != 0;
		}
	}
	return n;
}

static void test_enomem(void)
{
	struct vspace vs;
	vs_init(&vs);
	pte_t attrs = pt_user_attrs(MT_PROT_R | MT_PROT_W);

	/* The level-2 table cannot be had: nothing changes at all. */
	vs.fa.fail_in = 1;
	CHECK_EQ(pt_map(vs.l1, GiB, leaf_pa(1), attrs, &vs.a), MT_ENOMEM);
	CHECK_EQ(vs.l1[1], 0);
	CHECK_EQ(vs.fa.allocs, 0);

	/* The level-3 table cannot be had: no page is mapped. The level-2 table
	 * stays installed (empty) and is reused by the next attempt; it is
	 * reclaimed by pt_destroy like any other table. */
	vs.fa.fail_in = 2;
	CHECK_EQ(pt_map(vs.l1, GiB, leaf_pa(1), attrs, &vs.a), MT_ENOMEM);
	CHECK_EQ(pt_lookup(vs.l1, GiB), 0);
	CHECK_EQ(count_mapped(vs.l1), 0);
	CHECK_EQ(vs.fa.allocs, 1);

	CHECK_EQ(pt_map(vs.l1, GiB, leaf_pa(1), attrs, &vs.a), MT_OK);
	CHECK_EQ(vs.fa.allocs, 2); /* only the missing level-3 table */
	CHECK_EQ(pt_lookup(vs.l1, GiB) & PTE_ADDR_MASK, leaf_pa(1));

	/* An existing table path needs no allocation, so it cannot fail. */
	vs.fa.fail_in = 1;
	CHECK_EQ(pt_map(vs.l1, GiB + PAGE_SIZE, leaf_pa(2), attrs, &vs.a), MT_OK);
	CHECK_EQ(pt_map(vs.l1, GiB + 2 * MiB, leaf_pa(3), attrs, &vs.a), MT_ENOMEM);
	CHECK_EQ(pt_lookup(vs.l1, GiB + 2 * MiB), 0);
	CHECK_EQ(count_mapped(vs.l1), 2);

	nleaves = 0;
	vs_fini(&vs);
	CHECK_EQ(nleaves, 2);
}

static void test_skip_hole(void)
{
	struct vspace vs;
	vs_init(&vs);
	pte_t attrs = pt_user_attrs(MT_PROT_R);

	/* Empty: every address skips to the next GiB. */
	CHECK_EQ(pt_skip_hole(vs.l1, 0), GiB);
	CHECK_EQ(pt_skip_hole(vs.l1, GiB + 0x1234000), 2 * GiB);
	CHECK_EQ(pt_skip_hole(vs.l1, 2 * GiB - PAGE_SIZE), 2 * GiB);
	CHECK_EQ(pt_skip_hole(vs.l1, VA_LIMIT - PAGE_SIZE), VA_LIMIT);

	CHECK_EQ(pt_map(vs.l1, GiB + 4 * MiB + 5 * PAGE_SIZE, leaf_pa(1), attrs, &vs.a), MT_OK);
	/* Level-2 table present, level-3 not: skip to the next 2 MiB. */
	CHECK_EQ(pt_skip_hole(vs.l1, GiB), GiB + 2 * MiB);
	CHECK_EQ(pt_skip_hole(vs.l1, GiB + 2 * MiB + PAGE_SIZE), GiB + 4 * MiB);
	CHECK_EQ(pt_skip_hole(vs.l1, GiB + 6 * MiB), GiB + 8 * MiB);
	/* Inside a populated level-3 table: no skipping, mapped page or not. */
	CHECK_EQ(pt_skip_hole(vs.l1, GiB + 4 * MiB), GiB + 4 * MiB);
	CHECK_EQ(pt_skip_hole(vs.l1, GiB + 4 * MiB + 5 * PAGE_SIZE), GiB + 4 * MiB + 5 * PAGE_SIZE);
	CHECK_EQ(pt_skip_hole(vs.l1, GiB + 6 * MiB - PAGE_SIZE), GiB + 6 * MiB - PAGE_SIZE);
	/* Other GiBs are still holes. */
	CHECK_EQ(pt_skip_hole(vs.l1, 0), GiB);
	CHECK_EQ(pt_skip_hole(vs.l1, 2 * GiB), 3 * GiB);

	/* The scan the kernel does (range_mapped/process_unmap) finds exactly
	 * the mapped pages of the whole address space, in few steps. */
	CHECK_EQ(pt_map(vs.l1, 0, leaf_pa(2), attrs, &vs.a), MT_OK);
	CHECK_EQ(pt_map(vs.l1, 300 * GiB + 10 * MiB, leaf_pa(3), attrs, &vs.a), MT_OK);
	CHECK_EQ(pt_map(vs.l1, VA_LIMIT - PAGE_SIZE, leaf_pa(4), attrs, &vs.a), MT_OK);
	unsigned found = 0, steps = 0;
	bool forward = true;
	for (vaddr_t a = 0; a < VA_LIMIT; steps++) {
		vaddr_t next = pt_skip_hole(vs.l1, a);
		forward &= next >= a;
		if (next != a) {
			a = next;
			continue;
		}
		found += pt_lookup(vs.l1, a) != 0;
		a += PAGE_SIZE;
	}
	CHECK(forward);
	CHECK_EQ(found, 4);
	CHECK(steps < 512 + 4 * 512 + 4 * 512); /* GiBs + 2 MiBs + pages of 4 leaf tables */

	nleaves = 0;
	vs_fini(&vs);
	CHECK_EQ(nleaves, 4);
}

static bool leaf_seen_once(paddr_t pa)
{
	unsigned n = 0;
	for (unsigned i = 0; i < nleaves && i < MAX_LEAVES; i++)
		n += (leaves[i] & PTE_ADDR_MASK) == pa;
	return n == 1;
}

static void test_destroy(void)
{
	struct vspace vs;
	vs_init(&vs);
	pte_t attrs = pt_user_attrs(MT_PROT_R | MT_PROT_X);

	/* Pages under level-1 entries 0, 1 (two level-3 tables), 2 and 511. */
	static const vaddr_t map[] = {
	    0,
	    PAGE_SIZE,
	    GiB,
	    GiB + 511 * PAGE_SIZE,
	    GiB + 2 * MiB,
	    2 * GiB + 8 * MiB,
	    VA_LIMIT - PAGE_SIZE,
	};
	for (unsigned i = 0; i < ARRAY_SIZE(map); i++)
		CHECK_EQ(pt_map(vs.l1, map[i], leaf_pa(i), attrs, &vs.a), MT_OK);
	/* One mapped then unmapped: its table stays, its leaf is gone. */
	CHECK_EQ(pt_map(vs.l1, GiB + 3 * PAGE_SIZE, leaf_pa(50), attrs, &vs.a), MT_OK);
	CHECK(pt_unmap(vs.l1, GiB + 3 * PAGE_SIZE) != 0);
	CHECK_EQ(vs.fa.allocs, 4 + 5);

	/* Only level-1 entries 1..2: the leaves and tables below them. */
	nleaves = 0;
	unsigned frees = vs.fa.frees;
	pt_destroy(vs.l1, 1, 2, count_leaf, &vs.a);
	CHECK_EQ(nleaves, 4);
	CHECK(leaf_seen_once(leaf_pa(2)));
	CHECK(leaf_seen_once(leaf_pa(3)));
	CHECK(leaf_seen_once(leaf_pa(4)));
	CHECK(leaf_seen_once(leaf_pa(5)));
	CHECK_EQ(vs.fa.frees - frees, 2 + 3); /* two level-2 tables, three level-3 */
	CHECK_EQ(vs.fa.bad_frees, 0);
	CHECK_EQ(vs.l1[1], 0);
	CHECK_EQ(vs.l1[2], 0);
	CHECK_EQ(pt_lookup(vs.l1, GiB), 0);
	/* The rest is untouched. */
	CHECK_EQ(pt_lookup(vs.l1, 0) & PTE_ADDR_MASK, leaf_pa(0));
	CHECK_EQ(pt_lookup(vs.l1, PAGE_SIZE) & PTE_ADDR_MASK, leaf_pa(1));
	CHECK_EQ(pt_lookup(vs.l1, VA_LIMIT - PAGE_SIZE) & PTE_ADDR_MASK, leaf_pa(6));

	/* Destroying an already-destroyed range does nothing. */
	nleaves = 0;
	frees = vs.fa.frees;
	pt_destroy(vs.l1, 1, 2, count_leaf, &vs.a);
	CHECK_EQ(nleaves, 0);
	CHECK_EQ(vs.fa.frees, frees);

	/* A block entry is not a table: left alone, not freed, no leaves. */
	vs.l1[3] = 0xC0000000ULL | PTE_BLOCK;
	/* A last index past the table is clamped. */
	nleaves = 0;
	pt_destroy(vs.l1, 3, 100000, count_leaf, &vs.a);
	CHECK_EQ(nleaves, 1);
	CHECK(leaf_seen_once(leaf_pa(6)));
	CHECK_EQ(vs.l1[3], 0xC0000000ULL | PTE_BLOCK);
	CHECK_EQ(vs.l1[511], 0);
	vs.l1[3] = 0;

	/* The rest, via the full teardown. */
	nleaves = 0;
	vs_fini(&vs);
	CHECK_EQ(nleaves, 2);
	CHECK(leaf_seen_once(leaf_pa(0)));
	CHECK(leaf_seen_once(leaf_pa(1)));
}

/* Many pages, then the whole space destroyed: every leaf once, every table
 * freed, nothing freed twice. */
static void test_destroy_many(void)
{
	struct vspace vs;
	vs_init(&vs);
	pte_t attrs = pt_user_attrs(MT_PROT_R | MT_PROT_W);
	unsigned n = 0;
	for (unsigned g = 0; g < 3; g++)
		for (unsigned m = 0; m < 4; m++)
			for (unsigned p = 0; p < 4; p++, n++)
				CHECK_EQ(pt_map(vs.l1,
				                g * 100 * GiB + m * 2 * MiB + p * 37 * PAGE_SIZE,
				                leaf_pa(n), attrs, &vs.a),
				         MT_OK);
	CHECK_EQ(vs.fa.allocs, 3 + 3 * 4);
	nleaves = 0;
	vs_fini(&vs);
	CHECK_EQ(nleaves, n);
	bool once = true;
	for (unsigned i = 0; i < n; i++)
		once &= leaf_seen_once(leaf_pa(i));
	CHECK(once);
}

int main(void)
{
	test_user_attrs();
	test_map_lookup_unmap();
	test_map_errors();
	test_enomem();
	test_skip_hole();
	test_destroy();
	test_destroy_many();
	return harness_report("pagetable");
}
