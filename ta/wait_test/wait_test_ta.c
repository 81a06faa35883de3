/* The wait test TA (include/wait_test_ta.h): a long computation, a
 * cancellable wait, and the cancellation mask as GP defines it. */
#include <tee_internal_api.h>

#include <wait_test_ta.h>

static uint64_t now_ms(void)
{
	TEE_Time t;
	TEE_GetSystemTime(&t);
	return (uint64_t)t.seconds * 1000 + t.millis;
}

static TEE_Result cmd_spin(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	/* Unmasked, and never looking at the flag: a TA that ignores a cancel. */
	if (p[0].value.b)
		TEE_UnmaskCancellation();
	uint64_t start = now_ms(), now = start;
	volatile uint32_t x = 1;
	while (now - start < p[0].value.a) {
		for (unsigned i = 0; i < 1000; i++)
			x = x * 1103515245U + 12345U;
		now = now_ms();
	}
	p[1].value.a = (uint32_t)(now - start);
	return TEE_SUCCESS;
}

static TEE_Result cmd_wait(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	if (p[0].value.b)
		TEE_UnmaskCancellation();
	uint64_t start = now_ms();
	TEE_Result res = TEE_Wait(p[0].value.a);
	p[1].value.a = (uint32_t)(now_ms() - start);
	p[1].value.b = TEE_GetCancellationFlag();
	return res;
}

static TEE_Result cmd_masks(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	uint32_t r = 0;
	r |= (uint32_t)TEE_UnmaskCancellation() << 0;
	r |= (uint32_t)TEE_UnmaskCancellation() << 1;
	r |= (uint32_t)TEE_MaskCancellation() << 2;
	r |= (uint32_t)TEE_MaskCancellation() << 3;
	p[0].value.a = r;
	return TEE_SUCCESS;
}

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t types, TEE_Param params[TEE_NUM_PARAMS],
                                    void **session)
{
	(void)types;
	(void)params;
	*session = 0;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *session)
{
	(void)session;
}

TEE_Result TA_InvokeCommandEntryPoint(void *session, uint32_t cmd, uint32_t types,
                                      TEE_Param params[TEE_NUM_PARAMS])
{
	(void)session;
	switch (cmd) {
	case TA_WAIT_TEST_CMD_SPIN:
		return cmd_spin(types, params);
	case TA_WAIT_TEST_CMD_WAIT:
		return cmd_wait(types, params);
	case TA_WAIT_TEST_CMD_MASKS:
		return cmd_masks(types, params);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
