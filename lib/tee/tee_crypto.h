/* lib/tee internals for the cryptographic part of the Internal Core API:
 * the client side of include/microtee/crypto_ipc.h (crypto_client.c), the
 * algorithm and object-type tables (crypto_algs.c), and the state lib/tee
 * keeps for each object and operation handle. Not part of the TA-facing API.
 *
 * Keys and operation state live in the crypto service; a handle here holds
 * the service's id for it and what the GP semantics need locally (type,
 * sizes, usage, the operation state machine). */
#ifndef MT_TEE_CRYPTO_H
#define MT_TEE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include "../../include/microtee/crypto_ipc.h"

/* ---- the connection to the crypto service (crypto_client.c) ----
 *
 * The data window is a shared-memory object of CRYPTO_WINDOW_MAX bytes,
 * created and mapped once per TA instance, and attached to the service on
 * first use and again after the service lost us (it crashed and was
 * restarted). Every such loss starts a new epoch: handles made in an older
 * epoch name state that no longer exists ("stale"). */
extern uint32_t tee_cs_epoch;

/* Attaches the window if needed; *win (optional) gets its base. Returns
 * TEE_SUCCESS, TEE_ERROR_OUT_OF_MEMORY or TEE_ERROR_COMMUNICATION.
 * (Inline: every crypto call starts with it, and it is almost always
 * attached already.) */
extern uint8_t *tee_cs_win;
extern bool tee_cs_attached;
TEE_Result tee_cs_attach(uint8_t **win);
static inline TEE_Result tee_cs_begin(uint8_t **win)
{
	if (__builtin_expect(!tee_cs_attached, 0))
		return tee_cs_attach(win);
	if (win)
		*win = tee_cs_win;
	return TEE_SUCCESS;
}
/* The usable size of the window (valid after tee_cs_begin). */
size_t tee_cs_win_size(void);

/* Sends one request, w[0..3] as crypto_ipc.h lists them; the reply
 * overwrites w. Returns the service's result, or TEE_ERROR_COMMUNICATION
 * if the service died during the call or had lost our state (then a new
 * epoch has begun and the caller's handles are stale). */
TEE_Result tee_cs_call(uint64_t w[4]);
/* The same for a request that names no existing object or operation
 * (allocations, random numbers): after a loss it attaches again and
 * retries once, so the TA does not notice a restart between its calls. */
TEE_Result tee_cs_call_fresh(uint64_t w[4]);
/* Tells the service we are leaving (best effort; on destroy and panic). */
void tee_cs_detach(void);

/* Attribute records (crypto_ipc.h) written into the window. */
struct tee_recs {
	uint8_t *base; /* the window */
	uint32_t start, off, end;
	bool overflow;
};
void tee_recs_init(struct tee_recs *r, uint8_t *win, uint32_t start, uint32_t end);
void tee_recs_add(struct tee_recs *r, const TEE_Attribute *a);
void tee_recs_value(struct tee_recs *r, uint32_t id, uint32_t a, uint32_t b);
static inline uint32_t tee_recs_len(const struct tee_recs *r)
{
	return r->off - r->start;
}

/* ---- tables (crypto_algs.c) ---- */

/* Algorithm flags */
#define ALG_TWO_KEYS   0x01 /* XTS: two keys, TEE_SetOperationKey2 */
#define ALG_NEEDS_IV   0x02 /* the cipher takes an IV of one block */
#define ALG_BLOCKED    0x04 /* ECB/CBC without padding: whole blocks only */
#define ALG_FIXED_KEY  0x08 /* the maximum key size must be key_bits exactly */
#define ALG_RAW_SIGN   0x10 /* signs a digest of any length */
#define ALG_TWO_BLOCKS 0x20 /* CTS, XTS: the message's last 17 to 32 bytes wait for the final */

struct tee_alg {
	uint32_t id;
	uint8_t cls;       /* TEE_OPERATION_* */
	uint8_t modes;     /* bit per allowed TEE_MODE_* */
	uint8_t flags;     /* ALG_* */
	uint8_t out_len;   /* digest/MAC bytes; hash bytes of a signature scheme */
	uint8_t block;     /* cipher block bytes */
	uint32_t key_type; /* the key type that validates sizes (keypair for asymmetric) */
	uint16_t key_bits; /* ALG_FIXED_KEY: the only maximum key size */
};

struct tee_type {
	uint32_t type;
	uint16_t min, max, step; /* object sizes in bits; step 0: min, max and the middle value */
	uint16_t mid;
	const uint32_t *mandatory, *optional; /* zero-terminated */
	const uint32_t *gen_mandatory,
	    *gen_optional; /* TEE_GenerateKey parameters; NULL: no generation */
};

const struct tee_alg *tee_alg_find(uint32_t id);
const struct tee_type *tee_type_find(uint32_t type);
bool tee_type_size_ok(const struct tee_type *t, uint32_t bits);
/* The keypair type whose public half is `type`, or `type` itself. */
uint32_t tee_type_keypair(uint32_t type);
/* The RSA key pair's optional attributes (the CRT values: all or none). */
const uint32_t *tee_type_rsa_crt(void);
bool tee_type_is_secret(uint32_t type);
/* Bits of a supported ECC curve (TEE_ECC_CURVE_*), 0 if unknown. */
uint32_t tee_curve_bits(uint32_t curve);
bool tee_curve_supported(uint32_t curve);

/* ---- handles ---- */

struct mt_tee_object {
	struct mt_tee_object *next; /* all live objects (handle validation) */
	uint32_t id;                /* the service's */
	uint32_t epoch;
	TEE_ObjectInfo info;
};

struct mt_tee_operation {
	struct mt_tee_operation *next;
	uint32_t id, epoch;
	const struct tee_alg *alg;
	TEE_OperationInfo info;
	uint32_t state;         /* TEE_OPERATION_STATE_* */
	uint32_t key2_bits;     /* the second key (XTS) */
	uint64_t fed, produced; /* cipher and AE: bytes in and out since init */
	/* ALG_TWO_BLOCKS: the end of the message so far, which the service
	 * gets with the final (its stealing changes the last two blocks),
	 * unless the caller keeps it itself (caller_holds: the OP-TEE
	 * personality, under libutee, which does). */
	uint8_t hold[32];
	uint8_t nhold;
	bool caller_holds;
	uint32_t tag_len; /* AE: bytes */
	/* An init the service has not seen yet: TEE_CipherInit, TEE_MACInit
	 * and TEE_AEInit (GCM) only record it, and the next request that
	 * carries data sends it along (CRYPTO_OP_F_INIT), saving a round trip. */
	bool init_pending;
	uint32_t init_iv_len;
	uint64_t init_params;
	uint8_t init_iv[CRYPTO_INIT_IV_MAX];
};

/* Handle lookup: the object or operation, or a panic with `panic_id`. */
struct mt_tee_object *tee_obj_get(TEE_ObjectHandle h, uint32_t panic_id);
/* A transient object, or a persistent one (its key, if it has one), for
 * the functions GP lets take either: a panic for anything else. */
struct mt_tee_object *tee_key_get(TEE_ObjectHandle h, uint32_t panic_id);
/* Tells the service an object's usage was restricted (it enforces
 * extraction); best effort for an object it does not hold. */
void tee_obj_restrict_svc(struct mt_tee_object *o, uint32_t usage);
struct mt_tee_operation *tee_op_get(TEE_OperationHandle h, uint32_t panic_id);
/* Whether an object's service state exists in the current epoch. */
static inline bool tee_obj_live(const struct mt_tee_object *o)
{
	return o->epoch == tee_cs_epoch;
}
/* Frees a live object's service state (objects.c; used by derive). */
void tee_obj_forget(struct mt_tee_object *o);

/* Converts v1.1 attributes; returns a TEE_Malloc'ed array or NULL (count 0
 * gives NULL too, with *ok true). */
TEE_Attribute *tee_attrs_from_gp11(const __GP11_TEE_Attribute *a, uint32_t n, bool *ok);

#endif
