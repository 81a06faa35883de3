/* The OP-TEE personality's two pieces of assembly (utee.h): into the TA,
 * and the system call user dispatch handler's entry. */
#define SYS_DISPATCH_RETURN 33 /* include/microtee/syscall.h (C only): checked in main.c */
	.text
	.balign 4

/* utee_jump(entry, sp, tpidr, a0, a1, a2, a3) */
	.global utee_jump
utee_jump:
	msr tpidr_el0, x2
	mov sp, x1
	mov x9, x0
	mov x0, x3
	mov x1, x4
	mov x2, x5
	mov x3, x6
	mov x29, #0
	mov x30, #0
	br x9

/* x0 = the frame (the TA's registers), sp = the handler's stack. Our own
 * thread pointer first (the TA's runtime sets its own), then the C
 * handler; the frame as it left it goes back to the TA. */
	.global utee_handler
utee_handler:
	adrp x1, utee_our_tpidr
	ldr x1, [x1, :lo12:utee_our_tpidr]
	msr tpidr_el0, x1
	mov x29, #0
	mov x30, #0
	bl utee_syscall
	mov x8, #SYS_DISPATCH_RETURN
	svc #0
	bl utee_return_failed
	b .
