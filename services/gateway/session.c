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
 *   while that call's operation runs (lib/tee: TEE_GetCancellationFlag).
 * - TA-to-TA sessions (ta_ipc.h, TA_RPC_*): a TA asks for them in its
 *   answer to an operation, and the worker that runs the operation serves
 *   the request itself, nested, as a client whose identity is the calling
 *   instance's (rpc_serve). So a nested worker owns more than one instance
 *   (the callers down its chain). Before it waits for an instance, a worker
 *   follows the chain of owners and the instances they wait for: if it
 *   comes back to itself, waiting would never end (A calls B calls A, a
 *   TA calling itself), and the request gets TEE_ERROR_BUSY instead. The
 *   depth of a chain is at most GW_TA_MAX_DEPTH, and its time is the
 *   outermost operation's, under the watchdog's budget. A nested worker
 *   still owes its normal-world reply, so the workers it hands instances to
 *   are woken by the waker thread (session_waker). */
#include <stdio.h>
#include <string.h>

#include "gateway.h"
#include "rv_instance.h"
#include "rv_session.h"

enum inst_state {
	INST_FREE,
	INST_STARTING, /* init is starting it: its flags are not known yet */
	INST_READY,
	INST_DEAD, /* died or being destroyed: freed with its last reference */
};

struct instance {
	enum inst_state state;
	uint8_t rv_instance; /* verify/instance.dot (rv_instance_event) */
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
	struct gw_worker *owner;   /* the worker that owns it (busy), or 0 */
	uint64_t tag;              /* unique to this instance: names the sessions it opened */
	uint64_t cancel_at;        /* its operation in flight is cancelled then (a TA's
	                            * cancellationRequestTimeout); 0: never */
	struct gw_worker *waiters[GW_WORKERS];
	unsigned nwait;
};

enum session_state { SESSION_FREE, SESSION_OPENING, SESSION_OPEN, SESSION_CLOSING };

struct session {
	enum session_state state;
	uint8_t rv_session; /* verify/session.dot (rv_session_event) */
	uint32_t id;
	struct instance *inst; /* 0 once its TA died */
	uint64_t client;       /* the tag of the TA instance that opened it; 0: the normal world */
};

/* What a worker serves now, when it serves a TA's request (rpc_serve):
 * the calling instance, and the shared-memory object of the request's
 * memory references. Saved and restored around each nested request. */
struct nest {
	struct instance *caller;
	uint64_t client; /* caller->tag; 0: a normal-world call */
	mt_handle_t shm;
	unsigned depth;
	struct instance *waiting_for; /* while parked in instance_own */
	uint64_t cancel_at; /* the counter at which the request is cancelled; 0: never */
};

static struct gw_lock gw_lock;
static struct instance instances[GW_MAX_INSTANCES];
static struct session sessions[GW_MAX_SESSIONS];
static mt_handle_t sup_ep;
static uint32_t next_session_id = 1;
static unsigned budget = GW_CALL_SHMS;
static struct nest nest[GW_WORKERS];
static uint64_t next_tag = 1;
static mt_handle_t waker_ep; /* session_waker receives here */
static int waker_up;

void session_init(mt_handle_t sup)
{
	sup_ep = sup;
	if (mt_ep_create(&waker_ep) != MT_OK)
		waker_ep = 0;
}

int session_waker_ready(void)
{
	return waker_ep != 0;
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
			if (in->cancel_at && now >= in->cancel_at) {
				/* A TA's request ran out of its cancellation
				 * timeout: a cancel, as from a client. */
				in->cancel_at = 0;
				__atomic_store_n(&in->page->cancel, 1U, __ATOMIC_RELEASE);
			}
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
	rv_instance_event(in, RV_INSTANCE_FREE);
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

/* gw_lock held: would w, waiting for in, wait for itself? The owner of
 * in, the instance that owner waits for, its owner, and so on: a chain
 * that comes back to w never ends (one too long to follow is refused
 * too). */
static int waits_for_itself(const struct gw_worker *w, const struct instance *in)
{
	for (unsigned hops = 0; hops <= GW_WORKERS; hops++) {
		const struct gw_worker *o = in->owner;
		if (!o)
			return 0;
		if (o == w)
			return 1;
		in = nest[o->id].waiting_for;
		if (!in)
			return 0;
	}
	return 1;
}

/* gw_lock held; w holds a reference to in. Returns 1 when w owns it (it
 * may have died meanwhile), with gw_lock held again; 0 at once if waiting
 * for it would never end (waits_for_itself). */
static int instance_own(struct gw_worker *w, struct instance *in)
{
	if (!in->busy) {
		rv_instance_event(in, RV_INSTANCE_OWN);
		in->busy = 1;
		in->owner = w;
		return 1;
	}
	if (waits_for_itself(w, in))
		return 0;
	in->waiters[in->nwait++] = w;
	nest[w->id].waiting_for = in;
	gw_lock_give(&gw_lock);
	/* Until the owner hands it over (session_wake_handed): we call, so
	 * that our thread keeps working for our own normal-world call. */
	struct mt_msg p = {{0, 0, 0, 0}, 0, 0};
	mt_call(w->park_ep, &p);
	gw_lock_take(&gw_lock);
	return 1;
}

/* gw_lock held: w gives up its reference to in, which it does not own. */
static void instance_unref(struct instance *in)
{
	if (--in->refs == 0 && in->state == INST_DEAD)
		instance_free(in);
}

/* gw_lock held: w gives up its ownership of in and its reference. */
static void instance_disown(struct gw_worker *w, struct instance *in)
{
	if (in->nwait) {
		struct gw_worker *next = in->waiters[0];
		in->nwait--;
		memmove(in->waiters, in->waiters + 1, in->nwait * sizeof(in->waiters[0]));
		rv_instance_event(in, RV_INSTANCE_HANDOFF);
		w->wake[w->nwake++] = next; /* it owns in now */
		in->owner = next;
		nest[next->id].waiting_for = 0;
	} else {
		rv_instance_event(in, RV_INSTANCE_RELEASE);
		in->busy = 0;
		in->owner = 0;
	}
	if (--in->refs == 0 && in->state == INST_DEAD)
		instance_free(in);
}

/* The waker thread: wakes, for a worker that still owes its normal-world
 * reply (a nested one), the workers it handed an instance to. The message
 * names the worker to wake. */
void session_waker(void *arg)
{
	(void)arg;
	struct mt_msg m;
	__atomic_store_n(&waker_up, 1, __ATOMIC_RELEASE);
	long rc = mt_recv(waker_ep, &m);
	while (rc == MT_OK) {
		if (m.w[0] < GW_WORKERS) {
			struct mt_msg p;
			struct gw_worker *t = &gw_workers[m.w[0]];
			if (mt_recv(t->park_ep, &p) == MT_OK) {
				p = (struct mt_msg){{0, 0, 0, 0}, 0, 0};
				mt_reply_recv(t->park_ep, &p, MT_RR_REPLY);
			}
		}
		m = (struct mt_msg){{0, 0, 0, 0}, 0, 0};
		rc = mt_reply_recv(waker_ep, &m, MT_RR_REPLY | MT_RR_RECV);
	}
	printf("[gateway] waker: receive failed: %ld\n", rc);
}

/* Wakes the workers w handed instances to, now, through the waker. */
static void wake_nested(struct gw_worker *w)
{
	if (!__atomic_load_n(&waker_up, __ATOMIC_ACQUIRE))
		return; /* no waker: they wait for the end of our call */
	for (unsigned i = 0; i < w->nwake; i++) {
		struct mt_msg p = {{w->wake[i]->id, 0, 0, 0}, 0, 0};
		mt_call(waker_ep, &p);
	}
	w->nwake = 0;
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
	rv_instance_event(in, RV_INSTANCE_DIE);
	in->exited = 1;
	for (unsigned i = 0; i < GW_MAX_SESSIONS; i++)
		if (sessions[i].state != SESSION_FREE && sessions[i].inst == in)
			sessions[i].inst = 0; /* later calls answer TARGET_DEAD */
	in->sessions = 0;
}

static void rpc_serve(struct gw_worker *w, struct instance *caller, const struct mt_msg *req,
                      mt_handle_t shm, struct mt_msg *back);
static void close_owned(struct gw_worker *w, uint64_t tag);

/* Sends one operation to a TA (w owns in); returns the TEE result and
 * origin. The TA's TA-to-TA requests on the way are served here, on w. */
static uint32_t ta_call(struct gw_worker *w, struct instance *in, struct mt_msg *msg,
                        uint32_t *origin)
{
	for (;;) {
		long rc = mt_call(in->ep, msg);
		/* An answer carries no handles, a request at most its memory
		 * object (slot 0). Any others are closed at once: kept, they
		 * would fill our table, and every normal-world call needs a
		 * handle of ours for its message. */
		int rpc = rc == MT_OK && msg->w[1] == TA_RPC_MARK;
		mt_handle_t shm = rpc ? MT_XFER_GET(msg->handle, 0) : 0;
		for (unsigned i = rpc ? 1 : 0; rc == MT_OK && i < MT_XFER_MAX; i++)
			if (MT_XFER_GET(msg->handle, i))
				mt_handle_close(MT_XFER_GET(msg->handle, i));
		if (rc == MT_EPEERDEAD) {
			gw_lock_take(&gw_lock);
			instance_died(in);
			uint64_t tag = in->tag;
			gw_lock_give(&gw_lock);
			close_owned(w, tag); /* the sessions it had opened end too */
			*origin = GW_TEE_ORIGIN_TEE;
			return GW_TEE_ERROR_TARGET_DEAD;
		}
		if (rc != MT_OK) {
			printf("[gateway] a TA call failed: %ld\n", rc);
			*origin = GW_TEE_ORIGIN_TEE;
			return GW_TEE_ERROR_COMMUNICATION;
		}
		if (!rpc) {
			*origin = (uint32_t)msg->w[1];
			return (uint32_t)msg->w[0];
		}
		struct mt_msg back = {
		    {TA_OP_RPC_RETURN, GW_TEE_ERROR_BAD_PARAMETERS, GW_TEE_ORIGIN_TEE}, 0, 0};
		rpc_serve(w, in, msg, shm, &back);
		if (shm)
			mt_handle_close(shm);
		*msg = back;
	}
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
		rv_instance_event(in, RV_INSTANCE_START);
		memcpy(in->uuid, uuid, 16);
		in->refs = 1;
		in->busy = 1;
		in->owner = w;
		in->tag = next_tag++;
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
		rv_instance_event(in, RV_INSTANCE_START_ABORT);
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
		*ret = ta_call(w, in, &a, &origin);
		in->flags = (uint32_t)a.w[1];
	}
	gw_lock_take(&gw_lock);
	if (*ret == GW_TEE_SUCCESS) {
		in->state = INST_READY;
		rv_instance_event(in, RV_INSTANCE_STARTED);
		gw_lock_give(&gw_lock);
		return in;
	}
	in->state = INST_DEAD;
	rv_instance_event(in, RV_INSTANCE_DIE);
	instance_disown(w, in);
	gw_lock_give(&gw_lock);
	return 0;
}

/* Ends the instance w owns if nothing needs it any more: no session, no
 * other worker, not kept alive. Called without gw_lock. */
static void instance_end_if_idle(struct gw_worker *w, struct instance *in)
{
	gw_lock_take(&gw_lock);
	int idle = in->state == INST_READY && !in->sessions && in->refs == 1 &&
		   !(in->flags & GW_TA_FLAG_INSTANCE_KEEP_ALIVE);
	if (idle) {
		in->state = INST_DEAD; /* nobody finds it any more */
		rv_instance_event(in, RV_INSTANCE_DIE);
	}
	gw_lock_give(&gw_lock);
	if (!idle)
		return;
	struct mt_msg d = {{TA_OP_DESTROY}, 0, 0};
	/* The TA exits by itself after answering; only one that does not
	 * answer is killed. (init reaps it either way.) Its destroy entry
	 * point may still close its TA-to-TA sessions; those it leaves open
	 * are closed here. */
	uint32_t origin;
	if (ta_call(w, in, &d, &origin) == GW_TEE_SUCCESS)
		in->exited = 1;
	close_owned(w, in->tag);
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
                          mt_handle_t ta_shm, mt_handle_t own[4], mt_handle_t xfer[4])
{
	struct ta_param_page *pg = in->page;
	uint32_t types = 0;
	/* Zeroed word by word: libc's memset uses SIMD registers, and one FP
	 * use here would take the FP registers from the TA at every call (the
	 * gateway is built with general registers only: Makefile). */
	_Static_assert(sizeof(pg->params) % 8 == 0 && _Alignof(struct ta_param) == 8,
	               "params zeroed as words");
	volatile uint64_t *z = (volatile uint64_t *)(void *)pg->params;
	for (size_t i = 0; i < sizeof(pg->params) / 8; i++)
		z[i] = 0;
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
				/* An empty or NULL buffer: nothing to map. The TA
				 * gets a pointer that is not NULL for an empty
				 * buffer that is not NULL (a = 1), as OP-TEE's. */
				tp->handle = TA_PARAM_NO_HANDLE;
				tp->a = (rmem ? p[i].u.rmem.shm_ref : p[i].u.tmem.buf_ptr) != 0;
				break;
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
		case GW_ATTR_TA_MEM_INPUT:
		case GW_ATTR_TA_MEM_OUTPUT:
		case GW_ATTR_TA_MEM_INOUT: {
			/* A calling TA's reference: a range of its request's
			 * object (rpc_serve), which only a TA's request has. */
			unsigned dir = t - GW_ATTR_TA_MEM_INPUT;
			tp->kind = TA_PARAM_MEMREF;
			tp->handle = i;
			tp->a = p[i].u.rmem.offs;
			tp->b = p[i].u.rmem.size;
			types |= (GP_MEMREF_INPUT + dir) << (4 * i);
			if (tp->b == 0) {
				tp->handle = TA_PARAM_NO_HANDLE;
				tp->a = p[i].u.rmem.offs != 0; /* 1: empty, not NULL */
				break;
			}
			unsigned rights = MT_R_MAP_R | MT_R_GRANT | (dir ? MT_R_MAP_W : 0);
			if (!ta_shm)
				return GW_TEE_ERROR_BAD_PARAMETERS;
			if (mt_handle_grant(0, ta_shm, rights, 0, &xfer[i]) != MT_OK)
				return GW_TEE_ERROR_OUT_OF_MEMORY;
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
		} else if (t == GW_ATTR_TA_MEM_OUTPUT || t == GW_ATTR_TA_MEM_INOUT) {
			p[i].u.rmem.size = tp->b;
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
	uint32_t ret = params_in(in, p, n, nest[w->id].shm, own, xfer);
	uint32_t origin = GW_TEE_ORIGIN_TEE;
	if (ret == GW_TEE_SUCCESS) {
		struct mt_msg c = {{op, w1, w2}, MT_XFER(xfer[0], xfer[1], xfer[2], xfer[3]), 0};
		gw_lock_take(&gw_lock);
		in->running = w;
		w->op_start = mt_time(0);
		__atomic_store_n(&in->page->cancel, (uint32_t)w->cancelled, __ATOMIC_RELEASE);
		in->cancel_at = nest[w->id].cancel_at;
		__atomic_store_n(&in->page->cancel_unmasked, 0U, __ATOMIC_RELEASE);
		gw_lock_give(&gw_lock);
		ret = ta_call(w, in, &c, &origin);
		gw_lock_take(&gw_lock);
		in->running = 0;
		in->cancel_at = 0;
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

/* gw_lock held: the open session `id` of w's client (the normal world,
 * or the TA instance w serves a request of): nobody else's. */
static struct session *session_find(const struct gw_worker *w, uint32_t id)
{
	uint64_t client = nest[w->id].client;
	for (unsigned i = 0; i < GW_MAX_SESSIONS; i++)
		if (sessions[i].state == SESSION_OPEN && sessions[i].id == id &&
		    sessions[i].client == client)
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
	/* A TA's request cannot be retried: it is served on the worker of
	 * the operation it came from, which already counts. */
	if (nest[w->id].client || ta_workers(uuid, 0) < GW_TA_MAX_WORKERS)
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
	rv_session_event(s, RV_SESSION_OPEN_BEGIN);
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
		if (!instance_own(w, in)) {
			/* A TA's request for an instance its own chain holds. */
			instance_unref(in);
			s->state = SESSION_FREE;
			rv_session_event(s, RV_SESSION_OPEN_FAIL);
			gw_lock_give(&gw_lock);
			set_ret(m, GW_TEE_ERROR_BUSY, GW_TEE_ORIGIN_TEE);
			return;
		}
		if (in->state == INST_READY)
			break;
		instance_disown(w, in); /* it died while we waited: look again */
	}
	if (in && in->sessions && !(in->flags & GW_TA_FLAG_MULTI_SESSION)) {
		instance_disown(w, in);
		s->state = SESSION_FREE;
		rv_session_event(s, RV_SESSION_OPEN_FAIL);
		gw_lock_give(&gw_lock);
		set_ret(m, GW_TEE_ERROR_BUSY, GW_TEE_ORIGIN_TEE);
		return;
	}
	unsigned slots;
	ta_workers(uuid, &slots);
	if (!in && slots >= GW_TA_MAX_INSTANCES) {
		/* Its share of instance slots: the others' stay free. */
		s->state = SESSION_FREE;
		rv_session_event(s, RV_SESSION_OPEN_FAIL);
		gw_lock_give(&gw_lock);
		set_ret(m, GW_TEE_ERROR_OUT_OF_MEMORY, GW_TEE_ORIGIN_TEE);
		return;
	}
	gw_lock_give(&gw_lock);
	uint32_t ret;
	if (!in && !(in = instance_start(w, uuid, &ret))) {
		gw_lock_take(&gw_lock);
		s->state = SESSION_FREE;
		rv_session_event(s, RV_SESSION_OPEN_FAIL);
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
		rv_session_event(s, RV_SESSION_OPEN_OK);
		s->id = id;
		s->inst = in;
		s->client = nest[w->id].client;
		in->sessions++;
		m->hdr.session = id;
	} else {
		s->state = SESSION_FREE;
		rv_session_event(s, RV_SESSION_OPEN_FAIL);
	}
	gw_lock_give(&gw_lock);
	instance_end_if_idle(w, in);
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
	if (!instance_own(w, in)) {
		instance_unref(in);
		*ret = GW_TEE_ERROR_BUSY; /* its own chain holds the instance */
		return 0;
	}
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
	struct session *s = session_find(w, m->hdr.session);
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
	struct session *s = session_find(w, m->hdr.session);
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
	rv_session_event(s, RV_SESSION_CLOSE_BEGIN);
	uint32_t ret;
	struct instance *in = session_instance(w, s, m->hdr.session, &ret);
	set_ret(m, GW_TEE_SUCCESS, GW_TEE_ORIGIN_TEE);
	if (!in && ret == GW_TEE_ERROR_BUSY) {
		s->state = SESSION_OPEN; /* its TA is up the caller's own chain: later */
		rv_session_event(s, RV_SESSION_CLOSE_LATER);
		gw_lock_give(&gw_lock);
		set_ret(m, ret, GW_TEE_ORIGIN_TEE);
		return;
	}
	if (!in) {
		rv_session_event(s, RV_SESSION_CLOSE_END);
		memset(s, 0, sizeof(*s)); /* its TA already died */
		gw_lock_give(&gw_lock);
		return;
	}
	gw_lock_give(&gw_lock);
	struct mt_msg c = {{TA_OP_CLOSE_SESSION, m->hdr.session}, 0, 0};
	uint32_t origin;
	ta_call(w, in, &c, &origin);
	gw_lock_take(&gw_lock);
	if (s->inst == in)
		in->sessions--;
	rv_session_event(s, RV_SESSION_CLOSE_END);
	memset(s, 0, sizeof(*s));
	gw_lock_give(&gw_lock);
	instance_end_if_idle(w, in);
	gw_lock_take(&gw_lock);
	instance_disown(w, in);
	rv_report_growth();
	gw_lock_give(&gw_lock);
}

/* ---- TA-to-TA sessions ---- */

/* The GP parameter types of a TA's request as message parameters: values
 * as the normal world's, memory references as ranges of the request's
 * object (GW_ATTR_TA_MEM_*). */
static uint32_t rpc_params(const struct ta_param_page *pg, struct optee_msg_param p[4])
{
	memset(p, 0, 4 * sizeof(p[0]));
	if (pg->param_types >> 16)
		return GW_TEE_ERROR_BAD_PARAMETERS;
	for (unsigned i = 0; i < 4; i++) {
		uint32_t t = (pg->param_types >> (4 * i)) & 0xF;
		const struct ta_param *tp = &pg->params[i];
		if (t == GP_NONE) {
			p[i].attr = OPTEE_MSG_ATTR_TYPE_NONE;
		} else if (t >= GP_VALUE_INPUT && t <= GP_VALUE_INPUT + 2) {
			p[i].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT + (t - GP_VALUE_INPUT);
			p[i].u.value.a = (uint32_t)tp->a;
			p[i].u.value.b = (uint32_t)tp->b;
		} else if (t >= GP_MEMREF_INPUT && t <= GP_MEMREF_INPUT + 2) {
			if (tp->kind != TA_PARAM_MEMREF || (tp->b && tp->handle != 0) ||
			    tp->a > GW_TA_MEM_MAX || tp->b > GW_TA_MEM_MAX - tp->a)
				return GW_TEE_ERROR_BAD_PARAMETERS;
			p[i].attr = GW_ATTR_TA_MEM_INPUT + (t - GP_MEMREF_INPUT);
			p[i].u.rmem.offs = tp->a;
			p[i].u.rmem.size = tp->b;
		} else {
			return GW_TEE_ERROR_BAD_PARAMETERS;
		}
	}
	return GW_TEE_SUCCESS;
}

/* Serves a TA-to-TA request of `caller` (w owns it; it waits in its
 * operation for `back`). The request is served as the normal world's
 * are, with the calling instance as the client. */
static void rpc_serve(struct gw_worker *w, struct instance *caller, const struct mt_msg *req,
                      mt_handle_t shm, struct mt_msg *back)
{
	struct ta_param_page pg;
	memcpy(&pg, caller->page, sizeof(pg)); /* read the shared page once */
	struct gw_msg m;
	memset(&m.hdr, 0, sizeof(m.hdr));
	unsigned off = req->w[0] == TA_RPC_OPEN_SESSION ? 2 : 0;
	uint32_t ret = rpc_params(&pg, m.params + off);
	struct nest saved = nest[w->id];
	if (ret == GW_TEE_SUCCESS && saved.depth >= GW_TA_MAX_DEPTH)
		ret = GW_TEE_ERROR_BUSY; /* a chain of TA calls that long is refused */
	if (ret == GW_TEE_SUCCESS && req->w[0] != TA_RPC_OPEN_SESSION &&
	    req->w[0] != TA_RPC_INVOKE && req->w[0] != TA_RPC_CLOSE_SESSION)
		ret = GW_TEE_ERROR_NOT_SUPPORTED;
	if (ret != GW_TEE_SUCCESS) {
		back->w[1] = ret;
		back->w[2] = GW_TEE_ORIGIN_TEE;
		return;
	}
	/* The request's cancellation timeout (ms) comes in the page's login
	 * word; TEE_TIMEOUT_INFINITE: none. */
	uint64_t cancel_at = 0;
	if (pg.login != 0xFFFFFFFFU)
		cancel_at = mt_time(0) + (uint64_t)pg.login * ticks_per_ms + 1;
	if (saved.cancel_at && (!cancel_at || saved.cancel_at < cancel_at))
		cancel_at = saved.cancel_at; /* an outer request's runs out first */
	nest[w->id] = (struct nest){caller, caller->tag, shm, saved.depth + 1, 0, cancel_at};
	m.hdr.num_params = 4 + off;
	m.hdr.ret = GW_TEE_SUCCESS;
	m.hdr.ret_origin = GW_TEE_ORIGIN_TEE;
	if (req->w[0] == TA_RPC_OPEN_SESSION) {
		const uint64_t meta = OPTEE_MSG_ATTR_META | OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
		m.params[0].attr = m.params[1].attr = meta;
		memcpy(&m.params[0].u.value.a, pg.client_uuid, 8);
		memcpy(&m.params[0].u.value.b, pg.client_uuid + 8, 8);
		memcpy(&m.params[1].u.value.a, caller->uuid, 8);
		memcpy(&m.params[1].u.value.b, caller->uuid + 8, 8);
		m.params[1].u.value.c = TA_LOGIN_TRUSTED_APP;
		session_open(w, &m);
	} else if (req->w[0] == TA_RPC_INVOKE) {
		m.hdr.session = (uint32_t)req->w[2];
		m.hdr.func = (uint32_t)req->w[3];
		if (m.hdr.session != req->w[2] || m.hdr.func != req->w[3])
			set_ret(&m, GW_TEE_ERROR_BAD_PARAMETERS, GW_TEE_ORIGIN_TEE);
		else
			session_invoke(w, &m);
	} else {
		m.hdr.session = (uint32_t)req->w[2];
		m.hdr.num_params = 0;
		if (m.hdr.session != req->w[2])
			set_ret(&m, GW_TEE_ERROR_BAD_PARAMETERS, GW_TEE_ORIGIN_TEE);
		else
			session_close(w, &m);
	}
	nest[w->id] = saved;
	if (w->nwake)
		wake_nested(w); /* we still owe our normal-world reply */
	/* The outputs, into the caller's page: values, and the sizes of
	 * memory references. */
	for (unsigned i = 0; i < 4 && req->w[0] != TA_RPC_CLOSE_SESSION; i++) {
		const struct optee_msg_param *p = &m.params[off + i];
		uint32_t t = (uint32_t)(p->attr & OPTEE_MSG_ATTR_TYPE_MASK);
		if (t == OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT || t == OPTEE_MSG_ATTR_TYPE_VALUE_INOUT) {
			caller->page->params[i].a = (uint32_t)p->u.value.a;
			caller->page->params[i].b = (uint32_t)p->u.value.b;
		} else if (t == GW_ATTR_TA_MEM_OUTPUT || t == GW_ATTR_TA_MEM_INOUT) {
			caller->page->params[i].b = p->u.rmem.size;
		}
	}
	back->w[1] = m.hdr.ret;
	back->w[2] = m.hdr.ret_origin;
	back->w[3] = req->w[0] == TA_RPC_OPEN_SESSION ? m.hdr.session : 0;
}

/* Closes the sessions the instance `tag` opened and left open (it ended). */
static void close_owned(struct gw_worker *w, uint64_t tag)
{
	struct nest saved = nest[w->id];
	for (;;) {
		uint32_t id = 0;
		gw_lock_take(&gw_lock);
		for (unsigned i = 0; i < GW_MAX_SESSIONS && !id; i++)
			if (sessions[i].state == SESSION_OPEN && sessions[i].client == tag)
				id = sessions[i].id;
		gw_lock_give(&gw_lock);
		if (!id)
			break;
		nest[w->id] = (struct nest){0, tag, 0, saved.depth + 1, 0, 0};
		struct gw_msg m;
		memset(&m.hdr, 0, sizeof(m.hdr));
		m.hdr.session = id;
		session_close(w, &m);
		nest[w->id] = saved;
		if (m.hdr.ret == GW_TEE_ERROR_BUSY) {
			/* Its TA is up our chain: leave it to be closed... by
			 * nobody. Drop our side so the loop ends. */
			gw_lock_take(&gw_lock);
			for (unsigned i = 0; i < GW_MAX_SESSIONS; i++)
				if (sessions[i].state == SESSION_OPEN && sessions[i].id == id &&
				    sessions[i].client == tag)
					sessions[i].client =
					    ~0ULL; /* nobody's: never found again */
			gw_lock_give(&gw_lock);
		}
	}
	if (w->nwake)
		wake_nested(w); /* they need not wait for our normal-world reply */
}
