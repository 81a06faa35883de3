/* services/storage/flashstore.c: the secure-flash object store, over a
 * model of a NOR chip (erase sets a block to all ones, programming can
 * only clear bits, the power can go after any word operation: the word in
 * flight keeps some of its bits, an erase in flight some of its words) and
 * the toy seal of fs_toy.h. Each test keeps an independent model of what
 * the store must hold. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fs_toy.h"
#include "harness.h"
#include "rv_commit.h"
#include "rv_host.h"
#include "services/storage/flashstore.h"

/* ---- the chip ---- */

struct chip {
	unsigned nb;
	uint32_t bs;
	uint8_t *mem;
	long budget;           /* word operations left before the power goes; < 0: never */
	int dead;              /* the power went: every operation fails until reboot */
	unsigned long ops;     /* word operations done */
	unsigned reprogrammed; /* words programmed that were not erased: a bug */
	uint64_t rng;
	struct fs_ops fo;
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
	if (c->dead || b >= c->nb || off > c->bs || len > c->bs - off || (off | len) & 3)
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
		uint32_t old, v;
		memcpy(&old, at + i, 4);
		memcpy(&v, (const uint8_t *)src + i, 4);
		if (spend(c)) {
			if (c->dead && c->budget < 0) { /* the word the power went in */
				uint32_t part = old & (v | (uint32_t)harness_rand(&c->rng));
				memcpy(at + i, &part, 4);
				c->budget = -2; /* only that one */
			}
			return -1;
		}
		if (old != 0xFFFFFFFFU)
			c->reprogrammed++;
		old &= v;
		memcpy(at + i, &old, 4);
	}
	return 0;
}

static int m_erase(void *ctx, unsigned b)
{
	struct chip *c = ctx;
	if (b >= c->nb)
		return -1;
	uint8_t *at = c->mem + (size_t)b * c->bs;
	if (spend(c)) {
		if (c->dead && c->budget < 0 && c->budget != -2) { /* cut short */
			for (uint32_t i = 0; i < c->bs; i += 4)
				if (harness_rand(&c->rng) & 1)
					memset(at + i, 0xFF, 4);
			c->budget = -2;
		}
		return -1;
	}
	memset(at, 0xFF, c->bs);
	return 0;
}

static void chip_new(struct chip *c, unsigned nb, uint32_t bs, int fill)
{
	memset(c, 0, sizeof(*c));
	c->nb = nb;
	c->bs = bs;
	c->budget = -1;
	c->rng = 0x5DEECE66DULL;
	c->mem = malloc((size_t)nb * bs);
	memset(c->mem, fill, (size_t)nb * bs);
	c->fo = (struct fs_ops){c,        bs,         nb,       TOY_OVERHEAD, m_read,
				m_program, m_erase, toy_seal, toy_unseal};
}

static void chip_free(struct chip *c)
{
	free(c->mem);
	c->mem = 0;
}

static void reboot(struct chip *c)
{
	c->dead = 0;
	c->budget = -1;
}

/* ---- owners, ids, data ---- */

static void owner(uint8_t o[16], unsigned n)
{
	memset(o, 0, 16);
	o[0] = 0x5A;
	o[15] = (uint8_t)(n + 1);
}

static unsigned make_id(uint8_t *id, unsigned n)
{
	/* Lengths 1..64 appear: "obj-" then n's digits, padded by n's value. */
	unsigned len = 1 + (n * 7) % FS_ID_MAX;
	for (unsigned i = 0; i < len; i++)
		id[i] = (uint8_t)('a' + (n + i * 3) % 26);
	id[0] = (uint8_t)n; /* distinct first byte: distinct ids */
	return len;
}

static void fill(uint8_t *d, uint32_t len, uint32_t salt)
{
	uint64_t r = 0x9E3779B97F4A7C15ULL ^ ((uint64_t)salt * 0xD1B54A32D192ED03ULL) ^ len;
	if (!r)
		r = 1;
	for (uint32_t i = 0; i < len; i++)
		d[i] = (uint8_t)harness_rand(&r);
}

/* ---- an independent model: what the store must hold ---- */

#define M_OBJS 64
#define M_DATA 2048
struct mobj {
	int used;
	unsigned owner;
	uint8_t id[FS_ID_MAX];
	unsigned idl;
	uint32_t len;
	uint8_t data[M_DATA];
};
struct model {
	struct mobj o[M_OBJS];
	uint64_t head; /* committed updates */
};

static struct mobj *m_find(struct model *m, unsigned ow, const uint8_t *id, unsigned idl)
{
	for (unsigned i = 0; i < M_OBJS; i++)
		if (m->o[i].used && m->o[i].owner == ow && m->o[i].idl == idl &&
		    memcmp(m->o[i].id, id, idl) == 0)
			return &m->o[i];
	return 0;
}

static void m_put(struct model *m, unsigned ow, const uint8_t *id, unsigned idl, const uint8_t *d,
		  uint32_t len)
{
	struct mobj *o = m_find(m, ow, id, idl);
	for (unsigned i = 0; !o && i < M_OBJS; i++)
		if (!m->o[i].used)
			o = &m->o[i];
	o->used = 1;
	o->owner = ow;
	memcpy(o->id, id, idl);
	o->idl = idl;
	o->len = len;
	memcpy(o->data, d, len);
	m->head++;
}

static void m_del(struct model *m, unsigned ow, const uint8_t *id, unsigned idl)
{
	m_find(m, ow, id, idl)->used = 0;
	m->head++;
}

static void m_rename(struct model *m, unsigned ow, const uint8_t *from, unsigned fl,
		     const uint8_t *to, unsigned tl)
{
	struct mobj *o = m_find(m, ow, from, fl);
	memcpy(o->id, to, tl);
	o->idl = tl;
	m->head++;
}

static unsigned m_count(const struct model *m, unsigned ow)
{
	unsigned n = 0;
	for (unsigned i = 0; i < M_OBJS; i++)
		n += m->o[i].used && m->o[i].owner == ow;
	return n;
}

static struct fs_store st, st2;
static struct fs_entry tab[256], tab2[256];
static uint8_t buf[FS_DATA_MAX + 16];

/* Whether the store holds exactly the model's objects (through get, stat
 * and enumeration, for owners 0..nown-1), with its head. */
static int same(struct fs_store *s, struct model *m, unsigned nown)
{
	if (fs_head(s) != m->head)
		return 0;
	for (unsigned i = 0; i < M_OBJS; i++) {
		const struct mobj *o = &m->o[i];
		if (!o->used)
			continue;
		uint8_t ow[16];
		owner(ow, o->owner);
		uint32_t len = 0, sl = 0;
		if (fs_get(s, ow, o->id, o->idl, buf, sizeof(buf), &len) != FS_OK || len != o->len ||
		    memcmp(buf, o->data, len) != 0)
			return 0;
		if (fs_stat(s, ow, o->id, o->idl, &sl) != FS_OK || sl != o->len)
			return 0;
	}
	for (unsigned w = 0; w < nown; w++) {
		uint8_t ow[16], id[FS_ID_MAX];
		owner(ow, w);
		unsigned n = 0, idl = 0;
		while (fs_next(s, ow, id, idl, id, &idl) == FS_OK) {
			if (!m_find(m, w, id, idl) || ++n > M_OBJS)
				return 0;
		}
		if (n != m_count(m, w))
			return 0;
	}
	return 1;
}

/* ---- functional ---- */

static void test_basic(void)
{
	for (int f = 0; f <= 0xFF; f += 0xFF) {
		struct chip c;
		chip_new(&c, 4, 4096, f);
		uint8_t a[16], d[600], id[FS_ID_MAX];
		owner(a, 0);
		fill(d, sizeof(d), 1);
		CHECK_EQ(fs_mount(&st, &c.fo, tab, 256), FS_OK);
		CHECK(st.formatted);
		uint32_t len = 99;
		CHECK_EQ(fs_get(&st, a, "x", 1, buf, sizeof(buf), &len), FS_ENOENT);
		CHECK_EQ(fs_put(&st, a, "x", 1, d, 100), FS_OK);
		CHECK_EQ(fs_get(&st, a, "x", 1, buf, sizeof(buf), &len), FS_OK);
		CHECK(len == 100 && memcmp(buf, d, 100) == 0);
		CHECK_EQ(fs_get(&st, a, "x", 1, buf, 99, &len), FS_ESHORT);
		CHECK_EQ(len, 100);
		CHECK_EQ(fs_put(&st, a, "x", 1, d + 1, 7), FS_OK); /* replaced */
		CHECK_EQ(fs_stat(&st, a, "x", 1, &len), FS_OK);
		CHECK_EQ(len, 7);
		CHECK_EQ(fs_put(&st, a, "empty", 5, 0, 0), FS_OK);
		CHECK_EQ(fs_get(&st, a, "empty", 5, 0, 0, &len), FS_OK);
		CHECK_EQ(len, 0);
		/* rename: atomic, the old id gone, over a taken id refused */
		CHECK_EQ(fs_rename(&st, a, "x", 1, "y", 1), FS_OK);
		CHECK_EQ(fs_get(&st, a, "x", 1, buf, sizeof(buf), &len), FS_ENOENT);
		CHECK_EQ(fs_get(&st, a, "y", 1, buf, sizeof(buf), &len), FS_OK);
		CHECK(len == 7 && memcmp(buf, d + 1, 7) == 0);
		CHECK_EQ(fs_rename(&st, a, "y", 1, "empty", 5), FS_EEXIST);
		CHECK_EQ(fs_rename(&st, a, "y", 1, "y", 1), FS_EEXIST);
		CHECK_EQ(fs_rename(&st, a, "nope", 4, "z", 1), FS_ENOENT);
		CHECK_EQ(fs_delete(&st, a, "empty", 5), FS_OK);
		CHECK_EQ(fs_delete(&st, a, "empty", 5), FS_ENOENT);
		CHECK_EQ(fs_rename(&st, a, "y", 1, "empty", 5), FS_OK); /* a deleted id is free */
		/* bad arguments */
		uint8_t nil[16] = {0};
		memset(id, 'q', sizeof(id));
		CHECK_EQ(fs_put(&st, nil, "x", 1, d, 1), FS_EINVAL);
		CHECK_EQ(fs_put(&st, a, 0, 0, d, 1), FS_EINVAL); /* an id needs a pointer */
		CHECK_EQ(fs_put(&st, a, id, FS_ID_MAX + 1, d, 1), FS_EINVAL);
		CHECK_EQ(fs_put(&st, a, id, FS_ID_MAX, d, 1), FS_OK);
		CHECK_EQ(fs_put(&st, a, "x", 1, buf, FS_DATA_MAX + 1), FS_EINVAL);
		CHECK_EQ(fs_put(&st, a, "x", 1, buf, FS_DATA_MAX), FS_ENOSPC); /* larger than a block */
		CHECK_EQ(fs_get(&st, nil, "empty", 5, buf, sizeof(buf), &len), FS_EINVAL);
		/* enumeration: (length, bytes) order */
		uint8_t e[FS_ID_MAX];
		unsigned el = 0;
		CHECK_EQ(fs_next(&st, a, 0, 0, e, &el), FS_OK);
		CHECK(el == 5 && memcmp(e, "empty", 5) == 0);
		CHECK_EQ(fs_next(&st, a, e, el, e, &el), FS_OK);
		CHECK_EQ(el, FS_ID_MAX);
		CHECK_EQ(fs_next(&st, a, e, el, e, &el), FS_ENOENT);
		uint64_t head = fs_head(&st);
		CHECK_EQ(head, 7);
		/* a reboot: the same objects, the same head */
		CHECK_EQ(fs_mount(&st2, &c.fo, tab2, 256), FS_OK);
		CHECK(!st2.formatted);
		CHECK_EQ(fs_head(&st2), head);
		CHECK_EQ(fs_get(&st2, a, "empty", 5, buf, sizeof(buf), &len), FS_OK);
		CHECK(len == 7 && memcmp(buf, d + 1, 7) == 0);
		CHECK_EQ(fs_get(&st2, a, "y", 1, buf, sizeof(buf), &len), FS_ENOENT);
		CHECK_EQ(c.reprogrammed, 0);
		chip_free(&c);
	}
	/* A geometry the store cannot use. */
	struct chip c;
	chip_new(&c, 2, 4096, 0xFF);
	CHECK_EQ(fs_mount(&st, &c.fo, tab, 256), FS_EINVAL);
	chip_free(&c);
}

/* 16 KiB objects, in blocks of 64 KiB: replaced many times, compacted. */
static void test_big(void)
{
	struct chip c;
	chip_new(&c, 3, 65536, 0xFF);
	uint8_t a[16];
	owner(a, 3);
	static uint8_t d[FS_DATA_MAX];
	CHECK_EQ(fs_mount(&st, &c.fo, tab, 256), FS_OK);
	int ok = 1;
	for (unsigned i = 0; i < 40; i++) {
		fill(d, FS_DATA_MAX, i);
		ok &= fs_put(&st, a, "big", 3, d, FS_DATA_MAX) == FS_OK;
		ok &= fs_put(&st, a, "small", 5, d, 10 + i) == FS_OK;
	}
	CHECK(ok);
	CHECK(st.compactions > 5);
	CHECK_EQ(fs_mount(&st2, &c.fo, tab2, 256), FS_OK);
	uint32_t len;
	CHECK_EQ(fs_get(&st2, a, "big", 3, buf, sizeof(buf), &len), FS_OK);
	CHECK(len == FS_DATA_MAX && memcmp(buf, d, len) == 0);
	CHECK_EQ(c.reprogrammed, 0);
	chip_free(&c);
}

/* Filling the store: FS_ENOSPC, nothing lost, and room again after deletes. */
static void test_full(void)
{
	struct chip c;
	chip_new(&c, 4, 2048, 0xFF);
	uint8_t a[16], d[300], id[FS_ID_MAX];
	owner(a, 1);
	CHECK_EQ(fs_mount(&st, &c.fo, tab, 256), FS_OK);
	unsigned n = 0;
	int rc;
	while ((rc = fs_put(&st, a, id, make_id(id, n), d, 200)) == FS_OK)
		n++;
	CHECK_EQ(rc, FS_ENOSPC);
	CHECK(n >= 10); /* at least the two blocks that stay in use */
	CHECK_EQ(fs_mount(&st2, &c.fo, tab2, 256), FS_OK);
	unsigned found = 0;
	uint32_t len;
	for (unsigned i = 0; i < n; i++)
		found += fs_get(&st2, a, id, make_id(id, i), buf, sizeof(buf), &len) == FS_OK;
	CHECK_EQ(found, n);
	CHECK_EQ(fs_get(&st2, a, id, make_id(id, n), buf, sizeof(buf), &len), FS_ENOENT);
	for (unsigned i = 0; i < n; i += 2)
		CHECK_EQ(fs_delete(&st2, a, id, make_id(id, i)), FS_OK);
	CHECK_EQ(fs_put(&st2, a, id, make_id(id, n), d, 200), FS_OK);
	/* An index too small for the objects is refused at mount, not overrun. */
	CHECK_EQ(fs_mount(&st, &c.fo, tab, 3), FS_ENOSPC);
	/* And the index filling up during puts is FS_ENOSPC too. */
	chip_free(&c);
	chip_new(&c, 4, 4096, 0xFF);
	CHECK_EQ(fs_mount(&st, &c.fo, tab, 4), FS_OK);
	/* (One entry stays free for a rename's new name: three objects.) */
	for (unsigned i = 0; i < 3; i++)
		CHECK_EQ(fs_put(&st, a, id, make_id(id, i), d, 8), FS_OK);
	CHECK_EQ(fs_put(&st, a, id, make_id(id, 3), d, 8), FS_ENOSPC);
	CHECK_EQ(fs_put(&st, a, id, make_id(id, 2), d, 9), FS_OK); /* a live name needs none */
	CHECK_EQ(fs_rename(&st, a, id, make_id(id, 2), id, make_id(id, 3)), FS_OK);
	CHECK_EQ(fs_delete(&st, a, id, make_id(id, 0)), FS_OK);
	CHECK_EQ(fs_put(&st, a, id, make_id(id, 4), d, 8), FS_OK); /* compaction freed one */
	CHECK_EQ(c.reprogrammed, 0);
	chip_free(&c);
}

/* Two owners, the same ids: separate objects; nothing one does reaches
 * the other's, and enumeration shows only one's own. */
/* The aux value: kept with the object through rewrites, renames,
 * compaction and remounts; sealed with the record. */
static void test_aux(void)
{
	struct chip c;
	chip_new(&c, 4, 2048, 0xFF);
	uint8_t a[16], d[200];
	owner(a, 3);
	fill(d, sizeof(d), 9);
	uint32_t len = 0, aux = 0;
	CHECK_EQ(fs_mount(&st, &c.fo, tab, 256), FS_OK);
	CHECK_EQ(fs_put_aux(&st, a, "k", 1, d, 120, 77), FS_OK);
	CHECK_EQ(fs_put(&st, a, "p", 1, d, 10), FS_OK);
	CHECK_EQ(fs_stat_aux(&st, a, "k", 1, &len, &aux), FS_OK);
	CHECK(len == 120 && aux == 77);
	CHECK_EQ(fs_stat_aux(&st, a, "p", 1, &len, &aux), FS_OK);
	CHECK(len == 10 && aux == 0);
	CHECK_EQ(fs_stat_aux(&st, a, "k", 1, &len, 0), FS_EINVAL);
	CHECK_EQ(fs_rename(&st, a, "k", 1, "k2", 2), FS_OK);
	CHECK_EQ(fs_stat_aux(&st, a, "k2", 2, &len, &aux), FS_OK);
	CHECK(len == 120 && aux == 77);
	/* Many updates of another object: compactions copy "k2". */
	unsigned before = st.compactions;
	for (unsigned i = 0; i < 60; i++)
		CHECK_EQ(fs_put(&st, a, "p", 1, d, 100 + i % 50), FS_OK);
	CHECK(st.compactions > before + 2);
	CHECK_EQ(fs_mount(&st2, &c.fo, tab2, 256), FS_OK);
	CHECK_EQ(fs_stat_aux(&st2, a, "k2", 2, &len, &aux), FS_OK);
	CHECK(len == 120 && aux == 77);
	CHECK_EQ(fs_get(&st2, a, "k2", 2, buf, sizeof(buf), &len), FS_OK);
	CHECK(len == 120 && memcmp(buf, d, 120) == 0);
	CHECK_EQ(fs_put_aux(&st2, a, "k2", 2, d, 30, 0), FS_OK); /* rewritten without */
	CHECK_EQ(fs_stat_aux(&st2, a, "k2", 2, &len, &aux), FS_OK);
	CHECK(len == 30 && aux == 0);
	CHECK_EQ(c.reprogrammed, 0);
	chip_free(&c);
}

/* The empty id (GP allows ids of length 0): an object like any other, the
 * first in the enumeration order, renamed to and from, kept over
 * compactions and remounts. */
static void test_empty_id(void)
{
	struct chip c;
	chip_new(&c, 4, 2048, 0xFF);
	uint8_t a[16], b[16], d[200], e[FS_ID_MAX];
	owner(a, 5);
	owner(b, 6);
	fill(d, sizeof(d), 4);
	uint32_t len = 0;
	unsigned el = 99;
	CHECK_EQ(fs_mount(&st, &c.fo, tab, 256), FS_OK);
	CHECK_EQ(fs_put(&st, a, "", 0, d, 50), FS_OK);
	CHECK_EQ(fs_put(&st, a, "x", 1, d, 7), FS_OK);
	CHECK_EQ(fs_get(&st, a, "", 0, buf, sizeof(buf), &len), FS_OK);
	CHECK(len == 50 && memcmp(buf, d, 50) == 0);
	CHECK_EQ(fs_get(&st, b, "", 0, buf, sizeof(buf), &len), FS_ENOENT); /* a's only */
	/* From the first (NULL), the empty id comes first; after it, "x". */
	CHECK_EQ(fs_next(&st, a, 0, 0, e, &el), FS_OK);
	CHECK_EQ(el, 0);
	CHECK_EQ(fs_next(&st, a, e, el, e, &el), FS_OK);
	CHECK(el == 1 && e[0] == 'x');
	CHECK_EQ(fs_next(&st, a, e, el, e, &el), FS_ENOENT);
	/* Renames to and from it. */
	CHECK_EQ(fs_rename(&st, a, "x", 1, "", 0), FS_EEXIST);
	CHECK_EQ(fs_rename(&st, a, "", 0, "", 0), FS_EEXIST);
	CHECK_EQ(fs_rename(&st, a, "", 0, "y", 1), FS_OK);
	CHECK_EQ(fs_get(&st, a, "", 0, buf, sizeof(buf), &len), FS_ENOENT);
	CHECK_EQ(fs_rename(&st, a, "x", 1, "", 0), FS_OK);
	CHECK_EQ(fs_get(&st, a, "", 0, buf, sizeof(buf), &len), FS_OK);
	CHECK_EQ(len, 7);
	/* Updates of another object compact the log; a remount replays it. */
	for (unsigned i = 0; i < 40; i++)
		CHECK_EQ(fs_put(&st, a, "p", 1, d, 100 + i % 50), FS_OK);
	CHECK(st.compactions > 0);
	CHECK_EQ(fs_mount(&st2, &c.fo, tab2, 256), FS_OK);
	CHECK_EQ(fs_get(&st2, a, "", 0, buf, sizeof(buf), &len), FS_OK);
	CHECK(len == 7 && memcmp(buf, d, 7) == 0);
	CHECK_EQ(fs_get(&st2, a, "y", 1, buf, sizeof(buf), &len), FS_OK);
	CHECK_EQ(len, 50);
	CHECK_EQ(fs_delete(&st2, a, "", 0), FS_OK);
	CHECK_EQ(fs_delete(&st2, a, "", 0), FS_ENOENT);
	CHECK_EQ(fs_next(&st2, a, 0, 0, e, &el), FS_OK);
	CHECK(el == 1 && (e[0] == 'p' || e[0] == 'y'));
	chip_free(&c);
}

/* Per-owner usage and quotas (the service's STORE_OWNER_*): counted per
 * owner, live objects only, each at its cost. */
static void test_quota(void)
{
	struct chip c;
	chip_new(&c, 6, 32768, 0xFF);
	uint8_t a[16], b[16];
	static uint8_t d[FS_DATA_MAX];
	owner(a, 5);
	owner(b, 6);
	CHECK_EQ(fs_mount(&st, &c.fo, tab, 256), FS_OK);
	unsigned n = 9;
	uint64_t bytes = 9;
	fs_owner_usage(&st, a, &n, &bytes);
	CHECK(n == 0 && bytes == 0);
	CHECK_EQ(fs_put(&st, a, "x", 1, d, 100), FS_OK);
	CHECK_EQ(fs_put(&st, a, "y", 1, d, 5000), FS_OK);
	CHECK_EQ(fs_put(&st, b, "x", 1, d, 7000), FS_OK);
	CHECK_EQ(fs_put(&st, a, "z", 1, d, 1), FS_OK);
	CHECK_EQ(fs_delete(&st, a, "z", 1), FS_OK); /* gone: not counted */
	fs_owner_usage(&st, a, &n, &bytes);
	CHECK_EQ(n, 2);
	CHECK_EQ(bytes, (uint64_t)fs_cost_of(&st, 100) + fs_cost_of(&st, 5000));
	CHECK(fs_cost_of(&st, 100) >= 100 + 2 * FS_ID_MAX);
	fs_owner_usage(&st, b, &n, &bytes);
	CHECK(n == 1 && bytes == fs_cost_of(&st, 7000));
	uint64_t used = (uint64_t)fs_cost_of(&st, 100) + fs_cost_of(&st, 5000);
	/* Objects: a new one needs a free place, a rewrite does not. */
	CHECK_EQ(fs_quota_ok(&st, a, 0, 0, 10, 0, 3, 0), 1);
	CHECK_EQ(fs_quota_ok(&st, a, 0, 0, 10, 0, 2, 0), 0);
	CHECK_EQ(fs_quota_ok(&st, a, 1, 100, 10, 0, 2, 0), 1);
	/* Bytes: the new cost replaces the old one. */
	CHECK_EQ(fs_quota_ok(&st, a, 0, 0, 10, 1, 9, used + fs_cost_of(&st, 10)), 1);
	CHECK_EQ(fs_quota_ok(&st, a, 0, 0, 10, 1, 9, used + fs_cost_of(&st, 10) - 1), 0);
	CHECK_EQ(fs_quota_ok(&st, a, 1, 5000, 6000, 1, 9,
	                     used - fs_cost_of(&st, 5000) + fs_cost_of(&st, 6000)),
	         1);
	CHECK_EQ(fs_quota_ok(&st, a, 1, 5000, 6001, 1, 9,
	                     used - fs_cost_of(&st, 5000) + fs_cost_of(&st, 6000)),
	         0);
	CHECK_EQ(fs_quota_ok(&st, a, 1, 5000, 10, 0, 9, 1), 1); /* bytes not counted */
	/* Another owner's objects never count. */
	CHECK_EQ(fs_quota_ok(&st, b, 0, 0, 7000, 1, 2, 2 * (uint64_t)fs_cost_of(&st, 7000)), 1);
	CHECK_EQ(fs_quota_ok(&st, b, 0, 0, 7000, 1, 1, 2 * (uint64_t)fs_cost_of(&st, 7000)), 0);
	chip_free(&c);
}

static void test_isolation(void)
{
	struct chip c;
	chip_new(&c, 4, 4096, 0xFF);
	uint8_t a[16], b[16], x[16], da[50], db[70], e[FS_ID_MAX];
	owner(a, 10);
	owner(b, 11);
	owner(x, 12);
	fill(da, sizeof(da), 2);
	fill(db, sizeof(db), 3);
	CHECK_EQ(fs_mount(&st, &c.fo, tab, 256), FS_OK);
	CHECK_EQ(fs_put(&st, a, "key", 3, da, sizeof(da)), FS_OK);
	CHECK_EQ(fs_put(&st, b, "key", 3, db, sizeof(db)), FS_OK);
	CHECK_EQ(fs_put(&st, b, "only-b", 6, db, 5), FS_OK);
	uint32_t len;
	CHECK_EQ(fs_get(&st, a, "key", 3, buf, sizeof(buf), &len), FS_OK);
	CHECK(len == sizeof(da) && memcmp(buf, da, len) == 0);
	CHECK_EQ(fs_get(&st, b, "key", 3, buf, sizeof(buf), &len), FS_OK);
	CHECK(len == sizeof(db) && memcmp(buf, db, len) == 0);
	CHECK_EQ(fs_get(&st, a, "only-b", 6, buf, sizeof(buf), &len), FS_ENOENT);
	CHECK_EQ(fs_stat(&st, a, "only-b", 6, &len), FS_ENOENT);
	CHECK_EQ(fs_delete(&st, a, "only-b", 6), FS_ENOENT);
	CHECK_EQ(fs_rename(&st, a, "only-b", 6, "mine", 4), FS_ENOENT);
	CHECK_EQ(fs_rename(&st, a, "key", 3, "only-b", 6), FS_OK); /* b's id means nothing to a */
	CHECK_EQ(fs_get(&st, b, "only-b", 6, buf, sizeof(buf), &len), FS_OK);
	CHECK_EQ(len, 5);
	CHECK_EQ(fs_get(&st, b, "key", 3, buf, sizeof(buf), &len), FS_OK);
	CHECK_EQ(fs_delete(&st, b, "key", 3), FS_OK);
	CHECK_EQ(fs_get(&st, a, "only-b", 6, buf, sizeof(buf), &len), FS_OK);
	CHECK(len == sizeof(da) && memcmp(buf, da, len) == 0);
	unsigned el = 0, na = 0, nx = 0;
	while (fs_next(&st, a, e, el, e, &el) == FS_OK)
		na++;
	CHECK_EQ(na, 1);
	el = 0;
	while (fs_next(&st, x, e, el, e, &el) == FS_OK)
		nx++;
	CHECK_EQ(nx, 0);
	/* A record moved under another owner's name is refused: the owner
	 * is part of what is sealed. */
	struct fs_entry *ent = 0;
	for (unsigned i = 0; i < st.n; i++)
		if (tab[i].live && memcmp(tab[i].owner, a, 16) == 0)
			ent = &tab[i];
	CHECK(ent != 0);
	uint8_t *rec = c.mem + (size_t)ent->block * c.bs + ent->off;
	memcpy(rec + offsetof(struct fs_record, owner), b, 16);
	CHECK_EQ(fs_get(&st, a, "only-b", 6, buf, sizeof(buf), &len), FS_ECORRUPT);
	CHECK_EQ(fs_mount(&st2, &c.fo, tab2, 256), FS_ECORRUPT);
	chip_free(&c);
}

/* ---- power cuts ---- */

/* The workload: two owners, eight names, puts of 0..400 bytes, deletes and
 * renames, on six blocks of 2 KiB (so that it compacts several times). */
#define PC_NB    6
#define PC_BS 2048
#define PC_STEPS 90

struct wop {
	int kind; /* 0 put, 1 delete, 2 rename */
	unsigned ow, a, b;
	uint32_t len;
};

static struct wop w_op(unsigned step)
{
	uint64_t r = 0x1234567ULL + step * 0x9E3779B97F4A7C15ULL;
	harness_rand(&r);
	struct wop o;
	o.ow = (unsigned)(harness_rand(&r) % 2);
	o.a = (unsigned)(harness_rand(&r) % 8);
	o.b = (unsigned)(harness_rand(&r) % 8);
	unsigned k = (unsigned)(harness_rand(&r) % 10);
	o.kind = k < 6 ? 0 : k < 8 ? 1 : 2;
	o.len = (uint32_t)(harness_rand(&r) % 401);
	return o;
}

/* Runs step i on the store and, if it succeeds, on the model. -1: the
 * step is not applicable to the model's state (skipped). */
static int w_run(struct fs_store *s, struct model *m, unsigned i, struct model *pending)
{
	struct wop o = w_op(i);
	uint8_t ow[16], ia[FS_ID_MAX], ib[FS_ID_MAX], d[M_DATA];
	owner(ow, o.ow);
	unsigned la = make_id(ia, o.a), lb = make_id(ib, o.b);
	fill(d, o.len, i);
	*pending = *m;
	if (o.kind == 0) {
		m_put(pending, o.ow, ia, la, d, o.len);
		return fs_put(s, ow, ia, la, d, o.len);
	}
	if (!m_find(m, o.ow, ia, la))
		return -1;
	if (o.kind == 1) {
		m_del(pending, o.ow, ia, la);
		return fs_delete(s, ow, ia, la);
	}
	if (m_find(m, o.ow, ib, lb))
		return -1;
	m_rename(pending, o.ow, ia, la, ib, lb);
	return fs_rename(s, ow, ia, la, ib, lb);
}

static struct model pc_m, pc_p;

static void test_power_cuts(void)
{
	struct chip c;
	/* The reference run: every step succeeds; count its word operations. */
	chip_new(&c, PC_NB, PC_BS, 0);
	memset(&pc_m, 0, sizeof(pc_m));
	CHECK_EQ(fs_mount(&st, &c.fo, tab, 256), FS_OK);
	int ok = 1;
	for (unsigned i = 0; i < PC_STEPS; i++) {
		int rc = w_run(&st, &pc_m, i, &pc_p);
		if (rc == -1)
			continue;
		ok &= rc == FS_OK;
		pc_m = pc_p;
	}
	CHECK(ok);
	CHECK(same(&st, &pc_m, 2));
	unsigned long total = c.ops;
	unsigned comp = st.compactions;
	chip_free(&c);
	CHECK(comp >= 3);

	unsigned bad_mount = 0, bad_state = 0, bad_after = 0, reprog = 0, consistent = 0;
	unsigned was_new = 0;
	for (unsigned long cut = 0; cut <= total; cut++) {
		chip_new(&c, PC_NB, PC_BS, 0);
		c.rng ^= cut * 0x9E3779B97F4A7C15ULL;
		c.budget = (long)cut;
		memset(&pc_m, 0, sizeof(pc_m));
		pc_p = pc_m;
		unsigned i = 0;
		if (fs_mount(&st, &c.fo, tab, 256) == FS_OK) {
			for (; i < PC_STEPS && !c.dead; i++) {
				int rc = w_run(&st, &pc_m, i, &pc_p);
				if (rc == FS_OK)
					pc_m = pc_p;
				else if (rc != -1)
					break; /* the power went during step i: pc_p is its new state */
			}
		}
		reboot(&c);
		if (fs_mount(&st, &c.fo, tab, 256) != FS_OK) {
			bad_mount++;
		} else if (same(&st, &pc_m, 2)) {
			consistent++;
		} else if (same(&st, &pc_p, 2)) {
			consistent++;
			was_new++;
			pc_m = pc_p;
			i++;
		} else {
			bad_state++;
		}
		/* Keep using it: the rest of the workload, then a remount. */
		if (!bad_mount && !bad_state) {
			int aok = 1;
			for (; i < PC_STEPS; i++) {
				int rc = w_run(&st, &pc_m, i, &pc_p);
				if (rc == -1)
					continue;
				aok &= rc == FS_OK;
				pc_m = pc_p;
			}
			aok &= fs_mount(&st2, &c.fo, tab2, 256) == FS_OK && same(&st2, &pc_m, 2);
			bad_after += !aok;
		}
		reprog += c.reprogrammed;
		chip_free(&c);
	}
	printf("flashstore: the power cut at each of %lu word operations (%u compactions): "
	       "%u consistent (%u with the update in), %u unmountable, %u inconsistent\n",
	       total + 1, comp, consistent, was_new, bad_mount, bad_state);
	CHECK(total >= 1000);
	CHECK_EQ(bad_mount, 0);
	CHECK_EQ(bad_state, 0);
	CHECK_EQ(consistent, total + 1);
	CHECK_EQ(bad_after, 0);
	CHECK_EQ(reprog, 0);
}

/* ---- tampering ---- */

/* A store over several blocks (closed ones and the newest), and a model of
 * it: three versions of some objects, so that older records exist. */
static void tamper_image(struct chip *c, struct model *m)
{
	chip_new(c, 5, 1024, 0xFF);
	memset(m, 0, sizeof(*m));
	CHECK_EQ(fs_mount(&st, &c->fo, tab, 256), FS_OK);
	uint8_t ow[16], id[FS_ID_MAX], d[M_DATA];
	for (unsigned i = 0; i < 40; i++) {
		unsigned w = i % 2, n = i % 5;
		unsigned l = make_id(id, n);
		owner(ow, w);
		uint32_t len = 20 + (i * 13) % 60;
		fill(d, len, 1000 + i);
		if (i % 7 == 6 && m_find(m, w, id, l)) {
			CHECK_EQ(fs_delete(&st, ow, id, l), FS_OK);
			m_del(m, w, id, l);
			continue;
		}
		CHECK_EQ(fs_put(&st, ow, id, l, d, len), FS_OK);
		m_put(m, w, id, l, d, len);
	}
	CHECK(same(&st, m, 2));
	CHECK(st.newest - st.oldest >= 2); /* at least two closed blocks */
	CHECK(st.compactions >= 1);
}

enum { T_CORRUPT_MOUNT, T_CORRUPT_GET, T_ROLLBACK, T_SAME, T_WRONG, T_KINDS };

/* What the store makes of the chip now, for a model of the true state:
 * refused at mount, refused at a get, older (head below the counter, the
 * model's head), the same, or wrong: a state it accepts as current that is
 * not the true one (never allowed). */
static int judge(struct chip *c, struct model *m)
{
	int rc = fs_mount(&st2, &c->fo, tab2, 256);
	if (rc == FS_ECORRUPT)
		return T_CORRUPT_MOUNT;
	if (rc != FS_OK)
		return T_WRONG;
	for (unsigned i = 0; i < M_OBJS; i++) {
		if (!m->o[i].used)
			continue;
		uint8_t ow[16];
		uint32_t len;
		owner(ow, m->o[i].owner);
		if (fs_get(&st2, ow, m->o[i].id, m->o[i].idl, buf, sizeof(buf), &len) == FS_ECORRUPT)
			return T_CORRUPT_GET;
	}
	if (fs_head(&st2) < m->head)
		return T_ROLLBACK;
	return same(&st2, m, 2) ? T_SAME : T_WRONG;
}

static struct model t_m;

static void test_tamper(void)
{
	struct chip c;
	tamper_image(&c, &t_m);
	size_t sz = (size_t)c.nb * c.bs;
	uint8_t *orig = malloc(sz);
	memcpy(orig, c.mem, sz);
	unsigned kinds[T_KINDS] = {0}, flips = 0, detected_records = 0, record_bits = 0;

	/* Every bit of every live block's used bytes. */
	for (unsigned b = 0; b < c.nb; b++) {
		if (!st.epoch_of[b])
			continue;
		for (uint32_t off = 0; off < st.end_of[b]; off++)
			for (int bit = 0; bit < 8; bit++) {
				memcpy(c.mem, orig, sz);
				c.mem[(size_t)b * c.bs + off] ^= (uint8_t)(1 << bit);
				int k = judge(&c, &t_m);
				kinds[k]++;
				flips++;
				if (off >= st.hdr_size) {
					record_bits++;
					detected_records += k != T_SAME && k != T_WRONG;
				}
			}
	}
	printf("flashstore: %u single-bit flips of the live log: %u refused at mount, %u at get, "
	       "%u seen as a rollback (head below the counter), %u harmless, %u wrong\n",
	       flips, kinds[T_CORRUPT_MOUNT], kinds[T_CORRUPT_GET], kinds[T_ROLLBACK], kinds[T_SAME],
	       kinds[T_WRONG]);
	CHECK(flips > 10000);
	CHECK_EQ(kinds[T_WRONG], 0);
	CHECK_EQ(detected_records, record_bits); /* every bit of every record counts */
	CHECK(kinds[T_CORRUPT_MOUNT] > flips / 2);
	CHECK(kinds[T_ROLLBACK] > 0);

	/* Swaps: each two neighbouring records of a block exchanged; records
	 * of the same size in two blocks exchanged. */
	unsigned swaps = 0, swaps_detected = 0, nrec = 0;
	struct {
		unsigned b;
		uint32_t off, size;
	} recs[128];
	for (uint32_t e = st.oldest; e <= st.newest; e++)
		for (unsigned b = 0; b < c.nb; b++) {
			if (st.epoch_of[b] != e)
				continue;
			for (uint32_t off = st.hdr_size; off < st.end_of[b] && nrec < 128;) {
				struct fs_record h;
				memcpy(&h, orig + (size_t)b * c.bs + off, sizeof(h));
				uint32_t n = (uint32_t)(sizeof(h) + ((h.id_len + h.old_len + 3) & ~3U) +
							((h.blob_len + 3) & ~3U) + 4);
				recs[nrec].b = b;
				recs[nrec].off = off;
				recs[nrec++].size = n;
				off += n;
			}
		}
	for (unsigned i = 0; i < nrec; i++)
		for (unsigned j = i + 1; j < nrec; j++) {
			int adjacent = recs[i].b == recs[j].b && recs[i].off + recs[i].size == recs[j].off;
			if (!adjacent && (recs[i].b == recs[j].b || recs[i].size != recs[j].size))
				continue;
			memcpy(c.mem, orig, sz);
			uint8_t *p1 = c.mem + (size_t)recs[i].b * c.bs + recs[i].off;
			uint8_t *p2 = c.mem + (size_t)recs[j].b * c.bs + recs[j].off;
			uint8_t tmp[2048];
			uint32_t s1 = recs[i].size, s2 = recs[j].size;
			if (adjacent) {
				memcpy(tmp, p2, s2);
				memcpy(tmp + s2, p1, s1);
				memcpy(p1, tmp, s1 + s2);
			} else {
				memcpy(tmp, p1, s1);
				memcpy(p1, p2, s1);
				memcpy(p2, tmp, s1);
			}
			swaps++;
			int k = judge(&c, &t_m);
			swaps_detected += k == T_CORRUPT_MOUNT || k == T_CORRUPT_GET;
		}
	/* Blobs exchanged between two objects of the same size, headers kept. */
	memcpy(c.mem, orig, sz);
	{
		int done = 0;
		for (unsigned i = 0; i < st.n && !done; i++)
			for (unsigned j = i + 1; j < st.n && !done; j++) {
				const struct fs_entry *x = &tab[i], *y = &tab[j];
				if (!x->live || !y->live || x->data_len != y->data_len)
					continue;
				uint32_t ax = x->off + 56 + ((x->id_len + 3) & ~3U);
				uint32_t ay = y->off + 56 + ((y->id_len + 3) & ~3U);
				uint8_t tmp[256];
				uint8_t *px = c.mem + (size_t)x->block * c.bs + ax;
				uint8_t *py = c.mem + (size_t)y->block * c.bs + ay;
				memcpy(tmp, px, x->data_len + TOY_OVERHEAD);
				memcpy(px, py, x->data_len + TOY_OVERHEAD);
				memcpy(py, tmp, x->data_len + TOY_OVERHEAD);
				done = 1;
			}
		if (done) {
			swaps++;
			int k = judge(&c, &t_m);
			swaps_detected += k == T_CORRUPT_MOUNT || k == T_CORRUPT_GET;
		}
	}
	printf("flashstore: %u record swaps, %u refused\n", swaps, swaps_detected);
	CHECK(swaps >= 5);
	CHECK_EQ(swaps_detected, swaps);

	/* Replays, over a store whose state is known at two times: update 20
	 * (a snapshot of the chip and of the index) and update 30 (now). */
	chip_free(&c);
	chip_new(&c, 5, 1024, 0xFF);
	memset(&t_m, 0, sizeof(t_m));
	CHECK_EQ(fs_mount(&st, &c.fo, tab, 256), FS_OK);
	uint8_t ow[16], id[FS_ID_MAX], d[M_DATA];
	owner(ow, 0);
	uint8_t *snap = malloc(sz);
	static struct fs_entry snap_tab[256];
	unsigned snap_n = 0;
	for (unsigned i = 0; i < 30; i++) {
		unsigned l = make_id(id, i % 6);
		fill(d, 40, i);
		CHECK_EQ(fs_put(&st, ow, id, l, d, 40), FS_OK);
		m_put(&t_m, 0, id, l, d, 40);
		if (i == 20) {
			memcpy(snap, c.mem, sz);
			memcpy(snap_tab, tab, sizeof(tab));
			snap_n = st.n;
		}
	}
	memcpy(orig, c.mem, sz);
	unsigned replays = 0, replays_corrupt = 0, replays_rollback = 0;
	/* The whole region as it was: only the counter can tell. */
	memcpy(c.mem, snap, sz);
	replays++;
	replays_rollback += judge(&c, &t_m) == T_ROLLBACK;
	/* One block as it was, the others as they are. */
	for (unsigned b = 0; b < c.nb; b++) {
		if (memcmp(orig + (size_t)b * c.bs, snap + (size_t)b * c.bs, c.bs) == 0)
			continue;
		memcpy(c.mem, orig, sz);
		memcpy(c.mem + (size_t)b * c.bs, snap + (size_t)b * c.bs, c.bs);
		replays++;
		int k = judge(&c, &t_m);
		replays_corrupt += k == T_CORRUPT_MOUNT || k == T_CORRUPT_GET;
		replays_rollback += k == T_ROLLBACK && b == st.tail; /* the newest records, older */
	}
	/* An old record of each object written again: over its current
	 * record (same size), and after the newest one. */
	for (unsigned i = 0; i < snap_n; i++) {
		const struct fs_entry *old = &snap_tab[i];
		if (!old->live)
			continue;
		const struct fs_entry *cur = 0;
		for (unsigned j = 0; j < st.n; j++)
			if (tab[j].live && tab[j].id_len == old->id_len &&
			    memcmp(tab[j].id, old->id, old->id_len) == 0)
				cur = &tab[j];
		if (!cur || cur->seq == old->seq)
			continue;
		uint32_t n = (uint32_t)(56 + ((old->id_len + 3) & ~3U) + 40 + TOY_OVERHEAD + 4);
		const uint8_t *rec = snap + (size_t)old->block * c.bs + old->off;
		memcpy(c.mem, orig, sz);
		memcpy(c.mem + (size_t)cur->block * c.bs + cur->off, rec, n);
		replays++;
		int k = judge(&c, &t_m);
		replays_corrupt += k == T_CORRUPT_MOUNT || k == T_CORRUPT_GET;
		if (st.tail_end + n <= c.bs) {
			memcpy(c.mem, orig, sz);
			memcpy(c.mem + (size_t)st.tail * c.bs + st.tail_end, rec, n);
			replays++;
			k = judge(&c, &t_m);
			replays_corrupt += k == T_CORRUPT_MOUNT || k == T_CORRUPT_GET;
		}
	}
	printf("flashstore: %u replays: %u refused, %u seen as a rollback (head below the counter)\n",
	       replays, replays_corrupt, replays_rollback);
	CHECK(replays >= 8);
	CHECK_EQ(replays_corrupt + replays_rollback, replays);
	free(snap);
	free(orig);
	chip_free(&c);
}

/* The margin: after any run of puts, refused or not, every object can be
 * renamed to the longest id and then deleted (docs/storage.md, Limits). */
static void test_margin(void)
{
	static const struct {
		unsigned nb;
		uint32_t bs, dmax;
	} geo[] = {{3, 2048, 300},
	           {4, 2048, 1500},
	           {6, 4096, 3000},
	           {4, 32768, FS_DATA_MAX},
	           {8, 1024, 200}};
	static uint8_t d[FS_DATA_MAX];
	unsigned refused = 0, renamed = 0, deleted = 0, bad = 0, runs = 0;
	for (unsigned g = 0; g < sizeof(geo) / sizeof(geo[0]); g++) {
		for (unsigned seed = 0; seed < 8; seed++, runs++) {
			struct chip c;
			chip_new(&c, geo[g].nb, geo[g].bs, 0xFF);
			uint64_t rng = 0xBADC0DEULL + g * 131 + seed;
			uint8_t ow[16], id[FS_ID_MAX], id2[FS_ID_MAX];
			CHECK_EQ(fs_mount(&st, &c.fo, tab, 64), FS_OK);
			/* Puts (new names and rewrites) until many are refused. */
			for (unsigned i = 0, no = 0; i < 4000 && no < 60; i++) {
				unsigned w = (unsigned)(harness_rand(&rng) % 2);
				unsigned n = (unsigned)(harness_rand(&rng) % 40);
				uint32_t len = (uint32_t)(harness_rand(&rng) % (geo[g].dmax + 1));
				owner(ow, w);
				unsigned l = make_id(id, n);
				fill(d, len, i);
				int rc = fs_put(&st, ow, id, l, d, len);
				if (rc == FS_ENOSPC)
					no++, refused++;
				else if (rc != FS_OK)
					bad++;
			}
			/* Every object: renamed to the longest id, then deleted. */
			for (unsigned w = 0; w < 2; w++) {
				owner(ow, w);
				for (unsigned n = 0; n < 40; n++) {
					unsigned l = make_id(id, n);
					if (fs_stat(&st, ow, id, l, &(uint32_t){0}) != FS_OK)
						continue;
					memset(id2, 'R', FS_ID_MAX);
					memcpy(id2, id, l);
					id2[FS_ID_MAX - 1] = 0xFF; /* no make_id id */
					int rc = fs_rename(&st, ow, id, l, id2, FS_ID_MAX);
					renamed += rc == FS_OK;
					bad += rc != FS_OK;
					rc = fs_delete(&st, ow, rc == FS_OK ? id2 : id,
					               rc == FS_OK ? FS_ID_MAX : l);
					deleted += rc == FS_OK;
					bad += rc != FS_OK;
				}
			}
			CHECK_EQ(c.reprogrammed, 0);
			chip_free(&c);
		}
	}
	printf("flashstore: margin: %u runs, %u puts refused for space, then %u renames and %u "
	       "deletions, %u failed\n",
	       runs, refused, renamed, deleted, bad);
	CHECK_EQ(bad, 0);
	CHECK(refused >= runs * 60);
	CHECK(deleted > runs * 3);
	CHECK_EQ(renamed, deleted);
}

/* ---- random operations against the model ---- */

static struct model r_m;

static void test_random(void)
{
	struct chip c;
	chip_new(&c, 6, 4096, 0);
	memset(&r_m, 0, sizeof(r_m));
	CHECK_EQ(fs_mount(&st, &c.fo, tab, 256), FS_OK);
	uint64_t rng = 0xF1A5F0E5ULL;
	unsigned ops = 0, bad = 0, nospace = 0, remounts = 0, gets = 0, comp = 0;
	uint8_t d[M_DATA], ia[FS_ID_MAX], ib[FS_ID_MAX], ow[16];
	for (unsigned i = 0; i < 20000; i++, ops++) {
		unsigned w = (unsigned)(harness_rand(&rng) % 3);
		unsigned a = (unsigned)(harness_rand(&rng) % 10), b = (unsigned)(harness_rand(&rng) % 10);
		unsigned la = make_id(ia, a), lb = make_id(ib, b), k = (unsigned)(harness_rand(&rng) % 16);
		owner(ow, w);
		struct mobj *o = m_find(&r_m, w, ia, la);
		uint32_t len = (uint32_t)(harness_rand(&rng) % (k == 0 ? M_DATA : 300));
		if (k < 7) {
			fill(d, len, i);
			int rc = fs_put(&st, ow, ia, la, d, len);
			if (rc == FS_OK)
				m_put(&r_m, w, ia, la, d, len);
			nospace += rc == FS_ENOSPC;
			bad += rc != FS_OK && rc != FS_ENOSPC;
		} else if (k < 10) {
			int rc = fs_delete(&st, ow, ia, la);
			bad += rc != (o ? FS_OK : FS_ENOENT);
			if (o && rc == FS_OK)
				m_del(&r_m, w, ia, la);
		} else if (k < 12) {
			int want = !o ? FS_ENOENT : m_find(&r_m, w, ib, lb) ? FS_EEXIST : FS_OK;
			int rc = fs_rename(&st, ow, ia, la, ib, lb);
			if (rc == FS_OK && want == FS_OK)
				m_rename(&r_m, w, ia, la, ib, lb);
			bad += rc != want; /* the margin: a rename always fits */
		} else {
			uint32_t got = 0;
			int rc = fs_get(&st, ow, ia, la, buf, sizeof(buf), &got);
			gets++;
			bad += rc != (o ? FS_OK : FS_ENOENT) ||
			       (o && (got != o->len || memcmp(buf, o->data, got) != 0));
		}
		if (i % 997 == 996) {
			bad += !same(&st, &r_m, 3);
			comp += st.compactions;
			bad += fs_mount(&st, &c.fo, tab, 256) != FS_OK || !same(&st, &r_m, 3);
			remounts++;
		}
	}
	bad += !same(&st, &r_m, 3);
	comp += st.compactions;
	printf("flashstore: %u random operations (%u gets, %u refused for space, %u remounts, "
	       "%u compactions), %u wrong\n",
	       ops, gets, nospace, remounts, comp, bad);
	CHECK_EQ(bad, 0);
	CHECK(nospace < ops / 20);
	CHECK(comp > 100);
	CHECK_EQ(c.reprogrammed, 0);
	chip_free(&c);
}

/* ---- the commit protocol's monitor (verify/commit.dot) ---- */

/* A clean run steps it (each update a body, then its commit word; a new
 * block its header, then its word), and one injected wrong transition is
 * reported with the store, its state and the event: a store that forgets
 * that a write failed (broken cleared) and appends again. */
static void test_rv_commit(void)
{
	struct chip c;
	chip_new(&c, 4, 4096, 0xFF);
	uint8_t a[16], d[64];
	owner(a, 0);
	fill(d, sizeof(d), 1);
	unsigned long before = rv_commit_count;
	CHECK_EQ(fs_mount(&st, &c.fo, tab, 256), FS_OK); /* formats: a block */
	CHECK_EQ(fs_put(&st, a, "x", 1, d, sizeof(d)), FS_OK);
	CHECK_EQ(st.rv_commit, RV_COMMIT_S_CLEAN);
	/* mount, blk_header, blk_commit, rec_body, rec_commit */
	CHECK_EQ(rv_commit_count, before + 5);
	c.budget = 0; /* the next word operation fails */
	CHECK_EQ(fs_put(&st, a, "y", 1, d, sizeof(d)), FS_EIO);
	CHECK(st.broken);
	CHECK_EQ(st.rv_commit, RV_COMMIT_S_BROKEN);
	reboot(&c);
	unsigned long v = rv_violations;
	rv_host_start();
	st.broken = 0; /* the injected bug */
	fs_put(&st, a, "y", 1, d, sizeof(d));
	rv_host_record = 0;
	CHECK(rv_host_seen >= 1);
	CHECK_EQ(rv_violations, v + rv_host_seen);
	CHECK_EQ(rv_host_first.model, RV_MODEL_COMMIT);
	CHECK(rv_host_first.obj == &st);
	char want[160];
	snprintf(want, sizeof(want),
	         "[rv] VIOLATION host: model commit, object %p, state broken, event rec_body",
	         (void *)&st);
	CHECK_STR(rv_host_first.text, want);
	/* A mount starts the protocol again. */
	CHECK_EQ(fs_mount(&st, &c.fo, tab, 256), FS_OK);
	CHECK_EQ(st.rv_commit, RV_COMMIT_S_CLEAN);
	chip_free(&c);
}

int main(void)
{
	test_rv_commit();
	test_basic();
	test_big();
	test_full();
	test_margin();
	test_aux();
	test_empty_id();
	test_quota();
	test_isolation();
	test_power_cuts();
	test_tamper();
	test_random();
	return harness_report("flashstore");
}
