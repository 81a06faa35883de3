/* kernel/pmm.c: the physical page allocator, over host memory. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "kernel/pmm.h"

static struct pmm pmm; /* 4 KiB of bitmap: keep it off the stack */

/* A page-aligned pool filled with garbage, so "zeroed" means something. */
static void *pool_new(size_t npages)
{
	void *p = aligned_alloc(PAGE_SIZE, npages * PAGE_SIZE);
	if (!p)
		abort();
	memset(p, 0xA5, npages * PAGE_SIZE);
	return p;
}

static bool page_is_zero(paddr_t pa)
{
	const uint8_t *b = pa_to_va(pa);
	for (size_t i = 0; i < PAGE_SIZE; i++)
		if (b[i])
			return false;
	return true;
}

static bool in_pool(paddr_t pa, void *pool, size_t npages)
{
	paddr_t base = va_to_pa(pool);
	return pa >= base && pa < base + npages * PAGE_SIZE && (pa & ~PAGE_MASK) == 0;
}

struct free_args {
	struct pmm *pmm;
	paddr_t pa;
};

static void do_free(void *arg)
{
	struct free_args *a = arg;
	pmm_free(a->pmm, a->pa);
}

static void do_alloc(void *arg)
{
	pmm_alloc(arg);
}

static void do_init_unaligned(void *arg)
{
	pmm_init(&pmm, va_to_pa(arg) + 8, 4);
}

static void test_init(void)
{
	void *pool = pool_new(10);
	pmm_init(&pmm, va_to_pa(pool), 10);
	CHECK_EQ(pmm.base, va_to_pa(pool));
	CHECK_EQ(pmm.npages, 10);
	CHECK_EQ(pmm.nfree, 10);

	/* More pages than the bitmap covers are clamped, not overrun. The
	 * pool is never touched by init, so a fake base is fine here. */
	pmm_init(&pmm, 0x100000, PMM_MAX_PAGES + 100);
	CHECK_EQ(pmm.npages, PMM_MAX_PAGES);
	CHECK_EQ(pmm.nfree, PMM_MAX_PAGES);

	CHECK_PANICS(do_init_unaligned, pool);
	free(pool);
}

/* Allocates the whole pool: distinct, zeroed, inside it; then runs dry. */
static void test_alloc_all(size_t npages)
{
	void *pool = pool_new(npages);
	paddr_t *got = calloc(npages, sizeof(*got));
	pmm_init(&pmm, va_to_pa(pool), npages);

	bool inside = true, zero = true, distinct = true, counted = true;
	uint8_t *seen = calloc(npages, 1);
	for (size_t i = 0; i < npages; i++) {
		got[i] = pmm_alloc(&pmm);
		if (!in_pool(got[i], pool, npages)) {
			inside = false;
			continue;
		}
		zero &= page_is_zero(got[i]);
		size_t idx = (got[i] - va_to_pa(pool)) / PAGE_SIZE;
		distinct &= !seen[idx];
		seen[idx] = 1;
		counted &= pmm.nfree == npages - i - 1;
		memset(pa_to_va(got[i]), 0x5A, PAGE_SIZE); /* dirty it for the next round */
	}
	CHECK(inside);
	CHECK(zero);
	CHECK(distinct);
	CHECK(counted);
	CHECK_EQ(pmm.nfree, 0);
	CHECK_EQ(pmm_alloc(&pmm), 0); /* exhausted */
	CHECK_EQ(pmm_alloc(&pmm), 0);
	CHECK_EQ(pmm.nfree, 0);

	/* A freed page comes back, zeroed again. */
	paddr_t mid = got[npages / 2];
	pmm_free(&pmm, mid);
	CHECK_EQ(pmm.nfree, 1);
	CHECK_EQ(pmm_alloc(&pmm), mid);
	CHECK(page_is_zero(mid));
	CHECK_EQ(pmm.nfree, 0);
	CHECK_EQ(pmm_alloc(&pmm), 0);

	/* Free everything; all of it can be had again. */
	for (size_t i = 0; i < npages; i++)
		pmm_free(&pmm, got[i]);
	CHECK_EQ(pmm.nfree, npages);
	memset(seen, 0, npages);
	distinct = inside = zero = true;
	for (size_t i = 0; i < npages; i++) {
		paddr_t pa = pmm_alloc(&pmm);
		if (!in_pool(pa, pool, npages)) {
			inside = false;
			continue;
		}
		size_t idx = (pa - va_to_pa(pool)) / PAGE_SIZE;
		distinct &= !seen[idx];
		seen[idx] = 1;
		zero &= page_is_zero(pa);
	}
	CHECK(inside);
	CHECK(distinct);
	CHECK(zero);
	CHECK_EQ(pmm_alloc(&pmm), 0);
	free(seen);
	free(got);
	free(pool);
}

static void test_bad_free(void)
{
	const size_t n = 8;
	void *pool = pool_new(n);
	paddr_t base = va_to_pa(pool);
	pmm_init(&pmm, base, n);
	paddr_t a = pmm_alloc(&pmm), b = pmm_alloc(&pmm);
	CHECK(a && b && a != b);

	pmm_free(&pmm, a);
	CHECK_PANICS(do_free, (&(struct free_args){&pmm, a})); /* double free */
	CHECK_EQ(pmm.nfree, n - 1);
	/* Never allocated. */
	CHECK_PANICS(do_free, (&(struct free_args){&pmm, base + 5 * PAGE_SIZE}));
	/* Outside the pool on either side, or not a page address. */
	CHECK_PANICS(do_free, (&(struct free_args){&pmm, base - PAGE_SIZE}));
	CHECK_PANICS(do_free, (&(struct free_args){&pmm, base + n * PAGE_SIZE}));
	CHECK_PANICS(do_free, (&(struct free_args){&pmm, base + 1000 * PAGE_SIZE}));
	/* Far enough out that its bit would lie beyond the bitmap. */
	CHECK_PANICS(do_free, (&(struct free_args){&pmm, base + (1ULL << 40)}));
	CHECK_PANICS(do_free, (&(struct free_args){&pmm, 0}));
	CHECK_PANICS(do_free, (&(struct free_args){&pmm, b + 8}));
	CHECK_EQ(pmm.nfree, n - 1); /* none of that changed the count */

	pmm_free(&pmm, b);
	CHECK_EQ(pmm.nfree, n);

	/* A free count that disagrees with the bitmap is caught, not looped on. */
	for (size_t i = 0; i < n; i++)
		pmm_alloc(&pmm);
	pmm.nfree = 1;
	CHECK_PANICS(do_alloc, &pmm);
	free(pool);
}

/* Random allocs and frees checked against a model of which pages are in use;
 * covers the hint wrapping around and skipping full bitmap words. */
static void test_random(size_t npages, unsigned steps, unsigned seed)
{
	void *pool = pool_new(npages);
	paddr_t base = va_to_pa(pool);
	uint8_t *used = calloc(npages, 1);
	paddr_t *live = calloc(npages, sizeof(*live));
	size_t nlive = 0;
	bool ok = true;

	pmm_init(&pmm, base, npages);
	srand(seed);
	for (unsigned s = 0; s < steps && ok; s++) {
		/* Lean towards allocating so the pool fills up and drains. */
		int bias = (s / 2000) % 2 ? 30 : 70;
		if (rand() % 100 < bias) {
			paddr_t pa = pmm_alloc(&pmm);
			if (nlive == npages) {
				ok = pa == 0;
				continue;
			}
			if (!in_pool(pa, pool, npages)) {
				ok = false;
				break;
			}
			size_t i = (pa - base) / PAGE_SIZE;
			ok = !used[i] && page_is_zero(pa);
			used[i] = 1;
			live[nlive++] = pa;
			memset(pa_to_va(pa), 0xEE, PAGE_SIZE);
		} else if (nlive) {
			size_t k = (size_t)rand() % nlive;
			paddr_t pa = live[k];
			live[k] = live[--nlive];
			used[(pa - base) / PAGE_SIZE] = 0;
			pmm_free(&pmm, pa);
		}
		ok = ok && pmm.nfree == npages - nlive;
	}
	CHECK(ok);
	free(live);
	free(used);
	free(pool);
}

int main(void)
{
	test_init();
	test_alloc_all(1);
	test_alloc_all(100); /* a partial last bitmap word */
	test_alloc_all(128); /* whole words only */
	test_alloc_all(PMM_MAX_PAGES);
	test_bad_free();
	test_random(100, 50000, 1);
	test_random(128, 50000, 2);
	test_random(1000, 50000, 3);
	return harness_report("pmm");
}
