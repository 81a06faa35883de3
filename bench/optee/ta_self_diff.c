/*
 * ta_self_diff — path (a) for OP-TEE: SHA-256 and AES-128-GCM from inside
 * the TA (ta/crypto_bench -> OP-TEE core), in instructions per operation
 * under QEMU -icount shift=0, counted from Linux.
 *
 * OP-TEE gives a TA no fine-grained clock (CNTVCT_EL0 traps at S-EL0,
 * TEE_GetSystemTime has millisecond resolution), so the TA's own
 * measurement (TA_CRYPTO_BENCH_CMD_SELF) cannot time itself there. Instead
 * this program calls SELF twice with the same number of samples but a
 * different number of operations per sample, and reads Linux's CNTVCT_EL0
 * (virtual time: 16 instructions per tick) around each call; the
 * difference divided by the extra operations is the cost of one operation
 * inside the TA, without the invoke, the TA's clock reads or anything else
 * SELF does per sample. The lowest of REPS pairs of calls is taken (an
 * interrupt only adds). It is the method bench_crypto uses to cross-check
 * MicroTEE's in-TA numbers, with CNTVCT instead of perf (perf does not see
 * OP-TEE's secure world: MDCR_EL3.SPME is left 0).
 *
 * Output: crypto_ta_diff_{sha256,aes128gcm}_SIZE_insns: N, then
 * `ta_self_diff: done`.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <tee_client_api.h>

#include "../../ta/crypto_bench/include/crypto_bench_ta.h"

#define SAMPLES 8
#define PER_LO  1
#define PER_HI  33
#define REPS    5

static TEEC_Session sess;

static uint64_t vct(void)
{
	uint64_t v;
	__asm__ volatile("isb; mrs %0, cntvct_el0; isb" : "=r"(v)::"memory");
	return v;
}

static int self(uint32_t alg, uint32_t len, uint32_t per, uint64_t *ticks)
{
	TEEC_Operation op;
	uint32_t origin;
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
	                                 TEEC_VALUE_OUTPUT);
	op.params[0].value.a = alg;
	op.params[0].value.b = len;
	op.params[1].value.a = SAMPLES;
	op.params[1].value.b = per;
	uint64_t t0 = vct();
	TEEC_Result r = TEEC_InvokeCommand(&sess, TA_CRYPTO_BENCH_CMD_SELF, &op, &origin);
	*ticks = vct() - t0;
	if (r != TEEC_SUCCESS) {
		printf("ta_self_diff: FAIL SELF: 0x%x origin %u\n", r, origin);
		return -1;
	}
	return 0;
}

int main(void)
{
	static const uint32_t sizes[] = {16, 64, 256, 1024, 4096, 16384};
	static const char *const names[] = {"sha256", "aes128gcm"};
	static const uint32_t algs[] = {CRYPTO_BENCH_ALG_SHA256, CRYPTO_BENCH_ALG_GCM_ENC};
	TEEC_Context ctx;
	const TEEC_UUID uuid = TA_CRYPTO_BENCH_UUID;
	uint32_t origin;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (TEEC_InitializeContext(NULL, &ctx) != TEEC_SUCCESS ||
	    TEEC_OpenSession(&ctx, &sess, &uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin) !=
	        TEEC_SUCCESS) {
		printf("ta_self_diff: FAIL opening the crypto_bench TA\n");
		return 1;
	}
	for (int a = 0; a < 2; a++)
		for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			uint64_t lo = UINT64_MAX, hi = UINT64_MAX, t;
			for (int r = 0; r < REPS; r++) {
				if (self(algs[a], sizes[i], PER_LO, &t))
					return 1;
				if (t < lo)
					lo = t;
				if (self(algs[a], sizes[i], PER_HI, &t))
					return 1;
				if (t < hi)
					hi = t;
			}
			double per_op = (double)(hi - lo) * 16.0 / (SAMPLES * (PER_HI - PER_LO));
			printf("crypto_ta_diff_%s_%u_insns: %.0f\n", names[a], sizes[i], per_op);
		}
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	printf("ta_self_diff: done\n");
	return 0;
}
