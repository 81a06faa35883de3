/* Persistent keys: a key object exported for storage and imported again
 * (crypto_ipc.h, CRYPTO_OP_OBJ_EXPORT / _IMPORT / _RESTRICT; docs/storage.md,
 * "Stored attributes"). The key material never leaves the service in the
 * clear: an export is the object's image (objimg.h) sealed by the key
 * service for the TA that is the caller (KEY_OP_OBJ_SEAL names it by its
 * badge, init's client table has its UUID), so only the same TA on the
 * same device can import it; the TA only carries the blob to storage and
 * back. An import checks the image as a populate would check the
 * attributes. The usage flags travel in the image, and the service
 * enforces the one that matters for secrecy: without TEE_USAGE_EXTRACTABLE
 * no secret attribute is given out (obj_get_attr). */
#include <string.h>

#include "../../include/microtee/key_ipc.h"
#include "crypto.h"
#include "mt.h"
#include "objimg.h"

/* Our buffer for the key service: a request and its answer. */
#define KEYBUF_VA   (MT_USER_SHM + (uintptr_t)MAX_CLIENTS * 0x200000UL)
#define KEYBUF_SIZE (24 * 1024)
_Static_assert(2 * (sizeof(struct key_obj_req) + KEY_OBJ_BLOB_SIZE(KEY_OBJ_DATA_MAX)) <=
                   KEYBUF_SIZE,
               "a request and its answer fit the buffer");

_Static_assert(CRYPTO_OBJ_BLOB_MAX == KEY_OBJ_BLOB_SIZE(KEY_OBJ_DATA_MAX), "the largest blob");

static mt_handle_t keys_ep, keybuf_shm;
static uint8_t *keybuf;
static uint8_t image[KEY_OBJ_DATA_MAX];

int persist_init(unsigned long keys)
{
	keys_ep = keys;
	if (!keys || mt_shm_create(KEYBUF_SIZE, &keybuf_shm) != MT_OK)
		return 0;
	if (MT_SYS(SYS_SHM_MAP, keybuf_shm, KEYBUF_VA, MT_PROT_R | MT_PROT_W) == MT_OK)
		keybuf = (uint8_t *)KEYBUF_VA;
	return keybuf != 0;
}

/* One KEY_OP_OBJ_* request for client c: in (n bytes) -> out (*out_len,
 * at most cap). The key service's answer is the result. */
static TEE_Result key_call(const struct client *c, uint64_t op, const uint8_t *in, size_t n,
                           uint8_t *out, size_t cap, size_t *out_len)
{
	if (!keybuf)
		return TEE_ERROR_NOT_SUPPORTED; /* no key service: no persistent keys */
	struct key_obj_req q = {c->badge, (uint32_t)n, 0};
	size_t room = KEYBUF_SIZE / 2;
	if (sizeof(q) + n > room || cap > room)
		return TEE_ERROR_BAD_PARAMETERS;
	memcpy(keybuf, &q, sizeof(q));
	memcpy(keybuf + sizeof(q), in, n);
	TEE_Result res = TEE_ERROR_COMMUNICATION;
	for (int attempt = 0; attempt < 2; attempt++) {
		struct mt_msg m = {{op, KEY_SPAN(0, sizeof(q) + n), KEY_SPAN(room, cap), 0},
		                   MT_XFER(keybuf_shm, 0, 0, 0),
		                   0};
		long rc = mt_call(keys_ep, &m);
		if (rc == MT_EPEERDEAD)
			continue; /* init restarts it; it keeps nothing of ours */
		if (rc != MT_OK)
			break;
		res = (TEE_Result)m.w[0];
		if (res == TEE_SUCCESS && m.w[1] > cap)
			res = TEE_ERROR_COMMUNICATION;
		if (res == TEE_SUCCESS) {
			memcpy(out, keybuf + room, m.w[1]);
			*out_len = m.w[1];
		}
		break;
	}
	memset(keybuf, 0, KEYBUF_SIZE);
	return res;
}

TEE_Result obj_restrict(struct client *c, const uint64_t *w, struct reply *r)
{
	struct object *o = obj_lookup(c, w[1]);
	if (!o)
		return fail(r, TEE_ERROR_ITEM_NOT_FOUND, CRYPTO_REASON_BAD_ID);
	o->usage &= (uint32_t)w[2];
	r->w[1] = o->usage;
	return TEE_SUCCESS;
}

TEE_Result obj_export(struct client *c, const uint64_t *w, struct reply *r)
{
	struct object *o = obj_lookup(c, w[1]);
	if (!o)
		return fail(r, TEE_ERROR_ITEM_NOT_FOUND, CRYPTO_REASON_BAD_ID);
	if (!o->init)
		return BADSTATE(r);
	struct span out;
	if (!span_get(c, w[2], &out))
		return BADSPAN(r);
	struct crypto_obj_image h = {0};
	h.type = o->type;
	h.max_bits = o->max_bits;
	h.key_bits = o->key_bits;
	h.usage = o->usage;
	size_t len = 0, blob_len = 0;
	if (objimg_write(image, sizeof(image), &h, o->attrs, o->nattrs, &len))
		return BADP(r);
	if (out.len < KEY_OBJ_BLOB_SIZE(len)) {
		memset(image, 0, len);
		r->w[1] = KEY_OBJ_BLOB_SIZE(len);
		return TEE_ERROR_SHORT_BUFFER;
	}
	/* The blob straight into the window: only sealed bytes go there. */
	TEE_Result res =
	    key_call(c, KEY_OP_OBJ_SEAL, image, len, out.p, KEY_OBJ_BLOB_SIZE(len), &blob_len);
	memset(image, 0, len);
	if (res != TEE_SUCCESS)
		return fail(r, res, CRYPTO_REASON_NONE);
	r->w[1] = blob_len;
	return TEE_SUCCESS;
}

TEE_Result obj_import(struct client *c, const uint64_t *w, struct reply *r)
{
	struct span in;
	if (!span_get(c, w[1], &in))
		return BADSPAN(r);
	if (in.len > KEY_OBJ_BLOB_SIZE(KEY_OBJ_DATA_MAX) || in.len < KEY_OBJ_BLOB_SIZE(0))
		return fail(r, TEE_ERROR_CORRUPT_OBJECT, CRYPTO_REASON_NONE);
	size_t len = 0;
	const uint8_t *blob = span_copy(&in);
	TEE_Result res = key_call(c, KEY_OP_OBJ_UNSEAL, blob, in.len, image, sizeof(image), &len);
	if (res != TEE_SUCCESS)
		return fail(r, res, CRYPTO_REASON_NONE);
	struct crypto_obj_image h;
	struct attr a[OBJ_MAX_ATTRS];
	unsigned n = 0;
	/* Sealed by us for this TA, and checked all the same. */
	if (objimg_read(image, len, &h, a, &n)) {
		memset(image, 0, sizeof(image));
		return fail(r, TEE_ERROR_CORRUPT_OBJECT, CRYPTO_REASON_NONE);
	}
	uint64_t aw[4] = {CRYPTO_OP_OBJ_ALLOC, h.type, h.max_bits, 0};
	res = obj_alloc(c, aw, r);
	if (res != TEE_SUCCESS) {
		memset(image, 0, sizeof(image));
		return res == TEE_ERROR_NOT_SUPPORTED ? fail(r, TEE_ERROR_CORRUPT_OBJECT, 0) : res;
	}
	uint64_t id = r->w[1];
	struct object *o = obj_lookup(c, id);
	res = obj_fill(o, a, n);
	memset(image, 0, sizeof(image));
	if (res == TEE_SUCCESS && o->key_bits != h.key_bits)
		res = TEE_ERROR_CORRUPT_OBJECT;
	if (res != TEE_SUCCESS) {
		uint64_t fw[4] = {CRYPTO_OP_OBJ_FREE, id, 0, 0};
		obj_free(c, fw, r);
		return fail(r, res == TEE_ERROR_OUT_OF_MEMORY ? res : TEE_ERROR_CORRUPT_OBJECT,
		            res == TEE_ERROR_OUT_OF_MEMORY ? CRYPTO_REASON_LIMIT : 0);
	}
	o->usage = h.usage;
	r->w[1] = id;
	r->w[2] = o->type | (uint64_t)o->max_bits << 32;
	r->w[3] = o->key_bits | (uint64_t)o->usage << 32;
	return TEE_SUCCESS;
}
