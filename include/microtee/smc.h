/* SMC Calling Convention: function IDs the monitor understands. Shared by the
 * monitor, the microkernel and normal-world test payloads. */
#ifndef MICROTEE_SMC_H
#define MICROTEE_SMC_H

#define SMCCC_FAST (1U << 31)
#define SMCCC_SMC64 (1U << 30)
#define SMCCC_OWNER_SHIFT 24
#define SMCCC_OWNER_MASK 0x3FU
#define SMCCC_FUNC_MASK 0xFFFFU

#define SMCCC_OWNER_ARCH 0
#define SMCCC_OWNER_CPU 1
#define SMCCC_OWNER_SIP 2
#define SMCCC_OWNER_OEM 3
#define SMCCC_OWNER_STD 4
#define SMCCC_OWNER_STD_HYP 5
#define SMCCC_OWNER_VENDOR_HYP 6
#define SMCCC_OWNER_TAPP_FIRST 48
#define SMCCC_OWNER_TAPP_LAST 49
#define SMCCC_OWNER_TOS_FIRST 50
#define SMCCC_OWNER_TOS_LAST 63

#define SMCCC_NOT_SUPPORTED (-1L)
#define SMCCC_VERSION 0x80000000U
#define SMCCC_ARCH_FEATURES 0x80000001U
#define SMCCC_VERSION_1_1 0x10001U

/* PSCI 1.1 (SMC32 IDs; the 64-bit variants add SMCCC_SMC64). */
#define PSCI_VERSION 0x84000000U
#define PSCI_CPU_SUSPEND 0x84000001U
#define PSCI_CPU_OFF 0x84000002U
#define PSCI_CPU_ON 0x84000003U
#define PSCI_AFFINITY_INFO 0x84000004U
#define PSCI_MIGRATE_INFO_TYPE 0x84000006U
#define PSCI_MIGRATE_INFO_UP_CPU 0x84000007U
#define PSCI_SYSTEM_OFF 0x84000008U
#define PSCI_SYSTEM_RESET 0x84000009U
#define PSCI_FEATURES 0x8400000AU

#define PSCI_RET_SUCCESS 0
#define PSCI_RET_NOT_SUPPORTED (-1)
#define PSCI_RET_INVALID_PARAMS (-2)
#define PSCI_RET_DENIED (-3)
#define PSCI_RET_ALREADY_ON (-4)
#define PSCI_RET_ON_PENDING (-5)
#define PSCI_RET_INTERNAL_FAILURE (-6)
#define PSCI_RET_NOT_PRESENT (-7)
#define PSCI_RET_DISABLED (-8)
#define PSCI_RET_INVALID_ADDRESS (-9)

/* Secure-world to monitor calls (Trusted OS owner 50, fast, SMC32): the
 * microkernel reports it is done with a normal-world request or boot. The
 * monitor answers them only when they come from the secure world. */
#define MT_SMC_RETURN_ENTRY_DONE 0xB200E000U /* boot finished: start the normal world */
#define MT_SMC_RETURN_CALL_DONE 0xB200E001U  /* x1..x4 = results for the NS caller */
#define MT_SMC_RETURN_FIQ_DONE 0xB200E002U   /* secure interrupt handled; resume the NS world as it was */
#define MT_SMC_SELFTEST_ECHO 0xB200E0F0U     /* secure-only: returns x1..x7 swapped, for tests */

/* MicroTEE's own fast call from the normal world (Trusted OS range, not
 * used by OP-TEE): x0 = 0, x1 = secure timer ticks handled so far. */
#define MT_SMC_GET_STATS 0xB200E100U

/* OP-TEE fast calls the microkernel answers itself. */
#define OPTEE_SMC_CALLS_UID 0xBF00FF01U
#define OPTEE_SMC_CALLS_REVISION 0xBF00FF03U
#define OPTEE_SMC_GET_OS_REVISION 0xB2000001U
#define OPTEE_SMC_EXCHANGE_CAPABILITIES 0xB2000009U /* -> x0 status, x1 secure caps */
#define OPTEE_SMC_DISABLE_SHM_CACHE 0xB200000AU
#define OPTEE_SMC_ENABLE_SHM_CACHE 0xB200000BU

/* OP-TEE yielding calls (not fast: bit 31 clear). */
#define OPTEE_SMC_CALL_RETURN_FROM_RPC 0x32000003U
#define OPTEE_SMC_CALL_WITH_ARG 0x32000004U

/* RPC returns: x0 = 0xFFFF0000 | n, x3 = the call's thread id; the normal
 * world answers with CALL_RETURN_FROM_RPC with that id in x3.
 *   ALLOC: x1 = size; answer x1:x2 = physical address (0: none), x4:x5 = cookie
 *   FREE:  x1:x2 = cookie of an ALLOC buffer
 *   CMD:   x1:x2 = cookie of an ALLOC buffer that holds an optee_msg_arg
 *          with an OPTEE_RPC_CMD_* request; the answer is written there. */
#define OPTEE_SMC_RETURN_RPC_ALLOC 0xFFFF0000U
#define OPTEE_SMC_RETURN_RPC_FREE 0xFFFF0002U
#define OPTEE_SMC_RETURN_RPC_FOREIGN_INTR 0xFFFF0004U
#define OPTEE_SMC_RETURN_RPC_CMD 0xFFFF0005U

/* Secure-world capabilities (EXCHANGE_CAPABILITIES x1). */
#define OPTEE_SMC_SEC_CAP_HAVE_RESERVED_SHM (1U << 0)
#define OPTEE_SMC_SEC_CAP_DYNAMIC_SHM (1U << 2)
#define OPTEE_SMC_SEC_CAP_MEMREF_NULL (1U << 4)

/* OP-TEE SMC return codes (x0). */
#define OPTEE_SMC_RETURN_OK 0x0U
#define OPTEE_SMC_RETURN_ETHREAD_LIMIT 0x1U
#define OPTEE_SMC_RETURN_EBUSY 0x2U
#define OPTEE_SMC_RETURN_ERESUME 0x3U
#define OPTEE_SMC_RETURN_EBADADDR 0x4U
#define OPTEE_SMC_RETURN_EBADCMD 0x5U
#define OPTEE_SMC_RETURN_ENOMEM 0x6U
#define OPTEE_SMC_RETURN_ENOTAVAIL 0x7U
#define OPTEE_SMC_RETURN_UNKNOWN_FUNCTION 0xFFFFFFFFU

/* What the monitor passes back to the secure world when it resumes it after a
 * RETURN_* call: x0 says why. */
#define MT_ENTRY_NS_CALL 1 /* x1..x7 = the normal world's x0..x6 */
#define MT_ENTRY_FIQ 2     /* a secure interrupt arrived while the normal world ran */

#endif
