/* Accounting: what each process may have the kernel hold for it.
 *
 * Every page the kernel hands out and every kernel object it makes (thread,
 * endpoint, shared-memory object, process) is charged to one account, its
 * creator's, and refunded to that account when it is freed. A process's
 * limits are carved out of its creator's account when it is made: the
 * creator lends them and cannot use them meanwhile. The kernel gives init's
 * account every pool whole, so no set of quotas can add up to more than
 * exists. The invariant, for every account and every kind:
 *
 *     used + lent <= limit
 *
 * When a process ends its account closes into its creator's: the limits it
 * borrowed return, and the objects charged to it that outlive it (a
 * shared-memory object another process still maps, an endpoint another
 * process still holds) are charged to the creator from then on. Its own
 * children have closed into it before (they die first), so it lends
 * nothing by then.
 *
 * Over a limit: MT_ENOMEM for pages, MT_EQUOTA for objects. The kinds are
 * the ABI's MT_Q_* (include/microtee/syscall.h). Pure code: no pool, no
 * lock, no allocation (tests/unit/test_quota.c). */
#ifndef KERNEL_QUOTA_H
#define KERNEL_QUOTA_H
#include "kernel.h"

struct quota {
	size_t limit[MT_Q_KINDS];
	size_t used[MT_Q_KINDS]; /* charged to this account and not yet freed */
	size_t lent[MT_Q_KINDS]; /* the limits of the open accounts carved out of this one */
};

/* The error for going over kind's limit: MT_ENOMEM or MT_EQUOTA. */
int quota_error(unsigned kind);
/* How many more of kind the account can be charged. */
size_t quota_room(const struct quota *q, unsigned kind);
/* Charges n of kind, or fails with quota_error(kind) and charges nothing. */
int quota_charge(struct quota *q, unsigned kind, size_t n);
/* Gives back n of kind that were charged (more is a kernel bug). */
void quota_refund(struct quota *q, unsigned kind, size_t n);
/* Opens child (which must be empty) with the limits want[], lent by parent:
 * all of them or, if parent cannot cover one, none (quota_error of the
 * first kind short). */
int quota_carve(struct quota *parent, struct quota *child, const size_t want[MT_Q_KINDS]);
/* Closes child into parent, which carved it: the limits return, the
 * objects still charged to child become parent's. child lends nothing (its
 * own children are closed first); it is empty afterwards. */
void quota_close(struct quota *parent, struct quota *child);

#endif
