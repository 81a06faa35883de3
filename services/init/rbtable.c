/* The TA anti-rollback counters (rbtable.h). */
#include <string.h>

#include "rbtable.h"

#define ERASED 0xFFFFFFFFU
#define HDR ((uint32_t)sizeof(struct rb_header))
#define ENT ((uint32_t)sizeof(struct rb_entry))

static uint32_t rb_check(const struct rb_entry *e)
{
	uint32_t w[5], c = 0x6B43A9B5U;
	memcpy(w, e, sizeof(w));
	for (unsigned i = 0; i < 5; i++)
		c = (c ^ w[i]) * 0x01000193U + (c >> 15);
	return c;
}

static int all_equal(const uint8_t *p, uint32_t n, uint8_t v)
{
	for (uint32_t i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

static int find(const struct rb_table *t, const uint8_t uuid[16])
{
	for (unsigned i = 0; i < t->n; i++)
		if (memcmp(t->tas[i].uuid, uuid, 16) == 0)
			return (int)i;
	return -1;
}

/* The cache's slot for this TA (a new one if need be), or -1 when full. */
static int slot(struct rb_table *t, const uint8_t uuid[16])
{
	int i = find(t, uuid);
	if (i >= 0 || t->n == RB_MAX_TAS)
		return i;
	memcpy(t->tas[t->n].uuid, uuid, 16);
	t->tas[t->n].version = 0;
	return (int)t->n++;
}

static int read_header(struct rb_table *t, unsigned b, struct rb_header *h)
{
	return t->ops->read(t->ops->ctx, b, 0, h, HDR) ? RB_EIO : RB_OK;
}

static int header_valid(const struct rb_header *h)
{
	return h->magic == RB_MAGIC && h->zero == 0 && h->commit == RB_COMMIT;
}

/* Every word all zeros or all ones. */
static int words_blank(const uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0; i + 4 <= n; i += 4) {
		uint32_t w;
		memcpy(&w, p + i, 4);
		if (w != 0 && w != ERASED)
			return 0;
	}
	return 1;
}

/* A block that holds no counter: every word after its header all zeros or
 * all ones (a new flash image is zeros, an erased block ones, and an erase
 * that lost its power leaves some of each), whatever the header holds (a
 * format that lost its power leaves part of one). *blank receives the
 * answer. */
static int block_blank(struct rb_table *t, unsigned b, int *blank)
{
	uint32_t bs = t->ops->block_size;
	int ok = 1;
	for (uint32_t off = 0; off < bs && ok; off += RB_CHUNK) {
		uint32_t n = bs - off < RB_CHUNK ? bs - off : RB_CHUNK;
		if (t->ops->read(t->ops->ctx, b, off, t->chunk, n))
			return RB_EIO;
		uint32_t skip = off == 0 ? HDR : 0;
		ok = words_blank(t->chunk + skip, n - skip);
	}
	*blank = ok;
	return RB_OK;
}

/* Reads the live block's entries into the cache. */
static int scan(struct rb_table *t)
{
	uint32_t bs = t->ops->block_size;
	t->n = 0;
	t->torn = 0;
	t->next = bs;
	for (uint32_t base = HDR; base + ENT <= bs; base += RB_CHUNK / ENT * ENT) {
		uint32_t n = (bs - base) / ENT * ENT;
		if (n > RB_CHUNK / ENT * ENT)
			n = RB_CHUNK / ENT * ENT;
		if (t->ops->read(t->ops->ctx, t->active, base, t->chunk, n))
			return RB_EIO;
		for (uint32_t k = 0; k < n; k += ENT) {
			struct rb_entry e;
			memcpy(&e, t->chunk + k, ENT);
			if (all_equal((const uint8_t *)&e, ENT, 0xFF)) {
				t->next = base + k;
				return RB_OK;
			}
			if (e.commit != RB_COMMIT || e.zero != 0 || e.check != rb_check(&e)) {
				t->torn++;
				continue;
			}
			int i = slot(t, e.uuid);
			if (i < 0)
				return RB_ECORRUPT; /* more TAs than we ever record */
			if (e.version > t->tas[i].version)
				t->tas[i].version = e.version;
		}
	}
	return RB_OK;
}

static int put_entry(struct rb_table *t, unsigned b, uint32_t off, const uint8_t uuid[16],
		     uint32_t version)
{
	struct rb_entry e;
	memcpy(e.uuid, uuid, 16);
	e.version = version;
	e.zero = 0;
	e.check = rb_check(&e);
	e.commit = RB_COMMIT;
	return t->ops->program(t->ops->ctx, b, off, &e, ENT) ? RB_EIO : RB_OK;
}

/* Writes a header of generation gen to block b (erased first), then the
 * cache's entries, then the commit word. */
static int write_block(struct rb_table *t, unsigned b, uint32_t gen, uint32_t *next)
{
	uint32_t bs = t->ops->block_size;
	if (HDR + t->n * ENT > bs)
		return RB_EFULL;
	if (t->ops->erase(t->ops->ctx, b))
		return RB_EIO;
	struct rb_header h = {RB_MAGIC, gen, 0, RB_COMMIT};
	if (t->ops->program(t->ops->ctx, b, 0, &h, HDR - 4))
		return RB_EIO;
	uint32_t off = HDR;
	for (unsigned i = 0; i < t->n; i++, off += ENT)
		if (put_entry(t, b, off, t->tas[i].uuid, t->tas[i].version))
			return RB_EIO;
	if (t->ops->program(t->ops->ctx, b, HDR - 4, &h.commit, 4))
		return RB_EIO;
	*next = off;
	return RB_OK;
}

int rb_mount(struct rb_table *t, const struct rb_ops *ops)
{
	struct rb_header h[2];
	t->ops = ops;
	t->n = 0;
	t->formatted = 0;
	if (ops->block_size < HDR + ENT || ops->block_size % 16)
		return RB_EFULL;
	for (unsigned b = 0; b < 2; b++)
		if (read_header(t, b, &h[b]))
			return RB_EIO;
	int v0 = header_valid(&h[0]), v1 = header_valid(&h[1]);
	if (v0 && v1)
		t->active = (int32_t)(h[1].gen - h[0].gen) > 0;
	else if (v0 || v1)
		t->active = v1;
	if (v0 || v1) {
		t->gen = h[t->active].gen;
		return scan(t);
	}
	int blank0, blank1;
	if (block_blank(t, 0, &blank0) || block_blank(t, 1, &blank1))
		return RB_EIO;
	if (!blank0 || !blank1)
		return RB_ECORRUPT;
	int rc = write_block(t, 0, 1, &t->next);
	if (rc)
		return rc;
	t->active = 0;
	t->gen = 1;
	t->formatted = 1;
	return RB_OK;
}

uint32_t rb_version(const struct rb_table *t, const uint8_t uuid[16])
{
	int i = find(t, uuid);
	return i < 0 ? 0 : t->tas[i].version;
}

int rb_raise(struct rb_table *t, const uint8_t uuid[16], uint32_t version)
{
	if (version <= rb_version(t, uuid))
		return RB_OK;
	int i = slot(t, uuid);
	if (i < 0)
		return RB_EFULL;
	uint32_t old = t->tas[i].version;
	if (t->next + ENT <= t->ops->block_size) {
		uint32_t off = t->next;
		/* The slot is used up whatever happens: it may be part-written. */
		t->next += ENT;
		if (put_entry(t, t->active, off, uuid, version))
			return RB_EIO;
		t->tas[i].version = version;
		return RB_OK;
	}
	/* Full: the newest entries go to the other block, under the next
	 * generation; then the old block goes. */
	t->tas[i].version = version;
	uint32_t next;
	unsigned to = !t->active;
	int rc = write_block(t, to, t->gen + 1, &next);
	if (rc) {
		t->tas[i].version = old;
		if (old == 0 && (unsigned)i == t->n - 1)
			t->n--;
		return rc;
	}
	unsigned from = t->active;
	t->active = to;
	t->gen++;
	t->next = next;
	t->ops->erase(t->ops->ctx, from); /* if this fails, the generation decides */
	return RB_OK;
}
