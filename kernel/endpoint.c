/* Synchronous IPC on endpoints (seL4-style call / reply-and-receive).
 *
 * An endpoint holds either callers waiting for a receiver or receivers
 * waiting for a caller, never both. A call that finds a receiver switches
 * straight to it; the caller then waits in BLOCKED_REPLY until the receiver
 * replies (or dies, which answers MT_EPEERDEAD). A message is four words
 * in registers, handles to transfer and the badge of the
 * caller's endpoint handle; bulk data goes through shared memory. Up to
 * MT_XFER_MAX handles travel with a message, packed in one word; the
 * receiver gets copies in its own table. */
#include "object.h"
#include "smp.h"

static struct endpoint endpoints[MAX_ENDPOINTS];

int thread_is_nwcall(const struct thread *t);
void nwcall_done(struct thread *t);

/* A caller's call is answered (or failed): it runs again, unless it is a
 * normal-world call, which completes instead. */
void ipc_wake_caller(struct thread *c)
{
	if (thread_is_nwcall(c))
		nwcall_done(c);
	else
		sched_ready(c);
}

static struct endpoint *endpoint_slot(void)
{
	for (unsigned i = 0; i < MAX_ENDPOINTS; i++) {
		struct endpoint *ep = &endpoints[i];
		if (ep->obj.type == KOBJ_NONE) {
			memset(ep, 0, sizeof(*ep));
			ep->obj.type = KOBJ_ENDPOINT;
			return ep;
		}
	}
	return 0;
}

struct endpoint *endpoint_create(struct process *owner, int *err)
{
	*err = quota_charge(&owner->quota, MT_Q_ENDPOINTS, 1);
	if (*err != MT_OK)
		return 0;
	struct endpoint *ep = endpoint_slot();
	if (!ep) {
		/* Quotas never add up to more than the pool: not reached. */
		quota_refund(&owner->quota, MT_Q_ENDPOINTS, 1);
		*err = MT_ENOSPACE;
		return 0;
	}
	ep->owner = owner;
	return ep;
}

struct endpoint *endpoint_create_kernel(void)
{
	struct endpoint *ep = endpoint_slot(); /* charged to nobody */
	if (ep)
		kobj_get(&ep->obj); /* the kernel's own reference, never dropped */
	return ep;
}

void endpoint_reparent(struct process *from, struct process *to)
{
	for (unsigned i = 0; i < MAX_ENDPOINTS; i++)
		if (endpoints[i].obj.type != KOBJ_NONE && endpoints[i].owner == from)
			endpoints[i].owner = to;
}

size_t endpoint_pool_free(void)
{
	size_t n = 0;
	for (unsigned i = 0; i < MAX_ENDPOINTS; i++)
		n += endpoints[i].obj.type == KOBJ_NONE;
	return n;
}

/* The endpoint's invariant: callers or receivers waiting, never both;
 * every waiter is in the state its queue says. Checked at the start of
 * every operation on the endpoint, which relies on it (each leaves it true
 * by construction: tests/unit/test_endpoint.c checks that after each),
 * under the big kernel lock (smp.c), which every IPC path holds. Inlined:
 * it is on the IPC path. */
static inline __attribute__((always_inline)) void ep_check(const struct endpoint *ep)
{
	kassert_locked();
	kassert(!(ep->send_head && ep->recv_head));
	kassert(!ep->send_head || (ep->send_head->state == T_BLOCKED_SEND && ep->send_head->ep == ep));
	kassert(!ep->recv_head || (ep->recv_head->state == T_BLOCKED_RECV && ep->recv_head->ep == ep));
}

static void q_push(struct thread **head, struct thread **tail, struct thread *t)
{
	t->qnext = 0;
	if (*tail)
		(*tail)->qnext = t;
	else
		*head = t;
	*tail = t;
}

static struct thread *q_pop(struct thread **head, struct thread **tail)
{
	struct thread *t = *head;
	if (t) {
		*head = t->qnext;
		if (!*head)
			*tail = 0;
		t->qnext = 0;
		t->ep = 0;
	}
	return t;
}

static void q_remove(struct thread **head, struct thread **tail, struct thread *t)
{
	struct thread *prev = 0;
	for (struct thread *i = *head; i; prev = i, i = i->qnext) {
		if (i != t)
			continue;
		if (prev)
			prev->qnext = t->qnext;
		else
			*head = t->qnext;
		if (*tail == t)
			*tail = prev;
		t->qnext = 0;
		t->ep = 0;
		return;
	}
}

void endpoint_cancel(struct thread *t)
{
	struct endpoint *ep = t->ep;
	if (!ep)
		return;
	if (t->state == T_BLOCKED_SEND) {
		rv_ipc_event(t, RV_IPC_ABANDONED);
		q_remove(&ep->send_head, &ep->send_tail, t);
	} else {
		q_remove(&ep->recv_head, &ep->recv_tail, t);
	}
}

/* The last handle to an endpoint is gone: nobody can ever complete a
 * queued call or deliver to a queued receiver. */
void endpoint_release(struct endpoint *ep)
{
	struct thread *t;
	while ((t = q_pop(&ep->send_head, &ep->send_tail)) ||
	       (t = q_pop(&ep->recv_head, &ep->recv_tail))) {
		if (t->state == T_BLOCKED_SEND)
			rv_ipc_event(t, RV_IPC_PEER_DEAD);
		t->regs.x[0] = (uint64_t)(long)MT_EPEERDEAD;
		ipc_wake_caller(t);
	}
	if (ep->owner)
		quota_refund(&ep->owner->quota, MT_Q_ENDPOINTS, 1);
	ep->owner = 0;
	ep->obj.type = KOBJ_NONE;
}

/* Checks that every handle packed in `xfer` may be passed on. */
static int xfer_check(struct process *p, uint64_t xfer)
{
	int err = MT_OK;
	for (; xfer; xfer >>= MT_XFER_BITS) {
		uint64_t h = xfer & MT_XFER_MASK;
		if (h && !ht_lookup(&p->ht, h, KOBJ_NONE, MT_R_GRANT, &err))
			return err;
	}
	return MT_OK;
}

/* Copies the handles packed in `xfer` from `from`'s table into `to`'s and
 * returns their new numbers, packed the same way. A handle that vanished
 * meanwhile, or that does not fit in `to`'s table, arrives as 0. */
static uint64_t xfer_handles(struct process *to, struct process *from, uint64_t xfer)
{
	uint64_t out = 0;
	for (unsigned i = 0; i < MT_XFER_MAX; i++) {
		uint64_t h = (xfer >> (i * MT_XFER_BITS)) & MT_XFER_MASK;
		int err;
		struct handle *src = h ? ht_lookup(&from->ht, h, KOBJ_NONE, MT_R_GRANT, &err) : 0;
		if (!src)
			continue;
		long nh = ht_insert(&to->ht, src->obj, src->rights, src->badge);
		if (nh > 0)
			out |= (uint64_t)nh << (i * MT_XFER_BITS);
	}
	return out;
}

/* Writes a message into `to`'s registers. Inlined: it is on the IPC path,
 * twice per round trip. */
static inline __attribute__((always_inline)) void deliver(struct thread *to, const uint64_t *w,
							   struct process *from, uint64_t xfer,
							   uint64_t badge)
{
	to->regs.x[0] = MT_OK;
	to->regs.x[1] = w[0];
	to->regs.x[2] = w[1];
	to->regs.x[3] = w[2];
	to->regs.x[4] = w[3];
	/* (Normal-world calls own no handle table: nothing to transfer.) */
	to->regs.x[5] = xfer && to->proc->pid ? xfer_handles(to->proc, from, xfer) : 0;
	to->regs.x[6] = badge;
}

static inline __attribute__((always_inline)) void switch_direct(struct thread *to)
{
	struct cpu *c = cpu_this();
	kassert_locked();
	/* (A thread runs on one CPU at a time: `to` was waiting, not running.) */
	kassert(to->state != T_RUNNING);
	arch_switch_to(c->current, to);
	c->current = to;
	to->state = T_RUNNING;
}

struct thread *sys_call(struct thread *cur)
{
	struct process *p = cur->proc;
	int err;
	struct handle *h = ht_lookup(&p->ht, cur->regs.x[0], KOBJ_ENDPOINT, MT_R_CALL, &err);
	if (!h || (cur->regs.x[5] && (err = xfer_check(p, cur->regs.x[5])) != MT_OK)) {
		cur->regs.x[0] = (uint64_t)(long)err;
		return cur;
	}
	struct endpoint *ep = (struct endpoint *)h->obj;
	ep_check(ep);
	struct thread *r = q_pop(&ep->recv_head, &ep->recv_tail);
	if (!r) {
		cur->badge = h->badge;
		cur->state = T_BLOCKED_SEND;
		rv_ipc_event(cur, RV_IPC_CALL_QUEUED);
		cur->ep = ep;
		q_push(&ep->send_head, &ep->send_tail, cur);
		return sched_next();
	}
	kassert(r->state == T_BLOCKED_RECV && !r->caller);
	deliver(r, &cur->regs.x[1], p, cur->regs.x[5], h->badge);
	r->caller = cur;
	r->nwcall = cur->nwcall; /* works for the same normal-world call (nwentry.c) */
	cur->server = r;
	cur->state = T_BLOCKED_REPLY;
	rv_ipc_event(cur, RV_IPC_CALL_DELIVERED);
	switch_direct(r);
	return r;
}

struct thread *sys_reply_recv(struct thread *cur)
{
	struct process *p = cur->proc;
	uint64_t flags = cur->regs.x[6];
	struct endpoint *ep = 0;
	int err;

	if (!(flags & (MT_RR_REPLY | MT_RR_RECV)) || (flags & ~(uint64_t)(MT_RR_REPLY | MT_RR_RECV))) {
		cur->regs.x[0] = (uint64_t)(long)MT_EINVAL;
		return cur;
	}
	if (flags & MT_RR_RECV) {
		struct handle *h = ht_lookup(&p->ht, cur->regs.x[0], KOBJ_ENDPOINT, MT_R_RECV, &err);
		if (!h) {
			cur->regs.x[0] = (uint64_t)(long)err;
			return cur;
		}
		ep = (struct endpoint *)h->obj;
	}
	struct thread *c = 0;
	if (!(flags & MT_RR_REPLY) && cur->caller) {
		/* Receiving again would orphan the caller we owe a reply. */
		cur->regs.x[0] = (uint64_t)(long)MT_ESTATE;
		return cur;
	}
	if (flags & MT_RR_REPLY) {
		if (cur->regs.x[5] && (err = xfer_check(p, cur->regs.x[5])) != MT_OK) {
			cur->regs.x[0] = (uint64_t)(long)err;
			return cur;
		}
		c = cur->caller;
		if (!c && !ep) {
			cur->regs.x[0] = (uint64_t)(long)MT_ESTATE;
			return cur;
		}
		if (c) {
			kassert(c->state == T_BLOCKED_REPLY && c->server == cur);
			deliver(c, &cur->regs.x[1], p, cur->regs.x[5], 0);
			rv_ipc_event(c, RV_IPC_REPLIED);
			c->server = 0;
			cur->caller = 0;
		}
	}
	if (!ep) {
		cur->regs.x[0] = MT_OK;
		ipc_wake_caller(c);
		return cur;
	}
	ep_check(ep);
	struct thread *s = q_pop(&ep->send_head, &ep->send_tail);
	if (s) {
		kassert(s->state == T_BLOCKED_SEND);
		deliver(cur, &s->regs.x[1], s->proc, s->regs.x[5], s->badge);
		cur->caller = s;
		cur->nwcall = s->nwcall;
		s->server = cur;
		s->state = T_BLOCKED_REPLY;
		rv_ipc_event(s, RV_IPC_CALL_TAKEN);
		if (c)
			ipc_wake_caller(c);
		return cur;
	}
	cur->state = T_BLOCKED_RECV;
	cur->ep = ep;
	q_push(&ep->recv_head, &ep->recv_tail, cur);
	if (c && !thread_is_nwcall(c)) {
		switch_direct(c);
		return c;
	}
	if (c)
		nwcall_done(c);
	return sched_next();
}

/* A call made by the kernel on behalf of the normal world: like SYS_CALL,
 * but the caller is a stand-in thread that never runs. */
void endpoint_send_from_kernel(struct endpoint *ep, struct thread *t)
{
	ep_check(ep);
	struct thread *r = q_pop(&ep->recv_head, &ep->recv_tail);
	if (!r) {
		t->state = T_BLOCKED_SEND;
		rv_ipc_event(t, RV_IPC_CALL_QUEUED);
		t->ep = ep;
		q_push(&ep->send_head, &ep->send_tail, t);
		return;
	}
	kassert(r->state == T_BLOCKED_RECV && !r->caller);
	deliver(r, &t->regs.x[1], t->proc, 0, 0);
	r->caller = t;
	r->nwcall = t->nwcall;
	t->server = r;
	t->state = T_BLOCKED_REPLY;
	rv_ipc_event(t, RV_IPC_CALL_DELIVERED);
	sched_ready(r);
}
