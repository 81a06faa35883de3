/* Trusted-application instances and sessions, following GlobalPlatform:
 * an instance is created on the first open session and destroyed on the
 * last close unless the TA asks to be kept alive; a TA that dies takes its
 * sessions with it (TEE_ERROR_TARGET_DEAD). */
#include <stdio.h>
#include <string.h>

#include "gateway.h"

struct instance {
	int used;
	int dead;
	uint8_t uuid[16];
	mt_handle_t ep;   /* CALL handle to the TA's endpoint */
	mt_handle_t proc; /* control handle for the TA process */
	mt_handle_t page_shm;
	struct ta_param_page *page;
	uint32_t flags;
	unsigned sessions;
};

struct session {
	int used;
	uint32_t id;
	struct instance *inst;
};

static struct instance instances[GW_MAX_INSTANCES];
static struct session sessions[GW_MAX_SESSIONS];
static mt_handle_t sup_ep;
static uint32_t next_session_id = 1;

void session_init(mt_handle_t sup)
{
	sup_ep = sup;
}

static void set_ret(struct gw_msg *m, uint32_t ret, uint32_t origin)
{
	m->hdr.ret = ret;
	m->hdr.ret_origin = origin;
}

static void instance_free(struct instance *in)
{
	if (in->page)
		mt_mem_unmap((uintptr_t)in->page, MT_PAGE_SIZE);
	if (in->page_shm)
		mt_handle_close(in->page_shm);
	if (in->ep)
		mt_handle_close(in->ep);
	if (in->proc) {
		if (!in->dead)
			mt_proc_kill(in->proc);
		mt_handle_close(in->proc);
	}
	memset(in, 0, sizeof(*in));
}

static void instance_died(struct instance *in)
{
	printf("[gateway] TA instance died; its %u session(s) end\n", in->sessions);
	in->dead = 1;
	for (unsigned i = 0; i < GW_MAX_SESSIONS; i++)
		if (sessions[i].used && sessions[i].inst == in)
			sessions[i].inst = 0; /* later calls answer TARGET_DEAD */
	instance_free(in);
}

/* Sends one operation to a TA; returns the TEE result and origin. */
static uint32_t ta_call(struct instance *in, struct mt_msg *msg, uint32_t *origin)
{
	long rc = mt_call(in->ep, msg);
	/* A TA's answer carries no handles. Any it sends anyway are closed at
	 * once: kept, they would fill our table, and every normal-world call
	 * needs a handle of ours for its message. */
	for (unsigned i = 0; rc == MT_OK && i < MT_XFER_MAX; i++)
		if (MT_XFER_GET(msg->handle, i))
			mt_handle_close(MT_XFER_GET(msg->handle, i));
	if (rc == MT_EPEERDEAD) {
		instance_died(in);
		*origin = GW_TEE_ORIGIN_TEE;
		return GW_TEE_ERROR_TARGET_DEAD;
	}
	if (rc != MT_OK) {
		*origin = GW_TEE_ORIGIN_TEE;
		return GW_TEE_ERROR_COMMUNICATION;
	}
	*origin = (uint32_t)msg->w[1];
	return (uint32_t)msg->w[0];
}

static struct instance *instance_start(const uint8_t uuid[16], uint32_t *ret)
{
	struct instance *in = 0;
	for (unsigned i = 0; i < GW_MAX_INSTANCES && !in; i++)
		if (!instances[i].used)
			in = &instances[i];
	if (!in) {
		*ret = GW_TEE_ERROR_OUT_OF_MEMORY;
		return 0;
	}
	uint64_t hi = 0, lo = 0;
	for (int i = 0; i < 8; i++) {
		hi = hi << 8 | uuid[i];
		lo = lo << 8 | uuid[8 + i];
	}
	struct mt_msg m = {{SUP_OP_START_TA, hi, lo}, 0, 0};
	long rc = mt_call(sup_ep, &m);
	if (rc != MT_OK || (long)m.w[0] != MT_OK) {
		if (rc == MT_OK && (uint32_t)m.w[1])
			*ret = (uint32_t)m.w[1]; /* init's word for the client */
		else
			*ret = (rc == MT_OK && (long)m.w[0] == MT_ENOENT) ? GW_TEE_ERROR_ITEM_NOT_FOUND
									   : GW_TEE_ERROR_OUT_OF_MEMORY;
		return 0;
	}
	in->used = 1;
	memcpy(in->uuid, uuid, 16);
	in->ep = MT_XFER_GET(m.handle, 0);
	in->proc = MT_XFER_GET(m.handle, 1);
	/* Each instance slot has its own fixed address for its parameter page,
	 * reused by the instances that follow in that slot. */
	uintptr_t va = MT_USER_SHM + (uintptr_t)(in - instances) * 2 * MT_PAGE_SIZE;
	if (!in->ep || mt_shm_create(MT_PAGE_SIZE, &in->page_shm) != MT_OK ||
	    mt_shm_map(in->page_shm, va, MT_PROT_R | MT_PROT_W) != MT_OK ||
	    !(in->page = (struct ta_param_page *)va)) {
		instance_free(in);
		*ret = GW_TEE_ERROR_OUT_OF_MEMORY;
		return 0;
	}
	struct mt_msg a = {{TA_OP_ATTACH}, in->page_shm, 0};
	uint32_t origin;
	*ret = ta_call(in, &a, &origin);
	if (*ret != GW_TEE_SUCCESS) {
		if (in->used)
			instance_free(in);
		return 0;
	}
	in->flags = (uint32_t)a.w[1];
	return in;
}

/* GP parameter types, one nibble each (TEE_PARAM_TYPES). */
#define GP_NONE 0
#define GP_VALUE_INPUT 1
#define GP_MEMREF_INPUT 5

/* Fills the TA's parameter page from message parameters p[0..n) and
 * collects the memory objects: own[i] is the gateway's handle to a memory
 * reference's object (it may revoke it), xfer[i] the copy the TA gets, with
 * only the rights the reference's direction needs (and GRANT, which IPC
 * transfer asks for); returns a TEE result. */
static uint32_t params_in(struct instance *in, const struct optee_msg_param *p, unsigned n,
			  mt_handle_t own[4], mt_handle_t xfer[4])
{
	struct ta_param_page *pg = in->page;
	uint32_t types = 0;
	memset(pg->params, 0, sizeof(pg->params));
	if (n > 4)
		return GW_TEE_ERROR_BAD_PARAMETERS;
	for (unsigned i = 0; i < n; i++) {
		uint32_t t = (uint32_t)(p[i].attr & OPTEE_MSG_ATTR_TYPE_MASK);
		if (p[i].attr & ~(uint64_t)OPTEE_MSG_ATTR_TYPE_MASK)
			return GW_TEE_ERROR_BAD_PARAMETERS; /* no meta or noncontig here */
		struct ta_param *tp = &pg->params[i];
		switch (t) {
		case OPTEE_MSG_ATTR_TYPE_NONE:
			break;
		case OPTEE_MSG_ATTR_TYPE_VALUE_INPUT:
		case OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT:
		case OPTEE_MSG_ATTR_TYPE_VALUE_INOUT:
			tp->kind = TA_PARAM_VALUE;
			tp->a = (uint32_t)p[i].u.value.a;
			tp->b = (uint32_t)p[i].u.value.b;
			types |= (GP_VALUE_INPUT + (t - OPTEE_MSG_ATTR_TYPE_VALUE_INPUT)) << (4 * i);
			break;
		case OPTEE_MSG_ATTR_TYPE_RMEM_INPUT:
		case OPTEE_MSG_ATTR_TYPE_RMEM_OUTPUT:
		case OPTEE_MSG_ATTR_TYPE_RMEM_INOUT:
		case OPTEE_MSG_ATTR_TYPE_TMEM_INPUT:
		case OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT:
		case OPTEE_MSG_ATTR_TYPE_TMEM_INOUT: {
			int rmem = t <= OPTEE_MSG_ATTR_TYPE_RMEM_INOUT;
			unsigned dir = t - (rmem ? OPTEE_MSG_ATTR_TYPE_RMEM_INPUT
						 : OPTEE_MSG_ATTR_TYPE_TMEM_INPUT);
			tp->kind = TA_PARAM_MEMREF;
			tp->handle = i;
			types |= (GP_MEMREF_INPUT + dir) << (4 * i);
			uint64_t size = rmem ? p[i].u.rmem.size : p[i].u.tmem.size;
			tp->b = size;
			if (size == 0) {
				tp->handle = TA_PARAM_NO_HANDLE;
				break; /* an empty (or NULL) buffer: nothing to map */
			}
			uint32_t r;
			if (rmem) {
				r = shm_range_object(p[i].u.rmem.shm_ref, p[i].u.rmem.offs, size, &own[i],
						     &tp->a);
				unsigned rights = MT_R_MAP_R | MT_R_GRANT | (dir ? MT_R_MAP_W : 0);
				if (r == GW_TEE_SUCCESS &&
				    mt_handle_grant(0, own[i], rights, 0, &xfer[i]) != MT_OK)
					r = GW_TEE_ERROR_OUT_OF_MEMORY;
			} else {
				/* A temporary (physical) buffer: we offer only dynamic
				 * shared memory, so every non-empty reference must lie
				 * inside a registration (Linux's driver sends RMEM). */
				r = GW_TEE_ERROR_BAD_PARAMETERS;
			}
			if (r != GW_TEE_SUCCESS)
				return r;
			break;
		}
		default:
			return GW_TEE_ERROR_BAD_PARAMETERS;
		}
	}
	pg->param_types = types;
	return GW_TEE_SUCCESS;
}

/* Copies outputs back into the message: values and memref sizes only. */
static void params_out(struct instance *in, struct optee_msg_param *p, unsigned n)
{
	for (unsigned i = 0; i < n && i < 4; i++) {
		uint32_t t = (uint32_t)(p[i].attr & OPTEE_MSG_ATTR_TYPE_MASK);
		const struct ta_param *tp = &in->page->params[i];
		if (t == OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT || t == OPTEE_MSG_ATTR_TYPE_VALUE_INOUT) {
			p[i].u.value.a = (uint32_t)tp->a;
			p[i].u.value.b = (uint32_t)tp->b;
		} else if (t == OPTEE_MSG_ATTR_TYPE_RMEM_OUTPUT || t == OPTEE_MSG_ATTR_TYPE_RMEM_INOUT) {
			p[i].u.rmem.size = tp->b;
		} else if (t == OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT || t == OPTEE_MSG_ATTR_TYPE_TMEM_INOUT) {
			p[i].u.tmem.size = tp->b;
		}
	}
}

/* Runs one TA operation with parameters p[0..n). */
static void run_op(struct gw_msg *m, struct instance *in, uint64_t op, uint64_t w1, uint64_t w2,
		   struct optee_msg_param *p, unsigned n)
{
	mt_handle_t own[4] = {0, 0, 0, 0}, xfer[4] = {0, 0, 0, 0};
	uint32_t ret = params_in(in, p, n, own, xfer);
	uint32_t origin = GW_TEE_ORIGIN_TEE;
	if (ret == GW_TEE_SUCCESS) {
		struct mt_msg c = {{op, w1, w2}, MT_XFER(xfer[0], xfer[1], xfer[2], xfer[3]), 0};
		ret = ta_call(in, &c, &origin);
		if (in->used)
			params_out(in, p, n);
	}
	/* The call is over: the normal world's memory is taken back from the
	 * TA, whatever it kept (handles, copies, mappings). */
	for (unsigned i = 0; i < 4; i++) {
		if (own[i]) {
			MT_SYS(SYS_SHM_REVOKE, own[i]);
			mt_handle_close(own[i]);
		}
		if (xfer[i])
			mt_handle_close(xfer[i]);
	}
	set_ret(m, ret, origin);
}

static struct session *session_find(uint32_t id)
{
	for (unsigned i = 0; i < GW_MAX_SESSIONS; i++)
		if (sessions[i].used && sessions[i].id == id)
			return &sessions[i];
	return 0;
}

static void instance_release_if_idle(struct instance *in)
{
	if (!in->used || in->sessions || (in->flags & GW_TA_FLAG_INSTANCE_KEEP_ALIVE))
		return;
	struct mt_msg d = {{TA_OP_DESTROY}, 0, 0};
	/* The TA exits by itself after answering; only one that does not
	 * answer is killed. (init reaps it either way.) */
	if (mt_call(in->ep, &d) == MT_OK)
		in->dead = 1;
	instance_free(in);
}

void session_open(struct gw_msg *m)
{
	static const uint8_t devenum[16] = OPTEE_PTA_DEVICE_ENUM_UUID;
	const uint64_t meta = OPTEE_MSG_ATTR_META | OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
	if (m->hdr.num_params < 2 || m->params[0].attr != meta || m->params[1].attr != meta) {
		set_ret(m, GW_TEE_ERROR_BAD_PARAMETERS, GW_TEE_ORIGIN_TEE);
		return;
	}
	uint8_t uuid[16];
	memcpy(uuid, &m->params[0].u.value.a, 8);
	memcpy(uuid + 8, &m->params[0].u.value.b, 8);
	if (memcmp(uuid, devenum, 16) == 0) {
		set_ret(m, GW_TEE_ERROR_ITEM_NOT_FOUND, GW_TEE_ORIGIN_TEE);
		return;
	}
	struct session *s = 0;
	for (unsigned i = 0; i < GW_MAX_SESSIONS && !s; i++)
		if (!sessions[i].used)
			s = &sessions[i];
	if (!s) {
		set_ret(m, GW_TEE_ERROR_BUSY, GW_TEE_ORIGIN_TEE);
		return;
	}
	/* A single-instance TA keeps one instance; it takes another session
	 * only if it is multi-session. */
	struct instance *in = 0;
	for (unsigned i = 0; i < GW_MAX_INSTANCES && !in; i++)
		if (instances[i].used && (instances[i].flags & GW_TA_FLAG_SINGLE_INSTANCE) &&
		    memcmp(instances[i].uuid, uuid, 16) == 0)
			in = &instances[i];
	if (in && in->sessions && !(in->flags & GW_TA_FLAG_MULTI_SESSION)) {
		set_ret(m, GW_TEE_ERROR_BUSY, GW_TEE_ORIGIN_TEE);
		return;
	}
	uint32_t ret;
	if (!in && !(in = instance_start(uuid, &ret))) {
		set_ret(m, ret, GW_TEE_ORIGIN_TEE);
		return;
	}
	struct ta_param_page *pg = in->page;
	memcpy(pg->client_uuid, &m->params[1].u.value.a, 8);
	memcpy(pg->client_uuid + 8, &m->params[1].u.value.b, 8);
	pg->login = (uint32_t)m->params[1].u.value.c;
	uint32_t id = next_session_id++;
	run_op(m, in, TA_OP_OPEN_SESSION, id, 0, m->params + 2, m->hdr.num_params - 2);
	if (m->hdr.ret == GW_TEE_SUCCESS) {
		s->used = 1;
		s->id = id;
		s->inst = in;
		in->sessions++;
		m->hdr.session = id;
	} else {
		instance_release_if_idle(in);
	}
}

void session_invoke(struct gw_msg *m)
{
	struct session *s = session_find(m->hdr.session);
	if (!s) {
		set_ret(m, GW_TEE_ERROR_BAD_PARAMETERS, GW_TEE_ORIGIN_TEE);
		return;
	}
	if (!s->inst) {
		set_ret(m, GW_TEE_ERROR_TARGET_DEAD, GW_TEE_ORIGIN_TEE);
		return;
	}
	run_op(m, s->inst, TA_OP_INVOKE, s->id, m->hdr.func, m->params, m->hdr.num_params);
}

void session_close(struct gw_msg *m)
{
	struct session *s = session_find(m->hdr.session);
	if (!s) {
		set_ret(m, GW_TEE_ERROR_BAD_PARAMETERS, GW_TEE_ORIGIN_TEE);
		return;
	}
	struct instance *in = s->inst;
	memset(s, 0, sizeof(*s));
	set_ret(m, GW_TEE_SUCCESS, GW_TEE_ORIGIN_TEE);
	if (!in)
		return; /* its TA already died */
	struct mt_msg c = {{TA_OP_CLOSE_SESSION, m->hdr.session}, 0, 0};
	uint32_t origin;
	ta_call(in, &c, &origin);
	if (in->used) {
		in->sessions--;
		instance_release_if_idle(in);
	}
}
