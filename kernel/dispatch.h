/* System call user dispatch (kernel/dispatch.c; docs/syscalls.md). */
#ifndef KERNEL_DISPATCH_H
#define KERNEL_DISPATCH_H
#include "object.h"

/* SYS_DISPATCH_SET for t: MT_OK, MT_EINVAL (a bad range, handler, stack or
 * frame alignment) or MT_EFAULT (the frame is not writable). All five
 * values 0 turn dispatch off. */
int dispatch_set(struct thread *t, uint64_t lo, uint64_t hi, uint64_t handler, uint64_t frame,
                 uint64_t sp);
/* Whether t's svc (t->regs.elr just after it) is to go to its handler. */
int dispatch_wanted(const struct thread *t);
/* Saves t's registers in its frame and points t at its handler; MT_EFAULT
 * if the frame is no longer writable (t's registers are then unchanged). */
int dispatch_enter(struct thread *t);
/* SYS_DISPATCH_RETURN: t's registers from its frame. MT_ESTATE (dispatch
 * is off), MT_EFAULT (frame unreadable), MT_EINVAL (pc or sp outside the
 * user address space, pc misaligned); t is unchanged on an error. */
int dispatch_return(struct thread *t);

#endif
