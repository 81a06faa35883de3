/*
 * optee_check — is the peer stack (OP-TEE from Debian) up, as seen through
 * Debian's libteec? Run by bench/optee/run.sh in the OP-TEE boot, before the
 * benchmark, as root with tee-supplicant running.
 *
 * 1. TEEC_InitializeContext on the default device (/dev/tee0).
 * 2. A session with OP-TEE's built-in "invoke tests" pseudo TA (present with
 *    CFG_ENABLE_EMBEDDED_TESTS=y, as in Debian's build), command TRACE: the
 *    core prints a line on the secure console.
 * 3. A session with the "stats" pseudo TA (CFG_WITH_STATS=y), command
 *    ALLOC_STATS: how much of the core's allocators is in use, after boot.
 * The UUIDs, command IDs and the statistics record are those of OP-TEE's
 * headers pta_invoke_tests.h and pta_stats.h (in the optee-os-dev kit);
 * they are repeated here so that this normal-world program needs only
 * libteec.
 *
 * Output: `optee_check: ...` lines, then `name: value` lines
 * (optee_heap_allocated_bytes, optee_heap_size_bytes, ...) and
 * `optee_check: done`. Exit status 0 when every step succeeded.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <tee_client_api.h>

#define PTA_INVOKE_TESTS_UUID                                                                      \
	{ 0xd96a5b40, 0xc3e5, 0x21e3, { 0x87, 0x94, 0x10, 0x02, 0xa5, 0xd5, 0xc6, 0x1b } }
#define PTA_INVOKE_TESTS_CMD_TRACE 0

#define STATS_UUID                                                                                 \
	{ 0xd96a5b40, 0xe2c7, 0xb1af, { 0x87, 0x94, 0x10, 0x02, 0xa5, 0xd5, 0xc6, 0x1b } }
#define STATS_CMD_ALLOC_STATS 1
#define ALLOC_ID_ALL 0
#define STATS_NB_POOLS 5

struct pta_stats_alloc {
	char desc[32];
	uint32_t allocated;
	uint32_t max_allocated;
	uint32_t size;
	uint32_t num_alloc_fail;
	uint32_t biggest_alloc_fail;
	uint32_t biggest_alloc_fail_used;
};

static int failures;

static void check(const char *what, TEEC_Result r, uint32_t origin)
{
	printf("optee_check: %-44s -> 0x%08x origin %u%s\n", what, r, origin,
	       r == TEEC_SUCCESS ? " ok" : " FAIL");
	if (r != TEEC_SUCCESS)
		failures++;
}

/* "Heap" -> "heap", "TA RAM" -> "ta_ram": a name for `name: value` lines. */
static void key_of(const char *desc, char *out, size_t n)
{
	size_t j = 0;
	for (size_t i = 0; desc[i] && j + 1 < n; i++) {
		char c = desc[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			c = '_';
		out[j++] = c;
	}
	out[j] = 0;
}

int main(void)
{
	TEEC_Context ctx;
	TEEC_Session s;
	TEEC_Operation op;
	uint32_t origin = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);

	TEEC_Result r = TEEC_InitializeContext(NULL, &ctx);
	check("TEEC_InitializeContext", r, 0);
	if (r != TEEC_SUCCESS)
		return 1;

	const TEEC_UUID tests = PTA_INVOKE_TESTS_UUID;
	r = TEEC_OpenSession(&ctx, &s, &tests, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	check("TEEC_OpenSession(invoke_tests.pta)", r, origin);
	if (r == TEEC_SUCCESS) {
		memset(&op, 0, sizeof(op));
		op.paramTypes = TEEC_PARAM_TYPES(TEEC_NONE, TEEC_NONE, TEEC_NONE, TEEC_NONE);
		r = TEEC_InvokeCommand(&s, PTA_INVOKE_TESTS_CMD_TRACE, &op, &origin);
		check("TEEC_InvokeCommand(invoke_tests.pta, TRACE)", r, origin);
		TEEC_CloseSession(&s);
	}

	const TEEC_UUID stats = STATS_UUID;
	r = TEEC_OpenSession(&ctx, &s, &stats, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	check("TEEC_OpenSession(stats.pta)", r, origin);
	if (r == TEEC_SUCCESS) {
		struct pta_stats_alloc st[STATS_NB_POOLS];
		memset(st, 0, sizeof(st));
		memset(&op, 0, sizeof(op));
		op.paramTypes =
		    TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE);
		op.params[0].value.a = ALLOC_ID_ALL;
		op.params[1].tmpref.buffer = st;
		op.params[1].tmpref.size = sizeof(st);
		r = TEEC_InvokeCommand(&s, STATS_CMD_ALLOC_STATS, &op, &origin);
		check("TEEC_InvokeCommand(stats.pta, ALLOC_STATS)", r, origin);
		if (r == TEEC_SUCCESS) {
			size_t n = op.params[1].tmpref.size / sizeof(st[0]);
			for (size_t i = 0; i < n && i < STATS_NB_POOLS; i++) {
				char key[40];
				st[i].desc[sizeof(st[i].desc) - 1] = 0;
				if (!st[i].desc[0] && !st[i].size)
					continue; /* an allocator this build does not have */
				key_of(st[i].desc, key, sizeof(key));
				printf("optee_check: allocator '%s': allocated %" PRIu32
				       " max %" PRIu32 " size %" PRIu32 " failed %" PRIu32 "\n",
				       st[i].desc, st[i].allocated, st[i].max_allocated, st[i].size,
				       st[i].num_alloc_fail);
				printf("optee_%s_allocated_bytes: %" PRIu32 "\n", key, st[i].allocated);
				printf("optee_%s_size_bytes: %" PRIu32 "\n", key, st[i].size);
			}
		}
		TEEC_CloseSession(&s);
	}

	TEEC_FinalizeContext(&ctx);
	printf("optee_check: %s\n", failures ? "FAIL" : "done");
	return failures ? 1 : 0;
}
