/* Processes: an address space, a handle table, a memory quota and threads. */
#include "arch.h"
#include "../common/flat.h"
#include "object.h"
#include "pmm.h"
#include "smp.h"

struct process procs[MAX_PROCS];
extern struct pmm kpmm;
static unsigned next_pid = 1;

#define USER_STACK_PAGES 16

paddr_t process_alloc_page(struct process *p)
{
	if (quota_charge(&p->quota, MT_Q_PAGES, 1) != MT_OK)
		return 0;
	paddr_t pa = pmm_alloc(&kpmm);
	if (!pa) /* quotas never add up to more than the pool: not reached */
		quota_refund(&p->quota, MT_Q_PAGES, 1);
	return pa;
}

void process_free_page(struct process *p, paddr_t pa)
{
	quota_refund(&p->quota, MT_Q_PAGES, 1);
	pmm_free(&kpmm, pa);
}

/* Room for n more pages in p's quota. */
static int pages_fit(const struct process *p, size_t n)
{
	return n <= quota_room(&p->quota, MT_Q_PAGES);
}

static paddr_t pt_alloc_cb(void *ctx)
{
	return process_alloc_page(ctx);
}

static void pt_free_cb(void *ctx, paddr_t pa)
{
	process_free_page(ctx, pa);
}

static void pt_leaf_cb(void *ctx, pte_t pte)
{
	/* Shared pages belong to their object, device pages to nobody. */
	if (!(pte & (PTE_SW_SHARED | PTE_SW_DEVICE)))
		process_free_page(ctx, pte & PTE_ADDR_MASK);
}

static struct pt_alloc pt_ops(struct process *p)
{
	struct pt_alloc a = {pt_alloc_cb, pt_free_cb, p};
	return a;
}

struct process *process_create(const char *name, struct process *parent,
			       const size_t quota[MT_Q_KINDS], int max_prio, int *err)
{
	if (parent && (*err = quota_charge(&parent->quota, MT_Q_PROCS, 1)) != MT_OK)
		return 0;
	struct process *p = 0;
	for (unsigned i = 0; i < MAX_PROCS; i++) {
		if (procs[i].state == P_FREE) {
			p = &procs[i];
			p->asid = (uint16_t)(i + 1);
			break;
		}
	}
	if (!p) {
		/* Quotas never add up to more than the pool: not reached. */
		if (parent)
			quota_refund(&parent->quota, MT_Q_PROCS, 1);
		*err = MT_ENOSPACE;
		return 0;
	}
	uint16_t asid = p->asid;
	memset(p, 0, sizeof(*p));
	p->asid = asid;
	if (parent) {
		*err = quota_carve(&parent->quota, &p->quota, quota);
		if (*err != MT_OK) {
			quota_refund(&parent->quota, MT_Q_PROCS, 1);
			return 0;
		}
	} else {
		for (unsigned k = 0; k < MT_Q_KINDS; k++)
			p->quota.limit[k] = quota[k];
	}
	p->obj.type = KOBJ_PROCESS;
	p->obj.refs = 1; /* a live process holds itself */
	p->pid = next_pid++;
	size_t n = 0;
	for (; name[n] && n < sizeof(p->name) - 1; n++)
		p->name[n] = name[n];
	p->parent = parent;
	p->creator = parent;
	p->max_prio = max_prio;
	p->l1 = pa_to_va(process_alloc_page(p));
	if (p->l1 == 0) {
		if (parent) {
			quota_close(&parent->quota, &p->quota);
			quota_refund(&parent->quota, MT_Q_PROCS, 1);
		}
		*err = MT_ENOMEM;
		return 0;
	}
	arch_vspace_init(p->l1);
	p->state = P_ALIVE;
	return p;
}

/* Is any page in [va, end) mapped? */
static int range_mapped(struct process *p, vaddr_t va, vaddr_t end)
{
	for (vaddr_t a = va; a < end;) {
		vaddr_t next = pt_skip_hole(p->l1, a);
		if (next != a) {
			a = next;
			continue;
		}
		if (pt_lookup(p->l1, a))
			return 1;
		a += PAGE_SIZE;
	}
	return 0;
}

/* Page-table pages mapping [va, end) would add: a level-2 table per GiB
 * and a level-3 table per 2 MiB that has none yet. Counted up front so a
 * map the quota cannot hold fails before it allocates anything. */
static size_t tables_needed(const pte_t *l1, vaddr_t va, vaddr_t end)
{
	size_t n = 0;
	for (vaddr_t a = va & ~((1ULL << 30) - 1); a < end; a += 1ULL << 30)
		n += !(l1[(a >> 30) & (PT_ENTRIES - 1)] & PTE_VALID);
	for (vaddr_t a = va & ~((1ULL << 21) - 1); a < end; a += 1ULL << 21)
		n += pt_skip_hole(l1, a) != a;
	return n;
}

int process_map_anon(struct process *p, vaddr_t va, size_t size, unsigned prot)
{
	vaddr_t end;
	if ((va | size) & ~PAGE_MASK || size == 0 || __builtin_add_overflow(va, size, &end) ||
	    va < MT_USER_BASE || end > MT_USER_TOP || (prot & ~(MT_PROT_R | MT_PROT_W | MT_PROT_X)) ||
	    !(prot & MT_PROT_R) || ((prot & MT_PROT_W) && (prot & MT_PROT_X)))
		return MT_EINVAL; /* pages are always readable: R must be asked for */
	if (!pages_fit(p, size / PAGE_SIZE))
		return MT_ENOMEM;
	if (range_mapped(p, va, end))
		return MT_EBUSY;
	if (!pages_fit(p, size / PAGE_SIZE + tables_needed(p->l1, va, end)))
		return MT_ENOMEM;
	struct pt_alloc ops = pt_ops(p);
	for (vaddr_t a = va; a < end; a += PAGE_SIZE) {
		paddr_t pa = process_alloc_page(p);
		int rc = pa ? pt_map(p->l1, a, pa, pt_user_attrs(prot), &ops) : MT_ENOMEM;
		if (rc != MT_OK) {
			if (pa)
				process_free_page(p, pa);
			if (a > va)
				process_unmap(p, va, a - va);
			return rc;
		}
	}
	return MT_OK;
}

static struct shm_map *find_shm_map(struct process *p, vaddr_t va, vaddr_t end)
{
	for (unsigned i = 0; i < PROC_MAX_SHM_MAPS; i++) {
		struct shm_map *m = &p->shm_maps[i];
		if (m->shm && m->va < end && va < m->va + m->shm->npages * PAGE_SIZE)
			return m;
	}
	return 0;
}

int process_unmap(struct process *p, vaddr_t va, size_t size)
{
	vaddr_t end;
	if ((va | size) & ~PAGE_MASK || size == 0 || __builtin_add_overflow(va, size, &end) ||
	    va < MT_USER_BASE || end > MT_USER_TOP)
		return MT_EINVAL;
	struct shm_map *m = find_shm_map(p, va, end);
	if (m) {
		/* Shared mappings go whole or not at all. */
		if (m->va != va || m->shm->npages * PAGE_SIZE != size)
			return MT_EINVAL;
		for (vaddr_t a = va; a < end; a += PAGE_SIZE) {
			pt_unmap(p->l1, a);
			arch_tlb_flush_page(p->asid, a);
		}
		struct shm *s = m->shm;
		m->shm = 0;
		s->nmaps--;
		kobj_put(&s->obj);
		return MT_OK;
	}
	for (vaddr_t a = va; a < end; a += PAGE_SIZE) {
		vaddr_t next = pt_skip_hole(p->l1, a);
		if (next != a) {
			a = next - PAGE_SIZE;
			continue;
		}
		pte_t e = pt_unmap(p->l1, a);
		if (!e)
			continue;
		arch_tlb_flush_page(p->asid, a);
		if (!(e & PTE_SW_DEVICE))
			process_free_page(p, e & PTE_ADDR_MASK);
	}
	return MT_OK;
}

void process_unmap_shm(struct process *p, struct shm *s)
{
	for (unsigned i = 0; i < PROC_MAX_SHM_MAPS; i++) {
		struct shm_map *m = &p->shm_maps[i];
		if (m->shm == s)
			process_unmap(p, m->va, s->npages * PAGE_SIZE);
	}
}

int process_map_shm(struct process *p, struct shm *s, vaddr_t va, unsigned prot)
{
	size_t size = s->npages * PAGE_SIZE;
	vaddr_t end;
	if ((va & ~PAGE_MASK) || __builtin_add_overflow(va, size, &end) || va < MT_USER_BASE ||
	    end > MT_USER_TOP || (prot & MT_PROT_X) || !(prot & MT_PROT_R) ||
	    (prot & ~(MT_PROT_R | MT_PROT_W)))
		return MT_EINVAL;
	struct shm_map *slot = 0;
	for (unsigned i = 0; i < PROC_MAX_SHM_MAPS && !slot; i++)
		if (!p->shm_maps[i].shm)
			slot = &p->shm_maps[i];
	if (!slot)
		return MT_ENOSPACE;
	if (range_mapped(p, va, end))
		return MT_EBUSY;
	if (!pages_fit(p, tables_needed(p->l1, va, end)))
		return MT_ENOMEM;
	struct pt_alloc ops = pt_ops(p);
	for (unsigned i = 0; i < s->npages; i++) {
		int rc = pt_map(p->l1, va + i * PAGE_SIZE, s->pages[i],
				pt_user_attrs(prot) | PTE_SW_SHARED | (s->ns ? PTE_NS : 0), &ops);
		if (rc != MT_OK) {
			for (unsigned j = 0; j < i; j++) {
				pt_unmap(p->l1, va + j * PAGE_SIZE);
				arch_tlb_flush_page(p->asid, va + j * PAGE_SIZE);
			}
			return rc;
		}
	}
	slot->shm = s;
	slot->va = va;
	s->nmaps++;
	kobj_get(&s->obj);
	return MT_OK;
}

int process_map_devmem(struct process *p, paddr_t pa, vaddr_t va, size_t size, pte_t attrs)
{
	vaddr_t end;
	if ((va | size) & ~PAGE_MASK || size == 0 || __builtin_add_overflow(va, size, &end) ||
	    va < MT_USER_BASE || end > MT_USER_TOP)
		return MT_EINVAL;
	if (range_mapped(p, va, end))
		return MT_EBUSY;
	if (!pages_fit(p, tables_needed(p->l1, va, end)))
		return MT_ENOMEM;
	struct pt_alloc ops = pt_ops(p);
	for (vaddr_t a = va; a < end; a += PAGE_SIZE) {
		int rc = pt_map(p->l1, a, pa + (a - va), attrs, &ops);
		if (rc != MT_OK) {
			if (a > va)
				process_unmap(p, va, a - va);
			return rc;
		}
	}
	return MT_OK;
}

int process_load(struct process *p, const void *image, size_t len)
{
	struct mt_flat_header h;
	int rc = flat_check(image, len, MT_USER_BASE, MT_USER_HEAP, &h);
	if (rc != MT_OK)
		return rc;
	struct pt_alloc ops = pt_ops(p);
	for (unsigned i = 0; i < h.nseg; i++) {
		const struct mt_flat_seg *s = &h.seg[i];
		vaddr_t end = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
		for (vaddr_t a = s->vaddr; a < end; a += PAGE_SIZE) {
			paddr_t pa = process_alloc_page(p);
			if (!pa)
				return MT_ENOMEM;
			/* The part of the segment's file bytes in this page. */
			uint64_t done = a - s->vaddr;
			if (done < s->filesz) {
				uint64_t n = s->filesz - done < PAGE_SIZE ? s->filesz - done : PAGE_SIZE;
				memcpy(pa_to_va(pa), (const uint8_t *)image + s->offset + done, n);
			}
			rc = pt_map(p->l1, a, pa, pt_user_attrs(s->prot), &ops);
			if (rc != MT_OK) {
				process_free_page(p, pa);
				return rc;
			}
		}
	}
	return process_setup_main(p, h.entry);
}

int process_setup_main(struct process *p, vaddr_t entry)
{
	if (p->main_thread)
		return MT_ESTATE;
	int rc = process_map_anon(p, MT_USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE,
				  USER_STACK_PAGES * PAGE_SIZE, MT_PROT_R | MT_PROT_W);
	if (rc != MT_OK)
		return rc;
	int err;
	/* Below the arguments' place (MT_USER_ARGS), which the parent may fill. */
	p->main_thread = thread_create(p, entry, MT_USER_ARGS, 0, p->max_prio, &err);
	return p->main_thread ? MT_OK : err;
}

int process_not_started(const struct process *p)
{
	return p->state == P_ALIVE && p->main_thread && p->main_thread->state == T_INACTIVE;
}

static void notify_parent(struct process *p)
{
	struct process *parent = p->parent;
	if (!parent || parent->state != P_ALIVE)
		return;
	for (unsigned i = 0; i < MAX_THREADS; i++) {
		struct thread *t = &threads[i];
		if (t->state == T_BLOCKED_CHILD && t->proc == parent) {
			int rc = process_wait_child(parent, 0);
			kassert(rc == MT_OK);
			(void)rc;
			sched_wake_sleeper(t);
			return;
		}
	}
}

/* p has ended and let go of everything it held: its account closes into
 * its creator's, with the objects charged to it that others still hold. */
static void close_account(struct process *p)
{
	struct process *to = p->creator;
	kassert(to);
	shm_reparent(p, to);
	endpoint_reparent(p, to);
	for (unsigned i = 0; i < MAX_PROCS; i++)
		if (procs[i].state != P_FREE && procs[i].creator == p)
			procs[i].creator = to; /* children's zombies, still held */
	quota_close(&to->quota, &p->quota);
}

/* Whether q is p or below p in the supervision tree (which dies with p). */
static int in_subtree(const struct process *q, const struct process *p)
{
	for (unsigned depth = 0; q && depth <= MAX_PROCS; q = q->parent, depth++)
		if (q == p)
			return 1;
	return 0;
}

/* SMP: before p and its subtree are torn down, no other CPU may run one of
 * their threads or walk one of their tables. The CPUs that do are stalled
 * (smp.c): each leaves the address space and waits for the lock, which
 * this CPU holds throughout; a thread of theirs that is destroyed meanwhile
 * is simply gone when they get the lock (thread_destroy clears their
 * current thread). Nothing else changes, and the lock is never let go. */
static void process_quiesce(const struct process *p)
{
	if (kernel_ncpus == 1)
		return;
	uint32_t busy = 0;
	for (unsigned i = 0; i < KERNEL_MAX_CPUS; i++) {
		const struct cpu *c = &kernel_cpus[i];
		const struct thread *t = c->current;
		if ((t && t->state == T_RUNNING && in_subtree(t->proc, p)) ||
		    (c->vspace && in_subtree(c->vspace, p)))
			busy |= 1U << i;
	}
	smp_stall(busy);
}

void process_exit(struct process *p, long reason, long code, unsigned long fault,
		  unsigned long addr, unsigned long esr)
{
	if (p->state != P_ALIVE)
		return;
	process_quiesce(p);
	p->state = P_ZOMBIE;
	p->event.pid = p->pid;
	p->event.reason = reason;
	p->event.code = code;
	p->event.fault = fault;
	p->event.addr = addr;
	p->event.esr = esr;

	for (unsigned i = 0; i < MAX_THREADS; i++)
		if (threads[i].proc == p && threads[i].state != T_DEAD && threads[i].state != T_FREE)
			thread_destroy(&threads[i]);
	/* Supervision is a tree: a process's children die with it. */
	for (unsigned i = 0; i < MAX_PROCS; i++) {
		if (procs[i].parent != p)
			continue;
		procs[i].parent = 0;
		if (procs[i].state == P_ALIVE)
			process_exit(&procs[i], MT_CHILD_KILLED, 0, 0, 0, 0);
	}
	ht_clear(&p->ht);
	for (unsigned i = 0; i < PROC_MAX_SHM_MAPS; i++) {
		struct shm *s = p->shm_maps[i].shm;
		if (s) {
			p->shm_maps[i].shm = 0;
			s->nmaps--;
			kobj_put(&s->obj);
		}
	}
	arch_vspace_release(p->l1);
	struct pt_alloc ops = pt_ops(p);
	pt_destroy(p->l1, 1, PT_ENTRIES - 1, pt_leaf_cb, &ops);
	process_free_page(p, va_to_pa(p->l1));
	p->l1 = 0;
	arch_tlb_flush_asid(p->asid);
	if (p->pid == 1)
		panic("init %s (reason %ld, code %ld)", reason == MT_CHILD_FAULTED ? "faulted" : "exited",
		      reason, code);
	close_account(p);
	notify_parent(p);
	kobj_put(&p->obj); /* drop the self reference */
}

void process_release(struct process *p)
{
	/* Last handle gone. A live process keeps running unsupervised; a
	 * dead one is forgotten. */
	if (p->state == P_ZOMBIE) {
		if (p->creator)
			quota_refund(&p->creator->quota, MT_Q_PROCS, 1);
		p->creator = 0;
		p->state = P_FREE;
	}
}

size_t process_pool_free(void)
{
	size_t n = 0;
	for (unsigned i = 0; i < MAX_PROCS; i++)
		n += procs[i].state == P_FREE;
	return n;
}

/* Collects one dead child's event into the waiting thread's registers when
 * ev is 0 (it was blocked), or into *ev. */
int process_wait_child(struct process *parent, struct mt_child_event *ev)
{
	for (unsigned i = 0; i < MAX_PROCS; i++) {
		struct process *c = &procs[i];
		if (c->state != P_ZOMBIE || c->reported || c->parent != parent)
			continue;
		c->reported = 1;
		c->event.proc = 0;
		for (unsigned h = 1; h < HT_SIZE; h++)
			if (parent->ht.slot[h].obj == &c->obj)
				c->event.proc = h;
		if (ev) {
			*ev = c->event;
		} else {
			/* Deliver into the blocked waiter's pending out pointer. */
			for (unsigned t = 0; t < MAX_THREADS; t++) {
				struct thread *w = &threads[t];
				if (w->state != T_BLOCKED_CHILD || w->proc != parent)
					continue;
				int rc = copy_to_user(parent, w->regs.x[0], &c->event, sizeof(c->event));
				w->regs.x[0] = (uint64_t)(long)rc;
				break;
			}
		}
		return MT_OK;
	}
	return MT_ENOENT;
}

/* to_user: 0 reads, 1 writes where the process may write, 2 writes its
 * read-only pages too (the loader filling a process not yet started). */
static int user_copy(struct process *p, vaddr_t uva, void *kbuf, size_t len, int to_user)
{
	vaddr_t end;
	if (len == 0)
		return MT_OK;
	if (__builtin_add_overflow(uva, len, &end) || uva < MT_USER_BASE || end > MT_USER_TOP)
		return MT_EFAULT;
	while (len) {
		pte_t e = pt_lookup(p->l1, uva);
		/* The kernel does not map normal-world memory: system call
		 * buffers must be in secure memory. Nor does it touch device
		 * memory for a process: flash in command mode, registers. */
		if (!e || !(e & PTE_AP_EL0) || (to_user == 1 && (e & PTE_AP_RO)) ||
		    (e & (PTE_NS | PTE_SW_DEVICE)))
			return MT_EFAULT;
		size_t off = uva & ~PAGE_MASK, n = PAGE_SIZE - off;
		if (n > len)
			n = len;
		uint8_t *k = (uint8_t *)pa_to_va(e & PTE_ADDR_MASK) + off;
		if (to_user)
			memcpy(k, kbuf, n);
		else
			memcpy(kbuf, k, n);
		kbuf = (uint8_t *)kbuf + n;
		uva += n;
		len -= n;
	}
	return MT_OK;
}

int copy_from_user(struct process *p, void *dst, vaddr_t src, size_t len)
{
	return user_copy(p, src, dst, len, 0);
}

int copy_to_user(struct process *p, vaddr_t dst, const void *src, size_t len)
{
	return user_copy(p, dst, (void *)src, len, 1);
}

int copy_to_unstarted(struct process *p, vaddr_t dst, const void *src, size_t len)
{
	if (!process_not_started(p))
		return MT_ESTATE;
	return user_copy(p, dst, (void *)src, len, 2);
}
