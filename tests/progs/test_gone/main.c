/* test_gone: many crypto clients end while the crypto service cannot
 * listen, and init must still tell the service of every one (issue 13
 * item 11). A second thread stalls the service (CRYPTO_OP_TEST_STALL,
 * a test hook) while the main thread starts and kills more TA instances
 * than init has crypto-client slots, so more notices are pending than
 * init's old ring of 64 held. init then checks that as many notices were
 * delivered as clients ended ("[init] crypto notices: N clients ended, N
 * told to the service"), and run.sh that N is at least 100.
 *
 * Argument: DEMO_ARG(0, crypto, sup): a crypto-service handle and a CALL
 * handle to init's supervisor endpoint (scenario `crypto_gone`). */
#include <stdio.h>

#include "../../../include/microtee/crypto_ipc.h"
#include "../../../include/microtee/demo_ipc.h"
#include "../../../ta/demo/include/demo_ta.h"
#include "../ta_start.h"
#include "mt.h"

#define TEST_NAME "test_gone"
#include "../check.h"

#define INSTANCES 100
#define STALL_MS 2000

static mt_handle_t crypto;
static volatile int stall_done;
static long stall_rc;
static uint64_t stall_res;

static void staller(void *arg)
{
	(void)arg;
	struct mt_msg m = {{CRYPTO_OP_TEST_STALL, STALL_MS, 0, 0}, 0, 0};
	stall_rc = mt_call(crypto, &m);
	stall_res = m.w[0];
	__atomic_store_n(&stall_done, 1, __ATOMIC_SEQ_CST);
}

int mt_main(unsigned long arg, unsigned long arg2)
{
	(void)arg2;
	crypto = DEMO_ARG_ECHO(arg);
	mt_handle_t sup = DEMO_ARG_COUNTER(arg);
	static const struct ta_uuid demo = TA_DEMO_UUID;

	mt_handle_t th;
	CHECK(mt_thread_create(staller, 0, 10, &th) == MT_OK, "stall thread");
	mt_sleep_ns(20000000ULL); /* the service is now asleep in the stall */

	unsigned started = 0;
	uint64_t freq, t0 = mt_time(&freq);
	for (unsigned i = 0; i < INSTANCES; i++) {
		mt_handle_t ep, proc;
		long rc = ta_start(sup, &demo, &ep, &proc);
		if (rc != MT_OK) {
			CHECK(0, "start instance %u: %ld", i, rc);
			break;
		}
		started++;
		CHECK(mt_proc_kill(proc) == MT_OK, "kill instance %u", i);
		mt_handle_close(ep);
		mt_handle_close(proc);
	}
	uint64_t ms = (mt_time(&freq) - t0) * 1000 / freq;
	printf("test_gone: %u TA instances started and killed in %lu ms, the last %s the stall ended\n",
	       started, (unsigned long)ms,
	       __atomic_load_n(&stall_done, __ATOMIC_SEQ_CST) ? "after" : "before");
	CHECK(started == INSTANCES, "all instances started");
	while (!__atomic_load_n(&stall_done, __ATOMIC_SEQ_CST))
		mt_sleep_ns(10000000ULL);
	CHECK(stall_rc == MT_OK && (uint32_t)stall_res == 0, "the stall: %ld %lx", stall_rc,
	      (unsigned long)stall_res);
	printf("test_gone: %d passed, %d failed\n", passed, failed);
	printf("test_gone: %s\n", failed ? "FAIL" : "PASS");
	return failed ? 1 : 0;
}
