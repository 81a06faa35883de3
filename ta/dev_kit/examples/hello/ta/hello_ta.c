/* The kit's example TA: greets by name and counts its greetings. */
#include <string.h>
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include <hello_ta.h>

struct hello_session {
	uint32_t greetings;
};

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
	(void)params;
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
	                             TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	struct hello_session *s = TEE_Malloc(sizeof(*s), TEE_MALLOC_FILL_ZERO);
	if (!s)
		return TEE_ERROR_OUT_OF_MEMORY;
	*session = s;
	IMSG("hello TA: session opened");
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *session)
{
	TEE_Free(session);
}

static TEE_Result greet(struct hello_session *s, uint32_t types, TEE_Param params[TEE_NUM_PARAMS])
{
	static const char prefix[] = "hello, ";
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	size_t name_len = params[0].memref.size;
	size_t need = sizeof(prefix) - 1 + name_len;
	if (params[1].memref.size < need) {
		params[1].memref.size = need;
		return TEE_ERROR_SHORT_BUFFER;
	}
	char *out = params[1].memref.buffer;
	memcpy(out, prefix, sizeof(prefix) - 1);
	memcpy(out + sizeof(prefix) - 1, params[0].memref.buffer, name_len);
	params[1].memref.size = need;
	s->greetings++;
	return TEE_SUCCESS;
}

TEE_Result TA_InvokeCommandEntryPoint(void *session, uint32_t cmd, uint32_t types,
                                      TEE_Param params[TEE_NUM_PARAMS])
{
	struct hello_session *s = session;
	switch (cmd) {
	case TA_HELLO_CMD_GREET:
		return greet(s, types, params);
	case TA_HELLO_CMD_COUNT:
		if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
		                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
			return TEE_ERROR_BAD_PARAMETERS;
		params[0].value.a = s->greetings;
		params[0].value.b = 0;
		return TEE_SUCCESS;
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
