/* kernel/endpoint.c with kernel/handle.c and kernel/kobj.c: endpoints live
 * as long as something references them, and the one the kernel names
 * itself (the normal-world call endpoint, endpoint_create_kernel) outlives
 * every handle to it (issue 13 item 7). */
#include <string.h>

#include "harness.h"
#include "kernel/object.h"
#include "kernel/smp.h"

/* Stand-ins for the scheduler, the normal-world entry and the other
 * objects: endpoint.c and kobj.c call them. */
static struct cpu the_cpu;
struct cpu *unit_cpu = &the_cpu;
static unsigned readied;
void sched_ready(struct thread *t)
{
	t->state = T_READY;
	readied++;
}
struct thread *sched_next(void)
{
	return 0;
}
void arch_switch_to(struct thread *prev, struct thread *next)
{
	(void)prev;
	(void)next;
}
int thread_is_nwcall(const struct thread *t)
{
	return t->nwcall != 0;
}
static unsigned nwcalls_done;
void nwcall_done(struct thread *t)
{
	(void)t;
	nwcalls_done++;
}
void shm_release(struct shm *s)
{
	(void)s;
}
void process_release(struct process *p)
{
	(void)p;
}
void thread_free(struct thread *t)
{
	t->state = T_FREE;
}

static struct process gw, gw2, nwproc;
static struct thread gt, gt2, nwt;

/* t waits on handle h of its process (SYS_REPLY_RECV, receive only). */
static void receive(struct thread *t, uint64_t h)
{
	memset(&t->regs, 0, sizeof(t->regs));
	t->regs.x[0] = h;
	t->regs.x[6] = MT_RR_RECV;
	t->state = T_RUNNING;
	unit_cpu->current = t;
	sys_reply_recv(t);
}

/* An ordinary endpoint goes when its last handle does, and wakes its
 * receiver with MT_EPEERDEAD: the contrast that shows the checks below
 * can see a release. */
static void test_plain_endpoint_released(void)
{
	memset(&gw, 0, sizeof(gw));
	gw.pid = 5;
	gw.quota.limit[MT_Q_ENDPOINTS] = 1;
	gt.proc = &gw;
	int err;
	struct endpoint *ep = endpoint_create(&gw, &err);
	CHECK(ep != 0);
	if (!ep)
		return;
	long h = ht_insert(&gw.ht, &ep->obj, MT_R_RECV, 0);
	CHECK_EQ(h, 1);
	receive(&gt, (uint64_t)h);
	CHECK_EQ(gt.state, T_BLOCKED_RECV);
	ht_clear(&gw.ht);
	CHECK_EQ(ep->obj.type, KOBJ_NONE);
	CHECK_EQ(gt.regs.x[0], (uint64_t)(long)MT_EPEERDEAD);
	CHECK_EQ(gt.state, T_READY);
	/* Charged to its creator while it lived, refunded when it went. */
	CHECK_EQ(gw.quota.used[MT_Q_ENDPOINTS], 0);
	CHECK(endpoint_create(&gw, &err) == ep); /* the slot is reused */
	CHECK_EQ(gw.quota.used[MT_Q_ENDPOINTS], 1);
	/* A second one is over the quota of one. */
	CHECK(endpoint_create(&gw, &err) == 0);
	CHECK_EQ(err, MT_EQUOTA);
	CHECK_EQ(gw.quota.used[MT_Q_ENDPOINTS], 1);
	endpoint_release(ep);
	CHECK_EQ(gw.quota.used[MT_Q_ENDPOINTS], 0);
}

static void test_kernel_endpoint_survives(void)
{
	memset(&gw, 0, sizeof(gw));
	memset(&gw2, 0, sizeof(gw2));
	memset(&nwproc, 0, sizeof(nwproc));
	gw.pid = 5;
	gw2.pid = 6;
	gw2.quota.limit[MT_Q_ENDPOINTS] = 1;
	gt.proc = &gw;
	gt2.proc = &gw2;
	struct endpoint *nw = endpoint_create_kernel();
	CHECK(nw != 0);
	if (!nw)
		return;
	CHECK_EQ(nw->obj.type, KOBJ_ENDPOINT);
	CHECK_EQ(nw->obj.refs, 1); /* the kernel's own */

	/* init's handle and the gateway's copy; the gateway waits on it. */
	struct handle_table init_ht;
	memset(&init_ht, 0, sizeof(init_ht));
	CHECK_EQ(ht_insert(&init_ht, &nw->obj, MT_R_RECV | MT_R_GRANT, 0), 1);
	long h = ht_insert(&gw.ht, &nw->obj, MT_R_RECV, 0);
	receive(&gt, (uint64_t)h);
	CHECK_EQ(gt.state, T_BLOCKED_RECV);

	/* The gateway dies (its thread leaves the queue, its handles close),
	 * and init closes its handle too: no handle names the endpoint. */
	endpoint_cancel(&gt);
	gt.state = T_DEAD;
	ht_clear(&gw.ht);
	ht_clear(&init_ht);
	CHECK_EQ(nw->obj.type, KOBJ_ENDPOINT);
	CHECK_EQ(nw->obj.refs, 1);

	/* So its slot is not handed out again: the kernel's pointer still
	 * names the normal-world endpoint, not someone else's. */
	int err;
	struct endpoint *other = endpoint_create(&gw2, &err);
	CHECK(other != 0 && other != nw);
	struct handle_table other_ht;
	memset(&other_ht, 0, sizeof(other_ht));
	if (other)
		ht_insert(&other_ht, &other->obj, MT_R_RECV, 0);

	/* A normal-world call arrives: it waits on the endpoint ... */
	memset(&nwt, 0, sizeof(nwt));
	nwt.proc = &nwproc;
	nwt.obj.type = KOBJ_THREAD;
	nwt.nwcall = 1;
	nwt.regs.x[1] = 0xCA11;
	endpoint_send_from_kernel(nw, &nwt);
	CHECK_EQ(nwt.state, T_BLOCKED_SEND);
	CHECK(nw->send_head == &nwt);
	CHECK(other == 0 || (other->send_head == 0 && other->recv_head == 0));

	/* ... and a gateway started again with a new handle receives it. */
	long h2 = ht_insert(&gw2.ht, &nw->obj, MT_R_RECV, 0);
	CHECK(h2 > 0);
	receive(&gt2, (uint64_t)h2);
	CHECK_EQ(gt2.regs.x[0], MT_OK);
	CHECK_EQ(gt2.regs.x[1], 0xCA11);
	CHECK(gt2.caller == &nwt);
	CHECK_EQ(nwt.state, T_BLOCKED_REPLY);
	ht_clear(&gw2.ht);
	ht_clear(&other_ht);
	CHECK_EQ(nw->obj.type, KOBJ_ENDPOINT);
}

/* endpoint.c checks the queue invariant at the start of each operation
 * (ep_check) and relies on every operation leaving it true: callers or
 * receivers waiting, never both, each waiter in its queue's state and on
 * this endpoint. This walks whole queues after every step. */
static int ep_ok(const struct endpoint *ep)
{
	if (ep->send_head && ep->recv_head)
		return 0;
	for (const struct thread *t = ep->send_head; t; t = t->qnext)
		if (t->state != T_BLOCKED_SEND || t->ep != ep || (!t->qnext && ep->send_tail != t))
			return 0;
	for (const struct thread *t = ep->recv_head; t; t = t->qnext)
		if (t->state != T_BLOCKED_RECV || t->ep != ep || (!t->qnext && ep->recv_tail != t))
			return 0;
	return (ep->send_head == 0) == (ep->send_tail == 0) &&
	       (ep->recv_head == 0) == (ep->recv_tail == 0);
}

static struct process cl;
static struct thread ct, st[2], kt[2];

static void test_queue_invariant(void)
{
	memset(&gw, 0, sizeof(gw));
	memset(&cl, 0, sizeof(cl));
	memset(&nwproc, 0, sizeof(nwproc));
	memset(st, 0, sizeof(st));
	memset(kt, 0, sizeof(kt));
	memset(&ct, 0, sizeof(ct));
	gw.pid = 5;
	cl.pid = 7;
	gw.quota.limit[MT_Q_ENDPOINTS] = 1;
	int err;
	struct endpoint *ep = endpoint_create(&gw, &err);
	CHECK(ep != 0);
	if (!ep)
		return;
	long hr = ht_insert(&gw.ht, &ep->obj, MT_R_RECV, 0);
	long hc = ht_insert(&cl.ht, &ep->obj, MT_R_CALL, 0x77);
	CHECK(hr > 0 && hc > 0);
	CHECK(ep_ok(ep));

	/* Two receivers queue up. */
	for (int i = 0; i < 2; i++) {
		st[i].proc = &gw;
		receive(&st[i], (uint64_t)hr);
		CHECK_EQ(st[i].state, T_BLOCKED_RECV);
		CHECK(ep_ok(ep));
	}
	CHECK(ep->recv_head == &st[0] && ep->recv_tail == &st[1]);

	/* A client's call goes to the first, which the CPU runs now. */
	ct.proc = &cl;
	ct.state = T_RUNNING;
	unit_cpu->current = &ct;
	memset(&ct.regs, 0, sizeof(ct.regs));
	ct.regs.x[0] = (uint64_t)hc;
	ct.regs.x[1] = 0xAB;
	CHECK(sys_call(&ct) == &st[0]);
	CHECK_EQ(ct.state, T_BLOCKED_REPLY);
	CHECK_EQ(st[0].state, T_RUNNING);
	CHECK_EQ(st[0].regs.x[1], 0xAB);
	CHECK_EQ(st[0].regs.x[6], 0x77); /* the caller's badge */
	CHECK(ep->recv_head == &st[1] && ep->recv_tail == &st[1]);
	CHECK(ep_ok(ep));

	/* Two normal-world calls: one for the second receiver, one waits. */
	for (int i = 0; i < 2; i++) {
		kt[i].proc = &nwproc;
		kt[i].obj.type = KOBJ_THREAD;
		kt[i].nwcall = 1;
		kt[i].regs.x[1] = 0xC0 + (uint64_t)i;
		endpoint_send_from_kernel(ep, &kt[i]);
		CHECK(ep_ok(ep));
	}
	CHECK_EQ(kt[0].state, T_BLOCKED_REPLY);
	CHECK_EQ(st[1].state, T_READY);
	CHECK(st[1].caller == &kt[0]);
	CHECK_EQ(kt[1].state, T_BLOCKED_SEND);
	CHECK(ep->send_head == &kt[1] && ep->recv_head == 0);

	/* The first receiver answers the client and takes the waiting call at
	 * once (reply and receive). */
	unit_cpu->current = &st[0];
	st[0].regs.x[0] = (uint64_t)hr;
	st[0].regs.x[1] = 0xAC;
	st[0].regs.x[5] = 0;
	st[0].regs.x[6] = MT_RR_REPLY | MT_RR_RECV;
	readied = 0;
	CHECK(sys_reply_recv(&st[0]) == &st[0]);
	CHECK_EQ(ct.regs.x[1], 0xAC);
	CHECK_EQ(ct.state, T_READY); /* the client runs again */
	CHECK(st[0].caller == &kt[1]);
	CHECK_EQ(st[0].regs.x[1], 0xC1);
	CHECK(ep->send_head == 0 && ep->send_tail == 0 && ep->recv_head == 0);
	CHECK(ep_ok(ep));

	/* It answers that call and waits again: the normal-world call is
	 * done, and the receiver is queued. */
	nwcalls_done = 0;
	st[0].regs.x[0] = (uint64_t)hr;
	st[0].regs.x[6] = MT_RR_REPLY | MT_RR_RECV;
	sys_reply_recv(&st[0]);
	CHECK_EQ(nwcalls_done, 1);
	CHECK_EQ(st[0].state, T_BLOCKED_RECV);
	CHECK(ep->recv_head == &st[0]);
	CHECK(ep_ok(ep));

	/* A queued receiver that goes away leaves the queue whole. */
	endpoint_cancel(&st[0]);
	st[0].state = T_DEAD;
	CHECK(ep->recv_head == 0 && ep->recv_tail == 0);
	CHECK(ep_ok(ep));
	ht_clear(&gw.ht);
	ht_clear(&cl.ht);
	CHECK_EQ(ep->obj.type, KOBJ_NONE);
}

/* The IPC call protocol's monitor (verify/ipc.dot) with the kernel's own
 * reporter (kernel/rv.c): a call and its reply step the caller idle ->
 * awaiting -> idle. The injected wrong transition: the server's caller
 * names a thread that the kernel's fields say waits for the reply but that
 * never called; the reply passes sys_reply_recv's assertion, and the
 * monitor reports the thread, its state (idle) and the event (replied),
 * then panics. */
/* cl and ct: the queue test's, above. */
static struct thread forged;

static void call_from(struct thread *t, uint64_t h)
{
	memset(&t->regs, 0, sizeof(t->regs));
	t->regs.x[0] = h;
	t->state = T_RUNNING;
	unit_cpu->current = t;
	sys_call(t);
}

static void reply_and_receive(void *arg)
{
	struct thread *srv = arg;
	uint64_t h = srv->regs.x[0];
	memset(&srv->regs, 0, sizeof(srv->regs));
	srv->regs.x[0] = h;
	srv->regs.x[6] = MT_RR_REPLY | MT_RR_RECV;
	srv->state = T_RUNNING;
	unit_cpu->current = srv;
	sys_reply_recv(srv);
}

static void test_rv_ipc(void)
{
	memset(&gw, 0, sizeof(gw));
	memset(&cl, 0, sizeof(cl));
	memset(&gt, 0, sizeof(gt));
	memset(&ct, 0, sizeof(ct));
	gw.pid = 5;
	cl.pid = 7;
	gw.quota.limit[MT_Q_ENDPOINTS] = 1;
	gt.proc = &gw;
	ct.proc = &cl;
	int err;
	struct endpoint *ep = endpoint_create(&gw, &err);
	CHECK(ep != 0);
	if (!ep)
		return;
	long hr = ht_insert(&gw.ht, &ep->obj, MT_R_RECV, 0);
	long hc = ht_insert(&cl.ht, &ep->obj, MT_R_CALL, 0);
	receive(&gt, (uint64_t)hr);
	unsigned long n = rv_ipc_count;
	call_from(&ct, (uint64_t)hc); /* delivered at once */
	CHECK(gt.caller == &ct);
	CHECK_EQ(ct.rv_ipc, RV_IPC_S_AWAITING);
	gt.regs.x[0] = (uint64_t)hr;
	reply_and_receive(&gt);
	CHECK_EQ(ct.rv_ipc, RV_IPC_S_IDLE);
	CHECK_EQ(rv_ipc_count, n + 2);
	CHECK_EQ(rv_violations, 0);

	call_from(&ct, (uint64_t)hc);
	CHECK(gt.caller == &ct);
	memset(&forged, 0, sizeof(forged));
	forged.proc = &cl;
	forged.state = T_BLOCKED_REPLY;
	forged.server = &gt;
	gt.caller = &forged; /* the injected bug */
	gt.regs.x[0] = (uint64_t)hr;
	CHECK_PANICS(reply_and_receive, &gt);
	char want[160];
	snprintf(want, sizeof(want),
	         "[rv] VIOLATION kernel: model ipc, object %p, state idle, event replied\n",
	         (void *)&forged);
	CHECK_STR(harness_printk_last, want);
	CHECK_STR(harness_panic_msg, "runtime verification: ipc");
	CHECK_EQ(rv_violations, 1);
	CHECK_EQ(forged.rv_ipc, RV_IPC_S_IDLE); /* the monitor's state is kept */
}

int main(void)
{
	test_plain_endpoint_released();
	test_kernel_endpoint_survives();
	test_queue_invariant();
	test_rv_ipc();
	return harness_report("endpoint");
}
