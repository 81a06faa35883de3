/* The service-side kernel model (svc_shim.h). It keeps the rules of the
 * real kernel (kernel/syscall.c sys_shm_map, kernel/process.c) that a
 * service depends on: SYS_SHM_MAP needs MAP_R, and MAP_W for a writable
 * mapping (else MT_EPERM), fails on a revoked object (MT_ESTATE), wants a
 * page-aligned address in the user range, R and never X, at most
 * PROC_MAX_SHM_MAPS mappings, none overlapping (MT_EBUSY), and answers the
 * object's size; SYS_MEM_UNMAP takes a shared mapping whole or not at all.
 * What the real kernel would refuse with an error the service may ignore
 * aborts here instead: closing a handle it does not hold (twice, or one it
 * never had), a system call a service has no business making, exiting.
 *
 * Memory: one memory file holds every object's pages; the client's view
 * maps all of it, and a service mapping maps the object's pages of it at
 * the service's address (MAP_FIXED_NOREPLACE), so both alias as under the
 * MMU and nothing else is mapped around them. */
#define _GNU_SOURCE /* memfd_create, MAP_FIXED_NOREPLACE */
#include "svc_shim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_HANDLES 256
#define MAX_MAPS 32 /* PROC_MAX_SHM_MAPS */

enum kind { K_FREE, K_SHM, K_EP };

struct handle {
	enum kind kind;
	int obj;
	unsigned rights;
};

struct obj {
	unsigned first, npages; /* pages of the memory file */
	int revoked;
};

struct map {
	int used;
	uintptr_t va;
	int obj;
	unsigned prot;
};

static int pool_fd = -1;
static uint8_t *pool; /* the clients' view of every object */
static struct handle handles[MAX_HANDLES];
static struct obj objs[FZ_OBJ_MAX];
static struct map maps[MAX_MAPS];
static unsigned nobjs, pool_used;
/* The checkpoint: what a reset keeps. */
static unsigned keep_objs, keep_pages;
static uint8_t keep_handle[MAX_HANDLES], keep_map[MAX_MAPS];

void fz_fail(const char *what)
{
	fprintf(stderr, "fuzz_%s: %s\n", fz_harness, what);
	abort();
}

void fz_svc_init(void)
{
	pool_fd = memfd_create("fz-shm", 0);
	if (pool_fd < 0 || ftruncate(pool_fd, (off_t)(FZ_POOL_PAGES * MT_PAGE_SIZE)) != 0)
		fz_fail("no memory file for shared memory");
	pool = mmap(0, FZ_POOL_PAGES * MT_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, pool_fd, 0);
	if (pool == MAP_FAILED)
		fz_fail("cannot map the shared-memory pool");
}

void fz_svc_checkpoint(void)
{
	keep_objs = nobjs;
	keep_pages = pool_used;
	for (unsigned h = 0; h < MAX_HANDLES; h++)
		keep_handle[h] = handles[h].kind != K_FREE;
	for (unsigned i = 0; i < MAX_MAPS; i++)
		keep_map[i] = maps[i].used;
}

void fz_svc_reset(void)
{
	for (unsigned i = 0; i < MAX_MAPS; i++)
		if (maps[i].used && !keep_map[i]) {
			munmap((void *)maps[i].va, objs[maps[i].obj].npages * MT_PAGE_SIZE);
			memset(&maps[i], 0, sizeof(maps[i]));
		}
	for (unsigned h = 0; h < MAX_HANDLES; h++)
		if (!keep_handle[h])
			memset(&handles[h], 0, sizeof(handles[h]));
	/* The freed objects' pages are zero for the next input. */
	if (pool_used > keep_pages)
		memset(pool + keep_pages * MT_PAGE_SIZE, 0, (pool_used - keep_pages) * MT_PAGE_SIZE);
	nobjs = keep_objs;
	pool_used = keep_pages;
}

int fz_obj_new(unsigned pages)
{
	if (pages == 0 || nobjs == FZ_OBJ_MAX || pages > FZ_POOL_PAGES - pool_used)
		return -1;
	objs[nobjs] = (struct obj){pool_used, pages, 0};
	pool_used += pages;
	return (int)nobjs++;
}

static struct obj *obj_of(int obj)
{
	if (obj < 0 || (unsigned)obj >= nobjs)
		fz_fail("the harness named an object that does not exist");
	return &objs[obj];
}

uint8_t *fz_obj_mem(int obj)
{
	return pool + obj_of(obj)->first * MT_PAGE_SIZE;
}

size_t fz_obj_size(int obj)
{
	return obj_of(obj)->npages * MT_PAGE_SIZE;
}

void fz_obj_revoke(int obj)
{
	obj_of(obj)->revoked = 1;
}

static mt_handle_t handle_new(enum kind k, int obj, unsigned rights)
{
	for (mt_handle_t h = 1; h < MAX_HANDLES; h++)
		if (handles[h].kind == K_FREE) {
			handles[h] = (struct handle){k, obj, rights};
			return h;
		}
	fz_fail("the service's handle table is full");
}

mt_handle_t fz_give(int obj, unsigned rights)
{
	obj_of(obj);
	return handle_new(K_SHM, obj, rights);
}

mt_handle_t fz_give_endpoint(void)
{
	return handle_new(K_EP, -1, MT_R_CALL);
}

unsigned fz_handles(void)
{
	unsigned n = 0;
	for (unsigned h = 1; h < MAX_HANDLES; h++)
		n += handles[h].kind != K_FREE && !keep_handle[h];
	return n;
}

unsigned fz_mappings(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < MAX_MAPS; i++)
		n += maps[i].used && !keep_map[i];
	return n;
}

unsigned fz_obj_mappings(int obj, unsigned *prot)
{
	unsigned n = 0;
	for (unsigned i = 0; i < MAX_MAPS; i++)
		if (maps[i].used && maps[i].obj == obj) {
			if (prot)
				*prot = maps[i].prot;
			n++;
		}
	return n;
}

/* ---- the system calls ---- */

static long shm_map(unsigned long a[7])
{
	if (a[2] >> 32)
		return MT_EINVAL;
	unsigned prot = (unsigned)a[2];
	unsigned need = MT_R_MAP_R | ((prot & MT_PROT_W) ? MT_R_MAP_W : 0);
	unsigned long h = a[0];
	if (h == 0 || h >= MAX_HANDLES || handles[h].kind != K_SHM)
		return MT_EBADH;
	if ((handles[h].rights & need) != need)
		return MT_EPERM;
	struct obj *o = &objs[handles[h].obj];
	if (o->revoked)
		return MT_ESTATE;
	uintptr_t va = a[1];
	uint64_t size = o->npages * MT_PAGE_SIZE;
	if ((va & (MT_PAGE_SIZE - 1)) || va < MT_USER_BASE || va + size > MT_USER_TOP ||
	    va + size < va || (prot & MT_PROT_X) || !(prot & MT_PROT_R) ||
	    (prot & ~(MT_PROT_R | MT_PROT_W)))
		return MT_EINVAL;
	int slot = -1;
	for (int i = 0; i < MAX_MAPS && slot < 0; i++)
		if (!maps[i].used)
			slot = i;
	if (slot < 0)
		return MT_ENOSPACE;
	for (unsigned i = 0; i < MAX_MAPS; i++)
		if (maps[i].used && va < maps[i].va + objs[maps[i].obj].npages * MT_PAGE_SIZE &&
		    maps[i].va < va + size)
			return MT_EBUSY;
	/* The whole user range is not ours on the host: the service's
	 * addresses must be free here (they are, below the sanitizers'
	 * shadow memory), anything else is the harness's mistake. */
	int p = PROT_READ | ((prot & MT_PROT_W) ? PROT_WRITE : 0);
	void *m = mmap((void *)va, size, p, MAP_SHARED | MAP_FIXED_NOREPLACE, pool_fd,
		       (off_t)(o->first * MT_PAGE_SIZE));
	if (m != (void *)va)
		fz_fail("cannot map an object at the service's address on this host");
	maps[slot] = (struct map){1, va, handles[h].obj, prot};
	a[1] = size;
	return MT_OK;
}

static long mem_unmap(unsigned long a[7])
{
	uintptr_t va = a[0];
	unsigned long size = a[1];
	if ((va | size) & (MT_PAGE_SIZE - 1) || size == 0 || va + size < va || va < MT_USER_BASE ||
	    va + size > MT_USER_TOP)
		return MT_EINVAL;
	for (unsigned i = 0; i < MAX_MAPS; i++) {
		struct map *m = &maps[i];
		uint64_t msize = objs[m->obj].npages * MT_PAGE_SIZE;
		if (!m->used || va >= m->va + msize || m->va >= va + size)
			continue;
		if (m->va != va || msize != size)
			return MT_EINVAL; /* shared mappings go whole */
		if (keep_map[i])
			fz_fail("the service unmapped what it mapped at its start");
		munmap((void *)va, size);
		memset(m, 0, sizeof(*m));
		return MT_OK;
	}
	return MT_OK; /* nothing there: the kernel frees private pages, of which there are none */
}

static long handle_close(unsigned long a[7])
{
	unsigned long h = a[0];
	if (h == 0 || h >= MAX_HANDLES || handles[h].kind == K_FREE)
		fz_fail("the service closed a handle it does not hold (twice, or never had it)");
	if (keep_handle[h])
		fz_fail("the service closed one of its starting handles");
	memset(&handles[h], 0, sizeof(handles[h]));
	return MT_OK;
}

long fz_syscall(unsigned long n, unsigned long a[7])
{
	switch (n) {
	case SYS_SHM_MAP:
		return shm_map(a);
	case SYS_MEM_UNMAP:
		return mem_unmap(a);
	case SYS_HANDLE_CLOSE:
		return handle_close(a);
	case SYS_EXIT:
		fz_fail("the service exited (a fatal error)");
	default:
		fz_fail("a system call the shim does not model");
	}
}

long fz_call(mt_handle_t ep, struct mt_msg *m)
{
	(void)ep, (void)m;
	fz_fail("the service called out while serving a request");
}

long fz_reply_recv(mt_handle_t ep, struct mt_msg *m, unsigned long flags)
{
	(void)ep, (void)m, (void)flags;
	fz_fail("the harness calls the service's dispatcher directly");
}
