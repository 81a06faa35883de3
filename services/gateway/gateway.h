/* The normal-world gateway: parses OP-TEE messages from Linux's driver in
 * user space, outside the kernel, and drives trusted applications. */
#ifndef GATEWAY_H
#define GATEWAY_H

#include <stddef.h>
#include <stdint.h>

#include "../../include/microtee/optee_msg.h"
#include "../../include/microtee/ta_ipc.h"
#include "../common/nsmem.h"
#include "mt.h"

#define GW_MAX_PARAMS 6 /* 4 GP parameters + 2 meta (open session) */
#define GW_MAX_INSTANCES 8
#define GW_MAX_SESSIONS 32
#define GW_MAX_SHM 64
#define GW_MAX_SHM_PAGES 256 /* 1 MiB */

/* GP values the gateway reports (GlobalPlatform TEE Client/Internal API). */
#define GW_TEE_SUCCESS 0x00000000U
#define GW_TEE_ERROR_GENERIC 0xFFFF0000U
#define GW_TEE_ERROR_CANCEL 0xFFFF0002U
#define GW_TEE_ERROR_BAD_PARAMETERS 0xFFFF0006U
#define GW_TEE_ERROR_ITEM_NOT_FOUND 0xFFFF0008U
#define GW_TEE_ERROR_NOT_SUPPORTED 0xFFFF000AU
#define GW_TEE_ERROR_OUT_OF_MEMORY 0xFFFF000CU
#define GW_TEE_ERROR_BUSY 0xFFFF000DU
#define GW_TEE_ERROR_COMMUNICATION 0xFFFF000EU
#define GW_TEE_ERROR_TARGET_DEAD 0xFFFF3024U
#define GW_TEE_ORIGIN_API 1
#define GW_TEE_ORIGIN_COMMS 2
#define GW_TEE_ORIGIN_TEE 3
#define GW_TEE_ORIGIN_TRUSTED_APP 4
#define GW_TA_FLAG_SINGLE_INSTANCE (1U << 2)
#define GW_TA_FLAG_MULTI_SESSION (1U << 3)
#define GW_TA_FLAG_INSTANCE_KEEP_ALIVE (1U << 4)

/* ---- concurrency ----
 * GW_WORKERS threads each receive normal-world calls on the kernel's
 * endpoint and serve one at a time, so a call that waits (for a TA, for the
 * supplicant) holds up only the calls that need the same TA instance.
 *
 * Locks, and their order: gw_lock (session.c: sessions, instances, the
 * workers' call records, the object budget) and shm_lock (shm.c: the
 * registrations and the heap). A thread holds at most one of them at a
 * time, so there is no order to keep; neither is ever held across an IPC
 * call or a sleep, only across memory updates and system calls that never
 * block. Both are test-and-set locks on real atomics that yield while
 * taken (the holder may have been preempted; on SMP it runs elsewhere). */
#define GW_WORKERS 8 /* half the kernel's NW_MAX_CALLS (kernel/nwentry.c) */

struct gw_lock {
	uint32_t taken;
};

static inline void gw_lock_take(struct gw_lock *l)
{
	while (__atomic_exchange_n(&l->taken, 1, __ATOMIC_ACQUIRE))
		mt_yield();
}

static inline void gw_lock_give(struct gw_lock *l)
{
	__atomic_store_n(&l->taken, 0, __ATOMIC_RELEASE);
}

/* One worker thread: where it maps normal-world memory, how it waits for
 * a TA instance, and the call it serves (for CANCEL). */
struct gw_worker {
	unsigned id;
	mt_handle_t park_ep; /* it waits here, as a caller, for an instance handed to it */
	/* Workers this one handed an instance to: it wakes them once it has
	 * replied to its own call (it cannot receive while it owes a reply). */
	struct gw_worker *wake[GW_WORKERS];
	unsigned nwake;
	/* The call in flight, under gw_lock. */
	int in_call;
	uint32_t session, cancel_id;
	int cancelled;
	uint64_t cancel_at; /* the counter when it was cancelled */
	uint64_t op_start;  /* the counter when its TA operation began */
	/* Set by session.c: the call is not served now, the normal world is
	 * to retry it (OPTEE_SMC_RETURN_ETHREAD_LIMIT: Linux's driver waits
	 * for another call to end, then sends it again). */
	int retry;
};

/* Fair shares. The workers that own or wait for the instances of one TA
 * (one UUID), and the instance slots of one TA, are at most these: calls
 * to a TA that has its share wait in the normal world (w->retry) instead
 * of taking the last workers, so however many clients pile onto one TA,
 * and however long its operations take, two workers and two instance
 * slots stay for every other TA. (The secure world cannot tell Linux's
 * processes apart: a client with TEEC_LOGIN_PUBLIC has no identity, so the
 * share is the TA's.) */
#define GW_TA_MAX_WORKERS (GW_WORKERS - 2)
#define GW_TA_MAX_INSTANCES (GW_MAX_INSTANCES - 2)
extern struct gw_worker gw_workers[GW_WORKERS];

/* Shared-memory objects a call may hold at once, all calls together: the
 * gateway's quota (16, services/init) less one parameter page per
 * instance. A call takes what it needs in one step, holding nothing else
 * of it, so takers never wait for each other in a circle. */
#define GW_CALL_SHMS 8
void gw_budget_take(unsigned n);
void gw_budget_give(unsigned n);

/* A message copied into secure memory: checked and used only here. */
struct gw_msg {
	struct optee_msg_arg hdr;
	struct optee_msg_param params[GW_MAX_PARAMS];
};

/* nsmem.c: normal-world memory mapped into the gateway for one call, at
 * places of the worker's own */
extern mt_handle_t gw_nsmem;
#define NS_SLOT_MSG 0     /* the optee_msg_arg being handled */
#define NS_SLOT_SCRATCH 1 /* anything read while handling it */
int ns_map(const struct gw_worker *w, uint64_t pa, size_t len, int slot, struct ns_map *m);

/* shm.c: buffers Linux registered (REGISTER_SHM) */
uint32_t shm_register(const struct gw_worker *w, const struct optee_msg_param *p);
uint32_t shm_unregister(const struct optee_msg_param *p);
/* A shared-memory object covering [offs, offs + size) of registered buffer
 * `cookie`; *obj_offset is where that range starts in the object. */
uint32_t shm_range_object(uint64_t cookie, uint64_t offs, uint64_t size, mt_handle_t *shm,
			  uint64_t *obj_offset);

/* session.c */
void session_init(mt_handle_t sup);
void session_open(struct gw_worker *w, struct gw_msg *m);
void session_invoke(struct gw_worker *w, struct gw_msg *m);
void session_close(struct gw_worker *w, struct gw_msg *m);
void session_cancel(struct gw_msg *m);
/* Records the call w serves from now on (0, 0: none), for CANCEL. */
void session_call_begin(struct gw_worker *w, uint32_t session, uint32_t cancel_id);
void session_call_end(struct gw_worker *w);
/* Wakes the workers w handed an instance to (after w replied to its call). */
void session_wake_handed(struct gw_worker *w);
/* ---- time limits ----
 * A TA operation may run for budget_ms at most (0: no limit), and for
 * grace_ms after a cancel that found it with cancellation unmasked. Past
 * either, the watchdog (a thread of its own, session_watchdog) kills the
 * instance: its sessions end with TEE_ERROR_TARGET_DEAD, and nothing else
 * is held up. Set from the gateway's argument string, ta_budget_ms= and
 * cancel_grace_ms= (init gives it the boot command line). */
#define GW_BUDGET_MS_DEFAULT 300000 /* 5 minutes */
#define GW_GRACE_MS_DEFAULT 2000
#define GW_WATCH_PERIOD_MS 100
void session_limits(uint64_t budget_ms, uint64_t grace_ms);
void session_watchdog(void *arg);

/* ---- TA-to-TA sessions (ta_ipc.h, TA_RPC_*) ----
 * A TA's request is served on the worker of the operation it came from,
 * nested (session.c). Internal parameter types for its memory references
 * (never accepted from the normal world): u.rmem.offs and size are a range
 * of the request's shared-memory object, of at most GW_TA_MEM_MAX bytes. */
#define GW_ATTR_TA_MEM_INPUT  0x40
#define GW_ATTR_TA_MEM_OUTPUT 0x41
#define GW_ATTR_TA_MEM_INOUT  0x42
#define GW_TA_MEM_MAX         (1U << 20)
#define GW_TA_MAX_DEPTH       4 /* TA calls nested in one normal-world call */
/* The waker thread: wakes workers that a nested worker handed an
 * instance to (a nested worker still owes its normal-world reply). */
void session_waker(void *arg);
int session_waker_ready(void);

#endif
