/* init's TA anti-rollback check (rollback.h), over the flash driver. */
#include <stdio.h>

#include "../common/flash_client.h"
#include "../../include/microtee/storage_ipc.h"
#include "rbtable.h"
#include "rollback.h"

static const uint8_t store_uuid[16] = STORE_COUNTER_UUID;

#define TEE_SUCCESS 0x00000000U
#define TEE_ERROR_SECURITY 0xFFFF000FU
#define TEE_ERROR_BAD_PARAMETERS 0xFFFF0006U
#define TEE_ERROR_OVERFLOW 0xFFFF300FU
#define TEE_ERROR_STORAGE_NO_SPACE 0xFFFF3041U
#define TEE_ERROR_STORAGE_NOT_AVAILABLE 0xF0100003U

static mt_handle_t flash;
static struct flash_buf buf;
static struct rb_ops ops;
static struct rb_table table;
static int state; /* 0: not read yet; 1: read; < 0: the error that stopped it */

static int fl_read(void *ctx, unsigned block, uint32_t off, void *dst, uint32_t len)
{
	(void)ctx;
	return (int)flash_read(flash, FLASH_REGION_ROLLBACK, (uint64_t)block * ops.block_size + off,
			       dst, len, &buf);
}

static int fl_program(void *ctx, unsigned block, uint32_t off, const void *src, uint32_t len)
{
	(void)ctx;
	return (int)flash_program(flash, FLASH_REGION_ROLLBACK,
				  (uint64_t)block * ops.block_size + off, src, len, &buf);
}

static int fl_erase(void *ctx, unsigned block)
{
	(void)ctx;
	return (int)flash_erase(flash, FLASH_REGION_ROLLBACK, (uint64_t)block * ops.block_size);
}

unsigned rollback_shms_to_come(void)
{
	return !buf.shm && !state;
}

void rollback_init(mt_handle_t ep)
{
	/* The buffer now, not at the first check: memory init keeps for good
	 * is taken before the leak checks count what is free. */
	if (flash_buf_init(&buf, RB_CHUNK, 0) != MT_OK) {
		state = RB_EIO; /* every check says so */
		printf("[init] anti-rollback: no buffer for the counters\n");
		return;
	}
	flash = ep;
}

static int mount(void)
{
	if (state)
		return state;
	uint64_t size, block;
	if (!flash || flash_info(flash, FLASH_REGION_ROLLBACK, &size, &block, 0) != MT_OK ||
	    block == 0 || size != 2 * block || block > UINT32_MAX) {
		printf("[init] anti-rollback: no counter region in flash\n");
		return state = RB_EIO;
	}
	ops = (struct rb_ops){0, (uint32_t)block, fl_read, fl_program, fl_erase};
	int rc = rb_mount(&table, &ops);
	if (rc != RB_OK) {
		printf("[init] anti-rollback: the counters in flash cannot be used (%s): no TA from "
		       "the normal world will run\n",
		       rc == RB_ECORRUPT ? "damaged" : "flash error");
		return state = rc;
	}
	printf("[init] anti-rollback: %s, generation %u in block %u, %u TAs, %u torn entries\n",
	       table.formatted ? "new counters" : "counters read", (unsigned)table.gen,
	       table.active, table.n, table.torn);
	return state = 1;
}

uint32_t rollback_check(const char *name, const uint8_t uuid[16], uint32_t version)
{
	if (mount() != 1)
		return TEE_ERROR_SECURITY;
	uint32_t ran = rb_version(&table, uuid);
	if (version < ran) {
		printf("[init] TA %s: signed version %u is older than version %u, which has run: "
		       "refused\n",
		       name, (unsigned)version, (unsigned)ran);
		return TEE_ERROR_SECURITY;
	}
	return TEE_SUCCESS;
}

uint32_t rollback_commit(const char *name, const uint8_t uuid[16], uint32_t version)
{
	if (mount() != 1)
		return TEE_ERROR_SECURITY;
	uint32_t ran = rb_version(&table, uuid);
	if (version <= ran)
		return TEE_SUCCESS;
	int rc = rb_raise(&table, uuid, version);
	if (rc != RB_OK) {
		printf("[init] TA %s: cannot record version %u: %d\n", name, (unsigned)version, rc);
		return rc == RB_EFULL ? TEE_ERROR_STORAGE_NO_SPACE : TEE_ERROR_STORAGE_NOT_AVAILABLE;
	}
	printf("[init] TA %s: anti-rollback counter %u -> %u\n", name, (unsigned)ran,
	       (unsigned)version);
	return TEE_SUCCESS;
}

int rollback_reserved(const uint8_t uuid[16])
{
	for (unsigned i = 0; i < 16; i++)
		if (uuid[i] != store_uuid[i])
			return 0;
	return 1;
}

uint32_t rollback_store_counter(uint64_t op, uint64_t value, uint64_t *counter)
{
	if (mount() != 1)
		return TEE_ERROR_STORAGE_NOT_AVAILABLE;
	uint32_t now = rb_version(&table, store_uuid);
	*counter = now;
	if (op == SUP_OP_STORE_COUNTER_GET)
		return TEE_SUCCESS;
	if (op != SUP_OP_STORE_COUNTER_RAISE)
		return TEE_ERROR_BAD_PARAMETERS;
	if (value > UINT32_MAX)
		return TEE_ERROR_OVERFLOW;
	if (value <= now)
		return TEE_SUCCESS;
	int rc = rb_raise(&table, store_uuid, (uint32_t)value);
	if (rc != RB_OK) {
		printf("[init] anti-rollback: cannot raise the store's counter to %lu: %d\n",
		       (unsigned long)value, rc);
		return rc == RB_EFULL ? TEE_ERROR_STORAGE_NO_SPACE : TEE_ERROR_STORAGE_NOT_AVAILABLE;
	}
	*counter = (uint32_t)value;
	return TEE_SUCCESS;
}
