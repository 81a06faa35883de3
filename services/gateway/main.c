/* gateway: the normal world's way in. The kernel delivers each yielding
 * OP-TEE call (CALL_WITH_ARG) here as an IPC message carrying the physical
 * address of Linux's optee_msg_arg. The gateway maps that page, copies the
 * message into its own memory once, checks it there, runs it, and writes
 * back only the fields the ABI lets the secure side change. */
#include <stdio.h>
#include <string.h>

#include "../../include/microtee/smc.h"
#include "../../lib/rt/args.h"
#include "common/rv.h"
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

struct gw_worker gw_workers[GW_WORKERS];
static mt_handle_t gw_calls; /* the normal-world call endpoint */

/* Maps the message of `len` bytes at arg_pa into w's message slot, taking
 * the object it needs from the budget. */
static int map_msg(struct gw_worker *w, uint64_t arg_pa, size_t len, struct ns_map *map)
{
	gw_budget_take(1);
	int rc = ns_map(w, arg_pa, len, NS_SLOT_MSG, map);
	if (rc != MT_OK)
		gw_budget_give(1);
	return rc;
}

static void unmap_msg(struct ns_map *map)
{
	ns_unmap(map);
	gw_budget_give(1);
}

/* Handles one CALL_WITH_ARG; returns the OPTEE_SMC_RETURN_* code. */
static uint64_t handle_call(struct gw_worker *w, uint64_t arg_pa)
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
	if (map_msg(w, arg_pa, sizeof(m.hdr), &map) != MT_OK)
		return OPTEE_SMC_RETURN_EBADADDR;
	memcpy(&m.hdr, map.ptr, sizeof(m.hdr));
	uint32_t num = m.hdr.num_params;
	if (num > GW_MAX_PARAMS) {
		unmap_msg(&map);
		return OPTEE_SMC_RETURN_EBADCMD;
	}
	size_t len = sizeof(m.hdr) + num * sizeof(struct optee_msg_param);
	if ((size_t)(map.ptr - map.base) + len > map.size) {
		/* The parameters run into the next page: map the whole message. */
		unmap_msg(&map);
		if (map_msg(w, arg_pa, len, &map) != MT_OK)
			return OPTEE_SMC_RETURN_EBADADDR;
	}
	memcpy(m.params, map.ptr + sizeof(m.hdr), num * sizeof(struct optee_msg_param));
	/* Not mapped while the call runs, which may take long: its object
	 * goes back to the budget, for the other calls. */
	unmap_msg(&map);
	m.hdr.ret = GW_TEE_SUCCESS;
	m.hdr.ret_origin = GW_TEE_ORIGIN_TEE;
	switch (m.hdr.cmd) {
	case OPTEE_MSG_CMD_OPEN_SESSION:
		session_call_begin(w, 0, m.hdr.cancel_id);
		session_open(w, &m);
		session_call_end(w);
		break;
	case OPTEE_MSG_CMD_INVOKE_COMMAND:
		session_call_begin(w, m.hdr.session, m.hdr.cancel_id);
		session_invoke(w, &m);
		session_call_end(w);
		break;
	case OPTEE_MSG_CMD_CLOSE_SESSION:
		session_close(w, &m);
		break;
	case OPTEE_MSG_CMD_CANCEL:
		session_cancel(&m);
		break;
	case OPTEE_MSG_CMD_REGISTER_SHM:
		m.hdr.ret = num == 1 ? shm_register(w, &m.params[0]) : GW_TEE_ERROR_BAD_PARAMETERS;
		break;
	case OPTEE_MSG_CMD_UNREGISTER_SHM:
		m.hdr.ret = num == 1 ? shm_unregister(&m.params[0]) : GW_TEE_ERROR_BAD_PARAMETERS;
		break;
	default:
		m.hdr.ret = GW_TEE_ERROR_NOT_SUPPORTED;
		break;
	}
	if (w->retry) {
		/* Not served: the TA has its share of workers. Nothing changed. */
		w->retry = 0;
		return OPTEE_SMC_RETURN_ETHREAD_LIMIT;
	}
	if (map_msg(w, arg_pa, len, &map) != MT_OK)
		return OPTEE_SMC_RETURN_EBADADDR;
	write_back(map.ptr, &m);
	unmap_msg(&map);
	return OPTEE_SMC_RETURN_OK;
}

/* A worker: receives a normal-world call, serves it, replies; then wakes
 * the workers it handed a TA instance to meanwhile. */
static void worker_serve(struct gw_worker *w)
{
	struct mt_msg m;
	long rc = mt_recv(gw_calls, &m);
	while (rc == MT_OK) {
		uint64_t ret = OPTEE_SMC_RETURN_EBADCMD;
		if (m.w[0] == NW_MSG_CALL_WITH_ARG)
			ret = handle_call(w, m.w[1]);
		m = (struct mt_msg){{ret}, 0, 0};
		if (!w->nwake) {
			rc = mt_reply_recv(gw_calls, &m, MT_RR_REPLY | MT_RR_RECV);
			continue;
		}
		mt_reply_recv(gw_calls, &m, MT_RR_REPLY);
		session_wake_handed(w);
		rc = mt_recv(gw_calls, &m);
	}
	printf("[gateway] worker %u: receive failed: %ld\n", w->id, rc);
}

static void worker_thread(void *arg)
{
	worker_serve(arg);
}

int mt_main(unsigned long arg, unsigned long arg2)
{
	const char *args = (const char *)arg2;
	rv_who = "gateway";
	uint64_t budget_ms = GW_BUDGET_MS_DEFAULT, grace_ms = GW_GRACE_MS_DEFAULT;
	if (mt_arg_u64(args, "ta_budget_ms=", &budget_ms) == MT_EINVAL ||
	    mt_arg_u64(args, "cancel_grace_ms=", &grace_ms) == MT_EINVAL)
		printf("[gateway] bad ta_budget_ms= or cancel_grace_ms=: defaults kept\n");
	session_limits(budget_ms, grace_ms);
	gw_calls = arg & 0xff;
	gw_nsmem = (arg >> 8) & 0xff;
	session_init((arg >> 16) & 0xff);
	unsigned n = 0;
	for (; n < GW_WORKERS; n++) {
		struct gw_worker *w = &gw_workers[n];
		w->id = n;
		if (mt_ep_create(&w->park_ep) != MT_OK)
			break;
		mt_handle_t t;
		if (n > 0 && mt_thread_create(worker_thread, w, 15, &t) != MT_OK) {
			mt_handle_close(w->park_ep);
			break;
		}
		if (n > 0)
			mt_handle_close(t); /* the thread lives on; the handle would only fill our table */
	}
	if (n == 0)
		return 1;
	mt_handle_t wk;
	if (session_waker_ready() && mt_thread_create(session_waker, 0, 15, &wk) == MT_OK)
		mt_handle_close(wk);
	else
		printf("[gateway] no waker thread: TA-to-TA sessions may wait\n");
	mt_handle_t wd;
	if (mt_thread_create(session_watchdog, 0, 15, &wd) == MT_OK)
		mt_handle_close(wd);
	else
		printf("[gateway] no watchdog thread: TA operations have no time limit\n");
	printf("[gateway] serving normal-world calls, %u workers\n", n);
	worker_serve(&gw_workers[0]);
	return 1;
}
