/* Preemptive fixed-priority scheduler: one FIFO run queue per priority,
 * round robin within a priority on each timer tick. The running thread is
 * never on a run queue. */
#include "arch.h"
#include "object.h"

struct thread *current;
static struct thread *rq_head[NPRIO];
uint32_t rq_bitmap; /* bit p: a thread of priority p is ready */

void arch_idle_wait(void);

void sched_ready(struct thread *t)
{
	kassert(t->prio >= 0 && t->prio < NPRIO);
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
}

void sched_unready(struct thread *t)
{
	kassert(t->state == T_READY);
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

static int highest_ready(void)
{
	return rq_bitmap ? 31 - __builtin_clz(rq_bitmap) : -1;
}

void sched_preempt_current(void)
{
	if (current && current->state == T_RUNNING)
		sched_ready(current);
}

struct thread *sched_next(void)
{
	int prio;
	while ((prio = highest_ready()) < 0)
		arch_idle_wait();
	struct thread *next = rq_head[prio];
	sched_unready(next);
	arch_switch_to(current, next);
	current = next;
	next->state = T_RUNNING;
	return next;
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
	sched_ready(t);
	return sched_next();
}

/* Should the running thread give way to a ready one? */
int sched_should_preempt(void)
{
	if (!current || current->state != T_RUNNING)
		return 1;
	return highest_ready() >= current->prio;
}
