/* test_fault: commits one kind of fault, chosen by init; the kernel must
 * kill it and only it. Reaching the end is a failure. Case 9 instead
 * writes to the console without the right to. */
#include <stdio.h>

#include "../../../include/microtee/demo_ipc.h"
#include "../../../platform/qemu-virt/platform.h"
#include "mt.h"

static int data_word = 0x1234;

__attribute__((noinline, used)) void ret_only(void)
{
}

int mt_main(unsigned long arg, unsigned long arg2)
{
	(void)arg2;
	unsigned long which = DEMO_ARG_TEST(arg);
	if (which == 9) {
		/* Spawned without the console right (scenario console_denied):
		 * the write must be refused, and so nothing appears. The exit
		 * code is the verdict, as nothing else can be said. */
		static const char line[] = "test_fault: CONSOLE WRITE WITHOUT THE RIGHT\n";
		long rc = MT_SYS(SYS_DEBUG_WRITE, (unsigned long)line, sizeof(line) - 1);
		long rc0 = MT_SYS(SYS_DEBUG_WRITE, (unsigned long)line, 0);
		return rc == MT_EPERM && rc0 == MT_EPERM ? 0 : 1;
	}
	printf("test_fault: case %lu\n", which);
	switch (which) {
	case 1: /* read an unmapped address */
		printf("test_fault: read 0x%x\n", *(volatile int *)0x7000000UL);
		break;
	case 2: /* write to our own code */
		*(volatile unsigned *)(uintptr_t)ret_only = 0xd503201f;
		break;
	case 3: { /* execute data (the stack) */
		unsigned code[2] = {0xd65f03c0, 0}; /* ret */
		((void (*)(void))(uintptr_t)code)();
		(void)data_word;
		break;
	}
	case 4: /* read kernel memory */
		printf("test_fault: kernel word 0x%lx\n", *(volatile unsigned long *)PLAT_KERNEL_BASE);
		break;
	case 5: /* write kernel memory */
		*(volatile unsigned long *)(PLAT_KERNEL_BASE + 0x1000) = 0;
		break;
	case 6: /* undefined instruction */
		__asm__ volatile("udf #0");
		break;
	case 7: /* execute kernel code */
		((void (*)(void))PLAT_KERNEL_BASE)();
		break;
	case 8: /* read the monitor's memory */
		printf("test_fault: monitor word 0x%lx\n", *(volatile unsigned long *)PLAT_MON_BASE);
		break;
	}
	printf("test_fault: survived case %lu: FAIL\n", which);
	return 1;
}
