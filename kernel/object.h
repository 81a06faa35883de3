/* The microkernel's objects: processes (address space + handle table),
 * threads, IPC endpoints and shared-memory objects. */
#ifndef KERNEL_OBJECT_H
#define KERNEL_OBJECT_H
#include "handle.h"
#include "pagetable.h"
#include "quota.h"
#include "rv_ipc.h"
#include "rv_thread.h"

#define MAX_PROCS 32
#define MAX_THREADS 96
#define MAX_ENDPOINTS 96
#define MAX_SHMS 72
#define MAX_DEVMEMS 8
#define PROC_MAX_SHM_MAPS 32
#define SHM_MAX_PAGES 256
#define NPRIO 32

/* Saved user state; start of struct thread, layout shared with entry.S. */
struct regs {
	uint64_t x[31];
	uint64_t sp, elr, spsr;
	uint64_t tpidr; /* TPIDR_EL0: the user's thread pointer */
	uint64_t pad;
};
#define REGS_SIZE (36 * 8)

struct fpstate {
	__uint128_t q[32];
	uint64_t fpsr, fpcr;
};

enum thread_state {
	T_FREE = 0,      /* slot unused */
	T_INACTIVE,      /* created, not started */
	T_RUNNING,       /* the current thread */
	T_READY,         /* on a run queue */
	T_BLOCKED_SEND,  /* queued on an endpoint to deliver a call */
	T_BLOCKED_RECV,  /* queued on an endpoint waiting for a call */
	T_BLOCKED_REPLY, /* its call was received; waiting for the reply */
	T_BLOCKED_CHILD, /* in SYS_WAIT_CHILD */
	T_SLEEPING,      /* in SYS_SLEEP */
	T_BLOCKED_RPC,   /* in SYS_NW_RPC: waiting for the normal world's answer */
	T_DEAD,
};

struct endpoint;
struct process;

struct thread {
	struct regs regs; /* must stay first */
	struct kobj obj;
	enum thread_state state;
	uint8_t rv_ipc;    /* verify/ipc.dot: its call (rv_ipc_event) */
	uint8_t rv_thread; /* verify/thread.dot: its lifecycle and run queue */
	int prio;
	struct process *proc;
	struct thread *qnext, *qprev;   /* run queue or endpoint queue */
	struct endpoint *ep;            /* endpoint queued on */
	struct thread *caller;          /* the client waiting for our reply */
	struct thread *server;          /* when BLOCKED_REPLY: who holds our call */
	uint64_t badge;                 /* badge of the call being sent */
	uint64_t wake_at;               /* counter value for SLEEPING / timed waits */
	int timed;                      /* wait has a deadline */
	uint32_t nwcall;                /* the normal-world call it works for (nwentry.c), 0: none */
	struct {                        /* SYS_DISPATCH_SET (dispatch.c); hi = 0: off */
		uint64_t lo, hi, handler, frame, sp;
	} disp;
	int yielded;                    /* ready after SYS_YIELD: its priority's last choice (sched.c) */
	int fp_used;
	struct fpstate fp;
};

struct endpoint {
	struct kobj obj;
	struct process *owner; /* charged for it; 0: the kernel's own */
	struct thread *send_head, *send_tail; /* callers waiting for a receiver */
	struct thread *recv_head, *recv_tail; /* receivers waiting for a caller */
};

struct shm {
	struct kobj obj;
	struct process *owner; /* charged for it (and its secure pages) */
	unsigned npages;
	unsigned nmaps; /* mappings of it, in every process (each holds a reference) */
	int ns; /* normal-world pages: not ours to free, mapped non-secure */
	int revoked; /* SYS_SHM_REVOKE: mapped nowhere, never again */
	paddr_t pages[SHM_MAX_PAGES];
};

/* A physical range of a device that a holder may map (SYS_DEVMEM_MAP). The
 * kernel creates them at boot; they are never freed, so a mapping holds no
 * reference and outlives the handle harmlessly: the range is fixed
 * hardware, never reused for anything else. */
struct devmem {
	struct kobj obj;
	paddr_t base;
	size_t size;    /* bytes, a multiple of the page size */
	unsigned flags; /* MT_DEVMEM_* */
};

/* Normal-world RAM the gateway may map (never secure memory). */
extern paddr_t nsram_base, nsram_end;

struct shm_map {
	struct shm *shm;
	vaddr_t va;
};

enum proc_state { P_FREE, P_ALIVE, P_ZOMBIE };

struct process {
	struct kobj obj;
	enum proc_state state;
	unsigned pid;
	char name[32];
	pte_t *l1;
	uint16_t asid;
	struct handle_table ht;
	struct process *parent;  /* supervises it; 0 once detached */
	struct process *creator; /* its quota was carved from this account; 0: init's */
	struct quota quota;
	int console; /* may write to the secure console (MT_SPAWN_CONSOLE) */
	unsigned nthreads;
	int max_prio;
	struct thread *main_thread;
	struct shm_map shm_maps[PROC_MAX_SHM_MAPS];
	/* Why it ended, until the parent collects it. */
	int reported;
	struct mt_child_event event;
};

/* Objects */
extern struct process procs[MAX_PROCS];
extern struct thread threads[MAX_THREADS];

/* process.c */
/* A new process, its quota carved out of parent's (parent 0: init, whose
 * quota is the one given: every pool, whole); the slot is charged to parent. */
struct process *process_create(const char *name, struct process *parent,
			       const size_t quota[MT_Q_KINDS], int max_prio, int *err);
/* Loads a flat image (include/microtee/flat.h: init's, from the boot file
 * system); the kernel reads no other program format. */
int process_load(struct process *p, const void *image, size_t len);
/* The stack and the main thread (not started) of a process built by a
 * user-level loader, or by process_load. */
int process_setup_main(struct process *p, vaddr_t entry);
/* Alive, with a main thread that has never run. */
int process_not_started(const struct process *p);
void process_exit(struct process *p, long reason, long code, unsigned long fault,
		  unsigned long addr, unsigned long esr);
paddr_t process_alloc_page(struct process *p);
void process_free_page(struct process *p, paddr_t pa);
int process_map_anon(struct process *p, vaddr_t va, size_t size, unsigned prot);
int process_unmap(struct process *p, vaddr_t va, size_t size);
int process_map_shm(struct process *p, struct shm *s, vaddr_t va, unsigned prot);
/* Removes every mapping p has of s. */
void process_unmap_shm(struct process *p, struct shm *s);
/* Maps the physical range [pa, pa + size) of a device at va with attrs
 * (pt_devmem_attrs). The pages belong to nobody: unmapping forgets them. */
int process_map_devmem(struct process *p, paddr_t pa, vaddr_t va, size_t size, pte_t attrs);
void process_release(struct process *p);
/* Free slots in the process pool. */
size_t process_pool_free(void);
int process_wait_child(struct process *parent, struct mt_child_event *ev);
/* Copies between kernel memory and the current process's user memory by
 * walking its tables: the kernel never dereferences a user address. */
int copy_from_user(struct process *p, void *dst, vaddr_t src, size_t len);
int copy_to_user(struct process *p, vaddr_t dst, const void *src, size_t len);
/* Like copy_to_user, read-only pages included, for a process that has not
 * started (MT_ESTATE otherwise). */
int copy_to_unstarted(struct process *p, vaddr_t dst, const void *src, size_t len);

/* thread.c */
struct thread *thread_create(struct process *p, vaddr_t entry, vaddr_t sp, uint64_t arg, int prio,
			     int *err);
void thread_destroy(struct thread *t);
/* Frees the slot of a thread that ended, or was never started and has no
 * handle, and refunds its process. */
void thread_free(struct thread *t);
size_t thread_pool_free(void);

/* sched.c */
void sched_ready(struct thread *t);       /* make runnable (tail of its queue) */
void sched_unready(struct thread *t);     /* remove from the run queue */
struct thread *sched_next(void);          /* pick and switch to the next thread */
void sched_preempt_current(void);          /* put current back on its queue */
void sched_tick(uint64_t now);
struct thread *sched_yield_to_higher(struct thread *t);
extern uint32_t rq_bitmap;

/* After a system call: a thread it woke that outranks the one about to
 * return to EL0 runs now rather than at the next tick. */
static inline struct thread *sched_after_syscall(struct thread *t)
{
	if (__builtin_expect(((uint64_t)rq_bitmap >> (t->prio + 1)) != 0, 0) && t->state == T_RUNNING)
		return sched_yield_to_higher(t);
	return t;
}
void sched_sleep(struct thread *t, uint64_t until);
void sched_wake_sleeper(struct thread *t);
void arch_switch_to(struct thread *prev, struct thread *next);
struct cpu;
/* A CPU's first entry (or its first after CPU_ON): its idle thread, no
 * current thread, no address space. Under the big kernel lock. */
void sched_init_cpu(struct cpu *c);
/* Whether t is a CPU's idle thread. */
int sched_is_idle(const struct thread *t);
/* At an interrupt: should the running thread give way? */
int sched_should_preempt(void);
/* entry.S, just before the eret to t: checks it, releases the lock. */
struct thread *kernel_return(struct thread *t);

/* syscall.c */
struct thread *syscall_dispatch(struct thread *cur);
/* SYS_TIME: reads the counter, touches nothing shared (taken without the
 * big kernel lock: arch.c). */
struct thread *sys_time(struct thread *cur);

/* main.c */
/* Where normal-world calls go (the gateway receives); holds a reference. */
extern struct endpoint *nw_endpoint;

/* nwentry.c */
/* SYS_NW_RPC for cur (its arguments checked): returns the thread to run. */
struct thread *nwcall_rpc(struct thread *cur, uint64_t func, uint64_t a1, uint64_t a2);
/* A thread blocked in SYS_NW_RPC goes away: its RPC is withdrawn or its
 * answer dropped. */
void nwcall_rpc_forget(struct thread *t);
extern struct kobj nwrpc_obj;
/* The monitor loaded a normal world (the kernel then idles into it). */
extern int nw_present;
/* Returns this CPU's call (if any) and gives the CPU to the normal world
 * until a yielding call needs the secure one. */
void nw_idle(void);
/* A normal-world interrupt while a thread ran: the same, at once. */
void nw_foreign_intr(void);
/* This CPU's call is done, or has an RPC to send: it must return now. */
int nw_return_due(void);
/* The CPU where the normal-world call `tag` (a thread's nwcall) is active,
 * or -1: not in the secure world, ended, or no call. */
int nw_call_cpu(uint32_t tag);
/* Whether `tag` names a normal-world call in flight (in the secure world
 * or out in the normal world), not one that ended. */
int nw_call_live(uint32_t tag);
/* This CPU's call is done (not an RPC to send). */
int nw_done_due(void);
void nw_init(void);
/* A CPU's first entry: its state; the first return starts the normal world. */
void nw_cpu_start(void);

/* endpoint.c */
/* A new endpoint charged to owner (MT_EQUOTA over its quota, MT_ENOSPACE
 * if the pool is full); 0 on failure with *err set. */
struct endpoint *endpoint_create(struct process *owner, int *err);
/* An endpoint the kernel itself keeps a pointer to (the normal-world call
 * endpoint): created holding a reference of the kernel's own, so closing
 * every handle to it never frees it (nor lets endpoint_create reuse it). */
struct endpoint *endpoint_create_kernel(void);
void endpoint_send_from_kernel(struct endpoint *ep, struct thread *t);
/* SYS_CALL and SYS_REPLY_RECV for cur: return the thread to run. */
struct thread *sys_call(struct thread *cur);
struct thread *sys_reply_recv(struct thread *cur);
void endpoint_cancel(struct thread *t);
void ipc_wake_caller(struct thread *c);
void endpoint_release(struct endpoint *ep);
/* Every endpoint charged to `from` is charged to `to` from now on. */
void endpoint_reparent(struct process *from, struct process *to);
size_t endpoint_pool_free(void);

/* devmem.c */
/* A new device range (page-aligned, not empty), or 0 if the pool is full. */
struct devmem *devmem_create(paddr_t base, size_t size, unsigned flags);
/* Checks that [offset, offset + size) is a page-aligned, non-empty part of
 * d; gives its physical start. MT_EINVAL otherwise. */
int devmem_range(const struct devmem *d, uint64_t offset, uint64_t size, paddr_t *pa);

/* shm.c */
struct shm *shm_create(struct process *owner, size_t size, int *err);
/* A shared-memory object over normal-world pages; every address must be a
 * page in [nsram_base, nsram_end). */
struct shm *shm_create_ns(struct process *owner, const paddr_t *pages, unsigned npages, int *err);
void shm_release(struct shm *s);
/* Every object charged to `from` is charged to `to` from now on. */
void shm_reparent(struct process *from, struct process *to);
size_t shm_pool_free(void);
/* Unmaps s from every process and refuses it to SYS_SHM_MAP from now on.
 * Every handle to s outside `keeper` (the revoker) then names a dead
 * object instead, so copies a process kept cannot hold s, and the pool
 * slot its creator is charged for, alive. */
void shm_revoke(struct shm *s, const struct process *keeper);

#endif
