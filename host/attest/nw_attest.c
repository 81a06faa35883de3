/* nw_attest: a Linux client of the key service, through Debian's libteec,
 * optee.ko and MicroTEE's gateway to the keys_test TA (ta/keys_test):
 *   nw_attest NONCE_HEX
 * prints the device's identity and attestation public key, the TA's
 * attestation report for the nonce (hex, `keys: report+` lines, the way
 * tests/system/keys.sh reads them), and checks that data sealed for the TA
 * from here unseals again, and not once changed. The host verifies the
 * report with host/attest (tests/system/keys_nw.sh). Exit 0 on success. */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tee_client_api.h>

#include "../../ta/keys_test/include/keys_test_ta.h"

static void hex(const char *prefix, const uint8_t *p, size_t n)
{
	printf("%s", prefix);
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("\n");
}

static TEEC_Result io(TEEC_Session *s, uint32_t cmd, void *in, size_t in_len, void *out,
                      size_t *out_len)
{
	TEEC_Operation op;
	uint32_t origin;
	memset(&op, 0, sizeof(op));
	op.paramTypes =
	    TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = in;
	op.params[0].tmpref.size = in_len;
	op.params[1].tmpref.buffer = out;
	op.params[1].tmpref.size = *out_len;
	TEEC_Result res = TEEC_InvokeCommand(s, cmd, &op, &origin);
	*out_len = op.params[1].tmpref.size;
	return res;
}

int main(int argc, char **argv)
{
	uint8_t nonce[32];
	size_t nonce_len = 0;
	if (argc != 2 || strlen(argv[1]) % 2 || strlen(argv[1]) > 64 || strlen(argv[1]) == 0) {
		fprintf(stderr, "usage: nw_attest NONCE_HEX (1 to 32 bytes)\n");
		return 2;
	}
	for (const char *p = argv[1]; *p; p += 2) {
		unsigned v;
		if (sscanf(p, "%2x", &v) != 1)
			return 2;
		nonce[nonce_len++] = (uint8_t)v;
	}

	TEEC_Context ctx;
	TEEC_Session s;
	TEEC_UUID uuid = TA_KEYS_TEST_UUID;
	uint32_t origin;
	TEEC_Result res = TEEC_InitializeContext(NULL, &ctx);
	if (res == TEEC_SUCCESS)
		res = TEEC_OpenSession(&ctx, &s, &uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	if (res != TEEC_SUCCESS) {
		printf("nw_attest: cannot open a session to the keys_test TA: 0x%x\n", res);
		return 1;
	}
	int fails = 0;

	/* The device: ID and attestation public key. */
	uint8_t dev[81] = {0};
	TEEC_Operation op;
	memset(&op, 0, sizeof(op));
	op.paramTypes =
	    TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_OUTPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = dev;
	op.params[0].tmpref.size = sizeof(dev);
	res = TEEC_InvokeCommand(&s, TA_KEYS_CMD_DEVICE, &op, &origin);
	if (res != TEEC_SUCCESS || op.params[0].tmpref.size != sizeof(dev)) {
		printf("nw_attest: device: 0x%x\n", res);
		fails++;
	} else {
		hex("keys: device ", dev, 16);
		hex("keys: pubkey ", dev + 16, 65);
		printf("keys: state 0x%x\n", op.params[1].value.a);
	}

	/* The report. */
	static uint8_t report[8192];
	size_t len = sizeof(report);
	res = io(&s, TA_KEYS_CMD_ATTEST, nonce, nonce_len, report, &len);
	if (res != TEEC_SUCCESS) {
		printf("nw_attest: attest: 0x%x\n", res);
		fails++;
	} else {
		hex("keys: nonce ", nonce, nonce_len);
		for (size_t off = 0; off < len; off += 48)
			hex("keys: report+ ", report + off, len - off < 48 ? len - off : 48);
		printf("keys: report end %zu\n", len);
	}

	/* Sealing for the TA, from here: what comes back is ciphertext. */
	static const char secret[] = "sealed from Linux, for keys_test on this device only";
	uint8_t sealed[256] = {0}, back[256] = {0};
	size_t slen = sizeof(sealed), blen = sizeof(back);
	res = io(&s, TA_KEYS_CMD_SEAL, (void *)secret, sizeof(secret), sealed, &slen);
	int ok =
	    res == TEEC_SUCCESS && slen == sizeof(secret) + 48 && !memmem(sealed, slen, "Linux", 5);
	if (ok)
		res = io(&s, TA_KEYS_CMD_UNSEAL, sealed, slen, back, &blen);
	ok = ok && res == TEEC_SUCCESS && blen == sizeof(secret) && memcmp(back, secret, blen) == 0;
	sealed[slen / 2] ^= 1;
	blen = sizeof(back);
	ok = ok && io(&s, TA_KEYS_CMD_UNSEAL, sealed, slen, back, &blen) != TEEC_SUCCESS;
	printf("keys: seal from Linux %s\n", ok ? "ok" : "FAILED");
	fails += !ok;

	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);
	printf("nw_attest: %s\n", fails ? "FAIL" : "PASS");
	return fails ? 1 : 0;
}
