/* lib/tee internals shared by its files: the state of the invocation in
 * progress and small helpers. Not part of the TA-facing API. */
#ifndef MT_TEE_RT_H
#define MT_TEE_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tee_internal_api.h>
#include <user_ta_header.h>

/* How a TA process ends when it panics: exit with this code (the low 32
 * bits are the panic code), so its supervisor can tell a panic from a
 * normal exit (code 0, after TA_OP_DESTROY) and from a fault. */
#define TEE_RT_PANIC_EXIT(code) ((long)(0x100000000UL | (uint32_t)(code)))

/* Where the runtime maps things, inside the user address space
 * (include/microtee/syscall.h): the memory references of the current call
 * in a window that is reused by every call, so that page tables are not
 * consumed a little more by each call; a TA stack larger than the main
 * thread's just below the thread stacks. mt_shm_map_any() allocates from
 * MT_USER_SHM upwards and stays far below. */
#define TEE_RT_MEMREF_WIN_BASE 0x7C000000UL
#define TEE_RT_MEMREF_WIN_END  0x7E000000UL
#define TEE_RT_STACK_AREA_BASE 0x7E000000UL
#define TEE_RT_STACK_AREA_TOP  0x7F000000UL

/* A range of memory the TA was given for the current call (a memory
 * reference parameter): TEE_CheckMemoryAccessRights treats it as shared with
 * the client. */
struct tee_rt_region {
	uintptr_t start, end;
	bool writable;
};

/* The session the current entry point runs for (0 outside of one). */
struct tee_rt_session {
	bool used;
	uint64_t id;
	void *ctx;
	TEE_Identity client;
};

extern struct tee_rt_region tee_rt_call_regions[TEE_NUM_PARAMS];
extern unsigned tee_rt_ncall_regions;
extern unsigned long tee_rt_crypto_ep; /* the crypto service (0: none) */
extern unsigned long tee_rt_rpc_ep;    /* the RPC service, badged RPC_BADGE_TA (0: none) */
extern unsigned long tee_rt_storage_ep; /* the storage service, badged as keys (0: none) */
/* The instance's data object for the key and storage services, at least
 * `need` bytes (lib/tee/keys.c); 0 if it cannot be had. */
uint8_t *tee_rt_window(size_t need, unsigned long *shm);
/* Persistent objects (lib/tee/storage.c): is h one, and what
 * TEE_CloseObject and TEE_GetObjectInfo1 do with it. */
bool tee_pobj_is(TEE_ObjectHandle h);
void tee_pobj_close(TEE_ObjectHandle h);
void tee_pobj_info(TEE_ObjectHandle h, TEE_ObjectInfo *info);
/* A persistent object as a key: its object (info, and the crypto service's
 * object id when it carries attributes), or 0 if h is not one. */
struct mt_tee_object *tee_pobj_key(TEE_ObjectHandle h);
/* TEE_RestrictObjectUsage1 on a persistent object: kept in its record. */
TEE_Result tee_pobj_restrict(TEE_ObjectHandle h, uint32_t usage);
extern const struct tee_rt_session *tee_rt_current_session;
/* The main stack, or the larger one the runtime mapped for TA_STACK_SIZE. */
extern uintptr_t tee_rt_stack_lo, tee_rt_stack_hi;
/* Cancellation is masked at the start of every entry point (GP: a task
 * made to run an entry point starts with cancellation masked). */
extern bool tee_rt_cancel_masked;
/* Masks (true) or unmasks cancellation for the operation that runs, and
 * tells the gateway (the parameter page's cancel_unmasked). */
void tee_rt_set_cancel_mask(bool masked);
/* Has the client asked to cancel the operation in flight (the gateway's
 * word in the parameter page), whatever the mask says? */
bool tee_rt_cancel_requested(void);

/* The TA's header: the kit's mt_ta_head, or the one a personality that runs
 * another kind of TA (services/utee: OP-TEE's binaries) makes at start,
 * from tee_rt_personality_head() if it defines it (0: it cannot run). */
extern const struct ta_head *tee_rt_head;
const struct ta_head *tee_rt_personality_head(void) __attribute__((weak));

/* The i-th property of one of the three pseudo property sets (props.c);
 * false past its end. */
bool tee_rt_prop(TEE_PropSetHandle set, size_t i, struct user_ta_property *out);

/* TA-to-TA requests (ta2ta.c, ta_ipc.h's TA_RPC_*): while an operation is
 * served, the parameter page the request goes in (0 otherwise), and the
 * request itself: m goes to the gateway as our answer, and comes back as
 * its TA_OP_RPC_RETURN (MT_OK), or the IPC error. */
struct ta_param_page;
struct mt_msg;
/* Gives the key and storage window (tee_rt_window) back, for a request
 * that needs its place in the instance's shared-memory quota; it is made
 * again when next needed. */
void tee_rt_window_release(void);
struct ta_param_page *tee_rt_request_page(void);
long tee_rt_request(struct mt_msg *m);

/* Mixes len (at least 1) bytes into the crypto service's DRBG (asym.c;
 * OP-TEE's PTA_SYSTEM_ADD_RNG_ENTROPY): TEE_SUCCESS,
 * TEE_ERROR_BAD_PARAMETERS, or the service's error. */
TEE_Result tee_rt_add_entropy(const void *buf, size_t len);

/* For a cipher operation whose caller keeps the message's last two blocks
 * itself until the final (the OP-TEE personality: libutee does): CTS and
 * XTS then go to the service as they come (operations.c). */
void tee_rt_cipher_caller_holds(TEE_OperationHandle operation);

/* The TA's UUID as text, for messages. */
extern char tee_rt_uuid_str[37];
void tee_rt_uuid_to_str(const TEE_UUID *uuid, char out[37]);

/* Runs fn(arg) on the stack whose top is sp; returns what fn returns. */
int tee_rt_call_on_stack(int (*fn)(unsigned long), unsigned long arg, uintptr_t sp);

#endif
