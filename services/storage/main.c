/* storage: the storage service. It serves GP persistent objects to TAs
 * (include/microtee/storage_ipc.h) from the secure-flash backend
 * (flashstore.c over FLASH_REGION_STORAGE), sealing every record through
 * the key service (KEY_OP_STORE_*: AES-256-GCM under a per-TA storage key
 * that never leaves the key service). It holds no key and links no crypto.
 *
 * init starts it with STORE_START_ARG: its endpoint, the flash driver
 * badged to write the storage region only, the key service under
 * KEY_BADGE_STORAGE, init's client table (read-only), and init's
 * supervisor endpoint under SUP_BADGE_STORAGE, for the store's rollback
 * counter (fscounter.h: checked at mount, raised after every committed
 * update, before the reply), and the RPC service under RPC_ALLOW_FS, for
 * the REE-FS backend's files (ree.c, reefs.c: objects of
 * TEE_STORAGE_PRIVATE_REE, anchored in the flash store). Everything it
 * keeps in memory (the index, open handles) is rebuilt or dropped when it
 * restarts: the flash holds every committed update, and clients see
 * their old handles refused (BAD_PARAMETERS; lib/tee says
 * STORAGE_NOT_AVAILABLE) and open again. */
#include <stdio.h>
#include <string.h>

#include "../common/flash_client.h"
#include "common/rv.h"
#include "fscounter.h"
#include "storage.h"

static mt_handle_t flash, keys, sup;
static struct flash_buf io; /* one buffer for both the flash driver and the key service */
static uint64_t block_size;
static unsigned nblocks;
static struct fs_store fs;
static struct fs_entry index_tab[STORE_INDEX_CAP];
static struct fs_ops ops;
static struct store_conf conf;
static unsigned crash_countdown; /* test hook: fault at this flash program (0: off) */
static int crash_before_raise;   /* test hook: fault after the next commit, before its raise */
static uint64_t counter;         /* the rollback counter, as init last said (valid when mounted) */

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

/* One rollback-counter request to init (storage_ipc.h): 0 and the
 * counter in *out, or -1. */
static int counter_call(uint64_t op, uint64_t value, uint64_t *out)
{
	struct mt_msg m = {{op, value, 0, 0}, 0, 0};
	if (!sup || mt_call(sup, &m) != MT_OK || m.w[0] != TEE_SUCCESS)
		return -1;
	*out = m.w[1];
	return 0;
}

/* Raises the counter to the head; 0, or -1 (then the counter stays
 * behind, and the next request tries again). */
static int raise_counter(void)
{
	uint64_t head = fs_head(&fs), now;
	if (counter_call(SUP_OP_STORE_COUNTER_RAISE, head, &now) != 0 || now < head) {
		printf("[storage] cannot raise the rollback counter to %lu (it is %lu)\n",
		       (unsigned long)head, (unsigned long)counter);
		return -1;
	}
	counter = now;
	return 0;
}

/* The mounted store's head against the counter. FS_OK; FS_ECORRUPT for a
 * rollback; FS_EIO if the counter cannot be read (the store is not
 * served, and the next request mounts again). */
static int check_counter(void)
{
	uint64_t head = fs_head(&fs);
	if (counter_call(SUP_OP_STORE_COUNTER_GET, 0, &counter) != 0) {
		printf("[storage] cannot read the rollback counter: the store is not served\n");
		return FS_EIO;
	}
	switch (fsc_judge(head, counter)) {
	case FSC_EQUAL:
		return FS_OK;
	case FSC_ROLLBACK:
		printf("[storage] ROLLBACK: the store's head %lu is below its rollback counter %lu: "
		       "every request is CORRUPT_OBJECT\n",
		       (unsigned long)head, (unsigned long)counter);
		return FS_ECORRUPT;
	case FSC_CUT:
		printf("[storage] the rollback counter %lu is one behind the head %lu (a cut between "
		       "a commit and its raise): raising it\n",
		       (unsigned long)counter, (unsigned long)head);
		break;
	default:
		printf("[storage] the rollback counter %lu is behind the head %lu: raising it\n",
		       (unsigned long)counter, (unsigned long)head);
		break;
	}
	/* Not a rollback: a failed raise leaves it for the next request. */
	raise_counter();
	return FS_OK;
}

static int mount(void)
{
	int rc = fs_mount(&fs, &ops, index_tab, STORE_INDEX_CAP);
	int rolled = 0, unchecked = 0;
	if (rc == FS_OK) {
		rc = check_counter();
		rolled = rc == FS_ECORRUPT;
		unchecked = rc == FS_EIO;
	}
	conf.mounted = rc == FS_OK;
	conf.corrupt = rc == FS_ECORRUPT;
	conf.state &= ~(uint32_t)(STORE_STATE_MOUNTED | STORE_STATE_CORRUPT | STORE_STATE_ROLLBACK |
				  STORE_STATE_UNCHECKED);
	conf.state |= (conf.mounted ? STORE_STATE_MOUNTED : 0) | (conf.corrupt ? STORE_STATE_CORRUPT : 0) |
		      (conf.mounted && fs.formatted ? STORE_STATE_FORMATTED : 0) |
		      (rolled ? STORE_STATE_ROLLBACK : 0) | (unchecked ? STORE_STATE_UNCHECKED : 0);
	return rc;
}

static void arm_crash(unsigned n)
{
	if (n == STORE_CRASH_BEFORE_RAISE)
		crash_before_raise = 1;
	else
		crash_countdown = n;
}

/* Is this request an update (it may commit a record)? */
static int is_update(uint64_t op)
{
	return op == STORE_OP_CREATE || op == STORE_OP_WRITE || op == STORE_OP_TRUNCATE ||
	       op == STORE_OP_DELETE || op == STORE_OP_RENAME;
}

int mt_main(unsigned long arg, unsigned long arg2)
{
	(void)arg2;
	rv_who = "storage";
	mt_handle_t ep = STORE_START_ARG_HANDLE(arg, 0), table_h = STORE_START_ARG_HANDLE(arg, 3);
	flash = STORE_START_ARG_HANDLE(arg, 1);
	keys = STORE_START_ARG_HANDLE(arg, 2);
	sup = STORE_START_ARG_HANDLE(arg, 4);
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
	store_ree_init(&conf, STORE_START_ARG_HANDLE(arg, 5), &io);
	if (rc == FS_OK)
		printf("[storage] %s: %u blocks of %lu KiB, %u objects and deletions, head %lu, "
		       "rollback counter %lu\n",
		       fs.formatted ? "made a new store" : "mounted the store", nblocks,
		       (unsigned long)(block_size / 1024), fs.n, (unsigned long)fs_head(&fs),
		       (unsigned long)counter);
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
		/* The counter behind (a raise that failed): no update until it
		 * catches up, so the head is never more than one ahead. */
		if (conf.mounted && is_update(m.w[0]) && fsc_must_raise(fs_head(&fs), counter) &&
		    raise_counter() != 0) {
			for (unsigned i = 0; i < MT_XFER_MAX; i++)
				if (MT_XFER_GET(m.handle, i))
					mt_handle_close(MT_XFER_GET(m.handle, i));
			r.w[0] = TEE_ERROR_STORAGE_NOT_AVAILABLE;
		} else {
			r.w[0] = store_serve(&conf, &m, &r);
		}
		/* Committed: raise the counter before anyone is told. A failed
		 * raise loses nothing: the update stays, and the reply says so. */
		if (conf.mounted && fsc_must_raise(fs_head(&fs), counter)) {
			if (crash_before_raise) {
				printf("[storage] crashing between a commit and its raise (test hook)\n");
				*store_crash_at = 1;
			}
			raise_counter();
		}
		rv_report_growth();
		m = (struct mt_msg){{r.w[0], r.w[1], r.w[2], r.w[3]}, 0, 0};
		st = mt_reply_recv(ep, &m, MT_RR_REPLY | MT_RR_RECV);
	}
}
