/* A TA that lives in the normal world's file system (see Makefile). */
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include <installed_ta.h>

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
	(void)sessionContext;
	IMSG("installed TA: session opened");
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
	switch (commandID) {
	case TA_INSTALLED_CMD_ADD:
		if (paramTypes != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
		                                  TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
			return TEE_ERROR_BAD_PARAMETERS;
		params[1].value.a = params[0].value.a + params[0].value.b + 1000;
		return TEE_SUCCESS;
	case TA_INSTALLED_CMD_PANIC:
		TEE_Panic(0xbad);
		return TEE_ERROR_GENERIC;
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
