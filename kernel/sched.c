/* Preemptive fixed-priority scheduler: one FIFO run queue per priority,
 * round robin within a priority on each timer tick. The running thread is
 * never on a run queue.
 *
 * SMP. The run queues are shared by every CPU, under the big kernel lock
 * (smp.c). A thread runs on one CPU at a time (T_RUNNING, as some CPU's
 * current). Affinity is soft and comes from the normal world's calls: a
 * thread that works for a call (its nwcall tag, nwentry.c) runs only on the
 * CPU that call is active on, while it is active there, as OP-TEE's threads
 * run on the CPU that entered; every other thread (one whose call is not in
 * the secure world at the moment, or that works for none) may run on any
 * CPU and migrates freely. Each CPU takes the best thread it may run, by
 * priority. A CPU that carries a call but has nothing it may run runs its
 * idle thread (WFI at EL1t with interrupts unmasked) until a normal-world
 * interrupt (the call returns FOREIGN_INTR), the tick, or a kick from
 * another CPU that made a thread ready for it. */
#include "arch.h"
#include "object.h"
#include "smp.h"

static struct thread *rq_head[NPRIO];
uint32_t rq_bitmap; /* bit p: a thread of priority p is ready */

/* Owner of the CPUs' idle threads: no address space, no handles. */
static struct process idle_proc = {.name = "idle"};

/* A ready thread for another CPU wakes that CPU if it idles, or if it runs
 * something the thread should displace (sched_should_preempt); one that
 * any CPU may run wakes one idle CPU. */
static void ready_kick(const struct thread *t)
{
	int k = nw_call_cpu(t->nwcall);
	if (k < 0) {
		smp_kick_idle();
		return;
	}
	if (k == (int)cpu_this()->id)
		return;
	const struct thread *cur = kernel_cpus[k].current;
	if ((smp_idle_mask & (1U << k)) || (cur && cur->state == T_RUNNING &&
	                                    (cur->prio < t->prio || nw_call_cpu(cur->nwcall) != k)))
		smp_kick((unsigned)k);
}

void sched_ready(struct thread *t)
{
	kassert(t->prio >= 0 && t->prio < NPRIO);
	rv_thread_event(t, RV_THREAD_READY);
	t->state = T_READY;
	struct thread *h = rq_head[t->prio];
	if (!h) {
		rq_head[t->prio] = t;
		t->qnext = t->qprev = t;
	} else {
		t->qnext = h;
		t->qprev = h->qprev;
		h->qprev->qnext = t;
		h->qprev = t;
	}
	rq_bitmap |= 1U << t->prio;
	if (kernel_ncpus > 1)
		ready_kick(t);
}

void sched_unready(struct thread *t)
{
	kassert(t->state == T_READY);
	rv_thread_event(t, RV_THREAD_UNREADY);
	if (t->qnext == t) {
		rq_head[t->prio] = 0;
		rq_bitmap &= ~(1U << t->prio);
	} else {
		t->qprev->qnext = t->qnext;
		t->qnext->qprev = t->qprev;
		if (rq_head[t->prio] == t)
			rq_head[t->prio] = t->qnext;
	}
	t->qnext = t->qprev = 0;
}

/* The best ready thread CPU c may run: of the highest priority, and there
 * one that works for c's own call before one any CPU may run (borrowed
 * work), each in queue order; a thread that yielded comes after both, so
 * that whatever it waits for (a user-level lock's holder, say) runs first. */
static struct thread *pick(const struct cpu *c)
{
	uint32_t bm = rq_bitmap;
	if (kernel_ncpus == 1)
		return bm ? rq_head[31 - __builtin_clz(bm)] : 0;
	while (bm) {
		int p = 31 - __builtin_clz(bm);
		struct thread *h = rq_head[p], *t = h, *any = 0, *last = 0;
		do {
			int k = nw_call_cpu(t->nwcall);
			if (k == (int)c->id || k < 0) {
				if (t->yielded) {
					if (!last)
						last = t;
				} else if (k == (int)c->id) {
					return t;
				} else if (!any) {
					any = t;
				}
			}
			t = t->qnext;
		} while (t != h);
		if (any || last)
			return any ? any : last;
		bm &= ~(1U << p);
	}
	return 0;
}

/* Background work: a ready thread that works for no call in flight (init's
 * supervision and leak checks, a service's clean-up after a call, a
 * sleeper the tick woke). The secure world runs only inside the normal
 * world's calls, so such a thread runs when a call's threads leave the CPU
 * free: before a done call returns, too, but only for the rest of this
 * tick and the next one (at most 20 ms at 100 Hz), then the call returns
 * and the work waits for the next call. Threads of a call that is out in
 * the normal world are not background: they wait for their call, so a
 * long TA computation never delays another call's return. */
static struct thread *background(struct cpu *c)
{
	if (!nw_done_due())
		return 0;
	uint64_t now = kernel_ticks();
	if (c->bg_tick && now > c->bg_tick)
		return 0;
	for (uint32_t bm = rq_bitmap; bm;) {
		int p = 31 - __builtin_clz(bm);
		struct thread *h = rq_head[p], *t = h;
		do {
			if (!nw_call_live(t->nwcall)) {
				if (!c->bg_tick)
					c->bg_tick = now + 1;
				return t;
			}
			t = t->qnext;
		} while (t != h);
		bm &= ~(1U << p);
	}
	return 0;
}

void sched_init_cpu(struct cpu *c)
{
	struct thread *t = &c->idle;
	memset(t, 0, sizeof(*t));
	t->obj.type = KOBJ_THREAD;
	t->obj.refs = 1; /* never freed */
	t->state = T_INACTIVE;
	t->prio = -1;
	t->proc = &idle_proc;
	arch_idle_init(t);
	c->current = 0;
	c->vspace = 0;
	c->fp_owner = 0;
	c->fp_on = -1;
	c->lockless = 0;
	c->bg_tick = 0;
	smp_idle_mask &= ~(1U << c->id);
}

int sched_is_idle(const struct thread *t)
{
	return t->proc == &idle_proc;
}

void sched_preempt_current(void)
{
	struct cpu *c = cpu_this();
	struct thread *cur = c->current;
	if (!cur || cur->state != T_RUNNING)
		return;
	if (cur == &c->idle) {
		cur->state = T_INACTIVE;
		smp_idle_mask &= ~(1U << c->id);
	} else {
		sched_ready(cur);
	}
}

static struct thread *switch_to(struct cpu *c, struct thread *next)
{
	if (c->current == &c->idle && next != &c->idle) {
		c->idle.state = T_INACTIVE;
		smp_idle_mask &= ~(1U << c->id);
	}
	arch_switch_to(c->current, next);
	c->current = next;
	next->state = T_RUNNING;
	if (next == &c->idle)
		smp_idle_mask |= 1U << c->id;
	return next;
}

/* Whether a CPU other than c runs a thread (not its idle thread) in the
 * secure world: only such a thread, or an interrupt, can make work for c. */
static int others_busy(const struct cpu *c)
{
	for (unsigned i = 0; i < kernel_ncpus; i++) {
		const struct thread *t = kernel_cpus[i].current;
		if (i != c->id && t && t->state == T_RUNNING && !sched_is_idle(t))
			return 1;
	}
	return 0;
}

/* CPU c runs out of work: every CPU that idles with a call waiting only
 * for such work is told (kicked), so that it returns its call to the
 * normal world (FOREIGN_INTR) instead of waiting there for an interrupt. */
static void quiet_kick(const struct cpu *c)
{
	if (kernel_ncpus == 1 || others_busy(c))
		return;
	for (unsigned i = 0; i < kernel_ncpus; i++)
		if (i != c->id && (smp_idle_mask & (1U << i)))
			smp_kick(i);
}

struct thread *sched_next(void)
{
	struct cpu *c = cpu_this();
	for (;;) {
		/* The call this CPU carries is done, or has an RPC to send:
		 * it returns now, before anything else runs here. */
		if (nw_present && nw_return_due()) {
			struct thread *bg = background(c);
			if (bg) {
				sched_unready(bg);
				bg->yielded = 0;
				return switch_to(c, bg);
			}
			c->bg_tick = 0;
			nw_idle();
			continue;
		}
		struct thread *next = pick(c);
		if (next) {
			sched_unready(next);
			next->yielded = 0;
			return switch_to(c, next);
		}
		if (!nw_present) {
			arch_idle_wait(); /* no normal world: WFI, then poll the GIC */
			continue;
		}
		quiet_kick(c);
		/* No call here (the boot's end), or nothing can make work for
		 * it but the normal world itself (one CPU, or every other CPU
		 * quiet: what the call waits for is an RPC, a sleeper's tick
		 * or another call): the normal world, with FOREIGN_INTR. */
		if (c->nw_active < 0 || !others_busy(c)) {
			nw_idle();
			continue;
		}
		/* Another CPU runs threads that may make work for this call:
		 * wait here for it (a kick), the tick or a normal-world
		 * interrupt. */
		return switch_to(c, &c->idle);
	}
}

/* kernel_return's every case: checks, address space, the lock. */
static __attribute__((noinline)) struct thread *kernel_return_slow(struct thread *t)
{
	struct cpu *c = cpu_this();
	kassert(t == c->current && t->state == T_RUNNING);
	if (c->lockless) {
		c->lockless = 0;
		return t;
	}
	/* (TTBR0 holds t's table, or the kernel's for an idle thread; the one
	 * case it does not is a CPU that left it for smp_stall.) */
	struct process *p = t->proc;
	if (__builtin_expect(c->vspace != p && (p->l1 || c->vspace), 0))
		arch_switch_to(t, t);
	bkl_release();
	return t;
}

/* The last step before the return to t (entry.S kernel_exit): t is this
 * CPU's running thread, in its own address space; the big kernel lock
 * goes. With one CPU there is no lock, no lockless system call and no
 * stall (the address space is always t's: arch_switch_to set it), so only
 * the assertion is left, checked here without a call. */
struct thread *kernel_return(struct thread *t)
{
	struct cpu *c = cpu_this();
	if (__builtin_expect(kernel_ncpus > 1 || t != c->current || t->state != T_RUNNING, 0))
		return kernel_return_slow(t);
	return t;
}

void sched_sleep(struct thread *t, uint64_t until)
{
	t->state = T_SLEEPING;
	t->wake_at = until;
	t->timed = 1;
}

void sched_wake_sleeper(struct thread *t)
{
	t->timed = 0;
	sched_ready(t);
}

void sched_tick(uint64_t now)
{
	for (unsigned i = 0; i < MAX_THREADS; i++) {
		struct thread *t = &threads[i];
		if (!t->timed || t->wake_at > now)
			continue;
		if (t->state == T_SLEEPING) {
			t->regs.x[0] = MT_OK;
			sched_wake_sleeper(t);
		} else if (t->state == T_BLOCKED_CHILD) {
			t->regs.x[0] = (uint64_t)(long)MT_ETIMEDOUT;
			sched_wake_sleeper(t);
		}
	}
}

struct thread *sched_yield_to_higher(struct thread *t)
{
	/* The idle thread (a system call that blocked found nothing this CPU
	 * may run; what is ready is another CPU's): nothing to yield to. */
	if (t->prio < 0)
		return t;
	sched_ready(t);
	return sched_next();
}

/* Should the running thread give way (at an interrupt)? To a ready thread
 * this CPU may run of a higher priority, or of its own priority (round
 * robin) unless the running thread works for this CPU's call and the ready
 * one is borrowed; and always when this CPU's call must return, or when the
 * thread's call is active on another CPU (which then runs it). The idle
 * thread gives way to anything. */
int sched_should_preempt(void)
{
	struct cpu *c = cpu_this();
	struct thread *cur = c->current;
	if (!cur || cur->state != T_RUNNING)
		return 1;
	if (nw_present && nw_return_due())
		return 1;
	struct thread *t = pick(c);
	if (cur == &c->idle)
		return t != 0 || !others_busy(c);
	if (kernel_ncpus == 1)
		return t && t->prio >= cur->prio;
	int k = nw_call_cpu(cur->nwcall);
	if (k >= 0 && k != (int)c->id)
		return 1;
	if (!t || t->prio < cur->prio)
		return 0;
	return t->prio > cur->prio || k < 0 || nw_call_cpu(t->nwcall) == (int)c->id;
}
