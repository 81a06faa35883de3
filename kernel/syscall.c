/* System call dispatch and the calls that are not IPC. Every argument is
 * user-controlled: handles go through the caller's table, pointers through
 * copy_{from,to}_user, sizes and priorities are range-checked. */
#include "../include/microtee/smc.h"
#include "arch.h"
#include "../common/bootfs.h"
#include "object.h"
#include "dispatch.h"
#include "pmm.h"

extern struct pmm kpmm;
extern struct kobj spawner_obj;
void kernel_bench_ctl_pmu(void);
uint64_t kernel_image_bytes(void);
uint64_t kernel_secure_ram_used(void);
void console_write(const char *s, size_t n);
void kernel_pool_free(size_t free[MT_Q_KINDS]);

#define ARG(n) (cur->regs.x[n])
#define RET(v) (cur->regs.x[0] = (uint64_t)(long)(v))

static struct handle *lookup(struct thread *cur, uint64_t h, enum kobj_type type, uint32_t need)
{
	int err;
	struct handle *r = ht_lookup(&cur->proc->ht, h, type, need, &err);
	if (!r)
		RET(err);
	return r;
}

/* Hands a freshly created object to the caller as a new handle (x1); if
 * its table is full the object goes away again. */
static struct thread *install_new(struct thread *cur, struct kobj *obj, uint32_t rights)
{
	long h = ht_insert(&cur->proc->ht, obj, rights, 0);
	if (h < 0) {
		obj->refs = 1;
		kobj_put(obj);
		return RET(h), cur;
	}
	ARG(1) = (uint64_t)h;
	return RET(MT_OK), cur;
}

static uint64_t ns_to_ticks(uint64_t ns)
{
	uint64_t f = arch_counter_freq();
	if (ns > UINT64_MAX / f)
		return UINT64_MAX / 2;
	return ns * f / 1000000000ULL + 1;
}

static struct thread *sys_debug_write(struct thread *cur)
{
	char buf[128];
	uint64_t ptr = ARG(0), len = ARG(1);
	if (!cur->proc->console)
		return RET(MT_EPERM), cur;
	if (len > 4096)
		return RET(MT_EINVAL), cur;
	while (len) {
		size_t n = len < sizeof(buf) ? len : sizeof(buf);
		int rc = copy_from_user(cur->proc, buf, ptr, n);
		if (rc != MT_OK)
			return RET(rc), cur;
		console_write(buf, n);
		ptr += n;
		len -= n;
	}
	return RET(MT_OK), cur;
}

static struct thread *sys_exit(struct thread *cur)
{
	process_exit(cur->proc, MT_CHILD_EXITED, (long)ARG(0), 0, 0, 0);
	return sched_next();
}

static struct thread *sys_thread_exit(struct thread *cur)
{
	struct process *p = cur->proc;
	thread_destroy(cur);
	if (p->nthreads == 0)
		process_exit(p, MT_CHILD_EXITED, 0, 0, 0, 0);
	return sched_next();
}

static struct thread *sys_yield(struct thread *cur)
{
	RET(MT_OK);
	cur->yielded = 1;
	sched_preempt_current();
	return sched_next();
}

static struct thread *sys_ep_create(struct thread *cur)
{
	int err;
	struct endpoint *ep = endpoint_create(cur->proc, &err);
	if (!ep)
		return RET(err), cur;
	return install_new(cur, &ep->obj, MT_R_CALL | MT_R_RECV | MT_R_GRANT);
}

static struct thread *sys_handle_close(struct thread *cur)
{
	return RET(ht_remove(&cur->proc->ht, ARG(0))), cur;
}

static struct thread *sys_handle_grant(struct thread *cur)
{
	struct process *target = cur->proc;
	if (ARG(0)) {
		struct handle *ph = lookup(cur, ARG(0), KOBJ_PROCESS, MT_R_CONTROL);
		if (!ph)
			return cur;
		target = (struct process *)ph->obj;
		if (target->state != P_ALIVE)
			return RET(MT_ESTATE), cur;
	}
	struct handle *src = lookup(cur, ARG(1), KOBJ_NONE, MT_R_GRANT);
	if (!src)
		return cur;
	uint64_t badge = ARG(3);
	if (src->badge && badge && badge != src->badge)
		return RET(MT_EPERM), cur; /* a badge, once set, is part of the identity */
	if (src->badge)
		badge = src->badge;
	long h = ht_insert(&target->ht, src->obj, (uint32_t)ARG(2) & src->rights, badge);
	if (h < 0)
		return RET(h), cur;
	ARG(1) = (uint64_t)h;
	return RET(MT_OK), cur;
}

/* SYS_PROC_CREATE: a process for a user-level loader to build; the kernel
 * reads no image (init loads every program but itself). Its quota, which
 * the caller chooses, is carved out of the caller's. */
static struct thread *sys_proc_create(struct thread *cur)
{
	char name[BOOTFS_NAME_MAX];
	struct mt_quota want;
	uint64_t len = ARG(2), prio = ARG(3), entry = ARG(5), flags = ARG(6);
	if (!lookup(cur, ARG(0), KOBJ_SPAWNER, MT_R_CONTROL))
		return cur;
	if (len == 0 || len >= sizeof(name) || prio > (uint64_t)cur->prio || entry < MT_USER_BASE ||
	    entry >= MT_USER_HEAP || (entry & 3) || (flags & ~(uint64_t)MT_SPAWN_CONSOLE))
		return RET(MT_EINVAL), cur;
	int rc = copy_from_user(cur->proc, name, ARG(1), len);
	if (rc == MT_OK)
		rc = copy_from_user(cur->proc, &want, ARG(4), sizeof(want));
	if (rc != MT_OK)
		return RET(rc), cur;
	name[len] = '\0';
	size_t quota[MT_Q_KINDS];
	for (unsigned k = 0; k < MT_Q_KINDS; k++)
		quota[k] = want.n[k];
	int err;
	struct process *p = process_create(name, cur->proc, quota, (int)prio, &err);
	if (!p)
		return RET(err), cur;
	/* Only a right the creator has itself can be passed on. */
	p->console = (flags & MT_SPAWN_CONSOLE) && cur->proc->console;
	rc = process_setup_main(p, entry);
	long h = rc == MT_OK ? ht_insert(&cur->proc->ht, &p->obj, MT_R_ALL, 0) : rc;
	if (h < 0) {
		p->parent = 0;
		process_exit(p, MT_CHILD_EXITED, 0, 0, 0, 0);
		return RET(h), cur;
	}
	ARG(1) = (uint64_t)h;
	return RET(MT_OK), cur;
}

/* The process a loader still builds: a CONTROL handle, never started. */
static struct process *unstarted(struct thread *cur, uint64_t h)
{
	struct handle *ph = lookup(cur, h, KOBJ_PROCESS, MT_R_CONTROL);
	if (!ph)
		return 0;
	struct process *p = (struct process *)ph->obj;
	if (!process_not_started(p)) {
		RET(MT_ESTATE);
		return 0;
	}
	return p;
}

static struct thread *sys_proc_map(struct thread *cur)
{
	struct process *p = unstarted(cur, ARG(0));
	if (!p)
		return cur;
	if (ARG(3) >> 32)
		return RET(MT_EINVAL), cur;
	return RET(process_map_anon(p, ARG(1), ARG(2), (unsigned)ARG(3))), cur;
}

static struct thread *sys_proc_write(struct thread *cur)
{
	static uint8_t bounce[512];
	struct process *p = unstarted(cur, ARG(0));
	if (!p)
		return cur;
	uint64_t dst = ARG(1), src = ARG(2), len = ARG(3);
	while (len) {
		size_t n = len < sizeof(bounce) ? len : sizeof(bounce);
		int rc = copy_from_user(cur->proc, bounce, src, n);
		if (rc == MT_OK)
			rc = copy_to_unstarted(p, dst, bounce, n);
		if (rc != MT_OK)
			return RET(rc), cur;
		dst += n;
		src += n;
		len -= n;
	}
	return RET(MT_OK), cur;
}

static struct thread *sys_proc_start(struct thread *cur)
{
	struct handle *h = lookup(cur, ARG(0), KOBJ_PROCESS, MT_R_CONTROL);
	if (!h)
		return cur;
	struct process *p = (struct process *)h->obj;
	if (p->state != P_ALIVE || !p->main_thread || p->main_thread->state != T_INACTIVE)
		return RET(MT_ESTATE), cur;
	p->main_thread->regs.x[0] = ARG(1);
	p->main_thread->regs.x[1] = ARG(2);
	sched_ready(p->main_thread);
	return RET(MT_OK), cur;
}

static struct thread *sys_wait_child(struct thread *cur)
{
	struct mt_child_event ev;
	memset(&ev, 0, sizeof(ev));
	/* Fail early on a bad buffer rather than after a child died. */
	int rc = copy_to_user(cur->proc, ARG(0), &ev, sizeof(ev));
	if (rc != MT_OK)
		return RET(rc), cur;
	if (process_wait_child(cur->proc, &ev) == MT_OK)
		return RET(copy_to_user(cur->proc, ARG(0), &ev, sizeof(ev))), cur;
	int children = 0;
	for (unsigned i = 0; i < MAX_PROCS; i++)
		if (procs[i].parent == cur->proc && procs[i].state == P_ALIVE)
			children = 1;
	if (!children)
		return RET(MT_ENOENT), cur;
	cur->state = T_BLOCKED_CHILD;
	cur->timed = ARG(1) != 0;
	cur->wake_at = cur->timed ? arch_counter() + ns_to_ticks(ARG(1)) : 0;
	return sched_next();
}

static struct thread *sys_mem_map(struct thread *cur)
{
	if (ARG(2) >> 32) /* unknown protection bits the cast below would drop */
		return RET(MT_EINVAL), cur;
	return RET(process_map_anon(cur->proc, ARG(0), ARG(1), (unsigned)ARG(2))), cur;
}

static struct thread *sys_mem_unmap(struct thread *cur)
{
	return RET(process_unmap(cur->proc, ARG(0), ARG(1))), cur;
}

static struct thread *sys_shm_create(struct thread *cur)
{
	int err;
	struct shm *s = shm_create(cur->proc, ARG(0), &err);
	if (!s)
		return RET(err), cur;
	return install_new(cur, &s->obj, MT_R_GRANT | MT_R_MAP_R | MT_R_MAP_W | MT_R_REVOKE);
}

/* A shared-memory object over normal-world pages, for the gateway (it holds
 * the NSMEM capability): every page must be normal-world RAM. */
static struct thread *sys_nsshm_create(struct thread *cur)
{
	static paddr_t pages[SHM_MAX_PAGES];
	uint64_t n = ARG(2);
	if (!lookup(cur, ARG(0), KOBJ_NSMEM, MT_R_CONTROL))
		return cur;
	if (n == 0 || n > SHM_MAX_PAGES)
		return RET(MT_EINVAL), cur;
	int rc = copy_from_user(cur->proc, pages, ARG(1), n * sizeof(pages[0]));
	if (rc != MT_OK)
		return RET(rc), cur;
	int err;
	struct shm *s = shm_create_ns(cur->proc, pages, (unsigned)n, &err);
	if (!s)
		return RET(err), cur;
	return install_new(cur, &s->obj, MT_R_GRANT | MT_R_MAP_R | MT_R_MAP_W | MT_R_REVOKE);
}

static struct thread *sys_shm_map(struct thread *cur)
{
	if (ARG(2) >> 32) /* unknown protection bits the cast below would drop */
		return RET(MT_EINVAL), cur;
	unsigned prot = (unsigned)ARG(2);
	/* Every mapping is readable (AArch64 has no write-only pages), so the
	 * read right is always needed. */
	uint32_t need = MT_R_MAP_R | ((prot & MT_PROT_W) ? MT_R_MAP_W : 0);
	struct handle *h = lookup(cur, ARG(0), KOBJ_SHM, need);
	if (!h)
		return cur;
	struct shm *s = (struct shm *)h->obj;
	if (s->revoked)
		return RET(MT_ESTATE), cur;
	int rc = process_map_shm(cur->proc, s, ARG(1), prot);
	if (rc == MT_OK)
		ARG(1) = s->npages * PAGE_SIZE;
	return RET(rc), cur;
}

/* Maps part of a device range: read-only needs MAP_R, read-write MAP_W
 * too; never executable. */
static struct thread *sys_devmem_map(struct thread *cur)
{
	uint64_t va = ARG(1), offset = ARG(2), size = ARG(3), prot = ARG(4);
	if (prot & ~(uint64_t)(MT_PROT_R | MT_PROT_W) || !(prot & MT_PROT_R))
		return RET(MT_EINVAL), cur;
	uint32_t need = MT_R_MAP_R | ((prot & MT_PROT_W) ? MT_R_MAP_W : 0);
	struct handle *h = lookup(cur, ARG(0), KOBJ_DEVMEM, need);
	if (!h)
		return cur;
	struct devmem *d = (struct devmem *)h->obj;
	paddr_t pa;
	int rc = devmem_range(d, offset, size, &pa);
	if (rc == MT_OK)
		rc = process_map_devmem(cur->proc, pa, va, size,
					pt_devmem_attrs((unsigned)prot, d->flags & MT_DEVMEM_DEVICE));
	return RET(rc), cur;
}

static struct thread *sys_devmem_info(struct thread *cur)
{
	struct handle *h = lookup(cur, ARG(0), KOBJ_DEVMEM, 0);
	if (!h)
		return cur;
	struct devmem *d = (struct devmem *)h->obj;
	ARG(1) = d->base;
	ARG(2) = d->size;
	ARG(3) = d->flags;
	return RET(MT_OK), cur;
}

static struct thread *sys_thread_create(struct thread *cur)
{
	uint64_t entry = ARG(0), sp = ARG(1), prio = ARG(3);
	if (prio > (uint64_t)cur->prio || entry < MT_USER_BASE || entry >= MT_USER_TOP || (entry & 3) ||
	    sp < MT_USER_BASE || sp > MT_USER_TOP || (sp & 15))
		return RET(MT_EINVAL), cur;
	int err;
	struct thread *t = thread_create(cur->proc, entry, sp, ARG(2), (int)prio, &err);
	if (!t)
		return RET(err), cur;
	long h = ht_insert(&cur->proc->ht, &t->obj, MT_R_CONTROL, 0);
	if (h < 0) {
		cur->proc->nthreads--;
		thread_free(t);
		return RET(h), cur;
	}
	t->regs.tpidr = 0;
	sched_ready(t);
	ARG(1) = (uint64_t)h;
	return RET(MT_OK), cur;
}

static struct thread *sys_sleep(struct thread *cur)
{
	uint64_t ns = ARG(0); /* read it before RET overwrites x0 */
	RET(MT_OK);
	if (ns == 0) {
		cur->yielded = 1;
		sched_preempt_current();
		return sched_next();
	}
	sched_sleep(cur, arch_counter() + ns_to_ticks(ns));
	return sched_next();
}

struct thread *sys_time(struct thread *cur)
{
	ARG(1) = arch_counter();
	ARG(2) = arch_counter_freq();
	return RET(MT_OK), cur;
}

static struct thread *sys_cpu_info(struct thread *cur)
{
	ARG(1) = arch_cpu_features();
	return RET(MT_OK), cur;
}

static struct thread *sys_poweroff(struct thread *cur)
{
	if (!lookup(cur, ARG(0), KOBJ_SPAWNER, MT_R_CONTROL))
		return cur;
	printk("[kernel] power off requested by pid %u (%s)\n", cur->proc->pid, cur->proc->name);
	rv_report();
	arch_poweroff();
}

static struct thread *sys_proc_kill(struct thread *cur)
{
	struct handle *h = lookup(cur, ARG(0), KOBJ_PROCESS, MT_R_CONTROL);
	if (!h)
		return cur;
	struct process *p = (struct process *)h->obj;
	if (p->state != P_ALIVE)
		return RET(MT_ESTATE), cur;
	RET(MT_OK);
	process_exit(p, MT_CHILD_KILLED, 0, 0, 0, 0);
	if (cur->state == T_RUNNING)
		return cur;
	return sched_next();
}

static struct thread *sys_proc_info(struct thread *cur)
{
	struct process *p = cur->proc;
	if (ARG(0)) {
		struct handle *h = lookup(cur, ARG(0), KOBJ_PROCESS, MT_R_CONTROL);
		if (!h)
			return cur;
		p = (struct process *)h->obj;
	}
	struct mt_proc_info info = {
		.pid = p->pid,
		.pages_used = p->quota.used[MT_Q_PAGES],
		.page_quota = p->quota.limit[MT_Q_PAGES],
		.threads = p->nthreads,
		.handles = p->ht.used,
		.kernel_free_pages = kpmm.nfree,
		.kernel_total_pages = kpmm.npages,
	};
	size_t pool_free[MT_Q_KINDS];
	kernel_pool_free(pool_free);
	for (unsigned k = 0; k < MT_Q_KINDS; k++) {
		info.used[k] = p->quota.used[k];
		info.lent[k] = p->quota.lent[k];
		info.quota[k] = p->quota.limit[k];
		info.kernel_free[k] = pool_free[k];
	}
	return RET(copy_to_user(cur->proc, ARG(1), &info, sizeof(info))), cur;
}

static struct thread *sys_bench_ctl(struct thread *cur)
{
	if (!lookup(cur, ARG(0), KOBJ_SPAWNER, MT_R_CONTROL))
		return cur;
	switch (ARG(1)) {
	case MT_BENCH_PMU_ENABLE:
		kernel_bench_ctl_pmu();
		return RET(MT_OK), cur;
	case MT_BENCH_KERNEL_INFO:
		ARG(1) = kernel_image_bytes();
		ARG(2) = kernel_secure_ram_used();
		return RET(MT_OK), cur;
	case MT_BENCH_RV_REPORT:
		rv_report();
		return RET(MT_OK), cur;
	default:
		return RET(MT_EINVAL), cur;
	}
}

static struct thread *sys_nw_rpc(struct thread *cur)
{
	if (!lookup(cur, ARG(0), KOBJ_NWRPC, MT_R_CONTROL))
		return cur;
	uint64_t f = ARG(1);
	if (f != OPTEE_SMC_RETURN_RPC_ALLOC && f != OPTEE_SMC_RETURN_RPC_FREE &&
	    f != OPTEE_SMC_RETURN_RPC_CMD)
		return RET(MT_EINVAL), cur; /* FOREIGN_INTR is the kernel's own */
	if ((ARG(2) | ARG(3)) >> 32)
		return RET(MT_EINVAL), cur; /* the SMC ABI's registers are 32 bits wide */
	return nwcall_rpc(cur, f, ARG(2), ARG(3));
}

static struct thread *sys_shm_revoke(struct thread *cur)
{
	struct handle *h = lookup(cur, ARG(0), KOBJ_SHM, MT_R_REVOKE);
	if (!h)
		return cur;
	shm_revoke((struct shm *)h->obj, cur->proc);
	return RET(MT_OK), cur;
}

static struct thread *sys_dispatch_set(struct thread *cur)
{
	return RET(dispatch_set(cur, ARG(0), ARG(1), ARG(2), ARG(3), ARG(4))), cur;
}

static struct thread *sys_dispatch_return(struct thread *cur)
{
	int rc = dispatch_return(cur);
	if (rc != MT_OK)
		RET(rc);
	return cur; /* on success every register is the frame's */
}

typedef struct thread *(*syscall_fn)(struct thread *cur);

static const syscall_fn syscalls[SYS_COUNT] = {
	[SYS_DEBUG_WRITE] = sys_debug_write,
	[SYS_EXIT] = sys_exit,
	[SYS_YIELD] = sys_yield,
	[SYS_CALL] = sys_call,
	[SYS_REPLY_RECV] = sys_reply_recv,
	[SYS_EP_CREATE] = sys_ep_create,
	[SYS_HANDLE_CLOSE] = sys_handle_close,
	[SYS_HANDLE_GRANT] = sys_handle_grant,
	[SYS_PROC_START] = sys_proc_start,
	[SYS_WAIT_CHILD] = sys_wait_child,
	[SYS_MEM_MAP] = sys_mem_map,
	[SYS_MEM_UNMAP] = sys_mem_unmap,
	[SYS_SHM_CREATE] = sys_shm_create,
	[SYS_SHM_MAP] = sys_shm_map,
	[SYS_THREAD_CREATE] = sys_thread_create,
	[SYS_SLEEP] = sys_sleep,
	[SYS_TIME] = sys_time,
	[SYS_POWEROFF] = sys_poweroff,
	[SYS_PROC_KILL] = sys_proc_kill,
	[SYS_PROC_INFO] = sys_proc_info,
	[SYS_BENCH_CTL] = sys_bench_ctl,
	[SYS_THREAD_EXIT] = sys_thread_exit,
	[SYS_NSSHM_CREATE] = sys_nsshm_create,
	[SYS_DEVMEM_MAP] = sys_devmem_map,
	[SYS_DEVMEM_INFO] = sys_devmem_info,
	[SYS_NW_RPC] = sys_nw_rpc,
	[SYS_PROC_CREATE] = sys_proc_create,
	[SYS_PROC_MAP] = sys_proc_map,
	[SYS_PROC_WRITE] = sys_proc_write,
	[SYS_SHM_REVOKE] = sys_shm_revoke,
	[SYS_CPU_INFO] = sys_cpu_info,
	[SYS_DISPATCH_SET] = sys_dispatch_set,
	[SYS_DISPATCH_RETURN] = sys_dispatch_return,
};

/* Runs the call in cur's registers; returns the thread to resume. */
struct thread *syscall_dispatch(struct thread *cur)
{
	if (__builtin_expect(cur->disp.hi != 0, 0) && dispatch_wanted(cur)) {
		/* Not a MicroTEE call: the thread's own handler takes it. A
		 * frame it unmapped since leaves no way to it. */
		uint64_t frame = cur->disp.frame;
		if (dispatch_enter(cur) == MT_OK)
			return cur;
		printk("[kernel] fault: pid %u (%s) dispatch frame 0x%lx not writable: process "
		       "killed\n",
		       cur->proc->pid, cur->proc->name, (unsigned long)frame);
		process_exit(cur->proc, MT_CHILD_FAULTED, 0, MT_FAULT_OTHER, frame, 0);
		return sched_next();
	}
	uint64_t n = cur->regs.x[8];
	if (n >= SYS_COUNT || !syscalls[n]) {
		RET(MT_ENOSYS);
		return cur;
	}
	return syscalls[n](cur);
}
