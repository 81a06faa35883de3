/* test_crash: the crash TA (ta/crash_test) faults, or panics, once per
 * instance, so that init prints a crash report for each (scenario
 * `crash_report`; tests/system/crash.sh symbolizes them and checks the
 * functions and lines). Here: every instance dies in its call (the call
 * fails with MT_EPEERDEAD) and ends; the kernel survives the forged frame
 * chains (which the system test checks give short backtraces).
 * Prints `test_crash: PASS` when every check held.
 *
 * Argument: DEMO_ARG(0, echo, sup), sup being a CALL handle to init's
 * supervisor endpoint. */
#include <stdio.h>
#include <string.h>

#include "../../../include/microtee/demo_ipc.h"
#include "../../../include/microtee/ta_ipc.h"
#include "../../../lib/tee/include/tee_api_defines.h"
#include "../../../ta/crash_test/include/crash_ta.h"
#include "mt.h"

#define TEST_NAME "test_crash"
#include "../check.h"
#include "../ta_start.h"

static mt_handle_t sup;
static mt_handle_t page_shm;
static struct ta_param_page *page;

static long op(mt_handle_t ep, uint64_t w0, uint64_t w1, uint64_t w2, unsigned long xfer,
               uint32_t *res)
{
	struct mt_msg m = {{w0, w1, w2, 0}, xfer, 0};
	long rc = mt_call(ep, &m);
	*res = (uint32_t)m.w[0];
	return rc;
}

static int ended(mt_handle_t proc)
{
	for (int i = 0; i < 200; i++) {
		struct mt_proc_info info = {0};
		if (mt_proc_info(proc, &info) == MT_OK && info.threads == 0)
			return 1;
		mt_sleep_ns(10000000);
	}
	mt_proc_kill(proc);
	return 0;
}

/* One instance, one session, one command that must end it. */
static void crash_once(unsigned cmd)
{
	static const struct ta_uuid u = TA_CRASH_UUID;
	mt_handle_t ep, proc;
	long rc = ta_start(sup, &u, &ep, &proc);
	CHECK(rc == MT_OK, "command %u: start the TA: %ld", cmd, rc);
	if (rc != MT_OK)
		return;
	uint32_t res;
	rc = op(ep, TA_OP_ATTACH, 0, 0, page_shm, &res);
	CHECK(rc == MT_OK && res == TEE_SUCCESS, "command %u: attach: rc %ld res 0x%x", cmd, rc,
	      res);
	memset(page, 0, sizeof(*page));
	page->login = TEE_LOGIN_PUBLIC;
	rc = op(ep, TA_OP_OPEN_SESSION, 1, 0, 0, &res);
	CHECK(rc == MT_OK && res == TEE_SUCCESS, "command %u: open a session: rc %ld res 0x%x", cmd,
	      rc, res);
	memset(page, 0, sizeof(*page));
	printf("test_crash: command %u\n", cmd);
	rc = op(ep, TA_OP_INVOKE, 1, cmd, 0, &res);
	CHECK(rc == MT_EPEERDEAD, "command %u: the call ended with %ld (res 0x%x)", cmd, rc, res);
	CHECK(ended(proc), "command %u: the instance has ended", cmd);
	mt_handle_close(ep);
	mt_handle_close(proc);
}

int mt_main(unsigned long arg, unsigned long arg2)
{
	(void)arg2;
	sup = DEMO_ARG_COUNTER(arg);
	if (mt_shm_create(4096, &page_shm) != MT_OK ||
	    !(page = mt_shm_map_any(page_shm, MT_PROT_R | MT_PROT_W, 0))) {
		printf("test_crash: no parameter page\ntest_crash: FAIL\n");
		return 1;
	}
	for (unsigned cmd = 0; cmd < TA_CRASH_CMDS; cmd++)
		crash_once(cmd);
	printf("test_crash: %d passed, %d failed\n", passed, failed);
	printf("test_crash: %s\n", failed ? "FAIL" : "PASS");
	return failed != 0;
}
