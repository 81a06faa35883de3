/* Process entry: the kernel starts the main thread here with x0 = the
 * argument its parent gave (for init: the boot command line, x1 = length)
 * and sp at the top of a mapped stack. */
	.section .text.start, "ax"
	.global _start
_start:
	mov	x29, #0
	mov	x30, #0
	bl	__rt_start
1:	b	1b
