/* The key service's requests: one message in, one reply out (keys_serve).
 * Who is calling (init's client table, by badge), the request's data
 * object, mapped for that request only, its spans, and the checks each
 * request makes before keys.c derives, seals, unseals or attests. main.c
 * starts the service and runs the loop. Every request is untrusted: bad
 * spans, handles, sizes or data get an error. */
#include <stdio.h>
#include <string.h>

#include "keys.h"

/* Private copies of a request's input and its output, so a client that
 * changes its shared memory meanwhile changes nothing here. */
#define BUF_MAX KEY_SEALED_SIZE(KEY_SEAL_MAX)
_Static_assert(BUF_MAX >= KEY_REPORT_MAX, "output buffer");
static uint8_t in_buf[BUF_MAX], out_buf[BUF_MAX];

/* Not a constant, so the compiler does not see the fault coming. */
volatile int *volatile keys_crash_at = (volatile int *)24;

struct window {
	uint8_t *p;
	size_t size;
};

/* Who is calling: a TA if init's table has its badge. The entry is read
 * twice around the UUID, so an entry init clears meanwhile is not used. */
static void find_caller(const volatile struct key_client *table, uint64_t badge, struct caller *c)
{
	memset(c, 0, sizeof(*c));
	c->badge = badge;
	if (!badge || !table)
		return;
	for (unsigned i = 0; i < KEY_CLIENTS_MAX; i++) {
		if (table[i].badge != badge)
			continue;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		for (unsigned j = 0; j < 16; j++)
			c->uuid[j] = table[i].uuid[j];
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		c->is_ta = table[i].badge == badge;
		return;
	}
}

static uint32_t window_map(mt_handle_t shm, struct window *w)
{
	unsigned long size = 0;
	if (!shm)
		return TEE_ERROR_BAD_PARAMETERS;
	long rc = MT_SYS_R1(&size, SYS_SHM_MAP, shm, KEYS_WIN_VA, MT_PROT_R | MT_PROT_W);
	if (rc != MT_OK)
		return rc == MT_EPERM ? TEE_ERROR_ACCESS_DENIED : TEE_ERROR_BAD_PARAMETERS;
	w->p = (uint8_t *)KEYS_WIN_VA;
	w->size = size;
	if (size > KEY_WINDOW_MAX) {
		mt_mem_unmap(KEYS_WIN_VA, size);
		w->p = 0;
		return TEE_ERROR_BAD_PARAMETERS;
	}
	return TEE_SUCCESS;
}

/* A span of the window, or 0 if it does not lie inside it. */
static uint8_t *span(const struct window *w, uint64_t s, size_t *len)
{
	uint64_t off = KEY_SPAN_OFF(s), n = KEY_SPAN_LEN(s);
	if (off + n > w->size) /* 32-bit values: the sum cannot wrap */
		return 0;
	*len = (size_t)n;
	return w->p + off;
}

static uint32_t short_buffer(struct reply *r, size_t need)
{
	r->w[1] = need;
	return TEE_ERROR_SHORT_BUFFER;
}

static uint32_t do_device_info(const struct window *w, const uint64_t *m, struct reply *r)
{
	size_t cap = 0;
	uint8_t *out = span(w, m[2], &cap);
	if (!out)
		return TEE_ERROR_BAD_PARAMETERS;
	struct key_device_info info;
	if (cap < sizeof(info))
		return short_buffer(r, sizeof(info));
	keys_device_info(&info);
	memcpy(out, &info, sizeof(info));
	r->w[1] = sizeof(info);
	return TEE_SUCCESS;
}

static uint32_t do_derive(const struct caller *c, const struct window *w, const uint64_t *m,
                          struct reply *r)
{
	size_t label_len = 0, key_len = 0;
	const uint8_t *label = span(w, m[1], &label_len);
	uint8_t *out = span(w, m[2], &key_len);
	if (!label || !out || label_len > KEY_LABEL_MAX || key_len < KEY_DERIVE_MIN ||
	    key_len > KEY_DERIVE_MAX)
		return TEE_ERROR_BAD_PARAMETERS;
	memcpy(in_buf, label, label_len);
	if (keys_derive(c->uuid, in_buf, label_len, out_buf, key_len) != 0)
		return TEE_ERROR_GENERIC;
	memcpy(out, out_buf, key_len);
	keys_wipe(out_buf, key_len);
	r->w[1] = key_len;
	return TEE_SUCCESS;
}

static uint32_t do_seal(const struct caller *c, const struct window *w, const uint64_t *m,
                        struct reply *r)
{
	size_t len = 0, cap = 0;
	const uint8_t *in = span(w, m[1], &len);
	uint8_t *out = span(w, m[2], &cap);
	if (!in || !out || len > KEY_SEAL_MAX)
		return TEE_ERROR_BAD_PARAMETERS;
	if (cap < KEY_SEALED_SIZE(len))
		return short_buffer(r, KEY_SEALED_SIZE(len));
	memcpy(in_buf, in, len);
	uint32_t res = keys_seal(c->uuid, in_buf, len, out_buf);
	bulk_wipe(in_buf, len);
	if (res != TEE_SUCCESS)
		return res;
	memcpy(out, out_buf, KEY_SEALED_SIZE(len));
	r->w[1] = KEY_SEALED_SIZE(len);
	return TEE_SUCCESS;
}

static uint32_t do_unseal(const struct caller *c, const struct window *w, const uint64_t *m,
                          struct reply *r)
{
	size_t len = 0, cap = 0, out_len = 0;
	const uint8_t *in = span(w, m[1], &len);
	uint8_t *out = span(w, m[2], &cap);
	if (!in || !out)
		return TEE_ERROR_BAD_PARAMETERS;
	if (len < KEY_SEALED_OVERHEAD || len > KEY_SEALED_SIZE(KEY_SEAL_MAX))
		return TEE_ERROR_BAD_FORMAT;
	memcpy(in_buf, in, len);
	if (cap < len - KEY_SEALED_OVERHEAD)
		return short_buffer(r, len - KEY_SEALED_OVERHEAD);
	uint32_t res = keys_unseal(c->uuid, in_buf, len, out_buf, &out_len);
	if (res == TEE_SUCCESS) {
		memcpy(out, out_buf, out_len);
		r->w[1] = out_len;
	}
	bulk_wipe(out_buf, out_len);
	return res;
}

/* KEY_OP_STORE_SEAL and KEY_OP_STORE_UNSEAL (the storage service only):
 * the request header, the aad and the data or blob, all in one span. */
static uint32_t do_store(uint64_t op, const struct window *w, const uint64_t *m, struct reply *r)
{
	size_t len = 0, cap = 0, out_len = 0;
	const uint8_t *in = span(w, m[1], &len);
	uint8_t *out = span(w, m[2], &cap);
	struct key_store_req q;
	if (!in || !out || len < sizeof(q) ||
	    len > sizeof(q) + KEY_STORE_AAD_MAX + KEY_STORE_SEALED_SIZE(KEY_STORE_DATA_MAX))
		return TEE_ERROR_BAD_PARAMETERS;
	_Static_assert(sizeof(q) + KEY_STORE_AAD_MAX + KEY_STORE_SEALED_SIZE(KEY_STORE_DATA_MAX) <=
	                   sizeof(in_buf),
	               "in_buf holds a storage request");
	memcpy(in_buf, in, len); /* the whole span, once: no double fetch */
	memcpy(&q, in_buf, sizeof(q));
	if (q.aad_len > KEY_STORE_AAD_MAX || len - sizeof(q) < q.aad_len ||
	    len - sizeof(q) - q.aad_len != q.len)
		return TEE_ERROR_BAD_PARAMETERS;
	const uint8_t *aad = in_buf + sizeof(q), *body = aad + q.aad_len;
	uint32_t res;
	if (op == KEY_OP_STORE_SEAL) {
		if (q.len > KEY_STORE_DATA_MAX)
			return TEE_ERROR_BAD_PARAMETERS;
		if (cap < KEY_STORE_SEALED_SIZE(q.len))
			return short_buffer(r, KEY_STORE_SEALED_SIZE(q.len));
		res = keys_store_seal(q.owner, aad, q.aad_len, body, q.len, out_buf);
		bulk_wipe(in_buf, len);
		if (res != TEE_SUCCESS)
			return res;
		memcpy(out, out_buf, KEY_STORE_SEALED_SIZE(q.len));
		r->w[1] = KEY_STORE_SEALED_SIZE(q.len);
		return TEE_SUCCESS;
	}
	if (q.len < KEY_SEALED_OVERHEAD || q.len > KEY_STORE_SEALED_SIZE(KEY_STORE_DATA_MAX))
		return TEE_ERROR_BAD_FORMAT;
	if (cap < q.len - KEY_SEALED_OVERHEAD)
		return short_buffer(r, q.len - KEY_SEALED_OVERHEAD);
	res = keys_store_unseal(q.owner, aad, q.aad_len, body, q.len, out_buf, &out_len);
	if (res == TEE_SUCCESS) {
		memcpy(out, out_buf, out_len);
		r->w[1] = out_len;
	}
	bulk_wipe(out_buf, out_len);
	return res;
}

/* KEY_OP_OBJ_SEAL and KEY_OP_OBJ_UNSEAL (the crypto service only): the
 * request header names the crypto service's client, whose UUID init wrote
 * under that badge | KEY_CLIENT_CRYPTO. */
static uint32_t do_obj(const volatile struct key_client *table, uint64_t op, const struct window *w,
                       const uint64_t *m, struct reply *r)
{
	size_t len = 0, cap = 0, out_len = 0;
	const uint8_t *in = span(w, m[1], &len);
	uint8_t *out = span(w, m[2], &cap);
	struct key_obj_req q;
	if (!in || !out || len < sizeof(q) || len > sizeof(q) + KEY_OBJ_BLOB_SIZE(KEY_OBJ_DATA_MAX))
		return TEE_ERROR_BAD_PARAMETERS;
	_Static_assert(sizeof(q) + KEY_OBJ_BLOB_SIZE(KEY_OBJ_DATA_MAX) <= sizeof(in_buf),
	               "in_buf holds an object request");
	memcpy(in_buf, in, len);
	memcpy(&q, in_buf, sizeof(q));
	if (q.reserved || q.len != len - sizeof(q) || !q.client || (q.client & KEY_CLIENT_CRYPTO))
		return TEE_ERROR_BAD_PARAMETERS;
	struct caller c;
	find_caller(table, q.client | KEY_CLIENT_CRYPTO, &c);
	const uint8_t *body = in_buf + sizeof(q);
	uint32_t res;
	if (!c.is_ta) {
		res = TEE_ERROR_ACCESS_DENIED;
	} else if (op == KEY_OP_OBJ_SEAL) {
		if (q.len > KEY_OBJ_DATA_MAX) {
			res = TEE_ERROR_BAD_PARAMETERS;
		} else if (cap < KEY_OBJ_BLOB_SIZE(q.len)) {
			res = short_buffer(r, KEY_OBJ_BLOB_SIZE(q.len));
		} else if ((res = keys_obj_seal(c.uuid, body, q.len, out_buf)) == TEE_SUCCESS) {
			memcpy(out, out_buf, KEY_OBJ_BLOB_SIZE(q.len));
			r->w[1] = KEY_OBJ_BLOB_SIZE(q.len);
		}
	} else if (q.len < KEY_OBJ_BLOB_SIZE(0)) {
		res = TEE_ERROR_CORRUPT_OBJECT;
	} else if (cap < q.len - KEY_OBJ_BLOB_SIZE(0)) {
		res = short_buffer(r, q.len - KEY_OBJ_BLOB_SIZE(0));
	} else if ((res = keys_obj_unseal(c.uuid, body, q.len, out_buf, &out_len)) == TEE_SUCCESS) {
		memcpy(out, out_buf, out_len);
		r->w[1] = out_len;
	}
	bulk_wipe(in_buf, len);
	bulk_wipe(out_buf, KEY_OBJ_BLOB_SIZE(KEY_OBJ_DATA_MAX)); /* the plaintext, or a copy */
	return res;
}

static uint32_t do_attest(int measured, const struct caller *c, const struct window *w,
                          const uint64_t *m, struct reply *r)
{
	size_t nonce_len = 0, cap = 0, len = 0;
	const uint8_t *nonce = span(w, m[1], &nonce_len);
	uint8_t *out = span(w, m[2], &cap);
	if (!nonce || !out || nonce_len == 0 || nonce_len > KEY_NONCE_MAX)
		return TEE_ERROR_BAD_PARAMETERS;
	if (!measured)
		return TEE_ERROR_BAD_STATE;
	size_t need =
	    sizeof(struct key_report) + nmeas * sizeof(struct key_report_meas) + KEY_REPORT_SIG_LEN;
	if (cap < need)
		return short_buffer(r, need);
	memcpy(in_buf, nonce, nonce_len);
	uint32_t res = keys_attest(c->uuid, in_buf, nonce_len, out_buf, &len);
	if (res != TEE_SUCCESS)
		return res;
	memcpy(out, out_buf, len);
	r->w[1] = len;
	return TEE_SUCCESS;
}

uint32_t keys_serve(const struct keys_conf *conf, const struct mt_msg *m, struct reply *r)
{
	uint64_t op = m->w[0];
	mt_handle_t shm = MT_XFER_GET(m->handle, 0);
	/* Only slot 0 is ever used; whatever else came goes at once. */
	for (unsigned i = 1; i < MT_XFER_MAX; i++)
		if (MT_XFER_GET(m->handle, i))
			mt_handle_close(MT_XFER_GET(m->handle, i));

	uint32_t res;
	struct caller c;
	find_caller(conf->table, m->badge, &c);
	switch (op) {
	case KEY_OP_HELLO:
		r->w[1] = KEY_HELLO_MAGIC;
		r->w[2] = KEY_PROTOCOL_VERSION;
		r->w[3] = conf->state | (uint64_t)conf->run_tag << 32;
		res = TEE_SUCCESS;
		break;
	case KEY_OP_TEST_CRASH:
		if (!conf->test_hooks) {
			res = TEE_ERROR_NOT_SUPPORTED;
			break;
		}
		printf("[keys] crashing on request (test hook)\n");
		*keys_crash_at = 1;
		res = TEE_ERROR_GENERIC;
		break;
	case KEY_OP_STORE_SEAL:
	case KEY_OP_STORE_UNSEAL: {
		if (m->badge != KEY_BADGE_STORAGE) {
			res = TEE_ERROR_ACCESS_DENIED;
			break;
		}
		struct window w = {0, 0};
		res = window_map(shm, &w);
		if (res != TEE_SUCCESS)
			break;
		res = do_store(op, &w, m->w, r);
		mt_mem_unmap(KEYS_WIN_VA, w.size);
		break;
	}
	case KEY_OP_OBJ_SEAL:
	case KEY_OP_OBJ_UNSEAL: {
		if (m->badge != KEY_BADGE_CRYPTO) {
			res = TEE_ERROR_ACCESS_DENIED;
			break;
		}
		struct window w = {0, 0};
		res = window_map(shm, &w);
		if (res != TEE_SUCCESS)
			break;
		res = do_obj(conf->table, op, &w, m->w, r);
		mt_mem_unmap(KEYS_WIN_VA, w.size);
		break;
	}
	case KEY_OP_DEVICE_INFO:
	case KEY_OP_DERIVE:
	case KEY_OP_SEAL:
	case KEY_OP_UNSEAL:
	case KEY_OP_ATTEST: {
		/* All but the public device information is for TAs only, each
		 * for itself. */
		if (op != KEY_OP_DEVICE_INFO && !c.is_ta) {
			res = TEE_ERROR_ACCESS_DENIED;
			break;
		}
		struct window w = {0, 0};
		res = window_map(shm, &w);
		if (res != TEE_SUCCESS)
			break;
		res = op == KEY_OP_DEVICE_INFO ? do_device_info(&w, m->w, r)
		      : op == KEY_OP_DERIVE    ? do_derive(&c, &w, m->w, r)
		      : op == KEY_OP_SEAL      ? do_seal(&c, &w, m->w, r)
		      : op == KEY_OP_UNSEAL    ? do_unseal(&c, &w, m->w, r)
		                               : do_attest(conf->measured, &c, &w, m->w, r);
		mt_mem_unmap(KEYS_WIN_VA, w.size);
		break;
	}
	default:
		res = TEE_ERROR_NOT_SUPPORTED;
		break;
	}
	if (shm)
		mt_handle_close(shm);
	return res;
}

