/* The storage service's requests (storage_ipc.h): who is calling (init's
 * client table, by badge), the open handles and GP's access and sharing
 * rules, data positions, and the calls into the flash store. Every request
 * is untrusted: bad handles, spans, flags, sizes and ids get a GP error.
 *
 * Every object is (backend, owner, id), the owner always the caller's UUID
 * from the table, so no request can name, open, list or delete another
 * TA's object. The backend (STORE_BACKEND_*) is chosen at open or create
 * and stays with the handle; the calls go through ree.c.
 * An update rewrites the whole object (at most STORE_DATA_MAX bytes) in one
 * flashstore record: each write, truncation, creation, rename or deletion
 * is atomic. An object's stored data is its attributes (the backend's aux
 * says how many bytes: storage_ipc.h, STORE_ATTRS_MAX), then its data; the
 * service never looks inside the attributes, and every size and position
 * a TA sees is the data's. */
#include <stdio.h>
#include <string.h>

#include "reefs.h"
#include "storage.h"

#define FLAGS_ACCESS                                                                  \
	(TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_ACCESS_WRITE |                      \
	 TEE_DATA_FLAG_ACCESS_WRITE_META)
#define FLAGS_SHARE (TEE_DATA_FLAG_SHARE_READ | TEE_DATA_FLAG_SHARE_WRITE)
#define FLAGS_ALL (FLAGS_ACCESS | FLAGS_SHARE | TEE_DATA_FLAG_OVERWRITE)

struct caller {
	uint64_t badge;
	int is_ta;
	uint8_t uuid[16];
};

struct handle {
	int used;
	uint16_t gen;
	uint64_t badge;
	uint8_t owner[16];
	uint8_t id[STORE_ID_MAX];
	unsigned id_len;
	uint32_t flags; /* FLAGS_ACCESS | FLAGS_SHARE */
	uint64_t pos;
	unsigned be; /* STORE_BACKEND_*: where the object is */
};

static struct handle handles[STORE_HANDLES_MAX];
static uint8_t data[STORE_DATA_MAX];    /* an object's data being changed */
static uint8_t in_buf[STORE_DATA_MAX];  /* a request's input, copied out once */
static uint8_t id_buf[STORE_ID_MAX], id2_buf[STORE_ID_MAX];

struct window {
	uint8_t *p;
	size_t size;
};

static int badge_in_table(const volatile struct key_client *t, uint64_t badge)
{
	for (unsigned i = 0; t && badge && i < KEY_CLIENTS_MAX; i++)
		if (t[i].badge == badge)
			return 1;
	return 0;
}

/* The caller's UUID from init's table; read twice around the UUID so an
 * entry init clears meanwhile is not used. */
static void find_caller(const volatile struct key_client *t, uint64_t badge, struct caller *c)
{
	memset(c, 0, sizeof(*c));
	c->badge = badge;
	for (unsigned i = 0; t && badge && i < KEY_CLIENTS_MAX; i++) {
		if (t[i].badge != badge)
			continue;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		for (unsigned j = 0; j < 16; j++)
			c->uuid[j] = t[i].uuid[j];
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		c->is_ta = t[i].badge == badge;
		return;
	}
}

/* Drops the handles of clients that have ended (init cleared their entry). */
static void sweep(const volatile struct key_client *t)
{
	for (unsigned i = 0; i < STORE_HANDLES_MAX; i++)
		if (handles[i].used && !badge_in_table(t, handles[i].badge)) {
			handles[i].used = 0;
			handles[i].gen++;
		}
}

static uint64_t handle_value(const struct store_conf *conf, unsigned slot)
{
	return (uint64_t)conf->run_tag << 32 | (uint64_t)handles[slot].gen << 16 | slot;
}

static struct handle *handle_get(const struct store_conf *conf, const struct caller *c,
				 uint64_t v)
{
	unsigned slot = (unsigned)(v & 0xFFFF);
	if ((uint32_t)(v >> 32) != conf->run_tag || slot >= STORE_HANDLES_MAX)
		return 0;
	struct handle *h = &handles[slot];
	if (!h->used || h->gen != (uint16_t)(v >> 16) || h->badge != c->badge ||
	    memcmp(h->owner, c->uuid, 16) != 0)
		return 0;
	return h;
}

static void handle_put(struct handle *h)
{
	h->used = 0;
	h->gen++;
}

static int same_object(const struct handle *h, unsigned be, const uint8_t owner[16],
                       const uint8_t *id, unsigned id_len)
{
	return h->used && h->be == be && h->id_len == id_len && memcmp(h->owner, owner, 16) == 0 &&
	       memcmp(h->id, id, id_len) == 0;
}

/* May a handle with flags b be opened while one with flags a is open? GP:
 * a handle with write-meta access is alone; all handles agree on the
 * share flags, and those allow every access any of them has. */
static int compatible(uint32_t a, uint32_t b)
{
	if ((a | b) & TEE_DATA_FLAG_ACCESS_WRITE_META)
		return 0;
	if ((a & FLAGS_SHARE) != (b & FLAGS_SHARE))
		return 0;
	if (((a | b) & TEE_DATA_FLAG_ACCESS_READ) && !(a & TEE_DATA_FLAG_SHARE_READ))
		return 0;
	if (((a | b) & TEE_DATA_FLAG_ACCESS_WRITE) && !(a & TEE_DATA_FLAG_SHARE_WRITE))
		return 0;
	return 1;
}

/* A free slot if the client may have one more handle, else -1. */
static int slot_for(uint64_t badge)
{
	int free_slot = -1;
	unsigned mine = 0;
	for (unsigned i = 0; i < STORE_HANDLES_MAX; i++) {
		if (handles[i].used)
			mine += handles[i].badge == badge;
		else if (free_slot < 0)
			free_slot = (int)i;
	}
	return mine < STORE_HANDLES_PER_CLIENT ? free_slot : -1;
}

static uint32_t fs_result(struct store_conf *conf, int rc)
{
	switch (rc) {
	case FS_OK:
		return TEE_SUCCESS;
	case FS_ENOENT:
		return TEE_ERROR_ITEM_NOT_FOUND;
	case FS_EEXIST:
		return TEE_ERROR_ACCESS_CONFLICT;
	case FS_ENOSPC:
		return TEE_ERROR_STORAGE_NO_SPACE;
	case FS_ECORRUPT:
		return TEE_ERROR_CORRUPT_OBJECT;
	case FS_EINVAL:
		return TEE_ERROR_BAD_PARAMETERS;
	case RF_ENOTAVAIL: /* the REE backend: no normal world or no supplicant */
		return TEE_ERROR_STORAGE_NOT_AVAILABLE;
	case FS_EIO:
		printf("[storage] flash or key service failed: mounting again\n");
		conf->remount();
		return TEE_ERROR_STORAGE_NOT_AVAILABLE;
	default:
		return TEE_ERROR_GENERIC;
	}
}

/* An object's data size and attribute bytes; stored aux beyond its length
 * (or beyond STORE_ATTRS_MAX) is damage. */
static uint32_t obj_stat(struct store_conf *conf, unsigned be, const uint8_t owner[16],
                         const uint8_t *id, unsigned id_len, uint32_t *dlen, uint32_t *aux)
{
	uint32_t len = 0;
	*aux = 0;
	uint32_t res = fs_result(conf, store_be_stat(conf, be, owner, id, id_len, &len, aux));
	if (res != TEE_SUCCESS)
		return res;
	if (*aux > len || *aux > STORE_ATTRS_MAX)
		return TEE_ERROR_CORRUPT_OBJECT;
	*dlen = len - *aux;
	return TEE_SUCCESS;
}

/* The owner's quota (storage_ipc.h) with the object (be, id) at new_len
 * bytes in the flash store (the REE backend: its entry), after old_len if
 * it exists. */
static uint32_t quota_ok(struct store_conf *conf, unsigned be, const uint8_t owner[16], int exists,
                         uint32_t old_len, uint32_t new_len)
{
	return fs_quota_ok(conf->fs, owner, exists, old_len, new_len, be == STORE_BACKEND_FLASH,
	                   STORE_OWNER_OBJECTS, STORE_OWNER_BYTES)
	           ? TEE_SUCCESS
	           : TEE_ERROR_STORAGE_NO_SPACE;
}

static uint32_t window_map(mt_handle_t shm, struct window *w)
{
	unsigned long size = 0;
	w->p = 0;
	w->size = 0;
	if (!shm)
		return TEE_ERROR_BAD_PARAMETERS;
	long rc = MT_SYS_R1(&size, SYS_SHM_MAP, shm, STORE_WIN_VA, MT_PROT_R | MT_PROT_W);
	if (rc != MT_OK)
		return rc == MT_EPERM ? TEE_ERROR_ACCESS_DENIED : TEE_ERROR_BAD_PARAMETERS;
	w->p = (uint8_t *)STORE_WIN_VA;
	w->size = size;
	if (size > STORE_WINDOW_MAX)
		return TEE_ERROR_BAD_PARAMETERS;
	return TEE_SUCCESS;
}

/* A span of the window, or 0 if it does not lie inside it. */
static uint8_t *span(const struct window *w, uint64_t s, size_t *len)
{
	uint64_t off = STORE_SPAN_OFF(s), n = STORE_SPAN_LEN(s);
	if (!w->p || off + n > w->size)
		return 0;
	*len = (size_t)n;
	return w->p + off;
}

/* An object id from a span into buf: 0..STORE_ID_MAX bytes (GP allows an
 * empty id). */
static uint32_t get_id(const struct window *w, uint64_t s, uint8_t *buf, unsigned *len)
{
	size_t n = 0;
	const uint8_t *p = span(w, s, &n);
	if (!p || n > STORE_ID_MAX)
		return TEE_ERROR_BAD_PARAMETERS;
	memcpy(buf, p, n);
	*len = (unsigned)n;
	return TEE_SUCCESS;
}

static uint32_t do_open(struct store_conf *conf, const struct caller *c, const struct window *w,
			const uint64_t *m, struct store_reply *r)
{
	uint32_t flags = STORE_FLAGS_GP(m[1]);
	unsigned id_len = 0, be = (unsigned)STORE_FLAGS_BACKEND(m[1]);
	uint32_t len = 0, aux = 0;
	size_t cap = 0;
	uint8_t *aout = span(w, m[3], &cap);
	if (be > STORE_BACKEND_REE || (flags & ~FLAGS_ALL) || STORE_FLAGS_EXTRA(m[1]) || !aout)
		return TEE_ERROR_BAD_PARAMETERS;
	uint32_t res = get_id(w, m[2], id_buf, &id_len);
	if (res != TEE_SUCCESS)
		return res;
	if ((res = obj_stat(conf, be, c->uuid, id_buf, id_len, &len, &aux)) != TEE_SUCCESS)
		return res;
	r->w[3] = aux;
	if (aux > cap)
		return TEE_ERROR_SHORT_BUFFER;
	flags &= FLAGS_ACCESS | FLAGS_SHARE;
	for (unsigned i = 0; i < STORE_HANDLES_MAX; i++)
		if (same_object(&handles[i], be, c->uuid, id_buf, id_len) &&
		    !compatible(handles[i].flags, flags))
			return TEE_ERROR_ACCESS_CONFLICT;
	int slot = slot_for(c->badge);
	if (slot < 0)
		return TEE_ERROR_OUT_OF_MEMORY;
	if (aux) { /* the attributes: from the record itself, checked again */
		uint32_t got = 0, aux2 = 0;
		if ((res = fs_result(conf, store_be_get(conf, be, c->uuid, id_buf, id_len, data,
		                                        sizeof(data), &got, &aux2))) != TEE_SUCCESS)
			return res;
		if (got != len + aux || aux2 != aux)
			return TEE_ERROR_CORRUPT_OBJECT;
		memcpy(aout, data, aux);
	}
	struct handle *h = &handles[slot];
	h->used = 1;
	h->badge = c->badge;
	memcpy(h->owner, c->uuid, 16);
	memcpy(h->id, id_buf, id_len);
	h->id_len = id_len;
	h->flags = flags;
	h->pos = 0;
	h->be = be;
	r->w[1] = handle_value(conf, (unsigned)slot);
	r->w[2] = len;
	return TEE_SUCCESS;
}

static uint32_t do_create(struct store_conf *conf, const struct caller *c, const struct window *w,
			  const uint64_t *m, struct store_reply *r)
{
	uint32_t flags = STORE_FLAGS_GP(m[1]), len = 0, aux = 0;
	uint32_t attrs = STORE_FLAGS_ATTRS_OF(m[1]);
	unsigned id_len = 0, be = (unsigned)STORE_FLAGS_BACKEND(m[1]);
	size_t n = 0;
	if (be > STORE_BACKEND_REE || (flags & ~FLAGS_ALL) || (m[1] >> 56) ||
	    attrs > STORE_ATTRS_MAX)
		return TEE_ERROR_BAD_PARAMETERS;
	uint32_t res = get_id(w, m[2], id_buf, &id_len);
	if (res != TEE_SUCCESS)
		return res;
	const uint8_t *init = span(w, m[3], &n);
	if (!init || n < attrs)
		return TEE_ERROR_BAD_PARAMETERS;
	if (n > STORE_DATA_MAX) /* attributes and data together */
		return TEE_ERROR_STORAGE_NO_SPACE;
	int rc = store_be_stat(conf, be, c->uuid, id_buf, id_len, &len, &aux);
	if (rc == FS_OK) {
		if (!(flags & TEE_DATA_FLAG_OVERWRITE))
			return TEE_ERROR_ACCESS_CONFLICT;
		for (unsigned i = 0; i < STORE_HANDLES_MAX; i++)
			if (same_object(&handles[i], be, c->uuid, id_buf, id_len))
				return TEE_ERROR_ACCESS_CONFLICT; /* open: it cannot be replaced */
	} else if (rc != FS_ENOENT) {
		return fs_result(conf, rc);
	}
	int slot = slot_for(c->badge);
	if (slot < 0)
		return TEE_ERROR_OUT_OF_MEMORY;
	if ((res = quota_ok(conf, be, c->uuid, rc == FS_OK, len, (uint32_t)n)) != TEE_SUCCESS)
		return res;
	memcpy(in_buf, init, n);
	if ((res = fs_result(conf, store_be_put(conf, be, c->uuid, id_buf, id_len, in_buf,
	                                        (uint32_t)n, attrs))) != TEE_SUCCESS)
		return res;
	struct handle *h = &handles[slot];
	h->used = 1;
	h->badge = c->badge;
	memcpy(h->owner, c->uuid, 16);
	memcpy(h->id, id_buf, id_len);
	h->id_len = id_len;
	h->flags = flags & (FLAGS_ACCESS | FLAGS_SHARE);
	h->pos = 0;
	h->be = be;
	r->w[1] = handle_value(conf, (unsigned)slot);
	return TEE_SUCCESS;
}

/* The object's attributes and data into `data`: *aux bytes of attributes,
 * then *len bytes of data. */
static uint32_t load(struct store_conf *conf, const struct handle *h, uint32_t *len, uint32_t *aux)
{
	uint32_t total = 0;
	*aux = 0;
	uint32_t res = fs_result(conf, store_be_get(conf, h->be, h->owner, h->id, h->id_len, data,
	                                            sizeof(data), &total, aux));
	if (res != TEE_SUCCESS)
		return res;
	if (total < *aux || *aux > STORE_ATTRS_MAX)
		return TEE_ERROR_CORRUPT_OBJECT;
	*len = total - *aux;
	return TEE_SUCCESS;
}

static uint32_t do_read(struct store_conf *conf, struct handle *h, const struct window *w,
			const uint64_t *m, struct store_reply *r)
{
	size_t cap = 0;
	uint32_t len = 0, aux = 0;
	uint8_t *out = span(w, m[2], &cap);
	if (!(h->flags & TEE_DATA_FLAG_ACCESS_READ))
		return TEE_ERROR_ACCESS_DENIED;
	if (!out)
		return TEE_ERROR_BAD_PARAMETERS;
	uint32_t res = load(conf, h, &len, &aux);
	if (res != TEE_SUCCESS)
		return res;
	size_t n = h->pos >= len ? 0 : len - h->pos;
	if (n > cap)
		n = cap;
	memcpy(out, data + aux + h->pos, n);
	h->pos += n;
	r->w[1] = n;
	return TEE_SUCCESS;
}

/* Writes n bytes of in_buf at pos (n = 0 with grow: a truncation to pos). */
static uint32_t rewrite(struct store_conf *conf, struct handle *h, uint64_t pos, size_t n,
			int truncate)
{
	uint32_t len = 0, aux = 0;
	uint32_t res = load(conf, h, &len, &aux);
	if (res != TEE_SUCCESS)
		return res;
	uint64_t end = truncate ? pos : (pos + n > len ? pos + n : len);
	if (aux + end > STORE_DATA_MAX) /* the attributes count against it */
		return TEE_ERROR_STORAGE_NO_SPACE;
	if ((res = quota_ok(conf, h->be, h->owner, 1, aux + len, (uint32_t)(aux + end))) !=
	    TEE_SUCCESS)
		return res;
	uint8_t *d = data + aux;
	if (end > len)
		memset(d + len, 0, end - len);
	if (!truncate)
		memcpy(d + pos, in_buf, n);
	return fs_result(conf, store_be_put(conf, h->be, h->owner, h->id, h->id_len, data,
	                                    (uint32_t)(aux + end), aux));
}

/* STORE_OP_SET_ATTRS: new attributes, the same data. */
static uint32_t set_attrs(struct store_conf *conf, struct handle *h, const struct window *w,
                          const uint64_t *m)
{
	size_t n = 0;
	const uint8_t *in = span(w, m[2], &n);
	uint32_t len = 0, aux = 0;
	if (!in || n > STORE_ATTRS_MAX)
		return TEE_ERROR_BAD_PARAMETERS;
	memcpy(in_buf, in, n);
	uint32_t res = load(conf, h, &len, &aux);
	if (res != TEE_SUCCESS)
		return res;
	if (n + len > STORE_DATA_MAX)
		return TEE_ERROR_STORAGE_NO_SPACE;
	if ((res = quota_ok(conf, h->be, h->owner, 1, aux + len, (uint32_t)(n + len))) !=
	    TEE_SUCCESS)
		return res;
	memmove(data + n, data + aux, len);
	memcpy(data, in_buf, n);
	return fs_result(conf, store_be_put(conf, h->be, h->owner, h->id, h->id_len, data,
	                                    (uint32_t)(n + len), (uint32_t)n));
}

static uint32_t do_write(struct store_conf *conf, struct handle *h, const struct window *w,
			 const uint64_t *m)
{
	size_t n = 0;
	const uint8_t *in = span(w, m[2], &n);
	if (!(h->flags & TEE_DATA_FLAG_ACCESS_WRITE))
		return TEE_ERROR_ACCESS_DENIED;
	if (!in)
		return TEE_ERROR_BAD_PARAMETERS;
	if (h->pos + n > TEE_DATA_MAX_POSITION)
		return TEE_ERROR_OVERFLOW;
	if (h->pos + n > STORE_DATA_MAX)
		return TEE_ERROR_STORAGE_NO_SPACE;
	if (n == 0)
		return TEE_SUCCESS;
	memcpy(in_buf, in, n);
	uint32_t res = rewrite(conf, h, h->pos, n, 0);
	if (res == TEE_SUCCESS)
		h->pos += n;
	return res;
}

static uint32_t do_seek(struct store_conf *conf, struct handle *h, const uint64_t *m,
			struct store_reply *r)
{
	int64_t off = (int64_t)m[2];
	uint64_t base;
	uint32_t len = 0, aux = 0;
	switch (m[3]) {
	case TEE_DATA_SEEK_SET:
		base = 0;
		break;
	case TEE_DATA_SEEK_CUR:
		base = h->pos;
		break;
	case TEE_DATA_SEEK_END: {
		uint32_t res = obj_stat(conf, h->be, h->owner, h->id, h->id_len, &len, &aux);
		if (res != TEE_SUCCESS)
			return res;
		base = len;
		break;
	}
	default:
		return TEE_ERROR_BAD_PARAMETERS;
	}
	uint64_t pos;
	if (off >= 0) {
		if ((uint64_t)off > TEE_DATA_MAX_POSITION || base + (uint64_t)off > TEE_DATA_MAX_POSITION)
			return TEE_ERROR_OVERFLOW;
		pos = base + (uint64_t)off;
	} else {
		uint64_t back = off == INT64_MIN ? (uint64_t)INT64_MAX + 1 : (uint64_t)-off;
		pos = back >= base ? 0 : base - back;
	}
	h->pos = pos;
	r->w[1] = pos;
	return TEE_SUCCESS;
}

static uint32_t do_next(struct store_conf *conf, const struct caller *c, const struct window *w,
			const uint64_t *m, struct store_reply *r)
{
	size_t after_len = 0, cap = 0;
	const uint8_t *after = span(w, m[1], &after_len);
	uint8_t *out = span(w, m[2], &cap);
	unsigned n = 0;
	uint32_t len = 0, aux = 0;
	unsigned be = (unsigned)(m[3] & 0xFF);
	uint64_t from_after = m[3] & STORE_NEXT_AFTER;
	if (!after || !out || after_len > STORE_ID_MAX || cap < STORE_ID_MAX ||
	    (m[3] & ~(STORE_NEXT_AFTER | 0xFF)) || be > STORE_BACKEND_REE)
		return TEE_ERROR_BAD_PARAMETERS;
	if (!from_after)
		after_len = 0;
	memcpy(id2_buf, after, after_len);
	uint32_t res = fs_result(conf, store_be_next(conf, be, c->uuid, from_after ? id2_buf : 0,
	                                             (unsigned)after_len, id_buf, &n));
	if (res == TEE_SUCCESS)
		res = obj_stat(conf, be, c->uuid, id_buf, n, &len, &aux);
	if (res != TEE_SUCCESS)
		return res;
	memcpy(out, id_buf, n);
	r->w[1] = n;
	r->w[2] = len;
	return TEE_SUCCESS;
}

/* Requests on an open handle (w1). */
static uint32_t on_handle(struct store_conf *conf, const struct caller *c, uint64_t op,
			  const struct window *w, const uint64_t *m, struct store_reply *r)
{
	struct handle *h = handle_get(conf, c, m[1]);
	uint32_t len = 0, aux = 0, res;
	if (!h)
		return TEE_ERROR_BAD_PARAMETERS;
	switch (op) {
	case STORE_OP_CLOSE:
		handle_put(h);
		return TEE_SUCCESS;
	case STORE_OP_READ:
		return do_read(conf, h, w, m, r);
	case STORE_OP_WRITE:
		return do_write(conf, h, w, m);
	case STORE_OP_TRUNCATE:
		if (!(h->flags & TEE_DATA_FLAG_ACCESS_WRITE))
			return TEE_ERROR_ACCESS_DENIED;
		if (m[2] > STORE_DATA_MAX)
			return TEE_ERROR_STORAGE_NO_SPACE;
		return rewrite(conf, h, m[2], 0, 1);
	case STORE_OP_SET_ATTRS:
		return set_attrs(conf, h, w, m);
	case STORE_OP_SEEK:
		return do_seek(conf, h, m, r);
	case STORE_OP_INFO:
		res = obj_stat(conf, h->be, h->owner, h->id, h->id_len, &len, &aux);
		r->w[1] = len;
		r->w[2] = h->pos;
		r->w[3] = h->flags;
		return res;
	case STORE_OP_DELETE:
		if (!(h->flags & TEE_DATA_FLAG_ACCESS_WRITE_META))
			return TEE_ERROR_ACCESS_DENIED;
		res = fs_result(conf, store_be_delete(conf, h->be, h->owner, h->id, h->id_len));
		if (res == TEE_SUCCESS || res == TEE_ERROR_ITEM_NOT_FOUND)
			handle_put(h);
		return res == TEE_ERROR_ITEM_NOT_FOUND ? TEE_SUCCESS : res;
	default: { /* STORE_OP_RENAME */
		unsigned id_len = 0;
		if (!(h->flags & TEE_DATA_FLAG_ACCESS_WRITE_META))
			return TEE_ERROR_ACCESS_DENIED;
		if ((res = get_id(w, m[2], id2_buf, &id_len)) != TEE_SUCCESS)
			return res;
		if (id_len == h->id_len && memcmp(id2_buf, h->id, id_len) == 0)
			return TEE_ERROR_ACCESS_CONFLICT; /* the new id is taken: by itself */
		res = fs_result(conf, store_be_rename(conf, h->be, h->owner, h->id, h->id_len,
		                                      id2_buf, id_len));
		if (res == TEE_SUCCESS) {
			memcpy(h->id, id2_buf, id_len);
			h->id_len = id_len;
		}
		return res;
	}
	}
}

static int needs_window(uint64_t op)
{
	return op == STORE_OP_OPEN || op == STORE_OP_CREATE || op == STORE_OP_READ ||
	       op == STORE_OP_WRITE || op == STORE_OP_RENAME || op == STORE_OP_NEXT ||
	       op == STORE_OP_SET_ATTRS;
}

uint32_t store_serve(struct store_conf *conf, const struct mt_msg *m, struct store_reply *r)
{
	uint64_t op = m->w[0];
	mt_handle_t shm = MT_XFER_GET(m->handle, 0);
	for (unsigned i = 1; i < MT_XFER_MAX; i++)
		if (MT_XFER_GET(m->handle, i))
			mt_handle_close(MT_XFER_GET(m->handle, i));
	sweep(conf->table);
	struct caller c;
	find_caller(conf->table, m->badge, &c);
	struct window w = {0, 0};
	uint32_t res;
	if (op == STORE_OP_HELLO) {
		r->w[1] = STORE_HELLO_MAGIC;
		r->w[2] = STORE_PROTOCOL_VERSION;
		r->w[3] = conf->state | (uint64_t)conf->run_tag << 32;
		res = TEE_SUCCESS;
	} else if (op == STORE_OP_TEST_CRASH) {
		if (!conf->test_hooks) {
			res = TEE_ERROR_NOT_SUPPORTED;
		} else if (m->w[1] == 0) {
			printf("[storage] crashing on request (test hook)\n");
			*store_crash_at = 1;
			res = TEE_ERROR_GENERIC;
		} else if (m->w[1] == STORE_CRASH_BEFORE_RAISE) {
			printf("[storage] will crash after the next commit, before its raise\n");
			conf->arm_crash(STORE_CRASH_BEFORE_RAISE);
			res = TEE_SUCCESS;
		} else {
			printf("[storage] will crash at flash program %lu of the next update\n",
			       (unsigned long)m->w[1]);
			conf->arm_crash((unsigned)(m->w[1] > 1000000 ? 1000000 : m->w[1]));
			res = TEE_SUCCESS;
		}
	} else if (op < STORE_OP_OPEN || op > STORE_OP_SET_ATTRS) {
		res = TEE_ERROR_NOT_SUPPORTED;
	} else if (!c.is_ta) {
		res = TEE_ERROR_ACCESS_DENIED;
	} else if (!conf->mounted && (conf->corrupt || conf->remount() != FS_OK)) {
		res = conf->corrupt ? TEE_ERROR_CORRUPT_OBJECT : TEE_ERROR_STORAGE_NOT_AVAILABLE;
	} else if (needs_window(op) && (res = window_map(shm, &w)) != TEE_SUCCESS) {
		/* res says why */
	} else if (op == STORE_OP_OPEN) {
		res = do_open(conf, &c, &w, m->w, r);
	} else if (op == STORE_OP_CREATE) {
		res = do_create(conf, &c, &w, m->w, r);
	} else if (op == STORE_OP_NEXT) {
		res = do_next(conf, &c, &w, m->w, r);
	} else {
		res = on_handle(conf, &c, op, &w, m->w, r);
	}
	if (w.size)
		mt_mem_unmap(STORE_WIN_VA, w.size);
	if (shm)
		mt_handle_close(shm);
	return res;
}
