/* The crypto service's requests: one message in, one reply out
 * (crypto_serve), with the state that lives between requests: the clients,
 * keyed by badge, their windows, and the ids of their objects and
 * operations. main.c receives and replies; object.c, op_sym.c and
 * op_asym.c serve what dispatch() hands them. Every request is untrusted: a
 * bad id, span, state or record is answered with an error, never with a
 * crash. */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "mt.h"

/* Each client's window has its own 2 MiB of address space, two halves of
 * 1 MiB (a shared-memory object is at most that): a new window goes into
 * the half the old one is not in, so a failed re-ATTACH keeps the old. */
#define WINDOW_VA(i, half) (MT_USER_SHM + (uintptr_t)(i)*0x200000UL + (uintptr_t)(half)*0x100000UL)

static struct client clients[MAX_CLIENTS];
static uint32_t salt; /* makes ids differ between runs of the service */
static int test_hooks;
static uint8_t scratch[CRYPTO_WINDOW_MAX];

/* Not a constant, so the compiler does not see the fault coming. */
volatile int *volatile crash_at = (volatile int *)16;

int ct_compare(const uint8_t *a, const uint8_t *b, size_t n)
{
	volatile uint8_t d = 0;
	for (size_t i = 0; i < n; i++)
		d |= a[i] ^ b[i];
	return d != 0;
}

/* ---- ids ----
 * An id is (tag << 6) | slot: the slot in the client's table and a tag
 * mixed from this run's salt, the badge, the client's entry, the kind
 * (object or operation), the slot and its reuse count, which survives the
 * client (client_drop). Only a table lookup in the caller's own
 * client decides what an id names; the tag makes stale ids (freed, from
 * before a restart, another client's or of the other kind) fail. */
static uint32_t mix32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

uint32_t id_tag(const struct client *c, unsigned kind, unsigned slot, uint32_t gen)
{
	uint32_t t = mix32(salt ^
	                   mix32((uint32_t)c->badge ^ mix32((uint32_t)(c->badge >> 32)) ^
	                         (kind << 30) ^ (slot << 24) ^ gen) ^
	                   mix32(c->index));
	t &= 0x3FFFFFFU;
	return t ? t : 1;
}

struct object *obj_lookup(struct client *c, uint64_t id)
{
	unsigned slot = id & 63;
	if (id >> 32 || slot >= CLIENT_OBJECTS || !c->objs[slot] || c->objs[slot]->tag != (id >> 6))
		return 0;
	return c->objs[slot];
}

struct op *op_lookup(struct client *c, uint64_t id)
{
	unsigned slot = id & 63;
	if (id >> 32 || slot >= CLIENT_OPS || !c->ops[slot] || c->ops[slot]->tag != (id >> 6))
		return 0;
	return c->ops[slot];
}

/* ---- the window ---- */
const uint8_t *span_copy(const struct span *s)
{
	/* s->len <= win_size <= CRYPTO_WINDOW_MAX == sizeof(scratch) */
	memcpy(scratch, s->p, s->len);
	return scratch;
}

/* ---- clients ---- */
static struct client *client_find(uint64_t badge)
{
	/* Requests come in runs from one client: try the last one first.
	 * (A dropped client's badge is 0, which no request carries.) */
	static struct client *last;
	if (last && last->badge == badge)
		return last;
	for (unsigned i = 0; i < MAX_CLIENTS; i++)
		if (clients[i].badge == badge)
			return last = &clients[i];
	return 0;
}

static void window_release(struct client *c)
{
	if (c->win)
		mt_mem_unmap((uintptr_t)c->win, c->win_size);
	c->win = 0;
	c->win_size = 0;
}

/* Forgets a client: every object and operation, its window, its memory. */
static void client_drop(struct client *c)
{
	unsigned saved = alloc_owner;
	alloc_owner = c->index + 1;
	for (unsigned i = 0; i < CLIENT_OPS; i++)
		if (c->ops[i])
			op_destroy(c->ops[i]);
	for (unsigned i = 0; i < CLIENT_OBJECTS; i++)
		if (c->objs[i])
			obj_destroy(c->objs[i]);
	alloc_owner = saved;
	window_release(c);
	alloc_dismiss(c->index + 1);
	if (alloc_charged(c->index + 1))
		printf("[crypto] client %lx left %zu bytes behind\n", (unsigned long)c->badge,
		       alloc_charged(c->index + 1));
	/* The entry's slots keep counting: a client that comes back under
	 * the same badge (badges are reused) never gets an id it had before,
	 * so an id kept from before names nothing. */
	struct client keep = *c;
	memset(c, 0, sizeof(*c));
	c->index = keep.index;
	for (unsigned i = 0; i < CLIENT_OBJECTS; i++)
		c->obj_gen[i] = keep.obj_gen[i] + 1;
	for (unsigned i = 0; i < CLIENT_OPS; i++)
		c->op_gen[i] = keep.op_gen[i] + 1;
}

static struct client *client_new(uint64_t badge)
{
	for (unsigned i = 0; i < MAX_CLIENTS; i++) {
		struct client *c = &clients[i];
		if (c->badge)
			continue;
		if (!alloc_admit(c->index + 1))
			return 0;
		c->badge = badge;
		return c;
	}
	return 0;
}

static TEE_Result attach(uint64_t badge, mt_handle_t shm, struct reply *r)
{
	if (!shm)
		return BADP(r);
	struct client *c = client_find(badge);
	int fresh = !c;
	if (fresh && !(c = client_new(badge))) {
		mt_handle_close(shm);
		return NOMEM(r);
	}
	unsigned half = c->win == (uint8_t *)WINDOW_VA(c->index, 0);
	uintptr_t va = WINDOW_VA(c->index, half);
	unsigned long size = 0;
	long rc = MT_SYS_R1(&size, SYS_SHM_MAP, shm, va, MT_PROT_R | MT_PROT_W);
	mt_handle_close(shm);
	if (rc == MT_OK && (size > CRYPTO_WINDOW_MAX || size == 0)) {
		mt_mem_unmap(va, size);
		rc = MT_EINVAL;
	}
	if (rc != MT_OK) {
		if (fresh)
			client_drop(c);
		return rc == MT_EPERM ? fail(r, TEE_ERROR_ACCESS_DENIED, CRYPTO_REASON_NONE)
		                      : BADP(r);
	}
	window_release(c);
	c->win = (uint8_t *)va;
	c->win_size = size;
	r->w[1] = size;
	return TEE_SUCCESS;
}

static TEE_Result random_bytes(struct client *c, const uint64_t *w, struct reply *r)
{
	struct span out;
	if (!span_get(c, w[1], &out))
		return BADSPAN(r);
	if (svc_rng(0, out.p, out.len))
		return TEE_ERROR_GENERIC;
	r->w[1] = out.len;
	return TEE_SUCCESS;
}

/* Bytes from a client, mixed into the DRBG: they cannot weaken it (the
 * DRBG's update), so any client may add them. */
static TEE_Result add_entropy(struct client *c, const uint64_t *w, struct reply *r)
{
	struct span in;
	if (!span_get(c, w[1], &in))
		return BADSPAN(r);
	if (in.len == 0 || in.len > CRYPTO_ENTROPY_MAX)
		return BADP(r);
	return rng_add(in.p, in.len) ? TEE_ERROR_GENERIC : TEE_SUCCESS;
}

static TEE_Result dispatch(struct client *c, const uint64_t *w, struct reply *r)
{
	if (w[0] & CRYPTO_OP_F_INIT)
		return op_with_init(c, w, r);
	switch (w[0]) {
	case CRYPTO_OP_DETACH:
		client_drop(c);
		return TEE_SUCCESS;
	case CRYPTO_OP_OBJ_ALLOC:
		return obj_alloc(c, w, r);
	case CRYPTO_OP_OBJ_FREE:
		return obj_free(c, w, r);
	case CRYPTO_OP_OBJ_RESET:
		return obj_reset(c, w, r);
	case CRYPTO_OP_OBJ_POPULATE:
		return obj_populate(c, w, r);
	case CRYPTO_OP_OBJ_GENERATE:
		return obj_generate(c, w, r);
	case CRYPTO_OP_OBJ_GET_ATTR:
		return obj_get_attr(c, w, r);
	case CRYPTO_OP_OBJ_COPY:
		return obj_copy(c, w, r);
	case CRYPTO_OP_OBJ_INFO:
		return obj_info(c, w, r);
	case CRYPTO_OP_OBJ_RESTRICT:
		return obj_restrict(c, w, r);
	case CRYPTO_OP_OBJ_EXPORT:
		return obj_export(c, w, r);
	case CRYPTO_OP_OBJ_IMPORT:
		return obj_import(c, w, r);
	case CRYPTO_OP_ALLOC:
		return op_alloc(c, w, r);
	case CRYPTO_OP_FREE:
		return op_free(c, w, r);
	case CRYPTO_OP_SET_KEY:
		return op_set_key(c, w, r);
	case CRYPTO_OP_RESET:
		return op_reset(c, w, r);
	case CRYPTO_OP_COPY:
		return op_copy(c, w, r);
	case CRYPTO_OP_INIT:
		return op_init(c, w, r);
	case CRYPTO_OP_UPDATE:
		return op_update(c, w, r);
	case CRYPTO_OP_UPDATE_AAD:
		return op_update_aad(c, w, r);
	case CRYPTO_OP_FINAL:
		return op_final(c, w, r);
	case CRYPTO_OP_FINAL_CHECK:
		return op_final_check(c, w, r);
	case CRYPTO_OP_ASYM:
		return op_asym(c, w, r);
	case CRYPTO_OP_DERIVE:
		return op_derive(c, w, r);
	case CRYPTO_OP_RANDOM:
		return random_bytes(c, w, r);
	case CRYPTO_OP_ADD_ENTROPY:
		return add_entropy(c, w, r);
	case CRYPTO_OP_TEST_STATS:
		if (!test_hooks)
			break;
		r->w[1] = alloc_charged(c->index + 1);
		r->w[2] = alloc_in_use();
		r->w[3] = alloc_high_water();
		if (w[1] == 1)
			alloc_reset_high_water();
		return TEE_SUCCESS;
	}
	return TEE_ERROR_NOT_SUPPORTED;
}

void crypto_serve_init(uint32_t run_salt, int hooks)
{
	salt = run_salt;
	test_hooks = hooks;
	for (unsigned i = 0; i < MAX_CLIENTS; i++)
		clients[i].index = i;
}

TEE_Result crypto_serve(const struct mt_msg *m, struct reply *r)
{
	uint64_t badge = m->badge;
	mt_handle_t shm = MT_XFER_GET(m->handle, 0);
	/* Handles are only taken with ATTACH and TA_VERIFY; drop whatever
	 * else came. */
	int keeps = m->w[0] == CRYPTO_OP_ATTACH || m->w[0] == CRYPTO_OP_TA_VERIFY;
	for (unsigned i = keeps; m->handle && i < MT_XFER_MAX; i++)
		if (MT_XFER_GET(m->handle, i))
			mt_handle_close(MT_XFER_GET(m->handle, i));
	/* A refusal before ATTACH or TA_VERIFY took the handle drops it too. */
	mt_handle_t kept = keeps ? shm : 0;
	if (!badge) { /* init's own, unbadged handle: nobody to keep state for */
		if (kept)
			mt_handle_close(kept);
		return fail(r, TEE_ERROR_ACCESS_DENIED, CRYPTO_REASON_NONE);
	}
	/* init, checking a TA image for its loader: nobody else may. */
	if (m->w[0] == CRYPTO_OP_TA_VERIFY) {
		TEE_Result res = badge == CRYPTO_BADGE_SUPERVISOR
		                     ? ta_verify(shm, m->w, r)
		                     : fail(r, TEE_ERROR_ACCESS_DENIED, CRYPTO_REASON_NONE);
		if (shm)
			mt_handle_close(shm);
		return res;
	}
	/* init, telling us that a client has ended; nobody else may. */
	if (badge == CRYPTO_BADGE_SUPERVISOR || m->w[0] == CRYPTO_OP_CLIENT_GONE) {
		if (badge != CRYPTO_BADGE_SUPERVISOR || m->w[0] != CRYPTO_OP_CLIENT_GONE) {
			if (kept) /* the supervisor's ATTACH */
				mt_handle_close(kept);
			return fail(r, TEE_ERROR_ACCESS_DENIED, CRYPTO_REASON_NONE);
		}
		struct client *gone = m->w[1] ? client_find(m->w[1]) : 0;
		if (!gone)
			return fail(r, TEE_ERROR_ITEM_NOT_FOUND, CRYPTO_REASON_NONE);
		client_drop(gone);
		return TEE_SUCCESS;
	}
	if (m->w[0] == CRYPTO_OP_ATTACH)
		return attach(badge, shm, r);
	if (m->w[0] == CRYPTO_OP_TEST_STALL && test_hooks) {
		/* As a busy service: everyone else's requests wait. */
		mt_sleep_ns((m->w[1] < 5000 ? m->w[1] : 5000) * 1000000ULL);
		return TEE_SUCCESS;
	}
	if (m->w[0] == CRYPTO_OP_TEST_CRASH && test_hooks) {
		printf("[crypto] crashing on request (test hook)\n");
		*crash_at = 1;
	}
	struct client *c = client_find(badge);
	if (!c)
		return fail(r, TEE_ERROR_BAD_STATE, CRYPTO_REASON_NOT_ATTACHED);
	alloc_owner = c->index + 1;
	TEE_Result res = dispatch(c, m->w, r);
	alloc_owner = 0;
	return res;
}
