/* storage: the storage service. It serves GP persistent objects to TAs
 * (include/microtee/storage_ipc.h) from the secure-flash backend
 * (flashstore.c over FLASH_REGION_STORAGE), sealing every record through
 * the key service (KEY_OP_STORE_*: AES-256-GCM under a per-TA storage key
 * that never leaves the key service). It holds no key and links no crypto.
 *
 * init starts it with STORE_START_ARG: its endpoint, the flash driver
 * badged to write the storage region only, the key service under
 * KEY_BADGE_STORAGE, and init's client table (read-only). Everything it
 * keeps in memory (the index, open handles) is rebuilt or dropped when it
 * restarts: the flash holds every committed update, and clients see
 * their old handles refused (BAD_PARAMETERS; lib/tee says
 * STORAGE_NOT_AVAILABLE) and open again. */
#include <stdio.h>
#include <string.h>

#include "../common/flash_client.h"
#include "storage.h"

static mt_handle_t flash, keys;
static struct flash_buf io; /* one buffer for both the flash driver and the key service */
static uint64_t block_size;
static unsigned nblocks;
static struct fs_store fs;
static struct fs_entry index_tab[STORE_INDEX_CAP];
static struct fs_ops ops;
static struct store_conf conf;
static unsigned crash_countdown; /* test hook: fault at this flash program (0: off) */

/* Not a constant, so the compiler does not see the fault coming. */
volatile int *volatile store_crash_at = (volatile int *)24;

static int op_read(void *ctx, unsigned block, uint32_t off, void *dst, uint32_t len)
{
	(void)ctx;
	return flash_read(flash, FLASH_REGION_STORAGE, (uint64_t)block * block_size + off, dst, len,
			  &io) == MT_OK
		       ? 0
		       : -1;
}

static int op_program(void *ctx, unsigned block, uint32_t off, const void *src, uint32_t len)
{
	(void)ctx;
	if (crash_countdown && --crash_countdown == 0) {
		printf("[storage] crashing in the middle of an update (test hook)\n");
		*store_crash_at = 1;
	}
	return flash_program(flash, FLASH_REGION_STORAGE, (uint64_t)block * block_size + off, src,
			     len, &io) == MT_OK
		       ? 0
		       : -1;
}

static int op_erase(void *ctx, unsigned block)
{
	(void)ctx;
	return flash_erase(flash, FLASH_REGION_STORAGE, (uint64_t)block * block_size) == MT_OK ? 0
												: -1;
}

/* One KEY_OP_STORE_* request: req, aad and body go to the start of io;
 * the answer (out_len bytes) comes back after them. */
static int key_call(uint64_t op, const uint8_t owner[FS_OWNER_LEN], const void *aad,
		    uint32_t aad_len, const void *body, uint32_t body_len, void *out,
		    uint32_t out_len)
{
	struct key_store_req q;
	uint32_t n = (uint32_t)sizeof(q) + aad_len + body_len;
	if (aad_len > KEY_STORE_AAD_MAX || (uint64_t)n + out_len > io.size)
		return -1;
	memcpy(q.owner, owner, sizeof(q.owner));
	q.aad_len = aad_len;
	q.len = body_len;
	memcpy(io.va, &q, sizeof(q));
	memcpy(io.va + sizeof(q), aad, aad_len);
	memcpy(io.va + sizeof(q) + aad_len, body, body_len);
	for (int attempt = 0; attempt < 2; attempt++) {
		struct mt_msg m = {{op, KEY_SPAN(0, n), KEY_SPAN(n, out_len), 0},
				   MT_XFER(io.shm, 0, 0, 0), 0};
		long rc = mt_call(keys, &m);
		if (rc == MT_EPEERDEAD)
			continue; /* init restarts it; it keeps nothing of ours */
		if (rc != MT_OK || m.w[0] != TEE_SUCCESS || m.w[1] != out_len)
			return -1;
		memcpy(out, io.va + n, out_len);
		return 0;
	}
	return -1;
}

static int op_seal(void *ctx, const uint8_t owner[FS_OWNER_LEN], const void *aad, uint32_t aad_len,
		   const void *in, uint32_t in_len, void *out)
{
	(void)ctx;
	return key_call(KEY_OP_STORE_SEAL, owner, aad, aad_len, in, in_len, out,
			KEY_STORE_SEALED_SIZE(in_len));
}

static int op_unseal(void *ctx, const uint8_t owner[FS_OWNER_LEN], const void *aad,
		     uint32_t aad_len, const void *in, uint32_t blob_len, void *out)
{
	(void)ctx;
	if (blob_len < KEY_SEALED_OVERHEAD)
		return -1;
	return key_call(KEY_OP_STORE_UNSEAL, owner, aad, aad_len, in, blob_len, out,
			blob_len - KEY_SEALED_OVERHEAD);
}

static int mount(void)
{
	int rc = fs_mount(&fs, &ops, index_tab, STORE_INDEX_CAP);
	conf.mounted = rc == FS_OK;
	conf.corrupt = rc == FS_ECORRUPT;
	conf.state &= ~(uint32_t)(STORE_STATE_MOUNTED | STORE_STATE_CORRUPT);
	conf.state |= (conf.mounted ? STORE_STATE_MOUNTED : 0) | (conf.corrupt ? STORE_STATE_CORRUPT : 0) |
		      (conf.mounted && fs.formatted ? STORE_STATE_FORMATTED : 0);
	return rc;
}

static void arm_crash(unsigned n)
{
	crash_countdown = n;
}

int mt_main(unsigned long arg, unsigned long arg2)
{
	(void)arg2;
	mt_handle_t ep = STORE_START_ARG_HANDLE(arg, 0), table_h = STORE_START_ARG_HANDLE(arg, 3);
	flash = STORE_START_ARG_HANDLE(arg, 1);
	keys = STORE_START_ARG_HANDLE(arg, 2);
	conf.test_hooks = (STORE_START_ARG_FLAGS(arg) & STORE_START_TEST_HOOKS) != 0;
	conf.fs = &fs;
	conf.remount = mount;
	conf.arm_crash = arm_crash;
	conf.state = conf.test_hooks ? STORE_STATE_TEST_HOOKS : 0;
	/* A run tag that changes at each start: the time is enough (it only
	 * tells runs apart; handles are checked against their owner too). */
	conf.run_tag = (uint32_t)mt_time(0) | 1;
	if (table_h && MT_SYS(SYS_SHM_MAP, table_h, STORE_TABLE_VA, MT_PROT_R) == MT_OK)
		conf.table = (const volatile struct key_client *)STORE_TABLE_VA;
	else
		printf("[storage] no client table: no caller is a TA\n");
	uint64_t size = 0;
	if (flash_buf_init(&io, STORE_IO_SIZE, STORE_IO_VA) != MT_OK ||
	    flash_info(flash, FLASH_REGION_STORAGE, &size, &block_size, 0) != MT_OK || !block_size ||
	    size / block_size < FS_MIN_BLOCKS) {
		printf("[storage] no storage region\n");
		return 1;
	}
	nblocks = (unsigned)(size / block_size);
	if (nblocks > FS_MAX_BLOCKS)
		nblocks = FS_MAX_BLOCKS;
	ops = (struct fs_ops){0,         (uint32_t)block_size, nblocks,  KEY_SEALED_OVERHEAD,
			      op_read,   op_program,           op_erase, op_seal,
			      op_unseal};
	int rc = mount();
	if (rc == FS_OK)
		printf("[storage] %s: %u blocks of %lu KiB, %u objects and deletions, head %lu\n",
		       fs.formatted ? "made a new store" : "mounted the store", nblocks,
		       (unsigned long)(block_size / 1024), fs.n, (unsigned long)fs_head(&fs));
	else
		printf("[storage] cannot mount the store: %d%s\n", rc,
		       rc == FS_ECORRUPT ? " (damaged: every request is CORRUPT_OBJECT)" : "");
	printf("[storage] serving on handle %lu%s\n", ep, conf.test_hooks ? " (test hooks on)" : "");

	struct mt_msg m;
	long st = mt_recv(ep, &m);
	for (;;) {
		if (st != MT_OK) {
			printf("[storage] receive failed: %ld\n", st);
			return 1;
		}
		struct store_reply r = {{0, 0, 0, 0}};
		r.w[0] = store_serve(&conf, &m, &r);
		m = (struct mt_msg){{r.w[0], r.w[1], r.w[2], r.w[3]}, 0, 0};
		st = mt_reply_recv(ep, &m, MT_RR_REPLY | MT_RR_RECV);
	}
}
