/* services/init/rbtable.c: the TA anti-rollback counters, over a model of
 * a NOR flash chip: erase sets a block to all ones, programming can only
 * clear bits, and the power can go after any word. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "services/init/rbtable.h"

struct chip {
	uint32_t bs;
	uint8_t *blk[2];
	long budget;   /* word operations left before the power goes; < 0: never */
	int dead;      /* the power went: every operation fails until reboot */
	unsigned ops;  /* word operations done */
	unsigned reprogrammed; /* words programmed that were not erased: a bug */
	uint64_t rng;
};

static int spend(struct chip *c)
{
	if (c->dead)
		return -1;
	c->ops++;
	if (c->budget >= 0 && c->budget-- == 0) {
		c->dead = 1;
		return -1;
	}
	return 0;
}

static int m_read(void *ctx, unsigned b, uint32_t off, void *dst, uint32_t len)
{
	struct chip *c = ctx;
	if (c->dead || b > 1 || off > c->bs || len > c->bs - off)
		return -1;
	memcpy(dst, c->blk[b] + off, len);
	return 0;
}

static int m_program(void *ctx, unsigned b, uint32_t off, const void *src, uint32_t len)
{
	struct chip *c = ctx;
	if (b > 1 || off > c->bs || len > c->bs - off || (off | len) & 3)
		return -1;
	for (uint32_t i = 0; i < len; i += 4) {
		uint32_t old, v;
		memcpy(&old, c->blk[b] + off + i, 4);
		memcpy(&v, (const uint8_t *)src + i, 4);
		if (spend(c)) {
			if (c->budget < 0 && c->dead && c->ops) {
				/* the word the power went in: some of its bits */
				uint32_t part = old & (v | (uint32_t)harness_rand(&c->rng));
				memcpy(c->blk[b] + off + i, &part, 4);
			}
			return -1;
		}
		if (old != 0xFFFFFFFFU)
			c->reprogrammed++;
		old &= v;
		memcpy(c->blk[b] + off + i, &old, 4);
	}
	return 0;
}

static int m_erase(void *ctx, unsigned b)
{
	struct chip *c = ctx;
	if (b > 1)
		return -1;
	if (spend(c)) {
		if (c->ops) /* cut short: some words erased, some not */
			for (uint32_t i = 0; i < c->bs; i += 4)
				if (harness_rand(&c->rng) & 1)
					memset(c->blk[b] + i, 0xFF, 4);
		return -1;
	}
	memset(c->blk[b], 0xFF, c->bs);
	return 0;
}

static struct rb_ops ops_for(struct chip *c)
{
	return (struct rb_ops){c, c->bs, m_read, m_program, m_erase};
}

static void chip_new(struct chip *c, uint32_t bs, int fill)
{
	memset(c, 0, sizeof(*c));
	c->bs = bs;
	c->budget = -1;
	c->rng = 0x5DEECE66DULL;
	for (int b = 0; b < 2; b++) {
		c->blk[b] = malloc(bs);
		memset(c->blk[b], fill, bs);
	}
}

static void chip_free(struct chip *c)
{
	free(c->blk[0]);
	free(c->blk[1]);
}

static void reboot(struct chip *c)
{
	c->dead = 0;
	c->budget = -1;
}

static void uuid(uint8_t u[16], unsigned n)
{
	memset(u, 0, 16);
	u[0] = 0xD2;
	u[14] = (uint8_t)(n >> 8);
	u[15] = (uint8_t)n;
}

static struct rb_table t, t2;

static void test_fresh(void)
{
	uint8_t a[16], b[16];
	uuid(a, 1);
	uuid(b, 2);
	for (int fill = 0; fill <= 0xFF; fill += 0xFF) {
		struct chip c;
		chip_new(&c, 4096, fill);
		struct rb_ops o = ops_for(&c);
		CHECK_EQ(rb_mount(&t, &o), RB_OK);
		CHECK(t.formatted);
		CHECK_EQ(rb_version(&t, a), 0);
		CHECK_EQ(rb_raise(&t, a, 3), RB_OK);
		CHECK_EQ(rb_raise(&t, a, 2), RB_OK); /* not higher: nothing written */
		CHECK_EQ(rb_raise(&t, b, 7), RB_OK);
		CHECK_EQ(rb_version(&t, a), 3);
		CHECK_EQ(rb_mount(&t2, &o), RB_OK); /* as after a reboot */
		CHECK(!t2.formatted);
		CHECK_EQ(rb_version(&t2, a), 3);
		CHECK_EQ(rb_version(&t2, b), 7);
		CHECK_EQ(t2.next, 16 + 2 * 32);
		CHECK_EQ(c.reprogrammed, 0);
		chip_free(&c);
	}
}

/* Blocks that are neither blank nor a table: refused, and left alone. */
static void test_damaged(void)
{
	struct chip c;
	chip_new(&c, 4096, 0);
	c.blk[1][100] = 0x42;
	uint8_t before[4096];
	memcpy(before, c.blk[1], sizeof(before));
	struct rb_ops o = ops_for(&c);
	CHECK_EQ(rb_mount(&t, &o), RB_ECORRUPT);
	CHECK(memcmp(before, c.blk[1], sizeof(before)) == 0);
	CHECK_EQ(c.ops, 0); /* nothing programmed or erased */
	/* A valid table's committed entries count; a torn one does not. */
	chip_free(&c);
	chip_new(&c, 4096, 0);
	o = ops_for(&c);
	uint8_t a[16];
	uuid(a, 9);
	CHECK_EQ(rb_mount(&t, &o), RB_OK);
	CHECK_EQ(rb_raise(&t, a, 5), RB_OK);
	c.blk[0][16 + 32 + 28] = 0x00; /* a half-written entry after it */
	c.blk[0][16 + 32 + 16] = 0x06;
	CHECK_EQ(rb_mount(&t2, &o), RB_OK);
	CHECK_EQ(rb_version(&t2, a), 5);
	CHECK_EQ(t2.torn, 1);
	CHECK_EQ(t2.next, 16 + 2 * 32);
	/* A flipped bit in a committed entry: it no longer counts. */
	c.blk[0][16 + 16] ^= 0x01;
	CHECK_EQ(rb_mount(&t2, &o), RB_OK);
	CHECK_EQ(rb_version(&t2, a), 0);
	chip_free(&c);
}

/* Small blocks: the table moves between them, generation by generation. */
static void test_compaction(void)
{
	struct chip c;
	chip_new(&c, 16 + 4 * 32, 0);
	struct rb_ops o = ops_for(&c);
	uint8_t u[3][16];
	for (unsigned i = 0; i < 3; i++)
		uuid(u[i], 100 + i);
	CHECK_EQ(rb_mount(&t, &o), RB_OK);
	int ok = 1;
	for (uint32_t v = 1; v <= 40; v++) {
		ok &= rb_raise(&t, u[v % 3], v) == RB_OK;
		ok &= rb_mount(&t2, &o) == RB_OK;
		for (unsigned i = 0; i < 3; i++)
			ok &= rb_version(&t2, u[i]) == rb_version(&t, u[i]);
		ok &= rb_version(&t2, u[v % 3]) == v;
	}
	CHECK(ok);
	CHECK(t.gen > 10);
	CHECK_EQ(c.reprogrammed, 0);
	/* Four TAs fill a block of four entries; a fifth cannot be kept. */
	uint8_t x[16];
	uuid(x, 200);
	CHECK_EQ(rb_raise(&t, x, 1), RB_OK);
	uuid(x, 201);
	CHECK_EQ(rb_raise(&t, x, 1), RB_EFULL);
	CHECK_EQ(rb_mount(&t2, &o), RB_OK);
	CHECK_EQ(rb_version(&t2, x), 0);
	CHECK_EQ(rb_version(&t2, u[1]), 40);
	chip_free(&c);
}

static void test_many_tas(void)
{
	struct chip c;
	chip_new(&c, 16 + 300 * 32, 0xFF);
	struct rb_ops o = ops_for(&c);
	CHECK_EQ(rb_mount(&t, &o), RB_OK);
	uint8_t u[16];
	int ok = 1;
	for (unsigned i = 0; i < RB_MAX_TAS; i++) {
		uuid(u, i);
		ok &= rb_raise(&t, u, i + 1) == RB_OK;
		ok &= rb_raise(&t, u, i + 2) == RB_OK;
	}
	CHECK(ok);
	uuid(u, RB_MAX_TAS);
	CHECK_EQ(rb_raise(&t, u, 1), RB_EFULL);
	CHECK_EQ(rb_mount(&t2, &o), RB_OK);
	ok = 1;
	for (unsigned i = 0; i < RB_MAX_TAS; i++) {
		uuid(u, i);
		ok &= rb_version(&t2, u) == i + 2;
	}
	CHECK(ok);
	CHECK(t2.gen > 1); /* 512 entries in a block of 300: it moved */
	chip_free(&c);
}

/* The workload: versions of three TAs raised in turn, over small blocks
 * (so that the table moves several times). */
#define W_STEPS 30
static uint32_t w_version(unsigned step)
{
	return 1 + step / 3 * 2;
}

/* Cuts the power after every possible word of the workload: after a
 * reboot the table always mounts, each TA's version is at least the last
 * one acknowledged and at most the one being raised, and it keeps working. */
static void test_power_cuts(void)
{
	struct chip c;
	chip_new(&c, 16 + 5 * 32, 0);
	struct rb_ops o = ops_for(&c);
	uint8_t u[3][16];
	for (unsigned i = 0; i < 3; i++)
		uuid(u[i], 300 + i);
	CHECK_EQ(rb_mount(&t, &o), RB_OK);
	for (unsigned s = 0; s < W_STEPS; s++)
		rb_raise(&t, u[s % 3], w_version(s));
	unsigned total = c.ops;
	chip_free(&c);
	CHECK(total > 100);

	unsigned bad_mount = 0, bad_version = 0, bad_after = 0, reprog = 0;
	for (unsigned cut = 0; cut <= total; cut++) {
		chip_new(&c, 16 + 5 * 32, 0);
		c.rng ^= cut * 0x9E3779B97F4A7C15ULL;
		o = ops_for(&c);
		c.budget = cut;
		uint32_t acked[3] = {0, 0, 0}, tried[3] = {0, 0, 0};
		if (rb_mount(&t, &o) == RB_OK) {
			for (unsigned s = 0; s < W_STEPS && !c.dead; s++) {
				tried[s % 3] = w_version(s);
				if (rb_raise(&t, u[s % 3], w_version(s)) == RB_OK)
					acked[s % 3] = w_version(s);
			}
		}
		reboot(&c);
		if (rb_mount(&t, &o) != RB_OK) {
			bad_mount++;
		} else {
			for (unsigned i = 0; i < 3; i++) {
				uint32_t v = rb_version(&t, u[i]);
				uint32_t hi = tried[i] > acked[i] ? tried[i] : acked[i];
				bad_version += v < acked[i] || v > hi;
			}
			bad_after += rb_raise(&t, u[0], 1000) != RB_OK;
			bad_after += rb_mount(&t2, &o) != RB_OK || rb_version(&t2, u[0]) != 1000;
		}
		reprog += c.reprogrammed;
		chip_free(&c);
	}
	printf("rollback: the power cut at each of %u word operations\n", total);
	CHECK_EQ(bad_mount, 0);
	CHECK_EQ(bad_version, 0);
	CHECK_EQ(bad_after, 0);
	CHECK_EQ(reprog, 0);
}

/* Random blocks: mounting never reads or writes out of bounds (ASan), and
 * never formats a block that is not blank. */
static void test_random(void)
{
	uint64_t rng = 0xABCDEF12345ULL;
	unsigned formatted = 0;
	for (unsigned n = 0; n < 20000; n++) {
		struct chip c;
		chip_new(&c, 16 + 6 * 32, 0xFF);
		for (int b = 0; b < 2; b++)
			for (uint32_t i = 0; i < c.bs; i++)
				if (harness_rand(&rng) % 8 == 0)
					c.blk[b][i] = (uint8_t)harness_rand(&rng);
		if (harness_rand(&rng) & 1) { /* often a valid-looking header */
			struct rb_header h = {RB_MAGIC, (uint32_t)harness_rand(&rng) % 4, 0, RB_COMMIT};
			memcpy(c.blk[harness_rand(&rng) & 1], &h, sizeof(h));
		}
		struct rb_ops o = ops_for(&c);
		int rc = rb_mount(&t, &o);
		formatted += rc == RB_OK && t.formatted;
		if (rc == RB_OK) {
			uint8_t u[16];
			uuid(u, 1);
			rb_raise(&t, u, 0x7FFFFFFF);
		}
		chip_free(&c);
	}
	CHECK_EQ(formatted, 0);
}

int main(void)
{
	test_fresh();
	test_damaged();
	test_compaction();
	test_many_tas();
	test_power_cuts();
	test_random();
	return harness_report("rollback");
}
