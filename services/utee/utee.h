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
#define UTEE_SCN_CRYP_RANDOM_NUMBER_GENERATE 33
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
 * current call (with TEE_MEMORY_ACCESS_ANY_OWNER only). */
bool utee_access_ok(uint32_t flags, uint64_t p, uint64_t n);

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
