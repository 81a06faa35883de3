/* Every CPU runs the kernel; one lock serialises it.
 *
 * THE BIG KERNEL LOCK (BKL). The kernel's state (objects, queues, the run
 * queues, nwentry's calls, every struct cpu's shared fields) is shared by
 * all CPUs and guarded by one lock (test-and-set, below), as seL4 does on
 * SMP. A CPU holds it for the whole time it runs kernel code, with
 * interrupts masked:
 *   - taken on every entry (but SYS_TIME's, which touches nothing shared:
 *     arch.c): an exception from a thread (SVC, IRQ, FIQ,
 *     SError from EL0, or IRQ and FIQ from a CPU's idle thread;
 *     el0_*_handler) and every return from the monitor into the kernel
 *     (after the SMC in nwentry.c's switch_to_ns: a normal-world call, a
 *     secure interrupt that came in the normal world, a CPU's first entry);
 *   - released on every exit: the return to a thread (kernel_return, just
 *     before the eret) and the SMC that hands the CPU to the monitor
 *     (switch_to_ns). It is never held across a world switch, and never
 *     released in the middle of a kernel operation.
 * LOCK ORDER: the BKL is the only lock in the kernel, so there is no order
 * to keep. One wait happens under it: smp_stall (process_exit), for other
 * CPUs to leave an address space; they answer from their wait for the lock
 * (bkl_acquire), never needing it, so the wait cannot deadlock. The monitor
 * has no lock: its state is per CPU.
 *
 * Per CPU (struct cpu, at TPIDR_EL1): the kernel stack, the current thread,
 * the idle thread, the address space TTBR0 holds, the FP/SIMD owner, the
 * normal-world call the CPU carries and the SMC it returns with. The secure
 * timer is per CPU too (each CPU's own CNTPS, PPI 29 of its redistributor).
 * Where threads run (affinity) is sched.c's. */
#include "smp.h"

#include "../include/microtee/smc.h"
#include "arch.h"
#include "arch/aarch64/sysreg.h"

_Static_assert(__builtin_offsetof(struct cpu, stack_top) == CPU_STACK_TOP, "entry.S: cpu layout");
_Static_assert(KERNEL_MAX_CPUS <= 32, "smp_idle_mask and stall masks are 32 bits");

struct cpu kernel_cpus[KERNEL_MAX_CPUS];
unsigned kernel_ncpus = 1;
uint32_t smp_idle_mask;
uint8_t kernel_stacks[KERNEL_MAX_CPUS][KSTACK_SIZE] __attribute__((aligned(16))); /* entry.S */

void cpu_init_this(unsigned id)
{
	kassert(id < KERNEL_MAX_CPUS);
	struct cpu *c = &kernel_cpus[id];
	c->id = id;
	c->stack_top = (uint64_t)&kernel_stacks[id][KSTACK_SIZE];
	write_sysreg(tpidr_el1, (uint64_t)c);
	isb();
}

/* PSCI AFFINITY_INFO answers INVALID_PARAMETERS for a CPU the platform does
 * not have. */
void smp_probe_cpus(void)
{
	unsigned n = 1;
	for (unsigned i = 1; i < KERNEL_MAX_CPUS; i++) {
		uint64_t r[8] = {PSCI_AFFINITY_INFO | SMCCC_SMC64, i, 0};
		arch_smc(r);
		if ((long)r[0] >= 0)
			n = i + 1;
	}
	kernel_ncpus = n;
}

/* ---- the lock: test-and-set on an exclusive pair ----
 * Not a ticket lock: under an emulator or hypervisor the vCPU that is next
 * in line may be descheduled, and a ticket lock then stops everyone behind
 * it even while the lock is free. The holder is only preempted by the
 * host, never by the kernel. */

static struct {
	volatile uint32_t taken;
	volatile int holder; /* CPU id + 1; 0: free (for assertions) */
} bkl;

static int bkl_try(void)
{
	uint32_t old, fail;
	__asm__ volatile("   ldaxr %w0, [%2]\n"
	                 "   cbnz %w0, 1f\n"
	                 "   stxr %w1, %w3, [%2]\n"
	                 "   b 2f\n"
	                 "1: clrex\n"
	                 "   mov %w1, #1\n"
	                 "2:\n"
	                 : "=&r"(old), "=&r"(fail)
	                 : "r"(&bkl.taken), "r"(1)
	                 : "memory");
	return fail == 0;
}

void bkl_acquire_smp(void)
{
	while (!bkl_try()) {
		do {
			smp_stall_answer();
			__asm__ volatile("yield" ::: "memory");
		} while (bkl.taken);
	}
	kassert(bkl.holder == 0);
	bkl.holder = (int)cpu_this()->id + 1;
}

void bkl_release_smp(void)
{
	kassert(bkl.holder == (int)cpu_this()->id + 1);
	bkl.holder = 0;
	__asm__ volatile("stlr wzr, [%0]\n"
	                 "sev" ::"r"(&bkl.taken)
	                 : "memory");
}

int bkl_held_smp(void)
{
	return bkl.holder == (int)cpu_this()->id + 1;
}

/* ---- signals between CPUs ---- */

/* ICC_SGI1R_EL1 in the secure state: a Secure Group 1 SGI. QEMU virt: a
 * CPU's Aff0 is its index, Aff1..3 are 0. */
#define ICC_SGI1R_EL1 s3_0_c12_c11_5

void smp_kick(unsigned id)
{
	kassert(id < KERNEL_MAX_CPUS && id != cpu_this()->id);
	dsb(ish);
	write_sysreg(ICC_SGI1R_EL1, ((uint64_t)KERNEL_SGI_KICK << 24) | (1UL << id));
	isb();
}

void smp_kick_idle(void)
{
	uint32_t m = smp_idle_mask & ~(1U << cpu_this()->id);
	if (m)
		smp_kick((unsigned)__builtin_ctz(m));
}

void smp_stall_answer(void)
{
	struct cpu *c = cpu_this();
	uint32_t req = c->stall_req;
	if (req == c->stall_ack)
		return;
	/* Out of the address space first: it may be freed once we answer.
	 * Its TLB entries go with the requester's broadcast flush. */
	arch_vspace_leave();
	__asm__ volatile("dmb ish" ::: "memory");
	c->stall_ack = req;
	__asm__ volatile("dsb ish\n"
	                 "sev" ::
	                     : "memory");
}

void smp_stall(uint32_t cpus)
{
	kassert_locked();
	struct cpu *me = cpu_this();
	cpus &= ~(1U << me->id);
	for (unsigned i = 0; i < KERNEL_MAX_CPUS; i++) {
		if (!(cpus & (1U << i)))
			continue;
		kernel_cpus[i].stall_req++;
		smp_kick(i);
	}
	__asm__ volatile("dsb ish\n"
	                 "sev" ::
	                     : "memory");
	for (unsigned i = 0; i < KERNEL_MAX_CPUS; i++) {
		if (!(cpus & (1U << i)))
			continue;
		while (kernel_cpus[i].stall_ack != kernel_cpus[i].stall_req)
			__asm__ volatile("yield" ::: "memory");
		__asm__ volatile("dmb ish" ::: "memory");
	}
}
