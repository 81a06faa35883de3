/* Entry from the normal world. When the secure world has nothing to run it
 * hands the CPU back to the monitor, which resumes the normal world; the
 * monitor comes back here with a normal-world call or a secure interrupt.
 * The pending "return" SMC is the state of this small machine. */
#include "../include/microtee/optee_msg.h"
#include "../include/microtee/smc.h"
#include "arch.h"
#include "object.h"
#include "rv_nwcall.h"
#include "smp.h"

int nw_present;
static void switch_to_ns(void);

/* This CPU's return SMC (per CPU: each CPU has its own SMC in flight). */
#define next_return (cpu_this()->nw_next_return)

/* OP-TEE's UID for its SMC interface, which Linux's optee driver checks. */
static const uint32_t optee_uid[4] = {0x384fb3e0, 0xe7f811e3, 0xaf630002, 0xa5d5c51b};

/* Answers a fast call in place; r[0..3] become the results. */
static void fast_call(uint64_t *r)
{
	uint32_t fid = (uint32_t)r[0];
	switch (fid) {
	case OPTEE_SMC_CALLS_UID:
		for (int i = 0; i < 4; i++)
			r[i] = optee_uid[i];
		return;
	case OPTEE_SMC_CALLS_REVISION:
		r[0] = 2;
		r[1] = 0;
		return;
	case OPTEE_SMC_GET_OS_REVISION:
		r[0] = 0; /* MicroTEE 0.1 */
		r[1] = 1;
		r[2] = 0;
		return;
	case OPTEE_SMC_EXCHANGE_CAPABILITIES:
		/* Only dynamic shared memory: the normal world registers its
		 * buffers, there is no reserved pool. */
		r[0] = OPTEE_SMC_RETURN_OK;
		r[1] = OPTEE_SMC_SEC_CAP_DYNAMIC_SHM;
		r[2] = 0;
		r[3] = 0;
		return;
	case OPTEE_SMC_DISABLE_SHM_CACHE:
		/* No shared-memory cache, so nothing cached to hand back. */
		r[0] = OPTEE_SMC_RETURN_ENOTAVAIL;
		return;
	case OPTEE_SMC_ENABLE_SHM_CACHE:
		r[0] = OPTEE_SMC_RETURN_OK;
		return;
	case MT_SMC_GET_STATS:
		r[0] = 0;
		r[1] = kernel_ticks();
		return;
	default:
		r[0] =
		    (uint64_t)SMCCC_NOT_SUPPORTED; /* -1: as the monitor answers, SMC32 or SMC64 */
		return;
	}
}

/* ---- yielding calls ----
 * Each OP-TEE message in flight is an nwcall: a kernel-owned stand-in
 * thread that "calls" the gateway on the normal-world endpoint, exactly as
 * a process would, so the gateway sees an ordinary IPC and its reply (or
 * its death) completes the call. The normal-world SMC that is in the
 * secure world on a CPU is that CPU's active call (at most one per CPU, and
 * a call is active on at most one CPU); when the secure world has nothing
 * left to run on that CPU, its active call returns there: with its result
 * if done, otherwise with an RPC (FOREIGN_INTR) so the normal world can go
 * on and resume it later with RETURN_FROM_RPC, on whichever CPU it likes.
 * So a CPU returns to the normal world only the call that entered on it,
 * and runs threads only while it has an active call. The stand-in thread
 * itself never runs; the threads working for a call run on any CPU. When
 * another CPU finishes a call (or gives it an RPC to send) while the call
 * is active here, it kicks this CPU (KERNEL_SGI_KICK), which then returns
 * it at once instead of running on.
 *
 * RPCs. A thread that holds the NWRPC capability may ask the normal world
 * for something (SYS_NW_RPC) on the call it works for: the stand-in thread
 * carries a tag (slot and generation), and every IPC call passes its
 * caller's tag to the receiver (endpoint.c), so a service called by the TA
 * that serves call X works for X. The request waits (PENDING) until X is
 * the active call, goes out as X's return (OUT), and the normal world's
 * RETURN_FROM_RPC for X brings the answer back to the thread. One RPC per
 * call at a time, as OP-TEE's own threads do. */

/* Call slots: twice the gateway's workers (GW_WORKERS), so that calls the
 * gateway sent back to wait in the normal world (NWCALL_RETRY keeps their
 * slot) never take the slots of calls it would serve. Calls beyond its
 * workers wait on its endpoint. */
#define NW_MAX_CALLS 16
#define NO_CALL      (-1)

/* NWCALL_RETRY: the gateway answered ETHREAD_LIMIT (not served now) after
 * the call had already been out in the normal world (an RPC or
 * FOREIGN_INTR). Linux's driver then waits for another call to end and
 * sends again what it sent last, a RETURN_FROM_RPC with this slot: the
 * slot stays the call's, and that resume starts it again from its
 * message. (Before it was ever out, an ETHREAD_LIMIT frees the slot: the
 * driver sends CALL_WITH_ARG again.) */
enum nwcall_state { NWCALL_FREE, NWCALL_RUNNING, NWCALL_DONE, NWCALL_RETRY };
enum nwcall_rpc { RPC_NONE, RPC_PENDING, RPC_OUT };

struct nwcall {
	enum nwcall_state state;
	uint64_t result;
	uint32_t gen; /* bumped for each call the slot takes */
	enum nwcall_rpc rpc;
	struct thread *rpc_thread; /* waits for the answer; 0 once it went away */
	uint64_t rpc_regs[3];      /* x0..x2 of the RPC return */
	int cpu;                   /* the CPU where it is active, NO_CALL: none */
	uint64_t arg_hi, arg_lo;   /* CALL_WITH_ARG's message address (a1, a2) */
	int went_out;              /* returned to the normal world unfinished */
	uint8_t rv_nwcall;         /* verify/nwcall.dot (rv_nwcall_event) */
};

static struct process nw_proc; /* pid 0: owner of the stand-in threads */
static struct thread nw_threads[NW_MAX_CALLS];
static struct nwcall calls[NW_MAX_CALLS];
#define active (cpu_this()->nw_active)
struct kobj nwrpc_obj = {KOBJ_NWRPC, 1};

static void kick_carrier(struct nwcall *c);

#define TAG(slot)     ((calls[slot].gen << 8) | ((uint32_t)(slot) + 1))
#define TAG_SLOT(tag) ((int)((tag)&0xff) - 1)

int thread_is_nwcall(const struct thread *t)
{
	return t->proc == &nw_proc;
}

/* Ends the thread's wait for an RPC with status err (nothing was sent). */
static void rpc_abort(struct nwcall *c, long err)
{
	struct thread *t = c->rpc_thread;
	c->rpc = RPC_NONE;
	c->rpc_thread = 0;
	if (t) {
		t->regs.x[0] = (uint64_t)err;
		sched_ready(t);
	}
}

/* The gateway answered (or died: then x0 is an error). */
void nwcall_done(struct thread *t)
{
	unsigned slot = (unsigned)(t - nw_threads);
	kassert(slot < NW_MAX_CALLS && calls[slot].state == NWCALL_RUNNING);
	calls[slot].result = t->regs.x[0] == MT_OK ? t->regs.x[1] : OPTEE_SMC_RETURN_ENOTAVAIL;
	calls[slot].state = NWCALL_DONE;
	rv_nwcall_event(&calls[slot], RV_NWCALL_COMPLETE);
	/* A request that never went out cannot be answered any more; one that
	 * is out is answered (and dropped) when the call resumes. */
	if (calls[slot].rpc == RPC_PENDING)
		rpc_abort(&calls[slot], MT_EPEERDEAD);
	t->state = T_INACTIVE;
	kick_carrier(&calls[slot]);
}

/* The call is active on another CPU, which should return it now (done, or
 * with an RPC to send): tell it. It looks at its call at the interrupt
 * (sched_should_preempt, sched_next: nw_return_due). */
static void kick_carrier(struct nwcall *c)
{
	if (c->cpu == NO_CALL || c->cpu == (int)cpu_this()->id)
		return;
	smp_kick((unsigned)c->cpu);
}

/* Call `slot` is now this CPU's active call. Its threads run here from now
 * on (sched.c): one still running on another CPU is handed over (that CPU
 * sees it at the kick, and makes it ready). */
static void set_active(int slot)
{
	struct cpu *me = cpu_this();
	kassert(active == NO_CALL && calls[slot].cpu == NO_CALL &&
	        calls[slot].state != NWCALL_FREE);
	calls[slot].cpu = (int)me->id;
	active = slot;
	for (unsigned i = 0; i < kernel_ncpus && kernel_ncpus > 1; i++) {
		struct thread *t = kernel_cpus[i].current;
		if (i != me->id && t && t->state == T_RUNNING && t->nwcall == TAG(slot))
			smp_kick(i);
	}
}

int nw_call_live(uint32_t tag)
{
	int slot = TAG_SLOT(tag);
	return slot >= 0 && slot < NW_MAX_CALLS && tag == TAG(slot) &&
	       calls[slot].state != NWCALL_FREE;
}

int nw_call_cpu(uint32_t tag)
{
	int slot = TAG_SLOT(tag);
	if (slot < 0 || slot >= NW_MAX_CALLS || tag != TAG(slot) ||
	    calls[slot].state == NWCALL_FREE)
		return NO_CALL;
	return calls[slot].cpu;
}

/* The call goes back to the normal world: its threads are anyone's now, so
 * one that is ready wakes a CPU idling in the secure world. */
static void clear_active(void)
{
	kassert(active != NO_CALL && calls[active].cpu == (int)cpu_this()->id);
	calls[active].cpu = NO_CALL;
	active = NO_CALL;
	if (kernel_ncpus > 1 && rq_bitmap)
		smp_kick_idle();
}

/* Starts (or, from NWCALL_RETRY, starts again) call `slot` from its
 * message: it becomes this CPU's active call. */
static void call_start(int slot)
{
	struct thread *t = &nw_threads[slot];
	struct nwcall *c = &calls[slot];
	kassert(c->rpc == RPC_NONE && !c->rpc_thread);
	memset(t, 0, sizeof(*t));
	t->proc = &nw_proc;
	t->obj.type = KOBJ_THREAD;
	t->regs.x[1] = NW_MSG_CALL_WITH_ARG;
	t->regs.x[2] = (c->arg_hi << 32) | (uint32_t)c->arg_lo; /* physical address, high:low */
	t->regs.x[3] = (uint64_t)slot;
	c->gen = (c->gen + 1) & 0xffffff;
	t->nwcall = TAG(slot);
	c->state = NWCALL_RUNNING;
	rv_nwcall_event(c, RV_NWCALL_START);
	c->cpu = NO_CALL;
	set_active(slot);
	endpoint_send_from_kernel(nw_endpoint, t);
}

static void call_with_arg(uint64_t *r)
{
	int slot = NO_CALL;
	for (int i = 0; i < NW_MAX_CALLS && slot == NO_CALL; i++)
		if (calls[i].state == NWCALL_FREE)
			slot = i;
	if (slot == NO_CALL) {
		r[0] = OPTEE_SMC_RETURN_ETHREAD_LIMIT; /* the driver waits and retries */
		return;
	}
	calls[slot].arg_hi = r[1];
	calls[slot].arg_lo = r[2];
	calls[slot].went_out = 0;
	call_start(slot);
}

/* Builds the return for the active call, if there is one: its result, its
 * pending RPC, or FOREIGN_INTR (to be resumed). */
static int active_return(void)
{
	if (active == NO_CALL)
		return 0;
	struct nwcall *c = &calls[active];
	memset(next_return, 0, sizeof(next_return));
	next_return[0] = MT_SMC_RETURN_CALL_DONE;
	if (c->state == NWCALL_DONE) {
		kassert(c->rpc == RPC_NONE);
		next_return[1] = c->result;
		c->state = c->result == OPTEE_SMC_RETURN_ETHREAD_LIMIT && c->went_out ? NWCALL_RETRY
		                                                                      : NWCALL_FREE;
		rv_nwcall_event(c, c->state == NWCALL_RETRY ? RV_NWCALL_RETURN_RETRY
		                                            : RV_NWCALL_RETURN);
	} else if (c->rpc == RPC_PENDING) {
		c->went_out = 1;
		for (int i = 0; i < 3; i++)
			next_return[1 + i] = c->rpc_regs[i];
		next_return[4] = (uint64_t)active; /* a3: which call to resume */
		c->rpc = RPC_OUT;
		rv_nwcall_event(c, RV_NWCALL_RPC_SEND);
	} else {
		c->went_out = 1;
		next_return[1] = OPTEE_SMC_RETURN_RPC_FOREIGN_INTR;
		next_return[4] = (uint64_t)active;
	}
	cpu_this()->bg_tick = 0; /* sched.c's background work before it */
	clear_active();
	return 1;
}

/* The normal world resumes call `slot` with its x0..x6 in r: the answer to
 * an RPC that was out goes to the thread that asked (if it is still there). */
static void rpc_answer(struct nwcall *c, const uint64_t *r)
{
	struct thread *t = c->rpc_thread;
	c->rpc = RPC_NONE;
	rv_nwcall_event(c, RV_NWCALL_RPC_ANSWER);
	c->rpc_thread = 0;
	if (!t)
		return;
	t->regs.x[0] = MT_OK;
	t->regs.x[1] = r[1];
	t->regs.x[2] = r[2];
	t->regs.x[3] = r[4];
	t->regs.x[4] = r[5];
	sched_ready(t);
}

/* An entry from the normal world with its x0..x6 in r[0..6]. Returns 1
 * if the call now runs in the secure world (nothing to return yet). */
static int ns_call(uint64_t *r)
{
	uint32_t fid = (uint32_t)r[0];
	if (fid == OPTEE_SMC_CALL_WITH_ARG) {
		call_with_arg(r);
		return active != NO_CALL;
	}
	if (fid == OPTEE_SMC_CALL_RETURN_FROM_RPC) {
		/* An SMC32 call: its arguments are the low halves (w3), as
		 * OP-TEE reads them; whatever is above is not the caller's.
		 * (A call already active on another CPU cannot be resumed
		 * here too: the normal world has one SMC per call.) */
		uint64_t slot = (uint32_t)r[3];
		if (slot >= NW_MAX_CALLS || calls[slot].state == NWCALL_FREE ||
		    calls[slot].cpu != NO_CALL) {
			r[0] = OPTEE_SMC_RETURN_ERESUME;
			return 0;
		}
		if (calls[slot].state == NWCALL_RETRY) {
			call_start((int)slot);
			return 1;
		}
		set_active((int)slot);
		if (calls[slot].rpc == RPC_OUT)
			rpc_answer(&calls[slot], r);
		return 1;
	}
	fast_call(r);
	return 0;
}

/* SYS_NW_RPC: the request waits for its call to be the active one; if it
 * is already, it goes out now, ahead of whatever else could run. */
struct thread *nwcall_rpc(struct thread *cur, uint64_t func, uint64_t a1, uint64_t a2)
{
	int slot = TAG_SLOT(cur->nwcall);
	if (slot < 0 || slot >= NW_MAX_CALLS || cur->nwcall != TAG(slot) ||
	    calls[slot].state != NWCALL_RUNNING || calls[slot].rpc != RPC_NONE) {
		cur->regs.x[0] = (uint64_t)(long)MT_ESTATE;
		return cur;
	}
	struct nwcall *c = &calls[slot];
	c->rpc = RPC_PENDING;
	rv_nwcall_event(c, RV_NWCALL_RPC_ASK);
	c->rpc_thread = cur;
	c->rpc_regs[0] = func;
	c->rpc_regs[1] = a1;
	c->rpc_regs[2] = a2;
	cur->state = T_BLOCKED_RPC;
	if (active == slot) {
		active_return();
		switch_to_ns();
	} else {
		kick_carrier(c);
	}
	return sched_next();
}

void nwcall_rpc_forget(struct thread *t)
{
	for (int i = 0; i < NW_MAX_CALLS; i++) {
		if (calls[i].rpc_thread != t)
			continue;
		if (calls[i].rpc == RPC_PENDING) {
			calls[i].rpc = RPC_NONE; /* never sent: the call goes on without it */
			rv_nwcall_event(&calls[i], RV_NWCALL_RPC_WITHDRAW);
		}
		calls[i].rpc_thread = 0;
	}
}

/* Returns to the normal world with next_return, and stays there until it
 * makes a yielding call (or resumes one): then the secure world has work
 * and this returns to the scheduler. Fast calls are answered and secure
 * interrupts handled on the spot, without running any thread: the normal
 * world was interrupted, not calling, and gets the CPU straight back.
 * Threads a secure interrupt woke run during the next yielding call. */
static void switch_to_ns(void)
{
	kassert(active == NO_CALL);
	/* With other CPUs, this CPU lets go of its thread first: that may run
	 * elsewhere while this CPU is in the normal world (or turned off). */
	if (kernel_ncpus > 1)
		arch_cpu_leave();
	for (;;) {
		uint64_t r[8];
		memcpy(r, next_return, sizeof(r));
		bkl_release();
		arch_smc(r);
		bkl_acquire();
		memset(next_return, 0, sizeof(next_return));
		switch (r[0]) {
		case MT_ENTRY_NS_CALL:
			if (ns_call(&r[1])) {
				/* A resumed call that finished meanwhile, or whose
				 * RPC waited for it: out at once. */
				if (nw_return_due()) {
					active_return();
					break;
				}
				return; /* runs now; active_return() answers it */
			}
			next_return[0] = MT_SMC_RETURN_CALL_DONE;
			for (int i = 1; i <= 4; i++)
				next_return[i] = r[i];
			break;
		case MT_ENTRY_FIQ:
			arch_irq_poll();
			next_return[0] = MT_SMC_RETURN_FIQ_DONE;
			break;
		default:
			panic("monitor resumed the kernel with 0x%lx", (unsigned long)r[0]);
		}
	}
}

/* Whether this CPU's active call must return now: it is done, or has an
 * RPC to send (asked on another CPU, or while the call was not active). */
int nw_return_due(void)
{
	int a = active;
	return a != NO_CALL && (calls[a].state == NWCALL_DONE || calls[a].rpc == RPC_PENDING);
}

int nw_done_due(void)
{
	int a = active;
	return a != NO_CALL && calls[a].state == NWCALL_DONE;
}

/* A CPU's first entry (boot, or after CPU_ON): its state, then the normal
 * world until it calls. CPU 0 also tells the monitor where the others
 * enter. */
void nw_cpu_start(void)
{
	struct cpu *c = cpu_this();
	c->nw_active = NO_CALL;
	memset(c->nw_next_return, 0, sizeof(c->nw_next_return));
	c->nw_next_return[0] = MT_SMC_RETURN_ENTRY_DONE;
	c->nw_next_return[1] = (uint64_t)kernel_cpu_entry;
}

void nw_init(void)
{
	for (int i = 0; i < NW_MAX_CALLS; i++)
		calls[i].cpu = NO_CALL;
}

/* Gives the CPU to the normal world until something needs the secure one. */
void nw_idle(void)
{
	active_return();
	switch_to_ns();
}

/* A normal-world interrupt arrived while a secure thread ran (an FIQ in the
 * secure state): the normal world gets the CPU at once. The active call
 * returns FOREIGN_INTR and is resumed later; a pending fast-call answer
 * goes out as it is; otherwise the normal world simply resumes. */
void nw_foreign_intr(void)
{
	if (!active_return() && next_return[0] == 0)
		next_return[0] = MT_SMC_RETURN_FIQ_DONE;
	switch_to_ns();
}
