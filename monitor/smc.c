/* SMC dispatch by SMCCC function identifier, and the world switch that
 * carries normal-world Trusted OS calls to the secure kernel and back. */
#include <stdint.h>

#include "../include/microtee/smc.h"
#include "../platform/qemu-virt/platform.h"
#include "monitor.h"

#define ESR_EC_SHIFT 26
#define ESR_EC_SMC64 0x17

/* Where the normal world starts when the secure kernel first hands over; 0
 * while there is no normal-world image. */
static uint64_t ns_entry;
static int secure_ready;

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
	case MT_SMC_RETURN_ENTRY_DONE:
		secure_ready = 1;
		if (!ns_entry) {
			set_result(ctx, (uint64_t)SMCCC_NOT_SUPPORTED);
			return ctx;
		}
		return ctx_switch_world(cpu, WORLD_NS);
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
	if (!secure_ready) {
		set_result(ctx, (uint64_t)SMCCC_NOT_SUPPORTED);
		return ctx;
	}
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

struct world_ctx *mon_handle_exception(struct world_ctx *ctx, unsigned kind)
{
	struct cpu_state *cpu = &mon_cpu[cpu_index()];
	uint64_t esr = SYSREG_READ(esr_el3);

	if (kind == 8 && (esr >> ESR_EC_SHIFT) == ESR_EC_SMC64)
		return handle_smc(cpu, ctx);
	if (kind == 10 && cpu->current == WORLD_NS && secure_ready) {
		/* A secure interrupt while the normal world ran: let the secure
		 * kernel take it; it comes back with RETURN_FIQ_DONE. */
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
