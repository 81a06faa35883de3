/*
 * utee_test — OP-TEE's own TA binaries on MicroTEE, from Linux: Debian's
 * libteec drives the `sims` TA of Debian's optee-test-qemu (OP-TEE 4.5's
 * kit, signed with OP-TEE's development key, unmodified) through optee.ko,
 * tee-supplicant and MicroTEE's gateway, init's loader and the OP-TEE
 * personality (services/utee). The commands are those of optee_test's
 * ta/sims (facts of its interface): READ 1, WRITE 2, GET_COUNTER 3, PANIC 4.
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
	{0xe6a33ed4, 0x562b, 0x463a, {0xbb, 0x7e, 0xff, 0x5e, 0x15, 0xa4, 0x93, 0xc8}}
#define SIMS_CMD_READ 1
#define SIMS_CMD_WRITE 2
#define SIMS_CMD_GET_COUNTER 3
#define SIMS_CMD_PANIC 4
#define TA_ERROR_OVERFLOW 0xFFFF300FU /* GP TEE_ERROR_OVERFLOW: libteec has no name for it */

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
	check(r == TEEC_SUCCESS && memcmp(back, msg, sizeof(msg)) == 0, "memref_output_shared_instance",
	      "0x%x origin %u '%.*s'", r, origin, (int)sizeof(back), back);

	/* The TA's own checks: a bad index, bad types, an unknown command. */
	r = write_bucket(&a, 7, msg, sizeof(msg), &origin);
	check(r == TEEC_ERROR_BAD_PARAMETERS && origin == TEEC_ORIGIN_TRUSTED_APP, "ta_refuses",
	      "0x%x origin %u", r, origin);
	TEEC_Operation op = {0};
	r = TEEC_InvokeCommand(&a, 99, &op, &origin);
	check(r == TEEC_ERROR_BAD_PARAMETERS && origin == TEEC_ORIGIN_TRUSTED_APP, "unknown_command",
	      "0x%x origin %u", r, origin);
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
	check(r == TEEC_ERROR_TARGET_DEAD && origin == TEEC_ORIGIN_TEE, "panic",
	      "0x%x origin %u", r, origin);
	r = counter(&a, &c0, &origin);
	check(r == TEEC_ERROR_TARGET_DEAD, "dead_after_panic", "0x%x origin %u", r, origin);
	TEEC_CloseSession(&a);
	/* And a new instance works. */
	r = TEEC_OpenSession(&ctx, &a, &sims, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	ra = r == TEEC_SUCCESS ? counter(&a, &c0, &origin) : r;
	check(ra == TEEC_SUCCESS && c0 == 0, "after_panic", "0x%x counter %u", ra, c0);
	if (r == TEEC_SUCCESS)
		TEEC_CloseSession(&a);
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
