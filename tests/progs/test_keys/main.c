/* test_keys: the key service's system test (scenarios keys*). It drives the
 * test TAs keys_test and keys_peer the way the gateway would (asking init
 * for instances, speaking include/microtee/ta_ipc.h to them), and attacks
 * the key service directly with a handle of its own whose badge names no
 * TA: the process stands for a hostile one.
 *
 * Argument: KEYS_TEST_ARG(test, crypto, sup, keys) (key_ipc.h). Tests:
 *   0  everything: the TAs' own checks, sealing across TAs, derived keys,
 *      reports; every avenue a hostile process has (handles, memory,
 *      malformed requests, another TA's identity); crashes of a TA, the
 *      crypto service and the key service.
 *   1  reads the key area of flash directly: must fault (never returns).
 *   2  benchmark: prints attest_report_insns and seal_4k_insns.
 *   3  identity: prints the device's identity, the TAs' key fingerprints and
 *      a report (hex), for tests/system/keys.sh to compare across boots and
 *      to check with host/attest.
 * Lines starting "keys: " are read by the test scripts. */
#include <stdio.h>
#include <string.h>

#include "../../../include/microtee/crypto_ipc.h"
#include "../../../include/microtee/key_ipc.h"
#include "../../../include/microtee/ta_ipc.h"
#include "../../../lib/tee/include/tee_api_defines.h"
#include "../../../ta/keys_test/include/keys_test_ta.h"
#include "mt.h"

#define TEST_NAME "test_keys"
#include "../check.h"


static mt_handle_t sup, keys, crypto;
static mt_handle_t page_shm;
static struct ta_param_page *page;

struct uuid {
	uint32_t time_low;
	uint16_t time_mid, time_hi;
	uint8_t node[8];
};
static const struct uuid uuid_a = TA_KEYS_TEST_UUID, uuid_b = TA_KEYS_PEER_UUID;

struct ta {
	const char *name;
	const struct uuid *uuid;
	mt_handle_t ep, proc;
};

struct reply {
	long rc;
	uint32_t res, origin;
};

/* A shared-memory buffer. */
struct buf {
	mt_handle_t h;
	uint8_t *p;
	size_t size;
};

static struct buf in, out;
static struct ta ta_a = {"keys_test", &uuid_a, 0, 0}, ta_b = {"keys_peer", &uuid_b, 0, 0};

static int buf_new(struct buf *b, size_t size)
{
	b->p = 0;
	if (mt_shm_create(size, &b->h) != MT_OK)
		return -1;
	b->p = mt_shm_map_any(b->h, MT_PROT_R | MT_PROT_W, &b->size);
	return b->p ? 0 : -1;
}

static void hex(const char *prefix, const uint8_t *p, size_t n)
{
	printf("%s", prefix);
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("\n");
}

static uint64_t rndr(void)
{
	uint64_t v = 0, ok = 0;
	do
		__asm__ volatile("mrs %0, s3_3_c2_c4_0\n\tcset %1, ne"
		                 : "=r"(v), "=r"(ok)
		                 :
		                 : "cc");
	while (!ok);
	return v;
}

/* ---- TAs ---- */

static struct reply op(const struct ta *ta, uint64_t w0, uint64_t w1, uint64_t w2,
                       unsigned long xfer)
{
	struct mt_msg m = {{w0, w1, w2, 0}, xfer, 0};
	struct reply r = {mt_call(ta->ep, &m), 0, 0};
	r.res = (uint32_t)m.w[0];
	r.origin = (uint32_t)m.w[1];
	return r;
}

static int ta_start(struct ta *ta)
{
	const struct uuid *u = ta->uuid;
	uint64_t hi = (uint64_t)u->time_low << 32 | (uint64_t)u->time_mid << 16 | u->time_hi,
	         lo = 0;
	for (unsigned i = 0; i < 8; i++)
		lo = lo << 8 | u->node[i];
	struct mt_msg m = {{SUP_OP_START_TA, hi, lo, 0}, 0, 0};
	if (mt_call(sup, &m) != MT_OK || (long)m.w[0] != MT_OK)
		return -1;
	ta->ep = MT_XFER_GET(m.handle, 0);
	ta->proc = MT_XFER_GET(m.handle, 1);
	struct reply r = op(ta, TA_OP_ATTACH, 0, 0, page_shm);
	if (r.rc != MT_OK || r.res != TEE_SUCCESS)
		return -1;
	memset(page, 0, sizeof(*page));
	r = op(ta, TA_OP_OPEN_SESSION, 1, 0, 0);
	return r.rc == MT_OK && r.res == TEE_SUCCESS ? 0 : -1;
}

static void ta_stop(struct ta *ta)
{
	if (!ta->ep)
		return;
	op(ta, TA_OP_DESTROY, 0, 0, 0);
	for (int i = 0; i < 50; i++) {
		struct mt_proc_info info = {0};
		if (mt_proc_info(ta->proc, &info) != MT_OK || info.threads == 0)
			break;
		mt_sleep_ns(10000000);
	}
	mt_handle_close(ta->ep);
	mt_handle_close(ta->proc);
	ta->ep = ta->proc = 0;
}

static void set_types(uint32_t types)
{
	memset(page, 0, sizeof(*page));
	page->param_types = types;
	for (unsigned i = 0; i < 4; i++) {
		uint32_t t = TEE_PARAM_TYPE_GET(types, i);
		page->params[i].kind = t == TEE_PARAM_TYPE_NONE           ? TA_PARAM_NONE
		                       : t >= TEE_PARAM_TYPE_MEMREF_INPUT ? TA_PARAM_MEMREF
		                                                          : TA_PARAM_VALUE;
	}
}

/* An in/out command: `n` bytes of input from in.p; the output lands in
 * out.p, *out_len its size (capacity on entry). Returns the TEE result. */
static uint32_t ta_io(const struct ta *ta, uint32_t cmd, size_t n, size_t *out_len)
{
	set_types(TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT,
	                          TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE));
	page->params[0].handle = n ? 0 : TA_PARAM_NO_HANDLE;
	page->params[0].b = n;
	page->params[1].handle = 1;
	page->params[1].b = *out_len;
	struct reply r = op(ta, TA_OP_INVOKE, 1, cmd, MT_XFER(in.h, out.h, 0, 0));
	if (r.rc != MT_OK)
		return TEE_ERROR_TARGET_DEAD;
	*out_len = page->params[1].b;
	return r.res;
}

static uint32_t ta_values(const struct ta *ta, uint32_t cmd, uint32_t types, uint64_t a0,
                          uint64_t *a1, uint64_t *b1)
{
	set_types(types);
	page->params[0].a = a0;
	struct reply r = op(ta, TA_OP_INVOKE, 1, cmd, 0);
	if (r.rc != MT_OK)
		return TEE_ERROR_TARGET_DEAD;
	unsigned i = TEE_PARAM_TYPE_GET(types, 0) == TEE_PARAM_TYPE_VALUE_OUTPUT ? 0 : 1;
	if (a1)
		*a1 = page->params[i].a;
	if (b1)
		*b1 = page->params[i].b;
	return r.res;
}

/* The TA's derived key for "fingerprint" (a label used for nothing else):
 * its first 8 bytes stand for the TA's keys on this device. */
static int fingerprint(const struct ta *ta, uint8_t fp[8])
{
	memcpy(in.p, "fingerprint", 11);
	size_t len = 32;
	uint32_t res = ta_io(ta, TA_KEYS_CMD_DERIVE, 11, &len);
	memcpy(fp, out.p, 8);
	return res == TEE_SUCCESS && len == 32 ? 0 : -1;
}

static int device(const struct ta *ta, uint8_t id_pub[81], uint64_t *state)
{
	set_types(TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_OUTPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
	                          TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE));
	page->params[0].handle = 0;
	page->params[0].b = 81;
	struct reply r = op(ta, TA_OP_INVOKE, 1, TA_KEYS_CMD_DEVICE, out.h);
	memcpy(id_pub, out.p, 81);
	*state = page->params[1].a;
	return r.rc == MT_OK && r.res == TEE_SUCCESS && page->params[0].b == 81 ? 0 : -1;
}

/* ---- the key service, directly ---- */

struct kreply {
	long rc;
	uint64_t w[4];
};

static struct kreply kcall(uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3, unsigned long xfer)
{
	struct mt_msg m = {{w0, w1, w2, w3}, xfer, 0};
	struct kreply r = {mt_call(keys, &m), {0}};
	memcpy(r.w, m.w, sizeof(r.w));
	return r;
}

/* The service answers; returns its run tag (0 if it does not). */
static uint32_t hello(void)
{
	struct kreply r = kcall(KEY_OP_HELLO, 0, 0, 0, 0);
	if (r.rc != MT_OK || r.w[0] != TEE_SUCCESS || r.w[1] != KEY_HELLO_MAGIC)
		return 0;
	return (uint32_t)(r.w[3] >> 32);
}

/* ---- test 3: identity ---- */

static void print_identity(struct ta *a, struct ta *b)
{
	uint8_t id_pub[81], fa[8], fb[8];
	uint64_t state = 0;
	CHECK(device(a, id_pub, &state) == 0, "device info");
	hex("keys: device ", id_pub, 16);
	hex("keys: pubkey ", id_pub + 16, 65);
	printf("keys: state 0x%lx\n", (unsigned long)state);
	CHECK(fingerprint(a, fa) == 0 && fingerprint(b, fb) == 0, "fingerprints");
	hex("keys: fp " TA_KEYS_TEST_UUID_STR " ", fa, 8);
	hex("keys: fp " TA_KEYS_PEER_UUID_STR " ", fb, 8);
	CHECK(memcmp(fa, fb, 8) != 0, "two TAs, two keys");

	uint8_t nonce[32];
	for (int i = 0; i < 4; i++) {
		uint64_t v = rndr();
		memcpy(nonce + 8 * i, &v, 8);
	}
	memcpy(in.p, nonce, sizeof(nonce));
	size_t len = KEY_REPORT_MAX;
	uint32_t res = ta_io(a, TA_KEYS_CMD_ATTEST, sizeof(nonce), &len);
	CHECK(res == TEE_SUCCESS && len > sizeof(struct key_report), "report: 0x%x", res);
	if (res != TEE_SUCCESS)
		return;
	hex("keys: nonce ", nonce, sizeof(nonce));
	for (size_t off = 0; off < len; off += 48)
		hex("keys: report+ ", out.p + off, len - off < 48 ? len - off : 48);
	printf("keys: report end %zu\n", len);
}

/* ---- test 0 ---- */

static uint8_t blob[1024];
static size_t blob_len;

static void test_tas(struct ta *a, struct ta *b)
{
	uint64_t fails = 1, runs = 0;
	uint32_t types = TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
	                                 TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);
	uint32_t res = ta_values(a, TA_KEYS_CMD_SELFTEST, types, 0, &fails, &runs);
	CHECK(res == TEE_SUCCESS && fails == 0 && runs > 50,
	      "keys_test's checks: 0x%x, %lu of %lu failed", res, (unsigned long)fails,
	      (unsigned long)runs);
	printf("test_keys: the TA's checks: %lu passed, %lu failed\n",
	       (unsigned long)(runs - fails), (unsigned long)fails);
	res = ta_values(b, TA_KEYS_CMD_SELFTEST, types, 0, &fails, &runs);
	CHECK(res == TEE_SUCCESS && fails == 0, "keys_peer's checks: 0x%x, %lu failed", res,
	      (unsigned long)fails);

	/* One device, as every TA and any process sees it. */
	uint8_t da[81], db[81];
	uint64_t state = 0;
	CHECK(device(a, da, &state) == 0 && device(b, db, &state) == 0, "device info");
	CHECK(memcmp(da, db, 81) == 0, "both TAs see the same device");
	CHECK(state & KEY_STATE_HUK_PERSISTENT, "HUK from flash: state 0x%lx",
	      (unsigned long)state);
	struct kreply k =
	    kcall(KEY_OP_DEVICE_INFO, 0, KEY_SPAN(0, sizeof(struct key_device_info)), 0, out.h);
	struct key_device_info info;
	memcpy(&info, out.p, sizeof(info));
	CHECK(k.rc == MT_OK && k.w[0] == TEE_SUCCESS && memcmp(info.device_id, da, 16) == 0 &&
	          memcmp(info.pubkey, da + 16, 65) == 0,
	      "device info directly: 0x%lx", (unsigned long)k.w[0]);

	/* Keys differ between TAs. */
	uint8_t fa[8], fb[8];
	CHECK(fingerprint(a, fa) == 0 && fingerprint(b, fb) == 0, "fingerprints");
	CHECK(memcmp(fa, fb, 8) != 0, "two TAs, two keys");

	/* Sealed by A: only A unseals it. */
	static const char secret[] = "the key service keeps this for keys_test only";
	memcpy(in.p, secret, sizeof(secret));
	size_t len = 1024;
	res = ta_io(a, TA_KEYS_CMD_SEAL, sizeof(secret), &len);
	CHECK(res == TEE_SUCCESS && len == KEY_SEALED_SIZE(sizeof(secret)), "seal: 0x%x len %zu",
	      res, len);
	memcpy(blob, out.p, len);
	blob_len = len;
	memcpy(in.p, blob, blob_len);
	len = 1024;
	res = ta_io(a, TA_KEYS_CMD_UNSEAL, blob_len, &len);
	CHECK(res == TEE_SUCCESS && len == sizeof(secret) && memcmp(out.p, secret, len) == 0,
	      "A unseals its own: 0x%x", res);
	len = 1024;
	res = ta_io(b, TA_KEYS_CMD_UNSEAL, blob_len, &len);
	CHECK(res == TEE_ERROR_MAC_INVALID, "B unseals A's: 0x%x", res);
	for (size_t bit = 0; bit < blob_len * 8; bit += 61) {
		memcpy(in.p, blob, blob_len);
		in.p[bit / 8] ^= (uint8_t)(1U << (bit % 8));
		len = 1024;
		res = ta_io(a, TA_KEYS_CMD_UNSEAL, blob_len, &len);
		CHECK(res == TEE_ERROR_MAC_INVALID || res == TEE_ERROR_BAD_FORMAT,
		      "bit %zu flipped: 0x%x", bit, res);
	}

	/* Reports name their TA. */
	memcpy(in.p, "nonce", 5);
	len = KEY_REPORT_MAX;
	res = ta_io(b, TA_KEYS_CMD_ATTEST, 5, &len);
	struct key_report r;
	memcpy(&r, out.p, sizeof(r));
	uint8_t ub[16] = {0xf1, 0x64, 0xce, 0xa2, 0xb9, 0xaa, 0x4f, 0xc5,
	                  0xb2, 0xac, 0x1b, 0x1f, 0x8d, 0xa9, 0xbe, 0x5b};
	CHECK(res == TEE_SUCCESS && memcmp(r.ta_uuid, ub, 16) == 0 && r.nonce_len == 5 &&
	          memcmp(r.device_id, da, 16) == 0,
	      "B's report: 0x%x", res);
}

/* A hostile process: a handle to the key service under a badge that names
 * no TA, its own memory, and whatever it can make up. */
static void test_hostile(const uint8_t *blob_a, size_t blob_a_len)
{
	uint32_t tag = hello();
	CHECK(tag != 0, "hello");

	/* No TA, no keys: whatever it claims in the message. */
	uint64_t denied[][4] = {
	    {KEY_OP_DERIVE, KEY_SPAN(0, 4), KEY_SPAN(64, 32), 0},
	    {KEY_OP_SEAL, KEY_SPAN(0, 16), KEY_SPAN(64, 128), 0},
	    {KEY_OP_UNSEAL, KEY_SPAN(0, blob_a_len), KEY_SPAN(2048, 1024), 0},
	    {KEY_OP_ATTEST, KEY_SPAN(0, 8), KEY_SPAN(0, KEY_REPORT_MAX), 0},
	    /* "I am keys_test" in the spare word changes nothing */
	    {KEY_OP_DERIVE, KEY_SPAN(0, 4), KEY_SPAN(64, 32), 0x9d476f81cc6d4bfbULL},
	    {KEY_OP_UNSEAL, KEY_SPAN(0, blob_a_len), KEY_SPAN(2048, 1024), 0x9d476f81cc6d4bfbULL},
	};
	memcpy(in.p, blob_a, blob_a_len);
	for (unsigned i = 0; i < sizeof(denied) / sizeof(denied[0]); i++) {
		memset(in.p + 2048, 0, 1024);
		struct kreply r =
		    kcall(denied[i][0], denied[i][1], denied[i][2], denied[i][3], in.h);
		CHECK(r.rc == MT_OK && r.w[0] == TEE_ERROR_ACCESS_DENIED,
		      "request %u from no TA: 0x%lx", i, (unsigned long)r.w[0]);
		static const uint8_t zero[1024];
		CHECK(memcmp(in.p + 2048, zero, 1024) == 0, "nothing written for request %u", i);
	}

	/* Badges cannot be made up: our handle cannot even be passed on,
	 * let alone re-badged as a TA's. */
	mt_handle_t h2 = 0;
	CHECK(mt_handle_grant(0, keys, MT_R_CALL, KEY_BADGE_FIRST_CLIENT, &h2) == MT_EPERM,
	      "re-badging the key handle");
	CHECK(mt_handle_grant(0, keys, MT_R_CALL, 0, &h2) == MT_EPERM, "copying the key handle");

	/* Handles it does not own: every other number names nothing, and
	 * nothing it holds is device memory. */
	int none = 1, nodev = 1;
	for (mt_handle_t h = 1; h < 64; h++) {
		unsigned long a[7] = {h};
		long rc = mt_syscall(SYS_DEVMEM_INFO, a);
		nodev &= rc == MT_EBADH;
		rc = MT_SYS(SYS_DEVMEM_MAP, h, 0x70000000, 0, 4096, MT_PROT_R);
		nodev &= rc == MT_EBADH;
		if (h == keys || h == sup || h == crypto || h == page_shm || h == in.h ||
		    h == out.h || h == ta_a.ep || h == ta_a.proc || h == ta_b.ep || h == ta_b.proc)
			continue;
		struct mt_msg m = {{KEY_OP_HELLO, 0, 0, 0}, 0, 0};
		none &= mt_call(h, &m) == MT_EBADH;
	}
	CHECK(nodev, "no device memory among 63 handle numbers");
	CHECK(none, "no endpoint behind the handle numbers it was not given");

	/* Memory it was not granted: no way to name physical memory. */
	CHECK(mt_mem_map(0x03FC0000, 4096, MT_PROT_R) == MT_EINVAL,
	      "mapping the key area's address");
	CHECK(MT_SYS(SYS_SHM_MAP, keys, 0x70000000, MT_PROT_R) == MT_EBADH, "mapping the endpoint");

	/* Malformed requests: each an error, and the service lives on. */
	mt_handle_t ep_own = 0, big = 0, ro = 0;
	mt_ep_create(&ep_own);
	mt_shm_create(40 * 4096, &big); /* more than KEY_WINDOW_MAX */
	mt_handle_grant(0, in.h, MT_R_MAP_R | MT_R_GRANT, 0, &ro);
	struct {
		uint64_t w[4];
		unsigned long xfer;
		uint32_t want;
	} bad[] = {
	    {{0, 0, 0, 0}, 0, TEE_ERROR_NOT_SUPPORTED},
	    {{~0ULL, ~0ULL, ~0ULL, ~0ULL}, 0, TEE_ERROR_NOT_SUPPORTED},
	    {{0x4B7F, 0, 0, 0}, in.h, TEE_ERROR_NOT_SUPPORTED},
	    {{KEY_OP_DEVICE_INFO, 0, KEY_SPAN(0, 96), 0},
	     0,
	     TEE_ERROR_BAD_PARAMETERS}, /* no memory */
	    {{KEY_OP_DEVICE_INFO, 0, KEY_SPAN(0xFFFFFFFF, 0xFFFFFFFF), 0},
	     in.h,
	     TEE_ERROR_BAD_PARAMETERS},
	    {{KEY_OP_DEVICE_INFO, 0, KEY_SPAN(in.size - 10, 96), 0},
	     in.h,
	     TEE_ERROR_BAD_PARAMETERS},
	    {{KEY_OP_DEVICE_INFO, 0, KEY_SPAN(0, 95), 0}, in.h, TEE_ERROR_SHORT_BUFFER},
	    {{KEY_OP_DEVICE_INFO, 0, KEY_SPAN(0, 96), 0},
	     ep_own,
	     TEE_ERROR_BAD_PARAMETERS}, /* an endpoint */
	    {{KEY_OP_DEVICE_INFO, 0, KEY_SPAN(0, 96), 0},
	     big,
	     TEE_ERROR_BAD_PARAMETERS}, /* too big */
	    {{KEY_OP_DEVICE_INFO, 0, KEY_SPAN(0, 96), 0},
	     ro,
	     TEE_ERROR_ACCESS_DENIED}, /* read-only */
	    {{KEY_OP_DEVICE_INFO, 0, KEY_SPAN(0, 96), 0},
	     MT_XFER(in.h, ep_own, big, ro),
	     TEE_SUCCESS},
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kreply r =
		    kcall(bad[i].w[0], bad[i].w[1], bad[i].w[2], bad[i].w[3], bad[i].xfer);
		CHECK(r.rc == MT_OK && r.w[0] == bad[i].want, "malformed request %u: rc %ld, 0x%lx",
		      i, r.rc, (unsigned long)r.w[0]);
	}
	/* The handles sent went to the service and back into nothing: its
	 * table does not fill up. */
	for (unsigned i = 0; i < 100; i++)
		kcall(KEY_OP_DEVICE_INFO, 0, KEY_SPAN(0, 96), 0, MT_XFER(in.h, ep_own, big, ro));
	CHECK(hello() == tag, "the key service lives on, not restarted");
	mt_handle_close(ep_own);
	mt_handle_close(big);
	mt_handle_close(ro);

	/* The test hook is a test hook: a TA could not use it in production
	 * (hostile_ta runs with hooks off); here it is on and used later. */
}

static void test_crashes(struct ta *a, struct ta *b, const uint8_t fa[8])
{
	uint32_t tag = hello();
	uint8_t f[8];
	size_t len;

	/* A TA panics: its peer and the service carry on. */
	uint32_t res = ta_values(a, TA_KEYS_CMD_PANIC, 0, 0, 0, 0);
	CHECK(res == TEE_ERROR_TARGET_DEAD, "panic: 0x%x", res);
	mt_handle_close(a->ep);
	mt_handle_close(a->proc);
	a->ep = a->proc = 0;
	CHECK(hello() == tag, "the key service after a TA panic");
	memcpy(in.p, "peer", 4);
	len = 1024;
	CHECK(ta_io(b, TA_KEYS_CMD_SEAL, 4, &len) == TEE_SUCCESS, "B seals after A's panic");
	/* A new instance of A: the same keys, its old blob unseals. */
	CHECK(ta_start(a) == 0, "A again");
	CHECK(fingerprint(a, f) == 0 && memcmp(f, fa, 8) == 0, "A's keys after its restart");
	memcpy(in.p, blob, blob_len);
	len = 1024;
	CHECK(ta_io(a, TA_KEYS_CMD_UNSEAL, blob_len, &len) == TEE_SUCCESS, "A unseals, restarted");

	/* The crypto service crashes: the key service does not notice. */
	struct mt_msg m = {{CRYPTO_OP_TEST_CRASH, 0, 0, 0}, 0, 0};
	long rc = mt_call(crypto, &m);
	CHECK(rc == MT_EPEERDEAD, "crypto crash: %ld", rc);
	mt_sleep_ns(20000000);
	CHECK(hello() == tag, "the key service after the crypto service's crash (same run)");
	len = 1024;
	CHECK(ta_io(a, TA_KEYS_CMD_UNSEAL, blob_len, &len) == TEE_SUCCESS,
	      "A unseals after the crypto crash");

	/* The key service crashes: init restarts it; the keys are the same. */
	uint8_t d0[81], d1[81];
	uint64_t state;
	CHECK(device(a, d0, &state) == 0, "device before");
	struct kreply k = kcall(KEY_OP_TEST_CRASH, 0, 0, 0, 0);
	CHECK(k.rc == MT_EPEERDEAD, "key service crash: %ld", k.rc);
	uint32_t tag2 = hello(); /* queued until the restart */
	CHECK(tag2 != 0 && tag2 != tag, "restarted: tag %x -> %x", tag, tag2);
	CHECK(fingerprint(a, f) == 0 && memcmp(f, fa, 8) == 0,
	      "A's keys after the key service's restart");
	CHECK(device(a, d1, &state) == 0 && memcmp(d0, d1, 81) == 0,
	      "the same device identity and attestation key after the restart");
	memcpy(in.p, blob, blob_len);
	len = 1024;
	CHECK(ta_io(a, TA_KEYS_CMD_UNSEAL, blob_len, &len) == TEE_SUCCESS,
	      "A unseals after the restart");
	len = 1024;
	CHECK(ta_io(b, TA_KEYS_CMD_UNSEAL, blob_len, &len) == TEE_ERROR_MAC_INVALID,
	      "B still cannot, after the restart");
}

/* ---- test 2 ---- */

static void bench(struct ta *a)
{
	uint64_t attest = 0, seal = 0;
	uint32_t res =
	    ta_values(a, TA_KEYS_CMD_BENCH,
	              TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
	                              TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE),
	              15, &attest, &seal);
	CHECK(res == TEE_SUCCESS && attest && seal, "bench: 0x%x", res);
	printf("keys_bench: attest_report_insns %lu\n", (unsigned long)attest);
	printf("keys_bench: seal_4k_insns %lu\n", (unsigned long)seal);
}

int mt_main(unsigned long arg, unsigned long arg2)
{
	(void)arg2;
	unsigned test = (unsigned)KEYS_TEST_ARG_GET(arg, 0);
	crypto = KEYS_TEST_ARG_GET(arg, 1);
	sup = KEYS_TEST_ARG_GET(arg, 2);
	keys = KEYS_TEST_ARG_GET(arg, 3);

	if (test == 1) {
		printf("test_keys: reading the key area of flash at 0x%lx\n", 0x03FC0000UL);
		volatile uint32_t *p = (volatile uint32_t *)0x03FC0000UL;
		printf("test_keys: read 0x%x: FAIL\n", *p);
		return 1;
	}
	if (mt_shm_create(4096, &page_shm) != MT_OK ||
	    !(page = mt_shm_map_any(page_shm, MT_PROT_R | MT_PROT_W, 0)) ||
	    buf_new(&in, 64 * 1024) != 0 || buf_new(&out, 64 * 1024) != 0) {
		printf("test_keys: no memory\ntest_keys: FAIL\n");
		return 1;
	}
	CHECK(hello() != 0, "the key service answers");
	struct ta *a = &ta_a, *b = &ta_b;
	CHECK(ta_start(a) == 0 && ta_start(b) == 0, "starting the test TAs");
	if (a->ep && b->ep) {
		if (test == 0) {
			uint8_t fa[8];
			test_tas(a, b);
			CHECK(fingerprint(a, fa) == 0, "A's fingerprint");
			test_hostile(blob, blob_len);
			test_crashes(a, b, fa);
		} else if (test == 2) {
			bench(a);
		} else {
			print_identity(a, b);
		}
	}
	ta_stop(a);
	ta_stop(b);
	printf("test_keys: %d checks passed, %d failed\n", passed, failed);
	printf("test_keys: %s\n", failed ? "FAIL" : "PASS");
	return failed ? 1 : 0;
}
