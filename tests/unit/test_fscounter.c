/* services/storage/fscounter.c: the store's rollback counter, the mount's
 * verdict; and the whole scheme over models of the two flash regions it
 * spans: a flash store (flashstore.c, toy seal) and the anti-rollback
 * table (rbtable.c) whose entry under STORE_COUNTER_UUID is the counter,
 * raised after every commit as the storage service does. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fs_toy.h"
#include "harness.h"
#include "include/microtee/storage_ipc.h"
#include "services/init/rbtable.h"
#include "services/storage/fscounter.h"

/* A NOR chip: erase sets ones, programming clears bits, the power can go
 * before any word operation (then every operation fails until reboot). */
struct chip {
	unsigned nb;
	uint32_t bs;
	uint8_t *mem;
	long budget; /* word operations left before the power goes; < 0: never */
	int dead;
};

static int spend(struct chip *c)
{
	if (c->dead)
		return -1;
	if (c->budget >= 0 && c->budget-- == 0) {
		c->dead = 1;
		return -1;
	}
	return 0;
}

static int m_read(void *ctx, unsigned b, uint32_t off, void *dst, uint32_t len)
{
	struct chip *c = ctx;
	if (c->dead || b >= c->nb || off > c->bs || len > c->bs - off)
		return -1;
	memcpy(dst, c->mem + (size_t)b * c->bs + off, len);
	return 0;
}

static int m_program(void *ctx, unsigned b, uint32_t off, const void *src, uint32_t len)
{
	struct chip *c = ctx;
	if (b >= c->nb || off > c->bs || len > c->bs - off || (off | len) & 3)
		return -1;
	uint8_t *at = c->mem + (size_t)b * c->bs + off;
	for (uint32_t i = 0; i < len; i += 4) {
		if (spend(c))
			return -1;
		for (int k = 0; k < 4; k++)
			at[i + k] &= ((const uint8_t *)src)[i + k];
	}
	return 0;
}

static int m_erase(void *ctx, unsigned b)
{
	struct chip *c = ctx;
	if (b >= c->nb || spend(c))
		return -1;
	memset(c->mem + (size_t)b * c->bs, 0xFF, c->bs);
	return 0;
}

static void chip_new(struct chip *c, unsigned nb, uint32_t bs)
{
	c->nb = nb;
	c->bs = bs;
	c->budget = -1;
	c->dead = 0;
	c->mem = calloc(nb, bs); /* a new image: zeros */
}

static void reboot(struct chip *c)
{
	c->dead = 0;
	c->budget = -1;
}

/* ---- a device: the store, the counters, and the service's rules ---- */
static struct chip sc, rc; /* store region; anti-rollback region */
static struct fs_ops fo;
static struct rb_ops ro;
static struct fs_store fs;
static struct fs_entry tab[64];
static struct rb_table rb;
static const uint8_t store_uuid[16] = STORE_COUNTER_UUID;
static const uint8_t ta_owner[16] = {0x42, 1, 2, 3};

static void device_new(uint32_t rb_block)
{
	free(sc.mem);
	free(rc.mem);
	chip_new(&sc, 4, 4096);
	chip_new(&rc, 2, rb_block);
	fo = (struct fs_ops){&sc, 4096, 4, TOY_OVERHEAD, m_read, m_program, m_erase, toy_seal, toy_unseal};
	ro = (struct rb_ops){&rc, rb_block, m_read, m_program, m_erase};
}

/* The service's mount: the store, the counter, the verdict (raising the
 * counter when the head is ahead). -1 if either region does not mount. */
static int svc_mount(void)
{
	if (fs_mount(&fs, &fo, tab, 64) != FS_OK || rb_mount(&rb, &ro) != RB_OK)
		return -1;
	enum fsc_verdict v = fsc_judge(fs_head(&fs), rb_version(&rb, store_uuid));
	if (v == FSC_CUT || v == FSC_AHEAD)
		rb_raise(&rb, store_uuid, (uint32_t)fs_head(&fs));
	return (int)v;
}

/* One update, and the counter raised after it (raise = 0: a cut between). */
static int svc_put(const char *id, unsigned salt, int raise)
{
	uint8_t d[64];
	memset(d, (int)salt, sizeof(d));
	if (fs_put(&fs, ta_owner, id, (unsigned)strlen(id), d, sizeof(d)) != FS_OK)
		return -1;
	if (raise && fsc_must_raise(fs_head(&fs), rb_version(&rb, store_uuid)))
		return rb_raise(&rb, store_uuid, (uint32_t)fs_head(&fs)) == RB_OK ? 0 : -1;
	return 0;
}

static uint32_t counter(void)
{
	return rb_version(&rb, store_uuid);
}

/* ---- tests ---- */

static void test_judge(void)
{
	CHECK_EQ(fsc_judge(0, 0), FSC_EQUAL);
	CHECK_EQ(fsc_judge(7, 7), FSC_EQUAL);
	CHECK_EQ(fsc_judge(8, 7), FSC_CUT);
	CHECK_EQ(fsc_judge(1, 0), FSC_CUT);
	CHECK_EQ(fsc_judge(9, 7), FSC_AHEAD);
	CHECK_EQ(fsc_judge(UINT64_MAX, 0), FSC_AHEAD);
	CHECK_EQ(fsc_judge(6, 7), FSC_ROLLBACK);
	CHECK_EQ(fsc_judge(0, 1), FSC_ROLLBACK);
	CHECK_EQ(fsc_judge(0, UINT64_MAX), FSC_ROLLBACK);
	CHECK_EQ(fsc_judge(UINT64_MAX, UINT64_MAX), FSC_EQUAL);
	CHECK(!fsc_must_raise(5, 5));
	CHECK(fsc_must_raise(6, 5));
	CHECK(!fsc_must_raise(4, 5));
}

static void test_rollback(void)
{
	device_new(1024);
	CHECK_EQ(svc_mount(), FSC_EQUAL); /* a new device: both blank */
	CHECK(svc_put("a", 1, 1) == 0 && svc_put("b", 2, 1) == 0);
	CHECK_EQ(counter(), fs_head(&fs));
	uint8_t *saved = malloc((size_t)sc.nb * sc.bs);
	memcpy(saved, sc.mem, (size_t)sc.nb * sc.bs);
	uint64_t saved_head = fs_head(&fs);
	CHECK(svc_put("a", 3, 1) == 0 && svc_put("c", 4, 1) == 0);
	uint8_t *last = malloc((size_t)sc.nb * sc.bs);
	memcpy(last, sc.mem, (size_t)sc.nb * sc.bs);
	CHECK(svc_put("b", 5, 1) == 0);
	CHECK_EQ(svc_mount(), FSC_EQUAL);
	/* The older blocks put back: they mount, and only the counter tells. */
	memcpy(sc.mem, saved, (size_t)sc.nb * sc.bs);
	CHECK(fs_mount(&fs, &fo, tab, 64) == FS_OK && fs_head(&fs) == saved_head);
	CHECK_EQ(svc_mount(), FSC_ROLLBACK);
	CHECK_EQ(counter(), saved_head + 3); /* a rollback never lowers it */
	CHECK_EQ(svc_mount(), FSC_ROLLBACK); /* nor goes away at the next boot */
	/* Only the newest record removed (what a cut could also leave, if the
	 * counter did not say that it was committed). */
	memcpy(sc.mem, last, (size_t)sc.nb * sc.bs);
	CHECK_EQ(svc_mount(), FSC_ROLLBACK);
	/* The region wiped: a new store, head 0, under a counter that ran. */
	memset(sc.mem, 0, (size_t)sc.nb * sc.bs);
	CHECK_EQ(svc_mount(), FSC_ROLLBACK);
	free(saved);
	free(last);
}

static void test_cut(void)
{
	device_new(1024);
	CHECK_EQ(svc_mount(), FSC_EQUAL);
	CHECK(svc_put("a", 1, 1) == 0);
	CHECK(svc_put("a", 2, 0) == 0); /* the power goes before the raise */
	CHECK_EQ(counter() + 1, fs_head(&fs));
	CHECK_EQ(svc_mount(), FSC_CUT);
	CHECK_EQ(counter(), fs_head(&fs)); /* raised at mount */
	CHECK_EQ(svc_mount(), FSC_EQUAL);
	/* A store from before the counter (no entry yet): adopted. */
	CHECK(svc_put("b", 3, 0) == 0 && svc_put("c", 4, 0) == 0);
	CHECK_EQ(svc_mount(), FSC_AHEAD);
	CHECK_EQ(svc_mount(), FSC_EQUAL);
}

/* The counter shares the table with TAs' counters, across compactions. */
static void test_shared_table(void)
{
	device_new(512); /* (512 - 16) / 32 = 15 entries a block */
	CHECK_EQ(svc_mount(), FSC_EQUAL);
	uint8_t ta[3][16] = {{1}, {2}, {3}};
	for (unsigned i = 0; i < 3; i++)
		CHECK_EQ(rb_raise(&rb, ta[i], 10 + i), RB_OK);
	uint32_t gen = rb.gen;
	int ok = 1;
	for (unsigned i = 0; i < 100; i++)
		ok &= svc_put(i & 1 ? "x" : "y", i, 1) == 0 && counter() == fs_head(&fs);
	CHECK(ok);
	CHECK(rb.gen > gen + 3); /* it compacted, several times */
	CHECK_EQ(svc_mount(), FSC_EQUAL);
	for (unsigned i = 0; i < 3; i++)
		CHECK_EQ(rb_version(&rb, ta[i]), 10 + i);
	CHECK_EQ(rb.n, 4);
}

/* The power goes at every word of a raise that compacts the table: after
 * reboot the counter is the old value or the new one, and the mount says
 * EQUAL or CUT, never ROLLBACK. */
static void test_raise_cuts(void)
{
	unsigned tried = 0, cut = 0, equal = 0, bad = 0;
	for (long at = 0;; at++) {
		device_new(512);
		svc_mount();
		uint8_t ta[16] = {9};
		rb_raise(&rb, ta, 5);
		while (rb.next + sizeof(struct rb_entry) <= ro.block_size)
			svc_put("k", (unsigned)rb.next, 1); /* fill the block */
		CHECK_EQ(counter(), fs_head(&fs));
		uint32_t gen = rb.gen;
		uint8_t d[8] = {0};
		if (fs_put(&fs, ta_owner, "k", 1, d, sizeof(d)) != FS_OK)
			bad++;
		rc.budget = at;
		int r = rb_raise(&rb, store_uuid, (uint32_t)fs_head(&fs));
		int finished = r == RB_OK && !rc.dead;
		reboot(&rc);
		int v = svc_mount();
		tried++;
		cut += v == FSC_CUT;
		equal += v == FSC_EQUAL;
		bad += (v != FSC_CUT && v != FSC_EQUAL) || counter() != fs_head(&fs) ||
		       rb_version(&rb, ta) != 5;
		if (finished) {
			CHECK(rb.gen == gen + 1);
			break;
		}
	}
	CHECK(tried > 10);
	CHECK(cut > 0 && equal > 0);
	CHECK_EQ(bad, 0);
}

int main(void)
{
	test_judge();
	test_rollback();
	test_cut();
	test_shared_table();
	test_raise_cuts();
	free(sc.mem);
	free(rc.mem);
	return harness_report("fscounter");
}
