/* The victim: an instance that holds crypto state through the GP API and a
 * secret shared-memory object, reports their numbers (so that the driver
 * can hand them to the attacker), and checks on request that all of it
 * still works and is intact. */
#include <stdio.h>
#include <string.h>

#include <hostile_ta.h>

#include "hostile.h"
#include "mt.h"
#include "tee_crypto.h"

/* SP 800-38A F.2.1, CBC-AES128.Encrypt */
static const uint8_t kat_key[16] = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                                    0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c};
static const uint8_t kat_iv[16] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                                   0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};
static const uint8_t kat_pt[64] = {
    0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96, 0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17, 0x2a,
    0xae, 0x2d, 0x8a, 0x57, 0x1e, 0x03, 0xac, 0x9c, 0x9e, 0xb7, 0x6f, 0xac, 0x45, 0xaf, 0x8e, 0x51,
    0x30, 0xc8, 0x1c, 0x46, 0xa3, 0x5c, 0xe4, 0x11, 0xe5, 0xfb, 0xc1, 0x19, 0x1a, 0x0a, 0x52, 0xef,
    0xf6, 0x9f, 0x24, 0x45, 0xdf, 0x4f, 0x9b, 0x17, 0xad, 0x2b, 0x41, 0x7b, 0xe6, 0x6c, 0x37, 0x10};
static const uint8_t kat_ct[64] = {
    0x76, 0x49, 0xab, 0xac, 0x81, 0x19, 0xb2, 0x46, 0xce, 0xe9, 0x8e, 0x9b, 0x12, 0xe9, 0x19, 0x7d,
    0x50, 0x86, 0xcb, 0x9b, 0x50, 0x72, 0x19, 0xee, 0x95, 0xdb, 0x11, 0x3a, 0x91, 0x76, 0x78, 0xb2,
    0x73, 0xbe, 0xd6, 0xb8, 0xe3, 0xc1, 0x74, 0x3b, 0x71, 0x16, 0xe6, 0x9e, 0x22, 0x22, 0x95, 0x16,
    0x3f, 0xf1, 0xca, 0xa1, 0x68, 0x1f, 0xac, 0x09, 0x12, 0x0e, 0xca, 0x30, 0x75, 0x86, 0xe1, 0xa7};

#define SECRET_SIZE 4096
static TEE_ObjectHandle key, pair;
static TEE_OperationHandle cbc;
static mt_handle_t secret;
static uint8_t *secret_map;

static uint8_t secret_byte(size_t i)
{
	return (uint8_t)(i * 7 + 0x5a);
}

/* A handle to the secret memory numbered at least TA_HOSTILE_SECRET_MIN_HANDLE:
 * copies of the first handle until the number is high enough, then the
 * others are closed again. */
static TEE_Result make_secret(void)
{
	mt_handle_t first, filler[TA_HOSTILE_SECRET_MIN_HANDLE];
	unsigned n = 0;
	if (mt_shm_create(SECRET_SIZE, &first) != MT_OK)
		return TEE_ERROR_OUT_OF_MEMORY;
	secret_map = mt_shm_map_any(first, MT_PROT_R | MT_PROT_W, 0);
	if (!secret_map)
		return TEE_ERROR_OUT_OF_MEMORY;
	for (size_t i = 0; i < SECRET_SIZE; i++)
		secret_map[i] = secret_byte(i);
	mt_handle_t h = first;
	while (h < TA_HOSTILE_SECRET_MIN_HANDLE && n < TA_HOSTILE_SECRET_MIN_HANDLE) {
		filler[n++] = h;
		if (mt_handle_grant(0, first, MT_R_MAP_R | MT_R_MAP_W, 0, &h) != MT_OK)
			return TEE_ERROR_OUT_OF_MEMORY;
	}
	if (h < TA_HOSTILE_SECRET_MIN_HANDLE)
		return TEE_ERROR_GENERIC;
	for (unsigned i = 0; i < n; i++)
		mt_handle_close(filler[i]);
	secret = h;
	return TEE_SUCCESS;
}

TEE_Result victim_setup(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	if (key)
		return TEE_ERROR_BAD_STATE;
	TEE_Result res = TEE_AllocateTransientObject(TEE_TYPE_AES, 128, &key);
	TEE_Attribute a;
	TEE_InitRefAttribute(&a, TEE_ATTR_SECRET_VALUE, kat_key, sizeof(kat_key));
	if (res == TEE_SUCCESS)
		res = TEE_PopulateTransientObject(key, &a, 1);
	if (res == TEE_SUCCESS)
		res = TEE_AllocateOperation(&cbc, TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, 128);
	if (res == TEE_SUCCESS)
		res = TEE_SetOperationKey(cbc, key);
	if (res == TEE_SUCCESS)
		res = TEE_AllocateTransientObject(TEE_TYPE_ECDSA_KEYPAIR, 256, &pair);
	TEE_InitValueAttribute(&a, TEE_ATTR_ECC_CURVE, TEE_ECC_CURVE_NIST_P256, 0);
	if (res == TEE_SUCCESS)
		res = TEE_GenerateKey(pair, 256, &a, 1);
	if (res == TEE_SUCCESS)
		res = make_secret();
	if (res != TEE_SUCCESS) {
		printf("[victim] setup failed: 0x%x\n", res);
		return res;
	}
	/* The ids the crypto service knows them by, behind the GP handles. */
	p[0].value.a = key->id;
	p[0].value.b = ((struct mt_tee_operation *)cbc)->id;
	p[1].value.a = pair->id;
	p[1].value.b = (uint32_t)secret;
	printf("[victim] AES key object 0x%x, AES-CBC operation 0x%x, ECDSA key pair object 0x%x, "
	       "secret memory handle %u\n",
	       p[0].value.a, p[0].value.b, p[1].value.a, p[1].value.b);
	return TEE_SUCCESS;
}

static uint32_t passed, failed;

static void check(bool ok, const char *what, TEE_Result res)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("[victim] FAILED: %s (0x%x)\n", what, res);
}

TEE_Result victim_check(uint32_t types, TEE_Param p[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	if (!key)
		return TEE_ERROR_BAD_STATE;
	passed = failed = 0;
	uint8_t out[64];
	size_t n = sizeof(out);

	/* The kept operation, with the key set at setup. */
	TEE_CipherInit(cbc, kat_iv, sizeof(kat_iv));
	TEE_Result res = TEE_CipherDoFinal(cbc, kat_pt, sizeof(kat_pt), out, &n);
	check(res == TEE_SUCCESS && n == 64 && !memcmp(out, kat_ct, 64),
	      "the kept AES-CBC operation", res);

	/* A new operation on the kept key. */
	TEE_OperationHandle op;
	res = TEE_AllocateOperation(&op, TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, 128);
	if (res == TEE_SUCCESS) {
		res = TEE_SetOperationKey(op, key);
		if (res == TEE_SUCCESS) {
			TEE_CipherInit(op, kat_iv, sizeof(kat_iv));
			n = sizeof(out);
			memset(out, 0, sizeof(out));
			res = TEE_CipherDoFinal(op, kat_pt, sizeof(kat_pt), out, &n);
		}
		TEE_FreeOperation(op);
	}
	check(res == TEE_SUCCESS && n == 64 && !memcmp(out, kat_ct, 64), "the kept AES key", res);

	TEE_ObjectInfo info;
	res = TEE_GetObjectInfo1(key, &info);
	check(res == TEE_SUCCESS && info.objectSize == 128 &&
	          (info.handleFlags & TEE_HANDLE_FLAG_INITIALIZED),
	      "the key's info", res);

	/* The kept key pair signs, and its signatures verify. */
	uint8_t dg[32], sig[64];
	size_t slen = sizeof(sig);
	TEE_GenerateRandom(dg, sizeof(dg));
	res = TEE_AllocateOperation(&op, TEE_ALG_ECDSA_SHA256, TEE_MODE_SIGN, 256);
	if (res == TEE_SUCCESS) {
		res = TEE_SetOperationKey(op, pair);
		if (res == TEE_SUCCESS)
			res = TEE_AsymmetricSignDigest(op, 0, 0, dg, sizeof(dg), sig, &slen);
		TEE_FreeOperation(op);
	}
	check(res == TEE_SUCCESS && slen == 64, "sign with the kept key pair", res);
	for (int bad = 0; bad < 2; bad++) {
		res = TEE_AllocateOperation(&op, TEE_ALG_ECDSA_SHA256, TEE_MODE_VERIFY, 256);
		if (res == TEE_SUCCESS) {
			res = TEE_SetOperationKey(op, pair);
			dg[0] ^= (uint8_t)bad;
			if (res == TEE_SUCCESS)
				res =
				    TEE_AsymmetricVerifyDigest(op, 0, 0, dg, sizeof(dg), sig, slen);
			TEE_FreeOperation(op);
		}
		check(res == (bad ? TEE_ERROR_SIGNATURE_INVALID : TEE_SUCCESS),
		      bad ? "verify another digest" : "verify", res);
	}

	/* The secret memory is as it was. */
	bool same = true;
	for (size_t i = 0; i < SECRET_SIZE; i++)
		same &= secret_map[i] == secret_byte(i);
	check(same, "the secret memory", TEE_SUCCESS);
	struct mt_proc_info pi;
	check(mt_proc_info(0, &pi) == MT_OK && pi.threads == 1, "one thread", TEE_SUCCESS);

	p[0].value.a = passed;
	p[0].value.b = failed;
	return failed ? TEE_ERROR_GENERIC : TEE_SUCCESS;
}
