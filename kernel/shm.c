/* Shared-memory objects: pages that several address spaces may map, the
 * way bulk data moves between processes without the kernel copying it. */
#include "object.h"

static struct shm shms[MAX_SHMS];

paddr_t nsram_base = 0x40000000UL, nsram_end = 0x40000000UL; /* set at boot */

/* A free slot, charged to owner as one object. */
static struct shm *shm_slot(struct process *owner, int *err)
{
	*err = quota_charge(&owner->quota, MT_Q_SHMS, 1);
	if (*err != MT_OK)
		return 0;
	for (unsigned i = 0; i < MAX_SHMS; i++)
		if (shms[i].obj.type == KOBJ_NONE) {
			shms[i].ns = 0;
			shms[i].revoked = 0;
			shms[i].npages = 0;
			shms[i].nmaps = 0;
			shms[i].owner = owner;
			return &shms[i];
		}
	/* Quotas never add up to more than the pool: not reached. */
	quota_refund(&owner->quota, MT_Q_SHMS, 1);
	*err = MT_ENOSPACE;
	return 0;
}

void shm_reparent(struct process *from, struct process *to)
{
	for (unsigned i = 0; i < MAX_SHMS; i++)
		if (shms[i].obj.type != KOBJ_NONE && shms[i].owner == from)
			shms[i].owner = to;
}

size_t shm_pool_free(void)
{
	size_t n = 0;
	for (unsigned i = 0; i < MAX_SHMS; i++)
		n += shms[i].obj.type == KOBJ_NONE;
	return n;
}

struct shm *shm_create_ns(struct process *owner, const paddr_t *pages, unsigned npages, int *err)
{
	if (npages == 0 || npages > SHM_MAX_PAGES) {
		*err = MT_EINVAL;
		return 0;
	}
	for (unsigned i = 0; i < npages; i++) {
		if ((pages[i] & ~PAGE_MASK) || pages[i] < nsram_base || pages[i] >= nsram_end ||
		    pages[i] + PAGE_SIZE > nsram_end) {
			*err = MT_EFAULT;
			return 0;
		}
	}
	struct shm *s = shm_slot(owner, err);
	if (!s)
		return 0;
	memcpy(s->pages, pages, npages * sizeof(pages[0]));
	s->npages = npages;
	s->ns = 1;
	s->obj.type = KOBJ_SHM;
	s->obj.refs = 0;
	return s;
}

/* What a revoked object's other handles name from then on: an object with
 * no pages that never maps (revoked) and is never released (its one
 * permanent reference). Handles to it keep nothing alive and charge no one. */
static struct shm shm_dead = {.obj = {.type = KOBJ_SHM, .refs = 1}, .revoked = 1};

void shm_revoke(struct shm *s, const struct process *keeper)
{
	if (s == &shm_dead)
		return; /* revoked for good already */
	s->revoked = 1;
	for (unsigned i = 0; i < MAX_PROCS && s->nmaps; i++)
		if (procs[i].state == P_ALIVE)
			process_unmap_shm(&procs[i], s);
	kassert(s->nmaps == 0);
	/* What still references s now is handles. Those outside the keeper's
	 * table are switched; usually there are none (a TA's runtime closes
	 * what it was lent), and the search stops at the last one. */
	uint32_t foreign = s->obj.refs;
	for (unsigned h = 1; h < HT_SIZE; h++)
		foreign -= keeper->ht.slot[h].obj == &s->obj;
	for (unsigned i = 0; i < MAX_PROCS && foreign; i++) {
		struct process *p = &procs[i];
		if (p == keeper || p->state != P_ALIVE)
			continue;
		for (unsigned h = 1; h < HT_SIZE && foreign; h++) {
			if (p->ht.slot[h].obj != &s->obj)
				continue;
			p->ht.slot[h].obj = &shm_dead.obj;
			kobj_get(&shm_dead.obj);
			kobj_put(&s->obj); /* the keeper's handle still holds s */
			foreign--;
		}
	}
}

struct shm *shm_create(struct process *owner, size_t size, int *err)
{
	if (size == 0 || size > SHM_MAX_PAGES * PAGE_SIZE) {
		*err = MT_EINVAL;
		return 0;
	}
	unsigned npages = (unsigned)(ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE);
	if (npages > quota_room(&owner->quota, MT_Q_PAGES)) {
		*err = MT_ENOMEM;
		return 0;
	}
	struct shm *s = shm_slot(owner, err);
	if (!s)
		return 0;
	for (unsigned i = 0; i < npages; i++) {
		s->pages[i] = process_alloc_page(owner);
		if (!s->pages[i]) {
			while (i--)
				process_free_page(owner, s->pages[i]);
			quota_refund(&owner->quota, MT_Q_SHMS, 1);
			*err = MT_ENOMEM;
			return 0;
		}
	}
	s->npages = npages;
	s->obj.type = KOBJ_SHM;
	s->obj.refs = 0;
	return s;
}

void shm_release(struct shm *s)
{
	/* Charged to its creator, or, once the creator has ended, to the
	 * account the creator's closed into (shm_reparent). */
	for (unsigned i = 0; i < s->npages && !s->ns; i++)
		process_free_page(s->owner, s->pages[i]);
	quota_refund(&s->owner->quota, MT_Q_SHMS, 1);
	s->owner = 0;
	s->obj.type = KOBJ_NONE;
}
