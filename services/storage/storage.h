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

/* ---- the backends (ree.c) ----
 * The calls of flashstore.h, for the backend a handle or request names
 * (STORE_BACKEND_*): the flash store, or the REE-FS backend (reefs.h),
 * which also returns RF_ENOTAVAIL (TEE_ERROR_STORAGE_NOT_AVAILABLE: no
 * normal-world call behind the request, or no tee-supplicant). */
struct flash_buf;
/* The REE backend over the RPC service (rpc: a handle badged RPC_ALLOW_FS,
 * or 0: none) and the buffer the key service and the flash driver use. */
int store_ree_init(struct store_conf *conf, mt_handle_t rpc, struct flash_buf *io);
/* aux: the bytes of attributes at the start of the object's stored data
 * (storage_ipc.h: STORE_ATTRS_MAX at most; 0 for a data object). */
int store_be_stat(struct store_conf *conf, unsigned be, const uint8_t owner[16], const void *id,
                  unsigned id_len, uint32_t *len, uint32_t *aux);
int store_be_get(struct store_conf *conf, unsigned be, const uint8_t owner[16], const void *id,
                 unsigned id_len, void *out, uint32_t max, uint32_t *len, uint32_t *aux);
int store_be_put(struct store_conf *conf, unsigned be, const uint8_t owner[16], const void *id,
                 unsigned id_len, const void *data, uint32_t len, uint32_t aux);
int store_be_delete(struct store_conf *conf, unsigned be, const uint8_t owner[16], const void *id,
                    unsigned id_len);
int store_be_rename(struct store_conf *conf, unsigned be, const uint8_t owner[16], const void *from,
                    unsigned from_len, const void *to, unsigned to_len);
/* The next object id of that backend only (out: STORE_ID_MAX bytes), after
 * `after` (NULL: from the first; an empty id is an id too). */
int store_be_next(struct store_conf *conf, unsigned be, const uint8_t owner[16], const void *after,
                  unsigned after_len, uint8_t out[STORE_ID_MAX], unsigned *out_len);

/* Serves one request: returns the reply's w0 (a TEE_Result) and fills
 * r->w[1..3]. Closes every handle the message carried. */
uint32_t store_serve(struct store_conf *conf, const struct mt_msg *m, struct store_reply *r);

#endif
