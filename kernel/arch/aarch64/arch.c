/* AArch64 glue: exceptions from EL0, the GICv3 CPU interface, the secure
 * physical timer, address-space and lazy FP/SIMD switching. */
#include "../../../include/microtee/smc.h"
#include "../../../platform/qemu-virt/platform.h"
#include "../../arch.h"
#include "../../backtrace.h"
#include "../../dispatch.h"
#include "../../object.h"
#include "../../smp.h"
#include "sysreg.h"

int sched_should_preempt(void);
void fpsimd_save(struct fpstate *fp);
void fpsimd_restore(const struct fpstate *fp);
void arch_smc(uint64_t regs[8]);

static uint64_t tick_period;

#define TICK_HZ 100

/* ---- GIC and timer ---- */

#define GICD_CTLR 0x0000
#define GICD_CTLR_RWP (1U << 31)
#define GICR_TYPER 0x0008
#define GICR_TYPER_LAST (1U << 4)
#define GICR_WAKER 0x0014
#define GICR_SGI 0x10000
#define GICR_IGROUPR0 (GICR_SGI + 0x080)
#define GICR_ISENABLER0 (GICR_SGI + 0x100)
#define GICR_IPRIORITYR (GICR_SGI + 0x400)
#define GICR_IGRPMODR0 (GICR_SGI + 0xD00)

static inline volatile uint32_t *reg32(uintptr_t a)
{
	return (volatile uint32_t *)a;
}

/* This CPU's redistributor: the frame whose affinity is its MPIDR's. */
static uintptr_t gic_redist(void)
{
	uint64_t mpidr = read_sysreg(mpidr_el1);
	uint32_t aff = (uint32_t)((mpidr & 0xffffffUL) | ((mpidr >> 8) & 0xff000000UL));
	uintptr_t rd = PLAT_GICR_BASE;
	for (unsigned i = 0; i < KERNEL_MAX_CPUS; i++, rd += PLAT_GICR_STRIDE) {
		uint64_t typer = *(volatile uint64_t *)(rd + GICR_TYPER);
		if ((uint32_t)(typer >> 32) == aff)
			return rd;
		if (typer & GICR_TYPER_LAST)
			break;
	}
	panic("no GIC redistributor for MPIDR 0x%lx", (unsigned long)mpidr);
}

/* This CPU's part: its redistributor awake, the secure timer PPI and the
 * kick SGI Secure Group 1 and enabled, its CPU interface on. */
static void gic_init_cpu(void)
{
	uintptr_t rd = gic_redist();
	*reg32(rd + GICR_WAKER) &= ~(1U << 1);
	while (*reg32(rd + GICR_WAKER) & (1U << 2))
		;
	uint32_t mine = (1U << PLAT_INTID_SEC_PHYS_TIMER) | (1U << KERNEL_SGI_KICK);
	*reg32(rd + GICR_IGROUPR0) &= ~mine;
	*reg32(rd + GICR_IGRPMODR0) |= mine;
	*(volatile uint8_t *)(rd + GICR_IPRIORITYR + PLAT_INTID_SEC_PHYS_TIMER) = 0x80;
	*(volatile uint8_t *)(rd + GICR_IPRIORITYR + KERNEL_SGI_KICK) = 0x80;
	*reg32(rd + GICR_ISENABLER0) = mine;

	write_sysreg(ICC_SRE_EL1, 0x7);
	isb();
	write_sysreg(ICC_PMR_EL1, 0xff);
	write_sysreg(ICC_BPR1_EL1, 0);
	write_sysreg(ICC_IGRPEN1_EL1, 1);
	isb();
}

void gic_init(void)
{
	/* Affinity routing for both security states, both group-1s on. */
	*reg32(PLAT_GICD_BASE + GICD_CTLR) = (1U << 4) | (1U << 5) | (1U << 1) | (1U << 2);
	while (*reg32(PLAT_GICD_BASE + GICD_CTLR) & GICD_CTLR_RWP)
		;
	gic_init_cpu();
}

uint64_t arch_counter(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

uint64_t arch_counter_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

unsigned long arch_cpu_features(void)
{
	/* ID_AA64ISAR0_EL1.RNDR, bits [63:60]: 1 = FEAT_RNG. */
	uint64_t isar0 = read_sysreg(id_aa64isar0_el1);
	return (isar0 >> 60) & 0xf ? MT_CPU_RNDR : 0;
}

void timer_init(void)
{
	tick_period = arch_counter_freq() / TICK_HZ;
	write_sysreg(CNTPS_TVAL_EL1, tick_period);
	write_sysreg(CNTPS_CTL_EL1, 1);
	isb();
}

static uint64_t ticks;

uint64_t kernel_ticks(void)
{
	return ticks;
}

/* Acknowledges and handles every pending interrupt. */
void arch_irq_poll(void)
{
	for (;;) {
		uint64_t iar = read_sysreg(ICC_IAR1_EL1);
		unsigned id = iar & 0xffffff;
		if (id >= 1020)
			return;
		if (id == PLAT_INTID_SEC_PHYS_TIMER) {
			write_sysreg(CNTPS_TVAL_EL1, tick_period);
			ticks++;
			sched_tick(arch_counter());
		}
		/* KERNEL_SGI_KICK: what it asks for is in this CPU's state
		 * (el0_irq_handler looks). */
		write_sysreg(ICC_EOIR1_EL1, iar);
		isb();
	}
}

/* Without a normal world: nothing to run waits here, interrupts masked
 * (WFI wakes for a pending one all the same), then polls the GIC. */
void arch_idle_wait(void)
{
	__asm__ volatile("dsb sy; wfi" ::: "memory");
	arch_irq_poll();
}

/* A CPU's idle thread runs idle_loop (entry.S: WFI forever) at EL1t with
 * IRQ and FIQ unmasked, on no stack, in the kernel's address space: an
 * interrupt enters the kernel as one from a thread at EL0 would. */
#define SPSR_EL1T_IRQS_ON 0x304 /* EL1t; D and A masked, I and F not */
void idle_loop(void);

void arch_idle_init(struct thread *t)
{
	t->regs.elr = (uint64_t)idle_loop;
	t->regs.spsr = SPSR_EL1T_IRQS_ON;
}

/* ---- switching ----
 * FP/SIMD is switched lazily: the registers keep their owner's state until
 * another thread traps on its first use. With more than one CPU a thread
 * may next run elsewhere, so a CPU saves its owner's state whenever it
 * leaves that thread (switch, or the normal world). */

static void fp_enable(struct cpu *c, int on)
{
	if (on == c->fp_on)
		return;
	c->fp_on = on;
	write_sysreg(cpacr_el1, on ? 3UL << 20 : 0);
	isb();
}

static void fp_flush(struct cpu *c)
{
	if (c->fp_owner) {
		fp_enable(c, 1);
		fpsimd_save(&c->fp_owner->fp);
		c->fp_owner = 0;
	}
}

void arch_switch_to(struct thread *prev, struct thread *next)
{
	struct cpu *c = cpu_this();
	if (prev != next) {
		if (prev)
			prev->regs.tpidr = read_sysreg(tpidr_el0);
		write_sysreg(tpidr_el0, next->regs.tpidr);
		if (kernel_ncpus > 1)
			fp_flush(c);
	}
	struct process *p = next->proc;
	if (c->vspace != p) {
		if (p->l1) {
			write_sysreg(ttbr0_el1, va_to_pa(p->l1) | ((uint64_t)p->asid << 48));
			isb();
			c->vspace = p;
		} else if (c->vspace) { /* the idle thread: the kernel's table */
			arch_vspace_leave();
		}
	}
	fp_enable(c, next == c->fp_owner);
}

/* TPIDR_EL0 is saved into regs.tpidr only when a thread leaves its CPU:
 * while t runs here, the register holds its value. */
uint64_t arch_thread_tls(const struct thread *t)
{
	return t == cpu_this()->current ? read_sysreg(tpidr_el0) : t->regs.tpidr;
}

void arch_thread_set_tls(struct thread *t, uint64_t v)
{
	t->regs.tpidr = v;
	if (t == cpu_this()->current)
		write_sysreg(tpidr_el0, v);
}

void arch_cpu_leave(void)
{
	struct cpu *c = cpu_this();
	struct thread *t = c->current;
	kassert(!t || t->state != T_RUNNING);
	if (t)
		t->regs.tpidr = read_sysreg(tpidr_el0);
	c->current = 0;
	fp_flush(c);
	fp_enable(c, 0);
	if (c->vspace)
		arch_vspace_leave();
}

static void fp_trap(struct thread *t)
{
	struct cpu *c = cpu_this();
	fp_enable(c, 1);
	if (c->fp_owner)
		fpsimd_save(&c->fp_owner->fp);
	fpsimd_restore(&t->fp); /* zeroed for a thread's first use */
	c->fp_owner = t;
}

/* ---- exceptions ---- */

#define ESR_EC(esr) ((esr) >> 26)
#define EC_UNKNOWN 0x00
#define EC_FP 0x07
#define EC_SVC64 0x15
#define EC_IABT_LOW 0x20
#define EC_PC_ALIGN 0x22
#define EC_DABT_LOW 0x24
#define EC_SP_ALIGN 0x26

static const char *abort_kind(uint64_t esr)
{
	unsigned fsc = esr & 0x3f;
	if (fsc >= 0x04 && fsc <= 0x07)
		return "translation fault (unmapped)";
	if (fsc >= 0x0c && fsc <= 0x0f)
		return "permission fault";
	if (fsc >= 0x08 && fsc <= 0x0b)
		return "access flag fault";
	if (fsc == 0x21)
		return "alignment fault";
	return "abort";
}

static int read_frame(void *ctx, vaddr_t va, uint64_t rec[2])
{
	return copy_from_user(ctx, rec, va, 2 * sizeof(uint64_t));
}

/* Puts the faulting thread's registers and backtrace in p's child event
 * (its parent prints the report: services/init/crash.c). */
static void record_fault(struct process *p, const struct regs *r)
{
	struct mt_child_event *ev = &p->event;
	ev->pc = r->elr;
	ev->lr = r->x[30];
	ev->sp = r->sp;
	ev->fp = r->x[29];
	unsigned n;
	ev->bt_end = backtrace_walk(r->x[29], read_frame, p, ev->frames, MT_BT_MAX, &n);
	ev->nframes = n;
}

static struct thread *kill_current(unsigned long fault, const char *what, uint64_t addr, uint64_t esr)
{
	struct thread *t = cur_thread;
	struct process *p = t->proc;
	record_fault(p, &t->regs);
	printk("[kernel] fault: pid %u (%s) %s at 0x%lx, pc 0x%lx, esr 0x%lx: process killed\n", p->pid,
	       p->name, what, (unsigned long)addr, (unsigned long)t->regs.elr, (unsigned long)esr);
	process_exit(p, MT_CHILD_FAULTED, 0, fault, addr, esr);
	return sched_next();
}

/* Every handler below takes the big kernel lock first; kernel_return
 * (sched.c) releases it on the way back. The thread that was running may
 * have been ended by another CPU while this one waited for the lock (its
 * process torn down: smp_stall, thread_destroy): then there is no current
 * thread, and what it was doing is dropped. */
static __attribute__((noinline)) struct thread *el0_sync_other(uint64_t esr)
{
	struct cpu *c = cpu_this();
	/* SYS_TIME touches nothing shared, so with several CPUs it takes no
	 * lock (a TA polling the time would take it thousands of times a
	 * second). Its thread cannot go away meanwhile: that needs this CPU
	 * to answer a stall, which it does only waiting for the lock. A svc
	 * that goes to the process's own handler (dispatch.c: an OP-TEE TA's
	 * call 17 is cryp_state_free, not SYS_TIME) is not one: it takes the
	 * lock like any other. (dispatch_wanted reads only the thread's own
	 * registers and dispatch range.) */
	if (kernel_ncpus > 1) {
		if (ESR_EC(esr) == EC_SVC64 && c->current->regs.x[8] == SYS_TIME &&
		    !dispatch_wanted(c->current)) {
			c->lockless = 1;
			return sys_time(c->current);
		}
		bkl_acquire_smp();
		if (__builtin_expect(!c->current, 0)) /* (one CPU: nobody else ends it) */
			return sched_next();
	}
	struct thread *t = c->current;

	if (__builtin_expect(ESR_EC(esr) == EC_SVC64, 1))
		return sched_after_syscall(syscall_dispatch(t));
	switch (ESR_EC(esr)) {
	case EC_FP:
		fp_trap(t);
		return t;
	case EC_DABT_LOW:
		return kill_current(MT_FAULT_DATA_ABORT, abort_kind(esr), read_sysreg(far_el1), esr);
	case EC_IABT_LOW:
		return kill_current(MT_FAULT_INSN_ABORT, abort_kind(esr), read_sysreg(far_el1), esr);
	case EC_UNKNOWN:
		return kill_current(MT_FAULT_UNDEFINED, "undefined instruction", t->regs.elr, esr);
	case EC_PC_ALIGN:
	case EC_SP_ALIGN:
		return kill_current(MT_FAULT_ALIGNMENT, "misaligned pc/sp", read_sysreg(far_el1), esr);
	default:
		return kill_current(MT_FAULT_OTHER, "trapped instruction", t->regs.elr, esr);
	}
}

/* A synchronous exception from a thread. The common case, a system call
 * on one CPU (no lock to take, no thread another CPU could have ended), is
 * dispatched here in a small frame; everything else is el0_sync_other's. */
struct thread *el0_sync_handler(void)
{
	uint64_t esr = read_sysreg(esr_el1);
	if (__builtin_expect(ESR_EC(esr) == EC_SVC64 && kernel_ncpus == 1, 1))
		return sched_after_syscall(syscall_dispatch(cur_thread));
	return el0_sync_other(esr);
}

/* A secure interrupt (the tick, or a kick from another CPU) while a thread
 * or the idle thread ran. */
struct thread *el0_irq_handler(void)
{
	bkl_acquire();
	arch_irq_poll();
	struct thread *cur = cur_thread;
	if (cur && cur->state == T_RUNNING && !sched_should_preempt())
		return cur;
	sched_preempt_current();
	return sched_next();
}

/* A normal-world interrupt while a secure thread (or the idle thread) ran:
 * the thread is preempted and the normal world takes the CPU until it
 * calls back. */
struct thread *el0_fiq_handler(void)
{
	bkl_acquire();
	sched_preempt_current();
	if (nw_present)
		nw_foreign_intr();
	else
		arch_irq_poll();
	return sched_next();
}

struct thread *el0_serror_handler(void)
{
	bkl_acquire();
	if (!cur_thread)
		return sched_next();
	return kill_current(MT_FAULT_OTHER, "SError", 0, read_sysreg(esr_el1));
}

void kernel_fault(uint64_t esr, uint64_t elr, uint64_t far)
{
	panic("kernel exception: esr 0x%lx elr 0x%lx far 0x%lx", (unsigned long)esr,
	      (unsigned long)elr, (unsigned long)far);
}

/* ---- firmware and PMU ---- */

void arch_poweroff(void)
{
	uint64_t r[8] = {PSCI_SYSTEM_OFF};
	arch_smc(r);
	for (;;)
		__asm__ volatile("wfi");
}

void kernel_bench_ctl_pmu(void)
{
	write_sysreg(pmcr_el0, 0x7);            /* enable, reset event and cycle counters */
	write_sysreg(pmevtyper0_el0, 0x08);     /* INST_RETIRED, all ELs */
	write_sysreg(pmccfiltr_el0, 0);
	write_sysreg(pmcntenset_el0, (1UL << 31) | 1);
	write_sysreg(pmuserenr_el0, 0xd);       /* EL0 may read the counters */
	isb();
}

void arch_cpu_init(void)
{
	gic_init_cpu();
	timer_init();
}
