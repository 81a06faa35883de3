/* libFuzzer harness: the key service's requests (services/keys/serve.c
 * keys_serve: who is calling, the data object it maps for the request, the
 * spans, the checks of each request, then keys.c's derivation, sealing,
 * unsealing and reports), on the kernel model of svc_shim.c. The service
 * starts as main.c starts it (init's client table mapped read-only at its
 * address, the HUK, the attestation key), with a fixed HUK and three
 * measurements the harness provides instead of the flash driver.
 *
 * Input: byte 0, the number of requests (1 to 8); then per request 28
 * bytes: the request (0-6: HELLO, DEVICE_INFO, DERIVE, SEAL, UNSEAL,
 * ATTEST, TEST_CRASH; 7-127: 0x4B00 + it, so 7 and 8 are STORE_SEAL and
 * STORE_UNSEAL; else it - 128), the caller (bits 0-2 mod 5: TA A, TA B, a
 * badge in no client table, 0, the storage service), the data object (bits 0-5: its
 * pages, 0 for none; bits 6-7: read-write, read-only, revoked, or an
 * endpoint in its place), extra handles in slots 1-3 (bits 0-2), then w1,
 * w2 and w3 (8 bytes each; a span whose length has bit 31 set ends near the
 * object's end). The rest of the input fills every data object.
 *
 * Checked for every request, against a model of key_ipc.h: the exact
 * result (and w1: the length written or needed), which follows from the
 * caller, the object and the spans, except whether a well-formed sealed
 * blob authenticates; nothing written in the object when the request fails,
 * and only the output span's first w1 bytes when it succeeds; every handle
 * the message carried closed and nothing left mapped. What a request
 * produces is checked too: the device information; a derived key is the
 * same when asked again and differs for the other TA; a sealed blob
 * unseals to the data for its TA and is refused to the other; a report
 * carries the nonce, the caller, its measurement and the device, and its
 * signature verifies under the device's public key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ecdsa.h>
#include <mbedtls/platform.h>
#include <mbedtls/sha256.h>

#include "../../services/common/flash_client.h"
#include "../../services/keys/keys.h"
#include "svc_shim.h"

const char fz_harness[] = "keys";

#define REQ_SIZE 28
#define MAX_REQS 8
#define BADGE_A 0x10001U
#define BADGE_B 0x10002U
#define BADGE_NOBODY 0x10003U
#define BADGE_STORAGE KEY_BADGE_STORAGE

static const uint8_t uuid_a[16] = {0x8a, 0xaa, 0xf2, 0x00, 0x24, 0x50, 0x11, 0xe4,
				   0xab, 0xe2, 0x00, 0x02, 0xa5, 0xd5, 0xc5, 0x1b};
static const uint8_t uuid_b[16] = {0x5b, 0x9e, 0x0e, 0x40, 0x27, 0x57, 0x11, 0xe8,
				   0xb2, 0x3e, 0x00, 0x02, 0xa5, 0xd5, 0xc5, 0x1b};

static struct keys_conf conf;
static struct key_device_info info;
static mbedtls_ecp_group grp;
static mbedtls_ecp_point pub;
static uint8_t before[KEY_WINDOW_MAX + 4 * MT_PAGE_SIZE];

static void require(int ok, const char *what)
{
	if (!ok)
		fz_fail(what);
}

/* The flash driver is not there: main.c reads the measurements and the
 * HUK through it at start, which the harness does in its own way. */
long flash_buf_init(struct flash_buf *b, size_t size, uintptr_t va)
{
	(void)b, (void)size, (void)va;
	fz_fail("the flash driver was used while serving a request");
}
void flash_buf_free(struct flash_buf *b)
{
	(void)b;
	fz_fail("the flash driver was used while serving a request");
}
long flash_info(mt_handle_t ep, unsigned region, uint64_t *size, uint64_t *block, uint64_t *base)
{
	(void)ep, (void)region, (void)size, (void)block, (void)base;
	fz_fail("the flash driver was used while serving a request");
}
long flash_read_shm(mt_handle_t ep, unsigned region, uint64_t off, size_t len, mt_handle_t shm)
{
	(void)ep, (void)region, (void)off, (void)len, (void)shm;
	fz_fail("the flash driver was used while serving a request");
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

/* A span inside an object of `size` bytes (key_ipc.h: both 32-bit). */
static int span_in(uint64_t s, size_t size, size_t *off, size_t *len)
{
	*off = KEY_SPAN_OFF(s);
	*len = KEY_SPAN_LEN(s);
	return (uint64_t)*off + *len <= size;
}

/* A span whose length has bit 31 set is taken to end near the end of the
 * window, 8 bytes before it to 7 past it (by the length's low 4 bits): so
 * the off-by-ones at the end are a bit flip away for the fuzzer. */
static uint64_t span_near_end(uint64_t s, size_t size)
{
	uint32_t off = (uint32_t)s, len = (uint32_t)(s >> 32);
	if (!(len >> 31) || off > size)
		return s;
	uint64_t end = (uint64_t)size - 8 + (len & 15);
	len = end > off ? (uint32_t)(end - off) : 0;
	return (uint64_t)off | (uint64_t)len << 32;
}

static void add_meas(uint32_t kind, const char *name, uint8_t fill)
{
	struct meas *m = &meas[nmeas++];
	memset(m, 0, sizeof(*m));
	m->kind = kind;
	m->offset = 0x1000 * nmeas;
	m->size = 0x800;
	strncpy(m->name, name, sizeof(m->name) - 1);
	memset(m->sha256, fill, sizeof(m->sha256));
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fz_svc_init();
	mbedtls_platform_set_calloc_free(calloc, free);
	fz_rng_reset();
	/* init's client table, mapped read-only where main.c maps it. */
	int tab = fz_obj_new(1);
	mt_handle_t th = fz_give(tab, MT_R_MAP_R);
	require(MT_SYS(SYS_SHM_MAP, th, KEYS_TABLE_VA, MT_PROT_R) == MT_OK, "no client table");
	struct key_client *t = (struct key_client *)fz_obj_mem(tab);
	t[3].badge = BADGE_A;
	memcpy(t[3].uuid, uuid_a, 16);
	t[7].badge = BADGE_B;
	memcpy(t[7].uuid, uuid_b, 16);
	conf.table = (const volatile struct key_client *)KEYS_TABLE_VA;
	/* Measurements: TA A's image is among them, TA B's is not. */
	add_meas(KEY_MEAS_MONITOR, "monitor", 0x11);
	add_meas(KEY_MEAS_KERNEL, "kernel", 0x22);
	add_meas(KEY_MEAS_TA, "8aaaf200-2450-11e4-abe2-0002a5d5c51b.ta", 0x33);
	conf.measured = 1;
	conf.state = KEY_STATE_HUK_PERSISTENT;
	conf.run_tag = 0x5eed1234;
	uint8_t huk[32];
	for (int i = 0; i < 32; i++)
		huk[i] = (uint8_t)(0xA0 + i);
	require(keys_init(huk, conf.state) == 0, "keys_init failed");
	keys_device_info(&info);
	mbedtls_ecp_group_init(&grp);
	mbedtls_ecp_point_init(&pub);
	require(mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1) == 0 &&
			mbedtls_ecp_point_read_binary(&grp, &pub, info.pubkey, sizeof(info.pubkey)) == 0,
		"the device's public key does not load");
	fz_svc_checkpoint();
	/* The service's console lines would flood the log. */
	if (!freopen("/dev/null", "w", stdout))
		return 1;
	return 0;
}

/* One request from `badge` on a fresh read-write object holding `data`;
 * the object's bytes after it in *out (up to out_len). */
static uint32_t side_call(uint64_t badge, uint64_t op, const uint8_t *data, size_t len,
			  uint64_t w1, uint64_t w2, uint8_t *out, size_t out_len, uint64_t *rw1)
{
	unsigned pages = (unsigned)((len + out_len + MT_PAGE_SIZE - 1) / MT_PAGE_SIZE);
	int o = fz_obj_new(pages ? pages : 1);
	require(o >= 0, "the harness ran out of shared memory");
	memcpy(fz_obj_mem(o), data, len);
	struct mt_msg m = {{op, w1, w2, 0}, fz_give(o, MT_R_MAP_R | MT_R_MAP_W), badge};
	struct reply r = {{0, 0, 0, 0}};
	uint32_t res = keys_serve(&conf, &m, &r);
	if (out)
		memcpy(out, fz_obj_mem(o) + len, out_len);
	*rw1 = r.w[1];
	return res;
}

static const uint8_t *uuid_of(uint64_t badge)
{
	return badge == BADGE_A ? uuid_a : uuid_b;
}

static void check_derive(uint64_t badge, const uint8_t *label, size_t label_len,
			 const uint8_t *key, size_t key_len)
{
	uint8_t again[KEY_DERIVE_MAX];
	uint64_t w1;
	uint64_t in = KEY_SPAN(0, label_len), out = KEY_SPAN(label_len, key_len);
	require(side_call(badge, KEY_OP_DERIVE, label, label_len, in, out, again, key_len, &w1) ==
				TEE_SUCCESS &&
			w1 == key_len && memcmp(again, key, key_len) == 0,
		"DERIVE gave another key for the same TA, label and length");
	uint64_t other = badge == BADGE_A ? BADGE_B : BADGE_A;
	require(side_call(other, KEY_OP_DERIVE, label, label_len, in, out, again, key_len, &w1) ==
				TEE_SUCCESS &&
			memcmp(again, key, key_len) != 0,
		"DERIVE gave two TAs the same key");
}

static void check_sealed(uint64_t badge, const uint8_t *data, size_t len, const uint8_t *blob)
{
	static uint8_t back[KEY_SEAL_MAX];
	size_t blen = KEY_SEALED_SIZE(len);
	struct key_sealed_header h;
	memcpy(&h, blob, sizeof(h));
	require(memcmp(h.magic, KEY_SEAL_MAGIC, 4) == 0 && h.version == KEY_SEAL_VERSION &&
			h.alg == KEY_SEAL_ALG_AES256_GCM && h.data_len == len && !h.reserved &&
			!h.reserved2,
		"a sealed blob's header is not key_ipc.h's");
	uint64_t w1;
	require(side_call(badge, KEY_OP_UNSEAL, blob, blen, KEY_SPAN(0, blen), KEY_SPAN(blen, len),
			  back, len, &w1) == TEE_SUCCESS &&
			w1 == len && memcmp(back, data, len) == 0,
		"a sealed blob does not unseal to its data");
	uint64_t other = badge == BADGE_A ? BADGE_B : BADGE_A;
	require(side_call(other, KEY_OP_UNSEAL, blob, blen, KEY_SPAN(0, blen), KEY_SPAN(blen, len),
			  0, len, &w1) == TEE_ERROR_MAC_INVALID,
		"another TA unsealed a TA's blob");
}

/* A storage record unseals for its owner and aad, and not for another
 * owner, another aad, or as a TA's sealed data. */
static void check_stored(const uint8_t *req, const uint8_t *blob)
{
	static uint8_t q[sizeof(struct key_store_req) + KEY_STORE_AAD_MAX +
			 KEY_STORE_SEALED_SIZE(KEY_STORE_DATA_MAX)];
	static uint8_t back[KEY_STORE_DATA_MAX];
	struct key_store_req h;
	memcpy(&h, req, sizeof(h));
	size_t len = h.len, blen = KEY_STORE_SEALED_SIZE(len), n = sizeof(h) + h.aad_len + blen;
	const uint8_t *data = req + sizeof(h) + h.aad_len;
	h.len = (uint32_t)blen;
	memcpy(q, &h, sizeof(h));
	memcpy(q + sizeof(h), req + sizeof(h), h.aad_len);
	memcpy(q + sizeof(h) + h.aad_len, blob, blen);
	uint64_t w1;
	require(side_call(BADGE_STORAGE, KEY_OP_STORE_UNSEAL, q, n, KEY_SPAN(0, n),
			  KEY_SPAN(n, len), back, len, &w1) == TEE_SUCCESS &&
			w1 == len && memcmp(back, data, len) == 0,
		"a storage record does not unseal to its data");
	q[0] ^= 1; /* another owner */
	require(side_call(BADGE_STORAGE, KEY_OP_STORE_UNSEAL, q, n, KEY_SPAN(0, n),
			  KEY_SPAN(n, len), 0, len, &w1) == TEE_ERROR_MAC_INVALID,
		"a storage record unsealed for another owner");
	q[0] ^= 1;
	if (h.aad_len) {
		q[sizeof(h)] ^= 0x80; /* other additional data */
		require(side_call(BADGE_STORAGE, KEY_OP_STORE_UNSEAL, q, n, KEY_SPAN(0, n),
				  KEY_SPAN(n, len), 0, len, &w1) == TEE_ERROR_MAC_INVALID,
			"a storage record unsealed with other additional data");
	}
	require(side_call(BADGE_A, KEY_OP_UNSEAL, blob, blen, KEY_SPAN(0, blen),
			  KEY_SPAN(blen, len), 0, len, &w1) == TEE_ERROR_BAD_FORMAT,
		"a storage record was taken for a TA's sealed data");
}

static void check_report(uint64_t badge, const uint8_t *nonce, size_t nonce_len,
			 const uint8_t *rep, size_t len)
{
	struct key_report r;
	memcpy(&r, rep, sizeof(r));
	size_t body = sizeof(r) + nmeas * sizeof(struct key_report_meas);
	require(memcmp(r.magic, KEY_REPORT_MAGIC, 8) == 0 && r.version == KEY_REPORT_VERSION &&
			r.header_size == sizeof(r) && r.total_size == len &&
			len == body + KEY_REPORT_SIG_LEN && r.flags == conf.state &&
			r.nmeas == nmeas && r.meas_size == sizeof(struct key_report_meas) &&
			r.nonce_len == nonce_len && r.sig_alg == KEY_REPORT_SIG_ECDSA_P256_SHA256,
		"a report's header is not key_ipc.h's");
	uint8_t zero[KEY_NONCE_MAX] = {0};
	require(memcmp(r.nonce, nonce, nonce_len) == 0 &&
			memcmp(r.nonce + nonce_len, zero, KEY_NONCE_MAX - nonce_len) == 0,
		"a report does not carry the caller's nonce");
	require(memcmp(r.ta_uuid, uuid_of(badge), 16) == 0 &&
			memcmp(r.device_id, info.device_id, 16) == 0,
		"a report names another TA or device");
	uint8_t want[32];
	memset(want, badge == BADGE_A ? 0x33 : 0, sizeof(want));
	require(memcmp(r.ta_hash, want, 32) == 0, "a report gives the TA another measurement");
	for (unsigned i = 0; i < nmeas; i++) {
		struct key_report_meas m;
		memcpy(&m, rep + sizeof(r) + i * sizeof(m), sizeof(m));
		require(m.kind == meas[i].kind && m.size == meas[i].size &&
				memcmp(m.sha256, meas[i].sha256, 32) == 0,
			"a report's measurement is not the service's");
	}
	uint8_t hash[32];
	mbedtls_mpi sr, ss;
	mbedtls_mpi_init(&sr);
	mbedtls_mpi_init(&ss);
	int rc = mbedtls_sha256(rep, body, hash, 0);
	if (!rc)
		rc = mbedtls_mpi_read_binary(&sr, rep + body, 32);
	if (!rc)
		rc = mbedtls_mpi_read_binary(&ss, rep + body + 32, 32);
	if (!rc)
		rc = mbedtls_ecdsa_verify(&grp, hash, sizeof(hash), &pub, &sr, &ss);
	mbedtls_mpi_free(&sr);
	mbedtls_mpi_free(&ss);
	require(rc == 0, "a report's signature does not verify under the device key");
}

/* What key_ipc.h says the request gets, as far as the harness can know it
 * without the crypto: TEE_SUCCESS means "success, or for UNSEAL,
 * TEE_ERROR_MAC_INVALID"; *need is w1 for a success or short buffer. */
static uint32_t expect(uint64_t op, int is_ta, int is_storage, int obj, unsigned kind,
		       const uint64_t *w, size_t *need)
{
	*need = 0;
	int store = op == KEY_OP_STORE_SEAL || op == KEY_OP_STORE_UNSEAL;
	if (op == KEY_OP_HELLO)
		return TEE_SUCCESS;
	if (op == KEY_OP_OBJ_SEAL || op == KEY_OP_OBJ_UNSEAL)
		return TEE_ERROR_ACCESS_DENIED; /* the crypto service's badge only: no caller here */
	if ((op < KEY_OP_DEVICE_INFO || op > KEY_OP_ATTEST) && !store)
		return TEE_ERROR_NOT_SUPPORTED; /* TEST_CRASH too: no test hooks */
	if (store ? !is_storage : op != KEY_OP_DEVICE_INFO && !is_ta)
		return TEE_ERROR_ACCESS_DENIED;
	if (obj < 0 || kind == 2 || kind == 3)
		return TEE_ERROR_BAD_PARAMETERS;
	if (kind == 1)
		return TEE_ERROR_ACCESS_DENIED;
	size_t size = fz_obj_size(obj);
	if (size > KEY_WINDOW_MAX)
		return TEE_ERROR_BAD_PARAMETERS;
	size_t ioff, ilen, ooff, olen;
	int in_ok = span_in(w[1], size, &ioff, &ilen), out_ok = span_in(w[2], size, &ooff, &olen);
	switch (op) {
	case KEY_OP_DEVICE_INFO:
		if (!out_ok)
			return TEE_ERROR_BAD_PARAMETERS;
		*need = sizeof(struct key_device_info);
		return olen < *need ? TEE_ERROR_SHORT_BUFFER : TEE_SUCCESS;
	case KEY_OP_DERIVE:
		if (!in_ok || !out_ok || ilen > KEY_LABEL_MAX || olen < KEY_DERIVE_MIN ||
		    olen > KEY_DERIVE_MAX)
			return TEE_ERROR_BAD_PARAMETERS;
		*need = olen;
		return TEE_SUCCESS;
	case KEY_OP_SEAL:
		if (!in_ok || !out_ok || ilen > KEY_SEAL_MAX)
			return TEE_ERROR_BAD_PARAMETERS;
		*need = KEY_SEALED_SIZE(ilen);
		return olen < *need ? TEE_ERROR_SHORT_BUFFER : TEE_SUCCESS;
	case KEY_OP_UNSEAL: {
		if (!in_ok || !out_ok)
			return TEE_ERROR_BAD_PARAMETERS;
		if (ilen < KEY_SEALED_OVERHEAD || ilen > KEY_SEALED_SIZE(KEY_SEAL_MAX))
			return TEE_ERROR_BAD_FORMAT;
		*need = ilen - KEY_SEALED_OVERHEAD;
		if (olen < *need)
			return TEE_ERROR_SHORT_BUFFER;
		struct key_sealed_header h;
		memcpy(&h, fz_obj_mem(obj) + ioff, sizeof(h));
		if (memcmp(h.magic, KEY_SEAL_MAGIC, 4) != 0 || h.version != KEY_SEAL_VERSION ||
		    h.alg != KEY_SEAL_ALG_AES256_GCM || h.reserved || h.reserved2 ||
		    h.data_len != *need)
			return TEE_ERROR_BAD_FORMAT;
		return TEE_SUCCESS;
	}
	case KEY_OP_STORE_SEAL:
	case KEY_OP_STORE_UNSEAL: {
		struct key_store_req q;
		if (!in_ok || !out_ok || ilen < sizeof(q) ||
		    ilen > sizeof(q) + KEY_STORE_AAD_MAX + KEY_STORE_SEALED_SIZE(KEY_STORE_DATA_MAX))
			return TEE_ERROR_BAD_PARAMETERS;
		memcpy(&q, fz_obj_mem(obj) + ioff, sizeof(q));
		if (q.aad_len > KEY_STORE_AAD_MAX || (uint64_t)sizeof(q) + q.aad_len + q.len != ilen)
			return TEE_ERROR_BAD_PARAMETERS;
		if (op == KEY_OP_STORE_SEAL) {
			if (q.len > KEY_STORE_DATA_MAX)
				return TEE_ERROR_BAD_PARAMETERS;
			*need = KEY_STORE_SEALED_SIZE(q.len);
			return olen < *need ? TEE_ERROR_SHORT_BUFFER : TEE_SUCCESS;
		}
		if (q.len < KEY_SEALED_OVERHEAD || q.len > KEY_STORE_SEALED_SIZE(KEY_STORE_DATA_MAX))
			return TEE_ERROR_BAD_FORMAT;
		*need = q.len - KEY_SEALED_OVERHEAD;
		if (olen < *need)
			return TEE_ERROR_SHORT_BUFFER;
		struct key_sealed_header h;
		memcpy(&h, fz_obj_mem(obj) + ioff + sizeof(q) + q.aad_len, sizeof(h));
		if (memcmp(h.magic, KEY_STORE_MAGIC, 4) != 0 || h.version != KEY_SEAL_VERSION ||
		    h.alg != KEY_SEAL_ALG_AES256_GCM || h.reserved || h.reserved2 ||
		    h.data_len != *need)
			return TEE_ERROR_BAD_FORMAT;
		return TEE_SUCCESS;
	}
	default: /* ATTEST */
		if (!in_ok || !out_ok || ilen == 0 || ilen > KEY_NONCE_MAX)
			return TEE_ERROR_BAD_PARAMETERS;
		*need = sizeof(struct key_report) + nmeas * sizeof(struct key_report_meas) +
			KEY_REPORT_SIG_LEN;
		return olen < *need ? TEE_ERROR_SHORT_BUFFER : TEE_SUCCESS;
	}
}

static void one_request(const uint8_t *q, const uint8_t *fill, size_t fill_len)
{
	static const uint64_t ops[] = {KEY_OP_HELLO,  KEY_OP_DEVICE_INFO, KEY_OP_DERIVE,
				       KEY_OP_SEAL,   KEY_OP_UNSEAL,      KEY_OP_ATTEST,
				       KEY_OP_TEST_CRASH};
	static const uint64_t badges[] = {BADGE_A, BADGE_B, BADGE_NOBODY, 0, BADGE_STORAGE};
	uint64_t op = q[0] < 7 ? ops[q[0]] : q[0] < 128 ? 0x4B00U + q[0] : q[0] - 128U;
	uint64_t badge = badges[(q[1] & 7) % 5];
	unsigned pages = q[2] & 0x3f, kind = q[2] >> 6;
	uint64_t w[4] = {op, rd64(q + 4), rd64(q + 12), rd64(q + 20)};

	/* The message's handles, as the kernel puts them in the service's
	 * table. */
	int obj = -1;
	mt_handle_t hs[4] = {0, 0, 0, 0};
	if (pages && (obj = fz_obj_new(pages > 33 ? 33 : pages)) >= 0) {
		size_t size = fz_obj_size(obj);
		memcpy(fz_obj_mem(obj), fill, fill_len < size ? fill_len : size);
		if (kind == 2)
			fz_obj_revoke(obj);
		hs[0] = kind == 3   ? fz_give_endpoint()
			: kind == 1 ? fz_give(obj, MT_R_MAP_R | MT_R_GRANT)
				    : fz_give(obj, MT_R_MAP_R | MT_R_MAP_W | MT_R_GRANT);
	}
	for (unsigned i = 1; i < 4; i++)
		if (q[3] & (1U << (i - 1))) {
			int x = fz_obj_new(1);
			if (x >= 0)
				hs[i] = fz_give(x, MT_R_MAP_R | MT_R_MAP_W);
		}
	size_t size = obj >= 0 ? fz_obj_size(obj) : 0;
	w[1] = span_near_end(w[1], size);
	w[2] = span_near_end(w[2], size);
	if (size > sizeof(before))
		size = sizeof(before);
	if (obj >= 0)
		memcpy(before, fz_obj_mem(obj), size);

	size_t need;
	int is_ta = badge == BADGE_A || badge == BADGE_B;
	uint32_t want = expect(op, is_ta, badge == BADGE_STORAGE, obj, kind, w, &need);
	struct mt_msg m = {{w[0], w[1], w[2], w[3]}, MT_XFER(hs[0], hs[1], hs[2], hs[3]), badge};
	struct reply r = {{0, 0, 0, 0}};
	uint32_t res = keys_serve(&conf, &m, &r);
#ifdef FZ_TRACE /* -DFZ_TRACE: each request and its answer on stderr */
	fprintf(stderr, "%#lx from %#lx: %#x w1 %#lx\n", (unsigned long)op, (unsigned long)badge, res,
		(unsigned long)r.w[1]);
#endif

	require(fz_handles() == 0, "a handle the message carried is still open");
	require(fz_mappings() == 0, "a request's data object is still mapped");
	if (want == TEE_SUCCESS && (op == KEY_OP_UNSEAL || op == KEY_OP_STORE_UNSEAL))
		require(res == TEE_SUCCESS || res == TEE_ERROR_MAC_INVALID,
			"UNSEAL of a well-formed blob: neither its data nor MAC_INVALID");
	else
		require(res == want, "a result other than key_ipc.h's for this request");
	if (op == KEY_OP_HELLO)
		require(r.w[1] == KEY_HELLO_MAGIC && r.w[2] == KEY_PROTOCOL_VERSION &&
				r.w[3] == (conf.state | (uint64_t)conf.run_tag << 32),
			"HELLO's answer is wrong");
	else if (res == TEE_SUCCESS || res == TEE_ERROR_SHORT_BUFFER)
		require(r.w[1] == need, "w1 is not the length written or needed");

	/* Writes: none for a failure; for a success, the output span's first
	 * w1 bytes at most. */
	if (obj < 0)
		return;
	uint8_t *now = fz_obj_mem(obj);
	size_t ooff = KEY_SPAN_OFF(w[2]);
	for (size_t i = 0; i < size; i++)
		if (now[i] != before[i])
			require(res == TEE_SUCCESS && i >= ooff && i - ooff < r.w[1],
				"the service wrote outside the output it was given");
	if (res != TEE_SUCCESS)
		return;
	size_t ioff = KEY_SPAN_OFF(w[1]), ilen = KEY_SPAN_LEN(w[1]);
	switch (op) {
	case KEY_OP_DEVICE_INFO:
		require(memcmp(now + ooff, &info, sizeof(info)) == 0,
			"DEVICE_INFO is not the device's");
		break;
	case KEY_OP_DERIVE:
		check_derive(badge, before + ioff, ilen, now + ooff, need);
		break;
	case KEY_OP_SEAL:
		check_sealed(badge, before + ioff, ilen, now + ooff);
		break;
	case KEY_OP_ATTEST:
		check_report(badge, before + ioff, ilen, now + ooff, need);
		break;
	case KEY_OP_STORE_SEAL:
		check_stored(before + ioff, now + ooff);
		break;
	default:
		break;
	}
	require(fz_handles() == 0 && fz_mappings() == 0, "a check's request left something behind");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 + REQ_SIZE)
		return 0;
	unsigned n = 1 + data[0] % MAX_REQS;
	if (size < 1 + n * REQ_SIZE)
		n = (unsigned)((size - 1) / REQ_SIZE);
	const uint8_t *fill = data + 1 + n * REQ_SIZE;
	size_t fill_len = size - 1 - n * REQ_SIZE;
	fz_svc_reset();
	fz_rng_reset();
	for (unsigned i = 0; i < n; i++)
		one_request(data + 1 + i * REQ_SIZE, fill, fill_len);
	return 0;
}
