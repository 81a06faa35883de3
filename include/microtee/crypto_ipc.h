/* The crypto service's IPC protocol: the one contract between the service
 * (services/crypto, the only process that links mbedTLS besides the key
 * service) and its clients (the GP TEE Internal Core API in lib/tee, used
 * by TAs).
 *
 * Identity. Each client holds a CALL handle to the service's endpoint that
 * init badged for it; the service keys everything (objects, operations,
 * the data window) by that badge, so a client can only ever name its own
 * objects and operations. Object and operation ids are small integers
 * chosen by the service, meaningful only together with the badge.
 *
 * Data. A client first attaches a data window: a shared-memory object it
 * created (CRYPTO_OP_ATTACH, handle 0, at most CRYPTO_WINDOW_MAX bytes).
 * Every later request passes its bulk input and receives its bulk output
 * there, as (offset, length) pairs the service checks against the window.
 * Nothing large travels in registers and the kernel copies nothing.
 *
 * Message: w0 = request code (CRYPTO_OP_*), w1..w3 = arguments as listed.
 * Offsets and lengths are packed as CRYPTO_SPAN(off, len): offset in the
 * low 32 bits, length in the high 32 bits.
 * Reply: w0 = TEE_Result (GP values), w1..w3 = results as listed.
 *
 * Values: algorithms (TEE_ALG_*), object types (TEE_TYPE_*), attribute ids
 * (TEE_ATTR_*), modes (TEE_MODE_*) and results are the GlobalPlatform TEE
 * Internal Core API's, as defined in lib/tee/include/tee_api_defines.h.
 */
#ifndef MICROTEE_CRYPTO_IPC_H
#define MICROTEE_CRYPTO_IPC_H

#include <stdint.h>

#define CRYPTO_WINDOW_MAX (64 * 1024)
#define CRYPTO_SPAN(off, len) ((uint64_t)(uint32_t)(off) | ((uint64_t)(uint32_t)(len) << 32))
#define CRYPTO_SPAN_OFF(s) ((uint32_t)(s))
#define CRYPTO_SPAN_LEN(s) ((uint32_t)((s) >> 32))

/* ---- session ---- */
#define CRYPTO_OP_ATTACH 1 /* handle 0 = the data window (shared memory) -> w1 = window size */

/* ---- objects (keys) ----
 * Attributes travel in the window serialized as a sequence of records:
 *   uint32_t attribute id; uint32_t length (or, for a value attribute
 *   (bit 29 of the id set), 0); then either `length` bytes padded to a
 *   multiple of 8, or for value attributes two uint32_t a, b. */
#define CRYPTO_OP_OBJ_ALLOC 10     /* w1 = TEE_TYPE_*, w2 = max key size in bits -> w1 = object id */
#define CRYPTO_OP_OBJ_FREE 11      /* w1 = object id */
#define CRYPTO_OP_OBJ_RESET 12     /* w1 = object id: back to uninitialised */
#define CRYPTO_OP_OBJ_POPULATE 13  /* w1 = object id, w2 = SPAN of the attribute records */
#define CRYPTO_OP_OBJ_GENERATE 14  /* w1 = object id, w2 = key size in bits, w3 = SPAN of parameter records */
#define CRYPTO_OP_OBJ_GET_ATTR 15  /* w1 = object id, w2 = attribute id, w3 = SPAN of the output buffer
				    * -> w1 = attribute length (also when it did not fit:
				    *    TEE_ERROR_SHORT_BUFFER), w2 = a, w3 = b for value attributes */
#define CRYPTO_OP_OBJ_COPY 16      /* w1 = destination object id, w2 = source object id */
#define CRYPTO_OP_OBJ_INFO 17      /* w1 = object id -> w1 = type, w2 = key size | max size << 32,
				    * w3 = initialised (0/1) */

/* ---- operations ---- */
#define CRYPTO_OP_ALLOC 30       /* w1 = algorithm, w2 = mode, w3 = max key size in bits -> w1 = operation id */
#define CRYPTO_OP_FREE 31        /* w1 = operation id */
#define CRYPTO_OP_SET_KEY 32     /* w1 = operation id, w2 = object id (0: clear), w3 = second object id (XTS) */
#define CRYPTO_OP_RESET 33       /* w1 = operation id */
#define CRYPTO_OP_COPY 34        /* w1 = destination operation id, w2 = source operation id */
#define CRYPTO_OP_INIT 35        /* w1 = operation id, w2 = SPAN of IV / nonce (may be empty),
				  * w3 = AE only: tag length in bits | AAD length << 16 | payload length << 32 */
#define CRYPTO_OP_UPDATE 36      /* w1 = operation id, w2 = SPAN in, w3 = SPAN out (digest/MAC: empty)
				  * -> w1 = bytes written to out */
#define CRYPTO_OP_UPDATE_AAD 37  /* w1 = operation id, w2 = SPAN of AAD */
#define CRYPTO_OP_FINAL 38       /* w1 = operation id, w2 = SPAN in, w3 = SPAN out
				  * digest/MAC compute/cipher do-final/AE encrypt-final: out gets
				  * the result (AE: ciphertext then tag) -> w1 = bytes written,
				  * w2 = AE: tag length in bytes
				  * TEE_ERROR_SHORT_BUFFER: w1 = bytes needed */
#define CRYPTO_OP_FINAL_CHECK 39 /* w1 = operation id, w2 = SPAN in (MAC: message tail; AE decrypt:
				  * ciphertext tail), w3 = SPAN of a struct crypto_check_req
				  * followed by the expected MAC / tag
				  * -> w1 = bytes written (AE plaintext); TEE_ERROR_MAC_INVALID on
				  *    mismatch; TEE_ERROR_SHORT_BUFFER: w1 = bytes needed */
#define CRYPTO_OP_ASYM 40        /* w1 = operation id, w2 = SPAN in (plaintext, ciphertext, or digest),
				  * w3 = SPAN of a struct crypto_asym_req followed by its parameter
				  * records (TEE_ATTR_RSA_OAEP_LABEL, TEE_ATTR_RSA_PSS_SALT_LENGTH...)
				  * and, for VERIFY, the signature
				  * -> w1 = bytes written; TEE_ERROR_SHORT_BUFFER: w1 = bytes needed;
				  *    VERIFY: TEE_ERROR_SIGNATURE_INVALID */
#define CRYPTO_OP_DERIVE 41      /* w1 = operation id, w2 = SPAN of parameter records (ECDH public value,
				  * HKDF salt/info/length ...), w3 = derived-key object id */
#define CRYPTO_OP_RANDOM 50      /* w1 = SPAN out: fills it with DRBG output */
#define CRYPTO_OP_ADD_ENTROPY 51 /* w1 = SPAN in (1 byte to CRYPTO_ENTROPY_MAX): mixed into the
				  * DRBG's state (OP-TEE's system PTA_SYSTEM_ADD_RNG_ENTROPY) */
#define CRYPTO_ENTROPY_MAX 4096

/* At the start of CRYPTO_OP_FINAL_CHECK's w3 span; the tag follows. */
struct crypto_check_req {
	uint32_t tag_len; /* bytes of expected MAC / tag after this header */
	uint32_t out_off; /* AE decrypt: output area, absolute offset in the window */
	uint32_t out_cap; /* its capacity */
	uint32_t reserved;
};

/* At the start of CRYPTO_OP_ASYM's w3 span. */
struct crypto_asym_req {
	uint32_t mode;       /* TEE_MODE_ENCRYPT, DECRYPT, SIGN or VERIFY */
	uint32_t params_len; /* bytes of parameter records after this header */
	uint32_t sig_len;    /* VERIFY: signature bytes after the parameters */
	uint32_t out_off;    /* output area (ciphertext, plaintext, signature), absolute offset */
	uint32_t out_cap;    /* its capacity */
	uint32_t reserved;
};

_Static_assert(sizeof(struct crypto_check_req) == 16, "crypto_check_req layout");
_Static_assert(sizeof(struct crypto_asym_req) == 24, "crypto_asym_req layout");

/* ---- Additions (with the first service; nothing above changed) ----
 * services/crypto/README.md gives the rules each request checks. */

/* Leaving: frees every object and operation of the caller, releases its
 * window; the next request needs a new ATTACH. (A client that ends without
 * it is cleaned up all the same: see CRYPTO_OP_CLIENT_GONE.) */
#define CRYPTO_OP_DETACH 2

/* Failure details. When w0 is an error other than TEE_ERROR_SHORT_BUFFER
 * (whose w1 is the size needed), w1 is one of these. */
#define CRYPTO_REASON_NONE 0
#define CRYPTO_REASON_NOT_ATTACHED 1 /* w0 = TEE_ERROR_BAD_STATE: the service has no state for this
				      * badge: never attached, detached, or the service restarted
				      * since. ATTACH again; every earlier id is void. */
#define CRYPTO_REASON_BAD_ID 2       /* w0 = TEE_ERROR_ITEM_NOT_FOUND: the id names none of the
				      * caller's objects (or operations) */
#define CRYPTO_REASON_BAD_SPAN 3     /* w0 = TEE_ERROR_BAD_PARAMETERS: a span or output area is not
				      * inside the window */
#define CRYPTO_REASON_BAD_RECORD 4   /* w0 = TEE_ERROR_BAD_PARAMETERS: malformed attribute records */
#define CRYPTO_REASON_LIMIT 5        /* w0 = TEE_ERROR_OUT_OF_MEMORY: the caller's object or
				      * operation table, its memory quota, or the client table is full */
#define CRYPTO_REASON_STATE 6        /* w0 = TEE_ERROR_BAD_STATE: the object or operation is not in
				      * a state that allows the request */

/* Test hooks: honoured only when init started the service with
 * CRYPTO_START_TEST_HOOKS (system-test scenarios), else
 * TEE_ERROR_NOT_SUPPORTED. */
#define CRYPTO_OP_TEST_CRASH 0x7E50 /* the service faults while handling the request */
#define CRYPTO_OP_TEST_STATS 0x7E51 /* w1 = 1: then restart the high-water mark from now
				     * -> w1 = heap bytes charged to the caller, w2 = heap bytes
				     * in use, w3 = heap high-water mark */
#define CRYPTO_OP_TEST_STALL 0x7E52 /* the service sleeps w1 ms (at most 5000), then answers */

/* Clean-up. init gives every client its own badge, never below
 * CRYPTO_BADGE_FIRST_CLIENT, and tells the service (on its own handle,
 * badged CRYPTO_BADGE_SUPERVISOR) when the process holding one has ended,
 * however it ended: the service then frees all that badge held. Requests
 * from any other badge with this code are refused. */
#define CRYPTO_OP_CLIENT_GONE 3 /* w1 = the badge of a client that has ended */
/* The TA loader's check of a signed TA image (include/microtee/ta_shdr.h):
 * handle 0 = shared memory holding it, w1 = its size, w2, w3 = the UUID it
 * must be for (big-endian octets 0-7, 8-15) -> w1 = offset of the ELF file
 * in it, w2 = its size, w3 = the signed version. TEE_ERROR_SECURITY: not
 * signed by the key built into this service, changed since, malformed, or
 * for another UUID. Supervisor only. */
#define CRYPTO_OP_TA_VERIFY 4
#define CRYPTO_BADGE_SUPERVISOR 1
#define CRYPTO_BADGE_FIRST_CLIENT 0x10000

/* ---- Additions for fewer round trips (nothing above changed) ----
 *
 * Initialisation folded into the next request. CRYPTO_OP_F_INIT OR'ed into
 * the code of UPDATE, UPDATE_AAD, FINAL or FINAL_CHECK means: w2's span
 * starts with a struct crypto_init_req and the IV (iv_len bytes, padded
 * with zeros to a multiple of 8); the request's own input follows. The
 * service first initialises the operation exactly as CRYPTO_OP_INIT would
 * with that IV and w3 = params, then serves the request on the rest of the
 * span. If initialising fails, the reply is INIT's (result and reason) and
 * nothing else happens. So GP's TEE_CipherInit, TEE_MACInit and TEE_AEInit
 * cost no round trip of their own: lib/tee checks locally what the service
 * would refuse, keeps the IV, and sends it with the first request that
 * carries data. Services that predate this flag answer
 * TEE_ERROR_NOT_SUPPORTED to such a code. */
#define CRYPTO_OP_F_INIT 0x100

/* At the start of a CRYPTO_OP_F_INIT request's w2 span; the IV follows. */
struct crypto_init_req {
	uint32_t iv_len;   /* bytes of IV after this header, at most CRYPTO_INIT_IV_MAX */
	uint32_t reserved; /* 0 */
	uint64_t params;   /* what CRYPTO_OP_INIT takes in w3 (AE: tag bits | AAD << 16 | payload << 32) */
};
_Static_assert(sizeof(struct crypto_init_req) == 16, "crypto_init_req layout");
#define CRYPTO_INIT_IV_MAX 64
/* Bytes the header and an IV of n bytes take at the start of the span. */
#define CRYPTO_INIT_REQ_SIZE(n) (sizeof(struct crypto_init_req) + (((n) + 7) & ~(uint32_t)7))

/* ---- Additions for persistent keys (nothing above changed) ----
 * docs/storage.md, "Stored attributes". Each object has usage flags
 * (TEE_USAGE_*, all set when allocated or reset); the service gives out no
 * secret attribute (one without TEE_ATTR_FLAG_PUBLIC) of an object without
 * TEE_USAGE_EXTRACTABLE: CRYPTO_OP_OBJ_GET_ATTR answers
 * TEE_ERROR_ACCESS_DENIED. OBJ_COPY's destination keeps only the usage its
 * source has. An export is the object (type, sizes, usage, attributes)
 * sealed by the key service for the TA that is the caller (KEY_OP_OBJ_SEAL:
 * its UUID, from init's client table): only the same TA on the same device
 * imports it. */
#define CRYPTO_OP_OBJ_RESTRICT 18 /* w1 = object id, w2 = usage mask: usage &= mask
				   * -> w1 = the usage after */
#define CRYPTO_OP_OBJ_EXPORT 19   /* w1 = object id (initialised), w2 = SPAN out
				   * -> w1 = the blob's length (SHORT_BUFFER: the length
				   *    needed); NOT_SUPPORTED: no key service */
#define CRYPTO_OP_OBJ_IMPORT 20   /* w1 = SPAN of a blob -> w1 = a new object's id,
				   * w2 = type | max key size << 32, w3 = key size | usage << 32.
				   * ACCESS_DENIED: another TA's blob; CORRUPT_OBJECT: a
				   * damaged one (or not a blob) */
#define CRYPTO_OBJ_BLOB_MAX 8256 /* the largest blob (key_ipc.h: KEY_OBJ_BLOB_SIZE(KEY_OBJ_DATA_MAX)) */

/* The service's start argument: its endpoint (RECV) and flags. */
#define CRYPTO_START_ARG(ep, flags) ((unsigned long)(ep) | ((unsigned long)(flags) << 32))
#define CRYPTO_START_ARG_EP(a) ((a)&0xFFFFUL)
/* The key service (CALL, badge KEY_BADGE_CRYPTO: persistent keys), or 0. */
#define CRYPTO_START_ARG_KEYS(h) ((unsigned long)(h) << 16)
#define CRYPTO_START_ARG_KEYS_OF(a) (((a) >> 16) & 0xFFFFUL)
#define CRYPTO_START_ARG_FLAGS(a) ((a) >> 32)
#define CRYPTO_START_TEST_HOOKS 1UL

#endif
