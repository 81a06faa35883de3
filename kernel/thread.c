/* Threads: a register set, a priority and a place in some queue. */
#include "object.h"
#include "smp.h"

struct thread threads[MAX_THREADS];

/* EL0 with interrupts unmasked: IRQs are secure interrupts, FIQs (in the
 * secure state) normal-world ones, which send the CPU back to the normal
 * world at once (nw_foreign_intr). */
#define SPSR_EL0T 0x0UL

struct thread *thread_create(struct process *p, vaddr_t entry, vaddr_t sp, uint64_t arg, int prio,
			     int *err)
{
	*err = quota_charge(&p->quota, MT_Q_THREADS, 1);
	if (*err != MT_OK)
		return 0;
	for (unsigned i = 0; i < MAX_THREADS; i++) {
		struct thread *t = &threads[i];
		if (t->state != T_FREE)
			continue;
		memset(t, 0, sizeof(*t));
		t->obj.type = KOBJ_THREAD;
		t->state = T_INACTIVE;
		rv_thread_event(t, RV_THREAD_CREATE);
		t->prio = prio;
		t->proc = p;
		t->regs.elr = entry;
		t->regs.sp = sp;
		t->regs.spsr = SPSR_EL0T;
		t->regs.x[0] = arg;
		p->nthreads++;
		return t;
	}
	/* Quotas never add up to more than the pool: not reached. */
	quota_refund(&p->quota, MT_Q_THREADS, 1);
	*err = MT_ENOSPACE;
	return 0;
}

void thread_free(struct thread *t)
{
	kassert(t->state == T_DEAD || t->state == T_INACTIVE);
	quota_refund(&t->proc->quota, MT_Q_THREADS, 1);
	rv_thread_event(t, RV_THREAD_FREE);
	t->state = T_FREE;
}

size_t thread_pool_free(void)
{
	size_t n = 0;
	for (unsigned i = 0; i < MAX_THREADS; i++)
		n += threads[i].state == T_FREE;
	return n;
}

void thread_destroy(struct thread *t)
{
	switch (t->state) {
	case T_READY:
		sched_unready(t);
		break;
	case T_BLOCKED_SEND:
	case T_BLOCKED_RECV:
		endpoint_cancel(t);
		break;
	case T_BLOCKED_REPLY:
		rv_ipc_event(t, RV_IPC_ABANDONED);
		if (t->server && t->server->caller == t)
			t->server->caller = 0; /* its reply will go nowhere */
		break;
	case T_BLOCKED_RPC:
		nwcall_rpc_forget(t);
		break;
	default:
		break;
	}
	if (t->caller) {
		/* A client was waiting for this thread's reply. */
		struct thread *c = t->caller;
		c->regs.x[0] = (uint64_t)(long)MT_EPEERDEAD;
		c->server = 0;
		rv_ipc_event(c, RV_IPC_PEER_DEAD);
		ipc_wake_caller(c);
		t->caller = 0;
	}
	/* No CPU keeps it as its thread or its FP/SIMD owner (another CPU
	 * may have it as current, stalled: smp_stall; it finds none). */
	for (unsigned i = 0; i < KERNEL_MAX_CPUS; i++) {
		if (kernel_cpus[i].fp_owner == t)
			kernel_cpus[i].fp_owner = 0;
		if (kernel_cpus[i].current == t)
			kernel_cpus[i].current = 0;
	}
	if (t->proc->main_thread == t)
		t->proc->main_thread = 0;
	kassert(t->proc->nthreads > 0);
	t->proc->nthreads--;
	rv_thread_event(t, RV_THREAD_DESTROY);
	t->state = T_DEAD;
	if (!t->obj.refs)
		thread_free(t);
}
