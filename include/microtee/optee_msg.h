/* The OP-TEE message ABI as Linux's optee driver speaks it: the argument
 * struct a yielding CALL_WITH_ARG points to. Layouts and values are the
 * ABI's (facts); the names follow OP-TEE's so the driver's behaviour can
 * be read against them. Used by the gateway service and by tests. */
#ifndef MICROTEE_OPTEE_MSG_H
#define MICROTEE_OPTEE_MSG_H

#include <stdint.h>

/* Parameter attribute: type in bits 7:0, flags above. */
#define OPTEE_MSG_ATTR_TYPE_NONE 0x0
#define OPTEE_MSG_ATTR_TYPE_VALUE_INPUT 0x1
#define OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT 0x2
#define OPTEE_MSG_ATTR_TYPE_VALUE_INOUT 0x3
#define OPTEE_MSG_ATTR_TYPE_RMEM_INPUT 0x5
#define OPTEE_MSG_ATTR_TYPE_RMEM_OUTPUT 0x6
#define OPTEE_MSG_ATTR_TYPE_RMEM_INOUT 0x7
#define OPTEE_MSG_ATTR_TYPE_TMEM_INPUT 0x9
#define OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT 0xa
#define OPTEE_MSG_ATTR_TYPE_TMEM_INOUT 0xb
#define OPTEE_MSG_ATTR_TYPE_MASK 0xffU
#define OPTEE_MSG_ATTR_META (1U << 8)
#define OPTEE_MSG_ATTR_NONCONTIG (1U << 9)

/* Commands */
#define OPTEE_MSG_CMD_OPEN_SESSION 0
#define OPTEE_MSG_CMD_INVOKE_COMMAND 1
#define OPTEE_MSG_CMD_CLOSE_SESSION 2
#define OPTEE_MSG_CMD_CANCEL 3
#define OPTEE_MSG_CMD_REGISTER_SHM 4
#define OPTEE_MSG_CMD_UNREGISTER_SHM 5

/* A page of a non-contiguous buffer's page list: addresses of data pages,
 * then the address of the next list page. */
#define OPTEE_MSG_NONCONTIG_PAGE_SIZE 4096
#define OPTEE_MSG_PAGELIST_ENTRIES 511

struct optee_msg_param_tmem {
	uint64_t buf_ptr;
	uint64_t size;
	uint64_t shm_ref;
};

struct optee_msg_param_rmem {
	uint64_t offs;
	uint64_t size;
	uint64_t shm_ref;
};

struct optee_msg_param_value {
	uint64_t a, b, c;
};

struct optee_msg_param {
	uint64_t attr;
	union {
		struct optee_msg_param_tmem tmem;
		struct optee_msg_param_rmem rmem;
		struct optee_msg_param_value value;
	} u;
};

struct optee_msg_arg {
	uint32_t cmd;
	uint32_t func;
	uint32_t session;
	uint32_t cancel_id;
	uint32_t pad;
	uint32_t ret;
	uint32_t ret_origin;
	uint32_t num_params;
	struct optee_msg_param params[];
};

_Static_assert(sizeof(struct optee_msg_param) == 32, "optee_msg_param is 32 bytes");
_Static_assert(sizeof(struct optee_msg_arg) == 32, "optee_msg_arg header is 32 bytes");

/* The device-enumeration pseudo TA Linux opens at probe. */
#define OPTEE_PTA_DEVICE_ENUM_UUID                                                   \
	{0x70, 0x11, 0xa6, 0x88, 0xdd, 0xde, 0x40, 0x53, 0xa5, 0xa9, 0x7b, 0x3c, 0x4d, \
	 0xdf, 0x13, 0xb8}

/* How the kernel hands a normal-world call to the gateway (word 0 of the
 * message on the normal-world call endpoint), and what the gateway answers
 * (word 0 of its reply: the OPTEE_SMC_RETURN_* code for x0). */
#define NW_MSG_CALL_WITH_ARG 1 /* w1 = physical address of the optee_msg_arg, w2 = call id */

#endif
