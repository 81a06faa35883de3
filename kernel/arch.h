/* The boundary between the portable kernel and AArch64 specifics. */
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H
#include "pagetable.h"

/* Points a new address space's level-1 table at the kernel's mappings. */
void arch_vspace_init(pte_t *l1);
/* Stops using an address space that is about to be freed: the kernel
 * reaches its own mappings through whichever table TTBR0 holds. */
void arch_vspace_release(pte_t *l1);
/* The MMU on, on this CPU, over the kernel's tables (built by mmu_init). */
void mmu_enable(void);
/* A CPU other than the boot one, at its first entry, its MMU on: GIC CPU
 * interface and redistributor, secure timer. */
void arch_cpu_init(void);
/* SMP: this CPU lets go of its thread before it leaves for the normal
 * world (thread pointer saved, FP/SIMD state saved, kernel's table). */
void arch_cpu_leave(void);
/* This CPU leaves whichever address space TTBR0 holds for the kernel's. */
void arch_vspace_leave(void);
struct thread;
/* A CPU's idle thread's registers: idle_loop at EL1t, interrupts on. */
void arch_idle_init(struct thread *t);
void arch_tlb_flush_page(uint16_t asid, vaddr_t va);
void arch_tlb_flush_asid(uint16_t asid);
uint64_t arch_counter(void);
/* A thread's TPIDR_EL0: the live register while it runs on this CPU. */
uint64_t arch_thread_tls(const struct thread *t);
void arch_thread_set_tls(struct thread *t, uint64_t v);
/* Secure timer ticks since boot (TICK_HZ a second). */
uint64_t kernel_ticks(void);
/* An SMC to the monitor: x0..x7 in, and the monitor's next entry out. */
void arch_smc(uint64_t regs[8]);
/* Handles the pending secure interrupts (the tick, a kick). */
void arch_irq_poll(void);
/* No normal world: WFI with interrupts masked, then poll the GIC. */
void arch_idle_wait(void);
/* Where a CPU enters the kernel after PSCI CPU_ON (entry.S). */
void kernel_cpu_entry(void);
uint64_t arch_counter_freq(void);
/* The CPU features user space may use but cannot probe: MT_CPU_* bits. */
unsigned long arch_cpu_features(void);
void arch_poweroff(void) __attribute__((noreturn));

#endif
