/* EL3 entry: reset vector, secondary CPU pen, exception vectors and the
 * exception return path that restores a world's general registers. */
#include "../platform/qemu-virt/platform.h"
#include "context.h"

#define MON_STACK_SIZE 0x2000
/* mon_copied's value once the monitor runs from secure RAM (not a value
 * that RAM holds by chance). */
#define MON_COPIED_MAGIC 0x4d4f4e434f504945

	.section .text.reset, "ax"
	.global _start
_start:
	mrs	x19, mpidr_el1
	/* QEMU virt: Aff0 is the CPU index. A CPU outside Aff1..Aff3 = 0 or
	 * beyond PLAT_MAX_CPUS has no monitor state: it never leaves reset. */
	ubfx	x20, x19, #8, #16		/* Aff2:Aff1 */
	ubfx	x21, x19, #32, #8		/* Aff3 */
	orr	x20, x20, x21
	cbnz	x20, park
	and	x19, x19, #0xff
	cmp	x19, #PLAT_MAX_CPUS
	b.hs	park
	cbnz	x19, secondary_wait

	/* Primary: copy the monitor from flash to secure RAM, clear .bss. */
	adr	x0, _start			/* where we run now (flash) */
	ldr	x1, =__mon_start		/* where we are linked (secure RAM) */
	ldr	x2, =__mon_data_end
	sub	x2, x2, x1
1:	ldr	x3, [x0], #8
	str	x3, [x1], #8
	subs	x2, x2, #8
	b.gt	1b
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
2:	cmp	x0, x1
	b.hs	3f
	str	xzr, [x0], #8
	b	2b
	/* The copy is in place: the secondaries may move to it. */
3:	ldr	x0, =mon_copied
	ldr	x1, =MON_COPIED_MAGIC
	str	x1, [x0]
	dsb	sy
	sev
	ldr	x0, =mon_stacks
	add	sp, x0, #MON_STACK_SIZE
	ldr	x0, =mon_vectors
	msr	vbar_el3, x0
	isb
	ldr	x1, =mon_main
	br	x1

park:
	wfi
	b	park

	/* Secondaries run from flash only until the primary has copied the
	 * monitor to secure RAM (flash is still in read-array mode then), and
	 * wait for CPU_ON in the copy: once the secure world's flash driver
	 * runs, the chip may be in command mode at any time, and then it
	 * answers instruction fetches with status words (a secondary spinning
	 * in flash took them for instructions and never reached Linux). */
secondary_wait:
	ldr	x1, =mon_copied
	ldr	x3, =MON_COPIED_MAGIC
1:	wfe
	ldr	x2, [x1]
	cmp	x2, x3
	b.ne	1b
	ldr	x1, =secondary_pen		/* its address in secure RAM */
	br	x1

	/* Secondaries wait until PSCI CPU_ON publishes an entry point for
	 * them in mon_pen[cpu] (physical address, non-zero). */
secondary_pen:
	ldr	x1, =mon_pen
	add	x1, x1, x19, lsl #3
1:	wfe
	ldr	x2, [x1]
	cbz	x2, 1b
	ldr	x0, =mon_vectors
	msr	vbar_el3, x0
	ldr	x0, =mon_stacks
	add	x3, x19, #1
	mov	x4, #MON_STACK_SIZE
	madd	x3, x3, x4, x0
	mov	sp, x3
	mov	x0, x19
	ldr	x1, =mon_secondary_main
	br	x1

	.bss
	.balign 8
mon_copied:
	.quad	0

	.text
/* Exception vectors. Lower-EL entries save x0/x1, put the kind in x0 and go
 * to the common save path; SP_EL3 points at the running world's context. */
.macro vent kind
	.balign 0x80
	stp	x0, x1, [sp, #CTX_X0]
	mov	x0, #\kind
	b	mon_save_and_dispatch
.endm
.macro vent_panic kind
	.balign 0x80
	mov	x0, #\kind
	b	mon_el3_panic
.endm

	.balign 0x800
	.global mon_vectors
mon_vectors:
	vent_panic 0	/* current EL, SP_EL0 */
	vent_panic 1
	vent_panic 2
	vent_panic 3
	vent_panic 4	/* current EL, SP_ELx */
	vent_panic 5
	vent_panic 6
	vent_panic 7
	vent 8		/* lower EL AArch64: sync */
	vent 9		/* irq */
	vent 10		/* fiq */
	vent 11		/* serror */
	vent_panic 12	/* lower EL AArch32 */
	vent_panic 13
	vent_panic 14
	vent_panic 15

mon_save_and_dispatch:
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
	mrs	x2, sp_el0
	stp	x30, x2, [sp, #CTX_X30]
	mrs	x2, elr_el3
	mrs	x3, spsr_el3
	stp	x2, x3, [sp, #CTX_ELR]
	mov	x1, x0			/* kind */
	mov	x0, sp			/* ctx */
	ldr	x2, [sp, #CTX_MON_SP]
	mov	sp, x2
	bl	mon_handle_exception	/* returns the context to resume */
	/* fall through */

/* x0 = context to restore; its world's SCR_EL3 is already in place. */
	.global mon_exit
mon_exit:
	mov	sp, x0
	ldp	x2, x3, [sp, #CTX_ELR]
	msr	elr_el3, x2
	msr	spsr_el3, x3
	ldp	x30, x2, [sp, #CTX_X30]
	msr	sp_el0, x2
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

mon_el3_panic:
	mrs	x1, esr_el3
	mrs	x2, elr_el3
	mrs	x3, far_el3
	ldr	x4, =mon_stacks
	add	sp, x4, #MON_STACK_SIZE
	bl	mon_panic_exception
1:	wfi
	b	1b

	.section .bss
	.balign 16
	.global mon_stacks
mon_stacks:
	.space MON_STACK_SIZE * 9
