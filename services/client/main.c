/* client: exercises both demo services and reports whether every answer
 * was right. init runs it at boot and after each fault test, to show the
 * system still works. */
#include <stdio.h>
#include <string.h>

#include "../../include/microtee/demo_ipc.h"
#include "mt.h"

static int passed, failed;

static void check(int ok, const char *what, long got)
{
	if (ok)
		passed++;
	else
		failed++, printf("client: FAILED %s (got %ld)\n", what, got);
}

int mt_main(unsigned long arg, unsigned long arg2)
{
	(void)arg2;
	mt_handle_t echo = DEMO_ARG_ECHO(arg), counter = DEMO_ARG_COUNTER(arg);
	struct mt_msg m = {{ECHO_OP_PING, 41}, 0, 0};
	long rc = mt_call(echo, &m);
	check(rc == MT_OK && m.w[0] == MT_OK && m.w[1] == 42, "echo ping", rc ? rc : (long)m.w[1]);
	check(m.w[2] != 0, "badge delivered", (long)m.w[2]);

	/* Bulk data through shared memory: the service maps our pages. */
	mt_handle_t shm, shm_ro;
	rc = mt_shm_create(4096, &shm);
	check(rc == MT_OK, "shm create", rc);
	char *buf = mt_shm_map_any(shm, MT_PROT_R | MT_PROT_W, 0);
	check(buf != 0, "shm map", 0);
	if (buf) {
		strcpy(buf, "hello, secure world");
		rc = mt_handle_grant(0, shm, MT_R_MAP_R | MT_R_MAP_W | MT_R_GRANT, 0, &shm_ro);
		struct mt_msg u = {{ECHO_OP_UPPER, strlen(buf) + 1}, shm_ro, 0};
		rc = mt_call(echo, &u);
		check(rc == MT_OK && u.w[0] == MT_OK && u.w[1] == 16, "echo upper", (long)u.w[1]);
		check(strcmp(buf, "HELLO, SECURE WORLD") == 0, "shared buffer changed", 0);
		mt_handle_close(shm_ro);
	}

	uint64_t last = 0;
	for (int i = 0; i < 3; i++) {
		struct mt_msg c = {{COUNTER_OP_INC}, 0, 0};
		rc = mt_call(counter, &c);
		check(rc == MT_OK && c.w[0] == MT_OK && c.w[1] > last, "counter inc", (long)c.w[1]);
		last = c.w[1];
	}
	struct mt_msg bad = {{999}, 0, 0};
	rc = mt_call(counter, &bad);
	check(rc == MT_OK && (long)bad.w[0] == DEMO_EBADOP, "unknown op rejected", (long)bad.w[0]);

	printf("client: %d checks passed, %d failed\n", passed, failed);
	printf("client: %s\n", failed ? "FAIL" : "PASS");
	return failed ? 1 : 0;
}
