/* PSCI 1.1: the power calls an OS makes to firmware. Secondary CPUs wait in
 * start.S's pen until CPU_ON publishes work for them in mon_pen[]; a CPU
 * that calls CPU_OFF goes back to waiting there (in C, on its own stack).
 * The Trusted OS runs on every CPU and keeps no thread on any (smc.c,
 * kernel/sched.c), so it needs no migration and every CPU, CPU 0 too, may
 * be turned off and on. */
#include <stdint.h>

#include "../common/kstring.h"
#include "../include/microtee/smc.h"
#include "../platform/qemu-virt/platform.h"
#include "monitor.h"

#define AFF_ON         0
#define AFF_OFF        1
#define AFF_ON_PENDING 2

static volatile int cpu_state[PLAT_MAX_CPUS]; /* AFF_*; CPU 0 starts on */

#define MPIDR_AFF_MASK 0xff00ffffffUL

static void set_ret(struct world_ctx *ctx, long r)
{
	ctx->x[0] = (uint64_t)r;
}

/* The CPU index (Aff0, as start.S has it) of a CPU the device tree lists,
 * or -1. */
static int cpu_of_mpidr(uint64_t mpidr)
{
	mpidr &= MPIDR_AFF_MASK;
	if (mpidr >= PLAT_MAX_CPUS)
		return -1;
	for (unsigned i = 0; i < mon_ncpus; i++)
		if ((mon_cpu_mpidr[i] & MPIDR_AFF_MASK) == mpidr)
			return (int)mpidr;
	return -1;
}

void psci_init(void)
{
	cpu_state[0] = AFF_ON;
	for (int i = 1; i < PLAT_MAX_CPUS; i++)
		cpu_state[i] = AFF_OFF;
}

static long cpu_on(uint64_t target, uint64_t entry, uint64_t context)
{
	int cpu = cpu_of_mpidr(target);
	if (cpu < 0)
		return PSCI_RET_INVALID_PARAMS;
	if (entry < ns_ram_base || entry >= ns_ram_end || (entry & 3))
		return PSCI_RET_INVALID_ADDRESS;
	if (cpu_state[cpu] == AFF_ON)
		return PSCI_RET_ALREADY_ON;
	if (cpu_state[cpu] == AFF_ON_PENDING)
		return PSCI_RET_ON_PENDING;
	/* The target starts from a clean normal-world context: the entry
	 * point at EL2h or EL1h, interrupts masked, MMU off, context_id in x0. */
	struct cpu_state *c = &mon_cpu[cpu];
	struct world_ctx *ns = &c->world[WORLD_NS];
	uint64_t mon_sp = ns->mon_sp;
	memset(ns, 0, sizeof(*ns));
	ns->mon_sp = mon_sp;
	ns->elr = entry;
	ns->spsr = mon_ns_spsr;
	ns->x[0] = context;
	ns->scr = mon_ns_scr;
	ns->sys.sctlr = 0x30d00800; /* SCTLR_EL1's RES1 bits: MMU and caches off */
	c->current = WORLD_NS;
	cpu_state[cpu] = AFF_ON_PENDING;
	__asm__ volatile("dsb sy" ::: "memory");
	mon_pen[cpu] = entry;
	__asm__ volatile("dsb sy; sev" ::: "memory");
	return PSCI_RET_SUCCESS;
}

/* Runs on the target CPU when it leaves the pen. */
void psci_cpu_started(unsigned cpu)
{
	cpu_state[cpu] = AFF_ON;
	__asm__ volatile("dsb sy" ::: "memory");
}

static void cpu_off(unsigned cpu) __attribute__((noreturn));
static void cpu_off(unsigned cpu)
{
	mon_cpu_stopped(cpu);
	mon_pen[cpu] = 0;
	cpu_state[cpu] = AFF_OFF;
	__asm__ volatile("dsb sy" ::: "memory");
	/* Back to the pen: wait for the next CPU_ON. */
	while (!mon_pen[cpu])
		__asm__ volatile("wfe" ::: "memory");
	mon_secondary_main(cpu);
}

static int is_psci(uint32_t fid)
{
	return (fid & 0xFFFFFFE0U) == 0x84000000U || (fid & 0xFFFFFFE0U) == 0xC4000000U;
}

/* The functions we implement, by exact ID: 64-bit forms only where PSCI
 * defines them. */
static int implemented(uint32_t fid)
{
	switch (fid) {
	case PSCI_VERSION:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON:
	case PSCI_CPU_ON | SMCCC_SMC64:
	case PSCI_AFFINITY_INFO:
	case PSCI_AFFINITY_INFO | SMCCC_SMC64:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_MIGRATE_INFO_UP_CPU:
	case PSCI_MIGRATE_INFO_UP_CPU | SMCCC_SMC64:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
		return 1;
	default:
		return 0;
	}
}

int psci_handle(struct world_ctx *ctx, uint32_t fid)
{
	if (!is_psci(fid))
		return 0;
	if (!implemented(fid)) {
		set_ret(ctx, PSCI_RET_NOT_SUPPORTED);
		return 1;
	}
	int smc64 = (fid & SMCCC_SMC64) != 0;
	uint64_t a1 = smc64 ? ctx->x[1] : (uint32_t)ctx->x[1];
	uint64_t a2 = smc64 ? ctx->x[2] : (uint32_t)ctx->x[2];
	uint64_t a3 = smc64 ? ctx->x[3] : (uint32_t)ctx->x[3];

	switch (fid & ~SMCCC_SMC64) {
	case PSCI_VERSION:
		set_ret(ctx, 0x10001); /* 1.1 */
		return 1;
	case PSCI_MIGRATE_INFO_TYPE:
		/* 2: no uniprocessor Trusted OS, no migration needed: the
		 * secure kernel runs on every CPU, any of them may go off. */
		set_ret(ctx, 2);
		return 1;
	case PSCI_MIGRATE_INFO_UP_CPU:
		/* UNDEFINED by PSCI when MIGRATE_INFO_TYPE is 2: the boot CPU. */
		set_ret(ctx, (long)(mon_cpu0_mpidr & MPIDR_AFF_MASK));
		return 1;
	case PSCI_FEATURES: {
		uint32_t q = (uint32_t)ctx->x[1];
		set_ret(ctx, implemented(q) || q == SMCCC_VERSION ? 0 : PSCI_RET_NOT_SUPPORTED);
		return 1;
	}
	case PSCI_CPU_ON:
		set_ret(ctx, cpu_on(a1, a2, a3));
		return 1;
	case PSCI_CPU_OFF:
		cpu_off((unsigned)(SYSREG_READ(mpidr_el1) & 0xff));
	case PSCI_AFFINITY_INFO: {
		int cpu = cpu_of_mpidr(a1);
		if (cpu < 0 || a2 != 0)
			set_ret(ctx, PSCI_RET_INVALID_PARAMS);
		else
			set_ret(ctx, cpu_state[cpu]);
		return 1;
	}
	case PSCI_SYSTEM_OFF:
		mon_system_off();
	case PSCI_SYSTEM_RESET:
		mon_system_reset();
	default:
		set_ret(ctx, PSCI_RET_NOT_SUPPORTED);
		return 1;
	}
}
