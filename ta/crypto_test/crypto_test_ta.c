/* The crypto test TA: entry points, the report, and the helpers the test
 * files share. Commands: include/crypto_test_ta.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <crypto_test_ta.h>
#include <mt_tee_test.h>

#include "crypto_test.h"

#define MAX_GROUPS 48

static struct {
	const char *name;
	unsigned pass, fail, skipped;
} groups[MAX_GROUPS];
static unsigned ngroups, cur;

uint8_t big_in[BIG_LEN], big_out[BIG_LEN + 64], big_out2[BIG_LEN + 64];

void group(const char *name)
{
	for (cur = 0; cur < ngroups; cur++)
		if (!strcmp(groups[cur].name, name))
			return;
	if (ngroups == MAX_GROUPS)
		TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);
	cur = ngroups++;
	groups[cur].name = name;
}

bool check_(bool ok, const char *file, int line, const char *fmt, ...)
{
	if (ok) {
		groups[cur].pass++;
		return true;
	}
	groups[cur].fail++;
	char msg[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	EMSG("FAILED %s (%s:%d): %s", groups[cur].name, file, line, msg);
	return false;
}

void skip(const char *why)
{
	groups[cur].skipped++;
	IMSG("%s: skipped: %s", groups[cur].name, why);
}

/* ---- scratch memory and hex ---- */

static uint8_t arena[128 * 1024];
static size_t arena_used;

void scratch_reset(void)
{
	arena_used = 0;
}

uint8_t *scratch(size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (n > sizeof(arena) - arena_used)
		TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);
	uint8_t *p = arena + arena_used;
	arena_used += n;
	memset(p, 0, n);
	return p;
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

uint8_t *hx(const char *s, size_t *len)
{
	size_t digits = 0;
	for (const char *p = s; *p; p++)
		digits += nibble(*p) >= 0;
	uint8_t *out = scratch(digits / 2 + 1);
	size_t n = 0;
	int hi = -1;
	for (const char *p = s; *p; p++) {
		int v = nibble(*p);
		if (v < 0)
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	*len = n;
	return out;
}

/* ---- keys and operations ---- */

TEE_ObjectHandle key_from(uint32_t type, uint32_t max_bits, const TEE_Attribute *a, uint32_t n)
{
	TEE_ObjectHandle k;
	TEE_Result res = TEE_AllocateTransientObject(type, max_bits, &k);
	if (!CHECK(res == TEE_SUCCESS, "allocate object 0x%x/%u: 0x%x", type, max_bits, res))
		return TEE_HANDLE_NULL;
	res = TEE_PopulateTransientObject(k, a, n);
	if (!CHECK(res == TEE_SUCCESS, "populate object 0x%x: 0x%x", type, res)) {
		TEE_FreeTransientObject(k);
		return TEE_HANDLE_NULL;
	}
	return k;
}

uint32_t secret_max_bits(uint32_t type, size_t len)
{
	uint32_t bits = (uint32_t)len * 8, min = 8;
	switch (type) {
	case TEE_TYPE_HMAC_MD5:
		min = 64;
		break;
	case TEE_TYPE_HMAC_SHA1:
		min = 80;
		break;
	case TEE_TYPE_HMAC_SHA224:
		min = 112;
		break;
	case TEE_TYPE_HMAC_SHA256:
		min = 192;
		break;
	case TEE_TYPE_HMAC_SHA384:
	case TEE_TYPE_HMAC_SHA512:
		min = 256;
		break;
	default:
		break;
	}
	return bits < min ? min : bits;
}

TEE_ObjectHandle secret_key(uint32_t type, const uint8_t *k, size_t len)
{
	TEE_Attribute a;
	TEE_InitRefAttribute(
	    &a, type == TEE_TYPE_HKDF_IKM ? TEE_ATTR_HKDF_IKM : TEE_ATTR_SECRET_VALUE, k, len);
	return key_from(type, secret_max_bits(type, len), &a, 1);
}

TEE_OperationHandle op_with_key(uint32_t alg, uint32_t mode, uint32_t max_bits,
                                TEE_ObjectHandle key)
{
	TEE_OperationHandle op;
	TEE_Result res = TEE_AllocateOperation(&op, alg, mode, max_bits);
	if (!CHECK(res == TEE_SUCCESS, "allocate operation 0x%x mode %u max %u: 0x%x", alg, mode,
	           max_bits, res))
		return TEE_HANDLE_NULL;
	if (key) {
		res = TEE_SetOperationKey(op, key);
		if (!CHECK(res == TEE_SUCCESS, "set key: 0x%x", res)) {
			TEE_FreeOperation(op);
			return TEE_HANDLE_NULL;
		}
	}
	return op;
}

size_t digest_size(uint32_t alg)
{
	switch (alg) {
	case TEE_ALG_MD5:
		return 16;
	case TEE_ALG_SHA1:
		return 20;
	case TEE_ALG_SHA224:
	case TEE_ALG_SHA3_224:
		return 28;
	case TEE_ALG_SHA256:
	case TEE_ALG_SHA3_256:
		return 32;
	case TEE_ALG_SHA384:
	case TEE_ALG_SHA3_384:
		return 48;
	default:
		return 64;
	}
}

bool digest(uint32_t alg, const void *msg, size_t len, uint8_t *out, size_t *out_len)
{
	TEE_OperationHandle op;
	if (TEE_AllocateOperation(&op, alg, TEE_MODE_DIGEST, 0) != TEE_SUCCESS)
		return false;
	TEE_Result res = TEE_DigestDoFinal(op, msg, len, out, out_len);
	TEE_FreeOperation(op);
	return res == TEE_SUCCESS;
}

/* ---- entry points ---- */

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t paramTypes, TEE_Param params[TEE_NUM_PARAMS],
                                    void **sessionContext)
{
	(void)paramTypes;
	(void)params;
	*sessionContext = 0;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sessionContext)
{
	(void)sessionContext;
}

static TEE_Result run(uint32_t which, char *out, size_t *out_len, uint32_t *passed,
                      uint32_t *failed)
{
	static void (*const tests[TA_CRYPTO_TEST_GROUPS])(void) = {
	    test_digests, test_ciphers, test_ae, test_macs, test_kdf, test_rsa, test_ec, test_misc,
	};
	ngroups = 0;
	memset(groups, 0, sizeof(groups));
	for (unsigned i = 0; i < TA_CRYPTO_TEST_GROUPS; i++) {
		if (which && !(which & (1U << i)))
			continue;
		scratch_reset();
		tests[i]();
		/* Each group frees everything it made: the service must then
		 * hold nothing for us (issue 13 item 9). */
		static const char *const names[TA_CRYPTO_TEST_GROUPS] = {
		    "digests", "ciphers", "ae", "macs", "kdf", "rsa", "ec", "misc"};
		size_t held = 0;
		TEE_Result res = mt_tee_test_crypto_charged(&held);
		group("service memory");
		CHECK(res == TEE_SUCCESS && held == 0,
		      "after the %s tests the service holds %zu bytes for us (0x%x)", names[i],
		      held, (unsigned)res);
	}
	if (which & TA_CRYPTO_TEST_GROUP_RESTART)
		test_restart();
	/* The report: one line per algorithm. */
	size_t n = 0, cap = *out_len;
	unsigned p = 0, f = 0;
	char line[96];
	for (unsigned i = 0; i < ngroups; i++) {
		int len = snprintf(line, sizeof(line), "%-24s %3u passed, %u failed%s\n",
		                   groups[i].name, groups[i].pass, groups[i].fail,
		                   groups[i].skipped ? " (some not offered)" : "");
		if (out && n + len < cap)
			memcpy(out + n, line, len);
		n += len;
		p += groups[i].pass;
		f += groups[i].fail;
	}
	*passed = p;
	*failed = f;
	if (n + 1 > cap) {
		*out_len = n + 1;
		return TEE_ERROR_SHORT_BUFFER;
	}
	out[n] = 0;
	*out_len = n + 1;
	return TEE_SUCCESS;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sessionContext, uint32_t commandID, uint32_t paramTypes,
                                      TEE_Param params[TEE_NUM_PARAMS])
{
	(void)sessionContext;
	switch (commandID) {
	case TA_CRYPTO_TEST_CMD_RUN:
		if (paramTypes != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT,
		                                  TEE_PARAM_TYPE_MEMREF_OUTPUT,
		                                  TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE))
			return TEE_ERROR_BAD_PARAMETERS;
		return run(params[0].value.a, params[1].memref.buffer, &params[1].memref.size,
		           &params[2].value.a, &params[2].value.b);
	case TA_CRYPTO_TEST_CMD_PANIC:
		if (paramTypes != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_NONE,
		                                  TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
			return TEE_ERROR_BAD_PARAMETERS;
		return panic_case(params[0].value.a);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
