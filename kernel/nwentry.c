/* Entry from the normal world. When the secure world has nothing to run it
 * hands the CPU back to the monitor, which resumes the normal world; the
 * monitor comes back here with a normal-world call or a secure interrupt.
 * The pending "return" SMC is the state of this small machine. */
#include "../include/microtee/smc.h"
#include "kernel.h"

void arch_smc(uint64_t regs[8]);
void arch_irq_poll(void);
uint64_t kernel_ticks(void);

int nw_present;
static uint64_t next_return[8] = {MT_SMC_RETURN_ENTRY_DONE};

/* OP-TEE's UID for its SMC interface, which Linux's optee driver checks. */
static const uint32_t optee_uid[4] = {0x384fb3e0, 0xe7f811e3, 0xaf630002, 0xa5d5c51b};

/* Answers a fast call in place; r[0..3] become the results. */
static void fast_call(uint64_t *r)
{
	uint32_t fid = (uint32_t)r[0];
	switch (fid) {
	case OPTEE_SMC_CALLS_UID:
		for (int i = 0; i < 4; i++)
			r[i] = optee_uid[i];
		return;
	case OPTEE_SMC_CALLS_REVISION:
		r[0] = 2;
		r[1] = 0;
		return;
	case OPTEE_SMC_GET_OS_REVISION:
		r[0] = 0; /* MicroTEE 0.1 */
		r[1] = 1;
		r[2] = 0;
		return;
	case OPTEE_SMC_EXCHANGE_CAPABILITIES:
		/* Only dynamic shared memory: the normal world registers its
		 * buffers, there is no reserved pool. */
		r[0] = OPTEE_SMC_RETURN_OK;
		r[1] = OPTEE_SMC_SEC_CAP_DYNAMIC_SHM;
		r[2] = 0;
		r[3] = 0;
		return;
	case OPTEE_SMC_DISABLE_SHM_CACHE:
		/* No shared-memory cache, so nothing cached to hand back. */
		r[0] = OPTEE_SMC_RETURN_ENOTAVAIL;
		return;
	case OPTEE_SMC_ENABLE_SHM_CACHE:
		r[0] = OPTEE_SMC_RETURN_OK;
		return;
	case OPTEE_SMC_CALL_WITH_ARG:
	case OPTEE_SMC_CALL_RETURN_FROM_RPC:
		/* Yielding calls (OP-TEE messages) are not served yet: the
		 * driver reports a communication error to its caller. */
		r[0] = OPTEE_SMC_RETURN_EBADCMD;
		return;
	case MT_SMC_GET_STATS:
		r[0] = 0;
		r[1] = kernel_ticks();
		return;
	default:
		r[0] = OPTEE_SMC_RETURN_UNKNOWN_FUNCTION;
		return;
	}
}

/* Gives the CPU to the normal world until something needs the secure one. */
void nw_idle(void)
{
	uint64_t r[8];
	memcpy(r, next_return, sizeof(r));
	arch_smc(r);
	memset(next_return, 0, sizeof(next_return));
	switch (r[0]) {
	case MT_ENTRY_NS_CALL:
		fast_call(&r[1]);
		next_return[0] = MT_SMC_RETURN_CALL_DONE;
		for (int i = 1; i <= 4; i++)
			next_return[i] = r[i];
		break;
	case MT_ENTRY_FIQ:
		arch_irq_poll();
		next_return[0] = MT_SMC_RETURN_FIQ_DONE;
		break;
	default:
		panic("monitor resumed the kernel with 0x%lx", (unsigned long)r[0]);
	}
}
