/* The storage service's two backends behind one set of calls (storage.h):
 * STORE_BACKEND_FLASH is the flash store (flashstore.c), STORE_BACKEND_REE
 * the REE-FS backend (reefs.c), whose files go to tee-supplicant through
 * the RPC service (RPC_OP_FS, which only our badge may send) and whose
 * blobs are sealed as the flash store's are, by the key service.
 *
 * Which normal-world call a file command goes out on: the one the caller
 * serves. A TA that a normal-world call X invoked calls us; the kernel
 * passes X's tag along every IPC call, so our thread, and then the RPC
 * service's, work for X, and the supplicant is asked on X. A request with
 * no normal-world call behind it (a secure-only test boot, a TA started by
 * a test program) gets TEE_ERROR_BAD_STATE from the RPC service: the
 * backend answers RF_ENOTAVAIL (TEE_ERROR_STORAGE_NOT_AVAILABLE) and
 * changes nothing. */
#include <stdio.h>
#include <string.h>

#include "../../include/microtee/rpc_ipc.h"
#include "../common/flash_client.h"
#include "reefs.h"
#include "storage.h"

static mt_handle_t rpc;
static struct flash_buf *io;
static struct rf_store rf;
static struct rf_ops rops;
static int ree_ready;
static uint32_t last_error; /* the RPC service's last refusal, logged once each */

/* One RPC_OP_FS request: q, then in_len bytes of in, go to io; an answer
 * of at most out_cap bytes comes back into out. *val: the answer's value. */
static int fs_rpc(struct rpc_fs_req *q, const void *in, uint32_t in_len, void *out,
                  uint32_t out_cap, uint64_t *val)
{
	if (!rpc || sizeof(*q) + (uint64_t)in_len + out_cap > io->size)
		return RF_ENOTAVAIL;
	memcpy(io->va, q, sizeof(*q));
	if (in_len)
		memcpy(io->va + sizeof(*q), in, in_len);
	struct mt_msg m = {{RPC_OP_FS, 0, 0, 0}, MT_XFER(io->shm, 0, 0, 0), 0};
	if (mt_call(rpc, &m) != MT_OK)
		return RF_ENOTAVAIL;
	switch (m.w[0]) {
	case TEE_SUCCESS:
		break;
	case TEE_ERROR_ITEM_NOT_FOUND:
		return FS_ENOENT;
	case TEE_ERROR_STORAGE_NO_SPACE:
		return FS_ENOSPC;
	default:
		if (m.w[0] != last_error)
			printf("[storage] the normal world's file system: 0x%lx (%s)\n",
			       (unsigned long)m.w[0],
			       m.w[0] == TEE_ERROR_BAD_STATE
			           ? "no normal-world call behind the request"
			           : "tee-supplicant failed or is not there");
		last_error = (uint32_t)m.w[0];
		return RF_ENOTAVAIL;
	}
	last_error = 0;
	if (out) {
		if (m.w[1] > out_cap)
			return RF_ENOTAVAIL;
		memcpy(out, io->va + sizeof(*q), m.w[1]);
	}
	if (val)
		*val = m.w[1];
	return FS_OK;
}

static void req_init(struct rpc_fs_req *q, uint32_t sub, const char *name)
{
	memset(q, 0, sizeof(*q));
	q->sub = sub;
	if (name)
		strncpy(q->name, name, sizeof(q->name) - 1);
}

static int n_open(void *ctx, const char *name, int create, uint32_t *fd)
{
	(void)ctx;
	struct rpc_fs_req q;
	uint64_t v = 0;
	req_init(&q, create ? OPTEE_RPC_FS_CREATE : OPTEE_RPC_FS_OPEN, name);
	int rc = fs_rpc(&q, 0, 0, 0, 0, &v);
	*fd = (uint32_t)v;
	return rc;
}

static int n_close(void *ctx, uint32_t fd)
{
	(void)ctx;
	struct rpc_fs_req q;
	req_init(&q, OPTEE_RPC_FS_CLOSE, 0);
	q.fd = fd;
	return fs_rpc(&q, 0, 0, 0, 0, 0);
}

static int n_read(void *ctx, uint32_t fd, uint64_t off, void *dst, uint32_t len, uint32_t *got)
{
	(void)ctx;
	struct rpc_fs_req q;
	uint64_t v = 0;
	req_init(&q, OPTEE_RPC_FS_READ, 0);
	q.fd = fd;
	q.offset = off;
	q.len = len;
	int rc = fs_rpc(&q, 0, 0, dst, len, &v);
	*got = (uint32_t)v;
	return rc;
}

static int n_write(void *ctx, uint32_t fd, uint64_t off, const void *src, uint32_t len)
{
	(void)ctx;
	struct rpc_fs_req q;
	req_init(&q, OPTEE_RPC_FS_WRITE, 0);
	q.fd = fd;
	q.offset = off;
	q.len = len;
	return fs_rpc(&q, src, len, 0, 0, 0);
}

static int n_remove(void *ctx, const char *name)
{
	(void)ctx;
	struct rpc_fs_req q;
	req_init(&q, OPTEE_RPC_FS_REMOVE, name);
	return fs_rpc(&q, 0, 0, 0, 0, 0);
}

static int n_opendir(void *ctx, const char *name, uint32_t *dir)
{
	(void)ctx;
	struct rpc_fs_req q;
	uint64_t v = 0;
	req_init(&q, OPTEE_RPC_FS_OPENDIR, name);
	int rc = fs_rpc(&q, 0, 0, 0, 0, &v);
	*dir = (uint32_t)v;
	return rc;
}

static int n_readdir(void *ctx, uint32_t dir, char *name, uint32_t cap)
{
	(void)ctx;
	struct rpc_fs_req q;
	static char entry[RPC_FS_NAME_MAX];
	uint64_t v = 0;
	req_init(&q, OPTEE_RPC_FS_READDIR, 0);
	q.fd = dir;
	q.len = sizeof(entry);
	int rc = fs_rpc(&q, 0, 0, entry, sizeof(entry), &v);
	if (rc == FS_OK) {
		/* The RPC service checked the NUL; a name too long for us is
		 * not one of ours: it reads as empty. */
		name[0] = 0;
		if (v <= cap)
			memcpy(name, entry, v);
	}
	return rc;
}

static int n_closedir(void *ctx, uint32_t dir)
{
	(void)ctx;
	struct rpc_fs_req q;
	req_init(&q, OPTEE_RPC_FS_CLOSEDIR, 0);
	q.fd = dir;
	return fs_rpc(&q, 0, 0, 0, 0, 0);
}

/* Sealing: the flash store's own callbacks (the key service). */
static int r_seal(void *ctx, const uint8_t owner[FS_OWNER_LEN], const void *aad, uint32_t aad_len,
                  const void *in, uint32_t in_len, void *out)
{
	const struct fs_ops *o = ((struct store_conf *)ctx)->fs->ops;
	return o->seal(o->ctx, owner, aad, aad_len, in, in_len, out);
}

static int r_unseal(void *ctx, const uint8_t owner[FS_OWNER_LEN], const void *aad, uint32_t aad_len,
                    const void *in, uint32_t blob_len, void *out)
{
	const struct fs_ops *o = ((struct store_conf *)ctx)->fs->ops;
	return o->unseal(o->ctx, owner, aad, aad_len, in, blob_len, out);
}

int store_ree_init(struct store_conf *conf, mt_handle_t rpc_h, struct flash_buf *buf)
{
	rpc = rpc_h;
	io = buf;
	rops = (struct rf_ops){conf,
	                       n_open,
	                       n_close,
	                       n_read,
	                       n_write,
	                       n_remove,
	                       n_opendir,
	                       n_readdir,
	                       n_closedir,
	                       KEY_SEALED_OVERHEAD,
	                       KEY_SEAL_TAG_LEN,
	                       r_seal,
	                       r_unseal};
	ree_ready = rf_init(&rf, &rops, conf->fs, (uint64_t)conf->run_tag << 32) == FS_OK;
	if (!rpc)
		printf("[storage] no RPC service: REE objects are not available\n");
	return ree_ready ? FS_OK : FS_EINVAL;
}

/* ---- the calls serve.c makes ---- */

#define REE(be)   ((be) == STORE_BACKEND_REE)
#define NOT_READY (!ree_ready ? RF_ENOTAVAIL : FS_OK)

int store_be_stat(struct store_conf *conf, unsigned be, const uint8_t owner[16], const void *id,
                  unsigned id_len, uint32_t *len, uint32_t *aux)
{
	if (!REE(be))
		return fs_stat_aux(conf->fs, owner, id, id_len, len, aux);
	return NOT_READY ? NOT_READY : rf_stat_aux(&rf, owner, id, id_len, len, aux);
}

int store_be_get(struct store_conf *conf, unsigned be, const uint8_t owner[16], const void *id,
                 unsigned id_len, void *out, uint32_t max, uint32_t *len, uint32_t *aux)
{
	uint32_t n = 0;
	if (!REE(be)) {
		int rc = fs_get(conf->fs, owner, id, id_len, out, max, len);
		return rc == FS_OK ? fs_stat_aux(conf->fs, owner, id, id_len, &n, aux) : rc;
	}
	return NOT_READY ? NOT_READY : rf_get_aux(&rf, owner, id, id_len, out, max, len, aux);
}

int store_be_put(struct store_conf *conf, unsigned be, const uint8_t owner[16], const void *id,
                 unsigned id_len, const void *data, uint32_t len, uint32_t aux)
{
	if (!REE(be))
		return fs_put_aux(conf->fs, owner, id, id_len, data, len, aux);
	return NOT_READY ? NOT_READY : rf_put_aux(&rf, owner, id, id_len, data, len, aux);
}

int store_be_delete(struct store_conf *conf, unsigned be, const uint8_t owner[16], const void *id,
                    unsigned id_len)
{
	if (!REE(be))
		return fs_delete(conf->fs, owner, id, id_len);
	return NOT_READY ? NOT_READY : rf_delete(&rf, owner, id, id_len);
}

int store_be_rename(struct store_conf *conf, unsigned be, const uint8_t owner[16], const void *from,
                    unsigned from_len, const void *to, unsigned to_len)
{
	if (!REE(be))
		return fs_rename(conf->fs, owner, from, from_len, to, to_len);
	return NOT_READY ? NOT_READY : rf_rename(&rf, owner, from, from_len, to, to_len);
}

int store_be_next(struct store_conf *conf, unsigned be, const uint8_t owner[16], const void *after,
                  unsigned after_len, uint8_t out[STORE_ID_MAX], unsigned *out_len)
{
	if (REE(be))
		return NOT_READY ? NOT_READY : rf_next(&rf, owner, after, after_len, out, out_len);
	/* The flash store also holds the REE backend's keys, longer than any
	 * GP id and after all of them in its order: the end of the list. */
	uint8_t key[FS_ID_MAX];
	unsigned n = 0;
	int rc = fs_next(conf->fs, owner, after, after_len, key, &n);
	if (rc != FS_OK)
		return rc;
	if (n > STORE_ID_MAX)
		return FS_ENOENT;
	memcpy(out, key, n);
	*out_len = n;
	return FS_OK;
}
