/* storage_power: the power-cut workload from Linux (tests/system/power.sh)
 * and the reader of the tamper test (tests/system/storage_tamper.sh), over
 * the storage test TA's PUT, GET and DEL commands through libteec. The
 * workload is storage_power.h's: objects 0 to 2 are TEE_STORAGE_PRIVATE_REE
 * objects (files of tee-supplicant's, on the normal world's disk), object 3
 * a TEE_STORAGE_PRIVATE_RPMB one (the secure flash).
 *   storage_power work FIRST LAST   steps FIRST..LAST, "power: commit S"
 *                                   after each (drained to the console
 *                                   before the next step begins)
 *   storage_power check             each object's state ("power: object J
 *                                   step S", "absent", "bad", "error 0x..."),
 *                                   then an object written and read back
 *                                   ("power: serving ok" or "... failed")
 *   storage_power get J             object J's state, as check prints it
 *   storage_power put J S           object J := what step S puts (S must
 *                                   be a put of J): "power: put J 0x..."
 *   storage_power bench ree|rpmb N  instructions per call (medians of N;
 *                                   perf, every process and both worlds on
 *                                   CPU 0; bench/storage.sh):
 *                                   storage_<ree|flash>_write_4k_insns (a
 *                                   PUT of 4 KiB over a 4 KiB object),
 *                                   _read_4k_insns (a GET of it),
 *                                   _create_delete_insns (a PUT of an empty
 *                                   new object and its DEL) and the same
 *                                   run's baseline, _open_missing_insns (a
 *                                   GET of an id that does not exist)
 * Exit status 0 when every call answered. */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include <tee_client_api.h>

#include "../../ta/storage_test/include/storage_power.h"
#include "../../ta/storage_test/include/storage_test_ta.h"

#define GP_STORAGE_PRIVATE_REE  0x80000000U
#define GP_STORAGE_PRIVATE_RPMB 0x80000100U
#define GP_ERROR_ITEM_NOT_FOUND 0xFFFF0008U

static TEEC_Session sess;
static uint8_t data[PC_LEN_MAX];

static uint32_t sp_storage(uint32_t obj)
{
	return obj == 3 ? GP_STORAGE_PRIVATE_RPMB : GP_STORAGE_PRIVATE_REE;
}

static TEEC_Result sp_cmd(uint32_t cmd, const char *id, uint32_t storage, void *buf, size_t *len)
{
	TEEC_Operation op;
	uint32_t origin;
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
	                                 cmd == TA_STORAGE_CMD_GET ? TEEC_MEMREF_TEMP_OUTPUT
	                                 : buf                     ? TEEC_MEMREF_TEMP_INPUT
	                                                           : TEEC_NONE,
	                                 TEEC_VALUE_INPUT, TEEC_NONE);
	op.params[0].tmpref.buffer = (void *)id;
	op.params[0].tmpref.size = strlen(id);
	op.params[1].tmpref.buffer = buf;
	op.params[1].tmpref.size = len ? *len : 0;
	op.params[2].value.a = storage;
	TEEC_Result r = TEEC_InvokeCommand(&sess, cmd, &op, &origin);
	if (len)
		*len = op.params[1].tmpref.size;
	return r;
}

/* A line on the console, out of the machine before the caller goes on: a
 * cut after it finds the line in the log. */
static void sp_say(const char *fmt, unsigned a)
{
	printf(fmt, a);
	fflush(stdout);
	tcdrain(STDOUT_FILENO);
}

/* The marker of the power-cut plugin (host/powercut from=d5032e3f):
 * HINT #113, unallocated, so a no-op; the cuts count from it. */
static void sp_marker(void)
{
	__asm__ volatile("hint #113" ::: "memory");
}

static int sp_work(uint32_t first, uint32_t last)
{
	sp_marker();
	for (uint32_t s = first; s <= last; s++) {
		uint32_t j = pc_object(s);
		char id[8];
		snprintf(id, sizeof(id), "pc/%u", j);
		TEEC_Result r;
		if (pc_deletes(s)) {
			r = sp_cmd(TA_STORAGE_CMD_DEL, id, sp_storage(j), 0, 0);
			if (r == GP_ERROR_ITEM_NOT_FOUND)
				r = TEEC_SUCCESS;
		} else {
			size_t n = pc_len(j, s);
			pc_fill(j, s, data);
			r = sp_cmd(TA_STORAGE_CMD_PUT, id, sp_storage(j), data, &n);
		}
		if (r != TEEC_SUCCESS) {
			printf("power: step %u failed: 0x%x\n", s, r);
			return 1;
		}
		sp_say("power: commit %u\n", s);
	}
	printf("power: work done\n");
	return 0;
}

/* Prints object j's state; 1 if it does not read as one of the workload's. */
static int sp_get(uint32_t j)
{
	char id[8];
	size_t n = sizeof(data);
	snprintf(id, sizeof(id), "pc/%u", j);
	TEEC_Result r = sp_cmd(TA_STORAGE_CMD_GET, id, sp_storage(j), data, &n);
	long step = r == TEEC_SUCCESS ? pc_parse(j, data, n) : -1;
	if (r == GP_ERROR_ITEM_NOT_FOUND)
		printf("power: object %u absent\n", j);
	else if (r != TEEC_SUCCESS)
		printf("power: object %u error 0x%x\n", j, r);
	else if (step < 0)
		printf("power: object %u bad (%zu bytes)\n", j, n);
	else
		printf("power: object %u step %ld\n", j, step);
	return (r != TEEC_SUCCESS && r != GP_ERROR_ITEM_NOT_FOUND) ||
	       (r == TEEC_SUCCESS && step < 0);
}

static int sp_put(uint32_t j, uint32_t s)
{
	char id[8];
	size_t n = pc_len(j, s);
	if (j >= PC_OBJECTS || pc_object(s) != j || pc_deletes(s))
		return 2;
	snprintf(id, sizeof(id), "pc/%u", j);
	pc_fill(j, s, data);
	TEEC_Result r = sp_cmd(TA_STORAGE_CMD_PUT, id, sp_storage(j), data, &n);
	printf("power: put %u 0x%x\n", j, r);
	return r != TEEC_SUCCESS;
}

static int sp_check(void)
{
	int bad = 0;
	for (uint32_t j = 0; j < PC_OBJECTS; j++)
		bad |= sp_get(j);
	/* The TA goes on serving, on both backends. */
	int ok = 1;
	for (uint32_t j = 2; j < 4; j++) {
		size_t n = pc_len(1, 1);
		pc_fill(1, 1, data);
		TEEC_Result r = sp_cmd(TA_STORAGE_CMD_PUT, "pc/after", sp_storage(j), data, &n);
		n = sizeof(data);
		TEEC_Result g = sp_cmd(TA_STORAGE_CMD_GET, "pc/after", sp_storage(j), data, &n);
		ok &= r == TEEC_SUCCESS && g == TEEC_SUCCESS && pc_parse(1, data, n) == 1;
	}
	printf("power: serving %s\n", ok ? "ok" : "failed");
	printf("power: check done\n");
	return bad || !ok;
}

/* ---- bench: instructions of every world on CPU 0, per call ---- */

static int sp_perf = -1;

static uint64_t sp_count(void)
{
	uint64_t v = 0;
	if (read(sp_perf, &v, sizeof(v)) != (ssize_t)sizeof(v))
		return 0;
	return v;
}

static int sp_u64cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* One operation, rounds times: the median instructions of its calls. */
static uint64_t sp_measure(const char *name, uint32_t storage, uint32_t rounds, int *bad)
{
	enum { MAX_ROUNDS = 101 };
	uint64_t v[MAX_ROUNDS];
	static uint8_t four_k[4096];
	memset(four_k, 0x5a, sizeof(four_k));
	if (rounds > MAX_ROUNDS)
		rounds = MAX_ROUNDS;
	for (uint32_t i = 0; i < rounds; i++) {
		size_t n = sizeof(four_k);
		TEEC_Result r = TEEC_SUCCESS, r2 = TEEC_SUCCESS;
		uint64_t t0 = sp_count(), t1;
		if (!strcmp(name, "write_4k")) {
			r = sp_cmd(TA_STORAGE_CMD_PUT, "bench/4k", storage, four_k, &n);
		} else if (!strcmp(name, "read_4k")) {
			r = sp_cmd(TA_STORAGE_CMD_GET, "bench/4k", storage, data, &n);
			if (r == TEEC_SUCCESS && n != sizeof(four_k))
				r = TEEC_ERROR_GENERIC;
		} else if (!strcmp(name, "create_delete")) {
			n = 0;
			r = sp_cmd(TA_STORAGE_CMD_PUT, "bench/cd", storage, four_k, &n);
			r2 = sp_cmd(TA_STORAGE_CMD_DEL, "bench/cd", storage, 0, 0);
		} else {
			r = sp_cmd(TA_STORAGE_CMD_GET, "bench/none", storage, data, &n);
			if (r == GP_ERROR_ITEM_NOT_FOUND)
				r = TEEC_SUCCESS;
		}
		t1 = sp_count();
		if (r != TEEC_SUCCESS || r2 != TEEC_SUCCESS) {
			printf("storage_bench: FAIL %s: 0x%x 0x%x\n", name, r, r2);
			*bad = 1;
			return 0;
		}
		v[i] = t1 - t0;
	}
	qsort(v, rounds, sizeof(v[0]), sp_u64cmp);
	return v[rounds / 2];
}

static int sp_bench(const char *which, uint32_t rounds)
{
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_HARDWARE;
	a.size = sizeof(a);
	a.config = PERF_COUNT_HW_INSTRUCTIONS;
	/* Every process on CPU 0 (the client, tee-supplicant, the kernel's
	 * threads), every EL of both worlds: the machine has one CPU. */
	sp_perf = (int)syscall(SYS_perf_event_open, &a, -1, 0, -1, 0);
	if (sp_perf < 0) {
		printf("storage_bench: FAIL perf_event_open: %s\n", strerror(errno));
		return 1;
	}
	int ree = !strcmp(which, "ree"), bad = 0;
	uint32_t storage = ree ? GP_STORAGE_PRIVATE_REE : GP_STORAGE_PRIVATE_RPMB;
	static const char *const ops[] = {"open_missing", "write_4k", "read_4k", "create_delete"};
	uint64_t m[4];
	for (unsigned i = 0; i < 4 && !bad; i++)
		m[i] = sp_measure(ops[i], storage, rounds, &bad);
	sp_cmd(TA_STORAGE_CMD_DEL, "bench/4k", storage, 0, 0);
	close(sp_perf);
	if (bad)
		return 1;
	const char *b = ree ? "ree" : "flash";
	for (unsigned i = 0; i < 4; i++)
		printf("storage_%s_%s_insns: %llu\n", b, ops[i], (unsigned long long)m[i]);
	return 0;
}

int main(int argc, char **argv)
{
	static const TEEC_UUID uuid = TA_STORAGE_TEST_UUID;
	TEEC_Context ctx;
	uint32_t origin;
	if (argc < 2 || ((!strcmp(argv[1], "work") || !strcmp(argv[1], "put")) && argc != 4) ||
	    ((!strcmp(argv[1], "get") || !strcmp(argv[1], "bench")) && argc < 3)) {
		fprintf(stderr,
			"usage: storage_power work FIRST LAST | check | get J | put J S | bench ree|rpmb N\n");
		return 2;
	}
	if (TEEC_InitializeContext(NULL, &ctx) != TEEC_SUCCESS ||
	    TEEC_OpenSession(&ctx, &sess, &uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin) !=
	        TEEC_SUCCESS) {
		printf("power: no session with the storage test TA\n");
		return 1;
	}
	int rc;
	if (!strcmp(argv[1], "work"))
		rc = sp_work((uint32_t)strtoul(argv[2], 0, 0), (uint32_t)strtoul(argv[3], 0, 0));
	else if (!strcmp(argv[1], "put"))
		rc = sp_put((uint32_t)strtoul(argv[2], 0, 0), (uint32_t)strtoul(argv[3], 0, 0));
	else if (!strcmp(argv[1], "bench"))
		rc = sp_bench(argv[2], argc > 3 ? (uint32_t)strtoul(argv[3], 0, 0) : 15);
	else if (!strcmp(argv[1], "get"))
		rc = sp_get((uint32_t)strtoul(argv[2], 0, 0));
	else
		rc = sp_check();
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	return rc;
}
