/* test_ta: drives the demo TA the way the gateway will, without the
 * gateway: asks the supervisor (init) to start a TA instance by UUID
 * (SUP_OP_START_TA), then speaks include/microtee/ta_ipc.h to it directly:
 * attach a parameter page, open sessions, invoke every demo command with
 * value and memory-reference parameters (short buffers, null references,
 * malformed parameters), close, destroy; and checks that a TA that panics
 * dies, failing the call in progress with MT_EPEERDEAD.
 *
 * Argument: DEMO_ARG(0, echo, sup), sup being a CALL handle to init's
 * supervisor endpoint (scenario `ta` of init). */
#include <stdio.h>
#include <string.h>

#include "../../../include/microtee/demo_ipc.h"
#include "../../../include/microtee/ta_ipc.h"
#include "../../../lib/tee/include/tee_api_defines.h"
#include "../../../ta/demo/include/demo_ta.h"
#include "../../../ta/test_compat/include/test_compat_ta.h"
#include "mt.h"

/* The flags the demo TA declares in its user_ta_header_defines.h. */
#define DEMO_FLAGS (TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION)

struct uuid {
	uint32_t time_low;
	uint16_t time_mid, time_hi;
	uint8_t node[8];
};

#define TEST_NAME "test_ta"
#include "../check.h"


static mt_handle_t sup;            /* init's supervisor endpoint */
static mt_handle_t page_shm;       /* the parameter page */
static struct ta_param_page *page; /* ... mapped here */

/* A TA instance as the test sees it. */
struct ta {
	mt_handle_t ep, proc;
};

/* An operation's reply. */
struct reply {
	long rc; /* the IPC status */
	uint32_t res, origin;
};

static long start_ta(const struct uuid *u, struct ta *ta)
{
	uint64_t hi = (uint64_t)u->time_low << 32 | (uint64_t)u->time_mid << 16 | u->time_hi,
	         lo = 0;
	for (unsigned i = 0; i < 8; i++)
		lo = lo << 8 | u->node[i];
	struct mt_msg m = {{SUP_OP_START_TA, hi, lo, 0}, 0, 0};
	long rc = mt_call(sup, &m);
	if (rc != MT_OK)
		return rc;
	if ((long)m.w[0] != MT_OK)
		return (long)m.w[0];
	ta->ep = MT_XFER_GET(m.handle, 0);
	ta->proc = MT_XFER_GET(m.handle, 1);
	return ta->ep && ta->proc ? MT_OK : MT_EBADH;
}

static struct reply op(const struct ta *ta, uint64_t w0, uint64_t w1, uint64_t w2,
                       unsigned long xfer)
{
	struct mt_msg m = {{w0, w1, w2, 0}, xfer, 0};
	struct reply r = {mt_call(ta->ep, &m), 0, 0};
	r.res = (uint32_t)m.w[0];
	r.origin = (uint32_t)m.w[1];
	return r;
}

/* Fills the page for a call: types, and per parameter kind, slot, a, b. */
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

static void set_value(unsigned i, uint64_t a, uint64_t b)
{
	page->params[i].a = a;
	page->params[i].b = b;
}

static void set_memref(unsigned i, unsigned slot, uint64_t offset, uint64_t size)
{
	page->params[i].handle = slot;
	page->params[i].a = offset;
	page->params[i].b = size;
}

static struct reply invoke(const struct ta *ta, uint64_t session, uint32_t cmd, unsigned long xfer)
{
	return op(ta, TA_OP_INVOKE, session, cmd, xfer);
}

/* A shared-memory buffer for memory references. */
struct buf {
	mt_handle_t h;
	uint8_t *p;
	size_t size;
};

static int buf_new(struct buf *b, size_t size)
{
	b->p = 0;
	if (mt_shm_create(size, &b->h) != MT_OK)
		return -1;
	b->p = mt_shm_map_any(b->h, MT_PROT_R | MT_PROT_W, &b->size);
	return b->p ? 0 : -1;
}

static void buf_free(struct buf *b)
{
	if (b->p)
		mt_mem_unmap((uintptr_t)b->p, b->size);
	mt_handle_close(b->h);
}

/* Waits (up to half a second) for a TA process to end: an ended process has
 * no threads. One that does not end is killed, and the check fails. */
static int ta_dead(const struct ta *ta)
{
	for (int i = 0; i < 50; i++) {
		struct mt_proc_info info = {0};
		if (mt_proc_info(ta->proc, &info) == MT_OK && info.threads == 0)
			return 1;
		mt_sleep_ns(10000000);
	}
	mt_proc_kill(ta->proc);
	return 0;
}

static void test_values(const struct ta *ta)
{
	set_params(TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
	                           TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE));
	set_value(0, 40, 2);
	set_value(1, 7, 7);
	struct reply r = invoke(ta, 1, TA_DEMO_CMD_ADD, 0);
	CHECK(r.rc == MT_OK && r.res == TEE_SUCCESS && r.origin == TEE_ORIGIN_TRUSTED_APP,
	      "ADD: rc %ld res 0x%x origin %u", r.rc, r.res, r.origin);
	CHECK(page->params[1].a == 42 && page->params[1].b == 0, "ADD: a %lu b %lu",
	      (unsigned long)page->params[1].a, (unsigned long)page->params[1].b);
	CHECK(page->params[0].a == 40 && page->params[0].b == 2, "ADD: input values unchanged");

	/* Values are 32-bit: the sum wraps. */
	set_params(TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
	                           TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE));
	set_value(0, 0xFFFFFFFFU, 3);
	r = invoke(ta, 1, TA_DEMO_CMD_ADD, 0);
	CHECK(r.res == TEE_SUCCESS && page->params[1].a == 2, "ADD wraps: %lu",
	      (unsigned long)page->params[1].a);

	/* The TA checks its parameter types. */
	set_params(TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_NONE,
	                           TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE));
	r = invoke(ta, 1, TA_DEMO_CMD_ADD, 0);
	CHECK(r.res == TEE_ERROR_BAD_PARAMETERS && r.origin == TEE_ORIGIN_TRUSTED_APP,
	      "ADD with wrong types: res 0x%x origin %u", r.res, r.origin);
	r = invoke(ta, 1, 999, 0);
	CHECK(r.res == TEE_ERROR_NOT_SUPPORTED && r.origin == TEE_ORIGIN_TRUSTED_APP,
	      "unknown command: res 0x%x", r.res);
}

static void test_memrefs(const struct ta *ta)
{
	struct buf a, b;
	CHECK(buf_new(&a, 8192) == 0 && buf_new(&b, 4096) == 0, "shm buffers");
	if (!a.p || !b.p)
		return;

	/* INC_BUFFER on a window of a two-page object. */
	for (unsigned i = 0; i < a.size; i++)
		a.p[i] = (uint8_t)i;
	set_params(TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INOUT, TEE_PARAM_TYPE_NONE,
	                           TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE));
	set_memref(0, 0, 100, 5000);
	struct reply r = invoke(ta, 1, TA_DEMO_CMD_INC_BUFFER, MT_XFER(a.h, 0, 0, 0));
	CHECK(r.rc == MT_OK && r.res == TEE_SUCCESS, "INC_BUFFER: rc %ld res 0x%x", r.rc, r.res);
	int ok = 1;
	for (unsigned i = 0; i < a.size; i++)
		ok = ok && a.p[i] == (uint8_t)(i + (i >= 100 && i < 5100));
	CHECK(ok, "INC_BUFFER changed exactly its window");
	CHECK(page->params[0].b == 5000, "INC_BUFFER size kept: %lu",
	      (unsigned long)page->params[0].b);

	/* REVERSE: short output buffer, then a big enough one. */
	memcpy(a.p, "hello, world", 12);
	set_params(TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT,
	                           TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE));
	set_memref(0, 0, 0, 12);
	set_memref(1, 1, 16, 5);
	memset(b.p, '-', 64);
	r = invoke(ta, 1, TA_DEMO_CMD_REVERSE, MT_XFER(a.h, b.h, 0, 0));
	CHECK(r.res == TEE_ERROR_SHORT_BUFFER && r.origin == TEE_ORIGIN_TRUSTED_APP,
	      "REVERSE short: res 0x%x", r.res);
	CHECK(page->params[1].b == 12, "REVERSE short: needed size %lu",
	      (unsigned long)page->params[1].b);
	CHECK(b.p[16] == '-', "REVERSE short: output untouched");
	set_memref(1, 1, 16, 64);
	r = invoke(ta, 1, TA_DEMO_CMD_REVERSE, MT_XFER(a.h, b.h, 0, 0));
	CHECK(r.res == TEE_SUCCESS && page->params[1].b == 12 &&
	          !memcmp(b.p + 16, "dlrow ,olleh", 12),
	      "REVERSE: res 0x%x size %lu", r.res, (unsigned long)page->params[1].b);

	/* Two references into one object (one handle), and handles in other
	 * slots than the first. */
	memcpy(a.p + 4096, "abc", 3);
	set_memref(0, 2, 4096, 3);
	set_memref(1, 2, 6000, 10);
	r = invoke(ta, 1, TA_DEMO_CMD_REVERSE, MT_XFER(0, 0, a.h, 0));
	CHECK(r.res == TEE_SUCCESS && page->params[1].b == 3 && !memcmp(a.p + 6000, "cba", 3),
	      "REVERSE within one object: res 0x%x", r.res);

	/* A null reference (no object): the TA sees only a size. */
	set_memref(0, 0, 0, 12);
	set_memref(1, TA_PARAM_NO_HANDLE, 0, 0);
	r = invoke(ta, 1, TA_DEMO_CMD_REVERSE, MT_XFER(a.h, 0, 0, 0));
	CHECK(r.res == TEE_ERROR_SHORT_BUFFER && page->params[1].b == 12,
	      "null output reference: res 0x%x size %lu", r.res, (unsigned long)page->params[1].b);

	/* Malformed parameters are refused by the runtime (origin TEE). */
	set_memref(0, 0, 8000, 193); /* ends one byte past the object */
	set_memref(1, 1, 0, 64);
	r = invoke(ta, 1, TA_DEMO_CMD_REVERSE, MT_XFER(a.h, b.h, 0, 0));
	CHECK(r.res == TEE_ERROR_BAD_PARAMETERS && r.origin == TEE_ORIGIN_TEE,
	      "reference past its object: res 0x%x origin %u", r.res, r.origin);
	set_memref(0, 0, 0xFFFFFFFFFFFFFFF0UL, 0x20); /* offset + size overflows */
	r = invoke(ta, 1, TA_DEMO_CMD_REVERSE, MT_XFER(a.h, b.h, 0, 0));
	CHECK(r.res == TEE_ERROR_BAD_PARAMETERS && r.origin == TEE_ORIGIN_TEE,
	      "overflowing reference: res 0x%x", r.res);
	set_memref(0, 0, 0, 12);
	set_memref(1, TA_PARAM_NO_HANDLE, 8, 64); /* no object but an offset */
	r = invoke(ta, 1, TA_DEMO_CMD_REVERSE, MT_XFER(a.h, 0, 0, 0));
	CHECK(r.res == TEE_ERROR_BAD_PARAMETERS && r.origin == TEE_ORIGIN_TEE,
	      "null reference with offset: res 0x%x", r.res);
	set_memref(1, 3, 0, 64); /* a slot that carries no handle */
	r = invoke(ta, 1, TA_DEMO_CMD_REVERSE, MT_XFER(a.h, 0, 0, 0));
	CHECK(r.res == TEE_ERROR_BAD_PARAMETERS && r.origin == TEE_ORIGIN_TEE,
	      "empty slot: res 0x%x", r.res);
	set_memref(1, 7, 0, 64); /* no such slot */
	r = invoke(ta, 1, TA_DEMO_CMD_REVERSE, MT_XFER(a.h, b.h, 0, 0));
	CHECK(r.res == TEE_ERROR_BAD_PARAMETERS && r.origin == TEE_ORIGIN_TEE, "bad slot: res 0x%x",
	      r.res);
	page->params[1].kind = TA_PARAM_VALUE; /* kind disagrees with the type */
	set_memref(1, 1, 0, 64);
	r = invoke(ta, 1, TA_DEMO_CMD_REVERSE, MT_XFER(a.h, b.h, 0, 0));
	CHECK(r.res == TEE_ERROR_BAD_PARAMETERS && r.origin == TEE_ORIGIN_TEE,
	      "kind mismatch: res 0x%x", r.res);
	set_params(
	    TEE_PARAM_TYPES(4, TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE));
	r = invoke(ta, 1, TA_DEMO_CMD_ADD, 0);
	CHECK(r.res == TEE_ERROR_BAD_PARAMETERS && r.origin == TEE_ORIGIN_TEE,
	      "invalid parameter type: res 0x%x", r.res);

	/* An input-only object may be sent without write rights. */
	mt_handle_t ro;
	CHECK(mt_handle_grant(0, a.h, MT_R_MAP_R | MT_R_GRANT, 0, &ro) == MT_OK, "read-only copy");
	set_params(TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT,
	                           TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE));
	set_memref(0, 0, 0, 12);
	set_memref(1, 1, 0, 64);
	r = invoke(ta, 1, TA_DEMO_CMD_REVERSE, MT_XFER(ro, b.h, 0, 0));
	CHECK(r.res == TEE_SUCCESS, "read-only input object: res 0x%x", r.res);
	/* ... but an output needs them. */
	set_memref(0, 1, 0, 12);
	set_memref(1, 0, 0, 64);
	r = invoke(ta, 1, TA_DEMO_CMD_REVERSE, MT_XFER(ro, b.h, 0, 0));
	CHECK(r.res == TEE_ERROR_BAD_PARAMETERS && r.origin == TEE_ORIGIN_TEE,
	      "read-only output object: res 0x%x", r.res);
	mt_handle_close(ro);

	/* Many calls: the runtime must not leak handles, mappings or page
	 * tables per call (the unused handles sent along must be closed). */
	for (unsigned i = 0; i < a.size; i++)
		a.p[i] = 0;
	ok = 1;
	for (unsigned i = 0; i < 300 && ok; i++) {
		set_params(TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INOUT, TEE_PARAM_TYPE_NONE,
		                           TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE));
		set_memref(0, 0, 0, a.size);
		r = invoke(ta, 1, TA_DEMO_CMD_INC_BUFFER, MT_XFER(a.h, b.h, a.h, b.h));
		ok = r.rc == MT_OK && r.res == TEE_SUCCESS;
	}
	CHECK(ok && a.p[0] == 44 && a.p[a.size - 1] == 44, "300 calls: res 0x%x, byte %u", r.res,
	      a.p[0]);

	buf_free(&a);
	buf_free(&b);
}

static void test_selftest(const struct ta *ta)
{
	struct buf in, out;
	CHECK(buf_new(&in, 4096) == 0 && buf_new(&out, 4096) == 0, "shm buffers");
	if (!in.p || !out.p)
		return;
	set_params(TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
	                           TEE_PARAM_TYPE_MEMREF_OUTPUT, TEE_PARAM_TYPE_NONE));
	set_memref(0, 0, 64, 256);
	set_memref(2, 1, 0, 128);
	struct reply r = invoke(ta, 1, TA_DEMO_CMD_SELFTEST, MT_XFER(in.h, out.h, 0, 0));
	CHECK(r.res == TEE_SUCCESS, "SELFTEST: res 0x%x", r.res);
	CHECK(page->params[1].a == 0 && page->params[1].b >= 40, "SELFTEST: %lu of %lu failed",
	      (unsigned long)page->params[1].a, (unsigned long)page->params[1].b);
	/* Session 1 was opened as TEE_LOGIN_USER with this client UUID. */
	const char *want = "1:01020304-0506-0708-090a-0b0c0d0e0f10";
	CHECK(page->params[2].b == strlen(want) + 1 && !strcmp((char *)out.p, want),
	      "client identity '%.60s'", (char *)out.p);
	buf_free(&in);
	buf_free(&out);
}

static void test_spin(const struct ta *ta)
{
	set_params(TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
	                           TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE));
	set_value(0, 50, 0);
	uint64_t freq, t0 = mt_time(&freq);
	struct reply r = invoke(ta, 1, TA_DEMO_CMD_SPIN, 0);
	uint64_t ms = (mt_time(0) - t0) * 1000 / freq;
	/* Both sides round down to milliseconds. */
	CHECK(r.res == TEE_SUCCESS && page->params[1].a >= 50 && page->params[1].b > 0 && ms >= 49,
	      "SPIN: res 0x%x, %lu ms in the TA, %lu here", r.res, (unsigned long)page->params[1].a,
	      (unsigned long)ms);
}

static uint32_t session_count(const struct ta *ta, uint64_t session)
{
	set_params(TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
	                           TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE));
	struct reply r = invoke(ta, session, TA_DEMO_CMD_GET_SESSION_COUNT, 0);
	return r.res == TEE_SUCCESS ? (uint32_t)page->params[0].a : 0xFFFFFFFF;
}

static struct reply open_session(const struct ta *ta, uint64_t id)
{
	set_params(0);
	page->login = TEE_LOGIN_USER;
	for (unsigned i = 0; i < 16; i++)
		page->client_uuid[i] = (uint8_t)(i + 1);
	return op(ta, TA_OP_OPEN_SESSION, id, 0, 0);
}

/* One instance through its whole life. */
static void test_instance(void)
{
	const struct uuid demo = TA_DEMO_UUID;
	struct ta ta;
	long rc = start_ta(&demo, &ta);
	CHECK(rc == MT_OK, "start the demo TA: %ld", rc);
	if (rc != MT_OK)
		return;

	/* Nothing works before the page is attached. */
	struct reply r = open_session(&ta, 1);
	CHECK(r.rc == MT_OK && r.res == TEE_ERROR_BAD_STATE && r.origin == TEE_ORIGIN_TEE,
	      "open before attach: res 0x%x", r.res);
	r = op(&ta, TA_OP_ATTACH, 0, 0, page_shm);
	CHECK(r.rc == MT_OK && r.res == TEE_SUCCESS && r.origin == DEMO_FLAGS,
	      "attach: rc %ld res 0x%x flags 0x%x", r.rc, r.res, r.origin);
	r = op(&ta, TA_OP_ATTACH, 0, 0, page_shm);
	CHECK(r.res == TEE_ERROR_BAD_STATE, "second attach: res 0x%x", r.res);

	/* The demo TA takes no parameters when a session opens. */
	set_params(TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_NONE,
	                           TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE));
	r = op(&ta, TA_OP_OPEN_SESSION, 1, 0, 0);
	CHECK(r.res == TEE_ERROR_BAD_PARAMETERS && r.origin == TEE_ORIGIN_TRUSTED_APP,
	      "open refused by the TA: res 0x%x origin %u", r.res, r.origin);
	r = open_session(&ta, 1);
	CHECK(r.res == TEE_SUCCESS && r.origin == TEE_ORIGIN_TRUSTED_APP, "open: res 0x%x", r.res);
	r = open_session(&ta, 1);
	CHECK(r.res == TEE_ERROR_BAD_PARAMETERS && r.origin == TEE_ORIGIN_TEE,
	      "open with a session id in use: res 0x%x", r.res);
	r = invoke(&ta, 77, TA_DEMO_CMD_ADD, 0);
	CHECK(r.res == TEE_ERROR_BAD_PARAMETERS && r.origin == TEE_ORIGIN_TEE,
	      "invoke on no session: res 0x%x", r.res);

	test_values(&ta);
	test_memrefs(&ta);
	test_selftest(&ta);
	test_spin(&ta);

	/* A second session on the same instance. */
	CHECK(session_count(&ta, 1) == 1, "one session");
	r = open_session(&ta, 2);
	CHECK(r.res == TEE_SUCCESS, "open a second session: res 0x%x", r.res);
	CHECK(session_count(&ta, 2) == 2, "two sessions: %u", session_count(&ta, 2));
	r = op(&ta, TA_OP_CLOSE_SESSION, 2, 0, 0);
	CHECK(r.rc == MT_OK && r.res == TEE_SUCCESS, "close session 2: res 0x%x", r.res);
	CHECK(session_count(&ta, 1) == 1, "one session again");
	r = op(&ta, TA_OP_CLOSE_SESSION, 2, 0, 0);
	CHECK(r.res == TEE_ERROR_BAD_PARAMETERS, "close a closed session: res 0x%x", r.res);
	r = op(&ta, 42, 0, 0, 0);
	CHECK(r.res == TEE_ERROR_NOT_SUPPORTED && r.origin == TEE_ORIGIN_TEE,
	      "unknown operation: res 0x%x", r.res);

	r = op(&ta, TA_OP_CLOSE_SESSION, 1, 0, 0);
	CHECK(r.res == TEE_SUCCESS, "close session 1: res 0x%x", r.res);
	r = op(&ta, TA_OP_DESTROY, 0, 0, 0);
	CHECK(r.rc == MT_OK && r.res == TEE_SUCCESS, "destroy: rc %ld res 0x%x", r.rc, r.res);
	CHECK(ta_dead(&ta), "the instance has ended");
	mt_handle_close(ta.ep);
	mt_handle_close(ta.proc);
}

/* Command cmd of a fresh demo instance makes it panic: the instance dies
 * and the call in progress fails with MT_EPEERDEAD. */
static void expect_panic(uint32_t cmd, uint32_t types, const char *what)
{
	const struct uuid demo = TA_DEMO_UUID;
	struct ta ta;
	long rc = start_ta(&demo, &ta);
	CHECK(rc == MT_OK, "%s: start an instance: %ld", what, rc);
	if (rc != MT_OK)
		return;
	struct reply r = op(&ta, TA_OP_ATTACH, 0, 0, page_shm);
	CHECK(r.res == TEE_SUCCESS, "attach: res 0x%x", r.res);
	r = open_session(&ta, 5);
	CHECK(r.res == TEE_SUCCESS, "open: res 0x%x", r.res);
	set_params(types);
	r = invoke(&ta, 5, cmd, 0);
	CHECK(r.rc == MT_EPEERDEAD, "%s: call ends with %ld", what, r.rc);
	CHECK(ta_dead(&ta), "%s: the panicked instance has ended", what);
	mt_handle_close(ta.ep);
	mt_handle_close(ta.proc);
}

static void test_panic(void)
{
	expect_panic(TA_DEMO_CMD_PANIC, 0, "PANIC");
	/* TEE_GetREETime needs an RPC, and this call serves no normal-world
	 * call: the RPC service answers TEE_ERROR_BAD_STATE, and GP leaves
	 * the TA no way but to panic. Nothing reaches the normal world. */
	expect_panic(TA_DEMO_CMD_REE_TIME,
	             TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
	                             TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE),
	             "REE_TIME without a normal-world call");
}

/* A TA built in GP v1.1 mode, single-session, with a large stack. */
static void test_compat(void)
{
	const struct uuid u = TA_TEST_COMPAT_UUID;
	struct ta ta;
	long rc = start_ta(&u, &ta);
	CHECK(rc == MT_OK, "start the compat TA: %ld", rc);
	if (rc != MT_OK)
		return;
	struct reply r = op(&ta, TA_OP_ATTACH, 0, 0, page_shm);
	CHECK(r.res == TEE_SUCCESS && r.origin == 0, "compat attach: res 0x%x flags 0x%x", r.res,
	      r.origin);
	r = open_session(&ta, 1);
	CHECK(r.res == TEE_SUCCESS, "compat open: res 0x%x", r.res);
	r = open_session(&ta, 2);
	CHECK(r.res == TEE_ERROR_BUSY && r.origin == TEE_ORIGIN_TEE,
	      "second session on a single-session TA: res 0x%x", r.res);

	set_params(TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
	                           TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE));
	set_value(0, 100, 0);
	r = invoke(&ta, 1, TA_TEST_COMPAT_CMD_STACK, 0);
	uint32_t sum = 0;
	for (uint32_t i = 0; i < 100 * 1024; i++)
		sum += (uint8_t)(i * 7);
	CHECK(r.rc == MT_OK && r.res == TEE_SUCCESS && page->params[1].a == sum,
	      "100 KiB on the TA's stack: rc %ld res 0x%x sum %lu", r.rc, r.res,
	      (unsigned long)page->params[1].a);

	struct buf b;
	CHECK(buf_new(&b, 4096) == 0, "shm buffer");
	if (b.p) {
		memset(b.p, 0, b.size);
		set_params(TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INOUT, TEE_PARAM_TYPE_NONE,
		                           TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE));
		set_memref(0, 0, 8, 100);
		r = invoke(&ta, 1, TA_TEST_COMPAT_CMD_FILL, MT_XFER(b.h, 0, 0, 0));
		CHECK(r.res == TEE_SUCCESS && page->params[0].b == 99 && b.p[7] == 0 &&
		          b.p[8] == 0xA5 && b.p[107] == 0xA5 && b.p[108] == 0,
		      "v1.1 memref: res 0x%x size %lu", r.res, (unsigned long)page->params[0].b);

		set_params(TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_OUTPUT,
		                           TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
		                           TEE_PARAM_TYPE_NONE));
		set_memref(0, 0, 0, 10);
		r = invoke(&ta, 1, TA_TEST_COMPAT_CMD_API, MT_XFER(b.h, 0, 0, 0));
		CHECK(r.res == TEE_ERROR_SHORT_BUFFER && page->params[0].b == 37,
		      "v1.1 property, short: res 0x%x size %lu", r.res,
		      (unsigned long)page->params[0].b);
		set_memref(0, 0, 0, 64);
		r = invoke(&ta, 1, TA_TEST_COMPAT_CMD_API, MT_XFER(b.h, 0, 0, 0));
		CHECK(r.res == TEE_SUCCESS && page->params[0].b == 37 && page->params[1].a == 0 &&
		          !strcmp((char *)b.p, "c85fc055-5234-44b8-aae9-8feb7253a087"),
		      "v1.1 API: res 0x%x failed %lu '%.40s'", r.res,
		      (unsigned long)page->params[1].a, (char *)b.p);
		buf_free(&b);
	}

	r = op(&ta, TA_OP_CLOSE_SESSION, 1, 0, 0);
	CHECK(r.res == TEE_SUCCESS, "compat close: res 0x%x", r.res);
	r = op(&ta, TA_OP_DESTROY, 0, 0, 0);
	CHECK(r.rc == MT_OK && r.res == TEE_SUCCESS, "compat destroy: res 0x%x", r.res);
	CHECK(ta_dead(&ta), "the compat instance has ended");
	mt_handle_close(ta.ep);
	mt_handle_close(ta.proc);
}

int mt_main(unsigned long arg, unsigned long arg2)
{
	(void)arg2;
	sup = DEMO_ARG_COUNTER(arg);
	printf("test_ta: demo TA %s\n", TA_DEMO_UUID_STR);
	if (mt_shm_create(4096, &page_shm) != MT_OK ||
	    !(page = mt_shm_map_any(page_shm, MT_PROT_R | MT_PROT_W, 0))) {
		printf("test_ta: cannot make the parameter page\ntest_ta: FAIL\n");
		return 1;
	}

	/* A UUID with no image is refused. */
	const struct uuid none = {0x12345678, 0, 0, {0}};
	struct ta t;
	CHECK(start_ta(&none, &t) == MT_ENOENT, "unknown TA");

	test_instance();
	test_compat();
	test_panic();

	mt_mem_unmap((uintptr_t)page, 4096);
	mt_handle_close(page_shm);
	printf("test_ta: %d checks passed, %d failed\n", passed, failed);
	printf("test_ta: %s\n", failed ? "FAIL" : "PASS");
	return failed ? 1 : 0;
}
