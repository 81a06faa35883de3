/* test_mem: memory accounting, quotas and the checks on every address and
 * handle a process gives the memory calls:
 *  - SYS_PROC_INFO's pages_used grows by exactly N for N mapped pages and
 *    drops back on unmap; page tables are charged too and stay;
 *  - a map or shared-memory object over the quota fails with MT_ENOMEM and
 *    changes nothing, also when only the page table it needs does not fit;
 *  - W+X, unknown protection bits, unaligned, empty, wrapping and
 *    out-of-range ranges, and the monitor's, kernel's and devices' addresses
 *    are refused with MT_EINVAL; mapping over a mapping with MT_EBUSY;
 *  - shared memory: two mappings of one object see each other's writes,
 *    go whole or not at all, outlive the handle; a handle without MAP_W
 *    maps read-only only (MT_EPERM), rights never grow back; bad handles
 *    give MT_EBADH;
 *  - the kernel writes nothing through a bad or read-only user pointer
 *    (MT_EFAULT), our own text and rodata included, and reads nothing
 *    through a bad one. */
#include <stdio.h>
#include <string.h>

#include "../../../include/microtee/demo_ipc.h"
#include "mt.h"

#define TEST_NAME "test_mem"
#include "../check.h"


#define PG    MT_PAGE_SIZE
#define AREA  0x61000000UL /* 2 MiB aligned: one level-3 table covers what we map */
#define AREA2 0x61100000UL /* same table */
#define FRESH 0x6a000000UL /* a 2 MiB range nothing has touched: no table yet */
#define RW    (MT_PROT_R | MT_PROT_W)

static const char rodata_text[] = "test_mem read-only data";

static struct mt_proc_info info_now(void)
{
	struct mt_proc_info info;
	long rc = mt_proc_info(0, &info);
	if (rc != MT_OK) {
		printf("test_mem: FAILED proc_info: %ld\n", rc);
		failed++;
		memset(&info, 0, sizeof(info));
	}
	return info;
}

static unsigned long used(void)
{
	return info_now().pages_used;
}

/* ---- accounting ---- */

static void test_accounting(unsigned long base)
{
	static const unsigned sizes[] = {1, 5, 17, 64};
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned n = sizes[i];
		long rc = mt_mem_map(AREA, n * PG, RW);
		CHECK(rc == MT_OK, "map %u pages: %ld", n, rc);
		unsigned long u = used();
		CHECK(u == base + n, "after mapping %u pages used %lu, expected %lu", n, u,
		      base + n);
		int zero = 1, kept = 1;
		for (unsigned p = 0; p < n; p++) {
			volatile uint64_t *w = (volatile uint64_t *)(AREA + p * PG);
			zero &= w[0] == 0 && w[511] == 0;
			w[0] = 0x1000 + p, w[511] = ~(uint64_t)p;
		}
		for (unsigned p = 0; p < n; p++) {
			volatile uint64_t *w = (volatile uint64_t *)(AREA + p * PG);
			kept &= w[0] == 0x1000 + p && w[511] == ~(uint64_t)p;
		}
		CHECK(zero, "fresh pages must be zero");
		CHECK(kept, "pages must keep what was written");
		rc = mt_mem_unmap(AREA, n * PG);
		CHECK(rc == MT_OK, "unmap %u pages: %ld", n, rc);
		u = used();
		CHECK(u == base, "after unmapping %u pages used %lu, expected %lu", n, u, base);
		printf("test_mem: map %u pages: used %lu -> %lu -> %lu\n", n, base, base + n, u);
	}
	/* Unmapping what is not mapped is allowed and changes nothing. */
	CHECK(mt_mem_unmap(AREA, 8 * PG) == MT_OK && used() == base, "unmap of nothing");
	/* Part of a mapping can go. */
	CHECK(mt_mem_map(AREA, 4 * PG, RW) == MT_OK, "map 4");
	CHECK(mt_mem_unmap(AREA + PG, 2 * PG) == MT_OK && used() == base + 2, "partial unmap");
	CHECK(mt_mem_map(AREA + PG, PG, RW) == MT_OK && used() == base + 3, "map into the hole");
	CHECK(mt_mem_unmap(AREA, 4 * PG) == MT_OK && used() == base, "unmap the rest");
}

static void test_quota(unsigned long base)
{
	struct mt_proc_info info = info_now();
	unsigned long room = info.page_quota - base;
	printf("test_mem: quota %lu pages, %lu used, %lu free\n", info.page_quota, base, room);

	static const unsigned long over[] = {0, 1, 100, 4096};
	for (unsigned i = 0; i < sizeof(over) / sizeof(over[0]); i++) {
		long rc = mt_mem_map(AREA, (room + 1 + over[i]) * PG, RW);
		CHECK(rc == MT_ENOMEM, "map %lu pages over a room of %lu: %ld", room + 1 + over[i],
		      room, rc);
		CHECK(used() == base, "usage changed by a refused map: %lu", used());
	}
	mt_handle_t shm;
	long rc = mt_shm_create((room + 1) * PG, &shm);
	CHECK(rc == MT_ENOMEM, "shm of %lu pages over a room of %lu: %ld", room + 1, room, rc);
	CHECK(used() == base, "usage changed by a refused shm create: %lu", used());

	/* Exactly the quota fits (the table for AREA exists); then nothing. */
	rc = mt_mem_map(AREA, room * PG, RW);
	CHECK(rc == MT_OK, "map all %lu free pages: %ld", room, rc);
	if (rc == MT_OK) {
		CHECK(used() == info.page_quota, "at the quota: used %lu", used());
		*(volatile int *)(AREA + (room - 1) * PG) = 1;
		CHECK(mt_mem_map(AREA2 + 0x80000, PG, RW) == MT_ENOMEM, "one page over the quota");
		CHECK(mt_shm_create(PG, &shm) == MT_ENOMEM, "shm over the quota");
		CHECK(used() == info.page_quota, "usage at the quota changed: %lu", used());
		CHECK(mt_mem_unmap(AREA, room * PG) == MT_OK, "unmap everything");
	}
	CHECK(used() == base, "usage after the quota test: %lu, expected %lu", used(), base);

	/* Pages fit but the page table they need does not: refused, and
	 * nothing stays charged. */
	rc = mt_mem_map(AREA, (room - 1) * PG, RW);
	CHECK(rc == MT_OK, "map all but one page: %ld", rc);
	if (rc == MT_OK) {
		long rc2 = mt_mem_map(FRESH, PG, RW);
		unsigned long u = used();
		printf(
		    "test_mem: last free page in a range without a table: %ld, used %lu of %lu\n",
		    rc2, u, info.page_quota);
		CHECK(rc2 == MT_ENOMEM, "one page needing a new table at quota - 1: %ld", rc2);
		CHECK(u == info.page_quota - 1,
		      "a refused map left %lu pages charged (expected %lu)", u,
		      info.page_quota - 1);
		if (rc2 == MT_OK)
			mt_mem_unmap(FRESH, PG);
		CHECK(mt_mem_unmap(AREA, (room - 1) * PG) == MT_OK, "unmap");
	}
	/* Two pages fit, but not with the table they need: the first page
	 * and the table are allocated before the second fails. */
	rc = mt_mem_map(AREA, (room - 2) * PG, RW);
	CHECK(rc == MT_OK, "map all but two pages: %ld", rc);
	if (rc == MT_OK) {
		long rc2 = mt_mem_map(FRESH, 2 * PG, RW);
		unsigned long u = used();
		printf("test_mem: last two free pages in a range without a table: %ld, used %lu of "
		       "%lu\n",
		       rc2, u, info.page_quota);
		CHECK(rc2 == MT_ENOMEM, "two pages needing a new table at quota - 2: %ld", rc2);
		CHECK(u == info.page_quota - 2,
		      "a refused map left %lu pages charged (expected %lu)", u,
		      info.page_quota - 2);
		if (rc2 == MT_OK)
			mt_mem_unmap(FRESH, 2 * PG);
		CHECK(mt_mem_unmap(AREA, (room - 2) * PG) == MT_OK, "unmap");
	}
	CHECK(used() == base, "usage after the quota test: %lu, expected %lu", used(), base);

	/* Mapping shared memory costs only page tables: at the quota it
	 * works where the table exists and is refused where it does not. */
	mt_handle_t s1;
	rc = mt_shm_create(PG, &s1);
	CHECK(rc == MT_OK, "shm: %ld", rc);
	rc = mt_mem_map(AREA, (room - 1) * PG, RW);
	CHECK(rc == MT_OK && used() == info.page_quota, "fill the quota: %ld", rc);
	if (rc == MT_OK) {
		CHECK(mt_shm_map(s1, FRESH, MT_PROT_R) == MT_ENOMEM, "shm map needing a table");
		CHECK(mt_shm_map(s1, AREA2 + 0x80000, MT_PROT_R) == MT_OK,
		      "shm map needing nothing");
		CHECK(used() == info.page_quota, "usage: %lu", used());
		CHECK(mt_mem_unmap(AREA2 + 0x80000, PG) == MT_OK, "unmap shm");
		CHECK(mt_mem_unmap(AREA, (room - 1) * PG) == MT_OK, "unmap");
	}
	CHECK(mt_handle_close(s1) == MT_OK, "close");
	CHECK(used() == base, "usage after the quota test: %lu, expected %lu", used(), base);
}

/* Page tables are charged too, and stay when their pages go. */
static unsigned long test_tables(unsigned long base)
{
	const unsigned long straddle = FRESH + 0x200000 - PG; /* two level-3 tables */
	const unsigned long far = 0xc0000000UL;               /* a new GiB: level 2 and 3 */
	CHECK(mt_mem_map(straddle, 2 * PG, RW) == MT_OK, "map across 2 MiB");
	CHECK(used() == base + 2 + 2, "2 pages and 2 tables: used %lu, base %lu", used(), base);
	CHECK(mt_mem_unmap(straddle, 2 * PG) == MT_OK, "unmap");
	CHECK(used() == base + 2, "the tables stay: used %lu, base %lu", used(), base);
	CHECK(mt_mem_map(straddle, 2 * PG, RW) == MT_OK && used() == base + 4,
	      "map again: no tables");
	CHECK(mt_mem_unmap(straddle, 2 * PG) == MT_OK, "unmap");
	CHECK(mt_mem_map(far, PG, RW) == MT_OK, "map in a new GiB");
	CHECK(used() == base + 2 + 3, "1 page and 2 tables: used %lu, base %lu", used(), base);
	CHECK(mt_mem_unmap(far, PG) == MT_OK, "unmap");
	printf("test_mem: page tables: %lu pages stay charged after unmapping\n", used() - base);
	return used();
}

/* ---- argument checks ---- */

static void test_bad_args(unsigned long base)
{
	/* W and X never together. */
	CHECK(mt_mem_map(AREA, PG, MT_PROT_R | MT_PROT_W | MT_PROT_X) == MT_EINVAL, "RWX");
	CHECK(mt_mem_map(AREA, PG, MT_PROT_W | MT_PROT_X) == MT_EINVAL, "WX");
	CHECK(mt_mem_map(AREA, PG, MT_PROT_R | (1U << 3)) == MT_EINVAL, "unknown prot bit");
	CHECK(MT_SYS(SYS_MEM_MAP, AREA, PG, MT_PROT_R | (1UL << 32)) == MT_EINVAL, "prot bit 32");
	CHECK(used() == base, "usage changed");
	CHECK(mt_mem_map(AREA, PG, MT_PROT_R | MT_PROT_X) == MT_OK, "RX is fine");
	CHECK(mt_mem_unmap(AREA, PG) == MT_OK, "unmap RX");

	/* Over an existing mapping. */
	CHECK(mt_mem_map(AREA + 2 * PG, 2 * PG, RW) == MT_OK, "map 2");
	CHECK(mt_mem_map(AREA + 2 * PG, PG, RW) == MT_EBUSY, "same page");
	CHECK(mt_mem_map(AREA + 3 * PG, 4 * PG, RW) == MT_EBUSY, "overlapping the end");
	CHECK(mt_mem_map(AREA, 3 * PG, RW) == MT_EBUSY, "overlapping the start");
	CHECK(mt_mem_map(AREA, 16 * PG, RW) == MT_EBUSY, "covering it");
	CHECK(used() == base + 2, "usage changed by refused maps: %lu", used());
	CHECK(mt_mem_unmap(AREA + 2 * PG, 2 * PG) == MT_OK, "unmap 2");
	uintptr_t text = (uintptr_t)test_bad_args & ~(PG - 1);
	CHECK(mt_mem_map(text, PG, RW) == MT_EBUSY, "over our text");
	CHECK(mt_mem_map((uintptr_t)rodata_text & ~(PG - 1), PG, MT_PROT_R) == MT_EBUSY,
	      "over rodata");
	CHECK(mt_mem_map(MT_USER_STACK_TOP - PG, PG, RW) == MT_EBUSY, "over our stack");

	/* Unaligned, empty, out of the user range, overflowing. */
	static const struct {
		unsigned long va, size;
	} bad[] = {
	    {AREA + 1, PG},
	    {AREA + 2048, PG},
	    {AREA, 100},
	    {AREA, PG + 1},
	    {AREA, 0},
	    {0, PG},
	    {MT_USER_BASE - PG, PG},
	    {MT_USER_BASE - PG, 2 * PG},
	    {MT_USER_TOP, PG},
	    {MT_USER_TOP - PG, 2 * PG},
	    {1UL << 39, PG},
	    {(1UL << 39) - PG, PG},
	    {~0UL & ~(PG - 1), PG},
	    {~0UL & ~(PG - 1), 2 * PG},
	    {AREA, ~0UL & ~(PG - 1)},
	    {AREA, 1UL << 63},
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		long rc = mt_mem_map(bad[i].va, bad[i].size, RW);
		CHECK(rc == MT_EINVAL, "map 0x%lx+0x%lx: %ld", bad[i].va, bad[i].size, rc);
		rc = mt_mem_unmap(bad[i].va, bad[i].size);
		CHECK(rc == MT_EINVAL, "unmap 0x%lx+0x%lx: %ld", bad[i].va, bad[i].size, rc);
	}

	/* The monitor's and the kernel's memory, devices, flash. */
	static const unsigned long kernel[] = {
	    0x0e000000UL, 0x0e040000UL, 0x0e080000UL, 0x0e100000UL, 0x0eff0000UL,
	    0x09040000UL, 0x08000000UL, 0x00000000UL, 0x04000000UL, 0x3ffff000UL};
	mt_handle_t shm;
	CHECK(mt_shm_create(PG, &shm) == MT_OK, "shm");
	for (unsigned i = 0; i < sizeof(kernel) / sizeof(kernel[0]); i++) {
		long rc = mt_mem_map(kernel[i], PG, MT_PROT_R);
		CHECK(rc == MT_EINVAL, "map at 0x%lx: %ld", kernel[i], rc);
		rc = mt_mem_unmap(kernel[i], PG);
		CHECK(rc == MT_EINVAL, "unmap at 0x%lx: %ld", kernel[i], rc);
		rc = mt_shm_map(shm, kernel[i], MT_PROT_R);
		CHECK(rc == MT_EINVAL, "shm map at 0x%lx: %ld", kernel[i], rc);
		rc = mt_proc_info(0, (struct mt_proc_info *)kernel[i]);
		CHECK(rc == MT_EFAULT, "proc info into 0x%lx: %ld", kernel[i], rc);
		rc = MT_SYS(SYS_DEBUG_WRITE, kernel[i], 16);
		CHECK(rc == MT_EFAULT, "debug write from 0x%lx: %ld", kernel[i], rc);
	}
	CHECK(mt_handle_close(shm) == MT_OK, "close");
	CHECK(used() == base, "usage after the argument checks: %lu", used());
}

/* ---- shared memory ---- */

static void test_shm(unsigned long base, mt_handle_t echo)
{
	mt_handle_t shm, ro, ro2;
	long rc = mt_shm_create(2 * PG + 1, &shm); /* three pages */
	CHECK(rc == MT_OK, "shm create: %ld", rc);
	if (rc != MT_OK)
		return;
	CHECK(used() == base + 3, "shm pages are charged to their creator: %lu", used());
	CHECK(mt_shm_map(shm, AREA, RW) == MT_OK, "map at A");
	CHECK(mt_shm_map(shm, AREA2, RW) == MT_OK, "map at B");
	CHECK(used() == base + 3, "mapping charges nothing more: %lu", used());
	volatile uint32_t *a = (volatile uint32_t *)AREA, *b = (volatile uint32_t *)AREA2;
	for (unsigned i = 0; i < 3; i++)
		a[i * 1024 + 7] = 0xa0 + i;
	b[1] = 0xb1;
	int same = 1;
	for (unsigned i = 0; i < 3; i++)
		same &= b[i * 1024 + 7] == 0xa0 + i;
	CHECK(same && a[1] == 0xb1, "writes through one mapping show through the other");

	/* Shared mappings go whole, and nothing maps over them. */
	CHECK(mt_mem_unmap(AREA, PG) == MT_EINVAL, "part of a shared mapping");
	CHECK(mt_mem_unmap(AREA, 4 * PG) == MT_EINVAL, "more than a shared mapping");
	CHECK(mt_mem_map(AREA + PG, PG, RW) == MT_EBUSY, "anonymous over shared");
	CHECK(mt_shm_map(shm, AREA + 2 * PG, RW) == MT_EBUSY, "shared over shared");
	CHECK(mt_shm_map(shm, AREA + 0x10000, MT_PROT_R | MT_PROT_X) == MT_EINVAL, "shared RX");
	CHECK(mt_shm_map(shm, AREA + 0x10000, MT_PROT_W | MT_PROT_X) == MT_EINVAL, "shared WX");
	CHECK(mt_shm_map(shm, AREA + 0x10000, 0) == MT_EINVAL, "shared, no access");
	CHECK(mt_shm_map(shm, AREA + 0x10001, MT_PROT_R) == MT_EINVAL, "shared unaligned");
	CHECK(mt_shm_map(shm, MT_USER_TOP - PG, MT_PROT_R) == MT_EINVAL, "shared past the top");

	/* Without MAP_W: read-only only. */
	rc = mt_handle_grant(0, shm, MT_R_MAP_R | MT_R_GRANT, 0, &ro);
	CHECK(rc == MT_OK, "grant read-only: %ld", rc);
	CHECK(mt_shm_map(ro, AREA + 0x10000, RW) == MT_EPERM, "RW through a read-only handle");
	CHECK(mt_shm_map(ro, AREA + 0x10000, MT_PROT_W) == MT_EPERM,
	      "W through a read-only handle");
	CHECK(mt_shm_map(ro, AREA + 0x10000, MT_PROT_R) == MT_OK, "R through a read-only handle");
	volatile uint32_t *c = (volatile uint32_t *)(AREA + 0x10000);
	CHECK(c[7] == 0xa0 && c[1] == 0xb1, "read-only mapping sees the data");
	/* The kernel must not write into it for us either. */
	uint32_t c0 = c[0], c1 = c[1];
	rc = mt_proc_info(0, (struct mt_proc_info *)(AREA + 0x10000));
	CHECK(rc == MT_EFAULT, "proc info into a read-only shared page: %ld", rc);
	CHECK(c[0] == c0 && c[1] == c1 && c[7] == 0xa0, "read-only page unchanged");
	CHECK(mt_mem_unmap(AREA + 0x10000, 3 * PG) == MT_OK, "unmap read-only");
	/* Rights only shrink: no MAP_W from the read-only handle. */
	rc = mt_handle_grant(0, ro, MT_R_ALL, 0, &ro2);
	CHECK(rc == MT_OK, "re-grant: %ld", rc);
	CHECK(mt_shm_map(ro2, AREA + 0x10000, RW) == MT_EPERM, "rights grew back");
	CHECK(mt_handle_close(ro2) == MT_OK, "close ro2");
	rc = mt_handle_grant(0, shm, MT_R_MAP_R | MT_R_MAP_W, 0, &ro2);
	CHECK(rc == MT_OK, "grant without GRANT: %ld", rc);
	mt_handle_t ignored;
	CHECK(mt_handle_grant(0, ro2, MT_R_MAP_R, 0, &ignored) == MT_EPERM,
	      "grant needs MT_R_GRANT");
	CHECK(mt_handle_close(ro2) == MT_OK, "close");

	/* Bad handles. */
	CHECK(mt_shm_map(0, AREA + 0x10000, MT_PROT_R) == MT_EBADH, "handle 0");
	CHECK(mt_shm_map(63, AREA + 0x10000, MT_PROT_R) == MT_EBADH, "unused handle 63");
	CHECK(mt_shm_map(64, AREA + 0x10000, MT_PROT_R) == MT_EBADH, "handle 64");
	CHECK(mt_shm_map(1UL << 40, AREA + 0x10000, MT_PROT_R) == MT_EBADH, "handle 2^40");
	CHECK(mt_shm_map(echo, AREA + 0x10000, MT_PROT_R) == MT_EBADH, "an endpoint is not memory");
	CHECK(mt_handle_close(63) == MT_EBADH, "close unused");

	/* Unmap A; B keeps the data. Close the handle while B is mapped:
	 * the pages stay until the mapping goes too. */
	CHECK(mt_mem_unmap(AREA, 3 * PG) == MT_OK, "unmap A");
	CHECK(b[7] == 0xa0 && b[1] == 0xb1, "B still sees the data");
	CHECK(mt_handle_close(ro) == MT_OK, "close ro");
	CHECK(mt_handle_close(shm) == MT_OK, "close shm");
	CHECK(used() == base + 3, "mapped pages stay charged: %lu", used());
	b[2] = 0x22;
	CHECK(b[2] == 0x22 && b[1024 * 2 + 7] == 0xa2, "B still works after the close");
	CHECK(mt_mem_unmap(AREA2, 3 * PG) == MT_OK, "unmap B");
	CHECK(used() == base, "all shared pages returned: %lu, expected %lu", used(), base);
	CHECK(mt_shm_create(0, &shm) == MT_EINVAL, "empty shm");
	CHECK(mt_shm_create(1UL << 40, &shm) == MT_EINVAL, "huge shm");
	CHECK(used() == base, "usage: %lu", used());
}

/* ---- bad user pointers ---- */

static void test_user_pointers(unsigned long base)
{
	unsigned char before[64], after[64];
	const unsigned char *text = (const unsigned char *)test_user_pointers;
	memcpy(before, text, sizeof(before));
	long rc = mt_proc_info(0, (struct mt_proc_info *)(uintptr_t)text);
	memcpy(after, text, sizeof(after));
	CHECK(rc == MT_EFAULT, "proc info into our text: %ld", rc);
	CHECK(memcmp(before, after, sizeof(before)) == 0, "our text changed");
	rc = mt_proc_info(0, (struct mt_proc_info *)(uintptr_t)rodata_text);
	CHECK(rc == MT_EFAULT, "proc info into rodata: %ld", rc);
	CHECK(strcmp(rodata_text, "test_mem read-only data") == 0, "rodata changed");
	CHECK(mt_proc_info(0, 0) == MT_EFAULT, "proc info into NULL");
	CHECK(mt_proc_info(0, (struct mt_proc_info *)0x48000000UL) == MT_EFAULT, "unmapped");
	CHECK(mt_proc_info(0, (struct mt_proc_info *)(1UL << 39)) == MT_EFAULT, "2^39");
	CHECK(mt_proc_info(0, (struct mt_proc_info *)(~0UL - 8)) == MT_EFAULT, "2^64 - 8");
	CHECK(mt_proc_info(0, (struct mt_proc_info *)(MT_USER_TOP - 8)) == MT_EFAULT, "top - 8");

	/* A read-only anonymous page, and a buffer that runs off its page. */
	CHECK(mt_mem_map(AREA, PG, MT_PROT_R) == MT_OK, "map R");
	CHECK(mt_proc_info(0, (struct mt_proc_info *)AREA) == MT_EFAULT, "into a read-only page");
	CHECK(mt_mem_unmap(AREA, PG) == MT_OK, "unmap");
	CHECK(mt_mem_map(AREA, PG, RW) == MT_OK, "map RW");
	struct mt_proc_info *edge = (struct mt_proc_info *)(AREA + PG - 16);
	CHECK(mt_proc_info(0, edge) == MT_EFAULT, "running off the page");
	struct mt_proc_info *ok = (struct mt_proc_info *)(AREA + PG - sizeof(*ok));
	CHECK(mt_proc_info(0, ok) == MT_OK && ok->pages_used == base + 1, "just fits");

	/* The console: reads. */
	memcpy((void *)(AREA + PG - 6), "edge\n", 6);
	CHECK(MT_SYS(SYS_DEBUG_WRITE, AREA + PG - 6, 5) == MT_OK, "debug write at the edge");
	CHECK(MT_SYS(SYS_DEBUG_WRITE, AREA + PG - 6, 7) == MT_EFAULT, "debug write off the edge");
	CHECK(MT_SYS(SYS_DEBUG_WRITE, 0, 4) == MT_EFAULT, "debug write from NULL");
	CHECK(MT_SYS(SYS_DEBUG_WRITE, 0x48000000UL, 4) == MT_EFAULT, "debug write unmapped");
	CHECK(MT_SYS(SYS_DEBUG_WRITE, ~0UL - 2, 4) == MT_EFAULT, "debug write wrapping");
	CHECK(MT_SYS(SYS_DEBUG_WRITE, 1UL << 39, 4) == MT_EFAULT, "debug write at 2^39");
	CHECK(MT_SYS(SYS_DEBUG_WRITE, AREA, 4097) == MT_EINVAL, "debug write too long");
	CHECK(MT_SYS(SYS_DEBUG_WRITE, 0, 0) == MT_OK, "debug write of nothing");
	CHECK(mt_mem_unmap(AREA, PG) == MT_OK, "unmap");

	/* SYS_WAIT_CHILD checks its buffer first. */
	CHECK(mt_wait_child((struct mt_child_event *)(uintptr_t)text, 1) == MT_EFAULT,
	      "wait into text");
	CHECK(mt_wait_child(0, 1) == MT_EFAULT, "wait into NULL");
}

int mt_main(unsigned long arg, unsigned long arg2)
{
	(void)arg2;
	mt_handle_t echo = DEMO_ARG_ECHO(arg);
	struct mt_proc_info info = info_now();
	printf("test_mem: pid %lu, %lu of %lu pages used, %lu handles\n", info.pid, info.pages_used,
	       info.page_quota, info.handles);
	unsigned long handles0 = info.handles;

	/* The first map in a range may add a page table, which stays: warm
	 * AREA up so the counts below are exact. */
	CHECK(mt_mem_map(AREA, PG, MT_PROT_R) == MT_OK && mt_mem_unmap(AREA, PG) == MT_OK,
	      "warm up");
	unsigned long base = used();
	printf("test_mem: %lu pages used after warming up\n", base);

	test_accounting(base);
	test_quota(base);
	test_bad_args(base);
	test_shm(base, echo);
	test_user_pointers(base);
	base = test_tables(base);

	info = info_now();
	CHECK(info.pages_used == base, "pages used at the end: %lu, expected %lu", info.pages_used,
	      base);
	CHECK(info.handles == handles0, "handles at the end: %lu, expected %lu", info.handles,
	      handles0);
	printf("test_mem: %d checks passed, %d failed\n", passed, failed);
	if (failed) {
		printf("test_mem: FAIL %d checks failed\n", failed);
		return 1;
	}
	printf("test_mem: PASS\n");
	return 0;
}
