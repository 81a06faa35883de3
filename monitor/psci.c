/* PSCI: the power calls an OS makes to firmware. */
#include <stdint.h>

#include "../include/microtee/smc.h"
#include "monitor.h"

int psci_handle(struct world_ctx *ctx, uint32_t fid)
{
	uint32_t f32 = fid & ~SMCCC_SMC64;

	if ((fid & 0xFFFFFFE0U) != 0x84000000U && (fid & 0xFFFFFFE0U) != 0xC4000000U)
		return 0;
	switch (f32) {
	case PSCI_VERSION:
		ctx->x[0] = 0x10001; /* 1.1 */
		return 1;
	case PSCI_MIGRATE_INFO_TYPE:
		ctx->x[0] = 2; /* no Trusted OS migration needed */
		return 1;
	case PSCI_FEATURES: {
		uint32_t q = (uint32_t)ctx->x[1] & ~SMCCC_SMC64;
		int known = q == PSCI_VERSION || q == PSCI_MIGRATE_INFO_TYPE || q == PSCI_FEATURES ||
			    q == PSCI_SYSTEM_OFF || q == PSCI_SYSTEM_RESET;
		ctx->x[0] = known ? 0 : (uint64_t)(int64_t)PSCI_RET_NOT_SUPPORTED;
		return 1;
	}
	case PSCI_SYSTEM_OFF:
		mon_system_off();
	case PSCI_SYSTEM_RESET:
		mon_system_reset();
	default:
		ctx->x[0] = (uint64_t)(int64_t)PSCI_RET_NOT_SUPPORTED;
		return 1;
	}
}
