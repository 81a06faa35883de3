/* keys: the key service. It holds the device's hardware-unique key (HUK),
 * read from (or, on a device's first boot, provisioned into) the key area of
 * secure flash0, and serves include/microtee/key_ipc.h: per-TA derived
 * keys, sealing and unsealing bound to the TA and the device, signed
 * attestation reports, and the public device identity. It links mbedTLS
 * (our configuration, services/crypto/mbedtls) and nothing else links the
 * HUK: no request returns it, the attestation private key or a sealing key.
 *
 * init starts it with KEYS_START_ARG (key_ipc.h): its endpoint, the
 * read-only flash ranges of the firmware (measured once, here, at start),
 * the key area, and init's client table, which names the TA behind each
 * badge. It keeps no state per client, so when it dies init restarts it,
 * it reads the same HUK again and every key it derives is the same. Every
 * request is untrusted: bad spans, handles, sizes or data get an error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/platform.h>

#include "keys.h"

static mt_handle_t ep;
static const volatile struct key_client *table; /* init's, read-only */
static int test_hooks, measured;
static uint32_t state;   /* KEY_STATE_* */
static uint32_t run_tag; /* random, for this run of the service (KEY_OP_HELLO) */

/* Private copies of a request's input and its output, so a client that
 * changes its shared memory meanwhile changes nothing here. */
#define BUF_MAX KEY_SEALED_SIZE(KEY_SEAL_MAX)
_Static_assert(BUF_MAX >= KEY_REPORT_MAX, "output buffer");
static uint8_t in_buf[BUF_MAX], out_buf[BUF_MAX];

/* Not a constant, so the compiler does not see the fault coming. */
volatile int *volatile keys_crash_at = (volatile int *)24;

struct reply {
	uint64_t w[4];
};

struct window {
	uint8_t *p;
	size_t size;
};

/* Who is calling: a TA if init's table has its badge. The entry is read
 * twice around the UUID, so an entry init clears meanwhile is not used. */
static void find_caller(uint64_t badge, struct caller *c)
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
	size_t cap;
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
	size_t label_len, key_len;
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
	size_t len, cap;
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
	size_t len, cap, out_len = 0;
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

static uint32_t do_attest(const struct caller *c, const struct window *w, const uint64_t *m,
                          struct reply *r)
{
	size_t nonce_len, cap, len = 0;
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

static uint32_t serve(const struct mt_msg *m, struct reply *r)
{
	uint64_t op = m->w[0];
	mt_handle_t shm = MT_XFER_GET(m->handle, 0);
	/* Only slot 0 is ever used; whatever else came goes at once. */
	for (unsigned i = 1; i < MT_XFER_MAX; i++)
		if (MT_XFER_GET(m->handle, i))
			mt_handle_close(MT_XFER_GET(m->handle, i));

	uint32_t res;
	struct caller c;
	find_caller(m->badge, &c);
	switch (op) {
	case KEY_OP_HELLO:
		r->w[1] = KEY_HELLO_MAGIC;
		r->w[2] = KEY_PROTOCOL_VERSION;
		r->w[3] = state | (uint64_t)run_tag << 32;
		res = TEE_SUCCESS;
		break;
	case KEY_OP_TEST_CRASH:
		if (!test_hooks) {
			res = TEE_ERROR_NOT_SUPPORTED;
			break;
		}
		printf("[keys] crashing on request (test hook)\n");
		*keys_crash_at = 1;
		res = TEE_ERROR_GENERIC;
		break;
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
		                               : do_attest(&c, &w, m->w, r);
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

static void print_id(const char *what)
{
	struct key_device_info info;
	keys_device_info(&info);
	printf("[keys] %s; device ", what);
	for (int i = 0; i < 16; i++)
		printf("%s%02x", i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "",
		       info.device_id[i]);
	printf("\n");
}

int mt_main(unsigned long arg, unsigned long arg2)
{
	(void)arg2;
	ep = KEYS_START_ARG_HANDLE(arg, 0);
	mt_handle_t flash = KEYS_START_ARG_HANDLE(arg, 1), table_h = KEYS_START_ARG_HANDLE(arg, 2);
	test_hooks = (KEYS_START_ARG_FLAGS(arg) & KEYS_START_TEST_HOOKS) != 0;
	mbedtls_platform_set_calloc_free(calloc, free);
	if (rng_init("MicroTEE key service DRBG") != 0) {
		printf("[keys] cannot seed the DRBG from RNDR\n");
		return 1;
	}
	rng_fill(0, (unsigned char *)&run_tag, sizeof(run_tag));
	if (table_h && MT_SYS(SYS_SHM_MAP, table_h, KEYS_TABLE_VA, MT_PROT_R) == MT_OK)
		table = (const volatile struct key_client *)KEYS_TABLE_VA;
	else
		printf("[keys] no client table: no caller is a TA\n");
	measured = measure_firmware(flash) == 0;

	uint8_t fresh[32], huk[32];
	const char *how;
	if (rng_entropy(fresh, sizeof(fresh)) != 0) {
		printf("[keys] no entropy for a hardware-unique key\n");
		return 1;
	}
	switch (nv_huk(flash, fresh, huk)) {
	case NV_LOADED:
		state = KEY_STATE_HUK_PERSISTENT;
		how = "hardware-unique key loaded from flash";
		break;
	case NV_PROVISIONED:
		state = KEY_STATE_HUK_PERSISTENT;
		how = "provisioned a new hardware-unique key in flash";
		break;
	default:
		/* DEVELOPMENT FALLBACK: a key for this run only. Reports
		 * carry KEY_STATE_HUK_VOLATILE so no verifier trusts them. */
		memcpy(huk, fresh, sizeof(huk));
		state = KEY_STATE_HUK_VOLATILE;
		how = "DEVELOPMENT FALLBACK: volatile hardware-unique key, nothing persists";
		break;
	}
	keys_wipe(fresh, sizeof(fresh));
	if (test_hooks)
		state |= KEY_STATE_TEST_HOOKS;
	int rc = keys_init(huk, state);
	keys_wipe(huk, sizeof(huk));
	if (rc != 0) {
		printf("[keys] cannot derive the attestation key: %d\n", rc);
		return 1;
	}
	print_id(how);
	printf("[keys] serving on handle %lu: %u measurements%s\n", ep, nmeas,
	       test_hooks ? " (test hooks on)" : "");

	struct mt_msg m;
	long st = mt_recv(ep, &m);
	for (;;) {
		if (st != MT_OK) {
			printf("[keys] receive failed: %ld\n", st);
			return 1;
		}
		struct reply r = {{0, 0, 0, 0}};
		r.w[0] = serve(&m, &r);
		m = (struct mt_msg){{r.w[0], r.w[1], r.w[2], r.w[3]}, 0, 0};
		st = mt_reply_recv(ep, &m, MT_RR_REPLY | MT_RR_RECV);
	}
}
