/* mt_trace: the normal-world side of make trace (docs/debugging.md,
 * "Tracing a call"). It opens a traced window (include/microtee/trace_mark.h)
 * around one call, so that bench/prof/trace.py can show it in every layer:
 *   mt_trace null         one null invoke of the demo TA (no parameters
 *                         but a value out: its session count)
 *   mt_trace sha256 [N]   SHA-256 of N bytes (default 16, at most 4096) in
 *                         the crypto demo TA, which asks the crypto service;
 *                         data and digest in shared memory allocated once
 *   mt_trace -- CMD ...   the whole command CMD (fork, exec and exit too)
 * The session is opened before the window and closed after it, and one
 * call runs before it too, so that the window holds the call alone. Prints
 * `mt_trace: done` on success. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <tee_client_api.h>
#include <unistd.h>

#include "../../include/microtee/trace_mark.h"
#include "../../ta/crypto_demo/include/crypto_demo_ta.h"
#include "../../ta/demo/include/demo_ta.h"

static int usage(void)
{
	fprintf(stderr, "usage: mt_trace null | sha256 [BYTES] | -- CMD [ARGS...]\n");
	return 2;
}

static int fail(const char *what, TEEC_Result r, uint32_t origin)
{
	printf("mt_trace: %s failed: 0x%08x (origin %u)\n", what, r, origin);
	return 1;
}

static int run_command(char **argv)
{
	MT_TRACE_BEGIN();
	pid_t pid = fork();
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	int st = 0;
	if (pid > 0)
		waitpid(pid, &st, 0);
	MT_TRACE_END();
	if (pid < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		printf("mt_trace: %s failed (status %d)\n", argv[0], st);
		return 1;
	}
	printf("mt_trace: done\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "--"))
		return argc > 2 ? run_command(argv + 2) : usage();
	int sha = !strcmp(argv[1], "sha256");
	if (!sha && strcmp(argv[1], "null"))
		return usage();
	static uint8_t data[4096], digest[32];
	size_t len = sha && argc > 2 ? (size_t)atol(argv[2]) : 16;
	if (len > sizeof(data))
		return usage();

	TEEC_Context ctx;
	TEEC_Session s;
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_UUID demo = TA_DEMO_UUID, cdemo = TA_CRYPTO_DEMO_UUID;
	TEEC_Result r = TEEC_InitializeContext(NULL, &ctx);
	if (r != TEEC_SUCCESS)
		return fail("TEEC_InitializeContext", r, 0);
	memset(&op, 0, sizeof(op));
	r = TEEC_OpenSession(&ctx, &s, sha ? &cdemo : &demo, TEEC_LOGIN_PUBLIC, NULL, &op, &origin);
	if (r != TEEC_SUCCESS)
		return fail("TEEC_OpenSession", r, origin);
	uint32_t cmd = sha ? TA_CRYPTO_DEMO_CMD_SHA256 : TA_DEMO_CMD_GET_SESSION_COUNT;
	/* The data and the digest in shared memory registered once, as a
	 * client that cares for speed does (and as bench_crypto does). */
	TEEC_SharedMemory in = {.size = sizeof(data), .flags = TEEC_MEM_INPUT};
	TEEC_SharedMemory outm = {.size = sizeof(digest), .flags = TEEC_MEM_OUTPUT};
	if (sha) {
		if ((r = TEEC_AllocateSharedMemory(&ctx, &in)) != TEEC_SUCCESS ||
		    (r = TEEC_AllocateSharedMemory(&ctx, &outm)) != TEEC_SUCCESS)
			return fail("TEEC_AllocateSharedMemory", r, 0);
		memset(in.buffer, 'a', len);
	}
	for (int round = 0; round < 2; round++) {
		memset(&op, 0, sizeof(op));
		if (sha) {
			op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT,
			                                 TEEC_MEMREF_PARTIAL_OUTPUT, TEEC_NONE,
			                                 TEEC_NONE);
			op.params[0].memref.parent = &in;
			op.params[0].memref.size = len;
			op.params[1].memref.parent = &outm;
			op.params[1].memref.size = sizeof(digest);
		} else {
			op.paramTypes =
				TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
		}
		/* round 0 warms up (the TA's pages, the caches); round 1 is traced */
		if (round)
			MT_TRACE_BEGIN();
		r = TEEC_InvokeCommand(&s, cmd, &op, &origin);
		if (round)
			MT_TRACE_END();
		if (r != TEEC_SUCCESS)
			return fail("TEEC_InvokeCommand", r, origin);
	}
	if (sha) {
		memcpy(digest, outm.buffer, sizeof(digest));
		TEEC_ReleaseSharedMemory(&in);
		TEEC_ReleaseSharedMemory(&outm);
	}
	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);
	if (sha)
		printf("mt_trace: sha256 of %zu bytes: %02x%02x%02x%02x...\n", len, digest[0],
		       digest[1], digest[2], digest[3]);
	printf("mt_trace: done\n");
	return 0;
}
