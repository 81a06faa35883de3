/* Trusted-application instances and sessions, following GlobalPlatform:
 * an instance is created on the first open session and destroyed on the
 * last close unless the TA asks to be kept alive; a TA that dies takes its
 * sessions with it (TEE_ERROR_TARGET_DEAD).
 *
 * Concurrency. Locks and their order are described once, in gateway.h;
 * this file takes gw_lock, which guards every table here, the workers'
 * call records and the object budget.
 * - A TA instance serves one operation at a time (its parameter page is the
 *   instance's, and it has one thread): a worker owns the instance (busy)
 *   for one operation, and the others queue for it (waiters, in order),
 *   each handed the instance in turn. So a long or stuck operation delays
 *   only the calls to its own instance.
 * - A worker owns at most one instance at a time, and takes objects from
 *   the budget only while it owns one: owners never wait for waiters.
 * - refs counts the workers that own or wait for an instance. Its slot (its
 *   handles, its page) is freed only once it is dead and unreferenced: a TA
 *   that dies during an operation is dead for every waiter too, each of
 *   which is handed the instance in turn and answers TARGET_DEAD.
 * - A close queues for the instance like any operation, so it waits for
 *   the operation in flight on it, then closes.
 * - A cancel marks the call it names; the TA sees it in its parameter page
 *   while that call's operation runs (lib/tee: TEE_GetCancellationFlag). */
#include <stdio.h>
#include <string.h>

#include "gateway.h"

enum inst_state {
	INST_FREE,
	INST_STARTING, /* init is starting it: its flags are not known yet */
	INST_READY,
	INST_DEAD, /* died or being destroyed: freed with its last reference */
};

struct instance {
	enum inst_state state;
	uint8_t uuid[16];
	mt_handle_t ep;   /* CALL handle to the TA's endpoint */
	mt_handle_t proc; /* control handle for the TA process */
	mt_handle_t page_shm;
	struct ta_param_page *page;
	uint32_t flags;
	unsigned sessions;
	unsigned refs;             /* workers that own it or wait for it */
	int busy;                  /* a worker owns it */
	int exited;                /* its process ended: nothing to kill */
	int killed;                /* by the watchdog: over its time */
	struct gw_worker *running; /* the owner, while its TA operation is in flight */
	struct gw_worker *waiters[GW_WORKERS];
	unsigned nwait;
};

enum session_state { SESSION_FREE, SESSION_OPENING, SESSION_OPEN, SESSION_CLOSING };

struct session {
	enum session_state state;
	uint32_t id;
	struct instance *inst; /* 0 once its TA died */
};

static struct gw_lock gw_lock;
static struct instance instances[GW_MAX_INSTANCES];
static struct session sessions[GW_MAX_SESSIONS];
static mt_handle_t sup_ep;
static uint32_t next_session_id = 1;
static unsigned budget = GW_CALL_SHMS;

void session_init(mt_handle_t sup)
{
	sup_ep = sup;
}

static void set_ret(struct gw_msg *m, uint32_t ret, uint32_t origin)
{
	m->hdr.ret = ret;
	m->hdr.ret_origin = origin;
}

void gw_budget_take(unsigned n)
{
	for (;;) {
		gw_lock_take(&gw_lock);
		if (budget >= n) {
			budget -= n;
			gw_lock_give(&gw_lock);
			return;
		}
		gw_lock_give(&gw_lock);
		mt_sleep_ns(1000000); /* rare: every object is lent to calls in flight */
	}
}

void gw_budget_give(unsigned n)
{
	gw_lock_take(&gw_lock);
	budget += n;
	gw_lock_give(&gw_lock);
}

void session_call_begin(struct gw_worker *w, uint32_t session, uint32_t cancel_id)
{
	gw_lock_take(&gw_lock);
	w->in_call = 1;
	w->session = session;
	w->cancel_id = cancel_id;
	w->cancelled = 0;
	gw_lock_give(&gw_lock);
}

void session_call_end(struct gw_worker *w)
{
	gw_lock_take(&gw_lock);
	w->in_call = 0;
	gw_lock_give(&gw_lock);
}

/* OPTEE_MSG_CMD_CANCEL: the call of that session with that cancel id, if
 * one is in flight, is cancelled; if its TA operation runs, the TA sees it
 * at once. A cancel that finds no call does nothing (GP: a request). */
void session_cancel(struct gw_msg *m)
{
	gw_lock_take(&gw_lock);
	for (unsigned i = 0; i < GW_WORKERS; i++) {
		struct gw_worker *w = &gw_workers[i];
		if (!w->in_call || w->session != m->hdr.session || w->cancel_id != m->hdr.cancel_id)
			continue;
		if (!w->cancelled)
			w->cancel_at = mt_time(0);
		w->cancelled = 1;
		for (unsigned k = 0; k < GW_MAX_INSTANCES; k++)
			if (instances[k].running == w && instances[k].page)
				__atomic_store_n(&instances[k].page->cancel, 1, __ATOMIC_RELEASE);
	}
	gw_lock_give(&gw_lock);
	set_ret(m, GW_TEE_SUCCESS, GW_TEE_ORIGIN_TEE);
}

static uint64_t budget_ticks, grace_ticks; /* in counter ticks; 0: no limit */
static uint64_t ticks_per_ms = 1;

void session_limits(uint64_t budget_ms, uint64_t grace_ms)
{
	uint64_t freq;
	mt_time(&freq);
	/* (A day at most, so the products below cannot overflow.) */
	if (budget_ms > 86400000ULL)
		budget_ms = 86400000ULL;
	if (grace_ms > 86400000ULL)
		grace_ms = 86400000ULL;
	if (freq >= 1000)
		ticks_per_ms = freq / 1000;
	budget_ticks = budget_ms * (freq / 1000);
	grace_ticks = grace_ms * (freq / 1000);
	printf("[gateway] TA operations: budget %lu ms, %lu ms after an unmasked cancel\n",
	       (unsigned long)budget_ms, (unsigned long)grace_ms);
}

/* Every GW_WATCH_PERIOD_MS: kills each instance whose operation in flight
 * is over its time. The worker waiting in it then gets MT_EPEERDEAD and
 * answers TARGET_DEAD, as for any TA that dies. */
void session_watchdog(void *arg)
{
	(void)arg;
	for (;;) {
		mt_sleep_ns(GW_WATCH_PERIOD_MS * 1000000ULL);
		gw_lock_take(&gw_lock);
		/* Read under the lock: a time stamped while we waited for it
		 * would otherwise be later than `now`, and the difference wrap
		 * to a huge age (a cancel killed its TA at once). */
		uint64_t now = mt_time(0);
		for (unsigned i = 0; i < GW_MAX_INSTANCES; i++) {
			struct instance *in = &instances[i];
			struct gw_worker *w = in->running;
			if (!w || in->state == INST_DEAD || in->killed || in->exited || !in->proc)
				continue;
			const char *why = 0;
			uint64_t since = 0;
			if (budget_ticks && now > w->op_start && now - w->op_start > budget_ticks) {
				why = "ran past its time budget";
				since = now - w->op_start;
			} else if (grace_ticks && w->cancelled && now > w->cancel_at &&
				   now - w->cancel_at > grace_ticks &&
				   __atomic_load_n(&in->page->cancel_unmasked, __ATOMIC_ACQUIRE)) {
				why = "ignored a cancel";
				since = now - w->cancel_at;
			}
			if (!why)
				continue;
			in->killed = 1;
			printf("[gateway] TA instance %s (%lu ms): killed\n", why,
			       (unsigned long)(since / ticks_per_ms));
			mt_proc_kill(in->proc);
		}
		gw_lock_give(&gw_lock);
	}
}

/* gw_lock held. */
static void instance_free(struct instance *in)
{
	if (in->page)
		mt_mem_unmap((uintptr_t)in->page, MT_PAGE_SIZE);
	if (in->page_shm)
		mt_handle_close(in->page_shm);
	if (in->ep)
		mt_handle_close(in->ep);
	if (in->proc) {
		if (!in->exited)
			mt_proc_kill(in->proc);
		mt_handle_close(in->proc);
	}
	memset(in, 0, sizeof(*in));
}

/* gw_lock held; w holds a reference to in. Returns when w owns it (it may
 * have died meanwhile), with gw_lock held again. */
static void instance_own(struct gw_worker *w, struct instance *in)
{
	if (!in->busy) {
		in->busy = 1;
		return;
	}
	in->waiters[in->nwait++] = w;
	gw_lock_give(&gw_lock);
	/* Until the owner hands it over (session_wake_handed): we call, so
	 * that our thread keeps working for our own normal-world call. */
	struct mt_msg p = {{0, 0, 0, 0}, 0, 0};
	mt_call(w->park_ep, &p);
	gw_lock_take(&gw_lock);
}

/* gw_lock held: w gives up its ownership of in and its reference. */
static void instance_disown(struct gw_worker *w, struct instance *in)
{
	if (in->nwait) {
		struct gw_worker *next = in->waiters[0];
		in->nwait--;
		memmove(in->waiters, in->waiters + 1, in->nwait * sizeof(in->waiters[0]));
		w->wake[w->nwake++] = next; /* it owns in now */
	} else {
		in->busy = 0;
	}
	if (--in->refs == 0 && in->state == INST_DEAD)
		instance_free(in);
}

void session_wake_handed(struct gw_worker *w)
{
	for (unsigned i = 0; i < w->nwake; i++) {
		struct mt_msg p;
		if (mt_recv(w->wake[i]->park_ep, &p) == MT_OK) {
			p = (struct mt_msg){{0, 0, 0, 0}, 0, 0};
			mt_reply_recv(w->wake[i]->park_ep, &p, MT_RR_REPLY);
		}
	}
	w->nwake = 0;
}

/* gw_lock held. */
static void instance_died(struct instance *in)
{
	printf("[gateway] TA instance died; its %u session(s) end\n", in->sessions);
	in->state = INST_DEAD;
	in->exited = 1;
	for (unsigned i = 0; i < GW_MAX_SESSIONS; i++)
		if (sessions[i].state != SESSION_FREE && sessions[i].inst == in)
			sessions[i].inst = 0; /* later calls answer TARGET_DEAD */
	in->sessions = 0;
}

/* Sends one operation to a TA (w owns in); returns the TEE result and
 * origin. */
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
		gw_lock_take(&gw_lock);
		instance_died(in);
		gw_lock_give(&gw_lock);
		*origin = GW_TEE_ORIGIN_TEE;
		return GW_TEE_ERROR_TARGET_DEAD;
	}
	if (rc != MT_OK) {
		printf("[gateway] a TA call failed: %ld\n", rc);
		*origin = GW_TEE_ORIGIN_TEE;
		return GW_TEE_ERROR_COMMUNICATION;
	}
	*origin = (uint32_t)msg->w[1];
	return (uint32_t)msg->w[0];
}

/* Starts an instance of the TA `uuid`: on success w owns it and holds a
 * reference. Called without gw_lock. */
static struct instance *instance_start(struct gw_worker *w, const uint8_t uuid[16], uint32_t *ret)
{
	struct instance *in = 0;
	gw_lock_take(&gw_lock);
	for (unsigned i = 0; i < GW_MAX_INSTANCES && !in; i++)
		if (instances[i].state == INST_FREE)
			in = &instances[i];
	if (in) {
		in->state = INST_STARTING;
		memcpy(in->uuid, uuid, 16);
		in->refs = 1;
		in->busy = 1;
	}
	gw_lock_give(&gw_lock);
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
		gw_lock_take(&gw_lock);
		memset(in, 0, sizeof(*in));
		gw_lock_give(&gw_lock);
		return 0;
	}
	in->ep = MT_XFER_GET(m.handle, 0);
	in->proc = MT_XFER_GET(m.handle, 1);
	/* Each instance slot has its own fixed address for its parameter page,
	 * reused by the instances that follow in that slot. */
	uintptr_t va = MT_USER_SHM + (uintptr_t)(in - instances) * 2 * MT_PAGE_SIZE;
	*ret = GW_TEE_ERROR_OUT_OF_MEMORY;
	if (in->ep && mt_shm_create(MT_PAGE_SIZE, &in->page_shm) == MT_OK &&
	    mt_shm_map(in->page_shm, va, MT_PROT_R | MT_PROT_W) == MT_OK) {
		in->page = (struct ta_param_page *)va;
		struct mt_msg a = {{TA_OP_ATTACH}, in->page_shm, 0};
		uint32_t origin;
		*ret = ta_call(in, &a, &origin);
		in->flags = (uint32_t)a.w[1];
	}
	gw_lock_take(&gw_lock);
	if (*ret == GW_TEE_SUCCESS) {
		in->state = INST_READY;
		gw_lock_give(&gw_lock);
		return in;
	}
	in->state = INST_DEAD;
	instance_disown(w, in);
	gw_lock_give(&gw_lock);
	return 0;
}

/* Ends the instance w owns if nothing needs it any more: no session, no
 * other worker, not kept alive. Called without gw_lock. */
static void instance_end_if_idle(struct instance *in)
{
	gw_lock_take(&gw_lock);
	int idle = in->state == INST_READY && !in->sessions && in->refs == 1 &&
		   !(in->flags & GW_TA_FLAG_INSTANCE_KEEP_ALIVE);
	if (idle)
		in->state = INST_DEAD; /* nobody finds it any more */
	gw_lock_give(&gw_lock);
	if (!idle)
		return;
	struct mt_msg d = {{TA_OP_DESTROY}, 0, 0};
	/* The TA exits by itself after answering; only one that does not
	 * answer is killed. (init reaps it either way.) */
	if (mt_call(in->ep, &d) == MT_OK)
		in->exited = 1;
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

/* Objects the memory references of p[0..n) need: one each. */
static unsigned memref_objects(const struct optee_msg_param *p, unsigned n)
{
	unsigned k = 0;
	for (unsigned i = 0; i < n && i < 4; i++) {
		uint32_t t = (uint32_t)(p[i].attr & OPTEE_MSG_ATTR_TYPE_MASK);
		k += t >= OPTEE_MSG_ATTR_TYPE_RMEM_INPUT && t <= OPTEE_MSG_ATTR_TYPE_RMEM_INOUT &&
		     p[i].u.rmem.size;
	}
	return k;
}

/* Runs one TA operation with parameters p[0..n); w owns in. */
static void run_op(struct gw_worker *w, struct gw_msg *m, struct instance *in, uint64_t op,
		   uint64_t w1, uint64_t w2, struct optee_msg_param *p, unsigned n)
{
	mt_handle_t own[4] = {0, 0, 0, 0}, xfer[4] = {0, 0, 0, 0};
	unsigned objs = memref_objects(p, n);
	gw_budget_take(objs);
	uint32_t ret = params_in(in, p, n, own, xfer);
	uint32_t origin = GW_TEE_ORIGIN_TEE;
	if (ret == GW_TEE_SUCCESS) {
		struct mt_msg c = {{op, w1, w2}, MT_XFER(xfer[0], xfer[1], xfer[2], xfer[3]), 0};
		gw_lock_take(&gw_lock);
		in->running = w;
		w->op_start = mt_time(0);
		__atomic_store_n(&in->page->cancel, (uint32_t)w->cancelled, __ATOMIC_RELEASE);
		__atomic_store_n(&in->page->cancel_unmasked, 0U, __ATOMIC_RELEASE);
		gw_lock_give(&gw_lock);
		ret = ta_call(in, &c, &origin);
		gw_lock_take(&gw_lock);
		in->running = 0;
		int alive = in->state != INST_DEAD;
		gw_lock_give(&gw_lock);
		if (alive)
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
	gw_budget_give(objs);
	set_ret(m, ret, origin);
}

/* gw_lock held. */
static struct session *session_find(uint32_t id)
{
	for (unsigned i = 0; i < GW_MAX_SESSIONS; i++)
		if (sessions[i].state == SESSION_OPEN && sessions[i].id == id)
			return &sessions[i];
	return 0;
}

/* gw_lock held: how many workers own or wait for an instance of the TA
 * `uuid`, and how many instance slots it has. */
static unsigned ta_workers(const uint8_t uuid[16], unsigned *slots)
{
	unsigned n = 0, k = 0;
	for (unsigned i = 0; i < GW_MAX_INSTANCES; i++) {
		if (instances[i].state == INST_FREE || memcmp(instances[i].uuid, uuid, 16) != 0)
			continue;
		n += instances[i].refs;
		k++;
	}
	if (slots)
		*slots = k;
	return n;
}

/* gw_lock held: has the TA `uuid` its share of workers? Then w's call is
 * to be retried by the normal world. */
static int ta_share_used(struct gw_worker *w, const uint8_t uuid[16])
{
	if (ta_workers(uuid, 0) < GW_TA_MAX_WORKERS)
		return 0;
	w->retry = 1;
	return 1;
}

void session_open(struct gw_worker *w, struct gw_msg *m)
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
	gw_lock_take(&gw_lock);
	if (ta_share_used(w, uuid)) {
		gw_lock_give(&gw_lock);
		return;
	}
	struct session *s = 0;
	for (unsigned i = 0; i < GW_MAX_SESSIONS && !s; i++)
		if (sessions[i].state == SESSION_FREE)
			s = &sessions[i];
	if (!s) {
		gw_lock_give(&gw_lock);
		set_ret(m, GW_TEE_ERROR_BUSY, GW_TEE_ORIGIN_TEE);
		return;
	}
	s->state = SESSION_OPENING;
	/* A single-instance TA keeps one instance; it takes another session
	 * only if it is multi-session. While an instance of this TA starts,
	 * nobody knows yet whether it is single-instance: wait for it. */
	struct instance *in;
	for (;;) {
		int starting = 0;
		in = 0;
		for (unsigned i = 0; i < GW_MAX_INSTANCES; i++) {
			struct instance *c = &instances[i];
			if (memcmp(c->uuid, uuid, 16) != 0)
				continue;
			if (c->state == INST_STARTING)
				starting = 1;
			else if (c->state == INST_READY && (c->flags & GW_TA_FLAG_SINGLE_INSTANCE))
				in = c;
		}
		if (starting) {
			gw_lock_give(&gw_lock);
			mt_sleep_ns(1000000);
			gw_lock_take(&gw_lock);
			continue;
		}
		if (!in)
			break;
		in->refs++;
		instance_own(w, in);
		if (in->state == INST_READY)
			break;
		instance_disown(w, in); /* it died while we waited: look again */
	}
	if (in && in->sessions && !(in->flags & GW_TA_FLAG_MULTI_SESSION)) {
		instance_disown(w, in);
		s->state = SESSION_FREE;
		gw_lock_give(&gw_lock);
		set_ret(m, GW_TEE_ERROR_BUSY, GW_TEE_ORIGIN_TEE);
		return;
	}
	unsigned slots;
	ta_workers(uuid, &slots);
	if (!in && slots >= GW_TA_MAX_INSTANCES) {
		/* Its share of instance slots: the others' stay free. */
		s->state = SESSION_FREE;
		gw_lock_give(&gw_lock);
		set_ret(m, GW_TEE_ERROR_OUT_OF_MEMORY, GW_TEE_ORIGIN_TEE);
		return;
	}
	gw_lock_give(&gw_lock);
	uint32_t ret;
	if (!in && !(in = instance_start(w, uuid, &ret))) {
		gw_lock_take(&gw_lock);
		s->state = SESSION_FREE;
		gw_lock_give(&gw_lock);
		set_ret(m, ret, GW_TEE_ORIGIN_TEE);
		return;
	}
	struct ta_param_page *pg = in->page;
	memcpy(pg->client_uuid, &m->params[1].u.value.a, 8);
	memcpy(pg->client_uuid + 8, &m->params[1].u.value.b, 8);
	pg->login = (uint32_t)m->params[1].u.value.c;
	gw_lock_take(&gw_lock);
	uint32_t id = next_session_id++;
	gw_lock_give(&gw_lock);
	run_op(w, m, in, TA_OP_OPEN_SESSION, id, 0, m->params + 2, m->hdr.num_params - 2);
	gw_lock_take(&gw_lock);
	if (m->hdr.ret == GW_TEE_SUCCESS && in->state == INST_READY) {
		s->state = SESSION_OPEN;
		s->id = id;
		s->inst = in;
		in->sessions++;
		m->hdr.session = id;
	} else {
		s->state = SESSION_FREE;
	}
	gw_lock_give(&gw_lock);
	instance_end_if_idle(in);
	gw_lock_take(&gw_lock);
	instance_disown(w, in);
	gw_lock_give(&gw_lock);
}

/* Waits for the instance of session `id` (gw_lock held): returns it owned
 * and referenced, or 0 with the TEE result in *ret. A session being
 * closed still serves the calls queued before its close. */
static struct instance *session_instance(struct gw_worker *w, struct session *s, uint32_t id,
					 uint32_t *ret)
{
	struct instance *in = s->inst;
	if (!in) {
		*ret = GW_TEE_ERROR_TARGET_DEAD;
		return 0;
	}
	in->refs++;
	instance_own(w, in);
	if (in->state != INST_READY) {
		instance_disown(w, in);
		*ret = GW_TEE_ERROR_TARGET_DEAD;
		return 0;
	}
	if (s->state == SESSION_FREE || s->state == SESSION_OPENING || s->id != id || s->inst != in) {
		instance_disown(w, in);
		*ret = GW_TEE_ERROR_BAD_PARAMETERS; /* closed meanwhile */
		return 0;
	}
	return in;
}

void session_invoke(struct gw_worker *w, struct gw_msg *m)
{
	uint32_t ret = GW_TEE_ERROR_BAD_PARAMETERS;
	gw_lock_take(&gw_lock);
	struct session *s = session_find(m->hdr.session);
	if (s && s->inst && ta_share_used(w, s->inst->uuid)) {
		gw_lock_give(&gw_lock);
		return;
	}
	struct instance *in = s ? session_instance(w, s, m->hdr.session, &ret) : 0;
	gw_lock_give(&gw_lock);
	if (!in) {
		set_ret(m, ret, GW_TEE_ORIGIN_TEE);
		return;
	}
	run_op(w, m, in, TA_OP_INVOKE, m->hdr.session, m->hdr.func, m->params, m->hdr.num_params);
	gw_lock_take(&gw_lock);
	instance_disown(w, in);
	gw_lock_give(&gw_lock);
}

void session_close(struct gw_worker *w, struct gw_msg *m)
{
	gw_lock_take(&gw_lock);
	struct session *s = session_find(m->hdr.session);
	if (!s) {
		gw_lock_give(&gw_lock);
		set_ret(m, GW_TEE_ERROR_BAD_PARAMETERS, GW_TEE_ORIGIN_TEE);
		return;
	}
	if (s->inst && ta_share_used(w, s->inst->uuid)) {
		gw_lock_give(&gw_lock);
		return;
	}
	s->state = SESSION_CLOSING; /* no new call finds it */
	uint32_t ret;
	struct instance *in = session_instance(w, s, m->hdr.session, &ret);
	set_ret(m, GW_TEE_SUCCESS, GW_TEE_ORIGIN_TEE);
	if (!in) {
		memset(s, 0, sizeof(*s)); /* its TA already died */
		gw_lock_give(&gw_lock);
		return;
	}
	gw_lock_give(&gw_lock);
	struct mt_msg c = {{TA_OP_CLOSE_SESSION, m->hdr.session}, 0, 0};
	uint32_t origin;
	ta_call(in, &c, &origin);
	gw_lock_take(&gw_lock);
	if (s->inst == in)
		in->sessions--;
	memset(s, 0, sizeof(*s));
	gw_lock_give(&gw_lock);
	instance_end_if_idle(in);
	gw_lock_take(&gw_lock);
	instance_disown(w, in);
	gw_lock_give(&gw_lock);
}
