/* The keep-alive test TA (include/keepalive_test_ta.h): a counter that
 * lives as long as the instance, which is kept after its last session, so
 * a client sees it go on across sessions. */
#include <tee_internal_api.h>

#include <keepalive_test_ta.h>

static uint32_t counter, sessions;

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
	sessions++;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *session)
{
	(void)session;
	sessions--;
}

TEE_Result TA_InvokeCommandEntryPoint(void *session, uint32_t cmd, uint32_t types,
                                      TEE_Param p[TEE_NUM_PARAMS])
{
	(void)session;
	switch (cmd) {
	case TA_KEEPALIVE_TEST_CMD_COUNT:
		if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
		                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
			return TEE_ERROR_BAD_PARAMETERS;
		p[0].value.a = ++counter;
		p[0].value.b = sessions;
		return TEE_SUCCESS;
	case TA_KEEPALIVE_TEST_CMD_WAIT: {
		if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT,
		                             TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
		                             TEE_PARAM_TYPE_NONE))
			return TEE_ERROR_BAD_PARAMETERS;
		if (p[0].value.b)
			TEE_UnmaskCancellation();
		TEE_Time t0, t1;
		TEE_GetSystemTime(&t0);
		TEE_Result r = TEE_Wait(p[0].value.a);
		TEE_GetSystemTime(&t1);
		p[1].value.a = (t1.seconds - t0.seconds) * 1000 + t1.millis - t0.millis;
		return r;
	}
	case TA_KEEPALIVE_TEST_CMD_PANIC:
		TEE_Panic(0x4b41); /* "KA" */
		return TEE_ERROR_GENERIC;
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
