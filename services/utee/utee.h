/* The OP-TEE personality (docs/ta-api.md, "OP-TEE binary TAs"): an OP-TEE
 * TA binary in this process, its svc instructions handed to us by the
 * kernel's system call user dispatch (SYS_DISPATCH_SET), its OP-TEE system
 * calls served on lib/tee's GlobalPlatform implementation. */
#ifndef SERVICES_UTEE_H
#define SERVICES_UTEE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../include/microtee/syscall.h"
#include "../../include/microtee/utee.h"

/* The info page init's loader wrote (include/microtee/utee.h). */
#define UTEE_INFO ((const struct utee_info *)UTEE_INFO_VA)

/* OP-TEE's system call numbers (libutee's tee_syscall_numbers.h): facts of
 * its ABI, here and nowhere else (the kernel knows none). */
#define UTEE_SCN_RETURN                      0
#define UTEE_SCN_LOG                         1
#define UTEE_SCN_PANIC                       2
#define UTEE_SCN_GET_PROPERTY                3
#define UTEE_SCN_GET_PROPERTY_NAME_TO_INDEX  4
#define UTEE_SCN_OPEN_TA_SESSION             5
#define UTEE_SCN_CLOSE_TA_SESSION            6
#define UTEE_SCN_INVOKE_TA_COMMAND           7
#define UTEE_SCN_CHECK_ACCESS_RIGHTS         8
#define UTEE_SCN_GET_CANCELLATION_FLAG       9
#define UTEE_SCN_UNMASK_CANCELLATION         10
#define UTEE_SCN_MASK_CANCELLATION           11
#define UTEE_SCN_WAIT                        12
#define UTEE_SCN_GET_TIME                    13
#define UTEE_SCN_SET_TA_TIME                 14
#define UTEE_SCN_CRYP_STATE_ALLOC            15
#define UTEE_SCN_CRYP_STATE_COPY             16
#define UTEE_SCN_CRYP_STATE_FREE             17
#define UTEE_SCN_HASH_INIT                   18
#define UTEE_SCN_HASH_UPDATE                 19
#define UTEE_SCN_HASH_FINAL                  20
#define UTEE_SCN_CIPHER_INIT                 21
#define UTEE_SCN_CIPHER_UPDATE               22
#define UTEE_SCN_CIPHER_FINAL                23
#define UTEE_SCN_CRYP_OBJ_GET_INFO           24
#define UTEE_SCN_CRYP_OBJ_RESTRICT_USAGE     25
#define UTEE_SCN_CRYP_OBJ_GET_ATTR           26
#define UTEE_SCN_CRYP_OBJ_ALLOC              27
#define UTEE_SCN_CRYP_OBJ_CLOSE              28
#define UTEE_SCN_CRYP_OBJ_RESET              29
#define UTEE_SCN_CRYP_OBJ_POPULATE           30
#define UTEE_SCN_CRYP_OBJ_COPY               31
#define UTEE_SCN_CRYP_DERIVE_KEY             32
#define UTEE_SCN_CRYP_RANDOM_NUMBER_GENERATE 33
#define UTEE_SCN_AUTHENC_INIT                34
#define UTEE_SCN_AUTHENC_UPDATE_AAD          35
#define UTEE_SCN_AUTHENC_UPDATE_PAYLOAD      36
#define UTEE_SCN_AUTHENC_ENC_FINAL           37
#define UTEE_SCN_AUTHENC_DEC_FINAL           38
#define UTEE_SCN_ASYMM_OPERATE               39
#define UTEE_SCN_ASYMM_VERIFY                40
#define UTEE_SCN_STORAGE_OBJ_OPEN            41
#define UTEE_SCN_STORAGE_OBJ_CREATE          42
#define UTEE_SCN_STORAGE_OBJ_DEL             43
#define UTEE_SCN_STORAGE_OBJ_RENAME          44
#define UTEE_SCN_STORAGE_ENUM_ALLOC          45
#define UTEE_SCN_STORAGE_ENUM_FREE           46
#define UTEE_SCN_STORAGE_ENUM_RESET          47
#define UTEE_SCN_STORAGE_ENUM_START          48
#define UTEE_SCN_STORAGE_ENUM_NEXT           49
#define UTEE_SCN_STORAGE_OBJ_READ            50
#define UTEE_SCN_STORAGE_OBJ_WRITE           51
#define UTEE_SCN_STORAGE_OBJ_TRUNC           52
#define UTEE_SCN_STORAGE_OBJ_SEEK            53
#define UTEE_SCN_CRYP_OBJ_GENERATE_KEY       54
#define UTEE_SCN_CACHE_OPERATION             70
#define UTEE_SCN_MAX                         70

/* OP-TEE's time categories (enum utee_time_category). */
#define UTEE_TIME_CAT_SYSTEM        0
#define UTEE_TIME_CAT_TA_PERSISTENT 1
#define UTEE_TIME_CAT_REE           2

/* syscalls.c: serves the call in the frame (results into it). Returns
 * only if the TA is to go on; _utee_return ends the entry (utee_ta_ended). */
void utee_syscall(struct mt_dispatch_frame *f);
/* Whether the TA may access [p, p + n) with the TEE_MEMORY_ACCESS_* bits
 * of `flags`: its own segments and stack, and the memory references of the
 * current call (with TEE_MEMORY_ACCESS_ANY_OWNER only); n = 0 always. */
bool utee_access_ok(uint32_t flags, uint64_t p, uint64_t n);

/* OP-TEE's struct utee_attribute and struct utee_object_info (libutee's
 * utee_types.h). */
struct utee_attribute {
	uint64_t a, b; /* a reference's pointer and length, or a value's a and b */
	uint32_t attribute_id;
	uint32_t pad;
};
_Static_assert(sizeof(struct utee_attribute) == 24, "utee_attribute layout");
struct utee_object_info {
	uint32_t obj_type, obj_size, max_obj_size, obj_usage, data_size, data_pos, handle_flags;
};
_Static_assert(sizeof(struct utee_object_info) == 28, "utee_object_info layout");

/* crypto.c: OP-TEE's crypto calls (states 15..17, hash 18..20, cipher
 * 21..23, objects 24..32 and 54, authenc 34..38, asymmetric 39, 40): false
 * if n is none of them. */
#define UTEE_MAX_OBJS   64
#define UTEE_MAX_STATES 32
bool utee_crypto_call(uint64_t n, const uint64_t *a, uint32_t *res);
/* storage.c: the persistent-object calls (41..53) and cache maintenance
 * (70): false if n is none of them. */
bool utee_storage_call(uint64_t n, const uint64_t *a, uint32_t *res);
/* ta2ta.c: 5, 6, 7, TA-to-TA sessions. */
bool utee_ta2ta_call(uint64_t n, const uint64_t *a, uint32_t *res);
/* Is [p, p + n) memory the system pseudo-TA mapped for the TA (its own)? */
bool utee_zi_contains(uint64_t p, uint64_t n);
#define UTEE_TA_FLAG_CACHE_MAINTENANCE (1U << 7) /* OP-TEE's TA_FLAG_CACHE_MAINTENANCE */

/* The object table, shared with the storage calls: lib/tee's object for
 * one of our handles (TEE_HANDLE_NULL if none), a new handle (0: full),
 * and a handle dropped. */
struct mt_tee_object; /* lib/tee's TEE_ObjectHandle */
struct mt_tee_object *utee_obj(uint64_t handle);
uint32_t utee_obj_add(struct mt_tee_object *h);
void utee_obj_forget(uint64_t handle);

/* main.c */
/* _utee_return: the entry function ended with res; the TA's TPIDR_EL0. */
void utee_ta_ended(uint32_t res, uint64_t tpidr) __attribute__((noreturn));
extern uint64_t utee_stack_lo, utee_stack_hi; /* the TA's stack */

/* entry.S */
/* Starts the TA's entry function at entry(a0..a3) on stack sp with
 * TPIDR_EL0 = tpidr; does not return (the TA ends with _utee_return). */
void utee_jump(uint64_t entry, uint64_t sp, uint64_t tpidr, uint64_t a0, uint64_t a1, uint64_t a2,
               uint64_t a3) __attribute__((noreturn));
/* The dispatch handler (x0 = the frame, sp = its stack). */
void utee_handler(void);
/* Our own TPIDR_EL0, which the handler puts back before any C code. */
extern uint64_t utee_our_tpidr;

#endif
