/* test_ta_crypto: drives the crypto test TA (ta/crypto_test) the way the
 * gateway would: asks the supervisor (init) for an instance by UUID, speaks
 * include/microtee/ta_ipc.h to it, and
 *   - runs every group of published test vectors (RUN), printing the TA's
 *     per-algorithm report; a group that kills its instance counts as
 *     failed and the next group gets a new one;
 *   - runs each case that GP says must panic (PANIC), each in a fresh
 *     instance, which must die with the call in progress failing
 *     (MT_EPEERDEAD) and not answer.
 *
 * Argument: DEMO_ARG(0, echo, sup), sup being a CALL handle to init's
 * supervisor endpoint (scenario `crypto_vectors` of init). */
#include <stdio.h>
#include <string.h>

#include "../../../include/microtee/demo_ipc.h"
#include "../../../include/microtee/ta_ipc.h"
#include "../../../lib/tee/include/tee_api_defines.h"
#include "../../../ta/crypto_test/include/crypto_test_ta.h"
#include "mt.h"

#define REPORT_SIZE 8192

#define TEST_NAME "test_ta_crypto"
#include "../check.h"
#include "../ta_start.h"


static mt_handle_t sup;
static mt_handle_t page_shm, report_shm;
static struct ta_param_page *page;
static char *report;

struct ta {
	mt_handle_t ep, proc;
};

static long start_ta(struct ta *ta)
{
	static const struct ta_uuid u = TA_CRYPTO_TEST_UUID;
	return ta_start(sup, &u, &ta->ep, &ta->proc);
}

/* One operation: the IPC status, and the reply's result. */
static long op(const struct ta *ta, uint64_t w0, uint64_t w1, uint64_t w2, unsigned long xfer,
               uint32_t *res)
{
	struct mt_msg m = {{w0, w1, w2, 0}, xfer, 0};
	long rc = mt_call(ta->ep, &m);
	*res = (uint32_t)m.w[0];
	return rc;
}

static void set_params(uint32_t types)
{
	memset(page, 0, sizeof(*page));
	page->param_types = types;
	for (unsigned i = 0; i < 4; i++) {
		uint32_t t = TEE_PARAM_TYPE_GET(types, i);
		page->params[i].kind = t == TEE_PARAM_TYPE_NONE           ? TA_PARAM_NONE
		                       : t >= TEE_PARAM_TYPE_MEMREF_INPUT ? TA_PARAM_MEMREF
		                                                          : TA_PARAM_VALUE;
	}
}

/* Waits (up to two seconds) for a TA process to end; kills it if it does not. */
static int ta_dead(const struct ta *ta)
{
	for (int i = 0; i < 200; i++) {
		struct mt_proc_info info = {0};
		if (mt_proc_info(ta->proc, &info) == MT_OK && info.threads == 0)
			return 1;
		mt_sleep_ns(10000000);
	}
	mt_proc_kill(ta->proc);
	return 0;
}

static void ta_close(struct ta *ta)
{
	mt_handle_close(ta->ep);
	mt_handle_close(ta->proc);
	ta->ep = ta->proc = 0;
}

/* A new instance with a session (id 1) open. */
static int ta_open(struct ta *ta)
{
	long rc = start_ta(ta);
	CHECK(rc == MT_OK, "start the crypto test TA: %ld", rc);
	if (rc != MT_OK)
		return 0;
	uint32_t res;
	rc = op(ta, TA_OP_ATTACH, 0, 0, page_shm, &res);
	CHECK(rc == MT_OK && res == TEE_SUCCESS, "attach: rc %ld res 0x%x", rc, res);
	set_params(0);
	page->login = TEE_LOGIN_PUBLIC;
	rc = op(ta, TA_OP_OPEN_SESSION, 1, 0, 0, &res);
	CHECK(rc == MT_OK && res == TEE_SUCCESS, "open a session: rc %ld res 0x%x", rc, res);
	if (rc == MT_OK && res == TEE_SUCCESS)
		return 1;
	mt_proc_kill(ta->proc);
	ta_close(ta);
	return 0;
}

static void ta_finish(struct ta *ta)
{
	uint32_t res;
	long rc = op(ta, TA_OP_CLOSE_SESSION, 1, 0, 0, &res);
	CHECK(rc == MT_OK && res == TEE_SUCCESS, "close the session: rc %ld res 0x%x", rc, res);
	rc = op(ta, TA_OP_DESTROY, 0, 0, 0, &res);
	CHECK(rc == MT_OK && res == TEE_SUCCESS, "destroy: rc %ld res 0x%x", rc, res);
	CHECK(ta_dead(ta), "the instance has ended");
	ta_close(ta);
}

static const char *const group_names[TA_CRYPTO_TEST_GROUPS] = {
    "digests",        "ciphers", "authenticated encryption", "MACs",
    "key derivation", "RSA",     "elliptic curves",          "random numbers, API, negative cases",
};

static void run_vectors(void)
{
	struct ta ta = {0, 0};
	unsigned ta_pass = 0, ta_fail = 0;
	for (unsigned g = 0; g < TA_CRYPTO_TEST_GROUPS; g++) {
		if (!ta.ep && !ta_open(&ta))
			return;
		printf("test_ta_crypto: %s\n", group_names[g]);
		set_params(TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT,
		                           TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE));
		page->params[0].a = 1U << g;
		page->params[1].handle = 0;
		page->params[1].a = 0;
		page->params[1].b = REPORT_SIZE;
		memset(report, 0, REPORT_SIZE);
		uint32_t res;
		long rc = op(&ta, TA_OP_INVOKE, 1, TA_CRYPTO_TEST_CMD_RUN, report_shm, &res);
		if (rc != MT_OK) {
			/* The instance died (a panic the vectors should not cause). */
			CHECK(0, "%s: the instance died (%ld)", group_names[g], rc);
			ta_dead(&ta);
			ta_close(&ta);
			continue;
		}
		CHECK(res == TEE_SUCCESS, "%s: res 0x%x", group_names[g], res);
		report[REPORT_SIZE - 1] = 0;
		/* The report, line by line, indented. */
		for (char *line = report, *end; *line; line = end) {
			end = strchr(line, '\n');
			end = end ? end + 1 : line + strlen(line);
			printf("test_ta_crypto:   %.*s", (int)(end - line), line);
		}
		uint32_t p = (uint32_t)page->params[2].a, f = (uint32_t)page->params[2].b;
		CHECK(f == 0 && p > 0, "%s: %u checks failed, %u passed", group_names[g], f, p);
		ta_pass += p;
		ta_fail += f;
	}
	printf("test_ta_crypto: the TA's checks: %u passed, %u failed\n", ta_pass, ta_fail);
	if (ta.ep)
		ta_finish(&ta);
}

/* The crypto service crashes under a TA (its test hook) and init restarts
 * it: the TA gets errors for what was lost, then works on (the TA's
 * "service restart" group). */
static void run_restart(void)
{
	struct ta ta;
	if (!ta_open(&ta))
		return;
	printf("test_ta_crypto: the crypto service crashes under the TA\n");
	set_params(TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT,
	                           TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE));
	page->params[0].a = TA_CRYPTO_TEST_GROUP_RESTART;
	page->params[1].handle = 0;
	page->params[1].b = REPORT_SIZE;
	memset(report, 0, REPORT_SIZE);
	uint32_t res;
	long rc = op(&ta, TA_OP_INVOKE, 1, TA_CRYPTO_TEST_CMD_RUN, report_shm, &res);
	CHECK(rc == MT_OK && res == TEE_SUCCESS, "restart group: rc %ld res 0x%x", rc, res);
	if (rc != MT_OK) {
		ta_dead(&ta);
		ta_close(&ta);
		return;
	}
	report[REPORT_SIZE - 1] = 0;
	printf("test_ta_crypto:   %s", report);
	uint32_t p = (uint32_t)page->params[2].a, f = (uint32_t)page->params[2].b;
	CHECK(f == 0 && p >= 10, "restart group: %u checks failed, %u passed", f, p);
	ta_finish(&ta);
}

/* Each call GP says panics kills its instance, with the call in progress
 * failing: the gateway would report TEE_ERROR_TARGET_DEAD. */
static void run_panics(void)
{
	static const uint32_t ids[] = TA_CRYPTO_TEST_PANIC_IDS;
	_Static_assert(sizeof(ids) / sizeof(ids[0]) == TA_CRYPTO_TEST_PANIC_CASES, "panic ids");
	unsigned died = 0;
	for (unsigned n = 0; n < TA_CRYPTO_TEST_PANIC_CASES; n++) {
		struct ta ta;
		if (!ta_open(&ta))
			continue;
		set_params(TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_NONE,
		                           TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE));
		page->params[0].a = n;
		uint32_t res = 0;
		printf("test_ta_crypto: panic case %u: expect TEE_Panic(0x%08x)\n", n, ids[n]);
		long rc = op(&ta, TA_OP_INVOKE, 1, TA_CRYPTO_TEST_CMD_PANIC, 0, &res);
		CHECK(rc == MT_EPEERDEAD, "panic case %u: call ended with %ld, res 0x%x", n, rc,
		      res);
		int dead = ta_dead(&ta);
		CHECK(dead, "panic case %u: the instance has ended", n);
		died += rc == MT_EPEERDEAD && dead;
		ta_close(&ta);
	}
	printf("test_ta_crypto: %u of %u panic cases panicked\n", died, TA_CRYPTO_TEST_PANIC_CASES);
}

int mt_main(unsigned long arg, unsigned long arg2)
{
	(void)arg2;
	sup = DEMO_ARG_COUNTER(arg);
	printf("test_ta_crypto: crypto test TA %s\n", TA_CRYPTO_TEST_UUID_STR);
	if (mt_shm_create(4096, &page_shm) != MT_OK ||
	    !(page = mt_shm_map_any(page_shm, MT_PROT_R | MT_PROT_W, 0)) ||
	    mt_shm_create(REPORT_SIZE, &report_shm) != MT_OK ||
	    !(report = mt_shm_map_any(report_shm, MT_PROT_R | MT_PROT_W, 0))) {
		printf("test_ta_crypto: cannot make shared memory\ntest_ta_crypto: FAIL\n");
		return 1;
	}
	run_vectors();
	run_panics();
	run_restart();
	mt_mem_unmap((uintptr_t)page, 4096);
	mt_mem_unmap((uintptr_t)report, REPORT_SIZE);
	mt_handle_close(page_shm);
	mt_handle_close(report_shm);
	printf("test_ta_crypto: %d checks passed, %d failed\n", passed, failed);
	printf("test_ta_crypto: %s\n", failed ? "FAIL" : "PASS");
	return failed ? 1 : 0;
}
