/* The crypto service's heap: one static arena that mbedTLS and the service
 * allocate from, with every block charged to the client it was allocated
 * for (or to the service itself, owner 0).
 *
 * Fairness. A client may hold at most CLIENT_MEM_MAX bytes. Every attached
 * client is also guaranteed CLIENT_MEM_GUARANTEE bytes: an allocation that
 * would leave less free memory than the other clients' unused guarantees is
 * refused, so no client (however hostile) can starve another below its
 * guarantee. New clients are admitted only while their guarantee still fits
 * (alloc_admit). Fragmentation is not accounted for.
 *
 * The allocator: first fit over an address-ordered free list, 16-byte
 * granules, neighbours coalesced on free, freed blocks wiped (they held keys). */
#include <string.h>

#include "crypto.h"

#define ARENA_SIZE (512 * 1024)
#define GRANULE    16
#define MAGIC_USED 0x55534544U
#define MAGIC_FREE 0x46524545U

struct blk {
	uint32_t size;  /* bytes, header included, multiple of GRANULE */
	uint32_t magic; /* MAGIC_USED or MAGIC_FREE */
	uint32_t owner; /* used: 0 = service, 1.. = client slot + 1 */
	uint32_t pad;
	struct blk *next; /* free blocks only: the next free block, by address */
};
#define HDR 16

static unsigned char arena[ARENA_SIZE] __attribute__((aligned(GRANULE)));
static struct blk *free_list;
static size_t in_use, high_water;
static size_t charged[MAX_CLIENTS + 1];
static uint8_t guaranteed[MAX_CLIENTS + 1];
unsigned alloc_owner;

void alloc_init(void)
{
	free_list = (struct blk *)arena;
	free_list->size = ARENA_SIZE;
	free_list->magic = MAGIC_FREE;
	free_list->next = 0;
}

/* Bytes the other guaranteed clients may still claim. */
static size_t reserved_for_others(unsigned owner)
{
	size_t r = 0;
	for (unsigned i = 1; i <= MAX_CLIENTS; i++)
		if (i != owner && guaranteed[i] && charged[i] < CLIENT_MEM_GUARANTEE)
			r += CLIENT_MEM_GUARANTEE - charged[i];
	return r;
}

static int may_charge(unsigned owner, size_t need)
{
	if (need > ARENA_SIZE - in_use)
		return 0;
	if (owner == 0)
		return 1;
	if (charged[owner] + need > CLIENT_MEM_MAX)
		return 0;
	return ARENA_SIZE - in_use - need >= reserved_for_others(owner);
}

static void *alloc_bytes(size_t len)
{
	if (len > ARENA_SIZE)
		return 0;
	size_t need = (len + HDR + GRANULE - 1) & ~(size_t)(GRANULE - 1);
	unsigned owner = alloc_owner;
	if (!may_charge(owner, need))
		return 0;
	struct blk **pp = &free_list;
	for (struct blk *b = free_list; b; pp = &b->next, b = b->next) {
		if (b->size < need)
			continue;
		if (b->size - need >= 2 * GRANULE) {
			struct blk *rest = (struct blk *)((unsigned char *)b + need);
			rest->size = b->size - (uint32_t)need;
			rest->magic = MAGIC_FREE;
			rest->next = b->next;
			*pp = rest;
			b->size = (uint32_t)need;
		} else {
			*pp = b->next;
		}
		b->magic = MAGIC_USED;
		b->owner = owner;
		in_use += b->size;
		charged[owner] += b->size;
		if (in_use > high_water)
			high_water = in_use;
		void *p = (unsigned char *)b + HDR;
		memset(p, 0, b->size - HDR);
		return p;
	}
	return 0;
}

void *svc_calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return 0;
	size_t total = n * size;
	return alloc_bytes(total ? total : 1);
}

void svc_free(void *p)
{
	if (!p)
		return;
	struct blk *b = (struct blk *)((unsigned char *)p - HDR);
	if ((unsigned char *)b < arena || (unsigned char *)b >= arena + ARENA_SIZE ||
	    ((uintptr_t)b & (GRANULE - 1)) || b->magic != MAGIC_USED || b->owner > MAX_CLIENTS) {
		/* Not ours or freed twice: a bug in the service. Stop here
		 * rather than corrupt the heap; init restarts us. */
		crypto_fatal("bad free");
	}
	memset(p, 0, b->size - HDR);
	in_use -= b->size;
	charged[b->owner] -= b->size;
	b->magic = MAGIC_FREE;
	/* Insert by address and merge with the neighbours. */
	struct blk *prev = 0, *cur = free_list;
	while (cur && cur < b)
		prev = cur, cur = cur->next;
	b->next = cur;
	if (cur && (unsigned char *)b + b->size == (unsigned char *)cur) {
		b->size += cur->size;
		b->next = cur->next;
		memset(cur, 0, HDR);
	}
	if (prev && (unsigned char *)prev + prev->size == (unsigned char *)b) {
		prev->size += b->size;
		prev->next = b->next;
		memset(b, 0, HDR);
	} else if (prev) {
		prev->next = b;
	} else {
		free_list = b;
	}
}

int svc_rng(void *ctx, unsigned char *out, size_t len)
{
	unsigned saved = alloc_owner;
	alloc_owner = 0;
	int rc = rng_fill(ctx, out, len);
	alloc_owner = saved;
	return rc;
}

int alloc_admit(unsigned owner)
{
	if (ARENA_SIZE - in_use < reserved_for_others(owner) + CLIENT_MEM_GUARANTEE)
		return 0;
	guaranteed[owner] = 1;
	return 1;
}

void alloc_dismiss(unsigned owner)
{
	guaranteed[owner] = 0;
}

size_t alloc_charged(unsigned owner)
{
	return charged[owner];
}

size_t alloc_in_use(void)
{
	return in_use;
}

size_t alloc_high_water(void)
{
	return high_water;
}

void alloc_reset_high_water(void)
{
	high_water = in_use;
}

size_t alloc_arena_size(void)
{
	return ARENA_SIZE;
}
