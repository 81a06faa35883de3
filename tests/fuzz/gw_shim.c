/* The gateway harness's kernel model (gw_shim.h). It keeps the rules of
 * the real kernel that the gateway depends on: SYS_NSSHM_CREATE takes only
 * page-aligned pages of normal-world RAM, at most 256; shared mappings go
 * at a free, page-aligned address and are unmapped whole; a handle is
 * closed once. Mappings are real: normal-world RAM is a memory file, and a
 * mapping of its pages at the gateway's fixed addresses aliases it, as the
 * MMU would. A rule the gateway breaks (closing a handle it does not hold,
 * calling a closed endpoint, handing a TA a memory reference outside its
 * object) aborts, which the fuzzer reports. */
#define _GNU_SOURCE /* memfd_create, MAP_FIXED_NOREPLACE */
#include "gw_shim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "include/microtee/ta_ipc.h"

#define MAX_HANDLES 256
#define MAX_MAPS 64
#define SHM_MAX_PAGES 256

enum kind { K_FREE, K_NSMEM, K_SUP, K_NSSHM, K_SHM, K_TA_EP, K_PROC, K_STRAY };

struct ta; /* an emulated TA instance: its endpoint and process handles */

struct obj {
	enum kind kind;
	unsigned npages;
	uint64_t *pages;        /* K_NSSHM: normal-world addresses */
	uintptr_t va;           /* K_SHM: where the gateway mapped it, or 0 */
	struct ta *ta;          /* K_TA_EP, K_PROC */
};

struct ta {
	int used, dead;
	struct ta_param_page *page; /* the gateway's mapping of it */
	unsigned page_pages;
};

struct map {
	uintptr_t va;
	unsigned npages;
	int ns;
};

uint8_t *fz_nsram;
static int ram_fd = -1;
static struct obj objs[MAX_HANDLES];
static struct map maps[MAX_MAPS];
static struct ta tas[MAX_HANDLES];
static mt_handle_t h_nsmem, h_sup;
static const uint8_t *tape;
static size_t tape_len, tape_pos;

void fz_fail(const char *what)
{
	fprintf(stderr, "fuzz_gateway: %s\n", what);
	abort();
}

static unsigned tape_byte(void)
{
	return tape_pos < tape_len ? tape[tape_pos++] : 0;
}

static mt_handle_t new_handle(enum kind k)
{
	for (mt_handle_t h = 1; h < MAX_HANDLES; h++)
		if (objs[h].kind == K_FREE) {
			memset(&objs[h], 0, sizeof(objs[h]));
			objs[h].kind = k;
			return h;
		}
	return 0;
}

static struct obj *get(unsigned long h, enum kind k)
{
	if (h == 0 || h >= MAX_HANDLES || objs[h].kind != k)
		return 0;
	return &objs[h];
}

static void free_handle(mt_handle_t h)
{
	free(objs[h].pages);
	memset(&objs[h], 0, sizeof(objs[h]));
}

void fz_shim_init(mt_handle_t *nsmem, mt_handle_t *sup)
{
	ram_fd = memfd_create("fz-nsram", 0);
	if (ram_fd < 0 || ftruncate(ram_fd, (off_t)FZ_NSRAM_SIZE) != 0)
		fz_fail("no memory file for normal-world RAM");
	fz_nsram = mmap(0, FZ_NSRAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, ram_fd, 0);
	if (fz_nsram == MAP_FAILED)
		fz_fail("cannot map normal-world RAM");
	*nsmem = h_nsmem = new_handle(K_NSMEM);
	*sup = h_sup = new_handle(K_SUP);
}

void fz_shim_reset(const uint8_t *t, size_t len)
{
	for (unsigned i = 0; i < MAX_MAPS; i++)
		if (maps[i].npages) {
			munmap((void *)maps[i].va, maps[i].npages * MT_PAGE_SIZE);
			maps[i].npages = 0;
		}
	for (mt_handle_t h = 1; h < MAX_HANDLES; h++)
		if (h != h_nsmem && h != h_sup && objs[h].kind != K_FREE)
			free_handle(h);
	memset(tas, 0, sizeof(tas));
	tape = t;
	tape_len = len;
	tape_pos = 0;
}

unsigned fz_ns_objects(void)
{
	unsigned n = 0;
	for (mt_handle_t h = 1; h < MAX_HANDLES; h++)
		n += objs[h].kind == K_NSSHM;
	return n;
}

unsigned fz_stray_handles(void)
{
	unsigned n = 0;
	for (mt_handle_t h = 1; h < MAX_HANDLES; h++)
		n += objs[h].kind == K_STRAY;
	return n;
}

unsigned fz_ns_mapped_pages(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < MAX_MAPS; i++)
		if (maps[i].ns)
			n += maps[i].npages;
	return n;
}

/* ---- the system calls ---- */

static long nsshm_create(unsigned long a[7])
{
	if (!get(a[0], K_NSMEM))
		return MT_EBADH;
	unsigned long n = a[2];
	if (n == 0 || n > SHM_MAX_PAGES)
		return MT_EINVAL;
	const uint64_t *pages = (const uint64_t *)a[1];
	for (unsigned long i = 0; i < n; i++) {
		uint64_t pa = pages[i];
		if ((pa & (MT_PAGE_SIZE - 1)) || pa < FZ_NSRAM_BASE ||
		    pa >= FZ_NSRAM_BASE + FZ_NSRAM_SIZE)
			return MT_EFAULT;
	}
	mt_handle_t h = new_handle(K_NSSHM);
	if (!h)
		return MT_ENOSPACE;
	objs[h].npages = (unsigned)n;
	objs[h].pages = malloc(n * sizeof(uint64_t));
	memcpy(objs[h].pages, pages, n * sizeof(uint64_t));
	a[1] = h;
	return MT_OK;
}

static long shm_create(unsigned long a[7])
{
	unsigned long size = a[0];
	if (size == 0 || size > SHM_MAX_PAGES * MT_PAGE_SIZE)
		return MT_EINVAL;
	mt_handle_t h = new_handle(K_SHM);
	if (!h)
		return MT_ENOSPACE;
	objs[h].npages = (unsigned)((size + MT_PAGE_SIZE - 1) / MT_PAGE_SIZE);
	a[1] = h;
	return MT_OK;
}

static int map_slot(void)
{
	for (int i = 0; i < MAX_MAPS; i++)
		if (!maps[i].npages)
			return i;
	return -1;
}

/* The user region the gateway maps shared memory in. */
static int va_ok(uintptr_t va, unsigned npages)
{
	return !(va & (MT_PAGE_SIZE - 1)) && va >= MT_USER_SHM &&
	       va + (uint64_t)npages * MT_PAGE_SIZE <= MT_USER_STACK_TOP - 0x01000000UL;
}

static int overlaps(uintptr_t va, unsigned npages)
{
	for (unsigned i = 0; i < MAX_MAPS; i++)
		if (maps[i].npages && va < maps[i].va + maps[i].npages * MT_PAGE_SIZE &&
		    maps[i].va < va + npages * MT_PAGE_SIZE)
			return 1;
	return 0;
}

static long shm_map(unsigned long a[7])
{
	uintptr_t va = a[1];
	if (a[2] >> 32)
		return MT_EINVAL;
	struct obj *o = get(a[0], K_NSSHM);
	int ns = o != 0;
	if (!o && !(o = get(a[0], K_SHM)))
		return MT_EBADH;
	if (!va_ok(va, o->npages))
		return MT_EINVAL;
	if (overlaps(va, o->npages))
		return MT_EBUSY;
	int slot = map_slot();
	if (slot < 0)
		return MT_ENOSPACE;
	if (ns) {
		for (unsigned i = 0; i < o->npages; i++) {
			void *p = mmap((void *)(va + i * MT_PAGE_SIZE), MT_PAGE_SIZE,
				       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED_NOREPLACE, ram_fd,
				       (off_t)(o->pages[i] - FZ_NSRAM_BASE));
			if (p != (void *)(va + i * MT_PAGE_SIZE))
				fz_fail("mmap of a normal-world page failed");
		}
	} else {
		void *p = mmap((void *)va, o->npages * MT_PAGE_SIZE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (p != (void *)va)
			fz_fail("mmap of a secure page failed");
		o->va = va;
	}
	maps[slot] = (struct map){va, o->npages, ns};
	a[1] = o->npages * MT_PAGE_SIZE;
	return MT_OK;
}

static long mem_unmap(unsigned long a[7])
{
	uintptr_t va = a[0];
	unsigned long size = a[1];
	if ((va | size) & (MT_PAGE_SIZE - 1) || size == 0)
		return MT_EINVAL;
	for (unsigned i = 0; i < MAX_MAPS; i++) {
		struct map *m = &maps[i];
		if (!m->npages || va >= m->va + m->npages * MT_PAGE_SIZE || m->va >= va + size)
			continue;
		if (m->va != va || m->npages * MT_PAGE_SIZE != size)
			return MT_EINVAL; /* shared mappings go whole */
		munmap((void *)va, size);
		m->npages = 0;
		m->ns = 0;
		return MT_OK;
	}
	return MT_OK;
}

static long handle_close(unsigned long a[7])
{
	unsigned long h = a[0];
	if (h == 0 || h >= MAX_HANDLES || objs[h].kind == K_FREE)
		fz_fail("the gateway closed a handle it does not hold");
	if (h == h_nsmem || h == h_sup)
		fz_fail("the gateway closed one of its starting handles");
	free_handle(h);
	return MT_OK;
}

/* A copy of a shared-memory handle in the gateway's own table (proc 0),
 * the way the gateway makes the TA's copy of a memory reference. The copy
 * is a handle of its own (the shim does not model shared objects). */
static long handle_grant(unsigned long a[7])
{
	struct obj *o = get(a[1], K_NSSHM);
	if (a[0] != 0 || !o)
		fz_fail("a handle grant the shim does not model");
	mt_handle_t h = new_handle(K_NSSHM);
	if (!h)
		return MT_ENOSPACE;
	objs[h].npages = o->npages;
	objs[h].pages = malloc(o->npages * sizeof(uint64_t));
	memcpy(objs[h].pages, o->pages, o->npages * sizeof(uint64_t));
	a[1] = h;
	return MT_OK;
}

/* The gateway revokes a memory reference's object after the call. */
static long shm_revoke(unsigned long a[7])
{
	if (!get(a[0], K_NSSHM))
		fz_fail("the gateway revoked something that is not its normal-world object");
	return MT_OK;
}

static long proc_kill(unsigned long a[7])
{
	struct obj *o = get(a[0], K_PROC);
	if (!o)
		fz_fail("the gateway killed a process it does not hold");
	o->ta->dead = 1;
	return MT_OK;
}

long fz_syscall(unsigned long n, unsigned long a[7])
{
	switch (n) {
	case SYS_NSSHM_CREATE:
		return nsshm_create(a);
	case SYS_SHM_CREATE:
		return shm_create(a);
	case SYS_SHM_MAP:
		return shm_map(a);
	case SYS_MEM_UNMAP:
		return mem_unmap(a);
	case SYS_HANDLE_CLOSE:
		return handle_close(a);
	case SYS_PROC_KILL:
		return proc_kill(a);
	case SYS_HANDLE_GRANT:
		return handle_grant(a);
	case SYS_SHM_REVOKE:
		return shm_revoke(a);
	case SYS_SLEEP:
	case SYS_YIELD:
		return MT_OK; /* one worker: nothing to wait for */
	case SYS_EP_CREATE:
		/* Only session_init's waker endpoint: with one worker and no
		 * waker thread (mt_main never runs here) the gateway goes
		 * without one, as when the kernel refuses it. */
		return MT_ENOSPACE;
	default:
		fz_fail("a system call the shim does not model");
		return MT_ENOSYS;
	}
}

/* ---- init and the TAs ---- */

/* Every handle a message carries must be one the sender holds. */
static int xfer_ok(unsigned long xfer)
{
	for (; xfer; xfer >>= MT_XFER_BITS) {
		unsigned long h = xfer & MT_XFER_MASK;
		if (h && (h >= MAX_HANDLES || objs[h].kind == K_FREE))
			return 0;
	}
	return 1;
}

static long sup_call(struct mt_msg *m)
{
	if (m->w[0] != SUP_OP_START_TA)
		fz_fail("init got an operation the gateway never sends");
	unsigned t = tape_byte();
	switch (t & 7) {
	case 5:
		m->w[0] = (uint64_t)(long)MT_ENOENT, m->w[1] = 0;
		return MT_OK;
	case 6:
		m->w[0] = (uint64_t)(long)MT_EINVAL, m->w[1] = 0xFFFF0000U | (t >> 3);
		return MT_OK;
	case 7:
		return MT_EPEERDEAD;
	default:
		break;
	}
	mt_handle_t ep = new_handle(K_TA_EP), proc = new_handle(K_PROC);
	if (!ep || !proc)
		fz_fail("out of handles");
	struct ta *ta = &tas[ep];
	memset(ta, 0, sizeof(*ta));
	ta->used = 1;
	objs[ep].ta = objs[proc].ta = ta;
	m->w[0] = MT_OK;
	m->w[1] = 0;
	/* Sometimes init hands back no process handle. */
	m->handle = MT_XFER(ep, (t & 7) == 4 ? 0 : proc, 0, 0);
	return MT_OK;
}

/* What the gateway put in the page for a memory reference must lie inside
 * the object it sent with it, which must be normal-world memory. */
static void check_memrefs(const struct ta_param_page *pg, unsigned long xfer)
{
	for (unsigned i = 0; i < 4; i++) {
		const struct ta_param *p = &pg->params[i];
		if (p->kind != TA_PARAM_MEMREF || p->handle == TA_PARAM_NO_HANDLE)
			continue;
		if (p->handle >= 4)
			fz_fail("a memory reference names no transfer slot");
		struct obj *o = get(MT_XFER_GET(xfer, p->handle), K_NSSHM);
		if (!o)
			fz_fail("a memory reference without a normal-world object");
		uint64_t size = (uint64_t)o->npages * MT_PAGE_SIZE;
		if (p->a > size || p->b > size - p->a || p->b == 0)
			fz_fail("a memory reference outside its object");
	}
}

static long ta_call(struct ta *ta, struct mt_msg *m)
{
	if (ta->dead)
		return MT_EPEERDEAD;
	unsigned t = tape_byte();
	if ((t & 0xf) == 0xf) { /* the TA dies under this call */
		ta->dead = 1;
		return MT_EPEERDEAD;
	}
	switch (m->w[0]) {
	case TA_OP_ATTACH: {
		struct obj *pg = get(MT_XFER_GET(m->handle, 0), K_SHM);
		if (!pg || !pg->va || pg->npages * MT_PAGE_SIZE < sizeof(struct ta_param_page))
			fz_fail("ATTACH without a mapped parameter page");
		ta->page = (struct ta_param_page *)pg->va;
		m->w[0] = (t & 0xf) == 0xe ? 0xFFFF0000U : 0;
		m->w[1] = (t >> 2) & 0x1c; /* SINGLE_INSTANCE, MULTI_SESSION, KEEP_ALIVE */
		m->handle = 0;
		return MT_OK;
	}
	case TA_OP_OPEN_SESSION:
	case TA_OP_INVOKE:
		if (!ta->page)
			fz_fail("a call before ATTACH");
		check_memrefs(ta->page, m->handle);
		/* The TA writes outputs: values and sizes from the tape. */
		for (unsigned i = 0; i < 4; i++) {
			struct ta_param *p = &ta->page->params[i];
			if (p->kind == TA_PARAM_VALUE) {
				p->a ^= tape_byte();
				p->b += tape_byte();
			} else if (p->kind == TA_PARAM_MEMREF) {
				p->b = (p->b >> (tape_byte() & 3)) + (t & 0x10);
			}
		}
		m->w[0] = (t & 0xf) >= 0xc ? 0xFFFF0000U | (t & 0xf) : 0;
		m->w[1] = 4;
		/* The reply's handle word: none, or (a hostile TA) handles of its
		 * own, which land in the gateway's table as new handles. */
		m->handle = 0;
		if (t & 0x20)
			m->handle = MT_XFER(new_handle(K_STRAY), (t & 0x40) ? new_handle(K_STRAY) : 0,
					    0, 0);
		return MT_OK;
	case TA_OP_CLOSE_SESSION:
		m->w[0] = 0;
		m->handle = 0;
		return MT_OK;
	case TA_OP_DESTROY:
		ta->dead = 1; /* it answers, then exits */
		m->w[0] = 0;
		m->handle = 0;
		return MT_OK;
	default:
		fz_fail("a TA got an operation the gateway never sends");
		return MT_EINVAL;
	}
}

long fz_call(mt_handle_t ep, struct mt_msg *m)
{
	if (!xfer_ok(m->handle))
		fz_fail("a message carries a handle the gateway does not hold");
	if (ep == h_sup)
		return sup_call(m);
	struct obj *o = get(ep, K_TA_EP);
	if (!o)
		fz_fail("a call on a handle that is not a live endpoint");
	return ta_call(o->ta, m);
}

long fz_reply_recv(mt_handle_t ep, struct mt_msg *m, unsigned long flags)
{
	(void)ep, (void)m, (void)flags;
	return MT_EINVAL; /* the harness calls the message handler directly */
}

/* The harness never runs mt_main, which alone starts worker threads. */
long mt_thread_create(void (*fn)(void *), void *arg, unsigned prio, mt_handle_t *out)
{
	(void)fn, (void)arg, (void)prio, (void)out;
	fz_fail("the gateway started a thread under the harness");
	return MT_ENOSYS;
}
