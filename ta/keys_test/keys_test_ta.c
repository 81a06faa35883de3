/* keys_test: a TA that uses the key service through lib/tee's key API
 * (mt_keys.h), for tests/progs/test_keys: it seals, unseals, derives keys
 * and gets attestation reports on request, checks the API from the inside
 * (SELFTEST), panics on request, and measures the cost of a report and of
 * sealing 4 KiB (BENCH). ta/keys_peer builds this same file under another
 * UUID. */
#include <stdio.h>
#include <string.h>

#include <keys_test_ta.h>
#include <mt_keys.h>
#include <tee_internal_api.h>

#include "../../include/microtee/key_ipc.h"

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t types, TEE_Param params[4], void **ctx)
{
	(void)types;
	(void)params;
	(void)ctx;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *ctx)
{
	(void)ctx;
}

/* ---- SELFTEST ---- */

static unsigned run, failed;

#define T(cond)                                                                                    \
	do {                                                                                       \
		run++;                                                                             \
		if (!(cond)) {                                                                     \
			failed++;                                                                  \
			printf("[keys_test] check failed at line %d: %s\n", __LINE__, #cond);      \
		}                                                                                  \
	} while (0)

static uint8_t data[KEY_SEAL_MAX], back[KEY_SEAL_MAX];
static uint8_t sealed[KEY_SEALED_SIZE(KEY_SEAL_MAX)], sealed2[KEY_SEALED_SIZE(KEY_SEAL_MAX)];
static uint8_t report[KEY_REPORT_MAX];

static void fill(uint8_t *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 31 + seed);
}

static void check_properties(uint8_t id[16])
{
	TEE_UUID u;
	uint8_t bin[16], pub[65];
	char s[140];
	size_t len = sizeof(bin);
	T(TEE_GetDevicePropertyAsUUID(TEE_DEVICE_PROP_ID, &u) == TEE_SUCCESS);
	T(TEE_GetDevicePropertyAsBinaryBlock(TEE_DEVICE_PROP_ID, bin, &len) == TEE_SUCCESS &&
	  len == 16);
	memcpy(id, bin, 16);
	T((uint32_t)bin[0] << 24 == (u.timeLow & 0xFF000000U) && bin[5] == (u.timeMid & 0xFF) &&
	  memcmp(bin + 8, u.clockSeqAndNode, 8) == 0);
	T((bin[6] >> 4) == 8 && (bin[8] >> 6) == 2); /* version 8, RFC 4122 variant */
	len = sizeof(s);
	T(TEE_GetDevicePropertyAsString(TEE_DEVICE_PROP_ID, s, &len) == TEE_SUCCESS && len == 37 &&
	  s[8] == '-' && s[36] == '\0');
	char want[3];
	snprintf(want, sizeof(want), "%02x", bin[15]);
	T(memcmp(s + 34, want, 2) == 0);

	len = sizeof(pub);
	T(TEE_GetDevicePropertyAsBinaryBlock(TEE_DEVICE_PROP_ATTESTATION_KEY, pub, &len) ==
	      TEE_SUCCESS &&
	  len == 65 && pub[0] == 0x04);
	len = 10;
	T(TEE_GetDevicePropertyAsBinaryBlock(TEE_DEVICE_PROP_ATTESTATION_KEY, pub, &len) ==
	      TEE_ERROR_SHORT_BUFFER &&
	  len == 65);
	len = sizeof(s);
	T(TEE_GetDevicePropertyAsString(TEE_DEVICE_PROP_ATTESTATION_KEY, s, &len) == TEE_SUCCESS &&
	  len == 131 && s[0] == '0' && s[1] == '4');
	uint32_t st = 0;
	T(TEE_GetDevicePropertyAsU32(TEE_DEVICE_PROP_KEY_STATE, &st) == TEE_SUCCESS &&
	  (st & KEY_STATE_HUK_PERSISTENT) && !(st & KEY_STATE_HUK_VOLATILE));
	T(TEE_GetDevicePropertyAsUUID("gpd.tee.noSuchThing", &u) == TEE_ERROR_ITEM_NOT_FOUND);
	T(TEE_GetDevicePropertyAsUUID(TEE_DEVICE_PROP_ATTESTATION_KEY, &u) == TEE_ERROR_BAD_FORMAT);
	T(TEE_GetDevicePropertyAsU32(TEE_DEVICE_PROP_ID, &st) == TEE_ERROR_BAD_FORMAT);
	/* The same identity is GP's implementation property (lib/tee/props.c). */
	TEE_UUID v;
	T(TEE_GetPropertyAsUUID(TEE_PROPSET_TEE_IMPLEMENTATION, TEE_DEVICE_PROP_ID, &v) ==
	      TEE_SUCCESS &&
	  memcmp(&v, &u, sizeof(v)) == 0);
	bool ecc = false;
	T(TEE_GetPropertyAsBool(TEE_PROPSET_TEE_IMPLEMENTATION, "gpd.tee.cryptography.ecc", &ecc) ==
	      TEE_SUCCESS &&
	  ecc);
	T(TEE_GetPropertyAsU32(TEE_PROPSET_TEE_IMPLEMENTATION,
	                       "gpd.tee.trustedos.implementation.binaryversion",
	                       &st) == TEE_SUCCESS);
	len = sizeof(s);
	T(TEE_GetPropertyAsString(TEE_PROPSET_TEE_IMPLEMENTATION, "gpd.tee.firmware.manufacturer",
	                          s, &len) == TEE_SUCCESS &&
	  strcmp(s, "MicroTEE") == 0);
}

/* TA persistent time (lib/tee/misc.c, tatime.c): unset in a new
 * instance, then the time set plus the time since, wrapping past 2^32 s
 * with TEE_ERROR_OVERFLOW. */
static void check_ta_time(void)
{
	static bool set_before; /* by an earlier command of this instance */
	TEE_Time t = {7, 7};
	TEE_Result res = TEE_GetTAPersistentTime(&t);
	T(set_before ? res == TEE_SUCCESS || res == TEE_ERROR_OVERFLOW
	             : res == TEE_ERROR_TIME_NOT_SET);
	T(TEE_SetTAPersistentTime(&(TEE_Time){1000, 500}) == TEE_SUCCESS);
	set_before = true;
	T(TEE_GetTAPersistentTime(&t) == TEE_SUCCESS && t.seconds >= 1000 && t.seconds <= 1001);
	T(TEE_SetTAPersistentTime(&(TEE_Time){UINT32_MAX, 900}) == TEE_SUCCESS);
	T(TEE_Wait(200) == TEE_SUCCESS);
	T(TEE_GetTAPersistentTime(&t) == TEE_ERROR_OVERFLOW && t.seconds <= 1);
}

static void check_sealing(void)
{
	static const size_t sizes[] = {0, 1, 100, 4096, KEY_SEAL_MAX};
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = sizes[i], slen = sizeof(sealed), blen = sizeof(back);
		fill(data, n, i);
		T(TEE_SealData(data, n, sealed, &slen) == TEE_SUCCESS &&
		  slen == n + TEE_SEALED_DATA_OVERHEAD);
		memset(back, 0xAA, n);
		T(TEE_UnsealData(sealed, slen, back, &blen) == TEE_SUCCESS && blen == n &&
		  memcmp(back, data, n) == 0);
	}

	/* A fresh IV each time: the same data seals differently. */
	size_t n = 64, slen = sizeof(sealed), slen2 = sizeof(sealed2), blen;
	fill(data, n, 7);
	T(TEE_SealData(data, n, sealed, &slen) == TEE_SUCCESS);
	T(TEE_SealData(data, n, sealed2, &slen2) == TEE_SUCCESS && slen2 == slen &&
	  memcmp(sealed, sealed2, slen) != 0);

	/* Every single-bit change is caught. */
	struct {
		size_t byte;
		TEE_Result want;
	} flips[] = {
	    {0, TEE_ERROR_BAD_FORMAT},             /* magic */
	    {4, TEE_ERROR_BAD_FORMAT},             /* version */
	    {8, TEE_ERROR_BAD_FORMAT},             /* data length */
	    {12, TEE_ERROR_BAD_FORMAT},            /* reserved */
	    {16, TEE_ERROR_MAC_INVALID},           /* IV */
	    {27, TEE_ERROR_MAC_INVALID},           /* IV, last byte */
	    {32, TEE_ERROR_MAC_INVALID},           /* ciphertext */
	    {32 + 63, TEE_ERROR_MAC_INVALID},      /* ciphertext, last byte */
	    {32 + 64, TEE_ERROR_MAC_INVALID},      /* tag */
	    {32 + 64 + 15, TEE_ERROR_MAC_INVALID}, /* tag, last byte */
	};
	for (unsigned i = 0; i < sizeof(flips) / sizeof(flips[0]); i++) {
		for (unsigned bit = 0; bit < 8; bit += 7) {
			memcpy(sealed2, sealed, slen);
			sealed2[flips[i].byte] ^= (uint8_t)(1U << bit);
			blen = sizeof(back);
			TEE_Result res = TEE_UnsealData(sealed2, slen, back, &blen);
			T(res == flips[i].want);
		}
	}
	blen = sizeof(back);
	T(TEE_UnsealData(sealed, slen - 1, back, &blen) == TEE_ERROR_BAD_FORMAT); /* truncated */
	blen = sizeof(back);
	T(TEE_UnsealData(sealed, 10, back, &blen) == TEE_ERROR_BAD_FORMAT);
	blen = sizeof(back);
	T(TEE_UnsealData(sealed, 0, back, &blen) == TEE_ERROR_BAD_FORMAT);
	fill(sealed2, 200, 3);
	blen = sizeof(back);
	T(TEE_UnsealData(sealed2, 200, back, &blen) == TEE_ERROR_BAD_FORMAT);

	/* Short buffers say what they need. */
	size_t small = 10;
	T(TEE_SealData(data, n, sealed2, &small) == TEE_ERROR_SHORT_BUFFER &&
	  small == n + TEE_SEALED_DATA_OVERHEAD);
	small = 10;
	T(TEE_UnsealData(sealed, slen, back, &small) == TEE_ERROR_SHORT_BUFFER && small == n);
	small = sizeof(sealed);
	T(TEE_SealData(data, KEY_SEAL_MAX + 1, sealed2, &small) == TEE_ERROR_BAD_PARAMETERS);
}

static void check_derive(void)
{
	uint8_t a[64], b[64], c[64];
	T(TEE_DeriveTAKey("one", 3, a, 32) == TEE_SUCCESS);
	T(TEE_DeriveTAKey("one", 3, b, 32) == TEE_SUCCESS && memcmp(a, b, 32) == 0);
	T(TEE_DeriveTAKey("two", 3, c, 32) == TEE_SUCCESS && memcmp(a, c, 32) != 0);
	T(TEE_DeriveTAKey("one", 3, c, 16) == TEE_SUCCESS && memcmp(a, c, 16) != 0); /* no prefix */
	T(TEE_DeriveTAKey(0, 0, c, 64) == TEE_SUCCESS);
	uint8_t label[65];
	fill(label, sizeof(label), 9);
	T(TEE_DeriveTAKey(label, 64, c, 64) == TEE_SUCCESS);
	T(TEE_DeriveTAKey(label, 65, c, 32) == TEE_ERROR_BAD_PARAMETERS);
	T(TEE_DeriveTAKey("one", 3, c, 15) == TEE_ERROR_BAD_PARAMETERS);
	T(TEE_DeriveTAKey("one", 3, c, 65) == TEE_ERROR_BAD_PARAMETERS);
}

static void check_report(const uint8_t id[16])
{
	uint8_t nonce[32];
	fill(nonce, sizeof(nonce), 5);
	size_t len = sizeof(report);
	T(TEE_GetAttestationReport(nonce, 0, report, &len) == TEE_ERROR_BAD_PARAMETERS);
	T(TEE_GetAttestationReport(nonce, 33, report, &len) == TEE_ERROR_BAD_PARAMETERS);
	len = 100;
	T(TEE_GetAttestationReport(nonce, 20, report, &len) == TEE_ERROR_SHORT_BUFFER &&
	  len > sizeof(struct key_report));
	size_t need = len;
	len = sizeof(report);
	T(TEE_GetAttestationReport(nonce, 20, report, &len) == TEE_SUCCESS && len == need);
	struct key_report r;
	memcpy(&r, report, sizeof(r));
	T(memcmp(r.magic, KEY_REPORT_MAGIC, 8) == 0 && r.version == KEY_REPORT_VERSION);
	T(r.header_size == sizeof(r) && r.meas_size == sizeof(struct key_report_meas));
	T(r.total_size == len && len == sizeof(r) + r.nmeas * r.meas_size + KEY_REPORT_SIG_LEN);
	T(r.nonce_len == 20 && memcmp(r.nonce, nonce, 20) == 0 && r.nonce[20] == 0);
	T(memcmp(r.device_id, id, 16) == 0);
	T(r.flags & KEY_STATE_HUK_PERSISTENT);
	TEE_UUID me;
	T(TEE_GetPropertyAsUUID(TEE_PROPSET_CURRENT_TA, "gpd.ta.appID", &me) == TEE_SUCCESS);
	uint8_t u[16] = {(uint8_t)(me.timeLow >> 24),         (uint8_t)(me.timeLow >> 16),
	                 (uint8_t)(me.timeLow >> 8),          (uint8_t)me.timeLow,
	                 (uint8_t)(me.timeMid >> 8),          (uint8_t)me.timeMid,
	                 (uint8_t)(me.timeHiAndVersion >> 8), (uint8_t)me.timeHiAndVersion};
	memcpy(u + 8, me.clockSeqAndNode, 8);
	T(memcmp(r.ta_uuid, u, 16) == 0);
	T(r.nmeas >= 4);
	int found = 0;
	static const uint8_t zero[32];
	T(memcmp(r.ta_hash, zero, 32) != 0);
	for (unsigned i = 0; i < r.nmeas && i < KEY_REPORT_MEAS_MAX; i++) {
		struct key_report_meas m;
		memcpy(&m, report + sizeof(r) + i * sizeof(m), sizeof(m));
		if (i < 3)
			T(m.kind == i + 1);
		if (m.kind == KEY_MEAS_TA && memcmp(m.sha256, r.ta_hash, 32) == 0)
			found = 1;
	}
	T(found);
	/* A second report: same contents, another signature is fine; the
	 * header and measurements are the same. */
	size_t len2 = sizeof(sealed);
	T(TEE_GetAttestationReport(nonce, 20, sealed, &len2) == TEE_SUCCESS && len2 == len &&
	  memcmp(sealed, report, len - KEY_REPORT_SIG_LEN) == 0);
}

static TEE_Result selftest(uint32_t types, TEE_Param p[4])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	run = failed = 0;
	uint8_t id[16] = {0};
	check_properties(id);
	check_ta_time();
	check_sealing();
	check_derive();
	check_report(id);
	p[0].value.a = failed;
	p[0].value.b = run;
	return TEE_SUCCESS;
}

/* ---- BENCH ---- */

static uint64_t insns(void)
{
	uint64_t v;
	__asm__ volatile("isb; mrs %0, pmevcntr0_el0" : "=r"(v));
	return v;
}

static uint32_t median(uint64_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return (uint32_t)v[n / 2];
}

static TEE_Result bench(uint32_t types, TEE_Param p[4])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	enum { MAX_ROUNDS = 31 };
	unsigned rounds = p[0].value.a;
	if (rounds == 0 || rounds > MAX_ROUNDS)
		return TEE_ERROR_BAD_PARAMETERS;
	uint64_t a[MAX_ROUNDS], s[MAX_ROUNDS];
	uint8_t nonce[32];
	fill(nonce, sizeof(nonce), 1);
	fill(data, 4096, 2);
	/* Warm up: the data object, page tables, caches of the service. */
	size_t len = sizeof(report);
	if (TEE_GetAttestationReport(nonce, sizeof(nonce), report, &len) != TEE_SUCCESS)
		return TEE_ERROR_GENERIC;
	len = sizeof(sealed);
	if (TEE_SealData(data, 4096, sealed, &len) != TEE_SUCCESS)
		return TEE_ERROR_GENERIC;
	for (unsigned i = 0; i < rounds; i++) {
		len = sizeof(report);
		uint64_t t0 = insns();
		TEE_Result r1 = TEE_GetAttestationReport(nonce, sizeof(nonce), report, &len);
		uint64_t t1 = insns();
		len = sizeof(sealed);
		TEE_Result r2 = TEE_SealData(data, 4096, sealed, &len);
		uint64_t t2 = insns();
		if (r1 != TEE_SUCCESS || r2 != TEE_SUCCESS)
			return TEE_ERROR_GENERIC;
		a[i] = t1 - t0;
		s[i] = t2 - t1;
	}
	p[1].value.a = median(a, rounds);
	p[1].value.b = median(s, rounds);
	return TEE_SUCCESS;
}

/* ---- the plain commands ---- */

#define IN_OUT                                                                                     \
	TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT,                 \
	                TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)

static TEE_Result device(uint32_t types, TEE_Param p[4])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_OUTPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	if (p[0].memref.size < 16 + 65) {
		p[0].memref.size = 16 + 65;
		return TEE_ERROR_SHORT_BUFFER;
	}
	size_t len = 16;
	TEE_Result res =
	    TEE_GetDevicePropertyAsBinaryBlock(TEE_DEVICE_PROP_ID, p[0].memref.buffer, &len);
	if (res != TEE_SUCCESS)
		return res;
	len = 65;
	res = TEE_GetDevicePropertyAsBinaryBlock(TEE_DEVICE_PROP_ATTESTATION_KEY,
	                                         (uint8_t *)p[0].memref.buffer + 16, &len);
	if (res != TEE_SUCCESS)
		return res;
	p[0].memref.size = 16 + 65;
	uint32_t st = 0;
	res = TEE_GetDevicePropertyAsU32(TEE_DEVICE_PROP_KEY_STATE, &st);
	p[1].value.a = st;
	return res;
}

TEE_Result TA_InvokeCommandEntryPoint(void *ctx, uint32_t cmd, uint32_t types, TEE_Param p[4])
{
	(void)ctx;
	switch (cmd) {
	case TA_KEYS_CMD_SELFTEST:
		return selftest(types, p);
	case TA_KEYS_CMD_BENCH:
		return bench(types, p);
	case TA_KEYS_CMD_DEVICE:
		return device(types, p);
	case TA_KEYS_CMD_PANIC:
		TEE_Panic(TA_KEYS_TEST_PANIC_CODE);
		return TEE_ERROR_GENERIC;
	default:
		break;
	}
	if (types != IN_OUT)
		return TEE_ERROR_BAD_PARAMETERS;
	const void *in = p[0].memref.buffer;
	size_t in_len = p[0].memref.size;
	void *out = p[1].memref.buffer;
	size_t out_len = p[1].memref.size;
	TEE_Result res;
	switch (cmd) {
	case TA_KEYS_CMD_SEAL:
		res = TEE_SealData(in, in_len, out, &out_len);
		break;
	case TA_KEYS_CMD_UNSEAL:
		res = TEE_UnsealData(in, in_len, out, &out_len);
		break;
	case TA_KEYS_CMD_DERIVE:
		res = TEE_DeriveTAKey(in, in_len, out, out_len);
		break;
	case TA_KEYS_CMD_ATTEST:
		res = TEE_GetAttestationReport(in, in_len, out, &out_len);
		break;
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
	p[1].memref.size = out_len;
	return res;
}
