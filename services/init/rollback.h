/* init's TA anti-rollback check (rbtable.h has the counters' format): the
 * counters live in the flash driver's ROLLBACK region, which only init's
 * badge may write. TAs from the boot file system are part of the firmware
 * and are not counted; TAs from the normal world are. */
#ifndef INIT_ROLLBACK_H
#define INIT_ROLLBACK_H

#include <stdint.h>

#include "../../include/microtee/flash_ipc.h"
#include "mt.h"

/* init's badge at the flash driver: its loader reads the boot file system,
 * and the rollback counters are its to read and write. */
#define INIT_FLASH_BADGE                                                                 \
	(FLASH_READS(FLASH_R(FLASH_REGION_BOOTFS)) | FLASH_WRITES(FLASH_R(FLASH_REGION_ROLLBACK)))

/* The counters are read at the first check, through `flash`; the buffer
 * for them (one page of shared memory, kept for good) is taken now. */
void rollback_init(mt_handle_t flash);
/* Shared-memory objects and pages rollback_init will take (0 after it has
 * run): init's plan counts them before the flash driver runs. */
unsigned rollback_shms_to_come(void);
/* May version `version` of the TA `name` (uuid) run? TEE_SUCCESS, or
 * TEE_ERROR_SECURITY if an older version than one that has run, or if the
 * counters cannot be read. */
uint32_t rollback_check(const char *name, const uint8_t uuid[16], uint32_t version);
/* It runs: raise its counter to `version`. TEE_SUCCESS, or
 * TEE_ERROR_STORAGE_NO_SPACE (too many TAs have counters) or
 * TEE_ERROR_STORAGE_NOT_AVAILABLE (the flash failed). */
uint32_t rollback_commit(const char *name, const uint8_t uuid[16], uint32_t version);

/* Is this the UUID of the store's counter (STORE_COUNTER_UUID), which no
 * TA may have? */
int rollback_reserved(const uint8_t uuid[16]);
/* The storage service's request `op` (SUP_OP_STORE_COUNTER_GET or _RAISE
 * to `value`, storage_ipc.h) on the store's counter; *counter receives
 * the counter after. TEE_SUCCESS, TEE_ERROR_OVERFLOW (above 32 bits),
 * TEE_ERROR_STORAGE_NO_SPACE or TEE_ERROR_STORAGE_NOT_AVAILABLE. The
 * caller checks the badge. Like the other calls, only init's supervisor
 * thread makes it: the table has one user. */
uint32_t rollback_store_counter(uint64_t op, uint64_t value, uint64_t *counter);

#endif
