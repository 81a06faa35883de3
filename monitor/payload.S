/* The images the monitor hands on: the microkernel and the boot file system
 * of user programs. They stay in secure flash; the kernel is copied to RAM. */
	.section .payload, "a"
	.balign 4096
	.global payload_kernel_start, payload_kernel_end
payload_kernel_start:
	.incbin KERNEL_BIN
payload_kernel_end:
	.balign 4096
	.global payload_bootfs_start, payload_bootfs_end
payload_bootfs_start:
	.incbin BOOTFS_BIN
payload_bootfs_end:
