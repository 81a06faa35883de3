/* The hostile TA: entry points. Commands: include/hostile_ta.h. */
#include <tee_internal_api.h>

#include <hostile_ta.h>

#include "hostile.h"

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
	switch (commandID) {
	case TA_HOSTILE_CMD_VICTIM_SETUP:
		return victim_setup(paramTypes, params);
	case TA_HOSTILE_CMD_VICTIM_CHECK:
		return victim_check(paramTypes, params);
	case TA_HOSTILE_CMD_ATTACK:
		return attack(paramTypes, params);
	case TA_HOSTILE_CMD_DIE:
		die();
		return TEE_ERROR_GENERIC;
	case TA_HOSTILE_CMD_KEEP_MEMREF:
		return keep_memref(paramTypes, params);
	case TA_HOSTILE_CMD_KEPT_MAP:
		return kept_map(paramTypes, params);
	case TA_HOSTILE_CMD_KEPT_READ:
		return kept_read(paramTypes, params);
	case TA_HOSTILE_CMD_HOARD:
		return hoard_memref(paramTypes, params);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
