/* The storage service's internals. The wire protocol is
 * include/microtee/storage_ipc.h; the on-flash format flashstore.h;
 * docs/storage.md describes the whole. */
#ifndef STORAGE_SVC_H
#define STORAGE_SVC_H

#include <stdint.h>

#include "../../include/microtee/key_ipc.h"
#include "../../include/microtee/storage_ipc.h"
#include "../../lib/tee/include/tee_api_defines.h"
#include "flashstore.h"
#include "mt.h"

/* Where the service maps things. */
#define STORE_WIN_VA 0x60000000UL   /* a request's data object, for that request only */
#define STORE_TABLE_VA 0x61000000UL /* init's client table, read-only */
#define STORE_IO_VA 0x62000000UL    /* our buffer for the flash driver and the key service */
#define STORE_IO_SIZE (64 * 1024)

#define STORE_INDEX_CAP 256 /* live objects plus deletions still in the log, all owners */

/* What serve.c needs of the start (main.c). */
struct store_conf {
	const volatile struct key_client *table; /* init's client table, or 0 */
	struct fs_store *fs;
	int mounted;   /* fs is usable */
	int corrupt;   /* mount said FS_ECORRUPT */
	int test_hooks;
	uint32_t state;   /* STORE_STATE_* */
	uint32_t run_tag; /* non-zero, for this run (handles and HELLO) */
	/* Remounts after FS_EIO (main.c). */
	int (*remount)(void);
	/* Arms the test fault: at the n-th flash program from now (main.c). */
	void (*arm_crash)(unsigned n);
};

/* Written to fault (the test hooks); not a constant, so the compiler does
 * not see the fault coming. */
extern volatile int *volatile store_crash_at;

struct store_reply {
	uint64_t w[4];
};

/* Serves one request: returns the reply's w0 (a TEE_Result) and fills
 * r->w[1..3]. Closes every handle the message carried. */
uint32_t store_serve(struct store_conf *conf, const struct mt_msg *m, struct store_reply *r);

#endif
