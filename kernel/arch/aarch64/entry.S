/* S-EL1 entry: boot (CPU 0, and every other CPU after its CPU_ON),
 * exception vectors, and the return to a thread.
 * While a thread runs, SP_EL1 points at its saved registers (struct regs,
 * the start of struct thread), so an exception from EL0 saves straight
 * into the thread; the kernel then runs on this CPU's own stack, found in
 * its struct cpu (TPIDR_EL1; kernel/smp.h). */
#include "../../smp.h"

#define REGS_X30 (30 * 8)
#define REGS_ELR (32 * 8)
#define REGS_TPIDR (34 * 8)

	.section .text.boot, "ax"
	.global _start
_start:
	/* x0..x4 from the monitor: bootfs base, size, cmdline, cmdline length,
	 * bytes of secure RAM the monitor occupies, normal world present,
	 * x6..x7: normal-world RAM [base, end) */
	ldr	x9, =__bss_start
	ldr	x10, =__bss_end
1:	cmp	x9, x10
	b.hs	2f
	str	xzr, [x9], #8
	b	1b
2:	ldr	x9, =kernel_stacks		/* CPU 0's (smp.c) */
	add	sp, x9, #KSTACK_SIZE
	ldr	x9, =kvectors
	msr	vbar_el1, x9
	isb
	bl	kmain
3:	wfi
	b	3b

	/* Any CPU after PSCI CPU_ON (the monitor enters here before it
	 * starts the normal world there), MMU off: x0 = the CPU's index. Runs
	 * on that CPU's kernel stack (smp.c). */
	.global kernel_cpu_entry
kernel_cpu_entry:
	cmp	x0, #KERNEL_MAX_CPUS
	b.hs	5f
	ldr	x9, =kernel_stacks
	add	x10, x0, #1
	mov	x11, #KSTACK_SIZE
	mul	x10, x10, x11
	add	sp, x9, x10
	ldr	x9, =kvectors
	msr	vbar_el1, x9
	isb
	bl	kmain_secondary
4:	wfi
	b	4b
	/* A CPU the kernel has no state for: it does not run here. */
5:	ldr	x0, =0xB200E000		/* MT_SMC_RETURN_ENTRY_DONE */
	mov	x1, #0
	mov	x2, #1
	smc	#0
	b	4b

	.text
.macro save_user
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x0, sp_el0
	stp	x30, x0, [sp, #REGS_X30]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x0, x1, [sp, #REGS_ELR]
	mrs	x0, tpidr_el1
	ldr	x0, [x0, #CPU_STACK_TOP]
	mov	sp, x0
.endm

.macro vent label
	.balign 0x80
	b	\label
.endm

	.balign 0x800
	.global kvectors
kvectors:
	vent	kfault		/* EL1t sync: a kernel bug */
	vent	el0_irq		/* EL1t: only a CPU's idle thread runs there */
	vent	el0_fiq
	vent	kfault
	vent	kfault		/* EL1h sync: a kernel bug */
	vent	kfault
	vent	kfault
	vent	kfault
	vent	el0_sync	/* EL0 AArch64 */
	vent	el0_irq
	vent	el0_fiq
	vent	el0_serror
	vent	kfault		/* EL0 AArch32: not supported */
	vent	kfault
	vent	kfault
	vent	kfault

el0_sync:
	save_user
	bl	el0_sync_handler
	b	kernel_exit

el0_irq:
	save_user
	bl	el0_irq_handler
	b	kernel_exit

el0_fiq:
	save_user
	bl	el0_fiq_handler
	b	kernel_exit

el0_serror:
	save_user
	bl	el0_serror_handler
	b	kernel_exit

kfault:
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	mrs	x2, far_el1
	mrs	x3, tpidr_el1
	cbz	x3, 1f
	ldr	x3, [x3, #CPU_STACK_TOP]
	mov	sp, x3
1:
	bl	kernel_fault
1:	wfi
	b	1b

/* A CPU's idle thread (sched.c): at EL1t, IRQ and FIQ unmasked, no stack.
 * An interrupt saves its registers into the idle thread like a thread's,
 * through the EL1t vectors above. */
	.global idle_loop
idle_loop:
	dsb	sy
	wfi
	b	idle_loop

/* x0 = thread to resume (at EL0, or the idle thread at EL1t);
 * kernel_return checks it and releases the big kernel lock. */
	.global kernel_exit
kernel_exit:
	bl	kernel_return
	mov	sp, x0
	ldp	x0, x1, [sp, #REGS_ELR]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldp	x30, x0, [sp, #REGS_X30]
	msr	sp_el0, x0
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	eret

/* uint64_t arch_smc(uint64_t regs[8]): SMC with x0..x7 from regs, results
 * written back to regs[0..7]. */
	.global arch_smc
arch_smc:
	stp	x0, x30, [sp, #-16]!
	mov	x8, x0
	ldp	x0, x1, [x8, #0]
	ldp	x2, x3, [x8, #16]
	ldp	x4, x5, [x8, #32]
	ldp	x6, x7, [x8, #48]
	smc	#0
	ldr	x8, [sp]
	stp	x0, x1, [x8, #0]
	stp	x2, x3, [x8, #16]
	stp	x4, x5, [x8, #32]
	stp	x6, x7, [x8, #48]
	ldp	x8, x30, [sp], #16
	ret

