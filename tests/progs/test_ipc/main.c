/* test_ipc: IPC semantics and isolation, from an ordinary process.
 *   case 1 (ipc): badges, rights, handle transfer, error codes, endpoint death
 *   case 2 (peer_dead): a service that crashes mid-call answers MT_EPEERDEAD;
 *          init restarts it and the next call works
 *   case 3 (isolation): another process cannot read our memory, and we
 *          cannot name objects we were never given */
#include <stdio.h>
#include <string.h>

#include "../../../include/microtee/demo_ipc.h"
#include "../../../platform/qemu-virt/platform.h"
#include "mt.h"

#define TEST_NAME "test_ipc"
#include "../check.h"


/* ---- case 1 ---- */

static mt_handle_t own_ep;
static volatile int server_state; /* 1 = serving, 2 = saw its endpoint die */
static volatile long server_last_rc;

/* Serves own_ep: replies w0+100, the badge, and whether a transferred
 * shared-memory handle could be mapped and read. */
static void server(void *arg)
{
	(void)arg;
	struct mt_msg m;
	server_state = 1;
	long rc = mt_recv(own_ep, &m);
	while (rc == MT_OK) {
		uint64_t seen = 0;
		if (m.w[0] == 77) {
			/* Receiving again while a reply is owed must be refused. */
			struct mt_msg t;
			seen = mt_recv(own_ep, &t) == MT_ESTATE;
		}
		/* Sum the first word of every shared-memory object sent. */
		for (unsigned i = 0; i < MT_XFER_MAX; i++) {
			mt_handle_t h = MT_XFER_GET(m.handle, i);
			if (!h)
				continue;
			size_t size;
			const volatile uint64_t *p = mt_shm_map_any(h, MT_PROT_R, &size);
			seen += p ? p[0] : 1;
			if (p)
				mt_mem_unmap((uintptr_t)p, size);
			mt_handle_close(h);
		}
		struct mt_msg r = {{m.w[0] + 100, m.badge, seen, m.w[3]}, 0, 0};
		m = r;
		rc = mt_reply_recv(own_ep, &m, MT_RR_REPLY | MT_RR_RECV);
	}
	server_last_rc = rc;
	server_state = 2;
}

static void case_ipc(mt_handle_t echo)
{
	struct mt_msg m = {{ECHO_OP_PING, 7}, 0, 0};
	long rc = mt_call(echo, &m);
	CHECK(rc == MT_OK && m.w[1] == 8, "ping: rc %ld w1 %lu", rc, (unsigned long)m.w[1]);
	CHECK(m.w[2] == 0x101, "badge given by init: 0x%lx", (unsigned long)m.w[2]);

	/* Handles name only what this process was given, with its rights. */
	struct mt_msg z = {{ECHO_OP_PING}, 0, 0};
	CHECK(mt_call(0, &z) == MT_EBADH, "handle 0");
	CHECK(mt_call(63, &z) == MT_EBADH, "empty slot");
	CHECK(mt_call(1000000, &z) == MT_EBADH, "huge handle");
	CHECK(mt_recv(echo, &z) == MT_EPERM, "receive without MT_R_RECV");
	mt_handle_t copy;
	CHECK(mt_handle_grant(0, echo, MT_R_CALL, 0, &copy) == MT_EPERM, "grant without MT_R_GRANT");
	struct mt_msg bad_xfer = {{ECHO_OP_PING, 1}, 62, 0};
	CHECK(mt_call(echo, &bad_xfer) == MT_EBADH, "transfer of a bad handle");

	/* Our own endpoint, served by a second thread. */
	CHECK(mt_ep_create(&own_ep) == MT_OK, "ep create");
	mt_handle_t tid;
	CHECK(mt_thread_create(server, 0, 10, &tid) == MT_OK, "thread create");
	struct mt_msg a = {{1, 2, 3, 4}, 0, 0};
	rc = mt_call(own_ep, &a);
	CHECK(rc == MT_OK && a.w[0] == 101 && a.w[1] == 0 && a.w[3] == 4,
	      "unbadged call: rc %ld w0 %lu badge %lu", rc, (unsigned long)a.w[0], (unsigned long)a.w[1]);

	mt_handle_t badged, badged2;
	CHECK(mt_handle_grant(0, own_ep, MT_R_CALL | MT_R_GRANT, 0xbadbeef, &badged) == MT_OK, "mint badge");
	struct mt_msg b = {{5}, 0, 0};
	CHECK(mt_call(badged, &b) == MT_OK && b.w[1] == 0xbadbeef, "badge delivered: 0x%lx",
	      (unsigned long)b.w[1]);
	CHECK(mt_handle_grant(0, badged, MT_R_CALL, 0x1234, &badged2) == MT_EPERM, "badge is fixed");
	CHECK(mt_handle_grant(0, badged, MT_R_CALL, 0, &badged2) == MT_OK, "badge inherited");
	struct mt_msg b2 = {{6}, 0, 0};
	CHECK(mt_call(badged2, &b2) == MT_OK && b2.w[1] == 0xbadbeef, "inherited badge");
	CHECK(mt_recv(badged2, &b2) == MT_EPERM, "rights only shrink");

	/* Handle transfer: the receiver gets its own handle to our memory. */
	mt_handle_t shm;
	CHECK(mt_shm_create(4096, &shm) == MT_OK, "shm create");
	volatile uint64_t *p = mt_shm_map_any(shm, MT_PROT_R | MT_PROT_W, 0);
	CHECK(p != 0, "shm map");
	if (p)
		p[0] = 0x5ec2e7;
	struct mt_msg t = {{9}, shm, 0};
	CHECK(mt_call(own_ep, &t) == MT_OK && t.w[2] == 0x5ec2e7, "transferred handle works: 0x%lx",
	      (unsigned long)t.w[2]);

	/* Several handles in one message. */
	mt_handle_t shm2;
	CHECK(mt_shm_create(8192, &shm2) == MT_OK, "shm create");
	volatile uint64_t *p2 = mt_shm_map_any(shm2, MT_PROT_R | MT_PROT_W, 0);
	if (p2)
		p2[0] = 0x1000;
	struct mt_msg t2 = {{9}, MT_XFER(shm, 0, shm2, 0), 0};
	CHECK(mt_call(own_ep, &t2) == MT_OK && t2.w[2] == 0x5ec2e7 + 0x1000, "two handles: 0x%lx",
	      (unsigned long)t2.w[2]);
	struct mt_msg t3 = {{9}, MT_XFER(shm, 61, 0, 0), 0};
	CHECK(mt_call(own_ep, &t3) == MT_EBADH, "one bad handle refuses the whole message");

	/* Protocol errors. */
	struct mt_msg o = {{77}, 0, 0};
	CHECK(mt_call(own_ep, &o) == MT_OK && o.w[2] == 1, "receive while owing a reply refused");
	struct mt_msg r = {{0}, 0, 0};
	CHECK(mt_reply_recv(own_ep, &r, MT_RR_REPLY) == MT_ESTATE, "reply with nobody waiting");
	CHECK(mt_reply_recv(own_ep, &r, 0) == MT_EINVAL, "no flags");
	CHECK(mt_reply_recv(own_ep, &r, 0x80) == MT_EINVAL, "unknown flags");

	/* When the last handle to an endpoint goes, a thread waiting on it
	 * is released with MT_EPEERDEAD. */
	mt_handle_close(badged);
	mt_handle_close(badged2);
	CHECK(mt_handle_close(own_ep) == MT_OK, "close endpoint");
	for (int i = 0; i < 50 && server_state != 2; i++)
		mt_sleep_ns(1000000);
	CHECK(server_state == 2 && server_last_rc == MT_EPEERDEAD, "receiver released: state %d rc %ld",
	      server_state, server_last_rc);
	CHECK(mt_handle_close(own_ep) == MT_EBADH, "closed handle is gone");
}

/* ---- case 2 ---- */

static int ping_until_ok(mt_handle_t echo)
{
	for (int i = 0; i < 100; i++) {
		struct mt_msg m = {{ECHO_OP_PING, 1}, 0, 0};
		if (mt_call(echo, &m) == MT_OK && m.w[1] == 2)
			return 1;
		mt_sleep_ns(10000000);
	}
	return 0;
}

static void case_peer_dead(mt_handle_t echo)
{
	struct mt_msg m = {{ECHO_OP_CRASH}, 0, 0};
	long rc = mt_call(echo, &m);
	CHECK(rc == MT_EPEERDEAD, "call into a crashing service: %ld", rc);
	CHECK(ping_until_ok(echo), "service restarted and serving");
}

/* ---- case 3 ---- */

static volatile uint64_t secret;

static void case_isolation(mt_handle_t echo, mt_handle_t counter)
{
	secret = mt_time(0) ^ 0x5a5a5a5a12345678ULL;
	/* The same address in the echo service is echo's own memory, never ours. */
	struct mt_msg m = {{ECHO_OP_PEEK, (uintptr_t)&secret}, 0, 0};
	long rc = mt_call(echo, &m);
	CHECK(rc != MT_OK || m.w[1] != secret, "echo read our secret");

	/* Our shared pages are not mapped there: echo faults, we get an error. */
	mt_handle_t shm;
	mt_shm_create(4096, &shm);
	volatile uint64_t *p = mt_shm_map_any(shm, MT_PROT_R | MT_PROT_W, 0);
	if (p)
		p[0] = secret;
	struct mt_msg s = {{ECHO_OP_PEEK, (uintptr_t)p}, 0, 0};
	rc = mt_call(echo, &s);
	CHECK(rc == MT_EPEERDEAD, "peek at our shared page: rc %ld", rc);
	CHECK(ping_until_ok(echo), "echo back after its fault");

	/* A service cannot read the kernel either. */
	struct mt_msg k = {{ECHO_OP_PEEK, PLAT_KERNEL_BASE}, 0, 0};
	rc = mt_call(echo, &k);
	CHECK(rc == MT_EPEERDEAD, "peek at kernel memory: rc %ld", rc);
	CHECK(ping_until_ok(echo), "echo back after its second fault");

	/* We hold two endpoint handles and nothing else: every other number
	 * names nothing, and ours are not process, memory or spawner handles. */
	int named = 0;
	for (mt_handle_t h = 1; h < 64; h++) {
		if (h == echo || h == counter || h == shm)
			continue;
		if (mt_shm_map(h, MT_USER_SHM + 0x100000, MT_PROT_R) != MT_EBADH)
			named++;
		if (mt_proc_kill(h) != MT_EBADH)
			named++;
	}
	CHECK(named == 0, "%d foreign handles usable", named);
	CHECK(mt_proc_kill(echo) == MT_EBADH, "endpoint is not a process");
	CHECK(MT_SYS(SYS_POWEROFF, echo) == MT_EBADH, "power off without the spawner");
	mt_handle_t child;
	CHECK(MT_SYS_R1(&child, SYS_PROC_CREATE, echo, (unsigned long)"echo", 4, 1, 0, MT_USER_BASE,
	                0) == MT_EBADH,
	      "create a process without the spawner");
	CHECK(MT_SYS_R1(&child, SYS_PROC_CREATE, 1, (unsigned long)"echo", 4, 1, 0, MT_USER_BASE,
	                0) == MT_EBADH,
	      "create a process with handle 1 (an endpoint here)");
	CHECK(MT_SYS_R1(&child, SYS_SPAWN, 1, (unsigned long)"echo", 4, 1, 0) == MT_ENOSYS,
	      "the kernel loads no program (SYS_SPAWN is gone)");
}

int mt_main(unsigned long arg, unsigned long arg2)
{
	(void)arg2;
	mt_handle_t echo = DEMO_ARG_ECHO(arg), counter = DEMO_ARG_COUNTER(arg);
	switch (DEMO_ARG_TEST(arg)) {
	case 1:
		case_ipc(echo);
		break;
	case 2:
		case_peer_dead(echo);
		break;
	case 3:
		case_isolation(echo, counter);
		break;
	default:
		failed++;
	}
	printf("test_ipc: %d checks passed, %d failed\n", passed, failed);
	printf("test_ipc: %s\n", failed ? "FAIL" : "PASS");
	return failed ? 1 : 0;
}
