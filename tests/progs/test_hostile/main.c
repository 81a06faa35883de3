/* test_hostile: a hostile TA against a victim TA (ta/hostile, two
 * instances of it, each with its own crypto-service badge), driven the way
 * the gateway drives TAs: instances from init's supervisor
 * (SUP_OP_START_TA), then include/microtee/ta_ipc.h.
 *   1. The victim makes an AES key, an AES-CBC operation with it and an
 *      ECDSA key pair in the crypto service, and a secret shared-memory
 *      object; it reports their ids and handle number, which this program
 *      hands to the attacker.
 *   2. The attacker uses those ids with its own crypto handle, sends
 *      malformed requests straight to the crypto service, makes system
 *      calls on handles it was never given, fills its own tables in the
 *      service, and makes every kind of kernel object until each runs out
 *      (its quotas: MT_EQUOTA, MT_ENOMEM; its tables: MT_ENOSPACE), and
 *      keeps them. Each attempt must fail with an error (the TA counts
 *      them). While it holds everything, the kernel must show its quotas
 *      used up, and a new instance must start and work.
 *   3. Meanwhile a second thread keeps asking the victim to check that its
 *      key still encrypts SP 800-38A correctly, its key pair signs, and its
 *      memory is intact; after each attack the main thread asks too.
 *   4. The attacker dies by a fault holding crypto state; the victim works
 *      on, and a new attacker instance is refused the victim's ids again.
 * Prints `test_hostile: PASS` when every check held.
 *
 * Argument: DEMO_ARG(0, echo, sup), sup being a CALL handle to init's
 * supervisor endpoint (scenario `hostile_ta` of init). */
#include <stdio.h>
#include <string.h>

#include "../../../include/microtee/demo_ipc.h"
#include "../../../include/microtee/ta_ipc.h"
#include "../../../lib/tee/include/tee_api_defines.h"
#include "../../../ta/hostile/include/hostile_ta.h"
#include "mt.h"

#define PRIO 10

#define TEST_NAME "test_hostile"
#include "../check.h"
#include "../ta_start.h"


static mt_handle_t sup;

/* A TA instance, with its own parameter page. */
struct ta {
	const char *name;
	mt_handle_t ep, proc, page_shm;
	struct ta_param_page *page;
};

static long start_ta(struct ta *ta)
{
	static const struct ta_uuid u = TA_HOSTILE_UUID;
	return ta_start(sup, &u, &ta->ep, &ta->proc);
}

static long op(const struct ta *ta, uint64_t w0, uint64_t w1, uint64_t w2, unsigned long xfer,
               uint32_t *res)
{
	struct mt_msg m = {{w0, w1, w2, 0}, xfer, 0};
	long rc = mt_call(ta->ep, &m);
	*res = (uint32_t)m.w[0];
	return rc;
}

static void set_params(struct ta *ta, uint32_t types)
{
	memset(ta->page, 0, sizeof(*ta->page));
	ta->page->param_types = types;
	for (unsigned i = 0; i < 4; i++) {
		uint32_t t = TEE_PARAM_TYPE_GET(types, i);
		ta->page->params[i].kind = t == TEE_PARAM_TYPE_NONE           ? TA_PARAM_NONE
		                           : t >= TEE_PARAM_TYPE_MEMREF_INPUT ? TA_PARAM_MEMREF
		                                                              : TA_PARAM_VALUE;
	}
}

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

/* A new instance with a session (id 1) open. */
static int ta_open(struct ta *ta, const char *name)
{
	ta->name = name;
	if (!ta->page_shm &&
	    (mt_shm_create(4096, &ta->page_shm) != MT_OK ||
	     !(ta->page = mt_shm_map_any(ta->page_shm, MT_PROT_R | MT_PROT_W, 0)))) {
		CHECK(0, "%s: cannot make its parameter page", name);
		return 0;
	}
	long rc = start_ta(ta);
	CHECK(rc == MT_OK, "start the %s: %ld", name, rc);
	if (rc != MT_OK)
		return 0;
	uint32_t res;
	rc = op(ta, TA_OP_ATTACH, 0, 0, ta->page_shm, &res);
	CHECK(rc == MT_OK && res == TEE_SUCCESS, "%s: attach: rc %ld res 0x%x", name, rc, res);
	set_params(ta, 0);
	ta->page->login = TEE_LOGIN_PUBLIC;
	rc = op(ta, TA_OP_OPEN_SESSION, 1, 0, 0, &res);
	CHECK(rc == MT_OK && res == TEE_SUCCESS, "%s: open a session: rc %ld res 0x%x", name, rc,
	      res);
	return rc == MT_OK && res == TEE_SUCCESS;
}

static void ta_close(struct ta *ta)
{
	mt_handle_close(ta->ep);
	mt_handle_close(ta->proc);
	ta->ep = ta->proc = 0;
}

static void ta_finish(struct ta *ta)
{
	uint32_t res;
	long rc = op(ta, TA_OP_CLOSE_SESSION, 1, 0, 0, &res);
	CHECK(rc == MT_OK && res == TEE_SUCCESS, "%s: close the session: rc %ld res 0x%x", ta->name,
	      rc, res);
	rc = op(ta, TA_OP_DESTROY, 0, 0, 0, &res);
	CHECK(rc == MT_OK && res == TEE_SUCCESS, "%s: destroy: rc %ld res 0x%x", ta->name, rc, res);
	CHECK(ta_dead(ta), "%s: the instance has ended", ta->name);
	ta_close(ta);
}

static struct ta victim, hostile;
static uint64_t v_key, v_op, v_pair, v_secret;

/* Asks the victim to check itself; returns 1 if all its checks passed. */
static int victim_check(const char *when, int quiet)
{
	set_params(&victim, TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
	                                    TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE));
	uint32_t res;
	long rc = op(&victim, TA_OP_INVOKE, 1, TA_HOSTILE_CMD_VICTIM_CHECK, 0, &res);
	uint32_t p = (uint32_t)victim.page->params[0].a, f = (uint32_t)victim.page->params[0].b;
	int ok = rc == MT_OK && res == TEE_SUCCESS && f == 0 && p >= 7;
	if (!quiet || !ok)
		CHECK(ok, "the victim %s: rc %ld res 0x%x, %u checks passed, %u failed", when, rc,
		      res, p, f);
	if (!quiet && ok)
		printf("test_hostile: the victim works %s (%u checks)\n", when, p);
	return ok;
}

/* The second thread: the victim keeps working while it is attacked. */
static volatile int checker_stop, checker_done;
static unsigned checker_runs, checker_fails;

/* Instances until init has no room left for another one's quota: the next
 * is refused cleanly (MT_ENOMEM, and TEE_ERROR_OUT_OF_MEMORY for the
 * client), the pools are never oversubscribed; with them gone, a new one
 * starts again. init plans room for 8 instances at once (TA_INSTANCES);
 * the victim and the attacker are two. */
static void admission(void)
{
	static const struct ta_uuid u = TA_HOSTILE_UUID;
	mt_handle_t ep[16], proc[16];
	unsigned n = 0;
	uint32_t res = 0;
	long rc = MT_OK;
	while (n < 16 && (rc = ta_start_res(sup, &u, &ep[n], &proc[n], &res)) == MT_OK)
		n++;
	CHECK(rc == MT_ENOMEM && res == TEE_ERROR_OUT_OF_MEMORY,
	      "instance %u refused with %ld, 0x%x (not MT_ENOMEM, TEE_ERROR_OUT_OF_MEMORY)", n + 1,
	      rc, res);
	CHECK(n >= 6, "only %u more instances started besides the victim and the attacker", n);
	printf("test_hostile: %u more instances started, the next refused: %ld, 0x%x\n", n, rc,
	       res);
	for (unsigned i = 0; i < n; i++) {
		mt_proc_kill(proc[i]);
		mt_handle_close(ep[i]);
		mt_handle_close(proc[i]);
	}
	rc = ta_start_res(sup, &u, &ep[0], &proc[0], &res);
	CHECK(rc == MT_OK, "an instance after the others ended: %ld, 0x%x", rc, res);
	if (rc == MT_OK) {
		mt_proc_kill(proc[0]);
		mt_handle_close(ep[0]);
		mt_handle_close(proc[0]);
	}
}

/* With the attacker holding every object it could make: the kernel shows
 * its quotas used up, and a new instance starts and works (its own keys,
 * operation and secret memory, in the crypto service and the kernel). */
static void while_exhausted(void)
{
	struct mt_proc_info info;
	long rc = mt_proc_info(hostile.proc, &info);
	CHECK(rc == MT_OK, "the attacker's process information: %ld", rc);
	for (unsigned k = MT_Q_THREADS; rc == MT_OK && k <= MT_Q_SHMS; k++)
		CHECK(info.used[k] == info.quota[k] && info.quota[k] > 0,
		      "the attacker's quota of kind %u: %lu of %lu used", k, info.used[k],
		      info.quota[k]);
	CHECK(rc == MT_OK && info.quota[MT_Q_PAGES] - info.used[MT_Q_PAGES] <= 1,
	      "the attacker's pages: %lu of %lu used", info.used[MT_Q_PAGES], info.quota[MT_Q_PAGES]);
	static struct ta bystander;
	if (!ta_open(&bystander, "bystander"))
		return;
	set_params(&bystander,
	           TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
	                           TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE));
	uint32_t res;
	rc = op(&bystander, TA_OP_INVOKE, 1, TA_HOSTILE_CMD_VICTIM_SETUP, 0, &res);
	CHECK(rc == MT_OK && res == TEE_SUCCESS, "a new instance sets up: rc %ld res 0x%x", rc, res);
	set_params(&bystander, TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
	                                       TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE));
	rc = op(&bystander, TA_OP_INVOKE, 1, TA_HOSTILE_CMD_VICTIM_CHECK, 0, &res);
	uint32_t p = (uint32_t)bystander.page->params[0].a, f = (uint32_t)bystander.page->params[0].b;
	CHECK(rc == MT_OK && res == TEE_SUCCESS && f == 0 && p >= 7,
	      "a new instance works while the attacker holds everything: rc %ld res 0x%x, %u "
	      "passed, %u failed",
	      rc, res, p, f);
	if (rc == MT_OK && res == TEE_SUCCESS)
		printf("test_hostile: a new instance works while the attacker holds every object it "
		       "could make (%u checks)\n",
		       p);
	ta_finish(&bystander);
	mt_mem_unmap((uintptr_t)bystander.page, MT_PAGE_SIZE);
	mt_handle_close(bystander.page_shm);
	admission();
}

static void checker(void *arg)
{
	(void)arg;
	while (!checker_stop) {
		if (!victim_check("during an attack", 1))
			__atomic_fetch_add(&checker_fails, 1, __ATOMIC_SEQ_CST);
		__atomic_fetch_add(&checker_runs, 1, __ATOMIC_SEQ_CST);
		mt_sleep_ns(2000000);
	}
	__atomic_store_n(&checker_done, 1, __ATOMIC_SEQ_CST);
}

static const char *const attack_names[TA_HOSTILE_ATTACKS + 1] = {
    "",
    "the victim's ids",
    "malformed requests to the crypto service",
    "system calls on what it was not given",
    "filling its own tables in the crypto service",
    "every kind of kernel object",
};

/* One attack; returns the attempts the attacker made. */
static unsigned attack(uint32_t which)
{
	set_params(&hostile,
	           TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_INPUT,
	                           TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT));
	hostile.page->params[0].a = which;
	hostile.page->params[1].a = v_key;
	hostile.page->params[1].b = v_op;
	hostile.page->params[2].a = v_pair;
	hostile.page->params[2].b = v_secret;
	uint32_t res;
	long rc = op(&hostile, TA_OP_INVOKE, 1, TA_HOSTILE_CMD_ATTACK, 0, &res);
	uint32_t tries = (uint32_t)hostile.page->params[3].a;
	uint32_t not_refused = (uint32_t)hostile.page->params[3].b;
	CHECK(rc == MT_OK && res == TEE_SUCCESS && not_refused == 0 && tries > 0,
	      "attack on %s: rc %ld res 0x%x, %u attempts, %u not refused", attack_names[which], rc,
	      res, tries, not_refused);
	printf("test_hostile: attack on %s: %u attempts, %u not refused\n", attack_names[which],
	       tries, not_refused);
	return tries;
}

int mt_main(unsigned long arg, unsigned long arg2)
{
	(void)arg2;
	sup = DEMO_ARG_COUNTER(arg);
	printf("test_hostile: TA %s as victim and as attacker\n", TA_HOSTILE_UUID_STR);
	if (!ta_open(&victim, "victim")) {
		printf("test_hostile: FAIL\n");
		return 1;
	}
	set_params(&victim,
	           TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
	                           TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE));
	uint32_t res;
	long rc = op(&victim, TA_OP_INVOKE, 1, TA_HOSTILE_CMD_VICTIM_SETUP, 0, &res);
	CHECK(rc == MT_OK && res == TEE_SUCCESS, "victim setup: rc %ld res 0x%x", rc, res);
	v_key = victim.page->params[0].a;
	v_op = victim.page->params[0].b;
	v_pair = victim.page->params[1].a;
	v_secret = victim.page->params[1].b;
	CHECK(v_key && v_op && v_pair && v_secret >= TA_HOSTILE_SECRET_MIN_HANDLE,
	      "victim ids: 0x%lx 0x%lx 0x%lx, handle %lu", (unsigned long)v_key,
	      (unsigned long)v_op, (unsigned long)v_pair, (unsigned long)v_secret);
	victim_check("before the attacks", 0);

	unsigned total = 0;
	if (ta_open(&hostile, "attacker")) {
		mt_handle_t th;
		int threaded = mt_thread_create(checker, 0, PRIO, &th) == MT_OK;
		CHECK(threaded, "start the checking thread");
		for (uint32_t a = 1; a <= TA_HOSTILE_ATTACKS; a++) {
			total += attack(a);
			if (!threaded) {
				victim_check("after an attack", 0);
				continue;
			}
			/* A whole check of the victim's, begun after the attack. */
			unsigned runs = __atomic_load_n(&checker_runs, __ATOMIC_SEQ_CST);
			for (int i = 0; i < 1000 &&
			                __atomic_load_n(&checker_runs, __ATOMIC_SEQ_CST) < runs + 2;
			     i++)
				mt_sleep_ns(1000000);
			unsigned now = __atomic_load_n(&checker_runs, __ATOMIC_SEQ_CST);
			unsigned fails = __atomic_load_n(&checker_fails, __ATOMIC_SEQ_CST);
			CHECK(now >= runs + 2 && fails == 0,
			      "the victim after the attack on %s: %u checks, %u failed",
			      attack_names[a], now, fails);
			printf("test_hostile: the victim works after the attack on %s (%u of %u "
			       "checks passed so far)\n",
			       attack_names[a], now - fails, now);
		}
		while_exhausted();
		if (threaded) {
			checker_stop = 1;
			while (!__atomic_load_n(&checker_done, __ATOMIC_SEQ_CST))
				mt_sleep_ns(1000000);
		}
		CHECK(checker_fails == 0, "the victim failed %u of %u checks during the attacks",
		      checker_fails, checker_runs);
		printf("test_hostile: the victim passed %u of %u checks made during the attacks\n",
		       checker_runs - checker_fails, checker_runs);
		mt_handle_close(th);

		/* The attacker dies holding crypto state; init tells the
		 * service, which frees it; the victim is unaffected. */
		set_params(&hostile, 0);
		rc = op(&hostile, TA_OP_INVOKE, 1, TA_HOSTILE_CMD_DIE, 0, &res);
		CHECK(rc == MT_EPEERDEAD, "the attacker's fault ended its call with %ld (res 0x%x)",
		      rc, res);
		CHECK(ta_dead(&hostile), "the attacker has ended");
		ta_close(&hostile);
		victim_check("after the attacker died", 0);

		/* A new attacker gets nowhere with the same ids either. */
		if (ta_open(&hostile, "second attacker")) {
			total += attack(TA_HOSTILE_ATTACK_IDS);
			ta_finish(&hostile);
		}
	}
	victim_check("at the end", 0);
	ta_finish(&victim);
	printf("test_hostile: %u attempts by the attacker, every one refused: %s\n", total,
	       failed ? "no" : "yes");
	printf("test_hostile: %d checks passed, %d failed\n", passed, failed);
	printf("test_hostile: %s\n", failed ? "FAIL" : "PASS");
	return failed ? 1 : 0;
}
