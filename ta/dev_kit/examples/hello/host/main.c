/* The hello TA's client: greets, checks the answer and the count, and
 * prints "hello: PASS" or "hello: FAIL ..." (exit status 0 or 1). */
#include <stdio.h>
#include <string.h>
#include <tee_client_api.h>

#include <hello_ta.h>

static int fail(const char *what, TEEC_Result r, uint32_t origin)
{
	printf("hello: FAIL %s: 0x%08x (origin %u)\n", what, (unsigned)r, (unsigned)origin);
	return 1;
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "world";
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_UUID uuid = TA_HELLO_UUID;
	uint32_t origin = 0;
	TEEC_Result r = TEEC_InitializeContext(NULL, &ctx);
	if (r != TEEC_SUCCESS)
		return fail("TEEC_InitializeContext", r, 0);
	r = TEEC_OpenSession(&ctx, &sess, &uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	if (r != TEEC_SUCCESS)
		return fail("TEEC_OpenSession", r, origin);

	char out[64];
	TEEC_Operation op = {0};
	op.paramTypes =
	    TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = (void *)name;
	op.params[0].tmpref.size = strlen(name);
	op.params[1].tmpref.buffer = out;
	op.params[1].tmpref.size = sizeof(out) - 1;
	r = TEEC_InvokeCommand(&sess, TA_HELLO_CMD_GREET, &op, &origin);
	if (r != TEEC_SUCCESS)
		return fail("GREET", r, origin);
	out[op.params[1].tmpref.size] = 0;
	printf("hello: the TA says '%s'\n", out);
	char want[64];
	snprintf(want, sizeof(want), "hello, %s", name);
	if (strcmp(out, want))
		return fail("GREET answer", 0, 0);

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	r = TEEC_InvokeCommand(&sess, TA_HELLO_CMD_COUNT, &op, &origin);
	if (r != TEEC_SUCCESS || op.params[0].value.a != 1)
		return fail("COUNT (want 1)", r, origin);

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	printf("hello: PASS\n");
	return 0;
}
