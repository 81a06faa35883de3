/* How the gateway drives a trusted application (TA) process, and how it
 * asks init for one. One header for both sides.
 *
 * A TA instance is a process started by init with one argument: the handle
 * of an endpoint it receives on (MT_R_RECV). The gateway holds a CALL handle
 * to that endpoint and sends it the operations below, one at a time. The
 * first is TA_OP_ATTACH, which carries the parameter page: a shared-memory
 * object (secure memory) the TA maps once and keeps; every later operation
 * exchanges its GlobalPlatform parameters there. Memory references travel as
 * shared-memory handles in the message (MT_XFER, at most four), which the
 * TA maps for the duration of the call.
 */
#ifndef MICROTEE_TA_IPC_H
#define MICROTEE_TA_IPC_H

#include <stdint.h>

/* A TA's start argument: the endpoint it receives on, and a CALL handle to
 * the crypto service badged for this instance (0 when there is none). */
#define TA_START_ARG(ep, crypto) ((unsigned long)(ep) | ((unsigned long)(crypto) << 16))
#define TA_START_ARG_EP(a) ((a)&0xFFFFUL)
#define TA_START_ARG_CRYPTO(a) (((a) >> 16) & 0xFFFFUL)

/* The key service (include/microtee/key_ipc.h): init grants every TA
 * instance a CALL handle to it, badged for the instance, before any other
 * handle, so it is always the instance's handle TA_KEYS_HANDLE; the start
 * argument carries it too, in bits 32..47 (0: no key service). */
#define TA_KEYS_HANDLE 1
#define TA_START_ARG_KEYED(ep, crypto, keys) \
	(TA_START_ARG(ep, crypto) | ((unsigned long)(keys) << 32))
#define TA_START_ARG_KEYS(a) (((a) >> 32) & 0xFFFFUL)
/* And a CALL handle to the RPC service (rpc_ipc.h) badged RPC_BADGE_TA, in
 * bits 48..63 (0: none): TEE_GetREETime and supplicant plugins. */
#define TA_START_ARG_ALL(ep, crypto, keys, rpc) \
	(TA_START_ARG_KEYED(ep, crypto, keys) | ((unsigned long)(rpc) << 48))
#define TA_START_ARG_RPC(a) (((a) >> 48) & 0xFFFFUL)
/* The second start argument (mt_main's arg2): a CALL handle to the storage
 * service (storage_ipc.h), badged as the instance's key-service handle so
 * that init's client table names its UUID, 0 when there is none; and the
 * instance's log level from the command line's ta_log= (services/init/talog.h):
 * 0 = the TA's own default, else the level + 1. */
#define TA_START_ARG2(storage, log) ((unsigned long)(storage) | ((unsigned long)(log) << 16))
#define TA_START_ARG2_STORAGE(a2) ((a2)&0xFFFFUL)
#define TA_START_ARG2_LOG(a2) (((a2) >> 16) & 0xFUL)

/* Requests, in word 0 of a message to the TA. */
#define TA_OP_ATTACH 1        /* handle 0 = parameter page -> w1 = TA_FLAGS */
#define TA_OP_OPEN_SESSION 2  /* w1 = session id; parameters in the page */
#define TA_OP_INVOKE 3        /* w1 = session id, w2 = command id; parameters in the page */
#define TA_OP_CLOSE_SESSION 4 /* w1 = session id */
#define TA_OP_DESTROY 5       /* the instance ends: TA_DestroyEntryPoint, then exit */

/* Reply: w0 = TEE_Result, w1 = return origin (TEE_ORIGIN_*), and for
 * TA_OP_ATTACH w1 = the TA's TA_FLAGS. */

/* TA-to-TA sessions (docs/ta-api.md, "TA-to-TA sessions"). While it serves
 * an operation (open, invoke, close, destroy), a TA may instead answer with
 * a request of its own: w0 = TA_RPC_*, w1 = TA_RPC_MARK (no return origin
 * has that value), w2 = the session (the gateway's id, for INVOKE and
 * CLOSE), w3 = the command (INVOKE). The request's GP parameters are in
 * the TA's parameter page as for an operation (param_types, params), with
 * the destination's UUID in client_uuid (OPEN, its 16 octets); memory
 * references name slot 0 of the answer's handle word: one shared-memory
 * object of the TA's, which holds a copy of every referenced buffer at the
 * reference's offset. The gateway serves the request as a client whose
 * identity is the calling TA's (TEE_LOGIN_TRUSTED_APP, its UUID), then
 * sends TA_OP_RPC_RETURN: w1 = the TEE_Result, w2 = the origin, w3 = the
 * new session's id (OPEN); output values and memory-reference sizes are
 * in the page. The TA then goes on with its operation. A session a TA
 * opened is that instance's alone, and the gateway closes those it left
 * open when the instance ends. */
#define TA_RPC_OPEN_SESSION 0x101
#define TA_RPC_INVOKE 0x102
#define TA_RPC_CLOSE_SESSION 0x103
#define TA_RPC_MARK 0x52504321ULL
#define TA_OP_RPC_RETURN 6
#define TA_LOGIN_TRUSTED_APP 0xF0000000U /* GP's TEE_LOGIN_TRUSTED_APP */

#define TA_PARAM_NONE 0
#define TA_PARAM_VALUE 1
#define TA_PARAM_MEMREF 2

#define TA_PARAM_NO_HANDLE 0xFFFFFFFFU /* memref of size 0: no memory sent */

struct ta_param {
	uint32_t kind;   /* TA_PARAM_*, derived from the GP parameter type */
	uint32_t handle; /* memref: which MT_XFER slot (0..3) carries the memory */
	uint64_t a, b;   /* value: a, b; memref: offset in the object, size */
};

/* The parameter page, written by the gateway before a call and read back
 * after it: the TA updates value outputs and memref sizes in place. */
struct ta_param_page {
	uint32_t param_types; /* TEE_PARAM_TYPES(...) as GP defines it */
	uint32_t login;       /* TEE_LOGIN_* of the client (open session) */
	uint8_t client_uuid[16];
	struct ta_param params[4];
	/* Set (1) by the gateway when the client asked to cancel the operation
	 * in flight; 0 at the start of every operation. Read by the TA with an
	 * atomic load: it may change while the TA runs. */
	uint32_t cancel;
	/* Set by the TA's runtime: 1 while the operation runs with
	 * cancellation unmasked (TEE_UnmaskCancellation). A TA that has it set
	 * when a cancel comes and goes on past the gateway's grace period is
	 * ignoring the cancel, and is killed. (A TA can only lie its way to the
	 * call budget, which applies anyway.) */
	uint32_t cancel_unmasked;
};

_Static_assert(sizeof(struct ta_param) == 24, "ta_param layout");
_Static_assert(sizeof(struct ta_param_page) == 128, "ta_param_page layout");

/* Requests from the gateway to init (the supervisor), which alone may
 * start processes. (The storage service asks the same endpoint for its
 * rollback counter, under its own badge: storage_ipc.h.) */
#define SUP_OP_START_TA 1 /* w0..: the UUID as two words (w1, w2: big-endian octets 0-7, 8-15)
			   * -> w0 = MT_OK or error; handle 0 = CALL handle to the TA's
			   * endpoint, handle 1 = the TA process (MT_R_CONTROL). On
			   * an error, w1 = the GP TEE_Result for the client, or 0 */

/* The name of a TA's image in the boot file system: its UUID in the usual
 * 8-4-4-4-12 text form followed by ".ta". */
#define TA_IMAGE_NAME_LEN 39

#endif
