/* kernel/sched.c on SMP: which ready thread each CPU may take (soft
 * affinity to the normal-world call a thread works for), when the running
 * thread gives way, which CPUs a wake-up kicks, and the idle thread. The
 * normal-world entry and the arch layer are stand-ins: a thread's nwcall
 * tag here is simply "1 + the CPU its call is active on", 0 none, and
 * OUT_TAG a call in flight that is out in the normal world. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "kernel/object.h"
#include "kernel/smp.h"

struct cpu kernel_cpus[KERNEL_MAX_CPUS];
unsigned kernel_ncpus = 2;
uint32_t smp_idle_mask;
struct cpu *unit_cpu = &kernel_cpus[0];
struct thread threads[MAX_THREADS];
int nw_present = 1;

#define OUT_TAG 100
static unsigned kicked; /* bit n: CPU n was kicked */
static int return_due, call_done, idled_to_nw;
static uint64_t ticks;
static struct thread *ready_at_idle; /* what the normal world's next call makes ready */

int nw_call_cpu(uint32_t tag)
{
	return tag >= OUT_TAG ? -1 : (int)tag - 1; /* 0: no call, -1 */
}
int nw_call_live(uint32_t tag)
{
	return tag != 0;
}
int nw_return_due(void)
{
	return return_due;
}
int nw_done_due(void)
{
	return return_due && call_done;
}
uint64_t kernel_ticks(void)
{
	return ticks;
}
void nw_idle(void)
{
	if (++idled_to_nw > 1000) { /* sched_next would loop for ever */
		CHECK(!"nw_idle called 1000 times");
		exit(harness_report("sched"));
	}
	return_due = 0;
	cpu_this()->nw_active = 0; /* the normal world comes back with a call */
	if (ready_at_idle) {
		sched_ready(ready_at_idle);
		ready_at_idle = 0;
	}
}
void smp_kick(unsigned id)
{
	kicked |= 1U << id;
}
void smp_kick_idle(void)
{
	uint32_t m = smp_idle_mask & ~(1U << cpu_this()->id);
	if (m)
		smp_kick((unsigned)__builtin_ctz(m));
}
void bkl_release(void)
{
}
void arch_idle_wait(void)
{
}
void arch_idle_init(struct thread *t)
{
	(void)t;
}
void arch_switch_to(struct thread *prev, struct thread *next)
{
	(void)prev;
	(void)next;
}

static struct process proc = {.l1 = 0};

static struct thread *mk(unsigned i, int prio, uint32_t tag)
{
	struct thread *t = &threads[i];
	memset(t, 0, sizeof(*t));
	t->prio = prio;
	t->proc = &proc;
	t->nwcall = tag;
	t->state = T_INACTIVE;
	t->rv_thread = RV_THREAD_S_INACTIVE; /* as thread_create leaves it */
	return t;
}

static void on_cpu(unsigned id)
{
	unit_cpu = &kernel_cpus[id];
}

static void reset(void)
{
	/* Empty the run queues through the scheduler itself. */
	for (unsigned i = 0; i < MAX_THREADS; i++)
		if (threads[i].state == T_READY && threads[i].qnext)
			sched_unready(&threads[i]);
	memset(threads, 0, sizeof(threads));
	for (unsigned i = 0; i < KERNEL_MAX_CPUS; i++) {
		kernel_cpus[i].id = i;
		sched_init_cpu(&kernel_cpus[i]);
		kernel_cpus[i].nw_active = 0;
	}
	smp_idle_mask = 0;
	kicked = 0;
	return_due = 0;
	call_done = 0;
	idled_to_nw = 0;
	ticks = 0;
	ready_at_idle = 0;
	kernel_ncpus = 2;
	on_cpu(0);
}

/* A thread of the call active on CPU 1 is not CPU 0's to take; a thread of
 * no active call is anyone's; CPU 1 takes its own first. */
static void test_affinity(void)
{
	reset();
	struct thread *other = mk(0, 15, 2), *any = mk(1, 10, 0);
	sched_ready(other);
	sched_ready(any);
	on_cpu(0);
	CHECK(sched_next() == any); /* the higher one is CPU 1's */
	CHECK_EQ(any->state, T_RUNNING);
	CHECK(kernel_cpus[0].current == any);
	on_cpu(1);
	CHECK(sched_next() == other);
	/* Nothing left CPU 1 may run: its idle thread, in the idle mask. */
	struct thread *t = sched_next();
	CHECK(sched_is_idle(t));
	CHECK(t == &kernel_cpus[1].idle);
	CHECK_EQ(smp_idle_mask, 2);
}

/* At one priority, a CPU takes its own call's thread before borrowed work
 * queued ahead of it; a higher priority still comes first. */
static void test_own_first(void)
{
	reset();
	struct thread *borrowed = mk(0, 8, 0), *own = mk(1, 8, 1), *high = mk(2, 9, 0);
	sched_ready(borrowed);
	sched_ready(own);
	CHECK(sched_next() == own);
	sched_ready(high);
	sched_preempt_current();
	CHECK(sched_next() == high);
	CHECK(sched_next() == own);
	CHECK(sched_next() == borrowed);
}

/* When the running thread gives way at an interrupt. */
static void test_preempt(void)
{
	reset();
	struct thread *own = mk(0, 8, 1), *borrowed = mk(1, 8, 0);
	sched_ready(own);
	CHECK(sched_next() == own);
	sched_ready(borrowed);
	CHECK(!sched_should_preempt()); /* no round robin with borrowed work */
	return_due = 1;
	CHECK(sched_should_preempt()); /* this CPU's call must return */
	return_due = 0;
	struct thread *own2 = mk(2, 8, 1);
	sched_ready(own2);
	CHECK(sched_should_preempt()); /* round robin within its own call */
	sched_unready(own2);
	/* Running borrowed work: an own thread of the same priority wins. */
	sched_preempt_current();
	sched_unready(own);
	own->state = T_INACTIVE;
	CHECK(sched_next() == borrowed);
	sched_ready(own);
	CHECK(sched_should_preempt());
	/* A thread whose call is now active on CPU 1 goes there. */
	sched_unready(own);
	borrowed->nwcall = 2;
	CHECK(sched_should_preempt());
	/* A lower priority never preempts. */
	borrowed->nwcall = 0;
	struct thread *low = mk(3, 7, 1);
	sched_ready(low);
	CHECK(!sched_should_preempt());
	/* With one CPU, the old rule: the highest ready at or above. */
	kernel_ncpus = 1;
	CHECK(!sched_should_preempt());
	struct thread *eq = mk(4, 8, 0);
	sched_ready(eq);
	CHECK(sched_should_preempt());
}

/* Wake-ups: a thread for an idle CPU kicks it; one for a CPU running
 * borrowed work or a lower priority kicks it; one for a CPU running its
 * own call's thread at that priority does not; anyone's wakes an idle CPU,
 * never this one. */
static void test_kicks(void)
{
	reset();
	struct thread *run0 = mk(6, 8, 1); /* CPU 0 runs: CPU 1 idles here */
	kernel_cpus[0].current = run0;
	run0->state = T_RUNNING;
	on_cpu(1);
	CHECK(sched_is_idle(sched_next()));
	CHECK_EQ(smp_idle_mask, 2);
	on_cpu(0);
	struct thread *a = mk(0, 8, 2);
	sched_ready(a);
	CHECK_EQ(kicked, 2);
	kicked = 0;
	struct thread *b = mk(1, 8, 0);
	sched_ready(b);
	CHECK_EQ(kicked, 2);
	kicked = 0;
	/* CPU 1 takes a and runs it: no longer idle. */
	on_cpu(1);
	sched_preempt_current();
	CHECK_EQ(smp_idle_mask, 0);
	CHECK(sched_next() == a);
	on_cpu(0);
	struct thread *c = mk(2, 8, 2);
	sched_ready(c);
	CHECK_EQ(kicked, 0); /* CPU 1 runs its own call at that priority */
	struct thread *d = mk(3, 9, 2);
	sched_ready(d);
	CHECK_EQ(kicked, 2); /* a higher one for CPU 1 */
	kicked = 0;
	a->nwcall = 0; /* a is now borrowed work on CPU 1 */
	sched_unready(c);
	sched_ready(c);
	CHECK_EQ(kicked, 2);
	kicked = 0;
	struct thread *mine = mk(4, 8, 1);
	sched_ready(mine);
	CHECK_EQ(kicked, 0); /* this CPU's own: no kick */
	/* One CPU: no kicks at all. */
	kernel_ncpus = 1;
	struct thread *e = mk(5, 8, 2);
	sched_ready(e);
	CHECK_EQ(kicked, 0);
}

/* A CPU whose call is done returns it before running anything; one with
 * no call goes back to the normal world; the idle thread is never queued,
 * not even by a system call that yields to higher priorities. */
static void test_idle_and_return(void)
{
	reset();
	struct thread *t = mk(0, 8, 1);
	sched_ready(t);
	return_due = 1;
	CHECK(sched_next() == t);
	CHECK_EQ(idled_to_nw, 1);
	kernel_cpus[0].nw_active = -1;
	/* CPU 1 runs a thread that may make work for this CPU's call: this
	 * CPU waits in its idle thread. */
	struct thread *busy = mk(9, 8, 2);
	kernel_cpus[1].current = busy;
	busy->state = T_RUNNING;
	CHECK(sched_is_idle(sched_next())); /* nw_idle came back with a call */
	CHECK_EQ(idled_to_nw, 2);
	struct thread *idle = kernel_cpus[0].current;
	CHECK(idle == &kernel_cpus[0].idle);
	struct thread *other = mk(1, 20, 2);
	sched_ready(other); /* ready, but CPU 1's */
	CHECK(sched_yield_to_higher(idle) == idle);
	CHECK_EQ(rq_bitmap, 1U << 20);
	sched_preempt_current();
	CHECK_EQ(idle->state, T_INACTIVE);
	CHECK_EQ(smp_idle_mask, 0);
}

/* A CPU whose call waits with nothing to run, and no other CPU running a
 * thread, returns the call (FOREIGN_INTR) instead of idling, and kicks the
 * CPUs that idle for the same reason; the idle thread then gives way. */
static void test_quiet_returns(void)
{
	/* Nothing ready, nothing running elsewhere: the call goes back at
	 * once; the normal world's next call makes `later` ready. */
	reset();
	struct thread *later = mk(0, 8, 1);
	ready_at_idle = later;
	CHECK(sched_next() == later);
	CHECK_EQ(idled_to_nw, 1);
	CHECK_EQ(kicked, 0);
	/* CPU 1 idles with its call while CPU 0 runs run0 ... */
	reset();
	struct thread *run0 = mk(1, 8, 1);
	kernel_cpus[0].current = run0;
	run0->state = T_RUNNING;
	on_cpu(1);
	CHECK(sched_is_idle(sched_next()));
	CHECK_EQ(smp_idle_mask, 2);
	CHECK_EQ(idled_to_nw, 0);
	CHECK(!sched_should_preempt()); /* CPU 0 may still make work for it */
	/* ... then run0 blocks and CPU 0 has nothing: CPU 1 is kicked, and
	 * CPU 0's call goes back. */
	on_cpu(0);
	run0->state = T_BLOCKED_RECV;
	struct thread *next0 = mk(2, 8, 1);
	ready_at_idle = next0;
	CHECK(sched_next() == next0);
	CHECK_EQ(kicked, 2);
	CHECK_EQ(idled_to_nw, 1);
	/* On CPU 1, woken, with CPU 0's next0 not running: the idle thread
	 * gives way (and the next sched_next returns CPU 1's call). */
	next0->state = T_BLOCKED_RECV;
	on_cpu(1);
	CHECK(sched_should_preempt());
	on_cpu(0);
}

/* Background work (a thread for no call in flight) runs before a done
 * call returns, for the rest of this tick and the next; a thread of a call
 * that is out in the normal world does not; then the call returns. */
static void test_background(void)
{
	reset();
	struct thread *bg = mk(0, 4, 0), *out = mk(1, 6, OUT_TAG), *next = mk(2, 8, 1);
	sched_ready(out);
	sched_ready(bg);
	return_due = call_done = 1;
	ticks = 10;
	CHECK(sched_next() == bg);
	CHECK_EQ(kernel_cpus[0].bg_tick, 11);
	CHECK_EQ(idled_to_nw, 0);
	sched_preempt_current(); /* the tick: still within the window */
	ticks = 11;
	CHECK(sched_next() == bg);
	sched_preempt_current();
	ticks = 12; /* past it: the call returns, bg waits */
	ready_at_idle = next;
	CHECK(sched_next() == next);
	CHECK_EQ(idled_to_nw, 1);
	CHECK_EQ(kernel_cpus[0].bg_tick, 0);
	CHECK_EQ(bg->state, T_READY);
	CHECK_EQ(out->state, T_READY);
	/* An RPC to send is never held for background work. */
	reset();
	bg = mk(0, 4, 0);
	next = mk(2, 8, 1);
	sched_ready(bg);
	return_due = 1;
	call_done = 0;
	ready_at_idle = next;
	CHECK(sched_next() == next || sched_is_idle(kernel_cpus[0].current) == 0);
	CHECK_EQ(idled_to_nw, 1);
}

/* A thread that yields (spinning on a user-level lock) goes after every
 * other thread of its priority, its own call's preference notwithstanding:
 * the lock's holder, borrowed work of the same priority, runs first. The
 * mark goes once it runs. (Own-first alone livelocked the gateway when its
 * watchdog, holding a lock, was borrowed work on a CPU whose own worker
 * spun for that lock.) */
static void test_yield(void)
{
	reset();
	struct thread *spinner = mk(0, 15, 1), *holder = mk(1, 15, 0);
	sched_ready(spinner);
	CHECK(sched_next() == spinner);
	sched_ready(holder);
	spinner->yielded = 1; /* SYS_YIELD */
	sched_preempt_current();
	CHECK(sched_next() == holder);
	CHECK(sched_next() == spinner);
	CHECK_EQ(spinner->yielded, 0);
	/* Alone, a yielding thread runs again. */
	spinner->yielded = 1;
	sched_preempt_current();
	CHECK(sched_next() == spinner);
}

/* kernel_return: the thread must be this CPU's running one. */
static void bad_return(void *arg)
{
	kernel_return(arg);
}
static void test_kernel_return(void)
{
	reset();
	struct thread *t = mk(0, 8, 0), *u = mk(1, 8, 0);
	sched_ready(t);
	CHECK(sched_next() == t);
	CHECK(kernel_return(t) == t);
	CHECK_PANICS(bad_return, u);
}

/* The thread lifecycle's monitor (verify/thread.dot) with the kernel's own
 * reporter (kernel/rv.c). The injected wrong transition: a thread already
 * on a run queue made ready again, which would link it in twice; the
 * monitor reports the thread, its state (queued) and the event (ready),
 * and panics before the queue is touched. */
static void ready_again(void *arg)
{
	sched_ready(arg);
}

static void test_rv_thread(void)
{
	reset();
	struct thread *t = mk(3, 5, 0);
	unsigned long n = rv_thread_count;
	sched_ready(t);
	CHECK_EQ(t->rv_thread, RV_THREAD_S_QUEUED);
	CHECK_EQ(rv_thread_count, n + 1);
	CHECK_EQ(rv_violations, 0);
	CHECK_PANICS(ready_again, t);
	char want[160];
	snprintf(want, sizeof(want),
	         "[rv] VIOLATION kernel: model thread, object %p, state queued, event ready\n",
	         (void *)t);
	CHECK_STR(harness_printk_last, want);
	CHECK_STR(harness_panic_msg, "runtime verification: thread");
	CHECK_EQ(rv_violations, 1);
	CHECK(t->qnext == t && t->qprev == t); /* linked once */
	sched_unready(t);
	CHECK_EQ(t->rv_thread, RV_THREAD_S_OFFQ);
	reset();
}

int main(void)
{
	test_rv_thread();
	test_affinity();
	test_own_first();
	test_preempt();
	test_kicks();
	test_idle_and_return();
	test_quiet_returns();
	test_background();
	test_yield();
	test_kernel_return();
	return harness_report("sched");
}
