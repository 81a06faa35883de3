/* What the TA kit puts into every TA image: the header the runtime reads
 * (UUID, flags, sizes) and the TA's properties, with the property types a
 * TA's user_ta_header_defines.h uses (OP-TEE's names and values, so that its
 * TAs build unchanged). */
#ifndef USER_TA_HEADER_H
#define USER_TA_HEADER_H

#include "tee_api_types.h"

/* The TA_FLAG_* values are in tee_api_defines.h. */

/* The header, in section .ta_head of the image. */
#define TA_HEAD_MAGIC 0x4854544DU /* "MTTH" */
struct ta_head {
	uint32_t magic;
	uint32_t version; /* 1 */
	TEE_UUID uuid;
	uint32_t flags;      /* TA_FLAGS */
	uint32_t stack_size; /* TA_STACK_SIZE */
	uint32_t data_size;  /* TA_DATA_SIZE: what the TA expects to allocate */
	uint32_t reserved;
};
_Static_assert(sizeof(struct ta_head) == 40, "ta_head layout");

/* Property names */
#define TA_PROP_STR_SINGLE_INSTANCE "gpd.ta.singleInstance"
#define TA_PROP_STR_MULTI_SESSION   "gpd.ta.multiSession"
#define TA_PROP_STR_KEEP_ALIVE      "gpd.ta.instanceKeepAlive"
#define TA_PROP_STR_DATA_SIZE       "gpd.ta.dataSize"
#define TA_PROP_STR_STACK_SIZE      "gpd.ta.stackSize"
#define TA_PROP_STR_VERSION         "gpd.ta.version"
#define TA_PROP_STR_DESCRIPTION     "gpd.ta.description"
#define TA_PROP_STR_ENDIAN          "gpd.ta.endian"
#define TA_PROP_STR_DOES_NOT_CLOSE_HANDLE_ON_CORRUPT_OBJECT                                        \
	"gpd.ta.doesNotCloseHandleOnCorruptObject"

/* A property: the value points to a bool, uint32_t, uint64_t, TEE_UUID or
 * TEE_Identity, or is a NUL-terminated string (STRING, and BINARY_BLOCK in
 * base64). TA_CURRENT_TA_EXT_PROPERTIES lists more of them as
 * { name, type, value } initialisers. */
enum user_ta_prop_type {
	USER_TA_PROP_TYPE_BOOL,
	USER_TA_PROP_TYPE_U32,
	USER_TA_PROP_TYPE_UUID,
	USER_TA_PROP_TYPE_IDENTITY,
	USER_TA_PROP_TYPE_STRING,
	USER_TA_PROP_TYPE_BINARY_BLOCK,
	USER_TA_PROP_TYPE_U64,
	USER_TA_PROP_TYPE_INVALID,
};

struct user_ta_property {
	const char *name;
	enum user_ta_prop_type type;
	const void *value;
};

/* Defined in the TA image by the kit's user_ta_header.c. */
extern const struct ta_head mt_ta_head;
/* The level the TA logs at unless the command line says otherwise
 * (CFG_TEE_TA_LOG_DEFAULT; trace.h). */
extern const int mt_ta_log_default;
/* The TA's name in its log lines, beside its UUID (the kit's TA_NAME). */
extern const char mt_ta_name[];
extern const struct user_ta_property mt_ta_props[];
extern const size_t mt_ta_num_props;

/* The entry points as the runtime calls them: these adapters, also in
 * user_ta_header.c, call the TA's functions with TEE_Param or, for a TA
 * built in v1.1 compatibility mode, __GP11_TEE_Param. */
TEE_Result mt_ta_open_session(uint32_t param_types, union mt_tee_param params[TEE_NUM_PARAMS],
                              void **session_ctx);
TEE_Result mt_ta_invoke_command(void *session_ctx, uint32_t cmd, uint32_t param_types,
                                union mt_tee_param params[TEE_NUM_PARAMS]);

#endif
