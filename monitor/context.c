/* World switch: the EL1 system registers and FP/SIMD state of each world.
 * AArch64 does not bank EL1 registers between the security states, so the
 * monitor must carry them across every switch. */
#include "context.h"

#include <stddef.h>

_Static_assert(offsetof(struct world_ctx, sp_el0) == CTX_SP_EL0, "ctx layout");
_Static_assert(offsetof(struct world_ctx, elr) == CTX_ELR, "ctx layout");
_Static_assert(offsetof(struct world_ctx, spsr) == CTX_SPSR, "ctx layout");
_Static_assert(offsetof(struct world_ctx, mon_sp) == CTX_MON_SP, "ctx layout");
_Static_assert(offsetof(struct world_ctx, fp) == CTX_FP, "ctx layout");

#define READ(reg) ({ uint64_t v_; __asm__ volatile("mrs %0, " #reg : "=r"(v_)); v_; })
#define WRITE(reg, v) __asm__ volatile("msr " #reg ", %0" ::"r"((uint64_t)(v)))

/* Pointer authentication keys exist when ID_AA64ISAR1_EL1 reports an
 * address or generic authentication algorithm (APA, API, GPA, GPI). */
static int has_pauth(void)
{
	return (READ(id_aa64isar1_el1) & 0xff0000ff0ULL) != 0;
}

void ctx_el1_save(struct el1_sysregs *s)
{
	s->sctlr = READ(sctlr_el1);
	s->actlr = READ(actlr_el1);
	s->cpacr = READ(cpacr_el1);
	s->csselr = READ(csselr_el1);
	s->ttbr0 = READ(ttbr0_el1);
	s->ttbr1 = READ(ttbr1_el1);
	s->tcr = READ(tcr_el1);
	s->mair = READ(mair_el1);
	s->amair = READ(amair_el1);
	s->vbar = READ(vbar_el1);
	s->contextidr = READ(contextidr_el1);
	s->tpidr_el0 = READ(tpidr_el0);
	s->tpidrro_el0 = READ(tpidrro_el0);
	s->tpidr_el1 = READ(tpidr_el1);
	s->sp_el1 = READ(sp_el1);
	s->elr_el1 = READ(elr_el1);
	s->spsr_el1 = READ(spsr_el1);
	s->esr = READ(esr_el1);
	s->far = READ(far_el1);
	s->afsr0 = READ(afsr0_el1);
	s->afsr1 = READ(afsr1_el1);
	s->par = READ(par_el1);
	s->cntkctl = READ(cntkctl_el1);
	s->mdscr = READ(mdscr_el1);
	if (has_pauth()) {
		s->pauth[0] = READ(s3_0_c2_c1_0); /* APIAKeyLo_EL1 */
		s->pauth[1] = READ(s3_0_c2_c1_1);
		s->pauth[2] = READ(s3_0_c2_c1_2); /* APIBKey */
		s->pauth[3] = READ(s3_0_c2_c1_3);
		s->pauth[4] = READ(s3_0_c2_c2_0); /* APDAKey */
		s->pauth[5] = READ(s3_0_c2_c2_1);
		s->pauth[6] = READ(s3_0_c2_c2_2); /* APDBKey */
		s->pauth[7] = READ(s3_0_c2_c2_3);
		s->pauth[8] = READ(s3_0_c2_c3_0); /* APGAKey */
		s->pauth[9] = READ(s3_0_c2_c3_1);
	}
}

void ctx_el1_restore(const struct el1_sysregs *s)
{
	WRITE(sctlr_el1, s->sctlr);
	WRITE(actlr_el1, s->actlr);
	WRITE(cpacr_el1, s->cpacr);
	WRITE(csselr_el1, s->csselr);
	WRITE(ttbr0_el1, s->ttbr0);
	WRITE(ttbr1_el1, s->ttbr1);
	WRITE(tcr_el1, s->tcr);
	WRITE(mair_el1, s->mair);
	WRITE(amair_el1, s->amair);
	WRITE(vbar_el1, s->vbar);
	WRITE(contextidr_el1, s->contextidr);
	WRITE(tpidr_el0, s->tpidr_el0);
	WRITE(tpidrro_el0, s->tpidrro_el0);
	WRITE(tpidr_el1, s->tpidr_el1);
	WRITE(sp_el1, s->sp_el1);
	WRITE(elr_el1, s->elr_el1);
	WRITE(spsr_el1, s->spsr_el1);
	WRITE(esr_el1, s->esr);
	WRITE(far_el1, s->far);
	WRITE(afsr0_el1, s->afsr0);
	WRITE(afsr1_el1, s->afsr1);
	WRITE(par_el1, s->par);
	WRITE(cntkctl_el1, s->cntkctl);
	WRITE(mdscr_el1, s->mdscr);
	if (has_pauth()) {
		WRITE(s3_0_c2_c1_0, s->pauth[0]);
		WRITE(s3_0_c2_c1_1, s->pauth[1]);
		WRITE(s3_0_c2_c1_2, s->pauth[2]);
		WRITE(s3_0_c2_c1_3, s->pauth[3]);
		WRITE(s3_0_c2_c2_0, s->pauth[4]);
		WRITE(s3_0_c2_c2_1, s->pauth[5]);
		WRITE(s3_0_c2_c2_2, s->pauth[6]);
		WRITE(s3_0_c2_c2_3, s->pauth[7]);
		WRITE(s3_0_c2_c3_0, s->pauth[8]);
		WRITE(s3_0_c2_c3_1, s->pauth[9]);
	}
	__asm__ volatile("isb");
}

struct world_ctx *ctx_switch_world(struct cpu_state *cpu, int to)
{
	struct world_ctx *from = &cpu->world[cpu->current];
	struct world_ctx *next = &cpu->world[to];

	if (to == cpu->current)
		return next;
	ctx_el1_save(&from->sys);
	fpsimd_save(&from->fp);
	ctx_el1_restore(&next->sys);
	fpsimd_restore(&next->fp);
	WRITE(scr_el3, next->scr);
	__asm__ volatile("isb");
	cpu->current = to;
	return next;
}
