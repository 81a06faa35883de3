/* rpc: the secure world's one way out to the normal world. It alone holds
 * the kernel's NWRPC capability: a client asks it for one supplicant or
 * driver service, allowed by the
 * badge of the client's handle (rpc_ipc.h): a TA the time and plugins,
 * the TA loader the files of /lib/optee_armtz, the storage service
 * tee-supplicant's file system. It asks Linux's optee
 * driver in OP-TEE's RPC ABI on the normal-world call that client serves.
 *
 * Each request takes a fresh RPC buffer from the driver (RPC_ALLOC), maps
 * it, writes one optee_msg_arg there, sends it (RPC_CMD), copies the
 * answer out once and checks that copy only, then gives the buffer back
 * (RPC_FREE): nothing of the normal world's stays mapped between requests,
 * and the driver gets back everything it lent. The normal world's answer
 * is untrusted: its buffer address must be normal-world RAM (the kernel
 * refuses anything else), and every field used is checked. */
#include <stdio.h>
#include <string.h>

#include "../../include/microtee/optee_msg.h"
#include "../../include/microtee/rpc_ipc.h"
#include "../../include/microtee/smc.h"
#include "../common/nsmem.h"
#include "mt.h"

/* GP results this service answers with (TEE Internal Core API values). */
#define TEE_SUCCESS 0x00000000U
#define TEE_ERROR_ACCESS_DENIED 0xFFFF0001U
#define TEE_ERROR_BAD_PARAMETERS 0xFFFF0006U
#define TEE_ERROR_BAD_STATE 0xFFFF0007U
#define TEE_ERROR_NOT_SUPPORTED 0xFFFF000AU
#define TEE_ERROR_OUT_OF_MEMORY 0xFFFF000CU
#define TEE_ERROR_COMMUNICATION 0xFFFF000EU

#define RPC_MAX_PARAMS 6
#define RPC_ARG_SIZE (sizeof(struct optee_msg_arg) + RPC_MAX_PARAMS * sizeof(struct optee_msg_param))
/* Where an RPC buffer is mapped while one request uses it. */
#define RPC_ARG_VA (MT_USER_SHM + 0x08000000UL)

static mt_handle_t nsmem, nwrpc;

struct rpc_buf {
	uint64_t cookie; /* the driver's name for it */
	struct ns_map map;
};

/* SYS_NW_RPC: out[0..3] = the normal world's x1, x2, x4, x5. */
static long nw_rpc(uint64_t func, uint64_t a1, uint64_t a2, uint64_t out[4])
{
	unsigned long a[7] = {nwrpc, func, a1, a2};
	long rc = mt_syscall(SYS_NW_RPC, a);
	for (int i = 0; i < 4; i++)
		out[i] = a[1 + i];
	return rc;
}

static uint32_t rpc_status(long rc)
{
	return rc == MT_ESTATE ? TEE_ERROR_BAD_STATE : TEE_ERROR_COMMUNICATION;
}

static void buf_free(struct rpc_buf *b)
{
	uint64_t r[4];
	nw_rpc(OPTEE_SMC_RETURN_RPC_FREE, b->cookie >> 32, (uint32_t)b->cookie, r);
}

static uint32_t buf_alloc(struct rpc_buf *b)
{
	uint64_t r[4];
	long rc = nw_rpc(OPTEE_SMC_RETURN_RPC_ALLOC, RPC_ARG_SIZE, 0, r);
	if (rc != MT_OK)
		return rpc_status(rc);
	uint64_t pa = (uint64_t)(uint32_t)r[0] << 32 | (uint32_t)r[1];
	b->cookie = (uint64_t)(uint32_t)r[2] << 32 | (uint32_t)r[3];
	if (!pa)
		return TEE_ERROR_OUT_OF_MEMORY; /* the driver had none (and lent nothing) */
	if ((pa & 7) || ns_map_at(nsmem, pa, RPC_ARG_SIZE, RPC_ARG_VA, &b->map) != MT_OK) {
		printf("[rpc] refused an RPC buffer at 0x%lx\n", (unsigned long)pa);
		buf_free(b);
		return TEE_ERROR_COMMUNICATION;
	}
	return TEE_SUCCESS;
}

/* One RPC command with parameters p[0..n) in and out. */
static uint32_t rpc_cmd(uint32_t cmd, struct optee_msg_param *p, uint32_t n)
{
	struct rpc_buf b;
	uint32_t res = buf_alloc(&b);
	if (res != TEE_SUCCESS)
		return res;
	struct optee_msg_arg h;
	memset(&h, 0, sizeof(h));
	h.cmd = cmd;
	h.num_params = n;
	memset(b.map.ptr, 0, RPC_ARG_SIZE);
	memcpy(b.map.ptr, &h, sizeof(h));
	memcpy(b.map.ptr + sizeof(h), p, n * sizeof(*p));
	uint64_t r[4];
	long rc = nw_rpc(OPTEE_SMC_RETURN_RPC_CMD, b.cookie >> 32, (uint32_t)b.cookie, r);
	if (rc == MT_OK) {
		/* The answer, copied once; only the copy is looked at. */
		memcpy(&h, b.map.ptr, sizeof(h));
		memcpy(p, b.map.ptr + sizeof(h), n * sizeof(*p));
	}
	ns_unmap(&b.map);
	buf_free(&b);
	if (rc != MT_OK)
		return rpc_status(rc);
	if (h.ret != TEE_SUCCESS)
		/* The driver's or supplicant's own error, if it is one of GP's. */
		return h.ret >= 0xF0000000U ? h.ret : TEE_ERROR_COMMUNICATION;
	return TEE_SUCCESS;
}

/* ---- supplicant memory ----
 * The supplicant's buffers come as OP-TEE's non-contiguous page lists: a
 * list page holds 511 data-page addresses and the address of the next list
 * page. Every address is the normal world's to choose: the kernel maps only
 * normal-world RAM, and the count of pages comes from our own size. */
#define OPTEE_RPC_SHM_TYPE_APPL 0
#define IMG_MAX_PAGES (RPC_LOAD_TA_MAX / MT_PAGE_SIZE + 1)
#define LIST_VA (RPC_ARG_VA + 0x10000UL)
#define IMG_VA (RPC_ARG_VA + 0x100000UL)
#define DEST_VA (RPC_ARG_VA + 0x400000UL)

struct supp_buf {
	uint64_t cookie, size;
	unsigned offset; /* of the data in its first page */
	unsigned npages;
	uint64_t pages[IMG_MAX_PAGES];
};

static void supp_free(struct supp_buf *s)
{
	struct optee_msg_param p;
	memset(&p, 0, sizeof(p));
	p.attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
	p.u.value.a = OPTEE_RPC_SHM_TYPE_APPL;
	p.u.value.b = s->cookie;
	rpc_cmd(OPTEE_RPC_CMD_SHM_FREE, &p, 1);
}

/* Reads the page list at pa (a list page address | the data's offset). */
static uint32_t read_page_list(struct supp_buf *s, uint64_t pa)
{
	s->offset = (unsigned)(pa & (OPTEE_MSG_NONCONTIG_PAGE_SIZE - 1));
	uint64_t list = pa - s->offset;
	s->npages = (unsigned)((s->offset + s->size + MT_PAGE_SIZE - 1) / MT_PAGE_SIZE);
	for (unsigned done = 0; done < s->npages;) {
		struct ns_map m;
		uint64_t entries[OPTEE_MSG_PAGELIST_ENTRIES + 1];
		if (ns_map_at(nsmem, list, sizeof(entries), LIST_VA, &m) != MT_OK)
			return TEE_ERROR_COMMUNICATION;
		memcpy(entries, m.ptr, sizeof(entries));
		ns_unmap(&m);
		for (unsigned i = 0; i < OPTEE_MSG_PAGELIST_ENTRIES && done < s->npages; i++) {
			if (entries[i] & (MT_PAGE_SIZE - 1))
				return TEE_ERROR_COMMUNICATION;
			s->pages[done++] = entries[i];
		}
		list = entries[OPTEE_MSG_PAGELIST_ENTRIES];
		if (done < s->npages && (list & (MT_PAGE_SIZE - 1)))
			return TEE_ERROR_COMMUNICATION;
	}
	return TEE_SUCCESS;
}

/* A buffer of the supplicant's of `size` bytes (OPTEE_RPC_CMD_SHM_ALLOC). */
static uint32_t supp_alloc(struct supp_buf *s, uint64_t size)
{
	struct optee_msg_param p;
	memset(&p, 0, sizeof(p));
	p.attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
	p.u.value.a = OPTEE_RPC_SHM_TYPE_APPL;
	p.u.value.b = size;
	uint32_t res = rpc_cmd(OPTEE_RPC_CMD_SHM_ALLOC, &p, 1);
	if (res != TEE_SUCCESS)
		return res;
	s->cookie = p.u.tmem.shm_ref;
	s->size = size;
	/* Whatever it says, the buffer is freed on any error from here on. */
	if (p.attr != (OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT | OPTEE_MSG_ATTR_NONCONTIG) ||
	    p.u.tmem.size < size || (res = read_page_list(s, p.u.tmem.buf_ptr)) != TEE_SUCCESS) {
		printf("[rpc] refused a supplicant buffer (attr 0x%lx, %lu bytes)\n",
		       (unsigned long)p.attr, (unsigned long)p.u.tmem.size);
		supp_free(s);
		return TEE_ERROR_COMMUNICATION;
	}
	return TEE_SUCCESS;
}

/* ---- LOAD_TA ---- */

static uint32_t load_ta_rpc(const uint8_t uuid[16], struct supp_buf *s, uint64_t *size)
{
	struct optee_msg_param p[2];
	memset(p, 0, sizeof(p));
	p[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
	memcpy(&p[0].u.value.a, uuid, 8); /* the octets, in order (OP-TEE's ABI) */
	memcpy(&p[0].u.value.b, uuid + 8, 8);
	/* Asking the size: a null memory reference. Filling: the supplicant's
	 * buffer, named by its cookie (a registered reference, at offset 0). */
	p[1].attr = OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT;
	if (s) {
		p[1].attr = OPTEE_MSG_ATTR_TYPE_RMEM_OUTPUT;
		p[1].u.rmem.offs = 0;
		p[1].u.rmem.size = s->size;
		p[1].u.rmem.shm_ref = s->cookie;
	}
	uint32_t res = rpc_cmd(OPTEE_RPC_CMD_LOAD_TA, p, 2);
	*size = p[1].u.tmem.size; /* the same place in both kinds */
	return res;
}

static uint32_t load_ta(const struct mt_msg *in, uint64_t *out_size)
{
	uint8_t uuid[16];
	for (int i = 0; i < 8; i++) {
		uuid[i] = (uint8_t)(in->w[1] >> (56 - 8 * i));
		uuid[8 + i] = (uint8_t)(in->w[2] >> (56 - 8 * i));
	}
	mt_handle_t dest = MT_XFER_GET(in->handle, 0);
	uint64_t room = in->w[3] < RPC_LOAD_TA_MAX ? in->w[3] : RPC_LOAD_TA_MAX;
	unsigned long dest_size = 0;
	if (!dest || MT_SYS_R1(&dest_size, SYS_SHM_MAP, dest, DEST_VA, MT_PROT_R | MT_PROT_W) != MT_OK)
		return TEE_ERROR_BAD_PARAMETERS;
	if (room > dest_size)
		room = dest_size;
	/* How large is it? */
	uint64_t size = 0;
	uint32_t res = load_ta_rpc(uuid, 0, &size);
	static struct supp_buf s;
	if (res == TEE_SUCCESS && (size == 0 || size > room))
		res = size ? TEE_ERROR_OUT_OF_MEMORY : TEE_ERROR_COMMUNICATION;
	if (res == TEE_SUCCESS)
		res = supp_alloc(&s, size);
	if (res != TEE_SUCCESS)
		goto out;
	uint64_t got = 0;
	res = load_ta_rpc(uuid, &s, &got);
	if (res == TEE_SUCCESS && got != size)
		res = TEE_ERROR_COMMUNICATION; /* it changed its mind about the size */
	mt_handle_t img = 0;
	if (res == TEE_SUCCESS && ns_pages_object(nsmem, s.pages, s.npages, &img) == MT_OK &&
	    mt_shm_map(img, IMG_VA, MT_PROT_R) == MT_OK) {
		/* One copy into secure memory; the loader reads only that. */
		memcpy((void *)DEST_VA, (const uint8_t *)IMG_VA + s.offset, size);
		mt_mem_unmap(IMG_VA, (size_t)s.npages * MT_PAGE_SIZE);
		*out_size = size;
	} else if (res == TEE_SUCCESS) {
		res = TEE_ERROR_COMMUNICATION;
	}
	if (img)
		mt_handle_close(img);
	supp_free(&s);
out:
	mt_mem_unmap(DEST_VA, dest_size);
	return res;
}

/* ---- supplicant plugins ---- */

static uint32_t plugin(const struct mt_msg *in, uint64_t *out_len)
{
	mt_handle_t req = MT_XFER_GET(in->handle, 0);
	uint64_t len = in->w[3];
	unsigned long req_size = 0;
	if (!req || len > RPC_PLUGIN_MAX ||
	    MT_SYS_R1(&req_size, SYS_SHM_MAP, req, DEST_VA, MT_PROT_R | MT_PROT_W) != MT_OK)
		return TEE_ERROR_BAD_PARAMETERS;
	uint32_t res = TEE_ERROR_BAD_PARAMETERS;
	uint8_t *data = (uint8_t *)DEST_VA + 16;
	static struct supp_buf s;
	mt_handle_t ns = 0;
	if (16 + len > req_size)
		goto out;
	/* The data goes into a supplicant buffer (at least one byte: the
	 * supplicant takes a buffer it can address). */
	res = supp_alloc(&s, len ? len : 1);
	if (res != TEE_SUCCESS)
		goto out;
	if (ns_pages_object(nsmem, s.pages, s.npages, &ns) != MT_OK ||
	    mt_shm_map(ns, IMG_VA, MT_PROT_R | MT_PROT_W) != MT_OK) {
		res = TEE_ERROR_COMMUNICATION;
		goto free;
	}
	memcpy((uint8_t *)IMG_VA + s.offset, data, len);
	uint32_t w[4]; /* the UUID as OP-TEE's ABI has it: four little-endian words */
	memcpy(w, (const uint8_t *)DEST_VA, 16);
	struct optee_msg_param p[4];
	memset(p, 0, sizeof(p));
	p[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
	p[0].u.value.a = 0; /* OPTEE_INVOKE_PLUGIN */
	p[0].u.value.b = w[0];
	p[0].u.value.c = w[1];
	p[1].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
	p[1].u.value.a = w[2];
	p[1].u.value.b = w[3];
	p[1].u.value.c = (uint32_t)in->w[1];
	p[2].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INOUT;
	p[2].u.value.a = (uint32_t)in->w[2];
	p[3].attr = OPTEE_MSG_ATTR_TYPE_RMEM_INOUT;
	p[3].u.rmem.size = len;
	p[3].u.rmem.shm_ref = s.cookie;
	res = rpc_cmd(OPTEE_RPC_CMD_SUPP_PLUGIN, p, 4);
	if (res == TEE_SUCCESS && p[2].u.value.b > len) {
		printf("[rpc] a plugin answered %lu bytes into a %lu-byte buffer: refused\n",
		       (unsigned long)p[2].u.value.b, (unsigned long)len);
		res = TEE_ERROR_COMMUNICATION;
	}
	if (res == TEE_SUCCESS) {
		*out_len = p[2].u.value.b;
		memcpy(data, (const uint8_t *)IMG_VA + s.offset, *out_len);
	}
	mt_mem_unmap(IMG_VA, (size_t)s.npages * MT_PAGE_SIZE);
free:
	if (ns)
		mt_handle_close(ns);
	supp_free(&s);
out:
	mt_mem_unmap(DEST_VA, req_size);
	return res;
}

/* ---- the supplicant's file system (storage's REE-FS backend) ----
 * One supplicant buffer per command: the name at 0, the second name at
 * RPC_FS_NAME_MAX, the data at 2 * RPC_FS_NAME_MAX. What comes back is
 * copied out once and checked against the room it had. */
#define FS_NAME2_AT RPC_FS_NAME_MAX
#define FS_DATA_AT  (2U * RPC_FS_NAME_MAX)

/* The length of s, at most max (then it has no NUL in max bytes). */
static size_t bounded_len(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

/* A name we pass on: NUL-terminated, not empty, relative, no ".." part. */
static int fs_name_ok(const char *n)
{
	size_t len = bounded_len(n, RPC_FS_NAME_MAX);
	if (len == 0 || len == RPC_FS_NAME_MAX || n[0] == '/')
		return 0;
	for (size_t i = 0; i < len; i++)
		if (n[i] == '.' && n[i + 1] == '.' && (i == 0 || n[i - 1] == '/') &&
		    (n[i + 2] == '/' || n[i + 2] == 0))
			return 0;
	return 1;
}

static void fs_rmem(struct optee_msg_param *p, uint64_t attr, const struct supp_buf *s,
                    uint64_t offs, uint64_t size)
{
	p->attr = attr;
	p->u.rmem.offs = offs;
	p->u.rmem.size = size;
	p->u.rmem.shm_ref = s->cookie;
}

static uint32_t fs_cmd(const struct mt_msg *in, uint64_t *out)
{
	mt_handle_t req = MT_XFER_GET(in->handle, 0);
	unsigned long req_size = 0;
	if (!req || MT_SYS_R1(&req_size, SYS_SHM_MAP, req, DEST_VA, MT_PROT_R | MT_PROT_W) != MT_OK)
		return TEE_ERROR_BAD_PARAMETERS;
	uint32_t res = TEE_ERROR_BAD_PARAMETERS;
	struct rpc_fs_req q;
	uint8_t *data = (uint8_t *)DEST_VA + sizeof(q);
	static struct supp_buf s;
	mt_handle_t ns = 0;
	if (req_size < sizeof(q))
		goto out;
	memcpy(&q, (const void *)DEST_VA, sizeof(q)); /* once: the copy is what we use */
	int named = q.sub == OPTEE_RPC_FS_OPEN || q.sub == OPTEE_RPC_FS_CREATE ||
	            q.sub == OPTEE_RPC_FS_REMOVE || q.sub == OPTEE_RPC_FS_RENAME ||
	            q.sub == OPTEE_RPC_FS_OPENDIR;
	int moves = q.sub == OPTEE_RPC_FS_READ || q.sub == OPTEE_RPC_FS_WRITE ||
	            q.sub == OPTEE_RPC_FS_READDIR;
	if (q.sub > OPTEE_RPC_FS_READDIR || (named && !fs_name_ok(q.name)) ||
	    (q.sub == OPTEE_RPC_FS_RENAME && !fs_name_ok(q.name2)) ||
	    (moves && (q.len == 0 || q.len > RPC_FS_DATA_MAX || sizeof(q) + q.len > req_size)))
		goto out;
	uint64_t len = moves ? q.len : 0;
	res = supp_alloc(&s, FS_DATA_AT + len);
	if (res != TEE_SUCCESS)
		goto out;
	uint8_t *buf = (uint8_t *)IMG_VA;
	if (ns_pages_object(nsmem, s.pages, s.npages, &ns) != MT_OK ||
	    mt_shm_map(ns, IMG_VA, MT_PROT_R | MT_PROT_W) != MT_OK) {
		res = TEE_ERROR_COMMUNICATION;
		goto free;
	}
	buf += s.offset;
	memset(buf, 0, FS_DATA_AT);
	memcpy(buf, q.name, bounded_len(q.name, RPC_FS_NAME_MAX));
	if (q.sub == OPTEE_RPC_FS_RENAME)
		memcpy(buf + FS_NAME2_AT, q.name2, bounded_len(q.name2, RPC_FS_NAME_MAX));
	if (q.sub == OPTEE_RPC_FS_WRITE)
		memcpy(buf + FS_DATA_AT, data, len);
	struct optee_msg_param p[3];
	memset(p, 0, sizeof(p));
	p[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
	p[0].u.value.a = q.sub;
	uint32_t n = 1;
	switch (q.sub) {
	case OPTEE_RPC_FS_OPEN:
	case OPTEE_RPC_FS_CREATE:
	case OPTEE_RPC_FS_OPENDIR:
		fs_rmem(&p[1], OPTEE_MSG_ATTR_TYPE_RMEM_INPUT, &s, 0, RPC_FS_NAME_MAX);
		p[2].attr = OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT;
		n = 3;
		break;
	case OPTEE_RPC_FS_CLOSE:
	case OPTEE_RPC_FS_CLOSEDIR:
		p[0].u.value.b = q.fd;
		break;
	case OPTEE_RPC_FS_READ:
	case OPTEE_RPC_FS_WRITE:
		p[0].u.value.b = q.fd;
		p[0].u.value.c = q.offset;
		fs_rmem(&p[1],
		        q.sub == OPTEE_RPC_FS_READ ? OPTEE_MSG_ATTR_TYPE_RMEM_OUTPUT
		                                   : OPTEE_MSG_ATTR_TYPE_RMEM_INPUT,
		        &s, FS_DATA_AT, len);
		n = 2;
		break;
	case OPTEE_RPC_FS_TRUNCATE:
		p[0].u.value.b = q.fd;
		p[0].u.value.c = q.offset;
		break;
	case OPTEE_RPC_FS_REMOVE:
		fs_rmem(&p[1], OPTEE_MSG_ATTR_TYPE_RMEM_INPUT, &s, 0, RPC_FS_NAME_MAX);
		n = 2;
		break;
	case OPTEE_RPC_FS_RENAME:
		p[0].u.value.b = (q.flags & RPC_FS_OVERWRITE) != 0;
		fs_rmem(&p[1], OPTEE_MSG_ATTR_TYPE_RMEM_INPUT, &s, 0, RPC_FS_NAME_MAX);
		fs_rmem(&p[2], OPTEE_MSG_ATTR_TYPE_RMEM_INPUT, &s, FS_NAME2_AT, RPC_FS_NAME_MAX);
		n = 3;
		break;
	default: /* OPTEE_RPC_FS_READDIR */
		p[0].u.value.b = q.fd;
		fs_rmem(&p[1], OPTEE_MSG_ATTR_TYPE_RMEM_OUTPUT, &s, FS_DATA_AT, len);
		n = 2;
		break;
	}
	res = rpc_cmd(OPTEE_RPC_CMD_FS, p, n);
	if (res == TEE_SUCCESS) {
		/* The answer: every value checked before it is used. */
		uint64_t got = p[1].u.rmem.size;
		switch (q.sub) {
		case OPTEE_RPC_FS_OPEN:
		case OPTEE_RPC_FS_CREATE:
		case OPTEE_RPC_FS_OPENDIR:
			if (p[2].u.value.a > 0xFFFFFFFFULL)
				res = TEE_ERROR_COMMUNICATION;
			*out = p[2].u.value.a;
			break;
		case OPTEE_RPC_FS_READ:
		case OPTEE_RPC_FS_READDIR:
			if (got > len) {
				res = TEE_ERROR_COMMUNICATION;
				break;
			}
			memcpy(data, buf + FS_DATA_AT, got);
			if (q.sub == OPTEE_RPC_FS_READDIR &&
			    (got == 0 || data[got - 1] != 0 ||
			     bounded_len((char *)data, got) != got - 1))
				res = TEE_ERROR_COMMUNICATION;
			*out = got;
			break;
		default:
			break;
		}
		if (res != TEE_SUCCESS)
			printf("[rpc] refused the supplicant's answer to FS command %u\n", q.sub);
	}
	mt_mem_unmap(IMG_VA, (size_t)s.npages * MT_PAGE_SIZE);
free:
	if (ns)
		mt_handle_close(ns);
	supp_free(&s);
out:
	mt_mem_unmap(DEST_VA, req_size);
	return res;
}

static uint32_t get_time(uint64_t *sec, uint64_t *nsec)
{
	struct optee_msg_param p;
	memset(&p, 0, sizeof(p));
	p.attr = OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT;
	uint32_t res = rpc_cmd(OPTEE_RPC_CMD_GET_TIME, &p, 1);
	if (res != TEE_SUCCESS)
		return res;
	if ((p.attr & OPTEE_MSG_ATTR_TYPE_MASK) != OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT ||
	    p.u.value.a > 0xFFFFFFFFULL || p.u.value.b >= 1000000000ULL)
		return TEE_ERROR_COMMUNICATION;
	*sec = p.u.value.a;
	*nsec = p.u.value.b;
	return TEE_SUCCESS;
}

/* The badge bit each request needs: checked before anything else. */
static uint64_t op_needs(uint64_t op)
{
	switch (op) {
	case RPC_OP_GET_TIME:
		return RPC_ALLOW_TIME;
	case RPC_OP_LOAD_TA:
		return RPC_ALLOW_LOAD_TA;
	case RPC_OP_FS:
		return RPC_ALLOW_FS;
	case RPC_OP_PLUGIN:
		return RPC_ALLOW_PLUGIN;
	default:
		return 0;
	}
}

static void serve(const struct mt_msg *in, uint64_t w[4])
{
	uint64_t need = op_needs(in->w[0]);
	w[0] = TEE_ERROR_NOT_SUPPORTED;
	if (!need)
		return;
	if (!(in->badge & need)) {
		w[0] = TEE_ERROR_ACCESS_DENIED;
		return;
	}
	switch (in->w[0]) {
	case RPC_OP_GET_TIME:
		w[0] = get_time(&w[1], &w[2]);
		break;
	case RPC_OP_LOAD_TA:
		w[0] = load_ta(in, &w[1]);
		break;
	case RPC_OP_PLUGIN:
		w[0] = plugin(in, &w[1]);
		break;
	case RPC_OP_FS:
		w[0] = fs_cmd(in, &w[1]);
		break;
	default:
		break;
	}
}

int mt_main(unsigned long arg, unsigned long arg2)
{
	(void)arg2;
	mt_handle_t ep = arg & 0xff;
	nsmem = (arg >> 8) & 0xff;
	nwrpc = (arg >> 16) & 0xff;
	printf("[rpc] serving RPCs to the normal world\n");
	struct mt_msg m;
	long rc = mt_recv(ep, &m);
	while (rc == MT_OK) {
		struct mt_msg r = {{0}, 0, 0};
		serve(&m, r.w);
		/* Handles a request brought are used up now: close them all, so
		 * none pile up here. */
		for (unsigned i = 0; m.handle && i < MT_XFER_MAX; i++)
			if (MT_XFER_GET(m.handle, i))
				mt_handle_close(MT_XFER_GET(m.handle, i));
		m = r;
		rc = mt_reply_recv(ep, &m, MT_RR_REPLY | MT_RR_RECV);
	}
	printf("[rpc] receive failed: %ld\n", rc);
	return 1;
}
