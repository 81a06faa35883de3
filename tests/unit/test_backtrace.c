/* kernel/backtrace.c: the frame-pointer walk over a made-up process memory
 * (one "mapped" window; everything else unreadable, as copy_from_user
 * would refuse it). Hostile chains must end, quickly, and say why. */
#include <string.h>

#include "harness.h"
#include "kernel/backtrace.h"

#define WIN_BASE (MT_USER_STACK_TOP - 0x2000) /* the mapped window: two pages of stack */
#define WIN_SIZE 0x2000UL

static uint64_t mem[WIN_SIZE / 8];
static unsigned reads;

static int fake_read(void *ctx, vaddr_t va, uint64_t rec[2])
{
	(void)ctx;
	reads++;
	if (va < WIN_BASE || va + 16 > WIN_BASE + WIN_SIZE)
		return MT_EFAULT;
	memcpy(rec, (const uint8_t *)mem + (va - WIN_BASE), 16);
	return MT_OK;
}

/* Writes the record {fp, lr} at va (in the window). */
static void rec(vaddr_t va, uint64_t fp, uint64_t lr)
{
	uint64_t r[2] = {fp, lr};
	memcpy((uint8_t *)mem + (va - WIN_BASE), r, 16);
}

static unsigned long walk(vaddr_t fp, uint64_t *frames, unsigned max, unsigned *n)
{
	reads = 0;
	return backtrace_walk(fp, fake_read, 0, frames, max, n);
}

static void test_good_chain(void)
{
	memset(mem, 0, sizeof(mem));
	vaddr_t a = WIN_BASE + 0x100, b = WIN_BASE + 0x180, c = WIN_BASE + 0x1f0;
	rec(a, b, 0x40001000);
	rec(b, c, 0x40002000);
	rec(c, 0, 0x40003000);
	uint64_t f[MT_BT_MAX];
	unsigned n;
	CHECK_EQ(walk(a, f, MT_BT_MAX, &n), MT_BT_END_ZERO);
	CHECK_EQ(n, 3);
	CHECK_EQ(f[0], 0x40001000);
	CHECK_EQ(f[1], 0x40002000);
	CHECK_EQ(f[2], 0x40003000);
	/* No frame pointer at all: nothing read. */
	CHECK_EQ(walk(0, f, MT_BT_MAX, &n), MT_BT_END_ZERO);
	CHECK_EQ(n, 0);
	CHECK_EQ(reads, 0);
}

static void test_max(void)
{
	memset(mem, 0, sizeof(mem));
	/* A chain longer than the limit: exactly max frames taken, max reads. */
	for (unsigned i = 0; i < 40; i++)
		rec(WIN_BASE + 16 * i, WIN_BASE + 16 * (i + 1), 0x40000000 + i);
	uint64_t f[MT_BT_MAX + 1];
	f[MT_BT_MAX] = 0xdeadbeef;
	unsigned n;
	CHECK_EQ(walk(WIN_BASE, f, MT_BT_MAX, &n), MT_BT_END_MAX);
	CHECK_EQ(n, MT_BT_MAX);
	CHECK_EQ(reads, MT_BT_MAX);
	CHECK_EQ(f[MT_BT_MAX - 1], 0x40000000 + MT_BT_MAX - 1);
	CHECK_EQ(f[MT_BT_MAX], 0xdeadbeef); /* nothing written past max */
	/* A zero max takes nothing and reads nothing. */
	CHECK_EQ(walk(WIN_BASE, f, 0, &n), MT_BT_END_MAX);
	CHECK_EQ(n, 0);
	CHECK_EQ(reads, 0);
}

static void test_hostile(void)
{
	uint64_t f[MT_BT_MAX];
	unsigned n;
	memset(mem, 0, sizeof(mem));
	/* The kernel's image, below the user range: refused without a read. */
	CHECK_EQ(walk(0x0e080000, f, MT_BT_MAX, &n), MT_BT_END_UNREADABLE);
	CHECK_EQ(n, 0);
	CHECK_EQ(reads, 0);
	/* Above the user range, and a record that would straddle its top. */
	CHECK_EQ(walk(0xffff000000000000ULL, f, MT_BT_MAX, &n), MT_BT_END_UNREADABLE);
	CHECK_EQ(reads, 0);
	CHECK_EQ(walk(MT_USER_TOP - 8, f, MT_BT_MAX, &n), MT_BT_END_UNREADABLE);
	CHECK_EQ(reads, 0);
	CHECK_EQ(walk(~(uint64_t)7, f, MT_BT_MAX, &n), MT_BT_END_UNREADABLE);
	/* In range but unmapped: the read fails. */
	CHECK_EQ(walk(0x70000000, f, MT_BT_MAX, &n), MT_BT_END_UNREADABLE);
	CHECK_EQ(reads, 1);
	/* Misaligned, first or later. */
	CHECK_EQ(walk(WIN_BASE + 4, f, MT_BT_MAX, &n), MT_BT_END_MISALIGNED);
	CHECK_EQ(n, 0);
	rec(WIN_BASE, WIN_BASE + 0x21, 0x40000010);
	CHECK_EQ(walk(WIN_BASE, f, MT_BT_MAX, &n), MT_BT_END_MISALIGNED);
	CHECK_EQ(n, 1);
	/* A record naming itself, and a two-record cycle. */
	rec(WIN_BASE + 0x40, WIN_BASE + 0x40, 0x40000020);
	CHECK_EQ(walk(WIN_BASE + 0x40, f, MT_BT_MAX, &n), MT_BT_END_NOT_UP);
	CHECK_EQ(n, 1);
	rec(WIN_BASE + 0x80, WIN_BASE + 0x90, 1);
	rec(WIN_BASE + 0x90, WIN_BASE + 0x80, 2);
	CHECK_EQ(walk(WIN_BASE + 0x80, f, MT_BT_MAX, &n), MT_BT_END_NOT_UP);
	CHECK_EQ(n, 2);
	/* A chain that runs off the end of mapped memory. */
	rec(WIN_BASE + WIN_SIZE - 16, WIN_BASE + WIN_SIZE, 3);
	CHECK_EQ(walk(WIN_BASE + WIN_SIZE - 16, f, MT_BT_MAX, &n), MT_BT_END_UNREADABLE);
	CHECK_EQ(n, 1);
	CHECK_EQ(f[0], 3);
}

/* Random memory as a chain: every walk ends within max reads, and every
 * frame taken came from a readable, aligned, ascending record. */
static void test_random(void)
{
	uint64_t rng = 0x5eed5eed12345678ULL;
	for (unsigned round = 0; round < 2000; round++) {
		for (unsigned i = 0; i < WIN_SIZE / 8; i++) {
			uint64_t r = harness_rand(&rng);
			mem[i] = r & 1 ? WIN_BASE + (r >> 8) % WIN_SIZE : r;
		}
		uint64_t f[MT_BT_MAX];
		unsigned n;
		vaddr_t start = WIN_BASE + (harness_rand(&rng) % WIN_SIZE);
		unsigned long end = walk(start, f, MT_BT_MAX, &n);
		CHECK(n <= MT_BT_MAX && reads <= MT_BT_MAX && end <= MT_BT_END_NOT_UP);
	}
}

int main(void)
{
	test_good_chain();
	test_max();
	test_hostile();
	test_random();
	return harness_report("backtrace");
}
