/* The crash TA (include/crash_ta.h). tests/system/crash.sh finds the lines
 * marked CRASH-LINE in scripts/symbolize's output: keep the markers on the
 * faulting store and on the calls. */
#include <stdint.h>
#include <tee_internal_api.h>

#include <crash_ta.h>

/* Where crash_c writes: 0, which the compiler cannot see. */
static volatile uintptr_t crash_target;
/* A value the calls depend on, so that none becomes a tail call. */
static volatile uint32_t crash_sink;

/* crash_fp.S: sets x29 to fp and writes to `at`; the kernel walks a chain
 * that starts there. */
void crash_with_fp(uintptr_t fp, uintptr_t at);

static uint32_t __attribute__((noinline)) crash_c(uint32_t x)
{
	*(volatile uint32_t *)crash_target = x; /* CRASH-LINE fault */
	__asm__ volatile("" ::: "memory");
	return x + crash_sink;
}

static uint32_t __attribute__((noinline)) crash_b(uint32_t x, int panic)
{
	if (panic)
		TEE_Panic(TA_CRASH_PANIC_CODE); /* CRASH-LINE panic */
	uint32_t r = crash_c(x + 1);            /* CRASH-LINE call c */
	__asm__ volatile("" ::: "memory");
	return r * 3;
}

static uint32_t __attribute__((noinline)) crash_a(uint32_t x, int panic)
{
	uint32_t r = crash_b(x * 2, panic); /* CRASH-LINE call b */
	__asm__ volatile("" ::: "memory");
	return r - 1;
}

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t paramTypes, TEE_Param params[TEE_NUM_PARAMS],
                                    void **sessionContext)
{
	(void)paramTypes;
	(void)params;
	*sessionContext = 0;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sessionContext)
{
	(void)sessionContext;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sessionContext, uint32_t commandID, uint32_t paramTypes,
                                      TEE_Param params[TEE_NUM_PARAMS])
{
	(void)sessionContext;
	(void)paramTypes;
	(void)params;
	/* A frame record on this stack (FP_LOOP: naming itself as its caller). */
	uint64_t rec[2] __attribute__((aligned(16)));
	switch (commandID) {
	case TA_CRASH_CMD_NESTED:
		crash_sink = crash_a(1, 0); /* CRASH-LINE invoke nested */
		break;
	case TA_CRASH_CMD_FP_KERNEL:
		crash_with_fp(0x0e080000, crash_target); /* the kernel's text */
		break;
	case TA_CRASH_CMD_FP_UNMAPPED:
		crash_with_fp(0x70000000, crash_target);
		break;
	case TA_CRASH_CMD_FP_MISALIGNED:
		crash_with_fp((uintptr_t)rec + 4, crash_target);
		break;
	case TA_CRASH_CMD_FP_LOOP:
		rec[0] = (uintptr_t)rec;
		rec[1] = (uintptr_t)&crash_with_fp;
		__asm__ volatile("" ::"r"(rec) : "memory");
		crash_with_fp((uintptr_t)rec, crash_target);
		break;
	case TA_CRASH_CMD_PANIC:
		crash_sink = crash_a(1, 1); /* CRASH-LINE invoke panic */
		break;
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
	return TEE_ERROR_GENERIC; /* not reached */
}
