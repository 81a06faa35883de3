/* Accounting (quota.h): the arithmetic of charging, lending and closing
 * accounts. The objects that are charged live in their own files; each
 * calls quota_charge when it is made and quota_refund when it is freed. */
#include "quota.h"

int quota_error(unsigned kind)
{
	return kind == MT_Q_PAGES ? MT_ENOMEM : MT_EQUOTA;
}

size_t quota_room(const struct quota *q, unsigned kind)
{
	kassert(kind < MT_Q_KINDS);
	kassert(q->used[kind] + q->lent[kind] <= q->limit[kind]);
	return q->limit[kind] - q->used[kind] - q->lent[kind];
}

int quota_charge(struct quota *q, unsigned kind, size_t n)
{
	if (n > quota_room(q, kind))
		return quota_error(kind);
	q->used[kind] += n;
	return MT_OK;
}

void quota_refund(struct quota *q, unsigned kind, size_t n)
{
	kassert(kind < MT_Q_KINDS && q->used[kind] >= n);
	q->used[kind] -= n;
}

int quota_carve(struct quota *parent, struct quota *child, const size_t want[MT_Q_KINDS])
{
	for (unsigned k = 0; k < MT_Q_KINDS; k++) {
		kassert(child->limit[k] == 0 && child->used[k] == 0 && child->lent[k] == 0);
		if (want[k] > quota_room(parent, k))
			return quota_error(k);
	}
	for (unsigned k = 0; k < MT_Q_KINDS; k++) {
		parent->lent[k] += want[k];
		child->limit[k] = want[k];
	}
	return MT_OK;
}

void quota_close(struct quota *parent, struct quota *child)
{
	for (unsigned k = 0; k < MT_Q_KINDS; k++) {
		kassert(child->lent[k] == 0 && child->used[k] <= child->limit[k]);
		kassert(parent->lent[k] >= child->limit[k]);
		/* What the child still holds stays within what it borrowed, so
		 * the parent's invariant holds after the move. */
		parent->lent[k] -= child->limit[k];
		parent->used[k] += child->used[k];
		child->limit[k] = child->used[k] = 0;
	}
}
