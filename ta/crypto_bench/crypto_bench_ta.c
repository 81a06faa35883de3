/* The crypto benchmark TA: SHA-256 and AES-128-GCM through the GP crypto
 * API (lib/tee, the crypto service behind it), for a Linux client on memory
 * references and timed by the TA itself. Interface and measuring method:
 * include/crypto_bench_ta.h. */
#include <string.h>

#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include <crypto_bench_ta.h>

/* The counter the TA times itself with. Built with MicroTEE's kit: mt_time
 * (lib/rt's SYS_TIME: CNTPCT read by the kernel). Built with OP-TEE's kit
 * (which has utee_syscalls.h, bench/optee/optee.mk) there is no counter a TA
 * can read: OP-TEE 4.5 leaves CNTKCTL_EL1.EL0VCTEN/EL0PCTEN clear, so
 * `mrs cntvct_el0` at S-EL0 traps (undef abort, ESR EC 0x18) and the TA
 * panics, and TEE_GetSystemTime is rounded to milliseconds (10^6
 * instructions under -icount shift=0). That build uses TEE_GetSystemTime,
 * which keeps the SELF command working, and bench/optee/ta_self_diff.c
 * measures the operations from Linux instead (two SELF calls that differ
 * only in the number of operations, counted with Linux's CNTVCT). */
#if defined(__has_include) && __has_include(<utee_syscalls.h>)
static inline uint64_t mt_time(uint64_t *freq)
{
	TEE_Time t;
	TEE_GetSystemTime(&t);
	if (freq)
		*freq = 1000000000ull;
	return (uint64_t)t.seconds * 1000000000ull + (uint64_t)t.millis * 1000000ull;
}
#else
#include "mt.h"
#endif

#define MAX_SAMPLES 4096

static TEE_OperationHandle digest_op, gcm_op;
static uint8_t msg[CRYPTO_BENCH_MAX_LEN], out[CRYPTO_BENCH_MAX_LEN + 16];
static uint64_t samples[MAX_SAMPLES];
static uint32_t nonce_ctr;

static TEE_Result setup(void)
{
	static const uint8_t key[16] = CRYPTO_BENCH_KEY;
	TEE_ObjectHandle k = TEE_HANDLE_NULL;
	TEE_Attribute a;
	TEE_Result res = TEE_AllocateOperation(&digest_op, TEE_ALG_SHA256, TEE_MODE_DIGEST, 0);
	if (res == TEE_SUCCESS)
		res = TEE_AllocateOperation(&gcm_op, TEE_ALG_AES_GCM, TEE_MODE_ENCRYPT, 128);
	if (res == TEE_SUCCESS)
		res = TEE_AllocateTransientObject(TEE_TYPE_AES, 128, &k);
	if (res == TEE_SUCCESS) {
		TEE_InitRefAttribute(&a, TEE_ATTR_SECRET_VALUE, key, sizeof(key));
		res = TEE_PopulateTransientObject(k, &a, 1);
	}
	if (res == TEE_SUCCESS)
		res = TEE_SetOperationKey(gcm_op, k);
	/* The operation holds its own copy of the key. */
	TEE_FreeTransientObject(k);
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7 + 1);
	return res;
}

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
	TEE_FreeOperation(digest_op);
	TEE_FreeOperation(gcm_op);
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t paramTypes, TEE_Param params[TEE_NUM_PARAMS],
                                    void **sessionContext)
{
	(void)params;
	(void)sessionContext;
	if (paramTypes != TEE_PARAM_TYPES(TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
	                                  TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	if (digest_op)
		return TEE_SUCCESS;
	TEE_Result res = setup();
	if (res != TEE_SUCCESS)
		EMSG("setting up the operations failed: 0x%x", res);
	return res;
}

void TA_CloseSessionEntryPoint(void *sessionContext)
{
	(void)sessionContext;
}

/* ---- one operation each ---- */

static TEE_Result sha256(const void *in, size_t len, void *digest, size_t *dlen)
{
	return TEE_DigestDoFinal(digest_op, in, len, digest, dlen);
}

static TEE_Result gcm_encrypt(const void *in, size_t len, void *ct, size_t *ctlen, uint32_t a,
                              uint32_t b)
{
	uint8_t nonce[12];
	CRYPTO_BENCH_NONCE(nonce, a, b);
	TEE_Result res = TEE_AEInit(gcm_op, nonce, sizeof(nonce), 128, 0, 0);
	if (res != TEE_SUCCESS)
		return res;
	size_t taglen = 16;
	if (*ctlen < len + taglen)
		return TEE_ERROR_SHORT_BUFFER;
	size_t clen = *ctlen - taglen;
	res = TEE_AEEncryptFinal(gcm_op, in, len, ct, &clen, (uint8_t *)ct + len, &taglen);
	if (res == TEE_SUCCESS && (clen != len || taglen != 16))
		res = TEE_ERROR_GENERIC;
	if (res == TEE_SUCCESS)
		*ctlen = len + 16;
	return res;
}

static TEE_Result cmd_sha256(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	size_t dlen = p[1].memref.size;
	TEE_Result res = sha256(p[0].memref.buffer, p[0].memref.size, p[1].memref.buffer, &dlen);
	p[1].memref.size = dlen;
	return res;
}

static TEE_Result cmd_gcm_enc(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT,
	                             TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	size_t len = p[0].memref.size, clen = p[1].memref.size;
	if (clen < len + 16) {
		p[1].memref.size = len + 16;
		return TEE_ERROR_SHORT_BUFFER;
	}
	TEE_Result res = gcm_encrypt(p[0].memref.buffer, len, p[1].memref.buffer, &clen,
	                             p[2].value.a, p[2].value.b);
	p[1].memref.size = clen;
	return res;
}

/* ---- timing itself ---- */

static uint64_t ticks(void)
{
	uint64_t freq;
	return mt_time(&freq);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Median (and lowest) of samples[0..n), in place. */
static uint64_t median(unsigned n, uint64_t *lowest)
{
	/* Insertion sort: a few thousand numbers, once per measurement. */
	for (unsigned i = 1; i < n; i++) {
		uint64_t v = samples[i];
		unsigned j = i;
		while (j && cmp_u64(&samples[j - 1], &v) > 0) {
			samples[j] = samples[j - 1];
			j--;
		}
		samples[j] = v;
	}
	*lowest = samples[0];
	return samples[n / 2];
}

static TEE_Result run_op(uint32_t alg, size_t len)
{
	size_t olen = sizeof(out);
	if (alg == CRYPTO_BENCH_ALG_SHA256)
		return sha256(msg, len, out, &olen);
	nonce_ctr++;
	return gcm_encrypt(msg, len, out, &olen, nonce_ctr, 0);
}

static TEE_Result cmd_self(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_INPUT,
	                             TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_VALUE_OUTPUT))
		return TEE_ERROR_BAD_PARAMETERS;
	uint32_t alg = p[0].value.a, len = p[0].value.b;
	uint32_t n = p[1].value.a, per = p[1].value.b;
	if (alg > CRYPTO_BENCH_ALG_GCM_ENC || len > CRYPTO_BENCH_MAX_LEN || n < 1 ||
	    n > MAX_SAMPLES || per < 1 || per > 1024)
		return TEE_ERROR_BAD_PARAMETERS;
	uint64_t freq = 0;
	mt_time(&freq);
	if (!freq)
		return TEE_ERROR_GENERIC;

	/* What two reads of the counter cost by themselves. */
	uint64_t lowest;
	for (unsigned i = 0; i < n; i++) {
		uint64_t t0 = ticks();
		samples[i] = ticks() - t0;
	}
	uint64_t overhead = median(n, &lowest);

	/* Warm up: the first operations attach the window and so on. */
	for (unsigned i = 0; i < 16; i++) {
		TEE_Result res = run_op(alg, len);
		if (res != TEE_SUCCESS)
			return res;
	}
	for (unsigned i = 0; i < n; i++) {
		uint64_t t0 = ticks();
		for (unsigned j = 0; j < per; j++) {
			TEE_Result res = run_op(alg, len);
			if (res != TEE_SUCCESS)
				return res;
		}
		uint64_t d = ticks() - t0;
		samples[i] = d > overhead ? d - overhead : 0;
	}
	uint64_t med = median(n, &lowest);
	/* ticks -> nanoseconds = instructions under -icount shift=0 */
	p[2].value.a = (uint32_t)((med * 1000000000ull / freq + per / 2) / per);
	p[2].value.b = (uint32_t)((lowest * 1000000000ull / freq + per / 2) / per);
	p[3].value.a = (uint32_t)(overhead * 1000000000ull / freq);
	p[3].value.b = (uint32_t)freq;
	return TEE_SUCCESS;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sessionContext, uint32_t cmd, uint32_t types,
                                      TEE_Param p[TEE_NUM_PARAMS])
{
	(void)sessionContext;
	switch (cmd) {
	case TA_CRYPTO_BENCH_CMD_SHA256:
		return cmd_sha256(types, p);
	case TA_CRYPTO_BENCH_CMD_GCM_ENC:
		return cmd_gcm_enc(types, p);
	case TA_CRYPTO_BENCH_CMD_SELF:
		return cmd_self(types, p);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
