/* System call user dispatch (SYS_DISPATCH_SET, SYS_DISPATCH_RETURN): a
 * thread may ask that its svc instructions outside one address range be
 * handed back to itself instead of being executed, so that a personality
 * in the same process can serve another system's calls. The kernel knows
 * nothing of those calls: it saves the registers in the thread's frame,
 * in the thread's own memory, and resumes the thread at its handler. */
#include "dispatch.h"
#include "arch.h"

/* A range [lo, hi) is a user range if it is not empty and lies inside the
 * user address space. */
static int user_range(uint64_t lo, uint64_t hi)
{
	return lo < hi && lo >= MT_USER_BASE && hi <= MT_USER_TOP;
}

int dispatch_set(struct thread *t, uint64_t lo, uint64_t hi, uint64_t handler, uint64_t frame,
                 uint64_t sp)
{
	if (lo == 0 && hi == 0 && handler == 0 && frame == 0 && sp == 0) {
		memset(&t->disp, 0, sizeof(t->disp));
		return MT_OK;
	}
	if (!user_range(lo, hi) || handler < lo || handler >= hi || (handler & 3) || (frame & 7) ||
	    (sp & 15) || sp <= MT_USER_BASE || sp > MT_USER_TOP)
		return MT_EINVAL;
	/* The frame must be writable now: zeroing it checks every page. */
	struct mt_dispatch_frame zero;
	memset(&zero, 0, sizeof(zero));
	int rc = copy_to_user(t->proc, frame, &zero, sizeof(zero));
	if (rc != MT_OK)
		return rc;
	t->disp.lo = lo;
	t->disp.hi = hi;
	t->disp.handler = handler;
	t->disp.frame = frame;
	t->disp.sp = sp;
	return MT_OK;
}

int dispatch_wanted(const struct thread *t)
{
	if (!t->disp.hi)
		return 0;
	uint64_t pc = t->regs.elr - 4; /* ELR holds the address after the svc */
	return pc < t->disp.lo || pc >= t->disp.hi;
}

int dispatch_enter(struct thread *t)
{
	struct mt_dispatch_frame f;
	const struct regs *r = &t->regs;
	for (unsigned i = 0; i < 31; i++)
		f.x[i] = r->x[i];
	f.sp = r->sp;
	f.pc = r->elr;
	f.pstate = r->spsr & MT_DISPATCH_NZCV;
	f.tpidr = arch_thread_tls(t);
	f.pad = 0;
	int rc = copy_to_user(t->proc, t->disp.frame, &f, sizeof(f));
	if (rc != MT_OK)
		return rc;
	t->regs.elr = t->disp.handler;
	t->regs.sp = t->disp.sp;
	t->regs.x[0] = t->disp.frame;
	return MT_OK;
}

int dispatch_return(struct thread *t)
{
	if (!t->disp.hi)
		return MT_ESTATE;
	struct mt_dispatch_frame f;
	int rc = copy_from_user(t->proc, &f, t->disp.frame, sizeof(f));
	if (rc != MT_OK)
		return rc;
	if (f.pc < MT_USER_BASE || f.pc >= MT_USER_TOP || (f.pc & 3) || f.sp < MT_USER_BASE ||
	    f.sp > MT_USER_TOP)
		return MT_EINVAL;
	struct regs *r = &t->regs;
	for (unsigned i = 0; i < 31; i++)
		r->x[i] = f.x[i];
	r->sp = f.sp;
	r->elr = f.pc;
	r->spsr = (r->spsr & ~MT_DISPATCH_NZCV) | (f.pstate & MT_DISPATCH_NZCV);
	arch_thread_set_tls(t, f.tpidr);
	return MT_OK;
}
