/* Shared-memory objects: pages that several address spaces may map, the
 * way bulk data moves between processes without the kernel copying it. */
#include "object.h"
#include "pmm.h"

static struct shm shms[MAX_SHMS];
extern struct pmm kpmm;

paddr_t nsram_base = 0x40000000UL, nsram_end = 0x40000000UL; /* set at boot */

static struct shm *shm_slot(int *err)
{
	for (unsigned i = 0; i < MAX_SHMS; i++)
		if (shms[i].obj.type == KOBJ_NONE) {
			shms[i].ns = 0;
			shms[i].revoked = 0;
			return &shms[i];
		}
	*err = MT_ENOSPACE;
	return 0;
}

struct shm *shm_create_ns(const paddr_t *pages, unsigned npages, int *err)
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
	struct shm *s = shm_slot(err);
	if (!s)
		return 0;
	memcpy(s->pages, pages, npages * sizeof(pages[0]));
	s->npages = npages;
	s->ns = 1;
	s->owner = 0;
	s->owner_pid = 0;
	s->obj.type = KOBJ_SHM;
	s->obj.refs = 0;
	return s;
}

void shm_revoke(struct shm *s)
{
	s->revoked = 1;
	for (unsigned i = 0; i < MAX_PROCS; i++)
		if (procs[i].state == P_ALIVE)
			process_unmap_shm(&procs[i], s);
}

struct shm *shm_create(struct process *owner, size_t size, int *err)
{
	if (size == 0 || size > SHM_MAX_PAGES * PAGE_SIZE) {
		*err = MT_EINVAL;
		return 0;
	}
	struct shm *s = shm_slot(err);
	if (!s)
		return 0;
	s->npages = (unsigned)(ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE);
	for (unsigned i = 0; i < s->npages; i++) {
		s->pages[i] = process_alloc_page(owner);
		if (!s->pages[i]) {
			while (i--)
				process_free_page(owner, s->pages[i]);
			*err = MT_ENOMEM;
			return 0;
		}
	}
	s->obj.type = KOBJ_SHM;
	s->obj.refs = 0;
	s->owner = owner;
	s->owner_pid = owner->pid;
	return s;
}

void shm_release(struct shm *s)
{
	/* The creator was charged; if it has died meanwhile its account is
	 * gone and the pages simply return to the pool. */
	for (unsigned i = 0; i < s->npages && !s->ns; i++) {
		if (s->owner->state == P_ALIVE && s->owner->pid == s->owner_pid)
			process_free_page(s->owner, s->pages[i]);
		else
			pmm_free(&kpmm, s->pages[i]);
	}
	s->obj.type = KOBJ_NONE;
}
