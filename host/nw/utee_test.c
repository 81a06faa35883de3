/*
 * utee_test — OP-TEE's own TA binaries on MicroTEE, from Linux: Debian's
 * libteec drives the `sims` TA of Debian's optee-test-qemu (OP-TEE 4.5's
 * kit, signed with OP-TEE's development key, unmodified) through optee.ko,
 * tee-supplicant and MicroTEE's gateway, init's loader and the OP-TEE
 * personality (services/utee). The commands are those of optee_test's
 * ta/sims (facts of its interface): READ 1, WRITE 2, GET_COUNTER 3, PANIC 4;
 * then its ta/crypt (xtest 4xxx's) and ta/storage (6xxx's), a few of their
 * GP calls by handle, and ta/os_test with its shared library.
 * Prints `ok - utee/NAME` or `FAIL - utee/NAME: why` per check, and
 * `utee: N passed, M failed` last.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <tee_client_api.h>
#include <unistd.h>

#define SIMS_UUID                                                                                  \
	{                                                                                          \
		0xe6a33ed4, 0x562b, 0x463a,                                                        \
		{                                                                                  \
			0xbb, 0x7e, 0xff, 0x5e, 0x15, 0xa4, 0x93, 0xc8                             \
		}                                                                                  \
	}
#define SIMS_CMD_READ        1
#define SIMS_CMD_WRITE       2
#define SIMS_CMD_GET_COUNTER 3
#define SIMS_CMD_PANIC       4
#define TA_ERROR_OVERFLOW    0xFFFF300FU /* GP TEE_ERROR_OVERFLOW: libteec has no name for it */

/* optee_test's ta/crypt: each command one GP call on handles it keeps. */
#define CRYPT_UUID                                                                                 \
	{                                                                                          \
		0xcb3e5ba0, 0xadf1, 0x11e0,                                                        \
		{                                                                                  \
			0x99, 0x8b, 0x00, 0x02, 0xa5, 0xd5, 0xc5, 0x1b                             \
		}                                                                                  \
	}
#define CRYPT_CMD_ALLOCATE_OPERATION        5
#define CRYPT_CMD_FREE_OPERATION            6
#define CRYPT_CMD_SET_OPERATION_KEY         9
#define CRYPT_CMD_DIGEST_UPDATE             12
#define CRYPT_CMD_DIGEST_DO_FINAL           13
#define CRYPT_CMD_CIPHER_INIT               14
#define CRYPT_CMD_CIPHER_DO_FINAL           16
#define CRYPT_CMD_MAC_INIT                  17
#define CRYPT_CMD_MAC_FINAL_COMPUTE         19
#define CRYPT_CMD_ALLOCATE_TRANSIENT_OBJECT 21
#define CRYPT_CMD_FREE_TRANSIENT_OBJECT     22
#define CRYPT_CMD_POPULATE_TRANSIENT_OBJECT 24
#define CRYPT_CMD_RANDOM_NUMBER_GENERATE    32
#define CRYPT_CMD_SEED_RNG_POOL             45
#define CRYPT_CMD_DERIVE_TA_UNIQUE_KEY      77
#define CRYPT_CMD_DERIVE_TA_UNIQUE_KEY_SHM  78
/* GlobalPlatform's values. */
#define ALG_SHA256        0x50000004U
#define ALG_HMAC_SHA256   0x30000004U
#define ALG_AES_ECB_NOPAD 0x10000010U
#define MODE_ENCRYPT      0U
#define MODE_DECRYPT      1U
#define MODE_MAC          4U
#define MODE_DIGEST       5U
#define TYPE_AES          0xA0000010U
#define TYPE_HMAC_SHA256  0xA0000004U
#define ATTR_SECRET_VALUE 0xC0000000U

/* optee_test's ta/storage (xtest 6xxx's): GP storage calls by handle. */
#define STORAGE_UUID                                                                               \
	{                                                                                          \
		0xb689f2a7, 0x8adf, 0x477a,                                                        \
		{                                                                                  \
			0x9f, 0x99, 0x32, 0xe9, 0x0c, 0x0a, 0xd0, 0xa2                             \
		}                                                                                  \
	}
#define STORAGE_CMD_OPEN        0
#define STORAGE_CMD_CLOSE       1
#define STORAGE_CMD_READ        2
#define STORAGE_CMD_WRITE       3
#define STORAGE_CMD_CREATE      4
#define STORAGE_CMD_SEEK        5
#define STORAGE_CMD_UNLINK      6
#define STORAGE_PRIVATE         1U
#define DATA_READ               0x1U
#define DATA_WRITE              0x2U
#define DATA_WRITE_META         0x4U
#define DATA_OVERWRITE          0x400U
#define TA_ERROR_ITEM_NOT_FOUND 0xFFFF0008U

/* optee_test's ta/os_test, linked with its shared TA library os_test_lib
 * (ffd2bded-...): CALL_LIB returns success if the library's add(1, 2) is 3,
 * CALL_LIB_PANIC panics in the library. */
#define OS_TEST_UUID                                                                               \
	{                                                                                          \
		0x5b9e0e40, 0x2636, 0x11e1,                                                        \
		{                                                                                  \
			0xad, 0x9e, 0x00, 0x02, 0xa5, 0xd5, 0xc5, 0x1b                             \
		}                                                                                  \
	}
#define OS_TEST_CMD_CALL_LIB       14
#define OS_TEST_CMD_CALL_LIB_PANIC 15

static int passed, failed;
static TEEC_Context ctx;
static const TEEC_UUID sims = SIMS_UUID;

static void check(int ok, const char *name, const char *fmt, ...)
{
	if (ok) {
		printf("ok - utee/%s\n", name);
		passed++;
		return;
	}
	printf("FAIL - utee/%s: ", name);
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	failed++;
}

static TEEC_Result counter(TEEC_Session *s, uint32_t *value, uint32_t *origin)
{
	TEEC_Operation op = {0};
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = 0xdeadbeef;
	TEEC_Result r = TEEC_InvokeCommand(s, SIMS_CMD_GET_COUNTER, &op, origin);
	*value = op.params[0].value.a;
	return r;
}

static TEEC_Result write_bucket(TEEC_Session *s, uint32_t index, const void *data, size_t len,
                                uint32_t *origin)
{
	TEEC_Operation op = {0};
	op.paramTypes =
	    TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = index;
	op.params[1].tmpref.buffer = (void *)data;
	op.params[1].tmpref.size = len;
	return TEEC_InvokeCommand(s, SIMS_CMD_WRITE, &op, origin);
}

static TEEC_Result read_bucket(TEEC_Session *s, uint32_t index, void *data, size_t len,
                               uint32_t *origin)
{
	TEEC_Operation op = {0};
	op.paramTypes =
	    TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = index;
	op.params[1].tmpref.buffer = data;
	op.params[1].tmpref.size = len;
	return TEEC_InvokeCommand(s, SIMS_CMD_READ, &op, origin);
}

static TEEC_Session crypt_sess;

/* One command of the crypt TA with up to 3 parameters. */
static TEEC_Result crypt_cmd(uint32_t cmd, TEEC_Operation *op)
{
	uint32_t origin;
	return TEEC_InvokeCommand(&crypt_sess, cmd, op, &origin);
}

static TEEC_Result alloc_op(uint32_t algo, uint32_t mode, uint32_t max_key, uint32_t *h)
{
	TEEC_Operation op = {0};
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].value.b = algo;
	op.params[1].value.a = mode;
	op.params[1].value.b = max_key;
	TEEC_Result r = crypt_cmd(CRYPT_CMD_ALLOCATE_OPERATION, &op);
	*h = op.params[0].value.a;
	return r;
}

static void free_op(uint32_t h)
{
	TEEC_Operation op = {0};
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = h;
	crypt_cmd(CRYPT_CMD_FREE_OPERATION, &op);
}

/* A transient object of `type` holding the secret `key`, set as h's key. */
static TEEC_Result set_secret(uint32_t h, uint32_t type, const uint8_t *key, uint32_t len,
                              uint32_t *obj)
{
	TEEC_Operation op = {0};
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = type;
	op.params[0].value.b = len * 8;
	TEEC_Result r = crypt_cmd(CRYPT_CMD_ALLOCATE_TRANSIENT_OBJECT, &op);
	if (r != TEEC_SUCCESS)
		return r;
	*obj = op.params[1].value.a;
	/* The crypt TA's packed attributes: a count, then {id, offset, length}. */
	uint32_t packed[4 + 64 / 4] = {1, ATTR_SECRET_VALUE, 16, len};
	memcpy(&packed[4], key, len);
	op = (TEEC_Operation){0};
	op.paramTypes =
	    TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = *obj;
	op.params[1].tmpref.buffer = packed;
	op.params[1].tmpref.size = 16 + len;
	r = crypt_cmd(CRYPT_CMD_POPULATE_TRANSIENT_OBJECT, &op);
	if (r != TEEC_SUCCESS)
		return r;
	op = (TEEC_Operation){0};
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = h;
	op.params[0].value.b = *obj;
	return crypt_cmd(CRYPT_CMD_SET_OPERATION_KEY, &op);
}

static void free_obj(uint32_t obj)
{
	TEEC_Operation op = {0};
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = obj;
	crypt_cmd(CRYPT_CMD_FREE_TRANSIENT_OBJECT, &op);
}

/* value in h, memref in, memref out: DigestDoFinal, CipherDoFinal, MACComputeFinal. */
static TEEC_Result final(uint32_t cmd, uint32_t h, const void *in, size_t in_len, void *out,
                         size_t *out_len)
{
	TEEC_Operation op = {0};
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT,
	                                 TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE);
	op.params[0].value.a = h;
	op.params[1].tmpref.buffer = (void *)in;
	op.params[1].tmpref.size = in_len;
	op.params[2].tmpref.buffer = out;
	op.params[2].tmpref.size = *out_len;
	TEEC_Result r = crypt_cmd(cmd, &op);
	*out_len = op.params[2].tmpref.size;
	return r;
}

static TEEC_Result init_no_iv(uint32_t cmd, uint32_t h)
{
	TEEC_Operation op = {0};
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = h;
	return crypt_cmd(cmd, &op);
}

/* The crypt TA (xtest's 4xxx) through OP-TEE's crypto system calls, which
 * the personality serves on lib/tee and the crypto service: SHA-256 (FIPS
 * 180-2 "abc", in one call and in two), HMAC-SHA256 (RFC 4231 case 4),
 * AES-128 (FIPS-197 C.1) both ways, and random bytes. */
static void test_crypt(void)
{
	static const TEEC_UUID uuid = CRYPT_UUID;
	uint32_t origin, h, obj;
	TEEC_Result r =
	    TEEC_OpenSession(&ctx, &crypt_sess, &uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	check(r == TEEC_SUCCESS, "crypt_open_session", "0x%x origin %u", r, origin);
	if (r != TEEC_SUCCESS)
		return;

	static const uint8_t abc_sha256[32] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
	                                       0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
	                                       0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
	                                       0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
	uint8_t out[64];
	size_t ol = sizeof(out);
	r = alloc_op(ALG_SHA256, MODE_DIGEST, 0, &h);
	if (r == TEEC_SUCCESS)
		r = final(CRYPT_CMD_DIGEST_DO_FINAL, h, "abc", 3, out, &ol);
	check(r == TEEC_SUCCESS && ol == 32 && memcmp(out, abc_sha256, 32) == 0, "crypt_sha256",
	      "0x%x len %zu", r, ol);
	TEEC_Operation op = {0};
	op.paramTypes =
	    TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = h;
	op.params[1].tmpref.buffer = "a";
	op.params[1].tmpref.size = 1;
	r = crypt_cmd(CRYPT_CMD_DIGEST_UPDATE, &op);
	ol = sizeof(out);
	memset(out, 0, sizeof(out));
	if (r == TEEC_SUCCESS)
		r = final(CRYPT_CMD_DIGEST_DO_FINAL, h, "bc", 2, out, &ol);
	check(r == TEEC_SUCCESS && ol == 32 && memcmp(out, abc_sha256, 32) == 0,
	      "crypt_sha256_update", "0x%x len %zu", r, ol);
	free_op(h);

	/* RFC 4231 case 4: a 200-bit key (GP's HMAC-SHA256 keys are 192 to
	 * 1024 bits), 50 bytes of 0xcd. */
	static const uint8_t hmac[32] = {0x82, 0x55, 0x8a, 0x38, 0x9a, 0x44, 0x3c, 0x0e,
	                                 0xa4, 0xcc, 0x81, 0x98, 0x99, 0xf2, 0x08, 0x3a,
	                                 0x85, 0xf0, 0xfa, 0xa3, 0xe5, 0x78, 0xf8, 0x07,
	                                 0x7a, 0x2e, 0x3f, 0xf4, 0x67, 0x29, 0x66, 0x5b};
	uint8_t hkey[25], hmsg[50];
	for (unsigned i = 0; i < sizeof(hkey); i++)
		hkey[i] = (uint8_t)(i + 1);
	memset(hmsg, 0xcd, sizeof(hmsg));
	r = alloc_op(ALG_HMAC_SHA256, MODE_MAC, sizeof(hkey) * 8, &h);
	if (r == TEEC_SUCCESS)
		r = set_secret(h, TYPE_HMAC_SHA256, hkey, sizeof(hkey), &obj);
	if (r == TEEC_SUCCESS)
		r = init_no_iv(CRYPT_CMD_MAC_INIT, h);
	ol = sizeof(out);
	if (r == TEEC_SUCCESS)
		r = final(CRYPT_CMD_MAC_FINAL_COMPUTE, h, hmsg, sizeof(hmsg), out, &ol);
	check(r == TEEC_SUCCESS && ol == 32 && memcmp(out, hmac, 32) == 0, "crypt_hmac_sha256",
	      "0x%x len %zu", r, ol);
	free_op(h);
	free_obj(obj);

	static const uint8_t key[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
	static const uint8_t pt[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	                               0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
	static const uint8_t ct[16] = {0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
	                               0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a};
	for (uint32_t mode = MODE_ENCRYPT; mode <= MODE_DECRYPT; mode++) {
		r = alloc_op(ALG_AES_ECB_NOPAD, mode, 128, &h);
		if (r == TEEC_SUCCESS)
			r = set_secret(h, TYPE_AES, key, sizeof(key), &obj);
		if (r == TEEC_SUCCESS)
			r = init_no_iv(CRYPT_CMD_CIPHER_INIT, h);
		ol = sizeof(out);
		if (r == TEEC_SUCCESS)
			r = final(CRYPT_CMD_CIPHER_DO_FINAL, h, mode ? ct : pt, 16, out, &ol);
		check(r == TEEC_SUCCESS && ol == 16 && memcmp(out, mode ? pt : ct, 16) == 0,
		      mode ? "crypt_aes128_decrypt" : "crypt_aes128_encrypt", "0x%x len %zu", r,
		      ol);
		free_op(h);
		free_obj(obj);
	}

	/* A state owns the key objects libutee allocated for it: freeing the
	 * operation frees them too (libutee does not close them itself), so
	 * keyed operations made and freed one after the other never run out
	 * of objects (the service keeps 32 per client). */
	unsigned made = 0;
	for (; made < 48; made++) {
		r = alloc_op(ALG_AES_ECB_NOPAD, MODE_ENCRYPT, 128, &h);
		if (r != TEEC_SUCCESS)
			break;
		r = set_secret(h, TYPE_AES, key, sizeof(key), &obj);
		free_op(h);
		if (r != TEEC_SUCCESS)
			break;
		free_obj(obj);
	}
	check(made == 48, "crypt_state_frees_its_keys", "0x%x after %u operations", r, made);

	uint8_t rnd[2][32];
	for (int i = 0; i < 2; i++) {
		op = (TEEC_Operation){0};
		op.paramTypes =
		    TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
		op.params[0].tmpref.buffer = rnd[i];
		op.params[0].tmpref.size = sizeof(rnd[i]);
		memset(rnd[i], 0, sizeof(rnd[i]));
		r = crypt_cmd(CRYPT_CMD_RANDOM_NUMBER_GENERATE, &op);
		if (r != TEEC_SUCCESS)
			break;
	}
	static const uint8_t zero[32];
	check(r == TEEC_SUCCESS && memcmp(rnd[0], rnd[1], 32) != 0 && memcmp(rnd[0], zero, 32) != 0,
	      "crypt_random", "0x%x", r);

	/* A secret of 129 bytes for HMAC-SHA256, whose keys have at most 128:
	 * OP-TEE's core answers SECURITY, on which libutee panics, so the TA
	 * dies (xtest 4010). The last check: the session is dead after it. */
	op = (TEEC_Operation){0};
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = TYPE_HMAC_SHA256;
	op.params[0].value.b = 256;
	r = crypt_cmd(CRYPT_CMD_ALLOCATE_TRANSIENT_OBJECT, &op);
	if (r == TEEC_SUCCESS) {
		uint32_t packed[4 + 132 / 4] = {1, ATTR_SECRET_VALUE, 16, 129};
		op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT,
		                                 TEEC_NONE, TEEC_NONE);
		op.params[0].value.a = op.params[1].value.a;
		op.params[1].tmpref.buffer = packed;
		op.params[1].tmpref.size = 16 + 129;
		r = TEEC_InvokeCommand(&crypt_sess, CRYPT_CMD_POPULATE_TRANSIENT_OBJECT, &op,
		                       &origin);
	}
	check(r == TEEC_ERROR_TARGET_DEAD && origin == TEEC_ORIGIN_TEE, "crypt_secret_too_long",
	      "0x%x origin %u", r, origin);
	TEEC_CloseSession(&crypt_sess);
}

/* OP-TEE's system pseudo-TA, which the personality serves in the TA's
 * process (services/utee/ta2ta.c), through the crypt TA: entropy for the
 * crypto service's DRBG; TA-unique keys (the TA's own checks: the same
 * input gives the same key, other input another, sizes out of range are
 * refused); and no derived key into memory the normal world shares. */
static void test_system_pta(void)
{
	static const TEEC_UUID uuid = CRYPT_UUID;
	uint32_t origin = 0;
	TEEC_Result r =
	    TEEC_OpenSession(&ctx, &crypt_sess, &uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	check(r == TEEC_SUCCESS, "pta_open_session", "0x%x origin %u", r, origin);
	if (r != TEEC_SUCCESS)
		return;
	uint8_t pool[32], extra[32], key[32];
	memset(pool, 0x5a, sizeof(pool));
	memset(extra, 0x11, sizeof(extra));
	memset(key, 0, sizeof(key));
	TEEC_Operation op = {0};
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = pool;
	op.params[0].tmpref.size = sizeof(pool);
	r = TEEC_InvokeCommand(&crypt_sess, CRYPT_CMD_SEED_RNG_POOL, &op, &origin);
	check(r == TEEC_SUCCESS, "pta_add_rng_entropy", "0x%x origin %u", r, origin);
	op = (TEEC_Operation){0};
	r = TEEC_InvokeCommand(&crypt_sess, CRYPT_CMD_DERIVE_TA_UNIQUE_KEY, &op, &origin);
	check(r == TEEC_SUCCESS, "pta_derive_ta_unique_key", "0x%x origin %u", r, origin);
	op.paramTypes =
	    TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = extra;
	op.params[0].tmpref.size = sizeof(extra);
	op.params[1].tmpref.buffer = key;
	op.params[1].tmpref.size = sizeof(key);
	r = TEEC_InvokeCommand(&crypt_sess, CRYPT_CMD_DERIVE_TA_UNIQUE_KEY_SHM, &op, &origin);
	static const uint8_t zero[32];
	check(r == TEEC_ERROR_SECURITY && origin == TEEC_ORIGIN_TRUSTED_APP &&
	          memcmp(key, zero, sizeof(key)) == 0,
	      "pta_derived_key_not_to_normal_world", "0x%x origin %u", r, origin);
	TEEC_CloseSession(&crypt_sess);
}

static TEEC_Session store;

static TEEC_Result st_cmd(uint32_t cmd, TEEC_Operation *op)
{
	uint32_t origin;
	return TEEC_InvokeCommand(&store, cmd, op, &origin);
}

static const char obj_id[] = "utee-test-object";

static TEEC_Result st_open(uint32_t flags, uint32_t *h)
{
	TEEC_Operation op = {0};
	op.paramTypes =
	    TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_INOUT, TEEC_VALUE_INPUT, TEEC_NONE);
	op.params[0].tmpref.buffer = (void *)obj_id;
	op.params[0].tmpref.size = sizeof(obj_id) - 1;
	op.params[1].value.a = flags;
	op.params[2].value.a = STORAGE_PRIVATE;
	TEEC_Result r = st_cmd(STORAGE_CMD_OPEN, &op);
	*h = op.params[1].value.b;
	return r;
}

static TEEC_Result st_handle_cmd(uint32_t cmd, uint32_t h)
{
	TEEC_Operation op = {0};
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = h;
	return st_cmd(cmd, &op);
}

static TEEC_Result st_read(uint32_t h, char *buf, size_t len, uint32_t *count)
{
	TEEC_Operation op = {0};
	op.paramTypes =
	    TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_OUTPUT, TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = buf;
	op.params[0].tmpref.size = len;
	op.params[1].value.a = h;
	TEEC_Result r = st_cmd(STORAGE_CMD_READ, &op);
	*count = op.params[1].value.b;
	return r;
}

static TEEC_Result st_seek(uint32_t h, int32_t offset, uint32_t whence, uint32_t *pos)
{
	TEEC_Operation op = {0};
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = h;
	op.params[0].value.b = (uint32_t)offset;
	op.params[1].value.a = whence;
	TEEC_Result r = st_cmd(STORAGE_CMD_SEEK, &op);
	*pos = op.params[1].value.b;
	return r;
}

/* The storage TA (xtest 6xxx) through OP-TEE's persistent-object calls,
 * which the personality serves on lib/tee and the storage service
 * (TEE_STORAGE_PRIVATE): create with initial data, reopen, seek, write in
 * the middle, read back, again after another reopen, delete, gone. */
static void test_storage(void)
{
	static const TEEC_UUID uuid = STORAGE_UUID;
	uint32_t origin, h = 0, count = 0, pos = 0;
	TEEC_Result r =
	    TEEC_OpenSession(&ctx, &store, &uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	check(r == TEEC_SUCCESS, "storage_open_session", "0x%x origin %u", r, origin);
	if (r != TEEC_SUCCESS)
		return;
	TEEC_Operation op = {0};
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_INOUT, TEEC_VALUE_INPUT,
	                                 TEEC_MEMREF_TEMP_INPUT);
	op.params[0].tmpref.buffer = (void *)obj_id;
	op.params[0].tmpref.size = sizeof(obj_id) - 1;
	op.params[1].value.a = DATA_READ | DATA_WRITE | DATA_WRITE_META | DATA_OVERWRITE;
	op.params[2].value.a = 0; /* no attributes object */
	op.params[2].value.b = STORAGE_PRIVATE;
	op.params[3].tmpref.buffer = "0123456789";
	op.params[3].tmpref.size = 10;
	r = st_cmd(STORAGE_CMD_CREATE, &op);
	h = op.params[1].value.b;
	check(r == TEEC_SUCCESS && h != 0, "storage_create", "0x%x handle %u", r, h);
	if (r != TEEC_SUCCESS)
		goto out;
	st_handle_cmd(STORAGE_CMD_CLOSE, h);

	r = st_open(DATA_READ | DATA_WRITE | DATA_WRITE_META, &h);
	check(r == TEEC_SUCCESS, "storage_open", "0x%x", r);
	r = r == TEEC_SUCCESS ? st_seek(h, 5, 0 /* TEE_DATA_SEEK_SET */, &pos) : r;
	check(r == TEEC_SUCCESS && pos == 5, "storage_seek", "0x%x position %u", r, pos);
	op = (TEEC_Operation){0};
	op.paramTypes =
	    TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = "ABCDE";
	op.params[0].tmpref.size = 5;
	op.params[1].value.a = h;
	r = st_cmd(STORAGE_CMD_WRITE, &op);
	check(r == TEEC_SUCCESS, "storage_write", "0x%x", r);
	char buf[16];
	memset(buf, 0, sizeof(buf));
	r = st_seek(h, 0, 0, &pos);
	r = r == TEEC_SUCCESS ? st_read(h, buf, 10, &count) : r;
	check(r == TEEC_SUCCESS && count == 10 && memcmp(buf, "01234ABCDE", 10) == 0,
	      "storage_read", "0x%x count %u '%.10s'", r, count, buf);
	st_handle_cmd(STORAGE_CMD_CLOSE, h);

	memset(buf, 0, sizeof(buf));
	r = st_open(DATA_READ | DATA_WRITE_META, &h);
	r = r == TEEC_SUCCESS ? st_read(h, buf, sizeof(buf), &count) : r;
	check(r == TEEC_SUCCESS && count == 10 && memcmp(buf, "01234ABCDE", 10) == 0,
	      "storage_persists", "0x%x count %u '%.10s'", r, count, buf);
	r = st_handle_cmd(STORAGE_CMD_UNLINK, h);
	check(r == TEEC_SUCCESS, "storage_delete", "0x%x", r);
	r = st_open(DATA_READ, &h);
	check(r == TA_ERROR_ITEM_NOT_FOUND, "storage_deleted", "0x%x", r);
out:
	TEEC_CloseSession(&store);
}

/* A TA that needs a shared TA library (xtest 1019's checks). */
static void test_shared_lib(void)
{
	static const TEEC_UUID uuid = OS_TEST_UUID;
	TEEC_Session s;
	uint32_t origin = 0;
	TEEC_Result r = TEEC_OpenSession(&ctx, &s, &uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	check(r == TEEC_SUCCESS, "lib_open_session", "0x%x origin %u", r, origin);
	if (r != TEEC_SUCCESS)
		return;
	r = TEEC_InvokeCommand(&s, OS_TEST_CMD_CALL_LIB, NULL, &origin);
	check(r == TEEC_SUCCESS, "lib_call", "0x%x origin %u", r, origin);
	r = TEEC_InvokeCommand(&s, OS_TEST_CMD_CALL_LIB_PANIC, NULL, &origin);
	check(r == TEEC_ERROR_TARGET_DEAD && origin == TEEC_ORIGIN_TEE, "lib_panic",
	      "0x%x origin %u", r, origin);
	TEEC_CloseSession(&s);
}

int main(void)
{
	uint32_t origin = 0, c0 = 0, c1 = 0;
	TEEC_Result r = TEEC_InitializeContext(NULL, &ctx);
	check(r == TEEC_SUCCESS, "context", "TEEC_InitializeContext: 0x%x", r);
	if (r != TEEC_SUCCESS)
		goto out;

	/* A single-instance, multi-session TA: two sessions, one instance. */
	TEEC_Session a, b;
	r = TEEC_OpenSession(&ctx, &a, &sims, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	check(r == TEEC_SUCCESS, "open_session", "0x%x origin %u", r, origin);
	if (r != TEEC_SUCCESS)
		goto fin;
	r = TEEC_OpenSession(&ctx, &b, &sims, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	check(r == TEEC_SUCCESS, "open_second_session", "0x%x origin %u", r, origin);
	if (r != TEEC_SUCCESS)
		goto close_a;

	/* Each session took the instance's counter at its opening. */
	TEEC_Result ra = counter(&a, &c0, &origin), rb = counter(&b, &c1, &origin);
	check(ra == TEEC_SUCCESS && rb == TEEC_SUCCESS && c0 == 0 && c1 == 1, "value_output",
	      "0x%x 0x%x counters %u %u", ra, rb, c0, c1);

	/* What one session writes the other reads: one instance. */
	static const char msg[] = "written by an OP-TEE TA binary on MicroTEE";
	char back[sizeof(msg)];
	memset(back, 0, sizeof(back));
	r = write_bucket(&a, 2, msg, sizeof(msg), &origin);
	check(r == TEEC_SUCCESS, "memref_input", "0x%x origin %u", r, origin);
	r = read_bucket(&b, 2, back, sizeof(back), &origin);
	check(r == TEEC_SUCCESS && memcmp(back, msg, sizeof(msg)) == 0,
	      "memref_output_shared_instance", "0x%x origin %u '%.*s'", r, origin,
	      (int)sizeof(back), back);

	/* The TA's own checks: a bad index, bad types, an unknown command. */
	r = write_bucket(&a, 7, msg, sizeof(msg), &origin);
	check(r == TEEC_ERROR_BAD_PARAMETERS && origin == TEEC_ORIGIN_TRUSTED_APP, "ta_refuses",
	      "0x%x origin %u", r, origin);
	TEEC_Operation op = {0};
	r = TEEC_InvokeCommand(&a, 99, &op, &origin);
	check(r == TEEC_ERROR_BAD_PARAMETERS && origin == TEEC_ORIGIN_TRUSTED_APP,
	      "unknown_command", "0x%x origin %u", r, origin);
	/* A buffer too small for the bucket: the TA says TEE_ERROR_OVERFLOW. */
	r = read_bucket(&b, 2, back, 4, &origin);
	check(r == TA_ERROR_OVERFLOW && origin == TEEC_ORIGIN_TRUSTED_APP, "ta_result_code",
	      "0x%x origin %u", r, origin);

	TEEC_CloseSession(&b);
	TEEC_CloseSession(&a);

	/* Every session closed: the instance ended (not keep-alive); a new
	 * one starts from a counter of 0 and empty buckets. */
	r = TEEC_OpenSession(&ctx, &a, &sims, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	ra = r == TEEC_SUCCESS ? counter(&a, &c0, &origin) : r;
	check(ra == TEEC_SUCCESS && c0 == 0, "new_instance", "0x%x counter %u", ra, c0);
	if (r != TEEC_SUCCESS)
		goto fin;

	/* _utee_panic: the client sees the TA dead, as with OP-TEE. */
	op = (TEEC_Operation){0};
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	r = TEEC_InvokeCommand(&a, SIMS_CMD_PANIC, &op, &origin);
	check(r == TEEC_ERROR_TARGET_DEAD && origin == TEEC_ORIGIN_TEE, "panic", "0x%x origin %u",
	      r, origin);
	r = counter(&a, &c0, &origin);
	check(r == TEEC_ERROR_TARGET_DEAD, "dead_after_panic", "0x%x origin %u", r, origin);
	TEEC_CloseSession(&a);
	/* And a new instance works. */
	r = TEEC_OpenSession(&ctx, &a, &sims, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	ra = r == TEEC_SUCCESS ? counter(&a, &c0, &origin) : r;
	check(ra == TEEC_SUCCESS && c0 == 0, "after_panic", "0x%x counter %u", ra, c0);
	if (r == TEEC_SUCCESS)
		TEEC_CloseSession(&a);
	test_crypt();
	test_system_pta();
	test_storage();
	test_shared_lib();

	/* The secure side's timed waits advance while it has the CPU: calls
	 * that find no TA give it some, after the last instance ended, for
	 * init's leak check (tests/system/utee.sh looks for it). */
	static const TEEC_UUID none = {0x0bad0bad, 0, 0, {0}};
	for (int i = 0; i < 4; i++) {
		sleep(1);
		r = TEEC_OpenSession(&ctx, &a, &none, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
		if (r == TEEC_SUCCESS)
			TEEC_CloseSession(&a);
	}
	check(r == TEEC_ERROR_ITEM_NOT_FOUND, "no_such_ta", "0x%x origin %u", r, origin);
	goto fin;
close_a:
	TEEC_CloseSession(&a);
fin:
	TEEC_FinalizeContext(&ctx);
out:
	printf("utee: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
