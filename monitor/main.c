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
extern char __mon_start[], __mon_ro_end[], __mon_end[];

static char cmdline[256];

/* SIF: the secure world never executes from Non-secure memory. */
/* Whether the PMU may count in the secure state (MDCR_EL3.SPME). Off: the
 * normal world cannot count the secure world's events. Only the benchmark
 * build turns it on (`make bench`, MON_SECURE_PMU=1), so that its counts
 * include both worlds. */
#ifndef MON_SECURE_PMU
#define MON_SECURE_PMU 0
#endif
#define MDCR_SPME (1UL << 17)

#define SECURE_SCR     (SCR_RES1 | SCR_RW | SCR_ST | SCR_SIF | SCR_APK | SCR_API)
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
	mon_printf("[mon] PANIC: EL3 exception kind=%u esr=0x%lx elr=0x%lx far=0x%lx\n", kind, esr,
	           elr, far);
	mon_system_off();
}

uint64_t mon_ns_scr = MON_NS_SCR_BASE;
uint64_t mon_ns_spsr = 0x3c5;
int mon_ns_el2;
uint64_t mon_cpu0_mpidr;

static unsigned id_field(uint64_t reg, unsigned shift)
{
	return (unsigned)(reg >> shift) & 0xf;
}

/* How the normal world runs on this CPU model: its entry EL, and the SCR_EL3
 * enables without which its use of optional features would trap to EL3. */
static void ns_config(void)
{
	uint64_t pfr0 = SYSREG_READ(id_aa64pfr0_el1), pfr1 = SYSREG_READ(id_aa64pfr1_el1);
	uint64_t mmfr0 = SYSREG_READ(id_aa64mmfr0_el1), mmfr1 = SYSREG_READ(id_aa64mmfr1_el1);
	mon_ns_el2 = id_field(pfr0, 8) != 0; /* EL2 implemented */
	if (mon_ns_el2) {
		mon_ns_scr |= SCR_HCE;
		mon_ns_spsr = 0x3c9; /* EL2h */
	}
	if (id_field(pfr1, 8) >= 2) /* FEAT_MTE2: allocation tag access */
		mon_ns_scr |= SCR_ATA;
	if (id_field(mmfr0, 56) != 0) /* FEAT_FGT: HFG*TR_EL2, HDFG*TR_EL2 */
		mon_ns_scr |= SCR_FGTEN;
	if (id_field(mmfr1, 40) != 0) /* FEAT_HCX: HCRX_EL2 */
		mon_ns_scr |= SCR_HXEN;
}

/* Per-CPU EL3 state, on every CPU before it enters a lower EL. */
void mon_el3_setup(void)
{
	SYSREG_WRITE(scr_el3, SECURE_SCR);
	SYSREG_WRITE(cptr_el3, 0);           /* FP/SIMD for lower ELs */
	SYSREG_WRITE(mdcr_el3, MON_SECURE_PMU ? MDCR_SPME : 0);
	SYSREG_WRITE(s3_6_c12_c12_5, 0xfUL); /* ICC_SRE_EL3: SRE, DFB, DIB, Enable */
	__asm__ volatile("isb");
}

/* EL2 as the normal world's kernel expects it at entry (MMU off, no virtual
 * counter offset), also after an earlier CPU_OFF left it configured. */
void mon_el2_reset(void)
{
	if (!mon_ns_el2)
		return;
	SYSREG_WRITE(sctlr_el2, 0x30c50830UL); /* RES1 bits: MMU and caches off */
	SYSREG_WRITE(hcr_el2, 1UL << 31);      /* RW: EL1 is AArch64 */
	SYSREG_WRITE(cntvoff_el2, 0);
	__asm__ volatile("isb");
}

/* A normal-world image given with -kernel arrives through fw_cfg (with
 * -initrd and -append, see nsboot.c); it is started at NS-EL1 on CPU 0 once
 * the secure kernel has booted. */
static int load_ns_image(void)
{
	struct world_ctx *ns = &mon_cpu[0].world[WORLD_NS];
	int r = ns_boot_prepare(ns);
	if (r <= 0) {
		if (r < 0)
			mon_printf("[mon] normal world not started\n");
		return 0;
	}
	ns->scr = mon_ns_scr;
	mon_set_ns_entry(ns->elr);
	return 1;
}

/* Whether n bytes at a and b are equal, read as the CPU sees them (b may be
 * flash at address 0, which C must not be told). */
static int same_bytes(uintptr_t a, uintptr_t b, uint64_t n)
{
	__asm__("" : "+r"(a), "+r"(b));
	for (uint64_t i = 0; i < n; i++)
		if (((const volatile uint8_t *)a)[i] != ((const volatile uint8_t *)b)[i])
			return 0;
	return 1;
}

/* Loading the normal world writes only normal RAM (nslayout.c checks every
 * size and address it is given). This is the proof on every boot: the
 * monitor's code and read-only data and the secure kernel's image still
 * equal their copies in flash. If not, stop before running any of it. */
static void check_secure_images(uint64_t ksize)
{
	if (!same_bytes((uintptr_t)__mon_start, PLAT_FLASH0_BASE,
	                (uint64_t)(__mon_ro_end - __mon_start)) ||
	    !same_bytes(PLAT_KERNEL_BASE, (uintptr_t)payload_kernel_start, ksize)) {
		mon_printf("[mon] secure RAM was overwritten while loading the normal world\n");
		mon_system_off();
	}
	mon_printf("[mon] secure RAM check: monitor code and kernel image intact\n");
}

void mon_main(void)
{
	pl011_init(PLAT_UART1_BASE);
	mon_printf("[mon] MicroTEE monitor (EL3)\n");
	if (MON_SECURE_PMU)
		mon_printf("[mon] secure PMU counting on (MON_SECURE_PMU=1 build, for benchmarks)\n");
	mon_cpu0_mpidr = SYSREG_READ(mpidr_el1);
	mon_el3_setup();
	ns_config();
	mon_el2_reset();
	gic_init_global();
	gic_init_cpu();
	psci_init();

	uint32_t len = 0;
	if (fwcfg_read_file("opt/microtee/cmdline", cmdline, sizeof(cmdline) - 1, &len) != 0)
		len = 0;
	cmdline[len] = '\0';

	/* Kernel image to its link address at the start of the kernel region. */
	uint64_t ksize = (uint64_t)(payload_kernel_end - payload_kernel_start);
	memcpy((void *)PLAT_KERNEL_BASE, payload_kernel_start, ksize);

	for (int i = 0; i < PLAT_MAX_CPUS; i++) {
		mon_cpu[i].world[WORLD_SECURE].mon_sp =
		    (uint64_t)mon_stacks + (i + 1) * MON_STACK_SIZE;
		mon_cpu[i].world[WORLD_NS].mon_sp = (uint64_t)mon_stacks + (i + 1) * MON_STACK_SIZE;
		mon_cpu[i].world[WORLD_SECURE].scr = SECURE_SCR;
	}
	/* The normal world starts from the EL1 reset state. */
	ctx_el1_save(&mon_cpu[0].world[WORLD_NS].sys);
	int ns_present = load_ns_image();
	check_secure_images(ksize);

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
	s->x[6] = ns_present > 0 ? ns_ram_base : 0; /* normal-world RAM, for the gateway's maps */
	s->x[7] = ns_present > 0 ? ns_ram_end : 0;
	if (ns_present)
		mon_printf("[mon] normal world enters at EL%d, SCR_EL3 0x%lx\n", mon_ns_el2 ? 2 : 1,
		           (unsigned long)mon_ns_scr);
	mon_printf("[mon] entering secure kernel at 0x%lx (%lu bytes), SCR_EL3 0x%lx, cmdline '%s'\n",
	           (unsigned long)PLAT_KERNEL_BASE, (unsigned long)ksize, (unsigned long)SYSREG_READ(scr_el3),
	           cmdline);
	extern void mon_exit(struct world_ctx *) __attribute__((noreturn));
	mon_exit(s);
}

/* A CPU leaving the pen after PSCI CPU_ON, on its own monitor stack: EL3
 * and GIC set-up, then the secure kernel's start on this CPU, which hands
 * over to the normal-world entry CPU_ON prepared. */
void mon_secondary_main(uint64_t cpu)
{
	mon_el3_setup();
	if (gic_init_cpu() != 0)
		mon_printf("[mon] cpu %lu: no GIC redistributor\n", (unsigned long)cpu);
	mon_el2_reset();
	psci_cpu_started((unsigned)cpu);
	extern void mon_exit(struct world_ctx *) __attribute__((noreturn));
	mon_exit(mon_cpu_start((unsigned)cpu));
}

#define GPIO_DIR 0x400
void mon_system_off(void)
{
	unsigned long other = 0;
	for (int i = 1; i < PLAT_MAX_CPUS; i++)
		other += mon_tos_calls[i];
	if (other) {
		mon_printf("[mon] Trusted OS calls entered the secure kernel on CPU");
		for (int i = 0; i < PLAT_MAX_CPUS; i++)
			if (mon_tos_calls[i])
				mon_printf(" %d: %lu", i, mon_tos_calls[i]);
		mon_printf("\n");
	}
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
