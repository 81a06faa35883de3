/* test_dispatch's "foreign" code: svc instructions that lie outside the
 * range the test allows (section mtforeign, which the linker places after
 * every other piece of text), as another system's binary would make them. */
	.section mtforeign, "ax"
	.balign 4

/* void foreign_regs(uint64_t r[32]): loads x0..x28 from r[0..28] and NZCV
 * from r[29], executes svc #0, then stores x0..x28, NZCV (r[29]), x30
 * (r[30]) and sp (r[31]) back. Saves and restores x19..x30 itself. */
	.global foreign_regs
	.global foreign_regs_after_svc
	.global foreign_svc_addr
foreign_regs:
	stp x29, x30, [sp, #-112]!
	stp x19, x20, [sp, #16]
	stp x21, x22, [sp, #32]
	stp x23, x24, [sp, #48]
	stp x25, x26, [sp, #64]
	stp x27, x28, [sp, #80]
	str x0, [sp, #96]
	mov x30, x0
	ldr x1, [x30, #232]
	msr nzcv, x1
	ldp x0, x1, [x30, #0]
	ldp x2, x3, [x30, #16]
	ldp x4, x5, [x30, #32]
	ldp x6, x7, [x30, #48]
	ldp x8, x9, [x30, #64]
	ldp x10, x11, [x30, #80]
	ldp x12, x13, [x30, #96]
	ldp x14, x15, [x30, #112]
	ldp x16, x17, [x30, #128]
	ldp x18, x19, [x30, #144]
	ldp x20, x21, [x30, #160]
	ldp x22, x23, [x30, #176]
	ldp x24, x25, [x30, #192]
	ldp x26, x27, [x30, #208]
	ldr x28, [x30, #224]
foreign_svc_addr:
	svc #0
foreign_regs_after_svc:
	str x0, [sp, #104]
	ldr x0, [sp, #96]
	str x30, [x0, #240]
	stp x1, x2, [x0, #8]
	stp x3, x4, [x0, #24]
	stp x5, x6, [x0, #40]
	stp x7, x8, [x0, #56]
	stp x9, x10, [x0, #72]
	stp x11, x12, [x0, #88]
	stp x13, x14, [x0, #104]
	stp x15, x16, [x0, #120]
	stp x17, x18, [x0, #136]
	stp x19, x20, [x0, #152]
	stp x21, x22, [x0, #168]
	stp x23, x24, [x0, #184]
	stp x25, x26, [x0, #200]
	stp x27, x28, [x0, #216]
	mrs x1, nzcv
	str x1, [x0, #232]
	add x1, sp, #112
	str x1, [x0, #248]
	ldr x1, [sp, #104]
	str x1, [x0, #0]
	ldp x19, x20, [sp, #16]
	ldp x21, x22, [sp, #32]
	ldp x23, x24, [sp, #48]
	ldp x25, x26, [sp, #64]
	ldp x27, x28, [sp, #80]
	ldp x29, x30, [sp], #112
	ret

/* long foreign_call(n, a0, a1): svc #0 with x8 = n, x0 = a0, x1 = a1;
 * returns x0 (x1 in *out1 if out1 is not 0, via x3). */
	.global foreign_call
foreign_call:
	mov x8, x0
	mov x0, x1
	mov x1, x2
	svc #0
	cbz x3, 1f
	str x1, [x3]
1:	ret
