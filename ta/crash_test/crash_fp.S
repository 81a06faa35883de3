/* crash_with_fp(fp, at): a fault with a frame pointer of the caller's
 * choosing, as a TA that corrupted (or forged) its frame chain has. */
	.text
	.global crash_with_fp
	.type crash_with_fp, %function
crash_with_fp:
	mov	x29, x0
	str	wzr, [x1]
	ret
	.size crash_with_fp, . - crash_with_fp
