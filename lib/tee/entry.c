/* The TA runtime's main loop: a TA instance is a process whose mt_main
 * receives on the endpoint named by its argument and serves the operations
 * of include/microtee/ta_ipc.h, turning them into calls of the TA's
 * GlobalPlatform entry points. One operation at a time, on one thread. */
#include <stdio.h>
#include <string.h>

#include "../../include/microtee/ta_ipc.h"
#include "mt.h"
#include "tee_crypto.h"
#include "tee_rt.h"

#define MAX_SESSIONS 16
/* Below this the TA runs on the main thread's 64 KiB stack, which also
 * holds the runtime's own frames. */
#define MAIN_STACK_SIZE   0x10000UL
#define MAIN_STACK_TA_MAX 0xC000UL
#define RT_STACK_RESERVE  0x4000UL

struct tee_rt_region tee_rt_call_regions[TEE_NUM_PARAMS];
unsigned tee_rt_ncall_regions;
const struct tee_rt_session *tee_rt_current_session;
uintptr_t tee_rt_stack_lo = MT_USER_STACK_TOP - MAIN_STACK_SIZE,
          tee_rt_stack_hi = MT_USER_STACK_TOP;
bool tee_rt_cancel_masked = true;
char tee_rt_uuid_str[37];

const struct ta_head *tee_rt_head = &mt_ta_head;
static struct tee_rt_session sessions[MAX_SESSIONS];
static unsigned nsessions;
static struct ta_param_page *page; /* shared with the gateway, mapped at ATTACH */
static TEE_Result instance_error;  /* set if the instance could not be created */
static unsigned long serve_ep;     /* the endpoint the gateway calls us on */
static bool in_op;                 /* an operation is being served: its answer is owed */
static uint32_t instance_error_origin;

void tee_rt_set_cancel_mask(bool masked)
{
	tee_rt_cancel_masked = masked;
	if (page)
		__atomic_store_n(&page->cancel_unmasked, masked ? 0U : 1U, __ATOMIC_RELEASE);
}

bool tee_rt_cancel_requested(void)
{
	return page && __atomic_load_n(&page->cancel, __ATOMIC_ACQUIRE) != 0;
}

/* Where an empty memory reference that is not NULL points: somewhere of
 * ours, of which it may use no byte. */
static uint8_t empty_ref[8];

/* A shared-memory object that carries memory references of this call. */
struct slot_map {
	uintptr_t va;
	size_t size;
};

/* The reply to one operation. */
struct result {
	uint64_t res, origin_or_flags;
};

static struct result tee_error(TEE_Result res)
{
	return (struct result){res, TEE_ORIGIN_TEE};
}

static struct tee_rt_session *find_session(uint64_t id)
{
	for (unsigned i = 0; i < MAX_SESSIONS; i++)
		if (sessions[i].used && sessions[i].id == id)
			return &sessions[i];
	return 0;
}

static bool is_memref(uint32_t t)
{
	return t == TEE_PARAM_TYPE_MEMREF_INPUT || t == TEE_PARAM_TYPE_MEMREF_OUTPUT ||
	       t == TEE_PARAM_TYPE_MEMREF_INOUT;
}

static bool is_value(uint32_t t)
{
	return t == TEE_PARAM_TYPE_VALUE_INPUT || t == TEE_PARAM_TYPE_VALUE_OUTPUT ||
	       t == TEE_PARAM_TYPE_VALUE_INOUT;
}

static void unmap_slots(struct slot_map maps[MT_XFER_MAX])
{
	for (unsigned s = 0; s < MT_XFER_MAX; s++) {
		if (maps[s].va)
			mt_mem_unmap(maps[s].va, maps[s].size);
		maps[s].va = 0;
	}
}

/* Turns the parameters of the page (already copied to *pg) into TEE_Param,
 * mapping the shared-memory objects the message carried (xfer) that memory
 * references name. On failure nothing stays mapped. */
static TEE_Result import_params(const struct ta_param_page *pg, unsigned long xfer,
                                TEE_Param params[TEE_NUM_PARAMS], struct slot_map maps[MT_XFER_MAX])
{
	unsigned prot[MT_XFER_MAX] = {0};
	memset(params, 0, sizeof(TEE_Param) * TEE_NUM_PARAMS);
	tee_rt_ncall_regions = 0;
	if (pg->param_types >> 16)
		return TEE_ERROR_BAD_PARAMETERS;

	/* Check every parameter's kind against its type, and find out how
	 * each object must be mapped. */
	for (unsigned i = 0; i < TEE_NUM_PARAMS; i++) {
		uint32_t t = TEE_PARAM_TYPE_GET(pg->param_types, i);
		const struct ta_param *p = &pg->params[i];
		if (t == TEE_PARAM_TYPE_NONE) {
			if (p->kind != TA_PARAM_NONE)
				return TEE_ERROR_BAD_PARAMETERS;
		} else if (is_value(t)) {
			if (p->kind != TA_PARAM_VALUE)
				return TEE_ERROR_BAD_PARAMETERS;
			params[i].value.a = (uint32_t)p->a;
			params[i].value.b = (uint32_t)p->b;
		} else if (is_memref(t)) {
			if (p->kind != TA_PARAM_MEMREF)
				return TEE_ERROR_BAD_PARAMETERS;
			if (p->handle == TA_PARAM_NO_HANDLE) {
				/* No memory: a null reference, which only has a
				 * size (an output the TA may size), or (a = 1) an
				 * empty one that is not NULL. */
				if (p->a > 1 || (p->a && p->b))
					return TEE_ERROR_BAD_PARAMETERS;
				continue;
			}
			if (p->handle >= MT_XFER_MAX || MT_XFER_GET(xfer, p->handle) == 0)
				return TEE_ERROR_BAD_PARAMETERS;
			prot[p->handle] |= MT_PROT_R;
			if (t != TEE_PARAM_TYPE_MEMREF_INPUT)
				prot[p->handle] |= MT_PROT_W;
		} else {
			return TEE_ERROR_BAD_PARAMETERS;
		}
	}

	/* Map each object once, one after the other in the window, with an
	 * unmapped page between them. */
	uintptr_t cursor = TEE_RT_MEMREF_WIN_BASE;
	for (unsigned s = 0; s < MT_XFER_MAX; s++) {
		if (!prot[s])
			continue;
		unsigned long size = 0;
		long rc = MT_SYS_R1(&size, SYS_SHM_MAP, MT_XFER_GET(xfer, s), cursor, prot[s]);
		if (rc == MT_OK && cursor + size > TEE_RT_MEMREF_WIN_END) {
			mt_mem_unmap(cursor, size);
			rc = MT_ENOMEM;
		}
		if (rc != MT_OK) {
			unmap_slots(maps);
			return rc == MT_ENOMEM || rc == MT_ENOSPACE ? TEE_ERROR_OUT_OF_MEMORY
			                                            : TEE_ERROR_BAD_PARAMETERS;
		}
		maps[s] = (struct slot_map){cursor, size};
		cursor += size + MT_PAGE_SIZE;
	}

	/* Each reference must lie inside its object. */
	for (unsigned i = 0; i < TEE_NUM_PARAMS; i++) {
		uint32_t t = TEE_PARAM_TYPE_GET(pg->param_types, i);
		const struct ta_param *p = &pg->params[i];
		if (!is_memref(t))
			continue;
		params[i].memref.size = p->b;
		if (p->handle == TA_PARAM_NO_HANDLE) {
			params[i].memref.buffer = p->a ? (void *)empty_ref : 0;
			continue;
		}
		const struct slot_map *m = &maps[p->handle];
		uint64_t end;
		if (__builtin_add_overflow(p->a, p->b, &end) || end > m->size) {
			unmap_slots(maps);
			tee_rt_ncall_regions = 0;
			return TEE_ERROR_BAD_PARAMETERS;
		}
		params[i].memref.buffer = (void *)(m->va + p->a);
		tee_rt_call_regions[tee_rt_ncall_regions++] = (struct tee_rt_region){
		    m->va + p->a, m->va + end, t != TEE_PARAM_TYPE_MEMREF_INPUT};
	}
	return TEE_SUCCESS;
}

/* Writes what the TA produced back into the page: output values and the
 * sizes of output memory references (on TEE_ERROR_SHORT_BUFFER, the size
 * the TA needs). */
static void export_params(uint32_t types, const TEE_Param params[TEE_NUM_PARAMS])
{
	for (unsigned i = 0; i < TEE_NUM_PARAMS; i++) {
		uint32_t t = TEE_PARAM_TYPE_GET(types, i);
		if (t == TEE_PARAM_TYPE_VALUE_OUTPUT || t == TEE_PARAM_TYPE_VALUE_INOUT) {
			page->params[i].a = params[i].value.a;
			page->params[i].b = params[i].value.b;
		} else if (t == TEE_PARAM_TYPE_MEMREF_OUTPUT || t == TEE_PARAM_TYPE_MEMREF_INOUT) {
			page->params[i].b = params[i].memref.size;
		}
	}
}

static void close_handles(unsigned long xfer)
{
	for (unsigned s = 0; s < MT_XFER_MAX; s++)
		if (MT_XFER_GET(xfer, s))
			mt_handle_close(MT_XFER_GET(xfer, s));
}

/* Open a session or invoke a command: s is the session (for an open, a
 * provisional entry that becomes real if the TA accepts). */
static struct result call_ta(struct tee_rt_session *s, bool open, uint32_t cmd, unsigned long xfer)
{
	struct ta_param_page pg;
	memcpy(&pg, page, sizeof(pg)); /* read the shared page once */
	TEE_Param params[TEE_NUM_PARAMS];
	struct slot_map maps[MT_XFER_MAX] = {{0, 0}};
	TEE_Result res = import_params(&pg, xfer, params, maps);
	if (res != TEE_SUCCESS)
		return tee_error(res);
	if (open) {
		/* The client's UUID comes as its 16 octets in text order. */
		const uint8_t *u = pg.client_uuid;
		s->client.login = pg.login;
		s->client.uuid.timeLow =
		    (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
		s->client.uuid.timeMid = (uint16_t)(u[4] << 8 | u[5]);
		s->client.uuid.timeHiAndVersion = (uint16_t)(u[6] << 8 | u[7]);
		memcpy(s->client.uuid.clockSeqAndNode, u + 8, 8);
	}
	tee_rt_current_session = s;
	tee_rt_set_cancel_mask(true);
	if (open)
		res = mt_ta_open_session(pg.param_types, params, &s->ctx);
	else
		res = mt_ta_invoke_command(s->ctx, cmd, pg.param_types, params);
	tee_rt_current_session = 0;
	tee_rt_ncall_regions = 0;
	export_params(pg.param_types, params);
	unmap_slots(maps);
	return (struct result){res, TEE_ORIGIN_TRUSTED_APP};
}

static struct result op_attach(unsigned long xfer)
{
	if (page)
		return tee_error(TEE_ERROR_BAD_STATE);
	if (instance_error)
		return (struct result){instance_error, instance_error_origin};
	size_t size = 0;
	mt_handle_t h = MT_XFER_GET(xfer, 0);
	void *p = h ? mt_shm_map_any(h, MT_PROT_R | MT_PROT_W, &size) : 0;
	if (!p)
		return tee_error(TEE_ERROR_BAD_PARAMETERS);
	if (size < sizeof(struct ta_param_page)) {
		mt_mem_unmap((uintptr_t)p, size);
		return tee_error(TEE_ERROR_BAD_PARAMETERS);
	}
	page = p;
	return (struct result){TEE_SUCCESS, tee_rt_head->flags};
}

static struct result op_open(uint64_t id, unsigned long xfer)
{
	if (!page)
		return tee_error(TEE_ERROR_BAD_STATE);
	if (find_session(id))
		return tee_error(TEE_ERROR_BAD_PARAMETERS);
	if (nsessions > 0 && !(tee_rt_head->flags & TA_FLAG_MULTI_SESSION))
		return tee_error(TEE_ERROR_BUSY);
	struct tee_rt_session *s = 0;
	for (unsigned i = 0; i < MAX_SESSIONS && !s; i++)
		if (!sessions[i].used)
			s = &sessions[i];
	if (!s)
		return tee_error(TEE_ERROR_OUT_OF_MEMORY);
	*s = (struct tee_rt_session){false, id, 0, {0, {0, 0, 0, {0}}}};
	struct result r = call_ta(s, true, 0, xfer);
	if (r.res == TEE_SUCCESS) {
		s->used = true;
		nsessions++;
	}
	return r;
}

static struct result op_invoke(uint64_t id, uint32_t cmd, unsigned long xfer)
{
	struct tee_rt_session *s = find_session(id);
	if (!page || !s)
		return tee_error(!page ? TEE_ERROR_BAD_STATE : TEE_ERROR_BAD_PARAMETERS);
	return call_ta(s, false, cmd, xfer);
}

static void close_session(struct tee_rt_session *s)
{
	tee_rt_current_session = s;
	tee_rt_set_cancel_mask(true);
	TA_CloseSessionEntryPoint(s->ctx);
	tee_rt_current_session = 0;
	s->used = false;
	nsessions--;
}

static struct result op_close(uint64_t id)
{
	struct tee_rt_session *s = find_session(id);
	if (!s)
		return tee_error(TEE_ERROR_BAD_PARAMETERS);
	close_session(s);
	return (struct result){TEE_SUCCESS, TEE_ORIGIN_TEE};
}

struct ta_param_page *tee_rt_request_page(void)
{
	return in_op ? page : 0;
}

long tee_rt_request(struct mt_msg *m)
{
	if (!in_op)
		return MT_ESTATE;
	/* The request goes as our answer to the operation; the gateway's next
	 * call is its result, and the operation goes on. */
	long rc = mt_reply_recv(serve_ep, m, MT_RR_REPLY | MT_RR_RECV);
	if (rc != MT_OK)
		return rc;
	close_handles(m->handle);
	m->handle = 0;
	if (m->w[0] != TA_OP_RPC_RETURN) {
		printf("[ta %s] the gateway broke the request protocol (%lu)\n", tee_rt_uuid_str,
		       (unsigned long)m->w[0]);
		TEE_Panic(TEE_ERROR_COMMUNICATION);
	}
	return MT_OK;
}

static int serve(unsigned long ep)
{
	if (!instance_error) {
		tee_rt_set_cancel_mask(true);
		TEE_Result res = TA_CreateEntryPoint();
		if (res != TEE_SUCCESS) {
			instance_error = res;
			instance_error_origin = TEE_ORIGIN_TRUSTED_APP;
		}
	}
	struct mt_msg m;
	serve_ep = ep;
	long rc = mt_recv(ep, &m);
	while (rc == MT_OK) {
		unsigned long xfer = m.handle;
		struct result r;
		in_op = m.w[0] != TA_OP_ATTACH && page;
		switch (m.w[0]) {
		case TA_OP_ATTACH:
			r = op_attach(xfer);
			break;
		case TA_OP_OPEN_SESSION:
			r = op_open(m.w[1], xfer);
			break;
		case TA_OP_INVOKE:
			r = op_invoke(m.w[1], (uint32_t)m.w[2], xfer);
			break;
		case TA_OP_CLOSE_SESSION:
			r = op_close(m.w[1]);
			break;
		case TA_OP_DESTROY:
			/* Sessions the gateway did not close end here. */
			for (unsigned i = 0; i < MAX_SESSIONS; i++)
				if (sessions[i].used)
					close_session(&sessions[i]);
			if (!instance_error)
				TA_DestroyEntryPoint();
			tee_cs_detach(); /* the crypto service may free our keys now */
			close_handles(xfer);
			in_op = false;
			m = (struct mt_msg){{TEE_SUCCESS, TEE_ORIGIN_TEE, 0, 0}, 0, 0};
			mt_reply_recv(ep, &m, MT_RR_REPLY);
			return 0;
		default:
			r = tee_error(TEE_ERROR_NOT_SUPPORTED);
			break;
		}
		close_handles(xfer);
		in_op = false;
		bool dying = m.w[0] == TA_OP_ATTACH && instance_error;
		m = (struct mt_msg){{r.res, r.origin_or_flags, 0, 0}, 0, 0};
		if (dying) {
			/* The instance could not be created: say so, and end. */
			mt_reply_recv(ep, &m, MT_RR_REPLY);
			return 1;
		}
		rc = mt_reply_recv(ep, &m, MT_RR_REPLY | MT_RR_RECV);
	}
	printf("[ta %s] endpoint failed (%ld); exiting\n", tee_rt_uuid_str, rc);
	return 1;
}

/* Maps a stack of TA_STACK_SIZE plus room for the runtime, with an
 * unmapped guard page below, if the main stack is too small; returns its
 * top or 0 to stay on the main stack. */
static uintptr_t ta_stack(void)
{
	size_t want = tee_rt_head->stack_size;
	if (want <= MAIN_STACK_TA_MAX)
		return 0;
	size_t size = (want + RT_STACK_RESERVE + MT_PAGE_SIZE - 1) & ~(MT_PAGE_SIZE - 1);
	if (size > TEE_RT_STACK_AREA_TOP - TEE_RT_STACK_AREA_BASE - MT_PAGE_SIZE) {
		instance_error = TEE_ERROR_OUT_OF_MEMORY;
		instance_error_origin = TEE_ORIGIN_TEE;
		return 0;
	}
	uintptr_t lo = TEE_RT_STACK_AREA_TOP - size;
	if (mt_mem_map(lo, size, MT_PROT_R | MT_PROT_W) != MT_OK) {
		instance_error = TEE_ERROR_OUT_OF_MEMORY;
		instance_error_origin = TEE_ORIGIN_TEE;
		return 0;
	}
	tee_rt_stack_lo = lo;
	tee_rt_stack_hi = TEE_RT_STACK_AREA_TOP;
	return TEE_RT_STACK_AREA_TOP;
}

unsigned long tee_rt_crypto_ep;
unsigned long tee_rt_keys_ep;    /* the key service, badged for this instance */
unsigned long tee_rt_rpc_ep;     /* the RPC service, badged RPC_BADGE_TA */
unsigned long tee_rt_storage_ep; /* the storage service (arg2) */

int mt_main(unsigned long arg, unsigned long arg2)
{
	unsigned long ep = TA_START_ARG_EP(arg);
	tee_rt_storage_ep = TA_START_ARG2_STORAGE(arg2);
	unsigned long log = TA_START_ARG2_LOG(arg2);
	mt_trace_level = log ? (int)log - 1 : mt_ta_log_default;
	tee_rt_crypto_ep = TA_START_ARG_CRYPTO(arg);
	tee_rt_keys_ep = TA_START_ARG_KEYS(arg);
	tee_rt_rpc_ep = TA_START_ARG_RPC(arg);
	if (tee_rt_personality_head) /* a personality that runs another kind of TA */
		tee_rt_head = tee_rt_personality_head();
	if (!tee_rt_head)
		return 1;
	tee_rt_uuid_to_str(&tee_rt_head->uuid, tee_rt_uuid_str);
	if (tee_rt_head->magic != TA_HEAD_MAGIC) {
		printf("[ta] bad TA header\n");
		return 1;
	}
	uintptr_t sp = ta_stack();
	if (instance_error)
		printf("[ta %s] cannot map a %u-byte stack\n", tee_rt_uuid_str,
		       (unsigned)tee_rt_head->stack_size);
	if (sp)
		return tee_rt_call_on_stack(serve, ep, sp);
	return serve(ep);
}
