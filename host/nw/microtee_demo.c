/*
 * microtee_demo — what a MicroTEE client looks like: a Linux program using
 * the GlobalPlatform TEE Client API (Debian's libteec) to open a session to
 * the demo TA, invoke commands with value and memory-reference parameters,
 * and print what comes back. Ends with `demo: PASS` or `demo: FAIL`.
 */
#include <stdio.h>
#include <string.h>
#include <tee_client_api.h>

#include "../../ta/demo/include/demo_ta.h"

static int failures;

static void expect(int ok, const char *what)
{
	printf("demo: %-46s %s\n", what, ok ? "ok" : "WRONG");
	failures += !ok;
}

int main(void)
{
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_UUID uuid = TA_DEMO_UUID;
	uint32_t origin;
	TEEC_Result r = TEEC_InitializeContext(NULL, &ctx);
	if (r != TEEC_SUCCESS) {
		printf("demo: TEEC_InitializeContext failed: 0x%x\ndemo: FAIL\n", r);
		return 1;
	}
	r = TEEC_OpenSession(&ctx, &sess, &uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	printf("demo: opened a session to TA %s: 0x%x (origin %u)\n", TA_DEMO_UUID_STR, r, origin);
	if (r != TEEC_SUCCESS) {
		printf("demo: FAIL\n");
		return 1;
	}

	/* Values in, a value out. */
	TEEC_Operation op;
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = 1200;
	op.params[0].value.b = 34;
	r = TEEC_InvokeCommand(&sess, TA_DEMO_CMD_ADD, &op, &origin);
	printf("demo: ADD 1200 + 34 in the TA = %u\n", op.params[1].value.a);
	expect(r == TEEC_SUCCESS && op.params[1].value.a == 1234, "value parameters");

	/* A buffer the TA reads and writes in place (registered memory). */
	char text[] = "HAL";
	TEEC_SharedMemory shm = {.buffer = text, .size = 3, .flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT};
	r = TEEC_RegisterSharedMemory(&ctx, &shm);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].memref.parent = &shm;
	if (r == TEEC_SUCCESS)
		r = TEEC_InvokeCommand(&sess, TA_DEMO_CMD_INC_BUFFER, &op, &origin);
	printf("demo: INC_BUFFER turned \"HAL\" into \"%s\"\n", text);
	expect(r == TEEC_SUCCESS && strcmp(text, "IBM") == 0, "shared-memory parameter");
	TEEC_ReleaseSharedMemory(&shm);

	/* Temporary buffers in and out. */
	char in[] = "stressed", out[16] = {0};
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].tmpref.buffer = in;
	op.params[0].tmpref.size = strlen(in);
	op.params[1].tmpref.buffer = out;
	op.params[1].tmpref.size = sizeof(out);
	r = TEEC_InvokeCommand(&sess, TA_DEMO_CMD_REVERSE, &op, &origin);
	printf("demo: REVERSE \"%s\" -> \"%s\"\n", in, out);
	expect(r == TEEC_SUCCESS && strcmp(out, "desserts") == 0, "temporary memory parameters");

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	printf("demo: %s\n", failures ? "FAIL" : "PASS");
	return failures != 0;
}
