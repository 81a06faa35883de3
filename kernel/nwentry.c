/* Entry from the normal world. When the secure world has nothing to run it
 * hands the CPU back to the monitor, which resumes the normal world; the
 * monitor comes back here with a normal-world call or a secure interrupt.
 * The pending "return" SMC is the state of this small machine. */
#include "../include/microtee/optee_msg.h"
#include "../include/microtee/smc.h"
#include "object.h"
#include "arch.h"

void arch_smc(uint64_t regs[8]);
extern struct endpoint *nw_endpoint;
void endpoint_send_from_kernel(struct endpoint *ep, struct thread *t);
void arch_irq_poll(void);
uint64_t kernel_ticks(void);

int nw_present;
static uint64_t next_return[8] = {MT_SMC_RETURN_ENTRY_DONE};

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
		r[0] = (uint64_t)SMCCC_NOT_SUPPORTED; /* -1: as the monitor answers, SMC32 or SMC64 */
		return;
	}
}

/* ---- yielding calls ----
 * Each OP-TEE message in flight is an nwcall: a kernel-owned stand-in
 * thread that "calls" the gateway on the normal-world endpoint, exactly as
 * a process would, so the gateway sees an ordinary IPC and its reply (or
 * its death) completes the call. The one normal-world SMC that is in the
 * secure world at a time is the active call; when the secure world has
 * nothing left to run, the active call returns: with its result if done,
 * otherwise with an RPC (FOREIGN_INTR) so the normal world can go on and
 * resume it later with RETURN_FROM_RPC. */

#define NW_MAX_CALLS 8
#define NO_CALL (-1)

enum nwcall_state { NWCALL_FREE, NWCALL_RUNNING, NWCALL_DONE };

static struct process nw_proc; /* pid 0: owner of the stand-in threads */
static struct thread nw_threads[NW_MAX_CALLS];
static enum nwcall_state nw_state[NW_MAX_CALLS];
static uint64_t nw_result[NW_MAX_CALLS];
static int active = NO_CALL;

int thread_is_nwcall(const struct thread *t)
{
	return t->proc == &nw_proc;
}

/* The gateway answered (or died: then x0 is an error). */
void nwcall_done(struct thread *t)
{
	unsigned slot = (unsigned)(t - nw_threads);
	kassert(slot < NW_MAX_CALLS && nw_state[slot] == NWCALL_RUNNING);
	nw_result[slot] = t->regs.x[0] == MT_OK ? t->regs.x[1] : OPTEE_SMC_RETURN_ENOTAVAIL;
	nw_state[slot] = NWCALL_DONE;
	t->state = T_INACTIVE;
}

static void call_with_arg(uint64_t *r)
{
	int slot = NO_CALL;
	for (int i = 0; i < NW_MAX_CALLS && slot == NO_CALL; i++)
		if (nw_state[i] == NWCALL_FREE)
			slot = i;
	if (slot == NO_CALL) {
		r[0] = OPTEE_SMC_RETURN_ETHREAD_LIMIT; /* the driver waits and retries */
		return;
	}
	struct thread *t = &nw_threads[slot];
	memset(t, 0, sizeof(*t));
	t->proc = &nw_proc;
	t->obj.type = KOBJ_THREAD;
	t->regs.x[1] = NW_MSG_CALL_WITH_ARG;
	t->regs.x[2] = (r[1] << 32) | (uint32_t)r[2]; /* physical address, high:low */
	t->regs.x[3] = (uint64_t)slot;
	nw_state[slot] = NWCALL_RUNNING;
	active = slot;
	endpoint_send_from_kernel(nw_endpoint, t);
}

/* Builds the return for the active call, if there is one. */
static int active_return(void)
{
	if (active == NO_CALL)
		return 0;
	memset(next_return, 0, sizeof(next_return));
	next_return[0] = MT_SMC_RETURN_CALL_DONE;
	if (nw_state[active] == NWCALL_DONE) {
		next_return[1] = nw_result[active];
		nw_state[active] = NWCALL_FREE;
	} else {
		next_return[1] = OPTEE_SMC_RETURN_RPC_FOREIGN_INTR;
		next_return[4] = (uint64_t)active; /* a3: which call to resume */
	}
	active = NO_CALL;
	return 1;
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
		uint64_t slot = r[3];
		if (slot >= NW_MAX_CALLS || nw_state[slot] == NWCALL_FREE) {
			r[0] = OPTEE_SMC_RETURN_ERESUME;
			return 0;
		}
		active = (int)slot;
		return 1;
	}
	fast_call(r);
	return 0;
}

/* Returns to the normal world with next_return, and stays there until it
 * makes a yielding call (or resumes one): then the secure world has work
 * and this returns to the scheduler. Fast calls are answered and secure
 * interrupts handled on the spot, without running any thread: the normal
 * world was interrupted, not calling, and gets the CPU straight back.
 * Threads a secure interrupt woke run during the next yielding call. */
static void switch_to_ns(void)
{
	for (;;) {
		uint64_t r[8];
		memcpy(r, next_return, sizeof(r));
		arch_smc(r);
		memset(next_return, 0, sizeof(next_return));
		switch (r[0]) {
		case MT_ENTRY_NS_CALL:
			if (ns_call(&r[1]))
				return; /* runs now; active_return() answers it */
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
