/* tee_rt_call_on_stack(fn, arg, sp): runs fn(arg) with the stack pointer
 * at sp, then returns fn's result on the caller's stack. */
	.text
	.global tee_rt_call_on_stack
	.type tee_rt_call_on_stack, %function
tee_rt_call_on_stack:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	mov	sp, x2
	mov	x2, x0
	mov	x0, x1
	blr	x2
	mov	sp, x29
	ldp	x29, x30, [sp], #16
	ret
	.size tee_rt_call_on_stack, . - tee_rt_call_on_stack
