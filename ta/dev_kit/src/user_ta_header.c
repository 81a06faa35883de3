/* Built into every TA by the kit, with the TA's own flags and include path:
 * turns its user_ta_header_defines.h into the image header (.ta_head), the
 * TA's property table and the entry points the runtime calls. For a TA in
 * v1.1 compatibility mode the adapters convert the parameters to and from
 * __GP11_TEE_Param. */
#include <user_ta_header.h>

#include <tee_internal_api.h>

#include <user_ta_header_defines.h>

#if !defined(TA_UUID) || !defined(TA_FLAGS) || !defined(TA_STACK_SIZE) || !defined(TA_DATA_SIZE)
#error "user_ta_header_defines.h must define TA_UUID, TA_FLAGS, TA_STACK_SIZE and TA_DATA_SIZE"
#endif
#ifndef TA_VERSION
#define TA_VERSION "0.0"
#endif
#ifndef TA_DESCRIPTION
#define TA_DESCRIPTION ""
#endif

#ifndef MT_TA_LOG_DEFAULT
#define MT_TA_LOG_DEFAULT TRACE_INFO
#endif
const int mt_ta_log_default = MT_TA_LOG_DEFAULT;

#ifndef MT_TA_NAME
#define MT_TA_NAME ""
#endif
const char mt_ta_name[] = MT_TA_NAME;

const struct ta_head mt_ta_head __attribute__((section(".ta_head"), used)) = {
    .magic = TA_HEAD_MAGIC,
    .version = 1,
    .uuid = TA_UUID,
    .flags = TA_FLAGS,
    .stack_size = TA_STACK_SIZE,
    .data_size = TA_DATA_SIZE,
};

static const bool prop_single_instance = (TA_FLAGS & TA_FLAG_SINGLE_INSTANCE) != 0;
static const bool prop_multi_session = (TA_FLAGS & TA_FLAG_MULTI_SESSION) != 0;
static const bool prop_keep_alive = (TA_FLAGS & TA_FLAG_INSTANCE_KEEP_ALIVE) != 0;
static const bool prop_no_close_on_corrupt =
    (TA_FLAGS & TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT) != 0;
static const uint32_t prop_data_size = TA_DATA_SIZE;
static const uint32_t prop_stack_size = TA_STACK_SIZE;
static const uint32_t prop_endian = 0; /* little */

const struct user_ta_property mt_ta_props[] = {
    {"gpd.ta.appID", USER_TA_PROP_TYPE_UUID, &mt_ta_head.uuid},
    {TA_PROP_STR_SINGLE_INSTANCE, USER_TA_PROP_TYPE_BOOL, &prop_single_instance},
    {TA_PROP_STR_MULTI_SESSION, USER_TA_PROP_TYPE_BOOL, &prop_multi_session},
    {TA_PROP_STR_KEEP_ALIVE, USER_TA_PROP_TYPE_BOOL, &prop_keep_alive},
    {TA_PROP_STR_DATA_SIZE, USER_TA_PROP_TYPE_U32, &prop_data_size},
    {TA_PROP_STR_STACK_SIZE, USER_TA_PROP_TYPE_U32, &prop_stack_size},
    {TA_PROP_STR_VERSION, USER_TA_PROP_TYPE_STRING, TA_VERSION},
    {TA_PROP_STR_DESCRIPTION, USER_TA_PROP_TYPE_STRING, TA_DESCRIPTION},
    {TA_PROP_STR_ENDIAN, USER_TA_PROP_TYPE_U32, &prop_endian},
    {TA_PROP_STR_DOES_NOT_CLOSE_HANDLE_ON_CORRUPT_OBJECT, USER_TA_PROP_TYPE_BOOL,
     &prop_no_close_on_corrupt},
#ifdef TA_CURRENT_TA_EXT_PROPERTIES
    TA_CURRENT_TA_EXT_PROPERTIES
#endif
};

const size_t mt_ta_num_props = sizeof(mt_ta_props) / sizeof(mt_ta_props[0]);

#if __OPTEE_CORE_API_COMPAT_1_1
static TEE_Result to_gp11(uint32_t types, const union mt_tee_param *p, union mt_tee_param_gp11 *q)
{
	for (unsigned i = 0; i < TEE_NUM_PARAMS; i++) {
		uint32_t t = TEE_PARAM_TYPE_GET(types, i);
		if (t >= TEE_PARAM_TYPE_MEMREF_INPUT && t <= TEE_PARAM_TYPE_MEMREF_INOUT) {
			if (p[i].memref.size > UINT32_MAX)
				return TEE_ERROR_BAD_PARAMETERS;
			q[i].memref.buffer = p[i].memref.buffer;
			q[i].memref.size = (uint32_t)p[i].memref.size;
		} else {
			q[i].value.a = p[i].value.a;
			q[i].value.b = p[i].value.b;
		}
	}
	return TEE_SUCCESS;
}

static void from_gp11(uint32_t types, const union mt_tee_param_gp11 *q, union mt_tee_param *p)
{
	for (unsigned i = 0; i < TEE_NUM_PARAMS; i++) {
		uint32_t t = TEE_PARAM_TYPE_GET(types, i);
		if (t >= TEE_PARAM_TYPE_MEMREF_INPUT && t <= TEE_PARAM_TYPE_MEMREF_INOUT)
			p[i].memref.size = q[i].memref.size;
		else
			p[i].value.a = q[i].value.a, p[i].value.b = q[i].value.b;
	}
}

TEE_Result mt_ta_open_session(uint32_t param_types, union mt_tee_param params[TEE_NUM_PARAMS],
                              void **session_ctx)
{
	union mt_tee_param_gp11 p11[TEE_NUM_PARAMS];
	TEE_Result res = to_gp11(param_types, params, p11);
	if (res != TEE_SUCCESS)
		return res;
	res = __GP11_TA_OpenSessionEntryPoint(param_types, p11, session_ctx);
	from_gp11(param_types, p11, params);
	return res;
}

TEE_Result mt_ta_invoke_command(void *session_ctx, uint32_t cmd, uint32_t param_types,
                                union mt_tee_param params[TEE_NUM_PARAMS])
{
	union mt_tee_param_gp11 p11[TEE_NUM_PARAMS];
	TEE_Result res = to_gp11(param_types, params, p11);
	if (res != TEE_SUCCESS)
		return res;
	res = __GP11_TA_InvokeCommandEntryPoint(session_ctx, cmd, param_types, p11);
	from_gp11(param_types, p11, params);
	return res;
}
#else
TEE_Result mt_ta_open_session(uint32_t param_types, union mt_tee_param params[TEE_NUM_PARAMS],
                              void **session_ctx)
{
	return TA_OpenSessionEntryPoint(param_types, params, session_ctx);
}

TEE_Result mt_ta_invoke_command(void *session_ctx, uint32_t cmd, uint32_t param_types,
                                union mt_tee_param params[TEE_NUM_PARAMS])
{
	return TA_InvokeCommandEntryPoint(session_ctx, cmd, param_types, params);
}
#endif
