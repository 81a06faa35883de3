/* Per-CPU, per-world saved state the monitor switches between. The offsets
 * are shared with start.S; _Static_asserts in context.c keep them honest. */
#ifndef MONITOR_CONTEXT_H
#define MONITOR_CONTEXT_H

#define CTX_X0 0
#define CTX_X30 (30 * 8)
#define CTX_SP_EL0 (31 * 8)
#define CTX_ELR (32 * 8)
#define CTX_SPSR (33 * 8)
#define CTX_MON_SP (34 * 8)
#define CTX_FP (64 * 8) /* FP/SIMD block: q0..q31, then fpsr, fpcr */

#define WORLD_SECURE 0
#define WORLD_NS 1

#ifndef __ASSEMBLER__
#include <stdint.h>

struct el1_sysregs {
	uint64_t sctlr, actlr, cpacr, csselr;
	uint64_t ttbr0, ttbr1, tcr, mair, amair;
	uint64_t vbar, contextidr, tpidr_el0, tpidrro_el0, tpidr_el1;
	uint64_t sp_el1, elr_el1, spsr_el1, esr, far, afsr0, afsr1, par;
	uint64_t cntkctl, mdscr;
	uint64_t pauth[10]; /* APIA, APIB, APDA, APDB, APGA keys (lo, hi), with FEAT_PAuth */
};

struct fp_regs {
	__uint128_t q[32];
	uint64_t fpsr, fpcr;
};

struct world_ctx {
	uint64_t x[31];
	uint64_t sp_el0, elr, spsr;
	uint64_t mon_sp; /* top of this CPU's monitor stack */
	uint64_t scr;    /* SCR_EL3 this world runs with */
	uint64_t pad[64 - 36];
	struct fp_regs fp;
	struct el1_sysregs sys;
};

/* One pair of worlds per CPU. */
struct cpu_state {
	struct world_ctx world[2];
	int current; /* WORLD_SECURE or WORLD_NS */
};

void fpsimd_save(struct fp_regs *fp);          /* common/fpsimd.S */
void fpsimd_restore(const struct fp_regs *fp); /* common/fpsimd.S */
void ctx_el1_save(struct el1_sysregs *s);
void ctx_el1_restore(const struct el1_sysregs *s);
/* Saves the running world's EL1 and FP state and loads `to`'s; returns the
 * context the exception return path must restore. */
struct world_ctx *ctx_switch_world(struct cpu_state *cpu, int to);
#endif
#endif
