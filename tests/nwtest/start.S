/* Normal-world test payload entry (NS-EL1, MMU off): a stack, then C; the
 * SMC helper, an instruction that traps to EL3, and EL1 vectors. */
#include "nwtest.h"
	.section .text.start, "ax"
	.global _start
_start:
	ldr	x1, =__stack_top
	mov	sp, x1
	mov	x1, #(3 << 20)		/* CPACR_EL1.FPEN: FP/SIMD on at EL1 */
	msr	cpacr_el1, x1
	isb
	bl	nw_main
1:	wfi
	b	1b

/* void nw_smc18(uint64_t r[18]): SMC with x0..x17 from r, all written back. */
	.text
	.global nw_smc18
nw_smc18:
	stp	x19, x30, [sp, #-16]!
	mov	x19, x0
	ldp	x0, x1, [x19, #0]
	ldp	x2, x3, [x19, #16]
	ldp	x4, x5, [x19, #32]
	ldp	x6, x7, [x19, #48]
	ldp	x8, x9, [x19, #64]
	ldp	x10, x11, [x19, #80]
	ldp	x12, x13, [x19, #96]
	ldp	x14, x15, [x19, #112]
	ldp	x16, x17, [x19, #128]
	smc	#0
	stp	x0, x1, [x19, #0]
	stp	x2, x3, [x19, #16]
	stp	x4, x5, [x19, #32]
	stp	x6, x7, [x19, #48]
	stp	x8, x9, [x19, #64]
	stp	x10, x11, [x19, #80]
	stp	x12, x13, [x19, #96]
	stp	x14, x15, [x19, #112]
	stp	x16, x17, [x19, #128]
	ldp	x19, x30, [sp], #16
	ret

/* uint64_t nw_trap_to_el3(void): one instruction that traps to EL3. */
	.global nw_trap_to_el3, nw_trap_insn
nw_trap_to_el3:
	mov	x0, #0
nw_trap_insn:
	mrs	x0, s3_0_c12_c12_6		/* ICC_IGRPEN0_EL1 */
	ret

/* EL1 vectors: only "current EL, SP_ELx, synchronous" is expected. */
.macro nw_vent_spin
	.balign 0x80
	b	.
.endm
	.balign 0x800
	.global nw_vectors
nw_vectors:
	nw_vent_spin			/* current EL, SP_EL0 */
	nw_vent_spin
	nw_vent_spin
	nw_vent_spin
	.balign 0x80			/* current EL, SP_ELx: synchronous */
	stp	x0, x1, [sp, #-16]!
	ldr	x0, =nw_sync_seen
	mrs	x1, esr_el1
	str	x1, [x0, #NW_EXC_ESR]
	mrs	x1, elr_el1
	str	x1, [x0, #NW_EXC_ELR]
	add	x1, x1, #4		/* resume after the instruction */
	msr	elr_el1, x1
	mrs	x1, spsr_el1
	str	x1, [x0, #NW_EXC_SPSR]
	ldr	x1, [x0, #NW_EXC_COUNT]
	add	x1, x1, #1
	str	x1, [x0, #NW_EXC_COUNT]
	ldp	x0, x1, [sp], #16
	eret
	nw_vent_spin			/* irq */
	nw_vent_spin
	nw_vent_spin
	.rept 8				/* lower EL */
	nw_vent_spin
	.endr
	.ltorg

	.bss
	.balign 8
	.global nw_sync_seen
nw_sync_seen:
	.space 32
