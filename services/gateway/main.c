/* gateway: the normal world's way in. The kernel delivers each yielding
 * OP-TEE call (CALL_WITH_ARG) here as an IPC message carrying the physical
 * address of Linux's optee_msg_arg. The gateway maps that page, copies the
 * message into its own memory once, checks it there, runs it, and writes
 * back only the fields the ABI lets the secure side change. */
#include <stdio.h>
#include <string.h>

#include "../../include/microtee/smc.h"
#include "gateway.h"

/* Where the header's output fields and each parameter's value/size live. */
static void write_back(uint8_t *ns, const struct gw_msg *m)
{
	struct optee_msg_arg *a = (struct optee_msg_arg *)ns;
	a->ret = m->hdr.ret;
	a->ret_origin = m->hdr.ret_origin;
	a->session = m->hdr.session;
	for (unsigned i = 0; i < m->hdr.num_params; i++) {
		struct optee_msg_param *p = &a->params[i];
		uint32_t t = (uint32_t)(m->params[i].attr & OPTEE_MSG_ATTR_TYPE_MASK);
		if (t >= OPTEE_MSG_ATTR_TYPE_VALUE_INPUT && t <= OPTEE_MSG_ATTR_TYPE_VALUE_INOUT)
			p->u.value = m->params[i].u.value;
		else if (t >= OPTEE_MSG_ATTR_TYPE_RMEM_INPUT && t <= OPTEE_MSG_ATTR_TYPE_RMEM_INOUT)
			p->u.rmem.size = m->params[i].u.rmem.size;
		else if (t >= OPTEE_MSG_ATTR_TYPE_TMEM_INPUT && t <= OPTEE_MSG_ATTR_TYPE_TMEM_INOUT)
			p->u.tmem.size = m->params[i].u.tmem.size;
	}
}

/* Handles one CALL_WITH_ARG; returns the OPTEE_SMC_RETURN_* code. */
static uint64_t handle_call(uint64_t arg_pa)
{
	struct ns_map map;
	struct gw_msg m;
	if (arg_pa & 7)
		return OPTEE_SMC_RETURN_EBADADDR;
	/* Map the 32-byte header and copy it, then exactly the parameters it
	 * declares: one copy of each, taken before any check, so Linux cannot
	 * change the message behind our back. Only what the message covers is
	 * mapped (the pages under it), so a message that ends at the end of
	 * normal RAM is read, and nothing past it. */
	if (ns_map(arg_pa, sizeof(m.hdr), NS_SLOT_MSG, &map) != MT_OK)
		return OPTEE_SMC_RETURN_EBADADDR;
	memcpy(&m.hdr, map.ptr, sizeof(m.hdr));
	uint32_t num = m.hdr.num_params;
	if (num > GW_MAX_PARAMS) {
		ns_unmap(&map);
		return OPTEE_SMC_RETURN_EBADCMD;
	}
	size_t len = sizeof(m.hdr) + num * sizeof(struct optee_msg_param);
	if ((size_t)(map.ptr - map.base) + len > map.size) {
		/* The parameters run into the next page: map the whole message. */
		ns_unmap(&map);
		if (ns_map(arg_pa, len, NS_SLOT_MSG, &map) != MT_OK)
			return OPTEE_SMC_RETURN_EBADADDR;
	}
	memcpy(m.params, map.ptr + sizeof(m.hdr), num * sizeof(struct optee_msg_param));
	m.hdr.ret = GW_TEE_SUCCESS;
	m.hdr.ret_origin = GW_TEE_ORIGIN_TEE;
	switch (m.hdr.cmd) {
	case OPTEE_MSG_CMD_OPEN_SESSION:
		session_open(&m);
		break;
	case OPTEE_MSG_CMD_INVOKE_COMMAND:
		session_invoke(&m);
		break;
	case OPTEE_MSG_CMD_CLOSE_SESSION:
		session_close(&m);
		break;
	case OPTEE_MSG_CMD_CANCEL:
		break; /* nothing to cancel: calls run to completion */
	case OPTEE_MSG_CMD_REGISTER_SHM:
		m.hdr.ret = num == 1 ? shm_register(&m.params[0]) : GW_TEE_ERROR_BAD_PARAMETERS;
		break;
	case OPTEE_MSG_CMD_UNREGISTER_SHM:
		m.hdr.ret = num == 1 ? shm_unregister(&m.params[0]) : GW_TEE_ERROR_BAD_PARAMETERS;
		break;
	default:
		m.hdr.ret = GW_TEE_ERROR_NOT_SUPPORTED;
		break;
	}
	write_back(map.ptr, &m);
	ns_unmap(&map);
	return OPTEE_SMC_RETURN_OK;
}

int mt_main(unsigned long arg, unsigned long arg2)
{
	(void)arg2;
	mt_handle_t calls = arg & 0xff;
	gw_nsmem = (arg >> 8) & 0xff;
	session_init((arg >> 16) & 0xff);
	printf("[gateway] serving normal-world calls\n");
	struct mt_msg m;
	long rc = mt_recv(calls, &m);
	while (rc == MT_OK) {
		uint64_t ret = OPTEE_SMC_RETURN_EBADCMD;
		if (m.w[0] == NW_MSG_CALL_WITH_ARG)
			ret = handle_call(m.w[1]);
		struct mt_msg r = {{ret}, 0, 0};
		m = r;
		rc = mt_reply_recv(calls, &m, MT_RR_REPLY | MT_RR_RECV);
	}
	printf("[gateway] receive failed: %ld\n", rc);
	return 1;
}
