/* Per-CPU kernel state, the big kernel lock and cross-CPU signals (smp.c). */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H
#include "../platform/qemu-virt/platform.h"

/* CPUs the kernel has state for (QEMU virt has up to PLAT_MAX_CPUS; the
 * secure RAM left for init's quota plan pays for these stacks). On a CPU
 * beyond, the kernel does not run: Trusted OS calls there are refused. */
#define KERNEL_MAX_CPUS 4
#define KSTACK_SIZE     8192
/* The Secure Group 1 SGI one CPU sends another: "look at your state" (a
 * thread for you is ready, your call finished or has an RPC to send, stop
 * using a process that is being torn down). SGIs 0..7 are the normal
 * world's. */
#define KERNEL_SGI_KICK PLAT_SGI_SECURE_KICK
/* Where struct cpu keeps its stack top, for entry.S (smp.c checks it). */
#define CPU_STACK_TOP 0

#ifndef __ASSEMBLER__
#include "object.h"

/* One per CPU, found through TPIDR_EL1 (the monitor keeps it per world).
 * Fields are written by their own CPU under the big kernel lock unless
 * they say otherwise; other CPUs read them under the lock. */
struct cpu {
	uint64_t stack_top;      /* this CPU's kernel stack (entry.S) */
	unsigned id;             /* Aff0: 0..KERNEL_MAX_CPUS-1 */
	struct thread *current;  /* the thread it runs (its idle thread when it has none); 0 in the
	                            normal world */
	struct process *vspace;  /* whose table TTBR0 holds; 0: the kernel's */
	struct thread *fp_owner; /* whose FP/SIMD state the registers hold (others clear it in
	                            thread_destroy) */
	int fp_on;               /* CPACR_EL1.FPEN as last written */
	int nw_active; /* nwentry.c: the normal-world call in the secure world here, or -1 */
	uint64_t nw_next_return[8]; /* nwentry.c: the SMC that goes back to the monitor */
	/* A stall request (smp_stall): the requester, holding the lock, bumps
	 * stall_req; this CPU, out of every address space and spinning for the
	 * lock (or idle), copies it to stall_ack. Written without the lock. */
	volatile uint32_t stall_req, stall_ack;
	struct thread idle; /* this CPU's idle thread (sched.c) */
	int lockless;       /* in a system call that takes no lock (arch.c) */
	uint64_t bg_tick;   /* sched.c: the last tick background work may run in before a
	                       done call returns; 0: none began */
};

extern struct cpu kernel_cpus[KERNEL_MAX_CPUS];
/* CPUs the platform has (PSCI tells at boot). With 1, no other CPU can ever
 * run a thread, and the lock and the SMP hand-offs are skipped. */
extern unsigned kernel_ncpus;
/* Bit n: CPU n runs its idle thread, with a normal-world call it carries
 * (sched.c); a thread for it that becomes ready kicks it. */
extern uint32_t smp_idle_mask;

#ifdef __aarch64__
/* Not volatile: TPIDR_EL1 is written once per CPU (cpu_init_this, before
 * any use) and never changes under a running kernel, so the compiler may
 * reuse one read (as Linux's arm64 `current` does with SP_EL0). */
static inline struct cpu *cpu_this(void)
{
	struct cpu *c;
	__asm__("mrs %0, tpidr_el1" : "=r"(c));
	return c;
}
/* The big kernel lock's SMP half (smp.c). With one CPU there is no lock:
 * the inline wrappers below cost a load and a branch on every kernel entry
 * and exit instead of a call. */
void bkl_acquire_smp(void);
void bkl_release_smp(void);
int bkl_held_smp(void);
static inline void bkl_acquire(void)
{
	if (kernel_ncpus > 1)
		bkl_acquire_smp();
}
static inline void bkl_release(void)
{
	if (kernel_ncpus > 1)
		bkl_release_smp();
}
/* Whether this CPU holds the lock (always, with one CPU). */
static inline int bkl_held(void)
{
	return kernel_ncpus == 1 || bkl_held_smp();
}
#define kassert_locked() kassert(bkl_held())
#else
/* Host unit tests (tests/unit): the test says which CPU runs; no lock. */
extern struct cpu *unit_cpu;
static inline struct cpu *cpu_this(void)
{
	return unit_cpu;
}
#define kassert_locked() ((void)0)
#endif

/* The running thread of this CPU. */
#define cur_thread (cpu_this()->current)

/* This CPU's per-CPU block and stack pointer (TPIDR_EL1), before anything
 * else runs on it. */
void cpu_init_this(unsigned id);
/* How many CPUs the platform has (asks the monitor through PSCI). */
void smp_probe_cpus(void);

#ifndef __aarch64__
/* The big kernel lock (inline above on the target). While this CPU waits
 * for it, it answers stall requests. */
void bkl_acquire(void);
void bkl_release(void);
int bkl_held(void); /* by this CPU */
#endif

/* Sends KERNEL_SGI_KICK to CPU `id` (not this one). */
void smp_kick(unsigned id);
/* Kicks one idle CPU other than this one, if there is one. */
void smp_kick_idle(void);
/* Holding the lock: every other CPU in `cpus` (a bit mask) leaves whatever
 * address space it has and waits for the lock; returns once each has. A
 * CPU that then finds its thread gone picks another (kernel_return). */
void smp_stall(uint32_t cpus);
/* This CPU answers a stall request, if one is pending. */
void smp_stall_answer(void);
#endif
#endif
