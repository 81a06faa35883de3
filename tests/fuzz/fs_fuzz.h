/* What the flash-store fuzzer (fuzz_flashstore.c) and its seed builder
 * (mkcorpus.c) share: the geometry of the fuzzed chip, a chip in RAM, the
 * owners and ids, and the integrity rule of the data they write: a payload
 * and then a 32-bit check of (owner, payload). (Not of the id: a rename
 * keeps the data.) The seal is the unit
 * tests' toy (tests/unit/fs_toy.h). */
#ifndef TESTS_FUZZ_FS_FUZZ_H
#define TESTS_FUZZ_FS_FUZZ_H

#include <stdint.h>
#include <string.h>

#include "services/storage/flashstore.h"
#include "tests/unit/fs_toy.h"

#define FZ_NB 4
#define FZ_BS 2048
#define FZ_IMAGE (FZ_NB * FZ_BS)
#define FZ_OWNERS 2
#define FZ_IDS 6

struct fz_chip {
	uint8_t mem[FZ_IMAGE];
	long budget; /* word operations before the power goes; < 0: never */
	int dead;    /* it went: every operation fails */
	struct fs_ops ops;
};

static inline int fz_read(void *ctx, unsigned b, uint32_t off, void *dst, uint32_t len)
{
	struct fz_chip *c = ctx;
	if (b >= FZ_NB || off > FZ_BS || len > FZ_BS - off || c->dead)
		return -1;
	memcpy(dst, c->mem + b * FZ_BS + off, len);
	return 0;
}

static inline int fz_spend(struct fz_chip *c)
{
	if (c->dead || (c->budget >= 0 && c->budget-- == 0)) {
		c->dead = 1;
		return -1;
	}
	return 0;
}

static inline int fz_program(void *ctx, unsigned b, uint32_t off, const void *src, uint32_t len)
{
	struct fz_chip *c = ctx;
	if (b >= FZ_NB || off > FZ_BS || len > FZ_BS - off || (off | len) & 3)
		return -1;
	for (uint32_t i = 0; i < len; i++) {
		if (i % 4 == 0 && fz_spend(c))
			return -1;
		c->mem[b * FZ_BS + off + i] &= ((const uint8_t *)src)[i];
	}
	return 0;
}

static inline int fz_erase(void *ctx, unsigned b)
{
	struct fz_chip *c = ctx;
	if (b >= FZ_NB || fz_spend(c))
		return -1;
	memset(c->mem + b * FZ_BS, 0xFF, FZ_BS);
	return 0;
}

static inline void fz_chip_init(struct fz_chip *c)
{
	memset(c->mem, 0xFF, sizeof(c->mem));
	c->budget = -1;
	c->dead = 0;
	c->ops = (struct fs_ops){c,        FZ_BS,    FZ_NB,    TOY_OVERHEAD, fz_read,
				 fz_program, fz_erase, toy_seal, toy_unseal};
}

static inline void fz_owner(uint8_t o[FS_OWNER_LEN], unsigned n)
{
	memset(o, 0, FS_OWNER_LEN);
	o[0] = 0xA5;
	o[15] = (uint8_t)(n + 1);
}

/* Id n: lengths 1, 2, 5, 64 and so on, distinct first bytes. */
static inline unsigned fz_id(uint8_t *id, unsigned n)
{
	static const unsigned len[FZ_IDS] = {1, 2, 5, 13, 40, FS_ID_MAX};
	for (unsigned i = 0; i < len[n]; i++)
		id[i] = (uint8_t)('k' + i % 7);
	id[0] = (uint8_t)('A' + n);
	return len[n];
}

static inline uint32_t fz_check(unsigned owner, const uint8_t *p, uint32_t n)
{
	uint32_t h = 0x811C9DC5U ^ owner;
	for (uint32_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x01000193U;
	return h;
}

/* Data of `len` bytes (at least 4) of an owner that passes the rule. */
static inline void fz_data(uint8_t *d, uint32_t len, unsigned owner, uint8_t salt)
{
	for (uint32_t i = 0; i < len - 4; i++)
		d[i] = (uint8_t)(salt + i * 31);
	uint32_t h = fz_check(owner, d, len - 4);
	memcpy(d + len - 4, &h, 4);
}

static inline int fz_rule(unsigned owner, const uint8_t *d, uint32_t len)
{
	if (len < 4)
		return 0;
	uint32_t h;
	memcpy(&h, d + len - 4, 4);
	return h == fz_check(owner, d, len - 4);
}

#endif
