/* The TA's connection to the crypto service (include/microtee/crypto_ipc.h):
 * the data window, requests, and what happens when the service goes away.
 *
 * The window is created and mapped once, on first use, and attached then.
 * If the service dies during a call (MT_EPEERDEAD) or answers that it does
 * not know us (it was restarted since we last spoke), every object and
 * operation it held for us is gone: a new epoch begins, which makes the
 * older handles stale, and the next request attaches the same window again.
 * Requests queue on the service's endpoint while init restarts it. */
#include <string.h>

#include <mt_tee_test.h>

#include "mt.h"
#include "tee_crypto.h"
#include "tee_rt.h"

uint32_t tee_cs_epoch = 1;

static mt_handle_t win_shm;
static size_t win_mapped, win_size;
uint8_t *tee_cs_win;  /* the window's base, once mapped */
bool tee_cs_attached; /* the service knows the window */

/* The service lost our state: everything it held for us is gone. */
static void lost(void)
{
	tee_cs_attached = false;
	tee_cs_epoch++;
}

static TEE_Result attach(void)
{
	if (!tee_rt_crypto_ep)
		return TEE_ERROR_COMMUNICATION;
	if (!win_shm) {
		mt_handle_t h;
		if (mt_shm_create(CRYPTO_WINDOW_MAX, &h) != MT_OK)
			return TEE_ERROR_OUT_OF_MEMORY;
		size_t size = 0;
		void *p = mt_shm_map_any(h, MT_PROT_R | MT_PROT_W, &size);
		if (!p) {
			mt_handle_close(h);
			return TEE_ERROR_OUT_OF_MEMORY;
		}
		win_shm = h;
		tee_cs_win = p;
		win_mapped = size;
	}
	struct mt_msg m = {{CRYPTO_OP_ATTACH, 0, 0, 0}, win_shm, 0};
	long rc = mt_call(tee_rt_crypto_ep, &m);
	if (rc != MT_OK)
		return TEE_ERROR_COMMUNICATION;
	/* The service's client table or memory may be full. */
	if ((uint32_t)m.w[0] == TEE_ERROR_OUT_OF_MEMORY)
		return TEE_ERROR_OUT_OF_MEMORY;
	if ((uint32_t)m.w[0] != TEE_SUCCESS)
		return TEE_ERROR_COMMUNICATION;
	win_size = m.w[1] < win_mapped ? m.w[1] : win_mapped;
	/* Everything the library does fits in a window of this size. */
	if (win_size < 16 * 1024)
		return TEE_ERROR_COMMUNICATION;
	tee_cs_attached = true;
	return TEE_SUCCESS;
}

TEE_Result tee_cs_attach(uint8_t **win)
{
	TEE_Result res = attach();
	if (res == TEE_SUCCESS && win)
		*win = tee_cs_win;
	return res;
}

size_t tee_cs_win_size(void)
{
	return win_size;
}

/* Whether a reply says the service does not know us. */
static bool not_attached(const struct mt_msg *m)
{
	return (uint32_t)m->w[0] == TEE_ERROR_BAD_STATE && m->w[1] == CRYPTO_REASON_NOT_ATTACHED;
}

TEE_Result tee_cs_call(uint64_t w[4])
{
	if (!tee_cs_attached)
		return TEE_ERROR_COMMUNICATION;
	struct mt_msg m = {{w[0], w[1], w[2], w[3]}, 0, 0};
	long rc = mt_call(tee_rt_crypto_ep, &m);
	if (rc != MT_OK || not_attached(&m)) {
		lost();
		return TEE_ERROR_COMMUNICATION;
	}
	memcpy(w, m.w, sizeof(m.w));
	return (uint32_t)m.w[0];
}

TEE_Result tee_cs_call_fresh(uint64_t w[4])
{
	uint64_t req[4];
	memcpy(req, w, sizeof(req));
	uint32_t epoch = tee_cs_epoch;
	TEE_Result res = tee_cs_call(w);
	if (res == TEE_ERROR_COMMUNICATION && epoch != tee_cs_epoch &&
	    tee_cs_begin(0) == TEE_SUCCESS) {
		memcpy(w, req, sizeof(req));
		res = tee_cs_call(w);
	}
	return res;
}

void tee_cs_detach(void)
{
	if (tee_cs_attached) {
		uint64_t w[4] = {CRYPTO_OP_DETACH, 0, 0, 0};
		tee_cs_call(w);
		lost();
	}
}

TEE_Result mt_tee_test_crash_crypto(void)
{
	TEE_Result res = tee_cs_begin(0);
	if (res != TEE_SUCCESS)
		return res;
	uint64_t w[4] = {CRYPTO_OP_TEST_CRASH, 0, 0, 0};
	return tee_cs_call(w);
}

TEE_Result mt_tee_test_crypto_charged(size_t *bytes)
{
	TEE_Result res = tee_cs_begin(0);
	if (res != TEE_SUCCESS)
		return res;
	uint64_t w[4] = {CRYPTO_OP_TEST_STATS, 0, 0, 0};
	res = tee_cs_call(w);
	if (res == TEE_SUCCESS)
		*bytes = (size_t)w[1];
	return res;
}

/* ---- attribute records ----
 * uint32_t id; uint32_t length (0 for a value attribute); then the bytes
 * padded to a multiple of 8, or the two words a, b. */

void tee_recs_init(struct tee_recs *r, uint8_t *win, uint32_t start, uint32_t end)
{
	*r = (struct tee_recs){win, start, start, end, false};
}

static uint8_t *recs_room(struct tee_recs *r, size_t n)
{
	if (r->overflow || n > r->end - r->off) {
		r->overflow = true;
		return 0;
	}
	uint8_t *p = r->base + r->off;
	r->off += (uint32_t)n;
	return p;
}

void tee_recs_value(struct tee_recs *r, uint32_t id, uint32_t a, uint32_t b)
{
	uint32_t rec[4] = {id, 0, a, b};
	uint8_t *p = recs_room(r, sizeof(rec));
	if (p)
		memcpy(p, rec, sizeof(rec));
}

void tee_recs_add(struct tee_recs *r, const TEE_Attribute *a)
{
	if (a->attributeID & TEE_ATTR_FLAG_VALUE) {
		tee_recs_value(r, a->attributeID, a->content.value.a, a->content.value.b);
		return;
	}
	size_t len = a->content.ref.length;
	if (len > UINT32_MAX - 16) {
		r->overflow = true;
		return;
	}
	size_t padded = (len + 7) & ~(size_t)7;
	uint8_t *p = recs_room(r, 8 + padded);
	if (!p)
		return;
	uint32_t hdr[2] = {a->attributeID, (uint32_t)len};
	memcpy(p, hdr, sizeof(hdr));
	if (len)
		memcpy(p + 8, a->content.ref.buffer, len);
	memset(p + 8 + len, 0, padded - len);
}

TEE_Attribute *tee_attrs_from_gp11(const __GP11_TEE_Attribute *a, uint32_t n, bool *ok)
{
	*ok = true;
	if (!n)
		return 0;
	TEE_Attribute *t = TEE_Malloc(sizeof(*t) * n, TEE_MALLOC_FILL_ZERO);
	if (!t) {
		*ok = false;
		return 0;
	}
	for (uint32_t i = 0; i < n; i++) {
		t[i].attributeID = a[i].attributeID;
		if (a[i].attributeID & TEE_ATTR_FLAG_VALUE) {
			t[i].content.value.a = a[i].content.value.a;
			t[i].content.value.b = a[i].content.value.b;
		} else {
			t[i].content.ref.buffer = a[i].content.ref.buffer;
			t[i].content.ref.length = a[i].content.ref.length;
		}
	}
	return t;
}
