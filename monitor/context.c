/* World switch: the EL1 system registers and FP/SIMD state of each world.
 * AArch64 does not bank EL1 registers between the security states, so the
 * monitor must carry them across every switch. */
#include "context.h"

#include <assert.h>
#include <stddef.h>

static_assert(offsetof(struct world_ctx, sp_el0) == CTX_SP_EL0, "ctx layout");
static_assert(offsetof(struct world_ctx, elr) == CTX_ELR, "ctx layout");
static_assert(offsetof(struct world_ctx, spsr) == CTX_SPSR, "ctx layout");
static_assert(offsetof(struct world_ctx, mon_sp) == CTX_MON_SP, "ctx layout");
static_assert(offsetof(struct world_ctx, fp) == CTX_FP, "ctx layout");

#define READ(reg) ({ uint64_t v_; __asm__ volatile("mrs %0, " #reg : "=r"(v_)); v_; })
#define WRITE(reg, v) __asm__ volatile("msr " #reg ", %0" ::"r"((uint64_t)(v)))

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
