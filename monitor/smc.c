/* SMC dispatch by SMCCC function identifier, and the world switch that
 * carries normal-world Trusted OS calls to the secure kernel and back.
 *
 * The secure kernel runs on every CPU: a Trusted OS call made on CPU n
 * enters the secure kernel on CPU n (its secure context, context.c), and
 * its CALL_DONE resumes CPU n's normal world. Nothing is forwarded between
 * CPUs and the monitor takes no lock: all it switches is per CPU. The
 * kernel boots on CPU 0; on any CPU that PSCI CPU_ON starts (CPU 0 too,
 * after a CPU_OFF), the monitor enters it once at the entry point it gave
 * (kernel_cpu_entry) before the normal world starts there. */
#include <stdint.h>

#include "../include/microtee/smc.h"
#include "../platform/qemu-virt/platform.h"
#include "monitor.h"

#define ESR_EC_SHIFT   26
#define ESR_EC_SMC64   0x17
#define ESR_EC_UNKNOWN 0x00 /* how an undefined instruction is reported */
#define ESR_IL         (1UL << 25) /* the trapped instruction was 32 bits */

/* PSTATE as saved in SPSR_ELx (AArch64 layout), and the controls of what
 * exception entry does to it (Arm ARM, AArch64.TakeException). */
#define SPSR_M_SPX     (1UL << 0) /* AArch64: SP_ELx, not SP_EL0 */
#define SPSR_M_EL_SHIFT 2
#define SPSR_M_AARCH32 (1UL << 4)
#define SPSR_DAIF      (0xfUL << 6)
#define SPSR_SSBS      (1UL << 12)
#define SPSR_PAN       (1UL << 22)
#define SPSR_DIT       (1UL << 24)
#define SPSR_TCO       (1UL << 25)
#define SPSR_NZCV      (0xfUL << 28)
#define SCTLR_SPAN     (1UL << 23) /* 0: entry sets PSTATE.PAN */
#define SCTLR_DSSBS    (1UL << 44) /* PSTATE.SSBS on entry */
#define HCR_TGE        (1UL << 27)
#define HCR_E2H        (1UL << 34)
/* Vector table offsets: synchronous exceptions from the current EL with
 * SP_EL0 / SP_ELx, from a lower EL in AArch64 / AArch32. */
#define VEC_CUR_SP0    0x000
#define VEC_CUR_SPX    0x200
#define VEC_LOWER_A64  0x400
#define VEC_LOWER_A32  0x600

/* Where the normal world starts when the secure kernel first hands over; 0
 * while there is no normal-world image. */
static uint64_t ns_entry;
/* Where the secure kernel enters on a CPU after CPU_ON (it says so when it
 * has booted on CPU 0); 0 until then. */
static uint64_t kernel_cpu_entry;
/* Per CPU: the secure kernel runs there (booted, and not turned off since). */
static volatile int secure_up[PLAT_MAX_CPUS];
/* Trusted OS calls each CPU carried into the secure kernel (reported at
 * SYSTEM_OFF). */
unsigned long mon_tos_calls[PLAT_MAX_CPUS];

static unsigned cpu_index(void)
{
	return (unsigned)(SYSREG_READ(mpidr_el1) & 0xff);
}

static void set_result(struct world_ctx *ctx, uint64_t r0)
{
	ctx->x[0] = r0;
}

/* Trusted OS calls made by the secure kernel to the monitor. */
static struct world_ctx *secure_tos_call(struct cpu_state *cpu, struct world_ctx *ctx, uint32_t fid)
{
	switch (fid) {
	case MT_SMC_SELFTEST_ECHO:
		/* Echo x1..x7 reversed: lets the kernel check that a round trip
		 * through EL3 preserves what it should and returns what it must. */
		for (int i = 1; i <= 3; i++) {
			uint64_t t = ctx->x[i];
			ctx->x[i] = ctx->x[8 - i];
			ctx->x[8 - i] = t;
		}
		set_result(ctx, 0);
		return ctx;
	case MT_SMC_RETURN_ENTRY_DONE: {
		unsigned me = cpu_index();
		if (secure_up[me]) {
			set_result(ctx, (uint64_t)SMCCC_NOT_SUPPORTED);
			return ctx;
		}
		if (!kernel_cpu_entry)
			kernel_cpu_entry = ctx->x[1];
		/* x2 = 1: the kernel has no state for this CPU and does not
		 * run here; its Trusted OS calls are refused. */
		secure_up[me] = ctx->x[2] != 1;
		if (!ns_entry) {
			set_result(ctx, (uint64_t)SMCCC_NOT_SUPPORTED);
			return ctx;
		}
		return ctx_switch_world(cpu, WORLD_NS);
	}
	case MT_SMC_RETURN_FIQ_DONE:
		return ctx_switch_world(cpu, WORLD_NS);
	case MT_SMC_RETURN_CALL_DONE: {
		struct world_ctx *ns = ctx_switch_world(cpu, WORLD_NS);
		for (int i = 0; i < 4; i++)
			ns->x[i] = ctx->x[i + 1];
		return ns;
	}
	default:
		set_result(ctx, (uint64_t)SMCCC_NOT_SUPPORTED);
		return ctx;
	}
}

/* A normal-world Trusted OS call: resume the secure kernel with the
 * caller's arguments; its CALL_DONE brings the results back. */
static struct world_ctx *ns_tos_call(struct cpu_state *cpu, struct world_ctx *ctx)
{
	unsigned me = cpu_index();
	if (!secure_up[me]) {
		set_result(ctx, (uint64_t)SMCCC_NOT_SUPPORTED);
		return ctx;
	}
	mon_tos_calls[me]++;
	struct world_ctx *s = ctx_switch_world(cpu, WORLD_SECURE);
	s->x[0] = MT_ENTRY_NS_CALL;
	for (int i = 0; i < 7; i++)
		s->x[i + 1] = ctx->x[i];
	return s;
}

static struct world_ctx *handle_smc(struct cpu_state *cpu, struct world_ctx *ctx)
{
	uint32_t fid = (uint32_t)ctx->x[0];
	unsigned owner = (fid >> SMCCC_OWNER_SHIFT) & SMCCC_OWNER_MASK;
	int fast = (fid & SMCCC_FAST) != 0;

	/* Bits 23:17 must be zero in a fast call; bit 16 is the SVE hint. */
	if (fast && (fid & 0x00FE0000U)) {
		set_result(ctx, (uint64_t)SMCCC_NOT_SUPPORTED);
		return ctx;
	}
	switch (owner) {
	case SMCCC_OWNER_ARCH:
		if (fid == SMCCC_VERSION) {
			set_result(ctx, SMCCC_VERSION_1_1);
		} else if (fid == SMCCC_ARCH_FEATURES) {
			uint32_t q = (uint32_t)ctx->x[1];
			set_result(ctx, q == SMCCC_VERSION || q == SMCCC_ARCH_FEATURES
			                    ? 0
			                    : (uint64_t)SMCCC_NOT_SUPPORTED);
		} else {
			set_result(ctx, (uint64_t)SMCCC_NOT_SUPPORTED);
		}
		return ctx;
	case SMCCC_OWNER_STD:
		if (!psci_handle(ctx, fid))
			set_result(ctx, (uint64_t)SMCCC_NOT_SUPPORTED);
		return ctx;
	default:
		if (owner >= SMCCC_OWNER_TOS_FIRST && owner <= SMCCC_OWNER_TOS_LAST) {
			if (cpu->current == WORLD_SECURE)
				return secure_tos_call(cpu, ctx, fid);
			return ns_tos_call(cpu, ctx);
		}
		set_result(ctx, (uint64_t)SMCCC_NOT_SUPPORTED);
		return ctx;
	}
}

static unsigned id_field(uint64_t reg, unsigned shift)
{
	return (unsigned)(reg >> shift) & 0xf;
}

/* An instruction of the normal world trapped to EL3 (a Group 0 GIC register,
 * say) that the monitor does not emulate: the normal world gets the
 * undefined-instruction exception it would get without EL3, taken to the EL
 * that handles it there. From EL2 that is EL2; from EL1, EL1; from EL0, EL1,
 * or EL2 when HCR_EL2.TGE routes EL0's exceptions there. The registers of
 * that EL are live (only EL1's are switched between worlds, and the normal
 * world is the current one), so they are written directly:
 *   ESR = EC 0 (unknown reason), IL as the trapped instruction's;
 *   ELR = the trapped instruction; SPSR = the PSTATE it ran with;
 *   FAR is left alone: it is UNKNOWN for this exception class;
 * and the normal world resumes at that EL's vector, with PSTATE as exception
 * entry makes it: DAIF masked, SP_ELx, NZCV and DIT kept, PAN set unless
 * SCTLR.SPAN says otherwise, SSBS from SCTLR.DSSBS, TCO set with MTE, the
 * rest (SS, IL, BTYPE, UAO) zero. */
static struct world_ctx *inject_undef(struct world_ctx *ctx, uint64_t esr)
{
	uint64_t spsr = ctx->spsr;
	int a32 = (spsr & SPSR_M_AARCH32) != 0;
	unsigned from = a32 ? 0 : (unsigned)(spsr >> SPSR_M_EL_SHIFT) & 3;
	uint64_t hcr = mon_ns_el2 ? SYSREG_READ(hcr_el2) : 0;
	unsigned to = from == 2 || (from == 0 && (hcr & HCR_TGE)) ? 2 : 1;
	uint64_t off = a32 ? VEC_LOWER_A32
	               : from < to ? VEC_LOWER_A64
	               : (spsr & SPSR_M_SPX) ? VEC_CUR_SPX : VEC_CUR_SP0;
	uint64_t new_esr = (esr & ESR_IL) | ((uint64_t)ESR_EC_UNKNOWN << ESR_EC_SHIFT);
	uint64_t vbar, sctlr;
	int span_applies; /* PAN is an EL1 (or EL2&0 host) matter */
	if (to == 2) {
		SYSREG_WRITE(esr_el2, new_esr);
		SYSREG_WRITE(elr_el2, ctx->elr);
		SYSREG_WRITE(spsr_el2, spsr);
		vbar = SYSREG_READ(vbar_el2);
		sctlr = SYSREG_READ(sctlr_el2);
		span_applies = (hcr & (HCR_E2H | HCR_TGE)) == (HCR_E2H | HCR_TGE);
	} else {
		SYSREG_WRITE(esr_el1, new_esr);
		SYSREG_WRITE(elr_el1, ctx->elr);
		SYSREG_WRITE(spsr_el1, spsr);
		vbar = SYSREG_READ(vbar_el1);
		sctlr = SYSREG_READ(sctlr_el1);
		span_applies = 1;
	}
	uint64_t mmfr1 = SYSREG_READ(id_aa64mmfr1_el1), pfr1 = SYSREG_READ(id_aa64pfr1_el1);
	/* NZCV and PAN are at the same places in an AArch32 SPSR; DIT is at 21. */
	uint64_t dit = a32 ? ((spsr >> 21) & 1) << 24 : spsr & SPSR_DIT;
	uint64_t pstate = (spsr & (SPSR_NZCV | SPSR_PAN)) | dit | SPSR_DAIF |
	                  ((uint64_t)to << SPSR_M_EL_SHIFT) | SPSR_M_SPX;
	if (id_field(mmfr1, 20) != 0 && span_applies && !(sctlr & SCTLR_SPAN)) /* FEAT_PAN */
		pstate |= SPSR_PAN;
	if (id_field(pfr1, 4) != 0 && (sctlr & SCTLR_DSSBS)) /* FEAT_SSBS */
		pstate |= SPSR_SSBS;
	if (id_field(pfr1, 8) != 0) /* FEAT_MTE */
		pstate |= SPSR_TCO;
	__asm__ volatile("isb");
	ctx->elr = vbar + off;
	ctx->spsr = pstate;
	return ctx;
}

/* Trapped normal-world instructions so far, all answered with an UNDEF; the
 * first few are logged. */
static unsigned long ns_undef_injected;

struct world_ctx *mon_handle_exception(struct world_ctx *ctx, unsigned kind)
{
	struct cpu_state *cpu = &mon_cpu[cpu_index()];
	uint64_t esr = SYSREG_READ(esr_el3);

	if (kind == 8 && (esr >> ESR_EC_SHIFT) == ESR_EC_SMC64)
		return handle_smc(cpu, ctx);
	if (kind == 8 && cpu->current == WORLD_NS) {
		if (ns_undef_injected++ < 4)
			mon_printf("[mon] normal world: trapped instruction at 0x%lx (esr 0x%lx): "
			           "undefined instruction exception injected\n",
			           (unsigned long)ctx->elr, (unsigned long)esr);
		return inject_undef(ctx, esr);
	}
	if (kind == 10 && cpu->current == WORLD_NS) {
		/* An FIQ while the normal world ran: a secure interrupt (1020:
		 * Secure Group 1 pending; the secure timer, or the kernel's kick
		 * from another CPU) for this CPU's secure kernel, which takes it
		 * and comes back with RETURN_FIQ_DONE. */
		unsigned id = gic_ack_group0();
		if (!secure_up[cpu_index()] || id != 1020)
			return ctx;
		struct world_ctx *s = ctx_switch_world(cpu, WORLD_SECURE);
		s->x[0] = MT_ENTRY_FIQ;
		return s;
	}
	mon_printf("[mon] unexpected exception kind=%u from %s world: esr=0x%lx elr=0x%lx\n", kind,
	           cpu->current == WORLD_NS ? "normal" : "secure", esr, ctx->elr);
	mon_system_off();
}

void mon_set_ns_entry(uint64_t entry)
{
	ns_entry = entry;
}

/* PSCI CPU_ON, on the CPU being started, its normal-world context ready:
 * the secure kernel's per-CPU start first (it returns with ENTRY_DONE, which
 * resumes the normal world); the normal world directly if there is no
 * secure kernel to start. */
struct world_ctx *mon_cpu_start(unsigned n)
{
	struct cpu_state *cpu = &mon_cpu[n];
	struct world_ctx *ns = &cpu->world[WORLD_NS];
	secure_up[n] = 0;
	if (!kernel_cpu_entry) {
		ctx_el1_restore(&ns->sys);
		fpsimd_restore(&ns->fp);
		SYSREG_WRITE(scr_el3, ns->scr);
		__asm__ volatile("isb");
		cpu->current = WORLD_NS;
		return ns;
	}
	/* The secure side starts afresh: MMU off, no state kept from before
	 * a CPU_OFF (the kernel sets every register it uses). */
	struct world_ctx *s = &cpu->world[WORLD_SECURE];
	uint64_t mon_sp = s->mon_sp, scr = s->scr;
	for (unsigned i = 0; i < sizeof(*s) / sizeof(uint64_t); i++)
		((uint64_t *)s)[i] = 0;
	s->mon_sp = mon_sp;
	s->scr = scr;
	s->elr = kernel_cpu_entry;
	s->spsr = 0x3c5; /* EL1h, DAIF masked */
	s->x[0] = n;
	s->sys.sctlr = 0x30d00800; /* RES1 bits: MMU and caches off */
	/* Nothing of the normal world's EL1 state (before a CPU_OFF) reaches
	 * the secure kernel: every EL1 register and the FP file start zero. */
	ctx_el1_restore(&s->sys);
	fpsimd_restore(&s->fp);
	SYSREG_WRITE(scr_el3, scr);
	__asm__ volatile("isb");
	cpu->current = WORLD_SECURE;
	return s;
}

/* PSCI CPU_OFF: this CPU's secure kernel holds nothing (the CPU is in the
 * normal world, so it carries no call) and restarts at the next CPU_ON. */
void mon_cpu_stopped(unsigned n)
{
	secure_up[n] = 0;
	/* Its secure tick stops until the kernel starts there again. */
	SYSREG_WRITE(s3_7_c14_c2_1, 0); /* CNTPS_CTL_EL1 */
	__asm__ volatile("isb");
}
