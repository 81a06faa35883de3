/* test_storage: the storage service's system test (scenarios storage*). It
 * drives the test TAs storage_test and storage_peer the way the gateway
 * would, and talks to the storage service itself with a handle whose badge
 * names no TA (a hostile process, and the test hooks).
 *
 * Argument: STORE_TEST_ARG(test, sup, store) (storage_ipc.h). Tests:
 *   0  everything: both TAs' self-tests of the GP API; one object id, two
 *      TAs, two objects; a process that is no TA gets nothing; a TA killed
 *      while it holds an object open leaves no lock behind; a TA panics as
 *      GP says; the service killed in the middle of an update (the update
 *      fails, committed data is intact, old handles are refused, new ones
 *      work).
 *   1  writes objects for the next boot (tests/system/storage.sh);
 *   2  checks them after the reboot;
 *   3  after 1: commits more (a newer 'persist', a new object);
 *   4  after 3, with the storage blocks of 1 put back (the rollback
 *      counter is 3's): everything is CORRUPT_OBJECT;
 *   5  a cut between a commit and the counter's raise (the service faults
 *      there, and init restarts it): the update counts, the counter is
 *      raised, and the service goes on;
 *   6  after 5: 5's objects, on a store whose counter matches;
 *   7  the power-cut workload (storage_power.h) on TEE_STORAGE_PRIVATE_RPMB,
 *      for tests/system/power.sh to cut: "power: commit S" after each step;
 *   8  after a cut: each workload object's step ("power: object J step S",
 *      "absent", "bad", "error 0x..."), then a new object written and read.
 * Lines starting "storage: " are read by the test scripts. */
#include <stdio.h>
#include <string.h>

#include "../../../include/microtee/storage_ipc.h"
#include "../../../include/microtee/ta_ipc.h"
#include "../../../lib/tee/include/tee_api_defines.h"
#include "../../../lib/tee/include/tee_api_defines_extensions.h"
#include "../../../ta/storage_test/include/storage_power.h"
#include "../../../ta/storage_test/include/storage_test_ta.h"
#include "mt.h"

#define TEST_NAME "test_storage"
#include "../check.h"

struct uuid {
	uint32_t time_low;
	uint16_t time_mid, time_hi;
	uint8_t node[8];
};
static const struct uuid uuid_a = TA_STORAGE_TEST_UUID, uuid_b = TA_STORAGE_PEER_UUID;

struct ta {
	const struct uuid *uuid;
	mt_handle_t ep, proc;
};

static mt_handle_t sup, store, page_shm, buf_shm;
static struct ta_param_page *page;
static uint8_t *buf;
static size_t buf_size;
static struct ta ta_a = {&uuid_a, 0, 0}, ta_b = {&uuid_b, 0, 0};

#define VAL_IN      1U
#define VAL_OUT 2U
#define MEM_IN 5U
#define MEM_OUT 6U
#define TYPES(a, b) ((a) | (b) << 4)
/* When not 0, cmd() names this storage in param 2 (a value input). */
static uint32_t cmd_storage;

static long ta_op(struct ta *ta, uint64_t w0, uint64_t w1, uint64_t w2, unsigned long xfer,
		  uint32_t *res)
{
	struct mt_msg m = {{w0, w1, w2, 0}, xfer, 0};
	long rc = mt_call(ta->ep, &m);
	*res = (uint32_t)m.w[0];
	return rc;
}

static int ta_start(struct ta *ta)
{
	const struct uuid *u = ta->uuid;
	uint64_t hi = (uint64_t)u->time_low << 32 | (uint64_t)u->time_mid << 16 | u->time_hi, lo = 0;
	for (unsigned i = 0; i < 8; i++)
		lo = lo << 8 | u->node[i];
	struct mt_msg m = {{SUP_OP_START_TA, hi, lo, 0}, 0, 0};
	if (mt_call(sup, &m) != MT_OK || (long)m.w[0] != MT_OK)
		return -1;
	ta->ep = MT_XFER_GET(m.handle, 0);
	ta->proc = MT_XFER_GET(m.handle, 1);
	uint32_t res;
	if (ta_op(ta, TA_OP_ATTACH, 0, 0, page_shm, &res) != MT_OK || res != TEE_SUCCESS)
		return -1;
	memset(page, 0, sizeof(*page));
	return ta_op(ta, TA_OP_OPEN_SESSION, 1, 0, 0, &res) == MT_OK && res == TEE_SUCCESS ? 0 : -1;
}

/* Waits until the instance's process has no threads left. */
static void ta_reap(struct ta *ta)
{
	for (int i = 0; i < 100; i++) {
		struct mt_proc_info info = {0};
		if (mt_proc_info(ta->proc, &info) != MT_OK || info.threads == 0)
			break;
		mt_sleep_ns(10000000);
	}
	mt_handle_close(ta->ep);
	mt_handle_close(ta->proc);
	ta->ep = ta->proc = 0;
}

static void ta_stop(struct ta *ta)
{
	uint32_t res;
	if (!ta->ep)
		return;
	ta_op(ta, TA_OP_DESTROY, 0, 0, 0, &res);
	ta_reap(ta);
}

/* A command with param 0 = id (memref in) and param 1 = data in or out
 * (buf[64..]); returns the TEE result, *n the size param 1 has after. */
static uint32_t cmd(struct ta *ta, uint32_t c, const char *id, const void *data, size_t len,
		    int out, size_t *n)
{
	size_t id_len = id ? strlen(id) : 0;
	memcpy(buf, id ? id : "", id_len);
	if (data && len)
		memcpy(buf + 64, data, len);
	memset(page, 0, sizeof(*page));
	page->param_types = TYPES(id ? MEM_IN : 0, data || out ? (out ? MEM_OUT : MEM_IN) : 0);
	if (id)
		page->params[0] = (struct ta_param){TA_PARAM_MEMREF, 0, 0, id_len};
	if (data || out)
		page->params[1] = (struct ta_param){TA_PARAM_MEMREF, 0, 64, len};
	if (cmd_storage) {
		page->param_types |= VAL_IN << 8;
		page->params[2] = (struct ta_param){TA_PARAM_VALUE, 0, cmd_storage, 0};
	}
	uint32_t res;
	long rc = ta_op(ta, TA_OP_INVOKE, 1, c, MT_XFER(buf_shm, 0, 0, 0), &res);
	if (n)
		*n = page->params[1].b;
	return rc == MT_OK ? res : 0xDEAD0000U | (uint32_t)(-rc);
}

static uint32_t put(struct ta *ta, const char *id, const char *s)
{
	return cmd(ta, TA_STORAGE_CMD_PUT, id, s, strlen(s), 0, 0);
}

/* Does the object hold exactly s? */
static int holds(struct ta *ta, const char *id, const char *s)
{
	size_t n = 0;
	uint32_t res = cmd(ta, TA_STORAGE_CMD_GET, id, 0, 256, 1, &n);
	return res == TEE_SUCCESS && n == strlen(s) && memcmp(buf + 64, s, n) == 0;
}

static uint32_t value_cmd(struct ta *ta, uint32_t c, uint64_t *a, uint64_t *b)
{
	memset(page, 0, sizeof(*page));
	page->param_types = TYPES(VAL_OUT, 0);
	page->params[0].kind = TA_PARAM_VALUE;
	uint32_t res;
	if (ta_op(ta, TA_OP_INVOKE, 1, c, 0, &res) != MT_OK)
		return 0xDEAD0000U;
	*a = page->params[0].a;
	if (b)
		*b = page->params[0].b;
	return res;
}

static uint64_t store_call(uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3, uint64_t *out)
{
	struct mt_msg m = {{w0, w1, w2, w3}, MT_XFER(buf_shm, 0, 0, 0), 0};
	long rc = mt_call(store, &m);
	if (out)
		for (int i = 0; i < 4; i++)
			out[i] = m.w[i];
	return rc == MT_OK ? m.w[0] : 0xDEAD0000U;
}

static uint32_t run_tag(void)
{
	uint64_t r[4] = {0};
	if (store_call(STORE_OP_HELLO, 0, 0, 0, r) != TEE_SUCCESS || r[1] != STORE_HELLO_MAGIC)
		return 0;
	return (uint32_t)(r[3] >> 32);
}

static void test_selftests(void)
{
	uint64_t f = 1, n = 0;
	CHECK(value_cmd(&ta_a, TA_STORAGE_CMD_SELFTEST, &f, &n) == TEE_SUCCESS && f == 0 && n > 100,
	      "storage_test's self-test: %lu of %lu failed", (unsigned long)f, (unsigned long)n);
	printf("test_storage: the TA's checks: %lu passed, %lu failed\n", (unsigned long)(n - f),
	       (unsigned long)f);
	f = 1;
	CHECK(value_cmd(&ta_b, TA_STORAGE_CMD_SELFTEST, &f, &n) == TEE_SUCCESS && f == 0 && n > 100,
	      "storage_peer's self-test: %lu of %lu failed", (unsigned long)f, (unsigned long)n);
}

/* Stored attributes across TAs: A's key blob imports for A and for no one
 * else (a blob is bound to its TA), whichever way it comes. */
static void test_key_replay(void)
{
	static uint8_t blob[4096];
	size_t n = 0;
	uint32_t r = cmd(&ta_a, TA_STORAGE_CMD_KEYBLOB, "rep/aes", 0, sizeof(blob), 1, &n);
	CHECK(r == TEE_SUCCESS && n > 64 && n <= sizeof(blob),
	      "A stores a key, its blob: 0x%x, %u bytes", r, (unsigned)n);
	if (r != TEE_SUCCESS || n > sizeof(blob))
		return;
	memcpy(blob, buf + 64, n);
	r = cmd(&ta_a, TA_STORAGE_CMD_KEYREPLAY, "rep/own", blob, n, 0, 0);
	CHECK(r == TEE_SUCCESS, "A's blob opens for A: 0x%x", r);
	r = cmd(&ta_b, TA_STORAGE_CMD_KEYREPLAY, "rep/aes", blob, n, 0, 0);
	CHECK(r == TEE_ERROR_ACCESS_DENIED, "A's blob replayed to B: ACCESS_DENIED: 0x%x", r);
	CHECK(cmd(&ta_a, TA_STORAGE_CMD_DEL, "rep/aes", 0, 0, 0, 0) == TEE_SUCCESS, "A deletes it");
}

/* Per-owner quotas: B, hostile, fills its own (the object count, with
 * small objects: the byte quota is the flashstore suite's, as filling
 * 256 KiB of flash takes QEMU half a minute); A can still write; B's room
 * comes back when it deletes. */
static void test_quota(void)
{
	char id[16];
	unsigned n = 0;
	uint32_t r = TEE_SUCCESS;
	while (n < 200) {
		snprintf(id, sizeof(id), "q/%u", n);
		if ((r = put(&ta_b, id, "q")) != TEE_SUCCESS)
			break;
		n++;
	}
	CHECK(r == TEE_ERROR_STORAGE_NO_SPACE && n >= STORE_OWNER_OBJECTS - 8 &&
	          n < STORE_OWNER_OBJECTS,
	      "B fills its quota: %u objects, then 0x%x", n, r);
	printf("test_storage: B's quota: %u objects, then 0x%x\n", n, r);
	r = put(&ta_a, "q/a", "A's, while B's quota is full");
	CHECK(r == TEE_SUCCESS && holds(&ta_a, "q/a", "A's, while B's quota is full"),
	      "A writes while B's quota is full: 0x%x", r);
	r = put(&ta_b, "q/0", "rewritten");
	CHECK(r == TEE_SUCCESS, "B rewrites an object of its full quota: 0x%x", r);
	unsigned gone = 0;
	for (unsigned i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "q/%u", i);
		gone += cmd(&ta_b, TA_STORAGE_CMD_DEL, id, 0, 0, 0, 0) == TEE_SUCCESS;
	}
	CHECK(gone == n, "B deletes its %u objects: %u", n, gone);
	r = put(&ta_b, "q/new", "B's, after deleting");
	CHECK(r == TEE_SUCCESS &&
	          cmd(&ta_b, TA_STORAGE_CMD_DEL, "q/new", 0, 0, 0, 0) == TEE_SUCCESS,
	      "B writes again after deleting: 0x%x", r);
	CHECK(cmd(&ta_a, TA_STORAGE_CMD_DEL, "q/a", 0, 0, 0, 0) == TEE_SUCCESS, "A deletes 'q/a'");
}

/* KEYTEST's parts on the flash: [1] value in = (storage, part << 8). */
static void test_keytests(struct ta *ta, const char *name)
{
	for (unsigned part = 0; part < 3; part++) {
		memset(page, 0, sizeof(*page));
		page->param_types = TYPES(VAL_OUT, VAL_IN);
		page->params[0].kind = TA_PARAM_VALUE;
		page->params[1] =
		    (struct ta_param){TA_PARAM_VALUE, 0, TEE_STORAGE_PRIVATE, part << 8};
		uint32_t res = 0xDEAD0000U;
		if (ta_op(ta, TA_OP_INVOKE, 1, TA_STORAGE_CMD_KEYTEST, 0, &res) != MT_OK)
			res = 0xDEAD0000U;
		uint64_t f = page->params[0].a, n = page->params[0].b;
		CHECK(res == TEE_SUCCESS && f == 0 && n >= 14,
		      "%s's stored-attribute checks, part %u: 0x%x, %lu of %lu failed", name, part,
		      res, (unsigned long)f, (unsigned long)n);
		printf(
		    "test_storage: %s's stored-attribute checks, part %u: %lu passed, %lu failed\n",
		    name, part, (unsigned long)(n - f), (unsigned long)f);
	}
}

static void test_isolation(void)
{
	CHECK(put(&ta_a, "shared", "from A") == TEE_SUCCESS, "A puts 'shared'");
	CHECK(put(&ta_b, "shared", "from B!") == TEE_SUCCESS, "B puts 'shared'");
	CHECK(holds(&ta_a, "shared", "from A"), "A reads its own 'shared'");
	CHECK(holds(&ta_b, "shared", "from B!"), "B reads its own 'shared'");
	CHECK(put(&ta_a, "only-a", "secret") == TEE_SUCCESS, "A puts 'only-a'");
	CHECK(cmd(&ta_b, TA_STORAGE_CMD_GET, "only-a", 0, 256, 1, 0) == TEE_ERROR_ITEM_NOT_FOUND,
	      "B cannot open A's 'only-a'");
	CHECK(cmd(&ta_b, TA_STORAGE_CMD_DEL, "only-a", 0, 0, 0, 0) == TEE_ERROR_ITEM_NOT_FOUND,
	      "B cannot delete A's 'only-a'");
	uint64_t na = 0, nb = 0;
	value_cmd(&ta_a, TA_STORAGE_CMD_COUNT, &na, 0);
	CHECK(cmd(&ta_b, TA_STORAGE_CMD_DEL, "shared", 0, 0, 0, 0) == TEE_SUCCESS, "B deletes 'shared'");
	CHECK(holds(&ta_a, "shared", "from A"), "A's 'shared' is still there");
	value_cmd(&ta_b, TA_STORAGE_CMD_COUNT, &nb, 0);
	uint64_t na2 = 0;
	value_cmd(&ta_a, TA_STORAGE_CMD_COUNT, &na2, 0);
	CHECK(na == na2 && na >= 2, "B's deletion left A's count alone: %lu, %lu", (unsigned long)na,
	      (unsigned long)na2);
	CHECK(cmd(&ta_a, TA_STORAGE_CMD_DEL, "only-a", 0, 0, 0, 0) == TEE_SUCCESS, "A deletes 'only-a'");
	(void)nb;
}

/* A process that is no TA: the service answers HELLO and nothing else. */
static void test_not_a_ta(void)
{
	CHECK(run_tag() != 0, "HELLO from a process that is no TA");
	memcpy(buf, "shared", 6);
	CHECK(store_call(STORE_OP_OPEN, TEE_DATA_FLAG_ACCESS_READ, STORE_SPAN(0, 6), 0, 0) ==
		      TEE_ERROR_ACCESS_DENIED,
	      "OPEN from a process that is no TA");
	CHECK(store_call(STORE_OP_CREATE, TEE_DATA_FLAG_ACCESS_WRITE, STORE_SPAN(0, 6), STORE_SPAN(64, 0),
			 0) == TEE_ERROR_ACCESS_DENIED,
	      "CREATE from a process that is no TA");
	CHECK(store_call(STORE_OP_NEXT, STORE_SPAN(0, 0), STORE_SPAN(64, 64), 0, 0) ==
		      TEE_ERROR_ACCESS_DENIED,
	      "NEXT from a process that is no TA");
	uint64_t guess = (uint64_t)run_tag() << 32;
	for (unsigned i = 0; i < 4; i++)
		CHECK(store_call(STORE_OP_READ, guess | i, STORE_SPAN(0, 16), 0, 0) ==
			      TEE_ERROR_ACCESS_DENIED,
		      "READ of a guessed handle %u", i);
	CHECK(store_call(0x5399, 0, 0, 0, 0) == TEE_ERROR_NOT_SUPPORTED, "an unknown request");
	CHECK(store_call(0, 0, 0, 0, 0) == TEE_ERROR_NOT_SUPPORTED, "request 0");
}

/* A TA killed while it holds an object open without sharing: once init has
 * seen it end, the object opens again. */
static void test_client_gone(void)
{
	CHECK(put(&ta_a, "lock", "locked") == TEE_SUCCESS, "put 'lock'");
	CHECK(cmd(&ta_a, TA_STORAGE_CMD_HOLD, "lock", 0, 0, 0, 0) == TEE_SUCCESS, "hold 'lock'");
	CHECK(cmd(&ta_a, TA_STORAGE_CMD_GET, "lock", 0, 256, 1, 0) == TEE_ERROR_ACCESS_CONFLICT,
	      "'lock' is held");
	mt_proc_kill(ta_a.proc);
	ta_reap(&ta_a);
	CHECK(ta_start(&ta_a) == 0, "a new instance of storage_test");
	int ok = 0;
	for (int i = 0; i < 100 && !ok; i++) {
		ok = holds(&ta_a, "lock", "locked");
		if (!ok)
			mt_sleep_ns(10000000);
	}
	CHECK(ok, "the killed instance's handle was dropped");
}

static void test_panic(void)
{
	CHECK(put(&ta_b, "wo", "write only") == TEE_SUCCESS, "put 'wo'");
	uint32_t r = cmd(&ta_b, TA_STORAGE_CMD_PANIC_READ, "wo", 0, 0, 0, 0);
	CHECK(r == TEE_ERROR_TARGET_DEAD || (r & 0xFFFF0000U) == 0xDEAD0000U,
	      "reading through a write-only handle panics the TA: 0x%x", r);
	struct mt_proc_info info = {0};
	for (int i = 0; i < 100; i++) {
		if (mt_proc_info(ta_b.proc, &info) != MT_OK || info.threads == 0)
			break;
		mt_sleep_ns(10000000);
	}
	CHECK(info.threads == 0, "the panicked TA is gone");
	ta_reap(&ta_b);
	CHECK(ta_start(&ta_b) == 0, "a new instance of storage_peer");
	CHECK(cmd(&ta_b, TA_STORAGE_CMD_DEL, "wo", 0, 0, 0, 0) == TEE_SUCCESS, "delete 'wo'");
}

/* The service killed in the middle of an update (at its first flash
 * program: before the commit word), then again later in one. */
static void test_restart(void)
{
	CHECK(put(&ta_a, "crash", "version 1") == TEE_SUCCESS, "put 'crash' v1");
	CHECK(put(&ta_a, "held", "held") == TEE_SUCCESS, "put 'held'");
	CHECK(cmd(&ta_a, TA_STORAGE_CMD_HOLD, "held", 0, 0, 0, 0) == TEE_SUCCESS, "hold 'held'");
	uint32_t tag = run_tag();
	CHECK(store_call(STORE_OP_TEST_CRASH, 1, 0, 0, 0) == TEE_SUCCESS, "arm the crash");
	uint32_t r = put(&ta_a, "crash", "version 2");
	CHECK(r == TEE_ERROR_STORAGE_NOT_AVAILABLE, "the update in flight fails: 0x%x", r);
	uint32_t now = 0;
	for (int i = 0; i < 200 && (!now || now == tag); i++) {
		now = run_tag();
		if (!now || now == tag)
			mt_sleep_ns(10000000);
	}
	CHECK(now && now != tag, "the service was restarted (run 0x%x, then 0x%x)", tag, now);
	CHECK(holds(&ta_a, "crash", "version 1"), "committed data is intact");
	memset(page, 0, sizeof(*page));
	page->param_types = TYPES(MEM_IN, 0);
	page->params[0] = (struct ta_param){TA_PARAM_MEMREF, 0, 0, 1};
	buf[0] = 'x';
	ta_op(&ta_a, TA_OP_INVOKE, 1, TA_STORAGE_CMD_HELD_WRITE, MT_XFER(buf_shm, 0, 0, 0), &r);
	CHECK(r == TEE_ERROR_STORAGE_NOT_AVAILABLE, "a handle from before the restart: 0x%x", r);
	CHECK(cmd(&ta_a, TA_STORAGE_CMD_RELEASE, 0, 0, 0, 0, 0) == TEE_SUCCESS,
	      "closing it works");
	CHECK(holds(&ta_a, "held", "held"), "'held' unchanged");
	CHECK(put(&ta_a, "crash", "version 3") == TEE_SUCCESS && holds(&ta_a, "crash", "version 3"),
	      "the restarted service updates");
	/* Later in an update: the object is its old or its new self. */
	tag = run_tag();
	CHECK(store_call(STORE_OP_TEST_CRASH, 2, 0, 0, 0) == TEE_SUCCESS, "arm the crash again");
	r = put(&ta_a, "crash", "version 4");
	for (int i = 0; i < 200 && (now = run_tag()) == tag; i++)
		mt_sleep_ns(10000000);
	CHECK(holds(&ta_a, "crash", "version 3") ||
		      (r == TEE_SUCCESS && holds(&ta_a, "crash", "version 4")),
	      "after a cut in the middle of an update: old or new (0x%x)", r);
	CHECK(cmd(&ta_a, TA_STORAGE_CMD_DEL, "crash", 0, 0, 0, 0) == TEE_SUCCESS &&
		      cmd(&ta_a, TA_STORAGE_CMD_DEL, "held", 0, 0, 0, 0) == TEE_SUCCESS &&
		      cmd(&ta_a, TA_STORAGE_CMD_DEL, "lock", 0, 0, 0, 0) == TEE_SUCCESS,
	      "clean up");
}

static const char persist_a[] = "A's data, written before the reboot";
static const char persist_b[] = "B's data under the same id";
static const char persist_a2[] = "A's data, written in the second boot";

/* The service's STORE_STATE_* (HELLO), or 0. */
static uint32_t store_state(void)
{
	uint64_t r[4] = {0};
	if (store_call(STORE_OP_HELLO, 0, 0, 0, r) != TEE_SUCCESS || r[1] != STORE_HELLO_MAGIC)
		return 0;
	return (uint32_t)r[3];
}

/* The storage blocks put back from before the newest commits. */
static void test_rolled(void)
{
	uint32_t st = store_state();
	CHECK((st & (STORE_STATE_CORRUPT | STORE_STATE_ROLLBACK)) ==
		      (STORE_STATE_CORRUPT | STORE_STATE_ROLLBACK) &&
		      !(st & STORE_STATE_MOUNTED),
	      "the service says rollback: state 0x%x", st);
	uint32_t r = cmd(&ta_a, TA_STORAGE_CMD_GET, "persist", 0, 256, 1, 0);
	CHECK(r == TEE_ERROR_CORRUPT_OBJECT, "A's 'persist' (the old one is back): 0x%x", r);
	r = cmd(&ta_b, TA_STORAGE_CMD_GET, "persist", 0, 256, 1, 0);
	CHECK(r == TEE_ERROR_CORRUPT_OBJECT, "B's 'persist': 0x%x", r);
	r = cmd(&ta_b, TA_STORAGE_CMD_GET, "second", 0, 256, 1, 0);
	CHECK(r == TEE_ERROR_CORRUPT_OBJECT, "B's 'second' (not in the old blocks): 0x%x", r);
	r = put(&ta_a, "new", "on a rolled-back store");
	CHECK(r == TEE_ERROR_CORRUPT_OBJECT, "an update: 0x%x", r);
}

/* A cut between a commit and its raise: the service faults there. */
static void test_cut(void)
{
	CHECK(put(&ta_a, "cut", "before the cut") == TEE_SUCCESS, "put 'cut' v1");
	uint32_t tag = run_tag();
	CHECK(store_call(STORE_OP_TEST_CRASH, STORE_CRASH_BEFORE_RAISE, 0, 0, 0) == TEE_SUCCESS,
	      "arm the crash before the raise");
	uint32_t r = put(&ta_a, "cut", "committed, not counted");
	CHECK(r == TEE_ERROR_STORAGE_NOT_AVAILABLE, "the update's reply is lost: 0x%x", r);
	uint32_t now = 0;
	for (int i = 0; i < 200 && (!now || now == tag); i++) {
		now = run_tag();
		if (!now || now == tag)
			mt_sleep_ns(10000000);
	}
	CHECK(now && now != tag, "the service was restarted (run 0x%x, then 0x%x)", tag, now);
	uint32_t st = store_state();
	CHECK((st & STORE_STATE_MOUNTED) && !(st & (STORE_STATE_CORRUPT | STORE_STATE_UNCHECKED)),
	      "the store one ahead of its counter is accepted: state 0x%x", st);
	CHECK(holds(&ta_a, "cut", "committed, not counted"), "the committed update counts");
	CHECK(put(&ta_a, "cut", "after the cut") == TEE_SUCCESS && holds(&ta_a, "cut", "after the cut"),
	      "the restarted service updates");
	CHECK(put(&ta_b, "cut", "B's, after the cut") == TEE_SUCCESS, "B puts 'cut'");
}

/* ---- the power-cut workload (tests/system/power.sh) ---- */

#define PC_STEPS 48
static uint8_t pc_buf[PC_LEN_MAX];

static void pc_id(uint32_t obj, char id[8])
{
	snprintf(id, 8, "pc/%u", (unsigned)obj);
}

static void power_work(void)
{
	cmd_storage = TEE_STORAGE_PRIVATE_RPMB;
	for (uint32_t s = 1; s <= PC_STEPS; s++) {
		uint32_t j = pc_object(s), r;
		char id[8];
		pc_id(j, id);
		if (pc_deletes(s)) {
			r = cmd(&ta_a, TA_STORAGE_CMD_DEL, id, 0, 0, 0, 0);
			if (r == TEE_ERROR_ITEM_NOT_FOUND)
				r = TEE_SUCCESS;
		} else {
			pc_fill(j, s, pc_buf);
			r = cmd(&ta_a, TA_STORAGE_CMD_PUT, id, pc_buf, pc_len(j, s), 0, 0);
		}
		CHECK(r == TEE_SUCCESS, "step %u: 0x%x", (unsigned)s, r);
		if (r != TEE_SUCCESS)
			break;
		printf("power: commit %u\n", (unsigned)s);
	}
	printf("power: work done\n");
}

static void power_check(void)
{
	uint32_t st = store_state();
	CHECK((st & STORE_STATE_MOUNTED) && !(st & (STORE_STATE_CORRUPT | STORE_STATE_UNCHECKED)),
	      "the store mounts after the cut: state 0x%x", st);
	cmd_storage = TEE_STORAGE_PRIVATE_RPMB;
	for (uint32_t j = 0; j < PC_OBJECTS; j++) {
		char id[8];
		size_t n = 0;
		pc_id(j, id);
		uint32_t r = cmd(&ta_a, TA_STORAGE_CMD_GET, id, 0, PC_LEN_MAX, 1, &n);
		long step = r == TEE_SUCCESS ? pc_parse(j, buf + 64, n) : -1;
		if (r == TEE_ERROR_ITEM_NOT_FOUND)
			printf("power: object %u absent\n", (unsigned)j);
		else if (r != TEE_SUCCESS)
			printf("power: object %u error 0x%x\n", (unsigned)j, r);
		else if (step < 0)
			printf("power: object %u bad (%u bytes)\n", (unsigned)j, (unsigned)n);
		else
			printf("power: object %u step %ld\n", (unsigned)j, step);
		CHECK(r == TEE_ERROR_ITEM_NOT_FOUND || (r == TEE_SUCCESS && step > 0),
		      "object %u: 0x%x, step %ld", (unsigned)j, r, step);
	}
	/* The store goes on serving: a new object, written and read back. */
	pc_fill(1, 1, pc_buf);
	uint32_t r = cmd(&ta_a, TA_STORAGE_CMD_PUT, "pc/after", pc_buf, pc_len(1, 1), 0, 0);
	size_t n = 0;
	uint32_t g = cmd(&ta_a, TA_STORAGE_CMD_GET, "pc/after", 0, PC_LEN_MAX, 1, &n);
	CHECK(r == TEE_SUCCESS && g == TEE_SUCCESS && pc_parse(1, buf + 64, n) == 1,
	      "a put and a get after the cut: 0x%x, 0x%x", r, g);
	printf("power: check done\n");
}

int mt_main(unsigned long arg, unsigned long arg2)
{
	(void)arg2;
	unsigned test = (unsigned)STORE_TEST_ARG_GET(arg, 0);
	sup = STORE_TEST_ARG_GET(arg, 1);
	store = STORE_TEST_ARG_GET(arg, 2);
	size_t psize = 0;
	if (mt_shm_create(4096, &page_shm) != MT_OK ||
	    !(page = mt_shm_map_any(page_shm, MT_PROT_R | MT_PROT_W, &psize)) ||
	    mt_shm_create(8192, &buf_shm) != MT_OK ||
	    !(buf = mt_shm_map_any(buf_shm, MT_PROT_R | MT_PROT_W, &buf_size))) {
		printf("test_storage: no shared memory\ntest_storage: FAIL\n");
		return 1;
	}
	CHECK(ta_start(&ta_a) == 0, "start storage_test");
	CHECK(ta_start(&ta_b) == 0, "start storage_peer");
	if (test == 1) {
		CHECK(put(&ta_a, "persist", persist_a) == TEE_SUCCESS, "A puts 'persist'");
		CHECK(put(&ta_b, "persist", persist_b) == TEE_SUCCESS, "B puts 'persist'");
		uint32_t r = cmd(&ta_a, TA_STORAGE_CMD_KEYPUT, 0, 0, 0, 0, 0);
		CHECK(r == TEE_SUCCESS, "A stores an AES, an RSA and an ECC key: 0x%x", r);
		CHECK(put(&ta_a, "gone", "deleted before the reboot") == TEE_SUCCESS &&
			      cmd(&ta_a, TA_STORAGE_CMD_DEL, "gone", 0, 0, 0, 0) == TEE_SUCCESS,
		      "A puts and deletes 'gone'");
	} else if (test == 3) {
		CHECK(holds(&ta_a, "persist", persist_a), "A's 'persist' from the first boot");
		CHECK(put(&ta_a, "persist", persist_a2) == TEE_SUCCESS &&
			      holds(&ta_a, "persist", persist_a2),
		      "A puts a newer 'persist'");
		CHECK(put(&ta_b, "second", "B's, from the second boot") == TEE_SUCCESS,
		      "B puts 'second'");
	} else if (test == 4) {
		test_rolled();
	} else if (test == 5) {
		test_cut();
	} else if (test == 6) {
		uint32_t st = store_state();
		CHECK((st & STORE_STATE_MOUNTED) && !(st & STORE_STATE_CORRUPT),
		      "the store after the cut mounts: state 0x%x", st);
		CHECK(holds(&ta_a, "cut", "after the cut"), "A's 'cut' after the reboot");
		CHECK(holds(&ta_b, "cut", "B's, after the cut"), "B's 'cut' after the reboot");
	} else if (test == 7) {
		power_work();
	} else if (test == 8) {
		power_check();
	} else if (test == 2) {
		CHECK(holds(&ta_a, "persist", persist_a), "A's 'persist' after the reboot");
		CHECK(holds(&ta_b, "persist", persist_b), "B's 'persist' after the reboot");
		CHECK(cmd(&ta_a, TA_STORAGE_CMD_GET, "gone", 0, 256, 1, 0) == TEE_ERROR_ITEM_NOT_FOUND,
		      "A's 'gone' stays deleted");
		uint32_t r = cmd(&ta_a, TA_STORAGE_CMD_KEYCHECK, 0, 0, 0, 0, 0);
		CHECK(r == TEE_SUCCESS,
		      "A's keys after the reboot encrypt and sign as before: 0x%x", r);
		r = cmd(&ta_b, TA_STORAGE_CMD_KEYCHECK, 0, 0, 0, 0, 0);
		CHECK(r == TEE_ERROR_ITEM_NOT_FOUND, "B has none of A's keys: 0x%x", r);
	} else {
		test_selftests();
		test_keytests(&ta_a, "storage_test");
		test_keytests(&ta_b, "storage_peer");
		test_key_replay();
		test_quota();
		test_isolation();
		test_not_a_ta();
		test_client_gone();
		test_panic();
		test_restart();
		test_selftests(); /* everything again, on the restarted service */
	}
	ta_stop(&ta_a);
	ta_stop(&ta_b);
	printf("test_storage: %d passed, %d failed\n", passed, failed);
	printf("test_storage: %s\n", failed || passed < (test ? 4 : 40) ? "FAIL" : "PASS");
	return failed != 0;
}
