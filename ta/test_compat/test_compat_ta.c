/* Test TA in GP v1.1 compatibility mode: TEE_Param's memref size is a
 * uint32_t here and the size arguments of the API are 32-bit, which the
 * kit's adapters and lib/tee's __GP11_ functions must translate. It also
 * asks for a stack larger than the main thread's. Commands:
 * include/test_compat_ta.h. */
#include <string.h>

#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include <test_compat_ta.h>

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t paramTypes, TEE_Param params[4], void **sessionContext)
{
	(void)paramTypes;
	(void)params;
	(void)sessionContext;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sessionContext)
{
	(void)sessionContext;
}

/* Writes kib KiB of a local array: only fits on the large stack. */
static __attribute__((noinline)) uint32_t use_stack(uint32_t kib)
{
	volatile uint8_t big[112 * 1024];
	uint32_t sum = 0;
	if (kib > 112)
		kib = 112;
	for (uint32_t i = 0; i < kib * 1024; i++)
		big[i] = (uint8_t)(i * 7);
	for (uint32_t i = 0; i < kib * 1024; i++)
		sum += big[i];
	/* The runtime knows this stack is ours. */
	if (TEE_CheckMemoryAccessRights(TEE_MEMORY_ACCESS_READ | TEE_MEMORY_ACCESS_WRITE,
	                                (void *)big, sizeof(big)) != TEE_SUCCESS)
		return 0;
	return sum;
}

static TEE_Result cmd_api(TEE_Param p[4])
{
	uint32_t failed = 0;
	/* v1.1 signatures: uint32_t lengths. */
	uint32_t len = p[0].memref.size;
	TEE_Result res = TEE_GetPropertyAsString(TEE_PROPSET_CURRENT_TA, "gpd.ta.appID",
	                                         p[0].memref.buffer, &len);
	p[0].memref.size = len;
	uint8_t *m = TEE_Malloc((uint32_t)64, TEE_MALLOC_FILL_ZERO);
	if (!m)
		return TEE_ERROR_OUT_OF_MEMORY;
	if (m[63] != 0)
		failed++;
	TEE_MemFill(m, 7, (uint32_t)64);
	TEE_MemMove(m + 32, m, (uint32_t)16);
	if (TEE_MemCompare(m, m + 32, (uint32_t)16) != 0)
		failed++;
	if (TEE_CheckMemoryAccessRights(TEE_MEMORY_ACCESS_WRITE, m, (uint32_t)64) != TEE_SUCCESS)
		failed++;
	TEE_Free(m);
	bool multi = true;
	if (TEE_GetPropertyAsBool(TEE_PROPSET_CURRENT_TA, "gpd.ta.multiSession", &multi) !=
	        TEE_SUCCESS ||
	    multi)
		failed++;
	TEE_Attribute a;
	TEE_InitRefAttribute(&a, TEE_ATTR_SECRET_VALUE, "key", 3);
	if (a.content.ref.length != 3)
		failed++;
	p[1].value.a = failed;
	return res;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sessionContext, uint32_t commandID, uint32_t paramTypes,
                                      TEE_Param params[4])
{
	(void)sessionContext;
	switch (commandID) {
	case TA_TEST_COMPAT_CMD_STACK:
		if (paramTypes != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT,
		                                  TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
		                                  TEE_PARAM_TYPE_NONE))
			return TEE_ERROR_BAD_PARAMETERS;
		params[1].value.a = use_stack(params[0].value.a);
		return TEE_SUCCESS;
	case TA_TEST_COMPAT_CMD_FILL:
		if (paramTypes != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INOUT, TEE_PARAM_TYPE_NONE,
		                                  TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE) ||
		    params[0].memref.size == 0)
			return TEE_ERROR_BAD_PARAMETERS;
		memset(params[0].memref.buffer, 0xA5, params[0].memref.size);
		params[0].memref.size--;
		return TEE_SUCCESS;
	case TA_TEST_COMPAT_CMD_API:
		if (paramTypes != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_OUTPUT,
		                                  TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
		                                  TEE_PARAM_TYPE_NONE))
			return TEE_ERROR_BAD_PARAMETERS;
		return cmd_api(params);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
