/* EL3 monitor: boots the machine, enters the secure kernel at S-EL1 and
 * dispatches SMCs from both worlds. */
#include <stdarg.h>
#include <stdint.h>

#include "../common/fmt.h"
#include "../common/kstring.h"
#include "../common/pl011.h"
#include "../platform/qemu-virt/platform.h"
#include "monitor.h"

struct cpu_state mon_cpu[PLAT_MAX_CPUS];
volatile uint64_t mon_pen[PLAT_MAX_CPUS];

extern char payload_kernel_start[], payload_kernel_end[];
extern char payload_bootfs_start[], payload_bootfs_end[];
extern char mon_stacks[];
extern char __mon_start[], __mon_end[];

static char cmdline[256];

#define SECURE_SCR (SCR_RES1 | SCR_RW | SCR_ST | SCR_APK | SCR_API)
/* The normal world: AArch64, secure interrupts (FIQ) and external aborts
 * come to the monitor. */
#define NS_SCR (SCR_RES1 | SCR_NS | SCR_RW | SCR_FIQ | SCR_EA | SCR_APK | SCR_API)
#define NS_IMAGE_BASE 0x40200000UL /* 2 MiB aligned, above the DTB QEMU leaves at 0x40000000 */
#define NS_DTB_BASE 0x40000000UL
#define MON_STACK_SIZE 0x2000

static void con_putc(void *ctx, char c)
{
	(void)ctx;
	if (c == '\n')
		pl011_putc(PLAT_UART1_BASE, '\r');
	pl011_putc(PLAT_UART1_BASE, c);
}

void mon_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fmt_vformat(con_putc, 0, fmt, ap);
	va_end(ap);
}

void mon_panic_exception(unsigned kind, uint64_t esr, uint64_t elr, uint64_t far)
{
	mon_printf("[mon] PANIC: EL3 exception kind=%u esr=0x%lx elr=0x%lx far=0x%lx\n", kind,
		   esr, elr, far);
	mon_system_off();
}

static void el3_setup(void)
{
	SYSREG_WRITE(scr_el3, SECURE_SCR);
	SYSREG_WRITE(cptr_el3, 0);           /* FP/SIMD for lower ELs */
	SYSREG_WRITE(mdcr_el3, 1UL << 17);   /* SPME: PMU counts in the secure world */
	SYSREG_WRITE(s3_6_c12_c12_5, 0xfUL); /* ICC_SRE_EL3: SRE, DFB, DIB, Enable */
	__asm__ volatile("isb");
}

/* A normal-world image given with -kernel arrives through fw_cfg; it is
 * started at NS-EL1 once the secure kernel has booted. */
static int load_ns_image(void)
{
	uint32_t size = fwcfg_item_u32(FWCFG_KERNEL_SIZE);
	if (size == 0)
		return 0;
	fwcfg_read_item(FWCFG_KERNEL_DATA, (void *)NS_IMAGE_BASE, size);
	struct world_ctx *ns = &mon_cpu[0].world[WORLD_NS];
	ns->elr = NS_IMAGE_BASE;
	ns->spsr = 0x3c5; /* EL1h, DAIF masked */
	ns->x[0] = NS_DTB_BASE;
	ns->scr = NS_SCR;
	mon_set_ns_entry(NS_IMAGE_BASE);
	mon_printf("[mon] normal-world image: %u bytes at 0x%lx\n", size, NS_IMAGE_BASE);
	return 1;
}

void mon_main(void)
{
	pl011_init(PLAT_UART1_BASE);
	mon_printf("[mon] MicroTEE monitor (EL3)\n");
	el3_setup();

	uint32_t len = 0;
	if (fwcfg_read_file("opt/microtee/cmdline", cmdline, sizeof(cmdline) - 1, &len) != 0)
		len = 0;
	cmdline[len] = '\0';

	/* Kernel image to its link address at the start of the kernel region. */
	uint64_t ksize = (uint64_t)(payload_kernel_end - payload_kernel_start);
	memcpy((void *)PLAT_KERNEL_BASE, payload_kernel_start, ksize);

	for (int i = 0; i < PLAT_MAX_CPUS; i++) {
		mon_cpu[i].world[WORLD_SECURE].mon_sp = (uint64_t)mon_stacks + (i + 1) * MON_STACK_SIZE;
		mon_cpu[i].world[WORLD_NS].mon_sp = (uint64_t)mon_stacks + (i + 1) * MON_STACK_SIZE;
		mon_cpu[i].world[WORLD_SECURE].scr = SECURE_SCR;
	}
	/* The normal world starts from the EL1 reset state. */
	ctx_el1_save(&mon_cpu[0].world[WORLD_NS].sys);
	int ns_present = load_ns_image();

	struct world_ctx *s = &mon_cpu[0].world[WORLD_SECURE];
	mon_cpu[0].current = WORLD_SECURE;
	s->elr = PLAT_KERNEL_BASE;
	s->spsr = 0x3c5; /* EL1h, DAIF masked */
	s->x[0] = (uint64_t)payload_bootfs_start;
	s->x[1] = (uint64_t)(payload_bootfs_end - payload_bootfs_start);
	s->x[2] = (uint64_t)cmdline;
	s->x[3] = len;
	s->x[4] = (uint64_t)(__mon_end - __mon_start); /* secure RAM the monitor uses */
	s->x[5] = (uint64_t)ns_present;
	mon_printf("[mon] entering secure kernel at 0x%lx (%lu bytes), cmdline '%s'\n",
		   (unsigned long)PLAT_KERNEL_BASE, (unsigned long)ksize, cmdline);
	extern void mon_exit(struct world_ctx *) __attribute__((noreturn));
	mon_exit(s);
}

void mon_secondary_main(uint64_t cpu)
{
	(void)cpu;
	for (;;)
		__asm__ volatile("wfi");
}

#define GPIO_DIR 0x400
void mon_system_off(void)
{
	mon_printf("[mon] SYSTEM_OFF\n");
	volatile uint32_t *dir = (volatile uint32_t *)(PLAT_SGPIO_BASE + GPIO_DIR);
	*dir |= 1U << 1;
	*(volatile uint32_t *)(PLAT_SGPIO_BASE + ((1U << 1) << 2)) = 1U << 1;
	for (;;)
		__asm__ volatile("wfi");
}

void mon_system_reset(void)
{
	mon_printf("[mon] SYSTEM_RESET\n");
	volatile uint32_t *dir = (volatile uint32_t *)(PLAT_SGPIO_BASE + GPIO_DIR);
	*dir |= 1U << 0;
	*(volatile uint32_t *)(PLAT_SGPIO_BASE + ((1U << 0) << 2)) = 1U << 0;
	for (;;)
		__asm__ volatile("wfi");
}
